//! Embed mode and its parameters, read from the query and the fragment (`?embed&preset=…` or
//! `#embed&…`): `embed` (compact layout, no autosave so a documentation page never overwrites the
//! visitor's own work), `preset=<example>`, `products=ws,rds,sql`, `currency=EUR`,
//! `price.<product>-<kind>=<minor units>` (e.g. `price.ws-user=4200`), and `parentOrigin=<origin>`,
//! the only origin the page's height is posted to and the only one whose view messages are read
//! ([`use_view_band`]).

use crate::estate::{CalProduct, Estate, EstateError, PriceItem, PriceOverride, MAX_PRICE};
use crate::ui::format;

/// What the URL asks for. Unknown or malformed parameters are listed in `problems`, not fatal.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EmbedParams {
    pub embed: bool,
    pub preset: Option<String>,
    /// The products to show, each once; `None` (all) when none it knows is named, never empty.
    pub products: Option<Vec<CalProduct>>,
    pub currency: Option<String>,
    pub prices: Vec<(PriceItem, i64)>,
    pub parent_origin: Option<String>,
    pub problems: Vec<String>,
}

fn decode(s: &str) -> String {
    js_sys::decode_uri_component(&s.replace('+', " "))
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| s.to_string())
}

fn product_of(code: &str) -> Option<CalProduct> {
    format::ALL_PRODUCTS
        .iter()
        .copied()
        .find(|p| format::product_code(*p) == code || format::serde_name(p) == code)
}

fn price_item(key: &str) -> Option<PriceItem> {
    // "ws-user", "exchange-ent-device", or the serde form "windows-server.user-cal".
    if let Some((p, k)) = key.split_once('.') {
        return Some(PriceItem {
            product: format::from_serde_name(p)?,
            kind: format::from_serde_name(k)?,
        });
    }
    let (p, k) = key.rsplit_once('-')?;
    let product = product_of(p)?;
    let kind = format::ALL_KINDS
        .iter()
        .copied()
        .find(|k2| format::kind_code(*k2) == k)?;
    Some(PriceItem { product, kind })
}

/// Why the estate's check refuses a price of `item` (an External Connector of a product that has
/// none, a core pack of a product other than SQL Server), in its words: the embed refuses the
/// parameter rather than build an estate the check refuses. Asks the check itself, so the two
/// never disagree.
fn item_problem(item: PriceItem) -> Option<String> {
    let mut e = Estate::default();
    e.organisation.prices.push(PriceOverride {
        item,
        amount_minor: 0,
    });
    e.problems().into_iter().next().map(|p| match p {
        EstateError::Field { message, .. } => message,
        other => other.to_string(),
    })
}

/// Parses the parameters of a query string and a fragment (either may be empty). A share-link
/// payload in the fragment (`e1.…`) is skipped here.
pub fn parse(query: &str, fragment: &str) -> EmbedParams {
    let mut out = EmbedParams::default();
    let pairs = query
        .split('&')
        .chain(fragment.split('&'))
        .filter(|s| !s.is_empty() && !crate::share::looks_like_link(s));
    for pair in pairs {
        let (key, value) = match pair.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(pair), String::new()),
        };
        match key.as_str() {
            "embed" => out.embed = value.is_empty() || value == "1" || value == "true",
            "preset" => out.preset = Some(value),
            "products" => {
                let mut list = Vec::new();
                for code in value.split(',').map(str::trim).filter(|c| !c.is_empty()) {
                    match product_of(code) {
                        // Each product once, in the order first named (review 22: `ws,ws` gave
                        // "Total of Windows Server and Windows Server only").
                        Some(p) if list.contains(&p) => {}
                        Some(p) => list.push(p),
                        None => out
                            .problems
                            .push(format!("unknown product “{code}” in products=")),
                    }
                }
                // Naming no product it knows (`products=foo`) filters nothing: the problem is
                // listed, and the page shows every product rather than an empty table, empty
                // purchase and a CSV "Total of  only".
                out.products = (!list.is_empty()).then_some(list);
            }
            "currency" => {
                let c = value.trim().to_ascii_uppercase();
                if format::valid_currency(&c) {
                    out.currency = Some(c);
                } else {
                    out.problems
                        .push(format!("“{value}” is not a currency code"));
                }
            }
            "parentOrigin" => {
                let o = value.trim();
                let o = o.strip_suffix('/').unwrap_or(o);
                if let Some(o) = crate::ui::components::embed_panel::parse_origin(o) {
                    out.parent_origin = Some(o);
                } else {
                    out.problems
                        .push(format!("“{value}” is not an origin (parentOrigin=)"));
                }
            }
            k if k.starts_with("price.") => {
                let item = price_item(k.strip_prefix("price.").unwrap_or_default());
                let amount = value
                    .trim()
                    .parse::<i64>()
                    .ok()
                    .filter(|a| (0..=MAX_PRICE).contains(a));
                match (item, amount) {
                    (None, _) => out.problems.push(format!("unknown price item “{k}”")),
                    (Some(item), amount) => match (item_problem(item), amount) {
                        (Some(why), _) => out.problems.push(format!("{k}: {why}")),
                        (None, Some(a)) => out.prices.push((item, a)),
                        (None, None) => out
                            .problems
                            .push(format!(
                                "{k}: “{value}” is not an amount in minor units (a whole number from 0 to {})",
                                crate::position::thousands(MAX_PRICE.unsigned_abs())
                            )),
                    },
                }
            }
            _ => {}
        }
    }
    out
}

