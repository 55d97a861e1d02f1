//! Who reaches which SQL Servers, read from the estate once per evaluation.
//!
//! The SQL findings and break-evens weigh, for every SQL Server, the people and unattended devices
//! that reach some set of servers (the Server+CAL ones without it, with it, those of a version or
//! newer). Each such count read every access rule, usage link and pool by server id, so an
//! estate of 10,000 servers (2,000 of them SQL Servers) took 53 s, almost all of it comparing ids.
//! [`SqlReach`] gives servers, groups, people and devices dense indices once; a count is then a
//! pass over those indices.

use super::pool_needs_own_sql_cal;
use crate::catalog;
use crate::estate::{CalProduct, Estate, PersonKind, ServerProduct, SqlLicensing};
use crate::position::thousands;
use crate::rules::{self, Demand};

/// Distinct ids, sorted: an id's index is its position.
struct Ids<'a>(Vec<&'a str>);

impl<'a> Ids<'a> {
    fn new(mut v: Vec<&'a str>) -> Self {
        v.sort_unstable();
        v.dedup();
        Ids(v)
    }

    fn get(&self, id: &str) -> Option<u32> {
        self.0.binary_search(&id).ok().map(|i| i as u32)
    }

    fn len(&self) -> usize {
        self.0.len()
    }
}

fn extend<'a>(names: &mut Vec<&'a str>, more: &'a [String]) {
    for n in more {
        names.push(n);
    }
}

/// The indices of `names` among `ids`, less those not there.
fn indices(ids: &Ids, names: &[String]) -> Vec<u32> {
    let mut v = Vec::with_capacity(names.len());
    for n in names {
        if let Some(i) = ids.get(n) {
            v.push(i);
        }
    }
    v
}

/// The sum of the figures of the marked items, each given as (item, figure).
fn sum_marked(items: &[(u32, u64)], marks: &Marks) -> u64 {
    items
        .iter()
        .filter(|&&(i, _)| marks.has(i))
        .fold(0u64, |a, &(_, n)| a.saturating_add(n))
}

/// The items of `0..n` that `links` (server, item) join to a server of `set`.
fn linked(n: usize, links: &[(u32, u32)], set: &Marks) -> Marks {
    let mut marks = Marks::new(n);
    for &(s, i) in links {
        if set.has(s) {
            marks.mark(i);
        }
    }
    marks
}

/// Marks over `0..n`, and how many are marked.
struct Marks {
    marked: Vec<bool>,
    count: u64,
}

impl Marks {
    fn new(n: usize) -> Self {
        Marks {
            marked: vec![false; n],
            count: 0,
        }
    }

    fn mark(&mut self, i: u32) {
        let m = &mut self.marked[i as usize];
        if !*m {
            *m = true;
            self.count += 1;
        }
    }

    fn has(&self, i: u32) -> bool {
        self.marked[i as usize]
    }
}

/// The estate's SQL reach by index. Every server id the estate names is indexed (its servers',
/// access rules', usage links' and pools'), so any of its servers can be asked about.
pub(crate) struct SqlReach<'a> {
    servers: Ids<'a>,
    /// By server index: the SQL rank of the first estate server with that id (0 for none), and
    /// whether that server is licensed Server+CAL.
    rank: Vec<u8>,
    server_cal_first: Vec<bool>,
    /// The Server+CAL SQL Servers, in the estate's order.
    server_cal: Vec<u32>,
    /// Access rules that are not manual transfer only: their servers and groups.
    rules: Vec<(Vec<u32>, Vec<u32>)>,
    /// Group ids the rules name (others are never reached).
    groups: usize,
    /// The estate's groups a rule names, other than anonymous visitors: group index, count.
    group_counts: Vec<(u32, u64)>,
    /// Usage links with a person: server, person.
    person_links: Vec<(u32, u32)>,
    persons: usize,
    /// Usage people whose id a link names and whose group a rule names: person, group.
    listed: Vec<(u32, u32)>,
    /// Usage links of unattended devices (no person, a device): server, device.
    device_links: Vec<(u32, u32)>,
    devices: usize,
    /// Pools that need SQL CALs of their own: their servers and device count.
    pools: Vec<(Vec<u32>, u64)>,
    /// With a SQL Server demand: the administrators the exemption may leave without a SQL CAL
    /// (group, people), and how many the exemption covers.
    admins: Option<(Vec<(u32, u64)>, u64)>,
    /// Owned SQL CALs by effective generation ([`super::sql_owned_ranks`]).
    owned: Vec<(u8, u64)>,
}

