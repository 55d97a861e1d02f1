//! Prices: the reference estimates (with their date and source) and the organisation's own prices,
//! which become `organisation.prices` overrides; the currency choice. Reference prices are in USD
//! only; in another currency every price is the user's own.

use crate::catalog::{self, REFERENCE_PRICES_DATE};
use crate::estate::{PriceItem, PriceOverride};
use crate::ui::components::field::{MoneyField, SelectField};
use crate::ui::components::why::{source_links, source_sentence, use_printing};
use crate::ui::format;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PricesProps {
    /// The estate's currency and its own prices (not the whole estate, so that an edit elsewhere
    /// does not re-render the price table).
    pub currency: AttrValue,
    pub own_prices: Rc<Vec<PriceOverride>>,
    /// The report's note on the prices used (date and basis).
    pub prices_note: AttrValue,
    pub on_price: Callback<(PriceItem, Option<i64>)>,
    pub on_currency: Callback<String>,
}

#[component]
pub fn Prices(p: &PricesProps) -> Html {
    let currency = p.currency.to_string();
    let usd = currency.eq_ignore_ascii_case("USD");
    let currencies = offered(&currency);
    let own = |item: PriceItem| {
        p.own_prices
            .iter()
            .find(|o| o.item == item)
            .map(|o| o.amount_minor)
    };
    let references = catalog::reference_prices();
    // Prices are never converted: a switch keeps their numbers. One that would round a price
    // the new currency cannot hold (12.49 in yen) asks first, and switching back restores it.
    let on_currency = {
        let (on_currency, own_prices, from) = (
            p.on_currency.clone(),
            p.own_prices.clone(),
            currency.clone(),
        );
        Callback::from(move |c: String| {
            // The select shows the choice already: put the current currency back.
            let keep = || {
                if let Some(select) = gloo::utils::document()
                    .get_element_by_id("currency")
                    .and_then(|e| e.dyn_into::<web_sys::HtmlSelectElement>().ok())
                {
                    select.set_value(&from);
                }
            };
            let too_large = crate::ui::state::prices_too_large_in(&own_prices, &from, &c);
            if !too_large.is_empty() {
                alert(&too_large_message(&too_large, &from, &c));
                keep();
                return;
            }
            let rounded = crate::ui::state::prices_rounded_by(&own_prices, &from, &c);
            if !rounded.is_empty() && !confirm(&rounding_question(&rounded, &from, &c)) {
                keep();
                return;
            }
            on_currency.emit(c);
        })
    };
    let reset = {
        let (on_price, own_prices) = (p.on_price.clone(), p.own_prices.clone());
        Callback::from(move |e: MouseEvent| {
            if confirm(&format!(
                "Remove your {} own price(s) and use the reference estimates again? Items without a reference price are left without a price.",
                own_prices.len()
            )) {
                // The button goes with the own prices: the focus goes to the list's summary,
                // which stays (review 18: it fell to the page's start).
                let summary = e
                    .target()
                    .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
                    .and_then(|b| b.closest("details.price-details").ok().flatten())
                    .and_then(|d| d.query_selector("summary").ok().flatten())
                    .and_then(|s| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(s).ok());
                if let Some(summary) = summary {
                    let _ = summary.focus();
                }
                for o in own_prices.iter() {
                    on_price.emit((o.item, None));
                }
            }
        })
    };
    html! {
        <section class="card prices" aria-labelledby="prices-title">
            <h2 id="prices-title">{ "Prices" }</h2>
            if p.prices_note.is_empty() {
                <p class="note">{ format!("Reference prices are estimates collected from public pages ({}), in US dollars. They are not Microsoft's price list: replace them with the prices you pay.", REFERENCE_PRICES_DATE) }</p>
            } else {
                <p class="note">{ p.prices_note.clone() }</p>
            }
            if !usd {
                <p class="note"><strong>{ format!("The reference prices are in US dollars, so in {currency} every price is your own: enter the prices you pay.") }</strong></p>
            }
            <SelectField id="currency" label="Currency" selected={AttrValue::from(currency.clone())}
                options={currencies.iter().map(|c| (AttrValue::from(c.clone()), AttrValue::from(c.clone()))).collect::<Vec<_>>()}
                on_change={on_currency}
                hint={AttrValue::from("Changing the currency converts nothing: your prices keep their numbers (45 stays 45 in the new currency). Enter the prices you pay in it.")} />
            <details class="price-details" open={!usd}>
                <summary>{ format!("Unit prices ({} items; {} of your own)", references.len(), p.own_prices.len()) }</summary>
                <div class="table-wrap">
                <table class="price-table">
                    <caption class="visually-hidden">{ "Unit prices: reference estimate and your own" }</caption>
                    <thead><tr>
                        <th scope="col">{ "Licence" }</th>
                        <th scope="col" class="num">{ "Reference (USD)" }</th>
                        <th scope="col">{ format!("Your price ({currency})") }</th>
                    </tr></thead>
                    <tbody>
                    { for references.iter().map(|r| {
                        let item = r.item;
                        let id = format!("price-{}-{}", format::product_code(item.product), format::kind_code(item.kind));
                        let name = format!("{} {}", format::product_label(item.product), format::kind_label(item.kind));
                        let placeholder = match (usd, r.amount_minor) {
                            (true, Some(m)) => format::decimal_local(m, format::fraction_digits(&currency)),
                            _ => String::new(),
                        };
                        let on_price = p.on_price.clone();
                        html! {
                            <tr>
                                <th scope="row">{ name.clone() }</th>
                                <td class="num">
                                    if let Some(m) = r.amount_minor {
                                        // As every other amount on the page ("$2,900.00"), not
                                        // "2900.00" (QA).
                                        { format::money(m, r.currency) }
                                        <details class="why price-source">
                                            <summary><span aria-hidden="true">{ "source" }</span><span class="visually-hidden">{ format!("Source of the reference price for {name}") }</span></summary>
                                            <div class="why-body">
                                                if r.derived {
                                                    <p>{ format!("Derived estimate: no published price was found; the figure agrees with the material below ({}). Replace it with your quote.", r.date) }</p>
                                                } else if !r.date.is_empty() { <p>{ format!("Published {}.", r.date) }</p> }
                                                <p>{ source_links(r.source) }</p>
                                            </div>
                                        </details>
                                    } else {
                                        // No known price has no source to cite: a "source" link
                                        // beside "—" read as a citation (QA 1 Dec).
                                        { "—" }
                                        <span class="no-price">{ "no public price; enter your own" }</span>
                                    }
                                </td>
                                <td>
                                    <MoneyField id={id} label={format!("Your price for {name}")} compact=true
                                        value={own(item)} placeholder={placeholder} currency={AttrValue::from(currency.clone())}
                                        on_change={Callback::from(move |v| on_price.emit((item, v)))} />
                                </td>
                            </tr>
                        }
                    }) }
                    </tbody>
                </table>
                </div>
                if !p.own_prices.is_empty() {
                    <div class="button-row">
                        <button type="button" class="secondary" onclick={reset}>{ "Reset all prices to the reference estimates" }</button>
                    </div>
                }
            </details>
        </section>
    }
}

