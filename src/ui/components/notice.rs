//! A notice: a refused link or file (the current work is untouched), or a confirmation. The app
//! shows it next to where the user was working: at the editor column's foot, or at the import
//! panel's foot for the import's own (`NoticePlace`). A notice that comes while its place is out
//! of the window shows at the other place if that one is in it ([`use_shown_place`]), and else
//! is pinned at the window's foot: wherever the user is when it comes, it is in view.

use crate::ui::components::keep::KeepActions;
use crate::ui::state::{Notice, NoticeKind, NoticePlace};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NoticeBarProps {
    pub notice: Option<Notice>,
    pub on_dismiss: Callback<()>,
    /// Brings back the replaced estate; shown when the notice offers it and one is kept.
    pub on_restore: Option<Callback<()>>,
    /// Undoes the most recent removal still kept; shown when the notice offers it and there is
    /// one to undo.
    #[prop_or_default]
    pub on_undo: Option<Callback<()>>,
    /// Opens the share link's estate that the saved work was shown instead of; shown when the
    /// notice offers it.
    #[prop_or_default]
    pub on_open_link: Option<Callback<()>>,
    /// The estate's revision (`AppState::revision`): a removal whose notice reads as the one
    /// before (another server of the same name) is still a new notice, after which focus may
    /// have been lost again.
    #[prop_or_default]
    pub revision: u64,
}

