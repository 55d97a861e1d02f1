//! The position table's Microsoft 365 seat rows.

