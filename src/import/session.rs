//! An import session: the files read so far and the views the import panel shows (file
//! summaries, the funnels, a page of accounts with their reasons, the merge into the estate).
//! Plain Rust: the browser runs it inside a Web Worker through `crate::import_api`, and the types
//! here are the JSON messages between the worker and the page.

use super::apply::{apply_to, ApplyOptions, ApplySummary, ImportSet};
use super::columns::{ColumnMapping, Field, FileKind};
use super::dates::DateOrder;
use super::devices::{DeviceClassification, DeviceStatus};
use super::directory::{Classification, ClassifyOptions, Directory, FunnelStep, Status};
use super::rd_pool::{add_rd_device_pool, RdDevicePool, RdPoolError, RdPoolSummary};
use super::{Data, ImportError, ImportOptions, Importer, Parsed, RowError, RowUnit};
use crate::estate::{Date, Estate, Holding, M365Plan, PersonKind};
use serde::{Deserialize, Serialize};

/// What one file held, for the panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileSummary {
    pub name: String,
    pub kind: FileKind,
    pub kind_label: String,
    pub encoding: String,
    pub delimiter: String,
    /// The file was JSON, its objects read as rows (its delimiter is then that of the table
    /// made of it, not the file's).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub json: bool,
    pub header: Vec<String>,
    pub mapping: ColumnMapping,
    /// The fields this kind reads, with their labels, for the mapping editor.
    pub fields: Vec<(Field, String)>,
    pub rows: u64,
    pub errors: Vec<RowError>,
    pub error_count: u64,
    /// Licence statements: rows that are not CALs (line, description).
    #[serde(default)]
    pub ignored: Vec<(u32, String)>,
    /// What to know about the file as a whole (a column named twice, no Software Assurance
    /// column, duplicate account rows, last-logon values that are not dates).
    #[serde(default)]
    pub notes: Vec<String>,
    /// RD Licensing reports: distinct devices holding a per-device RDS CAL, which the panel
    /// offers to add as a shared device pool ([`Session::add_rd_device_pool`]).
    #[serde(default)]
    pub rd_devices: u32,
    /// Licence statements: the statement read before whose place this one took, as a corrected
    /// or newer download of it (see [`super::licences::Statement::mostly_repeats`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaces: Option<String>,
}

impl FileSummary {
    fn of(name: &str, p: &Parsed) -> FileSummary {
        let delimiter = match p.delimiter {
            b'\t' => "tab".to_string(),
            d => (d as char).to_string(),
        };
        FileSummary {
            name: name.to_string(),
            kind: p.kind,
            kind_label: match &p.data {
                Data::Licences(s) if s.subscriptions.is_some() => {
                    format!("{} (a tenant's subscriptions)", p.kind.label())
                }
                _ => p.kind.label().to_string(),
            },
            encoding: p.encoding.label().to_string(),
            delimiter,
            json: p.json,
            header: p.header.clone(),
            mapping: p.mapping.clone(),
            fields: Field::for_kind(p.kind)
                .iter()
                .map(|&f| (f, f.label().to_string()))
                .collect(),
            rows: p.rows,
            errors: p.errors.clone(),
            error_count: p.error_count,
            ignored: match &p.data {
                Data::Licences(s) => s.ignored.clone(),
                _ => Vec::new(),
            },
            notes: p.notes.clone(),
            rd_devices: match &p.data {
                Data::Usage(u) => u.rds_per_device.len() as u32,
                _ => 0,
            },
            replaces: None,
        }
    }
}

