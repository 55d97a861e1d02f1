//! What the app keeps in this browser's storage, run in headless Chromium:
//! `cargo test --target wasm32-unknown-unknown --test web_storage` (after `. scripts/env.sh`).
//! A saved estate this version cannot read is never saved over without being kept; another tab's
//! save is shown or kept, never silently lost; a currency switch never drops a price's digits.
//! Each test renders the app as a visitor gets it (from storage) and unmounts it at the end, so
//! no app of an earlier test reacts to a later test's storage events.
#![cfg(target_arch = "wasm32")]

use cal_calc::estate::{CalProduct, Date, Estate, LicenceKind, PriceItem};
use cal_calc::ui::app::{sample_estate, App, AppProps};
use cal_calc::ui::browser::{self, STORAGE_KEY, UNREADABLE_KEY};
use cal_calc::ui::state::{Action, AppState, Edit, Origin, QuickField, QuickView};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement};
use yew::Reducible;

wasm_bindgen_test_configure!(run_in_browser);

const TODAY: Date = Date {
    year: 2026,
    month: 6,
    day: 1,
};

/// What a newer calculator might have saved: this version refuses `format_version` 2.
const NEWER: &str =
    r#"{"format_version":2,"name":"ACME real estate — 3 weeks of work","groups":[]}"#;

fn sample() -> Estate {
    sample_estate().expect("the built-in sample parses")
}

fn storage() -> web_sys::Storage {
    web_sys::window()
        .expect("window")
        .local_storage()
        .expect("storage")
        .expect("local storage")
}

fn stored() -> Option<String> {
    storage().get_item(STORAGE_KEY).expect("read")
}

/// Starts from an empty storage (no saved estate, nothing kept aside).
fn clear_storage() {
    let s = storage();
    let _ = s.remove_item(STORAGE_KEY);
    for kept in browser::kept_aside() {
        let _ = s.remove_item(&kept.key);
    }
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    yew::scheduler::flush().await;
}

/// Renders the app as a visitor gets it: from what is saved in this browser.
async fn render_from_storage() -> (Element, yew::AppHandle<App>) {
    let document = gloo::utils::document();
    let root = document.create_element("div").expect("div");
    document
        .body()
        .expect("body")
        .append_child(&root)
        .expect("append");
    let handle = yew::Renderer::<App>::with_root_and_props(
        root.clone(),
        AppProps {
            estate: None,
            today: Some(TODAY),
            slow_quick_ms: Some(f64::INFINITY),
        },
    )
    .render();
    yew::scheduler::flush().await;
    (root, handle)
}

/// Unmounts the app (its last autosave runs then) and empties the storage after it.
async fn unmount(root: Element, handle: yew::AppHandle<App>) {
    handle.destroy();
    sleep(50).await;
    root.remove();
    clear_storage();
}

fn find(root: &Element, selector: &str) -> Option<Element> {
    root.query_selector(selector).ok().flatten()
}

