//! Keep and share: the share link (the estate in the URL fragment, never sent anywhere), estate
//! file export and import, the CSV of the position, printing, and starting over. A link or file
//! that cannot be read shows a message and leaves the current work as it is; a file that reads but
//! fails the check, and that the detailed editor can repair, is offered to be opened anyway
//! ([`check_file`]).

use crate::estate::{Date, Estate, EstateError, ServerProduct};
use crate::report::Report;
use crate::share;
use crate::ui::browser;
use crate::ui::components::position::{download_position_csv, file_stem};
use crate::ui::state::{mode_param, usage_removal_effect, Action, Latest, Mode, Notice, Origin};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct KeepProps {
    /// Share link, export and print: the same ones the result's action row offers.
    pub actions: KeepActions,
    /// The share link last made (shown to copy by hand where the clipboard is refused).
    #[prop_or_default]
    pub link: AttrValue,
    pub dispatch: Callback<Action>,
    /// Whether the last autosave succeeded.
    pub saved: bool,
    /// The estate, read when the imported usage is removed (to say what that does to the result).
    pub estate: Latest<Rc<Estate>>,
    /// What the estate's imported usage holds ("12 accounts, 30 devices and 85 usage links"),
    /// empty without one: Keep and share then offers to remove it.
    #[prop_or_default]
    pub usage: AttrValue,
    /// Whether the estate kept for Restore holds imported usage (offered to remove too).
    #[prop_or_default]
    pub previous_usage: bool,
    /// The date the result is counted as of.
    pub today: Date,
    /// Nothing is stored in this browser since "Delete everything …" ([`crate::ui::state::AppState::keeps_nothing`]).
    #[prop_or_default]
    pub keeps_nothing: bool,
}

/// The actions that keep and share the work, made once by the app and offered both here and
/// beside the result (UI review: the result's readers had to look for them down the editor).
#[derive(Clone, PartialEq)]
pub struct KeepActions {
    /// Copies a share link of the estate, in the editor shown.
    pub share: Callback<MouseEvent>,
    /// Downloads the estate file.
    pub export: Callback<MouseEvent>,
    /// Opens the browser's print dialog (the page prints the result).
    pub print: Callback<MouseEvent>,
    /// Downloads the Effective License Position of a report as CSV, as the position's own
    /// "Export CSV" does, or reports why it cannot.
    pub csv: Callback<Rc<Report>>,
    /// Keep and share's field with the share link last made: selected, to copy by hand, when
    /// the browser refuses the copy.
    pub link_field: NodeRef,
    /// The estate file last refused by the check that the detailed editor can repair, with the
    /// notice that refused it: while that notice shows, it offers to open the file anyway
    /// ([`crate::ui::components::notice::NoticeBar`]).
    pub refused: Option<Refused>,
    /// Keeps a refused file to offer to open anyway, or forgets it (see [`read_file`]).
    pub keep_refused: Callback<Option<Repairable>>,
    /// Opens [`KeepActions::refused`] anyway, in the detailed editor, to repair it.
    pub open_anyway: Callback<MouseEvent>,
}

/// An estate file that reads but fails the check, every problem of which the detailed editor
/// shows and can correct ([`check_file`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Repairable {
    /// The file's name.
    pub name: String,
    pub estate: Estate,
    /// The refusal's notice text, which offers to open it anyway.
    pub notice: String,
}

/// A [`Repairable`] file kept to be opened anyway; the same one while it is the same file read
/// (compared by identity: an estate may be large, and the app's context is compared each render).
#[derive(Debug, Clone)]
pub struct Refused(pub Rc<Repairable>);

