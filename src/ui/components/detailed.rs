//! Detailed mode: the whole estate format, section by section — groups, shared devices, servers and
//! physical hosts, who accesses what (with the features that need additive CALs), licences owned
//! (versions, Software Assurance), Microsoft 365 seats and channel, and the readings where sources
//! disagree (named, defaulting to the Product Terms reading).

use crate::estate::{
    Access, AdditiveBase, CalProduct, Date, Edition, Estate, ExternalAdditiveBase,
    ExternalConnectorScope, Feature, Group, Holding, LicenceKind, M365E3Rights, M365Equivalency,
    M365Plan, M365Printers, NetworkEquipment, PurchaseChannel, RdsMode, Server, ServerProduct,
    SharedDevices, SoftwareAssurance, SqlLicensing,
};
use crate::ui::components::field::{
    enum_options, string_options, CheckField, NumberField, RadioField, SelectField, TextField,
};
use crate::ui::components::quick::{MAX_CORES, MAX_DEVICES_EACH, MAX_PEOPLE};
use crate::ui::format;
use crate::ui::state::{self, Edit};
use crate::ui::versions;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DetailedProps {
    pub estate: Rc<Estate>,
    pub on_edit: Callback<Edit>,
    /// The card the estate's problem names, if any ([`crate::ui::format::problem_card`]): its
    /// list ("servers") and place. Listed however long its list is, and marked.
    #[prop_or_default]
    pub problem: Option<(&'static str, usize)>,
}

/// The parts of the estate one section of the form (or of the printed inputs) shows.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub struct Uses {
    pub groups: bool,
    /// The groups' ids and names only (lists that name them, not their figures).
    pub group_names: bool,
    pub pools: bool,
    pub servers: bool,
    pub access: bool,
    /// Only whether an access row has the AD RMS feature (the server cards' AD RMS hint).
    pub ad_rms_feature: bool,
    /// Only the servers of the access rows with Remote Desktop (the server cards' note when a
    /// session host is unticked).
    pub rds_rules: bool,
    pub holdings: bool,
    pub organisation: bool,
    /// Only the readings where sources disagree (the hosts a connector is offered follow the
    /// External Connector scope).
    pub readings: bool,
}

/// The servers of each access row of `e` with the Remote Desktop feature.
fn rds_rules(e: &Estate) -> Vec<&Vec<String>> {
    e.access
        .iter()
        .filter(|a| a.features.contains(&Feature::RemoteDesktop))
        .map(|a| &a.servers)
        .collect()
}

/// Whether any access row of `e` has the AD RMS feature: the only source of AD RMS CALs.
fn ad_rms_in_access(e: &Estate) -> bool {
    e.access
        .iter()
        .any(|a| a.features.contains(&Feature::AdRms))
}

impl Uses {
    /// Whether `a` and `b` agree in every part used.
    pub fn same(self, a: &Rc<Estate>, b: &Rc<Estate>) -> bool {
        let u = self;
        Rc::ptr_eq(a, b)
            || ((!u.groups || a.groups == b.groups)
                && (!u.group_names
                    || (a.groups.len() == b.groups.len()
                        && a.groups
                            .iter()
                            .zip(&b.groups)
                            .all(|(x, y)| (&x.id, &x.name) == (&y.id, &y.name))))
                && (!u.pools || a.shared_devices == b.shared_devices)
                && (!u.servers || a.servers == b.servers)
                && (!u.access || a.access == b.access)
                && (!u.ad_rms_feature || ad_rms_in_access(a) == ad_rms_in_access(b))
                && (!u.rds_rules || rds_rules(a) == rds_rules(b))
                && (!u.holdings || a.holdings == b.holdings)
                && (!u.organisation || a.organisation == b.organisation)
                && (!u.readings || a.organisation.readings == b.organisation.readings))
    }
}

/// A section's props: equal while the parts it shows are, so an edit elsewhere does not
/// re-render it (a group's count typed into a 50-server estate re-rendered every server card).
#[derive(Properties)]
pub struct SectionProps {
    pub estate: Rc<Estate>,
    pub on_edit: Callback<Edit>,
    pub uses: Uses,
    /// The place of the card of this section that the estate's problem names.
    #[prop_or_default]
    pub named: Option<usize>,
}

impl PartialEq for SectionProps {
    fn eq(&self, o: &Self) -> bool {
        self.on_edit == o.on_edit
            && self.uses == o.uses
            && self.named == o.named
            && self.uses.same(&self.estate, &o.estate)
    }
}

/// A callback that applies `f` to a copy of `item` and emits the edit `make` builds from it.
fn edit_with<T, V>(
    item: &T,
    on_edit: &Callback<Edit>,
    make: impl Fn(T) -> Edit + 'static,
    f: impl Fn(&mut T, V) + 'static,
) -> Callback<V>
where
    T: Clone + 'static,
    V: 'static,
{
    let (item, on_edit) = (item.clone(), on_edit.clone());
    Callback::from(move |v: V| {
        let mut x = item.clone();
        f(&mut x, v);
        on_edit.emit(make(x));
    })
}

fn to_u32(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn toggle(list: &mut Vec<String>, id: &str, on: bool) {
    list.retain(|x| x != id);
    if on {
        list.push(id.to_string());
    }
}

/// "Office staff, Legal and 2 more": the names (or ids) of up to three referenced items.
fn names(ids: &[String], name_of: impl Fn(&str) -> Option<String>) -> String {
    if ids.is_empty() {
        return "nobody".to_string();
    }
    let mut shown: Vec<String> = ids
        .iter()
        .take(3)
        .map(|id| {
            name_of(id)
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| id.clone())
        })
        .collect();
    if ids.len() > 3 {
        shown.push(format!("{} more", ids.len() - 3));
    }
    shown.join(", ")
}

/// The servers an External Connector can be assigned to, by the reading in force. Under the
/// per-physical-host reading (Product Terms): physical servers and the hosts VMs name. Under the
/// per-VM reading each server instance is a connector's unit: the VMs, and the physical servers
/// that host none (review 27: only hosts were offered, so no VM could be chosen). The value
/// `assigned` is always among them as itself, so the select never shows another option for it:
/// a VM under the per-host reading ("VM one, a VM on HV"), a host under the per-VM one.
fn host_options(e: &Estate, assigned: Option<&str>) -> Vec<(AttrValue, AttrValue)> {
    let titles = server_titles(e);
    let title_of = |id: &str| {
        e.servers
            .iter()
            .position(|o| o.id == id)
            .map(|k| titles[k].clone())
            .unwrap_or_else(|| id.to_string())
    };
    let per_vm = e.organisation.readings.external_connector_scope == ExternalConnectorScope::PerVm;
    let mut hosts: Vec<(String, String)> = Vec::new();
    let mut add = |id: &str, name: String| {
        if !hosts.iter().any(|(h, _)| h == id) {
            hosts.push((id.to_string(), name));
        }
    };
    for (i, s) in e.servers.iter().enumerate() {
        if per_vm {
            let hosts_vms = e.servers.iter().any(|o| o.host.as_deref() == Some(&s.id));
            if s.vm || !hosts_vms {
                add(&s.id, titles[i].clone());
            }
            continue;
        }
        if !s.vm {
            add(&s.id, titles[i].clone());
        }
        if let Some(h) = &s.host {
            add(h, title_of(h));
        }
    }
    if let Some(a) = assigned.filter(|a| !a.is_empty()) {
        let name = match e.servers.iter().find(|s| s.id == a) {
            Some(s) if s.vm => match &s.host {
                Some(h) => format!("{}, a VM on {}", title_of(a), title_of(h)),
                None => format!("{}, a VM", title_of(a)),
            },
            _ => title_of(a),
        };
        add(a, name);
    }
    std::iter::once((AttrValue::from(""), AttrValue::from("Not assigned yet")))
        .chain(
            hosts
                .into_iter()
                .map(|(id, name)| (AttrValue::from(id), AttrValue::from(name))),
        )
        .collect()
}

/// The Servers section's hint, by the External Connector reading in force (review 27: it said
/// a connector covers a host with all its VMs under the per-VM reading too).
fn servers_hint(scope: ExternalConnectorScope) -> &'static str {
    match scope {
        ExternalConnectorScope::PerVm => "One entry per operating-system environment (physical or virtual). A VM names the physical host it runs on: under the per-VM reading chosen (\"Where sources disagree\"), an External Connector covers one VM, or one physical server with no VMs.",
        ExternalConnectorScope::PerPhysicalHost => "One entry per operating-system environment (physical or virtual). A VM names the physical host it runs on: an External Connector covers a host with all its VMs.",
    }
}

/// Whether a name is among `names` more than once: counted once for the list, as each name
/// compared with every other grew with the square of the list.
fn shared_names<'a>(names: impl Iterator<Item = &'a str>) -> impl Fn(&str) -> bool + 'a {
    let mut times: std::collections::HashMap<&'a str, usize> = std::collections::HashMap::new();
    for name in names {
        *times.entry(name).or_default() += 1;
    }
    move |name| times.get(name).copied().unwrap_or(0) > 1
}

/// What the form calls each of a list's items, given as (id, name): its name once, its id when
/// it has no name, and "name (id)" only where two items share a name, so each stays told apart
/// (access rules and hosts refer to the id). The id is no longer repeated after every name (QA:
/// "Legal and compliance (mail archiving) (legal)"); an open card shows it beside Remove.
fn titles<'a>(items: impl Iterator<Item = (&'a str, String)>) -> Vec<String> {
    let items: Vec<(&str, String)> = items
        .map(|(id, name)| {
            let name = if name.is_empty() {
                id.to_string()
            } else {
                name
            };
            (id, name)
        })
        .collect();
    let shared = shared_names(items.iter().map(|(_, name)| name.as_str()));
    items
        .iter()
        .map(|(id, name)| {
            if shared(name) && name != id {
                format!("{name} ({id})")
            } else {
                name.clone()
            }
        })
        .collect()
}

/// [`titles`] of the estate's groups.
fn group_titles(e: &Estate) -> Vec<String> {
    titles(e.groups.iter().map(|g| (g.id.as_str(), g.name.clone())))
}

/// [`titles`] of the estate's shared-device pools.
fn pool_titles(e: &Estate) -> Vec<String> {
    titles(
        e.shared_devices
            .iter()
            .map(|d| (d.id.as_str(), d.name.clone())),
    )
}

/// [`titles`] of the estate's servers, an unnamed one called by its place, "Server 2" (see
/// [`state::server_label`]).
fn server_titles(e: &Estate) -> Vec<String> {
    titles(
        e.servers
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), state::server_label(i, s))),
    )
}

