//! Files and prices that fail the check are opened to be repaired, not refused outright.
//!
//! An estate file that reads but fails today's check (a version no longer in the catalog, a count
//! out of range…) is still refused by default, so the current work is never replaced silently,
//! but its notice offers "Open it anyway to repair" when the detailed editor shows every problem
//! and can correct it. A problem it cannot show or correct (a reference to an id that does not
//! exist, a field the editor hides) keeps the file refused without the offer.

use super::*;
use cal_calc::ui::components::keep::{check_file, repairable, Checked};
use serde_json::{json, Value};

/// A change made to an estate file's JSON.
type Change = Box<dyn Fn(&mut Value)>;

/// The sample as an estate file, with `change` made to its JSON.
fn sample_file(change: impl FnOnce(&mut Value)) -> String {
    let text = cal_calc::share::to_file(&sample()).expect("the sample is written");
    let mut v: Value = serde_json::from_str(&text).expect("the sample's file is JSON");
    change(&mut v);
    serde_json::to_string_pretty(&v).expect("written")
}

/// Chooses the file `name` holding `text` in Keep and share's "Import estate (JSON)", as a user
/// would, and waits for the notice that names it.
async fn open_file(root: &Element, name: &str, contents: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(contents));
    let file = web_sys::File::new_with_str_sequence(&parts, name).expect("a file");
    let transfer = web_sys::DataTransfer::new().expect("a data transfer");
    let items = js_sys::Reflect::get(&transfer, &"items".into()).expect("its items");
    let add: js_sys::Function = js_sys::Reflect::get(&items, &"add".into())
        .expect("items.add")
        .dyn_into()
        .expect("a function");
    add.call1(&items, &file).expect("the file is added");
    let input: HtmlInputElement = find(root, "#import-file")
        .expect("the estate file input")
        .dyn_into()
        .expect("an input");
    input.set_files(transfer.files().as_ref());
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict("change", &init).expect("event");
    input.dispatch_event(&event).expect("dispatch");
    // The browser reads the file in the background.
    for _ in 0..200 {
        sleep(10).await;
        yew::scheduler::flush().await;
        if text(root, "[data-testid=notice]").contains(name) {
            return;
        }
    }
    panic!("no notice named {name}");
}

fn evaluate_error(root: &Element) -> Option<String> {
    find(root, "[data-testid=evaluate-error]").map(|_| text(root, "[data-testid=evaluate-error]"))
}

/// The text of the option shown as chosen in the select at `selector`.
fn chosen(root: &Element, selector: &str) -> String {
    let select: web_sys::HtmlSelectElement = find(root, selector)
        .unwrap_or_else(|| panic!("{selector}"))
        .dyn_into()
        .expect("a select");
    select
        .selected_options()
        .item(0)
        .and_then(|o| o.text_content())
        .unwrap_or_default()
}

