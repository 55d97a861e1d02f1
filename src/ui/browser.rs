//! The few browser services the app uses: local storage (autosave), the URL (share links, embed
//! parameters), downloads, the clipboard, printing and the clock (the engine never reads it; the app
//! passes "today" in). Every call degrades to a message, never a panic: storage may be disabled,
//! the clipboard refused.

use crate::estate::Date;
use wasm_bindgen::JsCast;

/// A plain JavaScript object from key/value pairs: the messages to workers and to an embedding
/// page.
pub fn js_object(pairs: &[(&str, wasm_bindgen::JsValue)]) -> wasm_bindgen::JsValue {
    let o = js_sys::Object::new();
    for (k, v) in pairs {
        let _ = js_sys::Reflect::set(&o, &wasm_bindgen::JsValue::from_str(k), v);
    }
    o.into()
}

/// Where the estate is autosaved in this browser.
pub const STORAGE_KEY: &str = "cal-calc.estate.v1";

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

fn storage() -> Option<web_sys::Storage> {
    window()?.local_storage().ok().flatten()
}

/// Where a saved estate this calculator cannot read (written by a newer version, damaged) is
/// kept before anything is saved over it; a second one goes under `….2`, and so on.
pub const UNREADABLE_KEY: &str = "cal-calc.estate.unreadable";

/// How many unreadable saved estates are kept at most; with every slot taken nothing is saved
/// over another one.
const UNREADABLE_SLOTS: usize = 9;

/// The event sent to this window when an unreadable saved estate is set aside or discarded, so
/// that the panel offering it shows the change.
pub const UNREADABLE_EVENT: &str = "cal-calc-unreadable";

thread_local! {
    /// The text this page last wrote under [`STORAGE_KEY`]: finding it there again needs no
    /// check that it can be read.
    static LAST_WRITTEN: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// The autosaved estate JSON, if any.
pub fn load_saved() -> Option<String> {
    storage()?.get_item(STORAGE_KEY).ok().flatten()
}

/// Whether this calculator can open `json` as an estate.
pub fn readable(json: &str) -> bool {
    crate::share::from_file(json).is_ok()
}

/// Whether an estate is saved in this browser that this calculator cannot read.
pub fn saved_is_unreadable() -> bool {
    load_saved().is_some_and(|json| !readable(&json))
}

fn unreadable_key(slot: usize) -> String {
    if slot == 1 {
        UNREADABLE_KEY.to_string()
    } else {
        format!("{UNREADABLE_KEY}.{slot}")
    }
}

/// A saved estate kept aside under `key` because a calculator could not read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeptAside {
    pub key: String,
    pub text: String,
    /// Whether this calculator can read it: an older version open in another tab kept this
    /// version's save aside, so the text is not unreadable here.
    pub readable: bool,
}

/// Every saved estate kept aside, oldest first. One this calculator can read that is the
/// estate saved now is forgotten on the way: it is a copy of the current save, kept aside by an
/// older version in another tab, and offering it as unreadable would be untrue (and deleting it
/// would have deleted the current save).
pub fn kept_aside() -> Vec<KeptAside> {
    let Some(s) = storage() else {
        return Vec::new();
    };
    let current = s.get_item(STORAGE_KEY).ok().flatten();
    (1..=UNREADABLE_SLOTS)
        .filter_map(|slot| {
            let key = unreadable_key(slot);
            let text = s.get_item(&key).ok().flatten()?;
            let readable = readable(&text);
            if readable && current.as_deref() == Some(text.as_str()) {
                let _ = s.remove_item(&key);
                return None;
            }
            Some(KeptAside {
                key,
                text,
                readable,
            })
        })
        .collect()
}

/// The saved estates this calculator could not read and kept aside, as (key, text), oldest
/// first ([`kept_aside`] without those this calculator can read).
pub fn unreadable_saved() -> Vec<(String, String)> {
    kept_aside()
        .into_iter()
        .filter(|k| !k.readable)
        .map(|k| (k.key, k.text))
        .collect()
}

