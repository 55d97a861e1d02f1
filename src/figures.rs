//! The figures in the engine's sentences, found again by their written form.
//!
//! The engine writes its findings and "why" texts in one notation whatever the reader's locale:
//! counts of a thousand or more grouped with commas ([`position::thousands`], "1,234") and money
//! as [`position::money`] writes it ("$1,234.00", "EUR 1,234.00", "-JPY 5,000"). A view in
//! another locale finds them here and writes each again in its own notation (the web app through
//! the browser's `Intl`: "1.234" and "1.234,00 €" in de-DE), so a sentence reads its numbers as
//! the tables around it do. Only those two forms are figures: a year, a version or an id
//! ("2022", "srv1000") is never grouped by the engine and is left alone, and so is a count
//! under a thousand, which reads the same in every locale with Latin digits. A name the user
//! typed with such a number in it ("Site 1,200") is written again too: the sentence does not
//! mark which words are names (the engine would have to return its sentences as parts for
//! that), and in a German page it then reads "Site 1.200".
//!
//! [`position::thousands`]: crate::position::thousands
//! [`position::money`]: crate::position::money

use crate::position::{is_currency, minor_digits};

/// A figure found in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Figure {
    /// A count written with digit grouping.
    Count(u64),
    /// An amount in minor units of `currency` (an ISO 4217 code; "USD" for "$").
    Money { minor: i64, currency: String },
}

/// A figure and the byte range of its written form in the sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub figure: Figure,
}

/// Every figure in `text`, in order, none overlapping.
pub fn figures(text: &str) -> Vec<Found> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if starts_word(b, i) {
            if let Some(found) = money_at(text, i).or_else(|| count_at(b, i)) {
                i = found.end;
                out.push(found);
                continue;
            }
        }
        i += 1;
    }
    out
}

/// `text` with each figure written by `count` or `money` (minor units, currency code).
pub fn rewrite(
    text: &str,
    mut count: impl FnMut(u64) -> String,
    mut money: impl FnMut(i64, &str) -> String,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for f in figures(text) {
        out.push_str(&text[from..f.start]);
        match &f.figure {
            Figure::Count(n) => out.push_str(&count(*n)),
            Figure::Money { minor, currency } => out.push_str(&money(*minor, currency)),
        }
        from = f.end;
    }
    out.push_str(&text[from..]);
    out
}

/// Whether a figure may start at byte `i`: not in the middle of a word, a number or a decimal.
fn starts_word(b: &[u8], i: usize) -> bool {
    i == 0 || !(b[i - 1].is_ascii_alphanumeric() || matches!(b[i - 1], b'.' | b',' | b'_'))
}

/// Whether a figure may end at byte `i`: no digit, letter or further group or decimal follows.
fn ends_word(b: &[u8], i: usize) -> bool {
    match b.get(i) {
        None => true,
        Some(c) if c.is_ascii_alphanumeric() || *c == b'_' => false,
        Some(b'.' | b',') => !b.get(i + 1).is_some_and(u8::is_ascii_digit),
        Some(_) => true,
    }
}

/// A run of ASCII digits at `i`: its end.
fn digits_end(b: &[u8], i: usize) -> usize {
    i + b[i..].iter().take_while(|c| c.is_ascii_digit()).count()
}

/// Digits grouped in threes by commas at `i` ("7", "1,234"; at least one group of three after
/// the first when `grouped`), as (value, end).
fn grouped_at(b: &[u8], i: usize, grouped: bool) -> Option<(u64, usize)> {
    let first = digits_end(b, i);
    if !(1..=3).contains(&(first - i)) || (first - i > 1 && b[i] == b'0') {
        return None;
    }
    let mut value = digits_value(&b[i..first])?;
    let mut end = first;
    while b.get(end) == Some(&b',') && digits_end(b, end + 1) == end + 4 {
        value = value
            .checked_mul(1000)?
            .checked_add(digits_value(&b[end + 1..end + 4])?)?;
        end += 4;
    }
    (!grouped || end > first).then_some((value, end))
}

fn digits_value(digits: &[u8]) -> Option<u64> {
    digits.iter().try_fold(0u64, |v, d| {
        v.checked_mul(10)?.checked_add(u64::from(d - b'0'))
    })
}

fn count_at(b: &[u8], i: usize) -> Option<Found> {
    let (value, end) = grouped_at(b, i, true)?;
    ends_word(b, end).then_some(Found {
        start: i,
        end,
        figure: Figure::Count(value),
    })
}

/// "$1,234.00", "-$5.00", "EUR 1,234.00", "JPY 5,000": the sign, then "$" (US dollars) or an
/// ISO 4217 code and a space, then the grouped major units and exactly the currency's minor
/// digits.
fn money_at(text: &str, i: usize) -> Option<Found> {
    let b = text.as_bytes();
    let negative = b[i] == b'-';
    let at = i + usize::from(negative);
    let (currency, number) = if b.get(at) == Some(&b'$') {
        ("USD".to_string(), at + 1)
    } else {
        let code = text.get(at..at + 3)?;
        if !code.bytes().all(|c| c.is_ascii_uppercase())
            || !is_currency(code)
            || code == "USD"
            || b.get(at + 3) != Some(&b' ')
        {
            return None;
        }
        (code.to_string(), at + 4)
    };
    let (major, mut end) = grouped_at(b, number, false)?;
    let digits = minor_digits(&currency);
    let scale = 10u64.checked_pow(digits)?;
    let mut fraction = 0;
    if digits > 0 {
        if b.get(end) != Some(&b'.') || digits_end(b, end + 1) != end + 1 + digits as usize {
            return None;
        }
        fraction = digits_value(&b[end + 1..end + 1 + digits as usize])?;
        end += 1 + digits as usize;
    }
    if !ends_word(b, end) {
        return None;
    }
    let minor = i64::try_from(major.checked_mul(scale)?.checked_add(fraction)?).ok()?;
    Some(Found {
        start: i,
        end,
        figure: Figure::Money {
            minor: if negative { -minor } else { minor },
            currency,
        },
    })
}