impl PartialEq for Refused {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// The keep-and-share actions for the estate as of the last render, and the share link last made.
/// `mode` is the editor shown: a share link opens in it. `keeps`: the page keeps the work in this
/// browser, so a link made here is remembered and a reload with it shows the work saved since.
/// `revision`: the estate's ([`crate::ui::state::AppState::revision`]); the link made goes when
/// it changes, as it goes from the address bar: an edit, a load or "Delete everything…" made it
/// a link to an estate no longer shown (review 27: opened elsewhere, it showed the one of before).
#[hook]
pub fn use_keep_actions(
    estate: Latest<Rc<Estate>>,
    dispatch: Callback<Action>,
    mode: Mode,
    keeps: bool,
    revision: u64,
) -> (KeepActions, AttrValue) {
    let link = use_state_eq(AttrValue::default);
    let set_link = link.setter();
    {
        let set_link = set_link.clone();
        use_effect_with(revision, move |_| set_link.set(AttrValue::default()));
    }
    let field = use_node_ref();
    let refused = use_state(|| None::<Refused>);
    let set_refused = refused.setter();
    let actions = use_memo(
        (estate, dispatch, mode, keeps, (*refused).clone()),
        move |(estate, dispatch, mode, keeps, refused)| KeepActions {
            share: share_action(
                estate.clone(),
                dispatch.clone(),
                *mode,
                *keeps,
                set_link,
                field.clone(),
            ),
            export: export_action(estate.clone(), dispatch.clone()),
            print: Callback::from(|_| browser::print()),
            csv: csv_action(dispatch.clone()),
            link_field: field,
            refused: refused.clone(),
            keep_refused: {
                let set = set_refused.clone();
                Callback::from(move |r: Option<Repairable>| set.set(r.map(|r| Refused(Rc::new(r)))))
            },
            open_anyway: open_anyway_action(refused.clone(), dispatch.clone(), set_refused),
        },
    );
    ((*actions).clone(), (*link).clone())
}

/// Why `estate` is not kept in a file or a link, in a message that starts with `refused` ("The
/// estate was not exported"): an estate that cannot be evaluated is refused by the import, the
/// share link and the command line, so a file or link made of it could not be opened again
/// (pre-sales review: an exported customer estate was then refused as "not a usable estate").
/// Refusing here, naming the problem as the result does, keeps every file made openable; the
/// work itself stays in the editor (and saved in this browser) to be corrected.
pub fn refusal(estate: &Estate, refused: &str) -> Option<String> {
    estate.validate().err().map(|e| {
        format!(
            "{refused}: the estate as entered cannot be evaluated, and a file or link made of it could not be opened again. Correct this first: {}. Your work here is unchanged.",
            crate::ui::format::place_in_editor(&e.to_string(), estate).trim_end_matches('.')
        )
    })
}

fn share_action(
    estate: Latest<Rc<Estate>>,
    dispatch: Callback<Action>,
    mode: Mode,
    keeps: bool,
    set_link: UseStateSetter<AttrValue>,
    field: NodeRef,
) -> Callback<MouseEvent> {
    Callback::from(move |_| {
        let estate = estate.get();
        if let Some(m) = refusal(&estate, "No share link was made") {
            dispatch.emit(Action::Notify(Notice::error(m)));
            return;
        }
        match share::encode(&estate) {
            Ok(payload) => {
                let payload = format!("{payload}{}", mode_param(mode));
                // In the address until the next edit (the app clears it then); remembered, so
                // that a reload with it shows the work saved since rather than the link's.
                browser::set_fragment(&payload);
                if keeps {
                    browser::remember_link(&payload);
                }
                let url = format!("{}{}#{payload}", browser::page_base(), query_part());
                // What the link holds, said once (review 19: "the whole estate", then "exact
                // usage rows are not included").
                let (holds, note) = if estate.usage.is_some() {
                    (
                        "the estate, without the exact usage rows of an import (the estate file keeps those),",
                        " The link leaves out the exact usage rows of an import; the estate file keeps them.",
                    )
                } else {
                    ("the whole estate", "")
                };
                let long = if url.len() > 2_000 {
                    " Some mail and chat tools cut links this long: if it arrives broken, send the estate file instead."
                } else {
                    ""
                };
                set_link.set(url.clone().into());
                let (dispatch, field) = (dispatch.clone(), field.clone());
                // "Copied" only once the browser says so (UI review: it said so when the
                // clipboard was refused, or missing on a plain-http address); otherwise the link
                // is selected in Keep and share's field, to copy by hand.
                wasm_bindgen_futures::spawn_local(async move {
                    let notice = if browser::copy_to_clipboard(&url).await {
                        Notice::info(format!(
                            "Share link copied ({} characters). It holds {holds} in the part after #, which browsers never send to a server.{long}",
                            url.len()
                        ))
                    } else {
                        browser::select_field(field);
                        Notice::error(format!(
                            "This browser did not let the calculator copy the share link ({} characters). It is selected in the Share link field of Keep and share: copy it yourself (Ctrl+C, or ⌘C on a Mac).{note}{long}",
                            url.len()
                        ))
                    };
                    dispatch.emit(Action::Notify(notice));
                });
            }
            Err(e) => dispatch.emit(Action::Notify(Notice::error(e.to_string()))),
        }
    })
}

fn export_action(estate: Latest<Rc<Estate>>, dispatch: Callback<Action>) -> Callback<MouseEvent> {
    Callback::from(move |_| {
        let estate = estate.get();
        if let Some(m) = refusal(&estate, "The estate was not exported") {
            dispatch.emit(Action::Notify(Notice::error(m)));
            return;
        }
        let result = share::to_file(&estate)
            .map_err(|e| e.to_string())
            .and_then(|json| {
                browser::download(
                    &format!("{}.estate.json", file_stem(&estate.name)),
                    "application/json",
                    &json,
                )
            });
        if let Err(e) = result {
            dispatch.emit(Action::Notify(Notice::error(format!(
                "The estate could not be exported: {e}"
            ))));
        }
    })
}

fn csv_action(dispatch: Callback<Action>) -> Callback<Rc<Report>> {
    Callback::from(move |report: Rc<Report>| {
        if let Err(e) = download_position_csv(&report) {
            dispatch.emit(Action::Notify(Notice::error(csv_error(&e))));
        }
    })
}

/// The message when the position's CSV cannot be downloaded.
pub fn csv_error(e: &str) -> String {
    format!("The CSV could not be exported: {e}")
}

/// What an estate file chosen by the user is, once read ([`check_file`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Checked {
    /// Usable: it is opened.
    Usable(Estate),
    /// It reads but fails the check, and the detailed editor can show and correct every problem:
    /// refused, with an offer to open it anyway.
    Repairable(Repairable),
    /// Not opened, and not offered: the message says why.
    Refused(String),
}

