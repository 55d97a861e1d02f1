//! `cal-calc`: the native command-line face of the engine. It reads an estate file, calls
//! `cal_calc::evaluate` and prints the report (JSON or readable tables). It translates, nothing
//! else: every licensing decision is the engine's.

use cal_calc::catalog;
use cal_calc::engine::COUNT_DATES;
use cal_calc::estate::{Date, Estate};
use cal_calc::import::dates::DateOrder;
use cal_calc::import::rd_pool::RdDevicePool;
use cal_calc::import::session::Session;
use cal_calc::import::{
    mostly_dormant, mostly_not_seen, parse_dormancy_days, ClassifyOptions, Field, FileKind,
    FunnelStep, ImportError, ImportOptions, RowUnit,
};
use cal_calc::named::Named;
use cal_calc::position::{money, thousands};
use cal_calc::report::CsvStyle;
use cal_calc::report::{Report, Severity};
use std::borrow::Cow;
use std::ffi::{OsStr, OsString};
use std::io::{Read, Write};
use std::process::ExitCode;

const HELP: &str =
    "cal-calc: Microsoft CAL calculator (counts, cheapest mix, Effective License Position)

USAGE:
    cal-calc evaluate FILE|- [--format json|text|csv|csv-semicolon] [--as-of YYYY-MM-DD]
    cal-calc validate FILE|-
    cal-calc import FILE|- [--kind KIND] [--column FIELD=HEADER]... EXPORT...
                    [--as-of YYYY-MM-DD] [--dormancy DAYS] [--combine]
                    [--date-order day-first|month-first] [--accounts CSV] [--devices CSV]
                    [--rd-devices-shared-by GROUP[,GROUP]... [--rd-host SERVER[,SERVER]...]]
    cal-calc prices [--format json|text]
    cal-calc catalog
    cal-calc --help | --version

COMMANDS:
    evaluate    Print the report for an estate file (JSON by default; text = readable tables;
                csv = the Effective License Position table, its Microsoft 365 seat rows and
                its total, as the app's \"Export CSV\", whose file adds a byte-order mark and
                CRLF line ends for spreadsheets; csv-semicolon = the same with semicolons
                between fields and decimal commas, for a spreadsheet in a language that writes
                decimals with a comma)
    validate    Check an estate file; prints \"FILE: ok\" or the first problem with its line and
                field
    import      Read exports (directory users, devices, usage logs, RD Licensing reports, licence
                statements, a Microsoft 365 tenant's subscriptions; CSV, or JSON from Microsoft
                Graph or ConvertTo-Json) into the estate FILE
                and print the merged estate; what each file held and the counts are written to
                standard error
    prices      The reference prices (editable estimates with date and source; text by default)
    catalog     Products, versions, suites, reference prices and rules as JSON

OPTIONS:
    --format json|text|csv|csv-semicolon
                          Output format of `evaluate` (default json)
    --as-of YYYY-MM-DD    The date to evaluate for (default: the estate's `as_of`, else today,
                          UTC): decides the current CAL versions and Software Assurance rights;
                          for `import`, the date dormancy and expiry are counted from (default
                          today); 2000-01-01 to 2099-12-31
    --dormancy DAYS       import: days without a logon after which an account is dormant (90)
    --date-order ORDER    import: day-first reads 3/4/2026 as 3 April, month-first as 4 March;
                          by default a part above 12 in the file decides, else month-first
                          (with a note); but a directory or device export is read day-first
                          (with a note) when month-first would put some of its last logons,
                          creation dates or check-ins after the date of the count and
                          day-first would put none there
    --combine             import: count every directory export together (domains of one
                          organisation) instead of the last one only
    --accounts CSV        import: also write every account with its verdict and reason to CSV
    --devices CSV         import: also write every device row of the device exports with its
                          verdict (personal, shared, network equipment…) and reason to CSV
    --rd-devices-shared-by GROUP[,GROUP]
                          import: add the devices of each per-device RD Licensing report as a
                          shared device pool used by these groups (ids or names of the estate's
                          groups, including those the import creates), with remote-desktop
                          access from them to the session host; without it the report's
                          devices are only listed in a note
    --rd-host SERVER[,SERVER]
                          import: the RD Session Host(s) those devices reach (id or name); may
                          be left out when the estate has exactly one
    --kind KIND           import: what the EXPORT named next holds, when its columns are not
                          recognised: ad-users, entra-users, devices, usage, rds-licensing or
                          licence-statement
    --column FIELD=HEADER import: read FIELD from the column HEADER of the EXPORT named next
                          (repeatable), e.g. --column account-name=Login --column enabled=Aktiviert;
                          fields: account-name, enabled, last-logon, device-name, user, server,
                          product, quantity, … (an unknown one lists those of the kind)
    -h, --help            This help
    -V, --version         The version

FILE is an estate in the JSON format of docs/estate-format.md; `-` reads standard input.
Exit status: 0 success, 1 the estate is invalid or cannot be evaluated, 2 wrong usage, an
unreadable file, or an export with rows none of which could be read (nothing written), 3 for
import an export named twice (or a copy of one): it is not added again, and the estate merged
from the others is still written.
Prices are editable reference estimates, not Microsoft's price list.";

enum Format {
    Json,
    Text,
    Csv(CsvStyle),
}

struct Failure {
    code: u8,
    message: String,
}

/// What a command writes to standard output, and the exit status it ends with: an import that
/// refused a file still writes the estate of the others, with status 3 so a script can tell
/// it from a failure (2: nothing written).
struct Done {
    out: String,
    code: u8,
}

impl From<String> for Done {
    fn from(out: String) -> Self {
        Done { out, code: 0 }
    }
}

fn usage(message: impl Into<String>) -> Failure {
    Failure {
        code: 2,
        message: format!("{} (see cal-calc --help)", message.into()),
    }
}

/// Writes to standard error, ignoring a failure: a closed pipe (`cal-calc import … 2>&1 >out.json
/// | head -1`) must not stop the command before it writes the estate (`eprint!` panics on it).
fn to_stderr(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes()).and_then(|()| err.flush());
}

/// A file named on the command line, for a message: a name that is not UTF-8 is shown with
/// U+FFFD in place of what is not.
fn named(path: &OsStr) -> Cow<'_, str> {
    path.to_string_lossy()
}

/// The estate FILE for a message: `<stdin>` for `-`.
fn stdin_or_named(file: &OsStr) -> Cow<'_, str> {
    if file == OsStr::new("-") {
        Cow::Borrowed("<stdin>")
    } else {
        named(file)
    }
}

