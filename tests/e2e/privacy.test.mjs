// The privacy promise, checked in a real browser against the release build: a first visit shows a
// result; every request goes to the page's own origin (also after using the app); the CSP is on
// and nothing violates it; no serious or critical accessibility violation (axe-core).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { artifacts, launch, record, root, serve, waitForResult, watchCsp, RESULT } from "./harness.mjs";

const EXPECTED_CSP =
  "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'; " +
  "connect-src 'self'; worker-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'";

describe("privacy", () => {
  let server, browser, page, log;

  before(async () => {
    server = await serve();
    browser = await launch();
    await watchCsp(browser.context);
    log = record(browser.context);
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await page.goto(server.url("/"));
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it("a first visit shows a result for the sample estate", async () => {
    await waitForResult(page);
    const text = await page.textContent(RESULT);
    assert.match(text, /\d/, `result region: ${text}`);
    await mkdir(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, "first-visit.png"), fullPage: true });
  });

  it("the app tells how to check that nothing leaves the browser", async () => {
    const section = page.locator("details#privacy-check");
    await section.locator("summary").click();
    const text = await section.textContent();
    assert.match(text, /How to check that nothing leaves your browser/);
    for (const step of [/Network tab/, /Go offline/, /default-src 'none'/, /local storage/]) {
      assert.match(text, step);
    }
    await section.locator("summary").click();
  });

  it("the page carries the CSP: default-src 'none', only 'self' and 'wasm-unsafe-eval'", async () => {
    const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', "content");
    assert.equal(csp, EXPECTED_CSP);
  });

  it("every request goes to the page's own origin, also after using the app", async () => {
    await waitForResult(page);
    const before = await page.textContent(RESULT);
    // Use the app: change the number of employees (quick mode) and see the result follow.
    const field = page.locator("#q-employees");
    const value = Number(await field.inputValue());
    await field.fill(String(value + 7));
    await page.waitForFunction(
      ([selector, old]) => document.querySelector(selector)?.textContent !== old,
      [RESULT, before],
      { timeout: 5_000 },
    );
    // The service worker precaches in the background: let it finish so its requests are counted.
    await page.evaluate(() => navigator.serviceWorker?.ready);
    await page.waitForLoadState("networkidle");
    assert.ok(log.requests.length > 3, `too few requests recorded: ${log.requests}`);
    for (const url of log.requests) {
      assert.equal(new URL(url).origin, server.origin, `request to another origin: ${url}`);
    }
  });

  it("a visit that imports nothing never downloads the import's engine module or its worker", async () => {
    // Runs after the edit above, once the service worker has settled.
    const names = log.requests.map((url) => new URL(url).pathname);
    assert.ok(names.some((p) => /\/cal-calc-[0-9a-f]{12,16}_bg\.wasm$/.test(p)), `no app module among ${names}`);
    const lazy = names.filter((p) => /\/engine-[0-9a-f]{12,16}|import-worker\.js|calc\.js$/.test(p));
    assert.deepEqual(lazy, []);
  });

  it("nothing on the page violates the CSP and no script error occurs", async () => {
    const inPage = await page.evaluate(() => window.__cspViolations);
    assert.deepEqual([...inPage, ...log.violations], []);
    assert.deepEqual(log.errors, []);
  });

  it("the CSP is enforced: an injected inline script and a foreign fetch are blocked", async () => {
    const control = await browser.context.newPage();
    await control.goto(server.url("/"));
    await waitForResult(control);
    const outcome = await control.evaluate(async () => {
      const script = document.createElement("script");
      script.textContent = "window.__inlineRan = true";
      document.head.append(script);
      let fetched = true;
      await fetch("http://127.0.0.2:9/").catch(() => (fetched = false));
      await new Promise((ok) => setTimeout(ok, 100));
      return { inlineRan: window.__inlineRan === true, fetched, violations: window.__cspViolations };
    });
    await control.close();
    assert.deepEqual(
      { inlineRan: outcome.inlineRan, fetched: outcome.fetched, blocked: outcome.violations.length >= 2 },
      { inlineRan: false, fetched: false, blocked: true },
    );
    // The fetch fails even without a CSP (nothing listens on 127.0.0.2:9), so it is the
    // violations that show the policy did the blocking: each entry is "<directive> blocked <uri>".
    const violations = outcome.violations.map((v) => {
      const [directive, , ...uri] = v.split(" ");
      return { directive, uri: uri.join(" ") };
    });
    const script = violations.filter((v) => /^script-src(-elem)?$/.test(v.directive) && v.uri === "inline");
    assert.equal(script.length, 1, `one script-src violation for the inline script among ${outcome.violations}`);
    const connect = violations.filter((v) => v.directive === "connect-src" && /^http:\/\/127\.0\.0\.2:9\/?$/.test(v.uri));
    assert.equal(connect.length, 1, `one connect-src violation for http://127.0.0.2:9 among ${outcome.violations}`);
  });

  it("axe-core finds no serious or critical accessibility violation", async () => {
    // page.addScriptTag would add an inline <script>, which the CSP rightly blocks; evaluating
    // the source through the DevTools protocol is not subject to the page's CSP.
    const axe = await readFile(join(root, "node_modules", "axe-core", "axe.min.js"), "utf8");
    await page.evaluate(axe);
    const violations = await page.evaluate(async () => {
      const result = await window.axe.run(document, { resultTypes: ["violations"] });
      return result.violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => `${v.impact}: ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    });
    assert.deepEqual(violations, []);
  });
});
