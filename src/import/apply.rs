//! Merging imported data into an [`Estate`] without losing what the user entered.
//!
//! - People become one group per kind (`imported-employee`, `imported-partner`, …). Existing
//!   imported groups get their new count (set to 0 when a kind disappears, so access rows stay
//!   valid); their name, devices, admin flag and Microsoft 365 plan, which the user may have
//!   edited, are kept. A new group is given access to the estate's Windows Servers, since everyone
//!   who authenticates to AD uses them (cal-rules §4.2 item 6); the user narrows it afterwards.
//! - Usage links become exact `usage` (person → device → server), matched to the estate's servers
//!   by id or name (short or fully qualified); links to unknown servers are listed, not invented.
//!   Usage adds up across files and imports (a link imported twice counts once).
//!   A link with no client device (User Access Logging) uses one personal device per person, the
//!   same assumption as a group's `devices_each`.
//! - Devices without a primary user become a shared pool, printers and scanners an unattended pool,
//!   both used by the imported staff groups. A re-import names them on a pool of its own that
//!   names nobody, and otherwise only adds the staff groups it creates, so the user's choice stays;
//!   a pool the user turned into the other kind is left as it is, its devices not added.
//! - Holdings are merged by product, kind and version: the statement's quantity replaces the old,
//!   shared first among the estate's lots assigned to a host (each keeps its host).
//!   Its Microsoft 365 E3 and E5 lines set the estate's seat count of each plan it lists (added
//!   up over its lines); a plan it does not list keeps the count entered.
//!
//! The result is always an estate `Estate::validate` accepts when the estate given was: the
//! readers only produce valid holdings, links keep the remote-desktop feature only to RD Session
//! Hosts, and should a merge still leave a problem, nothing is applied and the summary says why.

