//! Findings by severity: what is non-compliant as entered, what to watch, and notes (including
//! where sources disagree and which reading was applied).

use crate::report::{Explanation, Finding, Report, Severity};
use crate::ui::components::why::{confidence_legend, source_sentence, Why};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct FindingsProps {
    pub report: Rc<Report>,
    /// Show only the findings about these products, and those about none (embed `products=`).
    #[prop_or_default]
    pub only: Option<Vec<crate::estate::CalProduct>>,
}

fn severity_label(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "Non-compliant as entered",
        Severity::Warning => "Check",
        Severity::Info => "Notes",
    }
}

fn badge(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "Critical",
        Severity::Warning => "Check",
        Severity::Info => "Note",
    }
}

fn severity_class(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "critical",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

/// What a finding's "why" explains, for its screen-reader label ("Why this finding: “Windows
/// Server short of what it needs…”?"): the finding's first words (up to its first colon, at most
/// ten words), with its product when they do not name it. Never its internal kind ("suite-split"),
/// which the list item keeps in `data-kind`.
pub fn finding_subject(f: &Finding) -> String {
    const WORDS: usize = 10;
    let message = crate::ui::format::localised(&f.message);
    let message = message.trim();
    let head = message.split(':').next().unwrap_or("").trim();
    let words: Vec<&str> = head.split_whitespace().collect();
    // Capitalised as the message is shown (`format::as_sentence`).
    let mut excerpt = crate::ui::format::capitalised(
        words
            .iter()
            .take(WORDS)
            .copied()
            .collect::<Vec<_>>()
            .join(" ")
            .trim_end_matches([',', ';', '.']),
    );
    if excerpt.is_empty() {
        return "this finding".into();
    }
    if words.len() > WORDS || head.len() < message.len() {
        excerpt.push('…');
    }
    match f
        .product
        .map(crate::ui::format::product_label)
        .filter(|label| !excerpt.contains(label))
    {
        Some(label) => format!("this {label} finding: “{excerpt}”"),
        None => format!("this finding: “{excerpt}”"),
    }
}

#[component]
pub fn Findings(p: &FindingsProps) -> Html {
    let findings: Vec<&Finding> = p
        .report
        .findings
        .iter()
        .filter(|f| match (&p.only, f.product) {
            (Some(only), Some(x)) => only.contains(&x),
            _ => true,
        })
        .collect();
    let hidden = p.report.findings.len() - findings.len();
    html! {
        <section class="card findings" aria-labelledby="findings-title">
            <h2 id="findings-title">{ "Findings" }</h2>
            if hidden > 0 {
                <p class="note">{ format!("{hidden} more about products not shown here.") }</p>
            }
            if findings.is_empty() && p.report.products.is_empty() {
                // Nothing that needs a CAL was entered: no findings is no sign of compliance
                // (UI review 14, as for the purchase card).
                <p class="note" data-testid="no-findings">{ "No findings yet: nothing that needs a CAL has been entered." }</p>
            } else if findings.is_empty() {
                <p class="ok" data-testid="no-findings">{ "No findings: nothing non-compliant or doubtful in what was entered." }</p>
            } else {
                // Each finding's "why" tags its rule's source; what the tags mean is read here
                // once, not only in a tooltip.
                { confidence_legend() }
            }
            { for [Severity::Critical, Severity::Warning, Severity::Info].into_iter().map(|s| {
                let of: Vec<&Finding> = findings.iter().copied().filter(|f| f.severity == s).collect();
                if of.is_empty() {
                    return html! {};
                }
                html! {
                    <div class={classes!("severity", severity_class(s))}>
                        <h3>{ format!("{} ({})", severity_label(s), of.len()) }</h3>
                        <ul>
                            { for of.iter().map(|f| html! { <FindingItem finding={(*f).clone()} /> }) }
                        </ul>
                    </div>
                }
            }) }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct FindingItemProps {
    finding: Finding,
}

/// One finding, a component of its own so that an edit re-renders only the findings it changed
/// (with a 50-server estate, every finding and its "why" was rebuilt and diffed at each keystroke).
#[component]
fn FindingItem(p: &FindingItemProps) -> Html {
    let f = &p.finding;
    let s = f.severity;
    html! {
        <li class={classes!("finding", severity_class(s))} data-kind={crate::named::Named::name(f.kind)}>
            <span class="badge">{ badge(s) }</span>
            // Read as "Critical: Windows Server short…", not "CriticalWindows…" (review 19).
            <span class="visually-hidden">{ ": " }</span>
            // The engine's messages are clauses without a final stop; the source sentence
            // follows, so the message ends as a sentence.
            <span class="message">{ crate::ui::format::as_sentence(&f.message) }</span>
            if !f.source.is_empty() {
                { source_sentence(&f.source) }
            }
            <Why why={Explanation { rules: vec![f.rule.clone()], text: String::new() }} subject={finding_subject(f)} />
        </li>
    }
}
