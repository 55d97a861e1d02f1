//! The message line above the editor: a refused link or file (the current work is untouched), or a
//! confirmation.

use crate::ui::state::{Notice, NoticeKind};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NoticeBarProps {
    pub notice: Option<Notice>,
    pub on_dismiss: Callback<()>,
    /// Brings back the replaced estate; shown when the notice offers it and one is kept.
    pub on_restore: Option<Callback<()>>,
    /// Undoes the removal the notice reports; shown when the notice offers it and the estate
    /// before the removal is kept.
    #[prop_or_default]
    pub on_undo: Option<Callback<()>>,
}

#[component]
pub fn NoticeBar(p: &NoticeBarProps) -> Html {
    let Some(n) = &p.notice else {
        return html! { <div class="notice-slot" aria-live="polite"></div> };
    };
    let (class, role) = match n.kind {
        NoticeKind::Error => ("notice error", "alert"),
        NoticeKind::Info => ("notice info", "status"),
    };
    let dismiss = p.on_dismiss.reform(|_| ());
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
    // A removal's notice floats at the foot of the window, next to where the user was working
    // (the list may be far below the top of the page), until the next edit or dismissal.
    let undoable = undo.is_some().then_some("undoable");
    html! {
        <div class="notice-slot" aria-live="polite">
            <div class={classes!(class, undoable)} role={role} data-testid="notice">
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
