//! Component and reducer tests of the web app, run in headless Chromium:
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test web`.
//! Each test renders the real app (or runs the real reducer) with the sample estate and checks
//! what a user sees; figures are compared with the engine's own report, never hard-coded.
#![cfg(target_arch = "wasm32")]

use cal_calc::estate::{CalProduct, Date, Estate, LicenceKind, PriceItem};
use cal_calc::report::Report;
use cal_calc::report::{BreakEvenKind, FindingKind};
use cal_calc::ui::app::{sample_estate, App, AppProps};
use cal_calc::ui::components::position::position_csv;
use cal_calc::ui::embed;
use cal_calc::ui::format;
use cal_calc::ui::state::{Action, AppState, Edit, Mode, Origin, QuickField, QuickView};
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

#[track_caller]
fn sample() -> Estate {
    sample_estate().expect("the built-in sample parses")
}

#[track_caller]
fn evaluate(e: &Estate) -> Report {
    cal_calc::evaluate(e, TODAY).expect("the estate evaluates")
}

fn windows(report: &Report) -> Option<&cal_calc::report::ProductResult> {
    report
        .products
        .iter()
        .find(|p| p.product == CalProduct::WindowsServer)
}

/// A fresh element appended to the page's body, to render into.
fn new_root() -> Element {
    let document = gloo::utils::document();
    let root = document.create_element("div").expect("div");
    document
        .body()
        .expect("body")
        .append_child(&root)
        .expect("append");
    root
}

/// A component rendered into a fresh element of the page for one test. Dropped when the test ends,
/// it unmounts the component and takes its element out of the page. The tests share one page, and
/// every app left mounted there stayed live for the rest of the run: in every layout of the page,
/// and each opening a share link set in the address (about a hundred at once). The suite took
/// 327 s so, against about 50 s, and the renderer at times went more than 30 s without answering
/// ChromeDriver, which ended the run (CI, 3 Dec 2026).
struct Mounted {
    root: Element,
    destroy: Option<Box<dyn FnOnce()>>,
}

impl std::ops::Deref for Mounted {
    type Target = Element;

    fn deref(&self) -> &Element {
        &self.root
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        if let Some(destroy) = self.destroy.take() {
            destroy();
        }
        self.root.remove();
    }
}

/// Renders the component `C` with `props` into a fresh element and waits for it to settle.
async fn mount_with<C: yew::BaseComponent>(props: C::Properties) -> Mounted {
    let root = new_root();
    let handle = yew::Renderer::<C>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    Mounted {
        root,
        destroy: Some(Box::new(move || handle.destroy())),
    }
}

/// Renders the app with `estate` into a fresh element and waits for it to settle.
async fn render(estate: Estate) -> Mounted {
    mount_with::<App>(AppProps {
        estate: Some(Rc::new(estate)),
        today: Some(TODAY),
        slow_quick_ms: Some(f64::INFINITY),
    })
    .await
}

fn find(root: &Element, selector: &str) -> Option<Element> {
    root.query_selector(selector).ok().flatten()
}

fn text(root: &Element, selector: &str) -> String {
    find(root, selector)
        .and_then(|e| e.text_content())
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

async fn click(root: &Element, selector: &str) {
    let el: HtmlElement = find(root, selector)
        .expect("element present")
        .dyn_into()
        .expect("an HTML element");
    el.click();
    yew::scheduler::flush().await;
}

/// Clicks the element of `selector` whose text is `label`.
async fn click_button(root: &Element, selector: &str, label: &str) {
    let all = root.query_selector_all(selector).expect("query");
    let button = (0..all.length())
        .filter_map(|k| all.item(k))
        .filter_map(|n| n.dyn_into::<HtmlElement>().ok())
        .find(|b| b.text_content().as_deref() == Some(label))
        .unwrap_or_else(|| panic!("a {label} button"));
    button.click();
    yew::scheduler::flush().await;
}

/// Opens the detailed form's card whose summary reads `summary`, as a click on it does, and waits
/// for its body: the card hears its `toggle` event, which comes as a task after the click.
async fn open_card(root: &Element, summary: &str) {
    let all = root.query_selector_all("details > summary").expect("query");
    let card = (0..all.length())
        .filter_map(|k| all.item(k))
        .filter_map(|n| n.dyn_into::<HtmlElement>().ok())
        .find(|s| s.text_content().as_deref() == Some(summary))
        .unwrap_or_else(|| panic!("a card “{summary}”"));
    card.click();
    sleep(20).await;
    yew::scheduler::flush().await;
}

/// Opens or closes the detailed form's card whose summary is `summary` (a selector, as
/// `#card-groups-3`), as a click on it does, and waits for the render its `toggle` event asks.
async fn toggle_card(root: &Element, summary: &str) {
    click(root, summary).await;
    sleep(20).await;
    yew::scheduler::flush().await;
}

/// Opens every closed card of the detailed form, as clicks on their summaries do: a closed access
/// rule or device pool renders its summary only.
async fn open_all_cards(root: &Element) {
    let all = root
        .query_selector_all("details.row-card:not([open]) > summary")
        .expect("query");
    for k in 0..all.length() {
        if let Some(summary) = all.item(k).and_then(|n| n.dyn_into::<HtmlElement>().ok()) {
            summary.click();
        }
    }
    sleep(20).await;
    yew::scheduler::flush().await;
}

/// How many elements `selector` finds under `root`.
fn count(root: &Element, selector: &str) -> u32 {
    root.query_selector_all(selector).map_or(0, |l| l.length())
}

fn input_value(root: &Element, selector: &str) -> String {
    find(root, selector)
        .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
        .map(|i| i.value())
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn first_render_of_the_sample_shows_the_engines_total() {
    let report = evaluate(&sample());
    let root = render(sample()).await;
    assert_eq!(
        text(&root, "[data-testid=total]"),
        format::money(report.recommendation.total_minor, &report.currency)
    );
}

#[wasm_bindgen_test]
async fn first_render_shows_one_card_per_product_in_the_report() {
    let report = evaluate(&sample());
    let root = render(sample()).await;
    let cards = root
        .query_selector_all("article.product")
        .expect("query")
        .length();
    assert_eq!(cards as usize, report.products.len());
}

#[wasm_bindgen_test]
async fn typing_one_more_employee_updates_the_windows_server_people_live() {
    let e = sample();
    let view = QuickView::of(&e);
    let before = view.value(&e, QuickField::Employees);
    let mut expected = e.clone();
    Edit::SetQuick(QuickField::Employees, before + 1).apply(&mut expected);
    let want = windows(&evaluate(&expected)).map(|p| p.people.value);
    let root = render(e).await;
    type_into(&root, "#q-employees", &(before + 1).to_string()).await;
    assert_eq!(
        text(&root, "[data-testid=ws-people]"),
        want.map(format::count).unwrap_or_default()
    );
}

#[wasm_bindgen_test]
async fn negative_input_shows_a_message_and_keeps_the_text_and_the_result() {
    let root = render(sample()).await;
    let total = text(&root, "[data-testid=total]");
    type_into(&root, "#q-employees", "-5").await;
    assert_eq!(
        (
            text(&root, "#q-employees-error").contains("negative"),
            input_value(&root, "#q-employees"),
            text(&root, "[data-testid=total]")
        ),
        (true, "-5".to_string(), total)
    );
    // It says which figure the result still uses.
    let error = text(&root, "#q-employees-error");
    let employees = sample()
        .groups
        .first()
        .map(|g| format::count(u64::from(g.count)))
        .unwrap_or_default();
    assert!(
        error.ends_with(&format!("The result still uses {employees}.")),
        "{error}"
    );
}

#[wasm_bindgen_test]
async fn non_numeric_input_shows_a_message_next_to_the_field() {
    let root = render(sample()).await;
    type_into(&root, "#q-employees", "thirty").await;
    assert!(text(&root, "#q-employees-error").contains("not a number"));
}

#[wasm_bindgen_test]
async fn absurd_input_is_refused_with_a_message() {
    let root = render(sample()).await;
    type_into(&root, "#q-devices-each", "5000").await;
    assert!(text(&root, "#q-devices-each-error").contains("more than"));
}

#[wasm_bindgen_test]
async fn switching_to_detailed_and_back_loses_nothing() {
    let root = render(sample()).await;
    type_into(&root, "#q-external", "17").await;
    click(&root, ".mode-switch button:nth-child(2)").await;
    let detailed_shown = find(&root, "#detailed-title").is_some();
    click(&root, ".mode-switch button:nth-child(1)").await;
    assert_eq!(
        (detailed_shown, input_value(&root, "#q-external")),
        (true, "17".to_string())
    );
}

/// Review 19: "4200x" typed in Employees showed its message, and switching to detailed mode and
/// back dropped it without a word (the field that held it is not in the other mode). The switch
/// now says what was left behind; the result used the last valid figure throughout.
#[wasm_bindgen_test]
async fn switching_modes_says_which_unusable_entry_is_left_behind() {
    let root = render(sample()).await;
    type_into(&root, "#q-employees", "4200x").await;
    click(&root, ".mode-switch button:nth-child(2)").await;
    let notice = text(&root, "[data-testid=notice]");
    assert!(
        notice.starts_with("Switched to detailed mode. Not kept, as it could not be used: Employees with their own devices: “4200x” is not a number."),
        "{notice}"
    );
    // A switch with nothing left behind says nothing.
    click(&root, ".mode-switch button:nth-child(1)").await;
    assert!(!text(&root, "[data-testid=notice]").contains("Switched to quick mode"));
}

#[wasm_bindgen_test]
async fn every_input_has_a_label() {
    let root = render(sample()).await;
    click(&root, ".mode-switch button:nth-child(2)").await;
    // A closed card renders its summary only: opened, every card's fields are checked.
    open_all_cards(&root).await;
    let inputs = root
        .query_selector_all("input:not([type=file]), select, textarea")
        .expect("query");
    let mut unlabelled = Vec::new();
    for i in 0..inputs.length() {
        let Some(el) = inputs.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
            continue;
        };
        let id = el.id();
        let labelled = !id.is_empty()
            && root
                .query_selector(&format!("label[for=\"{id}\"]"))
                .ok()
                .flatten()
                .is_some();
        if !labelled {
            unlabelled.push(if id.is_empty() { el.outer_html() } else { id });
        }
    }
    assert!(
        unlabelled.is_empty(),
        "inputs without a label: {unlabelled:?}"
    );
}

#[wasm_bindgen_test]
async fn no_element_uses_an_inline_style_attribute() {
    let root = render(sample()).await;
    click(&root, ".mode-switch button:nth-child(2)").await;
    assert_eq!(
        root.query_selector_all("[style]").expect("query").length(),
        0
    );
}

#[wasm_bindgen_test]
fn reducer_edit_changes_the_report() {
    let state = Rc::new(AppState::new(sample(), Origin::Sample));
    let before = evaluate(&state.estate);
    let employees = QuickView::of(&state.estate).value(&state.estate, QuickField::Employees);
    let next = state.reduce(Action::Edit(Edit::SetQuick(
        QuickField::Employees,
        employees + 10,
    )));
    let after = evaluate(&next.estate);
    assert_eq!(
        windows(&after).map(|p| p.people.value),
        windows(&before).map(|p| p.people.value + 10)
    );
}

#[wasm_bindgen_test]
fn reducer_counts_a_revision_only_when_the_estate_changes() {
    let state = Rc::new(AppState::new(sample(), Origin::Sample));
    let same = QuickView::of(&state.estate).value(&state.estate, QuickField::Employees);
    let next = state
        .clone()
        .reduce(Action::Edit(Edit::SetQuick(QuickField::Employees, same)));
    assert_eq!(next.revision, state.revision);
}

/// Race review 29: an import being applied belongs to the estate it was asked of. `loads` tells
/// the import panel that another estate took its place (a load, Restore, deleting everything),
/// and must not move for an edit or an Undo, after which the import is merged again into the
/// estate with the edit, nor for the estate shown opened again.
#[wasm_bindgen_test]
fn reducer_counts_loads_apart_from_edits() {
    let state = Rc::new(AppState::new(sample(), Origin::Sample));
    let employees = QuickView::of(&state.estate).value(&state.estate, QuickField::Employees);
    let edited = state.clone().reduce(Action::Edit(Edit::SetQuick(
        QuickField::Employees,
        employees + 10,
    )));
    assert_eq!(edited.loads, state.loads, "an edit");
    let removed = edited.clone().reduce(Action::Edit(Edit::RemoveServer(0)));
    let undone = removed.clone().reduce(Action::Undo);
    assert_eq!(undone.loads, state.loads, "a removal and its Undo");
    let loaded = undone.reduce(Action::Load(Box::new(sample()), Origin::Sample));
    assert_eq!(loaded.loads, state.loads + 1, "a load");
    let again = loaded.reduce(Action::Load(Box::new(sample()), Origin::File));
    assert_eq!(
        again.loads,
        state.loads + 1,
        "the estate shown, opened again"
    );
    let loaded = again;
    let restored = loaded.reduce(Action::RestorePrevious);
    assert_eq!(restored.loads, state.loads + 2, "Restore");
    let forgotten = restored.reduce(Action::ForgetAll {
        sample: Box::new(sample()),
        deleted: String::new(),
    });
    assert_eq!(forgotten.loads, state.loads + 3, "deleting everything");
}

#[wasm_bindgen_test]
fn reducer_mode_switch_leaves_the_estate_untouched() {
    let state = Rc::new(AppState::new(sample(), Origin::Sample));
    let next = state.clone().reduce(Action::SetMode(Mode::Detailed));
    assert!(Rc::ptr_eq(&next.estate, &state.estate));
}

#[wasm_bindgen_test]
fn quick_mode_on_an_empty_estate_builds_groups_and_access() {
    let mut e = Estate::default();
    Edit::AddServer(cal_calc::estate::ServerProduct::WindowsServer).apply(&mut e);
    Edit::SetQuick(QuickField::Employees, 30).apply(&mut e);
    Edit::SetQuick(QuickField::DevicesEach, 2).apply(&mut e);
    let ws = windows(&evaluate(&e)).map(|p| (p.people.value, p.user_cals.value));
    assert_eq!(ws, Some((30, 30)));
}

#[wasm_bindgen_test]
fn removing_a_group_removes_it_from_access_and_pools() {
    // `warehouse` shares the sample's warehouse terminals, so both halves are exercised.
    let mut e = sample();
    let id = "warehouse".to_string();
    let i = e
        .groups
        .iter()
        .position(|g| g.id == id)
        .expect("the sample has a warehouse group");
    let referenced = |e: &Estate| {
        (
            e.access.iter().any(|a| a.groups.contains(&id)),
            e.shared_devices.iter().any(|d| d.shared_by.contains(&id)),
        )
    };
    assert_eq!(
        referenced(&e),
        (true, true),
        "used by access and a pool before"
    );
    Edit::RemoveGroup(i).apply(&mut e);
    assert!(e.groups.iter().all(|g| g.id != id));
    assert_eq!(referenced(&e), (false, false), "in neither after");
}

#[wasm_bindgen_test]
fn price_edit_becomes_an_override_and_clearing_removes_it() {
    let item = PriceItem {
        product: CalProduct::WindowsServer,
        kind: LicenceKind::UserCal,
    };
    let mut e = Estate::default();
    Edit::SetPrice(item, Some(4_200)).apply(&mut e);
    let set = e.organisation.prices.len();
    Edit::SetPrice(item, None).apply(&mut e);
    assert_eq!((set, e.organisation.prices.len()), (1, 0));
}

#[wasm_bindgen_test]
fn embed_parameters_are_read_from_query_and_fragment() {
    let p = embed::parse(
        "embed&products=ws,rds&currency=eur&price.ws-user=4200",
        "parentOrigin=https%3A%2F%2Fdocs.example.com",
    );
    assert_eq!(
        (
            p.embed,
            p.products,
            p.currency,
            p.prices.len(),
            p.parent_origin,
            p.problems.len()
        ),
        (
            true,
            Some(vec![CalProduct::WindowsServer, CalProduct::Rds]),
            Some("EUR".to_string()),
            1,
            Some("https://docs.example.com".to_string()),
            0
        )
    );
}

/// Review 21: `price.exchange-ec=` and `price.ws-core2=` went into the estate, which its check
/// then refused; they are refused where the parameters are read, as an unknown item is, and the
/// price limit is the estate's own.
#[wasm_bindgen_test]
fn embed_prices_of_a_kind_the_product_lacks_are_refused() {
    let p = embed::parse(
        "embed&price.exchange-ec=100&price.ws-core2=100&price.sql-core2=100&price.ws-user=1000000000000",
        "",
    );
    assert_eq!(p.prices.len(), 2, "{:?}", p.problems);
    assert_eq!(p.problems.len(), 2, "{:?}", p.problems);
    assert!(p.problems[0].starts_with("price.exchange-ec: there is no External Connector"));
    assert!(p.problems[1].starts_with("price.ws-core2: core packs and server licences"));
    let mut e = Estate::default();
    embed::apply_prices(&mut e, &p);
    assert_eq!(e.validate(), Ok(()));
    let over = embed::parse("price.ws-user=1000000000001", "");
    assert_eq!((over.prices.len(), over.problems.len()), (0, 1));
}

/// Review 21: the API's validate gave no line and column for an estate given as JSON text,
/// where `cal-calc validate` does; an object has no text to point into, so none there.
#[wasm_bindgen_test]
fn api_validate_locates_the_problems_of_json_text() {
    let text = "{\n  \"format_version\": 1,\n  \"groups\": [ { \"id\": \"g\", \"count\": 5 } ],\n  \"servers\": [ { \"id\": \"s\", \"product\": \"windows-server\", \"version\": \"2099\" } ],\n  \"access\": [ { \"groups\": [\"g\"], \"servers\": [\"s\"] } ]\n}\n";
    let messages = |v: wasm_bindgen::JsValue| -> Vec<String> {
        let out = cal_calc::api::validate(v).unwrap_or(wasm_bindgen::JsValue::NULL);
        serde_wasm_bindgen::from_value(out).unwrap_or_default()
    };
    let from_text = messages(text.into());
    assert_eq!(from_text.len(), 1, "{from_text:?}");
    assert!(
        from_text[0].starts_with("line 4, column 69: servers[0].version: "),
        "{from_text:?}"
    );
    let object = js_sys::JSON::parse(text).unwrap_or(wasm_bindgen::JsValue::NULL);
    let from_object = messages(object);
    assert_eq!(from_object.len(), 1, "{from_object:?}");
    assert!(
        from_object[0].starts_with("servers[0].version: "),
        "{from_object:?}"
    );
}

#[wasm_bindgen_test]
fn embed_parent_origin_with_a_path_or_wildcard_is_refused() {
    let p = embed::parse("embed&parentOrigin=*", "");
    let q = embed::parse("parentOrigin=https://a.example/page", "");
    assert_eq!((p.parent_origin, q.parent_origin), (None, None));
}

/// parentOrigin= and the embed panel's field take an origin as the browser reads it, in any case,
/// and refuse what no page can be served from (review 20: `http://a:99999` was taken, the frame
/// then posted nothing; `HTTP://Example.COM` was refused).
#[wasm_bindgen_test]
fn parent_origins_are_parsed_and_normalised_as_the_browser_does() {
    use cal_calc::ui::components::embed_panel::parse_origin;
    let ok = |s: &str| parse_origin(s);
    assert_eq!(
        ok("HTTP://Example.COM").as_deref(),
        Some("http://example.com")
    );
    assert_eq!(
        ok("https://a.example:8443").as_deref(),
        Some("https://a.example:8443")
    );
    assert_eq!(
        ok("https://a.example:443").as_deref(),
        Some("https://a.example")
    );
    assert_eq!(
        ok("http://[::1]:8080").as_deref(),
        Some("http://[::1]:8080")
    );
    assert_eq!(
        ok("http://localhost:1").as_deref(),
        Some("http://localhost:1")
    );
    for bad in [
        "http://a:99999",
        "http://a:65536",
        "http://a:0",
        "http://a:",
        "http://a:b:c",
        "http://[zz]",
        "http://",
        "http:example.com",
        "ftp://example.com",
        "https://a.example/page",
        "https://a.example?x",
        "https://a.example#x",
        "https://user@a.example",
        "https://a\\b",
        "https://a b",
        "*",
    ] {
        assert_eq!(parse_origin(bad), None, "{bad}");
    }
    // parentOrigin= keeps the normalised origin, and names a bad one as a problem.
    let p = embed::parse("embed", "parentOrigin=HTTPS%3A%2F%2FDocs.Example.com%2F");
    assert_eq!(p.parent_origin.as_deref(), Some("https://docs.example.com"));
    let q = embed::parse("embed&parentOrigin=http://a:99999", "");
    assert_eq!(q.parent_origin, None);
    assert!(
        q.problems.iter().any(|m| m.contains("is not an origin")),
        "{:?}",
        q.problems
    );
}

#[wasm_bindgen_test]
fn money_is_parsed_into_minor_units() {
    assert_eq!(
        [
            format::parse_money("45", 2),
            format::parse_money("45.5", 2),
            format::parse_money("1,045.00", 2),
            format::parse_money("45,50", 2),
            format::parse_money("1200", 0),
        ],
        [Ok(4_500), Ok(4_550), Ok(104_500), Ok(4_550), Ok(1_200)]
    );
}

/// The forms, the display and the engine's texts agree on a currency's minor unit: whole yen,
/// fils in thousandths, cents for the rest.
#[wasm_bindgen_test]
fn money_uses_the_same_minor_unit_as_the_engine() {
    assert_eq!(
        ["JPY", "KWD", "EUR", "ABC"].map(format::fraction_digits),
        ["JPY", "KWD", "EUR", "ABC"].map(cal_calc::position::minor_digits)
    );
    assert_eq!(format::fraction_digits("JPY"), 0);
    let yen = format::money(97_500, "JPY");
    let digits: String = yen.chars().filter(char::is_ascii_digit).collect();
    assert_eq!(digits, "97500", "{yen}");
    let dinar = format::money(202_500, "KWD");
    let digits: String = dinar.chars().filter(char::is_ascii_digit).collect();
    assert_eq!(digits, "202500", "{dinar}");
}

/// Review 26: an amount past 2^46 cents (2^43 fils) lost its last digit on its way to `Intl` as
/// an f64: 9,000,001 staff at $10,000,000.07 came to $90,000,010,630,000.06 on the page where
/// the CLI and the CSV say .07 (KWD .007 read .008). The page's amount has the engine's digits.
#[wasm_bindgen_test]
fn large_amounts_are_shown_to_the_last_minor_unit() {
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    let total: i64 = 9_000_001 * 1_000_000_007;
    assert_eq!(total, 9_000_001_063_000_007);
    for currency in ["USD", "KWD", "CLF", "JPY"] {
        let shown = format::money(total, currency);
        assert_eq!(digits(&shown), total.to_string(), "{currency}: {shown}");
        let negative = format::money(-total, currency);
        assert_eq!(
            digits(&negative),
            total.to_string(),
            "{currency}: {negative}"
        );
        assert_ne!(negative, shown);
    }
    let largest = (1i64 << 53) - 1;
    assert_eq!(digits(&format::money(largest, "USD")), largest.to_string());
    // Below that, every figure is what `Intl` writes for the number itself: the locale's
    // grouping, the currency's sign and symbol, the ISO digits.
    for (minor, currency, places) in [
        (0, "USD", 2),
        (450_000, "USD", 2),
        (-450_000, "EUR", 2),
        (-50, "GBP", 2),
        (97_500, "JPY", 0),
        (-97_500, "JPY", 0),
        (202_500, "KWD", 3),
        (-1_005, "KWD", 3),
        (12_345, "CLF", 4),
        (1_400_000, "HUF", 2),
    ] {
        let options = js_sys::Object::new();
        for (k, v) in [
            ("style", wasm_bindgen::JsValue::from_str("currency")),
            ("currency", wasm_bindgen::JsValue::from_str(currency)),
            ("minimumFractionDigits", wasm_bindgen::JsValue::from(places)),
            ("maximumFractionDigits", wasm_bindgen::JsValue::from(places)),
        ] {
            js_sys::Reflect::set(&options, &wasm_bindgen::JsValue::from_str(k), &v).expect("set");
        }
        let intl = js_sys::Intl::NumberFormat::new(&js_sys::Array::new(), &options);
        let number = minor as f64 / 10f64.powi(places);
        let expected = intl
            .format()
            .call1(
                &wasm_bindgen::JsValue::NULL,
                &wasm_bindgen::JsValue::from_f64(number),
            )
            .expect("format")
            .as_string()
            .expect("a string");
        assert_eq!(
            format::money(minor, currency),
            expected,
            "{minor} {currency}"
        );
    }
}