/// Keeps the value saved under [`STORAGE_KEY`] aside when this calculator cannot read it.
/// `true` when it may be overwritten: nothing is saved, it is readable, or it is kept aside.
pub fn keep_unreadable() -> bool {
    keep_unreadable_at(STORAGE_KEY)
}

/// Keeps the value saved under `key` aside when this calculator cannot read it (see
/// [`keep_unreadable`]).
fn keep_unreadable_at(key: &str) -> bool {
    let Some(s) = storage() else {
        return true;
    };
    let Some(current) = s.get_item(key).ok().flatten() else {
        return true;
    };
    let ours = key == STORAGE_KEY
        && LAST_WRITTEN.with(|l| l.borrow().as_deref() == Some(current.as_str()));
    if ours || readable(&current) {
        return true;
    }
    let mut free = None;
    for slot in 1..=UNREADABLE_SLOTS {
        let key = unreadable_key(slot);
        match s.get_item(&key).ok().flatten() {
            Some(kept) if kept == current => return true,
            Some(_) => {}
            None => {
                free.get_or_insert(key);
            }
        }
    }
    let kept = free.is_some_and(|key| s.set_item(&key, &current).is_ok());
    if kept {
        announce_unreadable();
    }
    kept
}

/// Forgets a saved estate kept aside under `key` (after the user chose to), and the one under
/// [`STORAGE_KEY`] too when it is the same text this calculator cannot read, so that it is not
/// kept aside again. A current save this calculator can read is never removed: the same text
/// kept aside is only a copy an older version in another tab could not read.
pub fn discard_unreadable(key: &str) {
    let Some(s) = storage() else {
        return;
    };
    if let Some(text) = s.get_item(key).ok().flatten() {
        if s.get_item(STORAGE_KEY).ok().flatten().as_deref() == Some(text.as_str())
            && !readable(&text)
        {
            let _ = s.remove_item(STORAGE_KEY);
        }
    }
    let _ = s.remove_item(key);
    announce_unreadable();
}

fn announce_unreadable() {
    if let (Some(w), Ok(event)) = (window(), web_sys::Event::new(UNREADABLE_EVENT)) {
        let _ = w.dispatch_event(&event);
    }
}

/// Why the estate could not be saved in this browser ([`try_save`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveRefused {
    /// The storage this browser gives the page is full (`QuotaExceededError`).
    Full,
    /// The browser does not let the page store anything: storage turned off or blocked for the
    /// site, or the write refused for another reason.
    NotAllowed,
    /// A saved estate this calculator cannot read is there and could not be kept aside (every
    /// slot taken, or no room), so it is not saved over.
    UnreadableInTheWay,
}

impl SaveRefused {
    /// The cause, as a sentence's start: "This browser's storage for this page is full".
    pub fn cause(self) -> &'static str {
        match self {
            SaveRefused::Full => "This browser's storage for this page is full",
            SaveRefused::NotAllowed => {
                "This browser does not allow this page to store anything (storage is turned off or blocked for it)"
            }
            SaveRefused::UnreadableInTheWay => {
                "An estate saved in this browser that this version cannot read could not be kept aside, so it is not saved over"
            }
        }
    }

    /// The note under Keep and share while saving fails (components/keep.rs).
    pub fn note(self) -> &'static str {
        match self {
            SaveRefused::Full => {
                "Not saved: this browser's storage for this page is full. Export the estate to keep it."
            }
            SaveRefused::NotAllowed => {
                "Not saved: this browser does not allow this page to store anything. Export the estate to keep it."
            }
            SaveRefused::UnreadableInTheWay => {
                "Not saved: an estate this version cannot read is saved here and could not be kept aside. Export the estate to keep it."
            }
        }
    }
}

