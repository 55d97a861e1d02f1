//! The break-evens of a report (docs/engine.md, section 6): at and above a threshold, option B
//! is cheaper than option A. External Connector against User CALs, User against Device CALs,
//! SQL Server per core against Server+CAL; and the break-even panel's notes on them.

use super::{
    anonymous_reaching, base_bound_externals, pd_scope_per_vm, short_list, sql_cals, SqlReach,
    SqlServerCals,
};
use crate::catalog::{self, ids};
use crate::estate::{
    CalProduct, Estate, Group, LicenceKind, PersonKind, RdsMode, Server, ServerProduct,
    SqlLicensing,
};
use crate::optimise::{Instance, ProductInstance, Solution};
use crate::position::{money, thousands};
use crate::report::{BreakEven, BreakEvenKind, Explanation, Report, NEVER};
use crate::rules::{self, Demand};
use std::cell::OnceCell;
use std::collections::{BTreeMap, BTreeSet};

/// The break-evens (docs/engine.md, section 6), in the order the report lists them: External
/// Connector against User CALs per product and set of hosts, User against Device CALs per group,
/// then SQL Server per core against Server+CAL per server. `per_core_checked`: the per-core
/// checks the findings ran, by server id; `sql_reach`: the estate's SQL reach, once indexed.
pub(super) fn breakevens<'a>(
    demand: &Demand,
    estate: &'a Estate,
    currency: &str,
    solution: &Solution,
    per_core_checked: &dyn Fn(&str) -> Option<i64>,
    sql_reach: &OnceCell<SqlReach<'a>>,
) -> Vec<BreakEven> {
    let mut out = ec_vs_cal_breakevens(demand, estate, currency, solution);
    out.extend(user_vs_device_breakevens(
        demand, estate, currency, solution,
    ));
    out.extend(sql_per_core_breakevens(
        demand,
        estate,
        currency,
        solution,
        per_core_checked,
        sql_reach,
    ));
    out
}

/// How many people person class `c` of the instance stands for.
pub(super) fn class_people(inst: &Instance, c: usize) -> u64 {
    u64::from(inst.people.get(c).map_or(0, |p| p.multiplicity))
}

/// External Connector vs CALs, per host and product. Under the per-VM reading a connector's
/// unit is each server instance, a VM, and the why says so and cites that reading (why review
/// 24: "2 hosts (VM one, VM two)" citing the per-physical-host rule).
fn ec_vs_cal_breakevens(
    demand: &Demand,
    estate: &Estate,
    currency: &str,
    solution: &Solution,
) -> Vec<BreakEven> {
    let inst = &demand.instance;
    let per_vm = pd_scope_per_vm(demand);
    let mut out = Vec::new();
    for pi in &inst.products {
        let (Some(ec), Some(u)) = (
            pi.prices.external_connector,
            demand.prices.get(pi.product, LicenceKind::UserCal),
        ) else {
            continue;
        };
        let per_host = external_users_by_host(inst, pi);
        let (rds_users, rms_users) = if pi.product == CalProduct::WindowsServer {
            base_bound_externals(demand, solution)
        } else {
            (BTreeSet::new(), BTreeSet::new())
        };
        let product = ConnectorProduct {
            pi,
            ec,
            u,
            rds_users,
            rms_users,
            per_vm,
        };
        let hosts: Vec<(usize, &BTreeSet<usize>)> = per_host.iter().map(|(h, c)| (*h, c)).collect();
        let users: Vec<&BTreeSet<usize>> = hosts.iter().map(|&(_, c)| c).collect();
        for members in hosts_sharing_external_users(&users) {
            let member_hosts: Vec<usize> = members.iter().map(|&i| hosts[i].0).collect();
            let classes: BTreeSet<usize> = members
                .iter()
                .flat_map(|&i| hosts[i].1.iter().copied())
                .collect();
            out.extend(ec_vs_cal_breakeven(
                demand,
                estate,
                solution,
                currency,
                &product,
                &member_hosts,
                &classes,
            ));
        }
    }
    out
}

/// The external users (person classes) of each host of `pi`'s product: those who reach it from
/// outside, and the external users of its RD Session Hosts.
fn external_users_by_host(
    inst: &Instance,
    pi: &ProductInstance,
) -> BTreeMap<usize, BTreeSet<usize>> {
    let mut per_host: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
    for &(c, h) in &pi.person_host {
        per_host.entry(h).or_default().insert(c);
    }
    for r in &pi.rds_hosts {
        per_host
            .entry(r.host)
            .or_default()
            .extend(r.external_users(&inst.people));
    }
    per_host
}

