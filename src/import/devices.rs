//! Computer and device inventories (Get-ADComputer, Intune, Configuration Manager) and their
//! classification: client devices need a CAL unless every user holds a User CAL; servers are exempt
//! (access by licensed servers needs no CAL, cal-rules §1.8 item 2); networked printers and
//! scanners need a Device CAL unless their users' CALs cover them (§1.8 item 8, §4.2 item 8).
//! So a printer is never a client device (no person works at it): only rows positively marked
//! as printers or scanners (their type, OS, an AD `printQueue` object class, or a column only
//! printers fill, on a row with no OS) go to the printers and scanners pool; a row with nothing
//! said (a computer account with no OS yet) stays a client device, as an auditor would count it.
//! Network equipment (a switch, router, access point or firewall by its type, or a network
//! operating system such as Cisco IOS) is no one's device either, and whether it needs Device
//! CALs is debated (§4.2 item 8): it goes to a pool of its own, marked as network equipment, so
//! the estate's `network_equipment` reading decides for it.

use super::columns::Field;
use super::dates::{self, DateOrder, OrderEvidence, RawDate};
use super::directory::{parse_bool, FunnelStep};
use super::Row;
use crate::estate::Date;

/// One device row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceRow {
    pub line: u32,
    pub name: String,
    pub os: String,
    pub primary_user: String,
    pub device_type: String,
    /// What marks the row as a printer beside its type and OS: an AD object class
    /// (`objectClass “printQueue”`) or a printers-only column (`driverName “HP Universal …”`).
    pub printer: Option<String>,
    pub enabled: Option<bool>,
    pub last_seen: RawDate,
    /// Whether the row's export has a primary-user column: only then does an empty primary
    /// user make the device shared.
    pub primary_user_column: bool,
    /// Which export of the inventory the row comes from (0: the first read).
    pub part: u16,
}

/// Devices read from one or more inventories.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inventory {
    pub rows: Vec<DeviceRow>,
    pub evidence: OrderEvidence,
    pub has_last_seen: bool,
    /// Whether the file (or any of the exports) has a primary-user column (without one,
    /// personal and shared are unknown); each row knows whether its own export has one.
    pub has_primary_user: bool,
    /// Exports added to the first one ([`Inventory::append`]): 0 for a single export.
    pub appended: u16,
    /// Rows read whose primary-user cell has a value.
    pub(crate) primary_users: u32,
}

/// The name that identifies a device across exports: lower case, without a domain prefix
/// (`CORP\PC01`), a trailing `$` (a computer account) or a DNS suffix (`laptop-02.corp.example`
/// is LAPTOP-02). An IP address stays whole.
pub fn device_key(name: &str) -> String {
    let n = name.trim();
    let n = n.rsplit_once('\\').map_or(n, |(_, n)| n);
    let n = n.trim_end_matches('$');
    let is_ip = n.contains(':') || n.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    let n = if is_ip {
        n
    } else {
        n.split('.').next().unwrap_or(n)
    };
    n.to_lowercase()
}

/// Where a device ends up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeviceStatus {
    /// A client device with a primary user.
    Personal,
    /// A client device with no primary user (shared desk, kiosk).
    Shared,
    /// A client device; the file does not say who uses it (Get-ADComputer).
    Client,
    /// Printer, scanner, sensor: a device with no person at it.
    Unattended,
    /// Network equipment (switch, router, access point, firewall): no person works at it, and
    /// whether it needs a Device CAL is a reading of the estate's.
    Network,
    Server,
    Disabled,
    /// Not seen in the window (a defence argument, as for accounts).
    Stale,
    /// A Configuration Manager placeholder ("x64 Unknown Computer (x64 Unknown Computer)"):
    /// an object for deploying an OS to computers it does not know yet, not a device.
    Placeholder,
}

crate::named::named_enum!(DeviceStatus {
    Personal => "personal",
    Shared => "shared",
    Client => "client",
    Unattended => "unattended",
    Network => "network",
    Server => "server",
    Disabled => "disabled",
    Stale => "stale",
    Placeholder => "placeholder",
});

/// The label of the device funnel's step that sets aside devices not seen in the window
/// ([`Inventory::classify`] builds it; [`super::mostly_not_seen`] looks for it).
pub const NOT_SEEN_STEP: &str = "Not seen in the window (defence argument)";

