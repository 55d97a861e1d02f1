//! Access rules in detailed mode: features that need a server role (pre-sales review, session 23).

use super::*;

/// The reviewer's estate: 15 employees on one Windows Server 2025, "Office server", with
/// `server` (JSON fields added to the server) and `features` on the access rule, and `more`
/// servers (JSON objects) the rule also reaches.
fn office(server: &str, features: &str, more: &[&str]) -> Estate {
    let extra: String = more.iter().map(|s| format!(", {s}")).collect();
    let ids: String = more
        .iter()
        .map(|s| {
            let id = s.split("\"id\": \"").nth(1).expect("an id");
            format!(", \"{}\"", &id[..id.find('"').expect("quoted")])
        })
        .collect();
    let json = format!(
        r#"{{
  "format_version": 1,
  "name": "Office",
  "groups": [{{ "id": "staff", "name": "Employees", "count": 15, "devices_each": 1 }}],
  "servers": [{{ "id": "office", "name": "Office server", "product": "windows-server", "version": "2025"{server} }}{extra}],
  "access": [{{ "groups": ["staff"], "servers": ["office"{ids}], "features": [{features}] }}]
}}"#
    );
    cal_calc::share::from_file(&json).expect("the estate reads")
}

fn checked(root: &Element, selector: &str) -> bool {
    find(root, selector)
        .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
        .map(|i| i.checked())
        .unwrap_or_else(|| panic!("a check box {selector}"))
}

async fn detailed(estate: Estate) -> Mounted {
    let root = render(estate).await;
    click_button(&root, ".mode-switch button", "Detailed").await;
    // A closed card renders its summary only.
    open_all_cards(&root).await;
    root
}

/// Pre-sales review: ticking "Remote Desktop sessions" on a rule whose server was not marked a
/// session host counted no RDS CAL and left an estate the app refused to reopen. The rule's
/// Windows Server becomes a session host, and the box says so.
#[wasm_bindgen_test]
async fn remote_desktop_on_a_rule_without_a_session_host_makes_its_windows_server_one() {
    let root = detailed(office("", "", &[])).await;
    assert!(!checked(&root, "#d-server-0-rdsh"));
    click(&root, "#d-access-0-feat-remote-desktop").await;
    assert!(checked(&root, "#d-access-0-feat-remote-desktop"));
    assert!(
        checked(&root, "#d-server-0-rdsh"),
        "the server is a session host"
    );
    assert_eq!(
        text(&root, "#d-access-0-feat-remote-desktop-hint"),
        "Office server is now marked as a Remote Desktop Session Host, so RDS CALs are counted for this rule."
    );
    assert!(find(&root, "[data-testid=evaluate-error]").is_none());
    let rec = text(&root, ".recommendation");
    assert!(rec.contains("Remote Desktop Services"), "{rec}");
    // Unticked again, the note goes; the server stays a session host, as the user may want.
    click(&root, "#d-access-0-feat-remote-desktop").await;
    assert!(find(&root, "#d-access-0-feat-remote-desktop-hint").is_none());
    assert!(find(&root, "[data-testid=evaluate-error]").is_none());
    root.remove();
}

/// Of several servers, only the rule's Windows Servers are made session hosts, named together.
#[wasm_bindgen_test]
async fn remote_desktop_names_every_windows_server_it_marks() {
    let root = detailed(office(
        "",
        "",
        &[
            r#"{ "id": "apps", "name": "Remote apps", "product": "windows-server", "version": "2022" }"#,
            r#"{ "id": "db", "name": "Database", "product": "sql-server", "version": "2022" }"#,
        ],
    ))
    .await;
    click(&root, "#d-access-0-feat-remote-desktop").await;
    assert_eq!(
        text(&root, "#d-access-0-feat-remote-desktop-hint"),
        "Office server and Remote apps are now marked as Remote Desktop Session Hosts, so RDS CALs are counted for this rule."
    );
    assert!(checked(&root, "#d-server-0-rdsh") && checked(&root, "#d-server-1-rdsh"));
    assert!(
        find(&root, "#d-server-2-rdsh").is_none(),
        "SQL Server has no such box"
    );
    assert!(find(&root, "[data-testid=evaluate-error]").is_none());
    root.remove();
}

