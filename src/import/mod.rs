//! Import of the organisation's own exports: directory users (Active Directory, Entra ID), device
//! inventories, usage logs (User Access Logging, logon events, RD Licensing reports) and licence
//! statements. The strongest licence position comes from the organisation's own data reconciled
//! account by account (cal-rules §4.2); the import gives every account a visible reason the user
//! can override, and a funnel from raw accounts to licensable people.
//!
//! Plain Rust, no clock and no I/O: bytes go in chunk by chunk ([`Importer::push`]), so the browser
//! streams a `File` through it in a Web Worker and nothing leaves the machine. Layers:
//! [`decode`] (BOM / UTF-16 / Windows-1252 to UTF-8) → [`csvread`] (records as byte ranges) →
//! [`columns`] (kind and column mapping from the header) → the kind's reader ([`directory`],
//! [`devices`], [`usage`], [`licences`]) → [`apply`] (into the [`crate::estate::Estate`]).

pub mod apply;
pub mod columns;
pub mod csvread;
pub mod dates;
pub mod decode;
pub mod devices;
pub mod directory;
pub mod json;
pub mod licences;
pub mod rd_pool;
pub mod session;
pub mod usage;

pub use apply::{apply_to, Added, ApplyOptions, ApplySummary, ImportSet};
pub use columns::{ColumnMapping, Field, FileKind};
pub use dates::DateOrder;
pub use directory::{
    parse_dormancy_days, AccountOverride, Classification, ClassifyOptions, Directory, FunnelStep,
    Status, MAX_DORMANCY_DAYS,
};
pub use session::{
    device_split_text, mostly_dormant, mostly_dormant_text, mostly_not_seen, mostly_not_seen_text,
    near_the_line_text, plans_text,
};

use crate::named::Named;
use columns::detect_kind;
use csvread::{next_record, Next, Span};
use decode::{Decoder, TextEncoding};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// Why a file could not be imported at all (row-level problems are [`RowError`]s instead).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("The file is empty.")]
    Empty,
    /// A zipped Office file (`PK\x03\x04`, .xlsx) or an Excel 97–2003 one (OLE2, .xls).
    #[error("This is an Excel workbook, not a CSV file: open it in Excel and save it as CSV (File › Save As › CSV UTF-8), then import the CSV.")]
    Workbook,
    /// Control characters in the first line: not a text export.
    #[error("This is not a text file: the import reads CSV exports (text with commas, semicolons or tabs between the columns). Save the data as CSV and import that.")]
    NotText,
    /// `header` is the file's whole header, for the mapping editor.
    // What to do next is the caller's: the app's "Say what it holds and map its columns…" button
    // follows the message, the CLI adds its --kind and --column (review 19: the two repeated).
    #[error("The columns of this file were not recognised ({columns}).")]
    UnknownKind {
        columns: String,
        header: Vec<String>,
    },
    /// `Get-UalDeviceAccess` / `Get-UalDailyDeviceAccess`: client IP addresses per role, with no
    /// user, so nothing in it says who used which device.
    #[error("This is a User Access Logging device export: it lists client IP addresses without user names, so it cannot say who used which device. Export Get-UalDailyAccess instead, which has the user name and the IP address on each row (or Get-UalUserAccess for users alone).")]
    UalDevicesOnly,
    /// A Microsoft Entra ID sign-in log: sign-ins to cloud applications, not to the
    /// organisation's servers (import review: it was refused as a devices file without a device
    /// name, for its "Operating System" column). Its header is kept, so that the app can offer
    /// to read it as a usage log all the same (import UI review 40: only "Remove" was offered).
    #[error("This is a Microsoft Entra ID sign-in log: its sign-ins are to cloud applications (Exchange Online, SharePoint Online, …), which need no CAL, not to your own servers, so it is not read. For who reaches your servers, import their own logs (Windows Security logon events 4624, User Access Logging's Get-UalDailyAccess) or your directory's users.")]
    CloudSignIns { header: Vec<String> },
    #[error("This {kind} file has no column for {missing}. Map one of its columns to it.")]
    MissingColumn {
        kind: &'static str,
        missing: String,
        header: Vec<String>,
    },
    /// A field named for a column ([`ImportOptions::by_header`]) that files of this kind do not
    /// read.
    #[error("{kind} files have no field `{field}`; their fields are: {fields}.")]
    FieldNotOfKind {
        field: &'static str,
        kind: &'static str,
        fields: String,
    },
    /// A column named for a field ([`ImportOptions::by_header`]) that the header does not have.
    #[error("The file has no column `{name}` to read as {field}; its columns are: {columns}.")]
    NoSuchColumn {
        field: &'static str,
        name: String,
        columns: String,
        header: Vec<String>,
    },
    /// A JSON file (a Graph response, `ConvertTo-Json`) that could not be parsed.
    #[error("This JSON file could not be read: {detail}. It may be cut short: save or export it again, whole (or as CSV), and import that.")]
    Json { detail: String },
    /// Valid JSON without an object to read as a row.
    #[error("This JSON file holds no objects to read as rows: {what}. The import reads a list of objects (ConvertTo-Json), or a Microsoft Graph response with its objects in “value”.")]
    JsonNoRows { what: &'static str },
    /// An error response of Microsoft Graph saved instead of the list asked for.
    #[error("This file is an error Microsoft Graph answered with, not a list: “{message}” ({code}). Ask again with what the request needs (User.Read.All for the users; AuditLog.Read.All and Microsoft Entra ID P1 for their sign-in activity; Organization.Read.All for the subscriptions), save the list it returns and import that.")]
    GraphError { code: String, message: String },
    /// This calculator's own estate file, given to the import.
    #[error("This is an estate file of this calculator, not an export: open it as the estate (in the app, “Import estate (JSON)” under Keep and share; on the command line, the first file after “import”).")]
    EstateFile,
    #[error("Line {line}: a quoted field starts here and is never closed.")]
    Unterminated { line: u32 },
    /// A quote still open at the end of the file, over several lines.
    #[error("Lines {line}–{last_line}: a quoted field that starts on line {line} is never closed before the end of the file, so these lines cannot be read as rows: a quote is probably unclosed. Close it (or remove it) and import the file again.")]
    UnclosedQuote { line: u32, last_line: u32 },
    #[error("Line {line}: a single record is over {limit} MB; this is not a CSV export.")]
    RecordTooLarge { line: u32, limit: usize },
    /// A file whose bytes are those of a file already read in the session (dropped again by
    /// mistake, or a copy under another name): adding it would count its rows twice.
    #[error("{name} is the same file as {}, read already; it was not added again, so nothing in it counts twice.", if earlier == name { format!("the {earlier}") } else { earlier.clone() })]
    SameFile { name: String, earlier: String },
}

impl ImportError {
    /// The header of the file when the error is about its columns (so that the user can map
    /// them); empty otherwise.
    pub fn header(&self) -> &[String] {
        match self {
            ImportError::UnknownKind { header, .. }
            | ImportError::MissingColumn { header, .. }
            | ImportError::NoSuchColumn { header, .. }
            | ImportError::CloudSignIns { header } => header,
            _ => &[],
        }
    }
}

/// A row that could not be read; the other rows are imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    pub line: u32,
    pub message: String,
}

/// What a row's number counts where a message names the row: a line of a text file, or an
/// object of a JSON file's list (read as a table, [`json`], whose objects are numbered from 1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum RowUnit {
    #[default]
    Line,
    Object,
}

impl RowUnit {
    /// The unit of a file read as JSON (`true`) or as text.
    pub fn of(json: bool) -> Self {
        if json {
            RowUnit::Object
        } else {
            RowUnit::Line
        }
    }

    pub fn is_line(&self) -> bool {
        *self == RowUnit::Line
    }