fn text(root: &Element, selector: &str) -> String {
    find(root, selector)
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

fn input_value(root: &Element, selector: &str) -> String {
    find(root, selector)
        .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
        .map(|i| i.value())
        .unwrap_or_default()
}

async fn type_into(root: &Element, selector: &str, value: &str) {
    let input: HtmlInputElement = find(root, selector)
        .expect("input present")
        .dyn_into()
        .expect("an input");
    input.set_value(value);
    let init = web_sys::InputEventInit::new();
    init.set_bubbles(true);
    let event = web_sys::InputEvent::new_with_event_init_dict("input", &init).expect("event");
    input.dispatch_event(&event).expect("dispatch");
    yew::scheduler::flush().await;
}

async fn click_button(root: &Element, label: &str) {
    let all = root.query_selector_all("button").expect("query");
    let button = (0..all.length())
        .filter_map(|k| all.item(k))
        .filter_map(|n| n.dyn_into::<HtmlElement>().ok())
        .find(|b| b.text_content().as_deref() == Some(label))
        .unwrap_or_else(|| panic!("a “{label}” button"));
    button.click();
    yew::scheduler::flush().await;
}

/// What the browser does in this tab when another tab of the same site saves `json`.
async fn other_tab_saves(json: &str) {
    storage().set_item(STORAGE_KEY, json).expect("write");
    let init = web_sys::StorageEventInit::new();
    init.set_key(Some(STORAGE_KEY));
    init.set_new_value(Some(json));
    let event = web_sys::StorageEvent::new_with_event_init_dict("storage", &init).expect("event");
    web_sys::window()
        .expect("window")
        .dispatch_event(&event)
        .expect("dispatch");
    yew::scheduler::flush().await;
}

fn with_quick(mut e: Estate, field: QuickField, n: u32) -> Estate {
    Edit::SetQuick(field, n).apply(&mut e);
    e
}

fn quick(e: &Estate, field: QuickField) -> u32 {
    QuickView::of(e).value(e, field)
}

fn saved_estate() -> Estate {
    cal_calc::share::from_file(&stored().expect("an estate is saved")).expect("it is readable")
}

#[wasm_bindgen_test]
async fn an_unreadable_saved_estate_is_kept_until_an_edit_and_then_set_aside_and_offered() {
    clear_storage();
    storage().set_item(STORAGE_KEY, NEWER).expect("write");
    let (root, handle) = render_from_storage().await;
    // Well past the autosave delay: the sample shown instead must not have been saved over it.
    sleep(900).await;
    assert_eq!(
        stored().as_deref(),
        Some(NEWER),
        "the saved value is untouched"
    );
    assert!(
        text(&root, "[data-testid=notice]").contains("It is kept"),
        "the notice says the saved estate is kept: {}",
        text(&root, "[data-testid=notice]")
    );
    let offer = text(&root, "[data-testid=unreadable-saved]");
    assert!(
        offer.contains("Download the unreadable saved estate"),
        "Keep and share offers it as a file: {offer}"
    );
    assert_eq!(
        browser::unreadable_saved(),
        vec![(UNREADABLE_KEY.to_string(), NEWER.to_string())]
    );

    // The user edits: the edit is saved, and the unreadable estate is still kept.
    type_into(&root, "#q-employees", "77").await;
    sleep(900).await;
    assert_eq!(quick(&saved_estate(), QuickField::Employees), 77);
    assert_eq!(
        storage().get_item(UNREADABLE_KEY).expect("read").as_deref(),
        Some(NEWER)
    );
    unmount(root, handle).await;
}

#[wasm_bindgen_test]
fn a_save_over_an_unreadable_value_keeps_it_first_and_never_overwrites_a_kept_one() {
    clear_storage();
    let json = cal_calc::share::to_file(&sample()).expect("serialises");
    for bad in ["{not json", NEWER] {
        storage().set_item(STORAGE_KEY, bad).expect("write");
        assert!(browser::save(&json));
        assert_eq!(stored().as_deref(), Some(json.as_str()));
    }
    let kept: Vec<String> = browser::unreadable_saved()
        .into_iter()
        .map(|(_, v)| v)
        .collect();
    assert_eq!(kept, vec!["{not json".to_string(), NEWER.to_string()]);
    // The same value again is not kept twice; a readable one is not kept at all.
    storage().set_item(STORAGE_KEY, NEWER).expect("write");
    assert!(browser::save(&json));
    assert!(browser::save(&json));
    assert_eq!(browser::unreadable_saved().len(), 2);
    clear_storage();
}

#[wasm_bindgen_test]
async fn another_tabs_save_is_shown_when_this_tab_has_no_unsaved_edits() {
    clear_storage();
    let mine = sample();
    assert!(browser::save(
        &cal_calc::share::to_file(&mine).expect("serialises")
    ));
    let (root, handle) = render_from_storage().await;
    sleep(600).await;
    let theirs = with_quick(mine.clone(), QuickField::Employees, 1111);
    other_tab_saves(&cal_calc::share::to_file(&theirs).expect("serialises")).await;
    assert_eq!(input_value(&root, "#q-employees"), "1111");
    let notice = text(&root, "[data-testid=notice]");
    assert!(
        notice.contains("changed in another tab; showing the latest"),
        "{notice}"
    );
    // Nothing this tab showed is lost: it is one click away.
    click_button(&root, "Restore the previous estate").await;
    assert_eq!(
        input_value(&root, "#q-employees"),
        quick(&mine, QuickField::Employees).to_string()
    );
    unmount(root, handle).await;
}

#[wasm_bindgen_test]
async fn this_tabs_unsaved_edit_is_saved_and_the_other_tabs_save_is_kept_to_restore() {
    clear_storage();
    let mine = sample();
    assert!(browser::save(
        &cal_calc::share::to_file(&mine).expect("serialises")
    ));
    let (root, handle) = render_from_storage().await;
    sleep(600).await;
    // An edit not yet saved (the autosave waits for a pause in typing)…
    type_into(&root, "#q-external", "2222").await;
    // …when another tab saves its own edit.
    let theirs = with_quick(mine.clone(), QuickField::Employees, 1111);
    other_tab_saves(&cal_calc::share::to_file(&theirs).expect("serialises")).await;
    assert_eq!(input_value(&root, "#q-external"), "2222");
    assert_eq!(quick(&saved_estate(), QuickField::ExternalUsers), 2222);
    let notice = text(&root, "[data-testid=notice]");
    assert!(notice.contains("also changed in another tab"), "{notice}");
    click_button(&root, "Restore the previous estate").await;
    assert_eq!(input_value(&root, "#q-employees"), "1111");
    unmount(root, handle).await;
}

const WS_USER: PriceItem = PriceItem {
    product: CalProduct::WindowsServer,
    kind: LicenceKind::UserCal,
};

fn price(state: &AppState, item: PriceItem) -> Option<i64> {
    state
        .estate
        .organisation
        .prices
        .iter()
        .find(|p| p.item == item)
        .map(|p| p.amount_minor)
}

fn edit(state: Rc<AppState>, e: Edit) -> Rc<AppState> {
    state.reduce(Action::Edit(e))
}

#[wasm_bindgen_test]
fn a_currency_round_trip_keeps_every_digit_of_a_price() {
    let mut state = Rc::new(AppState::new(sample(), Origin::Sample));
    state = edit(state, Edit::SetCurrency("USD".into()));
    state = edit(state, Edit::SetPrice(WS_USER, Some(1249)));
    let before: Vec<_> = state.estate.organisation.prices.clone();
    // Yen have no cents: 12.49 is shown as 12 …
    state = edit(state, Edit::SetCurrency("JPY".into()));
    assert_eq!(price(&state, WS_USER), Some(12));
    // … and comes back exactly, also by way of a currency with more decimals.
    state = edit(state, Edit::SetCurrency("KWD".into()));
    assert_eq!(price(&state, WS_USER), Some(12_490));
    state = edit(state, Edit::SetCurrency("JPY".into()));
    state = edit(state, Edit::SetCurrency("USD".into()));
    assert_eq!(price(&state, WS_USER), Some(1249));
    assert_eq!(state.estate.organisation.prices, before);
    assert_eq!(state.estate.organisation.currency, "USD");

    // A price the user typed in yen is theirs: switching back does not bring the old one.
    state = edit(state, Edit::SetCurrency("JPY".into()));
    state = edit(state, Edit::SetPrice(WS_USER, Some(15)));
    state = edit(state, Edit::SetCurrency("USD".into()));
    assert_eq!(price(&state, WS_USER), Some(1500));
}

#[wasm_bindgen_test]
fn only_prices_a_currency_cannot_hold_count_as_rounded() {
    let prices = vec![
        cal_calc::estate::PriceOverride {
            item: WS_USER,
            amount_minor: 1249,
        },
        cal_calc::estate::PriceOverride {
            item: PriceItem {
                product: CalProduct::WindowsServer,
                kind: LicenceKind::DeviceCal,
            },
            amount_minor: 4500,
        },
    ];
    assert_eq!(
        cal_calc::ui::state::prices_rounded_by(&prices, "USD", "JPY"),
        vec![(WS_USER, 1249, 12)]
    );
    assert!(cal_calc::ui::state::prices_rounded_by(&prices, "USD", "EUR").is_empty());
    assert!(cal_calc::ui::state::prices_rounded_by(&prices, "USD", "KWD").is_empty());
}

#[wasm_bindgen_test]
async fn the_currency_choice_says_prices_are_not_converted() {
    clear_storage();
    let (root, handle) = render_from_storage().await;
    let hint = text(&root, "#currency-hint");
    assert!(
        hint.contains("converts nothing") && hint.contains("keep their numbers"),
        "{hint}"
    );
    let select = find(&root, "#currency").expect("currency select");
    assert_eq!(
        select.get_attribute("aria-describedby").as_deref(),
        Some("currency-hint")
    );
    unmount(root, handle).await;
}

/// Three servers, two of them with the same name, all reached by the staff.
const THREE_SERVERS: &str = r#"{ "groups": [{ "id": "staff", "count": 30, "devices_each": 1 }],
    "servers": [{ "id": "fs1", "name": "File server", "product": "windows-server", "version": "2022" },
                { "id": "fs2", "name": "File server", "product": "windows-server", "version": "2022" },
                { "id": "dc1", "name": "Domain controller", "product": "windows-server", "version": "2022" }],
    "access": [{ "groups": ["staff"], "servers": ["fs1", "fs2", "dc1"] }] }"#;