/// The directory funnel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountsView {
    /// The directory exports counted (one, or several combined).
    #[serde(default)]
    pub files: Vec<String>,
    /// Directory exports read, counted or not.
    #[serde(default)]
    pub exports: u32,
    /// The directory exports the session holds, in the order read: the last counts unless they
    /// are counted together. An export with no account that could be read is not among them (it
    /// takes the place of none), nor one read again as another kind.
    #[serde(default)]
    pub held: Vec<String>,
    /// Accounts whose last logon is after the date of the count, and the latest such logon
    /// (see [`super::directory::Classification::logons_after`]).
    #[serde(default)]
    pub logons_after: (u32, Option<Date>),
    /// Why several exports could not be counted together, when asked to.
    #[serde(default)]
    pub combine_error: Option<String>,
    pub funnel: Vec<FunnelStep>,
    pub groups: Vec<(PersonKind, u32)>,
    /// Of the people, those holding a Microsoft 365 plan by the export's licences column
    /// (per kind and plan; empty without that column).
    #[serde(default)]
    pub plans: Vec<(PersonKind, M365Plan, u32)>,
    /// The header of the licences column read, empty without one.
    #[serde(default)]
    pub licences_column: String,
    pub people: u32,
    pub near_the_line: u32,
    pub date_order: DateOrder,
    pub date_order_assumed: bool,
    /// Exports read day first because month first would put logons after the date of the
    /// count, though no part is above 12: why, one note per export.
    #[serde(default)]
    pub date_order_notes: Vec<String>,
}

/// The device funnel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DevicesView {
    pub funnel: Vec<FunnelStep>,
    pub personal: u32,
    pub shared: u32,
    pub clients: u32,
    pub unattended: u32,
    /// Network equipment: a pool of its own, named only when there is some.
    #[serde(default)]
    pub network: u32,
    /// The device exports read: with more than one, a device row names its file.
    #[serde(default)]
    pub exports: u32,
}

/// What the app and the command line say of a device export's split: "7 with a primary user, 0
/// shared, …" (one wording for both faces; diff review 24).
pub fn device_split_text(d: &DevicesView) -> String {
    let n = |k: u32| crate::position::thousands(u64::from(k));
    let network = match d.network {
        0 => String::new(),
        1 => ", 1 piece of network equipment".into(),
        k => format!(", {} pieces of network equipment", n(k)),
    };
    let printers = match d.unattended {
        1 => "1 printer or scanner".to_string(),
        k => format!("{} printers and scanners", n(k)),
    };
    format!(
        "{} with a primary user, {} shared, {} whose users the file does not give, {printers}{network}",
        n(d.personal),
        n(d.shared),
        n(d.clients),
    )
}

/// What the directory's licences column says of the people counted: who holds Microsoft 365
/// E3 or E5, and so is counted in a group marked with the plan; `None` without that column.
pub fn plans_text(a: &AccountsView) -> Option<String> {
    if a.licences_column.is_empty() {
        return None;
    }
    let held = |external: bool, plan: M365Plan| -> usize {
        a.plans
            .iter()
            .filter(|&&(k, p, _)| k.is_external() == external && p == plan)
            .map(|&(_, _, n)| n as usize)
            .sum()
    };
    let (e3, e5) = (held(false, M365Plan::E3), held(false, M365Plan::E5));
    let outside = held(true, M365Plan::E3) + held(true, M365Plan::E5);
    let column = &a.licences_column;
    if e3 + e5 + outside == 0 {
        return Some(format!(
            "the “{column}” column names no Microsoft 365 E3 or E5 plan, so no one's CAL rights come from Microsoft 365"
        ));
    }
    let mut text = if e3 + e5 > 0 {
        format!(
            "by the “{column}” column, {}: applying counts them in groups of their own, marked with the plan, whose CAL rights are theirs",
            super::directory::plans_held(e3, e5, "person", "people")
        )
    } else {
        format!("by the “{column}” column, no internal person counted holds Microsoft 365 E3 or E5")
    };
    if outside > 0 {
        text += &format!(
            "; {} a plan too, whose CAL rights are counted for internal users only",
            if outside == 1 {
                "1 external user holds".to_string()
            } else {
                format!(
                    "{} external users hold",
                    crate::position::thousands(outside as u64)
                )
            }
        );
    }
    Some(text)
}

