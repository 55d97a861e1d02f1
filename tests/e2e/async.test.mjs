// What the page shows after an answer that comes late, against the release build (`trunk build
// --release`, then `node --test tests/e2e/`; CAL_CALC_DIST=<dir> tests another build directory):
// the share link shown in Keep and share is never one of an estate the page no longer shows; an
// import being applied, or the question of how to apply it, never lands in an estate opened since.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dist, launch, openFirstVisit, RESULT, serve, waitForResult } from "./harness.mjs";

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

// Race review 29: "Add to the current estate" was still being merged by the import's worker (a
// big export takes seconds) when the user clicked "Start over with the sample"; the reply found
// the estate changed and merged the import again, into the sample, and the user's estate was
// pushed out of Restore by it. The "Replace or add?" question also stayed up after a load.
describe("an import and an estate opened meanwhile", () => {
  let server;

  before(async () => {
    server = await serve(dist);
  });

  after(async () => {
    await server?.close();
  });

  /**
   * A first visit whose estate is the user's (57 office staff), with the sample directory export
   * read in the import panel. `window.__hold` holds the import worker's "applied" replies until
   * `window.__release()`.
   */
  async function userWithExport(f) {
    const browser = await launch();
    try {
      await browser.context.addInitScript(() => {
        window.__held = [];
        window.__hold = false;
        window.__release = () => window.__held.splice(0).forEach((go) => go());
        const setter = Object.getOwnPropertyDescriptor(Worker.prototype, "onmessage").set;
        Object.defineProperty(Worker.prototype, "onmessage", {
          configurable: true,
          get() {
            return this.__handler ?? null;
          },
          set(handler) {
            this.__handler = handler;
            if (typeof handler !== "function") return setter.call(this, handler);
            setter.call(this, (event) => {
              if (window.__hold && event.data?.type === "applied") window.__held.push(() => handler(event));
              else handler(event);
            });
          },
        });
      });
      const page = browser.context.pages()[0] ?? (await browser.context.newPage());
      page.on("dialog", (d) => d.accept());
      await page.goto(server.url("/"));
      await waitForResult(page);
      await page.fill("#q-employees", "57");
      await page.keyboard.press("Tab");
      await page.waitForFunction(() => /"count":\s*57\b/.test(localStorage.getItem("cal-calc.estate.v1") ?? ""));
      await page.click("summary:has-text('Try it with sample exports')");
      await page.click("button[data-sample='ad-users.csv']");
      await page.waitForFunction(() => document.querySelector("#import-apply") && !document.querySelector("#import-apply").disabled, null, {
        timeout: 30_000,
      });
      await f(page);
    } finally {
      await browser.close();
    }
  }

  const saved = (page, key) => page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? "null"), key);
  const sampleGroups = async () =>
    (await import("node:fs/promises")).readFile(new URL("../../examples/estates/sample.json", import.meta.url), "utf8").then(
      (t) => JSON.parse(t).groups.map((g) => g.name),
    );
  const startOver = (page) => page.locator("button", { hasText: "Start over with the sample" }).first().click();

  it("an import being applied when another estate is opened is not applied to it", async () => {
    await userWithExport(async (page) => {
      await page.evaluate(() => (window.__hold = true));
      await page.click("#import-apply");
      await page.click("#import-add");
      await page.waitForFunction(() => window.__held.length === 1, null, { timeout: 30_000 });
      await startOver(page);
      await page.waitForFunction(() => !/"count":\s*57\b/.test(localStorage.getItem("cal-calc.estate.v1") ?? ""));
      await page.evaluate(() => window.__release());
      await page.waitForFunction(
        () => /The import was not applied: another estate was opened/.test(document.querySelector(".import-applied")?.textContent ?? ""),
        null,
        { timeout: 10_000 },
      );
      // Said in the panel: the load's notice keeps its offer to bring the user's estate back.
      assert.ok(
        await page.locator("[data-testid=notice] button", { hasText: "Restore the previous estate" }).first().isVisible(),
        "Restore still offered",
      );
      // Nothing asked again behind the user's back.
      await page.waitForTimeout(1_000);
      const shown = await saved(page, "cal-calc.estate.v1");
      assert.deepEqual(
        shown.groups.map((g) => g.name),
        await sampleGroups(),
        "the sample, without the imported groups",
      );
      const kept = await saved(page, "cal-calc.estate.previous.v1");
      assert.equal(kept?.groups?.[0]?.count, 57, "the user's estate is the one Restore brings back");
      assert.equal(await page.locator("#import-apply").isEnabled(), true, "the figures can be used again");
    });
  });

  // Race review 29: an import option changed while the worker applied was left out: the reply of
  // the click's options went into the estate, and the panel showed the figures of the new ones.
  it("an import option changed while the import is applied is applied with it", async () => {
    await userWithExport(async (page) => {
      const shownGroups = () =>
        page.$$eval("#import-groups tbody tr", (rows) => Object.fromEntries(rows.map((r) => [r.dataset.kind, Number(r.dataset.count)])));
      const before = await shownGroups();
      assert.equal(before.employee, 35);
      await page.evaluate(() => (window.__hold = true));
      await page.click("#import-apply");
      await page.click("#import-add");
      await page.waitForFunction(() => window.__held.length === 1, null, { timeout: 30_000 });
      // Ten years without a logon before an account is dormant: the dormant employees count.
      await page.fill("#import-dormancy", "3650");
      await page.dispatchEvent("#import-dormancy", "change");
      await page.waitForFunction(() => document.querySelector("#import-groups tr[data-kind=employee]")?.dataset.count !== "35");
      const after = await shownGroups();
      assert.ok(after.employee > 35, `more employees counted: ${after.employee}`);
      await page.evaluate(() => {
        window.__hold = false;
        window.__release();
      });
      await page.waitForFunction(() => /Imported figures applied/.test(document.querySelector(".import-applied")?.textContent ?? ""), null, {
        timeout: 30_000,
      });
      await page.waitForFunction(() => /imported-employee/.test(localStorage.getItem("cal-calc.estate.v1") ?? ""));
      const estate = await saved(page, "cal-calc.estate.v1");
      const imported = Object.fromEntries(
        estate.groups.filter((g) => g.id.startsWith("imported-")).map((g) => [g.id.slice("imported-".length), g.count]),
      );
      assert.deepEqual(imported, after, "the estate has the figures shown, of the options shown");
      assert.equal(estate.groups.find((g) => !g.id.startsWith("imported-"))?.count, 57, "added to the user's estate");
    });
  });

  it("the question of how to apply an import goes when another estate is opened", async () => {
    await userWithExport(async (page) => {
      await page.click("#import-apply");
      await page.waitForSelector("#import-add");
      await startOver(page);
      await page.waitForFunction(() => !document.querySelector("#import-add"), null, { timeout: 5_000 });
      // Asked again of the sample, which is replaced without a question.
      assert.equal(await page.locator("#import-apply").isEnabled(), true);
    });
  });
});


