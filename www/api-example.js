// The JavaScript API example (api-example.html): evaluates the estate in the text box and renders
// the report as tables. Uses only the public API: load(), evaluate(), validate(), catalog(),
// minorDigits().
import { load } from "./calc.js";

const EXAMPLE = {
  format_version: 1,
  name: "Example: 40 staff, 12 shared terminals, two servers",
  groups: [
    { id: "office", name: "Office staff", count: 40, devices_each: 2 },
    { id: "shift", name: "Shift workers", count: 30, devices_each: 0 },
  ],
  shared_devices: [{ id: "terminals", name: "Shared terminals", count: 12, shared_by: ["shift"] }],
  servers: [
    { id: "dc1", name: "Domain controller", product: "windows-server", version: "2022" },
    { id: "rds1", name: "Remote desktop host", product: "windows-server", version: "2022", rds_session_host: true },
  ],
  access: [
    { groups: ["office", "shift"], servers: ["dc1"] },
    { groups: ["office"], servers: ["rds1"], features: ["remote-desktop"] },
  ],
  holdings: [{ product: "windows-server", kind: "user-cal", version: "2019", quantity: 20 }],
};

const $ = (id) => document.getElementById(id);

function cell(row, text, numeric) {
  const td = row.insertCell();
  td.textContent = text;
  if (numeric) td.className = "num";
}

function table(caption, headers, rows, numericFrom) {
  const t = document.createElement("table");
  t.createCaption().textContent = caption;
  const head = t.createTHead().insertRow();
  headers.forEach((h, i) => {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = h;
    if (i >= numericFrom) th.className = "num";
    head.append(th);
  });
  const body = t.createTBody();
  for (const r of rows) {
    const tr = body.insertRow();
    r.forEach((v, i) => cell(tr, String(v), i >= numericFrom));
  }
  // Six columns are wider than a phone: the table scrolls in its own box, not the page (at
  // 360 px the page scrolled sideways to 546 px), and the box takes the keyboard to scroll.
  const wrap = document.createElement("div");
  wrap.className = "table-wrap";
  wrap.tabIndex = 0;
  wrap.setAttribute("role", "region");
  wrap.setAttribute("aria-label", caption);
  wrap.append(t);
  return wrap;
}

