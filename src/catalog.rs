//! The catalog: what the calculator knows about Microsoft's server products and their CALs.
//!
//! Products and versions (Windows Server 2008–2025 with R2 releases in the same CAL generation,
//! SQL Server 2012–2025, Exchange 2013–SE, SharePoint 2013–SE, Skype for Business 2015–SE), the
//! rank of each CAL generation, release dates (for Software Assurance version rights), which CALs
//! are additive and on which base, what the Core and Enterprise CAL Suites contain, which products
//! have an External Connector, the editable reference prices with their date and source, and every
//! licensing rule with an id, a plain sentence, its source address and a confidence tag.
//!
//! Sources: cal-rules.md §1 (rules), §2 (reference prices, "Suggested editable defaults"), §5
//! (engine notes). Release dates are the "start date" of each release in Microsoft's Lifecycle
//! pages (<https://learn.microsoft.com/lifecycle/products/>).

use crate::estate::{
    CalProduct, Date, LicenceKind, Organisation, PriceItem, PriceOverride, ServerProduct,
    SoftwareAssurance,
};
use crate::vecmap::VecMap;
use serde::Serialize;

/// A family of server products whose CALs share one version line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    /// Windows Server, and its additive RDS and AD RMS CALs.
    WindowsServer,
    SqlServer,
    Exchange,
    SharePoint,
    Skype,
}

impl Family {
    /// The version line a server product's CALs belong to.
    pub fn of(p: ServerProduct) -> Family {
        match p {
            ServerProduct::WindowsServer => Family::WindowsServer,
            ServerProduct::SqlServer => Family::SqlServer,
            ServerProduct::Exchange => Family::Exchange,
            ServerProduct::SharePoint => Family::SharePoint,
            ServerProduct::SkypeForBusiness => Family::Skype,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Family::WindowsServer => "Windows Server",
            Family::SqlServer => "SQL Server",
            Family::Exchange => "Exchange Server",
            Family::SharePoint => "SharePoint Server",
            Family::Skype => "Skype for Business Server",
        }
    }

    pub const ALL: [Family; 5] = [
        Family::WindowsServer,
        Family::SqlServer,
        Family::Exchange,
        Family::SharePoint,
        Family::Skype,
    ];
}

/// A server release as sold (e.g. "2012 R2") and the CAL generation that licenses access to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ServerVersion {
    pub name: &'static str,
    /// The CAL version required ("2012" for "2012 R2": R2 releases had no new CALs).
    pub cal_version: &'static str,
    pub rank: u8,
}

/// A CAL generation: its name, its rank (higher covers lower) and its release date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CalVersion {
    pub name: &'static str,
    pub rank: u8,
    pub released: Date,
}

const fn d(year: u16, month: u8, day: u8) -> Date {
    Date { year, month, day }
}

const fn sv(name: &'static str, cal_version: &'static str, rank: u8) -> ServerVersion {
    ServerVersion {
        name,
        cal_version,
        rank,
    }
}

const fn cv(name: &'static str, rank: u8, released: Date) -> CalVersion {
    CalVersion {
        name,
        rank,
        released,
    }
}

const WS_SERVER: &[ServerVersion] = &[
    sv("2008", "2008", 1),
    sv("2008 R2", "2008", 1),
    sv("2012", "2012", 2),
    sv("2012 R2", "2012", 2),
    sv("2016", "2016", 3),
    sv("2019", "2019", 4),
    sv("2022", "2022", 5),
    sv("2025", "2025", 6),
];
const WS_CAL: &[CalVersion] = &[
    cv("2008", 1, d(2008, 5, 6)),
    cv("2012", 2, d(2012, 10, 30)),
    cv("2016", 3, d(2016, 10, 15)),
    cv("2019", 4, d(2018, 11, 13)),
    cv("2022", 5, d(2021, 8, 18)),
    cv("2025", 6, d(2024, 11, 1)),
];
const SQL_SERVER: &[ServerVersion] = &[
    sv("2012", "2012", 1),
    sv("2014", "2014", 2),
    sv("2016", "2016", 3),
    sv("2017", "2017", 4),
    sv("2019", "2019", 5),
    sv("2022", "2022", 6),
    sv("2025", "2025", 7),
];
const SQL_CAL: &[CalVersion] = &[
    cv("2012", 1, d(2012, 5, 20)),
    cv("2014", 2, d(2014, 6, 5)),
    cv("2016", 3, d(2016, 6, 1)),
    cv("2017", 4, d(2017, 9, 29)),
    cv("2019", 5, d(2019, 11, 4)),
    cv("2022", 6, d(2022, 11, 16)),
    // SQL Server 2025 keeps Server+CAL for Standard with CALs of its own version (a third-party
    // licensing guide, cited by rule `sql.server-cal-standard-only`).
    cv("2025", 7, d(2025, 11, 18)),
];
const EXCHANGE_SERVER: &[ServerVersion] = &[
    sv("2013", "2013", 1),
    sv("2016", "2016", 2),
    sv("2019", "2019", 3),
    sv("SE", "SE", 4),
];
const EXCHANGE_CAL: &[CalVersion] = &[
    cv("2013", 1, d(2013, 1, 9)),
    cv("2016", 2, d(2015, 10, 1)),
    cv("2019", 3, d(2018, 10, 22)),
    cv("SE", 4, d(2025, 7, 1)),
];
const SHAREPOINT_SERVER: &[ServerVersion] = &[
    sv("2013", "2013", 1),
    sv("2016", "2016", 2),
    sv("2019", "2019", 3),
    sv("SE", "SE", 4),
];
const SHAREPOINT_CAL: &[CalVersion] = &[
    cv("2013", 1, d(2013, 1, 9)),
    cv("2016", 2, d(2016, 5, 1)),
    cv("2019", 3, d(2018, 10, 22)),
    cv("SE", 4, d(2021, 11, 2)),
];
const SKYPE_SERVER: &[ServerVersion] = &[
    sv("2015", "2015", 1),
    sv("2019", "2019", 2),
    sv("SE", "SE", 3),
];
const SKYPE_CAL: &[CalVersion] = &[
    cv("2015", 1, d(2015, 5, 1)),
    cv("2019", 2, d(2018, 10, 22)),
    cv("SE", 3, d(2025, 7, 1)),
];

/// The server releases of a family, oldest first.
pub fn server_versions(family: Family) -> &'static [ServerVersion] {
    match family {
        Family::WindowsServer => WS_SERVER,
        Family::SqlServer => SQL_SERVER,
        Family::Exchange => EXCHANGE_SERVER,
        Family::SharePoint => SHAREPOINT_SERVER,
        Family::Skype => SKYPE_SERVER,
    }
}

/// The CAL generations of a family, oldest first.
pub fn cal_versions(family: Family) -> &'static [CalVersion] {
    match family {
        Family::WindowsServer => WS_CAL,
        Family::SqlServer => SQL_CAL,
        Family::Exchange => EXCHANGE_CAL,
        Family::SharePoint => SHAREPOINT_CAL,
        Family::Skype => SKYPE_CAL,
    }
}

/// Normalises a version as typed: trims, upper-cases "r2"/"se", accepts "2012R2".
fn normalise(version: &str) -> String {
    let v = version.trim().to_ascii_uppercase();
    let v = v.replace("R2", " R2");
    v.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Looks a server release up by name ("2012 R2", "2022", "SE").
pub fn server_version(family: Family, version: &str) -> Option<&'static ServerVersion> {
    let v = normalise(version);
    server_versions(family).iter().find(|s| s.name == v)
}

/// Looks a CAL generation up by name; a server release name ("2012 R2") gives its generation.
pub fn cal_version(family: Family, version: &str) -> Option<&'static CalVersion> {
    // A name as the catalog spells it (what the rules pass on every subject) is already
    // normalised (`catalog_names_are_normalised`): look it up without allocating.
    if let Some(s) = server_versions(family).iter().find(|s| s.name == version) {
        return cal_versions(family)
            .iter()
            .find(|c| c.name == s.cal_version);
    }
    if let Some(c) = cal_versions(family).iter().find(|c| c.name == version) {
        return Some(c);
    }
    let v = normalise(version);
    let name = server_versions(family)
        .iter()
        .find(|s| s.name == v)
        .map(|s| s.cal_version)
        .unwrap_or(v.as_str());
    cal_versions(family).iter().find(|c| c.name == name)
}

/// Whether `version` names a release that shares the CAL generation of an earlier one ("2012 R2",
/// "2008r2"): rule `cal.r2-same-generation` explains why it is shown and counted as that one.
pub fn same_generation_release(family: Family, version: &str) -> bool {
    server_version(family, version).is_some_and(|s| s.name != s.cal_version)
}

/// The CAL generation of a given rank.
pub fn cal_version_by_rank(family: Family, rank: u8) -> Option<&'static CalVersion> {
    cal_versions(family).iter().find(|c| c.rank == rank)
}