/// "2 accounts are near the line: …": accounts kept because their last logon falls within the
/// replication lag of lastLogonTimestamp before the cut-off.
pub fn near_the_line_text(accounts: u32) -> String {
    format!(
        "{} near the line: their last logon is within the replication lag of lastLogonTimestamp before the cut-off, so they are kept",
        if accounts == 1 {
            "1 account is".to_string()
        } else {
            format!("{} accounts are", crate::position::thousands(u64::from(accounts)))
        }
    )
}

/// The warning of [`mostly_dormant`], without its advice (the app points at "Counts as of", the
/// command line at `--as-of`).
pub fn mostly_dormant_text(dormant: u32, before: u32, days: u32, today: Date) -> String {
    let n = |k: u32| crate::position::thousands(u64::from(k));
    format!(
        "{} of the {} accounts that can sign in come out dormant (no logon in the {} days before {today})",
        n(dormant),
        n(before),
        n(days)
    )
}

/// The warning of [`mostly_not_seen`], without its advice.
pub fn mostly_not_seen_text(stale: u32, before: u32, days: u32, today: Date) -> String {
    let n = |k: u32| crate::position::thousands(u64::from(k));
    format!(
        "{} of the {} devices left after disabled devices and servers come out not seen (no sign-in or check-in in the {} days before {today})",
        n(stale),
        n(before),
        n(days)
    )
}

/// Share of the accounts that can sign in above which their coming out dormant most likely means
/// "Counts as of" is not the day the export was made (as a percentage). The same share of the
/// devices coming out not seen says the same of a device export.
pub const MOSTLY_DORMANT_PERCENT: u64 = 80;

/// When more than [`MOSTLY_DORMANT_PERCENT`] of the accounts that reach the dormancy step of the
/// funnel come out dormant: (dormant, accounts that reached it). Counted as of today, an export
/// made weeks ago comes out all dormant and the funnel ends with no one (review 14): the app and
/// the command line both warn, naming the date of the count.
pub fn mostly_dormant(funnel: &[FunnelStep]) -> Option<(u32, u32)> {
    mostly_removed_at(funnel, super::directory::DORMANT_STEP)
}

/// The same for a device funnel: when more than [`MOSTLY_DORMANT_PERCENT`] of the devices that
/// reach the "not seen in the window" step come out not seen: (not seen, devices that reached it).
pub fn mostly_not_seen(funnel: &[FunnelStep]) -> Option<(u32, u32)> {
    mostly_removed_at(funnel, super::devices::NOT_SEEN_STEP)
}

/// (removed, reached) at the step labelled `label`, when it removed more than
/// [`MOSTLY_DORMANT_PERCENT`] of what reached it.
fn mostly_removed_at(funnel: &[FunnelStep], label: &str) -> Option<(u32, u32)> {
    let step = funnel.iter().find(|s| s.label == label)?;
    let removed = step.removed;
    let before = removed + step.remaining;
    (before > 0 && u64::from(removed) * 100 > u64::from(before) * MOSTLY_DORMANT_PERCENT)
        .then_some((removed, before))
}

/// Usage data in numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageView {
    pub rows: u64,
    pub system_rows: u64,
    pub links: u32,
    pub users: u32,
    pub devices: u32,
    pub servers: u32,
    pub rds_per_user: u32,
    pub rds_per_device: u32,
    pub rds_versions: Vec<String>,
}

/// Everything the panel shows after a file or an option changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Overview {
    pub accounts: Option<AccountsView>,
    pub devices: Option<DevicesView>,
    pub usage: Option<UsageView>,
    pub holdings: Vec<Holding>,
}

/// One account with its verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountRow {
    /// The export the account comes from.
    #[serde(default)]
    pub file: String,
    /// Its line in the export, or its object's number in a JSON one (as `unit` says).
    pub line: u32,
    #[serde(default, skip_serializing_if = "RowUnit::is_line")]
    pub unit: RowUnit,
    pub key: String,
    pub display_name: String,
    pub status: Status,
    pub kind: PersonKind,
    /// The Microsoft 365 plan the export's licences column assigns to the account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<M365Plan>,
    pub reason: String,
}

