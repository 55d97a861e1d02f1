//! Quick mode: a handful of figures for a check in under a minute. Each maps onto the same estate
//! as detailed mode ([`QuickView`]); parts of the estate quick mode does not show stay untouched.

use crate::estate::{CalProduct, Estate, LicenceKind, ServerProduct};
use crate::ui::components::field::{
    enum_options, string_options, CheckField, NumberField, SelectField, TextField,
};
use crate::ui::format;
use crate::ui::state::{Edit, QuickField, QuickView};
use crate::ui::versions;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Upper bounds that catch a mistyped figure (an extra zero or two), far above any real estate:
/// the estate check's own, so a field never refuses a figure a saved or imported estate may hold.
pub const MAX_PEOPLE: u64 = crate::estate::MAX_COUNT as u64;
pub const MAX_DEVICES_EACH: u64 = crate::estate::MAX_DEVICES_EACH as u64;
pub const MAX_CORES: u64 = crate::estate::MAX_CORES as u64;

#[derive(Properties, PartialEq)]
pub struct QuickFormProps {
    pub estate: Rc<Estate>,
    pub on_edit: Callback<Edit>,
}

#[component]
pub fn QuickForm(p: &QuickFormProps) -> Html {
    let e = &p.estate;
    let view = QuickView::of(e);
    let number = |field: QuickField,
                  id: &'static str,
                  label: &'static str,
                  max: u64,
                  hint: Option<&'static str>| {
        let on_edit = p.on_edit.clone();
        html! {
            <NumberField id={id} label={label} value={u64::from(view.value(e, field))}
                min={if field == QuickField::DevicesEach { 1 } else { 0 }} max={max}
                hint={hint.map(AttrValue::from)}
                on_change={Callback::from(move |n: u64| on_edit.emit(Edit::SetQuick(field, u32::try_from(n).unwrap_or(u32::MAX))))} />
        }
    };
    let start_empty = {
        let on_edit = p.on_edit.clone();
        Callback::from(move |_| on_edit.emit(Edit::StartEmpty))
    };
    let empty = e.groups.is_empty()
        && e.servers.is_empty()
        && e.holdings.is_empty()
        && e.shared_devices.is_empty();
    let complete = view.shows_all(e);
    html! {
        <section class="card quick" aria-labelledby="quick-title">
            <h2 id="quick-title" tabindex="-1">{ "Your organisation" }</h2>
            if !empty {
                <div class={classes!("quick-start", (!complete).then_some("notice"), (!complete).then_some("info"))}>
                    <p>{ if complete {
                        "Type your own figures over these, or start from nothing.".to_string()
                    } else {
                        // Only the sample is someone else's organisation: an estate the user
                        // imported or opened is theirs, and "start empty" would discard it (QA).
                        // The sample keeps its name while figures are typed over it, whose hidden
                        // parts then still count: that is when starting empty matters most.
                        format!(
                            "This estate has parts quick mode does not show ({}); they count in the result. {}",
                            hidden_parts(e, &view),
                            if is_the_sample(e) {
                                "For your own organisation, start empty."
                            } else {
                                "Edit them in detailed mode."
                            }
                        )
                    } }</p>
                    <button type="button" class="secondary" onclick={start_empty} data-testid="start-empty">{ "Start empty" }</button>
                </div>
            }
            <fieldset>
                <legend>{ "People and devices" }</legend>
                <div class="field-grid">
                    { number(QuickField::Employees, "q-employees", "Employees with their own devices", MAX_PEOPLE, None) }
                    { number(QuickField::DevicesEach, "q-devices-each", "Devices each (laptop, phone, …)", MAX_DEVICES_EACH, None) }
                    { number(QuickField::SharedDevices, "q-shared-devices", "Shared devices (desks, kiosks, terminals)", MAX_PEOPLE, None) }
                    { number(QuickField::SharedUsers, "q-shared-users", "People who only use shared devices", MAX_PEOPLE, Some("Shift workers, call-centre staff")) }
                    { number(QuickField::ExternalUsers, "q-external", "External users (partners, customers, offsite contractors)", MAX_PEOPLE, None) }
                </div>
                // The groups and pools quick mode does not show are named once, in the notice at
                // the form's head (review 19: a second note here said the same again).
            </fieldset>
            <QuickServers estate={p.estate.clone()} on_edit={p.on_edit.clone()} />
            <QuickOwned estate={p.estate.clone()} on_edit={p.on_edit.clone()} />
        </section>
    }
}

