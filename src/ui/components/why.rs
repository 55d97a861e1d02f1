//! The "why" disclosure on every figure: the arithmetic in words, then each rule behind it with
//! its sentence, confidence and source link, from the engine's rule catalogue (the report's
//! `rules` lists the same entries for the rules it uses).

use crate::catalog;
use crate::report::{Explanation, RuleRef};
use crate::ui::app::ReportNow;
use crate::ui::hooks::use_disclosure;
use std::cell::Cell;
use wasm_bindgen::JsCast;
use yew::prelude::*;

thread_local! {
    /// A "why?" summary has been pressed (mouse or touch) and its click has not come yet: focus
    /// leaving an open "why" for it must not close that one at once, or the page moves under
    /// the pointer before the button is released and the click lands elsewhere (QA: a second
    /// "why?" needed two clicks).
    static PRESSED: Cell<bool> = const { Cell::new(false) };
}

/// Closes every open "why" on the page but `except`: one open at a time, as when focus moves on.
fn close_others(except: &web_sys::Element) {
    let Some(open) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector_all("details.why[open]").ok())
    else {
        return;
    };
    for k in 0..open.length() {
        if let Some(other) = open
            .item(k)
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        {
            if &other != except {
                let _ = other.remove_attribute("open");
            }
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct WhyProps {
    pub why: Explanation,
    /// What the figure is, for the summary ("Why 30 User CALs?").
    pub subject: AttrValue,
}

#[component]
pub fn Why(p: &WhyProps) -> Html {
    // The rules come from the catalogue, not from the report through a context: a context
    // re-rendered every "why" on the page (hundreds) at each edit, though closed ones show no
    // rule and a rule's text does not depend on the estate.
    // The body is built only while the disclosure is open: a result has hundreds of "why"s, and
    // building every closed one on each edit was most of the time an edit took to show.
    let (node, open, on_disclosure) = use_disclosure();
    use_room_under_row(&node, open);
    if p.why.is_empty() {
        return html! {};
    }
    // Escape closes an open "why" and returns focus to its summary.
    let onkeydown = {
        let node = node.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() != "Escape" {
                return;
            }
            if let Some(details) = node.cast::<web_sys::Element>() {
                if details.has_attribute("open") {
                    e.prevent_default();
                    let _ = details.remove_attribute("open");
                    if let Some(summary) = details
                        .query_selector("summary")
                        .ok()
                        .flatten()
                        .and_then(|s| s.dyn_into::<web_sys::HtmlElement>().ok())
                    {
                        let _ = summary.focus();
                    }
                }
            }
        })
    };
    // Opening a "why" closes any other still open: the one left open while this one's summary
    // was being pressed (below).
    let ontoggle = {
        let node = node.clone();
        Callback::from(move |e: Event| {
            PRESSED.with(|p| p.set(false));
            if let Some(details) = node.cast::<web_sys::Element>() {
                if details.has_attribute("open") {
                    close_others(&details);
                }
            }
            on_disclosure.emit(e);
        })
    };
    let onmousedown = Callback::from(|_: MouseEvent| PRESSED.with(|p| p.set(true)));
    let onclick = Callback::from(|_: MouseEvent| PRESSED.with(|p| p.set(false)));
    // Focus leaving the disclosure closes it, so an open "why" never hides the next control
    // that focus goes to, and a click elsewhere on the page closes it too (the body takes focus
    // itself when clicked, so reading or selecting its text keeps it open). A press on another
    // "why?" leaves it open until that one opens, so nothing moves before the click.
    let onfocusout = {
        let node = node.clone();
        Callback::from(move |e: FocusEvent| {
            let Some(details) = node.cast::<web_sys::Element>() else {
                return;
            };
            let inside = e
                .related_target()
                .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
                .is_some_and(|n| details.contains(Some(&n)));
            let to_another_why = PRESSED.with(Cell::get)
                && e.related_target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .and_then(|t| t.closest("details.why > summary").ok().flatten())
                    .is_some();
            // Switching to another window or tab takes focus from the page, not from the "why".
            let page_focused = web_sys::window()
                .and_then(|w| w.document())
                .is_none_or(|d| d.has_focus().unwrap_or(true));
            if !inside && !to_another_why && page_focused && details.has_attribute("open") {
                let _ = details.remove_attribute("open");
            }
        })
    };
    let body = if open {
        why_body(&p.why)
    } else {
        html! {}
    };
    html! {
        <details class="why" ref={node} {onkeydown} {ontoggle} {onfocusout}>
            <summary {onmousedown} {onclick}><span aria-hidden="true">{ "why?" }</span><span class="visually-hidden">{ format!("Why {}?", p.subject) }</span></summary>
            { body }
        </details>
    }
}

