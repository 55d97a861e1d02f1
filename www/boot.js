// Starts the calculator page. An external module because the page's CSP forbids inline script
// (trunk's default loader is inline; Trunk.toml's pattern_script points here instead).
// app.js is written at build time by scripts/post-build.mjs and loads this build's hashed app
// module (the JavaScript API and the import worker use the engine module, through calc.js).
import { start } from "./app.js";

// Offline after the first visit. Failing to register (private mode, file://) only loses that.
if ("serviceWorker" in navigator && location.protocol !== "file:") {
  navigator.serviceWorker.register(new URL("./sw.js", import.meta.url)).catch((error) => {
    console.info("Offline use is unavailable:", error.message);
  });
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
