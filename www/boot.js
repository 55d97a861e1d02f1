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

/**
 * The app's notice style, with Reload, or Later to close it: pinned at the window's foot, or in
 * an embed under the summary bar, in the band of the frame the host page shows (inBand).
 */
function offerReload() {
  if (document.getElementById("new-version")) return;
  const embed = isEmbed();
  const notice = document.createElement("div");
  notice.id = "new-version";
  notice.className = embed ? "notice info floating no-print" : "notice info floating pinned no-print";
  notice.setAttribute("role", "status");
  notice.dataset.testid = "new-version";
  const text = document.createElement("p");
  // An embed saves nothing (src/ui/app.rs): a reload starts it again from its first figures.
  text.textContent = embed
    ? "A new version of the calculator is available. Reloading clears what you typed here: an embedded calculator saves nothing. This one goes on with the version it opened with until you reload it."
    : "A new version of the calculator is available. This page goes on with the version it opened with until you reload it.";
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
  buttons.append(reload, later);
  notice.append(text, buttons);
  document.body.append(notice);
  const stop = embed ? inBand(notice) : () => {};
  later.addEventListener("click", () => {
    stop();
    notice.remove();
  });
}

/** Whether the page is an embedded calculator (`?embed`, read as src/ui/embed.rs reads it). */
function isEmbed() {
  if (document.querySelector(".app.embed")) return true;
  const pairs = [location.search.slice(1), location.hash.slice(1)].join("&").split("&");
  return pairs.some((pair) => {
    const [key, value = ""] = pair.split("=");
    return key === "embed" && ["", "1", "true"].includes(value);
  });
}

/**
 * Keeps `notice` just under the summary bar, which in an embed sticks at the top of the band of
 * the frame the host page shows (www/app.css, --cal-calc-view-top). The frame is as tall as the
 * page (embed.js) and never scrolls, so a notice pinned at its foot was thousands of pixels below
 * what the reader sees (review 26: 8,941 px into a 9,076 px frame); the app's own notices never
 * pin there either (src/ui/components/notice.rs). Follows the band as the host page tells it, the
 * page's size and, in a frame that scrolls itself, its scroll. Returns a function that stops it.
 */
function inBand(notice) {
  for (const [name, value] of [
    ["position", "absolute"],
    ["left", "1rem"],
    ["right", "1rem"],
    ["max-width", "60rem"],
    ["margin", "0 auto"],
    ["z-index", "40"],
  ]) {
    notice.style.setProperty(name, value);
  }
  const place = () => {
    const bar = document.querySelector(".app.embed .summary-bar")?.getBoundingClientRect();
    const app = document.querySelector(".app")?.getBoundingClientRect();
    let top = (bar ? bar.bottom : 0) + 8;
    // Not below the app's foot, which would make the frame taller.
    if (app) top = Math.max(0, Math.min(top, app.bottom - notice.offsetHeight));
    notice.style.setProperty("top", `${Math.round(top + window.scrollY)}px`);
  };
  place();
  // embed.rs sets --cal-calc-view-top on <html> through its style attribute.
  const moved = new MutationObserver(place);
  moved.observe(document.documentElement, { attributes: true, attributeFilter: ["style"] });
  const resized = new ResizeObserver(place);
  resized.observe(document.body);
  window.addEventListener("scroll", place, { passive: true });
  window.addEventListener("resize", place);
  return () => {
    moved.disconnect();
    resized.disconnect();
    window.removeEventListener("scroll", place);
    window.removeEventListener("resize", place);
  };
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
  // An embed saves nothing (src/ui/app.rs): its reload starts again from its first figures.
  message.textContent =
    "Something went wrong inside the calculator and it stopped (" + event.error.message + "): the figures on this page may be out of date. " +
    (isEmbed()
      ? "An embedded calculator saves nothing: reloading the page starts it again from its first figures."
      : "Your work saved before this is kept in this browser: reload the page to continue. If it happens again, export the estate file and report the problem with it.");
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
