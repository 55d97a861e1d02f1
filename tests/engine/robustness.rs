//! Bad input never reaches a user as a panic: estates, share links, estate files and exports
//! damaged at random (the example estates and the sample exports, edited by random mutations)
//! give a report that holds together or a typed error with a message.
//!
//! The other tests check each message on purpose-built bad input; these look for the inputs
//! nobody thought of: a count where a name belongs, an id pointing at the wrong kind of thing, a
//! duplicated row, a field deleted, a number at the edge of its type, a file cut or scrambled.

use super::import::sample;
use super::promises::{self, AS_OF};
use cal_calc::estate::{Date, Estate};
use cal_calc::import::session::Session;
use cal_calc::import::ClassifyOptions;
use cal_calc::report::Report;
use cal_calc::share;
use cal_calc::Effort;
use proptest::prelude::*;
use serde_json::{Map, Value};

fn example_estates() -> Vec<(String, Value)> {
    let dir = super::examples::example_dir();
    let mut out = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    names.sort();
    for path in names {
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
        let value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
        out.push((path.display().to_string(), value));
    }
    out
}

/// `cases` per run, or `PROPTEST_CASES` for a longer search:
/// `PROPTEST_CASES=20000 cargo test --profile stress --test engine robustness`.
fn config(cases: u32) -> ProptestConfig {
    let default = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_some() {
        default
    } else {
        ProptestConfig { cases, ..default }
    }
}

/// One edit of a JSON document: which node (`at`, modulo the number of nodes), what to do
/// (`op`) and a number that picks the new value.
#[derive(Debug, Clone, Copy)]
struct Mutation {
    at: usize,
    op: u8,
    pick: usize,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    (any::<usize>(), 0u8..9, any::<usize>()).prop_map(|(at, op, pick)| Mutation { at, op, pick })
}

/// Numbers at the edges: negative, zero, the limits of the integer types, fractions, huge floats.
fn awkward_number(pick: usize) -> Value {
    let numbers = [
        serde_json::json!(-1),
        serde_json::json!(0),
        serde_json::json!(1),
        serde_json::json!(2),
        serde_json::json!(i64::MIN),
        serde_json::json!(i64::MAX),
        serde_json::json!(u64::MAX),
        serde_json::json!(u32::MAX),
        serde_json::json!(u64::from(u32::MAX) + 1),
        serde_json::json!(1_000_000_000),
        serde_json::json!(-0.5),
        serde_json::json!(2.5),
        serde_json::json!(1e300),
    ];
    numbers[pick % numbers.len()].clone()
}