#[component]
pub fn NoticeBar(p: &NoticeBarProps) -> Html {
    let node = use_node_ref();
    // A removal takes the focused Remove button out of the page, and the last Undo the notice's
    // own button: focus would fall to the page's start, far from Undo (QA). It goes to the
    // notice's first button instead, when nothing else holds it. An Undo with more to undo keeps
    // its button, and the focus on it, for the next one.
    let was_undoable = use_mut_ref(|| false);
    // Where the focus came from into the notice (see Dismiss below); a hook, so before any return.
    let came_from = use_mut_ref(|| None::<web_sys::HtmlElement>);
    // The Remove buttons' labels just before the last Undo, with the estate's revision then: the
    // one label more in the page when Dismiss is pressed on the notice of the estate Undo made is
    // the row it brought back (see `undo` below). A hook, so before any return.
    let before_undo = use_mut_ref(|| None::<(Vec<String>, u64)>);
    {
        let node = node.clone();
        let offer = p.notice.as_ref().is_some_and(|n| n.offer_undo);
        let key = p.notice.as_ref().map(|n| (n.text.clone(), p.revision));
        use_effect_with(key, move |key| {
            let follows_undo = std::mem::replace(&mut *was_undoable.borrow_mut(), offer);
            if key.is_some() && (offer || follows_undo) {
                // After this render pass: the list that lost its Remove button may render later.
                focus_first_button_if_lost_soon(node);
            }
        });
    }
    // Keep and share's actions (none in an embed, which opens no files): a refused estate file
    // the detailed editor can repair is offered to be opened anyway, from its own notice.
    let keep = use_context::<KeepActions>();
    // Pinned at the window's foot when, once shown, it is not in the window (see below).
    let pinned = use_state(|| None::<(Notice, u64)>);
    let pin_key = p.notice.as_ref().map(|n| same_notice(n, p.revision));
    {
        let node = node.clone();
        let pinned = pinned.setter();
        use_effect_with(pin_key.clone(), move |key| match key {
            Some(key) if !in_window(&node) => pinned.set(Some(key.clone())),
            Some(_) => {}
            // Gone: the same notice raised again is measured again.
            None => pinned.set(None),
        });
    }
    // A control reached by Tab scrolls clear of the notice by the notice's own height
    // (www/app.css), not a fixed guess: a notice after an import is up to 300 px tall on a phone,
    // and a fixed 9rem let the focused control sit wholly under it (review 27).
    {
        let node = node.clone();
        use_effect_with(p.notice.is_some(), move |shown| {
            let observer = shown.then(|| observe_clearance(&node)).flatten();
            move || drop(observer)
        });
    }
    let Some(n) = &p.notice else {
        return html! { <div class="notice-slot" aria-live="polite"></div> };
    };
    let (class, role) = match n.kind {
        NoticeKind::Error => ("notice error", "alert"),
        NoticeKind::Info => ("notice info", "status"),
    };
    // Dismiss takes its own button, and with it the focus, out of the page: the focus goes back to
    // where it came from, or to the editor's heading when that has gone too (QA 1 Dec: after
    // "Start empty" or a removal, Undo held the focus, and Dismiss dropped it to the page's start).
    let onfocusin = {
        let came_from = came_from.clone();
        let node = node.clone();
        Callback::from(move |e: FocusEvent| {
            let from = e
                .related_target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(t).ok());
            let inside = |el: &web_sys::HtmlElement| {
                node.cast::<web_sys::Node>()
                    .is_some_and(|n| n.contains(Some(el.as_ref())))
            };
            if from.as_ref().is_none_or(|el| !inside(el)) {
                *came_from.borrow_mut() = from;
            }
        })
    };
    let dismiss = {
        let on_dismiss = p.on_dismiss.clone();
        let node = node.clone();
        let came_from = came_from.clone();
        let before_undo = before_undo.clone();
        let revision = p.revision;
        Callback::from(move |_: MouseEvent| {
            let restored = before_undo
                .borrow_mut()
                .take()
                .filter(|(_, at)| at + 1 == revision)
                .and_then(|(before, _)| restored_row(&node, &before));
            let from = came_from.borrow_mut().take();
            return_focus(&node, restored.or(from));
            on_dismiss.emit(());
        })
    };
    let restore = p
        .on_restore
        .as_ref()
        .filter(|_| n.offer_restore)
        .map(|r| r.reform(|_: MouseEvent| ()));
    // Undo brings a row back: Dismiss then returns the focus to that row's Remove button
    // rather than to the editor's heading (UI review 17, #10), as it would have to the Remove
    // button the removal started from had that stayed in the page.
    // Which row that is is read when Dismiss is pressed, once the row is in the page (a poll after
    // Undo could lose the race with a quick Dismiss).
    let undo = p.on_undo.as_ref().filter(|_| n.offer_undo).map(|u| {
        let (u, node, revision) = (u.clone(), node.clone(), p.revision);
        Callback::from(move |_: MouseEvent| {
            *before_undo.borrow_mut() = Some((remove_labels(&node), revision));
            u.emit(());
        })
    });
    // The slot sticks at the window's foot while the column or panel holding it runs below the
    // window (www/app.css): the list a removal was made in, or the file chooser a refused file
    // came from, may be far below the top of the page (QA: a refused estate file's message
    // appeared 3,500 px above the button). When even so it came out of the window (the user was
    // at the result or the findings, below both places), it is pinned at the window's foot: the
    // same node in the same live region, so it is announced once, and seen.
    let open_link = p
        .on_open_link
        .as_ref()
        .filter(|_| n.offer_link)
        .map(|o| o.reform(|_: MouseEvent| ()));
    // The refusal's own notice, or the same with what Undo still brings back after it
    // (`AppState::notify`).
    let open_anyway = keep
        .filter(|k| {
            n.kind == NoticeKind::Error
                && (k.refused.as_ref()).is_some_and(|r| n.text.starts_with(r.0.notice.as_str()))
        })
        .map(|k| k.open_anyway);
    let undoable = undo.is_some().then_some("undoable");
    let pinned = (pin_key.is_some() && *pinned == pin_key).then_some("pinned");
    html! {
        <div class="notice-slot" aria-live="polite">
            <div class={classes!(class, "floating", undoable, pinned)} role={role} data-testid="notice" ref={node} {onfocusin}>
                <p>{ n.text.clone() }</p>
                if let Some(undo) = undo {
                    <button type="button" onclick={undo} data-testid="undo">{ "Undo" }</button>
                }
                if let Some(restore) = restore {
                    <button type="button" class="secondary" onclick={restore}>{ "Restore the previous estate" }</button>
                }
                if let Some(open_link) = open_link {
                    <button type="button" class="secondary" onclick={open_link} data-testid="open-link">{ "Open the link's estate instead" }</button>
                }
                if let Some(open_anyway) = open_anyway {
                    <button type="button" class="secondary" onclick={open_anyway} data-testid="open-anyway">{ "Open it anyway to repair" }</button>
                }
                <button type="button" class="secondary" onclick={dismiss}>{ "Dismiss" }</button>
            </div>
        </div>
    }
}

/// What makes a notice a new one, for where it shows: the notice itself, and for a removal's the
/// estate's revision (removing another server of the same name is a new notice; any other edit
/// ends a removal's notice, so a revision that moves on under a shown notice is no new one).
fn same_notice(n: &Notice, revision: u64) -> (Notice, u64) {
    (n.clone(), if n.offer_undo { revision } else { 0 })
}

