//! Placeholder for the Import panel (Active Directory exports, usage logs), which the import part
//! of the project provides as `components/import.rs`. Until it is wired in, this section says what
//! will be here and offers the estate file import that already works.

use yew::prelude::*;

#[component]
pub fn ImportSlot() -> Html {
    html! {
        <section class="card import-slot no-print" aria-labelledby="import-title">
            <h2 id="import-title">{ "Import from your directory" }</h2>
            <p class="note">{ "Counting from an Active Directory export or access logs is not available in this build yet. You can import an estate file under “Keep and share”." }</p>
        </section>
    }
}
