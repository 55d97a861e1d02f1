// The app's life over days in a real browser with its service worker, against the release build
// (`trunk build --release`, then `node --test tests/e2e/`; CAL_CALC_DIST=<dir> tests another
// build directory). Life review 24 found:
// - a deploy while a page was open gave the page's next worker the new engine (the workers
//   imported the stable calc.js), so one result mixed the old quick figures with the new full
//   ones; and the new service worker took the page over without a word. Now the page's workers
//   load its own build's engine, and the page says a new version is available, with Reload;
// - a first visit to /index.html could not be reloaded offline (only "./" was cached);
// - with the browser's storage full or refusing, an edit was lost on reload and the only sign
//   was a note far down the page ("private mode?"). Now a notice says so, once, with the cause
//   and what to do.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { cp, mkdtemp, readFile, readdir, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { dist as build, launch, serve, waitForResult } from "./harness.mjs";

const KEY = "cal-calc.estate.v1";

/** The names a build gives its engine: its module, its wasm and the entries that load them. */
const ENGINE_FILE = /\/(?:engine-[0-9a-f]{12,16}(?:\.js|_bg\.wasm)|calc(?:-[0-9a-f]{16})?\.js)$/;

/**
 * Writes into `to` what the next deploy of `from` would serve when the engine changed: the same
 * files, with every name made from the engine's hash (the engine module and wasm, calc.js's
 * hashed twin), the build id and the service worker's version changed, in the names and in the
 * files that use them. Returns the engine file names of both builds.
 */
async function nextBuild(from, to) {
  await cp(from, to, { recursive: true });
  const calc = await readFile(join(to, "calc.js"), "utf8");
  const app = await readFile(join(to, "app.js"), "utf8");
  const sw = await readFile(join(to, "sw.js"), "utf8");
  const shipped = JSON.parse(sw.match(/^const BUILD = (.*);$/m)[1]);
  const tokens = [
    calc.match(/engine-([0-9a-f]{12,16})\.js/)[1],
    app.match(/(?<![\w-])calc-([0-9a-f]{16})\.js/)?.[1], // not cal-calc-<hash>.js, the app's
    shipped.version,
    shipped.build,
  ].filter(Boolean);
  const renamed = new Map(tokens.map((t) => [t, randomBytes(t.length / 2).toString("hex")]));
  const swap = (text) => tokens.reduce((s, t) => s.replaceAll(t, renamed.get(t)), text);
  const engineFiles = async (dir) =>
    (await readdir(dir)).filter((f) => ENGINE_FILE.test(`/${f}`) && f !== "calc.js").sort();
  const before = await engineFiles(to);
  for (const file of await readdir(to, { recursive: true })) {
    if (![".js", ".html", ".ts"].includes(extname(file))) continue;
    const path = join(to, file);
    const text = await readFile(path, "utf8");
    if (swap(text) !== text) await writeFile(path, swap(text));
  }
  for (const file of await readdir(to)) {
    if (swap(file) !== file) await rename(join(to, file), join(to, swap(file)));
  }
  return { old: before, next: await engineFiles(to) };
}

/**
 * A copy of the build served from a folder of the suite's own (`site`, in `work`), made before its
 * tests and removed after them: a deploy replaces files there.
 */
function servedCopy(prefix) {
  const copy = { work: "", site: "", server: null };
  before(async () => {
    copy.work = await mkdtemp(join(tmpdir(), prefix));
    copy.site = join(copy.work, "site");
    await cp(build, copy.site, { recursive: true });
    copy.server = await serve(copy.site);
  });
  after(async () => {
    await copy.server?.close();
    if (copy.work) await rm(copy.work, { recursive: true, force: true });
  });
  return copy;
}

/** Copies `from` over the site folder being served, as a deploy that keeps old hashed files. */
const deploy = (from, site) => cp(from, site, { recursive: true, force: true });

/** Types `digits` over the quick staff count, key by key. */
async function typeStaff(page, digits) {
  await page.click("#q-employees");
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.type(digits, { delay: 40 });
}

/** Waits until the results are not being computed (the full evaluation, when due, is done). */
const settled = (page) =>
  page.waitForFunction(() => document.querySelector("#results")?.getAttribute("aria-busy") === "false", null, {
    timeout: 30_000,
    polling: 20,
  });

