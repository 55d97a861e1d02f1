// UI behaviour in a real browser against the release build (`trunk build --release`, then
// `node --test tests/e2e/`): a first visit shows a result; an edit changes the result by exactly
// what the rule says; share link, estate file and bad input keep the user's work. Screenshots of
// the result at 1280 px and 360 px go to tests/e2e/artifacts/.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { artifacts, launch, onFirstVisit, openCards, root, serve, waitForResult, CHROMIUM_ARGS, RESULT } from "./harness.mjs";

// A tiny estate whose answer follows from one rule: each employee uses one device of their own,
// and a User CAL (40.00) is cheaper than a Device CAL (45.00), so each employee needs one
// Windows Server User CAL. 30 employees → 30 User CALs costing 1,200.00; 31 → 31 and 1,240.00.
const ESTATE = {
  format_version: 1,
  name: "E2E office",
  organisation: {
    currency: "USD",
    prices: [
      { item: { product: "windows-server", kind: "user-cal" }, amount_minor: 4000 },
      { item: { product: "windows-server", kind: "device-cal" }, amount_minor: 4500 },
    ],
  },
  groups: [{ id: "staff", name: "Staff", count: 30, devices_each: 1 }],
  servers: [{ id: "fs1", name: "File server", product: "windows-server", version: "2022" }],
  access: [{ groups: ["staff"], servers: ["fs1"] }],
};

const money = (minor) =>
  new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" }).format(minor / 100);

async function openWithEstate(browser, server) {
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  await page.goto(server.url("/"));
  await waitForResult(page);
  const file = join(artifacts, "e2e-estate.json");
  await mkdir(artifacts, { recursive: true });
  await writeFile(file, JSON.stringify(ESTATE));
  await page.setInputFiles("#import-file", file);
  await page.waitForFunction(() => document.querySelector("#q-employees")?.value === "30");
  await waitForResult(page);
  return page;
}

const text = async (page, selector) => ((await page.textContent(selector)) ?? "").trim();