fn main() -> ExitCode {
    // `args_os`: a file name that is not UTF-8 (`estX.json` in Latin-1) is a file like any other,
    // where `std::env::args` panicked on it.
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    if args.is_empty() {
        // No command is a usage error (scripts see it), with the help to say what to type.
        to_stderr(&format!("{HELP}\n"));
        return ExitCode::from(2);
    }
    match run(&args) {
        Ok(Done { out, code }) => {
            // A closed pipe (`cal-calc … | head`) is not an error worth a message.
            let mut stdout = std::io::stdout().lock();
            match writeln!(stdout, "{out}").and_then(|()| stdout.flush()) {
                Ok(()) => ExitCode::from(code),
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::from(code),
                Err(e) => {
                    to_stderr(&format!("cal-calc: cannot write the output: {e}\n"));
                    ExitCode::from(2)
                }
            }
        }
        Err(f) => {
            let line = f.message.replace('\n', " ");
            to_stderr(&format!("cal-calc: {}\n", shown(&line)));
            ExitCode::from(f.code)
        }
    }
}

fn run(args: &[OsString]) -> Result<Done, Failure> {
    let Some(command) = args.first() else {
        return Ok(HELP.to_string().into());
    };
    // Options and their values are text (shown lossily when they are not); only the files
    // named keep their bytes ([`OsString`]).
    let command = command.to_string_lossy();
    match command.as_ref() {
        "-h" | "--help" | "help" => return Ok(HELP.to_string().into()),
        "-V" | "--version" => {
            return match args.get(1) {
                Some(extra) => Err(usage(format!(
                    "--version takes nothing more; unexpected \"{}\"",
                    extra.to_string_lossy()
                ))),
                None => Ok(format!("cal-calc {}", env!("CARGO_PKG_VERSION")).into()),
            }
        }
        c if COMMANDS.contains(&c) => {}
        other => return Err(usage(format!("unknown command \"{other}\""))),
    }
    let command = command.as_ref();
    let mut files: Vec<&OsStr> = Vec::new();
    // How to read each file of `files` (--kind and --column name the file after them).
    let mut read_as: Vec<ImportOptions> = Vec::new();
    let mut pending = ImportOptions::default();
    let mut format: Option<Format> = None;
    let mut as_of: Option<Date> = None;
    let mut import = ImportArgs::default();
    let texts: Vec<String> = args
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let mut rest = texts.iter().zip(args).skip(1);
    while let Some((a, a_os)) = rest.next() {
        // An option the command does not use is refused, not accepted and ignored.
        let option = a.split_once('=').map_or(a.as_str(), |(o, _)| o);
        if option.starts_with('-')
            && !matches!(option, "-" | "-h" | "--help")
            && !options_of(command).contains(&option)
        {
            let owners: Vec<&str> = COMMANDS
                .into_iter()
                .filter(|c| options_of(c).contains(&option))
                .collect();
            return Err(usage(if owners.is_empty() {
                format!("{command} has no option {option}")
            } else {
                format!(
                    "{command} does not take {option}: it is an option of {}",
                    owners.join(" and ")
                )
            }));
        }
        match a.as_str() {
            "-h" | "--help" => return Ok(HELP.to_string().into()),
            "--format" => {
                let values = if command == "prices" {
                    "json or text"
                } else {
                    "json, text, csv or csv-semicolon"
                };
                format = Some(match rest.next().map(|(v, _)| v.as_str()) {
                    Some("json") => Format::Json,
                    Some("text") => Format::Text,
                    Some("csv") if command != "prices" => Format::Csv(CsvStyle::Comma),
                    Some("csv-semicolon") if command != "prices" => {
                        Format::Csv(CsvStyle::Semicolon)
                    }
                    Some(other) => {
                        return Err(usage(format!(
                            "{command} --format takes {values}, not \"{other}\""
                        )))
                    }
                    None => return Err(usage(format!("--format needs a value: {values}"))),
                })
            }
            "--as-of" => {
                let v = rest
                    .next()
                    .map(|(v, _)| v)
                    .ok_or_else(|| usage("--as-of needs a date YYYY-MM-DD"))?;
                // Spaces around the date are not part of it, as the JavaScript API reads it (API
                // review 39: " 2026-06-01" was refused here and accepted there).
                let date = Date::parse(v.trim())
                    .ok_or_else(|| usage(format!("--as-of: \"{v}\" is not a date YYYY-MM-DD")))?;
                if !COUNT_DATES.contains(&date) {
                    return Err(usage(format!(
                        "--as-of: {date} is outside {} to {}",
                        COUNT_DATES.start(),
                        COUNT_DATES.end()
                    )));
                }
                as_of = Some(date);
                import.dated = true;
            }
            "--dormancy" => {
                let v = rest
                    .next()
                    .map(|(v, _)| v)
                    .ok_or_else(|| usage("--dormancy needs a number of days"))?;
                import.dormancy = Some(
                    parse_dormancy_days(v).map_err(|why| usage(format!("--dormancy: {why}")))?,
                );
            }
            "--combine" => import.combine = true,
            "--date-order" => {
                let v = rest
                    .next()
                    .map(|(v, _)| v)
                    .ok_or_else(|| usage("--date-order needs day-first or month-first"))?;
                import.date_order = Some(DateOrder::from_name(v).ok_or_else(|| {
                    usage(format!(
                        "--date-order: \"{v}\" is not day-first or month-first"
                    ))
                })?);
            }
            "--kind" => {
                let v = rest.next().map(|(v, _)| v).ok_or_else(|| {
                    usage(format!(
                        "--kind needs one of {}",
                        FileKind::NAMES.join(", ")
                    ))
                })?;
                pending.kind = Some(FileKind::from_name(v).ok_or_else(|| {
                    usage(format!(
                        "--kind: \"{v}\" is not a kind of export; the kinds are {}",
                        FileKind::NAMES.join(", ")
                    ))
                })?);
            }
            "--column" => {
                let v = rest
                    .next()
                    .map(|(v, _)| v)
                    .ok_or_else(|| usage("--column needs FIELD=HEADER, e.g. account-name=Login"))?;
                let (field, header) = v.split_once('=').ok_or_else(|| {
                    usage(format!(
                        "--column: \"{v}\" is not FIELD=HEADER, e.g. account-name=Login"
                    ))
                })?;
                let f = Field::from_name(field.trim()).ok_or_else(|| {
                    let fields = match pending.kind {
                        Some(k) => format!(
                            "the fields of {k} are {}",
                            Field::for_kind(k)
                                .iter()
                                .map(|f| f.name())
                                .collect::<Vec<_>>()
                                .join(", "),
                            k = k.name()
                        ),
                        None => format!("the fields are {}", Field::NAMES.join(", ")),
                    };
                    usage(format!(
                        "--column: \"{}\" is not a field; {fields}",
                        field.trim()
                    ))
                })?;
                if header.trim().is_empty() {
                    return Err(usage(format!(
                        "--column {v}: name the file's column after ="
                    )));
                }
                pending.by_header.retain(|(g, _)| *g != f);
                pending.by_header.push((f, header.to_string()));
            }
            "--rd-devices-shared-by" | "--rd-host" => {
                let v = rest
                    .next()
                    .map(|(v, _)| v)
                    .ok_or_else(|| usage(format!("{a} needs a comma-separated list")))?;
                let list = v
                    .split(',')
                    .map(str::trim)
                    .filter(|x| !x.is_empty())
                    .map(str::to_string);
                if a == "--rd-host" {
                    import.rd_hosts.extend(list);
                } else {
                    import.rd_shared_by.extend(list);
                }
            }
            "--accounts" => {
                import.accounts = Some(
                    rest.next()
                        .map(|(_, path)| path.clone())
                        .ok_or_else(|| usage("--accounts needs the CSV file to write"))?,
                );
            }
            "--devices" => {
                import.devices = Some(
                    rest.next()
                        .map(|(_, path)| path.clone())
                        .ok_or_else(|| usage("--devices needs the CSV file to write"))?,
                );
            }
            s if s.starts_with("--format=") => {
                return Err(usage(
                    "write --format json, --format text or --format csv (with a space)",
                ));
            }
            s if s.starts_with('-') && s != "-" => {
                return Err(usage(format!("{command} does not take {s}")))
            }
            s => {
                if matches!(command, "prices" | "catalog") {
                    return Err(usage(format!(
                        "{command} takes no FILE; unexpected \"{s}\""
                    )));
                }
                if !files.is_empty() && command != "import" {
                    return Err(usage(format!(
                        "{command} takes one FILE only; unexpected \"{s}\""
                    )));
                }
                if files.is_empty() && command == "import" && pending != ImportOptions::default() {
                    return Err(usage(
                        "--kind and --column go before the EXPORT they describe, not before the estate FILE",
                    ));
                }
                files.push(a_os);
                read_as.push(std::mem::take(&mut pending));
            }
        }
    }
    match (command, &format) {
        ("catalog", _) => {
            return serde_json::to_string_pretty(&cal_calc::engine::catalog())
                .map(Done::from)
                .map_err(|e| Failure {
                    code: 1,
                    message: format!("cannot write the catalog: {e}"),
                })
        }
        ("prices", Some(Format::Json)) => {
            return serde_json::to_string_pretty(&cal_calc::engine::default_prices())
                .map(Done::from)
                .map_err(|e| Failure {
                    code: 1,
                    message: format!("cannot write the prices: {e}"),
                })
        }
        ("prices", _) => return Ok(prices_text().into()),
        _ => {}
    }
    let Some((&file, exports)) = files.split_first() else {
        return Err(usage(format!(
            "{command} needs a FILE (or - for standard input)"
        )));
    };
    if command == "import" && exports.is_empty() {
        return Err(usage(
            "import needs the estate FILE and at least one EXPORT",
        ));
    }
    if pending != ImportOptions::default() {
        return Err(usage(
            "--kind and --column describe the EXPORT named after them; none follows",
        ));
    }
    // The accounts file is written after the others are read: naming one of them would replace
    // it (review 39: `--accounts users.csv` overwrote the users export it had just read).
    for (option, out, what) in [
        ("--accounts", &import.accounts, "the accounts"),
        ("--devices", &import.devices, "the devices"),
    ] {
        let Some(out) = out else { continue };
        if let Some(&input) = files.iter().find(|&&f| same_file(f, out)) {
            return Err(usage(format!(
                "{option} {} names a file the command reads; writing {what} there would replace it: choose another file",
                shown(&named(input))
            )));
        }
    }
    if let (Some(a), Some(d)) = (&import.accounts, &import.devices) {
        if same_file(a, d) {
            return Err(usage(format!(
                "--accounts and --devices both name {}: choose two files",
                shown(&named(a))
            )));
        }
    }
    let source = read(file)?;
    let name = stdin_or_named(file);
    let estate = Estate::from_json(&source).map_err(|e| Failure {
        code: 1,
        message: format!("{name}: {e}"),
    })?;
    if let Err(e) = estate.validate() {
        return Err(Failure {
            code: 1,
            message: format!("{name}: {}", e.with_location(&source)),
        });
    }
    if command == "validate" {
        return Ok(format!("{}: ok", shown(&name)).into());
    }
    // A date given wins, then the estate's own count date, then today.
    let today = match as_of.or(if command == "import" {
        None
    } else {
        estate.as_of
    }) {
        Some(date) => date,
        None => today_utc()?,
    };
    if command == "import" {
        let exports: Vec<(&OsStr, ImportOptions)> = exports
            .iter()
            .copied()
            .zip(read_as.into_iter().skip(1))
            .collect();
        return import_exports(estate, &exports, today, &import);
    }
    let report = cal_calc::evaluate(&estate, today).map_err(|e| Failure {
        code: 1,
        message: format!("{name}: {e}"),
    })?;
    let out = match format.unwrap_or(Format::Json) {
        Format::Json => serde_json::to_string_pretty(&report).map_err(|e| Failure {
            code: 1,
            message: format!("cannot write the report: {e}"),
        })?,
        Format::Text => text(&report),
        // The CSV ends with its own line break; the caller adds one more.
        Format::Csv(style) => cal_calc::report::position_csv_styled(&report, None, style)
            .map(|csv| csv.trim_end().to_string())
            .map_err(|e| Failure {
                code: 1,
                message: format!("cannot write the position: {e}"),
            })?,
    };
    Ok(out.into())
}

