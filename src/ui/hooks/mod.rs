//! Hooks for the app's side effects: the full evaluation in a Web Worker, autosave and reporting
//! the page height to an embedding page.

use crate::engine::EvaluateError;
use crate::estate::{Date, Estate};
use crate::report::Report;
use crate::ui::browser;
use crate::ui::state::{Action, AppState, Notice};
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker};
use yew::prelude::*;

/// How long the user pauses before an unproven quick report is evaluated in full.
const FULL_AFTER_MS: u32 = 400;

/// How long the page waits for the worker to load the engine module before it evaluates by
/// itself: a download that stalls (a captive portal, a network that drops mid-transfer) left
/// "Looking for a cheaper licensing…" up for good (race review 29). The worker goes on loading,
/// and the full evaluations after it has are its again.
const LOAD_LIMIT_MS: u32 = 20_000;

/// How long a full evaluation may run in the worker once the engine is loaded. The slowest
/// measured, the 100,000-person estate owning 50,000 CALs (`optimise/large-owned`), takes
/// 1.5–5.2 s natively (docs/benchmarks.md); past this the worker is ended and the quick answer
/// stays, marked as not proven (evaluating on the page instead would freeze it for as long).
const SEARCH_LIMIT_MS: u32 = 60_000;

/// After the worker failed to load the engine (offline before its first use), full evaluations
/// run on the page for this long before a new worker is tried: one failed download once sent
/// every later one to the page's thread until a reload (race review 29).
const RETRY_AFTER_MS: f64 = 30_000.0;

/// A full evaluation: the report, or why the estate cannot be evaluated.
pub type FullResult = Rc<Result<Rc<Report>, EvaluateError>>;

/// What the full evaluation of the current revision came to.
#[derive(Clone)]
pub enum Full {
    /// Its report, or why the estate cannot be evaluated.
    Done(FullResult),
    /// The worker did not answer within [`SEARCH_LIMIT_MS`] and was ended.
    Stopped,
}

/// What a full evaluation is computed for: the estate's revision and the date.
type FullKey = (u64, Date);

/// The full evaluation's Web Worker (`www/evaluate-worker.js`, this page's build of the engine
/// module: [`browser::module_worker`]) and what it is computing. The worker starts with the first full evaluation, so a
/// visit whose quick reports are all proven never downloads the engine module.
#[derive(Default)]
struct FullWorker {
    worker: Option<Worker>,
    /// The key and estate the worker is computing: its answer is taken only if it carries this
    /// key, and the estate is evaluated on the page if the worker fails.
    busy: Option<(FullKey, Rc<Estate>)>,
    /// No worker can be created here (no module workers): full evaluations run on the page, as
    /// they did before the worker.
    unavailable: bool,
    /// When (`Date.now()`) a worker last failed (could not load the engine, raised an error, or
    /// an answer could not be read): until [`RETRY_AFTER_MS`] later, full evaluations run on the
    /// page. A search ended for its time is not a failure.
    failed_at: Option<f64>,
    /// The worker has loaded the engine (it said "ready"): from then on its time counts against
    /// [`SEARCH_LIMIT_MS`], before against [`LOAD_LIMIT_MS`].
    loaded: bool,
    /// The worker is still loading the engine past [`LOAD_LIMIT_MS`]: full evaluations run on
    /// the page until it says "ready".
    slow_to_load: bool,
    /// Ends the wait for what the worker is computing when it takes too long; dropped (cleared)
    /// with the answer or when the worker is stopped.
    watchdog: Option<gloo::timers::callback::Timeout>,
    /// The worker's message and error handlers, made once and shared by every worker started.
    handlers: Option<WorkerHandlers>,
}

/// A worker's message and error handlers (its `error` and `messageerror` share one).
type WorkerHandlers = (
    Closure<dyn FnMut(MessageEvent)>,
    Closure<dyn FnMut(web_sys::Event)>,
);

