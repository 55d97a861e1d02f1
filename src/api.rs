//! The JavaScript API: the engine for host pages and scripts (wasm-bindgen + serde-wasm-bindgen).
//! A face like the app and the CLI, it translates and nothing else:
//! - estates are read by the same [`Estate::from_json`] as the CLI and estate files (format
//!   migration, the same checks, messages naming the field), whether given as JSON text or as a
//!   JS object (which is turned into JSON text first);
//! - reports leave as plain JS objects with plain numbers (serde-wasm-bindgen's JSON-compatible
//!   serializer), so `evaluate(e, d)` deep-equals `JSON.parse` of `cal-calc evaluate --format json
//!   --as-of d` (tests/e2e/api.test.mjs checks it for every example estate);
//! - every error leaves through [`into_error`] as a JS `Error` whose message is the user message.
//!
//! Loaded through the build's stable `calc.js` entry (`const api = await load()`), which
//! instantiates the engine module (built with the `js-api` feature, without the app's UI; the
//! import worker uses the same module); see `www/api-example.html`. The TypeScript
//! section (`src/api.d.ts`) describes `Estate` and `Report`.

use crate::catalog;
use crate::engine::{self, EvaluateError};
use crate::estate::{Date, Estate, EstateError};
use crate::js_date::local_date;
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = include_str!("api.d.ts");

/// Why a call to the JavaScript API failed; the message is what the caller shows the user.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    #[error("The estate could not be read: {0}")]
    Estate(String),
    #[error("`asOf` must be a date in the form YYYY-MM-DD, not `{0}`")]
    AsOf(String),
    #[error(
        "`currency` must be an ISO 4217 currency code in capitals, such as USD or EUR, not `{0}`"
    )]
    Currency(String),
    #[error(transparent)]
    Evaluate(#[from] EvaluateError),
    #[error("The result could not be passed to JavaScript: {0}")]
    Convert(String),
    #[error("This device's clock does not give a valid date; pass `asOf` (YYYY-MM-DD)")]
    Clock,
}

/// The one place where errors become JavaScript `Error`s (message = the user message).
fn into_error(error: ApiError) -> JsError {
    JsError::new(&error.to_string())
}

/// Evaluates an estate: how many CALs of which kind, what they cost, where holdings fall short.
///
/// `estate` is an estate object or its JSON text; `asOf` (`YYYY-MM-DD`, or a JS `Date`: its day on
/// this device's calendar) is the date the rules and Software Assurance are judged at; when
/// omitted, the estate's own `as_of`, else today on this device's clock. An unusable estate
/// throws its first problem, as `validate` words it (with its line and column when given as JSON
/// text) after "The estate could not be read: ".
#[wasm_bindgen(unchecked_return_type = "Report")]
pub fn evaluate(
    #[wasm_bindgen(unchecked_param_type = "Estate | string")] estate: JsValue,
    // `globalThis.Date`: the declarations' own `Date` alias (a string) once shadowed JS's Date,
    // so `string | Date` meant `string` and a JS Date was refused by TypeScript (API review 25).
    #[wasm_bindgen(js_name = asOf, unchecked_optional_param_type = "string | globalThis.Date")]
    as_of: Option<JsValue>,
) -> Result<JsValue, JsError> {
    evaluate_js(estate, as_of).map_err(into_error)
}

fn evaluate_js(estate: JsValue, as_of: Option<JsValue>) -> Result<JsValue, ApiError> {
    let source = estate.as_string();
    let estate = read_estate(estate)?;
    // Checked here, not only by the engine, whose message has no line and column: given as text,
    // a reference error names its place as `validate(text)` and `cal-calc evaluate` do (API
    // review 25), and is worded as the estate's other errors are.
    if let Err(problem) = estate.validate() {
        return Err(ApiError::Estate(located(problem, source.as_deref())));
    }
    // A date given wins, then the estate's own count date (`as_of`), then today.
    let today = match as_of.filter(|v| !v.is_undefined() && !v.is_null()) {
        Some(value) => read_as_of(&value)?,
        None => match estate.as_of {
            Some(date) => date,
            None => today()?,
        },
    };
    to_js(&engine::evaluate(&estate, today)?)
}