#[track_caller]
fn notice_of(state: &AppState) -> (String, bool) {
    let n = state.notice.clone().expect("a notice");
    (n.text, n.offer_undo)
}

/// Removals in a row are undone one by one, most recent first, each notice saying what the next
/// Undo brings back; undoing them all gives exactly the estate before the first.
#[wasm_bindgen_test]
fn removals_in_a_row_are_undone_most_recent_first() {
    let estate = sample();
    let host = estate
        .servers
        .iter()
        .position(|s| {
            estate
                .servers
                .iter()
                .any(|v| v.host.as_deref() == Some(s.id.as_str()))
        })
        .expect("the sample has a host with VMs");
    let host_name = estate.servers[host].name.clone();
    let start = Rc::new(AppState::new(estate.clone(), Origin::Sample));
    let one = edit(start, Edit::RemoveHolding(0));
    let two = edit(one.clone(), Edit::RemoveAccess(0));
    let three = edit(two.clone(), Edit::RemoveServer(host));
    assert_eq!(three.undo.len(), 3);
    let (text, offer) = notice_of(&three);
    assert!(offer && text.starts_with("Removed server"), "{text}");

    let back = three.reduce(Action::Undo);
    assert_eq!(back.estate, two.estate);
    let (text, offer) = notice_of(&back);
    assert!(offer, "Undo is offered again for the removal before");
    assert_eq!(
        text,
        format!(
            "The removal of server “{host_name}” was undone. Undo again brings back access rule 1."
        )
    );
    let back = back.reduce(Action::Undo);
    assert_eq!(back.estate, one.estate);
    let (text, offer) = notice_of(&back);
    assert!(
        offer
            && text.starts_with(
                "The removal of access rule 1 was undone. Undo again brings back owned "
            ),
        "{text}"
    );
    let back = back.reduce(Action::Undo);
    assert_eq!(*back.estate, estate);
    assert!(back.undo.is_none());
    let (text, offer) = notice_of(&back);
    assert!(
        !offer && text.starts_with("The removal of owned ") && text.ends_with(" was undone."),
        "{text}"
    );
    // Nothing more to undo: another Undo changes nothing.
    assert_eq!(back.clone().reduce(Action::Undo).estate, back.estate);
}

/// Review 18: another tab's save, shown here, took Undo away, so a server removed here could not
/// be brought back in either tab. It stays undoable (to the estate as this tab had it), and the
/// estate shown before the save is still offered back.
#[wasm_bindgen_test]
fn another_tabs_save_keeps_this_tabs_removals_undoable() {
    let estate = Estate::from_json(THREE_SERVERS).expect("valid estate");
    let start = Rc::new(AppState::new(estate.clone(), Origin::Sample));
    let removed = edit(start, Edit::RemoveServer(0));
    let theirs = with_quick((*removed.estate).clone(), QuickField::Employees, 1111);
    let shown = removed.reduce(Action::FromOtherTab(Box::new(theirs.clone())));
    assert_eq!(*shown.estate, theirs);
    let n = shown.notice.clone().expect("a notice");
    assert!(
        n.offer_undo
            && n.offer_restore
            && n.text
                .starts_with("This estate was changed in another tab; showing the latest.")
            && n.text.contains("Undo brings back server"),
        "{n:?}"
    );
    let back = shown.reduce(Action::Undo);
    assert_eq!(*back.estate, estate);
    // Without a removal to undo, only Restore is offered.
    let start = Rc::new(AppState::new(estate.clone(), Origin::Sample));
    let shown = start.reduce(Action::FromOtherTab(Box::new(theirs)));
    let n = shown.notice.clone().expect("a notice");
    assert!(!n.offer_undo && n.offer_restore, "{n:?}");
    assert_eq!(shown.previous.as_deref(), Some(&estate));
}

/// Life review 24: a tab that only followed another tab's saves replaced the estate kept for
/// Restore with one the other tab had opened (the week's work, 555, kept when the other tab
/// opened a colleague's link, was lost at that tab's next save). Following twice keeps the
/// estate kept before; once this tab edits, what it shows is its own and is kept at the next.
#[wasm_bindgen_test]
fn a_tab_that_only_followed_keeps_the_estate_kept_before() {
    let mine = Estate::from_json(THREE_SERVERS).expect("valid estate");
    let start = Rc::new(AppState::new(mine.clone(), Origin::Sample));
    let link = with_quick(mine.clone(), QuickField::Employees, 901);
    let first = start.reduce(Action::FromOtherTab(Box::new(link.clone())));
    assert_eq!(first.previous.as_deref(), Some(&mine));
    let edited = with_quick(link.clone(), QuickField::Employees, 950);
    let second = first.reduce(Action::FromOtherTab(Box::new(edited.clone())));
    assert_eq!(*second.estate, edited);
    assert_eq!(
        second.previous.as_deref(),
        Some(&mine),
        "the work kept before"
    );
    let n = second.notice.clone().expect("a notice");
    assert!(
        n.offer_restore
            && n.text
                .ends_with("The estate kept for Restore is still the one kept before."),
        "{n:?}"
    );
    // An edit here: the estate shown is this tab's own, and the next follow keeps it.
    let own = edit(second, Edit::RemoveServer(0));
    let ours = (*own.estate).clone();
    let theirs = with_quick(edited, QuickField::Employees, 960);
    let third = own.reduce(Action::FromOtherTab(Box::new(theirs)));
    assert_eq!(third.previous.as_deref(), Some(&ours));
}

