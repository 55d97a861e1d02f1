//! Licence statements (Microsoft Licensing Statement, volume licensing "licence summary", a
//! reseller's list): rows of product, quantity, version and Software Assurance become
//! [`Holding`]s. Product descriptions are read in both spellings Microsoft uses: plain
//! ("Windows Server 2022 User CAL") and part-number style ("WinSvrCAL 2022 SNGL OLP NL UsrCAL"),
//! word by word: the glued abbreviations of part numbers are cut into known words first, so a
//! phrase is only found where its words are ("Device CAL" holds no "ECAL").
//!
//! Every row read gives a holding the estate accepts (`Estate::validate`): a CAL whose product,
//! kind or version cannot be told is an unreadable row with its reason, never a holding with an
//! empty or wrong field. Rows that are not CALs (server licences, Office) are listed as ignored.
//! Microsoft 365 E3 and E5 lines are seats, not holdings: they are kept apart ([`SeatLine`]) and
//! set the estate's seat count of their plan when the statement is applied (cal-rules §1.13);
//! its add-ons (E5 Security, E5 Compliance, …) and step-ups are not seats of a plan and are left
//! out.
//!
//! Where the statement contradicts itself or leaves a gap, the reading that grants least is taken
//! and named: an SA marked ended whose end date is not past on the date of the count is read as
//! ended on its start date, since a version counts only if SA was active at its release
//! (cal-rules §1.5) and nothing shows when it really lapsed.

use super::columns::Field;
use super::dates::{self, DateOrder, OrderEvidence, RawDate};
use super::{Row, RowUnit};
use crate::catalog;
use crate::estate::{CalProduct, Holding, LicenceKind, M365Plan, SoftwareAssurance, MAX_COUNT};

/// A holding as read, with the raw SA dates (resolved once the date order is known).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoldingRow {
    /// The statement the row comes from (empty until the session names it).
    pub file: String,
    /// The row's line, or its object's number in a JSON file (as `unit` says).
    pub line: u32,
    pub unit: RowUnit,
    pub description: String,
    pub product: CalProduct,
    pub kind: LicenceKind,
    /// Empty for the version-less suites; otherwise a CAL version of the catalog.
    pub version: String,
    pub quantity: u32,
    pub sa: SaStatus,
    pub sa_start: RawDate,
    pub sa_end: RawDate,
    /// The row says nothing of Software Assurance: no SA column value, no SA date, no SA in
    /// the product text. Applying keeps the SA the estate's lot has (entered by hand).
    pub sa_silent: bool,
    /// The date of the count its file's notes judged it against, when known as it was read
    /// ([`super::session::Session::set_as_of`]): what they said need not be said again on
    /// applying.
    pub noted_as_of: Option<crate::estate::Date>,
}

/// A Microsoft 365 E3 or E5 line of a statement: seats, whose CAL equivalency goes to the people
/// of the groups marked with the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeatLine {
    /// The statement the line comes from (empty until the session names it).
    pub file: String,
    pub line: u32,
    pub description: String,
    pub plan: M365Plan,
    pub quantity: u32,
    /// The line is a subscription of a tenant's list ([`Subscriptions`]): its seats are those
    /// enabled in the tenant now, which a purchase record's lines of the plan do not add to.
    pub tenant: bool,
    /// Of a tenant's subscription: the units assigned to users (`ConsumedUnits`), when listed.
    pub assigned: Option<u32>,
    /// Of a tenant's subscription: the units in the grace period after it ended
    /// (`WarningUnits`), not counted as seats.
    pub grace: u32,
}

/// A tenant's list of its subscriptions (`Get-MsolAccountSku`, `Get-MgSubscribedSku`, or a
/// script's selection of them): one row per product, its SKU part number and its units, no
/// user. The units enabled are the seats; units suspended, locked out or in the grace period
/// after a subscription ended are not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Subscriptions {
    /// The header of the seats' column, as the file writes it ("ActiveUnits", "Enabled").
    pub seats_column: String,
    /// The column of the units assigned (index, header), when there is one.
    pub assigned: Option<(usize, String)>,
    /// The column of the units in a grace period (index, header), when there is one.
    pub grace: Option<(usize, String)>,
}

/// What a statement says of a lot's Software Assurance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaStatus {
    /// No SA.
    No,
    /// SA, until its end date if one is given.
    Yes,
    /// SA that has ended ("Expired", "Inactive", "Lapsed"): its dates still say which versions it
    /// covered (a CAL with SA on a release date counts as that release, a suite's rights freeze
    /// when SA ends: cal-rules §1.5).
    Ended,
}

/// A reading the statement did not give, which the file's notes name with its lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Assumed {
    /// SA marked "No" with SA dates: read as SA that has ended.
    NoWithDates,
    /// The product text names a pack of `size` clients (`word`: "5 Clt", "5 pack", "5 User"):
    /// the quantity, of packs, was multiplied by it.
    Pack { size: u32, word: &'static str },
    /// An ended SA with a start date and no end date: taken to have ended on its start date.
    EndedAtStart,
    /// An ended SA without dates on a versioned CAL: counted at its own version.
    OwnVersion,
    /// SA on a versioned CAL without a start date: taken to start on the date of the count.
    StartAtCount,
    /// The licence-type column says `used`, the product text `text`: the column is read.
    KindConflict {
        used: LicenceKind,
        text: LicenceKind,
    },
}

impl Assumed {
    fn note(self, lines: &str) -> String {
        match self {
            Assumed::Pack { size, word } => format!(
                "The product text on {lines} names a pack of {size} clients (\"{size} {word}\"): its quantity counts packs, so it was multiplied by {size}, each pack being {size} CALs. If the statement counts CALs there, not packs, correct the quantity of the holding."
            ),
            Assumed::NoWithDates => format!(
                "Software Assurance is marked \"No\" on {lines} while SA dates are given: it is read as SA that has ended (as \"Expired\"), held over those dates and not active on the date of the count, so a CAL counts as the versions released while it ran and a suite's rights freeze at its end date (read as a lot without SA, a suite, which is sold only with SA, would count as current). Correct the status or the dates if that is wrong."
            ),
            Assumed::EndedAtStart => format!(
                "Software Assurance has ended on {lines} but no SA end date is given: it is taken to have ended on its SA start date, which grants only the versions current then. Enter the SA end date to count the versions it covered."
            ),
            Assumed::OwnVersion => format!(
                "Software Assurance has ended on {lines} and no SA dates are given: counted at its own version, as without SA. Enter the SA start and end dates to count the versions it covered."
            ),
            Assumed::KindConflict { used, text } => format!(
                "The licence-type column says {} on {lines} where the product text says {}: read as {}s, as the column says. Check the statement and correct the column or the holding.",
                catalog::kind_label(used),
                catalog::kind_label(text),
                catalog::kind_label(used)
            ),
            Assumed::StartAtCount => format!(
                "Software Assurance on {lines} has no SA start date: it is taken to start on the date of the count (or on its SA end date, when that is earlier), which grants no version released before it. Enter the SA start date to count the versions it covered."
            ),
        }
    }
}

/// The rows' places in one or more files for the summary of file `here`: "line 4", "lines 2
/// and 3 of purchases.csv and line 5" (a file is named unless it is `here`; a JSON file's rows
/// are its objects: "object 2 of subscriptions.json").
fn places<'a>(rows: impl IntoIterator<Item = &'a HoldingRow>, here: &str) -> String {
    let mut groups: Vec<(&str, RowUnit, Vec<u32>)> = Vec::new();
    for r in rows {
        let (file, unit) = (r.file.as_str(), r.unit);
        match groups.iter_mut().find(|(f, u, _)| *f == file && *u == unit) {
            Some((_, _, lines)) => lines.push(r.line),
            None => groups.push((file, unit, vec![r.line])),
        }
    }
    groups
        .iter()
        .map(|(file, unit, lines)| {
            if file.is_empty() || *file == here {
                unit.list(lines)
            } else {
                format!("{} of {file}", unit.list(lines))
            }
        })
        .collect::<Vec<_>>()
        .join(" and ")
}

