// trunk post_build hook (Trunk.toml), run in the staging directory before it becomes dist/.
// The web build is two WebAssembly modules made from the one crate:
//   - the app (yew UI + engine), built by trunk with `--no-default-features --features app`;
//   - the engine module (engine + import + JavaScript API, no UI), built here with
//     `--features js-api`: the import's and the full evaluation's Web Workers and the JavaScript
//     API load it, the page never does until the user imports a file or an edit needs a full
//     evaluation, so a first visit does not carry it.
// This script:
//  1. builds the engine module (cargo, wasm-bindgen, and wasm-opt -Oz in release builds) into
//     engine-<hash>.js / engine-<hash>_bg.wasm / engine-<hash>.d.ts;
//  2. writes the stable-named entries: app.js (boot.js starts the app through it) and calc.js
//     (+ calc.d.ts), which loads the engine module for host pages using the JavaScript API
//     (api-example.html). Hashed names change every build; these do not. Also calc-<hash>.js,
//     calc.js's hashed twin, through which the page's own workers load the engine: app.js puts
//     its name on the page (data-engine on <html>) and the page gives it to each worker it
//     starts as the worker's name (src/ui/browser.rs, module_worker), so a page open while a new
//     version is deployed keeps using its own build's engine (life review: one result mixed the
//     old quick figures with the new full ones). app.js also carries this build's id, which the
//     service worker knows too: boot.js compares the two when a service worker takes control
//     and offers to reload when it serves another build;
//  3. fills the service worker's precache list (the app shell a first visit loads anyway),
//     version and build id, so the app works offline after the first visit and a new build
//     replaces the old cache. Other files (the engine module, samples, example pages) are
//     cached when first used.
// Usage outside trunk: node scripts/post-build.mjs <dist-dir>   (TRUNK_PROFILE=debug for a dev build)
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, readdir, rm, writeFile, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const dir = process.env.TRUNK_STAGING_DIR ?? process.argv[2];
if (!dir) fail("run by trunk (TRUNK_STAGING_DIR) or with the dist directory as argument");
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const release = (process.env.TRUNK_PROFILE ?? "release") === "release";

function fail(message) {
  console.error(`post-build: ${message}`);
  process.exit(1);
}

function run(command, args) {
  try {
    execFileSync(command, args, { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
  } catch (error) {
    fail(`${command} ${args.join(" ")} failed (${error.message})`);
  }
}

const html = await readFile(join(dir, "index.html"), "utf8");
// trunk's preload links name the app's hashed loader and wasm (with SRI hashes).
const appJs = html.match(/<link rel="modulepreload" href="\.\/([^"]+\.js)"/)?.[1];
const appWasm = html.match(/<link rel="preload" href="\.\/([^"]+_bg\.wasm)"/)?.[1];
if (!appJs || !appWasm) fail("index.html has no preload links for the wasm-bindgen loader and module");

// --- 1. the engine module ---------------------------------------------------------------------
const cargoArgs = ["build", "--lib", "--target", "wasm32-unknown-unknown", "--no-default-features", "--features", "js-api"];
if (release) cargoArgs.push("--release");
// trunk runs cargo offline (Trunk.toml); the crates are fetched by scripts/setup.sh.
cargoArgs.push("--offline");
run("cargo", cargoArgs);
const targetDir = process.env.CARGO_TARGET_DIR ? resolve(root, process.env.CARGO_TARGET_DIR) : join(root, "target");
const built = join(targetDir, "wasm32-unknown-unknown", release ? "release" : "debug", "cal_calc.wasm");
const work = await mkdtemp(join(tmpdir(), "cal-calc-engine-"));
let engine;
try {
  run("wasm-bindgen", ["--target", "web", "--out-dir", work, "--out-name", "engine", built]);
  let wasmPath = join(work, "engine_bg.wasm");
  if (release) {
    const optimised = join(work, "engine_opt.wasm");
    run("wasm-opt", ["-Oz", wasmPath, "-o", optimised]);
    wasmPath = optimised;
  }
  const wasmBytes = await readFile(wasmPath);
  const glue = await readFile(join(work, "engine.js"), "utf8");
  // wasm-bindgen declares `[Symbol.dispose](): void;` on each class (ImportSession, the import
  // worker's), which TypeScript reads only with the `esnext.disposable` lib: a host page's tsc
  // with lib es2022 and skipLibCheck off failed on calc.d.ts (API review 25). The declarations
  // leave it out (`free()` is declared); the method is still there at run time.
  const types = (await readFile(join(work, "engine.d.ts"), "utf8")).replace(/^[ \t]*\[Symbol\.dispose\]\(\): void;\r?\n/gm, "");
  const hash = createHash("sha256").update(wasmBytes).update(glue).digest("hex").slice(0, 16);
  engine = { js: `engine-${hash}.js`, wasm: `engine-${hash}_bg.wasm`, dts: `engine-${hash}.d.ts` };
  await writeFile(join(dir, engine.wasm), wasmBytes);
  await writeFile(join(dir, engine.js), glue);
  await writeFile(join(dir, engine.dts), types);
} finally {
  await rm(work, { recursive: true, force: true });
}