/// A feature none of the rule's servers can offer (Exchange Enterprise with no Exchange server)
/// is not applied, and the box says what it needs, rather than an estate that cannot be
/// evaluated with the cause reported far below.
#[wasm_bindgen_test]
async fn a_feature_no_server_of_the_rule_offers_is_not_applied() {
    let root = detailed(office("", "", &[])).await;
    click(&root, "#d-access-0-feat-exchange-enterprise").await;
    assert!(!checked(&root, "#d-access-0-feat-exchange-enterprise"));
    assert_eq!(
        text(&root, "#d-access-0-feat-exchange-enterprise-hint"),
        "Not applied: “Exchange archiving, holds, DLP (Exchange Enterprise CAL)” needs an Exchange server among this rule's servers. Tick one under “use these servers” first."
    );
    assert!(find(&root, "[data-testid=evaluate-error]").is_none());
    root.remove();
}

/// Unticking the server's session-host box while a rule uses Remote Desktop says, beside the box,
/// that the rule lost the feature.
#[wasm_bindgen_test]
async fn unticking_the_session_host_says_so_beside_the_box() {
    let root = detailed(office(
        r#", "rds_session_host": true"#,
        r#""remote-desktop""#,
        &[],
    ))
    .await;
    assert!(checked(&root, "#d-access-0-feat-remote-desktop"));
    click(&root, "#d-server-0-rdsh").await;
    assert_eq!(
        text(&root, "#d-server-0-rdsh-hint"),
        "Remote Desktop was taken off access rule 1, which reached no other session host: no RDS CALs are counted for it. To count them again, tick this box and then \"Remote Desktop sessions\" on access rule 1."
    );
    assert!(!checked(&root, "#d-access-0-feat-remote-desktop"));
    assert!(find(&root, "[data-testid=evaluate-error]").is_none());
    click(&root, "#d-server-0-rdsh").await;
    assert!(find(&root, "#d-server-0-rdsh-hint").is_none());
    root.remove();
}

/// Unticking a rule's only session host from its servers takes Remote Desktop off the rule, and
/// the box says so (the estate would otherwise not evaluate).
#[wasm_bindgen_test]
async fn unticking_a_rules_only_session_host_takes_remote_desktop_off_it() {
    let root = detailed(office(
        r#", "rds_session_host": true"#,
        r#""remote-desktop""#,
        &[r#"{ "id": "files", "name": "Files", "product": "windows-server", "version": "2025" }"#],
    ))
    .await;
    click(&root, "#d-access-0-srv-office").await;
    assert!(!checked(&root, "#d-access-0-srv-office"));
    assert!(!checked(&root, "#d-access-0-feat-remote-desktop"));
    assert_eq!(
        text(&root, "#d-access-0-srv-office-hint"),
        "“Remote Desktop sessions (RDS CAL)” was taken off this rule: none of its other servers offers it."
    );
    assert!(find(&root, "[data-testid=evaluate-error]").is_none());
    root.remove();
}

/// While the estate cannot be evaluated, the sticky summary bar does not show the last total as
/// if current: it says the result is out of date and leads to the problem.
#[wasm_bindgen_test]
async fn the_summary_bar_says_an_unevaluable_estate_leaves_the_result_out_of_date() {
    let root = detailed(office("", "", &[])).await;
    assert!(text(&root, ".summary-bar").starts_with("Purchase cost "));
    // A rule without a group cannot be evaluated.
    click(&root, "#d-access-0-grp-staff").await;
    assert!(find(&root, "[data-testid=evaluate-error]").is_some());
    let bar = text(&root, ".summary-bar");
    assert!(!bar.contains("Purchase cost"), "{bar}");
    assert_eq!(
        bar,
        "Result out of date: the estate as entered cannot be evaluated, so no total is shown. See the problem"
    );
    let link = find(&root, ".summary-bar a").expect("a link");
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some("#evaluate-error")
    );
    assert!(find(&root, "#evaluate-error").is_some());
    // The status is said once the edits pause (`field::SETTLE_MS`), not at each keystroke.
    sleep(cal_calc::ui::components::field::SETTLE_MS as i32 + 200).await;
    assert_eq!(
        text(&root, "[data-testid=result-status]"),
        "Result out of date: the estate as entered cannot be evaluated."
    );
    click(&root, "#d-access-0-grp-staff").await;
    assert!(text(&root, ".summary-bar").starts_with("Purchase cost "));
    root.remove();
}

