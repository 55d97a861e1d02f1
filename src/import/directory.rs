//! Directory accounts (Active Directory, Entra ID) and their classification into licensable
//! people, with a reason per account and a funnel of counts.
//!
//! Rules followed (cal-rules.md §1.2, §1.6, §1.8, §4.2):
//! - the starting population is every enabled, non-expired account: auditors count all of them
//!   unless the organisation shows otherwise;
//! - servers' own accounts and system accounts are not people (service accounts are recognised by
//!   name patterns `svc_`, `sa-`, `sql`, `backup`, a trailing `$`, `PasswordNeverExpires`,
//!   `servicePrincipalName`, an `OU=Service Accounts`);
//! - dormancy (no logon for 90 days by default) is a *defence argument*, not a licence rule; AD's
//!   `lastLogonTimestamp` lags by up to 14 days, so accounts within 14 days of the cut-off are kept
//!   ("near the line");
//! - a User CAL licenses a physical person, not an account (Microsoft's "John Smith" example):
//!   accounts sharing an employeeID or mail, and admin accounts (`adm-jsmith`, `jsmith-a`), collapse
//!   onto one person; display names alone do not (two people may share one); different employee
//!   IDs are different people, whatever mail they share (§4.2 item 4 joins on employeeID first);
//!   shared and resource mailboxes are named as such: their users need the CALs (§4.2 item 4);
//! - internal (employees, onsite contractors) versus external (offsite contractors, partners,
//!   customers, `#EXT#` guests) from employeeType, OU, company and UPN suffix.

use super::columns::Field;
use super::dates::{self, DateOrder, OrderEvidence, RawDate};
use super::Row;
use crate::estate::{Date, M365Plan, PersonKind};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// A string in the directory's text arena.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sp(u32, u32);

/// One account as read from the file (strings live in [`Directory`]'s arena).
#[derive(Debug, Clone, Default)]
pub struct Account {
    /// Line of the file where the account's row starts.
    pub line: u32,
    name: Sp,
    upn: Sp,
    display: Sp,
    mail: Sp,
    employee_id: Sp,
    employee_type: Sp,
    company: Sp,
    /// The OU part of the distinguished name (`OU=Staff,OU=London`).
    ou: Sp,
    /// A hash of the whole distinguished name in lower case (0: none), which tells apart two
    /// accounts of one sAMAccountName in different domains.
    dn: u64,
    /// Exchange's RecipientTypeDetails when it names a mailbox that is no person's
    /// (`SharedMailbox`, `RoomMailbox`, `EquipmentMailbox`); empty otherwise.
    mailbox: Sp,
    pub enabled: Option<bool>,
    /// The Microsoft 365 plan its assigned licences give it (E5 over E3), when the export has
    /// a licences column ([`super::licences::assigned_plan`]).
    pub plan: Option<M365Plan>,
    pub expires: RawDate,
    pub last_logon: RawDate,
    pub created: RawDate,
    flags: u8,
    /// Which export of a combined directory the account comes from (index into `parts`).
    part: u16,
}

impl Account {
    /// The same account with its strings moved `by` bytes on in the text arena.
    fn shifted(&self, by: u32, part: u16) -> Account {
        let sh = |sp: Sp| Sp(sp.0 + by, sp.1 + by);
        Account {
            name: sh(self.name),
            upn: sh(self.upn),
            display: sh(self.display),
            mail: sh(self.mail),
            employee_id: sh(self.employee_id),
            employee_type: sh(self.employee_type),
            company: sh(self.company),
            ou: sh(self.ou),
            mailbox: sh(self.mailbox),
            part,
            ..self.clone()
        }
    }
}

/// One export of a combined directory, with what was learnt of its columns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Part {
    pub file: String,
    /// What its rows' numbers count: lines, or a JSON file's objects.
    pub unit: super::RowUnit,
    pub has_last_logon: bool,
    /// Its last-logon column is empty on every row (so, as without one, dormancy is not
    /// judged).
    pub logon_empty: bool,
    /// Whether it has an Enabled (or userAccountControl) column.
    pub has_enabled: bool,
    /// The headers of those columns, quoted ([`Directory::enabled_columns`]).
    pub enabled_columns: String,
    pub lagging_logon: bool,
    /// Day-month order evidence of this export's dates (an AD export may write 3/4/2025 US-style
    /// while an Entra export of the same organisation writes it day first).
    pub evidence: OrderEvidence,
}