/// Review 26: switching an estate in KWD (not in the built-in list) to USD asked "…5.404 becomes
/// 5.40. Switching back to KWD while this page is open brings them back exactly.", and then the
/// list offered no KWD to switch back to. The currencies the page has shown stay in the list.
#[wasm_bindgen_test]
async fn a_currency_switched_away_from_can_be_chosen_again_and_restores_the_prices() {
    let estate = Estate::from_json(
        r#"{ "organisation": { "currency": "KWD", "prices": [
               { "item": { "product": "windows-server", "kind": "user-cal" }, "amount_minor": 5404 } ] },
             "groups": [{ "id": "staff", "count": 10, "devices_each": 1 }],
             "servers": [{ "id": "ws", "product": "windows-server", "version": "2022" }],
             "access": [{ "groups": ["staff"], "servers": ["ws"] }] }"#,
    )
    .expect("valid estate");
    assert!(
        !format::CURRENCIES.contains(&"KWD"),
        "KWD is built in: the test shows nothing"
    );
    let options = |root: &Element| {
        let options = root.query_selector_all("#currency option").expect("query");
        (0..options.length())
            .filter_map(|i| options.item(i)?.dyn_into::<Element>().ok())
            .filter_map(|o| o.get_attribute("value"))
            .collect::<Vec<_>>()
    };
    // The question is answered yes, and kept to be read.
    let window = gloo::utils::window();
    let confirm = js_sys::Reflect::get(&window, &"confirm".into()).expect("window.confirm");
    let yes = js_sys::Function::new_with_args("q", "window.__asked = q; return true;");
    js_sys::Reflect::set(&window, &"confirm".into(), &yes).expect("set confirm");
    let root = render(estate).await;
    assert_eq!(select_value(&root, "#currency"), "KWD");
    let price = "#price-ws-user";
    assert_eq!(input_value(&root, price), format::decimal_local(5_404, 3));
    choose(&root, "#currency", "USD").await;
    let asked = js_sys::Reflect::get(&window, &"__asked".into())
        .ok()
        .and_then(|q| q.as_string())
        .unwrap_or_default();
    js_sys::Reflect::set(&window, &"confirm".into(), &confirm).expect("restore confirm");
    assert!(asked.contains("Switching back to KWD"), "{asked}");
    assert_eq!(select_value(&root, "#currency"), "USD");
    assert_eq!(input_value(&root, price), format::decimal_local(540, 2));
    assert!(
        options(&root).contains(&"KWD".to_string()),
        "{:?}",
        options(&root)
    );
    choose(&root, "#currency", "KWD").await;
    assert_eq!(select_value(&root, "#currency"), "KWD");
    assert_eq!(input_value(&root, price), format::decimal_local(5_404, 3));
    root.remove();
}

/// Review 26: in a four-decimal currency (CLF, UYW) "12.500" in de-DE and "12,500" in en-US were
/// read as twelve thousand five hundred without a word, where KWD (three decimals) refuses them
/// as unclear. They are refused alike, with the currency's decimals named; the clear readings
/// stay as they were.
#[wasm_bindgen_test]
fn an_unclear_thousands_group_is_refused_in_four_decimal_currencies_too() {
    assert_eq!(cal_calc::position::minor_digits("CLF"), 4);
    for (text, decimal) in [("12.500", ','), ("12,500", '.')] {
        let clf = format::parse_money_in(text, 4, decimal).unwrap_err();
        assert!(clf.contains("four decimals"), "{clf}");
        assert!(clf.contains("(12500)"), "{clf}");
        let kwd = format::parse_money_in(text, 3, decimal).unwrap_err();
        assert!(kwd.contains("three decimals"), "{kwd}");
    }
    assert_eq!(format::parse_money_in("12,500", 4, ','), Ok(125_000));
    assert_eq!(format::parse_money_in("12.500", 4, '.'), Ok(125_000));
    assert_eq!(format::parse_money_in("0.500", 4, ','), Ok(5_000));
    assert_eq!(format::parse_money_in("1.234,5678", 4, ','), Ok(12_345_678));
    assert_eq!(format::parse_money_in("12500", 4, ','), Ok(125_000_000));
    assert_eq!(format::parse_money_in("2,900", 2, '.'), Ok(290_000));
}

/// Remembered figures are the figures `Intl` gives: the same amount in another currency, or
/// the same number as a count, is never taken for one formatted before, and a memory emptied
/// for being full gives the same texts again.
#[wasm_bindgen_test]
fn remembered_figures_are_those_of_their_own_currency() {
    let dollars = format::money(450_000, "USD");
    let euros = format::money(450_000, "EUR");
    let yen = format::money(450_000, "JPY");
    assert_ne!(dollars, euros);
    assert_ne!(dollars, yen);
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    assert_eq!(digits(&dollars), "450000", "{dollars}");
    assert_eq!(digits(&yen), "450000", "{yen}");
    let count = format::count(450_000);
    assert_eq!(digits(&count), "450000", "{count}");
    assert_ne!(count, dollars);
    // More figures than the memory holds, then the first ones again.
    for n in 0..5_000u64 {
        assert_eq!(digits(&format::count(n)), n.to_string());
    }
    assert_eq!(format::money(450_000, "USD"), dollars);
    assert_eq!(format::money(450_000, "EUR"), euros);
    assert_eq!(format::count(450_000), count);
}

/// Three digits after the locale's decimal separator are a mistyped price, not a thousands
/// group: "45.999" in en-US once became $45,999.00 without a word. The other separator still
/// groups ("2,900" in en-US, "2.900" in de-DE).
#[wasm_bindgen_test]
fn three_decimals_after_the_locales_decimal_separator_are_refused() {
    assert!(format::parse_money_in("45.999", 2, '.').is_err());
    assert!(format::parse_money_in("1.234", 2, '.').is_err());
    assert_eq!(format::parse_money_in("2,900", 2, '.'), Ok(290_000));
    assert!(format::parse_money_in("45,999", 2, ',').is_err());
    assert_eq!(format::parse_money_in("2.900", 2, ','), Ok(290_000));
    assert_eq!(format::parse_money_in("45.999", 3, '.'), Ok(45_999));
    // A three-decimal value after the locale's separator says how to write thousands instead.
    let unclear = format::parse_money_in("1,234", 2, ',').unwrap_err();
    assert!(unclear.contains("1234,50"), "{unclear}");
    let yen = format::parse_money_in("1.5", 0, '.').unwrap_err();
    assert!(yen.contains("whole amount"), "{yen}");
}

/// Thousands separators are read in either convention when the value is unambiguous ("1.234,50"
/// in de-DE, "1,234.50" in en-US); separators that group nothing are refused, not guessed at.
#[wasm_bindgen_test]
fn a_price_with_thousands_separators_is_read_in_either_locale() {
    for (text, decimal) in [
        ("1.234,50", ','),
        ("1,234.50", '.'),
        ("1,234.50", ','),
        ("1.234,50", '.'),
        ("1234,50", ','),
        ("1234.50", ','),
    ] {
        assert_eq!(
            format::parse_money_in(text, 2, decimal),
            Ok(123_450),
            "{text} {decimal}"
        );
    }
    assert_eq!(
        format::parse_money_in("1.234.567,89", 2, ','),
        Ok(123_456_789)
    );
    assert_eq!(format::parse_money_in("1.234", 2, ','), Ok(123_400));
    for (text, decimal) in [
        ("1.2.3", '.'),
        ("1.2,50", ','),
        ("12,34,5.00", '.'),
        ("1.234.5", '.'),
        ("1,234,5", ','),
        ("1.234,567", ','),
    ] {
        let message = format::parse_money_in(text, 2, decimal).unwrap_err();
        assert!(message.contains(text), "{text}: {message}");
    }
}

/// A price field shows its amount with the locale's decimal separator, as the results do.
#[wasm_bindgen_test]
fn a_price_is_shown_with_the_locales_decimal_separator() {
    assert_eq!(format::decimal_in(9_400, 2, ','), "94,00");
    assert_eq!(format::decimal_in(9_400, 2, '.'), "94.00");
    assert_eq!(format::decimal_in(97_500, 0, ','), "97500");
    let d = format::locale_decimal();
    assert_eq!(format::decimal_local(4_500, 2), format!("45{d}00"));
}

/// Every prefix of a price typed key by key is a price (its separator just typed adds nothing),
/// so typing "12,50" never passes through an error; "1.2." is not, as "1.2.3" is not.
#[wasm_bindgen_test]
fn a_price_being_typed_reads_at_every_keystroke() {
    assert_eq!(format::parse_money_in("12,", 2, ','), Ok(1_200));
    assert_eq!(format::parse_money_in("12.", 2, ','), Ok(1_200));
    assert_eq!(format::parse_money_in("1.234,", 2, ','), Ok(123_400));
    assert!(format::parse_money_in("1.2.", 2, '.').is_err());
    for typed in [
        "1", "1.", "1.2", "1.23", "1.234", "1.234,", "1.234,5", "1.234,50",
    ] {
        assert!(format::parse_money_in(typed, 2, ',').is_ok(), "{typed}");
    }
}

#[wasm_bindgen_test]
fn negative_price_is_refused() {
    assert!(format::parse_money("-3", 2).is_err());
}

#[wasm_bindgen_test]
fn decimal_count_is_refused() {
    assert!(format::parse_count("2.5", 0, 100)
        .unwrap_err()
        .contains("whole number"));
}

/// A count reads the locale's digit grouping only where it groups thousands, and refuses a
/// decimal separator saying what it read (QA: "1,5" became 15 and "1,0" became 10, while
/// "1.000" in de-DE, as the page itself writes numbers there, was refused).
#[wasm_bindgen_test]
fn a_count_reads_thousands_grouping_and_refuses_decimals() {
    // en-US: "." is the decimal point, "," groups thousands.
    for (typed, n) in [
        ("1", 1),
        ("1000", 1000),
        ("1,000", 1000),
        ("12,345,678", 12_345_678),
        ("1 000", 1000),
        ("1\u{202f}000", 1000),
        (" 250 ", 250),
        ("1,", 1),
    ] {
        assert_eq!(
            format::parse_count_in(typed, 0, u64::MAX, '.'),
            Ok(n),
            "{typed}"
        );
    }
    let refused = |typed: &str, decimal: char| {
        format::parse_count_in(typed, 0, u64::MAX, decimal).unwrap_err()
    };
    assert_eq!(
        refused("1,5", '.'),
        "Enter a whole number: “1,5” has a decimal comma."
    );
    assert_eq!(
        refused("1,0", '.'),
        "Enter a whole number: “1,0” has a decimal comma."
    );
    assert_eq!(
        refused("2.5", '.'),
        "Enter a whole number: “2.5” has a decimal point."
    );
    assert_eq!(
        refused("1.000", '.'),
        "Enter a whole number: “1.000” has a decimal point here (write a thousand as 1000 or 1,000)."
    );
    for typed in ["12,34,567", "1,0000", ",000", "1 5", "1,000,00", "1,,000"] {
        assert!(
            refused(typed, '.').contains("the separators do not group thousands (1,000"),
            "{typed}: {}",
            refused(typed, '.')
        );
    }
    // de-DE: "," is the decimal comma, "." groups thousands as the page shows them.
    for (typed, n) in [
        ("1.000", 1000),
        ("12.345.678", 12_345_678),
        ("1\u{a0}000", 1000),
        ("7", 7),
    ] {
        assert_eq!(
            format::parse_count_in(typed, 0, u64::MAX, ','),
            Ok(n),
            "{typed}"
        );
    }
    assert_eq!(
        refused("1,5", ','),
        "Enter a whole number: “1,5” has a decimal comma."
    );
    assert_eq!(
        refused("1,000", ','),
        "Enter a whole number: “1,000” has a decimal comma here (write a thousand as 1000 or 1.000)."
    );
    assert_eq!(
        refused("1.5", ','),
        "Enter a whole number: “1.5” has a decimal point."
    );
    assert!(refused("1.00.000", ',').contains("(1.000 or 12.345.678)"));
    // The range still applies to a grouped count.
    assert_eq!(
        format::parse_count_in("1,000", 0, 500, '.').unwrap_err(),
        format!(
            "That is more than {}: check the figure.",
            format::count(500)
        )
    );
    assert!(format::parse_count_in(",", 0, 5, '.')
        .unwrap_err()
        .contains("not a number"));
}

/// A count field in the browser's own locale reads a grouped thousand as the page writes it.
#[wasm_bindgen_test]
fn a_count_field_reads_the_grouping_the_page_writes() {
    assert_eq!(
        format::parse_count(&format::count(12_345), 0, u64::MAX),
        Ok(12_345)
    );
    assert!(format::parse_count("1,5", 0, 100).is_err());
}

/// With only products the estate does not use shown (embed `products=`), the purchase card says
/// so, not that people and servers are missing nor that what is owned covers everything.
#[wasm_bindgen_test]
async fn shown_products_the_estate_does_not_use_are_named_as_such() {
    use cal_calc::ui::components::results::{Recommendation, ResultsProps};
    let report = Rc::new(evaluate(&sample()));
    assert!(!report.products.is_empty());
    let unused = [
        CalProduct::SkypeEnterprise,
        CalProduct::SkypeStandard,
        CalProduct::SharePointEnterprise,
        CalProduct::AdRms,
    ]
    .into_iter()
    .find(|x| report.products.iter().all(|p| p.product != *x))
    .expect("a product the sample does not use");
    let root = mount_with::<Recommendation>(ResultsProps {
        report,
        only: Some(vec![unused]),
    })
    .await;
    assert_eq!(
        text(&root, "[data-testid=nothing-entered]"),
        "No one in this estate uses the products shown here: there is nothing to buy for them."
    );
    assert!(find(&root, ".ok").is_none());
}

/// 100 people on a Windows Server, an Exchange and a SQL Server, with a Core CAL Suite
/// cheaper than the two CALs it holds: 100 Core CAL Suites and 100 SQL Server CALs to buy.
fn suites_bought_report() -> Rc<Report> {
    let estate = Estate::from_json(
        r#"{"organisation": {"prices": [
                {"item": {"product": "core-cal-suite", "kind": "user-cal"}, "amount_minor": 100},
                {"item": {"product": "core-cal-suite", "kind": "device-cal"}, "amount_minor": 100}]},
            "groups": [{"id": "staff", "count": 100, "devices_each": 2}],
            "servers": [{"id": "dc", "product": "windows-server", "version": "2022"},
                        {"id": "mail", "product": "exchange", "version": "2019", "windows_version": "2022"},
                        {"id": "db", "product": "sql-server", "version": "2022", "windows_version": "2022"}],
            "access": [{"groups": ["staff"], "servers": ["dc", "mail", "db"]}]}"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    Rc::new(evaluate(&estate))
}

/// `component` rendered with `only` into a fresh element.
async fn rendered_only<C>(report: &Rc<Report>, only: &[CalProduct]) -> Mounted
where
    C: yew::BaseComponent<Properties = cal_calc::ui::components::results::ResultsProps>,
{
    mount_with::<C>(cal_calc::ui::components::results::ResultsProps {
        report: report.clone(),
        only: Some(only.to_vec()),
    })
    .await
}

fn text_of(root: &Element, selector: &str) -> Option<String> {
    root.query_selector(selector)
        .ok()
        .flatten()
        .and_then(|e| e.text_content())
}

/// Reviewer, embed `products=ws`: "Purchase cost of the products shown $0.00" and "Nothing to
/// buy: what you own covers every access entered." in green, while the Core CAL Suites bought
/// for Windows Server's people stood in no line; its card said "Via CAL Suites" over "To buy,
/// beyond what you own: $0.00". The suites' lines are kept, whole, and said to cover more.
#[wasm_bindgen_test]
async fn the_products_shown_keep_the_suites_bought_for_them() {
    use cal_calc::ui::components::results::{shown_total, ProductResults, Recommendation};
    let r = suites_bought_report();
    let suites: Vec<_> = r
        .recommendation
        .lines
        .iter()
        .filter(|l| l.product == CalProduct::CoreCalSuite)
        .collect();
    assert!(!suites.is_empty(), "{:#?}", r.recommendation.lines);
    let cost: i64 = suites.iter().map(|l| l.cost_minor).sum();
    let ws = rendered_only::<Recommendation>(&r, &[CalProduct::WindowsServer]).await;
    let html = ws.inner_html();
    assert_eq!(
        text_of(&ws, "[data-testid=total]").as_deref(),
        Some(format::money(cost, &r.currency).as_str()),
        "{html}"
    );
    assert!(
        html.contains("Core CAL Suite") && !html.contains("SQL Server"),
        "{html}"
    );
    assert!(
        !html.contains("Nothing to buy") && ws.query_selector(".ok").ok().flatten().is_none(),
        "{html}"
    );
    assert_eq!(
        text_of(&ws, "[data-testid=suites-beyond]").as_deref(),
        Some("The Core CAL Suites in this total are counted whole: they also cover Exchange Standard, SharePoint Standard and Skype for Business Standard."),
        "{html}"
    );
    assert_eq!(
        shown_total(&r, &Some(vec![CalProduct::WindowsServer])),
        (cost, true)
    );
    // The app's announcement of the result reads this total too.
    let both = Some(vec![
        CalProduct::WindowsServer,
        CalProduct::ExchangeStandard,
    ]);
    assert_eq!(shown_total(&r, &both), (cost, true));
    // SQL Server is in no suite: its view keeps none.
    let sql = rendered_only::<Recommendation>(&r, &[CalProduct::SqlServer]).await;
    assert!(
        !sql.inner_html().contains("Core CAL Suite"),
        "{}",
        sql.inner_html()
    );
    assert!(text_of(&sql, "[data-testid=suites-beyond]").is_none());
    // The card of a product the suites bought cover points to them.
    let cards =
        rendered_only::<ProductResults>(&r, &[CalProduct::WindowsServer, CalProduct::SqlServer])
            .await;
    assert!(
        text_of(&cards, "[data-testid=ws-suites-bought]")
            .is_some_and(|t| t.contains("CAL Suites under “What to buy”")),
        "{}",
        cards.inner_html()
    );
    assert!(text_of(&cards, "[data-testid=sql-suites-bought]").is_none());
    // The position table shows the suites' row, as its CSV does (review 26: the table kept only
    // rows of the products named, so it left out the row its own export wrote).
    let root = mount_with::<cal_calc::ui::components::position::PositionTable>(
        cal_calc::ui::components::position::PositionProps {
            report: r.clone(),
            only: Some(vec![CalProduct::WindowsServer]),
            on_error: yew::Callback::noop(),
        },
    )
    .await;
    let table = root.inner_html();
    assert!(table.contains("Core CAL Suite User CAL"), "{table}");
    assert_eq!(
        text_of(&root, "[data-testid=position-total]").as_deref(),
        Some(format::money(cost, &r.currency).as_str()),
        "{table}"
    );
}

#[derive(yew::Properties, PartialEq)]
struct SourceProps {
    source: String,
}

#[yew::component]
fn Source(p: &SourceProps) -> yew::Html {
    cal_calc::ui::components::why::source_links(&p.source)
}

/// Review 18: sources linked the copies the domain reference read Microsoft's texts on (a
/// look-alike of a Microsoft host among them). They are named, not linked; Microsoft's own
/// address in the same source stays a link.
#[wasm_bindgen_test]
async fn an_unofficial_copy_in_a_source_is_named_but_not_linked() {
    let source = cal_calc::catalog::RULES
        .iter()
        .map(|r| r.source)
        .find(|s| s.contains("azure.microsofts.workers.dev") && s.contains("learn.microsoft.com"))
        .expect("a source read on a copy");
    let root = mount_with::<Source>(SourceProps {
        source: source.to_string(),
    })
    .await;
    let links = root.query_selector_all("a[href]").expect("query");
    let hrefs: Vec<String> = (0..links.length())
        .filter_map(|k| links.item(k))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .filter_map(|a| a.get_attribute("href"))
        .collect();
    assert!(
        !hrefs.is_empty()
            && hrefs
                .iter()
                .all(|h| h.starts_with("https://learn.microsoft.com/")),
        "{hrefs:?}"
    );
    let shown = root.text_content().unwrap_or_default();
    assert!(
        shown.contains("azure.microsofts.workers.dev/…/")
            && shown.contains("(an unofficial copy, not linked)"),
        "{shown}"
    );
    root.remove();
}

/// Review 18: in an empty estate, "Add an access rule" added a rule with no server to tick, and
/// the result refused the estate at once. Until there is a group and a server to link, the
/// section says what to add first instead of offering the button.
#[wasm_bindgen_test]
async fn an_access_rule_is_offered_once_there_is_a_group_and_a_server() {
    let root = render(Estate::default()).await;
    click_button(&root, ".mode-switch button", "Detailed").await;
    let buttons = |root: &Element| {
        let all = root.query_selector_all("button").expect("query");
        (0..all.length())
            .filter_map(|k| all.item(k))
            .filter_map(|n| n.text_content())
            .collect::<Vec<String>>()
    };
    assert!(!buttons(&root).iter().any(|b| b == "Add an access rule"));
    assert_eq!(
        text(&root, "[data-testid=access-needs]"),
        "An access rule says which people use which servers: add a group and a server first."
    );
    click_button(&root, "button", "Add a group").await;
    assert!(text(&root, "[data-testid=access-needs]").ends_with("add a server first."));
    click_button(&root, "button", "Add Windows Server").await;
    assert!(find(&root, "[data-testid=access-needs]").is_none());
    assert!(buttons(&root).iter().any(|b| b == "Add an access rule"));
    root.remove();
}

/// A refused price says which price the result still uses, as the count fields do (QA).
#[wasm_bindgen_test]
async fn a_refused_price_says_which_price_the_result_still_uses() {
    let root = render(sample()).await;
    assert!(input_value(&root, "#price-ws-user").is_empty());
    type_into(&root, "#price-ws-user", "abc").await;
    let shown = text(&root, "#price-ws-user-error");
    assert!(
        shown.ends_with(&format!(
            "The result still uses the reference price, {}.",
            format::decimal_local(4500, 2)
        )),
        "{shown}"
    );
    type_into(&root, "#price-ws-user", "50").await;
    type_into(&root, "#price-ws-user", "5x").await;
    let shown = text(&root, "#price-ws-user-error");
    assert!(
        shown.ends_with(&format!(
            "The result still uses {}.",
            format::decimal_local(5000, 2)
        )),
        "{shown}"
    );
}

/// A count typed in exponent notation is a number to whoever typed it: the message says how to
/// write it (QA: "“1e9” is not a number").
#[wasm_bindgen_test]
fn a_count_in_exponent_notation_is_asked_for_in_digits() {
    assert_eq!(
        format::parse_count("1e9", 0, u64::MAX).unwrap_err(),
        "Write “1e9” in digits: 1000000000."
    );
    assert_eq!(
        format::parse_count("2E+3", 0, u64::MAX).unwrap_err(),
        "Write “2E+3” in digits: 2000."
    );
    assert_eq!(
        format::parse_count("1e99", 0, u64::MAX).unwrap_err(),
        "Write “1e99” in digits."
    );
    assert!(format::parse_count("abc", 0, 100)
        .unwrap_err()
        .contains("not a number"));
    // Over the limit, that comes first: its digits would only be refused next (review 20).
    let over = format!(
        "That is more than {}: check the figure.",
        format::count(10_000_000)
    );
    assert_eq!(
        format::parse_count("1e12", 0, 10_000_000).unwrap_err(),
        over
    );
    assert_eq!(
        format::parse_count("1e99", 0, 10_000_000).unwrap_err(),
        over
    );
    assert_eq!(
        format::parse_count("1e6", 0, 10_000_000).unwrap_err(),
        "Write “1e6” in digits: 1000000."
    );
}

