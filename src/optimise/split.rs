//! Owned licences that run out inside a class (cal-rules.md §1.3, §5).
//!
//! The cut model makes one decision per class of identical people or devices. With owned
//! licences that is sometimes not enough: two shift workers with a terminal each, one owned Core
//! CAL Suite (device) and Enterprise device suites cheaper than a second Core one are best
//! licensed as one terminal on the owned suite and one on a bought Enterprise suite, which no
//! licensing of the class as a whole does. The Lagrangian bound is not affected (at the prices
//! the multipliers set, every member of a class makes the same best choice), so such an answer
//! shows up as `exact: false` with a gap.
//!
//! When the class-level answer is not proven, this module tries, for each owned licence and each
//! class that can use it, to give part of the class that licence outright: the part becomes a
//! class of its own that no longer needs what the licence covers, the owned quantity drops by
//! what it takes, and the rest is solved as before. Every such licensing is a real one (the same
//! cost, the owned licences used as stated), so the answer only ever gets cheaper, and it is
//! called exact when it meets the bound. A base product and its additive one (Exchange, SharePoint
//! or Skype Standard and Enterprise; Windows Server and AD RMS) are given as a pair only, the base
//! CAL and the additive CAL of one kind to the same people or devices, so the same-kind rule of
//! §1.11 holds (exactness review 23: 2 staff owning one Exchange Standard and Enterprise User CAL
//! pair were bought a second pair at $252 where Device CALs for the other's device cost $200).
//! Owned additive User CALs beyond the owned base ones go alone, to people who must then hold
//! the base product's User CAL (bought, or in a suite; `ProductInstance::user_only`); a base
//! product's own CALs go alone to people, or shared devices, that reach none of its additive
//! products, and to internal people who reach them as the base beneath additive CALs bought for
//! them: User CALs (their own devices then need the base Device CAL only beneath an additive
//! Device CAL, as for people whose base access Microsoft 365 licenses), Device CALs for the own
//! devices of people whose base access Microsoft 365 licenses, or Device CALs for the one device
//! of people who reach both products from it alone, which then takes the additive Device CAL.
//! Those go to people's own devices only, never to shared ones.
//! RD Session Hosts are left out (a host's mode decides its CALs' kind), as are larger instances,
//! where each try would be a whole solve.

use super::solve::solve_classes;
use super::{model, Effort, Instance, LicenceKind, Options, Solution, SuiteSolution};

/// Tries at most this many pre-assignments.
const MAX_TRIES: usize = 16;
/// Only instances with at most this many access links and classes are tried.
const MAX_SIZE: usize = 400;

/// Who takes an owned licence outright.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Taker {
    /// `k` members of a person class.
    Person(usize),
    /// `k` devices of a shared device class.
    Device(usize),
}

