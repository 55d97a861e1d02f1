// Host-page script for an embedded CAL calculator: keeps each calculator iframe as tall as its
// content, so the host page scrolls instead of the frame. Paste the snippet from the calculator's
// "Embed this calculator" panel:
//
//   <iframe src="https://calc.example/?embed&parentOrigin=https%3A%2F%2Fdocs.example"
//           title="Microsoft CAL calculator" class="cal-calc-embed" loading="lazy"></iframe>
//   <script src="https://calc.example/embed.js" defer></script>
//
// The calculator posts only { type: "cal-calc:height", height } and only to the parentOrigin it
// was given. This script takes the calculator's origin from its own address (it is served by the
// calculator) and accepts a message only when it comes from that origin AND from the window of
// one of the page's `iframe.cal-calc-embed` elements whose src is on that origin; everything else
// (the page itself, other frames, a frame navigated elsewhere, other message shapes) is ignored. It needs no inline script or
// style, so it works under a strict host CSP (script-src and frame-src naming the calculator).
(() => {
  "use strict";

  const SELECTOR = "iframe.cal-calc-embed";
  // Where this script came from is where the calculator lives. (A copy served from elsewhere, or
  // a script without a src, takes the page's own origin.)
  const CALCULATOR_ORIGIN = new URL(document.currentScript?.src || document.baseURI).origin;
  const MIN_HEIGHT = 200;
  // A guard against absurd values, not a layout limit: at a phone's width the sample's report is
  // already about 19,500 px tall, and a larger estate's is taller (beyond the guard the frame
  // scrolls inside).
  const MAX_HEIGHT = 100000;

  /** The origin an iframe's document should come from, or null for an unusable src. */
  function frameOrigin(frame) {
    try {
      return new URL(frame.src, document.baseURI).origin;
    } catch {
      return null;
    }
  }

  function prepare(frame) {
    if (frame.dataset.calCalcReady) return;
    frame.dataset.calCalcReady = "1";
    // CSSOM writes are allowed under a CSP without 'unsafe-inline' (style attributes are not).
    if (!frame.style.width) frame.style.width = "100%";
    if (!frame.style.border) frame.style.border = "0";
    if (!frame.style.height) frame.style.height = "640px";
  }

  function prepareAll() {
    document.querySelectorAll(SELECTOR).forEach(prepare);
  }

  window.addEventListener("message", (event) => {
    const data = event.data;
    if (!data || typeof data !== "object" || data.type !== "cal-calc:height") return;
    if (!Number.isFinite(data.height)) return;
    for (const frame of document.querySelectorAll(SELECTOR)) {
      if (frame.contentWindow !== event.source) continue;
      if (event.origin !== CALCULATOR_ORIGIN || frameOrigin(frame) !== CALCULATOR_ORIGIN) return;
      prepare(frame);
      const height = Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, Math.ceil(data.height)));
      frame.style.height = `${height}px`;
      frame.dispatchEvent(new CustomEvent("cal-calc:resize", { detail: { height } }));
      return;
    }
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", prepareAll);
  else prepareAll();
})();
