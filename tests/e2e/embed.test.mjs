// Embedding and offline use, against the release build:
// - embed-example.html, served from a SECOND origin (another port), embeds the calculator from the
//   first; embed.js resizes the iframe to the height the calculator reports;
// - height messages from anywhere but the calculator's frame on the calculator's origin are ignored;
// - at 360 px, an edit far below the frame's top shows its effect in the host page's window: the
//   summary bar sticks at the top of the band embed.js says is in view ("cal-calc:view");
// - view messages from anything but the host page on parentOrigin are ignored;
// - after a first visit the app works with the network off (service worker).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { artifacts, dist, launch, record, serve, waitForResult, RESULT } from "./harness.mjs";

// The placeholders of the snippet a reader copies from embed-example.html.
const CALCULATOR = "https://calculator.example.com";
const DOCS = "https://docs.example.com";

/** Adds a frame of `src` to the host `page` and waits for it to load. */
function addFrame(page, src, title, className = "") {
  return page.evaluate(
    ([src, title, className]) => {
      const frame = document.createElement("iframe");
      frame.className = className;
      frame.title = title;
      frame.src = src;
      document.body.append(frame);
      return new Promise((ok) => frame.addEventListener("load", ok, { once: true }));
    },
    [src, title, className],
  );
}

/** The snippet shown on the example page, as a reader copies it (HTML entities undone). */
function snippetOf(example) {
  const code = example.match(/<pre><code>([\s\S]*?)<\/code><\/pre>/)?.[1] ?? "";
  return code.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&quot;", '"').replaceAll("&amp;", "&");
}

/** The host page's view of the calculator iframe: its height and the last resize it applied. */
async function frameState(page) {
  return page.evaluate(() => {
    const frame = document.querySelector("iframe.cal-calc-embed");
    return { height: frame.getBoundingClientRect().height, resizes: window.__resizes.slice() };
  });
}

