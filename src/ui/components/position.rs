//! The Effective License Position: per product, kind and version what is needed against what is
//! owned, the surplus, the shortfall and the cost to close it, with a CSV export.

use crate::estate::CalProduct;
use crate::report::{CsvStyle, PositionRow, Report, SeatRow};
use crate::ui::app::ReportNow;
use crate::ui::components::prices::PricesUsed;
use crate::ui::components::why::{
    printed_rule_list, printed_rules, printed_why, use_printing, Why,
};
use crate::ui::{browser, format};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PositionProps {
    pub report: Rc<Report>,
    #[prop_or_default]
    pub only: Option<Vec<CalProduct>>,
    pub on_error: Callback<String>,
}

/// The position as CSV (the engine's writer, shared with the CLI).
pub fn position_csv(report: &Report) -> Result<String, String> {
    shown_position_csv(report, &None, CsvStyle::Comma)
}

/// The position of the products shown (`only`, from `products=` in the address; all with
/// `None`) as CSV: the rows the table shows and their total, which says what it is cut down to.
pub fn shown_position_csv(
    report: &Report,
    only: &Option<Vec<CalProduct>>,
    style: CsvStyle,
) -> Result<String, String> {
    // In the semicolon style the explanations' figures are written as the page writes them
    // ("20.655,00 $" in de-DE), the style being offered where the locale has decimal commas.
    let why = |text: &str| match style {
        CsvStyle::Comma => text.to_string(),
        CsvStyle::Semicolon => format::localised(text),
    };
    crate::report::position_csv_written(report, only.as_deref(), style, &why)
        .map_err(|e| e.to_string())
}

/// The CSV file's name: the estate, the products it is cut down to if it is ("-ws-rds-only"),
/// and the date of the position, as in the file's total row (review 20).
pub fn csv_file_name(report: &Report, only: &Option<Vec<CalProduct>>, style: CsvStyle) -> String {
    let products = only.as_ref().map_or(String::new(), |o| {
        let codes: Vec<&str> = o.iter().map(|&p| format::product_code(p)).collect();
        format!("-{}-only", codes.join("-"))
    });
    let semicolons = match style {
        CsvStyle::Comma => "",
        CsvStyle::Semicolon => "-semicolons",
    };
    format!(
        "{}-license-position{products}-{}{semicolons}.csv",
        file_stem(&report.estate_name),
        report.as_of
    )
}

/// Downloads the position as a CSV file for spreadsheets: the one file both the position's
/// "Export CSV" and the result's action row give.
pub fn download_position_csv(report: &Report) -> Result<(), String> {
    download_shown_position_csv(report, &None, CsvStyle::Comma)
}

/// Downloads the position of the products shown (`only`; all with `None`) as a CSV file: what
/// the table shows, with `products=` in the address (review 22: it wrote every product).
pub fn download_shown_position_csv(
    report: &Report,
    only: &Option<Vec<CalProduct>>,
    style: CsvStyle,
) -> Result<(), String> {
    let name = csv_file_name(report, only, style);
    // For spreadsheets: a byte-order mark, or Excel reads the UTF-8 "×" and "€" as
    // Windows-1252, and CRLF line ends, as RFC 4180 has them (QA). The CLI's CSV stays
    // plain for pipes.
    let csv = shown_position_csv(report, only, style)?;
    let csv = format!(
        "\u{feff}{}",
        csv.replace("\r\n", "\n").replace('\n', "\r\n")
    );
    browser::download(&name, "text/csv;charset=utf-8", &csv)
}

/// A file name from the estate name: letters, digits and dashes only.
pub fn file_stem(name: &str) -> String {
    let stem: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if stem.is_empty() {
        "estate".to_string()
    } else {
        stem
    }
}