/// What a card's fields say after their label for assistive technology (see the field's
/// `context`): `word` and the item, "in group Office staff". Every card repeats the same labels, and
/// a bare "People" did not say whose (UI review).
fn context(word: &str, item: &str) -> Option<AttrValue> {
    Some(AttrValue::from(format!("{word} {item}")))
}

/// Per server, the note under its name field when another server is shown by the same name: the
/// report and the form's lists could not tell the two apart. It does not block the edit. All in
/// one pass: asked per card, each name was compared with every other (hostile-input review 23:
/// the form grew with the square of the servers).
pub(crate) fn same_name_notes(e: &Estate) -> Vec<Option<String>> {
    let shown: Vec<String> = (e.servers.iter().enumerate())
        .map(|(k, s)| state::server_label(k, s).trim().to_string())
        .collect();
    let shared = shared_names(shown.iter().map(String::as_str));
    (shown.iter())
        .map(|name| {
            shared(name).then(|| {
                format!(
                    "Another server is also called “{name}”: give each a different name so the report can tell them apart."
                )
            })
        })
        .collect()
}

/// Beyond this many cards, a list's cards all start closed, only one just added opening: each
/// open server card lists every other server as its host, and every card listing every other
/// server made the form grow with the square of the servers (hostile-input review 23: 500
/// servers made 250,000 options and froze the page for 20 s; 2,000 aborted it). A closed card
/// renders its summary only ([`OpenCards::card`]).
const HOST_LIST_ALWAYS: usize = 50;

/// What the form calls owned licences: "Windows Server User CAL 2019", with the entry's place
/// in the list where two read the same ("… 2019 (entry 2)"), so each Remove button and field
/// says which one it is (UI review: two identical "Remove owned Windows Server User CAL").
fn holding_titles(e: &Estate) -> Vec<String> {
    let base: Vec<String> = e
        .holdings
        .iter()
        .map(|h| {
            format!(
                "{} {} {}",
                format::product_label(h.product),
                format::kind_label(h.kind),
                h.version
            )
            .trim_end()
            .to_string()
        })
        .collect();
    // Counted once: each entry compared with every other grew with the square of the list.
    let shared = shared_names(base.iter().map(String::as_str));
    base.iter()
        .enumerate()
        .map(|(i, b)| {
            if shared(b) {
                format!("{b} (entry {})", i + 1)
            } else {
                b.clone()
            }
        })
        .collect()
}

/// A group's card title: "Office staff — 420 employees, 2 own devices each", and ", Microsoft
/// 365 E3" for a group that holds the plan when its name does not say so. The kind
/// keeps its capitals after the first letter ("(no CAL)") and counts take their singular for one
/// (QA: "anonymous internet visitors (no cal), 1 own device(s) each").
fn group_summary(title: &str, g: &Group) -> String {
    // "1 employee", not "1 employees" (review 41).
    let kind = if g.count == 1 {
        format::person_kind_one(g.kind)
    } else {
        format::person_kind_label(g.kind)
    };
    // The labels are ASCII: no Unicode case table for them (−16 KB gzip with the others).
    let mut kind = kind.to_string();
    if let Some(first) = kind.get_mut(..1) {
        first.make_ascii_lowercase();
    }
    let devices = match g.devices_each {
        0 => "no own devices".to_string(),
        n => format::counted(u64::from(n), "own device each", "own devices each"),
    };
    // The plan held, unless the name says it ("Employees with Microsoft 365 E3 (imported)").
    let plan = match g.m365 {
        Some(M365Plan::E3) => "Microsoft 365 E3",
        Some(M365Plan::E5) => "Microsoft 365 E5",
        None => "",
    };
    let plan = if plan.is_empty() || title.contains(plan) {
        String::new()
    } else {
        format!(", {plan}")
    };
    format!(
        "{title} — {} {kind}, {devices}{plan}",
        format::count(u64::from(g.count))
    )
}

/// A shared-device pool's card title: "Call-centre desks — 90 devices, used by 1 group".
fn pool_summary(title: &str, d: &SharedDevices) -> String {
    let users = if d.network {
        "network equipment".to_string()
    } else if d.unattended {
        "unattended".to_string()
    } else {
        format!(
            "used by {}",
            format::counted(d.shared_by.len() as u64, "group", "groups")
        )
    };
    format!(
        "{title} — {}, {users}",
        format::counted(u64::from(d.count), "device", "devices")
    )
}

#[component]
pub fn DetailedForm(p: &DetailedProps) -> Html {
    let e = &p.estate;
    let on_name = {
        let on_edit = p.on_edit.clone();
        Callback::from(move |v: String| on_edit.emit(Edit::SetName(v)))
    };
    let named = |list: &str| p.problem.filter(|(l, _)| *l == list).map(|(_, i)| i);
    let on_as_of = {
        let on_edit = p.on_edit.clone();
        Callback::from(move |v: Option<Date>| on_edit.emit(Edit::SetAsOf(v)))
    };
    let dates = crate::engine::COUNT_DATES;
    html! {
        <section class="card detailed" aria-labelledby="detailed-title">
            <h2 id="detailed-title" tabindex="-1">{ "Estate in detail" }</h2>
            <TextField id="d-name" label="Estate name" value={AttrValue::from(e.name.clone())} on_change={on_name} />
            <DateField id="d-as-of" label="Count as of" value={e.as_of} on_change={on_as_of} none="today"
                min={Some((*dates.start(), "the first date a count can be made as of"))} max={Some((*dates.end(), "the last date a count can be made as of"))}
                hint="Blank: today. For an Effective License Position, the baseline date: the versions current, Software Assurance and the terms are judged at it." />
            <Groups estate={e.clone()} on_edit={p.on_edit.clone()} named={named("groups")} uses={Uses { groups: true, access: true, ..Uses::default() }} />
            <Pools estate={e.clone()} on_edit={p.on_edit.clone()} named={named("pools")} uses={Uses { group_names: true, pools: true, servers: true, ..Uses::default() }} />
            <Servers estate={e.clone()} on_edit={p.on_edit.clone()} named={named("servers")} uses={Uses { servers: true, ad_rms_feature: true, rds_rules: true, readings: true, ..Uses::default() }} />
            <AccessRows estate={e.clone()} on_edit={p.on_edit.clone()} named={named("rules")} uses={Uses { access: true, group_names: true, servers: true, ..Uses::default() }} />
            <Holdings estate={e.clone()} on_edit={p.on_edit.clone()} named={named("licences")} uses={Uses { holdings: true, servers: true, readings: true, ..Uses::default() }} />
            <Microsoft365 estate={e.clone()} on_edit={p.on_edit.clone()} uses={Uses { organisation: true, ..Uses::default() }} />
            <ReadingsPanel estate={e.clone()} on_edit={p.on_edit.clone()} uses={Uses { organisation: true, ..Uses::default() }} />
        </section>
    }
}

/// The id of an open card's item, small and muted beside Remove: the estate file and the
/// imports refer to it, but the card's title names the item by its name. Labelled as the file's
/// name for it (review 14: a bare "id office" read as jargon).
fn row_id(id: &str) -> Html {
    html! {
        <span class="row-id" title="The name the estate file and imports use for it; you need it only when editing the file.">
            { "file id " }<code>{ id.to_string() }</code>
        </span>
    }
}

/// A card's check-box group says whose it is to assistive technology: "These groups (access rule
/// 2)", where every card's legend reads the same.
fn legend_context(item: &str) -> Html {
    html! { <span class="visually-hidden">{ format!(" ({item})") }</span> }
}

fn add_button(label: &'static str, on_edit: &Callback<Edit>, edit: Edit) -> Html {
    let on_edit = on_edit.clone();
    let onclick = Callback::from(move |e: MouseEvent| {
        crate::ui::browser::focus_added_row(&e, "details.row-card");
        on_edit.emit(edit.clone())
    });
    html! { <button type="button" class="secondary" {onclick}>{ label }</button> }
}

fn remove_button(what: String, on_edit: &Callback<Edit>, edit: Edit) -> Html {
    let on_edit = on_edit.clone();
    let onclick = Callback::from(move |_| on_edit.emit(edit.clone()));
    html! { <button type="button" class="remove" {onclick} aria-label={format!("Remove {what}")}>{ "Remove" }</button> }
}

/// Which cards of a list are open, decided once per card and never from what is typed into it
/// (a card whose `open` followed its content closed after the first keystroke, hiding the field
/// being typed in). At the first render, the cards `empty` says are still empty open; later, a
/// card added at the end opens. Cards are by position, as the list renders them (keyed by it, so
/// each `<details>` element stays at its place and keeps its state when one before it goes, and
/// moves with its card when the cards before it are listed). Each card hears its toggle event
/// ([`OpenCards::card`]) and renders its body only while open, so a list grows the page by a
/// summary per card, and a long list shows [`CARDS_ALWAYS`] of them at a time.
#[hook]
fn use_open_cards(len: usize, named: Option<usize>, empty: impl Fn(usize) -> bool) -> OpenCards {
    let state = use_mut_ref(|| None::<Vec<bool>>);
    let redraw = use_force_update();
    let open = {
        let mut state = state.borrow_mut();
        // In a long list every card starts closed and only a card just added opens: hundreds of
        // open cards (an imported estate of unnamed servers) are no help, and each open server
        // card lists every other server (`HOST_LIST_ALWAYS`).
        let small = len <= HOST_LIST_ALWAYS;
        let open = state.get_or_insert_with(|| (0..len).map(|i| small && empty(i)).collect());
        let added_one = len == open.len() + 1;
        open.resize(len, small || added_one);
        open.clone()
    };
    let whole = use_mut_ref(std::collections::BTreeSet::<usize>::new);
    whole.borrow_mut().retain(|&k| k < len);
    let kept = use_mut_ref(std::collections::BTreeSet::<usize>::new);
    kept.borrow_mut().retain(|&k| k < len);
    OpenCards {
        open,
        state,
        whole,
        kept,
        listed: use_mut_ref(|| CARDS_ALWAYS),
        find: use_mut_ref(String::new),
        named: named.filter(|&i| i < len),
        redraw,
    }
}