/// The newest CAL generation released on or before `today` (what one buys today).
pub fn current_cal_version(family: Family, today: Date) -> &'static CalVersion {
    let all = cal_versions(family);
    all.iter()
        .rev()
        .find(|c| c.released <= today)
        .or(all.first())
        .unwrap_or(&WS_CAL[0])
}

/// The rank of the newest CAL generation released on or before `date`, or 0 when none of the
/// generations the catalogue knows had come out by then (an older CAL, which covers none of the
/// servers it knows). Unlike [`current_cal_version`], never rounds up to the first generation:
/// a suite whose Software Assurance ended in 2012 keeps no Exchange 2013 rights (review 19).
pub fn released_cal_rank(family: Family, date: Date) -> u8 {
    cal_versions(family)
        .iter()
        .rev()
        .find(|c| c.released <= date)
        .map_or(0, |c| c.rank)
}

/// The name of a CAL generation for a position row: "2013", or "before 2013" for rank 0 (a suite
/// frozen before the first generation the catalogue knows).
pub fn cal_version_label(family: Family, rank: u8) -> &'static str {
    match cal_version_by_rank(family, rank) {
        Some(c) => c.name,
        None if rank == 0 => match family {
            Family::WindowsServer => "before 2008",
            Family::SqlServer => "before 2012",
            Family::Exchange | Family::SharePoint => "before 2013",
            Family::Skype => "before 2015",
        },
        None => "",
    }
}

/// "2008, 2008 R2, …, 2025": the releases a family knows, for error messages.
pub fn version_list(family: Family) -> String {
    server_versions(family)
        .iter()
        .map(|s| s.name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The rank a held CAL counts as on `today`: its own generation, raised to the newest generation
/// released while its Software Assurance was active (rule `sa.version-rights`).
pub fn effective_cal_rank(
    family: Family,
    version: &str,
    sa: Option<&SoftwareAssurance>,
    today: Date,
) -> Option<u8> {
    let own = cal_version(family, version)?.rank;
    let Some(sa) = sa else {
        return Some(own);
    };
    let end = match sa.until {
        Some(u) if u < today => u,
        _ => today,
    };
    let by_sa = cal_versions(family)
        .iter()
        .filter(|c| c.released >= sa.since && c.released <= end)
        .map(|c| c.rank)
        .max()
        .unwrap_or(0);
    // SA that has ended, or not begun, is not active today: an SE CAL counts as the release
    // before (review 45).
    Some(sa_only_cap(
        family,
        own.max(by_sa),
        end < today || sa.since > today,
    ))
}

/// Releases licensed only while Software Assurance (or a subscription) is active: Exchange Server
/// SE and SharePoint Server Subscription Edition (rule `se.needs-active-sa`). A CAL whose SA has
/// ended keeps the release before it.
pub const SA_ONLY: &[(Family, &str)] = &[(Family::Exchange, "SE"), (Family::SharePoint, "SE")];

/// `rank`, lowered below a release that needs active SA when the SA has ended.
fn sa_only_cap(family: Family, rank: u8, sa_ended: bool) -> u8 {
    if !sa_ended {
        return rank;
    }
    SA_ONLY
        .iter()
        .filter(|(f, _)| *f == family)
        .filter_map(|(f, v)| cal_version(*f, v))
        .fold(rank, |r, c| {
            if r >= c.rank {
                c.rank.saturating_sub(1)
            } else {
                r
            }
        })
}

/// Whether a CAL lost a release's rights because its Software Assurance ended (for findings):
/// the rank it would have without the cap, and the rank it has.
pub fn sa_only_lost(
    family: Family,
    version: Option<&str>,
    sa: Option<&SoftwareAssurance>,
    today: Date,
) -> Option<(u8, u8)> {
    let sa = sa?;
    let end = sa.until.filter(|&u| u < today)?;
    let uncapped = match version {
        Some(v) => {
            let own = cal_version(family, v)?.rank;
            cal_versions(family)
                .iter()
                .filter(|c| c.released >= sa.since && c.released <= end)
                .map(|c| c.rank)
                .fold(own, u8::max)
        }
        None => released_cal_rank(family, end),
    };
    let capped = sa_only_cap(family, uncapped, true);
    (capped < uncapped).then_some((uncapped, capped))
}

/// The rank a version-less CAL suite gives for a component family: the newest generation if SA is
/// active today (or not stated: suites are sold only with SA), else frozen at the newest generation
/// released before SA ended (rule `suite.version-less`).
pub fn suite_rank(family: Family, sa: Option<&SoftwareAssurance>, today: Date) -> u8 {
    let end = match sa.and_then(|s| s.until) {
        Some(u) if u < today => u,
        _ => today,
    };
    sa_only_cap(family, released_cal_rank(family, end), end < today)
}

/// Static facts about one CAL product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ProductInfo {
    pub product: CalProduct,
    /// "Windows Server CAL".
    pub label: &'static str,
    /// The version line; `None` for the version-less suites.
    pub family: Option<Family>,
    /// For an additive CAL: the base CAL it is added to.
    pub base: Option<CalProduct>,
    /// Whether an External Connector exists for it (Windows Server, RDS, AD RMS).
    pub external_connector: bool,
    /// Whether external users need a CAL for it at all (Exchange, SharePoint and Skype 2013+
    /// license external users through the server licence).
    pub external_users_need_cal: bool,
}

const fn pi(
    product: CalProduct,
    label: &'static str,
    family: Option<Family>,
    base: Option<CalProduct>,
    external_connector: bool,
    external_users_need_cal: bool,
) -> ProductInfo {
    ProductInfo {
        product,
        label,
        family,
        base,
        external_connector,
        external_users_need_cal,
    }
}

/// Every CAL product, in report order.
pub const PRODUCTS: &[ProductInfo] = &[
    pi(
        CalProduct::WindowsServer,
        "Windows Server CAL",
        Some(Family::WindowsServer),
        None,
        true,
        true,
    ),
    pi(
        CalProduct::Rds,
        "Remote Desktop Services CAL",
        Some(Family::WindowsServer),
        Some(CalProduct::WindowsServer),
        true,
        true,
    ),
    pi(
        CalProduct::AdRms,
        "AD Rights Management Services CAL",
        Some(Family::WindowsServer),
        Some(CalProduct::WindowsServer),
        true,
        true,
    ),
    pi(
        CalProduct::SqlServer,
        "SQL Server CAL",
        Some(Family::SqlServer),
        None,
        false,
        true,
    ),
    pi(
        CalProduct::ExchangeStandard,
        "Exchange Server Standard CAL",
        Some(Family::Exchange),
        None,
        false,
        false,
    ),
    pi(
        CalProduct::ExchangeEnterprise,
        "Exchange Server Enterprise CAL (additive)",
        Some(Family::Exchange),
        Some(CalProduct::ExchangeStandard),
        false,
        false,
    ),
    pi(
        CalProduct::SharePointStandard,
        "SharePoint Server Standard CAL",
        Some(Family::SharePoint),
        None,
        false,
        false,
    ),
    pi(
        CalProduct::SharePointEnterprise,
        "SharePoint Server Enterprise CAL (additive)",
        Some(Family::SharePoint),
        Some(CalProduct::SharePointStandard),
        false,
        false,
    ),
    pi(
        CalProduct::SkypeStandard,
        "Skype for Business Server Standard CAL",
        Some(Family::Skype),
        None,
        false,
        false,
    ),
    pi(
        CalProduct::SkypeEnterprise,
        "Skype for Business Server Enterprise CAL (additive)",
        Some(Family::Skype),
        Some(CalProduct::SkypeStandard),
        false,
        false,
    ),
    pi(
        CalProduct::CoreCalSuite,
        "Core CAL Suite",
        None,
        None,
        false,
        false,
    ),
    pi(
        CalProduct::EnterpriseCalSuite,
        "Enterprise CAL Suite",
        None,
        None,
        false,
        false,
    ),
];

/// Facts about a CAL product.
pub fn product(p: CalProduct) -> &'static ProductInfo {
    PRODUCTS
        .iter()
        .find(|i| i.product == p)
        .unwrap_or(&PRODUCTS[0])
}

/// "Windows Server CAL".
pub fn label(p: CalProduct) -> &'static str {
    product(p).label
}

/// Short product name for sentences: "Windows Server" in "Windows Server 2022 User CALs".
pub fn short_name(p: CalProduct) -> &'static str {
    match p {
        CalProduct::WindowsServer => "Windows Server",
        CalProduct::Rds => "RDS",
        CalProduct::AdRms => "AD RMS",
        CalProduct::SqlServer => "SQL Server",
        CalProduct::ExchangeStandard => "Exchange Standard",
        CalProduct::ExchangeEnterprise => "Exchange Enterprise",
        CalProduct::SharePointStandard => "SharePoint Standard",
        CalProduct::SharePointEnterprise => "SharePoint Enterprise",
        CalProduct::SkypeStandard => "Skype for Business Standard",
        CalProduct::SkypeEnterprise => "Skype for Business Enterprise",
        CalProduct::CoreCalSuite => "Core CAL Suite",
        CalProduct::EnterpriseCalSuite => "Enterprise CAL Suite",
    }
}