    /// "line" or "object"; "lines" or "objects".
    pub fn word(self, plural: bool) -> &'static str {
        match (self, plural) {
            (RowUnit::Line, false) => "line",
            (RowUnit::Line, true) => "lines",
            (RowUnit::Object, false) => "object",
            (RowUnit::Object, true) => "objects",
        }
    }

    /// "line 4" or "object 3".
    pub fn at(self, n: u32) -> String {
        format!("{} {n}", self.word(false))
    }

    /// "Line 4" or "Object 3", to start a sentence.
    pub fn at_start(self, n: u32) -> String {
        match self {
            RowUnit::Line => format!("Line {n}"),
            RowUnit::Object => format!("Object {n}"),
        }
    }

    /// "line 4", "lines 2 and 3", "lines 2, 3 and 5" (the first ten, then how many more);
    /// "objects 1 and 2" in a JSON file.
    pub fn list(self, numbers: &[u32]) -> String {
        const SHOWN: usize = 10;
        let mut parts: Vec<String> = numbers.iter().take(SHOWN).map(u32::to_string).collect();
        if numbers.len() > SHOWN {
            parts.push(format!("{} more", numbers.len() - SHOWN));
        }
        match parts.len() {
            0 => String::new(),
            1 => format!("{} {}", self.word(false), parts[0]),
            n => format!(
                "{} {} and {}",
                self.word(true),
                parts[..n - 1].join(", "),
                parts[n - 1]
            ),
        }
    }
}

/// How to read a file; `None` means "detect".
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ImportOptions {
    #[serde(default)]
    pub kind: Option<FileKind>,
    #[serde(default)]
    pub mapping: Option<ColumnMapping>,
    #[serde(default)]
    pub delimiter: Option<u8>,
    /// Fields read from the column of this header name, on top of `mapping` (or of the mapping
    /// detected): the command line's `--column account-name=Login`. A name the header does not
    /// have is an error ([`ImportError::NoSuchColumn`]).
    #[serde(default)]
    pub by_header: Vec<(Field, String)>,
    /// This reading is the file of the same name and bytes read again, with the kind or columns
    /// the user chose (the app's "Read the file again"): it takes the place of the earlier
    /// reading. Otherwise a file whose bytes are those of a file the session holds is refused
    /// ([`ImportError::SameFile`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub again: bool,
}

/// What a file held.
#[derive(Debug, Clone)]
pub enum Data {
    Directory(Directory),
    Devices(devices::Inventory),
    Usage(usage::UsageLog),
    Licences(licences::Statement),
}

/// A file read: how it was read, what went wrong per row, and its data.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub kind: FileKind,
    pub encoding: TextEncoding,
    pub delimiter: u8,
    pub header: Vec<String>,
    pub mapping: ColumnMapping,
    /// Data rows read (good and bad).
    pub rows: u64,
    /// The first [`MAX_ERRORS_KEPT`] row errors.
    pub errors: Vec<RowError>,
    pub error_count: u64,
    /// What the user should know about the file as a whole (a column named twice, no Software
    /// Assurance column, an account listed twice).
    pub notes: Vec<String>,
    pub data: Data,
    /// The file's name, when the caller gives it (the session does).
    pub file: String,
    /// A 64-bit FNV-1a hash of the file's bytes: with [`Parsed::size`], what tells the same
    /// file read again, which must not count twice.
    pub fingerprint: u64,
    /// The file's length in bytes.
    pub size: u64,
    /// The file was JSON, read as a table ([`json`]): its rows are its objects, and a row's
    /// number ([`RowError::line`], the readers' `line`) is its object's ([`RowUnit::Object`]).
    pub json: bool,
}

/// The first data rows looked at to tell a computers export from a users export when its
/// columns do not.
const COMPUTER_ROWS_LOOKED_AT: usize = 8;
/// Lines of one cell above the header read as titles, at most.
const MAX_TITLE_LINES: usize = 10;
/// Row errors kept for display (all are counted).
pub const MAX_ERRORS_KEPT: usize = 200;
const N_FIELDS: usize = 48;
/// A record larger than this is not a CSV row.
const MAX_RECORD: usize = 64 << 20;

/// Column index per field (`Field as usize`).
type Cols = [Option<u32>; N_FIELDS];

/// One data row as seen by the kind readers.
pub(crate) struct Row<'a> {
    buf: &'a str,
    fields: &'a [Span],
    cols: &'a Cols,
    header: &'a [String],
    /// The fields whose cell held a .NET type name instead of a value, for the file's note.
    type_names: &'a TypeNames,
    /// The row's line, or its object's number in a JSON file ([`Row::unit`]).
    pub line: u32,
    pub unit: RowUnit,
}

/// Mapped fields whose cells held a .NET type name (`System.Object[]`): Windows PowerShell 5.1's
/// `Export-Csv` writes a multi-valued property (servicePrincipalName, memberOf, proxyAddresses)
/// as the name of its type, the same on every row, not as its values.
#[derive(Default)]
struct TypeNames {
    /// Bit `f` set: field `f` held one.
    fields: std::cell::Cell<u64>,
    /// The first type name seen, for the note.
    example: std::cell::RefCell<String>,
}

/// Whether a cell holds the .NET type name PowerShell writes for a value it cannot put in a cell
/// (`System.Object[]`, `System.Collections.Generic.List`1[System.String]`,
/// `Microsoft.ActiveDirectory.Management.ADPropertyValueCollection`,
/// `Microsoft.Exchange.Data.ProxyAddressCollection`): a dotted name in `System.` or `Microsoft.`
/// followed by a generic or array suffix, or of at least three parts. Cheap on other values: the
/// first byte rules out nearly all of them.
pub(crate) fn is_type_name(v: &[u8]) -> bool {
    let v = v.strip_prefix(b"Deserialized.").unwrap_or(v);
    if !(v.starts_with(b"System.") || v.starts_with(b"Microsoft.")) {
        return false;
    }
    let end = v
        .iter()
        .position(|&b| b == b'`' || b == b'[')
        .unwrap_or(v.len());
    let (name, suffix) = v.split_at(end);
    let parts = name.split(|&b| b == b'.');
    let mut n = 0;
    for p in parts {
        n += 1;
        if p.is_empty() || !p.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'_') {
            return false;
        }
    }
    !suffix.is_empty() || n >= 3
}

impl<'a> Row<'a> {
    /// The raw cell of a mapped field; a .NET type name is taken as no value (and noted).
    fn cell(&self, f: Field) -> Option<Span> {
        let c = self.cols.get(f as usize).copied().flatten()?;
        let s = *self.fields.get(c as usize)?;
        let raw = csvread::raw(self.buf.as_bytes(), s);
        let first = raw.iter().find(|&&b| b != b'"' && b != b' ');
        if matches!(first, Some(b'S' | b'M' | b'D'))
            && is_type_name(&csvread::bytes(self.buf.as_bytes(), s))
        {
            let t = self.type_names;
            t.fields.set(t.fields.get() | 1u64 << (f as u32 % 64));
            if t.example.borrow().is_empty() {
                *t.example.borrow_mut() = csvread::text_of(self.buf, s).into_owned();
            }
            return None;
        }
        Some(s)
    }

    /// The trimmed text of a mapped field, empty when unmapped or missing (or a type name).
    pub fn text(&self, f: Field) -> Cow<'a, str> {
        match self.cell(f) {
            Some(s) => csvread::text_of(self.buf, s),
            None => Cow::Borrowed(""),
        }
    }

    /// The bytes of a mapped field (trimmed, escapes undone), empty when unmapped or missing (or
    /// a type name).
    pub fn bytes(&self, f: Field) -> Cow<'a, [u8]> {
        match self.cell(f) {
            Some(s) => csvread::bytes(self.buf.as_bytes(), s),
            None => Cow::Borrowed(&[]),
        }
    }

    /// The bytes of column `c` (trimmed, escapes undone), whatever field it feeds; empty when
    /// the row has no such column.
    pub fn bytes_at(&self, c: usize) -> Cow<'a, [u8]> {
        match self.fields.get(c) {
            Some(&s) => csvread::bytes(self.buf.as_bytes(), s),
            None => Cow::Borrowed(&[]),
        }
    }

    /// The header name of the column mapped to `f`, as in the file.
    pub fn header_text(&self, f: Field) -> Option<&'a str> {
        let c = self.cols.get(f as usize).copied().flatten()?;
        self.header.get(c as usize).map(|h| h.trim())
    }

    /// The normalised header name of the column mapped to `f`.
    pub fn header_of(&self, f: Field) -> Option<String> {
        let c = self.cols.get(f as usize).copied().flatten()?;
        self.header.get(c as usize).map(|h| columns::normalise(h))
    }
}