/// ASCII lower case, borrowed when already lower case (most names are): no allocation per account.
fn lower(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(s.to_ascii_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// Whether `hay` contains the lower-case ASCII `needle`, ignoring ASCII case.
fn contains_ci(hay: &str, needle: &str) -> bool {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    n.is_empty() || h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

fn starts_ci(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len() && s.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

fn ends_ci(s: &str, suffix: &str) -> bool {
    s.len() >= suffix.len()
        && s.as_bytes()[s.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
}

/// FxHash (the hasher of rustc): the maps below are keyed by names from the user's own file, so
/// SipHash's protection against crafted collisions buys nothing here, and it cost most of the
/// classification time of a million accounts in WebAssembly.
#[derive(Default, Clone, Copy)]
struct Fx(u64);

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
    }
    fn write_u8(&mut self, b: u8) {
        self.add(b as u64);
    }
    fn write_u32(&mut self, v: u32) {
        self.add(v as u64);
    }
    fn write_u64(&mut self, v: u64) {
        self.add(v);
    }
    fn write_usize(&mut self, v: usize) {
        self.add(v as u64);
    }
    /// FxHash's multiply leaves the low bits (which pick the bucket) weakly mixed when keys end
    /// alike (`…@example.com`); the MurmurHash3 finaliser spreads every bit.
    fn finish(&self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

impl Fx {
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;
type FxSet<K> = HashSet<K, BuildHasherDefault<Fx>>;

const F_PWD_NEVER: u8 = 1;
const F_SPN: u8 = 2;
const F_GUEST: u8 = 4;
const F_MACHINE: u8 = 8;
/// The last-logon value is not a date.
const F_LOGON_BAD: u8 = 16;
/// A guest because its userType says `Guest` (or `Invitation`, `F_INVITED`), not because of a
/// `#EXT#` UPN: the reason names what the file showed.
const F_GUEST_TYPE: u8 = 32;
const F_INVITED: u8 = 64;

/// Accounts read from one directory export.
#[derive(Debug, Clone, Default)]
pub struct Directory {
    /// Text of every account, back to back (checked once as it is stored, so reading a name
    /// back costs no UTF-8 check).
    text: String,
    pub accounts: Vec<Account>,
    /// Day-month order evidence from the date columns.
    pub evidence: OrderEvidence,
    /// Whether the file has a last-logon column with a value on some row (without one,
    /// dormancy cannot be judged).
    pub has_last_logon: bool,
    /// The last-logon column is empty on every row: it says nothing of logons, so it counts as
    /// none (import review: every account came out "dormant: never logged on").
    pub logon_empty: bool,
    /// The header of the last-logon column read.
    pub logon_column: String,
    /// Cells of the last-logon column with a value, of the rows read.
    logon_values: u32,
    /// The other last-logon columns of the export, read while the one mapped has been empty on
    /// every row so far (see [`Directory::settle_logon_column`]).
    pub(crate) spare_logons: Vec<SpareLogon>,
    /// Whether the file has an Enabled or userAccountControl column (without one, nothing says
    /// an account can sign in, nor that it cannot).
    pub has_enabled: bool,
    /// The headers of the columns that give the sign-in state, quoted (“Block sign in”, or
    /// “Enabled” and “userAccountControl”): named in the reason of an account whose cells there
    /// are blank.
    pub enabled_columns: String,
    /// Accounts whose last-logon value could not be read (they are counted).
    pub unreadable_logons: u32,
    /// `lastLogonTimestamp` lags by up to 14 days (AD); Entra sign-in times do not.
    pub lagging_logon: bool,
    /// The last-logon column is AD's `lastLogon`, which each domain controller keeps for the
    /// logons it handled and does not replicate: the file's notes say so.
    pub per_dc_logon: bool,
    /// The enabled column says "block sign-in" (Entra): true means disabled.
    pub enabled_inverted: bool,
    /// The header of the column of assigned licences read (the admin centre's “Licenses”),
    /// empty without one: with one, the file says who holds Microsoft 365 E3 or E5.
    pub licences_column: String,
    /// The file it was read from.
    pub file: String,
    /// What the accounts' `line` counts: lines, or a JSON file's objects.
    pub unit: super::RowUnit,
    /// When several exports are counted together (domains of one organisation): each export,
    /// in the order appended; empty for a single export.
    pub parts: Vec<Part>,
}

/// Another last-logon column of an export (`LastLogonDate` beside `lastLogonTimestamp`) and its
/// values for the accounts read, kept only while the column mapped holds nothing.
#[derive(Debug, Clone, Default)]
pub(crate) struct SpareLogon {
    column: usize,
    header: String,
    values: Vec<RawDate>,
    evidence: OrderEvidence,
    filled: u32,
}

impl SpareLogon {
    pub(crate) fn new(column: usize, header: &str) -> SpareLogon {
        SpareLogon {
            column,
            header: header.to_string(),
            ..Default::default()
        }
    }
}

/// The largest text arena: string positions are `u32`.
const MAX_TEXT: usize = (u32::MAX as usize) - (1 << 20);

/// Where the first `,KEY=` component (key case-insensitive) of a distinguished name starts.
fn component(dn: &[u8], key: &[u8; 2]) -> Option<usize> {
    memchr::memchr_iter(b',', dn).find(|&i| {
        dn.get(i + 1..i + 4)
            .is_some_and(|w| w[..2].eq_ignore_ascii_case(key) && w[2] == b'=')
    })
}

/// The OU part of a distinguished name: from the first `,OU=` to the first `,DC=`.
fn ou_part(dn: &str) -> &str {
    let b = dn.as_bytes();
    let Some(start) = component(b, b"OU") else {
        return "";
    };
    let end = component(&b[start..], b"DC").map_or(dn.len(), |e| start + e);
    dn.get(start + 1..end).unwrap_or_default()
}

impl Directory {
    pub fn new(lagging_logon: bool) -> Self {
        Directory {
            lagging_logon,
            ..Default::default()
        }
    }

    /// This export as the part of a combined directory.
    fn as_part(&self) -> Part {
        Part {
            file: self.file.clone(),
            unit: self.unit,
            has_last_logon: self.has_last_logon,
            logon_empty: self.logon_empty,
            has_enabled: self.has_enabled,
            enabled_columns: self.enabled_columns.clone(),
            lagging_logon: self.lagging_logon,
            evidence: self.evidence,
        }
    }

    /// Adds the accounts of another export (another domain of the same organisation) to this
    /// one. People with accounts in both are merged as within one export (employee ID, e-mail);
    /// dormancy is judged with each export's own columns. `Err` when the names would not fit.
    pub fn append(&mut self, other: &Directory) -> Result<(), String> {
        if self.text.len() + other.text.len() > MAX_TEXT {
            return Err("the directory exports together hold over 4 GB of names".into());
        }
        let other_parts = if other.parts.is_empty() {
            vec![other.as_part()]
        } else {
            other.parts.clone()
        };
        if self.parts.is_empty() {
            self.parts.push(self.as_part());
        }
        if self.parts.len() + other_parts.len() > usize::from(u16::MAX) {
            return Err("too many directory exports to count together".into());
        }
        let base = self.parts.len() as u16;
        self.parts.extend(other_parts);
        let by = self.text.len() as u32;
        self.text.push_str(&other.text);
        self.accounts
            .extend(other.accounts.iter().map(|a| a.shifted(by, base + a.part)));
        self.evidence.merge(other.evidence);
        self.has_last_logon |= other.has_last_logon;
        self.has_enabled |= other.has_enabled;
        if self.licences_column.is_empty() {
            self.licences_column = other.licences_column.clone();
        }
        self.unreadable_logons += other.unreadable_logons;
        self.lagging_logon |= other.lagging_logon;
        Ok(())
    }

    /// The exports it holds (file names), in the order read.
    pub fn files(&self) -> Vec<String> {
        if self.parts.is_empty() {
            vec![self.file.clone()]
        } else {
            self.parts.iter().map(|p| p.file.clone()).collect()
        }
    }

    /// The export account `i` was read from (its file name).
    pub fn file_of(&self, i: usize) -> &str {
        let part = self.accounts.get(i).map_or(0, |a| usize::from(a.part));
        self.parts
            .get(part)
            .map_or(self.file.as_str(), |p| p.file.as_str())
    }

    /// What the `line` of account `i` counts: a line of its export, or an object of a JSON one.
    pub fn unit_of(&self, i: usize) -> super::RowUnit {
        let part = self.accounts.get(i).map_or(0, |a| usize::from(a.part));
        self.parts.get(part).map_or(self.unit, |p| p.unit)
    }

    /// The day-month order of each export (one entry for a single export) under `forced`, and
    /// whether any was assumed (its slash dates do not decide it), with a note for each export
    /// read day first because month first would put logons after `today` (see
    /// [`Directory::future_if_month_first`]).
    fn orders(
        &self,
        forced: Option<DateOrder>,
        today: Date,
    ) -> (Vec<DateOrder>, bool, Vec<String>) {
        let mut notes = Vec::new();
        let mut one = |e: &OrderEvidence, part: Option<u16>| {
            let decided = e.decided();
            // Values that contradict each other (some prove day first, others month first):
            // the order most of them prove, month first when as many prove each; a note names
            // the last logons that are no date in it ([`Directory::impossible_dates_notes`]).
            if forced.is_none() && e.day_first > 0 && e.month_first > 0 {
                let o = if e.day_first > e.month_first {
                    DateOrder::DayFirst
                } else {
                    DateOrder::MonthFirst
                };
                return (o, false);
            }
            let undecided = forced.is_none() && decided.is_none() && e.slash_values > 0;
            // Undecided because no part is above 12 (not because parts contradict each other).
            if undecided && e.day_first == 0 && e.month_first == 0 {
                if let Some(note) = self.future_if_month_first(part, today) {
                    notes.push(note);
                    return (DateOrder::DayFirst, false);
                }
            }
            (
                forced.or(decided).unwrap_or(DateOrder::MonthFirst),
                undecided,
            )
        };
        if self.parts.is_empty() {
            let (o, assumed) = one(&self.evidence, None);
            return (vec![o], assumed, notes);
        }
        let all: Vec<_> = self
            .parts
            .iter()
            .enumerate()
            .map(|(i, p)| one(&p.evidence, Some(i as u16)))
            .collect();
        let assumed = all.iter().any(|&(_, a)| a);
        (all.into_iter().map(|(o, _)| o).collect(), assumed, notes)
    }

    /// The notes on last logons that are no date in the day-month order read (`orders`, one per
    /// export; `forced` when the user chose it): `20/12/2025` read month first. Such an account
    /// is counted as one whose last logon is unreadable, never taken as never having signed in
    /// (import review: it came out "dormant: never logged on"). For an export whose values
    /// contradict each other, the note says so and which order most of them prove.
    fn impossible_dates_notes(
        &self,
        orders: &[DateOrder],
        forced: Option<DateOrder>,
    ) -> Vec<String> {
        let mut notes = Vec::new();
        let parts = self.parts.len().max(1);
        for part in 0..parts {
            let order = orders.get(part).copied().unwrap_or(DateOrder::MonthFirst);
            let (evidence, file) = match self.parts.get(part) {
                Some(p) => (p.evidence, p.file.as_str()),
                None => (self.evidence, self.file.as_str()),
            };
            let shown = |i: usize, d: RawDate| match d {
                RawDate::Slash { a, b, year } => format!("{} {a:02}/{b:02}/{year}", self.key(i)),
                _ => self.key(i).to_string(),
            };
            let impossible: Vec<String> = self
                .accounts
                .iter()
                .enumerate()
                .filter(|(_, a)| usize::from(a.part) == part && no_date_in(a.last_logon, order))
                .map(|(i, a)| shown(i, a.last_logon))
                .collect();
            let contradicted =
                forced.is_none() && evidence.day_first > 0 && evidence.month_first > 0;
            if impossible.is_empty() && !contradicted {
                continue;
            }
            let of = if file.is_empty() {
                String::new()
            } else {
                format!(" of {file}")
            };
            let (name, other, flag) = match order {
                DateOrder::DayFirst => ("day first", "month first (US)", "month-first"),
                DateOrder::MonthFirst => ("month first (US)", "day first", "day-first"),
            };
            let list = format!(
                "{}{}",
                impossible
                    .iter()
                    .take(3)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", "),
                if impossible.len() > 3 { ", …" } else { "" }
            );
            let unread = match impossible.len() {
                0 => String::new(),
                1 => format!(" 1 last logon is no date in that order ({list}): that account is counted (last logon unreadable), not taken as never having signed in."),
                n => format!(" {} last logons are no date in that order ({list}): those accounts are counted (last logon unreadable), not taken as never having signed in.", crate::position::thousands(n as u64)),
            };
            let why = if contradicted {
                let dates = |k: u32| super::counted(k as usize, "date", "dates", "has", "have");
                format!(
                    "The dates{of} contradict each other: {} a first part above 12, so day first, and {} a second part above 12, so month first. They are read {name}, {}.",
                    dates(evidence.day_first),
                    dates(evidence.month_first),
                    if evidence.day_first == evidence.month_first {
                        "the default when as many say one as the other"
                    } else {
                        "as most of them say"
                    }
                )
            } else {
                format!("The dates{of} are read {name}, as chosen.")
            };
            notes.push(format!(
                "{why}{unread} If the file's dates are {other}, choose that order (in the app, “Dates like 3/4/2025 are”; on the command line, --date-order {flag})."
            ));
        }
        notes
    }

    /// When read month first (the default when no part is above 12) some last logons or creation
    /// dates of an export (`part`; `None`: the whole directory) fall after `today`, the date of
    /// the count, and read day first none does: the note that says it is read day first, naming
    /// a few. An account cannot have signed in (or been created) after the export was made.
    fn future_if_month_first(&self, part: Option<u16>, today: Date) -> Option<String> {
        let mut future: Vec<(usize, RawDate)> = Vec::new();
        let mut future_anyway = false;
        for (i, a) in self.accounts.iter().enumerate() {
            if part.is_some_and(|p| p != a.part) {
                continue;
            }
            for d in [a.last_logon, a.created] {
                if !matches!(d, RawDate::Slash { .. }) {
                    continue;
                }
                let after = |o| d.resolve(o).is_some_and(|x| x > today);
                if after(DateOrder::DayFirst) {
                    future_anyway = true;
                } else if after(DateOrder::MonthFirst) {
                    future.push((i, d));
                }
            }
        }
        if future.is_empty() || future_anyway {
            return None;
        }
        let shown: Vec<String> = future
            .iter()
            .take(3)
            .map(|&(i, d)| match d {
                RawDate::Slash { a, b, year } => format!("{} {a:02}/{b:02}/{year}", self.key(i)),
                _ => self.key(i).to_string(),
            })
            .collect();
        let file = match part.and_then(|p| self.parts.get(usize::from(p))) {
            Some(p) => p.file.as_str(),
            None => self.file.as_str(),
        };
        let of = if file.is_empty() {
            String::new()
        } else {
            format!(" of {file}")
        };
        Some(format!(
            "The dates{of} do not say whether 3/4 is 3 April or 4 March, but read month first (US), {} after {today}, the date of the count ({}{}), and read day first none does: they are read day first. If that is wrong, choose month first (in the app, “Dates like 3/4/2025 are”; on the command line, --date-order month-first).",
            if future.len() == 1 {
                "1 last logon or creation date would fall".to_string()
            } else {
                format!(
                    "{} last logon or creation dates would fall",
                    crate::position::thousands(future.len() as u64)
                )
            },
            shown.join(", "),
            if future.len() > shown.len() { ", …" } else { "" },
        ))
    }

    /// Whether account `a`'s export has an Enabled column.
    fn has_enabled(&self, a: &Account) -> bool {
        self.parts
            .get(usize::from(a.part))
            .map_or(self.has_enabled, |p| p.has_enabled)
    }

    /// The headers of the sign-in state columns of account `a`'s export, quoted.
    fn enabled_columns(&self, a: &Account) -> &str {
        self.parts
            .get(usize::from(a.part))
            .map_or(&self.enabled_columns, |p| &p.enabled_columns)
    }

    /// Whether accounts `a` and `b`, which share a sAMAccountName (or UPN) in one export, are
    /// one account listed twice: nothing that names an account differs between them (its
    /// sAMAccountName, DN, UPN, mail, employee ID or display name, where both rows have one). A
    /// global catalog export holds namesakes of several domains (jsmith of EMEA and of AMER),
    /// and names Windows PowerShell 5.1 wrote in ASCII (`??????`) hold several people's; neither
    /// is one account (import review: 4 people of a forest were counted as 2).
    fn same_account(&self, a: &Account, b: &Account) -> bool {
        if a.dn != 0 && b.dn != 0 && a.dn != b.dn {
            return false;
        }
        let fields: [fn(&Account) -> Sp; 5] = [
            |x| x.name,
            |x| x.upn,
            |x| x.mail,
            |x| x.employee_id,
            |x| x.display,
        ];
        fields.iter().all(|f| {
            let (x, y) = (self.s(f(a)).trim(), self.s(f(b)).trim());
            x.is_empty() || y.is_empty() || x.eq_ignore_ascii_case(y)
        })
    }

    /// Among the accounts `indices` (in row order), those that repeat an earlier one of the
    /// same export (see [`Directory::same_account`]), each with the account it repeats; and
    /// those that share its sAMAccountName (else UPN) with an earlier one but are another
    /// account, each with the first account of that name.
    fn repeated_rows(&self, indices: impl Iterator<Item = u32>) -> (Vec<Pair>, Vec<Pair>) {
        let mut first: FxMap<(u16, Cow<'_, str>), u32> = FxMap::default();
        // The other accounts of a name, after the first (a global catalog's namesakes).
        let mut others: FxMap<(u16, Cow<'_, str>), Vec<u32>> = FxMap::default();
        let (mut repeats, mut namesakes) = (Vec::new(), Vec::new());
        for i in indices {
            let Some(a) = self.accounts.get(i as usize) else {
                continue;
            };
            // Display names alone may be shared by two people: not a duplicate row.
            let Some(name) = [a.name, a.upn]
                .into_iter()
                .map(|sp| self.s(sp).trim())
                .find(|s| !s.is_empty())
            else {
                continue;
            };
            let key = (a.part, lower(name));
            let Some(&j) = first.get(&key) else {
                first.insert(key, i);
                continue;
            };
            let same = |k: u32| {
                self.accounts
                    .get(k as usize)
                    .is_some_and(|b| self.same_account(b, a))
            };
            if same(j) {
                repeats.push((i, j));
                continue;
            }
            let list = others.entry(key).or_default();
            match list.iter().copied().find(|&k| same(k)) {
                Some(k) => repeats.push((i, k)),
                None => {
                    list.push(i);
                    namesakes.push((i, j));
                }
            }
        }
        (repeats, namesakes)
    }

    /// Notes on the export as a whole: accounts listed more than once, last-logon values that
    /// could not be read.
    /// `unit` names the rows' numbers (lines, or a JSON file's objects).
    pub fn notes(&self, unit: super::RowUnit) -> Vec<String> {
        let mut notes = Vec::new();
        let line = |i: u32| self.accounts.get(i as usize).map_or(0, |a| a.line);
        let (repeats, namesakes) = self.repeated_rows(0..self.accounts.len() as u32);
        let twice: Vec<(String, u32, u32)> = repeats
            .iter()
            .map(|&(i, j)| (self.key(i as usize).to_string(), line(j), line(i)))
            .collect();
        let lost: Vec<usize> = (0..self.accounts.len())
            .filter(|&i| {
                self.accounts.get(i).is_some_and(|a| {
                    lost_to_question_marks(self.s(a.name)) || lost_to_question_marks(self.s(a.upn))
                })
            })
            .collect();
        if let Some(&i) = lost.first() {
            notes.push(format!(
                "{} “?” in place of letters (such as “{}”, {}): Windows PowerShell 5.1's Export-Csv writes ASCII unless told otherwise, and each letter outside it became “?”, so these names are lost and one may stand for several people. Accounts that share such a name are told apart by their other columns (DN, UPN, mail, employee ID, display name), and a usage log cannot be matched to them by name. Export again with -Encoding UTF8.",
                super::counted(lost.len(), "account name", "account names", "holds", "hold"),
                self.key(i),
                unit.at(line(i as u32))
            ));
        }
        // Names lost to `?` are shared for that reason, which the note above says.
        let namesakes: Vec<(u32, u32)> = namesakes
            .into_iter()
            .filter(|&(i, _)| !lost_to_question_marks(self.key(i as usize)))
            .collect();
        if !namesakes.is_empty() {
            let shown: Vec<String> = namesakes
                .iter()
                .take(5)
                .map(|&(i, j)| {
                    format!(
                        "“{}” ({})",
                        self.key(i as usize),
                        unit.list(&[line(j), line(i)])
                    )
                })
                .collect();
            notes.push(format!(
                "{} the name of an account listed earlier in the same export, but not the account: their DN, UPN, mail, employee ID or display name differ, so they are counted as different people: {}{}. A sAMAccountName is unique within one domain only: an export from a global catalog lists the namesakes of several domains.",
                super::counted(namesakes.len(), "account row", "account rows", "has", "have"),
                shown.join(", "),
                if namesakes.len() > 5 { ", …" } else { "" }
            ));
        }
        if !twice.is_empty() {
            let shown: Vec<String> = twice
                .iter()
                .take(5)
                .map(|&(ref k, l1, l2)| format!("“{k}” ({})", unit.list(&[l1, l2])))
                .collect();
            notes.push(format!(
                "{} an account listed earlier in the same export, a duplicate row rather than another account: {}{}. The repeats are merged onto one person.",
                super::counted(twice.len(), "account row", "account rows", "repeats", "repeat"),
                shown.join(", "),
                if twice.len() > 5 { ", …" } else { "" }
            ));
        }
        let mailboxes: Vec<String> = self
            .accounts
            .iter()
            .enumerate()
            .filter(|(_, a)| !self.s(a.mailbox).is_empty())
            .map(|(i, a)| format!("{} ({})", self.key(i), self.s(a.mailbox)))
            .collect();
        if !mailboxes.is_empty() {
            notes.push(format!(
                "{} no person's by Exchange's RecipientTypeDetails ({}{}): they are left out as not people (built-in and system accounts); a User CAL is for the people who use them, counted with their own accounts.",
                super::counted(mailboxes.len(), "mailbox", "mailboxes", "is", "are"),
                mailboxes.iter().take(5).cloned().collect::<Vec<_>>().join(", "),
                if mailboxes.len() > 5 { ", …" } else { "" }
            ));
        }
        let resources: Vec<&str> = (0..self.accounts.len())
            .filter(|&i| {
                self.accounts.get(i).is_some_and(|a| {
                    a.enabled != Some(false)
                        && !is_system(self.key(i))
                        && self.s(a.mailbox).is_empty()
                        && resource_sign(self.s(a.ou), self.s(a.display)).is_some()
                })
            })
            .map(|i| self.key(i))
            .collect();
        if !resources.is_empty() {
            notes.push(format!(
                "{} ({}{}): {}",
                if resources.len() == 1 {
                    "1 enabled account looks like a shared or resource mailbox".to_string()
                } else {
                    format!(
                        "{} enabled accounts look like shared or resource mailboxes",
                        crate::position::thousands(resources.len() as u64)
                    )
                },
                resources.iter().take(5).copied().collect::<Vec<_>>().join(", "),
                if resources.len() > 5 { ", …" } else { "" },
                if resources.len() == 1 {
                    "it counts while it can sign in, but a User CAL is for the people who use it, not for the mailbox; leave it out in the account list when those people are counted with their own accounts."
                } else {
                    "they count while they can sign in, but a User CAL is for the people who use them, not for the mailbox; leave them out in the account list when those people are counted with their own accounts."
                }
            ));
        }
        if self.per_dc_logon {
            notes.push("The last-logon column is lastLogon, which each domain controller records for the logons it handled and does not replicate: an export from one domain controller misses logons at the others, so people who are active can look dormant here. The accounts are judged by it as it is; for a sound count, export lastLogonTimestamp (replicated, at most about 14 days behind) or LastLogonDate, or take the newest lastLogon of each account across all domain controllers.".to_string());
        }
        if self.unreadable_logons > 0 {
            notes.push(format!(
                "{} a last-logon value that is not a date: they are counted (reason \"last logon unreadable: counted\"), since an enabled account can sign in.",
                super::counted(self.unreadable_logons as usize, "account", "accounts", "has", "have")
            ));
        }
        if !self.licences_column.is_empty() {
            let holding = |plan| {
                self.accounts
                    .iter()
                    .filter(|a| a.plan == Some(plan))
                    .count()
            };
            let (e3, e5) = (holding(M365Plan::E3), holding(M365Plan::E5));
            let column = self.licences_column.as_str();
            notes.push(if e3 + e5 == 0 {
                format!("The “{column}” column names no Microsoft 365 E3 or E5 plan on any account, so no one's CAL rights come from Microsoft 365 (Office 365 E3 and the other plans carry none).")
            } else {
                format!(
                    "The “{column}” column gives each account's Microsoft 365 plan: {}. Their people are counted in groups of their own, marked with the plan, since a plan's CAL rights are its licensed user's only; the other plans (Office 365 E3 among them) carry none.",
                    plans_held(e3, e5, "account", "accounts")
                )
            });
        }
        notes
    }

    /// Whether account `a`'s export has a last-logon column empty on every row.
    fn logon_empty(&self, a: &Account) -> bool {
        self.parts
            .get(usize::from(a.part))
            .map_or(self.logon_empty, |p| p.logon_empty)
    }

    /// Whether account `a`'s export has a last-logon column, and whether that column lags (AD).
    fn logon_columns(&self, a: &Account) -> (bool, bool) {
        self.parts
            .get(usize::from(a.part))
            .map_or((self.has_last_logon, self.lagging_logon), |p| {
                (p.has_last_logon, p.lagging_logon)
            })
    }

    fn put(&mut self, s: &str) -> Sp {
        let start = self.text.len();
        self.text.push_str(s);
        Sp(start as u32, self.text.len() as u32)
    }

    fn s(&self, sp: Sp) -> &str {
        self.text
            .get(sp.0 as usize..sp.1 as usize)
            .unwrap_or_default()
    }

    /// The account's identifier: sAMAccountName, else UPN, else display name.
    pub fn key(&self, i: usize) -> &str {
        let Some(a) = self.accounts.get(i) else {
            return "";
        };
        [a.name, a.upn, a.display]
            .into_iter()
            .map(|sp| self.s(sp))
            .find(|s| !s.is_empty())
            .unwrap_or_default()
    }

    /// The id of a person: the key of their main account.
    pub fn person_id(&self, p: &PersonOut) -> &str {
        self.key(p.main as usize)
    }

    pub fn upn(&self, i: usize) -> &str {
        self.accounts.get(i).map_or("", |a| self.s(a.upn))
    }

    /// The account's mail, as in the file.
    pub fn mail(&self, i: usize) -> &str {
        self.accounts.get(i).map_or("", |a| self.s(a.mail).trim())
    }

    /// The account's employee ID, as in the file.
    pub fn employee_id(&self, i: usize) -> &str {
        self.accounts
            .get(i)
            .map_or("", |a| self.s(a.employee_id).trim())
    }

    pub fn display_name(&self, i: usize) -> &str {
        self.accounts.get(i).map_or("", |a| self.s(a.display))
    }

    /// Reads one row; `Err` carries the message for the user.
    pub(crate) fn row(&mut self, row: &Row<'_>) -> Result<(), String> {
        if self.text.len() > MAX_TEXT {
            return Err("the directory file is too large (over 4 GB of names)".into());
        }
        let mut a = Account {
            line: row.line,
            ..Default::default()
        };
        let name = row.text(Field::AccountName);
        let upn = row.text(Field::Upn);
        let display = row.text(Field::DisplayName);
        if name.is_empty() && upn.is_empty() && display.is_empty() {
            return Err("no account name, user principal name or display name".into());
        }
        a.name = self.put(&name);
        a.upn = self.put(&upn);
        if upn.contains("#EXT#") {
            a.flags |= F_GUEST;
        }
        a.display = self.put(&display);
        // A mail is an address: a value without an `@` (`n/a`, a placeholder the same on many
        // rows) is none, so it merges nobody (review 20).
        let mail = row.text(Field::Mail);
        a.mail = self.put(address_of(&mail));
        a.employee_id = self.put(&row.text(Field::EmployeeId));
        a.employee_type = self.put(&row.text(Field::EmployeeType));
        a.company = self.put(&row.text(Field::Company));
        let dn = row.text(Field::DistinguishedName);
        a.ou = self.put(ou_part(&dn));
        a.dn = dn_hash(&dn);
        let mailbox = row.text(Field::RecipientType);
        if no_persons_mailbox(&mailbox) {
            a.mailbox = self.put(&mailbox);
        }
        let enabled = row.bytes(Field::Enabled);
        if !enabled.is_empty() {
            let v = parse_bool_bytes(&enabled).ok_or_else(|| {
                format!(
                    "`{}` in the enabled column is not true or false",
                    String::from_utf8_lossy(&enabled)
                )
            })?;
            a.enabled = Some(v != self.enabled_inverted);
        }
        let uac = row.bytes(Field::UserAccountControl);
        if !uac.is_empty() {
            let v: u32 = std::str::from_utf8(&uac)
                .ok()
                .and_then(|t| t.parse().ok())
                .ok_or_else(|| {
                    format!(
                        "userAccountControl `{}` is not a number",
                        String::from_utf8_lossy(&uac)
                    )
                })?;
            if a.enabled.is_none() {
                a.enabled = Some(v & 0x2 == 0);
            }
            if v & 0x1_0000 != 0 {
                a.flags |= F_PWD_NEVER;
            }
            if v & 0x1000 != 0 || v & 0x2000 != 0 {
                a.flags |= F_MACHINE;
            }
        }
        if parse_bool_bytes(&row.bytes(Field::PasswordNeverExpires)) == Some(true) {
            a.flags |= F_PWD_NEVER;
        }
        if !row.bytes(Field::ServicePrincipalName).is_empty() {
            a.flags |= F_SPN;
        }
        let ut = row.bytes(Field::UserType);
        if ut.eq_ignore_ascii_case(b"guest") {
            a.flags |= F_GUEST | F_GUEST_TYPE;
        } else if ut.eq_ignore_ascii_case(b"invitation") {
            a.flags |= F_GUEST | F_GUEST_TYPE | F_INVITED;
        }
        if !self.licences_column.is_empty() {
            a.plan = super::licences::assigned_plan(&row.text(Field::Licences));
        }
        a.expires = self.date(row, Field::AccountExpires)?;
        // One unreadable optional value must not take an enabled account out of the count
        // (an auditor counts what can sign in): it is kept, and dormancy is not judged.
        a.last_logon = match self.date(row, Field::LastLogon) {
            Ok(d) => d,
            Err(_) => {
                a.flags |= F_LOGON_BAD;
                self.unreadable_logons += 1;
                RawDate::Invalid
            }
        };
        a.created = self.date(row, Field::Created)?;
        if !row.bytes(Field::LastLogon).is_empty() {
            self.logon_values += 1;
            // The column mapped has a value: the others are not needed.
            self.spare_logons = Vec::new();
        }
        for spare in &mut self.spare_logons {
            let d = dates::parse_bytes(&row.bytes_at(spare.column));
            spare.evidence.note(d);
            spare.filled += u32::from(d != RawDate::Missing);
            spare.values.push(d);
        }
        self.accounts.push(a);
        Ok(())
    }

    /// Once every row is read: when the last-logon column read is empty on every row, the
    /// first other last-logon column with a value takes its place (`LastLogonDate` filled
    /// beside an empty `lastLogonTimestamp`), and its column index is returned; with none, the
    /// export counts as having no last-logon data, so dormancy is not judged. An empty column
    /// says nothing of logons: read as it is, it made every account "dormant: never logged on"
    /// (import review). The note says which.
    pub(crate) fn settle_logon_column(&mut self) -> (Option<String>, Option<usize>) {
        let spares = std::mem::take(&mut self.spare_logons);
        if !self.has_last_logon || self.logon_values > 0 || self.accounts.is_empty() {
            return (None, None);
        }
        let empty = std::mem::take(&mut self.logon_column);
        match spares.into_iter().find(|s| s.filled > 0) {
            Some(spare) => {
                for (a, &d) in self.accounts.iter_mut().zip(&spare.values) {
                    a.last_logon = d;
                    if d == RawDate::Invalid {
                        a.flags |= F_LOGON_BAD;
                        self.unreadable_logons += 1;
                    }
                }
                self.evidence.merge(spare.evidence);
                self.per_dc_logon =
                    self.lagging_logon && spare.header.eq_ignore_ascii_case("lastlogon");
                let note = format!(
                    "The last-logon column {empty} is empty on every row: the last logons are read from {} instead.",
                    spare.header
                );
                self.logon_column = spare.header;
                (Some(note), Some(spare.column))
            }
            None => {
                self.has_last_logon = false;
                self.logon_empty = true;
                self.per_dc_logon = false;
                let note = format!(
                    "The last-logon column {empty} is empty on every row, so it says nothing of when the accounts last signed in: dormancy is not judged, and every account that can sign in counts. To leave dormant accounts out, export their last logons (Get-ADUser with -Properties LastLogonDate, or lastLogonTimestamp; Entra's last sign-in)."
                );
                self.logon_column = empty;
                (Some(note), None)
            }
        }
    }

    fn date(&mut self, row: &Row<'_>, f: Field) -> Result<RawDate, String> {
        let t = row.bytes(f);
        let d = dates::parse_bytes(&t);
        if d == RawDate::Invalid {
            return Err(format!(
                "`{}` in {} is not a date",
                String::from_utf8_lossy(&t),
                f.label()
            ));
        }
        self.evidence.note(d);
        Ok(d)
    }
}

/// Two accounts: (a later one, an earlier one).
type Pair = (u32, u32);

/// Whether an Exchange RecipientTypeDetails names a mailbox that is no person's: a shared,
/// room or equipment mailbox (and their linked and remote forms), or one of Exchange's own
/// (scheduling, discovery, arbitration, audit log, monitoring, system, team, group). Its account
/// needs no User CAL: the people who use it do, with their own accounts.
fn no_persons_mailbox(kind: &str) -> bool {
    let k = kind.trim();
    ends_ci(k, "mailbox")
        && [
            "shared",
            "room",
            "equipment",
            "scheduling",
            "discovery",
            "arbitration",
            "auditlog",
            "monitoring",
            "system",
            "team",
            "group",
        ]
        .iter()
        .any(|w| contains_ci(k, w))
}

/// Whether a date as written is no date in `order` (`20/12/2025` read month first).
fn no_date_in(d: RawDate, order: DateOrder) -> bool {
    matches!(d, RawDate::Slash { .. }) && d.resolve(order).is_none()
}

/// A hash of a distinguished name, ignoring ASCII case (FNV-1a); 0 for none.
fn dn_hash(dn: &str) -> u64 {
    let dn = dn.trim();
    if dn.is_empty() {
        return 0;
    }
    dn.bytes().fold(super::FNV_OFFSET, |h, b| {
        (h ^ u64::from(b.to_ascii_lowercase())).wrapping_mul(super::FNV_PRIME)
    }) | 1
}

/// Whether a name holds the `?` that Windows PowerShell 5.1's `Export-Csv` writes, in its
/// default ASCII, for each letter outside ASCII: a sAMAccountName cannot hold a `?`.
fn lost_to_question_marks(name: &str) -> bool {
    name.contains('?')
}

/// The mail address of a mail cell: the cell itself when it is one address; from a list of
/// proxy addresses (Exchange's `EmailAddresses` joined with `-join ';'`, such as
/// `SMTP:j.smith@example.com;smtp:js@example.com;X500:/o=…`), the primary one (`SMTP:` in
/// capitals), else the first SMTP one; empty when there is no `@` (`n/a`): no address.
fn address_of(cell: &str) -> &str {
    if !cell.contains('@') {
        return "";
    }
    if !cell.contains([';', ',', ' ', ':']) {
        return cell;
    }
    /// An SMTP address of a proxy list without its prefix; `None` for another type (`SIP:`).
    fn smtp(s: &str) -> Option<&str> {
        match s.split_once(':') {
            None => Some(s),
            Some((kind, address)) if kind.eq_ignore_ascii_case("smtp") => Some(address),
            Some(_) => None,
        }
    }
    let items = cell
        .split([';', ',', ' '])
        .map(str::trim)
        .filter(|s| s.contains('@'));
    let mut first = None;
    for s in items {
        if let Some(address) = s.strip_prefix("SMTP:") {
            return address;
        }
        if first.is_none() {
            first = smtp(s);
        }
    }
    first.unwrap_or("")
}

/// [`parse_bool`] on bytes.
pub fn parse_bool_bytes(b: &[u8]) -> Option<bool> {
    match b.len() {
        4 if b.eq_ignore_ascii_case(b"true") => Some(true),
        5 if b.eq_ignore_ascii_case(b"false") => Some(false),
        _ => std::str::from_utf8(b).ok().and_then(parse_bool),
    }
}

/// `True`/`False` as PowerShell writes them, the other usual spellings, and TRUE and FALSE as
/// Excel writes them in its languages (a PowerShell export opened and saved again): German
/// WAHR/FALSCH, French VRAI/FAUX, Spanish VERDADERO/FALSO, Dutch WAAR/ONWAAR, Italian
/// VERO/FALSO, Portuguese VERDADEIRO/FALSO, Swedish SANT/FALSKT, Polish PRAWDA/FAŁSZ, Danish
/// SAND/FALSK, Norwegian SANN/USANN, Finnish TOSI/EPÄTOSI (import review: Spanish and Dutch
/// were refused).
pub fn parse_bool(s: &str) -> Option<bool> {
    // ASCII lower case leaves Ł and Ä as they are: both cases are listed.
    match s.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" | "y" | "enabled" | "ja" | "wahr" | "vrai" | "oui" | "verdadero"
        | "waar" | "vero" | "verdadeiro" | "sant" | "prawda" | "sand" | "sann" | "tosi" => {
            Some(true)
        }
        "false" | "no" | "0" | "n" | "disabled" | "nein" | "falsch" | "faux" | "non" | "falso"
        | "onwaar" | "falskt" | "fałsz" | "faŁsz" | "falsk" | "usann" | "epätosi" | "epÄtosi" => {
            Some(false)
        }
        // Polish Excel saves CSV in Windows-1250, whose Ł is £ read as Windows-1252.
        "fa£sz" => Some(false),
        _ => None,
    }
}

/// Options of the classification; every one is shown to the user and can be changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassifyOptions {
    /// The date the counts are for.
    pub today: Date,
    /// Days without logon after which an account is dormant (90 by default).
    #[serde(default = "ninety")]
    pub dormancy_days: u32,
    /// Replication lag of `lastLogonTimestamp` (14 days by default): accounts this close to the
    /// cut-off are kept.
    #[serde(default = "fourteen")]
    pub lag_days: u32,
    /// Day-month order of slash dates, when the values do not decide it.
    #[serde(default)]
    pub date_order: Option<DateOrder>,
    /// The organisation's own UPN/mail domains (each with its subdomains); accounts on other
    /// domains are external. Empty: this rule is off.
    #[serde(default)]
    pub internal_domains: Vec<String>,
    /// The organisation's own company names; accounts of other companies are external. Empty: off.
    #[serde(default)]
    pub own_companies: Vec<String>,
    /// Also merge accounts with the same display name (off: two people may share one).
    #[serde(default)]
    pub merge_on_display_name: bool,
    /// Decisions of the user, per account.
    #[serde(default)]
    pub overrides: Vec<AccountOverride>,
    /// Count every directory export read together (domains of one organisation) instead of the
    /// last one only.
    #[serde(default)]
    pub combine_directories: bool,
}

fn ninety() -> u32 {
    90
}
fn fourteen() -> u32 {
    14
}

impl ClassifyOptions {
    pub fn new(today: Date) -> Self {
        ClassifyOptions {
            today,
            dormancy_days: 90,
            lag_days: 14,
            date_order: None,
            internal_domains: Vec::new(),
            own_companies: Vec::new(),
            merge_on_display_name: false,
            overrides: Vec::new(),
            combine_directories: false,
        }
    }
}

/// The longest dormancy window the import takes: ten years.
pub const MAX_DORMANCY_DAYS: u32 = 3650;

/// A dormancy window as the user typed it: a whole number of days from 1 to
/// [`MAX_DORMANCY_DAYS`], or why not (a window of 0 days would make every account dormant).
pub fn parse_dormancy_days(text: &str) -> Result<u32, String> {
    let t = text.trim();
    let why =
        |what: &str| format!("{what}: give a whole number of days from 1 to {MAX_DORMANCY_DAYS}.");
    if t.is_empty() {
        return Err(why("No number of days"));
    }
    match t.parse::<i64>() {
        Ok(d) if (1..=i64::from(MAX_DORMANCY_DAYS)).contains(&d) => Ok(d as u32),
        Ok(_) => Err(why(&format!("{t} days is out of range"))),
        // Digits too many for a number are out of range too.
        Err(_)
            if t.len() > 1
                && t.bytes().skip(1).all(|b| b.is_ascii_digit())
                && (t.starts_with('-') || t.as_bytes()[0].is_ascii_digit()) =>
        {
            Err(why(&format!("{t} days is out of range")))
        }
        Err(_) => Err(why(&format!("\"{t}\" is not a whole number"))),
    }
}

/// The user's decision on one account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountOverride {
    /// The account's key (sAMAccountName, else UPN, else display name), case-insensitive.
    pub account: String,
    /// `Some(true)`: count it; `Some(false)`: leave it out.
    #[serde(default)]
    pub count: Option<bool>,
    #[serde(default)]
    pub kind: Option<PersonKind>,
    /// The key of another account of the same person.
    #[serde(default)]
    pub same_person_as: Option<String>,
    /// The export the account is in, when several count together (a sAMAccountName is unique
    /// within one domain only); `None`: the account of that key in any export.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}

/// The user's decision for the account `key` of export `file`: one made for that export, else
/// one made for the key in any export.
pub fn override_for<'a>(
    overrides: impl IntoIterator<Item = &'a AccountOverride>,
    key: &str,
    file: &str,
) -> Option<&'a AccountOverride> {
    let mut general = None;
    for o in overrides {
        if !o.account.eq_ignore_ascii_case(key) {
            continue;
        }
        match o.file.as_deref() {
            Some(f) if f == file => return Some(o),
            None if general.is_none() => general = Some(o),
            _ => {}
        }
    }
    general
}

/// Where an account ends up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    Counted,
    Disabled,
    Expired,
    /// Built-in and system accounts (krbtgt, Guest, health mailboxes).
    System,
    Service,
    ExcludedByYou,
    Dormant,
}

crate::named::named_enum!(Status {
    Counted => "counted",
    Disabled => "disabled",
    Expired => "expired",
    System => "system",
    Service => "service",
    ExcludedByYou => "excluded-by-you",
    Dormant => "dormant",
});

/// Why an account got its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KindWhy {
    Default,
    Override,
    Guest,
    EmployeeType,
    Ou,
    Company,
    UpnSuffix,
}

crate::named::named_enum!(KindWhy {
    Default => "default",
    Override => "override",
    Guest => "guest",
    EmployeeType => "employee-type",
    Ou => "ou",
    Company => "company",
    UpnSuffix => "upn-suffix",
});

const N_NEAR_LINE: u8 = 1;
const N_ADMIN: u8 = 2;
const N_SEEN: u8 = 4;
const N_NEW: u8 = 8;
const N_COUNTED_BY_YOU: u8 = 16;
const N_ADMIN_NO_OWNER: u8 = 32;
const N_LOGON_BAD: u8 = 64;
/// Shares its mail with an account of another employee ID: not merged with it.
const N_MAIL_NOT_JOINED: u8 = 128;

/// The verdict on one account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict {
    pub status: Status,
    pub kind: PersonKind,
    pub kind_why: KindWhy,
    /// Index into [`Classification::people`] when counted.
    pub person: Option<u32>,
    notes: u8,
    signals: u8,
}

