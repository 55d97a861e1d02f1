//! Tests: position (in progress).
