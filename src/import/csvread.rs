//! A streaming CSV record splitter for exports (RFC 4180 with the habits of Windows tools):
//! quoted fields with `""` escapes and embedded newlines, CRLF or LF line ends, any one-byte
//! delimiter. It returns byte ranges into the caller's buffer, so no field is copied unless it is
//! read; `memchr` finds the next quote, delimiter or newline with SIMD.
//!
//! It is lenient where exports are sloppy: text after a closing quote is kept as part of the field,
//! and a lone `"` inside an unquoted field is an ordinary character.

use std::borrow::Cow;

/// One field of a record: a byte range of the buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: u32,
    pub end: u32,
    /// Quoted field containing `""` escapes (or text after the closing quote).
    pub escaped: bool,
}

/// What [`next_record`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// A record ending at byte `end` (after its line break), spanning `lines` physical lines.
    Record { end: usize, lines: u32 },
    /// The record is not complete in the buffer yet: feed more bytes.
    Incomplete,
    /// The buffer is exhausted.
    End,
    /// A quoted field is never closed before the end of the file.
    Unterminated,
}

/// Splits the record starting at `pos` into `fields` (cleared first). `eof` says no more bytes follow.
/// Buffers over 4 GiB are not supported (spans are `u32`): the importer works in smaller windows.
pub fn next_record(buf: &[u8], pos: usize, delim: u8, eof: bool, fields: &mut Vec<Span>) -> Next {
    fields.clear();
    let len = buf.len();
    if pos >= len {
        return Next::End;
    }
    let mut p = pos;
    let mut lines = 1u32;
    loop {
        if p < len && buf[p] == b'"' {
            // Quoted field: find the closing quote, skipping `""` and counting newlines.
            let start = p + 1;
            let mut q = start;
            let mut escaped = false;
            let close = loop {
                match memchr::memchr2(b'"', b'\n', &buf[q..]) {
                    None => {
                        return if eof {
                            Next::Unterminated
                        } else {
                            Next::Incomplete
                        }
                    }
                    Some(i) => {
                        let at = q + i;
                        if buf[at] == b'\n' {
                            lines += 1;
                            q = at + 1;
                            continue;
                        }
                        match buf.get(at + 1) {
                            Some(b'"') => {
                                escaped = true;
                                q = at + 2;
                            }
                            None if !eof => return Next::Incomplete,
                            _ => break at,
                        }
                    }
                }
            };
            let after = close + 1;
            match buf.get(after) {
                None => {
                    fields.push(span(start, close, escaped));
                    return Next::Record { end: after, lines };
                }
                Some(&c) if c == delim => {
                    fields.push(span(start, close, escaped));
                    p = after + 1;
                    if p >= len && eof {
                        fields.push(span(p, p, false));
                        return Next::Record { end: p, lines };
                    }
                    if p >= len {
                        return Next::Incomplete;
                    }
                }
                Some(b'\n') => {
                    fields.push(span(start, close, escaped));
                    return Next::Record {
                        end: after + 1,
                        lines,
                    };
                }
                Some(b'\r') => match buf.get(after + 1) {
                    Some(b'\n') => {
                        fields.push(span(start, close, escaped));
                        return Next::Record {
                            end: after + 2,
                            lines,
                        };
                    }
                    None if !eof => return Next::Incomplete,
                    _ => {
                        fields.push(span(start, close, escaped));
                        return Next::Record {
                            end: after + 1,
                            lines,
                        };
                    }
                },
                Some(_) => {
                    // Text after the closing quote: keep it in the field (as spreadsheets do).
                    let stop = match memchr::memchr2(delim, b'\n', &buf[after..]) {
                        Some(i) => after + i,
                        None if eof => len,
                        None => return Next::Incomplete,
                    };
                    let end = trim_cr(buf, after, stop);
                    fields.push(Span {
                        start: (start - 1) as u32,
                        end: end as u32,
                        escaped: true,
                    });
                    match buf.get(stop) {
                        Some(&c) if c == delim => p = stop + 1,
                        Some(_) => {
                            return Next::Record {
                                end: stop + 1,
                                lines,
                            }
                        }
                        None => return Next::Record { end: stop, lines },
                    }
                }
            }
        } else {
            match memchr::memchr2(delim, b'\n', &buf[p..]) {
                Some(i) => {
                    let at = p + i;
                    if buf[at] == delim {
                        fields.push(span(p, at, false));
                        p = at + 1;
                        if p >= len {
                            if eof {
                                fields.push(span(p, p, false));
                                return Next::Record { end: p, lines };
                            }
                            return Next::Incomplete;
                        }
                    } else {
                        fields.push(span(p, trim_cr(buf, p, at), false));
                        return Next::Record { end: at + 1, lines };
                    }
                }
                None if eof => {
                    fields.push(span(p, trim_cr(buf, p, len), false));
                    return Next::Record { end: len, lines };
                }
                None => return Next::Incomplete,
            }
        }
    }
}

fn trim_cr(buf: &[u8], start: usize, end: usize) -> usize {
    if end > start && buf.get(end - 1) == Some(&b'\r') {
        end - 1
    } else {
        end
    }
}

fn span(start: usize, end: usize, escaped: bool) -> Span {
    Span {
        start: start as u32,
        end: end as u32,
        escaped,
    }
}