/// Security review 40: a page that opened this calculator at one share link, then moved it to
/// another, left the user's own estate neither shown nor kept for Restore (the first link's
/// estate took its place). An estate a link opened, unedited, stays at its link: the work kept
/// before stays kept. Once the user edits the opened estate, it is theirs and is kept in turn.
#[wasm_bindgen_test]
fn opening_a_link_over_an_unedited_link_keeps_the_work_kept_before() {
    let mine = Estate::from_json(THREE_SERVERS).expect("valid estate");
    let open = |state: Rc<AppState>, estate: &Estate| {
        state.reduce(Action::Open {
            estate: Box::new(estate.clone()),
            origin: Origin::ShareLink,
            mode: None,
            text: "Opened the estate from the share link.".into(),
        })
    };
    let start = Rc::new(AppState::new(mine.clone(), Origin::Saved));
    let a = with_quick(mine.clone(), QuickField::Employees, 901);
    let b = with_quick(mine.clone(), QuickField::Employees, 902);
    let first = open(start, &a);
    assert_eq!(first.previous.as_deref(), Some(&mine));
    // Another tab (or frame) opening the next link: this one follows and keeps the work too.
    let followed = first
        .clone()
        .reduce(Action::FromOtherTab(Box::new(b.clone())));
    assert_eq!(followed.previous.as_deref(), Some(&mine));
    let second = open(first, &b);
    assert_eq!(*second.estate, b);
    assert_eq!(second.previous.as_deref(), Some(&mine), "the user's work");
    let n = second.notice.clone().expect("a notice");
    assert!(
        n.offer_restore
            && n.text.ends_with(
                "The estate kept for Restore is still the one you had before the link or example opened earlier."
            ),
        "{n:?}"
    );
    let restored = second.reduce(Action::RestorePrevious);
    assert_eq!(*restored.estate, mine);

    // Edited, the opened estate is the user's work: the next link keeps it.
    let edited = edit(
        open(Rc::new(AppState::new(mine.clone(), Origin::Saved)), &a),
        Edit::RemoveServer(0),
    );
    let ours = (*edited.estate).clone();
    let third = open(edited, &b);
    assert_eq!(third.previous.as_deref(), Some(&ours));
}

/// No edit made after a removal is lost to Undo: an edit ends the chance to undo the removals
/// before it, and Undo of a later removal keeps it. Loads and dismissal end it too.
#[wasm_bindgen_test]
fn no_edit_after_a_removal_is_lost_to_undo() {
    let estate = Estate::from_json(THREE_SERVERS).expect("valid estate");
    let start = Rc::new(AppState::new(estate.clone(), Origin::Sample));
    let two = edit(
        edit(start.clone(), Edit::RemoveServer(0)),
        Edit::RemoveServer(0),
    );
    assert_eq!(two.undo.len(), 2);

    // An edit after two removals: nothing left to undo, and Undo keeps the edit.
    let named = edit(two.clone(), Edit::SetName("Renamed".into()));
    assert!(named.undo.is_none() && named.notice.is_none());
    let undone = named.clone().reduce(Action::Undo);
    assert_eq!(undone.estate.name, "Renamed");
    assert_eq!(undone.estate, named.estate);

    // Removal, edit, removal: Undo brings back the second removal only, with the edit.
    let one = edit(start.clone(), Edit::RemoveServer(0));
    let edited = edit(one, Edit::SetQuick(QuickField::Employees, 31));
    let removed = edit(edited.clone(), Edit::RemoveServer(0));
    assert_eq!(removed.undo.len(), 1);
    let undone = removed.reduce(Action::Undo);
    assert_eq!(undone.estate, edited.estate);
    assert_eq!(quick(&undone.estate, QuickField::Employees), 31);
    assert!(undone.undo.is_none());
    assert!(!notice_of(&undone).1, "no further Undo is offered");

    // Switching the editor is no edit: both removals can still be undone.
    let switched = two
        .clone()
        .reduce(Action::SetMode(cal_calc::ui::state::Mode::Detailed));
    assert_eq!(switched.undo.len(), 2);

    // Another estate loaded, restored, set aside by another tab, or the notice dismissed:
    // nothing to undo.
    for after in [
        two.clone()
            .reduce(Action::Load(Box::new(sample()), Origin::ShareLink)),
        two.clone()
            .reduce(Action::Load(Box::new(sample()), Origin::Import)),
        two.clone()
            .reduce(Action::Load(Box::new(sample()), Origin::File))
            .reduce(Action::Edit(Edit::RemoveServer(0)))
            .reduce(Action::RestorePrevious),
        two.clone().reduce(Action::SetAside(
            Box::new(sample()),
            cal_calc::ui::state::Notice::info("Kept."),
        )),
        two.clone().reduce(Action::Dismiss),
    ] {
        assert!(after.undo.is_none());
        assert_eq!(after.clone().reduce(Action::Undo).estate, after.estate);
    }
}

/// The history keeps the last twenty removals, so memory cannot grow without end; Undo brings
/// those back, and the older ones stay removed.
#[wasm_bindgen_test]
fn the_undo_history_keeps_the_last_twenty_removals() {
    let mut estate = Estate::from_json(THREE_SERVERS).expect("valid estate");
    let model = estate.servers[0].clone();
    estate.servers = (0..25)
        .map(|k| cal_calc::estate::Server {
            id: format!("s{k}"),
            name: format!("Server {k}"),
            ..model.clone()
        })
        .collect();
    estate.access[0].servers = estate.servers.iter().map(|s| s.id.clone()).collect();
    let mut state = Rc::new(AppState::new(estate, Origin::Sample));
    let mut after_five = state.clone();
    for k in 0..25 {
        state = edit(state, Edit::RemoveServer(0));
        if k == 4 {
            after_five = state.clone();
        }
    }
    assert!(state.estate.servers.is_empty());
    assert_eq!(state.undo.len(), cal_calc::ui::state::UndoHistory::LIMIT);
    for _ in 0..21 {
        state = state.reduce(Action::Undo);
    }
    assert_eq!(state.estate, after_five.estate);
    assert_eq!(state.estate.servers[0].name, "Server 5");
    assert!(state.undo.is_none());
}

