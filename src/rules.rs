//! The licensing rules that turn an estate into demand: which people, devices and external users
//! need which product's CALs at which version, and the optimiser [`Instance`] that prices it.
//!
//! Rules applied (ids in [`crate::catalog::ids`]; sources in cal-rules.md):
//! - §1.1/§1.4/§5: a subject needs product P at the newest CAL generation of the servers it reaches
//!   (R2 = same generation); one CAL covers every server of the product;
//! - §1.2: people are physical people; unattended devices need Device CALs;
//! - §1.6: external users (partners, customers, offsite contractors) may instead be covered by an
//!   External Connector per physical host (per VM under the `per-vm` reading) for Windows Server,
//!   RDS and AD RMS; SQL Server has no EC; Exchange, SharePoint and Skype 2013+ need no CALs for
//!   external users;
//! - §1.7: multiplexing never reduces the count; manual-transfer-only recipients need none;
//! - §1.8: anonymous internet access, admin-only access (two per product), virtualisation-only
//!   hosts, Essentials (capped at 25 users / 50 devices) and pay-as-you-go Windows Server (no WS
//!   CALs, RDS still) are exempt;
//! - §1.10/§1.11: RDS, AD RMS and the Enterprise CALs are additive on their base CAL;
//! - §1.13: Microsoft 365 E3 gives Core CAL Suite rights, E5 Enterprise CAL Suite rights, per user
//!   (not for shared devices), subject to the purchase-channel reading;
//! - §1.16: SQL Server per core needs no SQL CALs; any product on Windows Server also needs WS CALs.

use crate::catalog::{self, ids, Family, PriceBook};
use crate::estate::{
    AdditiveBase, CalProduct, Date, Edition, Estate, ExternalAdditiveBase, ExternalConnectorScope,
    Feature, Group, LicenceKind, M365E3Rights, M365Equivalency, M365Plan, M365Printers,
    NetworkEquipment, PersonKind, PurchaseChannel, RdsMode, Server, ServerProduct, SharedDevices,
    SqlLicensing,
};
use crate::optimise::{
    DeviceClass, HostUnit, Instance, Owned, PersonClass, ProductInstance, RdsHost, SuiteOffer,
    UnitPrices,
};
use crate::vecmap::{VecMap, VecSet};
use std::collections::{BTreeMap, BTreeSet};

/// Essentials caps (cal-rules §1.14).
pub const ESSENTIALS_MAX_USERS: u64 = 25;
pub const ESSENTIALS_MAX_DEVICES: u64 = 50;
/// A usage device id with this prefix stands for the person's own (unlisted) devices.
pub const PERSONAL_DEVICE_PREFIX: &str = "personal:";

/// People per product who may administer without CALs (cal-rules §1.8.3).
pub const ADMIN_EXEMPT_PER_PRODUCT: u64 = 2;

/// One choice of the administrators exempt from a base product's CALs and its additive ones
/// (cal-rules §1.8 item 3), among [`Demand::admin_candidates`]: the (at most) two `exempt`, of
/// whom those in `keep_base` still hold the base product's CAL (exempt from the additive ones
/// only), so that their CAL covers the printers they use (§1.8 item 8). The exemption is a
/// right, not a duty: an exempt administrator holds no CAL, so the printers they use need Device
/// CALs of their own, which can cost more than the administrator's CAL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminPick {
    pub exempt: Vec<usize>,
    pub keep_base: Vec<usize>,
}

/// Where a person class comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassInfo {
    /// The group id.
    pub group: String,
    pub kind: PersonKind,
    /// Microsoft 365 plan whose CAL rights cover this class, if any.
    pub m365: Option<M365Plan>,
    /// A singleton split off an admin-only group (a candidate for the two-per-product exemption).
    pub admin_candidate: bool,
    /// A person listed in exact usage.
    pub from_usage: bool,
}

/// Why some subjects need no CAL of a product.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Exempt {
    pub anonymous: u64,
    pub admin: u64,
    pub manual_transfer: u64,
    pub m365: u64,
    pub external_by_server_licence: u64,
    /// People whose every access to the product is on servers that need no CAL of it (the
    /// servers listed below): domain review 21, G13's 80 pay-as-you-go users showed "No CAL
    /// needed 0".
    pub by_server: u64,
    pub payg_servers: Vec<String>,
    pub essentials_servers: Vec<String>,
    pub anonymous_servers: Vec<String>,
    pub virtualisation_hosts: Vec<String>,
    pub per_core_sql: Vec<String>,
}

impl Exempt {
    pub fn people(&self) -> u64 {
        self.anonymous
            + self.admin
            + self.manual_transfer
            + self.m365
            + self.external_by_server_licence
            + self.by_server
    }
}

/// What one product needs, beside the optimiser's view of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductDemand {
    pub product: CalProduct,
    pub family: Family,
    /// Required CAL rank per person class (index into `instance.people`).
    pub person_rank: BTreeMap<usize, u8>,
    /// Required CAL rank per device class (shared or unattended).
    pub device_rank: BTreeMap<usize, u8>,
    /// What `device_rank` is made of, but for RDS: per (device class, person class) the newest
    /// generation that person class reaches from those devices, and per device class the newest
    /// its unattended access reaches. A shared device needs a Device CAL only for the people
    /// on it whom no User CAL of their own covers (cal-rules §5: covered if the user holds a
    /// User CAL of the version, or every device he uses holds a Device CAL of it), so its
    /// generation depends on who is licensed how ([`Self::pool_cal_rank`]; review 39: kiosks
    /// shared by shift workers on a 2019 server and office staff with 2022 User CALs were held to
    /// 2022, and 4 owned 2019 Device CALs called unusable).
    /// Sorted by (device class, person class), each once: a list, not a `BTreeMap` of a key
    /// type of its own (0.7 KB gzip of node code in the app's module).
    pub pool_pair_rank: Vec<((usize, usize), u8)>,
    pub pool_fixed_rank: BTreeMap<usize, u8>,
    /// The rank the own devices of a person class need where it is not `person_rank`'s: RDS,
    /// where a session host fixed per device asks no User CAL and one fixed per user no Device
    /// CAL.
    pub own_rank: BTreeMap<usize, u8>,
    /// The generation a device (shared class) or a person class's own devices need when they
    /// carry this product's Device CAL only as the base of an additive one.
    pub base_only_rank: BTreeMap<usize, u8>,
    pub base_only_own_rank: BTreeMap<usize, u8>,
    /// Required EC rank per host unit reached by external users.
    pub host_rank: BTreeMap<usize, u8>,
    /// Windows Server: the rank a connector needs on a host as the base of an RDS or AD RMS
    /// connector (the version of the servers their external users reach there), where that is
    /// newer than `host_rank` asks or the host is absent from it (an Essentials server no
    /// external user of Windows Server reaches).
    pub base_host_rank: BTreeMap<usize, u8>,
    /// Windows Server: per additive product (RDS, AD RMS) and host, the rank a connector needs
    /// there as the base of that product's connector, where newer than `host_rank` asks (the
    /// parts of `base_host_rank`, which holds the newest of them).
    pub additive_host_rank: VecMap<(CalProduct, usize), u8>,
    /// Newest generation any subject needs.
    pub max_rank: u8,
    pub exempt: Exempt,
    /// Admin-only people beyond the two exempt ones.
    pub admin_over: u64,
    /// Administrators the exemption could have covered who are counted for this (base)
    /// product's CAL instead, since that CAL also covers the printers they use
    /// ([`AdminPick::keep_base`]); not in `admin_over`.
    pub admin_for_printers: u64,
    /// Rules that decided this product's demand.
    pub rules: VecSet<&'static str>,
    /// Front ends (multiplexing) people reach this product through.
    pub via: VecSet<String>,
    /// Servers of the product that subjects reach, with their version.
    pub servers: Vec<(String, String)>,
    /// A price was missing and the optimiser minimised counts instead of cost.
    pub missing_prices: Vec<LicenceKind>,
}

/// A shared device class's generation, part by part: its unattended access's, and each person
/// class's that uses it (class, generation).
type PoolParts = (Option<u8>, Vec<(usize, u8)>);

impl ProductDemand {
    /// The CAL version name that a rank stands for.
    pub fn version_name(&self, rank: u8) -> &'static str {
        catalog::cal_version_by_rank(self.family, rank)
            .map(|c| c.name)
            .unwrap_or("")
    }

    /// The CAL generation a User CAL of people of class `c` (and, but for RDS, a Device CAL of
    /// their own devices: [`Self::own_cal_rank`]) must be: the newest their access needs, else
    /// the newest anyone needs.
    pub fn person_cal_rank(&self, c: usize) -> u8 {
        (self.person_rank.get(&c).or(self.base_only_own_rank.get(&c)))
            .copied()
            .unwrap_or(self.max_rank)
    }

    /// The same for a Device CAL of each own device of the people of class `c`.
    pub fn own_cal_rank(&self, c: usize) -> u8 {
        (self.own_rank.get(&c))
            .or(self.person_rank.get(&c))
            .or(self.base_only_own_rank.get(&c))
            .copied()
            .unwrap_or(self.max_rank)
    }

    /// The same for a Device CAL of shared device class `v`, whoever uses the devices: the
    /// newest any of them reaches from there.
    pub fn device_cal_rank(&self, v: usize) -> u8 {
        (self.device_rank.get(&v).or(self.base_only_rank.get(&v)))
            .copied()
            .unwrap_or(self.max_rank)
    }

    /// The person classes that use shared device class `v` with the generation each reaches
    /// from there, when they and its unattended access make up its whole `device_rank`.
    fn pool_parts(&self, v: usize) -> Option<PoolParts> {
        let from = self.pool_pair_rank.partition_point(|e| e.0 .0 < v);
        let pairs: Vec<(usize, u8)> = (self.pool_pair_rank.get(from..).unwrap_or_default())
            .iter()
            .take_while(|e| e.0 .0 == v)
            .map(|&((_, c), r)| (c, r))
            .collect();
        let fixed = self.pool_fixed_rank.get(&v).copied();
        let whole = (pairs.iter().map(|p| p.1).chain(fixed)).max();
        (!pairs.is_empty() && whole == self.device_rank.get(&v).copied()).then_some((fixed, pairs))
    }

    /// The newest generation person class `c` reaches from shared device class `v`.
    pub fn pool_pair(&self, v: usize, c: usize) -> Option<u8> {
        (self
            .pool_pair_rank
            .binary_search_by_key(&(v, c), |e| e.0)
            .ok())
        .and_then(|i| self.pool_pair_rank.get(i))
        .map(|e| e.1)
    }

    /// Whether shared device class `v`'s generation is known per person class using it
    /// ([`Self::pool_cal_rank`]); else it is `device_cal_rank` whoever is licensed how.
    pub fn pool_ranks_known(&self, v: usize) -> bool {
        self.pool_parts(v).is_some()
    }

    /// The generation a Device CAL of shared device class `v` must be when the person classes
    /// for which `covered` holds are all licensed by User CALs of their own: the newest that its
    /// unattended access and the others reach from there. With nobody left, the oldest any of
    /// them reaches (the devices need no CAL then; the optimiser gives them none).
    pub fn pool_cal_rank(&self, v: usize, covered: impl Fn(usize) -> bool) -> u8 {
        let Some((fixed, pairs)) = self.pool_parts(v) else {
            return self.device_cal_rank(v);
        };
        let left = (pairs.iter().filter(|&&(c, _)| !covered(c)).map(|p| p.1)).max();
        match (fixed.max(left), self.base_only_rank.get(&v)) {
            (Some(r), _) => r,
            (None, Some(&b)) => b,
            (None, None) => pairs.iter().map(|p| p.1).min().unwrap_or(self.max_rank),
        }
    }

    /// The oldest generation [`Self::pool_cal_rank`] can ask of shared device class `v`, however
    /// its people are licensed: what a relaxation may charge it.
    pub fn pool_cal_rank_least(&self, v: usize) -> u8 {
        let Some((fixed, pairs)) = self.pool_parts(v) else {
            return self.device_cal_rank(v);
        };
        match fixed {
            Some(f) => f,
            None => (pairs.iter().map(|p| p.1))
                .chain(self.base_only_rank.get(&v).copied())
                .min()
                .unwrap_or(self.max_rank),
        }
    }

    /// The generation an External Connector on host unit `h` must be: the newest its external
    /// users reach, else (Windows Server under an RDS or AD RMS connector) the newest their
    /// additive access there reaches, else the newest anyone needs. The optimiser's instance,
    /// its relaxations and the position all ask this (review 22: a 2022 connector on a 2019
    /// Essentials host was held to 2025, the version of another server, and $1,600 of RDS CALs
    /// were bought beside it).
    pub fn connector_rank(&self, h: usize) -> u8 {
        (self.host_rank.get(&h).or(self.base_host_rank.get(&h)))
            .copied()
            .unwrap_or(self.max_rank)
    }

    /// The generation a Windows Server connector on host unit `h` must be when it is also the
    /// base of product `p`'s connector there (RDS, AD RMS): the newer of `connector_rank` and what
    /// that product's servers there ask.
    pub fn base_connector_rank(&self, h: usize, p: CalProduct) -> u8 {
        let base = self.additive_host_rank.get(&(p, h)).copied().unwrap_or(0);
        self.connector_rank(h).max(base)
    }
}

/// The Essentials check for one server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EssentialsUse {
    pub server: String,
    pub users: u64,
    pub devices: u64,
}

impl EssentialsUse {
    pub fn exceeded(&self) -> bool {
        self.users > ESSENTIALS_MAX_USERS || self.devices > ESSENTIALS_MAX_DEVICES
    }
}