/// Reference prices are shown as every other amount, with their currency and separators
/// ("$2,900.00", not "2900.00": QA).
#[wasm_bindgen_test]
async fn reference_prices_are_shown_as_money() {
    let root = render(sample()).await;
    let cells = root
        .query_selector_all(".price-table tbody td.num")
        .expect("query");
    let refs = cal_calc::catalog::reference_prices();
    assert_eq!(cells.length() as usize, refs.len());
    let mut known = 0;
    for (k, r) in refs.iter().enumerate() {
        let Some(m) = r.amount_minor else { continue };
        let t = cells
            .item(k as u32)
            .and_then(|c| c.text_content())
            .unwrap_or_default();
        let shown = format::money(m, r.currency);
        assert!(t.starts_with(&shown), "{t} does not start with {shown}");
        known += 1;
    }
    assert!(known > 5);
    assert!(format::money(290_000, "USD").contains("2,900"));
}

#[wasm_bindgen_test]
fn position_csv_has_a_header_and_one_line_per_row() {
    let report = evaluate(&sample());
    let csv = position_csv(&report).expect("csv");
    let lines = csv.lines().count();
    assert_eq!(
        (
            csv.starts_with("Product,Licence,Version,Owned,Used,Surplus,Needed,Covered,Shortfall"),
            lines
        ),
        // The header, one line per row and per Microsoft 365 seat row, and the total (review
        // 20).
        (true, report.position.len() + report.seats.len() + 2)
    );
    assert!(csv
        .lines()
        .last()
        .is_some_and(|l| l.starts_with("Total,") && l.contains("as of")));
}

/// Renders the app as a visitor would get it: from the address and storage (no estate prop).
async fn render_from_address(fragment: &str) -> Mounted {
    let window = web_sys::window().expect("window");
    let _ = window.location().set_hash(fragment);
    let root = mount_with::<App>(AppProps {
        estate: None,
        today: Some(TODAY),
        slow_quick_ms: Some(f64::INFINITY),
    })
    .await;
    let _ = window.location().set_hash("");
    root
}

#[wasm_bindgen_test]
async fn a_share_link_in_the_address_opens_its_estate() {
    let mut e = sample();
    e.name = "Shared by a colleague".into();
    let link = cal_calc::share::encode(&e).expect("encode");
    let root = render_from_address(&link).await;
    assert!(text(&root, ".as-of").starts_with("Shared by a colleague"));
}

#[wasm_bindgen_test]
async fn a_cut_off_share_link_shows_why_and_an_estate_anyway() {
    let link = cal_calc::share::encode(&sample()).expect("encode");
    let cut = &link[..link.len() / 2];
    let root = render_from_address(cut).await;
    assert_eq!(
        (
            text(&root, "[data-testid=notice]").contains("not opened"),
            text(&root, "[data-testid=total]").is_empty()
        ),
        (true, false)
    );
}

#[wasm_bindgen_test]
async fn detailed_mode_edit_of_a_group_count_changes_the_result() {
    let e = sample();
    let mut expected = e.clone();
    let Some(first) = expected.groups.first_mut() else {
        return;
    };
    first.count += 5;
    let new_count = first.count;
    let want = evaluate(&expected).recommendation.total_minor;
    let root = render(e).await;
    click(&root, ".mode-switch button:nth-child(2)").await;
    open_all_cards(&root).await;
    type_into(&root, "#d-group-0-count", &new_count.to_string()).await;
    assert_eq!(
        text(&root, "[data-testid=total]"),
        format::money(want, "USD")
    );
}

/// Chooses `value` in the `<select>` at `selector`, as a user would.
async fn choose(root: &Element, selector: &str, value: &str) {
    let select: web_sys::HtmlSelectElement = find(root, selector)
        .expect("select present")
        .dyn_into()
        .expect("a select");
    select.set_value(value);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict("change", &init).expect("event");
    select.dispatch_event(&event).expect("dispatch");
    yew::scheduler::flush().await;
}

#[wasm_bindgen_test]
async fn choosing_the_external_connector_reading_for_external_rds_users_changes_the_total() {
    let e = Estate::from_json(
        r#"{ "groups": [{ "id": "partners", "count": 200, "kind": "partner" }],
             "servers": [{ "id": "rdsh", "product": "windows-server", "version": "2022", "rds_session_host": true,
                           "rds_mode": "per-user" }],
             "access": [{ "groups": ["partners"], "servers": ["rdsh"], "features": ["remote-desktop"] }] }"#,
    )
    .expect("valid estate");
    let mut other = e.clone();
    other.organisation.readings.external_additive_base =
        cal_calc::estate::ExternalAdditiveBase::ExternalConnector;
    let (before, after) = (
        evaluate(&e).recommendation.total_minor,
        evaluate(&other).recommendation.total_minor,
    );
    assert!(
        after < before,
        "the External Connector reading is cheaper here"
    );
    let root = render(e).await;
    assert_eq!(
        text(&root, "[data-testid=total]"),
        format::money(before, "USD")
    );
    click(&root, ".mode-switch button:nth-child(2)").await;
    click(&root, "#d-reading-ext-base-external-connector").await;
    assert_eq!(
        text(&root, "[data-testid=total]"),
        format::money(after, "USD")
    );
}

/// The sample's Microsoft 365 managers get 180 Windows Server Device CALs only as the base of
/// their RDS Device CALs (same device, the default reading): choosing the reading that lets the
/// user's base serve shows the total without them at once.
#[wasm_bindgen_test]
async fn choosing_the_either_subject_reading_of_an_additive_base_changes_the_total() {
    let e = sample();
    let mut other = e.clone();
    other.organisation.readings.additive_base = cal_calc::estate::AdditiveBase::EitherSubject;
    let (before, after) = (
        evaluate(&e).recommendation.total_minor,
        evaluate(&other).recommendation.total_minor,
    );
    assert_eq!(
        before - after,
        720_000,
        "180 Windows Server Device CALs at $40.00"
    );
    let root = render(e).await;
    assert_eq!(
        text(&root, "[data-testid=total]"),
        format::money(before, "USD")
    );
    click(&root, ".mode-switch button:nth-child(2)").await;
    click(&root, "#d-reading-additive-base-either-subject").await;
    assert_eq!(
        text(&root, "[data-testid=total]"),
        format::money(after, "USD")
    );
    let all = root.text_content().unwrap_or_default();
    assert!(
        all.contains("the calculator lets the other subject hold the base"),
        "the reading's finding is not shown"
    );
    // With what the default reading comes to.
    let compared = format!(
        "Under the default reading the purchase comes to {}, {} more",
        format::money(before, "USD"),
        format::money(before - after, "USD")
    );
    assert!(all.contains(&compared), "no “{compared}”");
}

/// The options of the `<select>` at `selector`, as (value, label).
fn select_options(root: &Element, selector: &str) -> Vec<(String, String)> {
    let options = root
        .query_selector_all(&format!("{selector} option"))
        .expect("query");
    (0..options.length())
        .filter_map(|k| options.item(k))
        .filter_map(|o| o.dyn_into::<Element>().ok())
        .map(|o| {
            let value = o.get_attribute("value").unwrap_or_default();
            (value, o.text_content().unwrap_or_default())
        })
        .collect()
}

/// An owned External Connector is assigned by the reading in force: under the per-VM reading to
/// a VM, which the select offers, and a file's VM stays shown as that VM under either reading
/// (review 27: only hosts were offered, and a connector assigned to "vm1" showed another option).
#[wasm_bindgen_test]
async fn a_connector_can_be_assigned_to_a_vm_under_the_per_vm_reading() {
    let e = Estate::from_json(
        r#"{ "organisation": { "readings": { "external_connector_scope": "per-vm" } },
             "groups": [{ "id": "partners", "count": 200, "kind": "partner" }],
             "servers": [
               { "id": "hv", "product": "windows-server", "edition": "datacenter", "version": "2022", "virtualization_only": true },
               { "id": "vm1", "product": "windows-server", "version": "2022", "host": "hv", "vm": true },
               { "id": "vm2", "product": "windows-server", "version": "2022", "host": "hv", "vm": true }],
             "access": [{ "groups": ["partners"], "servers": ["vm1", "vm2"] }],
             "holdings": [{ "product": "windows-server", "kind": "external-connector", "version": "2022",
                            "quantity": 1, "assigned_to": "vm1" }] }"#,
    )
    .expect("valid estate");
    let root = render(e).await;
    click(&root, ".mode-switch button:nth-child(2)").await;
    open_all_cards(&root).await;
    let select = "#d-holding-0-assigned";
    assert_eq!(select_value(&root, select), "vm1");
    let values: Vec<String> = select_options(&root, select)
        .into_iter()
        .map(|(v, _)| v)
        .collect();
    assert_eq!(values, ["", "vm1", "vm2"]);
    choose(&root, select, "vm2").await;
    assert_eq!(select_value(&root, select), "vm2");
    // Under the per-host reading the hosts are offered, and the VM assigned is shown as itself.
    click(&root, "#d-reading-ec-per-physical-host").await;
    assert_eq!(select_value(&root, select), "vm2");
    let options = select_options(&root, select);
    assert!(options.iter().any(|(v, _)| v == "hv"), "{options:?}");
    let shown = options
        .iter()
        .find(|(v, _)| v == "vm2")
        .expect("vm2 offered");
    assert!(shown.1.contains("a VM on"), "{options:?}");
}

/// The Servers section's hint says what an External Connector covers by the reading in force
/// (review 27: "covers a host with all its VMs" under the per-VM reading too).
#[wasm_bindgen_test]
async fn the_servers_hint_follows_the_connector_reading() {
    let root = render(sample()).await;
    click(&root, ".mode-switch button:nth-child(2)").await;
    let all = || root.text_content().unwrap_or_default();
    assert!(all().contains("an External Connector covers a host with all its VMs"));
    click(&root, "#d-reading-ec-per-vm").await;
    assert!(!all().contains("an External Connector covers a host with all its VMs"));
    assert!(
        all().contains("an External Connector covers one VM, or one physical server with no VMs")
    );
}

/// A printer pool can name who prints with it (cal-rules §1.8 item 8): with the staff on User
/// CALs, the 10 printers' Device CALs leave the total once the staff are ticked under the pool.
#[wasm_bindgen_test]
async fn naming_who_prints_with_a_printer_pool_drops_its_device_cals() {
    let e = Estate::from_json(
        r#"{ "groups": [{ "id": "staff", "count": 40, "devices_each": 2 }],
             "shared_devices": [{ "id": "prn", "name": "Printers", "count": 10, "unattended": true, "accesses": ["fs"] }],
             "servers": [{ "id": "fs", "product": "windows-server", "version": "2022" }],
             "access": [{ "groups": ["staff"], "servers": ["fs"] }] }"#,
    )
    .expect("valid estate");
    let mut named = e.clone();
    named.shared_devices[0].shared_by = vec!["staff".into()];
    let (before, after) = (
        evaluate(&e).recommendation.total_minor,
        evaluate(&named).recommendation.total_minor,
    );
    assert_eq!(before - after, 10 * 4_000, "10 Device CALs at $40");
    let root = render(e).await;
    assert_eq!(
        text(&root, "[data-testid=total]"),
        format::money(before, "USD")
    );
    click(&root, ".mode-switch button:nth-child(2)").await;
    open_card(&root, "Printers — 10 devices, unattended").await;
    click(&root, "#d-pool-0-grp-staff").await;
    assert_eq!(
        text(&root, "[data-testid=total]"),
        format::money(after, "USD")
    );
}

/// Network equipment (cal-rules §4.2 item 8): a pool of switches named by whoever prints with it
/// becomes no one's when marked as network equipment (the editor clears its users, which the
/// file format refuses beside the mark); its Device CALs stay under the default reading, and
/// choosing the other takes them out of the total, with the note naming the pool.
#[wasm_bindgen_test]
async fn marking_network_equipment_and_choosing_its_reading_changes_the_total() {
    let e = Estate::from_json(
        r#"{ "groups": [{ "id": "staff", "count": 40, "devices_each": 2 }],
             "shared_devices": [{ "id": "sw", "name": "Switches", "count": 6, "unattended": true, "accesses": ["fs"] }],
             "servers": [{ "id": "fs", "product": "windows-server", "version": "2022" }],
             "access": [{ "groups": ["staff"], "servers": ["fs"] }] }"#,
    )
    .expect("valid estate");
    let mut not_counted = e.clone();
    not_counted.shared_devices[0].network = true;
    not_counted.organisation.readings.network_equipment =
        cal_calc::estate::NetworkEquipment::NotCounted;
    let (before, after) = (
        evaluate(&e).recommendation.total_minor,
        evaluate(&not_counted).recommendation.total_minor,
    );
    assert_eq!(before - after, 6 * 4_000, "6 Device CALs at $40");
    let root = render(e).await;
    click(&root, ".mode-switch button:nth-child(2)").await;
    open_card(&root, "Switches — 6 devices, unattended").await;
    click(&root, "#d-pool-0-grp-staff").await;
    click(&root, "#d-pool-0-network").await;
    assert!(
        find(&root, "#d-pool-0-grp-staff").is_none(),
        "network equipment is no one's: its users are not asked"
    );
    assert_eq!(
        text(&root, "[data-testid=total]"),
        format::money(before, "USD")
    );
    let all = root.text_content().unwrap_or_default();
    assert!(
        all.contains("6 devices of network equipment (Switches)"),
        "no note"
    );
    click(&root, "#d-reading-network-not-counted").await;
    assert_eq!(
        text(&root, "[data-testid=total]"),
        format::money(after, "USD")
    );
}

/// Review 18: whether Microsoft 365 seats cover the printers their users print with is a reading;
/// choosing "Device CALs" gives the 2 MFPs of 40 E3 users their Windows Server Device CALs at once.
#[wasm_bindgen_test]
async fn choosing_device_cals_for_microsoft_365_printers_adds_them_to_the_total() {
    let e = Estate::from_json(
        r#"{ "organisation": { "m365": { "e3_seats": 40 } },
             "groups": [{ "id": "staff", "count": 40, "devices_each": 1, "m365": "e3" }],
             "shared_devices": [{ "id": "mfp", "name": "MFPs", "count": 2, "unattended": true, "shared_by": ["staff"], "accesses": ["fs"] }],
             "servers": [{ "id": "fs", "product": "windows-server", "version": "2022" }],
             "access": [{ "groups": ["staff"], "servers": ["fs"] }] }"#,
    )
    .expect("valid estate");
    let mut device = e.clone();
    device.organisation.readings.m365_printers = cal_calc::estate::M365Printers::DeviceCals;
    let (before, after) = (
        evaluate(&e).recommendation.total_minor,
        evaluate(&device).recommendation.total_minor,
    );
    assert_eq!((before, after), (0, 2 * 4_000), "2 Device CALs at $40");
    let root = render(e).await;
    assert_eq!(
        text(&root, "[data-testid=total]"),
        format::money(before, "USD")
    );
    click(&root, ".mode-switch button:nth-child(2)").await;
    click(&root, "#d-reading-printers-device-cals").await;
    assert_eq!(
        text(&root, "[data-testid=total]"),
        format::money(after, "USD")
    );
}

/// The readings where sources disagree are radio buttons under a legend, each reading on its own
/// line (QA 1 Dec: as selects they cut "One per physical host, covering its VMs (Product Terms)"
/// even at 1000 px); the applied reading is the checked one.
#[wasm_bindgen_test]
async fn the_readings_where_sources_disagree_are_radio_groups() {
    let root = render(sample()).await;
    click(&root, ".mode-switch button:nth-child(2)").await;
    for (id, legend, applied) in [
        (
            "d-reading-ec",
            "Count External Connectors",
            "per-physical-host",
        ),
        (
            "d-reading-additive-base",
            "An additive CAL's base is held by",
            "same-subject",
        ),
        (
            "d-reading-ext-base",
            "External users with RDS or AD RMS User CALs get",
            "base-cal",
        ),
        (
            "d-reading-m365",
            "Microsoft 365 seats count as CALs when bought through",
            "all-channels",
        ),
        (
            "d-reading-e3",
            "A Microsoft 365 E3 seat stands for",
            "standard-and-enterprise",
        ),
        (
            "d-reading-printers",
            "Printers and scanners used by Microsoft 365 users",
            "covered-by-users",
        ),
        (
            "d-reading-network",
            "Network equipment that authenticates to servers gets",
            "device-cals",
        ),
    ] {
        assert_eq!(text(&root, &format!("fieldset#{id} > legend")), legend);
        let radios = root
            .query_selector_all(&format!("fieldset#{id} input[type=radio][name={id}]"))
            .expect("query");
        assert_eq!(radios.length(), 2, "{id}");
        let checked: Vec<String> = (0..radios.length())
            .filter_map(|k| radios.item(k))
            .filter_map(|n| n.dyn_into::<HtmlInputElement>().ok())
            .filter(|r| r.checked())
            .map(|r| r.value())
            .collect();
        assert_eq!(checked, vec![applied.to_string()], "{id}");
    }
    click(&root, "#d-reading-ec-per-vm").await;
    let ec: HtmlInputElement = find(&root, "#d-reading-ec-per-vm")
        .expect("per-VM reading")
        .dyn_into()
        .expect("an input");
    assert!(ec.checked());
    let all = root.text_content().unwrap_or_default();
    assert!(
        all.contains("External Connectors one per VM (community reading)"),
        "the per-VM reading was not applied"
    );
}

#[wasm_bindgen_test]
async fn a_price_typed_in_the_prices_table_becomes_the_unit_price() {
    let root = render(sample()).await;
    type_into(&root, "#price-ws-user", "50").await;
    let line = root.query_selector_all(".lines tbody tr").expect("query");
    let mut found = false;
    for i in 0..line.length() {
        let t = line
            .item(i)
            .and_then(|n| n.text_content())
            .unwrap_or_default();
        if t.starts_with("Windows Server User CAL") {
            found = t.contains(&format::money(5_000, "USD"));
        }
    }
    assert!(
        found,
        "the Windows Server User CAL line shows the typed price"
    );
}

#[wasm_bindgen_test]
fn moving_a_datacenter_windows_server_to_sql_server_keeps_the_estate_valid() {
    use cal_calc::estate::{Edition, ServerProduct};
    let mut e = sample();
    Edit::AddServer(ServerProduct::WindowsServer).apply(&mut e);
    let last = e.servers.len() - 1;
    let mut s = e.servers[last].clone();
    s.edition = Edition::Datacenter;
    s.rds_session_host = true;
    cal_calc::ui::state::change_server_product(&mut s, ServerProduct::SqlServer);
    Edit::SetServer(last, s).apply(&mut e);
    assert_eq!(e.validate(), Ok(()));
}

#[wasm_bindgen_test]
fn moving_an_external_connector_to_sql_server_makes_it_a_user_cal() {
    use cal_calc::estate::Holding;
    let mut h = Holding {
        product: CalProduct::WindowsServer,
        kind: LicenceKind::ExternalConnector,
        version: "2022".into(),
        quantity: 1,
        software_assurance: None,
        assigned_to: Some("hv-a".into()),
    };
    cal_calc::ui::state::change_holding_product(&mut h, CalProduct::SqlServer);
    assert_eq!((h.kind, h.assigned_to), (LicenceKind::UserCal, None));
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

#[wasm_bindgen_test]
async fn a_share_link_pasted_into_the_open_page_opens_its_estate() {
    let root = render(sample()).await;
    let mut e = sample();
    e.name = "Pasted later".into();
    let link = cal_calc::share::encode(&e).expect("encode");
    let window = web_sys::window().expect("window");
    let _ = window.location().set_hash(&link);
    sleep(50).await;
    yew::scheduler::flush().await;
    let _ = window.location().set_hash("");
    assert!(text(&root, ".as-of").starts_with("Pasted later"));
}

#[wasm_bindgen_test]
async fn without_prices_in_the_currency_the_result_says_which_are_missing() {
    let mut e = sample();
    Edit::SetCurrency("EUR".into()).apply(&mut e);
    e.organisation.prices.clear();
    let report = evaluate(&e);
    let missing = report
        .recommendation
        .lines
        .iter()
        .filter(|l| l.price_missing)
        .count();
    assert!(missing > 0);
    let root = render(e).await;
    assert!(
        text(&root, "[data-testid=prices-missing]").contains(&format!("for {missing} of these"))
    );
    // Review 17: the headline was the cost of the priced lines under "Purchase cost".
    assert_eq!(
        text(&root, ".total-label"),
        "Purchase cost of the licences with a price"
    );
    assert!(text(&root, ".summary-bar").contains(&format!("+ {missing} without a price")));
}

#[wasm_bindgen_test]
fn removing_every_server_leaves_a_valid_estate() {
    let mut e = sample();
    while !e.servers.is_empty() {
        Edit::RemoveServer(0).apply(&mut e);
    }
    assert_eq!(e.validate(), Ok(()));
}

#[wasm_bindgen_test]
fn removing_every_group_leaves_a_valid_estate() {
    let mut e = sample();
    while !e.groups.is_empty() {
        Edit::RemoveGroup(0).apply(&mut e);
    }
    assert_eq!(e.validate(), Ok(()));
}

/// Every sequence of editor actions keeps the estate valid and evaluable (a pseudo-random walk
/// over the verbs the editors send, from the sample and from an empty estate).
///
/// Evaluable as the page evaluates each edit: at the quick effort, on the page, the test
/// yielding after each so that the test runner can read the page. The full search runs in a
/// worker in the app and, for the walk's estates, spends its whole budget: 12–14 s each in this
/// debug build, 65 s for the test, which held the page past ChromeDriver's 30 s wait for an
/// answer and failed a CI run (6 Dec 2026). The engine's own tests evaluate random estates at the
/// full effort natively (`tests/engine`, `rich_estate`).
#[wasm_bindgen_test]
async fn random_edits_never_leave_an_invalid_or_unevaluable_estate() {
    use cal_calc::estate::ServerProduct;
    let mut seed: u64 = 0x5eed;
    let mut next = move |n: u64| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % n.max(1)
    };
    let products = [
        ServerProduct::WindowsServer,
        ServerProduct::SqlServer,
        ServerProduct::Exchange,
        ServerProduct::SharePoint,
        ServerProduct::SkypeForBusiness,
    ];
    let fields = [
        QuickField::Employees,
        QuickField::DevicesEach,
        QuickField::SharedDevices,
        QuickField::SharedUsers,
        QuickField::ExternalUsers,
    ];
    for start in [
        sample(),
        Estate {
            format_version: 1,
            ..Estate::default()
        },
    ] {
        let mut e = start;
        for step in 0..80 {
            let edit = match next(9) {
                0 => Edit::SetQuick(fields[next(5) as usize], next(500) as u32 + 1),
                1 => Edit::AddServer(products[next(5) as usize]),
                2 => Edit::RemoveServer(next(e.servers.len() as u64 + 1) as usize),
                3 => Edit::AddGroup,
                4 => Edit::RemoveGroup(next(e.groups.len() as u64 + 1) as usize),
                5 => Edit::AddSharedDevices,
                6 => Edit::RemoveSharedDevices(next(e.shared_devices.len() as u64 + 1) as usize),
                7 => Edit::AddHolding,
                _ => Edit::SetOwnedWindowsCals {
                    kind: LicenceKind::UserCal,
                    quantity: next(300) as u32,
                    version: "2019".into(),
                },
            };
            let shown = format!("{edit:?}");
            edit.apply(&mut e);
            assert_eq!(
                e.validate(),
                Ok(()),
                "start {}, step {step}: {shown}",
                e.name
            );
            // Evaluating is the slow part in a debug build: every tenth step.
            if step % 10 == 9 {
                let evaluated = cal_calc::evaluate_with(&e, TODAY, cal_calc::Effort::Quick);
                assert!(
                    evaluated.is_ok(),
                    "step {step}: {shown} does not evaluate: {:?}",
                    evaluated.err()
                );
                sleep(0).await;
            }
        }
    }
}

/// Changing the currency keeps the amount typed for an own price (45 stays 45), where it once
/// kept the minor units (45.00 USD became 4,500 yen, and back).
#[wasm_bindgen_test]
fn a_currency_change_keeps_own_prices_as_typed() {
    let item = PriceItem {
        product: CalProduct::WindowsServer,
        kind: LicenceKind::UserCal,
    };
    let mut e = Estate::default();
    Edit::SetPrice(item, Some(4_550)).apply(&mut e);
    let amount = |e: &Estate| e.organisation.prices.first().map(|p| p.amount_minor);
    Edit::SetCurrency("JPY".into()).apply(&mut e);
    assert_eq!(
        (e.organisation.currency.as_str(), amount(&e)),
        ("JPY", Some(46))
    );
    Edit::SetCurrency("kwd".into()).apply(&mut e);
    assert_eq!(
        (e.organisation.currency.as_str(), amount(&e)),
        ("KWD", Some(46_000))
    );
    Edit::SetCurrency("EUR".into()).apply(&mut e);
    assert_eq!(amount(&e), Some(4_600));
}

