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
    html! {
        <div class="notice-slot" aria-live="polite">
            <div class={class} role={role} data-testid="notice">
                <p>{ n.text.clone() }</p>
                if let Some(restore) = restore {
                    <button type="button" class="secondary" onclick={restore}>{ "Restore the previous estate" }</button>
                }
                <button type="button" class="secondary" onclick={dismiss}>{ "Dismiss" }</button>
            </div>
        </div>
    }
}
