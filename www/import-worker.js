// The import's Web Worker: reads a File chunk by chunk (file.stream()) into the calculator's
// WebAssembly import session, so the page stays responsive with a million-row export and the
// file is never held whole in memory. Nothing here makes a network request: the File comes from
// the page, the answers go back to it with postMessage. The page's <meta> CSP does not bind a
// worker (only a policy sent as a header with this script does, docs/deploys.md), so the first
// import, ./lockdown.js, locks the worker's ways to reach an address to this origin in any case.
// The engine module is the page's own build of it when the page names its entry (calc-<hash>.js,
// calc.js's hashed twin) as this worker's name (src/ui/browser.rs, module_worker), so a deploy
// while the page is open does not give it a newer engine; a name of any other form is never
// imported, and without one the stable calc.js is.
//
// Messages in:  {type:"file", file, options, classify, read}   read a file (options: ImportOptions
//                                                        JSON; read: the panel's number for this
//                                                        reading, given back with its messages)
//               {type:"sample", name, options, classify, read} read one of the app's sample exports
//               {type:"cancel", read}                    stop that reading (being read or waiting)
//               {type:"remove", name, classify}          forget the file read held as `name` (the
//                                                        panel's Remove), as a late cancel does
//               {type:"overview", classify}              funnels under new options
//               {type:"accounts", classify, query, status, offset, limit, number}
//               {type:"devices", classify, query, status, offset, limit, number}
//               {type:"apply", estate, classify, number} merge into the estate (JSON text)
//               {type:"pool", file, estate, choice, number}  a per-device RD Licensing report's
//                                                        devices as a shared device pool (JSON
//                                                        text); number: the panel's, given back
//               {type:"clear"}                           forget every file: stops the ones being
//                                                        read or waiting, then empties the session
// Messages out: {type:"progress", name, bytes, total, rows, read} | {type:"file", summary, read} |
//               {type:"failed", name, message, header, sameAs, read} (sameAs: the file read
//               already that it repeats, else "") | {type:"cancelled", name, read} |
//               {type:"refreshed", summaries} (the licence statements' summaries again, with
//               the notes as of a new "Counts as of" date) |
//               {type:"overview", overview} | {type:"accounts", page, number} |
//               {type:"devices", page, number} |
//               {type:"applied", applied, number} | {type:"apply-failed", message, number} |
//               {type:"pool", file, applied, number} | {type:"pool-failed", file, message, number} |
//               {type:"error", message} | {type:"unavailable"} (the engine module could not
//               be loaded)   (JSON payloads are text)
import "./lockdown.js";

const ENTRY = /^calc-[0-9a-f]{16}\.js$/.test(self.name) ? `./${self.name}` : "./calc.js";
const ready = import(ENTRY)
  .then((module) => module.load())
  .then((api) => ({ api, session: new api.ImportSession() }));
// Offline before the first import the engine module cannot be fetched: say so once, and the page
// starts a new worker for the next file.
ready.catch(() => self.postMessage({ type: "unavailable" }));
// Files are numbered as they arrive. "clear" stops at once every file received before it, being
// read or waiting behind (review 27: the file being read was finished after "Forget the imported
// files" and came back to the panel); "cancel" stops the one reading it names, and only that one
// (review 27: one row's Cancel stopped every file being read or waiting).
// A Cancel that comes once its file was read to the end and added (the page still showed its
// progress: race review 35) forgets the file again, so that a Cancel pressed is always honoured:
// `added` names, per file name, the reading that added it last. The files added after it were
// summed up with it (a usage log's "adds to that of the other usage log read", a statement that
// repeated it left out), so they are forgotten with it and read again (race review 36):
// `readings` holds, in the order they ended, the readings added or refused as a file read already,
// each with its File (a handle, not its bytes) and options.
let received = 0;
let cancelledUpTo = 0;
const cancelledReads = new Set();
const added = new Map();
const readings = [];
let queue = Promise.resolve();

