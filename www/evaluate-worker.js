// The full evaluation's Web Worker: when the quick report of an edit is not proven, the app asks
// this worker for the full one, so the optimiser's longer search (half a second for the sample
// with a four-digit staff count) never freezes the page. It runs the same engine module as the
// JavaScript API, which the page loads only when a full evaluation is first needed: the page's
// own build of it, whose entry (calc-<hash>.js, calc.js's hashed twin) the page gives as this
// worker's name (src/ui/browser.rs, module_worker). The stable calc.js is the newest deploy's,
// and a page open across a deploy mixed its own quick figures with a newer engine's full ones
// (life review). A name of any other form is never imported; without one, calc.js.
// Nothing here makes a network request of its own: the estate comes from the page, the report
// goes back to it with postMessage. The page's <meta> CSP does not bind a worker (only a policy
// sent as a header with this script does, docs/deploys.md), so the first import, ./lockdown.js,
// locks the worker's ways to reach an address to this origin in any case.
//
// Messages in:  {type:"evaluate", revision, asOf, estate}   estate: JSON text; asOf: YYYY-MM-DD
//               {type:"cancel"}                             the estate asked last is no longer
//                                                           awaited: not computed if not begun
// Messages out: {type:"ready"}                               the engine module is loaded
//               {type:"report", revision, asOf, report}     report: JSON text
//               {type:"error", revision, asOf, message}     the evaluation failed
//               {type:"unavailable", message}               the engine module could not be loaded
// The page keys answers by (revision, asOf) and ends this worker when it computes a stale estate
// (a WebAssembly call cannot be interrupted), so it handles one estate at a time. When this
// worker has not said "ready" 20 s after a request (the engine's download stalled), the page
// evaluates that estate by itself, cancels it here and leaves the worker loading for the next
// ones; a search still running a minute after "ready" (or after the request, when it came
// later) is ended (src/ui/hooks/mod.rs).

import "./lockdown.js";

// A dynamic import, so a module that cannot be fetched (offline before its first use) is
// reported as a message, not only as the worker's error event.
const ENTRY = /^calc-[0-9a-f]{16}\.js$/.test(self.name) ? `./${self.name}` : "./calc.js";
const ready = import(ENTRY).then((module) => module.load());
ready.then(
  () => self.postMessage({ type: "ready" }),
  (error) => self.postMessage({ type: "unavailable", message: String(error?.message ?? error) }),
);

// Messages received: an estate asked before the last message, while the engine loaded, is not
// computed (review of session 29: a cancelled one delayed the next request by a whole search).
let received = 0;

self.onmessage = async (event) => {
  const { type, revision, asOf, estate } = event.data ?? {};
  const number = ++received;
  if (type === "cancel") return;
  if (type !== "evaluate") {
    self.postMessage({ type: "error", revision, asOf, message: `Unknown message type ${String(type)}.` });
    return;
  }
  let api;
  try {
    api = await ready;
  } catch {
    return; // said once, as "unavailable"
  }
  if (number !== received) return;
  try {
    const report = JSON.stringify(api.evaluate(estate, asOf));
    self.postMessage({ type: "report", revision, asOf, report });
  } catch (error) {
    self.postMessage({ type: "error", revision, asOf, message: String(error?.message ?? error) });
  }
};