impl FullWorker {
    /// Ends the worker (a WebAssembly call cannot be interrupted), ignoring anything it already
    /// sent; the next full evaluation starts a new one.
    fn stop(&mut self) {
        if let Some(w) = self.worker.take() {
            w.set_onmessage(None);
            w.set_onerror(None);
            w.set_onmessageerror(None);
            w.terminate();
        }
        self.busy = None;
        self.loaded = false;
        self.slow_to_load = false;
        self.watchdog = None;
    }

    /// The worker failed: it is ended, and full evaluations run on the page for a while.
    fn failed(&mut self) {
        self.stop();
        self.failed_at = Some(js_sys::Date::now());
    }

    /// Whether the next full evaluation runs on the page rather than in a worker.
    fn on_page_now(&self) -> bool {
        self.unavailable
            || self.slow_to_load
            || self
                .failed_at
                .is_some_and(|at| js_sys::Date::now() - at < RETRY_AFTER_MS)
    }
}

/// The full report of `estate` (revision and date in `key`) when `wanted`: evaluated 400 ms
/// (`FULL_AFTER_MS`) after the last change of `key`, in a Web Worker so the page never freezes
/// for it, on the page when no worker can run. Returns the full result only for `key`: an
/// answer for an older revision or date is never shown, and a worker still computing one is
/// ended at the next change.
#[hook]
pub fn use_full_report(estate: Rc<Estate>, key: (u64, Date), wanted: bool) -> Option<Full> {
    let full = use_state(|| None::<(FullKey, Full)>);
    let bridge = use_mut_ref(FullWorker::default);
    {
        let (bridge, set) = (bridge.clone(), full.setter());
        use_effect_with((key, wanted), move |&(key, wanted)| {
            {
                let mut b = bridge.borrow_mut();
                if b.busy.as_ref().is_some_and(|(k, _)| *k != key) {
                    b.stop();
                }
            }
            // Each change drops the timer of the one before: only a pause runs the evaluation.
            let timer = wanted.then(|| {
                gloo::timers::callback::Timeout::new(FULL_AFTER_MS, move || {
                    request(&bridge, key, estate, &set)
                })
            });
            move || drop(timer)
        });
    }
    {
        let bridge = bridge.clone();
        use_effect_with((), move |_| {
            move || {
                let mut b = bridge.borrow_mut();
                b.stop();
                b.handlers = None;
            }
        });
    }
    full.as_ref()
        .filter(|(k, _)| *k == key)
        .map(|(_, r)| r.clone())
}

type FullSetter = UseStateSetter<Option<(FullKey, Full)>>;

/// Evaluates on the page, as before the worker: the fallback, and the way to the typed error.
fn on_page(key: FullKey, estate: &Estate, set: &FullSetter) {
    let result = crate::evaluate(estate, key.1).map(Rc::new);
    set.set(Some((key, Full::Done(Rc::new(result)))));
}

/// Starts the wait for what the worker is computing: [`LOAD_LIMIT_MS`] while it has not loaded
/// the engine, then [`SEARCH_LIMIT_MS`]. A wait already running is replaced.
fn arm(b: &mut FullWorker, bridge: Weak<RefCell<FullWorker>>, set: FullSetter) {
    let limit = if b.loaded {
        SEARCH_LIMIT_MS
    } else {
        LOAD_LIMIT_MS
    };
    b.watchdog = Some(gloo::timers::callback::Timeout::new(limit, move || {
        overdue(&bridge, &set)
    }));
}