/// "Windows Server 2022 User CALs", "Core CAL Suite User licences".
pub fn licence_name(p: CalProduct, version: &str, kind: LicenceKind, n: u64) -> String {
    let kind = if is_suite(p) {
        match kind {
            LicenceKind::DeviceCal => "Device",
            _ => "User",
        }
    } else {
        kind_label(kind)
    };
    let plural = if n == 1 { "" } else { "s" };
    if version.is_empty() {
        format!("{} {kind}{plural}", short_name(p))
    } else {
        format!("{} {version} {kind}{plural}", short_name(p))
    }
}

/// Short name of a licence kind for sentences.
pub fn kind_label(k: LicenceKind) -> &'static str {
    match k {
        LicenceKind::UserCal => "User CAL",
        LicenceKind::DeviceCal => "Device CAL",
        LicenceKind::ExternalConnector => "External Connector",
        LicenceKind::CorePack2 => "2-core pack",
        LicenceKind::ServerLicence => "server licence",
    }
}

/// Whether `p` is one of the two CAL suites.
pub fn is_suite(p: CalProduct) -> bool {
    matches!(p, CalProduct::CoreCalSuite | CalProduct::EnterpriseCalSuite)
}

/// What one suite licence counts as (cal-rules §1.12): the Core CAL Suite holds the base CALs of
/// Windows Server, Exchange, SharePoint and Skype for Business; the Enterprise CAL Suite adds their
/// additive CALs and the AD RMS CAL. Neither holds RDS or SQL Server CALs.
pub fn suite_contents(suite: CalProduct) -> &'static [CalProduct] {
    match suite {
        CalProduct::CoreCalSuite => &[
            CalProduct::WindowsServer,
            CalProduct::ExchangeStandard,
            CalProduct::SharePointStandard,
            CalProduct::SkypeStandard,
        ],
        CalProduct::EnterpriseCalSuite => &[
            CalProduct::WindowsServer,
            CalProduct::ExchangeStandard,
            CalProduct::SharePointStandard,
            CalProduct::SkypeStandard,
            CalProduct::ExchangeEnterprise,
            CalProduct::SharePointEnterprise,
            CalProduct::SkypeEnterprise,
            CalProduct::AdRms,
        ],
        _ => &[],
    }
}

// ---------------------------------------------------------------------------------------------
// Reference prices

/// An editable reference price: an estimate from public pages, not Microsoft's price list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReferencePrice {
    pub item: PriceItem,
    /// USD cents; `None` where no public figure was found (the user enters their own).
    pub amount_minor: Option<i64>,
    pub currency: &'static str,
    /// When the figure was published (of a `derived` one, the date of the material it was
    /// checked against).
    pub date: &'static str,
    pub source: &'static str,
    /// No published price was found: the figure is an estimate derived from other sources
    /// (cal-rules §2: the External Connector's price "is not sourced"), and says so wherever it
    /// is shown (ELP review 42: it read "Reference estimate, published 2026").
    pub derived: bool,
}

/// The date the reference prices were collected, for the prices note.
pub const REFERENCE_PRICES_DATE: &str = "2026-05";

const SRC_WS_CAL: &str = "https://microsoftnegotiations.com/topics/windows-server.html ; https://atonementlicensing.com/blog/microsoft-cal-licensing/ ; user +15% vs device: https://www.directionsonmicrosoft.com/licensing/2012/11/licenses-affected-15-user-price-increase";
const SRC_RDS: &str =
    "https://9software.com/windows-server/user-cal-vs-rds-cal-the-definitive-licensing-guide";
const SRC_EC: &str = "no Microsoft list price found; estimate consistent with the \"more than approximately 70 external users\" break-even at a ~$42 CAL (Licensing School material summarised in GitHub JiriSlof/KnowledgeBase, \"MS Windows Server.md\"); NPI quotes ~$900/yr L+SA under EA Level B: https://npifinancial.com/blog/windows-server-licensing-external-users/";
const SRC_SQL: &str =
    "https://redresscompliance.com/sql-server-2022-licensing-a-comprehensive-guide.html";
const SRC_EXCH: &str = "https://dekbacom.github.io/Exchange-Server-EOS/docs/license.html";
const SRC_NONE: &str = "no public price found: enter your own";

fn rp(
    product: CalProduct,
    kind: LicenceKind,
    amount_minor: Option<i64>,
    date: &'static str,
    source: &'static str,
) -> ReferencePrice {
    ReferencePrice {
        item: PriceItem { product, kind },
        amount_minor,
        currency: "USD",
        date,
        source,
        derived: source == SRC_EC,
    }
}

/// The reference prices (cal-rules §2 "Suggested editable defaults"), one per priced item.
pub fn reference_prices() -> Vec<ReferencePrice> {
    use CalProduct as P;
    use LicenceKind as K;
    vec![
        rp(
            P::WindowsServer,
            K::UserCal,
            Some(4_500),
            "2025",
            SRC_WS_CAL,
        ),
        rp(
            P::WindowsServer,
            K::DeviceCal,
            Some(4_000),
            "2025",
            SRC_WS_CAL,
        ),
        rp(
            P::WindowsServer,
            K::ExternalConnector,
            Some(290_000),
            "2026",
            SRC_EC,
        ),
        rp(P::Rds, K::UserCal, Some(16_000), "2025", SRC_RDS),
        rp(P::Rds, K::DeviceCal, Some(16_000), "2025", SRC_RDS),
        rp(P::Rds, K::ExternalConnector, None, "", SRC_NONE),
        rp(P::AdRms, K::UserCal, None, "", SRC_NONE),
        rp(P::AdRms, K::DeviceCal, None, "", SRC_NONE),
        rp(P::AdRms, K::ExternalConnector, None, "", SRC_NONE),
        rp(P::SqlServer, K::UserCal, Some(23_000), "2023-01", SRC_SQL),
        rp(P::SqlServer, K::DeviceCal, Some(23_000), "2023-01", SRC_SQL),
        rp(
            P::SqlServer,
            K::ServerLicence,
            Some(98_900),
            "2023-01",
            SRC_SQL,
        ),
        rp(
            P::SqlServer,
            K::CorePack2,
            Some(394_500),
            "2023-01",
            SRC_SQL,
        ),
        rp(
            P::ExchangeStandard,
            K::UserCal,
            Some(7_600),
            "2025",
            SRC_EXCH,
        ),
        rp(
            P::ExchangeStandard,
            K::DeviceCal,
            Some(7_600),
            "2025",
            SRC_EXCH,
        ),
        rp(
            P::ExchangeEnterprise,
            K::UserCal,
            Some(17_600),
            "2025",
            SRC_EXCH,
        ),
        rp(
            P::ExchangeEnterprise,
            K::DeviceCal,
            Some(17_600),
            "2025",
            SRC_EXCH,
        ),
        rp(P::SharePointStandard, K::UserCal, None, "", SRC_NONE),
        rp(P::SharePointStandard, K::DeviceCal, None, "", SRC_NONE),
        rp(P::SharePointEnterprise, K::UserCal, None, "", SRC_NONE),
        rp(P::SharePointEnterprise, K::DeviceCal, None, "", SRC_NONE),
        rp(P::SkypeStandard, K::UserCal, None, "", SRC_NONE),
        rp(P::SkypeStandard, K::DeviceCal, None, "", SRC_NONE),
        rp(P::SkypeEnterprise, K::UserCal, None, "", SRC_NONE),
        rp(P::SkypeEnterprise, K::DeviceCal, None, "", SRC_NONE),
        rp(P::CoreCalSuite, K::UserCal, None, "", SRC_NONE),
        rp(P::CoreCalSuite, K::DeviceCal, None, "", SRC_NONE),
        rp(P::EnterpriseCalSuite, K::UserCal, None, "", SRC_NONE),
        rp(P::EnterpriseCalSuite, K::DeviceCal, None, "", SRC_NONE),
    ]
}

/// Where a price in use comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PriceOrigin {
    /// The organisation's own figure (`organisation.prices`).
    Own,
    /// An editable reference estimate.
    Reference,
    /// Neither: the price is unknown.
    Missing,
}

impl PriceOrigin {
    /// A price of this origin in words, as the position's why and its CSV's "Price basis" say it:
    /// "your price", "reference estimate", "derived estimate" (a reference figure no source
    /// publishes: [`ReferencePrice::derived`]) or "no price".
    pub fn basis(self, product: CalProduct, kind: LicenceKind) -> &'static str {
        match self {
            PriceOrigin::Own => "your price",
            PriceOrigin::Reference
                if reference_prices()
                    .iter()
                    .any(|p| p.item.product == product && p.item.kind == kind && p.derived) =>
            {
                "derived estimate"
            }
            PriceOrigin::Reference => "reference estimate",
            PriceOrigin::Missing => "no price",
        }
    }
}