/// The estate turned into demand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Demand {
    pub instance: Instance,
    pub classes: Vec<ClassInfo>,
    pub products: Vec<ProductDemand>,
    pub prices: PriceBook,
    pub today: Date,
    pub essentials: Vec<EssentialsUse>,
    /// Microsoft 365 plans with fewer seats than people flagged.
    pub m365_short: Vec<M365Short>,
    /// Microsoft 365 equivalency withheld under the volume-licensing-only reading.
    pub m365_withheld: bool,
    /// Per Microsoft 365 plan owned or flagged, its seats and whom the demand seated: for the
    /// position's seat rows (cal-rules §4.2 item 10), so that they show what the classes say.
    pub m365_seats: Vec<M365Seats>,
    /// The Exchange and SharePoint Enterprise CALs that Microsoft 365 E3 users need: where the
    /// E3 reading (`M365E3Rights`) decides the count.
    pub m365_e3_enterprise: Vec<CalProduct>,
    /// Unattended pools (index into the estate's shared devices) whose people cover them only
    /// with their Microsoft 365 rights, and the products concerned: where the printers reading
    /// (`M365Printers`) decides whether they need Device CALs.
    pub m365_printers: Vec<(usize, Vec<CalProduct>)>,
    /// Pools of network equipment (index into the estate's shared devices, marked `network`)
    /// and the products of the servers they authenticate to: where the `network_equipment`
    /// reading decides whether they need Device CALs.
    pub network_pools: Vec<(usize, Vec<CalProduct>)>,
    /// Access to servers whose CAL version came out after `today`, left out of the demand:
    /// per product, (server id, the server's version).
    pub unreleased: Vec<(CalProduct, Vec<(String, String)>)>,
    /// The host unit label of each server id.
    pub server_unit: VecMap<String, usize>,
    /// External classes that reach a product with an External Connector (Windows Server, RDS,
    /// AD RMS) from the organisation's shared devices, as (class, product): their access there
    /// is licensed by a User CAL, the device's Device CAL or a connector on the host. This
    /// demand records it as [`demand_with`] was asked (person–device edges for the pairs named,
    /// person–host edges for the others); the engine prices the variants.
    pub shared_external: Vec<(usize, CalProduct)>,
    /// Whether, for every pair of `shared_external`, a licensing that gives the class no User
    /// CAL licenses either all the devices or all the hosts of its access (each device reaches
    /// each host, no own devices, one session host for RDS): the cheapest of every combination
    /// of the two variants is then the least cost.
    pub shared_external_exact: bool,
    /// The products for which a choice was made of which administrators the two-per-product
    /// exemption covers: more than two admin candidates need their CAL (each admin-only group
    /// gives at most two, alike). One choice covers a base product and its additive ones (the
    /// exemption belongs to the server software, and an additive CAL needs its base), keyed by
    /// the base product. Per such product, its family's candidates (person classes of one
    /// member each) in sets of interchangeable ones: same group, same access. Unless
    /// [`demand_with_admins`] named the two, those whose licensing would cost the most were
    /// exempted (`Collector::settle_admins`), a rule of thumb: the least cost of this demand is
    /// proven for that choice only, and the engine prices the others. Empty when no choice was
    /// made. A choice is also made where an admin candidate uses printers (see
    /// [`Demand::admin_printing`]), however few the candidates.
    pub admin_candidates: VecMap<CalProduct, Vec<Vec<usize>>>,
    /// Per base product of [`Demand::admin_candidates`], its candidates who need its CAL and
    /// use printers reaching a server that asks it (pools `shared_by` their group, cal-rules
    /// §1.8 item 8) which their users' CALs can cover, with those pools (device classes of
    /// `instance`): exempting one of them takes away a CAL that would cover those printers, so
    /// for them keeping the base product's CAL ([`AdminPick::keep_base`]) is a choice too.
    /// Exempting any other candidate never costs more than licensing them.
    pub admin_printing: VecMap<CalProduct, BTreeMap<usize, BTreeSet<usize>>>,
    /// Per base product of [`Demand::admin_candidates`] (unless [`demand_with_admins`] named
    /// them): the pair the rule of thumb exempted, those whose exemption saves the most, which
    /// keeps the base product's CAL of those of them who print (their CAL then covers their
    /// printers); then, if other, the pair whose CALs would cost the most.
    pub admin_exempt: VecMap<CalProduct, Vec<Vec<usize>>>,
}

impl Demand {
    pub fn product(&self, p: CalProduct) -> Option<(usize, &ProductDemand)> {
        self.products
            .iter()
            .enumerate()
            .find(|(_, d)| d.product == p)
    }
}

/// The CAL generation of a server `version` of family `f` (0 when unknown).
pub(crate) fn rank_of(f: Family, version: &str) -> u8 {
    catalog::cal_version(f, version)
        .map(|c| c.rank)
        .unwrap_or(0)
}

/// The SQL licensing in force: as set, else per core for Enterprise and Server+CAL for Standard.
pub fn sql_licensing(s: &Server) -> SqlLicensing {
    s.sql_licensing
        .unwrap_or(if s.edition == Edition::Enterprise {
            SqlLicensing::PerCore
        } else {
            SqlLicensing::ServerCal
        })
}

/// One CAL a server asks of whoever accesses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Need {
    product: CalProduct,
    rank: u8,
}

/// Why a server asks nothing of a product it would otherwise need.
enum ServerExempt {
    Payg,
    Essentials,
    Anonymous,
    Virtualisation,
    PerCoreSql,
}

/// The version of `s` that a need for `product` follows, for explanations: the Windows Server it
/// runs on for Windows Server, RDS and AD RMS CALs (review: Windows Server's users were said to
/// reach "exch (2019)", Exchange's version, for an Exchange server on Windows Server 2022).
fn version_for(s: &Server, product: CalProduct) -> String {
    let windows = matches!(
        product,
        CalProduct::WindowsServer | CalProduct::Rds | CalProduct::AdRms
    );
    match (
        &s.windows_version,
        windows && s.product != ServerProduct::WindowsServer,
    ) {
        (Some(v), true) => v.clone(),
        _ => s.version.clone(),
    }
}

/// What accessing `s` with `features` requires, and the server-level exemptions met.
fn server_needs(
    s: &Server,
    features: &[Feature],
    essentials_exceeded: &VecSet<String>,
) -> (Vec<Need>, Vec<(CalProduct, ServerExempt)>) {
    let mut needs = Vec::new();
    let mut exempt = Vec::new();
    let fam = Family::of(s.product);
    if s.anonymous_only {
        exempt.push((base_product(s.product), ServerExempt::Anonymous));
        return (needs, exempt);
    }
    if s.virtualization_only {
        exempt.push((CalProduct::WindowsServer, ServerExempt::Virtualisation));
        return (needs, exempt);
    }
    let windows_version = if s.product == ServerProduct::WindowsServer {
        Some(s.version.as_str())
    } else {
        s.windows_version.as_deref()
    };
    if let Some(wv) = windows_version {
        let r = rank_of(Family::WindowsServer, wv);
        let essentials = s.edition == Edition::Essentials && !essentials_exceeded.contains(&s.id);
        if s.pay_as_you_go {
            exempt.push((CalProduct::WindowsServer, ServerExempt::Payg));
        } else if essentials {
            exempt.push((CalProduct::WindowsServer, ServerExempt::Essentials));
        } else {
            needs.push(Need {
                product: CalProduct::WindowsServer,
                rank: r,
            });
        }
        if s.rds_session_host && features.contains(&Feature::RemoteDesktop) {
            needs.push(Need {
                product: CalProduct::Rds,
                rank: r,
            });
        }
        if features.contains(&Feature::AdRms) {
            needs.push(Need {
                product: CalProduct::AdRms,
                rank: r,
            });
        }
    }
    let r = rank_of(fam, &s.version);
    match s.product {
        ServerProduct::WindowsServer => {}
        ServerProduct::SqlServer => {
            if sql_licensing(s) == SqlLicensing::ServerCal {
                needs.push(Need {
                    product: CalProduct::SqlServer,
                    rank: r,
                });
            } else {
                exempt.push((CalProduct::SqlServer, ServerExempt::PerCoreSql));
            }
        }
        ServerProduct::Exchange => {
            needs.push(Need {
                product: CalProduct::ExchangeStandard,
                rank: r,
            });
            if features.contains(&Feature::ExchangeEnterprise) {
                needs.push(Need {
                    product: CalProduct::ExchangeEnterprise,
                    rank: r,
                });
            }
        }
        ServerProduct::SharePoint => {
            needs.push(Need {
                product: CalProduct::SharePointStandard,
                rank: r,
            });
            if features.contains(&Feature::SharePointEnterprise) {
                needs.push(Need {
                    product: CalProduct::SharePointEnterprise,
                    rank: r,
                });
            }
        }
        ServerProduct::SkypeForBusiness => {
            needs.push(Need {
                product: CalProduct::SkypeStandard,
                rank: r,
            });
            if features.contains(&Feature::SkypeEnterprise) {
                needs.push(Need {
                    product: CalProduct::SkypeEnterprise,
                    rank: r,
                });
            }
        }
    }
    (needs, exempt)
}

fn base_product(p: ServerProduct) -> CalProduct {
    match p {
        ServerProduct::WindowsServer => CalProduct::WindowsServer,
        ServerProduct::SqlServer => CalProduct::SqlServer,
        ServerProduct::Exchange => CalProduct::ExchangeStandard,
        ServerProduct::SharePoint => CalProduct::SharePointStandard,
        ServerProduct::SkypeForBusiness => CalProduct::SkypeStandard,
    }
}

/// Whether a Microsoft 365 plan's CAL equivalency covers a product (cal-rules §1.12, §1.13): E5
/// as the Enterprise CAL Suite; E3 as the Core CAL Suite plus, in Microsoft's reading, the
/// Exchange and SharePoint Enterprise CALs.
pub(crate) fn m365_covers(plan: M365Plan, reading: M365E3Rights, p: CalProduct) -> bool {
    match plan {
        M365Plan::E5 => catalog::suite_contents(CalProduct::EnterpriseCalSuite).contains(&p),
        M365Plan::E3 => {
            catalog::suite_contents(CalProduct::CoreCalSuite).contains(&p)
                || (reading == M365E3Rights::StandardAndEnterprise && E3_ENTERPRISE.contains(&p))
        }
    }
}

/// The Enterprise CALs that Microsoft's texts give Microsoft 365 E3 and the practitioners'
/// Core CAL Suite shorthand does not. Not the Skype for Business Enterprise CAL: no Microsoft
/// text at hand gives it to E3, and Skype for Business Online, the E3 service it would come
/// with, was retired in 2021 (review 15, question 2): counting it could overstate rights.
pub const E3_ENTERPRISE: [CalProduct; 2] = [
    CalProduct::ExchangeEnterprise,
    CalProduct::SharePointEnterprise,
];

/// Whether the chosen reading grants CAL equivalency to seats bought through `channel`.
pub fn m365_equivalency_applies(reading: M365Equivalency, channel: PurchaseChannel) -> bool {
    match reading {
        M365Equivalency::AllChannels => true,
        M365Equivalency::VolumeLicensingOnly => matches!(
            channel,
            PurchaseChannel::EnterpriseAgreement
                | PurchaseChannel::Mpsa
                | PurchaseChannel::OpenValue
        ),
    }
}

/// Per product, the demand being collected.
#[derive(Default)]
struct Acc {
    people: BTreeSet<usize>,
    person_device: BTreeSet<(usize, usize)>,
    person_host: BTreeSet<(usize, usize)>,
    unattended: BTreeSet<usize>,
    rds: VecMap<String, RdsAcc>,
    person_rank: BTreeMap<usize, u8>,
    device_rank: BTreeMap<usize, u8>,
    /// (device class, person class) and a generation reached, as met: sorted and merged when
    /// the product's demand is made.
    pool_pair_rank: Vec<((usize, usize), u8)>,
    pool_fixed_rank: BTreeMap<usize, u8>,
    host_rank: BTreeMap<usize, u8>,
    /// RDS: the generation person classes' own devices need, from the session hosts that can
    /// issue Device CALs (not fixed per user).
    own_rank: BTreeMap<usize, u8>,
    /// RDS: the generation of access no CAL of that subject can license (a User CAL at a host
    /// fixed per device, a Device CAL at one fixed per user): it names the subject as reaching
    /// the product, but sets its generation only when nothing else does.
    person_rank_idle: BTreeMap<usize, u8>,
    device_rank_idle: BTreeMap<usize, u8>,
    exempt: Exempt,
    admin_used: BTreeSet<usize>,
    admin_over_classes: BTreeSet<usize>,
    /// Admin candidates counted for this product's CAL for their printers' sake
    /// ([`AdminPick::keep_base`]).
    admin_kept: BTreeSet<usize>,
    rules: VecSet<&'static str>,
    via: VecSet<String>,
    servers: VecMap<String, String>,
    anonymous_classes: BTreeSet<usize>,
    m365_classes: BTreeSet<usize>,
    /// Classes that reach a server needing no CAL of the product (pay-as-you-go, Essentials,
    /// anonymous-only, virtualisation-only, SQL per core).
    server_exempt_classes: BTreeSet<usize>,
    /// Shared devices and person classes' own devices reached only by people whose access is
    /// licensed by Microsoft 365: candidates for the base Device CAL of an additive one.
    base_only_device: BTreeMap<usize, u8>,
    base_only_own: BTreeMap<usize, u8>,
    ext_classes: BTreeSet<usize>,
    manual_classes: BTreeSet<(usize, String)>,
}

#[derive(Default)]
struct RdsAcc {
    people: BTreeSet<usize>,
    person_device: BTreeSet<(usize, usize)>,
    external: BTreeSet<usize>,
}

fn bump(map: &mut BTreeMap<usize, u8>, k: usize, r: u8) {
    let e = map.entry(k).or_insert(r);
    *e = (*e).max(r);
}

/// `pairs` sorted by key, each key once with the newest generation given for it.
fn newest_per_key(mut pairs: Vec<((usize, usize), u8)>) -> Vec<((usize, usize), u8)> {
    crate::sort::sort_by_key(&mut pairs, |e| e.0);
    let mut out: Vec<((usize, usize), u8)> = Vec::with_capacity(pairs.len());
    for (k, r) in pairs {
        match out.last_mut() {
            Some(last) if last.0 == k => last.1 = last.1.max(r),
            _ => out.push((k, r)),
        }
    }
    out
}

/// Person classes and where they come from.
struct People<'e> {
    people: Vec<PersonClass>,
    classes: Vec<ClassInfo>,
    /// The classes of each group (Microsoft 365 part, admin singletons, the rest).
    by_group: BTreeMap<&'e str, Vec<usize>>,
    /// The class of each person listed in exact usage.
    by_usage_person: BTreeMap<&'e str, usize>,
    m365_short: Vec<M365Short>,
    m365_seats: Vec<M365Seats>,
}

/// A Microsoft 365 plan with fewer seats than the people flagged as holding it, so that people
/// of the organisation are counted for CALs without one; and who.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct M365Short {
    pub plan: M365Plan,
    pub flagged: u64,
    pub seats: u64,
    /// The groups whose people are counted without a seat, with how many of them, in the order
    /// of the estate's groups (never empty).
    pub unseated: Vec<(String, u64)>,
    /// The groups of external users flagged with the plan, with their counts: the demand gives
    /// them no seat (their access is licensed as external users'), so they are counted for CALs
    /// too (the seat row's [`M365Seats::external`]).
    pub external: Vec<(String, u64)>,
}

/// One Microsoft 365 plan's seats as the demand used them: what the estate states and says, and
/// how many people the classes license by a seat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct M365Seats {
    pub plan: M365Plan,
    /// The seats the organisation states it owns; 0 when it states none (the groups' flags are
    /// then taken as the claim).
    pub stated: u64,
    /// People in the groups marked as holding the plan, listed in usage or not.
    pub flagged: u64,
    /// Of them, external users: the demand gives them no seat (their access is licensed as
    /// external users').
    pub external: u64,
    /// People whose access the seats license as CAL equivalents: the members of the classes
    /// carrying the plan (0 when the purchase-channel reading withholds equivalency).
    pub seated: u64,
    /// The CALs the plan stands for under the chosen E3 reading, in catalogue order.
    pub covers: Vec<CalProduct>,
    /// The purchase-channel reading withholds the seats' CAL equivalency.
    pub withheld: bool,
}

/// Whether group `g` uses a pool of shared devices that holds any. An empty one (quick mode
/// writes one as soon as "People who only use shared devices" is typed) is not a device they
/// reach servers from (pre-sales review 23: 40 people at 0 shared devices needed nothing).
pub(crate) fn uses_shared_devices(estate: &Estate, g: &Group) -> bool {
    estate
        .shared_devices
        .iter()
        .any(|d| !d.unattended && d.count > 0 && d.shared_by.contains(&g.id))
}