/// Hosts whose external users overlap are weighed together: a CAL bought for an external
/// user covers every host, so a connector on one host saves nothing for users who also
/// reach another host without one (QA: three hosts reached by the same 100 customers each
/// showed a connector cheaper, while the optimum buys CALs: the break-even is 194).
///
/// `users`: each host's external users. Returns the sets of hosts whose users overlap, directly
/// or through others, as indices into `users` in order, the sets in the order of their first.
fn hosts_sharing_external_users(users: &[&BTreeSet<usize>]) -> Vec<Vec<usize>> {
    let mut comp: Vec<usize> = (0..users.len()).collect();
    loop {
        let mut changed = false;
        for i in 0..users.len() {
            for j in i + 1..users.len() {
                if comp[i] != comp[j] && !users[i].is_disjoint(users[j]) {
                    let (a, b) = (comp[i].min(comp[j]), comp[i].max(comp[j]));
                    for c in comp.iter_mut().filter(|c| **c == b) {
                        *c = a;
                    }
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    let roots: BTreeSet<usize> = comp.iter().copied().collect();
    roots
        .into_iter()
        .map(|root| (0..users.len()).filter(|&i| comp[i] == root).collect())
        .collect()
}

/// A product whose External Connector the break-evens weigh against its User CALs, with what
/// every set of its hosts shares.
struct ConnectorProduct<'a> {
    pi: &'a ProductInstance,
    /// The price of a connector.
    ec: i64,
    /// The price of a User CAL.
    u: i64,
    /// For Windows Server, the external users whose RDS User CALs need a Windows Server User CAL
    /// anyway, and those whose AD RMS User CALs do ([`base_bound_externals`]); empty otherwise.
    rds_users: BTreeSet<usize>,
    rms_users: BTreeSet<usize>,
    /// The per-VM reading: a connector's unit is each server instance.
    per_vm: bool,
}

impl ConnectorProduct<'_> {
    /// The rule on what one connector covers: a physical host, or under the per-VM reading a VM.
    fn scope_rule(&self) -> &'static str {
        if self.per_vm {
            ids::EC_PER_VM_READING
        } else {
            ids::EC_PER_PHYSICAL_HOST
        }
    }

    /// Of the external users in `classes`, those whose CALs a connector cannot replace: those
    /// holding RDS User CALs, and those holding AD RMS User CALs and no RDS ones.
    fn base_bound_among(&self, inst: &Instance, classes: &BTreeSet<usize>) -> (u64, u64) {
        let on_rds: u64 = classes
            .iter()
            .filter(|c| self.rds_users.contains(c))
            .map(|&c| class_people(inst, c))
            .sum();
        let on_rms: u64 = classes
            .iter()
            .filter(|c| self.rms_users.contains(c) && !self.rds_users.contains(c))
            .map(|&c| class_people(inst, c))
            .sum();
        (on_rds, on_rms)
    }
}

/// The External Connector break-even of `product` on one set of `hosts` that share external
/// users (`classes`, their person classes), or `None` when it counts no external user.
fn ec_vs_cal_breakeven(
    demand: &Demand,
    estate: &Estate,
    solution: &Solution,
    currency: &str,
    product: &ConnectorProduct,
    hosts: &[usize],
    classes: &BTreeSet<usize>,
) -> Option<BreakEven> {
    let inst = &demand.instance;
    let (pi, ec, u) = (product.pi, product.ec, product.u);
    let n: u64 = classes.iter().map(|&c| class_people(inst, c)).sum();
    if n == 0 {
        return None;
    }
    let ids: Vec<&str> = hosts
        .iter()
        .map(|&h| inst.hosts.get(h).map_or("", |x| x.label.as_str()))
        .collect();
    let names: Vec<String> = ids.iter().map(|id| estate.server_name(id)).collect();
    let label = short_list(&names);
    let kh = hosts.len() as u64;
    let (unit, units) = connector_unit(estate, product.per_vm, &ids);
    let reading = if product.per_vm {
        format!(" (one External Connector per {unit}: the per-VM reading chosen for this estate)")
    } else {
        String::new()
    };
    let pair = connector_pair(demand, solution, pi, hosts);
    let (own_assigned, own_pooled) = owned_connectors_on(pi, solution, hosts, None);
    let owned_here = own_assigned + own_pooled;
    let connectors = mul(kh - owned_here, ec).saturating_add(pair.map_or(0, |p| p.ws_connectors()));
    let cals = |x: u64| pair.map_or(mul(x, u), |p| p.cals(x, u));
    let t = first_dearer(connectors, cals);
    let (on_rds, on_rms) = product.base_bound_among(inst, classes);
    let not_counted = on_rds.saturating_add(on_rms);
    // Those need their Windows Server User CAL whatever the host has: the connector can
    // replace only the others' CALs, so only they count (QA: the chart showed the
    // connector cheaper for users it cannot cover, while the recommendation did not buy it).
    let n = n - not_counted.min(n);
    if n == 0 {
        return None;
    }
    let name = catalog::short_name(pi.product);
    let set = ConnectorSet {
        name,
        label: label.clone(),
        kh,
        unit,
        units,
        reading,
        own_assigned,
        own_pooled,
        ec,
        u,
        connectors,
        t,
        n,
        currency,
    };
    let (option_b, text) = set.option_b_and_why(pair);
    Some(BreakEven {
        kind: BreakEvenKind::EcVsCal,
        subject: ids.join(", "),
        subject_name: label,
        product: pi.product,
        threshold: t,
        current: n,
        option_a: ec_option_a(name, pair),
        option_a_minor: cals(n),
        option_b,
        option_b_minor: connectors,
        curve: curve(span(n, t), |x| (cals(x), connectors)),
        why: Explanation {
            rules: vec![
                ids::EC_ALTERNATIVE.into(),
                product.scope_rule().into(),
                ids::PRICE_ESTIMATES.into(),
            ],
            text: text
                + &not_counted_note(on_rds, on_rms)
                + &owned_cals_note(solution, pi, hosts, n, t),
        },
        note: String::new(),
    })
}

/// What one connector covers, in words: a physical host, or under the per-VM reading a
/// VM (a server that is no VM is its own unit). Returns (one, many); `ids`: the hosts' servers.
fn connector_unit(estate: &Estate, per_vm: bool, ids: &[&str]) -> (&'static str, &'static str) {
    match (
        per_vm,
        ids.iter()
            .all(|id| estate.servers.iter().any(|s| s.id == *id && s.vm)),
    ) {
        (false, _) => ("host", "hosts"),
        (true, true) => ("VM", "VMs"),
        (true, false) => ("server", "servers"),
    }
}

/// An RDS or AD RMS connector needs the Windows Server connector on the same host, and
/// an external user's RDS or AD RMS User CAL its Windows Server base: a Windows Server
/// User CAL for the same person (the default reading) or, under the
/// `external-connector` reading, the host's Windows Server connector if it has one.
/// Weigh the pair against both (review 12: 300 suppliers were shown AD RMS User CALs
/// cheaper than the connector, while the recommendation rightly bought both
/// connectors). `None` for other products, without Windows Server prices, or where the
/// connector stands alone on `hosts`.
fn connector_pair(
    demand: &Demand,
    solution: &Solution,
    pi: &ProductInstance,
    hosts: &[usize],
) -> Option<ConnectorPair> {
    let inst = &demand.instance;
    // On pay-as-you-go hosts Windows Server access needs neither CAL nor connector
    // (§1.8): there an RDS or AD RMS connector stands alone (review 13).
    let base_licensed_everywhere = inst
        .products
        .iter()
        .find(|p| p.product == CalProduct::WindowsServer)
        .is_some_and(|ws| hosts.iter().all(|h| ws.licensed_hosts.contains(h)));
    match (
        pi.product,
        demand
            .prices
            .get(CalProduct::WindowsServer, LicenceKind::ExternalConnector),
        demand
            .prices
            .get(CalProduct::WindowsServer, LicenceKind::UserCal),
    ) {
        (CalProduct::Rds | CalProduct::AdRms, Some(ws_ec), Some(ws_u))
            if !base_licensed_everywhere =>
        {
            Some(ConnectorPair::weigh(
                inst,
                solution,
                pi.product,
                hosts,
                (ws_ec, ws_u),
                // The `either-subject` reading lets the host's connector be that base too.
                pi.external_base_by_connector || pi.base_any_subject,
            ))
        }
        _ => None,
    }
}

/// The why's note on the external users an External Connector break-even does not count: those
/// holding RDS (`on_rds`) or AD RMS (`on_rms`) User CALs, which need a Windows Server User CAL.
fn not_counted_note(on_rds: u64, on_rms: u64) -> String {
    let not_counted = on_rds.saturating_add(on_rms);
    match (on_rds > 0, on_rms > 0) {
        (false, false) => String::new(),
        (true, false) => format!(". Not counted: {} more who use Remote Desktop with RDS User CALs, which need a Windows Server User CAL for the same person (the RDS CAL is additive, read literally: see \"Where sources disagree\"), so an External Connector does not replace their CALs", thousands(on_rds)),
        (false, true) => format!(". Not counted: {} more who use AD RMS with AD RMS User CALs, which need a Windows Server User CAL for the same person (the AD RMS CAL is additive, read literally: see \"Where sources disagree\"), so an External Connector does not replace their CALs", thousands(on_rms)),
        (true, true) => format!(". Not counted: {} more who use Remote Desktop or AD RMS with RDS or AD RMS User CALs, which need a Windows Server User CAL for the same person (those CALs are additive, read literally: see \"Where sources disagree\"), so an External Connector does not replace their CALs", thousands(not_counted)),
    }
}

/// The comparison prices new licences; owned User CALs that no one else needs cover
/// external users at no cost, so where the recommendation keeps them instead of a
/// connector the comparison says why (review 18: 100 owned CALs covered 100
/// partners, nothing was bought, and the row said a $2,900 connector was cheaper).
/// `n` external users reach `hosts`; `t` is the threshold.
fn owned_cals_note(
    solution: &Solution,
    pi: &ProductInstance,
    hosts: &[usize],
    n: u64,
    t: u64,
) -> String {
    let connector_bought = solution
        .products
        .iter()
        .find(|p| p.product == pi.product)
        .is_some_and(|p| p.external_connector_hosts.iter().any(|h| hosts.contains(h)));
    let name = catalog::short_name(pi.product);
    if n >= t && !connector_bought && pi.owned.user_cals > 0 {
        format!(
            ". This compares buying: you own {} {name} User CALs, and the recommendation covers external users with those first, so it takes no connector here",
            thousands(pi.owned.user_cals)
        )
    } else {
        String::new()
    }
}

/// Option A of an External Connector break-even: the product's User CALs, with their Windows
/// Server base where the connector comes as a `pair`.
fn ec_option_a(name: &str, pair: Option<ConnectorPair>) -> String {
    if pair.is_some_and(|p| p.by_connector && p.missing == 0) {
        format!(
            "{name} User CALs for each external user (their Windows Server base is the connector)"
        )
    } else if pair.is_some_and(|p| p.by_connector) {
        format!("{name} User CALs for each external user, and Windows Server User CALs or the Windows Server connector")
    } else if pair.is_some() {
        format!("{name} and Windows Server User CALs for each external user")
    } else {
        format!("{name} User CALs for each external user")
    }
}

/// One set of hosts an External Connector break-even weighs, with the counts and prices its
/// option B and why quote.
struct ConnectorSet<'a> {
    /// The product's short name.
    name: &'static str,
    /// The hosts, by name.
    label: String,
    /// How many hosts (each takes a connector).
    kh: u64,
    /// What one connector covers, in words (one, many).
    unit: &'static str,
    units: &'static str,
    /// The per-VM reading's words, or nothing.
    reading: String,
    /// Of the connectors, those owned: assigned to these hosts, and from the unassigned ones.
    own_assigned: u64,
    own_pooled: u64,
    /// The price of a connector and of a User CAL.
    ec: i64,
    u: i64,
    /// What the connectors to buy cost, with any Windows Server ones they need.
    connectors: i64,
    /// The threshold, and the external users counted.
    t: u64,
    n: u64,
    currency: &'a str,
}

