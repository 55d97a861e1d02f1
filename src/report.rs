//! The report: the one serialisable answer that the web app, the JavaScript API and the CLI all
//! render. Every figure carries an [`Explanation`] naming the rules and the numbers behind it.
//!
//! Money is integer minor units of `currency`. Fields are only ever added, never renamed, so that
//! saved reports and the JavaScript API stay readable.

use crate::estate::{CalProduct, Date, LicenceKind, M365Plan, RdsMode};
use serde::{Deserialize, Serialize};

/// Stable identifier of a licensing rule in the catalog (e.g. `"cal.version-not-older"`).
pub type RuleId = String;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub format_version: u32,
    pub estate_name: String,
    /// The date the report was computed for (a parameter of `evaluate`, never the clock).
    pub as_of: Date,
    pub currency: String,
    /// Date and basis of the reference prices used (editable estimates, not a Microsoft price list).
    pub prices_note: String,
    /// What each product needs and what the optimiser recommends buying for it.
    pub products: Vec<ProductResult>,
    /// The purchase that closes every gap at the least cost, given what is owned.
    pub recommendation: Recommendation,
    /// Alternatives priced the same way (all-user, all-device, optimal mix, with/without EC).
    pub scenarios: Vec<Scenario>,
    /// Effective License Position: per product × kind × version.
    pub position: Vec<PositionRow>,
    /// The position's Microsoft 365 E3/E5 seats: one row per plan owned or flagged, its seats
    /// against the people who use them as CAL equivalents (absent when there is none, and in
    /// reports saved before the rows were added).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub seats: Vec<SeatRow>,
    pub findings: Vec<Finding>,
    pub breakevens: Vec<BreakEven>,
    /// Every rule referred to anywhere in this report, with its sentence and source.
    pub rules: Vec<RuleRef>,
    /// The name of every server (and physical host that is a server) that has one, by id, for
    /// showing `external_connector_hosts` and `rds_modes`, which give ids.
    #[serde(default, skip_serializing_if = "crate::vecmap::VecMap::is_empty")]
    pub server_names: crate::vecmap::VecMap<String, String>,
    /// How this report counts External Connectors: per physical host (the Product Terms) or per
    /// VM (the estate's per-VM reading), for the break-even chart's note
    /// (`engine::ec_breakeven_scope_note`). Reports saved before it read per physical host.
    #[serde(default)]
    pub external_connector_scope: crate::estate::ExternalConnectorScope,
    /// The readings applied where sources disagree, all five, for files that must say on what
    /// basis they were computed (the CSV's Total row). Reports saved before it read the defaults.
    #[serde(default)]
    pub readings: crate::estate::Readings,
}

impl ProductResult {
    /// Every figure of the product, each with its why.
    pub fn counts(&self) -> [&Count; 8] {
        [
            &self.people,
            &self.external_people,
            &self.devices,
            &self.exempt,
            &self.user_cals,
            &self.device_cals,
            &self.external_connectors,
            &self.suite_licences,
        ]
    }
}

impl BreakEven {
    /// What it is about by name (by id in a report saved before names were given).
    pub fn shown_subject(&self) -> &str {
        if self.subject_name.is_empty() {
            &self.subject
        } else {
            &self.subject_name
        }
    }
}

impl Report {
    /// The finding whose change saves most on the purchase, if any names one.
    pub fn largest_saving(&self) -> Option<&Finding> {
        self.findings
            .iter()
            .filter(|f| f.saving_minor.is_some_and(|s| s > 0))
            .max_by_key(|f| f.saving_minor)
    }

    /// A server's or host's name, by the id the report gives: its name, or the id itself.
    pub fn server_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.server_names.get(id).map_or(id, String::as_str)
    }
}

/// Demand and recommendation for one CAL product.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductResult {
    pub product: CalProduct,
    /// Human name, e.g. "Windows Server CAL".
    pub label: String,
    /// Minimum CAL version the accessed servers require (e.g. "2022"); empty if none needed.
    pub required_version: String,
    /// People (not accounts) who need access covered, internal and external.
    pub people: Count,
    pub external_people: Count,
    /// Devices from which covered access happens.
    pub devices: Count,
    /// Exempt subjects (admin-only up to two, anonymous, PAYG, Essentials, …).
    pub exempt: Count,
    /// The optimal licensing for this product.
    pub user_cals: Count,
    pub device_cals: Count,
    /// Physical hosts (or VMs under the per-VM reading) that get an External Connector.
    pub external_connectors: Count,
    /// CAL Suite licences (Core or Enterprise, User and Device) the licensing buys that cover this
    /// product, so that its people or devices need none of its own CALs: 0 when none does. The
    /// holders of owned suites are among `user_cals` and `device_cals` (their parts count as
    /// owned CALs), and both whys say so.
    #[serde(default = "no_suites")]
    pub suite_licences: Count,
    pub external_connector_hosts: Vec<String>,
    /// For RDS: the mode chosen per session host.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rds_modes: Vec<(String, RdsMode)>,
    /// Purchase cost (after owned licences) of this product's recommendation.
    pub cost_minor: i64,
}