/** Waits until the service worker controls `page` (it precached the build). */
async function controlled(page) {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15_000 });
}

/** The page of `browser` at the served copy `s`, showing its result, under its service worker. */
async function openControlled(browser, s) {
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  await page.goto(s.server.url("/"));
  await waitForResult(page);
  await controlled(page);
  return page;
}

const newVersion = "[data-testid=new-version]";

const statement = { name: "statement.csv", mimeType: "text/csv", buffer: Buffer.from("Product,Quantity\nWindows Server 2022 User CAL,10\n") };
/** Chooses the statement for import, alone in the list, and returns its row's text once read or failed. */
async function importStatement(page) {
  for (const remove of await page.$$(".import-file button:has-text('Remove from the list')")) await remove.click();
  await page.waitForFunction(() => document.querySelectorAll(".import-file").length === 0);
  await page.setInputFiles("#import-files", [statement]);
  const row = page.locator(".import-file:has(.import-file-meta, .import-failed)");
  await row.waitFor({ timeout: 30_000 });
  return row.textContent();
}

describe("a deploy while the page is open", () => {
  const s = servedCopy("cal-calc-deploy-");

  it("the open page's worker keeps its own build's engine; the page offers Reload and never reloads itself", async () => {
    const v2 = join(s.work, "v2");
    const { old, next } = await nextBuild(build, v2);
    assert.ok(old.length >= 2 && next.length === old.length, `engine files ${old} -> ${next}`);
    const browser = await launch();
    try {
      const requests = [];
      browser.context.on("request", (r) => requests.push(new URL(r.url()).pathname));
      const page = browser.context.pages()[0] ?? (await browser.context.newPage());
      const workers = [];
      page.on("worker", (w) => workers.push(w.url()));
      await page.goto(s.server.url("/"));
      await waitForResult(page);
      await controlled(page);
      // The first visit's service worker taking control is this page's own build: no notice.
      await page.waitForTimeout(500);
      assert.equal(await page.locator(newVersion).count(), 0, "a new-version notice on the first visit");
      await page.evaluate(() => (window.__sameDocument = true));

      // The next build is deployed; the page, open since before, needs a full evaluation.
      await deploy(v2, s.site);
      const deployed = requests.length;
      await typeStaff(page, "1234");
      await page.waitForFunction(() => document.querySelector("#results")?.getAttribute("aria-busy") === "true", null, {
        polling: 10,
      });
      await settled(page);
      assert.equal(workers.length, 1, "the full evaluation ran in a worker");
      const loaded = requests.slice(deployed).filter((p) => ENGINE_FILE.test(p));
      const nextNames = loaded.filter((p) => next.some((f) => p.endsWith(`/${f}`)) || p.endsWith("/calc.js"));
      assert.deepEqual(nextNames, [], `the page's worker loaded the new build's engine: ${loaded}`);
      assert.ok(
        loaded.some((p) => /_bg\.wasm$/.test(p) && old.some((f) => p.endsWith(`/${f}`))),
        `the worker loaded its own build's engine: ${loaded}`,
      );

      // A second tab opens the new build; its service worker takes control of both tabs.
      const second = await browser.context.newPage();
      await second.goto(s.server.url("/"));
      await waitForResult(second);
      await page.locator(newVersion).waitFor({ timeout: 15_000 });
      assert.match(await page.textContent(newVersion), /new version/i);
      assert.equal(await page.locator(`${newVersion} button`, { hasText: "Reload" }).count(), 1);
      // Told, not reloaded: the same document, with what was typed.
      assert.equal(await page.evaluate(() => window.__sameDocument), true, "the page reloaded by itself");
      assert.equal(await page.inputValue("#q-employees"), "1234");
      // The second tab is the new build itself: nothing to offer there.
      await controlled(second);
      await second.waitForTimeout(1000);
      assert.equal(await second.locator(newVersion).count(), 0, "a new-version notice on the new build's page");

      // Reload: the new build, its engine, the work kept.
      await Promise.all([page.waitForEvent("load"), page.click(`${newVersion} button:has-text("Reload")`)]);
      await waitForResult(page);
      assert.equal(await page.evaluate(() => window.__sameDocument), undefined);
      assert.equal(await page.inputValue("#q-employees"), "1234");
      const entry = await page.evaluate(() => document.documentElement.dataset.engine);
      assert.ok(next.includes(entry), `after the reload the page's engine entry is ${entry}, not one of ${next}`);
      await page.waitForTimeout(1000);
      assert.equal(await page.locator(newVersion).count(), 0, "a new-version notice after the reload");
    } finally {
      await browser.close();
    }
  });
});