use super::devices::{device_key, DeviceStatus, Inventory};
use super::directory::{Classification, ClassifyOptions, Directory, Status};
use super::licences::Statement;
use super::usage::{UsageLog, NO_DEVICE};
use super::{Data, Parsed};
use crate::estate::{
    Access, Device, Estate, Group, Link, M365Plan, Person, PersonKind, ServerProduct,
    SharedDevices, Usage, MAX_COUNT, MAX_DEVICES_EACH,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Everything imported so far, one slot per kind.
#[derive(Debug, Clone, Default)]
pub struct ImportSet {
    /// Directory exports in the order read. One counts (the last), or all of them together when
    /// the user says they are domains of one organisation ([`ClassifyOptions::combine_directories`]).
    pub directories: Vec<Directory>,
    /// All the directory exports as one, when there are several.
    combined: Option<Directory>,
    /// Why they could not be combined.
    pub combine_error: Option<String>,
    pub inventory: Option<Inventory>,
    /// Every usage log read, as one: their links together (a link in several counts once).
    pub usage: Option<UsageLog>,
    /// The usage logs read, each by file name and fingerprint, so that a file read again takes
    /// the place of its earlier reading instead of adding its rows twice.
    usage_files: Vec<(String, u64, UsageLog)>,
    pub statement: Option<super::licences::Statement>,
    /// Every file read, in order: name, fingerprint and size, to tell the same file read again.
    files: Vec<(String, u64, u64)>,
    /// The device exports read, each as read, to rebuild `inventory` when one is read again.
    device_files: Vec<(String, u64, Inventory)>,
    /// The licence statements read, each as read, to rebuild `statement` when one is read again.
    statement_files: Vec<(String, u64, Statement)>,
    /// Statements a later one took the place of (a corrected or newer download of it,
    /// [`Statement::mostly_repeats`]): its name and fingerprint, and the later's name. They stay
    /// in `statement_files`, left out of `statement`, and count again if the later is forgotten.
    replaced_statements: Vec<(String, u64, String)>,
}

impl ImportSet {
    /// The directory counted: the last export read, or every export together when `combine`
    /// (and they could be combined).
    pub fn directory(&self, combine: bool) -> Option<&Directory> {
        match &self.combined {
            Some(c) if combine => Some(c),
            _ => self.directories.last(),
        }
    }

    /// Adds a file: a directory is kept beside the earlier ones (see [`ImportSet::directory`]);
    /// devices, usage and statements add up. Usage logs are unioned (two servers' logs, or two
    /// months of one server's), and a usage log read again (the same name and bytes, with the
    /// same or other columns) takes the place of its earlier reading. Returns notes for the
    /// file's summary on what was done with it.
    pub fn add(&mut self, parsed: Parsed) -> Vec<String> {
        self.add_file(parsed).notes
    }

    /// The name of a file read whose bytes are those of `fingerprint` (hash, size), leaving out
    /// files named `except` (a file being read again): the same file, which must not be added
    /// twice.
    pub fn same_file(&self, fingerprint: (u64, u64), except: Option<&str>) -> Option<&str> {
        self.files
            .iter()
            .find(|(n, h, l)| (*h, *l) == fingerprint && except != Some(n.as_str()))
            .map(|(n, _, _)| n.as_str())
    }

    /// A name for a new file named `name` that no file read has, when one has it: `name (2)`,
    /// `name (3)`… (`None` when no file read is named `name`).
    pub fn unique_name(&self, name: &str) -> Option<String> {
        let taken = |n: &str| self.files.iter().any(|(f, _, _)| f == n);
        if name.is_empty() || !taken(name) {
            return None;
        }
        (2u32..)
            .map(|k| format!("{name} ({k})"))
            .find(|n| !taken(n))
    }

    /// The bytes (hash, size) of the last file read named `name`, if any.
    pub fn last_reading(&self, name: &str) -> Option<(u64, u64)> {
        self.files
            .iter()
            .rev()
            .find(|(n, _, _)| n == name)
            .map(|(_, h, l)| (*h, *l))
    }

    /// The names of the files added after the last reading of `name`, in the order they were
    /// read (empty when there is no reading of `name`).
    pub fn read_after(&self, name: &str) -> Vec<String> {
        match self.files.iter().rposition(|(n, _, _)| n == name) {
            Some(k) => self.files[k + 1..]
                .iter()
                .map(|(n, _, _)| n.clone())
                .collect(),
            None => Vec::new(),
        }
    }

    /// Forgets the reading of the file `name` with these bytes (hash, size), wherever it went,
    /// so that a reading of it with other columns can take its place. Returns whether there was
    /// one.
    pub fn forget(&mut self, name: &str, fingerprint: (u64, u64)) -> bool {
        let before = self.files.len();
        self.files
            .retain(|(n, h, l)| !(n == name && (*h, *l) == fingerprint));
        if self.files.len() == before {
            return false;
        }
        let hash = fingerprint.0;
        let other = |n: &String, h: &u64| !(n == name && *h == hash);
        if self.directories.iter().any(|d| d.file == name) {
            self.directories.retain(|d| d.file != name);
            self.combine();
        }
        self.device_files.retain(|(n, h, _)| other(n, h));
        let mut devices = self.device_files.iter().map(|(_, _, d)| d.clone());
        self.inventory = devices.next().map(|mut all| {
            for d in devices {
                all.append(d);
            }
            all
        });
        self.usage_files.retain(|(n, h, _)| other(n, h));
        self.merge_usage();
        self.statement_files.retain(|(n, h, _)| other(n, h));
        self.replaced_statements
            .retain(|(n, h, by)| other(n, h) && by != name);
        self.rebuild_statement();
        true
    }

    /// Rebuilds `statement` from the statements read that no later one took the place of.
    fn rebuild_statement(&mut self) {
        let replaced = &self.replaced_statements;
        let mut statements = self
            .statement_files
            .iter()
            .filter(|(n, h, _)| !replaced.iter().any(|(rn, rh, _)| rn == n && rh == h));
        self.statement = statements.next().map(|(_, _, s)| {
            let mut all = s.clone();
            for (file, _, s) in statements {
                // What the returns' notes said was said when each file was read.
                all.append(s.clone(), file);
            }
            all
        });
    }

    /// The statements a later one took the place of: (its name, the later's name).
    pub fn replaced_statements(&self) -> impl Iterator<Item = (&str, &str)> {
        self.replaced_statements
            .iter()
            .map(|(n, _, by)| (n.as_str(), by.as_str()))
    }

    /// The licence statements read, each with its file name and fingerprint, as read.
    pub fn statements(&self) -> impl Iterator<Item = (&str, u64, &Statement)> {
        self.statement_files
            .iter()
            .map(|(n, h, s)| (n.as_str(), *h, s))
    }

    /// Marks every statement row as named in its file's notes for the date of the count `today`
    /// (see [`Statement::contradiction_notes`]).
    pub fn noted_as_of(&mut self, today: crate::estate::Date) {
        let rows = self
            .statement_files
            .iter_mut()
            .flat_map(|(_, _, s)| s.rows.iter_mut())
            .chain(self.statement.iter_mut().flat_map(|s| s.rows.iter_mut()));
        for r in rows {
            r.noted_as_of = Some(today);
        }
    }

    /// Leaves out of each RD Licensing report's use the CALs expired before `today`, the date of
    /// the count (see [`UsageLog::set_rds_as_of`]).
    /// Returns, per usage file with RD Licensing expiry dates, (name, fingerprint, the note on
    /// the CALs left out, the per-device CALs kept), for the panel to show as of the new date.
    pub fn rds_as_of(
        &mut self,
        today: crate::estate::Date,
    ) -> Vec<(String, u64, Option<String>, u32)> {
        let mut out = Vec::new();
        for (file, hash, log) in &mut self.usage_files {
            let note = log.set_rds_as_of(today, None);
            if log.has_rds_expiry() {
                out.push((file.clone(), *hash, note, log.rds_per_device.len() as u32));
            }
        }
        self.merge_usage();
        out
    }

    fn merge_usage(&mut self) {
        let mut all: Option<UsageLog> = None;
        for (_, _, log) in &self.usage_files {
            match &mut all {
                Some(a) => a.merge(log.clone()),
                None => all = Some(log.clone()),
            }
        }
        self.usage = all;
    }

    /// [`ImportSet::add`], also saying which of the file's rows it read as not imported are
    /// taken after all: returns of a licence statement that a lot of another statement read
    /// with it takes.
    pub fn add_file(&mut self, parsed: Parsed) -> Added {
        let mut notes = Vec::new();
        let mut taken_returns = Vec::new();
        self.files
            .push((parsed.file.clone(), parsed.fingerprint, parsed.size));
        match parsed.data {
            Data::Directory(d) => {
                // A file read again (other columns) takes the place of its earlier reading and
                // becomes the latest.
                if !d.file.is_empty() {
                    self.directories.retain(|x| x.file != d.file);
                }
                // An export with no account (a header alone) does not take the place of the
                // ones read before: the counts stay theirs, and the note says why.
                if d.accounts.is_empty() && !self.directories.is_empty() {
                    let name = if parsed.file.is_empty() {
                        "This directory export".to_string()
                    } else {
                        format!("“{}”", parsed.file)
                    };
                    let what = if parsed.rows == 0 {
                        "has no data rows (only a header)"
                    } else {
                        "has no account that could be read"
                    };
                    let earlier: Vec<String> = self
                        .directories
                        .iter()
                        .map(|x| format!("“{}”", x.file))
                        .collect();
                    notes.push(format!(
                        "{name} {what}: it does not take the place of the directory export{} read before ({}), so the counts stay as they were.",
                        if earlier.len() == 1 { "" } else { "s" },
                        earlier.join(", ")
                    ));
                } else {
                    self.directories.push(d);
                }
                self.combine();
            }
            Data::Devices(d) => {
                self.device_files
                    .push((parsed.file.clone(), parsed.fingerprint, d.clone()));
                self.add_devices(d, &mut notes);
            }
            Data::Usage(u) => {
                let same = |(f, h, _): &(String, u64, UsageLog)| {
                    !parsed.file.is_empty() && *f == parsed.file && *h == parsed.fingerprint
                };
                let before = self.usage_files.len();
                self.usage_files.retain(|x| !same(x));
                if self.usage_files.len() < before {
                    notes.push("This usage log was read before (the same file name and content): this reading takes the place of the earlier one, so nothing in it counts twice.".to_string());
                }
                if !self.usage_files.is_empty() {
                    notes.push(format!(
                        "Its usage adds to that of {} read: people, devices and servers are counted across them, each link once.",
                        match self.usage_files.len() {
                            1 => "the other usage log".to_string(),
                            n => format!("the {} other usage logs", crate::position::thousands(n as u64)),
                        }
                    ));
                }
                self.usage_files
                    .push((parsed.file.clone(), parsed.fingerprint, u));
                self.merge_usage();
            }
            Data::Licences(mut s) => {
                s.set_file(&parsed.file);
                // Its rows all those of a statement read before (the file saved again with other
                // line endings or quotes, so other bytes): adding it would count them twice.
                let repeated = self
                    .statement_files
                    .iter()
                    .find(|(_, _, earlier)| s.repeats(earlier))
                    .map(|(name, _, _)| name.clone());
                if let Some(earlier) = repeated {
                    let name = if parsed.file.is_empty() {
                        "This statement".to_string()
                    } else {
                        parsed.file.clone()
                    };
                    let earlier = if earlier.is_empty() {
                        "a statement".to_string()
                    } else {
                        earlier
                    };
                    notes.push(format!(
                        "{name} repeats {earlier}, read already: each of its rows is a row of that statement (fields compared trimmed, whatever the line endings or quotes), so it is the same statement again and was not added, so nothing in it counts twice. If it lists other licences that happen to read the same, add them to the holdings by hand."
                    ));
                    return Added {
                        notes,
                        taken_returns,
                    };
                }
                // Most of its rows those of a statement read before (a corrected statement, or
                // one downloaded again after more was bought): it takes that one's place, as a
                // directory export does, so the quantities are the later's, not both added up.
                let replaced = &self.replaced_statements;
                let corrects = self
                    .statement_files
                    .iter()
                    .filter(|(n, h, _)| !replaced.iter().any(|(rn, rh, _)| rn == n && rh == h))
                    .find_map(|(n, h, earlier)| {
                        s.mostly_repeats(earlier)
                            .map(|shared| (n.clone(), *h, shared, earlier.row_keys.len()))
                    });
                if let Some((earlier, hash, shared, theirs)) = corrects {
                    let name = if parsed.file.is_empty() {
                        "This statement"
                    } else {
                        parsed.file.as_str()
                    };
                    let mine = s.row_keys.len();
                    notes.push(format!(
                        "{name} repeats {shared} of its {mine} rows from {earlier} ({theirs} rows), read before: it is taken as a corrected or newer download of that statement and takes its place, so only its own quantities count, not both statements added up. To count {earlier} instead, forget the imported files and read it alone; if the two are statements of separate agreements, add the licences of {earlier} to the holdings by hand."
                    ));
                    self.replaced_statements
                        .push((earlier, hash, parsed.file.clone()));
                    self.rebuild_statement();
                }
                self.statement_files
                    .push((parsed.file.clone(), parsed.fingerprint, s.clone()));
                match &mut self.statement {
                    // A return in one statement may be of a lot in another (a credit note
                    // beside the purchase): what no file could place alone is placed now.
                    Some(old) => {
                        for (file, line, note) in old.append(s, &parsed.file) {
                            if file == parsed.file {
                                taken_returns.push(line);
                            }
                            notes.push(note);
                        }
                    }
                    None => self.statement = Some(s),
                }
            }
        }
        Added {
            notes,
            taken_returns,
        }
    }

    /// Adds a device export to the inventory: one device in several exports counts once, and a
    /// note on `notes` names them.
    fn add_devices(&mut self, d: Inventory, notes: &mut Vec<String>) {
        match &mut self.inventory {
            Some(inv) => {
                // One device in several exports counts once; each export's columns decide
                // for its own rows (an Intune primary-user column says nothing of AD's).
                let earlier: HashSet<String> =
                    inv.rows.iter().map(|r| device_key(&r.name)).collect();
                let again: BTreeSet<String> = d
                    .rows
                    .iter()
                    .map(|r| device_key(&r.name))
                    .filter(|k| earlier.contains(k))
                    .collect();
                if !again.is_empty() {
                    let shown: Vec<&str> = again.iter().take(5).map(String::as_str).collect();
                    notes.push(format!(
                        "{} of its devices are in an earlier device export too ({}{}; names compared in any case, without a DNS suffix): each counts once.",
                        again.len(),
                        shown.join(", "),
                        if again.len() > 5 { ", …" } else { "" }
                    ));
                }
                inv.append(d);
            }
            None => self.inventory = Some(d),
        }
    }

    /// The per-device RD Licensing reports read, each with its file name and its devices
    /// (distinct names, lower case, sorted): what [`super::rd_pool::add_rd_device_pool`] turns
    /// into a shared device pool.
    pub fn rd_device_reports(&self) -> Vec<(String, Vec<String>)> {
        self.usage_files
            .iter()
            .filter(|(_, _, log)| !log.rds_per_device.is_empty())
            .map(|(file, _, log)| {
                let names: BTreeSet<String> = log
                    .rds_per_device
                    .iter()
                    .map(|&d| log.name(d).to_lowercase())
                    .collect();
                (file.clone(), names.into_iter().collect())
            })
            .collect()
    }

    /// Builds the directory of every export together (or says why it cannot be built).
    fn combine(&mut self) {
        self.combined = None;
        self.combine_error = None;
        let Some((first, rest)) = self.directories.split_first() else {
            return;
        };
        if rest.is_empty() {
            return;
        }
        let mut all = first.clone();
        for d in rest {
            if let Err(e) = all.append(d) {
                self.combine_error = Some(e);
                return;
            }
        }
        self.combined = Some(all);
    }

    /// Classifies the directory with the usage logs as evidence of activity.
    pub fn classify(&self, opts: &ClassifyOptions) -> Option<Classification> {
        let seen = self.usage.as_ref().map(UsageLog::users).unwrap_or_default();
        self.directory(opts.combine_directories)
            .map(|d| d.classify(opts, &seen))
    }
}

/// What [`ImportSet::add_file`] did with a file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Added {
    /// Notes for the file's summary.
    pub notes: Vec<String>,
    /// Lines of the file's returns that it read as not imported (no lot of its own) and that a
    /// lot of a statement read with it took.
    pub taken_returns: Vec<u32>,
}