fn no_suites() -> Count {
    Count {
        value: 0,
        why: Explanation::default(),
    }
}

/// A number and why it is what it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    pub value: u64,
    pub why: Explanation,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Explanation {
    /// The rules that decide the figure.
    pub rules: Vec<RuleId>,
    /// The arithmetic in plain words, e.g. "1,000 people × 1 user CAL, cheaper than 3,000 devices".
    pub text: String,
}

impl Explanation {
    /// Nothing to explain: no words and no rule (the app then shows no "why").
    pub fn is_empty(&self) -> bool {
        self.text.is_empty() && self.rules.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recommendation {
    pub lines: Vec<PurchaseLine>,
    /// Total purchase cost in minor units.
    pub total_minor: i64,
    /// True when the optimum is proven (always, except a very large instance with owned licences
    /// where the optimiser reports a bound; see `gap_minor`).
    pub exact: bool,
    /// Upper bound minus proven lower bound; 0 when exact.
    pub gap_minor: i64,
    pub why: Explanation,
}

/// Something to buy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurchaseLine {
    pub product: CalProduct,
    pub kind: LicenceKind,
    /// Version to buy (the current one), empty for version-less suites.
    pub version: String,
    pub quantity: u64,
    pub unit_minor: i64,
    pub cost_minor: i64,
    pub why: Explanation,
    /// No price is known for this item (neither the organisation's nor a reference estimate):
    /// `unit_minor` and `cost_minor` are 0 and the user should enter a price.
    #[serde(default)]
    pub price_missing: bool,
}

/// Whether a purchase line or position row of `product` belongs in a view cut down to the
/// products `only` names (embed `products=`; all with `None`): its own product is named, or it is
/// a CAL Suite that licenses one named (review: with `products=ws` the 3,459 Core CAL Suites
/// bought for Windows Server were left out, and "Nothing to buy" stood over them).
pub fn concerns(product: CalProduct, only: Option<&[CalProduct]>) -> bool {
    only.is_none_or(|o| {
        o.contains(&product)
            || crate::catalog::suite_contents(product)
                .iter()
                .any(|p| o.contains(p))
    })
}

/// What the CAL Suites among `products` (those of the lines or rows kept for `only`) cover
/// beyond the products `only` names, in words ("the Core CAL Suites in this total are counted
/// whole: they also cover Exchange Standard, …"); `None` when they cover no other.
pub fn suites_beyond(
    products: impl IntoIterator<Item = CalProduct>,
    only: &[CalProduct],
) -> Option<String> {
    let mut suites: Vec<CalProduct> = Vec::new();
    let mut others: Vec<&str> = Vec::new();
    for s in products
        .into_iter()
        .filter(|&p| crate::catalog::is_suite(p))
    {
        if only.contains(&s) || suites.contains(&s) {
            continue;
        }
        suites.push(s);
        for &p in crate::catalog::suite_contents(s) {
            let name = product_label(p);
            if !only.contains(&p) && !others.contains(&name) {
                others.push(name);
            }
        }
    }
    if others.is_empty() {
        return None;
    }
    let suites = match suites.as_slice() {
        [one] => product_label(*one).replace("Suite", "Suites"),
        _ => "Core and Enterprise CAL Suites".to_string(),
    };
    Some(format!(
        "the {suites} in this total are counted whole: they also cover {}",
        crate::findings::list_all(&others)
    ))
}

impl PurchaseLine {
    /// Whether the line belongs in a view cut down to the products `only` names: see
    /// [`concerns`].
    pub fn concerns(&self, only: Option<&[CalProduct]>) -> bool {
        concerns(self.product, only)
    }

    /// "20 Windows Server 2025 Device CALs": the quantity and the licence, in words.
    pub fn in_words(&self) -> String {
        format!(
            "{} {}",
            crate::position::thousands(self.quantity),
            crate::catalog::licence_name(self.product, &self.version, self.kind, self.quantity)
        )
    }
}

/// A priced alternative, for the comparison chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scenario {
    /// "all-user", "all-device", "per-group-smaller", "optimal", "optimal-no-ec", "optimal-no-suites".
    pub id: String,
    pub label: String,
    /// Purchase cost after what is owned; `-1` when the scenario is not possible (the reason is in
    /// `why`).
    pub total_minor: i64,
    pub why: Explanation,
    /// Some of what it buys has no price (neither the organisation's nor a reference estimate):
    /// `total_minor` leaves it out, so the scenario's cost is unknown (`why` names the items), as
    /// a purchase line's is.
    #[serde(default)]
    pub price_missing: bool,
}