thread_local! {
    /// Why the last save failed; `None` after one that worked.
    static LAST_REFUSAL: std::cell::Cell<Option<SaveRefused>> = const { std::cell::Cell::new(None) };
}

/// Why the last save of the estate failed (`None`: it worked, or none was tried).
pub fn last_save_refused() -> Option<SaveRefused> {
    LAST_REFUSAL.with(|l| l.get())
}

/// The note under Keep and share when the last save failed, with its cause; what to show in
/// place of "This browser does not allow saving (private mode?)", which blamed private mode for
/// a full storage too (life review 24).
pub fn unsaved_note() -> &'static str {
    last_save_refused()
        .unwrap_or(SaveRefused::NotAllowed)
        .note()
}

/// Saves the estate JSON; `false` when the browser refuses ([`try_save`]).
pub fn save(json: &str) -> bool {
    try_save(json).is_ok()
}

/// Saves the estate JSON, or says why the browser refused. A saved value this calculator cannot
/// read is kept aside first, and never overwritten when that fails.
pub fn try_save(json: &str) -> Result<(), SaveRefused> {
    let result = write_estate(json);
    LAST_REFUSAL.with(|l| l.set(result.err()));
    result
}

fn write_estate(json: &str) -> Result<(), SaveRefused> {
    let s = storage().ok_or(SaveRefused::NotAllowed)?;
    if !keep_unreadable() {
        return Err(SaveRefused::UnreadableInTheWay);
    }
    s.set_item(STORAGE_KEY, json).map_err(|e| refusal(&e))?;
    LAST_WRITTEN.with(|l| *l.borrow_mut() = Some(json.to_string()));
    Ok(())
}

/// What a refused storage write's exception says: a full storage, or another refusal.
fn refusal(error: &wasm_bindgen::JsValue) -> SaveRefused {
    let name = js_sys::Reflect::get(error, &"name".into())
        .ok()
        .and_then(|n| n.as_string())
        .unwrap_or_default();
    // Firefox before 2020 named it NS_ERROR_DOM_QUOTA_REACHED.
    if name == "QuotaExceededError" || name == "NS_ERROR_DOM_QUOTA_REACHED" {
        SaveRefused::Full
    } else {
        SaveRefused::NotAllowed
    }
}

/// Where the estate the last load replaced ("Restore the previous estate") is kept, so that a
/// reload still offers it (UI review: the notice said it was kept, and a reload lost it).
pub const PREVIOUS_KEY: &str = "cal-calc.estate.previous.v1";

/// The estate JSON kept for "Restore the previous estate", if any.
pub fn load_previous() -> Option<String> {
    storage()?.get_item(PREVIOUS_KEY).ok().flatten()
}

/// Keeps the estate JSON for "Restore the previous estate"; `false` when the browser refuses
/// (private mode, quota), and then no older one is left there to be offered in its place. One this
/// calculator cannot read (a newer version's) is kept aside first, never overwritten.
pub fn save_previous(json: &str) -> bool {
    let Some(s) = storage() else {
        return false;
    };
    if s.get_item(PREVIOUS_KEY).ok().flatten().as_deref() == Some(json) {
        return true;
    }
    if !keep_unreadable_at(PREVIOUS_KEY) {
        return false;
    }
    if s.set_item(PREVIOUS_KEY, json).is_ok() {
        return true;
    }
    let _ = s.remove_item(PREVIOUS_KEY);
    false
}

/// Forgets the estate kept for "Restore the previous estate" (restored, dismissed or replaced by
/// none); one this calculator cannot read is kept aside first.
pub fn forget_previous() {
    let Some(s) = storage() else {
        return;
    };
    if s.get_item(PREVIOUS_KEY).ok().flatten().is_some() && keep_unreadable_at(PREVIOUS_KEY) {
        let _ = s.remove_item(PREVIOUS_KEY);
    }
}

/// The editor the saved work was last shown in ("quick" or "detailed"), so that a reload opens
/// it there (review 18: work done in detailed mode reopened in quick mode).
pub const MODE_KEY: &str = "cal-calc.mode.v1";

