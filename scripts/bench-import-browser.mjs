#!/usr/bin/env node
// Browser import benchmark: the calculator's WebAssembly import against PapaParse plus the same
// classification written in JavaScript, on one generated Active Directory export (1,000,000
// accounts by default), in Debian's Chromium. Both stream the same File from disk in the page.
//
//   trunk build --release
//   node scripts/bench-import-browser.mjs [accounts]        (BENCH_FILE=path to reuse a file)
//
// The export is written by `cargo run --profile bench --example gen_ad_export` (the generator of
// benches/import.rs) into the system's temporary directory, never into the repository.
import { execFileSync } from "node:child_process";
import { cp, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dist, launch, root, serve } from "../tests/e2e/harness.mjs";

const accounts = Number(process.argv[2] ?? 1_000_000);
const file = process.env.BENCH_FILE ?? join(tmpdir(), `cal-calc-ad-export-${accounts}.csv`);
if (!(await stat(file).catch(() => null))) {
  console.log(`generating ${file} …`);
  execFileSync("cargo", ["run", "--quiet", "--profile", "bench", "--example", "gen_ad_export", "--", String(accounts), file], {
    cwd: root,
    stdio: "inherit",
  });
}
const size = (await stat(file)).size;

// A scratch copy of the build plus PapaParse and the bench page (no CSP: it loads a library the
// app does not ship). Nothing is fetched from outside 127.0.0.1.
const site = await mkdtemp(join(tmpdir(), "cal-calc-bench-"));
await cp(dist, site, { recursive: true });
await cp(join(root, "node_modules", "papaparse", "papaparse.min.js"), join(site, "papaparse.min.js"));
await writeFile(
  join(site, "bench.html"),
  `<!doctype html><meta charset="utf-8"><title>import bench</title><input type="file" id="f">
<script src="papaparse.min.js"></script><script type="module" src="bench.js"></script>`,
);
await writeFile(join(site, "bench.js"), BENCH_JS());

const server = await serve(site);
const browser = await launch();
try {
  const page = await browser.context.newPage();
  await page.goto(server.url("/bench.html"));
  await page.waitForFunction(() => window.benchReady === true, null, { timeout: 60_000 });
  await page.setInputFiles("#f", file);
  const runs = Number(process.env.BENCH_RUNS ?? 2);
  const results = { wasm: [], papa: [] };
  for (let i = 0; i < runs; i++) {
    results.wasm.push(await page.evaluate(() => window.runWasm()));
    results.papa.push(await page.evaluate(() => window.runPapa()));
  }
  const best = (rs) => rs.reduce((a, b) => (a.ms < b.ms ? a : b));
  const w = best(results.wasm);
  const p = best(results.papa);
  const mb = size / 1e6;
  console.log(`file: ${accounts} accounts, ${mb.toFixed(0)} MB (${file})`);
  console.log(`wasm import + classify   ${w.ms.toFixed(0).padStart(6)} ms  ${(mb / (w.ms / 1000)).toFixed(0).padStart(5)} MB/s  people ${w.people}, accounts ${w.accounts} (reading ${w.read.toFixed(0)} ms, classifying ${(w.ms - w.read).toFixed(0)} ms)`);
  console.log(`PapaParse + JS classify  ${p.ms.toFixed(0).padStart(6)} ms  ${(mb / (p.ms / 1000)).toFixed(0).padStart(5)} MB/s  people ${p.people}, accounts ${p.accounts}`);
  console.log(`speed-up ${(p.ms / w.ms).toFixed(2)}× (target ≥ 3×); best of ${runs} runs each`);
  if (w.people !== p.people) console.log(`note: the two classifications disagree on people (${w.people} vs ${p.people})`);
} finally {
  await browser.close();
  await server.close();
  await rm(site, { recursive: true, force: true });
}