/// One row of the Effective License Position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PositionRow {
    pub product: CalProduct,
    pub kind: LicenceKind,
    pub version: String,
    pub needed: u64,
    /// Of `needed`, how many owned licences cover, of this version or a newer one (a newer CAL
    /// covers an older server): `needed = covered + shortfall`.
    #[serde(default)]
    pub covered: u64,
    pub owned: u64,
    /// Of `owned` (this row's version), how many are in use, for this version's needs or an older
    /// one's: `owned = used + surplus`. Each owned licence is used once.
    pub used: u64,
    pub surplus: u64,
    pub shortfall: u64,
    pub unit_minor: i64,
    pub cost_to_close_minor: i64,
    pub why: Explanation,
    /// No price is known for this item: `unit_minor` is 0, and so is the cost to close, which is
    /// then unknown where there is a shortfall.
    #[serde(default)]
    pub price_missing: bool,
    /// Where `unit_minor` comes from: the organisation's own price, a reference estimate, or
    /// none (absent from reports saved before it was given). ELP review 42 (M6): the CSV did not
    /// say which prices were the client's and which estimates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_origin: Option<crate::catalog::PriceOrigin>,
    /// Of `surplus`, the CALs counted from owned CAL Suites: they go with their suite, not to be
    /// deployed apart from it (the why says so; review 43: a finding counted them as CALs left
    /// idle).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub surplus_in_suites: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl PositionRow {
    /// The basis of the row's unit price in words, for the CSV's "Price basis": "your price",
    /// "reference estimate", "derived estimate" (no published price: catalogue's
    /// `ReferencePrice::derived`) or "no price"; blank in a report saved before it was given.
    pub fn price_basis(&self) -> &'static str {
        match self.price_origin {
            _ if self.price_missing => "no price",
            Some(origin) => origin.basis(self.product, self.kind),
            None => "",
        }
    }
}

impl PositionRow {
    /// Whether the row belongs in a position cut down to the products `only` names: its own
    /// product's, or a CAL Suite's that licenses one of them (see [`concerns`]).
    pub fn concerns(&self, only: Option<&[CalProduct]>) -> bool {
        concerns(self.product, only)
    }
}

/// One Microsoft 365 plan's seats in the Effective License Position (cal-rules §1.13, §4.2 item
/// 10): the seats owned against the people flagged as holding the plan, who among them the seats
/// license as CAL equivalents and who is counted for CALs instead. The CAL rows already count the
/// latter, so a seat row costs nothing to close. `flagged = seated + unseated`; `unused` seats are
/// those beyond the people flagged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeatRow {
    pub plan: M365Plan,
    /// Seats owned: as the organisation states them, or, when it states none (`stated` false),
    /// the people flagged, whose flags are then taken as the claim.
    pub owned: u64,
    /// The seat count was given.
    pub stated: bool,
    /// People in the groups marked as holding the plan.
    pub flagged: u64,
    /// Of `flagged`, those whose access the seats license as CAL equivalents (per user).
    pub seated: u64,
    /// Of `flagged`, those counted for CALs (or External Connectors) instead: too few seats,
    /// external users, or every one when the equivalency is withheld.
    pub unseated: u64,
    /// Seats owned beyond the people flagged: `owned − min(owned, flagged)`.
    pub unused: u64,
    /// The purchase-channel reading withholds the plan's CAL equivalency: the seats are not
    /// counted as CALs (`seated` is 0).
    pub withheld: bool,
    /// The CALs a seat stands for under the chosen E3 reading.
    pub covers: Vec<CalProduct>,
    pub why: Explanation,
}

impl SeatRow {
    /// Seats held by people flagged: `owned − unused`, the position CSV's "Used".
    pub fn held(&self) -> u64 {
        self.owned - self.unused
    }

    /// "Microsoft 365 E3": the plan, in tables.
    pub fn plan_label(&self) -> &'static str {
        match self.plan {
            M365Plan::E3 => "Microsoft 365 E3",
            M365Plan::E5 => "Microsoft 365 E5",
        }
    }

    /// "Microsoft 365 E3 seats": the row's product in the position's CSV.
    pub fn label(&self) -> &'static str {
        match self.plan {
            M365Plan::E3 => "Microsoft 365 E3 seats",
            M365Plan::E5 => "Microsoft 365 E5 seats",
        }
    }

    /// What a seat is in the position: a CAL equivalent, or not counted as CALs.
    pub fn kind_label(&self) -> &'static str {
        if self.withheld {
            "Seat (not counted as CALs)"
        } else {
            "Seat (CAL equivalent)"
        }
    }

    /// Whether the row belongs in a position cut down to the products `only` names: it does
    /// when its seats stand for one of their CALs (all with `None`).
    pub fn concerns(&self, only: Option<&[CalProduct]>) -> bool {
        only.is_none_or(|o| o.iter().any(|p| self.covers.contains(p)))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    /// Non-compliant as entered.
    Critical,
}

crate::named::named_enum!(Severity {
    Info => "info",
    Warning => "warning",
    Critical => "critical",
});

