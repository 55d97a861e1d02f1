//! Estates with many servers stay quick to edit (hostile-input review, session 23).

use super::*;

/// `servers` unnamed Windows Servers that one group of 10 reaches.
fn servers(n: usize) -> Estate {
    let list: Vec<String> = (0..n)
        .map(|j| format!(r#"{{ "id": "s{j}", "product": "windows-server", "version": "2022" }}"#))
        .collect();
    let ids: Vec<String> = (0..n).map(|j| format!("\"s{j}\"")).collect();
    let json = format!(
        r#"{{ "format_version": 1, "groups": [{{ "id": "g", "count": 10 }}],
  "servers": [{}],
  "access": [{{ "groups": ["g"], "servers": [{}] }}] }}"#,
        list.join(", "),
        ids.join(", ")
    );
    cal_calc::share::from_file(&json).expect("the estate reads")
}

fn options_in(root: &Element, selector: &str) -> u32 {
    root.query_selector_all(&format!("{selector} option"))
        .expect("a valid selector")
        .length()
}

/// Every server card listed every other server as a possible physical host, open or not: 500
/// servers made 250,000 options and froze the page for 20 s, 2,000 aborted it. A closed card
/// now renders its summary only; opened, it lists every other server; a card of a short list
/// opened does the same.
#[wasm_bindgen_test]
async fn a_closed_server_card_of_a_long_list_does_not_list_every_host() {
    let root = render(servers(60)).await;
    click_button(&root, ".mode-switch button", "Detailed").await;
    assert_eq!(count(&root, "select[id^=d-server-]"), 0, "closed cards");
    // Opened by its summary, a card lists itself and the 59 others.
    toggle_card(&root, "#card-servers-5").await;
    assert_eq!(options_in(&root, "#d-server-5-host"), 60);
    assert_eq!(
        count(&root, "[id^=d-server-4-]"),
        0,
        "the others stay closed"
    );
    root.remove();
    let root = render(servers(10)).await;
    click_button(&root, ".mode-switch button", "Detailed").await;
    // Unnamed, the cards of a short list start open.
    assert_eq!(options_in(&root, "#d-server-3-host"), 10);
    root.remove();
}

/// Helper review 41: an open card of an estate of thousands of servers, most of them VMs, listed
/// every server as a possible physical host. A VM is no physical host: only the physical servers
/// are offered, and the host a card already names, VM or not, so nothing set is lost.
#[wasm_bindgen_test]
async fn a_server_card_offers_the_physical_servers_as_hosts_and_the_one_set() {
    let mut estate = servers(60);
    for s in estate.servers.iter_mut().skip(10) {
        s.vm = true;
    }
    estate.servers[20].host = Some("s30".into());
    let root = render(estate).await;
    click_button(&root, ".mode-switch button", "Detailed").await;
    // "Itself (physical)" and the 9 other physical servers.
    toggle_card(&root, "#card-servers-5").await;
    assert_eq!(options_in(&root, "#d-server-5-host"), 10);
    // A VM's card: the 10 physical servers and the VM it names.
    toggle_card(&root, "#card-servers-20").await;
    assert_eq!(options_in(&root, "#d-server-20-host"), 12);
    assert_eq!(select_value(&root, "#d-server-20-host"), "s30");
    root.remove();
}

/// `n` groups G0, G1, … each of one person, one server every group uses, and `n` owned
/// licences of one to three Windows Server User CALs.
fn groups_and_licences(n: usize) -> Estate {
    let groups: Vec<String> = (0..n)
        .map(|k| format!(r#"{{ "id": "g{k}", "name": "G{k}", "count": 1 }}"#))
        .collect();
    let ids: Vec<String> = (0..n).map(|k| format!("\"g{k}\"")).collect();
    let held: Vec<String> = (0..n)
        .map(|k| {
            format!(
                r#"{{ "product": "windows-server", "kind": "user-cal", "version": "2022", "quantity": {} }}"#,
                1 + k % 3
            )
        })
        .collect();
    let json = format!(
        r#"{{ "format_version": 1, "groups": [{}],
  "servers": [{{ "id": "s0", "name": "S0", "product": "windows-server", "version": "2022" }}],
  "access": [{{ "groups": [{}], "servers": ["s0"] }}], "holdings": [{}] }}"#,
        groups.join(", "),
        ids.join(", "),
        held.join(", ")
    );
    cal_calc::share::from_file(&json).expect("the estate reads")
}

