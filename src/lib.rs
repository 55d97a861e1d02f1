//! cal-calc: a privacy-first Microsoft Client Access Licence calculator.
//!
//! One data flow: inputs (form edits, imported files, a share link) → [`estate::Estate`] →
//! [`engine::evaluate`] → [`report::Report`] → a view (the yew app, the JavaScript API, the CLI).
//! The engine modules are plain Rust with no web dependency and no clock: "today" is a parameter.

pub mod catalog;
pub mod engine;
pub mod estate;
pub mod figures;
pub mod findings;
pub mod import;
pub mod named;
pub mod optimise;
pub mod position;
pub mod report;
pub mod rules;
pub mod share;
pub mod sort;
pub mod vecmap;

// The WebAssembly faces. Two modules are built from them (see Cargo.toml's features): the app,
// and the engine with the JavaScript API and the import worker's session.
#[cfg(all(target_arch = "wasm32", feature = "js-api"))]
pub mod api;
#[cfg(all(target_arch = "wasm32", feature = "js-api"))]
pub mod import_api;
#[cfg(all(target_arch = "wasm32", any(feature = "app", feature = "js-api")))]
mod js_date;
#[cfg(all(target_arch = "wasm32", feature = "app"))]
pub mod ui;

pub use engine::{evaluate, evaluate_with, Evaluation};
pub use optimise::Effort;