enum Sink {
    Directory(Directory),
    Devices(devices::Inventory),
    Usage(usage::UsageLog),
    Rds(usage::UsageLog),
    Licences(licences::Statement),
}

struct Body {
    delim: u8,
    kind: FileKind,
    header: Vec<String>,
    mapping: ColumnMapping,
    cols: Cols,
    sink: Sink,
    type_names: TypeNames,
}

/// Streaming reader of one file: [`push`](Importer::push) chunks, then [`finish`](Importer::finish).
pub struct Importer {
    opts: ImportOptions,
    decoder: Decoder,
    /// Decoded text not yet read; always valid UTF-8, so fields are sliced from it unchecked.
    buf: String,
    pos: usize,
    line: u32,
    body: Option<Body>,
    fields: Vec<Span>,
    errors: Vec<RowError>,
    error_count: u64,
    rows: u64,
    bytes_in: u64,
    sep: Option<u8>,
    /// PowerShell's `#TYPE` line, in lower case (`#type microsoft.….adcomputer`): it names the
    /// objects exported, which the columns alone may not.
    type_line: Option<String>,
    /// Lines above the header read as titles (line, text).
    titles: Vec<(u32, String)>,
    /// The line of the header.
    header_line: u32,
    /// Whether lines end with a carriage return alone ([`Importer::line_ends`]); `None` until
    /// the text shows which.
    cr_lines: Option<bool>,
    notes: Vec<String>,
    /// Records read over several lines whose quoted field holds lines that look like rows: the
    /// first and last line of the first few, and how many in all.
    swallowed: Vec<(u32, u32)>,
    swallowed_count: u64,
    /// Rows with fewer fields than the header, read with their missing last fields empty, and
    /// the line of the first.
    short_rows: u64,
    first_short: u32,
    /// The line of a row that looks like the header of another export appended to this one.
    /// Shorter rows after it are not read.
    appended: Option<u32>,
    fingerprint: u64,
    /// Whether the file is JSON (its first character other than white space is `{` or `[`),
    /// once the text shows it: a JSON file is kept whole and read as a table at the end,
    /// unless it is JSON Lines.
    json: Option<bool>,
    /// JSON Lines, read a line at a time as the text comes ([`json::Lines`]), once the text
    /// shows it is: its lines leave `buf` as they are read.
    lines: Option<json::Lines>,
    /// Whether the text has shown if it is JSON Lines (then `lines` is set) or not.
    lines_known: bool,
    /// How far `buf` has been searched for the end of its first line, while it has none (a
    /// JSON file on one line is not searched again from its start at each chunk).
    lines_searched: usize,
}

pub(crate) const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
pub(crate) const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

impl Importer {
    pub fn new(opts: ImportOptions) -> Self {
        Importer {
            opts,
            decoder: Decoder::new(),
            buf: String::new(),
            pos: 0,
            line: 1,
            body: None,
            fields: Vec::new(),
            errors: Vec::new(),
            error_count: 0,
            rows: 0,
            bytes_in: 0,
            sep: None,
            type_line: None,
            cr_lines: None,
            titles: Vec::new(),
            header_line: 0,
            notes: Vec::new(),
            swallowed: Vec::new(),
            swallowed_count: 0,
            short_rows: 0,
            first_short: 0,
            appended: None,
            fingerprint: FNV_OFFSET,
            json: None,
            lines: None,
            lines_known: false,
            lines_searched: 0,
        }
    }

    /// Bytes pushed so far (for a progress bar).
    pub fn bytes_in(&self) -> u64 {
        self.bytes_in
    }

    /// Data rows read so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// The FNV-1a hash and the length of the bytes pushed so far: two files with the same are
    /// taken to be the same file (a 64-bit hash of files of one length: a chance collision is
    /// about one in 10^19).
    pub fn fingerprint(&self) -> (u64, u64) {
        (self.fingerprint, self.bytes_in)
    }

