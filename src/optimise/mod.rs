//! The optimiser: the least purchase cost that makes every access licensed, given what is owned.
//!
//! The engine (`rules`) turns an [`crate::estate::Estate`] into an [`Instance`]: classes of
//! identical people and devices, physical hosts, and per product the access edges that need a
//! licence. Coverage rules (cal-rules.md §1.3, §1.6, §1.10, §1.12, §5):
//! - internal access person → device is licensed if the person holds a User CAL or the device holds
//!   a Device CAL: a minimum-weight vertex cover on the bipartite person–device graph, solved
//!   exactly by max-flow/min-cut (König);
//! - external access person → host is licensed if the person holds a User CAL (covers every host)
//!   or the host holds an External Connector: the same structure on the person–host graph;
//! - an RD Session Host issues RDS CALs in one mode: per host a choice, per user or per device;
//! - a suite (Core/Enterprise CAL Suite, or Microsoft 365 E3/E5 held by the person) covers its
//!   contents for its user or device;
//! - owned licences cost nothing up to their quantity.
//!
//! This file holds the interface; the solver lives in the sibling modules: [`flow`] (max flow),
//! `model` (the cut graph and why it is exact), `solve` (the optimum read off the cut), `owned`
//! (owned licences: Lagrangian bound and primal heuristics), `exact` (branch and bound that makes
//! owned-licence answers exact for estates described by groups), `pair` (its leaves' split of the
//! people of a base and additive pair, such as Exchange Standard and Enterprise), `split` (part
//! of a class taking an owned licence that runs out inside it), `versions` (owned CALs of several
//! versions, each lot serving only subjects no newer than it: candidates and a bound for the
//! engine), [`synthetic`] (the benchmark estate).
//!
//! Exactness: without owned licences the answer is always the optimum (`exact: true`). With
//! owned licences the answer is proven optimal by branch and bound when no suite can be bought
//! and the instance is small enough for its budget, and for many estates with suites too; when
//! it is not, part of a class may take an owned licence that runs out inside it (`split`), which
//! closes most of the remaining gaps. Otherwise it is the best licensing found with
//! `exact: false` and a proven lower bound in `lower_bound_minor` (on 18,409 random small
//! instances with owned licences: 1.5 % unproven, 0.7 % above the brute-force optimum; on richer
//! estates with owned suites, additive CALs and RDS, 17 % unproven after the engine's
//! version-aware search, see docs/benchmarks.md). Suites
//! that do not nest (neither contains the other) are left out (`exact: false`, bound 0).

mod exact;
pub mod flow;
mod model;
mod owned;
mod pair;
mod solve;
mod split;
pub mod synthetic;
pub(crate) mod versions;

pub use solve::{solve, solve_with, solve_within};

/// How much of its search budget the optimiser may spend to prove its answer.
///
/// `Quick` runs the short Lagrangian search and a branch and bound of a few hundred cuts, and
/// skips the full search and the splitting of classes (`split`). It is meant for an answer while
/// the user types: an answer it proves (`exact: true`) is exactly the `Full` one (the same
/// searches, stopped at the same point); one it does not prove is a real licensing with an honest
/// lower bound, which `Full` may improve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Effort {
    /// Every search within its budget: the CLI, the JavaScript API, and the app once the user
    /// pauses.
    #[default]
    Full,
    /// The short searches only.
    Quick,
}

use crate::estate::{CalProduct, LicenceKind, RdsMode};
use serde::{Deserialize, Serialize};

/// A class of identical people: same kind, same own devices, same access.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonClass {
    /// For explanations: the group's name (or id when it has none), or the person id.
    pub label: String,
    /// How many identical people (1 for a person from exact usage links).
    pub multiplicity: u32,
    /// External users may be covered by External Connectors on the hosts they reach.
    pub external: bool,
    /// Devices each person uses on their own (not shared): the Device CAL alternative for the
    /// person is `own_devices` Device CALs. A person who accesses from their own devices has at
    /// least one: the optimiser reads 0 as 1.
    pub own_devices: u32,
    /// A suite every member holds already (Microsoft 365 E3 → Core CAL Suite rights,
    /// E5 → Enterprise CAL Suite rights), when the chosen reading grants equivalency.
    pub held_suite: Option<CalProduct>,
}

/// A class of identical shared devices (a pool), or one device from exact usage links.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceClass {
    pub label: String,
    pub multiplicity: u32,
}

