//! Usage data: who used which device to reach which server. Sources: User Access Logging
//! (`Get-UalUserAccess`, which has no client device), logon events (4624: TargetUserName,
//! WorkstationName/IpAddress, the server as Computer/MachineName, LogonType 10 = Remote Desktop),
//! session logs, and RD Licensing per-user / per-device reports (cal-rules §4.2 item 7).
//!
//! Rows are reduced to distinct links as they are read, so a log of millions of events takes the
//! memory of its distinct (user, device, server) triples.

use super::columns::Field;
use super::dates::{self, DateOrder, OrderEvidence, RawDate};
use super::devices::device_key;
use super::Row;
use crate::estate::{Date, Feature};
use std::collections::{HashMap, HashSet};

/// Distinct usage links.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UsageLog {
    names: Vec<String>,
    index: HashMap<String, u32>,
    /// (user, device, server, remote desktop) as name indices; device `u32::MAX` when unknown.
    pub links: HashSet<(u32, u32, u32, bool)>,
    /// Rows read.
    pub rows: u64,
    /// Rows of machine or system logons (SYSTEM, ANONYMOUS LOGON, computer$ accounts, service
    /// logons, Windows' virtual accounts) left out.
    pub system_rows: u64,
    /// The accounts left out as not people, as written, each with why, in the order first
    /// seen (for the file's note).
    pub left_out: Vec<(String, String)>,
    left_out_keys: HashSet<String>,
    /// RD Licensing: users holding a per-user RDS CAL, devices holding a per-device one.
    pub rds_per_user: HashSet<u32>,
    pub rds_per_device: HashSet<u32>,
    /// CAL versions seen in an RD Licensing report.
    pub rds_versions: Vec<String>,
    /// RD Licensing: when each CAL expires (boxed: most logs have none).
    rds_dates: Box<RdsDates>,
}

/// The expiry dates of an RD Licensing report's CALs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct RdsDates {
    /// Each user's or device's CAL expiry dates (`Expires On`); `[Never]` when one of its rows
    /// has none (or one that is not a date): nothing says that CAL ended.
    expiry: HashMap<u32, Vec<RawDate>>,
    /// Day-month order evidence of the expiry dates.
    evidence: OrderEvidence,
    /// Users (false) and devices (true) whose CALs had all expired on the date of the count
    /// ([`UsageLog::set_rds_as_of`]): left out of the use the report proves.
    expired: Vec<(u32, bool)>,
}

/// Unknown client device.
pub const NO_DEVICE: u32 = u32::MAX;

/// Accounts left out as not people that a log's note names.
const MAX_LEFT_OUT_NAMED: usize = 10;

/// A user name as a lower-case account key: `DOMAIN\jsmith` → `jsmith`; UPNs stay whole.
pub fn user_key(s: &str) -> String {
    let s = s.trim();
    let s = s.rsplit_once('\\').map_or(s, |(_, n)| n);
    s.to_ascii_lowercase()
}

fn is_system_user(k: &str) -> bool {
    k.is_empty()
        || k.ends_with('$')
        || matches!(
            k,
            "system" | "anonymous logon" | "local service" | "network service" | "-" | "n/a"
        )
        || k.starts_with("dwm-")
        || k.starts_with("umfd-")
}

/// Domains of Windows' own identities, not people: built-in accounts (`NT AUTHORITY\IUSR`),
/// services' and application pools' virtual accounts (`NT SERVICE\MSSQLSERVER`,
/// `IIS APPPOOL\DefaultAppPool`), the desktop window manager's and font driver host's
/// sessions, Hyper-V's virtual machines.
const VIRTUAL_DOMAINS: &[&str] = &[
    "nt authority",
    "nt service",
    "iis apppool",
    "window manager",
    "font driver host",
    "nt virtual machine",
];

/// Why a logon of `user` (as written, lower-case key `k`) in `domain` of logon type `logon`
/// (lower case) is no person's, when it is not: Windows' own identities, a service started by
/// Windows (logon type 5), an Exchange health or system mailbox.
fn not_a_person(k: &str, domain: &str, logon: &str) -> Option<String> {
    if k.ends_with('$') {
        return Some("a computer account ($)".into());
    }
    if is_system_user(k) {
        return Some("a built-in Windows identity".into());
    }
    if let Some(d) = VIRTUAL_DOMAINS
        .iter()
        .find(|d| domain.trim().eq_ignore_ascii_case(d))
    {
        return Some(format!(
            "domain {}: one of Windows' own identities",
            d.to_ascii_uppercase()
        ));
    }
    if logon == "5" || logon.starts_with("service") {
        return Some("logon type 5: a service started by Windows".into());
    }
    if super::directory::is_system(k) {
        return Some("a built-in or system account (such as an Exchange health mailbox)".into());
    }
    None
}

