// A trap inside the WebAssembly (an abort, not a Rust panic: the panic hook never runs) must not
// leave the page showing its last figures as if current (hostile-input review 23: an estate of
// 2,000 servers aborted in wasm-bindgen's glue and the old total stayed on screen with no word).
// boot.js turns such an uncaught WebAssembly.RuntimeError into the same alert the panic hook shows.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { openFirstVisit, waitForResult } from "./harness.mjs";

describe("fatal", () => {
  let visit, server, browser, page;

  before(async () => {
    visit = await openFirstVisit();
    ({ server, browser, page } = visit);
  });

  after(async () => {
    await visit?.close();
  });

  it("an uncaught error that is not the WebAssembly's shows no alert", async () => {
    await page.evaluate(() => {
      window.dispatchEvent(new ErrorEvent("error", { error: new TypeError("a page script's own") }));
    });
    assert.equal(await page.locator("#fatal").count(), 0);
  });

  it("a WebAssembly trap shows an alert that says the figures may be out of date", async () => {
    await page.evaluate(() => {
      window.dispatchEvent(
        new ErrorEvent("error", { error: new WebAssembly.RuntimeError("unreachable") }),
      );
    });
    const alert = page.locator("#fatal[role=alert]");
    assert.equal(await alert.count(), 1);
    const text = await alert.textContent();
    assert.match(text, /stopped \(unreachable\)/);
    assert.match(text, /may be out of date/);
    assert.match(text, /reload the page/);
    // A second trap does not add a second alert.
    await page.evaluate(() => {
      window.dispatchEvent(
        new ErrorEvent("error", { error: new WebAssembly.RuntimeError("unreachable") }),
      );
    });
    assert.equal(await page.locator("#fatal").count(), 1);
  });

  it("in an embed the alert does not say the work is kept, since an embed saves nothing", async () => {
    const embed = await browser.context.newPage();
    try {
      await embed.goto(server.url("/?embed&preset=sample"));
      await waitForResult(embed);
      await embed.evaluate(() => {
        window.dispatchEvent(
          new ErrorEvent("error", { error: new WebAssembly.RuntimeError("unreachable") }),
        );
      });
      const text = await embed.locator("#fatal[role=alert]").textContent();
      assert.match(text, /may be out of date/);
      assert.match(text, /saves nothing/);
      assert.doesNotMatch(text, /kept in this browser|saved in this browser/);
    } finally {
      await embed.close();
    }
  });
});
