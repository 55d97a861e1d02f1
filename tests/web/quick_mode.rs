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

fn rds(report: &Report) -> Option<&cal_calc::report::ProductResult> {
    report
        .products
        .iter()
        .find(|p| p.product == CalProduct::Rds)
}

/// Pre-sales review 23 (worked example G4): 15 people on one Windows Server 2025 with Remote
/// Desktop were quoted their Windows Server CALs only, since quick mode could not say Remote
/// Desktop. Ticked, the server is a session host everyone uses by Remote Desktop, as detailed
/// mode says it; unticked, the estate is as it was.
#[wasm_bindgen_test]
fn remote_desktop_in_quick_mode_counts_rds_cals_for_everyone() {
    let e = small_firm(15, "2025", 0);
    assert!(rds(&evaluate(&e)).is_none());
    let state = Rc::new(AppState::new(e.clone(), Origin::Saved));
    let ticked = state.reduce(Action::Edit(Edit::SetRemoteDesktop(0, true)));
    let t = &*ticked.estate;
    assert_eq!(t.validate(), Ok(()));
    assert!(t.servers[0].rds_session_host);
    assert_eq!(t.access.len(), 2, "{:?}", t.access);
    assert_eq!(
        t.access[1].features,
        [cal_calc::estate::Feature::RemoteDesktop]
    );
    assert_eq!(t.access[1].servers, [t.servers[0].id.clone()]);
    let report = evaluate(t);
    assert_eq!(rds(&report).map(|p| p.people.value), Some(15));
    assert_eq!(windows(&report).map(|p| p.people.value), Some(15));
    // Quick mode shows all of it: no "parts quick mode does not show".
    assert!(QuickView::of(t).shows_all(t));
    // Unticked: the estate as before, exactly.
    let unticked = ticked
        .clone()
        .reduce(Action::Edit(Edit::SetRemoteDesktop(0, false)));
    assert_eq!(*unticked.estate, e);
    assert!(unticked.notice.is_none(), "{:?}", unticked.notice);
}

/// A second session host joins the same rule; people typed in afterwards use Remote Desktop
/// too; and a session host ticked before anyone is entered is used by the first people typed.
#[wasm_bindgen_test]
fn remote_desktop_follows_everyone_typed_in_quick_mode() {
    use cal_calc::estate::ServerProduct;
    let mut e = small_firm(15, "2022", 0);
    Edit::AddServer(ServerProduct::WindowsServer).apply(&mut e);
    Edit::SetRemoteDesktop(0, true).apply(&mut e);
    Edit::SetRemoteDesktop(1, true).apply(&mut e);
    assert_eq!(e.access.len(), 2, "{:?}", e.access);
    Edit::SetQuick(QuickField::ExternalUsers, 5).apply(&mut e);
    Edit::SetQuick(QuickField::SharedUsers, 7).apply(&mut e);
    assert_eq!(e.validate(), Ok(()));
    assert!(QuickView::of(&e).shows_all(&e));
    let people = |e: &Estate| rds(&evaluate(e)).map(|p| p.people.value);
    assert_eq!(people(&e), Some(15 + 5 + 7));
    // Ticked on an empty estate, then people typed.
    let mut e = Estate::default();
    Edit::AddServer(ServerProduct::WindowsServer).apply(&mut e);
    Edit::SetRemoteDesktop(0, true).apply(&mut e);
    assert_eq!(e.validate(), Ok(()));
    Edit::SetQuick(QuickField::Employees, 10).apply(&mut e);
    assert_eq!(e.validate(), Ok(()));
    assert!(QuickView::of(&e).shows_all(&e));
    assert_eq!(people(&e), Some(10));
}