impl ConnectorSet<'_> {
    /// Option B and the why's text: for a connector that needs its Windows Server one (`pair`),
    /// one owned on a host of its own, one on a host of its own, or one on each of several hosts
    /// that share external users.
    fn option_b_and_why(&self, pair: Option<ConnectorPair>) -> (String, String) {
        match pair {
            Some(p) => self.with_windows_server(p),
            None if self.kh == 1 && self.owned() == 1 => self.owned_on_one_host(),
            None if self.kh == 1 => self.on_one_host(),
            None => self.shared_by_hosts(),
        }
    }

    /// Of the connectors, how many are owned.
    fn owned(&self) -> u64 {
        self.own_assigned + self.own_pooled
    }

    /// How the connectors of this product on these hosts are owned, for the texts.
    fn how(&self) -> &'static str {
        match (self.own_assigned, self.own_pooled) {
            (_, 0) => "",
            (0, 1) => " (one of your unassigned ones)",
            (0, _) => " (from your unassigned ones)",
            _ => " (some of your unassigned ones)",
        }
    }

    /// "; you own it", "; 2 of the 3 owned", … after the connector's price.
    fn ec_owned(&self) -> String {
        let (kh, how) = (self.kh, self.how());
        match self.owned() {
            0 => String::new(),
            o if o == kh && kh == 1 => format!("; you own it{how}"),
            o if o == kh => format!("; you own them{how}"),
            o => format!("; {} of the {kh} owned{how}", thousands(o)),
        }
    }

    /// ", owned" or " (2 owned)" after option B's connectors.
    fn owned_suffix(&self) -> String {
        match self.owned() {
            0 => String::new(),
            o if o == self.kh => ", owned".to_string(),
            o => format!(" ({} owned)", thousands(o)),
        }
    }

    /// Option B and the why for an RDS or AD RMS connector weighed with the Windows Server
    /// connector it needs and the Windows Server base of its User CALs.
    fn with_windows_server(&self, p: ConnectorPair) -> (String, String) {
        let Self {
            name,
            ref label,
            kh,
            unit,
            units,
            ref reading,
            ec,
            u,
            connectors,
            t,
            n,
            currency,
            ..
        } = *self;
        let owned_here = self.owned();
        let owned_suffix = self.owned_suffix();
        let ec_owned = self.ec_owned();
        let on = if kh == 1 {
            format!("one {name} External Connector on {label}{owned_suffix}")
        } else {
            format!("{kh} {name} External Connectors, one on each of {label}{owned_suffix}")
        };
        let owned = match p.pooled {
            0 => "owned".to_string(),
            1 => "owned: one of your unassigned ones".to_string(),
            m => format!("owned: {} of your unassigned ones", thousands(m)),
        };
        let status = match p.missing {
            0 if p.owned == 0 => format!(
                "bought anyway, for {}",
                p.anyway_for.unwrap_or("something else")
            ),
            0 if p.anyway > 0 => format!("{owned}, or bought anyway"),
            0 => owned,
            m if m == kh => "counted in".to_string(),
            1 => format!("counted in for the {unit} without an owned one"),
            m => format!(
                "counted in for the {} {units} without an owned one",
                thousands(m)
            ),
        };
        let ws_u_text = money(p.ws_u, currency);
        let (base, formula) = if !p.by_connector {
            (
                format!("needs a Windows Server User CAL ({ws_u_text}) for the same person (the {name} CAL is additive, read literally: see \"Where sources disagree\")"),
                format!("n × ({} + {ws_u_text})", money(u, currency)),
            )
        } else if p.missing == 0 {
            (
                "takes its Windows Server base from that connector (the reading chosen in \"Where sources disagree\")".to_string(),
                format!("n × {}", money(u, currency)),
            )
        } else {
            (
                format!("takes its Windows Server base from the {unit}'s Windows Server External Connector or, without one, from a Windows Server User CAL ({ws_u_text}) (the reading chosen in \"Where sources disagree\")"),
                format!("n × {} + the cheaper of n × {ws_u_text} and the Windows Server connectors", money(u, currency)),
            )
        };
        let bought = match (kh - owned_here) + p.missing {
            0 => "the connectors, which you own, are".to_string(),
            1 => format!("the connector to buy ({}) is", money(connectors, currency)),
            _ => format!(
                "the connectors to buy ({} together) are",
                money(connectors, currency)
            ),
        };
        (
            match p.missing {
                0 => on,
                1 if kh == 1 => format!("{on}, with the Windows Server External Connector it needs"),
                1 => format!("{on}, with the Windows Server External Connector they need"),
                _ => format!("{on}, with the Windows Server External Connectors they need"),
            },
            format!(
                "an {name} External Connector ({}{ec_owned}) needs a Windows Server External Connector on the same {unit}{reading} ({}; {status}), and an external user's {name} User CAL ({}) {base}: {bought} cheaper than the CALs {} (smallest n with {formula} > {}); {} external {} {label}",
                money(ec, currency),
                money(p.ws_ec, currency),
                money(u, currency),
                from_external(t),
                money(connectors, currency),
                thousands(n),
                if n == 1 { "user reaches" } else { "users reach" },
            ),
        )
    }

    /// Option B and the why for a connector owned on a host of its own.
    fn owned_on_one_host(&self) -> (String, String) {
        let Self {
            name,
            ref label,
            ref reading,
            u,
            n,
            currency,
            ..
        } = *self;
        let (how, owned_suffix) = (self.how(), self.owned_suffix());
        (
            format!("one {name} External Connector on {label}{owned_suffix}"),
            format!(
                "an External Connector you own{how} covers {label}{reading} at no cost, so User CALs ({} each) would cost more from the first external user; {} external {} {label}",
                money(u, currency),
                thousands(n),
                if n == 1 { "user reaches" } else { "users reach" },
            ),
        )
    }

    /// Option B and the why for a connector on a host of its own.
    fn on_one_host(&self) -> (String, String) {
        let Self {
            name,
            ref label,
            unit,
            ref reading,
            ec,
            u,
            t,
            n,
            currency,
            ..
        } = *self;
        (
            format!("one {name} External Connector on {label}"),
            format!(
                "an External Connector ({}) is cheaper than User CALs ({} each) for one {unit}{reading} {} (smallest n with n × CAL > EC); {} external {} {label}, and no other {unit} of theirs needs one",
                money(ec, currency),
                money(u, currency),
                from_external(t),
                thousands(n),
                if n == 1 { "user reaches" } else { "users reach" },
            ),
        )
    }

    /// Option B and the why for a connector on each of several hosts that share external users.
    fn shared_by_hosts(&self) -> (String, String) {
        let Self {
            name,
            ref label,
            kh,
            unit,
            units,
            ref reading,
            ec,
            u,
            connectors,
            t,
            n,
            currency,
            ..
        } = *self;
        let (how, owned_suffix) = (self.how(), self.owned_suffix());
        let (to_buy, formula) = match self.owned() {
            0 => (
                format!("{} together", money(connectors, currency)),
                format!("{kh} × EC"),
            ),
            o if o == kh => ("all owned".to_string(), "0, as none is bought".to_string()),
            o => (
                format!(
                    "{} owned{}, {} to buy",
                    thousands(o),
                    how,
                    money(connectors, currency)
                ),
                format!("{} × EC", thousands(kh - o)),
            ),
        };
        (
            format!("{kh} {name} External Connectors, one on each of {label}{owned_suffix}"),
            format!(
                "{kh} {units} ({label}) share external users{reading}: a CAL bought for one of them covers every {unit}, so a connector saves a user's CAL only when every {unit} that user reaches has one. {kh} External Connectors ({} each, {to_buy}) are cheaper than User CALs ({} each) {} (smallest n with n × CAL > {formula}); {} external users reach them. Between the two, a connector on one {unit} and CALs for the users of the others can cost less: the recommendation weighs every mix",
                money(ec, currency),
                money(u, currency),
                from_external(t),
                thousands(n),
            ),
        )
    }
}