impl UsageLog {
    /// Adds another log's links.
    pub fn merge(&mut self, other: UsageLog) {
        let map = |this: &mut UsageLog, i: u32| -> u32 {
            if i == NO_DEVICE {
                NO_DEVICE
            } else {
                this.intern(other.name(i))
            }
        };
        let links: Vec<_> = other.links.iter().copied().collect();
        for (u, d, s, r) in links {
            let l = (map(self, u), map(self, d), map(self, s), r);
            self.links.insert(l);
        }
        for &u in &other.rds_per_user {
            let i = self.intern(other.name(u));
            self.rds_per_user.insert(i);
        }
        for &d in &other.rds_per_device {
            let i = self.intern(other.name(d));
            self.rds_per_device.insert(i);
        }
        for v in other.rds_versions {
            if !self.rds_versions.contains(&v) {
                self.rds_versions.push(v);
            }
        }
        self.rows += other.rows;
        self.system_rows += other.system_rows;
    }
}

/// Options of [`apply_to`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplyOptions {
    pub classify: ClassifyOptions,
}

/// What [`apply_to`] changed, for the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplySummary {
    pub groups_created: Vec<String>,
    pub groups_updated: Vec<String>,
    /// Device pools made from the device exports (shared devices, printers and scanners,
    /// network equipment), by name.
    #[serde(default)]
    pub pools_created: Vec<String>,
    /// Device pools of an earlier import whose count or users this one changed, by name.
    #[serde(default)]
    pub pools_updated: Vec<String>,
    pub usage_people: u32,
    pub usage_devices: u32,
    pub usage_links: u32,
    /// Usage users with no counted account in the directory (added as employees).
    pub users_not_in_directory: u32,
    /// Server names in the usage data that match no server of the estate (their links left out).
    pub unmatched_servers: Vec<String>,
    pub holdings_added: u32,
    pub holdings_updated: u32,
    /// Lots of a listed licence the statement no longer has (replaced by its lots).
    pub holdings_removed: u32,
    /// Devices holding a per-device RDS CAL in an RD Licensing report.
    #[serde(default)]
    pub rds_devices: u32,
    /// False when the merge would have left an estate that does not validate, so the estate was
    /// left as it was (the reason is in `notes`).
    #[serde(default = "yes")]
    pub applied: bool,
    /// Applying left the estate as it was: the files read give nothing to put in it (as of the
    /// date of the count), or it has their figures already. The last note says which. The app
    /// then keeps the estate shown (a first visit's sample is not replaced by an empty estate:
    /// QA review 35, an export counted as of a later day applied "0 groups created" and emptied
    /// the page).
    #[serde(default)]
    pub unchanged: bool,
    pub notes: Vec<String>,
}

fn yes() -> bool {
    true
}

impl Default for ApplySummary {
    fn default() -> Self {
        ApplySummary {
            groups_created: Vec::new(),
            groups_updated: Vec::new(),
            pools_created: Vec::new(),
            pools_updated: Vec::new(),
            usage_people: 0,
            usage_devices: 0,
            usage_links: 0,
            users_not_in_directory: 0,
            unmatched_servers: Vec::new(),
            holdings_added: 0,
            holdings_updated: 0,
            holdings_removed: 0,
            rds_devices: 0,
            applied: true,
            unchanged: false,
            notes: Vec::new(),
        }
    }
}

/// The id of the imported group of a kind.
pub fn group_id(kind: PersonKind) -> String {
    let k = match kind {
        PersonKind::Employee => "employee",
        PersonKind::OnsiteContractor => "onsite-contractor",
        PersonKind::OffsiteContractor => "offsite-contractor",
        PersonKind::Partner => "partner",
        PersonKind::Customer => "customer",
        PersonKind::AnonymousVisitor => "anonymous",
    };
    format!("{IMPORTED}{k}")
}

/// What the ids of the groups and pools an import makes start with.
const IMPORTED: &str = "imported-";

/// Whether group `id` is one an import made ("imported-employee", "imported-rd-devices").
pub fn is_imported_group(id: &str) -> bool {
    id.starts_with(IMPORTED)
}

/// Whether `estate` holds figures an import put there: its groups or its usage links.
pub fn holds_import(estate: &Estate) -> bool {
    estate.usage.is_some() || estate.groups.iter().any(|g| is_imported_group(&g.id))
}

/// The imported group a person is counted in: their kind, and for internal people the
/// Microsoft 365 plan the directory's licences column gives them (an external user's plan
/// carries no CAL rights here: `rules::person_classes`).
type Bucket = (PersonKind, Option<M365Plan>);

fn bucket(kind: PersonKind, plan: Option<M365Plan>) -> Bucket {
    (kind, plan.filter(|_| !kind.is_external()))
}

/// The people per group of a directory's classification: per kind in `directory::KINDS` order,
/// those without a plan, then those holding E3, then E5 (internal kinds only).
fn buckets(c: &Classification) -> Vec<(Bucket, u32)> {
    let mut out = Vec::new();
    for &(kind, total) in &c.groups {
        let held = |plan| {
            c.plans
                .iter()
                .find(|&&(k, p, _)| k == kind && p == plan)
                .map_or(0, |&(_, _, n)| n)
        };
        let (e3, e5) = if kind.is_external() {
            (0, 0)
        } else {
            (held(M365Plan::E3), held(M365Plan::E5))
        };
        let none = total.saturating_sub(e3 + e5);
        for (plan, n) in [
            (None, none),
            (Some(M365Plan::E3), e3),
            (Some(M365Plan::E5), e5),
        ] {
            if n > 0 {
                out.push(((kind, plan), n));
            }
        }
    }
    out
}

/// The id of the imported group of a kind and plan: `imported-employee`,
/// `imported-employee-m365-e3`.
pub fn bucket_id((kind, plan): Bucket) -> String {
    match plan {
        None => group_id(kind),
        Some(p) => format!("{}-m365-{}", group_id(kind), crate::named::Named::name(p)),
    }
}

fn group_name(kind: PersonKind, plan: Option<M365Plan>) -> String {
    let kind = match kind {
        PersonKind::Employee => "Employees",
        PersonKind::OnsiteContractor => "Onsite contractors",
        PersonKind::OffsiteContractor => "Offsite contractors",
        PersonKind::Partner => "Partners and guests",
        PersonKind::Customer => "Customers",
        PersonKind::AnonymousVisitor => "Anonymous visitors",
    };
    match plan {
        None => format!("{kind} (imported)"),
        Some(p) => format!("{kind} with Microsoft 365 {p:?} (imported)"),
    }
}

/// Merges everything in `set` into `estate`. When `estate` validates, so does the result: a
/// merge that would leave a problem is not made (the estate is left as it was and the summary's
/// `applied` is false, with the problem in its notes).
pub fn apply_to(estate: &mut Estate, set: &ImportSet, opts: &ApplyOptions) -> ApplySummary {
    let before = estate.clone();
    let was_valid = before.validate().is_ok();
    let mut sum = merge(estate, set, opts);
    // Usage whose every link was left out (its servers not in the estate) is no usage.
    let no_usage = |u: &Usage| u.people.is_empty() && u.devices.is_empty() && u.links.is_empty();
    if before.usage.is_none() && estate.usage.as_ref().is_some_and(no_usage) {
        estate.usage = None;
    }
    if *estate == before {
        sum.unchanged = true;
        sum.notes.push(unchanged_note(set, opts, &sum));
    }
    if was_valid {
        if let Err(e) = estate.validate() {
            *estate = before;
            sum = ApplySummary {
                applied: false,
                notes: vec![format!(
                    "The import was not applied: it would have left an estate the calculator refuses ({e}). Please report this with the files' column names."
                )],
                ..ApplySummary::default()
            };
        }
    }
    sum
}

/// Why applying left the estate as it was: nothing to put in it (and, when most accounts came
/// out dormant, a pointer to the warning that names the date of the count as the likely cause),
/// or its figures are there already.
fn unchanged_note(set: &ImportSet, opts: &ApplyOptions, sum: &ApplySummary) -> String {
    let touched = !sum.groups_created.is_empty()
        || !sum.groups_updated.is_empty()
        || sum.usage_links > 0
        || sum.holdings_added + sum.holdings_updated + sum.holdings_removed > 0;
    if touched {
        return "The estate has these figures already: applying them changed nothing.".into();
    }
    let today = opts.classify.today;
    let mut note = format!(
        "Nothing was put in the estate: as of {today} the files read give no one to count, no device pool, no usage and no licence, so the estate is as it was."
    );
    if !sum.unmatched_servers.is_empty() {
        note.push_str(&format!(
            " The usage data's servers are not in the estate ({}): add them, then apply again.",
            sum.unmatched_servers.join(", ")
        ));
    }
    let dormant = set
        .classify(&opts.classify)
        .and_then(|c| super::session::mostly_dormant(&c.funnel));
    if let Some((dormant, before)) = dormant {
        let n = |k: u32| crate::position::thousands(u64::from(k));
        note.push_str(&format!(
            " {} of the {} accounts that can sign in came out dormant as of that day: see the warning on them.",
            n(dormant),
            n(before)
        ));
    }
    note
}