/// One device row with its verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceView {
    /// The export the row comes from.
    #[serde(default)]
    pub file: String,
    /// Its line in the export, or its object's number in a JSON one (as `unit` says).
    pub line: u32,
    #[serde(default, skip_serializing_if = "RowUnit::is_line")]
    pub unit: RowUnit,
    pub name: String,
    pub status: DeviceStatus,
    pub reason: String,
}

/// A page of accounts matching a search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct AccountPage {
    pub matching: u32,
    pub rows: Vec<AccountRow>,
}

/// A page of device rows matching a search ([`Session::device_page`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct DevicePage {
    pub matching: u32,
    pub rows: Vec<DeviceView>,
}

/// A device's verdict in words for the device list (the app's and the CSV's).
pub fn device_status_label(s: DeviceStatus) -> &'static str {
    match s {
        DeviceStatus::Personal => "Personal client device",
        DeviceStatus::Shared => "Shared client device",
        DeviceStatus::Client => "Client device",
        DeviceStatus::Unattended => "Printer or scanner",
        DeviceStatus::Network => "Network equipment",
        DeviceStatus::Server => "Server",
        DeviceStatus::Disabled => "Disabled",
        DeviceStatus::Stale => "Not seen",
        DeviceStatus::Placeholder => "Not a device",
    }
}

/// The estate after the merge, and what changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Applied {
    pub estate: Estate,
    pub summary: ApplySummary,
}

/// The estate with a per-device report's devices as a shared device pool, and what changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PoolApplied {
    pub estate: Estate,
    pub summary: RdPoolSummary,
}

/// What a device classification depends on besides the files: the date of the count, the
/// dormancy window in days and the date order chosen.
type DeviceKey = (Date, u32, Option<DateOrder>);

/// Files read so far, and the file being read.
#[derive(Default)]
pub struct Session {
    set: ImportSet,
    current: Option<Importer>,
    cache: Option<(ClassifyOptions, Classification)>,
    /// The device exports' classification under the date of the count, the dormancy window and
    /// the date order it was made for, kept until a file is added or forgotten: the device list
    /// asks for a page at each keystroke of its search, and classifying 100,000 rows again each
    /// time took about 0.1 s (`cargo bench --bench import -- devices`).
    device_cache: Option<(DeviceKey, DeviceClassification)>,
    /// The date of the count, when known as files are read ([`Session::set_as_of`]).
    as_of: Option<Date>,
    /// Whether the file being read is a file of the session read again ([`ImportOptions::again`]).
    again: bool,
    /// The summaries of the licence statements read (name, fingerprint, summary), without the
    /// notes that depend on the date of the count, to give them again when it changes.
    statements: Vec<(String, u64, FileSummary)>,
    /// The same for the usage logs with RD Licensing expiry dates, whose use and note depend on
    /// the date of the count (review 20: a date changed after reading left a report's CALs out
    /// as of the earlier date, and no pool was offered).
    rd_reports: Vec<(String, u64, FileSummary)>,
    /// The same for the device exports, in the order read (the inventory's parts), whose note on
    /// the day-month order depends on the date of the count (locale review 22: a UK export was
    /// read month first with no word, and every device fell out as not seen).
    device_reports: Vec<(String, u64, FileSummary)>,
}