/// A unit that takes one External Connector: a physical host, partition or blade (or a VM under
/// the per-VM reading).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostUnit {
    pub label: String,
}

/// Unit prices for one product, minor units; `None` where that licence does not exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct UnitPrices {
    pub user_cal: Option<i64>,
    pub device_cal: Option<i64>,
    pub external_connector: Option<i64>,
}

/// Owned licences usable for this instance (the caller has already kept only those whose version
/// covers the servers accessed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Owned {
    pub user_cals: u64,
    pub device_cals: u64,
    pub external_connectors: u64,
}

/// An RD Session Host and who reaches it from where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RdsHost {
    pub label: String,
    /// Fixed by the administrator, or `None` for the optimiser to choose.
    pub mode: Option<RdsMode>,
    /// Internal people classes using it from their own devices.
    pub people: Vec<usize>,
    /// (person class, shared device class) pairs using it.
    pub person_device: Vec<(usize, usize)>,
    /// External people classes reaching it (External Connector alternative on `host`).
    pub external_people: Vec<usize>,
    /// Index into [`Instance::hosts`] of the host it runs on.
    pub host: usize,
}

/// What one product needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductInstance {
    pub product: CalProduct,
    pub prices: UnitPrices,
    pub owned: Owned,
    /// Internal people classes that access the product from their own devices.
    pub people: Vec<usize>,
    /// Internal access through shared devices: (person class, device class).
    pub person_device: Vec<(usize, usize)>,
    /// External access: (person class, host unit).
    pub person_host: Vec<(usize, usize)>,
    /// Unattended devices that reach the product: Device CALs only.
    pub unattended_devices: Vec<usize>,
    /// For RDS only: per session host mode choice. When non-empty, `people`/`person_device`/
    /// `person_host` are empty and the demand is described here.
    pub rds_hosts: Vec<RdsHost>,
    /// If set, this product's CALs require a CAL of the base product for the same subjects
    /// (additive CAL); the base product's instance covers those subjects already.
    pub base: Option<CalProduct>,
    /// External people need no base User CAL for this additive product: the base product's own
    /// demand (a User CAL or the base External Connector on each host they reach) licenses their
    /// base access (the `external-connector` reading of an external user's additive base).
    #[serde(default)]
    pub external_base_by_connector: bool,
    /// Hosts holding an owned External Connector assigned to them (of a version the host
    /// needs): a connector there costs nothing and covers that host only. `owned` counts the
    /// unassigned ones, which may go to any host.
    #[serde(default)]
    pub owned_ec_hosts: Vec<usize>,
    /// (Additive product, host) where the host's owned connector of this product, among
    /// `owned_ec_hosts`, is too old to be the base of that product's connector there (a physical
    /// host whose VMs differ in version): such a connector needs one of this product bought
    /// beneath it.
    #[serde(default)]
    pub base_short: Vec<(CalProduct, usize)>,
    /// Hosts whose access to this (base) product the servers' own licence covers (pay-as-you-go
    /// Windows Server, cal-rules §1.8): an additive product's External Connector there needs no
    /// connector of this product.
    #[serde(default)]
    pub licensed_hosts: Vec<usize>,
    /// Shared device classes that reach this (base) product only through people whose access to
    /// it is licensed otherwise (Microsoft 365 user rights): such a device needs this product's
    /// Device CAL only as the base of an additive Device CAL it holds (§1.11, same device).
    #[serde(default)]
    pub base_only_devices: Vec<usize>,
    /// The same for person classes' own devices.
    #[serde(default)]
    pub base_only_own: Vec<usize>,
    /// Person classes that must hold this (base) product's User CAL: owned additive User CALs
    /// given to them outright (`split`) need it beneath them for the same person (§1.11).
    #[serde(default)]
    pub user_only: Vec<usize>,
    /// For an additive product: its CALs' base may be held by the other subject (the
    /// `either-subject` reading of §1.11): a person's base User CAL beneath a device's additive
    /// Device CAL and the reverse. The base product's own demand then licenses each access to it,
    /// and only an additive External Connector still asks the base's on its host.
    #[serde(default)]
    pub base_any_subject: bool,
}