// Money in the report is integer minor units with the engine's digits for the currency
// (ISO 4217: api.minorDigits), shown with those digits, as the app does. Intl's own defaults
// differ for some currencies (0 for HUF, IDR, COP and PKR, where ISO 4217 has 2; 0 for IQD,
// which has 3): dividing by them showed a HUF 14,000.00 price as HUF 1,400,000 (API review 25).
// The amount goes to Intl as an exact decimal string ("90000010630000.07"), which format() writes
// digit for digit: minor / 10 ** digits is a float that loses the last digit from about 2^46
// minor units with two decimals (2^43 with three), $90,000,010,630,000.06 for .07 (review 26).
function money(minor, currency) {
  const digits = api.minorDigits(currency);
  const format = new Intl.NumberFormat(undefined, {
    style: "currency",
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  return format.format(exactDecimal(minor, digits));
}

// Whole minor units as a decimal string with `digits` decimals: 9000001063000007 and 2 give
// "90000010630000.07", -5 and 3 give "-0.005". Exact for every integer amount of a report
// (they stay within Number.MAX_SAFE_INTEGER).
function exactDecimal(minor, digits) {
  const sign = minor < 0 ? "-" : "";
  const units = String(minor < 0 ? -minor : minor).padStart(digits + 1, "0");
  if (digits === 0) return sign + units;
  return `${sign}${units.slice(0, -digits)}.${units.slice(-digits)}`;
}

// A total that leaves out items without a price is open, as the CLI prints it: "$400.00 + ?",
// or "?" when nothing in it has a price (an unpriced line carries unit_minor 0, not a price).
function openMoney(minor, missing, currency) {
  if (!missing) return money(minor, currency);
  return minor === 0 ? "?" : `${money(minor, currency)} + ?`;
}

function render(report, catalog) {
  const label = new Map(catalog.products.map((p) => [p.product, p.label ?? p.name ?? p.product]));
  const out = $("output");
  out.replaceChildren();
  const lines = report.recommendation.lines;
  const unpriced = (product) => lines.some((l) => l.price_missing && (product === undefined || l.product === product));
  const h = document.createElement("h2");
  h.textContent = `${report.estate_name || "Estate"}: ${openMoney(report.recommendation.total_minor, unpriced(), report.currency)} to buy`;
  out.append(h);
  // Where the prices come from, and which items have none (their cost is left out of the totals).
  if (report.prices_note) {
    const note = document.createElement("p");
    note.textContent = report.prices_note;
    out.append(note);
  }
  out.append(
    table(
      "What each product needs",
      ["Product", "CAL version", "User CALs", "Device CALs", "External Connectors", "Cost"],
      report.products.map((p) => [
        label.get(p.product) ?? p.label,
        p.required_version || "—",
        p.user_cals.value,
        p.device_cals.value,
        p.external_connectors.value,
        openMoney(p.cost_minor, unpriced(p.product), report.currency),
      ]),
      2,
    ),
  );
  out.append(
    table(
      "Recommended purchase",
      ["Product", "Kind", "Version", "Quantity", "Unit", "Cost"],
      lines.map((l) => [
        label.get(l.product) ?? l.product,
        KIND_LABELS[l.kind] ?? l.kind,
        l.version || "—",
        l.quantity,
        l.price_missing ? "no price" : money(l.unit_minor, report.currency),
        l.price_missing ? "?" : money(l.cost_minor, report.currency),
      ]),
      3,
    ),
  );
  if (report.findings.length) {
    const list = document.createElement("ul");
    for (const f of report.findings) {
      const li = document.createElement("li");
      li.textContent = `${f.severity}: ${f.message}`;
      list.append(li);
    }
    const h3 = document.createElement("h3");
    h3.textContent = "Findings";
    out.append(h3, list);
  }
}

// The licence kinds as the app names them (the report carries their ids).
const KIND_LABELS = { "user-cal": "User CAL", "device-cal": "Device CAL", "external-connector": "External Connector" };

// One problem is a paragraph; several a list, one item each (they ran together in one paragraph,
// joined by new lines that HTML does not show: review 20).
function showError(messages) {
  const list = [messages].flat();
  let shown;
  if (list.length === 1) {
    shown = document.createElement("p");
    shown.textContent = list[0];
  } else {
    shown = document.createElement("ul");
    for (const message of list) {
      const li = document.createElement("li");
      li.textContent = message;
      shown.append(li);
    }
  }
  shown.className = "error";
  shown.setAttribute("role", "alert");
  $("output").replaceChildren(shown);
}

const api = await load();
const catalog = api.catalog();
$("estate").value = JSON.stringify(EXAMPLE, null, 2);
// The user's own date, as the app and the API take it: toISOString() gives UTC's, which is
// another day near midnight in Kiritimati or Los Angeles (locale review 22).
const now = new Date();
$("as-of").value = [now.getFullYear(), now.getMonth() + 1, now.getDate()]
  .map((n, i) => String(n).padStart(i === 0 ? 4 : 2, "0"))
  .join("-");
$("status").textContent = "Ready.";

function run() {
  const text = $("estate").value;
  const problems = api.validate(text);
  if (problems.length) {
    $("status").textContent = problems.length === 1 ? "1 problem in the estate." : `${problems.length} problems in the estate.`;
    showError(problems);
    return;
  }
  try {
    render(api.evaluate(text, $("as-of").value), catalog);
    $("status").textContent = "Evaluated.";
  } catch (error) {
    $("status").textContent = "The estate could not be evaluated.";
    showError(error.message);
  }
}

$("form").addEventListener("submit", (event) => {
  event.preventDefault();
  run();
});
run();