fn merge(estate: &mut Estate, set: &ImportSet, opts: &ApplyOptions) -> ApplySummary {
    let mut sum = ApplySummary::default();
    let class = set.classify(&opts.classify);
    let windows_servers: Vec<String> = estate
        .servers
        .iter()
        .filter(|s| {
            s.product == ServerProduct::WindowsServer && !s.anonymous_only && !s.virtualization_only
        })
        .map(|s| s.id.clone())
        .collect();

    // Usage people: account key → (person id, group, status).
    // People per group (kind and plan), in the order of `directory::KINDS`, those without a
    // plan first.
    let mut counts: Vec<(Bucket, u32)> = Vec::new();
    let mut account_person: HashMap<String, (String, Bucket, Status)> = HashMap::new();
    // Employee IDs of several accounts that are not one person: the accounts, for the note on
    // a usage user that names one.
    let mut shared_ids: BTreeMap<String, Vec<String>> = BTreeMap::new();
    if let (Some(dir), Some(c)) = (set.directory(opts.classify.combine_directories), &class) {
        counts.extend(buckets(c));
        for (i, v) in c.verdicts.iter().enumerate() {
            let person = v
                .person
                .and_then(|p| c.people.get(p as usize))
                .map_or_else(|| dir.key(i).to_string(), |p| dir.person_id(p).to_string());
            let kind = v
                .person
                .and_then(|p| c.people.get(p as usize))
                .map_or((v.kind, None), |p| bucket(p.kind, p.plan));
            account_person.insert(
                dir.key(i).to_ascii_lowercase(),
                (person.clone(), kind, v.status),
            );
            let upn = dir.upn(i).to_ascii_lowercase();
            if !upn.is_empty() {
                account_person.insert(upn, (person, kind, v.status));
            }
        }
        // A usage log may name an account by its mail (a logon as mary.jones@…, her mail but
        // not her UPN). A mail is a person's when the accounts that have it (those that can
        // sign in, if any can) are one person's; a mail several people share (a shared mailbox
        // address) says nothing about who signed in, so it matches none of them. A name or UPN
        // of an account comes first.
        let mut by_mail: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for i in 0..c.verdicts.len() {
            let mail = dir.mail(i).to_ascii_lowercase();
            if !mail.is_empty() {
                by_mail.entry(mail).or_default().push(i);
            }
        }
        for (mail, accounts) in by_mail {
            if account_person.contains_key(&mail) {
                continue;
            }
            let can_sign_in = |&&i: &&usize| {
                !matches!(
                    c.verdicts.get(i).map(|v| v.status),
                    Some(Status::Disabled | Status::Expired)
                )
            };
            let mut candidates: Vec<&(String, Bucket, Status)> = accounts
                .iter()
                .filter(can_sign_in)
                .filter_map(|&i| account_person.get(&dir.key(i).to_ascii_lowercase()))
                .collect();
            if candidates.is_empty() {
                candidates = accounts
                    .iter()
                    .filter_map(|&i| account_person.get(&dir.key(i).to_ascii_lowercase()))
                    .collect();
            }
            let Some(first) = candidates.first() else {
                continue;
            };
            if candidates.iter().all(|p| p.0 == first.0) {
                // One person: counted when any of its accounts is.
                let found = candidates
                    .iter()
                    .find(|p| p.2 == Status::Counted)
                    .unwrap_or(first);
                let found = (*found).clone();
                account_person.insert(mail, found);
            }
        }
        // A usage log may name a person by their employee ID. The counted accounts with one ID
        // are one person (the employee-ID join), whom it matches; with none counted, it matches
        // the account that can sign in with it (or the one account with it) when that is one
        // person's, as a mail does. An ID of several accounts that are not one person (two
        // service accounts stamped with one ID) says nothing about who logged on: it matches
        // none, and the summary says why. A name, UPN or mail of an account comes first.
        let mut by_id: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        // Only usage links look IDs up: a directory alone needs no index of them.
        let ids = if set.usage.is_some() {
            c.verdicts.len()
        } else {
            0
        };
        for i in 0..ids {
            let id = dir.employee_id(i).to_ascii_lowercase();
            if !id.is_empty() {
                by_id.entry(id).or_default().push(i);
            }
        }
        for (id, accounts) in by_id {
            if account_person.contains_key(&id) {
                continue;
            }
            let status = |i: usize| c.verdicts.get(i).map(|v| v.status);
            let person = |i: usize| account_person.get(&dir.key(i).to_ascii_lowercase());
            let counted = accounts
                .iter()
                .find(|&&i| status(i) == Some(Status::Counted))
                .and_then(|&i| person(i));
            if let Some(found) = counted {
                let found = found.clone();
                account_person.insert(id, found);
                continue;
            }
            let can_sign_in: Vec<usize> = accounts
                .iter()
                .copied()
                .filter(|&i| !matches!(status(i), Some(Status::Disabled | Status::Expired)))
                .collect();
            let candidates: &[usize] = if can_sign_in.is_empty() {
                &accounts
            } else {
                &can_sign_in
            };
            let people: Vec<&(String, Bucket, Status)> =
                candidates.iter().filter_map(|&i| person(i)).collect();
            match people.first() {
                Some(first) if people.iter().all(|p| p.0 == first.0) => {
                    let found = (*first).clone();
                    account_person.insert(id, found);
                }
                Some(_) => {
                    let names: Vec<String> =
                        candidates.iter().map(|&i| dir.key(i).to_string()).collect();
                    shared_ids.insert(id, names);
                }
                None => {}
            }
        }
    }

    let mut usage_out: Option<Usage> = None;
    if let Some(log) = &set.usage {
        // The log names servers and devices by `device_key` (any case, no DNS suffix or
        // DOMAIN\ prefix, an IP address whole); the estate's servers and the inventory's
        // devices are compared by the same key (review 24: PRN01.corp.example in a device
        // export and PRN01 in a log was not the unattended device, and a log's 10.0.0.7 was
        // the estate's server 10.0.0.5, both cut to "10").
        let mut server_ids: HashMap<String, String> = HashMap::new();
        for s in &estate.servers {
            for n in [&s.id, &s.name] {
                if !n.is_empty() {
                    server_ids.insert(device_key(n), s.id.clone());
                }
            }
        }
        let match_server = |name: &str| server_ids.get(&device_key(name)).cloned();
        let unattended: HashSet<String> = set.inventory.as_ref().map_or_else(HashSet::new, |inv| {
            let c = inv.classify(
                opts.classify.today,
                opts.classify.dormancy_days,
                opts.classify.date_order,
            );
            inv.rows
                .iter()
                .zip(&c.statuses)
                .filter(|(_, s)| **s == DeviceStatus::Unattended)
                .map(|(r, _)| device_key(&r.name))
                .collect()
        });
        let mut people: BTreeMap<String, String> = BTreeMap::new();
        let mut devices: BTreeMap<String, bool> = BTreeMap::new();
        let mut links: BTreeSet<(String, String, String, bool)> = BTreeSet::new();
        let mut unmatched: BTreeSet<String> = BTreeSet::new();
        let mut unknown_users: BTreeSet<String> = BTreeSet::new();
        let mut skipped_service = 0u32;
        let rds_hosts: Vec<String> = estate
            .servers
            .iter()
            .filter(|s| s.rds_session_host)
            .map(|s| s.id.clone())
            .collect();
        let rds_host: Option<String> = match rds_hosts.as_slice() {
            [h] => Some(h.clone()),
            _ => None,
        };
        let mut raw: Vec<(String, Option<String>, Option<String>, bool)> = log
            .links
            .iter()
            .map(|&(u, d, s, r)| {
                let dev = (d != NO_DEVICE).then(|| log.name(d).to_string());
                (
                    log.name(u).to_string(),
                    dev,
                    match_server(log.name(s)).or_else(|| {
                        unmatched.insert(log.name(s).to_string());
                        None
                    }),
                    r,
                )
            })
            .collect();
        if !log.rds_per_user.is_empty() {
            // A per-user RDS CAL covers its user on every RD Session Host of the organisation:
            // each user of the report is linked to every session host marked (review 20: with
            // two marked, the note asked to mark one).
            for h in &rds_hosts {
                raw.extend(
                    log.rds_per_user
                        .iter()
                        .map(|&u| (log.name(u).to_string(), None, Some(h.clone()), true)),
                );
            }
            let n = log.rds_per_user.len();
            let cals = if n == 1 {
                "1 per-user RDS CAL".to_string()
            } else {
                format!("{} per-user RDS CALs", crate::position::thousands(n as u64))
            };
            match rds_hosts.len() {
                0 => sum.notes.push(format!(
                    "The RD Licensing report lists {cals}; no server of the estate is marked as an RD Session Host, so they link to none: mark the session hosts to link them."
                )),
                1 => {}
                k => sum.notes.push(format!(
                    "The RD Licensing report lists {cals}; {k} servers are marked as RD Session Hosts ({}): a per-user RDS CAL covers its user on every session host, so each user is linked to all {k} with Remote Desktop. Unmark a server that is not a session host to leave it out.",
                    rds_hosts.join(", ")
                )),
            }
        }
        if !log.rds_per_device.is_empty() {
            // A usage link needs the person at the device (only unattended devices reach a
            // server alone), and a per-device report names devices only: the people come from
            // logon events that name the device (WorkstationName), which then carry the
            // remote-desktop feature themselves.
            let mut names: Vec<&str> = log.rds_per_device.iter().map(|&d| log.name(d)).collect();
            names.sort_unstable();
            sum.rds_devices = names.len() as u32;
            let shown = names.iter().take(5).copied().collect::<Vec<_>>().join(", ");
            let more = if names.len() > 5 { ", …" } else { "" };
            // Reports whose devices the user already made a pool of need no advice to do so.
            let pools: Vec<String> = set
                .rd_device_reports()
                .iter()
                .map(|(f, _)| super::rd_pool::pool_id(f))
                .collect();
            if !pools.is_empty()
                && pools
                    .iter()
                    .all(|id| estate.shared_devices.iter().any(|p| &p.id == id))
            {
                sum.notes.push(format!(
                    "The RD Licensing report lists {} devices with a per-device RDS CAL ({shown}{more}): they are counted in the shared device pool {} added from it.",
                    names.len(),
                    pools.join(", ")
                ));
            } else {
                sum.notes.push(format!(
                "The RD Licensing report lists {} devices with a per-device RDS CAL ({shown}{more}): each reaches {} with Remote Desktop. The report does not say who works at them, so they are not added as usage: add them as a shared device pool used by the groups that work at them (\"Add these {} devices as a shared device pool\" in the import panel, --rd-devices-shared-by on the command line), or import logon events that name the devices.",
                names.len(),
                rds_host.as_deref().map_or("the RD Session Host".to_string(), |h| format!("the RD Session Host {h}")),
                names.len(),
            ));
            }
        }
        let session_hosts: HashSet<&str> = estate
            .servers
            .iter()
            .filter(|s| s.rds_session_host)
            .map(|s| s.id.as_str())
            .collect();
        let mut rdp_elsewhere = 0u32;
        for (user, dev, server, rdp) in raw {
            let Some(server) = server else { continue };
            // Remote Desktop to a server that is not a session host is an administrator's
            // session (no RDS CAL); the link stays, without the feature.
            let rdp = if rdp && !session_hosts.contains(server.as_str()) {
                rdp_elsewhere += 1;
                false
            } else {
                rdp
            };
            let (person, kind) = match account_person.get(&user) {
                Some((_, _, Status::Service | Status::System)) => {
                    skipped_service += 1;
                    continue;
                }
                Some((p, k, Status::Counted)) => (p.clone(), *k),
                // Disabled, expired, left out by you (or dormant): not a person counted.
                Some(_) => continue,
                None => {
                    unknown_users.insert(user.clone());
                    (user.clone(), (PersonKind::Employee, None))
                }
            };
            let device = match dev {
                Some(d) => {
                    devices
                        .entry(d.clone())
                        .or_insert_with(|| unattended.contains(&d));
                    d
                }
                None => {
                    let d = format!("personal:{person}");
                    devices.entry(d.clone()).or_insert(false);
                    d
                }
            };
            people
                .entry(person.clone())
                .or_insert_with(|| bucket_id(kind));
            links.insert((person, device, server, rdp));
        }
        sum.users_not_in_directory = unknown_users.len() as u32;
        let by_shared_id: Vec<String> = unknown_users
            .iter()
            .filter_map(|u| {
                shared_ids
                    .get(u)
                    .map(|names| format!("{u} ({})", names.join(", ")))
            })
            .collect();
        if !by_shared_id.is_empty() {
            sum.notes.push(format!(
                "{} the employee ID of several directory accounts that are not one person: {}{}. A logon by such an ID says nothing about which of them it was, so it matches none of them and counts as a person of its own. Correct the employee IDs in the directory, or have the logs name the account.",
                super::counted(by_shared_id.len(), "usage user", "usage users", "is", "are"),
                by_shared_id.iter().take(5).cloned().collect::<Vec<_>>().join("; "),
                if by_shared_id.len() > 5 { "; …" } else { "" }
            ));
        }
        if !unknown_users.is_empty() {
            match counts
                .iter_mut()
                .find(|(k, _)| *k == (PersonKind::Employee, None))
            {
                Some((_, n)) => *n += unknown_users.len() as u32,
                None => counts.insert(
                    0,
                    ((PersonKind::Employee, None), unknown_users.len() as u32),
                ),
            }
        }
        if rdp_elsewhere > 0 {
            sum.notes.push(format!("{rdp_elsewhere} Remote Desktop logons to servers that are not marked as RD Session Hosts were kept as plain access (administration sessions need no RDS CAL); mark the server as a session host if people work on it."));
        }
        if skipped_service > 0 {
            sum.notes.push(format!("{skipped_service} usage links of service or system accounts left out (servers' own access is exempt)."));
        }
        sum.unmatched_servers = unmatched.into_iter().collect();
        sum.usage_people = people.len() as u32;
        sum.usage_devices = devices.len() as u32;
        sum.usage_links = links.len() as u32;
        usage_out = Some(Usage {
            people: people
                .into_iter()
                .map(|(id, group)| Person { id, group })
                .collect(),
            devices: devices
                .into_iter()
                .map(|(id, unattended)| Device { id, unattended })
                .collect(),
            links: links
                .into_iter()
                .map(|(person, device, server, rdp)| Link {
                    person,
                    device,
                    server,
                    features: UsageLog::features(rdp),
                })
                .collect(),
        });
    }

    // Devices per person from the inventory.
    let dev_class = set.inventory.as_ref().map(|inv| {
        inv.classify(
            opts.classify.today,
            opts.classify.dormancy_days,
            opts.classify.date_order,
        )
    });
    let internal_people: u32 = counts
        .iter()
        .filter(|((k, _), _)| !k.is_external())
        .map(|&(_, n)| n)
        .sum();
    let derived_each = match &dev_class {
        Some(dc) if internal_people > 0 && dc.personal > 0 => {
            ((dc.personal + internal_people / 2) / internal_people).max(1)
        }
        _ => 1,
    };
    // More devices per person than an estate allows is no estate to refuse the import for: the
    // directory export likely covers part of the organisation. Keep within the limit, and say so.
    let devices_each = derived_each.min(MAX_DEVICES_EACH);
    let mut gave_clamped = false;

    // The header of the directory's licences column, empty without one.
    let licences = set
        .directory(opts.classify.combine_directories)
        .map_or("", |d| d.licences_column.as_str());

    // Groups.
    let mut imported_ids: Vec<String> = Vec::new();
    let existed: HashSet<String> = estate.groups.iter().map(|g| g.id.clone()).collect();
    for &(b @ (kind, plan), count) in &counts {
        let id = bucket_id(b);
        imported_ids.push(id.clone());
        match estate.groups.iter_mut().find(|g| g.id == id) {
            Some(g) => {
                g.count = count;
                g.kind = kind;
                sum.groups_updated.push(id);
            }
            None => {
                // People of a group the estate has already (Employees (imported), before the
                // licences column split them by plan, or the other way round) were counted
                // there, and reached what it reaches: the new group takes its place in the
                // access rules and device pools, and its devices each, which the user may have
                // set.
                let sibling = [None, Some(M365Plan::E3), Some(M365Plan::E5)]
                    .into_iter()
                    .filter(|&p| p != plan)
                    .map(|p| bucket_id((kind, p)))
                    .filter(|sib| existed.contains(sib))
                    .find_map(|sib| estate.groups.iter().find(|g| g.id == sib))
                    .map(|g| (g.id.clone(), g.shown_name().to_string(), g.devices_each));
                if sibling.is_none() {
                    gave_clamped |= devices_each < derived_each;
                }
                estate.groups.push(Group {
                    id: id.clone(),
                    name: group_name(kind, plan),
                    count,
                    kind,
                    devices_each: sibling.as_ref().map_or(devices_each, |s| s.2),
                    admin_only: false,
                    m365: plan,
                });
                match &sibling {
                    Some((sib, sib_name, _)) => {
                        let mut rows = 0;
                        for a in estate.access.iter_mut() {
                            if a.groups.contains(sib) {
                                a.groups.push(id.clone());
                                rows += 1;
                            }
                        }
                        for pool in estate.shared_devices.iter_mut() {
                            if pool.shared_by.contains(sib) {
                                pool.shared_by.push(id.clone());
                            }
                        }
                        if count > 0 {
                            let holders =
                                super::counted(count as usize, "person", "people", "holds", "hold");
                            let why = match (plan, licences.is_empty()) {
                                (Some(p), _) => format!(
                                    "by the directory's licences, {holders} Microsoft 365 {p:?}"
                                ),
                                (None, false) => format!(
                                    "by the directory's licences, {holders} no Microsoft 365 E3 or E5"
                                ),
                                (None, true) => format!(
                                    "the directory export gives no licences, so {} counted here",
                                    super::counted(
                                        count as usize,
                                        "person is",
                                        "people are",
                                        "",
                                        ""
                                    )
                                    .trim_end()
                                ),
                            };
                            sum.notes.push(format!(
                                "{}: {why}; they were counted in {sib_name} before, so the new group reaches the servers and uses the device pools {sib_name} does{}.",
                                group_name(kind, plan),
                                if rows == 0 { " (no server yet: say which they use)" } else { "" }
                            ));
                        }
                    }
                    None if !windows_servers.is_empty() => {
                        estate.access.push(Access {
                            groups: vec![id.clone()],
                            servers: windows_servers.clone(),
                            via: None,
                            manual_transfer_only: false,
                            features: Vec::new(),
                        });
                    }
                    None => {}
                }
                sum.groups_created.push(id);
            }
        }
    }
    if !counts.is_empty() {
        for g in estate.groups.iter_mut() {
            if is_imported_group(&g.id) && !imported_ids.contains(&g.id) {
                g.count = 0;
                sum.groups_updated.push(g.id.clone());
            }
        }
        if windows_servers.is_empty() && !sum.groups_created.is_empty() {
            sum.notes.push("The estate has no Windows Server yet: add servers, then say which groups use them.".into());
        }
    }
    // A group's Microsoft 365 mark is the user's to change; where the directory's licences
    // column says otherwise of its people, the summary says so.
    if !licences.is_empty() {
        for &((kind, plan), count) in &counts {
            let Some(g) = estate
                .groups
                .iter()
                .find(|g| g.id == bucket_id((kind, plan)))
            else {
                continue;
            };
            if count == 0 || kind.is_external() || g.m365 == plan {
                continue;
            }
            let held = |p: Option<M365Plan>| match p {
                Some(p) => format!("Microsoft 365 {p:?}"),
                None => "no Microsoft 365 plan".to_string(),
            };
            sum.notes.push(format!(
                "{} is marked as holding {}, but by the directory's “{licences}” column its people hold {}: the mark was left as it is; change it if the directory is right.",
                g.shown_name(),
                held(g.m365),
                match plan {
                    None => "no Microsoft 365 E3 or E5".to_string(),
                    p => held(p),
                }
            ));
        }
    }
    if gave_clamped {
        let personal = dev_class.as_ref().map_or(0, |dc| dc.personal);
        sum.notes.push(format!(
            "{personal} personal devices for {internal_people} people would be {derived_each} devices each, more than the {MAX_DEVICES_EACH} an estate allows: the new groups have {MAX_DEVICES_EACH} each. The directory export may cover only part of the organisation; check the people counted and the devices each."
        ));
    }

    // Shared, unattended and network device pools.
    if let Some(dc) = &dev_class {
        let internal: Vec<String> = counts
            .iter()
            .filter(|((k, _), _)| !k.is_external())
            .map(|&(b, _)| bucket_id(b))
            .collect();
        for pool in [
            ImportedPool::Shared,
            ImportedPool::Printers,
            ImportedPool::Network,
        ] {
            let (id, name, unattended, network) = pool.shape();
            let count = match pool {
                ImportedPool::Shared => dc.shared,
                ImportedPool::Printers => dc.unattended,
                ImportedPool::Network => dc.network,
            };
            if count == 0 && !estate.shared_devices.iter().any(|s| s.id == id) {
                continue;
            }
            // An unattended pool reaches servers of its own; with none in the estate there is
            // nothing for it to reach yet (and the estate would refuse an empty list).
            if unattended
                && windows_servers.is_empty()
                && !estate.shared_devices.iter().any(|s| s.id == id)
            {
                sum.notes.push(format!(
                    "{} not added: the estate has no Windows Server for {} to reach yet. Add the servers and apply the import again.",
                    pool.counted(count),
                    if count == 1 { "it" } else { "them" }
                ));
                continue;
            }
            let group_names: HashMap<&str, String> = internal
                .iter()
                .map(|g| (g.as_str(), estate.group_name(g)))
                .collect();
            match estate.shared_devices.iter_mut().find(|s| s.id == id) {
                // A pool the user turned into the other kind is theirs, count and users too:
                // they said its devices are not what the import read them as. A pool of the
                // import's kind beside it would count the same devices twice and undo that on
                // every re-import, so none is made; the summary says what was not added.
                Some(s) if (s.unattended, s.network) != (unattended, network) => {
                    if count > 0 {
                        let now = if !s.unattended {
                            "is a pool people work at now"
                        } else if s.network {
                            "is marked as network equipment now"
                        } else if network {
                            "is no longer marked as network equipment"
                        } else {
                            "is a pool no one works at now"
                        };
                        sum.notes.push(format!(
                            "{} {now}, so it was left as it is: the {} this import found {} not added. {}",
                            s.shown_name(),
                            pool.found(count),
                            if count == 1 { "was" } else { "were" },
                            pool.advice()
                        ));
                    }
                }
                Some(s) => {
                    if s.count != count {
                        sum.pools_updated.push(s.shown_name().to_string());
                    }
                    s.count = count;
                    // Name the staff on the pool as a new pool would, without undoing what the
                    // user chose: a pool that names nobody never had its users named (made
                    // before the import named them, or by an import that counted no people),
                    // while one that names groups was narrowed or widened by hand or by an
                    // earlier import, so only the groups this import creates, which nobody has
                    // decided on yet, join it. The staff are the people this import counts: an
                    // import of device exports alone names none.
                    // Network equipment is no one's device: its pool names nobody.
                    let named_nobody = s.shared_by.is_empty();
                    let added: Vec<&String> = internal
                        .iter()
                        .filter(|_| !network)
                        .filter(|g| named_nobody || sum.groups_created.contains(g))
                        .filter(|g| !s.shared_by.contains(g))
                        .collect();
                    if !added.is_empty() {
                        if !sum.pools_updated.iter().any(|p| p == s.shown_name()) {
                            sum.pools_updated.push(s.shown_name().to_string());
                        }
                        s.shared_by.extend(added.iter().map(|g| (*g).clone()));
                        sum.notes.push(format!(
                            "{} now names {} as {}: remove those who do not.",
                            s.shown_name(),
                            added
                                .iter()
                                .map(|g| group_names
                                    .get(g.as_str())
                                    .cloned()
                                    .unwrap_or_else(|| (*g).clone()))
                                .collect::<Vec<_>>()
                                .join(", "),
                            if unattended {
                                "people who print or scan with it"
                            } else {
                                "people who work at it"
                            }
                        ));
                    }
                }
                None => {
                    sum.pools_created.push(name.to_string());
                    estate.shared_devices.push(SharedDevices {
                        id: id.into(),
                        name: name.into(),
                        count,
                        // Printers and scanners work for the staff: their User CALs cover them
                        // (cal-rules §1.8 item 8), and the engine pairs each person with the pool.
                        // Network equipment works for no one in particular (the estate refuses
                        // users on it); its reading decides whether it needs Device CALs.
                        shared_by: if network {
                            Vec::new()
                        } else {
                            internal.clone()
                        },
                        unattended,
                        accesses: if unattended {
                            windows_servers.clone()
                        } else {
                            Vec::new()
                        },
                        network,
                    })
                }
            }
        }
    }

    // Exact usage, added to what is there: usage logs add up, whether they come in one import
    // or in several (two servers' logs, two months of one server's). What was used in the period
    // needs its CALs, so an earlier import's people and links stay; a link imported again is
    // the same link and counts once. Only people this import's directory shows to be service or
    // system accounts go (their access never needs a CAL), with their links.
    if let Some(u) = usage_out {
        let cur = estate.usage.get_or_insert_with(Usage::default);
        let not_people: HashSet<String> = cur
            .people
            .iter()
            .filter(|p| {
                is_imported_group(&p.group)
                    && matches!(
                        account_person.get(&p.id.to_ascii_lowercase()),
                        Some((_, _, Status::Service | Status::System))
                    )
            })
            .map(|p| p.id.clone())
            .collect();
        if !not_people.is_empty() {
            cur.people.retain(|p| !not_people.contains(&p.id));
            cur.links.retain(|l| !not_people.contains(&l.person));
            sum.notes.push(format!(
                "{} people of earlier imports are service or system accounts in this directory export: they and their usage were taken out.",
                not_people.len()
            ));
        }
        let earlier_links = cur.links.len();
        for p in u.people {
            match cur.people.iter_mut().find(|q| q.id == p.id) {
                Some(q) => q.group = p.group,
                None => cur.people.push(p),
            }
        }
        for d in u.devices {
            if !cur.devices.iter().any(|e| e.id == d.id) {
                cur.devices.push(d);
            }
        }
        let this_import = u.links.len();
        let mut added = 0usize;
        for l in u.links {
            if !cur.links.contains(&l) {
                cur.links.push(l);
                added += 1;
            }
        }
        if earlier_links > 0 {
            let again = this_import - added;
            sum.notes.push(format!(
                "Usage adds up: the estate's {} kept beside this import's; {}{}.",
                super::counted(
                    earlier_links,
                    "earlier usage link",
                    "earlier usage links",
                    "is",
                    "are"
                ),
                super::counted(added, "link", "links", "is new", "are new"),
                if again > 0 {
                    format!(" and {again} were there already (counted once)")
                } else {
                    String::new()
                }
            ));
        }
    }

    // The usage data's people of earlier imports go where this directory counts them now (a
    // plan assigned since, a kind changed), or they would count in two groups.
    if let (Some(u), Some(_)) = (estate.usage.as_mut(), &class) {
        for p in u.people.iter_mut().filter(|p| is_imported_group(&p.group)) {
            if let Some((_, b, Status::Counted)) = account_person.get(&p.id.to_ascii_lowercase()) {
                p.group = bucket_id(*b);
            }
        }
    }

    // A group cannot count fewer people than the usage data lists by name in it (a directory
    // read again with fewer accounts, and no usage file this time).
    if let Some(u) = &estate.usage {
        for g in estate.groups.iter_mut() {
            let listed = u.people.iter().filter(|p| p.group == g.id).count() as u32;
            if listed > g.count {
                sum.notes.push(format!(
                    "{}: {listed} people of this group are listed in the usage data, so it counts {listed}, not {}.",
                    g.name, g.count
                ));
                g.count = listed;
            }
        }
    }

    // Holdings.
    if let Some(st) = &set.statement {
        merge_holdings(estate, st, opts, &mut sum);
        merge_seats(estate, st, &mut sum);
        sum.notes.extend(st.contradiction_notes(
            opts.classify.date_order,
            opts.classify.today,
            "",
            true,
        ));
    }
    // Seats are what was bought (a licence statement says), assignments who holds them: more
    // people holding a plan than seats entered is worth a word, not a change of the count.
    for plan in [M365Plan::E3, M365Plan::E5] {
        let assigned: u32 = counts
            .iter()
            .filter(|((_, p), _)| *p == Some(plan))
            .map(|&(_, n)| n)
            .sum();
        let m365 = &estate.organisation.m365;
        let seats = match plan {
            M365Plan::E3 => m365.e3_seats,
            M365Plan::E5 => m365.e5_seats,
        };
        if seats == 0 && assigned > 0 {
            sum.notes.push(format!(
                "Microsoft 365 {plan:?}: no seat count is entered, so {} taken as holding {}. Enter the seats bought (or import the licence statement) to check the assignments against them.",
                super::counted(
                    assigned as usize,
                    "person the directory's licences give it to is",
                    "people the directory's licences give it to are",
                    "",
                    ""
                )
                .trim_end(),
                if assigned == 1 { "one" } else { "a seat each" }
            ));
        } else if seats > 0 && assigned > seats {
            let short = assigned - seats;
            sum.notes.push(format!(
                "Microsoft 365 {plan:?}: the directory's licences give it to {} people, more than the {} {} entered, so at least {} of the people marked with it {} counted without its CAL rights. If more seats are held now, enter them (or import the licence statement or the tenant's subscriptions).",
                crate::position::thousands(u64::from(assigned)),
                crate::position::thousands(u64::from(seats)),
                if seats == 1 { "seat" } else { "seats" },
                crate::position::thousands(u64::from(short)),
                if short == 1 { "is" } else { "are" },
            ));
        }
    }
    sum
}

