//! The JavaScript API's TypeScript declarations (`src/api.d.ts`, shipped as `calc.d.ts`) and the
//! documentation name exactly the names the engine writes: a program switching on a finding's
//! kind can list every case, and no kind goes undescribed.

use cal_calc::estate::{CalProduct, Feature, LicenceKind, PersonKind, RdsMode, ServerProduct};
use cal_calc::named::Named;
use cal_calc::report::{BreakEvenKind, FindingKind};
use std::collections::BTreeSet;

const DECLARATIONS: &str = include_str!("../../src/api.d.ts");
const ENGINE_DOC: &str = include_str!("../../docs/engine.md");

/// The string literals of `export type NAME = "a" | "b" …;` in the declarations.
fn union(name: &str) -> BTreeSet<String> {
    let start = format!("export type {name} =");
    let Some(at) = DECLARATIONS.find(&start) else {
        panic!("src/api.d.ts declares no type {name}");
    };
    let rest = &DECLARATIONS[at + start.len()..];
    let body = &rest[..rest.find(';').unwrap_or(rest.len())];
    body.split('|')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            assert!(
                s.starts_with('"') && s.ends_with('"') && s.len() > 2,
                "{name}: {s} is not a string literal"
            );
            s.trim_matches('"').to_string()
        })
        .collect()
}

fn names<T: Named>() -> BTreeSet<String> {
    T::NAMES.iter().map(|n| n.to_string()).collect()
}

#[test]
fn the_declarations_list_every_name_the_engine_writes_and_no_other() {
    assert_eq!(union("FindingKind"), names::<FindingKind>());
    assert_eq!(union("BreakEvenKind"), names::<BreakEvenKind>());
    assert_eq!(union("CalProduct"), names::<CalProduct>());
    assert_eq!(union("LicenceKind"), names::<LicenceKind>());
    assert_eq!(union("PersonKind"), names::<PersonKind>());
    assert_eq!(union("ServerProduct"), names::<ServerProduct>());
    assert_eq!(union("Feature"), names::<Feature>());
    assert_eq!(union("RdsMode"), names::<RdsMode>());
}

#[test]
fn a_report_s_findings_and_break_evens_are_typed_by_those_unions() {
    let squeezed: String = DECLARATIONS.split_whitespace().collect();
    assert!(squeezed.contains("findings:{kind:FindingKind;"));
    assert!(squeezed.contains("breakevens:{/**subject:byid"));
    assert!(squeezed.contains("kind:BreakEvenKind;subject:string;"));
}

#[test]
fn every_finding_and_break_even_kind_is_described_in_the_engine_doc() {
    let undocumented: Vec<&str> = FindingKind::NAMES
        .iter()
        .chain(BreakEvenKind::NAMES)
        .copied()
        .filter(|k| {
            !ENGINE_DOC.contains(&format!("`{k}`")) && !ENGINE_DOC.contains(&format!("**{k}**"))
        })
        .collect();
    assert_eq!(undocumented, Vec::<&str>::new());
}
