//! Keeping and sharing an estate: the share link and the estate file.
//!
//! A share link carries the whole estate in the URL fragment (`#e1.<data>`), so nothing is sent to
//! any server: the fragment never leaves the browser. `<data>` is the estate as compact JSON,
//! compressed with zlib (deflate plus an Adler-32 checksum, so a changed or cut-off link is detected
//! rather than silently misread) and written in unpadded base64url. The `e1` prefix names the link
//! format; a link from a later format is refused with a message instead of being half-read.
//!
//! Exact usage links (`usage`: people, devices and log rows from an import) are stripped before
//! encoding: they may name real accounts, and a link is easily forwarded. The counts they produced
//! stay in the groups.
//!
//! Plain Rust (no browser types) so that every error path is tested natively.

use crate::estate::{Estate, EstateError, FORMAT_VERSION};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

/// The link format this build writes.
pub const LINK_VERSION: u32 = 1;

/// What precedes the data in a fragment written by this build.
pub const LINK_PREFIX: &str = "e1.";

/// Largest estate JSON a link may expand to (guards against a crafted "zip bomb" link).
const MAX_JSON_BYTES: usize = 8 * 1024 * 1024;

/// Why a share link or an estate file could not be read. Messages are written for the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShareError {
    #[error("This is not a calculator share link: a share link starts with #e1. followed by the estate data.")]
    NotAShareLink,
    #[error("This share link is empty: the estate data after “e{version}.” is missing. It was probably cut off when it was copied.")]
    Empty { version: u32 },
    #[error("This share link was made by a newer version of the calculator (link format {found}; this one reads format {LINK_VERSION}). Open it with the newer version, or ask for the estate file instead.")]
    FutureVersion { found: String },
    #[error("This share link uses link format {found}, which this version of the calculator no longer reads. Ask the sender for a new link or for the estate file.")]
    OldVersion { found: u32 },
    #[error("This share link is damaged: character {position} (“{character}”) cannot appear in a share link. Copy the whole link again.")]
    BadCharacter { position: usize, character: char },
    #[error("This share link is incomplete or was changed after it was made (its checksum does not match). Copy the whole link again.")]
    Corrupt,
    #[error("This share link expands to more than {MAX_JSON_BYTES} bytes, far more than any estate; it was not opened.")]
    TooLarge,
    #[error("This share link holds an estate this version cannot read: {0}")]
    InvalidEstate(String),
    #[error("This estate uses format version {found}, newer than this calculator reads ({FORMAT_VERSION}). Update the calculator to open it.")]
    FutureFormat { found: u32 },
    #[error("This share link holds no estate: what it carries is not an estate in JSON, so it was not made by this calculator or was edited by hand. Ask the sender for a new link or for the estate file.")]
    LinkNotJson,
    #[error("This file is not an estate file: an estate file is JSON that starts with “{{”, as “Export estate (JSON)” and the cal-calc command write it. Directory exports, device lists, usage logs and licence statements go in the Import panel.")]
    NotJson,
    #[error("This estate file could not be read: line {line}, column {column}: {message}")]
    BadFile {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("This file is not a usable estate: {0}")]
    InvalidFile(String),
    #[error("The estate could not be written: {0}")]
    Write(String),
}

/// Removes what must not travel in a link: exact usage (it names real accounts and devices).
pub fn strip_for_sharing(estate: &Estate) -> Estate {
    let mut shared = estate.clone();
    shared.usage = None;
    shared
}

/// Encodes an estate as the fragment payload `e1.<data>` (without the leading `#`).
pub fn encode(estate: &Estate) -> Result<String, ShareError> {
    let json = serde_json::to_vec(&strip_for_sharing(estate))
        .map_err(|e| ShareError::Write(e.to_string()))?;
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(&json, 9);
    Ok(format!("{LINK_PREFIX}{}", URL_SAFE_NO_PAD.encode(packed)))
}

/// Whether a URL fragment looks like a share link (so the app tries to open it), whatever its
/// version: `e<digits>.`, with or without the leading `#`.
pub fn looks_like_link(fragment: &str) -> bool {
    split_version(fragment.trim_start_matches('#')).is_some()
}