    /// Feeds the next chunk of the file.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), ImportError> {
        if self.bytes_in == 0 && self.body.is_none() {
            const ZIP: &[u8] = b"PK\x03\x04";
            const OLE2: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
            if chunk.starts_with(ZIP) || chunk.starts_with(OLE2) {
                return Err(ImportError::Workbook);
            }
        }
        self.bytes_in += chunk.len() as u64;
        for &b in chunk {
            self.fingerprint = (self.fingerprint ^ u64::from(b)).wrapping_mul(FNV_PRIME);
        }
        let from = self.buf.len();
        self.decoder.push(chunk, false, &mut self.buf);
        match self.is_json() {
            // JSON is read whole at the end, JSON Lines as its lines come; white space alone
            // does not tell yet.
            Some(true) => return self.json_lines(false),
            None => return Ok(()),
            Some(false) => {}
        }
        self.line_ends(from, false);
        self.process(false)
    }

    /// Whether the file is JSON, once its first character other than white space is known.
    fn is_json(&mut self) -> Option<bool> {
        if self.json.is_none() {
            self.json = self
                .buf
                .trim_start()
                .bytes()
                .next()
                .map(|b| b == b'{' || b == b'[');
        }
        self.json
    }

    /// Reads the lines of a JSON Lines file that have come ([`json::Lines`]), once the text
    /// shows it is one: they leave the buffer, so the file is not held whole.
    fn json_lines(&mut self, eof: bool) -> Result<(), ImportError> {
        if !self.lines_known {
            let b = self.buf.as_bytes();
            // The end of the first line other than a blank one.
            let start = b.len() - self.buf.trim_start().len();
            let from = self.lines_searched.max(start).min(b.len());
            if !eof && memchr::memchr(b'\n', &b[from..]).is_none() {
                self.lines_searched = b.len();
                return Ok(());
            }
            match json::Lines::begins(&self.buf, eof) {
                None => return Ok(()),
                Some(is) => {
                    self.lines_known = true;
                    if is {
                        self.lines = Some(json::Lines::default());
                    }
                }
            }
        }
        if let Some(lines) = self.lines.as_mut() {
            let read = lines.push(&self.buf, eof).map_err(json_problem)?;
            self.buf.drain(..read);
        }
        Ok(())
    }

    /// A JSON file's text replaced by its table as CSV ([`json::to_table`]), with a note on how
    /// it was read; `Ok(None)` when it was not JSON after all (read as CSV).
    fn json_to_csv(&mut self) -> Result<Option<Vec<String>>, ImportError> {
        let objects = match self.lines.take() {
            Some(lines) => lines.finish(),
            None => match json::read(&self.buf) {
                Ok(o) => o,
                Err(json::Problem::NotJson) => {
                    self.json = Some(false);
                    return Ok(None);
                }
                Err(p) => return Err(json_problem(p)),
            },
        };
        // The text is read: it goes before the table is written, so that a large file's text
        // and table are not held together.
        self.buf = String::new();
        let table = objects.table();
        self.buf = table.csv;
        // The header is line 0, so each row's number is its object's.
        self.line = 0;
        self.cr_lines = Some(false);
        self.opts.delimiter = Some(b',');
        let one = table.items == 1;
        let items = if one {
            "one object".to_string()
        } else {
            format!("{} objects", crate::position::thousands(table.items))
        };
        let list = match table.shape {
            json::Shape::Value => " of its “value” list",
            json::Shape::Array => " of its list",
            json::Shape::Object => "",
            json::Shape::Lines => " of its lines (JSON Lines)",
        };
        let mut note = if one {
            format!("Read as JSON: the {items}{list} is the row, its fields the columns")
        } else {
            format!("Read as JSON: the {items}{list} are the rows, their fields the columns")
        };
        match &table.nested {
            Some(path) => note.push_str(&format!(
                " (a field inside another named by its path, as “{}”; a list's values joined by “;”)",
                cut(path, MAX_COLUMN_SHOWN)
            )),
            None => note.push_str(" (a list's values joined by “;”)"),
        }
        note.push_str("; below, a row is named by its object's number, the first being object 1.");
        if table.skipped > 0 {
            let one = table.skipped == 1;
            note.push_str(&format!(
                " {} of the list {} not {}, and left out.",
                crate::position::thousands(table.skipped),
                if one { "item is" } else { "items are" },
                if one { "an object" } else { "objects" },
            ));
        }
        let mut notes = vec![note];
        if table.next_link {
            notes.push(format!("This is one page of a longer list: the response names a next page (“@odata.nextLink”), so the file holds only the first {items}. Microsoft Graph returns a list a page at a time (Graph Explorer shows one): fetch every page (Get-MgUser -All, Get-MgSubscribedSku -All, or follow each @odata.nextLink) and import the whole list, or what is counted falls short."));
        } else if let Some(count) = table.count.filter(|&c| c > table.items) {
            notes.push(format!(
                "The file says its list has {} objects (its count), but holds {items}: import the whole list, or what is counted falls short.",
                crate::position::thousands(count)
            ));
        }
        Ok(Some(notes))
    }

    /// Ends the file and returns what it held.
    pub fn finish(mut self) -> Result<Parsed, ImportError> {
        let from = self.buf.len();
        self.decoder.push(&[], true, &mut self.buf);
        let json_notes = if self.is_json() == Some(true) {
            self.json_lines(true)?;
            self.json_to_csv()?
        } else {
            None
        };
        let json = json_notes.is_some();
        let unit = RowUnit::of(json);
        self.line_ends(from, true);
        self.process(true)?;
        let encoding = self.decoder.encoding().unwrap_or(TextEncoding::Utf8);
        let Some(mut body) = self.body else {
            // Lines taken for titles and no header below them: the first is the header.
            return Err(match self.titles.into_iter().next() {
                Some((_, title)) => ImportError::UnknownKind {
                    columns: column_list(std::slice::from_ref(&title)),
                    header: vec![title],
                },
                None => ImportError::Empty,
            });
        };
        let mut notes = self.notes;
        if let (Some((first, title)), Some((last, _))) = (self.titles.first(), self.titles.last()) {
            let lines = if first == last {
                format!("Line {first}")
            } else {
                format!("Lines {first}–{last}")
            };
            notes.insert(
                0,
                format!(
                    "{lines} above the header (“{}”{}) {} and skipped: the columns are those of line {}.",
                    cut(title, MAX_COLUMN_SHOWN),
                    if self.titles.len() > 1 { ", …" } else { "" },
                    if first == last {
                        "was read as a title"
                    } else {
                        "were read as titles"
                    },
                    self.header_line
                ),
            );
        }
        if let Some(json_notes) = json_notes {
            notes.splice(0..0, json_notes);
        }
        let mut errors = self.errors;
        let mut error_count = self.error_count;
        if let Sink::Licences(s) = &mut body.sink {
            // Returns are placed once every lot of the file is known.
            let (refused, taken) = s.net_returns();
            for (line, message) in refused {
                error_count += 1;
                if errors.len() < MAX_ERRORS_KEPT {
                    errors.push(RowError { line, message });
                }
            }
            crate::sort::sort_by_key(&mut errors, |e| e.line);
            notes.extend(taken);
        }
        if let Some(note) = swallowed_note(&self.swallowed, self.swallowed_count) {
            notes.push(note);
        }
        if self.short_rows > 0 {
            let one = self.short_rows == 1;
            notes.push(format!(
                "{} fewer fields than the header, {} line {}: {} missing last fields were read as empty (some tools leave out empty fields at the end of a row). Check {} if a value seems to be in the wrong column.",
                counted(self.short_rows as usize, "row", "rows", "had", "had"),
                if one { "on" } else { "the first on" },
                self.first_short,
                if one { "its" } else { "their" },
                if one { "that line" } else { "those lines" },
            ));
        }
        if encoding.is_guessed_utf16() {
            let name = if encoding == TextEncoding::Utf16Be {
                "UTF-16 BE"
            } else {
                "UTF-16 LE"
            };
            notes.insert(0, format!("The file has no byte order mark (BOM): it was read as {name} because one byte of nearly every pair is zero. If names look wrong, save it as UTF-8 and import that."));
        }
        notes.extend(type_name_note(&body));
        let chosen = |f: Field| {
            self.opts.mapping.is_some() || self.opts.by_header.iter().any(|(g, _)| *g == f)
        };
        if let (Sink::Devices(d), false) = (&mut body.sink, chosen(Field::PrimaryUser)) {
            let column = body
                .mapping
                .get(Field::PrimaryUser)
                .and_then(|c| body.header.get(c))
                .map_or("", |h| h.trim());
            if let Some(note) = d.settle_primary_user(column) {
                notes.push(note);
                body.mapping
                    .columns
                    .retain(|&(f, _)| f != Field::PrimaryUser);
            }
        }
        if let Sink::Directory(d) = &mut body.sink {
            d.unit = unit;
            let (note, column) = d.settle_logon_column();
            notes.extend(note);
            if let Some(c) = column {
                for (f, col) in &mut body.mapping.columns {
                    if *f == Field::LastLogon {
                        *col = c;
                    }
                }
            }
        }
        match &body.sink {
            Sink::Directory(d) => notes.extend(d.notes(unit)),
            Sink::Devices(d) => notes.extend(d.notes(unit)),
            Sink::Usage(u) => notes.extend(u.notes()),
            Sink::Licences(s) => notes.extend(s.notes(unit)),
            _ => {}
        }
        let data = match body.sink {
            Sink::Directory(d) => Data::Directory(d),
            Sink::Devices(d) => Data::Devices(d),
            Sink::Usage(u) | Sink::Rds(u) => Data::Usage(u),
            Sink::Licences(s) => Data::Licences(s),
        };
        Ok(Parsed {
            kind: body.kind,
            encoding,
            delimiter: body.delim,
            header: body.header,
            mapping: body.mapping,
            rows: self.rows,
            errors,
            error_count,
            notes,
            data,
            file: String::new(),
            fingerprint: self.fingerprint,
            size: self.bytes_in,
            json,
        })
    }

    /// Excel for Mac's "CSV (Macintosh)" ends each line with a carriage return alone: once the
    /// text shows that (a CR followed by more text, and no line feed anywhere), each CR of the
    /// text decoded from `from` on (from the start, when it is decided) is read as a line end.
    /// Such a file was read as a header of one line and no rows (import review).
    fn line_ends(&mut self, from: usize, eof: bool) {
        let from = match self.cr_lines {
            Some(false) => return,
            Some(true) => from,
            None => {
                let b = self.buf.as_bytes();
                if memchr::memchr(b'\n', b).is_some() {
                    self.cr_lines = Some(false);
                    return;
                }
                match memchr::memchr(b'\r', b) {
                    Some(i) if i + 1 < b.len() || eof => {
                        self.cr_lines = Some(true);
                        0
                    }
                    _ => return,
                }
            }
        };
        if self
            .buf
            .as_bytes()
            .get(from..)
            .is_some_and(|t| t.contains(&b'\r'))
        {
            let tail = self.buf.split_off(from);
            self.buf.push_str(&tail.replace('\r', "\n"));
        }
    }

    fn process(&mut self, eof: bool) -> Result<(), ImportError> {
        while self.body.is_none() {
            if !self.header(eof)? {
                break;
            }
        }
        while let Some(body) = self.body.as_mut() {
            match next_record(
                self.buf.as_bytes(),
                self.pos,
                body.delim,
                eof,
                &mut self.fields,
            ) {
                Next::Record { end, lines } => {
                    let line = self.line;
                    let start = self.pos;
                    self.pos = end;
                    self.line = self.line.saturating_add(lines);
                    let blank =
                        self.fields.len() == 1 && self.fields[0].start == self.fields[0].end;
                    if blank {
                        continue;
                    }
                    self.rows += 1;
                    let width = body.header.len();
                    let n = self.fields.len();
                    let fits = n <= width
                        || (n == width + 1 && self.fields.last().is_some_and(|s| s.start == s.end));
                    // A row with fewer fields is read with its missing last fields empty (tools
                    // leave out empty fields at the end of a row), unless it shows it is broken.
                    let broken = if n < width {
                        let cut = eof && end == self.buf.len() && !self.buf.ends_with('\n');
                        broken_short_row(
                            &self.buf,
                            start..end,
                            &self.fields,
                            body.delim,
                            (width, line, lines, cut),
                            &mut self.appended,
                        )
                    } else {
                        None
                    };
                    let result = if let Some(why) = broken {
                        Err(why)
                    } else if !fits {
                        Err(field_count_message(n, width, line, lines))
                    } else {
                        if n < width {
                            if self.short_rows == 0 {
                                self.first_short = line;
                            }
                            self.short_rows += 1;
                        }
                        // Only records over several lines are looked into (out of line), so
                        // rows on one line cost nothing more.
                        if lines > 1
                            && swallows_rows(self.buf.as_bytes(), &self.fields, body.delim, width)
                        {
                            self.swallowed_count += 1;
                            if self.swallowed.len() < MAX_SPANS_NAMED {
                                self.swallowed.push((line, line.saturating_add(lines - 1)));
                            }
                        }
                        let row = Row {
                            buf: &self.buf,
                            fields: &self.fields,
                            cols: &body.cols,
                            header: &body.header,
                            type_names: &body.type_names,
                            line,
                            unit: RowUnit::of(self.json == Some(true)),
                        };
                        match &mut body.sink {
                            Sink::Directory(d) => d.row(&row),
                            Sink::Devices(d) => d.row(&row),
                            Sink::Usage(u) => u.row(&row),
                            Sink::Rds(u) => u.rds_row(&row),
                            Sink::Licences(s) => s.row(&row),
                        }
                    };
                    if let Err(message) = result {
                        self.error_count += 1;
                        if self.errors.len() < MAX_ERRORS_KEPT {
                            self.errors.push(RowError { line, message });
                        }
                    }
                }
                Next::Incomplete | Next::End => break,
                Next::Unterminated => return Err(self.unterminated()),
            }
        }
        if !eof && self.buf.len() - self.pos > MAX_RECORD {
            return Err(ImportError::RecordTooLarge {
                line: self.line,
                limit: MAX_RECORD >> 20,
            });
        }
        // Keep only the unfinished record (which starts after a newline, on a character boundary).
        if self.buf.is_char_boundary(self.pos) {
            self.buf.drain(..self.pos);
        } else {
            self.buf.clear();
        }
        self.pos = 0;
        Ok(())
    }

    /// Reads preamble lines and the header. `Ok(true)` when progress was made.
    fn header(&mut self, eof: bool) -> Result<bool, ImportError> {
        let rest = self.buf.as_bytes().get(self.pos..).unwrap_or_default();
        let nl = memchr::memchr(b'\n', rest);
        let line = match nl {
            Some(i) => &rest[..i],
            None if eof => rest,
            None => return Ok(false),
        };
        if rest.is_empty() {
            return Ok(false);
        }
        let text = String::from_utf8_lossy(line);
        // Text exports have no control characters besides tab and CR in a line; binary data
        // decoded as Windows-1252 would otherwise be shown to the user as column names.
        if text
            .chars()
            .any(|c| c.is_control() && c != '\t' && c != '\r')
        {
            return Err(ImportError::NotText);
        }
        let t = text.trim();
        let lower = t.to_ascii_lowercase();
        if t.is_empty()
            || lower.starts_with("#type")
            || lower.starts_with("#typ ")
            || (t.starts_with('#') && !t.contains(','))
        {
            if lower.starts_with("#typ") {
                self.type_line = Some(lower);
            }
            self.skip_line(nl);
            return Ok(true);
        }
        if let Some(s) = lower.strip_prefix("sep=") {
            self.sep = s.bytes().next();
            self.skip_line(nl);
            return Ok(true);
        }
        let delim = self
            .opts
            .delimiter
            .or(self.sep)
            .unwrap_or_else(|| csvread::sniff_delimiter(line));
        let (end, lines) =
            match next_record(self.buf.as_bytes(), self.pos, delim, eof, &mut self.fields) {
                Next::Record { end, lines } => (end, lines),
                Next::Incomplete | Next::End => return Ok(false),
                Next::Unterminated => return Err(self.unterminated()),
            };
        let header: Vec<String> = self
            .fields
            .iter()
            .map(|&s| csvread::text_of(&self.buf, s).into_owned())
            .collect();
        if self.opts.kind.is_none() && columns::is_cloud_sign_in_log(&header) {
            return Err(ImportError::CloudSignIns { header });
        }
        let mut detected = self.opts.kind.or_else(|| detect_kind(&header));
        if self.opts.kind.is_none() && detected == Some(FileKind::AdUsers) {
            // Get-ADComputer's columns are much like Get-ADUser's (SamAccountName, Enabled,
            // DistinguishedName, an empty UserPrincipalName): its computers must not be read as
            // user accounts (import review: they became service accounts and, as the last
            // directory export read, replaced the users).
            let sign = match columns::computer_export_sign(&header, self.type_line.as_deref()) {
                Some(sign) => Some(sign),
                None => match self.computer_rows(end, delim, eof, &header) {
                    Some(sign) => sign,
                    None => return Ok(false),
                },
            };
            if let Some(sign) = sign {
                detected = Some(FileKind::Devices);
                self.notes.push(format!(
                    "Read as a computers export (devices), not user accounts: {sign}. If it holds user accounts, say so with its kind (Active Directory users)."
                ));
            }
        }
        self.pos = end;
        let line = self.line;
        self.line += lines;
        let kind = match detected {
            Some(k) => k,
            None if columns::is_ual_device_access(&header) => {
                return Err(ImportError::UalDevicesOnly);
            }
            // A line of one cell whose kind is not known is a title above the header (a
            // Volume Licensing report's "License Summary", "Report generated: …"): the header
            // is looked for below it (import review: the file was refused as its columns).
            None if header.iter().filter(|h| !h.trim().is_empty()).count() <= 1
                && self.titles.len() < MAX_TITLE_LINES =>
            {
                self.titles.push((line, header.concat().trim().to_string()));
                return Ok(true);
            }
            None => {
                return Err(ImportError::UnknownKind {
                    columns: column_list(&header),
                    header,
                });
            }
        };
        self.header_line = line;
        let mut mapping = match &self.opts.mapping {
            Some(m) => m.clone(),
            None => ColumnMapping::detect(kind, &header),
        };
        for (f, name) in &self.opts.by_header {
            let fields = Field::for_kind(kind);
            if !fields.contains(f) {
                let names: Vec<&str> = fields.iter().map(|g| g.name()).collect();
                return Err(ImportError::FieldNotOfKind {
                    field: f.name(),
                    kind: kind.label(),
                    fields: names.join(", "),
                });
            }
            let Some(c) = find_column(&header, name) else {
                return Err(ImportError::NoSuchColumn {
                    field: f.label(),
                    name: name.clone(),
                    columns: column_list(&header),
                    header,
                });
            };
            // A column feeds one field: the one named here takes it from any other.
            mapping.columns.retain(|&(g, d)| g != *f && d != c);
            mapping.columns.push((*f, c));
        }
        let mut cols: Cols = [None; N_FIELDS];
        for &(f, c) in &mapping.columns {
            if let Some(slot) = cols.get_mut(f as usize) {
                *slot = Some(c as u32);
            }
        }
        let need: &[&[Field]] = match kind {
            FileKind::AdUsers | FileKind::EntraUsers => {
                &[&[Field::AccountName, Field::Upn, Field::DisplayName]]
            }
            FileKind::Devices => &[&[Field::DeviceName]],
            FileKind::Usage => &[&[Field::User], &[Field::Server]],
            FileKind::RdsLicensing => &[&[Field::IssuedTo]],
            FileKind::LicenceStatement => &[&[Field::Product], &[Field::Quantity]],
        };
        for any in need {
            if !any.iter().any(|&f| cols[f as usize].is_some()) {
                let names: Vec<&str> = any.iter().map(|f| f.label()).collect();
                return Err(ImportError::MissingColumn {
                    kind: kind.label(),
                    missing: names.join(" or "),
                    header,
                });
            }
        }
        let has = |f: Field| cols[f as usize].is_some();
        self.notes.extend(duplicate_columns(&header, &mapping));
        let sink = match kind {
            FileKind::AdUsers | FileKind::EntraUsers => {
                let mut d = Directory::new(kind == FileKind::AdUsers);
                d.has_last_logon = has(Field::LastLogon);
                let logon = cols[Field::LastLogon as usize].map(|c| c as usize);
                d.logon_column = logon
                    .and_then(|c| header.get(c))
                    .map_or_else(String::new, |h| h.trim().to_string());
                d.per_dc_logon =
                    kind == FileKind::AdUsers && d.logon_column.eq_ignore_ascii_case("lastlogon");
                // The other last-logon columns, in case the one mapped is empty on every row
                // (only when the mapping was detected: a column the user chose is read).
                let chosen = self.opts.mapping.is_some()
                    || self
                        .opts
                        .by_header
                        .iter()
                        .any(|(f, _)| *f == Field::LastLogon);
                if let (Some(c), false) = (logon, chosen) {
                    d.spare_logons =
                        columns::other_candidates(kind, Field::LastLogon, &header, &mapping, c)
                            .into_iter()
                            .map(|col| {
                                let name = header.get(col).map_or("", |h| h.trim());
                                directory::SpareLogon::new(col, name)
                            })
                            .collect();
                }
                d.has_enabled = has(Field::Enabled) || has(Field::UserAccountControl);
                let named: Vec<String> = [Field::Enabled, Field::UserAccountControl]
                    .into_iter()
                    .filter_map(|f| cols[f as usize].and_then(|c| header.get(c as usize)))
                    .map(|h| format!("“{}”", h.trim()))
                    .collect();
                d.enabled_columns = named.join(" and ");
                d.enabled_inverted = cols[Field::Enabled as usize]
                    .and_then(|c| header.get(c as usize))
                    .is_some_and(|h| columns::normalise(h).contains("block"));
                d.licences_column = cols[Field::Licences as usize]
                    .and_then(|c| header.get(c as usize))
                    .map_or_else(String::new, |h| h.trim().to_string());
                Sink::Directory(d)
            }
            FileKind::Devices => Sink::Devices(devices::Inventory {
                has_last_seen: has(Field::LastLogon),
                has_primary_user: has(Field::PrimaryUser),
                ..Default::default()
            }),
            FileKind::Usage => Sink::Usage(usage::UsageLog::default()),
            FileKind::RdsLicensing => Sink::Rds(usage::UsageLog::default()),
            FileKind::LicenceStatement => {
                let has_sa_column = has(Field::SoftwareAssurance) || has(Field::SaEnd);
                let subscriptions = subscriptions(&header, &cols);
                // A subscription has no Software Assurance to look for.
                if !has_sa_column && subscriptions.is_none() {
                    self.notes.push("No Software Assurance column (such as \"Software Assurance\" or \"SA End Date\") was found: the licences are imported without SA unless the product text says L/SA, and a holding already in the estate keeps the SA it has (entered by hand). Map the column, or add SA to the holdings by hand.".into());
                }
                Sink::Licences(licences::Statement {
                    has_sa_column,
                    subscriptions,
                    ..Default::default()
                })
            }
        };
        self.body = Some(Body {
            delim,
            kind,
            header,
            mapping,
            cols,
            sink,
            type_names: TypeNames::default(),
        });
        Ok(true)
    }

    /// Whether the first data rows after the header (which ends at `from`) are computer
    /// accounts: each has the object class `computer` or a sAMAccountName ending in `$` (up to
    /// [`COMPUTER_ROWS_LOOKED_AT`] rows, all of them). `Some(Some(sign))` says what shows it,
    /// `Some(None)` that they are not (or there is no such column), `None` that no row is
    /// complete yet.
    fn computer_rows(
        &mut self,
        from: usize,
        delim: u8,
        eof: bool,
        header: &[String],
    ) -> Option<Option<String>> {
        let col = |name: &str| header.iter().position(|h| columns::normalise(h) == name);
        let (class, sam) = (col("objectclass"), col("samaccountname"));
        if class.is_none() && sam.is_none() {
            return Some(None);
        }
        let buf = self.buf.as_bytes();
        let mut pos = from;
        let (mut rows, mut by_class, mut by_name) = (0usize, 0usize, 0usize);
        while rows < COMPUTER_ROWS_LOOKED_AT {
            let end = match next_record(buf, pos, delim, eof, &mut self.fields) {
                Next::Record { end, .. } => end,
                Next::Incomplete if rows == 0 && !eof => return None,
                _ => break,
            };
            pos = end;
            if self.fields.len() == 1 && self.fields[0].start == self.fields[0].end {
                continue;
            }
            rows += 1;
            let cell = |c: Option<usize>| {
                c.and_then(|c| self.fields.get(c))
                    .map(|&s| csvread::text_of(&self.buf, s).into_owned())
                    .unwrap_or_default()
            };
            if cell(class).eq_ignore_ascii_case("computer") {
                by_class += 1;
            } else if cell(sam).ends_with('$') {
                by_name += 1;
            } else {
                return Some(None);
            }
        }
        Some(match (rows, by_class, by_name) {
            (0, _, _) => None,
            (_, c, 0) if c > 0 => Some("its rows have the object class “computer”".to_string()),
            (_, 0, _) => {
                Some("its sAMAccountNames end in “$”, as computer accounts’ do".to_string())
            }
            _ => Some(
                "its rows have the object class “computer” or sAMAccountNames ending in “$”"
                    .to_string(),
            ),
        })
    }

    /// The error for a quote still open at the end of the file, naming every line it took.
    fn unterminated(&self) -> ImportError {
        let rest = self.buf.as_bytes().get(self.pos..).unwrap_or_default();
        let breaks = memchr::memchr_iter(b'\n', rest).count();
        let breaks = breaks.saturating_sub(usize::from(rest.ends_with(b"\n")));
        let last_line = self
            .line
            .saturating_add(u32::try_from(breaks).unwrap_or(u32::MAX));
        if last_line > self.line {
            ImportError::UnclosedQuote {
                line: self.line,
                last_line,
            }
        } else {
            ImportError::Unterminated { line: self.line }
        }
    }

    fn skip_line(&mut self, nl: Option<usize>) {
        self.pos = match nl {
            Some(i) => self.pos + i + 1,
            None => self.buf.len(),
        };
        self.line += 1;
    }
}

