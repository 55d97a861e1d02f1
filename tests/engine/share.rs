//! The share link (`#e1.<data>`) and the estate file: what goes in comes out, what must not travel
//! is stripped, and every damaged, cut-off, newer or older link is refused with its own message.

use cal_calc::estate::{
    Access, CalProduct, Device, Estate, Group, Holding, LicenceKind, Link, Person, PersonKind,
    Server, ServerProduct, Usage,
};
use cal_calc::share::{self, ShareError};

#[track_caller]
fn group(id: &str, count: u32, kind: PersonKind) -> Group {
    serde_json::from_value(serde_json::json!({ "id": id, "count": count }))
        .map(|g: Group| Group { kind, ..g })
        .expect("group")
}

fn server(id: &str, version: &str) -> Server {
    serde_json::from_value(serde_json::json!({
        "id": id, "product": "windows-server", "version": version
    }))
    .expect("server")
}

/// A small estate with every kind of part the link must carry.
fn estate() -> Estate {
    Estate {
        format_version: cal_calc::estate::FORMAT_VERSION,
        name: "Branch office".into(),
        // The count date travels with the estate (ELP review 42).
        as_of: cal_calc::estate::Date::parse("2025-06-30"),
        groups: vec![
            group("staff", 30, PersonKind::Employee),
            group("partners", 12, PersonKind::Partner),
        ],
        servers: vec![server("fs1", "2022")],
        access: vec![Access {
            groups: vec!["staff".into(), "partners".into()],
            servers: vec!["fs1".into()],
            via: None,
            manual_transfer_only: false,
            features: vec![],
        }],
        holdings: vec![Holding {
            product: CalProduct::WindowsServer,
            kind: LicenceKind::UserCal,
            version: "2019".into(),
            quantity: 25,
            software_assurance: None,
            assigned_to: None,
        }],
        ..Estate::default()
    }
}

fn with_usage(mut e: Estate) -> Estate {
    e.usage = Some(Usage {
        people: vec![Person {
            id: "jsmith".into(),
            group: "staff".into(),
        }],
        devices: vec![Device {
            id: "PC-001".into(),
            unattended: false,
        }],
        links: vec![Link {
            person: "jsmith".into(),
            device: "PC-001".into(),
            server: "fs1".into(),
            features: vec![],
        }],
    });
    e
}

#[track_caller]
fn link(e: &Estate) -> String {
    share::encode(e).expect("encode")
}

#[test]
fn share_link_round_trip_returns_the_same_estate() {
    let e = estate();
    assert_eq!(share::decode(&format!("#{}", link(&e))), Ok(e));
}

#[test]
fn share_link_starts_with_its_format_version() {
    assert!(link(&estate()).starts_with("e1."));
}