describe("embedding in a page on another origin", () => {
  let calculator, host, stranger, hostDir, browser, page, log;

  before(async () => {
    calculator = await serve(dist);
    // A third origin, for frames that must not be obeyed.
    const strangerDir = await mkdtemp(join(tmpdir(), "cal-calc-stranger-"));
    await writeFile(join(strangerDir, "index.html"), '<!doctype html><html lang="en"><title>stranger</title><p>not the calculator</p></html>');
    stranger = await serve(strangerDir);
    // The host page is the documentation example, with its placeholder addresses replaced the way
    // its text tells a reader to: the calculator's origin and the page's own origin.
    hostDir = await mkdtemp(join(tmpdir(), "cal-calc-host-"));
    await writeFile(join(hostDir, "index.html"), "");
    host = await serve(hostDir);
    const example = await readFile(join(dist, "embed-example.html"), "utf8");
    const snippet = snippetOf(example);
    assert.ok(snippet.includes(`parentOrigin=${encodeURIComponent(DOCS)}`), `snippet has a parentOrigin to replace: ${snippet}`);
    // A documentation page with a strict CSP of its own, holding the snippet with its addresses
    // replaced the way the example tells a reader to. Its CSP also allows the stranger's frames,
    // so that embed.js's own checks are what is tested.
    const hostPage = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'self'; frame-src ${calculator.origin} ${stranger.origin}; script-src ${calculator.origin}">
<title>docs</title><link rel="stylesheet" href="examples.css"></head><body><main><h1>Docs</h1>
${snippet.replaceAll(`parentOrigin=${encodeURIComponent(DOCS)}`, `parentOrigin=${encodeURIComponent(host.origin)}`).replaceAll(CALCULATOR, calculator.origin)}
</main></body></html>`;
    assert.ok(hostPage.includes(`src="${calculator.origin}/embed.js"`), "snippet rewritten");
    await writeFile(join(hostDir, "index.html"), hostPage);
    await copyFile(join(dist, "examples.css"), join(hostDir, "examples.css"));

    browser = await launch({ viewport: { width: 420, height: 800 } });
    log = record(browser.context);
    await browser.context.addInitScript(() => {
      window.__resizes = [];
      addEventListener("cal-calc:resize", (e) => window.__resizes.push(e.detail.height), true);
    });
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await page.goto(host.url("/"));
  });

  after(async () => {
    await browser?.close();
    await Promise.all([calculator?.close(), host?.close(), stranger?.close()]);
    if (hostDir) await rm(hostDir, { recursive: true, force: true });
  });

  it("the embedded calculator shows a result", async () => {
    const frame = page.frameLocator("iframe.cal-calc-embed");
    await frame.locator(RESULT).waitFor({ state: "visible", timeout: 20_000 });
    assert.match(await frame.locator(RESULT).textContent(), /\d/);
  });

  it("the iframe takes the height of the calculator's content", async () => {
    const calc = page.frames().find((f) => f.url().startsWith(calculator.origin));
    assert.ok(calc, "calculator frame present");
    await page.waitForFunction(() => window.__resizes.length > 0, null, { timeout: 10_000 });
    // Wait for the size to settle, then compare the frame box with the document inside it.
    await page.waitForTimeout(300);
    const content = await calc.evaluate(() => document.documentElement.scrollHeight);
    const { height, resizes } = await frameState(page);
    assert.ok(content > 640, `content (${content}px) should be taller than the initial 640px frame`);
    assert.equal(Math.round(height), resizes.at(-1));
    assert.ok(Math.abs(height - content) <= 1, `frame ${height}px, content ${content}px`);
  });

  it("the iframe grows with the calculator's content and shrinks back when it gets shorter", async () => {
    const calc = page.frames().find((f) => f.url().startsWith(calculator.origin));
    assert.ok(calc, "calculator frame present");
    const settled = async () => {
      await page.waitForTimeout(300);
      return (await frameState(page)).height;
    };
    // Chromium does not render (so runs no ResizeObserver in) a cross-origin frame that is
    // scrolled out of view: bring it into view, as a reader would.
    await page.locator("iframe.cal-calc-embed").scrollIntoViewIfNeeded();
    const before = await settled();
    // A tall block outside the app's root; element.style is CSSOM, which the CSP allows.
    await calc.evaluate(() => {
      const tall = document.createElement("div");
      tall.id = "e2e-tall";
      tall.style.height = "600px";
      document.body.append(tall);
    });
    await page.waitForFunction((h) => window.__resizes.at(-1) >= h + 599, before, { timeout: 10_000 });
    await calc.evaluate(() => document.getElementById("e2e-tall").remove());
    await page.waitForFunction((h) => Math.abs(window.__resizes.at(-1) - h) <= 1, before, { timeout: 10_000 });
    const after = await settled();
    assert.ok(Math.abs(after - before) <= 1, `frame ${after}px after shrinking, ${before}px before growing`);
  });

  // API review 39: with a host stylesheet's `box-sizing: border-box` (Bootstrap's, Tailwind's)
  // and a bordered frame, the height given was the content's, the border and padding took
  // theirs from it, and the calculator scrolled inside its frame by a few pixels.
  it("with the host page's border-box sizing and a bordered frame, the calculator does not scroll inside it", async () => {
    await page.locator("iframe.cal-calc-embed").scrollIntoViewIfNeeded();
    const calc = page.frames().find((f) => f.url().startsWith(calculator.origin));
    assert.ok(calc, "calculator frame present");
    // element.style is CSSOM, which the host page's CSP allows. What embed.js set is put back
    // after (its border of 0).
    const saved = await page.evaluate(() => {
      const style = document.querySelector("iframe.cal-calc-embed").style;
      const was = { boxSizing: style.boxSizing, border: style.border, padding: style.padding };
      Object.assign(style, { boxSizing: "border-box", border: "3px solid #555", padding: "2px" });
      return was;
    });
    // A height message after the change: the content grows and shrinks back.
    const before = (await frameState(page)).resizes.length;
    await calc.evaluate(() => {
      const block = document.createElement("div");
      block.id = "e2e-block";
      block.style.height = "50px";
      document.body.append(block);
    });
    await page.waitForFunction((n) => window.__resizes.length > n, before, { timeout: 10_000 });
    const grown = (await frameState(page)).resizes.length;
    await calc.evaluate(() => document.getElementById("e2e-block").remove());
    await page.waitForFunction((n) => window.__resizes.length > n, grown, { timeout: 10_000 });
    await page.waitForTimeout(300);
    const { inner, scroll } = await calc.evaluate(() => ({ inner: innerHeight, scroll: document.documentElement.scrollHeight }));
    const { height } = await frameState(page);
    await page.evaluate((was) => Object.assign(document.querySelector("iframe.cal-calc-embed").style, was), saved);
    assert.ok(scroll <= inner, `content ${scroll}px in a ${inner}px view`);
    assert.ok(Math.abs(height - (scroll + 10)) <= 1, `frame ${height}px: the content's ${scroll}px, its border and its padding`);
  });

  it("a height message from the calculator's frame and origin is obeyed (control)", async () => {
    const calc = page.frames().find((f) => f.url().startsWith(calculator.origin));
    await calc.evaluate((origin) => parent.postMessage({ type: "cal-calc:height", height: 1234 }, origin), host.origin);
    await page.waitForFunction(() => window.__resizes.at(-1) === 1234, null, { timeout: 5_000 });
    assert.equal((await frameState(page)).height, 1234);
  });

  it("height messages from the host page, another frame of the calculator's origin or another origin's frame are ignored", async () => {
    const before = (await frameState(page)).resizes.length;
    // The page posting to itself (source is the page, not the frame).
    await page.evaluate(() => postMessage({ type: "cal-calc:height", height: 4321 }, "*"));
    // Another document of the calculator's origin that is not the embedded calculator's frame.
    await addFrame(page, calculator.url("/examples.css"), "other calculator document");
    const sibling = page.frames().find((f) => f.url().endsWith("/examples.css"));
    await sibling.evaluate(() => parent.postMessage({ type: "cal-calc:height", height: 4321 }, "*"));
    // A frame on another origin, even one dressed as a calculator frame.
    await addFrame(page, stranger.url("/"), "stranger", "cal-calc-embed");
    const strangerFrame = page.frames().find((f) => f.url().startsWith(stranger.origin));
    await strangerFrame.evaluate(() => parent.postMessage({ type: "cal-calc:height", height: 4321 }, "*"));
    await page.waitForTimeout(300);
    const state = await frameState(page);
    assert.equal(state.resizes.length, before);
    assert.equal(state.height, 1234);
  });

  it("a message from the calculator's iframe after it navigated to another origin is ignored", async () => {
    const before = (await frameState(page)).resizes.length;
    const calc = page.frames().find((f) => f.url().startsWith(calculator.origin));
    // The frame element still names the calculator; its window now shows another origin.
    await calc.evaluate((src) => (location.href = src), stranger.url("/?navigated"));
    let moved;
    for (let i = 0; i < 50 && !moved; i++) {
      moved = page.frames().find((f) => f.url().includes("?navigated"));
      if (!moved) await page.waitForTimeout(100);
    }
    assert.ok(moved, "the calculator frame navigated away");
    await moved.evaluate(() => parent.postMessage({ type: "cal-calc:height", height: 4321 }, "*"));
    await page.waitForTimeout(300);
    const state = await frameState(page);
    assert.equal(state.resizes.length, before);
    assert.equal(state.height, 1234);
  });

  it("the host page and the calculator make no request outside their two origins", async () => {
    for (const url of log.requests) {
      const origin = new URL(url).origin;
      assert.ok(
        [calculator.origin, host.origin, stranger.origin].includes(origin),
        `request to an unexpected origin: ${url}`,
      );
    }
  });
});