thread_local! {
    /// The currencies outside [`format::CURRENCIES`] this page has shown, in the order first
    /// shown: an estate in KWD switched to USD must still offer KWD, or the rounding question's
    /// "switching back … brings them back exactly" cannot be kept (review 26: KWD was gone).
    static SHOWN: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// The currencies the select offers with `current` chosen: the built-in list, then every other
/// one this page has shown, `current` among them, for as long as the page is open.
fn offered(current: &str) -> Vec<String> {
    let mut currencies: Vec<String> = format::CURRENCIES.iter().map(|c| c.to_string()).collect();
    SHOWN.with(|shown| {
        let mut shown = shown.borrow_mut();
        if !currencies
            .iter()
            .chain(shown.iter())
            .any(|c| c.eq_ignore_ascii_case(current))
        {
            shown.push(current.to_string());
        }
        // The current one as the estate writes it, should it differ in case from the one shown.
        currencies.extend(shown.iter().map(|c| {
            if c.eq_ignore_ascii_case(current) {
                current.to_string()
            } else {
                c.clone()
            }
        }));
    });
    currencies
}

/// Asks the user; `false` when the browser cannot ask.
fn confirm(question: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.confirm_with_message(question).ok())
        .unwrap_or(false)
}

/// Tells the user; nothing when the browser cannot.
fn alert(message: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.alert_with_message(message);
    }
}

/// Why the currency stays: the prices that would be too large in `to`, and the limit.
fn too_large_message(too_large: &[(PriceItem, i64)], from: &str, to: &str) -> String {
    let digits = format::fraction_digits(to);
    let list: Vec<String> = too_large
        .iter()
        .map(|(item, after)| {
            format!(
                "{} {} {}",
                format::product_label(item.product),
                format::kind_label(item.kind),
                format::decimal_local(*after, digits)
            )
        })
        .collect();
    let max = crate::estate::MAX_PRICE;
    format!(
        "The currency stays {from}. Prices are not converted: they keep their numbers, so in {to} {} would be above the largest price an estate holds ({} {to}): {}. Lower {} first.",
        if list.len() == 1 { "this price" } else { "these prices" },
        format::decimal_local(max, digits),
        list.join("; "),
        if list.len() == 1 { "it" } else { "them" }
    )
}