/// An estate that cannot be evaluated is neither exported nor shared: the import, the share link
/// and the command line refuse it, so the file or link could not be opened again (pre-sales
/// review). The message names the problem.
#[wasm_bindgen_test]
async fn an_estate_that_cannot_be_evaluated_is_not_exported_or_shared() {
    let root = detailed(office("", "", &[])).await;
    click(&root, "#d-access-0-grp-staff").await;
    click_button(&root, "button", "Export estate (JSON)").await;
    let notice = text(&root, "[data-testid=notice]");
    assert!(
        notice.starts_with("The estate was not exported: the estate as entered cannot be evaluated, and a file or link made of it could not be opened again. Correct this first: access rule 1"),
        "{notice}"
    );
    assert!(notice.contains("list at least one group"), "{notice}");
    click_button(&root, "button", "Copy share link").await;
    let notice = text(&root, "[data-testid=notice]");
    assert!(notice.starts_with("No share link was made: "), "{notice}");
    assert!(
        find(&root, "#share-link").is_none(),
        "no link to copy by hand"
    );
    root.remove();
}

/// Renders detailed mode's form alone with `estate`, keeping every edit it sends in `sent`.
async fn form_sending_to(estate: Estate, sent: Rc<std::cell::RefCell<Vec<Edit>>>) -> Mounted {
    use cal_calc::ui::components::detailed::{DetailedForm, DetailedProps};
    mount_with::<DetailedForm>(DetailedProps {
        estate: Rc::new(estate),
        on_edit: yew::Callback::from(move |e: Edit| sent.borrow_mut().push(e)),
        problem: None,
    })
    .await
}

/// Review of session 23: ticking "Remote Desktop sessions" on a rule without a session host sent
/// an edit per Windows Server it marked and one for the rule, each a state and an evaluation of
/// its own for one tick. It is one edit, which the reducer applies: one new revision with the
/// servers marked and the rule's feature, as the boxes said.
#[wasm_bindgen_test]
async fn remote_desktop_on_a_rule_is_one_edit_that_marks_its_windows_servers() {
    use cal_calc::estate::Feature;
    let estate = office(
        "",
        "",
        &[
            r#"{ "id": "apps", "name": "Remote apps", "product": "windows-server", "version": "2022" }"#,
            r#"{ "id": "db", "name": "Database", "product": "sql-server", "version": "2022" }"#,
        ],
    );
    let sent = Rc::new(std::cell::RefCell::new(Vec::new()));
    let root = form_sending_to(estate.clone(), sent.clone()).await;
    click(&root, "#d-access-0-feat-remote-desktop").await;
    let edits = sent.borrow().clone();
    assert_eq!(edits.len(), 1, "one edit for one tick: {edits:?}");
    let state = Rc::new(AppState::new(estate, Origin::Sample));
    let after = state.clone().reduce(Action::Edit(edits[0].clone()));
    assert_eq!(after.revision, state.revision + 1);
    let hosts: Vec<bool> = (after.estate.servers.iter())
        .map(|s| s.rds_session_host)
        .collect();
    assert_eq!(hosts, [true, true, false], "its two Windows Servers");
    assert_eq!(after.estate.access[0].features, [Feature::RemoteDesktop]);
    let rds = evaluate(&after.estate)
        .products
        .iter()
        .any(|p| p.product == CalProduct::Rds);
    assert!(rds, "RDS CALs are counted");
    // A feature that cannot apply sends nothing, as before.
    sent.borrow_mut().clear();
    click(&root, "#d-access-0-feat-exchange-enterprise").await;
    assert!(sent.borrow().is_empty(), "{:?}", sent.borrow());
    root.remove();
}

/// The reducer's side of the box: unticked, the rule loses the feature and its session hosts stay
/// (as the user may want them); a feature no server of the rule offers, or a rule that is gone (a
/// stale click), changes nothing.
#[wasm_bindgen_test]
fn the_rules_feature_edit_unticks_and_refuses_what_cannot_apply() {
    use cal_calc::estate::Feature;
    let state = Rc::new(AppState::new(office("", "", &[]), Origin::Sample));
    let on = state.clone().reduce(Action::Edit(Edit::SetAccessFeature(
        0,
        Feature::RemoteDesktop,
        true,
    )));
    assert!(on.estate.servers[0].rds_session_host);
    let off = on.clone().reduce(Action::Edit(Edit::SetAccessFeature(
        0,
        Feature::RemoteDesktop,
        false,
    )));
    assert!(off.estate.access[0].features.is_empty());
    assert!(
        off.estate.servers[0].rds_session_host,
        "still a session host"
    );
    assert_eq!(off.revision, on.revision + 1);
    for edit in [
        Edit::SetAccessFeature(0, Feature::ExchangeEnterprise, true),
        Edit::SetAccessFeature(1, Feature::RemoteDesktop, true),
    ] {
        let after = state.clone().reduce(Action::Edit(edit.clone()));
        assert_eq!(*after.estate, *state.estate, "{edit:?}");
        assert_eq!(after.revision, state.revision, "{edit:?}");
    }
}