/// Reads the estate file `name` holding `text`. A file that is not an estate (not JSON, a syntax
/// error, a field of the wrong kind or unknown to this version, a newer format) is refused. One
/// that reads but fails the check (a version no longer in the catalog, a count out of range, a
/// feature none of a rule's servers offers) is refused too, by default, so the current work is
/// never replaced by an estate it cannot evaluate; when every problem is one the detailed editor
/// shows and can correct ([`repairable`]), the refusal offers to open it anyway, to repair it
/// (an estate exported by an earlier version that today's check refuses was otherwise useless).
pub fn check_file(name: &str, text: &str) -> Checked {
    let unchanged = format!("“{name}” was not opened; your current estate is unchanged.");
    let estate = match share::from_file(text) {
        Ok(e) => e,
        Err(e) => return Checked::Refused(format!("{unchanged} {e}")),
    };
    let problems = estate.problems();
    let Some(first) = problems.first() else {
        return Checked::Usable(estate);
    };
    let more = match problems.len() {
        1 => String::new(),
        2 => " It has 1 other problem.".to_string(),
        n => format!(" It has {} other problems.", n - 1),
    };
    let located = |p: &EstateError| {
        share::ShareError::InvalidFile(p.clone().with_location(text).to_string())
            .to_string()
            .trim_end_matches('.')
            .to_string()
    };
    match problems.iter().find(|p| !repairable(&estate, p)) {
        None => {
            let notice = format!(
                "{unchanged} {}.{more} The detailed editor can correct {}: “Open it anyway to repair” shows the file there in place of your current estate. Undo does not go back past opening a file; “Restore the previous estate” then brings your current estate back.",
                located(first),
                if problems.len() == 1 { "it" } else { "them" }
            );
            Checked::Repairable(Repairable {
                name: name.to_string(),
                estate,
                notice,
            })
        }
        // Opened, it could not be evaluated, exported or shared, and the editor could not put it
        // right: the user would be left with an estate to throw away.
        Some(p) => Checked::Refused(format!(
            "{unchanged} {}.{more} The editor cannot show or correct this, so the file cannot be opened to repair it here: correct it in the file with a text editor, then open it again.",
            located(p)
        )),
    }
}