/// A physical person behind one or more counted accounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonOut {
    /// Index of the person's main account (see [`Directory::person_id`]).
    pub main: u32,
    pub kind: PersonKind,
    /// How many counted accounts collapse onto this person.
    pub accounts: u32,
    /// The Microsoft 365 plan assigned to any of its counted accounts (E5 over E3).
    #[serde(default)]
    pub plan: Option<M365Plan>,
}

/// The label of the funnel step that sets dormant accounts aside, for readers of the funnel
/// that look for it (the app warns when it takes most accounts).
pub const DORMANT_STEP: &str = "Dormant accounts (defence argument)";

/// One step of the funnel from raw accounts to people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunnelStep {
    pub label: String,
    /// The rule, with its source.
    pub rule: String,
    /// Accounts (or people) removed at this step; 0 for the totals.
    pub removed: u32,
    /// What remains after it.
    pub remaining: u32,
}

/// The result of classifying a directory.
#[derive(Debug, Clone, PartialEq)]
pub struct Classification {
    pub verdicts: Vec<Verdict>,
    pub people: Vec<PersonOut>,
    pub funnel: Vec<FunnelStep>,
    /// People per kind, in [`KINDS`] order, zero counts left out.
    pub groups: Vec<(PersonKind, u32)>,
    /// Of them, those holding a Microsoft 365 plan, per kind and plan (in [`KINDS`] order, E3
    /// before E5); empty when the export has no licences column.
    pub plans: Vec<(PersonKind, M365Plan, u32)>,
    pub date_order: DateOrder,
    /// The day-month order of each export of a combined directory (one entry otherwise).
    pub date_orders: Vec<DateOrder>,
    /// True when the values did not decide the order and no override was given.
    pub date_order_assumed: bool,
    /// Exports read day first although no part is above 12, because month first would put
    /// logons after the date of the count: why, per export.
    pub date_order_notes: Vec<String>,
    /// Accounts within the replication lag of the dormancy cut-off (kept).
    pub near_the_line: u32,
    /// Accounts whose last logon is after the date of the count, and the latest such logon: the
    /// count is then as of a day before the export was made (a date left from a sample export),
    /// and every account's dormancy is judged as of that earlier day.
    pub logons_after: (u32, Option<Date>),
    /// Counts per status.
    pub by_status: Vec<(Status, u32)>,
}