/// The editor the saved work was last shown in, if this browser kept it.
pub fn load_mode() -> Option<String> {
    storage()?.get_item(MODE_KEY).ok().flatten()
}

/// Keeps the editor the work is shown in (nothing when the browser refuses).
pub fn save_mode(mode: &str) {
    if let Some(s) = storage() {
        if s.get_item(MODE_KEY).ok().flatten().as_deref() != Some(mode) {
            let _ = s.set_item(MODE_KEY, mode);
        }
    }
}

/// The share links this browser opened or made, newest first: a hash of each, one a line. A
/// reload (or a bookmark, or the browser restoring its tabs) with one of them in the address
/// shows the work saved since instead of opening the link again (UI review: a reload after
/// "Copy share link" and later edits brought back the link's estate and lost the edits).
pub const LINKS_KEY: &str = "cal-calc.links-seen.v1";

/// A fingerprint of the estate a share link or an example in the address last opened, as it is
/// saved: while the saved estate still has it, the saved estate is that opening, unedited, not the
/// user's own work, and opening another link keeps the work kept for Restore (security review
/// 40: a page that opened this calculator at one link, then at another, pushed the user's estate
/// out of Restore).
pub const OPENED_KEY: &str = "cal-calc.estate.opened.v1";

/// Remembers `json` (an estate as saved) as the one a link or example opened.
pub fn mark_opened(json: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(OPENED_KEY, &link_hash(json));
    }
}

/// Whether `json`, the saved estate, is the one a link or example opened, unedited since.
pub fn was_opened(json: &str) -> bool {
    storage()
        .and_then(|s| s.get_item(OPENED_KEY).ok().flatten())
        .is_some_and(|h| h == link_hash(json))
}

/// How many links [`LINKS_KEY`] remembers.
const LINKS_REMEMBERED: usize = 20;

/// A stable 64-bit FNV-1a hash of a share link's fragment, in hex (the same in every version, so
/// a link seen before an update is still recognised after it).
fn link_hash(fragment: &str) -> String {
    let hash = fragment
        .trim_start_matches('#')
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
    format!("{hash:016x}")
}

/// Whether this browser opened or made the share link `fragment` before.
pub fn link_seen(fragment: &str) -> bool {
    let hash = link_hash(fragment);
    storage()
        .and_then(|s| s.get_item(LINKS_KEY).ok().flatten())
        .is_some_and(|seen| seen.lines().any(|l| l == hash))
}

/// Remembers the share link `fragment` as opened or made in this browser (nothing happens when
/// storage is refused: the link then opens again on a reload, as it always did).
pub fn remember_link(fragment: &str) {
    let Some(s) = storage() else {
        return;
    };
    let hash = link_hash(fragment);
    let seen = s.get_item(LINKS_KEY).ok().flatten().unwrap_or_default();
    let kept: Vec<&str> = std::iter::once(hash.as_str())
        .chain(seen.lines().filter(|l| *l != hash && !l.is_empty()))
        .take(LINKS_REMEMBERED)
        .collect();
    let _ = s.set_item(LINKS_KEY, &kept.join("\n"));
}

/// What every key this calculator stores in this browser starts with ([`STORAGE_KEY`],
/// [`PREVIOUS_KEY`], [`UNREADABLE_KEY`] and its numbered slots, [`MODE_KEY`], [`LINKS_KEY`]).
pub const KEY_PREFIX: &str = "cal-calc.";

/// The keys this calculator has stored in this browser, in the storage's order.
pub fn stored_keys() -> Vec<String> {
    let Some(s) = storage() else {
        return Vec::new();
    };
    let n = s.length().unwrap_or(0);
    (0..n)
        .filter_map(|i| s.key(i).ok().flatten())
        .filter(|k| k.starts_with(KEY_PREFIX))
        .collect()
}

