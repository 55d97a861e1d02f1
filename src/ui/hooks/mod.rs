//! Hooks for the app's side effects: autosave and reporting the page height to an embedding page.

use crate::estate::Estate;
use crate::ui::browser;
use crate::ui::state::{Action, AppState, Notice, Origin};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

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
    // Writes what is pending, if anything (a timer that fires after a flush finds nothing).
    let flush: Rc<dyn Fn()> = {
        let (pending, saved, stored) = (pending.clone(), saved.clone(), stored.clone());
        Rc::new(move || {
            let Some(estate) = pending.borrow_mut().take() else {
                return;
            };
            let ok = crate::share::to_file(&estate)
                .map(|json| browser::save(&json))
                .unwrap_or(false);
            if ok {
                *stored.borrow_mut() = Some(estate);
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
        dispatch.dispatch(Action::Load(Box::new((*theirs).clone()), Origin::Saved));
        dispatch.dispatch(Action::Notify(Notice {
            offer_restore: true,
            ..Notice::info("This estate was changed in another tab; showing the latest. The one this tab showed is kept until you load another.")
        }));
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
                let message = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&message, &"type".into(), &"cal-calc:height".into());
                let _ = js_sys::Reflect::set(&message, &"height".into(), &JsValue::from(height));
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