/// Splits `e<version>.<data>` into the version's digits and the data.
fn split_version(payload: &str) -> Option<(&str, &str)> {
    let rest = payload.strip_prefix('e')?;
    let (digits, data) = rest.split_once('.')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((digits, data))
}

/// A link version too large for a number (`e99999999999.`) is from a newer calculator as much as
/// `e2.` is (review 21: it was "not a share link", and the app passed over it without a word);
/// the message shows its digits, cut short if there are many.
fn future_version(digits: &str) -> ShareError {
    let digits = digits.trim_start_matches('0');
    let found = match digits.char_indices().nth(20) {
        Some((cut, _)) => format!("{}…", &digits[..cut]),
        None => digits.to_string(),
    };
    ShareError::FutureVersion { found }
}

/// Decodes a share link fragment (`#e1.<data>` or `e1.<data>`); the data may be followed by
/// `&name=value` parameters, which are ignored here.
pub fn decode(fragment: &str) -> Result<Estate, ShareError> {
    let payload = fragment.trim().trim_start_matches('#');
    let (digits, data) = split_version(payload).ok_or(ShareError::NotAShareLink)?;
    // Only digits: a number that does not parse is too large for a u32.
    let version: u32 = digits.parse().map_err(|_| future_version(digits))?;
    if version > LINK_VERSION {
        return Err(future_version(digits));
    }
    if version < LINK_VERSION {
        return Err(ShareError::OldVersion { found: version });
    }
    let data = data.split('&').next().unwrap_or_default();
    if data.is_empty() {
        return Err(ShareError::Empty { version });
    }
    if let Some((position, character)) = data
        .chars()
        .enumerate()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Err(ShareError::BadCharacter {
            position: position + 1,
            character,
        });
    }
    // A base64 length of 1 mod 4 cannot come from whole bytes: the link was cut.
    let packed = URL_SAFE_NO_PAD
        .decode(data)
        .map_err(|_| ShareError::Corrupt)?;
    let json = miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&packed, MAX_JSON_BYTES)
        .map_err(|e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => ShareError::TooLarge,
            _ => ShareError::Corrupt,
        })?;
    // The checksum matched, so the link is whole: bytes that are not UTF-8 text are not an
    // estate, not a damaged link (review 21: "its checksum does not match" sent the user to copy
    // the link again, to no avail).
    let text = std::str::from_utf8(&json).map_err(|_| ShareError::LinkNotJson)?;
    // Anything but a JSON object is refused by what it is, not by serde's position, in words
    // about a link (review 21: it said "This file is not an estate file").
    if !text.trim_start().starts_with('{') {
        return Err(ShareError::LinkNotJson);
    }
    let estate = Estate::from_json(text).map_err(|e| match e {
        EstateError::FutureVersion { found, .. } => ShareError::FutureFormat {
            found: u32::try_from(found).unwrap_or(u32::MAX),
        },
        other => ShareError::InvalidEstate(other.to_string()),
    })?;
    let estate = check_format(estate)?;
    // A link that reads but is not usable (an edited currency, a dangling reference) is refused
    // like a file, so it never replaces the saved work.
    estate
        .validate()
        .map_err(|e| ShareError::InvalidEstate(e.to_string()))?;
    Ok(estate)
}

fn check_format(estate: Estate) -> Result<Estate, ShareError> {
    if estate.format_version > FORMAT_VERSION {
        return Err(ShareError::FutureFormat {
            found: estate.format_version,
        });
    }
    Ok(estate)
}

/// Writes an estate as the pretty-printed JSON file offered for download.
pub fn to_file(estate: &Estate) -> Result<String, ShareError> {
    let compact = serde_json::to_string(estate).map_err(|e| ShareError::Write(e.to_string()))?;
    Ok(pretty(&compact))
}

