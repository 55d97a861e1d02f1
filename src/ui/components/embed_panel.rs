//! "Embed this calculator": writes the snippet a documentation page pastes — an iframe of this page
//! in embed mode, told which origin may receive its height, plus the small host script that resizes
//! the iframe.

use crate::ui::browser;
use crate::ui::components::field::{said_region, use_settled_typing};
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
    parse_origin(origin).is_some()
}

/// `origin` as the browser serialises it (`https://host[:port]`, lower case, no default port) if
/// it is a bare origin: a scheme http or https in any case, `://`, a host the browser's URL parser
/// takes and an optional port of 1 to 65535, nothing after. A hand check once let
/// `http://a:99999`, `http://a:b:c` and `http://[zz]` through (the frame then posted nothing) and
/// refused `HTTP://Example.COM` (review 20).
pub fn parse_origin(origin: &str) -> Option<String> {
    let scheme = ["https://", "http://"].into_iter().find(|s| {
        origin
            .get(..s.len())
            .is_some_and(|t| t.eq_ignore_ascii_case(s))
    })?;
    let authority = &origin[scheme.len()..];
    // No path, query, fragment or credentials, and no characters the URL parser drops or turns
    // into a path (`\`, tabs, new lines).
    if authority.is_empty()
        || authority.contains(['/', '\\', '?', '#', '@'])
        || authority
            .chars()
            .any(|c| c.is_whitespace() || c.is_control())
    {
        return None;
    }
    // A port, if any, after the last colon outside an IPv6 address's brackets: 1 to 65535 (the
    // URL parser takes 0, to which nothing can be served).
    let port = match authority.rfind(':') {
        Some(at) if !authority[at..].contains(']') => Some(&authority[at + 1..]),
        _ => None,
    };
    if let Some(port) = port {
        if port.is_empty()
            || !port.chars().all(|c| c.is_ascii_digit())
            || !port.parse::<u32>().is_ok_and(|p| (1..=65535).contains(&p))
        {
            return None;
        }
    }
    let url = web_sys::Url::new(origin).ok()?;
    let serialised = url.origin();
    (serialised.starts_with("http://") || serialised.starts_with("https://")).then_some(serialised)
}

/// The origin a user typed, as the snippet writes it: `Ok("")` for an empty field, the bare
/// origin with one trailing slash dropped (what a browser's address bar shows, review 18), or why
/// it is not an origin.
pub fn origin_from(text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(String::new());
    }
    let bare = text.strip_suffix('/').unwrap_or(text);
    if let Some(origin) = parse_origin(bare) {
        return Ok(origin);
    }
    let scheme = ["https://", "http://"].into_iter().find(|s| {
        text.get(..s.len())
            .is_some_and(|t| t.eq_ignore_ascii_case(s))
    });
    let Some(scheme) = scheme else {
        return Err("That is not an origin: start with https:// (or http://), like https://docs.example.com.".to_string());
    };
    // What follows the host: a path, a query or a fragment, which an origin has none of.
    let rest = &text[scheme.len()..];
    if let Some(at) = rest.find(['/', '?', '#']).filter(|&at| at > 0) {
        let origin = format!("{}{}", &text[..scheme.len()], &rest[..at]);
        if valid_origin(&origin) {
            return Err(format!(
                "That is not an origin: an origin has no path. Remove “{}” and keep {origin}.",
                &rest[at..]
            ));
        }
    }
    Err(
        "That is not an origin: write the scheme and host only, like https://docs.example.com."
            .to_string(),
    )
}

const ORIGIN_ID: &str = "embed-origin";
const HINT_ID: &str = "embed-origin-hint";
const ERROR_ID: &str = "embed-origin-error";