#[test]
fn share_link_uses_only_url_safe_characters() {
    let l = link(&estate());
    assert!(l
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.'));
}

#[test]
fn share_link_strips_usage_links_that_name_accounts() {
    let decoded = share::decode(&link(&with_usage(estate()))).expect("decode");
    assert_eq!(decoded.usage, None);
}

#[test]
fn share_link_keeps_everything_but_usage() {
    let decoded = share::decode(&link(&with_usage(estate()))).expect("decode");
    assert_eq!(decoded, estate());
}

#[test]
fn share_link_is_compressed_below_the_json_size() {
    let mut e = estate();
    for i in 0..40 {
        e.groups
            .push(group(&format!("team-{i}"), 10 + i, PersonKind::Employee));
    }
    let json = serde_json::to_string(&e).expect("json");
    assert!(link(&e).len() < json.len() / 2);
}

#[test]
fn share_link_ignores_parameters_after_the_data() {
    let e = estate();
    assert_eq!(share::decode(&format!("{}&embed", link(&e))), Ok(e));
}

#[test]
fn tampered_share_link_is_refused_as_changed() {
    let l = link(&estate());
    // Change one data character in the middle to another valid base64url character.
    let mid = l.len() / 2;
    let original = l.as_bytes()[mid];
    let replacement = if original == b'A' { 'B' } else { 'A' };
    let tampered = format!("{}{}{}", &l[..mid], replacement, &l[mid + 1..]);
    assert!(matches!(
        share::decode(&tampered),
        Err(ShareError::Corrupt | ShareError::InvalidEstate(_))
    ));
}

#[test]
fn every_single_character_change_is_refused() {
    let l = link(&estate());
    let mut accepted = 0;
    for i in 3..l.len() {
        let original = l.as_bytes()[i];
        let replacement = if original == b'x' { 'y' } else { 'x' };
        let tampered = format!("{}{}{}", &l[..i], replacement, &l[i + 1..]);
        if let Ok(e) = share::decode(&tampered) {
            if e != estate() {
                accepted += 1;
            }
        }
    }
    assert_eq!(accepted, 0, "a changed link was read as a different estate");
}

#[test]
fn truncated_share_link_is_refused_as_incomplete() {
    let l = link(&estate());
    for cut in [l.len() - 1, l.len() - 5, l.len() / 2, 6] {
        assert_eq!(
            share::decode(&l[..cut]),
            Err(ShareError::Corrupt),
            "cut at {cut}"
        );
    }
}

#[test]
fn share_link_with_no_data_says_it_is_empty() {
    assert_eq!(share::decode("#e1."), Err(ShareError::Empty { version: 1 }));
}

#[test]
fn share_link_from_a_newer_calculator_is_refused_with_its_version() {
    assert_eq!(
        share::decode("#e2.eJyrVgpKLS7NKVGyUlAqzs8tUqgFAB5xBGU"),
        Err(ShareError::FutureVersion { found: "2".into() })
    );
}

#[test]
fn share_link_from_an_old_format_is_refused_with_its_version() {
    assert_eq!(
        share::decode("#e0.eyJuYW1lIjoieCJ9"),
        Err(ShareError::OldVersion { found: 0 })
    );
}

#[test]
fn fragment_that_is_not_a_share_link_is_named_so() {
    assert_eq!(share::decode("#results"), Err(ShareError::NotAShareLink));
}

#[test]
fn share_link_with_a_foreign_character_names_its_position() {
    assert_eq!(
        share::decode("#e1.abc+def"),
        Err(ShareError::BadCharacter {
            position: 4,
            character: '+'
        })
    );
}

#[test]
fn share_link_that_expands_to_a_huge_payload_is_refused() {
    let bomb = vec![b' '; 9 * 1024 * 1024];
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(&bomb, 9);
    use base64::Engine as _;
    let l = format!(
        "e1.{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(packed)
    );
    assert_eq!(share::decode(&l), Err(ShareError::TooLarge));
}

#[test]
fn share_link_holding_valid_data_that_is_not_an_estate_is_refused() {
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(br#"{"groups": 5}"#, 9);
    use base64::Engine as _;
    let l = format!(
        "e1.{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(packed)
    );
    assert!(matches!(
        share::decode(&l),
        Err(ShareError::InvalidEstate(_))
    ));
}

/// A link that reads but would not evaluate (here a currency edited to "XYZ") is refused like a
/// file, naming the field, so it never replaces the saved work (QA).
#[test]
fn share_link_of_an_estate_that_does_not_validate_is_refused() {
    let mut e = estate();
    e.organisation.currency = "XYZ".into();
    match share::decode(&link(&e)) {
        Err(ShareError::InvalidEstate(m)) => assert!(m.contains("organisation.currency"), "{m}"),
        other => panic!("accepted or wrong error: {other:?}"),
    }
}

#[test]
fn share_link_of_an_estate_in_a_future_format_is_refused() {
    let mut e = estate();
    e.format_version = cal_calc::estate::FORMAT_VERSION + 1;
    assert_eq!(
        share::decode(&link(&e)),
        Err(ShareError::FutureFormat {
            found: cal_calc::estate::FORMAT_VERSION + 1
        })
    );
}

/// Review 21: a link format too large for a number was "not a calculator share link", and the
/// app passed over such a link without a word.
#[test]
fn share_link_with_a_huge_version_is_from_a_newer_calculator() {
    let l = "#e99999999999.eNqrVkrLL8pNLIkvSy0qzszPU7JSMNRRUEovyi8tKAZyoquVMlOAtFKiElA4Ob80rwTIM62NrQUAOCgSSA";
    assert!(share::looks_like_link(l));
    let e = share::decode(l).expect_err("refused");
    assert_eq!(
        e.to_string(),
        "This share link was made by a newer version of the calculator (link format 99999999999; this one reads format 1). Open it with the newer version, or ask for the estate file instead."
    );
    // Many digits are cut short.
    let l = format!("#e{}.abc", "9".repeat(1000));
    assert_eq!(
        share::decode(&l),
        Err(ShareError::FutureVersion {
            found: format!("{}…", "9".repeat(20))
        })
    );
}

/// Review 21: a whole link (its checksum matches) whose data is not UTF-8 text said "its checksum
/// does not match": it is not an estate.
#[test]
fn share_link_holding_bytes_that_are_not_text_is_not_json() {
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(b"{\"name\":\"\xff\xfe\"}", 9);
    use base64::Engine as _;
    let l = format!(
        "e1.{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(packed)
    );
    let e = share::decode(&l).expect_err("refused");
    assert_eq!(e, ShareError::LinkNotJson);
    assert_eq!(
        e.to_string(),
        "This share link holds no estate: what it carries is not an estate in JSON, so it was not made by this calculator or was edited by hand. Ask the sender for a new link or for the estate file."
    );
    assert_eq!(
        share::decode("#e1.eNqrVspLzE1VslL6_0-pFgAiEAVZ"),
        Err(ShareError::LinkNotJson)
    );
}

#[test]
fn looks_like_link_accepts_any_version_and_nothing_else() {
    assert!(share::looks_like_link("#e1.abc") && share::looks_like_link("e7."));
    assert!(!share::looks_like_link("#embed") && !share::looks_like_link("#e.x"));
}

#[test]
fn estate_file_round_trip_returns_the_same_estate() {
    let e = with_usage(estate());
    let text = share::to_file(&e).expect("write");
    assert_eq!(share::from_file(&text), Ok(e));
}

#[test]
fn estate_file_with_a_byte_order_mark_is_read() {
    let text = format!("\u{feff}{}", share::to_file(&estate()).expect("write"));
    assert_eq!(share::from_file(&text), Ok(estate()));
}

#[test]
fn bad_estate_file_names_the_line_and_column() {
    let err = share::from_file("{\n  \"name\": \"x\",\n  \"groups\": 5\n}").unwrap_err();
    assert!(
        matches!(err, ShareError::BadFile { line: 3, .. }),
        "{err:?}"
    );
}

#[test]
fn bad_estate_file_message_names_the_problem_once() {
    let err = share::from_file("{\"format_version\": 1, \"nmae\": 1}").unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("line 1, column") && text.contains("nmae") && !text.contains(" at line "),
        "{text}"
    );
}

#[test]
fn estate_file_in_the_old_format_0_is_migrated() {
    let old = r#"{"format_version": 0, "name": "old"}"#;
    assert_eq!(
        share::from_file(old).map(|e| e.format_version),
        Ok(cal_calc::estate::FORMAT_VERSION)
    );
}

#[test]
fn estate_file_from_a_newer_calculator_is_refused_with_its_version() {
    assert_eq!(
        share::from_file(r#"{"format_version": 9}"#),
        Err(ShareError::FutureFormat { found: 9 })
    );
}

#[test]
fn empty_estate_file_is_named_empty() {
    assert!(share::from_file("  \n")
        .unwrap_err()
        .to_string()
        .contains("empty"));
}

#[test]
fn estate_file_keeps_the_server_products() {
    let decoded = share::from_file(&share::to_file(&estate()).expect("write")).expect("read");
    assert_eq!(
        decoded.servers.first().map(|s| s.product),
        Some(ServerProduct::WindowsServer)
    );
}