/// The commands, and the options each uses: any other option is refused with its name and the
/// command's, not accepted and ignored (`validate --format csv` once printed "ok").
const COMMANDS: [&str; 5] = ["evaluate", "validate", "import", "prices", "catalog"];

fn options_of(command: &str) -> &'static [&'static str] {
    match command {
        "evaluate" => &["--format", "--as-of"],
        "import" => &[
            "--as-of",
            "--kind",
            "--column",
            "--dormancy",
            "--combine",
            "--date-order",
            "--accounts",
            "--devices",
            "--rd-devices-shared-by",
            "--rd-host",
        ],
        "prices" => &["--format"],
        _ => &[],
    }
}

/// Writes a list (`what`: "accounts", "devices") as CSV for a spreadsheet: the header, then each
/// row, after a UTF-8 byte order mark (without one Excel reads the file as the ANSI code page
/// and shows "MÃ¼ller" for Müller). The rows' cells are already [`cell`]ed. How many rows were
/// written.
fn write_list_csv(
    file: &OsStr,
    what: &str,
    header: &[&str],
    rows: impl Iterator<Item = Vec<String>>,
) -> Result<usize, Failure> {
    let path = named(file);
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut count = 0;
    let write = || -> Result<Vec<u8>, csv::Error> {
        w.write_record(header)?;
        for r in rows {
            w.write_record(&r)?;
            count += 1;
        }
        w.flush()?;
        let mut out = b"\xEF\xBB\xBF".to_vec();
        out.extend_from_slice(w.get_ref());
        Ok(out)
    };
    let bytes = write().map_err(|e| Failure {
        code: 1,
        message: format!("{path}: cannot write the {what}: {e}"),
    })?;
    std::fs::write(file, bytes).map_err(|e| Failure {
        code: 2,
        message: format!("{path}: cannot write: {e}"),
    })?;
    Ok(count)
}

