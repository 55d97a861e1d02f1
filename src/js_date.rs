//! A JavaScript `Date` as a calendar [`Date`], for the WebAssembly faces (the app and the
//! JavaScript API), which supply "today" to the engine.

use crate::estate::Date;

/// The day of a JS `Date` on this device's calendar; `None` for an invalid date or a year
/// outside `u16`.
pub(crate) fn local_date(date: &js_sys::Date) -> Option<Date> {
    if date.get_time().is_nan() {
        return None;
    }
    let year = u16::try_from(date.get_full_year()).ok()?;
    let month = u8::try_from(date.get_month() + 1).ok()?;
    let day = u8::try_from(date.get_date()).ok()?;
    Date::new(year, month, day)
}