describe("an edit in an embed on a 360 px docs column shows its effect", () => {
  // Pre-sales review: embed.js makes the frame as tall as the calculator (25,000 px for the
  // sample at 360 px), so the frame never scrolls and its summary bar, sticky at the top of the
  // frame's window, stayed at the frame's top, far above the reader: an edit showed nothing.
  let calculator, host, stranger, hostDir, strangerDir, browser, page;
  const VIEW = { width: 360, height: 740 };

  before(async () => {
    calculator = await serve(dist);
    strangerDir = await mkdtemp(join(tmpdir(), "cal-calc-stranger-"));
    await writeFile(join(strangerDir, "index.html"), '<!doctype html><html lang="en"><title>stranger</title><p>not the calculator</p></html>');
    stranger = await serve(strangerDir);
    hostDir = await mkdtemp(join(tmpdir(), "cal-calc-host-"));
    await writeFile(join(hostDir, "index.html"), "");
    host = await serve(hostDir);
    const snippet = snippetOf(await readFile(join(dist, "embed-example.html"), "utf8"))
      .replaceAll(`parentOrigin=${encodeURIComponent(DOCS)}`, `parentOrigin=${encodeURIComponent(host.origin)}`)
      .replaceAll(CALCULATOR, calculator.origin);
    // A documentation page with text above the calculator and a strict CSP of its own.
    await writeFile(join(hostDir, "index.html"), `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'self'; frame-src ${calculator.origin} ${stranger.origin}; script-src ${calculator.origin}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>docs</title><link rel="stylesheet" href="examples.css"></head><body><main><h1>Docs</h1>
<p>Some text above the calculator.</p>
${snippet}
<p>Some text below it.</p></main></body></html>`);
    await copyFile(join(dist, "examples.css"), join(hostDir, "examples.css"));
    browser = await launch({ viewport: VIEW });
    // Every message the calculator's window receives (the init script runs in every frame).
    await browser.context.addInitScript(() => {
      window.__received = [];
      addEventListener("message", (e) => window.__received.push({ origin: e.origin, fromParent: e.source === parent && parent !== window, data: e.data }));
    });
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await page.goto(host.url("/"));
    await page.locator("iframe.cal-calc-embed").scrollIntoViewIfNeeded();
    await page.frameLocator("iframe.cal-calc-embed").locator(RESULT).waitFor({ state: "visible", timeout: 60_000 });
    // The frame has grown to the calculator's height.
    await page.waitForFunction(() => document.querySelector("iframe.cal-calc-embed").getBoundingClientRect().height > 5000, null, { timeout: 10_000 });
  });

  after(async () => {
    await browser?.close();
    await Promise.all([calculator?.close(), host?.close(), stranger?.close()]);
    for (const dir of [hostDir, strangerDir]) if (dir) await rm(dir, { recursive: true, force: true });
  });

  const calc = () => page.frames().find((f) => f.url().startsWith(calculator.origin));
  const frame = () => page.frameLocator("iframe.cal-calc-embed");
  /** A box in the host page's window (playwright gives a frame's elements in the page's). */
  const box = async (selector) => {
    const b = await frame().locator(selector).first().boundingBox();
    assert.ok(b, `${selector} has a box`);
    return { top: b.y, bottom: b.y + b.height };
  };
  /** Scrolls the host page so that the calculator's `selector` is in the middle of its window. */
  const centre = async (selector) => {
    const { top, bottom } = await box(selector);
    await page.evaluate((dy) => window.scrollBy(0, dy), (top + bottom) / 2 - VIEW.height / 2);
  };
  /** Waits until the summary bar is wholly inside the host page's window. */
  const barInWindow = async () => {
    const deadline = Date.now() + 5_000;
    let at;
    for (;;) {
      at = await box(".summary-bar");
      if ((at.top >= -0.5 && at.bottom <= VIEW.height + 0.5) || Date.now() > deadline) break;
      await page.waitForTimeout(100);
    }
    assert.ok(at.top >= -0.5 && at.bottom <= VIEW.height + 0.5, `the summary bar at ${Math.round(at.top)}–${Math.round(at.bottom)} px, outside the host's ${VIEW.height} px window`);
    return at;
  };
  /** Edits a field of the calculator and waits for the summary bar to show a new figure, the same
   * as the result's own total; returns the figure. */
  const edit = async (selector, value) => {
    const figure = frame().locator(".summary-bar strong");
    const before = await figure.textContent();
    const field = frame().locator(selector);
    await field.click();
    await page.keyboard.press("Control+A");
    await page.keyboard.type(value);
    await page.keyboard.press("Tab");
    await calc().waitForFunction((old) => document.querySelector(".summary-bar strong")?.textContent !== old, before, { timeout: 20_000 });
    // The bar and the result card come from the same report: wait until both show the settled
    // figure (a quick report may be followed by the full one).
    await calc().waitForFunction(
      (total) => {
        const bar = document.querySelector(".summary-bar strong")?.textContent.trim();
        return bar && bar === document.querySelector(total)?.textContent.trim();
      },
      RESULT,
      { timeout: 20_000 },
    );
    const now = (await figure.textContent()).trim();
    assert.notEqual(now, before.trim(), `the edit of ${selector} changed the purchase cost`);
    assert.equal(now, (await frame().locator(RESULT).textContent()).trim(), "the bar shows the result's own total");
    return now;
  };

  it("editing the employees, the purchase cost is in the host page's window", async () => {
    await centre("#q-employees");
    const frameTop = (await page.locator("iframe.cal-calc-embed").boundingBox()).y;
    assert.ok(frameTop < -100, `the frame's top (${Math.round(frameTop)} px) is above the window, as in the review`);
    await edit("#q-employees", "15");
    const bar = await barInWindow();
    assert.ok((await box("#q-employees")).top >= bar.bottom - 0.5, "the bar does not cover the field edited");
    await page.screenshot({ path: join(artifacts, "embed-summary-bar-360.png") });
  });

  it("a field the frame scrolls the host page to stops below the bar (Shift+Tab)", async () => {
    // The host page scrolls for the frame, and the frame's own scroll-padding does not reach it.
    // A field cut by the window's top, under the bar, reached backwards with Shift+Tab from the
    // one below it: the browser scrolls it just into the window, which was under the bar.
    const cut = await box("#q-employees");
    await page.evaluate((dy) => window.scrollBy(0, dy), cut.top + 10);
    await frame().locator("#q-devices-each").evaluate((e) => e.focus({ preventScroll: true }));
    const before = await box("#q-employees");
    assert.ok(before.top < 0 && before.bottom > 0, `the field before it is cut by the window's top (${Math.round(before.top)}–${Math.round(before.bottom)} px)`);
    await page.keyboard.press("Shift+Tab");
    await calc().waitForFunction(() => document.activeElement?.id === "q-employees");
    await page.waitForTimeout(300);
    const field = await box("#q-employees");
    assert.ok(field.top >= (await barInWindow()).bottom - 0.5, `the field reached (at ${Math.round(field.top)} px) is below the bar`);
  });

  it("the bar's link brings the result's start into the host page's window, below the bar", async () => {
    // With the focus in the frame (the reader has been editing), the browser's own way centred
    // the result, 3,900 px tall, in the window: its start landed 1,500 px above.
    await frame().locator("#q-employees").focus();
    await frame().locator(".summary-bar").getByRole("link", { name: "See the result" }).click();
    let results;
    for (const deadline = Date.now() + 5_000; Date.now() < deadline; await page.waitForTimeout(100)) {
      results = await box("#results");
      if (results.top > -0.5 && results.top < VIEW.height / 2) break;
    }
    await page.waitForTimeout(300);
    results = await box("#results");
    assert.ok(results.top > -0.5 && results.top < VIEW.height / 2, `the result's start in the window, at ${Math.round(results.top)} px`);
    assert.ok(results.top >= (await barInWindow()).bottom - 0.5, "the result starts below the bar");
    assert.equal(await calc().evaluate(() => document.activeElement?.id), "results", "the focus moves to the result");
  });

  it("editing a field 5,000 px down the frame, the new purchase cost is in the host page's window", async () => {
    // The Device CALs the organisation owns, at the editor's foot.
    await centre("#q-owned-device");
    const frameTop = (await page.locator("iframe.cal-calc-embed").boundingBox()).y;
    assert.ok(frameTop < -3000, `the frame's top (${Math.round(frameTop)} px) is far above the window`);
    await edit("#q-owned-device", "0");
    await barInWindow();
    // And it follows the reader back up and down the page.
    await page.evaluate(() => window.scrollBy(0, -1500));
    await barInWindow();
    await page.evaluate(() => window.scrollBy(0, 800));
    await barInWindow();
  });

  it("the host page tells the calculator only where it is in view, from its own origin", async () => {
    const views = (await calc().evaluate(() => window.__received)).filter((m) => m.data?.type === "cal-calc:view");
    assert.ok(views.length > 0, "view messages reached the calculator");
    for (const m of views) {
      assert.equal(m.origin, host.origin);
      assert.equal(m.fromParent, true);
      assert.deepEqual(Object.keys(m.data).sort(), ["height", "top", "type"]);
      assert.ok(Number.isInteger(m.data.top) && m.data.top >= 0, `top ${m.data.top}`);
      assert.ok(Number.isInteger(m.data.height) && m.data.height >= 0 && m.data.height <= VIEW.height, `height ${m.data.height}`);
    }
  });

  it("view messages from the calculator's own window, another origin's frame or of another shape are ignored", async () => {
    const viewTop = () => calc().evaluate(() => getComputedStyle(document.documentElement).getPropertyValue("--cal-calc-view-top").trim());
    const before = await viewTop();
    assert.match(before, /^\d+px$/, "the host's view messages set the band");
    // The calculator's window posting to itself: its origin is not the parentOrigin.
    await calc().evaluate(() => postMessage({ type: "cal-calc:view", top: 4321, height: 100 }, "*"));
    // A frame of another origin in the host page, posting to the calculator's window.
    await addFrame(page, stranger.url("/"), "stranger");
    const strangerFrame = page.frames().find((f) => f.url().startsWith(stranger.origin));
    await strangerFrame.evaluate(() => parent.frames[0].postMessage({ type: "cal-calc:view", top: 4321, height: 100 }, "*"));
    // The host page itself, with what is not a band.
    await page.evaluate(() => {
      const target = document.querySelector("iframe.cal-calc-embed").contentWindow;
      for (const data of [{ type: "cal-calc:view", top: "4321" }, { type: "cal-calc:view" }, { type: "cal-calc:view", top: Number.NaN }, { type: "cal-calc:height", top: 4321 }, "cal-calc:view"]) {
        target.postMessage(data, "*");
      }
    });
    await page.waitForTimeout(500);
    assert.equal(await viewTop(), before);
    // Control: the host page's own well-formed message is obeyed.
    await page.evaluate(() => document.querySelector("iframe.cal-calc-embed").contentWindow.postMessage({ type: "cal-calc:view", top: 4321, height: 100 }, "*"));
    await calc().waitForFunction(() => getComputedStyle(document.documentElement).getPropertyValue("--cal-calc-view-top").trim() === "4321px", null, { timeout: 5_000 });
  });

  it("in a docs column wider than 900 px the embed, one column, keeps its summary bar in view too", async () => {
    // The standalone app hides the bar beside its two columns; an embed is one column at every
    // width, with the result below the fields.
    await page.setViewportSize({ width: 1200, height: VIEW.height });
    try {
      await page.evaluate(() => (document.querySelector("iframe.cal-calc-embed").style.width = "1000px"));
      await page.waitForFunction(() => document.querySelector("iframe.cal-calc-embed").getBoundingClientRect().width === 1000);
      assert.ok(await calc().evaluate(() => innerWidth > 900), "the calculator is wider than 900 px");
      await centre("#q-employees");
      await edit("#q-employees", "60");
      await barInWindow();
    } finally {
      await page.setViewportSize(VIEW);
    }
  });
});

