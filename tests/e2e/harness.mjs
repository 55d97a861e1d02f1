// Shared pieces of the end-to-end tests: a static server for dist/ on 127.0.0.1 (node's http, no
// dependency), Debian's Chromium through playwright-core (never a downloaded browser), and a
// recorder of every request a page makes. Run the suite with `node --test tests/e2e/` after
// `trunk build --release` (scripts/test.sh does both).
import { createServer } from "node:http";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const root = resolve(fileURLToPath(new URL("../..", import.meta.url)));
/** The build under test: `dist/`, or the directory CAL_CALC_DIST names (to run a test against another build). */
export const dist = process.env.CAL_CALC_DIST ? resolve(process.env.CAL_CALC_DIST) : join(root, "dist");
export const artifacts = join(root, "tests", "e2e", "artifacts");

const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".webmanifest": "application/manifest+json",
  ".csv": "text/csv; charset=utf-8",
  ".tsv": "text/tab-separated-values; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".ts": "text/plain; charset=utf-8",
};

const HASHED = /-[0-9a-f]{12,16}(_bg\.wasm|\.js|\.css|\.svg|\.d\.ts)$/;

/** The policy of an HTML page's `<meta http-equiv="Content-Security-Policy">`, if it has one. */
export function metaCsp(html) {
  return html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)"/i)?.[1];
}

/**
 * Serves `dir` on 127.0.0.1 at a free port. As a sensible deployment would (docs/deploys.md),
 * every response carries a Content-Security-Policy header: an HTML page's own `<meta>` policy,
 * and for every other file (the workers' and the service worker's scripts among them, which a
 * page's `<meta>` policy does not bind) the policy of the `index.html` in its folder. `csp: false`
 * sends none (a host that sends no headers: the workers then rely on www/lockdown.js alone).
 * `headers` are added to every response and win (the embed test uses them for a host page's own
 * CSP). Returns { origin, url(path), close() }.
 */
export async function serve(dir = dist, { headers = {}, csp = true } = {}) {
  await stat(join(dir, "index.html")).catch(() => {
    throw new Error(`${dir}/index.html not found: run \`trunk build --release\` first`);
  });
  const policyOf = async (path) => {
    const page = extname(path) === ".html" ? path : join(dirname(path), "index.html");
    return metaCsp(await readFile(page, "utf8").catch(() => ""));
  };
  const server = createServer(async (request, response) => {
    try {
      const { pathname } = new URL(request.url, "http://localhost");
      let path = normalize(join(dir, decodeURIComponent(pathname)));
      if (path !== dir && !path.startsWith(dir + sep)) {
        response.writeHead(403).end();
        return;
      }
      if (pathname.endsWith("/")) path = join(path, "index.html");
      const body = await readFile(path);
      const policy = csp ? await policyOf(path) : undefined;
      response.writeHead(200, {
        "content-type": MIME[extname(path)] ?? "application/octet-stream",
        ...(policy ? { "content-security-policy": policy } : {}),
        // As a sensible deployment would: trunk's content-hashed files never change.
        "cache-control": HASHED.test(path) ? "public, max-age=31536000, immutable" : "no-cache",
        ...headers,
      });
      response.end(request.method === "HEAD" ? undefined : body);
    } catch {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found");
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    url: (path = "/") => new URL(path, origin).href,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/** Chromium flags that keep it from reaching the internet on its own (see toolchain notes). */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
  "--disable-quic",
];

/**
 * Debian's Chromium with a fresh profile (so a first visit really is one). Returns a persistent
 * context (service workers need a profile) plus close(), which also removes the profile.
 */
export async function launch({ viewport = { width: 1280, height: 900 }, timezoneId } = {}) {
  const profile = await mkdtemp(join(tmpdir(), "cal-calc-e2e-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
    headless: true,
    viewport,
    ...(timezoneId ? { timezoneId } : {}),
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Records every request the context's pages, frames and workers make (including service worker
 * fetches and requests the page blocks itself), and every CSP violation and console error.
 * Call before navigating.
 */
export function record(context) {
  const requests = [];
  const violations = [];
  const errors = [];
  context.on("request", (request) => requests.push(request.url()));
  context.on("response", (response) => {
    if (response.status() >= 400) errors.push(`HTTP ${response.status()} for ${response.url()}`);
  });
  const watch = (page) => {
    page.on("console", (message) => {
      const text = message.text();
      if (/Content[- ]Security[- ]Policy/i.test(text)) violations.push(text);
      // Failed loads are reported with their URL by the response listener above.
      else if (message.type() === "error" && !text.startsWith("Failed to load resource")) errors.push(text);
    });
    page.on("pageerror", (error) => errors.push(String(error)));
  };
  context.pages().forEach(watch);
  context.on("page", watch);
  return { requests, violations, errors };
}

/**
 * Adds a listener for `securitypolicyviolation` to every document before its scripts run, so a
 * blocked inline script, style or connection shows up in window.__cspViolations.
 */
export async function watchCsp(context) {
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (event) => {
      window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
    });
  });
}

/**
 * Runs `f(page)` on a first visit to `server` in a fresh profile (the sample, nothing saved),
 * once its result shows; then closes the browser.
 */
export async function onFirstVisit(server, f, { viewport } = {}) {
  const fresh = await launch(viewport ? { viewport } : {});
  try {
    const p = fresh.context.pages()[0] ?? (await fresh.context.newPage());
    await p.goto(server.url("/"));
    await waitForResult(p);
    return await f(p);
  } finally {
    await fresh.close();
  }
}

/**
 * A first visit kept open for a suite of tests: a server of `dist/` (or of CAL_CALC_DIST, to test
 * another build), a fresh browser and its page showing the sample's result. `close()` ends both.
 * `init`, if given, runs in the page before its own scripts (playwright's `addInitScript`).
 */
export async function openFirstVisit({ init } = {}) {
  const server = await serve(dist);
  const browser = await launch();
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  if (init) await page.addInitScript(init);
  await page.goto(server.url("/"));
  await waitForResult(page);
  return {
    server,
    browser,
    page,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** What the first visit must show: the total of the recommended purchase (src/ui/components/results.rs). */
export const RESULT = "[data-testid=total]";

/** Waits until the app shows a result (the sample estate on a first visit). */
export async function waitForResult(page, timeout = 20_000) {
  await page.waitForSelector(RESULT, { state: "visible", timeout });
  await page.waitForFunction(
    (selector) => /\d/.test(document.querySelector(selector)?.textContent ?? ""),
    RESULT,
    { timeout },
  );
}

/**
 * Opens every card of the detailed editor and waits for their fields: a closed card renders its
 * summary only, and an opened one its body after its `toggle` event.
 */
export async function openCards(page) {
  await page.evaluate(() => document.querySelectorAll("details.row-card").forEach((d) => (d.open = true)));
  await page.waitForFunction(() =>
    [...document.querySelectorAll("details.row-card")].every((d) => d.querySelector(".row-head")),
  );
}

/**
 * Opens the detailed editor's card whose summary is `#summary` ("card-groups-0"), if the page
 * has it closed, and waits for its fields; a page without it is left as it is.
 */
export async function openCard(page, summary) {
  const card = page.locator(`details.row-card:has(> summary#${summary})`);
  if (!(await card.count()) || (await card.evaluate((d) => d.open))) return;
  await page.click(`#${summary}`);
  await card.locator(".row-head").waitFor();
}
