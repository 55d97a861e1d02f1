//! Microsoft 365 E3/E5 seats in the Effective License Position: seats owned against the people
//! who use them as CAL equivalents (domain reference §1.13 and item 10).