/// Holdings read from statements.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Statement {
    pub rows: Vec<HoldingRow>,
    /// Rows that are not CALs: (line, description).
    pub ignored: Vec<(u32, String)>,
    /// Microsoft 365 E3 and E5 lines: seats, which set the estate's seat counts when applied.
    pub seats: Vec<SeatLine>,
    pub evidence: OrderEvidence,
    /// Whether the file has a Software Assurance column (a yes/no one or an SA end date).
    pub has_sa_column: bool,
    /// What was assumed where the statement says nothing, by line (for the file's notes).
    pub assumed: Vec<(u32, Assumed)>,
    /// Rows with a negative quantity (returns, credits), the quantity made positive, each with
    /// whether it states its Software Assurance; [`Statement::net_returns`] takes them from their
    /// lots.
    pub returns: Vec<(HoldingRow, bool)>,
    /// Returns no lot of their own file could take (each also an unreadable row of that file):
    /// when statements are read together, they are taken from a lot of another
    /// ([`Statement::append`]).
    pub unplaced: Vec<(HoldingRow, bool)>,
    /// Software Assurance renewal lines ("WinSvrCAL ALNG SA MVL UsrCAL": SA alone, no licence):
    /// not licences, so never holdings; applying the statement extends with each the SA of a lot
    /// of the same licence whose SA it continues ([`Statement::renewal_holdings`]).
    pub renewals: Vec<HoldingRow>,
    /// The file's columns of dates that do not name Software Assurance and were not read as SA
    /// dates ("Agreement Start Date"; "End Date" without an SA column), for its notes; `None`
    /// until its first row.
    pub term_columns: Option<Vec<String>>,
    /// A hash of each data row's fields, trimmed (trailing empty fields left out), whatever its
    /// line endings, quotes or encoding: a statement whose rows all repeat those of one read
    /// before is that statement again ([`Statement::repeats`]).
    pub row_keys: Vec<u64>,
    /// The file is a tenant's list of its subscriptions, not a record of purchases.
    pub subscriptions: Option<Subscriptions>,
    /// The rows read as Microsoft 365 E3 or E5, seats read or not.
    pub plan_rows: usize,
}

/// The first year 2000–2039 in a text ("2012 R2" → "2012").
pub fn year_in(s: &str) -> Option<String> {
    let b = s.as_bytes();
    (0..b.len().saturating_sub(3)).find_map(|i| {
        let w = b.get(i..i + 4)?;
        let before = i == 0 || !b[i - 1].is_ascii_digit();
        let after = b.get(i + 4).is_none_or(|c| !c.is_ascii_digit());
        (before
            && after
            && w[0] == b'2'
            && w[1] == b'0'
            && (b'0'..=b'3').contains(&w[2])
            && w[3].is_ascii_digit())
        .then(|| String::from_utf8_lossy(w).into_owned())
    })
}

/// Words and abbreviations that part numbers glue together ("WinSvrCAL", "ExchgSvrEntCAL",
/// "LicSAPk"). A run of letters is cut into these only when it is made of them entirely.
const PARTS: &[&str] = &[
    "windows",
    "win",
    "server",
    "svr",
    "srv",
    "cal",
    "cals",
    "client",
    "access",
    "license",
    "licence",
    "lic",
    "user",
    "users",
    "usr",
    "device",
    "devices",
    "dvc",
    "dev",
    "per",
    "external",
    "ext",
    "connector",
    "conn",
    "core",
    "ecal",
    "enterprise",
    "ent",
    "standard",
    "std",
    "suite",
    "exchange",
    "exchg",
    "exch",
    "sharepoint",
    "sharept",
    "shrpt",
    "share",
    "point",
    "skype",
    "lync",
    "sfb",
    "sql",
    "remote",
    "rmt",
    "desktop",
    "dsktp",
    "services",
    "srvcs",
    "svcs",
    "rds",
    "terminal",
    "ts",
    "rights",
    "mgmt",
    "management",
    "rms",
    "ad",
    "sa",
    "pk",
    "bridge",
    "subs",
    "vl",
    "step",
    "up",
];

/// Cuts a lower-case run of letters into the fewest [`PARTS`], or `None`.
fn cut(run: &str) -> Option<Vec<&str>> {
    let n = run.len();
    // best[i]: the fewest parts covering run[..i], with where the last part starts.
    let mut best: Vec<Option<(u32, usize)>> = vec![None; n + 1];
    best[0] = Some((0, 0));
    for i in 0..n {
        let Some((k, _)) = best[i] else { continue };
        for p in PARTS {
            if run[i..].starts_with(p) {
                let j = i + p.len();
                if best[j].is_none_or(|(m, _)| k + 1 < m) {
                    best[j] = Some((k + 1, i));
                }
            }
        }
    }
    best[n]?;
    let mut parts = Vec::new();
    let mut j = n;
    while j > 0 {
        let (_, i) = best[j]?;
        parts.push(&run[i..j]);
        j = i;
    }
    parts.reverse();
    Some(parts)
}

/// The letter and digit runs of a text: split at anything but letters and digits, and between
/// letters and digits ("winsvrcal2022" → "winsvrcal", "2022").
fn runs(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .flat_map(|t| {
            let mut v = Vec::new();
            let mut start = 0;
            let b = t.as_bytes();
            for i in 1..=b.len() {
                if i == b.len() || b[i].is_ascii_digit() != b[i - 1].is_ascii_digit() {
                    v.push(&t[start..i]);
                    start = i;
                }
            }
            v
        })
        .filter(|r| !r.is_empty())
}

/// The words of a product text, lower case: its letter and digit runs ([`runs`]), and glued
/// abbreviations cut into their parts.
pub fn words(s: &str) -> Vec<String> {
    let s = s.to_ascii_lowercase();
    let mut out = Vec::new();
    for run in runs(&s) {
        match cut(run) {
            Some(parts) if run.as_bytes()[0].is_ascii_alphabetic() => {
                out.extend(parts.into_iter().map(str::to_string))
            }
            _ => out.push(run.to_string()),
        }
    }
    out
}

/// What a product text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProductText {
    /// Not a CAL or External Connector (a server licence, Office): left out.
    NotCal,
    /// A CAL or External Connector of a product this calculator counts.
    Cal(CalProduct, LicenceKind),
    /// A CAL of a product it cannot tell (or does not count).
    UnknownProduct,
    /// A CAL Suite Bridge: part of a suite, which no holding can stand for.
    Bridge,
    /// A step-up (Core CAL to Enterprise CAL, Standard to Enterprise): it converts licences
    /// held, so it is no holding of its own.
    StepUp,
    /// A CAL of a known product that says neither User nor Device.
    UnknownKind(CalProduct),
    /// Microsoft 365 E3 or E5 seats (not an add-on or a step-up of the plan).
    M365(M365Plan),
}

/// Words that make a Microsoft 365 E3/E5 line an add-on of the plan ("Microsoft 365 E5
/// Security"), a licence for a bot ("Unattended") or a conversion ("Step Up"), not seats of it.
const NOT_SEATS: &[&str] = &[
    "security",
    "compliance",
    "protection",
    "governance",
    "ediscovery",
    "insider",
    "defender",
    "copilot",
    "analytics",
    "extra",
    "unattended",
    "step",
    "stepup",
    "bridge",
    "developer",
    "features",
    "components",
];

/// The Microsoft 365 plan whose seats the words of a product text are ("Microsoft 365 E3",
/// "M365 E5 Unified ShrdSvr ALNG SubsVL MVL PerUsr", "M365E3"), if any. Office 365 E3 is not
/// Microsoft 365 E3: it carries no Windows Server CAL rights (cal-rules §1.13).
fn m365_plan(w: &[String]) -> Option<M365Plan> {
    if w.iter().any(|x| NOT_SEATS.contains(&x.as_str())) {
        return None;
    }
    (0..w.len()).find_map(|i| {
        let brand = matches!(w[i].as_str(), "microsoft" | "m" | "ms");
        if !brand || w.get(i + 1).map(String::as_str) != Some("365") {
            return None;
        }
        let mut j = i + 2;
        if matches!(w.get(j).map(String::as_str), Some("enterprise" | "ent")) {
            j += 1;
        }
        if w.get(j).map(String::as_str) != Some("e") {
            return None;
        }
        match w.get(j + 1).map(String::as_str) {
            Some("3") => Some(M365Plan::E3),
            Some("5") => Some(M365Plan::E5),
            _ => None,
        }
    })
}

/// Microsoft's product ids (SkuId) of the Microsoft 365 E3 and E5 plans, as Graph and
/// `Get-MgUser … assignedLicenses` exports list them: SPE_E3, Microsoft_365_E3_(no_Teams),
/// SPE_E5, Microsoft_365_E5_(no_Teams).
const PLAN_SKU_IDS: [(&str, M365Plan); 4] = [
    ("05e9a617-0261-4cee-bb44-138d3ef5d965", M365Plan::E3),
    ("dcf0408c-aaec-446c-afd4-43e3683943ea", M365Plan::E3),
    ("06ebc4ee-1bb5-47dd-8120-11324bc54e06", M365Plan::E5),
    ("18a4bd3f-0b5b-4887-b04f-61dd0ee15f5e", M365Plan::E5),
];