/// What a stored key holds, as the confirmation of "Delete everything …" lists it.
pub fn key_told(key: &str) -> &'static str {
    match key {
        STORAGE_KEY => "the estate saved as you type",
        PREVIOUS_KEY => "the estate kept for Restore",
        MODE_KEY => "the editor last shown",
        LINKS_KEY => "the share links opened or made here",
        k if k.starts_with(UNREADABLE_KEY) => {
            "a saved estate kept aside by a version that could not read it"
        }
        _ => "other calculator data",
    }
}

/// Deletes every key this calculator stored in this browser ([`KEY_PREFIX`]), whatever its
/// version, and returns those deleted. The panel offering unreadable saved estates hears of it.
pub fn forget_everything() -> Vec<String> {
    let Some(s) = storage() else {
        return Vec::new();
    };
    let keys = stored_keys();
    for k in &keys {
        let _ = s.remove_item(k);
    }
    LAST_WRITTEN.with(|l| *l.borrow_mut() = None);
    announce_unreadable();
    keys
}

/// The URL fragment without `#` (empty when none).
pub fn fragment() -> String {
    window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| h.trim_start_matches('#').to_string())
        .unwrap_or_default()
}

/// The URL query without `?` (empty when none).
pub fn query() -> String {
    window()
        .and_then(|w| w.location().search().ok())
        .map(|q| q.trim_start_matches('?').to_string())
        .unwrap_or_default()
}

/// The page address without query or fragment (the base for share links and embed snippets).
pub fn page_base() -> String {
    window()
        .and_then(|w| {
            let l = w.location();
            Some(format!("{}{}", l.origin().ok()?, l.pathname().ok()?))
        })
        .unwrap_or_default()
}

/// This page's origin, e.g. `https://calc.example`.
pub fn origin() -> String {
    window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

/// Replaces the fragment without adding a history entry or reloading.
pub fn set_fragment(fragment: &str) {
    if let Some(w) = window() {
        let url = format!(
            "{}{}",
            query_prefix(),
            if fragment.is_empty() {
                String::new()
            } else {
                format!("#{fragment}")
            }
        );
        let base = w.location().pathname().unwrap_or_default();
        if let Ok(h) = w.history() {
            let _ = h.replace_state_with_url(
                &wasm_bindgen::JsValue::NULL,
                "",
                Some(&format!("{base}{url}")),
            );
        }
    }
}

/// Removes from the address's query the parameters named in `names` or starting with one of
/// `prefixes` (`price.` for `price.ws-user=…`), keeping the others and the fragment, without a
/// new history entry.
pub fn drop_query_params(names: &[&str], prefixes: &[&str]) {
    let q = query();
    let kept: Vec<&str> = q
        .split('&')
        .filter(|p| !p.is_empty())
        .filter(|p| {
            let key = p.split('=').next().unwrap_or(p);
            !names.contains(&key) && !prefixes.iter().any(|x| key.starts_with(x))
        })
        .collect();
    if kept.len() == q.split('&').filter(|p| !p.is_empty()).count() {
        return;
    }
    let Some(w) = window() else { return };
    let l = w.location();
    let fragment = l.hash().unwrap_or_default();
    let path = l.pathname().unwrap_or_default();
    let query = if kept.is_empty() {
        String::new()
    } else {
        format!("?{}", kept.join("&"))
    };
    if let Ok(h) = w.history() {
        let _ = h.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("{path}{query}{fragment}")),
        );
    }
}

fn query_prefix() -> String {
    let q = query();
    if q.is_empty() {
        String::new()
    } else {
        format!("?{q}")
    }
}

/// Today's date from the browser clock (the only place the app reads the clock).
pub fn today() -> Date {
    // `new Date()` is the system clock's time, always a valid one with a year that fits a u16
    // (JavaScript's dates end in the year 275760, the clock's "now" far before 65535): the
    // fallback is there for the type, not for a clock a user could have.
    crate::js_date::local_date(&js_sys::Date::new_0()).unwrap_or(Date {
        year: 2026,
        month: 1,
        day: 1,
    })
}