/// Known item of session 23: a file exported by an earlier version, whose server version today's
/// catalog no longer knows, could not be opened to be fixed. It is still refused at first (the
/// current work stays), and the notice offers to open it anyway; opened, it shows in the
/// detailed editor with the unknown version shown as such, the problem is said, and choosing a
/// version makes the estate one that can be evaluated.
#[wasm_bindgen_test]
async fn a_file_with_a_version_no_longer_known_is_offered_and_repaired_in_the_editor() {
    let root = render(sample()).await;
    let file = sample_file(|v| v["servers"][2]["version"] = json!("2003"));
    open_file(&root, "old-dc.estate.json", &file).await;
    let notice = text(&root, "[data-testid=notice]");
    assert!(
        notice.starts_with("“old-dc.estate.json” was not opened; your current estate is unchanged. This file is not a usable estate: line "),
        "{notice}"
    );
    assert!(
        notice.contains("servers[2].version: \"2003\" is not a Windows Server version"),
        "{notice}"
    );
    assert!(
        notice.contains("“Open it anyway to repair” shows the file there in place of your current estate. Undo does not go back past opening a file; “Restore the previous estate” then brings your current estate back."),
        "{notice}"
    );
    // Refused: the work shown is the sample still.
    assert_eq!(evaluate_error(&root), None);
    assert!(find(&root, "#q-employees").is_some(), "still in quick mode");

    click(&root, "[data-testid=open-anyway]").await;
    let notice = text(&root, "[data-testid=notice]");
    assert!(
        notice.starts_with("Opened “old-dc.estate.json” to repair it. Until it is corrected it cannot be evaluated, exported or shared. Correct in the detailed editor: server “Domain controller” (version): \"2003\" is not a Windows Server version"),
        "{notice}"
    );
    // Honest about Undo: the estate it replaced comes back with Restore, not Undo.
    assert!(
        notice.contains("Undo does not go back past opening a file: “Restore the previous estate” does. It replaced the estate you had; that one is kept until you load another."),
        "{notice}"
    );
    assert!(find(&root, "[data-testid=open-anyway]").is_none());
    assert!(
        find(&root, "#detailed-title").is_some(),
        "the detailed editor"
    );
    let error = evaluate_error(&root).expect("the problem is shown");
    assert!(
        error.contains(
            "server “Domain controller” (version): \"2003\" is not a Windows Server version"
        ),
        "{error}"
    );
    // The card the problem names, found by its title and opened, as a user would.
    toggle_card(&root, "#card-servers-2").await;
    assert_eq!(
        chosen(&root, "#d-server-2-version"),
        "2003 (not recognised)"
    );

    choose(&root, "#d-server-2-version", "2022").await;
    assert_eq!(evaluate_error(&root), None);
    assert_eq!(chosen(&root, "#d-server-2-version"), "2022");
}

/// The work a repaired file replaced comes back with "Restore the previous estate".
#[wasm_bindgen_test]
async fn the_estate_an_opened_file_replaced_comes_back_with_restore() {
    let mut mine = sample();
    mine.name = "My own estate".into();
    let root = render(mine).await;
    let file = sample_file(|v| v["groups"][0]["count"] = json!(20_000_000));
    open_file(&root, "big.estate.json", &file).await;
    click(&root, "[data-testid=open-anyway]").await;
    assert!(evaluate_error(&root).is_some());
    assert_eq!(
        input_value(&root, "#d-name"),
        "Northwind Logistics (sample estate)"
    );
    click_button(&root, "button", "Restore the previous estate").await;
    assert_eq!(evaluate_error(&root), None);
    assert_eq!(input_value(&root, "#d-name"), "My own estate");
}

/// A file refused just after a removal: its notice says so and still offers Undo, with what it
/// brings back, beside "Open it anyway to repair"; each does what it says (the refusal took the
/// chance to undo the removal away before).
#[wasm_bindgen_test]
async fn a_file_refused_after_a_removal_offers_both_undo_and_open_anyway() {
    let root = render(sample()).await;
    let file = sample_file(|v| v["servers"][2]["version"] = json!("2003"));
    let first = input_value(&root, "#q-server-0-name");
    let remove = format!("button[aria-label='Remove server {first}']");
    click(&root, &remove).await;
    assert_ne!(input_value(&root, "#q-server-0-name"), first);
    open_file(&root, "old-dc.estate.json", &file).await;
    let notice = text(&root, "[data-testid=notice]");
    assert!(
        notice
            .starts_with("“old-dc.estate.json” was not opened; your current estate is unchanged.")
            && notice.contains(&format!("Undo still brings back server “{first}”.")),
        "{notice}"
    );
    assert!(find(&root, "[data-testid=open-anyway]").is_some());
    click(&root, "[data-testid=undo]").await;
    assert_eq!(input_value(&root, "#q-server-0-name"), first);
    let notice = text(&root, "[data-testid=notice]");
    assert!(notice.contains("was undone"), "{notice}");

    // The same again, and the file opened anyway this time: it replaces the estate, which
    // Undo does not go back past.
    click(&root, &remove).await;
    open_file(&root, "old-dc.estate.json", &file).await;
    assert!(find(&root, "[data-testid=undo]").is_some());
    click(&root, "[data-testid=open-anyway]").await;
    let notice = text(&root, "[data-testid=notice]");
    assert!(
        notice.starts_with("Opened “old-dc.estate.json” to repair it."),
        "{notice}"
    );
    assert!(find(&root, "[data-testid=undo]").is_none());
    assert!(find(&root, "#detailed-title").is_some());
}

