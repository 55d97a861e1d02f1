//! Hooks for the app's side effects: autosave and reporting the page height to an embedding page.

use crate::estate::Estate;
use crate::ui::browser;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Saves the estate to local storage after every edit (unless `enabled` is false, as in embed
/// mode). Returns whether the last save worked.
#[hook]
pub fn use_autosave(estate: Rc<Estate>, revision: u64, enabled: bool) -> bool {
    let saved = use_state(|| true);
    {
        let saved = saved.clone();
        use_effect_with((revision, enabled), move |(_, enabled)| {
            if *enabled {
                let ok = crate::share::to_file(&estate)
                    .map(|json| browser::save(&json))
                    .unwrap_or(false);
                if ok != *saved {
                    saved.set(ok);
                }
            }
        });
    }
    *saved
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
