//! The Import panel: directory, device, usage and licence exports read in a Web Worker
//! (`www/import-worker.js` running [`crate::import_api::ImportSession`]), so the page stays
//! responsive and nothing imported leaves the browser. It shows each file as read (kind,
//! encoding, rows, unreadable rows with their line), a column-mapping editor, the funnel from
//! accounts to people with the reason for every account, the user's overrides, and merges the
//! result into the estate with [`crate::import::apply_to`] (through the worker).
//!
//! No count is computed here: the funnels, reasons and the merged estate come from the worker.

use crate::engine::COUNT_DATES;
use crate::estate::{Date, Estate, PersonKind};
use crate::import::columns::{ColumnMapping, Field, FileKind};
use crate::import::dates::DateOrder;
use crate::import::directory::{
    override_for, parse_dormancy_days, AccountOverride, ClassifyOptions, Status,
};
use crate::import::rd_pool::RdDevicePool;
use crate::import::session::{
    AccountPage, Applied, DevicePage, FileSummary, Overview, PoolApplied,
};
use crate::import::{column_choice, ImportOptions, RowUnit};
use crate::named::Named;
use crate::ui::browser;
use crate::ui::format;
use crate::ui::state::Latest;
use crate::vecmap::{VecMap, VecSet};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{HtmlInputElement, HtmlSelectElement, MessageEvent, Worker};
use yew::prelude::*;

/// The slot's contract (`components/import_slot.rs`): the estate in; the estate with the import
/// applied out through `on_import`, with what it went into; messages through `on_error`.
#[derive(Properties, PartialEq)]
pub struct ImportPanelProps {
    /// Read when the user applies an import.
    pub estate: Latest<Rc<Estate>>,
    /// How many times another estate has taken the place of the one shown
    /// ([`AppState::loads`](crate::ui::state::AppState)): an import being applied, or the
    /// question of how to apply it, belongs to the estate it was asked of.
    #[prop_or_default]
    pub loads: u64,
    pub on_import: Callback<(Estate, ImportInto)>,
    pub on_error: Callback<String>,
}

/// What an import was applied to. The user's own people must never be counted together with the
/// sample's invented firm (review 14: an AD export applied on a first visit came out as the
/// sample company plus the user's staff), and an estate the user entered is replaced or added to
/// only when they say which.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportInto {
    /// Added to the estate the user has.
    Current,
    /// An empty estate (same currency, own prices and readings) in place of the user's.
    Empty,
    /// An empty estate in place of the untouched sample.
    InsteadOfSample,
}

/// `estate` with everyone, every server and every holding taken out (as "Start empty" does):
/// what an import that replaces the estate is applied to.
pub fn emptied(estate: &Estate) -> Estate {
    let mut e = estate.clone();
    crate::ui::state::Edit::StartEmpty.apply(&mut e);
    e
}

/// What the panel says about where imported data goes. Usage links carry account names and client
/// IP addresses into the estate, which this browser saves and the JSON export writes out, and the
/// report's why texts name the accounts (privacy review: the printout did, unsaid); Keep and
/// share's control removes them.
const PRIVACY_NOTE: &str = "Active Directory or Entra ID user exports, computer and device inventories, usage logs (User Access Logging, logon events, RD Licensing reports), licence statements and a Microsoft 365 tenant's subscriptions, as CSV, or as JSON (a Microsoft Graph response, ConvertTo-Json). Files are read here, in this browser, by a background worker: nothing you import is sent anywhere. Applying puts the counts in the estate and, from usage logs, the usage links themselves: account names and client devices (names or IP addresses) per server. Those links are saved in this browser with the estate and are in its JSON export; they are never put in a share link. The report's “why” texts name those accounts too, on screen and in the printout or PDF. “Remove imported account and device names” in Keep and share takes them out of the estate, of the estate kept for Restore and of this browser, keeping the counts.";

/// A licence owned, as the "Licences owned" list shows it: "20 Windows Server 2022 Device CALs",
/// with its Software Assurance as of `today`, the date of the count: "Software Assurance ended
/// 2024-12-31", "with Software Assurance to 2027-06-30" (review 22: an SA that had ended read
/// "with Software Assurance").
fn holding_text(h: &crate::estate::Holding, today: Date) -> String {
    let sa = match &h.software_assurance {
        None => String::new(),
        Some(sa) => match sa.until {
            Some(end) if end < today => format!(", Software Assurance ended {end}"),
            Some(end) => format!(", with Software Assurance to {end}"),
            None => ", with Software Assurance".to_string(),
        },
    };
    format!(
        "{} {}{sa}",
        format::count(u64::from(h.quantity)),
        crate::catalog::licence_name(h.product, &h.version, h.kind, u64::from(h.quantity)),
    )
}

/// Accounts per page of the account list.
const PAGE: u32 = 50;

#[derive(Debug, Clone, PartialEq)]
enum FileState {
    Reading {
        bytes: f64,
        total: f64,
        rows: f64,
    },
    Read(Box<FileSummary>),
    /// The message, and the file's header when its columns are the problem (so the editor can
    /// map them).
    Failed(String, Vec<String>),
    /// Not added: its bytes are those of a file read already (the message names it), which
    /// would count twice. The earlier file's row and reading stay as they were.
    Duplicate(String),
    /// Not an export at all (an estate file dropped here): the message says where it goes, and
    /// there is nothing to map, so only "Remove from the list" is offered.
    NotAnExport(String),
    Cancelled,
}

#[derive(Debug, Clone, PartialEq)]
struct FileRow {
    name: String,
    state: FileState,
    /// A licence statement that a later one (named here) took the place of, as a corrected or
    /// newer download of it. Which directory export counts is the overview's (`held`).
    replaced_by: Option<String>,
    /// How the file was last asked to be read (the kind and columns the user chose).
    options: ImportOptions,
    /// The number of its last reading ([`Bridge::reads`]), which the worker's messages about
    /// it carry: two rows may have one name (a file dropped again).
    read: u32,
    /// While the file is read again with other columns, its earlier reading: the worker counts
    /// it until the new one takes its place, so the row shows it again should the new reading
    /// fail or be cancelled (race review 35: the row said "Cancelled." or the failure while
    /// the earlier reading was still counted).
    earlier: Option<Box<FileSummary>>,
    /// Why the last reading again failed, the earlier reading counting still.
    again_failed: Option<String>,
}

fn is_directory(kind: FileKind) -> bool {
    matches!(kind, FileKind::AdUsers | FileKind::EntraUsers)
}

/// What an account page answers: the options, the search, the verdict shown, the offset, whether
/// anything was read and how many accounts the funnel starts from.
type PageQuestion = (ClassifyOptions, String, String, u32, bool, Option<u32>);

#[derive(Debug, Clone, PartialEq)]
struct PanelState {
    files: Vec<FileRow>,
    overview: Option<Overview>,
    page: AccountPage,
    /// The number of the request `page` answers: a page of no account is said only when it
    /// answers the last request, for the question as it is now (after "Forget", the empty
    /// session's page came before the next file's).
    page_answers: u32,
    query: String,
    status: String,
    offset: u32,
    opts: ClassifyOptions,
    /// The file whose columns are being edited, with the mapping so far.
    editing: Option<(usize, ColumnMapping, Option<FileKind>)>,
    /// What the user typed in "Dormant after (days)" while it is not a valid number of days, with
    /// why (the value in `opts` stays in use).
    dormancy_input: Option<(String, String)>,
    /// What the user typed in "Counts as of" while it is no date that can be used (a year being
    /// typed goes through 0002, 0020, 0202), with why (the date in `opts` stays in use): the
    /// field keeps it, not the date counted, so the next digit goes on from what was typed.
    as_of_error: Option<(String, String)>,
    error: Option<String>,
    /// What the last "apply" changed.
    applied: Option<String>,
    /// Whether "Counts as of" is the sample exports' day because a sample was read (not
    /// because the user chose it): forgetting or removing the samples sets it back to today, as
    /// a fresh visit has it (review of the import panel: one's own export read next was
    /// counted as of the sample's day).
    sample_day: bool,
    /// Asking whether the import replaces the user's estate or is added to it.
    asking: bool,
    /// What the worker is putting in the estate now (the reply takes a second or more with a
    /// big export), if anything.
    busy: Option<Busy>,
    /// Per per-device RD Licensing report (by file name): the groups and the session hosts the
    /// user ticked for its shared device pool (nothing is ticked for them: who works at the
    /// devices is the user's to say).
    pool_choice: VecMap<String, (VecSet<String>, VecSet<String>)>,
    /// The report whose pool was last asked for, and what came of it (done, or why not).
    pool_result: Option<(String, Result<String, String>)>,
    /// The list of devices with their verdicts and why.
    devices: DeviceList,
}

/// The device list: the page shown, the number of the request it answers, and its search,
/// verdict shown and offset.
#[derive(Debug, Clone, PartialEq, Default)]
struct DeviceList {
    page: DevicePage,
    answers: u32,
    query: String,
    status: String,
    offset: u32,
}

/// What a device page answers: the options, the search, the verdict shown, the offset and how
/// many device rows were read.
type DeviceQuestion = (ClassifyOptions, String, String, u32, Option<u32>);

/// What is being put in the estate ([`PanelState::busy`]).
#[derive(Debug, Clone, PartialEq)]
enum Busy {
    /// "Use these figures in the estate".
    Apply,
    /// A report's devices as a shared device pool (the report's name).
    Pool(String),
}

enum Msg {
    /// A reading asked for: the file's name, how to read it, the reading's number, and the row
    /// it is read again in ("Read the file again"), if any.
    Started {
        name: String,
        options: ImportOptions,
        read: u32,
        row: Option<usize>,
    },
    Worker(WorkerMsg),
    Options(ClassifyOptions),
    Query(String, String, u32),
    /// The device list's search, verdict shown and offset.
    DeviceQuery(String, String, u32),
    Edit(Option<(usize, ColumnMapping, Option<FileKind>)>),
    /// A number of days that cannot be used, as typed, with why; `None` when the field is valid.
    DormancyInput(Option<(String, String)>),
    /// A date that cannot be used, as typed, with why; `None` when the field is valid.
    AsOfError(Option<(String, String)>),
    Applied(String),
    /// An apply or a pool asked of the worker, or none any more.
    Busy(Option<Busy>),
    /// Ask (or stop asking) whether to replace the estate or add to it.
    Ask(bool),
    /// A group (`host` false) or session host ticked (`on`) or not for a report's device pool.
    PoolTick {
        file: String,
        host: bool,
        id: String,
        on: bool,
    },
    /// A report's device pool was added (what changed), or why not.
    Pool(String, Result<String, String>),
    /// Takes a file off the list: one the worker does not hold (it failed or was cancelled), or
    /// one read, which the worker is told to forget ([`Bridge::post`], "remove").
    Remove(usize),
    /// A sample export set "Counts as of" to its day (true), or the date is the user's (false).
    SampleDay(bool),
    /// The estate the last apply went into is no longer the one shown ("Restore the previous
    /// estate", or another estate opened).
    AppliedGone,
    Clear,
    /// The reader could not be loaded, and why: the files being read fail with its message, and
    /// the next file starts a new reader.
    Unavailable(Unavailable),
}

/// Why the import's reader could not be loaded ([`why_unavailable`]).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Unavailable {
    /// The site cannot be reached: the reader is fetched the first time, so offline it fails.
    Offline,
    /// The site answers, but no longer has this page's build of the engine: a newer version was
    /// deployed since the page was opened, and the previous build's files were removed.
    Replaced,
}

impl Unavailable {
    fn message(self) -> &'static str {
        match self {
            Unavailable::Offline => "The import could not load its reader: it is downloaded from this site the first time you import a file, and the site cannot be reached now (offline?). Connect and choose the file again; nothing was lost.",
            // Review 26: a page open across such a deploy said "offline?" while the site answered
            // 404 for the old reader, at every retry, and a "new version" notice followed.
            Unavailable::Replaced => "The import could not load its reader: a newer version of the calculator was put on this site after this page was opened, and this page's version of the reader is no longer there. Reload the page to load the new version, then choose the file again; the work saved in this browser is kept.",
        }
    }
}

/// Why the reader could not be loaded, asked of the site once the worker failed: this page's
/// build's engine entry (the file the worker imports) is fetched again past every cache, the
/// service worker's included. No answer (or none within 5 s) is being offline; an answer that is
/// not the script (a 404 or 410, or a page in its place, as a host that answers every unknown
/// address with its index does) is a deploy that removed this build's files. Anything else is
/// left as offline, the message of old.
#[cfg(target_arch = "wasm32")]
async fn why_unavailable() -> Unavailable {
    use js_sys::{Function, Object, Promise, Reflect};
    let entry = browser::engine_entry().unwrap_or_else(|| "calc.js".to_string());
    let get = |target: &JsValue, key: &str| Reflect::get(target, &JsValue::from_str(key)).ok();
    let init = Object::new();
    let _ = Reflect::set(&init, &"cache".into(), &"no-store".into());
    let abort = get(&js_sys::global(), "AbortSignal").unwrap_or(JsValue::UNDEFINED);
    if let Some(timeout) = get(&abort, "timeout").and_then(|f| f.dyn_into::<Function>().ok()) {
        if let Ok(signal) = timeout.call1(&abort, &5_000.into()) {
            let _ = Reflect::set(&init, &"signal".into(), &signal);
        }
    }
    let Some(window) = web_sys::window() else {
        return Unavailable::Offline;
    };
    let fetch = get(&window, "fetch").and_then(|f| f.dyn_into::<Function>().ok());
    let answer = fetch
        .and_then(|f| f.call2(&window, &format!("./{entry}").into(), &init).ok())
        .and_then(|p| p.dyn_into::<Promise>().ok());
    let Some(answer) = answer else {
        return Unavailable::Offline;
    };
    let Ok(response) = wasm_bindgen_futures::JsFuture::from(answer).await else {
        return Unavailable::Offline;
    };
    let status = get(&response, "status")
        .and_then(|s| s.as_f64())
        .unwrap_or(0.0);
    let content_type = get(&response, "headers")
        .and_then(|h| {
            let get = get(&h, "get")?.dyn_into::<Function>().ok()?;
            get.call1(&h, &"content-type".into()).ok()?.as_string()
        })
        .unwrap_or_default();
    if status == 404.0 || status == 410.0 || (status == 200.0 && content_type.contains("html")) {
        Unavailable::Replaced
    } else {
        Unavailable::Offline
    }
}

#[cfg(not(target_arch = "wasm32"))]
async fn why_unavailable() -> Unavailable {
    Unavailable::Offline
}

/// Asks why the reader could not be loaded ([`why_unavailable`]), then fails the files being read
/// with that.
fn unavailable(reducer: UseReducerDispatcher<PanelState>) {
    wasm_bindgen_futures::spawn_local(async move {
        reducer.dispatch(Msg::Unavailable(why_unavailable().await));
    });
}

/// What the panel says of a file whose first line opens a JSON object: an estate file, as
/// "Export estate (JSON)" writes it, which the import read as a CSV whose columns it did not
/// recognise ("({)", QA) and offered to map.
pub fn estate_file_message(header: &[String]) -> Option<String> {
    header
        .first()
        .is_some_and(|h| h.trim_start_matches('\u{feff}').trim_start().starts_with('{'))
        .then(|| {
            "This is an estate file (JSON), not a directory export: open it with “Import estate (JSON)” under Keep and share.".to_string()
        })
}

