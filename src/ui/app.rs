//! The app: chooses the first estate (a share link in the address, else an embed preset, else the
//! estate autosaved in this browser, else the sample), holds the one state, evaluates it after every
//! edit and lays the panels out.
//!
//! Every edit is evaluated with the optimiser's quick effort, so typing stays responsive (the sample
//! with a four-digit staff count took up to 1.75 s a keystroke in full). A quick report that is not
//! the full one (an answer it could not prove) is replaced by the full evaluation once the user
//! pauses, computed in a Web Worker ([`use_full_report`]) so the page does not freeze for it.

use crate::engine::EvaluateError;
use crate::estate::{Date, Estate};
use crate::optimise::Effort;
use crate::report::Report;
use crate::share;
use crate::ui::browser;
use crate::ui::components::charts::{BreakEvenCharts, CostChart};
use crate::ui::components::detailed::DetailedForm;
use crate::ui::components::embed_panel::EmbedPanel;
use crate::ui::components::findings::Findings;
use crate::ui::components::import::{ImportInto, ImportPanel};
use crate::ui::components::inputs::InputsSummary;
use crate::ui::components::keep::{use_keep_actions, Keep, KeepActions};
use crate::ui::components::notice::{use_shown_place, NoticeBar};
use crate::ui::components::position::PositionTable;
use crate::ui::components::prices::{OwnPrices, Prices};
use crate::ui::components::privacy::PrivacyCheck;
use crate::ui::components::quick::QuickForm;
use crate::ui::components::results::{ProductResults, Recommendation};
use crate::ui::components::why::PrintingProvider;
use crate::ui::embed::{self, EmbedParams};
use crate::ui::hooks::{use_autosave, use_full_report, use_height_reporter, Full};
use crate::ui::state::{
    link_mode, Action, AppState, Edit, Latest, Mode, Notice, NoticePlace, Origin,
};
use std::rc::Rc;
use yew::prelude::*;

/// The sample estate shown on a first visit.
const SAMPLE: &str = include_str!("../../examples/estates/sample.json");

/// A quick evaluation longer than this (ms) is not run at each keystroke, but after a pause.
const SLOW_QUICK_MS: f64 = 50.0;
/// The User Timing measure of each quick evaluation that decides whether the next waits for a
/// pause (the browser tests read it to know which case a run of keystrokes was in).
const QUICK_MEASURE: &str = "cal-calc quick evaluation";
/// The pause in typing after which a slow quick evaluation runs (ms).
const QUICK_SETTLE_MS: u32 = 200;

/// The quick evaluation of one revision as of one date, and whether it is the full one.
type Quick = Result<(Rc<Report>, bool), EvaluateError>;

/// The quick evaluation of `estate` as of `today`, as at each keystroke. Unnamed servers go to
/// the engine as the editors call them ("Server 2").
fn quick_report(estate: &Rc<Estate>, today: Date) -> Quick {
    crate::evaluate_with(&crate::ui::state::for_engine(estate), today, Effort::Quick)
        .map(|e| (Rc::new(e.report), e.complete))
}

/// The report of the estate as it is now, for the actions that take the result away (its CSV,
/// the printout). While a slow estate waits for the typing to pause, the figures shown are those
/// of the edit before, marked "Updating…"; these actions evaluate the estate as it is first, so
/// what they give holds the last keystroke, and the page then shows that evaluation (review:
/// a CSV exported within 0.2 s of typing a name was named after the name before). Handles
/// compare by identity, as [`Latest`] does.
#[derive(Clone)]
pub struct ReportNow(Rc<std::cell::RefCell<NowCell>>);

struct NowCell {
    /// The report shown (the last that could be computed while an edit is invalid).
    shown: Option<Rc<Report>>,
    /// The result shows an earlier revision than `revision`'s, waiting for the typing to pause.
    pending: bool,
    estate: Rc<Estate>,
    revision: u64,
    today: Date,
    /// A quick evaluation made for an action, which the page takes instead of evaluating again.
    flushed: Option<(u64, Date, Quick)>,
    /// Ends the wait for the pause (the page then shows `flushed`).
    settle: Option<UseStateSetter<u64>>,
}