/// The result of classifying an inventory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceClassification {
    pub statuses: Vec<DeviceStatus>,
    pub funnel: Vec<FunnelStep>,
    pub personal: u32,
    pub shared: u32,
    /// Client devices whose users the file does not give.
    pub clients: u32,
    pub unattended: u32,
    /// Network equipment ([`DeviceStatus::Network`]).
    pub network: u32,
    /// Distinct devices: rows of several exports that name one device count once.
    pub devices: u32,
}

/// Why an export's dates are read in the order they are ([`Inventory::date_order`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderReason {
    /// The user chose it.
    Chosen,
    /// A part above 12 proves it.
    Proved,
    /// No date of the export has its day and month in question.
    NoneToDecide,
    /// Month-first would put these last check-ins (name and date as written) after the date of
    /// the count, and day-first none: read day-first.
    FutureIfMonthFirst(Vec<String>),
    /// Nothing decides: read month-first.
    Assumed,
}

/// How strongly a status says what a device is, when exports disagree on one device: what an
/// export knows beats what another does not (a primary user beats "no primary-user column"),
/// any sign of use beats "disabled" or "not seen", and a server, a piece of network equipment or
/// a printer is that in any export.
fn weight(s: DeviceStatus) -> u8 {
    match s {
        DeviceStatus::Placeholder => 9,
        DeviceStatus::Server => 8,
        DeviceStatus::Network => 7,
        DeviceStatus::Unattended => 6,
        DeviceStatus::Personal => 5,
        DeviceStatus::Shared => 4,
        DeviceStatus::Client => 3,
        DeviceStatus::Disabled => 2,
        DeviceStatus::Stale => 1,
    }
}

/// Words of a device type or OS that mark a device no person works at.
const UNATTENDED_WORDS: &[&str] = &[
    "printer",
    "scanner",
    "mfp",
    "multifunction",
    "copier",
    "sensor",
    "camera",
    "badge reader",
];

/// Words of a device type that mark network equipment, each matched as whole words ("Switch",
/// "Network switch", "Wireless Access Point", "Firewall"). Not "gateway" (a payment or VoIP
/// gateway may be a server or a phone) and not "AP" alone.
const NETWORK_TYPE_WORDS: &[&[&str]] = &[
    &["switch"],
    &["router"],
    &["firewall"],
    &["access", "point"],
    &["wireless", "controller"],
    &["wlan", "controller"],
    &["network", "device"],
    &["network", "equipment"],
    &["network", "appliance"],
];

/// Network operating systems, each matched as whole words of the OS ("Cisco IOS XE 17.9",
/// "JUNOS 21.4R3", "ArubaOS-CX 10.12"). "IOS" alone is Apple's phone OS, so Cisco's needs
/// "Cisco" or its XE, XR or NX forms.
const NETWORK_OS_WORDS: &[&[&str]] = &[
    &["cisco", "ios"],
    &["ios", "xe"],
    &["ios", "xr"],
    &["iosxe"],
    &["nx", "os"],
    &["nxos"],
    &["junos"],
    &["arubaos"],
    &["aos", "cx"],
    &["fortios"],
    &["pan", "os"],
    &["panos"],
    &["routeros"],
    &["comware"],
    &["exos"],
    &["extremexos"],
    &["arista", "eos"],
    &["os10"],
    &["vyos"],
    &["edgeos"],
];