/// The raw bytes of a field (escapes not undone).
pub fn raw(buf: &[u8], s: Span) -> &[u8] {
    buf.get(s.start as usize..s.end as usize)
        .unwrap_or_default()
}

/// The bytes of a field: `""` undone, surrounding ASCII spaces trimmed; borrowed unless escaped.
pub fn bytes(buf: &[u8], s: Span) -> Cow<'_, [u8]> {
    let b = raw(buf, s);
    if !s.escaped {
        return Cow::Borrowed(b.trim_ascii());
    }
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'"' {
            if b.get(i + 1) == Some(&b'"') {
                out.push(b'"');
                i += 2;
            } else {
                i += 1;
            }
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    let t = out.trim_ascii();
    Cow::Owned(t.to_vec())
}

/// The text of a field: `""` undone, invalid UTF-8 replaced, surrounding spaces trimmed.
pub fn text(buf: &[u8], s: Span) -> Cow<'_, str> {
    let bytes = raw(buf, s);
    if !s.escaped {
        return match std::str::from_utf8(bytes) {
            Ok(t) => Cow::Borrowed(t.trim()),
            Err(_) => Cow::Owned(String::from_utf8_lossy(bytes).trim().to_string()),
        };
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'"' {
            // `""` → `"`; a lone quote (the opening/closing quote of sloppy text) is dropped.
            if bytes.get(i + 1) == Some(&b'"') {
                out.push(b'"');
                i += 2;
                continue;
            }
            i += 1;
            continue;
        }
        out.push(c);
        i += 1;
    }
    Cow::Owned(String::from_utf8_lossy(&out).trim().to_string())
}

/// [`text`] on a buffer already known to be UTF-8: an unescaped field is borrowed without a check.
pub fn text_of(buf: &str, s: Span) -> Cow<'_, str> {
    if s.escaped {
        return text(buf.as_bytes(), s);
    }
    Cow::Borrowed(
        buf.get(s.start as usize..s.end as usize)
            .unwrap_or_default()
            .trim(),
    )
}

/// The delimiters a header is sniffed among.
pub const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// How many times each of [`DELIMITERS`] occurs in `line` outside quotes.
pub fn delimiter_counts(line: &[u8]) -> [usize; 4] {
    let mut counts = [0usize; 4];
    let mut quoted = false;
    for &c in line {
        if c == b'"' {
            quoted = !quoted;
        } else if !quoted {
            if let Some(i) = DELIMITERS.iter().position(|&d| d == c) {
                counts[i] += 1;
            }
        }
    }
    counts
}

/// Chooses the delimiter of a header line: the most frequent of `,` `;` tab `|` outside quotes.
pub fn sniff_delimiter(line: &[u8]) -> u8 {
    let counts = delimiter_counts(line);
    let mut best = 0;
    for i in 1..4 {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    DELIMITERS[best]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(input: &str, delim: u8) -> Vec<Vec<String>> {
        let buf = input.as_bytes();
        let mut fields = Vec::new();
        let mut pos = 0;
        let mut out = Vec::new();
        while let Next::Record { end, .. } = next_record(buf, pos, delim, true, &mut fields) {
            out.push(fields.iter().map(|&s| text(buf, s).into_owned()).collect());
            pos = end;
        }
        out
    }

    #[test]
    fn quoted_fields_keep_delimiters_escaped_quotes_and_newlines() {
        assert_eq!(
            split(
                "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\"\r\nx,y,z\r\n",
                b','
            ),
            vec![
                vec!["a,b".to_string(), "say \"hi\"".into(), "two\nlines".into()],
                vec!["x".into(), "y".into(), "z".into()]
            ]
        );
    }

    #[test]
    fn embedded_newlines_count_as_physical_lines() {
        let buf = b"\"a\nb\nc\",d\nnext\n";
        let mut f = Vec::new();
        assert_eq!(
            next_record(buf, 0, b',', true, &mut f),
            Next::Record { end: 10, lines: 3 }
        );
    }

    #[test]
    fn a_record_cut_by_the_end_of_a_chunk_is_incomplete_until_eof() {
        let mut f = Vec::new();
        assert_eq!(
            next_record(b"\"abc", 0, b',', false, &mut f),
            Next::Incomplete
        );
        assert_eq!(
            next_record(b"abc,de", 0, b',', false, &mut f),
            Next::Incomplete
        );
        assert_eq!(
            next_record(b"\"abc", 0, b',', true, &mut f),
            Next::Unterminated
        );
    }

    #[test]
    fn trailing_empty_field_and_missing_final_newline() {
        assert_eq!(
            split("a;;", b';'),
            vec![vec!["a".to_string(), "".into(), "".into()]]
        );
    }

    #[test]
    fn text_after_a_closing_quote_is_kept() {
        assert_eq!(
            split("\"ab\"cd,e\n", b','),
            vec![vec!["abcd".to_string(), "e".into()]]
        );
    }

    #[test]
    fn delimiter_is_sniffed_outside_quotes() {
        assert_eq!(sniff_delimiter(b"\"a,b\";\"c\";\"d\""), b';');
        assert_eq!(sniff_delimiter(b"a\tb\tc"), b'\t');
        assert_eq!(sniff_delimiter(b"a|b|c"), b'|');
        assert_eq!(sniff_delimiter(b"Name,Enabled"), b',');
    }
}
