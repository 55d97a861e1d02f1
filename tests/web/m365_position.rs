//! The position table's Microsoft 365 seat rows.

use super::*;

/// 520 staff marked E3 against 500 seats, 10 managers marked E5 against 40, all reaching one
/// Windows Server 2022; `channel` and the equivalency reading as given.
fn seats_estate(channel: &str, reading: &str) -> Estate {
    Estate::from_json(&format!(
        r#"{{ "name": "Seats",
  "organisation": {{ "m365": {{ "e3_seats": 500, "e5_seats": 40, "channel": "{channel}" }},
                    "readings": {{ "m365_equivalency": "{reading}" }} }},
  "groups": [{{ "id": "staff", "count": 520, "devices_each": 1, "m365": "e3" }},
             {{ "id": "mgr", "count": 10, "devices_each": 1, "m365": "e5" }}],
  "servers": [{{ "id": "s", "product": "windows-server", "version": "2022" }}],
  "access": [{{ "groups": ["staff", "mgr"], "servers": ["s"] }}] }}"#
    ))
    .expect("the estate reads")
}

/// The text of each cell (header and data) of each body row of the seat table.
fn seat_cells(root: &Element) -> Vec<Vec<String>> {
    let rows = root
        .query_selector_all("[data-testid=seat-table] tbody tr:not(.why-print)")
        .expect("query");
    (0..rows.length())
        .filter_map(|k| rows.item(k))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .map(|tr| {
            let cells = tr.query_selector_all("th, td.num").expect("query");
            (0..cells.length())
                .filter_map(|k| cells.item(k))
                .map(|c| c.text_content().unwrap_or_default())
                .collect()
        })
        .collect()
}

/// The engine's seat rows, under the position table, figure for figure, each with its "why".
#[wasm_bindgen_test]
async fn the_position_shows_the_engines_seat_rows_with_their_why() {
    let e = seats_estate("enterprise-agreement", "all-channels");
    let report = evaluate(&e);
    assert_eq!(report.seats.len(), 2);
    let root = render(e).await;
    let expected: Vec<Vec<String>> = report
        .seats
        .iter()
        .map(|s| {
            vec![
                s.plan_label().to_string(),
                format::count(s.owned),
                format::count(s.flagged),
                format::count(s.seated),
                format::count(s.unseated),
                format::count(s.unused),
            ]
        })
        .collect();
    assert_eq!(seat_cells(&root), expected);
    assert_eq!(
        expected,
        [
            ["Microsoft 365 E3", "500", "520", "500", "20", "0"],
            ["Microsoft 365 E5", "40", "10", "10", "0", "30"]
        ]
    );
    // Inside the position's card, after its table.
    assert!(find(&root, "section.position [data-testid=seat-table]").is_some());
    // Each row has the why affordance, whose summary names the row.
    let whys = root
        .query_selector_all("[data-testid=seat-table] tbody tr td.why-cell details.why")
        .expect("query");
    assert_eq!(whys.length(), 2);
    assert!(
        text(
            &root,
            "[data-testid=seat-table] tbody tr td.why-cell summary"
        )
        .contains("Microsoft 365 E3 seats"),
        "{}",
        text(
            &root,
            "[data-testid=seat-table] tbody tr td.why-cell summary"
        )
    );
    // Opened (as a click on its summary would), it gives the engine's sentence.
    let details = find(&root, "[data-testid=seat-table] details.why").expect("a why");
    details.set_attribute("open", "").expect("open");
    let event = web_sys::Event::new("toggle").expect("event");
    details.dispatch_event(&event).expect("dispatch");
    yew::scheduler::flush().await;
    let body = text(&root, "[data-testid=seat-table] .why-body");
    assert!(
        body.contains("Microsoft 365 E3: 500 seats owned; 520 people in the groups marked as holding E3; 500 people licensed by their seats as CAL equivalents"),
        "{body}"
    );
}

/// Under the volume-licensing-only reading, seats bought through CSP are not counted as CALs:
/// the row says so; with no seat count, the seats owned are the people flagged, marked so.
#[wasm_bindgen_test]
async fn a_withheld_row_and_a_count_taken_from_the_flags_say_so() {
    let root = render(seats_estate("csp", "volume-licensing-only")).await;
    let cells = seat_cells(&root);
    assert_eq!(
        cells.first().map(|r| r.join("|")),
        Some("Microsoft 365 E3 — not counted as CALs|500|520|0|520|0".to_string())
    );
    let mut e = seats_estate("enterprise-agreement", "all-channels");
    e.organisation.m365.e3_seats = 0;
    let root = render(e).await;
    assert_eq!(
        seat_cells(&root).first().map(|r| r.join("|")),
        Some("Microsoft 365 E3|520 (as flagged)|520|520|0|0".to_string())
    );
}

/// An estate without Microsoft 365 shows no seat table; the app's CSV carries the seat rows.
#[wasm_bindgen_test]
async fn no_seat_table_without_microsoft_365_and_the_csv_carries_the_rows() {
    let e = Estate::from_json(
        r#"{ "groups": [{ "id": "staff", "count": 10, "devices_each": 1 }],
  "servers": [{ "id": "s", "product": "windows-server", "version": "2022" }],
  "access": [{ "groups": ["staff"], "servers": ["s"] }] }"#,
    )
    .expect("the estate reads");
    let root = render(e).await;
    assert!(find(&root, ".position-table").is_some());
    assert!(find(&root, "[data-testid=seat-table]").is_none());
    let report = evaluate(&seats_estate("enterprise-agreement", "all-channels"));
    let csv = position_csv(&report).expect("csv");
    assert!(
        csv.contains("\nMicrosoft 365 E5 seats,Seat (CAL equivalent),,40,10,30,10,10,0,,,,"),
        "{csv}"
    );
}