/// The Microsoft 365 plan an account's assigned licences give it, if any: E5 when it holds
/// both. The cell lists licences as the Microsoft 365 admin centre's "Active users" export
/// does ("Microsoft 365 E3+Microsoft Teams Exploratory"), or joined by `;`, `,` or `|` as
/// scripts write them, by name, SKU part number (`SPE_E5`) or product id. Each licence is read
/// on its own, so an add-on beside the plan ("Microsoft 365 E3+Microsoft 365 E5 Security") is
/// no E5 and does not hide the E3; Office 365 E3 (`ENTERPRISEPACK`) is not Microsoft 365 E3
/// and carries no Windows Server CAL rights (cal-rules §1.13).
pub fn assigned_plan(cell: &str) -> Option<M365Plan> {
    cell.split(['+', ';', ',', '|', '\n', '\r'])
        .filter_map(|item| {
            let lower = item.trim().to_ascii_lowercase();
            if let Some(plan) = sku_plan(&lower) {
                return Some(plan);
            }
            // Only a "… 365 …" name can be a plan here: the others ("Microsoft Teams
            // Exploratory", "Unlicensed", "Power BI Pro") are not split into words. Plan names
            // are written out, so their runs need no cutting of glued abbreviations (with
            // [`words`], reading 100,000 accounts' licences took 0.58 s against 0.30 s without
            // the column).
            if !lower.contains("365") {
                return None;
            }
            let w: Vec<String> = runs(&lower).map(str::to_string).collect();
            m365_plan(&w)
        })
        .max()
}

/// The Microsoft 365 plan a product id or SKU part number names, given in lower case: `SPE_E3`,
/// `SPE_E5_NOPSTNCONF`, `SPE_E3_USGOV_GCCHIGH`, or `contoso:SPE_E3` as `Get-MsolAccountSku`'s
/// AccountSkuId writes it (the tenant's name first); `SPE_E3_RPA1` is the unattended licence,
/// for a bot, and no plan. Cheap on other text: only a product id's length or an `spe` start is
/// looked at further.
fn sku_plan(lower: &str) -> Option<M365Plan> {
    if lower.len() >= 36 {
        if let Some(&(_, plan)) = PLAN_SKU_IDS.iter().find(|(id, _)| lower.contains(id)) {
            return Some(plan);
        }
    }
    let part = lower.rsplit_once(':').map_or(lower, |(_, p)| p).trim();
    if !part.starts_with("spe") {
        return None;
    }
    let mut w = runs(part);
    if w.next() != Some("spe") || w.next() != Some("e") {
        return None;
    }
    let plan = match w.next() {
        Some("3") => M365Plan::E3,
        Some("5") => M365Plan::E5,
        _ => return None,
    };
    w.all(|x| x != "rpa" && !NOT_SEATS.contains(&x))
        .then_some(plan)
}

/// Reads a product description (and the licence-type column, when there is one).
pub fn read_product(desc: &str, type_hint: &str) -> ProductText {
    let w = words(desc);
    let h = words(type_hint);
    let any = |ws: &[String], xs: &[&str]| ws.iter().any(|x| xs.contains(&x.as_str()));
    let pair = |ws: &[String], a: &[&str], b: &[&str]| {
        ws.windows(2)
            .any(|p| a.contains(&p[0].as_str()) && b.contains(&p[1].as_str()))
    };
    let has = |xs: &[&str]| any(&w, xs);
    let next = |a: &[&str], b: &[&str]| pair(&w, a, b);
    let is_ec = |ws: &[String]| {
        pair(
            ws,
            &["external", "ext"],
            &["connector", "connectors", "conn"],
        ) || any(ws, &["ec"])
    };
    if let Some(plan) = m365_plan(&w).or_else(|| sku_plan(&desc.trim().to_ascii_lowercase())) {
        return ProductText::M365(plan);
    }
    let ec = is_ec(&w) || is_ec(&h);
    // An ECAL is a CAL even where the word CAL stands alone nowhere ("ECAL Suite").
    let cal = has(&["cal", "cals", "ecal", "ecals"])
        || (has(&["access"]) && has(&["license", "licence", "licenses", "licences", "lic"]));
    if !ec && !cal {
        return ProductText::NotCal;
    }
    if has(&["bridge"]) {
        return ProductText::Bridge;
    }
    if has(&["stepup"]) || next(&["step"], &["up"]) {
        return ProductText::StepUp;
    }
    let ent = has(&["enterprise", "ent"]);
    let windows = next(&["windows", "win"], &["server", "svr", "srv", "servers"])
        || next(
            &["ws"],
            &[
                "cal", "cals", "2008", "2012", "2016", "2019", "2022", "2025",
            ],
        );
    let product = if has(&["exchange", "exchg", "exch"]) {
        if ent {
            CalProduct::ExchangeEnterprise
        } else {
            CalProduct::ExchangeStandard
        }
    } else if has(&["sharepoint", "sharept", "shrpt"]) || next(&["share"], &["point"]) {
        if ent {
            CalProduct::SharePointEnterprise
        } else {
            CalProduct::SharePointStandard
        }
    } else if has(&["skype", "lync", "sfb"]) {
        if ent {
            CalProduct::SkypeEnterprise
        } else {
            CalProduct::SkypeStandard
        }
    } else if has(&["sql"]) {
        CalProduct::SqlServer
    } else if next(&["remote", "rmt"], &["desktop", "dsktp"])
        || has(&["rds"])
        || next(
            &["terminal"],
            &["server", "services", "svr", "srvcs", "svcs"],
        )
        || next(&["ts"], &["cal", "cals"])
    {
        CalProduct::Rds
    } else if next(&["rights"], &["management", "mgmt"]) || has(&["rms"]) {
        CalProduct::AdRms
    } else if next(&["core"], &["cal", "cals"]) || (has(&["core"]) && has(&["suite"])) {
        CalProduct::CoreCalSuite
    } else if has(&["ecal", "ecals"])
        || (ent && has(&["suite"]))
        || (!windows && next(&["enterprise", "ent"], &["cal", "cals"]))
    {
        CalProduct::EnterpriseCalSuite
    } else if windows {
        CalProduct::WindowsServer
    } else {
        return ProductText::UnknownProduct;
    };
    const DEVICE: &[&str] = &["device", "devices", "dvc", "dev"];
    const USER: &[&str] = &["user", "users", "usr"];
    let side = |ws: &[String]| match (any(ws, DEVICE), any(ws, USER)) {
        (true, false) => Some(LicenceKind::DeviceCal),
        (false, true) => Some(LicenceKind::UserCal),
        _ => None,
    };
    let kind = if ec {
        LicenceKind::ExternalConnector
    } else {
        match side(&h).or_else(|| side(&w)) {
            Some(k) => k,
            // A CAL that says neither: ask rather than guess.
            None => return ProductText::UnknownKind(product),
        }
    };
    ProductText::Cal(product, kind)
}

/// Reads a product description into product and kind; `None` for anything that is not a CAL or
/// External Connector of a product this calculator counts, with a kind.
pub fn parse_product(desc: &str, type_hint: &str) -> Option<(CalProduct, LicenceKind)> {
    match read_product(desc, type_hint) {
        ProductText::Cal(p, k) => Some((p, k)),
        _ => None,
    }
}

/// Whether a product text is Software Assurance alone, without the licence: Microsoft's "SA" part
/// texts ("WinSvrCAL ALNG SA MVL UsrCAL", a renewal of SA on licences bought before) beside
/// "LicSAPk" (licence and SA), "L/SA" and "w/SA". Such a line is not a licence.
pub fn sa_only(desc: &str) -> bool {
    let w = words(desc);
    let sa = w.iter().any(|x| x == "sa")
        || w.windows(2)
            .any(|p| p[0] == "software" && p[1] == "assurance");
    let licence = w.iter().any(|x| {
        matches!(
            x.as_str(),
            "lic" | "license" | "licence" | "licenses" | "licences" | "l" | "lsa" | "w" | "with"
        )
    });
    sa && !licence
}