function BENCH_JS() {
  return `import { load } from "./calc.js";
const api = await load();
const TODAY = "2025-06-30";
const file = () => document.getElementById("f").files[0];

window.runWasm = async () => {
  const t0 = performance.now();
  const s = new api.ImportSession();
  s.begin("");
  const reader = file().stream().getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    s.push(value);
  }
  s.finish("bench.csv");
  const read = performance.now() - t0;
  const o = JSON.parse(s.overview(JSON.stringify({ today: TODAY })));
  const ms = performance.now() - t0;
  s.free();
  return { ms, read, people: o.accounts.people, accounts: o.accounts.funnel[0].remaining };
};

// The same rules as src/import/directory.rs, in plain JavaScript over PapaParse's rows.
const FT_DAY = 864000000000n;
const DAYS_1601_1970 = 134774n;
const todayDays = Math.floor(Date.parse(TODAY) / 86400000);
const cutoff = todayDays - 90;
const ftDays = (v) => {
  if (!v || v === "0" || v === "9223372036854775807") return null;
  return Number(BigInt(v) / FT_DAY - DAYS_1601_1970);
};
const SYSTEM = new Set(["krbtgt", "guest", "defaultaccount", "wdagutilityaccount"]);
const adminBase = (n) => {
  for (const p of ["adm-", "adm_", "admin-", "a-", "a_"]) if (n.startsWith(p) && n.length > p.length + 1) return n.slice(p.length);
  for (const s of ["-a", "_a", "-adm", "_adm", "-admin", ".admin"]) if (n.endsWith(s) && n.length > s.length + 1) return n.slice(0, -s.length);
  return null;
};
const isService = (n, r) => {
  const strong = n.endsWith("$") || /^(svc|sa-|sa_|srv_|srv-|service_|service-)/.test(n) || !!r.servicePrincipalName ||
    /ou=service accounts/i.test(r.DistinguishedName || "");
  const weak = (r.PasswordNeverExpires === "True") + n.includes("sql") + n.includes("backup");
  return strong || weak >= 2;
};

window.runPapa = () => new Promise((resolve, reject) => {
  const t0 = performance.now();
  const counted = []; // [key, employeeID, mail, admin]
  let accounts = 0;
  Papa.parse(file(), {
    header: true,
    skipEmptyLines: true,
    comments: "#",
    chunkSize: 8 * 1024 * 1024,
    chunk: (res) => {
      for (const r of res.data) {
        accounts++;
        const name = (r.SamAccountName || r.UserPrincipalName || "").trim();
        const n = name.toLowerCase();
        if (r.Enabled === "False") continue;
        const exp = ftDays(r.accountExpires);
        if (exp !== null && exp < todayDays) continue;
        if (SYSTEM.has(n)) continue;
        if (isService(n, r)) continue;
        const last = ftDays(r.lastLogonTimestamp);
        if (last === null || last < cutoff - 14) continue;
        counted.push([n, (r.EmployeeID || "").toLowerCase(), (r.EmailAddress || "").toLowerCase(), adminBase(n), r.employeeType]);
      }
    },
    complete: () => {
      const parent = counted.map((_, i) => i);
      const find = (x) => { while (parent[x] !== x) { parent[x] = parent[parent[x]]; x = parent[x]; } return x; };
      const union = (a, b) => { const ra = find(a), rb = find(b); if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb); };
      const byName = new Map(), byId = new Map(), byMail = new Map();
      counted.forEach(([n, id, mail], i) => {
        if (!byName.has(n)) byName.set(n, i);
        for (const [map, k] of [[byId, id], [byMail, mail]]) {
          if (!k) continue;
          if (map.has(k)) union(map.get(k), i); else map.set(k, i);
        }
      });
      counted.forEach(([, , , base], i) => { if (base && byName.has(base)) union(byName.get(base), i); });
      const people = new Set(counted.map((_, i) => find(i))).size;
      resolve({ ms: performance.now() - t0, people, accounts });
    },
    error: reject,
  });
});
window.benchReady = true;
`;
}