/// The open cards of a list ([`use_open_cards`]).
struct OpenCards {
    open: Vec<bool>,
    state: Rc<std::cell::RefCell<Option<Vec<bool>>>>,
    /// The cards whose long check-box lists the user asked to see whole ([`CHECKS_ALWAYS`]).
    whole: Rc<std::cell::RefCell<std::collections::BTreeSet<usize>>>,
    /// The closed cards that hold an entry not applied (a count typed as "4O"): their fields stay
    /// in the page, hidden, so what was typed is there when the card opens again.
    kept: Rc<std::cell::RefCell<std::collections::BTreeSet<usize>>>,
    /// How many cards of a long list it shows (beside the open and kept ones), and the text of
    /// its find box.
    listed: Rc<std::cell::RefCell<usize>>,
    find: Rc<std::cell::RefCell<String>>,
    /// The card the estate's problem names: listed whatever the find box holds, and marked.
    named: Option<usize>,
    redraw: UseForceUpdateHandle,
}

/// The cards of a list the page shows ([`OpenCards::listed`]).
struct Listed {
    /// Their places, in order.
    cards: Vec<usize>,
    /// How many cards the find box matches (all while it is empty), and how many of them show.
    matching: usize,
    shown: usize,
    /// The first match not shown, whose summary takes the focus when more are shown.
    next: Option<usize>,
}

/// Whether `text` holds `find`, ignoring the case of ASCII letters (the find box's match; no
/// Unicode case tables for it, see `group_summary`).
fn holds(text: &str, find: &str) -> bool {
    let (text, find) = (text.as_bytes(), find.trim().as_bytes());
    find.is_empty()
        || text
            .windows(find.len())
            .any(|w| w.eq_ignore_ascii_case(find))
}

impl OpenCards {
    /// Whether card `i` is open.
    fn is_open(&self, i: usize) -> bool {
        self.open.get(i).copied().unwrap_or(false)
    }

    /// Card `i`'s `ontoggle`: records whether it is now open (by mouse, keyboard, or the page's
    /// find) and redraws the list when that changed, so its body appears or goes. A card closed
    /// on a field whose entry is not applied (`aria-invalid`) keeps its body, hidden, and says so
    /// in its summary: gone with the card, the entry would be lost unseen. The element's `open`
    /// attribute is what `HtmlDetailsElement::open` reflects; reading it from `Element` needs no
    /// more web-sys features. The event also comes after the list itself set the attribute; it
    /// then changes nothing and draws nothing.
    fn on_toggle(&self, i: usize) -> Callback<Event> {
        let (state, kept, redraw) = (self.state.clone(), self.kept.clone(), self.redraw.clone());
        Callback::from(move |e: Event| {
            let Some(card) = e.target_dyn_into::<web_sys::Element>() else {
                return;
            };
            let open = card.has_attribute("open");
            let unapplied =
                !open && (card.query_selector("[aria-invalid=true]").ok().flatten()).is_some();
            let mut kept = kept.borrow_mut();
            let kept_changed = if unapplied {
                kept.insert(i)
            } else {
                kept.remove(&i)
            };
            let changed = (state.borrow_mut().as_mut())
                .and_then(|cards| cards.get_mut(i))
                .is_some_and(|was| std::mem::replace(was, open) != open);
            drop(kept);
            if changed || kept_changed {
                redraw.force_update();
            }
        })
    }

    /// Card `i` of list `list` ("groups"): its summary, and its `body` while it is open or holds
    /// an entry not applied. The summary's id (`card-groups-3`) is where the focus goes when
    /// the card is listed by "Show more".
    fn card(&self, list: &str, i: usize, summary: String, body: impl FnOnce() -> Html) -> Html {
        let open = self.is_open(i);
        let kept = !open && self.kept.borrow().contains(&i);
        let named = self.named == Some(i);
        html! {
            <details key={i} class="row-card" {open} ontoggle={self.on_toggle(i)}>
                <summary id={format!("card-{list}-{i}")}>{ summary }
                    if kept { <span class="field-error">{ " — holds an entry not applied: open it to correct it" }</span> }
                    if named && !kept { <span class="field-error" data-testid="card-problem">{ " — the estate's problem is here" }</span> }
                </summary>
                if open || kept { { body() } }
            </details>
        }
    }

    /// The cards of a list of `len` the page shows: all of a short one; of a long one, the
    /// open, kept and named ones and the first [`CARDS_ALWAYS`] the find box matches (`found`,
    /// asked only while it holds text), more as the user asks.
    fn listed(&self, len: usize, found: impl Fn(usize, &str) -> bool) -> Listed {
        let (find, limit) = (self.find.borrow(), *self.listed.borrow());
        let (kept, long) = (self.kept.borrow(), len > CARDS_ALWAYS);
        let mut listed = Listed {
            cards: Vec::new(),
            matching: 0,
            shown: 0,
            next: None,
        };
        for k in 0..len {
            let matches = !long || find.trim().is_empty() || found(k, &find);
            let within = matches && (!long || listed.matching < limit);
            if matches {
                listed.matching += 1;
                listed.shown += usize::from(within);
                if !within && listed.next.is_none() {
                    listed.next = Some(k);
                }
            }
            if within || self.is_open(k) || kept.contains(&k) || self.named == Some(k) {
                listed.cards.push(k);
            }
        }
        listed
    }

    /// Above a long list: a box that finds its cards by what `what` says ("groups by name or
    /// file id"); typing lists the first matches again.
    fn finder(&self, list: &'static str, len: usize, what: &'static str) -> Html {
        if len <= CARDS_ALWAYS {
            return html! {};
        }
        let (find, listed, redraw) = (self.find.clone(), self.listed.clone(), self.redraw.clone());
        let oninput = Callback::from(move |e: InputEvent| {
            *find.borrow_mut() = e.target_unchecked_into::<HtmlInputElement>().value();
            *listed.borrow_mut() = CARDS_ALWAYS;
            redraw.force_update();
        });
        let id = format!("d-find-{list}");
        html! {
            <div class="field">
                <label for={id.clone()}>{ format!("Find {what}") }</label>
                <input {id} type="search" autocomplete="off" value={self.find.borrow().clone()} {oninput} />
            </div>
        }
    }

    /// Under a long list cut to its first cards: how many it shows, and buttons that show the
    /// next [`CARDS_ALWAYS`] or all, then give the focus to the first card that was not shown.
    fn more(&self, list: &'static str, listed: &Listed) -> Html {
        let Some(next) = listed.next else {
            return html! {};
        };
        let button = |label: String, to: usize| {
            let (limit, redraw) = (self.listed.clone(), self.redraw.clone());
            let onclick = Callback::from(move |_: MouseEvent| {
                *limit.borrow_mut() = to;
                redraw.force_update();
                crate::ui::browser::focus_soon(vec![format!("card-{list}-{next}")]);
            });
            html! { <button type="button" class="secondary" {onclick}>{ label }</button> }
        };
        let (shown, matching) = (listed.shown, listed.matching);
        let step = CARDS_ALWAYS.min(matching - shown);
        html! {
            <p class="field-hint show-all" data-testid={format!("more-{list}")}>
                { format!("Showing {} of {} {list}, and every open one. ", format::count(shown as u64), format::count(matching as u64)) }
                { button(format!("Show {} more", format::count(step as u64)), shown + step) }
                { " " }
                { button(format!("Show all {}", format::count(matching as u64)), usize::MAX) }
            </p>
        }
    }

    /// Whether card `i` shows its check-box lists whole.
    fn is_whole(&self, i: usize) -> bool {
        self.whole.borrow().contains(&i)
    }

    /// The places of the items of a check-box list of card `i` that it shows: all of them in a
    /// short list or once asked to, else the first [`CHECKS_ALWAYS`] and every ticked one.
    fn shown(&self, i: usize, len: usize, ticked: impl Fn(usize) -> bool) -> Vec<usize> {
        let whole = len <= CHECKS_ALWAYS || self.is_whole(i);
        (0..len)
            .filter(|&k| whole || k < CHECKS_ALWAYS || ticked(k))
            .collect()
    }

    /// Under a list of card `i` cut to its first items: how many it shows, and a button that
    /// shows all `len` (`what`: "groups", "servers"), then gives the keyboard focus to the
    /// first box that was not shown (`first_hidden`, its id), so the button going loses no place.
    fn show_all(
        &self,
        i: usize,
        shown: &[usize],
        len: usize,
        what: &'static str,
        id_of: impl Fn(usize) -> String,
    ) -> Html {
        if shown.len() >= len {
            return html! {};
        }
        // `shown` is in order from 0: the first hidden item is at the first place it skips.
        let first_hidden = (shown.iter().enumerate())
            .find(|(at, k)| at != *k)
            .map_or(shown.len(), |(at, _)| at);
        let first_hidden = id_of(first_hidden);
        let shown = shown.len();
        let (whole, redraw) = (self.whole.clone(), self.redraw.clone());
        let onclick = Callback::from(move |_: MouseEvent| {
            whole.borrow_mut().insert(i);
            redraw.force_update();
            crate::ui::browser::focus_soon(vec![first_hidden.clone()]);
        });
        html! {
            <p class="field-hint show-all">
                { format!("Showing {} of {} {what}: the first {} and every ticked one. ", format::count(shown as u64), format::count(len as u64), format::count(CHECKS_ALWAYS as u64)) }
                <button type="button" class="secondary" {onclick}>{ format!("Show all {} {what}", format::count(len as u64)) }</button>
            </p>
        }
    }
}

/// Beyond this many groups (or servers), an open card's check boxes for them show the first
/// ones and every ticked one until the user asks for all: every box of 2,000 groups in each of
/// 50 open cards made 100,000 (security review: an estate's cards listing every group made
/// 400,000 boxes and froze the page). A hundred is more than a screen can show, and the ticked
/// ones are always there to untick.
const CHECKS_ALWAYS: usize = 100;

/// Beyond this many cards, a list of the detailed form shows its first ones, every open one and
/// those its find box matches, until the user asks for more: 50,000 groups and 50,000 rules
/// made 5 million elements even with every card closed, and crashed the tab.
const CARDS_ALWAYS: usize = 100;