describe("a deploy while an embedded calculator is open", () => {
  const s = servedCopy("cal-calc-deploy-embed-");

  // Review 26: the frame is as tall as the app (9,000 px at 1280 px), and the notice was pinned at
  // the frame's foot, out of the host page's window; its Reload brought back the preset with no
  // word that an embed saves nothing.
  it("the frame's new-version notice shows in the part of the frame the host page shows, and says reloading clears what was typed", async () => {
    await nextBuild(build, join(s.work, "v2"));
    const browser = await launch();
    try {
      const host = browser.context.pages()[0] ?? (await browser.context.newPage());
      await host.goto(s.server.url("/embed-example.html"));
      const iframe = host.locator("iframe.cal-calc-embed");
      await iframe.scrollIntoViewIfNeeded();
      const frame = await (await iframe.elementHandle()).contentFrame();
      await waitForResult(frame);
      await controlled(frame);
      await frame.fill("#q-employees", "999");

      await deploy(join(s.work, "v2"), s.site);
      const second = await browser.context.newPage();
      await second.goto(s.server.url("/"));
      await waitForResult(second);
      await host.bringToFront();
      await frame.locator(newVersion).waitFor({ timeout: 15_000 });

      const { height } = host.viewportSize();
      assert.ok((await iframe.boundingBox()).height > 2 * height, "the frame is taller than the window");
      // With the host page scrolled to the frame's top, then to its middle: the notice is in the
      // window, under the summary bar (the purchase cost stays readable).
      for (const at of [0, 0.5]) {
        await host.evaluate((at) => {
          const box = document.querySelector("iframe.cal-calc-embed").getBoundingClientRect();
          window.scrollTo(0, window.scrollY + box.top + box.height * at);
        }, at);
        await host.waitForTimeout(600);
        const notice = await frame.locator(newVersion).boundingBox();
        const bar = await frame.locator(".summary-bar").first().boundingBox();
        assert.ok(notice.y >= 0 && notice.y + notice.height <= height, `at ${at} of the frame the notice is at ${notice.y}..${notice.y + notice.height} of a ${height} px window`);
        assert.ok(bar.y >= -1 && notice.y >= bar.y + bar.height - 0.5, `at ${at} the notice (${notice.y}) covers the summary bar (${bar.y}..${bar.y + bar.height})`);
      }
      const text = await frame.textContent(newVersion);
      assert.match(text, /new version/i);
      assert.match(text, /Reloading clears what you typed here/);
      assert.match(text, /saves nothing/);

      // What it says: Reload brings the new build, and the figures typed are gone.
      await frame.click(`${newVersion} button:has-text("Reload")`);
      await frame.waitForFunction(() => document.readyState === "complete" && !document.getElementById("new-version"));
      await waitForResult(frame);
      assert.notEqual(await frame.inputValue("#q-employees"), "999");
    } finally {
      await browser.close();
    }
  });
});

