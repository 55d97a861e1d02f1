// The JavaScript API is a face of the same engine as the CLI: for every example estate, the report
// from `api.evaluate(estate, date)` in Chromium (release build, loaded through dist/calc.js) deep-
// equals `cal-calc evaluate FILE --format json --as-of date` run natively.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { dist, launch, record, root, serve } from "./harness.mjs";

const run = promisify(execFile);
const AS_OF = "2026-06-01";
const estatesDir = join(root, "examples", "estates");

/** Builds the CLI (a no-op when `cargo test` already did) and returns its path. */
async function cli() {
  await run("cargo", ["build", "--quiet", "--bin", "cal-calc"], { cwd: root, maxBuffer: 1 << 26 });
  const { stdout } = await run("cargo", ["metadata", "--format-version", "1", "--no-deps"], {
    cwd: root,
    maxBuffer: 1 << 26,
  });
  return join(JSON.parse(stdout).target_directory, "debug", "cal-calc");
}

describe("JavaScript API", () => {
  let server, browser, page, binary, files, log;

  before(async () => {
    binary = await cli();
    files = (await readdir(estatesDir)).filter((f) => f.endsWith(".json")).sort();
    server = await serve();
    browser = await launch();
    log = record(browser.context);
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    // A page of the build with the same CSP as the app; the API is imported like a host would.
    await page.goto(server.url("/api-example.html"));
    await page.evaluate(async () => {
      const { load } = await import(new URL("calc.js", location.href).href);
      window.api = await load();
    });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it("there are example estates to compare", () => {
    assert.ok(files.length >= 5, `examples/estates has ${files.length} estates`);
  });

  it("evaluate(estate, asOf) equals the CLI's JSON for every example estate, as text and as object", async () => {
    const mismatches = [];
    for (const file of files) {
      const text = await readFile(join(estatesDir, file), "utf8");
      const expected = JSON.parse(
        (await run(binary, ["evaluate", join(estatesDir, file), "--format", "json", "--as-of", AS_OF], {
          maxBuffer: 1 << 26,
        })).stdout,
      );
      const [fromText, fromObject] = await page.evaluate(
        ([text, asOf]) => [window.api.evaluate(text, asOf), window.api.evaluate(JSON.parse(text), asOf)],
        [text, AS_OF],
      );
      try {
        assert.deepStrictEqual(fromText, expected);
        assert.deepStrictEqual(fromObject, expected);
      } catch (error) {
        mismatches.push(`${file}: ${error.message.slice(0, 2000)}`);
      }
    }
    assert.deepEqual(mismatches, []);
  });

  it("validate() finds no problem in the example estates and names the field of a wrong one", async () => {
    const texts = await Promise.all(files.map((f) => readFile(join(estatesDir, f), "utf8")));
    const results = await page.evaluate((texts) => texts.map((t) => window.api.validate(t)), texts);
    assert.deepEqual(results, files.map(() => []));
    const problems = await page.evaluate(() =>
      window.api.validate({ format_version: 1, groups: [{ id: "g", count: "many" }] }),
    );
    assert.equal(problems.length, 1);
    assert.match(problems[0], /groups\[0\]\.count/);
  });

  it("errors are JS Errors carrying the user message", async () => {
    const messages = await page.evaluate(() => {
      const attempt = (f) => {
        try {
          f();
          return "no error";
        } catch (error) {
          return `${error instanceof Error}: ${error.message}`;
        }
      };
      return [
        attempt(() => window.api.evaluate("{ \"groups\": [ }", "2026-06-01")),
        attempt(() => window.api.evaluate({ format_version: 1 }, "2026-13-01")),
        attempt(() => window.api.evaluate(undefined)),
        // Review 20: these reached the string glue and failed with "memory access out of bounds".
        attempt(() => window.api.evaluate({}, 20260601)),
        attempt(() => window.api.evaluate({}, {})),
        attempt(() => window.api.evaluate(new Map([["groups", []]]), "2026-06-01")),
        attempt(() => window.api.evaluate({}, new Date("nonsense"))),
        window.api.evaluate({}, new Date(2026, 5, 1)).as_of,
        attempt(() => window.api.evaluate({}, "0000-01-01")),
      ];
    });
    assert.match(messages[0], /^true: The estate could not be read: line 1, column \d+/);
    assert.match(messages[1], /^true: `asOf` must be a date in the form YYYY-MM-DD, not `2026-13-01`/);
    assert.match(messages[2], /^true: The estate could not be read: no estate was given/);
    assert.equal(messages[3], "true: `asOf` must be a date in the form YYYY-MM-DD, not `20260601`");
    assert.equal(messages[4], "true: `asOf` must be a date in the form YYYY-MM-DD, not `{}`");
    assert.match(messages[5], /^true: The estate could not be read: a Map or Set is not an estate/);
    assert.equal(messages[6], "true: `asOf` must be a date in the form YYYY-MM-DD, not `Invalid Date`");
    // A JS Date is read as its day on the device's calendar.
    assert.equal(messages[7], "2026-06-01");
    // Review 20: year 0 was accepted; a count date is one licence terms can be read for.
    assert.equal(messages[8], "true: The count date 0000-01-01 is outside 2000-01-01 to 2099-12-31: give a date in that range");
  });

  it("the TypeScript declarations (calc.d.ts) name every field the reports and the catalog carry", async () => {
    const { reports, catalog } = await page.evaluate(async (texts) => ({
      reports: texts.map((t) => window.api.evaluate(t, "2026-06-01")),
      catalog: window.api.catalog(),
    }), await Promise.all(files.map((f) => readFile(join(estatesDir, f), "utf8"))));
    const keys = new Set();
    const walk = (value) => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === "object") {
        for (const [k, v] of Object.entries(value)) {
          keys.add(k);
          // A map by id (server id → name): its keys are data, not fields.
          if (k !== "server_names") walk(v);
        }
      }
    };
    walk(reports);
    walk(catalog);
    const calc = await readFile(join(dist, "calc.d.ts"), "utf8");
    const hashed = calc.match(/from "\.\/([^"]+)\.js"/)[1];
    const declarations = await readFile(join(dist, `${hashed}.d.ts`), "utf8");
    const missing = [...keys].filter((k) => !new RegExp(`\\b${k}\\??:`).test(declarations));
    assert.deepEqual(missing, []);
    // asOf stays optional (review 20: a type override once made it required).
    assert.match(declarations, /export function evaluate\(estate: Estate \| string, asOf\?: string \| Date\): Report;/);
  });

  it("catalog() and defaultPrices() describe the products and their reference prices", async () => {
    const { products, prices, rules, defaults } = await page.evaluate(() => {
      const c = window.api.catalog();
      return { products: c.products, prices: c.prices, rules: c.rules, defaults: window.api.defaultPrices() };
    });
    assert.ok(products.some((p) => p.product === "windows-server" && p.label));
    assert.ok(rules.length > 10 && rules.every((r) => r.id && r.source));
    assert.deepEqual(defaults, prices);
  });

  it("the API example page renders a report table without leaving its origin", async () => {
    await page.reload();
    await page.waitForSelector("#output table", { timeout: 20_000 });
    assert.match(await page.textContent("#status"), /Evaluated/);
    for (const url of log.requests) assert.equal(new URL(url).origin, server.origin, url);
  });

  it("the API example page lists several problems one per item", async () => {
    // Joined by new lines in one paragraph, they ran together (review 20).
    const estate = {
      groups: [{ id: "a", count: 5 }],
      servers: [{ id: "s", product: "windows-server", version: "2099" }],
      access: [{ groups: ["zz"], servers: ["s", "q"] }],
    };
    // The page validates the text typed, whose problems name their line and column in it.
    const text = JSON.stringify(estate, null, 2);
    // The page may have been reloaded since window.api was set.
    const expected = await page.evaluate(async (t) => {
      const { load } = await import(new URL("calc.js", location.href).href);
      return (await load()).validate(t);
    }, text);
    assert.ok(expected.length > 1, `several problems: ${expected}`);
    assert.match(expected[0], /^line \d+, column \d+: /);
    await page.fill("#estate", text);
    await page.click("#form button[type=submit]");
    await page.waitForSelector("#output ul.error[role=alert] li");
    assert.deepEqual(await page.$$eval("#output ul.error li", (items) => items.map((li) => li.textContent)), expected);
    assert.match(await page.textContent("#status"), new RegExp(`${expected.length} problems`));
  });

  // Locale review 22: the example page filled "As of" with UTC's date (toISOString), another day
  // than the user's near midnight. UTC+14 and UTC-11 between them differ from UTC at any hour.
  it("the API example page's date is the user's own, in time zones far from UTC", async () => {
    for (const timezoneId of ["Pacific/Kiritimati", "Pacific/Pago_Pago"]) {
      const far = await launch({ timezoneId });
      try {
        const p = far.context.pages()[0] ?? (await far.context.newPage());
        await p.goto(server.url("/api-example.html"));
        await p.waitForFunction(() => document.getElementById("as-of")?.value);
        const shown = await p.inputValue("#as-of");
        // en-CA writes dates as YYYY-MM-DD.
        const local = new Intl.DateTimeFormat("en-CA", { timeZone: timezoneId }).format(new Date());
        assert.equal(shown, local, timezoneId);
      } finally {
        await far.close();
      }
    }
  });
});