/// Where the app shows `notice`: where it asks to be (`Notice::place`) when that place is in the
/// window, else the other one when more of that is (QA: an Undo or a refused share link that came
/// while the user was at the import panel stood at the editor column's foot, above the window).
/// Chosen once, when the notice comes, from the page as the user sees it then, and kept while it
/// is shown: moved between the two live regions it would be announced twice.
#[hook]
pub fn use_shown_place(
    notice: Option<Notice>,
    revision: u64,
    editor: NodeRef,
    import: NodeRef,
) -> NoticePlace {
    let chosen = use_mut_ref(|| None::<((Notice, u64), NoticePlace)>);
    let Some(n) = notice else {
        *chosen.borrow_mut() = None;
        return NoticePlace::default();
    };
    let key = same_notice(&n, revision);
    let mut chosen = chosen.borrow_mut();
    if let Some((k, place)) = chosen.as_ref() {
        if *k == key {
            return *place;
        }
    }
    let place = place_in_view(n.place, &editor, &import);
    *chosen = Some((key, place));
    place
}

#[cfg(target_arch = "wasm32")]
fn place_in_view(asked: NoticePlace, editor: &NodeRef, import: &NodeRef) -> NoticePlace {
    let Some(height) = web_sys::window()
        .and_then(|w| w.inner_height().ok())
        .and_then(|h| h.as_f64())
    else {
        return asked;
    };
    // How much of a place's column or panel is in the window: the notice sticks at the window's
    // foot only while enough of it is.
    let shown = |node: &NodeRef| {
        node.cast::<web_sys::Element>().map_or(0.0, |e| {
            let r = e.get_bounding_client_rect();
            (r.bottom().min(height) - r.top().max(0.0)).max(0.0)
        })
    };
    let (other, other_node, asked_node) = match asked {
        NoticePlace::Editor => (NoticePlace::Import, import, editor),
        NoticePlace::Import => (NoticePlace::Editor, editor, import),
    };
    let (mine, theirs) = (shown(asked_node), shown(other_node));
    if mine >= (height / 3.0).min(240.0) || theirs <= mine {
        asked
    } else {
        other
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn place_in_view(asked: NoticePlace, _: &NodeRef, _: &NodeRef) -> NoticePlace {
    asked
}

/// Whether the notice is wholly in the window. Yes in an embed: its frame is as tall as the app
/// (the host page scrolls), and one pinned at the frame's foot would cover the app's last lines.
#[cfg(target_arch = "wasm32")]
fn in_window(node: &NodeRef) -> bool {
    let (Some(e), Some(height)) = (
        node.cast::<web_sys::Element>(),
        web_sys::window()
            .and_then(|w| w.inner_height().ok())
            .and_then(|h| h.as_f64()),
    ) else {
        return true;
    };
    if e.closest(".app.embed").ok().flatten().is_some() {
        return true;
    }
    let r = e.get_bounding_client_rect();
    // Half a pixel either way: a notice stuck at the window's foot may end at a fraction.
    r.top() >= -0.5 && r.bottom() <= height + 0.5
}

#[cfg(not(target_arch = "wasm32"))]
fn in_window(_: &NodeRef) -> bool {
    true
}

#[cfg(target_arch = "wasm32")]
fn focus_first_button_if_lost(node: &NodeRef) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    // Lost: on the page's body, or on a Remove button (the list's nodes are reused, so focus
    // stays on the next item's Remove button, where a second Enter would remove that one too).
    let lost = match (document.active_element(), document.body()) {
        (None, _) => true,
        (Some(active), Some(body)) => {
            active == *body.as_ref() || active.matches("button.remove").unwrap_or(false)
        }
        _ => false,
    };
    if !lost {
        return;
    }
    if let Some(button) = node
        .cast::<web_sys::Element>()
        .and_then(|n| n.query_selector("button").ok().flatten())
        .and_then(|b| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(b).ok())
    {
        let _ = button.focus();
    }
}

/// The labels of the Remove buttons in the app holding the notice ("Remove server File server").
fn remove_labels(notice: &NodeRef) -> Vec<String> {
    let Some(list) = notice
        .cast::<web_sys::Element>()
        .and_then(|n| n.closest(".app").ok().flatten())
        .and_then(|app| app.query_selector_all("button.remove").ok())
    else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.get(i))
        .filter_map(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(n).ok())
        .filter_map(|b| b.get_attribute("aria-label"))
        .collect()
}

