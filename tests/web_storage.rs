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
    for (key, _) in browser::unreadable_saved() {
        let _ = s.remove_item(&key);
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