#[component]
fn Groups(p: &SectionProps) -> Html {
    let plans: Vec<(AttrValue, AttrValue)> = vec![
        ("".into(), "None".into()),
        ("e3".into(), "Microsoft 365 E3".into()),
        ("e5".into(), "Microsoft 365 E5".into()),
    ];
    let open = use_open_cards(p.estate.groups.len(), p.named, |i| {
        p.estate.groups.get(i).is_some_and(|g| g.count == 0)
    });
    let group_titles = group_titles(&p.estate);
    // Gathered once: a search of every rule per group grew with groups × rules.
    let with_access: std::collections::HashSet<&str> = (p.estate.access.iter())
        .flat_map(|a| a.groups.iter().map(String::as_str))
        .collect();
    let groups = &p.estate.groups;
    let listed = open.listed(groups.len(), |k, find| {
        holds(&group_titles[k], find) || holds(&groups[k].id, find)
    });
    html! {
        <fieldset class="rows">
            <legend>{ "Groups of people" }</legend>
            <p class="field-hint">{ "People alike for licensing. Count physical people, not accounts: one person with several log-ins needs one User CAL." }</p>
            { open.finder("groups", groups.len(), "groups by name or file id") }
            { for listed.cards.iter().map(|&i| {
                let g = &groups[i];
                let make = move |g: Group| Edit::SetGroup(i, g);
                let id = |f: &str| format!("d-group-{i}-{f}");
                let title = group_titles[i].clone();
                let item = format!("group {title}");
                open.card("groups", i, group_summary(&title, g), || html! { <>
                        <div class="row-head">{ row_id(&g.id) }{ remove_button(format!("group {title}"), &p.on_edit, Edit::RemoveGroup(i)) }</div>
                        <div class="field-grid">
                            <TextField id={id("name")} label="Name" context={context("of", &item)} wide=true value={AttrValue::from(g.name.clone())}
                                on_change={edit_with(g, &p.on_edit, make, |g, v: String| g.name = v)} />
                            <NumberField id={id("count")} label="People" context={context("in", &item)} value={u64::from(g.count)} max={MAX_PEOPLE}
                                on_change={edit_with(g, &p.on_edit, make, |g, v: u64| g.count = to_u32(v))} />
                            <SelectField id={id("kind")} label="Who they are" context={context("in", &item)} options={enum_options(&format::ALL_PERSON_KINDS, format::person_kind_label)}
                                selected={AttrValue::from(format::serde_name(&g.kind))}
                                on_change={edit_with(g, &p.on_edit, make, |g, v: String| if let Some(k) = format::from_serde_name(&v) { g.kind = k })} />
                            <NumberField id={id("devices")} label="Own devices each" context={context("in", &item)} value={u64::from(g.devices_each)} max={MAX_DEVICES_EACH}
                                hint="0 for people who only use shared devices"
                                on_change={edit_with(g, &p.on_edit, make, |g, v: u64| g.devices_each = to_u32(v))} />
                            <SelectField id={id("m365")} label="Microsoft 365 plan held" context={context("in", &item)} options={plans.clone()}
                                selected={AttrValue::from(g.m365.map(|m| format::serde_name(&m)).unwrap_or_default())}
                                on_change={edit_with(g, &p.on_edit, make, |g, v: String| g.m365 = format::from_serde_name::<M365Plan>(&v))} />
                            <CheckField id={id("admin")} label="Administrators only" context={context("in", &item)} checked={g.admin_only}
                                hint="Up to two administrators per product need no CAL"
                                on_change={edit_with(g, &p.on_edit, make, |g, v: bool| g.admin_only = v)} />
                        </div>
                        if !with_access.contains(g.id.as_str()) {
                            <p class="note" data-testid={format!("group-{i}-no-access")}>{ "This group uses no server yet: tick it in a rule under “Who uses which servers”." }</p>
                        }
                </> })
            }) }
            { open.more("groups", &listed) }
            { add_button("Add a group", &p.on_edit, Edit::AddGroup) }
        </fieldset>
    }
}

#[component]
fn Pools(p: &SectionProps) -> Html {
    let e = &p.estate;
    let open = use_open_cards(e.shared_devices.len(), p.named, |i| {
        e.shared_devices.get(i).is_some_and(|d| d.count == 0)
    });
    let (pool_titles, group_titles, server_titles) =
        (pool_titles(e), group_titles(e), server_titles(e));
    let listed = open.listed(e.shared_devices.len(), |k, find| {
        holds(&pool_titles[k], find) || holds(&e.shared_devices[k].id, find)
    });
    html! {
        <fieldset class="rows">
            <legend>{ "Shared devices" }</legend>
            <p class="field-hint">{ "Desks, kiosks, terminals used by several people; or unattended devices (printers, sensors) that reach servers on their own." }</p>
            { open.finder("pools", e.shared_devices.len(), "shared devices by name or file id") }
            { for listed.cards.iter().map(|&i| {
                let d = &e.shared_devices[i];
                let make = move |d: SharedDevices| Edit::SetSharedDevices(i, d);
                let id = |f: &str| format!("d-pool-{i}-{f}");
                let title = pool_titles[i].clone();
                let item = format!("device pool {title}");
                // A closed pool is its summary only: its boxes, a box per group in every pool,
                // made the form grow with pools × groups (security review: 2,000 groups and 200
                // pools froze the page for 18 s).
                open.card("pools", i, pool_summary(&title, d), || {
                let reached: std::collections::HashSet<&str> = d.accesses.iter().map(String::as_str).collect();
                let users: std::collections::HashSet<&str> = d.shared_by.iter().map(String::as_str).collect();
                let servers_shown = open.shown(i, e.servers.len(), |k| reached.contains(e.servers[k].id.as_str()));
                let groups_shown = open.shown(i, e.groups.len(), |k| users.contains(e.groups[k].id.as_str()));
                html! { <>
                        <div class="row-head">{ row_id(&d.id) }{ remove_button(format!("shared devices {title}"), &p.on_edit, Edit::RemoveSharedDevices(i)) }</div>
                        <div class="field-grid">
                            <TextField id={id("name")} label="Name" context={context("of", &item)} wide=true value={AttrValue::from(d.name.clone())}
                                on_change={edit_with(d, &p.on_edit, make, |d, v: String| d.name = v)} />
                            <NumberField id={id("count")} label="Devices" context={context("in", &item)} value={u64::from(d.count)} max={MAX_PEOPLE}
                                on_change={edit_with(d, &p.on_edit, make, |d, v: u64| d.count = to_u32(v))} />
                            <CheckField id={id("unattended")} label="Unattended (no person at them)" context={context("for", &item)} checked={d.unattended}
                                on_change={edit_with(d, &p.on_edit, make, |d, v: bool| { d.unattended = v; d.network &= v; })} />
                            if d.unattended {
                                // Network equipment is no one's device: ticking it clears who prints
                                // with the pool, which validation refuses beside it.
                                <CheckField id={id("network")} label="Network equipment (switches, access points, firewalls)" context={context("for", &item)} checked={d.network}
                                    on_change={edit_with(d, &p.on_edit, make, |d, v: bool| { d.network = v; if v { d.shared_by.clear(); } })} />
                            }
                        </div>
                        if d.unattended {
                            <fieldset class="checks"><legend>{ "Servers they reach" }{ legend_context(&item) }</legend>
                            { for servers_shown.iter().map(|&k| {
                                let s = &e.servers[k];
                                let sid = s.id.clone();
                                html! { <CheckField id={id(&format!("srv-{}", s.id))} label={server_titles[k].clone()}
                                    checked={reached.contains(s.id.as_str())}
                                    on_change={edit_with(d, &p.on_edit, make, move |d, v: bool| toggle(&mut d.accesses, &sid, v))} /> }
                            }) }
                            { open.show_all(i, &servers_shown, e.servers.len(), "servers", |k| id(&format!("srv-{}", e.servers[k].id))) }
                            </fieldset>
                        }
                        // Who uses the pool: people at shared desks, or, for unattended devices,
                        // the people printing or scanning with them (their User CALs cover them);
                        // no one for network equipment.
                        if !d.network {
                        <fieldset class="checks"><legend>{ if d.unattended { "Printing or scanning for (optional)" } else { "Used by" } }{ legend_context(&item) }</legend>
                        if d.unattended {
                            <p class="field-hint">{ "A networked printer or scanner needs no CAL of its own where the people who use it hold User CALs. Name them here; leave it empty for devices nobody uses (sensors): those need Device CALs." }</p>
                        }
                        { for groups_shown.iter().map(|&k| {
                            let g = &e.groups[k];
                            let gid = g.id.clone();
                            html! { <CheckField id={id(&format!("grp-{}", g.id))} label={group_titles[k].clone()}
                                checked={users.contains(g.id.as_str())}
                                on_change={edit_with(d, &p.on_edit, make, move |d, v: bool| toggle(&mut d.shared_by, &gid, v))} /> }
                        }) }
                        { open.show_all(i, &groups_shown, e.groups.len(), "groups", |k| id(&format!("grp-{}", e.groups[k].id))) }
                        </fieldset>
                        }
                </> }
                })
            }) }
            { open.more("pools", &listed) }
            { add_button("Add shared devices", &p.on_edit, Edit::AddSharedDevices) }
        </fieldset>
    }
}

fn optional_versions(list: Vec<&'static str>, none: &'static str) -> Vec<(AttrValue, AttrValue)> {
    std::iter::once((AttrValue::from(""), AttrValue::from(none)))
        .chain(
            list.into_iter()
                .map(|v| (AttrValue::from(v), AttrValue::from(v))),
        )
        .collect()
}

/// "access rule 2", "access rules 1 and 3": the rules of `numbers` (counted from 1).
fn rule_numbers(numbers: &[usize]) -> String {
    let shown: Vec<String> = numbers.iter().map(|n| n.to_string()).collect();
    match shown.as_slice() {
        [one] => format!("access rule {one}"),
        [rest @ .., last] => format!("access rules {} and {last}", rest.join(", ")),
        [] => String::new(),
    }
}

/// The server card's "Remote Desktop Session Host" box. Unticked while access rules use Remote
/// Desktop on this server and reach no other session host, those rules lose the feature (the
/// estate would otherwise be one the app cannot evaluate, save or reopen), and the box says so
/// (pre-sales review: the only signal was a notice far from the box).
fn session_host_change(
    e: &Estate,
    i: usize,
    s: &Server,
    on_edit: &Callback<Edit>,
    set_note: UseStateSetter<Option<(usize, String)>>,
) -> Callback<bool> {
    let other_host =
        |id: &String| *id != s.id && e.servers.iter().any(|o| &o.id == id && o.rds_session_host);
    let orphaned: Vec<usize> = e
        .access
        .iter()
        .enumerate()
        .filter(|(_, a)| {
            a.features.contains(&Feature::RemoteDesktop)
                && a.servers.contains(&s.id)
                && !a.servers.iter().any(other_host)
        })
        .map(|(k, _)| k + 1)
        .collect();
    let text = (!orphaned.is_empty()).then(|| {
        format!(
            "Remote Desktop was taken off {rules}, which reached no other session host: no RDS CALs are counted for {them}. To count them again, tick this box and then \"Remote Desktop sessions\" on {rules}.",
            rules = rule_numbers(&orphaned),
            them = if orphaned.len() == 1 { "it" } else { "them" }
        )
    });
    let (s, on_edit) = (s.clone(), on_edit.clone());
    Callback::from(move |v: bool| {
        let mut x = s.clone();
        x.rds_session_host = v;
        set_note.set(text.clone().filter(|_| !v).map(|t| (i, t)));
        on_edit.emit(Edit::SetServer(i, x));
    })
}