/// Runs `f` and returns its value and how long it took (ms), measured as `name` in the page's
/// User Timing: a `PerformanceMeasure` that the browser's performance panel and any
/// `PerformanceObserver` of the page see (the browser tests read the quick evaluations' so), and
/// that is cleared from the page's timeline at once, which therefore does not grow as one types.
pub fn measured<T>(name: &str, f: impl FnOnce() -> T) -> (T, f64) {
    let Some(performance) = web_sys::window().and_then(|w| w.performance()) else {
        let started = js_sys::Date::now();
        let value = f();
        return (value, js_sys::Date::now() - started);
    };
    let start = format!("{name}: start");
    let started = performance.now();
    // Marks and measures fail only for names the browser reserves (its own timing attributes).
    let marked = performance.mark(&start).is_ok();
    let value = f();
    let took = performance.now() - started;
    if marked {
        let _ = performance.measure_with_start_mark(name, &start);
        performance.clear_marks_with_mark_name(&start);
        performance.clear_measures_with_measure_name(name);
    }
    (value, took)
}

/// Offers `contents` as a file download named `name`.
pub fn download(name: &str, mime: &str, contents: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(contents));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "the browser could not prepare the file".to_string())?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| "the browser could not prepare the download".to_string())?;
    let document = gloo::utils::document();
    let anchor = document
        .create_element("a")
        .ok()
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        .ok_or_else(|| "the browser could not start the download".to_string())?;
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.set_class_name("hidden");
    if let Some(body) = document.body() {
        let _ = body.append_child(&anchor);
        anchor.click();
        let _ = body.remove_child(&anchor);
    }
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// Copies text to the clipboard; `true` once the browser says it did. `false` when it refuses
/// (no permission, the page not focused) or has no clipboard API (`navigator.clipboard` is
/// missing on a plain-http address other than localhost): the caller then shows the text to copy
/// by hand, and nothing is left unhandled in the console.
pub async fn copy_to_clipboard(text: &str) -> bool {
    let Some(w) = window() else {
        return false;
    };
    let member = |of: &wasm_bindgen::JsValue, name: &str| {
        js_sys::Reflect::get(of, &wasm_bindgen::JsValue::from_str(name))
            .ok()
            .filter(|v| !v.is_undefined() && !v.is_null())
    };
    let Some(clipboard) = member(&w.navigator(), "clipboard") else {
        return false;
    };
    if !member(&clipboard, "writeText").is_some_and(|f| f.is_function()) {
        return false;
    }
    let clipboard: web_sys::Clipboard = clipboard.unchecked_into();
    wasm_bindgen_futures::JsFuture::from(clipboard.write_text(text))
        .await
        .is_ok()
}

/// Focuses the text field `field` and selects its text, once the page has rendered it, so that
/// the user can copy it with one key; nothing happens when it is no longer in the page.
pub fn select_field(field: yew::NodeRef) {
    gloo::timers::callback::Timeout::new(0, move || {
        if let Some(field) = field
            .cast::<web_sys::HtmlInputElement>()
            .filter(|f| f.is_connected())
        {
            let _ = field.focus();
            field.select();
        }
    })
    .forget();
}

/// The event [`print`] sends before it opens the dialog: parts drawn only for print (the folded
/// break-evens) draw on it as on the browser's `beforeprint`.
pub const PRINT_EVENT: &str = "cal-calc-print";

/// Opens the browser's print dialog (the page has print CSS). The browser's `beforeprint` comes
/// from inside `print()`, where yew cannot draw before the page is laid out for print (review
/// 17: the Print button may have printed the folded break-evens empty), so the parts drawn for
/// print hear [`PRINT_EVENT`] first, and the dialog opens a moment later.
pub fn print() {
    let Some(w) = window() else { return };
    if let Ok(e) = web_sys::Event::new(PRINT_EVENT) {
        let _ = w.dispatch_event(&e);
    }
    gloo::timers::callback::Timeout::new(100, move || {
        let _ = w.print();
    })
    .forget();
}