/// A problem the editor cannot show or correct keeps the file refused, without the offer: a
/// rule naming a group that does not exist lists no box to untick it.
#[wasm_bindgen_test]
async fn a_file_the_editor_cannot_repair_is_refused_without_the_offer() {
    let root = render(sample()).await;
    let file = sample_file(|v| {
        v["access"][0]["groups"]
            .as_array_mut()
            .expect("a list")
            .push(json!("ghosts"))
    });
    open_file(&root, "ghosts.estate.json", &file).await;
    let notice = text(&root, "[data-testid=notice]");
    assert!(
        notice.contains("access[0].groups[3]: \"ghosts\" is not the id of any group. The editor cannot show or correct this, so the file cannot be opened to repair it here: correct it in the file with a text editor, then open it again."),
        "{notice}"
    );
    assert!(find(&root, "[data-testid=open-anyway]").is_none());
    assert_eq!(evaluate_error(&root), None);
    // Not JSON at all: refused as before, without the offer.
    open_file(&root, "notes.estate.json", "name,count\nstaff,5\n").await;
    let notice = text(&root, "[data-testid=notice]");
    assert!(
        notice.contains("This file is not an estate file"),
        "{notice}"
    );
    assert!(find(&root, "[data-testid=open-anyway]").is_none());
}