impl UsageLog {
    /// The index of a name, added when new.
    pub(crate) fn intern(&mut self, s: &str) -> u32 {
        self.id(s)
    }

    fn id(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = self.names.len() as u32;
        self.names.push(s.to_string());
        self.index.insert(s.to_string(), i);
        i
    }

    pub fn name(&self, i: u32) -> &str {
        self.names.get(i as usize).map_or("", String::as_str)
    }

    /// Lower-case user keys seen in the links and the RDS report.
    pub fn users(&self) -> HashSet<String> {
        self.links
            .iter()
            .map(|l| l.0)
            .chain(self.rds_per_user.iter().copied())
            .map(|u| self.name(u).to_string())
            .collect()
    }

    pub(crate) fn row(&mut self, row: &Row<'_>) -> Result<(), String> {
        self.rows += 1;
        let written = row.text(Field::User);
        let user = user_key(&written);
        let logon = row.text(Field::LogonType).to_ascii_lowercase();
        // The domain column, else the domain of `DOMAIN\user`.
        let domain = row.text(Field::Domain);
        let domain = match written.trim().rsplit_once('\\') {
            Some((d, _)) if domain.is_empty() => d.to_string(),
            _ => domain.into_owned(),
        };
        if let Some(why) = not_a_person(&user, &domain, &logon) {
            self.system_rows += 1;
            if !matches!(user.as_str(), "" | "-" | "n/a") && self.left_out_keys.insert(user) {
                self.left_out.push((written.trim().to_string(), why));
            }
            return Ok(());
        }
        // Servers and devices by the name the device exports compare (review 24: KIOSK1 in one
        // log and kiosk1.corp.example in another were two devices, two Device CALs).
        let server = device_key(&row.text(Field::Server));
        if server.is_empty() {
            return Err("no server".into());
        }
        let device = device_key(&row.text(Field::ClientDevice));
        let role = row.text(Field::Role).to_ascii_lowercase();
        let rdp = role.contains("remote desktop")
            || role.contains("terminal")
            || logon == "10"
            || logon.contains("remoteinteractive")
            || logon.contains("rdp");
        let u = self.id(&user);
        let d = if device.is_empty() || device == "-" || device == "::1" || device == "127.0.0.1" {
            NO_DEVICE
        } else {
            self.id(&device)
        };
        let s = self.id(&server);
        self.links.insert((u, d, s, rdp));
        Ok(())
    }

    pub(crate) fn rds_row(&mut self, row: &Row<'_>) -> Result<(), String> {
        self.rows += 1;
        let to = row.text(Field::IssuedTo);
        if to.trim().is_empty() {
            return Err("no user or device in `Issued to`".into());
        }
        let cal = row.text(Field::CalType).to_ascii_lowercase();
        let key = user_key(&to);
        let per_device = cal.contains("device")
            || row
                .header_of(Field::IssuedTo)
                .is_some_and(|h| h.contains("computer") || h.contains("device"));
        let id = self.id(&key);
        let expires = dates::parse_bytes(&row.bytes(Field::AccountExpires));
        self.rds_dates.evidence.note(expires);
        let current = match expires {
            RawDate::Exact(_) | RawDate::Slash { .. } => expires,
            // No expiry, or one that is not a date: nothing says it ended.
            _ => RawDate::Never,
        };
        let all = self.rds_dates.expiry.entry(id).or_default();
        if all.first() != Some(&RawDate::Never) {
            if current == RawDate::Never {
                *all = vec![RawDate::Never];
            } else if !all.contains(&current) {
                all.push(current);
            }
        }
        if per_device {
            self.rds_per_device.insert(id);
        } else {
            self.rds_per_user.insert(id);
        }
        let version = row.text(Field::Version);
        let v = super::licences::year_in(&format!("{cal} {version}"));
        if let Some(v) = v {
            if !self.rds_versions.contains(&v) {
                self.rds_versions.push(v);
            }
        }
        Ok(())
    }

