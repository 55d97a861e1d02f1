//! `evaluate`: estate in, report out (in progress).
use crate::estate::{Date, Estate};
use crate::report::Report;

/// Why an estate could not be evaluated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvaluateError {
    #[error("{0}")]
    Invalid(String),
}

/// Evaluates an estate as of `today`.
pub fn evaluate(_estate: &Estate, _today: Date) -> Result<Report, EvaluateError> {
    Err(EvaluateError::Invalid("not implemented yet".into()))
}