/// "Imported figures applied: 2 groups created, …": what applying changed, with its counts
/// grouped and in the singular where one (review 18: "1 group(s) created").
fn applied_counts(s: &crate::import::apply::ApplySummary) -> String {
    let mut text = format!(
        "Imported figures applied: {} created, {} updated, {}, {} added, {} updated.",
        format::counted(s.groups_created.len() as u64, "group", "groups"),
        format::count(s.groups_updated.len() as u64),
        format::counted(u64::from(s.usage_links), "usage link", "usage links"),
        format::counted(u64::from(s.holdings_added), "holding", "holdings"),
        format::count(u64::from(s.holdings_updated))
    );
    for (list, what) in [(&s.pools_created, "created"), (&s.pools_updated, "updated")] {
        if !list.is_empty() {
            text.push_str(&format!(
                " {} {what}: {}.",
                if list.len() == 1 {
                    "Device pool"
                } else {
                    "Device pools"
                },
                list.join(", ")
            ));
        }
    }
    match s.holdings_removed {
        0 => {}
        1 => text.push_str(
            " 1 older holding of the same licences was replaced by the statement's lots.",
        ),
        n => text.push_str(&format!(
            " {} older holdings of the same licences were replaced by the statement's lots.",
            format::count(u64::from(n))
        )),
    }
    text
}

/// A message from the worker.
enum WorkerMsg {
    Progress {
        name: String,
        read: u32,
        bytes: f64,
        total: f64,
        rows: f64,
    },
    File(u32, Box<FileSummary>),
    Failed {
        name: String,
        read: u32,
        message: String,
        header: Vec<String>,
        /// The file read already whose bytes these are, when that is why (else empty).
        same_as: String,
    },
    /// The file, its reading, and whether the file had been added and is now forgotten (a
    /// Cancel that came once it was read).
    Cancelled(String, u32, bool),
    /// The licence statements' summaries again, with their notes as of a new "Counts as of".
    Refreshed(Vec<FileSummary>),
    Overview(Box<Overview>),
    /// A page of accounts, and the number of the request it answers.
    Accounts(AccountPage, u32),
    /// A page of devices, and the number of the request it answers.
    Devices(DevicePage, u32),
    Error(String),
}

impl Reducible for PanelState {
    type Action = Msg;
    fn reduce(self: Rc<Self>, msg: Msg) -> Rc<Self> {
        let mut s = (*self).clone();
        // The row of a reading: the one it was started in (by its number; a message without one
        // goes to the last row of that name). A reading whose row is gone (forgotten with "Forget
        // the imported files", review 27: a late "file" made the row again, of a file the worker
        // no longer held) has none, and its messages are let go.
        let row_of = |s: &PanelState, read: u32, name: &str| -> Option<usize> {
            if read > 0 {
                s.files.iter().position(|f| f.read == read)
            } else {
                s.files.iter().rposition(|f| f.name == name)
            }
        };
        match msg {
            Msg::Started {
                name,
                options,
                read,
                row,
            } => {
                let again = row.filter(|&i| s.files.get(i).is_some_and(|f| f.name == name));
                let i = match again {
                    Some(i) => i,
                    // A file dropped again gets a row of its own: the row of the file read (its
                    // reading, the kind and columns chosen for it) must not be lost should the
                    // new one be refused. One that failed or was cancelled is tried again in
                    // its row.
                    None => match s.files.iter().rposition(|f| f.name == name) {
                        Some(i)
                            if !matches!(
                                s.files[i].state,
                                FileState::Read(_) | FileState::Reading { .. }
                            ) =>
                        {
                            i
                        }
                        _ => {
                            s.files.push(FileRow {
                                name: name.clone(),
                                state: FileState::Cancelled,
                                replaced_by: None,
                                options: ImportOptions::default(),
                                read,
                                earlier: None,
                                again_failed: None,
                            });
                            s.files.len() - 1
                        }
                    },
                };
                let reading = FileState::Reading {
                    bytes: 0.0,
                    total: 0.0,
                    rows: 0.0,
                };
                let before = std::mem::replace(&mut s.files[i].state, reading);
                s.files[i].earlier = match before {
                    FileState::Read(summary) if options.again => Some(summary),
                    _ => None,
                };
                s.files[i].again_failed = None;
                s.files[i].options = options;
                s.files[i].read = read;
                s.error = None;
            }
            Msg::Worker(WorkerMsg::Progress {
                name,
                read,
                bytes,
                total,
                rows,
            }) => {
                let Some(i) = row_of(&s, read, &name) else {
                    return self;
                };
                s.files[i].state = FileState::Reading { bytes, total, rows };
            }
            Msg::Worker(WorkerMsg::File(read, summary)) => {
                let Some(i) = row_of(&s, read, &summary.name) else {
                    return self;
                };
                // Which directory export counts is the session's to say (the overview's `held`):
                // an export with no account takes the place of none (review of the import panel).
                // A corrected or newer download of a statement read before takes its place.
                if let Some(earlier) = &summary.replaces {
                    for (j, f) in s.files.iter_mut().enumerate() {
                        let that = matches!(&f.state, FileState::Read(o) if o.kind == FileKind::LicenceStatement);
                        if j != i && that && f.name == *earlier {
                            f.replaced_by = Some(summary.name.clone());
                        }
                    }
                }
                s.files[i].replaced_by = None;
                s.files[i].earlier = None;
                // The name the session holds it by: a second file of one name has its own.
                s.files[i].name = summary.name.clone();
                s.files[i].state = FileState::Read(summary);
            }
            Msg::Worker(WorkerMsg::Failed {
                name,
                read,
                message,
                header,
                same_as,
            }) => {
                let Some(i) = row_of(&s, read, &name) else {
                    return self;
                };
                // Read again and failed: the earlier reading counts still, and the row says so.
                if let Some(earlier) = s.files[i].earlier.take() {
                    s.files[i].state = FileState::Read(earlier);
                    s.files[i].again_failed = Some(estate_file_message(&header).unwrap_or(message));
                    return Rc::new(s);
                }
                // The row offers no editor for a failure whose columns are not the problem.
                if !kind_can_help(&header) && matches!(&s.editing, Some((e, _, _)) if *e == i) {
                    s.editing = None;
                }
                s.files[i].state = if let Some(m) = estate_file_message(&header) {
                    FileState::NotAnExport(m)
                } else if same_as.is_empty() {
                    FileState::Failed(message, header)
                } else {
                    FileState::Duplicate(message)
                };
            }
            Msg::Worker(WorkerMsg::Cancelled(name, read, forgotten)) => {
                let Some(i) = row_of(&s, read, &name) else {
                    return self;
                };
                // Read again and cancelled before the new reading was added: the earlier one
                // counts still. Forgotten, the file counts no more (its earlier reading had
                // given its place to the new one).
                let earlier = s.files[i].earlier.take();
                if let (Some(earlier), false) = (earlier, forgotten) {
                    s.files[i].state = FileState::Read(earlier);
                    return Rc::new(s);
                }
                // A statement forgotten gives the place it took back to the one it replaced.
                if matches!(&s.files[i].state, FileState::Read(o) if o.kind == FileKind::LicenceStatement)
                {
                    for f in &mut s.files {
                        if f.replaced_by.as_deref() == Some(name.as_str()) {
                            f.replaced_by = None;
                        }
                    }
                }
                if matches!(&s.editing, Some((e, _, _)) if *e == i) {
                    s.editing = None;
                }
                s.files[i].state = FileState::Cancelled;
            }
            Msg::Worker(WorkerMsg::Refreshed(summaries)) => {
                // Each statement's summary to its row (several rows of one name in turn).
                let mut done = vec![false; s.files.len()];
                for summary in summaries {
                    let row = s.files.iter().enumerate().position(|(j, f)| {
                        !done[j]
                            && f.name == summary.name
                            && matches!(&f.state, FileState::Read(o) if o.kind == summary.kind)
                    });
                    if let Some(j) = row {
                        done[j] = true;
                        s.files[j].state = FileState::Read(Box::new(summary));
                    }
                }
            }
            Msg::Worker(WorkerMsg::Overview(o)) => s.overview = Some(*o),
            Msg::Worker(WorkerMsg::Accounts(p, number)) => {
                s.page = p;
                s.page_answers = number;
            }
            Msg::Worker(WorkerMsg::Devices(p, number)) => {
                s.devices.page = p;
                s.devices.answers = number;
            }
            Msg::Worker(WorkerMsg::Error(e)) => s.error = Some(e),
            Msg::Unavailable(why) => {
                s.busy = None;
                for f in &mut s.files {
                    if matches!(f.state, FileState::Reading { .. }) {
                        f.state = FileState::Failed(why.message().to_string(), Vec::new());
                    }
                }
                s.error = Some(why.message().to_string());
            }
            Msg::Options(o) => {
                if o.today != s.opts.today {
                    s.sample_day = false;
                }
                s.opts = o;
            }
            Msg::SampleDay(on) => s.sample_day = on,
            Msg::AppliedGone => {
                if s.applied.is_some() {
                    s.applied = Some("The estate these figures were applied to is not the one shown any more (“Restore the previous estate” brought back the one before, or another estate was opened): the import is undone there. Use these figures again to apply them to the estate shown.".to_string());
                }
            }
            Msg::Query(q, st, off) => {
                s.query = q;
                s.status = st;
                s.offset = off;
            }
            Msg::DeviceQuery(q, st, off) => {
                s.devices.query = q;
                s.devices.status = st;
                s.devices.offset = off;
            }
            Msg::Edit(e) => s.editing = e,
            Msg::DormancyInput(d) => s.dormancy_input = d,
            Msg::AsOfError(e) => s.as_of_error = e,
            Msg::Applied(t) => {
                s.applied = Some(t);
                s.asking = false;
                s.busy = None;
            }
            Msg::Busy(b) => s.busy = b,
            Msg::Ask(on) => s.asking = on,
            Msg::PoolTick { file, host, id, on } => {
                let (groups, hosts) = s.pool_choice.entry(file).or_default();
                let set = if host { hosts } else { groups };
                if on {
                    set.insert(id);
                } else {
                    set.remove(&id);
                }
            }
            Msg::Pool(file, r) => {
                s.pool_result = Some((file, r));
                s.busy = None;
            }
            Msg::Remove(i) => {
                if matches!(
                    s.files.get(i).map(|f| &f.state),
                    Some(
                        FileState::Read(_)
                            | FileState::Failed(..)
                            | FileState::Duplicate(_)
                            | FileState::NotAnExport(_)
                            | FileState::Cancelled
                    )
                ) {
                    let removed = s.files.remove(i);
                    // A statement removed gives the place it took back to the one it replaced
                    // (the worker's session counts that one again).
                    for f in &mut s.files {
                        if f.replaced_by.as_deref() == Some(removed.name.as_str()) {
                            f.replaced_by = None;
                        }
                    }
                    s.pool_choice.remove(&removed.name);
                    if matches!(&s.editing, Some((e, _, _)) if *e >= i) {
                        s.editing = None;
                    }
                }
            }
            Msg::Clear => {
                s.files.clear();
                if std::mem::take(&mut s.sample_day) {
                    s.opts.today = browser::today();
                    s.as_of_error = None;
                }
                s.overview = None;
                s.page = AccountPage::default();
                s.devices.page = DevicePage::default();
                s.editing = None;
                s.error = None;
                s.applied = None;
                s.asking = false;
                s.busy = None;
                s.pool_choice.clear();
                s.pool_result = None;
            }
        }
        Rc::new(s)
    }
}

fn parse_worker_msg(data: &JsValue) -> Option<WorkerMsg> {
    let get = |k: &str| js_sys::Reflect::get(data, &JsValue::from_str(k)).ok();
    let text = |k: &str| get(k).and_then(|v| v.as_string()).unwrap_or_default();
    let num = |k: &str| get(k).and_then(|v| v.as_f64()).unwrap_or(0.0);
    Some(match text("type").as_str() {
        "progress" => WorkerMsg::Progress {
            name: text("name"),
            read: num("read") as u32,
            bytes: num("bytes"),
            total: num("total"),
            rows: num("rows"),
        },
        "file" => WorkerMsg::File(
            num("read") as u32,
            Box::new(serde_json::from_str(&text("summary")).ok()?),
        ),
        "failed" => WorkerMsg::Failed {
            name: text("name"),
            read: num("read") as u32,
            message: text("message"),
            same_as: text("sameAs"),
            header: get("header")
                .filter(|h| h.is_array())
                .map(|h| {
                    js_sys::Array::from(&h)
                        .iter()
                        .filter_map(|v| v.as_string())
                        .collect()
                })
                .unwrap_or_default(),
        },
        "cancelled" => WorkerMsg::Cancelled(
            text("name"),
            num("read") as u32,
            get("forgotten").is_some_and(|f| f.is_truthy()),
        ),
        "refreshed" => WorkerMsg::Refreshed(serde_json::from_str(&text("summaries")).ok()?),
        "overview" => WorkerMsg::Overview(Box::new(serde_json::from_str(&text("overview")).ok()?)),
        "accounts" => WorkerMsg::Accounts(
            serde_json::from_str(&text("page")).ok()?,
            num("number") as u32,
        ),
        "devices" => WorkerMsg::Devices(
            serde_json::from_str(&text("page")).ok()?,
            num("number") as u32,
        ),
        "error" => WorkerMsg::Error(text("message")),
        _ => return None,
    })
}

/// What adding a report's device pool changed, for the panel.
fn pool_text(s: &crate::import::rd_pool::RdPoolSummary) -> String {
    let names = |names: &[String], ids: &[String]| {
        if names.len() == ids.len() { names } else { ids }.join(", ")
    };
    let pool = if s.pool_name.is_empty() {
        &s.id
    } else {
        &s.pool_name
    };
    let groups = names(&s.group_names, &s.shared_by);
    let hosts = names(&s.host_names, &s.hosts);
    let mut t = format!(
        "{} the shared device pool “{pool}”: {} {}, used by {groups}, reaching {hosts} with Remote Desktop.",
        if s.replaced { "Replaced" } else { "Added" },
        s.count,
        if s.count == 1 { "device" } else { "devices" },
    );
    if s.access_added {
        // QA: the rule covers the whole group, so its other devices count too, which the figure
        // of the pool alone did not say.
        t.push_str(&format!(
            " An access rule was added: everyone in {groups} now reaches {hosts} with Remote Desktop, so the RDS CALs of all their devices count, not only these {}.",
            s.count
        ));
    }
    for n in &s.notes {
        t.push(' ');
        t.push_str(n);
    }
    t
}

fn opts_json(o: &ClassifyOptions) -> JsValue {
    JsValue::from_str(&serde_json::to_string(o).unwrap_or_default())
}

/// Where a file came from, to read it again with other columns.
#[derive(Clone)]
enum Source {
    File(web_sys::File),
    /// One of the sample exports shipped in `samples/`.
    Sample(String),
}

/// The day the sample exports were made (scripts/gen_samples.py): their "Counts as of". Counted
/// as of today they are all dormant, and the funnel ends with no one (review 14).
pub const SAMPLES_DAY: Date = Date {
    year: 2025,
    month: 6,
    day: 30,
};

/// The warning that most of an export comes out dormant or not seen (`what`), pointing at the
/// date of the count, which is then most likely today instead of the day the export was made.
fn as_of_warning(testid: &'static str, what: String) -> Html {
    html! {
        <div class="notice warning import-dormant" role="status" data-testid={testid}>
            <p>{ format!("{}. Check “Counts as of”: it should be the day the export was made, not today.", crate::ui::format::localised(&what)) }</p>
            <button type="button" class="secondary" onclick={Callback::from(|_| focus_by_id("import-as-of"))}>{ "Go to “Counts as of”" }</button>
        </div>
    }
}

/// The synthetic sample exports (www/samples, scripts/gen_samples.py), made on [`SAMPLES_DAY`].
const SAMPLES: [(&str, &str); 10] = [
    (
        "ad-users.csv",
        "Active Directory users (PowerShell 5, UTF-16)",
    ),
    ("entra-users.csv", "Entra ID users (semicolons)"),
    (
        "m365-active-users.csv",
        "Microsoft 365 admin centre users, with their licences",
    ),
    (
        "m365-subscriptions.csv",
        "Microsoft 365 subscriptions of the same tenant (Get-MsolAccountSku)",
    ),
    ("computers-ad.csv", "Get-ADComputer"),
    ("devices-intune.csv", "Intune devices"),
    ("ual-user-access.csv", "User Access Logging"),
    ("logon-events.tsv", "Logon events (tab-separated)"),
    ("rds-per-user.csv", "RD Licensing per-user report"),
    ("licence-statement.csv", "Licence statement"),
];

