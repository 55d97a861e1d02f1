//! The least any page that computes a result in the browser must load: the engine's evaluation
//! alone, an estate's JSON in and the report's JSON out, with no UI, no import and no JavaScript
//! API. Its size is a floor under the first visit's (docs/benchmarks.md, "The engine's floor");
//! `scripts/engine-floor.sh` builds it for the browser and prints its size.
//!
//! Natively this example is an empty library: only the wasm32 build exports `evaluate_floor`
//! (not `evaluate`: the crate's JavaScript API exports that, and `cargo test` links both into
//! this example for wasm32).

#[cfg(target_arch = "wasm32")]
mod floor {
    use cal_calc::{engine, estate::Date, estate::Estate};
    use wasm_bindgen::prelude::*;

    /// The report of `estate` (JSON text) on `as_of` (YYYY-MM-DD), as JSON text, or the error.
    #[wasm_bindgen]
    pub fn evaluate_floor(estate: &str, as_of: &str) -> Result<String, JsError> {
        let estate = Estate::from_json(estate).map_err(|e| JsError::new(&e.to_string()))?;
        let today = Date::parse(as_of).ok_or_else(|| JsError::new("asOf is not YYYY-MM-DD"))?;
        let report = engine::evaluate(&estate, today).map_err(|e| JsError::new(&e.to_string()))?;
        serde_json::to_string(&report).map_err(|e| JsError::new(&e.to_string()))
    }
}