self.onmessage = (event) => {
  const message = event.data;
  if (message.type === "cancel") {
    cancelledReads.add(message.read);
    // It is queued too (handled as forgetIfAdded), behind the file's reading, which came before
    // it: by then the file was read or not.
  }
  if (message.type === "clear") cancelledUpTo = received;
  if (message.type === "file" || message.type === "sample") message.seq = ++received;
  queue = queue
    .then(() => handle(message))
    .catch((error) => self.postMessage({ type: "error", message: String(error?.message ?? error) }));
};

async function handle(message) {
  const { session } = await ready;
  switch (message.type) {
    case "file":
      return readFile(session, message);
    case "cancel":
      return forgetIfAdded(session, message);
    case "remove":
      // The row is gone from the page already: nothing is said of the file, only the overview.
      if (added.has(message.name)) return forgetAdded(session, message.name, added.get(message.name), message.classify, false);
      return self.postMessage({ type: "overview", overview: session.overview(message.classify) });
    case "sample": {
      // A sample export shipped with the app (same origin, ./samples/). One that cannot be
      // fetched (offline before the samples were first used) fails its own row: thrown, it left
      // the row at "0.0 MB of 0.0 MB" for good, its Cancel doing nothing (race review 29).
      let file;
      try {
        const response = await fetch(new URL(`./samples/${encodeURIComponent(message.name)}`, self.location.href));
        if (!response.ok) throw new Error(`the site answered ${response.status}`);
        file = new File([await response.blob()], message.name);
      } catch (error) {
        if (message.seq <= cancelledUpTo || cancelledReads.has(message.read)) {
          self.postMessage({ type: "cancelled", name: message.name, read: message.read });
          return;
        }
        const why = navigator.onLine === false ? "this browser is offline" : String(error?.message ?? error);
        const failed = `The sample ${message.name} could not be loaded (${why}). Try again when the site can be reached.`;
        self.postMessage({ type: "failed", name: message.name, message: failed, header: [], sameAs: "", read: message.read });
        return;
      }
      return readFile(session, { ...message, file });
    }
    case "overview":
      // "Counts as of" may have changed: the statements' notes that depend on it come again.
      asOf(session, message.classify);
      return self.postMessage({ type: "overview", overview: session.overview(message.classify) });
    case "accounts":
      // The number lets the panel tell the answer to its last request from an earlier one's.
      return self.postMessage({
        type: "accounts",
        page: session.accounts(message.classify, message.query ?? "", message.status ?? "", message.offset ?? 0, message.limit ?? 50, message.keep),
        number: message.number,
      });
    case "devices":
      return self.postMessage({
        type: "devices",
        page: session.devices(message.classify, message.query ?? "", message.status ?? "", message.offset ?? 0, message.limit ?? 50),
        number: message.number,
      });
    case "apply": {
      // The number lets the panel tell its last request's reply (it asks again after an edit).
      const { number } = message;
      try {
        return self.postMessage({ type: "applied", applied: session.apply(message.estate, message.classify), number });
      } catch (error) {
        return self.postMessage({ type: "apply-failed", message: String(error?.message ?? error), number });
      }
    }
    case "pool":
      // The reason a pool cannot be added (an unknown group, no session host) goes to its report.
      try {
        return self.postMessage({ type: "pool", file: message.file, applied: session.addRdDevicePool(message.estate, message.choice), number: message.number });
      } catch (error) {
        return self.postMessage({ type: "pool-failed", file: message.file, message: String(error?.message ?? error), number: message.number });
      }
    case "clear":
      added.clear();
      readings.length = 0;
      session.clear();
      return self.postMessage({ type: "overview", overview: session.overview(message.classify) });
  }
}

// The date of the count ("Counts as of", the `today` of the classify options) for the session,
// so a statement's notes are judged against it as it is read; when it changed, the summaries of
// the statements read so far come again with their notes as of that date.
function asOf(session, classify) {
  if (!classify) return;
  const summaries = session.setAsOf(classify);
  if (summaries !== "[]") self.postMessage({ type: "refreshed", summaries });
}