/// Paths to every node, in document order (`None` segment: the root).
fn paths(v: &Value, here: &mut Vec<Seg>, out: &mut Vec<Vec<Seg>>) {
    out.push(here.clone());
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                here.push(Seg::Key(k.clone()));
                paths(x, here, out);
                here.pop();
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                here.push(Seg::Index(i));
                paths(x, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Seg {
    Key(String),
    Index(usize),
}

fn node_mut<'a>(v: &'a mut Value, path: &[Seg]) -> Option<&'a mut Value> {
    let mut v = v;
    for s in path {
        v = match (s, v) {
            (Seg::Key(k), Value::Object(m)) => m.get_mut(k)?,
            (Seg::Index(i), Value::Array(a)) => a.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(v)
}

/// Every string in the document (ids, names, versions, products), to point references at the
/// wrong kind of thing.
fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Object(m) => m.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

/// Most edits keep the node's JSON type (a number stays a number, a reference stays a string of
/// the document), so the damaged estate usually still reads and reaches the engine; the last two
/// break the shape, for the reader's messages.
fn mutate(doc: &mut Value, m: Mutation) {
    let mut all = Vec::new();
    paths(doc, &mut Vec::new(), &mut all);
    let path = all[m.at % all.len()].clone();
    let Some(node) = node_mut(doc, &path).map(|v| v.clone()) else {
        return;
    };
    match m.op {
        // The same type, another value.
        0..=2 => {
            let to = match node {
                Value::Number(n) if m.op == 1 => match n.as_u64() {
                    // A count or price made much larger.
                    Some(x) => {
                        let factor = [10u64, 1_000, 1_000_000, 1 << 32][m.pick % 4];
                        Value::from(x.saturating_mul(factor))
                    }
                    None => awkward_number(m.pick),
                },
                Value::Number(_) => awkward_number(m.pick),
                Value::String(_) => {
                    let mut texts = Vec::new();
                    strings(doc, &mut texts);
                    let odd = ["", " ", "x", "2099", "1990", "\u{0}", "é\u{202e}", "-1"];
                    if m.op == 0 && !texts.is_empty() {
                        // Another string of the document: a reference to the wrong thing.
                        Value::String(texts[m.pick % texts.len()].clone())
                    } else {
                        Value::String(odd[m.pick % odd.len()].to_string())
                    }
                }
                Value::Bool(b) => Value::Bool(!b),
                // A node of the same key elsewhere (another group's `servers`, another
                // holding's `software_assurance`): valid there, wrong here.
                other => {
                    let key = path.last();
                    let same: Vec<&Vec<Seg>> = all
                        .iter()
                        .filter(|p| p.last() == key && **p != path)
                        .collect();
                    match same.get(m.pick % same.len().max(1)) {
                        Some(p) => node_mut(doc, p).map_or(other, |v| v.clone()),
                        None => other,
                    }
                }
            };
            set(doc, &path, to);
        }
        // Delete the node from its parent (an optional field left out, a row removed).
        3 | 4 => {
            if let Some((last, parent)) = path.split_last() {
                match (last, node_mut(doc, parent)) {
                    (Seg::Key(k), Some(Value::Object(o))) => {
                        o.remove(k);
                    }
                    (Seg::Index(i), Some(Value::Array(a))) if *i < a.len() => {
                        a.remove(*i);
                    }
                    _ => {}
                }
            }
        }
        // Duplicate an array element (duplicate ids, a row or a reference twice).
        5 | 6 => {
            let at = path
                .iter()
                .rposition(|s| matches!(s, Seg::Index(_)))
                .map(|i| &path[..=i]);
            if let Some([parent @ .., Seg::Index(i)]) = at {
                if let Some(Value::Array(a)) = node_mut(doc, parent) {
                    if let Some(x) = a.get(*i).cloned() {
                        a.insert(*i, x);
                    }
                }
            }
        }
        // The shape broken: another type in this place.
        7 => set(
            doc,
            &path,
            [
                Value::Null,
                Value::Array(vec![]),
                Value::Object(Map::new()),
                Value::Bool(true),
                awkward_number(m.pick / 5),
            ][m.pick % 5]
                .clone(),
        ),
        _ => set(doc, &path, Value::Array(vec![node])),
    }
}

/// Example estate `which` (modulo their number), with its name, after `edits`.
fn damaged_example(which: usize, edits: &[Mutation]) -> (String, Value) {
    let examples = example_estates();
    let (name, mut doc) = examples[which % examples.len()].clone();
    for m in edits {
        mutate(&mut doc, *m);
    }
    (name, doc)
}

fn set(doc: &mut Value, path: &[Seg], to: Value) {
    if let Some(v) = node_mut(doc, path) {
        *v = to;
    }
}

/// What a report must hold whatever estate it came from ([`promises::report_holds_together`]).
fn check_report(r: &Report, name: &str) -> Result<(), TestCaseError> {
    promises::report_holds_together(r, name).map_err(TestCaseError::fail)
}

/// The estate, through every face a user can reach it by ([`promises::estate_text_holds`]),
/// evaluated in full.
fn check_estate(text: &str, name: &str) -> Result<(), TestCaseError> {
    promises::estate_text_holds(text, name, Effort::Full).map_err(TestCaseError::fail)
}

#[test]
fn every_example_estate_holds_together() {
    for (name, doc) in example_estates() {
        let estate = Estate::from_json(&doc.to_string()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let r = cal_calc::evaluate(&estate, AS_OF).unwrap_or_else(|e| panic!("{name}: {e}"));
        if let Err(e) = check_report(&r, &name) {
            panic!("{e}");
        }
    }
}

/// Every example estate under the readings that only drop requirements: a report that holds
/// together and never dearer than the default reading's ([`promises::either_subject_no_dearer`];
/// [`promises::network_not_counted_no_dearer`], its unattended pools taken as network
/// equipment); the sample and the additive examples cost less under the first.
#[test]
fn every_example_estate_is_no_dearer_under_the_readings_that_ask_less() {
    for (name, doc) in example_estates() {
        let estate = Estate::from_json(&doc.to_string()).unwrap_or_else(|e| panic!("{name}: {e}"));
        for promise in [
            promises::either_subject_no_dearer,
            promises::network_not_counted_no_dearer,
        ] {
            if let Err(e) = promise(&estate, &name) {
                panic!("{e}");
            }
        }
    }
}

/// The check can fail: the sample's two reports handed over the wrong way round (the default
/// reading's, $7,200.00 dearer, as if it were the reading that asks less) are caught.
#[test]
fn a_reading_that_asks_less_but_costs_more_is_caught() {
    let doc = example_estates()
        .into_iter()
        .find(|(name, _)| name.ends_with("sample.json"))
        .map(|(_, doc)| doc)
        .unwrap_or_else(|| panic!("no sample estate"));
    let same = Estate::from_json(&doc.to_string()).unwrap_or_else(|e| panic!("{e}"));
    let mut either = same.clone();
    either.organisation.readings.additive_base = cal_calc::estate::AdditiveBase::EitherSubject;
    let eval = |e: &Estate| cal_calc::evaluate(e, AS_OF).unwrap_or_else(|e| panic!("{e}"));
    let (same, either) = (eval(&same), eval(&either));
    assert_eq!(promises::no_dearer(&same, &either, "sample"), Ok(()));
    let swapped = promises::no_dearer(&either, &same, "sample").unwrap_err();
    assert!(
        swapped.contains("bound 20911100 above the default's total 20191100"),
        "{swapped}"
    );
}

/// The checks can fail: a report tampered with one way or another is caught, each time by the
/// promise it breaks.
#[test]
fn a_report_that_does_not_add_up_is_caught() {
    let (name, doc) = &example_estates()[0];
    let estate = Estate::from_json(&doc.to_string()).unwrap_or_else(|e| panic!("{name}: {e}"));
    let report = cal_calc::evaluate(&estate, AS_OF).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(promises::report_holds_together(&report, "as made"), Ok(()));
    let broken = |edit: &dyn Fn(&mut Report)| {
        let mut r = report.clone();
        edit(&mut r);
        promises::report_holds_together(&r, "tampered").unwrap_err()
    };
    assert!(broken(&|r| r.recommendation.total_minor += 1).contains("lines add up to"));
    assert!(broken(&|r| r.recommendation.gap_minor = 5).contains("exact and gap disagree"));
    assert!(broken(&|r| r.position[0].needed += 1).contains("needed ≠ covered + shortfall"));
    assert!(broken(&|r| r.position[0].owned += 1).contains("owned ≠ used + surplus"));
    let cheaper = report.recommendation.total_minor - 1;
    assert!(
        broken(&|r| r.scenarios[0].total_minor = cheaper).contains("costs more than the scenario")
    );
}

proptest! {
    #![proptest_config(config(384))]

    /// An example estate edited at random: a report that holds together, or a message.
    #[test]
    fn a_damaged_estate_gives_a_report_or_a_message(
        which in any::<usize>(),
        edits in prop::collection::vec(mutation(), 1..4),
    ) {
        let (name, doc) = damaged_example(which, &edits);
        check_estate(&doc.to_string(), &name)?;
    }

    /// An example estate edited at random is never dearer under the readings that ask less.
    #[test]
    fn a_damaged_estate_is_no_dearer_under_the_readings_that_ask_less(
        which in any::<usize>(),
        edits in prop::collection::vec(mutation(), 1..4),
    ) {
        let (name, doc) = damaged_example(which, &edits);
        if let Ok(estate) = Estate::from_json(&doc.to_string()) {
            promises::either_subject_no_dearer(&estate, &name).map_err(TestCaseError::fail)?;
            promises::network_not_counted_no_dearer(&estate, &name).map_err(TestCaseError::fail)?;
        }
    }

    /// A share link with any characters after its version gives an estate or a message.
    #[test]
    fn any_share_link_gives_an_estate_or_a_message(tail in "[A-Za-z0-9_\\-=.%]{0,300}") {
        match share::decode(&format!("e1.{tail}")) {
            Ok(e) => check_estate(&serde_json::to_string(&e).map_err(|e| TestCaseError::fail(e.to_string()))?, "link")?,
            Err(e) => prop_assert!(!e.to_string().trim().is_empty()),
        }
    }

    /// An estate file that is not quite JSON (cut, or with a byte changed) gives a message.
    #[test]
    fn a_cut_or_scrambled_estate_file_gives_an_estate_or_a_message(
        which in any::<usize>(),
        cut in any::<usize>(),
        flips in prop::collection::vec((any::<usize>(), any::<u8>()), 0..4),
    ) {
        let examples = example_estates();
        let (name, doc) = &examples[which % examples.len()];
        let mut bytes = serde_json::to_vec_pretty(doc).map_err(|e| TestCaseError::fail(e.to_string()))?;
        bytes.truncate(cut % (bytes.len() + 1));
        for (at, b) in flips {
            if !bytes.is_empty() {
                let n = bytes.len();
                bytes[at % n] = b;
            }
        }
        let text = String::from_utf8_lossy(&bytes);
        check_estate(&text, name)?;
    }
}

/// The sample exports (`www/samples`) and, with a path, the JSON fixtures (Graph responses,
/// JSON Lines).
const SAMPLES: [&str; 13] = [
    "../../tests/fixtures/graph-subscribedskus.json",
    "../../tests/fixtures/graph-users.json",
    "../../tests/fixtures/logon-events.jsonl",
    "ad-users.csv",
    "computers-ad.csv",
    "devices-intune.csv",
    "entra-users.csv",
    "licence-statement.csv",
    "logon-events.tsv",
    "m365-active-users.csv",
    "m365-subscriptions.csv",
    "rds-per-user.csv",
    "ual-user-access.csv",
];

/// One edit of an export's bytes.
fn damage(bytes: &mut Vec<u8>, (at, op, b): (usize, u8, u8)) {
    let n = bytes.len();
    if n == 0 {
        bytes.push(b);
        return;
    }
    let i = at % n;
    match op % 6 {
        0 => bytes[i] = b,
        // Characters that change a CSV's or a JSON file's structure.
        1 => bytes.insert(
            i,
            [
                b'"', b',', b';', b'\t', b'\n', b'\r', 0, 0xFF, b'{', b'}', b'[', b']', b':',
            ][b as usize % 13],
        ),
        2 => bytes.truncate(i),
        3 => {
            bytes.drain(i..(i + usize::from(b)).min(n));
        }
        // A line again, somewhere else.
        4 => {
            let start = bytes[..i]
                .iter()
                .rposition(|&c| c == b'\n')
                .map_or(0, |p| p + 1);
            let end = bytes[i..]
                .iter()
                .position(|&c| c == b'\n')
                .map_or(n, |p| i + p + 1);
            let line = bytes[start..end].to_vec();
            let to = (at / 7) % (n + 1);
            bytes.splice(to..to, line);
        }
        // An awkward value in a field: a date, a number, a huge or empty one.
        _ => {
            let values: [&[u8]; 6] = [
                b"31/02/2025",
                b"99999999999999999999",
                b"-1",
                b"",
                b"2025-13-45T25:61",
                b"#EXT#",
            ];
            bytes.splice(i..i, values[usize::from(b) % values.len()].iter().copied());
        }
    }
}

proptest! {
    #![proptest_config(config(128))]

    /// Damaged exports, read in random chunks, counted, listed and merged into an example estate
    /// (the small office, or now and then the sample, whose servers the usage logs name):
    /// a message or a result, and the merged estate evaluates or says why not.
    #[test]
    fn damaged_exports_give_figures_or_a_message(
        files in prop::collection::vec((any::<usize>(), prop::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 0..5), 1usize..4096), 1..4),
        combine in any::<bool>(),
        on_sample in prop::bool::weighted(0.125),
    ) {
        let mut session = Session::new();
        for (which, edits, chunk) in files {
            let name = SAMPLES[which % SAMPLES.len()];
            let mut bytes = sample(name);
            for e in edits {
                damage(&mut bytes, e);
            }
            promises::export_reads(&mut session, &bytes, chunk, name).map_err(TestCaseError::fail)?;
        }
        let mut opts = ClassifyOptions::new(Date { year: 2025, month: 6, day: 30 });
        opts.combine_directories = combine;
        let _ = session.overview(&opts);
        let page = session.accounts(&opts, "a", None, 0, 50);
        prop_assert!(page.rows.len() <= 50);
        let path = super::examples::example_dir().join(if on_sample { "sample.json" } else { "g1-small-office.json" });
        let text = std::fs::read_to_string(&path).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let base = Estate::from_json(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let applied = session.apply(base, &opts);
        let text = serde_json::to_string(&applied.estate).map_err(|e| TestCaseError::fail(e.to_string()))?;
        check_estate(&text, "imported")?;
    }
}

/// An estate whose access rules link more group–server pairs than the calculator evaluates in
/// reasonable time is refused with a message that names the count and the limit, before any work
/// (hostile-input review 23: a 157 KB link of 20,000 groups × 500 servers never finished).
#[test]
fn an_estate_too_large_to_evaluate_is_refused_with_its_size() {
    let estate = |groups: usize, servers: usize| {
        let v = serde_json::json!({
            "groups": (0..groups).map(|i| serde_json::json!({ "id": format!("g{i}"), "count": 1 })).collect::<Vec<_>>(),
            "servers": (0..servers).map(|j| serde_json::json!({ "id": format!("s{j}"), "product": "windows-server", "version": "2022" })).collect::<Vec<_>>(),
            "access": [{
                "groups": (0..groups).map(|i| format!("g{i}")).collect::<Vec<_>>(),
                "servers": (0..servers).map(|j| format!("s{j}")).collect::<Vec<_>>()
            }]
        });
        Estate::from_json(&v.to_string()).expect("a valid estate")
    };
    assert_eq!(estate(1_000, 500).size_problem(), None);
    let e = estate(1_000, 501);
    let m = e.size_problem().expect("501,000 pairs are too many");
    assert!(
        m.contains("501,000 group–server pairs") && m.contains("up to 500,000"),
        "{m}"
    );
    match cal_calc::evaluate(&e, AS_OF) {
        Err(cal_calc::engine::EvaluateError::Invalid(msg)) => {
            assert!(
                msg.starts_with("access: the estate is too large: the access rules link 501,000"),
                "{msg}"
            )
        }
        other => panic!("expected the size refusal, got {other:?}"),
    }
    // The file check says so too (`cal-calc validate`, the app's import and share links).
    assert!(e.validate().is_err());
    assert!(estate(1_000, 500).validate().is_ok());
}
