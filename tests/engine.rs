//! The one native integration test binary: `cargo test --test engine`.
//! Each module is a licensing concept; tests read like the rule they check.
#![cfg(not(target_arch = "wasm32"))]

#[path = "engine/api_types.rs"]
mod api_types;
#[path = "engine/cli.rs"]
mod cli;
#[path = "engine/effort.rs"]
mod effort;
#[path = "engine/estate.rs"]
mod estate;
#[path = "engine/examples.rs"]
mod examples;
#[path = "engine/explain.rs"]
mod explain;
#[path = "engine/figures.rs"]
mod figures;
#[path = "engine/findings.rs"]
mod findings;
#[path = "engine/import.rs"]
mod import;
#[path = "engine/import_accounts.rs"]
mod import_accounts;
#[path = "engine/import_json.rs"]
mod import_json;
#[path = "engine/import_locale.rs"]
mod import_locale;
#[path = "engine/import_m365.rs"]
mod import_m365;
#[path = "engine/import_misread.rs"]
mod import_misread;
#[path = "engine/import_statements.rs"]
mod import_statements;
#[path = "engine/import_subscriptions.rs"]
mod import_subscriptions;
#[path = "engine/m365_position.rs"]
mod m365_position;
#[path = "engine/optimise.rs"]
mod optimise;
#[path = "engine/page_code.rs"]
mod page_code;
#[path = "engine/position.rs"]
mod position;
#[path = "engine/promises.rs"]
mod promises;
#[path = "engine/robustness.rs"]
mod robustness;
#[path = "engine/rules.rs"]
mod rules;
#[path = "engine/share.rs"]
mod share;
#[path = "engine/sort.rs"]
mod sort;
