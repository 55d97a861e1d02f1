// The privacy promise, checked in a real browser against the release build: a first visit shows a
// result; every request goes to the page's own origin (also after using the app); the CSP is on
// and nothing violates it; no serious or critical accessibility violation (axe-core). The Web
// Workers and the service worker, which the page's <meta> CSP does not bind, reach no other origin
// either: by the same policy sent as a header, and by their own lock-down (www/lockdown.js) when
// the server sends none.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { artifacts, dist, launch, metaCsp, record, root, serve, waitForResult, watchCsp, RESULT } from "./harness.mjs";

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
    // violations that show the policy did the blocking: each entry is "<directive> blocked <uri>",
    // once for each of the page's two copies of the policy (the <meta> and the header).
    const violations = outcome.violations.map((v) => {
      const [directive, , ...uri] = v.split(" ");
      return { directive, uri: uri.join(" ") };
    });
    const script = violations.filter((v) => /^script-src(-elem)?$/.test(v.directive) && v.uri === "inline");
    assert.equal(script.length, 2, `a script-src violation for the inline script per policy among ${outcome.violations}`);
    const connect = violations.filter((v) => v.directive === "connect-src" && /^http:\/\/127\.0\.0\.2:9\/?$/.test(v.uri));
    assert.equal(connect.length, 2, `a connect-src violation for http://127.0.0.2:9 per policy among ${outcome.violations}`);
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

