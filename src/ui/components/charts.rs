//! Charts drawn as inline SVG (no script, no styles in attributes beyond SVG geometry, so the
//! page's CSP holds): the cost of each priced scenario (bars under page-text labels), and each
//! break-even curve (External Connector per host against CALs, and the report's other
//! break-evens).
//! The geometry only scales the report's figures; every number shown is the report's.

use crate::report::{BreakEven, BreakEvenKind, Report, Scenario};
use crate::ui::components::why::{
    printed_rule_list, printed_rules, printed_why, use_printing, Why,
};
use crate::ui::format;
use crate::ui::hooks::use_disclosure;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ChartProps {
    pub report: Rc<Report>,
}

/// The length of the dearest scenario's bar, in the bar's own SVG units.
const BAR: f64 = 1000.0;

/// Horizontal bars, one per scenario; the recommended (optimal) one is marked.
#[component]
pub fn CostChart(p: &ChartProps) -> Html {
    // On paper each scenario's explanation prints under it, the rules once under the list.
    let printing = use_printing();
    let r = &p.report;
    let scenarios: &[Scenario] = &r.scenarios;
    // With nothing that needs a CAL every way costs nothing: six empty bars said nothing.
    if scenarios.is_empty() || r.products.is_empty() {
        return html! {};
    }
    // The priced parts set the scale too: they are drawn.
    let max = scenarios
        .iter()
        .map(|s| s.total_minor)
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    // A negative total marks a scenario that is not possible (its why says why): no bar. One
    // that buys something with no price has an unknown cost: its priced part is drawn, followed
    // by a faint open end, and its figure says "+ price unknown", not a total. (With no
    // SharePoint price, which has no reference estimate, every bar was left out.)
    let shown_total = |s: &Scenario| match (s.total_minor, s.price_missing) {
        (t, _) if t < 0 => "not possible".to_string(),
        (0, true) => "price unknown".to_string(),
        (t, true) => format!("{} + price unknown", format::money(t, &r.currency)),
        (t, false) => format::money(t, &r.currency),
    };
    let rules = if printing {
        printed_rules(scenarios.iter().map(|s| &s.why))
    } else {
        Vec::new()
    };
    // Labels and figures are page text, so they keep the page's size on a phone (drawn inside
    // one scaled SVG they shrank to 9 px at 360 px); each bar is a small SVG stretched to the
    // row, its length the scenario's share of the dearest.
    html! {
        <section class="card chart" aria-labelledby="cost-chart-title">
            <h2 id="cost-chart-title">{ "Cost of each way to license" }</h2>
            <div class="bars" role="img" aria-labelledby="cost-chart-title cost-chart-desc">
                <p id="cost-chart-desc" class="visually-hidden">{ cost_chart_name(scenarios) }</p>
                { for scenarios.iter().map(|s| {
                    let w = match (s.total_minor, s.price_missing) {
                        (t, _) if t < 0 => 0.0,
                        (0, true) => 0.0,
                        (t, _) => (t as f64 / max * BAR).max(2.0),
                    };
                    // The open end: a fixed share of the track past the priced part.
                    let unknown = if s.price_missing && s.total_minor >= 0 { (BAR - w).min(BAR / 8.0) } else { 0.0 };
                    let best = s.id == "optimal";
                    html! {
                        <div class={classes!("bar", best.then_some("best"))}>
                            <span class="bar-label">
                                { if best && !s.label.contains("recommended") { format!("{} (recommended)", s.label) } else { s.label.clone() } }
                            </span>
                            <span class="bar-value">{ shown_total(s) }</span>
                            <svg class="bar-track" viewBox={format!("0 0 {BAR} 16")} preserveAspectRatio="none" aria-hidden="true">
                                <rect x="0" y="0" width={format!("{w:.1}")} height="16" />
                                if unknown > 0.0 {
                                    <rect class="unknown" x={format!("{w:.1}")} y="0" width={format!("{unknown:.1}")} height="16" />
                                }
                            </svg>
                        </div>
                    }
                }) }
            </div>
            <ul class="chart-whys">
                { for scenarios.iter().map(|s| html! {
                    <li>{ s.label.clone() }{ ": " }{ shown_total(s) }
                        <Why why={s.why.clone()} subject={format!("the scenario “{}”", s.label)} />
                        if printing && !s.why.is_empty() {
                            <div class="why-print-line">{ printed_why(&s.why, &rules) }</div>
                        }
                    </li>
                }) }
            </ul>
            if printing {
                { printed_rule_list(&rules) }
            }
        </section>
    }
}

