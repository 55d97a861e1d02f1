//! Files and prices that fail the check are opened to be repaired, not refused outright.

