//! The native command-line tool (in progress).
fn main() {}