/// The worker has not answered in time. Still loading the engine: the page evaluates by itself
/// (as offline), and goes on doing so until the worker says it is ready. Computing: it is ended,
/// and the quick answer stays with its "not proven" note and a word that the search was stopped.
fn overdue(bridge: &Weak<RefCell<FullWorker>>, set: &FullSetter) {
    let Some(bridge) = bridge.upgrade() else {
        return;
    };
    let (busy, loaded) = {
        let mut b = bridge.borrow_mut();
        let busy = b.busy.take();
        let loaded = b.loaded;
        b.watchdog = None;
        if loaded {
            b.stop();
        } else {
            // Left to load: what it was asked is answered here and cancelled there, so that it
            // is not computed before the next request once the engine has loaded.
            b.slow_to_load = true;
            if let Some(w) = &b.worker {
                let _ = w.post_message(&browser::js_object(&[("type", "cancel".into())]));
            }
        }
        (busy, loaded)
    };
    let Some((key, estate)) = busy else {
        return;
    };
    if loaded {
        set.set(Some((key, Full::Stopped)));
    } else {
        on_page(key, &estate, set);
    }
}

/// Asks the worker for the full report of `estate`, starting it if need be; on the page when
/// it cannot.
fn request(bridge: &Rc<RefCell<FullWorker>>, key: FullKey, estate: Rc<Estate>, set: &FullSetter) {
    // The engine (in the worker or on the page) gets unnamed servers as the editors call them
    // ("Server 2"), on a copy: the app's estate stays as entered.
    let estate = crate::ui::state::for_engine(&estate);
    // Every borrow ends before the page evaluates or sets state (that can render at once).
    let posted = post(bridge, key, &estate, set);
    if !posted {
        on_page(key, &estate, set);
    }
}

fn post(
    bridge: &Rc<RefCell<FullWorker>>,
    key: FullKey,
    estate: &Rc<Estate>,
    set: &FullSetter,
) -> bool {
    if bridge.borrow().on_page_now() {
        return false;
    }
    let Ok(json) = serde_json::to_string(&**estate) else {
        return false;
    };
    let message = browser::js_object(&[
        ("type", "evaluate".into()),
        // Revisions count edits: far below 2^53, exact as a JavaScript number.
        ("revision", JsValue::from_f64(key.0 as f64)),
        ("asOf", key.1.to_string().into()),
        ("estate", json.into()),
    ]);
    let mut b = bridge.borrow_mut();
    if b.busy.is_some() {
        // Still computing an older estate (the change that made it stale has ended it already).
        b.stop();
    }
    if b.worker.is_none() {
        if b.handlers.is_none() {
            b.handlers = Some(handlers(Rc::downgrade(bridge), set.clone()));
        }
        // With this page's own build of the engine, whatever was deployed since it loaded.
        let Ok(worker) = browser::module_worker("./evaluate-worker.js") else {
            b.unavailable = true;
            return false;
        };
        b.failed_at = None;
        if let Some((on_message, on_error)) = b.handlers.as_ref() {
            worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
            worker.set_onmessageerror(Some(on_error.as_ref().unchecked_ref()));
        }
        b.worker = Some(worker);
    }
    let sent = b
        .worker
        .as_ref()
        .is_some_and(|w| w.post_message(&message).is_ok());
    if !sent {
        b.failed();
        return false;
    }
    b.busy = Some((key, estate.clone()));
    arm(&mut b, Rc::downgrade(bridge), set.clone());
    true
}