/// What a Software Assurance column says: yes ("Yes", "Active", "L/SA"), no ("No", "L"), or
/// ended ("Expired", "Inactive", "Lapsed").
fn sa_flag(text: &str) -> Option<SaStatus> {
    if let Some(b) = super::directory::parse_bool(text) {
        return Some(if b { SaStatus::Yes } else { SaStatus::No });
    }
    match text.trim().to_ascii_lowercase().as_str() {
        "active" | "covered" | "included" | "current" | "with sa" | "l/sa" | "l+sa" | "lsa"
        | "license and sa" | "licence and sa" | "sa" => Some(SaStatus::Yes),
        "expired" | "inactive" | "lapsed" | "ended" | "terminated" | "not renewed" => {
            Some(SaStatus::Ended)
        }
        "none" | "n/a" | "na" | "-" | "without sa" | "l" | "license only" | "licence only" => {
            Some(SaStatus::No)
        }
        _ => None,
    }
}

/// "SE" (Subscription Edition) as a version of Exchange, SharePoint and Skype for Business.
fn subscription_edition(s: &str) -> bool {
    let w = words(s);
    w.iter().any(|x| x == "se")
        || w.windows(2)
            .any(|p| p[0] == "subscription" && p[1] == "edition")
}

/// A quantity and whether it is negative (a return or credit: `-20`, `−20`, `(20)`), or why
/// it is not a whole number of licences.
///
/// Spreadsheets write quantities in their locale: "30,00" and "1.200,00" (de-DE), "30.00" and
/// "1,200.00" (en-US), "1 200" or "1'200". Every `,` and `.` was once dropped, so "30,00" was
/// read as 3000 and "1,5" as 15 (locale review 22). Now a decimal part of zeros is read as the
/// whole number, a fraction is refused, and grouping separators must group thousands (1 to 3
/// digits, then threes; or the Indian 1,00,000) as the figures typed in the app must. A single
/// `,` or `.` followed by three digits ("1.200", "1,200") groups thousands: a licence quantity
/// is whole.
fn parse_quantity(s: &str) -> Result<(u32, bool), String> {
    let t = s.trim();
    let (t, negative) = match t.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
        Some(inner) => (inner.trim(), true),
        None => match t.strip_prefix(['-', '\u{2212}']) {
            Some(rest) => (rest.trim_start(), true),
            None => (t, false),
        },
    };
    let not_whole = || format!("quantity `{s}` is not a whole number");
    let spacing = |c: char| matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\'' | '\u{2019}');
    if t.is_empty()
        || !t
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.' || spacing(c))
    {
        return Err(not_whole());
    }
    // The decimal separator, if any: the last of `,` and `.` when both are written ("1.200,00"),
    // or the only one when it is written once and not followed by three digits ("30,00", "1,5").
    let last = t.rfind([',', '.']);
    let decimal = last.and_then(|i| {
        let c = t[i..].chars().next()?;
        let other = if c == ',' { '.' } else { ',' };
        let once = t.matches(c).count() == 1;
        let after = t[i + 1..].chars().filter(char::is_ascii_digit).count();
        (once && (t.contains(other) || after != 3)).then_some((i, c))
    });
    let (whole, fraction) = match decimal {
        Some((i, _)) => (&t[..i], &t[i + 1..]),
        None => (t, ""),
    };
    if !fraction.chars().all(|c| c.is_ascii_digit()) {
        return Err(not_whole());
    }
    if fraction.chars().any(|c| c != '0') {
        return Err(format!(
            "quantity `{s}` is not a whole number: licences are counted whole (a decimal part other than zeros, as in “1,5”, is not read)"
        ));
    }
    let groups: Vec<&str> = whole
        .split(|c: char| c == ',' || c == '.' || spacing(c))
        .collect();
    let digits_only = |g: &str| !g.is_empty() && g.chars().all(|c| c.is_ascii_digit());
    // Zero in any reading ("0,000", "0.000"): a leading zero groups nothing, but it is zero.
    let zero = groups.iter().all(|g| g.chars().all(|c| c == '0'));
    if !groups.iter().all(|g| digits_only(g))
        || (groups.len() > 1 && !zero && !super::digits_grouped(&groups, true))
    {
        return Err(format!(
            "quantity `{s}` is not a whole number: its separators do not group thousands (1.200, 1,200 or 12 345 678)"
        ));
    }
    // Every character is a digit here: a figure too large for the type is a count too large,
    // not one that is not whole (hostile-input review, session 23: `99999999999` was "not a
    // whole number" while `50000000` was "more than 10000000").
    let digits = groups.concat();
    let n: u32 = digits
        .parse()
        .map_err(|_| too_many(digits.trim_start_matches('0')))?;
    Ok((n, negative))
}

/// The largest pack a product text's "N User" names: more is a version or a count, not a pack.
const MAX_PACK: u32 = 100;

/// The number of clients of a pack the product text names, when more than one, and the word
/// that says it: "1pk DSP OEI 5 Clt User CAL" (5, "Clt"), and as OEM and retail packs are
/// written, "5-pack of … User CALs" and "Pack of 5" (5, "pack"), "Client Access License (5
/// User)", "- 5 Device CALs", "10 User pack" (5 or 10, "User" or "Device"). A figure right after
/// "R" is a release ("2012 R2 User CAL"), and one above [`MAX_PACK`] before User or Device a
/// version ("2022 User CAL").
fn pack_size(desc: &str) -> Option<(u32, &'static str)> {
    let w = words(desc);
    let at = |i: usize| w.get(i).map_or("", String::as_str);
    (0..w.len()).find_map(|i| {
        if at(i) == "pack" && at(i + 1) == "of" {
            let n = at(i + 2).parse::<u32>().ok()?;
            return (2..=MAX_COUNT).contains(&n).then_some((n, "pack"));
        }
        let n = at(i).parse::<u32>().ok()?;
        let word = match at(i + 1) {
            "clt" | "clts" => "Clt",
            "pack" | "pk" => "pack",
            "user" | "users" | "usr" if i == 0 || at(i - 1) != "r" => "User",
            "device" | "devices" | "dvc" if i == 0 || at(i - 1) != "r" => "Device",
            _ => return None,
        };
        let most = if matches!(word, "User" | "Device") {
            MAX_PACK
        } else {
            MAX_COUNT
        };
        (2..=most).contains(&n).then_some((n, word))
    })
}

/// A hash of a row's fields as text, trimmed, without its trailing empty fields.
fn row_key(row: &Row<'_>) -> u64 {
    use std::hash::{Hash, Hasher};
    let texts: Vec<std::borrow::Cow<'_, str>> = row
        .fields
        .iter()
        .map(|&f| super::csvread::text_of(row.buf, f))
        .collect();
    let used = texts
        .iter()
        .rposition(|t| !t.is_empty())
        .map_or(0, |i| i + 1);
    let mut h = std::collections::hash_map::DefaultHasher::new();
    texts[..used].hash(&mut h);
    h.finish()
}

/// Why a licence quantity above [`MAX_COUNT`] is refused, with the figure as read.
fn too_many(quantity: impl std::fmt::Display) -> String {
    format!("quantity {quantity} is more than {MAX_COUNT}, which is not a sensible count")
}