/// The handler of the worker's messages.
type OnMessage = Closure<dyn FnMut(MessageEvent)>;
/// The handler of the worker's error event.
type OnFail = Closure<dyn FnMut(web_sys::Event)>;

/// The worker, its message handler, and the files given by reading (kept to read them again).
/// The worker (and the engine module it loads) starts with the first message: a visit that
/// never imports never downloads the import.
struct Bridge {
    worker: RefCell<Option<Worker>>,
    on_message: RefCell<Option<OnMessage>>,
    /// The worker's error event: its script or module could not be loaded.
    on_fail: RefCell<Option<OnFail>>,
    /// The file of each reading, by its number ([`FileRow::read`]): not by name, as two files
    /// may have one (two domains' users.csv), and "Read the file again" must read its own.
    files: Vec<(u32, Source)>,
    /// Readings asked for so far: each has its number, which the worker's messages carry.
    reads: u32,
    on_import: Callback<(Estate, ImportInto)>,
    on_error: Callback<String>,
    /// The estate shown, as of the last render.
    estate: Latest<Rc<Estate>>,
    /// [`ImportPanelProps::loads`] as of the last render.
    loads: u64,
    /// Applies and pools asked for so far: each has its number, which the worker's reply carries.
    asked: u32,
    /// The apply or pool asked last, until its reply is used.
    pending: Option<Pending>,
    /// The panel's options (dates, dormancy, domains, the user's decisions) as of the last render.
    classify: ClassifyOptions,
    /// The estate the last apply put in place of the one shown: when another takes its place
    /// ("Restore the previous estate"), the panel's summary of the apply is no longer true.
    applied_estate: Option<Rc<Estate>>,
}

/// An apply or a pool asked of the worker, with the estate it was asked for: an estate changed
/// while the worker merged (an edit typed meanwhile) is merged again, never replaced by the
/// merged copy of the estate before the edit (review 27: the edit was lost).
struct Pending {
    number: u32,
    against: Rc<Estate>,
    /// [`ImportPanelProps::loads`] when it was asked: after another estate was opened, it is
    /// dropped, never applied to that one.
    loads: u64,
    /// [`Bridge::reads`] when it was asked: a file read since (the worker reads in turn, so it
    /// came after the apply) makes the figures shown differ from the ones applied.
    reads: u32,
    request: Request,
}

/// What the panel says of an apply or a pool dropped because another estate was opened while
/// the worker merged it (race review 29: it was merged into that estate instead, and the user's
/// estate, kept for Restore, was replaced by it). Said in the panel, where "Applying…" stood:
/// the app's notice is the load's, with its offer to restore the estate it replaced.
fn dropped_by_load(pending: &Pending, reducer: &UseReducerDispatcher<PanelState>) {
    match &pending.request {
        Request::Apply { .. } => reducer.dispatch(Msg::Applied(
            "The import was not applied: another estate was opened while it was being applied. Use these figures again to apply them to the estate shown now."
                .to_string(),
        )),
        Request::Pool { file, .. } => reducer.dispatch(Msg::Pool(
            file.clone(),
            Err("The pool was not added: another estate was opened while it was being added. Add it again to add it to the estate shown now.".to_string()),
        )),
    }
}

#[derive(Clone)]
enum Request {
    Apply {
        into: ImportInto,
        classify: ClassifyOptions,
    },
    Pool {
        file: String,
        choice: RdDevicePool,
    },
}

impl Bridge {
    /// Asks the worker for `request` against the estate shown now.
    fn request(&mut self, request: Request) {
        let estate = self.estate.get();
        self.asked += 1;
        let number = JsValue::from(self.asked);
        let json = |e: &Estate| JsValue::from_str(&serde_json::to_string(e).unwrap_or_default());
        let message = match &request {
            Request::Apply { into, classify } => browser::js_object(&[
                ("type", "apply".into()),
                (
                    "estate",
                    match into {
                        ImportInto::Current => json(&estate),
                        ImportInto::Empty | ImportInto::InsteadOfSample => json(&emptied(&estate)),
                    },
                ),
                ("classify", opts_json(classify)),
                ("number", number),
            ]),
            Request::Pool { file, choice } => browser::js_object(&[
                ("type", "pool".into()),
                ("file", JsValue::from_str(file)),
                ("estate", json(&estate)),
                (
                    "choice",
                    JsValue::from_str(&serde_json::to_string(choice).unwrap_or_default()),
                ),
                ("number", number),
            ]),
        };
        self.pending = Some(Pending {
            number: self.asked,
            against: estate,
            loads: self.loads,
            reads: self.reads,
            request,
        });
        self.post(message);
    }

    fn post(&self, message: JsValue) {
        let mut worker = self.worker.borrow_mut();
        if worker.is_none() {
            *worker = self.start();
        }
        if let Some(w) = worker.as_ref() {
            let _ = w.post_message(&message);
        }
    }

    fn start(&self) -> Option<Worker> {
        // The page's own build's engine, as the evaluation worker's (life review 24).
        match crate::ui::browser::module_worker("./import-worker.js") {
            Ok(w) => {
                if let Some(on_message) = self.on_message.borrow().as_ref() {
                    w.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
                }
                if let Some(on_fail) = self.on_fail.borrow().as_ref() {
                    w.set_onerror(Some(on_fail.as_ref().unchecked_ref()));
                }
                Some(w)
            }
            Err(_) => {
                self.on_error.emit(
                    "This browser cannot start the background reader the import needs.".to_string(),
                );
                None
            }
        }
    }
}

fn kind_label(k: PersonKind) -> &'static str {
    match k {
        PersonKind::Employee => "Employee",
        PersonKind::OnsiteContractor => "Onsite contractor",
        PersonKind::OffsiteContractor => "Offsite contractor",
        PersonKind::Partner => "Partner / guest",
        PersonKind::Customer => "Customer",
        PersonKind::AnonymousVisitor => "Anonymous",
    }
}

/// The kinds an account's person may be given: every kind but anonymous visitors, who have no
/// account. Their names are [`Named`]'s, so a new kind is offered without a list to update.
fn account_kinds() -> impl Iterator<Item = PersonKind> {
    PersonKind::ALL
        .iter()
        .copied()
        .filter(|k| *k != PersonKind::AnonymousVisitor)
}

fn status_label(s: Status) -> &'static str {
    match s {
        Status::Counted => "Counts",
        Status::Disabled => "Disabled",
        Status::Expired => "Expired",
        Status::System => "System",
        Status::Service => "Service",
        Status::ExcludedByYou => "Left out by you",
        Status::Dormant => "Dormant",
    }
}

/// The list of accounts shown: its search, its status filter, and how many accounts were read.
type AccountsView = (String, String, Option<u32>);

/// The accounts decided on while the list is filtered by status (`Session::accounts_keeping`):
/// kept listed, by export and line, until the list shown changes (its search, its filter, or the
/// files read).
#[derive(Default)]
struct Pinned {
    view: AccountsView,
    rows: Vec<(String, u32)>,
}

impl Pinned {
    /// The rows kept in the list `view`: none once it is another list.
    fn rows_in(&mut self, view: &AccountsView) -> &[(String, u32)] {
        if self.view != *view {
            self.view = view.clone();
            self.rows.clear();
        }
        &self.rows
    }

    /// Keeps the account of `row` (export, line) listed after a decision on it in the list
    /// `view`, while that list is filtered by status.
    fn pin(&mut self, view: &AccountsView, row: &(String, u32)) {
        if view.1.is_empty() || self.rows_in(view).contains(row) {
            return;
        }
        self.rows.push(row.clone());
    }
}

/// The id of the column-mapping editor, which the buttons that open it control.
const EDITOR_ID: &str = "import-mapping";

/// Moves the keyboard focus to the element with this id, if it is there.
fn focus_by_id(id: &str) {
    browser::focus_first(&[id]);
}

fn megabytes(b: f64) -> String {
    format!("{:.1} MB", b / 1_000_000.0)
}

/// A count as the rest of the app shows it, with the locale's digit grouping ("400,000";
/// review 18: the panel showed "400000 rows").
/// The offset of the last page of `matching` accounts (0 when there are none).
fn last_page_offset(matching: u32) -> u32 {
    matching.saturating_sub(1) / PAGE * PAGE
}

/// A list's pager: where the page shown is ("51–100 of 230"), or `none` when nothing matches
/// once the page answers the question asked, and the buttons to the pages before and after.
struct Pager {
    test_id: &'static str,
    none: &'static str,
    /// The buttons' labels (two lists on one panel need names of their own).
    labels: (&'static str, &'static str),
    offset: u32,
    matching: u32,
    /// Whether the page shown answers the last request, for the question as it is now.
    answered: bool,
    prev: Callback<MouseEvent>,
    next: Callback<MouseEvent>,
}

/// The pager of the account and device lists. Its buttons stay focusable at the ends
/// (aria-disabled, not disabled): a disabled button under the keyboard's focus dropped it to
/// the page (review 19).
fn pager(p: Pager) -> Html {
    let Pager {
        test_id,
        none,
        labels,
        offset,
        matching,
        answered,
        prev,
        next,
    } = p;
    html! {
        <p class="button-row import-pager">
            <span aria-live="polite" data-testid={test_id}>{
                if matching == 0 && !answered {
                    String::new()
                } else if matching == 0 {
                    none.to_string()
                } else {
                    format!("{}–{} of {}", n(offset + 1), n((offset + PAGE).min(matching)), n(matching))
                }
            }</span>
            if matching > PAGE {
                <button type="button" class="secondary" aria-disabled={(offset == 0).to_string()} onclick={prev}>{ labels.0 }</button>
                <button type="button" class="secondary" aria-disabled={(offset + PAGE >= matching).to_string()} onclick={next}>{ labels.1 }</button>
            }
        </p>
    }
}

fn n(count: impl Into<u64>) -> String {
    format::count(count.into())
}

/// What the panel says of a file's rows that could not be read, of `rows` read in all. When
/// none could, nothing of the file was imported, which "the others were imported" claimed
/// (review 18, an unterminated quote in a one-row statement).
fn unreadable_summary(rows: u64, unreadable: u64) -> String {
    let others = rows.saturating_sub(unreadable);
    match (others, rows) {
        (0, 1) => "The file's one row could not be read; nothing was imported.".to_string(),
        (0, _) => format!(
            "None of the {} rows could be read; nothing was imported.",
            n(rows)
        ),
        (1, _) => format!(
            "{} could not be read; the other row was imported.",
            format::counted(unreadable, "row", "rows")
        ),
        _ => format!(
            "{} could not be read; the other {} were imported.",
            format::counted(unreadable, "row", "rows"),
            n(others)
        ),
    }
}

/// Whether choosing what a failed file holds (and mapping its columns) can help: only when its
/// columns are the problem, which the worker says by sending the header. An empty file, one that
/// is not text, an unclosed quote, a User Access Logging device export or a reader that could not
/// load are not helped by it (review 18).
fn kind_can_help(header: &[String]) -> bool {
    !header.is_empty()
}

