//! Quick mode: what a first-minute user can express there (pre-sales review, session 23).

use super::*;

/// "Start empty" kept the sample's note ("… Figures are invented"), so a customer's own file
/// exported afterwards said its figures were invented; Undo brings it back with the rest.
#[wasm_bindgen_test]
fn start_empty_clears_the_samples_note_and_undo_brings_it_back() {
    let state = Rc::new(AppState::new(sample(), Origin::Sample));
    assert!(!state.estate.note.is_empty(), "the sample has a note");
    let emptied = state.clone().reduce(Action::Edit(Edit::StartEmpty));
    assert_eq!(emptied.estate.note, "");
    let back = emptied.reduce(Action::Undo);
    assert_eq!(*back.estate, *state.estate);
}

/// An estate with nothing but a note is cleared too (the note alone once made it "empty").
#[wasm_bindgen_test]
fn start_empty_clears_a_lone_note() {
    let e = Estate {
        note: "Figures are invented".into(),
        ..Estate::default()
    };
    let state = Rc::new(AppState::new(e, Origin::Saved));
    let emptied = state.reduce(Action::Edit(Edit::StartEmpty));
    assert_eq!(emptied.estate.note, "");
}

/// A small firm typed into quick mode: `people` employees, one Windows Server `version`, and
/// `owned` Windows Server User CALs of that version.
fn small_firm(people: u32, version: &str, owned: u32) -> Estate {
    let mut e = Estate::default();
    Edit::SetQuick(QuickField::Employees, people).apply(&mut e);
    Edit::AddServer(cal_calc::estate::ServerProduct::WindowsServer).apply(&mut e);
    e.servers[0].version = version.into();
    if owned > 0 {
        Edit::SetOwnedWindowsCals {
            kind: LicenceKind::UserCal,
            quantity: owned,
            version: version.into(),
        }
        .apply(&mut e);
    }
    e
}

/// Pre-sales review 23: a server added to an estate of Windows Server 2022 came in as 2025, so
/// the owned 2022 CALs stopped counting and the quote jumped. It starts at the estate's newest
/// Windows Server, and a row switched to Exchange runs on that version.
#[wasm_bindgen_test]
fn a_new_server_starts_at_the_estates_windows_server_version() {
    use cal_calc::estate::ServerProduct;
    let mut e = small_firm(40, "2022", 40);
    let before = evaluate(&e).recommendation.total_minor;
    Edit::AddServer(ServerProduct::WindowsServer).apply(&mut e);
    assert_eq!(e.servers[1].version, "2022");
    assert_eq!(
        evaluate(&e).recommendation.total_minor,
        before,
        "the owned 2022 CALs still cover everyone"
    );
    // The newest of the versions in use, wherever it is (here on an older row first).
    e.servers[0].version = "2019".into();
    Edit::AddServer(ServerProduct::WindowsServer).apply(&mut e);
    assert_eq!(e.servers[2].version, "2022");
    // Switched to Exchange, it runs on that version (not the newest release).
    let mut s = e.servers[2].clone();
    cal_calc::ui::state::change_server_product(&mut s, ServerProduct::Exchange);
    assert_eq!(s.windows_version.as_deref(), Some("2022"));
    // An Exchange server's Windows Server counts for the next one too.
    let mut e = Estate::default();
    Edit::AddServer(ServerProduct::Exchange).apply(&mut e);
    e.servers[0].windows_version = Some("2019".into());
    Edit::AddServer(ServerProduct::WindowsServer).apply(&mut e);
    assert_eq!(e.servers[1].version, "2019");
}

/// With no Windows Server in the estate, a new one is the newest release, as before.
#[wasm_bindgen_test]
fn a_first_server_is_the_newest_windows_server() {
    let mut e = Estate::default();
    Edit::AddServer(cal_calc::estate::ServerProduct::WindowsServer).apply(&mut e);
    assert_eq!(
        e.servers[0].version,
        cal_calc::ui::state::default_version(cal_calc::estate::ServerProduct::WindowsServer)
    );
}