/// The cards of the list under the legend `legend`.
fn cards_of(root: &Element, legend: &str) -> u32 {
    let all = root.query_selector_all("fieldset.rows").expect("query");
    (0..all.length())
        .filter_map(|k| all.item(k).and_then(|n| n.dyn_into::<Element>().ok()))
        .find(|f| {
            f.query_selector(":scope > legend")
                .ok()
                .flatten()
                .and_then(|l| l.text_content())
                .as_deref()
                == Some(legend)
        })
        .map_or(0, |f| count(&f, ":scope > details.row-card"))
}

/// Closed group, server and licence cards rendered all their fields, so each list grew the page
/// with its length: 50,000 groups and rules crashed the tab. A closed card is its summary; a
/// long list shows its first 100 cards, every open one, and more or all on request, and its
/// find box lists the cards it matches.
#[wasm_bindgen_test]
async fn a_long_list_of_closed_cards_shows_the_first_100_summaries_and_finds_the_others() {
    let root = render(groups_and_licences(250)).await;
    click_button(&root, ".mode-switch button", "Detailed").await;
    assert_eq!(count(&root, "[id^=d-group-]"), 0, "closed group cards");
    assert_eq!(count(&root, "[id^=d-holding-]"), 0, "closed licence cards");
    assert_eq!(cards_of(&root, "Groups of people"), 100);
    assert_eq!(cards_of(&root, "Licences you own"), 100);
    assert_eq!(
        text(&root, "[data-testid=more-groups]"),
        "Showing 100 of 250 groups, and every open one. Show 100 more Show all 250"
    );
    // Found by its name, a card far down the list is listed, opened and edited.
    type_into(&root, "#d-find-groups", "g201").await;
    assert_eq!(cards_of(&root, "Groups of people"), 1);
    toggle_card(&root, "#card-groups-201").await;
    type_into(&root, "#d-group-201-count", "7").await;
    assert_eq!(
        text(&root, "#card-groups-201"),
        "G201 — 7 employees, 1 own device each"
    );
    // An open card stays listed whatever is found, and the others come back with the box empty.
    type_into(&root, "#d-find-groups", "G1").await;
    assert!(find(&root, "#d-group-201-count").is_some(), "the open card");
    type_into(&root, "#d-find-groups", "").await;
    assert_eq!(cards_of(&root, "Groups of people"), 101);
    click_button(&root, "[data-testid=more-groups] button", "Show 100 more").await;
    assert_eq!(
        cards_of(&root, "Groups of people"),
        201,
        "200 and the open 201"
    );
    click_button(&root, "[data-testid=more-groups] button", "Show all 250").await;
    assert_eq!(cards_of(&root, "Groups of people"), 250);
    assert!(find(&root, "[data-testid=more-groups]").is_none());
    // The licences' list has its own pager, untouched.
    assert_eq!(cards_of(&root, "Licences you own"), 100);
    let label = find(&root, "label[for=d-find-licences]").and_then(|l| l.text_content());
    assert_eq!(
        label.as_deref(),
        Some("Find licences by product, kind or version")
    );
    root.remove();
}

/// A count typed as "4O" in a card that is then closed was in a field the closed card no longer
/// renders: it would be gone unseen. The card keeps its fields, hidden, and its summary says so;
/// opened again, the entry is there to correct.
#[wasm_bindgen_test]
async fn a_card_closed_on_an_entry_not_applied_keeps_it_and_says_so() {
    let root = render(groups_and_licences(3)).await;
    click_button(&root, ".mode-switch button", "Detailed").await;
    toggle_card(&root, "#card-groups-1").await;
    type_into(&root, "#d-group-1-count", "4O").await;
    toggle_card(&root, "#card-groups-1").await;
    let card = find(&root, "details:has(#card-groups-1)").expect("the card");
    assert!(!card.has_attribute("open"), "closed");
    assert_eq!(
        text(&root, "#card-groups-1"),
        "G1 — 1 employee, 1 own device each — holds an entry not applied: open it to correct it"
    );
    assert_eq!(input_value(&root, "#d-group-1-count"), "4O");
    // Opened, corrected and closed, it is a summary again.
    toggle_card(&root, "#card-groups-1").await;
    type_into(&root, "#d-group-1-count", "4").await;
    toggle_card(&root, "#card-groups-1").await;
    assert_eq!(
        text(&root, "#card-groups-1"),
        "G1 — 4 employees, 1 own device each"
    );
    assert!(find(&root, "#d-group-1-count").is_none());
    root.remove();
}

fn rows_in(root: &Element) -> u32 {
    root.query_selector_all("li.server-row")
        .expect("a valid selector")
        .length()
}

