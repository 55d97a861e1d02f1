//! Dates as exports write them: ISO 8601, US `M/d/yyyy h:mm:ss tt` (PowerShell en-US), European
//! `dd.MM.yyyy` and `dd/MM/yyyy`, LDAP generalized time (`20240131120000.0Z`, csvde) and Active
//! Directory FileTime integers (100 ns ticks since 1601; `0` and `9223372036854775807` mean never).
//!
//! `d/m/yyyy` against `m/d/yyyy` cannot be told from one value such as `3/4/2024`, so values are
//! kept raw while the file is read and resolved afterwards: a first part above 12 proves day-first,
//! a second part above 12 proves month-first; the user can override ([`DateOrder`]).

use crate::estate::Date;
use serde::{Deserialize, Serialize};

/// Day-month order of slash dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrder {
    /// `M/d/yyyy` (United States).
    MonthFirst,
    /// `dd/MM/yyyy` (Europe and most of the world).
    DayFirst,
}

crate::named::named_enum!(DateOrder {
    MonthFirst => "month-first",
    DayFirst => "day-first",
});

/// A date value as read, before the day-month order is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RawDate {
    /// Empty cell.
    #[default]
    Missing,
    /// "Never" (FileTime 0 or max, or the word).
    Never,
    /// Unambiguous (ISO, FileTime, generalized time, dotted European).
    Exact(Date),
    /// `a/b/year`: day and month order to be resolved.
    Slash { a: u8, b: u8, year: u16 },
    /// Not a date.
    Invalid,
}

/// What the values of a file say about the day-month order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct OrderEvidence {
    /// Values whose first part is above 12.
    pub day_first: u32,
    /// Values whose second part is above 12.
    pub month_first: u32,
    /// Slash values seen.
    pub slash_values: u32,
}

impl OrderEvidence {
    pub fn note(&mut self, d: RawDate) {
        if let RawDate::Slash { a, b, .. } = d {
            self.slash_values += 1;
            if a > 12 {
                self.day_first += 1;
            }
            if b > 12 {
                self.month_first += 1;
            }
        }
    }

    pub fn merge(&mut self, o: OrderEvidence) {
        self.day_first += o.day_first;
        self.month_first += o.month_first;
        self.slash_values += o.slash_values;
    }

    /// The order the values prove, or `None` when they do not decide (or contradict each other).
    pub fn decided(&self) -> Option<DateOrder> {
        match (self.day_first > 0, self.month_first > 0) {
            (true, false) => Some(DateOrder::DayFirst),
            (false, true) => Some(DateOrder::MonthFirst),
            _ => None,
        }
    }
}

impl RawDate {
    /// The date under `order`; `Missing`, `Never` and `Invalid` give `None`.
    pub fn resolve(self, order: DateOrder) -> Option<Date> {
        match self {
            RawDate::Exact(d) => Some(d),
            RawDate::Slash { a, b, year } => match order {
                DateOrder::MonthFirst => Date::new(year, a, b),
                DateOrder::DayFirst => Date::new(year, b, a),
            },
            _ => None,
        }
    }
}

/// FileTime value meaning "never" besides 0.
const FILETIME_NEVER: u64 = 9_223_372_036_854_775_807;
/// 100 ns ticks per day.
const TICKS_PER_DAY: u64 = 864_000_000_000;
/// Days from 1601-01-01 to 1970-01-01.
const DAYS_1601_TO_1970: i64 = 134_774;

/// Parses one cell.
pub fn parse(s: &str) -> RawDate {
    parse_bytes(s.as_bytes())
}

/// Digits only, 1 to 4 of them.
fn num(b: &[u8]) -> Option<u32> {
    if b.is_empty() || b.len() > 4 {
        return None;
    }
    b.iter().try_fold(0u32, |acc, &c| {
        c.is_ascii_digit().then(|| acc * 10 + (c - b'0') as u32)
    })
}

fn ymd(y: &[u8], m: &[u8], d: &[u8]) -> RawDate {
    match (num(y), num(m), num(d)) {
        (Some(y), Some(m), Some(d)) if y <= u16::MAX as u32 && m <= 12 && d <= 31 => {
            Date::new(y as u16, m as u8, d as u8).map_or(RawDate::Invalid, RawDate::Exact)
        }
        _ => RawDate::Invalid,
    }
}

/// `yyyy<sep>M<sep>d`, with what follows the day (a time after a space or `T`, a zone) not read;
/// with dots, spaces may follow each dot and a dot may end the date ("2026. 12. 01.").
fn year_first(b: &[u8]) -> RawDate {
    let sep = b[4];
    let mut i = 5;
    let part = |i: &mut usize| {
        if sep == b'.' {
            while b.get(*i) == Some(&b' ') {
                *i += 1;
            }
        }
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        &b[start..*i]
    };
    let m = part(&mut i);
    if b.get(i) != Some(&sep) {
        return RawDate::Invalid;
    }
    i += 1;
    let d = part(&mut i);
    if sep == b'.' && b.get(i) == Some(&b'.') {
        i += 1;
    }
    // What follows the day (a time, a zone) is not read; a fourth part makes it no date, except
    // after ISO's two-digit month and day, where "-05:00" is a zone offset (review 22: the
    // lenient year-first reading refused "2026-11-05-05:00", which was read before it).
    let iso = sep == b'-' && m.len() == 2 && d.len() == 2;
    let ends = iso || b.get(i) != Some(&sep);
    if !ends || m.is_empty() || m.len() > 2 || d.is_empty() || d.len() > 2 {
        return RawDate::Invalid;
    }
    ymd(&b[0..4], m, d)
}