/// The worker's message and error handlers.
fn handlers(bridge: Weak<RefCell<FullWorker>>, set: FullSetter) -> WorkerHandlers {
    // The worker failed to start or to load the engine, or an answer could not be read
    // (`messageerror`): stop using it, and evaluate whatever it was computing on the page.
    let give_up = {
        let (bridge, set) = (bridge.clone(), set.clone());
        move || {
            let Some(bridge) = bridge.upgrade() else {
                return;
            };
            let busy = {
                let mut b = bridge.borrow_mut();
                let busy = b.busy.take();
                b.failed();
                busy
            };
            if let Some((key, estate)) = busy {
                on_page(key, &estate, &set);
            }
        }
    };
    let on_error = {
        let give_up = give_up.clone();
        Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| give_up())
    };
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        let data = e.data();
        let field = |name: &str| js_sys::Reflect::get(&data, &name.into()).ok();
        let text = |name: &str| field(name).and_then(|v| v.as_string());
        let kind = text("type").unwrap_or_default();
        if kind == "unavailable" {
            give_up();
            return;
        }
        let Some(strong) = bridge.upgrade() else {
            return;
        };
        if kind == "ready" {
            // The engine is loaded: what the worker computes now has the search's time.
            let mut b = strong.borrow_mut();
            b.loaded = true;
            b.slow_to_load = false;
            if b.busy.is_some() {
                arm(&mut b, bridge.clone(), set.clone());
            }
            return;
        }
        let bridge = strong;
        let revision = field("revision").and_then(|v| v.as_f64());
        let as_of = text("asOf");
        // Only the answer for what the worker was last asked is taken.
        let busy = {
            let mut b = bridge.borrow_mut();
            let current = b.busy.as_ref().is_some_and(|((rev, date), _)| {
                revision == Some(*rev as f64) && as_of.as_deref() == Some(date.to_string().as_str())
            });
            if current {
                b.watchdog = None;
                b.busy.take()
            } else {
                None
            }
        };
        let Some((key, estate)) = busy else {
            return;
        };
        let report = (kind == "report")
            .then(|| text("report"))
            .flatten()
            .and_then(|json| serde_json::from_str::<Report>(&json).ok());
        match report {
            Some(report) => set.set(Some((key, Full::Done(Rc::new(Ok(Rc::new(report))))))),
            // The evaluation failed in the worker (or its report did not read back): the page's
            // own evaluation gives the error in the form the app shows.
            None => on_page(key, &estate, &set),
        }
    });
    (on_message, on_error)
}

/// How long typing must pause before the estate is written to local storage.
const AUTOSAVE_DELAY_MS: u32 = 400;

