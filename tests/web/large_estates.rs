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
/// servers made 250,000 options and froze the page for 20 s, 2,000 aborted it. In a long list a
/// card lists them only once the user opens it; a short list is unchanged.
#[wasm_bindgen_test]
async fn a_closed_server_card_of_a_long_list_does_not_list_every_host() {
    let root = render(servers(60)).await;
    click_button(&root, ".mode-switch button", "Detailed").await;
    // Closed cards list "Itself (physical)" only.
    assert_eq!(options_in(&root, "#d-server-5-host"), 1);
    let all: u32 = (0..60)
        .map(|i| options_in(&root, &format!("#d-server-{i}-host")))
        .sum();
    assert_eq!(all, 60, "one option per closed card");
    // Opened by its summary, a card lists itself and the 59 others.
    let summary = find(&root, "#d-server-5-host")
        .and_then(|e| e.closest("details").ok().flatten())
        .and_then(|d| d.query_selector("summary").ok().flatten())
        .expect("the card's summary")
        .dyn_into::<HtmlElement>()
        .expect("an element");
    summary.click();
    yew::scheduler::flush().await;
    assert_eq!(options_in(&root, "#d-server-5-host"), 60);
    // A short list is as before: every card lists every other server.
    let root = render(servers(10)).await;
    click_button(&root, ".mode-switch button", "Detailed").await;
    assert_eq!(options_in(&root, "#d-server-3-host"), 10);
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
