//! Computer and device inventories (Get-ADComputer, Intune, Configuration Manager) and their
//! classification: client devices need a CAL unless every user holds a User CAL; servers are exempt
//! (access by licensed servers needs no CAL, cal-rules §1.8 item 2); networked printers and
//! scanners need a Device CAL unless their users' CALs cover them (§1.8 item 8, §4.2 item 8).

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
    pub enabled: Option<bool>,
    pub last_seen: RawDate,
}

/// Devices read from one or more inventories.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inventory {
    pub rows: Vec<DeviceRow>,
    pub evidence: OrderEvidence,
    pub has_last_seen: bool,
    /// Whether the file has a primary-user column (without one, personal and shared are unknown).
    pub has_primary_user: bool,
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
    Server,
    Disabled,
    /// Not seen in the window (a defence argument, as for accounts).
    Stale,
}

crate::named::named_enum!(DeviceStatus {
    Personal => "personal",
    Shared => "shared",
    Client => "client",
    Unattended => "unattended",
    Server => "server",
    Disabled => "disabled",
    Stale => "stale",
});

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
}

impl Inventory {
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
        self.rows.push(DeviceRow {
            line: row.line,
            name: name.trim_end_matches('$').to_string(),
            os: row.text(Field::OperatingSystem).to_string(),
            primary_user: row.text(Field::PrimaryUser).to_string(),
            device_type: row.text(Field::DeviceType).to_string(),
            enabled,
            last_seen,
        });
        Ok(())
    }

    /// Classifies every device as of `today`, with the dormancy window of accounts.
    pub fn classify(
        &self,
        today: Date,
        window_days: u32,
        order: Option<DateOrder>,
    ) -> DeviceClassification {
        let order = order
            .or(self.evidence.decided())
            .unwrap_or(DateOrder::MonthFirst);
        let cutoff = dates::to_days(today) - window_days as i64;
        let statuses: Vec<DeviceStatus> = self
            .rows
            .iter()
            .map(|d| {
                let os = d.os.to_ascii_lowercase();
                let ty = d.device_type.to_ascii_lowercase();
                if d.enabled == Some(false) {
                    DeviceStatus::Disabled
                } else if os.contains("server") || ty.contains("server") {
                    DeviceStatus::Server
                } else if self.has_last_seen
                    && d.last_seen
                        .resolve(order)
                        .is_some_and(|l| dates::to_days(l) < cutoff)
                {
                    DeviceStatus::Stale
                } else if [
                    "printer",
                    "scanner",
                    "mfp",
                    "multifunction",
                    "copier",
                    "sensor",
                    "iot",
                ]
                .iter()
                .any(|k| ty.contains(k) || os.contains(k))
                {
                    DeviceStatus::Unattended
                } else if !self.has_primary_user {
                    DeviceStatus::Client
                } else if d.primary_user.trim().is_empty() {
                    DeviceStatus::Shared
                } else {
                    DeviceStatus::Personal
                }
            })
            .collect();
        let count = |s: DeviceStatus| statuses.iter().filter(|&&x| x == s).count() as u32;
        let mut remaining = statuses.len() as u32;
        let mut funnel = vec![FunnelStep {
            label: "Devices in the file".into(),
            rule: "Every device that can reach a server needs a Device CAL unless all its users hold User CALs (cal-rules §1.2).".into(),
            removed: 0,
            remaining,
        }];
        for (s, label, rule) in [
            (
                DeviceStatus::Disabled,
                "Disabled devices",
                "A disabled computer account cannot authenticate.",
            ),
            (
                DeviceStatus::Server,
                "Servers",
                "Access by licensed servers needs no CAL (Product Terms, cal-rules §1.8 item 2).",
            ),
            (
                DeviceStatus::Stale,
                "Not seen in the window (defence argument)",
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
            statuses,
        }
    }
}
