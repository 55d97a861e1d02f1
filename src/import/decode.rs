//! Text encodings of exported files: PowerShell 5 writes UTF-16 LE with a BOM by default
//! (`Export-Csv -Encoding Unicode`), PowerShell 7 and the Entra portal write UTF-8 (with or without
//! BOM), older tools write Windows-1252. The bytes are decoded chunk by chunk to UTF-8, so a file is
//! never held twice in memory. The output is always valid UTF-8 (invalid bytes become U+FFFD).
//!
//! UTF-16 and Windows-1252 are decoded here as the WHATWG Encoding Standard specifies (the same
//! output as the `encoding_rs` crate, which the tests compare against): a general decoder would
//! bring every legacy encoding's tables into the WebAssembly for the three this needs.

/// The encoding a file was read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Utf8Bom,
    Utf16LeBom,
    Utf16BeBom,
    /// UTF-16 LE recognised by its zero bytes, without a BOM.
    Utf16Le,
    /// UTF-16 BE recognised by its zero bytes, without a BOM.
    Utf16Be,
    /// Not valid UTF-8: read as Windows-1252 (the Western code page of older Windows tools).
    Windows1252,
}

crate::named::named_enum!(TextEncoding {
    Utf8 => "utf8",
    Utf8Bom => "utf8-bom",
    Utf16LeBom => "utf16-le-bom",
    Utf16BeBom => "utf16-be-bom",
    Utf16Le => "utf16-le",
    Utf16Be => "utf16-be",
    Windows1252 => "windows1252",
});

impl TextEncoding {
    /// Read as UTF-16 without a byte order mark to say so: recognised by its zero bytes.
    pub fn is_guessed_utf16(self) -> bool {
        matches!(self, TextEncoding::Utf16Le | TextEncoding::Utf16Be)
    }

    pub fn label(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf8Bom => "UTF-8 with BOM",
            TextEncoding::Utf16LeBom => "UTF-16 LE with BOM",
            TextEncoding::Utf16BeBom => "UTF-16 BE with BOM",
            TextEncoding::Utf16Le => "UTF-16 LE (no BOM, recognised by its zero bytes)",
            TextEncoding::Utf16Be => "UTF-16 BE (no BOM, recognised by its zero bytes)",
            TextEncoding::Windows1252 => "Windows-1252",
        }
    }
}

/// Streaming decoder to UTF-8. The encoding is sniffed from the first bytes.
pub struct Decoder {
    encoding: Option<TextEncoding>,
    inner: Option<Legacy>,
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

    /// Decodes `input`, appending it to `out`. `last` marks the end of the file.
    pub fn push(&mut self, input: &[u8], last: bool, out: &mut String) {
        if self.encoding.is_none() {
            self.head.extend_from_slice(input);
            if self.head.len() < SNIFF_LEN && !last {
                return;
            }
            let head = std::mem::take(&mut self.head);
            let (enc, skip) = sniff(&head);
            self.encoding = Some(enc);
            self.inner = match enc {
                TextEncoding::Utf16LeBom | TextEncoding::Utf16Le => Some(Legacy::utf16(false)),
                TextEncoding::Utf16BeBom | TextEncoding::Utf16Be => Some(Legacy::utf16(true)),
                TextEncoding::Windows1252 => Some(Legacy::Windows1252),
                TextEncoding::Utf8 | TextEncoding::Utf8Bom => None,
            };
            self.decode(head.get(skip..).unwrap_or_default(), last, out);
            return;
        }
        self.decode(input, last, out);
    }

    fn decode(&mut self, input: &[u8], last: bool, out: &mut String) {
        let Some(dec) = self.inner.as_mut() else {
            self.pass_utf8(input, last, out);
            return;
        };
        dec.decode(input, last, out);
    }

    /// UTF-8 passes through, checked once here (invalid bytes become U+FFFD, as
    /// `String::from_utf8_lossy` makes them) so that every later step can rely on it.
    fn pass_utf8(&mut self, input: &[u8], last: bool, out: &mut String) {
        if !self.carry.is_empty() {
            // A character was cut by the previous chunk's end: read it with this chunk (one copy,
            // only for chunks that start inside a character).
            let mut joined = std::mem::take(&mut self.carry);
            joined.extend_from_slice(input);
            self.pass_utf8(&joined, last, out);
            return;
        }
        let tail = if last { 0 } else { incomplete_tail(input) };
        let (body, cut) = input.split_at(input.len() - tail);
        match std::str::from_utf8(body) {
            Ok(t) => out.push_str(t),
            Err(_) => out.push_str(&String::from_utf8_lossy(body)),
        }
        self.carry.extend_from_slice(cut);
    }
}