/// Whether `a` and `b` name the same file: the same path, the same file once both are resolved,
/// or, on Unix, the same device and inode (a hard link: security review 40 overwrote an input
/// through one). A file that does not exist yet is none of the inputs.
fn same_file(a: &OsStr, b: &OsStr) -> bool {
    a == b
        || match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
            (Ok(a), Ok(b)) => a == b || same_inode(&a, &b),
            _ => false,
        }
}

#[cfg(unix)]
fn same_inode(a: &std::path::Path, b: &std::path::Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_inode(_: &std::path::Path, _: &std::path::Path) -> bool {
    false
}

/// The options of `import`.
#[derive(Default, PartialEq)]
struct ImportArgs {
    dormancy: Option<u32>,
    combine: bool,
    date_order: Option<DateOrder>,
    accounts: Option<OsString>,
    /// Where to write the device rows with their verdicts (`--devices`).
    devices: Option<OsString>,
    /// Whether --as-of was given (else the count is as of today).
    dated: bool,
    /// Groups using the devices of per-device RD Licensing reports (a shared device pool).
    rd_shared_by: Vec<String>,
    /// The session hosts those devices reach.
    rd_hosts: Vec<String>,
}

/// Reads each export the way the browser's import does (the same session, in chunks), reports
/// what each held and what it counts to standard error, and returns the merged estate, with
/// exit status 3 when an export was refused as one read already.
fn import_exports(
    estate: Estate,
    exports: &[(&OsStr, ImportOptions)],
    today: Date,
    args: &ImportArgs,
) -> Result<Done, Failure> {
    if args.rd_shared_by.is_empty() && !args.rd_hosts.is_empty() {
        return Err(usage(
            "--rd-host goes with --rd-devices-shared-by: say which groups work at the devices",
        ));
    }
    let mut session = Session::new();
    // The date of the count is known before the files are read: a statement's notes can name
    // what contradicts it.
    session.set_as_of(Some(today));
    let mut log = String::new();
    let mut refused = 0usize;
    for (file, read_as) in exports {
        let file = *file;
        // The file's name as the session, the messages and the estate's notes give it.
        let path = named(file);
        let path = path.as_ref();
        let cannot = |e: std::io::Error| Failure {
            code: 2,
            message: format!("{path}: cannot read: {e}"),
        };
        // Read a megabyte at a time, as the app reads a file: the file's bytes are not held
        // whole beside the text and the rows read from them (docs/import.md has the figures).
        let mut input = std::fs::File::open(file).map_err(cannot)?;
        session.begin(read_as.clone());
        let mut chunk = vec![0u8; 1 << 20];
        let read = loop {
            match input.read(&mut chunk) {
                Ok(0) => break session.finish(path),
                Ok(n) => {
                    if let Err(e) = session.push(&chunk[..n]) {
                        break Err(e);
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(cannot(e)),
            }
        };
        // The same file named twice (or a copy of one) is not added again: the count stays
        // right, so it is said and the others are read; the exit status tells a script that
        // the command line named a file it did not use.
        if let Err(e @ ImportError::SameFile { .. }) = &read {
            log += &format!("{}\n", shown(&e.to_string()));
            refused += 1;
            continue;
        }
        // An export that cannot be read is an unreadable file (exit 2, as --help says).
        let summary = read.map_err(|e| Failure {
            code: 2,
            message: if e.header().is_empty() {
                format!("{path}: {e}")
            } else {
                format!("{path}: {e} On the command line: --kind KIND and --column FIELD=HEADER before the file.")
            },
        })?;
        // An export with rows none of which could be read holds nothing to count: writing an
        // estate without it would look like a success (review 20).
        let unit = RowUnit::of(summary.json);
        if summary.rows > 0 && summary.error_count >= summary.rows {
            let first = summary
                .errors
                .first()
                .map(|e| format!(" ({}: {})", unit.at(e.line), e.message))
                .unwrap_or_default();
            return Err(Failure {
                code: 2,
                message: format!(
                    "{path}: {} could be read{first}; nothing is written. Check that it is the export meant, or name its kind and columns with --kind and --column.",
                    if summary.rows == 1 {
                        "its one row not".to_string()
                    } else {
                        format!("none of its {} rows", thousands(summary.rows))
                    }
                ),
            });
        }
        log += &format!(
            "{}: {}, {}{} {}",
            shown(path),
            summary.kind_label,
            if summary.json { "JSON, " } else { "" },
            thousands(summary.rows),
            match (summary.json, summary.rows == 1) {
                (false, true) => "row",
                (false, false) => "rows",
                (true, true) => "object",
                (true, false) => "objects",
            }
        );
        if summary.error_count > 0 {
            log += &format!(", {} not read", thousands(summary.error_count));
        }
        if !summary.ignored.is_empty() {
            log += &match summary.ignored.len() {
                1 => ", 1 not a CAL (left out)".to_string(),
                n => format!(", {} not CALs (left out)", thousands(n as u64)),
            };
        }
        for e in summary.errors.iter().take(3) {
            log += &format!("\n  {}: {}", unit.at(e.line), shown(&e.message));
        }
        if summary.error_count > 3 {
            log += &format!(
                "\n  … and {} more rows not read",
                thousands(summary.error_count - 3)
            );
        }
        // Each row left out as not a CAL, as the app lists them: a licence the user expected
        // to count is then found by its line.
        for (line, text) in &summary.ignored {
            log += &format!(
                "\n  {}: not a CAL, left out: {}",
                unit.at(*line),
                shown(text)
            );
        }
        for n in &summary.notes {
            log += &format!("\n  note: {}", shown(n));
        }
        log.push('\n');
    }
    let mut opts = ClassifyOptions::new(today);
    if let Some(d) = args.dormancy {
        opts.dormancy_days = d;
    }
    opts.combine_directories = args.combine;
    opts.date_order = args.date_order;
    let overview = session.overview(&opts);
    if let Some(a) = &overview.accounts {
        if let Some(e) = &a.combine_error {
            log += &format!(
                "the directory exports were not counted together: {}\n",
                shown(&e.to_string())
            );
        }
        for note in &a.date_order_notes {
            log += &format!("note: {}\n", shown(note));
        }
        if a.date_order_assumed {
            log += "note: the dates do not say whether 3/4 is 3 April or 4 March; read month-first (US): pass --date-order day-first if that is wrong\n";
        }
        log += &format!("accounts ({}):\n", shown(&a.files.join(", ")));
        log += &funnel_lines(&a.funnel);
        if let Some((dormant, before)) = mostly_dormant(&a.funnel) {
            // Review 24: without --as-of an export made weeks ago came out all dormant, the
            // estate had no groups, and nothing said why (the app warns: the same rule).
            log += &format!(
                "warning: {}: {}\n",
                cal_calc::import::mostly_dormant_text(dormant, before, opts.dormancy_days, today),
                as_of_advice(args.dated)
            );
        }
        if a.near_the_line > 0 {
            log += &format!(
                "note: {}\n",
                cal_calc::import::near_the_line_text(a.near_the_line)
            );
        }
        if !a.groups.is_empty() {
            let kinds: Vec<String> = a
                .groups
                .iter()
                .map(|(k, n)| {
                    format!(
                        "{} {}{}",
                        k.name(),
                        thousands(u64::from(*n)),
                        if k.is_external() { " (external)" } else { "" }
                    )
                })
                .collect();
            log += &format!("people by kind: {}\n", kinds.join(", "));
        }
        if let Some(plans) = cal_calc::import::plans_text(a) {
            log += &format!("microsoft 365: {plans}\n");
        }
        let left_out = (a.exports as usize).saturating_sub(a.files.len());
        if left_out > 0 {
            // Review 14: a parenthesis under the funnel was all that said a whole export was
            // dropped.
            log += &format!(
                "warning: {left_out} earlier directory export{} left out: only the last one, {}, counts; pass --combine to count them together (one person's accounts across them are merged)\n",
                if left_out == 1 { " is" } else { "s are" },
                shown(&a.files.join(", "))
            );
        }
    }
    if let Some(d) = &overview.devices {
        // The device funnel and the split the app shows (review 24: only personal, shared and
        // unattended were printed, so an AD computer export read "0, 0, 0" for its 7 clients).
        log += "devices:\n";
        log += &funnel_lines(&d.funnel);
        log += &format!(
            "devices counted: {}\n",
            cal_calc::import::device_split_text(d)
        );
        if let Some((stale, before)) = mostly_not_seen(&d.funnel) {
            log += &format!(
                "warning: {}: {}\n",
                cal_calc::import::mostly_not_seen_text(stale, before, opts.dormancy_days, today),
                as_of_advice(args.dated)
            );
        }
    }
    if let Some(u) = &overview.usage {
        log += &format!(
            "usage: {} users, {} devices, {} servers in {} distinct links",
            u.users, u.devices, u.servers, u.links
        );
        if u.rds_per_user + u.rds_per_device > 0 {
            log += &format!(
                "; RD Licensing: {} per-user and {} per-device RDS CALs issued",
                u.rds_per_user, u.rds_per_device
            );
        }
        log.push('\n');
    }
    if let Some(file) = &args.accounts {
        let page = session.accounts(&opts, "", None, 0, u32::MAX);
        // A users export with a licences column gives each account's Microsoft 365 plan, a
        // column of its own to sort and filter by in a spreadsheet.
        let plans = overview
            .accounts
            .as_ref()
            .is_some_and(|a| !a.licences_column.is_empty());
        let rows = page.rows.iter().map(|r| {
            let mut row = vec![
                cell(&r.file).into_owned(),
                r.line.to_string(),
                cell(&r.key).into_owned(),
                cell(&r.display_name).into_owned(),
                r.status.name().to_string(),
                r.kind.name().to_string(),
            ];
            if plans {
                row.push(r.plan.map_or("", |p| p.name()).to_string());
            }
            row.push(cell(&r.reason).into_owned());
            row
        });
        let mut header = vec![
            "File",
            line_header(page.rows.iter().map(|r| r.unit)),
            "Account",
            "Display name",
            "Status",
            // The kind an account counts as, or would if counted (the app's "Kind of"
            // override starts from it): not a claim that a disabled account is an employee.
            "Kind if counted",
        ];
        if plans {
            header.push("Microsoft 365 plan");
        }
        header.push("Reason");
        let written = write_list_csv(file, "accounts", &header, rows)?;
        log += &format!("{written} accounts written to {}\n", shown(&named(file)));
    }
    if let Some(file) = &args.devices {
        let devices = session.devices(&opts);
        let line = line_header(devices.iter().map(|r| r.unit));
        let rows = devices.into_iter().map(|r| {
            vec![
                cell(&r.file).into_owned(),
                r.line.to_string(),
                cell(&r.name).into_owned(),
                r.status.name().to_string(),
                cal_calc::import::session::device_status_label(r.status).to_string(),
                cell(&r.reason).into_owned(),
            ]
        });
        let header = ["File", line, "Device", "Status", "Verdict", "Reason"];
        let written = write_list_csv(file, "devices", &header, rows)?;
        log += &format!("{written} device rows written to {}\n", shown(&named(file)));
    }
    let applied = session.apply(estate, &opts);
    let s = &applied.summary;
    if s.usage_links > 0 {
        log += &format!(
            "usage written to the estate: {} people, {} devices, {} links\n",
            s.usage_people, s.usage_devices, s.usage_links
        );
    }
    for (what, list) in [
        ("groups created", &s.groups_created),
        ("groups updated", &s.groups_updated),
        ("device pools created", &s.pools_created),
        ("device pools updated", &s.pools_updated),
        (
            "servers in the usage data that match none of the estate (left out)",
            &s.unmatched_servers,
        ),
    ] {
        if !list.is_empty() {
            log += &format!("{what}: {}\n", shown(&list.join(", ")));
        }
    }
    if s.holdings_added + s.holdings_updated + s.holdings_removed > 0 {
        log += &format!(
            "holdings: {} added, {} updated{}\n",
            s.holdings_added,
            s.holdings_updated,
            if s.holdings_removed > 0 {
                format!(
                    ", {} replaced by the statement's lots of the same licence",
                    s.holdings_removed
                )
            } else {
                String::new()
            }
        );
    }
    for n in &s.notes {
        log += &format!("note: {}\n", shown(n));
    }
    if !s.applied {
        to_stderr(&shown_lines(&log));
        return Err(Failure {
            code: 1,
            message: "the import was not applied (see the note above); the estate is not written"
                .into(),
        });
    }
    let mut estate = applied.estate;
    if !args.rd_shared_by.is_empty() {
        let reports = session.rd_device_reports();
        if reports.is_empty() {
            return Err(usage(
                "--rd-devices-shared-by: no export is a per-device RD Licensing report (with a CAL not expired before the date of the count)",
            ));
        }
        for (file, _) in reports {
            let choice = RdDevicePool {
                file: file.clone(),
                shared_by: args.rd_shared_by.clone(),
                hosts: args.rd_hosts.clone(),
            };
            let pool = session
                .add_rd_device_pool(estate.clone(), &choice)
                .map_err(|e| Failure {
                    code: 2,
                    message: format!("--rd-devices-shared-by: {file}: {e}"),
                })?;
            let p = &pool.summary;
            log += &format!(
                "shared device pool {} {}: {} devices of {}, used by {}, reaching {} with Remote Desktop{}\n",
                shown(&p.id),
                if p.replaced { "replaced" } else { "added" },
                p.count,
                shown(&file),
                shown(&p.shared_by.join(", ")),
                shown(&p.hosts.join(", ")),
                if p.access_added {
                    " (access rule added: everyone in those groups now reaches the hosts with Remote Desktop, from all their devices)"
                } else {
                    ""
                }
            );
            for n in &p.notes {
                log += &format!("note: {}\n", shown(n));
            }
            estate = pool.estate;
        }
    }
    let out = cal_calc::share::to_file(&estate).map_err(|e| {
        to_stderr(&shown_lines(&log));
        Failure {
            code: 1,
            message: format!("cannot write the estate: {e}"),
        }
    })?;
    if refused > 0 {
        log += &format!(
            "cal-calc: {refused} export{} not added again (named twice, or a copy of one read already); the estate written counts the others (exit status 3)\n",
            if refused == 1 { " was" } else { "s were" }
        );
    }
    to_stderr(&shown_lines(&log));
    Ok(Done {
        out,
        code: if refused > 0 { 3 } else { 0 },
    })
}

/// A funnel as lines under its heading: step, removed, remaining and the step's rule. Steps that
/// removed nothing (a decision only the app's account list can make, or no accounts of one
/// person to merge) are left out; the first line is the total, and the last line shown ends at
/// what is counted.
fn funnel_lines(funnel: &[FunnelStep]) -> String {
    let mut out = String::new();
    let width = funnel
        .iter()
        .map(|s| shown(&s.label).chars().count())
        .fold(40, usize::max);
    for (i, step) in funnel.iter().enumerate() {
        if step.removed == 0 && i != 0 {
            continue;
        }
        let removed = if step.removed > 0 {
            format!("-{}", thousands(u64::from(step.removed)))
        } else {
            String::new()
        };
        out += &format!(
            "  {:<width$} {:>8} {:>8}  {}\n",
            shown(&step.label),
            removed,
            thousands(u64::from(step.remaining)),
            shown(&step.rule)
        );
    }
    out
}

/// What to do when most accounts or devices come out dormant: the date of the count is most
/// likely not the day the export was made.
fn as_of_advice(dated: bool) -> &'static str {
    if dated {
        "check --as-of: it should be the day the export was made"
    } else {
        "no --as-of was given, so they are counted as of today; pass --as-of YYYY-MM-DD, the day the export was made"
    }
}

fn read(file: &OsStr) -> Result<String, Failure> {
    let name = stdin_or_named(file);
    let bytes = if file == OsStr::new("-") {
        let mut b = Vec::new();
        std::io::stdin().read_to_end(&mut b).map_err(|e| Failure {
            code: 2,
            message: format!("<stdin>: cannot read: {e}"),
        })?;
        b
    } else {
        std::fs::read(file).map_err(|e| Failure {
            code: 2,
            message: format!("{name}: cannot read: {e}"),
        })?
    };
    // Read as the app reads a file it imports: UTF-8 or UTF-16 with a byte-order mark.
    cal_calc::estate::file_text(&bytes).map_err(|e| Failure {
        code: 1,
        message: format!("{name}: {e}"),
    })
}

/// Today's date in UTC from the system clock (the engine itself never reads the clock), or an
/// error when the clock gives no date a count can be made for: a fixed date in its place would
/// count for a day nobody chose, silently.
fn today_utc() -> Result<Date, Failure> {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()
        .and_then(|d| i64::try_from(d.as_secs() / 86_400).ok())
        .and_then(cal_calc::import::dates::from_days)
        .filter(|d| COUNT_DATES.contains(d))
        .ok_or_else(|| {
            usage("this machine's clock does not give a valid date; pass --as-of YYYY-MM-DD")
        })
}

/// The reference prices as a table.
fn prices_text() -> String {
    let rows: Vec<Vec<String>> = cal_calc::engine::default_prices()
        .iter()
        .map(|p| {
            vec![
                catalog::short_name(p.item.product).to_string(),
                catalog::kind_label(p.item.kind).to_string(),
                p.amount_minor
                    .map_or("no price found".to_string(), |a| money(a, p.currency)),
                if p.date.is_empty() {
                    "-".to_string()
                } else {
                    p.date.to_string()
                },
                p.source.to_string(),
            ]
        })
        .collect();
    format!(
        "Reference prices (USD): estimates from public pages, not Microsoft's price list. Replace them with your own in organisation.prices.\n\n{}",
        table(
            &[
                ("Product", Left),
                ("Kind", Left),
                ("Price", Right),
                ("Date", Left),
                ("Source", Left),
            ],
            &rows
        )
    )
}

/// How a column's cells line up.
#[derive(Clone, Copy, PartialEq)]
enum Align {
    /// Names and labels, versions included ("2022", "SE", "2012 R2" are names of releases).
    Left,
    /// Counts and amounts, and the words that stand in for one ("no price", "?", "never").
    Right,
}
use Align::{Left, Right};

/// A plain table: columns padded to their widest cell, each aligned as a whole (one column's
/// cells never mix left and right: "SE" once sat left of "2022" right-aligned).
fn table(head: &[(&str, Align)], rows: &[Vec<String>]) -> String {
    // Cells carry names the user wrote (groups, servers): shown, not run by the terminal.
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| shown(c).into_owned()).collect())
        .collect();
    let rows = rows.as_slice();
    let mut w: Vec<usize> = head.iter().map(|h| h.0.chars().count()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            if let Some(x) = w.get_mut(i) {
                *x = (*x).max(c.chars().count());
            }
        }
    }
    let line = |cells: Vec<&str>| -> String {
        let mut out = String::from("  ");
        for (i, c) in cells.iter().enumerate() {
            let width = w.get(i).copied().unwrap_or(0);
            let pad = width.saturating_sub(c.chars().count());
            if head.get(i).is_some_and(|h| h.1 == Right) {
                out.push_str(&" ".repeat(pad));
                out.push_str(c);
            } else {
                out.push_str(c);
                out.push_str(&" ".repeat(pad));
            }
            out.push_str("  ");
        }
        out.trim_end().to_string()
    };
    let mut out = vec![line(head.iter().map(|h| h.0).collect())];
    out.push(format!(
        "  {}",
        w.iter()
            .map(|n| "-".repeat(*n))
            .collect::<Vec<_>>()
            .join("  ")
    ));
    for r in rows {
        out.push(line(r.iter().map(String::as_str).collect()));
    }
    out.join("\n")
}