#[component]
fn Servers(p: &SectionProps) -> Html {
    let e = &p.estate;
    let open = use_open_cards(e.servers.len(), p.named, |i| {
        e.servers.get(i).is_some_and(|s| s.name.is_empty())
    });
    let server_titles = server_titles(e);
    let name_notes = same_name_notes(e);
    let ids: std::collections::HashSet<&str> = e.servers.iter().map(|s| s.id.as_str()).collect();
    let listed = open.listed(e.servers.len(), |k, find| {
        holds(&server_titles[k], find) || holds(&e.servers[k].id, find)
    });
    let products = format::ALL_SERVER_PRODUCTS;
    // What unticking a server's session host did to the access rules using Remote Desktop, said
    // beside that box (server index, text).
    let rdsh_note = use_state(|| None::<(usize, String)>);
    html! {
        <fieldset class="rows">
            <legend>{ "Servers and hosts" }</legend>
            <p class="field-hint">{ servers_hint(e.organisation.readings.external_connector_scope) }</p>
            { open.finder("servers", e.servers.len(), "servers by name or file id") }
            { for listed.cards.iter().map(|&i| {
                let s = &e.servers[i];
                let make = move |s: Server| Edit::SetServer(i, s);
                let id = |f: &str| format!("d-server-{i}-{f}");
                let title = server_titles[i].clone();
                let summary = format!("{title} — {} {} {}{}", format::server_product_label(s.product), format::edition_label(s.edition), s.version, match (&s.host, s.vm) { (Some(h), true) => format!(", VM on {}", state::server_label_of(e, h)), (None, true) => ", VM (host not set)".to_string(), _ => String::new() });
                open.card("servers", i, summary, || {
                let mut versions_of = versions::server_versions(s.product);
                if !versions_of.contains(&s.version.as_str()) {
                    versions_of.insert(0, "");
                }
                // A physical host is no VM: the VMs are not offered (helper review 41: an open card
                // of 5,000 servers, most of them VMs, listed them all), the host already set is.
                let hosts: Vec<(AttrValue, AttrValue)> = std::iter::once((AttrValue::from(""), AttrValue::from("Itself (physical)")))
                    .chain(e.servers.iter().enumerate().filter(|(_, o)| o.id != s.id && (!o.vm || s.host.as_ref() == Some(&o.id))).map(|(k, o)| (AttrValue::from(o.id.clone()), AttrValue::from(server_titles[k].clone()))))
                    .collect();
                let host_known = s.host.as_ref().is_none_or(|h| ids.contains(h.as_str()));
                let item = if s.name.is_empty() { title.clone() } else { format!("server {title}") };
                html! { <>
                        <div class="row-head">{ row_id(&s.id) }{ remove_button(item.clone(), &p.on_edit, Edit::RemoveServer(i)) }</div>
                        <div class="field-grid">
                            <TextField id={id("name")} label="Name" context={context("of", &item)} wide=true value={AttrValue::from(s.name.clone())}
                                note={name_notes.get(i).cloned().flatten().map(AttrValue::from)}
                                on_change={edit_with(s, &p.on_edit, make, |s, v: String| s.name = v)} />
                            <SelectField id={id("product")} label="Product" context={context("of", &item)} options={enum_options(&products, format::server_product_label)}
                                selected={AttrValue::from(format::serde_name(&s.product))}
                                on_change={edit_with(s, &p.on_edit, make, |s, v: String| if let Some(pr) = format::from_serde_name::<ServerProduct>(&v) {
                                    crate::ui::state::change_server_product(s, pr);
                                })} />
                            <SelectField id={id("version")} label="Version" context={context("of", &item)} options={versions_of.iter().map(|v| (AttrValue::from(*v), AttrValue::from(if v.is_empty() { format!("{} (not recognised)", s.version) } else { v.to_string() }))).collect::<Vec<_>>()}
                                selected={AttrValue::from(if versions::server_versions(s.product).contains(&s.version.as_str()) { s.version.clone() } else { String::new() })}
                                on_change={edit_with(s, &p.on_edit, make, |s, v: String| if !v.is_empty() { s.version = v })} />
                            <SelectField id={id("edition")} label="Edition" context={context("of", &item)} options={enum_options(crate::ui::state::editions(s.product), format::edition_label)}
                                selected={AttrValue::from(format::serde_name(&s.edition))}
                                on_change={edit_with(s, &p.on_edit, make, |s, v: String| if let Some(x) = format::from_serde_name(&v) { s.edition = x })} />
                            if s.product != ServerProduct::WindowsServer {
                                <SelectField id={id("windows")} label="Runs on Windows Server" context={context("for", &item)} options={optional_versions(versions::server_versions(ServerProduct::WindowsServer), "Not stated")}
                                    selected={AttrValue::from(s.windows_version.clone().unwrap_or_default())}
                                    on_change={edit_with(s, &p.on_edit, make, |s, v: String| s.windows_version = (!v.is_empty()).then_some(v))} />
                            }
                            <SelectField id={id("host")} label="Physical host" context={context("of", &item)} options={hosts}
                                selected={AttrValue::from(if host_known { s.host.clone().unwrap_or_default() } else { String::new() })}
                                hint={(!host_known).then(|| AttrValue::from(format!("“{}” is not a server in this estate", s.host.clone().unwrap_or_default())))}
                                on_change={edit_with(s, &p.on_edit, make, |s, v: String| s.host = (!v.is_empty()).then_some(v))} />
                            <CheckField id={id("vm")} label="Virtual machine" context={context("for", &item)} checked={s.vm}
                                on_change={edit_with(s, &p.on_edit, make, |s, v: bool| s.vm = v)} />
                            <NumberField id={id("cores")} label="Cores" context={context("of", &item)} value={u64::from(s.cores)} max={MAX_CORES}
                                on_change={edit_with(s, &p.on_edit, make, |s, v: u64| s.cores = to_u32(v))} />
                            if s.product == ServerProduct::SqlServer {
                                <SelectField id={id("sql")} label="SQL Server licensing" context={context("for", &item)} options={
                                        std::iter::once((AttrValue::from(""), AttrValue::from("Let the calculator compare")))
                                            .chain((s.edition != Edition::Enterprise).then(|| (AttrValue::from("server-cal"), AttrValue::from("Server + CAL"))))
                                            .chain(std::iter::once((AttrValue::from("per-core"), AttrValue::from("Per core (no CALs)"))))
                                            .collect::<Vec<_>>()}
                                    hint={(s.edition == Edition::Enterprise).then(|| AttrValue::from("Enterprise is licensed per core only"))}
                                    selected={AttrValue::from(s.sql_licensing.map(|x| format::serde_name(&x)).unwrap_or_default())}
                                    on_change={edit_with(s, &p.on_edit, make, |s, v: String| s.sql_licensing = format::from_serde_name::<SqlLicensing>(&v))} />
                            }
                            if s.product == ServerProduct::WindowsServer {
                                <CheckField id={id("rdsh")} label="Remote Desktop Session Host" context={context("for", &item)} checked={s.rds_session_host}
                                    hint={rdsh_note.as_ref().filter(|(k, _)| *k == i && !s.rds_session_host).map(|(_, t)| AttrValue::from(t.clone()))}
                                    on_change={session_host_change(e, i, s, &p.on_edit, rdsh_note.setter())} />
                                if s.rds_session_host {
                                    <SelectField id={id("rdsmode")} label="RDS licensing mode" context={context("for", &item)} options={vec![
                                            (AttrValue::from(""), AttrValue::from("Let the calculator choose")),
                                            (AttrValue::from("per-user"), AttrValue::from("Per user")),
                                            (AttrValue::from("per-device"), AttrValue::from("Per device"))]}
                                        selected={AttrValue::from(s.rds_mode.map(|x| format::serde_name(&x)).unwrap_or_default())}
                                        on_change={edit_with(s, &p.on_edit, make, |s, v: String| s.rds_mode = format::from_serde_name::<RdsMode>(&v))} />
                                    <SelectField id={id("rdls")} label="RD Licensing server version" context={context("for", &item)} options={optional_versions(versions::server_versions(ServerProduct::WindowsServer), "Not stated")}
                                        selected={AttrValue::from(s.rd_licensing_server_version.clone().unwrap_or_default())}
                                        on_change={edit_with(s, &p.on_edit, make, |s, v: String| s.rd_licensing_server_version = (!v.is_empty()).then_some(v))} />
                                }
                                if s.pay_as_you_go || (s.version == "2025" && s.edition != Edition::Essentials) {
                                    <CheckField id={id("payg")} label="Pay-as-you-go via Azure Arc (no Windows Server CALs)" context={context("for", &item)} checked={s.pay_as_you_go}
                                        on_change={edit_with(s, &p.on_edit, make, |s, v: bool| s.pay_as_you_go = v)} />
                                }
                                <CheckField id={id("virt")} label="Only runs virtual machines (host OS)" context={context("for", &item)} checked={s.virtualization_only}
                                    on_change={edit_with(s, &p.on_edit, make, |s, v: bool| s.virtualization_only = v)} />
                                // The flag is a record only: AD RMS CALs come from the access rows' feature
                                // (review 21: ticking it changed nothing, and nothing said so).
                                <CheckField id={id("rms")} label="Runs AD Rights Management Services" context={context("for", &item)} checked={s.ad_rms}
                                    hint={(s.ad_rms && !ad_rms_in_access(e)).then(|| AttrValue::from(format!(
                                        "For your record only: AD RMS CALs are counted for the access rows with “{}” under “Who uses which servers”.",
                                        format::feature_label(Feature::AdRms))))}
                                    on_change={edit_with(s, &p.on_edit, make, |s, v: bool| s.ad_rms = v)} />
                            }
                            <CheckField id={id("anon")} label="Only anonymous internet access (public web site)" context={context("for", &item)} checked={s.anonymous_only}
                                on_change={edit_with(s, &p.on_edit, make, |s, v: bool| s.anonymous_only = v)} />
                        </div>
                </> }
                })
            }) }
            { open.more("servers", &listed) }
            <div class="add-row">
                { for products.iter().map(|pr| {
                    let on_edit = p.on_edit.clone();
                    let pr = *pr;
                    let onclick = Callback::from(move |e: MouseEvent| {
                        crate::ui::browser::focus_added_row(&e, "details.row-card");
                        on_edit.emit(Edit::AddServer(pr))
                    });
                    html! { <button type="button" class="secondary" {onclick}>{ format!("Add {}", format::server_product_label(pr)) }</button> }
                }) }
            </div>
        </fieldset>
    }
}