impl ProductInstance {
    /// Whether an additive CAL held by people of class `p` needs the base User CAL of the same
    /// person (§1.11), given the reading of an external user's base.
    pub(crate) fn additive_needs_base_user(&self, people: &[PersonClass], p: usize) -> bool {
        let external_by_connector =
            self.external_base_by_connector && people.get(p).is_some_and(|c| c.external);
        !(self.base_any_subject || external_by_connector)
    }

    /// Whether this additive product's Device CALs need the base Device CAL on the same device
    /// (§1.11; not under the `either-subject` reading).
    pub(crate) fn additive_needs_base_device(&self) -> bool {
        !self.base_any_subject
    }

    /// How many of the External Connectors on `hosts` draw on the owned pool or are bought:
    /// those on hosts without an assigned owned connector.
    pub(crate) fn pool_connectors(&self, hosts: &[usize]) -> u64 {
        hosts
            .iter()
            .filter(|h| !self.owned_ec_hosts.contains(h))
            .count() as u64
    }

    /// The external people classes who reach this product on host `h` (an External Connector
    /// there is their alternative to CALs), with repeats.
    pub(crate) fn external_on<'a>(
        &'a self,
        people: &'a [PersonClass],
        h: usize,
    ) -> impl Iterator<Item = usize> + 'a {
        self.person_host
            .iter()
            .filter(move |&&(_, hh)| hh == h)
            .map(|&(c, _)| c)
            .chain(
                self.rds_hosts
                    .iter()
                    .filter(move |r| r.host == h)
                    .flat_map(move |r| r.external_users(people)),
            )
    }

    /// Whether people of class `p` access this product at all (the cut model has their node).
    pub(crate) fn reaches_person(&self, p: usize) -> bool {
        self.people.contains(&p)
            || self.person_device.iter().any(|&(c, _)| c == p)
            || self.person_host.iter().any(|&(c, _)| c == p)
            || self.rds_hosts.iter().any(|r| {
                r.people.contains(&p)
                    || r.external_people.contains(&p)
                    || r.person_device.iter().any(|&(c, _)| c == p)
            })
    }

    /// Whether people of class `p` access this product from their own devices (or their own
    /// devices are here to carry the base of an additive Device CAL).
    pub(crate) fn reaches_own_devices(&self, p: usize) -> bool {
        self.people.contains(&p)
            || self.base_only_own.contains(&p)
            || self.rds_hosts.iter().any(|r| r.people.contains(&p))
    }

    /// Whether shared devices of class `v` access this product (or are here to carry the base of
    /// an additive Device CAL).
    pub(crate) fn reaches_device(&self, v: usize) -> bool {
        self.unattended_devices.contains(&v)
            || self.base_only_devices.contains(&v)
            || self.person_device.iter().any(|&(_, d)| d == v)
            || self
                .rds_hosts
                .iter()
                .any(|r| r.person_device.iter().any(|&(_, d)| d == v))
    }
}

impl RdsHost {
    /// The external users of this session host: those who may take its RDS External Connector,
    /// and those licensed like its internal users (no RDS External Connector on sale).
    pub(crate) fn external_users<'a>(
        &'a self,
        people: &'a [PersonClass],
    ) -> impl Iterator<Item = usize> + 'a {
        self.external_people.iter().copied().chain(
            self.people
                .iter()
                .copied()
                .filter(|&c| people.get(c).is_some_and(|p| p.external)),
        )
    }
}

impl Instance {
    /// The index of the base product of additive product `k` (§1.11), if it is in the instance.
    pub(crate) fn base_of(&self, k: usize) -> Option<usize> {
        let base = self.products.get(k)?.base?;
        self.products
            .iter()
            .position(|q| q.product == base)
            .filter(|&b| b != k)
    }

    /// How many of product `k`'s External Connectors on `hosts` draw on the owned pool or are
    /// bought: [`ProductInstance::pool_connectors`], and one more on each host whose owned
    /// connector is too old to be the base of a connector an additive product has there
    /// (`additive_on(product, h)`; review 22b: a 2016 connector counted as the base of a 2022 RDS
    /// one). One per host, however many additive connectors stand on it.
    pub(crate) fn charged_connectors(
        &self,
        k: usize,
        hosts: &[usize],
        additive_on: impl Fn(CalProduct, usize) -> bool,
    ) -> u64 {
        let pr = &self.products[k];
        let short = hosts
            .iter()
            .filter(|&&h| (pr.base_short.iter()).any(|&(p, hh)| hh == h && additive_on(p, h)))
            .count() as u64;
        pr.pool_connectors(hosts) + short
    }

