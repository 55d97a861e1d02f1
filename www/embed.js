// Host-page script for an embedded CAL calculator: keeps each calculator iframe as tall as its
// content, so the host page scrolls instead of the frame, and tells the calculator which part of
// it is in view, so that its summary bar (the purchase cost an edit changes) stays in sight while
// the reader edits far from the result. Paste the snippet from the calculator's "Embed this
// calculator" panel:
//
//   <iframe src="https://calc.example/?embed&parentOrigin=https%3A%2F%2Fdocs.example"
//           title="Microsoft CAL calculator" class="cal-calc-embed" loading="lazy"></iframe>
//   <script src="https://calc.example/embed.js" defer></script>
//
// The messages, both ways, and nothing else:
// - calculator -> this page: { type: "cal-calc:height", height } (CSS pixels), posted only to the
//   parentOrigin it was given. This script takes the calculator's origin from its own address (it
//   is served by the calculator) and accepts a message only when it comes from that origin AND
//   from the window of one of the page's `iframe.cal-calc-embed` elements whose src is on that
//   origin; everything else (the page itself, other frames, a frame navigated elsewhere, other
//   message shapes) is ignored.
// - this page -> calculator: { type: "cal-calc:view", top, height } (CSS pixels), the band of the
//   frame inside this page's window (top from the frame's top; height 0 when none is in view),
//   posted on scroll and resize, only to a frame that has sent a height, and with the
//   calculator's origin as the target origin, so the browser drops it if the frame is elsewhere.
//   The calculator reads it only from its parent window on exactly its parentOrigin. It tells the
//   calculator where this page is scrolled, nothing about this page's content; the calculator
//   posts nothing in return, so the result and what the reader types still stay in the frame.
// It needs no inline script or style, so it works under a strict host CSP (script-src and
// frame-src naming the calculator).
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

  // Frames that have sent a height: the calculator runs in them and listens for the view.
  const talking = new WeakSet();
  // The last band told to each frame, so scrolling within a band posts nothing new.
  const told = new WeakMap();

  /** Tells a calculator frame which band of it is inside this page's window. */
  function tellView(frame) {
    if (!talking.has(frame) || !frame.isConnected || frameOrigin(frame) !== CALCULATOR_ORIGIN) return;
    const target = frame.contentWindow;
    if (!target) return;
    const box = frame.getBoundingClientRect();
    // The frame's document starts inside its border and padding.
    const css = getComputedStyle(frame);
    const start = box.top + frame.clientTop + (parseFloat(css.paddingTop) || 0);
    const height = frame.clientHeight - (parseFloat(css.paddingTop) || 0) - (parseFloat(css.paddingBottom) || 0);
    const windowHeight = window.innerHeight;
    const top = Math.round(Math.min(Math.max(0, -start), Math.max(0, height)));
    const bottom = Math.round(Math.min(Math.max(top, windowHeight - start), Math.max(top, height)));
    const band = `${top}/${bottom - top}`;
    if (told.get(frame) === band) return;
    told.set(frame, band);
    target.postMessage({ type: "cal-calc:view", top, height: bottom - top }, CALCULATOR_ORIGIN);
  }

  let scheduled = false;
  function tellViews() {
    scheduled = false;
    document.querySelectorAll(SELECTOR).forEach(tellView);
  }
  function scheduleViews() {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(tellViews);
  }
  // Capturing: the page may scroll inside an element rather than the window (scroll events do
  // not bubble).
  window.addEventListener("scroll", scheduleViews, { capture: true, passive: true });
  window.addEventListener("resize", scheduleViews, { passive: true });

  window.addEventListener("message", (event) => {
    const data = event.data;
    if (!data || typeof data !== "object" || data.type !== "cal-calc:height") return;
    if (!Number.isFinite(data.height)) return;
    for (const frame of document.querySelectorAll(SELECTOR)) {
      if (frame.contentWindow !== event.source) continue;
      if (event.origin !== CALCULATOR_ORIGIN || frameOrigin(frame) !== CALCULATOR_ORIGIN) return;
      prepare(frame);
      const height = Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, Math.ceil(data.height)));
      // A host stylesheet's `box-sizing: border-box` (Bootstrap's, Tailwind's) counts the frame's
      // border and padding in its height: they are added, or the calculator scrolls inside by them.
      const css = getComputedStyle(frame);
      const box = css.boxSizing === "border-box"
        ? ["borderTopWidth", "borderBottomWidth", "paddingTop", "paddingBottom"].reduce((sum, k) => sum + (parseFloat(css[k]) || 0), 0)
        : 0;
      frame.style.height = `${height + box}px`;
      talking.add(frame);
      // A new height moves the band (and the first one starts the view messages); a reload of the
      // frame starts afresh, so the band is told again.
      told.delete(frame);
      tellView(frame);
      frame.dispatchEvent(new CustomEvent("cal-calc:resize", { detail: { height } }));
      return;
    }
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", prepareAll);
  else prepareAll();
})();
