//! The JavaScript API: the same [`engine::evaluate`](crate::engine::evaluate) the app and the CLI
//! use, for host pages and scripts (wasm-bindgen + serde-wasm-bindgen). It translates and nothing
//! else: estates come in as JS objects or JSON text, reports go out as plain JS objects shaped
//! exactly like the CLI's `--format json` output, and every error leaves through [`into_error`] as
//! a JS `Error` carrying the user message.
//!
//! Loaded through the build's stable `calc.js` entry (`const api = await load()`); see
//! `www/api-example.html`. The TypeScript section below documents the shapes.

use crate::engine::{self, EvaluateError};
use crate::estate::{Date, Estate};
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = include_str!("api.d.ts");

/// Why a call to the JavaScript API failed; the message is what the caller shows the user.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    #[error("The estate is not valid: {0}")]
    Estate(String),
    #[error("`asOf` must be a date in the form YYYY-MM-DD, not `{0}`")]
    AsOf(String),
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
/// `estate` is an estate object or its JSON text; `asOf` (`YYYY-MM-DD`) is the date the rules and
/// Software Assurance are judged at, today (local time) when omitted.
#[wasm_bindgen(unchecked_return_type = "Report")]
pub fn evaluate(
    #[wasm_bindgen(unchecked_param_type = "Estate | string")] estate: JsValue,
    #[wasm_bindgen(js_name = asOf)] as_of: Option<String>,
) -> Result<JsValue, JsError> {
    evaluate_js(estate, as_of).map_err(into_error)
}

fn evaluate_js(estate: JsValue, as_of: Option<String>) -> Result<JsValue, ApiError> {
    let estate = read_estate(estate)?;
    let today = match as_of {
        Some(text) => Date::parse(&text).ok_or(ApiError::AsOf(text))?,
        None => today()?,
    };
    let report = engine::evaluate(&estate, today)?;
    to_js(&report)
}

/// Checks an estate without evaluating it for display: returns the problems found, one user
/// message each, or an empty array when the estate can be evaluated.
#[wasm_bindgen(unchecked_return_type = "string[]")]
pub fn validate(
    #[wasm_bindgen(unchecked_param_type = "Estate | string")] estate: JsValue,
) -> Result<JsValue, JsError> {
    let problems: Vec<String> =
        match read_estate(estate).and_then(|estate| Ok(engine::evaluate(&estate, today()?)?)) {
            Err(error) => vec![error.to_string()],
            Ok(_) => Vec::new(),
        };
    to_js(&problems).map_err(into_error)
}

/// An estate from a JS object (or JSON text, read exactly as the CLI reads a file).
fn read_estate(value: JsValue) -> Result<Estate, ApiError> {
    match value.as_string() {
        Some(text) => serde_json::from_str(&text).map_err(|e| ApiError::Estate(e.to_string())),
        None => serde_wasm_bindgen::from_value(value).map_err(|e| ApiError::Estate(e.to_string())),
    }
}

/// Plain objects and numbers, so a report equals `JSON.parse` of the CLI's JSON output.
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, ApiError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| ApiError::Convert(e.to_string()))
}

/// Today's date on the user's clock: the face supplies "today", the engine never reads a clock.
fn today() -> Result<Date, ApiError> {
    let now = js_sys::Date::new_0();
    let (year, month, day) = (now.get_full_year(), now.get_month() + 1, now.get_date());
    let year = u16::try_from(year).map_err(|_| ApiError::Clock)?;
    let month = u8::try_from(month).map_err(|_| ApiError::Clock)?;
    let day = u8::try_from(day).map_err(|_| ApiError::Clock)?;
    Date::new(year, month, day).ok_or(ApiError::Clock)
}
