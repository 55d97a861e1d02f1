//! What the calculator promises whatever a user hands it: a report that adds up or a message,
//! and an estate that the estate file and the share link give back unchanged. Plain functions
//! that say which promise broke, shared by the property tests (`robustness.rs`) and the
//! fuzz targets (`tests/fuzz`, which include this file by path: it may use only `cal_calc` and
//! `serde_json`).

use cal_calc::estate::{Date, Estate};
use cal_calc::import::session::Session;
use cal_calc::import::ImportOptions;
use cal_calc::report::Report;
use cal_calc::{share, Effort};

/// The count date the checks evaluate for.
pub const AS_OF: Date = Date {
    year: 2026,
    month: 6,
    day: 1,
};

/// Fails with `message` unless `ok`.
fn hold(ok: bool, message: impl FnOnce() -> String) -> Result<(), String> {
    if ok {
        Ok(())
    } else {
        Err(message())
    }
}

/// An error a user sees must say something.
fn said(e: &impl std::fmt::Display, name: &str) -> Result<(), String> {
    hold(!e.to_string().trim().is_empty(), || {
        format!("{name}: an error without a message")
    })
}

/// What a report must hold whatever estate it came from.
pub fn report_holds_together(r: &Report, name: &str) -> Result<(), String> {
    let rec = &r.recommendation;
    hold(rec.total_minor >= 0, || format!("{name}: negative total"))?;
    hold(rec.gap_minor >= 0, || format!("{name}: negative gap"))?;
    hold(rec.exact == (rec.gap_minor == 0), || {
        format!("{name}: exact and gap disagree")
    })?;
    let lines: i64 = rec.lines.iter().map(|l| l.cost_minor).sum();
    hold(lines == rec.total_minor, || {
        format!(
            "{name}: lines add up to {lines}, not the total {}",
            rec.total_minor
        )
    })?;
    for l in rec.lines.iter().filter(|l| !l.price_missing) {
        let cost = i64::try_from(l.quantity)
            .ok()
            .and_then(|q| q.checked_mul(l.unit_minor));
        hold(cost == Some(l.cost_minor), || {
            format!(
                "{name}: {:?} {:?} costs other than quantity × unit",
                l.product, l.kind
            )
        })?;
    }
    // Each row adds up on its own: needed = covered + shortfall (a newer owned CAL may cover an
    // older need), owned = used + surplus; and every licence in use covers one need.
    let (mut used, mut covered) = (0u64, 0u64);
    for p in &r.position {
        hold(p.covered + p.shortfall == p.needed, || {
            format!("{name}: {:?} needed ≠ covered + shortfall", p.product)
        })?;
        hold(p.used + p.surplus == p.owned, || {
            format!(
                "{name}: {:?} {:?} owned ≠ used + surplus",
                p.product, p.kind
            )
        })?;
        used += p.used;
        covered += p.covered;
    }
    hold(used == covered, || {
        format!("{name}: licences in use ≠ needs covered")
    })?;
    // Where an item has no price, the totals leave it out and the optimiser counts it at a
    // stand-in price, so a proven total and a scenario's compare only when both are whole
    // (fuzzing: "$46,170.00 + ?" proven against "User CALs for everyone $13,745.00 + ?",
    // Skype for Business CALs unpriced).
    let whole = !rec.lines.iter().any(|l| l.price_missing);
    if rec.exact && whole {
        for s in r.scenarios.iter().filter(|s| !s.price_missing) {
            hold(rec.total_minor <= s.total_minor, || {
                format!(
                    "{name}: the proven optimum {} costs more than the scenario {} ({})",
                    rec.total_minor, s.id, s.total_minor
                )
            })?;
        }
    }
    for f in &r.findings {
        hold(!f.message.trim().is_empty(), || {
            format!("{name}: a finding without a message")
        })?;
    }
    hold(serde_json::to_string(r).is_ok(), || {
        format!("{name}: the report does not serialise")
    })
}

/// The estate file `text`, through every face a user can reach it by: read, evaluated with
/// `effort`, written as a file and as a link and read back.
pub fn estate_text_holds(text: &str, name: &str, effort: Effort) -> Result<(), String> {
    match Estate::from_json(text) {
        Ok(estate) => estate_holds(&estate, name, effort),
        Err(e) => said(&e, name),
    }
}