/// Which owned licence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Licence {
    /// User CALs of product instance `k`.
    UserCal(usize),
    /// Device CALs of product instance `k` (for a person class: its own devices).
    DeviceCal(usize),
    /// User suites of offer `j`.
    UserSuite(usize),
    /// Device suites of offer `j` (for a person class: its own devices).
    DeviceSuite(usize),
    /// User CALs of base product instance `.0` and of its additive product instance `.1`,
    /// together: an additive CAL needs the base CAL of the same kind for the same subject
    /// (§1.11), so a pair given outright keeps that rule.
    UserPair(usize, usize),
    /// Device CALs of a base product instance and its additive one, together (for a person
    /// class: its own devices).
    DevicePair(usize, usize),
    /// User CALs of additive product instance `.1` alone, beyond the owned base User CALs: the
    /// takers must then hold a User CAL of base product instance `.0` (bought, owned or in a
    /// suite), as the additive one needs it beneath it for the same person (§1.11).
    UserAdditive(usize, usize),
    /// User CALs of base product instance `k`, to people who also reach its additive products:
    /// their base access is then licensed as Microsoft 365 seats license it, and their own
    /// devices need `k`'s Device CAL only beneath an additive Device CAL
    /// (`ProductInstance::base_only_own`), while an additive User CAL has its base (review 46's
    /// random estates: 4 owned Windows Server User CALs beneath AD RMS User CALs for part of a
    /// class whose RDS Device CALs need Windows Server Device CALs, $36 less).
    UserBase(usize),
    /// Device CALs of base product instance `k`, for the own devices of people whose base
    /// access Microsoft 365 licenses (`base_only_own`): the base beneath additive Device CALs
    /// there (review 46's random estates: 3 owned Windows Server Device CALs beneath AD RMS
    /// Device CALs for half of a seated class, the rest on AD RMS User CALs, $45 less).
    DeviceBase(usize),
    /// Device CALs of base product instance `.0` for the own devices of people who reach it and
    /// its additive product instance `.1` from those devices alone: the devices take `.1`'s
    /// Device CAL (bought or owned) with the owned base beneath it (§1.11, same device), as
    /// unattended devices do, and the people need neither product's User CAL (review 46's random
    /// estates: 4 owned Exchange Standard Device CALs beneath Enterprise Device CALs bought for
    /// part of a class, the rest of it on Enterprise CAL Suites, $76.80 less).
    DeviceBeneath(usize, usize),
}