/// What a feature needs among an access rule's servers, in the form's words.
fn feature_needs(f: Feature) -> &'static str {
    match f {
        Feature::RemoteDesktop => "a Windows Server",
        Feature::AdRms => "a Windows Server (or a server stated to run on one)",
        Feature::ExchangeEnterprise => "an Exchange server",
        Feature::SharePointEnterprise => "a SharePoint server",
        Feature::SkypeEnterprise => "a Skype for Business server",
    }
}

/// The note of the access rules' box `box_id`, if the last tick left one there.
fn note_for(note: &Option<(String, String)>, box_id: &str) -> Option<AttrValue> {
    note.as_ref()
        .filter(|(id, _)| id == box_id)
        .map(|(_, t)| AttrValue::from(t.clone()))
}

/// Unticks the check box `id`, whose tick was not applied (the field shows the estate's state,
/// which did not change, so the page would not redraw it).
fn uncheck(id: &str) {
    use wasm_bindgen::JsCast;
    if let Some(input) = gloo::utils::document()
        .get_element_by_id(id)
        .and_then(|el| el.dyn_into::<HtmlInputElement>().ok())
    {
        input.set_checked(false);
    }
}

/// A feature's box on access rule `i`. A feature none of the rule's servers offers would make an
/// estate the app cannot evaluate, export or reopen (pre-sales review: "Remote Desktop sessions"
/// ticked without a session host). Remote Desktop makes the rule's Windows Servers session hosts,
/// as their own box would, and says so beside the box; any other such feature is not applied, and
/// the box says what it needs. The tick is one [`Edit::SetAccessFeature`], which the reducer
/// applies: it was an edit per server marked and one for the rule, several re-evaluations of
/// estates in between for one tick (review of session 23).
fn feature_change(
    e: &Rc<Estate>,
    i: usize,
    f: Feature,
    box_id: String,
    on_edit: &Callback<Edit>,
    set_note: UseStateSetter<Option<(String, String)>>,
) -> Callback<bool> {
    let (e, on_edit) = (e.clone(), on_edit.clone());
    Callback::from(move |v: bool| {
        let mut note = None;
        if v {
            let Some(hosts) = state::feature_hosts(&e, i, f) else {
                set_note.set(Some((
                    box_id.clone(),
                    format!(
                        "Not applied: “{}” needs {} among this rule's servers. Tick one under “use these servers” first.",
                        format::feature_label(f),
                        feature_needs(f)
                    ),
                )));
                uncheck(&box_id);
                return;
            };
            if !hosts.is_empty() {
                let titles = server_titles(&e);
                let named: Vec<String> = hosts.iter().map(|&k| titles[k].clone()).collect();
                note = Some((
                    box_id.clone(),
                    if named.len() == 1 {
                        format!(
                            "{} is now marked as a Remote Desktop Session Host, so RDS CALs are counted for this rule.",
                            named[0]
                        )
                    } else {
                        format!(
                            "{} are now marked as Remote Desktop Session Hosts, so RDS CALs are counted for this rule.",
                            crate::findings::list_all(&named)
                        )
                    },
                ));
            }
        }
        set_note.set(note);
        on_edit.emit(Edit::SetAccessFeature(i, f, v));
    })
}

/// A server's box on access rule `i`. Unticking the last of the rule's servers that offers one
/// of its features takes that feature off the rule (it would make an estate the app cannot
/// evaluate), and the box says so. The box holds the estate it was drawn from, not a copy of
/// its rule and servers: a rule has a box per server, and those copies grew with the square of
/// the servers (2,000 servers: 4 million server copies made at each render and freed when the
/// form went, a second of the switch to quick mode).
fn rule_server_change(
    e: &Rc<Estate>,
    i: usize,
    server: &str,
    box_id: String,
    on_edit: &Callback<Edit>,
    set_note: UseStateSetter<Option<(String, String)>>,
) -> Callback<bool> {
    let (e, on_edit, server) = (e.clone(), on_edit.clone(), server.to_string());
    Callback::from(move |v: bool| {
        let Some(mut rule) = e.access.get(i).cloned() else {
            return;
        };
        toggle(&mut rule.servers, &server, v);
        let dangling = state::dangling_features(&rule, &e.servers);
        rule.features.retain(|f| !dangling.contains(f));
        let dropped: Vec<String> = (dangling.iter())
            .map(|&f| format!("“{}”", format::feature_label(f)))
            .collect();
        set_note.set((!dropped.is_empty()).then(|| {
            (
                box_id.clone(),
                format!(
                    "{} {} taken off this rule: none of its other servers offers {}.",
                    crate::findings::list_all(&dropped),
                    if dropped.len() == 1 { "was" } else { "were" },
                    if dropped.len() == 1 { "it" } else { "them" }
                ),
            )
        }));
        on_edit.emit(Edit::SetAccess(i, rule));
    })
}

