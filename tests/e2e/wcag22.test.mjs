// WCAG 2.2 details a review checked in session 30, against the release build (`trunk build
// --release`, then `node --test tests/e2e/`; CAL_CALC_DIST=<dir> tests another build directory):
// a control reached by Tab is not hidden under the floating notice or below the window (2.4.11),
// and the import's column editor does not make the page scroll sideways on a phone (1.4.10).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { dist, onFirstVisit, serve } from "./harness.mjs";

describe("WCAG 2.2 details", () => {
  let server;

  before(async () => {
    server = await serve(dist);
  });

  after(async () => {
    await server?.close();
  });

  /**
   * Where `selector`'s box is, once `focus` (a selector) has the keyboard's focus: inside the
   * window, and whether what is drawn at its centre is itself (not the notice over it).
   */
  async function seenWhenFocused(page, focus, selector) {
    // Tab from the control before it, as a keyboard user gets there.
    await page.evaluate((focus) => {
      const all = [...document.querySelectorAll("input, select, textarea, button, summary, a[href], [tabindex]")].filter(
        (e) => !e.disabled && e.tabIndex >= 0,
      );
      all[all.indexOf(document.querySelector(focus)) - 1].focus();
    }, focus);
    await page.keyboard.press("Tab");
    assert.ok(await page.evaluate((focus) => document.activeElement === document.querySelector(focus), focus), `${focus} has the focus`);
    await page.waitForTimeout(200);
    return page.$eval(selector, (e) => {
      const r = e.getBoundingClientRect();
      const x = r.left + r.width / 2;
      const y = r.top + r.height / 2;
      const top = document.elementFromPoint(x, y);
      return { inWindow: r.top >= 0 && r.bottom <= window.innerHeight, drawn: !!top && (top === e || e.contains(top)) };
    });
  }

  // Review 30: the hidden file input stood at its row's top left, so Tab scrolled that into view
  // and left the "Import estate (JSON)" button under the notice or below the window; quick mode's
  // "Start empty" was left under the notice, its box being a .notice too.
  it("keeps a focused control clear of the notice and inside the window at 360 px", async () => {
    await onFirstVisit(
      server,
      async (page) => {
        for (const notice of [false, true]) {
          if (notice) {
            await page.locator("section.keep button", { hasText: "Copy share link" }).click();
            await page.waitForSelector(".notice.floating");
          }
          const file = await seenWhenFocused(page, "#import-file", "label[for=import-file]");
          assert.deepEqual(file, { inWindow: true, drawn: true }, `Import estate (JSON), notice ${notice}`);
          if (notice) {
            await page.evaluate(() => window.scrollTo(0, 0));
            const start = await seenWhenFocused(page, "[data-testid=start-empty]", "[data-testid=start-empty]");
            assert.deepEqual(start, { inWindow: true, drawn: true }, "Start empty, notice up");
          }
        }
      },
      { viewport: { width: 360, height: 800 } },
    );
  });

  // Review 30: at 320 px the column editor's table made the page 452 px wide.
  it("keeps the import's column editor within a 320 px window", async () => {
    await onFirstVisit(
      server,
      async (page) => {
        await page.click("summary:has-text('Try it with sample exports')");
        await page.click("button[data-sample='ad-users.csv']");
        await page.waitForSelector(".import-file-meta", { timeout: 30_000 });
        await page.locator("button", { hasText: /^Columns/ }).last().click();
        await page.waitForSelector("#import-mapping select");
        const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.equal(sideways, 0);
      },
      { viewport: { width: 320, height: 640 } },
    );
  });
});