impl Statement {
    pub(crate) fn row(&mut self, row: &Row<'_>) -> Result<(), String> {
        self.row_keys.push(row_key(row));
        if self.term_columns.is_none() {
            let mapped = |i: usize| row.cols.contains(&Some(i as u32));
            self.term_columns = Some(
                (row.header.iter().enumerate())
                    .filter(|&(i, h)| {
                        !mapped(i) && super::columns::is_term_date(&super::columns::normalise(h))
                    })
                    .map(|(_, h)| h.trim().to_string())
                    .collect(),
            );
        }
        let desc = row.text(Field::Product).to_string();
        if desc.is_empty() {
            return Err("no product".into());
        }
        let type_hint = row.text(Field::LicenceType);
        let (product, kind) = match read_product(&desc, &type_hint) {
            ProductText::Cal(p, k) => (p, k),
            ProductText::M365(plan) => return self.seat_line(row, desc, plan),
            ProductText::NotCal => {
                self.ignored.push((row.line, desc));
                return Ok(());
            }
            ProductText::UnknownProduct => return Err(format!(
                "`{desc}` is a CAL of a product this calculator does not count or recognise (it counts Windows Server, RDS, AD RMS, SQL Server, Exchange, SharePoint and Skype for Business CALs and the Core and Enterprise CAL Suites): not imported"
            )),
            ProductText::Bridge => return Err(format!(
                "`{desc}` is a CAL Suite Bridge, which covers only part of a suite: not imported; enter what it covers by hand"
            )),
            ProductText::StepUp => return Err(format!(
                "`{desc}` is a step-up, which turns licences already held into others: not imported; enter the licences it results in by hand"
            )),
            // With a licence-type column mapped, its value is what was not understood: asking
            // to map the column would send the user to one already mapped (review 20).
            ProductText::UnknownKind(p) if row.header_text(Field::LicenceType).is_some() => {
                let column = row.header_text(Field::LicenceType).unwrap_or_default();
                let said = match type_hint.trim() {
                    "" => format!("the {column} column is empty on this row"),
                    t => format!("`{t}` in the {column} column is not understood as either"),
                };
                return Err(format!(
                    "`{desc}` says neither User CAL nor Device CAL, and {said}: write User or Device there, or enter this {} by hand",
                    catalog::label(p)
                ));
            }
            ProductText::UnknownKind(p) => return Err(format!(
                "`{desc}` says neither User CAL nor Device CAL: map a licence-type column or enter this {} by hand",
                catalog::label(p)
            )),
        };
        if kind == LicenceKind::ExternalConnector && !catalog::product(product).external_connector {
            return Err(format!(
                "`{desc}`: there is no External Connector for {} (only Windows Server, RDS and AD RMS have one)",
                catalog::label(product)
            ));
        }
        let q = row.text(Field::Quantity);
        let (quantity, is_return) = parse_quantity(&q)?;
        // A pack of several clients ("1pk DSP OEI 5 Clt User CAL"): the quantity counts packs.
        let pack = pack_size(&desc);
        let quantity = match pack {
            Some((n, _)) => quantity
                .checked_mul(n)
                .ok_or_else(|| too_many(u64::from(quantity) * u64::from(n)))?,
            None => quantity,
        };
        if quantity > MAX_COUNT {
            return Err(too_many(quantity));
        }
        let version_text = row.text(Field::Version);
        // A Software Assurance renewal is no licence, so no version of its own: it extends the
        // SA of a lot held, whatever its version.
        let renewal = sa_only(&desc);
        let version = match catalog::product(product).family {
            // Suites are version-less: their rights follow Software Assurance.
            None => String::new(),
            Some(_) if renewal => String::new(),
            Some(family) => {
                let se = matches!(
                    product,
                    CalProduct::ExchangeStandard
                        | CalProduct::ExchangeEnterprise
                        | CalProduct::SharePointStandard
                        | CalProduct::SharePointEnterprise
                        | CalProduct::SkypeStandard
                        | CalProduct::SkypeEnterprise
                );
                let found = year_in(&version_text)
                    .or_else(|| (se && subscription_edition(&version_text)).then(|| "SE".into()))
                    .or_else(|| year_in(&desc))
                    .or_else(|| (se && subscription_edition(&desc)).then(|| "SE".into()));
                let Some(v) = found else {
                    if let Some(column) = row.header_text(Field::Version) {
                        let said = match version_text.trim() {
                            "" => format!("the {column} column is empty on this row"),
                            t => format!("`{t}` in the {column} column is not a version this calculator understands"),
                        };
                        return Err(format!(
                            "`{desc}` has no version: {said}, and the product text has no year ({})",
                            catalog::version_list(family)
                        ));
                    }
                    return Err(format!(
                        "`{desc}` has no version: map the version column (\"Version\", \"License Version\") or put the year in the product text ({})",
                        catalog::version_list(family)
                    ));
                };
                match catalog::cal_version(family, &v) {
                    Some(c) => c.name.to_string(),
                    None => {
                        return Err(format!(
                            "`{desc}`: {v} is not a CAL version of {} this calculator knows ({})",
                            family.name(),
                            catalog::version_list(family)
                        ))
                    }
                }
            }
        };
        let sa_text = row.text(Field::SoftwareAssurance);
        // Some statements put the SA end date in the Software Assurance column itself.
        let sa_in_flag = dates::parse(&sa_text);
        let sa_in_flag =
            matches!(sa_in_flag, RawDate::Exact(_) | RawDate::Slash { .. }).then_some(sa_in_flag);
        let sa_end_text = row.text(Field::SaEnd);
        let sa_end = match (dates::parse(&sa_end_text), sa_in_flag) {
            (RawDate::Missing, Some(d)) => d,
            (d, _) => d,
        };
        if sa_end == RawDate::Invalid {
            return Err(format!(
                "`{sa_end_text}` in {} is not a date",
                Field::SaEnd.label()
            ));
        }
        let sa_start_text = row.text(Field::SaStart);
        let sa_start = dates::parse(&sa_start_text);
        if sa_start == RawDate::Invalid {
            return Err(format!(
                "`{sa_start_text}` in {} is not a date",
                Field::SaStart.label()
            ));
        }
        if let (RawDate::Exact(s), RawDate::Exact(e)) = (sa_start, sa_end) {
            if e < s {
                return Err(format!(
                    "the SA end date {e} is before the SA start date {s}"
                ));
            }
        }
        self.evidence.note(sa_end);
        self.evidence.note(sa_start);
        // A yes/no column decides; without one (or when it is blank), an SA end date says the
        // lot had SA until then, and the product text may say "L/SA" or "LicSAPk".
        let is_date = |d: RawDate| matches!(d, RawDate::Exact(_) | RawDate::Slash { .. });
        let sa = match sa_flag(&sa_text) {
            Some(s) => s,
            None if is_date(sa_end)
                || words(&desc).iter().any(|w| w == "sa")
                || desc.to_ascii_lowercase().contains("w/sa") =>
            {
                SaStatus::Yes
            }
            None => SaStatus::No,
        };
        // The row as read, with its Software Assurance as finally read.
        let holding_row = |description: String, sa: SaStatus, sa_silent: bool| HoldingRow {
            file: String::new(),
            noted_as_of: None,
            line: row.line,
            unit: row.unit,
            description,
            product,
            kind,
            version: version.clone(),
            quantity,
            sa,
            sa_start,
            sa_end,
            sa_silent,
        };
        if renewal {
            if is_return {
                return Err(format!(
                    "`{desc}` is a Software Assurance renewal only, not a licence, and quantity `{q}` is a return or credit of it: not imported; correct the SA of the lot it was bought for by hand"
                ));
            }
            // Not a licence: applying the statement extends with it the SA of the lot it
            // renews, or leaves it out (see `renewal_holdings`).
            self.renewals.push(holding_row(desc, sa, false));
            return Ok(());
        }
        let mut assumed = Vec::new();
        if let Some((size, word)) = pack {
            assumed.push((row.line, Assumed::Pack { size, word }));
        }
        // "No" beside SA dates says the lot had SA once, over those dates: it is read as SA that
        // has ended (the rights frozen at its end date), not as a lot that never had SA, which
        // a suite cannot be (suites are sold only with SA, cal-rules §1.12) and which would
        // count a suite as current.
        let said_no = sa_flag(&sa_text) == Some(SaStatus::No);
        let sa = if said_no && (is_date(sa_start) || is_date(sa_end)) {
            assumed.push((row.line, Assumed::NoWithDates));
            SaStatus::Ended
        } else {
            sa
        };
        if said_no && sa == SaStatus::No && version.is_empty() {
            return Err(format!(
                "`{desc}`: the statement says it has no Software Assurance (`{sa_text}`), but CAL Suites are sold only with SA, so it is read as SA that has ended; it gives no SA dates, and a CAL Suite's rights freeze at the versions current when SA ended: not imported; map the SA start and end date columns, or enter the suite with its SA dates by hand"
            ));
        }
        // An ended SA still grants what was released while it ran: its dates decide, and where
        // they are missing the reading that grants least is taken and named.
        if sa == SaStatus::Ended && !is_date(sa_end) {
            if is_date(sa_start) {
                assumed.push((row.line, Assumed::EndedAtStart));
            } else if version.is_empty() {
                return Err(format!(
                    "`{desc}`: its Software Assurance has ended (`{sa_text}`) but the statement gives no SA dates, and a CAL Suite's rights freeze at the versions current when SA ended: map the SA start and end date columns, or enter the suite with its SA dates by hand"
                ));
            } else {
                assumed.push((row.line, Assumed::OwnVersion));
            }
        } else if sa != SaStatus::No && !is_date(sa_start) && !version.is_empty() {
            // A suite's rights follow the end of its SA alone, so only a versioned CAL's start
            // matters.
            assumed.push((row.line, Assumed::StartAtCount));
        }
        // The column decides the kind; when the text alone says another, the user is told.
        if !type_hint.is_empty() {
            if let ProductText::Cal(_, text) = read_product(&desc, "") {
                if text != kind {
                    assumed.push((row.line, Assumed::KindConflict { used: kind, text }));
                }
            }
        }
        let sa_silent =
            sa_text.is_empty() && !is_date(sa_start) && !is_date(sa_end) && sa == SaStatus::No;
        let read = holding_row(desc, sa, sa_silent);
        if is_return {
            // Not a holding of its own: taken from its lot once the whole file is read.
            let sa_stated = !sa_text.is_empty() || is_date(sa_start) || is_date(sa_end);
            self.returns.push((read, sa_stated));
        } else {
            self.assumed.extend(assumed);
            self.rows.push(read);
        }
        Ok(())
    }

