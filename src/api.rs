//! JavaScript API (in progress).