/// [`estate_text_holds`] for an estate already read.
pub fn estate_holds(estate: &Estate, name: &str, effort: Effort) -> Result<(), String> {
    let problems = estate.problems();
    match cal_calc::evaluate_with(estate, AS_OF, effort) {
        Ok(e) => {
            hold(problems.is_empty(), || {
                format!("{name}: evaluated although {problems:?}")
            })?;
            report_holds_together(&e.report, name)?;
        }
        Err(e) => said(&e, name)?,
    }
    // Whatever was read is kept exactly: the estate file and the share link give it back.
    match share::to_file(estate).map(|f| share::from_file(&f)) {
        Ok(Ok(back)) => hold(back == *estate, || {
            format!("{name}: the estate file changed the estate")
        })?,
        Ok(Err(e)) => return Err(format!("{name}: its own estate file is refused: {e}")),
        Err(e) => said(&e, name)?,
    }
    // A link is opened only if its estate validates (like a file in the app), so a link of a
    // damaged estate is refused with the problem; a sound one comes back as it was.
    match share::encode(estate).map(|l| share::decode(&l)) {
        Ok(Ok(back)) => hold(back == share::strip_for_sharing(estate), || {
            format!("{name}: the share link changed the estate")
        }),
        Ok(Err(e)) => hold(
            !problems.is_empty() && !e.to_string().trim().is_empty(),
            || format!("{name}: its own share link is refused: {e}"),
        ),
        Err(e) => said(&e, name),
    }
}

/// The `either-subject` reading of an additive CAL's base only drops requirements, so it is
/// never dearer: its report holds together, and where neither report leaves an unpriced licence
/// out, its bound is no higher than the default reading's total, and its total no higher where
/// both are proven least. Estates that do not evaluate are left to [`estate_holds`].
pub fn either_subject_no_dearer(estate: &Estate, name: &str) -> Result<(), String> {
    use cal_calc::estate::AdditiveBase;
    asks_less_no_dearer(estate, &format!("{name}, either-subject"), |e| {
        e.organisation.readings.additive_base = AdditiveBase::EitherSubject
    })
}

/// The same for network equipment: every unattended pool of the estate taken as network
/// equipment (no one's, so its users go), under the reading that counts it not against the
/// default that gives it Device CALs. An estate with no unattended pool has nothing to compare.
pub fn network_not_counted_no_dearer(estate: &Estate, name: &str) -> Result<(), String> {
    use cal_calc::estate::NetworkEquipment;
    let mut marked = estate.clone();
    let mut any = false;
    for d in marked.shared_devices.iter_mut().filter(|d| d.unattended) {
        d.network = true;
        d.shared_by.clear();
        any = true;
    }
    if !any {
        return Ok(());
    }
    asks_less_no_dearer(&marked, &format!("{name}, network not counted"), |e| {
        e.organisation.readings.network_equipment = NetworkEquipment::NotCounted
    })
}

/// `estate` against itself with a reading that only drops requirements (`ask_less`).
fn asks_less_no_dearer(
    estate: &Estate,
    name: &str,
    ask_less: impl FnOnce(&mut Estate),
) -> Result<(), String> {
    let mut less = estate.clone();
    ask_less(&mut less);
    let (Ok(same), Ok(other)) = (
        cal_calc::evaluate(estate, AS_OF),
        cal_calc::evaluate(&less, AS_OF),
    ) else {
        return Ok(());
    };
    report_holds_together(&other, name)?;
    no_dearer(&same, &other, name)
}

/// The comparison of [`either_subject_no_dearer`] and [`network_not_counted_no_dearer`]:
/// `other`, the report under the reading that asks less, against `same`, the default reading's.
pub fn no_dearer(same: &Report, other: &Report, name: &str) -> Result<(), String> {
    let priced = |r: &Report| !r.recommendation.lines.iter().any(|l| l.price_missing);
    if !(priced(same) && priced(other)) {
        return Ok(());
    }
    let (s, o) = (&same.recommendation, &other.recommendation);
    hold(o.total_minor - o.gap_minor <= s.total_minor, || {
        format!(
            "{name}: the bound {} above the default's total {}",
            o.total_minor - o.gap_minor,
            s.total_minor
        )
    })?;
    hold(
        !(s.exact && o.exact) || o.total_minor <= s.total_minor,
        || {
            format!(
                "{name}: proven at {}, dearer than the default's {}",
                o.total_minor, s.total_minor
            )
        },
    )
}

/// One export read into `session` in chunks of `chunk` bytes, as the import worker reads a
/// file: its figures, or an error with a message.
pub fn export_reads(
    session: &mut Session,
    bytes: &[u8],
    chunk: usize,
    name: &str,
) -> Result<(), String> {
    session.begin(ImportOptions::default());
    let mut pushed = Ok(());
    for c in bytes.chunks(chunk.max(1)) {
        pushed = session.push(c);
        if pushed.is_err() {
            break;
        }
    }
    match pushed.and_then(|()| session.finish(name)) {
        Ok(_) => Ok(()),
        Err(e) => said(&e, name),
    }
}
