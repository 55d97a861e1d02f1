// The Import panel in a real browser against the release build: each sample file of www/samples
// (scripts/gen_samples.py, "today" = 2025-06-30) is read by the Web Worker and shows the funnel
// counts the native tests (tests/engine/import.rs) assert; a big file shows progress, can be
// cancelled and leaves the page responsive; applying merges into the estate; no request leaves
// the page's origin.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { RESULT, artifacts, launch, openFirstVisit, record, root, serve, waitForResult } from "./harness.mjs";

const samples = join(root, "www", "samples");
const sample = (name) => join(samples, name);

/** Reads a funnel table as [removed, remaining] pairs. */
const funnel = (page, id) =>
  page.$$eval(`#${id} tbody tr`, (rows) => rows.map((r) => [Number(r.dataset.removed), Number(r.dataset.remaining)]));

async function forget(page) {
  if (await page.$("text=Forget the imported files")) await page.click("text=Forget the imported files");
}

async function importFiles(page, files) {
  await forget(page);
  await page.setInputFiles("#import-files", files);
  await page.waitForFunction(
    (n) => document.querySelectorAll(".import-file-meta, .import-failed").length >= n,
    files.length,
    { timeout: 30_000 },
  );
  // The sample's "today"; the overview is asked again when it changes.
  await page.fill(".import-options input[type=date]", "2025-06-30");
  await page.dispatchEvent(".import-options input[type=date]", "change");
}

/** Applies the files read with "Add to the current estate" and waits for the new result. */
async function applyAdding(page) {
  await page.click("#import-apply");
  await page.waitForSelector("[data-testid=import-ask]");
  await page.click("#import-add");
  await page.waitForFunction(() => /Import applied to the estate\. It was merged/.test(document.querySelector("[data-testid=notice]")?.textContent ?? ""));
  await waitForResult(page);
}

/**
 * Applies the files read to whatever estate the page holds: on a first visit's sample they go
 * into an empty estate (the page does not ask); on an estate entered or loaded (the tests before
 * leave one) they are added to it. For a test that must also pass run alone.
 */
async function applyToAnyEstate(page) {
  await page.click("#import-apply");
  await page.waitForFunction(
    () => document.querySelector("[data-testid=import-ask]") || /Import applied/.test(document.querySelector("[data-testid=notice]")?.textContent ?? ""),
  );
  if (await page.$("[data-testid=import-ask]")) {
    await page.click("#import-add");
    await page.waitForFunction(() => /Import applied to the estate\. It was merged/.test(document.querySelector("[data-testid=notice]")?.textContent ?? ""));
  }
  await waitForResult(page);
}

async function waitForFunnel(page, id, expected) {
  await page.waitForFunction(
    ([id, expected]) =>
      JSON.stringify(
        [...document.querySelectorAll(`#${id} tbody tr`)].map((r) => [Number(r.dataset.removed), Number(r.dataset.remaining)]),
      ) === JSON.stringify(expected),
    [id, expected],
    { timeout: 20_000 },
  ).catch(() => {});
  assert.deepEqual(await funnel(page, id), expected);
}

