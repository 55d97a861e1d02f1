//! JSON exports read as a table: a Microsoft Graph response (`/users`, `/subscribedSkus`, saved
//! from Graph Explorer or `Invoke-MgGraphRequest`), whose objects are in its `value` array, or
//! PowerShell's `ConvertTo-Json` (an array of objects; Windows PowerShell 5.1 wraps a piped array
//! as `{"value": [...], "Count": n}`; one object alone is not in an array).
//!
//! Each object is a row and each of its fields a column, in the order first seen: a nested
//! object's fields as `prepaidUnits.enabled`, a list's values joined by `;` (a list of objects
//! per field: `assignedLicenses.skuId`). The table is written as CSV and read by the same
//! readers as any export, so detection, synonyms, notes and row errors are those of a CSV file;
//! the importer puts the header on line 0, so a row's number is its object's, and names it
//! "object N" ([`super::RowUnit`]).
//!
//! The objects are streamed out of the text as they are parsed (no `serde_json::Value` of the
//! whole file) into the rows ([`read`]); the importer lets the text go before the table is
//! written ([`Objects::table`]). JSON Lines is read a line at a time as the file comes
//! ([`Lines`]), so its text is never held whole.

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use std::collections::HashMap;
use std::fmt;

/// Where the rows came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A top-level array.
    Array,
    /// An object's `value` array (a Graph response, or PowerShell 5.1's wrapped array).
    Value,
    /// One object: one row.
    Object,
    /// JSON Lines: an object per line.
    Lines,
}

/// A JSON file as a CSV table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The header and one line per object, every non-empty field quoted, `\n` line ends.
    pub csv: String,
    pub shape: Shape,
    /// Objects read (rows).
    pub items: u64,
    /// Items of the array that were not objects (numbers, strings, lists), left out.
    pub skipped: u64,
    /// A Graph response's `@odata.nextLink`: more pages exist that the file does not hold.
    pub next_link: bool,
    /// A Graph response's `@odata.count`, or PowerShell's `Count`, when given.
    pub count: Option<u64>,
    /// The first column named by a path (a field inside another), for the note's example.
    pub nested: Option<String>,
}

/// Why a JSON file gave no table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Not JSON after all: a CSV file whose first line starts with `[` or `{`
    /// (`[Name],[Enabled]`, as some SQL tools write headers; a GUID in braces). Read as CSV.
    NotJson,
    /// The JSON is broken (cut short, a comma missing): serde_json's message, with its line and
    /// column.
    Invalid(String),
    /// Valid JSON with no object to read as a row (a list of names, a number): what it held.
    NoObjects(&'static str),
    /// An estate file of this calculator (`format_version`), not an export.
    Estate,
    /// The error Microsoft Graph answered with (`{"error": {"code": …, "message": …}}`), saved
    /// instead of a list: its code and message.
    GraphError { code: String, message: String },
}

/// A JSON file's objects as read, before their table is written ([`Objects::table`]): the
/// caller drops the text first, so that the text and the table are not held together.
pub struct Objects {
    rows: Rows,
    shape: Shape,
    next_link: bool,
    count: Option<u64>,
}

impl Objects {
    /// The table of the objects: the header, then a CSV line per object.
    pub fn table(self) -> Table {
        self.rows.table(self.shape, self.next_link, self.count)
    }
}

/// Reads `text` (the whole file, decoded) as a table.
pub fn to_table(text: &str) -> Result<Table, Problem> {
    read(text).map(Objects::table)
}