impl<'a> SqlReach<'a> {
    // Written as loops over the estate's lists rather than iterator chains: each chain is code
    // of its own in the app's module, and this runs once per evaluation.
    pub(crate) fn new(estate: &'a Estate, demand: &Demand) -> Self {
        let usage = estate.usage.as_ref();
        let links = usage.map_or(&[][..], |u| u.links.as_slice());
        let live: Vec<&crate::estate::Access> = estate
            .access
            .iter()
            .filter(|a| !a.manual_transfer_only)
            .collect();
        let mut names: Vec<&str> = Vec::new();
        for s in &estate.servers {
            names.push(&s.id);
        }
        for a in &estate.access {
            extend(&mut names, &a.servers);
        }
        for l in links {
            names.push(&l.server);
        }
        for d in &estate.shared_devices {
            extend(&mut names, &d.accesses);
        }
        let servers = Ids::new(names);
        let mut rank = vec![0u8; servers.len()];
        let mut server_cal_first = vec![false; servers.len()];
        let mut seen = vec![false; servers.len()];
        let mut server_cal = Vec::new();
        for s in &estate.servers {
            let Some(i) = servers.get(&s.id) else {
                continue;
            };
            let is_server_cal = s.product == ServerProduct::SqlServer
                && rules::sql_licensing(s) == SqlLicensing::ServerCal;
            if !std::mem::replace(&mut seen[i as usize], true) {
                rank[i as usize] = rules::rank_of(catalog::Family::SqlServer, &s.version);
                server_cal_first[i as usize] = is_server_cal;
            }
            if is_server_cal {
                server_cal.push(i);
            }
        }
        let mut names = Vec::new();
        for a in &live {
            extend(&mut names, &a.groups);
        }
        let group_ids = Ids::new(names);
        let mut rules = Vec::new();
        for a in &live {
            rules.push((
                indices(&servers, &a.servers),
                indices(&group_ids, &a.groups),
            ));
        }
        let mut group_counts = Vec::new();
        for g in &estate.groups {
            if let Some(i) = group_ids.get(&g.id) {
                if g.kind != PersonKind::AnonymousVisitor {
                    group_counts.push((i, u64::from(g.count)));
                }
            }
        }
        let (mut people, mut devices) = (Vec::new(), Vec::new());
        for l in links {
            if !l.person.is_empty() {
                people.push(l.person.as_str());
            } else if !l.device.is_empty() {
                devices.push(l.device.as_str());
            }
        }
        let (person_ids, device_ids) = (Ids::new(people), Ids::new(devices));
        let (mut person_links, mut device_links) = (Vec::new(), Vec::new());
        for l in links {
            let (Some(s), unattended) = (servers.get(&l.server), l.person.is_empty()) else {
                continue;
            };
            let (ids, link_ids, id) = if unattended {
                (&device_ids, &mut device_links, &l.device)
            } else {
                (&person_ids, &mut person_links, &l.person)
            };
            if let Some(i) = ids.get(id) {
                link_ids.push((s, i));
            }
        }
        let mut listed = Vec::new();
        for p in usage.map_or(&[][..], |u| u.people.as_slice()) {
            if let (Some(p), Some(g)) = (person_ids.get(&p.id), group_ids.get(&p.group)) {
                listed.push((p, g));
            }
        }
        let mut pools = Vec::new();
        for (i, d) in estate.shared_devices.iter().enumerate() {
            if pool_needs_own_sql_cal(estate, demand, i) {
                pools.push((indices(&servers, &d.accesses), u64::from(d.count)));
            }
        }
        let sql = demand
            .products
            .iter()
            .find(|p| p.product == CalProduct::SqlServer);
        let admins = sql.map(|pd| {
            let mut admins = Vec::new();
            for (c, ci) in demand.classes.iter().enumerate() {
                if !ci.admin_candidate || ci.from_usage || pd.person_rank.contains_key(&c) {
                    continue;
                }
                if let Some(g) = group_ids.get(&ci.group) {
                    let people = demand.instance.people.get(c).map_or(0, |p| p.multiplicity);
                    admins.push((g, u64::from(people)));
                }
            }
            (admins, pd.exempt.admin)
        });
        SqlReach {
            rank,
            server_cal_first,
            server_cal,
            rules,
            groups: group_ids.len(),
            group_counts,
            person_links,
            persons: person_ids.len(),
            listed,
            device_links,
            devices: device_ids.len(),
            pools,
            admins,
            owned: super::sql_owned_ranks(estate, demand),
            servers,
        }
    }