/// User vs Device CALs per group, on the first product the group uses (Windows Server first)
/// whose User or Device CALs the recommendation buys: there the choice costs money. Owned
/// licences are pooled, so a product that buys any may buy fewer with the other choice, while
/// one whose owned licences cover every need costs nothing either way (review: a group's
/// break-even priced Windows Server CALs that 50 owned User CALs covered, while the RDS CALs it
/// bought were left out). When owned licences cover every product the group uses, the first,
/// and the why says so.
fn user_vs_device_breakevens(
    demand: &Demand,
    estate: &Estate,
    currency: &str,
    solution: &Solution,
) -> Vec<BreakEven> {
    // Each group's person classes, found once (robustness review 21: scanning every class per
    // group made 20,000 groups take 25 s).
    let mut classes_of: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (c, ci) in demand.classes.iter().enumerate() {
        classes_of.entry(ci.group.as_str()).or_default().push(c);
    }
    estate
        .groups
        .iter()
        .filter(|g| !g.kind.is_external() && g.kind != PersonKind::AnonymousVisitor && g.count > 0)
        .filter_map(|g| {
            let own: &[usize] = classes_of.get(g.id.as_str()).map_or(&[], Vec::as_slice);
            user_vs_device_breakeven(demand, estate, currency, solution, g, own)
        })
        .collect()
}

/// Whether the recommendation buys User or Device CALs of `p`, on their own or in a suite.
fn buys_cals_of(solution: &Solution, p: CalProduct) -> bool {
    solution
        .products
        .iter()
        .any(|s| s.product == p && s.buy_user_cals.saturating_add(s.buy_device_cals) > 0)
        || solution.suites.iter().any(|s| {
            s.buy > 0
                && s.kind != LicenceKind::ExternalConnector
                && catalog::suite_contents(s.suite).contains(&p)
        })
}

/// The User vs Device break-even of group `g` (`own`: its person classes), or `None` when it
/// uses no product priced for both or none of its members needs the one chosen.
fn user_vs_device_breakeven(
    demand: &Demand,
    estate: &Estate,
    currency: &str,
    solution: &Solution,
    g: &Group,
    own: &[usize],
) -> Option<BreakEven> {
    let (pd, u, d, owned_note) = group_product(demand, solution, own)?;
    let pools: u64 = estate
        .shared_devices
        .iter()
        .filter(|p| !p.unattended && p.shared_by.contains(&g.id))
        .map(|p| u64::from(p.count))
        .sum();
    // Those of the group who need the product: not the exempt administrators, nor members a
    // usage log leaves without access (review 12: five administrators, two of them exempt,
    // were priced as five).
    let n: u64 = own
        .iter()
        .filter(|c| pd.person_rank.contains_key(c))
        .map(|&c| class_people(&demand.instance, c))
        .sum();
    if n == 0 {
        return None;
    }
    let choice = GroupChoice {
        g,
        product: pd.product,
        name: catalog::short_name(pd.product),
        u,
        d,
        n,
        pools,
        owned_note,
        modes: SessionHostModes::of_group(demand, estate, solution, g, pd.product),
        base: DeviceBase::of_group(demand, estate, g, pd, own),
        currency,
    };
    Some(if g.devices_each == 0 && pools > 0 {
        choice.shared_devices()
    } else {
        choice.own_devices()
    })
}

/// The product a group's User vs Device break-even prices (`own`: the group's person classes),
/// with its User and Device CAL prices and the why's note on the products owned licences cover:
/// the first the group uses, of those priced for both, whose CALs the recommendation buys, or
/// the first when it buys none.
fn group_product<'d>(
    demand: &'d Demand,
    solution: &Solution,
    own: &[usize],
) -> Option<(&'d rules::ProductDemand, i64, i64, String)> {
    let priced: Vec<(&rules::ProductDemand, i64, i64)> = demand
        .products
        .iter()
        .filter(|pd| own.iter().any(|c| pd.person_rank.contains_key(c)))
        .filter_map(|pd| {
            Some((
                pd,
                demand.prices.get(pd.product, LicenceKind::UserCal)?,
                demand.prices.get(pd.product, LicenceKind::DeviceCal)?,
            ))
        })
        .collect();
    let bought_at = priced
        .iter()
        .position(|(pd, _, _)| buys_cals_of(solution, pd.product));
    let &(pd, u, d) = priced.get(bought_at.unwrap_or(0))?;
    let owned_note = {
        let covered: Vec<&str> = priced[..bought_at.unwrap_or(0)]
            .iter()
            .map(|(p, _, _)| catalog::short_name(p.product))
            .collect();
        match (bought_at, covered.as_slice()) {
            (None, _) => format!(
                ". Owned licences cover every {} CAL needed today, so the choice costs nothing until more are bought",
                catalog::short_name(pd.product)
            ),
            (Some(_), []) => String::new(),
            (Some(_), names) => format!(
                ". Not {}: owned licences cover every CAL {} today, so the choice costs nothing there",
                short_list(&names.iter().map(|n| n.to_string()).collect::<Vec<_>>()),
                if names.len() == 1 { "it needs" } else { "they need" }
            ),
        }
    };
    Some((pd, u, d, owned_note))
}

/// An RD Session Host whose licensing mode is set issues one kind of RDS CAL only: where
/// every host the group reaches is set to the same mode, the other kind needs the mode
/// switched first, and the break-even says so (QA: it offered RDS Device CALs on a per-user
/// host).
struct SessionHostModes {
    /// The one mode of every session host the group reaches, the hosts by name, and whether any
    /// was chosen rather than set.
    group_hosts: Option<(RdsMode, Vec<String>, bool)>,
    /// On the RDS row: the hosts' mode, set or as the recommendation runs them.
    mode_lock: Option<(RdsMode, Vec<String>, bool)>,
    /// Whether the row is of the product RDS CALs need as their base.
    base_of_rds: bool,
}

impl SessionHostModes {
    /// The modes of the session hosts group `g` reaches, for its break-even on `product`.
    fn of_group(
        demand: &Demand,
        estate: &Estate,
        solution: &Solution,
        g: &Group,
        product: CalProduct,
    ) -> Self {
        let inst = &demand.instance;
        let of_group = |c: &usize| demand.classes.get(*c).is_some_and(|ci| ci.group == g.id);
        let chosen_modes = solution
            .products
            .iter()
            .find(|p| p.product == CalProduct::Rds)
            .map_or(&[][..], |p| p.rds_modes.as_slice());
        // The session hosts the group reaches, each with its mode as set or as the
        // recommendation runs it.
        let reached: Vec<(&crate::optimise::RdsHost, Option<RdsMode>)> = inst
            .products
            .iter()
            .filter(|p| p.product == CalProduct::Rds)
            .flat_map(|p| p.rds_hosts.iter())
            .enumerate()
            .filter(|(_, r)| {
                r.people.iter().any(of_group) || r.person_device.iter().any(|(c, _)| of_group(c))
            })
            .map(|(j, r)| (r, r.mode.or_else(|| chosen_modes.get(j).copied())))
            .collect();
        // The one mode of every session host the group reaches (review 20: where the optimiser
        // ran a host per device, the Windows Server row offered the group User CALs without a
        // word of the Device CALs its RDS Device CALs need as their base), the hosts by name (the
        // label is the server's id), and whether any was chosen rather than set.
        let group_hosts: Option<(RdsMode, Vec<String>, bool)> =
            match reached.first().and_then(|h| h.1) {
                Some(m) if reached.iter().all(|h| h.1 == Some(m)) => Some((
                    m,
                    reached
                        .iter()
                        .map(|h| estate.server_name(&h.0.label))
                        .collect(),
                    reached.iter().any(|h| h.0.mode.is_none()),
                )),
                _ => None,
            };
        // A free host the group has to itself is no lock: its mode follows the group's choice.
        let shares_a_free_host = reached.iter().any(|(r, _)| {
            r.mode.is_none()
                && (r.people.iter().any(|c| !of_group(c))
                    || r.person_device.iter().any(|(c, _)| !of_group(c)))
        });
        // On the RDS row: the hosts' mode, set or as the recommendation runs them (review 20:
        // the managers' row offered RDS User CALs at $9,600 against $36,000 beside a host the
        // cheapest mix runs per device for the call centre on it).
        let mode_lock: Option<(RdsMode, Vec<String>, bool)> = group_hosts
            .as_ref()
            .filter(|(_, _, chosen)| product == CalProduct::Rds && (!chosen || shares_a_free_host))
            .cloned();
        // On the base product's row: the other kind comes on top of the base the RDS CALs of the
        // hosts' mode need for the same subjects (§1.11).
        // Not under the `either-subject` reading, where the base may be the other kind.
        let base_of_rds = product == CalProduct::WindowsServer
            && catalog::product(CalProduct::Rds).base == Some(CalProduct::WindowsServer)
            && !(inst.products.iter()).any(|p| p.product == CalProduct::Rds && p.base_any_subject);
        SessionHostModes {
            group_hosts,
            mode_lock,
            base_of_rds,
        }
    }

