//! "How to check that nothing leaves your browser": the steps anyone can take to verify the
//! privacy promise for themselves, rather than take it on trust.

use yew::prelude::*;

#[component]
pub fn PrivacyCheck() -> Html {
    html! {
        <details class="card privacy-check no-print" id="privacy-check">
            <summary><h2>{ "How to check that nothing leaves your browser" }</h2></summary>
            <p class="note">{ "The calculator is a static page: the counting runs in this browser, in WebAssembly. You do not have to take that on trust:" }</p>
            <ol class="privacy-steps">
                <li>
                    <strong>{ "Watch the network. " }</strong>
                    { "Open the browser's developer tools (F12, or Ctrl+Shift+I; Cmd+Option+I on a Mac), choose the Network tab and reload. Every request goes to this page's own address. Then type, import a file or export the position. The only requests that appear are for the calculator's own files, from this same address: when the result is worked out in full (after a pause in typing) the page loads its evaluation worker and its counting engine (evaluate-worker.js, calc.js, and engine files ending in .js and .wasm), and an import loads the import worker (import-worker.js) with the same engine. Nothing goes to any other address, and no request carries what you typed or imported." }
                </li>
                <li>
                    <strong>{ "Go offline. " }</strong>
                    { "Once the page has loaded, disconnect from the network (or tick “Offline” in the Network tab). The calculator keeps working and keeps updating the result, because it needs no server." }
                </li>
                <li>
                    <strong>{ "Read the page's rules. " }</strong>
                    { "View the page source: its Content-Security-Policy starts from " }
                    <code>{ "default-src 'none'" }</code>
                    { " and allows only " }<code>{ "'self'" }</code>
                    { " (this address) for scripts, styles, images and connections, and the browser itself blocks any other address from the page. The page's background workers (the import and the full evaluation) and its offline cache follow the same rule when the server sends it with them, and in any case lock themselves to this address as they start, before any other code of theirs runs. There are no cookies, analytics, web fonts or scripts from other sites." }
                </li>
                <li>
                    <strong>{ "Know what is kept, and where. " }</strong>
                    { "Your estate is saved only in this browser's local storage for this site (see “Keep and share”), with the one a load last replaced (so that it can be restored) and short fingerprints of the share links made or opened here (so that a reload never reopens one over later work); clearing the site's data removes them all. A share link carries the estate after the “#”, a part of the address browsers never send to a server, and never the imported account names." }
                </li>
            </ol>
        </details>
    }
}