/// The Remove button of the one row that is in the page now and was not when the labels
/// `before` were read: the row Undo brought back. `None` when Undo brought back several rows
/// ("Start empty") or none can be told apart; the focus then goes to the heading as before.
fn restored_row(node: &NodeRef, before: &[String]) -> Option<web_sys::HtmlElement> {
    let mut left = before.to_vec();
    let new: Vec<String> = remove_labels(node)
        .into_iter()
        .filter(|l| match left.iter().position(|b| b == l) {
            Some(k) => {
                left.swap_remove(k);
                false
            }
            None => true,
        })
        .collect();
    let [label] = new.as_slice() else {
        return None;
    };
    let list = node
        .cast::<web_sys::Element>()
        .and_then(|n| n.closest(".app").ok().flatten())
        .and_then(|app| app.query_selector_all("button.remove").ok())?;
    (0..list.length())
        .filter_map(|i| list.get(i))
        .filter_map(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(n).ok())
        .find(|b| b.get_attribute("aria-label").as_deref() == Some(label.as_str()))
}

/// Moves the focus out of the notice before it goes: to `came_from` if it is still in the page,
/// else to the editor's heading. Does nothing when the focus is elsewhere (a click with the mouse
/// on Dismiss leaves it on the button, in the notice; so does Enter).
fn return_focus(notice: &NodeRef, came_from: Option<web_sys::HtmlElement>) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let in_notice = document.active_element().is_some_and(|a| {
        notice
            .cast::<web_sys::Node>()
            .is_some_and(|n| n.contains(Some(a.as_ref())))
    });
    if !in_notice {
        return;
    }
    // The heading of this app's editor (a page may hold more than one app: the tests').
    let app = notice
        .cast::<web_sys::Element>()
        .and_then(|n| n.closest(".app").ok().flatten());
    let target = came_from.filter(|el| el.is_connected()).or_else(|| {
        app.and_then(|a| {
            a.query_selector("#quick-title, #detailed-title")
                .ok()
                .flatten()
        })
        .and_then(|h| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(h).ok())
    });
    if let Some(target) = target {
        let _ = target.focus();
    }
}

#[cfg(target_arch = "wasm32")]
fn focus_first_button_if_lost_soon(node: NodeRef) {
    gloo::timers::callback::Timeout::new(0, move || focus_first_button_if_lost(&node)).forget();
}

#[cfg(not(target_arch = "wasm32"))]
fn focus_first_button_if_lost_soon(_: NodeRef) {}

/// The custom property www/app.css clears focused controls by while a notice is up.
const CLEARANCE: &str = "--notice-clearance";

/// Keeps [`CLEARANCE`] at the notice's height plus a margin while the notice is in the page (a
/// `ResizeObserver`: its text, its buttons and the window's width change it); dropping the
/// returned guard stops observing and removes the property.
#[cfg(target_arch = "wasm32")]
fn observe_clearance(node: &NodeRef) -> Option<impl Drop> {
    use wasm_bindgen::{closure::Closure, JsCast};
    /// The observer, and its callback kept alive as long as it observes.
    struct Guard(
        web_sys::ResizeObserver,
        #[allow(dead_code)] Closure<dyn FnMut(js_sys::Array)>,
    );
    impl Drop for Guard {
        fn drop(&mut self) {
            self.0.disconnect();
            if let Some(root) = root_style() {
                let _ = root.remove_property(CLEARANCE);
            }
        }
    }
    fn root_style() -> Option<web_sys::CssStyleDeclaration> {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            .map(|e| e.style())
    }
    let notice = node.cast::<web_sys::Element>()?;
    let measured = notice.clone();
    let set = move || {
        let height = measured.get_bounding_client_rect().height();
        if let Some(root) = root_style() {
            // 16 px between the notice's top and the control's foot.
            let _ = root.set_property(CLEARANCE, &format!("{}px", height.ceil() + 16.0));
        }
    };
    set();
    let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |_: js_sys::Array| set());
    let observer = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()).ok()?;
    observer.observe(&notice);
    Some(Guard(observer, callback))
}

#[cfg(not(target_arch = "wasm32"))]
fn observe_clearance(_: &NodeRef) -> Option<()> {
    None
}