/// Devices a group member uses on their own: as given, or 1 when the group has neither own nor
/// shared devices (people reach servers from some device).
fn own_devices(estate: &Estate, g: &Group) -> u32 {
    if g.devices_each == 0 && !uses_shared_devices(estate, g) {
        1
    } else {
        g.devices_each
    }
}

/// What a member of group `g` would cost in CALs of the products Microsoft 365 `plan` covers,
/// were they without a seat: per product they reach, the cheaper of a User CAL and Device CALs
/// for their own devices and their share of the shared devices they use (unknown prices count
/// as nothing). Used only to decide who gets too few seats first.
fn cal_cost_per_person(estate: &Estate, g: &Group, plan: M365Plan, prices: &PriceBook) -> i64 {
    let reading = estate.organisation.readings.m365_e3_rights;
    let mut products: VecSet<CalProduct> = VecSet::new();
    for row in estate.access.iter().filter(|r| r.groups.contains(&g.id)) {
        for s in row
            .servers
            .iter()
            .filter_map(|id| estate.servers.iter().find(|s| &s.id == id))
        {
            let (needs, _) = server_needs(s, &row.features, &VecSet::new());
            products.extend(
                needs
                    .iter()
                    .map(|n| n.product)
                    .filter(|&p| m365_covers(plan, reading, p)),
            );
        }
    }
    // Devices per person, in thousandths: their own, and each shared device's share.
    let mut devices = i64::from(own_devices(estate, g)) * 1000;
    for d in estate
        .shared_devices
        .iter()
        .filter(|d| !d.unattended && d.shared_by.contains(&g.id))
    {
        devices += pool_share(estate, d);
    }
    products
        .iter()
        .map(|&p| cheaper_cal(prices, p, Some(devices)))
        .fold(0i64, i64::saturating_add)
}

/// A shared pool's devices per person who shares it, in thousandths.
fn pool_share(estate: &Estate, d: &SharedDevices) -> i64 {
    let sharers: i64 = estate
        .groups
        .iter()
        .filter(|o| d.shared_by.contains(&o.id))
        .map(|o| i64::from(o.count))
        .sum();
    i64::from(d.count) * 1000 / sharers.max(1)
}

/// What one person would cost in product `p`'s CALs, in thousandths of a minor unit: the cheaper
/// of a User CAL and Device CALs for `devices` (thousandths of a device; `None` when no Device
/// CAL can license them); unknown prices count as nothing.
fn cheaper_cal(prices: &PriceBook, p: CalProduct, devices: Option<i64>) -> i64 {
    let user = prices
        .get(p, LicenceKind::UserCal)
        .map(|u| u.saturating_mul(1000));
    let device = devices.and_then(|n| {
        prices
            .get(p, LicenceKind::DeviceCal)
            .map(|d| d.saturating_mul(n))
    });
    match (user, device) {
        (Some(u), Some(d)) => u.min(d),
        (Some(x), None) | (None, Some(x)) => x,
        (None, None) => 0,
    }
}

/// Who gets the seats when there are too few (the plans in `short`): the employee groups
/// flagged for them, by index, with the most seats each may hold: those named in
/// [`M365::seat_holders`] first, in its order, as many as it says; then those whose people would
/// cost the most in CALs without one (review 17: they went in the file's order, so swapping two
/// groups changed the purchase from $116 to $2,970), as many as they have people. Seats go to
/// people, and the estate does not say which; the `m365-seats-short` finding names the groups
/// counted without, and the engine prices other choices ([`m365_seat_contenders`]).
///
/// [`M365::seat_holders`]: crate::estate::M365::seat_holders
fn seat_order(
    estate: &Estate,
    equivalency: bool,
    prices: &PriceBook,
    short: &[M365Plan],
) -> Vec<(usize, u64)> {
    let mut order: Vec<(usize, i64)> = Vec::new();
    for (i, g) in estate.groups.iter().enumerate() {
        if let Some(plan) = g.m365.filter(|_| equivalency && !g.kind.is_external()) {
            if short.contains(&plan) {
                order.push((i, cal_cost_per_person(estate, g, plan, prices)));
            }
        }
    }
    let named = &estate.organisation.m365.seat_holders;
    let at = |i: usize| (named.iter()).position(|(id, _)| *id == estate.groups[i].id);
    crate::sort::sort_by_key(&mut order, |&(i, cost)| {
        (at(i).unwrap_or(usize::MAX), std::cmp::Reverse(cost), i)
    });
    (order.into_iter())
        .map(|(i, _)| (i, at(i).map_or(u64::MAX, |k| named[k].1)))
        .collect()
}

/// People listed in exact usage, per group id.
fn listed_per_group(estate: &Estate) -> BTreeMap<&str, u32> {
    (estate.usage.iter())
        .flat_map(|u| u.people.iter())
        .fold(BTreeMap::new(), |mut m, p| {
            *m.entry(p.group.as_str()).or_default() += 1;
            m
        })
}

/// A group competing for too few Microsoft 365 seats ([`m365_seat_contenders`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeatContender {
    pub group: String,
    /// Its people who may hold a seat (those listed in usage are seated after the groups).
    pub people: u64,
    /// An administrators-only group: two of its people may be exempt from CALs unseated.
    pub admin_only: bool,
}

/// The employee groups with people to seat that compete for a Microsoft 365 plan's seats, too
/// few for everyone flagged where the seats count as CALs: per such plan with two or more, its
/// seats and the groups, in the order the rule of thumb seats them ([`seat_order`]). Which of
/// them hold the seats is a choice the estate leaves open; the engine prices several.
pub fn m365_seat_contenders(estate: &Estate) -> Vec<(u64, Vec<SeatContender>)> {
    let org = &estate.organisation;
    if !m365_equivalency_applies(org.readings.m365_equivalency, org.m365.channel) {
        return Vec::new();
    }
    let listed = listed_per_group(estate);
    let prices = PriceBook::for_organisation(org);
    let mut out = Vec::new();
    for (plan, seats) in [
        (M365Plan::E3, org.m365.e3_seats),
        (M365Plan::E5, org.m365.e5_seats),
    ] {
        let flagged: u64 = (estate.groups.iter())
            .filter(|g| g.m365 == Some(plan))
            .map(|g| u64::from(g.count))
            .sum();
        if seats == 0 || u64::from(seats) >= flagged {
            continue;
        }
        let groups: Vec<SeatContender> = seat_order(estate, true, &prices, &[plan])
            .into_iter()
            .map(|(i, _)| &estate.groups[i])
            .map(|g| SeatContender {
                group: g.id.clone(),
                people: u64::from(
                    (g.count).saturating_sub(listed.get(g.id.as_str()).copied().unwrap_or(0)),
                ),
                admin_only: g.admin_only,
            })
            .filter(|c| c.people > 0)
            .collect();
        if groups.len() > 1 {
            out.push((u64::from(seats), groups));
        }
    }
    out
}

/// Splits each group into classes of identical people: the part covered by Microsoft 365 seats,
/// up to two admin singletons (candidates for the two-per-product exemption), the rest; and one
/// class per person listed in exact usage.
fn person_classes<'e>(estate: &'e Estate, equivalency: bool, prices: &PriceBook) -> People<'e> {
    let org = &estate.organisation;
    let mut people: Vec<PersonClass> = Vec::new();
    let mut classes: Vec<ClassInfo> = Vec::new();
    let mut by_group: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let mut by_usage_person: BTreeMap<&str, usize> = BTreeMap::new();
    let listed = listed_per_group(estate);
    let mut seats_left: VecMap<M365Plan, u64> = VecMap::new();
    seats_left.insert(M365Plan::E3, u64::from(org.m365.e3_seats));
    seats_left.insert(M365Plan::E5, u64::from(org.m365.e5_seats));
    let mut flagged: VecMap<M365Plan, u64> = VecMap::new();
    for g in &estate.groups {
        if let Some(plan) = g.m365 {
            *flagged.entry(plan).or_default() += u64::from(g.count);
        }
    }
    let mut m365_short = Vec::new();
    for (plan, n) in &flagged {
        let seats = seats_left.get(plan).copied().unwrap_or(0);
        // No seat count given: the flags on the groups are the claim.
        if seats == 0 {
            seats_left.insert(*plan, *n);
        } else if seats < *n {
            m365_short.push(M365Short {
                plan: *plan,
                flagged: *n,
                seats,
                unseated: Vec::new(),
                external: estate
                    .groups
                    .iter()
                    .filter(|g| g.m365 == Some(*plan) && g.kind.is_external() && g.count > 0)
                    .map(|g| (g.shown_name().to_string(), u64::from(g.count)))
                    .collect(),
            });
        }
    }
    let short: Vec<M365Plan> = m365_short.iter().map(|m| m.plan).collect();
    let mut seated: BTreeMap<usize, u32> = BTreeMap::new();
    for (i, most) in seat_order(estate, equivalency, prices, &short) {
        let g = &estate.groups[i];
        let Some(plan) = g.m365 else { continue };
        let rest = g
            .count
            .saturating_sub(listed.get(g.id.as_str()).copied().unwrap_or(0));
        let left = seats_left.entry(plan).or_insert(0);
        let covered = u32::try_from((*left).min(u64::from(rest)).min(most)).unwrap_or(rest);
        *left -= u64::from(covered);
        seated.insert(i, covered);
    }
    let push_class = |people: &mut Vec<PersonClass>,
                      classes: &mut Vec<ClassInfo>,
                      g: &Group,
                      n: u32,
                      m365: Option<M365Plan>,
                      admin_candidate: bool,
                      from_usage: bool,
                      label: String|
     -> usize {
        people.push(PersonClass {
            label,
            multiplicity: n,
            external: g.kind.is_external(),
            own_devices: own_devices(estate, g),
            held_suite: None,
        });
        classes.push(ClassInfo {
            group: g.id.clone(),
            kind: g.kind,
            m365,
            admin_candidate,
            from_usage,
        });
        people.len() - 1
    };
    for (gi, g) in estate.groups.iter().enumerate() {
        let listed_n = listed.get(g.id.as_str()).copied().unwrap_or(0);
        let mut rest = g.count.saturating_sub(listed_n);
        let mut idx = Vec::new();
        let plan = g.m365.filter(|_| equivalency && !g.kind.is_external());
        if let Some(plan) = plan {
            let covered = match seated.get(&gi) {
                Some(&n) => n,
                None => {
                    let left = seats_left.entry(plan).or_insert(0);
                    let covered = u32::try_from((*left).min(u64::from(rest))).unwrap_or(rest);
                    *left -= u64::from(covered);
                    covered
                }
            };
            if covered < rest {
                if let Some(m) = m365_short.iter_mut().find(|m| m.plan == plan) {
                    m.unseated
                        .push((g.shown_name().to_string(), u64::from(rest - covered)));
                }
            }
            // A seated administrator keeps the two-per-product exemption for the products
            // Microsoft 365 does not cover (SQL Server, RDS, AD RMS; cal-rules §1.8 item 3):
            // adding Microsoft 365 rights must never raise the cost (metamorphic review 29: one
            // admin-only person on SQL Server cost $0, and $230 once flagged E3). The unseated
            // members are the candidates first, since the exemption spares them the products
            // Microsoft 365 covers as well; seated ones fill the group's two.
            let seated_admins = if g.admin_only {
                let unseated = (rest - covered).min(ADMIN_EXEMPT_PER_PRODUCT as u32);
                covered.min(ADMIN_EXEMPT_PER_PRODUCT as u32 - unseated)
            } else {
                0
            };
            for k in 0..seated_admins {
                let label = format!(
                    "{} (admin {}, Microsoft 365 {:?})",
                    g.shown_name(),
                    k + 1,
                    plan
                );
                idx.push(push_class(
                    &mut people,
                    &mut classes,
                    g,
                    1,
                    Some(plan),
                    true,
                    false,
                    label,
                ));
            }
            let others = covered - seated_admins;
            if others > 0 {
                let label = format!("{} ({} Microsoft 365 {:?})", g.shown_name(), others, plan);
                idx.push(push_class(
                    &mut people,
                    &mut classes,
                    g,
                    others,
                    Some(plan),
                    false,
                    false,
                    label,
                ));
            }
            rest -= covered;
        }
        if g.admin_only {
            for k in 0..rest.min(ADMIN_EXEMPT_PER_PRODUCT as u32) {
                let label = format!("{} (admin {})", g.shown_name(), k + 1);
                idx.push(push_class(
                    &mut people,
                    &mut classes,
                    g,
                    1,
                    None,
                    true,
                    false,
                    label,
                ));
            }
            rest = rest.saturating_sub(ADMIN_EXEMPT_PER_PRODUCT as u32);
        }
        if rest > 0 {
            idx.push(push_class(
                &mut people,
                &mut classes,
                g,
                rest,
                None,
                false,
                false,
                g.shown_name().to_string(),
            ));
        }
        by_group.insert(g.id.as_str(), idx);
    }
    if let Some(u) = &estate.usage {
        let groups = by_id(&estate.groups, |g| g.id.as_str());
        for p in &u.people {
            if let Some(g) = groups.get(p.group.as_str()).copied() {
                // A person listed in usage holds a seat while there is one left, like the
                // rest of their group.
                let mut plan = g.m365.filter(|_| equivalency && !g.kind.is_external());
                if let Some(pl) = plan {
                    let left = seats_left.entry(pl).or_insert(0);
                    if *left == 0 {
                        plan = None;
                        if let Some(m) = m365_short.iter_mut().find(|m| m.plan == pl) {
                            let name = g.shown_name().to_string();
                            match m.unseated.iter_mut().find(|u| u.0 == name) {
                                Some(u) => u.1 += 1,
                                None => m.unseated.push((name, 1)),
                            }
                        }
                    } else {
                        *left -= 1;
                    }
                }
                let i = push_class(
                    &mut people,
                    &mut classes,
                    g,
                    1,
                    plan,
                    false,
                    true,
                    p.id.clone(),
                );
                by_usage_person.insert(p.id.as_str(), i);
            }
        }
    }

    // Seats short of the people flagged, but no one of the organisation left without one (the
    // rest flagged are external users, who hold no seat here, or the purchase-channel reading
    // withholds equivalency): the seat row says why they are counted for CALs, and there is no
    // shortage to report (review 24: 90 staff and 15 partners against 100 seats reported 5
    // people counted for want of a seat, naming none).
    m365_short.retain(|m| !m.unseated.is_empty());

    // Each plan owned or flagged, with whom the classes above seated (the seat rows carry these
    // figures; they do not decide again who holds a seat).
    let reading = org.readings.m365_e3_rights;
    let m365_seats = [M365Plan::E3, M365Plan::E5]
        .into_iter()
        .filter_map(|plan| {
            let stated = u64::from(match plan {
                M365Plan::E3 => org.m365.e3_seats,
                M365Plan::E5 => org.m365.e5_seats,
            });
            let of_plan = || estate.groups.iter().filter(move |g| g.m365 == Some(plan));
            let flagged: u64 = of_plan().map(|g| u64::from(g.count)).sum();
            if stated == 0 && flagged == 0 {
                return None;
            }
            let external: u64 = of_plan()
                .filter(|g| g.kind.is_external())
                .map(|g| u64::from(g.count))
                .sum();
            let seated: u64 = (classes.iter().zip(&people))
                .filter(|(c, _)| c.m365 == Some(plan))
                .map(|(_, p)| u64::from(p.multiplicity))
                .sum();
            let covers = catalog::suite_contents(CalProduct::EnterpriseCalSuite)
                .iter()
                .copied()
                .filter(|&p| m365_covers(plan, reading, p))
                .collect();
            Some(M365Seats {
                plan,
                stated,
                flagged,
                external,
                seated,
                covers,
                withheld: !equivalency,
            })
        })
        .collect();

    People {
        people,
        classes,
        by_group,
        by_usage_person,
        m365_short,
        m365_seats,
    }
}

