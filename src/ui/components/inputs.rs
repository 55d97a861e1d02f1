//! What was entered, for the printed report only: a position printed without the figures behind
//! it cannot be checked, so the print view lists the groups, device pools, servers, access,
//! holdings and Microsoft 365 seats the result was computed from. Hidden on screen, where the
//! editor shows them.

use crate::estate::{Estate, M365Plan, RdsMode, Server, SqlLicensing};
use crate::ui::components::detailed::Uses;
use crate::ui::format;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct InputsProps {
    pub estate: Rc<Estate>,
}

fn name_or_id<'a>(name: &'a str, id: &'a str) -> &'a str {
    if name.is_empty() {
        id
    } else {
        name
    }
}

/// The names of `ids`, by `name_of`: "Office staff, Legal".
fn listed(ids: &[String], name_of: impl Fn(&str) -> String) -> String {
    ids.iter()
        .map(|id| name_of(id))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The rows a printed table lists at most: 50,000 groups and 50,000 rules made the hidden tables
/// half a million elements, as many as the rest of the page, for a print of over a thousand
/// pages. The estate file holds every row.
const PRINTED_ROWS: usize = 1_000;

/// Under a table of `len` rows cut to [`PRINTED_ROWS`]: how many more there are (`what`, the
/// rows' plural), and where they all are.
fn not_printed(len: usize, what: &str) -> Html {
    if len <= PRINTED_ROWS {
        return html! {};
    }
    html! {
        <p data-testid="not-printed">{ format!(
            "The first {} of {} {what} are listed here; “Export estate (JSON)” keeps them all.",
            format::count(PRINTED_ROWS as u64),
            format::count(len as u64)
        ) }</p>
    }
}

/// The names the printed tables give ids, gathered once per table: a search of every group and
/// server for each id listed grew with rules × groups (security review: a long estate's form and
/// tables grew as the product of its lists).
struct Names<'a> {
    /// A group's name, or else a shared device pool's (access rules name both).
    who: std::collections::HashMap<&'a str, String>,
    servers: std::collections::HashMap<&'a str, String>,
}

impl<'a> Names<'a> {
    fn of(e: &'a Estate) -> Self {
        let mut who = std::collections::HashMap::new();
        for g in &e.groups {
            who.entry(g.id.as_str())
                .or_insert_with(|| g.shown_name().to_string());
        }
        for d in &e.shared_devices {
            who.entry(d.id.as_str())
                .or_insert_with(|| name_or_id(&d.name, &d.id).to_string());
        }
        let mut servers = std::collections::HashMap::new();
        for (i, s) in e.servers.iter().enumerate() {
            servers
                .entry(s.id.as_str())
                .or_insert_with(|| crate::ui::state::server_label(i, s));
        }
        Names { who, servers }
    }

    /// The name of the group `id`, or of the shared device pool `id`.
    fn who(&self, id: &str) -> String {
        self.who.get(id).cloned().unwrap_or_else(|| id.to_string())
    }

    /// What the form calls the server `id` ([`crate::ui::state::server_label_of`]).
    fn server(&self, id: &str) -> String {
        self.servers
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }
}

/// What sets a server apart, in words: "VM on Hyper-V host A; RD Session Host (per user)".
fn server_notes(s: &Server, e: &Estate) -> String {
    let mut notes = Vec::new();
    if let Some(h) = &s.host {
        let host = crate::ui::state::server_label_of(e, h);
        notes.push(format!("VM on {host}"));
    } else if s.vm {
        notes.push("VM (host not set)".to_string());
    }
    if let Some(w) = &s.windows_version {
        notes.push(format!("runs on Windows Server {w}"));
    }
    match s.sql_licensing {
        Some(SqlLicensing::PerCore) => notes.push("licensed per core (no SQL CALs)".into()),
        Some(SqlLicensing::ServerCal) => notes.push("Server + CAL".into()),
        None if s.product == crate::estate::ServerProduct::SqlServer => {
            notes.push("per core or Server + CAL, whichever costs less".into())
        }
        None => {}
    }
    if s.virtualization_only {
        notes.push("virtualisation host only".into());
    }
    if s.rds_session_host {
        notes.push(match s.rds_mode {
            Some(RdsMode::PerUser) => "RD Session Host (per user)".into(),
            Some(RdsMode::PerDevice) => "RD Session Host (per device)".into(),
            None => "RD Session Host (mode open)".into(),
        });
    }
    if let Some(v) = &s.rd_licensing_server_version {
        notes.push(format!("RD Licensing server {v}"));
    }
    if s.pay_as_you_go {
        notes.push("pay-as-you-go".into());
    }
    if s.anonymous_only {
        notes.push("anonymous access only".into());
    }
    if s.ad_rms {
        notes.push("AD RMS".into());
    }
    if s.cores > 0 {
        notes.push(format!("{} cores", format::count(u64::from(s.cores))));
    }
    notes.join("; ")
}