/// The bars' short accessible name: what they compare and which way is cheapest. Each total is
/// in the list under the bars; the name repeated all six, and a screen reader read them twice
/// (UI review 19).
fn cost_chart_name(scenarios: &[Scenario]) -> String {
    let known = |s: &&Scenario| s.total_minor >= 0 && !s.price_missing;
    let lowest = scenarios.iter().filter(known).map(|s| s.total_minor).min();
    let named = |s: &Scenario| {
        if s.id == "optimal" && !s.label.contains("recommended") {
            format!("{} (recommended)", s.label)
        } else {
            s.label.clone()
        }
    };
    let what = format!(
        "Bars compare the total cost of {} ways to license",
        scenarios.len()
    );
    let Some(lowest) = lowest else {
        return format!("{what}.");
    };
    // The recommended way first when another costs the same.
    let mut cheapest: Vec<&Scenario> = scenarios
        .iter()
        .filter(known)
        .filter(|s| s.total_minor == lowest)
        .collect();
    crate::sort::sort_by_key(&mut cheapest, |s| s.id != "optimal");
    let first = named(cheapest[0]);
    let also: Vec<String> = cheapest[1..].iter().map(|s| named(s)).collect();
    if also.is_empty() {
        format!("{what}; the cheapest is {first}.")
    } else {
        format!(
            "{what}; the cheapest is {first}, and {} costs the same.",
            also.join(" and ")
        )
    }
}

/// One line chart per break-even in the report.
#[component]
pub fn BreakEvenCharts(p: &ChartProps) -> Html {
    // The more break-evens are drawn only while their disclosure is open, or while the page is
    // printed: a print showed their folded summary and none of their charts (review 17). Drawn
    // folded at every edit, they would cost each keystroke on a large estate.
    let (more_ref, more_open, on_more) = use_disclosure();
    // One set of print listeners for the page (`why::PrintingProvider`).
    let printing = crate::ui::components::why::use_printing();
    let r = &p.report;
    let shown: Vec<&BreakEven> = r.breakevens.iter().filter(|b| b.curve.len() >= 2).collect();
    if shown.is_empty() {
        return html! {};
    }
    let (ec, other): (Vec<&BreakEven>, Vec<&BreakEven>) = shown
        .into_iter()
        .partition(|b| b.kind == BreakEvenKind::EcVsCal);
    let more_title = format!(
        "More break-evens: user or device CALs, SQL Server per core ({})",
        other.len()
    );
    let currency = AttrValue::from(r.currency.clone());
    // On paper each chart's explanation prints under its figures, the rules once at the end.
    let rules = Rc::new(if printing {
        printed_rules(ec.iter().chain(&other).map(|b| &b.why))
    } else {
        Vec::new()
    });
    let chart = |i: usize, b: &BreakEven| {
        html! { <BreakEvenChart index={i} breakeven={Rc::new(b.clone())} currency={currency.clone()} printed_rules={printing.then(|| rules.clone())} /> }
    };
    html! {
        <section class="card chart" aria-labelledby="breakeven-title">
            <h2 id="breakeven-title">{ "Break-even points" }</h2>
            // The connector's unit as the engine counted it (why review 24: a fixed "per physical
            // host" under the per-VM reading).
            <p class="note">{ format!("Where one way of licensing becomes cheaper than the other, from your prices. {}", crate::engine::ec_breakeven_scope_note(r)) }</p>
            <div class="breakeven-grid">
                { for ec.iter().enumerate().map(|(i, b)| chart(i, b)) }
            </div>
            if let Some(note) = crate::engine::no_ec_breakeven_note(r) {
                <p class="note">{ note }</p>
            }
            if !other.is_empty() {
                <details class="more-breakevens" ref={more_ref} ontoggle={on_more}>
                    <summary>{ more_title.clone() }</summary>
                    // While printing, the charts are drawn once, under the heading below.
                    if more_open && !printing {
                        <div class="breakeven-grid">
                            { for other.iter().enumerate().map(|(i, b)| chart(ec.len() + i, b)) }
                        </div>
                    }
                </details>
                // On paper the disclosure gives way to a heading and its charts, open or folded:
                // a closed disclosure prints folded, and no keep on it or its summary holds in
                // Chromium 156, so its title stood alone at a page's foot (review 43, L1). A
                // heading keeps with the first chart.
                if printing {
                    <div class="print-only" data-testid="more-breakevens-print">
                        <h3 class="more-breakevens-title">{ more_title }</h3>
                        <div class="breakeven-grid">
                            { for other.iter().enumerate().map(|(i, b)| chart(ec.len() + i, b)) }
                        </div>
                    </div>
                }
            }
            if printing {
                { printed_rule_list(&rules) }
            }
        </section>
    }
}