/// Reads the objects of `text` (the whole file, decoded), the rows of its table.
pub fn read(text: &str) -> Result<Objects, Problem> {
    let mut rows = Rows::default();
    let mut de = serde_json::Deserializer::from_str(text);
    let top = match (Top { rows: &mut rows }).deserialize(&mut de) {
        Ok(top) => top,
        Err(e) => return Err(invalid(text, &e)),
    };
    if let Err(e) = de.end() {
        // A first object, then more on the lines below: JSON Lines (one object per line, as
        // SIEM tools and `jq -c` write them).
        if matches!(top, TopShape::Object(_)) && e.line() > 1 {
            // When its first line is no object, it is not JSON Lines: the error is the whole
            // text's (a pretty-printed object with something after it).
            return json_lines(text).map_err(|p| p.unwrap_or_else(|| invalid(text, &e)));
        }
        return Err(invalid(text, &e));
    }
    let (shape, next_link, count) = match top {
        TopShape::Scalar(what) => return Err(Problem::NoObjects(what)),
        TopShape::Array => (Shape::Array, false, None),
        TopShape::Value { next_link, count } => (Shape::Value, next_link, count),
        TopShape::Object(fields) => {
            if fields.iter().any(|(k, _)| k == "format_version") {
                return Err(Problem::Estate);
            }
            let get = |k: &str| fields.iter().find(|(p, _)| p == k).map(|(_, v)| v.clone());
            if let (Some(code), Some(message)) = (get("error.code"), get("error.message")) {
                return Err(Problem::GraphError { code, message });
            }
            rows.add(fields);
            (Shape::Object, false, None)
        }
    };
    if rows.items == 0 {
        return Err(Problem::NoObjects(if rows.skipped > 0 {
            "its items are values, not objects with fields"
        } else {
            "its list is empty"
        }));
    }
    Ok(Objects {
        rows,
        shape,
        next_link,
        count,
    })
}

/// JSON Lines: each line other than a blank one is one object (a row) or another value (left
/// out). `Err(None)`: the first line other than a blank one is not one whole object.
fn json_lines(text: &str) -> Result<Objects, Option<Problem>> {
    if Lines::begins(text, true) != Some(true) {
        return Err(None);
    }
    let mut lines = Lines::default();
    lines.push(text, true).map_err(Some)?;
    Ok(lines.finish())
}

/// JSON Lines read as the text comes, a line at a time: a large file (a SIEM's export of logon
/// events) is not held whole while it is read, only the rows made of it.
#[derive(Default)]
pub struct Lines {
    rows: Rows,
    /// Lines read so far, blank ones included: a broken line's number.
    line: usize,
}

impl Lines {
    /// Whether `text`, the start of a file (decoded), is JSON Lines: its first line other than
    /// a blank one is one whole object, and more text follows on the lines below. `None` while
    /// the text does not show it yet (`eof`: `text` is the whole file).
    pub fn begins(text: &str, eof: bool) -> Option<bool> {
        let rest = text.trim_start();
        if !rest.starts_with('{') {
            return Some(false);
        }
        let Some(end) = memchr::memchr(b'\n', rest.as_bytes()) else {
            return eof.then_some(false);
        };
        let mut fields = Vec::new();
        let mut de = serde_json::Deserializer::from_str(&rest[..end]);
        let object = (Item { out: &mut fields })
            .deserialize(&mut de)
            .and_then(|object| de.end().map(|()| object));
        if !matches!(object, Ok(true)) {
            return Some(false);
        }
        if rest[end..].trim_start().is_empty() {
            return eof.then_some(false);
        }
        Some(true)
    }

    /// Reads the lines of `text` that are ended (all of it at `eof`) and returns how many bytes
    /// of it they were: the rest is a line still to come, to be given again with what follows.
    pub fn push(&mut self, text: &str, eof: bool) -> Result<usize, Problem> {
        let mut used = 0;
        loop {
            let rest = &text[used..];
            let line = match memchr::memchr(b'\n', rest.as_bytes()) {
                Some(i) => {
                    used += i + 1;
                    &rest[..i]
                }
                None if eof && !rest.is_empty() => {
                    used = text.len();
                    rest
                }
                None => return Ok(used),
            };
            self.line += 1;
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.trim().is_empty() {
                continue;
            }
            let mut fields = Vec::new();
            let mut de = serde_json::Deserializer::from_str(line);
            let read = (Item { out: &mut fields })
                .deserialize(&mut de)
                .and_then(|object| de.end().map(|()| object));
            match read {
                Ok(true) => self.rows.add(fields),
                Ok(false) => self.rows.skipped += 1,
                Err(e) => {
                    let what = e.to_string();
                    let what = what
                        .rsplit_once(" at line ")
                        .map_or(what.as_str(), |(w, _)| w);
                    return Err(Problem::Invalid(format!(
                        "{what} at line {} column {} (read as JSON Lines, one object per line)",
                        self.line,
                        e.column()
                    )));
                }
            }
        }
    }

