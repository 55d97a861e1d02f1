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
  message.textContent =
    "The calculator could not start in this browser (it needs WebAssembly): " + error.message;
  document.body.append(message);
  throw error;
}
