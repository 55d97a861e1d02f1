//! The optimiser: the least purchase cost that licenses every access (cal-rules.md §1.3, §1.6,
//! §1.10, §1.12, §5). Rule tests on tiny instances, then properties against a brute-force solver.

use cal_calc::estate::{CalProduct, LicenceKind, RdsMode};
use cal_calc::optimise::{
    solve, DeviceClass, HostUnit, Instance, OptimiseError, Options, Owned, PersonClass,
    ProductInstance, RdsHost, Solution, SuiteOffer, UnitPrices,
};

// ---------- helpers ----------

fn person(label: &str, multiplicity: u32, own_devices: u32) -> PersonClass {
    PersonClass {
        label: label.to_string(),
        multiplicity,
        external: false,
        own_devices,
        held_suite: None,
    }
}

fn external(label: &str, multiplicity: u32) -> PersonClass {
    PersonClass {
        external: true,
        ..person(label, multiplicity, 0)
    }
}

fn device(label: &str, multiplicity: u32) -> DeviceClass {
    DeviceClass {
        label: label.to_string(),
        multiplicity,
    }
}

fn host(label: &str) -> HostUnit {
    HostUnit {
        label: label.to_string(),
    }
}

fn prices(user: i64, device: i64, ec: Option<i64>) -> UnitPrices {
    UnitPrices {
        user_cal: Some(user),
        device_cal: Some(device),
        external_connector: ec,
    }
}

fn product(p: CalProduct, prices: UnitPrices) -> ProductInstance {
    ProductInstance {
        product: p,
        prices,
        owned: Owned::default(),
        people: vec![],
        person_device: vec![],
        person_host: vec![],
        unattended_devices: vec![],
        rds_hosts: vec![],
        base: None,
    }
}

fn ws(prices: UnitPrices) -> ProductInstance {
    product(CalProduct::WindowsServer, prices)
}

#[track_caller]
fn optimum(inst: &Instance) -> Solution {
    match solve(inst, &Options::default()) {
        Ok(s) => s,
        Err(e) => panic!("solve failed: {e}"),
    }
}

// ---------- rules ----------

#[test]
fn shared_device_used_only_by_people_without_user_cals_gets_device_cal() {
    // Ten shift workers share one kiosk; each also has no device of their own.
    let mut p = ws(prices(40, 35, None));
    p.person_device = vec![(0, 0)];
    let inst = Instance {
        people: vec![person("shift", 10, 0)],
        devices: vec![device("kiosk", 1)],
        products: vec![p],
        ..Instance::default()
    };
    let s = optimum(&inst);
    assert_eq!(
        (
            s.products[0].user_cals,
            s.products[0].device_cals,
            s.cost_minor
        ),
        (0, 1, 35)
    );
}

#[test]
fn person_with_many_devices_gets_user_cal() {
    let mut p = ws(prices(40, 35, None));
    p.people = vec![0];
    let inst = Instance {
        people: vec![person("engineer", 3, 4)],
        products: vec![p],
        ..Instance::default()
    };
    let s = optimum(&inst);
    assert_eq!(
        (
            s.products[0].user_cals,
            s.products[0].device_cals,
            s.cost_minor
        ),
        (3, 0, 120)
    );
}

#[test]
fn person_with_one_own_device_gets_the_cheaper_device_cal() {
    let mut p = ws(prices(40, 35, None));
    p.people = vec![0];
    let inst = Instance {
        people: vec![person("clerk", 5, 1)],
        products: vec![p],
        ..Instance::default()
    };
    let s = optimum(&inst);
    assert_eq!(
        (
            s.products[0].own_device_cals_per_class.clone(),
            s.products[0].device_cals,
            s.cost_minor
        ),
        (vec![5], 5, 175)
    );
}

#[test]
fn mixing_user_and_device_cals_beats_either_alone() {
    // Managers (2, three devices each) and a pool of 4 shared PCs used by 20 operators.
    let mut p = ws(prices(40, 35, None));
    p.people = vec![0];
    p.person_device = vec![(1, 0)];
    let inst = Instance {
        people: vec![person("managers", 2, 3), person("operators", 20, 0)],
        devices: vec![device("pool", 4)],
        products: vec![p],
        ..Instance::default()
    };
    let s = optimum(&inst);
    assert_eq!(s.cost_minor, 2 * 40 + 4 * 35);
}

#[test]
fn unattended_device_needs_a_device_cal() {
    let mut p = ws(prices(10, 35, None));
    p.unattended_devices = vec![0];
    let inst = Instance {
        devices: vec![device("printer", 3)],
        products: vec![p],
        ..Instance::default()
    };
    assert_eq!(optimum(&inst).products[0].device_cals, 3);
}

#[test]
fn unattended_device_without_device_cals_allowed_is_infeasible() {
    let mut p = ws(prices(10, 35, None));
    p.unattended_devices = vec![0];
    let inst = Instance {
        devices: vec![device("printer", 3)],
        products: vec![p],
        ..Instance::default()
    };
    let opts = Options {
        allow_device_cals: false,
        ..Options::default()
    };
    assert!(matches!(
        solve(&inst, &opts),
        Err(OptimiseError::Infeasible { .. })
    ));
}