/// Whether `e` is the built-in sample, as shipped or with figures typed over it: it still has the
/// sample's name, which an import, a file or a share link of one's own organisation does not.
fn is_the_sample(e: &Estate) -> bool {
    thread_local! {
        static NAME: Option<String> = crate::ui::app::sample_estate().ok().map(|s| s.name);
    }
    NAME.with(|n| n.as_deref() == Some(e.name.as_str()))
}

/// "2 groups, 1 device pool": the non-zero counts, in words.
fn counted(parts: &[(usize, &str, &str)]) -> String {
    parts
        .iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|&(n, one, many)| format::counted(n as u64, one, many))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What of `e` quick mode does not show, in words: "7 more groups, Microsoft 365 seats, …".
fn hidden_parts(e: &Estate, view: &QuickView) -> String {
    let mut parts: Vec<String> = Vec::new();
    let more = counted(&[
        (view.hidden_groups, "more group", "more groups"),
        (view.hidden_pools, "more device pool", "more device pools"),
    ]);
    if !more.is_empty() {
        parts.push(more);
    }
    if e.holdings
        .iter()
        .any(|h| h.product != CalProduct::WindowsServer || h.software_assurance.is_some())
    {
        parts.push("owned licences of other products or with Software Assurance".into());
    }
    if e.access.len() > 1 {
        parts.push("who reaches which server".into());
    }
    if e.organisation.m365.e3_seats > 0
        || e.organisation.m365.e5_seats > 0
        || e.groups.iter().any(|g| g.m365.is_some())
    {
        parts.push("Microsoft 365 seats".into());
    }
    if e.usage.is_some() {
        parts.push("imported usage".into());
    }
    if let Some(d) = e.as_of {
        parts.push(format!("a count date ({d})"));
    }
    if parts.is_empty() {
        parts.push("server and licence details".into());
    }
    parts.join(", ")
}

/// The estate for a part of the form that shows only its servers: equal while the servers are,
/// so an edit elsewhere does not re-render the server list.
#[derive(Properties)]
struct ServersProps {
    estate: Rc<Estate>,
    on_edit: Callback<Edit>,
}

impl PartialEq for ServersProps {
    fn eq(&self, other: &Self) -> bool {
        self.on_edit == other.on_edit && self.estate.servers == other.estate.servers
    }
}

/// The estate for a part of the form that shows only its holdings (see [`ServersProps`]).
#[derive(Properties)]
struct HoldingsProps {
    estate: Rc<Estate>,
    on_edit: Callback<Edit>,
}

impl PartialEq for HoldingsProps {
    fn eq(&self, other: &Self) -> bool {
        self.on_edit == other.on_edit && self.estate.holdings == other.estate.holdings
    }
}

/// Beyond this many servers quick mode lists the first this many, and those added here since,
/// until the user asks for all: every row is four fields and a dozen options laid out in one grid,
/// and 2,000 of them (80,000 elements) took 4–6 s to switch to quick mode on the release build
/// (session 23 measured 18 s on a busy machine), most of it the page's layout of that grid.
pub const SERVERS_LISTED: usize = 50;

/// Which servers the list shows, by index: all of them up to [`SERVERS_LISTED`] or when `all`;
/// else the first [`SERVERS_LISTED`] and the last `added` (those added here, each at the end).
fn listed_servers(count: usize, all: bool, added: usize) -> Vec<usize> {
    if all || count <= SERVERS_LISTED {
        return (0..count).collect();
    }
    let tail = added.min(count - SERVERS_LISTED);
    (0..SERVERS_LISTED).chain(count - tail..count).collect()
}