    /// Notes on the log as a whole: the accounts left out as not people, with why.
    pub fn notes(&self) -> Vec<String> {
        if self.left_out.is_empty() {
            return Vec::new();
        }
        let shown: Vec<String> = self
            .left_out
            .iter()
            .take(MAX_LEFT_OUT_NAMED)
            .map(|(name, why)| format!("{name} ({why})"))
            .collect();
        let more = self.left_out.len().saturating_sub(MAX_LEFT_OUT_NAMED);
        vec![format!(
            "{} left out as not people, and their logons are not usage: {}{}. A CAL is for a person or a device that reaches the server; the server's own services, Windows' built-in and virtual identities and computer accounts need none.",
            super::counted(self.left_out.len(), "account", "accounts", "is", "are"),
            shown.join("; "),
            if more > 0 {
                format!("; and {} more", crate::position::thousands(more as u64))
            } else {
                String::new()
            }
        )]
    }

    /// Whether the log holds RD Licensing CALs with expiry dates: its use depends on the date of
    /// the count ([`UsageLog::set_rds_as_of`]).
    pub fn has_rds_expiry(&self) -> bool {
        !self.rds_dates.expiry.is_empty()
    }

    /// Leaves out of the RD Licensing use the users and devices whose CALs had all expired
    /// before `today` (their `Expires On`; the day-month order from the report's own dates,
    /// else `order`, else month-first), putting back those set aside for an earlier date. The
    /// note for the file, naming how many and the first few, when any is left out.
    pub fn set_rds_as_of(&mut self, today: Date, order: Option<DateOrder>) -> Option<String> {
        for (id, device) in std::mem::take(&mut self.rds_dates.expired) {
            if device {
                self.rds_per_device.insert(id);
            } else {
                self.rds_per_user.insert(id);
            }
        }
        let order = self
            .rds_dates
            .evidence
            .decided()
            .or(order)
            .unwrap_or(DateOrder::MonthFirst);
        let expired = |id: &u32| {
            self.rds_dates.expiry.get(id).is_some_and(|all| {
                !all.is_empty()
                    && all
                        .iter()
                        .all(|e| e.resolve(order).is_some_and(|d| d < today))
            })
        };
        let mut gone: Vec<(u32, bool)> = self
            .rds_per_user
            .iter()
            .filter(|id| expired(id))
            .map(|&id| (id, false))
            .chain(
                self.rds_per_device
                    .iter()
                    .filter(|id| expired(id))
                    .map(|&id| (id, true)),
            )
            .collect();
        if gone.is_empty() {
            return None;
        }
        crate::sort::sort_by(&mut gone, |a, b| {
            (a.1, self.name(a.0)).cmp(&(b.1, self.name(b.0)))
        });
        for &(id, device) in &gone {
            if device {
                self.rds_per_device.remove(&id);
            } else {
                self.rds_per_user.remove(&id);
            }
        }
        let names: Vec<&str> = gone.iter().take(5).map(|&(id, _)| self.name(id)).collect();
        let n = gone.len();
        let devices = gone.iter().filter(|g| g.1).count();
        let (one, many) = match devices {
            0 => ("user's RDS CAL", "users' RDS CALs"),
            d if d == n => ("device's RDS CAL", "devices' RDS CALs"),
            _ => ("", "users' or devices' RDS CALs"),
        };
        let note = format!(
            "{} expired before {today}, the date of the count (Expires On): {}{}. {} left out of the use this report proves; a CAL issued again since is on a row of its own.",
            super::counted(n, one, many, "had", "had"),
            names.join(", "),
            if n > names.len() {
                format!(" and {} more", n - names.len())
            } else {
                String::new()
            },
            if n == 1 { "It is" } else { "They are" },
        );
        self.rds_dates.expired = gone;
        Some(note)
    }

    /// Distinct users, devices and servers in the links.
    pub fn counts(&self) -> (usize, usize, usize) {
        let u: HashSet<u32> = self.links.iter().map(|l| l.0).collect();
        let d: HashSet<u32> = self
            .links
            .iter()
            .map(|l| l.1)
            .filter(|&d| d != NO_DEVICE)
            .collect();
        let s: HashSet<u32> = self.links.iter().map(|l| l.2).collect();
        (u.len(), d.len(), s.len())
    }

    /// The features a link carries.
    pub fn features(rdp: bool) -> Vec<Feature> {
        if rdp {
            vec![Feature::RemoteDesktop]
        } else {
            Vec::new()
        }
    }
}