/// What a finding is about, written as its kebab-case name ("version-gap"): the stable key a
/// program reading a report (the JavaScript API, the CLI's JSON) switches on, one name per kind
/// docs/engine.md describes. An enum, not a string, so a kind is never misspelt where it is
/// raised or tested, and `src/api.d.ts` can list every name (a test holds the two together).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FindingKind {
    AdditiveWithoutBase,
    AdminExemptionOverused,
    AnonymousOnlyReached,
    CalTypeMismatch,
    DevicesAssumed,
    EcAssignedElsewhere,
    EcIdleOnItsHost,
    EssentialsCapExceeded,
    M365SeatsShort,
    ManualTransfer,
    MissingExternalConnector,
    Multiplexing,
    PricesMissing,
    RdsEcWithoutWsEc,
    RdsLicensingServerOlder,
    RdsModeSwitchSaves,
    SaNotStarted,
    SaReliedOn,
    SePurchaseNeedsSa,
    SeSaEnded,
    SeSaEnds,
    SeWithoutSaDates,
    SharedDevicesUnused,
    Shortfall,
    SkypeSeSaUnchecked,
    SourcesDisagree,
    SqlAnonymousServerCal,
    SqlCoresUnknown,
    SqlPerCoreCheaper,
    SuiteRightsFrozen,
    SuiteSplit,
    SuiteWithoutSaDates,
    UnattendedUsersUnnamed,
    VersionGap,
    VersionNotReleased,
    VirtualisationOnlyReached,
    WindowsVersionMissing,
}

crate::named::named_enum!(FindingKind {
    AdditiveWithoutBase => "additive-without-base",
    AdminExemptionOverused => "admin-exemption-overused",
    AnonymousOnlyReached => "anonymous-only-reached",
    CalTypeMismatch => "cal-type-mismatch",
    DevicesAssumed => "devices-assumed",
    EcAssignedElsewhere => "ec-assigned-elsewhere",
    EcIdleOnItsHost => "ec-idle-on-its-host",
    EssentialsCapExceeded => "essentials-cap-exceeded",
    M365SeatsShort => "m365-seats-short",
    ManualTransfer => "manual-transfer",
    MissingExternalConnector => "missing-external-connector",
    Multiplexing => "multiplexing",
    PricesMissing => "prices-missing",
    RdsEcWithoutWsEc => "rds-ec-without-ws-ec",
    RdsLicensingServerOlder => "rds-licensing-server-older",
    RdsModeSwitchSaves => "rds-mode-switch-saves",
    SaNotStarted => "sa-not-started",
    SaReliedOn => "sa-relied-on",
    SePurchaseNeedsSa => "se-purchase-needs-sa",
    SeSaEnded => "se-sa-ended",
    SeSaEnds => "se-sa-ends",
    SeWithoutSaDates => "se-without-sa-dates",
    SharedDevicesUnused => "shared-devices-unused",
    Shortfall => "shortfall",
    SkypeSeSaUnchecked => "skype-se-sa-unchecked",
    SourcesDisagree => "sources-disagree",
    SqlAnonymousServerCal => "sql-anonymous-server-cal",
    SqlCoresUnknown => "sql-cores-unknown",
    SqlPerCoreCheaper => "sql-per-core-cheaper",
    SuiteRightsFrozen => "suite-rights-frozen",
    SuiteSplit => "suite-split",
    SuiteWithoutSaDates => "suite-without-sa-dates",
    UnattendedUsersUnnamed => "unattended-users-unnamed",
    VersionGap => "version-gap",
    VersionNotReleased => "version-not-released",
    VirtualisationOnlyReached => "virtualisation-only-reached",
    WindowsVersionMissing => "windows-version-missing",
});

/// Which two options a break-even weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BreakEvenKind {
    /// CALs for a host's external users against an External Connector on it.
    EcVsCal,
    /// A group's User CALs against Device CALs.
    UserVsDevice,
    /// A SQL Server licensed per core against Server + CAL.
    SqlPerCoreVsServerCal,
}

crate::named::named_enum!(BreakEvenKind {
    EcVsCal => "ec-vs-cal",
    UserVsDevice => "user-vs-device",
    SqlPerCoreVsServerCal => "sql-per-core-vs-server-cal",
});

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable kind, e.g. "version-gap", "missing-external-connector", "sources-disagree".
    pub kind: FindingKind,
    pub severity: Severity,
    pub rule: RuleId,
    pub message: String,
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<CalProduct>,
    /// What the change the finding names would take off the purchase, in minor units, when it
    /// names one that saves: licensing a SQL Server per core, switching a session host's RDS
    /// mode. The recommendation keeps the servers as entered; this says what changing them is
    /// worth.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub saving_minor: Option<i64>,
    /// What the saving leaves out, when it is not the whole story: "before the Software
    /// Assurance or subscription that licensing a virtual machine per core needs" (review 20:
    /// the sample's headline saving priced a VM's core licences without the SA they need).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub saving_condition: Option<String>,
}

impl Finding {
    /// A critical finding that buying the recommended licences does not close: a licensing
    /// server to upgrade, an Essentials server to move to Standard. (A shortfall or a version gap
    /// is closed by the purchase.)
    pub fn needs_more_than_the_purchase(&self) -> bool {
        self.severity == Severity::Critical
            && !matches!(self.kind, FindingKind::Shortfall | FindingKind::VersionGap)
    }