/// Numbers are kept when the currency changes, so a price the old currency holds can be above the
/// largest an estate holds in the new one (browser review 21: ¥20,000,000,000 became
/// $20,000,000,000.00, which the estate check refused, and after a reload the page showed no
/// result): the switch names those prices instead of making them.
#[wasm_bindgen_test]
fn a_currency_switch_names_the_prices_it_would_make_too_large() {
    use cal_calc::estate::PriceOverride;
    let item = PriceItem {
        product: CalProduct::WindowsServer,
        kind: LicenceKind::UserCal,
    };
    let yen = |amount_minor| vec![PriceOverride { item, amount_minor }];
    assert_eq!(
        cal_calc::ui::state::prices_too_large_in(&yen(20_000_000_000), "JPY", "USD"),
        vec![(item, 2_000_000_000_000)]
    );
    assert!(cal_calc::ui::state::prices_too_large_in(&yen(9_000_000_000), "JPY", "USD").is_empty());
    assert_eq!(
        cal_calc::ui::state::prices_too_large_in(&yen(20_000_000_000), "JPY", "EUR"),
        vec![(item, 2_000_000_000_000)]
    );
    assert!(
        cal_calc::ui::state::prices_too_large_in(&yen(20_000_000_000), "JPY", "JPY").is_empty()
    );
}

/// In a currency with no reference prices a product card said "To buy: €0.00" for licences it
/// cannot price; it now says the price is unknown, as What to buy does.
#[wasm_bindgen_test]
async fn a_product_with_no_price_in_the_currency_says_so_instead_of_zero() {
    let mut estate = sample();
    Edit::SetCurrency("EUR".into()).apply(&mut estate);
    // At the quick effort, as the page shows it first: with items unpriced the full search
    // spends its whole budget, 26 s on the page in this debug build (3.6 s natively in
    // release), too long to hold the page (see
    // `random_edits_never_leave_an_invalid_or_unevaluable_estate`).
    let report = cal_calc::evaluate_with(&estate, TODAY, cal_calc::Effort::Quick)
        .expect("the estate evaluates")
        .report;
    let ws = report
        .products
        .iter()
        .find(|p| p.product == CalProduct::WindowsServer)
        .expect("Windows Server in the sample");
    assert_eq!(ws.cost_minor, 0);
    let root = render(estate).await;
    let card = text(&root, "article.product[data-product=ws] .product-cost");
    assert!(card.contains("price unknown"), "{card}");
    assert!(!card.contains("0.00"), "{card}");
}

/// A product card heads its licence counts as what the cheapest mix needs, apart from what is
/// bought (QA 1 Dec: the sample's Exchange card said "User CALs 459" beside "To buy $0", the 459
/// all owned, and read as a purchase).
#[wasm_bindgen_test]
async fn a_product_card_says_its_counts_are_needed_not_bought() {
    let root = render(sample()).await;
    let card = "article.product[data-product=exchange]";
    let dl = find(&root, &format!("{card} dl.licences")).expect("Exchange's licence counts");
    let by = dl.get_attribute("aria-labelledby").unwrap_or_default();
    assert!(!by.is_empty(), "the licence counts have no heading");
    let heading = text(&root, &format!("{card} #{by}"));
    assert!(heading.starts_with("Needed (cheapest mix"), "{heading}");
    let cost = text(&root, &format!("{card} .product-cost"));
    assert!(cost.starts_with("To buy"), "{cost}");
    assert!(!cost.contains("Needed"), "{cost}");
}

/// A reference price no public page gives reads "—" and says to enter one's own, with no
/// "source" link beside it (QA 1 Dec: the link read as a citation of a price there is not); a
/// known reference price keeps its source.
#[wasm_bindgen_test]
async fn a_reference_price_of_none_has_no_source_link() {
    let root = render(sample()).await;
    let rows = root
        .query_selector_all(".price-table tbody tr")
        .expect("query");
    let (mut none, mut known) = (0, 0);
    for k in 0..rows.length() {
        let row: Element = rows.item(k).expect("row").dyn_into().expect("an element");
        let cell = row
            .query_selector("td.num")
            .ok()
            .flatten()
            .expect("reference cell");
        let t = cell.text_content().unwrap_or_default();
        let source = cell.query_selector("details.price-source").ok().flatten();
        if t.starts_with('—') {
            none += 1;
            assert!(source.is_none(), "a source link beside no price: {t}");
            assert!(t.contains("no public price; enter your own"), "{t}");
        } else {
            known += 1;
            assert!(source.is_some(), "no source for a known price: {t}");
        }
    }
    assert!(
        none > 0 && known > 0,
        "{none} without and {known} with a price"
    );
}

/// Removing a physical host says what happens to its virtual machines (they become physical
/// servers, each its own host for External Connectors) instead of leaving them "VM on " nothing.
#[wasm_bindgen_test]
fn removing_a_host_names_its_virtual_machines() {
    let estate = sample();
    let i = estate
        .servers
        .iter()
        .position(|s| {
            estate
                .servers
                .iter()
                .any(|v| v.host.as_deref() == Some(s.id.as_str()))
        })
        .expect("the sample has a host with VMs");
    let host = estate.servers[i].id.clone();
    let state = Rc::new(AppState::new(estate, Origin::Sample));
    let next = state.clone().reduce(Action::Edit(Edit::RemoveServer(i)));
    assert!(next
        .estate
        .servers
        .iter()
        .all(|s| s.host.as_deref() != Some(host.as_str())));
    let notice = next
        .notice
        .as_ref()
        .map(|n| n.text.clone())
        .unwrap_or_default();
    let vms = state
        .estate
        .servers
        .iter()
        .filter(|s| s.host.as_deref() == Some(host.as_str()))
        .count();
    let said = if vms == 1 {
        "The server that ran on it".to_string()
    } else {
        format!("The {vms} servers that ran on it")
    };
    assert!(notice.contains(&said), "{notice}");
    assert!(
        notice.contains("now treated as physical servers"),
        "{notice}"
    );
    let orphans = next
        .estate
        .servers
        .iter()
        .filter(|s| s.vm && s.host.is_none())
        .count();
    assert_eq!(orphans, 0);
}

/// Undo after removing a host brings back exactly the estate before: the host, and its virtual
/// machines with their host and VM flag again.
#[wasm_bindgen_test]
fn undoing_the_removal_of_a_host_restores_its_virtual_machines() {
    let estate = sample();
    let i = estate
        .servers
        .iter()
        .position(|s| {
            estate
                .servers
                .iter()
                .any(|v| v.host.as_deref() == Some(s.id.as_str()))
        })
        .expect("the sample has a host with VMs");
    let state = Rc::new(AppState::new(estate.clone(), Origin::Sample));
    let removed = state.reduce(Action::Edit(Edit::RemoveServer(i)));
    assert!(removed.notice.as_ref().is_some_and(|n| n.offer_undo));
    let back = removed.clone().reduce(Action::Undo);
    assert_eq!(*back.estate, estate);
    assert!(back.undo.is_none());
    assert!(
        back.revision > removed.revision,
        "the report is computed again"
    );
}

/// Every "Remove …" of the editors can be undone, to exactly the estate before; the chance ends
/// with the next edit or when the notice is dismissed.
#[wasm_bindgen_test]
fn every_removal_offers_an_undo_until_the_next_edit_or_dismissal() {
    let estate = sample();
    assert!(!estate.holdings.is_empty() && !estate.access.is_empty());
    for edit in [
        Edit::RemoveGroup(0),
        Edit::RemoveSharedDevices(0),
        Edit::RemoveServer(0),
        Edit::RemoveAccess(0),
        Edit::RemoveHolding(0),
    ] {
        let state = Rc::new(AppState::new(estate.clone(), Origin::Sample));
        let removed = state.reduce(Action::Edit(edit.clone()));
        assert_ne!(*removed.estate, estate, "{edit:?} removes something");
        let notice = removed
            .notice
            .clone()
            .expect("a removal says what it removed");
        assert!(notice.offer_undo, "{edit:?}");
        assert!(notice.text.starts_with("Removed "), "{}", notice.text);
        assert_eq!(
            *removed.clone().reduce(Action::Undo).estate,
            estate,
            "{edit:?}"
        );
        // The next edit ends it: the notice goes, and Undo changes nothing.
        let edited = removed
            .clone()
            .reduce(Action::Edit(Edit::SetName("Renamed".into())));
        assert!(edited.undo.is_none() && edited.notice.is_none(), "{edit:?}");
        assert_eq!(edited.clone().reduce(Action::Undo).estate, edited.estate);
        let dismissed = removed.reduce(Action::Dismiss);
        assert!(dismissed.undo.is_none(), "{edit:?}");
    }
    // An edit that is not a removal offers nothing to undo.
    let state = Rc::new(AppState::new(estate, Origin::Sample));
    let edited = state.reduce(Action::Edit(Edit::SetQuick(QuickField::Employees, 7)));
    assert!(edited.undo.is_none());
}

/// A notice that changes nothing in the estate (a save that failed, a refused link or file, an
/// export error, a mode switch that left entries behind) shows its message and keeps offering
/// Undo, saying what it brings back: it took the chance to undo away before (a full storage's
/// "not saved" notice came a moment after a removal, and the server was lost to Undo). Undo,
/// the next edit and Dismiss then work as after the removal's own notice.
#[wasm_bindgen_test]
fn a_notice_that_changes_nothing_keeps_the_removals_undoable() {
    use cal_calc::ui::state::{Notice, NoticeKind, NoticePlace};
    let estate = sample();
    let state = Rc::new(AppState::new(estate.clone(), Origin::Sample));
    let one = state.reduce(Action::Edit(Edit::RemoveServer(0)));
    let what = one.undo.next().expect("a removal to undo").to_string();
    let two = one.clone().reduce(Action::Edit(Edit::RemoveServer(0)));
    let older = two.undo.next().expect("a removal to undo").to_string();
    let failed = "The browser's storage is full, so your work is not saved in this browser.";
    for (after, text, kind, place) in [
        (
            two.clone().reduce(Action::Notify(Notice::error(failed))),
            failed.to_string(),
            NoticeKind::Error,
            NoticePlace::Editor,
        ),
        // A message without its full stop still reads as two sentences.
        (
            two.clone().reduce(Action::Notify(
                Notice::error("The estate could not be exported: denied").at_import(),
            )),
            "The estate could not be exported: denied.".to_string(),
            NoticeKind::Error,
            NoticePlace::Import,
        ),
        (
            two.clone().reduce(Action::SetModeDropping(
                Mode::Detailed,
                Notice::info("Switched to detailed mode. Not kept, as it could not be used: 4200x"),
            )),
            "Switched to detailed mode. Not kept, as it could not be used: 4200x.".to_string(),
            NoticeKind::Info,
            NoticePlace::Editor,
        ),
    ] {
        assert_eq!(after.estate, two.estate, "{text}");
        assert_eq!(after.undo.len(), 2, "{text}");
        let n = after.notice.clone().expect("the new notice");
        assert_eq!(n.text, format!("{text} Undo still brings back {older}."));
        assert!(n.offer_undo && !n.offer_restore && !n.offer_link, "{n:?}");
        assert_eq!((n.kind, n.place), (kind, place));
        // Undo takes back the last removal, then the one before, as it would have.
        let back = after.clone().reduce(Action::Undo);
        assert_eq!(back.estate, one.estate, "{text}");
        assert!(back.notice.as_ref().is_some_and(|n| n.offer_undo));
        assert_eq!(back.reduce(Action::Undo).estate.as_ref(), &estate);
        // The next edit or Dismiss ends the chance, as they end a removal's.
        let edited = after
            .clone()
            .reduce(Action::Edit(Edit::SetName("Renamed".into())));
        assert!(edited.undo.is_none() && edited.notice.is_none(), "{text}");
        let dismissed = after.reduce(Action::Dismiss);
        assert!(dismissed.undo.is_none() && dismissed.notice.is_none());
    }
    // Two notices in a row: the last one shows, still with Undo, saying it once.
    let twice = one
        .clone()
        .reduce(Action::Notify(Notice::error(failed)))
        .reduce(Action::Notify(Notice::info("Share link copied.")));
    let n = twice.notice.clone().expect("a notice");
    assert_eq!(
        n.text,
        format!("Share link copied. Undo still brings back {what}.")
    );
    assert!(n.offer_undo && twice.undo.len() == 1);
    // With nothing to undo, the notice is shown as it came, without Undo.
    let plain = Rc::new(AppState::new(estate, Origin::Sample))
        .reduce(Action::Notify(Notice::error(failed)));
    assert_eq!(plain.notice, Some(Notice::error(failed)));
}

/// In quick mode, "Remove server" shows a notice with an Undo button that brings the server
/// back, with its name.
#[wasm_bindgen_test]
async fn removing_a_server_in_quick_mode_can_be_undone() {
    let e = Estate::from_json(
        r#"{ "groups": [{ "id": "staff", "count": 30, "devices_each": 1 }],
             "servers": [{ "id": "fs1", "name": "File server", "product": "windows-server", "version": "2022" },
                         { "id": "dc1", "name": "Domain controller", "product": "windows-server", "version": "2022" }],
             "access": [{ "groups": ["staff"], "servers": ["fs1", "dc1"] }] }"#,
    )
    .expect("valid estate");
    let root = render(e).await;
    assert!(find(&root, "[data-testid=undo]").is_none());
    click(&root, "button[aria-label='Remove server File server']").await;
    assert_eq!(input_value(&root, "#q-server-0-name"), "Domain controller");
    let notice = text(&root, "[data-testid=notice]");
    assert!(notice.contains("Removed server “File server”."), "{notice}");
    let slot = find(&root, ".notice-slot").expect("the notice slot");
    assert_eq!(slot.get_attribute("aria-live").as_deref(), Some("polite"));
    click(&root, "[data-testid=undo]").await;
    assert_eq!(input_value(&root, "#q-server-0-name"), "File server");
    assert_eq!(input_value(&root, "#q-server-1-name"), "Domain controller");
    assert!(find(&root, "[data-testid=undo]").is_none());
    // After another removal, the next edit takes the offer away.
    click(
        &root,
        "button[aria-label='Remove server Domain controller']",
    )
    .await;
    assert!(find(&root, "[data-testid=undo]").is_some());
    type_into(&root, "#q-employees", "31").await;
    assert!(find(&root, "[data-testid=undo]").is_none());
}

/// G8b: nothing to buy, yet a critical finding (the RD Licensing server is older than the RDS
/// CALs) needs an upgrade: the purchase card must not say "covers every access" on its own.
#[wasm_bindgen_test]
async fn a_critical_finding_no_purchase_closes_is_said_next_to_the_total() {
    let e = Estate::from_json(include_str!(
        "../examples/estates/g8b-rds-cals-newer-than-licensing-server.json"
    ))
    .expect("valid estate");
    let root = render(e.clone()).await;
    assert_eq!(text(&root, "[data-testid=total]"), format::money(0, "USD"));
    let note = text(&root, "[data-testid=not-compliant]");
    assert!(
        note.starts_with("Not compliant as entered. 1 critical finding"),
        "{note}"
    );
    assert!(find(&root, ".recommendation p.ok").is_none());
    // Without the licensing server's version the note goes.
    let mut fixed = e;
    fixed.servers[0].rd_licensing_server_version = None;
    let root = render(fixed).await;
    assert!(find(&root, "[data-testid=not-compliant]").is_none());
    assert!(find(&root, ".recommendation p.ok").is_some());
}

/// The sample buys SQL CALs for a Server+CAL server that per core would license for less: the
/// saving is said next to the total (UI review 14: it was the thirteenth finding); G1 has none.
#[wasm_bindgen_test]
async fn a_possible_saving_is_said_next_to_the_total() {
    let root = render(sample()).await;
    let note = text(&root, "[data-testid=saving]");
    // The sample's server is a VM, whose core licences need SA (review 20).
    assert!(
        note.starts_with(&format!(
            "Possible saving: {} by licensing SQL Server per core, before the Software Assurance or subscription that licensing a virtual machine per core needs",
            format::money(4_379_000, "USD")
        )),
        "{note}"
    );
    let g1 = Estate::from_json(include_str!("../examples/estates/g1-small-office.json"))
        .expect("valid estate");
    let root = render(g1).await;
    assert!(find(&root, "[data-testid=saving]").is_none());
}

/// A break-even far below "now" is drawn on an axis cut at three times the break-even, with
/// "now" marked as beyond it and the cost scale labelled (UI review 14: the sample's Customer
/// portal, 65 against 2,500 users, sat squashed against the left edge).
#[wasm_bindgen_test]
async fn a_break_even_far_below_now_is_drawn_on_a_cut_axis() {
    let root = render(sample()).await;
    let figures = root.query_selector_all("figure.breakeven").expect("query");
    let svgs: Vec<String> = (0..figures.length())
        .filter_map(|k| figures.item(k))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .filter_map(|f| find(&f, "svg[role=img]").and_then(|s| s.text_content()))
        .collect();
    let now = format!("now {} →", format::count(2_500));
    let portal: Vec<&String> = svgs.iter().filter(|t| t.contains(&now)).collect();
    assert!(!portal.is_empty(), "{svgs:?}");
    // 3 × 65 = 195 users at the axis's end, and the cost there (195 × $45) at the top.
    assert!(
        portal.iter().any(|t| t.contains(&format::count(195))
            && t.contains(&format!(
                "Connector cheaper from {} users",
                format::count(65)
            ))
            && t.contains(&format::money(877_500, "USD"))),
        "{portal:?}"
    );
    // A break-even near "now" keeps its whole axis: no arrow.
    let hosts = format!("now {}", format::count(165));
    assert!(
        svgs.iter().any(|t| t.contains(&hosts) && !t.contains('→')),
        "{svgs:?}"
    );
}

/// A break-even at one says "1 device", not "1 devices" (review 18).
#[wasm_bindgen_test]
async fn a_break_even_at_one_is_said_in_the_singular() {
    let estate = Estate::from_json(
        r#"{ "organisation": { "prices": [
                 { "item": { "product": "windows-server", "kind": "user-cal" }, "amount_minor": 3000 },
                 { "item": { "product": "windows-server", "kind": "device-cal" }, "amount_minor": 4000 } ] },
             "groups": [{ "id": "staff", "count": 30, "devices_each": 1 }],
             "servers": [{ "id": "fs", "product": "windows-server", "version": "2022" }],
             "access": [{ "groups": ["staff"], "servers": ["fs"] }] }"#,
    )
    .expect("valid estate");
    let root = render(estate).await;
    open_more_breakevens(&root).await;
    let shown = find(&root, "figure.breakeven svg[role=img]")
        .and_then(|s| s.text_content())
        .unwrap_or_default();
    assert!(shown.contains("from 1 device"), "{shown}");
    assert!(!shown.contains("1 devices"), "{shown}");
    root.remove();
}

/// Review 18: at 360 px the break-even labels ran past their charts' edges ("Connector cheaper
/// from 129 u", "nector cheaper from 65 users"). Set as large and bold as on a phone, every text
/// of every chart of the sample stays inside its chart, and a break-even's two lines hang from
/// the side of its marker with more room.
#[wasm_bindgen_test]
async fn break_even_labels_stay_inside_their_charts() {
    let document = gloo::utils::document();
    let style = document.create_element("style").expect("style");
    style.set_text_content(Some(
        "svg text { font-size: 19px; font-weight: 600; font-family: system-ui, sans-serif; }",
    ));
    document
        .head()
        .expect("head")
        .append_child(&style)
        .expect("append");
    let root = render(sample()).await;
    open_more_breakevens(&root).await;
    let svgs = root
        .query_selector_all("figure.breakeven svg[role=img]")
        .expect("query");
    let (mut outside, mut sides, mut texts) = (Vec::new(), Vec::new(), 0);
    for svg in (0..svgs.length())
        .filter_map(|k| svgs.item(k))
        .filter_map(|n| n.dyn_into::<Element>().ok())
    {
        let frame = svg.get_bounding_client_rect();
        let all = svg.query_selector_all("text").expect("texts");
        for t in (0..all.length())
            .filter_map(|k| all.item(k))
            .filter_map(|n| n.dyn_into::<Element>().ok())
        {
            let r = t.get_bounding_client_rect();
            if r.left() < frame.left() - 0.5 || r.right() > frame.right() + 0.5 {
                outside.push(format!(
                    "{:?} {:.0}–{:.0} in {:.0}–{:.0}",
                    t.text_content().unwrap_or_default(),
                    r.left(),
                    r.right(),
                    frame.left(),
                    frame.right()
                ));
            }
            texts += 1;
        }
        let attr = |sel: &str, name: &str| {
            find(&svg, sel)
                .and_then(|e| e.get_attribute(name))
                .unwrap_or_default()
        };
        let marker: f64 = attr("line.threshold", "x1").parse().expect("the marker");
        let anchor = attr("text.break-even", "text-anchor");
        let expected = if marker <= 198.0 { "start" } else { "end" };
        if anchor != expected {
            sides.push(format!("marker at {marker}: {anchor}"));
        }
    }
    style.remove();
    root.remove();
    assert!(texts > 10, "{texts} texts in the charts");
    assert!(outside.is_empty(), "{outside:#?}");
    assert!(sides.is_empty(), "{sides:?}");
}

/// Opens the "More break-evens" disclosure as a click on its summary would.
async fn open_more_breakevens(root: &Element) {
    let details = find(root, "details.more-breakevens").expect("the more break-evens");
    details.set_attribute("open", "").expect("open");
    let event = web_sys::Event::new("toggle").expect("event");
    details.dispatch_event(&event).expect("dispatch");
    yew::scheduler::flush().await;
}

/// Review 17: a User-vs-Device chart drew its "break-even 2" marker at 2 devices each where its
/// lines cross at about 1.1. The marker is now where the lines meet and says which way is
/// cheaper from which whole count, as does the chart's text alternative.
#[wasm_bindgen_test]
async fn a_user_or_device_break_even_is_marked_where_its_lines_cross() {
    let report = evaluate(&sample());
    let root = render(sample()).await;
    open_more_breakevens(&root).await;
    let figures = root.query_selector_all("figure.breakeven").expect("query");
    let mut checked = 0;
    for f in (0..figures.length())
        .filter_map(|k| figures.item(k))
        .filter_map(|n| n.dyn_into::<Element>().ok())
    {
        let svg = find(&f, "svg[role=img]").expect("the chart");
        let said = svg.text_content().unwrap_or_default();
        let Some(b) = report.breakevens.iter().find(|b| {
            b.kind == BreakEvenKind::UserVsDevice
                && b.option_b.contains("User CALs")
                && text(&f, "figcaption").ends_with(&b.shown_subject())
                && said.contains(&format!(
                    "User CALs cheaper from {} devices",
                    format::count(b.threshold)
                ))
        }) else {
            continue;
        };
        let ticks = svg.query_selector_all("text.tick").expect("ticks");
        let tick = |k: u32| -> f64 {
            ticks
                .item(k)
                .and_then(|t| t.text_content())
                .and_then(|t| t.replace([',', '.', '\u{a0}'], "").parse().ok())
                .expect("a count tick")
        };
        let (x_min, x_max) = (tick(0), tick(1));
        let sx = |x: f64| 8.0 + (x - x_min) / (x_max - x_min) * (400.0 - 8.0 - 12.0);
        let marker: f64 = find(&svg, "line.threshold")
            .and_then(|l| l.get_attribute("x1"))
            .and_then(|x| x.parse().ok())
            .expect("the marker");
        // Option B (User CALs) costs n × user price, option A n × x × device price: they meet
        // at x = user price ÷ device price, below the first whole count where B is cheaper.
        let (a, bb) = (b.curve[0], b.curve[1]);
        let device_each = ((bb.1 - a.1) as f64) / ((bb.0 - a.0) as f64);
        let meet = a.0 as f64 + (a.2 - a.1) as f64 / device_each;
        assert!(
            (marker - sx(meet.clamp(x_min, x_max))).abs() < 0.2,
            "{marker} vs {meet}"
        );
        assert!(meet < b.threshold as f64, "{meet} {}", b.threshold);
        assert!(marker < sx(b.threshold as f64) - 1.0, "{marker}");
        assert!(said.contains(&format!(
            "{} is cheaper from {} devices per person.",
            b.option_b,
            format::count(b.threshold)
        )));
        checked += 1;
    }
    assert!(
        checked > 0,
        "no User-vs-Device chart with own devices in the sample"
    );
    root.remove();
}