    /// Whether product `p` has a connector on host `h`, given each product's connector hosts.
    pub(crate) fn connector_on<'a>(
        &self,
        p: CalProduct,
        h: usize,
        hosts_of: impl Fn(usize) -> &'a [usize],
    ) -> bool {
        (self.products.iter().position(|q| q.product == p))
            .is_some_and(|j| hosts_of(j).contains(&h))
    }
}

/// A suite on offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuiteOffer {
    pub suite: CalProduct,
    /// The products one suite licence covers.
    pub covers: Vec<CalProduct>,
    pub user_price: Option<i64>,
    pub device_price: Option<i64>,
    pub owned_user: u64,
    pub owned_device: u64,
}

/// Options for priced alternatives (the scenarios of the comparison chart).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Options {
    pub allow_user_cals: bool,
    pub allow_device_cals: bool,
    pub allow_external_connectors: bool,
    pub allow_suites: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            allow_user_cals: true,
            allow_device_cals: true,
            allow_external_connectors: true,
            allow_suites: true,
        }
    }
}

/// The whole problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Instance {
    pub people: Vec<PersonClass>,
    pub devices: Vec<DeviceClass>,
    pub hosts: Vec<HostUnit>,
    pub products: Vec<ProductInstance>,
    pub suites: Vec<SuiteOffer>,
}

/// The optimiser's answer for one product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductSolution {
    pub product: CalProduct,
    /// For each person class: how many of its members get a User CAL of this product (not via a
    /// suite).
    pub user_cals_per_class: Vec<u32>,
    /// For each person class: how many of its members get their own devices' Device CALs.
    pub own_device_cals_per_class: Vec<u32>,
    /// For each shared device class: how many of its devices get a Device CAL.
    pub device_cals_per_class: Vec<u32>,
    /// Host units that get an External Connector.
    pub external_connector_hosts: Vec<usize>,
    /// For RDS: the mode used per session host (same order as `rds_hosts`).
    pub rds_modes: Vec<RdsMode>,
    /// Totals needed (owned + bought).
    pub user_cals: u64,
    pub device_cals: u64,
    pub external_connectors: u64,
    /// How many to buy after using owned ones.
    pub buy_user_cals: u64,
    pub buy_device_cals: u64,
    pub buy_external_connectors: u64,
    pub cost_minor: i64,
}

impl ProductSolution {
    /// A product licensed for no one: nothing needed, nothing bought.
    pub fn none(product: CalProduct) -> ProductSolution {
        ProductSolution {
            product,
            user_cals_per_class: Vec::new(),
            own_device_cals_per_class: Vec::new(),
            device_cals_per_class: Vec::new(),
            external_connector_hosts: Vec::new(),
            rds_modes: Vec::new(),
            user_cals: 0,
            device_cals: 0,
            external_connectors: 0,
            buy_user_cals: 0,
            buy_device_cals: 0,
            buy_external_connectors: 0,
            cost_minor: 0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuiteSolution {
    pub suite: CalProduct,
    pub kind: LicenceKind,
    /// Needed (owned + bought) and to buy.
    pub count: u64,
    pub buy: u64,
    pub cost_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Solution {
    pub products: Vec<ProductSolution>,
    pub suites: Vec<SuiteSolution>,
    /// Total purchase cost.
    pub cost_minor: i64,
    /// Proven lower bound; equals `cost_minor` when `exact`.
    pub lower_bound_minor: i64,
    pub exact: bool,
}

/// Why an instance could not be solved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OptimiseError {
    /// A product needs a licence kind that has no price and no alternative (e.g. only device access
    /// but device CALs disallowed).
    #[error("{product:?} cannot be licensed with the options allowed: {reason}")]
    Infeasible { product: CalProduct, reason: String },
    #[error("the instance refers to {what} {index}, which does not exist")]
    BadIndex { what: &'static str, index: usize },
    /// Quantities × prices beyond what integer minor units can add up safely.
    #[error("the quantities and prices are too large to add up exactly")]
    TooLarge,
}

/// The first `n` in `0..=total` where a convex `f` stops decreasing: its minimiser.
pub(crate) fn convex_argmin(total: u64, f: impl Fn(u64) -> i128) -> u64 {
    let (mut lo, mut hi) = (0u64, total);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if f(mid + 1) < f(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}
