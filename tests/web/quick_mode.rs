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