    /// A Microsoft 365 E3/E5 line: its seats, kept apart from the holdings.
    fn seat_line(&mut self, row: &Row<'_>, desc: String, plan: M365Plan) -> Result<(), String> {
        self.plan_rows += 1;
        let q = row.text(Field::Quantity);
        if q.is_empty() {
            let column = row.header_text(Field::Quantity);
            return Err(match column {
                Some(c) if super::columns::normalise(c) == "prepaidunits" => format!(
                    "no seat count: the {c} column holds no figures (see the file's note); the seats of Microsoft 365 {plan:?} are not imported"
                ),
                Some(c) => format!(
                    "no seat count: the {c} column is empty on this row; the seats of Microsoft 365 {plan:?} are not imported"
                ),
                None => format!(
                    "no seat count: no quantity column is mapped; the seats of Microsoft 365 {plan:?} are not imported"
                ),
            });
        }
        let (quantity, is_return) = parse_quantity(&q)?;
        if is_return {
            return Err(format!(
                "quantity `{q}` is a return or credit of Microsoft 365 {plan:?} seats: not imported; enter the seats held under Microsoft 365 by hand"
            ));
        }
        if quantity > MAX_COUNT {
            return Err(too_many(quantity));
        }
        // A tenant's units beside the seats: what cannot be read as a count is not guessed.
        let units = |col: &Option<(usize, String)>| {
            let (c, _) = col.as_ref()?;
            let text = String::from_utf8_lossy(&row.bytes_at(*c)).into_owned();
            match parse_quantity(&text) {
                Ok((n, false)) => Some(n),
                _ => None,
            }
        };
        let (assigned, grace) = match &self.subscriptions {
            Some(t) => (units(&t.assigned), units(&t.grace).unwrap_or(0)),
            None => (None, 0),
        };
        self.seats.push(SeatLine {
            file: String::new(),
            line: row.line,
            description: desc,
            plan,
            quantity,
            tenant: self.subscriptions.is_some(),
            assigned,
            grace,
        });
        Ok(())
    }

    /// Takes each return (a negative quantity) from the lot it can only have come from: the rows
    /// of the same product, kind and version with the same Software Assurance (or, for a return
    /// that states none, the rows when they all have the same). Returns the rows refused, with
    /// why and what to do, and a note per return taken. A return refused is kept in
    /// [`Statement::unplaced`], for a statement read with this one.
    pub fn net_returns(&mut self) -> (Vec<(u32, String)>, Vec<String>) {
        let mut refused = Vec::new();
        let mut notes = Vec::new();
        for (ret, sa_stated) in std::mem::take(&mut self.returns) {
            match self.place(&ret, sa_stated, "") {
                Ok(note) => notes.push(note),
                Err(why) => {
                    refused.push((ret.line, why));
                    self.unplaced.push((ret, sa_stated));
                }
            }
        }
        (refused, notes)
    }

    /// Whether every row of this statement is a row of `earlier` (compared by
    /// [`Statement::row_keys`], each row of `earlier` matched once): the same statement again
    /// (saved again with other line endings or quotes, or a part of it), whose rows would count
    /// twice. A statement without rows repeats nothing.
    pub fn repeats(&self, earlier: &Statement) -> bool {
        !self.row_keys.is_empty() && self.rows_shared(earlier) == self.row_keys.len()
    }