/// One part of the printed inputs: equal while the parts of the estate it shows are, so typing a
/// figure does not re-render the list of fifty servers.
#[derive(Properties)]
struct PartProps {
    estate: Rc<Estate>,
    uses: Uses,
}

impl PartialEq for PartProps {
    fn eq(&self, o: &Self) -> bool {
        let usage = |e: &Estate| {
            e.usage
                .as_ref()
                .map(|u| (u.people.len(), u.devices.len(), u.links.len()))
        };
        self.uses == o.uses
            && self.uses.same(&self.estate, &o.estate)
            && usage(&self.estate) == usage(&o.estate)
    }
}

#[component]
pub fn InputsSummary(p: &InputsProps) -> Html {
    let e = &p.estate;
    let part = |uses: Uses| (e.clone(), uses);
    let (people, servers, access) = (
        part(Uses {
            groups: true,
            pools: true,
            servers: true,
            ..Uses::default()
        }),
        part(Uses {
            servers: true,
            ..Uses::default()
        }),
        part(Uses {
            access: true,
            group_names: true,
            pools: true,
            servers: true,
            ..Uses::default()
        }),
    );
    html! {
        <section class="card inputs-summary print-only" aria-labelledby="inputs-title">
            <h2 id="inputs-title">{ "What was entered" }</h2>
            // The estate's own note (where its figures come from, when they were taken): the
            // report it goes with is only as good as they are (ELP review 42).
            if !e.note.trim().is_empty() {
                <p class="estate-note">{ format!("Note on the estate: {}", e.note.trim()) }</p>
            }
            <PrintedPeople estate={people.0} uses={people.1} />
            <PrintedServers estate={servers.0} uses={servers.1} />
            <PrintedAccess estate={access.0} uses={access.1} />
            <PrintedRest estate={e.clone()} uses={Uses { holdings: true, organisation: true, ..Uses::default() }} />
        </section>
    }
}

/// The groups and device pools.
#[component]
fn PrintedPeople(p: &PartProps) -> Html {
    let e = &p.estate;
    let names = Names::of(e);
    html! {
        <>
            if !e.groups.is_empty() {
                <table>
                    <caption>{ "People" }</caption>
                    <thead><tr><th scope="col">{ "Group" }</th><th scope="col">{ "Kind" }</th>
                        <th scope="col" class="num">{ "People" }</th><th scope="col" class="num">{ "Devices each" }</th>
                        <th scope="col">{ "Microsoft 365" }</th></tr></thead>
                    <tbody>
                    { for e.groups.iter().take(PRINTED_ROWS).map(|g| html! {
                        <tr>
                            <th scope="row">{ name_or_id(&g.name, &g.id) }</th>
                            <td>{ format::person_kind_label(g.kind) }{ if g.admin_only { " (administrators only)" } else { "" } }</td>
                            <td class="num">{ format::count(u64::from(g.count)) }</td>
                            <td class="num">{ format::count(u64::from(g.devices_each)) }</td>
                            <td>{ match g.m365 { Some(M365Plan::E3) => "E3", Some(M365Plan::E5) => "E5", None => "—" } }</td>
                        </tr>
                    }) }
                    </tbody>
                </table>
                { not_printed(e.groups.len(), "groups") }
            }
            if !e.shared_devices.is_empty() {
                <table>
                    <caption>{ "Shared devices" }</caption>
                    <thead><tr><th scope="col">{ "Pool" }</th><th scope="col" class="num">{ "Devices" }</th>
                        <th scope="col">{ "Used by" }</th></tr></thead>
                    <tbody>
                    { for e.shared_devices.iter().take(PRINTED_ROWS).map(|d| html! {
                        <tr>
                            <th scope="row">{ name_or_id(&d.name, &d.id) }</th>
                            <td class="num">{ format::count(u64::from(d.count)) }</td>
                            <td>{ if d.unattended {
                                format!("nobody (unattended); they reach {}", if d.accesses.is_empty() { "no server".to_string() } else { listed(&d.accesses, |id| names.server(id)) })
                            } else {
                                listed(&d.shared_by, |id| names.who(id))
                            } }</td>
                        </tr>
                    }) }
                    </tbody>
                </table>
                { not_printed(e.shared_devices.len(), "device pools") }
            }
        </>
    }
}

/// The servers with their roles.
#[component]
fn PrintedServers(p: &PartProps) -> Html {
    let e = &p.estate;
    html! {
        <>
            if !e.servers.is_empty() {
                <table>
                    <caption>{ "Servers" }</caption>
                    <thead><tr><th scope="col">{ "Server" }</th><th scope="col">{ "Product" }</th>
                        <th scope="col">{ "Version" }</th><th scope="col">{ "Notes" }</th></tr></thead>
                    <tbody>
                    { for e.servers.iter().enumerate().take(PRINTED_ROWS).map(|(i, s)| html! {
                        <tr>
                            <th scope="row">{ crate::ui::state::server_label(i, s) }</th>
                            <td>{ format!("{} {}", format::server_product_label(s.product), format::edition_label(s.edition)) }</td>
                            <td>{ s.version.clone() }</td>
                            <td>{ server_notes(s, e) }</td>
                        </tr>
                    }) }
                    </tbody>
                </table>
                { not_printed(e.servers.len(), "servers") }
            }
        </>
    }
}