/// Which files are offered to open anyway, kind by kind of problem the check reports: those the
/// detailed editor shows and corrects; not those it hides or cannot tell (so they are not
/// offered: opened, the user could not put them right).
#[wasm_bindgen_test]
fn each_kind_of_problem_is_offered_only_where_the_editor_can_correct_it() {
    let offered = |change: &dyn Fn(&mut Value)| {
        let file = sample_file(change);
        match check_file("f.json", &file) {
            Checked::Repairable(r) => {
                let problems = r.estate.problems();
                assert!(!problems.is_empty());
                assert!(problems.iter().all(|p| repairable(&r.estate, p)));
                true
            }
            Checked::Refused(m) => {
                assert!(m.contains("This file is not a usable estate"), "{m}");
                false
            }
            Checked::Usable(_) => panic!("the change makes no problem"),
        }
    };
    // Shown as they are, and corrected in place.
    let repaired: Vec<(&str, Change)> = vec![
        (
            "server version",
            Box::new(|v| v["servers"][2]["version"] = json!("2003")),
        ),
        (
            "server cores",
            Box::new(|v| v["servers"][7]["cores"] = json!(20_000)),
        ),
        (
            "group count",
            Box::new(|v| v["groups"][0]["count"] = json!(20_000_000)),
        ),
        (
            "devices each",
            Box::new(|v| v["groups"][0]["devices_each"] = json!(5_000)),
        ),
        (
            "pool count",
            Box::new(|v| v["shared_devices"][0]["count"] = json!(20_000_000)),
        ),
        (
            "unattended pool without servers",
            Box::new(|v| v["shared_devices"][2]["accesses"] = json!([])),
        ),
        (
            "pay-as-you-go on 2022",
            Box::new(|v| v["servers"][0]["pay_as_you_go"] = json!(true)),
        ),
        (
            "rule without groups",
            Box::new(|v| v["access"][0]["groups"] = json!([])),
        ),
        (
            "rule without servers",
            Box::new(|v| v["access"][0]["servers"] = json!([])),
        ),
        (
            "feature no server offers",
            Box::new(|v| v["access"][2]["servers"] = json!(["fs1"])),
        ),
        (
            "features on printed output",
            Box::new(|v| {
                v["access"][0]["manual_transfer_only"] = json!(true);
                v["access"][0]["features"] = json!(["exchange-enterprise"]);
            }),
        ),
        (
            "holding quantity",
            Box::new(|v| v["holdings"][0]["quantity"] = json!(20_000_000)),
        ),
        (
            "SA ending before it began",
            Box::new(|v| v["holdings"][2]["software_assurance"]["until"] = json!("2018-01-01")),
        ),
        (
            "unknown currency",
            Box::new(|v| v["organisation"]["currency"] = json!("XYZ")),
        ),
        (
            "negative own price",
            Box::new(|v| v["organisation"]["prices"][0]["amount_minor"] = json!(-500)),
        ),
        (
            "E3 seats",
            Box::new(|v| v["organisation"]["m365"]["e3_seats"] = json!(20_000_000)),
        ),
    ];
    for (what, change) in &repaired {
        assert!(offered(change.as_ref()), "{what} is offered");
    }
    // Not shown, or not shown as they are: refused without the offer.
    let refused: Vec<(&str, Change)> = vec![
        (
            "rule naming an unknown group",
            Box::new(|v| v["access"][0]["groups"] = json!(["ghosts"])),
        ),
        (
            "rule naming an unknown server",
            Box::new(|v| v["access"][0]["servers"] = json!(["nowhere"])),
        ),
        (
            "pool shared by an unknown group",
            Box::new(|v| v["shared_devices"][0]["shared_by"] = json!(["ghosts"])),
        ),
        (
            "unattended pool reaching an unknown server",
            Box::new(|v| v["shared_devices"][2]["accesses"] = json!(["nowhere"])),
        ),
        (
            "attended pool listing servers",
            Box::new(|v| v["shared_devices"][0]["accesses"] = json!(["dc1"])),
        ),
        (
            "group id used twice",
            Box::new(|v| v["groups"][1]["id"] = json!("office")),
        ),
        (
            "server without an id",
            Box::new(|v| v["servers"][7]["id"] = json!("")),
        ),
        (
            "holding version unknown",
            Box::new(|v| v["holdings"][0]["version"] = json!("2003")),
        ),
        (
            "suite with a version",
            Box::new(|v| v["holdings"][6]["version"] = json!("2019")),
        ),
        (
            "holding kind the product lacks",
            Box::new(|v| v["holdings"][3]["kind"] = json!("external-connector")),
        ),
        (
            "External Connector on an unknown host",
            Box::new(|v| {
                v["holdings"][0]["kind"] = json!("external-connector");
                v["holdings"][0]["assigned_to"] = json!("nowhere");
            }),
        ),
        (
            "Windows version on a Windows Server",
            Box::new(|v| v["servers"][0]["windows_version"] = json!("2019")),
        ),
        (
            "unknown Windows version under SQL Server",
            Box::new(|v| v["servers"][8]["windows_version"] = json!("2003")),
        ),
        (
            "edition of another product",
            Box::new(|v| v["servers"][11]["edition"] = json!("datacenter")),
        ),
        (
            "SQL licensing on Exchange",
            Box::new(|v| v["servers"][11]["sql_licensing"] = json!("per-core")),
        ),
        (
            "Server+CAL for SQL Enterprise",
            Box::new(|v| v["servers"][9]["sql_licensing"] = json!("server-cal")),
        ),
        (
            "session host role on SQL Server",
            Box::new(|v| v["servers"][8]["rds_session_host"] = json!(true)),
        ),
        (
            "licensing mode without a session host",
            Box::new(|v| v["servers"][2]["rds_mode"] = json!("per-user")),
        ),
        (
            "price item twice",
            Box::new(|v| {
                let first = v["organisation"]["prices"][0].clone();
                v["organisation"]["prices"]
                    .as_array_mut()
                    .expect("a list")
                    .push(first);
            }),
        ),
    ];
    for (what, change) in &refused {
        assert!(!offered(change.as_ref()), "{what} is not offered");
    }
    // Not an estate: refused for what it is, never offered.
    for text in ["name,count\n", "{ \"groups\": [,] }", "{ \"colour\": 1 }"] {
        assert!(
            matches!(check_file("f.json", text), Checked::Refused(_)),
            "{text}"
        );
    }
    assert!(matches!(
        check_file("f.json", &sample_file(|_| {})),
        Checked::Usable(_)
    ));
    // A code in small letters is read in capitals (UI review 39: "usd" was refused, with no
    // repair offered).
    assert!(matches!(
        check_file("f.json", &sample_file(|v| v["organisation"]["currency"] = json!("usd"))),
        Checked::Usable(e) if e.organisation.currency == "USD"
    ));
}