/// The statement is the record of the Microsoft 365 plans it lists, as of the licences: each sets
/// the estate's seat count of its plan (so importing it again changes nothing). The groups that
/// hold the seats are the user's to mark; the summary says when none is.
fn merge_seats(estate: &mut Estate, st: &Statement, sum: &mut ApplySummary) {
    for plan in [M365Plan::E3, M365Plan::E5] {
        let Some(total) = st.seats_of(plan) else {
            continue;
        };
        let m365 = &mut estate.organisation.m365;
        let seats = match plan {
            M365Plan::E3 => &mut m365.e3_seats,
            M365Plan::E5 => &mut m365.e5_seats,
        };
        let Some(n) = u32::try_from(total).ok().filter(|&n| n <= MAX_COUNT) else {
            sum.notes.push(format!(
                "Microsoft 365 {plan:?}: the statement's lines add up to {total} seats, more than {MAX_COUNT}: the seat count was left at {seats}."
            ));
            continue;
        };
        let was = std::mem::replace(seats, n);
        let before = match was {
            w if w == n => " (as before)".to_string(),
            0 => {
                " (none were entered: the groups marked with it were taken as holding a seat each)"
                    .to_string()
            }
            w => format!(" (was {w})"),
        };
        let marked = estate.groups.iter().any(|g| g.m365 == Some(plan));
        let (tenant, record) = st.tenant_seats(plan);
        let source = if tenant {
            "the tenant's subscriptions"
        } else {
            "the licence statement"
        };
        let record = record.map_or_else(String::new, |r| {
            format!(
                " The statement's purchase lines of it ({} {}) are not added: the tenant's units are the seats held now, whichever channel sold them.",
                crate::position::thousands(r),
                if r == 1 { "seat" } else { "seats" }
            )
        });
        sum.notes.push(format!(
            "Microsoft 365 {plan:?}: {n} seats from {source}{before}.{record}{}",
            if marked {
                String::new()
            } else {
                format!(" No group is marked as holding {plan:?}: mark the groups whose people hold the seats, or they count as unused.")
            }
        ));
    }
}

