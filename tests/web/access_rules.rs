//! Access rules in detailed mode: features that need a server role (pre-sales review, session 23).
