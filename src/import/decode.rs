//! Text encodings of exported files: PowerShell 5 writes UTF-16 LE with a BOM by default
//! (`Export-Csv -Encoding Unicode`), PowerShell 7 and the Entra portal write UTF-8 (with or without
//! BOM), older tools write Windows-1252. The bytes are decoded chunk by chunk to UTF-8, so a file is
//! never held twice in memory. The output is always valid UTF-8 (invalid bytes become U+FFFD).

use encoding_rs::{Decoder as RsDecoder, UTF_16BE, UTF_16LE, WINDOWS_1252};
use serde::{Deserialize, Serialize};

/// The encoding a file was read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TextEncoding {
    Utf8,
    Utf8Bom,
    Utf16LeBom,
    Utf16BeBom,
    /// UTF-16 LE recognised by its zero bytes, without a BOM.
    Utf16Le,
    /// Not valid UTF-8: read as Windows-1252 (the Western code page of older Windows tools).
    Windows1252,
}

impl TextEncoding {
    pub fn label(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf8Bom => "UTF-8 with BOM",
            TextEncoding::Utf16LeBom => "UTF-16 LE with BOM",
            TextEncoding::Utf16BeBom => "UTF-16 BE with BOM",
            TextEncoding::Utf16Le => "UTF-16 LE (no BOM)",
            TextEncoding::Windows1252 => "Windows-1252",
        }
    }
}

/// Streaming decoder to UTF-8. The encoding is sniffed from the first bytes.
pub struct Decoder {
    encoding: Option<TextEncoding>,
    inner: Option<RsDecoder>,
    head: Vec<u8>,
    /// A UTF-8 character cut by the end of the previous chunk.
    carry: Vec<u8>,
}

/// Bytes looked at to choose between UTF-8 and Windows-1252 when there is no BOM.
const SNIFF_LEN: usize = 4096;

impl Default for Decoder {
    fn default() -> Self {
        Self::new()
    }
}

impl Decoder {
    pub fn new() -> Self {
        Decoder {
            encoding: None,
            inner: None,
            head: Vec::new(),
            carry: Vec::new(),
        }
    }

    /// The encoding, once sniffed.
    pub fn encoding(&self) -> Option<TextEncoding> {
        self.encoding
    }

    /// Decodes `input`, appending UTF-8 to `out`. `last` marks the end of the file.
    pub fn push(&mut self, input: &[u8], last: bool, out: &mut Vec<u8>) {
        if self.encoding.is_none() {
            self.head.extend_from_slice(input);
            if self.head.len() < SNIFF_LEN && !last {
                return;
            }
            let head = std::mem::take(&mut self.head);
            let (enc, skip) = sniff(&head);
            self.encoding = Some(enc);
            self.inner = match enc {
                TextEncoding::Utf16LeBom | TextEncoding::Utf16Le => {
                    Some(UTF_16LE.new_decoder_without_bom_handling())
                }
                TextEncoding::Utf16BeBom => Some(UTF_16BE.new_decoder_without_bom_handling()),
                TextEncoding::Windows1252 => Some(WINDOWS_1252.new_decoder_without_bom_handling()),
                TextEncoding::Utf8 | TextEncoding::Utf8Bom => None,
            };
            self.decode(head.get(skip..).unwrap_or_default(), last, out);
            return;
        }
        self.decode(input, last, out);
    }

    fn decode(&mut self, input: &[u8], last: bool, out: &mut Vec<u8>) {
        let Some(dec) = self.inner.as_mut() else {
            // UTF-8 passes through, checked once here so that every later step can rely on it.
            let start = out.len();
            out.append(&mut self.carry);
            out.extend_from_slice(input);
            let tail = if last {
                0
            } else {
                incomplete_tail(&out[start..])
            };
            let end = out.len() - tail;
            self.carry.extend_from_slice(&out[end..]);
            out.truncate(end);
            if std::str::from_utf8(&out[start..]).is_err() {
                let fixed = String::from_utf8_lossy(&out[start..]).into_owned();
                out.truncate(start);
                out.extend_from_slice(fixed.as_bytes());
            }
            return;
        };
        let need = dec
            .max_utf8_buffer_length(input.len())
            .unwrap_or(input.len().saturating_mul(3).saturating_add(16));
        let start = out.len();
        out.resize(start + need, 0);
        let (_, _read, written, _) = dec.decode_to_utf8(input, &mut out[start..], last);
        out.truncate(start + written);
    }
}

