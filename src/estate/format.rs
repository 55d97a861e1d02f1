//! Reading an estate document (with migration of older format versions) and checking it.
//!
//! Errors are one line for the user and name where the problem is: the line and column from the
//! JSON parser, and the field path (`servers[2].version`). Format versions: `1` is current; `0` is
//! the pre-release shape with `users`/`devices`/`owned` (see docs/estate-format.md, "Format 0");
//! anything newer than [`FORMAT_VERSION`] is refused with a clear message.

use super::{Estate, FORMAT_VERSION};
use crate::catalog::{self, Family};
use crate::estate::{CalProduct, Edition, Feature, LicenceKind, ServerProduct, SqlLicensing};
use crate::named::Named;
use crate::vecmap::VecSet;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

// The limits on an estate's figures, one set for every face: this check, the app's fields and
// the import (which keeps what it derives within them) all use these.

/// The largest count (people, devices, licences) accepted: larger figures are typing errors.
pub const MAX_COUNT: u32 = 10_000_000;
/// The largest price accepted, in minor units (ten billion in major units of a two-decimal
/// currency; the app's price fields say it in the currency's own major units).
pub const MAX_PRICE: i64 = 1_000_000_000_000;
/// The most devices of their own a person in a group may have.
pub const MAX_DEVICES_EACH: u32 = 1_000;
/// The most cores a server may have.
pub const MAX_CORES: u32 = 10_000;

/// [`MAX_PRICE`] in major units of a currency with `digits` minor-unit digits (see
/// [`crate::position::minor_digits`]): ten billion US dollars, a billion Kuwaiti dinars (three
/// digits), a trillion yen (none). A price field says its limit in these units.
pub fn max_price_major(digits: u32) -> i64 {
    10i64.checked_pow(digits).map_or(0, |unit| MAX_PRICE / unit)
}

/// Why an estate document could not be read or is not sensible.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EstateError {
    /// Not JSON at all.
    #[error("line {line}, column {column}: {message}")]
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    /// A field has the wrong type or an impossible value.
    #[error("{}", located(*.line, *.column, .path, .message))]
    Field {
        /// `servers[2].version`; empty for the document itself.
        path: String,
        line: Option<usize>,
        column: Option<usize>,
        message: String,
    },
    /// Written by a newer calculator.
    #[error("format_version {found} is newer than this calculator reads (up to {supported}): use a newer cal-calc")]
    FutureVersion { found: u64, supported: u32 },
}

fn located(line: Option<usize>, column: Option<usize>, path: &str, message: &str) -> String {
    let mut s = String::new();
    if let (Some(l), Some(c)) = (line, column) {
        s.push_str(&format!("line {l}, column {c}: "));
    }
    if !path.is_empty() {
        s.push_str(path);
        s.push_str(": ");
    }
    s.push_str(message);
    s
}