    /// On the base product's row (`name`), the note on the option of `kind` that comes on top of
    /// the base the hosts' RDS CALs need, and the why's sentence on it.
    fn base_lock(&self, kind: RdsMode, name: &str) -> (String, String) {
        match &self.group_hosts {
            Some((m, hosts, chosen)) if self.base_of_rds && *m != kind => {
                let one = hosts.len() == 1;
                let (set, issued, subjects) = match m {
                    RdsMode::PerUser => ("per user", "User", "for the same people"),
                    RdsMode::PerDevice => ("per device", "Device", "on the same devices"),
                };
                (
                    format!(" (on top of the {name} {issued} CALs the group's RDS {issued} CALs need)"),
                    format!(
                        ". The group uses {} {}, {} {set}{}: its RDS {issued} CALs need {name} {issued} CALs {subjects} as their base, so the other choice comes on top of them unless the {} licensing mode is switched",
                        if one { "session host" } else { "session hosts" },
                        short_list(hosts),
                        if one { "which runs" } else { "which run" },
                        if *chosen { " in the recommendation" } else { "" },
                        if one { "host's" } else { "hosts'" },
                    ),
                )
            }
            _ => (String::new(), String::new()),
        }
    }

    /// The note on the option the hosts' mode cannot use, and the why's sentence on it.
    fn locked_out(&self, kind: RdsMode, name: &str) -> (String, String) {
        match &self.mode_lock {
            Some((m, hosts, chosen)) if *m != kind => {
                let (set, other, issued) = match m {
                    RdsMode::PerUser => ("per user", "per device", "User"),
                    RdsMode::PerDevice => ("per device", "per user", "Device"),
                };
                let one = hosts.len() == 1;
                (
                    format!(" (needs the licensing mode switched to {other})"),
                    if *chosen {
                        format!(
                            ". The recommendation runs {} {} {set}, which issues only {name} {issued} CALs, as cheapest for everyone on {}: the other choice needs {} licensing mode switched to {other}, which changes what everyone on {} needs",
                            if one { "session host" } else { "session hosts" },
                            short_list(hosts),
                            if one { "it" } else { "them" },
                            if one { "its" } else { "their" },
                            if one { "it" } else { "them" },
                        )
                    } else {
                        format!(
                            ". {} {} {} licensed {set}, which issues only {name} {issued} CALs: the other choice needs {} licensing mode switched to {other} first",
                            if one { "The session host" } else { "The session hosts" },
                            short_list(hosts),
                            if one { "is" } else { "are" },
                            if one { "its" } else { "their" },
                        )
                    },
                )
            }
            _ => (String::new(), String::new()),
        }
    }
}

/// An additive Device CAL needs the base Device CAL on the same device, which the people's
/// Microsoft 365 rights do not give: the device side pays both (QA: the break-even ignored
/// the kiosks' Windows Server Device CALs under RDS ones). Not where another subject
/// reaches the base product from the device, which pays for that CAL anyway.
struct DeviceBase {
    /// The price of the base product's Device CAL.
    price: Option<i64>,
    /// The base product's short name.
    name: &'static str,
    /// The group's shared devices that carry the base Device CAL.
    carried: u64,
    /// Whether the group's own devices carry it.
    own_carried: bool,
}

impl DeviceBase {
    /// The base Device CALs under `pd`'s product on the devices of group `g` (`own`: its person
    /// classes).
    fn of_group(
        demand: &Demand,
        estate: &Estate,
        g: &Group,
        pd: &rules::ProductDemand,
        own: &[usize],
    ) -> Self {
        let base_product = catalog::product(pd.product).base;
        let base_pd = base_product.and_then(|b| demand.products.iter().find(|x| x.product == b));
        let base_price = base_product.and_then(|b| demand.prices.get(b, LicenceKind::DeviceCal));
        let base_name = base_product.map_or("", catalog::short_name);
        let carried: u64 = base_pd.map_or(0, |b| {
            estate
                .shared_devices
                .iter()
                .enumerate()
                .filter(|(i, p)| {
                    !p.unattended
                        && p.shared_by.contains(&g.id)
                        && b.base_only_rank.contains_key(i)
                        && !b.device_rank.contains_key(i)
                })
                .map(|(_, p)| u64::from(p.count))
                .sum()
        });
        let own_carried =
            base_pd.is_some_and(|b| own.iter().any(|c| b.base_only_own_rank.contains_key(c)));
        DeviceBase {
            price: base_price,
            name: base_name,
            carried,
            own_carried,
        }
    }

    /// Where the devices carry the base Device CAL (`carries`) but it has no price, the why's
    /// note that it is left out (`name`: the additive product's).
    fn unpriced(&self, carries: bool, name: &str) -> String {
        let base_name = self.name;
        match (carries, self.price) {
            (true, None) => format!(
                "; each device also needs the {base_name} Device CAL under its {name} one, which has no price here and is left out"
            ),
            _ => String::new(),
        }
    }
}

/// A group's choice between User and Device CALs of the product its break-even prices.
struct GroupChoice<'a> {
    g: &'a Group,
    product: CalProduct,
    /// The product's short name.
    name: &'static str,
    /// The price of a User CAL and of a Device CAL.
    u: i64,
    d: i64,
    /// Those of the group who need the product.
    n: u64,
    /// The devices the group shares (not unattended ones).
    pools: u64,
    /// The why's note on the products owned licences cover.
    owned_note: String,
    modes: SessionHostModes,
    base: DeviceBase,
    currency: &'a str,
}