    /// The index of the server `id`: every id the estate names has one.
    pub(crate) fn server(&self, id: &str) -> Option<u32> {
        self.servers.get(id)
    }

    /// The indices of `ids`, less any the estate does not name (nothing reaches those).
    pub(crate) fn servers(&self, ids: &[&str]) -> Vec<u32> {
        ids.iter().filter_map(|id| self.server(id)).collect()
    }

    fn set(&self, servers: &[u32]) -> Marks {
        let mut set = Marks::new(self.servers.len());
        for &s in servers {
            set.mark(s);
        }
        set
    }

    /// The groups of the rules that reach `set`.
    fn groups_reaching(&self, set: &Marks) -> Marks {
        let mut groups = Marks::new(self.groups);
        for (servers, gs) in &self.rules {
            if servers.iter().any(|&s| set.has(s)) {
                for &g in gs {
                    groups.mark(g);
                }
            }
        }
        groups
    }

    /// People who reach any of `servers` and need a SQL CAL there (each counted once): group
    /// members and listed usage people, less the administrators the two-per-product exemption
    /// leaves without a SQL CAL (admin-only people split off a group that reaches them, whom the
    /// SQL demand does not count), as the SQL product's figures count them (QA: the per-core
    /// finding said 701 people where the product showed 699 and 2 exempt).
    pub(crate) fn users_of(&self, servers: &[u32]) -> u64 {
        let set = self.set(servers);
        self.users_in(&set)
    }

    fn users_in(&self, set: &Marks) -> u64 {
        let groups = self.groups_reaching(set);
        let in_groups = sum_marked(&self.group_counts, &groups);
        let people = linked(self.persons, &self.person_links, set);
        let listed_in_groups = self
            .listed
            .iter()
            .filter(|&&(p, g)| people.has(p) && groups.has(g))
            .count() as u64;
        let reachers = in_groups
            .saturating_sub(listed_in_groups)
            .saturating_add(people.count);
        let exempt = self.admins.as_ref().map_or(0, |(admins, exemption)| {
            sum_marked(admins, &groups).min(*exemption)
        });
        reachers.saturating_sub(exempt)
    }

    /// Unattended devices that reach any of `servers` (each counted once): pools marked
    /// unattended that need SQL CALs of their own and devices of the usage data seen with no
    /// person.
    pub(crate) fn devices_of(&self, servers: &[u32]) -> u64 {
        let set = self.set(servers);
        self.devices_in(&set)
    }

    fn devices_in(&self, set: &Marks) -> u64 {
        let pools: u64 = self
            .pools
            .iter()
            .filter(|(servers, _)| servers.iter().any(|&s| set.has(s)))
            .map(|&(_, n)| n)
            .sum();
        let seen = linked(self.devices, &self.device_links, set);
        pools.saturating_add(seen.count)
    }

    /// People and unattended devices that reach any of `servers`: each needs a SQL CAL of its
    /// own on a Server+CAL server (cal-rules §1.2, §1.16).
    pub(crate) fn clients_of(&self, servers: &[u32]) -> u64 {
        let set = self.set(servers);
        self.users_in(&set).saturating_add(self.devices_in(&set))
    }

    /// "500 people", "5 people and 40 devices": who reaches any of `servers`, in words.
    pub(crate) fn words(&self, servers: &[u32]) -> String {
        self.counted_words(servers).0
    }

    /// "1 person reaches", "500 people reach": who reaches any of `servers`, with the verb.
    pub(crate) fn words_reach(&self, servers: &[u32]) -> String {
        let (words, n) = self.counted_words(servers);
        format!("{words} {}", if n == 1 { "reaches" } else { "reach" })
    }