/// A tenant's list of subscriptions ([`columns::is_subscriptions`], or a product column of SKU
/// part numbers however the kind was chosen): the seats' column and the units beside them.
fn subscriptions(header: &[String], cols: &[Option<u32>]) -> Option<licences::Subscriptions> {
    let named = |f: Field| {
        let c = cols.get(f as usize).copied().flatten()?;
        header.get(c as usize).map(|h| h.trim().to_string())
    };
    let product = named(Field::Product).map(|h| columns::normalise(&h));
    let part_numbers = matches!(product.as_deref(), Some("skupartnumber" | "accountskuid"));
    if !part_numbers && !columns::is_subscriptions(header) {
        return None;
    }
    let column = |names: &[&str]| {
        names.iter().find_map(|n| {
            let c = header.iter().position(|h| columns::normalise(h) == *n)?;
            (!cols.contains(&Some(c as u32))).then(|| (c, header[c].trim().to_string()))
        })
    };
    Some(licences::Subscriptions {
        seats_column: named(Field::Quantity).unwrap_or_default(),
        assigned: column(columns::SUBSCRIPTION_ASSIGNED),
        grace: column(columns::SUBSCRIPTION_GRACE),
    })
}

/// The note naming the columns that held .NET type names instead of values ([`TypeNames`]).
fn type_name_note(body: &Body) -> Option<String> {
    let set = body.type_names.fields.get();
    if set == 0 {
        return None;
    }
    let mut named: Vec<String> = Vec::new();
    for &(f, c) in &body.mapping.columns {
        if set & 1u64 << (f as u32 % 64) != 0 {
            if let Some(h) = body.header.get(c) {
                let h = format!("`{}`", h.trim());
                if !named.contains(&h) {
                    named.push(h);
                }
            }
        }
    }
    let col = named.first()?.trim_matches('`').to_string();
    // `Get-MgSubscribedSku | Export-Csv`: one object, whose figures a script takes out itself.
    if named.len() == 1 && columns::normalise(&col) == "prepaidunits" {
        return Some(format!(
            "The column {col} holds the PowerShell type name “{}”, not the seat counts (Export-Csv writes an object so): the seats are read as empty. To read them, export the units enabled as a column of their own, such as Get-MgSubscribedSku | Select-Object SkuPartNumber, ConsumedUnits, @{{n='Enabled';e={{$_.{col}.Enabled}}}}, @{{n='Warning';e={{$_.{col}.Warning}}}} | Export-Csv.",
            body.type_names.example.borrow(),
        ));
    }
    let (list, holds) = match named.split_last() {
        Some((last, rest)) if !rest.is_empty() => (
            format!("The columns {} and {last}", rest.join(", ")),
            "hold",
        ),
        _ => (format!("The column {}", named.join("")), "holds"),
    };
    Some(format!(
        "{list} {holds} the PowerShell type name “{}”, not the values (Windows PowerShell 5.1 writes a multi-valued property so): {} read as empty. To use {}, export with a Select-Object expression that joins the values, such as @{{n='{col}';e={{$_.{col} -join ';'}}}}.",
        body.type_names.example.borrow(),
        if named.len() > 1 { "they are" } else { "it is" },
        if named.len() > 1 { "them" } else { "it" },
    ))
}

