//! Exports written in other locales: quantities with decimal or grouping separators, day-first
//! and year-first dates, read as their writer meant or refused with the line (the locale review
//! of session 22).