    /// How many rows of this statement are rows of `earlier` (compared by
    /// [`Statement::row_keys`], each row of `earlier` matched once).
    pub fn rows_shared(&self, earlier: &Statement) -> usize {
        let mut mine = self.row_keys.clone();
        let mut theirs = earlier.row_keys.clone();
        mine.sort_unstable();
        theirs.sort_unstable();
        let (mut i, mut j, mut shared) = (0, 0, 0);
        while let (Some(a), Some(b)) = (mine.get(i), theirs.get(j)) {
            match a.cmp(b) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    shared += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        shared
    }

    /// Whether this statement is a corrected or newer download of `earlier` rather than a
    /// statement of other licences: at least two of its rows are rows of `earlier`, and they are
    /// most of its rows or every row of `earlier` (a download after more was bought). A row is
    /// compared whole, with its agreement or licence number and dates where the portal writes
    /// them, so two agreements' statements seldom share rows, and a statement of an agreement is
    /// the whole of its licences as of its day: the later counts, not both (review of the import panel: a
    /// corrected statement added 260 Windows Server User CALs to the 250 it corrected).
    pub fn mostly_repeats(&self, earlier: &Statement) -> Option<usize> {
        let shared = self.rows_shared(earlier);
        let most = shared * 2 > self.row_keys.len() || shared == earlier.row_keys.len();
        (shared >= 2 && most).then_some(shared)
    }

    /// Names the file of every row and return (the session does, once the file is read).
    pub fn set_file(&mut self, file: &str) {
        for r in self
            .rows
            .iter_mut()
            .chain(self.unplaced.iter_mut().map(|(r, _)| r))
            .chain(self.renewals.iter_mut())
        {
            r.file = file.to_string();
        }
        for s in &mut self.seats {
            s.file = file.to_string();
        }
    }

    /// Adds the rows of another statement read with this one (a purchase in one file, its
    /// credit note in another), and takes the returns no file could place alone from the lots
    /// of them all, by the same rules as within a file. Returns, per return taken, its file,
    /// its line and a note for the summary of `here` (the file just read).
    pub fn append(&mut self, other: Statement, here: &str) -> Vec<(String, u32, String)> {
        self.rows.extend(other.rows);
        self.renewals.extend(other.renewals);
        self.ignored.extend(other.ignored);
        self.seats.extend(other.seats);
        self.evidence.merge(other.evidence);
        self.has_sa_column |= other.has_sa_column;
        self.unplaced.extend(other.unplaced);
        let mut placed = Vec::new();
        for (ret, sa_stated) in std::mem::take(&mut self.unplaced) {
            match self.place(&ret, sa_stated, here) {
                Ok(mut note) => {
                    if ret.file != here {
                        note.push_str(&format!(
                            " ({} lists that row as not imported, as it has no lot of its own for it.)",
                            ret.file
                        ));
                    }
                    placed.push((ret.file.clone(), ret.line, note));
                }
                Err(_) => self.unplaced.push((ret, sa_stated)),
            }
        }
        placed
    }

    /// Takes return `ret` from its lot among the rows: `Ok` with the note to show in the summary
    /// of file `here`, or `Err` with why it cannot be, and what to do.
    fn place(&mut self, ret: &HoldingRow, sa_stated: bool, here: &str) -> Result<String, String> {
        let sa_key = |r: &HoldingRow| (r.sa, r.sa_start, r.sa_end);
        let what = format!(
            "{} {}{}s",
            catalog::short_name(ret.product),
            if ret.version.is_empty() {
                String::new()
            } else {
                format!("{} ", ret.version)
            },
            catalog::kind_label(ret.kind)
        );
        let n = ret.quantity;
        let same: Vec<usize> = (0..self.rows.len())
            .filter(|&i| {
                let r = &self.rows[i];
                r.product == ret.product && r.kind == ret.kind && r.version == ret.version
            })
            .collect();
        let mut keys: Vec<_> = same.iter().map(|&i| sa_key(&self.rows[i])).collect();
        keys.dedup();
        let lot: Vec<usize> = if sa_stated {
            same.iter()
                .copied()
                .filter(|&i| sa_key(&self.rows[i]) == sa_key(ret))
                .collect()
        } else if keys.len() == 1 {
            same.clone()
        } else {
            Vec::new()
        };
        let fix = "correct the quantity of the lot it was returned from, or delete this row and enter the holding by hand";
        if same.is_empty() {
            return Err(format!(
                "quantity -{n} is a return or credit, and the statement has no lot of {what} to take it from: not imported; {fix}"
            ));
        }
        if lot.is_empty() {
            let why = if sa_stated {
                "none with this row's Software Assurance"
            } else {
                "and this row does not say which lot it comes from"
            };
            return Err(format!(
                "quantity -{n} is a return or credit of {what}, which the statement lists in lots with different Software Assurance, {why}: not imported; give the row its lot's Software Assurance, or {fix}"
            ));
        }
        let held: u64 = lot.iter().map(|&i| u64::from(self.rows[i].quantity)).sum();
        if u64::from(n) > held {
            return Err(format!(
                "quantity -{n} is a return or credit of {what}, but the statement lists only {held} of them: not imported; {fix}"
            ));
        }
        // The lot's rows add up to one holding, so which row gives the licences back does not
        // matter: the last ones first.
        let mut left = n;
        for &i in lot.iter().rev() {
            let take = left.min(self.rows[i].quantity);
            self.rows[i].quantity -= take;
            left -= take;
        }
        Ok(format!(
            "The return of {n} {what} on {} is taken from the lot on {}: {} remain.",
            places([ret], here),
            places(lot.iter().map(|&i| &self.rows[i]), here),
            held - u64::from(n)
        ))
    }

    /// Rows whose Software Assurance is marked ended ("Expired") while their SA end date is on
    /// or after the date of the count `today`: the two contradict each other.
    fn contradicted(&self, order: DateOrder, today: crate::estate::Date) -> Vec<&HoldingRow> {
        self.rows
            .iter()
            .filter(|r| r.sa == SaStatus::Ended)
            .filter(|r| r.sa_end.resolve(order).is_some_and(|e| e >= today))
            .collect()
    }

    /// The note on rows whose SA is marked ended while their SA end date is not past on the date
    /// of the count (`today`), for the summary of file `here`; rows their file's notes already
    /// named for this date are left out when `skip_noted`.
    pub fn contradiction_notes(
        &self,
        order: Option<DateOrder>,
        today: crate::estate::Date,
        here: &str,
        skip_noted: bool,
    ) -> Vec<String> {
        let chosen = order;
        let order = order
            .or(self.evidence.decided())
            .unwrap_or(DateOrder::MonthFirst);
        let mut notes = Vec::new();
        // SA end dates that are no date in the order used: named again on applying when the
        // order was chosen (the file's notes may have read them in another).
        let unreadable: Vec<&HoldingRow> = self
            .rows
            .iter()
            .filter(|r| unreadable_end(r, order))
            .filter(|r| !(skip_noted && chosen.is_none() && r.noted_as_of == Some(today)))
            .collect();
        if let Some(first) = unreadable.first() {
            let rows = unreadable.iter().copied();
            let suites: Vec<&HoldingRow> = unreadable
                .iter()
                .copied()
                .filter(|r| suite_unknowable(r, order, today))
                .collect();
            let value = match first.sa_end {
                RawDate::Slash { a, b, year } => format!("{a}/{b}/{year}"),
                _ => String::new(),
            };
            notes.push(format!(
                "The SA end date on {} (such as {value}) is not a date when read {} (the date order used): the end of that SA is not known, so the reading that grants least is taken, as for an ended SA without an end date: it is taken to have ended on its SA start date (no SA without a start date before the count), which grants only the versions current then. Choose the date order the file uses, or correct the date.{}",
                places(rows, here),
                crate::named::Named::name(order),
                if suites.is_empty() {
                    String::new()
                } else {
                    format!(" The CAL Suite on {} has no SA start date either: its rights, which freeze when SA ends, cannot be told, so it is not imported.", places(suites, here))
                }
            ));
        }
        let rows: Vec<&HoldingRow> = self
            .contradicted(order, today)
            .into_iter()
            .filter(|r| !(skip_noted && r.noted_as_of == Some(today)))
            .collect();
        if rows.is_empty() {
            return notes;
        }
        notes.push(format!(
            "Software Assurance on {} is marked as ended (such as \"Expired\") while its SA end date is on or after the date of the count, {today}: the two contradict each other. The reading that cannot overstate rights is taken: the SA is not active on the date of the count, and, as an ended SA whose end date is not known, it is taken to have ended on its SA start date (or the day before the count, without one), which grants no version released after that. Correct the status or the SA end date in the statement.",
            places(rows, here)
        ));
        notes
    }

    /// The seats the statement lists of `plan`, added up over its lines; `None` when it lists
    /// none. A tenant's subscriptions, when read, are the count: the seats enabled now, whichever
    /// channel sold them, which the lines of a purchase record would count again.
    pub fn seats_of(&self, plan: M365Plan) -> Option<u64> {
        let tenant = self.seats.iter().any(|s| s.plan == plan && s.tenant);
        let mut lines = (self.seats.iter())
            .filter(|s| s.plan == plan && s.tenant == tenant)
            .peekable();
        lines.peek()?;
        Some(lines.map(|s| u64::from(s.quantity)).sum())
    }

    /// Whether the seats of `plan` are a tenant's ([`Statement::seats_of`]), and the seats of
    /// the purchase record's lines of it that they stand in for (`None` when there are none).
    pub fn tenant_seats(&self, plan: M365Plan) -> (bool, Option<u64>) {
        let tenant = self.seats.iter().any(|s| s.plan == plan && s.tenant);
        let record: Vec<u64> = (self.seats.iter())
            .filter(|s| s.plan == plan && !s.tenant)
            .map(|s| u64::from(s.quantity))
            .collect();
        (
            tenant,
            (tenant && !record.is_empty()).then(|| record.iter().sum()),
        )
    }

    /// What the file's notes say of the statement: its Microsoft 365 seats, and the readings it
    /// assumed, with their lines (or a JSON file's objects, as `unit` says).
    pub fn notes(&self, unit: RowUnit) -> Vec<String> {
        let line_list = |lines: &[u32]| unit.list(lines);
        let mut notes = Vec::new();
        for plan in [M365Plan::E3, M365Plan::E5] {
            let Some(total) = self.seats_of(plan) else {
                continue;
            };
            let lines: Vec<u32> = (self.seats.iter())
                .filter(|s| s.plan == plan)
                .map(|s| s.line)
                .collect();
            let Some(t) = &self.subscriptions else {
                notes.push(format!(
                    "Microsoft 365 {plan:?} on {}: {total} seats, not CALs. Applying the statement sets the estate's Microsoft 365 {plan:?} seats to {total}; their CAL rights go to the people of the groups marked {plan:?}.",
                    line_list(&lines)
                ));
                continue;
            };
            let mine = || self.seats.iter().filter(|s| s.plan == plan);
            let assigned = match (mine().map(|s| s.assigned).sum::<Option<u32>>(), &t.assigned) {
                (Some(n), Some((_, c))) => format!(", {n} of them assigned (“{c}”)"),
                _ => String::new(),
            };
            let grace: u32 = mine().map(|s| s.grace).sum();
            let grace = match &t.grace {
                Some((_, c)) if grace > 0 => format!(
                    " {} more {} in the grace period after a subscription ended (“{c}”): not counted, as {} unless the subscription is renewed.",
                    grace,
                    if grace == 1 { "unit is" } else { "units are" },
                    if grace == 1 { "it lapses" } else { "they lapse" }
                ),
                _ => String::new(),
            };
            notes.push(format!(
                "Microsoft 365 {plan:?} on {}: {total} seats, the units enabled in the tenant (“{}”){assigned}; not CALs. Applying the list sets the estate's Microsoft 365 {plan:?} seats to {total}; their CAL rights go to the people of the groups marked {plan:?}.{grace}",
                line_list(&lines),
                t.seats_column
            ));
        }
        if self.subscriptions.is_some() && self.plan_rows == 0 {
            notes.push("The tenant's subscriptions hold no Microsoft 365 E3 or E5 (the only plans whose licence gives CAL rights, cal-rules §1.13; Office 365 E3, ENTERPRISEPACK, gives none): no seats were read from it.".into());
        }
        if let Some(columns) = self.term_columns.as_ref().filter(|c| !c.is_empty()) {
            let names: Vec<String> = columns.iter().map(|c| format!("\"{c}\"")).collect();
            notes.push(format!(
                "{} {} dates that do not name Software Assurance (an agreement's term is not SA): they are not read as SA dates, so a line gets SA only from an SA column or its product text. If they are the SA's dates, map them as the SA start and end dates.",
                crate::findings::list_all(&names),
                if names.len() == 1 { "holds" } else { "hold" }
            ));
        }
        if let Some(first) = self.renewals.first() {
            let lines: Vec<u32> = self.renewals.iter().map(|r| r.line).collect();
            notes.push(format!(
                "Software Assurance renewal only, not a licence, on {} (`{}`: \"SA\" without \"Lic\"): its quantity is not counted as licences. Applying the statement extends with it the SA of a lot of the same licence, in the statement or the estate, whose SA it continues without a gap, for as many licences as it covers; what no such lot carries is left out, and the summary says so.",
                line_list(&lines),
                first.description
            ));
        }
        let mut kinds: Vec<Assumed> = self.assumed.iter().map(|&(_, a)| a).collect();
        kinds.sort_unstable();
        kinds.dedup();
        // The kinds in their order, and the readings of one kind (packs of several sizes or
        // words) by their first line.
        let first_line = |a: &Assumed| {
            self.assumed
                .iter()
                .find(|(_, b)| b == a)
                .map_or(0, |&(l, _)| l)
        };
        let rank = |a: &Assumed| match a {
            Assumed::NoWithDates => 0,
            Assumed::Pack { .. } => 1,
            Assumed::EndedAtStart => 2,
            Assumed::OwnVersion => 3,
            Assumed::StartAtCount => 4,
            Assumed::KindConflict { .. } => 5,
        };
        crate::sort::sort_by_key(&mut kinds, |a| (rank(a), first_line(a)));
        notes.extend(kinds.into_iter().map(|a| {
            let lines: Vec<u32> = self
                .assumed
                .iter()
                .filter(|&&(_, b)| b == a)
                .map(|&(l, _)| l)
                .collect();
            a.note(&line_list(&lines))
        }));
        notes
    }

    /// The holdings, with SA until the end date read (or open-ended when the file gives none);
    /// an ended SA keeps its dates, so the versions released while it ran stay granted.
    /// When the file gives no SA start, `since` is `today`: that grants no version released
    /// earlier, the safe reading until the user enters the agreement start (and when SA ended
    /// before `today`, it is the end date, so it grants nothing).
    pub fn holdings(&self, order: Option<DateOrder>, today: crate::estate::Date) -> Vec<Holding> {
        self.holdings_read(order, today)
            .into_iter()
            .map(|(h, _)| h)
            .collect()
    }

    /// [`Statement::holdings`], each with whether its row says nothing of Software Assurance
    /// ([`HoldingRow::sa_silent`]).
    pub fn holdings_read(
        &self,
        order: Option<DateOrder>,
        today: crate::estate::Date,
    ) -> Vec<(Holding, bool)> {
        let order = order
            .or(self.evidence.decided())
            .unwrap_or(DateOrder::MonthFirst);
        self.rows
            .iter()
            .filter(|r| !suite_unknowable(r, order, today))
            .map(|r| (holding_of(r, order, today), r.sa_silent))
            .collect()
    }

    /// The Software Assurance renewal lines, each with what it says as a holding would (its
    /// quantity and SA, read by the rules of [`Statement::holdings`]): the licences whose SA it
    /// may extend are found when the statement is applied.
    pub fn renewal_holdings(
        &self,
        order: Option<DateOrder>,
        today: crate::estate::Date,
    ) -> Vec<(&HoldingRow, Holding)> {
        let order = order
            .or(self.evidence.decided())
            .unwrap_or(DateOrder::MonthFirst);
        self.renewals
            .iter()
            .map(|r| (r, holding_of(r, order, today)))
            .collect()
    }
}

/// Whether the row's SA end date is written but is no date in `order` ("30/06/2019" read
/// month-first).
fn unreadable_end(r: &HoldingRow, order: DateOrder) -> bool {
    r.sa != SaStatus::No
        && matches!(r.sa_end, RawDate::Slash { .. })
        && r.sa_end.resolve(order).is_none()
}

/// Whether the row is a CAL Suite whose SA end date is no date in `order` and that has no SA
/// start before `today` to take as its end: its rights, which freeze when SA ends, cannot be
/// told, and without SA it would count as current, so it is left out.
fn suite_unknowable(r: &HoldingRow, order: DateOrder, today: crate::estate::Date) -> bool {
    r.version.is_empty()
        && unreadable_end(r, order)
        && r.sa_start.resolve(order).is_none_or(|s| s >= today)
}

/// A row as a holding: SA until the end date read (or open-ended when the row gives none); an
/// ended SA keeps its dates; without an SA start, `since` is `today` (see
/// [`Statement::holdings`]).
fn holding_of(r: &HoldingRow, order: DateOrder, today: crate::estate::Date) -> Holding {
    Holding {
        product: r.product,
        kind: r.kind,
        version: r.version.clone(),
        quantity: r.quantity,
        software_assurance: {
            let start = r.sa_start.resolve(order);
            let until = match r.sa {
                SaStatus::No => None,
                // An SA end date that is no date in this order (30/06/2019 read month-first) is
                // not known, and is not "no end": the reading that grants least is taken, as for
                // an ended SA without an end date: ended on its start date, or no SA without a
                // start before the count.
                SaStatus::Yes | SaStatus::Ended if unreadable_end(r, order) => {
                    start.filter(|&s| s < today).map(Some)
                }
                SaStatus::Yes => Some(r.sa_end.resolve(order)),
                // Marked ended while its end date is not past on the date of the count: the end
                // date is not believed, and the reading that grants least is taken, as for an
                // ended SA without an end date: ended on its start date (or, without one, the
                // day before the count), so it is not active on the count date and grants no
                // version released later.
                SaStatus::Ended if r.sa_end.resolve(order).is_some_and(|e| e >= today) => {
                    let day_before = dates::from_days(dates::to_days(today) - 1).unwrap_or(today);
                    Some(Some(start.filter(|&s| s < today).unwrap_or(day_before)))
                }
                // Without an end date, an ended SA covered its start date at least; without
                // either, nothing beyond the CAL's own version (a suite without dates is refused
                // when read).
                SaStatus::Ended => r.sa_end.resolve(order).or(start).map(Some),
            };
            until.map(|until| {
                let since = start.unwrap_or(today);
                // An order assumed wrongly can put the end before the start: the holding must
                // stay valid, and SA that ends when it starts grants nothing.
                let since = match until {
                    Some(u) if u < since => u,
                    _ => since,
                };
                SoftwareAssurance { since, until }
            })
        },
        assigned_to: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_number_style_descriptions_are_read() {
        assert_eq!(
            parse_product("WinSvrCAL 2022 SNGL OLP NL UsrCAL", ""),
            Some((CalProduct::WindowsServer, LicenceKind::UserCal))
        );
        assert_eq!(
            parse_product("WinRmtDsktpSrvcsCAL 2019 SNGL OLP NL DvcCAL", ""),
            Some((CalProduct::Rds, LicenceKind::DeviceCal))
        );
        assert_eq!(
            parse_product("ExchgSvrEntCAL 2019 SNGL OLP NL UsrCAL wSrvcs", ""),
            Some((CalProduct::ExchangeEnterprise, LicenceKind::UserCal))
        );
    }

    #[test]
    fn glued_abbreviations_are_cut_only_into_known_words() {
        assert_eq!(words("WinSvrCAL2022"), ["win", "svr", "cal", "2022"]);
        assert_eq!(words("Device CAL"), ["device", "cal"]);
        assert_eq!(words("devicecal"), ["device", "cal"]);
        assert_eq!(words("Windows Servers"), ["windows", "servers"]);
    }

    #[test]
    fn plain_descriptions_and_external_connectors() {
        assert_eq!(
            parse_product("Windows Server 2022 External Connector", ""),
            Some((CalProduct::WindowsServer, LicenceKind::ExternalConnector))
        );
        assert_eq!(
            parse_product("Core CAL Suite - Device CAL", ""),
            Some((CalProduct::CoreCalSuite, LicenceKind::DeviceCal))
        );
        assert_eq!(
            parse_product("SQL Server 2019 Client Access License", "User"),
            Some((CalProduct::SqlServer, LicenceKind::UserCal))
        );
    }

    #[test]
    fn server_licences_are_not_cals() {
        assert_eq!(
            read_product("Windows Server Standard 2022 16 Core", ""),
            ProductText::NotCal
        );
    }

    #[test]
    fn year_is_taken_from_the_description() {
        assert_eq!(
            year_in("Windows Server 2012 R2 CAL"),
            Some("2012".to_string())
        );
    }
}