/// Kinds in the order groups are listed.
pub const KINDS: [PersonKind; 5] = [
    PersonKind::Employee,
    PersonKind::OnsiteContractor,
    PersonKind::OffsiteContractor,
    PersonKind::Partner,
    PersonKind::Customer,
];

const S_DOLLAR: u8 = 1;
const S_PREFIX: u8 = 2;
const S_SPN: u8 = 4;
const S_OU: u8 = 8;
const S_MACHINE: u8 = 16;
const S_PWD: u8 = 32;
const S_SQL: u8 = 64;
const S_BACKUP: u8 = 128;

/// "120 accounts hold Microsoft 365 E3 and 15 hold E5" (either part left out at 0).
pub fn plans_held(e3: usize, e5: usize, one: &str, many: &str) -> String {
    let held = |k: usize, plan: &str| {
        format!(
            "{} Microsoft 365 {plan}",
            super::counted(k, one, many, "holds", "hold")
        )
    };
    match (e3, e5) {
        (0, e5) => held(e5, "E5"),
        (e3, 0) => held(e3, "E3"),
        (e3, e5) => format!(
            "{} and {} {} E5",
            held(e3, "E3"),
            crate::position::thousands(e5 as u64),
            if e5 == 1 { "holds" } else { "hold" }
        ),
    }
}