impl Session {
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the date of the count as files are read (the command line's `--as-of`, the app's
    /// "Counts as of"): a licence statement's notes then name rows whose Software Assurance is
    /// marked ended while its end date is not yet past on that date. Applying names the rest
    /// (or all, without it). When the date changes, returns the summaries of the statements
    /// read so far with their notes as of the new date (for the panel to show in place of the
    /// ones it has); otherwise nothing.
    pub fn set_as_of(&mut self, as_of: Option<Date>) -> Vec<FileSummary> {
        if as_of == self.as_of {
            return Vec::new();
        }
        self.as_of = as_of;
        let mut rd = Vec::new();
        if let Some(today) = as_of {
            self.set.noted_as_of(today);
            rd = self.set.rds_as_of(today);
        }
        let rd_summaries: Vec<FileSummary> = self
            .rd_reports
            .iter()
            .filter_map(|(name, hash, base)| {
                let (_, _, note, devices) =
                    rd.iter().find(|(n, h, _, _)| n == name && h == hash)?;
                let mut summary = base.clone();
                summary.rd_devices = *devices;
                summary.notes.extend(note.clone());
                Some(summary)
            })
            .collect();
        let device_summaries: Vec<FileSummary> = self
            .device_reports
            .iter()
            .enumerate()
            .map(|(part, (name, _, base))| {
                let mut summary = base.clone();
                summary
                    .notes
                    .extend(self.set.inventory.as_ref().and_then(|inv| {
                        inv.date_order_note(u16::try_from(part).unwrap_or(u16::MAX), as_of, name)
                    }));
                summary
            })
            .collect();
        self.statements
            .iter()
            .map(|(name, hash, base)| {
                let st = self
                    .set
                    .statements()
                    .find(|(n, h, _)| n == name && h == hash)
                    .map(|(_, _, st)| st);
                let mut summary = base.clone();
                if let (Some(st), Some(today)) = (st, as_of) {
                    summary
                        .notes
                        .extend(st.contradiction_notes(None, today, "", false));
                }
                summary
            })
            .chain(rd_summaries)
            .chain(device_summaries)
            .collect()
    }

    /// Starts reading a file (a file being read is dropped).
    pub fn begin(&mut self, opts: ImportOptions) {
        self.again = opts.again;
        self.current = Some(Importer::new(opts));
    }

    /// Feeds the next chunk of the current file.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), ImportError> {
        match &mut self.current {
            Some(imp) => imp.push(chunk),
            None => Ok(()),
        }
    }

    /// Data rows of the current file read so far.
    pub fn rows(&self) -> u64 {
        self.current.as_ref().map_or(0, Importer::rows)
    }

    /// Drops the current file.
    pub fn cancel(&mut self) {
        self.current = None;
    }

    /// Ends the current file and adds it to the set. A file whose bytes are those of a file
    /// the session holds is refused ([`ImportError::SameFile`]), as its rows would count twice,
    /// unless it is that file read again ([`ImportOptions::again`]): then it takes the place of
    /// its earlier reading. A file named as one the session holds, with other bytes, is held
    /// (and summed up) as `name (2)`, `name (3)`…: the summary's name is the one it is held by.
    pub fn finish(&mut self, name: &str) -> Result<FileSummary, ImportError> {
        let imp = self.current.take().ok_or(ImportError::Empty)?;
        let fingerprint = imp.fingerprint();
        let again = std::mem::take(&mut self.again);
        if let Some(earlier) = self.set.same_file(fingerprint, again.then_some(name)) {
            return Err(ImportError::SameFile {
                name: name.to_string(),
                earlier: earlier.to_string(),
            });
        }
        let mut parsed = imp.finish()?;
        if again && self.set.forget(name, fingerprint) {
            self.statements
                .retain(|(n, h, _)| !(n == name && *h == fingerprint.0));
            self.rd_reports
                .retain(|(n, h, _)| !(n == name && *h == fingerprint.0));
            self.device_reports
                .retain(|(n, h, _)| !(n == name && *h == fingerprint.0));
            parsed.notes.push("This file was read before (the same name and content): this reading, with the kind and columns chosen now, takes the place of the earlier one, so nothing in it counts twice.".to_string());
        }
        // Another file of the same name, with other bytes (two domains' users.csv, two
        // servers' logons.csv), is another export: it is held under a name of its own, so that
        // it takes the place of nothing and each row, note and reading again names its file
        // (review of the import panel: the second took the first one's place).
        let held = if again {
            None
        } else {
            self.set.unique_name(name)
        };
        if let Some(unique) = &held {
            parsed.notes.push(format!(
                "Another file named {name}, with other content, is in this import already: this one is another export, shown as {unique}."
            ));
        }
        let name = held.as_deref().unwrap_or(name);
        if let Data::Directory(d) = &mut parsed.data {
            d.file = name.to_string();
        }
        parsed.file = name.to_string();
        let mut dated = Vec::new();
        if let (Data::Usage(u), Some(today)) = (&mut parsed.data, self.as_of) {
            dated.extend(u.set_rds_as_of(today, None));
        }
        let rd_report = matches!(&parsed.data, Data::Usage(u) if u.has_rds_expiry());
        if let (Data::Licences(st), Some(today)) = (&mut parsed.data, self.as_of) {
            dated = st.contradiction_notes(None, today, "", false);
            for r in &mut st.rows {
                r.noted_as_of = Some(today);
            }
        }
        if let Data::Devices(inv) = &parsed.data {
            dated.extend(inv.date_order_note(0, self.as_of, name));
        }
        let device_export = matches!(parsed.data, Data::Devices(_));
        let statement = matches!(parsed.data, Data::Licences(_));
        let mut summary = FileSummary::of(name, &parsed);
        let added = self.set.add_file(parsed);
        // Returns a statement read earlier took are not "not imported" any more.
        if !added.taken_returns.is_empty() {
            summary
                .errors
                .retain(|e| !added.taken_returns.contains(&e.line));
            summary.error_count = summary
                .error_count
                .saturating_sub(added.taken_returns.len() as u64);
        }
        summary.notes.extend(added.notes);
        summary.replaces = self
            .set
            .replaced_statements()
            .find(|(_, by)| *by == name)
            .map(|(earlier, _)| earlier.to_string());
        if statement {
            self.statements
                .push((name.to_string(), fingerprint.0, summary.clone()));
        }
        if rd_report {
            self.rd_reports
                .retain(|(n, h, _)| !(n == name && *h == fingerprint.0));
            self.rd_reports
                .push((name.to_string(), fingerprint.0, summary.clone()));
        }
        if device_export {
            self.device_reports
                .push((name.to_string(), fingerprint.0, summary.clone()));
        }
        // Last, so that a new date of the count replaces them alone.
        summary.notes.extend(dated);
        self.cache = None;
        self.device_cache = None;
        Ok(summary)
    }