    /// The objects read, the rows of the table.
    pub fn finish(self) -> Objects {
        Objects {
            rows: self.rows,
            shape: Shape::Lines,
            next_link: false,
            count: None,
        }
    }
}

/// A parse error: a CSV file that starts with `[` or `{` (`[Name],[Enabled]`, a GUID in braces)
/// fails on its first line with a syntax error before any string or inner object began, and is
/// read as CSV.
fn invalid(text: &str, e: &serde_json::Error) -> Problem {
    let read = text
        .get(..e.column().min(text.len()))
        .unwrap_or(text)
        .trim_start();
    if e.line() == 1
        && e.classify() == serde_json::error::Category::Syntax
        && read.len() > 1
        && read.starts_with(['[', '{'])
        && !read[1..].contains(['{', '"'])
    {
        Problem::NotJson
    } else {
        Problem::Invalid(e.to_string())
    }
}

/// The table being built: the columns in the order first seen, and the rows as CSV lines, each
/// as long as the columns known when it was written (padded at the end).
#[derive(Default)]
struct Rows {
    names: Vec<String>,
    index: HashMap<String, usize>,
    /// The rows' CSV lines, each ending with `\n`.
    body: String,
    /// Fields written per row.
    widths: Vec<u32>,
    items: u64,
    skipped: u64,
    /// Scratch: an item's fields by column.
    cells: Vec<(usize, String)>,
    /// Scratch: per column, where in `cells` the item's field is (`usize::MAX`: not there), so
    /// that a field named twice in an object takes the later value without a search.
    at: Vec<usize>,
}

impl Rows {
    /// Adds one object's fields (path, text) as a row.
    fn add(&mut self, fields: Vec<(String, String)>) {
        self.items += 1;
        self.cells.clear();
        for (path, text) in fields {
            let c = match self.index.get(&path) {
                Some(&c) => c,
                None => {
                    let c = self.names.len();
                    // A name is one line of the header, as a value is of its row.
                    self.names.push(string_text(&path));
                    self.index.insert(path, c);
                    self.at.push(usize::MAX);
                    c
                }
            };
            match self.at[c] {
                usize::MAX => {
                    self.at[c] = self.cells.len();
                    self.cells.push((c, text));
                }
                i => self.cells[i].1 = text,
            }
        }
        for &(c, _) in &self.cells {
            self.at[c] = usize::MAX;
        }
        self.cells.sort_unstable_by_key(|&(c, _)| c);
        let width = self.cells.last().map_or(0, |&(c, _)| c + 1);
        let mut next = 0;
        for (c, text) in &self.cells {
            while next < *c {
                if next > 0 {
                    self.body.push(',');
                }
                next += 1;
            }
            if *c > 0 {
                self.body.push(',');
            }
            quote(&mut self.body, text);
            next = c + 1;
        }
        self.body.push('\n');
        self.widths.push(width as u32);
    }

    /// The table of the rows read.
    fn table(self, shape: Shape, next_link: bool, count: Option<u64>) -> Table {
        Table {
            nested: self.names.iter().find(|n| n.contains('.')).cloned(),
            items: self.items,
            skipped: self.skipped,
            csv: self.csv(),
            shape,
            next_link,
            count,
        }
    }

    /// The header and the rows, each padded to the header's width.
    fn csv(self) -> String {
        let mut out = String::with_capacity(self.body.len() + 64 * self.names.len());
        for (i, name) in self.names.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            quote(&mut out, name);
        }
        out.push('\n');
        let n = self.names.len() as u32;
        // A field may be missing from an object; a row with fewer fields would be read as short
        // (and noted), so each is padded. Rows hold no newline (values' are replaced), so the
        // lines of `body` are the rows.
        for (line, &w) in self.body.split_inclusive('\n').zip(&self.widths) {
            out.push_str(&line[..line.len() - 1]);
            for _ in w.max(1)..n {
                out.push(',');
            }
            out.push('\n');
        }
        out
    }
}