/// Records over several lines named in the file's note.
const MAX_SPANS_NAMED: usize = 5;

/// Whether a quoted field of a record holds, after one of its line breaks, a line that looks like
/// a row of its own (at least half the delimiters a row has): the sign of a quote left open that
/// a later quote closed. A genuine multi-line field (a description, an address) has few.
#[cold]
#[inline(never)]
fn swallows_rows(buf: &[u8], fields: &[Span], delim: u8, width: usize) -> bool {
    let need = width.saturating_sub(1).div_ceil(2).max(1);
    fields.iter().any(|&s| {
        csvread::raw(buf, s)
            .split(|&b| b == b'\n')
            .skip(1)
            .any(|l| l.iter().filter(|&&b| b == delim).count() >= need)
    })
}

/// "1 account has" or "3 accounts have": a count with its noun and verb in agreement, grouped
/// by thousands (review 18: the import's notes said "1 account(s) have").
pub(crate) fn counted(n: usize, one: &str, many: &str, verb_one: &str, verb_many: &str) -> String {
    if n == 1 {
        format!("1 {one} {verb_one}")
    } else {
        format!(
            "{} {many} {verb_many}",
            crate::position::thousands(n as u64)
        )
    }
}

/// Why a record with fewer fields than the header is not read, when it shows it is broken rather
/// than written without its empty last fields: an unclosed quote ran it over lines that look like
/// rows; split at another delimiter it has the header's fields; the end of the file cuts it (`cut`:
/// the file ends in it without a line break, as a truncated export does); or it looks like the
/// header of another export appended to this one, or follows such a line (`appended`, set here),
/// whose rows would be read into this header's columns. `None`: it is read.
#[cold]
#[inline(never)]
fn broken_short_row(
    buf: &str,
    record: std::ops::Range<usize>,
    fields: &[Span],
    delim: u8,
    (width, line, lines, cut): (usize, u32, u32, bool),
    appended: &mut Option<u32>,
) -> Option<String> {
    let n = fields.len();
    let has = format!(
        "{n} field{} where the header has {width}",
        if n == 1 { "" } else { "s" }
    );
    let bytes = buf.as_bytes().get(record).unwrap_or_default();
    if lines > 1 && swallows_rows(buf.as_bytes(), fields, delim, width) {
        return Some(field_count_message(n, width, line, lines));
    }
    let counts = csvread::delimiter_counts(bytes);
    let other = csvread::DELIMITERS
        .iter()
        .zip(counts)
        .filter(|&(&d, k)| d != delim && k + 1 >= width)
        .max_by_key(|&(_, k)| k);
    if let Some((&d, k)) = other {
        let name = match d {
            b'\t' => "tabs".to_string(),
            d => format!("“{}”", char::from(d)),
        };
        return Some(format!(
            "{has}, but {} split at {name}: it looks written with another delimiter, so it is not read; check the delimiter",
            k + 1
        ));
    }
    if cut {
        return Some(format!(
            "{has}, and the file ends in this row, with no line break after it: the file looks cut short, so this row is not read. Export the file again"
        ));
    }
    // A quoted field closed before its end (`"V1,"WinSvrCAL…`) merged what were meant to be two
    // fields: a broken quote, not empty fields left out at the end (e2e review 40: such a row was
    // read with its values one column off).
    if stray_closing_quote(bytes, delim) {
        return Some(format!(
            "{has}, and a quoted field in it ends before its delimiter (text follows its closing quote): a quote looks misplaced, so this row is not read. Check the quotes on this line"
        ));
    }
    if let Some(at) = appended {
        return Some(format!(
            "{has}, after line {at}, which looks like the header of another export appended to this one: not read, as its values would fall into this header's columns. Import each export as a file of its own"
        ));
    }
    let texts: Vec<String> = fields
        .iter()
        .map(|&s| csvread::text_of(buf, s).into_owned())
        .collect();
    if columns::detect_kind(&texts).is_some() {
        let text = column_list(&texts);
        let why = format!(
            "“{text}” looks like the header of another export appended to this one: neither it nor the shorter rows after it are read, as their values would fall into this header's columns. Import each export as a file of its own"
        );
        *appended = Some(line);
        return Some(why);
    }
    None
}