fn text(r: &Report) -> String {
    let cur = r.currency.as_str();
    let mut out = Vec::new();
    let name = if r.estate_name.is_empty() {
        "(unnamed estate)"
    } else {
        r.estate_name.as_str()
    };
    out.push(format!(
        "{}: CAL report as of {} ({cur})",
        shown(name),
        r.as_of
    ));
    out.push(String::new());
    let rec = &r.recommendation;
    // An item without a price leaves the total open, as in the scenarios below (review 18: the
    // header read "$305.00" over an AD RMS line of unknown cost).
    let open_cost = |t: i64, missing: bool| match (t, missing) {
        (0, true) => "?".to_string(),
        (t, true) => format!("{} + ?", money(t, cur)),
        (t, false) => money(t, cur),
    };
    out.push(format!(
        "RECOMMENDATION: buy for {}{}",
        open_cost(rec.total_minor, rec.lines.iter().any(|l| l.price_missing)),
        if rec.exact {
            " (proven least cost, servers licensed as entered)".to_string()
        } else {
            format!(
                " (not proven optimal: at most {} cheaper possible)",
                money(rec.gap_minor, cur)
            )
        }
    ));
    // What the total leaves out, as its why says (review 20).
    for (_, caveat) in cal_calc::report::total_caveats(&r.findings) {
        out.push(format!("  NOTE: {caveat}"));
    }
    let open = r
        .findings
        .iter()
        .filter(|f| f.needs_more_than_the_purchase())
        .count();
    if open > 0 {
        out.push(format!(
            "  NOT COMPLIANT AS ENTERED: {} under FINDINGS {} more than this purchase",
            if open == 1 {
                "1 critical finding".to_string()
            } else {
                format!("{open} critical findings")
            },
            if open == 1 { "needs" } else { "need" }
        ));
    }
    if let Some(f) = r.largest_saving() {
        out.push(format!(
            "  POSSIBLE SAVING: {} {} (see FINDINGS)",
            money(f.saving_minor.unwrap_or(0), cur),
            shown(&f.saving_action())
        ));
    }
    if rec.lines.is_empty() {
        out.push("  nothing to buy".into());
    } else {
        let rows: Vec<Vec<String>> = rec
            .lines
            .iter()
            .map(|l| {
                vec![
                    catalog::licence_name(l.product, &l.version, l.kind, 2),
                    thousands(l.quantity),
                    if l.price_missing {
                        "no price".into()
                    } else {
                        money(l.unit_minor, cur)
                    },
                    if l.price_missing {
                        "?".into()
                    } else {
                        money(l.cost_minor, cur)
                    },
                ]
            })
            .collect();
        out.push(table(
            &[
                ("Buy", Left),
                ("Qty", Right),
                ("Unit", Right),
                ("Cost", Right),
            ],
            &rows,
        ));
    }
    out.push(String::new());
    out.push("PRODUCTS (cheapest mix)".into());
    // CAL Suite licences covering a product, in a column of their own when there are any: the
    // product's own CALs are then 0 for those the suites license.
    let suites = r.products.iter().any(|p| p.suite_licences.value > 0);
    let rows: Vec<Vec<String>> = r
        .products
        .iter()
        .map(|p| {
            let mut row = vec![
                catalog::short_name(p.product).to_string(),
                // No version when nothing needs the product's CALs (a pay-as-you-go host).
                if p.required_version.is_empty() {
                    "-".into()
                } else {
                    p.required_version.clone()
                },
                thousands(p.people.value),
                thousands(p.external_people.value),
                thousands(p.devices.value),
                thousands(p.exempt.value),
                thousands(p.user_cals.value),
                thousands(p.device_cals.value),
                thousands(p.external_connectors.value),
            ];
            if suites {
                row.push(thousands(p.suite_licences.value));
            }
            row.push(open_cost(
                p.cost_minor,
                rec.lines
                    .iter()
                    .any(|l| l.product == p.product && l.price_missing),
            ));
            row
        })
        .collect();
    let mut heads = vec![
        ("Product", Left),
        ("Version", Left),
        ("People", Right),
        ("External", Right),
        ("Devices", Right),
        ("No CAL needed", Right),
        ("User CALs", Right),
        ("Device CALs", Right),
        ("ECs", Right),
    ];
    if suites {
        heads.push(("Via suites", Right));
    }
    heads.push(("To buy", Right));
    out.push(table(&heads, &rows));
    // Owned suites' holders are among the User and Device CALs (review 45: the column read as
    // every suite, while it counts those bought).
    let suites_used = r
        .position
        .iter()
        .any(|p| catalog::is_suite(p.product) && p.used > 0);
    if suites && suites_used {
        out.push(
            "  Via suites: the CAL Suites bought; the holders of owned suites are among the User and Device CALs, as their parts count as owned CALs.".into(),
        );
    }
    out.push(String::new());
    out.push("EFFECTIVE LICENSE POSITION".into());
    let rows: Vec<Vec<String>> = r
        .position
        .iter()
        .map(|p| {
            vec![
                catalog::short_name(p.product).to_string(),
                catalog::kind_label(p.kind).to_string(),
                if p.version.is_empty() {
                    "-".into()
                } else {
                    p.version.clone()
                },
                thousands(p.owned),
                thousands(p.used),
                thousands(p.surplus),
                thousands(p.needed),
                thousands(p.covered),
                thousands(p.shortfall),
                if p.price_missing {
                    "?".into()
                } else {
                    money(p.cost_to_close_minor, cur)
                },
            ]
        })
        .collect();
    out.push(table(
        &[
            ("Product", Left),
            ("Kind", Left),
            ("Version", Left),
            ("Owned", Right),
            ("Used", Right),
            ("Surplus", Right),
            ("Needed", Right),
            ("Covered", Right),
            ("Shortfall", Right),
            ("Cost to close", Right),
        ],
        &rows,
    ));
    // The Microsoft 365 seats against the people who use them as CAL equivalents, each row's
    // why under the table: it says what the figures rest on (a seat count taken from the flags,
    // a channel whose seats are not counted as CALs).
    if !r.seats.is_empty() {
        out.push(String::new());
        out.push("MICROSOFT 365 SEATS (CAL equivalents; the CALs of those counted for CALs instead are in the position above)".into());
        let rows: Vec<Vec<String>> = r
            .seats
            .iter()
            .map(|s| {
                vec![
                    s.plan_label().to_string(),
                    if s.stated {
                        thousands(s.owned)
                    } else {
                        format!("{} (as flagged)", thousands(s.owned))
                    },
                    thousands(s.flagged),
                    if s.withheld {
                        "0 (not CALs)".into()
                    } else {
                        thousands(s.seated)
                    },
                    thousands(s.unseated),
                    thousands(s.unused),
                ]
            })
            .collect();
        out.push(table(
            &[
                ("Plan", Left),
                ("Seats owned", Right),
                ("People flagged", Right),
                ("Seated", Right),
                ("Counted for CALs instead", Right),
                ("Unused seats", Right),
            ],
            &rows,
        ));
        for s in &r.seats {
            out.push(format!("  {}", shown(&s.why.text)));
        }
    }
    out.push(String::new());
    out.push("SCENARIOS".into());
    let rows: Vec<Vec<String>> = r
        .scenarios
        .iter()
        .map(|s| {
            vec![
                s.label.clone(),
                // As a purchase line with no price shows "?" (its why names the items).
                if s.total_minor < 0 {
                    "not possible".into()
                } else {
                    open_cost(s.total_minor, s.price_missing)
                },
            ]
        })
        .collect();
    out.push(table(&[("Scenario", Left), ("To buy", Right)], &rows));
    if !r.findings.is_empty() {
        out.push(String::new());
        out.push("FINDINGS".into());
        for f in &r.findings {
            let sev = match f.severity {
                Severity::Critical => "CRITICAL",
                Severity::Warning => "warning",
                Severity::Info => "info",
            };
            out.push(format!("  [{sev}] {} ({})", shown(&f.message), f.rule));
        }
    }
    if !r.breakevens.is_empty() {
        out.push(String::new());
        out.push("BREAK-EVENS".into());
        let rows: Vec<Vec<String>> = r
            .breakevens
            .iter()
            .map(|b| {
                vec![
                    b.kind.name().to_string(),
                    b.shown_subject().to_string(),
                    thousands(b.current),
                    if b.threshold == cal_calc::report::NEVER {
                        "never".into()
                    } else {
                        thousands(b.threshold)
                    },
                    format!("{} {}", b.option_a, money(b.option_a_minor, cur)),
                    format!("{} {}", b.option_b, money(b.option_b_minor, cur)),
                ]
            })
            .collect();
        out.push(table(
            &[
                ("Kind", Left),
                ("Subject", Left),
                ("Now", Right),
                ("Threshold", Right),
                ("Option A (now)", Left),
                ("Option B (now)", Left),
            ],
            &rows,
        ));
        for b in r.breakevens.iter().filter(|b| !b.note.is_empty()) {
            out.push(format!(
                "  Note on {}: {}.",
                b.shown_subject(),
                shown(&b.note)
            ));
        }
    }
    out.push(String::new());
    out.push(format!("PRICES: {}", shown(&r.prices_note)));
    out.push(String::new());
    out.push("RULES".into());
    for rule in &r.rules {
        out.push(format!(
            "  {} [{}]: {} ({})",
            rule.id, rule.confidence, rule.sentence, rule.source
        ));
    }
    out.join("\n")
}