#[component]
fn AccessRows(p: &SectionProps) -> Html {
    let e = &p.estate;
    let few = e.access.len() <= 2;
    let open = use_open_cards(e.access.len(), p.named, |_| few);
    // What the last tick in a rule did beyond the box itself, said beside that box (its id, text).
    let note = use_state(|| None::<(String, String)>);
    let (group_titles, server_titles) = (group_titles(e), server_titles(e));
    // Each rule's summary names its first groups and servers: looked up here, not by a search of
    // the estate's lists per rule.
    let mut group_names: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
    for g in &e.groups {
        group_names.entry(g.id.as_str()).or_insert(g.name.as_str());
    }
    let mut server_names: std::collections::HashMap<&str, String> =
        std::collections::HashMap::new();
    for (k, s) in e.servers.iter().enumerate() {
        server_names
            .entry(s.id.as_str())
            .or_insert_with(|| state::server_label(k, s));
    }
    let summary = |a: &Access| {
        format!(
            "{} → {}{}",
            names(&a.groups, |id| group_names.get(id).map(|n| n.to_string())),
            names(&a.servers, |id| Some(
                server_names
                    .get(id)
                    .cloned()
                    .unwrap_or_else(|| id.to_string())
            )),
            if a.features.is_empty() {
                String::new()
            } else {
                format!(
                    " (+ {})",
                    (a.features.iter())
                        .map(|f| format::feature_short_label(*f))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        )
    };
    let listed = open.listed(e.access.len(), |k, find| {
        holds(&summary(&e.access[k]), find)
    });
    html! {
        <fieldset class="rows">
            <legend>{ "Who uses which servers" }</legend>
            <p class="field-hint">{ "Access through a web front end or middleware still counts every person behind it (multiplexing). Only people who receive printed or hand-sent output need no CAL." }</p>
            { open.finder("rules", e.access.len(), "rules by what their title names") }
            { for listed.cards.iter().map(|&i| {
                let a = &e.access[i];
                let make = move |a: Access| Edit::SetAccess(i, a);
                let id = |f: &str| format!("d-access-{i}-{f}");
                let item = format!("access rule {}", i + 1);
                // A closed rule is its summary only: its boxes, a box per group and per server in
                // every rule, made the form grow with rules × groups (security review: 1,000
                // rules of 1,000 groups made 400,000 boxes, froze the page and then ran it out of
                // memory).
                open.card("rules", i, summary(a), || {
                // Looked up once per box: a search of the rule's list each was quadratic.
                let ticked: std::collections::HashSet<&str> = a.servers.iter().map(String::as_str).collect();
                let in_rule: std::collections::HashSet<&str> = a.groups.iter().map(String::as_str).collect();
                let groups_shown = open.shown(i, e.groups.len(), |k| in_rule.contains(e.groups[k].id.as_str()));
                let servers_shown = open.shown(i, e.servers.len(), |k| ticked.contains(e.servers[k].id.as_str()));
                html! { <>
                        <div class="row-head"><span>{ format!("Access rule {}", i + 1) }</span>{ remove_button(item.clone(), &p.on_edit, Edit::RemoveAccess(i)) }</div>
                        <div class="access-grid">
                            <fieldset class="checks"><legend>{ "These groups" }{ legend_context(&item) }</legend>
                            { for groups_shown.iter().map(|&k| {
                                let g = &e.groups[k];
                                let gid = g.id.clone();
                                html! { <CheckField id={id(&format!("grp-{}", g.id))} label={group_titles[k].clone()} checked={in_rule.contains(g.id.as_str())}
                                    on_change={edit_with(a, &p.on_edit, make, move |a, v: bool| toggle(&mut a.groups, &gid, v))} /> }
                            }) }
                            { open.show_all(i, &groups_shown, e.groups.len(), "groups", |k| id(&format!("grp-{}", e.groups[k].id))) }
                            </fieldset>
                            <fieldset class="checks"><legend>{ "use these servers" }{ legend_context(&item) }</legend>
                            { for servers_shown.iter().map(|&k| {
                                let s = &e.servers[k];
                                let box_id = id(&format!("srv-{}", s.id));
                                html! { <CheckField id={box_id.clone()} label={server_titles[k].clone()} checked={ticked.contains(s.id.as_str())}
                                    hint={note_for(&note, &box_id)}
                                    on_change={rule_server_change(&p.estate, i, &s.id, box_id, &p.on_edit, note.setter())} /> }
                            }) }
                            { open.show_all(i, &servers_shown, e.servers.len(), "servers", |k| id(&format!("srv-{}", e.servers[k].id))) }
                            </fieldset>
                            <fieldset class="checks"><legend>{ "with these features" }{ legend_context(&item) }</legend>
                            { for format::ALL_FEATURES.iter().map(|f| {
                                let f = *f;
                                let box_id = id(&format!("feat-{}", format::serde_name(&f)));
                                html! { <CheckField id={box_id.clone()} label={format::feature_label(f)} checked={a.features.contains(&f)}
                                    hint={note_for(&note, &box_id)}
                                    on_change={feature_change(&p.estate, i, f, box_id, &p.on_edit, note.setter())} /> }
                            }) }
                            </fieldset>
                        </div>
                        <div class="field-grid">
                            <TextField id={id("via")} label="Through (front end, optional)" context={context("in", &item)} value={AttrValue::from(a.via.clone().unwrap_or_default())}
                                on_change={edit_with(a, &p.on_edit, make, |a, v: String| a.via = (!v.trim().is_empty()).then_some(v))} />
                            <CheckField id={id("manual")} label="They only receive printed or hand-sent output" context={context("in", &item)} checked={a.manual_transfer_only}
                                on_change={edit_with(a, &p.on_edit, make, |a, v: bool| a.manual_transfer_only = v)} />
                        </div>
                </> }
                })
            }) }
            { open.more("rules", &listed) }
            // A rule names at least one group and one server: without either it could only be
            // added broken, and the result refused it before the user could do anything (review 18).
            if e.servers.is_empty() || e.groups.is_empty() {
                <p class="field-hint" data-testid="access-needs">{ match (e.groups.is_empty(), e.servers.is_empty()) {
                    (true, true) => "An access rule says which people use which servers: add a group and a server first.",
                    (false, true) => "An access rule says which people use which servers: add a server first.",
                    _ => "An access rule says which people use which servers: add a group first.",
                } }</p>
            } else {
                { add_button("Add an access rule", &p.on_edit, Edit::AddAccess) }
            }
        </fieldset>
    }
}

#[derive(Properties, PartialEq)]
struct DateFieldProps {
    id: AttrValue,
    label: AttrValue,
    value: Option<Date>,
    on_change: Callback<Option<Date>>,
    #[prop_or(false)]
    required: bool,
    /// The earliest and latest dates allowed, with what they are ("it began", "it ended"): a
    /// date outside is refused here, by the field, and not applied (QA: an SA end before its
    /// start was reported in a banner at the top of the page, far from the field).
    #[prop_or_default]
    min: Option<(Date, &'static str)>,
    #[prop_or_default]
    max: Option<(Date, &'static str)>,
    #[prop_or_default]
    hint: Option<AttrValue>,
    /// What an empty field means, for the message that says what the result still uses.
    #[prop_or("no date")]
    none: &'static str,
    /// Said after the label for assistive technology (see the other fields' `context`).
    #[prop_or_default]
    context: Option<AttrValue>,
}

/// What a date field makes of `text`: the date to apply (`None` for an empty optional field), or
/// why it is refused. `min` and `max` are the other date of the pair, with what it is.
fn check_date(
    text: &str,
    required: bool,
    min: Option<(Date, &'static str)>,
    max: Option<(Date, &'static str)>,
) -> Result<Option<Date>, String> {
    let v = text.trim();
    if v.is_empty() {
        return if required {
            Err("Enter the date (YYYY-MM-DD).".into())
        } else {
            Ok(None)
        };
    }
    match Date::parse(v) {
        Some(d) => match (min, max) {
            (Some((m, what)), _) if d < m => {
                Err(format!("This date is before {what} ({m}): not applied."))
            }
            (_, Some((m, what))) if d > m => {
                Err(format!("This date is after {what} ({m}): not applied."))
            }
            _ => Ok(Some(d)),
        },
        None => Err(format!("“{text}” is not a date in the form YYYY-MM-DD.")),
    }
}

/// An ISO date field (`YYYY-MM-DD`); an impossible date shows a message and is not applied. Like
/// the number field, it keeps what the user typed and says which date the result still uses
/// (QA: a refused SA end vanished from the field, the old date back in its place unexplained).
/// A refused date is checked again when the other date of the pair changes: a start refused
/// for being after the end is applied once the end moves past it, and its message goes (QA: it
/// stayed, and the start the user typed was never applied).
#[component]
fn DateField(p: &DateFieldProps) -> Html {
    let shown = |v: Option<Date>| v.map(|d| d.to_string()).unwrap_or_default();
    let text = use_state(|| shown(p.value));
    let error = use_state(|| None::<String>);
    {
        // A new date from outside (Undo, an import, the other field of the pair) replaces the
        // text, unless the text already says it (the field's own edit coming back).
        let (text, error) = (text.clone(), error.clone());
        use_effect_with(p.value, move |v| {
            if Date::parse(text.trim()) != *v {
                text.set(shown(*v));
                error.set(None);
            }
        });
    }
    {
        // The other date of the pair changed: a refused date here is checked against it again,
        // and applied if the pair is now valid.
        let (text, error, on_change, required, value) = (
            text.clone(),
            error.clone(),
            p.on_change.clone(),
            p.required,
            p.value,
        );
        use_effect_with((p.min, p.max), move |&(min, max)| {
            if error.is_some() {
                match check_date(&text, required, min, max) {
                    Ok(d) => {
                        error.set(None);
                        if d != value {
                            on_change.emit(d);
                        }
                    }
                    Err(m) => error.set(Some(m)),
                }
            }
        });
    }
    let oninput = {
        let (on_change, text, error, required, min, max) = (
            p.on_change.clone(),
            text.clone(),
            error.clone(),
            p.required,
            p.min,
            p.max,
        );
        Callback::from(move |e: InputEvent| {
            let v = e.target_unchecked_into::<HtmlInputElement>().value();
            text.set(v.clone());
            match check_date(&v, required, min, max) {
                Ok(d) => {
                    error.set(None);
                    on_change.emit(d);
                }
                Err(m) => error.set(Some(m)),
            }
        })
    };
    let error_id = format!("{}-error", p.id);
    let hint_id = format!("{}-hint", p.id);
    let described = match (&*error, &p.hint) {
        (Some(_), _) => Some(error_id.clone()),
        (None, Some(_)) => Some(hint_id.clone()),
        _ => None,
    };
    let message = error.as_ref().map(|m| {
        format!(
            "{m} The result still uses {}.",
            p.value
                .map_or_else(|| p.none.to_string(), |d| d.to_string())
        )
    });
    let said = crate::ui::components::field::use_settled(message.clone().unwrap_or_default());
    html! {
        <div class={classes!("field", error.is_some().then_some("invalid"))}>
            <label for={p.id.clone()}>{ p.label.clone() }if let Some(c) = &p.context {
                <span class="visually-hidden">{ format!(" {c}") }</span>
            }</label>
            <input id={p.id.clone()} type="date" value={(*text).clone()} {oninput}
                aria-invalid={error.is_some().then_some("true")} aria-describedby={described} />
            if let Some(m) = message {
                <p id={error_id} class="field-error">{ m }</p>
            } else if let Some(hint) = &p.hint {
                <p id={hint_id} class="field-hint">{ hint.clone() }</p>
            }
            { crate::ui::components::field::said_region(said) }
        </div>
    }
}

#[component]
fn Holdings(p: &SectionProps) -> Html {
    let e = &p.estate;
    let open = use_open_cards(e.holdings.len(), p.named, |i| {
        e.holdings.get(i).is_some_and(|h| h.quantity == 0)
    });
    let holding_titles = holding_titles(e);
    let listed = open.listed(e.holdings.len(), |k, find| holds(&holding_titles[k], find));
    html! {
        <fieldset class="rows">
            <legend>{ "Licences you own" }</legend>
            <p class="field-hint">{ "Enter each version as on your licence statement (a new lot starts at the newest): a CAL covers its own version and older servers. With Software Assurance active on a release date, it counts as that release. CAL Suites are version-less." }</p>
            { open.finder("licences", e.holdings.len(), "licences by product, kind or version") }
            { for listed.cards.iter().map(|&i| {
                let h = &e.holdings[i];
                let make = move |h: Holding| Edit::SetHolding(i, h);
                let id = |f: &str| format!("d-holding-{i}-{f}");
                let title = format!("{} {}", format::product_label(h.product), format::kind_label(h.kind));
                let summary = format!("{} × {title}{}", format::count(u64::from(h.quantity)), if h.version.is_empty() { String::new() } else { format!(" {}", h.version) });
                open.card("licences", i, summary, || {
                let cal_versions = versions::cal_versions(h.product);
                let sa = h.software_assurance.clone();
                let item = format!("owned {}", holding_titles[i]);
                html! { <>
                        <div class="row-head"><span>{ title.clone() }</span>{ remove_button(item.clone(), &p.on_edit, Edit::RemoveHolding(i)) }</div>
                        <div class="field-grid">
                            <SelectField id={id("product")} label="Product" context={context("of", &item)} options={enum_options(&format::ALL_PRODUCTS, format::product_choice_label)}
                                selected={AttrValue::from(format::serde_name(&h.product))}
                                on_change={edit_with(h, &p.on_edit, make, |h, v: String| if let Some(pr) = format::from_serde_name::<CalProduct>(&v) {
                                    crate::ui::state::change_holding_product(h, pr);
                                })} />
                            <SelectField id={id("kind")} label="Kind" context={context("of", &item)} options={enum_options(&crate::ui::state::holding_kinds(h.product), format::kind_label)}
                                selected={AttrValue::from(format::serde_name(&h.kind))}
                                on_change={edit_with(h, &p.on_edit, make, |h, v: String| if let Some(k) = format::from_serde_name(&v) {
                                    h.kind = k;
                                    if k != LicenceKind::ExternalConnector { h.assigned_to = None; }
                                })} />
                            if !cal_versions.is_empty() {
                                <SelectField id={id("version")} label="Version" context={context("of", &item)} options={string_options(&cal_versions)}
                                    selected={AttrValue::from(h.version.clone())}
                                    on_change={edit_with(h, &p.on_edit, make, |h, v: String| h.version = v)} />
                            }
                            <NumberField id={id("quantity")} label="Quantity" context={context("of", &item)} value={u64::from(h.quantity)} max={MAX_PEOPLE}
                                on_change={edit_with(h, &p.on_edit, make, |h, v: u64| h.quantity = to_u32(v))} />
                            if h.kind == LicenceKind::ExternalConnector {
                                <SelectField id={id("assigned")} label="Assigned to host" context={context("for", &item)} options={host_options(e, h.assigned_to.as_deref())}
                                    selected={AttrValue::from(h.assigned_to.clone().unwrap_or_default())}
                                    on_change={edit_with(h, &p.on_edit, make, |h, v: String| h.assigned_to = (!v.is_empty()).then_some(v))} />
                            }
                            <CheckField id={id("sa")} label="Software Assurance" context={context("for", &item)} checked={sa.is_some()}
                                on_change={edit_with(h, &p.on_edit, make, |h, v: bool| {
                                    h.software_assurance = v.then(|| SoftwareAssurance { since: crate::ui::browser::today(), until: None });
                                })} />
                            if let Some(sa) = sa {
                                <DateField id={id("sa-since")} label="SA since" context={context("for", &item)} value={Some(sa.since)} required=true
                                    max={sa.until.map(|u| (u, "SA ended"))}
                                    hint={(sa.since >= crate::ui::browser::today()).then(|| AttrValue::from("Enter when SA began: only versions released while it was active count, so a start of today adds none."))}
                                    on_change={edit_with(h, &p.on_edit, make, |h, v: Option<Date>| if let (Some(d), Some(sa)) = (v, h.software_assurance.as_mut()) { sa.since = d })} />
                                <DateField id={id("sa-until")} label="SA until (empty while active)" context={context("for", &item)} value={sa.until} none="no end (SA active)"
                                    min={Some((sa.since, "SA began"))}
                                    on_change={edit_with(h, &p.on_edit, make, |h, v: Option<Date>| if let Some(sa) = h.software_assurance.as_mut() { sa.until = v })} />
                            }
                        </div>
                </> }
                })
            }) }
            { open.more("licences", &listed) }
            { add_button("Add owned licences", &p.on_edit, Edit::AddHolding) }
        </fieldset>
    }
}

#[component]
fn Microsoft365(p: &SectionProps) -> Html {
    let m = p.estate.organisation.m365.clone();
    let make = Edit::SetM365;
    html! {
        <fieldset class="rows">
            <legend>{ "Microsoft 365" }</legend>
            <p class="field-hint">{ "E3 users hold Core CAL Suite rights and (in Microsoft's texts) the Exchange and SharePoint Enterprise CALs, E5 users Enterprise CAL Suite rights, for themselves only (not for shared devices). Say which groups hold them on each group." }</p>
            <div class="field-grid">
                <NumberField id="d-m365-e3" label="Microsoft 365 E3 seats" value={u64::from(m.e3_seats)} max={MAX_PEOPLE}
                    on_change={edit_with(&m, &p.on_edit, make, |m, v: u64| m.e3_seats = to_u32(v))} />
                <NumberField id="d-m365-e5" label="Microsoft 365 E5 seats" value={u64::from(m.e5_seats)} max={MAX_PEOPLE}
                    on_change={edit_with(&m, &p.on_edit, make, |m, v: u64| m.e5_seats = to_u32(v))} />
                <SelectField id="d-m365-channel" label="Bought through" options={enum_options(&format::ALL_CHANNELS, format::channel_label)}
                    selected={AttrValue::from(format::serde_name(&m.channel))}
                    on_change={edit_with(&m, &p.on_edit, make, |m, v: String| if let Some(c) = format::from_serde_name::<PurchaseChannel>(&v) { m.channel = c })} />
            </div>
        </fieldset>
    }
}

#[component]
fn ReadingsPanel(p: &SectionProps) -> Html {
    let r = p.estate.organisation.readings.clone();
    let make = Edit::SetReadings;
    let ec_options = vec![
        (
            AttrValue::from(format::serde_name(&ExternalConnectorScope::PerPhysicalHost)),
            AttrValue::from("One per physical host, covering its VMs (Product Terms)"),
        ),
        (
            AttrValue::from(format::serde_name(&ExternalConnectorScope::PerVm)),
            AttrValue::from("One per VM (conservative community reading)"),
        ),
    ];
    let base_options = vec![
        (
            AttrValue::from(format::serde_name(&ExternalAdditiveBase::BaseCal)),
            AttrValue::from("A Windows Server User CAL each (additive rule read literally)"),
        ),
        (
            AttrValue::from(format::serde_name(&ExternalAdditiveBase::ExternalConnector)),
            AttrValue::from("The host's Windows Server External Connector as their base"),
        ),
    ];
    let e3_options = enum_options(
        &[
            M365E3Rights::StandardAndEnterprise,
            M365E3Rights::CoreCalSuite,
        ],
        format::e3_rights_label,
    );
    let printers_options = enum_options(
        &[M365Printers::CoveredByUsers, M365Printers::DeviceCals],
        format::printers_label,
    );
    let additive_options = enum_options(
        &[AdditiveBase::SameSubject, AdditiveBase::EitherSubject],
        format::additive_base_label,
    );
    let network_options = enum_options(
        &[NetworkEquipment::DeviceCals, NetworkEquipment::NotCounted],
        format::network_equipment_label,
    );
    html! {
        <fieldset class="rows readings">
            <legend>{ "Where sources disagree" }</legend>
            <div class="reading">
                <p><strong>{ "External Connector scope. " }</strong>{ "Microsoft's Product Terms and licensing guidance assign an External Connector to a licensed physical server and let it cover every VM on it. A Microsoft Q&A community answer says one is needed per VM. The default follows the Product Terms." }</p>
                <RadioField id="d-reading-ec" legend="Count External Connectors" options={ec_options}
                    selected={AttrValue::from(format::serde_name(&r.external_connector_scope))}
                    on_change={edit_with(&r, &p.on_edit, make, |r, v: String| if let Some(x) = format::from_serde_name::<ExternalConnectorScope>(&v) { r.external_connector_scope = x })} />
            </div>
            <div class="reading">
                <p><strong>{ "Who holds an additive CAL's base. " }</strong>{ "An additive CAL (RDS, AD RMS, the Exchange, SharePoint and Skype for Business Enterprise CALs) is needed \"in addition to the Base CAL\", in Microsoft's words, which do not say whether the two must be held by the same user or device. The default asks the base of the same one, the reading that cannot fall short: a device's RDS Device CAL needs a Windows Server Device CAL on that device, even if everyone using it holds a Windows Server User CAL. The other reading lets a user's base CAL and a device's additive CAL combine, and the reverse; it costs less where they differ, and answers the external users' question below too (the host's connector may be their base)." }</p>
                <RadioField id="d-reading-additive-base" legend="An additive CAL's base is held by" options={additive_options}
                    selected={AttrValue::from(format::serde_name(&r.additive_base))}
                    on_change={edit_with(&r, &p.on_edit, make, |r, v: String| if let Some(x) = format::from_serde_name::<AdditiveBase>(&v) { r.additive_base = x })} />
            </div>
            <div class="reading">
                <p><strong>{ "External users' Windows Server base for RDS and AD RMS. " }</strong>{ "An RDS or AD RMS User CAL is additive: it is valid only with the Windows Server CAL of the same person. For external users an External Connector is Microsoft's alternative to CALs, and no source says whether the Windows Server External Connector of the host they reach may be that base. The default reads the additive rule literally (a Windows Server User CAL for each); choosing the other reading shows its total at once." }</p>
                <RadioField id="d-reading-ext-base" legend="External users with RDS or AD RMS User CALs get" options={base_options}
                    selected={AttrValue::from(format::serde_name(&r.external_additive_base))}
                    on_change={edit_with(&r, &p.on_edit, make, |r, v: String| if let Some(x) = format::from_serde_name::<ExternalAdditiveBase>(&v) { r.external_additive_base = x })} />
            </div>
            <div class="reading">
                <p><strong>{ "Microsoft 365 CAL equivalency by channel. " }</strong>{ "The Product Terms equivalency table grants E3/E5 users CAL rights without naming a channel. A community reading of the Product Terms holds that the extended rights apply only to volume-licensing channels (EA/EAS, MPSA, Open Value), not CSP, MCA or MOSA. The default follows the Product Terms table." }</p>
                <RadioField id="d-reading-m365" legend="Microsoft 365 seats count as CALs when bought through" options={enum_options(&[M365Equivalency::AllChannels, M365Equivalency::VolumeLicensingOnly], format::equivalency_label)}
                    selected={AttrValue::from(format::serde_name(&r.m365_equivalency))}
                    on_change={edit_with(&r, &p.on_edit, make, |r, v: String| if let Some(x) = format::from_serde_name::<M365Equivalency>(&v) { r.m365_equivalency = x })} />
            </div>
            <div class="reading">
                <p><strong>{ "Microsoft 365 E3 and the Enterprise CALs. " }</strong>{ "Microsoft's licensing texts let a user of the Exchange and SharePoint Online Plan 2 services in E3 access the Standard and Enterprise CAL features of the servers on premises. A shorthand SAM practitioners use reads E3 as the Core CAL Suite, leaving the Enterprise CALs to buy. The default follows Microsoft's texts; neither gives E3 the AD RMS or Skype for Business Enterprise CAL." }</p>
                <RadioField id="d-reading-e3" legend="A Microsoft 365 E3 seat stands for" options={e3_options}
                    selected={AttrValue::from(format::serde_name(&r.m365_e3_rights))}
                    on_change={edit_with(&r, &p.on_edit, make, |r, v: String| if let Some(x) = format::from_serde_name::<M365E3Rights>(&v) { r.m365_e3_rights = x })} />
            </div>
            <div class="reading">
                <p><strong>{ "Microsoft 365 users' printers and scanners. " }</strong>{ "A networked printer, multifunction printer or scanner needs a Device CAL unless the CALs of the people who use it cover it. Microsoft's Product Terms make E3 and E5 CAL equivalent licences, licensing their user as the CALs would, so the seats of the people who print or scan with it cover it. Practitioners' guidance reads the equivalency as per user, covering no shared device: such printers need Device CALs unless every person who uses them also holds a CAL. The default follows the Product Terms; it matters for unattended pools that name who prints or scans with them." }</p>
                <RadioField id="d-reading-printers" legend="Printers and scanners used by Microsoft 365 users" options={printers_options}
                    selected={AttrValue::from(format::serde_name(&r.m365_printers))}
                    on_change={edit_with(&r, &p.on_edit, make, |r, v: String| if let Some(x) = format::from_serde_name::<M365Printers>(&v) { r.m365_printers = x })} />
            </div>
            <div class="reading">
                <p><strong>{ "Network equipment. " }</strong>{ "Managed switches, wireless access points and firewalls that authenticate to Active Directory (802.1X through NPS, directory look-ups) reach Windows Server with no person at them. The servers' licence terms ask a CAL of every device that accesses the server software; practitioners debate whether such equipment needs one, as it only passes on the access of users and devices that hold their own CALs. The default asks Device CALs, the reading that cannot fall short; it matters for unattended pools marked as network equipment." }</p>
                <RadioField id="d-reading-network" legend="Network equipment that authenticates to servers gets" options={network_options}
                    selected={AttrValue::from(format::serde_name(&r.network_equipment))}
                    on_change={edit_with(&r, &p.on_edit, make, |r, v: String| if let Some(x) = format::from_serde_name::<NetworkEquipment>(&v) { r.network_equipment = x })} />
            </div>
        </fieldset>
    }
}