/// Whether a quoted field of `record` is followed by anything but a delimiter, a line break or the
/// end (a doubled quote inside quotes is a quote, not the end).
fn stray_closing_quote(record: &[u8], delim: u8) -> bool {
    let mut quoted = false;
    let mut field_start = true;
    let mut i = 0;
    while let Some(&c) = record.get(i) {
        if quoted {
            if c == b'"' {
                if record.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    quoted = false;
                    match record.get(i + 1) {
                        None | Some(b'\r' | b'\n') => {}
                        Some(&d) if d == delim => {}
                        Some(_) => return true,
                    }
                }
            }
        } else if c == b'"' && field_start {
            quoted = true;
        }
        field_start = !quoted && c == delim;
        i += 1;
    }
    false
}

/// Why a record with `n` fields where the header has `width` is not read; a record over several
/// lines is named with all of them, as a quote left open is the likely cause.
#[cold]
#[inline(never)]
fn field_count_message(n: usize, width: usize, line: u32, lines: u32) -> String {
    if lines > 1 {
        let last = line.saturating_add(lines - 1);
        let fields = if n == 1 { "field" } else { "fields" };
        format!("lines {line}–{last} were read as one record of {n} {fields} where the header has {width}: a quoted field runs over their line breaks, so a quote is probably unclosed, and none of these lines is imported. Check the quotes on these lines and import the file again")
    } else {
        format!(
            "{n} field{} where the header has {width}; check the delimiter or an unclosed quote",
            if n == 1 { "" } else { "s" }
        )
    }
}