fn merge_holdings(
    estate: &mut Estate,
    st: &Statement,
    opts: &ApplyOptions,
    sum: &mut ApplySummary,
) {
    // Several rows of one product, kind and version (several agreements) add up.
    let mut merged: Vec<crate::estate::Holding> = Vec::new();
    let read = st.holdings_read(opts.classify.date_order, opts.classify.today);
    // The lots without SA whose rows all say nothing of SA (no SA column, date or text): the
    // estate's SA for them, entered by hand, is kept.
    let key = |h: &crate::estate::Holding| (h.product, h.kind, h.version.clone());
    let silent_keys: Vec<_> = read
        .iter()
        .filter(|(h, silent)| h.software_assurance.is_none() && *silent)
        .map(|(h, _)| key(h))
        .filter(|k| {
            !read
                .iter()
                .any(|(h, silent)| h.software_assurance.is_none() && !silent && key(h) == *k)
        })
        .collect();
    let silent = |h: &crate::estate::Holding| {
        h.software_assurance.is_none() && silent_keys.contains(&key(h))
    };
    for (h, _) in read.iter().cloned() {
        match merged.iter_mut().find(|m| {
            m.product == h.product
                && m.kind == h.kind
                && m.version == h.version
                && m.software_assurance == h.software_assurance
        }) {
            // A sum above the estate's largest count stays a lot of its own.
            Some(m) if m.quantity.saturating_add(h.quantity) <= crate::estate::MAX_COUNT => {
                m.quantity += h.quantity
            }
            _ => merged.push(h),
        }
    }
    // Software Assurance renewal lines are no licences: each extends the SA of the statement's
    // lots it continues, then of the estate's own (below), as far as its quantity goes.
    let (order, today) = (opts.classify.date_order, opts.classify.today);
    let renewals = st.renewal_holdings(order, today);
    let mut carried: Vec<Carried> = renewals
        .iter()
        .map(|(_, r)| Carried {
            left: r.quantity,
            ..Carried::default()
        })
        .collect();
    for ((_, r), c) in renewals.iter().zip(carried.iter_mut()) {
        carry_renewal(&mut merged, |_| true, r, c);
    }
    // A lot split by a renewal may now be the same as another.
    let mut i = 0;
    while i < merged.len() {
        let twin = (0..i).find(|&j| {
            let (a, b) = (&merged[j], &merged[i]);
            a.product == b.product
                && a.kind == b.kind
                && a.version == b.version
                && a.software_assurance == b.software_assurance
                && a.quantity.saturating_add(b.quantity) <= MAX_COUNT
        });
        match twin {
            Some(j) => {
                let q = merged.remove(i).quantity;
                merged[j].quantity += q;
            }
            None => i += 1,
        }
    }
    // The statement is the record of the products, kinds and versions it lists: it replaces
    // what the estate held of each (so importing it again changes nothing), keeping its lots
    // with different Software Assurance apart. Replacing one holding at a time, found by
    // product, kind and version only, let a second lot overwrite the first (20 suites with SA
    // and 5 without became 5 or 20, by row order).
    let same = |a: &crate::estate::Holding, b: &crate::estate::Holding| {
        a.product == b.product && a.kind == b.kind && a.version == b.version
    };
    let mut claimed = vec![false; estate.holdings.len()];
    let mut sa_kept = 0u32;
    for h in &merged {
        // The statement says nothing of hosts: its quantity goes to the estate's lots assigned
        // to one first (those with the same SA first), each keeping its host as far as the
        // quantity covers it (connectors of two hosts stay two: keeping only the first host
        // put both on it), and the rest to one lot without a host.
        // So do the estate's lots with SA when the statement says nothing of SA: each keeps its
        // SA as far as the quantity covers it (a re-import wiped SA entered by hand).
        let silent = silent(h);
        let keeps = |e: &crate::estate::Holding| {
            e.assigned_to.is_some() || (silent && e.software_assurance.is_some())
        };
        let mut left = h.quantity;
        let mut lots: Vec<(usize, u32)> = Vec::new();
        for i in slots(&estate.holdings, &claimed, h, true, keeps) {
            if left == 0 {
                break;
            }
            let take = left.min(estate.holdings[i].quantity);
            if take > 0 {
                lots.push((i, take));
                claimed[i] = true;
                left -= take;
            }
        }
        if left > 0 || lots.is_empty() {
            match slots(&estate.holdings, &claimed, h, false, keeps).first() {
                Some(&i) => {
                    lots.push((i, left));
                    claimed[i] = true;
                }
                None => {
                    estate.holdings.push(crate::estate::Holding {
                        quantity: left,
                        assigned_to: None,
                        ..h.clone()
                    });
                    claimed.push(true);
                    sum.holdings_added += 1;
                }
            }
        }
        for (i, quantity) in lots {
            let assigned = estate.holdings[i].assigned_to.take();
            let sa = if silent {
                estate.holdings[i].software_assurance.take()
            } else {
                h.software_assurance.clone()
            };
            if silent && sa.is_some() {
                sa_kept += 1;
            }
            estate.holdings[i] = crate::estate::Holding {
                quantity,
                assigned_to: assigned,
                software_assurance: sa,
                ..h.clone()
            };
            sum.holdings_updated += 1;
        }
    }
    // Older lots of the listed licences that the statement no longer has.
    let mut i = 0;
    estate.holdings.retain(|e| {
        let keep = claimed[i] || !merged.iter().any(|h| same(e, h));
        i += 1;
        if !keep {
            sum.holdings_removed += 1;
        }
        keep
    });
    if sa_kept > 0 {
        sum.notes.push(format!(
            "The statement says nothing of Software Assurance for {}: the SA the estate had for {} was kept (a statement without SA does not say there is none). Check it against the agreement.",
            if sa_kept == 1 { "a lot it lists".to_string() } else { format!("{sa_kept} lots it lists") },
            if sa_kept == 1 { "it" } else { "them" }
        ));
    }
    // What the statement's lots could not carry goes to the estate's own lots (those of
    // licences the statement does not list).
    for ((_, r), c) in renewals.iter().zip(carried.iter_mut()) {
        if c.left > 0 {
            carry_renewal(
                &mut estate.holdings,
                |h| !merged.iter().any(|m| same(h, m)),
                r,
                c,
            );
        }
    }
    for ((row, r), c) in renewals.iter().zip(&carried) {
        sum.notes.push(renewal_note(row, r, c));
    }
}