describe("the example page as shipped", () => {
  it("embeds the calculator from wherever it is served, with no request elsewhere", async () => {
    const server = await serve(dist);
    const browser = await launch({ viewport: { width: 420, height: 800 } });
    const log = record(browser.context);
    try {
      const page = browser.context.pages()[0] ?? (await browser.context.newPage());
      await page.goto(server.url("/embed-example.html"));
      const frame = page.frameLocator("iframe.cal-calc-embed");
      await frame.locator(RESULT).waitFor({ state: "visible", timeout: 20_000 });
      assert.match(await frame.locator(RESULT).textContent(), /\d/);
      const src = await page.getAttribute("iframe.cal-calc-embed", "src");
      assert.equal(new URL(src).searchParams.get("parentOrigin"), server.origin);
      // The frame reports its height to this page, which grows the frame.
      await page.waitForFunction(() => document.querySelector("iframe.cal-calc-embed").getBoundingClientRect().height > 640, null, { timeout: 10_000 });
      for (const url of log.requests) {
        assert.equal(new URL(url).origin, server.origin, `request to another origin: ${url}`);
      }
    } finally {
      await browser.close();
      await server.close();
    }
  });
});

describe("offline after the first visit", () => {
  it("reloading with the network off still shows a result (service worker)", async () => {
    const server = await serve(dist);
    const browser = await launch();
    try {
      const page = browser.context.pages()[0] ?? (await browser.context.newPage());
      await page.goto(server.url("/"));
      await waitForResult(page);
      // The first visit installs the worker and precaches the build; wait until it is active.
      await page.evaluate(async () => {
        await navigator.serviceWorker.ready;
      });
      // Network off both ways: the browser is offline and the server is gone.
      await browser.context.setOffline(true);
      await server.close();
      await page.reload();
      await waitForResult(page);
      const controlled = await page.evaluate(() => navigator.serviceWorker.controller !== null);
      assert.equal(controlled, true);
      assert.match(await page.textContent(RESULT), /\d/);
    } finally {
      await browser.close();
      await server.close();
    }
  });

  it("an import offline before the first one fails at once, saying why, and loses nothing", async () => {
    const server = await serve(dist);
    const browser = await launch();
    try {
      const page = browser.context.pages()[0] ?? (await browser.context.newPage());
      await page.goto(server.url("/"));
      await waitForResult(page);
      await page.evaluate(async () => {
        await navigator.serviceWorker.ready;
      });
      await browser.context.setOffline(true);
      await server.close();
      await page.reload();
      await waitForResult(page);
      const total = await page.textContent(RESULT);
      await page.setInputFiles("#import-files", {
        name: "users.csv",
        mimeType: "text/csv",
        buffer: Buffer.from("SamAccountName,Enabled\nann,True\n"),
      });
      const failed = page.locator(".import-failed").first();
      await failed.waitFor({ state: "visible", timeout: 10_000 });
      assert.match(await failed.textContent(), /could not load its reader.*Connect and choose the file again/);
      assert.equal(await page.textContent(RESULT), total);
    } finally {
      await browser.close();
      await server.close();
    }
  });
});