#[component]
pub fn EmbedPanel() -> Html {
    // What the user typed, kept as typed; the snippet takes the origin it means.
    let typed = use_state(String::new);
    let oninput = {
        let typed = typed.clone();
        Callback::from(move |e: InputEvent| {
            typed.set(
                e.target_unchecked_into::<web_sys::HtmlInputElement>()
                    .value(),
            )
        })
    };
    let origin = origin_from(&typed);
    // No snippet while the field holds no origin: one without it would give a frame that never
    // resizes, and the user would not know why (review 18).
    let code = origin
        .as_ref()
        .ok()
        .map(|o| snippet(&browser::page_base(), o, ""));
    let error = origin.as_ref().err();
    // Shown at once, said once the typing pauses: an assertive alert replaced at each keystroke
    // ("https://d" is not an origin yet) was read out at each one (review 27).
    let said = use_settled_typing(error.cloned().unwrap_or_default(), (*typed).clone());
    let described = if error.is_some() {
        format!("{HINT_ID} {ERROR_ID}")
    } else {
        HINT_ID.to_string()
    };
    html! {
        <details class="card embed-panel no-print">
            <summary><h2>{ "Embed this calculator" }</h2></summary>
            <p class="note">{ "Paste this into your page. The calculator runs inside the frame; it only tells your page its height, and only your page's origin receives it." }</p>
            <div class={classes!("field", error.is_some().then_some("invalid"))}>
                <label for={ORIGIN_ID}>{ "Your page's origin" }</label>
                <input id={ORIGIN_ID} type="text" inputmode="url" autocomplete="off" spellcheck="false"
                    value={(*typed).clone()} placeholder="https://docs.example.com" {oninput}
                    aria-invalid={error.is_some().then_some("true")}
                    aria-describedby={described} />
                <p id={HINT_ID} class="field-hint">{ "Scheme and host only, e.g. https://docs.example.com" }</p>
                if let Some(e) = error {
                    <p id={ERROR_ID} class="field-error">{ e.clone() }</p>
                }
                { said_region(said) }
            </div>
            if let Some(code) = code {
                <div class="field">
                    <label for="embed-snippet">{ "Snippet" }</label>
                    if typed.trim().is_empty() {
                        <textarea id="embed-snippet" readonly=true rows="4" value={code} aria-describedby="embed-snippet-note" />
                        <p id="embed-snippet-note" class="field-hint">{ "Without your page's origin the frame keeps a fixed height and scrolls inside: fill it in to let the frame grow with its content." }</p>
                    } else {
                        <textarea id="embed-snippet" readonly=true rows="4" value={code} />
                    }
                </div>
            } else {
                <p class="note embed-no-snippet" id="embed-snippet-missing">{ "No snippet while the origin above is not valid: without it the frame could not resize to its content. Correct the origin, or empty the field for a frame of fixed height." }</p>
            }
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    /// Review 18: "https://docs.example.com/", as copied from the address bar, was refused.
    #[wasm_bindgen_test]
    fn an_origin_with_one_trailing_slash_is_the_origin() {
        assert_eq!(
            origin_from(" https://docs.example.com/ "),
            Ok("https://docs.example.com".to_string())
        );
        assert_eq!(
            origin_from("http://localhost:8080"),
            Ok("http://localhost:8080".to_string())
        );
        assert_eq!(origin_from("  "), Ok(String::new()));
    }

    /// Anything after the host but the one slash stays an error, which says what to remove.
    #[wasm_bindgen_test]
    fn an_origin_with_a_path_says_which_part_to_remove() {
        let Err(why) = origin_from("https://docs.example.com/guide/embed") else {
            panic!("a path is no origin")
        };
        assert!(why.contains("“/guide/embed”"), "{why}");
        assert!(why.contains("keep https://docs.example.com."), "{why}");
        for bad in [
            "https://docs.example.com//",
            "https://docs.example.com?x=1",
            "docs.example.com",
            "https://",
            "https://exa mple.com",
            "ftp://docs.example.com",
            "httpsé://x",
        ] {
            assert!(origin_from(bad).is_err(), "{bad}");
        }
    }
}
