//! The web app: a yew 0.23 face over [`crate::evaluate`].
//!
//! One data flow (style.md): inputs (form edits, an estate file, a share link, embed parameters)
//! → [`state::AppState`] (a `use_reducer` whose actions only edit the [`crate::estate::Estate`])
//! → `evaluate(&estate, today)` (memoised per edit) → [`crate::report::Report`] → components that
//! render it. No component computes a licence count: every figure shown comes from the report.
//!
//! Browser access (storage, URL, downloads, Intl formatting) lives in [`browser`] and [`format`];
//! the share-link codec is plain Rust in [`crate::share`].

pub mod app;
pub mod browser;
pub mod components;
pub mod embed;
pub mod format;
pub mod hooks;
pub mod state;
pub mod versions;

use wasm_bindgen::JsCast;

/// Mounts the app on the element with id `app`, or on `<body>` when there is none (called by
/// `boot.js` through the build's `app.js` entry).
///
/// Installs a panic hook first: should anything panic, the page shows a message with what to do
/// instead of going dead, and the estate saved in this browser is kept.
#[wasm_bindgen::prelude::wasm_bindgen(js_name = startApp, skip_typescript)]
pub fn start() {
    yew::set_custom_panic_hook(Box::new(|info| {
        let detail = info.to_string();
        browser::show_fatal_message(&detail);
    }));
    let root = gloo::utils::document()
        .get_element_by_id("app")
        .or_else(|| {
            gloo::utils::document()
                .body()
                .and_then(|b| b.dyn_into::<web_sys::Element>().ok())
        });
    match root {
        Some(root) => {
            yew::Renderer::<app::App>::with_root(root).render();
        }
        None => browser::show_fatal_message("the page has no <body> to show the calculator in"),
    }
}