#[component]
fn QuickServers(p: &ServersProps) -> Html {
    let count = p.estate.servers.len();
    // Whether the user asked for every server of a long list, and how many were added at its end
    // since (listed, so that the row just added is there to type in).
    let all = use_state(|| false);
    let added = use_mut_ref(|| 0usize);
    let listed = listed_servers(count, *all, *added.borrow());
    let unlisted = count - listed.len();
    let add = {
        let (on_edit, added) = (p.on_edit.clone(), added.clone());
        Callback::from(move |e: MouseEvent| {
            *added.borrow_mut() += 1;
            crate::ui::browser::focus_added_row(&e, "li.server-row");
            on_edit.emit(Edit::AddServer(ServerProduct::WindowsServer))
        })
    };
    let list_all = {
        let all = all.clone();
        Callback::from(move |_| all.set(true))
    };
    // The first row the button listed takes the focus the button had (it is gone once clicked).
    use_effect_with(*all, |all| {
        if *all {
            if let Some(field) = gloo::utils::document()
                .get_element_by_id(&format!("q-server-{SERVERS_LISTED}-name"))
                .and_then(|f| f.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = field.focus();
            }
        }
    });
    let same_names = crate::ui::components::detailed::same_name_notes(&p.estate);
    html! {
        <fieldset>
            <legend>{ "Servers everyone uses" }</legend>
            <p class="field-hint">{ "Everyone above, external users included, reaches each server listed here. To say who reaches which server, use detailed mode." }</p>
            if p.estate.servers.is_empty() {
                <p class="note">{ "No servers yet: add the servers people reach (file, print, apps, mail, databases)." }</p>
            }
            // One grid for the heads and every row, so the heads line up with the fields under
            // them whatever the width of the Remove buttons (QA: they did not); on a narrow card
            // the heads give way to each field's own short label.
            <div class="server-table">
            if !p.estate.servers.is_empty() {
                <div class="server-row server-head" aria-hidden="true">
                    <span>{ "Server" }</span><span>{ "Product" }</span><span>{ "Version" }</span><span></span>
                </div>
            }
            <ul class="server-list">
            { for listed.iter().map(|&i| {
                let (s, same_name) = (&p.estate.servers[i], same_names[i].clone());
                let on_edit = p.on_edit.clone();
                let product_change = {
                    let (on_edit, s) = (on_edit.clone(), s.clone());
                    Callback::from(move |v: String| {
                        if let Some(product) = format::from_serde_name::<ServerProduct>(&v) {
                            let mut s = s.clone();
                            crate::ui::state::change_server_product(&mut s, product);
                            on_edit.emit(Edit::SetServer(i, s));
                        }
                    })
                };
                let version_change = {
                    let (on_edit, s) = (on_edit.clone(), s.clone());
                    Callback::from(move |v: String| {
                        let mut s = s.clone();
                        s.version = v;
                        on_edit.emit(Edit::SetServer(i, s));
                    })
                };
                let rename = {
                    let (on_edit, s) = (on_edit.clone(), s.clone());
                    Callback::from(move |v: String| {
                        let mut s = s.clone();
                        s.name = v;
                        on_edit.emit(Edit::SetServer(i, s));
                    })
                };
                let windows_change = {
                    let (on_edit, s) = (on_edit.clone(), s.clone());
                    Callback::from(move |v: String| {
                        let mut s = s.clone();
                        s.windows_version = (!v.is_empty()).then_some(v);
                        on_edit.emit(Edit::SetServer(i, s));
                    })
                };
                // Remote Desktop was not to be said in quick mode: a small office with a session
                // host was quoted its Windows Server CALs only (pre-sales review 23).
                let rds_change = {
                    let on_edit = on_edit.clone();
                    Callback::from(move |on: bool| on_edit.emit(Edit::SetRemoteDesktop(i, on)))
                };
                let rds_ticked = crate::ui::state::remote_desktop_ticked(&p.estate, i);
                let windows_versions = versions::server_versions(ServerProduct::WindowsServer);
                let remove = {
                    let (on_edit, added) = (on_edit.clone(), added.clone());
                    Callback::from(move |_| {
                        // One of the rows added at the end leaves: one fewer to list there.
                        let mut added = added.borrow_mut();
                        if count > SERVERS_LISTED && i >= count - (*added).min(count - SERVERS_LISTED) {
                            *added = added.saturating_sub(1);
                        }
                        drop(added);
                        on_edit.emit(Edit::RemoveServer(i))
                    })
                };
                let mut version_list = versions::server_versions(s.product);
                if !version_list.contains(&s.version.as_str()) {
                    version_list.push("");
                }
                // Two servers of one name are told apart by their place, as the name fields are
                // ("Name of server 2"), and each name field says the name is shared.
                let name = match &same_name {
                    Some(_) => format!("{} (server {})", crate::ui::state::server_label(i, s), i + 1),
                    None => crate::ui::state::server_label(i, s),
                };
                // What "Not stated" means is said under the select, not in its option: "Not stated:
                // no Windows Server CALs counted" was cut by the select at 360 px (QA).
                let windows_selected = s.windows_version.clone().filter(|v| windows_versions.contains(&v.as_str())).unwrap_or_default();
                html! {
                    <li class="server-row">
                        <TextField id={format!("q-server-{i}-name")} label={format!("Name of server {}", i + 1)}
                            value={AttrValue::from(s.name.clone())} placeholder={AttrValue::from(format!("Server {}", i + 1))}
                            on_change={rename} compact=true short={AttrValue::from(format!("Name of server {}", i + 1))}
                            note={same_name.map(AttrValue::from)} />
                        <SelectField id={format!("q-server-{i}-product")} label={format!("Product of {name}")}
                            options={enum_options(&format::ALL_SERVER_PRODUCTS, format::server_product_short)} compact=true
                            selected={AttrValue::from(format::serde_name(&s.product))} on_change={product_change} short={AttrValue::from("Product")} />
                        <SelectField id={format!("q-server-{i}-version")} label={format!("Version of {name}")}
                            options={version_list.iter().map(|v| (AttrValue::from(*v), AttrValue::from(if v.is_empty() { format!("{} (unknown)", s.version) } else { v.to_string() }))).collect::<Vec<_>>()}
                            selected={AttrValue::from(if versions::server_versions(s.product).contains(&s.version.as_str()) { s.version.clone() } else { String::new() })}
                            on_change={version_change} compact=true short={AttrValue::from("Version")} />
                        <button type="button" class="remove" onclick={remove} aria-label={format!("Remove {}", if s.name.is_empty() { name.clone() } else { format!("server {name}") })}>{ "Remove" }</button>
                        if s.product == ServerProduct::WindowsServer {
                            <div class="server-windows">
                                <CheckField id={format!("q-server-{i}-rds")} label="Remote Desktop (RDS session host)"
                                    context={AttrValue::from(format!("on {name}"))} checked={rds_ticked}
                                    hint={rds_ticked.then(|| AttrValue::from("Its Remote Desktop users need RDS CALs as well as Windows Server CALs."))}
                                    on_change={rds_change} />
                            </div>
                        }
                        if s.product != ServerProduct::WindowsServer {
                            <div class="server-windows">
                                <SelectField id={format!("q-server-{i}-windows")} label={format!("{name} runs on Windows Server")}
                                    options={std::iter::once((AttrValue::from(""), AttrValue::from("Not stated"))).chain(windows_versions.iter().map(|v| (AttrValue::from(*v), AttrValue::from(*v)))).collect::<Vec<_>>()}
                                    selected={AttrValue::from(windows_selected.clone())}
                                    hint={windows_selected.is_empty().then(|| AttrValue::from("Not stated: no Windows Server CALs are counted for it."))}
                                    on_change={windows_change} />
                            </div>
                        }
                    </li>
                }
            }) }
            </ul>
            </div>
            if unlisted > 0 {
                <p class="field-hint" data-testid="servers-unlisted">
                    { format!("Servers {} to {} are not listed here, so that the page stays quick with this many. ",
                        format::count(SERVERS_LISTED as u64 + 1), format::count((SERVERS_LISTED + unlisted) as u64)) }
                    <button type="button" class="secondary" onclick={list_all}>{ format!("List all {} servers", format::count(count as u64)) }</button>
                </p>
            }
            <button type="button" class="secondary" onclick={add}>{ "Add a server" }</button>
        </fieldset>
    }
}