describe("a deploy that removes the previous build's files while a page is open", () => {
  const s = servedCopy("cal-calc-deploy-replace-");

  // Review 26: the import said "the site cannot be reached now (offline?). Connect and choose the
  // file again" while the site answered 404 for the page's engine, at every retry.
  it("the import says a newer version was deployed and to reload, which keeps the work; offline, that the site cannot be reached", async () => {
    const v2 = join(s.work, "v2");
    await nextBuild(build, v2);
    const browser = await launch();
    try {
      const page = await openControlled(browser, s);

      // The next build replaces this one: the page's engine files are gone from the site.
      await rm(s.site, { recursive: true, force: true });
      await cp(v2, s.site, { recursive: true });
      await typeStaff(page, "4321");
      await settled(page);
      await page.waitForFunction((k) => /"count": 4321\b/.test(localStorage.getItem(k) ?? ""), KEY);

      for (const attempt of [1, 2]) {
        const text = await importStatement(page);
        assert.match(text, /could not load its reader/, `attempt ${attempt}: ${text}`);
        assert.match(text, /newer version of the calculator/, `attempt ${attempt}: ${text}`);
        assert.match(text, /Reload the page/, `attempt ${attempt}: ${text}`);
        assert.doesNotMatch(text, /offline|cannot be reached/, `attempt ${attempt}: ${text}`);
      }
      assert.equal(await page.evaluate(() => navigator.onLine), true);

      // Really offline: that is what it says.
      await browser.context.setOffline(true);
      try {
        const text = await importStatement(page);
        assert.match(text, /cannot be reached now \(offline\?\)/, text);
        assert.doesNotMatch(text, /newer version/, text);
      } finally {
        await browser.context.setOffline(false);
      }

      // What it says: the reload loads the new build, keeps the work, and the import reads.
      await page.reload();
      await waitForResult(page);
      assert.equal(await page.inputValue("#q-employees"), "4321");
      const entry = await page.evaluate(() => document.documentElement.dataset.engine);
      assert.ok(await readFile(join(s.site, entry)).catch(() => null), `the reloaded page's engine ${entry} is the new build's`);
      const text = await importStatement(page);
      assert.doesNotMatch(text, /could not load its reader/, text);
    } finally {
      await browser.close();
    }
  });
});

describe("an update, then offline", () => {
  const s = servedCopy("cal-calc-update-offline-");

  // The service worker cached the engine only when an import first fetched it, and each build's
  // cache replaces the last: after an update, an import made offline failed until one import had
  // run online (deploy review, carried over since).
  it("someone who imported before can import offline after an update without importing online first", async () => {
    const v2 = join(s.work, "v2");
    await nextBuild(build, v2);
    const nextCache = `cal-calc-${JSON.parse((await readFile(join(v2, "sw.js"), "utf8")).match(/^const BUILD = (.*);$/m)[1]).version}`;
    const browser = await launch();
    try {
      const page = await openControlled(browser, s);
      assert.doesNotMatch(await importStatement(page), /could not|cannot/, "the import works online");

      // The update: the next build replaces this one; the reload installs its service worker.
      await rm(s.site, { recursive: true, force: true });
      await cp(v2, s.site, { recursive: true });
      const workers = [];
      page.on("worker", (w) => workers.push(w.url()));
      await page.reload();
      await waitForResult(page);
      // The new build's worker has installed and activated when its cache is the only one.
      const caches = () => page.evaluate(() => caches.keys());
      for (const start = Date.now(); JSON.stringify(await caches()) !== JSON.stringify([nextCache]); ) {
        assert.ok(Date.now() - start < 30_000, `the update's cache is not the only one: ${await caches()}`);
        await page.waitForTimeout(100);
      }
      // The reloaded page used no engine of its own (no worker), so only the update cached it.
      assert.deepEqual(workers, [], "the page started a worker after the update");
      const cached = await page.evaluate(async (name) => (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname), nextCache);
      assert.ok(cached.some((p) => /\/engine-[0-9a-f]+_bg\.wasm$/.test(p)), `the new cache holds the engine: ${cached}`);

      await browser.context.setOffline(true);
      try {
        const text = await importStatement(page);
        assert.doesNotMatch(text, /could not|cannot be reached/, text);
        assert.equal(await page.locator(".import-file .import-file-meta").count(), 1, `the statement was read: ${text}`);
      } finally {
        await browser.context.setOffline(false);
      }
    } finally {
      await browser.close();
    }
  });

  it("a first visit caches no engine", async () => {
    const browser = await launch();
    try {
      const page = await openControlled(browser, s);
      const cached = await page.evaluate(async () => {
        const out = [];
        for (const name of await caches.keys()) for (const r of await (await caches.open(name)).keys()) out.push(new URL(r.url).pathname);
        return out;
      });
      assert.ok(cached.length > 3, `the shell is cached: ${cached}`);
      assert.deepEqual(cached.filter((p) => /\/(engine-|calc-[0-9a-f]{16}\.js|import-worker)/.test(p)), []);
    } finally {
      await browser.close();
    }
  });
});