/// Reads the estate file `name` holding `bytes` as every face reads one
/// ([`crate::estate::file_text`]: UTF-8, or UTF-16 with a byte-order mark), then as
/// [`check_file`] does. A file in another encoding is refused, never opened with its letters
/// replaced.
pub fn check_file_bytes(name: &str, bytes: &[u8]) -> Checked {
    match crate::estate::file_text(bytes) {
        Ok(text) => check_file(name, &text),
        Err(e) => Checked::Refused(format!(
            "“{name}” was not opened; your current estate is unchanged. {}.",
            crate::ui::format::capitalised(&e)
        )),
    }
}

/// Whether the detailed editor (with the Prices panel) shows `problem` of estate `e` where it is
/// and can correct it there: the field holds the value the check refuses, as it is, and editing
/// it puts it right. Everything else is not (a reference to an id that does not exist, which no
/// box lists; a field the editor hides for that item, such as a licensing mode on a server that
/// is not a session host; a select that cannot show the value and shows its first choice
/// instead, so choosing that one changes nothing; exact usage, which the editor does not show;
/// ids, which it does not edit; an estate too large to show). A problem not listed here is not,
/// so a check added later is refused until the editor is seen to repair it.
pub fn repairable(e: &Estate, problem: &EstateError) -> bool {
    let EstateError::Field { path, .. } = problem else {
        return false;
    };
    // "servers[2].version" is ("servers", Some(2), "version"); "organisation.currency" has no
    // index.
    let (list, index, field) = match path.split_once('[') {
        Some((list, rest)) => match rest.split_once(']') {
            Some((i, field)) => match i.parse::<usize>() {
                Ok(i) => (list, Some(i), field.trim_start_matches('.')),
                Err(_) => return false,
            },
            None => return false,
        },
        None => (path.as_str(), None, ""),
    };
    match (list, index, field) {
        // The currency select lists a code it does not know as its own choice, shown as chosen.
        ("organisation.currency", None, _) => !crate::ui::format::CURRENCIES
            .iter()
            .any(|c| c.eq_ignore_ascii_case(&e.organisation.currency)),
        // The Prices table shows the first own price of each item it lists.
        ("organisation.prices", Some(i), "amount_minor") => {
            e.organisation.prices.get(i).is_some_and(|p| {
                crate::catalog::reference_prices()
                    .iter()
                    .any(|r| r.item == p.item)
                    && e.organisation.prices.iter().position(|o| o.item == p.item) == Some(i)
            })
        }
        ("organisation.m365.e3_seats" | "organisation.m365.e5_seats", None, _) => true,
        // Number fields show any number, and a count out of range as it is.
        ("groups", Some(_), "count" | "devices_each") => true,
        ("shared_devices", Some(_), "count") => true,
        // An unattended pool without servers: its card lists the servers to tick.
        ("shared_devices", Some(i), "accesses") => {
            e.shared_devices.get(i).is_some_and(|d| d.unattended)
        }
        // The version select shows an unknown version as "2003 (not recognised)".
        ("servers", Some(_), "version" | "cores") => true,
        // A Windows Server's pay-as-you-go box is shown while it is ticked.
        ("servers", Some(i), "pay_as_you_go") => e
            .servers
            .get(i)
            .is_some_and(|s| s.product == ServerProduct::WindowsServer),
        // A rule's boxes list every group, server and feature, ticked as the rule has them.
        ("access", Some(_), "groups" | "servers" | "features") => true,
        ("access", Some(_), f) if f.starts_with("features[") => true,
        ("holdings", Some(_), "quantity" | "software_assurance.until") => true,
        _ => false,
    }
}

/// The problems of `e`, told as the editor shows them, the first few of many.
fn problem_list(e: &Estate) -> String {
    const SHOWN: usize = 5;
    let problems = e.problems();
    let mut told: Vec<String> = problems
        .iter()
        .take(SHOWN)
        .map(|p| {
            crate::ui::format::place_in_editor(&p.to_string(), e)
                .trim_end_matches('.')
                .to_string()
        })
        .collect();
    if problems.len() > SHOWN {
        told.push(format!("{} more", problems.len() - SHOWN));
    }
    told.join("; ")
}