impl EstateError {
    fn field(path: impl Into<String>, message: impl Into<String>) -> EstateError {
        EstateError::Field {
            path: path.into(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    /// Adds the line and column of the field in `source` (the document it was read from).
    pub fn with_location(self, source: &str) -> EstateError {
        match self {
            EstateError::Field {
                path,
                line: None,
                column: None,
                message,
            } => {
                // A field left out of the file (a holding without its version) is placed at
                // the nearest enclosing value that is there.
                let (line, column) = match ancestors(&path).find_map(|p| locate(source, p)) {
                    Some((l, c)) => (Some(l), Some(c)),
                    None => (None, None),
                };
                EstateError::Field {
                    path,
                    line,
                    column,
                    message,
                }
            }
            other => other,
        }
    }
}

/// serde_json appends " at line L column C"; the error carries those separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// serde's message about a value of the wrong kind at `path`, in plain words where it is about a
/// count or a price: "invalid value: integer `-50`, expected u32" is "-50 is not a count: enter a
/// whole number from 0 to 10000000" (UI review 17: the jargon reached the user as it was). The
/// counts of an estate are u32s, checked against [`MAX_COUNT`] once read, or against the field's
/// own limit ([`MAX_CORES`], [`MAX_DEVICES_EACH`]), which the message names; prices are i64s in
/// minor units up to [`MAX_PRICE`].
///
/// `raw` is the value as the file writes it, when it could be found (`1e3` where serde says
/// `1000.0`): a number is named as written.
fn plain_field(path: &str, message: &str, raw: Option<&str>) -> String {
    let found = message
        .strip_prefix("invalid value: ")
        .or_else(|| message.strip_prefix("invalid type: "));
    let Some(rest) = found else {
        return message.to_string();
    };
    let Some((what, expected)) = rest.rsplit_once(", expected ") else {
        return message.to_string();
    };
    // `what` is "integer `-50`", "floating point `2.5`", "string \"ten\"", "null", "a map"…
    let value = match what.split_once(['`', '"']) {
        Some((_, v)) => v.trim_end_matches(['`', '"']).to_string(),
        None => what.to_string(),
    };
    let number = (what.starts_with("integer ") || what.starts_with("floating point "))
        .then(|| value.parse::<f64>().ok())
        .flatten()
        .filter(|n| n.is_finite());
    // The number as the file writes it: only when it is the same number (the text found at the
    // path is the value serde read, not a duplicate key's).
    let written = raw
        .map(str::trim)
        .filter(|r| number.is_some() && r.parse::<f64>().ok() == number);
    // The value in words, for the messages about the kind of value (review 19: `groups: invalid
    // type: string "oops", expected a sequence` reached the user as it was).
    let described = if what.starts_with("string ") {
        format!("the text \"{value}\"")
    } else if what.starts_with("integer ") || what.starts_with("floating point ") {
        format!("the number {value}")
    } else if what == "map" || what == "a map" {
        "an object { … }".to_string()
    } else if what == "sequence" || what == "a sequence" {
        "a list [ … ]".to_string()
    } else {
        value.clone()
    };
    // The field's own name: `cores` in `servers[0].cores`.
    let field = path.rsplit('.').next().unwrap_or(path);
    let max = match expected {
        "u8" => u64::from(u8::MAX),
        "u16" => u64::from(u16::MAX),
        "u32" => u64::from(match field {
            "cores" => MAX_CORES,
            "devices_each" => MAX_DEVICES_EACH,
            _ => MAX_COUNT,
        }),
        "u64" => u64::MAX,
        "i64" => return plain_price(what, &value, &described, written),
        "a sequence" => {
            return format!("{described} is not a list: write it in square brackets, as in [ … ]")
        }
        "a map" => {
            return format!("{described} is not an object: write it in braces, as in {{ … }}")
        }
        e if e.starts_with("struct ") => {
            return format!("{described} is not an object: write it in braces, as in {{ … }}")
        }
        "a string" => return format!("{described} is not text: write it in double quotes"),
        "a boolean" => return format!("{described} is not true or false"),
        _ => return message.to_string(),
    };
    // A count in quotes read "5 is not a count", hiding the quotes; null is also what a script's
    // NaN or Infinity becomes in JSON (review 20, the JavaScript API).
    if what.starts_with("string ") {
        return format!(
            "{described} is not a count: write the number without quotes, a whole number from 0 to {max}"
        );
    }
    if what == "null" {
        return format!(
            "null (no value; also what NaN and Infinity become in JSON) is not a count: enter a whole number from 0 to {max}"
        );
    }
    // A whole number in range written with a decimal point or an exponent (`1e3`, `5.0`):
    // "1000.0 is not a count: enter a whole number" named a value the user did not write and
    // asked for what 1000 already is (hostile-input review, session 23).
    if let Some(n) = number.filter(|n| {
        what.starts_with("floating point ") && n.fract() == 0.0 && (0.0..=max as f64).contains(n)
    }) {
        let n = n as u64;
        return match written {
            Some(w) => format!(
                "{w} is not a count as written: write it as a whole number without a decimal point or exponent, e.g. {n}"
            ),
            None => format!(
                "the number {n} is written with a decimal point or exponent, which a count is not: write it as a whole number, e.g. {n}"
            ),
        };
    }
    // A list, an object: "sequence is not a count" named serde's word, not the user's.
    let shown = match written {
        Some(w) => w,
        None if what.contains(['`', '"']) => &value,
        None => &described,
    };
    format!("{shown} is not a count: enter a whole number from 0 to {max}")
}

/// [`plain_field`] for a price in minor units (review 21: a price typed as 12.34 read "invalid
/// type: floating point `12.34`, expected i64"). `what` is serde's description of the value,
/// `value` the value alone, `described` the value in words and `written` the number as the file
/// writes it, when found: `1.5e3` is named so, not as serde's `1500.0`, a value the user did not
/// write (known item of session 23, as counts were fixed).
fn plain_price(what: &str, value: &str, described: &str, written: Option<&str>) -> String {
    const HOW: &str = "enter whole cents (or the currency's smallest unit)";
    let number = (what.starts_with("integer ") || what.starts_with("floating point "))
        .then(|| value.parse::<f64>().ok())
        .flatten()
        .filter(|n| n.is_finite());
    let shown = written.unwrap_or(value);
    match number {
        // Below zero, or larger than an i64 or than any price (99999999999999999999 is read as
        // 1e+20).
        Some(n) if n < 0.0 || n > MAX_PRICE as f64 => {
            format!("{shown} is not a sensible price in minor units (0 to {MAX_PRICE})")
        }
        // 1.5e3 or 1500.0: a whole number written as a decimal or with an exponent.
        Some(n) if n.fract() == 0.0 => match written {
            Some(w) => format!(
                "{w} is not a price in minor units as written: a price is a whole number of minor units (cents, or the currency's smallest unit) without a decimal point or exponent, e.g. {}",
                n as i64
            ),
            None => format!(
                "the number {0} is written with a decimal point or exponent, which a price in minor units is not: write it as a whole number of minor units (cents, or the currency's smallest unit), e.g. {0}",
                n as i64
            ),
        },
        Some(n) => format!(
            "{shown} is not a price in minor units: {HOW}, e.g. {}",
            (n * 100.0).round() as i64
        ),
        None if what.starts_with("string ") => format!(
            "{described} is not a price: write the number without quotes, in whole cents (or the currency's smallest unit), e.g. 1234"
        ),
        None if what == "null" => format!(
            "null (no value; also what NaN and Infinity become in JSON) is not a price in minor units: {HOW}, e.g. 1234"
        ),
        None => format!("{described} is not a price in minor units: {HOW}, e.g. 1234"),
    }
}

/// serde_json's syntax message in plain words, saying that the file is not valid JSON where it
/// stops ("key must be a string" meant nothing to whoever edited the file by hand).
fn plain_syntax(message: &str) -> String {
    // serde_json stops at 128 levels of [ and { (review 21: "recursion limit exceeded").
    if message == "recursion limit exceeded" {
        return "the JSON is nested too deeply (more than 128 levels): this is not an estate"
            .to_string();
    }
    let plain = match message {
        "key must be a string" => {
            "each name must be in double quotes, as in \"count\": 50".to_string()
        }
        "trailing comma" => "a comma is followed by nothing: remove it".to_string(),
        "expected value" => {
            "a value is missing or is not JSON (text goes in double quotes)".to_string()
        }
        "expected `,` or `}`" => "a comma or a closing } is missing".to_string(),
        "expected `,` or `]`" => "a comma or a closing ] is missing".to_string(),
        "expected `:`" => "a colon is missing after a name".to_string(),
        // A bare word: `tru`, `yes`, `Null` (review 19: "expected ident" reached the user).
        "expected ident" => {
            "a word is not JSON: true, false and null are written in lower case, and text goes in double quotes".to_string()
        }
        "trailing characters" => "there is more after the end of the estate".to_string(),
        m if m.starts_with("EOF while parsing") => {
            "the file ends too early: a closing } or ] is missing".to_string()
        }
        m => m.to_string(),
    };
    format!("the file is not valid JSON here: {plain}")
}

/// The column of serde_json's `byte_column` on `line` (both 1-based) as editors count it, in
/// characters: serde_json counts bytes, so after "Büro München" its columns ran past the end of
/// the line, while the reference errors ([`locate`]) count characters (surfaces review 26). A
/// byte inside a character counts as that character; never below 1 (serde_json gives 0 at the
/// start of a line, where nothing has been read yet).
fn char_column(source: &str, line: usize, byte_column: usize) -> usize {
    let Some(text) = source.split('\n').nth(line.saturating_sub(1)) else {
        return byte_column.max(1);
    };
    let mut end = byte_column.min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    text[..end].chars().count().max(1)
}

impl Estate {
    /// Reads an estate document of any known format version, migrating older ones.
    pub fn from_json(source: &str) -> Result<Estate, EstateError> {
        // Editors on Windows may start a UTF-8 file with a byte-order mark.
        let source = source.strip_prefix('\u{feff}').unwrap_or(source);
        // An empty file is not "a closing } missing at line 2, column 0" (review 20).
        if source.trim().is_empty() {
            return Err(EstateError::Field {
                path: String::new(),
                line: None,
                column: None,
                message: "the file is empty: an estate is a JSON object `{ … }`".into(),
            });
        }
        // serde_json gives column 0 when the text ends just after a line break (nothing read on
        // that line yet); every other column is 1-based, so the end is column 1 of that line.
        let value: Value = serde_json::from_str(source).map_err(|e| EstateError::Syntax {
            line: e.line(),
            column: char_column(source, e.line(), e.column()),
            message: plain_syntax(&strip_position(&e.to_string())),
        })?;
        let Value::Object(map) = value else {
            return Err(EstateError::Field {
                path: String::new(),
                line: Some(1),
                column: Some(1),
                message: "an estate is a JSON object `{ … }`".into(),
            });
        };
        let version = match map.get("format_version") {
            None if is_format_0(&map) => 0,
            None => u64::from(FORMAT_VERSION),
            Some(v) => v.as_u64().ok_or_else(|| {
                EstateError::field("format_version", "must be a whole number such as 1")
                    .with_location(source)
            })?,
        };
        if version > u64::from(FORMAT_VERSION) {
            return Err(EstateError::FutureVersion {
                found: version,
                supported: FORMAT_VERSION,
            });
        }
        if version == 0 {
            // Read back through the same deserializer as format 1 (one copy of the estate's
            // deserialization code in the WebAssembly instead of one per input type); serde_json's
            // messages are the same for text and values, and line/column are not reported here.
            let migrated = serde_json::to_string(&migrate_0_to_1(map)?)
                .map_err(|e| EstateError::field("", e.to_string()))?;
            return deserialize_tracked(&migrated).map_err(|e| {
                let message = plain_field(&e.path, &strip_position(&e.error.to_string()), None);
                EstateError::field(
                    e.path,
                    format!("{message} (in a format 0 document, after migration to format 1)"),
                )
            });
        }
        let estate: Estate = deserialize_tracked(source).map_err(|e| {
            // serde_json places a wrong value just after it ("count": "fifteen" at the closing
            // quote, an object at the space before its brace); the user looks for where it
            // starts, as `validate`'s own problems are placed. An unknown or repeated field
            // keeps serde_json's place, on its key, which is what is wrong there; so does a
            // path the text does not have.
            let serde_place = || {
                (
                    e.error.line(),
                    char_column(source, e.error.line(), e.error.column()),
                )
            };
            let text = e.error.to_string();
            let (line, column) =
                if text.starts_with("unknown field") || text.starts_with("duplicate field") {
                    serde_place()
                } else {
                    locate(source, &e.path).unwrap_or_else(serde_place)
                };
            EstateError::Field {
                message: plain_field(&e.path, &strip_position(&text), raw_value(source, &e.path)),
                path: e.path,
                line: Some(line),
                column: Some(column),
            }
        })?;
        Ok(estate)
    }

    /// The first problem that makes the estate unusable, if any.
    pub fn validate(&self) -> Result<(), EstateError> {
        match self.problems().into_iter().next() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Every problem found: unique ids, references that resolve, counts within bounds, versions
    /// known to the catalog, holdings that exist as licences.
    pub fn problems(&self) -> Vec<EstateError> {
        let mut p = Problems::default();
        self.check(&mut p);
        if let Some(size) = self.size_problem() {
            p.add("access", format!("the estate is too large: {size}"));
        }
        p.0
    }

    fn check(&self, p: &mut Problems) {
        if self.format_version > FORMAT_VERSION {
            p.add(
                "format_version",
                format!(
                    "{} is newer than this calculator reads ({FORMAT_VERSION})",
                    self.format_version
                ),
            );
        }
        if let Some(d) = self.as_of {
            let dates = crate::engine::COUNT_DATES;
            if !dates.contains(&d) {
                p.add(
                    "as_of",
                    format!(
                        "{d} is outside {} to {}, the dates a count can be made as of",
                        dates.start(),
                        dates.end()
                    ),
                );
            }
        }
        let org = &self.organisation;
        let cur = &org.currency;
        if !crate::position::is_currency(cur) {
            p.add(
                "organisation.currency",
                format!(
                    "\"{cur}\" is not an ISO 4217 currency code in capitals, such as USD or EUR"
                ),
            );
        }
        let mut seen_items = VecSet::new();
        for (i, o) in org.prices.iter().enumerate() {
            let at = format!("organisation.prices[{i}]");
            if !(0..=MAX_PRICE).contains(&o.amount_minor) {
                p.add(
                    format!("{at}.amount_minor"),
                    format!(
                        "{} is not a sensible price in minor units (0 to {MAX_PRICE})",
                        o.amount_minor
                    ),
                );
            }
            if !seen_items.insert(o.item) {
                p.add(format!("{at}.item"), "this item already has a price above");
            }
            if let Some(m) = kind_problem(o.item.product, o.item.kind, true) {
                p.add(format!("{at}.item.kind"), m);
            }
        }
        p.count("organisation.m365.e3_seats", org.m365.e3_seats);
        p.count("organisation.m365.e5_seats", org.m365.e5_seats);

        let groups = p.unique_ids("groups", self.groups.iter().map(|g| g.id.as_str()));
        for (i, g) in self.groups.iter().enumerate() {
            p.count(&format!("groups[{i}].count"), g.count);
            if g.devices_each > MAX_DEVICES_EACH {
                p.add(
                    format!("groups[{i}].devices_each"),
                    format!(
                        "{} devices per person is not sensible (at most {MAX_DEVICES_EACH})",
                        g.devices_each
                    ),
                );
            }
        }
        let servers = p.unique_ids("servers", self.servers.iter().map(|s| s.id.as_str()));
        let _pools = p.unique_ids(
            "shared_devices",
            self.shared_devices.iter().map(|s| s.id.as_str()),
        );
        for (i, d) in self.shared_devices.iter().enumerate() {
            let at = format!("shared_devices[{i}]");
            p.count(&format!("{at}.count"), d.count);
            for (j, g) in d.shared_by.iter().enumerate() {
                p.reference(&format!("{at}.shared_by[{j}]"), g, &groups, "group");
            }
            if !d.unattended && !d.accesses.is_empty() {
                p.add(format!("{at}.accesses"), "only unattended devices list servers here; people's access is given in `access`");
            }
            if d.network && !d.shared_by.is_empty() {
                p.add(
                    format!("{at}.shared_by"),
                    "network equipment is no one's device: leave `shared_by` empty (the users whose access it passes on are licensed where they work)",
                );
            }
            if d.network && !d.unattended {
                p.add(
                    format!("{at}.network"),
                    "only unattended devices are network equipment: set `unattended` as well, with the servers they authenticate to in `accesses`",
                );
            }
            if d.unattended && d.accesses.is_empty() {
                p.add(
                    format!("{at}.accesses"),
                    "an unattended device pool must list the servers it reaches",
                );
            }
            for (j, s) in d.accesses.iter().enumerate() {
                p.reference(&format!("{at}.accesses[{j}]"), s, &servers, "server");
            }
        }
        for (i, s) in self.servers.iter().enumerate() {
            check_server(p, i, s);
        }
        // The first server of each id, for the features of the access rules and usage links: a
        // search of the list for each was quadratic (a seventh of the evaluation of 10,000 servers
        // in two rules).
        let by_id = crate::sort::key_index(
            self.servers
                .iter()
                .enumerate()
                .map(|(i, s)| (s.id.as_str(), i))
                .collect(),
        );
        let server = |id: &str| {
            crate::sort::run_of(&by_id, id)
                .first()
                .map(|&(_, i)| &self.servers[i])
        };
        for (i, a) in self.access.iter().enumerate() {
            let at = format!("access[{i}]");
            if a.groups.is_empty() {
                p.add(format!("{at}.groups"), "list at least one group");
            }
            if a.servers.is_empty() {
                p.add(format!("{at}.servers"), "list at least one server");
            }
            for (j, g) in a.groups.iter().enumerate() {
                p.reference(&format!("{at}.groups[{j}]"), g, &groups, "group");
            }
            for (j, s) in a.servers.iter().enumerate() {
                p.reference(&format!("{at}.servers[{j}]"), s, &servers, "server");
            }
            let targets: Vec<&crate::estate::Server> =
                a.servers.iter().filter_map(|id| server(id)).collect();
            // Multiplexing's manual-transfer exception is for output a person passes on
            // (§1.7); archiving, holds or DLP on someone's mailbox are direct use (review 20:
            // such rows read "need no CAL for Exchange Enterprise").
            if a.manual_transfer_only && !a.features.is_empty() {
                p.add(
                    format!("{at}.features"),
                    "people who only receive printed or hand-sent output do not use features of the server: remove the features, or say they use the server themselves",
                );
            }
            for (j, f) in a.features.iter().enumerate() {
                if !targets.is_empty() && !targets.iter().any(|s| feature_applies(*f, s)) {
                    p.add(format!("{at}.features[{j}]"), feature_mismatch(*f));
                }
            }
        }
        if let Some(u) = &self.usage {
            let people = p.unique_ids("usage.people", u.people.iter().map(|x| x.id.as_str()));
            let devices = p.unique_ids("usage.devices", u.devices.iter().map(|x| x.id.as_str()));
            let mut listed: BTreeMap<&str, u64> = BTreeMap::new();
            for (i, person) in u.people.iter().enumerate() {
                p.reference(
                    &format!("usage.people[{i}].group"),
                    &person.group,
                    &groups,
                    "group",
                );
                *listed.entry(person.group.as_str()).or_default() += 1;
            }
            for g in &self.groups {
                let n = listed.get(g.id.as_str()).copied().unwrap_or(0);
                if n > u64::from(g.count) {
                    let i = self.groups.iter().position(|x| x.id == g.id).unwrap_or(0);
                    p.add(format!("groups[{i}].count"), format!("{} people of this group are listed in usage.people, more than its count {}", n, g.count));
                }
            }
            // Sorted, as the servers above: a search of the devices for each link was quadratic.
            let mut unattended: Vec<&str> = u
                .devices
                .iter()
                .filter(|d| d.unattended)
                .map(|d| d.id.as_str())
                .collect();
            unattended.sort_unstable();
            for (i, l) in u.links.iter().enumerate() {
                let at = format!("usage.links[{i}]");
                if l.person.is_empty() {
                    let unattended = unattended.binary_search(&l.device.as_str()).is_ok();
                    if !unattended {
                        p.add(
                            format!("{at}.person"),
                            "a link without a person must come from an unattended device",
                        );
                    }
                } else {
                    p.reference(
                        &format!("{at}.person"),
                        &l.person,
                        &people,
                        "person in usage.people",
                    );
                }
                p.reference(
                    &format!("{at}.device"),
                    &l.device,
                    &devices,
                    "device in usage.devices",
                );
                p.reference(&format!("{at}.server"), &l.server, &servers, "server");
                if let Some(s) = server(&l.server) {
                    for (j, f) in l.features.iter().enumerate() {
                        if !feature_applies(*f, s) {
                            p.add(format!("{at}.features[{j}]"), feature_mismatch(*f));
                        }
                    }
                }
            }
        }
        for (i, h) in self.holdings.iter().enumerate() {
            let at = format!("holdings[{i}]");
            p.count(&format!("{at}.quantity"), h.quantity);
            if let Some(m) = kind_problem(h.product, h.kind, false) {
                p.add(format!("{at}.kind"), m);
            }
            match catalog::product(h.product).family {
                None => {
                    if !h.version.trim().is_empty() {
                        p.add(format!("{at}.version"), "CAL Suites are version-less: leave the version empty and give software_assurance (rights follow SA)");
                    }
                }
                Some(f) => {
                    if catalog::cal_version(f, &h.version).is_none() {
                        p.add(format!("{at}.version"), not_a_version(&h.version, f));
                    }
                }
            }
            if let Some(sa) = &h.software_assurance {
                if let Some(u) = sa.until {
                    if u < sa.since {
                        p.add(
                            format!("{at}.software_assurance.until"),
                            format!("{u} is before the start {}", sa.since),
                        );
                    }
                }
            }
            if h.assigned_to.is_some() && h.kind != LicenceKind::ExternalConnector {
                p.add(
                    format!("{at}.assigned_to"),
                    "only an External Connector is assigned to a host",
                );
            }
            if let Some(to) = &h.assigned_to {
                let known = self
                    .servers
                    .iter()
                    .any(|s| &s.id == to || s.host.as_deref() == Some(to.as_str()));
                if !known {
                    p.add(
                        format!("{at}.assigned_to"),
                        format!(
                            "\"{to}\" is neither a server id nor a host named in servers[].host"
                        ),
                    );
                }
            }
        }
    }
}

fn not_a_version(v: &str, f: Family) -> String {
    if v.trim().is_empty() {
        // A holding's version may be left out of the file (suites have none): say it is missing
        // rather than quote an empty string (review 17).
        return format!(
            "the version is missing: enter which {} version this is ({})",
            f.name(),
            catalog::version_list(f)
        );
    }
    let name = f.name();
    // "an Exchange Server version", "a SharePoint Server version" (review 20).
    let article = if name.starts_with(['A', 'E', 'I', 'O', 'U']) {
        "an"
    } else {
        "a"
    };
    format!(
        "\"{v}\" is not {article} {name} version ({})",
        catalog::version_list(f)
    )
}

fn family_of(product: ServerProduct) -> Family {
    match product {
        ServerProduct::WindowsServer => Family::WindowsServer,
        ServerProduct::SqlServer => Family::SqlServer,
        ServerProduct::Exchange => Family::Exchange,
        ServerProduct::SharePoint => Family::SharePoint,
        ServerProduct::SkypeForBusiness => Family::Skype,
    }
}

fn check_server(p: &mut Problems, i: usize, s: &crate::estate::Server) {
    let at = format!("servers[{i}]");
    let fam = family_of(s.product);
    if catalog::server_version(fam, &s.version).is_none() {
        p.add(format!("{at}.version"), not_a_version(&s.version, fam));
    }
    let ws = s.product == ServerProduct::WindowsServer;
    if let Some(w) = &s.windows_version {
        if ws {
            p.add(
                format!("{at}.windows_version"),
                "a Windows Server entry gives its version in `version`",
            );
        } else if catalog::server_version(Family::WindowsServer, w).is_none() {
            p.add(
                format!("{at}.windows_version"),
                not_a_version(w, Family::WindowsServer),
            );
        }
    }
    if let Some(w) = &s.rd_licensing_server_version {
        if catalog::server_version(Family::WindowsServer, w).is_none() {
            p.add(
                format!("{at}.rd_licensing_server_version"),
                not_a_version(w, Family::WindowsServer),
            );
        }
    }
    if s.cores > MAX_CORES {
        p.add(
            format!("{at}.cores"),
            format!("{} cores is not sensible (at most {MAX_CORES})", s.cores),
        );
    }
    match (s.product, s.edition) {
        (ServerProduct::WindowsServer, Edition::Enterprise) => p.add(
            format!("{at}.edition"),
            "Windows Server editions are standard, datacenter and essentials",
        ),
        (ServerProduct::WindowsServer, _) => {}
        (_, Edition::Datacenter | Edition::Essentials) => p.add(
            format!("{at}.edition"),
            "datacenter and essentials are Windows Server editions; use standard or enterprise",
        ),
        _ => {}
    }
    if s.sql_licensing.is_some() && s.product != ServerProduct::SqlServer {
        p.add(
            format!("{at}.sql_licensing"),
            "only a SQL Server has a SQL licensing model",
        );
    }
    if s.product == ServerProduct::SqlServer
        && s.edition == Edition::Enterprise
        && s.sql_licensing == Some(SqlLicensing::ServerCal)
    {
        p.add(format!("{at}.sql_licensing"), "Server+CAL exists for SQL Server Standard only; Enterprise is licensed per core (rule sql.server-cal-standard-only)");
    }
    if !ws && (s.rds_session_host || s.ad_rms || s.virtualization_only) {
        p.add(at.clone(), "rds_session_host, ad_rms and virtualization_only are Windows Server roles; set them on a windows-server entry");
    }
    if s.rds_mode.is_some() && !s.rds_session_host {
        p.add(
            format!("{at}.rds_mode"),
            "a licensing mode is set only on an RD Session Host (rds_session_host: true)",
        );
    }
    if s.pay_as_you_go {
        let wv = if ws {
            Some(s.version.as_str())
        } else {
            s.windows_version.as_deref()
        };
        let is_2025 = wv
            .and_then(|v| catalog::server_version(Family::WindowsServer, v))
            .map(|v| v.name == "2025");
        if is_2025 != Some(true) {
            p.add(
                format!("{at}.pay_as_you_go"),
                "pay-as-you-go through Azure Arc is offered for Windows Server 2025 only",
            );
        }
    }
    if s.edition == Edition::Essentials && s.pay_as_you_go {
        p.add(
            format!("{at}.pay_as_you_go"),
            "Essentials is not offered pay-as-you-go",
        );
    }
}

/// Whether an access rule's feature can apply to server `s` (a rule needs one such server).
pub(crate) fn feature_applies(f: Feature, s: &crate::estate::Server) -> bool {
    match f {
        Feature::RemoteDesktop => s.rds_session_host,
        Feature::AdRms => s.product == ServerProduct::WindowsServer || s.windows_version.is_some(),
        Feature::ExchangeEnterprise => s.product == ServerProduct::Exchange,
        Feature::SharePointEnterprise => s.product == ServerProduct::SharePoint,
        Feature::SkypeEnterprise => s.product == ServerProduct::SkypeForBusiness,
    }
}

/// The message for a feature on a row with no server that offers it, naming the feature as the
/// file writes it (review 21: "sharepoint-enterprise" was named, a name the file refuses).
fn feature_mismatch(f: Feature) -> String {
    let needs = match f {
        Feature::RemoteDesktop => "a server with rds_session_host: true",
        Feature::AdRms => "a Windows Server (or a product with windows_version)",
        Feature::ExchangeEnterprise => "an Exchange server",
        Feature::SharePointEnterprise => "a SharePoint server",
        Feature::SkypeEnterprise => "a Skype for Business server",
    };
    format!("{} needs {needs} in this row", f.name())
}

/// Whether a licence kind exists for a product (as a holding, or as a price item).
fn kind_problem(product: CalProduct, kind: LicenceKind, price: bool) -> Option<String> {
    let info = catalog::product(product);
    match kind {
        LicenceKind::UserCal | LicenceKind::DeviceCal => None,
        LicenceKind::ExternalConnector if info.external_connector => None,
        LicenceKind::ExternalConnector => Some(format!(
            "there is no External Connector for {} (only Windows Server, RDS and AD RMS have one)",
            info.label
        )),
        LicenceKind::CorePack2 | LicenceKind::ServerLicence if product == CalProduct::SqlServer && price => None,
        LicenceKind::CorePack2 | LicenceKind::ServerLicence if product == CalProduct::SqlServer => Some(
            "SQL Server core packs and server licences are not CALs; record the server's licensing in servers[].sql_licensing".into(),
        ),
        LicenceKind::CorePack2 | LicenceKind::ServerLicence => {
            Some("core packs and server licences are priced for SQL Server only".into())
        }
    }
}

#[derive(Default)]
struct Problems(Vec<EstateError>);

impl Problems {
    fn add(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.0.push(EstateError::field(path, message));
    }

    fn count(&mut self, path: &str, n: u32) {
        if n > MAX_COUNT {
            self.add(
                path,
                format!("{n} is more than {MAX_COUNT}, which is not a sensible count"),
            );
        }
    }

    fn unique_ids<'a>(
        &mut self,
        list: &str,
        ids: impl Iterator<Item = &'a str>,
    ) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        for (i, id) in ids.enumerate() {
            if id.trim().is_empty() {
                self.add(format!("{list}[{i}].id"), "an id is required");
            } else if !seen.insert(id.to_string()) {
                self.add(format!("{list}[{i}].id"), format!("\"{id}\" is used twice"));
            }
        }
        seen
    }

    fn reference(&mut self, path: &str, id: &str, known: &BTreeSet<String>, what: &str) {
        if !known.contains(id) {
            self.add(path, format!("\"{id}\" is not the id of any {what}"));
        }
    }
}

/// A deserialization error of serde_json with the field path of the value it is about.
struct Tracked {
    path: String,
    error: serde_json::Error,
}

/// The one way estates are deserialized from JSON text. The field path of an error is found
/// afterwards from the error's line and column ([`path_at`]), so the estate's deserialization
/// code exists once in the WebAssembly, not once more wrapped for path tracking.
fn deserialize_tracked<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, Tracked> {
    serde_json::from_str(text).map_err(|error| Tracked {
        path: path_at(text, error.line(), error.column()),
        error,
    })
}

/// `serde_json::from_str` for values that contain an [`Estate`] (same result, same messages),
/// sharing the estate's deserialization code with [`Estate::from_json`].
pub fn from_json_text<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, serde_json::Error> {
    serde_json::from_str(text)
}

// ---------------------------------------------------------------------------------------------
// Format 0 → 1

fn is_format_0(map: &Map<String, Value>) -> bool {
    ["users", "devices", "owned"]
        .iter()
        .any(|k| map.contains_key(*k))
}

/// Migrates the pre-release shape (format 0) to format 1:
/// `users[]` → `groups[]` (`type` → `kind`, "contractor" → "onsite-contractor", "anonymous" →
/// "anonymous-visitor"; `devices_per_user` → `devices_each`; `admin` → `admin_only`),
/// `devices[]` → `shared_devices[]` (`used_by` → `shared_by`, `servers` → `accesses`),
/// `access[].users` → `access[].groups`, `owned[]` → `holdings[]` (`type` "user"/"device"/
/// "external-connector" → `kind` "user-cal"/"device-cal"/"external-connector"), and top-level
/// `currency` → `organisation.currency` (into the document's `organisation` if it has one, unless
/// that gives its own). Other keys are kept, so that reading reports any problem in them.
///
/// A document that gives a value under both its format 0 name and its format 1 name (`users`
/// and `groups`, a group's `type` and `kind`, two different currencies) is refused with both
/// names: migration would have to keep one and drop the other without a word.
fn migrate_0_to_1(mut old: Map<String, Value>) -> Result<Value, EstateError> {
    let mut out = Map::new();
    out.insert("format_version".into(), Value::from(FORMAT_VERSION));
    old.remove("format_version");
    for (from, to) in [
        ("users", "groups"),
        ("devices", "shared_devices"),
        ("owned", "holdings"),
    ] {
        if old.contains_key(from) && old.contains_key(to) {
            return Err(both_names("", from, to));
        }
    }
    if let Some(c) = old.remove("currency") {
        // Into the document's own `organisation`, which is kept (review 21: it was dropped, and
        // its prices with it); the same currency given twice is fine.
        match old.remove("organisation") {
            Some(Value::Object(mut org)) => {
                match org.get("currency") {
                    Some(own) if *own != c => {
                        return Err(EstateError::field(
                            "organisation.currency",
                            format!(
                                "this format 0 document gives two currencies, {c} at the top \
                                 (`currency`) and {own} here: keep one"
                            ),
                        ));
                    }
                    Some(_) => {}
                    None => {
                        org.insert("currency".into(), c);
                    }
                }
                out.insert("organisation".into(), Value::Object(org));
            }
            // Not an object: kept as it is, for reading to report.
            Some(other) => {
                out.insert("organisation".into(), other);
            }
            None => {
                let mut org = Map::new();
                org.insert("currency".into(), c);
                out.insert("organisation".into(), Value::Object(org));
            }
        }
    }
    if let Some(Value::Array(users)) = old.remove("users") {
        let groups = users
            .into_iter()
            .enumerate()
            .map(|(i, u)| {
                rename(
                    u,
                    &format!("users[{i}]"),
                    &[
                        ("type", "kind"),
                        ("devices_per_user", "devices_each"),
                        ("admin", "admin_only"),
                    ],
                    |k, v| {
                        if k == "kind" {
                            match v.as_str() {
                                Some("contractor") => Value::from("onsite-contractor"),
                                Some("anonymous") => Value::from("anonymous-visitor"),
                                _ => v,
                            }
                        } else {
                            v
                        }
                    },
                )
            })
            .collect::<Result<_, _>>()?;
        out.insert("groups".into(), Value::Array(groups));
    }
    if let Some(Value::Array(devices)) = old.remove("devices") {
        let pools = devices
            .into_iter()
            .enumerate()
            .map(|(i, d)| {
                rename(
                    d,
                    &format!("devices[{i}]"),
                    &[("used_by", "shared_by"), ("servers", "accesses")],
                    |_, v| v,
                )
            })
            .collect::<Result<_, _>>()?;
        out.insert("shared_devices".into(), Value::Array(pools));
    }
    if let Some(Value::Array(access)) = old.remove("access") {
        let rows = access
            .into_iter()
            .enumerate()
            .map(|(i, a)| rename(a, &format!("access[{i}]"), &[("users", "groups")], |_, v| v))
            .collect::<Result<_, _>>()?;
        out.insert("access".into(), Value::Array(rows));
    }
    if let Some(Value::Array(owned)) = old.remove("owned") {
        let holdings = owned
            .into_iter()
            .enumerate()
            .map(|(i, h)| {
                rename(h, &format!("owned[{i}]"), &[("type", "kind")], |k, v| {
                    if k == "kind" {
                        match v.as_str() {
                            Some("user") => Value::from("user-cal"),
                            Some("device") => Value::from("device-cal"),
                            _ => v,
                        }
                    } else {
                        v
                    }
                })
            })
            .collect::<Result<_, _>>()?;
        out.insert("holdings".into(), Value::Array(holdings));
    }
    for (k, v) in old {
        out.entry(k).or_insert(v);
    }
    Ok(Value::Object(out))
}

/// The error for a value given under its format 0 name `from` and its format 1 name `to` in the
/// object at `at` (empty for the document itself).
fn both_names(at: &str, from: &str, to: &str) -> EstateError {
    let who = if at.is_empty() { "the document " } else { "" };
    EstateError::field(
        at,
        format!(
            "{who}has both `{from}` (the format 0 name) and `{to}` (the format 1 name for it): \
             keep one, since a reader cannot tell which is meant"
        ),
    )
}

fn rename(
    v: Value,
    at: &str,
    renames: &[(&str, &str)],
    map_value: impl Fn(&str, Value) -> Value,
) -> Result<Value, EstateError> {
    let Value::Object(m) = v else { return Ok(v) };
    if let Some((from, to)) = renames
        .iter()
        .find(|(from, to)| m.contains_key(*from) && m.contains_key(*to))
    {
        return Err(both_names(at, from, to));
    }
    let mut out = Map::new();
    for (k, val) in m {
        let key = renames
            .iter()
            .find(|(from, _)| *from == k)
            .map(|(_, to)| to.to_string())
            .unwrap_or(k);
        let val = map_value(&key, val);
        out.insert(key, val);
    }
    Ok(Value::Object(out))
}

// ---------------------------------------------------------------------------------------------
// Locating a field path in the source text

enum Seg {
    Key(String),
    Index(usize),
}

fn parse_path(path: &str) -> Option<Vec<Seg>> {
    let mut segs = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (name, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !name.is_empty() {
            segs.push(Seg::Key(name.to_string()));
        }
        while let Some(stripped) = rest.strip_prefix('[') {
            let end = stripped.find(']')?;
            segs.push(Seg::Index(stripped[..end].parse().ok()?));
            rest = &stripped[end + 1..];
        }
    }
    Some(segs)
}

/// `path` and then each enclosing path: `holdings[0].version`, `holdings[0]`, `holdings`.
fn ancestors(path: &str) -> impl Iterator<Item = &str> {
    std::iter::successors(Some(path), |p| {
        p.rfind(['.', '[']).filter(|&i| i > 0).map(|i| &p[..i])
    })
}

/// The 1-based line and column where the value at `path` (e.g. `servers[2].version`) starts in
/// the JSON text `source`, if it is there.
pub fn locate(source: &str, path: &str) -> Option<(usize, usize)> {
    let before = source.get(..value_start(source, path)?)?;
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    Some((line, column))
}

/// The byte offset in `source` where the value at `path` starts.
fn value_start(source: &str, path: &str) -> Option<usize> {
    let segs = parse_path(path)?;
    let b = source.as_bytes();
    let mut pos = skip_ws(b, 0);
    for seg in &segs {
        pos = match seg {
            Seg::Key(k) => find_key(b, pos, k)?,
            Seg::Index(i) => find_index(b, pos, *i)?,
        };
    }
    Some(pos)
}

/// The text of the value at `path` as `source` writes it (`1e3`, `"ten"`, `[1]`).
fn raw_value<'a>(source: &'a str, path: &str) -> Option<&'a str> {
    let start = value_start(source, path)?;
    source.get(start..skip_value(source.as_bytes(), start)?)
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// Returns (content, index after the closing quote) of the string starting at `i`.
fn read_string(b: &[u8], i: usize) -> Option<(String, usize)> {
    if b.get(i) != Some(&b'"') {
        return None;
    }
    let mut j = i + 1;
    while j < b.len() {
        match b[j] {
            b'\\' => j += 2,
            b'"' => {
                let raw = std::str::from_utf8(b.get(i..=j)?).ok()?;
                let s: String = serde_json::from_str(raw).ok()?;
                return Some((s, j + 1));
            }
            _ => j += 1,
        }
    }
    None
}

fn skip_value(b: &[u8], i: usize) -> Option<usize> {
    let i = skip_ws(b, i);
    match b.get(i)? {
        b'"' => read_string(b, i).map(|(_, e)| e),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'"' => {
                        j = read_string(b, j)?.1;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            None
        }
        _ => {
            let mut j = i;
            while j < b.len() && !matches!(b[j], b',' | b'}' | b']') && !b[j].is_ascii_whitespace()
            {
                j += 1;
            }
            Some(j)
        }
    }
}

/// The field path (`servers[2].version`) of the value at a 1-based line and column of the JSON
/// text, as serde_json reports the place of an error: just after the token it stopped at. A
/// closing bracket at that place still belongs to its object (a missing field is the object's).
/// Empty at the top level, or when the text ends first.
pub fn path_at(source: &str, line: usize, column: usize) -> String {
    enum Frame {
        Object(Option<String>),
        Array(usize),
    }
    let b = source.as_bytes();
    let line_start = if line <= 1 {
        0
    } else {
        memchr::memchr_iter(b'\n', b)
            .nth(line - 2)
            .map_or(b.len(), |i| i + 1)
    };
    let offset = (line_start + column).min(b.len());
    let mut stack: Vec<Frame> = Vec::new();
    // In an object: whether the next string is a key.
    let mut want_key = false;
    let mut i = 0;
    while i < b.len() && i < offset {
        match b[i] {
            b'{' => {
                stack.push(Frame::Object(None));
                want_key = true;
            }
            b'[' => {
                stack.push(Frame::Array(0));
                want_key = false;
            }
            b'}' | b']' => {
                if i + 1 >= offset {
                    // The error is the container's own (a missing field), not its last value's.
                    if let Some(Frame::Object(key)) = stack.last_mut() {
                        *key = None;
                    }
                    break;
                }
                stack.pop();
                want_key = false;
            }
            b',' => match stack.last_mut() {
                Some(Frame::Object(key)) => {
                    *key = None;
                    want_key = true;
                }
                Some(Frame::Array(n)) => *n += 1,
                None => {}
            },
            b'"' => {
                let Some((text, after)) = read_string(b, i) else {
                    break;
                };
                if want_key {
                    if let Some(Frame::Object(key)) = stack.last_mut() {
                        *key = Some(text);
                    }
                    want_key = false;
                }
                i = after;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    let mut path = String::new();
    for frame in &stack {
        match frame {
            Frame::Object(Some(key)) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Object(None) => {}
            Frame::Array(n) => path.push_str(&format!("[{n}]")),
        }
    }
    path
}

fn find_key(b: &[u8], i: usize, key: &str) -> Option<usize> {
    let i = skip_ws(b, i);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    let mut j = skip_ws(b, i + 1);
    loop {
        let (k, after) = read_string(b, j)?;
        j = skip_ws(b, after);
        if b.get(j) != Some(&b':') {
            return None;
        }
        let vstart = skip_ws(b, j + 1);
        if k == key {
            return Some(vstart);
        }
        j = skip_ws(b, skip_value(b, vstart)?);
        if b.get(j) != Some(&b',') {
            return None;
        }
        j = skip_ws(b, j + 1);
    }
}

fn find_index(b: &[u8], i: usize, index: usize) -> Option<usize> {
    let i = skip_ws(b, i);
    if b.get(i) != Some(&b'[') {
        return None;
    }
    let mut j = skip_ws(b, i + 1);
    let mut n = 0;
    loop {
        if n == index {
            return Some(j);
        }
        j = skip_ws(b, skip_value(b, j)?);
        if b.get(j) != Some(&b',') {
            return None;
        }
        j = skip_ws(b, j + 1);
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_at_names_the_value_an_error_is_about() {
        let src = "{\n  \"groups\": [\n    {\"id\": \"a\"},\n    {\"id\": \"b\", \"count\": \"ten\"}\n  ]\n}";
        // serde_json's place for a wrong type: just after the value.
        let (line, col) = (4, "    {\"id\": \"b\", \"count\": \"ten\"".len());
        assert_eq!(path_at(src, line, col), "groups[1].count");
        // A missing field is reported at the object's closing brace: the object's own path.
        let (line, col) = (3, "    {\"id\": \"a\"}".len());
        assert_eq!(path_at(src, line, col), "groups[0]");
        // An unknown field: just after its key.
        let src = r#"{ "servers": [ { "id": "a", "colour": 1 } ] }"#;
        let col = src.find("colour").map_or(0, |i| i + "colour\"".len());
        assert_eq!(path_at(src, 1, col), "servers[0].colour");
        assert_eq!(path_at("{}", 1, 2), "");
        // Through the reader, as the user sees it.
        let msg =
            Estate::from_json("{\"groups\": [{\"id\": \"a\", \"count\": 1}, {\"count\": 3}]}")
                .map(|_| ())
                .unwrap_err()
                .to_string();
        assert!(msg.contains("groups[1]: missing field `id`"), "{msg}");
    }

    /// Every value of every example estate: the path found at the place `locate` gives for a
    /// path is that path (the two walks of the text agree).
    #[test]
    #[cfg(not(target_arch = "wasm32"))]
    fn path_at_inverts_locate_on_the_example_estates() {
        fn leaves(v: &Value, path: String, out: &mut Vec<String>) {
            match v {
                Value::Object(m) => {
                    for (k, v) in m {
                        let p = if path.is_empty() {
                            k.clone()
                        } else {
                            format!("{path}.{k}")
                        };
                        leaves(v, p, out);
                    }
                }
                Value::Array(a) => {
                    for (i, v) in a.iter().enumerate() {
                        leaves(v, format!("{path}[{i}]"), out);
                    }
                }
                _ => out.push(path),
            }
        }
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/estates");
        let mut checked = 0;
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let Ok(src) = std::fs::read_to_string(entry.path()) else {
                continue;
            };
            let Ok(value) = serde_json::from_str::<Value>(&src) else {
                continue;
            };
            let mut paths = Vec::new();
            leaves(&value, String::new(), &mut paths);
            for p in paths {
                let (line, col) = locate(&src, &p).unwrap_or((0, 0));
                assert_eq!(path_at(&src, line, col), p, "{}", entry.path().display());
                checked += 1;
            }
        }
        assert!(checked > 500, "only {checked} values checked");
    }

    #[test]
    fn locate_finds_nested_fields() {
        let src = "{\n  \"servers\": [\n    {\"id\": \"a\"},\n    {\"id\": \"b\", \"version\": \"2018\"}\n  ]\n}";
        assert_eq!(locate(src, "servers[1].version"), Some((4, 28)));
    }
}