/// The prices in force for one estate: the organisation's own where given, else the reference
/// estimates (only when the currency is USD, the reference currency).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PriceBook {
    prices: VecMap<PriceItem, (Option<i64>, PriceOrigin)>,
}

impl PriceBook {
    pub fn for_organisation(org: &Organisation) -> PriceBook {
        PriceBook::new(&org.currency, &org.prices)
    }

    /// The prices in force for a currency and the organisation's own prices.
    pub fn new(currency: &str, own: &[PriceOverride]) -> PriceBook {
        let usd = currency.eq_ignore_ascii_case("USD");
        let mut prices = VecMap::new();
        for r in reference_prices() {
            let entry = match r.amount_minor {
                Some(a) if usd => (Some(a), PriceOrigin::Reference),
                _ => (None, PriceOrigin::Missing),
            };
            prices.insert(r.item, entry);
        }
        for o in own {
            prices.insert(o.item, (Some(o.amount_minor), PriceOrigin::Own));
        }
        PriceBook { prices }
    }

    /// The price of one item in minor units, if known.
    pub fn get(&self, product: CalProduct, kind: LicenceKind) -> Option<i64> {
        self.prices
            .get(&PriceItem { product, kind })
            .and_then(|p| p.0)
    }

    /// The dearest price known for a single product's User or Device CAL (not a suite's): what
    /// the optimiser counts a CAL of a product with no CAL price at all at, so that it never
    /// buys an unpriced licence where priced ones do instead for less than that (review 18: an
    /// unpriced SharePoint Standard base counted at 1 cent bought 10 needless CALs).
    pub fn dearest_cal(&self) -> Option<i64> {
        self.prices
            .iter()
            .filter(|(item, _)| {
                matches!(item.kind, LicenceKind::UserCal | LicenceKind::DeviceCal)
                    && !matches!(
                        item.product,
                        CalProduct::CoreCalSuite | CalProduct::EnterpriseCalSuite
                    )
            })
            .filter_map(|(_, p)| p.0)
            .max()
    }

    /// SQL Server's 2-core pack, Server+CAL server licence and CAL prices: the three figures of
    /// the per-core versus Server+CAL break-even, when all are known.
    pub fn sql_breakeven(&self) -> Option<(i64, i64, i64)> {
        Some((
            self.get(CalProduct::SqlServer, LicenceKind::CorePack2)?,
            self.get(CalProduct::SqlServer, LicenceKind::ServerLicence)?,
            self.get(CalProduct::SqlServer, LicenceKind::UserCal)?,
        ))
    }

    pub fn origin(&self, product: CalProduct, kind: LicenceKind) -> PriceOrigin {
        self.prices
            .get(&PriceItem { product, kind })
            .map(|p| p.1)
            .unwrap_or(PriceOrigin::Missing)
    }
}

// ---------------------------------------------------------------------------------------------
// Rules

/// A licensing rule the engine applies, with where it comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rule {
    pub id: &'static str,
    pub sentence: &'static str,
    pub source: &'static str,
    /// "MS-PT", "MS" (on a Microsoft page), "MS-PT via 3P", "MS via 3P" (Microsoft text on a
    /// third-party copy), "LS", "3P", "derived".
    pub confidence: &'static str,
}

/// Rule ids, so that the code cannot misspell one.
pub mod ids {
    pub const CAL_REQUIRED: &str = "cal.required-for-access";
    pub const CAL_PER_ORGANISATION: &str = "cal.per-organisation-not-per-server";
    pub const CAL_PER_PERSON: &str = "cal.per-person-not-account";
    pub const CAL_UNATTENDED_DEVICE: &str = "cal.unattended-device-needs-device-cal";
    pub const CAL_PRINTER_USERS: &str = "cal.printer-covered-by-its-users";
    pub const CAL_MIX_ALLOWED: &str = "cal.user-device-mix-allowed";
    pub const CAL_TYPE_FIXED: &str = "cal.type-fixed-at-purchase";
    pub const CAL_VERSION_NOT_OLDER: &str = "cal.version-not-older";
    pub const CAL_R2_SAME_GENERATION: &str = "cal.r2-same-generation";
    pub const CAL_SAME_LICENSEE: &str = "cal.same-licensee";
    pub const SA_VERSION_RIGHTS: &str = "sa.version-rights";
    pub const SUITE_VERSION_LESS: &str = "suite.version-less";
    pub const SUITE_CORE: &str = "suite.core-contents";
    pub const SUITE_NOT_SPLIT: &str = "suite.not-split";
    pub const SUITE_ENTERPRISE: &str = "suite.enterprise-contents";
    pub const EXT_DEFINITION: &str = "ext.external-user-definition";
    pub const EXT_OFFSITE_CONTRACTOR: &str = "ext.offsite-contractor-reading";
    pub const EXT_COVERED_BY_SERVER: &str = "ext.covered-by-server-licence";
    pub const EC_ALTERNATIVE: &str = "ec.alternative-to-cals-for-external";
    pub const EC_PER_PHYSICAL_HOST: &str = "ec.per-physical-host";
    pub const EC_PER_VM_READING: &str = "ec.per-vm-reading";
    pub const EC_INTERNAL_NEED_CALS: &str = "ec.internal-users-need-cals";
    pub const EC_RDS_NEEDS_WS_EC: &str = "ec.rds-needs-ws-ec";
    pub const EC_PRODUCTS: &str = "ec.products-with-ec";
    pub const MUX_NO_REDUCTION: &str = "mux.does-not-reduce";
    pub const MUX_MANUAL_TRANSFER: &str = "mux.manual-transfer-exempt";
    pub const EXEMPT_ANONYMOUS: &str = "exempt.anonymous-internet";
    pub const EXEMPT_LICENSED_SERVERS: &str = "exempt.licensed-servers";
    pub const EXEMPT_ADMIN_TWO: &str = "exempt.admin-two-per-product";
    pub const EXEMPT_VIRTUALISATION_HOST: &str = "exempt.virtualisation-only-host";
    pub const ESSENTIALS_NO_CALS: &str = "essentials.no-cals-capped";
    pub const PAYG_NO_WS_CALS: &str = "payg.no-ws-cals-rds-still";
    pub const RDS_REQUIRED: &str = "rds.cal-required-on-session-host";
    pub const RDS_ADDITIVE: &str = "rds.additive-on-ws-cal";
    pub const RDS_VERSION_MATRIX: &str = "rds.cal-version-matrix";
    pub const RDS_LICENSING_SERVER: &str = "rds.licensing-server-version";
    pub const RDS_MODE_PER_HOST: &str = "rds.mode-per-session-host";
    pub const ADDITIVE_REQUIRES_BASE: &str = "additive.requires-base";
    pub const ADDITIVE_BASE_SAME_SUBJECT: &str = "additive.base-same-subject";
    pub const ADDITIVE_BASE_ANY_SUBJECT: &str = "additive.base-any-subject-reading";
    pub const ADRMS_ADDITIVE: &str = "adrms.additive-on-ws-cal";
    pub const EXT_ADDITIVE_BASE_CAL: &str = "ext.additive-base-cal-reading";
    pub const EXT_ADDITIVE_BASE_EC: &str = "ext.additive-base-ec-reading";
    pub const M365_E3_CORE: &str = "m365.e3-core-cal-rights";
    pub const M365_E3_STANDARD_ENTERPRISE: &str = "m365.e3-standard-and-enterprise-cal-rights";
    pub const M365_PRINTERS_COVERED: &str = "m365.printers-covered-by-users-rights";
    pub const M365_PRINTERS_DEVICE_CALS: &str = "m365.printers-device-cals-reading";
    pub const NETWORK_DEVICE_CALS: &str = "device.network-equipment-device-cals-reading";
    pub const NETWORK_NOT_COUNTED: &str = "device.network-equipment-not-counted-reading";
    pub const M365_E5_ENTERPRISE: &str = "m365.e5-enterprise-cal-rights";
    pub const M365_PER_USER: &str = "m365.per-user-not-shared-devices";
    pub const M365_CHANNEL: &str = "m365.channel-reading";
    pub const WS_CAL_FOR_HOSTED_PRODUCTS: &str = "ws.cal-for-products-on-windows";
    pub const SQL_PER_CORE_NO_CALS: &str = "sql.per-core-needs-no-cals";
    pub const SQL_CORE_MINIMUM: &str = "sql.core-minimum-and-packs";
    pub const SQL_PER_VM_NEEDS_SA: &str = "sql.per-vm-needs-sa";
    pub const SQL_SERVER_CAL_STANDARD_ONLY: &str = "sql.server-cal-standard-only";
    pub const SQL_NO_EC: &str = "sql.no-external-connector";
    pub const SE_NEEDS_ACTIVE_SA: &str = "se.needs-active-sa";
    pub const PRICE_ESTIMATES: &str = "price.reference-estimates";
    pub const POSITION_ELP: &str = "position.effective-license-position";
    pub const OPT_MIN_COST_COVER: &str = "optimise.min-cost-cover";
}