#[component]
pub fn PositionTable(p: &PositionProps) -> Html {
    let r = &p.report;
    let rows: Vec<&PositionRow> = r
        .position
        .iter()
        .filter(|x| x.concerns(p.only.as_deref()))
        .collect();
    let now = use_context::<ReportNow>();
    let export = |style: CsvStyle| {
        let (shown, on_error, only) = (p.report.clone(), p.on_error.clone(), p.only.clone());
        let now = now.clone();
        Callback::from(move |_: MouseEvent| {
            // The estate as it is now, not the one shown while the typing has not paused.
            let report = now
                .as_ref()
                .and_then(ReportNow::get)
                .unwrap_or_else(|| shown.clone());
            if let Err(e) = download_shown_position_csv(&report, &only, style) {
                on_error.emit(crate::ui::components::keep::csv_error(&e));
            }
        })
    };
    // Where the locale writes decimals with a comma, a second file its spreadsheet opens as
    // columns and numbers with a double-click (ELP review 42, M6).
    let comma_locale = crate::ui::format::locale_decimal() == ',';
    // The Microsoft 365 seats of the products shown, as the engine gives them.
    let seats: Vec<&SeatRow> = r
        .seats
        .iter()
        .filter(|s| s.concerns(p.only.as_deref()))
        .collect();
    let total: i64 = rows.iter().map(|x| x.cost_to_close_minor).sum();
    let unpriced = crate::report::position_total_leaves_out_unpriced(rows.iter().copied());
    let printing = use_printing();
    // On paper each row's explanation follows it, its rules once under the tables (empty on
    // screen, so that the rows' props do not change).
    let rules = Rc::new(if printing {
        printed_rules(
            rows.iter()
                .map(|x| &x.why)
                .chain(seats.iter().map(|s| &s.why)),
        )
    } else {
        Vec::new()
    });
    html! {
        <>
        <section class="card position" aria-labelledby="position-title">
            <div class="section-head">
                <h2 id="position-title">{ "Effective License Position" }</h2>
                <span class="section-actions no-print">
                <button type="button" class="secondary" onclick={export(CsvStyle::Comma)}
                    title="Commas between fields and “.” before decimals in every locale: where Excel lists with “;”, open it with Data → From Text/CSV">{ "Export CSV" }</button>
                if comma_locale {
                    <button type="button" class="secondary" data-testid="csv-semicolons" onclick={export(CsvStyle::Semicolon)}
                        title="Semicolons between fields and decimal commas, as Excel in your language opens them">{ "Export CSV (;)" }</button>
                }
                </span>
            </div>
            // Said on the page where the locale writes decimals with a comma (ELP review 42: only
            // the button's tooltip said it, and German Excel opened each line as one column).
            if comma_locale {
                <p class="note no-print" data-testid="csv-locale-note">{ "“Export CSV” has commas between fields and “.” before decimals, as spreadsheets read in every language through Data → From Text/CSV (a double-click reads each line as one column where lists are separated with “;”). “Export CSV (;)” has semicolons and decimal commas: Excel in your language opens it with a double-click." }</p>
            }
            if rows.is_empty() && seats.is_empty() {
                <p>{ "No licences needed or owned yet." }</p>
            } else {
            if !rows.is_empty() {
            <div class="table-wrap">
            <table class="position-table stack">
                // Shown, on screen and on paper (ELP review 42: hidden, "Owned 80, Used 80, Needed
                // 0" beside "Owned 0, Covered 80" read as an error).
                <caption class="table-key">{ "Per product, kind and version. Owned: licences held at this version, with Software Assurance's version rights and CAL Suites counted as their contents; used: of them, those covering a need of this version or an older one; surplus: the rest. Needed: what the estate needs at this version; covered: of it, what owned licences of this version or a newer one cover; shortfall: the rest. Owned = used + surplus; needed = covered + shortfall. A CAL Suite's own row is its licence statement line: owned, used by those who hold one (its parts count on the product rows above), and any to buy." }</caption>
                <thead><tr>
                    <th scope="col">{ "Licence" }</th>
                    <th scope="col">{ "Version" }</th>
                    <th scope="col" class="num">{ "Owned" }</th>
                    <th scope="col" class="num">{ "Used" }</th>
                    <th scope="col" class="num">{ "Surplus" }</th>
                    <th scope="col" class="num">{ "Needed" }</th>
                    <th scope="col" class="num" title="Needed and covered by owned licences of this or a newer version">{ "Covered" }</th>
                    <th scope="col" class="num">{ "Shortfall" }</th>
                    <th scope="col" class="num">{ "Cost to close" }</th>
                    <th scope="col"><span class="visually-hidden">{ "Why" }</span></th>
                </tr></thead>
                <tbody>
                { for rows.iter().map(|x| html! {
                    <PositionRowView row={(*x).clone()} currency={AttrValue::from(r.currency.clone())} {printing} printed_rules={rules.clone()} />
                }) }
                </tbody>
                <tfoot><tr>
                    <th scope="row" colspan="8">{ "Total cost to close" }</th>
                    <td class={classes!("num", unpriced.then_some("missing"))} data-testid="position-total"><strong>{ total_text(total, unpriced, &r.currency) }</strong></td>
                    <td></td>
                </tr></tfoot>
            </table>
            </div>
            }
            if !seats.is_empty() {
                <SeatTable seats={seats.iter().map(|s| (*s).clone()).collect::<Vec<_>>()} {printing} printed_rules={rules.clone()} />
            }
            // The rows' explanations print under each row; their source tags once, here.
            if printing {
                { printed_rule_list(&rules) }
            }
            }
        </section>
        // The prices behind "Cost to close", on paper only (the Prices panel is not printed).
        <PricesUsed currency={AttrValue::from(r.currency.clone())} prices_note={AttrValue::from(r.prices_note.clone())} />
        </>
    }
}