fn kind_title(b: &BreakEven) -> String {
    let what = match b.kind {
        BreakEvenKind::EcVsCal => "External Connector or CALs",
        BreakEvenKind::UserVsDevice => "User or Device CALs",
        BreakEvenKind::SqlPerCoreVsServerCal => "SQL Server per core or Server + CAL",
    };
    format!("{what}: {}", b.shown_subject())
}

#[derive(Properties, PartialEq)]
struct BreakEvenChartProps {
    index: usize,
    breakeven: Rc<BreakEven>,
    currency: AttrValue,
    /// While printing, the numbered rules of the section's explanations.
    printed_rules: Option<Rc<Vec<String>>>,
}

/// One break-even chart; a component of its own so that an edit which leaves a host's figures
/// unchanged does not redraw its chart.
#[component]
fn BreakEvenChart(p: &BreakEvenChartProps) -> Html {
    breakeven_chart(
        p.index,
        &p.breakeven,
        &p.currency,
        p.printed_rules.as_deref().map(Vec::as_slice),
    )
}

/// The part of a break-even's curve the chart draws: up to three times the break-even when
/// "now" lies far beyond it (UI review: at 2,500 users a break-even of 65 sat squashed against
/// the left edge), with the curves cut where the axis ends.
fn shown_curve(b: &BreakEven) -> Vec<(u64, i64, i64)> {
    let cap = b.threshold.saturating_mul(3).max(10);
    let end = b.curve.iter().map(|c| c.0).max().unwrap_or(0);
    if b.threshold == 0 || end <= cap {
        return b.curve.clone();
    }
    let mut out: Vec<(u64, i64, i64)> = b.curve.iter().copied().filter(|c| c.0 <= cap).collect();
    // Where the curves cross the axis's end, between the last point kept and the next.
    let last = out.last().copied();
    let next = b.curve.iter().copied().find(|c| c.0 > cap);
    if let (Some(l), Some(n)) = (last, next) {
        if l.0 < cap {
            let t = (cap - l.0) as f64 / (n.0 - l.0) as f64;
            let at = |a: i64, b: i64| a + ((b - a) as f64 * t).round() as i64;
            out.push((cap, at(l.1, n.1), at(l.2, n.2)));
        }
    }
    if out.len() < 2 {
        return b.curve.clone();
    }
    out
}

/// Where the two cost lines of `curve` meet, between its points: the break-even count itself
/// rounds this up to the first whole count where option B is cheaper ("2 devices each" where the
/// lines cross at 1.1), and a marker there drew a crossing that is not there (review 17).
fn crossing(curve: &[(u64, i64, i64)]) -> Option<f64> {
    curve.windows(2).find_map(|w| {
        let (x0, d0) = (w[0].0 as f64, (w[0].1 - w[0].2) as f64);
        let (x1, d1) = (w[1].0 as f64, (w[1].1 - w[1].2) as f64);
        if d0 == 0.0 {
            Some(x0)
        } else if (d0 < 0.0) != (d1 < 0.0) || d1 == 0.0 {
            Some(x0 + d0 / (d0 - d1) * (x1 - x0))
        } else {
            None
        }
    })
}