// A source held on a third-party page says first which Microsoft document it copies (QA: the
// bare addresses of mirrors and copies read as dubious sources), then where it was read.
const SRC_WS2016_TERMS: &str =
    "Windows Server 2016 license terms, quoted at https://www.markettransfer.info/clause/additional-licensing-requirements-and-or-use-rights/_7";
/// The CAL requirement is quoted from Windows Server's terms; Microsoft's guidance says it of
/// every product licensed by Server and CALs (a SQL Server or Exchange shortfall cited only the
/// Windows Server terms: why review 24).
const SRC_CAL_REQUIRED: &str = "Windows Server 2016 license terms, quoted at https://www.markettransfer.info/clause/additional-licensing-requirements-and-or-use-rights/_7; for every product licensed by Server and CALs (SQL Server, Exchange, SharePoint, Skype for Business), Microsoft's Base and Additive CALs guidance: https://www.microsoft.com/licensing/guidance/Base-and-Additive-CALs";
const SRC_MS_PRODUCT_LICENSING: &str =
    "http://www.microsoft.com/india/licensing/about-licensing/product-licensing.aspx";
const SRC_MS_FAQ: &str =
    "Microsoft's CAL FAQ (2012), hosted by a reseller at https://promotions.newegg.com/Microsoft/12-1126/cal.html";
const SRC_RDS_DOC: &str = "https://github.com/MicrosoftDocs/windowsserverdocs/blob/main/WindowsServerDocs/remote/remote-desktop-services/rds-client-access-license.md";
const SRC_EQUIVALENCY: &str =
    "https://microsoft.com/licensing/terms/product/CALandMLEquivalencyLicenses/all";
/// The E3 ≈ Core / E5 ≈ Enterprise CAL Suite reading is practitioners' (cal-rules §1.13); the
/// Product Terms equivalency page is where to check it.
const SRC_M365_CAL_RIGHTS: &str = "https://industrialmonitordirect.com/blogs/knowledgebase/windows-server-2025-licensing-cal-requirements-and-vm-limits ; https://microsoft.com/licensing/terms/product/CALandMLEquivalencyLicenses/all";
/// Microsoft's own texts on the Online "Plan 2" services (in E3) and their on-premises CAL rights.
const SRC_M365_E3_ENTERPRISE: &str = "Microsoft Volume Licensing blog \"Licensing How To: Using Office 365 user licenses to meet CAL requirements\" (2013): http://blogs.technet.com/b/volume-licensing/archive/2013/10/10/licensing-how-to-using-office-365-user-licenses-to-meet-cal-requirements.aspx ; the SharePoint Server 2010 Product Use Rights (additive CAL: \"Office 365 Plan E3 User SL\") quoted on Microsoft's partner blog: https://blogs.technet.microsoft.com/uspartner_ts2team/2012/04/30/on-premises-cals-included-with-office-365-subscriptions/ ; the Windows Server CAL: https://industrialmonitordirect.com/blogs/knowledgebase/windows-server-2025-licensing-cal-requirements-and-vm-limits ; https://microsoft.com/licensing/terms/product/CALandMLEquivalencyLicenses/all";
/// Whether Microsoft 365 users' rights cover the printers they use (cal-rules §1.8 item 8 against
/// §1.13): the Product Terms make E3/E5 CAL equivalent licences; the printer rule asks the CALs of
/// the users.
const SRC_M365_PRINTERS_COVERED: &str = "Product Terms, CAL and ML equivalency licences (Online Services SLs satisfy the CAL requirement): https://microsoft.com/licensing/terms/product/CALandMLEquivalencyLicenses/all ; the printer rule: Microsoft's licensing team answering \"Do I need a CAL?\" (March 2014), summarised at https://www.zdnet.com/article/microsofts-licensing-team-answers-do-i-need-a-cal/";
/// The practitioners' side: equivalency per licensed user, shared devices and printers left to
/// Device CALs (cal-rules §1.13).
const SRC_M365_PRINTERS_DEVICE_CALS: &str = "SAM practitioners' reading that Microsoft 365 CAL rights are per licensed user (\"M365 E3/E5 users: No separate Windows Server CALs required… Non-M365 users: Require traditional Windows Server User CALs\"): https://industrialmonitordirect.com/blogs/knowledgebase/windows-server-2025-licensing-cal-requirements-and-vm-limits ; the question is asked in SQUALIO's \"Frequently Asked Questions about Microsoft Licensing\" (March 2019), C7, whose answer was not readable: https://docslib.org/doc/5446834/frequently-asked-questions-about-microsoft-licensing";
const SRC_CAL_REQUIRED_AND_NETWORK: &str = "Windows Server 2016 license terms, quoted at https://www.markettransfer.info/clause/additional-licensing-requirements-and-or-use-rights/_7 ; that it is debated for networking equipment: https://www.experts-exchange.com/questions/29116654/Are-Microsoft-device-CALs-required-for-networking-equipment.html";
/// The domain reference's §4.2 item 8: whether network equipment that authenticates to Active
/// Directory needs Device CALs "is debated".
const SRC_NETWORK_DEBATE: &str = "Are Microsoft device CALs required for networking equipment? (a practitioners' thread): https://www.experts-exchange.com/questions/29116654/Are-Microsoft-device-CALs-required-for-networking-equipment.html";
const SRC_BASE_ADDITIVE: &str =
    "https://www.microsoft.com/licensing/guidance/Base-and-Additive-CALs";

const fn r(
    id: &'static str,
    sentence: &'static str,
    source: &'static str,
    confidence: &'static str,
) -> Rule {
    Rule {
        id,
        sentence,
        source,
        confidence,
    }
}

