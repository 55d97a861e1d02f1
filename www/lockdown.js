// The workers' network lock-down: the first thing www/import-worker.js, www/evaluate-worker.js
// (`import "./lockdown.js"`) and www/sw.js (`importScripts`) run. A Web Worker or service worker
// does not take the page's <meta> Content-Security-Policy: only a policy sent as an HTTP header
// with its own script binds it (docs/deploys.md), and a static host may send none. So, in any
// case, every way a worker's script has to reach an address is replaced here by one that refuses
// any address but the worker's own origin (http/https, or ws/wss to the same host), and the
// replacements cannot be undone: non-writable, non-configurable, on the global and on each of its
// prototypes that has one of its own, and a constructor's prototype leads back to the guarded
// one, never the original. Same-origin requests (the engine module's
// wasm, the samples, the service worker's cache) work as before. Not covered: `import()` of
// another origin's module (syntax, not a function), which the header policy blocks.
// Written to run as a classic script and as a module alike.
(() => {
  const origin = self.location.origin;
  const WEB = { "http:": "http:", "https:": "https:", "ws:": "http:", "wss:": "https:" };

  /** The absolute URL of `input` if it is this origin's, else a TypeError (nothing is sent). */
  function own(input) {
    const url = new URL(String(input), self.location.href); // read once: the checked text is used
    const scheme = WEB[url.protocol];
    if (!scheme || `${scheme}//${url.host}` !== origin) {
      throw new TypeError(`The calculator's worker sends nothing to another address (${url.protocol}//${url.host}).`);
    }
    return url.href;
  }
  /** A genuine Request for `input`, checked (its URL cannot change after). */
  function ownRequest(input, init) {
    const request = new Request(input, init);
    own(request.url);
    return request;
  }
  const lock = (object, name, value) =>
    Object.defineProperty(object, name, { value, writable: false, configurable: false, enumerable: false });
  /**
   * Locks `name` on the global and on every prototype of it that defines its own: `fetch` and
   * `importScripts` live on WorkerGlobalScope.prototype, where `Object.getPrototypeOf(self).fetch`
   * still reached the original (security review 40).
   */
  const lockEverywhere = (name, value) => {
    for (let o = Object.getPrototypeOf(self); o; o = Object.getPrototypeOf(o)) {
      if (Object.hasOwn(o, name)) lock(o, name, value);
    }
    lock(self, name, value);
  };

  const realFetch = self.fetch;
  lockEverywhere("fetch", function fetch(input, init) {
    try {
      return realFetch.call(self, ownRequest(input, init));
    } catch (error) {
      return Promise.reject(error);
    }
  });

  // Constructors that take the address first: the guarded one takes the original's place, also
  // as its prototype's `constructor`.
  for (const name of ["WebSocket", "WebSocketStream", "EventSource", "WebTransport", "Worker", "SharedWorker"]) {
    const Real = self[name];
    if (typeof Real !== "function") continue;
    const Guarded = function (url, ...rest) {
      if (!new.target) throw new TypeError(`${name} must be called with new`);
      return Reflect.construct(Real, [own(url), ...rest], new.target);
    };
    Guarded.prototype = Real.prototype;
    for (const key of Object.getOwnPropertyNames(Real)) {
      if (!Object.hasOwn(Guarded, key)) Object.defineProperty(Guarded, key, Object.getOwnPropertyDescriptor(Real, key));
    }
    lock(Real.prototype, "constructor", Guarded);
    lockEverywhere(name, Guarded);
  }
  // A FontFace from a string source loads a url(…) of it: the workers load no fonts.
  if (typeof self.FontFace === "function") {
    const Real = self.FontFace;
    const Guarded = function (family, source, ...rest) {
      if (!new.target) throw new TypeError("FontFace must be called with new");
      if (typeof source === "string" || source instanceof String) throw new TypeError("The calculator's worker loads no fonts.");
      return Reflect.construct(Real, [family, source, ...rest], new.target);
    };
    Guarded.prototype = Real.prototype;
    lock(Real.prototype, "constructor", Guarded);
    lockEverywhere("FontFace", Guarded);
  }

  if (typeof XMLHttpRequest === "function") {
    const open = XMLHttpRequest.prototype.open;
    lock(XMLHttpRequest.prototype, "open", function (method, url, ...rest) {
      return open.call(this, method, own(url), ...rest);
    });
  }
  if (typeof self.importScripts === "function") {
    const importScripts = self.importScripts;
    lockEverywhere("importScripts", (...urls) => importScripts.apply(self, urls.map(own)));
  }
  const navigatorProto = Object.getPrototypeOf(self.navigator);
  if (typeof navigatorProto.sendBeacon === "function") {
    const sendBeacon = navigatorProto.sendBeacon;
    lock(navigatorProto, "sendBeacon", function (url, data) {
      return sendBeacon.call(this, own(url), data);
    });
  }
  // Cache.add/addAll and Background Fetch fetch the addresses they are given.
  const many = (value) => (Object(value) === value && !(value instanceof Request) && Symbol.iterator in value ? [...value] : [value]);
  for (const [Class, name] of [
    [self.Cache, "add"],
    [self.Cache, "addAll"],
    [self.BackgroundFetchManager, "fetch"],
  ]) {
    const real = Class?.prototype?.[name];
    if (typeof real !== "function") continue;
    lock(Class.prototype, name, function (...args) {
      try {
        const at = name === "fetch" ? 1 : 0; // fetch(id, requests, options)
        args[at] = name === "add" ? ownRequest(args[at]) : many(args[at]).map((request) => ownRequest(request));
        return real.apply(this, args);
      } catch (error) {
        return Promise.reject(error);
      }
    });
  }
})();