/// Last resort after a panic: replaces nothing, adds a visible alert so the page is not dead.
pub fn show_fatal_message(detail: &str) {
    web_sys::console::error_1(&wasm_bindgen::JsValue::from_str(detail));
    let document = gloo::utils::document();
    if document.get_element_by_id("fatal").is_some() {
        return;
    }
    if let (Ok(p), Some(body)) = (document.create_element("div"), document.body()) {
        p.set_id("fatal");
        p.set_class_name("fatal");
        let _ = p.set_attribute("role", "alert");
        // An embed saves nothing (app.rs): its reload starts again from its first figures.
        let embed = document
            .query_selector(".app.embed")
            .ok()
            .flatten()
            .is_some();
        p.set_text_content(Some(if embed {
            "Something went wrong inside the calculator and it stopped. An embedded calculator \
             saves nothing: reloading the page starts it again from its first figures."
        } else {
            "Something went wrong inside the calculator and it stopped. Your estate is saved in \
             this browser: reload the page to continue. If it happens again, export the estate \
             file and report the problem with it."
        }));
        let _ = body.prepend_with_node_1(&p);
    }
}

/// After an "Add …" button adds a row to its list, moves the keyboard focus to the new row's first
/// field (QA: it stayed on the button, and a keyboard user had to find the new row). `rows`
/// selects the list's rows within the button's fieldset; nothing moves when no row was added.
pub fn focus_added_row(event: &web_sys::MouseEvent, rows: &'static str) {
    let Some(fieldset) = event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|b| b.closest("fieldset").ok().flatten())
    else {
        return;
    };
    let before = fieldset.query_selector_all(rows).map_or(0, |l| l.length());
    let from = active_element();
    focus_when_added(fieldset, rows, before, from, 0);
}

/// Moves the keyboard focus to the first of the elements with these ids that is on the page;
/// whether one took it.
pub fn focus_first(ids: &[impl AsRef<str>]) -> bool {
    let Some(document) = window().and_then(|w| w.document()) else {
        return false;
    };
    ids.iter()
        .find_map(|id| {
            document
                .get_element_by_id(id.as_ref())?
                .dyn_into::<web_sys::HtmlElement>()
                .ok()
        })
        .is_some_and(|el| el.focus().is_ok())
}

/// Moves the keyboard focus to the first of these elements on the page once the render under
/// way has come (a button that goes once pressed loses no place).
pub fn focus_soon(ids: Vec<String>) {
    gloo::timers::callback::Timeout::new(0, move || {
        focus_first(&ids);
    })
    .forget();
}

/// Whether the keyboard focus is on nothing in particular: the page's body, where it falls when
/// the element that held it leaves the page.
pub fn focus_lost() -> bool {
    active_element().is_none()
}

/// The element that has the keyboard focus, if any but the page's body.
fn active_element() -> Option<web_sys::Element> {
    let doc = window()?.document()?;
    doc.active_element()
        .filter(|e| doc.body().is_none_or(|b| !b.is_same_node(Some(e))))
}

