// Service worker: the calculator keeps working with the network off after the first visit.
// The precache list (the app shell: what the page loads anyway) and the version are written at
// build time by scripts/post-build.mjs with this build's (hashed) file names; the list also holds
// the full evaluation's worker script (evaluate-worker.js, a few KB). Everything else (the engine
// module the workers and the JavaScript API use, samples, example pages) is cached the first time
// it is fetched, so a first visit transfers nothing the page did not ask for but that script. An
// update's install also caches the engine and the import's worker when the old cache held them.
// It only ever handles GET requests to its own origin, so the page's CSP is unchanged. The page's
// <meta> CSP does not bind it (only a policy sent as a header with sw.js does, docs/deploys.md):
// its first statement runs ./lockdown.js, which locks its ways to reach an address to this origin.
//
// Strategy: files whose names carry a content hash never change, so they are served from the
// cache first; everything else (index.html, boot.js, app.js, calc.js, example pages) goes to the
// network first so a new deploy shows at once, and falls back to the cache when offline.
//
// A new version takes over open pages at once (skipWaiting, clients.claim) but never reloads
// them: a page goes on with the build it loaded (its workers load that build's engine through
// its hashed entry, src/ui/browser.rs module_worker), and boot.js asks the new worker for its
// build id ("build" message below) and, when it is not the page's, offers to reload.
importScripts("./lockdown.js");

const BUILD = { version: "dev", build: "dev", files: [], engine: [] };

const CACHE = `cal-calc-${BUILD.version}`;
const HASHED = /-[0-9a-f]{12,16}(_bg\.wasm|\.js|\.css|\.svg)$/;
const scope = new URL(self.registration.scope);
// The page is precached as "./"; a navigation to its file name is the same page.
const PAGE = new URL("./", scope).href;
const PAGE_FILE = new URL("./index.html", scope).pathname;

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // "./" too: a visit to the directory URL is a navigation to index.html. Hashed files may
      // come from the HTTP cache (the page just loaded them); the others are revalidated.
      const requests = ["./", ...BUILD.files].map((file) => {
        const url = new URL(file, scope);
        return new Request(url, { cache: HASHED.test(url.pathname) ? "default" : "no-cache" });
      });
      await cache.addAll(requests);
      // A visitor who has used the engine (an import, a full evaluation) has it in the old
      // build's cache, which activation deletes: this build's engine and import worker are
      // cached now, while online, so an import made offline after an update still works (it
      // failed until one import had run online). A first visit's install is unchanged.
      if (await engineUsedBefore()) {
        await Promise.all(
          BUILD.engine.map((file) => cache.add(new Request(new URL(file, scope))).catch(() => {})),
        );
      }
      await self.skipWaiting();
    })(),
  );
});

/** Whether an older build's cache holds an engine module: its visitor has imported or edited. */
async function engineUsedBefore() {
  for (const name of await caches.keys()) {
    if (!name.startsWith("cal-calc-") || name === CACHE) continue;
    const old = await caches.open(name);
    if ((await old.keys()).some((r) => /\/engine-[0-9a-f]{12,16}_bg\.wasm$/.test(new URL(r.url).pathname))) return true;
  }
  return false;
}

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("cal-calc-") && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

// The build this worker serves, for a page it has just taken control of (www/boot.js).
self.addEventListener("message", (event) => {
  if (event.data?.type === "build") event.ports[0]?.postMessage({ type: "build", build: BUILD.build });
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== scope.origin) return;
  event.respondWith(HASHED.test(url.pathname) ? cacheFirst(event) : networkFirst(event));
});

async function cacheFirst(event) {
  const request = event.request;
  const cached = await caches.match(request, { cacheName: CACHE });
  if (cached) return cached;
  const response = await fetch(request);
  event.waitUntil(keep(request, response.clone()));
  return response;
}

async function networkFirst(event) {
  const request = event.request;
  try {
    const response = await fetch(request);
    event.waitUntil(keep(request, response.clone()));
    return response;
  } catch (offline) {
    // Navigations carry the embed/preset parameters in the query; the page is the same file.
    const navigate = request.mode === "navigate";
    const options = { cacheName: CACHE, ignoreSearch: navigate };
    let cached = await caches.match(request, options);
    // A first visit to ./index.html was not cached under that name (the page loaded before this
    // worker ran, and only "./" is precached): offline, its reload failed (life review 24).
    if (!cached && navigate && new URL(request.url).pathname === PAGE_FILE) cached = await caches.match(PAGE, options);
    if (cached) return cached;
    throw offline;
  }
}

/** Stores a complete same-origin answer (a copy) for offline use; not partial or opaque ones. */
async function keep(request, copy) {
  if (copy.status !== 200 || copy.type !== "basic") return;
  const cache = await caches.open(CACHE);
  await cache.put(request, copy).catch(() => {});
}
