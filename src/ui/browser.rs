//! The few browser services the app uses: local storage (autosave), the URL (share links, embed
//! parameters), downloads, the clipboard, printing and the clock (the engine never reads it; the app
//! passes "today" in). Every call degrades to a message, never a panic: storage may be disabled,
//! the clipboard refused.

use crate::estate::Date;
use wasm_bindgen::JsCast;

/// Where the estate is autosaved in this browser.
pub const STORAGE_KEY: &str = "cal-calc.estate.v1";

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

fn storage() -> Option<web_sys::Storage> {
    window()?.local_storage().ok().flatten()
}

/// The autosaved estate JSON, if any.
pub fn load_saved() -> Option<String> {
    storage()?.get_item(STORAGE_KEY).ok().flatten()
}

/// Saves the estate JSON; `false` when the browser refuses (private mode, quota).
pub fn save(json: &str) -> bool {
    storage()
        .map(|s| s.set_item(STORAGE_KEY, json).is_ok())
        .unwrap_or(false)
}

/// Forgets the autosaved estate.
pub fn clear_saved() {
    if let Some(s) = storage() {
        let _ = s.remove_item(STORAGE_KEY);
    }
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
    let d = js_sys::Date::new_0();
    let (y, m, day) = (d.get_full_year(), d.get_month() + 1, d.get_date());
    Date::new(y as u16, m as u8, day as u8).unwrap_or(Date {
        year: 2026,
        month: 1,
        day: 1,
    })
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

/// Copies text to the clipboard (asynchronously; failure is silent because the text is also shown
/// in a field the user can copy from).
pub fn copy_to_clipboard(text: &str) {
    if let Some(w) = window() {
        let clipboard = w.navigator().clipboard();
        let _ = clipboard.write_text(text);
    }
}

/// Opens the browser's print dialog (the page has print CSS).
pub fn print() {
    if let Some(w) = window() {
        let _ = w.print();
    }
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
        p.set_text_content(Some(
            "Something went wrong inside the calculator and it stopped. Your estate is saved in \
             this browser: reload the page to continue. If it happens again, export the estate \
             file and report the problem with it.",
        ));
        let _ = body.prepend_with_node_1(&p);
    }
}