impl GroupChoice<'_> {
    /// The note on the option of `kind` the hosts' mode cannot use, and the why's sentence on it.
    fn locked_out(&self, kind: RdsMode) -> (String, String) {
        self.modes.locked_out(kind, self.name)
    }

    /// The note on the option of `kind` that comes on top of the RDS CALs' base, and the why's
    /// sentence on it.
    fn base_lock(&self, kind: RdsMode) -> (String, String) {
        self.modes.base_lock(kind, self.name)
    }

    /// What the why of either side ends with: the owned licences' note, then the modes'.
    fn why_notes(&self) -> String {
        self.owned_note.clone()
            + &self.locked_out(RdsMode::PerUser).1
            + &self.locked_out(RdsMode::PerDevice).1
            + &self.base_lock(RdsMode::PerUser).1
            + &self.base_lock(RdsMode::PerDevice).1
    }

    /// For a group that shares devices: A = User CALs, B = Device CALs for the shared devices,
    /// threshold in people.
    fn shared_devices(&self) -> BreakEven {
        let Self {
            g,
            name,
            u,
            d,
            n,
            pools,
            currency,
            ..
        } = *self;
        let DeviceBase {
            price: base_price,
            name: base_name,
            carried,
            ..
        } = self.base;
        let base_cost = base_price.map_or(0, |price| mul(carried, price));
        let devices_cost = mul(pools, d).saturating_add(base_cost);
        let t = threshold(devices_cost, u);
        let with_base = match base_price {
            Some(price) if carried > 0 => format!(
                "; {} the {base_name} Device CAL ({}) under {} {name} one, counted in: the people's Microsoft 365 rights do not reach a device",
                if carried == pools {
                    "every device also needs".to_string()
                } else if carried == 1 {
                    "1 of the devices also needs".to_string()
                } else {
                    format!("{} of the devices also need", thousands(carried))
                },
                money(price, currency),
                if carried == 1 || carried == pools { "its" } else { "their" },
            ),
            _ => self.base.unpriced(carried > 0, name),
        };
        BreakEven {
            kind: BreakEvenKind::UserVsDevice,
            subject: g.id.clone(),
            subject_name: g.shown_name().to_string(),
            product: self.product,
            threshold: t,
            current: n,
            option_a: format!(
                "{name} User CALs for each person{}{}",
                self.locked_out(RdsMode::PerUser).0,
                self.base_lock(RdsMode::PerUser).0
            ),
            option_a_minor: mul(n, u),
            option_b: format!(
                "{name} Device CALs for the {} shared {}{}{}",
                thousands(pools),
                if pools == 1 { "device" } else { "devices" },
                self.locked_out(RdsMode::PerDevice).0,
                self.base_lock(RdsMode::PerDevice).0
            ),
            option_b_minor: devices_cost,
            curve: curve(span(n, t), |x| (mul(x, u), devices_cost)),
            why: Explanation {
                rules: if carried > 0 {
                    vec![ids::CAL_MIX_ALLOWED.into(), ids::ADDITIVE_REQUIRES_BASE.into(), ids::PRICE_ESTIMATES.into()]
                } else {
                    vec![ids::CAL_MIX_ALLOWED.into(), ids::PRICE_ESTIMATES.into()]
                },
                text: format!(
                    "{} {} {} {} {}: Device CALs ({} each) are cheaper from {} people on; User CALs cost {} each{}",
                    thousands(n),
                    if n == 1 { "person" } else { "people" },
                    if n == 1 { "shares" } else { "share" },
                    thousands(pools),
                    if pools == 1 { "device" } else { "devices" },
                    money(d, currency),
                    at(t),
                    money(u, currency),
                    with_base
                ) + &self.why_notes(),
            },
            note: String::new(),
        }
    }

    /// For a group with its own devices: A = Device CALs, B = User CALs, threshold in devices per
    /// person.
    fn own_devices(&self) -> BreakEven {
        let Self {
            g,
            name,
            u,
            n,
            pools,
            currency,
            ..
        } = *self;
        let DeviceBase {
            price: base_price,
            name: base_name,
            own_carried,
            ..
        } = self.base;
        let each = u64::from(g.devices_each.max(1));
        let d = match base_price {
            Some(price) if own_carried => self.d.saturating_add(price),
            _ => self.d,
        };
        let t = threshold(u, d);
        BreakEven {
            kind: BreakEvenKind::UserVsDevice,
            subject: g.id.clone(),
            subject_name: g.shown_name().to_string(),
            product: self.product,
            threshold: t,
            current: each,
            option_a: format!(
                "{name} Device CALs for each person's devices{}{}",
                self.locked_out(RdsMode::PerDevice).0,
                self.base_lock(RdsMode::PerDevice).0
            ),
            option_a_minor: mul(n.saturating_mul(each), d),
            option_b: format!(
                "{name} User CALs for each person{}{}",
                self.locked_out(RdsMode::PerUser).0,
                self.base_lock(RdsMode::PerUser).0
            ),
            option_b_minor: mul(n, u),
            curve: curve(if t == NEVER { each.max(5) } else { each.max(t.saturating_add(2)) }, |x| (mul(n.saturating_mul(x), d), mul(n, u))),
            why: Explanation {
                rules: if own_carried {
                    vec![ids::CAL_PER_PERSON.into(), ids::CAL_MIX_ALLOWED.into(), ids::ADDITIVE_REQUIRES_BASE.into(), ids::PRICE_ESTIMATES.into()]
                } else {
                    vec![ids::CAL_PER_PERSON.into(), ids::CAL_MIX_ALLOWED.into(), ids::PRICE_ESTIMATES.into()]
                },
                text: format!(
                    "the threshold counts devices per person: a User CAL ({}) is cheaper than Device CALs ({} each) from {} {} on; {} {} with {} {} each{}{}",
                    money(u, currency),
                    money(d, currency),
                    at(t),
                    if t == 1 { "device per person" } else { "devices per person" },
                    thousands(n),
                    if n == 1 { "person" } else { "people" },
                    each,
                    if each == 1 { "device" } else { "devices" },
                    if pools > 0 { format!(", plus {} shared devices", thousands(pools)) } else { String::new() },
                    match base_price {
                        Some(price) if own_carried => format!(
                            "; that price includes the {base_name} Device CAL ({}) each device needs under its {name} one: the people's Microsoft 365 rights do not reach a device",
                            money(price, currency)
                        ),
                        _ => self.base.unpriced(own_carried, name),
                    }
                ) + &self.why_notes(),
            },
            note: String::new(),
        }
    }
}

/// SQL Server per core vs Server+CAL. One per SQL Server that is not Enterprise edition, when
/// the prices of a 2-core pack, a server licence and a SQL CAL are known.
fn sql_per_core_breakevens<'a>(
    demand: &Demand,
    estate: &'a Estate,
    currency: &str,
    solution: &Solution,
    per_core_checked: &dyn Fn(&str) -> Option<i64>,
    sql_reach: &OnceCell<SqlReach<'a>>,
) -> Vec<BreakEven> {
    let Some(prices) = demand.prices.sql_breakeven() else {
        return Vec::new();
    };
    let sql_cals = sql_cals(solution);
    let reach = sql_reach.get_or_init(|| SqlReach::new(estate, demand));
    estate
        .servers
        .iter()
        .filter(|s| {
            s.product == ServerProduct::SqlServer && s.edition != crate::estate::Edition::Enterprise
        })
        .map(|s| {
            sql_per_core_breakeven(
                reach,
                estate,
                currency,
                s,
                prices,
                sql_cals,
                per_core_checked,
            )
        })
        .collect()
}