/// Device classes: one per shared pool, then one per device listed in exact usage.
struct Devices<'e> {
    devices: Vec<DeviceClass>,
    by_pool: VecMap<&'e str, usize>,
    by_usage_device: BTreeMap<&'e str, usize>,
}

fn device_classes(estate: &Estate) -> Devices<'_> {
    let mut devices: Vec<DeviceClass> = Vec::new();
    let mut by_pool: VecMap<&str, usize> = VecMap::new();
    for d in &estate.shared_devices {
        devices.push(DeviceClass {
            label: d.shown_name().to_string(),
            multiplicity: d.count,
        });
        by_pool.insert(d.id.as_str(), devices.len() - 1);
    }
    let mut by_usage_device: BTreeMap<&str, usize> = BTreeMap::new();
    if let Some(u) = &estate.usage {
        for d in &u.devices {
            devices.push(DeviceClass {
                label: d.id.clone(),
                multiplicity: 1,
            });
            by_usage_device.insert(d.id.as_str(), devices.len() - 1);
        }
    }

    Devices {
        devices,
        by_pool,
        by_usage_device,
    }
}

/// Units that take one External Connector: the physical host (or partition/blade) of each OSE,
/// or each OSE under the per-VM reading; and the unit of each server id.
fn host_units(estate: &Estate) -> (Vec<HostUnit>, VecMap<String, usize>) {
    let org = &estate.organisation;
    let labels: Vec<&str> = estate
        .servers
        .iter()
        .map(|s| match org.readings.external_connector_scope {
            ExternalConnectorScope::PerPhysicalHost => s.host.as_deref().unwrap_or(&s.id),
            ExternalConnectorScope::PerVm => &s.id,
        })
        .collect();
    // Units are numbered in the order their labels first appear. The first server of each label
    // is found through the labels sorted with their positions (so it leads its run), not by
    // searching the units so far for every server: that was quadratic, a fifth of the
    // evaluation of 10,000 servers.
    let sorted = crate::sort::key_index(labels.iter().copied().zip(0..).collect());
    let mut first = vec![0usize; labels.len()];
    for run in sorted.chunk_by(|a, b| a.0 == b.0) {
        for &(_, i) in run {
            first[i] = run[0].1;
        }
    }
    let mut hosts: Vec<HostUnit> = Vec::new();
    let mut unit = vec![0usize; labels.len()];
    for (i, label) in labels.iter().enumerate() {
        unit[i] = if first[i] == i {
            hosts.push(HostUnit {
                label: label.to_string(),
            });
            hosts.len() - 1
        } else {
            unit[first[i]]
        };
    }
    // Under the per-VM reading a physical host that is not a server of its own is no unit, but a
    // Connector may still be assigned to it (`assigned_to` names a host or a server): it gets a
    // unit of its own, where no VM is, so the Connector covers none of them (docs review 40: it
    // was read as unassigned and covered VMs on any host).
    if org.readings.external_connector_scope == ExternalConnectorScope::PerVm {
        for to in estate
            .holdings
            .iter()
            .filter_map(|h| h.assigned_to.as_deref())
        {
            let named_host = estate.servers.iter().any(|s| s.host.as_deref() == Some(to));
            if named_host && !hosts.iter().any(|h| h.label == to) {
                hosts.push(HostUnit {
                    label: to.to_string(),
                });
            }
        }
    }
    // Inserted one by one (moving the entries after each): cheaper than a sort for the few
    // servers of most estates, and a small share of the evaluation of 10,000.
    let mut server_unit: VecMap<String, usize> = VecMap::new();
    for (s, u) in estate.servers.iter().zip(unit) {
        server_unit.insert(s.id.clone(), u);
    }
    (hosts, server_unit)
}

/// Who reaches each Essentials server (people and devices), for its 25/50 cap.
fn essentials_use(estate: &Estate) -> Vec<EssentialsUse> {
    let mut essentials = Vec::new();
    for s in estate
        .servers
        .iter()
        .filter(|s| s.edition == Edition::Essentials && s.product == ServerProduct::WindowsServer)
        // Only anonymous access reaches it: nobody is counted there, so no one is over the cap
        // (review 20: "used by 40 users … counted in the demand" where nothing was counted).
        .filter(|s| !s.anonymous_only)
    {
        let mut users = 0u64;
        let mut devs = 0u64;
        let mut pools = BTreeSet::new();
        // A group of nobody brings no shared pool (a metamorphic review: 40 kiosks named as used
        // by a group of 0 put an Essentials server over its cap).
        for g in estate
            .groups
            .iter()
            .filter(|g| g.kind != PersonKind::AnonymousVisitor && g.count > 0)
        {
            let reaches = estate.access.iter().any(|a| {
                a.groups.contains(&g.id) && a.servers.contains(&s.id) && !a.manual_transfer_only
            });
            if reaches {
                users += u64::from(g.count);
                // No devices of their own and no shared pool: one device each, as the demand
                // assumes (the `devices-assumed` finding).
                devs += u64::from(g.count) * u64::from(own_devices(estate, g));
                // An unattended pool's users do not bring it here: it counts on the servers it
                // reaches (`accesses`), below.
                for d in estate
                    .shared_devices
                    .iter()
                    .filter(|d| !d.unattended && d.shared_by.contains(&g.id))
                {
                    pools.insert(d.id.as_str());
                }
            }
        }
        for d in &estate.shared_devices {
            if pools.contains(d.id.as_str()) || d.accesses.contains(&s.id) {
                devs += u64::from(d.count);
            }
        }
        essentials.push(EssentialsUse {
            server: s.id.clone(),
            users,
            devices: devs,
        });
    }
    essentials
}

/// One access by a person class from its own devices and its shared pools (group model), or
/// from one device (usage model).
struct Reach<'a> {
    class: usize,
    /// Own devices apply (group model).
    own: bool,
    pools: &'a [usize],
    server: &'a Server,
    via: Option<&'a str>,
}

/// Collects, per product, who needs what at which version.
struct Collector<'a> {
    acc: VecMap<CalProduct, Acc>,
    classes: &'a [ClassInfo],
    server_unit: &'a VecMap<String, usize>,
    essentials_exceeded: VecSet<String>,
    e3_rights: M365E3Rights,
    /// Whether Microsoft 365 rights cover the printers their users print with.
    printers: M365Printers,
    /// Whether an additive CAL's base may be held by the other subject (the `either-subject`
    /// reading): then no device needs a base Device CAL only to carry an additive one.
    any_subject: bool,
    /// Unattended pools whose users cover them only with Microsoft 365 rights, per product.
    m365_printers: VecMap<usize, VecSet<CalProduct>>,
    /// Whether network equipment that authenticates to servers needs Device CALs.
    network: NetworkEquipment,
    /// Pools of network equipment and the products they reach ([`Demand::network_pools`]).
    network_pools: VecMap<usize, VecSet<CalProduct>>,
    /// The Enterprise CALs of [`E3_ENTERPRISE`] that Microsoft 365 E3 users need.
    e3_enterprise: VecSet<CalProduct>,
    today: Date,
    /// Needs of a CAL version released after `today`, left out of the demand: no CAL on sale
    /// that day covers them (product → server id → the server's version).
    unreleased: VecMap<CalProduct, VecMap<String, String>>,
    /// External classes whose access from shared devices to a product with an External
    /// Connector is recorded as person–device edges (a User or a Device CAL) rather than
    /// person–host ones (a User CAL or a connector): the variant the engine asked for.
    at_devices: &'a BTreeSet<(usize, CalProduct)>,
    /// Leave the access of the `at_devices` pairs out instead (a relaxation, for a lower bound).
    omit: bool,
    /// Every (external class, product with a connector) reached from shared devices, with the
    /// shape of that access (for [`Demand::shared_external`]).
    shared_external: BTreeMap<(usize, CalProduct), SharedExternal>,
    /// The estate's groups and servers by id, the first of an id as `find` would (robustness
    /// review 21: a linear search per access row and usage link made 20,000 groups take 25 s).
    groups: BTreeMap<&'a str, &'a Group>,
    servers: BTreeMap<&'a str, &'a Server>,
    /// While the group model is collected, the accesses of admin candidates that need a CAL are
    /// held here instead of recorded: which two per product are exempt is chosen once all are
    /// known ([`Collector::settle_admins`]), not by the order of the estate's rows.
    admin_deferring: bool,
    admin_deferred: Vec<AdminReach>,
    /// See [`Demand::admin_candidates`].
    admin_candidates: VecMap<CalProduct, Vec<Vec<usize>>>,
    /// See [`Demand::admin_printing`].
    admin_printing: VecMap<CalProduct, BTreeMap<usize, BTreeSet<usize>>>,
    /// See [`Demand::admin_exempt`].
    admin_exempt: VecMap<CalProduct, Vec<Vec<usize>>>,
    /// The administrators to exempt, per base product, instead of the rule of thumb's
    /// ([`demand_with_admins`]).
    admin_pick: Option<&'a VecMap<CalProduct, AdminPick>>,
    /// [`demand_for_admin_printers`]: exempt administrators may hold a CAL for their printers.
    admin_printers: bool,
    /// Exempt administrators' printer access is recorded (while the printers are checked, for
    /// [`demand_for_admin_printers`]).
    exempt_admins_print: bool,
}

/// An admin candidate's access held back until the exemption is settled: the [`Reach`] and the
/// needs to record again, and the products for which it needs a CAL unless exempt.
struct AdminReach {
    class: usize,
    own: bool,
    pools: Vec<usize>,
    server: String,
    via: Option<String>,
    needs: Vec<Need>,
    products: Vec<CalProduct>,
}

/// One access of an admin candidate, as compared to tell interchangeable candidates apart:
/// the server, the host it is reached through, from their own devices, from which pools.
type AdminAccess<'r> = (&'r str, Option<&'r str>, bool, &'r [usize]);

/// The first of each id, as a search from the front would find it.
fn by_id<'a, T>(items: &'a [T], id: impl Fn(&'a T) -> &'a str) -> BTreeMap<&'a str, &'a T> {
    let mut map = BTreeMap::new();
    for item in items {
        map.entry(id(item)).or_insert(item);
    }
    map
}

/// The access of one external class to one product with an External Connector from the
/// organisation's shared devices: the shared devices, the hosts (session hosts for RDS) and
/// which device reaches which host. (People with devices of their own are not counted here: not
/// holding User CALs, they need a connector on every host they reach from those, which licenses
/// their access from the shared devices too.)
#[derive(Default)]
struct SharedExternal {
    pools: BTreeSet<usize>,
    hosts: VecSet<String>,
    pairs: BTreeSet<(usize, String)>,
}

impl SharedExternal {
    /// Whether, the class not holding User CALs, a licensing must license all its shared
    /// devices or all its hosts (then one of the two variants is the optimum's): every device
    /// reaches every host, and for RDS one session host (hosts in different licensing modes could
    /// be mixed). Hosts reached from a person's own devices (usage links) take a connector
    /// either way.
    fn one_or_other(&self, product: CalProduct) -> bool {
        self.pairs.len() == self.pools.len() * self.hosts.len()
            && (product != CalProduct::Rds || self.hosts.len() <= 1)
    }
}