// --- 2. stable entries ----------------------------------------------------------------------
const calc = (name) => `// Generated by scripts/post-build.mjs for this build. ${name}; the files it loads are hashed.
import init, * as api from "./${engine.js}";

let ready;

/** Instantiates the calculator's engine WebAssembly once and resolves to its JavaScript API. A
 *  failed download is not kept: the next call tries again. */
export function load() {
  ready ??= init({ module_or_path: new URL("./${engine.wasm}", import.meta.url) }).then(
    () => api,
    (e) => {
      ready = undefined;
      throw e;
    },
  );
  return ready;
}
`;
await writeFile(join(dir, "calc.js"), calc("Stable name"));
// The twin the page's workers load: named by its content, so it never changes under an open page.
const pinned = calc("Hashed name (calc.js's twin for this build's own pages)");
const pinnedName = `calc-${createHash("sha256").update(pinned).digest("hex").slice(0, 16)}.js`;
// Its form, calc-<16 hex>.js, is the only one the page and the workers accept (src/ui/browser.rs,
// www/evaluate-worker.js, www/import-worker.js).
await writeFile(join(dir, pinnedName), pinned);
// This build's id: the page's (app.js) and the service worker's (sw.js) are compared when a
// service worker takes control of an open page (boot.js).
const buildId = createHash("sha256").update(`${appJs}\0${appWasm}\0${pinnedName}`).digest("hex").slice(0, 16);

await writeFile(
  join(dir, "app.js"),
  `// Generated by scripts/post-build.mjs for this build. Stable name; the files it loads are hashed.
import init, { startApp } from "./${appJs}";

/** This build's id; the service worker of this build answers the same (boot.js compares them). */
export const build = "${buildId}";

/** Instantiates the app's WebAssembly and mounts the calculator on the page. */
export async function start() {
  // This build's engine entry: the workers the page starts load the engine through it, never
  // through the stable calc.js, which a deploy replaces under an open page (src/ui/browser.rs).
  document.documentElement.dataset.engine = "${pinnedName}";
  await init({ module_or_path: new URL("./${appWasm}", import.meta.url) });
  startApp();
}
`,
);
await writeFile(
  join(dir, "calc.d.ts"),
  `// Generated by scripts/post-build.mjs: types of the calculator's JavaScript API.
export type * from "./${engine.js}";
import type * as Api from "./${engine.js}";
/** Instantiates the calculator's engine WebAssembly once and resolves to its JavaScript API. */
export declare function load(): Promise<typeof Api>;
`,
);

// --- 3. the service worker ------------------------------------------------------------------
// The app shell: what index.html links, plus the entries boot.js imports and the full
// evaluation's worker script with the lock-down it imports first (a few KB; the engine module it
// loads is cached when first used, and offline before that the app evaluates on the page instead).
const linked = [...html.matchAll(/(?:href|src)="\.\/([^"]+)"/g)].map((m) => m[1]);
const shell = [...new Set([...linked, "boot.js", "app.js", "evaluate-worker.js", "lockdown.js"])].filter((f) => f !== "sw.js");
for (const file of shell) {
  if (!(await exists(join(dir, file)))) fail(`the app shell names ${file}, which is not in the build`);
}
shell.sort();
// The version covers every file, so any change replaces the cache.
const digest = createHash("sha256");
for (const file of (await walk(dir)).filter((f) => f !== "sw.js").sort()) {
  digest.update(file).update("\0").update(await readFile(join(dir, file))).update("\0");
}
// What an import loads, for a visitor whose old cache shows they used it: the service worker of a
// new build caches these too when it installs, so an import made offline after an update works.
const importFiles = ["import-worker.js", pinnedName, engine.js, engine.wasm];
// The others are written above by this script; the worker script comes from www/.
if (!(await exists(join(dir, importFiles[0])))) fail(`the import's files name ${importFiles[0]}, which is not in the build`);
const build = { version: digest.digest("hex").slice(0, 16), build: buildId, files: shell, engine: importFiles };

const swPath = join(dir, "sw.js");
const sw = await readFile(swPath, "utf8");
const marker = /^const BUILD = .*$/m;
if (!marker.test(sw)) fail("sw.js has no `const BUILD = …` line to fill");
await writeFile(swPath, sw.replace(marker, `const BUILD = ${JSON.stringify(build)};`));
console.log(
  `post-build: app.js -> ${appJs}; calc.js and ${pinnedName} -> ${engine.js}; sw.js precaches ${shell.length} files (${build.version}, build ${buildId})`,
);

async function exists(path) {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function walk(top) {
  const out = [];
  for (const entry of await readdir(top, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = relative(top, join(entry.parentPath ?? entry.path, entry.name));
    if (path.startsWith(".")) continue;
    out.push(path.split(sep).join("/"));
  }
  return out;
}