/// Unticked on the sample's session host, whose Remote Desktop users reach it no other way, it
/// keeps their access and says Remote Desktop was taken off, as detailed mode does.
#[wasm_bindgen_test]
fn remote_desktop_unticked_on_the_sample_keeps_the_access() {
    let e = sample();
    let i = e
        .servers
        .iter()
        .position(|s| s.id == "rdsh2")
        .expect("the sample's second session host");
    let state = Rc::new(AppState::new(e.clone(), Origin::Sample));
    let next = state.reduce(Action::Edit(Edit::SetRemoteDesktop(i, false)));
    assert_eq!(next.estate.validate(), Ok(()));
    assert!(!next.estate.servers[i].rds_session_host);
    assert_eq!(next.estate.access.len(), e.access.len());
    let notice = next.notice.as_ref().map(|n| n.text.clone());
    assert!(
        notice
            .as_deref()
            .is_some_and(|n| n.contains("Remote Desktop was taken off")),
        "{notice:?}"
    );
}

/// Each Windows Server row of quick mode has the check box, labelled with the server's name;
/// the sample's session hosts show ticked; ticking one changes the total to the engine's.
#[wasm_bindgen_test]
async fn quick_modes_remote_desktop_check_box() {
    let e = sample();
    let root = render(e.clone()).await;
    for (i, s) in e.servers.iter().enumerate() {
        let id = format!("#q-server-{i}-rds");
        let check = find(&root, &id).and_then(|c| c.dyn_into::<HtmlInputElement>().ok());
        if s.product != cal_calc::estate::ServerProduct::WindowsServer {
            assert!(check.is_none(), "{}", s.name);
            continue;
        }
        let check = check.unwrap_or_else(|| panic!("a check box for {}", s.name));
        assert_eq!(check.checked(), s.rds_session_host, "{}", s.name);
        assert_eq!(check.type_(), "checkbox");
        let label = text(&root, &format!("label[for=q-server-{i}-rds]"));
        assert!(
            label.starts_with("Remote Desktop") && label.ends_with(&format!("on {}", s.name)),
            "{label}"
        );
    }
    root.remove();
    // A small office: ticked, the total is the engine's for the session host.
    let e = small_firm(15, "2025", 0);
    let mut expected = e.clone();
    Edit::SetRemoteDesktop(0, true).apply(&mut expected);
    let want = evaluate(&expected).recommendation.total_minor;
    assert_ne!(want, evaluate(&e).recommendation.total_minor);
    let root = render(e).await;
    click(&root, "#q-server-0-rds").await;
    assert_eq!(
        text(&root, "[data-testid=total]"),
        format::money(want, "USD")
    );
    let offer = text(&root, ".quick-start p");
    assert!(
        !offer.contains("does not show"),
        "quick mode shows it all: {offer}"
    );
    root.remove();
}

/// A session host whose Remote Desktop rule was taken off (in detailed mode) counts no RDS CAL:
/// quick mode's box shows it unticked, and ticking it counts them again (review of session 23's
/// changes: it showed ticked, saying its users need RDS CALs, while none were counted).
#[wasm_bindgen_test]
fn a_session_host_without_remote_desktop_users_shows_unticked() {
    let mut e = small_firm(15, "2025", 0);
    e.servers[0].rds_session_host = true;
    assert!(rds(&evaluate(&e)).is_none(), "no RDS CAL is counted");
    assert!(!cal_calc::ui::state::remote_desktop_ticked(&e, 0));
    let state = Rc::new(AppState::new(e, Origin::Saved));
    let ticked = state.reduce(Action::Edit(Edit::SetRemoteDesktop(0, true)));
    assert!(cal_calc::ui::state::remote_desktop_ticked(
        &ticked.estate,
        0
    ));
    assert_eq!(
        rds(&evaluate(&ticked.estate)).map(|p| p.people.value),
        Some(15)
    );
    // Ticked before anyone reaches it, it shows ticked: the first people typed in will.
    let mut empty = Estate::default();
    Edit::AddServer(cal_calc::estate::ServerProduct::WindowsServer).apply(&mut empty);
    Edit::SetRemoteDesktop(0, true).apply(&mut empty);
    assert!(cal_calc::ui::state::remote_desktop_ticked(&empty, 0));
}