/// Every rule the engine applies (cal-rules §1 and §5; exemptions §1.8).
pub const RULES: &[Rule] = &[
    r(ids::CAL_REQUIRED, "Every user or device that accesses the server software directly or indirectly needs the appropriate CAL; a hardware partition or blade is a separate device.", SRC_CAL_REQUIRED, "MS-PT via 3P"),
    r(ids::CAL_PER_ORGANISATION, "One CAL covers access to every server of that product (of the same or an older version) in the organisation, not one server.", "http://www.directionsonmicrosoft.com/sample/DOMIS/update/2007/03mar/0307ecsrca.htm", "3P"),
    r(ids::CAL_PER_PERSON, "A User CAL licenses a physical person, not an account: one person with several log-ins and devices needs one User CAL.", "https://learn.microsoft.com/archive/blogs/mssmallbiz/how-many-cals-does-john-smith-need", "MS"),
    r(ids::CAL_PRINTER_USERS, "A networked printer, multifunction printer or scanner needs a CAL unless it is covered by the CALs of the users who use it; a peripheral not on the network needs none.", "Microsoft's licensing team answering \"Do I need a CAL?\" (March 2014), summarised at https://www.zdnet.com/article/microsofts-licensing-team-answers-do-i-need-a-cal/ ; detail in a copy at http://cavalcadeofhomes.info/windows-server-2008-r2-cal-requirements/", "MS via 3P"),
    r(ids::CAL_UNATTENDED_DEVICE, "A device that reaches a server with no person at it (printer, sensor, indirect feed) needs a Device CAL.", "SQL Server 2012 licensing guide, reproduced at http://www.comprompt.co.in/sql-server-cal-licensing/", "MS via 3P"),
    r(ids::CAL_MIX_ALLOWED, "User CALs and Device CALs may be mixed for the same product and server: access is licensed when the person or the device holds the CAL.", SRC_MS_FAQ, "MS via 3P"),
    r(ids::CAL_TYPE_FIXED, "The CAL type (user or device) is fixed at purchase; it can be switched only when renewing Software Assurance.", "https://learn.microsoft.com/fr-fr/archive/blogs/licensing/switching-between-device-and-user-cals", "MS"),
    r(ids::CAL_VERSION_NOT_OLDER, "A CAL must be the same version as, or newer than, the server it accesses; an older CAL never covers a newer server.", SRC_MS_FAQ, "MS via 3P"),
    r(ids::CAL_R2_SAME_GENERATION, "R2 releases had no new CALs: 2008 CALs cover 2008 R2 and 2012 CALs cover 2012 R2. CALs sold for an R2 release are of its generation, so 2008 R2 CALs do not cover 2012 servers, nor 2012 R2 CALs 2016 ones.", "2012 and 2012 R2: Microsoft OEM CAL guidance as reproduced by a reseller, http://edi-atl.com/CAL_2015/ ; 2008 and 2008 R2: https://searchservervirtualization.techtarget.com/tip/How-Microsoft-Windows-Server-licensing-works-in-Hyper-V-environments ; that R2 CALs do not cover the next release: ADMIN magazine (2015), read on a copy not linked here", "3P"),
    r(ids::CAL_SAME_LICENSEE, "CALs cover access only to servers licensed by the same organisation or its affiliates.", SRC_MS_PRODUCT_LICENSING, "MS"),
    r(ids::SA_VERSION_RIGHTS, "A CAL with Software Assurance active on a new version's release date counts as that new version.", "http://www.connectingup.org/donations/microsoft/microsoft-exchange-server-user-cal-standard", "3P"),
    r(ids::SUITE_VERSION_LESS, "CAL Suites are version-less: with active SA they give rights to the newest version of each component; when SA lapses the rights freeze at the versions current then.", "Product Terms, CAL Suites offering: https://www.microsoft.com/licensing/terms/productoffering/CALSuites/EES, read on a mirror at https://www.rarnonalumber.com/licensing/terms/productoffering/CALSuites/EES", "MS-PT via 3P"),
    r(ids::SUITE_NOT_SPLIT, "A CAL Suite is one licence for one user or device: the CALs it equals cannot be split across users or devices, so CALs counted from an owned suite are not redeployed apart from it.", "Microsoft's CAL Suites licensing brief (Sept 2018), read on copies at https://www.the-chronic.eu/microsoft/licensing-the-core-client-access-license-cal-suite-and-enterprise-cal-suite/ and https://manualspro.net/118298-microsoft-core-cal-suite-and-enterprise-user-manual", "MS via 3P"),
    r(ids::SUITE_CORE, "One Core CAL Suite licence equals the Windows Server, Exchange Standard, SharePoint Standard and Skype for Business Standard CALs for one user or device; it holds no RDS or SQL Server CAL.", SRC_EQUIVALENCY, "MS-PT"),
    r(ids::SUITE_ENTERPRISE, "One Enterprise CAL Suite licence equals the Core CAL Suite plus the Exchange, SharePoint and Skype for Business Enterprise CALs and the AD RMS CAL.", "https://www.forscope.eu/cal-suite-better-than-separate-cals ; GitHub JiriSlof/KnowledgeBase, \"MS Access License.md\": https://github.com/JiriSlof/KnowledgeBase", "3P"),
    r(ids::EXT_DEFINITION, "External users are people who are not employees, onsite contractors or onsite agents of the organisation or its affiliates.", "Product Terms definition of External Users, quoted at https://npifinancial.com/blog/windows-server-licensing-external-users/", "MS-PT via 3P"),
    r(ids::EXT_OFFSITE_CONTRACTOR, "Offsite contractors are read as external users (the definition names only onsite contractors as internal); sources do not say so in as many words.", "inference from the Windows Server licensing guide wording (onsite contractors and onsite agents need CALs), quoted at https://protekitsolutions.com/?p=3993", "derived"),
    r(ids::EXT_COVERED_BY_SERVER, "Since the 2013 versions, external users of Exchange, SharePoint and Skype for Business are licensed by the server licence and need no CALs.", "Product Use Rights, October 2012, quoted at https://spendmatters.com/2012/10/31/should-you-be-worried-about-changes-to-microsofts-external-connector-licensing-maybe/", "MS-PT via 3P"),
    r(ids::EC_ALTERNATIVE, "An External Connector on a server lets any number of external users access it, instead of a CAL for each.", SRC_MS_PRODUCT_LICENSING, "MS"),
    r(ids::EC_PER_PHYSICAL_HOST, "An External Connector is assigned to a physical server (or hardware partition or blade) and covers every physical and virtual OSE on it.", "Microsoft's Windows Server 2008 virtualisation licensing text, reproduced at http://www.ppcproservices.com/Hyper-V_Licensing.aspx", "MS via 3P"),
    r(ids::EC_PER_VM_READING, "Conservative reading from a community answer: one External Connector per server instance (each VM). It disagrees with the Product Terms reading.", "a volunteer's answer on Microsoft Q&A: https://learn.microsoft.com/en-us/answers/questions/5750685/could-you-explain-the-licensing-concept-of-extconn, read on a mirror at https://azure.microsofts.workers.dev/en-us/answers/questions/5750685/could-you-explain-the-licensing-concept-of-extconn; not the Product Terms", "3P"),
    r(ids::EC_INTERNAL_NEED_CALS, "An External Connector covers only external users; employees and onsite contractors need CALs.", "Microsoft's External Connector product description, quoted by a reseller at https://www.academic-center.de/cgi-bin/product/windows-remote-desktop-services-external-connector-microsoft-licence-P10007898!DESC/ml=EN", "MS via 3P"),
    r(ids::EC_RDS_NEEDS_WS_EC, "An RDS External Connector is additive: the same host also needs a Windows Server External Connector.", "https://www.connectingup.org/product/microsoft-discounts-with-software-assurance/windows-remote-desktop-services-external-connector-license-discounted", "3P"),
    r(ids::EC_PRODUCTS, "External Connectors exist for Windows Server, Remote Desktop Services and AD RMS; not for SQL Server, Exchange, SharePoint or Skype for Business.", "Product Terms, Windows Server offering: https://www.microsoft.com/licensing/terms/productoffering/WindowsServerStandardDatacenterEssentials/MCA, read on a mirror at https://www.rarnonalumber.com/licensing/terms/productoffering/WindowsServerStandardDatacenterEssentials/MCA", "MS-PT via 3P"),
    r(ids::MUX_NO_REDUCTION, "Multiplexing or pooling (a web front end, middleware) does not reduce the CALs needed: every user or device connected to the front end needs one.", "Microsoft licensing brief \"Multiplexing: Client Access License (CAL) Requirements\": http://www.microsoft.com/en-us/licensing/learn-more/brief-multiplexing-cals.aspx, copy at https://pdf4pro.com/view/multiplexing-client-access-license-cal-requirements-5b9e22.html", "MS via 3P"),
    r(ids::MUX_MANUAL_TRANSFER, "People who only receive output transferred by hand (a printed or hand-e-mailed report) need no CAL; automated forwarding does.", "Microsoft licensing brief \"Multiplexing: Client Access License (CAL) Requirements\": http://www.microsoft.com/en-us/licensing/learn-more/brief-multiplexing-cals.aspx, copy at https://pdf4pro.com/view/multiplexing-client-access-license-cal-requirements-5b9e22.html", "MS via 3P"),
    r(ids::EXEMPT_ANONYMOUS, "Unauthenticated access through the Internet needs no CAL; once a visitor logs in, that person needs a CAL (or an External Connector).", "Microsoft KB Q264908, quoted on a forum at https://p2p.wrox.com/vs-net-2002-2003/2432-web-services-windows-licensing.html", "MS via 3P"),
    r(ids::EXEMPT_LICENSED_SERVERS, "Servers licensed to run the server software need no CAL to access it (server-to-server).", SRC_WS2016_TERMS, "MS-PT via 3P"),
    r(ids::EXEMPT_ADMIN_TWO, "Up to two users or devices per product may access the server software only to administer it without CALs; every further administrator needs one.", "Microsoft's \"When do I need a CAL\" Q&A, reproduced at http://cavalcadeofhomes.info/windows-server-2008-r2-cal-requirements/", "MS via 3P"),
    r(ids::EXEMPT_VIRTUALISATION_HOST, "A physical OSE used only to run and manage virtual machines needs no CALs; access to the guests still does.", SRC_WS2016_TERMS, "MS-PT via 3P"),
    r(ids::ESSENTIALS_NO_CALS, "Windows Server Essentials needs no CALs but is limited to 25 users and 50 devices; beyond that the server must move to Standard with CALs.", "Windows Server 2022 Licensing Guide (October 2022), copy at https://www.the-chronic.eu/microsoft/windows-server-2022-licensing-guide_october-2022/", "MS via 3P"),
    r(ids::PAYG_NO_WS_CALS, "Windows Server 2025 pay-as-you-go through Azure Arc needs no Windows Server CALs, but RDS CALs are still required.", "https://github.com/MicrosoftDocs/windowsserverdocs/blob/main/WindowsServerDocs/get-started/windows-server-pay-as-you-go.md", "MS"),
    r(ids::RDS_REQUIRED, "Every user or device that connects to a Remote Desktop Session Host needs an RDS CAL.", SRC_RDS_DOC, "MS"),
    r(ids::RDS_ADDITIVE, "The RDS CAL is additive: each RDS user or device also needs a Windows Server CAL.", SRC_WS2016_TERMS, "MS-PT via 3P"),
    r(ids::RDS_VERSION_MATRIX, "An RDS CAL covers session hosts of its own or an older Windows Server version only (2022 RDS CALs cannot access 2025 hosts).", SRC_RDS_DOC, "MS"),
    r(ids::RDS_LICENSING_SERVER, "The RD Licensing server must run the same or a newer Windows Server version than the RDS CALs installed on it.", SRC_RDS_DOC, "MS"),
    r(ids::RDS_MODE_PER_HOST, "The RDS licensing mode, per user or per device, is set per session host (or per deployment): in the deployment's properties on the RD Connection Broker, or on each session host by the Group Policy \"Set the Remote Desktop licensing mode\"; so one host issues one kind of RDS CAL, and hosts may differ.", "Microsoft Learn, \"License Remote Desktop session hosts\": https://github.com/MicrosoftDocs/windowsserverdocs/blob/main/WindowsServerDocs/remote/remote-desktop-services/rds-license-session-hosts.md", "MS"),
    r(ids::ADDITIVE_REQUIRES_BASE, "An additive CAL (Exchange, SharePoint or Skype Enterprise, RDS, AD RMS) is only valid in addition to the base CAL.", SRC_BASE_ADDITIVE, "MS"),
    r(ids::ADDITIVE_BASE_ANY_SUBJECT, "Reading chosen where sources are silent (your choice; the calculator's default asks the base of the same user or device): an additive CAL's base may be held by the other subject, so a user's base CAL licenses their base access at a device that holds the additive Device CAL, and a device's base Device CAL that of a user holding the additive User CAL, the host's base External Connector that of an external user. Every access to the base product is still licensed, and an additive External Connector still needs the base product's connector on its host.", SRC_BASE_ADDITIVE, "derived"),
    r(ids::ADDITIVE_BASE_SAME_SUBJECT, "Reading chosen where sources are silent: the base CAL an additive CAL needs is held by the same user or device (a device's RDS Device CAL needs a Windows Server Device CAL, even when everyone using the device holds a Windows Server User CAL), the reading that cannot fall short.", SRC_BASE_ADDITIVE, "derived"),
    r(ids::ADRMS_ADDITIVE, "Using AD Rights Management Services needs an AD RMS CAL in addition to the Windows Server CAL.", SRC_WS2016_TERMS, "MS-PT via 3P"),
    r(ids::EXT_ADDITIVE_BASE_CAL, "Reading chosen where sources are silent: an external user who holds an RDS or AD RMS User CAL also needs a Windows Server User CAL, even on a host with a Windows Server External Connector (the base/additive rule read literally).", SRC_BASE_ADDITIVE, "derived"),
    r(ids::EXT_ADDITIVE_BASE_EC, "Reading chosen where sources are silent: for an external user who holds an RDS or AD RMS User CAL, the Windows Server External Connector of the host they reach licenses the Windows Server access there in place of a Windows Server CAL (an External Connector is an alternative to CALs for external users).", SRC_MS_PRODUCT_LICENSING, "derived"),
    r(ids::M365_E3_STANDARD_ENTERPRISE, "Microsoft 365 E3 gives its licensed user the Core CAL Suite's CAL rights (incl. the Windows Server CAL) and the Exchange and SharePoint Enterprise CAL rights: a user of their Online Plan 2 services may access the Standard and Enterprise CAL features of the on-premises server. Not the AD RMS CAL, nor the Skype for Business Enterprise CAL (its online service was retired in 2021; no Microsoft text at hand gives it to E3). The Exchange and SharePoint parts rest on Microsoft's texts, the Windows Server CAL on practitioners'.", SRC_M365_E3_ENTERPRISE, "3P"),
    r(ids::M365_E3_CORE, "A shorthand of SAM practitioners reads Microsoft 365 E3 as a Core CAL Suite (incl. the Windows Server CAL): the Exchange and SharePoint Enterprise CALs still to be bought.", SRC_M365_CAL_RIGHTS, "3P"),
    r(ids::M365_PRINTERS_COVERED, "Reading chosen where sources disagree: Microsoft 365 E3 and E5 are CAL equivalent licences (their user is licensed as by the CALs they stand for), so a networked printer or scanner whose every user is licensed for the product, by a CAL or by Microsoft 365, needs no Device CAL for it.", SRC_M365_PRINTERS_COVERED, "derived"),
    r(ids::NETWORK_DEVICE_CALS, "Reading chosen where sources disagree (the default, which cannot fall short): network equipment that authenticates to a server (a managed switch or wireless access point using 802.1X through NPS, a firewall looking users up in Active Directory) is a device that accesses the server software with no person at it, so it needs a Device CAL for each product it reaches, as the server's licence terms ask of every device that accesses it. Whether it does is debated.", SRC_CAL_REQUIRED_AND_NETWORK, "derived"),
    r(ids::NETWORK_NOT_COUNTED, "Reading chosen where sources disagree (your choice; the default asks Device CALs): network equipment that authenticates to a server only passes on the access of users and devices that hold their own CALs, so it needs none of its own.", SRC_NETWORK_DEBATE, "derived"),
    r(ids::M365_PRINTERS_DEVICE_CALS, "SAM practitioners read Microsoft 365 CAL equivalency as per licensed user, covering no shared device: a networked printer or scanner used by Microsoft 365 users needs Device CALs unless every user holds a CAL of their own for the product.", SRC_M365_PRINTERS_DEVICE_CALS, "3P"),
    r(ids::M365_E5_ENTERPRISE, "Microsoft 365 E5 gives its licensed user the rights of an Enterprise CAL Suite.", SRC_M365_CAL_RIGHTS, "3P"),
    r(ids::M365_PER_USER, "Microsoft 365 CAL equivalency goes with the seat: it licenses the user who holds one, not people without a seat, nor a shared device (a kiosk, a shared PC) used by people without one. Whether it covers a networked printer whose every user holds a seat is a reading where sources disagree (m365.printers-covered-by-users-rights).", "inference: the CAL equivalency table lists Microsoft 365 E3 and E5 as User SLs, licences assigned to a user: https://microsoft.com/licensing/terms/product/CALandMLEquivalencyLicenses/all", "derived"),
    r(ids::M365_CHANNEL, "Sources disagree whether Microsoft 365 seats bought through CSP, MCA or MOSA carry CAL equivalency rights; a community reading grants them only under volume licensing (EA, MPSA, Open Value).", "https://www.microsoftpartnercommunity.com/t5/Feedback-Support-Discussions/Clarification-on-CAL-SA-equivalency-rights-of-Microsoft-365/m-p/58552", "3P"),
    r(ids::WS_CAL_FOR_HOSTED_PRODUCTS, "A server product running on Windows Server (SQL Server, Exchange, SharePoint, Skype) also needs Windows Server CALs for its users: the product CAL does not include the Windows Server CAL.", "inference: the SQL Server, Exchange, SharePoint and Skype CALs are separate products and no CAL equivalency lists the Windows Server CAL in them: https://microsoft.com/licensing/terms/product/CALandMLEquivalencyLicenses/all", "derived"),
    r(ids::SQL_PER_CORE_NO_CALS, "SQL Server licensed per core needs no CALs for internal or external users.", "https://redresscompliance.com/sql-server-2022-licensing-a-comprehensive-guide.html", "3P"),
    r(ids::SQL_CORE_MINIMUM, "SQL Server per-core licences are sold in 2-core packs with a minimum of 4 cores per VM or processor.", "https://redresscompliance.com/sql-server-2022-licensing-a-comprehensive-guide.html", "3P"),
    r(ids::SQL_PER_VM_NEEDS_SA, "From SQL Server 2022, licensing individual virtual machines per core needs Software Assurance or a subscription on the core licences.", "https://redresscompliance.com/sql-server-2022-licensing-a-comprehensive-guide.html", "3P"),
    r(ids::SQL_SERVER_CAL_STANDARD_ONLY, "Server+CAL licensing exists for SQL Server Standard only, SQL Server 2025 included; Enterprise is licensed per core.", "https://redresscompliance.com/sql-server-2022-licensing-a-comprehensive-guide.html; for 2025: https://licenseware.io/microsoft-sql-server-2025-licensing-guide", "3P"),
    r(ids::SE_NEEDS_ACTIVE_SA, "Exchange Server SE and SharePoint Server Subscription Edition are licensed only while Software Assurance is active on their server licences and CALs (or with subscriptions such as Microsoft 365 E3/E5 for the users): a CAL whose SA has ended keeps the 2019 rights and does not license access to SE.", "Exchange team blog \"Upgrading your organization from current versions to Exchange Server SE\": https://techcommunity.microsoft.com/blog/exchange/upgrading-your-organization-from-current-versions-to-exchange-server-se/4241305, as quoted in a Microsoft Q&A answer https://learn.microsoft.com/en-us/answers/questions/5588230/exchange-se-cal-requirement-satisfied-with-m365-e3 read on a mirror at https://azure.microsofts.workers.dev/en-us/answers/questions/5588230/exchange-se-cal-requirement-satisfied-with-m365-e3; SharePoint team answer \"SharePoint Server Subscription Edition Licensing\": https://techcommunity.microsoft.com/t5/sharepoint-server-subscription/sharepoint-server-subscription-edition-licensing/m-p/3302262", "MS via 3P"),
    r(ids::SQL_NO_EC, "There is no External Connector for SQL Server: external users need SQL CALs, or the server is licensed per core.", "https://www.licensingschool.co.uk/how-do-you-license-external-users-for-sql-server-2019/", "LS"),
    r(ids::PRICE_ESTIMATES, "Reference prices are editable estimates from public pages with their date, not Microsoft's price list; replace them with your own.", "each reference price carries its own source and date (e.g. https://microsoftnegotiations.com/topics/windows-server.html, https://redresscompliance.com/sql-server-2022-licensing-a-comprehensive-guide.html)", "3P"),
    r(ids::POSITION_ELP, "Effective License Position: entitlements (by product, kind and version, with SA rights and suite contents) against demand; each owned licence is used once.", "https://redresscompliance.com/common-microsoft-audit-findings-and-how-to-remediate-them-before-they-cost-you", "3P"),
    r(ids::OPT_MIN_COST_COVER, "The cheapest mix is a minimum-cost cover of every access by a User CAL, a Device CAL or an External Connector, solved exactly.", "minimum-weight vertex cover by max-flow/min-cut (Kőnig's theorem), https://en.wikipedia.org/wiki/K%C5%91nig%27s_theorem_%28graph_theory%29", "derived"),
];