fn active_testid() -> Option<String> {
    gloo::utils::document()
        .active_element()
        .and_then(|e| e.get_attribute("data-testid"))
}

/// The first Remove button, focused and pressed as from the keyboard.
async fn remove_first_server(root: &Element) {
    let button: HtmlElement = find(root, "button.remove")
        .expect("a Remove button")
        .dyn_into()
        .expect("a button");
    button.focus().expect("focus");
    button.click();
    yew::scheduler::flush().await;
    // The notice moves focus after a 0 ms timeout.
    sleep(20).await;
}

/// Two removals in a row, then Undo twice from the focused Undo button: both servers are back,
/// and the estate saved in this browser is byte for byte the one before both removals. Focus
/// goes to Undo after each removal (even when both notices read the same) and stays there
/// while there is more to undo.
#[wasm_bindgen_test]
async fn undo_twice_saves_the_estate_as_it_was_before_both_removals() {
    clear_storage();
    let estate = Estate::from_json(THREE_SERVERS).expect("valid estate");
    assert!(browser::save(
        &cal_calc::share::to_file(&estate).expect("serialises")
    ));
    let (root, handle) = render_from_storage().await;
    sleep(600).await;
    let before = stored().expect("saved");

    remove_first_server(&root).await;
    assert_eq!(
        text(&root, "[data-testid=notice] p"),
        "Removed server “File server”."
    );
    assert_eq!(active_testid().as_deref(), Some("undo"), "focus on Undo");
    remove_first_server(&root).await;
    assert_eq!(
        text(&root, "[data-testid=notice] p"),
        "Removed server “File server”."
    );
    assert_eq!(
        active_testid().as_deref(),
        Some("undo"),
        "focus on Undo again, not on the next Remove button"
    );
    assert_eq!(input_value(&root, "#q-server-0-name"), "Domain controller");
    sleep(900).await;
    assert_ne!(stored().as_deref(), Some(before.as_str()));

    let undo: HtmlElement = find(&root, "[data-testid=undo]")
        .expect("Undo")
        .dyn_into()
        .expect("a button");
    undo.click();
    yew::scheduler::flush().await;
    sleep(20).await;
    assert_eq!(
        text(&root, "[data-testid=notice] p"),
        "The removal of server “File server” was undone. Undo again brings back server “File server”."
    );
    assert_eq!(
        active_testid().as_deref(),
        Some("undo"),
        "focus stays on Undo"
    );
    assert_eq!(input_value(&root, "#q-server-0-name"), "File server");
    assert_eq!(input_value(&root, "#q-server-1-name"), "Domain controller");

    let undo: HtmlElement = find(&root, "[data-testid=undo]")
        .expect("Undo is still offered")
        .dyn_into()
        .expect("a button");
    undo.click();
    yew::scheduler::flush().await;
    sleep(20).await;
    assert!(find(&root, "[data-testid=undo]").is_none());
    assert_eq!(
        text(&root, "[data-testid=notice] p"),
        "The removal of server “File server” was undone."
    );
    let in_notice = gloo::utils::document()
        .active_element()
        .is_some_and(|e| e.closest("[data-testid=notice]").ok().flatten().is_some());
    assert!(in_notice, "focus stays in the notice");
    assert_eq!(input_value(&root, "#q-server-2-name"), "Domain controller");
    sleep(900).await;
    assert_eq!(stored(), Some(before));
    unmount(root, handle).await;
}