/// Who reaches which servers.
#[component]
fn PrintedAccess(p: &PartProps) -> Html {
    let e = &p.estate;
    let names = Names::of(e);
    html! {
        <>
            if !e.access.is_empty() {
                <table>
                    <caption>{ "Access" }</caption>
                    <thead><tr><th scope="col">{ "Who" }</th><th scope="col">{ "Reaches" }</th>
                        <th scope="col">{ "Using" }</th></tr></thead>
                    <tbody>
                    { for e.access.iter().take(PRINTED_ROWS).map(|a| html! {
                        <tr>
                            <td>{ listed(&a.groups, |id| names.who(id)) }</td>
                            <td>{ listed(&a.servers, |id| names.server(id)) }{ a.via.as_ref().map(|v| format!(" via {}", names.server(v))).unwrap_or_default() }</td>
                            <td>{ a.features.iter().map(|f| format::feature_label(*f).to_string())
                                .chain(a.manual_transfer_only.then(|| "printed or hand-sent output only (no CAL)".to_string()))
                                .collect::<Vec<_>>().join(", ") }</td>
                        </tr>
                    }) }
                    </tbody>
                </table>
                { not_printed(e.access.len(), "access rules") }
            }
        </>
    }
}

/// Imported usage, owned licences, Microsoft 365, readings and own prices.
#[component]
fn PrintedRest(p: &PartProps) -> Html {
    let e = &p.estate;
    let m365 = &e.organisation.m365;
    html! {
        <>
            if let Some(u) = &e.usage {
                <p>{ format!("Exact usage from an import: {} people, {} devices, {} links.",
                    format::count(u.people.len() as u64), format::count(u.devices.len() as u64), format::count(u.links.len() as u64)) }</p>
            }
            <table>
                <caption>{ "Owned licences" }</caption>
                if e.holdings.is_empty() {
                    <tbody><tr><td>{ "None entered." }</td></tr></tbody>
                } else {
                    <thead><tr><th scope="col">{ "Licence" }</th><th scope="col">{ "Version" }</th>
                        <th scope="col" class="num">{ "Quantity" }</th><th scope="col">{ "Software Assurance" }</th></tr></thead>
                    <tbody>
                    { for e.holdings.iter().take(PRINTED_ROWS).map(|h| html! {
                        <tr>
                            <th scope="row">{ format!("{} {}", format::product_label(h.product), format::kind_label(h.kind)) }
                                // By the host's name, as the rest of the report names it (ELP review 42: "on hv2").
                                { h.assigned_to.as_ref().map(|a| format!(" (on {})", crate::ui::state::server_label_of(e, a))).unwrap_or_default() }
                                // A suite is owned as one licence and counted as its contents: the
                                // position's rows of those products include it (ELP review 42).
                                if crate::catalog::is_suite(h.product) {
                                    <span class="note">{ suite_contents_note(h.product) }</span>
                                }</th>
                            <td>{ if h.version.is_empty() { "—".to_string() } else { h.version.clone() } }</td>
                            <td class="num">{ format::count(u64::from(h.quantity)) }</td>
                            // A date does not wrap at its hyphens ("2019-06-" / "01", review 43).
                            <td class="dates">{ match &h.software_assurance {
                                None => "—".to_string(),
                                Some(sa) => match sa.until {
                                    Some(u) => format!("{} to {u}", sa.since),
                                    None => format!("since {}", sa.since),
                                },
                            } }</td>
                        </tr>
                    }) }
                    </tbody>
                }
            </table>
            { not_printed(e.holdings.len(), "owned licences") }
            if m365.e3_seats > 0 || m365.e5_seats > 0 {
                <p>{ format!("Microsoft 365: {} E3 and {} E5 seats, bought through {}.",
                    format::count(u64::from(m365.e3_seats)), format::count(u64::from(m365.e5_seats)), format::channel_label(m365.channel)) }</p>
            }
            <p>{ format!(
                "Readings where sources disagree: {}. Currency {}.",
                crate::report::readings_in_words(&e.organisation.readings),
                e.organisation.currency) }</p>
            if !e.organisation.prices.is_empty() {
                <p>{ format!("{} of the prices are your own (see “Unit prices used” above, and each why).", e.organisation.prices.len()) }</p>
            }
        </>
    }
}

/// " — counted in the position as its contents: the Windows Server, Exchange Standard, … CALs"
/// after an owned suite in the printed holdings (review 43: the products' full names, each
/// ending in "CAL", then "CALs", read "Skype for Business Server Standard CAL CALs").
pub fn suite_contents_note(suite: crate::estate::CalProduct) -> String {
    let names: Vec<&str> = crate::catalog::suite_contents(suite)
        .iter()
        .map(|&c| crate::catalog::short_name(c))
        .collect();
    format!(
        " — counted in the position as its contents: the {} CALs",
        crate::findings::list_all(&names)
    )
}
