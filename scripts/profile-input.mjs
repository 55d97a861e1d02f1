// Where the time of an edit goes (docs/benchmarks.md, "Input latency: what was done"). Not a
// test: it prints a profile. Run after `trunk build --release`:
//   node scripts/profile-input.mjs [--edits N] [--match REGEX] [--sample]
//
// It rebuilds the app module (cached by cargo) and runs wasm-bindgen on it without wasm-opt, so
// the wasm keeps its function names, swaps that module into a scratch copy of dist/, opens the
// 50-server estate of scripts/budget.mjs (or, with --sample, the sample estate a first visit
// shows), and records Chromium's sampling profiler (CDP, 100 µs)
// over N edits of the first count field. Prints the latency p50/p95 (slower than the release
// build: no wasm-opt, plus the profiler) and the time per function, self and inclusive.
import { execFileSync } from "node:child_process";
import { deflateSync } from "node:zlib";
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launch, serve, dist, root, RESULT, openCard } from "../tests/e2e/harness.mjs";
import { estate50 } from "./estate50.mjs";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const edits = Number(arg("--edits", 60));
const pattern = new RegExp(arg("--match", "cal_calc|yew"));
const sample = process.argv.includes("--sample");

const site = await mkdtemp(join(tmpdir(), "cal-calc-profile-"));
const bindgen = await mkdtemp(join(tmpdir(), "cal-calc-profile-bg-"));
try {
  execFileSync(
    "cargo",
    ["build", "--release", "--offline", "--lib", "--target", "wasm32-unknown-unknown", "--no-default-features", "--features", "app"],
    { cwd: root, stdio: "inherit" },
  );
  const built = join(process.env.CARGO_TARGET_DIR ?? join(root, "target"), "wasm32-unknown-unknown", "release", "cal_calc.wasm");
  execFileSync("wasm-bindgen", ["--target", "web", "--out-dir", bindgen, "--out-name", "named", built], { stdio: "inherit" });
  await cp(dist, site, { recursive: true });
  const wasm = (await readdir(site)).find((f) => /^cal-calc-[0-9a-f]{12,16}_bg\.wasm$/.test(f));
  if (!wasm) throw new Error("dist/ has no app module: run `trunk build --release` first");
  const js = wasm.replace(/_bg\.wasm$/, ".js");
  await cp(join(bindgen, "named_bg.wasm"), join(site, wasm));
  await writeFile(join(site, js), (await readFile(join(bindgen, "named.js"), "utf8")).replaceAll("named_bg.wasm", wasm));
  // The preload links carry SRI hashes of the release files; the swapped ones differ.
  const index = join(site, "index.html");
  await writeFile(index, (await readFile(index, "utf8")).replace(/ integrity="[^"]*"/g, ""));
  await profile(site);
} finally {
  await rm(site, { recursive: true, force: true });
  await rm(bindgen, { recursive: true, force: true });
}

async function profile(dir) {
  const server = await serve(dir);
  const browser = await launch();
  try {
    const link = sample ? "" : "#e1." + deflateSync(Buffer.from(JSON.stringify(estate50()))).toString("base64url");
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await page.goto(server.url("/") + link);
    await page.waitForFunction((s) => /\d/.test(document.querySelector(s)?.textContent ?? ""), RESULT, { timeout: 30_000 });
    // The first group's card, closed in a long estate, holds the count field scripts/budget.mjs edits.
    await openCard(page, "card-groups-0");
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
    await cdp.send("Profiler.start");
    const { latencies, label } = await page.evaluate(
      async ([selector, n]) => {
        const total = () => document.querySelector(selector)?.textContent;
        // Quick mode's employees, else (an estate that opens in detailed mode) the first count
        // field with a figure, as scripts/budget.mjs edits.
        const field =
          document.querySelector("#q-employees") ??
          [...document.querySelectorAll("input[type=number], input[inputmode=numeric]")].find((f) => Number(f.value) > 0);
        const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set;
        const out = [];
        for (let i = 0; i < n; i++) {
          const before = total();
          const t0 = performance.now();
          await new Promise((resolve) => {
            const observer = new MutationObserver(() => {
              if (total() !== before) {
                observer.disconnect();
                out.push(performance.now() - t0);
                resolve();
              }
            });
            observer.observe(document.body, { subtree: true, childList: true, characterData: true });
            setter.call(field, String(Number(field.value) + (i % 2 ? -1 : 1)));
            field.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertText" }));
          });
          await new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 0)));
        }
        return { latencies: out, label: field.labels?.[0]?.textContent?.trim() ?? field.id };
      },
      [RESULT, edits],
    );
    const { profile } = await cdp.send("Profiler.stop");
    latencies.sort((a, b) => a - b);
    const q = (p) => latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)].toFixed(1);
    console.log(`${sample ? "sample estate" : "50-server estate"}, ${edits} edits of "${label}": p50 ${q(0.5)} ms, p95 ${q(0.95)} ms (named, unoptimised wasm, profiler on)`);

    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const self = new Map();
    const inclusive = new Map();
    profile.samples.forEach((id, i) => {
      const dt = profile.timeDeltas[i] ?? 0;
      const name = (n) => n.callFrame.functionName || "(anonymous)";
      self.set(name(nodes.get(id)), (self.get(name(nodes.get(id))) ?? 0) + dt);
      const seen = new Set();
      for (let x = id; x !== undefined; x = parent.get(x)) {
        const n = name(nodes.get(x));
        if (seen.has(n)) continue;
        seen.add(n);
        inclusive.set(n, (inclusive.get(n) ?? 0) + dt);
      }
    });
    const per = (us) => `${(us / 1000 / edits).toFixed(2).padStart(7)} ms/edit`;
    console.log("\nself time, top 25:");
    for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(per(v), k.slice(0, 140));
    console.log(`\ninclusive time of functions matching ${pattern}, top 40:`);
    for (const [k, v] of [...inclusive].filter(([k]) => pattern.test(k)).sort((a, b) => b[1] - a[1]).slice(0, 40)) {
      console.log(per(v), k.slice(0, 140));
    }
  } finally {
    await browser.close();
    await server.close();
  }
}