/// Review 17: the print view left out the charts folded in "More break-evens". They are drawn
/// for print when the browser is about to print, and not at every edit while folded.
#[wasm_bindgen_test]
async fn folded_break_evens_are_drawn_for_print_only_when_printing() {
    let root = render(sample()).await;
    let folded = text(&root, "details.more-breakevens > summary");
    assert!(folded.starts_with("More break-evens"), "{folded}");
    let charts = |sel: &str| {
        root.query_selector_all(sel)
            .map(|l| l.length())
            .unwrap_or(0)
    };
    let shown = charts("figure.breakeven");
    assert_eq!(
        charts("[data-testid=more-breakevens-print] figure.breakeven"),
        0
    );
    let window = web_sys::window().expect("window");
    window
        .dispatch_event(&web_sys::Event::new("beforeprint").expect("event"))
        .expect("dispatch");
    yew::scheduler::flush().await;
    let printed = charts("[data-testid=more-breakevens-print] figure.breakeven");
    assert!(printed > 0);
    // On paper a heading stands for the disclosure (review 43: its title alone at a page's foot).
    assert_eq!(
        text(
            &root,
            "[data-testid=more-breakevens-print] > h3.more-breakevens-title"
        ),
        folded
    );
    assert_eq!(charts("figure.breakeven"), shown + printed);
    assert!(find(&root, "[data-testid=more-breakevens-print]")
        .and_then(|d| d.get_attribute("class"))
        .is_some_and(|c| c.split(' ').any(|c| c == "print-only")));
    window
        .dispatch_event(&web_sys::Event::new("afterprint").expect("event"))
        .expect("dispatch");
    yew::scheduler::flush().await;
    assert_eq!(
        charts("[data-testid=more-breakevens-print] figure.breakeven"),
        0
    );
    // The app's Print button announces the print before it opens the dialog.
    window
        .dispatch_event(&web_sys::Event::new(cal_calc::ui::browser::PRINT_EVENT).expect("event"))
        .expect("dispatch");
    yew::scheduler::flush().await;
    assert_eq!(
        charts("[data-testid=more-breakevens-print] figure.breakeven"),
        printed
    );
    window
        .dispatch_event(&web_sys::Event::new("afterprint").expect("event"))
        .expect("dispatch");
    yew::scheduler::flush().await;
    root.remove();
}

/// Review 17: an exported estate dropped into "Import from your directory" said "The columns of
/// this file were not recognised ({)" and offered to map them: it now points to the estate import.
#[wasm_bindgen_test]
fn an_estate_file_in_the_directory_import_is_pointed_to_the_estate_import() {
    use cal_calc::ui::components::import::estate_file_message;
    let said = |first: &str| estate_file_message(&[first.to_string(), "x".to_string()]);
    for first in ["{", "\u{feff}{", "  {\"format_version\": 1"] {
        assert_eq!(
            said(first).as_deref(),
            Some("This is an estate file (JSON), not a directory export: open it with “Import estate (JSON)” under Keep and share."),
            "{first}"
        );
    }
    assert_eq!(said("UserPrincipalName"), None);
    assert_eq!(estate_file_message(&[]), None);
}

/// A count of one is named in the singular in its "why" (QA: "Why 1 external connectors?").
#[wasm_bindgen_test]
async fn a_why_names_a_count_of_one_in_the_singular() {
    let e = Estate::from_json(include_str!("../examples/estates/g9-ec-break-even.json"))
        .expect("valid estate");
    let root = render(e).await;
    assert_eq!(text(&root, "[data-testid=ws-ecs]"), "1");
    let hidden = find(&root, "[data-testid=ws-ecs]")
        .and_then(|v| v.parent_element())
        .map(|dd| text(&dd, "summary .visually-hidden"));
    assert_eq!(
        hidden.as_deref(),
        Some("Why 1 External Connector for Windows Server CAL?")
    );
}

/// A share link or file with more than quick mode shows (made in detailed mode) opens in detailed
/// mode; a quick-sized one, the sample and saved work open in quick mode (QA: a detailed link
/// opened in quick mode, hiding most of what it carried).
#[wasm_bindgen_test]
fn a_detailed_link_or_file_opens_in_detailed_mode() {
    let small = Estate::from_json(
        r#"{ "groups": [{ "id": "staff", "count": 30, "devices_each": 1 }],
             "servers": [{ "id": "fs", "product": "windows-server", "version": "2022" }],
             "access": [{ "groups": ["staff"], "servers": ["fs"] }] }"#,
    )
    .expect("valid estate");
    let modes: Vec<Mode> = [
        (sample(), Origin::ShareLink),
        (sample(), Origin::File),
        (sample(), Origin::Sample),
        (sample(), Origin::Saved),
        (small.clone(), Origin::ShareLink),
    ]
    .into_iter()
    .map(|(e, o)| AppState::new(e, o).mode)
    .collect();
    use Mode::{Detailed, Quick};
    assert_eq!(modes, [Detailed, Detailed, Quick, Quick, Quick]);
    // One group, but what quick mode cannot show (QA): two lots of one kind, a Microsoft 365
    // plan, a server only some reach.
    let variant = |edit: &dyn Fn(&mut Estate)| {
        let mut e = small.clone();
        edit(&mut e);
        assert_eq!(e.validate(), Ok(()));
        AppState::new(e, Origin::ShareLink).mode
    };
    let lot = |version: &str, quantity: u32| cal_calc::estate::Holding {
        product: CalProduct::WindowsServer,
        kind: LicenceKind::UserCal,
        version: version.into(),
        quantity,
        software_assurance: None,
        assigned_to: None,
    };
    assert_eq!(variant(&|e| e.holdings.push(lot("2022", 30))), Quick);
    assert_eq!(
        variant(&|e| e.holdings.extend([lot("2019", 20), lot("2022", 30)])),
        Detailed
    );
    assert_eq!(
        variant(&|e| e.groups[0].m365 = Some(cal_calc::estate::M365Plan::E3)),
        Detailed
    );
    assert_eq!(
        variant(&|e| {
            let mut s = e.servers[0].clone();
            s.id = "sql".into();
            e.servers.push(s);
        }),
        Detailed
    );
    // Loading keeps the mode the user chose unless a link or file needs detailed mode.
    let state = Rc::new(AppState::new(sample(), Origin::Saved));
    let next = state.reduce(Action::Load(Box::new(small.clone()), Origin::File));
    assert_eq!(next.mode, Quick);
    let state = Rc::new(AppState::new(small.clone(), Origin::Saved));
    let next = state.reduce(Action::Load(Box::new(sample()), Origin::File));
    assert_eq!(next.mode, Detailed);
    let next = next.reduce(Action::Load(Box::new(small), Origin::ShareLink));
    assert_eq!(next.mode, Detailed);
}

/// The printed report lists what it was computed from: every group, server and holding of the
/// sample appears in the (print-only) summary.
#[wasm_bindgen_test]
async fn the_print_summary_lists_every_group_server_and_holding() {
    let e = sample();
    let root = render(e.clone()).await;
    let rows = |caption: &str| {
        let tables = root
            .query_selector_all(".inputs-summary table")
            .expect("query");
        (0..tables.length())
            .filter_map(|i| tables.item(i))
            .filter_map(|t| t.dyn_into::<Element>().ok())
            .find(|t| text(t, "caption") == caption)
            .map_or(0, |t| {
                t.query_selector_all("tbody tr")
                    .map(|r| r.length())
                    .unwrap_or(0)
            })
    };
    assert_eq!(
        (
            rows("People"),
            rows("Servers"),
            rows("Owned licences"),
            rows("Access")
        ),
        (
            e.groups.len() as u32,
            e.servers.len() as u32,
            e.holdings.len() as u32,
            e.access.len() as u32
        )
    );
}

/// A new group joins the rules every internal group is in, not every rule without a feature
/// (QA: a new group in the sample reached the customers' portal and the BI warehouse).
#[wasm_bindgen_test]
async fn a_new_group_gets_everyones_access_only() {
    // Quick-sized estate: one rule for everyone; a new group and a new server join it.
    let mut small = Estate::from_json(
        r#"{ "groups": [{ "id": "staff", "count": 30, "devices_each": 1 },
                        { "id": "partners", "count": 5, "kind": "partner" }],
             "servers": [{ "id": "fs", "product": "windows-server", "version": "2022" },
                         { "id": "web", "product": "windows-server", "version": "2022" }],
             "access": [{ "groups": ["staff"], "servers": ["fs"] },
                        { "groups": ["partners"], "servers": ["web"] }] }"#,
    )
    .expect("valid estate");
    Edit::AddGroup.apply(&mut small);
    let new = small
        .groups
        .last()
        .map(|g| g.id.clone())
        .unwrap_or_default();
    let with_new: Vec<bool> = small
        .access
        .iter()
        .map(|a| a.groups.contains(&new))
        .collect();
    assert_eq!(
        with_new,
        [true, false],
        "joins staff's rule, not the partners'"
    );
    Edit::AddServer(cal_calc::estate::ServerProduct::WindowsServer).apply(&mut small);
    let server = small
        .servers
        .last()
        .map(|s| s.id.clone())
        .unwrap_or_default();
    let with_server: Vec<bool> = small
        .access
        .iter()
        .map(|a| a.servers.contains(&server))
        .collect();
    assert_eq!(with_server, [true, false]);
    // The sample has no rule every internal group is in: the new group reaches nothing, and its
    // card says so.
    let mut e = sample();
    let before = e.access.clone();
    Edit::AddGroup.apply(&mut e);
    assert_eq!(e.access, before);
    assert_eq!(e.validate(), Ok(()));
    let root = render(sample()).await;
    click(&root, ".mode-switch button:nth-child(2)").await;
    let i = sample().groups.len();
    assert!(find(&root, &format!("[data-testid=group-{i}-no-access]")).is_none());
    click_button(&root, "fieldset.rows > button", "Add a group").await;
    assert!(find(&root, &format!("[data-testid=group-{i}-no-access]")).is_some());
}

/// Quick mode names its servers (QA: they could only be renamed in detailed mode).
#[wasm_bindgen_test]
async fn a_server_is_renamed_in_quick_mode() {
    let e = Estate::from_json(
        r#"{ "groups": [{ "id": "staff", "count": 30, "devices_each": 1 }],
             "servers": [{ "id": "fs1", "product": "windows-server", "version": "2022" }],
             "access": [{ "groups": ["staff"], "servers": ["fs1"] }] }"#,
    )
    .expect("valid estate");
    let root = render(e).await;
    assert_eq!(input_value(&root, "#q-server-0-name"), "");
    type_into(&root, "#q-server-0-name", "File server").await;
    assert_eq!(input_value(&root, "#q-server-0-name"), "File server");
    let servers = text(&root, ".inputs-summary");
    assert!(servers.contains("File server"), "{servers}");
    click(&root, ".mode-switch button:nth-child(2)").await;
    open_all_cards(&root).await;
    assert_eq!(input_value(&root, "#d-server-0-name"), "File server");
}

/// A new card stays open while the user types into it (QA: its `open` followed its content, so a
/// new group closed after the first digit of its count and the rest of the typing was lost).
#[wasm_bindgen_test]
async fn a_new_card_stays_open_while_typing() {
    let root = render(sample()).await;
    click(&root, ".mode-switch button:nth-child(2)").await;
    let i = sample().groups.len();
    click_button(&root, "fieldset.rows > button", "Add a group").await;
    let card = |root: &Element| {
        find(root, &format!("#d-group-{i}-count"))
            .and_then(|input| input.closest("details").ok().flatten())
            .map(|d| d.has_attribute("open"))
    };
    assert_eq!(card(&root), Some(true), "the new card opens");
    type_into(&root, &format!("#d-group-{i}-count"), "2").await;
    assert_eq!(card(&root), Some(true), "still open after the first digit");
    type_into(&root, &format!("#d-group-{i}-count"), "25").await;
    assert_eq!(input_value(&root, &format!("#d-group-{i}-count")), "25");
    assert_eq!(card(&root), Some(true));
    // The sample's existing cards (all with people) stay closed, their summaries only.
    let first = find(&root, "details:has(#card-groups-0)").map(|d| d.has_attribute("open"));
    assert_eq!(first, Some(false));
    assert!(find(&root, "#d-group-0-count").is_none());
}

/// An edit never leaves an estate that cannot be evaluated because of a hidden field (QA):
/// unticking "Remote Desktop Session Host" clears its mode and licensing server and takes Remote
/// Desktop off rules left without a session host, saying so; pay-as-you-go goes with a version
/// other than 2025; SQL Enterprise cannot stay Server+CAL.
#[wasm_bindgen_test]
fn server_edits_keep_the_estate_valid() {
    use cal_calc::estate::{Edition, ServerProduct, SqlLicensing};
    let e = Estate::from_json(include_str!(
        "../examples/estates/g8b-rds-cals-newer-than-licensing-server.json"
    ))
    .expect("valid estate");
    let mut s = e.servers[0].clone();
    s.rds_session_host = false;
    let edit = Edit::SetServer(0, s);
    let notice = edit.notice(&e).map(|n| n.text);
    let mut after = e.clone();
    edit.apply(&mut after);
    assert_eq!(after.validate(), Ok(()));
    assert_eq!(
        (
            after.servers[0].rds_mode,
            &after.servers[0].rd_licensing_server_version
        ),
        (None, &None)
    );
    assert!(after.access[0].features.is_empty());
    assert!(
        notice
            .as_deref()
            .is_some_and(|n| n.contains("Remote Desktop was taken off the access rule")),
        "{notice:?}"
    );
    // Pay-as-you-go on 2025, then the version set to 2022.
    let mut e = sample();
    let i = e
        .servers
        .iter()
        .position(|s| s.product == ServerProduct::WindowsServer)
        .expect("a Windows Server");
    let mut s = e.servers[i].clone();
    s.version = "2025".into();
    s.pay_as_you_go = true;
    Edit::SetServer(i, s.clone()).apply(&mut e);
    assert!(e.servers[i].pay_as_you_go);
    s.version = "2022".into();
    Edit::SetServer(i, s).apply(&mut e);
    assert!(!e.servers[i].pay_as_you_go);
    assert_eq!(e.validate(), Ok(()));
    // A Server+CAL SQL Server moved to Enterprise becomes per core.
    let j = e
        .servers
        .iter()
        .position(|s| s.sql_licensing == Some(SqlLicensing::ServerCal))
        .expect("a Server+CAL SQL Server in the sample");
    let mut s = e.servers[j].clone();
    s.edition = Edition::Enterprise;
    Edit::SetServer(j, s).apply(&mut e);
    assert_eq!(e.servers[j].sql_licensing, Some(SqlLicensing::PerCore));
    assert_eq!(e.validate(), Ok(()));
}

/// An estate problem names the card, not a 0-based JSON path (QA).
#[wasm_bindgen_test]
fn an_estate_problem_names_the_card() {
    let e = sample();
    let name = e.servers[2].name.clone();
    assert_eq!(
        format::place_in_editor("servers[2].pay_as_you_go: only for 2025", &e),
        format!("server “{name}” (pay_as_you_go): only for 2025")
    );
    assert_eq!(
        format::place_in_editor("access[10].features[0]: needs a session host", &e),
        "access rule 11 (features[0]): needs a session host"
    );
    assert_eq!(
        format::place_in_editor("line 3, column 4: expected value", &e),
        "line 3, column 4: expected value"
    );
    // A server without a name is called by its place, as the editors call it.
    let mut e = e;
    e.servers[2].name.clear();
    assert_eq!(
        format::place_in_editor("servers[2].pay_as_you_go: only for 2025", &e),
        "Server 3 (pay_as_you_go): only for 2025"
    );
}

/// The organisation's settings are named where the forms show them, not by their JSON path
/// (repair review 24: "organisation.prices[0].amount_minor").
#[wasm_bindgen_test]
fn an_organisation_problem_names_the_setting() {
    let e = sample();
    let first = e
        .organisation
        .prices
        .first()
        .expect("the sample has its own prices")
        .item;
    assert_eq!(
        format::place_in_editor("organisation.prices[0].amount_minor: too large", &e),
        format!(
            "your price of the {} {} (Unit prices): too large",
            format::product_label(first.product),
            format::kind_label(first.kind)
        )
    );
    assert_eq!(
        format::place_in_editor("organisation.m365.e3_seats: too many", &e),
        "Microsoft 365 E3 seats: too many"
    );
    assert_eq!(
        format::place_in_editor("organisation.currency: \"usd\" is not a code", &e),
        "the currency (Unit prices): \"usd\" is not a code"
    );
    // A price the estate does not have stays as the check wrote it.
    assert_eq!(
        format::place_in_editor("organisation.prices[99].amount_minor: too large", &e),
        "organisation.prices[99].amount_minor: too large"
    );
}

/// The printed inputs carry what changes a figure (QA): a group's Microsoft 365 plan, a SQL
/// Server's licensing model, a VM's host by name, the readings.
#[wasm_bindgen_test]
async fn the_print_summary_carries_what_changes_a_figure() {
    let root = render(sample()).await;
    let summary = text(&root, ".inputs-summary");
    for expected in [
        "E3",
        "licensed per core (no SQL CALs)",
        "VM on Hyper-V host A",
        "Readings where sources disagree",
    ] {
        assert!(summary.contains(expected), "{expected} missing: {summary}");
    }
}

/// The printout and the CSV's Total row say the readings in the same words
/// (`report::readings_in_words`), under the defaults and under the seven others.
#[wasm_bindgen_test]
async fn the_print_summary_and_the_csv_say_the_readings_alike() {
    use cal_calc::estate::{
        AdditiveBase, ExternalAdditiveBase, ExternalConnectorScope, M365E3Rights, M365Equivalency,
        M365Printers, NetworkEquipment,
    };
    let mut other = sample();
    let r = &mut other.organisation.readings;
    r.additive_base = AdditiveBase::EitherSubject;
    r.external_connector_scope = ExternalConnectorScope::PerVm;
    r.external_additive_base = ExternalAdditiveBase::ExternalConnector;
    r.m365_equivalency = M365Equivalency::VolumeLicensingOnly;
    r.m365_e3_rights = M365E3Rights::CoreCalSuite;
    r.m365_printers = M365Printers::DeviceCals;
    r.network_equipment = NetworkEquipment::NotCounted;
    for e in [sample(), other] {
        let words = cal_calc::report::readings_in_words(&e.organisation.readings);
        let root = render(e).await;
        let summary = text(&root, ".inputs-summary");
        assert!(
            summary.contains(&format!("Readings where sources disagree: {words}.")),
            "{words} missing: {summary}"
        );
    }
}

/// `?embed&currency=EUR` on an estate priced in USD once showed its USD prices as euros (QA
/// H5): a currency change drops the estate's own prices; the host page gives its own.
#[wasm_bindgen_test]
fn embed_currency_drops_prices_of_another_currency() {
    let item = |p| PriceItem {
        product: p,
        kind: LicenceKind::UserCal,
    };
    let mut usd = Estate::default();
    Edit::SetPrice(item(CalProduct::WindowsServer), Some(9_400)).apply(&mut usd);
    let mut e = usd.clone();
    embed::apply_prices(
        &mut e,
        &embed::parse("embed&currency=eur&price.rds-user=15000", ""),
    );
    let prices: Vec<(CalProduct, i64)> = e
        .organisation
        .prices
        .iter()
        .map(|p| (p.item.product, p.amount_minor))
        .collect();
    assert_eq!(
        (e.organisation.currency.as_str(), prices),
        ("EUR", vec![(CalProduct::Rds, 15_000)])
    );
    // The estate's own currency: its prices stay.
    let mut e = usd.clone();
    embed::apply_prices(&mut e, &embed::parse("embed&currency=usd", ""));
    assert_eq!(e.organisation.prices, usd.organisation.prices);
}

/// A finding's "why" is named for screen readers by what it explains, in the finding's own
/// words, never by its internal kind (QA: "Why this finding (suite-split, Core CAL Suite)?").
#[wasm_bindgen_test]
fn a_findings_why_is_named_by_its_words_not_its_code() {
    use cal_calc::report::{Finding, Severity};
    use cal_calc::ui::components::findings::finding_subject;
    let finding = |kind: FindingKind, message: &str, product| Finding {
        kind,
        severity: Severity::Warning,
        rule: "some-rule".into(),
        message: message.into(),
        source: String::new(),
        product,
        saving_minor: None,
        saving_condition: None,
    };
    assert_eq!(
        finding_subject(&finding(
            FindingKind::Shortfall,
            "Windows Server short of what it needs: 30 Windows Server 2022 User CALs",
            Some(CalProduct::WindowsServer),
        )),
        "this finding: “Windows Server short of what it needs…”"
    );
    assert_eq!(
        finding_subject(&finding(
            FindingKind::SuiteSplit,
            "40 Core CAL Suite Users: Software Assurance ended",
            Some(CalProduct::WindowsServer),
        )),
        "this Windows Server finding: “40 Core CAL Suite Users…”"
    );
    assert_eq!(
        finding_subject(&finding(
            FindingKind::SeSaEnded,
            "one two three four five six seven eight nine ten eleven",
            None,
        )),
        "this finding: “One two three four five six seven eight nine ten…”"
    );
}

/// Finding messages and why texts are the engine's clauses; they are shown as sentences (QA: some
/// why texts had no final stop, and began in lower case).
#[wasm_bindgen_test]
fn engine_clauses_are_shown_as_sentences() {
    assert_eq!(
        format::as_sentence("an External Connector on Web is cheaper"),
        "An External Connector on Web is cheaper."
    );
    assert_eq!(
        format::as_sentence(" 40 CALs: see above. "),
        "40 CALs: see above."
    );
    assert_eq!(format::as_sentence("why not?"), "Why not?");
    assert_eq!(format::as_sentence("émis"), "Émis.");
    assert_eq!(format::as_sentence("þing"), "Þing.");
    assert_eq!(format::as_sentence("ßeta"), "ßeta.");
    assert_eq!(format::as_sentence("δ is kept"), "δ is kept.");
    assert_eq!(format::as_sentence("  "), "");
}

/// The page capitalises without Unicode's case tables: every ASCII and Latin-1 character whose
/// capital the standard library gives as one Latin-1 character gets that one, every other is kept.
#[wasm_bindgen_test]
fn capitals_are_those_of_the_standard_library_in_latin_1() {
    for c in (0..=0xFFu32).filter_map(char::from_u32) {
        let mut std = c.to_uppercase();
        let expected = match (std.next(), std.next()) {
            (Some(u), None) if u32::from(u) <= 0xFF => u,
            _ => c,
        };
        assert_eq!(format::latin1_upper(c), expected, "U+{:04X}", u32::from(c));
    }
}

/// The engine writes its sentences' figures in one notation ("2,500", "EUR 1,234.50"); they are
/// shown as the page's own figures are, in the user's locale (locale review: a German reader
/// took "1,234 User CALs" for one and a bit). Years and versions are left as written.
#[wasm_bindgen_test]
fn engine_sentences_show_their_figures_in_the_locale() {
    assert_eq!(
        format::as_sentence("buy 2,500 Windows Server 2025 CALs for EUR 1,234.50, not -$5.00"),
        format!(
            "Buy {} Windows Server 2025 CALs for {}, not {}.",
            format::count(2_500),
            format::money(123_450, "EUR"),
            format::money(-500, "USD")
        )
    );
    // Not the engine's notation: the euro sign Intl writes in en-US.
    assert!(!format::as_sentence("EUR 1,234.50").contains("EUR"));
}

