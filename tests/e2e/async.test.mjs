// What the page shows after an answer that comes late, against the release build (`trunk build
// --release`, then `node --test tests/e2e/`; CAL_CALC_DIST=<dir> tests another build directory):
// the share link shown in Keep and share is never one of an estate the page no longer shows.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { openFirstVisit, waitForResult } from "./harness.mjs";

describe("async", () => {
  let visit, page;

  before(async () => {
    visit = await openFirstVisit();
    page = visit.page;
  });

  after(async () => {
    await visit?.close();
  });

  /** The Share link field's link, or "" when the field is not shown. */
  const shown = async () => ((await page.$("#share-link")) ? page.inputValue("#share-link") : "");

  async function makeLink() {
    await page.locator("section.keep button", { hasText: "Copy share link" }).click();
    await page.waitForSelector("#share-link");
    return page.inputValue("#share-link");
  }

  // Review 27: the field kept the link made before an edit, a load and "Delete everything…",
  // while the address bar let it go; opened elsewhere it showed the estate of before.
  it("lets the share link go when the estate changes: an edit, a load, deleting everything", async () => {
    await page.fill("#q-employees", "60");
    await page.dispatchEvent("#q-employees", "change");
    await waitForResult(page);
    const first = await makeLink();
    assert.match(first, /#/);
    await page.fill("#q-employees", "900");
    await page.dispatchEvent("#q-employees", "change");
    await waitForResult(page);
    await page.waitForTimeout(300);
    assert.equal(await shown(), "", "after an edit");

    await makeLink();
    page.once("dialog", (dialog) => dialog.accept());
    await page.locator("section.keep button", { hasText: "Start over with the sample" }).click();
    await page.waitForFunction(() => document.querySelector("#q-employees")?.value !== "900");
    await page.waitForTimeout(300);
    assert.equal(await shown(), "", "after a load");

    await page.fill("#q-employees", "61");
    await page.dispatchEvent("#q-employees", "change");
    await waitForResult(page);
    await makeLink();
    await page.click("section.keep button:has-text('Delete everything this calculator stored in this browser')");
    await page.click("[data-testid=keep-delete-ask] button:has-text('Delete everything stored here')");
    await page.waitForFunction(() => document.querySelector("#q-employees")?.value !== "61");
    await page.waitForTimeout(300);
    assert.equal(await shown(), "", "after deleting everything");
  });
});