describe("ui", () => {
  let server, browser, page;

  before(async () => {
    server = await serve();
    browser = await launch();
    page = await openWithEstate(browser, server);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it("a first visit shows the sample's result, with a why on the total", async () => {
    await onFirstVisit(server, async (p) => {
      assert.match(await text(p, RESULT), /\d/);
      assert.ok((await p.locator("article.product").count()) > 0, "a product card");
      // Results name servers and groups as the sample names them, never by id (QA: break-evens
      // said "hv-a, hv-b" and "erp-sql", a product card "Licensing mode: rdsh1").
      await p.locator("details.more-breakevens > summary").click();
      await p.locator("details.more-breakevens figure.breakeven").first().waitFor();
      const shown = [
        ...(await p.locator("article.product p.hosts").allTextContents()),
        ...(await p.locator("figure.breakeven figcaption").allTextContents()),
        ...(await p.locator(".findings li").allTextContents()),
      ].join("\n");
      for (const name of ["Hyper-V host A", "ERP database", "RDS session host 1", "Office staff (laptop + phone)"]) {
        assert.ok(shown.includes(name), `${name} in:\n${shown}`);
      }
      for (const id of ["hv-a", "hv-b", "web1", "erp-sql", "portal-sql", "rdsh1", "rdsh2", "office", "callcentre"]) {
        assert.doesNotMatch(shown, new RegExp(`(^|[^\\w-])${id}([^\\w-]|$)`), `${id} shown by its id`);
      }
    });
  });

  it("the imported estate shows 30 User CALs for 30 one-device employees", async () => {
    assert.equal(await text(page, "[data-testid=ws-user-cals]"), "30");
    assert.equal(await text(page, RESULT), money(30 * 4000));
  });

  it("one more employee adds exactly one User CAL and its price", async () => {
    await page.fill("#q-employees", "31");
    await page.waitForFunction(
      () => document.querySelector("[data-testid=ws-user-cals]")?.textContent.trim() === "31",
    );
    assert.equal(await text(page, "[data-testid=ws-device-cals]"), "0");
    assert.equal(await text(page, RESULT), money(31 * 4000));
    // A screen reader hears the new total: a polite status in the header carries it.
    // Said once typing has paused (about a second, review 27), not at each keystroke.
    const status = page.locator("[data-testid=result-status]");
    assert.equal(await status.getAttribute("role"), "status");
    await page.waitForFunction((total) => document.querySelector("[data-testid=result-status]")?.textContent.includes(total), money(31 * 4000));
    assert.equal(await status.textContent(), `Result updated: purchase cost ${money(31 * 4000)}.`);
  });

  it("an edit is saved even when the page is left at once (autosave waits for a pause in typing)", async () => {
    await onFirstVisit(server, async (p) => {
      await p.fill("#q-employees", "777");
      await p.waitForFunction(() => !document.querySelector("#q-employees-error"));
      // Leave well inside the autosave pause: the page-hide flush must write the edit.
      await p.reload();
      await waitForResult(p);
      assert.equal(await p.inputValue("#q-employees"), "777");
    });
  });

  it("owned CALs typed down to 0 and up again keep their version", async () => {
    await page.fill("#q-owned-user", "5");
    await page.selectOption("#q-owned-user-version", "2019");
    await page.waitForFunction(() => document.querySelector("#q-owned-user-version")?.value === "2019");
    // After a reload the holding comes from the saved estate, as an opened file's would.
    await page.reload();
    await waitForResult(page);
    assert.equal(await page.inputValue("#q-owned-user-version"), "2019");
    await page.fill("#q-owned-user", "0");
    await page.fill("#q-owned-user", "12");
    await page.waitForFunction(() => document.querySelector("#q-owned-user")?.value === "12");
    // Old CALs must not silently become current ones (that would overstate compliance).
    assert.equal(await page.inputValue("#q-owned-user-version"), "2019");
    await page.fill("#q-owned-user", "0");
  });

  it("a negative number shows a message next to the field and keeps what was typed and the result", async () => {
    const total = await text(page, RESULT);
    await page.fill("#q-employees", "-4");
    await page.waitForSelector("#q-employees-error");
    assert.match(await text(page, "#q-employees-error"), /negative/);
    assert.equal(await page.inputValue("#q-employees"), "-4");
    assert.equal(await text(page, RESULT), total);
    await page.fill("#q-employees", "31");
    await page.waitForSelector("#q-employees-error", { state: "detached" });
  });

  it("the why of a figure names its rule and source", async () => {
    const why = page.locator("article.product[data-product=ws] details.why").first();
    await why.locator("summary").click();
    const body = await why.locator(".why-body").textContent();
    assert.ok(body && body.length > 20, `why text: ${body}`);
    // "Source: <links>" is a finished sentence (QA: it had no full stop), and its links stay
    // whole: the stop follows the last link, outside it.
    const sources = await why.locator(".why-rules .source").evaluateAll((spans) =>
      spans.map((s) => [s.textContent, s.lastChild?.nodeType === Node.TEXT_NODE, [...s.querySelectorAll("a")].map((a) => a.getAttribute("href"))]),
    );
    assert.ok(sources.length > 0, "the why names a source");
    for (const [sentence, endsInText, hrefs] of sources) {
      assert.match(sentence, /^ Source: \S.*[^ ]\.$/, sentence);
      assert.ok(endsInText, `the full stop is outside the last link: ${sentence}`);
      for (const href of hrefs) assert.match(href, /^https?:\/\/\S+[^.]$/, href);
    }
    assert.ok(sources.some(([, , hrefs]) => hrefs.length > 0), "a source is linked");
  });

  it("screenshots of the result at 1280 px and 360 px", async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: join(artifacts, "result.png"), fullPage: true });
    await page.setViewportSize({ width: 360, height: 800 });
    await page.screenshot({ path: join(artifacts, "result-360.png"), fullPage: true });
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    await page.setViewportSize({ width: 1280, height: 900 });
    assert.ok(overflow <= 0, `page scrolls sideways by ${overflow}px at 360 px`);
  });

  it("at 360 and 320 px the sample's break-even charts keep their labels and figures in the page", async () => {
    // Review 18: at 360 px "Connector cheaper from 129 u" was cut at the chart's edge, and at
    // 320 px the break-even grid's 20rem column scrolled the page sideways by 21 px.
    await onFirstVisit(server, async (p) => {
      const found = {};
      for (const width of [360, 320]) {
        await p.setViewportSize({ width, height: 800 });
        found[width] = await p.evaluate(() => {
          const out = [];
          if (!document.querySelector("figure.breakeven svg text")) out.push("no break-even chart");
          for (const svg of document.querySelectorAll("figure.breakeven svg[role=img]")) {
            const frame = svg.getBoundingClientRect();
            for (const t of svg.querySelectorAll("text")) {
              const r = t.getBoundingClientRect();
              if (r.left < frame.left - 0.5 || r.right > frame.right + 0.5) out.push(t.textContent);
            }
          }
          const by = document.documentElement.scrollWidth - document.documentElement.clientWidth;
          if (by > 0) out.push(`the page scrolls sideways by ${by} px`);
          return out;
        });
      }
      assert.deepEqual(found, { 360: [], 320: [] });
    });
  });

  it("at 360 px an open why in a table wraps inside the page", async () => {
    await page.setViewportSize({ width: 360, height: 800 });
    const whys = page.locator("td.why-cell details.why > summary");
    const n = await whys.count();
    assert.ok(n >= 2, `${n} whys in tables`);
    // The first is in What to buy, the last in the Effective License Position; one "why" is
    // open at a time, so each is measured open in turn.
    let overflow = 0;
    for (const i of [0, n - 1]) {
      await whys.nth(i).click();
      assert.equal(await whys.nth(i).evaluate((s) => s.parentElement.open), true);
      overflow = Math.max(overflow, await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      ));
    }
    await whys.nth(n - 1).click();
    await page.setViewportSize({ width: 1280, height: 900 });
    assert.ok(overflow <= 0, `page scrolls sideways by ${overflow}px with a why open at 360 px`);
  });

  it("an open why in a table takes room under its row and covers no other row, at 1280 and 900 px", async () => {
    // ELP review L4: the open panel covered the Needed…Cost figures of the rows below and their
    // "why?" buttons, which could not be clicked until it was closed ("<li> … intercepts pointer
    // events"). At 900 px the position is a list of cards (a container query), the same panel.
    await onFirstVisit(server, async (p) => {
      const found = {};
      for (const width of [1280, 900]) {
        await p.setViewportSize({ width, height: 900 });
        for (const table of ["table.position-table", "table.lines"]) {
          const whys = p.locator(`${table} tbody td.why-cell details.why`);
          assert.ok((await whys.count()) >= 2, `${table}: rows with a why`);
          await whys.first().locator("summary").click();
          await p.waitForFunction(
            (t) => document.querySelector(`${t} td.why-cell`)?.style.getPropertyValue("--why-h"),
            table,
          );
          found[`${width} ${table}`] = await p.evaluate((t) => {
            const out = [];
            const body = document.querySelector(`${t} details.why[open] > .why-body`);
            if (!body) return ["no open panel"];
            const row = body.closest("tr");
            const next = row.nextElementSibling;
            // In view, for elementFromPoint.
            next?.scrollIntoView({ block: "center" });
            const panel = body.getBoundingClientRect();
            const own = row.getBoundingClientRect();
            if (panel.bottom > own.bottom + 0.5) out.push(`the panel ends ${panel.bottom - own.bottom}px below its row`);
            if (next) {
              const top = next.getBoundingClientRect().top;
              if (panel.bottom > top + 0.5) out.push(`the panel runs ${panel.bottom - top}px into the next row`);
              const summary = next.querySelector("details.why > summary");
              const r = summary.getBoundingClientRect();
              const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
              if (!summary.contains(hit)) out.push(`the next row's why? is under ${hit?.tagName}`);
              // The figures of its own row stay clear of it.
              for (const cell of row.querySelectorAll("td.num")) {
                const range = document.createRange();
                range.selectNodeContents(cell);
                const t = range.getBoundingClientRect();
                const overlaps = t.height > 0 && panel.top < t.bottom - 0.5 && panel.left < t.right && panel.right > t.left;
                if (overlaps) out.push(`the panel covers ${cell.dataset.label}`);
              }
            } else {
              out.push("no row below the first");
            }
            return out;
          }, table);
          // Closing it gives the room back.
          await whys.first().locator("summary").click();
          await p.waitForFunction(
            (t) => !document.querySelector(`${t} td.why-cell`).style.getPropertyValue("--why-h"),
            table,
          );
        }
      }
      await p.setViewportSize({ width: 1280, height: 900 });
      assert.deepEqual(found, {
        "1280 table.position-table": [],
        "1280 table.lines": [],
        "900 table.position-table": [],
        "900 table.lines": [],
      });
    });
  });

  it("at 360 px every price field is whole and in view, without scrolling the table sideways", async () => {
    // QA 1 Dec: three columns at 360 px scrolled "Your price" out of the table's view and cut
    // every field at its edge: the one thing a user edits there.
    await page.setViewportSize({ width: 360, height: 800 });
    const details = page.locator(".price-details");
    const wasOpen = await details.evaluate((d) => d.open);
    if (!wasOpen) await details.locator("> summary").click();
    const measured = await page.$eval(".prices .table-wrap", (wrap) => {
      const edge = wrap.getBoundingClientRect().right;
      const inputs = [...wrap.querySelectorAll(".price-table input")];
      return {
        inputs: inputs.length,
        scrolls: wrap.scrollWidth - wrap.clientWidth,
        cut: inputs.filter((i) => i.getBoundingClientRect().right > edge + 0.5).map((i) => i.id),
        narrowest: Math.min(...inputs.map((i) => i.getBoundingClientRect().width)),
      };
    });
    if (!wasOpen) await details.locator("> summary").click();
    await page.setViewportSize({ width: 1280, height: 900 });
    assert.ok(measured.inputs > 0, "price fields");
    assert.ok(measured.scrolls <= 0, `the prices table scrolls sideways by ${measured.scrolls}px`);
    assert.deepEqual(measured.cut, [], "price fields cut at the table's edge");
    // Room for "2900.00" and more (the fields were 88 px, cut to about 40).
    assert.ok(measured.narrowest >= 100, `narrowest price field ${measured.narrowest}px`);
  });

  it("a reference price's open source wraps inside the prices table at 1280 and 800 px", async () => {
    // QA: the source's links stayed on one line inside the figure's cell (which does not wrap):
    // the table grew to about 1,500 px and the licence names and price fields scrolled away.
    const details = page.locator(".price-details");
    const wasOpen = await details.evaluate((d) => d.open);
    if (!wasOpen) await details.locator("> summary").click();
    const scrolls = {};
    for (const width of [1280, 800]) {
      await page.setViewportSize({ width, height: 900 });
      scrolls[width] = await page.$$eval("details.price-source", (all) =>
        all.flatMap((d, i) => {
          d.open = true;
          const wrap = d.closest(".table-wrap");
          const by = wrap.scrollWidth - wrap.clientWidth;
          d.open = false;
          return by > 0 ? [`source ${i}: ${by} px`] : [];
        }),
      );
    }
    if (!wasOpen) await details.locator("> summary").click();
    await page.setViewportSize({ width: 1280, height: 900 });
    assert.ok((await page.locator("details.price-source").count()) > 0, "reference prices with a source");
    assert.deepEqual(scrolls, { 1280: [], 800: [] });
  });

  it("a product card's licence counts stand on one line, in quick and detailed mode", async () => {
    // QA 1 Dec: "External Connectors" wraps in a card at 1280 px (and "Device CALs" in detailed
    // mode's narrower cards), which pushed its count 20 px below the others'.
    const misaligned = {};
    for (const mode of ["Quick", "Detailed"]) {
      await page.click(`.mode-switch >> text=${mode}`);
      await page.waitForSelector("article.product .licences .value");
      misaligned[mode] = await page.$$eval("article.product", (cards) =>
        cards.flatMap((card) => {
          const tops = [...card.querySelectorAll(".licences .value")].map((v) => v.getBoundingClientRect().top);
          return Math.max(...tops) - Math.min(...tops) > 1 ? [`${card.dataset.product}: ${tops.map(Math.round).join(", ")}`] : [];
        }),
      );
    }
    await page.click(".mode-switch >> text=Quick");
    assert.deepEqual(misaligned, { Quick: [], Detailed: [] });
  });

  it("a product card's large counts wrap in their column, never over the next figure, at 360 and 1280 px", async () => {
    // Review 20: "200,000" at 360 px and seven digits at 1280 px painted over the next count, and
    // at 10,000,000 the cards were unreadable.
    await onFirstVisit(server, async (p) => {
      const over = {};
      let longest = 0;
      for (const count of ["2000000", "10000000"]) {
        const before = await text(p, RESULT);
        await p.fill("#q-employees", count);
        await p.press("#q-employees", "Tab");
        await p.waitForFunction(([s, old]) => document.querySelector(s)?.textContent !== old, [RESULT, before], { timeout: 30_000 });
        for (const width of [360, 1280]) {
          await p.setViewportSize({ width, height: 800 });
          const found = await p.$$eval(".figures .figure", (figures) =>
            figures
              .filter((f) => f.getClientRects().length > 0)
              .map((f) => {
                const value = f.querySelector(".value");
                const range = document.createRange();
                range.selectNodeContents(value);
                const t = range.getBoundingClientRect();
                const cell = f.getBoundingClientRect();
                const name = `${f.closest("article")?.dataset.product} ${f.querySelector("dt").textContent}`;
                const out = t.right > cell.right + 0.5 || t.left < cell.left - 0.5;
                return { digits: value.textContent.replace(/\D/g, "").length, out: out ? `${name}: “${value.textContent}” ${Math.round(t.left)}–${Math.round(t.right)} in ${Math.round(cell.left)}–${Math.round(cell.right)}` : null };
              }),
          );
          longest = Math.max(longest, ...found.map((f) => f.digits));
          const bad = found.flatMap((f) => (f.out ? [f.out] : []));
          if (bad.length) over[`${count} at ${width} px`] = bad;
        }
        await p.setViewportSize({ width: 360, height: 800 });
      }
      await p.screenshot({ path: join(artifacts, "large-counts-360.png"), fullPage: false });
      assert.ok(longest >= 8, `a card shows a count of ${longest} digits at most`);
      assert.deepEqual(over, {});
    }, { viewport: { width: 360, height: 800 } });
  });

  it("at 360 and 320 px a server's DNS name and a directory group's name wrap inside the page", async () => {
    // UI review 39: a server named webfrontend01.customerportal.contosogroup.com made the page
    // 477 px wide at 360 px (the product card's hosts, the break-even chart's title, legend and
    // figures, a finding), and a group named like a directory group 628 px in detailed mode (its
    // tick box in every shared device and access rule).
    await onFirstVisit(server, async (p) => {
      const wide = () =>
        p.evaluate(() => {
          const w = document.documentElement.clientWidth;
          const out = [];
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            const e = n.parentElement;
            if (!e || e.closest(".visually-hidden") || e.getClientRects().length === 0) continue;
            const range = document.createRange();
            range.selectNodeContents(n);
            const r = range.getBoundingClientRect();
            if (r.width > 0 && r.right > w + 1) out.push(`${e.tagName.toLowerCase()}.${[...e.classList].join(".")}: ${n.textContent.trim().slice(0, 40)}`);
          }
          return { scroll: document.documentElement.scrollWidth - w, out: [...new Set(out)] };
        });
      // A rename changes no figure: the chart's title shows the new name.
      await p.fill("#q-server-7-name", "webfrontend01.customerportal.contosogroup.com");
      await p.waitForFunction(() => document.body.textContent.includes("External Connector or CALs: webfrontend01"), null, { timeout: 30_000 });
      const found = {};
      for (const width of [360, 320]) {
        await p.setViewportSize({ width, height: 800 });
        found[`quick ${width}`] = await wide();
      }
      await p.click(".mode-switch >> text=Detailed");
      await p.click("#card-groups-0");
      await p.fill("#d-group-0-name", "SG_Contoso_Finance_AccountsPayable_Users_And_Managers_Group");
      await p.press("#d-group-0-name", "Tab");
      await p.evaluate(() => document.querySelectorAll(".inputs details").forEach((d) => (d.open = true)));
      for (const width of [360, 320]) {
        await p.setViewportSize({ width, height: 800 });
        found[`detailed ${width}`] = await wide();
      }
      const none = { scroll: 0, out: [] };
      assert.deepEqual(found, { "quick 360": none, "quick 320": none, "detailed 360": none, "detailed 320": none });
    }, { viewport: { width: 360, height: 800 } });
  });

  it("owned counts sit level with their version, and in two columns the summary bar is in view beside them", async () => {
    // UI review 39: the count stood about 80 px below its version select (aligned with the foot
    // of the hint beside it), and at 1280 px the result column ended 1,800 px above the owned
    // licences and prices, with no bar: an edit there changed nothing in view.
    await onFirstVisit(server, async (p) => {
      const found = {};
      for (const width of [1280, 360]) {
        await p.setViewportSize({ width, height: 800 });
        await p.locator("#q-owned-user").scrollIntoViewIfNeeded();
        const tops = await p.evaluate(() =>
          ["#q-owned-user", "#q-owned-user-version", "#q-owned-device", "#q-owned-device-version"].map((s) =>
            Math.round(document.querySelector(s).getBoundingClientRect().top),
          ),
        );
        const bar = await p.evaluate(() => {
          const b = document.querySelector(".summary-bar").getBoundingClientRect();
          return b.height > 0 && b.top >= 0 && b.top < 2;
        });
        found[width] = { level: tops[0] === tops[1] && tops[2] === tops[3], bar };
      }
      assert.deepEqual(found, { 1280: { level: true, bar: true }, 360: { level: true, bar: true } });
    }, { viewport: { width: 1280, height: 800 } });
  });

  it("at 360 px the result's summary bar stays at the window's top, saying what it counts, and covers no field", async () => {
    // Review 20: the result is 5,600 px below the fields at 360 px, and the bar was only at the
    // page's top: an edit showed nothing. "8 non-compliant" said less than "8 critical findings".
    await onFirstVisit(server, async (p) => {
      const bar = p.locator(".summary-bar");
      const rect = (selector) => p.$eval(selector, (e) => e.getBoundingClientRect().toJSON());
      // A field far down the editor, scrolled to as the browser does for focus or a link.
      const far = await p.$$eval(".inputs input:not([type=hidden]):not([type=file])", (inputs) => {
        // Not one in a closed disclosure: it has boxes, but nothing scrolls to it.
        const shown = inputs.filter((i) => i.checkVisibility());
        const last = shown[shown.length - 1];
        last.scrollIntoView({ block: "start" });
        return last.id;
      });
      assert.ok(far, "a field at the editor's foot");
      const barAt = await rect(".summary-bar");
      assert.ok(Math.abs(barAt.top) < 1, `the bar at the window's top, not at ${barAt.top}`);
      assert.ok((await rect(`#${far}`)).top >= barAt.bottom - 0.5, "the field scrolled to is below the bar");
      // An edit near the page's top shows in the bar wherever the user is.
      await p.$eval("#q-employees", (i) => i.scrollIntoView({ block: "start" }));
      assert.ok((await rect("#q-employees")).top >= (await rect(".summary-bar")).bottom - 0.5, "the field is below the bar");
      const before = await bar.textContent();
      await p.focus("#q-employees");
      await p.keyboard.press("Control+A");
      await p.keyboard.type("45");
      await p.waitForFunction((old) => document.querySelector(".summary-bar")?.textContent !== old, before);
      const now = await rect(".summary-bar");
      assert.ok(now.top >= -0.5 && now.bottom <= 740, "the bar in the window after the edit");
      // The status is said once typing has paused (review 27): wait for the one of the new total.
      await p.waitForFunction((total) => {
        const shown = document.querySelector(total)?.textContent.trim();
        return !!shown && (document.querySelector("[data-testid=result-status]")?.textContent ?? "").includes(shown);
      }, RESULT);
      const status = await text(p, "[data-testid=result-status]");
      const said = (await bar.textContent()) ?? "";
      assert.doesNotMatch(said, /non-compliant/);
      // The sample always has critical findings (tests/engine/examples.rs), so the count is there.
      const critical = status.match(/\d+ critical findings?/);
      assert.ok(critical, `the status “${status}” gives the critical count`);
      assert.ok(said.includes(critical[0]), `“${said}” says “${critical[0]}”`);
      // Its link leaves the result's start below it.
      await bar.getByRole("link", { name: "See the result" }).click();
      await p.waitForFunction(() => Math.abs(document.querySelector("#results").getBoundingClientRect().top) < 200);
      assert.ok((await rect("#results")).top >= (await rect(".summary-bar")).bottom - 0.5, "the result starts below the bar");
      await p.screenshot({ path: join(artifacts, "summary-bar-360.png") });
    }, { viewport: { width: 360, height: 740 } });
  });

  it("a share link opens the same estate in a fresh browser", async () => {
    await page.click("text=Copy share link");
    const link = await page.inputValue("#share-link");
    // The estate after #e1., then the mode it was copied in (it opens in it: review 14).
    assert.match(link, /#e1\.[A-Za-z0-9_-]+&mode=quick$/);
    const other = await launch();
    try {
      const p = other.context.pages()[0] ?? (await other.context.newPage());
      await p.goto(link);
      await waitForResult(p);
      assert.equal(await p.inputValue("#q-employees"), "31");
      assert.equal(await text(p, "[data-testid=ws-user-cals]"), "31");
    } finally {
      await other.close();
    }
  });

  it("a tampered share link shows a message and keeps the saved estate", async () => {
    const link = await page.inputValue("#share-link");
    // A character of the estate's data, before "&mode=quick".
    const i = link.indexOf("&mode=") - 12;
    const tampered = link.slice(0, i) + (link[i] === "A" ? "B" : "A") + link.slice(i + 1);
    const p = await browser.context.newPage();
    try {
      await p.goto(tampered);
      await waitForResult(p);
      assert.match(await text(p, "[data-testid=notice]"), /not opened/);
      assert.equal(await p.inputValue("#q-employees"), "31");
    } finally {
      await p.close();
    }
  });

  it("a cut-off share link shows a message and keeps the saved estate", async () => {
    const link = await page.inputValue("#share-link");
    const p = await browser.context.newPage();
    try {
      await p.goto(link.slice(0, link.indexOf("&mode=") - 9));
      await waitForResult(p);
      assert.match(await text(p, "[data-testid=notice]"), /incomplete|changed/);
      assert.equal(await p.inputValue("#q-employees"), "31");
    } finally {
      await p.close();
    }
  });

  it("a valid share link that replaces saved work offers it back", async () => {
    const link = await page.inputValue("#share-link");
    const save = (p) => p.evaluate(() => window.dispatchEvent(new Event("pagehide")));
    await page.fill("#q-employees", "55");
    await page.waitForFunction(() => document.querySelector("#q-employees")?.value === "55");
    await save(page);
    // A link this browser has not seen (this one was made here: a reload with it would show the
    // work saved since, as storage.test.mjs checks).
    await page.evaluate(() => localStorage.removeItem("cal-calc.links-seen.v1"));
    const p = await browser.context.newPage();
    try {
      await p.goto(link);
      await waitForResult(p);
      assert.equal(await p.inputValue("#q-employees"), "31");
      assert.match(await text(p, "[data-testid=notice]"), /replaced the estate you had/);
      await p.click("text=Restore the previous estate");
      await p.waitForFunction(() => document.querySelector("#q-employees")?.value === "55");
      assert.match(await text(p, "[data-testid=notice]"), /previous estate is back/);
    } finally {
      await p.close();
    }
    await page.fill("#q-employees", "31");
    await page.waitForFunction(() => document.querySelector("#q-employees")?.value === "31");
    await save(page);
  });

  it("export then import restores the estate", async () => {
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.click("text=Export estate (JSON)"),
    ]);
    const path = join(artifacts, "exported.estate.json");
    await download.saveAs(path);
    const exported = JSON.parse(await readFile(path, "utf8"));
    assert.equal(exported.groups[0].count, 31);
    await page.fill("#q-employees", "5");
    await page.waitForFunction(
      () => document.querySelector("[data-testid=ws-user-cals]")?.textContent.trim() === "5",
    );
    await page.setInputFiles("#import-file", path);
    await page.waitForFunction(
      () => document.querySelector("[data-testid=ws-user-cals]")?.textContent.trim() === "31",
    );
    assert.equal(await page.inputValue("#q-employees"), "31");
  });

  it("a bad JSON file shows a message naming the line and keeps the current estate", async () => {
    const path = join(artifacts, "bad.estate.json");
    await writeFile(path, '{\n  "name": "broken",\n  "groups": 5\n}\n');
    await page.locator("label[for=import-file]").scrollIntoViewIfNeeded();
    await page.setInputFiles("#import-file", path);
    await page.waitForSelector("[data-testid=notice]");
    assert.match(await text(page, "[data-testid=notice]"), /line 3/);
    // In view where the user is (the file button), not at the top of the page (QA).
    const inView = await page.$eval("[data-testid=notice]", (n) => {
      const r = n.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= innerHeight && r.height > 0;
    });
    assert.ok(inView, "the message is in the window");
    assert.equal(await page.inputValue("#q-employees"), "31");
  });

  it("a file that reads but names a group that does not exist is refused, naming the field", async () => {
    const path = join(artifacts, "invalid.estate.json");
    const invalid = { ...ESTATE, access: [{ groups: ["nobody"], servers: ["fs1"] }] };
    await writeFile(path, JSON.stringify(invalid, null, 2));
    await page.setInputFiles("#import-file", path);
    await page.waitForFunction(() => /access\[0\]/.test(document.querySelector("[data-testid=notice]")?.textContent ?? ""));
    assert.match(await text(page, "[data-testid=notice]"), /nobody/);
    assert.equal(await page.inputValue("#q-employees"), "31");
  });

  it("the position table exports as CSV", async () => {
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.click("text=Export CSV"),
    ]);
    const path = join(artifacts, "position.csv");
    await download.saveAs(path);
    const csv = await readFile(path, "utf8");
    // A byte-order mark and CRLF line ends, so spreadsheets read it as UTF-8 (QA).
    assert.ok(csv.startsWith("\ufeff"), "starts with a byte-order mark");
    const lines = csv.slice(1).split("\r\n");
    assert.ok(!lines.some((l) => l.includes("\n")), "every line ends with CRLF");
    assert.match(lines[0], /^Product,Licence,Version,Owned,Used,Surplus,Needed,Covered,Shortfall,/);
    assert.match(csv, /Windows Server,User CAL,[^,]*,0,0,0,31,0,31,40\.00,your price,1240\.00,/);
    // A locale with decimal points gets the one file only.
    assert.equal(await page.locator("[data-testid=csv-semicolons]").count(), 0);
  });

  it("the print view shows the result with what was entered, not the editor", async () => {
    await page.emulateMedia({ media: "print" });
    try {
      assert.equal(await page.isVisible(".inputs"), false, "the editor is not printed");
      assert.ok(await page.isVisible(".position-table"), "the position is printed");
      const entered = await text(page, ".inputs-summary");
      assert.match(entered, /People[\s\S]*Staff[\s\S]*31/);
      assert.match(entered, /File server[\s\S]*2022/);
      assert.match(entered, /Owned licences[\s\S]*None entered/);
      assert.match(entered, /Readings where sources disagree: External Connectors one per physical host/);
      // A printed figure says where it comes from (practitioner review): the explanation of each
      // position row and purchase line follows it, and the unit prices used print with their
      // basis and date. Only those: the page's other "why"s stay folded.
      await page.waitForSelector(".position-table tbody tr:first-child + tr.why-print", { state: "visible" });
      const firstRow = await text(page, ".position-table tbody tr:first-child th");
      const firstWhy = await text(page, ".position-table tbody tr:first-child + tr.why-print");
      assert.match(firstWhy, /needed/);
      assert.ok(firstWhy.startsWith(firstRow.split(" ")[0]), `${firstRow} / ${firstWhy}`);
      assert.ok(await page.isVisible("table.lines tbody tr:first-child + tr.why-print"), "a purchase line's explanation prints");
      assert.equal(await page.locator("details.why[open]").count(), 0, "no other why is opened for print");
      const prices = await text(page, "[data-testid=prices-used]");
      // The estate gives its own Windows Server CAL prices; the others are reference estimates.
      assert.match(prices, /Windows Server User CAL\s*\$40\.00\s*Your price\./);
      assert.match(prices, /Remote Desktop Services User CAL\s*\$160\.00\s*Reference estimate, published 2025, collected 2026-05\. Source: 9software\.com/);
      assert.match(await text(page, ".app-footer"), /collected from public pages in 2026-05/);
      await page.pdf({ path: join(artifacts, "report.pdf"), format: "A4" });
      // At A4's printable width (about 720 px) the tables stay tables: the narrow-card layout
      // once printed the sample's position as 16 pages of one-row cards (review 18).
      await page.setViewportSize({ width: 718, height: 1000 });
      const shown = await page.evaluate(() =>
        [".position-table", "table.lines"].map((t) => {
          const row = document.querySelector(`${t} tbody tr`);
          return `${t} ${row && getComputedStyle(row).display}`;
        }),
      );
      assert.deepEqual(shown, [".position-table table-row", "table.lines table-row"]);
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.emulateMedia({ media: "screen" });
    }
    assert.equal(await page.isVisible(".inputs-summary"), false, "on screen the editor shows it");
    await page.waitForSelector("tr.why-print", { state: "detached" });
    assert.equal(await page.locator("details.why[open]").count(), 0, "on screen every why is folded");
    assert.equal(await page.locator(".why-body:visible, [data-testid=prices-used]:visible").count(), 0);
  });

  it("switching to detailed mode and back keeps every figure", async () => {
    await page.click(".mode-switch >> text=Detailed");
    await page.click("#card-groups-0");
    assert.equal(await page.inputValue("#d-group-0-count"), "31");
    await page.click(".mode-switch >> text=Quick");
    assert.equal(await page.inputValue("#q-employees"), "31");
  });

  it("the calculator works from the keyboard alone, with a visible focus", async () => {
    const p = await browser.context.newPage();
    try {
      await p.goto(server.url("/"));
      await waitForResult(p);
      await p.keyboard.press("Tab");
      assert.equal(await p.evaluate(() => document.activeElement.className), "skip-link");
      let presses = 0;
      while ((await p.evaluate(() => document.activeElement.id)) !== "q-employees" && presses < 15) {
        await p.keyboard.press("Tab");
        presses++;
      }
      assert.equal(await p.evaluate(() => document.activeElement.id), "q-employees");
      const outline = await p.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
      assert.notEqual(outline, "none");
      const before = await text(p, RESULT);
      await p.keyboard.press("Control+A");
      await p.keyboard.type("45");
      await p.waitForFunction(([s, old]) => document.querySelector(s)?.textContent !== old, [RESULT, before]);
      // A "why" opens with the keyboard too.
      await p.focus("article.product details.why > summary");
      await p.keyboard.press("Enter");
      assert.equal(await p.evaluate(() => document.activeElement.parentElement.open), true);
      await p.keyboard.press("Escape");
      assert.equal(await p.evaluate(() => document.activeElement.parentElement.open), false);
      // Focus moving on closes an open "why", so it never hides the control focus lands on.
      await p.keyboard.press("Enter");
      const opened = await p.evaluateHandle(() => document.activeElement.parentElement);
      assert.equal(await opened.evaluate((d) => d.open), true);
      for (let i = 0; i < 20 && (await opened.evaluate((d) => d.contains(document.activeElement))); i++) {
        await p.keyboard.press("Tab");
      }
      assert.equal(await opened.evaluate((d) => d.contains(document.activeElement)), false);
      assert.equal(await opened.evaluate((d) => d.open), false);
    } finally {
      await p.close();
    }
  });

  it("a removal can be undone from the keyboard, back to exactly the estate before", async () => {
    await onFirstVisit(server, async (p) => {
      const saved = () => p.evaluate(() => {
        window.dispatchEvent(new Event("pagehide"));
        return localStorage.getItem("cal-calc.estate.v1");
      });
      const before = await saved();
      const total = await text(p, RESULT);
      // Quick mode: remove a server with the keyboard.
      await p.focus("button[aria-label='Remove server File server']");
      await p.keyboard.press("Enter");
      await p.waitForSelector("[data-testid=undo]");
      assert.match(await text(p, "[data-testid=notice]"), /^Removed server “File server”\./);
      assert.equal(await p.locator("[data-testid=notice]").evaluate((n) => n.closest("[aria-live]")?.getAttribute("aria-live")), "polite");
      assert.notEqual(await saved(), before);
      // The Remove button has gone: focus moves to Undo, not to the top of the page (QA).
      await p.waitForFunction(() => document.activeElement?.dataset.testid === "undo");
      await p.keyboard.press("Enter");
      await p.waitForFunction(() => !document.querySelector("[data-testid=undo]"));
      assert.equal(await saved(), before);
      assert.equal(await text(p, RESULT), total);
      // And after Undo it stays in the notice ("The removal was undone." · Dismiss).
      await p.waitForFunction(() => document.activeElement?.closest("[data-testid=notice]") != null);
      // Detailed mode: removing a physical host says what becomes of its virtual machines, and
      // Undo gives them their host back.
      await p.click(".mode-switch >> text=Detailed");
      await openCards(p);
      await p.click("button[aria-label^='Remove server Hyper-V host A']");
      await p.waitForSelector("[data-testid=undo]");
      assert.match(await text(p, "[data-testid=notice]"), /ran on it .* now treated as physical servers/);
      // The next edit ends the offer.
      await p.fill("#d-group-0-count", "421");
      await p.waitForFunction(() => !document.querySelector("[data-testid=undo]"));
      await p.fill("#d-group-0-count", "420");
      assert.notEqual(await saved(), before);
      await p.click("button[aria-label^='Remove group']");
      await p.click("[data-testid=undo]");
      await p.waitForFunction(() => !document.querySelector("[data-testid=undo]"));
      assert.match(await text(p, "[data-testid=notice]"), /undone/);
    });
  });

  it("price fields show and read the locale's decimal separator (de-DE)", async () => {
    const b = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: CHROMIUM_ARGS, headless: true });
    try {
      const context = await b.newContext({ locale: "de-DE", viewport: { width: 1280, height: 900 } });
      const p = await context.newPage();
      await p.goto(server.url("/"));
      await waitForResult(p);
      // The engine's sentences give their figures in the locale too: "2.500 external users",
      // "392.700,00 $", never the engine's "2,500" (read as 2.5 in German).
      const messages = (await p.locator("span.message").allTextContents()).join("\n");
      assert.doesNotMatch(messages, /\d,\d{3}(?!\d)/);
      assert.match(messages, /\d\.\d{3}/);
      // ELP review 42: the CSV's separators were said only in the Export button's tooltip, and
      // German Excel read each line as one column; in a locale with a decimal comma the page says it.
      assert.match(await text(p, "[data-testid=csv-locale-note]"), /Data → From Text\/CSV/);
      // M6: and offers the file such a spreadsheet opens with a double-click: semicolons between
      // fields, decimal commas, the same cells.
      const [semi] = await Promise.all([p.waitForEvent("download"), p.click("[data-testid=csv-semicolons]")]);
      assert.match(semi.suggestedFilename(), /-semicolons\.csv$/);
      const semiPath = join(artifacts, "position-semicolons.csv");
      await semi.saveAs(semiPath);
      const lines = (await readFile(semiPath, "utf8")).slice(1).split("\r\n");
      assert.match(lines[0], /^Product;Licence;Version;Owned;Used;Surplus;Needed;Covered;Shortfall;Unit price \(USD\);Price basis;Cost to close \(USD\);Why$/);
      assert.ok(lines.some((l) => /^Windows Server;User CAL;\d{4};\d+;\d+;\d+;\d+;\d+;\d+;45,00;reference estimate;\d+,00;/.test(l)), lines.join("\n"));
      assert.ok(lines.some((l) => /^Total;;;;;;;;;;;\d+,00;/.test(l)), lines.join("\n"));
      // Review 43: and so are the figures of the explanations, as the page writes them.
      assert.ok(lines.some((l) => /× 45,00\s\$ \(reference estimate\) = [\d.]+,00\s\$/.test(l)), lines.join("\n"));
      assert.ok(!lines.some((l) => /\$\d/.test(l)), lines.join("\n"));
      await p.click("summary:has-text('Unit prices')");
      // The sample's own SharePoint price, and a reference price as the placeholder: "94,00".
      assert.match(await p.inputValue("#price-sharepoint-user"), /^\d+,\d\d$/);
      assert.match(await p.getAttribute("#price-ws-user", "placeholder"), /^\d+,\d\d$/);
      const error = () => p.locator("#price-ws-user-error");
      const original = await text(p, RESULT);
      // German thousands and decimals, and the English way, are both read as 1234.50.
      for (const typed of ["1.234,50", "1,234.50"]) {
        await p.fill("#price-ws-user", typed);
        await p.waitForTimeout(200);
        assert.equal(await error().count(), 0, typed);
      }
      assert.notEqual(await text(p, RESULT), original);
      // Separators that group nothing are refused with a message, and the price goes back to
      // what it was when the edit of the field began.
      await p.fill("#price-ws-user", "1.2.3");
      await p.waitForSelector("#price-ws-user-error");
      assert.match(await error().textContent(), /not a clear price/);
      assert.equal(await p.getAttribute("#price-ws-user", "aria-invalid"), "true");
      await p.waitForTimeout(200);
      assert.equal(await text(p, RESULT), original);
      // Typed key by key, fast (QA: "1.2.3" left 1.20 applied from its prefix "1.2", and text
      // typed faster than the result came back was rewritten: "12,50" became "12,0050").
      await p.fill("#price-ws-user", "");
      await p.waitForTimeout(300);
      const reference = await text(p, RESULT);
      await p.click("#price-ws-user");
      await p.keyboard.type("1.2.3", { delay: 20 });
      await p.waitForTimeout(400);
      assert.equal(await p.inputValue("#price-ws-user"), "1.2.3");
      assert.equal(await error().count(), 1);
      assert.equal(await text(p, RESULT), reference, "a price that is not clear is not applied");
      await p.fill("#price-ws-user", "");
      await p.waitForTimeout(300);
      await p.click("#price-ws-user");
      await p.keyboard.type("12,50", { delay: 20 });
      await p.waitForTimeout(400);
      assert.equal(await p.inputValue("#price-ws-user"), "12,50");
      assert.equal(await error().count(), 0);
      assert.notEqual(await text(p, RESULT), reference);
      await p.keyboard.press("Tab");
      await p.waitForTimeout(300);
      assert.equal(await p.inputValue("#price-ws-user"), "12,50");
      await context.close();
    } finally {
      await b.close();
    }
  });

  // QA: in en-US "12,50" was read as 12.50 without a word. It still is, and the field says so
  // (described by the note) until the text uses the page's own decimal separator.
  it("a price typed with the other decimal separator is applied and the field says how it was read (en-US)", async () => {
    const b = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: CHROMIUM_ARGS, headless: true });
    try {
      const context = await b.newContext({ locale: "en-US", viewport: { width: 1280, height: 900 } });
      const p = await context.newPage();
      await p.goto(server.url("/"));
      await waitForResult(p);
      await p.click("summary:has-text('Unit prices')");
      const field = "#price-ws-user";
      const note = p.locator("#price-ws-user-note");
      await p.fill(field, "12.50");
      await p.waitForTimeout(300);
      const dotted = await text(p, RESULT);
      assert.equal(await note.count(), 0);
      await p.fill(field, "");
      await p.waitForTimeout(300);
      await p.click(field);
      await p.keyboard.type("12,50", { delay: 20 });
      await p.waitForSelector("#price-ws-user-note");
      assert.equal(await note.textContent(), "Read as 12.50 — this page uses “.” for decimals.");
      assert.equal(await p.getAttribute(field, "aria-describedby"), "price-ws-user-note");
      assert.equal(await p.getAttribute(field, "aria-invalid"), null);
      await p.waitForTimeout(300);
      assert.equal(await text(p, RESULT), dotted, "12,50 is applied as 12.50");
      // The page's own separator, or a thousands group, needs no note.
      for (const typed of ["12.50", "2,900"]) {
        await p.fill(field, typed);
        await p.waitForSelector("#price-ws-user-note", { state: "detached" });
        assert.equal(await p.getAttribute(field, "aria-describedby"), null, typed);
      }
      await context.close();
    } finally {
      await b.close();
    }
  });

  it("quick mode's server names are readable at 1280 px and 360 px", async () => {
    const widths = {};
    for (const width of [1280, 360]) {
      await page.setViewportSize({ width, height: 900 });
      widths[width] = await page.locator("#q-server-0-name").evaluate((e) => e.getBoundingClientRect().width);
      assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), true, `${width} px scrolls sideways`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    // About 30 characters: "Intranet and partner extranet" (once 75 px: "Domair").
    assert.ok(widths[1280] >= 250 && widths[360] >= 250, JSON.stringify(widths));
  });

  it("quick mode's server selects show whole product names and versions at 1280, 800, 360 and 320 px", async () => {
    // A select never scrolls (its scrollWidth equals its clientWidth even when it cuts its text),
    // so each option is measured in a copy of the select as wide as its content, beside it.
    const cut = {};
    for (const width of [1280, 800, 360, 320]) {
      await page.setViewportSize({ width, height: 900 });
      cut[width] = await page.$$eval(".server-row select", (selects) =>
        selects.flatMap((select) =>
          [...select.options].flatMap((option) => {
            const copy = select.cloneNode(false);
            copy.removeAttribute("id");
            copy.style.width = "max-content";
            copy.append(new Option(option.textContent));
            select.after(copy);
            const needed = copy.getBoundingClientRect().width;
            copy.remove();
            const has = select.getBoundingClientRect().width;
            return needed > has + 0.5 ? [`${select.id}: “${option.textContent}” needs ${Math.ceil(needed)} px, has ${Math.floor(has)}`] : [];
          }),
        ),
      );
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    // 320 px: the quick card's box is 278 px there, where its one-field-a-line rule never applied
    // and every product select showed "Windows Serve" (review 27).
    assert.deepEqual(cut, { 1280: [], 800: [], 360: [], 320: [] });
    // The whole product name (QA: "Windows Server" was cut, then shortened to "Windows").
    assert.equal(await page.$eval("#q-server-0-product", (s) => s.selectedOptions[0]?.textContent), "Windows Server");
  });

  it("detailed mode's selects and names in the cards show their whole text at 1280, 1000 and 800 px", async () => {
    // QA 1 Dec: at 1280 px "Who they are" cut "Anonymous internet visitors (no CAL)" and
    // "Offsite contractors (external)", an owned lot's product "Exchange Enterprise (additive)",
    // and "Bought through" its "Enterprise Agreement / EAS / SCE". Measured as quick mode's are;
    // at 360 px by the test after this one.
    await onFirstVisit(server, async (p) => {
      await p.click(".mode-switch >> text=Detailed");
      await openCards(p);
      const cut = {};
      for (const width of [1280, 1000, 800]) {
        await p.setViewportSize({ width, height: 900 });
        cut[width] = await p.$$eval(".field-grid select", (selects) =>
          selects.flatMap((select) => {
            const copy = select.cloneNode(false);
            copy.removeAttribute("id");
            copy.style.width = "max-content";
            copy.append(new Option(select.selectedOptions[0]?.textContent ?? ""));
            select.after(copy);
            const needed = copy.getBoundingClientRect().width;
            copy.remove();
            const has = select.getBoundingClientRect().width;
            return needed > has + 0.5 ? [`${select.id}: “${select.selectedOptions[0]?.textContent}” needs ${Math.ceil(needed)} px, has ${Math.floor(has)}`] : [];
          }),
        );
      }
      assert.ok((await p.locator(".field-grid select").count()) > 20, "the sample's cards have selects");
      assert.deepEqual(cut, { 1280: [], 1000: [], 800: [] });
      // Nor do the cards' name fields cut the sample's names (a text field scrolls, so its
      // scrollWidth tells): a column of 11rem showed "Legal and complian" (QA).
      const names = {};
      for (const width of [1280, 1000, 800]) {
        await p.setViewportSize({ width, height: 900 });
        names[width] = await p.$$eval(".field-grid input[id$=-name]", (inputs) =>
          inputs.filter((i) => i.scrollWidth > i.clientWidth).map((i) => `${i.id}: “${i.value}”`),
        );
      }
      assert.ok((await p.locator(".field-grid input[id$=-name]").count()) > 20, "the sample's cards have names");
      assert.deepEqual(names, { 1280: [], 1000: [], 800: [] });
    });
  });

  it("at 360 px no select cuts its choice, nor any other it offers, in quick and detailed mode", async () => {
    // QA: at 360 px "Who they are" cut "Anonymous internet visitors (no CAL)", an owned lot's
    // product "Exchange Enterprise (additive)" and "Bought through" its "Enterprise Agreement /
    // EAS / SCE". A select's scrollWidth equals its clientWidth even when it cuts its text, so
    // each choice is measured in a copy of the select as wide as its content, beside it.
    await onFirstVisit(server, async (p) => {
      const cut = {};
      let measured = 0;
      for (const mode of ["Quick", "Detailed"]) {
        await p.click(`.mode-switch >> text=${mode}`);
        await p.waitForSelector(`section.${mode.toLowerCase()}`);
        await openCards(p);
        const found = await p.$$eval("select", (selects) =>
          selects
            .filter((select) => select.getClientRects().length > 0)
            .map((select) => {
              const has = select.getBoundingClientRect().width;
              const chosen = select.selectedOptions[0]?.textContent ?? "";
              const over = [...select.options].flatMap((option) => {
                const copy = select.cloneNode(false);
                copy.removeAttribute("id");
                copy.style.width = "max-content";
                copy.append(new Option(option.textContent));
                select.after(copy);
                const needed = copy.getBoundingClientRect().width;
                copy.remove();
                const which = option.textContent === chosen ? "chosen" : "offered";
                return needed > has + 0.5 ? [`${select.id}: ${which} “${option.textContent}” needs ${Math.ceil(needed)} px, has ${Math.floor(has)}`] : [];
              });
              return over;
            }),
        );
        measured += found.length;
        cut[mode] = found.flat();
      }
      assert.ok(measured > 40, `${measured} selects measured`);
      assert.deepEqual(cut, { Quick: [], Detailed: [] });
    }, { viewport: { width: 360, height: 800 } });
  });

  it("the page never scrolls sideways between phone and desktop widths, in either mode", async () => {
    // QA 1 Dec: at 800 and 700 px the position's ten columns ran 54 and 154 px past the window,
    // and in detailed mode at 1000 px the purchase's (45 px); the tables stacked only below 560 px.
    await onFirstVisit(server, async (p) => {
      const scrolls = {};
      for (const mode of ["Quick", "Detailed"]) {
        await p.click(`.mode-switch >> text=${mode}`);
        for (const width of [1000, 800, 700, 360, 320]) {
          await p.setViewportSize({ width, height: 900 });
          const by = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          if (by > 0) scrolls[`${mode} at ${width} px`] = by;
        }
      }
      assert.deepEqual(scrolls, {});
    });
  });

  it("chart text is at least 14 px on screen at 360 px", async () => {
    await onFirstVisit(server, async (p) => {
      const sizes = await p.evaluate(() => {
        const svgText = [...document.querySelectorAll("svg[role=img] text")].map((t) => {
          const svg = t.ownerSVGElement;
          const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
          return parseFloat(getComputedStyle(t).fontSize) * scale;
        });
        const bars = [...document.querySelectorAll(".bars .bar-label, .bars .bar-value")].map((e) => parseFloat(getComputedStyle(e).fontSize));
        return { svgText, bars };
      });
      assert.ok(sizes.svgText.length > 0 && sizes.bars.length > 0, JSON.stringify(sizes));
      assert.ok(Math.min(...sizes.svgText, ...sizes.bars) >= 14, JSON.stringify(sizes));
    }, { viewport: { width: 360, height: 800 } });
  });

  it("axe-core finds no serious or critical violation in detailed mode, light and dark", async () => {
    const axe = await readFile(join(root, "node_modules", "axe-core", "axe.min.js"), "utf8");
    const p = await browser.context.newPage();
    try {
      const found = [];
      for (const colorScheme of ["light", "dark"]) {
        await p.emulateMedia({ colorScheme });
        await p.goto(server.url("/"));
        await waitForResult(p);
        await p.click(".mode-switch >> text=Detailed");
        // Open every disclosure so what they hold is checked too.
        await p.evaluate(() => document.querySelectorAll("details").forEach((d) => (d.open = true)));
        await p.evaluate(axe);
        const violations = await p.evaluate(async () => {
          const result = await window.axe.run(document, { resultTypes: ["violations"] });
          return result.violations
            .filter((v) => v.impact === "serious" || v.impact === "critical")
            .map((v) => `${v.impact}: ${v.id} (${v.help}) at ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
        });
        found.push(...violations.map((v) => `${colorScheme}: ${v}`));
      }
      assert.deepEqual(found, []);
    } finally {
      await p.close();
    }
  });

  it("embed mode is compact and shows only the products asked for, in the currency asked for", async () => {
    const p = await browser.context.newPage();
    try {
      await p.goto(server.url("/?embed&preset=g4-rds-additive&products=rds&currency=EUR&price.rds-user=15000&price.ws-user=4000"));
      await waitForResult(p);
      assert.deepEqual(await p.locator("article.product").evaluateAll((a) => a.map((x) => x.dataset.product)), ["rds"]);
      assert.equal(await p.locator(".keep, .embed-panel, .prices").count(), 0);
      assert.match(await text(p, RESULT), /€/);
      // The total is that of the products shown, and the whole purchase is named beside it.
      const costs = await p.locator("table.lines tbody td[data-label=Cost]").allTextContents();
      assert.equal(costs.length, 1);
      assert.equal((await text(p, "[data-testid=total]")).trim(), costs[0].trim());
      assert.match(await text(p, "[data-testid=total-all]"), /All products of the estate together: .*€/);
      assert.equal(await p.locator(".summary-bar").count(), 0);
      // The preset must not overwrite the visitor's own saved estate.
      const saved = await p.evaluate(() => localStorage.getItem("cal-calc.estate.v1") ?? "");
      assert.ok(!saved.includes("G4"), "embed mode autosaved its preset");
    } finally {
      await p.close();
    }
  });

  it("embed mode posts only its height, only to parentOrigin", async () => {
    // A host page on another origin (a second local server) frames the calculator.
    const hostDir = join(artifacts, "host");
    await mkdir(hostDir, { recursive: true });
    await writeFile(join(hostDir, "index.html"), "<!doctype html><title>host</title><p>host page</p>");
    const hostServer = await serve(hostDir);
    const host = await browser.context.newPage();
    try {
      await host.goto(hostServer.url("/"));
      const src = server.url(`/?embed&preset=sample&parentOrigin=${encodeURIComponent(hostServer.origin)}`);
      const messages = await host.evaluate(async (src) => {
        const got = [];
        window.addEventListener("message", (e) => got.push({ origin: e.origin, data: e.data }));
        const frame = document.createElement("iframe");
        frame.src = src;
        frame.width = "400";
        document.body.append(frame);
        await new Promise((ok) => setTimeout(ok, 5000));
        return got;
      }, src);
      assert.ok(messages.length > 0, "at least one height message");
      for (const m of messages) {
        assert.equal(m.origin, server.origin);
        assert.deepEqual(Object.keys(m.data).sort(), ["height", "type"]);
        assert.equal(m.data.type, "cal-calc:height");
        assert.ok(Number.isInteger(m.data.height) && m.data.height > 0);
      }
    } finally {
      await host.close();
      await hostServer.close();
    }
  });
});

describe("ui review 14", () => {
  let server;

  before(async () => {
    server = await serve();
  });

  after(async () => {
    await server?.close();
  });

  it("one click on a second why opens it and closes the first", async () => {
    // QA: the open "why" closed as the second was pressed, the table moved up under the pointer
    // and the click landed elsewhere: a second "why?" took two clicks.
    await onFirstVisit(server, async (p) => {
      // The total's then a row's (the table moved up), a product's figures (an open figure spans
      // its card's row), two findings (their list moved).
      for (const where of ["section.recommendation", "article.product[data-product=ws]", "section.findings"]) {
        const whys = p.locator(`${where} details.why`);
        assert.ok((await whys.count()) >= 2, `${where} has whys`);
        await whys.nth(0).locator("summary").click();
        assert.equal(await whys.nth(0).evaluate((d) => d.open), true, `${where}: the first why opens`);
        await whys.nth(1).locator("summary").click({ timeout: 5000 });
        const open = await p.locator("details.why").evaluateAll((ds) => ds.filter((d) => d.open).length);
        assert.equal(await whys.nth(1).evaluate((d) => d.open), true, `${where}: one click opens the second why`);
        assert.equal(open, 1, `${where}: the first closed`);
        await whys.nth(1).locator("summary").click();
      }
      // Focus moving on still closes an open why.
      const why = p.locator("table.lines td.why-cell details.why").first();
      await why.locator("summary").click();
      await p.locator("#q-employees").click();
      assert.equal(await why.evaluate((d) => d.open), false);
    });
  });

  it("an estate with no servers says what to add, neither compliant nor with a chart", async () => {
    // QA: "Start empty" and 100 employees showed in green "Nothing to buy: what you own covers
    // every access entered" and six $0 bars.
    await onFirstVisit(server, async (p) => {
      await p.getByRole("button", { name: "Start empty" }).click();
      await p.fill("#q-employees", "100");
      await p.waitForSelector("[data-testid=nothing-entered]");
      assert.match(await text(p, "[data-testid=nothing-entered]"), /add the people and the servers they use/);
      assert.equal(await p.locator(".recommendation .ok").count(), 0);
      assert.equal(await p.locator("section.findings .ok").count(), 0, "no findings is no sign of compliance either");
      assert.equal(await p.locator("#cost-chart-title").count(), 0);
      await p.screenshot({ path: join(artifacts, "nothing-entered-1280.png") });
      // A server everyone uses makes it a purchase again, with its chart.
      await p.getByRole("button", { name: "Add a server" }).click();
      await p.waitForSelector("#cost-chart-title");
      assert.equal(await p.locator("[data-testid=nothing-entered]").count(), 0);
    });
  });

  it("a check box's label wraps beside its box, at 360 and 1280 px", async () => {
    // QA: a label that wrapped went under its box, which then read as the row above's.
    await onFirstVisit(server, async (p) => {
      await p.click(".mode-switch >> text=Detailed");
      await openCards(p);
      const apart = {};
      const measured = {};
      for (const width of [360, 1280]) {
        await p.setViewportSize({ width, height: 900 });
        [apart[width], measured[width]] = await p.$$eval(".field.check", (fields) => {
          const shown = fields.filter(
            (f) =>
              f.querySelector("input").getBoundingClientRect().width > 0 &&
              f.querySelector("label").getBoundingClientRect().width > 0,
          );
          const wrong = shown.flatMap((f) => {
            const box = f.querySelector("input").getBoundingClientRect();
            const label = f.querySelector("label").getBoundingClientRect();
            const beside = box.right <= label.left && box.top < label.bottom && box.bottom > label.top;
            return beside ? [] : [f.querySelector("label").textContent];
          });
          return [wrong, shown.length];
        });
      }
      // The sample's open cards show 548 check boxes at both widths; a margin for sample edits.
      for (const width of [360, 1280]) {
        assert.ok(measured[width] > 500, `only ${measured[width]} check boxes measured at ${width} px`);
      }
      assert.deepEqual(apart, { 360: [], 1280: [] });
    });
  });

  it("the source tags are explained in words beside the findings and the rules", async () => {
    // QA: "[3P]", "[MS via 3P]" were explained only by a tooltip.
    await onFirstVisit(server, async (p) => {
      const terms = ["[MS-PT]", "[MS]", "[LS]", "[3P]", "[derived]", "via 3P"];
      const legend = p.locator("section.findings [data-testid=confidence-legend]");
      assert.ok(await legend.isVisible(), "a legend in Findings");
      const findings = await legend.textContent();
      for (const t of terms) assert.ok(findings.includes(t), `Findings' legend explains ${t}: ${findings}`);
      const why = p.locator("article.product[data-product=ws] details.why").first();
      await why.locator("summary").click();
      assert.ok(await why.locator("[data-testid=confidence-legend]").isVisible(), "a legend under a why's rules");
      await why.locator("summary").click();
    });
  });

  it("a reference price in an empty price field reads as a suggestion, not a value", async () => {
    // QA: the greyed reference prices in the fields looked like entered values.
    await onFirstVisit(server, async (p) => {
      await p.locator(".price-details > summary").click();
      const field = p.locator(".price-table input[placeholder]:placeholder-shown").first();
      assert.ok((await field.getAttribute("placeholder"))?.length > 0, "an empty field shows a reference price");
      const [typed, placeholder] = await field.evaluate((i) => [getComputedStyle(i).fontStyle, getComputedStyle(i, "::placeholder").fontStyle]);
      assert.equal(typed, "normal");
      assert.equal(placeholder, "italic");
    });
  });

  it("printed from a dark-mode system, findings keep the light theme's colours", async () => {
    // QA: "CRITICAL" printed pale pink on white, and dark red or navy behind black text.
    await onFirstVisit(server, async (p) => {
      await p.emulateMedia({ media: "print", colorScheme: "dark" });
      const colours = await p.$$eval(".finding", (items) => {
        const rgb = (c) => c.match(/[\d.]+/g).slice(0, 3).map(Number);
        const lum = (c) => {
          const [r, g, b] = rgb(c).map((v) => v / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
          return 0.2126 * r + 0.7152 * g + 0.0722 * b;
        };
        return items.map((f) => ({
          kind: f.className,
          background: lum(getComputedStyle(f).backgroundColor),
          badge: (1 + 0.05) / (lum(getComputedStyle(f.querySelector(".badge")).color) + 0.05),
        }));
      });
      await p.emulateMedia({ media: null, colorScheme: null });
      assert.ok(colours.length > 0, "the sample has findings");
      const bad = colours.filter((c) => c.background < 0.8 || c.badge < 4.5);
      assert.deepEqual(bad, [], "dark backgrounds or pale badges in print");
    });
  });

  it("the result offers Share link, Export and Print beside its heading, by keyboard too", async () => {
    // UI review: the actions that keep and share the work were far down the editor column,
    // away from the result the user was reading.
    for (const viewport of [{ width: 1280, height: 800 }, { width: 360, height: 740 }]) {
      await onFirstVisit(server, async (p) => {
        const card = p.locator("section.recommendation");
        const row = card.locator("[data-testid=result-actions]");
        const names = await row.locator("button").evaluateAll((bs) => bs.map((b) => b.getAttribute("aria-label") ?? b.textContent.trim()));
        assert.deepEqual(names, ["Copy share link", "Export the estate (JSON)", "Export the Effective License Position as CSV", "Print the result"]);
        // Beside the heading: the row starts no lower than the heading's foot, and within the card.
        const [head, box, cardBox] = [await card.locator("h2").boundingBox(), await row.boundingBox(), await card.boundingBox()];
        assert.ok(box.y < head.y + head.height + 60, `the row (${box.y}) by the heading (${head.y})`);
        for (const b of await row.locator("button").evaluateAll((bs) => bs.map((x) => x.getBoundingClientRect().toJSON()))) {
          assert.ok(b.right <= cardBox.x + cardBox.width + 0.5 && b.left >= cardBox.x - 0.5, `${viewport.width}: a button out of its card`);
        }
        // Keyboard: Tab reaches the buttons from the heading's "why" area, the focus shows, Enter acts.
        await p.evaluate(() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; });
        await row.locator("button").first().focus();
        await p.keyboard.press("Shift+Tab");
        await p.keyboard.press("Tab");
        const outline = await p.evaluate(() => {
          const a = document.activeElement;
          return [a?.getAttribute("aria-label"), getComputedStyle(a).outlineStyle, parseFloat(getComputedStyle(a).outlineWidth)];
        });
        assert.deepEqual(outline.slice(0, 2), ["Copy share link", "solid"]);
        assert.ok(outline[2] >= 2, "a visible focus ring");
        await p.keyboard.press("Enter");
        await p.waitForFunction(() => /Share link copied/.test(document.querySelector("[data-testid=notice]")?.textContent ?? ""));
        // Its notice shows in the window, the button still in view (at 360 px the notice's place
        // is above the result).
        const inView = await p.evaluate(() => [document.querySelector("[data-testid=notice]"), document.activeElement]
          .map((e) => e.getBoundingClientRect()).every((r) => r.top >= 0 && r.bottom <= innerHeight));
        assert.ok(inView, `${viewport.width}: the notice and the button in the window`);
        // The Keep panel's own handler ran: its field shows the link made.
        assert.match(await p.inputValue("#share-link"), /#e1\.[A-Za-z0-9_-]+&mode=/);
        await p.keyboard.press("Tab");
        const [download] = await Promise.all([p.waitForEvent("download"), p.keyboard.press("Enter")]);
        assert.match(download.suggestedFilename(), /\.estate\.json$/);
        // CSV: the same file as the position's own Export CSV gives.
        await p.keyboard.press("Tab");
        const [csv] = await Promise.all([p.waitForEvent("download"), p.keyboard.press("Enter")]);
        const [own] = await Promise.all([p.waitForEvent("download"), p.click("section.position button:has-text('Export CSV')")]);
        assert.match(csv.suggestedFilename(), /-license-position-\d{4}-\d{2}-\d{2}\.csv$/);
        assert.equal(csv.suggestedFilename(), own.suggestedFilename());
        const [rowCsv, ownCsv] = [await readFile(await csv.path(), "utf8"), await readFile(await own.path(), "utf8")];
        assert.match(rowCsv, /^\ufeffProduct,Licence,Version,/);
        assert.equal(rowCsv, ownCsv);
        await row.locator("button").nth(2).focus();
        await p.keyboard.press("Tab");
        await p.keyboard.press("Enter");
        // The dialog opens a moment after the button announces the print (the folded
        // break-evens draw first).
        await p.waitForFunction(() => window.__printed === 1, null, { timeout: 5_000 });
        await p.waitForTimeout(300);
        assert.equal(await p.evaluate(() => window.__printed), 1);
        await p.emulateMedia({ media: "print" });
        assert.equal(await row.isVisible(), false, "hidden in print");
        await p.emulateMedia({ media: null });
      }, { viewport });
    }
  });

  it("a notice never covers a row of What to buy (1280x800, 360x740, light and dark)", async () => {
    // UI review: at 1280 px the floating notice hid the purchase's last rows.
    for (const [viewport, colorScheme] of [[{ width: 1280, height: 800 }, "light"], [{ width: 360, height: 740 }, "dark"], [{ width: 1280, height: 800 }, "dark"], [{ width: 360, height: 740 }, "light"]]) {
      await onFirstVisit(server, async (p) => {
        await p.emulateMedia({ colorScheme });
        await p.locator("section.keep button", { hasText: "Copy share link" }).click();
        await p.waitForSelector("[data-testid=notice]");
        const rows = p.locator("section.recommendation table.lines tbody tr");
        assert.ok((await rows.count()) > 1, "the sample buys several licences");
        const covered = [];
        // Each row in turn at the window's foot, where a floating notice sits, then at its top.
        for (const block of ["end", "start", "center"]) {
          for (let k = 0; k < (await rows.count()); k += 1) {
            await rows.nth(k).evaluate((r, b) => r.scrollIntoView({ block: b }), block);
            const [n, r] = await Promise.all([p.locator("[data-testid=notice]").boundingBox(), rows.nth(k).boundingBox()]);
            const apart = n.x + n.width <= r.x || r.x + r.width <= n.x || n.y + n.height <= r.y || r.y + r.height <= n.y;
            if (!apart) covered.push(`${viewport.width} ${colorScheme} row ${k} at ${block}`);
          }
        }
        await p.locator("section.recommendation table.lines tbody tr").last().evaluate((r) => r.scrollIntoView({ block: "end" }));
        await p.screenshot({ path: join(artifacts, `notice-${viewport.width}-${colorScheme}.png`) });
        assert.deepEqual(covered, []);
      }, { viewport });
    }
  });

  it("focus moving to a notice's Undo leaves the page where it was", async () => {
    // The notice sticks at the editor column's foot: focus on its Undo must not scroll the page
    // to where it sits in flow, 2,000 px below (it did while the page kept a scroll padding for it).
    await onFirstVisit(server, async (p) => {
      await p.focus("button[aria-label='Remove server File server']");
      const before = await p.evaluate(() => scrollY);
      await p.keyboard.press("Enter");
      await p.waitForFunction(() => document.activeElement?.dataset.testid === "undo");
      const after = await p.evaluate(() => scrollY);
      // The removed row's height at most.
      assert.ok(Math.abs(after - before) < 200, `scrolled from ${before} to ${after}`);
      const box = await p.locator("[data-testid=notice]").boundingBox();
      assert.ok(box.y >= 0 && box.y + box.height <= 900, "the notice in the window");
    });
  });

  it("the total's why? stays where it is when opened, its explanation opens below", async () => {
    // UI review: opening it moved the link onto a line of its own.
    for (const viewport of [{ width: 1280, height: 800 }, { width: 360, height: 740 }]) {
      await onFirstVisit(server, async (p) => {
        const why = p.locator("section.recommendation .total details.why");
        const summary = why.locator("summary");
        // Where on the page (not in the window: a click may scroll it into view).
        const onPage = (l) => l.evaluate((e) => {
          const r = e.getBoundingClientRect();
          return { x: r.x + scrollX, y: r.y + scrollY, width: r.width, height: r.height };
        });
        await summary.scrollIntoViewIfNeeded();
        const before = await onPage(summary);
        const figure = await onPage(p.locator("[data-testid=total]"));
        await summary.click();
        await why.locator(".why-body").waitFor();
        const after = await onPage(summary);
        const body = await onPage(why.locator(".why-body"));
        await p.screenshot({ path: join(artifacts, `why-open-${viewport.width}.png`) });
        for (const k of ["x", "y", "width", "height"]) {
          assert.ok(Math.abs(after[k] - before[k]) < 0.5, `${viewport.width}: the link's ${k} ${before[k]} → ${after[k]}`);
        }
        assert.deepEqual(await onPage(p.locator("[data-testid=total]")), figure);
        assert.ok(body.y >= after.y + after.height - 0.5, "the explanation opens below the link");
      }, { viewport });
    }
  });

  it("an applied import's notice and its Restore show in the window, by the import panel", async () => {
    // QA: the notice stood at the editor column's foot, far above the import panel's Apply
    // button: the user saw neither it nor its Restore.
    for (const viewport of [{ width: 1280, height: 800 }, { width: 360, height: 740 }]) {
      await onFirstVisit(server, async (p) => {
        await p.setInputFiles("#import-files", join(root, "www", "samples", "ad-users.csv"));
        await p.waitForFunction(() => document.querySelectorAll(".import-file-meta, .import-failed").length >= 1, null, { timeout: 30_000 });
        // Counted as of the day the sample was made: as of today it counts no one, and applying
        // it changes nothing (no notice then).
        await p.fill(".import-options input[type=date]", "2025-06-30");
        await p.dispatchEvent(".import-options input[type=date]", "change");
        await p.waitForFunction(() => document.querySelector("#import-funnel-accounts tbody tr:last-child")?.dataset.remaining === "39");
        await p.waitForSelector("#import-apply:not([disabled])");
        await p.locator("#import-apply").scrollIntoViewIfNeeded();
        await p.click("#import-apply");
        await p.waitForFunction(() => /Import applied/.test(document.querySelector("[data-testid=notice]")?.textContent ?? ""));
        await waitForResult(p);
        // After the layout has settled (the result and the panel re-render).
        await p.waitForTimeout(300);
        const inWindow = (l) => l.evaluate((e) => {
          const r = e.getBoundingClientRect();
          return r.width > 0 && r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth;
        });
        const notice = p.locator("[data-testid=notice]");
        const restore = notice.locator("button", { hasText: "Restore the previous estate" });
        await p.screenshot({ path: join(artifacts, `import-notice-${viewport.width}.png`) });
        assert.ok(await inWindow(notice), `${viewport.width}: the notice in the window`);
        assert.ok(await restore.isVisible(), `${viewport.width}: Restore offered`);
        assert.ok(await inWindow(restore), `${viewport.width}: Restore in the window`);
        // Restore's own confirmation shows in the same place.
        await restore.click();
        await p.waitForFunction(() => /previous estate is back/.test(document.querySelector("[data-testid=notice]")?.textContent ?? ""));
        await p.waitForTimeout(300);
        assert.ok(await inWindow(notice), `${viewport.width}: Restore's notice in the window`);
      }, { viewport });
    }
  });

  it("a notice that is not the import's shows in the window of a user at the import panel, once", async () => {
    // QA: a notice raised while the user was at the import panel (a share link pasted into the
    // address bar, another tab's save) stood at the editor column's foot, above the window.
    const inWindow = (l) => l.evaluate((e) => {
      const r = e.getBoundingClientRect();
      return r.width > 0 && r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth;
    });
    for (const [viewport, colorScheme] of [[{ width: 1280, height: 800 }, "light"], [{ width: 360, height: 740 }, "dark"], [{ width: 1280, height: 800 }, "dark"], [{ width: 360, height: 740 }, "light"]]) {
      await onFirstVisit(server, async (p) => {
        await p.emulateMedia({ colorScheme });
        // A long panel: files read, the review open, the user at its Apply button.
        await p.setInputFiles("#import-files", join(root, "www", "samples", "ad-users.csv"));
        await p.waitForSelector("#import-apply:not([disabled])", { timeout: 30_000 });
        await p.locator("#import-apply").evaluate((b) => b.scrollIntoView({ block: "center" }));
        const at = await p.evaluate(() => scrollY);
        // A share link pasted into the address bar that does not open.
        await p.evaluate(() => { location.hash = "e1.not-a-share-link"; });
        await p.waitForFunction(() => /not opened/.test(document.querySelector("[data-testid=notice]")?.textContent ?? ""));
        await p.waitForTimeout(300);
        const notice = p.locator("[data-testid=notice]");
        await p.screenshot({ path: join(artifacts, `notice-at-import-${viewport.width}-${colorScheme}.png`) });
        const where = `${viewport.width} ${colorScheme}`;
        assert.ok(await inWindow(notice), `${where}: the notice in the window`);
        assert.ok(await inWindow(notice.locator("button", { hasText: "Dismiss" })), `${where}: its Dismiss in the window`);
        assert.equal(await p.evaluate(() => scrollY), at, `${where}: the page stays where it was`);
        // One notice, in one live region: announced once.
        assert.equal(await p.evaluate(() => [...document.querySelectorAll("[aria-live]")].filter((r) => r.querySelector("[data-testid=notice]")).length), 1);
        assert.equal(await p.locator("[data-testid=notice]").count(), 1);
        // Not on paper.
        await p.emulateMedia({ media: "print" });
        assert.equal(await notice.isVisible(), false, `${where}: not printed`);
        await p.emulateMedia({ media: null });
        // Dismissed with the keyboard, it goes.
        await notice.locator("button", { hasText: "Dismiss" }).focus();
        await p.keyboard.press("Enter");
        await p.waitForFunction(() => !document.querySelector("[data-testid=notice]"));

        // Another tab's save, while this one is at the import panel.
        const other = await p.context().newPage();
        await other.goto(server.url("/"));
        await waitForResult(other);
        await other.fill("#q-employees", "1234");
        await p.waitForFunction(() => /another tab/.test(document.querySelector("[data-testid=notice]")?.textContent ?? ""), null, { timeout: 10_000 });
        await other.close();
        await p.waitForTimeout(300);
        assert.ok(await inWindow(notice), `${where}: another tab's notice in the window`);
        assert.ok(await inWindow(notice.locator("button", { hasText: "Restore the previous estate" })), `${where}: its Restore in the window`);
        await notice.locator("button", { hasText: "Dismiss" }).click();
        await p.waitForFunction(() => !document.querySelector("[data-testid=notice]"));

        // Below the import panel too, at the findings.
        await p.locator("section.findings").evaluate((s) => s.scrollIntoView({ block: "start" }));
        await p.evaluate(() => { location.hash = "e1.still-not-a-share-link"; });
        await p.waitForFunction(() => /not opened/.test(document.querySelector("[data-testid=notice]")?.textContent ?? ""));
        await p.waitForTimeout(300);
        await p.screenshot({ path: join(artifacts, `notice-below-import-${viewport.width}-${colorScheme}.png`) });
        assert.ok(await inWindow(notice), `${where}: at the findings, the notice in the window`);
        assert.ok(await inWindow(notice.locator("button", { hasText: "Dismiss" })), `${where}: at the findings, its Dismiss in the window`);
        await p.emulateMedia({ media: "print" });
        assert.equal(await notice.isVisible(), false, `${where}: at the findings, not printed`);
        await p.emulateMedia({ media: null });
      }, { viewport });
    }
  });
});

describe("the date of an open page", () => {
  // Surfaces review 26: the date was read once, when the page opened, so a tab left open past
  // midnight kept evaluating (and naming its files, and judging Software Assurance) as of the day
  // before, while a tab opened after midnight on the same saved estate gave another position.
  it("moves to the next day at midnight without an edit or a reload", async () => {
    const browser = await launch({ timezoneId: "Europe/Berlin" });
    const server = await serve();
    try {
      await browser.context.clock.install({ time: new Date("2026-12-03T22:58:30Z") }); // 23:58:30 in Berlin
      const page = browser.context.pages()[0] ?? (await browser.context.newPage());
      await page.goto(server.url("/"));
      await waitForResult(page);
      // "(today)": the estate sets no count date of its own (ELP review 42).
      assert.match(await text(page, "p.as-of"), /as of 2026-12-03 \(today\)/);
      await page.clock.fastForward("03:00");
      await page.waitForFunction(() => /as of 2026-12-04 \(today\)/.test(document.querySelector("p.as-of")?.textContent ?? ""), null, { timeout: 10_000 });
      await waitForResult(page);
      assert.match(await text(page, "[data-testid=total]"), /\d/);
    } finally {
      await browser.close();
      await server.close();
    }
  });
});

/**
 * The focused element's text, its outline style, and the class of each ancestor whose overflow
 * cuts its focus ring (the outline's width and offset around its box).
 */
function focusRing(p) {
  return p.evaluate(() => {
    const a = document.activeElement;
    const style = getComputedStyle(a);
    const pad = Math.max(0, parseFloat(style.outlineWidth) + parseFloat(style.outlineOffset));
    const r = a.getBoundingClientRect();
    const ring = { left: r.left - pad, right: r.right + pad, top: r.top - pad, bottom: r.bottom + pad };
    const out = [];
    for (let e = a.parentElement; e && e !== document.body; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.overflowX === "visible" && s.overflowY === "visible") continue;
      const b = e.getBoundingClientRect();
      if (ring.left < b.left - 0.5 || ring.right > b.right + 0.5 || ring.top < b.top - 0.5 || ring.bottom > b.bottom + 0.5) out.push(e.className);
    }
    return [a.getAttribute("aria-label") || a.id || a.textContent.trim(), style.outlineStyle, out];
  });
}

describe("review 27: reflow, forced colours and the notice's clearance", () => {
  let server;
  before(async () => {
    server = await serve();
  });
  after(async () => {
    await server?.close();
  });

  it("a control reached by Tab while a tall notice is up is never under it (360x740, 1280x800)", async () => {
    // Review 27: the share link's notice is 173-219 px tall, and a fixed 9rem clearance left
    // "Start over with the sample" (360 px) and "Embed this calculator" (1280 px) wholly under it.
    for (const viewport of [{ width: 360, height: 740 }, { width: 1280, height: 800 }]) {
      await onFirstVisit(server, async (p) => {
        await p.evaluate(() => Object.defineProperty(navigator, "clipboard", { value: { writeText: () => Promise.resolve() } }));
        await p.locator("button:text-is('Copy share link')").focus();
        await p.keyboard.press("Enter");
        const notice = p.locator("[data-testid=notice]");
        await notice.waitFor({ state: "visible" });
        const height = (await notice.boundingBox()).height;
        assert.ok(height > 144, `${viewport.width}: a notice taller than the old 9rem (${height} px)`);
        const under = [];
        for (let k = 0; k < 12; k++) {
          await p.keyboard.press("Tab");
          const [label, overlap] = await p.evaluate(() => {
            const a = document.activeElement;
            const n = document.querySelector("[data-testid=notice]");
            if (!a || !n || n.contains(a)) return [null, 0];
            const [r, m] = [a.getBoundingClientRect(), n.getBoundingClientRect()];
            return [a.getAttribute("aria-label") ?? a.textContent.trim().slice(0, 40) ?? a.id, Math.max(0, Math.min(r.bottom, m.bottom) - Math.max(r.top, m.top))];
          });
          if (label !== null && overlap > 0.5) under.push(`${label}: ${overlap} px under the notice`);
        }
        assert.deepEqual(under, [], `${viewport.width} px`);
      }, { viewport });
    }
  });

  it("at 400 % zoom (320 x 225) with a notice up, at least half the window shows the page", async () => {
    // Review 27: the sticky summary bar (55 px) and the notice (112 px) left 58 of the 225 px.
    await onFirstVisit(server, async (p) => {
      const remove = p.locator("button", { hasText: /^Remove/ }).first();
      await remove.scrollIntoViewIfNeeded();
      await remove.click();
      await p.locator(".notice.floating").waitFor({ state: "visible" });
      const free = [];
      for (const y of [400, 1200, 2400]) {
        await p.evaluate((y) => window.scrollTo(0, y), y);
        free.push(
          await p.evaluate(() => {
            // What stays put over the page (sticky or fixed) takes its part of the window.
            let covered = 0;
            for (const e of document.querySelectorAll(".summary-bar, .notice.floating")) {
              // A notice in its place sticks by its slot; a pinned one is fixed itself.
              const slot = e.closest(".notice-slot");
              const own = getComputedStyle(e).position;
              const position = own === "static" && slot ? getComputedStyle(slot).position : own;
              if (!["sticky", "fixed"].includes(position)) continue;
              const r = e.getBoundingClientRect();
              covered += Math.max(0, Math.min(r.bottom, innerHeight) - Math.max(r.top, 0));
            }
            return Math.round(innerHeight - covered);
          }),
        );
      }
      assert.ok(free.every((f) => f >= 225 / 2), `free px of the 225 at three scroll positions: ${free}`);
      // The notice's own buttons can still be reached in it.
      await p.locator(".notice.floating button", { hasText: "Undo" }).click();
      await p.locator(".notice.floating").waitFor({ state: "visible" });
    }, { viewport: { width: 320, height: 225 } });
  });

  it("the mode switch shows which mode is on and its whole focus ring, in forced colours too", async () => {
    // Review 27: forced colours made both buttons Canvas, and the switch's overflow: hidden clipped
    // the focus ring to a sliver between them.
    await onFirstVisit(server, async (p) => {
      for (const forcedColors of ["none", "active"]) {
        await p.emulateMedia({ forcedColors });
        const [on, off] = await p.$$eval(".mode-switch button", (bs) =>
          bs.sort((a, b) => b.classList.contains("active") - a.classList.contains("active")).map((b) => getComputedStyle(b).backgroundColor));
        assert.notEqual(on, off, `forced colours ${forcedColors}: the mode on differs from the other`);
        for (const name of ["Quick", "Detailed"]) {
          await p.locator(`.mode-switch button:text-is('${name}')`).focus();
          await p.keyboard.press("Shift+Tab");
          await p.keyboard.press("Tab");
          const [label, ring, cut] = await focusRing(p);
          assert.deepEqual([label, ring, cut], [name, "solid", []], `forced colours ${forcedColors}`);
        }
      }
    });
  });

  it("the embed at 320 px keeps every product card inside its frame", async () => {
    // Review 27: in a 272 px frame the cards' 17rem column ran 21 px past it, the frame as tall as
    // its content, so its own sideways scroll bar was 29,000 px down.
    const browser = await launch({ viewport: { width: 320, height: 640 } });
    try {
      const page = browser.context.pages()[0] ?? (await browser.context.newPage());
      await page.goto(server.url("/embed-example.html"));
      // The frame loads lazily: bring it into the window first.
      await page.locator("iframe.cal-calc-embed").scrollIntoViewIfNeeded();
      const frame = page.frameLocator("iframe.cal-calc-embed");
      await frame.locator(RESULT).waitFor({ state: "visible", timeout: 20_000 });
      const inner = page.frames().find((f) => f !== page.mainFrame());
      const [scroll, client, cards] = await inner.evaluate(() => [
        document.documentElement.scrollWidth,
        document.documentElement.clientWidth,
        [...document.querySelectorAll("article.product")].filter((c) => c.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5).length,
      ]);
      assert.ok(await inner.locator("article.product").count() > 0, "product cards shown");
      assert.deepEqual([scroll <= client, cards], [true, 0], `frame ${client} px, content ${scroll} px`);
    } finally {
      await browser.close();
    }
  });

  it("at 320 px the import's account funnel fits the page", async () => {
    // Review 27: the funnel's step rules ("employeeID, …") made it 308 px in a 278 px card, and
    // the whole page scrolled sideways.
    await onFirstVisit(server, async (p) => {
      await p.$eval(".import-samples", (d) => { d.open = true; });
      await p.click("[data-sample='ad-users.csv']");
      await p.locator("#import-funnel-accounts").waitFor({ state: "visible", timeout: 30_000 });
      const [scroll, client, table, card] = await p.evaluate(() => [
        document.documentElement.scrollWidth,
        document.documentElement.clientWidth,
        document.querySelector("#import-funnel-accounts").getBoundingClientRect().right,
        document.querySelector("#import-funnel-accounts").closest("section, .card").getBoundingClientRect().right,
      ]);
      assert.ok(scroll <= client, `the page ${scroll} px in a ${client} px window`);
      assert.ok(table <= card + 0.5, `the funnel ends at ${table}, its card at ${card}`);
    }, { viewport: { width: 320, height: 740 } });
  });

  it("at 360 px a focus ring inside the prices table or the import's account table is drawn whole", async () => {
    // Review 27 (minor): the tables scroll sideways, and the rings of the controls at their edges
    // were cut on one side.
    await onFirstVisit(server, async (p) => {
      await p.$eval(".import-samples", (d) => { d.open = true; });
      await p.click("[data-sample='ad-users.csv']");
      await p.locator(".import-account-table tbody tr").first().waitFor({ state: "visible", timeout: 30_000 });
      await p.$eval(".prices details.price-details", (d) => { d.open = true; });
      const cut = [];
      for (const table of [".prices .table-wrap", ".table-wrap:has(> .import-account-table)"]) {
        const controls = p.locator(`${table} :is(input, select, button, a[href])`);
        const n = Math.min(await controls.count(), 12);
        assert.ok(n > 0, `${table}: controls to focus`);
        for (let k = 0; k < n; k++) {
          await controls.nth(k).focus();
          // Focus from the keyboard: Shift+Tab, Tab lands on it again with its ring shown.
          await p.keyboard.press("Shift+Tab");
          await p.keyboard.press("Tab");
          const [label, ring, by] = await focusRing(p);
          assert.equal(ring, "solid", `${table}: ${label} shows its ring`);
          if (by.length > 0) cut.push(`${label} (cut by ${by.join(", ")})`);
        }
      }
      assert.deepEqual(cut, []);
    }, { viewport: { width: 360, height: 740 } });
  });
});