/// Hosts where the domain reference read a copy of a Microsoft text that its own site no longer
/// served: sources name them as where the text was read, but the app does not link them (review
/// 18: a look-alike of a Microsoft host and sites unrelated to licensing, one click from a
/// finding).
pub const UNOFFICIAL_COPIES: &[&str] = &[
    "azure.microsofts.workers.dev",
    "www.rarnonalumber.com",
    "cavalcadeofhomes.info",
];

/// Whether `url` is on one of [`UNOFFICIAL_COPIES`] or is a bare IP address: named, not linked.
pub fn unofficial_copy(url: &str) -> bool {
    let host = url
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .split(['/', ':'])
        .next()
        .unwrap_or("");
    UNOFFICIAL_COPIES.contains(&host) || host.parse::<std::net::Ipv4Addr>().is_ok()
}

/// Looks a rule up by id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// Everything above as one serialisable value, for the JavaScript API and the docs.
#[derive(Debug, Clone, Serialize)]
pub struct Catalog {
    pub products: Vec<ProductInfo>,
    pub versions: Vec<FamilyVersions>,
    pub suites: Vec<SuiteInfo>,
    pub prices: Vec<ReferencePrice>,
    pub rules: Vec<Rule>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FamilyVersions {
    pub family: Family,
    pub name: &'static str,
    pub server_versions: Vec<ServerVersion>,
    pub cal_versions: Vec<CalVersion>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SuiteInfo {
    pub suite: CalProduct,
    pub contents: Vec<CalProduct>,
}

/// The whole catalog.
pub fn catalog() -> Catalog {
    Catalog {
        products: PRODUCTS.to_vec(),
        versions: Family::ALL
            .iter()
            .map(|&f| FamilyVersions {
                family: f,
                name: f.name(),
                server_versions: server_versions(f).to_vec(),
                cal_versions: cal_versions(f).to_vec(),
            })
            .collect(),
        suites: [CalProduct::CoreCalSuite, CalProduct::EnterpriseCalSuite]
            .iter()
            .map(|&s| SuiteInfo {
                suite: s,
                contents: suite_contents(s).to_vec(),
            })
            .collect(),
        prices: reference_prices(),
        rules: RULES.to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Microsoft tag ("MS", "MS-PT") promises Microsoft's own page: a source held only on a
    /// third-party site (a reseller's copy of the FAQ, a mirror of the Product Terms) is tagged
    /// "… via 3P", so a reader knows to check the wording against Microsoft's.
    #[test]
    fn microsoft_tags_point_to_microsoft_pages() {
        let microsoft = |url: &str| {
            let host = url
                .split("://")
                .nth(1)
                .and_then(|r| r.split('/').next())
                .unwrap_or("");
            host == "microsoft.com"
                || host.ends_with(".microsoft.com")
                || url.starts_with("https://github.com/MicrosoftDocs/")
        };
        // Sources are sentences naming the document, with its addresses among the words.
        let addresses = |source: &'static str| {
            source
                .split_whitespace()
                .map(|w| w.trim_end_matches([',', ';', ')']))
                .filter(|w| w.starts_with("https://") || w.starts_with("http://"))
                .collect::<Vec<_>>()
        };
        let wrong: Vec<&str> = RULES
            .iter()
            .filter(|r| matches!(r.confidence, "MS" | "MS-PT"))
            .filter(|r| !addresses(r.source).into_iter().any(microsoft))
            .map(|r| r.id)
            .collect();
        assert!(wrong.is_empty(), "{wrong:?}");
        // And "via 3P" means a copy: it is not said of a rule sourced on Microsoft's pages only.
        let not_copies: Vec<&str> = RULES
            .iter()
            .filter(|r| r.confidence.ends_with("via 3P"))
            .filter(|r| addresses(r.source).into_iter().all(microsoft))
            .map(|r| r.id)
            .collect();
        assert!(not_copies.is_empty(), "{not_copies:?}");
        // A copy says first which Microsoft document it holds (QA: bare addresses of mirrors and
        // reseller pages read as dubious sources).
        let bare: Vec<&str> = RULES
            .iter()
            .filter(|r| r.confidence.ends_with("via 3P"))
            .filter(|r| r.source.starts_with("http"))
            .map(|r| r.id)
            .collect();
        assert!(bare.is_empty(), "{bare:?}");
        // Copies on hosts the app does not link are among them, and no Microsoft page is.
        let all: Vec<&str> = RULES.iter().flat_map(|r| addresses(r.source)).collect();
        for host in UNOFFICIAL_COPIES {
            assert!(
                all.iter().any(|a| a.contains(host) && unofficial_copy(a)),
                "{host}"
            );
        }
        assert!(all
            .iter()
            .filter(|a| microsoft(a))
            .all(|a| !unofficial_copy(a)));
        assert!(unofficial_copy("http://56.228.32.197/dale/page"));
        // A reading chosen where sources are silent is the calculator's own: "derived".
        let readings: Vec<&str> = RULES
            .iter()
            .filter(|r| r.sentence.starts_with("Reading chosen"))
            .filter(|r| r.confidence != "derived")
            .map(|r| r.id)
            .collect();
        assert!(readings.is_empty(), "{readings:?}");
        let copies = RULES
            .iter()
            .filter(|r| r.confidence.ends_with("via 3P"))
            .count();
        assert!(copies > 0);
    }

    #[test]
    fn r2_is_the_same_cal_generation() {
        let f = Family::WindowsServer;
        assert_eq!(cal_version(f, "2012 R2").map(|c| c.name), Some("2012"));
        assert_eq!(cal_version(f, "2012r2").map(|c| c.name), Some("2012"));
        assert_eq!(cal_version(f, "2008 R2").map(|c| c.rank), Some(1));
        assert!(same_generation_release(f, "2012r2") && same_generation_release(f, "2008 R2"));
        assert!(!same_generation_release(f, "2012") && !same_generation_release(f, "2016"));
        assert!(!same_generation_release(Family::Exchange, "SE"));
    }

    /// `cal_version` looks a catalog spelling up before normalising: that is only the same
    /// lookup if every name the catalog spells is its own normal form.
    #[test]
    fn catalog_names_are_normalised() {
        use Family::*;
        for f in [WindowsServer, SqlServer, Exchange, SharePoint, Skype] {
            let servers = server_versions(f).iter().map(|s| s.name);
            for name in servers.chain(cal_versions(f).iter().map(|c| c.name)) {
                assert_eq!(normalise(name), name, "{f:?} {name}");
            }
        }
    }

    #[test]
    fn every_rule_id_is_unique_and_has_a_source() {
        for (i, a) in RULES.iter().enumerate() {
            assert!(!a.source.is_empty() && !a.sentence.is_empty(), "{}", a.id);
            assert!(RULES.iter().skip(i + 1).all(|b| b.id != a.id), "{}", a.id);
        }
    }

    #[test]
    fn sa_active_on_release_counts_as_new_version() {
        let sa = SoftwareAssurance {
            since: d(2020, 1, 1),
            until: None,
        };
        let rank = effective_cal_rank(Family::WindowsServer, "2019", Some(&sa), d(2026, 1, 1));
        assert_eq!(rank, Some(6));
    }

    #[test]
    fn sa_lapsed_before_release_does_not_count() {
        let sa = SoftwareAssurance {
            since: d(2019, 1, 1),
            until: Some(d(2021, 1, 1)),
        };
        let rank = effective_cal_rank(Family::WindowsServer, "2019", Some(&sa), d(2026, 1, 1));
        assert_eq!(rank, Some(4));
    }
}