/// The words of a text in lower case, split at anything not a letter or digit ("Windows 10
/// IoT Enterprise" → windows, 10, iot, enterprise).
fn words(t: &str) -> Vec<String> {
    t.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Windows IoT Enterprise ("Windows 10 IoT Enterprise", "Windows 11 IoT Enterprise LTSC",
/// "IoTEnterprise"): the full Windows, licensed for fixed-purpose devices such as kiosks, thin
/// clients and point-of-sale terminals, at which people work. Not the headless IoT Core.
fn is_iot_enterprise(t: &str) -> bool {
    let w = words(t);
    let has = |x: &str| w.iter().any(|v| v == x);
    (has("iotenterprise") || (has("iot") && has("enterprise"))) && !has("core") && !has("iotcore")
}

/// Whether a device type or OS names a device no person works at: a printer, scanner, sensor,
/// camera or badge reader, or an IoT device other than Windows IoT Enterprise (IoT Core, "IoT
/// device").
fn headless(t: &str) -> bool {
    let lower = t.to_lowercase();
    if UNATTENDED_WORDS.iter().any(|k| lower.contains(k)) {
        return true;
    }
    let w = words(t);
    let iot = w.iter().any(|v| v.starts_with("iot"));
    iot && !is_iot_enterprise(t)
}

/// Whether the words of `t` hold one of `phrases` as consecutive words.
fn has_phrase(t: &str, phrases: &[&[&str]]) -> bool {
    let w = words(t);
    phrases.iter().any(|p| {
        w.windows(p.len())
            .any(|x| x.iter().zip(p.iter()).all(|(a, b)| a == b))
    })
}

/// What marks a row as network equipment (a switch, router, access point or firewall by its
/// type; Cisco IOS, Junos, ArubaOS, FortiOS and other network operating systems by its OS), in
/// words for the user, or `None`. A row marked as a printer, scanner or other headless device
/// is that, not network equipment.
pub fn network_sign(d: &DeviceRow) -> Option<String> {
    if d.printer.is_some() || headless(&d.device_type) {
        return None;
    }
    if has_phrase(&d.device_type, NETWORK_TYPE_WORDS) {
        Some(format!("type “{}”", d.device_type.trim()))
    } else if !headless(&d.os) && has_phrase(&d.os, NETWORK_OS_WORDS) {
        Some(format!("operating system “{}”", d.os.trim()))
    } else {
        None
    }
}

/// The OS or type that makes a device Windows IoT Enterprise, in words for its reason, when
/// one does (see [`is_iot_enterprise`]).
fn iot_enterprise_sign(d: &DeviceRow) -> Option<String> {
    if is_iot_enterprise(&d.os) {
        Some(format!("operating system “{}”", d.os.trim()))
    } else if is_iot_enterprise(&d.device_type) {
        Some(format!("type “{}”", d.device_type.trim()))
    } else {
        None
    }
}

/// What marks a row as a printer, scanner or other device no person works at, in words for the
/// user (`objectClass “printQueue”`, `type “Printer”`), or `None` when nothing does. Windows IoT
/// Enterprise is not such a mark: it is a full Windows on kiosks, thin clients and point-of-sale
/// devices where people work.
pub fn unattended_sign(d: &DeviceRow) -> Option<String> {
    if let Some(p) = &d.printer {
        return Some(p.clone());
    }
    let has = |t: &str| headless(t);
    if has(&d.device_type) {
        Some(format!("type “{}”", d.device_type.trim()))
    } else if has(&d.os) {
        Some(format!("operating system “{}”", d.os.trim()))
    } else {
        None
    }
}

/// Whether a name is one of the objects Configuration Manager (SCCM) creates for each site to
/// deploy an OS to computers it does not know yet, "x64 Unknown Computer (x64 Unknown
/// Computer)" and "x86 Unknown Computer (x86 Unknown Computer)": listed in its device exports,
/// but no device. Only these names: a real device whose Client column says "No" (no
/// Configuration Manager client) is still a device people may work at.
pub fn is_sccm_placeholder(name: &str) -> bool {
    let n = name.trim().to_lowercase();
    let n = n.split_whitespace().collect::<Vec<_>>().join(" ");
    ["x64 unknown computer", "x86 unknown computer"]
        .iter()
        .any(|p| n == *p || n == format!("{p} ({p})"))
}

/// A server by its OS or type.
fn is_server(d: &DeviceRow) -> bool {
    d.os.to_ascii_lowercase().contains("server")
        || d.device_type.to_ascii_lowercase().contains("server")
}

impl Inventory {
    /// Notes on the file as a whole: the devices its columns mark as printers or scanners, or
    /// as network equipment, which are not client devices.
    /// `unit` names the rows' numbers (lines, or a JSON file's objects).
    pub fn notes(&self, unit: super::RowUnit) -> Vec<String> {
        let mut notes = Vec::new();
        let placeholders: Vec<String> = self
            .rows
            .iter()
            .filter(|d| is_sccm_placeholder(&d.name))
            .map(|d| format!("{} ({})", d.name, unit.at(d.line)))
            .collect();
        if !placeholders.is_empty() {
            notes.push(format!(
                "Left out, as not devices: {}. Configuration Manager creates these objects to deploy an operating system to computers it does not know yet; they are listed in its device exports but no one works at them.",
                placeholders.join("; ")
            ));
        }
        // The rows a sign marks (not disabled, not servers), each with its line and the sign,
        // the first ten of them shown.
        let marked = |sign: fn(&DeviceRow) -> Option<String>| -> (usize, String) {
            let rows: Vec<String> = (self.rows.iter())
                .filter(|d| d.enabled != Some(false) && !is_server(d))
                .filter_map(|d| sign(d).map(|s| format!("{} ({}, {s})", d.name, unit.at(d.line))))
                .collect();
            let more = if rows.len() > 10 { "; …" } else { "" };
            (
                rows.len(),
                format!("{}{more}", rows[..rows.len().min(10)].join("; ")),
            )
        };
        // "1 device is …", "3 devices are …" (the module's count in words).
        let counted = |n: usize, one: &str, many: &str| {
            super::counted(
                n,
                "device",
                "devices",
                &format!("is {one}"),
                &format!("are {many}"),
            )
        };
        let (n, shown) = marked(network_sign);
        if n > 0 {
            notes.push(format!(
                "{} by their columns: {shown}. No one works at a switch, router, access point or firewall, so they are not client devices; whether such equipment, authenticating to the directory, needs Device CALs is debated, so they are counted as network equipment (an unattended pool marked so), which needs Device CALs under the default reading and none under the other (“Where sources disagree”).",
                counted(n, "network equipment", "network equipment")
            ));
        }
        let (n, shown) = marked(|d| {
            network_sign(d)
                .is_none()
                .then(|| unattended_sign(d))
                .flatten()
        });
        if n > 0 {
            notes.push(format!(
                "{} no one works at, by their columns: {shown}. They are not client devices: a networked printer or scanner needs a Device CAL unless the CALs of the people who use it cover it (Microsoft's licensing team), so they are counted as printers and scanners (an unattended pool), not as devices people work at. A row with no operating system and nothing that marks it a printer stays a client device.",
                counted(n, "a printer, scanner or other device", "printers, scanners or other devices")
            ));
        }
        notes
    }

    /// Why row `i` has `status`, in words for the device list.
    pub fn reason(&self, i: usize, status: DeviceStatus) -> String {
        let Some(d) = self.rows.get(i) else {
            return String::new();
        };
        let reason: String = match status {
            DeviceStatus::Unattended => format!(
                "printer or scanner, or another device no one works at ({}), so it is not a client device; it needs a Device CAL unless the CALs of the people who use it cover it",
                unattended_sign(d).unwrap_or_else(|| "in another export".into())
            ),
            DeviceStatus::Network => format!(
                "network equipment ({}): no one works at it, so it is not a client device; whether it needs a Device CAL is debated, and the estate's reading for network equipment decides (a Device CAL by default)",
                network_sign(d).unwrap_or_else(|| "in another export".into())
            ),
            DeviceStatus::Server => {
                "server: access by licensed servers needs no CAL (Microsoft Product Terms)".into()
            }
            DeviceStatus::Disabled => {
                "disabled: a disabled computer account cannot authenticate".into()
            }
            DeviceStatus::Placeholder => "Configuration Manager placeholder for deploying an operating system to unknown computers, not a device: left out".into(),
            DeviceStatus::Stale => "not seen in the window (a defence argument, not a licence rule: keep evidence that it is retired)".into(),
            DeviceStatus::Personal => format!(
                "client device of {}: needs a Device CAL unless its users hold User CALs",
                d.primary_user.trim()
            ),
            DeviceStatus::Shared => "shared client device (no primary user): needs a Device CAL unless all its users hold User CALs".into(),
            DeviceStatus::Client => {
                if d.os.trim().is_empty() {
                    "client device: nothing in its row says it is a server or a printer (no operating system given), so it is counted as one people work at".into()
                } else {
                    "client device: the file does not say who uses it; it needs a Device CAL unless its users hold User CALs".into()
                }
            }
        };
        match iot_enterprise_sign(d) {
            Some(sign) if matches!(
                status,
                DeviceStatus::Personal | DeviceStatus::Shared | DeviceStatus::Client
            ) => format!("{reason}. Its {sign} is Windows IoT Enterprise, a full Windows edition on kiosks, thin clients and point-of-sale devices where people work, so it is a client device, not an unattended one like a sensor or an IoT Core device"),
            _ => reason,
        }
    }

    /// Adds the rows of another export (an Intune export beside an AD one). Each row keeps its
    /// export, so that export's columns decide for it alone.
    pub fn append(&mut self, other: Inventory) {
        let base = self.appended.saturating_add(1);
        self.rows.extend(other.rows.into_iter().map(|mut r| {
            r.part = r.part.saturating_add(base);
            r
        }));
        self.appended = base.saturating_add(other.appended);
        self.evidence.merge(other.evidence);
        self.has_last_seen |= other.has_last_seen;
        self.has_primary_user |= other.has_primary_user;
    }

    /// Once every row of an export is read: a primary-user column (`column`, its header) empty
    /// on every row says nothing of who uses the devices, so it is no primary-user column, and
    /// no device is counted as shared for it. Get-ADComputer writes a UserPrincipalName column
    /// that is always empty, and its computers all came out shared (import review). The note
    /// that says so, when it is.
    pub(crate) fn settle_primary_user(&mut self, column: &str) -> Option<String> {
        if !self.has_primary_user || self.primary_users > 0 || self.rows.is_empty() {
            return None;
        }
        self.has_primary_user = false;
        for r in &mut self.rows {
            r.primary_user_column = false;
        }
        Some(format!(
            "The column {column}, read as the devices' primary user, is empty on every row, so it says nothing of who uses them: it is not read, and no device is counted as shared for it (Get-ADComputer writes this column, always empty, for computers). If every device of the file is shared, map the column as the primary user (in the app, “Columns…”; on the command line, --column primary-user={column})."
        ))
    }

    /// For each row, the device it is (an index counting from 0 in row order): rows of
    /// different exports whose names match (see [`device_key`]) are one device; two rows of one
    /// export stay two.
    pub fn device_of_rows(&self) -> (Vec<u32>, u32) {
        let mut by_key: std::collections::HashMap<String, Vec<(u32, Vec<u16>)>> =
            std::collections::HashMap::new();
        let mut next = 0u32;
        let mut out = Vec::with_capacity(self.rows.len());
        for r in &self.rows {
            if self.appended == 0 {
                out.push(next);
                next += 1;
                continue;
            }
            let devices = by_key.entry(device_key(&r.name)).or_default();
            match devices
                .iter_mut()
                .find(|(_, parts)| !parts.contains(&r.part))
            {
                Some((d, parts)) => {
                    parts.push(r.part);
                    out.push(*d);
                }
                None => {
                    devices.push((next, vec![r.part]));
                    out.push(next);
                    next += 1;
                }
            }
        }
        (out, next)
    }

    pub(crate) fn row(&mut self, row: &Row<'_>) -> Result<(), String> {
        let name = row.text(Field::DeviceName).to_string();
        if name.is_empty() {
            return Err("no device name".into());
        }
        let enabled = row.text(Field::Enabled);
        let enabled =
            if enabled.is_empty() {
                None
            } else {
                Some(parse_bool(&enabled).ok_or_else(|| {
                    format!("`{enabled}` in the enabled column is not true or false")
                })?)
            };
        let t = row.text(Field::LastLogon);
        let last_seen = dates::parse(&t);
        if last_seen == RawDate::Invalid {
            return Err(format!(
                "`{t}` in {} is not a date",
                Field::LastLogon.label()
            ));
        }
        self.evidence.note(last_seen);
        let os = row.text(Field::OperatingSystem);
        let class = row.text(Field::ObjectClass);
        let class_norm = super::columns::normalise(&class);
        let model = row.text(Field::PrinterModel);
        // A PC's inventory row may name the printer it prints to: only a row with no OS is the
        // printer itself.
        let printer = if class_norm.contains("printqueue") || class_norm.contains("printer") {
            Some(format!("objectClass “{}”", class.trim()))
        } else if os.is_empty() && !model.is_empty() {
            let header = row
                .header_text(Field::PrinterModel)
                .unwrap_or("printer model");
            Some(format!("{header} “{}”", model.trim()))
        } else {
            None
        };
        let primary_user = row.text(Field::PrimaryUser).to_string();
        self.primary_users += u32::from(!primary_user.is_empty());
        self.rows.push(DeviceRow {
            line: row.line,
            name: name.trim_end_matches('$').to_string(),
            os: os.to_string(),
            primary_user,
            device_type: row.text(Field::DeviceType).to_string(),
            printer,
            enabled,
            last_seen,
            primary_user_column: self.has_primary_user,
            part: 0,
        });
        Ok(())
    }

    /// The day-month order of the dates of export `part` (0 for the first read), and why: the
    /// order chosen (`forced`), else the one its own values prove (a part above 12), else
    /// day-first when month-first would put some of its last-seen dates after `today`, the date
    /// of the count, and day-first none (a device cannot have checked in after the export was
    /// made), else month-first, assumed. Each export decides for itself, as directory exports
    /// do: an Intune export and an AD one of one organisation may be written differently.
    pub fn date_order(
        &self,
        part: u16,
        forced: Option<DateOrder>,
        today: Option<Date>,
    ) -> (DateOrder, OrderReason) {
        if let Some(o) = forced {
            return (o, OrderReason::Chosen);
        }
        let rows = || self.rows.iter().filter(move |r| r.part == part);
        let mut evidence = OrderEvidence::default();
        for r in rows() {
            evidence.note(r.last_seen);
        }
        if let Some(o) = evidence.decided() {
            return (o, OrderReason::Proved);
        }
        if evidence.slash_values == 0 {
            return (DateOrder::MonthFirst, OrderReason::NoneToDecide);
        }
        // Undecided because no part is above 12, not because parts contradict each other.
        if let (Some(today), 0, 0) = (today, evidence.day_first, evidence.month_first) {
            let after = |r: &DeviceRow, o| r.last_seen.resolve(o).is_some_and(|x| x > today);
            let future: Vec<String> = rows()
                .filter(|r| after(r, DateOrder::MonthFirst))
                .map(|r| match r.last_seen {
                    RawDate::Slash { a, b, year } => format!("{} {a:02}/{b:02}/{year}", r.name),
                    _ => r.name.clone(),
                })
                .collect();
            if !future.is_empty() && !rows().any(|r| after(r, DateOrder::DayFirst)) {
                return (DateOrder::DayFirst, OrderReason::FutureIfMonthFirst(future));
            }
        }
        (DateOrder::MonthFirst, OrderReason::Assumed)
    }

    /// The note on the day-month order of export `part` (read from `file`) as of `today`, when
    /// its values do not prove it (see [`Inventory::date_order`]): in the words of the accounts'
    /// notes, so that the file's summary says which order was read and how to change it.
    pub fn date_order_note(&self, part: u16, today: Option<Date>, file: &str) -> Option<String> {
        let of = if file.is_empty() {
            " of this file".to_string()
        } else {
            format!(" of {file}")
        };
        match self.date_order(part, None, today).1 {
            OrderReason::Assumed => Some(format!(
                "The dates{of} do not say whether 3/4 is 3 April or 4 March; unless the order is chosen, they are read as month first (US). If that is wrong, choose day first (in the app, “Dates like 3/4/2025 are”; on the command line, --date-order day-first): a device whose last check-in is read in the wrong order may fall out as not seen in the window."
            )),
            OrderReason::FutureIfMonthFirst(future) => {
                let shown: Vec<&str> = future.iter().take(3).map(String::as_str).collect();
                Some(format!(
                    "The dates{of} do not say whether 3/4 is 3 April or 4 March, but read month first (US), {} after {}, the date of the count ({}{}), and read day first none does: unless the order is chosen, they are read day first. If that is wrong, choose month first (in the app, “Dates like 3/4/2025 are”; on the command line, --date-order month-first).",
                    if future.len() == 1 {
                        "1 last check-in would fall".to_string()
                    } else {
                        format!(
                            "{} last check-ins would fall",
                            crate::position::thousands(future.len() as u64)
                        )
                    },
                    today.map_or_else(String::new, |t| t.to_string()),
                    shown.join(", "),
                    if future.len() > shown.len() { ", …" } else { "" },
                ))
            }
            _ => None,
        }
    }

    /// Classifies every device as of `today`, with the dormancy window of accounts.
    pub fn classify(
        &self,
        today: Date,
        window_days: u32,
        order: Option<DateOrder>,
    ) -> DeviceClassification {
        let orders: Vec<DateOrder> = (0..=self.appended)
            .map(|part| self.date_order(part, order, Some(today)).0)
            .collect();
        let cutoff = dates::to_days(today) - window_days as i64;
        let statuses: Vec<DeviceStatus> = self
            .rows
            .iter()
            .map(|d| {
                if is_sccm_placeholder(&d.name) {
                    DeviceStatus::Placeholder
                } else if d.enabled == Some(false) {
                    DeviceStatus::Disabled
                } else if is_server(d) {
                    DeviceStatus::Server
                } else if self.has_last_seen
                    && d.last_seen
                        .resolve(
                            orders
                                .get(usize::from(d.part))
                                .copied()
                                .unwrap_or(DateOrder::MonthFirst),
                        )
                        .is_some_and(|l| dates::to_days(l) < cutoff)
                {
                    DeviceStatus::Stale
                } else if network_sign(d).is_some() {
                    DeviceStatus::Network
                } else if unattended_sign(d).is_some() {
                    DeviceStatus::Unattended
                } else if !d.primary_user_column {
                    DeviceStatus::Client
                } else if d.primary_user.trim().is_empty() {
                    DeviceStatus::Shared
                } else {
                    DeviceStatus::Personal
                }
            })
            .collect();
        // One status per device: the strongest of its rows' (see `weight`), given to each row.
        let (device_of, devices) = self.device_of_rows();
        let mut per_device: Vec<Option<DeviceStatus>> = vec![None; devices as usize];
        for (&d, &s) in device_of.iter().zip(&statuses) {
            if let Some(slot) = per_device.get_mut(d as usize) {
                if slot.is_none_or(|x| weight(s) > weight(x)) {
                    *slot = Some(s);
                }
            }
        }
        let statuses: Vec<DeviceStatus> = device_of
            .iter()
            .zip(statuses)
            .map(|(&d, s)| per_device.get(d as usize).copied().flatten().unwrap_or(s))
            .collect();
        let count = |s: DeviceStatus| per_device.iter().filter(|&&x| x == Some(s)).count() as u32;
        let rows = self.rows.len() as u32;
        let mut remaining = rows;
        let several = self.appended > 0;
        let mut funnel = vec![FunnelStep {
            label: if several {
                "Devices in the exports".into()
            } else {
                "Devices in the file".into()
            },
            rule: "Every device that can reach a server needs a Device CAL unless all its users hold User CALs.".into(),
            removed: 0,
            remaining,
        }];
        if several {
            remaining = devices;
            funnel.push(FunnelStep {
                label: "Listed in another export too".into(),
                rule: "One device in several exports (LAPTOP-02 in AD, laptop-02.corp.example in Intune: names compared in any case, without the DNS suffix) counts once, as what the export that knows most says it is.".into(),
                removed: rows - devices,
                remaining,
            });
        }
        let placeholders = count(DeviceStatus::Placeholder);
        if placeholders > 0 {
            remaining -= placeholders;
            funnel.push(FunnelStep {
                label: "Configuration Manager placeholders (not devices)".into(),
                rule: "“x64 Unknown Computer” and “x86 Unknown Computer” are objects Configuration Manager creates to deploy an operating system to computers it does not know yet, not devices.".into(),
                removed: placeholders,
                remaining,
            });
        }
        for (s, label, rule) in [
            (
                DeviceStatus::Disabled,
                "Disabled devices",
                "A disabled computer account cannot authenticate.",
            ),
            (
                DeviceStatus::Server,
                "Servers",
                "Access by licensed servers needs no CAL (Microsoft Product Terms).",
            ),
            (
                DeviceStatus::Stale,
                NOT_SEEN_STEP,
                "Not a licence rule: keep evidence that it is retired.",
            ),
        ] {
            let c = count(s);
            remaining -= c;
            funnel.push(FunnelStep {
                label: label.into(),
                rule: rule.into(),
                removed: c,
                remaining,
            });
        }
        DeviceClassification {
            funnel,
            personal: count(DeviceStatus::Personal),
            shared: count(DeviceStatus::Shared),
            clients: count(DeviceStatus::Client),
            unattended: count(DeviceStatus::Unattended),
            network: count(DeviceStatus::Network),
            devices,
            statuses,
        }
    }
}