/// Quick mode laid out a row of four fields and a dozen options for every server, in one grid:
/// switching a 2,000-server estate to it made 80,000 elements and took 4–6 s on the release build
/// (18 s on a busy machine). A long list shows its first 50 rows and those added since, until the
/// user lists them all; a short list is unchanged.
#[wasm_bindgen_test]
async fn quick_mode_lists_the_first_servers_of_a_long_list_until_asked_for_all() {
    let root = render(servers(60)).await;
    click_button(&root, ".mode-switch button", "Detailed").await;
    click_button(&root, ".mode-switch button", "Quick").await;
    assert_eq!(rows_in(&root), 50, "the first 50 servers");
    assert!(find(&root, "#q-server-49-name").is_some());
    assert!(find(&root, "#q-server-50-name").is_none());
    assert!(
        text(&root, "[data-testid=servers-unlisted]")
            .starts_with("Servers 51 to 60 are not listed"),
        "{}",
        text(&root, "[data-testid=servers-unlisted]")
    );
    // A server added is listed at once, to be named.
    click_button(&root, "button", "Add a server").await;
    assert_eq!(rows_in(&root), 51);
    assert!(
        find(&root, "#q-server-60-name").is_some(),
        "the row just added"
    );
    // Removed again, the list is as it was.
    click(&root, "li.server-row:last-child button.remove").await;
    assert_eq!(rows_in(&root), 50);
    assert!(find(&root, "#q-server-60-name").is_none());
    // Listed on request, every server is there and the note goes.
    click_button(
        &root,
        "[data-testid=servers-unlisted] button",
        "List all 60 servers",
    )
    .await;
    assert_eq!(rows_in(&root), 60);
    assert!(find(&root, "#q-server-59-name").is_some());
    assert!(find(&root, "[data-testid=servers-unlisted]").is_none());
    // Gone from the page: a later test's focus by id must not find this app's fields.
    root.remove();
    // A short list is listed whole, without the note.
    let root = render(servers(50)).await;
    assert_eq!(rows_in(&root), 50);
    assert!(find(&root, "[data-testid=servers-unlisted]").is_none());
    root.remove();
}

/// The printed inputs, hidden on screen, listed every group, rule and licence: 50,000 groups and
/// rules made half a million elements there. Each table lists its first 1,000 rows and says how
/// many more the estate file keeps.
#[wasm_bindgen_test]
async fn the_printed_inputs_list_the_first_1000_rows_of_a_table_and_say_how_many_more() {
    let root = render(groups_and_licences(1_001)).await;
    assert_eq!(
        count(&root, ".inputs-summary table:first-of-type tbody tr"),
        1_000
    );
    assert_eq!(
        text(&root, ".inputs-summary [data-testid=not-printed]"),
        "The first 1,000 of 1,001 groups are listed here; “Export estate (JSON)” keeps them all."
    );
    assert_eq!(
        count(&root, ".inputs-summary [data-testid=not-printed]"),
        2,
        "groups and licences"
    );
    root.remove();
}

/// Helper review 41: the estate's problem named a card past the first hundred ("group “G180”
/// (count): …"), which only the find box reached. The card is listed and marked, and the
/// problem's notice has a button that goes to it, from quick mode too.
#[wasm_bindgen_test]
async fn the_card_the_estates_problem_names_is_listed_and_reached_from_the_problem() {
    let mut estate = groups_and_licences(250);
    estate.groups[180].count = cal_calc::estate::MAX_COUNT + 1;
    let root = render(estate).await;
    assert!(
        text(&root, "[data-testid=evaluate-error]").contains("group “G180” (count): "),
        "{}",
        text(&root, "[data-testid=evaluate-error]")
    );
    // From quick mode the button opens the detailed editor at the card.
    click(&root, "[data-testid=go-to-problem]").await;
    sleep(20).await;
    yew::scheduler::flush().await;
    assert_eq!(
        focused().map(|e| e.id()).as_deref(),
        Some("card-groups-180")
    );
    assert_eq!(cards_of(&root, "Groups of people"), 101, "100 and G180");
    assert!(
        text(&root, "#card-groups-180").ends_with(" — the estate's problem is here"),
        "{}",
        text(&root, "#card-groups-180")
    );
    // Corrected there, the problem and its mark are gone, and the list is its first 100 again.
    toggle_card(&root, "#card-groups-180").await;
    type_into(&root, "#d-group-180-count", "3").await;
    assert!(find(&root, "[data-testid=evaluate-error]").is_none());
    assert!(find(&root, "[data-testid=card-problem]").is_none());
    toggle_card(&root, "#card-groups-180").await;
    assert_eq!(cards_of(&root, "Groups of people"), 100);
    root.remove();
}
