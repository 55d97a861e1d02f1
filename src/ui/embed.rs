//! Embed mode and its parameters, read from the query and the fragment (`?embed&preset=…` or
//! `#embed&…`): `embed` (compact layout, no autosave so a documentation page never overwrites the
//! visitor's own work), `preset=<example>`, `products=ws,rds,sql`, `currency=EUR`,
//! `price.<product>-<kind>=<minor units>` (e.g. `price.ws-user=4200`), and `parentOrigin=<origin>`,
//! the only origin the page's height is posted to.

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
                            .push(format!("{k}: “{value}” is not an amount in minor units")),
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