/// Every finding the sample shows names its "why" in words a user understands.
#[wasm_bindgen_test]
async fn no_findings_why_reads_out_its_internal_kind() {
    let root = render(sample()).await;
    let items = root
        .query_selector_all("li.finding")
        .expect("a selector that parses");
    assert!(items.length() > 0, "the sample has findings");
    for i in 0..items.length() {
        let item: Element = items
            .get(i)
            .expect("an item")
            .dyn_into()
            .expect("an element");
        let kind = item.get_attribute("data-kind").unwrap_or_default();
        let label = text(&item, "summary .visually-hidden");
        let message = text(&item, ".message");
        let first = message.split_whitespace().next().unwrap_or_default();
        assert!(!kind.is_empty(), "the kind stays in data-kind");
        assert!(!label.contains(&kind), "{label} names the kind {kind}");
        // A sentence, so the source sentence after it does not run on from it.
        assert!(message.ends_with('.'), "{message}");
        assert!(
            label.starts_with("Why this ") && label.contains(first),
            "{label} / {message}"
        );
    }
}

/// A price whose decimals follow the separator that is not the locale's is read, and the field
/// says how (QA: "12,50" in en-US became 12.50 without a word); thousands groups, the locale's own
/// decimals, a separator just typed and what is no price say nothing.
#[wasm_bindgen_test]
fn a_price_read_with_the_other_decimal_separator_is_named() {
    assert_eq!(format::parse_money_in("12,50", 2, '.'), Ok(1_250));
    assert_eq!(
        format::other_decimal_note("12,50", 2, '.').as_deref(),
        Some("Read as 12.50 — this page uses “.” for decimals.")
    );
    assert_eq!(
        format::other_decimal_note("1.234,5", 2, '.').as_deref(),
        Some("Read as 1234.50 — this page uses “.” for decimals.")
    );
    assert_eq!(
        format::other_decimal_note("12.50", 2, ',').as_deref(),
        Some("Read as 12,50 — this page uses “,” for decimals.")
    );
    // Three digits after the other separator group thousands, in a three-decimal currency too
    // (locale review 22: "1,234" KWD in en-US was read as 1.234); fewer are still decimals.
    assert_eq!(
        format::other_decimal_note("12,50", 3, '.').as_deref(),
        Some("Read as 12.500 — this page uses “.” for decimals.")
    );
    assert_eq!(format::other_decimal_note("12,500", 3, '.'), None);
    for (text, digits, decimal) in [
        ("12.50", 2, '.'),
        ("1,234.50", 2, '.'),
        ("2,900", 2, '.'),
        ("12,", 2, '.'),
        ("12", 2, '.'),
        ("1.2.3", 2, '.'),
        ("", 2, '.'),
        ("12,50", 0, '.'),
        ("12,50", 2, ','),
        ("2.900", 2, ','),
    ] {
        assert_eq!(
            format::other_decimal_note(text, digits, decimal),
            None,
            "{text} {decimal}"
        );
    }
}

/// Browser QA: typing a four-digit staff count into the sample froze the page for up to 1.75 s a
/// keystroke (the full optimiser budget spent on an answer it cannot prove). Each keystroke now
/// shows the quick report, the result marked busy while it is unproven, and once the typing
/// pauses the full report replaces it.
#[wasm_bindgen_test]
async fn after_typing_a_four_digit_staff_count_and_a_pause_the_full_total_is_shown() {
    let e = sample();
    let mut expected = e.clone();
    Edit::SetQuick(QuickField::Employees, 1234).apply(&mut expected);
    let quick = cal_calc::evaluate_with(&expected, TODAY, cal_calc::Effort::Quick)
        .expect("the estate evaluates");
    assert!(!quick.complete, "an answer the quick search cannot prove");
    let full = evaluate(&expected);
    let root = render(e).await;
    for typed in ["1", "12", "123", "1234"] {
        type_into(&root, "#q-employees", typed).await;
    }
    let busy = |root: &Element| find(root, "#results").and_then(|r| r.get_attribute("aria-busy"));
    assert_eq!(busy(&root).as_deref(), Some("true"));
    assert_eq!(
        text(&root, "[data-testid=total]"),
        format::money(
            quick.report.recommendation.total_minor,
            &quick.report.currency
        )
    );
    // The full evaluation runs 400 ms after the last keystroke (slowly in a debug build).
    for _ in 0..240 {
        if busy(&root).as_deref() == Some("false") {
            break;
        }
        sleep(250).await;
    }
    yew::scheduler::flush().await;
    assert_eq!(busy(&root).as_deref(), Some("false"));
    assert_eq!(
        text(&root, "[data-testid=total]"),
        format::money(full.recommendation.total_minor, &full.currency)
    );
}

/// An SA end before its start is refused by the field itself, next to it, and not applied (QA:
/// the estate took it and a banner at the top of the page reported it, far from the field).
#[wasm_bindgen_test]
async fn an_sa_end_before_its_start_is_refused_by_the_field() {
    let e = Estate::from_json(
        r#"{ "groups": [{ "id": "staff", "count": 30 }],
             "servers": [{ "id": "fs1", "product": "windows-server", "version": "2022" }],
             "access": [{ "groups": ["staff"], "servers": ["fs1"] }],
             "holdings": [{ "product": "windows-server", "kind": "user-cal", "version": "2019", "quantity": 30,
                            "software_assurance": { "since": "2020-01-01" } }] }"#,
    )
    .expect("valid estate");
    let root = render(e).await;
    click(&root, ".mode-switch button:nth-child(2)").await;
    open_all_cards(&root).await;
    let total = text(&root, "[data-testid=total]");
    type_into(&root, "#d-holding-0-sa-until", "2019-06-01").await;
    let error = text(&root, "#d-holding-0-sa-until-error");
    assert!(error.contains("before SA began (2020-01-01)"), "{error}");
    assert!(find(&root, "[data-testid=evaluate-error]").is_none());
    assert_eq!(text(&root, "[data-testid=total]"), total);
    type_into(&root, "#d-holding-0-sa-until", "2024-06-01").await;
    assert!(find(&root, "#d-holding-0-sa-until-error").is_none());
}

/// A server switched to another product and back to Windows Server runs the Windows Server
/// version it had, not the other product's version (QA: an SQL Server set to 2016 came back as
/// Windows Server 2016, its Windows Server 2022 forgotten). Only what the other product alone has
/// (its version, its licensing model) is left behind.
#[wasm_bindgen_test]
fn switching_a_server_back_to_windows_server_restores_its_windows_version() {
    use cal_calc::estate::{ServerProduct, SqlLicensing};
    use cal_calc::ui::state::change_server_product;
    let e = Estate::from_json(
        r#"{ "servers": [{ "id": "hv", "product": "windows-server", "version": "2022" },
                         { "id": "app", "name": "App server", "product": "windows-server", "version": "2022",
                           "vm": true, "host": "hv", "cores": 8 }] }"#,
    )
    .expect("valid estate");
    let windows = e.servers[1].clone();
    // To SQL Server and back, untouched.
    let mut s = windows.clone();
    change_server_product(&mut s, ServerProduct::SqlServer);
    assert_eq!(s.windows_version.as_deref(), Some("2022"));
    change_server_product(&mut s, ServerProduct::WindowsServer);
    assert_eq!(s, windows);
    // To SQL Server 2016, licensed per core, and back.
    let mut s = windows.clone();
    change_server_product(&mut s, ServerProduct::SqlServer);
    s.version = "2016".into();
    s.sql_licensing = Some(SqlLicensing::PerCore);
    change_server_product(&mut s, ServerProduct::WindowsServer);
    assert_eq!(s, windows);
    // To Exchange (which has no 2022) and back.
    let mut s = windows.clone();
    change_server_product(&mut s, ServerProduct::Exchange);
    assert_ne!(s.version, "2022");
    change_server_product(&mut s, ServerProduct::WindowsServer);
    assert_eq!(s, windows);
    // The Windows Server it runs on, changed meanwhile, is the version it comes back with.
    let mut s = windows.clone();
    change_server_product(&mut s, ServerProduct::SharePoint);
    s.windows_version = Some("2019".into());
    change_server_product(&mut s, ServerProduct::WindowsServer);
    assert_eq!((s.version.as_str(), &s.windows_version), ("2019", &None));
}

/// The same in quick mode, through the row's selects.
#[wasm_bindgen_test]
async fn a_quick_mode_server_switched_to_sql_server_and_back_keeps_its_windows_version() {
    let e = Estate::from_json(
        r#"{ "groups": [{ "id": "staff", "count": 30, "devices_each": 1 }],
             "servers": [{ "id": "fs1", "product": "windows-server", "version": "2022" }],
             "access": [{ "groups": ["staff"], "servers": ["fs1"] }] }"#,
    )
    .expect("valid estate");
    let root = render(e).await;
    choose(&root, "#q-server-0-product", "sql-server").await;
    choose(&root, "#q-server-0-version", "2016").await;
    assert_eq!(select_value(&root, "#q-server-0-windows"), "2022");
    choose(&root, "#q-server-0-product", "windows-server").await;
    assert_eq!(select_value(&root, "#q-server-0-version"), "2022");
    assert!(find(&root, "#q-server-0-windows").is_none());
}

fn select_value(root: &Element, selector: &str) -> String {
    find(root, selector)
        .and_then(|e| e.dyn_into::<web_sys::HtmlSelectElement>().ok())
        .map(|s| s.value())
        .unwrap_or_default()
}

/// The accessible names (labels and aria-labels) of every form control and button in `root`.
fn accessible_names(root: &Element) -> Vec<String> {
    let mut names = Vec::new();
    let labels = root.query_selector_all("label").expect("query");
    for k in 0..labels.length() {
        if let Some(t) = labels.item(k).and_then(|n| n.text_content()) {
            names.push(t);
        }
    }
    let labelled = root.query_selector_all("[aria-label]").expect("query");
    for k in 0..labelled.length() {
        if let Some(t) = labelled
            .item(k)
            .and_then(|n| n.dyn_into::<Element>().ok())
            .and_then(|e| e.get_attribute("aria-label"))
        {
            names.push(t);
        }
    }
    names
}

/// A server without a name is called by its place in the list, "Server 2", in both modes, never
/// by its internal id (QA: "ws runs on Windows Server", "Remove server ws-2"); the names stay
/// unique on the page.
#[wasm_bindgen_test]
async fn an_unnamed_server_is_named_by_its_place_not_its_id() {
    use cal_calc::estate::ServerProduct;
    let mut e = Estate::from_json(
        r#"{ "groups": [{ "id": "staff", "count": 30, "devices_each": 1 }],
             "servers": [{ "id": "fs1", "name": "File server", "product": "windows-server", "version": "2022" }],
             "access": [{ "groups": ["staff"], "servers": ["fs1"] }] }"#,
    )
    .expect("valid estate");
    Edit::AddServer(ServerProduct::WindowsServer).apply(&mut e);
    Edit::AddServer(ServerProduct::WindowsServer).apply(&mut e);
    let ids: Vec<String> = e.servers[1..].iter().map(|s| s.id.clone()).collect();
    assert!(e.servers[1..].iter().all(|s| s.name.is_empty()));
    let root = render(e).await;
    choose(&root, "#q-server-2-product", "exchange").await;
    let runs_on = find(&root, "label[for=q-server-2-windows]")
        .and_then(|l| l.text_content())
        .unwrap_or_default();
    assert_eq!(runs_on, "Server 3 runs on Windows Server");
    assert!(find(&root, "button[aria-label='Remove Server 2']").is_some());
    for (mode, button) in [("quick", 1), ("detailed", 2)] {
        click(&root, &format!(".mode-switch button:nth-child({button})")).await;
        let section = find(&root, &format!("section.{mode}")).expect("the form");
        let names = accessible_names(&section);
        let by_id: Vec<&String> = names
            .iter()
            .filter(|n| {
                ids.iter().any(|id| {
                    n.split(|c: char| !c.is_alphanumeric() && c != '-')
                        .any(|w| w == id)
                        && !n.contains(&format!("({id})"))
                })
            })
            .collect();
        assert!(
            by_id.is_empty(),
            "{mode} mode names servers by id: {by_id:?}"
        );
        let shown = section.text_content().unwrap_or_default();
        assert!(shown.contains("Server 2"), "{mode}: {shown}");
        // Among the names that name a server (the detailed cards share "Name", "Product", …).
        let mut seen = std::collections::HashSet::new();
        let twice: Vec<&String> = names
            .iter()
            .filter(|n| {
                ["File server", "Server 2", "Server 3"]
                    .iter()
                    .any(|s| n.contains(s))
            })
            .filter(|n| !seen.insert(*n))
            .collect();
        assert!(twice.is_empty(), "{mode} mode repeats a name: {twice:?}");
    }
    // In detailed mode too: "Remove Server 2", its id beside it, not in its name.
    assert!(find(&root, "button[aria-label='Remove Server 2']").is_some());
}

/// Thirty staff on one 2022 Windows Server, their 2019 User CALs with Software Assurance from
/// 2020-01-01 to 2024-06-01: the estate the SA date tests edit.
fn staff_with_sa_from_2020_to_2024() -> Estate {
    Estate::from_json(
        r#"{ "groups": [{ "id": "staff", "count": 30 }],
             "servers": [{ "id": "fs1", "product": "windows-server", "version": "2022" }],
             "access": [{ "groups": ["staff"], "servers": ["fs1"] }],
             "holdings": [{ "product": "windows-server", "kind": "user-cal", "version": "2019", "quantity": 30,
                            "software_assurance": { "since": "2020-01-01", "until": "2024-06-01" } }] }"#,
    )
    .expect("valid estate")
}

/// A refused SA date stays in the field as typed, and the message says which date the result
/// still uses, as a refused figure does (QA: the typed date vanished, the last valid one back in
/// its place without a word).
#[wasm_bindgen_test]
async fn a_refused_sa_date_stays_in_the_field_and_says_which_date_still_counts() {
    let e = staff_with_sa_from_2020_to_2024();
    let root = render(e).await;
    click(&root, ".mode-switch button:nth-child(2)").await;
    open_all_cards(&root).await;
    let total = text(&root, "[data-testid=total]");
    type_into(&root, "#d-holding-0-sa-until", "2019-06-01").await;
    assert_eq!(input_value(&root, "#d-holding-0-sa-until"), "2019-06-01");
    let error = text(&root, "#d-holding-0-sa-until-error");
    assert!(error.contains("before SA began (2020-01-01)"), "{error}");
    assert!(
        error.contains("The result still uses 2024-06-01."),
        "{error}"
    );
    assert_eq!(text(&root, "[data-testid=total]"), total);
    type_into(&root, "#d-holding-0-sa-since", "2025-01-01").await;
    assert_eq!(input_value(&root, "#d-holding-0-sa-since"), "2025-01-01");
    let error = text(&root, "#d-holding-0-sa-since-error");
    assert!(
        error.contains("after SA ended (2024-06-01)") && error.contains("still uses 2020-01-01."),
        "{error}"
    );
    // A valid date is applied and clears the message.
    type_into(&root, "#d-holding-0-sa-until", "2023-06-01").await;
    assert!(find(&root, "#d-holding-0-sa-until-error").is_none());
    assert_eq!(input_value(&root, "#d-holding-0-sa-until"), "2023-06-01");
    // Emptied, the end is applied as none (SA active); a refused one then says so.
    type_into(&root, "#d-holding-0-sa-until", "").await;
    type_into(&root, "#d-holding-0-sa-until", "2019-01-01").await;
    let error = text(&root, "#d-holding-0-sa-until-error");
    assert!(
        error.contains("The result still uses no end (SA active)."),
        "{error}"
    );
}

/// Quick mode's server column heads stand over their fields; on a narrow card, where a row takes
/// two lines and one line of heads cannot stand over them, the heads hide and each field shows
/// its own label (QA: "Version" stood over the Remove buttons, "Product" over the names). Laid
/// out with the app's stylesheet, at a wide and a phone-sized width.
#[wasm_bindgen_test]
async fn quick_server_heads_stand_over_their_fields_or_give_way_to_labels() {
    let document = gloo::utils::document();
    let style = document.create_element("style").expect("style");
    // The form over the result, as below 900 px, whatever the width of the test's window: the
    // widths below are then the card's.
    style.set_text_content(Some(&format!(
        "{}\n.layout {{ grid-template-columns: minmax(0, 1fr) !important; }}",
        include_str!("../www/app.css")
    )));
    document
        .head()
        .expect("head")
        .append_child(&style)
        .expect("append");
    let e = Estate::from_json(
        r#"{ "groups": [{ "id": "staff", "count": 30, "devices_each": 1 }],
             "servers": [{ "id": "fs1", "name": "File server", "product": "windows-server", "version": "2022" },
                         { "id": "mail", "product": "exchange", "version": "2019", "windows_version": "2022" }],
             "access": [{ "groups": ["staff"], "servers": ["fs1", "mail"] }] }"#,
    )
    .expect("valid estate");
    let root = render(e).await;
    let rect = |selector: &str| {
        find(&root, selector)
            .unwrap_or_else(|| panic!("{selector}"))
            .get_bounding_client_rect()
    };
    let field = |i: usize, f: &str| {
        find(&root, &format!("#q-server-{i}-{f}"))
            .and_then(|el| el.closest(".field").ok().flatten())
            .expect("a field")
            .get_bounding_client_rect()
    };
    // Wide enough for one line per server.
    root.set_attribute("style", "width: 1400px").expect("width");
    let heads = ["server", "product", "version"];
    for (k, f) in ["name", "product", "version"].into_iter().enumerate() {
        let head = rect(&format!(".server-head > span:nth-child({})", k + 1));
        for i in 0..2 {
            let input = field(i, f);
            assert!(
                (head.left() - input.left()).abs() < 1.0
                    && (head.width() - input.width()).abs() < 1.0,
                "the {} head ({}, {} wide) over server {i}'s field ({}, {} wide)",
                heads[k],
                head.left(),
                head.width(),
                input.left(),
                input.width()
            );
        }
    }
    // A phone: the heads hide, each field's label shows.
    root.set_attribute("style", "width: 360px").expect("width");
    assert_eq!(rect(".server-head").height(), 0.0, "the heads hide");
    for f in ["name", "product", "version"] {
        let label = rect(&format!("label[for=q-server-1-{f}]"));
        assert!(
            label.height() > 8.0 && label.width() > 20.0,
            "the {f} label shows: {} × {}",
            label.width(),
            label.height()
        );
    }
    let card = find(&root, ".card.quick").expect("the quick card");
    assert!(
        card.scroll_width() <= card.client_width(),
        "the card scrolls sideways: {} > {}",
        card.scroll_width(),
        card.client_width()
    );
    style.remove();
    root.remove();
}

/// A product a CAL Suite covers shows the suite licences beside its 0 User and 0 Device CALs
/// (QA: only the why said the suite covered them); a product no suite covers shows no such figure.
#[wasm_bindgen_test]
async fn a_product_a_suite_covers_shows_its_suite_licences() {
    let covered = Estate::from_json(
        r#"{ "organisation": { "currency": "USD", "prices": [
               { "item": { "product": "core-cal-suite", "kind": "user-cal" }, "amount_minor": 19000 },
               { "item": { "product": "core-cal-suite", "kind": "device-cal" }, "amount_minor": 17000 },
               { "item": { "product": "share-point-standard", "kind": "user-cal" }, "amount_minor": 9400 },
               { "item": { "product": "share-point-standard", "kind": "device-cal" }, "amount_minor": 9400 },
               { "item": { "product": "skype-standard", "kind": "user-cal" }, "amount_minor": 4000 },
               { "item": { "product": "skype-standard", "kind": "device-cal" }, "amount_minor": 4000 } ] },
             "groups": [{ "id": "staff", "count": 100, "devices_each": 1 }],
             "servers": [
               { "id": "ws", "product": "windows-server", "version": "2022" },
               { "id": "ex", "product": "exchange", "version": "2019", "windows_version": "2022" },
               { "id": "sp", "product": "share-point", "version": "2019", "windows_version": "2022" },
               { "id": "sk", "product": "skype-for-business", "version": "2019", "windows_version": "2022" } ],
             "access": [{ "groups": ["staff"], "servers": ["ws", "ex", "sp", "sk"] }] }"#,
    )
    .expect("valid estate");
    let root = render(covered).await;
    assert_eq!(text(&root, "[data-testid=ws-user-cals]"), "0");
    assert_eq!(text(&root, "[data-testid=ws-suites]"), "100");
    let root = render(sample()).await;
    assert!(find(&root, "[data-testid=ws-suites]").is_none());
}

/// The results call an unnamed server what the editors call it, "Server 2", never its internal
/// id (QA: the form said "Server 2" where the why texts, the External Connector hosts and the
/// findings said "ws-2"); the estate kept and shared still has the server without a name.
#[wasm_bindgen_test]
async fn the_results_name_an_unnamed_server_as_the_editors_do() {
    let e = Estate::from_json(
        r#"{ "organisation": { "prices": [
               { "item": { "product": "windows-server", "kind": "user-cal" }, "amount_minor": 4200 },
               { "item": { "product": "windows-server", "kind": "device-cal" }, "amount_minor": 4200 },
               { "item": { "product": "windows-server", "kind": "external-connector" }, "amount_minor": 290000 } ] },
             "groups": [{ "id": "staff", "name": "Staff", "count": 20, "devices_each": 1 },
                        { "id": "partners", "name": "Partner staff", "count": 75, "kind": "partner", "devices_each": 1 }],
             "servers": [{ "id": "fs1", "name": "File server", "product": "windows-server", "version": "2019" },
                         { "id": "ws-2", "product": "windows-server", "version": "2022" }],
             "access": [{ "groups": ["staff"], "servers": ["fs1", "ws-2"] },
                        { "groups": ["partners"], "servers": ["ws-2"] }] }"#,
    )
    .expect("valid estate");
    // The engine itself names the server by its id: the page must not pass that on.
    let report = evaluate(&e);
    assert!(
        serde_json::to_string(&report)
            .expect("report")
            .contains("External Connector on ws-2"),
        "the engine no longer names this server by its id: the test shows nothing"
    );
    let root = render(e).await;
    // Every why is built only while open, and opening one closes the one open before: open
    // each in turn and read the results with each open.
    let whys = root
        .query_selector_all("details.why > summary")
        .expect("query");
    let read = |root: &Element| {
        ["#results", ".wide"]
            .iter()
            .map(|s| text(root, s))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut shown = read(&root);
    for k in 0..whys.length() {
        if let Some(s) = whys.item(k).and_then(|n| n.dyn_into::<HtmlElement>().ok()) {
            s.click();
            sleep(20).await;
            yew::scheduler::flush().await;
            shown.push('\n');
            shown.push_str(&read(&root));
        }
    }
    assert!(shown.contains("External Connector on: Server 2"), "{shown}");
    assert!(shown.contains("Server 2 (2022)"), "{shown}");
    // What comes before each mention of the id, to say where it is.
    let by_id: Vec<String> = shown
        .match_indices("ws-2")
        .map(|(at, _)| {
            let before: Vec<char> = shown[..at].chars().rev().take(60).collect();
            before.into_iter().rev().collect()
        })
        .collect();
    assert!(
        by_id.is_empty(),
        "the results name the server by its id after: {by_id:?}"
    );
    // The share link carries the estate as entered: the server still has no name.
    copy_share_link(&root, "button", Some("Copy share link")).await;
    let fragment = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    let _ = web_sys::window().map(|w| w.location().set_hash(""));
    let shared = cal_calc::share::decode(fragment.trim_start_matches('#')).expect("a share link");
    assert_eq!(shared.servers[1].id, "ws-2");
    assert_eq!(shared.servers[1].name, "");
    root.remove();
}