describe("offline", () => {
  let server;

  before(async () => {
    server = await serve(build);
  });

  after(async () => {
    await server?.close();
  });

  for (const path of ["/index.html", "/index.html?embed&preset=sample"]) {
    it(`a first visit to ${path} reloads offline`, async () => {
      const browser = await launch();
      try {
        const page = browser.context.pages()[0] ?? (await browser.context.newPage());
        await page.goto(server.url(path));
        await waitForResult(page);
        await page.evaluate(() => navigator.serviceWorker.ready);
        await browser.context.setOffline(true);
        await page.reload();
        await waitForResult(page, 10_000);
        assert.equal(new URL(page.url()).pathname, "/index.html");
      } finally {
        await browser.close();
      }
    });
  }
});

describe("saving refused", () => {
  let server;

  before(async () => {
    server = await serve(build);
  });

  after(async () => {
    await server?.close();
  });

  const notices = (page) => page.locator("[data-testid=notice]").allTextContents();
  // A whole number: `"count": 5` is also the start of the sample's `"count": 50000`, so an edit
  // to 5 was taken as saved before its autosave ran, and under load the storage filled first.
  const staffSaved = (page, n) =>
    page.waitForFunction((n) => new RegExp(`"count": ${n}\\b`).test(localStorage.getItem("cal-calc.estate.v1") ?? ""), n);

  it("a full storage: a notice says so once, that the work goes with the tab, and to export it", async () => {
    const browser = await launch();
    try {
      const page = browser.context.pages()[0] ?? (await browser.context.newPage());
      await page.goto(server.url("/"));
      await waitForResult(page);
      await page.fill("#q-employees", "5");
      await staffSaved(page, 5);
      assert.deepEqual(await notices(page), []);
      // Something else of this site fills the storage, to the last character (one-character
      // keys at the end: a longer key left room for a small edit to fit, now and then).
      await page.evaluate(() => {
        let i = 0;
        for (let size = 1 << 20; size >= 1; size >>= 1) {
          const chunk = "x".repeat(size);
          for (;;) {
            try {
              localStorage.setItem(`junk${i++}`, chunk);
            } catch {
              break;
            }
          }
        }
        for (let c = 0x4e00; c < 0x4e00 + 1000; c++) {
          try {
            localStorage.setItem(String.fromCharCode(c), "");
          } catch {
            break;
          }
        }
      });
      await page.fill("#q-employees", "5000");
      await page.locator("[data-testid=notice]").waitFor({ timeout: 5_000 });
      const [text, ...more] = await notices(page);
      assert.deepEqual(more, []);
      assert.match(text, /storage for this page is full/);
      assert.match(text, /lost when this tab is closed/);
      assert.match(text, /Export the estate/);
      assert.doesNotMatch(text, /private mode/);
      assert.match(await page.evaluate((k) => localStorage.getItem(k), KEY), /"count": 5\b/);
      // Once: further edits, each saved in vain, do not raise it again after it is dismissed.
      await page.click('[data-testid=notice] button:has-text("Dismiss")');
      for (const n of ["5001", "5002", "5003"]) {
        await page.fill("#q-employees", n);
        await page.waitForTimeout(700);
      }
      assert.deepEqual(await notices(page), [], "the notice came again at a later edit");
      // Room again: the next edit is saved.
      await page.evaluate(() => {
        for (const key of Object.keys(localStorage)) if (!key.startsWith("cal-calc.")) localStorage.removeItem(key);
      });
      await page.fill("#q-employees", "5004");
      await staffSaved(page, 5004);
    } finally {
      await browser.close();
    }
  });

  it("storage refused: the notice says the browser does not allow it", async () => {
    const browser = await launch();
    try {
      // As a browser that blocks this site's storage refuses a write.
      await browser.context.addInitScript(() => {
        Storage.prototype.setItem = function () {
          throw new DOMException("The operation is insecure.", "SecurityError");
        };
      });
      const page = browser.context.pages()[0] ?? (await browser.context.newPage());
      await page.goto(server.url("/"));
      await waitForResult(page);
      await page.fill("#q-employees", "77");
      await page.locator("[data-testid=notice]").waitFor({ timeout: 5_000 });
      const text = await page.textContent("[data-testid=notice]");
      assert.match(text, /does not allow this page to store anything/);
      assert.match(text, /lost when this tab is closed/);
      assert.match(text, /Export the estate/);
    } finally {
      await browser.close();
    }
  });
});
