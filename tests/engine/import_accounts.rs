//! Import of directory, usage and device exports: which accounts are one person, which devices
//! are one device (review 14).