/// A server switched to another product and back gets back what only its first product has,
/// from the page's memory: a Windows Server its edition (QA: Datacenter came back as Standard),
/// its Remote Desktop role with the access rule's Remote Desktop feature; an SQL Server its
/// version, edition and licensing model. The estate itself never holds that memory.
#[wasm_bindgen_test]
fn a_server_switched_to_sql_server_and_back_gets_its_edition_and_roles_back() {
    use cal_calc::estate::{Edition, Feature, ServerProduct, SqlLicensing};
    use cal_calc::ui::state::change_server_product;
    let e = Estate::from_json(
        r#"{ "groups": [{ "id": "staff", "count": 30, "devices_each": 1 }],
             "servers": [{ "id": "rdsh", "name": "Terminal server", "product": "windows-server", "version": "2022",
                           "edition": "datacenter", "rds_session_host": true, "rds_mode": "per-user", "ad_rms": true }],
             "access": [{ "groups": ["staff"], "servers": ["rdsh"], "features": ["remote-desktop", "ad-rms"] }] }"#,
    )
    .expect("valid estate");
    let switch = |state: Rc<AppState>, product: ServerProduct| {
        let mut s = state.estate.servers[0].clone();
        change_server_product(&mut s, product);
        state.reduce(Action::Edit(Edit::SetServer(0, s)))
    };
    let start = Rc::new(AppState::new(e.clone(), Origin::Sample));
    let sql = switch(start, ServerProduct::SqlServer);
    assert_eq!(sql.estate.servers[0].edition, Edition::Standard);
    assert!(!sql.estate.access[0]
        .features
        .contains(&Feature::RemoteDesktop));
    cal_calc::evaluate(&sql.estate, TODAY).expect("the switched estate evaluates");
    // SQL Server Enterprise, per core, 2016.
    let mut s = sql.estate.servers[0].clone();
    s.edition = Edition::Enterprise;
    s.version = "2016".into();
    s.sql_licensing = Some(SqlLicensing::PerCore);
    let sql = sql.reduce(Action::Edit(Edit::SetServer(0, s)));
    let sql_server = sql.estate.servers[0].clone();
    let back = switch(sql, ServerProduct::WindowsServer);
    assert_eq!(*back.estate, e, "back to Windows Server as it was");
    // And to SQL Server again: as it was there.
    let again = switch(back.clone(), ServerProduct::SqlServer);
    assert_eq!(again.estate.servers[0], sql_server);
    // Exchange in between forgets nothing of either.
    let exchange = switch(again, ServerProduct::Exchange);
    let windows = switch(exchange, ServerProduct::WindowsServer);
    assert_eq!(*windows.estate, e);
    // A loaded estate starts with no memory: its servers are others.
    let loaded = back.reduce(Action::Load(Box::new(sample()), Origin::File));
    assert!(loaded.left_products.is_empty());
}

/// The same through detailed mode's selects: Datacenter comes back.
#[wasm_bindgen_test]
async fn a_datacenter_server_switched_to_sql_server_and_back_is_datacenter_again() {
    let e = Estate::from_json(
        r#"{ "groups": [{ "id": "staff", "count": 30, "devices_each": 1 }],
             "servers": [{ "id": "hv", "name": "Host", "product": "windows-server", "version": "2022", "edition": "datacenter" }],
             "access": [{ "groups": ["staff"], "servers": ["hv"] }] }"#,
    )
    .expect("valid estate");
    let root = render(e).await;
    click(&root, ".mode-switch button:nth-child(2)").await;
    open_all_cards(&root).await;
    choose(&root, "#d-server-0-product", "sql-server").await;
    assert_eq!(select_value(&root, "#d-server-0-edition"), "standard");
    choose(&root, "#d-server-0-product", "windows-server").await;
    assert_eq!(select_value(&root, "#d-server-0-edition"), "datacenter");
    root.remove();
}

/// The two SA dates are checked as a pair: a date refused against the other one is checked again
/// when the other changes, so its message goes and the date typed is applied once the pair is
/// valid, or the message names the new bound (QA: a start refused for being after the end kept
/// its message, and was never applied, after the end moved past it).
#[wasm_bindgen_test]
async fn a_refused_sa_date_is_applied_when_the_other_date_makes_the_pair_valid() {
    let e = staff_with_sa_from_2020_to_2024();
    let root = render(e).await;
    click(&root, ".mode-switch button:nth-child(2)").await;
    open_all_cards(&root).await;
    let sa = |root: &Element| text(root, ".inputs-summary");
    // A start after the end is refused…
    type_into(&root, "#d-holding-0-sa-since", "2025-01-01").await;
    let error = text(&root, "#d-holding-0-sa-since-error");
    assert!(error.contains("after SA ended (2024-06-01)"), "{error}");
    // …and checked again when the end moves: still after it, the message names the new end.
    type_into(&root, "#d-holding-0-sa-until", "2024-09-01").await;
    let error = text(&root, "#d-holding-0-sa-since-error");
    assert!(error.contains("after SA ended (2024-09-01)"), "{error}");
    assert!(
        sa(&root).contains("2020-01-01 to 2024-09-01"),
        "{}",
        sa(&root)
    );
    // The end past it: the start typed is applied, its message gone.
    type_into(&root, "#d-holding-0-sa-until", "2025-06-01").await;
    assert!(find(&root, "#d-holding-0-sa-since-error").is_none());
    assert_eq!(input_value(&root, "#d-holding-0-sa-since"), "2025-01-01");
    assert!(
        sa(&root).contains("2025-01-01 to 2025-06-01"),
        "{}",
        sa(&root)
    );
    // The other way round: an end before the start, applied once the start moves before it.
    type_into(&root, "#d-holding-0-sa-until", "2024-01-01").await;
    let error = text(&root, "#d-holding-0-sa-until-error");
    assert!(error.contains("before SA began (2025-01-01)"), "{error}");
    type_into(&root, "#d-holding-0-sa-since", "2023-01-01").await;
    assert!(find(&root, "#d-holding-0-sa-until-error").is_none());
    assert!(find(&root, "#d-holding-0-sa-since-error").is_none());
    assert_eq!(input_value(&root, "#d-holding-0-sa-until"), "2024-01-01");
    assert!(
        sa(&root).contains("2023-01-01 to 2024-01-01"),
        "{}",
        sa(&root)
    );
    root.remove();
}

/// The titles of the detailed editor's cards, in page order.
async fn detailed_card_titles(estate: Estate) -> Vec<String> {
    let root = render(estate).await;
    click(&root, ".mode-switch button:nth-child(2)").await;
    let all = root
        .query_selector_all("details.row-card > summary")
        .expect("query");
    (0..all.length())
        .filter_map(|k| all.item(k))
        .filter_map(|n| n.text_content())
        .collect()
}

/// A group's title names the Microsoft 365 plan it holds, unless its name does ("Managers with
/// Microsoft 365 E3", the imported "Employees with Microsoft 365 E5 (imported)").
#[wasm_bindgen_test]
async fn group_titles_name_the_plan_held_unless_the_name_does() {
    let mut e = sample();
    let staff = e
        .groups
        .iter_mut()
        .find(|g| g.m365.is_none() && g.count > 0)
        .expect("a group without a plan in the sample");
    staff.m365 = Some(cal_calc::estate::M365Plan::E5);
    let name = staff.shown_name().to_string();
    let titles = detailed_card_titles(e).await;
    let title = |start: &str| {
        titles
            .iter()
            .find(|t| t.starts_with(start))
            .cloned()
            .unwrap_or_else(|| panic!("no title for {start} in {titles:?}"))
    };
    let marked = title(&format!("{name} — "));
    assert!(marked.ends_with(", Microsoft 365 E5"), "{marked}");
    let managers = title("Managers with Microsoft 365 E3 — ");
    assert!(!managers.ends_with("Microsoft 365 E3"), "{managers}");
}

/// QA 1 Dec: the access rules' titles read "Exchange (+ exchange-enterprise)", "RDS session host 1
/// (+ remote-desktop)": the estate format's names, not words.
#[wasm_bindgen_test]
async fn access_rule_titles_name_the_added_cal_in_words() {
    let titles = detailed_card_titles(sample()).await;
    let with_features: Vec<&String> = titles.iter().filter(|t| t.contains("(+ ")).collect();
    assert!(
        !with_features.is_empty(),
        "the sample has rules with features: {titles:?}"
    );
    for t in &with_features {
        for raw in [
            "remote-desktop",
            "ad-rms",
            "exchange-enterprise",
            "share-point-enterprise",
            "skype-enterprise",
        ] {
            assert!(!t.contains(raw), "{raw} in {t}");
        }
    }
    assert!(
        with_features
            .iter()
            .any(|t| t.ends_with("(+ Exchange Enterprise CAL)")),
        "{with_features:?}"
    );
    assert!(
        with_features.iter().any(|t| t.ends_with("(+ RDS CAL)")),
        "{with_features:?}"
    );
}

/// QA: detailed mode's cards repeated the id after the name, "Legal and compliance (mail
/// archiving) (legal)". A card, a checkbox and a Remove button name an item once; the id comes
/// after the name only where two items share it, and an open card shows it beside Remove.
#[wasm_bindgen_test]
async fn a_detailed_card_names_its_item_once_and_its_id_only_to_tell_two_apart() {
    let mut e = sample();
    let titles = detailed_card_titles(e.clone()).await;
    for g in &e.groups {
        let title = titles
            .iter()
            .find(|t| t.starts_with(&format!("{} — ", g.name)))
            .unwrap_or_else(|| panic!("no card titled {}: {titles:?}", g.name));
        assert!(!title.contains(&format!("({})", g.id)), "{title}");
    }
    assert!(titles.iter().all(|t| !t.contains("(legal)")), "{titles:?}");
    // Two groups of one name: each says its id.
    let name = e.groups[0].name.clone();
    e.groups[1].name = name.clone();
    let (a, b) = (e.groups[0].id.clone(), e.groups[1].id.clone());
    let root = render(e).await;
    click(&root, ".mode-switch button:nth-child(2)").await;
    open_all_cards(&root).await;
    let names = accessible_names(&root);
    for id in [&a, &b] {
        let remove = format!("Remove group {name} ({id})");
        assert!(names.contains(&remove), "{remove} in {names:?}");
        assert!(
            names.contains(&format!("{name} ({id})")),
            "a checkbox for {id}"
        );
    }
    let ids = text(&root, "details.row-card .row-id");
    // Labelled as the file's name for it, not a bare "id" (review 14).
    assert!(ids.starts_with(&format!("file id {a}")), "{ids}");
    root.remove();
}

/// QA 1 Dec: group and shared-device titles read "anonymous internet visitors (no cal), 1 own
/// device(s) each" and "90 device(s), used by 1 group(s)".
#[wasm_bindgen_test]
async fn group_and_pool_titles_count_in_words() {
    let titles = detailed_card_titles(sample()).await;
    for t in &titles {
        assert!(!t.contains("(s)"), "a (s) plural in {t}");
        assert!(!t.contains("(no cal)"), "a lower-cased CAL in {t}");
    }
    let all = titles.join("\n");
    for expected in [
        "420 employees, 2 own devices each",
        "180 employees, no own devices",
        "(no CAL), 1 own device each",
        "90 devices, used by 1 group",
    ] {
        assert!(all.contains(expected), "{expected} missing in:\n{all}");
    }
}

/// The element that has the keyboard focus in the page.
fn focused() -> Option<Element> {
    gloo::utils::document().active_element()
}

/// Review 17: "For your own organisation, start empty." showed for any estate with parts quick
/// mode does not show, also one the user imported or opened, which is their own organisation.
#[wasm_bindgen_test]
async fn only_the_sample_is_offered_to_start_empty_for_ones_own_organisation() {
    let root = render(sample()).await;
    assert!(
        text(&root, ".quick-start p").ends_with("For your own organisation, start empty."),
        "{}",
        text(&root, ".quick-start p")
    );
    root.remove();
    let mut own = sample();
    own.name = "Contoso".into();
    let root = render(own).await;
    let offer = text(&root, ".quick-start p");
    assert!(
        offer.contains("they count in the result. Edit them in detailed mode."),
        "{offer}"
    );
    assert!(!offer.contains("For your own organisation"), "{offer}");
    assert!(find(&root, "[data-testid=start-empty]").is_some());
    root.remove();
}

/// QA 1 Dec: "Start empty" (or a removal) puts the focus on the notice's Undo; Dismiss then took
/// its own button out of the page and the focus fell to the page's start, 100 tab stops back.
#[wasm_bindgen_test]
async fn dismissing_a_notice_from_the_keyboard_keeps_the_focus_in_the_editor() {
    let root = render(sample()).await;
    click(&root, "[data-testid=start-empty]").await;
    let dismiss: HtmlElement = root
        .query_selector_all("[data-testid=notice] button")
        .ok()
        .and_then(|all| {
            (0..all.length())
                .filter_map(|k| all.item(k))
                .filter_map(|n| n.dyn_into::<HtmlElement>().ok())
                .find(|b| b.text_content().as_deref() == Some("Dismiss"))
        })
        .expect("the notice's Dismiss button");
    dismiss.focus().expect("focus");
    dismiss.click();
    yew::scheduler::flush().await;
    assert!(find(&root, "[data-testid=notice]").is_none(), "dismissed");
    let body = gloo::utils::document().body().map(Element::from);
    let now = focused();
    assert_ne!(now, body, "the focus fell to the page's start");
    assert_eq!(
        now.and_then(|e| root.contains(Some(&e)).then(|| e.id())),
        Some("quick-title".to_string()),
        "the focus goes to the editor's heading"
    );
}

/// Review 14: a link copied in quick mode opened in detailed mode for the recipient (the sample
/// has more than quick mode shows). It opens in the mode it was copied in; a link without it (made
/// before links carried it) opens as before.
#[wasm_bindgen_test]
async fn a_share_link_opens_in_the_mode_it_was_copied_in() {
    let copied_in = |root: Mounted| async move {
        copy_share_link(&root, "button", Some("Copy share link")).await;
        let fragment = web_sys::window()
            .and_then(|w| w.location().hash().ok())
            .unwrap_or_default();
        let _ = web_sys::window().map(|w| w.location().set_hash(""));
        root.remove();
        fragment
    };
    let quick = copied_in(render(sample()).await).await;
    assert!(quick.ends_with("&mode=quick"), "{quick}");
    let root = render_from_address(&quick).await;
    assert!(
        find(&root, "#quick-title").is_some(),
        "opened in quick mode"
    );
    root.remove();

    let root = render(sample()).await;
    click_button(&root, ".mode-switch button", "Detailed").await;
    let detailed = copied_in(root).await;
    assert!(detailed.ends_with("&mode=detailed"), "{detailed}");
    let root = render_from_address(&detailed).await;
    assert!(
        find(&root, "#detailed-title").is_some(),
        "opened in detailed mode"
    );
    root.remove();

    let old = cal_calc::share::encode(&sample()).expect("encode");
    let root = render_from_address(&old).await;
    assert!(
        find(&root, "#detailed-title").is_some(),
        "an old link opens as before"
    );
    root.remove();
}

/// Review 14: a link opened in the page said the estate it replaced "is kept" and offered only
/// Dismiss (it was the estate already shown). A link that replaces a different estate offers it
/// back; one that holds the estate shown says so and claims nothing.
#[wasm_bindgen_test]
async fn a_share_link_that_replaces_the_estate_offers_it_back() {
    let open = |root: Mounted, e: Estate| async move {
        let link = cal_calc::share::encode(&e).expect("encode");
        let window = web_sys::window().expect("window");
        let _ = window.location().set_hash(&link);
        sleep(50).await;
        yew::scheduler::flush().await;
        let _ = window.location().set_hash("");
        sleep(50).await;
        yew::scheduler::flush().await;
        root
    };
    let root = render(sample()).await;
    let root = open(root, sample()).await;
    let notice = text(&root, "[data-testid=notice]");
    assert!(
        notice.contains("It is the estate you already had"),
        "{notice}"
    );
    assert!(!notice.contains("replaced"), "{notice}");

    let mut other = sample();
    other.name = "From a colleague".into();
    let root = open(root, other.clone()).await;
    assert!(text(&root, ".as-of").starts_with("From a colleague"));
    let notice = text(&root, "[data-testid=notice]");
    assert!(
        notice.contains("It replaced the estate you had"),
        "{notice}"
    );
    // The same link again (Back, then Forward): the estate it replaced is still offered back
    // (review 18).
    let root = open(root, other).await;
    let notice = text(&root, "[data-testid=notice]");
    assert!(
        notice.contains("It is the estate you already had")
            && notice.contains("Restore the previous estate"),
        "{notice}"
    );
    click_button(
        &root,
        "[data-testid=notice] button",
        "Restore the previous estate",
    )
    .await;
    assert!(!text(&root, ".as-of").starts_with("From a colleague"));
    root.remove();
}

/// UI review: the actions that keep and share the work were only in Keep and share, down the
/// editor column. The purchase's heading offers them too, and they are the same: the result's
/// Share link makes the link Keep and share shows.
#[wasm_bindgen_test]
async fn the_purchase_heading_offers_share_export_and_print_from_keep_and_share() {
    let root = render(sample()).await;
    let row = find(
        &root,
        "section.recommendation .section-head [data-testid=result-actions]",
    )
    .expect("an action row beside the heading");
    assert!(row.matches(".no-print").unwrap_or(false), "hidden in print");
    assert_eq!(row.get_attribute("role").as_deref(), Some("group"));
    let all = row.query_selector_all("button").expect("query");
    let labels: Vec<String> = (0..all.length())
        .filter_map(|k| all.item(k))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .map(|b| b.get_attribute("aria-label").unwrap_or_default())
        .collect();
    assert_eq!(
        labels,
        [
            "Copy share link",
            "Export the estate (JSON)",
            "Export the Effective License Position as CSV",
            "Print the result"
        ]
    );
    assert!(find(&root, "#share-link").is_none());
    copy_share_link(
        &root,
        "[data-testid=result-actions] button[aria-label='Copy share link']",
        None,
    )
    .await;
    let notice = text(&root, "[data-testid=notice]");
    assert!(notice.starts_with("Share link copied"), "{notice}");
    let fragment = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    let _ = web_sys::window().map(|w| w.location().set_hash(""));
    assert!(fragment.ends_with("&mode=quick"), "{fragment}");
    assert!(
        input_value(&root, "#share-link").ends_with(&fragment),
        "Keep and share shows the link the result's button made"
    );
    root.remove();
}

/// Replaces `navigator.clipboard` for a test: `Some(true)` one that copies, `Some(false)` one
/// that refuses (as when permission is denied), `None` none (as on a plain-http address); the
/// browser's own is kept for [`restore_clipboard`].
fn stub_clipboard(works: Option<bool>) {
    let stub = js_sys::Function::new_with_args(
        "works",
        "const p = Navigator.prototype;
         if (!('__clipboard' in window)) window.__clipboard = Object.getOwnPropertyDescriptor(p, 'clipboard');
         Object.defineProperty(p, 'clipboard', { configurable: true, get: () => works === undefined ? undefined : {
           writeText: () => works ? Promise.resolve() : Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError')),
         } });",
    );
    let works = works.map_or(
        wasm_bindgen::JsValue::UNDEFINED,
        wasm_bindgen::JsValue::from_bool,
    );
    stub.call1(&wasm_bindgen::JsValue::NULL, &works)
        .expect("the clipboard stubbed");
}

/// Gives `navigator.clipboard` back to the browser after [`stub_clipboard`].
fn restore_clipboard() {
    js_sys::Function::new_no_args(
        "if ('__clipboard' in window) { if (window.__clipboard) Object.defineProperty(Navigator.prototype, 'clipboard', window.__clipboard); delete window.__clipboard; }",
    )
    .call0(&wasm_bindgen::JsValue::NULL)
    .expect("the clipboard restored");
}

/// Clicks the "Copy share link" button of `selector` (with the text `label`, if given) with a
/// clipboard that takes the link, and waits for the notice that says so (it comes once the
/// clipboard has answered).
async fn copy_share_link(root: &Element, selector: &str, label: Option<&str>) {
    // A hashchange another test queued is answered before the link is in the address.
    sleep(20).await;
    stub_clipboard(Some(true));
    match label {
        Some(label) => click_button(root, selector, label).await,
        None => click(root, selector).await,
    }
    for _ in 0..100 {
        if text(root, "[data-testid=notice]").starts_with("Share link copied") {
            break;
        }
        sleep(20).await;
        yew::scheduler::flush().await;
    }
    restore_clipboard();
}

/// UI review: "Copy share link" said "Share link copied" when the browser refused the copy, and
/// did nothing at all without a clipboard API (a plain-http intranet address), with errors in
/// the console. It says "copied" only once the browser did; otherwise Keep and share's field
/// shows the link, focused and selected, and the notice says to copy it by hand.
#[wasm_bindgen_test]
async fn share_link_copied_is_said_only_when_the_clipboard_took_it() {
    for works in [Some(true), Some(false), None] {
        // A hashchange another test queued is answered before the link is in the address.
        sleep(20).await;
        stub_clipboard(works);
        let root = render(sample()).await;
        click_button(&root, "section.keep button", "Copy share link").await;
        sleep(50).await;
        yew::scheduler::flush().await;
        // Without a hashchange, which the apps of other tests would answer.
        cal_calc::ui::browser::set_fragment("");
        let notice = text(&root, "[data-testid=notice]");
        let field: HtmlInputElement = find(&root, "#share-link")
            .expect("the link's field")
            .dyn_into()
            .expect("an input");
        let link = field.value();
        assert!(link.contains("#e1."), "{link}");
        if works == Some(true) {
            assert!(notice.starts_with("Share link copied"), "{notice}");
        } else {
            assert!(!notice.contains("copied ("), "{works:?}: {notice}");
            assert!(
                notice.contains("copy it yourself (Ctrl+C"),
                "{works:?}: {notice}"
            );
            let focused = gloo::utils::document().active_element();
            assert_eq!(
                focused,
                Some(field.clone().into()),
                "{works:?}: the field focused"
            );
            assert_eq!(
                (field.selection_start(), field.selection_end()),
                (Ok(Some(0)), Ok(Some(link.encode_utf16().count() as u32))),
                "{works:?}: the whole link selected"
            );
        }
        root.remove();
    }
    restore_clipboard();
}

/// "Add a server" moves the focus into the new row, but only from where it was: a user who went
/// on to another field before the row was drawn keeps it (race review 29: the new row took the
/// focus, its text selected, for up to two seconds after the click).
#[wasm_bindgen_test]
async fn an_added_row_takes_the_focus_only_from_where_it_was() {
    let root = render(sample()).await;
    let add = || {
        let all = root.query_selector_all("button").expect("query");
        (0..all.length())
            .filter_map(|k| all.item(k))
            .filter_map(|n| n.dyn_into::<HtmlElement>().ok())
            .find(|b| b.text_content().as_deref() == Some("Add a server"))
            .expect("Add a server")
    };
    let rows = || {
        root.query_selector_all("li.server-row")
            .expect("query")
            .length()
    };
    let focused = || gloo::utils::document().active_element();
    let before = rows();
    let button = add();
    button.focus().expect("focus");
    button.click();
    yew::scheduler::flush().await;
    sleep(100).await;
    assert_eq!(rows(), before + 1);
    let last = root
        .query_selector_all("li.server-row")
        .expect("query")
        .item(before)
        .expect("the new row");
    assert!(
        focused().is_some_and(|f| last.contains(Some(&f))),
        "the focus in the new row"
    );
    // Clicked, then straight on to the staff count before the row is drawn.
    let button = add();
    button.focus().expect("focus");
    button.click();
    let staff: HtmlElement = find(&root, "#q-employees")
        .expect("staff")
        .dyn_into()
        .expect("an HTML element");
    staff.focus().expect("focus");
    yew::scheduler::flush().await;
    sleep(100).await;
    assert_eq!(rows(), before + 2);
    assert_eq!(
        focused(),
        Some(staff.into()),
        "the focus stays where the user took it"
    );
}

/// Two estate files chosen one after the other: the one chosen last is opened, even when the
/// first, larger, is read after it (race review 29: whichever read ended last won).
#[wasm_bindgen_test]
async fn of_two_estate_files_the_one_chosen_last_is_opened() {
    use cal_calc::ui::components::keep::read_file;
    let file = |name: &str, padding: usize| {
        let mut e = sample();
        e.name = name.to_string();
        let mut text = serde_json::to_string(&e).expect("json");
        text.push_str(&" ".repeat(padding));
        let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(&text));
        web_sys::File::new_with_str_sequence(&parts, &format!("{name}.estate.json")).expect("file")
    };
    let opened = Rc::new(std::cell::RefCell::new(Vec::<String>::new()));
    let dispatch = {
        let opened = opened.clone();
        yew::Callback::from(move |a: Action| {
            if let Action::Open { estate, .. } = a {
                opened.borrow_mut().push(estate.name.clone());
            }
        })
    };
    let keep = yew::Callback::from(|_| ());
    // The first is 4 MB of spaces longer: its read ends after the second's.
    read_file(file("First", 4 << 20), dispatch.clone(), keep.clone());
    read_file(file("Second", 0), dispatch, keep);
    for _ in 0..100 {
        if !opened.borrow().is_empty() {
            break;
        }
        sleep(50).await;
    }
    // Time for the first's read and check to end too (under a second here, in a debug build).
    sleep(2_000).await;
    assert_eq!(*opened.borrow(), vec!["Second".to_string()]);
}

