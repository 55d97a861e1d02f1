//! Tests: rules (in progress).