/// Appends `text` as a CSV field: quoted unless empty.
fn quote(out: &mut String, text: &str) {
    if text.is_empty() {
        return;
    }
    out.push('"');
    for ch in text.chars() {
        if ch == '"' {
            out.push('"');
        }
        out.push(ch);
    }
    out.push('"');
}

enum TopShape {
    Scalar(&'static str),
    Array,
    Value { next_link: bool, count: Option<u64> },
    Object(Vec<(String, String)>),
}

/// The document: an array of objects, an object with a `value` array, or one object.
struct Top<'a> {
    rows: &'a mut Rows,
}

impl<'de> DeserializeSeed<'de> for Top<'_> {
    type Value = TopShape;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<TopShape, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Top<'_> {
    type Value = TopShape;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON array of objects or an object")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<TopShape, A::Error> {
        items(self.rows, seq)?;
        Ok(TopShape::Array)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TopShape, A::Error> {
        let mut rest = Vec::new();
        let mut streamed = false;
        while let Some(key) = map.next_key::<String>()? {
            if key == "value" && !streamed {
                streamed = map.next_value_seed(ValueField {
                    rows: self.rows,
                    rest: &mut rest,
                })?;
            } else {
                map.next_value_seed(Flat {
                    path: key,
                    out: &mut rest,
                })?;
            }
        }
        if !streamed {
            return Ok(TopShape::Object(rest));
        }
        let get = |k: &str| rest.iter().find(|(p, _)| p == k).map(|(_, v)| v.as_str());
        Ok(TopShape::Value {
            next_link: get("@odata.nextLink").is_some_and(|v| !v.is_empty()),
            count: get("@odata.count")
                .or_else(|| get("Count"))
                .and_then(|v| v.parse().ok()),
        })
    }
    fn visit_bool<E>(self, _: bool) -> Result<TopShape, E> {
        Ok(TopShape::Scalar("it is one value, true or false"))
    }
    fn visit_i64<E>(self, _: i64) -> Result<TopShape, E> {
        Ok(TopShape::Scalar("it is one number"))
    }
    fn visit_u64<E>(self, _: u64) -> Result<TopShape, E> {
        Ok(TopShape::Scalar("it is one number"))
    }
    fn visit_f64<E>(self, _: f64) -> Result<TopShape, E> {
        Ok(TopShape::Scalar("it is one number"))
    }
    fn visit_str<E>(self, _: &str) -> Result<TopShape, E> {
        Ok(TopShape::Scalar("it is one string"))
    }
    fn visit_unit<E>(self) -> Result<TopShape, E> {
        Ok(TopShape::Scalar("it is null"))
    }
}

/// Streams the items of an array into rows: objects are rows, other items are counted.
fn items<'de, A: SeqAccess<'de>>(rows: &mut Rows, mut seq: A) -> Result<(), A::Error> {
    loop {
        let mut fields = Vec::new();
        let item = seq.next_element_seed(Item { out: &mut fields })?;
        match item {
            None => return Ok(()),
            Some(true) => rows.add(fields),
            Some(false) => rows.skipped += 1,
        }
    }
}

/// One item of the array: `true` when it was an object (its fields in `out`).
struct Item<'a> {
    out: &'a mut Vec<(String, String)>,
}