/// The note on records that took in lines looking like rows ([`swallows_rows`]).
fn swallowed_note(spans: &[(u32, u32)], count: u64) -> Option<String> {
    let first = spans.first()?;
    let mut named: Vec<String> = spans.iter().map(|(a, b)| format!("{a}–{b}")).collect();
    if count > spans.len() as u64 {
        named.push(format!("{} more", count - spans.len() as u64));
    }
    let list = match named.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => named.join(""),
    };
    let each = if count > 1 { " each" } else { "" };
    Some(format!(
        "A quote is probably unclosed: lines {list} were{each} read as one record, as a quoted field that starts on line {} runs over line breaks and holds lines that look like rows of their own; those lines are not read as rows. Check the quotes and import the file again.",
        first.0
    ))
}

/// The most characters of one column name a message shows.
const MAX_COLUMN_SHOWN: usize = 40;
/// The most characters of a list of column names a message shows.
const MAX_COLUMNS_SHOWN: usize = 200;

/// `text` cut to `max` characters, the last of them "…" where it was cut.
/// Why a JSON file gave no table, as the import's error ([`json::Problem::NotJson`] aside: such
/// a file is read as CSV).
fn json_problem(p: json::Problem) -> ImportError {
    match p {
        json::Problem::Invalid(detail) => ImportError::Json { detail },
        json::Problem::NoObjects(what) => ImportError::JsonNoRows { what },
        json::Problem::Estate => ImportError::EstateFile,
        json::Problem::GraphError { code, message } => ImportError::GraphError {
            code: cut(&code, 80),
            message: cut(&message, 300),
        },
        json::Problem::NotJson => ImportError::Json {
            detail: "it is not JSON".into(),
        },
    }
}

fn cut(text: &str, max: usize) -> String {
    match text.char_indices().nth(max.saturating_sub(1)) {
        Some((end, _)) if text[end..].chars().nth(1).is_some() => format!("{}…", &text[..end]),
        _ => text.to_string(),
    }
}

/// Whether digit groups (a figure split at its grouping separators) group thousands: 1 to 3
/// digits and then threes ("12,345,678"), or, with `indian`, also 1 to 2 digits, then twos, then
/// a last three ("1,00,000", as hi-IN and en-IN write it). A leading zero groups nothing ("0,500"
/// starts decimals). Shared by the licence statement's quantities (always `indian`) and the
/// figures typed in the app (`indian` where the locale writes it: elsewhere "12,34,567" is no
/// figure anybody means).
pub fn digits_grouped(groups: &[&str], indian: bool) -> bool {
    let Some((first, rest)) = groups.split_first() else {
        return false;
    };
    if first.starts_with('0') {
        return false;
    }
    let western = (1..=3).contains(&first.len()) && rest.iter().all(|g| g.len() == 3);
    let indian = indian
        && rest.len() >= 2
        && (1..=2).contains(&first.len())
        && rest
            .split_last()
            .is_some_and(|(last, twos)| last.len() == 3 && twos.iter().all(|g| g.len() == 2));
    western || indian
}

/// The text the column editor shows for column `index` (0-based) named `name`: the name, or, when
/// it is longer than a message would show, its start and the column's number so that two long
/// names with the same start can be told apart (a 3 MB first line was one option of 3 MB).
pub fn column_choice(index: usize, name: &str) -> String {
    let shown = cut(name, MAX_COLUMN_SHOWN);
    // Compared whole: a cut name can have as many bytes as the name (review 22).
    if shown == name {
        shown
    } else {
        format!("{shown} (column {})", index + 1)
    }
}

/// The first columns of a header, for a message, each name and the whole list cut short (review
/// 21: a 3 MB first line, or 100 KB of a binary file, was the message).
fn column_list(header: &[String]) -> String {
    let mut list = String::new();
    for (i, h) in header.iter().enumerate() {
        let name = cut(h, MAX_COLUMN_SHOWN);
        let more = if i == 0 { 0 } else { 2 };
        if i == 8 || list.chars().count() + more + name.chars().count() > MAX_COLUMNS_SHOWN {
            list.push_str(", …");
            break;
        }
        if i > 0 {
            list.push_str(", ");
        }
        list.push_str(&name);
    }
    list
}

/// The column a user named: the same text, else the same text in any case, else the same letters
/// and digits (`Letzte Anmeldung` for `letzte_anmeldung`).
fn find_column(header: &[String], name: &str) -> Option<usize> {
    let name = name.trim();
    header
        .iter()
        .position(|h| h.trim() == name)
        .or_else(|| {
            header
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name))
        })
        .or_else(|| {
            let n = columns::normalise(name);
            (!n.is_empty())
                .then(|| header.iter().position(|h| columns::normalise(h) == n))
                .flatten()
        })
}

/// Notes on header names that appear more than once where one of them feeds a field: only the
/// mapped one is read, and the other may say something else (`Enabled` twice, True and False).
fn duplicate_columns(header: &[String], mapping: &ColumnMapping) -> Vec<String> {
    let norm: Vec<String> = header.iter().map(|h| columns::normalise(h)).collect();
    let mut notes = Vec::new();
    for &(_, c) in &mapping.columns {
        let Some(name) = norm.get(c).filter(|n| !n.is_empty()) else {
            continue;
        };
        let same: Vec<String> = norm
            .iter()
            .enumerate()
            .filter(|(_, n)| *n == name)
            .map(|(i, _)| (i + 1).to_string())
            .collect();
        if same.len() > 1 {
            notes.push(format!(
                "The column `{}` appears {} times (columns {}): only column {} is read.",
                cut(header[c].trim(), MAX_COLUMN_SHOWN),
                same.len(),
                cut(&same.join(", "), MAX_COLUMNS_SHOWN),
                c + 1
            ));
        }
    }
    notes
}

/// Reads a whole file held in memory (tests, the CLI).
pub fn read_bytes(bytes: &[u8], opts: ImportOptions) -> Result<Parsed, ImportError> {
    let mut imp = Importer::new(opts);
    for chunk in bytes.chunks(1 << 20) {
        imp.push(chunk)?;
    }
    imp.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// JSON Lines leave the buffer as their lines are read, so a large export of logon events
    /// is never held whole; a JSON list is held until its end, where it is read.
    #[test]
    fn json_lines_leave_the_buffer_as_they_are_read() {
        let line = "{\"TimeCreated\":\"2025-06-20T08:00:00Z\",\"Computer\":\"FS01\",\"TargetUserName\":\"ann\"}\n";
        let held = |text: &[u8]| {
            let mut imp = Importer::new(ImportOptions::default());
            let mut most = 0;
            for chunk in text.chunks(line.len()) {
                imp.push(chunk).expect("pushed");
                most = most.max(imp.buf.len());
            }
            let p = imp.finish().expect("read");
            (most, p.rows, p.json)
        };
        let lines = line.repeat(10_000);
        let (most, rows, json) = held(lines.as_bytes());
        assert_eq!((rows, json), (10_000, true));
        assert!(most <= 2 * line.len(), "{most} bytes held");
        let list = format!("[\n{}]\n", line.repeat(10_000).replace("}\n", "},\n"));
        let list = list.replacen("},\n]", "}\n]", 1);
        let (most, rows, json) = held(list.as_bytes());
        assert_eq!((rows, json), (10_000, true));
        assert!(most >= list.len() - line.len(), "{most} bytes held");
    }
}
