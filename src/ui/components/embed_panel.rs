//! "Embed this calculator": writes the snippet a documentation page pastes — an iframe of this page
//! in embed mode, told which origin may receive its height, plus the small host script that resizes
//! the iframe.

use crate::ui::browser;
use crate::ui::components::field::TextField;
use yew::prelude::*;

/// The snippet for a host page at `parent_origin`.
pub fn snippet(base: &str, parent_origin: &str, preset: &str) -> String {
    let dir = base
        .rsplit_once('/')
        .map(|(d, _)| format!("{d}/"))
        .unwrap_or_default();
    let mut src = format!("{base}?embed");
    if !parent_origin.is_empty() {
        src.push_str(&format!(
            "&parentOrigin={}",
            js_sys::encode_uri_component(parent_origin)
        ));
    }
    if !preset.is_empty() {
        src.push_str(&format!("&preset={}", js_sys::encode_uri_component(preset)));
    }
    format!(
        "<iframe src=\"{src}\" title=\"Microsoft CAL calculator\" class=\"cal-calc-embed\" loading=\"lazy\"></iframe>\n<script src=\"{dir}embed.js\" defer></script>"
    )
}

/// Whether `origin` is a bare origin (`https://host[:port]`), the only form postMessage accepts.
pub fn valid_origin(origin: &str) -> bool {
    let rest = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"));
    match rest {
        Some(host) => {
            !host.is_empty()
                && !host.contains('/')
                && host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        }
        None => false,
    }
}

#[component]
pub fn EmbedPanel() -> Html {
    let parent = use_state(String::new);
    let on_parent = {
        let parent = parent.clone();
        Callback::from(move |v: String| parent.set(v.trim().to_string()))
    };
    let ok = parent.is_empty() || valid_origin(&parent);
    let code = snippet(&browser::page_base(), if ok { &parent } else { "" }, "");
    html! {
        <details class="card embed-panel no-print">
            <summary><h2>{ "Embed this calculator" }</h2></summary>
            <p class="note">{ "Paste this into your page. The calculator runs inside the frame; it only tells your page its height, and only your page's origin receives it." }</p>
            <TextField id="embed-origin" label="Your page's origin" value={AttrValue::from((*parent).clone())}
                placeholder={AttrValue::from("https://docs.example.com")} on_change={on_parent}
                hint={AttrValue::from("Scheme and host only, e.g. https://docs.example.com")} />
            if !ok {
                <p class="field-error" role="alert">{ "That is not an origin: write the scheme and host only, like https://docs.example.com." }</p>
            }
            <div class="field">
                <label for="embed-snippet">{ "Snippet" }</label>
                <textarea id="embed-snippet" readonly=true rows="4" value={code} />
            </div>
        </details>
    }
}