/// The decoders for encodings other than UTF-8, with the state a chunk end can cut.
enum Legacy {
    Utf16 {
        big_endian: bool,
        lead_byte: Option<u8>,
        lead_surrogate: Option<u16>,
    },
    Windows1252,
}

/// Windows-1252 bytes 0x80–0x9F (WHATWG index; the five unassigned bytes map to C1 controls).
const WINDOWS_1252_HIGH: [u16; 32] = [
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
    0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
];

impl Legacy {
    fn utf16(big_endian: bool) -> Legacy {
        Legacy::Utf16 {
            big_endian,
            lead_byte: None,
            lead_surrogate: None,
        }
    }

    fn decode(&mut self, input: &[u8], last: bool, out: &mut String) {
        match self {
            Legacy::Windows1252 => {
                out.reserve(input.len());
                for &b in input {
                    let unit = match b {
                        0x80..=0x9F => WINDOWS_1252_HIGH[usize::from(b - 0x80)],
                        _ => u16::from(b),
                    };
                    out.push(char::from_u32(u32::from(unit)).unwrap_or('\u{FFFD}'));
                }
            }
            Legacy::Utf16 {
                big_endian,
                lead_byte,
                lead_surrogate,
            } => {
                out.reserve(input.len() + input.len() / 2);
                for &b in input {
                    let Some(lead) = lead_byte.take() else {
                        *lead_byte = Some(b);
                        continue;
                    };
                    let unit = if *big_endian {
                        u16::from_be_bytes([lead, b])
                    } else {
                        u16::from_le_bytes([lead, b])
                    };
                    if let Some(high) = lead_surrogate.take() {
                        if (0xDC00..=0xDFFF).contains(&unit) {
                            let c = 0x10000
                                + ((u32::from(high) - 0xD800) << 10)
                                + (u32::from(unit) - 0xDC00);
                            out.push(char::from_u32(c).unwrap_or('\u{FFFD}'));
                            continue;
                        }
                        // An unpaired high surrogate; the unit after it is read afresh.
                        out.push('\u{FFFD}');
                    }
                    match unit {
                        0xD800..=0xDBFF => *lead_surrogate = Some(unit),
                        0xDC00..=0xDFFF => out.push('\u{FFFD}'),
                        _ => out.push(char::from_u32(u32::from(unit)).unwrap_or('\u{FFFD}')),
                    }
                }
                if last && (lead_byte.take().is_some() | lead_surrogate.take().is_some()) {
                    out.push('\u{FFFD}');
                }
            }
        }
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

/// UTF-16 without a byte order mark, from its zero bytes: text exports are mostly ASCII, so in
/// UTF-16 one byte of nearly every pair is 0 (the second in LE, the first in BE) and the other is
/// not, while UTF-8 and Windows-1252 text has no zero bytes at all. `Some(true)` for big endian.
fn utf16_without_bom(head: &[u8]) -> Option<bool> {
    let pairs = head.len().min(SNIFF_LEN) / 2;
    if pairs < 2 {
        return None;
    }
    let (mut le, mut be) = (0usize, 0usize);
    for p in head.chunks_exact(2).take(pairs) {
        match (p[0], p[1]) {
            (1..=0x7F, 0) => le += 1,
            (0, 1..=0x7F) => be += 1,
            _ => {}
        }
    }
    // Nine pairs in ten: a few accented or other non-ASCII characters are allowed.
    let most = |n: usize| n * 10 >= pairs * 9;
    if most(le) {
        Some(false)
    } else if most(be) {
        Some(true)
    } else {
        None
    }
}

/// Chooses the encoding from the first bytes; returns it and the BOM length to skip.
fn sniff(head: &[u8]) -> (TextEncoding, usize) {
    match head {
        [0xEF, 0xBB, 0xBF, ..] => (TextEncoding::Utf8Bom, 3),
        [0xFF, 0xFE, ..] => (TextEncoding::Utf16LeBom, 2),
        [0xFE, 0xFF, ..] => (TextEncoding::Utf16BeBom, 2),
        _ if utf16_without_bom(head) == Some(false) => (TextEncoding::Utf16Le, 0),
        _ if utf16_without_bom(head) == Some(true) => (TextEncoding::Utf16Be, 0),
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
        let mut out = String::new();
        for c in bytes.chunks(chunk.max(1)) {
            d.push(c, false, &mut out);
        }
        d.push(&[], true, &mut out);
        (d.encoding().unwrap_or(TextEncoding::Utf8), out)
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

    /// UTF-8 with invalid and cut sequences reads the same whatever the chunk ends: what
    /// `String::from_utf8_lossy` makes of the whole (after the sniffed start, which is valid).
    #[test]
    fn utf8_pass_through_does_not_depend_on_chunk_ends() {
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let pieces: [&[u8]; 8] = [
            b"a",
            "\u{e9}".as_bytes(),
            "\u{20ac}".as_bytes(),
            "\u{1f600}".as_bytes(),
            b"\xe2\x82",
            b"\xf0\x9f",
            b"\xff",
            b"\xc3",
        ];
        for _ in 0..2000 {
            let mut bytes = "a".repeat(SNIFF_LEN + 8).into_bytes();
            for _ in 0..(next() % 40) {
                bytes.extend_from_slice(pieces[(next() % 8) as usize]);
            }
            let chunk = (next() % 7 + 1) as usize;
            let (enc, text) = decode_all(&bytes, chunk);
            assert_eq!(enc, TextEncoding::Utf8);
            assert_eq!(
                text,
                String::from_utf8_lossy(&bytes),
                "{bytes:?} in chunks of {chunk}"
            );
        }
    }

    /// The same text as `encoding_rs` (the WHATWG reference implementation in Rust), whatever the
    /// bytes and wherever the chunks end: lone and reversed surrogates, odd lengths, every byte.
    #[test]
    #[cfg(not(target_arch = "wasm32"))]
    fn legacy_decoders_match_encoding_rs() {
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let all_bytes: Vec<u8> = (0..=255).collect();
        for case in 0..3000 {
            let len = usize::try_from(next() % 40).unwrap_or(0);
            let bytes: Vec<u8> = if case == 0 {
                all_bytes.clone()
            } else {
                (0..len)
                    .map(|_| match next() % 6 {
                        0 => 0xD8,
                        1 => 0xDC,
                        2 => 0xDF,
                        _ => (next() & 0xFF) as u8,
                    })
                    .collect()
            };
            let chunk = usize::try_from(next() % 5 + 1).unwrap_or(1);
            for (enc, reference) in [
                (Legacy::utf16(false), encoding_rs::UTF_16LE),
                (Legacy::utf16(true), encoding_rs::UTF_16BE),
                (Legacy::Windows1252, encoding_rs::WINDOWS_1252),
            ] {
                let mut mine = enc;
                let mut out = String::new();
                for c in bytes.chunks(chunk) {
                    mine.decode(c, false, &mut out);
                }
                mine.decode(&[], true, &mut out);
                let (expected, _) = reference.decode_without_bom_handling(&bytes);
                assert_eq!(out, expected, "{bytes:?}");
            }
        }
    }

    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        text.encode_utf16()
            .flat_map(|u| {
                if big_endian {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                }
            })
            .collect()
    }

    /// QA browser L4: UTF-16 BE without a BOM was read as Windows-1252 ("5 rows · 5 unreadable").
    #[test]
    fn utf16_without_a_bom_is_recognised_by_its_zero_bytes_in_either_byte_order() {
        let text = "SamAccountName;Enabled;DisplayName\r\njmüller;True;Jürgen Müller\r\n";
        for (big_endian, enc) in [
            (false, TextEncoding::Utf16Le),
            (true, TextEncoding::Utf16Be),
        ] {
            for chunk in [1, 3, 4096] {
                assert_eq!(
                    decode_all(&utf16(text, big_endian), chunk),
                    (enc, text.to_string())
                );
            }
            assert!(enc.is_guessed_utf16());
        }
    }

    #[test]
    fn utf8_and_windows_1252_text_is_not_taken_for_utf16() {
        let text = "Login;Aktiviert\nMüller;Ja\n";
        assert_eq!(
            decode_all(text.as_bytes(), 7),
            (TextEncoding::Utf8, text.into())
        );
        let cp1252: Vec<u8> = text
            .chars()
            .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
            .collect();
        assert_eq!(
            decode_all(&cp1252, 7),
            (TextEncoding::Windows1252, text.into())
        );
        // A stray zero byte or two in ASCII text is no UTF-16.
        assert_eq!(decode_all(b"a,b\0\nc,d\n", 64).0, TextEncoding::Utf8);
        // Nor is text mostly outside ASCII (UTF-8 Cyrillic has no zero bytes either).
        assert_eq!(
            decode_all("Имя;Фамилия\n".as_bytes(), 64).0,
            TextEncoding::Utf8
        );
    }

    #[test]
    fn invalid_utf8_is_read_as_windows_1252() {
        assert_eq!(
            decode_all(b"M\xfcller\n", 64),
            (TextEncoding::Windows1252, "Müller\n".into())
        );
    }
}