/// "JPY has no cents…": which prices a switch from `from` to `to` rounds, and how.
fn rounding_question(rounded: &[(PriceItem, i64, i64)], from: &str, to: &str) -> String {
    let (df, dt) = (format::fraction_digits(from), format::fraction_digits(to));
    let list: Vec<String> = rounded
        .iter()
        .map(|(item, before, after)| {
            format!(
                "{} {}: {} becomes {}",
                format::product_label(item.product),
                format::kind_label(item.kind),
                format::decimal_local(*before, df),
                format::decimal_local(*after, dt)
            )
        })
        .collect();
    format!(
        "Prices are not converted: they keep their numbers. {to} has {} decimal places, so {} of your prices would be rounded ({}). Switching back to {from} while this page is open brings them back exactly. Switch to {to}?",
        dt,
        rounded.len(),
        list.join("; ")
    )
}

/// A printed price: licence, unit price, and the reference's date, source and whether it is
/// derived (None for the organisation's own price).
type PriceUsed = (String, String, Option<(&'static str, &'static str, bool)>);

/// The organisation's own prices, for the printed list of the prices used: the Prices panel is
/// in the editor column, which does not print.
#[derive(Clone, PartialEq)]
pub struct OwnPrices(pub Rc<Vec<PriceOverride>>);

#[derive(Properties, PartialEq)]
pub struct PricesUsedProps {
    /// The report's currency and its note on the prices used.
    pub currency: AttrValue,
    pub prices_note: AttrValue,
}

/// Print only: each unit price in force with where it comes from ("your price", or the
/// reference estimate with its date and source), so that a printed cost can be checked (review:
/// the printout named no price, no source and no date). Built only while printing.
#[component]
pub fn PricesUsed(p: &PricesUsedProps) -> Html {
    let printing = use_printing();
    let own = use_context::<OwnPrices>();
    if !printing {
        return html! {};
    }
    let currency = p.currency.to_string();
    let own = own.map(|o| o.0).unwrap_or_default();
    // The engine's rule for the price in force (own, else the reference in its currency).
    let book = catalog::PriceBook::new(&currency, &own);
    let rows: Vec<PriceUsed> = catalog::reference_prices()
        .iter()
        .filter_map(|r| {
            let (product, kind) = (r.item.product, r.item.kind);
            let name = format!(
                "{} {}",
                format::product_label(product),
                format::kind_label(kind)
            );
            let amount = book.get(product, kind)?;
            Some(match book.origin(product, kind) {
                catalog::PriceOrigin::Own => (name, format::money(amount, &currency), None),
                _ => (
                    name,
                    format::money(amount, r.currency),
                    Some((r.date, r.source, r.derived)),
                ),
            })
        })
        .collect();
    let unpriced = catalog::reference_prices().len() - rows.len();
    // Rows of the same basis share one cell (a source cited for two licences once).
    let cell = |i: usize| {
        let basis = rows[i].2;
        if i > 0 && rows[i - 1].2 == basis {
            return html! {};
        }
        let span = rows[i..].iter().take_while(|r| r.2 == basis).count();
        html! {
            <td rowspan={span.to_string()}>
                if let Some((date, source, derived)) = basis {
                    if derived {
                        { format!("Derived estimate: no published price was found; checked against material of {date}, collected {REFERENCE_PRICES_DATE}. Replace it with your quote.") }
                    } else {
                        { format!("Reference estimate, published {date}, collected {REFERENCE_PRICES_DATE}.") }
                    }
                    { source_sentence(source) }
                } else {
                    { "Your price." }
                }
            </td>
        }
    };
    html! {
        <section class="card prices-used print-only" aria-labelledby="prices-used-title" data-testid="prices-used">
            <h2 id="prices-used-title">{ "Unit prices used" }</h2>
            if !p.prices_note.is_empty() {
                <p class="note">{ p.prices_note.clone() }</p>
            }
            if rows.is_empty() {
                <p>{ "No price is known: enter your prices under Prices." }</p>
            } else {
                <table class="prices-used-table">
                    <thead><tr>
                        <th scope="col">{ "Licence" }</th>
                        <th scope="col" class="num">{ "Unit price" }</th>
                        <th scope="col">{ "Basis and source" }</th>
                    </tr></thead>
                    <tbody>
                    { for rows.iter().enumerate().map(|(i, (name, price, _))| html! {
                        <tr>
                            <th scope="row">{ name.clone() }</th>
                            <td class="num">{ price.clone() }</td>
                            { cell(i) }
                        </tr>
                    }) }
                    </tbody>
                </table>
                if unpriced > 0 {
                    <p class="note">{ format!("No price is known for the other {unpriced} licences: where one is needed, its cost is left out of the totals.") }</p>
                }
            }
        </section>
    }
}
