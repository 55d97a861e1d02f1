// The JavaScript API is a face of the same engine as the CLI: for every example estate, the report
// from `api.evaluate(estate, date)` in Chromium (release build, loaded through dist/calc.js) deep-
// equals `cal-calc evaluate FILE --format json --as-of date` run natively.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { dist, launch, record, root, serve } from "./harness.mjs";

const run = promisify(execFile);
const AS_OF = "2026-06-01";
const estatesDir = join(root, "examples", "estates");

// API review 25: an access entry naming a group that does not exist, found by validation (not
// by reading), whose message names line 4, column 23.
const BAD_REFERENCE = [
  "{",
  ' "groups":[{"id":"g","count":5}],',
  ' "servers":[{"id":"s","product":"windows-server","version":"2022"}],',
  ' "access":[{"groups":["zz"],"servers":["s"]}]',
  "}",
  "",
].join("\n");

/** Ten people on one server with their own prices in `currency`: 15000.00 a User CAL, 14000.00
 *  a Device CAL, in minor units of `digits` digits. */
function pricedIn(currency, digits) {
  const minor = (major) => major * 10 ** digits;
  return {
    format_version: 1,
    name: `${currency} office`,
    organisation: {
      currency,
      prices: [
        { item: { product: "windows-server", kind: "user-cal" }, amount_minor: minor(15000) },
        { item: { product: "windows-server", kind: "device-cal" }, amount_minor: minor(14000) },
      ],
    },
    groups: [{ id: "g", count: 10 }],
    servers: [{ id: "s", product: "windows-server", version: "2022" }],
    access: [{ groups: ["g"], servers: ["s"] }],
  };
}

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
      // A call's error as "true: message" (true: it is an Error), or "no error".
      window.attempt = (f) => {
        try {
          f();
          return "no error";
        } catch (error) {
          return `${error instanceof Error}: ${error.message}`;
        }
      };
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
    // Every problem in one form, a read error's as a reference error's: its place, then what is
    // wrong, never "The estate could not be read:" before some of them only (surfaces review).
    const text = '{\n  "groups": [{"id": "g", "count": "many"}]\n}';
    const [typeError, syntaxError, missing] = await page.evaluate((t) => [
      window.api.validate(t),
      window.api.validate('{ "groups": [ }'),
      window.api.validate(undefined),
    ], text);
    assert.deepEqual(typeError, ['line 2, column 35: groups[0].count: the text "many" is not a count: write the number without quotes, a whole number from 0 to 10000000']);
    assert.equal(syntaxError.length, 1);
    assert.match(syntaxError[0], /^line 1, column \d+: /);
    assert.deepEqual(missing, ["no estate was given (pass an estate object or its JSON text)"]);
    for (const p of [...problems, ...typeError, ...syntaxError]) assert.doesNotMatch(p, /could not be read/);
  });

  it("errors are JS Errors carrying the user message", async () => {
    const messages = await page.evaluate(() => {
      const attempt = window.attempt;
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

  // API review 39: the import session's methods, exported with the API, trapped ("unreachable")
  // on an argument of the wrong type, and after some thousands of traps every call failed.
  it("the import session's methods refuse arguments of the wrong type with an Error", async () => {
    const messages = await page.evaluate(() => {
      const s = new window.api.ImportSession();
      const attempt = window.attempt;
      const answers = [
        attempt(() => s.forgetFrom(5)),
        attempt(() => s.finish(5)),
        attempt(() => s.begin(5)),
        attempt(() => s.setAsOf({})),
        attempt(() => s.overview(5)),
        attempt(() => s.apply({}, {})),
        attempt(() => s.accounts(1, 2, 3, 4, 5)),
        attempt(() => s.addRdDevicePool(1, 2)),
        attempt(() => s.push("text")),
      ];
      for (let i = 0; i < 10000; i++) attempt(() => s.finish(i));
      s.free();
      answers.push(window.api.minorDigits("USD"));
      return answers;
    });
    assert.deepEqual(messages, [
      "true: the file name must be a string",
      "true: the file name must be a string",
      "true: the file options (JSON) must be a string",
      "true: the classify options (JSON) must be a string",
      "true: the classify options (JSON) must be a string",
      "true: the classify options (JSON) must be a string",
      "true: the classify options (JSON) must be a string",
      "true: the estate (JSON) must be a string",
      "true: a chunk must be a Uint8Array",
      2,
    ]);
  });

  // API review 39: undefined was said as "JsValue(undefined)", NaN and Infinity as "null" (their
  // JSON), and an estate whose getter threw as "not plain data", hiding the getter's own error.
  it("values that JSON cannot write are named as they are, and a getter's error is passed on", async () => {
    const messages = await page.evaluate(() => {
      const attempt = window.attempt;
      const throwing = { get groups() { throw new Error("no access to groups"); } };
      return [
        attempt(() => window.api.minorDigits(undefined)),
        attempt(() => window.api.evaluate({}, NaN)),
        attempt(() => window.api.evaluate({}, -Infinity)),
        attempt(() => window.api.evaluate(throwing, "2026-06-01")),
        attempt(() => window.api.evaluate({ groups: [{ id: "g", count: 10n }] }, "2026-06-01")),
      ];
    });
    assert.match(messages[0], /^true: .*`undefined`/);
    assert.equal(messages[1], "true: `asOf` must be a date in the form YYYY-MM-DD, not `NaN`");
    assert.equal(messages[2], "true: `asOf` must be a date in the form YYYY-MM-DD, not `-Infinity`");
    assert.equal(messages[3], "true: The estate could not be read: the value could not be turned into JSON: no access to groups");
    assert.match(messages[4], /^true: The estate could not be read: the value could not be turned into JSON: .*BigInt/);
  });

  // API review 39: calc.js kept the first failed download, so every later load() failed until
  // the page was reloaded.
  it("load() tries again after a failed download", async () => {
    const fresh = await browser.context.newPage();
    let aborted = 0;
    await fresh.route(/engine-[0-9a-f]+_bg\.wasm$/, (route) =>
      aborted++ === 0 ? route.abort() : route.continue(),
    );
    try {
      await fresh.goto(server.url("/api-example.html"));
      const answers = await fresh.evaluate(async () => {
        const { load } = await import(new URL("calc.js", location.href).href);
        const tries = [];
        for (let i = 0; i < 3; i++) {
          tries.push(await load().then((api) => api.minorDigits("JPY"), (e) => `failed: ${e.message}`));
        }
        return tries;
      });
      assert.ok(aborted >= 1, "the download was not attempted");
      assert.equal(answers.at(-1), 0, answers.join(" | "));
    } finally {
      await fresh.close();
    }
  });

  // API review 25: evaluate(text) threw the reference error without its line and column, which
  // validate(text) and `cal-calc evaluate` give, and without the prefix a syntax error has.
  it("evaluate(text) names the line and column of a reference error, as validate(text) and the CLI do", async () => {
    const [problems, fromText, fromObject] = await page.evaluate((text) => {
      const attempt = (f) => {
        try {
          f();
          return "no error";
        } catch (error) {
          return error.message;
        }
      };
      return [
        window.api.validate(text),
        attempt(() => window.api.evaluate(text, "2026-06-01")),
        attempt(() => window.api.evaluate(JSON.parse(text), "2026-06-01")),
      ];
    }, BAD_REFERENCE);
    assert.deepEqual(problems, ['line 4, column 23: access[0].groups[0]: "zz" is not the id of any group']);
    assert.equal(fromText, `The estate could not be read: ${problems[0]}`);
    // As an object there is no text to point into: the field only, worded alike.
    assert.equal(fromObject, 'The estate could not be read: access[0].groups[0]: "zz" is not the id of any group');
    const dir = await mkdtemp(join(tmpdir(), "cal-calc-api-"));
    try {
      const file = join(dir, "badref.json");
      await writeFile(file, BAD_REFERENCE);
      const failed = await run(binary, ["evaluate", file, "--as-of", AS_OF]).then(
        () => assert.fail("the CLI accepted the estate"),
        (error) => error,
      );
      assert.equal(failed.stderr.trim().endsWith(problems[0]), true, failed.stderr);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  // API review 25: pages had only Intl's digits, which differ from ISO 4217's (the engine's) for
  // HUF, IDR, COP, PKR (0 instead of 2) and IQD (0 instead of 3).
  it("minorDigits(currency) gives the engine's ISO 4217 digits and refuses what is not a currency", async () => {
    const answers = await page.evaluate(() => {
      const attempt = (f) => {
        try {
          return f();
        } catch (error) {
          return `${error instanceof Error}: ${error.message}`;
        }
      };
      return ["USD", "HUF", "IDR", "COP", "PKR", "JPY", "IQD", "KWD", "CLF", "huf", "XYZ", 840, undefined].map((c) =>
        attempt(() => window.api.minorDigits(c)),
      );
    });
    assert.deepEqual(answers.slice(0, 9), [2, 2, 2, 2, 2, 0, 3, 3, 4]);
    const refused = (shown) =>
      `true: \`currency\` must be an ISO 4217 currency code in capitals, such as USD or EUR, not \`${shown}\``;
    assert.equal(answers[9], refused("huf"));
    assert.equal(answers[10], refused("XYZ"));
    assert.equal(answers[11], refused("840"));
    assert.match(answers[12], /^true: `currency` must be an ISO 4217 currency code/);
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
    // A report's own fields are declared in its interface, not only somewhere (API review 39:
    // `readings` matched the estate's, and the Report interface had none).
    const report = declarations.slice(declarations.indexOf("export interface Report {"));
    const reportBlock = report.slice(0, report.indexOf("\n}\n"));
    // Its own fields at the interface's first indent (wasm-bindgen re-indents the section).
    const indent = reportBlock.match(/\{\n([ \t]+)/)?.[1] ?? "  ";
    const undeclared = [...new Set(reports.flatMap((r) => Object.keys(r)))]
      .filter((k) => !new RegExp(`\\n${indent}${k}\\??:`).test(reportBlock));
    assert.deepEqual(undeclared, []);
    // asOf stays optional (review 20: a type override once made it required), and takes a JS
    // Date: an alias `Date = string` in the declarations hid the global one, so `string | Date`
    // was `string` (API review 25). No tsc offline: the text is checked.
    assert.match(
      declarations,
      /export function evaluate\(estate: Estate \| string, asOf\?: string \| globalThis\.Date\): Report;/,
    );
    assert.doesNotMatch(declarations, /\btype Date\b/);
    assert.match(declarations, /export type IsoDate = string;/);
    assert.match(declarations, /\bas_of: IsoDate;/);
    assert.match(declarations, /export function minorDigits\(currency: string\): number;/);
    // Declared only under TypeScript's esnext.disposable lib: tsc with lib es2022 failed on it.
    assert.doesNotMatch(declarations, /Symbol\.dispose/);
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

  // API review 25: the page divided by Intl's default digits, so a HUF 14,000.00 price read
  // HUF 1,400,000 and an IQD 1,400.000 one IQD 1,400,000. Its figures must be the engine's.
  it("the API example page shows money with the engine's digits for the currency", async () => {
    for (const [currency, digits] of [["HUF", 2], ["IQD", 3], ["JPY", 0]]) {
      const text = JSON.stringify(pricedIn(currency, digits), null, 2);
      const dir = await mkdtemp(join(tmpdir(), "cal-calc-api-"));
      let report;
      try {
        const file = join(dir, "estate.json");
        await writeFile(file, text);
        report = JSON.parse((await run(binary, ["evaluate", file, "--format", "json", "--as-of", AS_OF])).stdout);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
      const [line] = report.recommendation.lines;
      assert.equal(line.unit_minor, 14000 * 10 ** digits, currency);
      // The engine's amounts in major units, formatted by this browser with the ISO digits.
      const expected = await page.evaluate(
        ([currency, digits, amounts]) => {
          const f = new Intl.NumberFormat(undefined, {
            style: "currency",
            currency,
            minimumFractionDigits: digits,
            maximumFractionDigits: digits,
          });
          return amounts.map((minor) => f.format(minor / 10 ** digits));
        },
        [currency, digits, [line.unit_minor, line.cost_minor, report.recommendation.total_minor]],
      );
      await page.fill("#estate", text);
      await page.fill("#as-of", AS_OF);
      await page.click("#form button[type=submit]");
      await page.waitForFunction(
        (name) => document.querySelector("#output h2")?.textContent.startsWith(name),
        `${currency} office`,
      );
      const heading = await page.textContent("#output h2");
      const row = await page.$$eval("#output table", (tables) => {
        const purchase = tables.find((t) => t.caption.textContent === "Recommended purchase");
        return [...purchase.tBodies[0].rows[0].cells].map((c) => c.textContent);
      });
      assert.equal(heading, `${currency} office: ${expected[2]} to buy`);
      assert.deepEqual(row.slice(3), [String(line.quantity), expected[0], expected[1]], currency);
    }
  });

  // Review 26: the page gave Intl minor / 10 ** digits, a float that loses the last digit past
  // about 2^46 cents (2^43 fils): 9,000,001 people at 10,000,000.07 came to ...0,630,000.06.
  // Every figure it shows has the engine's digits, to the last one.
  it("the API example page shows large amounts to the last minor unit", async () => {
    for (const [currency, digits] of [["USD", 2], ["KWD", 3]]) {
      const estate = pricedIn(currency, digits);
      estate.name = `${currency} estate`;
      estate.groups[0].count = 9_000_001;
      const [user, device] = estate.organisation.prices;
      user.amount_minor = 1_000_000_007;
      device.amount_minor = 1_000_000_008;
      const total = 9_000_001 * 1_000_000_007;
      assert.ok(Number.isSafeInteger(total) && total > 2 ** 53 / 2, "an amount a float cannot divide exactly");
      await page.fill("#estate", JSON.stringify(estate, null, 2));
      await page.fill("#as-of", AS_OF);
      await page.click("#form button[type=submit]");
      await page.waitForFunction(
        (name) => document.querySelector("#output h2")?.textContent.startsWith(name),
        `${currency} estate`,
      );
      const figures = (text) => text.replace(/\D/g, "");
      const heading = await page.textContent("#output h2");
      const row = await page.$$eval("#output table", (tables) => {
        const purchase = tables.find((t) => t.caption.textContent === "Recommended purchase");
        return [...purchase.tBodies[0].rows[0].cells].map((c) => c.textContent);
      });
      assert.equal(figures(heading), String(total), `${currency}: ${heading}`);
      assert.deepEqual(row.slice(3).map(figures), ["9000001", "1000000007", String(total)], currency);
      // Written as this browser's Intl writes the exact amount (the digits' grouping, the sign).
      const exact = await page.evaluate(
        ([currency, digits, text]) =>
          new Intl.NumberFormat(undefined, {
            style: "currency",
            currency,
            minimumFractionDigits: digits,
            maximumFractionDigits: digits,
          }).format(text),
        [currency, digits, `${String(total).slice(0, -digits)}.${String(total).slice(-digits)}`],
      );
      assert.equal(row[5], exact, currency);
    }
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
