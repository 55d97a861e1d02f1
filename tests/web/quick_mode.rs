//! Quick mode: what a first-minute user can express there (pre-sales review, session 23).
