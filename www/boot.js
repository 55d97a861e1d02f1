// Starts the calculator page. An external module because the page's CSP forbids inline script
// (trunk's default loader is inline; Trunk.toml's pattern_script points here instead).
// app.js is written at build time by scripts/post-build.mjs and loads this build's hashed app
// module (the JavaScript API uses the engine module through calc.js; the page's workers use this
// build's own copy of it, whose name app.js puts on the page).
import { build, start } from "./app.js";

// Offline after the first visit. Failing to register (private mode, file://) only loses that.
if ("serviceWorker" in navigator && location.protocol !== "file:") {
  // A new version's service worker takes control of the open pages at once (www/sw.js). The page
  // goes on with the build it loaded; it says that another one is available, with a Reload
  // button, and never reloads by itself: an edit, an import or a file being read would be lost.
  navigator.serviceWorker.addEventListener("controllerchange", checkBuild);
  navigator.serviceWorker.register(new URL("./sw.js", import.meta.url)).catch((error) => {
    console.info("Offline use is unavailable:", error.message);
  });
}

/** Asks the service worker now in control which build it serves; offers to reload for another. */
function checkBuild() {
  const controller = navigator.serviceWorker.controller;
  if (!controller) return;
  const channel = new MessageChannel();
  // Every build's service worker answers at once; one that does not is an older build's.
  const silent = setTimeout(() => {
    channel.port1.close();
    offerReload();
  }, 10_000);
  channel.port1.onmessage = (event) => {
    clearTimeout(silent);
    channel.port1.close();
    if (event.data?.build !== build) offerReload();
  };
  controller.postMessage({ type: "build" }, [channel.port2]);
}

/** A notice pinned at the window's foot (the app's notice style): Reload, or Later to close it. */
function offerReload() {
  if (document.getElementById("new-version")) return;
  const notice = document.createElement("div");
  notice.id = "new-version";
  notice.className = "notice info floating pinned no-print";
  notice.setAttribute("role", "status");
  notice.dataset.testid = "new-version";
  const text = document.createElement("p");
  text.textContent =
    "A new version of the calculator is available. This page goes on with the version it opened with until you reload it.";
  const buttons = document.createElement("div");
  buttons.className = "button-row";
  const reload = document.createElement("button");
  reload.type = "button";
  reload.textContent = "Reload";
  reload.addEventListener("click", () => location.reload());
  const later = document.createElement("button");
  later.type = "button";
  later.className = "secondary";
  later.textContent = "Later";
  later.addEventListener("click", () => notice.remove());
  buttons.append(reload, later);
  notice.append(text, buttons);
  document.body.append(notice);
}

// A trap inside the WebAssembly (an abort such as a table that cannot grow, not a Rust panic, so
// the panic hook never runs) leaves the page half-working with its last figures on screen as if
// current (hostile-input review 23: an estate of 2,000 servers). Say so, as the panic hook does.
window.addEventListener("error", (event) => {
  if (!(event.error instanceof WebAssembly.RuntimeError) || document.getElementById("fatal")) {
    return;
  }
  const message = document.createElement("div");
  message.id = "fatal";
  message.className = "fatal";
  message.setAttribute("role", "alert");
  message.textContent =
    "Something went wrong inside the calculator and it stopped (" + event.error.message + "): the figures on this page may be out of date. Your work saved before this is kept in this browser: reload the page to continue. If it happens again, export the estate file and report the problem with it.";
  document.body.prepend(message);
});

try {
  await start();
} catch (error) {
  const message = document.createElement("p");
  message.setAttribute("role", "alert");
  // A failed download is not the browser's fault (review 19: "Failed to fetch" read as if it
  // were): say which of the two it is.
  const fetching = /fetch|network|load/i.test(String(error?.message ?? ""));
  message.textContent = fetching
    ? "The calculator's code could not be downloaded (" + error.message + "). Check the connection and reload the page; nothing you entered is lost, it is kept in this browser."
    : "The calculator could not start in this browser (it needs WebAssembly, which this browser did not run): " + error.message;
  document.body.append(message);
  throw error;
}