impl Collector<'_> {
    /// [`server_needs`], without the needs of a CAL version not yet released on the report's
    /// date (review 13 D14, review 15 #4: 2022 CALs were bought for a 2025 server the day before
    /// 2025 CALs came out, and the server's people then held their owned 2022 CALs idle). Those
    /// are kept aside for the `version-not-released` finding.
    fn needs(
        &mut self,
        s: &Server,
        features: &[Feature],
    ) -> (Vec<Need>, Vec<(CalProduct, ServerExempt)>) {
        let (mut needs, exempts) = server_needs(s, features, &self.essentials_exceeded);
        let today = self.today;
        let unreleased = &mut self.unreleased;
        needs.retain(|n| {
            let Some(fam) = catalog::product(n.product).family else {
                return true;
            };
            if n.rank <= catalog::current_cal_version(fam, today).rank {
                return true;
            }
            unreleased
                .entry(n.product)
                .or_default()
                .insert(s.id.clone(), version_for(s, n.product));
            false
        });
        (needs, exempts)
    }

    /// Records one access: exemptions first (anonymous, external users licensed by the server
    /// licence, Microsoft 365, the two admins), then the CAL or External Connector demand.
    fn record(&mut self, reach: Reach, needs: &[Need], exempts: &[(CalProduct, ServerExempt)]) {
        let mut base_devices: Vec<(CalProduct, usize, u8)> = Vec::new();
        let mut admin_products: Vec<CalProduct> = Vec::new();
        let acc = &mut self.acc;
        let Some(info) = self.classes.get(reach.class) else {
            return;
        };
        for (p, why) in exempts {
            let a = acc.entry(*p).or_default();
            a.server_exempt_classes.insert(reach.class);
            let list = match why {
                ServerExempt::Payg => {
                    a.rules.insert(ids::PAYG_NO_WS_CALS);
                    &mut a.exempt.payg_servers
                }
                ServerExempt::Essentials => {
                    a.rules.insert(ids::ESSENTIALS_NO_CALS);
                    &mut a.exempt.essentials_servers
                }
                ServerExempt::Anonymous => {
                    a.rules.insert(ids::EXEMPT_ANONYMOUS);
                    &mut a.exempt.anonymous_servers
                }
                ServerExempt::Virtualisation => {
                    a.rules.insert(ids::EXEMPT_VIRTUALISATION_HOST);
                    &mut a.exempt.virtualisation_hosts
                }
                ServerExempt::PerCoreSql => {
                    a.rules.insert(ids::SQL_PER_CORE_NO_CALS);
                    &mut a.exempt.per_core_sql
                }
            };
            if !list.contains(&reach.server.id) {
                list.push(reach.server.id.clone());
            }
        }
        let payg = exempts
            .iter()
            .any(|(_, why)| matches!(why, ServerExempt::Payg));
        for need in needs {
            let a = acc.entry(need.product).or_default();
            a.servers
                .entry(reach.server.id.clone())
                .or_insert_with(|| version_for(reach.server, need.product));
            if payg && need.product == CalProduct::Rds {
                // The rule that asks RDS CALs without Windows Server ones (domain review 21: G13's
                // RDS count cited only the base/additive rules, while no base CAL was needed).
                a.rules.insert(ids::PAYG_NO_WS_CALS);
            }
            if info.kind == PersonKind::AnonymousVisitor {
                // The Internet exemption is Windows Server's (§1.8): nobody can give anonymous
                // visitors SQL CALs, so a Server+CAL SQL Server they reach needs per-core
                // licensing instead (the `sql-anonymous-server-cal` finding), not an exemption.
                if need.product == CalProduct::SqlServer {
                    continue;
                }
                a.anonymous_classes.insert(reach.class);
                a.rules.insert(ids::EXEMPT_ANONYMOUS);
                continue;
            }
            let external = info.kind.is_external();
            let pinfo = catalog::product(need.product);
            if external && !pinfo.external_users_need_cal {
                a.ext_classes.insert(reach.class);
                a.rules.insert(ids::EXT_COVERED_BY_SERVER);
                continue;
            }
            // The front end is named for those it does not spare a CAL: anonymous visitors of
            // Windows Server and external users of SharePoint need none, front end or not
            // (licensing review 41: "everyone behind it is counted" beside 50,000 exempt).
            if let Some(v) = reach.via {
                a.via.insert(v.to_string());
                a.rules.insert(ids::MUX_NO_REDUCTION);
            }
            if let Some(plan) = info.m365 {
                if plan == M365Plan::E3 && E3_ENTERPRISE.contains(&need.product) {
                    self.e3_enterprise.insert(need.product);
                }
                if m365_covers(plan, self.e3_rights, need.product) {
                    a.m365_classes.insert(reach.class);
                    if !self.any_subject
                        && catalog::PRODUCTS
                            .iter()
                            .any(|q| q.base == Some(need.product))
                    {
                        for &d in reach.pools {
                            bump(&mut a.base_only_device, d, need.rank);
                        }
                        if reach.own {
                            bump(&mut a.base_only_own, reach.class, need.rank);
                        }
                    }
                    a.rules.insert(match (plan, self.e3_rights) {
                        (M365Plan::E3, M365E3Rights::StandardAndEnterprise) => {
                            ids::M365_E3_STANDARD_ENTERPRISE
                        }
                        (M365Plan::E3, M365E3Rights::CoreCalSuite) => ids::M365_E3_CORE,
                        (M365Plan::E5, _) => ids::M365_E5_ENTERPRISE,
                    });
                    continue;
                }
            }
            if info.admin_candidate {
                if self.admin_deferring {
                    admin_products.push(need.product);
                    continue;
                }
                a.rules.insert(ids::EXEMPT_ADMIN_TWO);
                if !a.admin_used.contains(&reach.class) {
                    a.admin_over_classes.insert(reach.class);
                } else if !self.exempt_admins_print {
                    continue;
                }
            }
            a.rules.insert(ids::CAL_REQUIRED);
            a.rules.insert(ids::CAL_VERSION_NOT_OLDER);
            if reach.server.product != ServerProduct::WindowsServer
                && need.product == CalProduct::WindowsServer
            {
                a.rules.insert(ids::WS_CAL_FOR_HOSTED_PRODUCTS);
            }
            let unit = self.server_unit.get(&reach.server.id).copied().unwrap_or(0);
            // An external person at one of the organisation's shared devices is licensed by
            // their User CAL or the device's Device CAL, as anyone there (cal-rules §1.1, §1.3),
            // or, where the product has one, by an External Connector on the host (§1.6): a
            // three-way choice the cut cannot hold, so for those products the engine tries both
            // edges (`at_devices`); without a connector (SQL Server) the device edges are the
            // only alternative to a User CAL (review 17: 1,000 customers at 5 lobby kiosks were
            // bought 1,000 SQL User CALs).
            let shared = external && !reach.pools.is_empty();
            if shared && pinfo.external_connector && !reach.own {
                let host = if need.product == CalProduct::Rds {
                    reach.server.id.clone()
                } else {
                    unit.to_string()
                };
                let e = self
                    .shared_external
                    .entry((reach.class, need.product))
                    .or_default();
                e.pools.extend(reach.pools.iter().copied());
                e.pairs
                    .extend(reach.pools.iter().map(|&d| (d, host.clone())));
                e.hosts.insert(host);
            }
            let pair = (reach.class, need.product);
            if self.omit && shared && !reach.own && self.at_devices.contains(&pair) {
                continue;
            }
            let at_devices = shared
                && (!pinfo.external_connector || (!reach.own && self.at_devices.contains(&pair)));
            if at_devices && external && pinfo.external_connector && !self.any_subject {
                // A Device CAL of an additive product needs the base Device CAL on the same
                // device (§1.11), even when the base access goes through a connector.
                if let Some(base) = pinfo.base {
                    if let Some(b) = needs.iter().find(|n| n.product == base) {
                        for &d in reach.pools {
                            base_devices.push((base, d, b.rank));
                        }
                    }
                }
            }
            if need.product == CalProduct::Rds {
                a.rules.insert(ids::RDS_REQUIRED);
                a.rules.insert(ids::RDS_VERSION_MATRIX);
                let r = a.rds.entry(reach.server.id.clone()).or_default();
                if external && !at_devices {
                    r.external.insert(reach.class);
                    bump(&mut a.host_rank, unit, need.rank);
                    bump(&mut a.person_rank, reach.class, need.rank);
                    continue;
                }
                // A host whose mode is fixed issues one kind of RDS CAL (§1.10): its version
                // asks nothing of the other kind (review 17: a 2022 host fixed per device made
                // owned 2019 RDS User CALs, used at a 2019 per-user host, look too old).
                let mode = reach.server.rds_mode;
                let (users, devices) = if mode == Some(RdsMode::PerDevice) {
                    (&mut a.person_rank_idle, &mut a.device_rank)
                } else {
                    (&mut a.person_rank, &mut a.device_rank_idle)
                };
                bump(users, reach.class, need.rank);
                for &d in reach.pools {
                    r.person_device.insert((reach.class, d));
                    bump(devices, d, need.rank);
                }
                if reach.own {
                    r.people.insert(reach.class);
                    if mode != Some(RdsMode::PerUser) {
                        bump(&mut a.own_rank, reach.class, need.rank);
                    }
                }
                continue;
            }
            if external {
                a.rules.insert(ids::EXT_DEFINITION);
                a.rules.insert(if pinfo.external_connector {
                    ids::EC_ALTERNATIVE
                } else {
                    ids::SQL_NO_EC
                });
                if at_devices {
                    for &d in reach.pools {
                        a.person_device.insert((reach.class, d));
                        bump(&mut a.device_rank, d, need.rank);
                        a.pool_pair_rank.push(((d, reach.class), need.rank));
                    }
                }
                // Their own devices are not the organisation's: a User CAL or a connector.
                if !at_devices || reach.own {
                    a.person_host.insert((reach.class, unit));
                    bump(&mut a.host_rank, unit, need.rank);
                }
            } else {
                if reach.own {
                    a.people.insert(reach.class);
                }
                for &d in reach.pools {
                    a.person_device.insert((reach.class, d));
                    bump(&mut a.device_rank, d, need.rank);
                    a.pool_pair_rank.push(((d, reach.class), need.rank));
                }
            }
            bump(&mut a.person_rank, reach.class, need.rank);
        }
        for (base, d, rank) in base_devices {
            bump(
                &mut self.acc.entry(base).or_default().base_only_device,
                d,
                rank,
            );
        }
        if !admin_products.is_empty() {
            self.admin_deferred.push(AdminReach {
                class: reach.class,
                own: reach.own,
                pools: reach.pools.to_vec(),
                server: reach.server.id.clone(),
                via: reach.via.map(str::to_string),
                needs: needs.to_vec(),
                products: admin_products,
            });
        }
    }

    /// Chooses, per product, the two admin candidates exempt from its CALs (cal-rules §1.8 item
    /// 3), then records the accesses held back. The exemption goes to those whose licensing
    /// would cost the most: the cheaper of a User CAL and Device CALs for their own devices and
    /// their share of the shared ones they reach the product from (own devices of an external
    /// person are not the organisation's: a User CAL only); at equal cost, those with more
    /// devices, whose Device CALs would cost more; then the group id and the class. Metamorphic
    /// review 25: it went to the first two in the order of `access[]`, so listing the same two
    /// groups the other way round changed the purchase from $760 to $770, and exempting two
    /// console users rather than two laptop users left two laptops to license ($8,360 against
    /// $8,280), each "proven least cost". A rule of thumb, like the seats' order: the optimiser
    /// prices the demand with this choice unless [`demand_with_admins`] named another (see
    /// [`Demand::admin_candidates`]).
    fn settle_admins(
        &mut self,
        estate: &Estate,
        people: &People,
        devices: &Devices,
        prices: &PriceBook,
    ) {
        self.admin_deferring = false;
        let deferred = std::mem::take(&mut self.admin_deferred);
        if deferred.is_empty() {
            return;
        }
        let shares: VecMap<usize, i64> = estate
            .shared_devices
            .iter()
            .filter_map(|d| {
                let &i = devices.by_pool.get(d.id.as_str())?;
                Some((i, pool_share(estate, d)))
            })
            .collect();
        // Per product and candidate: from their own devices, and the pools they reach it from.
        let mut reached: VecMap<CalProduct, BTreeMap<usize, (bool, BTreeSet<usize>)>> =
            VecMap::new();
        for r in &deferred {
            for &p in &r.products {
                let e = reached.entry(p).or_default().entry(r.class).or_default();
                e.0 |= r.own;
                e.1.extend(r.pools.iter().copied());
            }
        }
        // Two candidates are interchangeable when they come from the same group and reach the
        // same servers the same way: exempting one or the other prices the same.
        let mut alike: BTreeMap<usize, (&str, Vec<AdminAccess>)> = BTreeMap::new();
        for r in &deferred {
            let group = self.classes.get(r.class).map_or("", |i| i.group.as_str());
            let e = alike.entry(r.class).or_insert_with(|| (group, Vec::new()));
            e.1.push((
                r.server.as_str(),
                r.via.as_deref(),
                r.own,
                r.pools.as_slice(),
            ));
        }
        for (_, reaches) in alike.values_mut() {
            reaches.sort_unstable();
        }
        // The exemption belongs to the server software (cal-rules §1.8 item 3), and an additive
        // CAL is valid only beside its base (§1.11): one choice of two per base product and its
        // additive ones (Windows Server with RDS and AD RMS, Exchange or SharePoint Standard
        // with Enterprise), each exempt from those of them they need a CAL of. Metamorphic
        // review 29: chosen per product apart, a group of three admins split into one and two
        // gave one admin an additive CAL with no base CAL beneath it, and cost less ($70 against
        // $75). The candidates are those of any product of the family, also an admin whose base
        // access Microsoft 365 covers (exempting them spares only the additive CAL). The license
        // terms exempt "up to two users or devices" from the CALs of the server software, not two
        // per CAL: a pair exempt from the base CAL beside another exempt from the additive one
        // (two admins of Windows Server alone, two more of its RDS alone) would be four people
        // administering it without CALs, so that is not offered, though it would cost less
        // (a metamorphic review asked; $80 of Windows Server Device CALs instead of nothing).
        let root = |p: CalProduct| catalog::product(p).base.unwrap_or(p);
        // Candidates who need a base product's CAL and print (or scan) on a pool reaching a
        // server that asks it: their CAL would cover those printers (§1.8 item 8), so the rule
        // of thumb keeps it and exempts them from the additive products only, and the engine
        // prices the other ways (a metamorphic review: flagging two other admins Microsoft 365
        // E3 left one printing admin the only candidate, exempt, and the purchase rose from $270
        // to $320 for the printers' Device CALs). Per base product, each such candidate's pools
        // (device classes) that their users' CALs can cover, as the printers' check will see
        // it: every user a person of the organisation holding the product's licence for their
        // own access (a CAL, a candidate not exempt, or Microsoft 365 rights where the printers
        // reading lets them count). A pool one of whose users can never cover it needs Device
        // CALs whoever is exempt.
        let mut printing: VecMap<CalProduct, BTreeMap<usize, BTreeSet<usize>>> = VecMap::new();
        for pool in estate.shared_devices.iter() {
            if !pool.unattended || pool.count == 0 {
                continue;
            }
            let Some(&k) = devices.by_pool.get(pool.id.as_str()) else {
                continue;
            };
            let users: Vec<usize> = pool
                .shared_by
                .iter()
                .flat_map(|g| people.by_group.get(g.as_str()).into_iter().flatten())
                .copied()
                .collect();
            let asked: VecSet<CalProduct> = pool
                .accesses
                .iter()
                .filter_map(|sid| self.servers.get(sid.as_str()))
                .flat_map(|s| server_needs(s, &[], &self.essentials_exceeded).0)
                .map(|n| n.product)
                .collect();
            for p in asked {
                let Some(candidates) = reached.get(&p) else {
                    continue;
                };
                let a = self.acc.get(&p);
                let m365 = |c: &usize| a.is_some_and(|a| a.m365_classes.contains(c));
                let coverable = users.iter().all(|c| {
                    self.classes.get(*c).is_some_and(|i| {
                        !i.kind.is_external() && i.kind != PersonKind::AnonymousVisitor
                    }) && (candidates.contains_key(c)
                        || a.is_some_and(|a| a.person_rank.contains_key(c))
                        || (m365(c) && self.printers == M365Printers::CoveredByUsers))
                });
                if !coverable {
                    continue;
                }
                for c in users.iter().filter(|c| candidates.contains_key(c)) {
                    printing
                        .entry(p)
                        .or_default()
                        .entry(*c)
                        .or_default()
                        .insert(k);
                }
            }
        }
        // Per family and candidate: the cost of their CALs of it, the same without the base
        // product's for one who prints (exempt, they keep it), and their devices.
        let mut families: VecMap<CalProduct, BTreeMap<usize, (i64, i64, i64)>> = VecMap::new();
        for (&p, candidates) in &reached {
            let family = families.entry(root(p)).or_default();
            for (&c, (own, pools)) in candidates {
                let external = self.classes.get(c).is_some_and(|i| i.kind.is_external());
                let own_n = people.people.get(c).map_or(0, |pc| pc.own_devices);
                let mut n: i64 = pools.iter().filter_map(|d| shares.get(d)).sum();
                if *own && !external {
                    n += i64::from(own_n) * 1000;
                }
                let cost = cheaper_cal(prices, p, (n > 0).then_some(n));
                let kept = printing.get(&p).is_some_and(|k| k.contains_key(&c));
                let e = family.entry(c).or_default();
                e.0 += cost;
                e.1 += if kept { 0 } else { cost };
                e.2 = e.2.max(n);
            }
        }
        for (r, candidates) in families {
            let rank = |saved: fn(&(i64, i64, i64)) -> i64| {
                let mut ranked: Vec<(i64, i64, &str, usize)> = candidates
                    .iter()
                    .map(|(&c, e)| {
                        let group = self.classes.get(c).map_or("", |i| i.group.as_str());
                        (saved(e), e.2, group, c)
                    })
                    .collect();
                crate::sort::sort_by(&mut ranked, |x, y| {
                    (y.0.cmp(&x.0).then(y.1.cmp(&x.1)))
                        .then(x.2.cmp(y.2))
                        .then(x.3.cmp(&y.3))
                });
                ranked
            };
            let ranked = rank(|e| e.0);
            // The rule of thumb's order: what exempting each saves, the base product's CAL not
            // for one who prints (their CAL covers their printers).
            let by_saving = rank(|e| e.1);
            let top = |ranked: &[(i64, i64, &str, usize)]| -> Vec<usize> {
                ranked
                    .iter()
                    .take(ADMIN_EXEMPT_PER_PRODUCT as usize)
                    .map(|x| x.3)
                    .collect()
            };
            // Each admin-only group gives at most two candidates: more come from several groups.
            let printing_r = printing.remove(&r).unwrap_or_default();
            if ranked.len() as u64 > ADMIN_EXEMPT_PER_PRODUCT || !printing_r.is_empty() {
                let mut sets: Vec<Vec<usize>> = Vec::new();
                for &(.., c) in &ranked {
                    match sets
                        .iter_mut()
                        .find(|set| alike.get(&set[0]) == alike.get(&c))
                    {
                        Some(set) => set.push(c),
                        None => sets.push(vec![c]),
                    }
                }
                self.admin_candidates.insert(r, sets);
            }
            let (exempt, keep_base): (Vec<usize>, Vec<usize>) =
                match self.admin_pick.and_then(|m| m.get(&r)) {
                    Some(pick) => (
                        pick.exempt
                            .iter()
                            .copied()
                            .filter(|c| ranked.iter().any(|x| x.3 == *c))
                            .take(ADMIN_EXEMPT_PER_PRODUCT as usize)
                            .collect(),
                        pick.keep_base.clone(),
                    ),
                    None => {
                        let exempt = top(&by_saving);
                        if self.admin_candidates.contains_key(&r) {
                            let mut pairs = vec![exempt.clone()];
                            let dearest = top(&ranked);
                            if dearest != exempt {
                                pairs.push(dearest);
                            }
                            self.admin_exempt.insert(r, pairs);
                        }
                        let keep = exempt
                            .iter()
                            .copied()
                            .filter(|c| printing_r.contains_key(c))
                            .collect();
                        (exempt, keep)
                    }
                };
            for (&p, candidates) in &reached {
                if root(p) == r {
                    let a = self.acc.entry(p).or_default();
                    for &c in exempt.iter().filter(|c| candidates.contains_key(c)) {
                        if p == r && keep_base.contains(&c) {
                            a.admin_kept.insert(c);
                        } else {
                            a.admin_used.insert(c);
                        }
                    }
                }
            }
            if !printing_r.is_empty() {
                self.admin_printing.insert(r, printing_r);
            }
        }
        for r in &deferred {
            let Some(server) = self.servers.get(r.server.as_str()).copied() else {
                continue;
            };
            self.record(
                Reach {
                    class: r.class,
                    own: r.own,
                    pools: &r.pools,
                    server,
                    via: r.via.as_deref(),
                },
                &r.needs,
                &[],
            );
        }
    }

    /// An unattended device reaching a server: Device CALs for what the server asks.
    fn unattended(&mut self, device: usize, server: &Server, needs: &[Need]) {
        for n in needs {
            let a = self.acc.entry(n.product).or_default();
            a.unattended.insert(device);
            a.rules.insert(ids::CAL_UNATTENDED_DEVICE);
            a.servers
                .entry(server.id.clone())
                .or_insert_with(|| version_for(server, n.product));
            bump(&mut a.device_rank, device, n.rank);
            bump(&mut a.pool_fixed_rank, device, n.rank);
        }
    }

    /// The group model: every member of each group reaches every server of the row.
    fn group_access(&mut self, estate: &Estate, people: &People, devices: &Devices) {
        for row in &estate.access {
            for gid in &row.groups {
                let Some(g) = self.groups.get(gid.as_str()).copied() else {
                    continue;
                };
                let pools: Vec<usize> = estate
                    .shared_devices
                    .iter()
                    .filter(|d| !d.unattended && d.shared_by.contains(gid))
                    .filter_map(|d| devices.by_pool.get(d.id.as_str()).copied())
                    .collect();
                let own = own_devices(estate, g) > 0;
                let cls = people
                    .by_group
                    .get(gid.as_str())
                    .cloned()
                    .unwrap_or_default();
                // A group of nobody (count 0) reaches nothing: no server of its rows asks for
                // a CAL or cites a rule on its account.
                if cls.is_empty() {
                    continue;
                }
                for sid in &row.servers {
                    let Some(s) = self.servers.get(sid.as_str()).copied() else {
                        continue;
                    };
                    let (needs, exempts) = self.needs(s, &row.features);
                    if row.manual_transfer_only {
                        for n in &needs {
                            let a = self.acc.entry(n.product).or_default();
                            a.rules.insert(ids::MUX_MANUAL_TRANSFER);
                            for &c in &cls {
                                a.manual_classes.insert((c, s.id.clone()));
                            }
                        }
                        continue;
                    }
                    for &c in &cls {
                        self.record(
                            Reach {
                                class: c,
                                own,
                                pools: &pools,
                                server: s,
                                via: row.via.as_deref(),
                            },
                            &needs,
                            &exempts,
                        );
                    }
                }
            }
        }
    }

    /// The usage model: exact person → device → server links.
    fn usage_links(&mut self, estate: &Estate, people: &People, devices: &Devices) {
        if let Some(u) = &estate.usage {
            for l in &u.links {
                let Some(s) = self.servers.get(l.server.as_str()).copied() else {
                    continue;
                };
                let Some(&d) = devices.by_usage_device.get(l.device.as_str()) else {
                    continue;
                };
                let (needs, exempts) = self.needs(s, &l.features);
                if l.person.is_empty() {
                    self.unattended(d, s, &needs);
                    continue;
                }
                let Some(&c) = people.by_usage_person.get(l.person.as_str()) else {
                    continue;
                };
                // "personal:…" stands for the person's own devices, not known one by one: they are
                // licensed like a group member's own devices (User CAL, or `devices_each` Device CALs).
                let personal = l.device.starts_with(PERSONAL_DEVICE_PREFIX);
                self.record(
                    Reach {
                        class: c,
                        own: personal,
                        pools: if personal {
                            &[]
                        } else {
                            std::slice::from_ref(&d)
                        },
                        server: s,
                        via: None,
                    },
                    &needs,
                    &exempts,
                );
            }
        }
    }

    /// Unattended pools and the servers they reach.
    ///
    /// A pool whose devices work for people (networked printers and scanners, `shared_by` the
    /// groups who print or scan) needs a CAL "unless covered by the CALs of the users who use
    /// them" (cal-rules §1.8 item 8, §4.2 item 8): each such person and device is then a pair
    /// licensed by the person's User CAL or the device's Device CAL, as at a shared desk, for
    /// the servers the pool reaches only. Without `shared_by`, Device CALs only.
    fn unattended_pools(&mut self, estate: &Estate, people: &People, devices: &Devices) {
        self.exempt_admins_print = self.admin_printers;
        // An exempt administrator holds no CAL (their access is exempt), unless the demand is
        // the one that lets them hold one for their printers alone.
        let exempt_print = self.exempt_admins_print;
        for (k, pool) in estate
            .shared_devices
            .iter()
            .enumerate()
            .filter(|(_, d)| d.unattended)
        {
            let Some(&d) = devices.by_pool.get(pool.id.as_str()) else {
                continue;
            };
            let users: Vec<usize> = pool
                .shared_by
                .iter()
                .flat_map(|g| people.by_group.get(g.as_str()).cloned().unwrap_or_default())
                .collect();
            for sid in &pool.accesses {
                let Some(s) = self.servers.get(sid.as_str()).copied() else {
                    continue;
                };
                let (needs, exempts) = self.needs(s, &[]);
                // Network equipment (no one's device; validation keeps `shared_by` empty):
                // Device CALs under the default reading, none under the other (cal-rules §4.2
                // item 8, "debated"); the report names the reading either way.
                if pool.network {
                    let products = self.network_pools.entry(k).or_default();
                    products.extend(needs.iter().map(|n| n.product));
                    if self.network == NetworkEquipment::DeviceCals && pool.count > 0 {
                        for n in &needs {
                            (self.acc.entry(n.product).or_default().rules)
                                .insert(ids::NETWORK_DEVICE_CALS);
                        }
                        self.unattended(d, s, &needs);
                    }
                    continue;
                }
                for n in &needs {
                    // The users' CALs cover the device only where each of them is a person of
                    // the organisation who holds this product's licence for their own access
                    // (a CAL, or Microsoft 365 rights): an External Connector, an exemption or
                    // an anonymous visitor is no CAL of theirs (review 15: partners who only
                    // print were given SQL User CALs, admins and visitors freed the printers).
                    // A class Microsoft 365 covers for a product is never in its `person_rank`
                    // (`record` stops there), so `person_rank` alone is the people who need a
                    // CAL of their own for it, and Microsoft 365 users who need one for a
                    // product their plan does not cover (SQL Server, say) still cover the
                    // pool under either reading (review 18).
                    let (by_rights, by_m365_only) = match self.acc.get(&n.product) {
                        Some(a) if !users.is_empty() => {
                            let own_cal = |c: &usize| {
                                a.person_rank.contains_key(c)
                                    || (exempt_print && a.admin_used.contains(c))
                            };
                            let all = users.iter().all(|c| {
                                self.classes.get(*c).is_some_and(|i| {
                                    !i.kind.is_external() && i.kind != PersonKind::AnonymousVisitor
                                }) && (own_cal(c) || a.m365_classes.contains(c))
                            });
                            (all, all && !users.iter().all(own_cal))
                        }
                        _ => (false, false),
                    };
                    // Whether Microsoft 365 rights are CALs of their users for a printer is the
                    // `M365Printers` reading (cal-rules §1.8 item 8 against §1.13). The people
                    // cite it where their seats cover the printer; the device figures it changes
                    // cite it from `m365_printers` (review 27: "Why 5 Device CALs?" did not name
                    // the practitioners' reading that asks them, only the people's figure did).
                    if by_m365_only {
                        self.m365_printers.entry(k).or_default().insert(n.product);
                        if self.printers == M365Printers::CoveredByUsers {
                            self.acc
                                .entry(n.product)
                                .or_default()
                                .rules
                                .insert(ids::M365_PRINTERS_COVERED);
                        }
                    }
                    let covered_by_users =
                        by_rights && !(by_m365_only && self.printers == M365Printers::DeviceCals);
                    if !covered_by_users {
                        self.unattended(d, s, std::slice::from_ref(n));
                        continue;
                    }
                    self.acc
                        .entry(n.product)
                        .or_default()
                        .rules
                        .insert(ids::CAL_PRINTER_USERS);
                    for &c in &users {
                        self.record(
                            Reach {
                                class: c,
                                own: false,
                                pools: std::slice::from_ref(&d),
                                server: s,
                                via: None,
                            },
                            std::slice::from_ref(n),
                            &exempts,
                        );
                    }
                }
            }
        }
        self.exempt_admins_print = false;
    }
}