impl PartialEq for ReportNow {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl ReportNow {
    /// The report of the estate as it is now: the one shown, unless it waits for the typing to
    /// pause; then the estate is evaluated now (the quick effort, as at each keystroke) and the
    /// page shows that. An estate that cannot be evaluated gives the report shown, as the page
    /// keeps it (marked out of date).
    pub fn get(&self) -> Option<Rc<Report>> {
        let mut cell = self.0.borrow_mut();
        if !cell.pending {
            return cell.shown.clone();
        }
        let quick = quick_report(&cell.estate, cell.today);
        let report = quick.as_ref().ok().map(|(r, _)| r.clone());
        cell.flushed = Some((cell.revision, cell.today, quick));
        cell.pending = false;
        if let Some(settle) = &cell.settle {
            settle.set(cell.revision);
        }
        report.or_else(|| cell.shown.clone())
    }
}

/// The sample estate, parsed.
pub fn sample_estate() -> Result<Estate, String> {
    share::from_file(SAMPLE).map_err(|e| format!("The built-in sample could not be read: {e}"))
}

/// Whether `estate` is the sample exactly as shipped (a first visit, nothing edited, or the
/// sample saved unchanged): what an import must not be mixed into.
pub fn is_untouched_sample(estate: &Estate) -> bool {
    sample_estate().is_ok_and(|s| s == *estate)
}

/// The worked examples (cal-rules worked examples G1–G14), by file name, for embed `preset=`.
pub const PRESETS: &[(&str, &str)] = &[
    (
        "g1-small-office",
        include_str!("../../examples/estates/g1-small-office.json"),
    ),
    (
        "g10-sharepoint-extranet",
        include_str!("../../examples/estates/g10-sharepoint-extranet.json"),
    ),
    (
        "g11-multiplexing",
        include_str!("../../examples/estates/g11-multiplexing.json"),
    ),
    (
        "g12-essentials-cap",
        include_str!("../../examples/estates/g12-essentials-cap.json"),
    ),
    (
        "g13-payg",
        include_str!("../../examples/estates/g13-payg.json"),
    ),
    (
        "g14-sql-break-even",
        include_str!("../../examples/estates/g14-sql-break-even.json"),
    ),
    (
        "g2-users-and-shared-terminals",
        include_str!("../../examples/estates/g2-users-and-shared-terminals.json"),
    ),
    (
        "g3-four-populations",
        include_str!("../../examples/estates/g3-four-populations.json"),
    ),
    (
        "g4-rds-additive",
        include_str!("../../examples/estates/g4-rds-additive.json"),
    ),
    (
        "g5-rds-subset-vms",
        include_str!("../../examples/estates/g5-rds-subset-vms.json"),
    ),
    (
        "g6-anonymous-web",
        include_str!("../../examples/estates/g6-anonymous-web.json"),
    ),
    (
        "g7-cal-per-organisation",
        include_str!("../../examples/estates/g7-cal-per-organisation.json"),
    ),
    (
        "g8a-rds-cals-older-than-hosts",
        include_str!("../../examples/estates/g8a-rds-cals-older-than-hosts.json"),
    ),
    (
        "g8b-rds-cals-newer-than-licensing-server",
        include_str!("../../examples/estates/g8b-rds-cals-newer-than-licensing-server.json"),
    ),
    (
        "g9-ec-break-even",
        include_str!("../../examples/estates/g9-ec-break-even.json"),
    ),
];

/// Example estates that embed `preset=` can name: `sample` or a worked example's file name.
pub fn preset_estate(name: &str) -> Option<Result<Estate, String>> {
    if name == "sample" {
        return Some(sample_estate());
    }
    PRESETS.iter().find(|(n, _)| *n == name).map(|(n, text)| {
        share::from_file(text).map_err(|e| format!("The example “{n}” could not be read: {e}"))
    })
}

/// `fresh` said after `notice`, if there is one: its text follows, an error makes the whole an
/// error, and a Restore offer of either stays.
fn beside(notice: Option<Notice>, fresh: Notice) -> Notice {
    match notice {
        Some(n) => Notice {
            kind: if fresh.kind == crate::ui::state::NoticeKind::Error {
                fresh.kind
            } else {
                n.kind
            },
            offer_restore: n.offer_restore || fresh.offer_restore,
            text: format!("{} {}", n.text, fresh.text),
            ..n
        },
        None => fresh,
    }
}

/// Where the first estate comes from, with any message about a refused link or saved estate.
/// `link_seen`: this browser opened or made the share link in `fragment` before, so the estate
/// saved here, when it differs, holds the later work and is shown instead.
/// `saved_opened`: the saved estate is one a link or example opened, unedited since
/// (`browser::was_opened`), so opening another keeps `kept` for Restore rather than it.
fn initial_state(
    params: &EmbedParams,
    fragment: &str,
    saved: Option<String>,
    link_seen: bool,
    kept: Option<String>,
    saved_mode: Option<String>,
    saved_opened: bool,
) -> AppState {
    let fallback = |notice: Option<Notice>| {
        let (estate, mut notice) = match sample_estate() {
            Ok(e) => (e, notice),
            Err(e) => (Estate::default(), Some(Notice::error(e))),
        };
        if let Some(n) = notice.as_mut() {
            n.text.push_str(" The sample estate is shown instead.");
        }
        (estate, Origin::Sample, notice)
    };
    let from_saved = |notice: Option<Notice>| {
        match saved.as_deref().filter(|_| !params.embed) {
        Some(json) => match share::from_file(json) {
            Ok(e) => {
                let notice = notice.map(|mut n: Notice| {
                    n.text.push_str(" Your saved estate is shown instead.");
                    n
                });
                (e, Origin::Saved, notice)
            }
            Err(e) => fallback(Some(Notice::error(format!(
                "The estate saved in this browser could not be read ({e}). It is kept, not saved over: Keep and share offers it as a file."
            )))),
        },
        None => fallback(notice),
    }
    };
    // The estate saved in this browser, when a share link replaces it, for the Restore button;
    // unless it is what a link or example opened, unedited, while an estate is kept from before
    // (security review 40): that one stays kept, and the opened one stays at its link.
    let keep_kept = saved_opened && kept.is_some();
    let mut previous = None;
    // The link's estate, when the saved work is shown instead of it, for "Open the link's estate".
    let mut link = None;
    let (mut estate, origin, mut notice) = if share::looks_like_link(fragment) {
        match share::decode(fragment) {
            // A link opened or made here before, and the work saved since (UI review: a reload
            // after copying a link and editing brought the link's estate back over the edits).
            Ok(e)
                if link_seen
                    && !params.embed
                    && saved
                        .as_deref()
                        .and_then(|json| share::from_file(json).ok())
                        .is_some_and(|s| s != e) =>
            {
                link = Some(e);
                let (saved, origin, notice) = from_saved(Some(Notice::info(
                    "The share link in the address was opened or made in this browser before, and the estate was changed since.",
                )));
                let notice = notice.map(|n| Notice {
                    offer_link: true,
                    ..n
                });
                (saved, origin, notice)
            }
            Ok(e) => {
                previous = saved
                    .as_deref()
                    .filter(|_| !params.embed && !keep_kept)
                    .and_then(|json| share::from_file(json).ok())
                    .filter(|s| *s != e);
                let text = "Opened the estate from the share link.";
                let notice = if previous.is_some() {
                    Notice::replaced(text)
                } else {
                    Notice::info(text)
                };
                (e, Origin::ShareLink, Some(notice))
            }
            // Two sentences: the reason is one of its own ("This share link is damaged…").
            Err(e) => from_saved(Some(Notice::error(format!(
                "The share link in the address was not opened. {e}"
            )))),
        }
    } else if let Some(name) = params.preset.as_deref() {
        match preset_estate(name) {
            // Outside a frame an example in the address replaces the work as a share link does,
            // kept for Restore (life review 24: `?preset=` threw the saved work away, and again
            // at each reload); a frame never keeps work, so there is nothing to keep.
            Some(Ok(e)) if !params.embed => {
                previous = saved
                    .as_deref()
                    .filter(|_| !keep_kept)
                    .and_then(|json| share::from_file(json).ok())
                    .filter(|s| *s != e);
                let text = format!("Opened the example “{name}”.");
                let notice = if previous.is_some() {
                    Notice::replaced(text)
                } else {
                    Notice::info(text)
                };
                (e, Origin::Preset, Some(notice))
            }
            Some(Ok(e)) => (e, Origin::Preset, None),
            Some(Err(e)) => from_saved(Some(Notice::error(e))),
            // Review 20: the message named no valid example.
            None => from_saved(Some(Notice::error(format!(
                "There is no example called “{name}”. The examples are: sample, {}.",
                PRESETS
                    .iter()
                    .map(|(n, _)| *n)
                    .collect::<Vec<_>>()
                    .join(", ")
            )))),
        }
    } else {
        from_saved(None)
    };
    // The estate a load replaced before this visit, kept in this browser: offered back as the
    // notice said it would be (UI review: a reload lost it).
    if previous.is_none() && !params.embed {
        if let Some(kept) = kept
            .as_deref()
            .and_then(|json| share::from_file(json).ok())
            .filter(|k| *k != estate)
        {
            previous = Some(kept);
            let text = if keep_kept {
                "The estate kept for Restore is still the one you had before the link or example opened earlier."
            } else {
                "The estate this one replaced is still kept in this browser until you load another."
            };
            notice = Some(beside(
                notice,
                Notice {
                    offer_restore: true,
                    ..Notice::info(text)
                },
            ));
        }
    }
    // The address's currency and prices are for what it opens: an embedded page, or an example
    // it names. Work saved in this browser keeps its own (life review 24: `?currency=EUR`
    // cleared a saved estate's prices and saved it so).
    if params.embed || origin == Origin::Preset {
        crate::ui::embed::apply_prices(&mut estate, params);
    } else if params.currency.is_some() || !params.prices.is_empty() {
        let text = "The address's currency and prices apply to an embedded calculator or an example it opens; the estate shown keeps its own.";
        notice = Some(beside(notice, Notice::info(text)));
    }
    if !params.embed && params.parent_origin.is_some() {
        let text = "The address's parentOrigin is for an embedded calculator (embed=1): this page sends nothing to another page.";
        notice = Some(beside(notice, Notice::info(text)));
    }
    // Said beside any other notice, which it makes an error (API review 39: with a share link
    // opened, only "Opened the estate from the share link." was said).
    if !params.problems.is_empty() {
        let text = format!(
            "Some embed parameters were ignored: {}.",
            params.problems.join("; ")
        );
        notice = Some(beside(notice, Notice::error(text)));
    }
    let mut state = AppState::new(estate, origin);
    // A share link opens in the mode it was copied in (review 14: one copied in quick mode opened
    // in detailed mode); an old link without it as before.
    if origin == Origin::ShareLink {
        if let Some(mode) = link_mode(fragment) {
            state.mode = mode;
        }
    }
    // Saved work opens in the editor it was last shown in.
    if origin == Origin::Saved {
        match saved_mode.as_deref() {
            Some("detailed") => state.mode = Mode::Detailed,
            Some("quick") => state.mode = Mode::Quick,
            _ => {}
        }
    }
    state.notice = notice;
    state.previous = previous.map(Rc::new);
    state.link = link.map(|e| (Rc::new(e), link_mode(fragment)));
    state
}

#[derive(Properties, PartialEq, Default)]
pub struct AppProps {
    /// For tests: start from this estate instead of reading the address and storage.
    #[prop_or_default]
    pub estate: Option<Rc<Estate>>,
    /// For tests: evaluate as of this date instead of today.
    #[prop_or_default]
    pub today: Option<Date>,
    /// For tests: a quick evaluation longer than this (ms) waits for a pause in typing, instead
    /// of [`SLOW_QUICK_MS`]. The component tests run the unoptimised build, where every
    /// evaluation is slow, and check each edit's result at once: they give `f64::INFINITY`.
    #[prop_or_default]
    pub slow_quick_ms: Option<f64>,
}

#[component]
pub fn App(props: &AppProps) -> Html {
    let params = use_memo((), |_| {
        embed::parse(&browser::query(), &browser::fragment())
    });
    let state = {
        let (params, start) = (params.clone(), props.estate.clone());
        use_reducer(move || match start {
            Some(e) => AppState::new((*e).clone(), Origin::Sample),
            None => {
                let fragment = browser::fragment();
                let seen = share::looks_like_link(&fragment) && browser::link_seen(&fragment);
                let saved = browser::load_saved();
                let saved_opened = saved.as_deref().is_some_and(browser::was_opened);
                let state = initial_state(
                    &params,
                    &fragment,
                    saved,
                    seen,
                    browser::load_previous(),
                    browser::load_mode(),
                    saved_opened,
                );
                if !params.embed {
                    if let Some(json) = (state.opened.as_ref()).and_then(|e| share::to_file(e).ok())
                    {
                        browser::mark_opened(&json);
                    }
                }
                state
            }
        })
    };
    // Whether this page keeps the work in this browser (not embedded, not a test's estate).
    let keeps = !params.embed && props.estate.is_none();
    // The editor shown is kept with the work, for the next visit (see `initial_state`).
    use_effect_with((state.mode, state.keeps_nothing), move |(mode, nothing)| {
        if keeps && !nothing {
            browser::save_mode(match mode {
                Mode::Quick => "quick",
                Mode::Detailed => "detailed",
            });
        }
    });
    {
        // The estate Restore brings back is kept in this browser as long as it is offered.
        let previous = state.previous.clone();
        let key = previous.as_ref().map(|p| Rc::as_ptr(p) as usize);
        use_effect_with(key, move |_| {
            if keeps {
                match previous.map(|p| share::to_file(&p)) {
                    Some(Ok(json)) => {
                        browser::save_previous(&json);
                    }
                    // Not one to leave there when the one offered could not be written.
                    Some(Err(_)) | None => browser::forget_previous(),
                }
            }
        });
    }
    // An example, currency or prices named in the address are applied once: the address then
    // drops them, so a reload or a bookmark shows the work saved since (life review 24).
    use_effect_with((), move |_| {
        if keeps {
            browser::drop_query_params(&["preset", "currency"], &["price."]);
        }
    });
    {
        // A share link in the address stays there only while it is the estate shown: after an
        // edit, a reload, a bookmark or the browser's session restore shows the saved work, not
        // the link (UI review). A link opened here is remembered for the same reason.
        let estate = state.estate.clone();
        let first = use_mut_ref(|| true);
        // The link's estate, decoded once: the first edit otherwise decoded the whole link
        // again (inflate and parse; a few milliseconds for 50 servers) before it showed.
        let decoded = use_mut_ref(|| None::<(String, Result<Estate, ()>)>);
        use_effect_with(state.revision, move |_| {
            let first = std::mem::replace(&mut *first.borrow_mut(), false);
            let fragment = browser::fragment();
            if keeps && share::looks_like_link(&fragment) {
                let mut decoded = decoded.borrow_mut();
                if decoded.as_ref().is_none_or(|(f, _)| *f != fragment) {
                    let linked = share::decode(&fragment).map_err(|_| ());
                    *decoded = Some((fragment.clone(), linked));
                }
                if let Some((_, Ok(linked))) = decoded.as_ref() {
                    if *linked == *estate {
                        if first {
                            browser::remember_link(&fragment);
                        }
                    } else {
                        browser::set_fragment("");
                    }
                }
            }
        });
    }
    // The device's date, looked at again every minute: a page left open past midnight evaluates,
    // names its files and judges Software Assurance as of the new day, as a tab opened then
    // would (surfaces review 26: an open tab kept yesterday's date, and its position differed
    // from a new tab's on the same saved estate). A minute's timer also fires after the device
    // wakes from sleep; `use_state_eq` renders only when the date changed.
    let today = {
        let fixed = props.today;
        let day = use_state_eq(browser::today);
        {
            let day = day.clone();
            use_effect_with(fixed, move |fixed| {
                let timer = fixed.is_none().then(|| {
                    gloo::timers::callback::Interval::new(60_000, move || day.set(browser::today()))
                });
                move || drop(timer)
            });
        }
        fixed.unwrap_or(*day)
    };
    // The date the count is as of: the estate's own (an Effective License Position's baseline,
    // set in the detailed editor), else today (ELP review 42: only the CLI could set it).
    let today = state.estate.as_of.unwrap_or(today);
    // A quick evaluation that took long (a usage log of 3,000 people: 0.2 s in the browser) is
    // not run at each keystroke, which froze the page for that long at every character typed
    // (four characters took a second to show): once one has taken over `SLOW_QUICK_MS`, the next
    // runs when the typing has paused for `QUICK_SETTLE_MS`, the figures shown meanwhile marked
    // as updating. Estates that evaluate fast are evaluated at each keystroke, as before.
    let slow_quick = use_mut_ref(|| false);
    let now_cell = use_mut_ref(|| NowCell {
        shown: None,
        pending: false,
        estate: state.estate.clone(),
        revision: state.revision,
        today,
        flushed: None,
        settle: None,
    });
    let settled = use_state_eq(|| state.revision);
    let last_due = use_mut_ref(|| state.revision);
    let pending = *slow_quick.borrow() && *settled != state.revision;
    // The revision the quick report is of: the one shown until the typing pauses.
    let due = if pending {
        *last_due.borrow()
    } else {
        state.revision
    };
    *last_due.borrow_mut() = due;
    {
        let (settled, slow) = (settled.clone(), slow_quick.clone());
        use_effect_with(state.revision, move |&revision| {
            let timer = (*slow.borrow()).then(|| {
                gloo::timers::callback::Timeout::new(QUICK_SETTLE_MS, move || settled.set(revision))
            });
            move || drop(timer)
        });
    }
    // The quick report of this revision, and whether it is the full one.
    let quick = {
        let estate = state.estate.clone();
        let slow = slow_quick.clone();
        let slow_after = props.slow_quick_ms.unwrap_or(SLOW_QUICK_MS);
        // The page's first evaluation is not timed: it runs cold (the sample's took over 50 ms
        // there, and about 10 ms at the next edit).
        let first = use_mut_ref(|| true);
        let now = now_cell.clone();
        use_memo((due, today), move |&(due, today)| {
            // Evaluated already for an action that took the result away ([`ReportNow::get`]).
            let flushed = now.borrow_mut().flushed.take();
            if let Some((_, _, quick)) = flushed.filter(|f| f.0 == due && f.1 == today) {
                return quick;
            }
            let (quick, took) = browser::measured(QUICK_MEASURE, || quick_report(&estate, today));
            let cold = std::mem::replace(&mut *first.borrow_mut(), false);
            *slow.borrow_mut() = !cold && took > slow_after;
            quick
        })
    };
    // The full report when the quick one is not proven, for this revision and date only: a stale
    // one is never shown. The result is marked busy until it arrives.
    let key = (state.revision, today);
    let unproven = !pending && matches!(&*quick, Ok((_, false)));
    let full_here = use_full_report(state.estate.clone(), key, unproven);
    let refining = pending || (unproven && full_here.is_none());
    // The full search was ended without an answer: the quick answer stays, and says so.
    let search_stopped = unproven && matches!(full_here, Some(Full::Stopped));
    // While a slow quick evaluation waits for the pause, what was shown stays (the full report
    // of the revision before, not its quick one).
    let shown_result = use_mut_ref(|| None::<Rc<Result<Rc<Report>, EvaluateError>>>);
    let kept = if pending {
        shown_result.borrow().clone()
    } else {
        None
    };
    let result: Rc<Result<Rc<Report>, EvaluateError>> = match (kept, full_here) {
        (Some(kept), _) => kept,
        (None, Some(Full::Done(full))) => full,
        _ => Rc::new(match &*quick {
            Ok((report, _)) => Ok(report.clone()),
            Err(e) => Err(e.clone()),
        }),
    };
    *shown_result.borrow_mut() = Some(result.clone());
    // The last report that could be computed stays on screen (marked) while an edit is invalid.
    let last_good = use_mut_ref(|| None::<Rc<Report>>);
    let report = match &*result {
        Ok(r) => {
            *last_good.borrow_mut() = Some(r.clone());
            Some(r.clone())
        }
        Err(_) => last_good.borrow().clone(),
    };
    {
        let mut now = now_cell.borrow_mut();
        now.shown = report.clone();
        now.pending = pending;
        now.estate = state.estate.clone();
        now.revision = state.revision;
        now.today = today;
        now.settle = Some(settled.setter());
    }
    let report_now = use_memo((), {
        let cell = now_cell.clone();
        move |_| ReportNow(cell)
    });
    let embed_mode = params.embed;
    // The page's title names the estate and the date, so a printed or saved PDF does (its default
    // file name and the browser's header line; ELP review 42: every one was "CAL calculator").
    // An embedded calculator leaves its host page's title alone.
    {
        let title = report.as_ref().filter(|_| !embed_mode).map(|r| {
            format!(
                "{} — CAL position as of {} — CAL calculator",
                if r.estate_name.trim().is_empty() {
                    "Estate"
                } else {
                    r.estate_name.trim()
                },
                r.as_of
            )
        });
        use_effect_with(title, |title| {
            if let (Some(title), Some(doc)) = (title, web_sys::window().and_then(|w| w.document()))
            {
                doc.set_title(title);
                // The printed pages' running head (app.css, `@page`): the title without the app's
                // name, as a CSS string.
                let head = title.trim_end_matches(" — CAL calculator");
                if let Some(root) = doc
                    .document_element()
                    .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
                {
                    let _ = root
                        .style()
                        .set_property("--print-running-head", &crate::ui::format::css_string(head));
                }
            }
        });
    }
    let saved = use_autosave(
        state.estate.clone(),
        state.revision,
        !embed_mode && props.estate.is_none() && !state.keeps_nothing,
        state.dispatcher(),
    );
    {
        // After "Delete everything this calculator stored in this browser", what the autosave
        // wrote on its way out (an edit still waiting for its pause is written when saving stops)
        // is deleted again: this runs after the autosave's effects.
        use_effect_with(state.keeps_nothing, move |nothing| {
            if keeps && *nothing {
                browser::forget_everything();
            }
        });
    }
    // Only an embedded page talks to its host (security review 40: `?parentOrigin=` without
    // `embed` sent the height of the estate saved in this browser to that origin).
    let parent_origin = params.parent_origin.clone().filter(|_| embed_mode);
    use_height_reporter(parent_origin.clone());
    embed::use_view_band(parent_origin);
    {
        // A share link pasted into the address bar of the open page.
        let dispatch = state.dispatcher();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|w| {
                gloo::events::EventListener::new(&w, "hashchange", move |_| {
                    let fragment = browser::fragment();
                    if share::looks_like_link(&fragment) {
                        match share::decode(&fragment) {
                            Ok(e) => {
                                if keeps {
                                    browser::remember_link(&fragment);
                                    if let Ok(json) = share::to_file(&e) {
                                        browser::mark_opened(&json);
                                    }
                                }
                                dispatch.dispatch(Action::Open {
                                estate: Box::new(e),
                                origin: Origin::ShareLink,
                                mode: link_mode(&fragment),
                                text: "Opened the estate from the share link.".into(),
                            })
                            }
                            Err(e) => dispatch.dispatch(Action::Notify(Notice::error(format!(
                                "The share link was not opened; your current estate is unchanged. {e}"
                            )))),
                        }
                    }
                })
            });
            move || drop(listener)
        });
    }

    // Callbacks keep their identity across renders (`use_callback`), so components whose other
    // props did not change skip re-rendering after an edit.
    let dispatch = state.dispatcher();
    let on_edit = use_callback(dispatch.clone(), |e: Edit, d| d.dispatch(Action::Edit(e)));
    let dispatch_cb = use_callback(dispatch.clone(), |a: Action, d| d.dispatch(a));
    let on_dismiss = use_callback(dispatch.clone(), |_: (), d| d.dispatch(Action::Dismiss));
    let on_restore = use_callback(dispatch.clone(), |_: (), d| {
        d.dispatch(Action::RestorePrevious)
    });
    let on_undo = use_callback(dispatch.clone(), |_: (), d| d.dispatch(Action::Undo));
    let on_open_link = use_callback(dispatch.clone(), |_: (), d| d.dispatch(Action::OpenLink));
    let on_error = use_callback(dispatch.clone(), |m: String, d| {
        d.dispatch(Action::Notify(Notice::error(m)))
    });
    let on_import_error = use_callback(dispatch.clone(), |m: String, d| {
        d.dispatch(Action::Notify(Notice::error(m).at_import()))
    });
    // The editor column (for the mode switch and the notices) and the import's.
    let (editor_column, import_column) = (use_node_ref(), use_node_ref());
    let set_mode = |mode: Mode| {
        let dispatch = state.dispatcher();
        let editor = editor_column.clone();
        Callback::from(move |_| {
            // A field's unusable entry lives in the field, which the other mode does not have:
            // say what is left behind (review 19: "4200x" vanished without a word).
            let dropped = browser::invalid_entries(editor.cast::<web_sys::Element>());
            if dropped.is_empty() {
                dispatch.dispatch(Action::SetMode(mode));
            } else {
                dispatch.dispatch(Action::SetModeDropping(
                    mode,
                    Notice::info(format!(
                        "Switched to {} mode. Not kept, as it could not be used: {}",
                        if mode == Mode::Detailed {
                            "detailed"
                        } else {
                            "quick"
                        },
                        dropped.join(" ")
                    )),
                ));
            }
        })
    };
    let on_price = use_callback(on_edit.clone(), |(item, v), on_edit| {
        on_edit.emit(Edit::SetPrice(item, v))
    });
    let own_prices = state.estate.organisation.prices.len();
    let on_currency = use_callback(
        (on_edit.clone(), dispatch.clone(), own_prices),
        |c: String, (on_edit, dispatch, own)| {
            on_edit.emit(Edit::SetCurrency(c.clone()));
            if *own > 0 {
                dispatch.dispatch(Action::Notify(Notice::info(format!(
                    "Your {own} own price(s) keep the amounts typed, now read in {c}: check them (no exchange rate is applied)."
                ))));
            }
        },
    );
    let on_import = use_callback(
        dispatch.clone(),
        |(e, into): (Estate, ImportInto), dispatch| {
            dispatch.dispatch(Action::Load(Box::new(e), Origin::Import));
            // Shown by the import panel, where its Apply button was: the editor's foot is far
            // above the window there.
            dispatch.dispatch(Action::Notify(match into {
            ImportInto::Current => Notice::merged("Import applied to the estate."),
            ImportInto::Empty => Notice::replaced("Import applied to an empty estate."),
            ImportInto::InsteadOfSample => Notice::replaced(
                "Import applied to an empty estate: the sample's invented groups, servers and licences are not counted with yours. Add your servers to see what to buy.",
            ),
        }.at_import()));
        },
    );
    // The estate as of this render, for the panels that read it only when the user acts.
    let latest_cell = use_mut_ref(|| state.estate.clone());
    *latest_cell.borrow_mut() = state.estate.clone();
    let latest = use_memo((), {
        let cell = latest_cell.clone();
        move |_| Latest::new(cell)
    });
    let own_prices = use_memo(state.estate.organisation.prices.clone(), |p| p.clone());
    let only = params.products.clone();
    let mode = state.mode;
    // Offered in Keep and share and beside the result: one set of handlers, one share link shown.
    let (keep_actions, share_link) = use_keep_actions(
        (*latest).clone(),
        dispatch_cb.clone(),
        mode,
        keeps,
        state.revision,
    );

    // The card the estate's problem names, listed in the detailed editor and offered beside the
    // problem (helper review 41: past the first hundred cards it was reached only by the find box).
    let problem = match &*result {
        Err(e) => crate::ui::format::problem_card(&e.to_string(), &state.estate),
        Ok(_) => None,
    };
    let editor = html! {
        <>
            <div class="mode-switch no-print" role="group" aria-label="Editor">
                <button type="button" class={classes!((mode == Mode::Quick).then_some("active"))}
                    aria-pressed={if mode == Mode::Quick { "true" } else { "false" }} onclick={set_mode(Mode::Quick)}>{ "Quick" }</button>
                <button type="button" class={classes!((mode == Mode::Detailed).then_some("active"))}
                    aria-pressed={if mode == Mode::Detailed { "true" } else { "false" }} onclick={set_mode(Mode::Detailed)}>{ "Detailed" }</button>
            </div>
            if mode == Mode::Quick {
                <QuickForm estate={state.estate.clone()} on_edit={on_edit.clone()} />
            } else {
                <DetailedForm estate={state.estate.clone()} on_edit={on_edit.clone()} {problem} />
            }
        </>
    };
    let error_box = match &*result {
        Err(e) => html! {
            <div class="notice error" role="alert" data-testid="evaluate-error" id="evaluate-error" tabindex="-1">
                <p>{ format!("The estate as entered cannot be evaluated: {}", crate::ui::format::place_in_editor(&e.to_string(), &state.estate)) }</p>
                if let Some((list, i)) = problem {
                    <p class="no-print"><button type="button" class="secondary" data-testid="go-to-problem" onclick={{
                        let to_detailed = (mode == Mode::Quick).then(|| set_mode(Mode::Detailed));
                        Callback::from(move |e: MouseEvent| {
                            if let Some(switch) = &to_detailed {
                                switch.emit(e);
                            }
                            browser::focus_soon(vec![format!("card-{list}-{i}")]);
                        })
                    }}>{ "Go to it in the detailed editor" }</button></p>
                }
                if report.is_some() {
                    <p>{ "The figures below are from the last estate that could be evaluated." }</p>
                }
            </div>
        },
        Ok(_) => html! {},
    };
    let stale = result.is_err().then_some("stale");
    let results = match &report {
        Some(r) => html! {
            <div class={classes!("result-body", stale)}>
                // Which date it is: the versions current, Software Assurance and the terms are
                // judged at it (ELP review 42).
                <p class="as-of">{ format!("{} — as of {}", if r.estate_name.is_empty() { "Estate" } else { r.estate_name.as_str() }, r.as_of) }
                    if state.estate.as_of == Some(r.as_of) {
                        { ", the estate's count date" }
                    } else {
                        { " (today)" }
                        if !embed_mode {
                            <span class="no-print">{ " · set a count date in the detailed editor" }</span>
                        }
                    }
                </p>
                if search_stopped && result.is_ok() {
                    <p class="notice info inline no-print" data-testid="search-stopped">{
                        "The search for a cheaper licensing was stopped: it had not finished after a minute. The purchase below is the quick estimate, not proven the least cost. An edit to the estate searches again."
                    }</p>
                }
                <Recommendation report={r.clone()} only={only.clone()} />
                <ProductResults report={r.clone()} only={only.clone()} />
                if !embed_mode {
                    <CostChart report={r.clone()} />
                    <BreakEvenCharts report={r.clone()} />
                }
            </div>
        },
        None => html! {},
    };
    let wide = match &report {
        Some(r) => html! {
            <div class={classes!("wide", stale)}>
                <PositionTable report={r.clone()} only={only.clone()} on_error={on_error.clone()} />
                <Findings report={r.clone()} only={only.clone()} />
                if !embed_mode {
                    <InputsSummary estate={state.estate.clone()} />
                }
            </div>
        },
        None => html! {},
    };
    let critical = report.as_ref().map_or(0, |r| {
        r.findings
            .iter()
            .filter(|f| f.severity == crate::report::Severity::Critical)
            .count()
    });
    let unpriced = report.as_ref().map_or(0, |r| {
        r.recommendation
            .lines
            .iter()
            .filter(|l| l.price_missing)
            .count()
    });
    let summary = match &report {
        // With only some products shown (embed), the result card names both totals.
        Some(_) if only.is_some() => html! {},
        // While the estate cannot be evaluated the last total is not today's: the bar says so
        // and leads to the problem (pre-sales review: it kept "Purchase cost $675.00" as if
        // current, the only sign of the problem thousands of pixels below).
        _ if result.is_err() => html! {
            <p class="summary-bar stale-summary no-print" data-testid="summary-stale">
                <strong>{ "Result out of date" }</strong>
                { ": the estate as entered cannot be evaluated, so no total is shown. " }
                <a href="#evaluate-error">{ "See the problem" }</a>
            </p>
        },
        Some(r) => {
            html! {
                <p class="summary-bar no-print">
                    { "Purchase cost " }<strong>{ crate::ui::format::money(r.recommendation.total_minor, &r.currency) }</strong>
                    if unpriced > 0 { { format!(" + {unpriced} without a price") } }
                    // What it counts, as the screen reader's status says it (review 20: "8
                    // non-compliant" said less than "8 critical findings").
                    if critical == 1 { { " · 1 critical finding" } }
                    if critical > 1 { { format!(" · {critical} critical findings") } }
                    { " · " }<a href="#results">{ "See the result" }</a>
                </p>
            }
        }
        None => html! {},
    };
    let status = match &report {
        _ if result.is_err() => {
            "Result out of date: the estate as entered cannot be evaluated.".to_string()
        }
        Some(r) => {
            // With only some products shown (embed), the total of those, as the card shows it.
            let (total, _) = crate::ui::components::results::shown_total(r, &only);
            format!(
                "Result updated: purchase cost {}{}{}.{}",
                crate::ui::format::money(total, &r.currency),
                match unpriced {
                    0 => String::new(),
                    1 => " and 1 licence without a price".to_string(),
                    n => format!(" and {n} licences without a price"),
                },
                match critical {
                    0 => String::new(),
                    1 => ", 1 critical finding".to_string(),
                    n => format!(", {n} critical findings"),
                },
                if search_stopped {
                    " The search for a cheaper licensing was stopped after a minute: this is the quick estimate, not proven the least cost."
                } else {
                    ""
                }
            )
        }
        None => String::new(),
    };
    // Said once the typing pauses and the full evaluation is in, not at each keystroke nor for
    // the quick result it replaces (review 27); the figures change at once.
    let status = crate::ui::components::field::use_settled_when(status, !refining);
    // An embed has no import panel: every notice is the editor's there. Elsewhere a notice shows
    // where it asks to be, or at the other place when the user is there and not at its own.
    let shown_place = use_shown_place(
        state.notice.clone(),
        state.revision,
        editor_column.clone(),
        import_column.clone(),
    );
    let notice_at = |place: NoticePlace| {
        state.notice.clone().filter(|_| {
            (if embed_mode {
                NoticePlace::Editor
            } else {
                shown_place
            }) == place
        })
    };
    // One <main> holds the editor, the result, the import and the wide result sections (review 19:
    // the import, the position, the findings and the print summary were outside every landmark).
    let layout = html! {
        <main class="app-main">
            <div class={classes!("layout", (mode == Mode::Detailed).then_some("wide-inputs"))}>
                <div class="inputs" ref={editor_column}>
                    { editor }
                    if !embed_mode {
                        <Prices currency={AttrValue::from(state.estate.organisation.currency.clone())} own_prices={own_prices.clone()} prices_note={AttrValue::from(report.as_ref().map(|r| r.prices_note.clone()).unwrap_or_default())}
                            on_price={on_price} on_currency={on_currency} />
                        <Keep actions={keep_actions.clone()} link={share_link} dispatch={dispatch_cb} saved={saved}
                            estate={(*latest).clone()} today={today}
                            usage={AttrValue::from(state.estate.usage.as_ref().map(crate::ui::state::usage_told).unwrap_or_default())}
                            previous_usage={state.previous.as_ref().is_some_and(|p| p.usage.is_some())}
                            keeps_nothing={state.keeps_nothing} />
                        <EmbedPanel />
                        <PrivacyCheck />
                    }
                    // At the editor column's foot, kept in the window while the column runs below
                    // it (sticky): next to where the user works, and never over the result (UI
                    // review: floating at the window's foot it hid the purchase's last rows).
                    // The import's notices show at the import panel's foot instead.
                    <NoticeBar notice={notice_at(NoticePlace::Editor)} on_dismiss={on_dismiss.clone()}
                        on_restore={state.previous.is_some().then(|| on_restore.clone())}
                        on_undo={state.undo.is_some().then(|| on_undo.clone())}
                        on_open_link={state.link.is_some().then(|| on_open_link.clone())} revision={state.revision} />
                </div>
                <section class={classes!("results", pending.then_some("updating"))} id="results" tabindex="-1" aria-label="Result"
                    aria-busy={if refining { "true" } else { "false" }}>
                    { error_box }
                    { results }
                </section>
            </div>
            // The import's review (funnels, the account list with a decision per account) takes
            // the page's whole width: in the inputs column it was 14,000 px tall beside an empty
            // half (review 14).
            if !embed_mode {
                <div class="import-wide" ref={import_column}>
                    <ImportPanel estate={(*latest).clone()} loads={state.loads} on_import={on_import} on_error={on_import_error} />
                    // Below the editor and the result: a notice at the editor's foot would be
                    // above the window of a user applying an import (and its Restore with it).
                    // Any notice that comes while the user is here shows here, Undo included.
                    <NoticeBar notice={notice_at(NoticePlace::Import)} on_dismiss={on_dismiss}
                        on_restore={state.previous.is_some().then(|| on_restore.clone())}
                        on_undo={state.undo.is_some().then(|| on_undo.clone())} revision={state.revision} />
                </div>
            }
            { wide }
        </main>
    };
    // An embed keeps no estate and offers no sharing.
    let layout = if embed_mode {
        layout
    } else {
        html! { <ContextProvider<KeepActions> context={keep_actions}>{ layout }</ContextProvider<KeepActions>> }
    };
    // Whether the page is being printed, and the own prices for the printed list of the prices
    // used (the Prices panel, in the editor column, does not print).
    let layout = html! {
        <ContextProvider<ReportNow> context={(*report_now).clone()}>
            <PrintingProvider>
                <ContextProvider<OwnPrices> context={OwnPrices(own_prices.clone())}>{ layout }</ContextProvider<OwnPrices>>
            </PrintingProvider>
        </ContextProvider<ReportNow>>
    };
    html! {
        <div class={classes!("app", embed_mode.then_some("embed"))}>
            <a class="skip-link" href="#results">{ "Skip to the result" }</a>
            <header class="app-header">
                <h1>{ "Microsoft CAL calculator" }</h1>
                if !embed_mode {
                    <p class="tagline">{ "How many Client Access Licences you need, of which kind, what they cost and where your licences fall short. Everything is computed in this browser; nothing you enter leaves it." }</p>
                }
                // Screen readers hear the new result after an edit (the figures themselves are
                // far down the page); only changes are announced, not the first result.
                <p class="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="result-status">{ status }</p>
            </header>
            // Outside the header, so that it can stick at the window's top over the whole page
            // on a narrow screen, where the result is far below the fields (review 20).
            { summary }
            { layout }
            <footer class="app-footer">
                <p>{ format!("Reference prices are estimates collected from public pages in {}, not Microsoft's price list. This calculator applies Microsoft's published licensing terms as read by its authors; it is not legal advice.", crate::catalog::REFERENCE_PRICES_DATE) }</p>
            </footer>
        </div>
    }
}
