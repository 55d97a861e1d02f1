//! A notice: a refused link or file (the current work is untouched), or a confirmation. The app
//! shows it next to where the user was working: at the editor column's foot, or at the import
//! panel's foot for the import's own (`NoticePlace`).

use crate::ui::state::{Notice, NoticeKind};
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
        Callback::from(move |_: MouseEvent| {
            return_focus(&node, came_from.borrow_mut().take());
            on_dismiss.emit(());
        })
    };
    let restore = p
        .on_restore
        .as_ref()
        .filter(|_| n.offer_restore)
        .map(|r| r.reform(|_: MouseEvent| ()));
    let undo = p
        .on_undo
        .as_ref()
        .filter(|_| n.offer_undo)
        .map(|u| u.reform(|_: MouseEvent| ()));
    // The slot sticks at the window's foot while the column or panel holding it runs below the
    // window (www/app.css): the list a removal was made in, or the file chooser a refused file
    // came from, may be far below the top of the page (QA: a refused estate file's message
    // appeared 3,500 px above the button).
    let undoable = undo.is_some().then_some("undoable");
    html! {
        <div class="notice-slot" aria-live="polite">
            <div class={classes!(class, "floating", undoable)} role={role} data-testid="notice" ref={node} {onfocusin}>
                <p>{ n.text.clone() }</p>
                if let Some(undo) = undo {
                    <button type="button" onclick={undo} data-testid="undo">{ "Undo" }</button>
                }
                if let Some(restore) = restore {
                    <button type="button" class="secondary" onclick={restore}>{ "Restore the previous estate" }</button>
                }
                <button type="button" class="secondary" onclick={dismiss}>{ "Dismiss" }</button>
            </div>
        </div>
    }
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