/// A cell of the accounts CSV as a spreadsheet should show it: text starting with `=`, `+`, `-`,
/// `@`, a tab or a carriage return gets a leading apostrophe, so that a display name such as
/// `=HYPERLINK(…)` from the directory is shown, not run as a formula (OWASP, CSV injection).
fn cell(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Text the user or a file controls (names in the estate, cells of an export, file names) as a
/// terminal should show it: a control character (C0 with the line break, DEL, C1) or a
/// bidirectional override written visibly as `\u{1b}`, so an escape sequence in a group name
/// cannot recolour, retitle or overwrite the report (a carriage return once printed a fake row
/// "buy 0 CALs" over a real one). JSON is escaped by serde and CSV cells stay data: only the
/// readable text and the messages on standard error go through this.
fn shown(text: &str) -> std::borrow::Cow<'_, str> {
    let hidden =
        |c: char| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !text.contains(hidden) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hidden(c) {
            out += &format!("\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The messages for standard error, the lines the CLI itself broke kept, anything else hidden
/// in them shown as [`shown`] does (a safety net under the names already shown).
fn shown_lines(log: &str) -> String {
    log.split('\n').map(shown).collect::<Vec<_>>().join("\n")
}

/// The header of the lists' column of row numbers: "Line", or "Line or object" when a row comes
/// from a JSON file, whose rows are numbered by object.
fn line_header(mut units: impl Iterator<Item = RowUnit>) -> &'static str {
    if units.any(|u| u == RowUnit::Object) {
        "Line or object"
    } else {
        "Line"
    }
}