    /// The change a finding with a saving names, in words ("by licensing a SQL Server per
    /// core").
    pub fn saving_action(&self) -> String {
        let action = match self.kind {
            FindingKind::SqlPerCoreCheaper => "by licensing SQL Server per core",
            FindingKind::RdsModeSwitchSaves => "by switching a session host's RDS licensing mode",
            _ => "by the change a finding names",
        };
        match &self.saving_condition {
            Some(c) => format!("{action}, {c}"),
            None => action.to_string(),
        }
    }
}

/// A break-even threshold that is never reached (2^53 − 1, the largest integer a JavaScript number
/// holds exactly, so the JavaScript API can carry it).
pub const NEVER: u64 = 9_007_199_254_740_991;

/// Where one option becomes cheaper than another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BreakEven {
    /// "ec-vs-cal", "user-vs-device", "sql-per-core-vs-server-cal".
    pub kind: BreakEvenKind,
    /// What it is about, by id: a host (or several, listed), a group, a SQL server.
    pub subject: String,
    /// The same by the names the user gave them, for display.
    #[serde(default)]
    pub subject_name: String,
    pub product: CalProduct,
    /// The count at and above which option B is cheaper than option A ([`NEVER`]: never). For
    /// "user-vs-device" it counts people when the group shares devices, and devices per person
    /// when the group uses its own devices (the `why` text says which).
    pub threshold: u64,
    /// The current count for the subject.
    pub current: u64,
    /// Cost of each side at the current count.
    pub option_a: String,
    pub option_a_minor: i64,
    pub option_b: String,
    pub option_b_minor: i64,
    /// Points for a chart: (count, cost of A, cost of B).
    pub curve: Vec<(u64, i64, i64)>,
    pub why: Explanation,
    /// What the chart alone would misread, shown beside it (empty: nothing). A SQL Server whose
    /// people are counted at other SQL Servers says so: its chart weighs this server alone.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleRef {
    pub id: RuleId,
    pub sentence: String,
    pub source: String,
    /// "MS-PT", "MS", "MS-PT via 3P", "MS via 3P", "LS", "3P", "derived".
    pub confidence: String,
}

impl From<&crate::catalog::Rule> for RuleRef {
    fn from(r: &crate::catalog::Rule) -> Self {
        RuleRef {
            id: r.id.into(),
            sentence: r.sentence.into(),
            source: r.source.into(),
            confidence: r.confidence.into(),
        }
    }
}

/// A product's name in tables and the position's CSV ("Exchange Enterprise (additive)").
pub fn product_label(p: CalProduct) -> &'static str {
    match p {
        CalProduct::WindowsServer => "Windows Server",
        CalProduct::Rds => "Remote Desktop Services",
        CalProduct::AdRms => "AD Rights Management",
        CalProduct::SqlServer => "SQL Server",
        CalProduct::ExchangeStandard => "Exchange Standard",
        CalProduct::ExchangeEnterprise => "Exchange Enterprise (additive)",
        CalProduct::SharePointStandard => "SharePoint Standard",
        CalProduct::SharePointEnterprise => "SharePoint Enterprise (additive)",
        CalProduct::SkypeStandard => "Skype for Business Standard",
        CalProduct::SkypeEnterprise => "Skype for Business Enterprise (additive)",
        CalProduct::CoreCalSuite => "Core CAL Suite",
        CalProduct::EnterpriseCalSuite => "Enterprise CAL Suite",
    }
}

/// A licence kind's name in tables and the position's CSV: the catalog's name for sentences,
/// capitalised where a sentence writes it in lower case.
pub fn kind_label(k: LicenceKind) -> &'static str {
    match k {
        LicenceKind::ServerLicence => "Server licence",
        k => crate::catalog::kind_label(k),
    }
}

/// Minor units as a plain decimal with a dot ("4500.00"), for CSV files and input fields.
pub fn decimal(minor: i64, digits: u32) -> String {
    if digits == 0 {
        return minor.to_string();
    }
    let scale = 10i64.pow(digits);
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    let scale = scale as u64;
    format!(
        "{sign}{}.{:0width$}",
        abs / scale,
        abs % scale,
        width = digits as usize
    )
}

/// The Effective License Position as CSV: one row per line of the table, money as plain
/// decimals in the report's currency (named in the header, in its ISO 4217 minor unit), so a
/// spreadsheet reads the numbers as numbers, then a "Total" row whose last cell gives the date,
/// the estate, the basis of the prices and the readings applied where sources disagree other
/// than the defaults, in the printout's words. The app's "Export CSV" and `cal-calc evaluate
/// --format csv` write this.
///
/// The Microsoft 365 seat rows ([`SeatRow`]) follow the CAL rows, before the total, in the same
/// columns: Product "Microsoft 365 E3 seats", Licence "Seat (CAL equivalent)" (or "Seat (not
/// counted as CALs)" when the purchase-channel reading withholds the equivalency), no version,
/// Owned = seats owned, Used = seats held by people flagged, Surplus = unused seats, Needed =
/// people flagged, Covered = people the seats license as CALs, Shortfall = people counted for
/// CALs instead (their CALs are on the CAL rows), no price, price basis or cost to close.
///
/// After the unit price, "Price basis" says where it comes from ([`PositionRow::price_basis`]).
pub fn position_csv(report: &Report) -> Result<String, csv::Error> {
    position_csv_of(report, None)
}

