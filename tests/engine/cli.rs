//! Tests: cli (in progress).