/// The per core vs Server+CAL break-even of SQL Server `s`, at the prices of a 2-core pack, a
/// server licence and a SQL CAL; `sql_cals`: the SQL CALs the licensing needs.
fn sql_per_core_breakeven(
    reach: &SqlReach,
    estate: &Estate,
    currency: &str,
    s: &Server,
    (pack, server, cal): (i64, i64, i64),
    sql_cals: Option<u64>,
    per_core_checked: &dyn Fn(&str) -> Option<i64>,
) -> BreakEven {
    let cores_given = s.cores;
    let cores = u64::from(cores_given.max(4)).div_ceil(2) * 2;
    let packs = cores / 2;
    let per_core = mul(packs, pack);
    let t = threshold(per_core - server, cal);
    let SqlServerCals {
        shared,
        cals: users,
        older,
    } = reach.server_cals(&s.id, sql_cals);
    let per_core_today = rules::sql_licensing(s) == SqlLicensing::PerCore;
    // Where the findings evaluated this server per core, the purchase it takes off is the
    // exact count of SQL CALs Server+CAL costs here (why review 24: "now 90" where per
    // core would spare only the 50 the kiosks' Device CALs are: the others' people reach
    // another Server+CAL server too).
    let spared = (!per_core_today && cal > 0)
        .then(|| per_core_checked(&s.id))
        .flatten()
        .map(|less| u64::try_from(less.max(0)).unwrap_or(0).div_ceil(cal as u64));
    let current = spared.unwrap_or(users);
    let current_model = if per_core_today {
        "licensed per core today"
    } else {
        "licensed Server+CAL today"
    };
    let anonymous = anonymous_reaching(estate, &s.id);
    let how_many = sql_cals_counted(per_core_today, users, spared);
    let shared_note = sql_shared_note(s, shared, older, per_core_today);
    let anonymous_note = if anonymous > 0 {
        format!(
            ". Server+CAL is not possible here: {} anonymous visitors reach it, and people nobody identifies cannot be given a CAL",
            thousands(anonymous)
        )
    } else {
        String::new()
    };
    BreakEven {
        kind: BreakEvenKind::SqlPerCoreVsServerCal,
        subject: s.id.clone(),
        subject_name: s.shown_name().to_string(),
        product: CalProduct::SqlServer,
        threshold: t,
        current,
        option_a: if anonymous > 0 {
            "Server licence + a SQL CAL per user (not possible: anonymous visitors reach it)".into()
        } else {
            "Server licence + a SQL CAL per user".into()
        },
        option_a_minor: server.saturating_add(mul(current, cal)),
        option_b: if cores_given == 0 {
            format!("per core: at least {packs} × 2-core packs (cores not entered)")
        } else {
            format!("per core: {packs} × 2-core packs ({cores} cores)")
        },
        option_b_minor: per_core,
        curve: curve(span(current, t), |x| (server.saturating_add(mul(x, cal)), per_core)),
        why: Explanation {
            rules: vec![ids::SQL_CORE_MINIMUM.into(), ids::SQL_PER_CORE_NO_CALS.into(), ids::PRICE_ESTIMATES.into()],
            text: format!(
                "{} = {packs} packs × {} = {}; Server+CAL = {} + n × {}; per core is cheaper from {}{} SQL CALs on ({current_model}; {} it{shared_note}; {how_many}). SQL CALs also cover other SQL Servers, which favours Server+CAL when users share several servers{anonymous_note}",
                // No core count is not 0 cores (licensing review 41: "0 cores → 4 cores", with a
                // firm threshold): the minimum gives the least per core can cost.
                match cores_given {
                    0 => format!("No core count entered, so at least {cores} cores ({})", crate::findings::SQL_MINIMUM_APPLIED),
                    c if u64::from(c) == cores => format!("{cores} cores"),
                    c => format!("{c} cores → {cores} cores (rounded up to 2-core packs, {})", crate::findings::SQL_MINIMUM_APPLIED),
                },
                money(pack, currency),
                money(per_core, currency),
                money(server, currency),
                money(cal, currency),
                if cores_given == 0 && t != NEVER { "at least " } else { "" },
                at(t),
                reach.words_reach(&reach.servers(&[s.id.as_str()])),
            ),
        },
        note: sql_counted_elsewhere_note(shared, older, per_core_today),
    }
}

/// The note beside a SQL break-even whose chart leaves out people counted at other Server+CAL
/// SQL Servers (licensing review 41: "0 people, Server+CAL $989" beside a finding that moving
/// two servers to per core together saves $7,220 read as if the two disagreed).
fn sql_counted_elsewhere_note(shared: u64, older: u64, per_core_today: bool) -> String {
    if shared == 0 || older > 0 {
        return String::new();
    }
    format!(
        "{} of those who reach this server also reach other Server+CAL SQL Servers, whose SQL CALs cover them here too, so this chart leaves them out and weighs this server alone{}",
        thousands(shared),
        if per_core_today {
            ""
        } else {
            ". The findings weigh moving the servers they share to per core together"
        }
    )
}

/// "1 SQL CAL", "40 SQL CALs".
fn sql_cals_words(n: u64) -> String {
    format!("{} SQL CAL{}", thousands(n), if n == 1 { "" } else { "s" })
}

/// The SQL break-even's words on how many SQL CALs Server+CAL needs: `users`, what it adds on the
/// server, and where the findings evaluated it per core, what per core `spared`.
fn sql_cals_counted(per_core_today: bool, users: u64, spared: Option<u64>) -> String {
    if per_core_today {
        format!(
            "Server+CAL would need up to {} SQL CALs, one per person or device (people at shared devices may need fewer)",
            thousands(users)
        )
    } else {
        match spared {
            Some(n) if n != users => format!(
                "licensed by {} in the cheapest mix; evaluated per core, the estate needs {} fewer SQL CAL{}, the number shown",
                sql_cals_words(users),
                thousands(n),
                if n == 1 { "" } else { "s" }
            ),
            _ => format!("licensed by {} in the cheapest mix", sql_cals_words(users)),
        }
    }
}

/// The SQL break-even's note on those who reach server `s` and other Server+CAL SQL Servers
/// (`shared`), and of them the newer SQL CALs Server+CAL here makes them buy (`older`).
fn sql_shared_note(s: &Server, shared: u64, older: u64, per_core_today: bool) -> String {
    if older > 0 {
        format!(
            "; {} of them also reach other Server+CAL SQL Servers, but the owned SQL CALs that cover them there are older than this server (SQL Server {}), so Server+CAL here {} {} newer SQL CALs to buy, counted here",
            thousands(shared),
            s.version,
            if per_core_today { "would mean" } else { "means" },
            thousands(older)
        )
    } else if shared > 0 {
        format!(
            "; {} of them also reach other Server+CAL SQL Servers, whose SQL CALs cover them either way, so they are not counted here",
            thousands(shared)
        )
    } else {
        String::new()
    }
}

/// The Windows Server side of an RDS or AD RMS External Connector's break-even on some hosts:
/// the RDS or AD RMS connector needs a Windows Server connector on each host, and an external
/// user's RDS or AD RMS User CAL needs a Windows Server base.
#[derive(Clone, Copy)]
struct ConnectorPair {
    ws_ec: i64,
    ws_u: i64,
    /// Hosts that would need a Windows Server connector bought.
    missing: u64,
    /// Hosts whose Windows Server connector would come from the owned, unassigned ones.
    pooled: u64,
    /// Hosts whose Windows Server connector is owned (assigned or from the unassigned ones).
    owned: u64,
    /// Hosts where the recommendation buys the Windows Server connector for something else.
    anyway: u64,
    /// What for, in words (of the first such host).
    anyway_for: Option<&'static str>,
    /// The `external-connector` reading: the host's Windows Server connector may be an external
    /// user's base, so without the RDS or AD RMS connector a Windows Server connector there is
    /// the alternative to their Windows Server User CALs.
    by_connector: bool,
}

impl ConnectorPair {
    /// `hosts`: the instance's hosts weighed together; a Windows Server connector is there on a
    /// host when [`owned_connectors_on`] says so, or when the recommendation buys one there for
    /// something else (see `anyway_for`), and not needed on a pay-as-you-go one.
    fn weigh(
        inst: &Instance,
        solution: &Solution,
        product: CalProduct,
        hosts: &[usize],
        (ws_ec, ws_u): (i64, i64),
        by_connector: bool,
    ) -> Self {
        let ws = inst
            .products
            .iter()
            .find(|p| p.product == CalProduct::WindowsServer);
        // Pay-as-you-go hosts need no Windows Server connector (review 13).
        let needing: Vec<usize> = hosts
            .iter()
            .copied()
            .filter(|h| ws.is_none_or(|w| !w.licensed_hosts.contains(h)))
            .collect();
        let mut anyway = 0u64;
        let mut first_reason = None;
        let needing: Vec<usize> = needing
            .into_iter()
            .filter(
                |&h| match anyway_for(inst, solution, product, h, ws_ec, ws_u) {
                    Some(reason) => {
                        anyway += 1;
                        first_reason.get_or_insert(reason);
                        false
                    }
                    None => true,
                },
            )
            .collect();
        let (assigned, pooled) = ws.map_or((0, 0), |ws| {
            owned_connectors_on(ws, solution, &needing, Some(product))
        });
        ConnectorPair {
            ws_ec,
            ws_u,
            missing: (needing.len() as u64).saturating_sub(assigned + pooled),
            pooled,
            owned: assigned + pooled,
            anyway,
            anyway_for: first_reason,
            by_connector,
        }
    }