/// What the break-even marker says: which way is cheaper from which whole count ("User CALs
/// cheaper from 2 devices"), in two lines beside the marker. On one line it ran past the chart's
/// edge on a phone, "Connector cheaper from 129 u" (review 18).
fn threshold_label(b: &BreakEven) -> [String; 2] {
    let n = |one: &str, many: &str| format::counted(b.threshold, one, many);
    let (which, from) = match b.kind {
        BreakEvenKind::UserVsDevice if b.option_b.contains("User CALs") => {
            ("User CALs", n("device", "devices"))
        }
        BreakEvenKind::UserVsDevice => ("Device CALs", n("person", "people")),
        BreakEvenKind::EcVsCal => ("Connector", n("user", "users")),
        BreakEvenKind::SqlPerCoreVsServerCal => ("Per core", n("CAL", "CALs")),
    };
    [format!("{which} cheaper"), format!("from {from}")]
}

/// How wide a character of the charts' text is drawn at most on average, in the chart's units:
/// the text is at most 19 units high (app.css, on a phone), and the bold labels average under
/// 0.6 of that in a wide face such as DejaVu Sans ("Connector cheaper" is about 190 units).
const CHAR_WIDTH: f64 = 19.0 * 0.65;

/// Where a label for a mark at `x` starts or ends, and its `text-anchor`, so that it stays inside
/// the chart's `[from, to]`: beside the mark, on the side with more room, moved in from the edge
/// when the mark is too near it for the label's widest line.
fn label_place(x: f64, lines: &[&str], from: f64, to: f64) -> (f64, &'static str) {
    let wide = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0) as f64 * CHAR_WIDTH;
    if x - from <= to - x {
        (x.min(to - wide).max(from), "start")
    } else {
        (x.max(from + wide).min(to), "end")
    }
}

/// The count the break-even is about, for the chart's text alternative: "2 devices per person".
fn threshold_words(b: &BreakEven) -> String {
    let n = |one: &str, many: &str| format::counted(b.threshold, one, many);
    match b.kind {
        BreakEvenKind::UserVsDevice if b.option_b.contains("User CALs") => {
            format!("{} per person", n("device", "devices"))
        }
        BreakEvenKind::UserVsDevice => n("person", "people"),
        BreakEvenKind::EcVsCal => n("external user", "external users"),
        BreakEvenKind::SqlPerCoreVsServerCal => n("SQL Server CAL", "SQL Server CALs"),
    }
}

/// The x axis's title: the count the chart varies.
fn axis_title(b: &BreakEven) -> &'static str {
    match b.kind {
        BreakEvenKind::UserVsDevice if b.option_b.contains("User CALs") => "Devices per person",
        BreakEvenKind::UserVsDevice => "People",
        BreakEvenKind::EcVsCal => "External users",
        BreakEvenKind::SqlPerCoreVsServerCal => "SQL Server CALs",
    }
}

/// How far a label keeps from the break-even line, in the chart's units.
const GAP: f64 = 6.0;

/// Where "now" is written above its dot at `dot`, as the middle of a label `wide` units wide:
/// over the dot, moved in from the chart's `[from, to]` edges, and off the break-even line at
/// `line` (UI review 19: "now 165" ended at its dot on the side of the line, and read as the
/// line's own label). When the dot's side of the line has no room for it, it stays over the dot
/// and `false` says the line must leave a gap for it.
fn now_place(dot: f64, line: f64, wide: f64, from: f64, to: f64) -> (f64, bool) {
    let centre = |lo: f64, hi: f64| dot.max(lo + wide / 2.0).min(hi - wide / 2.0);
    let clear = |c: f64| line < c - wide / 2.0 - GAP || line > c + wide / 2.0 + GAP;
    let over = centre(from, to);
    if clear(over) {
        return (over, true);
    }
    // Beside the line, on the dot's side.
    let (lo, hi) = if line <= dot {
        (line + GAP + 0.5, to)
    } else {
        (from, line - GAP - 0.5)
    };
    if hi - lo >= wide {
        let c = centre(lo, hi);
        if clear(c) {
            return (c, true);
        }
    }
    (over, false)
}