    /// Who reaches any of `servers` in words, and how many they are.
    fn counted_words(&self, servers: &[u32]) -> (String, u64) {
        let people = self.users_of(servers);
        let devices = self.devices_of(servers);
        let n = |k: u64, one: &str, many: &str| {
            format!("{} {}", thousands(k), if k == 1 { one } else { many })
        };
        let words = match (people, devices) {
            (p, 0) => n(p, "person", "people"),
            (0, d) => n(d, "unattended device", "unattended devices"),
            (p, d) => format!(
                "{} and {}",
                n(p, "person", "people"),
                n(d, "unattended device", "unattended devices")
            ),
        };
        (words, people.saturating_add(devices))
    }

    /// SQL CALs still to buy when `servers` are the Server+CAL SQL Servers. A person or
    /// unattended device needs a SQL CAL as new as the newest of them it reaches, and an owned
    /// CAL covers its generation and older (cal-rules §1.3, §1.16), so what is bought is the
    /// largest gap, over the generations, between those who need that one or newer and the owned
    /// CALs of that one or newer. Owned User and Device CALs are pooled (the optimiser decides
    /// who holds which); `cap` is the SQL CALs of the cheapest mix, when it licenses these
    /// servers (shared devices can license many people with few Device CALs).
    pub(crate) fn cals_to_buy(&self, servers: &[u32], cap: Option<u64>) -> u64 {
        let mut ranks: Vec<u8> = servers.iter().map(|&s| self.rank[s as usize]).collect();
        ranks.sort_unstable();
        ranks.dedup();
        ranks
            .iter()
            .map(|&r| {
                let at: Vec<u32> = servers
                    .iter()
                    .copied()
                    .filter(|&s| self.rank[s as usize] >= r)
                    .collect();
                let need = self.clients_of(&at);
                let need = cap.map_or(need, |c| need.min(c));
                let own: u64 = self
                    .owned
                    .iter()
                    .filter(|&&(o, _)| o >= r)
                    .fold(0u64, |a, &(_, q)| a.saturating_add(q));
                need.saturating_sub(own)
            })
            .max()
            .unwrap_or(0)
    }

    /// What Server+CAL costs in SQL CALs for the SQL Server `id`, beyond the CALs the other
    /// Server+CAL SQL Servers need anyway; `cals`: the SQL CALs the licensing holds. Nothing for
    /// an id the estate does not name (nothing reaches it).
    pub(crate) fn server_cals(&self, id: &str, cals: Option<u64>) -> SqlServerCals {
        let Some(server) = self.server(id) else {
            return SqlServerCals {
                shared: 0,
                cals: 0,
                older: 0,
            };
        };
        let mut others: Vec<u32> = self
            .server_cal
            .iter()
            .copied()
            .filter(|&s| s != server)
            .collect();
        let without = if others.is_empty() {
            0
        } else {
            self.clients_of(&others)
        };
        others.push(server);
        let added = self.clients_of(&others).saturating_sub(without);
        let reach = self.clients_of(&[server]);
        let is_server_cal = self.server_cal_first[server as usize];
        let needed = match cals {
            Some(c) if is_server_cal => added.min(c),
            _ => added,
        };
        // What Server+CAL here adds to the purchase, given the versions: its people may need a
        // CAL only for it (counted above) or a newer one than the owned CALs that cover them on
        // the other servers. The cheapest mix's SQL CALs bound the need only where it licenses
        // this server.
        let cap = cals.filter(|_| is_server_cal);
        let with = self.cals_to_buy(&others, cap);
        others.pop();
        let bought = with.saturating_sub(self.cals_to_buy(&others, cap));
        let older = bought
            .saturating_sub(needed)
            .min(reach.saturating_sub(added));
        SqlServerCals {
            shared: reach.saturating_sub(added),
            cals: needed.saturating_add(older),
            older,
        }
    }
}

/// What Server+CAL costs in SQL CALs for one SQL Server, beyond the CALs the other Server+CAL
/// SQL Servers need anyway (one SQL CAL covers every SQL Server): its people and unattended
/// devices that reach no other Server+CAL SQL Server. For a Server+CAL server this is what moving
/// it alone to per core would save, and no more than the SQL CALs the licensing holds (shared
/// devices can license many people with few Device CALs); for a per-core server, what moving it
/// to Server+CAL would add, at most one per person or device.
pub(crate) struct SqlServerCals {
    /// Of the people and unattended devices that reach the server, those who also reach another Server+CAL SQL Server.
    pub shared: u64,
    /// The SQL CALs Server+CAL on this server adds (Server+CAL) or would add (per core).
    pub cals: u64,
    /// Of `cals`, those bought only because the server is newer than the owned SQL CALs that
    /// cover its people on the other Server+CAL servers (review 17: 100 people reaching a 2022
    /// and a 2019 server, 130 SQL 2019 CALs owned, were counted as covered either way).
    pub older: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::estate::Date;