impl<'de> DeserializeSeed<'de> for Item<'_> {
    type Value = bool;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Item<'_> {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<bool, A::Error> {
        fields(String::new(), self.out, map)?;
        Ok(true)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        while seq.next_element::<de::IgnoredAny>()?.is_some() {}
        Ok(false)
    }
    fn visit_bool<E>(self, _: bool) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_i64<E>(self, _: i64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_u64<E>(self, _: u64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_f64<E>(self, _: f64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_str<E>(self, _: &str) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_unit<E>(self) -> Result<bool, E> {
        Ok(false)
    }
}

/// The top-level object's `value`: streamed as the rows when it is an array (`true`), else kept
/// as a field of the one object.
struct ValueField<'a> {
    rows: &'a mut Rows,
    rest: &'a mut Vec<(String, String)>,
}

impl<'de> DeserializeSeed<'de> for ValueField<'_> {
    type Value = bool;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueField<'_> {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a value")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<bool, A::Error> {
        items(self.rows, seq)?;
        Ok(true)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<bool, A::Error> {
        self.field().visit_map(map).map(|()| false)
    }
    // Any other value is the one object's field `value`, as `Flat` reads it.
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
        self.field().visit_bool(v).map(|()| false)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<bool, E> {
        self.field().visit_i64(v).map(|()| false)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<bool, E> {
        self.field().visit_u64(v).map(|()| false)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<bool, E> {
        self.field().visit_f64(v).map(|()| false)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
        self.field().visit_str(v).map(|()| false)
    }
    fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
        self.field().visit_unit().map(|()| false)
    }
}

impl<'a> ValueField<'a> {
    /// The reader of `value` as a field of the one object.
    fn field(self) -> Flat<'a> {
        Flat {
            path: "value".into(),
            out: self.rest,
        }
    }
}

/// An object's fields, flattened under `prefix`.
fn fields<'de, A: MapAccess<'de>>(
    prefix: String,
    out: &mut Vec<(String, String)>,
    mut map: A,
) -> Result<(), A::Error> {
    while let Some(key) = map.next_key::<String>()? {
        let path = if prefix.is_empty() {
            key
        } else {
            format!("{prefix}.{key}")
        };
        map.next_value_seed(Flat { path, out })?;
    }
    Ok(())
}

/// A value at `path`, flattened into (path, text) pairs.
struct Flat<'a> {
    path: String,
    out: &'a mut Vec<(String, String)>,
}

impl<'de> DeserializeSeed<'de> for Flat<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Flat<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a value")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        fields(self.path, self.out, map)
    }
    /// A list: each path under it takes its items' values joined by `;`, in order (empty values
    /// left out). An empty list adds no field: which fields its items would have is not known
    /// (an account's empty `assignedLicenses` beside others' `assignedLicenses.skuId`).
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut joined: Vec<(String, String)> = Vec::new();
        let mut one = Vec::new();
        while seq
            .next_element_seed(Flat {
                path: self.path.clone(),
                out: &mut one,
            })?
            .is_some()
        {
            for (p, v) in one.drain(..) {
                match joined.iter_mut().find(|(q, _)| *q == p) {
                    Some((_, all)) => {
                        if !v.is_empty() {
                            if !all.is_empty() {
                                all.push(';');
                            }
                            all.push_str(&v);
                        }
                    }
                    None => joined.push((p, v)),
                }
            }
        }
        self.out.extend(joined);
        Ok(())
    }
    fn visit_bool<E>(self, v: bool) -> Result<(), E> {
        self.out.push((self.path, bool_text(v).into()));
        Ok(())
    }
    fn visit_i64<E>(self, v: i64) -> Result<(), E> {
        self.out.push((self.path, v.to_string()));
        Ok(())
    }
    fn visit_u64<E>(self, v: u64) -> Result<(), E> {
        self.out.push((self.path, v.to_string()));
        Ok(())
    }
    fn visit_f64<E>(self, v: f64) -> Result<(), E> {
        self.out.push((self.path, float_text(v)));
        Ok(())
    }
    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        self.out.push((self.path, string_text(v)));
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        self.out.push((self.path, String::new()));
        Ok(())
    }
}

/// As PowerShell's `Export-Csv` writes a Boolean.
fn bool_text(v: bool) -> &'static str {
    if v {
        "True"
    } else {
        "False"
    }
}