/// UI review: the notice floated over the last rows of What to buy. Its place is the editor
/// column's foot, never inside the result.
#[wasm_bindgen_test]
async fn the_notice_stands_in_the_editor_column_not_over_the_result() {
    let root = render(sample()).await;
    copy_share_link(&root, "section.keep button", Some("Copy share link")).await;
    let _ = web_sys::window().map(|w| w.location().set_hash(""));
    let notice = find(&root, "[data-testid=notice]").expect("a notice");
    let slot = notice
        .closest(".notice-slot")
        .ok()
        .flatten()
        .expect("in its slot");
    let column = slot.parent_element().expect("a parent");
    assert!(
        column.matches(".inputs").unwrap_or(false),
        "{}",
        column.class_name()
    );
    assert!(
        slot.next_element_sibling().is_none(),
        "at the column's foot"
    );
    assert!(notice.closest(".results").ok().flatten().is_none());
    root.remove();
}

/// QA: a notice that came while the user was at the import panel (a removal's Undo, a refused
/// share link) stood at the editor column's foot, above the window. It shows at the import
/// panel's foot when that panel is in the window and the editor column is not; Undo works there,
/// and Undo's own notice stays there.
#[wasm_bindgen_test]
async fn a_notice_that_comes_while_the_user_is_at_the_import_panel_shows_there() {
    let root = render(sample()).await;
    let panel = find(&root, ".import-wide").expect("the import panel");
    panel.scroll_into_view();
    let height = web_sys::window()
        .and_then(|w| w.inner_height().ok())
        .and_then(|h| h.as_f64())
        .expect("the window's height");
    let column = find(&root, ".inputs").expect("the editor column");
    let (editor, import) = (
        column.get_bounding_client_rect(),
        panel.get_bounding_client_rect(),
    );
    assert!(
        editor.bottom() <= 0.0 && import.top() < height / 2.0,
        "the window shows the import panel only (editor {}..{}, panel from {}, window {height})",
        editor.top(),
        editor.bottom(),
        import.top()
    );
    // Without a pointer: the Remove button is far above the window.
    click(&root, "button[aria-label='Remove server File server']").await;
    let place = |root: &Element| {
        find(root, "[data-testid=notice]")
            .and_then(|n| n.closest(".notice-slot").ok().flatten())
            .and_then(|s| s.parent_element())
            .map(|p| p.class_name())
    };
    assert_eq!(place(&root).as_deref(), Some("import-wide"));
    assert!(text(&root, "[data-testid=notice]").contains("Removed server “File server”."));
    // One notice, in one of the two live regions.
    assert_eq!(
        root.query_selector_all("[data-testid=notice]")
            .map(|l| l.length())
            .ok(),
        Some(1)
    );
    click(&root, "[data-testid=undo]").await;
    assert!(
        text(&root, "[data-testid=notice]").contains("was undone"),
        "{}",
        text(&root, "[data-testid=notice]")
    );
    assert_eq!(place(&root).as_deref(), Some("import-wide"));
    root.remove();
}

/// Review 17: with no Device CAL price in JPY, "Device CALs for every device" was drawn as a
/// JPY 0 bar, the cheapest-looking way, though it buys 20 Device CALs that have no price. It
/// now reads "price unknown" with no bar, as a product card does.
#[wasm_bindgen_test]
async fn a_scenario_with_no_price_is_drawn_as_unknown_not_as_a_zero_bar() {
    let estate = Estate::from_json(
        r#"{"organisation": {"currency": "JPY", "prices": [{"item": {"product": "windows-server", "kind": "user-cal"}, "amount_minor": 6500}]},
            "groups": [{"id": "a", "count": 10, "devices_each": 2}],
            "servers": [{"id": "s", "product": "windows-server", "version": "2022"}],
            "access": [{"groups": ["a"], "servers": ["s"]}]}"#,
    )
    .expect("a valid estate");
    let report = evaluate(&estate);
    assert!(report
        .scenarios
        .iter()
        .any(|s| s.id == "all-device" && s.price_missing && s.total_minor == 0));
    let root = render(estate).await;
    let bars = root.query_selector_all(".bars .bar").expect("bars");
    let bar = |label: &str| {
        (0..bars.length())
            .filter_map(|i| bars.item(i)?.dyn_into::<Element>().ok())
            .find(|b| text(b, ".bar-label") == label)
            .map(|b| {
                (
                    text(&b, ".bar-value"),
                    find(&b, "rect").and_then(|r| r.get_attribute("width")),
                )
            })
    };
    assert_eq!(
        bar("Device CALs for every device"),
        Some(("price unknown".to_string(), Some("0.0".to_string())))
    );
    let user = bar("User CALs for everyone").expect("the User CAL scenario");
    assert_eq!(user.0, format::money(65_000, "JPY"));
    assert_ne!(user.1.as_deref(), Some("0.0"));
}

/// A scenario whose cost is only partly known (no SharePoint price: it has no reference
/// estimate) draws its priced part and a faint open end, so an estate with SharePoint still
/// has a chart to compare (review 17: every bar was left out).
#[wasm_bindgen_test]
async fn a_scenario_with_part_of_its_price_unknown_draws_the_priced_part() {
    let estate = Estate::from_json(
        r#"{"groups": [{"id": "a", "count": 10, "devices_each": 2}],
            "servers": [{"id": "sp", "product": "share-point", "version": "2019", "windows_version": "2022"}],
            "access": [{"groups": ["a"], "servers": ["sp"]}]}"#,
    )
    .expect("a valid estate");
    let report = evaluate(&estate);
    let partial = report
        .scenarios
        .iter()
        .find(|s| s.id == "optimal")
        .expect("the recommended scenario");
    assert!(partial.price_missing && partial.total_minor > 0);
    let root = render(estate).await;
    let bar = find(&root, ".bars .bar.best").expect("the recommended bar");
    assert_eq!(
        text(&bar, ".bar-value"),
        format!(
            "{} + price unknown",
            format::money(partial.total_minor, "USD")
        )
    );
    let rects = bar.query_selector_all("rect").expect("rects");
    let width = |i: u32| {
        rects
            .item(i)
            .and_then(|r| r.dyn_into::<Element>().ok())
            .and_then(|r| r.get_attribute("width"))
            .and_then(|w| w.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    assert!(width(0) > 0.0, "the priced part is drawn");
    assert!(find(&bar, "rect.unknown").is_some() && width(1) > 0.0);
}

/// The text of the label of the control with id `id`: its accessible name, visually hidden words
/// included.
fn label_of(root: &Element, id: &str) -> String {
    text(root, &format!("label[for=\"{id}\"]"))
}

/// Every detailed card repeats the same fields: each field's name says whose it is ("People in
/// group Office staff"), not a bare "People" (UI review: a screen-reader user tabbing through
/// could not tell which group or server a field belonged to). The visible label stays short.
#[wasm_bindgen_test]
async fn detailed_fields_name_the_item_they_belong_to() {
    let e = sample();
    assert!(e.groups.len() > 1 && e.servers.len() > 1);
    let (group, server) = (e.groups[0].name.clone(), e.servers[0].name.clone());
    assert!(!group.is_empty() && !server.is_empty());
    let root = render(e).await;
    click(&root, ".mode-switch button:nth-child(2)").await;
    open_all_cards(&root).await;
    assert_eq!(
        label_of(&root, "d-group-0-count"),
        format!("People in group {group}")
    );
    assert_eq!(
        label_of(&root, "d-group-0-name"),
        format!("Name of group {group}")
    );
    assert_eq!(
        label_of(&root, "d-server-0-product"),
        format!("Product of server {server}")
    );
    assert_eq!(
        label_of(&root, "d-server-0-vm"),
        format!("Virtual machine for server {server}")
    );
    // What is seen is the short label; the item is for assistive technology only.
    let shown = find(&root, "label[for=d-group-0-count]")
        .expect("a label")
        .first_child()
        .and_then(|n| n.text_content())
        .unwrap_or_default();
    assert_eq!(shown, "People");
    assert!(find(&root, "label[for=d-group-0-count] .visually-hidden").is_some());
    // No two fields of the cards share a name (the check boxes that name a group or a server
    // are named by it, under a legend that says whose they are).
    let labels = root
        .query_selector_all("details.row-card label")
        .expect("query");
    let mut seen = std::collections::HashSet::new();
    let mut twice = Vec::new();
    for k in 0..labels.length() {
        let Some(label) = labels.item(k).and_then(|n| n.dyn_into::<Element>().ok()) else {
            continue;
        };
        let id = label.get_attribute("for").unwrap_or_default();
        if ["-grp-", "-srv-", "-feat-"].iter().any(|x| id.contains(x)) {
            continue;
        }
        let name = label.text_content().unwrap_or_default();
        if !seen.insert(name.clone()) {
            twice.push(name);
        }
    }
    assert!(twice.is_empty(), "fields of one name: {twice:?}");
    let legend = text(&root, "details.row-card .access-grid legend");
    assert_eq!(legend, "These groups (access rule 1)");
    root.remove();
}

/// Owned licences of one product and kind say their version, and where two read the same their
/// place in the list (UI review: after "Add owned licences" two buttons both read "Remove owned
/// Windows Server User CAL").
#[wasm_bindgen_test]
async fn owned_licences_are_told_apart_by_version_and_place() {
    let e = Estate::from_json(
        r#"{ "groups": [{ "id": "staff", "count": 30 }],
             "servers": [{ "id": "fs1", "product": "windows-server", "version": "2022" }],
             "access": [{ "groups": ["staff"], "servers": ["fs1"] }],
             "holdings": [
               { "product": "windows-server", "kind": "user-cal", "version": "2019", "quantity": 10 },
               { "product": "windows-server", "kind": "user-cal", "version": "2025", "quantity": 5 },
               { "product": "windows-server", "kind": "user-cal", "version": "2019", "quantity": 3 } ] }"#,
    )
    .expect("valid estate");
    let root = render(e).await;
    click(&root, ".mode-switch button:nth-child(2)").await;
    open_all_cards(&root).await;
    let what = format!(
        "owned {} {}",
        format::product_label(CalProduct::WindowsServer),
        format::kind_label(LicenceKind::UserCal)
    );
    let removes: Vec<String> = {
        let all = root
            .query_selector_all("button[aria-label^='Remove owned']")
            .expect("query");
        (0..all.length())
            .filter_map(|k| all.item(k))
            .filter_map(|n| n.dyn_into::<Element>().ok())
            .filter_map(|b| b.get_attribute("aria-label"))
            .collect()
    };
    assert_eq!(
        removes,
        vec![
            format!("Remove {what} 2019 (entry 1)"),
            format!("Remove {what} 2025"),
            format!("Remove {what} 2019 (entry 3)"),
        ]
    );
    assert_eq!(
        label_of(&root, "d-holding-1-quantity"),
        format!("Quantity of {what} 2025")
    );
    assert_eq!(
        label_of(&root, "d-holding-2-version"),
        format!("Version of {what} 2019 (entry 3)")
    );
    root.remove();
}

/// Quick mode's two version selects say which holding they belong to (UI review: both were named
/// "CAL version").
#[wasm_bindgen_test]
async fn quick_modes_cal_version_selects_say_whose_they_are() {
    let root = render(sample()).await;
    let (user, device) = (
        label_of(&root, "q-owned-user-version"),
        label_of(&root, "q-owned-device-version"),
    );
    assert_eq!(
        (user.as_str(), device.as_str()),
        (
            "CAL version of the User CALs owned",
            "CAL version of the Device CALs owned"
        )
    );
    root.remove();
}

/// Two servers of one name: each name field says so, in both modes, linked to the field, and the
/// edit is not blocked; once renamed, the note goes. Quick mode's fields stay told apart by the
/// server's place.
#[wasm_bindgen_test]
async fn two_servers_of_one_name_are_pointed_out_at_their_name_fields() {
    let e = Estate::from_json(
        r#"{ "groups": [{ "id": "staff", "count": 30 }],
             "servers": [{ "id": "a", "name": "File server", "product": "windows-server", "version": "2022" },
                         { "id": "b", "name": "File server", "product": "windows-server", "version": "2019" },
                         { "id": "c", "name": "Mail", "product": "windows-server", "version": "2022" }],
             "access": [{ "groups": ["staff"], "servers": ["a", "b", "c"] }] }"#,
    )
    .expect("valid estate");
    let root = render(e).await;
    let note = "Another server is also called “File server”: give each a different name so the report can tell them apart.";
    let described = |root: &Element, id: &str| {
        find(root, &format!("#{id}"))
            .and_then(|i| i.get_attribute("aria-describedby"))
            .unwrap_or_default()
    };
    // Quick mode.
    assert_eq!(text(&root, "#q-server-0-name-note"), note);
    assert_eq!(text(&root, "#q-server-1-name-note"), note);
    assert!(find(&root, "#q-server-2-name-note").is_none());
    assert_eq!(described(&root, "q-server-1-name"), "q-server-1-name-note");
    assert_ne!(
        label_of(&root, "q-server-0-product"),
        label_of(&root, "q-server-1-product")
    );
    // Detailed mode.
    click(&root, ".mode-switch button:nth-child(2)").await;
    open_all_cards(&root).await;
    assert_eq!(text(&root, "#d-server-0-name-note"), note);
    assert_eq!(text(&root, "#d-server-1-name-note"), note);
    assert!(find(&root, "#d-server-2-name-note").is_none());
    assert_eq!(described(&root, "d-server-0-name"), "d-server-0-name-note");
    assert_eq!(described(&root, "d-server-2-name"), "");
    // Renaming one is applied and the note goes from both.
    type_into(&root, "#d-server-1-name", "Archive").await;
    assert_eq!(input_value(&root, "#d-server-1-name"), "Archive");
    assert!(find(&root, "#d-server-0-name-note").is_none());
    assert!(find(&root, "#d-server-1-name-note").is_none());
    root.remove();
}

/// Review 21: "Runs AD Rights Management Services" counts nothing (AD RMS CALs come from the
/// access rows' feature): ticked while no access row has that feature, a hint says so.
#[wasm_bindgen_test]
async fn the_ad_rms_server_flag_says_where_ad_rms_cals_come_from() {
    let e = Estate::from_json(
        r#"{ "groups": [{ "id": "staff", "count": 30 }],
             "servers": [{ "id": "a", "product": "windows-server", "version": "2022", "ad_rms": true },
                         { "id": "b", "product": "windows-server", "version": "2022" }],
             "access": [{ "groups": ["staff"], "servers": ["a", "b"] }] }"#,
    )
    .expect("valid estate");
    let root = render(e).await;
    click(&root, ".mode-switch button:nth-child(2)").await;
    let hint = text(&root, "#d-server-0-rms-hint");
    assert!(
        hint.contains("“Rights-protected content (AD RMS CAL)”"),
        "{hint}"
    );
    assert!(find(&root, "#d-server-1-rms-hint").is_none());
    click(&root, "#d-access-0-feat-ad-rms").await;
    assert!(find(&root, "#d-server-0-rms-hint").is_none());
    root.remove();
}

/// Review 20: an owned quantity typed without a look at its version counted at the newest, which
/// covers every server, so the estate read compliant; once a quantity is typed the version asks
/// for the licence statement's.
#[wasm_bindgen_test]
async fn owned_cals_ask_for_the_version_on_the_licence_statement() {
    let root = render(Estate::default()).await;
    assert!(find(&root, "#q-owned-user-version-hint").is_none());
    type_into(&root, "#q-owned-user", "20").await;
    assert_eq!(
        text(&root, "#q-owned-user-version-hint"),
        "As on your licence statement: older CALs do not cover newer servers."
    );
    let select = find(&root, "#q-owned-user-version").expect("the version select");
    assert_eq!(
        select.get_attribute("aria-describedby").as_deref(),
        Some("q-owned-user-version-hint")
    );
    root.remove();
}

/// The embed example lists the names `preset=` accepts (review 20: only `sample` was named):
/// every example the app ships, and no name it does not.
#[wasm_bindgen_test]
fn the_embed_example_names_every_preset() {
    let page = include_str!("../www/embed-example.html");
    for (name, _) in cal_calc::ui::app::PRESETS {
        assert!(page.contains(&format!("<code>{name}</code>")), "{name}");
    }
    let listed = page.matches("<code>g").count();
    assert_eq!(listed, cal_calc::ui::app::PRESETS.len());
}

#[path = "web/quick_mode.rs"]
mod quick_mode;

#[path = "web/access_rules.rs"]
mod access_rules;

#[path = "web/large_estates.rs"]
mod large_estates;

#[path = "web/m365_position.rs"]
mod m365_position;

#[path = "web/repair.rs"]
mod repair;

/// An estate of `groups` groups G0, G1, … on two servers, with one access rule per group.
fn one_rule_per_group(groups: usize, extra: &str) -> Estate {
    let g: Vec<String> = (0..groups)
        .map(|k| format!(r#"{{ "id": "g{k}", "name": "G{k}", "count": 1 }}"#))
        .collect();
    let a: Vec<String> = (0..groups)
        .map(|k| format!(r#"{{ "groups": ["g{k}"], "servers": ["s0"] }}"#))
        .collect();
    Estate::from_json(&format!(
        r#"{{ "groups": [{}],
             "servers": [{{ "id": "s0", "name": "S0", "product": "windows-server", "version": "2022" }},
                         {{ "id": "s1", "name": "S1", "product": "windows-server", "version": "2022" }}],
             "access": [{}] {extra} }}"#,
        g.join(", "),
        a.join(", ")
    ))
    .expect("valid estate")
}

/// Security review of 339b718: every access rule rendered a box per group and per server even
/// while closed, so the form grew with rules × groups (1,000 rules of 1,000 groups: 400,000 boxes,
/// a frozen page, then a trap). A closed rule is its summary; an opened one shows its boxes, the
/// first 100 groups and the ticked ones until all are asked for, and a tick there edits the rule.
#[wasm_bindgen_test]
async fn a_closed_access_rule_renders_no_boxes_and_an_opened_one_edits_its_rule() {
    let root = render(one_rule_per_group(120, "")).await;
    click(&root, ".mode-switch button:nth-child(2)").await;
    assert_eq!(count(&root, "input[id^=d-access-]"), 0, "closed rules");
    open_card(&root, "G5 → S0").await;
    assert_eq!(
        count(&root, "input[id^=d-access-4-]"),
        0,
        "rule 5 stays closed"
    );
    assert_eq!(count(&root, "input[id^=d-access-5-grp-]"), 100);
    assert_eq!(count(&root, "input[id^=d-access-5-srv-]"), 2);
    let ticked = find(&root, "#d-access-5-grp-g5")
        .and_then(|b| b.dyn_into::<HtmlInputElement>().ok())
        .expect("the rule's own group's box");
    assert!(ticked.checked());
    assert!(find(&root, "#d-access-5-grp-g110").is_none());
    click_button(&root, ".show-all button", "Show all 120 groups").await;
    assert_eq!(count(&root, "input[id^=d-access-5-grp-]"), 120);
    click(&root, "#d-access-5-grp-g110").await;
    open_card(&root, "G5, G110 → S0").await;
    // Found by its new summary, the tick is in the estate; closed again, the rule has no boxes.
    assert_eq!(count(&root, "input[id^=d-access-5-]"), 0, "closed again");
}

/// The same review: every shared-device pool rendered a box per group, closed or not (2,000
/// groups and 200 pools froze the page for 18 s). A closed pool is its summary; opened, its
/// boxes tick the groups that use it.
#[wasm_bindgen_test]
async fn a_closed_device_pool_renders_no_boxes_and_an_opened_one_edits_its_pool() {
    let pools: Vec<String> = (0..30)
        .map(|k| {
            format!(r#"{{ "id": "d{k}", "name": "D{k}", "count": 2, "shared_by": ["g{k}"] }}"#)
        })
        .collect();
    let root = render(one_rule_per_group(
        120,
        &format!(r#", "shared_devices": [{}]"#, pools.join(", ")),
    ))
    .await;
    click(&root, ".mode-switch button:nth-child(2)").await;
    assert_eq!(count(&root, "input[id^=d-pool-]"), 0, "closed pools");
    open_card(&root, "D3 — 2 devices, used by 1 group").await;
    assert_eq!(count(&root, "input[id^=d-pool-3-grp-]"), 100);
    assert_eq!(count(&root, "input[id^=d-pool-2-]"), 0);
    click(&root, "#d-pool-3-grp-g7").await;
    assert_eq!(
        text(&root, "details:has(#d-pool-3-name) > summary"),
        "D3 — 2 devices, used by 2 groups",
        "the tick is in the estate and the open card's summary says it"
    );
}

/// ELP review 42: only the command line could set the date a position is as of, so a printout
/// was always as of the day it was printed. The detailed editor's "Count as of" sets the estate's
/// own date, the result says which date it is, and a date out of range is refused at the field.
#[wasm_bindgen_test]
async fn the_count_date_set_in_the_detailed_editor_is_the_results_date() {
    let root = render(sample()).await;
    assert!(
        text(&root, ".as-of").ends_with(&format!(
            "as of {TODAY} (today) · set a count date in the detailed editor"
        )),
        "{}",
        text(&root, ".as-of")
    );
    click_button(&root, ".mode-switch button", "Detailed").await;
    type_into(&root, "#d-as-of", "2025-06-30").await;
    assert!(
        text(&root, ".as-of").ends_with("as of 2025-06-30, the estate's count date"),
        "{}",
        text(&root, ".as-of")
    );
    type_into(&root, "#d-as-of", "1999-12-31").await;
    assert!(
        text(&root, "#d-as-of-error").starts_with(
            "This date is before the first date a count can be made as of (2000-01-01)"
        ),
        "{}",
        text(&root, "#d-as-of-error")
    );
    assert!(text(&root, ".as-of").ends_with("as of 2025-06-30, the estate's count date"));
    type_into(&root, "#d-as-of", "").await;
    assert!(
        text(&root, ".as-of").contains(&format!("as of {TODAY} (today)")),
        "{}",
        text(&root, ".as-of")
    );
    root.remove();
}

/// ELP review 42: CAL Suites without Software Assurance dates are counted as if SA were active,
/// and only a finding said so, under a total of "nothing to buy". The total says what it
/// assumes; where every SA is dated, it says nothing.
#[wasm_bindgen_test]
async fn the_total_says_it_assumes_software_assurance_the_estate_does_not_date() {
    let estate = |sa: &str| {
        cal_calc::share::from_file(&format!(
            r#"{{ "groups": [{{ "id": "staff", "count": 10 }}],
              "servers": [{{ "id": "fs", "product": "windows-server", "version": "2022" }}],
              "access": [{{ "groups": ["staff"], "servers": ["fs"] }}],
              "holdings": [{{ "product": "core-cal-suite", "kind": "user-cal", "quantity": 10{sa} }}] }}"#
        ))
        .expect("the estate reads")
    };
    let root = render(estate("")).await;
    assert!(
        text(&root, "[data-testid=total-assumes-sa]")
            .starts_with("This total assumes Software Assurance is active"),
        "{}",
        text(&root, "[data-testid=total-assumes-sa]")
    );
    root.remove();
    let root = render(estate(
        r#", "software_assurance": { "since": "2020-01-01", "until": "2023-12-31" }"#,
    ))
    .await;
    assert!(find(&root, "[data-testid=total-assumes-sa]").is_none());
    root.remove();
}

/// Review 43: the printed holdings said of an owned Core CAL Suite "counted in the position as
/// its contents: Windows Server CAL, …, Skype for Business Server Standard CAL CALs".
#[wasm_bindgen_test]
fn an_owned_suite_names_its_contents_once_as_cals() {
    use cal_calc::ui::components::inputs::suite_contents_note;
    assert_eq!(
        suite_contents_note(CalProduct::CoreCalSuite),
        " — counted in the position as its contents: the Windows Server, Exchange Standard, SharePoint Standard and Skype for Business Standard CALs"
    );
    assert!(!suite_contents_note(CalProduct::EnterpriseCalSuite).contains("CAL CALs"));
}