    /// Forgets the last file read named `name`, as if it had not been read: the Cancel of a file
    /// that reached the worker once the file was read to its end and added (race review 35: the
    /// row said "Cancelled" too late, or the file stayed counted). Returns whether there was one.
    pub fn forget(&mut self, name: &str) -> bool {
        let Some(fingerprint) = self.set.last_reading(name) else {
            return false;
        };
        if !self.set.forget(name, fingerprint) {
            return false;
        }
        let other = |(n, h, _): &(String, u64, FileSummary)| !(n == name && *h == fingerprint.0);
        self.statements.retain(other);
        self.rd_reports.retain(other);
        self.device_reports.retain(other);
        self.cache = None;
        self.device_cache = None;
        true
    }

    /// Forgets the last file read named `name` and every file added after it, as if none of
    /// them had been read, and returns the names of those added after it in the order they were
    /// read, for the caller to read again: what was said of them when they were read may have
    /// been said of the file forgotten too ("Its usage adds to that of the other usage log
    /// read"), and a licence statement that repeated the one forgotten was not added. Read
    /// again in that order, the session is, notes and summaries included, that of one that
    /// never read `name`. `None` when there was no file of that name.
    pub fn forget_from(&mut self, name: &str) -> Option<Vec<String>> {
        let later = self.set.read_after(name);
        self.set.last_reading(name)?;
        for n in later.iter().rev() {
            self.forget(n);
        }
        self.forget(name).then_some(later)
    }

    /// Forgets every file.
    pub fn clear(&mut self) {
        *self = Session {
            as_of: self.as_of,
            ..Session::default()
        };
    }

    /// The device exports' classification under `opts` (see [`Session::device_cache`]).
    fn device_classification(&mut self, opts: &ClassifyOptions) -> Option<&DeviceClassification> {
        let inv = self.set.inventory.as_ref()?;
        let key = (opts.today, opts.dormancy_days, opts.date_order);
        if !matches!(&self.device_cache, Some((k, _)) if *k == key) {
            let c = inv.classify(opts.today, opts.dormancy_days, opts.date_order);
            self.device_cache = Some((key, c));
        }
        self.device_cache.as_ref().map(|(_, c)| c)
    }

