//! Tests: share (in progress).