/// The observer of an open explanation's size, and its callback, kept alive as long as it.
type RoomObserver = (
    web_sys::ResizeObserver,
    wasm_bindgen::closure::Closure<dyn FnMut(js_sys::Array)>,
);

/// In a table's "why" cell, an open explanation takes room under its own row instead of covering
/// the rows below it and their "why?" buttons (ELP review, L4): the cell is given the body's
/// height as `--why-h`, which the style sheet adds to the cell's padding and places the body in,
/// and the row's width as `--why-w`, which the body may take.
/// Kept up to date while it is open (fonts, a narrower window), removed when it closes.
#[hook]
fn use_room_under_row(node: &NodeRef, open: bool) {
    let node = node.clone();
    use_effect_with(open, move |open| {
        // Nothing to do for a closed one: a result mounts hundreds of "why"s, all closed.
        let cell = open
            .then(|| node.cast::<web_sys::Element>())
            .flatten()
            .and_then(|d| d.closest("td.why-cell").ok().flatten())
            .and_then(|c| c.dyn_into::<web_sys::HtmlElement>().ok());
        let mut observer: Option<RoomObserver> = None;
        if let (true, Some(cell)) = (*open, cell.clone()) {
            let body = node
                .cast::<web_sys::Element>()
                .and_then(|d| d.query_selector(":scope > .why-body").ok().flatten())
                .and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(body) = body {
                let measured = body.clone();
                let row = cell
                    .parent_element()
                    .and_then(|r| r.dyn_into::<web_sys::HtmlElement>().ok());
                let observed_row = row.clone();
                let set = move || {
                    // The row's width first: the body's height follows from its width.
                    if let Some(row) = &row {
                        let width = row.offset_width().max(0);
                        let _ = cell.style().set_property("--why-w", &format!("{width}px"));
                    }
                    let height = measured.offset_height().max(0);
                    let _ = cell.style().set_property("--why-h", &format!("{height}px"));
                };
                set();
                let callback = wasm_bindgen::closure::Closure::<dyn FnMut(js_sys::Array)>::new(
                    move |_entries: js_sys::Array| set(),
                );
                if let Ok(o) = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()) {
                    o.observe(&body);
                    // A narrower window narrows the row, not at once the body sized from it.
                    if let Some(row) = &observed_row {
                        o.observe(row);
                    }
                    observer = Some((o, callback));
                }
            }
        }
        move || {
            if let Some((o, _callback)) = observer {
                o.disconnect();
            }
            if let Some(cell) = cell {
                let _ = cell.style().remove_property("--why-h");
                let _ = cell.style().remove_property("--why-w");
            }
        }
    });
}

/// The catalogue's entry for a rule id (the id alone when the catalogue has none).
fn rule_ref(id: &str) -> RuleRef {
    catalog::RULES
        .iter()
        .find(|r| r.id == id)
        .map(RuleRef::from)
        .unwrap_or_else(|| RuleRef {
            id: id.to_string(),
            sentence: String::new(),
            source: String::new(),
            confidence: String::new(),
        })
}

/// A "why"'s body: the arithmetic in words, then each rule with its sentence, confidence and
/// source, and the legend of the source tags.
fn why_body(why: &Explanation) -> Html {
    let rules: Vec<RuleRef> = why.rules.iter().map(|id| rule_ref(id)).collect();
    html! {
        <div class="why-body" tabindex="-1">
            if !why.text.is_empty() {
                <p class="why-text">{ crate::ui::format::as_sentence(&why.text) }</p>
            }
            if !rules.is_empty() {
                <ul class="why-rules">
                    { for rules.iter().map(rule_item) }
                </ul>
            }
            if rules.iter().any(|r| !r.confidence.is_empty()) {
                { confidence_legend() }
            }
        </div>
    }
}

/// For a printed table: the distinct rules behind its rows' explanations, in the order they first
/// come. Each is printed once under the table, numbered, and a row names their numbers (every
/// row of the sample's position cites the same two rules: printed in full under each, they made
/// the position six pages).
pub fn printed_rules<'a>(whys: impl Iterator<Item = &'a Explanation>) -> Vec<String> {
    let mut rules: Vec<String> = Vec::new();
    for why in whys {
        for id in &why.rules {
            if !rules.contains(id) {
                rules.push(id.clone());
            }
        }
    }
    rules
}