/// `asOf` as `YYYY-MM-DD` text, or a JS `Date` (its day on this device's calendar, as `today`).
/// Anything else is refused with the value in the message: a `Date` or a number once reached the
/// string glue and failed with "memory access out of bounds" (review 20).
fn read_as_of(value: &JsValue) -> Result<Date, ApiError> {
    if let Some(text) = value.as_string() {
        return Date::parse(text.trim()).ok_or(ApiError::AsOf(text));
    }
    if let Some(date) = value.dyn_ref::<js_sys::Date>() {
        return local_date(date).ok_or_else(|| ApiError::AsOf("Invalid Date".into()));
    }
    Err(ApiError::AsOf(shown(value)))
}

/// Checks an estate: every problem found (unreadable JSON, a wrong field, an id that does not
/// resolve, a version the catalog does not know…), one user message each; `[]` when none is.
/// Counts and prices each within their limits can still make totals too large to add up
/// exactly (over 9 × 10^15 minor units): only `evaluate` finds that, and says which.
/// Given as JSON text, each problem names its line and column in it, as `cal-calc validate` does.
#[wasm_bindgen(unchecked_return_type = "string[]")]
pub fn validate(
    #[wasm_bindgen(unchecked_param_type = "Estate | string")] estate: JsValue,
) -> Result<JsValue, JsError> {
    let source = estate.as_string();
    let problems: Vec<String> = match read_estate(estate) {
        // Each problem in one form, as the reference problems below are: "line 1, column 12:
        // groups[0].count: …", not behind "The estate could not be read:", which only a read
        // error had (surfaces review). `evaluate` throws with that prefix, one error for all.
        Err(ApiError::Estate(problem)) => vec![problem],
        Err(error) => vec![error.to_string()],
        Ok(estate) => estate
            .problems()
            .into_iter()
            .map(|p| located(p, source.as_deref()))
            .collect(),
    };
    to_js(&problems).map_err(into_error)
}

/// A problem of a read estate, with its line and column when the estate came as JSON text.
fn located(problem: EstateError, source: Option<&str>) -> String {
    match source {
        Some(text) => problem.with_location(text).to_string(),
        None => problem.to_string(),
    }
}

/// What the calculator knows: products, server and CAL versions, suites, rules with their
/// sources, and the reference prices.
#[wasm_bindgen(unchecked_return_type = "Catalog")]
pub fn catalog() -> Result<JsValue, JsError> {
    to_js(&catalog::catalog()).map_err(into_error)
}

/// The editable reference prices (USD minor units; `amount_minor` is null where no public figure
/// was found), with their date and source.
#[wasm_bindgen(js_name = defaultPrices, unchecked_return_type = "ReferencePrice[]")]
pub fn default_prices() -> Result<JsValue, JsError> {
    to_js(&catalog::reference_prices()).map_err(into_error)
}

/// How many digits the minor unit of `currency` (an ISO 4217 code such as `"USD"`) has: 2 for USD
/// and EUR, 0 for JPY, 3 for KWD. A report's money is integer minor units with these digits: to
/// show an amount, write it as a decimal string with that many decimals (`9000001063000007` USD
/// as `"90000010630000.07"`) and give the string to the `format` of an `Intl.NumberFormat` with
/// the same minimum and maximum fraction digits, as its defaults differ for some currencies (HUF,
/// IQD). `format` writes a string exactly; `minor / 10 ** minorDigits(currency)` is a float that
/// loses the last digit from about 2^46 minor units with two decimals (2^43 with three).
// The engine's figure (`position::minor_digits`, ISO 4217). Pages had only Intl's, 0 for HUF,
// IDR, COP and PKR (ISO 4217: 2) and for IQD (3): the example page showed HUF 14,000.00 as
// HUF 1,400,000 (API review 25).
#[wasm_bindgen(js_name = minorDigits)]
pub fn minor_digits(
    #[wasm_bindgen(unchecked_param_type = "string")] currency: JsValue,
) -> Result<u32, JsError> {
    currency_digits(&currency).map_err(into_error)
}

