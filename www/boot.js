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