/// Whether an OU path names a service-accounts OU.
fn service_ou(ou: &str) -> bool {
    contains_ci(ou, "ou=service")
        && [
            "ou=service accounts",
            "ou=serviceaccounts",
            "ou=service users",
            "ou=services",
        ]
        .iter()
        .any(|p| contains_ci(ou, p))
}

fn service_signals(name: &str, a: &Account, service_ou: bool) -> u8 {
    let mut s = 0;
    if name.ends_with('$') {
        s |= S_DOLLAR;
    }
    if ["svc", "sa-", "sa_", "srv_", "srv-", "service_", "service-"]
        .iter()
        .any(|p| starts_ci(name, p))
        || ends_ci(name, "_svc")
        || ends_ci(name, "-svc")
    {
        s |= S_PREFIX;
    }
    if a.flags & F_SPN != 0 {
        s |= S_SPN;
    }
    if service_ou {
        s |= S_OU;
    }
    if a.flags & F_MACHINE != 0 {
        s |= S_MACHINE;
    }
    if a.flags & F_PWD_NEVER != 0 {
        s |= S_PWD;
    }
    if contains_ci(name, "sql") {
        s |= S_SQL;
    }
    if contains_ci(name, "backup") {
        s |= S_BACKUP;
    }
    s
}

/// Strong signals decide alone; weak ones (password never expires, `sql`/`backup` in the name) need
/// a second signal, since people such as executives often have non-expiring passwords.
fn is_service(s: u8) -> bool {
    let strong = s & (S_DOLLAR | S_PREFIX | S_SPN | S_OU | S_MACHINE) != 0;
    let weak = (s & S_PWD != 0) as u8 + (s & S_SQL != 0) as u8 + (s & S_BACKUP != 0) as u8;
    strong || weak >= 2
}

pub(crate) fn is_system(name: &str) -> bool {
    [
        "krbtgt",
        "guest",
        "defaultaccount",
        "wdagutilityaccount",
        "support_388945a0",
    ]
    .iter()
    .any(|n| name.eq_ignore_ascii_case(n))
        || [
            "healthmailbox",
            "systemmailbox",
            "discoverysearchmailbox",
            "federatedemail",
            "migration.",
            "sm_",
            "msol_",
            "aad_",
            // Entra Connect's sync accounts: Sync_<server>_<id>@tenant, and the older one.
            "adtoaadsyncserviceaccount",
        ]
        .iter()
        .any(|p| starts_ci(name, p))
        || (starts_ci(name, "sync_") && name[5..].contains('_'))
}

/// Why an account looks like a shared or resource mailbox (a shared mailbox, a room, equipment),
/// from its OU or its display name; `None` when nothing says so. Such an account is no person:
/// a User CAL is for the people who use it (cal-rules §4.2 item 4).
fn resource_sign(ou: &str, display: &str) -> Option<String> {
    if [
        "ou=shared mailbox",
        "ou=shared account",
        "ou=resource",
        "ou=room",
        "ou=equipment",
    ]
    .iter()
    .any(|p| contains_ci(ou, p))
    {
        return Some(format!("OU “{ou}”"));
    }
    let words: Vec<&str> = display
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let has = |w: &str| words.iter().any(|x| x.eq_ignore_ascii_case(w));
    let room = words
        .first()
        .is_some_and(|w| w.eq_ignore_ascii_case("room"))
        && words.len() > 1
        || (has("room") && (has("meeting") || has("conference")));
    (has("shared") || has("mailbox") || room).then(|| format!("display name “{}”", display.trim()))
}

/// Display names of system accounts whose names vary (Entra Connect's sync account).
fn is_system_display(display: &str) -> bool {
    [
        "on-premises directory synchronization service account",
        "directory synchronization service account",
    ]
    .iter()
    .any(|n| display.trim().eq_ignore_ascii_case(n))
}

