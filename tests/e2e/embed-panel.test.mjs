// The "Embed this calculator" panel in a real browser against the release build (review 18): the
// origin copied from the address bar (with its trailing slash) is an origin, an error is tied to
// its field for assistive technology, and no snippet is offered that silently lacks the origin.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { openFirstVisit, waitForResult } from "./harness.mjs";

describe("embed panel", () => {
  let visit, server, browser, page;

  before(async () => {
    visit = await openFirstVisit();
    ({ server, browser, page } = visit);
    await page.click("summary:has-text('Embed this calculator')");
  });

  after(() => visit?.close());

  const origin = (value) => page.fill("#embed-origin", value);
  const field = () =>
    page.$eval("#embed-origin", (input) => ({
      invalid: input.getAttribute("aria-invalid"),
      described: (input.getAttribute("aria-describedby") ?? "").split(/\s+/).filter(Boolean),
    }));
  const snippet = () => page.$eval("#embed-snippet", (t) => t.value).catch(() => null);

  it("takes the origin as the address bar shows it, trailing slash and all", async () => {
    await origin("https://docs.example.com/");
    assert.equal(await page.locator(".embed-panel .field-error").count(), 0, "no error for a trailing slash");
    assert.equal((await field()).invalid, null);
    // The origin itself: postMessage takes no path, and the frame's check refuses one.
    assert.match(await snippet(), /parentOrigin=https%3A%2F%2Fdocs\.example\.com["&]/);
  });

  it("ties the error of an origin with a path to the field, and says what to remove", async () => {
    await origin("https://docs.example.com/guide/embed");
    const error = await page.waitForSelector(".embed-panel .field-error");
    const { invalid, described } = await field();
    assert.equal(invalid, "true");
    const errorId = await error.getAttribute("id");
    assert.ok(errorId && described.includes(errorId), `aria-describedby ${described} names the error ${errorId}`);
    assert.ok(described.includes("embed-origin-hint"), "and the hint");
    assert.match(await error.textContent(), /“\/guide\/embed”/);
  });

  it("offers no snippet without the origin while the origin typed is not valid", async () => {
    await origin("docs.example.com");
    assert.equal(await snippet(), null, "no snippet that would silently lack parentOrigin");
    assert.match(await page.textContent(".embed-panel"), /No snippet while the origin above is not valid/);
    // Valid again (or empty), the snippet is back.
    await origin("https://docs.example.com");
    assert.match(await snippet(), /parentOrigin=https%3A%2F%2Fdocs\.example\.com/);
    await origin("");
    const code = await snippet();
    assert.ok(code && !code.includes("parentOrigin"), code);
    assert.match(await page.textContent(".embed-panel"), /fixed height/);
  });
});

// Review 20: `preset=` with an unknown name said so without naming one that exists.
describe("embed presets", () => {
  it("an unknown preset names the examples there are, and the page still shows a result", async () => {
    const visit = await openFirstVisit();
    try {
      const { server, page } = visit;
      await page.goto(server.url("/?embed&preset=nosuch"));
      await waitForResult(page);
      const notice = await page.textContent("[data-testid=notice]");
      assert.match(notice, /There is no example called “nosuch”\. The examples are: sample, g1-small-office, /);
      assert.match(notice, /g14-sql-break-even/);
    } finally {
      await visit.close();
    }
  });

  // API review 39: beside another notice (an unknown example, a share link opened) the ignored
  // embed parameters were not named at all.
  it("ignored embed parameters are named beside another notice", async () => {
    const visit = await openFirstVisit();
    try {
      const { server, page } = visit;
      await page.goto(server.url("/?embed&preset=nosuch&products=foo&price.ws-user=4200x"));
      await waitForResult(page);
      const notice = await page.textContent("[data-testid=notice]");
      assert.match(notice, /There is no example called “nosuch”/);
      assert.match(notice, /Some embed parameters were ignored: .*foo/);
      assert.match(notice, /price\.ws-user/);
    } finally {
      await visit.close();
    }
  });
});