impl Licence {
    /// A licence held by the person (User CALs, user suites), not by a device.
    fn user_side(self) -> bool {
        matches!(
            self,
            Licence::UserCal(_)
                | Licence::UserSuite(_)
                | Licence::UserPair(..)
                | Licence::UserAdditive(..)
                | Licence::UserBase(_)
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Give {
    licence: Licence,
    taker: Taker,
    /// Members (or devices) of the class that take it.
    k: u32,
}

/// A cheaper licensing in which part of a class takes an owned licence, or `found` as it is.
pub(crate) fn improve(
    inst: &Instance,
    opts: &Options,
    found: Solution,
    cuts: &std::cell::Cell<usize>,
) -> Solution {
    let size = model::access_links(inst) + inst.people.len() + inst.devices.len();
    if size > MAX_SIZE {
        return found;
    }
    let mut best = found;
    for give in candidates(inst, opts).into_iter().take(MAX_TRIES) {
        // Each try is a whole solve, its Lagrangian bounded on its own: they stop with the
        // evaluation's budget of cuts.
        if best.cost_minor <= best.lower_bound_minor || cuts.get() == 0 {
            break;
        }
        let Some(rest) = without(inst, give) else {
            continue;
        };
        let Ok(s) = solve_classes(&rest, opts, Effort::Full, cuts) else {
            continue;
        };
        if s.cost_minor < best.cost_minor {
            let bound = best.lower_bound_minor;
            best = merge(inst, s, give);
            best.lower_bound_minor = bound.min(best.cost_minor);
            best.exact = best.lower_bound_minor == best.cost_minor;
        }
    }
    best
}

/// Products a CAL can be given for outright: no additive relation, no RD Session Host.
fn plain(inst: &Instance, k: usize) -> bool {
    let pr = &inst.products[k];
    pr.base.is_none()
        && pr.rds_hosts.is_empty()
        && !inst.products.iter().any(|q| q.base == Some(pr.product))
}

/// Whether base product instance `k`'s CALs can be given outright alone, to takers who reach
/// none of its additive products ([`reaches_additive`]): no base of its own, no RD Session Host,
/// nor on any of its additive products'.
fn base_alone(inst: &Instance, k: usize) -> bool {
    let pr = &inst.products[k];
    pr.base.is_none()
        && pr.rds_hosts.is_empty()
        && (inst.products.iter())
            .filter(|q| q.base == Some(pr.product))
            .all(|q| q.rds_hosts.is_empty())
}

/// Whether person class `p` reaches an additive product of product instance `k`: an owned CAL
/// of `k` given to them alone could leave an additive User CAL of theirs without its base User
/// CAL, or an additive Device CAL without the base Device CAL on the same device (§1.11).
fn reaches_additive(inst: &Instance, k: usize, p: usize) -> bool {
    let product = inst.products[k].product;
    (inst.products.iter()).any(|q| q.base == Some(product) && q.reaches_person(p))
}

/// Whether additive product instance `a` and its base `b` can be given outright as a pair: the
/// base's only additive product, neither on an RD Session Host (a host's mode decides its RDS
/// CALs' kind), and the base no additive of another.
fn pairable(inst: &Instance, b: usize, a: usize) -> bool {
    let (base, add) = (&inst.products[b], &inst.products[a]);
    add.base == Some(base.product)
        && base.base.is_none()
        && base.rds_hosts.is_empty()
        && add.rds_hosts.is_empty()
        && inst
            .products
            .iter()
            .enumerate()
            .all(|(q, pr)| q == a || pr.base != Some(base.product))
}

/// Product instances a licence covers, when every one of them is plain (or, for a pair, the
/// two are [`pairable`]).
fn covered(inst: &Instance, licence: Licence) -> Option<Vec<usize>> {
    if let Licence::UserPair(b, a) | Licence::DevicePair(b, a) | Licence::DeviceBeneath(b, a) =
        licence
    {
        return pairable(inst, b, a).then(|| vec![b, a]);
    }
    if let Licence::UserAdditive(b, a) = licence {
        return pairable(inst, b, a).then(|| vec![a]);
    }
    if let Licence::UserBase(b) | Licence::DeviceBase(b) = licence {
        let base = &inst.products[b];
        return (base.base.is_none() && base.rds_hosts.is_empty()).then(|| vec![b]);
    }
    let ks: Vec<usize> = match licence {
        // A base product's alone, to those who reach none of its additive ones (`candidates`).
        Licence::UserCal(k) | Licence::DeviceCal(k) if base_alone(inst, k) => return Some(vec![k]),
        Licence::UserCal(k) | Licence::DeviceCal(k) => vec![k],
        Licence::UserSuite(j) | Licence::DeviceSuite(j) => (0..inst.products.len())
            .filter(|&k| inst.suites[j].covers.contains(&inst.products[k].product))
            .collect(),
        Licence::UserPair(..)
        | Licence::DevicePair(..)
        | Licence::UserAdditive(..)
        | Licence::UserBase(_)
        | Licence::DeviceBase(_)
        | Licence::DeviceBeneath(..) => Vec::new(),
    };
    (!ks.is_empty() && ks.iter().all(|&k| plain(inst, k))).then_some(ks)
}

/// Owned quantities, the classes that could take them, and where the quantity would run out.
fn candidates(inst: &Instance, opts: &Options) -> Vec<Give> {
    // Only kinds the model may use at all: a kind with no price, or not allowed, is not used
    // even where some are owned (the same reading as the cut model's).
    let tariff = model::Tariff::from_instance(inst, opts);
    let mut owned: Vec<(Licence, u64)> = Vec::new();
    for (k, p) in inst.products.iter().enumerate() {
        let [u, d, _] = tariff.products[k];
        if u.is_some() {
            owned.push((Licence::UserCal(k), p.owned.user_cals));
        }
        if d.is_some() {
            owned.push((Licence::DeviceCal(k), p.owned.device_cals));
        }
    }
    // Pairs of a base and its additive product: the fewer owned of the two.
    for (a, add) in inst.products.iter().enumerate() {
        let Some(b) = add
            .base
            .and_then(|base| inst.products.iter().position(|p| p.product == base))
        else {
            continue;
        };
        let ([bu, bd, _], [au, ad, _]) = (tariff.products[b], tariff.products[a]);
        let base = &inst.products[b].owned;
        if bu.is_some() && au.is_some() {
            owned.push((
                Licence::UserPair(b, a),
                base.user_cals.min(add.owned.user_cals),
            ));
            // Those beyond the owned base CALs, whose takers buy the base beneath them (review
            // 46's random estates: 4 owned Exchange Enterprise User CALs and no Standard ones
            // served one person, $1,344.00 where Core CAL Suites beneath them for three more
            // cost $1,200.00).
            owned.push((
                Licence::UserAdditive(b, a),
                add.owned.user_cals.saturating_sub(base.user_cals),
            ));
        }
        if bd.is_some() && ad.is_some() {
            owned.push((
                Licence::DevicePair(b, a),
                base.device_cals.min(add.owned.device_cals),
            ));
            owned.push((Licence::DeviceBeneath(b, a), base.device_cals));
        }
    }
    for (j, s) in inst.suites.iter().enumerate() {
        let [u, d] = tariff.suites[j];
        if u.is_some() {
            owned.push((Licence::UserSuite(j), s.owned_user));
        }
        if d.is_some() {
            owned.push((Licence::DeviceSuite(j), s.owned_device));
        }
    }
    // A base product's CALs beneath additive ones bought for part of a class.
    for (b, base) in inst.products.iter().enumerate() {
        if !(inst.products.iter()).any(|q| q.base == Some(base.product)) {
            continue;
        }
        let [u, d, _] = tariff.products[b];
        if u.is_some() {
            owned.push((Licence::UserBase(b), base.owned.user_cals));
        }
        if d.is_some() {
            owned.push((Licence::DeviceBase(b), base.owned.device_cals));
        }
    }
    let mut out = Vec::new();
    for (licence, q) in owned {
        if q == 0 {
            continue;
        }
        let Some(ks) = covered(inst, licence) else {
            continue;
        };
        let user_side = licence.user_side();
        // A pair goes to those who need its additive product (and so its base).
        let ks = match licence {
            Licence::UserPair(_, a) | Licence::DevicePair(_, a) | Licence::DeviceBeneath(_, a) => {
                vec![a]
            }
            _ => ks,
        };
        let mut takers: Vec<(Taker, u32, u64)> = Vec::new();
        for (p, c) in inst.people.iter().enumerate() {
            let uses = match licence {
                // Their own devices carry the base only beneath an additive Device CAL.
                Licence::DeviceBase(b) => inst.products[b].base_only_own.contains(&p),
                _ => ks.iter().any(|&k| {
                    let pr = &inst.products[k];
                    if user_side {
                        pr.people.contains(&p)
                            || pr.person_device.iter().any(|e| e.0 == p)
                            || pr.person_host.iter().any(|e| e.0 == p)
                    } else {
                        pr.people.contains(&p)
                    }
                }),
            };
            let free =
                !(user_side && matches!(licence, Licence::UserSuite(_)) && c.held_suite.is_some());
            // A device pair takes the part's own-device need of both products away. Where the
            // additive one is also reached from shared devices or a host and the base is not,
            // the part would then need the additive alone there, and an additive User CAL of
            // theirs would have no base beneath it, as the model reads a base no longer needed
            // as one held another way (a Microsoft 365 seat, a held suite): such a part is not
            // split off (CI's property test, seed 11744716430740679702: one Enterprise Suite
            // and an Enterprise User CAL without a Standard one, 70 against 110).
            let alike = match licence {
                Licence::DevicePair(b, a) => {
                    let (base, add) = (&inst.products[b], &inst.products[a]);
                    add.person_device
                        .iter()
                        .filter(|e| e.0 == p)
                        .all(|e| base.person_device.contains(e))
                        && add
                            .person_host
                            .iter()
                            .filter(|e| e.0 == p)
                            .all(|e| base.person_host.contains(e))
                }
                // Devices that take the additive product's Device CAL: the people reach both
                // products from one device of their own and nowhere else (no User CAL of either
                // is left to them, so none of the additive's lacks its base).
                Licence::DeviceBeneath(b, a) => {
                    !c.external
                        && c.held_suite.is_none()
                        && model::own_devices(inst, p) == 1
                        && [b, a].iter().all(|&q| {
                            let pr = &inst.products[q];
                            pr.people.contains(&p)
                                && !pr.person_device.iter().any(|e| e.0 == p)
                                && !pr.person_host.iter().any(|e| e.0 == p)
                        })
                }
                _ => true,
            };
            // A base product's CAL alone goes to those who reach none of its additive ones; one
            // beneath additive ones bought for them, to internal people who reach them.
            let apart = match licence {
                Licence::UserCal(k) | Licence::DeviceCal(k) => !reaches_additive(inst, k, p),
                Licence::UserBase(k) | Licence::DeviceBase(k) => {
                    !c.external && reaches_additive(inst, k, p)
                }
                _ => true,
            };
            if uses && free && alike && apart && c.multiplicity >= 2 {
                let per = if user_side {
                    1
                } else {
                    model::own_devices(inst, p)
                };
                takers.push((Taker::Person(p), c.multiplicity, per));
            }
        }
        // Those two go to people's own devices only.
        if !user_side && !matches!(licence, Licence::DeviceBase(_) | Licence::DeviceBeneath(..)) {
            for (v, d) in inst.devices.iter().enumerate() {
                let uses = ks.iter().any(|&k| {
                    let pr = &inst.products[k];
                    pr.person_device.iter().any(|e| e.1 == v) || pr.unattended_devices.contains(&v)
                });
                // A base product's Device CAL alone goes to devices that reach none of its
                // additive products: a user of the device who held an additive User CAL would
                // otherwise need the base User CAL the cut no longer asks of them there.
                let apart = match licence {
                    Licence::DeviceCal(k) => {
                        let product = inst.products[k].product;
                        !(inst.products.iter())
                            .any(|q| q.base == Some(product) && q.reaches_device(v))
                    }
                    _ => true,
                };
                if uses && apart && d.multiplicity >= 2 {
                    takers.push((Taker::Device(v), d.multiplicity, 1));
                }
            }
        }
        for (taker, m, per) in takers {
            // The owned quantity in members of this class; it runs out inside the class when it
            // is smaller than the class, or after whole copies of it.
            let units = q / per;
            let mut ks: Vec<u32> = Vec::new();
            for k in [units.min(u64::from(m) - 1), units % u64::from(m)] {
                let k = k as u32;
                if k > 0 && k < m && !ks.contains(&k) {
                    ks.push(k);
                }
            }
            out.extend(ks.into_iter().map(|k| Give { licence, taker, k }));
        }
    }
    out
}

/// The instance in which `give.k` members of the class hold the owned licence: they become a
/// class of their own (appended) without the access the licence covers, and the owned quantity
/// drops by what they take. `None` when the licence does not have that many left.
fn without(inst: &Instance, give: Give) -> Option<Instance> {
    let ks = covered(inst, give.licence)?;
    let mut out = inst.clone();
    let k = give.k;
    match give.taker {
        Taker::Person(from) => {
            let twin = out.people.len();
            let mut class = out.people[from].clone();
            class.multiplicity = k;
            out.people[from].multiplicity -= k;
            out.people.push(class);
            let user_side = give.licence.user_side();
            for (i, pr) in out.products.iter_mut().enumerate() {
                // The twin reaches what its class reaches, except what the licence it holds
                // covers: everything in that product for a user licence, its own devices for a
                // device licence.
                let holds = ks.contains(&i);
                if !holds {
                    copy_member(&mut pr.people, from, twin);
                    copy_member(&mut pr.base_only_own, from, twin);
                }
                copy_member(&mut pr.user_only, from, twin);
                if !(holds && user_side) {
                    copy_pairs(&mut pr.person_device, from, twin, true);
                    copy_pairs(&mut pr.person_host, from, twin, true);
                }
                for r in &mut pr.rds_hosts {
                    copy_member(&mut r.people, from, twin);
                    copy_pairs(&mut r.person_device, from, twin, true);
                    copy_member(&mut r.external_people, from, twin);
                }
            }
            // The base User CAL beneath an additive one held outright.
            if let Licence::UserAdditive(b, _) = give.licence {
                out.products[b].user_only.push(twin);
            }
            // With the base User CAL held, the own devices need the base Device CAL only beneath
            // an additive Device CAL.
            if let Licence::UserBase(b) = give.licence {
                out.products[b].base_only_own.push(twin);
            }
            // Their devices (one each), with the base held, take the additive Device CAL.
            if let Licence::DeviceBeneath(_, a) = give.licence {
                let devices = out.devices.len();
                out.devices.push(super::DeviceClass {
                    label: format!("{} (own devices)", out.people[twin].label),
                    multiplicity: k,
                });
                out.products[a].unattended_devices.push(devices);
            }
            let per = if user_side {
                1
            } else {
                model::own_devices(inst, from)
            };
            spend(&mut out, give.licence, u64::from(k) * per)?;
        }
        Taker::Device(from) => {
            let twin = out.devices.len();
            let mut class = out.devices[from].clone();
            class.multiplicity = k;
            out.devices[from].multiplicity -= k;
            out.devices.push(class);
            for (i, pr) in out.products.iter_mut().enumerate() {
                if ks.contains(&i) {
                    continue; // licensed by the device licence it holds
                }
                copy_pairs(&mut pr.person_device, from, twin, false);
                copy_member(&mut pr.unattended_devices, from, twin);
                copy_member(&mut pr.base_only_devices, from, twin);
                for r in &mut pr.rds_hosts {
                    copy_pairs(&mut r.person_device, from, twin, false);
                }
            }
            spend(&mut out, give.licence, u64::from(k))?;
        }
    }
    Some(out)
}

/// Adds `twin` to a list of classes that holds `from`.
fn copy_member(list: &mut Vec<usize>, from: usize, twin: usize) {
    if list.contains(&from) {
        list.push(twin);
    }
}

/// Copies every pair with `from` on the person side (`first`) or the other side to `twin`.
fn copy_pairs(pairs: &mut Vec<(usize, usize)>, from: usize, twin: usize, first: bool) {
    let extra: Vec<(usize, usize)> = pairs
        .iter()
        .filter_map(|&(a, b)| match first {
            true if a == from => Some((twin, b)),
            false if b == from => Some((a, twin)),
            _ => None,
        })
        .collect();
    pairs.extend(extra);
}

/// Lowers an owned quantity by `n` (each of a pair's two); `None` when fewer are owned.
fn spend(inst: &mut Instance, licence: Licence, n: u64) -> Option<()> {
    match licence {
        Licence::UserPair(b, a) => {
            spend(inst, Licence::UserCal(b), n)?;
            return spend(inst, Licence::UserCal(a), n);
        }
        Licence::DevicePair(b, a) => {
            spend(inst, Licence::DeviceCal(b), n)?;
            return spend(inst, Licence::DeviceCal(a), n);
        }
        Licence::UserAdditive(_, a) => return spend(inst, Licence::UserCal(a), n),
        Licence::UserBase(b) => return spend(inst, Licence::UserCal(b), n),
        Licence::DeviceBase(b) | Licence::DeviceBeneath(b, _) => {
            return spend(inst, Licence::DeviceCal(b), n)
        }
        _ => {}
    }
    let q = match licence {
        Licence::UserCal(k) => &mut inst.products[k].owned.user_cals,
        Licence::DeviceCal(k) => &mut inst.products[k].owned.device_cals,
        Licence::UserSuite(j) => &mut inst.suites[j].owned_user,
        Licence::DeviceSuite(j) => &mut inst.suites[j].owned_device,
        Licence::UserPair(..)
        | Licence::DevicePair(..)
        | Licence::UserAdditive(..)
        | Licence::UserBase(_)
        | Licence::DeviceBase(_)
        | Licence::DeviceBeneath(..) => return None,
    };
    *q = q.checked_sub(n)?;
    Some(())
}

/// The licensing of the reduced instance on the original classes: the twin's figures go back to
/// its class, and what it took outright is added to the counts (owned, so nothing more is bought).
fn merge(inst: &Instance, mut s: Solution, give: Give) -> Solution {
    let ks = covered(inst, give.licence).unwrap_or_default();
    let k = give.k;
    for (i, p) in s.products.iter_mut().enumerate() {
        let holds = ks.contains(&i);
        match give.taker {
            Taker::Person(from) => {
                let per = model::own_devices(inst, from);
                fold(&mut p.user_cals_per_class, from, inst.people.len());
                fold(&mut p.own_device_cals_per_class, from, inst.people.len());
                // A device class added for the twin's devices (`Licence::DeviceBeneath`) is
                // read into the twin's class below and dropped.
                let beneath =
                    (p.device_cals_per_class.get(inst.devices.len()).copied()).unwrap_or(0);
                p.device_cals_per_class.truncate(inst.devices.len());
                if holds {
                    match give.licence {
                        Licence::UserCal(_)
                        | Licence::UserPair(..)
                        | Licence::UserAdditive(..)
                        | Licence::UserBase(_) => {
                            add(&mut p.user_cals_per_class, from, k);
                            p.user_cals += u64::from(k);
                        }
                        // The additive's Device CALs, on the devices' class, go back to the
                        // people's own devices (one each); the base's are held.
                        Licence::DeviceBeneath(_, a) if i == a => {
                            add(&mut p.own_device_cals_per_class, from, beneath)
                        }
                        Licence::DeviceCal(_)
                        | Licence::DevicePair(..)
                        | Licence::DeviceBase(_)
                        | Licence::DeviceBeneath(..) => {
                            add(&mut p.own_device_cals_per_class, from, k);
                            p.device_cals += u64::from(k) * per;
                        }
                        Licence::UserSuite(_) | Licence::DeviceSuite(_) => {}
                    }
                }
            }
            Taker::Device(from) => {
                fold(&mut p.device_cals_per_class, from, inst.devices.len());
                let device_cal = match give.licence {
                    Licence::DeviceCal(d) => d == i,
                    Licence::DevicePair(..) => true,
                    _ => false,
                };
                if holds && device_cal {
                    add(&mut p.device_cals_per_class, from, k);
                    p.device_cals += u64::from(k);
                }
            }
        }
    }
    let suite = |j: usize, kind: LicenceKind, n: u64, s: &mut Solution| {
        let offer = &inst.suites[j];
        match s
            .suites
            .iter_mut()
            .find(|x| x.suite == offer.suite && x.kind == kind)
        {
            Some(x) => x.count += n,
            None => s.suites.push(SuiteSolution {
                suite: offer.suite,
                kind,
                count: n,
                buy: 0,
                cost_minor: 0,
            }),
        }
    };
    match (give.licence, give.taker) {
        (Licence::UserSuite(j), _) => suite(j, LicenceKind::UserCal, u64::from(k), &mut s),
        (Licence::DeviceSuite(j), Taker::Person(from)) => suite(
            j,
            LicenceKind::DeviceCal,
            u64::from(k) * model::own_devices(inst, from),
            &mut s,
        ),
        (Licence::DeviceSuite(j), Taker::Device(_)) => {
            suite(j, LicenceKind::DeviceCal, u64::from(k), &mut s)
        }
        _ => {}
    }
    s
}

/// Adds the twin's entries (past `len`) to its class `from` and drops them.
fn fold(v: &mut Vec<u32>, from: usize, len: usize) {
    if v.len() > len {
        let twin: u32 = v.split_off(len).iter().sum();
        add(v, from, twin);
    }
}

fn add(v: &mut [u32], i: usize, n: u32) {
    if let Some(x) = v.get_mut(i) {
        *x += n;
    }
}
