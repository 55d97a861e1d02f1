//! Tests: examples (in progress).