/// The readings applied where sources disagree, all seven, in the printout's words ("Readings
/// where sources disagree: …" under the estate; a web test holds the printout to this text).
pub fn readings_in_words(r: &crate::estate::Readings) -> String {
    readings_words(r).map(|(w, _)| w).join("; ")
}

/// Each of the seven readings in the printout's words, with whether it is the default one.
fn readings_words(r: &crate::estate::Readings) -> [(String, bool); 7] {
    use crate::estate::{AdditiveBase, ExternalAdditiveBase, ExternalConnectorScope};
    let d = crate::estate::Readings::default();
    [
        (
            match r.external_connector_scope {
                ExternalConnectorScope::PerVm => "External Connectors one per VM (community reading)",
                _ => "External Connectors one per physical host (Product Terms)",
            }
            .to_string(),
            r.external_connector_scope == d.external_connector_scope,
        ),
        (
            match r.additive_base {
                AdditiveBase::EitherSubject => "an additive CAL's base held by the user or the device: a user's base CAL with a device's additive CAL, and the reverse",
                _ => "an additive CAL's base held by the same user or device (the reading that cannot fall short)",
            }
            .to_string(),
            r.additive_base == d.additive_base,
        ),
        (
            match r.external_additive_base {
                ExternalAdditiveBase::ExternalConnector => "external users with RDS or AD RMS User CALs get the host's Windows Server External Connector as their base",
                _ => "external users with RDS or AD RMS User CALs get a Windows Server User CAL each",
            }
            .to_string(),
            r.external_additive_base == d.external_additive_base,
        ),
        (
            format!(
                "Microsoft 365 seats count as CALs when bought through: {}",
                equivalency_label(r.m365_equivalency)
            ),
            r.m365_equivalency == d.m365_equivalency,
        ),
        (
            format!(
                "an E3 seat stands for the {}",
                e3_rights_label(r.m365_e3_rights)
            ),
            r.m365_e3_rights == d.m365_e3_rights,
        ),
        (
            format!(
                "printers and scanners used by Microsoft 365 users: {}",
                printers_label(r.m365_printers)
            ),
            r.m365_printers == d.m365_printers,
        ),
        (
            match r.network_equipment {
                crate::estate::NetworkEquipment::NotCounted => "network equipment that authenticates to servers gets no Device CALs",
                _ => "network equipment that authenticates to servers gets Device CALs (the reading that cannot fall short)",
            }
            .to_string(),
            r.network_equipment == d.network_equipment,
        ),
    ]
}

/// The readings of whether network equipment that authenticates to servers needs Device CALs
/// (cal-rules §4.2 item 8), as the editor names them.
pub fn network_equipment_label(r: crate::estate::NetworkEquipment) -> &'static str {
    use crate::estate::NetworkEquipment;
    match r {
        NetworkEquipment::DeviceCals => {
            "Device CALs, as for any device that accesses a server (the reading that cannot fall short)"
        }
        NetworkEquipment::NotCounted => {
            "None: it only passes on the access of users and devices that hold their own CALs"
        }
    }
}

/// The readings of who holds an additive CAL's base (§1.11), as the editor, the print view and
/// the CSV name them.
pub fn additive_base_label(r: crate::estate::AdditiveBase) -> &'static str {
    use crate::estate::AdditiveBase;
    match r {
        AdditiveBase::SameSubject => "The same user or device (the reading that cannot fall short)",
        AdditiveBase::EitherSubject => {
            "The user or the device: a user's base CAL with a device's additive CAL, and the reverse"
        }
    }
}

/// The readings of what a Microsoft 365 E3 seat stands for, as the editor, the print view and the
/// CSV name them.
pub fn e3_rights_label(r: crate::estate::M365E3Rights) -> &'static str {
    use crate::estate::M365E3Rights;
    match r {
        M365E3Rights::StandardAndEnterprise => "Standard and Enterprise CALs (Microsoft's texts)",
        M365E3Rights::CoreCalSuite => "Core CAL Suite only (practitioners' shorthand)",
    }
}

/// The readings of whether Microsoft 365 users' seats cover the printers and scanners they use, as
/// the editor, the print view and the CSV name them; the findings quote their first words.
pub fn printers_label(r: crate::estate::M365Printers) -> &'static str {
    use crate::estate::M365Printers;
    match r {
        M365Printers::CoveredByUsers => {
            "Covered by the users' seats, as by User CALs (derived from the Product Terms' equivalency)"
        }
        M365Printers::DeviceCals => {
            "Device CALs unless every user holds a CAL (practitioners' reading)"
        }
    }
}

/// The readings of which channels' Microsoft 365 seats count as CALs, as the editor, the print view
/// and the CSV name them.
pub fn equivalency_label(m: crate::estate::M365Equivalency) -> &'static str {
    use crate::estate::M365Equivalency;
    match m {
        M365Equivalency::AllChannels => "Every channel (Product Terms equivalency table)",
        M365Equivalency::VolumeLicensingOnly => {
            "Volume-licensing channels only (community reading)"
        }
    }
}

