//! Tests: optimise (in progress).