fn open_anyway_action(
    refused: Option<Refused>,
    dispatch: Callback<Action>,
    set_refused: UseStateSetter<Option<Refused>>,
) -> Callback<MouseEvent> {
    Callback::from(move |_| {
        let Some(Refused(r)) = &refused else {
            return;
        };
        let problems = problem_list(&r.estate);
        dispatch.emit(Action::Open {
            estate: Box::new(r.estate.clone()),
            origin: Origin::File,
            // The detailed editor shows every field the problems are in.
            mode: Some(Mode::Detailed),
            text: format!(
                "Opened “{}” to repair it. Until it is corrected it cannot be evaluated, exported or shared. Correct in the detailed editor: {problems}. Undo does not go back past opening a file: “Restore the previous estate” does.",
                r.name
            ),
        });
        set_refused.set(None);
    })
}

thread_local! {
    /// The estate files chosen so far: a file's read is used only if no other was chosen since.
    static FILES_CHOSEN: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Reads an estate file chosen by the user and loads it, or reports why it cannot. A file the
/// detailed editor can repair is refused with an offer to open it anyway: it is kept with
/// `keep_refused` for that offer ([`check_file`]). Only the file chosen last is opened: a larger
/// one chosen before it, whose read ends later, is dropped (race review 29: whichever read
/// ended last won).
pub fn read_file(
    file: web_sys::File,
    dispatch: Callback<Action>,
    keep_refused: Callback<Option<Repairable>>,
) {
    let name = file.name();
    let reader = match web_sys::FileReader::new() {
        Ok(r) => r,
        Err(_) => {
            dispatch.emit(Action::Notify(Notice::error(
                "This browser cannot read files.",
            )));
            return;
        }
    };
    let chosen = FILES_CHOSEN.with(|n| {
        n.set(n.get() + 1);
        n.get()
    });
    let on_load = {
        let (reader, dispatch, name) = (reader.clone(), dispatch.clone(), name.clone());
        wasm_bindgen::closure::Closure::once_into_js(move || {
            if FILES_CHOSEN.with(|n| n.get()) != chosen {
                return;
            }
            let bytes = reader
                .result()
                .map(|v| js_sys::Uint8Array::new(&v).to_vec())
                .unwrap_or_default();
            match check_file_bytes(&name, &bytes) {
                Checked::Usable(estate) => {
                    keep_refused.emit(None);
                    dispatch.emit(Action::Open {
                        estate: Box::new(estate),
                        origin: Origin::File,
                        mode: None,
                        text: format!("Opened “{name}”."),
                    })
                }
                Checked::Repairable(r) => {
                    let notice = Notice::error(r.notice.clone());
                    keep_refused.emit(Some(r));
                    dispatch.emit(Action::Notify(notice));
                }
                Checked::Refused(m) => {
                    keep_refused.emit(None);
                    dispatch.emit(Action::Notify(Notice::error(m)));
                }
            }
        })
    };
    reader.set_onload(Some(on_load.unchecked_ref()));
    // A read that fails (the file moved or deleted since it was chosen) says so, unless another
    // file was chosen since.
    let on_error = {
        let (dispatch, name) = (dispatch.clone(), name.clone());
        wasm_bindgen::closure::Closure::once_into_js(move || {
            if FILES_CHOSEN.with(|n| n.get()) == chosen {
                dispatch.emit(Action::Notify(Notice::error(format!(
                    "“{name}” could not be read. Check that the file is still there, and choose it again."
                ))));
            }
        })
    };
    reader.set_onerror(Some(on_error.unchecked_ref()));
    // The bytes, read as the CLI reads them ([`check_file_bytes`]): `read_as_text` put U+FFFD
    // in place of what is not UTF-8, silently.
    if reader.read_as_array_buffer(&file).is_err() {
        dispatch.emit(Action::Notify(Notice::error(format!(
            "“{name}” could not be read."
        ))));
    }
}

#[component]
pub fn Keep(p: &KeepProps) -> Html {
    let import = {
        let (dispatch, keep_refused) = (p.dispatch.clone(), p.actions.keep_refused.clone());
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<HtmlInputElement>();
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                read_file(file, dispatch.clone(), keep_refused.clone());
            }
            input.set_value("");
        })
    };
    let kept_aside = use_kept_aside();
    let start_over = {
        let dispatch = p.dispatch.clone();
        Callback::from(move |_| {
            let confirmed = web_sys::window()
                .and_then(|w| w.confirm_with_message("Replace the current estate with the sample? Export it first if you want to keep it.").ok())
                .unwrap_or(false);
            if confirmed {
                match crate::ui::app::sample_estate() {
                    Ok(e) => {
                        browser::set_fragment("");
                        dispatch.emit(Action::Open {
                            estate: Box::new(e),
                            origin: Origin::Sample,
                            mode: None,
                            text: "The sample estate is loaded.".into(),
                        });
                    }
                    Err(e) => dispatch.emit(Action::Notify(Notice::error(e))),
                }
            }
        })
    };
    let remove_usage = {
        let (dispatch, estate, today) = (p.dispatch.clone(), p.estate.clone(), p.today);
        Callback::from(move |_| {
            let effect = usage_removal_effect(&estate.get(), today).unwrap_or_default();
            dispatch.emit(Action::RemoveUsage { effect });
        })
    };
    let asking = use_state_eq(|| None::<Vec<String>>);
    let ask_delete = {
        let asking = asking.clone();
        Callback::from(move |_| {
            asking.set(Some(browser::stored_keys()));
            // The button goes with the question in its place: the focus goes to the question,
            // which is then read, not to the page (review 27: it dropped to <body>).
            focus_soon(ASK_QUESTION_ID);
        })
    };
    let cancel_delete = {
        let asking = asking.clone();
        Callback::from(move |_| {
            asking.set(None);
            focus_soon(ASK_DELETE_ID);
        })
    };
    let delete_all = {
        let (asking, dispatch) = (asking.clone(), p.dispatch.clone());
        Callback::from(move |_| {
            asking.set(None);
            // The question goes: the focus goes back to the button that asked it.
            focus_soon(ASK_DELETE_ID);
            browser::set_fragment("");
            let deleted = deleted_told(&browser::forget_everything());
            match crate::ui::app::sample_estate() {
                Ok(sample) => dispatch.emit(Action::ForgetAll {
                    sample: Box::new(sample),
                    deleted,
                }),
                Err(e) => dispatch.emit(Action::Notify(Notice::error(e))),
            }
        })
    };
    html! {
        <section class="card keep no-print" aria-labelledby="keep-title">
            <h2 id="keep-title">{ "Keep and share" }</h2>
            <p class="note" data-testid="autosave">{ if p.keeps_nothing {
                "Nothing is stored in this browser now: your next change is saved here as you type. Nothing is sent anywhere."
            } else if p.saved {
                "Saved in this browser as you type. Nothing is sent anywhere."
            } else {
                crate::ui::browser::unsaved_note()
            } }</p>
            <div class="button-row">
                <button type="button" onclick={p.actions.share.clone()}>{ "Copy share link" }</button>
                <button type="button" class="secondary" onclick={p.actions.export.clone()}>{ "Export estate (JSON)" }</button>
                // The hidden input sits on its label: focused, the page scrolls the label into
                // view (WCAG 2.2 review: it stood at the row's top left, and the label was left
                // under the notice or below the window).
                <span class="file-pick">
                    <input id="import-file" class="visually-hidden file-input" type="file" accept=".json,application/json" onchange={import} />
                    <label class="button secondary file-button" for="import-file">{ "Import estate (JSON)" }</label>
                </span>
                <button type="button" class="secondary" onclick={p.actions.print.clone()}>{ "Print" }</button>
                <button type="button" class="secondary" onclick={start_over}>{ "Start over with the sample" }</button>
            </div>
            if !p.usage.is_empty() || p.previous_usage {
                <div class="keep-usage" data-testid="keep-usage">
                    <p class="note">{ if p.usage.is_empty() {
                        "The estate kept for Restore holds the account and device names of an import. Removing them keeps its counts.".to_string()
                    } else {
                        format!("This estate holds the account and device names of an import ({}): they are saved in this browser, written to the estate file, and named in the report's “why” texts on screen and in print. Removing them keeps the groups' counts; the result then counts from those and the access rules.", p.usage)
                    } }</p>
                    <button type="button" class="secondary" onclick={remove_usage}>{ "Remove imported account and device names" }</button>
                </div>
            }
            { unreadable_offer(&kept_aside, &p.dispatch) }
            { readable_kept_offer(&kept_aside, &p.dispatch) }
            if !p.link.is_empty() {
                <div class="field">
                    <label for="share-link">{ "Share link" }</label>
                    <input id="share-link" type="text" readonly=true value={p.link.clone()} ref={p.actions.link_field.clone()} />
                </div>
            }
            <p class="note">{ STORED_NOTE }</p>
            if let Some(keys) = &*asking {
                <div class="keep-ask" role="group" aria-labelledby={ASK_QUESTION_ID} data-testid="keep-delete-ask">
                    <p id={ASK_QUESTION_ID} tabindex="-1"><strong>{ "Delete everything this calculator stored in this browser?" }</strong></p>
                    <p class="note">{ if keys.is_empty() {
                        "Nothing is stored here now. Deleting also shows the sample in place of the estate on this page: export it first if you want to keep it.".to_string()
                    } else {
                        format!("This deletes {}. The sample is then shown in place of the estate on this page, and cannot be undone: export the estate first if you want to keep it. Files read in the Import panel are not stored: “Forget the imported files” or closing the page lets them go.", deleted_told(keys))
                    } }</p>
                    <div class="button-row">
                        <button type="button" class="remove" onclick={delete_all}>{ "Delete everything stored here" }</button>
                        <button type="button" class="secondary" onclick={cancel_delete}>{ "Cancel" }</button>
                    </div>
                </div>
            } else {
                <div class="button-row">
                    <button type="button" class="secondary" id={ASK_DELETE_ID} onclick={ask_delete}>{ "Delete everything this calculator stored in this browser" }</button>
                </div>
            }
        </section>
    }
}