/// serde_json's pretty layout (two-space indent, `"key": value`, `[]`/`{}` when empty) of
/// serde_json's compact text: the same bytes as `to_string_pretty`, while the WebAssembly carries
/// the estate's serialization code once (compact, as links use) instead of once per layout.
fn pretty(compact: &str) -> String {
    fn newline(out: &mut String, depth: usize) {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    }
    let mut out = String::with_capacity(compact.len() * 2);
    let mut depth = 0usize;
    let mut chars = compact.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                out.push('"');
                while let Some(c) = chars.next() {
                    out.push(c);
                    if c == '\\' {
                        if let Some(escaped) = chars.next() {
                            out.push(escaped);
                        }
                    } else if c == '"' {
                        break;
                    }
                }
            }
            '{' | '[' => {
                out.push(c);
                match chars.peek() {
                    Some(&close @ ('}' | ']')) => {
                        out.push(close);
                        chars.next();
                    }
                    _ => {
                        depth += 1;
                        newline(&mut out, depth);
                    }
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(',');
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            _ => out.push(c),
        }
    }
    out
}

/// Reads an estate file (JSON, optionally with a UTF-8 byte-order mark), naming the line and column
/// of the first problem.
pub fn from_file(text: &str) -> Result<Estate, ShareError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(ShareError::BadFile {
            line: 1,
            column: 1,
            message: "the file is empty".into(),
        });
    }
    // Anything but a JSON object (a CSV export, a random or binary file) is refused by what it
    // is, not by serde's position (QA: a random file said "line 1, column 2: trailing characters").
    if !text.trim_start().starts_with('{') {
        return Err(ShareError::NotJson);
    }
    let estate = Estate::from_json(text).map_err(|e| match e {
        EstateError::Syntax {
            line,
            column,
            message,
        } => ShareError::BadFile {
            line,
            column,
            message,
        },
        EstateError::Field {
            path,
            line: Some(line),
            column: Some(column),
            message,
        } => ShareError::BadFile {
            line,
            column,
            message: if path.is_empty() {
                message
            } else {
                format!("{path}: {message}")
            },
        },
        EstateError::FutureVersion { found, .. } => ShareError::FutureFormat {
            found: u32::try_from(found).unwrap_or(u32::MAX),
        },
        other => ShareError::InvalidFile(other.to_string()),
    })?;
    check_format(estate)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file that is not a JSON object is named for what it is not.
    #[test]
    fn a_file_that_is_not_json_says_so() {
        for text in [
            "name,mail\nAda,ada@example.org\n",
            "\u{1}\u{2}garbage",
            "[1, 2]",
            "  \u{feff}x",
        ] {
            let e = from_file(text).expect_err("refused");
            assert_eq!(e, ShareError::NotJson, "{text:?}");
            assert!(e.to_string().contains("starts with “{”"), "{e}");
        }
        // A JSON object with a mistake still gets its line and column.
        assert!(matches!(
            from_file("{\n  \"groups\": [,]\n}"),
            Err(ShareError::BadFile { line: 2, .. })
        ));
    }

    /// Review 17: a broken or impossible estate file is said in plain words, with its place.
    #[test]
    fn a_broken_estate_file_is_said_in_plain_words() {
        assert_eq!(
            from_file("{ a: 1 }").expect_err("refused").to_string(),
            "This estate file could not be read: line 1, column 3: the file is not valid JSON here: each name must be in double quotes, as in \"count\": 50"
        );
        assert_eq!(
            from_file("{\"groups\": [{\"id\": \"a\", \"count\": -50}]}")
                .expect_err("refused")
                .to_string(),
            "This estate file could not be read: line 1, column 34: groups[0].count: -50 is not a count: enter a whole number from 0 to 10000000"
        );
    }

    /// The downloaded file keeps serde_json's pretty layout byte for byte.
    #[test]
    fn to_file_is_serde_json_pretty() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/estates");
        let mut checked = 0;
        for entry in std::fs::read_dir(dir).expect("examples") {
            let path = entry.expect("entry").path();
            if path.extension().and_then(|e| e.to_str()) != Some("json") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("read");
            let mut estate = Estate::from_json(&text).expect("example reads");
            estate.name = "Quote \" back\\slash {[,:]} \u{e9}\u{1}".into();
            let expected = serde_json::to_string_pretty(&estate).expect("pretty");
            assert_eq!(
                to_file(&estate).expect("file"),
                expected,
                "{}",
                path.display()
            );
            checked += 1;
        }
        assert!(checked > 10);
        assert_eq!(
            pretty(r#"{"a":[],"b":{},"c":[{}]}"#),
            "{\n  \"a\": [],\n  \"b\": {},\n  \"c\": [\n    {}\n  ]\n}"
        );
    }
}