/** A server on another origin (another port) that records whatever reaches it. */
async function foreignServer() {
  const hits = [];
  const server = createServer((request, response) => {
    hits.push(`${request.method} ${request.url}`);
    response.writeHead(200, { "access-control-allow-origin": "*", "content-type": "text/plain" }).end("ok");
  });
  server.on("upgrade", (request, socket) => {
    hits.push(`upgrade ${request.url}`);
    socket.destroy();
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    hits,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/**
 * Run inside a worker: tries each way to reach `foreign` (fetch, WebSocket, XMLHttpRequest,
 * EventSource where the worker has them; also after trying to put the originals back, and through
 * a WebSocket's prototype) and a same-origin fetch. Each outcome is "refused: <message>" when the
 * call threw or its promise rejected, else what the connection did.
 */
async function probe(foreign) {
  const ws = foreign.replace(/^http/, "ws");
  const settle = (start) =>
    new Promise((done) => {
      try {
        start(done);
      } catch (error) {
        done(`refused: ${error.message}`);
      }
      setTimeout(() => done("no answer"), 3000);
    });
  const out = {};
  out.fetch = await fetch(`${foreign}/fetch`, { mode: "no-cors" }).then(() => "sent", (e) => `refused: ${e.message}`);
  out.request = await fetch(new Request(`${foreign}/request`), { mode: "no-cors" }).then(() => "sent", (e) => `refused: ${e.message}`);
  out.webSocket = await settle((done) => {
    const socket = new WebSocket(`${ws}/ws`);
    socket.onopen = () => done("open");
    socket.onerror = () => done("error");
  });
  if (typeof XMLHttpRequest === "function") {
    out.xhr = await settle((done) => {
      const xhr = new XMLHttpRequest();
      xhr.open("GET", `${foreign}/xhr`);
      xhr.onloadend = () => done(xhr.status ? `sent (${xhr.status})` : "error");
      xhr.send();
    });
  }
  if (typeof EventSource === "function") {
    out.eventSource = await settle((done) => {
      const source = new EventSource(`${foreign}/sse`);
      source.onopen = () => (source.close(), done("open"));
      source.onerror = () => (source.close(), done("error"));
    });
  }
  // The originals cannot be put back.
  try {
    self.fetch = undefined;
  } catch {}
  try {
    delete self.fetch;
  } catch {}
  out.fetchAfterTampering = await Promise.resolve()
    .then(() => fetch(`${foreign}/tampered`, { mode: "no-cors" }))
    .then(() => "sent", (e) => `refused: ${e.message}`);
  out.webSocketPrototype = await settle((done) => {
    const socket = new WebSocket.prototype.constructor(`${ws}/prototype`);
    socket.onopen = () => done("open");
    socket.onerror = () => done("error");
  });
  // Nor through the global's prototypes, where fetch and importScripts are defined (security
  // review 40: Object.getPrototypeOf(self).fetch was the original), nor by WebSocketStream.
  for (let o = Object.getPrototypeOf(self), n = 1; o; o = Object.getPrototypeOf(o), n++) {
    for (const name of ["fetch", "importScripts"]) {
      if (!Object.hasOwn(o, name) || typeof o[name] !== "function") continue;
      out[`${name}OfPrototype${n}`] = await Promise.resolve()
        .then(() => (name === "fetch" ? o.fetch.call(self, `${foreign}/prototype-fetch`, { mode: "no-cors" }) : o.importScripts.call(self, `${foreign}/prototype-import.js`)))
        .then(() => "sent", (e) => `refused: ${e.message}`);
    }
  }
  if (typeof WebSocketStream === "function") {
    out.webSocketStream = await settle((done) => {
      const stream = new WebSocketStream(`${ws}/stream`);
      stream.opened.then(() => done("open"), () => done("error"));
    });
  }
  // Same origin still works (the engine's wasm, the samples, the service worker's cache).
  out.sameOrigin = await fetch(new URL("./lockdown.js", self.location.href)).then((r) => `status ${r.status}`, (e) => `refused: ${e.message}`);
  return out;
}

/** Starts the two Web Workers as the app does (module workers named by the page's engine entry). */
async function startWorkers(page) {
  await page.evaluate(async () => {
    const name = document.documentElement.dataset.engine;
    // A message each answers only once its module ran (the lock-down is its first import).
    const answer = (worker, message) =>
      new Promise((ok) => {
        worker.onmessage = () => ok();
        worker.onerror = () => ok();
        worker.postMessage(message);
      });
    window.__probed = [new Worker("./evaluate-worker.js", { type: "module", name }), new Worker("./import-worker.js", { type: "module", name })];
    await Promise.all([answer(window.__probed[0], { type: "probe" }), answer(window.__probed[1], { type: "clear" })]);
  });
}

describe("the policy as a header", () => {
  it("is written down as the page's own: trunk serve (Trunk.toml) and the nginx example (docs/deploys.md)", async () => {
    const page = metaCsp(await readFile(join(root, "index.html"), "utf8"));
    assert.equal(page, EXPECTED_CSP);
    const trunk = (await readFile(join(root, "Trunk.toml"), "utf8")).match(/"Content-Security-Policy" = "([^"]*)"/)?.[1];
    // Plus frame-src 'self', so that embed-example.html, which gets the same header under trunk
    // serve, can frame the calculator; the app's pages forbid frames by their <meta> policy.
    assert.equal(trunk, `${page}; frame-src 'self'`, "Trunk.toml [serve] headers");
    const nginx = (await readFile(join(root, "docs", "deploys.md"), "utf8")).match(/add_header Content-Security-Policy "([^"]*)" always;/)?.[1];
    assert.equal(nginx, page, "docs/deploys.md");
  });
});

for (const header of [false, true]) {
  describe(`the workers reach no other origin (${header ? "with" : "without"} the CSP header)`, () => {
    let server, foreign, browser, page;

    before(async () => {
      server = await serve(dist, { csp: header });
      foreign = await foreignServer();
      browser = await launch();
      page = browser.context.pages()[0] ?? (await browser.context.newPage());
      await page.goto(server.url("/"));
      await waitForResult(page);
      await page.evaluate(() => navigator.serviceWorker.ready);
    });

    after(async () => {
      await browser?.close();
      await foreign?.close();
      await server?.close();
    });

    it(header ? "the server sends the page's policy as a header with every worker script" : "the server sends no policy header", async () => {
      const policy = metaCsp(await readFile(join(dist, "index.html"), "utf8"));
      assert.equal(policy, EXPECTED_CSP);
      for (const script of ["evaluate-worker.js", "import-worker.js", "sw.js", "lockdown.js"]) {
        const response = await fetch(server.url(`/${script}`));
        assert.equal(response.headers.get("content-security-policy"), header ? policy : null, script);
      }
    });

    it("from inside each Web Worker and the service worker nothing reaches another origin", async () => {
      await startWorkers(page);
      const workers = page.workers().filter((w) => /\/(evaluate|import)-worker\.js$/.test(w.url()));
      // The app may have started its own evaluation worker too: each is probed.
      for (const script of ["evaluate-worker.js", "import-worker.js"]) {
        assert.ok(workers.some((w) => w.url().endsWith(`/${script}`)), `${script} among ${page.workers().map((w) => w.url())}`);
      }
      const service = browser.context.serviceWorkers();
      assert.equal(service.length, 1, "one service worker");
      const outcomes = {};
      for (const [n, worker] of [...workers, ...service].entries()) {
        outcomes[`${n} ${new URL(worker.url()).pathname}`] = await worker.evaluate(probe, foreign.origin);
      }
      await new Promise((ok) => setTimeout(ok, 300));
      assert.deepEqual(foreign.hits, [], `reached ${foreign.origin}: ${JSON.stringify(outcomes, null, 1)}`);
      for (const [script, outcome] of Object.entries(outcomes)) {
        const { sameOrigin, ...foreignOnes } = outcome;
        assert.equal(sameOrigin, "status 200", `${script}: a same-origin fetch`);
        for (const [way, result] of Object.entries(foreignOnes)) {
          // Without the header only the lock-down can refuse: its own message shows it did.
          const expected = header ? /^(refused|error)/ : /^refused: The calculator's worker sends nothing to another address/;
          assert.match(result, expected, `${script}: ${way}`);
        }
      }
    });
  });
}
