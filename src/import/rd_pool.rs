//! A per-device RD Licensing report as a shared device pool. The report names devices only
//! (Issued To = computer names): a usage link needs the person at the device, so the import does
//! not guess who works at them. The user says which groups of the estate use them and which RD
//! Session Host(s) they reach; this makes the pool (`shared_devices`, one per report file, by an
//! id derived from the file name so that importing the report again replaces it) and the access
//! rule with remote desktop from those groups to those hosts (cal-rules §4.2 item 7).

use super::apply::ImportSet;
use crate::estate::{Access, Estate, Feature, SharedDevices};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// What the user chose for one per-device report.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RdDevicePool {
    /// The report's file name, as read (a path is reduced to its last part).
    pub file: String,
    /// Groups whose members work at the devices: ids, or names in any case. At least one.
    pub shared_by: Vec<String>,
    /// The RD Session Hosts the devices reach: ids or names (short or fully qualified), in any
    /// case. Empty: the estate's only session host.
    #[serde(default)]
    pub hosts: Vec<String>,
}

/// What [`add_rd_device_pool`] did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RdPoolSummary {
    /// The pool's id in `shared_devices`.
    pub id: String,
    /// Distinct devices in the report: the pool's count.
    pub count: u32,
    /// The pool was there from an earlier import of the report, and was replaced.
    pub replaced: bool,
    /// The group ids and session host ids it was given.
    pub shared_by: Vec<String>,
    pub hosts: Vec<String>,
    /// An access rule with remote desktop was added (there was none for every group and host).
    pub access_added: bool,
    /// What the user should know: the host chosen because it is the only one, overlaps by name
    /// with usage data, an inventory or another report's pool, an access rule an earlier
    /// import of the report added for other groups or hosts.
    pub notes: Vec<String>,
    /// The pool's, groups' and hosts' names as the user sees them (ids where unnamed).
    #[serde(default)]
    pub pool_name: String,
    #[serde(default)]
    pub group_names: Vec<String>,
    #[serde(default)]
    pub host_names: Vec<String>,
}

/// Why the pool was not added (the estate is unchanged).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RdPoolError {
    #[error("No per-device RD Licensing report named \"{file}\" was read{}.", if .reports.is_empty() { String::new() } else { format!(" (read: {})", .reports.join(", ")) })]
    NoReport { file: String, reports: Vec<String> },
    #[error("Say which groups work at the devices: the report does not name the people.")]
    NoGroups,
    #[error("\"{name}\" is not a group of the estate; its groups are: {known}.")]
    UnknownGroup { name: String, known: String },
    #[error("The estate has no RD Session Host: mark the server the devices reach as a session host first.")]
    NoSessionHost,
    #[error("The estate has several RD Session Hosts ({hosts}): say which the devices reach.")]
    HostNeeded { hosts: String },
    #[error("\"{name}\" is not an RD Session Host of the estate; its session hosts are: {hosts}.")]
    UnknownHost { name: String, hosts: String },
    #[error("The pool was not added: it would have left an estate the calculator refuses ({0}).")]
    Invalid(String),
}

/// The last part of a path (`C:\exports\rds.csv` and `exports/rds.csv` are `rds.csv`).
fn base_name(file: &str) -> &str {
    file.rsplit(['/', '\\']).next().unwrap_or(file)
}

/// The pool's id for a report file: `imported-rd-devices-` and the file's name without its
/// extension, in lower-case letters, digits and dashes.
pub fn pool_id(file: &str) -> String {
    let base = base_name(file);
    let stem = match base.rsplit_once('.') {
        Some((s, _)) if !s.is_empty() => s,
        _ => base,
    };
    let mut slug = String::new();
    for c in stem.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        "imported-rd-devices".to_string()
    } else {
        format!("imported-rd-devices-{slug}")
    }
}

/// A device name as compared across sources: lower case, without the domain part of a fully
/// qualified name (`PC01.corp.example` is `pc01`).
fn short(name: &str) -> String {
    let n = name.trim().to_lowercase();
    // An IP address is kept whole.
    if n.parse::<std::net::IpAddr>().is_ok() {
        return n;
    }
    n.split('.').next().unwrap_or(&n).to_string()
}

/// Up to five names, for a note.
fn some(names: &BTreeSet<String>) -> String {
    let shown: Vec<&str> = names.iter().take(5).map(String::as_str).collect();
    format!(
        "{}{}",
        shown.join(", "),
        if names.len() > 5 { ", …" } else { "" }
    )
}