describe("import", () => {
  let server, browser, page, seen;

  before(async () => {
    server = await serve();
    browser = await launch();
    seen = record(browser.context);
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await page.goto(server.url("/"));
    await waitForResult(page);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it("reads the PowerShell 5 AD export (UTF-16, #TYPE) into the expected funnel and groups", async () => {
    await importFiles(page, [sample("ad-users.csv")]);
    assert.match(await page.textContent(".import-file-meta"), /Active Directory users · UTF-16 LE with BOM · delimiter , · 65 rows/);
    await waitForFunnel(page, "import-funnel-accounts", [[0, 65], [6, 59], [2, 57], [1, 56], [5, 51], [0, 51], [7, 44], [5, 39]]);
    const groups = await page.$$eval("#import-groups tbody tr", (rows) => rows.map((r) => [r.dataset.kind, Number(r.dataset.count)]));
    assert.deepEqual(groups, [["employee", 35], ["onsite-contractor", 1], ["offsite-contractor", 1], ["partner", 2]]);
  });

  it("gives every account a reason, and an override changes the funnel", async () => {
    await page.fill(".import-accounts input[type=search]", "dormant0");
    await page.waitForFunction(() => document.querySelectorAll(".import-account").length === 1);
    assert.match(await page.textContent(".import-reason"), /defence argument, not a licence rule/);
    await page.selectOption("select[aria-label='Decision for dormant0']", "count");
    await waitForFunnel(page, "import-funnel-accounts", [[0, 65], [6, 59], [2, 57], [1, 56], [5, 51], [0, 51], [6, 45], [5, 40]]);
    await page.selectOption("select[aria-label='Decision for dormant0']", "");
    await page.fill(".import-accounts input[type=search]", "");
    // The table of accounts stays inside its card (it once ran past it into the next column).
    const [table, card] = await page.$eval(".import-account-table", (t) => [
      t.getBoundingClientRect().right,
      t.closest("section").getBoundingClientRect().right,
    ]);
    assert.ok(table <= card, `the accounts table ends at ${table} px, its card at ${card} px`);
    // At 360 px each account is a card of labelled values, its reason and its decisions the
    // card's width (review 18: the four columns ran "Verdict" into "Reason", cut the decision
    // selects to "As" and "Em" and set the reason one word a line).
    await page.setViewportSize({ width: 360, height: 800 });
    try {
      const narrow = await page.$eval(".import-account", (tr) => {
        const width = (e) => Math.round((e.getBoundingClientRect().width / tr.getBoundingClientRect().width) * 100);
        return {
          row: getComputedStyle(tr).display,
          label: getComputedStyle(tr.querySelector("td[data-label=Verdict]"), "::before").content,
          reason: width(tr.querySelector(".import-reason")) >= 90,
          selects: [...tr.querySelectorAll("select")].map((s) => width(s) >= 90),
          sideways: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        };
      });
      assert.deepEqual(narrow, { row: "block", label: '"Verdict"', reason: true, selects: [true, true], sideways: 0 });
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it("reads the semicolon Entra export with day-first dates", async () => {
    await importFiles(page, [sample("entra-users.csv")]);
    await waitForFunnel(page, "import-funnel-accounts", [[0, 25], [2, 23], [0, 23], [0, 23], [0, 23], [0, 23], [4, 19], [0, 19]]);
  });

  // Review 20: a European export whose day and month are all 12 or less was read month first,
  // putting logons after the day of the count; it is read day first, and the page says why.
  it("reads an export day first when month first puts logons after the count, and says so", async () => {
    await mkdir(artifacts, { recursive: true });
    const file = join(artifacts, "ambiguous-dates.csv");
    await writeFile(
      file,
      "SamAccountName,DisplayName,Enabled,LastLogonDate\r\n" +
        "jsmith,John Smith,True,03/06/2025 09:00:00\r\n" +
        "mjones,Mary Jones,True,12/06/2025 08:00:00\r\n",
    );
    await importFiles(page, [file]);
    await page.waitForSelector("[data-testid=import-date-order-note]", { timeout: 20_000 });
    assert.match(await page.textContent("[data-testid=import-date-order-note]"), /day first/);
  });

  it("a second directory export replaces the first, and the first says so", async () => {
    await importFiles(page, [sample("ad-users.csv"), sample("entra-users.csv")]);
    // The funnel is the Entra export's alone …
    await waitForFunnel(page, "import-funnel-accounts", [[0, 25], [2, 23], [0, 23], [0, 23], [0, 23], [0, 23], [4, 19], [0, 19]]);
    // … and the AD export's entry says it no longer counts, naming the file that replaced it.
    const notes = await page.$$eval(".import-file", (items) =>
      items.map((li) => [li.querySelector("strong")?.textContent, li.querySelector(".import-replaced")?.textContent ?? ""]),
    );
    assert.equal(notes.length, 2);
    assert.equal(notes[0][0], "ad-users.csv");
    assert.match(notes[0][1], /“entra-users\.csv” replaced it/);
    assert.equal(notes[1][1], "");
  });

  it("two directory exports of one organisation's domains count together when the user says so", async () => {
    await page.check("#import-combine");
    // 65 + 25 accounts, each file judged with its own columns and date order; 39 + 19 people.
    await waitForFunnel(page, "import-funnel-accounts", [[0, 90], [8, 82], [2, 80], [1, 79], [5, 74], [0, 74], [11, 63], [5, 58]]);
    assert.match(await page.textContent(".import-file .import-combined"), /Counted together with the other directory exports/);
    assert.equal(await page.locator(".import-replaced").count(), 0);
    // Each account names its file when several count.
    await page.fill(".import-accounts input[type=search]", "dormant0");
    await page.waitForFunction(() => document.querySelectorAll(".import-account").length === 1);
    assert.match(await page.textContent(".import-reason"), /\(ad-users\.csv, line \d+\)/);
    // A decision on it counts it (one dormant account fewer, one person more), then is undone.
    await page.selectOption("select[aria-label='Decision for dormant0']", "count");
    await waitForFunnel(page, "import-funnel-accounts", [[0, 90], [8, 82], [2, 80], [1, 79], [5, 74], [0, 74], [10, 64], [5, 59]]);
    await page.selectOption("select[aria-label='Decision for dormant0']", "");
    await waitForFunnel(page, "import-funnel-accounts", [[0, 90], [8, 82], [2, 80], [1, 79], [5, 74], [0, 74], [11, 63], [5, 58]]);
    await page.fill(".import-accounts input[type=search]", "");
    await page.uncheck("#import-combine");
    await waitForFunnel(page, "import-funnel-accounts", [[0, 25], [2, 23], [0, 23], [0, 23], [0, 23], [0, 23], [4, 19], [0, 19]]);
  });

  it("reads the AD computers and the Intune devices", async () => {
    await importFiles(page, [sample("computers-ad.csv")]);
    await waitForFunnel(page, "import-funnel-devices", [[0, 12], [1, 11], [3, 8], [1, 7]]);
    await importFiles(page, [sample("devices-intune.csv")]);
    await waitForFunnel(page, "import-funnel-devices", [[0, 10], [0, 10], [0, 10], [1, 9]]);
    const split = await page.$eval("#import-device-split", (p) => [p.dataset.personal, p.dataset.shared, p.dataset.unattended].map(Number));
    assert.deepEqual(split, [6, 2, 1]);
  });

  it("reads UAL, logon events (tab) and the RD Licensing report into distinct usage links", async () => {
    const usage = () => page.$eval("#import-usage", (p) => [p.dataset.links, p.dataset.users, p.dataset.devices, p.dataset.servers, p.dataset.rdsUsers].map(Number));
    await importFiles(page, [sample("ual-user-access.csv")]);
    await page.waitForSelector("#import-usage");
    assert.deepEqual(await usage(), [24, 12, 0, 3, 0]);
    await importFiles(page, [sample("logon-events.tsv")]);
    await page.waitForFunction(() => document.querySelector("#import-usage")?.dataset.links === "6");
    assert.deepEqual(await usage(), [6, 5, 4, 2, 0]);
    await importFiles(page, [sample("rds-per-user.csv")]);
    await page.waitForFunction(() => document.querySelector("#import-usage")?.dataset.rdsUsers === "6");
    assert.deepEqual(await usage(), [0, 0, 0, 0, 6]);
  });

  it("reads the licence statement, lists the unreadable row by line and ignores the server licence", async () => {
    await importFiles(page, [sample("licence-statement.csv")]);
    await page.waitForSelector("#import-holdings");
    assert.equal(await page.$eval("#import-holdings", (u) => Number(u.dataset.count)), 6);
    assert.match(await page.textContent(".import-errors"), /Line 9: quantity `twelve` is not a whole number/);
    assert.match(await page.textContent(".import-file"), /WinSvrSTDCore 2022 .* \(line 8\)/);
  });

  // Review 14: on a first visit an AD export was added to the sample's invented company (its
  // 50,000 anonymous web visitors and all), with no question asked.
  it("applies the imported figures to an empty estate in place of the untouched sample, which stays one click away", async () => {
    const notice = () => page.textContent("[data-testid=notice]");
    const hasSample = () => page.evaluate(() => document.body.textContent.includes("Anonymous web visitors"));
    assert.ok(await hasSample(), "the first visit shows the sample");
    await importFiles(page, [sample("ad-users.csv"), sample("logon-events.tsv"), sample("licence-statement.csv")]);
    await waitForFunnel(page, "import-funnel-accounts", [[0, 65], [6, 59], [2, 57], [1, 56], [5, 51], [0, 51], [7, 44], [5, 39]]);
    await page.click("#import-apply");
    await page.waitForFunction(() => /Imported figures applied/.test(document.body.textContent));
    await waitForResult(page);
    assert.equal(await page.$("[data-testid=import-ask]"), null, "the untouched sample is replaced without asking");
    assert.match(await notice(), /Import applied to an empty estate.*It replaced the estate you had/);
    assert.ok(!(await hasSample()), "none of the sample's groups is counted with the import");
    await page.click("[data-testid=notice] button:has-text('Restore the previous estate')");
    await page.waitForFunction(() => document.body.textContent.includes("Anonymous web visitors"));
  });

  it("asks whether to replace an estate the user entered or add to it, and either way keeps it one click away", async () => {
    const notice = () => page.textContent("[data-testid=notice]");
    const hasSample = () => page.evaluate(() => document.body.textContent.includes("Anonymous web visitors"));
    await page.fill("#q-employees", "421");
    await page.dispatchEvent("#q-employees", "change");
    await waitForResult(page);
    // Add: the user's groups stay beside the imported ones.
    await page.click("#import-apply");
    await page.waitForSelector("[data-testid=import-ask]");
    await page.waitForFunction(() => document.activeElement?.id === "import-replace");
    await page.click("#import-add");
    await page.waitForFunction(() => /Import applied to the estate\. It was merged/.test(document.querySelector("[data-testid=notice]")?.textContent ?? ""));
    await waitForResult(page);
    assert.equal(await page.$("[data-testid=import-ask]"), null);
    assert.ok(await hasSample(), "added: the groups the user had are kept");
    // Replace: an empty estate takes the figures; Restore brings back the one before.
    await page.click("#import-apply");
    await page.click("#import-replace");
    await page.waitForFunction(() => /Import applied to an empty estate\./.test(document.querySelector("[data-testid=notice]")?.textContent ?? ""));
    await waitForResult(page);
    assert.ok(!(await hasSample()), "replaced: none of the groups the user had is counted");
    assert.match(await notice(), /Restore the previous estate/);
    await page.click("[data-testid=notice] button:has-text('Restore the previous estate')");
    await page.waitForFunction(() => document.body.textContent.includes("Anonymous web visitors"));
  });

  it("streams a big file with progress and cancel, and the page stays responsive", async () => {
    await mkdir(artifacts, { recursive: true });
    const big = join(artifacts, "big-ad-export.csv");
    const row = (i) => `"u${i}","True","u${i}@corp.example","CN=U ${i},OU=Staff,DC=corp,DC=example","3/${1 + (i % 28)}/2025 9:00:00 AM"\n`;
    const header = '"SamAccountName","Enabled","UserPrincipalName","DistinguishedName","LastLogonDate"\n';
    const rows = [];
    for (let i = 0; i < 600_000; i++) rows.push(row(i));
    const body = rows.join("");
    await writeFile(big, header + body);
    // Five times as long (about 300 MB), so that it is still being read when Cancel is pressed.
    const huge = join(artifacts, "huge-ad-export.csv");
    await writeFile(huge, header + body.repeat(5));
    await forget(page);
    // Longest gap between animation frames while the worker reads.
    await page.evaluate(() => {
      window.__gap = 0;
      let last = performance.now();
      const tick = (t) => {
        window.__gap = Math.max(window.__gap, t - last);
        last = t;
        if (!window.__stop) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    await page.setInputFiles("#import-files", huge);
    await page.waitForSelector(".import-progress progress", { timeout: 10_000 });
    await page.click(".import-progress button");
    await page
      .waitForFunction(() => /Cancelled\./.test(document.querySelector(".import-files")?.textContent ?? ""), null, { timeout: 60_000 })
      .catch(async (e) => {
        throw new Error(`${e.message}; the file list says: ${await page.textContent(".import-files")}`);
      });
    // Read a smaller one whole.
    await page.setInputFiles("#import-files", big);
    await page.waitForSelector("#import-funnel-accounts", { timeout: 60_000 });
    await page.waitForFunction(() => document.querySelector("#import-funnel-accounts tbody tr")?.dataset.remaining === "600000", null, { timeout: 60_000 });
    const gap = await page.evaluate(() => {
      window.__stop = true;
      return window.__gap;
    });
    assert.ok(gap < 500, `the page froze for ${Math.round(gap)} ms while the file was read`);
  });

  it("reads a sample export shipped with the app", async () => {
    await forget(page);
    await page.click(".import-samples summary");
    await page.click("[data-sample='ad-users.csv']");
    await page.waitForSelector(".import-file-meta", { timeout: 30_000 });
    await page.fill(".import-options input[type=date]", "2025-06-30");
    await page.dispatchEvent(".import-options input[type=date]", "change");
    await waitForFunnel(page, "import-funnel-accounts", [[0, 65], [6, 59], [2, 57], [1, 56], [5, 51], [0, 51], [7, 44], [5, 39]]);
  });

  // Review 19 (2): "Next" became disabled under the keyboard's focus on the last page, and focus
  // fell to the page; a search matching nothing showed "0–0 of 0" and an empty table.
  it("keeps the focus on the account pager at either end, and says when no account matches", async () => {
    await forget(page);
    // The test before left the sample list open: open it, not toggle it.
    await page.$eval(".import-samples", (d) => { d.open = true; });
    await page.click("[data-sample='ad-users.csv']");
    await page.waitForSelector("[data-testid=import-page-range]", { timeout: 30_000 });
    const next = page.locator(".import-pager button", { hasText: "Next" });
    await next.focus();
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => /^51–65 of 65$/.test(document.querySelector("[data-testid=import-page-range]")?.textContent ?? ""));
    assert.equal(await next.getAttribute("aria-disabled"), "true");
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Next");
    // Pressed again at the end, it stays put.
    await page.keyboard.press("Enter");
    assert.match(await page.textContent("[data-testid=import-page-range]"), /^51–65 of 65$/);
    await page.fill(".import-panel input[type=search]", "no-such-account-anywhere");
    await page.waitForFunction(() => /No account matches/.test(document.querySelector("[data-testid=import-page-range]")?.textContent ?? ""));
    assert.equal(await page.locator(".import-pager button").count(), 0);
  });

  // CLI review 24: a device export counted long after it was made comes out all "not seen"; the
  // app warns as it does for accounts (the engine's rule, shared with the command line).
  it("warns when most devices of a device export come out not seen", async () => {
    await page.goto(server.url("/"));
    await waitForResult(page);
    await page.click(".import-samples summary");
    await page.click("[data-sample='devices-intune.csv']");
    await page.waitForSelector(".import-file-meta", { timeout: 30_000 });
    await page.waitForSelector("#import-funnel-devices", { timeout: 20_000 });
    assert.equal(await page.$("[data-testid=import-mostly-not-seen]"), null);
    await page.fill("#import-as-of", "2026-12-01");
    await page.dispatchEvent("#import-as-of", "change");
    await page.waitForSelector("[data-testid=import-mostly-not-seen]", { timeout: 20_000 });
    assert.match(await page.textContent("[data-testid=import-mostly-not-seen]"), /\d+ of the \d+ devices left after disabled devices and servers come out not seen.*Check “Counts as of”/);
  });

  // Review 14: the sample exports counted as of today came out all dormant (51 → 0 people), with
  // nothing pointing at "Counts as of".
  it("counts the sample exports as of the day they were made, and warns when most accounts come out dormant", async () => {
    await page.goto(server.url("/"));
    await waitForResult(page);
    await page.click(".import-samples summary");
    assert.match(await page.textContent(".import-samples"), /sets “Counts as of” to that day/);
    await page.click("[data-sample='ad-users.csv']");
    await page.waitForSelector(".import-file-meta", { timeout: 30_000 });
    assert.equal(await page.inputValue("#import-as-of"), "2025-06-30");
    await waitForFunnel(page, "import-funnel-accounts", [[0, 65], [6, 59], [2, 57], [1, 56], [5, 51], [0, 51], [7, 44], [5, 39]]);
    assert.equal(await page.$("[data-testid=import-mostly-dormant]"), null);
    await page.fill("#import-as-of", "2026-12-01");
    await page.dispatchEvent("#import-as-of", "change");
    await page.waitForSelector("[data-testid=import-mostly-dormant]", { timeout: 20_000 });
    assert.match(await page.textContent("[data-testid=import-mostly-dormant]"), /51 of the 51 accounts that can sign in come out dormant.*Check “Counts as of”/);
    // Browser review 21: a date outside 2000-2099 (a year typed as 2205) was ignored without a
    // word. It is still not applied, and the field says so and which date the counts use.
    // (Playwright's fill leaves a date input as it was for a date past its max: set the value
    // as the browser does once the year is typed.)
    await page.$eval("#import-as-of", (e) => { e.value = "2205-06-30"; });
    await page.dispatchEvent("#import-as-of", "change");
    await page.waitForSelector("#import-as-of-error");
    assert.equal(await page.textContent("#import-as-of-error"), "Enter a date from 2000-01-01 to 2099-12-31. Still counting as of 2026-12-01.");
    assert.equal(await page.getAttribute("#import-as-of", "aria-invalid"), "true");
    assert.equal(await page.getAttribute("#import-as-of", "aria-describedby"), "import-as-of-error");
    await page.fill("#import-as-of", "2025-06-30");
    await page.dispatchEvent("#import-as-of", "change");
    await page.waitForSelector("#import-as-of-error", { state: "detached" });
    await waitForFunnel(page, "import-funnel-accounts", [[0, 65], [6, 59], [2, 57], [1, 56], [5, 51], [0, 51], [7, 44], [5, 39]]);
  });

  // Review 14: at 1280 px the review was squeezed into the 514 px inputs column (reason cells of
  // ten lines, cut decision lists) beside an empty half, with small unstyled native controls.
  it("shows the review across the page at desktop sizes, with controls like the other fields", async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await importFiles(page, [sample("ad-users.csv")]);
    await page.waitForSelector("#import-funnel-accounts");
    const width = await page.$eval(".import-panel", (e) => e.getBoundingClientRect().width);
    assert.ok(width > 1000, `the import panel is ${Math.round(width)} px wide at 1280`);
    for (const sel of ["#import-as-of", ".import-options select", ".import-panel input[type=search]"]) {
      const h = await page.$eval(sel, (e) => e.getBoundingClientRect().height);
      assert.ok(h >= 38, `${sel} is ${h} px high, not a field's 40`);
    }
  });

  // QA browser M5 and L6: a German AD export's columns are not recognised; the failed file offers
  // the column editor (a toggle saying whether it is open), where the user chooses the kind and
  // maps each column to one of the file's headers, all by keyboard, and it is read again.
  it("reads an export with unrecognised columns after the user maps them, by keyboard", async () => {
    await mkdir(artifacts, { recursive: true });
    const german = join(artifacts, "ad-de.csv");
    await writeFile(
      german,
      "\ufeffLogin;Aktiviert;Letzte Anmeldung\r\nhans;Ja;28.06.2025\r\ngrete;Nein;28.06.2025\r\nfritz;Ja;01.01.2024\r\nanna;Ja;01.06.2025\r\n",
    );
    // (The options appear only once a file is read: set the date after.)
    await forget(page);
    await page.setInputFiles("#import-files", [german]);
    await page.waitForSelector(".import-failed", { timeout: 30_000 });
    assert.match(await page.textContent(".import-failed"), /not recognised \(Login, Aktiviert, Letzte Anmeldung\)/);
    const toggle = page.locator(".import-failed button[aria-controls='import-mapping']");
    assert.equal(await toggle.getAttribute("aria-expanded"), "false");
    await toggle.focus();
    await page.keyboard.press("Enter");
    await page.waitForSelector("#import-mapping");
    assert.equal(await toggle.getAttribute("aria-expanded"), "true");
    // The editor follows in the tab order: "Remove from the list", then the kind.
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement?.id), "import-mapping-kind");
    assert.equal(await page.inputValue("#import-mapping-kind"), "ad-users");
    // "Login" is a synonym of the account name, so it is already mapped; the others are not.
    const mapped = (field) => page.$eval(`#import-mapping select[id$='-${field}']`, (s) => s.selectedOptions[0]?.textContent);
    assert.equal(await mapped("AccountName"), "Login");
    assert.equal(await mapped("Enabled"), "(not in this file)");
    // Arrow keys on a focused select choose its options: (not in this file), Login, Aktiviert, …
    await page.focus("#import-mapping select[id$='-Enabled']");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    await page.focus("#import-mapping select[id$='-LastLogon']");
    for (let k = 0; k < 3; k++) await page.keyboard.press("ArrowDown");
    await page.waitForFunction(() => document.querySelector("#import-mapping select[id$='-LastLogon']")?.selectedOptions[0]?.textContent === "Letzte Anmeldung");
    assert.equal(await mapped("Enabled"), "Aktiviert");
    await page.focus("#import-mapping button:has-text('Read the file again')");
    await page.keyboard.press("Enter");
    await page.waitForSelector(".import-file-meta[data-kind='ad-users']", { timeout: 30_000 });
    // The button went with the editor: focus is on the file read again, not lost to the page's
    // body (QA), and Tab goes on to what it now offers.
    const focused = () => page.evaluate(() => [document.activeElement?.tagName, document.activeElement?.querySelector("strong")?.textContent]);
    assert.deepEqual(await focused(), ["LI", "ad-de.csv"]);
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Columns…");
    assert.equal(await page.locator(".import-failed").count(), 0);
    await page.fill(".import-options input[type=date]", "2025-06-30");
    await page.dispatchEvent(".import-options input[type=date]", "change");
    // 4 accounts: grete disabled, fritz dormant; hans and anna counted.
    await waitForFunnel(page, "import-funnel-accounts", [[0, 4], [1, 3], [0, 3], [0, 3], [0, 3], [0, 3], [1, 2], [0, 2]]);
    const groups = await page.$$eval("#import-groups tbody tr", (rows) => rows.map((r) => [r.dataset.kind, Number(r.dataset.count)]));
    assert.deepEqual(groups, [["employee", 2]]);
    // The read file's "Columns…" opens the same editor with the mapping used, and closes it.
    const columns = page.locator(".import-file-meta button[aria-controls='import-mapping']");
    assert.equal(await columns.getAttribute("aria-expanded"), "false");
    await columns.click();
    assert.equal(await columns.getAttribute("aria-expanded"), "true");
    assert.equal(await mapped("LastLogon"), "Letzte Anmeldung");
    await columns.click();
    assert.equal(await columns.getAttribute("aria-expanded"), "false");
    assert.equal(await page.locator("#import-mapping").count(), 0);
  });

  // QA browser L11: 0 was clamped to 1 without a word.
  it("says when the dormancy window is out of range, keeps what was typed and does not apply it", async () => {
    const field = "#import-dormancy";
    const dormant = () => page.$eval("#import-funnel-accounts tbody tr:nth-child(7)", (r) => Number(r.dataset.removed));
    assert.equal(await dormant(), 1);
    for (const typed of ["0", "-5", "3651", "", "abc"]) {
      await page.fill(field, typed);
      await page.dispatchEvent(field, "change");
      await page.waitForSelector("#import-dormancy-error");
      assert.match(await page.textContent("#import-dormancy-error"), /whole number of days from 1 to 3650.*Still counting with 90 days/);
      assert.equal(await page.inputValue(field), typed);
      assert.equal(await page.getAttribute(field, "aria-invalid"), "true");
      assert.equal(await page.getAttribute(field, "aria-describedby"), "import-dormancy-error");
      assert.equal(await dormant(), 1);
    }
    // A window of 1000 days takes fritz (no logon since January 2024) out of the dormant ones.
    await page.fill(field, "1000");
    await page.dispatchEvent(field, "change");
    await page.waitForFunction(() => !document.querySelector("#import-dormancy-error"));
    await waitForFunnel(page, "import-funnel-accounts", [[0, 4], [1, 3], [0, 3], [0, 3], [0, 3], [0, 3], [0, 3], [0, 3]]);
    await page.fill(field, "90");
    await page.dispatchEvent(field, "change");
  });

  // A per-device RD Licensing report names devices, not people: the panel offers them as a shared
  // device pool only once the user ticks the groups that work at them (nothing is ticked for
  // them) and, with several session hosts, the hosts they reach; all of it by keyboard.
  it("adds a per-device report's devices as a shared device pool of the groups the user ticks, by keyboard", async () => {
    const fresh = await launch();
    try {
      const p = fresh.context.pages()[0] ?? (await fresh.context.newPage());
      const estate = {
        format_version: 1,
        name: "Kiosks",
        groups: [
          { id: "desk", name: "Front desk", count: 12 },
          { id: "shop", name: "Shop floor", count: 30 },
        ],
        servers: [
          { id: "FS01", product: "windows-server", version: "2022" },
          { id: "RDS01", product: "windows-server", version: "2022", rds_session_host: true },
          { id: "RDS02", product: "windows-server", version: "2022", rds_session_host: true },
        ],
      };
      await p.addInitScript((text) => {
        if (!sessionStorage.getItem("seeded")) {
          localStorage.setItem("cal-calc.estate.v1", text);
          sessionStorage.setItem("seeded", "1");
        }
      }, JSON.stringify(estate));
      await p.goto(server.url("/"));
      await waitForResult(p);
      await p.setInputFiles("#import-files", [join(root, "tests", "fixtures", "rds-per-device.csv")]);
      // The report's CALs expire in July 2025: counted as of a day they were current (c677d49
      // leaves CALs expired before the count out of the use they prove).
      await p.waitForSelector(".import-file-meta", { timeout: 30_000 });
      await p.fill("#import-as-of", "2025-06-30");
      await p.dispatchEvent("#import-as-of", "change");
      await p.waitForSelector(".import-rd-pool", { timeout: 30_000 });
      const add = p.locator(".import-rd-pool button", { hasText: "Add these 3 devices as a shared device pool" });
      assert.equal(await add.count(), 1);
      // The group choice is labelled, lists the estate's groups, and nothing is ticked.
      const groups = p.getByRole("group", { name: "Groups that work at these devices (at least one)" });
      assert.equal(await groups.getByRole("checkbox").count(), 2);
      assert.equal(await groups.getByRole("checkbox", { checked: true }).count(), 0);
      const desk = groups.getByRole("checkbox", { name: "Front desk (desk)" });
      assert.equal(await desk.count(), 1);
      // Without a group, it says what is missing.
      await add.focus();
      await p.keyboard.press("Enter");
      await p.waitForSelector(".import-rd-pool [role=alert]");
      assert.match(await p.textContent(".import-rd-pool [role=alert]"), /Say which groups work at the devices/);
      // Tick "Front desk", then the first session host, with the keyboard.
      await desk.focus();
      await p.keyboard.press("Space");
      assert.equal(await desk.isChecked(), true);
      await p.keyboard.press("Tab"); // Shop floor
      await p.keyboard.press("Tab"); // RDS01
      const hosts = p.getByRole("group", { name: "RD Session Hosts they reach (at least one)" });
      assert.equal(await p.evaluate(() => document.activeElement?.labels?.[0]?.textContent?.trim()), "RDS01");
      await p.keyboard.press("Space");
      assert.equal(await hosts.getByRole("checkbox", { checked: true }).count(), 1);
      await p.keyboard.press("Tab"); // RDS02
      await p.keyboard.press("Tab"); // the button
      assert.equal(await p.evaluate(() => document.activeElement?.textContent), "Add these 3 devices as a shared device pool");
      await p.keyboard.press("Enter");
      await p.waitForFunction(() => /Added the shared device pool “RDS per-device CAL devices \(rds-per-device\.csv\)”: 3 devices, used by Front desk, reaching RDS01 with Remote Desktop\. An access rule was added: everyone in Front desk now reaches RDS01/.test(document.querySelector(".import-rd-pool [role=status]")?.textContent ?? ""), null, { timeout: 20_000 });
      await waitForResult(p);
      const saved = await p.evaluate(() => {
        window.dispatchEvent(new Event("pagehide"));
        return JSON.parse(localStorage.getItem("cal-calc.estate.v1") ?? "{}");
      });
      assert.deepEqual(
        saved.shared_devices.map((d) => [d.id, d.count, d.shared_by]),
        [["imported-rd-devices-rds-per-device", 3, ["desk"]]],
      );
      assert.ok(saved.access.some((a) => a.groups.join() === "desk" && a.servers.join() === "RDS01" && a.features.includes("remote-desktop")));
    } finally {
      await fresh.close();
    }
  });

  // Review 19 (1): on a first visit the pool went into the sample estate, whose made-up groups
  // and hosts were the only choices, though imports never count with the sample.
  it("offers no pool of the sample's groups on a first visit, and says how to go on", async () => {
    const fresh = await launch();
    try {
      const p = fresh.context.pages()[0] ?? (await fresh.context.newPage());
      await p.goto(server.url("/"));
      await waitForResult(p);
      const total = await p.textContent(RESULT);
      await p.setInputFiles("#import-files", [join(root, "tests", "fixtures", "rds-per-device.csv")]);
      // As of a day the report's CALs were current (they expire in July 2025).
      await p.waitForSelector(".import-file-meta", { timeout: 30_000 });
      await p.fill("#import-as-of", "2025-06-30");
      await p.dispatchEvent("#import-as-of", "change");
      await p.waitForSelector(".import-rd-pool [data-testid=rd-pool-on-sample]", { timeout: 30_000 });
      assert.match(await p.textContent("[data-testid=rd-pool-on-sample]"), /imported figures are never counted with it: use these figures in the estate first/);
      assert.equal(await p.locator(".import-rd-pool button").count(), 0);
      assert.equal(await p.locator(".import-rd-pool input[type=checkbox]").count(), 0);
      assert.equal(await p.textContent(RESULT), total);
    } finally {
      await fresh.close();
    }
  });

  // Review 16 (1): a statement dropped again was read again, doubling its quantities. A file
  // whose bytes are those of a file read already (again, or a copy under another name) is
  // refused in a row of its own naming that file, and the file read keeps its row and figures.
  it("refuses a file dropped again, naming the file read, and counts it once", async () => {
    await mkdir(artifacts, { recursive: true });
    const copy = join(artifacts, "statement-copy.csv");
    await writeFile(copy, await readFile(sample("licence-statement.csv")));
    await importFiles(page, [sample("licence-statement.csv")]);
    await page.waitForSelector("#import-holdings");
    const holdings = () => page.$$eval("#import-holdings li", (items) => items.map((li) => li.textContent));
    const before = await holdings();
    assert.equal(before.length, 6, before.join(" | "));
    for (const [file, n, earlier] of [
      [sample("licence-statement.csv"), 1, "the licence-statement\\.csv"],
      [copy, 2, "licence-statement\\.csv"],
    ]) {
      await page.setInputFiles("#import-files", [file]);
      await page.waitForFunction((n) => document.querySelectorAll(".import-duplicate").length === n, n, { timeout: 30_000 });
      const refused = await page.$$eval(".import-file", (items) =>
        items.map((li) => [li.querySelector("strong")?.textContent, li.querySelector(".import-duplicate")?.textContent ?? ""]),
      );
      assert.equal(refused.length, 1 + n);
      assert.match(refused[n][1], new RegExp(`is the same file as ${earlier}, read already; it was not added again`));
      // The file read keeps its row, its figures and the holdings it gave.
      assert.equal(refused[0][0], "licence-statement.csv");
      assert.equal(refused[0][1], "");
      assert.equal(await page.locator(".import-file-meta").count(), 1);
      assert.deepEqual(await holdings(), before);
    }
    // A refused file can be taken off the list; the file read stays.
    await page.click(".import-duplicate button:has-text('Remove from the list')");
    await page.click(".import-duplicate button:has-text('Remove from the list')");
    await page.waitForFunction(() => document.querySelectorAll(".import-file").length === 1);
    assert.equal(await page.locator(".import-file-meta").count(), 1);
  });

  // Review 16 (2): the app read files without the date of the count, so the note on an SA marked
  // "Expired" whose end date is after "Counts as of" appeared only on applying. It is under the
  // file as it is read, and follows "Counts as of" when it changes.
  it("notes under a statement an SA marked ended whose end date is after Counts as of, as of that date", async () => {
    await mkdir(artifacts, { recursive: true });
    const expired = join(artifacts, "expired-sa.csv");
    await writeFile(
      expired,
      "Product,License Version,License Type,Quantity,Software Assurance,SA Start Date,SA Expiration\n" +
        "Windows Server 2019 User CAL,2019,User,8,Expired,2019-02-01,2027-01-31\n" +
        "Windows Server 2019 Device CAL,2019,Device,3,Expired,2019-02-01,2021-01-31\n",
    );
    await forget(page);
    const asOf = async (day) => {
      await page.fill("#import-as-of", day);
      await page.dispatchEvent("#import-as-of", "change");
    };
    await asOf("2026-06-01");
    await page.setInputFiles("#import-files", [expired]);
    await page.waitForSelector(".import-file-meta", { timeout: 30_000 });
    const notes = () => page.$$eval(".import-file .import-file-note", (ps) => ps.map((p) => p.textContent).filter((t) => /contradict/.test(t)));
    const named = await notes();
    assert.equal(named.length, 1, named.join(" | "));
    assert.match(named[0], /line 2\b.*2026-06-01/);
    assert.doesNotMatch(named[0], /line 3\b/);
    // After the SA end date, "Expired" is what the dates say too: the note goes, and comes back.
    await asOf("2027-06-01");
    await page.waitForFunction(() => ![...document.querySelectorAll(".import-file .import-file-note")].some((p) => /contradict/.test(p.textContent)), null, { timeout: 20_000 });
    await asOf("2026-06-01");
    await page.waitForFunction(() => [...document.querySelectorAll(".import-file .import-file-note")].some((p) => /line 2\b.*2026-06-01.*contradict/.test(p.textContent)), null, { timeout: 20_000 });
    assert.equal(await page.locator(".import-file-meta").count(), 1);
  });

  // Review 20: a directory export with no data rows read after a real one took its place in the
  // funnel (all zeros, "Use these figures" still enabled). The real one's counts stay, and a
  // note under the empty one says it has no rows.
  it("keeps the counts of a directory export when one with no data rows is read after it", async () => {
    await mkdir(artifacts, { recursive: true });
    const empty = join(artifacts, "header-only.csv");
    await writeFile(empty, '"SamAccountName","Enabled","LastLogonDate"\r\n');
    await importFiles(page, [sample("ad-users.csv"), empty]);
    await waitForFunnel(page, "import-funnel-accounts", [[0, 65], [6, 59], [2, 57], [1, 56], [5, 51], [0, 51], [7, 44], [5, 39]]);
    const notes = await page.$$eval(".import-file .import-file-note", (ps) => ps.map((p) => p.textContent).filter((t) => /no data rows/.test(t)));
    assert.equal(notes.length, 1, notes.join(" | "));
    assert.match(notes[0], /header-only\.csv.*ad-users\.csv/);
  });

  // Session 56: a device export's switches, access points and firewalls were counted as client
  // devices whose users the file does not give. They go to a pool of network equipment, whose
  // reading ("Where sources disagree") decides whether they need Device CALs.
  it("puts a device export's network equipment in a pool of its own, whose reading changes the total", async () => {
    await page.goto(server.url("/"));
    await waitForResult(page);
    const total = () => page.textContent("[data-testid=total]");
    await page.fill("#q-employees", "421");
    await page.dispatchEvent("#q-employees", "change");
    await waitForResult(page);
    const csv = "Device name,Primary user UPN,OS,Device type\n" +
      "SW-CORE-01,,Cisco IOS XE 17.9,Switch\n" +
      "AP-LOBBY,,ArubaOS 8.10,Wireless Access Point\n" +
      "FW-EDGE,,FortiOS 7.2,\n" +
      "LAPTOP-9,ann@corp.example,Windows 11 Enterprise,Laptop\n";
    await importFiles(page, [{ name: "network-devices.csv", mimeType: "text/csv", buffer: Buffer.from(csv) }]);
    await page.waitForFunction(() => document.querySelector("#import-device-split")?.dataset.network === "3", null, { timeout: 20_000 });
    assert.match(await page.textContent("#import-device-split"), /3 pieces of network equipment/);
    assert.match(await page.textContent(".import-file"), /3 devices are network equipment by their columns: SW-CORE-01 \(line 2, type “Switch”\)/);
    // Every device and why: all four rows, then the network equipment alone, then a search.
    const listed = () => page.$$eval(".import-device", (rows) => rows.map((r) => [r.querySelector(".device-name").textContent, r.dataset.status]));
    await page.waitForFunction(() => document.querySelector("[data-testid=import-device-range]")?.textContent === "1–4 of 4");
    assert.deepEqual(await listed(), [["SW-CORE-01", "network"], ["AP-LOBBY", "network"], ["FW-EDGE", "network"], ["LAPTOP-9", "personal"]]);
    assert.match(await page.textContent(".import-device .import-reason"), /^network equipment \(type “Switch”\): no one works at it/);
    await page.selectOption("#import-device-status", "personal");
    await page.waitForFunction(() => document.querySelector("[data-testid=import-device-range]")?.textContent === "1–1 of 1");
    assert.deepEqual(await listed(), [["LAPTOP-9", "personal"]]);
    await page.selectOption("#import-device-status", "");
    await page.fill("#import-device-search", "fw");
    await page.waitForFunction(() => document.querySelector("[data-testid=import-device-range]")?.textContent === "1–1 of 1");
    assert.deepEqual(await listed(), [["FW-EDGE", "network"]]);
    await page.fill("#import-device-search", "nothing like it");
    await page.waitForFunction(() => /No device matches/.test(document.querySelector("[data-testid=import-device-range]")?.textContent ?? ""));
    await page.fill("#import-device-search", "");
    // The panel with a device export read, its funnel and its list, passes axe-core as the
    // detailed mode does (tests/e2e/ui.test.mjs checks the page without an import).
    await page.evaluate(await readFile(join(root, "node_modules", "axe-core", "axe.min.js"), "utf8"));
    const violations = await page.evaluate(async () => {
      const result = await window.axe.run(document.querySelector(".import-panel") ?? document, { resultTypes: ["violations"] });
      return result.violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => `${v.impact}: ${v.id} (${v.help}) at ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
    });
    assert.deepEqual(violations, []);
    const before = await total();
    await applyAdding(page);
    await page.waitForFunction(() => document.body.textContent.includes("3 devices of network equipment (Network equipment (imported))"));
    assert.match(await page.textContent(".import-applied"), /Device pool created: Network equipment \(imported\)\./);
    const counted = await total();
    assert.notEqual(counted, before, "3 more Device CALs");
    await page.click(".mode-switch button:has-text('Detailed')");
    await page.check("#d-reading-network-not-counted");
    await page.waitForFunction((t) => document.querySelector("[data-testid=total]")?.textContent !== t, counted);
    assert.equal(await total(), before, "under the other reading the switches need nothing");
  });

  it("counts the people a users export gives Microsoft 365 E3 or E5 in groups marked with the plan", async () => {
    await page.goto(server.url("/"));
    await waitForResult(page);
    // An estate of the user's own (the untouched sample is replaced without asking), in quick
    // mode whichever mode the test before left.
    await page.click(".mode-switch button:has-text('Quick')");
    await page.fill("#q-employees", "422");
    await page.dispatchEvent("#q-employees", "change");
    await waitForResult(page);
    // The admin centre's "Active users" export and a tenant's subscriptions (Get-MsolAccountSku)
    // (tests/fixtures, read by tests/engine/import_m365.rs and import_subscriptions.rs).
    await importFiles(page, [
      join(root, "tests", "fixtures", "m365-active-users.csv"),
      join(root, "tests", "fixtures", "m365-subscriptions.csv"),
    ]);
    await page.waitForSelector("#import-m365-plans");
    assert.equal(
      await page.textContent("#import-m365-plans"),
      "By the “Licenses” column, 3 people hold Microsoft 365 E3 and 1 holds E5: applying counts them in groups of their own, " +
        "marked with the plan, whose CAL rights are theirs; 1 external user holds a plan too, whose CAL rights are counted for internal users only.",
    );
    assert.match(await page.textContent(".import-file"), /5 accounts hold Microsoft 365 E3 and 1 holds E5/);
    const subscriptions = await page.textContent(".import-file:nth-child(2)");
    assert.match(subscriptions, /licence statement \(a tenant's subscriptions\) · UTF-8 · delimiter , · 7 rows/);
    assert.match(subscriptions, /Microsoft 365 E3 on lines 2 and 3: 28 seats, the units enabled in the tenant/);
    assert.match(subscriptions, /2 more units are in the grace period after a subscription ended/);
    await page.fill(".import-accounts input[type=search]", "ann@");
    await page.waitForFunction(() => document.querySelectorAll(".import-account").length === 1);
    assert.match(await page.textContent(".import-reason"), /Microsoft 365 E3 assigned: counted in a group marked E3/);
    await page.fill(".import-accounts input[type=search]", "");
    await applyAdding(page);
    // The seats are the tenant's units enabled, not the holders.
    assert.match(await page.textContent(".import-applied"), /Microsoft 365 E3: 28 seats from the tenant's subscriptions/);
    await page.click(".mode-switch button:has-text('Detailed')");
    assert.deepEqual([await page.inputValue("#d-m365-e3"), await page.inputValue("#d-m365-e5")], ["28", "5"]);
    const titles = await page.locator("body").innerText();
    for (const title of [
      "Employees (imported) — 3 employees",
      "Employees with Microsoft 365 E3 (imported) — 3 employees",
      "Employees with Microsoft 365 E5 (imported) — 1 employee",
      "Partners and guests (imported) — 1 partner",
    ]) assert.ok(titles.includes(title), `${title} in the detailed editor`);
  });

  it("reads Microsoft Graph responses saved as JSON, and says why an estate file is not an export", async () => {
    await page.goto(server.url("/"));
    await waitForResult(page);
    assert.match(await page.getAttribute("#import-files", "accept"), /\.json/);
    // GET /users (with signInActivity and assignedLicenses) and GET /subscribedSkus of the tenant
    // of the CSV fixtures above (tests/engine/import_json.rs reads them too), and the
    // calculator's own estate file given as an export by mistake.
    await importFiles(page, [
      join(root, "tests", "fixtures", "graph-users.json"),
      join(root, "tests", "fixtures", "graph-subscribedskus.json"),
      join(root, "examples", "estates", "sample.json"),
    ]);
    await page.waitForSelector("#import-m365-plans");
    const files = await page.$$eval("ul.import-files > li", (items) => items.map((li) => li.textContent));
    assert.equal(files.length, 3);
    assert.match(files[0], /Entra ID users · UTF-8 · JSON · 8 objects/);
    assert.match(files[0], /Read as JSON: the 8 objects of its “value” list are the rows/);
    assert.match(files[1], /licence statement \(a tenant's subscriptions\) · UTF-8 · JSON · 6 objects/);
    // A JSON file's rows are named by their objects (a Graph response may be one line).
    assert.match(files[1], /Microsoft 365 E3 on objects 1 and 2: 28 seats, the units enabled in the tenant \(“prepaidUnits\.enabled”\)/);
    assert.match(files[1], /Not CALs, left out: SPE_E3_RPA1 \(object 4\); ENTERPRISEPACK \(object 5\); FLOW_FREE \(object 6\)/);
    assert.match(files[2], /This is an estate file of this calculator, not an export: open it as the estate \(in the app, “Import estate \(JSON\)” under Keep and share/);
    assert.match(
      await page.textContent("#import-m365-plans"),
      /^By the “assignedLicenses\.skuId” column, 3 people hold Microsoft 365 E3 and 2 hold E5/,
    );
    // The last successful sign-in (non-interactive, three days before the count) keeps an
    // account whose last interactive sign-in is seven months old.
    await page.fill(".import-accounts input[type=search]", "tom.clarke");
    await page.waitForFunction(() => document.querySelectorAll(".import-account").length === 1);
    assert.match(await page.textContent(".import-reason"), /enabled and in use: counts.*\(object 4\)$/);
    await page.fill(".import-accounts input[type=search]", "");
    await applyToAnyEstate(page);
    assert.match(await page.textContent(".import-applied"), /Microsoft 365 E5: 5 seats from the tenant's subscriptions/);
    await page.click(".mode-switch button:has-text('Detailed')");
    assert.deepEqual([await page.inputValue("#d-m365-e3"), await page.inputValue("#d-m365-e5")], ["28", "5"]);
  });

  it("names a JSON file's unreadable row by its object, not by a line", async () => {
    await page.goto(server.url("/"));
    await waitForResult(page);
    await mkdir(artifacts, { recursive: true });
    // One line of JSON, as Graph and ConvertTo-Json -Compress write it: its second object is
    // not read.
    const file = join(artifacts, "statement-objects.json");
    await writeFile(
      file,
      JSON.stringify([
        { Product: "WinSvrCAL 2022 SNGL OLP NL UsrCAL", Version: "2022", "License Type": "User", Quantity: 30 },
        { Product: "WinSvrCAL 2022 SNGL OLP NL DvcCAL", Version: "2022", "License Type": "Device", Quantity: "twelve" },
      ]),
    );
    await importFiles(page, [file]);
    await page.waitForSelector("#import-holdings");
    assert.match(await page.textContent(".import-errors"), /Object 2: quantity `twelve` is not a whole number/);
    assert.doesNotMatch(await page.textContent(".import-file"), /\bline 3\b|Line 3/);
  });

  it("makes no request outside the page's origin", () => {
    const foreign = seen.requests.filter((u) => !u.startsWith(server.origin) && !u.startsWith("blob:") && !u.startsWith("data:"));
    assert.deepEqual(foreign, []);
    assert.deepEqual(seen.errors, []);
  });
});

// Review 27 (the worker's answers come late): what the user does while a file is read or an
// import is applied is never undone by the answer that comes after it.
describe("import: work done while the worker is busy", () => {
  let visit, page, big;

  /** The rows of the file list: [name, what it says]. */
  const rows = () =>
    page.$$eval("ul.import-files > li", (items) => items.map((li) => [li.querySelector("strong")?.textContent, li.textContent]));

  before(async () => {
    await mkdir(artifacts, { recursive: true });
    // About 22 MB: a few seconds to read, and an apply of its 200,000 accounts takes a moment.
    big = join(artifacts, "busy-ad-export.csv");
    const lines = ['"Enabled","LastLogonDate","Name","SamAccountName","UserPrincipalName","employeeType"'];
    for (let i = 0; i < 200_000; i++) {
      lines.push(`"True","6/${1 + (i % 28)}/2025 4:56:00 PM","User ${i}","u${i}","u${i}@corp.example","Employee"`);
    }
    await writeFile(big, lines.join("\n") + "\n");
    visit = await openFirstVisit();
    page = visit.page;
  });

  after(async () => {
    await visit?.close();
  });

  it("keeps an edit made while “Add to the current estate” is applied, and says it is applying", async () => {
    await page.setInputFiles("#import-files", big);
    await page.waitForSelector("#import-apply:not([disabled])", { timeout: 60_000 });
    // The day of the export, so that its accounts are counted (not dormant).
    await page.fill(".import-options input[type=date]", "2025-06-30");
    await page.dispatchEvent(".import-options input[type=date]", "change");
    await page.waitForFunction(() => document.querySelector("#import-funnel-accounts tbody tr:last-child")?.dataset.remaining === "200000", null, { timeout: 30_000 });
    await page.fill("#q-employees", "53");
    await page.dispatchEvent("#q-employees", "change");
    await waitForResult(page);
    const saved = () => page.evaluate(() => JSON.parse(localStorage.getItem("cal-calc.estate.v1")).groups.map((g) => [g.id, g.count]));
    await page.waitForFunction(() => /"count": ?53\b/.test(localStorage.getItem("cal-calc.estate.v1")));
    const [staff] = (await saved()).find(([, count]) => count === 53);
    await page.click("#import-apply");
    await page.click("#import-add");
    // Typed while the worker merges the estate as it was at the click (a second or more).
    await page.click("#q-employees");
    await page.keyboard.press("Control+A");
    await page.keyboard.type("787", { delay: 10 });
    const applying = Boolean(await page.$("[data-testid=import-applying]"));
    await page.waitForFunction(() => /Import applied to the estate/.test(document.querySelector("[data-testid=notice]")?.textContent ?? ""), null, { timeout: 60_000 });
    await page.waitForSelector("[data-testid=import-applying]", { state: "detached", timeout: 10_000 });
    await page.waitForSelector("#import-apply:not([disabled])");
    await page.waitForTimeout(500);
    assert.equal(await page.inputValue("#q-employees"), "787");
    const groups = await saved();
    assert.deepEqual(groups.find(([id]) => id === staff), [staff, 787], JSON.stringify(groups));
    assert.ok(groups.some(([id]) => id.startsWith("imported-")), `the import was applied too: ${JSON.stringify(groups)}`);
    assert.ok(applying, "the panel said it was applying");
  });

  it("forgets a file being read and one queued behind it, and nothing of them comes back", async () => {
    await page.click("text=Forget the imported files");
    await page.setInputFiles("#import-files", [big, sample("ad-users.csv")]);
    await page.waitForSelector(".import-progress progress", { timeout: 10_000 });
    await page.click("text=Forget the imported files");
    assert.deepEqual(await rows(), []);
    // Read after them: by the time it is read, the worker is done with the files forgotten.
    await page.click(".import-samples summary");
    await page.click("[data-sample='entra-users.csv']");
    await page.waitForSelector(".import-file-meta", { timeout: 60_000 });
    await page.waitForTimeout(500);
    assert.deepEqual((await rows()).map(([name]) => name), ["entra-users.csv"]);
    await waitForFunnel(page, "import-funnel-accounts", [[0, 25], [2, 23], [0, 23], [0, 23], [0, 23], [0, 23], [4, 19], [0, 19]]);
  });

  it("cancels only the file whose Cancel was pressed", async () => {
    await page.click("text=Forget the imported files");
    // The second file's Cancel, while it waits behind the first: the first is still read.
    await page.setInputFiles("#import-files", [big, sample("ad-users.csv")]);
    await page.waitForSelector(".import-progress progress", { timeout: 10_000 });
    await page.click("#import-file-1 .import-progress button");
    await page.waitForFunction(() => !document.querySelector(".import-progress"), null, { timeout: 60_000 });
    let list = await rows();
    assert.equal(list.length, 2);
    assert.doesNotMatch(list[0][1], /Cancelled\./, list[0][1]);
    assert.match(list[0][1], /200,000 rows/);
    assert.match(list[1][1], /Cancelled\./);
    // Its Cancel left the page with its progress: the focus is on the row's Remove, not the
    // page's body (review of the import panel).
    assert.equal(await page.evaluate(() => document.activeElement?.id), "import-remove-1");
    // The first file's Cancel, while it is read: the one behind it is read.
    await page.click("text=Forget the imported files");
    await page.setInputFiles("#import-files", [big, sample("computers-ad.csv")]);
    await page.waitForSelector("#import-file-0 .import-progress progress", { timeout: 10_000 });
    await page.click("#import-file-0 .import-progress button");
    await page.waitForFunction(() => !document.querySelector(".import-progress"), null, { timeout: 60_000 });
    list = await rows();
    assert.equal(list.length, 2);
    assert.match(list[0][1], /Cancelled\./);
    assert.doesNotMatch(list[1][1], /Cancelled\./, list[1][1]);
    assert.ok(await page.$("#import-file-1 .import-file-meta"), list[1][1]);
  });
});

// Race review 35: a Cancel pressed while a file's progress shows can reach the worker once the
// file was read to its end and added (on a fast disk a 17 MB export is read in a third of a
// second). It must still be honoured: the file is forgotten, its row says "Cancelled." and
// nothing of it is counted. The page here holds the import worker's answers from its first
// "file" on, so that the Cancel is certain to come late, then lets them through in order.
describe("import: what counts after a late Cancel, a failed re-read or an apply with nothing in it", () => {
  let visit, page;

  before(async () => {
    visit = await openFirstVisit({
      init: () => {
        const Native = window.Worker;
        window.__held = [];
        window.__heldTypes = [];
        window.__holding = false;
        window.Worker = class extends Native {
          set onmessage(f) {
            const worker = this;
            super.onmessage = f && ((event) => {
              if (event.data?.type === "file" && window.__holdFiles) window.__holding = true;
              if (window.__holding) {
                window.__held.push(() => f.call(worker, event));
                window.__heldTypes.push(event.data?.type);
              }
              else f.call(worker, event);
            });
          }
          get onmessage() {
            return super.onmessage;
          }
        };
        window.__release = () => {
          window.__holdFiles = window.__holding = false;
          window.__heldTypes = [];
          for (const deliver of window.__held.splice(0)) deliver();
        };
      },
    });
    page = visit.page;
  });

  after(async () => {
    await visit?.close();
  });

  it("forgets the file, says it was cancelled and counts nothing of it", async () => {
    await page.evaluate(() => { window.__holdFiles = true; });
    await page.setInputFiles("#import-files", sample("ad-users.csv"));
    // The worker has read and added the file; the page, not told yet, still offers Cancel.
    await page.waitForFunction(() => window.__held.length > 0, null, { timeout: 30_000 });
    assert.ok(await page.$("#import-file-0 .import-progress button"), "the row still shows its progress");
    await page.click("#import-file-0 .import-progress button");
    // The worker's answer to the Cancel (held too), after the file's: "cancelled" and an
    // overview. A build that ignores the late Cancel sends none; the row then says it was read.
    await page.waitForFunction(() => window.__held.length >= 4, null, { timeout: 5_000 }).catch(() => {});
    await page.evaluate(() => window.__release());
    await page.waitForSelector("#import-file-0 .import-progress", { state: "detached", timeout: 10_000 });
    await page.waitForTimeout(300);
    assert.match(await page.textContent("#import-file-0"), /Cancelled\./);
    assert.equal(await page.$("#import-funnel-accounts"), null, "no account of the file cancelled is counted");
    // Read again, it is read (not refused as a file read already) and counted.
    await page.setInputFiles("#import-files", sample("ad-users.csv"));
    await page.waitForSelector(".import-file-meta", { timeout: 30_000 });
    await page.fill(".import-options input[type=date]", "2025-06-30");
    await page.dispatchEvent(".import-options input[type=date]", "change");
    await waitForFunnel(page, "import-funnel-accounts", [[0, 65], [6, 59], [2, 57], [1, 56], [5, 51], [0, 51], [7, 44], [5, 39]]);
  });

  it("shows the reading that counts when the file read again with other columns cannot be read", async () => {
    await page.click("#import-columns-0");
    await page.selectOption("#import-mapping-kind", "licence-statement");
    await page.click("text=Read the file again");
    await page.waitForSelector("#import-file-0 .import-failed", { timeout: 30_000 });
    const row = await page.textContent("#import-file-0");
    assert.match(row, /Reading it again with the columns chosen failed, so the reading before counts still, as shown: /, row);
    assert.match(row, /Active Directory users · .* · 65 rows/, row);
    // The earlier reading is counted still, as the row says.
    await waitForFunnel(page, "import-funnel-accounts", [[0, 65], [6, 59], [2, 57], [1, 56], [5, 51], [0, 51], [7, 44], [5, 39]]);
  });

  // QA review 35: the sample export counted as of a later day (every account dormant) was applied
  // as "0 groups created, 0 updated, …" and an empty estate took the sample's place.
  it("leaves the estate shown when the files read give nothing to put in it, and says why", async () => {
    const total = await page.textContent(RESULT);
    await page.fill(".import-options input[type=date]", "2026-12-04");
    await page.dispatchEvent(".import-options input[type=date]", "change");
    await page.waitForFunction(() => document.querySelector("#import-funnel-accounts tbody tr:last-child")?.dataset.remaining === "0", null, { timeout: 10_000 });
    await page.click("#import-apply");
    await page.waitForSelector(".import-applied", { timeout: 30_000 });
    assert.equal(
      await page.textContent(".import-applied"),
      "Nothing was put in the estate: as of 2026-12-04 the files read give no one to count, no device pool, no usage and no licence, so the estate is as it was. 51 of the 51 accounts that can sign in came out dormant as of that day: see the warning on them.",
    );
    await page.waitForTimeout(300);
    assert.equal(await page.$("[data-testid=notice]"), null, "no notice of an import applied, no Restore");
    assert.equal(await page.textContent(RESULT), total, "the sample's result stays");
  });

  // Race review 36: the file read after the one cancelled late had been summed up with it ("Its
  // usage adds to that of the other usage log read"), and that stayed on its row.
  it("reads again the files read after the one cancelled late, so nothing said of them is of it", async () => {
    await page.click("text=Forget the imported files");
    await page.evaluate(() => { window.__holdFiles = true; });
    await page.setInputFiles("#import-files", [sample("logon-events.tsv"), sample("ual-user-access.csv")]);
    // The worker has read and added both; the page, not told yet, offers the first one's Cancel.
    const files = (n) => window.__heldTypes.filter((type) => type === "file").length >= n;
    await page.waitForFunction(files, 2, { timeout: 30_000 });
    await page.click("#import-file-0 .import-progress button");
    // The answer to the Cancel: "cancelled", then the second file read again.
    await page.waitForFunction(files, 3, { timeout: 10_000 }).catch(() => {});
    await page.evaluate(() => window.__release());
    await page.waitForFunction(() => !document.querySelector(".import-progress"), null, { timeout: 30_000 });
    await page.waitForTimeout(300);
    assert.match(await page.textContent("#import-file-0"), /Cancelled\./);
    const second = await page.textContent("#import-file-1");
    assert.match(second, /ual-user-access\.csv/, second);
    assert.doesNotMatch(second, /adds to that of the other usage log/, second);
    assert.doesNotMatch(second, /Cancelled\./, second);
  });

  // Review of the import panel (1): two domains' exports both named users.csv (two folders) were
  // one file to the panel and the worker: the second took the first one's place (accounts 300 →
  // 40), the first row said it was "Counted together", "Count the directory exports together"
  // was never offered, and "Read the file again" on the first row read the second file.
  it("keeps two exports of one name apart, and reads again the file of its own row", async () => {
    const csv = (prefix, n) =>
      "SamAccountName,Enabled,LastLogonDate\n" + Array.from({ length: n }, (_, i) => `${prefix}${i},True,2025-06-20\n`).join("");
    const [a, b] = [join(artifacts, "domain-a", "users.csv"), join(artifacts, "domain-b", "users.csv")];
    await mkdir(join(artifacts, "domain-a"), { recursive: true });
    await mkdir(join(artifacts, "domain-b"), { recursive: true });
    await writeFile(a, csv("a", 3));
    await writeFile(b, csv("b", 2));
    await importFiles(page, [a]);
    await page.setInputFiles("#import-files", [b]);
    await page.waitForFunction(() => document.querySelectorAll(".import-file-meta").length === 2, null, { timeout: 30_000 });
    const accounts = (n) =>
      page.waitForFunction((n) => document.querySelector("#import-funnel-accounts tbody tr")?.dataset.remaining === String(n), n, { timeout: 20_000 });
    await accounts(2);
    assert.deepEqual(await page.$$eval(".import-file > strong", (s) => s.map((x) => x.textContent)), ["users.csv", "users.csv (2)"]);
    assert.match(await page.textContent("#import-file-0"), /Not counted any more: “users\.csv \(2\)” replaced it/);
    assert.match(await page.textContent("#import-file-1"), /Another file named users\.csv, with other content, is in this import already: this one is another export, shown as users\.csv \(2\)/);
    await page.check("#import-combine");
    await accounts(5);
    assert.match(await page.textContent("#import-file-0"), /Counted together with the other directory exports/);
    // "Read the file again" on the first row reads the first file, not the second.
    await page.click("#import-columns-0");
    await page.click("text=Read the file again");
    await page.waitForFunction(() => /the same name and content/.test(document.querySelector("#import-file-0")?.textContent ?? ""), null, { timeout: 30_000 });
    await accounts(5);
    assert.deepEqual(await page.$$eval(".import-file > strong", (s) => s.map((x) => x.textContent)), ["users.csv", "users.csv (2)"]);
    assert.match(await page.textContent("#import-file-0"), /3 rows/);
    await page.uncheck("#import-combine");
  });

  // Review of the import panel (2): a corrected licence statement (one quantity changed, same
  // file name) added up with the one it corrects, 250 + 260 Windows Server User CALs = 510.
  it("takes a corrected statement as taking the place of the one it corrects, and says so", async () => {
    const statement = (q) =>
      "Agreement Number,Product Description,License Version,Quantity,Software Assurance,SA End Date\n" +
      `V1234567,WinSvrCAL 2022 SNGL OLP NL UsrCAL,2022,${q},Yes,2027-06-30\n` +
      "V1234567,WinSvrCAL 2022 SNGL OLP NL DvcCAL,2022,40,No,\n" +
      "V1234567,WinRmtDsktpSrvcsCAL 2022 SNGL OLP NL UsrCAL,2022,25,Yes,2027-06-30\n";
    const [first, corrected] = [join(artifacts, "licence-statement.csv"), join(artifacts, "corrected", "licence-statement.csv")];
    await mkdir(join(artifacts, "corrected"), { recursive: true });
    await writeFile(first, statement(250));
    await writeFile(corrected, statement(260));
    await importFiles(page, [first]);
    await page.setInputFiles("#import-files", [corrected]);
    await page.waitForFunction(() => document.querySelectorAll(".import-file-meta").length === 2, null, { timeout: 30_000 });
    const holdings = await page.$$eval("#import-holdings li", (items) => items.map((li) => li.textContent).join(" | "));
    assert.match(holdings, /260/, holdings);
    assert.doesNotMatch(holdings, /510|250/, holdings);
    assert.match(
      await page.textContent("#import-file-1"),
      /licence-statement\.csv \(2\) repeats 2 of its 3 rows from licence-statement\.csv \(3 rows\), read before: it is taken as a corrected or newer download of that statement and takes its place/,
    );
    assert.match(await page.textContent("#import-file-0"), /Not counted any more: “licence-statement\.csv \(2\)” repeats most of its rows/);
  });

  // Review of the import panel (3): a year typed into "Counts as of" goes through 0002, 0020 and
  // 0202, each out of range; the field was set back to the date counted, so the year typed never
  // came about and the count was as of a date never typed.
  it("keeps what is typed in Counts as of while it is out of range, and applies the date typed", async () => {
    await page.fill("#import-as-of", "2024-01-15");
    await page.dispatchEvent("#import-as-of", "change");
    await page.focus("#import-as-of");
    await page.keyboard.type("06302025", { delay: 60 });
    await page.keyboard.press("Tab");
    await page.waitForTimeout(500);
    assert.equal(await page.inputValue("#import-as-of"), "2025-06-30");
    assert.equal(await page.$("#import-as-of-error"), null);
    // A date out of range stays in the field, with why, and is not applied.
    await page.fill("#import-as-of", "1999-12-31");
    await page.dispatchEvent("#import-as-of", "change");
    await page.waitForSelector("#import-as-of-error");
    assert.equal(await page.inputValue("#import-as-of"), "1999-12-31");
    assert.match(await page.textContent("#import-as-of-error"), /Still counting as of 2025-06-30/);
    await page.fill("#import-as-of", "2025-06-30");
    await page.dispatchEvent("#import-as-of", "change");
    await page.waitForFunction(() => !document.querySelector("#import-as-of-error"));
  });

  // Review of the import panel (5): the pager said "251–250 of 250" over an empty table once the
  // last page's accounts were all left out, and a usage log of one server said "1 servers".
  it("goes back to the last page that has accounts, and says one server in the singular", async () => {
    // u00–u09 last signed in on 15 April by the directory, the others on 20 June: all count as
    // of 30 June with 90 days; with 60, u01–u09 are dormant (u00 signed in on 2 June by the log).
    const users = join(artifacts, "users-52.csv");
    await writeFile(users, "SamAccountName,Enabled,LastLogonDate\n" + Array.from({ length: 52 }, (_, i) => `u${String(i).padStart(2, "0")},True,${i < 10 ? "2025-04-15" : "2025-06-20"}\n`).join(""));
    const logons = join(artifacts, "one-server.tsv");
    await writeFile(logons, "TimeCreated\tMachineName\tEventID\tTargetUserName\tTargetDomainName\tLogonType\tWorkstationName\tIpAddress\n2025-06-02T09:00:00\tFS01.corp.example\t4624\tu00\tCORP\t3\tWS000\t10.0.0.10\n");
    await importFiles(page, [users, logons]);
    await page.waitForSelector("#import-usage");
    const usage = await page.textContent("#import-usage");
    assert.match(usage, /1 server\./, usage);
    assert.doesNotMatch(usage, /1 servers|1 users|1 client devices|1 distinct links/, usage);
    await page.fill("#import-as-of", "2025-06-30");
    await page.dispatchEvent("#import-as-of", "change");
    await page.fill("#import-dormancy", "90");
    await page.dispatchEvent("#import-dormancy", "change");
    await page.selectOption(".import-accounts select:not([aria-label])", "counted");
    const range = () => page.textContent("[data-testid=import-page-range]");
    await page.waitForFunction(() => /of 52$/.test(document.querySelector("[data-testid=import-page-range]")?.textContent ?? ""), null, { timeout: 10_000 });
    await page.click(".import-pager button:has-text('Next')");
    await page.waitForFunction(() => /^51–52 of 52$/.test(document.querySelector("[data-testid=import-page-range]")?.textContent ?? ""), null, { timeout: 10_000 });
    // Fewer count once u01–u09 are dormant: page 2 would be past the last, so the list goes back
    // to the last page that has accounts. (A decision no longer takes its account out of the
    // list shown: see "keeps a decided account listed".)
    await page.fill("#import-dormancy", "60");
    await page.dispatchEvent("#import-dormancy", "change");
    await page.waitForFunction(() => /^1–43 of 43$/.test(document.querySelector("[data-testid=import-page-range]")?.textContent ?? ""), null, { timeout: 10_000 }).catch(() => {});
    assert.equal(await range(), "1–43 of 43");
    assert.equal(await page.locator(".import-account").count(), 43);
    await page.fill("#import-dormancy", "90");
    await page.dispatchEvent("#import-dormancy", "change");
    await page.selectOption(".import-accounts select:not([aria-label])", "");
  });
});

// Review of the import panel (build 339b718), the defects still open then: the rows' notes on
// which directory export counts, a sample's "Counts as of" kept for one's own export, no way to
// remove one file, the keyboard focus dropped to the page's body, nothing said of what a reload
// does not keep, the apply's summary after Restore, and two decisions of one label.
describe("import: one file removed, the notes and the focus that follow", () => {
  let visit, page;
  const users = async (name, prefix, n, { logon = "2025-06-20", header = "SamAccountName,Enabled,LastLogonDate,DistinguishedName,UserPrincipalName" } = {}) => {
    const file = join(artifacts, "review-impui", name);
    await mkdir(join(artifacts, "review-impui"), { recursive: true });
    const rows = Array.from({ length: n }, (_, i) => `${prefix}${i},True,${logon},"CN=${prefix} ${i},OU=Staff,DC=corp",${prefix}${i}@corp.example\n`);
    await writeFile(file, header + "\n" + rows.join(""));
    return file;
  };
  /** Reads `files` after those read already, and waits until each has its row. */
  const readMore = async (files, rows) => {
    await page.setInputFiles("#import-files", files);
    await page.waitForFunction(
      (n) => document.querySelectorAll(".import-file-meta, .import-file .import-failed").length >= n && !document.querySelector(".import-progress"),
      rows,
      { timeout: 30_000 },
    );
    await page.waitForTimeout(300);
  };
  const note = (i) => page.$eval(`#import-file-${i}`, (li) => li.querySelector(".import-replaced, .import-combined")?.textContent ?? "");
  const focused = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName);

  before(async () => {
    visit = await openFirstVisit();
    page = visit.page;
  });

  after(async () => {
    await visit?.close();
  });

  it("says which directory export counts after one with no account, and after one read again as another kind", async () => {
    const [a, header, b] = [await users("a.csv", "a", 3), await users("header-only.csv", "h", 0), await users("b.csv", "b", 2)];
    await importFiles(page, [a]);
    await readMore([header], 2);
    assert.equal(await note(0), "", "a header alone takes the place of none, and nothing counts together");
    await readMore([b], 3);
    assert.match(await note(0), /“b\.csv” replaced it/);
    assert.equal(await note(1), "");
    // b.csv read again as a device export: a.csv is the directory export that counts again.
    await page.click("#import-columns-2");
    await page.selectOption("#import-mapping-kind", "devices");
    await page.click("text=Read the file again");
    await page.waitForFunction(() => document.querySelector("#import-file-2 .import-file-meta")?.dataset.kind === "devices", null, { timeout: 30_000 });
    await page.waitForTimeout(300);
    assert.deepEqual([await note(0), await note(1), await note(2)], ["", "", ""]);
    await page.waitForFunction(() => document.querySelector("#import-funnel-accounts tbody tr")?.dataset.remaining === "3");
  });

  it("removes one file alone, keeping the others and the decisions on them, and gives the focus to what follows", async () => {
    const [a, b] = [await users("a.csv", "a", 3), await users("b.csv", "b", 2)];
    await importFiles(page, [a, sample("logon-events.tsv"), b]);
    await page.waitForSelector("#import-usage");
    assert.match(await note(0), /“b\.csv” replaced it/);
    await page.selectOption("select[aria-label='Decision for b0']", "exclude");
    await page.waitForFunction(() => document.querySelector("#import-funnel-accounts tbody tr:last-child")?.dataset.remaining === "1");
    // The usage log read by mistake: its row and its usage go, the exports and the decision stay.
    await page.click("button[aria-label='Remove logon-events.tsv']");
    await page.waitForSelector("#import-usage", { state: "detached", timeout: 10_000 });
    assert.deepEqual(await page.$$eval(".import-file > strong", (s) => s.map((x) => x.textContent)), ["a.csv", "b.csv"]);
    assert.equal(await focused(), "import-remove-1", "the next row's Remove");
    assert.equal(await page.$eval("select[aria-label='Decision for b0']", (s) => s.value), "exclude");
    // The export that counts removed, the one before it counts again and says nothing of it.
    await page.click("button[aria-label='Remove b.csv']");
    await page.waitForFunction(() => document.querySelector("#import-funnel-accounts tbody tr")?.dataset.remaining === "3", null, { timeout: 10_000 });
    assert.equal(await note(0), "");
    assert.equal(await focused(), "import-files", "no row after it: Choose files");
  });

  it("labels each of two accounts of one name by its export when they count together", async () => {
    const [a, b] = [await users("a.csv", "u", 2), await users("b.csv", "u", 1, { logon: "2025-06-21" })];
    await importFiles(page, [a, b]);
    await page.check("#import-combine");
    await page.fill(".import-accounts input[type=search]", "u0");
    await page.waitForFunction(() => document.querySelectorAll(".import-account").length === 2, null, { timeout: 10_000 });
    const labels = await page.$$eval(".import-account select", (s) => s.map((x) => x.getAttribute("aria-label")));
    assert.deepEqual(labels, ["Decision for u0 (a.csv)", "Kind of u0 (a.csv)", "Decision for u0 (b.csv)", "Kind of u0 (b.csv)"]);
    await page.fill(".import-accounts input[type=search]", "");
    await page.uncheck("#import-combine");
  });

  it("shows a decision as made when its account comes back into the list", async () => {
    await importFiles(page, [sample("ad-users.csv")]);
    const decision = async (q) => {
      await page.fill(".import-accounts input[type=search]", q);
      await page.waitForFunction((q) => [...document.querySelectorAll(".import-account .account-key")].every((k) => k.textContent.includes(q)), q, { timeout: 10_000 });
      return page.$eval("select[aria-label='Decision for dormant0']", (s) => [s.value, s.closest("tr").querySelector("[data-label=Verdict]").textContent]);
    };
    await decision("dormant0");
    await page.selectOption("select[aria-label='Decision for dormant0']", "exclude");
    await page.waitForFunction(() => document.querySelector(".import-account [data-label=Verdict]")?.textContent === "Left out by you");
    await page.fill(".import-accounts input[type=search]", "");
    await page.waitForFunction(() => document.querySelectorAll(".import-account").length > 1);
    try {
      assert.deepEqual(await decision("dormant0"), ["exclude", "Left out by you"]);
    } finally {
      await page.selectOption("select[aria-label='Decision for dormant0']", "");
      await page.fill(".import-accounts input[type=search]", "");
    }
  });

  it("keeps a decided account listed, and the focus on its decision, until the search or the filter changes", async () => {
    await importFiles(page, [sample("ad-users.csv")]);
    await page.fill(".import-accounts input[type=search]", "");
    await page.selectOption(".import-accounts select:not([aria-label])", "dormant");
    await page.waitForFunction(() => /^1–7 of 7$/.test(document.querySelector("[data-testid=import-page-range]")?.textContent ?? ""), null, { timeout: 10_000 });
    const first = await page.$eval(".import-account select", (s) => s.getAttribute("aria-label"));
    await page.focus(".import-account select");
    // Chromium applies each arrow key on a closed select: "Count it", then "Leave it out". The
    // account is no longer dormant but stays listed, so the next key changes its own decision,
    // not the next account's (WCAG 3.2.2 On Input).
    await page.keyboard.press("ArrowDown");
    await page.waitForFunction(() => document.querySelector(".import-account [data-label=Verdict]")?.textContent === "Counts", null, { timeout: 10_000 });
    assert.equal(await page.textContent("[data-testid=import-page-range]"), "1–7 of 7");
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("aria-label")), first);
    assert.match(await page.textContent(".import-account [data-testid=import-kept-row]"), /listed until the search or “Show” changes/);
    await page.keyboard.press("ArrowDown");
    await page.waitForFunction(() => document.querySelector(".import-account [data-label=Verdict]")?.textContent === "Left out by you", null, { timeout: 10_000 });
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("aria-label")), first);
    assert.equal(await page.textContent("[data-testid=import-page-range]"), "1–7 of 7");
    // Shown again by the filter, the list is the dormant accounts without it.
    await page.selectOption(".import-accounts select:not([aria-label])", "");
    await page.waitForFunction(() => !/ of 7$/.test(document.querySelector("[data-testid=import-page-range]")?.textContent ?? ""), null, { timeout: 10_000 });
    await page.selectOption(".import-accounts select:not([aria-label])", "dormant");
    await page.waitForFunction(() => /^1–6 of 6$/.test(document.querySelector("[data-testid=import-page-range]")?.textContent ?? ""), null, { timeout: 10_000 });
    assert.equal(await page.locator("[data-testid=import-kept-row]").count(), 0);
    await page.selectOption(".import-accounts select:not([aria-label])", "");
    await page.fill(".import-accounts input[type=search]", first.replace("Decision for ", ""));
    await page.waitForSelector(`select[aria-label='${first}']`, { timeout: 10_000 });
    await page.selectOption(`select[aria-label='${first}']`, "");
    await page.fill(".import-accounts input[type=search]", "");
  });

  it("counts one's own export as of today once the sample's files are forgotten, and says when logons come after the date", async () => {
    await forget(page);
    await page.click(".import-samples summary");
    await page.click("[data-sample='entra-users.csv']");
    await page.waitForSelector(".import-file-meta", { timeout: 30_000 });
    assert.equal(await page.inputValue("#import-as-of"), "2025-06-30");
    await page.click("text=Forget the imported files");
    const late = await users("late.csv", "late", 2, { logon: "2025-07-15" });
    await page.setInputFiles("#import-files", [late]);
    await page.waitForSelector(".import-file-meta", { timeout: 30_000 });
    const today = await page.evaluate(() => new Date().toLocaleDateString("sv"));
    assert.equal(await page.inputValue("#import-as-of"), today);
    // Counted as of a day before its logons, the panel says so beside the date.
    await page.fill("#import-as-of", "2025-06-30");
    await page.dispatchEvent("#import-as-of", "change");
    await page.waitForSelector("[data-testid=import-logons-after]", { timeout: 10_000 });
    assert.match(await page.textContent("[data-testid=import-logons-after]"), /2 accounts signed in after 2025-06-30 \(the latest on 2025-07-15\)/);
  });

  it("gives the focus to the apply's summary, and after Restore says the import is undone", async () => {
    await importFiles(page, [sample("ad-users.csv")]);
    await page.click("#import-apply");
    await page.waitForSelector(".import-applied", { timeout: 30_000 });
    await page.waitForTimeout(300);
    assert.equal(await focused(), "import-applied");
    // The estate is the user's now: asked, then added to, with other figures (no account dormant).
    await page.fill("#import-dormancy", "3650");
    await page.dispatchEvent("#import-dormancy", "change");
    await page.waitForFunction(() => document.querySelector("#import-funnel-accounts tbody tr:nth-child(7)")?.dataset.removed === "0");
    await page.click("#import-apply");
    await page.focus("#import-add");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.activeElement?.id === "import-applied", null, { timeout: 30_000 }).catch(() => {});
    assert.equal(await focused(), "import-applied");
    await page.click("[data-testid=notice] button:has-text('Restore the previous estate')");
    await page.waitForFunction(() => /not the one shown any more/.test(document.querySelector(".import-applied")?.textContent ?? ""), null, { timeout: 10_000 }).catch(() => {});
    assert.match(await page.textContent(".import-applied"), /not the one shown any more.*Restore the previous estate/);
  });

  it("says after a reload that the files and the decisions on accounts were not kept", async () => {
    assert.equal(await page.$("[data-testid=import-not-kept]"), null, "not while the files are there");
    // Saved a moment after Restore: the imported groups are in the estate kept in this browser.
    await page.waitForFunction(() => /"imported-/.test(localStorage.getItem("cal-calc.estate.v1") ?? ""), null, { timeout: 10_000 });
    await page.reload();
    await waitForResult(page);
    await page.waitForSelector("[data-testid=import-not-kept]", { timeout: 10_000 });
    assert.match(await page.textContent("[data-testid=import-not-kept]"), /decisions made on single accounts .* never saved/);
  });
});