describe("parentOrigin without embed", () => {
  it("a page not embedded reports nothing to that origin and says so", async () => {
    // Security review 40: `?parentOrigin=` without `embed` sent the height of the estate saved in
    // this browser to that origin. The host frames the full page both ways; only the embedded
    // one reports its height.
    const calculator = await serve(dist);
    const hostDir = await mkdtemp(join(tmpdir(), "cal-calc-host-plain-"));
    await writeFile(join(hostDir, "index.html"), '<!doctype html><html lang="en"><title>host</title><p>host</p></html>');
    const host = await serve(hostDir);
    const browser = await launch();
    try {
      const page = browser.context.pages()[0] ?? (await browser.context.newPage());
      await page.goto(host.url("/"));
      await page.evaluate(() => {
        window.__heights = [];
        addEventListener("message", (e) => {
          if (e.data?.type === "cal-calc:height") window.__heights.push(e.source === document.querySelectorAll("iframe")[0]?.contentWindow ? "plain" : "embedded");
        });
      });
      const parent = encodeURIComponent(host.origin);
      await addFrame(page, calculator.url(`/?parentOrigin=${parent}`), "not embedded");
      const plain = page.frames().find((f) => f.url().startsWith(calculator.origin));
      await waitForResult(plain);
      await plain.waitForFunction(() => /parentOrigin is for an embedded calculator/.test(document.querySelector("[data-testid=notice]")?.textContent ?? ""));
      // Control: the same page embedded reports its height to the host.
      await addFrame(page, calculator.url(`/?embed=1&parentOrigin=${parent}`), "embedded");
      await page.waitForFunction(() => window.__heights.includes("embedded"), null, { timeout: 20_000 });
      await page.waitForTimeout(500);
      assert.deepEqual([...new Set(await page.evaluate(() => window.__heights))], ["embedded"]);
    } finally {
      await browser.close();
      await host.close();
      await calculator.close();
      await rm(hostDir, { recursive: true, force: true });
    }
  });
});
