//! The slot for the Import panel (Active Directory exports, usage logs, licence statements), which
//! the import part of the project provides as `components/import.rs`. Its contract is these props:
//! the current estate in, and the estate with the import applied out through `on_import` (the app
//! replaces its estate with it and re-evaluates, like opening a file), or a message through
//! `on_error`. Until that component is wired in, this section says what will be here and points
//! to the estate-file import that works today.

use crate::estate::Estate;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ImportSlotProps {
    pub estate: Rc<Estate>,
    pub on_import: Callback<Estate>,
    pub on_error: Callback<String>,
}

#[component]
pub fn ImportSlot(_p: &ImportSlotProps) -> Html {
    html! {
        <section class="card import-slot no-print" aria-labelledby="import-title">
            <h2 id="import-title">{ "Import from your directory" }</h2>
            <p class="note">{ "Counting from an Active Directory export or access logs is not available in this build yet. You can import an estate file under “Keep and share”." }</p>
        </section>
    }
}