/// Applies `currency=` and `price.*=` to the estate an embedded page shows. The estate's own
/// prices are amounts in its currency: in another one they would be read as that currency's
/// amounts (USD 94 as EUR 94), so a currency change drops them; the host page gives its prices
/// with `price.*`, and what it does not price shows as "no price".
pub fn apply_prices(estate: &mut crate::estate::Estate, params: &EmbedParams) {
    use crate::ui::state::Edit;
    if let Some(c) = &params.currency {
        if !c.eq_ignore_ascii_case(&estate.organisation.currency) {
            estate.organisation.prices.clear();
        }
        Edit::SetCurrency(c.clone()).apply(estate);
    }
    for (item, amount) in &params.prices {
        Edit::SetPrice(*item, Some(*amount)).apply(estate);
    }
}

/// The largest band offset taken from a view message: the host's `embed.js` never makes a frame
/// taller than this (its `MAX_HEIGHT`), so anything beyond is not a band of this page.
const MAX_VIEW_TOP: f64 = 100_000.0;

/// The top of the band of this page that the embedding page shows, from a view message, in CSS
/// pixels from the top of the frame; `None` for anything but a well-formed one.
/// Message: `{ type: "cal-calc:view", top: <CSS pixels>, height: <CSS pixels> }`.
fn view_top(data: &wasm_bindgen::JsValue) -> Option<f64> {
    let get = |key: &str| js_sys::Reflect::get(data, &key.into()).ok();
    if !data.is_object() || get("type")?.as_string()? != "cal-calc:view" {
        return None;
    }
    get("top")?
        .as_f64()
        .filter(|t| t.is_finite())
        .map(|t| t.clamp(0.0, MAX_VIEW_TOP))
}

/// Sets `--cal-calc-view-top` on the page's root element (CSSOM, which the CSP allows where a
/// style attribute would not be): the summary bar sticks there (app.css, `.app.embed`).
fn set_view_top(top: f64) {
    let Some(root) = gloo::utils::document().document_element() else {
        return;
    };
    let Ok(style) = js_sys::Reflect::get(&root, &"style".into()) else {
        return;
    };
    let Ok(set) = js_sys::Reflect::get(&style, &"setProperty".into()) else {
        return;
    };
    if let Some(set) = wasm_bindgen::JsCast::dyn_ref::<js_sys::Function>(&set) {
        let value = format!("{}px", top.round());
        let _ = set.call2(&style, &"--cal-calc-view-top".into(), &value.into());
    }
}