/// The id of the question "Delete everything this calculator stored…?".
const ASK_QUESTION_ID: &str = "keep-ask-question";
/// The id of the button that asks it.
const ASK_DELETE_ID: &str = "keep-delete";

/// Moves the keyboard focus to the element with this id once the page shows it (after this
/// render), if it is there.
fn focus_soon(id: &'static str) {
    browser::focus_soon(vec![id.to_string()]);
}

/// What Keep and share says this calculator stores in this browser, and how to delete it.
pub const STORED_NOTE: &str = "This calculator stores in this browser only: the estate as you type it, the estate kept for Restore after a load replaced one, estates it could not read (kept aside), the editor last shown, a hash of each share link opened or made here, and a hash of the estate a link or example last opened. “Delete everything this calculator stored in this browser” deletes all of them.";

/// The stored `keys`, told by what they hold, each once: "the estate saved as you type and the
/// editor last shown"; "nothing" when there are none.
pub fn deleted_told(keys: &[String]) -> String {
    let mut told: Vec<String> = Vec::new();
    for k in keys {
        let t = browser::key_told(k);
        if !told.iter().any(|x| x == t) {
            told.push(t.to_string());
        }
    }
    if told.is_empty() {
        "nothing (nothing was stored)".to_string()
    } else {
        crate::findings::list_all(&told)
    }
}