// The file of the reading `read` if it was added: forgotten, and the page told it was cancelled.
// The files added after it are forgotten with it and read again in the order they were read, and
// so is a file refused as the same as one of them: their rows get what is said of them now.
async function forgetIfAdded(session, { read, classify }) {
  const name = [...added].find(([, r]) => r === read)?.[0];
  if (name === undefined) return;
  return forgetAdded(session, name, read, classify, true);
}

// Forgets the file `name` added by the reading `read`, and reads again the files added after it
// (see forgetIfAdded); `say`: tell the page it was cancelled.
async function forgetAdded(session, name, read, classify, say) {
  const later = session.forgetFrom(name);
  if (later === undefined) return;
  added.delete(name);
  if (say) self.postMessage({ type: "cancelled", name, read, forgotten: true });
  const gone = new Set([name, ...JSON.parse(later)]);
  const at = readings.findIndex((r) => r.read === read);
  const after = at < 0 ? [] : readings.splice(at).slice(1);
  const again = after.filter((r) => gone.has(r.sameAs || r.name));
  readings.push(...after.filter((r) => !again.includes(r)));
  for (const r of again) {
    if (added.get(r.name) === r.read) added.delete(r.name);
    // Without progress: their rows keep showing what was read (and the focus a Remove gave
    // them) until the new summary takes its place.
    await readFile(session, { ...r, classify, quiet: true });
  }
  self.postMessage({ type: "overview", overview: session.overview(classify) });
}

// `name`: the name the session holds the file by, when the page reads again a file the session
// holds under a name of its own (a second file of one name is "users.csv (2)"); else the file's.
async function readFile(session, { file, name: held, options, classify, seq, read, quiet }) {
  let name = held || file.name;
  const cancelled = () => seq <= cancelledUpTo || cancelledReads.has(read);
  if (cancelled()) {
    self.postMessage({ type: "cancelled", name, read });
    return;
  }
  session.begin(options ?? "");
  const reader = file.stream().getReader();
  let bytes = 0;
  let last = 0;
  try {
    asOf(session, classify);
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (cancelled()) {
        await reader.cancel();
        session.cancel();
        self.postMessage({ type: "cancelled", name, read });
        return;
      }
      session.push(value);
      bytes += value.byteLength;
      const now = performance.now();
      if (now - last > 100) {
        last = now;
        if (!quiet) self.postMessage({ type: "progress", name, bytes, total: file.size, rows: session.rows(), read });
        // A file read from a fast disk resolves read() as microtasks, which would starve the
        // message queue: yield a macrotask so a "cancel" gets through.
        await new Promise((resume) => setTimeout(resume, 0));
      }
    }
    if (!quiet) self.postMessage({ type: "progress", name, bytes, total: file.size, rows: session.rows(), read });
    // A Cancel sent as the last chunks were read stops the file before its rows are added up.
    await new Promise((resume) => setTimeout(resume, 0));
    if (cancelled()) {
      session.cancel();
      self.postMessage({ type: "cancelled", name, read });
      return;
    }
    const summary = session.finish(name);
    // A file named as one the session holds, with other bytes, is held under a name of its own.
    name = JSON.parse(summary).name;
    added.set(name, read);
    readings.push({ name, read, file, options, seq, sameAs: "" });
    self.postMessage({ type: "file", summary, read });
    self.postMessage({ type: "overview", overview: session.overview(classify) });
  } catch (error) {
    session.cancel();
    // header: the file's columns when they are the problem, for the panel's column editor.
    const header = Array.isArray(error?.header) ? error.header : [];
    // sameAs: the file read already whose bytes these are (it was not added again).
    const sameAs = typeof error?.sameAs === "string" ? error.sameAs : "";
    if (sameAs) readings.push({ name, read, file, options, seq, sameAs });
    self.postMessage({ type: "failed", name, message: String(error?.message ?? error), header, sameAs, read });
  }
}