    fn classification(&mut self, opts: &ClassifyOptions) -> Option<&Classification> {
        let fresh = matches!(&self.cache, Some((o, _)) if o == opts);
        if !fresh {
            self.cache = self.set.classify(opts).map(|c| (opts.clone(), c));
        }
        self.cache.as_ref().map(|(_, c)| c)
    }

    /// The funnels and totals under `opts`.
    pub fn overview(&mut self, opts: &ClassifyOptions) -> Overview {
        let files = self
            .set
            .directory(opts.combine_directories)
            .map(Directory::files)
            .unwrap_or_default();
        let exports = self.set.directories.len() as u32;
        let held: Vec<String> = self
            .set
            .directories
            .iter()
            .map(|d| d.file.clone())
            .collect();
        let combine_error = self
            .set
            .combine_error
            .clone()
            .filter(|_| opts.combine_directories);
        let licences_column = self
            .set
            .directory(opts.combine_directories)
            .map_or_else(String::new, |d| d.licences_column.clone());
        let accounts = self.classification(opts).map(|c| AccountsView {
            files,
            exports,
            held,
            combine_error,
            funnel: c.funnel.clone(),
            groups: c.groups.clone(),
            plans: c.plans.clone(),
            licences_column,
            people: c.people.len() as u32,
            near_the_line: c.near_the_line,
            logons_after: c.logons_after,
            date_order: c.date_order,
            date_order_assumed: c.date_order_assumed,
            date_order_notes: c.date_order_notes.clone(),
        });
        let exports = self.device_reports.len() as u32;
        let devices = self.device_classification(opts).map(|c| DevicesView {
            funnel: c.funnel.clone(),
            personal: c.personal,
            shared: c.shared,
            clients: c.clients,
            unattended: c.unattended,
            network: c.network,
            exports,
        });
        let usage = self.set.usage.as_ref().map(|u| {
            let (users, devices, servers) = u.counts();
            UsageView {
                rows: u.rows,
                system_rows: u.system_rows,
                links: u.links.len() as u32,
                users: users as u32,
                devices: devices as u32,
                servers: servers as u32,
                rds_per_user: u.rds_per_user.len() as u32,
                rds_per_device: u.rds_per_device.len() as u32,
                rds_versions: u.rds_versions.clone(),
            }
        });
        let holdings = self
            .set
            .statement
            .as_ref()
            .map(|s| s.holdings(opts.date_order, opts.today))
            .unwrap_or_default();
        Overview {
            accounts,
            devices,
            usage,
            holdings,
        }
    }

    /// Accounts whose name, display name or reason contains `query` (case-insensitive) and, if
    /// given, with `status`: `limit` of them from `offset`.
    pub fn accounts(
        &mut self,
        opts: &ClassifyOptions,
        query: &str,
        status: Option<Status>,
        offset: u32,
        limit: u32,
    ) -> AccountPage {
        self.accounts_keeping(opts, query, status, &[], offset, limit)
    }