fn query_part() -> String {
    let q = browser::query();
    if q.is_empty() {
        String::new()
    } else {
        format!("?{q}")
    }
}

/// The saved estates kept aside, kept up to date.
#[hook]
fn use_kept_aside() -> Vec<browser::KeptAside> {
    let kept = use_state_eq(|| {
        // Kept aside before anything can be saved over it.
        browser::keep_unreadable();
        browser::kept_aside()
    });
    {
        let kept = kept.clone();
        use_effect_with((), move |_| {
            let listeners = web_sys::window().map(|w| {
                let refresh = {
                    let kept = kept.clone();
                    move |_: &web_sys::Event| kept.set(browser::kept_aside())
                };
                (
                    gloo::events::EventListener::new(
                        &w,
                        browser::UNREADABLE_EVENT,
                        refresh.clone(),
                    ),
                    // Another tab set one aside or discarded it.
                    gloo::events::EventListener::new(&w, "storage", refresh),
                )
            });
            move || drop(listeners)
        });
    }
    (*kept).clone()
}

/// The words of one kind of estate kept aside: its files' names, what it is called in a message,
/// the question before deleting it, and its two buttons.
struct KeptWords {
    file: &'static str,
    what: &'static str,
    ask: &'static str,
    download: &'static str,
    delete: &'static str,
}