/// A row's explanation on paper: its arithmetic in words and the numbers of its rules in `rules`
/// (see [`printed_rules`]).
pub fn printed_why(why: &Explanation, rules: &[String]) -> Html {
    let numbers: Vec<String> = why
        .rules
        .iter()
        .filter_map(|id| rules.iter().position(|r| r == id))
        .map(|i| (i + 1).to_string())
        .collect();
    html! {
        <div class="why-body">
            if !why.text.is_empty() {
                { crate::ui::format::as_sentence(&why.text) }
            }
            if !numbers.is_empty() {
                { format!(" {} {} below.", if numbers.len() == 1 { "Rule" } else { "Rules" }, numbers.join(", ")) }
            }
        </div>
    }
}

/// The numbered rules of a printed table's explanations, with the legend of their source tags.
pub fn printed_rule_list(rules: &[String]) -> Html {
    if rules.is_empty() {
        return html! {};
    }
    let rules: Vec<RuleRef> = rules.iter().map(|id| rule_ref(id)).collect();
    html! {
        <div class="why-print-rules">
            <ol class="why-rules">
                { for rules.iter().map(rule_item) }
            </ol>
            if rules.iter().any(|r| !r.confidence.is_empty()) {
                { confidence_legend() }
            }
        </div>
    }
}

/// The page is being printed: from the browser's `beforeprint` (or the app's Print button, which
/// says so first) to its `afterprint`, or while print media is emulated. Parts printed but not
/// shown (the explanation of each position row and purchase line, the prices used) are built
/// only then, so an edit never builds them.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub struct Printing(pub bool);

#[derive(Properties, PartialEq)]
pub struct PrintingProviderProps {
    #[prop_or_default]
    pub children: Html,
}

/// Provides [`Printing`] to the page: one set of print listeners, not one per "why".
#[component]
pub fn PrintingProvider(p: &PrintingProviderProps) -> Html {
    let printing = use_state_eq(|| false);
    // A printout of a result waiting for the typing to pause holds the last keystroke
    // ([`ReportNow`]): the estate is evaluated as the print starts, and drawn before it is taken.
    let now = use_context::<ReportNow>();
    {
        let printing = printing.clone();
        use_effect_with((), move |_| {
            let (now_before, now_asked) = (now.clone(), now);
            let listeners = web_sys::window().map(|w| {
                let (before, asked, after, media) = (
                    printing.clone(),
                    printing.clone(),
                    printing.clone(),
                    printing,
                );
                let print_media = w.match_media("print").ok().flatten();
                (
                    gloo::events::EventListener::new(&w, "beforeprint", move |_| {
                        if let Some(n) = &now_before {
                            n.get();
                        }
                        before.set(true)
                    }),
                    // The app's Print button says so before the dialog opens: `beforeprint`
                    // comes from inside `window.print()`, too late to draw (review 17).
                    gloo::events::EventListener::new(
                        &w,
                        crate::ui::browser::PRINT_EVENT,
                        move |_| {
                            if let Some(n) = &now_asked {
                                n.get();
                            }
                            asked.set(true)
                        },
                    ),
                    gloo::events::EventListener::new(&w, "afterprint", move |_| after.set(false)),
                    // Print media without a print event (a PDF made by a headless browser).
                    print_media.map(|m| {
                        let list = m.clone();
                        gloo::events::EventListener::new(&m, "change", move |_| {
                            media.set(list.matches())
                        })
                    }),
                )
            });
            move || drop(listeners)
        });
    }
    html! {
        <ContextProvider<Printing> context={Printing(*printing)}>
            { p.children.clone() }
        </ContextProvider<Printing>>
    }
}

/// Whether the page is being printed (false outside a [`PrintingProvider`]).
#[hook]
pub fn use_printing() -> bool {
    use_context::<Printing>().is_some_and(|p| p.0)
}

/// What the tag after each rule ("[MS-PT]", "[MS via 3P]"…) says of its source, in the words
/// of the catalog's confidence levels: shown beside the rules and the findings, where a tooltip
/// alone explained them (QA).
pub fn confidence_legend() -> Html {
    html! {
        <p class="note confidence-legend" data-testid="confidence-legend">
            { "Source tags: " }
            <strong>{ "[MS-PT]" }</strong>{ " Microsoft Product Terms · " }
            <strong>{ "[MS]" }</strong>{ " another Microsoft page · " }
            <strong>{ "[LS]" }</strong>{ " Licensing School, a licensing trainer · " }
            <strong>{ "[3P]" }</strong>{ " a third party (reseller, consultant) · " }
            <strong>{ "[derived]" }</strong>{ " the calculator’s own reading where sources are silent · " }
            <strong>{ "via 3P" }</strong>{ ": Microsoft’s text read on a third party’s copy." }
        </p>
    }
}