/// For an admin account (`adm-jsmith`, `jsmith-a`, `a_jsmith`, `jsmith.admin`): the base name.
pub fn admin_base(name: &str) -> Option<String> {
    for p in [
        "adm-", "adm_", "adm.", "admin-", "admin_", "admin.", "a-", "a_", "da-", "da_",
    ] {
        if starts_ci(name, p) && name.len() >= p.len() + 2 {
            return name.get(p.len()..).map(str::to_ascii_lowercase);
        }
    }
    for x in [
        "-a", "_a", ".a", "-adm", "_adm", ".adm", "-admin", "_admin", ".admin", "-da",
    ] {
        if ends_ci(name, x) && name.len() >= x.len() + 2 {
            return name
                .get(..name.len() - x.len())
                .map(str::to_ascii_lowercase);
        }
    }
    None
}

fn kind_from_text(t: &str) -> Option<PersonKind> {
    if t.is_empty() {
        return None;
    }
    if contains_ci(t, "customer") || contains_ci(t, "client") {
        Some(PersonKind::Customer)
    } else if contains_ci(t, "partner")
        || contains_ci(t, "vendor")
        || contains_ci(t, "supplier")
        || contains_ci(t, "external")
        || contains_ci(t, "guest")
    {
        Some(PersonKind::Partner)
    } else if contains_ci(t, "contract")
        || contains_ci(t, "consultant")
        || contains_ci(t, "freelance")
        || contains_ci(t, "temp")
        || contains_ci(t, "agency")
    {
        if contains_ci(t, "offsite") || contains_ci(t, "off-site") || contains_ci(t, "remote") {
            Some(PersonKind::OffsiteContractor)
        } else {
            Some(PersonKind::OnsiteContractor)
        }
    } else if contains_ci(t, "employee")
        || contains_ci(t, "staff")
        || contains_ci(t, "permanent")
        || contains_ci(t, "fte")
        || contains_ci(t, "intern")
        || contains_ci(t, "apprentice")
    {
        Some(PersonKind::Employee)
    } else {
        None
    }
}

/// The words an OU's name may be made of to name a kind of person: the kind's own words, and
/// words that change nothing ("Guest Accounts", "External Users"). An OU named otherwise says
/// nothing of its people's kind: "Customer Service" and "Guest Services" are departments of
/// staff (import review: their employees were counted as customers and partners).
const OU_CUSTOMER: &[&str] = &["customer"];
const OU_PARTNER: &[&str] = &["partner", "external", "vendor", "supplier", "guest", "b2b"];
const OU_CONTRACTOR: &[&str] = &["contractor", "consultant"];
const OU_OFFSITE: &[&str] = &["offsite", "remote", "off", "site"];
const OU_NEUTRAL: &[&str] = &["account", "user", "staff", "people", "onsite", "on", "and"];

/// The kind of person an OU path names: the first OU (innermost) whose whole name is made of
/// [`OU_CUSTOMER`], [`OU_PARTNER`] or [`OU_CONTRACTOR`] words and the words beside them
/// (plurals too, in any case): `OU=Partners,OU=External`, `OU=Offsite Contractors`,
/// `OU=Guest Accounts`. A contractor OU that says offsite, remote or external is of offsite
/// contractors.
fn kind_from_ou(ou: &str) -> Option<PersonKind> {
    ou.split(',').find_map(|part| {
        let p = part.trim();
        if !starts_ci(p, "ou=") {
            return None;
        }
        let words: Vec<String> = p[3..]
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| {
                let w = w.to_ascii_lowercase();
                match w.strip_suffix('s') {
                    Some(one) if w.len() > 3 => one.to_string(),
                    _ => w,
                }
            })
            .collect();
        let is = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
        let known = words.iter().all(|w| {
            [
                OU_CUSTOMER,
                OU_PARTNER,
                OU_CONTRACTOR,
                OU_OFFSITE,
                OU_NEUTRAL,
            ]
            .iter()
            .any(|list| list.contains(&w.as_str()))
        });
        if !known {
            None
        } else if is(OU_CONTRACTOR) {
            Some(if is(OU_OFFSITE) || words.iter().any(|w| w == "external") {
                PersonKind::OffsiteContractor
            } else {
                PersonKind::OnsiteContractor
            })
        } else if is(OU_CUSTOMER) {
            Some(PersonKind::Customer)
        } else if is(OU_PARTNER) {
            Some(PersonKind::Partner)
        } else {
            None
        }
    })
}

fn domain_of(s: &str) -> Option<&str> {
    s.rsplit_once('@').map(|(_, d)| d)
}

/// Whether `domain` is one of `own` (lower case) or a subdomain of one, at a dot:
/// emea.contoso.com is contoso.com's, notcontoso.com is not (review of the import panel: a
/// subdomain's users were made partners).
fn is_own_domain(domain: &str, own: &[String]) -> bool {
    let d = domain.trim().trim_end_matches('.').to_ascii_lowercase();
    own.iter().any(|o| {
        d == *o
            || d.strip_suffix(o.as_str())
                .is_some_and(|head| head.ends_with('.'))
    })
}

/// Accounts joined into people. Each set also knows an account of it that carries an employee
/// ID (`NO_ID` when none does), so that a join on a weaker sign (a shared mail) can be refused
/// when it would put two different employee IDs into one person.
struct Dsu {
    parent: Vec<u32>,
    id_account: Vec<u32>,
}

const NO_ID: u32 = u32::MAX;

impl Dsu {
    fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let p = self.parent[x as usize];
            self.parent[x as usize] = self.parent[p as usize];
            x = p;
        }
        x
    }
    fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            // The lower index (earlier row) stays the root, so results do not depend on order.
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent[hi as usize] = lo;
            if self.id_account[lo as usize] == NO_ID {
                self.id_account[lo as usize] = self.id_account[hi as usize];
            }
        }
    }
}

impl Directory {
    /// Classifies every account. `seen` holds lower-case account keys found in usage logs:
    /// such accounts are not dormant whatever their last-logon date says.
    pub fn classify(&self, opts: &ClassifyOptions, seen: &HashSet<String>) -> Classification {
        let (orders, date_order_assumed, mut date_order_notes) =
            self.orders(opts.date_order, opts.today);
        date_order_notes.extend(self.impossible_dates_notes(&orders, opts.date_order));
        let date_order = orders.first().copied().unwrap_or(DateOrder::MonthFirst);
        let today = dates::to_days(opts.today);
        let cutoff = today - opts.dormancy_days as i64;
        let mut overrides: HashMap<String, Vec<&AccountOverride>> = HashMap::new();
        for o in &opts.overrides {
            overrides
                .entry(o.account.to_ascii_lowercase())
                .or_default()
                .push(o);
        }
        let decision = |i: usize| -> Option<&AccountOverride> {
            let list = overrides.get(lower(self.key(i)).as_ref())?;
            override_for(list.iter().copied(), self.key(i), self.file_of(i))
        };
        let internal_domains: Vec<String> = opts
            .internal_domains
            .iter()
            .map(|d| {
                d.trim()
                    .trim_start_matches('@')
                    .trim_end_matches('.')
                    .to_ascii_lowercase()
            })
            .filter(|d| !d.is_empty())
            .collect();
        let own_companies: Vec<String> = opts
            .own_companies
            .iter()
            .map(|c| c.trim().to_ascii_lowercase())
            .collect();

        let n = self.accounts.len();
        // Usage logs may name an account by its mail (a logon as mary.jones@…): a mail the usage
        // shows is an account's when the accounts that can sign in with it are one person's, as
        // the mail join below makes them (no two employee IDs among them); a mail several people
        // share says nothing about who signed in. As `apply` matches usage to people.
        let mut seen_mail: FxMap<Cow<'_, str>, (Cow<'_, str>, bool)> = FxMap::default();
        if seen.iter().any(|u| u.contains('@')) {
            for a in &self.accounts {
                let mail = lower(self.s(a.mail).trim());
                if mail.is_empty() || !seen.contains(mail.as_ref()) || a.enabled == Some(false) {
                    continue;
                }
                let order = orders
                    .get(usize::from(a.part))
                    .copied()
                    .unwrap_or(date_order);
                if a.expires
                    .resolve(order)
                    .is_some_and(|e| dates::to_days(e) < today)
                {
                    continue;
                }
                let id = lower(self.s(a.employee_id).trim());
                let (known, one) = seen_mail.entry(mail).or_insert((Cow::Borrowed(""), true));
                if !id.is_empty() {
                    if known.is_empty() {
                        *known = id;
                    } else if *known != id {
                        *one = false;
                    }
                }
            }
        }
        // Usage logs may name a person by their employee ID (a log whose user column holds it):
        // the accounts with that ID are one person (the employee-ID join below), so each of
        // them is in use. An account name, UPN or mail the logs name comes first, as in `apply`,
        // which also leaves an ID that matches no one person unmatched.
        let mut seen_id: FxSet<Cow<'_, str>> = FxSet::default();
        for a in &self.accounts {
            let id = lower(self.s(a.employee_id).trim());
            if !id.is_empty() && seen.contains(id.as_ref()) {
                seen_id.insert(id);
            }
        }
        if !seen_id.is_empty() {
            for (i, a) in self.accounts.iter().enumerate() {
                for k in [self.key(i), self.upn(i), self.s(a.mail).trim()] {
                    seen_id.remove(lower(k).as_ref());
                }
            }
        }
        let mut verdicts = Vec::with_capacity(n);
        let mut near = 0u32;
        let mut logons_after: (u32, Option<Date>) = (0, None);
        let mut ou_memo: FxMap<&str, (bool, Option<PersonKind>)> = FxMap::default();
        let mut type_memo: FxMap<&str, Option<PersonKind>> = FxMap::default();
        for (i, a) in self.accounts.iter().enumerate() {
            let key = self.key(i);
            let ov = if overrides.is_empty() {
                None
            } else {
                decision(i)
            };
            let ou = self.s(a.ou);
            // OU paths and employee types repeat across thousands of accounts: judge each once.
            let &mut (ou_service, ou_kind) = ou_memo
                .entry(ou)
                .or_insert_with(|| (service_ou(ou), kind_from_ou(ou)));
            let employee_type = self.s(a.employee_type);
            let &mut type_kind = type_memo
                .entry(employee_type)
                .or_insert_with(|| kind_from_text(employee_type));
            let signals = service_signals(self.s(a.name), a, ou_service);
            let mut notes = 0u8;
            if admin_base(self.s(a.name)).is_some() || key.eq_ignore_ascii_case("administrator") {
                notes |= N_ADMIN;
            }
            let in_usage = !seen.is_empty()
                && (seen.contains(lower(key).as_ref())
                    || seen.contains(lower(self.upn(i)).as_ref())
                    || (!seen_mail.is_empty()
                        && seen_mail
                            .get(lower(self.s(a.mail).trim()).as_ref())
                            .is_some_and(|&(_, one)| one))
                    || (!seen_id.is_empty()
                        && seen_id.contains(lower(self.s(a.employee_id).trim()).as_ref())));
            let date_order = orders
                .get(usize::from(a.part))
                .copied()
                .unwrap_or(date_order);
            let expires = a.expires.resolve(date_order).map(dates::to_days);
            if let Some(last) = a.last_logon.resolve(date_order) {
                if dates::to_days(last) > today {
                    logons_after.0 += 1;
                    logons_after.1 = logons_after.1.max(Some(last));
                }
            }
            let mut status = if a.enabled == Some(false) {
                Status::Disabled
            } else if expires.is_some_and(|e| e < today) {
                Status::Expired
            } else if is_system(key)
                || is_system(self.upn(i))
                || is_system_display(self.display_name(i))
                || !self.s(a.mailbox).is_empty()
            {
                Status::System
            } else if is_service(signals) {
                Status::Service
            } else {
                Status::Counted
            };
            let (has_last_logon, lagging) = self.logon_columns(a);
            let lag = if lagging { opts.lag_days as i64 } else { 0 };
            if status == Status::Counted
                && has_last_logon
                && (a.flags & F_LOGON_BAD != 0 || no_date_in(a.last_logon, date_order))
            {
                notes |= N_LOGON_BAD;
            } else if status == Status::Counted && has_last_logon {
                match a.last_logon.resolve(date_order).map(dates::to_days) {
                    Some(last) if last < cutoff - lag => status = Status::Dormant,
                    Some(last) if last < cutoff => notes |= N_NEAR_LINE,
                    Some(_) => {}
                    None => {
                        let created = a.created.resolve(date_order).map(dates::to_days);
                        if created.is_some_and(|c| c >= cutoff) {
                            notes |= N_NEW;
                        } else {
                            status = Status::Dormant;
                        }
                    }
                }
                if status == Status::Dormant && in_usage {
                    status = Status::Counted;
                    notes |= N_SEEN;
                }
            }
            match ov.and_then(|o| o.count) {
                Some(true) if status != Status::Counted => {
                    status = Status::Counted;
                    notes |= N_COUNTED_BY_YOU;
                }
                Some(false) => status = Status::ExcludedByYou,
                _ => {}
            }
            if status == Status::Counted && notes & N_NEAR_LINE != 0 {
                near += 1;
            }
            let (kind, kind_why) = if let Some(k) = ov.and_then(|o| o.kind) {
                (k, KindWhy::Override)
            } else if a.flags & F_GUEST != 0 {
                (PersonKind::Partner, KindWhy::Guest)
            } else if let Some(k) = type_kind {
                (k, KindWhy::EmployeeType)
            } else if let Some(k) = ou_kind {
                (k, KindWhy::Ou)
            } else if !own_companies.is_empty()
                && !self.s(a.company).is_empty()
                && !own_companies.contains(&self.s(a.company).to_ascii_lowercase())
            {
                (PersonKind::Partner, KindWhy::Company)
            } else if !internal_domains.is_empty()
                && domain_of(self.upn(i))
                    .or_else(|| domain_of(self.s(a.mail)))
                    .is_some_and(|d| !is_own_domain(d, &internal_domains))
            {
                (PersonKind::Partner, KindWhy::UpnSuffix)
            } else {
                (PersonKind::Employee, KindWhy::Default)
            };
            verdicts.push(Verdict {
                status,
                kind,
                kind_why,
                person: None,
                notes,
                signals,
            });
        }