/// Parses one cell given as bytes (the import's hot path: no allocation, no UTF-8 check).
pub fn parse_bytes(b: &[u8]) -> RawDate {
    let b = b.trim_ascii();
    if b.is_empty() {
        return RawDate::Missing;
    }
    if b.iter().all(u8::is_ascii_digit) {
        if b.len() > 19 {
            return RawDate::Invalid;
        }
        let v = b.iter().fold(0u64, |acc, &c| {
            acc.wrapping_mul(10).wrapping_add((c - b'0') as u64)
        });
        return match v {
            0 | FILETIME_NEVER => RawDate::Never,
            _ if b.len() >= 15 => {
                let days = (v / TICKS_PER_DAY) as i64 - DAYS_1601_TO_1970;
                from_days(days).map_or(RawDate::Invalid, RawDate::Exact)
            }
            // yyyyMMdd
            _ if b.len() == 8 => ymd(&b[0..4], &b[4..6], &b[6..8]),
            _ => RawDate::Invalid,
        };
    }
    if b.eq_ignore_ascii_case(b"never") {
        return RawDate::Never;
    }
    // Generalized time 20240131120000.0Z
    if b.len() >= 14 && b[..14].iter().all(u8::is_ascii_digit) {
        return ymd(&b[0..4], &b[4..6], &b[6..8]);
    }
    // ISO yyyy-MM-dd[T…], and year first with one- or two-digit month and day: yyyy/M/d
    // (PowerShell in zh-CN and ja-JP: "2026/11/5 10:00:00") and Hungarian "2026. 12. 01.".
    // After a four-digit year the month always comes first.
    if b.len() > 5 && b[..4].iter().all(u8::is_ascii_digit) && matches!(b[4], b'-' | b'/' | b'.') {
        return year_first(b);
    }
    // a/b/yyyy, a.b.yyyy, a-b-yyyy followed by an optional time.
    let date_part = match b.iter().position(|&c| c == b' ' || c == b'T') {
        Some(i) => &b[..i],
        None => b,
    };
    let Some(&sep) = date_part
        .iter()
        .find(|&&c| c == b'/' || c == b'.' || c == b'-')
    else {
        return RawDate::Invalid;
    };
    let mut it = date_part.split(|&c| c == sep);
    let (Some(x), Some(y), Some(z), None) = (it.next(), it.next(), it.next(), it.next()) else {
        return RawDate::Invalid;
    };
    let (Some(a), Some(b2), Some(mut year)) = (num(x), num(y), num(z)) else {
        return RawDate::Invalid;
    };
    if z.len() == 2 {
        year += 2000;
    }
    if a > 31 || b2 > 31 || year > u16::MAX as u32 {
        return RawDate::Invalid;
    }
    let (a, b2, year) = (a as u8, b2 as u8, year as u16);
    if sep == b'.' {
        // dd.MM.yyyy: dots are a European habit; no US tool writes them.
        return Date::new(year, b2, a).map_or(RawDate::Invalid, RawDate::Exact);
    }
    if a > 12 && b2 > 12 {
        return RawDate::Invalid;
    }
    RawDate::Slash { a, b: b2, year }
}

/// Days since 1970-01-01 (proleptic Gregorian).
pub fn to_days(d: Date) -> i64 {
    let y = d.year as i64 - if d.month <= 2 { 1 } else { 0 };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = d.month as i64;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d.day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date `days` after 1970-01-01, if it fits the estate's date range.
pub fn from_days(days: i64) -> Option<Date> {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    Date::new(u16::try_from(y).ok()?, m as u8, d as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: u16, m: u8, day: u8) -> RawDate {
        RawDate::Exact(Date::new(y, m, day).unwrap_or(Date {
            year: 1,
            month: 1,
            day: 1,
        }))
    }

    #[test]
    fn filetime_zero_and_max_mean_never() {
        assert_eq!(
            (parse("0"), parse("9223372036854775807")),
            (RawDate::Never, RawDate::Never)
        );
    }

    #[test]
    fn filetime_ticks_convert_to_the_utc_date() {
        // 133496640000000000 = 2024-01-14T00:00:00Z (Python: (2024-01-14 − 1601-01-01) × 10⁷ s)
        assert_eq!(parse("133496640000000000"), d(2024, 1, 14));
    }

    #[test]
    fn iso_and_generalized_time() {
        assert_eq!(
            (parse("2024-03-05T10:00:00Z"), parse("20240305101500.0Z")),
            (d(2024, 3, 5), d(2024, 3, 5))
        );
    }

    #[test]
    fn dotted_dates_are_day_first() {
        assert_eq!(parse("05.03.2024 14:02:11"), d(2024, 3, 5));
    }

    #[test]
    fn us_time_with_am_pm_is_kept_raw_until_the_order_is_known() {
        assert_eq!(
            parse("3/5/2024 2:15:00 PM"),
            RawDate::Slash {
                a: 3,
                b: 5,
                year: 2024
            }
        );
    }

    #[test]
    fn a_value_above_twelve_decides_the_order_for_the_file() {
        let mut ev = OrderEvidence::default();
        for v in ["3/5/2024", "25/12/2023", "1/2/2024"] {
            ev.note(parse(v));
        }
        assert_eq!(ev.decided(), Some(DateOrder::DayFirst));
    }

    #[test]
    fn days_round_trip() {
        let dt = Date::new(2000, 2, 29).unwrap_or(Date {
            year: 1,
            month: 1,
            day: 1,
        });
        assert_eq!(from_days(to_days(dt)), Some(dt));
    }
}