/// The CSV's words for the readings: each one other than the default, in the printout's words,
/// or that all are the defaults (review 27: a position computed per VM, or with seats refused by
/// the volume-licensing-only reading, read as if by the defaults once exported).
fn readings_basis(r: &crate::estate::Readings) -> String {
    let other: Vec<String> = readings_words(r)
        .into_iter()
        .filter(|&(_, default)| !default)
        .map(|(w, _)| w)
        .collect();
    if other.is_empty() {
        // Named, not only "the defaults" (ELP review 42: a reader of the file alone could not
        // tell which they are).
        format!(
            "Readings where sources disagree, all the defaults: {}.",
            readings_in_words(r)
        )
    } else {
        format!(
            "Readings where sources disagree, other than the defaults: {}.",
            other.join("; ")
        )
    }
}

/// The position's CSV for the products `only` names (all with `None`): their rows, and a total
/// row that is theirs and says so ("Total of Windows Server and Remote Desktop Services only"),
/// as the app's table shows them with `products=` in its address (review 22: the table showed 9
/// rows and their total, its "Export CSV" wrote all 22 rows and the whole total).
pub fn position_csv_of(report: &Report, only: Option<&[CalProduct]>) -> Result<String, csv::Error> {
    position_csv_styled(report, only, CsvStyle::Comma)
}

/// How a CSV separates its fields and writes its decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CsvStyle {
    /// Commas between fields and "." before decimals: what spreadsheets read in every language
    /// through their import dialog, and scripts read anywhere.
    #[default]
    Comma,
    /// Semicolons between fields and "," before decimals: what a spreadsheet set to a language
    /// that writes decimals with a comma (German, French…) opens as columns and numbers with a
    /// double-click (ELP review 42, M6: in de-DE each line of the comma file was one column).
    Semicolon,
}

/// [`position_csv_of`] in a [`CsvStyle`]: the same rows and cells, only the field separator and
/// the decimal mark differ, in the cells and in the figures of the "Why" texts (review 43: "=
/// $2,097.50" beside a cell "2097,50" read as about 2.1 in German): in the semicolon style
/// [`comma_decimal_figures`] writes them.
pub fn position_csv_styled(
    report: &Report,
    only: Option<&[CalProduct]>,
    style: CsvStyle,
) -> Result<String, csv::Error> {
    position_csv_written(report, only, style, &|text: &str| match style {
        CsvStyle::Comma => text.to_string(),
        CsvStyle::Semicolon => comma_decimal_figures(text),
    })
}

/// The figures of an engine sentence in the notation of a decimal-comma spreadsheet: counts
/// grouped with "." ("2.500"), money with its currency's code after it ("20.655,00 USD").
pub fn comma_decimal_figures(text: &str) -> String {
    // The engine's own grouping ([`crate::position::thousands`]), with "." for ",".
    let grouped = |n: u64| crate::position::thousands(n).replace(',', ".");
    crate::figures::rewrite(text, grouped, |minor, code| {
        let digits = crate::position::minor_digits(code);
        let sign = if minor < 0 { "-" } else { "" };
        let scale = 10u64.pow(digits);
        let (whole, part) = (minor.unsigned_abs() / scale, minor.unsigned_abs() % scale);
        if digits == 0 {
            format!("{sign}{} {code}", grouped(whole))
        } else {
            let width = digits as usize;
            format!("{sign}{},{part:0width$} {code}", grouped(whole))
        }
    })
}