/// The estate's lots of `h`'s product, kind and version not yet claimed by the statement, with
/// something of their own to keep (`keeping`: a host, or SA the statement says nothing of, as
/// `keeps` says) or without, those with `h`'s Software Assurance first.
fn slots(
    holdings: &[crate::estate::Holding],
    claimed: &[bool],
    h: &crate::estate::Holding,
    keeping: bool,
    keeps: impl Fn(&crate::estate::Holding) -> bool + Copy,
) -> Vec<usize> {
    let of = |want_sa: bool| {
        (0..claimed.len()).filter(move |&i| {
            let e = &holdings[i];
            !claimed[i]
                && e.product == h.product
                && e.kind == h.kind
                && e.version == h.version
                && keeps(e) == keeping
                && (e.software_assurance == h.software_assurance) == want_sa
        })
    };
    of(true).chain(of(false)).collect()
}

/// What a Software Assurance renewal line did: licences whose SA it extended, licences whose SA
/// already ran as long, and what is left of its quantity.
#[derive(Debug, Default)]
struct Carried {
    left: u32,
    extended: u32,
    covered: u32,
}

/// Extends with renewal `r` (a Software Assurance renewal line read as a holding) the SA of the
/// lots of its product and kind among `lots` that `eligible` allows, as far as `c.left` goes:
/// first the lots whose SA already runs as long (nothing to change), then those whose SA it
/// continues without a gap (it starts no later than the day after their SA ends), a lot larger
/// than what is left split in two. A lot without SA is never given it: SA is bought with the
/// licence, and a renewal after a gap is not a renewal.
fn carry_renewal(
    lots: &mut Vec<crate::estate::Holding>,
    eligible: impl Fn(&crate::estate::Holding) -> bool,
    r: &crate::estate::Holding,
    c: &mut Carried,
) {
    let Some(rsa) = r.software_assurance.clone() else {
        return;
    };
    let fits = |h: &crate::estate::Holding| {
        eligible(h) && h.product == r.product && h.kind == r.kind && h.quantity > 0
    };
    let covers = |sa: &crate::estate::SoftwareAssurance| match (sa.until, rsa.until) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(a), Some(b)) => a >= b,
    };
    for h in lots.iter() {
        if c.left > 0 && fits(h) && h.software_assurance.as_ref().is_some_and(covers) {
            let take = c.left.min(h.quantity);
            c.left -= take;
            c.covered += take;
        }
    }
    for i in 0..lots.len() {
        if c.left == 0 {
            break;
        }
        let h = &lots[i];
        let Some(sa) = h.software_assurance.as_ref().filter(|_| fits(h)) else {
            continue;
        };
        let Some(end) = sa.until.filter(|_| !covers(sa)) else {
            continue;
        };
        if super::dates::to_days(rsa.since) > super::dates::to_days(end) + 1 {
            continue;
        }
        let longer = crate::estate::SoftwareAssurance {
            since: sa.since,
            until: rsa.until,
        };
        let take = c.left.min(h.quantity);
        if take < h.quantity {
            let mut part = lots[i].clone();
            lots[i].quantity -= take;
            part.quantity = take;
            part.software_assurance = Some(longer);
            lots.push(part);
        } else {
            lots[i].software_assurance = Some(longer);
        }
        c.left -= take;
        c.extended += take;
    }
}