// The carried-over "0.2 s per keystroke": with a usage log of 3,000 people, each character typed
// anywhere froze the page for the quick evaluation (four characters took a second to show). Such
// an estate is evaluated when the typing pauses; a fast one still at each keystroke.
describe("a slow estate while typing", () => {
  let visit, page, work;

  before(async () => {
    visit = await openFirstVisit();
    page = visit.page;
    work = await mkdtemp(join(tmpdir(), "cal-calc-slow-"));
    // How long each quick evaluation took, as the page measured it when deciding whether the
    // next keystroke waits for a pause (its User Timing measure, cleared from its timeline at once).
    await page.evaluate(() => {
      window.__quickMs = [];
      window.__quickObserver = new PerformanceObserver((list) => {
        for (const e of list.getEntriesByName("cal-calc quick evaluation")) window.__quickMs.push(e.duration);
      });
      window.__quickObserver.observe({ type: "measure" });
    });
  });

  /** The quick evaluations' times (ms) measured since the last call. */
  const quickMs = () =>
    page.evaluate(() => {
      const late = window.__quickObserver.takeRecords().filter((e) => e.name === "cal-calc quick evaluation");
      return window.__quickMs.splice(0).concat(late.map((e) => e.duration));
    });

  after(async () => {
    await visit?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  /** A usage log of `n` people as the import writes it, owned CALs, two session hosts. */
  function usageLog(n) {
    let seed = 7;
    const next = (m) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % m);
    const devices = Math.floor((n * 5) / 6);
    const servers = [...Array(10).keys()].map((i) => ({ id: `ws${i}`, product: "windows-server", version: "2022" }));
    for (const i of [0, 1]) servers.push({ id: `rds${i}`, product: "windows-server", version: "2022", rds_session_host: true, rd_licensing_server_version: "2022" });
    const links = [];
    for (let p = 0; p < n; p++) {
      const device = `d${(p + next(8)) % devices}`;
      for (let k = 0, m = 1 + next(4); k < m; k++) {
        const s = next(12);
        links.push(s < 10
          ? { person: `p${p}`, device, server: `ws${s}` }
          : { person: `p${p}`, device, server: `rds${s - 10}`, features: ["remote-desktop"] });
      }
    }
    return {
      format_version: 1,
      name: "Usage log",
      groups: [{ id: "staff", name: "Staff", count: n, devices_each: 1 }],
      servers,
      usage: {
        people: [...Array(n).keys()].map((i) => ({ id: `p${i}`, group: "staff" })),
        devices: [...Array(devices).keys()].map((i) => ({ id: `d${i}` })),
        links,
      },
      holdings: [
        { product: "windows-server", kind: "user-cal", version: "2022", quantity: Math.floor((n * 2) / 5) },
        { product: "rds", kind: "user-cal", version: "2022", quantity: Math.floor(n / 15) },
      ],
    };
  }

  /** Types `text` after the estate's name, key by key, and returns the names the result showed. */
  async function typeName(text, final) {
    await page.evaluate(() => {
      // The name shown before the typing, left out of what is returned.
      window.__names = [document.querySelector(".as-of")?.textContent.split(" — ")[0]];
      window.__updating = false;
      const results = document.querySelector("#results");
      new MutationObserver(() => {
        const name = document.querySelector(".as-of")?.textContent.split(" — ")[0];
        if (name && name !== window.__names.at(-1)) window.__names.push(name);
        if (results.classList.contains("updating")) window.__updating = true;
      }).observe(results, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    await page.click("#d-name");
    await page.keyboard.press("End");
    await page.keyboard.type(text, { delay: 30 });
    await page.waitForFunction(
      (final) => document.querySelector(".as-of")?.textContent.startsWith(`${final} — `) &&
        document.querySelector("#results").getAttribute("aria-busy") === "false",
      final,
      { timeout: 30_000 },
    );
    return page.evaluate(() => ({ names: window.__names.slice(1), updating: window.__updating }));
  }

  // A keystroke waits for a pause, its result marked as updating meanwhile, when the evaluation
  // before it took over 50 ms: a pause of the browser (a garbage collection, other processes on a
  // loaded machine) can make the sample's, some 10 ms, take that long, and the page then rightly
  // waits (slowed eight times, "a" took 85 ms and so did that). What is checked is a run in which
  // the evaluation before the first key and each one after were fast; a run without is typed
  // again, at most five times. Not every keystroke's name need be drawn: yew yields to the browser
  // once a render has taken 16 ms, and a key handled then is drawn with the next (a CI run drew
  // "…a" and "…abc", never marked as updating; logged on a loaded machine, so did a run whose
  // evaluations all took under 50 ms).
  it("a fast estate is evaluated as it is typed, never waiting for a pause", async () => {
    await page.click(".mode-switch button:has-text('Detailed')");
    let name = await page.inputValue("#d-name");
    // The page's first evaluation is not timed (it runs cold) and leaves the page not waiting.
    let before = 0;
    await quickMs();
    const runs = [];
    for (const text of ["abc", "def", "ghi", "jkl", "mno"]) {
      const seen = await typeName(text, `${name}${text}`);
      const ms = await quickMs();
      runs.push({ seen, ms });
      if (before <= 50 && ms.every((t) => t <= 50)) {
        assert.equal(seen.updating, false, `marked as updating: ${JSON.stringify({ seen, ms })}`);
        // The names drawn are names typed, in the order typed, the last one last.
        const typed = [...text].map((_, i) => name + text.slice(0, i + 1));
        const order = seen.names.map((n) => typed.indexOf(n));
        assert.ok(order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1])), JSON.stringify({ seen, typed }));
        assert.equal(seen.names.at(-1), typed.at(-1));
        return;
      }
      name += text;
      before = ms.at(-1);
    }
    assert.fail(`no run of three keystrokes had every quick evaluation take 50 ms or less: ${JSON.stringify(runs)}`);
  });

  /** Opens a usage log of `n` people (`usageLog`) and waits for its full result. */
  async function openUsageLog(n) {
    const file = join(work, `usage-${n}.json`);
    await writeFile(file, JSON.stringify(usageLog(n)));
    await page.setInputFiles("#import-file", file);
    await page.waitForFunction(() => document.querySelector(".as-of")?.textContent.startsWith("Usage log — "), null, { timeout: 60_000 });
    await page.waitForFunction(() => document.querySelector("#results").getAttribute("aria-busy") === "false", null, { timeout: 60_000 });
  }

  // Twice the people of the log that froze the page: a quick evaluation of 3,000 took 42–49 ms in
  // some runs, under the 50 ms after which the page waits for a pause.
  it("a usage log of 6,000 people is evaluated once the typing pauses, and says it is updating", async () => {
    await openUsageLog(6000);
    const opened = await quickMs();
    assert.ok(opened.at(-1) > 50, `the log's quick evaluation took over 50 ms: ${JSON.stringify(opened)}`);
    const total = await page.textContent(RESULT);
    const seen = await typeName("abcd", "Usage logabcd");
    // Only the last name was evaluated: none of the three before it was shown.
    assert.deepEqual(seen, { names: ["Usage logabcd"], updating: true });
    assert.equal(await page.textContent(RESULT), total, "a name does not change the total");
    assert.equal(await page.locator("#results.updating").count(), 0);
  });

  /**
   * Types `key` at the end of the estate's name, then, before the page's pause is over (in the
   * same task as the keystroke's render), clicks `act.click` or starts the browser's own print
   * (`act.beforeprint`, with `window.print` replaced by the test); returns whether the result was
   * still marked as updating when `act` ran, which is the case these tests are about.
   */
  async function actBeforeThePause(key, act) {
    return page.evaluate(
      ([key, act]) =>
        new Promise((done) => {
          const name = document.querySelector("#d-name");
          name.value += key;
          name.dispatchEvent(new InputEvent("input", { bubbles: true, data: key, inputType: "insertText" }));
          // After the keystroke's render (a microtask), long before the 200 ms pause.
          setTimeout(() => {
            const updating = document.querySelector("#results").classList.contains("updating");
            if (act.click) {
              document.querySelector(act.click).click();
            } else {
              // The browser's own print (Ctrl+P): what is drawn once its `beforeprint` is handled.
              window.dispatchEvent(new Event("beforeprint"));
              setTimeout(() => window.print(), 0);
            }
            done(updating);
          }, 0);
        }),
      [key, act],
    );
  }

  /** The name the result shows. */
  const shownName = () => page.evaluate(() => document.querySelector(".as-of").textContent.split(" — ")[0]);

  // Session 32 left it open: an export pressed within 0.2 s of typing took the figures shown,
  // those of the edit before ("Updating…"), so the CSV was named after the name before.
  it("a CSV taken before the typing pauses holds the last keystroke, and the page then shows it", async () => {
    // As above, 6,000 people: a keystroke waits for the pause.
    await openUsageLog(6000);
    let name = await shownName();
    for (const [key, button] of [
      ["e", "[data-testid=result-actions] button[aria-label='Export the Effective License Position as CSV']"],
      ["f", "section.position button[title^='Commas between fields']"],
    ]) {
      const [download, updating] = await Promise.all([
        page.waitForEvent("download"),
        actBeforeThePause(key, { click: button }),
      ]);
      name += key;
      assert.equal(updating, true, "the result was waiting for the pause when the CSV was taken");
      const stem = name.toLowerCase().replace(/[^a-z0-9]+/g, "-");
      assert.ok(download.suggestedFilename().startsWith(`${stem}-license-position-`), download.suggestedFilename());
      await page.waitForFunction(
        (name) => document.querySelector(".as-of")?.textContent.startsWith(`${name} — `) && !document.querySelector("#results.updating"),
        name,
        { timeout: 30_000 },
      );
    }
  });

  it("a printout started before the typing pauses, by the Print button or the browser's, shows the last keystroke", async () => {
    const before = await shownName();
    await page.evaluate(() => {
      window.__printed = [];
      window.print = () => {
        window.__printed.push(document.querySelector(".as-of").textContent.split(" — ")[0]);
        window.dispatchEvent(new Event("afterprint"));
      };
    });
    assert.equal(await actBeforeThePause("g", { click: "[data-testid=result-actions] button[aria-label='Print the result']" }), true);
    await page.waitForFunction(() => window.__printed.length === 1, null, { timeout: 30_000 });
    assert.equal(await actBeforeThePause("h", { beforeprint: true }), true);
    await page.waitForFunction(() => window.__printed.length === 2, null, { timeout: 30_000 });
    assert.deepEqual(await page.evaluate(() => window.__printed), [`${before}g`, `${before}gh`]);
  });
});
