// The example page's live calculator: served by the calculator itself, the page knows its own
// origin only when it is loaded, so this fills in the iframe's address (the snippet on a real
// page writes it out). No inline script, so the page keeps its strict CSP.
"use strict";
for (const frame of document.querySelectorAll("iframe.cal-calc-embed[data-src]")) {
  const src = new URL(frame.dataset.src, document.baseURI);
  src.searchParams.set("parentOrigin", location.origin);
  frame.src = src.href;
}