/// The summary's note on a Software Assurance renewal line: what it extended, and what of it was
/// left out, and why.
fn renewal_note(
    row: &super::licences::HoldingRow,
    r: &crate::estate::Holding,
    c: &Carried,
) -> String {
    let place = if row.file.is_empty() {
        row.unit.at_start(row.line)
    } else {
        format!("{} of {}", row.unit.at_start(row.line), row.file)
    };
    let what = format!(
        "{} {}s",
        crate::catalog::short_name(r.product),
        crate::catalog::kind_label(r.kind)
    );
    let until = match r.software_assurance.as_ref().map(|s| s.until) {
        Some(Some(u)) => format!("until {u}"),
        Some(None) => "with no end date".to_string(),
        None => String::new(),
    };
    let mut done = Vec::new();
    if c.extended > 0 {
        done.push(format!(
            "it extends the SA of {} {what} {until}",
            c.extended
        ));
    }
    if c.covered > 0 {
        done.push(format!("{} {what} already had SA as long", c.covered));
    }
    let mut note = format!(
        "{place} (`{}`) is a Software Assurance renewal only, not a licence: its quantity, {}, is not counted as licences",
        row.description, r.quantity
    );
    if !done.is_empty() {
        note.push_str(&format!("; {}", done.join(", and ")));
    }
    if c.left > 0 {
        let why = match &r.software_assurance {
            None => "it states no SA period".to_string(),
            Some(sa) => format!(
                "no lot of {what} in the statement or the estate has SA that it continues without a gap (SA ending no earlier than the day before {}, its start)",
                sa.since
            ),
        };
        note.push_str(&format!(
            "; {} of them {} left out, as {why}. Enter the SA of the licences it renews by hand if the statement lists them elsewhere",
            c.left,
            if c.left == 1 { "is" } else { "are" }
        ));
    }
    note.push('.');
    note
}

/// The device pools an import makes from a device export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ImportedPool {
    /// Client devices without a primary user.
    Shared,
    /// Printers, scanners and other devices no one works at.
    Printers,
    /// Switches, routers, access points and firewalls.
    Network,
}

impl ImportedPool {
    /// The pool's id, name, and whether it is unattended and network equipment.
    fn shape(self) -> (&'static str, &'static str, bool, bool) {
        match self {
            Self::Shared => (
                "imported-shared-devices",
                "Shared devices (imported)",
                false,
                false,
            ),
            Self::Printers => (
                "imported-unattended-devices",
                "Printers and scanners (imported)",
                true,
                false,
            ),
            Self::Network => (
                "imported-network-devices",
                "Network equipment (imported)",
                true,
                true,
            ),
        }
    }

    /// "printer or scanner", "3 printers and scanners": the devices found, after "the".
    fn found(self, count: u32) -> String {
        let n = crate::position::thousands(u64::from(count));
        match (self, count) {
            (Self::Shared, 1) => "shared device without a primary user".into(),
            (Self::Shared, _) => format!("{n} shared devices without a primary user"),
            (Self::Printers, 1) => "printer or scanner".into(),
            (Self::Printers, _) => format!("{n} printers and scanners"),
            (Self::Network, 1) => "piece of network equipment".into(),
            (Self::Network, _) => format!("{n} pieces of network equipment"),
        }
    }

    /// "1 printer or scanner was", "3 printers and scanners were": the devices found, counted.
    fn counted(self, count: u32) -> String {
        if count == 1 {
            format!("1 {} was", self.found(1))
        } else {
            format!("{} were", self.found(count))
        }
    }

    /// What to do when the import's pool of this kind was made into another kind.
    fn advice(self) -> &'static str {
        match self {
            Self::Shared => "If people work at them, add a shared device pool for them.",
            Self::Printers => {
                "If they are printers or scanners, add a pool no one works at for them."
            }
            Self::Network => "If they are network equipment, add a pool no one works at for them and mark it as network equipment.",
        }
    }
}
