//! Which versions the editors offer, read from the engine's catalog (so a release added there
//! appears here without a UI change).

use crate::catalog::{self, Family};
use crate::estate::{CalProduct, ServerProduct};

/// Server releases of a product as sold, oldest first ("2012", "2012 R2", …).
pub fn server_versions(p: ServerProduct) -> Vec<&'static str> {
    catalog::server_versions(Family::of(p))
        .iter()
        .map(|v| v.name)
        .collect()
}

/// CAL generations of a CAL product, oldest first; empty for the version-less suites.
pub fn cal_versions(p: CalProduct) -> Vec<&'static str> {
    match catalog::product(p).family {
        Some(f) => catalog::cal_versions(f).iter().map(|v| v.name).collect(),
        None => Vec::new(),
    }
}
