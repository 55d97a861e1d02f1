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