#[test]
fn external_connector_chosen_when_cheaper_than_user_cals_across_hosts() {
    let mut p = ws(prices(40, 35, Some(2000)));
    p.person_host = vec![(0, 0)];
    let inst = Instance {
        people: vec![external("customers", 100)],
        hosts: vec![host("web1")],
        products: vec![p],
        ..Instance::default()
    };
    let s = optimum(&inst);
    assert_eq!(
        (s.products[0].external_connector_hosts.clone(), s.cost_minor),
        (vec![0], 2000)
    );
}

#[test]
fn user_cal_for_external_user_who_touches_many_hosts_beats_several_connectors() {
    // 30 partners reach 3 hosts: 3 connectors (3 × 1000) cost more than 30 User CALs (30 × 40).
    let mut p = ws(prices(40, 35, Some(1000)));
    p.person_host = vec![(0, 0), (0, 1), (0, 2)];
    let inst = Instance {
        people: vec![external("partners", 30)],
        hosts: (0..3).map(|i| host(&format!("h{i}"))).collect(),
        products: vec![p],
        ..Instance::default()
    };
    let s = optimum(&inst);
    assert_eq!(
        (s.products[0].user_cals, s.products[0].external_connectors),
        (30, 0)
    );
}

#[test]
fn bad_index_is_an_error_not_a_panic() {
    let mut p = ws(prices(40, 35, None));
    p.person_device = vec![(0, 7)];
    let inst = Instance {
        people: vec![person("a", 1, 0)],
        products: vec![p],
        ..Instance::default()
    };
    assert!(matches!(
        solve(&inst, &Options::default()),
        Err(OptimiseError::BadIndex { .. })
    ));
}

#[test]
fn rds_host_per_user_needs_rds_user_cals() {
    let mut p = product(CalProduct::Rds, prices(130, 110, None));
    p.rds_hosts = vec![RdsHost {
        label: "rdsh1".into(),
        mode: Some(RdsMode::PerUser),
        people: vec![0],
        person_device: vec![],
        external_people: vec![],
        host: 0,
    }];
    let inst = Instance {
        people: vec![person("staff", 4, 1)],
        hosts: vec![host("h")],
        products: vec![p],
        ..Instance::default()
    };
    let s = optimum(&inst);
    assert_eq!((s.products[0].user_cals, s.products[0].device_cals), (4, 0));
}

#[test]
fn rds_mode_chosen_per_host_by_the_cheaper_side() {
    // Host A: 10 people on 2 thin clients → per device. Host B: 2 people with 5 devices each → per user.
    let mut p = product(CalProduct::Rds, prices(130, 110, None));
    p.rds_hosts = vec![
        RdsHost {
            label: "A".into(),
            mode: None,
            people: vec![],
            person_device: vec![(0, 0)],
            external_people: vec![],
            host: 0,
        },
        RdsHost {
            label: "B".into(),
            mode: None,
            people: vec![1],
            person_device: vec![],
            external_people: vec![],
            host: 1,
        },
    ];
    let inst = Instance {
        people: vec![person("shift", 10, 0), person("consultants", 2, 5)],
        devices: vec![device("thin", 2)],
        hosts: vec![host("a"), host("b")],
        products: vec![p],
        ..Instance::default()
    };
    let s = optimum(&inst);
    assert_eq!(
        s.products[0].rds_modes,
        vec![RdsMode::PerDevice, RdsMode::PerUser]
    );
}

#[test]
fn core_suite_bought_when_cheaper_than_the_cals_it_replaces() {
    let mut a = ws(prices(40, 35, None));
    a.people = vec![0];
    let mut b = product(CalProduct::ExchangeStandard, prices(80, 70, None));
    b.people = vec![0];
    let inst = Instance {
        people: vec![person("staff", 10, 3)],
        products: vec![a, b],
        suites: vec![SuiteOffer {
            suite: CalProduct::CoreCalSuite,
            covers: vec![CalProduct::WindowsServer, CalProduct::ExchangeStandard],
            user_price: Some(100),
            device_price: Some(90),
            owned_user: 0,
            owned_device: 0,
        }],
        ..Instance::default()
    };
    let s = optimum(&inst);
    assert_eq!(
        (s.cost_minor, s.suites.first().map(|x| (x.kind, x.count))),
        (1000, Some((LicenceKind::UserCal, 10)))
    );
}

#[test]
fn microsoft_365_e3_user_needs_no_windows_server_cal() {
    let mut a = ws(prices(40, 35, None));
    a.people = vec![0];
    let mut p = person("e3", 10, 2);
    p.held_suite = Some(CalProduct::CoreCalSuite);
    let inst = Instance {
        people: vec![p],
        products: vec![a],
        suites: vec![SuiteOffer {
            suite: CalProduct::CoreCalSuite,
            covers: vec![CalProduct::WindowsServer],
            user_price: None,
            device_price: None,
            owned_user: 0,
            owned_device: 0,
        }],
        ..Instance::default()
    };
    assert_eq!(optimum(&inst).cost_minor, 0);
}

#[test]
fn owned_user_cals_are_free_up_to_their_quantity() {
    let mut a = ws(prices(40, 35, None));
    a.people = vec![0];
    a.owned.user_cals = 4;
    let inst = Instance {
        people: vec![person("staff", 10, 2)],
        products: vec![a],
        ..Instance::default()
    };
    let s = optimum(&inst);
    assert_eq!((s.products[0].buy_user_cals, s.cost_minor), (6, 240));
}