#[component]
fn QuickOwned(p: &HoldingsProps) -> Html {
    let row = |kind: LicenceKind, label: &'static str, id: &'static str| {
        html! { <OwnedRow estate={p.estate.clone()} on_edit={p.on_edit.clone()} {kind} {label} {id} /> }
    };
    html! {
        <fieldset>
            <legend>{ "What you already own" }</legend>
            { row(LicenceKind::UserCal, "Windows Server User CALs owned", "q-owned-user") }
            { row(LicenceKind::DeviceCal, "Windows Server Device CALs owned", "q-owned-device") }
            <p class="field-hint">{ "Other products, suites, Software Assurance and External Connectors: detailed mode." }</p>
        </fieldset>
    }
}

#[derive(Properties)]
struct OwnedRowProps {
    estate: Rc<Estate>,
    on_edit: Callback<Edit>,
    kind: LicenceKind,
    label: &'static str,
    id: &'static str,
}

impl PartialEq for OwnedRowProps {
    fn eq(&self, o: &Self) -> bool {
        (self.kind, self.label, self.id) == (o.kind, o.label, o.id)
            && self.on_edit == o.on_edit
            && self.estate.holdings == o.estate.holdings
    }
}

/// Owned Windows Server CALs of one kind. The version chosen before any quantity is typed is
/// kept here until the holding exists, so the order of the two edits does not matter.
#[component]
fn OwnedRow(p: &OwnedRowProps) -> Html {
    let cal_versions = versions::cal_versions(CalProduct::WindowsServer);
    let newest = cal_versions.last().copied().unwrap_or("2022").to_string();
    let pending = use_state(|| newest.clone());
    let kind = p.kind;
    let held = p
        .estate
        .holdings
        .iter()
        .find(|h| h.product == CalProduct::WindowsServer && h.kind == kind);
    let quantity = held.map(|h| h.quantity).unwrap_or(0);
    let version = held
        .map(|h| h.version.clone())
        .unwrap_or_else(|| (*pending).clone());
    let on_quantity = {
        let (on_edit, version, pending) = (p.on_edit.clone(), version.clone(), pending.clone());
        Callback::from(move |n: u64| {
            // A quantity of 0 removes the holding; its version stays chosen for the next
            // quantity (it once fell back to the newest, so 2019 CALs retyped became 2025 ones).
            if n == 0 {
                pending.set(version.clone());
            }
            on_edit.emit(Edit::SetOwnedWindowsCals {
                kind,
                quantity: u32::try_from(n).unwrap_or(u32::MAX),
                version: version.clone(),
            })
        })
    };
    let on_version = {
        let (on_edit, pending) = (p.on_edit.clone(), pending.clone());
        Callback::from(move |v: String| {
            pending.set(v.clone());
            on_edit.emit(Edit::SetOwnedWindowsCals {
                kind,
                quantity,
                version: v,
            })
        })
    };
    // Each holding's version select says whose it is (UI review: two selects both named "CAL
    // version").
    let of = match kind {
        LicenceKind::DeviceCal => "of the Device CALs owned",
        _ => "of the User CALs owned",
    };
    // The version starts at the newest, which covers every server: owned CALs typed without a
    // look at it counted as compliant (review 20), so it asks for the statement's version.
    let version_hint = (quantity > 0).then(|| {
        AttrValue::from("As on your licence statement: older CALs do not cover newer servers.")
    });
    html! {
        <div class="owned-row">
            <NumberField id={p.id} label={p.label} value={u64::from(quantity)} max={MAX_PEOPLE} on_change={on_quantity} />
            <SelectField id={format!("{}-version", p.id)} label="CAL version" context={AttrValue::from(of)} options={string_options(&cal_versions)}
                selected={AttrValue::from(version)} on_change={on_version} hint={version_hint} />
        </div>
    }
}
