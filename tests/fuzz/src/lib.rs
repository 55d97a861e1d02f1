//! What every fuzz target checks: the promises of `tests/engine/promises.rs` (the property
//! tests' own), as panics, so that libFuzzer keeps the input that breaks one.

#[path = "../../engine/promises.rs"]
pub mod promises;

/// Panics with the promise `checked` says is broken.
pub fn kept(checked: Result<(), String>) {
    if let Err(broken) = checked {
        panic!("{broken}");
    }
}
