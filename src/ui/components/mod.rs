//! The app's components, one per file. They receive display-ready data and send intents as
//! callbacks; none computes a licence count.

pub mod charts;
pub mod detailed;
pub mod embed_panel;
pub mod field;
pub mod findings;
pub mod import;
pub mod inputs;
pub mod keep;
pub mod notice;
pub mod position;
pub mod prices;
pub mod privacy;
pub mod quick;
pub mod results;
pub mod why;