        // John Smith rule: collapse counted accounts of one person.
        let employee_id = |i: u32| {
            self.accounts
                .get(i as usize)
                .map_or(Cow::Borrowed(""), |a| lower(self.s(a.employee_id).trim()))
        };
        let mut dsu = Dsu {
            parent: (0..n as u32).collect(),
            id_account: (0..n as u32)
                .map(|i| if employee_id(i).is_empty() { NO_ID } else { i })
                .collect(),
        };
        // Accounts sharing a key are found by sorting (hash, account) pairs: cache-friendly, unlike
        // a million hash-map inserts; equal hashes are compared as text, so a collision never
        // merges two people.
        let counted: Vec<u32> = (0..n as u32)
            .filter(|&i| verdicts[i as usize].status == Status::Counted)
            .collect();
        // A join on a weaker sign than the employee ID (a mail, a display name) is refused
        // where it would merge two different employee IDs: different IDs are different people
        // (two colleagues behind a shared mailbox address), and such a sign must not chain them
        // together through a third account either. `refused` marks the accounts it spared.
        let mut refused: Vec<u32> = Vec::new();
        let join_on = |dsu: &mut Dsu, refused: &mut Vec<u32>, field: fn(&Account) -> Sp| {
            let text = |i: u32| {
                self.accounts
                    .get(i as usize)
                    .map_or(Cow::Borrowed(""), |a| lower(self.s(field(a)).trim()))
            };
            let mut keys: Vec<(u64, u32)> = counted
                .iter()
                .filter_map(|&i| {
                    let t = text(i);
                    (!t.is_empty()).then(|| {
                        let mut h = Fx::default();
                        h.write(t.as_bytes());
                        (h.finish(), i)
                    })
                })
                .collect();
            keys.sort_unstable();
            for run in keys.chunk_by(|a, b| a.0 == b.0) {
                // Accounts of one text, in row order: the first one's set takes in each later
                // account whose set has no employee ID or the same one; a set of another ID
                // joins the set of its own ID among them, else stays a person of its own. Each
                // account is looked at once, however many share the text.
                struct Group<'t> {
                    text: Cow<'t, str>,
                    first: u32,
                    by_id: FxMap<Cow<'t, str>, u32>,
                }
                let mut groups: Vec<Group<'_>> = Vec::new();
                for &(_, i) in run {
                    let t = text(i);
                    let Some(g) = groups.iter_mut().find(|g| g.text == t) else {
                        groups.push(Group {
                            text: t,
                            first: i,
                            by_id: FxMap::default(),
                        });
                        continue;
                    };
                    let (ri, rf) = (dsu.find(i), dsu.find(g.first));
                    if ri == rf {
                        continue;
                    }
                    let id_of = |dsu: &Dsu, r: u32| match dsu.id_account[r as usize] {
                        NO_ID => None,
                        a => Some(employee_id(a)),
                    };
                    match (id_of(dsu, ri), id_of(dsu, rf)) {
                        (Some(x), Some(y)) if x != y => match g.by_id.get(&x) {
                            Some(&j) => dsu.union(j, i),
                            None => {
                                g.by_id.insert(x, i);
                                refused.extend([i, g.first]);
                            }
                        },
                        _ => dsu.union(g.first, i),
                    }
                }
            }
        };
        join_on(&mut dsu, &mut refused, |a| a.employee_id);
        join_on(&mut dsu, &mut refused, |a| a.mail);
        // A row repeated in one export (same sAMAccountName, else UPN) is the same account, so
        // one person; in another export (domain) the same name may be someone else.
        // Only a row that is the same account (nothing naming it differs) is a repeat.
        for (i, j) in self.repeated_rows(counted.iter().copied()).0 {
            dsu.union(j, i);
        }
        if opts.merge_on_display_name {
            join_on(&mut dsu, &mut Vec::new(), |a| a.display);
        }
        for i in refused {
            if let Some(v) = verdicts.get_mut(i as usize) {
                v.notes |= N_MAIL_NOT_JOINED;
            }
        }
        // Names that admin accounts and the user's "same person as" point to.
        let mut wanted: FxSet<String> = FxSet::default();
        for (i, a) in self.accounts.iter().enumerate() {
            if verdicts[i].status != Status::Counted {
                continue;
            }
            if verdicts[i].notes & N_ADMIN != 0 {
                if let Some(b) = admin_base(self.s(a.name)) {
                    wanted.insert(b);
                }
            }
        }
        for o in &opts.overrides {
            if let Some(other) = &o.same_person_as {
                wanted.insert(other.to_ascii_lowercase());
            }
        }
        let mut by_name: FxMap<Cow<'_, str>, u32> = FxMap::default();
        if !wanted.is_empty() {
            for (i, v) in verdicts.iter().enumerate() {
                if v.status != Status::Counted {
                    continue;
                }
                for k in [lower(self.key(i)), lower(self.upn(i))] {
                    if !k.is_empty() && wanted.contains(k.as_ref()) {
                        by_name.entry(k).or_insert(i as u32);
                    }
                }
            }
        }
        for (i, a) in self.accounts.iter().enumerate() {
            if verdicts[i].status != Status::Counted {
                continue;
            }
            let ov = if overrides.is_empty() {
                None
            } else {
                decision(i)
            };
            if let Some(other) = ov.and_then(|o| o.same_person_as.as_ref()) {
                if let Some(&j) = by_name.get(other.to_ascii_lowercase().as_str()) {
                    dsu.union(j, i as u32);
                }
                continue;
            }
            if verdicts[i].notes & N_ADMIN == 0 {
                continue;
            }
            match admin_base(self.s(a.name)) {
                Some(base) => match by_name.get(base.as_str()) {
                    Some(&j) if j as usize != i => dsu.union(j, i as u32),
                    _ => verdicts[i].notes |= N_ADMIN_NO_OWNER,
                },
                None => verdicts[i].notes |= N_ADMIN_NO_OWNER,
            }
        }
        // Number the people; a person's kind is that of its first non-admin account.
        let mut people: Vec<PersonOut> = Vec::new();
        let mut root_person: Vec<u32> = vec![u32::MAX; n];
        let mut main_is_admin: Vec<bool> = Vec::new();
        #[allow(clippy::needless_range_loop)] // `i` is also the account index for `self.key`.
        for i in 0..n {
            if verdicts[i].status != Status::Counted {
                continue;
            }
            let root = dsu.find(i as u32) as usize;
            let is_admin = verdicts[i].notes & N_ADMIN != 0;
            let p = match root_person[root] {
                u32::MAX => {
                    let p = people.len() as u32;
                    root_person[root] = p;
                    people.push(PersonOut {
                        main: i as u32,
                        kind: verdicts[i].kind,
                        accounts: 1,
                        plan: self.accounts[i].plan,
                    });
                    main_is_admin.push(is_admin);
                    p
                }
                p => {
                    let pi = p as usize;
                    people[pi].accounts += 1;
                    people[pi].plan = people[pi].plan.max(self.accounts[i].plan);
                    if main_is_admin[pi] && !is_admin {
                        people[pi].main = i as u32;
                        people[pi].kind = verdicts[i].kind;
                        main_is_admin[pi] = false;
                    }
                    p
                }
            };
            verdicts[i].person = Some(p);
        }

        let count = |s: Status| verdicts.iter().filter(|v| v.status == s).count() as u32;
        let by_status: Vec<(Status, u32)> = [
            Status::Counted,
            Status::Disabled,
            Status::Expired,
            Status::System,
            Status::Service,
            Status::ExcludedByYou,
            Status::Dormant,
        ]
        .into_iter()
        .map(|s| (s, count(s)))
        .collect();
        let groups: Vec<(PersonKind, u32)> = KINDS
            .iter()
            .map(|&k| (k, people.iter().filter(|p| p.kind == k).count() as u32))
            .filter(|&(_, c)| c > 0)
            .collect();
        let plans: Vec<(PersonKind, M365Plan, u32)> = KINDS
            .iter()
            .flat_map(|&k| [(k, M365Plan::E3), (k, M365Plan::E5)])
            .map(|(k, plan)| {
                let n = people
                    .iter()
                    .filter(|p| p.kind == k && p.plan == Some(plan))
                    .count();
                (k, plan, n as u32)
            })
            .filter(|&(_, _, n)| n > 0)
            .collect();

        let mut funnel = Vec::new();
        let mut remaining = n as u32;
        funnel.push(FunnelStep {
            label: "Accounts in the file".into(),
            rule: "Auditors start from every account in the directory.".into(),
            removed: 0,
            remaining,
        });
        let steps: [(Status, &str, &str); 6] = [
            (Status::Disabled, "Disabled accounts", "A disabled account cannot sign in, so it accesses nothing."),
            (Status::Expired, "Expired accounts", "An account past its expiry date cannot sign in."),
            (Status::System, "Built-in and system accounts", "krbtgt, Guest, health and system mailboxes, and shared, room and equipment mailboxes (by Exchange's RecipientTypeDetails), are not people."),
            (Status::Service, "Service accounts", "Servers' own access needs no CAL (Microsoft Product Terms); recognised by svc_/sa- names, a trailing $, SPN, Service Accounts OU, or two weaker signs."),
            (Status::ExcludedByYou, "Left out by you", "Your decision, shown per account."),
            (Status::Dormant, DORMANT_STEP, "No logon in the window. Not a licence rule: an auditor may count any account that can sign in, so keep evidence."),
        ];
        for (s, label, rule) in steps {
            let c = count(s);
            remaining -= c;
            funnel.push(FunnelStep {
                label: label.into(),
                rule: rule.into(),
                removed: c,
                remaining,
            });
        }
        let people_n = people.len() as u32;
        funnel.push(FunnelStep {
            label: "Accounts of the same person merged".into(),
            rule: "A User CAL licenses a person, not an account (Microsoft's “John Smith” example): same employeeID, or the same mail unless their employee IDs differ; admin accounts onto their owner.".into(),
            removed: remaining - people_n,
            remaining: people_n,
        });
        Classification {
            verdicts,
            people,
            funnel,
            groups,
            plans,
            date_order,
            date_orders: orders,
            date_order_assumed,
            date_order_notes,
            near_the_line: near,
            logons_after,
            by_status,
        }
    }

    /// The reason shown for account `i`.
    pub fn reason(&self, c: &Classification, opts: &ClassifyOptions, i: usize) -> String {
        let (Some(a), Some(v)) = (self.accounts.get(i), c.verdicts.get(i)) else {
            return String::new();
        };
        let mut parts: Vec<String> = Vec::new();
        let order = c
            .date_orders
            .get(usize::from(a.part))
            .copied()
            .unwrap_or(c.date_order);
        let last = a.last_logon.resolve(order);
        match v.status {
            Status::Disabled => parts.push("disabled: cannot sign in".into()),
            Status::Expired => parts.push(format!(
                "expired on {}",
                a.expires.resolve(order).map_or(String::new(), |d| d.to_string())
            )),
            Status::System if !self.s(a.mailbox).is_empty() => parts.push(format!(
                "a mailbox that is no person's (RecipientTypeDetails “{}”): a User CAL is for the people who use it, counted with their own accounts",
                self.s(a.mailbox)
            )),
            Status::System => parts.push("built-in or system account, not a person".into()),
            Status::Service => {
                let mut why = Vec::new();
                for (bit, text) in [
                    (S_DOLLAR, "name ends in $"),
                    (S_PREFIX, "service-account name"),
                    (S_SPN, "has a servicePrincipalName"),
                    (S_OU, "in a Service Accounts OU"),
                    (S_MACHINE, "machine trust account"),
                    (S_PWD, "password never expires"),
                    (S_SQL, "`sql` in the name"),
                    (S_BACKUP, "`backup` in the name"),
                ] {
                    if v.signals & bit != 0 {
                        why.push(text);
                    }
                }
                parts.push(format!("service account ({}): servers' own access needs no CAL; count it if a person signs in with it", why.join(", ")));
            }
            Status::ExcludedByYou => parts.push("left out by you".into()),
            Status::Dormant => {
                // A blank Enabled or "Block sign in" does not say the account can sign in, only
                // that it is not known to be disabled (review 39).
                let can = if self.has_enabled(a) && a.enabled.is_none() {
                    let columns = self.enabled_columns(a);
                    format!(
                        "its {columns} {} blank, so it is not known to be disabled",
                        if columns.contains(" and ") { "are" } else { "is" }
                    )
                } else {
                    "it can still sign in".into()
                };
                parts.push(match last {
                    Some(d) => format!(
                        "dormant: last logon {d}, more than {} days before {} (a defence argument, not a licence rule: {can})",
                        opts.dormancy_days, opts.today
                    ),
                    None => format!(
                        "dormant: never logged on (a defence argument, not a licence rule: {can})"
                    ),
                })
            }
            Status::Counted => {
                let (has_logon, _) = self.logon_columns(a);
                let has_enabled = self.has_enabled(a);
                // A blank Enabled or "Block sign in" says nothing: the account is not known to be
                // disabled, so it counts, but it is not said to be enabled (review 39).
                let no_state = (has_enabled && a.enabled.is_none()).then(|| {
                    let columns = self.enabled_columns(a);
                    format!(
                        "no sign-in state (its {columns} {} blank): counted, as an account not known to be disabled can sign in",
                        if columns.contains(" and ") { "are" } else { "is" }
                    )
                });
                parts.push(if v.notes & N_COUNTED_BY_YOU != 0 {
                    "counted by you".into()
                } else if v.notes & N_LOGON_BAD != 0 {
                    match a.last_logon {
                        RawDate::Slash { a, b, year } => format!(
                            "last logon unreadable: {a:02}/{b:02}/{year} is no date read {}: counted",
                            match order {
                                DateOrder::DayFirst => "day first",
                                DateOrder::MonthFirst => "month first",
                            }
                        ),
                        _ => "last logon unreadable: counted".into(),
                    }
                } else if !has_logon && self.logon_empty(a) {
                    "its export's last-logon column is empty on every row, so dormancy is not judged: counts".into()
                } else if !has_enabled && !has_logon {
                    "no Enabled or last-logon column: counted as a precaution".into()
                } else if let (Some(no_state), false) = (&no_state, has_logon) {
                    format!("{no_state}; no last-logon column, so dormancy is not judged")
                } else if let Some(no_state) = &no_state {
                    format!("in use; {no_state}")
                } else if !has_logon {
                    "enabled; no last-logon column, so dormancy is not judged: counts".into()
                } else if !has_enabled {
                    "in use; no Enabled column: counts".into()
                } else {
                    "enabled and in use: counts".into()
                });
                if v.notes & N_NEAR_LINE != 0 {
                    parts.push(format!(
                        "near the line: last logon {} is within the {}-day replication lag of lastLogonTimestamp before the cut-off, so kept",
                        last.map_or(String::new(), |d| d.to_string()),
                        opts.lag_days
                    ));
                }
                if v.notes & N_SEEN != 0 {
                    parts.push("its last-logon date is old but the usage logs show it accessing a server".into());
                }
                if v.notes & N_NEW != 0 {
                    parts.push("never logged on but created within the window".into());
                }
                if let Some(p) = v.person.and_then(|p| c.people.get(p as usize)) {
                    if p.accounts > 1 {
                        parts.push(format!(
                            "one of {} accounts of person {}",
                            p.accounts,
                            self.person_id(p)
                        ));
                    }
                }
                if v.notes & N_MAIL_NOT_JOINED != 0 {
                    parts.push(format!(
                        "not merged with the other accounts of e-mail {}: their employee IDs differ, so they are different people",
                        self.s(a.mail).trim()
                    ));
                }
                if let Some(why) = resource_sign(self.s(a.ou), self.s(a.display)) {
                    parts.push(format!(
                        "looks like a shared or resource mailbox ({why}): a User CAL is for the people who use it, not for the mailbox; leave it out when they are counted with their own accounts"
                    ));
                }
                if v.notes & N_ADMIN_NO_OWNER != 0 {
                    // The account list has no "same person as" (import UI review 40: the reason asked
                    // for it); leaving the account out is how its owner is counted once.
                    parts.push("admin account whose owner was not found (no account of its name without the admin prefix or suffix): counts as a person; leave it out if its owner is counted with their own account".into());
                }
            }
        }
        // An account that cannot sign in or is no person is left out whatever kind of person it
        // would be: its reason says only why (review 39: a disabled krbtgt read "employee: no
        // sign of an outsider"). One left out as dormant or by the user still says its kind, the
        // kind it counts as when counted.
        if matches!(
            v.status,
            Status::Disabled | Status::Expired | Status::System | Status::Service
        ) {
            if let (Some(plan), Status::Disabled | Status::Expired) = (a.plan, v.status) {
                parts.push(format!(
                    "Microsoft 365 {plan:?} still assigned: a seat held by an account that cannot sign in"
                ));
            }
            return parts.join("; ");
        }
        let kind = match v.kind {
            PersonKind::Employee => "employee",
            PersonKind::OnsiteContractor => "onsite contractor (internal)",
            PersonKind::OffsiteContractor => "offsite contractor (external)",
            PersonKind::Partner => "partner (external)",
            PersonKind::Customer => "customer (external)",
            PersonKind::AnonymousVisitor => "anonymous visitor",
        };
        let why = match v.kind_why {
            KindWhy::Default => "no sign of an outsider".to_string(),
            KindWhy::Override => "set by you".into(),
            KindWhy::Guest if self.s(a.upn).contains("#EXT#") => "guest (#EXT#) account".into(),
            KindWhy::Guest if a.flags & F_INVITED != 0 => "guest (userType Invitation)".into(),
            KindWhy::Guest if a.flags & F_GUEST_TYPE != 0 => "guest (userType Guest)".into(),
            KindWhy::Guest => "guest account".into(),
            KindWhy::EmployeeType => format!("employeeType “{}”", self.s(a.employee_type)),
            KindWhy::Ou => format!("OU “{}”", self.s(a.ou)),
            KindWhy::Company => format!("company “{}” is not one of yours", self.s(a.company)),
            KindWhy::UpnSuffix => {
                let domain = domain_of(self.upn(i))
                    .or_else(|| domain_of(self.s(a.mail)))
                    .unwrap_or_default();
                let own: Vec<&str> = opts
                    .internal_domains
                    .iter()
                    .map(|d| d.trim().trim_start_matches('@'))
                    .filter(|d| !d.is_empty())
                    .collect();
                format!(
                    "its domain {domain} is not one of yours ({}) nor a subdomain of one",
                    own.join(", ")
                )
            }
        };
        parts.push(format!("{kind}: {why}"));
        let person = v.person.and_then(|p| c.people.get(p as usize));
        let person_plan = person.and_then(|p| p.plan);
        // The group is the person's: the kind of its main account.
        let external = person.map_or(v.kind, |p| p.kind).is_external();
        match (a.plan, person_plan) {
            (Some(plan), _) if v.status == Status::Counted && external => parts.push(format!(
                "Microsoft 365 {plan:?} assigned, but a plan's CAL rights are counted for internal users only: counted without them"
            )),
            (Some(plan), Some(held)) if v.status == Status::Counted && held > plan => parts.push(format!(
                "Microsoft 365 {plan:?} assigned; its person holds {held:?} through another account, so is counted with {held:?}"
            )),
            (Some(plan), _) if v.status == Status::Counted => parts.push(format!(
                "Microsoft 365 {plan:?} assigned: counted in a group marked {plan:?}, whose CAL rights it carries"
            )),
            (Some(plan), _) => parts.push(format!("Microsoft 365 {plan:?} assigned")),
            (None, Some(held)) if v.status == Status::Counted && !external => parts.push(format!(
                "its person holds Microsoft 365 {held:?} through another account, so is counted with {held:?}"
            )),
            _ => {}
        }
        parts.join("; ")
    }
}