/// Saves the estate to local storage after each edit (unless `enabled` is false, as in embed
/// mode): once typing pauses for [`AUTOSAVE_DELAY_MS`], and at once when the page is hidden or
/// left, so nothing typed is lost and serialising the estate stays out of the keystroke's path.
/// Returns whether the last save worked.
///
/// Nothing is lost to another tab or to a saved estate this calculator cannot read:
/// - an unreadable saved estate is not saved over until the user edits, and then it is kept
///   aside first ([`browser::save`]);
/// - when another tab saves, this tab shows that estate if it has no unsaved edits (its own
///   stays one click away, "Restore the previous estate"); with unsaved edits it saves them and
///   keeps the other tab's estate as the one to restore. Either way a notice says so.
#[hook]
pub fn use_autosave(
    estate: Rc<Estate>,
    revision: u64,
    enabled: bool,
    dispatch: UseReducerDispatcher<AppState>,
) -> bool {
    let saved = use_state_eq(|| true);
    let pending = use_mut_ref(|| None::<Rc<Estate>>);
    // The estate this tab last saved, or last took from another tab's save.
    let stored = use_mut_ref(|| None::<Rc<Estate>>);
    // The estate shown, for the storage listener.
    let current = use_mut_ref(|| estate.clone());
    *current.borrow_mut() = estate.clone();
    // An unreadable saved estate stays where it is until the user edits.
    let first = use_mut_ref(|| true);
    let timer = use_mut_ref(|| None::<gloo::timers::callback::Timeout>);
    // Whether saving fails since the last save that worked: its notice is shown once, when it
    // starts failing, not at each keystroke.
    let failing = use_mut_ref(|| false);
    // Writes what is pending, if anything (a timer that fires after a flush finds nothing).
    let flush: Rc<dyn Fn()> = {
        let (pending, saved, stored) = (pending.clone(), saved.clone(), stored.clone());
        let dispatch = dispatch.clone();
        Rc::new(move || {
            let Some(estate) = pending.borrow_mut().take() else {
                return;
            };
            let Ok(json) = crate::share::to_file(&estate) else {
                saved.set(false);
                return;
            };
            let result = browser::try_save(&json);
            let ok = result.is_ok();
            match result {
                Ok(()) => {
                    *stored.borrow_mut() = Some(estate);
                    *failing.borrow_mut() = false;
                }
                // The edits from now on are lost on reload, and the note saying so is far down
                // the page (life review 24: a full storage lost an edit without a visible word).
                Err(why) if !std::mem::replace(&mut *failing.borrow_mut(), true) => {
                    dispatch.dispatch(Action::Notify(Notice::error(format!(
                        "{}, so your work is not saved in this browser: what you change is lost when this tab is closed or reloaded. Export the estate (Keep and share) to keep it.",
                        why.cause()
                    ))));
                }
                Err(_) => {}
            }
            saved.set(ok);
        })
    };
    {
        let (flush, pending, stored) = (flush.clone(), pending.clone(), stored.clone());
        use_effect_with((revision, enabled), move |(_, enabled)| {
            let first = std::mem::replace(&mut *first.borrow_mut(), false);
            if *enabled && !(first && browser::saved_is_unreadable()) {
                if stored.borrow().as_ref() == Some(&estate) {
                    // Already what is saved (taken from another tab, or an edit undone).
                    *pending.borrow_mut() = None;
                } else {
                    *pending.borrow_mut() = Some(estate);
                    let flush = flush.clone();
                    // Replacing the timer cancels the previous one: the write waits for a pause.
                    *timer.borrow_mut() = Some(gloo::timers::callback::Timeout::new(
                        AUTOSAVE_DELAY_MS,
                        move || flush(),
                    ));
                }
            }
        });
    }
    use_effect_with(enabled, move |enabled| {
        let enabled = *enabled;
        let on_hide = {
            let flush = flush.clone();
            move |_: &web_sys::Event| flush()
        };
        let pagehide = web_sys::window()
            .map(|w| gloo::events::EventListener::new(&w, "pagehide", on_hide.clone()));
        let hidden = web_sys::window().and_then(|w| w.document()).map(|d| {
            let doc = d.clone();
            gloo::events::EventListener::new(&d, "visibilitychange", move |e| {
                if doc.visibility_state() == web_sys::VisibilityState::Hidden {
                    on_hide(e);
                }
            })
        });
        let other_tab = web_sys::window().filter(|_| enabled).map(|w| {
            let flush = flush.clone();
            gloo::events::EventListener::new(&w, "storage", move |e| {
                let Some(e) = e.dyn_ref::<web_sys::StorageEvent>() else {
                    return;
                };
                if e.key().as_deref() != Some(browser::STORAGE_KEY) {
                    return;
                }
                on_other_tab(
                    e.new_value(),
                    &current,
                    &pending,
                    &stored,
                    &*flush,
                    &dispatch,
                );
            })
        });
        move || {
            flush();
            drop((pagehide, hidden, other_tab));
        }
    });
    *saved
}