/// [`position_csv_styled`] with the "Why" texts (and the total's basis) written by `why`: the
/// app gives its locale's notation, as on its page.
pub fn position_csv_written(
    report: &Report,
    only: Option<&[CalProduct]>,
    style: CsvStyle,
    why: &dyn Fn(&str) -> String,
) -> Result<String, csv::Error> {
    let rows: Vec<&PositionRow> = report
        .position
        .iter()
        .filter(|r| r.concerns(only))
        .collect();
    let digits = crate::position::minor_digits(&report.currency);
    let decimal = |m: i64, digits: u32| match style {
        CsvStyle::Comma => decimal(m, digits),
        CsvStyle::Semicolon => decimal(m, digits).replace('.', ","),
    };
    let mut w = csv::WriterBuilder::new()
        .delimiter(match style {
            CsvStyle::Comma => b',',
            CsvStyle::Semicolon => b';',
        })
        .from_writer(Vec::new());
    let money_h = |s: &str| format!("{s} ({})", report.currency);
    w.write_record([
        "Product".to_string(),
        "Licence".to_string(),
        "Version".to_string(),
        "Owned".to_string(),
        "Used".to_string(),
        "Surplus".to_string(),
        "Needed".to_string(),
        "Covered".to_string(),
        "Shortfall".to_string(),
        money_h("Unit price"),
        "Price basis".to_string(),
        money_h("Cost to close"),
        "Why".to_string(),
    ])?;
    for r in rows.iter().copied() {
        let money = |m: i64| {
            if r.price_missing {
                String::new()
            } else {
                decimal(m, digits)
            }
        };
        w.write_record([
            product_label(r.product).to_string(),
            kind_label(r.kind).to_string(),
            r.version.clone(),
            r.owned.to_string(),
            r.used.to_string(),
            r.surplus.to_string(),
            r.needed.to_string(),
            r.covered.to_string(),
            r.shortfall.to_string(),
            // An unknown price is blank on every row (review 18: "0.00" beside the same
            // licence's blank "no price" row), and so is the cost to close that needs it; with
            // nothing to close it is 0 whatever the price.
            money(r.unit_minor),
            r.price_basis().to_string(),
            if r.shortfall == 0 {
                decimal(r.cost_to_close_minor, digits)
            } else {
                money(r.cost_to_close_minor)
            },
            why(&r.why.text),
        ])?;
    }
    for s in report.seats.iter().filter(|s| s.concerns(only)) {
        w.write_record([
            s.label().to_string(),
            s.kind_label().to_string(),
            String::new(),
            s.owned.to_string(),
            s.held().to_string(),
            s.unused.to_string(),
            s.flagged.to_string(),
            s.seated.to_string(),
            s.unseated.to_string(),
            String::new(),
            String::new(),
            String::new(),
            why(&s.why.text),
        ])?;
    }
    // The total, and what an auditor asks of the file: the date of the position, the estate and
    // the basis of the prices (review 20: the CSV carried none of them).
    let total: i64 = rows.iter().map(|r| r.cost_to_close_minor).sum();
    // The products the file is cut down to, in words: "Windows Server and Remote Desktop
    // Services".
    let products = only.map(|o| {
        // Each product once, however often it was named.
        let mut names: Vec<&str> = Vec::new();
        for name in o.iter().map(|&p| product_label(p)) {
            if !names.contains(&name) {
                names.push(name);
            }
        }
        crate::findings::list_all(&names)
    });
    let mut label = match &products {
        Some(names) => format!("Total of {names} only"),
        None => "Total".to_string(),
    };
    // A total that leaves out rows with no price says so in its label, as the screen's "+ price
    // unknown" does (review 22: "39828.00" stood as the whole cost, only the last cell said
    // otherwise); the number stays a number, for spreadsheets.
    if position_total_leaves_out_unpriced(rows.iter().copied()) {
        label.push_str(" (leaves out items with no price)");
    }
    let mut basis = format!("Total cost to close as of {}", report.as_of);
    if !report.estate_name.is_empty() {
        basis.push_str(&format!(" for {}", report.estate_name));
    }
    if let Some(names) = &products {
        basis.push_str(&format!(
            ", of {names} only: the estate's other products are left out of this file"
        ));
        // A CAL Suite row is kept whole for a product it licenses, and says what else it covers.
        if let Some(beyond) = only.and_then(|o| suites_beyond(rows.iter().map(|r| r.product), o)) {
            basis.push_str(&format!("; {beyond}"));
        }
    }
    basis.push_str(&format!(". {}", report.prices_note));
    basis.push(' ');
    basis.push_str(&readings_basis(&report.readings));
    let blank = String::new;
    w.write_record([
        label,
        blank(),
        blank(),
        blank(),
        blank(),
        blank(),
        blank(),
        blank(),
        blank(),
        blank(),
        blank(),
        decimal(total, digits),
        why(&basis),
    ])?;
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Whether the total cost to close of these position rows leaves out some with no price: a row
/// with a shortfall whose price is unknown, which the table shows as "no price".
pub fn position_total_leaves_out_unpriced<'a>(
    rows: impl IntoIterator<Item = &'a PositionRow>,
) -> bool {
    rows.into_iter().any(|r| r.price_missing && r.shortfall > 0)
}

/// What the recommendation's total and its proof leave out, each with the rule it rests on, read
/// from the findings that say so (review 20: "proven least cost" stood over SE CALs priced
/// without the Software Assurance they are sold with, and over a comparison that could not weigh
/// an unpriced External Connector). The engine adds them to the recommendation's why; the CLI
/// prints them under its total.
pub fn total_caveats(findings: &[Finding]) -> Vec<(&'static str, &'static str)> {
    let se = findings
        .iter()
        .any(|f| f.kind == FindingKind::SePurchaseNeedsSa);
    // `findings::findings` adds this sentence for a product whose External Connector has no
    // price: one constant, so the wording cannot change under this test.
    let connector = findings.iter().any(|f| {
        f.kind == FindingKind::PricesMissing
            && f.message.contains(crate::findings::NO_CONNECTOR_PRICE)
    });
    [
        (se, crate::catalog::ids::SE_NEEDS_ACTIVE_SA, "the SE CALs in it are sold only with Software Assurance: unless their prices include it, the total is too low by its cost (see the findings)"),
        (connector, crate::catalog::ids::PRICE_ESTIMATES, "an External Connector without a price was not among the choices: external users are licensed with CALs there (see the findings)"),
    ]
    .into_iter()
    .filter(|(on, _, _)| *on)
    .map(|(_, rule, caveat)| (rule, caveat))
    .collect()
}