/// Makes (or replaces) the shared device pool of the per-device report `choice.file`, used by
/// the chosen groups, with remote-desktop access from them to the chosen session hosts unless
/// the estate gives it already. When `estate` validates, so does the result; on an error the
/// estate is unchanged.
pub fn add_rd_device_pool(
    estate: &mut Estate,
    set: &ImportSet,
    choice: &RdDevicePool,
) -> Result<RdPoolSummary, RdPoolError> {
    let reports = set.rd_device_reports();
    let wanted = base_name(&choice.file);
    let Some((file, devices)) = reports
        .iter()
        .find(|(f, _)| base_name(f) == wanted)
        .or_else(|| {
            reports
                .iter()
                .find(|(f, _)| base_name(f).eq_ignore_ascii_case(wanted))
        })
    else {
        return Err(RdPoolError::NoReport {
            file: choice.file.clone(),
            reports: reports
                .iter()
                .map(|(f, _)| base_name(f).to_string())
                .collect(),
        });
    };

    // Groups: by id, else by id or name in any case.
    let chosen: Vec<&str> = choice
        .shared_by
        .iter()
        .map(|g| g.trim())
        .filter(|g| !g.is_empty())
        .collect();
    if chosen.is_empty() {
        return Err(RdPoolError::NoGroups);
    }
    let mut shared_by: Vec<String> = Vec::new();
    for name in chosen {
        let g = estate
            .groups
            .iter()
            .find(|g| g.id == name)
            .or_else(|| {
                estate.groups.iter().find(|g| {
                    g.id.eq_ignore_ascii_case(name)
                        || (!g.name.is_empty() && g.name.to_lowercase() == name.to_lowercase())
                })
            })
            .ok_or_else(|| RdPoolError::UnknownGroup {
                name: name.to_string(),
                known: if estate.groups.is_empty() {
                    "none yet (apply the imported directory first, or add a group)".to_string()
                } else {
                    estate
                        .groups
                        .iter()
                        .map(|g| g.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                },
            })?;
        if !shared_by.contains(&g.id) {
            shared_by.push(g.id.clone());
        }
    }

    // Session hosts: by id or name, short or fully qualified, in any case.
    let session_hosts: Vec<&crate::estate::Server> = estate
        .servers
        .iter()
        .filter(|s| s.rds_session_host)
        .collect();
    let host_list = || {
        session_hosts
            .iter()
            .map(|s| s.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut notes = Vec::new();
    let asked: Vec<&str> = choice
        .hosts
        .iter()
        .map(|h| h.trim())
        .filter(|h| !h.is_empty())
        .collect();
    let mut hosts: Vec<String> = Vec::new();
    if asked.is_empty() {
        match session_hosts.as_slice() {
            [] => return Err(RdPoolError::NoSessionHost),
            [only] => {
                hosts.push(only.id.clone());
                notes.push(format!(
                    "The devices reach {}, the estate's only RD Session Host.",
                    only.id
                ));
            }
            _ => {
                return Err(RdPoolError::HostNeeded { hosts: host_list() });
            }
        }
    }
    for name in asked {
        let n = name.to_lowercase();
        let s = session_hosts
            .iter()
            .find(|s| s.id == name)
            .or_else(|| {
                session_hosts.iter().find(|s| {
                    [&s.id, &s.name].iter().any(|x| {
                        !x.is_empty() && (x.to_lowercase() == n || short(x) == short(name))
                    })
                })
            })
            .ok_or_else(|| {
                if session_hosts.is_empty() {
                    RdPoolError::NoSessionHost
                } else {
                    RdPoolError::UnknownHost {
                        name: name.to_string(),
                        hosts: host_list(),
                    }
                }
            })?;
        if !hosts.contains(&s.id) {
            hosts.push(s.id.clone());
        }
    }

    // Overlaps by name: devices the estate or this import counts elsewhere.
    let ours: BTreeSet<String> = devices.iter().map(|d| short(d)).collect();
    let id = pool_id(file);
    let mut overlap = |what: &str, names: BTreeSet<String>| {
        let both: BTreeSet<String> = names.intersection(&ours).cloned().collect();
        if !both.is_empty() {
            notes.push(format!(
                "{} of these devices are also {what} ({}): if they are the same machines they are counted twice; lower the pool's count or remove them there.",
                both.len(),
                some(&both)
            ));
        }
    };
    if let Some(u) = &estate.usage {
        overlap(
            "in the estate's usage data",
            u.devices.iter().map(|d| short(&d.id)).collect(),
        );
    }
    if let Some(log) = &set.usage {
        overlap(
            "client devices in the usage logs read",
            log.links
                .iter()
                .filter(|l| l.1 != super::usage::NO_DEVICE)
                .map(|l| short(log.name(l.1)))
                .collect(),
        );
    }
    if let Some(inv) = &set.inventory {
        overlap(
            "in the device inventory read (its pools count them)",
            inv.rows.iter().map(|r| short(&r.name)).collect(),
        );
    }
    for (f, other) in &reports {
        if f != file && estate.shared_devices.iter().any(|s| s.id == pool_id(f)) {
            overlap(
                &format!("in the pool of the report {}", base_name(f)),
                other.iter().map(|d| short(d)).collect(),
            );
        }
    }

    let before = estate.clone();
    let was_valid = before.validate().is_ok();
    let count = u32::try_from(devices.len()).unwrap_or(u32::MAX);
    // An earlier import of the report gave the pool to other groups (or hosts): the access rule
    // it added for them stays, as a rule the user may have made; say so.
    let earlier: Option<Vec<String>> = estate
        .shared_devices
        .iter()
        .find(|s| s.id == id)
        .map(|s| s.shared_by.clone());
    if let Some(old_groups) = &earlier {
        let mut old_sorted = old_groups.clone();
        crate::sort::sort(&mut old_sorted);
        for a in &estate.access {
            let mut g = a.groups.clone();
            crate::sort::sort(&mut g);
            let same = g == old_sorted
                && {
                    let mut h = a.servers.clone();
                    crate::sort::sort(&mut h);
                    let mut new_hosts = hosts.clone();
                    crate::sort::sort(&mut new_hosts);
                    h == new_hosts
                }
                && {
                    let mut new_groups = shared_by.clone();
                    crate::sort::sort(&mut new_groups);
                    g == new_groups
                };
            if !same
                && g == old_sorted
                && a.features == [Feature::RemoteDesktop]
                && a.via.is_none()
                && !a.manual_transfer_only
            {
                notes.push(format!(
                    "The access rule from {} to {} with Remote Desktop, which an earlier import of this report added, is kept: remove it under Access if they no longer use the session host.",
                    a.groups.iter().map(|x| estate.group_name(x)).collect::<Vec<_>>().join(", "),
                    a.servers.iter().map(|x| estate.server_name(x)).collect::<Vec<_>>().join(", ")
                ));
            }
        }
    }
    let replaced = match estate.shared_devices.iter_mut().find(|s| s.id == id) {
        Some(s) => {
            s.count = count;
            s.shared_by = shared_by.clone();
            s.unattended = false;
            s.network = false;
            s.accesses.clear();
            true
        }
        None => {
            estate.shared_devices.push(SharedDevices {
                id: id.clone(),
                name: format!("RDS per-device CAL devices ({})", base_name(file)),
                count,
                shared_by: shared_by.clone(),
                unattended: false,
                accesses: Vec::new(),
                network: false,
            });
            false
        }
    };
    let covered = |g: &String, h: &String| {
        estate.access.iter().any(|a| {
            !a.manual_transfer_only
                && a.groups.contains(g)
                && a.servers.contains(h)
                && a.features.contains(&Feature::RemoteDesktop)
        })
    };
    let access_added = !shared_by
        .iter()
        .all(|g| hosts.iter().all(|h| covered(g, h)));
    if access_added {
        estate.access.push(Access {
            groups: shared_by.clone(),
            servers: hosts.clone(),
            via: None,
            manual_transfer_only: false,
            features: vec![Feature::RemoteDesktop],
        });
    }
    if was_valid {
        if let Err(e) = estate.validate() {
            *estate = before;
            return Err(RdPoolError::Invalid(e.to_string()));
        }
    }
    let pool_name = estate
        .shared_devices
        .iter()
        .find(|s| s.id == id)
        .map(|s| s.shown_name().to_string())
        .unwrap_or_else(|| id.clone());
    let group_names = shared_by.iter().map(|g| estate.group_name(g)).collect();
    let host_names = hosts.iter().map(|h| estate.server_name(h)).collect();
    Ok(RdPoolSummary {
        id,
        count,
        replaced,
        shared_by,
        hosts,
        access_added,
        notes,
        pool_name,
        group_names,
        host_names,
    })
}