/// Where the x axis's title goes in the row of the end ticks, as its middle: centred between
/// them, or, when the break-even line at `line` would cross it there, centred on the wider side
/// of the line if it fits there (`true`: the line may run down through the row to its label).
fn title_place(line: f64, wide: f64, from: f64, to: f64) -> (f64, bool) {
    let crosses = |c: f64| line >= c - wide / 2.0 - GAP && line <= c + wide / 2.0 + GAP;
    let middle = (from + to) / 2.0;
    if !crosses(middle) {
        return (middle, true);
    }
    let (lo, hi) = if line - from >= to - line {
        (from, line - GAP - 0.5)
    } else {
        (line + GAP + 0.5, to)
    };
    if hi - lo >= wide {
        return ((lo + hi) / 2.0, true);
    }
    (middle, false)
}

/// The widest of `lines` in the chart's units, at most (see [`CHAR_WIDTH`]).
fn text_width(lines: &[&str]) -> f64 {
    lines.iter().map(|l| l.chars().count()).max().unwrap_or(0) as f64 * CHAR_WIDTH
}

/// `printed`: while printing, the numbered rules of the section's explanations.
fn breakeven_chart(i: usize, b: &BreakEven, currency: &str, printed: Option<&[String]>) -> Html {
    // Above the plot a row for the cost axis's title; under the axis a row for the end ticks and
    // the count axis's title, then the break-even's two lines, which are set larger on a phone
    // (app.css).
    let (w, h) = (400.0, 310.0);
    let (left, right, top, bottom) = (8.0, 12.0, 34.0, 76.0);
    let axis = h - bottom;
    let curve = shown_curve(b);
    let capped = curve.last().map(|c| c.0) < b.curve.iter().map(|c| c.0).max();
    let xs: Vec<u64> = curve.iter().map(|c| c.0).collect();
    let x_min = xs.iter().copied().min().unwrap_or(0) as f64;
    let x_max = (xs.iter().copied().max().unwrap_or(1) as f64).max(x_min + 1.0);
    let y_top = curve.iter().map(|c| c.1.max(c.2)).max().unwrap_or(1).max(1);
    let y_max = y_top as f64;
    let sx = |x: f64| left + (x - x_min) / (x_max - x_min) * (w - left - right);
    let sy = |y: f64| top + (1.0 - y.max(0.0) / y_max) * (h - top - bottom);
    let points = |pick: fn(&(u64, i64, i64)) -> i64| {
        curve
            .iter()
            .map(|c| format!("{:.1},{:.1}", sx(c.0 as f64), sy(pick(c) as f64)))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let title_id = format!("be-{i}-title");
    let desc_id = format!("be-{i}-desc");
    let meet = crossing(&curve).unwrap_or(b.threshold as f64);
    let threshold_x = sx(meet.clamp(x_min, x_max));
    let current_x = sx((b.current as f64).clamp(x_min, x_max));
    let [first, second] = threshold_label(b);
    let (mut label_x, label_anchor) = label_place(threshold_x, &[&first, &second], left, w - right);
    // The count axis's title sits between the end ticks, off the break-even line when it can:
    // the line then runs on down to its label, which hangs beside it (UI review 19: under the
    // axis the label read as the whole chart's caption, not the line's).
    let (low_tick, high_tick) = (format::count(x_min as u64), format::count(x_max as u64));
    let x_title = axis_title(b);
    let (title_x, title_clear) = title_place(
        threshold_x,
        text_width(&[x_title]),
        left + text_width(&[&low_tick]) + GAP,
        w - right - text_width(&[&high_tick]) - GAP,
    );
    let beside = (label_x - threshold_x).abs() < 0.05;
    let down_to = if title_clear && beside {
        label_x += if label_anchor == "end" { -4.0 } else { 4.0 };
        h - 2.0
    } else {
        axis
    };
    // The space between the lines keeps the chart's text one sentence; it goes where it moves
    // neither line: after the first when they start at the marker, before the second when they
    // end there.
    let (first, second) = if label_anchor == "end" {
        (first, format!(" {second}"))
    } else {
        (format!("{first} "), second)
    };
    let now = format!(
        "now {}{}",
        format::count(b.current),
        if capped { " →" } else { "" }
    );
    // "now" is written over its own dot; the break-even's label is under the axis, so the two
    // never meet. Where "now" cannot keep off the line, the line leaves a gap for it.
    let now_y = axis - 12.0;
    let (now_x, now_clear) = now_place(
        current_x,
        threshold_x,
        text_width(&[now.as_str()]),
        left,
        w - right,
    );
    // The line starts under the cost scale's figure when it would cross it.
    let top_figure = format::money(y_top, currency);
    let line_top = if threshold_x < left + 2.0 + text_width(&[&top_figure]) + GAP {
        top + 16.0
    } else {
        top
    };
    let threshold = |y1: f64, y2: f64| {
        html! {
            <line x1={format!("{threshold_x:.1}")} y1={format!("{y1}")} x2={format!("{threshold_x:.1}")} y2={format!("{y2}")} class="threshold" stroke-dasharray="3 3" />
        }
    };
    // The cost axis's title, over its scale at the top left.
    let cost_title = format!("Cost ({currency})");
    html! {
        <figure class="breakeven">
            <figcaption id={title_id.clone()}>{ kind_title(b) }</figcaption>
            <ul class="legend">
                <li><svg class="swatch" viewBox="0 0 24 8" aria-hidden="true"><line x1="0" y1="4" x2="24" y2="4" class="curve a" /></svg>{ b.option_a.clone() }</li>
                <li><svg class="swatch" viewBox="0 0 24 8" aria-hidden="true"><line x1="0" y1="4" x2="24" y2="4" class="curve b" stroke-dasharray="6 3" /></svg>{ b.option_b.clone() }</li>
            </ul>
            <svg viewBox={format!("0 0 {w} {h}")} role="img" aria-labelledby={format!("{title_id} {desc_id}")}>
                <desc id={desc_id}>{ format!(
                    "{} costs {} and {} costs {} at the current {}; {} is cheaper from {}.",
                    b.option_a, format::money(b.option_a_minor, currency), b.option_b,
                    format::money(b.option_b_minor, currency), format::count(b.current), b.option_b, threshold_words(b)) }</desc>
                <line x1={format!("{left}")} y1={format!("{axis}")} x2={format!("{}", w - right)} y2={format!("{axis}")} class="axis" />
                <polyline points={points(|c| c.1)} class="curve a" fill="none" />
                <polyline points={points(|c| c.2)} class="curve b" fill="none" stroke-dasharray="8 5" />
                if now_clear {
                    { threshold(line_top, down_to) }
                } else {
                    { threshold(line_top, now_y - 20.0) }
                    { threshold(axis - 4.0, down_to) }
                }
                <circle cx={format!("{current_x:.1}")} cy={format!("{axis}")} r="5" class="current" />
                <text x={format!("{left}")} y={format!("{}", axis + 20.0)} class="tick">{ low_tick }</text>
                <text x={format!("{}", w - right)} y={format!("{}", axis + 20.0)} class="tick" text-anchor="end">{ high_tick }</text>
                <text x={format!("{title_x:.1}")} y={format!("{}", axis + 20.0)} class="tick axis-title" text-anchor="middle">{ x_title }</text>
                <text y={format!("{}", h - 30.0)} class="tick strong break-even" text-anchor={label_anchor}>
                    <tspan x={format!("{label_x:.1}")}>{ first }</tspan>
                    <tspan x={format!("{label_x:.1}")} dy="22">{ second }</tspan>
                </text>
                <text x={format!("{now_x:.1}")} y={format!("{now_y}")} class="tick now" text-anchor="middle">
                    { now }
                </text>
                // The cost scale: what the top of the chart stands for (the axis is zero), under
                // the cost axis's title.
                <text x={format!("{left}")} y={format!("{}", top - 14.0)} class="tick axis-title">{ cost_title }</text>
                <text x={format!("{}", left + 2.0)} y={format!("{}", top + 10.0)} class="tick">{ top_figure }</text>
            </svg>
            <p class="breakeven-figures">
                { format!("At {}: {} {} · {} {}", format::count(b.current), b.option_a,
                    format::money(b.option_a_minor, currency), b.option_b, format::money(b.option_b_minor, currency)) }
                <Why why={b.why.clone()} subject={format!("the {} break-even for {} at {}", format::product_label(b.product), b.shown_subject(), b.threshold)} />
            </p>
            if !b.note.is_empty() {
                <p class="breakeven-note">{ format!("{}.", b.note) }</p>
            }
            if let Some(rules) = printed.filter(|_| !b.why.is_empty()) {
                <div class="why-print-line">{ printed_why(&b.why, rules) }</div>
            }
        </figure>
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    /// UI review 19: "now 165" ended at its dot beside the break-even line at 129. It is written
    /// over its dot when the line is clear of it, beside the line on the dot's side when not.
    #[wasm_bindgen_test]
    fn now_is_written_over_its_dot_and_off_the_line() {
        // The sample's hosts: dot at 336, line at 269, about 86 units of text.
        assert_eq!(now_place(336.0, 269.0, 86.0, 8.0, 388.0), (336.0, true));
        // Near the line: moved off it, still on the dot's side and over the dot.
        let (x, clear) = now_place(300.0, 290.0, 86.0, 8.0, 388.0);
        assert!(clear);
        assert!(x - 43.0 > 290.0 + GAP && x - 43.0 <= 300.0, "{x}");
        let (x, clear) = now_place(100.0, 110.0, 86.0, 8.0, 388.0);
        assert!(clear);
        assert!(x + 43.0 < 110.0 - GAP && x + 43.0 >= 100.0, "{x}");
        // At the edge, beyond a capped axis: inside the chart, ending at the dot.
        assert_eq!(now_place(388.0, 130.0, 136.0, 8.0, 388.0), (320.0, true));
        // No room on the dot's side: over the dot, and the line leaves it a gap.
        assert_eq!(now_place(385.0, 380.0, 86.0, 8.0, 388.0), (345.0, false));
    }

    /// The count axis's title keeps off the break-even line when there is room beside it.
    #[wasm_bindgen_test]
    fn the_axis_title_keeps_off_the_break_even_line() {
        assert_eq!(title_place(20.0, 173.0, 28.0, 343.0), (185.5, true));
        let (x, clear) = title_place(269.0, 173.0, 28.0, 343.0);
        assert!(clear && x + 86.5 < 269.0 - GAP, "{x}");
        let (x, clear) = title_place(120.0, 173.0, 28.0, 343.0);
        assert!(clear && x - 86.5 > 120.0 + GAP, "{x}");
        assert_eq!(title_place(198.0, 173.0, 28.0, 343.0), (185.5, false));
    }

    fn scenario(id: &str, label: &str, total_minor: i64, price_missing: bool) -> Scenario {
        Scenario {
            id: id.into(),
            label: label.into(),
            total_minor,
            why: Default::default(),
            price_missing,
        }
    }

    /// UI review 19: the bars' name repeated every total the list under them gives.
    #[wasm_bindgen_test]
    fn the_cost_chart_is_named_by_what_it_compares_and_the_cheapest() {
        let all = [
            scenario("all-user", "User CALs for everyone", 39_270_000, false),
            scenario(
                "all-device",
                "Device CALs for every device",
                65_038_900,
                false,
            ),
            scenario(
                "optimal-no-suites",
                "Cheapest mix without CAL Suites",
                20_911_100,
                false,
            ),
            scenario("optimal", "Cheapest mix", 20_911_100, false),
            scenario(
                "optimal-no-ec",
                "Cheapest mix without External Connectors",
                -1,
                false,
            ),
            scenario("per-group-smaller", "Per group", 100, true),
        ];
        let name = cost_chart_name(&all);
        assert_eq!(
            name,
            "Bars compare the total cost of 6 ways to license; the cheapest is Cheapest mix \
             (recommended), and Cheapest mix without CAL Suites costs the same."
        );
        assert!(!name.contains('$') && !name.contains("392"), "{name}");
        assert_eq!(
            cost_chart_name(&all[..2]),
            "Bars compare the total cost of 2 ways to license; the cheapest is User CALs for \
             everyone."
        );
        assert_eq!(
            cost_chart_name(&all[4..]),
            "Bars compare the total cost of 2 ways to license."
        );
    }
}