/// Another tab saved `json` (`None`: it forgot the saved estate).
fn on_other_tab(
    json: Option<String>,
    current: &RefCell<Rc<Estate>>,
    pending: &RefCell<Option<Rc<Estate>>>,
    stored: &RefCell<Option<Rc<Estate>>>,
    flush: &dyn Fn(),
    dispatch: &UseReducerDispatcher<AppState>,
) {
    let Some(json) = json else {
        // Nothing is lost: this tab saves its estate again with its next edit.
        *stored.borrow_mut() = None;
        return;
    };
    let theirs = match crate::share::from_file(&json) {
        Ok(e) => Rc::new(e),
        Err(_) => {
            // A newer version in another tab: keep it aside now, before this tab saves.
            browser::keep_unreadable();
            dispatch.dispatch(Action::Notify(Notice::error(
                "Another tab saved an estate this version of the calculator cannot read. This tab keeps showing its own; the other one is kept in this browser (Keep and share offers it as a file).",
            )));
            return;
        }
    };
    let ours = current.borrow().clone();
    *stored.borrow_mut() = Some(theirs.clone());
    if ours == theirs {
        *pending.borrow_mut() = None;
        return;
    }
    let unsaved = pending.borrow().as_ref().is_some_and(|p| **p != *theirs);
    if unsaved {
        // This tab's edits are newer than what it saw: save them, and keep the other tab's
        // estate as the one to restore.
        flush();
        dispatch.dispatch(Action::SetAside(
            Box::new((*theirs).clone()),
            Notice {
                offer_restore: true,
                ..Notice::info("This estate was also changed in another tab. This tab's version is shown and saved; the other tab's version is kept until you load another.")
            },
        ));
    } else {
        *pending.borrow_mut() = None;
        dispatch.dispatch(Action::FromOtherTab(Box::new((*theirs).clone())));
    }
}

/// A `<details>` whose body is built only while it is open: the node ref to put on it, whether
/// it is open, and the `ontoggle` handler that keeps the two in step.
#[hook]
pub fn use_disclosure() -> (NodeRef, bool, Callback<Event>) {
    let node = use_node_ref();
    let open = use_state_eq(|| false);
    let ontoggle = {
        let (node, open) = (node.clone(), open.clone());
        Callback::from(move |_: Event| {
            if let Some(details) = node.cast::<web_sys::Element>() {
                open.set(details.has_attribute("open"));
            }
        })
    };
    (node, *open, ontoggle)
}

/// The observer's callback, kept alive as long as the observer.
type ObserverCallback = Closure<dyn FnMut(js_sys::Array)>;

/// Posts the document height — and nothing else — to `window.parent` with exactly
/// `parent_origin` as the target origin, whenever it changes (ResizeObserver). Does nothing
/// without a parent origin: the page never posts to '*'.
/// Message: `{ type: "cal-calc:height", height: <CSS pixels, integer> }`.
#[hook]
pub fn use_height_reporter(parent_origin: Option<String>) {
    use_effect_with(parent_origin, move |origin| {
        let mut cleanup: Option<(web_sys::ResizeObserver, ObserverCallback)> = None;
        if let Some(origin) = origin.clone() {
            let last = std::cell::Cell::new(0i32);
            let post = move || {
                let Some(window) = web_sys::window() else {
                    return;
                };
                let Some(body) = window.document().and_then(|d| d.body()) else {
                    return;
                };
                // The bottom of the body in document coordinates: the content's own height.
                // `documentElement.scrollHeight` is never less than the iframe's viewport, so
                // an iframe sized from it could grow but never shrink back.
                let scroll_y = window.scroll_y().unwrap_or(0.0);
                let bottom = body.get_bounding_client_rect().bottom() + scroll_y;
                let height = bottom.ceil().clamp(0.0, i32::MAX as f64) as i32;
                if height == last.get() {
                    return;
                }
                last.set(height);
                let Ok(Some(parent)) = window.parent() else {
                    return;
                };
                if parent == window {
                    return;
                }
                let message = browser::js_object(&[
                    ("type", "cal-calc:height".into()),
                    ("height", JsValue::from(height)),
                ]);
                let _ = parent.post_message(&message, &origin);
            };
            post();
            let callback =
                Closure::<dyn FnMut(js_sys::Array)>::new(move |_entries: js_sys::Array| post());
            if let Ok(observer) = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()) {
                if let Some(root) = gloo::utils::document().document_element() {
                    observer.observe(&root);
                }
                if let Some(body) = gloo::utils::document().body() {
                    observer.observe(&body);
                }
                cleanup = Some((observer, callback));
            }
        }
        move || {
            if let Some((observer, _callback)) = cleanup {
                observer.disconnect();
            }
        }
    });
}