/// Length of a multi-byte UTF-8 character cut at the end of `b` (0 when none).
fn incomplete_tail(b: &[u8]) -> usize {
    for i in 1..=3.min(b.len()) {
        let c = b[b.len() - i];
        if c & 0xC0 == 0x80 {
            continue;
        }
        let needed = match c {
            0xF0.. => 4,
            0xE0.. => 3,
            0xC0.. => 2,
            _ => return 0,
        };
        return if needed > i { i } else { 0 };
    }
    0
}

/// Chooses the encoding from the first bytes; returns it and the BOM length to skip.
fn sniff(head: &[u8]) -> (TextEncoding, usize) {
    match head {
        [0xEF, 0xBB, 0xBF, ..] => (TextEncoding::Utf8Bom, 3),
        [0xFF, 0xFE, ..] => (TextEncoding::Utf16LeBom, 2),
        [0xFE, 0xFF, ..] => (TextEncoding::Utf16BeBom, 2),
        [a, 0, b, 0, ..] if *a != 0 && *b != 0 => (TextEncoding::Utf16Le, 0),
        _ => match std::str::from_utf8(head) {
            Ok(_) => (TextEncoding::Utf8, 0),
            // A multi-byte character cut at the end of the sniffed bytes is still UTF-8.
            Err(e) if e.error_len().is_none() => (TextEncoding::Utf8, 0),
            Err(_) => (TextEncoding::Windows1252, 0),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_all(bytes: &[u8], chunk: usize) -> (TextEncoding, String) {
        let mut d = Decoder::new();
        let mut out = Vec::new();
        for c in bytes.chunks(chunk.max(1)) {
            d.push(c, false, &mut out);
        }
        d.push(&[], true, &mut out);
        (
            d.encoding().unwrap_or(TextEncoding::Utf8),
            String::from_utf8(out).unwrap_or_default(),
        )
    }

    #[test]
    fn utf16_le_bom_is_decoded_across_odd_chunk_boundaries() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "Zoë,Müller\r\n".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(
            decode_all(&bytes, 3),
            (TextEncoding::Utf16LeBom, "Zoë,Müller\r\n".to_string())
        );
    }

    #[test]
    fn utf16_be_bom_is_decoded() {
        let mut bytes = vec![0xFE, 0xFF];
        for u in "a;b".encode_utf16() {
            bytes.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(
            decode_all(&bytes, 5),
            (TextEncoding::Utf16BeBom, "a;b".into())
        );
    }

    #[test]
    fn utf8_bom_is_stripped() {
        assert_eq!(
            decode_all(b"\xEF\xBB\xBFName\n", 2),
            (TextEncoding::Utf8Bom, "Name\n".into())
        );
    }

    #[test]
    fn utf8_characters_cut_by_chunk_ends_survive() {
        let text = "a".repeat(5000) + "Zoë Müller €";
        assert_eq!(decode_all(text.as_bytes(), 4099).1, text);
    }

    #[test]
    fn invalid_utf8_after_the_sniffed_start_is_replaced_not_passed_on() {
        let mut bytes = "a".repeat(5000).into_bytes();
        bytes.extend_from_slice(b"\xff!");
        assert_eq!(decode_all(&bytes, 4096).1, "a".repeat(5000) + "\u{fffd}!");
    }

    #[test]
    fn invalid_utf8_is_read_as_windows_1252() {
        assert_eq!(
            decode_all(b"M\xfcller\n", 64),
            (TextEncoding::Windows1252, "Müller\n".into())
        );
    }
}