fn rule_item(r: &RuleRef) -> Html {
    html! {
        <li>
            if r.sentence.is_empty() {
                <code>{ r.id.clone() }</code>
            } else {
                <q>{ r.sentence.clone() }</q>
            }
            if !r.confidence.is_empty() {
                { " " }<span class="confidence" title="Confidence of the source">{ format!("[{}]", r.confidence) }</span>
            }
            if !r.source.is_empty() {
                { source_sentence(&r.source) }
            }
        </li>
    }
}

/// " Source: …." after the text a source backs, as a sentence of its own: it ends with a full stop
/// (after the last link, outside it) unless the source already ends a sentence.
pub fn source_sentence(source: &str) -> Html {
    let ended = source.trim_end().ends_with(['.', '!', '?']);
    html! {
        <span class="source">{ " Source: " }{ source_links(source) }if !ended { { "." } }</span>
    }
}

/// Renders a source string: each http(s) address becomes a link (opened only when clicked), the
/// rest stays text; words are separated by one space, with none after the last. The words
/// between two links are one text node (a node per word made a finding's source dozens of
/// nodes to rebuild and diff at each edit).
pub fn source_links(source: &str) -> Html {
    let mut parts: Vec<Html> = Vec::new();
    let mut text = String::new();
    for (i, word) in source.split_whitespace().enumerate() {
        if i > 0 {
            text.push(' ');
        }
        let trimmed = word.trim_end_matches([',', ';', ')']);
        if (trimmed.starts_with("https://") || trimmed.starts_with("http://"))
            && crate::catalog::unofficial_copy(trimmed)
        {
            // Named, not linked (see `catalog::UNOFFICIAL_COPIES`).
            text.push_str(&short_address(trimmed));
            text.push_str(" (an unofficial copy, not linked)");
            text.push_str(word.get(trimmed.len()..).unwrap_or(""));
        } else if trimmed.starts_with("https://") || trimmed.starts_with("http://") {
            if !text.is_empty() {
                parts.push(html! { { std::mem::take(&mut text) } });
            }
            parts.push(html! {
                <a href={trimmed.to_string()} rel="noopener noreferrer external" target="_blank">{ short_address(trimmed) }</a>
            });
            text.push_str(word.get(trimmed.len()..).unwrap_or(""));
        } else {
            text.push_str(word);
        }
    }
    if !text.is_empty() {
        parts.push(html! { { text } });
    }
    html! { <>{ for parts }</> }
}

/// `text` with its %XX escapes decoded, or as it is when they do not make UTF-8.
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// "learn.microsoft.com/…/rds-client-access-license" rather than the whole address.
fn short_address(url: &str) -> String {
    let without = url
        .trim_start_matches("https://")
        .trim_start_matches("http://");
    let mut parts = without.split('/').filter(|s| !s.is_empty());
    let host = parts.next().unwrap_or(without);
    let raw = without.split('/').rfind(|s| !s.is_empty()).unwrap_or("");
    if raw == host {
        return host.to_string();
    }
    // Shown decoded: "K%C5%91nig%27s_theorem" reads "Kőnig's_theorem" (review 19).
    let last = percent_decoded(raw);
    if without.matches('/').count() > 1 {
        format!("{host}/…/{last}")
    } else {
        format!("{host}/{last}")
    }
}

#[cfg(test)]
mod tests {
    use super::short_address;
    use wasm_bindgen_test::wasm_bindgen_test;

    /// Review 19: a source's link read "en.wikipedia.org/…/K%C5%91nig%27s_theorem_%28graph_theory%29".
    #[wasm_bindgen_test]
    fn a_source_address_is_shown_decoded() {
        assert_eq!(
            short_address(
                "https://en.wikipedia.org/wiki/K%C5%91nig%27s_theorem_%28graph_theory%29"
            ),
            "en.wikipedia.org/…/Kőnig's_theorem_(graph_theory)"
        );
        // Escapes that do not make UTF-8, or a lone %, are shown as they are.
        assert_eq!(
            short_address("https://a.example/x/%FF%zz"),
            "a.example/…/%FF%zz"
        );
        assert_eq!(short_address("https://a.example/"), "a.example");
    }
}
