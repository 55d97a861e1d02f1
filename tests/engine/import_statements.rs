//! Import of licence statements and malformed CSV: what each row means, and what is never lost
//! silently (review 14).
