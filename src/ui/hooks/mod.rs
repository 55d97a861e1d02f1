//! Hooks for the app's side effects: autosave and reporting the page height to an embedding page.

use crate::estate::Estate;
use crate::ui::browser;
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
#[hook]
pub fn use_autosave(estate: Rc<Estate>, revision: u64, enabled: bool) -> bool {
    let saved = use_state_eq(|| true);
    let pending = use_mut_ref(|| None::<Rc<Estate>>);
    let timer = use_mut_ref(|| None::<gloo::timers::callback::Timeout>);
    // Writes what is pending, if anything (a timer that fires after a flush finds nothing).
    let flush: Rc<dyn Fn()> = {
        let (pending, saved) = (pending.clone(), saved.clone());
        Rc::new(move || {
            let Some(estate) = pending.borrow_mut().take() else {
                return;
            };
            let ok = crate::share::to_file(&estate)
                .map(|json| browser::save(&json))
                .unwrap_or(false);
            saved.set(ok);
        })
    };
    {
        let flush = flush.clone();
        use_effect_with((revision, enabled), move |(_, enabled)| {
            if *enabled {
                *pending.borrow_mut() = Some(estate);
                let flush = flush.clone();
                // Replacing the timer cancels the previous one: the write waits for a pause.
                *timer.borrow_mut() = Some(gloo::timers::callback::Timeout::new(
                    AUTOSAVE_DELAY_MS,
                    move || flush(),
                ));
            }
        });
    }
    use_effect_with((), move |_| {
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
        move || {
            flush();
            drop((pagehide, hidden));
        }
    });
    *saved
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