/// The download and delete buttons of the `n`th (from 1) of the estates kept aside offered.
fn kept_buttons(
    k: &browser::KeptAside,
    n: usize,
    many: bool,
    words: &'static KeptWords,
    dispatch: &Callback<Action>,
) -> Html {
    let suffix = if many { format!(" {n}") } else { String::new() };
    let download = {
        let (text, dispatch) = (k.text.clone(), dispatch.clone());
        Callback::from(move |_| {
            let name = if n == 1 {
                format!("{}.estate.json", words.file)
            } else {
                format!("{}-{n}.estate.json", words.file)
            };
            if let Err(e) = browser::download(&name, "application/json", &text) {
                dispatch.emit(Action::Notify(Notice::error(format!(
                    "The {} could not be downloaded: {e}",
                    words.what
                ))));
            }
        })
    };
    let discard = {
        let key = k.key.clone();
        Callback::from(move |_| {
            let confirmed = web_sys::window()
                .and_then(|w| w.confirm_with_message(words.ask).ok())
                .unwrap_or(false);
            if confirmed {
                browser::discard_unreadable(&key);
            }
        })
    };
    html! {
        <div class="button-row">
            <button type="button" onclick={download}>{ format!("{}{suffix}", words.download) }</button>
            <button type="button" class="secondary" onclick={discard}>{ format!("{}{suffix}", words.delete) }</button>
        </div>
    }
}

/// Offers each unreadable saved estate as a file, and to forget it.
fn unreadable_offer(kept: &[browser::KeptAside], dispatch: &Callback<Action>) -> Html {
    static WORDS: KeptWords = KeptWords {
        file: "unreadable-saved",
        what: "unreadable saved estate",
        ask: "Delete the unreadable saved estate from this browser? Download it first if you may need it.",
        download: "Download the unreadable saved estate",
        delete: "Delete it",
    };
    let kept: Vec<&browser::KeptAside> = kept.iter().filter(|k| !k.readable).collect();
    if kept.is_empty() {
        return html! {};
    }
    let many = kept.len() > 1;
    html! {
        <div class="notice error" role="alert" data-testid="unreadable-saved">
            <p>{ if many {
                format!("{} estates saved in this browser could not be read by this version of the calculator (a newer version saved them, or they are damaged). They are kept here, untouched: download them to open them with a newer version or to repair them.", kept.len())
            } else {
                "An estate saved in this browser could not be read by this version of the calculator (a newer version saved it, or it is damaged). It is kept here, untouched: download it to open it with a newer version or to repair it.".to_string()
            } }</p>
            { for kept.iter().enumerate().map(|(n, k)| kept_buttons(k, n + 1, many, &WORDS, dispatch)) }
        </div>
    }
}

/// Offers each estate kept aside that this calculator can read (an older version open in
/// another tab could not read it, and kept it aside before saving its own) as a file, and to
/// forget it. It is not called unreadable, and forgetting it leaves the current save alone.
fn readable_kept_offer(kept: &[browser::KeptAside], dispatch: &Callback<Action>) -> Html {
    static WORDS: KeptWords = KeptWords {
        file: "kept-aside",
        what: "estate kept aside",
        ask: "Delete the estate kept aside from this browser? Your current estate stays. Download it first if you may need it.",
        download: "Download the estate kept aside",
        delete: "Delete the estate kept aside",
    };
    let kept: Vec<&browser::KeptAside> = kept.iter().filter(|k| k.readable).collect();
    if kept.is_empty() {
        return html! {};
    }
    let many = kept.len() > 1;
    html! {
        <div class="notice info" role="status" data-testid="kept-aside-readable">
            <p>{ if many {
                format!("{} estates saved in this browser were kept aside by an older version of the calculator, open in another tab, that could not read them. This version can read them: download them to keep them (“Import estate (JSON)” opens such a file), or delete them; your current estate stays either way.", kept.len())
            } else {
                "An estate saved in this browser was kept aside by an older version of the calculator, open in another tab, that could not read it. This version can read it: download it to keep it (“Import estate (JSON)” opens the file), or delete it; your current estate stays either way.".to_string()
            } }</p>
            { for kept.iter().enumerate().map(|(n, k)| kept_buttons(k, n + 1, many, &WORDS, dispatch)) }
        </div>
    }
}