/// A whole number without a fraction (`1.0` is `1`), else Rust's shortest form.
fn float_text(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// A string field: line breaks become spaces (a row is one line), and Windows PowerShell 5.1's
/// dates (`/Date(1717243200000)/`, milliseconds since 1970 in UTC, an optional `+0200` offset
/// after them) become ISO dates the date reader knows.
fn string_text(v: &str) -> String {
    if let Some(date) = ms_date(v) {
        return date;
    }
    if v.contains(['\n', '\r']) {
        v.replace("\r\n", " ").replace(['\n', '\r'], " ")
    } else {
        v.to_string()
    }
}

/// `/Date(ms)/` or `/Date(ms+hhmm)/` as `yyyy-MM-ddTHH:mm:ssZ` (UTC).
fn ms_date(v: &str) -> Option<String> {
    let inner = v.strip_prefix("/Date(")?.strip_suffix(")/")?;
    let digits_end = inner
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_digit() || (i == 0 && c == '-')))
        .map_or(inner.len(), |(i, _)| i);
    let (ms, offset) = inner.split_at(digits_end);
    if !(offset.is_empty()
        || (offset.len() == 5
            && matches!(offset.as_bytes()[0], b'+' | b'-')
            && offset[1..].bytes().all(|b| b.is_ascii_digit())))
    {
        return None;
    }
    let ms: i64 = ms.parse().ok()?;
    let secs = ms.div_euclid(1000);
    let date = super::dates::from_days(secs.div_euclid(86_400))?;
    let s = secs.rem_euclid(86_400);
    Some(format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        date.year,
        date.month,
        date.day,
        s / 3600,
        s / 60 % 60,
        s % 60
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> Table {
        to_table(text).expect("a table")
    }

    #[test]
    fn an_array_of_objects_is_a_table_in_the_order_fields_are_first_seen() {
        let t = table(r#"[{"Name":"a","Enabled":true},{"Enabled":false,"Name":"b","Mail":"b@x"}]"#);
        assert_eq!(
            t.csv,
            "\"Name\",\"Enabled\",\"Mail\"\n\"a\",\"True\",\n\"b\",\"False\",\"b@x\"\n"
        );
        assert_eq!((t.shape, t.items, t.skipped), (Shape::Array, 2, 0));
    }

    #[test]
    fn nested_objects_and_lists_are_flattened() {
        let t = table(
            r#"{"@odata.context":"x","value":[{"upn":"a","empty":[],"assignedLicenses":[{"disabledPlans":[],"skuId":"s1"},{"disabledPlans":["p"],"skuId":"s2"}],"signInActivity":{"lastSignInDateTime":"2025-06-01T10:00:00Z"},"tags":["x","y"],"note":null}],"@odata.nextLink":"https://graph.microsoft.com/v1.0/users?$skiptoken=1"}"#,
        );
        assert_eq!(
            t.csv,
            "\"upn\",\"assignedLicenses.skuId\",\"assignedLicenses.disabledPlans\",\"signInActivity.lastSignInDateTime\",\"tags\",\"note\"\n\"a\",\"s1;s2\",\"p\",\"2025-06-01T10:00:00Z\",\"x;y\",\n"
        );
        assert_eq!((t.shape, t.next_link, t.count), (Shape::Value, true, None));
    }

    #[test]
    fn quotes_line_breaks_numbers_and_powershell_dates() {
        let t = table(
            r#"[{"a":"say \"hi\"\r\nthere","n":3.0,"f":1.5,"big":133600000000000000,"d":"\/Date(1717243200000)\/","o":"/Date(1717243199000+0200)/","bad":"/Date(x)/"}]"#,
        );
        assert_eq!(
            t.csv.lines().nth(1),
            Some("\"say \"\"hi\"\" there\",\"3\",\"1.5\",\"133600000000000000\",\"2024-06-01T12:00:00Z\",\"2024-06-01T11:59:59Z\",\"/Date(x)/\"")
        );
    }

    #[test]
    fn powershell_wraps_an_array_with_its_count() {
        let t = table(r#"{"value":[{"a":1},{"a":2}],"Count":2}"#);
        assert_eq!((t.shape, t.items, t.count), (Shape::Value, 2, Some(2)));
    }

    #[test]
    fn one_object_is_one_row_and_a_value_that_is_not_a_list_is_a_field() {
        let t = table(r#"{"skuPartNumber":"SPE_E3","value":{"x":1}}"#);
        assert_eq!(t.csv, "\"skuPartNumber\",\"value.x\"\n\"SPE_E3\",\"1\"\n");
        assert_eq!(t.shape, Shape::Object);
    }

    #[test]
    fn items_that_are_not_objects_are_counted_and_left_out() {
        let t = table(r#"[1,{"a":"x"},"s",[2]]"#);
        assert_eq!((t.items, t.skipped), (1, 3));
        assert_eq!(
            to_table(r#"["a","b"]"#),
            Err(Problem::NoObjects(
                "its items are values, not objects with fields"
            ))
        );
        assert_eq!(
            to_table(r#"{"value":[]}"#),
            Err(Problem::NoObjects("its list is empty"))
        );
        assert_eq!(to_table("42"), Err(Problem::NoObjects("it is one number")));
    }

    #[test]
    fn broken_json_says_where_and_a_csv_header_in_brackets_is_not_json() {
        let Err(Problem::Invalid(m)) = to_table("[{\"a\":1},\n{\"a\":") else {
            panic!("cut short")
        };
        assert!(m.contains("line 2"), "{m}");
        assert_eq!(
            to_table("[Name],[Enabled]\nx,True\n"),
            Err(Problem::NotJson)
        );
        assert_eq!(
            to_table("{5b0c0000-1f2e-4a7b-9c3d-000000000000},Ann\n"),
            Err(Problem::NotJson)
        );
        assert!(matches!(to_table("{\"a\": 1"), Err(Problem::Invalid(_))));
        assert!(matches!(to_table("{\n\"a\" 1}"), Err(Problem::Invalid(_))));
        assert!(matches!(
            to_table("[{\"a\":1}] x"),
            Err(Problem::Invalid(_))
        ));
        assert_eq!(
            to_table(r#"{"format_version":1,"name":"x","groups":[]}"#),
            Err(Problem::Estate)
        );
        assert_eq!(
            to_table(
                r#"{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation.","innerError":{"date":"2025-06-30T10:00:00"}}}"#
            ),
            Err(Problem::GraphError {
                code: "Authorization_RequestDenied".into(),
                message: "Insufficient privileges to complete the operation.".into()
            })
        );
    }

    #[test]
    fn json_lines_are_an_object_per_line() {
        let t = table("{\"user\":\"ann\",\"server\":\"FS1\"}\n\n{\"user\":\"bob\",\"server\":\"FS2\"}\r\n\"x\"\n");
        assert_eq!(
            t.csv,
            "\"user\",\"server\"\n\"ann\",\"FS1\"\n\"bob\",\"FS2\"\n"
        );
        assert_eq!((t.shape, t.items, t.skipped), (Shape::Lines, 2, 1));
        assert_eq!(
            to_table("{\"a\":1}\n{\"a\":2\n{\"a\":3}\n"),
            Err(Problem::Invalid(
                "EOF while parsing an object at line 2 column 6 (read as JSON Lines, one object per line)".into()
            ))
        );
        // A pretty-printed object with something after it is not JSON Lines: the error is the
        // line it starts on.
        let Err(Problem::Invalid(m)) = to_table("{\n  \"a\": 1\n}\nx") else {
            panic!("broken")
        };
        assert_eq!(m, "trailing characters at line 4 column 1");
    }

    #[test]
    fn a_line_break_in_a_name_stays_in_the_header_line() {
        let t = table("[{\"a\\nb\": \"x\\r\\ny\"}]");
        assert_eq!(t.csv, "\"a b\"\n\"x y\"\n");
    }

    #[test]
    fn a_field_named_twice_in_an_object_takes_its_later_value() {
        let t = table(r#"[{"a":"1","b":"2","a":"3"},{"b":"4","a":"5"}]"#);
        assert_eq!(t.csv, "\"a\",\"b\"\n\"3\",\"2\"\n\"5\",\"4\"\n");
    }

    #[test]
    fn rows_missing_later_fields_are_padded_to_the_header() {
        let t = table(r#"[{"a":"1"},{"b":"2"},{"c":"3","a":""}]"#);
        assert_eq!(t.csv, "\"a\",\"b\",\"c\"\n\"1\",,\n,\"2\",\n,,\"3\"\n");
    }
}