/// Follows an in-page link (`href="#id"`, the summary bar's "See the result") by scrolling its
/// target's start into view, then focusing it without scrolling again. The browser's own way
/// scrolls the host page for the frame and then, focusing the target (the result, a section
/// 3,900 px tall at 360 px), centres it: the reader landed mid-result, its start 1,500 px above.
/// Returns whether the link was followed here.
fn follow_in_page_link(event: &web_sys::MouseEvent) -> bool {
    use wasm_bindgen::JsCast;
    let Some(link) = event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|e| e.closest("a[href^='#']").ok().flatten())
    else {
        return false;
    };
    let id = link.get_attribute("href").unwrap_or_default();
    let Some(target) = gloo::utils::document().get_element_by_id(id.trim_start_matches('#')) else {
        return false;
    };
    let call = |name: &str, key: &str, value: wasm_bindgen::JsValue| {
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &key.into(), &value);
        if let Ok(f) = js_sys::Reflect::get(&target, &name.into()) {
            if let Some(f) = f.dyn_ref::<js_sys::Function>() {
                let _ = f.call1(&target, &options);
            }
        }
    };
    event.prevent_default();
    // The target's scroll-margin (app.css) keeps its start below the summary bar.
    call("scrollIntoView", "block", "start".into());
    call("focus", "preventScroll", true.into());
    true
}

/// In an embed the host's `embed.js` keeps the frame as tall as this page, so the page itself
/// never scrolls and the summary bar, sticky at the top of a window that is the whole page, would
/// stay at the page's top, far above what the reader sees (pre-sales review: nothing showed an
/// edit's effect at 360 px). `embed.js` tells the page which band of it is in view; the bar sticks
/// at that band's top. Only a message from the parent window on exactly `parent_origin` is read,
/// and nothing is posted in return: the host learns nothing more than the height it already gets.
/// While the host sizes the frame, in-page links are followed here ([`follow_in_page_link`]).
#[yew::hook]
pub fn use_view_band(parent_origin: Option<String>) {
    use wasm_bindgen::{closure::Closure, JsCast};
    yew::use_effect_with(parent_origin, move |origin| {
        let mut listener: Option<Closure<dyn FnMut(web_sys::MessageEvent)>> = None;
        let mut on_link: Option<Closure<dyn FnMut(web_sys::MouseEvent)>> = None;
        if let (Some(_), Some(document)) = (
            origin.as_ref(),
            web_sys::window().and_then(|w| w.document()),
        ) {
            let on_click = Closure::<dyn FnMut(web_sys::MouseEvent)>::new(
                move |event: web_sys::MouseEvent| {
                    let plain = !(event.ctrl_key() || event.meta_key() || event.shift_key());
                    if plain && !event.default_prevented() && event.button() == 0 {
                        follow_in_page_link(&event);
                    }
                },
            );
            if document
                .add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref())
                .is_ok()
            {
                on_link = Some(on_click);
            }
        }
        if let (Some(origin), Some(window)) = (origin.clone(), web_sys::window()) {
            let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
                move |event: web_sys::MessageEvent| {
                    if event.origin() != origin {
                        return;
                    }
                    let Some(window) = web_sys::window() else {
                        return;
                    };
                    let Ok(Some(parent)) = window.parent() else {
                        return;
                    };
                    // Only the embedding window, not this page, a child frame or another window.
                    let parent: &wasm_bindgen::JsValue = parent.as_ref();
                    let this: &wasm_bindgen::JsValue = window.as_ref();
                    let from_parent = parent != this
                        && event
                            .source()
                            .is_some_and(|s| wasm_bindgen::JsValue::from(s) == *parent);
                    if !from_parent {
                        return;
                    }
                    if let Some(top) = view_top(&event.data()) {
                        set_view_top(top);
                    }
                },
            );
            if window
                .add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref())
                .is_ok()
            {
                listener = Some(on_message);
            }
        }
        move || {
            if let (Some(on_link), Some(document)) =
                (on_link, web_sys::window().and_then(|w| w.document()))
            {
                let _ = document
                    .remove_event_listener_with_callback("click", on_link.as_ref().unchecked_ref());
            }
            if let (Some(listener), Some(window)) = (listener, web_sys::window()) {
                let _ = window.remove_event_listener_with_callback(
                    "message",
                    listener.as_ref().unchecked_ref(),
                );
            }
        }
    });
}