/// The table's total cost to close: with rows of no price among those it adds up, "+ price
/// unknown" after it, as the cost chart writes a scenario's (review 22: "$39,828.00" stood as the
/// whole cost under two rows of "no price").
pub fn total_text(total: i64, unpriced: bool, currency: &str) -> String {
    match (total, unpriced) {
        (0, true) => "price unknown".to_string(),
        (t, true) => format!("{} + price unknown", format::money(t, currency)),
        (t, false) => format::money(t, currency),
    }
}

#[derive(Properties, PartialEq)]
struct SeatTableProps {
    seats: Vec<SeatRow>,
    printing: bool,
    printed_rules: Rc<Vec<String>>,
}

/// The Microsoft 365 seats under the position: per plan, the seats owned against the people
/// flagged as holding it, whom the seats license as CALs, who is counted for CALs instead (on the
/// rows above) and the seats left unused, each row with its "why", as the engine gives them.
#[component]
fn SeatTable(p: &SeatTableProps) -> Html {
    html! {
        <div class="table-wrap">
        <table class="seat-table stack" data-testid="seat-table">
            <caption>{ "Microsoft 365 seats as CAL equivalents: people flagged = seated + counted for CALs instead (those are on the rows above)" }</caption>
            <thead><tr>
                <th scope="col">{ "Plan" }</th>
                <th scope="col" class="num">{ "Seats owned" }</th>
                <th scope="col" class="num" title="People in the groups marked as holding the plan">{ "People flagged" }</th>
                <th scope="col" class="num" title="People whose access the seats license as CALs">{ "Seated" }</th>
                <th scope="col" class="num" title="People flagged whose access is licensed by CALs instead">{ "Counted for CALs instead" }</th>
                <th scope="col" class="num" title="Seats owned beyond the people flagged">{ "Unused seats" }</th>
                <th scope="col"><span class="visually-hidden">{ "Why" }</span></th>
            </tr></thead>
            <tbody>
            { for p.seats.iter().map(|s| html! {
                <>
                <tr class={classes!((s.unseated > 0).then_some("short"))}>
                    <th scope="row">{ s.plan_label() }
                        if s.withheld {
                            <span class="note">{ " — not counted as CALs" }</span>
                        }
                    </th>
                    <td class="num" data-label="Seats owned">{ format::count(s.owned) }
                        if !s.stated {
                            <span class="note">{ " (as flagged)" }</span>
                        }
                    </td>
                    <td class="num" data-label="People flagged">{ format::count(s.flagged) }</td>
                    <td class="num" data-label="Seated">{ format::count(s.seated) }</td>
                    <td class="num shortfall" data-label="Counted for CALs instead">{ format::count(s.unseated) }</td>
                    <td class="num" data-label="Unused seats">{ format::count(s.unused) }</td>
                    <td class="why-cell"><Why why={s.why.clone()} subject={format!("the {}", s.label())} /></td>
                </tr>
                if p.printing && !s.why.is_empty() {
                    <tr class="why-print"><td colspan="7">{ printed_why(&s.why, &p.printed_rules) }</td></tr>
                }
                </>
            }) }
            </tbody>
        </table>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct PositionRowProps {
    row: PositionRow,
    currency: AttrValue,
    /// The page is being printed (from the table, so that the rows hold no print listener).
    printing: bool,
    /// While printing, the rules of the table's explanations, numbered (empty on screen).
    printed_rules: Rc<Vec<String>>,
}

/// One row of the position, a component of its own so that an edit re-renders only the rows it
/// changed (a 50-server estate rebuilt and diffed every row and its "why" at each keystroke).
#[component]
fn PositionRowView(p: &PositionRowProps) -> Html {
    let x = &p.row;
    // A printout gives each row's explanation in a row of its own below it (review: a printed
    // position did not say where any of its figures came from). Built only while printing.
    let printing = p.printing;
    html! {
                    <>
                    <tr class={classes!((x.shortfall > 0).then_some("short"))}>
                        <th scope="row">{ format!("{} {}", format::product_label(x.product), format::kind_label(x.kind)) }</th>
                        <td data-label="Version">{ if x.version.is_empty() { "—".to_string() } else { x.version.clone() } }</td>
                        <td class="num" data-label="Owned">{ format::count(x.owned) }</td>
                        <td class="num" data-label="Used">{ format::count(x.used) }</td>
                        <td class="num" data-label="Surplus">{ format::count(x.surplus) }</td>
                        <td class="num" data-label="Needed">{ format::count(x.needed) }</td>
                        <td class="num" data-label="Covered">{ format::count(x.covered) }</td>
                        <td class="num shortfall" data-label="Shortfall">{ format::count(x.shortfall) }</td>
                        if x.price_missing && x.shortfall > 0 {
                            <td class="num missing" data-label="Cost to close">{ "no price" }</td>
                        } else {
                            <td class="num" data-label="Cost to close">{ format::money(x.cost_to_close_minor, &p.currency) }</td>
                        }
                        <td class="why-cell"><Why why={x.why.clone()} subject={format!("the {} {} {} position", format::product_label(x.product), format::kind_label(x.kind), x.version)} /></td>
                    </tr>
                    if printing && !x.why.is_empty() {
                        <tr class="why-print"><td colspan="10">{ printed_why(&x.why, &p.printed_rules) }</td></tr>
                    }
                    </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::estate::{Date, Estate};
    use wasm_bindgen_test::wasm_bindgen_test;

    /// An estate in yen with a price for Windows Server User CALs only: its SQL Server rows have
    /// a shortfall and no price.
    fn unpriced_report() -> Report {
        let estate = Estate::from_json(
            r#"{"organisation": {"currency": "JPY", "prices": [{"item": {"product": "windows-server", "kind": "user-cal"}, "amount_minor": 6500}]},
                "groups": [{"id": "a", "count": 10, "devices_each": 2}],
                "servers": [{"id": "s", "product": "windows-server", "version": "2022"},
                            {"id": "db", "product": "sql-server", "version": "2022", "windows_version": "2022", "sql_licensing": "server-cal", "cores": 4}],
                "access": [{"groups": ["a"], "servers": ["s", "db"]}]}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let day = Date::new(2026, 6, 1).unwrap_or_else(|| panic!("a date"));
        crate::evaluate(&estate, day).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Review 22: the position's footer said "Total cost to close $39,828.00" under rows of "no
    /// price", while the headline and the cost chart said the price of some is unknown. It says
    /// "+ price unknown" as the chart does, and the CSV's total row says what it leaves out.
    #[wasm_bindgen_test]
    fn a_total_that_leaves_out_rows_without_a_price_says_so() {
        let r = unpriced_report();
        assert!(
            r.position
                .iter()
                .any(|x| x.price_missing && x.shortfall > 0),
            "{:?}",
            r.position
        );
        let total: i64 = r.position.iter().map(|x| x.cost_to_close_minor).sum();
        assert!(total > 0);
        let unpriced = crate::report::position_total_leaves_out_unpriced(&r.position);
        assert_eq!(
            total_text(total, unpriced, &r.currency),
            format!("{} + price unknown", format::money(total, &r.currency))
        );
        assert_eq!(total_text(0, true, "JPY"), "price unknown");
        assert_eq!(total_text(650, false, "USD"), format::money(650, "USD"));
        let csv = position_csv(&r).unwrap_or_else(|e| panic!("{e}"));
        let last = csv.lines().last().unwrap_or_default();
        assert!(
            last.starts_with(&format!(
                "Total (leaves out items with no price),,,,,,,,,,,{},",
                crate::report::decimal(total, 0)
            )),
            "{last}"
        );
    }

    /// Review 22: with `products=ws,rds` the table showed 9 rows and their total, and "Export
    /// CSV" wrote all 22 rows and the whole total. The file is what the table shows, and its
    /// name and total row say which products it is cut down to.
    #[wasm_bindgen_test]
    fn the_csv_of_some_products_is_theirs_and_says_so() {
        let r = unpriced_report();
        assert!(r
            .position
            .iter()
            .any(|x| x.product == CalProduct::SqlServer));
        let only = Some(vec![CalProduct::WindowsServer]);
        let csv = shown_position_csv(&r, &only, CsvStyle::Comma).unwrap_or_else(|e| panic!("{e}"));
        let lines: Vec<&str> = csv.lines().collect();
        let ws: Vec<&PositionRow> = r
            .position
            .iter()
            .filter(|x| x.product == CalProduct::WindowsServer)
            .collect();
        // The header, the Windows Server rows, the total.
        assert_eq!(lines.len(), ws.len() + 2, "{csv}");
        assert!(
            lines[1..=ws.len()]
                .iter()
                .all(|l| l.starts_with("Windows Server,")),
            "{csv}"
        );
        let total: i64 = ws.iter().map(|x| x.cost_to_close_minor).sum();
        let last = lines.last().copied().unwrap_or_default();
        assert!(
            last.starts_with(&format!(
                "Total of Windows Server only,,,,,,,,,,,{},",
                crate::report::decimal(total, 0)
            )) && last.contains("of Windows Server only: the estate's other products are left out"),
            "{last}"
        );
        // Two products, one of them without a price.
        let both = Some(vec![CalProduct::WindowsServer, CalProduct::SqlServer]);
        let csv = shown_position_csv(&r, &both, CsvStyle::Comma).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            csv.lines().last().unwrap_or_default().starts_with(
                "Total of Windows Server and SQL Server only (leaves out items with no price),"
            ),
            "{csv}"
        );
        // The name says it too; the whole position's is as before.
        assert_eq!(
            csv_file_name(&r, &both, CsvStyle::Comma),
            "estate-license-position-ws-sql-only-2026-06-01.csv"
        );
        assert_eq!(
            csv_file_name(&r, &None, CsvStyle::Comma),
            "estate-license-position-2026-06-01.csv"
        );
        assert_eq!(
            position_csv(&r),
            crate::report::position_csv(&r).map_err(|e| e.to_string())
        );
    }

    /// Review 22: `products=ws,ws` gave "Total of Windows Server and Windows Server only" and a
    /// file "…-ws-ws-only-…"; `products=foo` showed an empty table and wrote "Total of  only".
    /// Each product counts once, and naming none known filters nothing, in the table and the CSV.
    #[wasm_bindgen_test]
    fn products_named_twice_or_unknown_in_the_address() {
        use crate::ui::embed;
        let r = unpriced_report();
        let p = embed::parse("embed&products=sql,ws,sql,ws", "");
        assert_eq!(
            p.products,
            Some(vec![CalProduct::SqlServer, CalProduct::WindowsServer])
        );
        let csv =
            shown_position_csv(&r, &p.products, CsvStyle::Comma).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            csv.lines().last().unwrap_or_default().starts_with(
                "Total of SQL Server and Windows Server only (leaves out items with no price),"
            ),
            "{csv}"
        );
        assert_eq!(
            csv_file_name(&r, &p.products, CsvStyle::Comma),
            "estate-license-position-sql-ws-only-2026-06-01.csv"
        );
        // The engine's CSV names a product given twice once too.
        let twice = [CalProduct::WindowsServer, CalProduct::WindowsServer];
        let csv =
            crate::report::position_csv_of(&r, Some(&twice)).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            csv.lines()
                .last()
                .unwrap_or_default()
                .starts_with("Total of Windows Server only,"),
            "{csv}"
        );
        // Only unknown codes: the problem is listed and every product shown, as with no filter.
        let p = embed::parse("embed&products=foo", "");
        assert_eq!(p.products, None);
        assert!(
            p.problems.iter().any(|x| x.contains("“foo”")),
            "{:?}",
            p.problems
        );
        assert_eq!(
            shown_position_csv(&r, &p.products, CsvStyle::Comma),
            position_csv(&r)
        );
        assert_eq!(
            csv_file_name(&r, &p.products, CsvStyle::Comma),
            "estate-license-position-2026-06-01.csv"
        );
    }
}