/// Quick mode's "Start empty" removes everyone, every server and holding of the sample (whose
/// hidden parts otherwise kept counting in a firm typed over it, QA), and the sample's own made-up
/// prices (review 20: they then priced SharePoint CALs as "your own"); keeps the currency and the
/// prices typed since, and is undone like any removal.
#[wasm_bindgen_test]
fn start_empty_clears_the_estate_but_not_the_prices_and_can_be_undone() {
    let mut estate = sample();
    let item = PriceItem {
        product: CalProduct::WindowsServer,
        kind: LicenceKind::UserCal,
    };
    estate.organisation.prices.retain(|p| p.item != item);
    estate
        .organisation
        .prices
        .push(cal_calc::estate::PriceOverride {
            item,
            amount_minor: 4_100,
        });
    let start = Rc::new(AppState::new(estate.clone(), Origin::Sample));
    let empty = edit(start, Edit::StartEmpty);
    let e = &empty.estate;
    assert!(e.groups.is_empty() && e.servers.is_empty() && e.holdings.is_empty());
    assert!(e.access.is_empty() && e.shared_devices.is_empty() && e.usage.is_none());
    assert_eq!(e.organisation.m365, Default::default());
    assert_eq!(price(&empty, item), Some(4_100));
    assert_eq!(
        e.organisation.prices.len(),
        1,
        "{:?}",
        e.organisation.prices
    );
    let sample_prices = sample().organisation.prices.len();
    assert!(sample_prices > 0);
    assert_eq!(e.organisation.currency, estate.organisation.currency);
    let (text, offer) = notice_of(&empty);
    assert!(offer, "Undo is offered");
    assert!(
        text.starts_with(&format!(
            "Removed everything entered ({} groups, ",
            estate.groups.len()
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!("{sample_prices} prices of the sample")),
        "{text}"
    );
    assert!(QuickView::of(e).shows_all(e));
    let back = empty.clone().reduce(Action::Undo);
    assert_eq!(*back.estate, estate);
    // Nothing to remove: no edit, no notice.
    let again = edit(empty.clone(), Edit::StartEmpty);
    assert_eq!(again.revision, empty.revision);
}

/// A Windows Server switched to Exchange or SQL Server keeps running on that Windows Server, so
/// its users still need Windows Server CALs (QA: in quick mode such servers counted none).
#[wasm_bindgen_test]
fn a_windows_server_switched_to_another_product_keeps_its_windows_version() {
    let start = Rc::new(AppState::new(Estate::default(), Origin::Sample));
    let s = edit(start, Edit::SetQuick(QuickField::Employees, 40));
    let s = edit(
        s,
        Edit::AddServer(cal_calc::estate::ServerProduct::WindowsServer),
    );
    let mut server = s.estate.servers[0].clone();
    let version = server.version.clone();
    cal_calc::ui::state::change_server_product(
        &mut server,
        cal_calc::estate::ServerProduct::Exchange,
    );
    assert_eq!(server.windows_version.as_deref(), Some(version.as_str()));
    let s = edit(s, Edit::SetServer(0, server));
    let report = cal_calc::evaluate(&s.estate, TODAY).expect("evaluates");
    let ws = report
        .products
        .iter()
        .find(|p| p.product == CalProduct::WindowsServer)
        .map(|p| p.people.value);
    assert_eq!(ws, Some(40), "Exchange's users need Windows Server CALs");
}

/// Locale review 22: when an estate in a currency with other decimals replaced the one shown, a
/// price field kept its text if that text read as the same amount ("94.00" beside a price of
/// 94.000 KWD). It is written anew with the new currency's decimals.
#[wasm_bindgen_test]
async fn a_price_field_is_written_with_the_decimals_of_a_new_currency() {
    clear_storage();
    let priced = |currency: &str, amount_minor: i64| {
        let mut estate = sample();
        estate.organisation.currency = currency.into();
        estate.organisation.prices = vec![cal_calc::estate::PriceOverride {
            item: cal_calc::estate::PriceItem {
                product: cal_calc::estate::CalProduct::SharePointStandard,
                kind: cal_calc::estate::LicenceKind::UserCal,
            },
            amount_minor,
        }];
        cal_calc::share::to_file(&estate).expect("the estate writes")
    };
    storage()
        .set_item(STORAGE_KEY, &priced("USD", 9_400))
        .expect("write");
    let (root, handle) = render_from_storage().await;
    assert_eq!(input_value(&root, "#price-sharepoint-user"), "94.00");
    // Past the autosave's pause, so this tab has no unsaved edit and shows the other's save.
    sleep(600).await;
    // Another tab saves the same estate in Kuwaiti dinars, 94.000 KWD: this tab shows it.
    other_tab_saves(&priced("KWD", 94_000)).await;
    sleep(50).await;
    assert!(text(&root, ".price-table").contains("Your price (KWD)"));
    assert_eq!(input_value(&root, "#price-sharepoint-user"), "94.000");
    unmount(root, handle).await;
}

/// Every key this calculator keeps in this browser (`cal-calc.…`), sorted.
fn calculator_keys() -> Vec<String> {
    let s = storage();
    let mut keys: Vec<String> = (0..s.length().expect("length"))
        .filter_map(|i| s.key(i).expect("key"))
        .filter(|k| k.starts_with("cal-calc."))
        .collect();
    keys.sort();
    keys
}

/// Removes every key this calculator keeps in this browser (the tests' own clean-up: the usual
/// one leaves the estate kept for Restore and the editor shown).
fn clear_calculator_keys() {
    for k in calculator_keys() {
        let _ = storage().remove_item(&k);
    }
}

/// `e` with imported usage naming `person` on device `device`, reaching its first server.
fn with_usage(mut e: Estate, person: &str, device: &str) -> Estate {
    use cal_calc::estate::{Device, Link, Person, Usage};
    let group = e.groups[0].id.clone();
    let server = e.servers[0].id.clone();
    e.usage = Some(Usage {
        people: vec![Person {
            id: person.into(),
            group,
        }],
        devices: vec![Device {
            id: device.into(),
            unattended: false,
        }],
        links: vec![Link {
            person: person.into(),
            device: device.into(),
            server,
            features: vec![],
        }],
    });
    assert!(e.validate().is_ok(), "{:?}", e.validate());
    e
}

/// Privacy review: imported account and device names stayed in this browser with no way to erase
/// them, and "Start over with the sample" kept them for Restore across reloads. Keep and share's
/// "Remove imported account and device names" takes them out of the estate, of the estate kept
/// for Restore and of both keys in storage; Undo brings them back into the estate only.
#[wasm_bindgen_test]
async fn removing_the_imported_names_erases_them_from_the_estate_and_both_saved_keys() {
    clear_calculator_keys();
    let mut current = with_usage(sample(), "jsmith00", "PC-JSMITH");
    current.name = "Imported".into();
    let mut before = with_usage(sample(), "ctr.ola", "PC-OLA");
    before.name = "Before the import".into();
    let file = |e: &Estate| cal_calc::share::to_file(e).expect("writes");
    storage()
        .set_item(STORAGE_KEY, &file(&current))
        .expect("write");
    storage()
        .set_item(browser::PREVIOUS_KEY, &file(&before))
        .expect("write");
    let (root, handle) = render_from_storage().await;
    let offer = text(&root, "[data-testid=keep-usage]");
    assert!(
        offer.contains("1 account, 1 device and 1 usage link"),
        "{offer}"
    );
    assert!(offer.contains("“why” texts"), "{offer}");
    click_button(&root, "Remove imported account and device names").await;
    let notice = text(&root, "[data-testid=notice]");
    assert!(
        notice.contains(
            "Removed the imported account and device names (1 account, 1 device and 1 usage link)"
        ),
        "{notice}"
    );
    assert!(
        notice.contains("kept for Restore no longer has them"),
        "{notice}"
    );
    assert!(
        notice.contains("The purchase does not change") || notice.contains("changes the result"),
        "the notice says what it does to the result: {notice}"
    );
    sleep(900).await;
    let saved = stored().expect("saved");
    let kept = storage()
        .get_item(browser::PREVIOUS_KEY)
        .expect("read")
        .expect("the estate kept for Restore stays");
    for (json, name) in [
        (&saved, "jsmith00"),
        (&saved, "PC-JSMITH"),
        (&kept, "ctr.ola"),
        (&kept, "PC-OLA"),
    ] {
        assert!(!json.contains(name), "{name} is still stored");
    }
    assert!(saved_estate().usage.is_none());
    let kept = cal_calc::share::from_file(&kept).expect("readable");
    assert!(kept.usage.is_none());
    assert_eq!(
        kept.name, "Before the import",
        "the estate kept is otherwise as it was"
    );
    assert!(
        find(&root, "[data-testid=keep-usage]").is_none(),
        "nothing left to remove"
    );

    // Undoable like a removal: the names come back into the estate (and are saved again).
    click_button(&root, "Undo").await;
    sleep(900).await;
    assert!(stored().expect("saved").contains("jsmith00"));
    assert!(!storage()
        .get_item(browser::PREVIOUS_KEY)
        .expect("read")
        .unwrap_or_default()
        .contains("ctr.ola"));
    unmount(root, handle).await;
    clear_calculator_keys();
}

/// The removal also reaches the estates kept for Undo, and one kept for Restore when the estate
/// shown has none ("Start over with the sample" after an import).
#[wasm_bindgen_test]
fn removing_the_imported_names_reaches_restore_and_undo_but_is_itself_undoable() {
    let imported = with_usage(sample(), "jsmith00", "PC-JSMITH");
    let start = Rc::new(AppState::new(imported.clone(), Origin::Import));
    // A server removed first: its Undo holds the estate with the names.
    let removed = edit(start, Edit::RemoveServer(0));
    assert!(removed.estate.usage.is_some());
    let effect = cal_calc::ui::state::usage_removal_effect(&removed.estate, TODAY)
        .expect("an estate with usage has an effect");
    let stripped = removed.clone().reduce(Action::RemoveUsage { effect });
    assert!(stripped.estate.usage.is_none());
    assert_eq!(stripped.undo.len(), 2);
    let (text, offer) = notice_of(&stripped);
    assert!(offer, "Undo is offered: {text}");
    let back = stripped.clone().reduce(Action::Undo);
    assert!(back.estate.usage.is_some(), "Undo brings the names back");
    let first = back.reduce(Action::Undo);
    assert!(
        first.estate.usage.is_none(),
        "the older Undo no longer brings them back"
    );
    assert_eq!(first.estate.servers.len(), imported.servers.len());

    // The sample shown, the imported estate kept for Restore.
    let mut over = AppState::new(sample(), Origin::Sample);
    over.previous = Some(Rc::new(imported));
    let over = Rc::new(over).reduce(Action::RemoveUsage {
        effect: String::new(),
    });
    assert!(over.previous.as_ref().expect("kept").usage.is_none());
    assert_eq!(*over.estate, sample());
    assert!(notice_of(&over).0.contains("estate kept for Restore"));
}

/// Life review 26: an older tab still open keeps a newer build's save aside, so the slot for
/// unreadable estates can hold the very text saved now, which this build reads. It was offered
/// as unreadable (an alert that never went away), and "Delete it" deleted the current save too:
/// a reload showed the sample. A copy of the current save is forgotten silently; one this build
/// reads that differs is offered as kept aside, not as unreadable; deleting it never removes a
/// save this build reads. A truly unreadable save is still deleted with its copy.
#[wasm_bindgen_test]
async fn a_readable_estate_kept_aside_is_not_called_unreadable_and_deleting_it_keeps_the_save() {
    clear_storage();
    let s = storage();
    let mine = cal_calc::share::to_file(&with_quick(sample(), QuickField::Employees, 777))
        .expect("writes");

    // Deleting a copy of the current save leaves the save.
    s.set_item(STORAGE_KEY, &mine).expect("write");
    s.set_item(UNREADABLE_KEY, &mine).expect("write");
    browser::discard_unreadable(UNREADABLE_KEY);
    assert_eq!(stored().as_deref(), Some(mine.as_str()), "the save stays");
    assert_eq!(s.get_item(UNREADABLE_KEY).expect("read"), None);

    // The repro: the copy is there when the page opens. The work shows, nothing is called
    // unreadable, and the copy is forgotten.
    s.set_item(UNREADABLE_KEY, &mine).expect("write");
    let (root, handle) = render_from_storage().await;
    assert_eq!(input_value(&root, "#q-employees"), "777");
    assert!(
        find(&root, "[data-testid=unreadable-saved]").is_none(),
        "not offered as unreadable: {}",
        text(&root, "[data-testid=unreadable-saved]")
    );
    assert!(find(&root, "[data-testid=kept-aside-readable]").is_none());
    assert_eq!(s.get_item(UNREADABLE_KEY).expect("read"), None);
    assert_eq!(stored().as_deref(), Some(mine.as_str()));
    unmount(root, handle).await;

    // One this build reads that is not the current save (the older tab saved its own over it)
    // is offered as kept aside, in words that say this version reads it.
    let older = cal_calc::share::to_file(&with_quick(sample(), QuickField::Employees, 778))
        .expect("writes");
    s.set_item(STORAGE_KEY, &mine).expect("write");
    s.set_item(UNREADABLE_KEY, &older).expect("write");
    let (root, handle) = render_from_storage().await;
    assert!(find(&root, "[data-testid=unreadable-saved]").is_none());
    let offer = text(&root, "[data-testid=kept-aside-readable]");
    assert!(
        offer.contains("This version can read it")
            && offer.contains("Download the estate kept aside")
            && !offer.contains("could not be read by this version"),
        "{offer}"
    );
    assert!(browser::unreadable_saved().is_empty());
    browser::discard_unreadable(UNREADABLE_KEY);
    yew::scheduler::flush().await;
    assert!(find(&root, "[data-testid=kept-aside-readable]").is_none());
    assert_eq!(s.get_item(UNREADABLE_KEY).expect("read"), None);
    assert_eq!(stored().as_deref(), Some(mine.as_str()), "the save stays");
    unmount(root, handle).await;

    // A main save this build cannot read, kept aside too: deleting it deletes both, as before.
    s.set_item(STORAGE_KEY, NEWER).expect("write");
    s.set_item(UNREADABLE_KEY, NEWER).expect("write");
    assert_eq!(
        browser::unreadable_saved(),
        vec![(UNREADABLE_KEY.to_string(), NEWER.to_string())]
    );
    browser::discard_unreadable(UNREADABLE_KEY);
    assert_eq!(stored(), None);
    assert_eq!(s.get_item(UNREADABLE_KEY).expect("read"), None);
    clear_storage();
}

/// Privacy review: nothing deleted everything the calculator kept in this browser. "Delete
/// everything this calculator stored in this browser" asks in the page first, then removes every
/// `cal-calc.` key (and only those), shows the sample, and stores nothing until the next change:
/// not the sample, and not an edit still waiting to be saved.
#[wasm_bindgen_test]
async fn delete_everything_removes_every_calculator_key_after_asking() {
    clear_calculator_keys();
    let s = storage();
    let mine = with_quick(sample(), QuickField::Employees, 321);
    let json = cal_calc::share::to_file(&mine).expect("writes");
    s.set_item(STORAGE_KEY, &json).expect("write");
    s.set_item(browser::PREVIOUS_KEY, &json.replace("321", "322"))
        .expect("write");
    s.set_item(browser::MODE_KEY, "quick").expect("write");
    s.set_item(browser::LINKS_KEY, "0123456789abcdef")
        .expect("write");
    s.set_item(&format!("{UNREADABLE_KEY}.2"), NEWER)
        .expect("write");
    s.set_item("cal-calc.a-later-version.v9", "x")
        .expect("write");
    s.set_item("another-app.setting", "kept").expect("write");
    let (root, handle) = render_from_storage().await;
    assert_eq!(quick(&saved_estate(), QuickField::Employees), 321);

    click_button(
        &root,
        "Delete everything this calculator stored in this browser",
    )
    .await;
    let ask = text(&root, "[data-testid=keep-delete-ask]");
    assert!(ask.contains("the estate saved as you type"), "{ask}");
    assert!(
        ask.contains("a saved estate kept aside by a version that could not read it"),
        "{ask}"
    );
    assert!(
        stored().is_some(),
        "nothing is deleted before the confirmation"
    );
    // Cancel deletes nothing.
    click_button(&root, "Cancel").await;
    assert!(find(&root, "[data-testid=keep-delete-ask]").is_none());
    assert_eq!(calculator_keys().len(), 6, "{:?}", calculator_keys());

    // An edit still waiting for the autosave's pause is not written back after the deletion.
    type_into(&root, "#q-employees", "77").await;
    click_button(
        &root,
        "Delete everything this calculator stored in this browser",
    )
    .await;
    click_button(&root, "Delete everything stored here").await;
    sleep(900).await;
    assert_eq!(calculator_keys(), Vec::<String>::new());
    assert_eq!(
        s.get_item("another-app.setting").expect("read").as_deref(),
        Some("kept"),
        "another site's keys on this origin stay"
    );
    let notice = text(&root, "[data-testid=notice]");
    assert!(
        notice.contains("Deleted everything this calculator stored in this browser"),
        "{notice}"
    );
    assert_eq!(
        input_value(&root, "#q-employees"),
        quick(&sample(), QuickField::Employees).to_string(),
        "the sample is shown"
    );
    assert!(text(&root, "[data-testid=autosave]").contains("Nothing is stored in this browser now"));
    assert!(
        find(&root, "[data-testid=unreadable-saved]").is_none(),
        "the unreadable estates kept aside are gone from the panel"
    );

    // The next change is saved again.
    type_into(&root, "#q-employees", "55").await;
    sleep(900).await;
    assert_eq!(quick(&saved_estate(), QuickField::Employees), 55);
    unmount(root, handle).await;
    clear_calculator_keys();
    let _ = s.remove_item("another-app.setting");
}

/// What "Import estate (JSON)" does with a file holding `bytes`: the action it sends.
async fn import_file(name: &str, bytes: &[u8]) -> Action {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let file = web_sys::File::new_with_u8_array_sequence(&parts, name).expect("a file");
    let sent = Rc::new(std::cell::RefCell::new(None::<Action>));
    let dispatch = {
        let sent = sent.clone();
        yew::Callback::from(move |a: Action| *sent.borrow_mut() = Some(a))
    };
    cal_calc::ui::components::keep::read_file(file, dispatch, yew::Callback::from(|_| ()));
    for _ in 0..100 {
        if sent.borrow().is_some() {
            break;
        }
        sleep(20).await;
    }
    let action = sent.borrow_mut().take();
    action.expect("the file was read")
}

/// Life review 26: "Import estate (JSON)" read a file with FileReader's `read_as_text`, UTF-8
/// with U+FFFD in place of anything else: a Windows-1252 “Büro München” opened with its letters
/// lost (then saved and exported so) where the CLI refuses it. The app now reads the bytes as
/// the CLI does: refused with the CLI's words, the current estate unchanged; UTF-16 with a
/// byte-order mark is opened by both.
#[wasm_bindgen_test]
async fn an_imported_estate_file_is_read_as_the_cli_reads_it() {
    let cp1252 = b"{\"format_version\": 1, \"name\": \"B\xFCro M\xFCnchen\"}";
    match import_file("buero.json", cp1252).await {
        Action::Notify(n) => assert_eq!(
            n.text,
            "“buero.json” was not opened; your current estate is unchanged. Not UTF-8 text (byte 32); save the estate as UTF-8 JSON."
        ),
        _ => panic!("a Windows-1252 file is refused, not opened"),
    }
    let mut named = sample();
    named.name = "Büro München".to_string();
    let json = cal_calc::share::to_file(&named).expect("writes");
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(json.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    match import_file("buero-utf16.json", &utf16).await {
        Action::Open { estate, .. } => assert_eq!(estate.name, "Büro München"),
        _ => panic!("a UTF-16 file with a byte-order mark is opened"),
    }
    match import_file("buero.json", json.as_bytes()).await {
        Action::Open { estate, .. } => assert_eq!(*estate, named),
        _ => panic!("a UTF-8 file is opened"),
    }
}