/// Once yew has rendered the new row, focuses its first field. The render may come after
/// several tasks (UI review 17: with the sample loaded, the edit's evaluation took about 100 ms
/// and the row came after a single zero-delay timeout had looked for it), so this looks again
/// every 25 ms, for at most two seconds. The focus moves only from where it was when the button
/// was clicked (`from`): a user who went on to another field meanwhile keeps it (race review 29:
/// the new row took the focus, its text selected, from a field the user was typing in).
fn focus_when_added(
    fieldset: web_sys::Element,
    rows: &'static str,
    before: u32,
    from: Option<web_sys::Element>,
    tries: u32,
) {
    let delay = if tries == 0 { 0 } else { 25 };
    gloo::timers::callback::Timeout::new(delay, move || {
        let now = active_element();
        let moved = match (&now, &from) {
            (Some(now), Some(from)) => !now.is_same_node(Some(from)),
            (Some(_), None) => true,
            (None, _) => false,
        };
        if moved {
            return;
        }
        let list = match fieldset.query_selector_all(rows) {
            Ok(l) if l.length() > before => l,
            _ => {
                if tries < 80 {
                    focus_when_added(fieldset, rows, before, from, tries + 1);
                }
                return;
            }
        };
        if let Some(field) = list
            .get(list.length() - 1)
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            .and_then(|row| {
                row.query_selector("input:not([type=hidden]), select, textarea")
                    .ok()
                    .flatten()
            })
            .and_then(|f| f.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = field.focus();
            // A new row's name ("New group") is a placeholder to type over (review 18: typing
            // gave "New groupTemp").
            if let Some(input) = field.dyn_ref::<web_sys::HtmlInputElement>() {
                if input.type_() == "text" {
                    input.select();
                }
            }
        }
    })
    .forget();
}

/// The entries in `editor` that could not be used, as "Employees: “4200x” is not a number. The
/// result still uses 420.": each invalid field's label and its message.
pub fn invalid_entries(editor: Option<web_sys::Element>) -> Vec<String> {
    let (Some(doc), Some(editor)) = (window().and_then(|w| w.document()), editor) else {
        return Vec::new();
    };
    let Ok(list) = editor.query_selector_all("[aria-invalid=\"true\"]") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for i in 0..list.length() {
        let Some(el) = list
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        else {
            continue;
        };
        let id = el.id();
        let label = doc
            .query_selector(&format!("label[for=\"{id}\"]"))
            .ok()
            .flatten()
            .and_then(|l| l.text_content())
            .unwrap_or_default();
        let message = doc
            .get_element_by_id(&format!("{id}-error"))
            .and_then(|m| m.text_content())
            .unwrap_or_default();
        if !message.is_empty() {
            out.push(format!("{}: {message}", label.trim()));
        }
    }
    out
}

/// The form of a build's engine entry, `calc-<16 hex digits>.js` (scripts/post-build.mjs): the
/// only value [`module_worker`] passes to a worker, and the only one the workers import.
pub fn is_engine_entry(name: &str) -> bool {
    name.strip_prefix("calc-")
        .and_then(|rest| rest.strip_suffix(".js"))
        .is_some_and(|hash| {
            hash.len() == 16
                && hash
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        })
}

/// This page's build's engine entry (`calc-<hash>.js`, calc.js's hashed twin), which the build's
/// `app.js` puts on the page as `data-engine` on `<html>`; `None` without one of that form.
pub fn engine_entry() -> Option<String> {
    window()?
        .document()?
        .document_element()?
        .get_attribute("data-engine")
        .filter(|name| is_engine_entry(name))
}

/// Starts the module worker `script` (`./evaluate-worker.js`, `./import-worker.js`) with this
/// page's own build of the engine module: the worker is given the build's engine entry
/// ([`engine_entry`]) as its name and imports that, never the stable `calc.js`. The page stays
/// on the build it loaded until it is reloaded, while `calc.js` (fetched network-first by the
/// service worker) is the newest deploy's: a worker started after a deploy loaded the new engine,
/// and one result mixed the old build's quick figures with the new one's full figures (life
/// review). The name, not a query parameter, keeps the worker's address the stable script's.
/// Without an entry (a page not built by scripts/post-build.mjs) the worker loads `calc.js`.
pub fn module_worker(script: &str) -> Result<web_sys::Worker, wasm_bindgen::JsValue> {
    let options = web_sys::WorkerOptions::new();
    options.set_type(web_sys::WorkerType::Module);
    if let Some(entry) = engine_entry() {
        options.set_name(&entry);
    }
    web_sys::Worker::new_with_options(script, &options)
}