    /// Every part of the count on one estate, by hand: groups through rules (not manual transfer
    /// only, not anonymous visitors), usage people (once each, those listed in a group reached
    /// counted once), the two exempt administrators, unattended pools and usage devices.
    #[test]
    fn counts_who_reaches_each_set_of_servers() {
        let estate = Estate::from_json(
            r#"{
            "format_version": 1,
            "groups": [
                { "id": "staff", "count": 100 },
                { "id": "web", "count": 5000, "kind": "anonymous-visitor" },
                { "id": "ops", "count": 5, "admin_only": true },
                { "id": "moved", "count": 40 }
            ],
            "servers": [
                { "id": "q1", "product": "sql-server", "version": "2022" },
                { "id": "q2", "product": "sql-server", "version": "2019" },
                { "id": "q3", "product": "sql-server", "version": "2019", "sql_licensing": "per-core", "cores": 8 }
            ],
            "access": [
                { "groups": ["staff", "web"], "servers": ["q1"] },
                { "groups": ["ops"], "servers": ["q1", "q2", "q3"] },
                { "groups": ["moved"], "servers": ["q2"], "manual_transfer_only": true }
            ],
            "shared_devices": [
                { "id": "sensors", "count": 7, "unattended": true, "accesses": ["q2"] }
            ],
            "usage": {
                "people": [{ "id": "ann", "group": "staff" }, { "id": "zed", "group": "ops" }],
                "devices": [{ "id": "pc" }, { "id": "feed", "unattended": true }],
                "links": [
                    { "person": "ann", "device": "pc", "server": "q1" },
                    { "person": "ann", "device": "pc", "server": "q2" },
                    { "person": "bo", "device": "pc", "server": "q2" },
                    { "person": "", "device": "feed", "server": "q2" },
                    { "person": "", "device": "feed", "server": "q3" }
                ]
            }
        }"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let demand = rules::demand(&estate, Date::parse("2026-12-05").unwrap());
        let reach = SqlReach::new(&estate, &demand);
        let at = |ids: &[&str]| reach.servers(ids);
        // q1: staff's 100 (ann among them), not the visitors; ops's 5 less the 2 exempt.
        assert_eq!(reach.users_of(&at(&["q1"])), 100 + 5 - 2);
        assert_eq!(reach.devices_of(&at(&["q1"])), 0);
        // q2: ann and bo from the usage log (not "moved", whose rule is manual transfer only),
        // ops less the 2 exempt; the sensors and the feed.
        assert_eq!(reach.users_of(&at(&["q2"])), 2 + 5 - 2);
        assert_eq!(reach.devices_of(&at(&["q2"])), 7 + 1);
        assert_eq!(
            reach.words(&at(&["q2"])),
            "5 people and 8 unattended devices"
        );
        // Both: ann once; the feed once.
        assert_eq!(
            reach.clients_of(&at(&["q1", "q2"])),
            100 + 1 + 5 - 2 + 7 + 1
        );
        assert_eq!(
            reach.words(&at(&["q3"])),
            "3 people and 1 unattended device"
        );
        // An id the estate does not name reaches nothing and costs nothing.
        assert_eq!(reach.servers(&["nowhere"]), Vec::<u32>::new());
        assert_eq!(reach.server_cals("nowhere", None).cals, 0);
        // q3 is per core: Server+CAL there would add no one, as its 3 people and the feed reach
        // the Server+CAL q2 too. Of q1's 103, 99 reach no other Server+CAL server; ann and the 3
        // counted administrators reach q2.
        assert_eq!(reach.server_cals("q3", None).cals, 0);
        let q1 = reach.server_cals("q1", None);
        assert_eq!((q1.cals, q1.shared, q1.older), (99, 1 + 3, 0));
        // No SQL CAL is owned: the purchase is everyone reaching the Server+CAL servers.
        assert_eq!(
            reach.cals_to_buy(&at(&["q1", "q2"]), None),
            100 + 1 + 5 - 2 + 7 + 1
        );
        assert_eq!(reach.cals_to_buy(&at(&["q1", "q2"]), Some(50)), 50);
    }
}