/// Every kind of problem offered can be corrected in the detailed editor once the file is opened
/// anyway: after the edit a user would make, the estate can be evaluated again.
#[wasm_bindgen_test]
async fn each_problem_offered_is_corrected_in_the_detailed_editor() {
    let price_field = format!(
        "#price-{}-{}",
        format::product_code(CalProduct::CoreCalSuite),
        format::kind_code(LicenceKind::UserCal)
    );
    let cases: Vec<(&str, Change, &str, &str)> = vec![
        (
            "cores",
            Box::new(|v| v["servers"][7]["cores"] = json!(20_000)),
            "#d-server-7-cores",
            "16",
        ),
        (
            "count",
            Box::new(|v| v["groups"][0]["count"] = json!(20_000_000)),
            "#d-group-0-count",
            "420",
        ),
        (
            "devices",
            Box::new(|v| v["groups"][0]["devices_each"] = json!(5_000)),
            "#d-group-0-devices",
            "2",
        ),
        (
            "pool",
            Box::new(|v| v["shared_devices"][0]["count"] = json!(20_000_000)),
            "#d-pool-0-count",
            "40",
        ),
        (
            "quantity",
            Box::new(|v| v["holdings"][0]["quantity"] = json!(20_000_000)),
            "#d-holding-0-quantity",
            "500",
        ),
        (
            "SA",
            Box::new(|v| v["holdings"][2]["software_assurance"]["until"] = json!("2018-01-01")),
            "#d-holding-2-sa-until",
            "2020-01-01",
        ),
        (
            "E3",
            Box::new(|v| v["organisation"]["m365"]["e3_seats"] = json!(20_000_000)),
            "#d-m365-e3",
            "60",
        ),
        (
            "price",
            Box::new(|v| v["organisation"]["prices"][0]["amount_minor"] = json!(-500)),
            price_field.as_str(),
            "195",
        ),
    ];
    for (what, change, field, typed) in cases {
        // Taken out of the page at the end of each case (`Mounted`).
        let root = render(sample()).await;
        open_file(&root, &format!("{what}.estate.json"), &sample_file(change)).await;
        click(&root, "[data-testid=open-anyway]").await;
        assert!(evaluate_error(&root).is_some(), "{what}: opened to repair");
        // As a user would, opens the cards first: a closed pool or rule shows its summary only.
        open_all_cards(&root).await;
        type_into(&root, field, typed).await;
        assert_eq!(evaluate_error(&root), None, "{what}: corrected");
    }
    // Boxes to tick or untick, and selects.
    let cases: Vec<(&str, Change, &str)> = vec![
        (
            "unattended",
            Box::new(|v| v["shared_devices"][2]["accesses"] = json!([])),
            "#d-pool-2-srv-print1",
        ),
        (
            "payg",
            Box::new(|v| v["servers"][0]["pay_as_you_go"] = json!(true)),
            "#d-server-0-payg",
        ),
        (
            "no groups",
            Box::new(|v| v["access"][0]["groups"] = json!([])),
            "#d-access-0-grp-office",
        ),
        (
            "no servers",
            Box::new(|v| v["access"][0]["servers"] = json!([])),
            "#d-access-0-srv-dc1",
        ),
        (
            "feature",
            Box::new(|v| v["access"][2]["servers"] = json!(["fs1"])),
            "#d-access-2-feat-exchange-enterprise",
        ),
        (
            "printed output",
            Box::new(|v| {
                v["access"][0]["manual_transfer_only"] = json!(true);
                v["access"][0]["features"] = json!(["exchange-enterprise"]);
            }),
            "#d-access-0-manual",
        ),
    ];
    for (what, change, boxed) in cases {
        // Taken out of the page at the end of each case (`Mounted`).
        let root = render(sample()).await;
        open_file(&root, &format!("{what}.estate.json"), &sample_file(change)).await;
        click(&root, "[data-testid=open-anyway]").await;
        assert!(evaluate_error(&root).is_some(), "{what}: opened to repair");
        open_all_cards(&root).await;
        click(&root, boxed).await;
        assert_eq!(evaluate_error(&root), None, "{what}: corrected");
    }
    let root = render(sample()).await;
    let file = sample_file(|v| v["organisation"]["currency"] = json!("XYZ"));
    open_file(&root, "currency.estate.json", &file).await;
    click(&root, "[data-testid=open-anyway]").await;
    assert_eq!(chosen(&root, "#currency"), "XYZ");
    choose(&root, "#currency", "EUR").await;
    assert_eq!(evaluate_error(&root), None, "currency: corrected");
}