/// What the per-product step needs from the rest of the estate.
struct Context<'a> {
    estate: &'a Estate,
    people: &'a [PersonClass],
    classes: &'a [ClassInfo],
    prices: &'a PriceBook,
    owned: &'a VecMap<CalProduct, Vec<OwnedLot>>,
    server_unit: &'a VecMap<String, usize>,
    hosts: &'a [HostUnit],
}

/// Turns what was collected for one product into its optimiser instance and its demand record:
/// exemption counts, prices (a missing one replaced so that counts are minimised), owned
/// licences usable at the newest version needed, the rules that apply.
/// `base_hosts`: for an additive product, the hosts where its base (Windows Server) has a
/// connector owned or needs none (pay-as-you-go). `base_ranks`: for Windows Server, the rank a
/// connector needs on a host as the base of an additive one, the newest and per additive product
/// (`ProductDemand::base_host_rank`, `additive_host_rank`).
fn finish_product(
    info: &catalog::ProductInfo,
    fam: Family,
    a: Acc,
    cx: &Context,
    base_hosts: &[usize],
    base_ranks: (BTreeMap<usize, u8>, VecMap<(CalProduct, usize), u8>),
) -> (ProductInstance, ProductDemand) {
    let (base_host_rank, additive_host_rank) = base_ranks;
    let estate = cx.estate;
    let org = &estate.organisation;
    let prices = cx.prices;
    let server_unit = cx.server_unit;
    let classes = cx.classes;
    let mut a = a;
    for (c, r) in std::mem::take(&mut a.person_rank_idle) {
        a.person_rank.entry(c).or_insert(r);
    }
    for (d, r) in std::mem::take(&mut a.device_rank_idle) {
        a.device_rank.entry(d).or_insert(r);
    }
    let mut exempt = a.exempt;
    if info.product == CalProduct::WindowsServer {
        // A virtualisation-only host needs no CALs whether or not anyone is said to reach it.
        for s in estate.servers.iter().filter(|s| s.virtualization_only) {
            if !exempt.virtualisation_hosts.contains(&s.id) {
                exempt.virtualisation_hosts.push(s.id.clone());
            }
        }
    }
    let mult = |c: &usize| u64::from(cx.people.get(*c).map_or(0, |p| p.multiplicity));
    exempt.anonymous = a.anonymous_classes.iter().map(mult).sum();
    exempt.m365 = a.m365_classes.iter().map(mult).sum();
    exempt.external_by_server_licence = a.ext_classes.iter().map(mult).sum();
    exempt.admin = a.admin_used.iter().map(mult).sum();
    let manual: BTreeSet<usize> = a
        .manual_classes
        .iter()
        .map(|(c, _)| *c)
        .filter(|c| !a.person_rank.contains_key(c))
        .collect();
    exempt.manual_transfer = manual.iter().map(mult).sum();
    exempt.by_server = a
        .server_exempt_classes
        .iter()
        .filter(|c| {
            !a.person_rank.contains_key(c)
                && !a.anonymous_classes.contains(c)
                && !a.m365_classes.contains(c)
                && !a.ext_classes.contains(c)
                && !a.admin_used.contains(c)
                && !manual.contains(c)
        })
        .map(mult)
        .sum();
    // Admin-only people in classes that are not singletons (beyond the first two).
    let mut admin_over: u64 = a
        .admin_over_classes
        .iter()
        .filter(|c| !a.admin_kept.contains(c))
        .map(mult)
        .sum();
    let admin_for_printers: u64 = a.admin_kept.iter().map(mult).sum();
    let admin_groups: BTreeSet<&str> = estate
        .groups
        .iter()
        .filter(|g| g.admin_only)
        .map(|g| g.id.as_str())
        .collect();
    for c in a.person_rank.keys() {
        if let Some(ci) = classes.get(*c) {
            let g_admin = admin_groups.contains(ci.group.as_str());
            if g_admin && !ci.admin_candidate {
                admin_over += mult(c);
            }
        }
    }
    // Devices only there for the base of an additive Device CAL set the generation only when
    // nothing else does.
    let max_rank = a
        .person_rank
        .values()
        .chain(a.device_rank.values())
        .chain(a.host_rank.values())
        .chain(a.own_rank.values())
        .copied()
        .max()
        .or_else(|| {
            a.base_only_device
                .values()
                .chain(a.base_only_own.values())
                .copied()
                .max()
        })
        .unwrap_or(0);
    let has_subjects = !a.person_rank.is_empty() || !a.unattended.is_empty();
    let mut missing_prices = Vec::new();
    let user = prices.get(info.product, LicenceKind::UserCal);
    let device = prices.get(info.product, LicenceKind::DeviceCal);
    // A missing price stands in as one minor unit more than the other kind's: counts are still
    // minimised, and where both kinds need as many the priced one is bought (docs review 40: at
    // the same price, 5 people with a device each were bought 5 unpriced Device CALs, "buy for
    // ?", beside User CALs priced in full).
    let (user, device) = match (user, device) {
        (Some(u), Some(d)) => (u, d),
        (Some(u), None) => {
            missing_prices.push(LicenceKind::DeviceCal);
            (u, u.saturating_add(1))
        }
        (None, Some(d)) => {
            missing_prices.push(LicenceKind::UserCal);
            (d.saturating_add(1), d)
        }
        (None, None) => {
            missing_prices.push(LicenceKind::UserCal);
            missing_prices.push(LicenceKind::DeviceCal);
            // As dear as the dearest CAL priced: the count of this product is still minimised,
            // and a priced licensing that avoids these CALs is taken where it costs less than
            // that per CAL avoided.
            let p = prices.dearest_cal().unwrap_or(1).max(1);
            (p, p)
        }
    };
    let ec = if info.external_connector {
        prices.get(info.product, LicenceKind::ExternalConnector)
    } else {
        None
    };
    if info.external_connector && ec.is_none() && !a.host_rank.is_empty() {
        missing_prices.push(LicenceKind::ExternalConnector);
    }
    let own = cx.owned.get(&info.product);
    // An External Connector assigned to a host no external user reaches can never be used here.
    let usable = |o: &OwnedLot| {
        o.kind != LicenceKind::ExternalConnector
            || assigned_unit(estate, cx.hosts, server_unit, o)
                .is_none_or(|u| a.host_rank.contains_key(&u))
    };
    let count_at_least = |kind: LicenceKind, rank: u8| -> u64 {
        own.map(|v| {
            v.iter()
                .filter(|o| o.kind == kind && o.rank >= rank && usable(o))
                .map(|o| o.quantity)
                .sum()
        })
        .unwrap_or(0)
    };
    // The newest version a connector must be to serve any host that may need one, those where
    // it is only the base of an additive one included (review 22b: on a 2019 Essentials host
    // beside a 2022 one, an owned 2019 connector was neither pooled nor placed, and RDS CALs
    // were bought where $10 was enough).
    let connector_hosts = || a.host_rank.keys().chain(base_host_rank.keys());
    let connector_rank = |u: &usize| {
        (a.host_rank.get(u).or(base_host_rank.get(u)))
            .copied()
            .unwrap_or(max_rank)
    };
    // As the base of an additive connector a host may ask a newer one than its own external
    // users do (`ProductDemand::base_connector_rank`).
    let base_rank = |u: &usize| connector_rank(u).max(base_host_rank.get(u).copied().unwrap_or(0));
    let host_max = connector_hosts().map(base_rank).max().unwrap_or(0);
    let mut rules = a.rules;
    // RDS reached only on pay-as-you-go hosts asks no Windows Server CAL beneath it: the
    // base/additive rules do not apply there (browser review 21: G13's RDS count cited "each RDS
    // user also needs a Windows Server CAL" beside "0 needed").
    let base_needed = !(info.product == CalProduct::Rds
        && !a.servers.is_empty()
        && a.servers.keys().all(|id| {
            estate
                .servers
                .iter()
                .any(|s| &s.id == id && s.pay_as_you_go)
        }));
    if info.base.is_some() && has_subjects && base_needed {
        rules.insert(ids::ADDITIVE_REQUIRES_BASE);
        if info.product == CalProduct::Rds {
            rules.insert(ids::RDS_ADDITIVE);
        }
        if info.product == CalProduct::AdRms {
            rules.insert(ids::ADRMS_ADDITIVE);
        }
    }
    // External users of an additive product: what licenses their base (a reading, see estate.rs).
    let any_subject = org.readings.additive_base == AdditiveBase::EitherSubject;
    let external_base_by_connector = info.base.is_some()
        && org.readings.external_additive_base == ExternalAdditiveBase::ExternalConnector;
    if info.base.is_some() && has_subjects && base_needed && any_subject {
        rules.insert(ids::ADDITIVE_BASE_ANY_SUBJECT);
    } else if info.base.is_some() && !a.host_rank.is_empty() {
        rules.insert(if external_base_by_connector {
            ids::EXT_ADDITIVE_BASE_EC
        } else {
            ids::EXT_ADDITIVE_BASE_CAL
        });
    }
    if !a.host_rank.is_empty() && info.external_connector {
        rules.insert(match org.readings.external_connector_scope {
            ExternalConnectorScope::PerPhysicalHost => ids::EC_PER_PHYSICAL_HOST,
            ExternalConnectorScope::PerVm => ids::EC_PER_VM_READING,
        });
        rules.insert(ids::EC_INTERNAL_NEED_CALS);
    }
    if has_subjects {
        rules.insert(ids::CAL_PER_ORGANISATION);
        rules.insert(ids::CAL_PER_PERSON);
        rules.insert(ids::CAL_MIX_ALLOWED);
        // A 2012 R2 server is covered at version 2012, and owned "2012 R2" CALs count as 2012
        // ones (§1.4 oddities 1 and 2): name the rule that says why (domain review 21: G1's
        // "covered at version 2012" cited only the same-or-newer rule).
        let r2 = |v: &str| catalog::same_generation_release(fam, v);
        let owned_r2 = own.is_some_and(|lots| {
            lots.iter().any(|o| {
                estate
                    .holdings
                    .get(o.holding)
                    .is_some_and(|h| !catalog::is_suite(h.product) && r2(&h.version))
            })
        });
        if owned_r2 || a.servers.values().any(|v| r2(v)) {
            rules.insert(ids::CAL_R2_SAME_GENERATION);
        }
    }
    // Owned External Connectors assigned to a host serve that host only (if of a version it
    // needs); the unassigned ones form the pool the optimiser may place on any host. On a host
    // no external user of this product reaches, a connector is only the base of an additive one
    // (RDS, AD RMS): it needs the version their users reach there, as the position prices it
    // ([`ProductDemand::connector_rank`]), and an owned one there is free like anywhere else.
    let assigned_to = |o: &OwnedLot| assigned_unit(estate, cx.hosts, server_unit, o);
    // The newest owned connector free on each host.
    let mut free_rank: BTreeMap<usize, u8> = BTreeMap::new();
    for o in own.into_iter().flatten() {
        if o.kind == LicenceKind::ExternalConnector {
            if let Some(u) = assigned_to(o).filter(|u| o.rank >= connector_rank(u)) {
                bump(&mut free_rank, u, o.rank);
            }
        }
    }
    let mut owned_ec_hosts: Vec<usize> = free_rank.keys().copied().collect();
    // Unassigned connectors older than the newest host external users reach can still serve a
    // host no newer than themselves (§1.4): put them there, the oldest first and each on the
    // host with the most external users who reach no other host, then the most external users,
    // among those left (review 13: a 2022 connector sat idle
    // and 40 users of a 2022 host were bought CALs). When there are fewer than hosts they fit,
    // this is a choice the optimiser does not weigh; the engine's lower bound, which counts them
    // as free anywhere, says whether it cost anything.
    // Without a price no connector can be bought, so the optimiser cannot draw on the pool
    // either: every unassigned one is placed so, as an unassigned pool usable on any host
    // (cal-rules §1.6; metamorphic review 29: an owned RDS connector lay idle unassigned and 17
    // Windows Server and RDS User CALs were bought, $3,485, where assigned it cost $2,900).
    let no_price = ec.is_none();
    let mut older: Vec<(u8, u64)> = own
        .into_iter()
        .flatten()
        .filter(|o| o.kind == LicenceKind::ExternalConnector && (o.rank < host_max || no_price))
        .filter(|o| assigned_to(o).is_none())
        .map(|o| (o.rank, o.quantity))
        .collect();
    older.sort_unstable();
    if !older.is_empty() {
        // Per host, the external users who reach no other host (a connector there saves their
        // CALs; one who also reaches another host needs a CAL anyway unless that host has a
        // connector too: review 13b), then all of them.
        let mut reach: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
        for &(c, h) in &a.person_host {
            reach.entry(c).or_default().insert(h);
        }
        // External users of a session host, whether or not a connector is priced (without
        // one they are counted among its people below unless a connector is placed there).
        for (sid, r) in &a.rds {
            if let Some(&h) = server_unit.get(sid) {
                for &c in &r.external {
                    reach.entry(c).or_default().insert(h);
                }
            }
        }
        let mut external: BTreeMap<usize, (u64, u64)> = BTreeMap::new();
        for (c, hosts) in &reach {
            for &h in hosts {
                let e = external.entry(h).or_default();
                if hosts.len() == 1 {
                    e.0 += mult(c);
                }
                e.1 += mult(c);
            }
        }
        // A host no external user of this product reaches but where a connector is the base of
        // an additive one comes after those that save CALs of their own (review 22b).
        for &h in base_host_rank.keys() {
            external.entry(h).or_default();
        }
        for (rank, quantity) in older {
            // An RDS or AD RMS connector first where the Windows Server one is (it needs it
            // on the same host: review 13b, the pair was split and the RDS one lay idle).
            let mut fits: Vec<((bool, u64, u64), usize)> = external
                .iter()
                .filter(|&(h, &(_, n))| {
                    (n > 0 || base_host_rank.contains_key(h))
                        && !owned_ec_hosts.contains(h)
                        && connector_hosts().any(|u| u == h)
                        && connector_rank(h) <= rank
                })
                .map(|(&h, &(only, n))| ((base_hosts.contains(&h), only, n), h))
                .collect();
            fits.sort_unstable_by(|x, y| y.cmp(x));
            let take = usize::try_from(quantity).unwrap_or(usize::MAX);
            for (_, h) in fits.into_iter().take(take) {
                owned_ec_hosts.push(h);
                bump(&mut free_rank, h, rank);
            }
        }
        owned_ec_hosts.sort_unstable();
    }
    let rds_hosts: Vec<RdsHost> = if info.product == CalProduct::Rds {
        rules.insert(ids::RDS_MODE_PER_HOST);
        a.rds
            .iter()
            .filter(|(_, r)| {
                !r.people.is_empty() || !r.person_device.is_empty() || !r.external.is_empty()
            })
            .map(|(sid, r)| {
                let s = estate.servers.iter().find(|s| &s.id == sid);
                // Without an RDS External Connector to buy, external users are licensed like
                // anyone else on the host: by RDS User CALs on a per-user host, by RDS Device
                // CALs for their own devices on a per-device host (§1.10). Unless one is owned
                // and assigned to the host or placed there from the unassigned ones (review 13b:
                // 100 partners were bought $20,500 of CALs beside an owned RDS connector because
                // no connector price was entered).
                let unit = server_unit.get(sid).copied().unwrap_or(0);
                let owned_here = owned_ec_hosts.contains(&unit)
                    || own.into_iter().flatten().any(|o| {
                        o.kind == LicenceKind::ExternalConnector
                            && assigned_unit(estate, cx.hosts, server_unit, o) == Some(unit)
                            && a.host_rank.get(&unit).is_none_or(|&r| o.rank >= r)
                    });
                let (people, external_people) = if ec.is_none() && !owned_here {
                    (r.people.union(&r.external).copied().collect(), Vec::new())
                } else {
                    (
                        r.people.iter().copied().collect(),
                        r.external.iter().copied().collect(),
                    )
                };
                RdsHost {
                    label: sid.clone(),
                    mode: s.and_then(|s| s.rds_mode),
                    people,
                    person_device: r.person_device.iter().copied().collect(),
                    external_people,
                    host: server_unit.get(sid).copied().unwrap_or(0),
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    // (Additive product, host) where the host's free connector serves Windows Server's own
    // external users but is too old to be the base of that product's connector: such a
    // connector needs one bought beneath it. Per product: an AD RMS connector for a 2016 server
    // takes a 2016 one as its base even beside a 2022 RDS host (review of this session's
    // changes).
    let base_short: Vec<(CalProduct, usize)> = additive_host_rank
        .iter()
        .filter(|&(&(_, h), &b)| free_rank.get(&h).is_some_and(|&r| r < b))
        .map(|(&key, _)| key)
        .collect();
    // Units with a pay-as-you-go Windows Server where external users have no Windows Server
    // access that needs licensing (they reach only the pay-as-you-go servers there, §1.8): an
    // RDS or AD RMS connector there needs no Windows Server connector (review 13: one was bought,
    // also when an internal-only VM shared the physical host).
    let licensed_hosts: Vec<usize> = if info.product == CalProduct::WindowsServer {
        // By unit, in one pass over the servers (asking each unit of every server was quadratic
        // in the hosts: a fifth of a 10,000-server evaluation): whether a pay-as-you-go server
        // is there, and whether a session host or AD RMS server that is not is.
        let mut payg = vec![false; cx.hosts.len()];
        let mut base_needed = vec![false; cx.hosts.len()];
        for s in &estate.servers {
            let Some(&u) = server_unit.get(&s.id) else {
                continue;
            };
            if u >= payg.len() {
                continue;
            }
            if s.pay_as_you_go {
                payg[u] = true;
            } else if s.rds_session_host || s.ad_rms {
                base_needed[u] = true;
            }
        }
        (0..cx.hosts.len())
            .filter(|u| !a.host_rank.contains_key(u))
            // Nor where an RDS or AD RMS connector needs one beneath it for a session host or AD
            // RMS server that is not pay-as-you-go (review 22b: an Essentials session host beside
            // a pay-as-you-go VM was given an RDS connector with nothing beneath it).
            .filter(|&u| !base_host_rank.contains_key(&u) || !base_needed[u])
            .filter(|&u| payg[u])
            .collect()
    } else {
        Vec::new()
    };
    let ec_pool: u64 = own
        .into_iter()
        .flatten()
        .filter(|o| o.kind == LicenceKind::ExternalConnector && o.rank >= host_max && !no_price)
        .filter(|o| assigned_to(o).is_none())
        .map(|o| o.quantity)
        .sum();
    let instance = ProductInstance {
        product: info.product,
        prices: UnitPrices {
            user_cal: Some(user),
            device_cal: Some(device),
            external_connector: ec,
        },
        owned: Owned {
            user_cals: count_at_least(LicenceKind::UserCal, max_rank),
            device_cals: count_at_least(LicenceKind::DeviceCal, max_rank),
            external_connectors: ec_pool,
        },
        people: a.people.into_iter().collect(),
        person_device: a.person_device.into_iter().collect(),
        person_host: a.person_host.into_iter().collect(),
        unattended_devices: a.unattended.into_iter().collect(),
        rds_hosts,
        base: info.base,
        external_base_by_connector,
        owned_ec_hosts,
        base_short,
        licensed_hosts,
        base_only_devices: a
            .base_only_device
            .keys()
            .filter(|d| !a.device_rank.contains_key(d))
            .copied()
            .collect(),
        base_only_own: a
            .base_only_own
            .keys()
            .filter(|c| !a.person_rank.contains_key(c))
            .copied()
            .collect(),
        user_only: Vec::new(),
        base_any_subject: info.base.is_some() && any_subject,
    };
    let mut servers: Vec<(String, String)> = a.servers.into_iter().collect();
    crate::sort::sort(&mut servers);
    let demand = ProductDemand {
        product: info.product,
        family: fam,
        person_rank: a.person_rank,
        device_rank: a.device_rank,
        pool_pair_rank: newest_per_key(a.pool_pair_rank),
        pool_fixed_rank: a.pool_fixed_rank,
        own_rank: a.own_rank,
        base_only_rank: a.base_only_device,
        base_only_own_rank: a.base_only_own,
        host_rank: a.host_rank,
        base_host_rank,
        additive_host_rank,
        max_rank,
        exempt,
        admin_over,
        admin_for_printers,
        rules,
        via: a.via,
        servers,
        missing_prices,
    };
    (instance, demand)
}

/// Builds the demand for an estate (assumed valid: see [`Estate::validate`]), with external
/// people's access from shared devices to products with an External Connector recorded as
/// person–host edges (see [`demand_with`]).
pub fn demand(estate: &Estate, today: Date) -> Demand {
    demand_with(estate, today, &BTreeSet::new())
}

/// [`demand`], with the access of the (external class, product) pairs of `at_devices` from the
/// organisation's shared devices recorded as person–device edges: a User CAL of the person or a
/// Device CAL of the device, as for the organisation's own people, and no connector.
pub fn demand_with(
    estate: &Estate,
    today: Date,
    at_devices: &BTreeSet<(usize, CalProduct)>,
) -> Demand {
    demand_of(estate, today, at_devices, false, None, false)
}

/// [`demand`], with the administrators exempt from each product's CALs (cal-rules §1.8 item 3)
/// named in `admins` per base product (classes of [`Demand::admin_candidates`]) instead of
/// chosen by the rule of thumb, two per base product and its additive ones; products not named
/// keep the rule of thumb's.
pub fn demand_with_admins(
    estate: &Estate,
    today: Date,
    admins: &VecMap<CalProduct, AdminPick>,
) -> Demand {
    demand_with_admins_at(estate, today, &BTreeSet::new(), admins)
}

/// [`demand_with_admins`], with the access of the (external class, product) pairs of
/// `at_devices` from the organisation's shared devices recorded as [`demand_with`] records it.
pub fn demand_with_admins_at(
    estate: &Estate,
    today: Date,
    at_devices: &BTreeSet<(usize, CalProduct)>,
    admins: &VecMap<CalProduct, AdminPick>,
) -> Demand {
    demand_of(estate, today, at_devices, false, Some(admins), false)
}

/// [`demand_with_admins`], where an exempt administrator who prints may still hold a CAL of
/// the base product for the printers they use alone (their own access exempt): a User CAL of
/// theirs or the printers' Device CALs licenses each of them and each printer, as for anyone
/// who prints (cal-rules §1.8 item 8). Its least cost is the least over every way for the
/// exempt who print to keep the base product's CAL ([`AdminPick::keep_base`]), so its proven
/// bound bounds them all; which of them get a CAL there is the choice to price. A demand for
/// that bound and choice only: its figures count such administrators both as exempt and as
/// reaching the product.
pub fn demand_for_admin_printers(
    estate: &Estate,
    today: Date,
    admins: &VecMap<CalProduct, AdminPick>,
) -> Demand {
    demand_of(estate, today, &BTreeSet::new(), false, Some(admins), true)
}

/// [`demand`] without the access of the (external class, product) pairs of `without` from the
/// organisation's shared devices: a relaxation of every variant of [`demand_with`], whose least
/// cost is a lower bound on theirs.
pub fn demand_without(
    estate: &Estate,
    today: Date,
    without: &BTreeSet<(usize, CalProduct)>,
) -> Demand {
    demand_of(estate, today, without, true, None, false)
}

fn demand_of(
    estate: &Estate,
    today: Date,
    at_devices: &BTreeSet<(usize, CalProduct)>,
    omit: bool,
    admin_pick: Option<&VecMap<CalProduct, AdminPick>>,
    admin_printers: bool,
) -> Demand {
    let org = &estate.organisation;
    let prices = PriceBook::for_organisation(org);
    let equivalency = m365_equivalency_applies(org.readings.m365_equivalency, org.m365.channel);
    let people = person_classes(estate, equivalency, &prices);
    let devices = device_classes(estate);
    let (hosts, server_unit) = host_units(estate);
    let essentials = essentials_use(estate);
    let mut collector = Collector {
        groups: by_id(&estate.groups, |g| g.id.as_str()),
        servers: by_id(&estate.servers, |s| s.id.as_str()),
        acc: VecMap::new(),
        classes: &people.classes,
        server_unit: &server_unit,
        essentials_exceeded: essentials
            .iter()
            .filter(|e| e.exceeded())
            .map(|e| e.server.clone())
            .collect(),
        e3_rights: org.readings.m365_e3_rights,
        printers: org.readings.m365_printers,
        any_subject: org.readings.additive_base == AdditiveBase::EitherSubject,
        m365_printers: VecMap::new(),
        network: org.readings.network_equipment,
        network_pools: VecMap::new(),
        e3_enterprise: VecSet::new(),
        today,
        unreleased: VecMap::new(),
        at_devices,
        omit,
        shared_external: BTreeMap::new(),
        admin_deferring: true,
        admin_deferred: Vec::new(),
        admin_candidates: VecMap::new(),
        admin_printing: VecMap::new(),
        admin_exempt: VecMap::new(),
        admin_pick,
        admin_printers,
        exempt_admins_print: false,
    };
    collector.group_access(estate, &people, &devices);
    collector.usage_links(estate, &people, &devices);
    // Before the printers: whether their users' CALs cover them depends on who is exempt.
    collector.settle_admins(estate, &people, &devices, &prices);
    collector.unattended_pools(estate, &people, &devices);
    let e3_enterprise: Vec<CalProduct> = collector.e3_enterprise.into_iter().collect();
    let m365_printers: Vec<(usize, Vec<CalProduct>)> = collector
        .m365_printers
        .into_iter()
        .map(|(k, products)| (k, products.into_iter().collect()))
        .collect();
    let network_pools: Vec<(usize, Vec<CalProduct>)> = (collector.network_pools.into_iter())
        .map(|(k, products)| (k, products.into_iter().collect()))
        .collect();
    let unreleased: Vec<(CalProduct, Vec<(String, String)>)> = collector
        .unreleased
        .into_iter()
        .map(|(p, servers)| (p, servers.into_iter().collect()))
        .collect();
    let shared_external_exact = collector
        .shared_external
        .iter()
        .all(|((_, p), e)| e.one_or_other(*p));
    let shared_external: Vec<(usize, CalProduct)> = collector.shared_external.into_keys().collect();
    let admin_candidates = collector.admin_candidates;
    let admin_printing = collector.admin_printing;
    let admin_exempt = collector.admin_exempt;
    let mut acc = collector.acc;

    // Owned licences by effective rank, per product and kind (suites count as their contents).
    let owned = owned_by_rank(estate, today);
    let cx = Context {
        estate,
        people: &people.people,
        classes: &people.classes,
        prices: &prices,
        owned: &owned,
        server_unit: &server_unit,
        hosts: &hosts,
    };
    // Hosts where an RDS or AD RMS connector needs a Windows Server one beneath it of a newer
    // version than Windows Server's own external users there ask, or where none of those reach
    // (an Essentials server): of the version their users reach there (the additive need's rank
    // is that of the host's Windows Server). On a physical host whose VMs differ in version, an
    // older connector may serve Windows Server's own external users but not be the base of an
    // RDS one (review 22b: a 2016 connector counted as the base under a 2022 RDS connector).
    let mut base_host_rank: BTreeMap<usize, u8> = BTreeMap::new();
    let mut additive_host_rank: VecMap<(CalProduct, usize), u8> = VecMap::new();
    let ws_hosts = acc.get(&CalProduct::WindowsServer).map(|a| &a.host_rank);
    for p in [CalProduct::Rds, CalProduct::AdRms] {
        for (&h, &r) in acc.get(&p).map(|a| &a.host_rank).into_iter().flatten() {
            if ws_hosts.and_then(|w| w.get(&h)).is_none_or(|&w| w < r) {
                bump(&mut base_host_rank, h, r);
                additive_host_rank.insert((p, h), r);
            }
        }
    }
    let mut products = Vec::new();
    let mut instances = Vec::new();
    for info in catalog::PRODUCTS {
        let Some(a) = acc.remove(&info.product) else {
            continue;
        };
        let Some(fam) = info.family else { continue };
        // Windows Server comes first in the catalogue: an additive product's older connectors
        // go where its connectors are (review 13b).
        let base_hosts: Vec<usize> = instances
            .iter()
            .filter(|i: &&ProductInstance| Some(i.product) == info.base)
            .flat_map(|i| i.owned_ec_hosts.iter().chain(&i.licensed_hosts).copied())
            .collect();
        let base_rank = if info.product == CalProduct::WindowsServer {
            (
                std::mem::take(&mut base_host_rank),
                std::mem::take(&mut additive_host_rank),
            )
        } else {
            Default::default()
        };
        let (instance, demand) = finish_product(info, fam, a, &cx, &base_hosts, base_rank);
        instances.push(instance);
        products.push(demand);
    }

    let mut suites = Vec::new();
    for s in [CalProduct::CoreCalSuite, CalProduct::EnterpriseCalSuite] {
        let user_price = prices.get(s, LicenceKind::UserCal);
        let device_price = prices.get(s, LicenceKind::DeviceCal);
        if user_price.is_some() || device_price.is_some() {
            suites.push(SuiteOffer {
                suite: s,
                covers: catalog::suite_contents(s).to_vec(),
                user_price,
                device_price,
                owned_user: 0,
                owned_device: 0,
            });
        }
    }

    let People {
        people: person_list,
        classes,
        m365_short,
        m365_seats,
        ..
    } = people;
    Demand {
        instance: Instance {
            people: person_list,
            devices: devices.devices,
            hosts,
            products: instances,
            suites,
        },
        classes,
        products,
        prices,
        today,
        essentials,
        m365_short,
        m365_withheld: !equivalency && estate.groups.iter().any(|g| g.m365.is_some()),
        m365_seats,
        m365_e3_enterprise: e3_enterprise,
        m365_printers,
        network_pools,
        unreleased,
        server_unit,
        shared_external,
        shared_external_exact,
        admin_candidates,
        admin_printing,
        admin_exempt,
    }
}

/// One lot of owned licences of a product, at the CAL generation it counts as today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnedLot {
    pub kind: LicenceKind,
    pub rank: u8,
    pub quantity: u64,
    /// "2019 with SA", "Core CAL Suite", … for explanations.
    pub origin: String,
    /// Index of the holding it comes from.
    pub holding: usize,
}

impl OwnedLot {
    /// Whether the lot is an owned CAL Suite's contents: [`owned_by_rank`] gives such a lot the
    /// suite's name as its origin.
    pub fn from_suite(&self) -> bool {
        [CalProduct::CoreCalSuite, CalProduct::EnterpriseCalSuite]
            .iter()
            .any(|&s| self.origin == catalog::label(s))
    }
}

/// Whether a licence's Software Assurance starts after `today`: it gives no rights on that date.
pub fn sa_not_started(h: &crate::estate::Holding, today: Date) -> bool {
    (h.software_assurance.as_ref()).is_some_and(|sa| sa.since > today)
}

/// The estate as owned on `today`, where that differs from what was entered: a CAL Suite whose
/// Software Assurance starts later is not owned yet (suites are sold only with SA and their
/// rights are those of its coverage, cal-rules §1.5 and §1.12; review 45: five Core CAL Suites
/// with SA from 2027-06-01 covered Windows Server 2025 and Exchange SE on 2026-12-05, "nothing
/// to buy, proven"). Such a suite counts for none (its quantity 0, its place in the holdings
/// kept: the position and the findings name holdings by index); the `sa-not-started` finding
/// says so. `None` when there is no such suite.
pub fn owned_on(estate: &Estate, today: Date) -> Option<Estate> {
    let later = |h: &crate::estate::Holding| {
        catalog::is_suite(h.product) && h.quantity > 0 && sa_not_started(h, today)
    };
    if !estate.holdings.iter().any(later) {
        return None;
    }
    let mut on = estate.clone();
    for h in on.holdings.iter_mut().filter(|h| later(h)) {
        h.quantity = 0;
    }
    Some(on)
}

/// Owned licences per product by effective rank: SA version rights raise a CAL to the newest
/// generation released while SA was active; suites count as their contents at the generation
/// their SA gives (cal-rules §1.5, §1.12).
pub fn owned_by_rank(estate: &Estate, today: Date) -> VecMap<CalProduct, Vec<OwnedLot>> {
    let mut out: VecMap<CalProduct, Vec<OwnedLot>> = VecMap::new();
    for (i, h) in estate.holdings.iter().enumerate() {
        if !matches!(
            h.kind,
            LicenceKind::UserCal | LicenceKind::DeviceCal | LicenceKind::ExternalConnector
        ) {
            continue;
        }
        if catalog::is_suite(h.product) {
            if h.kind == LicenceKind::ExternalConnector {
                continue;
            }
            for &c in catalog::suite_contents(h.product) {
                let Some(f) = catalog::product(c).family else {
                    continue;
                };
                let rank = catalog::suite_rank(f, h.software_assurance.as_ref(), today);
                out.entry(c).or_default().push(OwnedLot {
                    kind: h.kind,
                    rank,
                    quantity: u64::from(h.quantity),
                    origin: catalog::label(h.product).to_string(),
                    holding: i,
                });
            }
            continue;
        }
        let Some(f) = catalog::product(h.product).family else {
            continue;
        };
        let Some(rank) =
            catalog::effective_cal_rank(f, &h.version, h.software_assurance.as_ref(), today)
        else {
            continue;
        };
        let own = catalog::cal_version(f, &h.version)
            .map(|c| c.rank)
            .unwrap_or(rank);
        let origin = if rank > own {
            format!("{} with SA", h.version)
        } else {
            h.version.clone()
        };
        out.entry(h.product).or_default().push(OwnedLot {
            kind: h.kind,
            rank,
            quantity: u64::from(h.quantity),
            origin,
            holding: i,
        });
    }
    out
}

/// The host unit an owned External Connector is assigned to (`assigned_to` names a host or a
/// server on it), if any and known.
pub fn assigned_unit(
    estate: &Estate,
    hosts: &[HostUnit],
    server_unit: &VecMap<String, usize>,
    lot: &OwnedLot,
) -> Option<usize> {
    let to = estate.holdings.get(lot.holding)?.assigned_to.as_deref()?;
    hosts
        .iter()
        .position(|h| h.label == to)
        .or_else(|| server_unit.get(to).copied())
}

/// The RDS mode names for explanations.
pub fn mode_label(m: RdsMode) -> &'static str {
    match m {
        RdsMode::PerUser => "per user",
        RdsMode::PerDevice => "per device",
    }
}