#[component]
pub fn ImportPanel(props: &ImportPanelProps) -> Html {
    let state = use_reducer(|| PanelState {
        files: Vec::new(),
        overview: None,
        page: AccountPage::default(),
        page_answers: 0,
        query: String::new(),
        status: String::new(),
        offset: 0,
        opts: ClassifyOptions::new(browser::today()),
        editing: None,
        dormancy_input: None,
        as_of_error: None,
        error: None,
        applied: None,
        sample_day: false,
        asking: false,
        busy: None,
        pool_choice: VecMap::new(),
        pool_result: None,
        devices: DeviceList::default(),
    });
    let bridge = use_mut_ref(|| Bridge {
        worker: RefCell::new(None),
        on_message: RefCell::new(None),
        on_fail: RefCell::new(None),
        files: Vec::new(),
        reads: 0,
        on_import: props.on_import.clone(),
        on_error: props.on_error.clone(),
        estate: props.estate.clone(),
        loads: props.loads,
        asked: 0,
        pending: None,
        classify: state.opts.clone(),
        applied_estate: None,
    });
    {
        let mut b = bridge.borrow_mut();
        b.on_import = props.on_import.clone();
        b.on_error = props.on_error.clone();
        b.estate = props.estate.clone();
        b.loads = props.loads;
        if b.classify != state.opts {
            b.classify = state.opts.clone();
        }
    }
    // Another estate was opened: the question of how to apply the import was about the one
    // before, and an apply or a pool still being merged into that one is dropped.
    {
        let (bridge, reducer) = (bridge.clone(), state.dispatcher());
        use_effect_with(props.loads, move |&loads| {
            reducer.dispatch(Msg::Ask(false));
            let pending = bridge.borrow_mut().pending.take_if(|p| p.loads != loads);
            if let Some(pending) = pending {
                dropped_by_load(&pending, &reducer);
            }
            // The load is the apply's own while the estate shown is the one it made; after
            // "Restore the previous estate" (or another estate opened) the summary said what is
            // no longer so (review of the import panel: it stayed after Restore).
            let mut b = bridge.borrow_mut();
            let shown = b.estate.get();
            if b.applied_estate.as_ref().is_some_and(|a| **a != *shown) {
                b.applied_estate = None;
                reducer.dispatch(Msg::AppliedGone);
            }
        });
    }

    // The worker's messages feed the panel's reducer (the worker starts with the first message).
    {
        let bridge = bridge.clone();
        let reducer = state.dispatcher();
        use_effect_with((), move |_| {
            let bridge_in = bridge.clone();
            let reducer_fail = reducer.clone();
            let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                let data = e.data();
                let kind = js_sys::Reflect::get(&data, &JsValue::from_str("type"))
                    .ok()
                    .and_then(|v| v.as_string())
                    .unwrap_or_default();
                if kind == "unavailable" {
                    let mut b = bridge_in.borrow_mut();
                    b.pending = None;
                    if let Some(w) = b.worker.borrow_mut().take() {
                        w.terminate();
                    }
                    unavailable(reducer.clone());
                    return;
                }
                let text = |k: &str| {
                    js_sys::Reflect::get(&data, &JsValue::from_str(k))
                        .ok()
                        .and_then(|v| v.as_string())
                        .unwrap_or_default()
                };
                let replies = ["applied", "apply-failed", "pool", "pool-failed"];
                // The reply to an apply or a pool: used only when it is to the one asked last,
                // and only when the estate is still the one it was asked for; after an edit it
                // is asked again, of the estate with the edit.
                let request = if replies.contains(&kind.as_str()) {
                    let number = js_sys::Reflect::get(&data, &JsValue::from_str("number"))
                        .ok()
                        .and_then(|v| v.as_f64())
                        .unwrap_or(0.0) as u32;
                    let mut b = bridge_in.borrow_mut();
                    let Some(pending) = b.pending.take_if(|p| p.number == number) else {
                        // Forgotten ("Forget the imported files"), or asked again since.
                        return;
                    };
                    if pending.loads != b.loads {
                        drop(b);
                        dropped_by_load(&pending, &reducer);
                        return;
                    }
                    // An edit, other options or a file read while the worker merged: the reply
                    // is not of the estate shown or not of the figures shown, so it is asked
                    // again, of both as they are now (review 27: the edit was lost; race review
                    // 29: the reply kept the options of the click).
                    let figures_changed = match &pending.request {
                        Request::Apply { classify, .. } => {
                            *classify != b.classify || pending.reads != b.reads
                        }
                        Request::Pool { .. } => false,
                    };
                    let now = b.estate.get();
                    let edited = *now != *pending.against;
                    if edited || figures_changed {
                        let sample_edited = edited
                            && matches!(
                                pending.request,
                                Request::Apply {
                                    into: ImportInto::InsteadOfSample,
                                    ..
                                }
                            )
                            && !crate::ui::app::is_untouched_sample(&now);
                        if sample_edited {
                            // The sample the figures were to replace was edited meanwhile: it
                            // is the user's estate now, to replace or add to as they say.
                            drop(b);
                            reducer.dispatch(Msg::Busy(None));
                            reducer.dispatch(Msg::Ask(true));
                        } else {
                            let request = match pending.request {
                                Request::Apply { into, .. } => Request::Apply {
                                    into,
                                    classify: b.classify.clone(),
                                },
                                pool => pool,
                            };
                            b.request(request);
                        }
                        return;
                    }
                    Some(pending.request)
                } else {
                    None
                };
                if kind == "apply-failed" {
                    let on_error = bridge_in.borrow().on_error.clone();
                    reducer.dispatch(Msg::Busy(None));
                    on_error.emit(format!(
                        "The import could not be applied: {}",
                        text("message")
                    ));
                    return;
                }
                if kind == "applied" {
                    let text = text("applied");
                    let into = match request {
                        Some(Request::Apply { into, .. }) => into,
                        _ => ImportInto::Current,
                    };
                    let (on_import, on_error) = {
                        let b = bridge_in.borrow();
                        (b.on_import.clone(), b.on_error.clone())
                    };
                    match crate::estate::from_json_text::<Applied>(&text) {
                        // The merge was refused (it would not have validated): say why, keep the estate.
                        Ok(applied) if !applied.summary.applied => {
                            reducer.dispatch(Msg::Busy(None));
                            on_error.emit(applied.summary.notes.join(" "));
                        }
                        // Nothing to put in the estate, or its figures there already: the
                        // estate shown stays (a first visit's sample was replaced by an empty
                        // estate, QA review 35), and the panel says why.
                        Ok(applied) if applied.summary.unchanged => {
                            bridge_in.borrow_mut().applied_estate = None;
                            reducer.dispatch(Msg::Applied(applied.summary.notes.join(" ")));
                        }
                        Ok(applied) => {
                            let s = &applied.summary;
                            let mut text = applied_counts(s);
                            if !s.unmatched_servers.is_empty() {
                                text.push_str(&format!(
                                    " Servers in the usage data that are not in the estate (their links were left out): {}.",
                                    s.unmatched_servers.join(", ")
                                ));
                            }
                            for n in &s.notes {
                                text.push(' ');
                                text.push_str(n);
                            }
                            bridge_in.borrow_mut().applied_estate =
                                Some(Rc::new(applied.estate.clone()));
                            on_import.emit((applied.estate, into));
                            reducer.dispatch(Msg::Applied(text));
                        }
                        Err(e) => {
                            reducer.dispatch(Msg::Busy(None));
                            on_error.emit(format!("The import could not be applied: {e}"))
                        }
                    }
                    return;
                }
                if kind == "pool" || kind == "pool-failed" {
                    let file = text("file");
                    if kind == "pool-failed" {
                        reducer.dispatch(Msg::Pool(file, Err(text("message"))));
                        return;
                    }
                    let on_import = bridge_in.borrow().on_import.clone();
                    match crate::estate::from_json_text::<PoolApplied>(&text("applied")) {
                        Ok(p) => {
                            on_import.emit((p.estate, ImportInto::Current));
                            reducer.dispatch(Msg::Pool(file, Ok(pool_text(&p.summary))));
                        }
                        Err(e) => reducer.dispatch(Msg::Pool(
                            file,
                            Err(format!("The pool could not be added: {e}")),
                        )),
                    }
                    return;
                }
                if let Some(m) = parse_worker_msg(&data) {
                    reducer.dispatch(Msg::Worker(m));
                }
            });
            *bridge.borrow().on_message.borrow_mut() = Some(on_message);
            let bridge_fail = bridge.clone();
            let on_fail = OnFail::new(move |_: web_sys::Event| {
                let mut b = bridge_fail.borrow_mut();
                b.pending = None;
                if let Some(w) = b.worker.borrow_mut().take() {
                    w.terminate();
                }
                unavailable(reducer_fail.clone());
            });
            *bridge.borrow().on_fail.borrow_mut() = Some(on_fail);
            move || {
                if let Some(w) = bridge.borrow().worker.borrow_mut().take() {
                    w.terminate();
                }
            }
        });
    }

    // Asks for the account page whenever the options, the search or the data change. The number
    // and the question of the last request are kept, so the pager can tell the answer to it.
    let page_asked = use_mut_ref(|| (0u32, None::<PageQuestion>));
    // Where the keyboard focus goes once it is on the page, when the control that held it left
    // the page for an answer still to come: a Cancel's row once cancelled, the summary of an
    // apply once applied (review of the import panel: it fell to the page's body). Given up
    // once nothing is being read or applied and none of them is there.
    let focus_next = use_mut_ref(Vec::<String>::new);
    {
        let focus_next = focus_next.clone();
        let waiting = state.busy.is_some()
            || state
                .files
                .iter()
                .any(|f| matches!(f.state, FileState::Reading { .. }));
        use_effect(move || {
            let ids = std::mem::take(&mut *focus_next.borrow_mut());
            // While waiting, only the first (the one the answer brings); then any of them.
            let tried = if waiting {
                &ids[..ids.len().min(1)]
            } else {
                &ids[..]
            };
            if !browser::focus_first(tried) && waiting {
                *focus_next.borrow_mut() = ids;
            }
        });
    }
    // A decision no longer takes its account out of a list filtered by status (`pinned` below);
    // should its select leave the page all the same, and the focus with it, once the list is
    // answered again the focus goes to the search above the list. Not to the select now in its
    // place: a keyboard user walking the options with the arrow keys (each step is a change)
    // would decide the next account with the next step (review of the import panel).
    let decided = use_mut_ref(|| false);
    let pinned = use_mut_ref(Pinned::default);
    {
        let decided = decided.clone();
        use_effect_with(state.page_answers, move |_| {
            if std::mem::take(&mut *decided.borrow_mut()) && browser::focus_lost() {
                focus_by_id("import-search");
            }
        });
    }
    let page_question: PageQuestion = (
        state.opts.clone(),
        state.query.clone(),
        state.status.clone(),
        state.offset,
        state.overview.is_some(),
        state.overview.as_ref().and_then(|o| {
            o.accounts
                .as_ref()
                .map(|a| a.funnel.first().map_or(0, |f| f.remaining))
        }),
    );
    {
        let (bridge, asked, pinned) = (bridge.clone(), page_asked.clone(), pinned.clone());
        use_effect_with(page_question.clone(), move |question| {
            let (opts, query, status, offset, has, read) = question;
            let keep = {
                let view = (query.clone(), status.clone(), *read);
                let mut p = pinned.borrow_mut();
                serde_json::to_string(p.rows_in(&view)).unwrap_or_else(|_| "[]".into())
            };
            if *has {
                let number = {
                    let mut a = asked.borrow_mut();
                    a.0 += 1;
                    a.1 = Some(question.clone());
                    a.0
                };
                bridge.borrow().post(browser::js_object(&[
                    ("type", "accounts".into()),
                    ("classify", opts_json(opts)),
                    ("query", JsValue::from_str(query)),
                    ("status", JsValue::from_str(status)),
                    ("offset", JsValue::from(*offset)),
                    ("limit", JsValue::from(PAGE)),
                    ("keep", JsValue::from_str(&keep)),
                    ("number", JsValue::from(number)),
                ]));
            }
        });
    }

    // Asks for the device page whenever the options, its search or the devices read change, as
    // for accounts; the number of the last request tells its answer from an earlier one's.
    let device_asked = use_mut_ref(|| (0u32, None::<DeviceQuestion>));
    let device_question: DeviceQuestion = (
        state.opts.clone(),
        state.devices.query.clone(),
        state.devices.status.clone(),
        state.devices.offset,
        state.overview.as_ref().and_then(|o| {
            o.devices
                .as_ref()
                .map(|d| d.funnel.first().map_or(0, |f| f.remaining))
        }),
    );
    {
        let (bridge, asked) = (bridge.clone(), device_asked.clone());
        use_effect_with(device_question.clone(), move |question| {
            let (opts, query, status, offset, read) = question;
            if read.is_some() {
                let number = {
                    let mut a = asked.borrow_mut();
                    a.0 += 1;
                    a.1 = Some(question.clone());
                    a.0
                };
                bridge.borrow().post(browser::js_object(&[
                    ("type", "devices".into()),
                    ("classify", opts_json(opts)),
                    ("query", JsValue::from_str(query)),
                    ("status", JsValue::from_str(status)),
                    ("offset", JsValue::from(*offset)),
                    ("limit", JsValue::from(PAGE)),
                    ("number", JsValue::from(number)),
                ]));
            }
        });
    }

    // A page past the last (its accounts left out or sorted elsewhere by a decision on the last
    // page, or fewer matching after a new reading) goes back to the last page that has any: the
    // pager said "251–250 of 250" over an empty table.
    {
        let (state, asked) = (state.clone(), page_asked.clone());
        let answer = (state.page_answers, state.page.matching, state.offset);
        use_effect_with(answer, move |&(number, matching, offset)| {
            let latest = {
                let asked = asked.borrow();
                asked.0 == number && asked.1.as_ref().is_some_and(|q| q.3 == offset)
            };
            if latest && matching > 0 && offset >= matching {
                state.dispatch(Msg::Query(
                    state.query.clone(),
                    state.status.clone(),
                    last_page_offset(matching),
                ));
            }
        });
    }

    {
        let (state, asked) = (state.clone(), device_asked.clone());
        let answer = (
            state.devices.answers,
            state.devices.page.matching,
            state.devices.offset,
        );
        use_effect_with(answer, move |&(number, matching, offset)| {
            let latest = {
                let asked = asked.borrow();
                asked.0 == number && asked.1.as_ref().is_some_and(|q| q.3 == offset)
            };
            if latest && matching > 0 && offset >= matching {
                state.dispatch(Msg::DeviceQuery(
                    state.devices.query.clone(),
                    state.devices.status.clone(),
                    last_page_offset(matching),
                ));
            }
        });
    }

    let send_file = {
        let bridge = bridge.clone();
        let state = state.clone();
        // `row`: the row of the file read again with other columns ("Read the file again").
        Rc::new(
            move |source: Source, read_options: ImportOptions, row: Option<usize>| {
                let options =
                    JsValue::from_str(&serde_json::to_string(&read_options).unwrap_or_default());
                // A sample is counted as of the day it was made.
                let classify = match &source {
                    Source::Sample(_) if state.opts.today != SAMPLES_DAY => {
                        let mut o = state.opts.clone();
                        o.today = SAMPLES_DAY;
                        state.dispatch(Msg::Options(o.clone()));
                        o
                    }
                    _ => state.opts.clone(),
                };
                if matches!(source, Source::Sample(_)) {
                    state.dispatch(Msg::SampleDay(true));
                }
                let mut b = bridge.borrow_mut();
                b.reads += 1;
                let read = b.reads;
                // A file read again keeps the name its row has: the worker's session holds a second
                // file of one name under a name of its own ("users.csv (2)").
                let held = row.and_then(|i| state.files.get(i)).map(|f| f.name.clone());
                let (name, message) = match &source {
                    Source::File(file) => (
                        held.clone().unwrap_or_else(|| file.name()),
                        browser::js_object(&[
                            ("type", "file".into()),
                            ("file", file.clone().into()),
                            (
                                "name",
                                JsValue::from_str(&held.unwrap_or_else(|| file.name())),
                            ),
                            ("options", options),
                            ("classify", opts_json(&classify)),
                            ("read", JsValue::from(read)),
                        ]),
                    ),
                    Source::Sample(name) => (
                        name.clone(),
                        browser::js_object(&[
                            ("type", "sample".into()),
                            ("name", JsValue::from_str(name)),
                            ("options", options),
                            ("classify", opts_json(&classify)),
                            ("read", JsValue::from(read)),
                        ]),
                    ),
                };
                if let Some(earlier) = row.and_then(|i| state.files.get(i)).map(|f| f.read) {
                    b.files.retain(|(r, _)| *r != earlier);
                }
                b.files.push((read, source));
                state.dispatch(Msg::Started {
                    name,
                    options: read_options,
                    read,
                    row,
                });
                b.post(message);
            },
        )
    };
    let add_files = {
        let send_file = send_file.clone();
        Rc::new(move |list: Option<web_sys::FileList>| {
            let Some(list) = list else { return };
            for i in 0..list.length() {
                if let Some(f) = list.get(i) {
                    send_file(Source::File(f), ImportOptions::default(), None);
                }
            }
        })
    };
    let on_pick = {
        let add_files = add_files.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            add_files(input.files());
            input.set_value("");
        })
    };
    let on_drop = {
        let add_files = add_files.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            add_files(e.data_transfer().and_then(|d| d.files()));
        })
    };
    let on_drag_over = Callback::from(|e: DragEvent| e.prevent_default());
    // Cancel stops the reading of its row, named by its number, and no other; come once the
    // file was read and added, it forgets the file (the overview under these options).
    let on_cancel = |read: u32, i: usize| {
        let bridge = bridge.clone();
        let opts = state.opts.clone();
        let focus_next = focus_next.clone();
        Callback::from(move |_| {
            *focus_next.borrow_mut() = vec![format!("import-remove-{i}"), "import-files".into()];
            bridge.borrow().post(browser::js_object(&[
                ("type", "cancel".into()),
                ("read", JsValue::from(read)),
                ("classify", opts_json(&opts)),
            ]))
        })
    };
    let on_clear = {
        let bridge = bridge.clone();
        let state = state.clone();
        Callback::from(move |_| {
            bridge.borrow_mut().files.clear();
            // An apply asked of the files forgotten is not used.
            bridge.borrow_mut().pending = None;
            bridge.borrow().post(browser::js_object(&[
                ("type", "clear".into()),
                ("classify", opts_json(&state.opts)),
            ]));
            state.dispatch(Msg::Clear);
            // The button goes with the files: the focus goes to "Choose files" (the file input
            // its label stands for), not to the page's body (review 18).
            focus_by_id("import-files");
        })
    };
    let set_opts = {
        let bridge = bridge.clone();
        let state = state.clone();
        Rc::new(move |o: ClassifyOptions| {
            bridge.borrow().post(browser::js_object(&[
                ("type", "overview".into()),
                ("classify", opts_json(&o)),
            ]));
            state.dispatch(Msg::Options(o));
        })
    };
    // Applies the import to the estate shown (`Current`) or to an empty one in its place.
    let apply_into = {
        let bridge = bridge.clone();
        let opts = state.opts.clone();
        let state = state.clone();
        let focus_next = focus_next.clone();
        Rc::new(move |into: ImportInto| {
            // The button is disabled while applying: the focus goes to the summary that follows.
            *focus_next.borrow_mut() = vec!["import-applied".into()];
            state.dispatch(Msg::Ask(false));
            state.dispatch(Msg::Busy(Some(Busy::Apply)));
            bridge.borrow_mut().request(Request::Apply {
                into,
                classify: opts.clone(),
            });
        })
    };
    // The untouched sample is replaced without asking; an estate the user entered or loaded is
    // replaced or added to as they say.
    let on_apply = {
        let (apply_into, estate, state) = (apply_into.clone(), props.estate.clone(), state.clone());
        Callback::from(move |_| {
            if crate::ui::app::is_untouched_sample(&estate.get()) {
                apply_into(ImportInto::InsteadOfSample);
            } else {
                state.dispatch(Msg::Ask(true));
                gloo::timers::callback::Timeout::new(0, || focus_by_id("import-replace")).forget();
            }
        })
    };
    let on_replace = {
        let apply_into = apply_into.clone();
        Callback::from(move |_| apply_into(ImportInto::Empty))
    };
    let on_add = {
        let apply_into = apply_into.clone();
        Callback::from(move |_| apply_into(ImportInto::Current))
    };
    let on_ask_cancel = {
        let state = state.clone();
        Callback::from(move |_| {
            state.dispatch(Msg::Ask(false));
            gloo::timers::callback::Timeout::new(0, || focus_by_id("import-apply")).forget();
        })
    };

    // --- the file list -------------------------------------------------------------------------
    // Several directory exports: the last one counts, or all together when the user says they
    // are domains of one organisation. The session says which are read and which count.
    let accounts_view = state.overview.as_ref().and_then(|o| o.accounts.as_ref());
    let directory_exports = accounts_view.map_or(0, |a| a.exports);
    let counted_files: &[String] = accounts_view.map_or(&[], |a| a.files.as_slice());
    let held: &[String] = accounts_view.map_or(&[], |a| a.held.as_slice());
    let show_file = counted_files.len() > 1;
    // Remove takes its row off the list; a file read is forgotten by the worker too, with the
    // decisions made on its own accounts, and the files read after it are read again (as after
    // a late Cancel), so that what is said of them is not of it. The other files, their columns
    // and the decisions on them stay (review of the import panel: only "Forget the imported
    // files" took a file read by mistake away, and every mapping with it).
    let remove = |i: usize| {
        let (state, bridge, set_opts) = (state.clone(), bridge.clone(), set_opts.clone());
        Callback::from(move |_| {
            let Some(f) = state.files.get(i) else { return };
            let mut b = bridge.borrow_mut();
            b.files.retain(|(r, _)| *r != f.read);
            let samples_left = b.files.iter().any(|(_, s)| matches!(s, Source::Sample(_)));
            drop(b);
            if matches!(f.state, FileState::Read(_)) {
                let mut o = state.opts.clone();
                o.overrides
                    .retain(|x| x.file.as_deref() != Some(f.name.as_str()));
                if state.sample_day && !samples_left {
                    o.today = browser::today();
                }
                bridge.borrow().post(browser::js_object(&[
                    ("type", "remove".into()),
                    ("name", JsValue::from_str(&f.name)),
                    ("classify", opts_json(&o)),
                ]));
                if o != state.opts {
                    set_opts(o);
                }
            }
            state.dispatch(Msg::Remove(i));
            // The button goes with its row: the focus goes to the next row's Remove, else to
            // "Choose files", never to the page's body.
            browser::focus_soon(vec![
                format!("import-remove-{i}"),
                "import-files".to_string(),
            ]);
        })
    };
    let editing_file = state.editing.as_ref().map(|(i, _, _)| *i);
    // "Columns…" and "Say what it holds…" open the editor for their file, or close it when it
    // is open for that file.
    let toggle_editor = |i: usize, mapping: ColumnMapping, kind: FileKind| {
        let state = state.clone();
        Callback::from(move |_| {
            let open = matches!(&state.editing, Some((e, _, _)) if *e == i);
            state.dispatch(Msg::Edit((!open).then(|| (i, mapping.clone(), Some(kind)))));
        })
    };
    // A per-device RD Licensing report names devices, not people: the user says which groups work
    // at them (and which session host they reach, when there are several) to make them a pool.
    let estate_now = props.estate.get();
    let session_hosts: Vec<&crate::estate::Server> = estate_now
        .servers
        .iter()
        .filter(|s| s.rds_session_host)
        .collect();
    let imported_before = state.files.is_empty() && crate::import::apply::holds_import(&estate_now);
    let on_sample = state
        .files
        .iter()
        .any(|f| matches!(f.state, FileState::Read(..)))
        && crate::ui::app::is_untouched_sample(&estate_now);
    let pool_offer = |i: usize, file: &str, count: u32| -> Html {
        let (ticked_groups, ticked_hosts) =
            state.pool_choice.get(file).cloned().unwrap_or_default();
        let tick = |host: bool, id: String| {
            let state = state.clone();
            let file = file.to_string();
            Callback::from(move |e: Event| {
                let on = e
                    .target_dyn_into::<HtmlInputElement>()
                    .is_some_and(|b| b.checked());
                state.dispatch(Msg::PoolTick {
                    file: file.clone(),
                    host,
                    id: id.clone(),
                    on,
                });
            })
        };
        let on_add = {
            let bridge = bridge.clone();
            let estate = props.estate.clone();
            let state = state.clone();
            let file = file.to_string();
            let several_hosts = session_hosts.len() > 1;
            Callback::from(move |_| {
                let estate = estate.get();
                let (groups, hosts) = state.pool_choice.get(&file).cloned().unwrap_or_default();
                // In the estate's order, and only what is still in the estate.
                let choice = RdDevicePool {
                    file: file.clone(),
                    shared_by: estate
                        .groups
                        .iter()
                        .filter(|g| groups.contains(&g.id))
                        .map(|g| g.id.clone())
                        .collect(),
                    hosts: if several_hosts {
                        estate
                            .servers
                            .iter()
                            .filter(|s| s.rds_session_host && hosts.contains(&s.id))
                            .map(|s| s.id.clone())
                            .collect()
                    } else {
                        Vec::new()
                    },
                };
                if several_hosts && choice.hosts.is_empty() && !choice.shared_by.is_empty() {
                    state.dispatch(Msg::Pool(
                        file.clone(),
                        Err("Say which RD Session Hosts the devices reach.".into()),
                    ));
                    return;
                }
                state.dispatch(Msg::Busy(Some(Busy::Pool(file.clone()))));
                bridge.borrow_mut().request(Request::Pool {
                    file: file.clone(),
                    choice,
                });
            })
        };
        let label = |name: &str, id: &str| {
            if name.is_empty() || name == id {
                id.to_string()
            } else {
                format!("{name} ({id})")
            }
        };
        let result = state
            .pool_result
            .as_ref()
            .filter(|(f, _)| f == file)
            .map(|(_, r)| r.clone());
        html! {
            <fieldset class="import-rd-pool" id={format!("import-rd-pool-{i}")}>
                <legend>{ "Shared device pool from this report" }</legend>
                <p class="note">{ format!("The report names {count} devices with a per-device RDS CAL, not the people at them. Say which groups work at them: they become a shared device pool of {count} devices used by those groups, with Remote Desktop access to the session host. Importing the report again replaces the pool.", count = n(count)) }</p>
                // The sample is never counted with imported figures (review 19: the pool went
                // into the sample, whose made-up groups and hosts were the only choices).
                if on_sample {
                    <p class="note" data-testid="rd-pool-on-sample">{ "The estate shown is the sample of a first visit, and imported figures are never counted with it: use these figures in the estate first (they go into an empty estate), or enter your own groups and session host in the detailed editor, then say here which groups work at these devices." }</p>
                } else if estate_now.groups.is_empty() {
                    <p class="note">{ "The estate has no groups yet: use these figures in the estate first (for the imported directory's groups), or add a group in the detailed editor." }</p>
                } else {
                    <fieldset class="import-rd-pool-groups">
                        <legend>{ "Groups that work at these devices (at least one)" }</legend>
                        { for estate_now.groups.iter().enumerate().map(|(k, g)| {
                            let id = format!("import-rd-pool-{i}-group-{k}");
                            html! {
                                <label for={id.clone()}>
                                    <input type="checkbox" id={id} checked={ticked_groups.contains(&g.id)} onchange={tick(false, g.id.clone())} />
                                    { " " }{ label(&g.name, &g.id) }
                                </label>
                            }
                        }) }
                    </fieldset>
                }
                { match session_hosts.as_slice() {
                    _ if on_sample => html! {},
                    [] => html! { <p class="note">{ "The estate has no RD Session Host: mark the server these devices reach as a session host in the detailed editor first." }</p> },
                    [only] => html! { <p class="note">{ format!("They reach {}, the estate's only RD Session Host.", label(&only.name, &only.id)) }</p> },
                    hosts => html! {
                        <fieldset class="import-rd-pool-hosts">
                            <legend>{ "RD Session Hosts they reach (at least one)" }</legend>
                            { for hosts.iter().enumerate().map(|(k, h)| {
                                let id = format!("import-rd-pool-{i}-host-{k}");
                                html! {
                                    <label for={id.clone()}>
                                        <input type="checkbox" id={id} checked={ticked_hosts.contains(&h.id)} onchange={tick(true, h.id.clone())} />
                                        { " " }{ label(&h.name, &h.id) }
                                    </label>
                                }
                            }) }
                        </fieldset>
                    },
                } }
                if !on_sample {
                    <button type="button" class="secondary" id={format!("import-rd-pool-add-{i}")} disabled={state.busy.is_some()} onclick={on_add}>{ format!("Add these {} devices as a shared device pool", n(count)) }</button>
                }
                { match result {
                    _ if state.busy.as_ref().is_some_and(|b| *b == Busy::Pool(file.to_string())) => html! { <p class="note import-applying" role="status">{ "Adding the shared device pool to the estate…" }</p> },
                    Some(Ok(t)) => html! { <p class="import-applied" role="status">{ t }</p> },
                    Some(Err(e)) => html! { <p class="import-failed" role="alert">{ e }</p> },
                    None => html! {},
                } }
            </fieldset>
        }
    };
    let files = state.files.iter().enumerate().map(|(i, f)| {
        let body = match &f.state {
            FileState::Reading { bytes, total, rows } => html! {
                // Not said: it changes some 9 times a second inside the file list's live
                // region (review 27); the file's start, end and failure are.
                <div class="import-progress" aria-live="off">
                    <progress max={total.max(1.0).to_string()} value={bytes.to_string()} aria-label={format!("Reading {}", f.name)}></progress>
                    <span>{ format!("{} of {} · {}", megabytes(*bytes), megabytes(*total), format::counted(*rows as u64, "row", "rows")) }</span>
                    <button type="button" class="secondary" onclick={on_cancel(f.read, i)}>{ "Cancel" }</button>
                </div>
            },
            FileState::Read(s) => {
                let edit = toggle_editor(i, s.mapping.clone(), s.kind);
                html! {
                    <>
                        <p class="import-file-meta" data-kind={s.kind.name()}>
                            { if s.json {
                                format!("{} · {} · JSON · {}", s.kind_label, s.encoding, format::counted(s.rows, "object", "objects"))
                            } else {
                                format!("{} · {} · delimiter {} · {}", s.kind_label, s.encoding, s.delimiter, format::counted(s.rows, "row", "rows"))
                            } }
                            if s.error_count > 0 { { format!(" · {} unreadable", n(s.error_count)) } }
                            { " " }<button type="button" class="secondary" id={format!("import-columns-{i}")} aria-expanded={(editing_file == Some(i)).to_string()} aria-controls={EDITOR_ID} onclick={edit}>{ "Columns…" }</button>
                            { " " }<button type="button" class="secondary" id={format!("import-remove-{i}")} aria-label={format!("Remove {}", f.name)} onclick={remove(i)}>{ "Remove" }</button>
                        </p>
                        if let Some(m) = &f.again_failed {
                            <p class="import-failed" role="alert">{ format!("Reading it again with the columns chosen failed, so the reading before counts still, as shown: {m}") }</p>
                        }
                        if !s.errors.is_empty() {
                            <details class="import-errors">
                                <summary>{ unreadable_summary(s.rows, s.error_count) }</summary>
                                <ul>{ for s.errors.iter().take(20).map(|e| html! { <li>{ format!("{}: {}", RowUnit::of(s.json).at_start(e.line), e.message) }</li> }) }</ul>
                            </details>
                        }
                        if !s.ignored.is_empty() {
                            <p class="note">{ format!("Not CALs, left out: {}", s.ignored.iter().map(|(l, d)| format!("{d} ({})", RowUnit::of(s.json).at(*l))).collect::<Vec<_>>().join("; ")) }</p>
                        }
                        { for s.notes.iter().map(|n| html! { <p class="note import-file-note">{ n.clone() }</p> }) }
                        if s.rd_devices > 0 { { pool_offer(i, &f.name, s.rd_devices) } }
                        if let (Some(by), FileKind::LicenceStatement) = (&f.replaced_by, s.kind) {
                            <p class="note import-replaced" role="status">{ format!("Not counted any more: “{by}” repeats most of its rows, so it is taken as a corrected or newer download of this statement and took its place (both would count every licence twice). To count this one instead, remove “{by}”.") }</p>
                        } else if is_directory(s.kind) && held.len() > 1 && held.contains(&f.name) {
                            if counted_files.contains(&f.name) && counted_files.len() > 1 {
                                <p class="note import-combined" role="status">{ "Counted together with the other directory exports." }</p>
                            } else if let Some(by) = held.last().filter(|last| **last != f.name) {
                                <p class="note import-replaced" role="status">{ format!("Not counted any more: “{by}” replaced it. One directory export counts at a time unless they are domains of one organisation: then tick “Count the directory exports together” below. For a hybrid estate (Active Directory and Entra ID) import only the system of record, usually Active Directory: Entra's cloud-only accounts never reach an on-premises server.") }</p>
                            }
                        }
                    </>
                }
            }
            FileState::Failed(m, header) => {
                // The kind and columns tried last, else the kind the user most often means
                // (shown in the editor, changed there).
                let kind = f.options.kind.unwrap_or(FileKind::AdUsers);
                let mapping = f
                    .options
                    .mapping
                    .clone()
                    .unwrap_or_else(|| ColumnMapping::detect(kind, header));
                let retry = toggle_editor(i, mapping, kind);
                html! {
                    <p class="import-failed" role="alert">{ m.clone() }{ " " }
                        if kind_can_help(header) {
                            <button type="button" class="secondary" id={format!("import-columns-{i}")} aria-expanded={(editing_file == Some(i)).to_string()} aria-controls={EDITOR_ID} onclick={retry}>{ "Say what it holds and map its columns…" }</button>{ " " }
                        }
                        <button type="button" class="secondary" id={format!("import-remove-{i}")} onclick={remove(i)}>{ "Remove from the list" }</button></p>
                }
            }
            FileState::Duplicate(m) => html! {
                <p class="note import-duplicate" role="status">{ m.clone() }{ " " }
                    <button type="button" class="secondary" id={format!("import-remove-{i}")} onclick={remove(i)}>{ "Remove from the list" }</button></p>
            },
            FileState::NotAnExport(m) => html! {
                <p class="import-failed" role="alert">{ m.clone() }{ " " }
                    <button type="button" class="secondary" id={format!("import-remove-{i}")} onclick={remove(i)}>{ "Remove from the list" }</button></p>
            },
            FileState::Cancelled => html! {
                <p class="note">{ "Cancelled. " }
                    <button type="button" class="secondary" id={format!("import-remove-{i}")} onclick={remove(i)}>{ "Remove from the list" }</button></p>
            },
        };
        html! { <li class="import-file" id={format!("import-file-{i}")} tabindex="-1"><strong>{ f.name.clone() }</strong>{ body }</li> }
    });

    // --- the column-mapping editor -------------------------------------------------------------
    let editor = match &state.editing {
        Some((i, mapping, kind)) => {
            let header: Vec<String> = match state.files.get(*i).map(|f| &f.state) {
                Some(FileState::Read(s)) => s.header.clone(),
                Some(FileState::Failed(_, h)) => h.clone(),
                _ => Vec::new(),
            };
            let kind_now = kind.unwrap_or(FileKind::AdUsers);
            // Another kind reads other fields: start again from what its synonyms find.
            let on_kind = {
                let state = state.clone();
                let (i, mapping, header) = (*i, mapping.clone(), header.clone());
                Callback::from(move |e: Event| {
                    let v = e.target_unchecked_into::<HtmlSelectElement>().value();
                    let k = FileKind::from_name(&v);
                    let m = match k {
                        Some(k) if !header.is_empty() => ColumnMapping::detect(k, &header),
                        _ => mapping.clone(),
                    };
                    state.dispatch(Msg::Edit(Some((i, m, k))));
                })
            };
            let rows = Field::for_kind(kind_now).iter().map(|&f| {
                let on = {
                    let state = state.clone();
                    let (i, mapping, kind) = (*i, mapping.clone(), *kind);
                    Callback::from(move |e: Event| {
                        let v = e.target_unchecked_into::<HtmlSelectElement>().value();
                        // No column is taken from another field here: arrow keys walk a select
                        // through every option, and each step would unmap a field on its way.
                        let mut m = mapping.clone();
                        m.columns.retain(|(g, _)| *g != f);
                        if let Ok(c) = v.parse::<usize>() {
                            m.columns.push((f, c));
                        }
                        state.dispatch(Msg::Edit(Some((i, m, kind))));
                    })
                };
                let current = mapping.get(f);
                let id = format!("map-{}-{:?}", i, f);
                html! {
                    <tr>
                        <th scope="row"><label for={id.clone()}>{ f.label() }</label></th>
                        <td><select id={id} onchange={on}>
                            <option value="" selected={current.is_none()}>{ "(not in this file)" }</option>
                            { for header.iter().enumerate().map(|(c, h)| html! { <option value={c.to_string()} selected={current == Some(c)}>{ column_choice(c, h) }</option> }) }
                        </select></td>
                    </tr>
                }
            });
            let reread = {
                let bridge = bridge.clone();
                let state = state.clone();
                let send_file = send_file.clone();
                let (i, mapping, kind) = (*i, mapping.clone(), Some(kind_now));
                let read = state.files.get(i).map_or(0, |f| f.read);
                Callback::from(move |_| {
                    let file = bridge
                        .borrow()
                        .files
                        .iter()
                        .find(|(r, _)| *r == read)
                        .map(|(_, s)| s.clone());
                    if let Some(file) = file {
                        // The same file with the kind and columns chosen now: it takes the
                        // place of its earlier reading (were it refused as a file read
                        // already, it would keep its first columns).
                        let opts = ImportOptions {
                            kind,
                            mapping: (!mapping.columns.is_empty()).then(|| mapping.clone()),
                            delimiter: None,
                            by_header: Vec::new(),
                            again: true,
                        };
                        send_file(file, opts, Some(i));
                    }
                    state.dispatch(Msg::Edit(None));
                    // The editor and this button go: focus moves to the file, whose row shows
                    // the reading and then what was read (it was left on the page's body).
                    focus_by_id(&format!("import-file-{i}"));
                })
            };
            let close = {
                let state = state.clone();
                let i = *i;
                Callback::from(move |_| {
                    state.dispatch(Msg::Edit(None));
                    focus_by_id(&format!("import-columns-{i}"));
                })
            };
            let name = state
                .files
                .get(*i)
                .map(|f| f.name.clone())
                .unwrap_or_default();
            html! {
                <div class="import-mapping" id={EDITOR_ID} role="group" aria-label={format!("Columns of {name}")}>
                    <label>{ "The file holds " }
                        <select id="import-mapping-kind" onchange={on_kind}>
                            { for FileKind::ALL.iter().map(|k| html! { <option value={k.name()} selected={*k == kind_now}>{ k.label() }</option> }) }
                        </select>
                    </label>
                    if !header.is_empty() {
                        <table class="import-mapping-table"><tbody>{ for rows }</tbody></table>
                    }
                    <div class="button-row">
                        <button type="button" onclick={reread}>{ "Read the file again" }</button>
                        <button type="button" class="secondary" onclick={close}>{ "Close" }</button>
                    </div>
                </div>
            }
        }
        None => html! {},
    };

    // --- options -------------------------------------------------------------------------------
    let opts = state.opts.clone();
    // A date out of range is not applied: the field keeps it and says which date the counts
    // still use (browser review 21: a year typed as 2205 was ignored without a word).
    let on_today = {
        let (set_opts, opts, state) = (set_opts.clone(), opts.clone(), state.clone());
        Callback::from(move |e: Event| {
            let typed = Date::parse(&e.target_unchecked_into::<HtmlInputElement>().value());
            match typed.filter(|d| COUNT_DATES.contains(d)) {
                Some(d) => {
                    state.dispatch(Msg::AsOfError(None));
                    if d != opts.today {
                        let mut o = opts.clone();
                        o.today = d;
                        set_opts(o);
                    }
                }
                None => state.dispatch(Msg::AsOfError(Some((
                    e.target_unchecked_into::<HtmlInputElement>().value(),
                    format!(
                        "Enter a date from {} to {}. Still counting as of {}.",
                        COUNT_DATES.start(),
                        COUNT_DATES.end(),
                        opts.today
                    ),
                )))),
            }
        })
    };
    // A window out of range is not applied (nor clamped): the field keeps what was typed and
    // says why, and the counts keep the last valid window.
    let on_window = {
        let (set_opts, opts, state) = (set_opts.clone(), opts.clone(), state.clone());
        Callback::from(move |e: Event| {
            // A text field (a number field reports "" for what is no number, and would lose it).
            let typed = e.target_unchecked_into::<HtmlInputElement>().value();
            match parse_dormancy_days(&typed) {
                Ok(d) => {
                    state.dispatch(Msg::DormancyInput(None));
                    if d != opts.dormancy_days {
                        let mut o = opts.clone();
                        o.dormancy_days = d;
                        set_opts(o);
                    }
                }
                Err(why) => state.dispatch(Msg::DormancyInput(Some((
                    typed,
                    format!(
                        "{why} Still counting with {} day{}.",
                        opts.dormancy_days,
                        if opts.dormancy_days == 1 { "" } else { "s" }
                    ),
                )))),
            }
        })
    };
    let on_order = {
        let (set_opts, opts) = (set_opts.clone(), opts.clone());
        Callback::from(move |e: Event| {
            let mut o = opts.clone();
            o.date_order = match e
                .target_unchecked_into::<HtmlSelectElement>()
                .value()
                .as_str()
            {
                "us" => Some(DateOrder::MonthFirst),
                "eu" => Some(DateOrder::DayFirst),
                _ => None,
            };
            set_opts(o);
        })
    };
    let on_domains = {
        let (set_opts, opts) = (set_opts.clone(), opts.clone());
        Callback::from(move |e: Event| {
            let mut o = opts.clone();
            o.internal_domains = e
                .target_unchecked_into::<HtmlInputElement>()
                .value()
                .split([',', ' ', ';'])
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            set_opts(o);
        })
    };
    let on_combine = {
        let (set_opts, opts) = (set_opts.clone(), opts.clone());
        Callback::from(move |e: Event| {
            let mut o = opts.clone();
            o.combine_directories = e.target_unchecked_into::<HtmlInputElement>().checked();
            set_opts(o);
        })
    };
    let options = html! {
        <div class="import-options field-grid">
            <div class="import-as-of">
                <label for="import-as-of">{ "Counts as of " }</label>
                <input id="import-as-of" type="date" value={state.as_of_error.as_ref().map_or_else(|| opts.today.to_string(), |(typed, _)| typed.clone())} onchange={on_today}
                    min={COUNT_DATES.start().to_string()} max={COUNT_DATES.end().to_string()}
                    aria-invalid={state.as_of_error.is_some().then_some("true")}
                    aria-describedby={state.as_of_error.is_some().then_some("import-as-of-error")} />
                if let Some((_, why)) = &state.as_of_error {
                    <p id="import-as-of-error" class="field-error" role="alert">{ why.clone() }</p>
                }
                // Counted as of a day before the export was made (a sample's day kept for one's
                // own export, review of the import panel), its logons come after the count.
                if let Some((after, Some(latest))) = accounts_view.map(|a| a.logons_after).filter(|(after, _)| *after > 0) {
                    <p class="notice warning" role="status" data-testid="import-logons-after">{ format!(
                        "{} signed in after {} (the latest on {latest}): the counts are as of a day before the export was made, so dormancy is judged as of that earlier day. Set “Counts as of” to the day the export was made.",
                        format::counted(u64::from(after), "account", "accounts"),
                        opts.today
                    ) }</p>
                }
            </div>
            <div class="import-dormancy">
                <label for="import-dormancy">{ "Dormant after (days) " }</label>
                <input id="import-dormancy" type="text" inputmode="numeric" size="5"
                    value={state.dormancy_input.as_ref().map_or_else(|| opts.dormancy_days.to_string(), |(typed, _)| typed.clone())}
                    aria-invalid={state.dormancy_input.is_some().then_some("true")}
                    aria-describedby={state.dormancy_input.is_some().then_some("import-dormancy-error")}
                    onchange={on_window} />
                if let Some((_, why)) = &state.dormancy_input {
                    <p id="import-dormancy-error" class="field-error" role="alert">{ why.clone() }</p>
                }
            </div>
            <label>{ "Dates like 3/4/2025 are " }
                <select onchange={on_order}>
                    <option value="" selected={opts.date_order.is_none()}>{ "decided by the file" }</option>
                    <option value="us" selected={opts.date_order == Some(DateOrder::MonthFirst)}>{ "month first (US)" }</option>
                    <option value="eu" selected={opts.date_order == Some(DateOrder::DayFirst)}>{ "day first (Europe)" }</option>
                </select>
            </label>
            <label>{ "Your own domains (with their subdomains; others are external) " }<input type="text" placeholder="corp.example, example.com" value={opts.internal_domains.join(", ")} onchange={on_domains} /></label>
            if directory_exports > 1 {
                <label class="import-combine"><input id="import-combine" type="checkbox" checked={opts.combine_directories} onchange={on_combine} />{ " Count the directory exports together: they are domains of one organisation (a person with accounts in several is matched by e-mail and employee ID)" }</label>
            }
        </div>
    };

    // --- funnels -------------------------------------------------------------------------------
    let funnel_table = |id: &str, steps: &[crate::import::FunnelStep]| {
        html! {
            <table class="import-funnel" id={id.to_string()}>
                <thead><tr><th scope="col">{ "Step" }</th><th scope="col">{ "Removed" }</th><th scope="col">{ "Remaining" }</th></tr></thead>
                <tbody>
                    { for steps.iter().map(|s| html! {
                        <tr data-removed={s.removed.to_string()} data-remaining={s.remaining.to_string()}>
                            <th scope="row">{ s.label.clone() }<span class="note">{ format!(" {}", s.rule) }</span></th>
                            <td>{ if s.removed > 0 { format!("−{}", n(s.removed)) } else { String::new() } }</td>
                            <td>{ n(s.remaining) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        }
    };
    // --- devices with their verdicts and why ---------------------------------------------------
    let device_list = {
        let list = &state.devices;
        let query = |q: String, st: String, off: u32| {
            let state = state.clone();
            move || state.dispatch(Msg::DeviceQuery(q.clone(), st.clone(), off))
        };
        let on_query = {
            let state = state.clone();
            Callback::from(move |e: InputEvent| {
                let q = e.target_unchecked_into::<HtmlInputElement>().value();
                state.dispatch(Msg::DeviceQuery(q, state.devices.status.clone(), 0));
            })
        };
        let on_status = {
            let state = state.clone();
            Callback::from(move |e: Event| {
                let v = e.target_unchecked_into::<HtmlSelectElement>().value();
                state.dispatch(Msg::DeviceQuery(state.devices.query.clone(), v, 0));
            })
        };
        let (offset, matching) = (list.offset, list.page.matching);
        let answered = {
            let asked = device_asked.borrow();
            asked.0 == list.answers && asked.1.as_ref() == Some(&device_question)
        };
        // With several device exports read, a line says which file it is of (the page shown may
        // hold rows of one of them only).
        let several_files = (state.overview.as_ref())
            .and_then(|o| o.devices.as_ref())
            .is_some_and(|d| d.exports > 1);
        let prev = {
            let go = query(
                list.query.clone(),
                list.status.clone(),
                offset.saturating_sub(PAGE),
            );
            Callback::from(move |_| {
                if offset > 0 {
                    go();
                }
            })
        };
        let next = {
            let go = query(list.query.clone(), list.status.clone(), offset + PAGE);
            Callback::from(move |_| {
                if offset + PAGE < matching {
                    go();
                }
            })
        };
        html! {
            <div class="import-device-list">
                <h4>{ "Every device and why" }</h4>
                <div class="button-row">
                    <label>{ "Search devices " }<input type="search" id="import-device-search" value={list.query.clone()} oninput={on_query} /></label>
                    <label>{ "Show " }
                        <select id="import-device-status" onchange={on_status}>
                            <option value="" selected={list.status.is_empty()}>{ "all" }</option>
                            { for crate::import::devices::DeviceStatus::ALL.iter().map(|s| html! {
                                <option value={s.name()} selected={list.status == s.name()}>{ crate::import::session::device_status_label(*s) }</option>
                            }) }
                        </select>
                    </label>
                </div>
                <div class="table-wrap">
                    <table class="import-account-table import-device-table stack">
                        <thead><tr><th scope="col">{ "Device" }</th><th scope="col">{ "Verdict" }</th><th scope="col">{ "Reason" }</th></tr></thead>
                        <tbody>
                            { for list.page.rows.iter().map(|r| html! {
                                <tr key={format!("{}\u{1f}{}", r.file, r.line)} class="import-device" data-status={r.status.name()}>
                                    <td><span class="account-key device-name">{ r.name.clone() }</span></td>
                                    <td data-label="Verdict">{ crate::import::session::device_status_label(r.status) }</td>
                                    <td class="import-reason" data-label="Reason">{ r.reason.clone() }<span class="note">{
                                        if several_files { format!(" ({}, {})", r.file, r.unit.at(r.line)) } else { format!(" ({})", r.unit.at(r.line)) }
                                    }</span></td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
                { pager(Pager { test_id: "import-device-range", none: "No device matches the search and the verdict shown.", labels: ("Previous devices", "Next devices"), offset, matching, answered, prev, next }) }
            </div>
        }
    };
    let overview = match &state.overview {
        Some(o) => {
            let accounts = o.accounts.as_ref().map(|a| html! {
                <>
                    <h3>{ "From accounts to people" }</h3>
                    if a.date_order_assumed {
                        <p class="note" role="status">{ "The dates of this file do not say whether 3/4 is 3 April or 4 March; read as month first (US). Change it above if that is wrong." }</p>
                    }
                    // Read day first because month first put logons after the count (review 20).
                    { for a.date_order_notes.iter().map(|note| html! {
                        <p class="note" role="status" data-testid="import-date-order-note">{ note.clone() }</p>
                    }) }
                    if let Some(e) = &a.combine_error {
                        <p class="note" role="alert">{ format!("The directory exports could not be counted together ({e}); only the last one read is counted.") }</p>
                    }
                    { funnel_table("import-funnel-accounts", &a.funnel) }
                    if let Some((dormant, before)) = crate::import::mostly_dormant(&a.funnel) {
                        { as_of_warning("import-mostly-dormant", crate::import::mostly_dormant_text(dormant, before, opts.dormancy_days, opts.today)) }
                    }
                    if a.near_the_line > 0 {
                        <p class="note">{ crate::ui::format::as_sentence(&crate::import::near_the_line_text(a.near_the_line)) }</p>
                    }
                    <table class="import-groups" id="import-groups">
                        <thead><tr><th scope="col">{ "People by kind" }</th><th scope="col">{ "Count" }</th></tr></thead>
                        <tbody>
                            { for a.groups.iter().map(|(k, count)| html! {
                                <tr data-kind={k.name()} data-count={count.to_string()}>
                                    <th scope="row">{ kind_label(*k) }{ if k.is_external() { " (external)" } else { "" } }</th><td>{ n(*count) }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                    if let Some(plans) = crate::import::plans_text(a) {
                        <p class="note" id="import-m365-plans">{ crate::ui::format::as_sentence(&plans) }</p>
                    }
                </>
            });
            let devices = o.devices.as_ref().map(|d| html! {
                <>
                    <h3>{ "Devices" }</h3>
                    { funnel_table("import-funnel-devices", &d.funnel) }
                    // The same check for a device export (the command line's warning too).
                    if let Some((stale, before)) = crate::import::mostly_not_seen(&d.funnel) {
                        { as_of_warning("import-mostly-not-seen", crate::import::mostly_not_seen_text(stale, before, opts.dormancy_days, opts.today)) }
                    }
                    <p class="note" id="import-device-split" data-personal={d.personal.to_string()} data-shared={d.shared.to_string()} data-clients={d.clients.to_string()} data-unattended={d.unattended.to_string()} data-network={d.network.to_string()}>
                        { crate::ui::format::as_sentence(&crate::import::device_split_text(d)) }
                    </p>
                    { device_list.clone() }
                </>
            });
            let usage = o.usage.as_ref().map(|u| html! {
                <>
                    <h3>{ "Usage" }</h3>
                    <p id="import-usage" data-links={u.links.to_string()} data-users={u.users.to_string()} data-devices={u.devices.to_string()} data-servers={u.servers.to_string()} data-rds-users={u.rds_per_user.to_string()}>
                        { format!("{} → {} distinct {}: {}, {}, {}", format::counted(u.rows.into(), "row", "rows"), n(u.links), if u.links == 1 { "link" } else { "links" }, format::counted(u.users.into(), "user", "users"), format::counted(u.devices.into(), "client device", "client devices"), format::counted(u.servers.into(), "server", "servers")) }
                        if u.system_rows > 0 { { format!(" ({} system or machine logons left out)", n(u.system_rows)) } }
                        if u.rds_per_user + u.rds_per_device > 0 { { format!(". RD Licensing: {} per-user and {} per-device CALs issued", n(u.rds_per_user), n(u.rds_per_device)) } }
                        { "." }
                    </p>
                </>
            });
            let holdings = (!o.holdings.is_empty()).then(|| html! {
                <>
                    <h3>{ "Licences owned" }</h3>
                    <ul id="import-holdings" data-count={o.holdings.len().to_string()}>
                        { for o.holdings.iter().map(|h| html! { <li>{ holding_text(h, opts.today) }</li> }) }
                    </ul>
                </>
            });
            html! { <div class="import-overview">{ accounts }{ devices }{ usage }{ holdings }</div> }
        }
        None => html! {},
    };

    // --- accounts with reasons and overrides ---------------------------------------------------
    let accounts = if state
        .overview
        .as_ref()
        .is_some_and(|o| o.accounts.is_some())
    {
        let on_query = {
            let state = state.clone();
            Callback::from(move |e: InputEvent| {
                let q = e.target_unchecked_into::<HtmlInputElement>().value();
                state.dispatch(Msg::Query(q, state.status.clone(), 0));
            })
        };
        let on_status = {
            let state = state.clone();
            Callback::from(move |e: Event| {
                let v = e.target_unchecked_into::<HtmlSelectElement>().value();
                state.dispatch(Msg::Query(state.query.clone(), v, 0));
            })
        };
        let set_override = {
            let (set_opts, opts) = (set_opts.clone(), opts.clone());
            Rc::new(
                move |(key, file): (String, Option<String>),
                      count: Option<Option<bool>>,
                      kind: Option<Option<PersonKind>>| {
                    let mut o = opts.clone();
                    let pos = o
                        .overrides
                        .iter()
                        .position(|x| x.account.eq_ignore_ascii_case(&key) && x.file == file);
                    let mut ov = pos
                        .map(|p| o.overrides.remove(p))
                        .unwrap_or(AccountOverride {
                            account: key,
                            count: None,
                            kind: None,
                            same_person_as: None,
                            file,
                        });
                    if let Some(c) = count {
                        ov.count = c;
                    }
                    if let Some(k) = kind {
                        ov.kind = k;
                    }
                    if ov.count.is_some() || ov.kind.is_some() || ov.same_person_as.is_some() {
                        o.overrides.push(ov);
                    }
                    set_opts(o);
                },
            )
        };
        // A name the page lists twice (two exports counted together, each with a dormant00) is
        // told apart by its file in the selects' labels: two "Decision for dormant00" could not
        // be told apart by ear or by a label search (review of the import panel).
        let repeated = |key: &str| {
            state
                .page
                .rows
                .iter()
                .filter(|o| o.key.eq_ignore_ascii_case(key))
                .nth(1)
                .is_some()
        };
        // The list shown, under which a decision keeps its account listed (`Pinned`).
        let view = (state.query.clone(), state.status.clone(), page_question.5);
        let rows = state.page.rows.iter().map(|r| {
            let who = if repeated(&r.key) {
                format!("{} ({})", r.key, r.file)
            } else {
                r.key.clone()
            };
            let ov = override_for(&opts.overrides, &r.key, &r.file).cloned();
            // With several exports counted, a decision is for this export's account only.
            let target = (r.key.clone(), show_file.then(|| r.file.clone()));
            let on_decision = {
                let (set_override, key) = (set_override.clone(), target.clone());
                let (decided, pinned) = (decided.clone(), pinned.clone());
                let view = view.clone();
                let row = (r.file.clone(), r.line);
                Callback::from(move |e: Event| {
                    *decided.borrow_mut() = true;
                    pinned.borrow_mut().pin(&view, &row);
                    let c = match e.target_unchecked_into::<HtmlSelectElement>().value().as_str() {
                        "count" => Some(true),
                        "exclude" => Some(false),
                        _ => None,
                    };
                    set_override(key.clone(), Some(c), None);
                })
            };
            let on_kind = {
                let (set_override, key) = (set_override.clone(), target);
                let pinned = pinned.clone();
                let view = view.clone();
                let row = (r.file.clone(), r.line);
                Callback::from(move |e: Event| {
                    pinned.borrow_mut().pin(&view, &row);
                    let v = e.target_unchecked_into::<HtmlSelectElement>().value();
                    let k = PersonKind::from_name(&v).filter(|k| account_kinds().any(|a| a == *k));
                    set_override(key.clone(), None, Some(k));
                })
            };
            let decision = ov.as_ref().and_then(|o| o.count);
            let kind_ov = ov.as_ref().and_then(|o| o.kind);
            html! {
                // Keyed by the account: a row's select is never another account's reused, whose
                // option chosen by hand would stay shown over this one's decision (a decision
                // made, the search cleared and typed again showed "As found" beside "Left out by
                // you").
                <tr key={format!("{}\u{1f}{}\u{1f}{}", r.file, r.line, r.key)} class={classes!("import-account", format!("status-{}", status_label(r.status).to_ascii_lowercase().replace(' ', "-")))}>
                    <td><span class="account-key">{ r.key.clone() }</span><br/><span class="note">{ r.display_name.clone() }</span></td>
                    <td data-label="Verdict">{ status_label(r.status) }</td>
                    <td class="import-reason" data-label="Reason">{ r.reason.clone() }<span class="note">{
                        if show_file { format!(" ({}, {})", r.file, r.unit.at(r.line)) } else { format!(" ({})", r.unit.at(r.line)) }
                    }</span>
                    if !state.status.is_empty() && r.status.name() != state.status {
                        <span class="note" data-testid="import-kept-row">{ " Decided here: listed until the search or “Show” changes." }</span>
                    }</td>
                    <td class="import-decision" data-label="Your decision">
                        <select aria-label={format!("Decision for {who}")} onchange={on_decision}>
                            <option value="" selected={decision.is_none()}>{ "As found" }</option>
                            <option value="count" selected={decision == Some(true)}>{ "Count it" }</option>
                            <option value="exclude" selected={decision == Some(false)}>{ "Leave it out" }</option>
                        </select>
                        <select aria-label={format!("Kind of {who}")} onchange={on_kind}>
                            <option value="" selected={kind_ov.is_none()}>{ format!("{} (found)", kind_label(r.kind)) }</option>
                            { for account_kinds().map(|k| html! { <option value={k.name()} selected={kind_ov == Some(k)}>{ kind_label(k) }</option> }) }
                        </select>
                    </td>
                </tr>
            }
        });
        let (offset, matching) = (state.offset, state.page.matching);
        // Whether the page shown answers the last request, and that request the question as it
        // is now (a new question is asked by the effect after this render).
        let answered = {
            let asked = page_asked.borrow();
            asked.0 == state.page_answers && asked.1.as_ref() == Some(&page_question)
        };
        // The pager's buttons stay focusable at the ends (aria-disabled, not disabled): a
        // disabled button under the keyboard's focus dropped it to the page (review 19).
        let prev = {
            let state = state.clone();
            Callback::from(move |_| {
                if state.offset == 0 {
                    return;
                }
                state.dispatch(Msg::Query(
                    state.query.clone(),
                    state.status.clone(),
                    state.offset.saturating_sub(PAGE),
                ))
            })
        };
        let next = {
            let state = state.clone();
            Callback::from(move |_| {
                if state.offset + PAGE >= state.page.matching {
                    return;
                }
                state.dispatch(Msg::Query(
                    state.query.clone(),
                    state.status.clone(),
                    state.offset + PAGE,
                ))
            })
        };
        html! {
            <div class="import-accounts">
                <h3>{ "Every account and why" }</h3>
                <div class="button-row">
                    <label>{ "Search " }<input type="search" id="import-search" value={state.query.clone()} oninput={on_query} /></label>
                    <label>{ "Show " }
                        <select onchange={on_status}>
                            <option value="" selected={state.status.is_empty()}>{ "all" }</option>
                            { for [Status::Counted, Status::Dormant, Status::Service, Status::Disabled, Status::Expired, Status::System, Status::ExcludedByYou].iter().map(|s| {
                                let v = serde_json::to_string(s).unwrap_or_default().trim_matches('"').to_string();
                                html! { <option value={v.clone()} selected={state.status == v}>{ status_label(*s) }</option> }
                            }) }
                        </select>
                    </label>
                </div>
                <div class="table-wrap">
                    <table class="import-account-table stack">
                        <thead><tr><th scope="col">{ "Account" }</th><th scope="col">{ "Verdict" }</th><th scope="col">{ "Reason" }</th><th scope="col">{ "Your decision" }</th></tr></thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                </div>
                { pager(Pager { test_id: "import-page-range", none: "No account matches the search and the verdict shown.", labels: ("Previous", "Next"), offset, matching, answered, prev, next }) }
            </div>
        }
    } else {
        html! {}
    };

    let reading = state
        .files
        .iter()
        .any(|f| matches!(f.state, FileState::Reading { .. }));
    let any_read = state
        .files
        .iter()
        .any(|f| matches!(f.state, FileState::Read(_)));
    html! {
        <section class="card import-panel no-print" aria-labelledby="import-title">
            <h2 id="import-title">{ "Import from your directory" }</h2>
            <p class="note">{ PRIVACY_NOTE }</p>
            <div class="import-drop" ondrop={on_drop} ondragover={on_drag_over}>
                <input id="import-files" class="visually-hidden" type="file" multiple=true accept=".csv,.tsv,.txt,.json,.jsonl,.ndjson,text/csv,text/plain,application/json" onchange={on_pick} />
                <label class="button file-button" for="import-files">{ "Choose files" }</label>
                <span class="note">{ " or drop them here." }</span>
            </div>
            if let Some(e) = &state.error { <p class="import-failed" role="alert">{ e.clone() }</p> }
            <details class="import-samples">
                <summary>{ "Try it with sample exports" }</summary>
                <p class="note">{ format!("Invented accounts, exported on {SAMPLES_DAY}: choosing one sets “Counts as of” to that day (set it back to the day of your own exports before reading them).") }</p>
                <div class="button-row">
                    { for SAMPLES.iter().map(|(name, label)| {
                        let send_file = send_file.clone();
                        let onclick = Callback::from(move |_| send_file(Source::Sample(name.to_string()), ImportOptions::default(), None));
                        html! { <button type="button" class="secondary" data-sample={*name} title={*label} {onclick}>{ *name }</button> }
                    }) }
                </div>
            </details>
            // Imported account rows are never kept (privacy: they name people); say so where the
            // files were, rather than show an empty panel beside an imported estate after a
            // reload (review of the import panel: the decisions went without a word).
            if imported_before {
                <p class="note" data-testid="import-not-kept">{ "The estate shown holds figures from an import. The files read and the decisions made on single accounts are kept in this page only and never saved, as the files name people: a reload lets them go, and the import's options (Counts as of, Dormant after, your own domains…) start again as on a first visit. To change a decision, read the files again, make it again and use the figures again: the groups the import made are updated." }</p>
            }
            <ul class="import-files" aria-live="polite">{ for files }</ul>
            { editor }
            if any_read || state.overview.is_some() {
                { options }
                { overview }
                { accounts }
                <div class="button-row">
                    <button type="button" id="import-apply" disabled={reading || !any_read || state.busy.is_some()} onclick={on_apply}>{ "Use these figures in the estate" }</button>
                    <button type="button" class="secondary" onclick={on_clear}>{ "Forget the imported files" }</button>
                </div>
                if state.asking {
                    <div class="import-ask" role="group" aria-labelledby="import-ask-question" data-testid="import-ask">
                        <p id="import-ask-question"><strong>{ "Replace the estate you have, or add these figures to it?" }</strong></p>
                        <p class="note">{ "Replace: the figures go into an empty estate; only the currency, your own prices, the choices under “Where sources disagree” and the estate's note stay. Add: they join your groups, servers and licences, and people in groups you entered are counted as well. Either way, “Restore the previous estate” in the message after applying brings back the estate as it is now." }</p>
                        <div class="button-row">
                            <button type="button" id="import-replace" onclick={on_replace}>{ "Replace the current estate" }</button>
                            <button type="button" id="import-add" class="secondary" onclick={on_add}>{ "Add to the current estate" }</button>
                            <button type="button" class="secondary" onclick={on_ask_cancel}>{ "Cancel" }</button>
                        </div>
                    </div>
                }
                if state.busy == Some(Busy::Apply) {
                    <p class="note import-applying" role="status" data-testid="import-applying">{ "Putting the imported figures in the estate… You can go on editing: what you change meanwhile is kept." }</p>
                } else if let Some(t) = &state.applied {
                    <p class="import-applied" id="import-applied" tabindex="-1" role="status">{ t.clone() }</p>
                }
                <p class="note">{ "On the sample estate of a first visit the figures go into an empty estate; the sample is never counted with them. On an estate you entered or loaded you choose to replace it or add to it. Applying makes one group per kind of person (or updates the groups an earlier import added), usage links matched to your servers (added to those of earlier imports, each link once), shared and unattended device pools, and the licences owned: a statement line replaces a holding of the same product, kind and version. The message after applying offers the estate as it was." }</p>
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::estate::{CalProduct, Holding, LicenceKind};
    use wasm_bindgen_test::wasm_bindgen_test;

    fn panel(files: Vec<FileState>) -> Rc<PanelState> {
        Rc::new(PanelState {
            files: files
                .into_iter()
                .enumerate()
                .map(|(i, state)| FileRow {
                    name: format!("f{i}.csv"),
                    state,
                    replaced_by: None,
                    options: ImportOptions::default(),
                    read: 0,
                    earlier: None,
                    again_failed: None,
                })
                .collect(),
            overview: None,
            page: AccountPage::default(),
            page_answers: 0,
            query: String::new(),
            status: String::new(),
            offset: 0,
            opts: ClassifyOptions::new(Date {
                year: 2025,
                month: 6,
                day: 30,
            }),
            editing: None,
            dormancy_input: None,
            as_of_error: None,
            error: None,
            applied: None,
            sample_day: false,
            asking: false,
            busy: None,
            pool_choice: VecMap::new(),
            pool_result: None,
            devices: DeviceList::default(),
        })
    }

    /// QA browser L3: an empty file stayed in the list with no way to take it off.
    #[wasm_bindgen_test]
    fn a_file_that_could_not_be_read_can_be_removed_from_the_list() {
        let s = panel(vec![
            FileState::Failed("The file is empty.".into(), Vec::new()),
            FileState::Cancelled,
        ]);
        let s = s.reduce(Msg::Remove(0));
        assert_eq!(s.files.len(), 1);
        let s = s.reduce(Msg::Remove(0));
        assert!(s.files.is_empty());
    }

    /// The worker's failure for file `name` whose columns, `header`, it did not recognise.
    fn failed_with_header(name: &str, header: &[&str]) -> WorkerMsg {
        let message = browser::js_object(&[
            ("type", "failed".into()),
            ("name", name.into()),
            ("message", "not recognised".into()),
            (
                "header",
                header
                    .iter()
                    .map(|h| JsValue::from_str(h))
                    .collect::<js_sys::Array>()
                    .into(),
            ),
        ]);
        let Some(failed) = parse_worker_msg(&message) else {
            panic!("a failure is a worker message");
        };
        failed
    }

    /// Review 18: "Imported figures applied: 1 group(s) created, …" now says each count in the
    /// singular or plural it is.
    #[wasm_bindgen_test]
    fn applying_says_its_counts_in_words() {
        let mut s = crate::import::apply::ApplySummary {
            groups_created: vec!["staff".into()],
            usage_links: 2,
            holdings_added: 1,
            holdings_removed: 1,
            ..Default::default()
        };
        assert_eq!(
            applied_counts(&s),
            "Imported figures applied: 1 group created, 0 updated, 2 usage links, 1 holding added, 0 updated. 1 older holding of the same licences was replaced by the statement's lots."
        );
        s.holdings_removed = 3;
        assert!(applied_counts(&s).ends_with(
            " 3 older holdings of the same licences were replaced by the statement's lots."
        ));
        // The device pools an import makes or changes are named (a device export alone said
        // "0 groups created, 0 updated, …" over the pools it had added).
        s.holdings_removed = 0;
        s.pools_created = vec![
            "Printers and scanners (imported)".into(),
            "Network equipment (imported)".into(),
        ];
        s.pools_updated = vec!["Shared devices (imported)".into()];
        assert!(
            applied_counts(&s).ends_with(
                " Device pools created: Printers and scanners (imported), Network equipment (imported). Device pool updated: Shared devices (imported)."
            ),
            "{}",
            applied_counts(&s)
        );
    }

    /// Review 17: an estate file dropped into the import was told where it belongs, but its row
    /// still offered "Say what it holds…", which opened a column editor for JSON. It is now a
    /// row of its own kind: the message and "Remove from the list", no editor.
    #[wasm_bindgen_test]
    fn an_estate_file_dropped_into_the_import_offers_no_column_editor() {
        let failed = failed_with_header("estate.json", &["{", "\"version\": 1"]);
        let s = panel(Vec::new())
            .reduce(Msg::Started {
                name: "estate.json".into(),
                options: ImportOptions::default(),
                read: 0,
                row: None,
            })
            .reduce(Msg::Worker(failed));
        let FileState::NotAnExport(said) = &s.files[0].state else {
            panic!("{:?}", s.files[0].state)
        };
        assert!(said.contains("Import estate (JSON)"), "{said}");
        let s = s.reduce(Msg::Remove(0));
        assert!(s.files.is_empty());
    }

    /// QA browser M5: a file whose columns were not recognised keeps the header the worker sends
    /// with the failure (for the column editor) and the kind it was last asked to be read as.
    #[wasm_bindgen_test]
    fn a_failed_file_keeps_its_header_and_the_options_it_was_read_with() {
        let failed = failed_with_header("de.csv", &["Login", "Aktiviert"]);
        let opts = ImportOptions {
            kind: Some(FileKind::Usage),
            ..ImportOptions::default()
        };
        let s = panel(Vec::new())
            .reduce(Msg::Started {
                name: "de.csv".into(),
                options: opts.clone(),
                read: 0,
                row: None,
            })
            .reduce(Msg::Worker(failed));
        assert_eq!(
            s.files[0].state,
            FileState::Failed(
                "not recognised".into(),
                vec!["Login".into(), "Aktiviert".into()]
            )
        );
        assert_eq!(s.files[0].options, opts);
    }

    /// The summary the worker's session gives of the file `name` holding `bytes`.
    fn read_by_worker(name: &str, bytes: &[u8]) -> FileSummary {
        let mut session = crate::import::session::Session::new();
        session.begin(ImportOptions::default());
        let read = session.push(bytes).and_then(|()| session.finish(name));
        read.unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    /// Review 16 (1): a file dropped again takes a row of its own, so that when the worker
    /// refuses it as a file read already, the earlier file's row keeps its reading and the
    /// columns chosen for it; "Read the file again" stays in the row it was asked in.
    #[wasm_bindgen_test]
    fn a_file_dropped_again_and_refused_leaves_the_file_read_as_it_was() {
        let summary = read_by_worker(
            "f0.csv",
            b"Product,Quantity\nWindows Server 2022 User CAL,10\n",
        );
        let mapped = ImportOptions {
            kind: Some(FileKind::LicenceStatement),
            ..ImportOptions::default()
        };
        let mut first = panel(vec![FileState::Read(Box::new(summary.clone()))]);
        Rc::make_mut(&mut first).files[0].options = mapped.clone();
        let refused = browser::js_object(&[
            ("type", "failed".into()),
            ("name", "f0.csv".into()),
            ("read", JsValue::from(7)),
            (
                "message",
                "f0.csv is the same file as the f0.csv, read already".into(),
            ),
            ("sameAs", "f0.csv".into()),
        ]);
        let Some(refused) = parse_worker_msg(&refused) else {
            panic!("a refusal is a worker message");
        };
        let s = first
            .reduce(Msg::Started {
                name: "f0.csv".into(),
                options: ImportOptions::default(),
                read: 7,
                row: None,
            })
            .reduce(Msg::Worker(refused));
        assert_eq!(s.files.len(), 2);
        assert_eq!(s.files[0].state, FileState::Read(Box::new(summary)));
        assert_eq!(s.files[0].options, mapped);
        assert!(
            matches!(&s.files[1].state, FileState::Duplicate(m) if m.contains("same file as")),
            "{:?}",
            s.files[1].state
        );
        // Read again with other columns, the file read is read in its own row.
        let s = s.reduce(Msg::Started {
            name: "f0.csv".into(),
            options: mapped.clone(),
            read: 8,
            row: Some(0),
        });
        assert!(matches!(s.files[0].state, FileState::Reading { .. }));
        assert!(matches!(s.files[1].state, FileState::Duplicate(_)));
        let s = s.reduce(Msg::Remove(1));
        assert_eq!(s.files.len(), 1);
    }

    /// Race review 35: a directory export whose Cancel came once it was read is forgotten by the
    /// worker, which says it was cancelled: its row says so, and the others keep their reading.
    /// Which of them counts is not the rows' to say but the session's (the overview's `held`,
    /// review of the import panel: the rows' own bookkeeping named the wrong export).
    #[wasm_bindgen_test]
    fn a_directory_export_cancelled_once_read_says_so_and_the_others_stay_read() {
        let mut s = panel(vec![FileState::Cancelled; 3]);
        for (i, read) in (0..3).zip(1..) {
            let name = format!("f{i}.csv");
            let summary = read_by_worker(
                &name,
                format!("SamAccountName,Enabled\n{name},True\n").as_bytes(),
            );
            assert!(is_directory(summary.kind), "{summary:?}");
            s = s
                .reduce(Msg::Started {
                    name: summary.name.clone(),
                    options: ImportOptions::default(),
                    read,
                    row: Some(i),
                })
                .reduce(Msg::Worker(WorkerMsg::File(read, Box::new(summary))));
        }
        assert!(s.files.iter().all(|f| f.replaced_by.is_none()));
        let s = s.reduce(Msg::Worker(WorkerMsg::Cancelled("f1.csv".into(), 2, true)));
        assert_eq!(s.files[1].state, FileState::Cancelled);
        assert!(matches!(s.files[0].state, FileState::Read(_)));
        assert!(matches!(s.files[2].state, FileState::Read(_)));
    }

    /// Race review 35: a file read again with other columns counts with its earlier reading
    /// until the new one is added (the worker's session keeps it). Should the new reading fail
    /// or be cancelled first, the row shows the earlier reading again (with the failure), not
    /// a failure or "Cancelled." over a file still counted; cancelled once added, the worker
    /// forgets the file and the row says "Cancelled.".
    #[wasm_bindgen_test]
    fn a_file_read_again_that_fails_or_is_cancelled_shows_the_reading_that_counts() {
        let summary = read_by_worker("f0.csv", b"SamAccountName,Enabled\nu1,True\n");
        let first = panel(vec![FileState::Read(Box::new(summary.clone()))]);
        let again = |s: Rc<PanelState>, read: u32| {
            s.reduce(Msg::Started {
                name: "f0.csv".into(),
                options: ImportOptions {
                    kind: Some(FileKind::LicenceStatement),
                    again: true,
                    ..ImportOptions::default()
                },
                read,
                row: Some(0),
            })
        };
        let failed = WorkerMsg::Failed {
            name: "f0.csv".into(),
            read: 2,
            message: "The file has no Product column.".into(),
            header: vec!["SamAccountName".into(), "Enabled".into()],
            same_as: String::new(),
        };
        let s = again(first.clone(), 2).reduce(Msg::Worker(failed));
        assert_eq!(s.files[0].state, FileState::Read(Box::new(summary.clone())));
        assert_eq!(
            s.files[0].again_failed.as_deref(),
            Some("The file has no Product column.")
        );
        let s = again(s, 3);
        assert_eq!(s.files[0].again_failed, None);
        let s = s.reduce(Msg::Worker(WorkerMsg::Cancelled("f0.csv".into(), 3, false)));
        assert_eq!(s.files[0].state, FileState::Read(Box::new(summary.clone())));
        let s = again(s, 4).reduce(Msg::Worker(WorkerMsg::Cancelled("f0.csv".into(), 4, true)));
        assert_eq!(s.files[0].state, FileState::Cancelled);
        // A row that failed and is read again has no earlier reading to show.
        let s = again(s, 5).reduce(Msg::Worker(WorkerMsg::Cancelled("f0.csv".into(), 5, false)));
        assert_eq!(s.files[0].state, FileState::Cancelled);
    }

    /// Review 18: a one-row statement whose only row had an unclosed quote said "1 row(s) could
    /// not be read; the others were imported" though nothing was.
    #[wasm_bindgen_test]
    fn unreadable_rows_say_whether_anything_was_imported() {
        assert_eq!(
            unreadable_summary(1, 1),
            "The file's one row could not be read; nothing was imported."
        );
        assert_eq!(
            unreadable_summary(3, 3),
            "None of the 3 rows could be read; nothing was imported."
        );
        assert_eq!(
            unreadable_summary(2, 1),
            "1 row could not be read; the other row was imported."
        );
        assert_eq!(
            unreadable_summary(10, 2),
            "2 rows could not be read; the other 8 were imported."
        );
    }

    /// Review 18: counts in the panel had no digit grouping ("400000 rows", "1000 Windows
    /// Server 2022 User CALs"), unlike the rest of the app.
    #[wasm_bindgen_test]
    fn counts_in_the_panel_are_grouped_as_in_the_rest_of_the_app() {
        assert_eq!(n(400_000u64), format::count(400_000));
        assert_ne!(n(400_000u64), "400000");
        let h = Holding {
            product: CalProduct::WindowsServer,
            kind: LicenceKind::UserCal,
            version: "2022".into(),
            quantity: 1000,
            software_assurance: None,
            assigned_to: None,
        };
        assert_eq!(
            holding_text(&h, DAY),
            format!("{} Windows Server 2022 User CALs", format::count(1000))
        );
    }

    /// Review 18: "Say what it holds…" stood beside "The file is empty.", "This is not a text
    /// file…" and the reader that could not load, which no choice of kind helps; a file whose
    /// columns were not recognised keeps it. A file whose reading fails that way while its
    /// editor is open closes the editor.
    #[wasm_bindgen_test]
    fn only_a_failure_about_columns_offers_the_column_editor() {
        assert!(!kind_can_help(&[]));
        assert!(kind_can_help(&["Login".to_string()]));
        let mut s = panel(Vec::new());
        Rc::make_mut(&mut s).editing = Some((0, ColumnMapping::default(), None));
        let s = s
            .reduce(Msg::Started {
                name: "f0.csv".into(),
                options: ImportOptions::default(),
                read: 3,
                row: None,
            })
            .reduce(Msg::Worker(WorkerMsg::Failed {
                name: "f0.csv".into(),
                read: 3,
                message: "The file is empty.".into(),
                header: Vec::new(),
                same_as: String::new(),
            }));
        assert_eq!(s.editing, None);
        let s = s.reduce(Msg::Unavailable(Unavailable::Replaced));
        assert!(matches!(&s.files[0].state, FileState::Failed(_, h) if !kind_can_help(h)));
    }

    /// QA browser L1: "Licences owned" showed `WindowsServer DeviceCal`.
    #[wasm_bindgen_test]
    fn licences_owned_are_listed_by_their_names() {
        let h = Holding {
            product: CalProduct::WindowsServer,
            kind: LicenceKind::DeviceCal,
            version: "2022".into(),
            quantity: 20,
            software_assurance: None,
            assigned_to: None,
        };
        assert_eq!(holding_text(&h, DAY), "20 Windows Server 2022 Device CALs");
    }

    /// The date of the count in the tests of the holdings' text.
    const DAY: Date = Date {
        year: 2026,
        month: 6,
        day: 1,
    };

    /// Review 22: a lot whose Software Assurance ended 2024-12-31, and one marked "Expired", were
    /// listed "with Software Assurance". An SA that ended before the date of the count says so;
    /// one that runs gives its end.
    #[wasm_bindgen_test]
    fn licences_owned_say_when_their_software_assurance_ended_or_ends() {
        let read = crate::import::read_bytes(
            b"Product,Version,License Type,Quantity,Software Assurance,SA Start Date,SA End Date\n\
              Windows Server 2019 CAL,2019,User,40,Yes,2021-01-01,2024-12-31\n\
              Windows Server 2022 CAL,2022,Device,20,Expired,2022-01-01,\n\
              Windows Server 2022 CAL,2022,User,30,Yes,2023-07-01,2027-06-30\n\
              SQL Server 2022 CAL,2022,User,5,Yes,,\n",
            ImportOptions::default(),
        );
        let Ok(crate::import::Parsed {
            data: crate::import::Data::Licences(statement),
            ..
        }) = read
        else {
            panic!("a statement: {read:?}")
        };
        let texts: Vec<String> = statement
            .holdings(None, DAY)
            .iter()
            .map(|h| holding_text(h, DAY))
            .collect();
        assert_eq!(
            texts,
            [
                "40 Windows Server 2019 User CALs, Software Assurance ended 2024-12-31",
                "20 Windows Server 2022 Device CALs, Software Assurance ended 2022-01-01",
                "30 Windows Server 2022 User CALs, with Software Assurance to 2027-06-30",
                "5 SQL Server 2022 User CALs, with Software Assurance",
            ]
        );
        // On its last day the SA still runs.
        let last_day = Date {
            year: 2024,
            month: 12,
            day: 31,
        };
        let h = &statement.holdings(None, last_day)[0];
        assert_eq!(
            holding_text(h, last_day),
            "40 Windows Server 2019 User CALs, with Software Assurance to 2024-12-31"
        );
    }

    /// QA browser M6: the panel said only counts become part of the estate, but usage links with
    /// account names and IP addresses are saved and exported.
    #[wasm_bindgen_test]
    fn the_panel_says_usage_links_are_saved_and_exported_but_not_shared() {
        assert!(!PRIVACY_NOTE.contains("only the counts"));
        for needle in [
            "account names",
            "IP addresses",
            "JSON export",
            "never put in a share link",
            "“why” texts name those accounts",
            "printout",
            "Remove imported account and device names",
        ] {
            assert!(PRIVACY_NOTE.contains(needle), "{needle}");
        }
    }
}