    /// The Windows Server connectors the pair buys.
    fn ws_connectors(&self) -> i64 {
        mul(self.missing, self.ws_ec)
    }

    /// What `n` external users cost without the RDS or AD RMS connector, at `u` a User CAL.
    fn cals(&self, n: u64, u: i64) -> i64 {
        let base = mul(n, self.ws_u);
        let base = if self.by_connector {
            base.min(self.ws_connectors())
        } else {
            base
        };
        mul(n, u).saturating_add(base)
    }
}

/// Whether the recommendation buys a Windows Server connector on host `h` for something other
/// than `product`'s connector there, and what for: the other additive product's connector on the
/// same host, or the host's own external Windows Server users, more of them than the connector's
/// break-even (review 13b: a pair break-even counted in a Windows Server connector the
/// recommendation bought anyway, and read CALs cheaper while the purchase took the connector).
fn anyway_for(
    inst: &Instance,
    solution: &Solution,
    product: CalProduct,
    h: usize,
    ws_ec: i64,
    ws_u: i64,
) -> Option<&'static str> {
    let ec_on = |p: CalProduct| {
        solution
            .products
            .iter()
            .any(|s| s.product == p && s.external_connector_hosts.contains(&h))
    };
    if !ec_on(CalProduct::WindowsServer) {
        return None;
    }
    for other in [CalProduct::Rds, CalProduct::AdRms] {
        if other != product && ec_on(other) {
            return Some(if other == CalProduct::Rds {
                "the RDS External Connector there"
            } else {
                "the AD RMS External Connector there"
            });
        }
    }
    // External users of Windows Server on the host who reach no additive product there.
    let additive: BTreeSet<usize> = inst
        .products
        .iter()
        .filter(|p| p.base.is_some())
        .flat_map(|p| p.external_on(&inst.people, h))
        .collect();
    let own: u64 = inst
        .products
        .iter()
        .filter(|p| p.product == CalProduct::WindowsServer)
        .flat_map(|p| p.person_host.iter())
        .filter(|&&(c, hh)| hh == h && !additive.contains(&c))
        .map(|&(c, _)| u64::from(inst.people.get(c).map_or(0, |p| p.multiplicity)))
        .sum();
    (mul(own, ws_u) > ws_ec).then_some("the host's own external Windows Server users")
}

/// Of the External Connectors of `pi`'s product on `hosts`, how many are owned: (assigned to
/// their host, or placed there from older unassigned ones; from the unassigned pool, as far as
/// the recommendation does not place those on other hosts). Review 12 and 13: the break-evens
/// priced owned connectors as bought. `as_base`: weighed as the base of that RDS or AD RMS
/// product's connector, which an assigned one of an older version than its servers is not.
fn owned_connectors_on(
    pi: &ProductInstance,
    solution: &Solution,
    hosts: &[usize],
    as_base: Option<CalProduct>,
) -> (u64, u64) {
    let assigned = &pi.owned_ec_hosts;
    let elsewhere = solution
        .products
        .iter()
        .find(|p| p.product == pi.product)
        .map_or(0, |p| {
            p.external_connector_hosts
                .iter()
                .filter(|h| !assigned.contains(h) && !hosts.contains(h))
                .count() as u64
        });
    // As the base of an additive connector, an assigned one too old for it does not count
    // (review 22b).
    let on_assigned = hosts
        .iter()
        .filter(|&&h| {
            assigned.contains(&h) && !as_base.is_some_and(|p| pi.base_short.contains(&(p, h)))
        })
        .count() as u64;
    let without = hosts.len() as u64 - on_assigned;
    let pooled = without.min(pi.owned.external_connectors.saturating_sub(elsewhere));
    (on_assigned, pooled)
}

/// Smallest n whose `cost(n)` (non-decreasing) exceeds `fixed`, or [`NEVER`].
fn first_dearer(fixed: i64, cost: impl Fn(u64) -> i64) -> u64 {
    const LIMIT: u64 = 1 << 62;
    if cost(LIMIT) <= fixed {
        return NEVER;
    }
    let (mut lo, mut hi) = (0u64, LIMIT);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if cost(mid) > fixed {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    lo
}

/// Smallest n with n × unit > fixed: where the fixed-price option becomes cheaper.
fn threshold(fixed: i64, unit: i64) -> u64 {
    if unit <= 0 {
        return NEVER;
    }
    u64::try_from(fixed.max(0) / unit).unwrap_or(0) + 1
}

fn curve(max_n: u64, cost: impl Fn(u64) -> (i64, i64)) -> Vec<(u64, i64, i64)> {
    let steps = 20u64;
    let max_n = max_n.max(1);
    let step = max_n.div_ceil(steps).max(1);
    let mut out = Vec::new();
    let mut n = 0;
    while n <= max_n {
        let (a, b) = cost(n);
        out.push((n, a, b));
        n += step;
    }
    if out.last().map(|p| p.0) != Some(max_n) {
        let (a, b) = cost(max_n);
        out.push((max_n, a, b));
    }
    out
}

fn mul(n: u64, p: i64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX).saturating_mul(p)
}

/// Where a curve ends: past the threshold and the current count (threshold [`NEVER`]).
fn span(current: u64, t: u64) -> u64 {
    if t == NEVER {
        current.max(10).saturating_mul(2)
    } else {
        current.max(t.saturating_mul(3) / 2)
    }
}

/// "from n external users on" for a connector break-even's sentence.
fn from_external(t: u64) -> String {
    match t {
        NEVER => "for no number of external users".to_string(),
        1 => "from the first external user on".to_string(),
        t => format!("from {} external users on", thousands(t)),
    }
}

/// A threshold for sentences.
fn at(t: u64) -> String {
    if t == NEVER {
        "never".into()
    } else {
        thousands(t)
    }
}

/// The pointer a product's "no External Connector" reason ends with, which the note on a
/// missing break-even leaves out.
pub(super) const SEE_EC_BREAKEVEN: &str = "; the External Connector break-even shows the threshold";

/// How the break-even panel's External Connector charts count connectors, from the reading the
/// report was computed under (why review 24: the panel said "per physical host" under the per-VM
/// reading, a fixed string).
pub fn ec_breakeven_scope_note(r: &Report) -> &'static str {
    match r.external_connector_scope {
        crate::estate::ExternalConnectorScope::PerPhysicalHost => "For an External Connector: per physical host (one covers every VM on it), against User CALs for the external users who reach it.",
        crate::estate::ExternalConnectorScope::PerVm => "For an External Connector: per VM, under the per-VM reading chosen for this estate (one per server instance, not per physical host), against User CALs for the external users who reach it.",
    }
}

/// Why a report shows no External Connector break-even, for the break-even panel (`None` when it
/// shows one): no external users reach a host, or, for each product they reach, the reason its
/// card gives for buying no External Connector (ELP review 22: the panel said no external users
/// reached a host while 80 partners did, all holding RDS User CALs that need a Windows Server
/// User CAL anyway).
pub fn no_ec_breakeven_note(r: &Report) -> Option<String> {
    if r.breakevens
        .iter()
        .any(|b| b.kind == BreakEvenKind::EcVsCal && b.curve.len() >= 2)
    {
        return None;
    }
    let reasons: Vec<String> = r
        .products
        .iter()
        .filter(|p| p.external_people.value > 0)
        .map(|p| {
            // It says why there is none: no pointer to it (review 22: "… the External
            // Connector break-even shows the threshold" under "There is no … break-even").
            let why = p.external_connectors.why.text.as_str();
            let why = why.strip_suffix(SEE_EC_BREAKEVEN).unwrap_or(why);
            // Its first letter is ASCII (the sentence starts with an English word or a quote):
            // no Unicode case table in the app module for it.
            let mut why = why.to_string();
            if let Some(first) = why.get_mut(..1) {
                first.make_ascii_uppercase();
            }
            format!("{}: {why}.", catalog::short_name(p.product))
        })
        .collect();
    Some(if reasons.is_empty() {
        "No external users reach a host, so there is no External Connector break-even.".into()
    } else {
        format!(
            "There is no External Connector break-even. {}",
            reasons.join(" ")
        )
    })
}