    /// [`Self::accounts`], where the rows of `keep` (by export and line) stay listed whatever
    /// their status: the accounts decided on while a list filtered by status is shown (Show:
    /// Dormant, then "Count it"). Gone from the page at once, the decided row took its select and
    /// the keyboard's focus with it, and Chromium applies each arrow key on a closed select, so a
    /// keyboard user walking the options decided at the first step (review of the import panel,
    /// WCAG 3.2.2 On Input). The panel lets them go when the filter or the search changes.
    pub fn accounts_keeping(
        &mut self,
        opts: &ClassifyOptions,
        query: &str,
        status: Option<Status>,
        keep: &[(String, u32)],
        offset: u32,
        limit: u32,
    ) -> AccountPage {
        let q = query.trim().to_lowercase();
        self.classification(opts);
        let (Some(dir), Some((_, c))) = (self.set.directory(opts.combine_directories), &self.cache)
        else {
            return AccountPage::default();
        };
        let mut page = AccountPage::default();
        let kept = |i: usize| {
            let line = dir.accounts.get(i).map_or(0, |a| a.line);
            keep.iter()
                .any(|(file, l)| *l == line && file == dir.file_of(i))
        };
        for (i, v) in c.verdicts.iter().enumerate() {
            if status.is_some_and(|s| s != v.status) && !kept(i) {
                continue;
            }
            let key = dir.key(i);
            let display = dir.display_name(i);
            if !q.is_empty()
                && !key.to_lowercase().contains(&q)
                && !display.to_lowercase().contains(&q)
            {
                continue;
            }
            if page.matching >= offset && (page.rows.len() as u32) < limit {
                page.rows.push(AccountRow {
                    file: dir.file_of(i).to_string(),
                    line: dir.accounts.get(i).map_or(0, |a| a.line),
                    unit: dir.unit_of(i),
                    plan: dir.accounts.get(i).and_then(|a| a.plan),
                    key: key.to_string(),
                    display_name: display.to_string(),
                    status: v.status,
                    kind: v.kind,
                    reason: dir.reason(c, opts, i),
                });
            }
            page.matching += 1;
        }
        page
    }

    /// Every device row with its status and why (a printer is not a client device, a server
    /// needs no CAL…), for the device list.
    pub fn devices(&mut self, opts: &ClassifyOptions) -> Vec<DeviceView> {
        self.device_page(opts, "", None, 0, u32::MAX).rows
    }

    /// The device rows whose name contains `query` (in any case) and, when given, whose verdict
    /// is `status`: `limit` of them from `offset`, in the order read, with how many match. Each
    /// says the export it comes from, its line, its verdict and why.
    pub fn device_page(
        &mut self,
        opts: &ClassifyOptions,
        query: &str,
        status: Option<DeviceStatus>,
        offset: u32,
        limit: u32,
    ) -> DevicePage {
        if self.device_classification(opts).is_none() {
            return DevicePage::default();
        }
        let (Some(inv), Some((_, c))) = (self.set.inventory.as_ref(), &self.device_cache) else {
            return DevicePage::default();
        };
        let q = query.trim().to_lowercase();
        let mut page = DevicePage::default();
        for (i, (r, &st)) in inv.rows.iter().zip(&c.statuses).enumerate() {
            if status.is_some_and(|s| s != st)
                || (!q.is_empty() && !r.name.to_lowercase().contains(&q))
            {
                continue;
            }
            if page.matching >= offset && (page.rows.len() as u32) < limit {
                let report = self.device_reports.get(usize::from(r.part));
                page.rows.push(DeviceView {
                    file: report.map(|(name, _, _)| name.clone()).unwrap_or_default(),
                    line: r.line,
                    unit: RowUnit::of(report.is_some_and(|(_, _, s)| s.json)),
                    name: r.name.clone(),
                    status: st,
                    reason: inv.reason(i, st),
                });
            }
            page.matching += 1;
        }
        page
    }

    /// Merges everything into `estate`.
    pub fn apply(&self, mut estate: Estate, opts: &ClassifyOptions) -> Applied {
        let summary = apply_to(
            &mut estate,
            &self.set,
            &ApplyOptions {
                classify: opts.clone(),
            },
        );
        Applied { estate, summary }
    }

    /// Adds the devices of the per-device RD Licensing report `choice.file` to `estate` as a
    /// shared device pool used by the groups chosen (see [`add_rd_device_pool`]).
    pub fn add_rd_device_pool(
        &self,
        mut estate: Estate,
        choice: &RdDevicePool,
    ) -> Result<PoolApplied, RdPoolError> {
        let summary = add_rd_device_pool(&mut estate, &self.set, choice)?;
        Ok(PoolApplied { estate, summary })
    }

    /// The per-device RD Licensing reports read: file name and distinct devices.
    pub fn rd_device_reports(&self) -> Vec<(String, Vec<String>)> {
        self.set.rd_device_reports()
    }
}