fn currency_digits(currency: &JsValue) -> Result<u32, ApiError> {
    // Taken as any value and checked: a number given for a `&str` parameter reaches the string
    // glue unchecked in a release build (review 20, `asOf`).
    match currency.as_string() {
        Some(code) if crate::position::is_currency(&code) => {
            Ok(crate::position::minor_digits(&code))
        }
        Some(code) => Err(ApiError::Currency(code)),
        None => Err(ApiError::Currency(shown(currency))),
    }
}

/// A value as the caller wrote it, for a message: its JSON, else what it is (API review 39:
/// `undefined` was "JsValue(undefined)", and NaN and Infinity "null", as JSON writes them).
fn shown(value: &JsValue) -> String {
    if value.is_undefined() {
        return "undefined".into();
    }
    if let Some(n) = value.as_f64().filter(|n| !n.is_finite()) {
        return if n.is_nan() {
            "NaN"
        } else if n > 0.0 {
            "Infinity"
        } else {
            "-Infinity"
        }
        .into();
    }
    js_sys::JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| format!("a {}", value.js_typeof().as_string().unwrap_or_default()))
}

/// An estate from JSON text (read exactly as the CLI reads a file, errors with line and column)
/// or from a JS object (turned into JSON first; errors then name the field only, since line and
/// column would point into text the caller never wrote).
fn read_estate(value: JsValue) -> Result<Estate, ApiError> {
    if let Some(text) = value.as_string() {
        return Estate::from_json(&text).map_err(|e| ApiError::Estate(e.to_string()));
    }
    if value.is_undefined() || value.is_null() {
        return Err(ApiError::Estate(
            "no estate was given (pass an estate object or its JSON text)".into(),
        ));
    }
    // JSON.stringify turns a Map or a Set into `{}`, which read as an empty estate costing
    // nothing (review 20).
    if value.is_instance_of::<js_sys::Map>() || value.is_instance_of::<js_sys::Set>() {
        return Err(ApiError::Estate(
            "a Map or Set is not an estate: pass a plain object (Object.fromEntries(map)) or its JSON text".into(),
        ));
    }
    // What JSON.stringify threw (a getter's or toJSON's own error, a cycle, a BigInt) is said,
    // not hidden behind a guess (API review 39).
    let text = match js_sys::JSON::stringify(&value) {
        Ok(s) => s.as_string(),
        Err(thrown) => {
            let why = thrown
                .dyn_ref::<js_sys::Error>()
                .and_then(|e| e.message().as_string())
                .unwrap_or_else(|| shown(&thrown));
            return Err(ApiError::Estate(format!(
                "the value could not be turned into JSON: {why}"
            )));
        }
    }
    .ok_or_else(|| {
        ApiError::Estate("the value is not plain data (a function or a symbol)".into())
    })?;
    Estate::from_json(&text).map_err(|e| ApiError::Estate(without_position(e)))
}

/// The message of an estate error without the line and column of the generated JSON text.
fn without_position(error: EstateError) -> String {
    match error {
        EstateError::Field { path, message, .. } if path.is_empty() => message,
        EstateError::Field { path, message, .. } => format!("{path}: {message}"),
        EstateError::Syntax { message, .. } => message,
        other => other.to_string(),
    }
}

/// Plain objects and numbers, so a report equals `JSON.parse` of the CLI's JSON output.
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, ApiError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| ApiError::Convert(e.to_string()))
}

/// Today's date on the device's clock: a face supplies "today", the engine never reads a clock.
fn today() -> Result<Date, ApiError> {
    local_date(&js_sys::Date::new_0()).ok_or(ApiError::Clock)
}
