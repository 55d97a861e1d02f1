//! The app's one state, held in `use_reducer`. Its `reduce` only edits the [`Estate`] (actions are
//! verbs); the report is derived from the estate by `evaluate`, memoised per edit in
//! [`crate::ui::app`], so no component ever computes a licence count.
//!
//! Quick mode and detailed mode are two views of the same estate: quick mode reads and writes a
//! few well-known parts of it ([`QuickView`]) and leaves the rest untouched, so switching modes
//! loses nothing.

use crate::estate::{
    Access, CalProduct, Edition, Estate, Feature, Group, Holding, LicenceKind, PersonKind,
    PriceItem, PriceOverride, Readings, Server, ServerProduct, SharedDevices, SqlLicensing, M365,
};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet, VecDeque};
use std::rc::Rc;
use yew::Reducible;

/// The current value of something that changes on every edit, for components that read it only
/// when the user acts (export, share, import). Handles compare by identity, so passing one as a
/// prop does not make such a component re-render on every keystroke.
pub struct Latest<T>(Rc<RefCell<T>>);

impl<T> Latest<T> {
    pub fn new(cell: Rc<RefCell<T>>) -> Self {
        Latest(cell)
    }
}

impl<T: Clone> Latest<T> {
    /// The value as of the last render of the owner.
    pub fn get(&self) -> T {
        self.0.borrow().clone()
    }
}

impl<T> Clone for Latest<T> {
    fn clone(&self) -> Self {
        Latest(self.0.clone())
    }
}

impl<T> PartialEq for Latest<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Which editor is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Quick,
    Detailed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    Info,
    Error,
}

/// Where a notice shows: next to where the user was working when it came.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NoticePlace {
    /// At the editor column's foot, in the window while that column is (the editor, the result's
    /// buttons, Keep and share).
    #[default]
    Editor,
    /// At the import panel's foot, below the editor and the result: the import's own notices
    /// (QA: at the editor's foot, an applied import's notice and its Restore were above the
    /// window of a user at the import's Apply button).
    Import,
}

/// A message: a refused link or file (the current work is untouched), or a confirmation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub text: String,
    /// Offer to bring back the estate the last load replaced (`AppState::previous`).
    pub offer_restore: bool,
    /// Offer to undo the removal it reports (`AppState::undo`).
    pub offer_undo: bool,
    /// Offer to open the share link's estate that the saved work was shown instead of
    /// (`AppState::link`).
    pub offer_link: bool,
    /// Where it shows.
    pub place: NoticePlace,
}

impl Notice {
    pub fn error(text: impl Into<String>) -> Notice {
        Notice {
            kind: NoticeKind::Error,
            text: text.into(),
            offer_restore: false,
            offer_undo: false,
            offer_link: false,
            place: NoticePlace::Editor,
        }
    }
    pub fn info(text: impl Into<String>) -> Notice {
        Notice {
            kind: NoticeKind::Info,
            text: text.into(),
            offer_restore: false,
            offer_undo: false,
            offer_link: false,
            place: NoticePlace::Editor,
        }
    }
    /// The report of a removal, or of an Undo with more to undo, with an offer to undo it.
    pub fn removed(text: impl Into<String>) -> Notice {
        Notice {
            offer_undo: true,
            ..Notice::info(text)
        }
    }
    /// The confirmation of an import merged into the user's work: says so and offers the estate
    /// as it was back.
    pub fn merged(text: impl Into<String>) -> Notice {
        Notice {
            kind: NoticeKind::Info,
            text: format!(
                "{} It was merged into the estate you had; the estate as it was before is kept until you load another.",
                text.into()
            ),
            offer_restore: true,
            offer_undo: false,
            offer_link: false,
            place: NoticePlace::Editor,
        }
    }
    /// The same notice, shown at the import panel's foot.
    pub fn at_import(self) -> Notice {
        Notice {
            place: NoticePlace::Import,
            ..self
        }
    }
    /// The confirmation of a load that replaced the user's work: says so and offers it back.
    pub fn replaced(text: impl Into<String>) -> Notice {
        Notice {
            kind: NoticeKind::Info,
            text: format!(
                "{} It replaced the estate you had; that one is kept until you load another.",
                text.into()
            ),
            offer_restore: true,
            offer_undo: false,
            offer_link: false,
            place: NoticePlace::Editor,
        }
    }
}

/// Where a loaded estate came from, for the message that confirms it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Sample,
    Saved,
    ShareLink,
    File,
    Preset,
    /// The Import panel (directory exports, usage logs).
    Import,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    pub estate: Rc<Estate>,
    /// Bumped on every estate edit: the memo key for `evaluate`.
    pub revision: u64,
    /// Bumped each time another estate takes the place of the one shown (a load of any kind of a
    /// different estate, Restore, deleting everything), not by edits: what was asked of the
    /// estate before (an import being applied to it) is not applied to this one (race review 29:
    /// an import pending while "Start over with the sample" was clicked was merged into the
    /// sample).
    pub loads: u64,
    pub mode: Mode,
    pub notice: Option<Notice>,
    pub origin: Origin,
    /// The estate the last load (share link, file, import, sample) replaced, if it differed:
    /// a valid link or file must not silently take away the work saved in this browser.
    pub previous: Option<Rc<Estate>>,
    /// Own prices that a switch to a currency with fewer decimals rounded, as they were typed:
    /// (item, decimals of the currency they were typed in, amount in its minor units). Switching
    /// to a currency with as many decimals brings them back exactly; editing the price forgets it.
    pub rounded_prices: Vec<(PriceItem, u32, i64)>,
    /// The removals in a row that Undo takes back, most recent first, while the notice offers
    /// it: emptied by any other edit, a load or a dismissal, so Undo brings back exactly what was
    /// there (a removed host's servers with their host, the access rules a removal emptied) and
    /// never an estate without a later edit.
    pub undo: UndoHistory,
    /// Servers as they were when they last left a product, one per server and product: switching
    /// a server back to that product brings back what only that product has (QA: a Windows
    /// Server Datacenter switched to SQL Server and back came back as Standard). Memory of the
    /// page only, never in the estate; forgotten when another estate is loaded.
    pub left_products: Vec<LeftProduct>,
    /// The estate of a share link in the address that this browser opened or made before, shown
    /// instead as the work saved since, and the mode it was copied in: the notice offers to open
    /// it (review 17: a bookmarked link then had no way to its own estate but a private window).
    pub link: Option<(Rc<Estate>, Option<Mode>)>,
    /// The estate as this tab last took it from another tab's save: while it is still the one
    /// shown (no edit here since), it is that tab's work, not this one's, and a later save there
    /// does not make it the estate kept for Restore (life review 24: a tab that only followed
    /// another's replaced the work kept in this browser with an estate the other tab had opened).
    pub followed: Option<Rc<Estate>>,
    /// The estate a share link or an example opened, while it is the one shown (no edit since):
    /// not the user's work, so opening another keeps the estate kept for Restore (security review
    /// 40: a page that opened this calculator at one link, then at another, left the user's own
    /// estate neither shown nor kept).
    pub opened: Option<Rc<Estate>>,
    /// Set by "Delete everything this calculator stored in this browser" ([`Action::ForgetAll`]):
    /// nothing is written to this browser's storage (the sample shown is not autosaved, the
    /// editor shown not remembered) until the user changes or loads an estate (privacy review:
    /// what was deleted must not come back by itself).
    pub keeps_nothing: bool,
}

/// A server as it was when it left its product, and the access features that switch took from
/// the rules reaching it (Remote Desktop needs a session host).
#[derive(Debug, Clone, PartialEq)]
pub struct LeftProduct {
    server: Server,
    /// The place of each access rule that lost features, and the features it lost.
    features: Vec<(usize, Vec<Feature>)>,
}

/// One removal Undo can take back: the estate as it was before it, and what it removed.
#[derive(Debug, Clone, PartialEq)]
struct Removal {
    before: Rc<Estate>,
    /// "server “File server”", for the notices that say what Undo brings back.
    what: String,
}

/// The last removals in a row (at most [`UndoHistory::LIMIT`]), oldest first: each Undo brings
/// back the estate before the most recent one. Only removals follow each other in it, so each
/// estate it keeps is the one the next removal started from: undoing them all brings back
/// exactly the estate before the first.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UndoHistory(VecDeque<Removal>);

impl UndoHistory {
    /// Removals kept; an older one is forgotten, so a long session's memory stays bounded.
    pub const LIMIT: usize = 20;

    fn push(&mut self, before: Rc<Estate>, what: String) {
        if self.0.len() == Self::LIMIT {
            self.0.pop_front();
        }
        self.0.push_back(Removal { before, what });
    }

    fn pop(&mut self) -> Option<Removal> {
        self.0.pop_back()
    }

    fn clear(&mut self) {
        self.0.clear();
    }

    /// How many removals Undo can still take back.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether Undo has something to take back (spelled as when the history was an `Option`
    /// of one estate).
    pub fn is_some(&self) -> bool {
        !self.is_empty()
    }

    /// Whether there is nothing to undo.
    pub fn is_none(&self) -> bool {
        self.is_empty()
    }

    /// What the next Undo brings back ("server “File server”").
    pub fn next(&self) -> Option<&str> {
        self.0.back().map(|r| r.what.as_str())
    }
}

/// The editor a share link opens in: the one it was copied in (`&mode=quick` or `&mode=detailed`
/// after the data, so the link format is unchanged and old links still open), or none for a link
/// that does not say (made before links carried it).
pub fn link_mode(fragment: &str) -> Option<Mode> {
    fragment
        .trim_start_matches('#')
        .split('&')
        .skip(1)
        .find_map(|p| match p {
            "mode=quick" => Some(Mode::Quick),
            "mode=detailed" => Some(Mode::Detailed),
            _ => None,
        })
}

/// The fragment parameter that makes a share link open in `mode` (see [`link_mode`]).
pub fn mode_param(mode: Mode) -> &'static str {
    match mode {
        Mode::Quick => "&mode=quick",
        Mode::Detailed => "&mode=detailed",
    }
}

/// The editor an estate opens in: a share link or file with more than quick mode shows (made in
/// detailed mode) opens in detailed mode; everything else in quick mode.
pub fn opening_mode(estate: &Estate, origin: Origin) -> Mode {
    match origin {
        Origin::ShareLink | Origin::File if !QuickView::of(estate).shows_all(estate) => {
            Mode::Detailed
        }
        _ => Mode::Quick,
    }
}

impl AppState {
    pub fn new(estate: Estate, origin: Origin) -> AppState {
        let mode = opening_mode(&estate, origin);
        let estate = Rc::new(estate);
        AppState {
            mode,
            opened: matches!(origin, Origin::ShareLink | Origin::Preset).then(|| estate.clone()),
            estate,
            revision: 0,
            loads: 0,
            notice: None,
            origin,
            previous: None,
            rounded_prices: Vec::new(),
            undo: UndoHistory::default(),
            left_products: Vec::new(),
            link: None,
            followed: None,
            keeps_nothing: false,
        }
    }
}

/// Quick-mode figures that map onto the estate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuickField {
    /// People with their own devices (the first internal group with devices).
    Employees,
    /// Devices each of those people uses.
    DevicesEach,
    /// Shared devices (the first attended shared-device pool).
    SharedDevices,
    /// People who work only on shared devices (the first internal group without own devices).
    SharedUsers,
    /// External users (the first group of offsite contractors, partners or customers).
    ExternalUsers,
}

/// Edits of the estate, each a verb.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    SetName(String),
    /// The date the count is as of (`None`: today).
    SetAsOf(Option<crate::estate::Date>),
    SetQuick(QuickField, u32),
    /// Owned Windows Server CALs of a kind (quick mode): quantity and version.
    SetOwnedWindowsCals {
        kind: LicenceKind,
        quantity: u32,
        version: String,
    },
    AddGroup,
    SetGroup(usize, Group),
    RemoveGroup(usize),
    AddSharedDevices,
    SetSharedDevices(usize, SharedDevices),
    RemoveSharedDevices(usize),
    AddServer(ServerProduct),
    SetServer(usize, Server),
    /// Quick mode's "Remote Desktop" of the Windows Server at a place: on, it becomes an RD
    /// Session Host that everyone who reaches it uses with Remote Desktop (one access rule with
    /// the feature, shared by every such host); off, it is a session host no more, and leaves
    /// the rules that gave Remote Desktop on it to people who reach it anyway.
    SetRemoteDesktop(usize, bool),
    RemoveServer(usize),
    AddAccess,
    SetAccess(usize, Access),
    /// Detailed mode's box for a feature of the access rule at a place: on, the rule gets the
    /// feature, and Remote Desktop on a rule that reaches no session host makes the rule's
    /// Windows Servers session hosts ([`feature_hosts`]); a feature none of its servers can offer
    /// is not applied. Off, the rule loses the feature. One tick, one edit.
    SetAccessFeature(usize, Feature, bool),
    RemoveAccess(usize),
    AddHolding,
    SetHolding(usize, Holding),
    RemoveHolding(usize),
    SetM365(M365),
    SetReadings(Readings),
    /// `None` returns the item to its reference price.
    SetPrice(PriceItem, Option<i64>),
    SetCurrency(String),
    /// Everyone, every server and every holding removed, with the name and the note (undoable
    /// like any removal); currency, own prices and readings stay. Quick mode starts from the
    /// sample, whose hidden parts would otherwise keep counting in a firm typed over it (QA).
    StartEmpty,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Replace the whole estate (share link, file, preset, sample); the replaced one is kept
    /// in `previous`.
    Load(Box<Estate>, Origin),
    /// Open an estate the user chose (a share link, a file, the sample) in place of the current
    /// one, in `mode` if given (the mode a share link was copied in), with a notice that starts
    /// with `text` and says whether it replaced a different estate, which Restore brings back.
    Open {
        estate: Box<Estate>,
        origin: Origin,
        mode: Option<Mode>,
        text: String,
    },
    /// Bring back the estate the last load replaced.
    RestorePrevious,
    /// Open the share link's estate that the saved work was shown instead of (`AppState::link`),
    /// keeping the saved work for Restore.
    OpenLink,
    /// Bring back the estate as it was before the most recent removal still kept
    /// (`AppState::undo`); the one before it can be undone next.
    Undo,
    /// Show `estate`, which another tab saved while this one had no unsaved edits: the estate
    /// shown is kept for Restore, and this tab's removals stay undoable (review 18: the other
    /// tab's save took Undo away, and a server removed here could not be brought back).
    FromOtherTab(Box<Estate>),
    /// Keep `estate` as the one "Restore the previous estate" brings back, without showing it,
    /// and show the notice (another tab's save that this tab's unsaved edits replaced).
    SetAside(Box<Estate>, Notice),
    Edit(Edit),
    SetMode(Mode),
    /// Switches mode and says which entries that could not be used were left behind (the
    /// fields that held them are not in the other mode). Removals stay undoable, as after
    /// [`Action::Notify`].
    SetModeDropping(Mode, Notice),
    /// Shows a message that changes nothing in the estate (a refused file or link, a save or an
    /// export that failed, a share link copied): the removals that can be undone stay undoable,
    /// and the notice keeps offering Undo (see `AppState::notify`).
    Notify(Notice),
    Dismiss,
    /// Removes the imported usage (account and device names, per-server links) from the estate,
    /// undoable like a removal, and from the estate kept for Restore and the removals kept for
    /// Undo, which are not given it back; `effect` says what that does to the result
    /// ([`usage_removal_effect`]).
    RemoveUsage {
        effect: String,
    },
    /// After everything this calculator stored in this browser was deleted (`deleted` says what):
    /// shows `sample` with nothing kept for Restore or Undo, and stores nothing until the next
    /// change ([`AppState::keeps_nothing`]).
    ForgetAll {
        sample: Box<Estate>,
        deleted: String,
    },
}

/// What the imported usage holds, as the notices and the Keep panel say it: "12 accounts, 30
/// devices and 85 usage links".
pub fn usage_told(u: &crate::estate::Usage) -> String {
    let c = |n: usize, one: &str, many: &str| crate::ui::format::counted(n as u64, one, many);
    format!(
        "{}, {} and {}",
        c(u.people.len(), "account", "accounts"),
        c(u.devices.len(), "device", "devices"),
        c(u.links.len(), "usage link", "usage links")
    )
}

/// What removing the imported usage from `e` does to the purchase as of `today`, as a sentence
/// for the notice: without usage the engine counts the groups' figures and the access rules as
/// entered, which may give another result than the accounts and devices seen in the logs. Both
/// are evaluated quickly (as each edit is); `None` when `e` has no usage.
pub fn usage_removal_effect(e: &Estate, today: crate::estate::Date) -> Option<String> {
    e.usage.as_ref()?;
    let mut without = e.clone();
    without.usage = None;
    let purchase = |e: &Estate| {
        crate::evaluate_with(
            &for_engine(&Rc::new(e.clone())),
            today,
            crate::optimise::Effort::Quick,
        )
        .ok()
        .map(|ev| {
            let r = ev.report;
            let lines: Vec<(CalProduct, LicenceKind, String, u64)> = (r.recommendation.lines)
                .iter()
                .map(|l| (l.product, l.kind, l.version.clone(), l.quantity))
                .collect();
            (lines, r.recommendation.total_minor, r.currency)
        })
    };
    Some(match (purchase(e), purchase(&without)) {
        (Some(before), Some(after)) if before == after => {
            "The purchase does not change: the groups' counts and access rules give the same licences as the accounts and devices seen in the logs.".to_string()
        }
        (Some((_, was, currency)), Some((_, now, _))) => format!(
            "This changes the result: the counts now come from the groups' figures and access rules as entered, not from the accounts and devices seen in the logs, and the purchase goes from {} to {}.",
            crate::ui::format::money(was, &currency),
            crate::ui::format::money(now, &currency)
        ),
        _ => "The counts now come from the groups' figures and access rules as entered, not from the accounts and devices seen in the logs: check the result.".to_string(),
    })
}

impl AppState {
    /// Drops the estates kept for Undo, and the notice that offers them.
    fn forget_undo(&mut self) {
        if self.undo.is_some() && self.notice.as_ref().is_some_and(|n| n.offer_undo) {
            self.notice = None;
        }
        self.undo.clear();
    }

    /// Shows `notice`, which changes nothing in the estate. While removals can be undone, it
    /// offers Undo too, and says what Undo brings back: only an edit, a load or Dismiss ends that
    /// chance (a full storage's "not saved" notice, which comes a moment after a removal, took
    /// its Undo away, and the removed server could not be brought back).
    fn notify(&mut self, notice: Notice) {
        self.notice = Some(match self.undo.next() {
            Some(what) => {
                let mut text = notice.text.trim_end().to_string();
                if !text.ends_with(['.', '!', '?']) {
                    text.push('.');
                }
                Notice {
                    text: format!("{text} Undo still brings back {what}."),
                    offer_undo: true,
                    ..notice
                }
            }
            None => notice,
        });
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Load(estate, origin) => {
                next.forget_undo();
                next.keeps_nothing = false;
                next.link = None;
                next.left_products.clear();
                next.rounded_prices.clear();
                if *estate != *next.estate {
                    next.previous = Some(next.estate.clone());
                    next.loads += 1;
                }
                // Never hide what a link or file carries; otherwise keep the user's choice.
                if opening_mode(&estate, origin) == Mode::Detailed {
                    next.mode = Mode::Detailed;
                }
                next.estate = Rc::new(*estate);
                next.revision += 1;
                next.origin = origin;
            }
            Action::Open {
                estate,
                origin,
                mode,
                text,
            } => {
                let replaced = *estate != *next.estate;
                // What a link or example opened, unedited, stays at its link: the estate kept
                // for Restore stays the one kept before (see `opened`).
                let only_opened = (next.opened.as_ref())
                    .is_some_and(|o| Rc::ptr_eq(o, &next.estate))
                    && next.previous.is_some();
                let kept = next.previous.clone();
                let mut opened = Rc::new(next).reduce(Action::Load(estate, origin));
                let state = Rc::make_mut(&mut opened);
                if only_opened {
                    state.previous = kept;
                }
                state.opened = matches!(origin, Origin::ShareLink | Origin::Preset)
                    .then(|| state.estate.clone());
                if let Some(mode) = mode {
                    state.mode = mode;
                }
                // Only a different estate was replaced (review 14: a link to the estate already
                // shown said the one it replaced was kept, and offered nothing to restore).
                // The estate an earlier load replaced is still offered back (review 18: Back then
                // Forward over a share link reopened the link's estate, the one shown, and the
                // Restore offer for the work it had replaced went with the old notice).
                state.notice = Some(if replaced && only_opened {
                    Notice {
                        offer_restore: true,
                        ..Notice::info(format!("{text} The estate kept for Restore is still the one you had before the link or example opened earlier."))
                    }
                } else if replaced {
                    Notice::replaced(text)
                } else {
                    Notice {
                        offer_restore: state.previous.is_some(),
                        ..Notice::info(format!("{text} It is the estate you already had."))
                    }
                });
                return opened;
            }
            Action::FromOtherTab(estate) => {
                let undo = std::mem::take(&mut next.undo);
                // What this tab shows is the other tab's, or what a link or example opened here,
                // unedited: neither is this tab's work (security review 40: a second page opening
                // another link made the first page keep the first link's estate for Restore in
                // place of the user's).
                let only_followed = (next.followed.as_ref())
                    .is_some_and(|f| Rc::ptr_eq(f, &next.estate))
                    || ((next.opened.as_ref()).is_some_and(|o| Rc::ptr_eq(o, &next.estate))
                        && next.previous.is_some());
                let kept = next.previous.clone();
                let mut loaded = Rc::new(next).reduce(Action::Load(estate, Origin::Saved));
                let state = Rc::make_mut(&mut loaded);
                state.followed = Some(state.estate.clone());
                let text = if only_followed {
                    // What this tab showed was the other tab's: the estate kept stays the one
                    // kept before.
                    state.previous = kept;
                    "This estate was changed in another tab; showing the latest. The estate kept for Restore is still the one kept before."
                } else {
                    "This estate was changed in another tab; showing the latest. The one this tab showed is kept until you load another."
                };
                let offer_restore = state.previous.is_some();
                state.notice = Some(match undo.next() {
                    Some(what) => Notice {
                        offer_restore,
                        ..Notice::removed(format!("{text} Undo brings back {what} as this tab had it, without the other tab's changes."))
                    },
                    None => Notice {
                        offer_restore,
                        ..Notice::info(text)
                    },
                });
                state.undo = undo;
                return loaded;
            }
            Action::OpenLink => {
                if let Some((estate, mode)) = next.link.take() {
                    return Rc::new(next).reduce(Action::Open {
                        estate: Box::new((*estate).clone()),
                        origin: Origin::ShareLink,
                        mode,
                        text: "Opened the estate from the share link.".to_string(),
                    });
                }
            }
            Action::RestorePrevious => {
                // Its confirmation shows where the Restore button was.
                let place = next.notice.as_ref().map(|n| n.place).unwrap_or_default();
                next.forget_undo();
                if let Some(previous) = next.previous.take() {
                    next.rounded_prices.clear();
                    next.left_products.clear();
                    next.previous = Some(next.estate.clone());
                    next.estate = previous;
                    next.revision += 1;
                    next.loads += 1;
                    next.origin = Origin::Saved;
                    next.notice = Some(Notice {
                        offer_restore: true,
                        place,
                        ..Notice::info("Your previous estate is back. The one it replaced is kept until you load another.")
                    });
                }
            }
            Action::SetAside(estate, notice) => {
                next.forget_undo();
                next.previous = Some(Rc::new(*estate));
                next.notice = Some(notice);
            }
            Action::Undo => {
                if let Some(last) = next.undo.pop() {
                    next.estate = last.before;
                    next.revision += 1;
                    let done = format!("The removal of {} was undone.", last.what);
                    next.notice = Some(match next.undo.next() {
                        Some(older) => {
                            Notice::removed(format!("{done} Undo again brings back {older}."))
                        }
                        None => Notice::info(done),
                    });
                }
            }
            Action::Edit(mut edit) => {
                // A server switched to another product: remember what it had, and bring back
                // what it had when it last left the product it switches to.
                let switched = match &mut edit {
                    Edit::SetServer(i, s) => next
                        .estate
                        .servers
                        .get(*i)
                        .filter(|old| old.id == s.id && old.product != s.product)
                        .map(|old| {
                            let back = next
                                .left_products
                                .iter()
                                .position(|m| m.server.id == s.id && m.server.product == s.product)
                                .map(|k| next.left_products.remove(k));
                            if let Some(back) = &back {
                                restore_left_product(s, old, &back.server);
                            }
                            (old.clone(), back)
                        }),
                    _ => None,
                };
                let notice = edit.notice(&next.estate);
                let removal = edit.removal(&next.estate);
                let before = next.estate.clone();
                let mut estate = (*next.estate).clone();
                match &edit {
                    Edit::SetCurrency(c) => {
                        next.rounded_prices = switch_currency(&mut estate, c, &next.rounded_prices);
                    }
                    Edit::SetPrice(item, _) => next.rounded_prices.retain(|(i, _, _)| i != item),
                    _ => {}
                }
                edit.apply(&mut estate);
                if let Some((old, back)) = switched {
                    let features = dropped_features(&next.estate, &estate);
                    if let Some(back) = back {
                        restore_features(&mut estate, &old.id, &back.features);
                    }
                    next.left_products
                        .retain(|m| !(m.server.id == old.id && m.server.product == old.product));
                    next.left_products.push(LeftProduct {
                        server: old,
                        features,
                    });
                }
                // A removed server's memory goes with it: a new server may get its id.
                next.left_products
                    .retain(|m| estate.servers.iter().any(|s| s.id == m.server.id));
                if estate != *next.estate {
                    // Any other edit ends the chance to undo the removals before it (Undo must
                    // not bring back an estate without it); a removal is one more to undo.
                    if removal.is_none() {
                        next.forget_undo();
                    }
                    next.estate = Rc::new(estate);
                    next.revision += 1;
                    next.keeps_nothing = false;
                    if let Some(what) = removal {
                        let text = match notice {
                            Some(n) => n.text,
                            None => format!("Removed {what}."),
                        };
                        next.undo.push(before, what);
                        next.notice = Some(Notice::removed(text));
                    } else if notice.is_some() {
                        next.notice = notice;
                    }
                }
            }
            Action::SetMode(mode) => next.mode = mode,
            Action::SetModeDropping(mode, notice) => {
                next.mode = mode;
                next.notify(notice);
            }
            Action::Notify(notice) => next.notify(notice),
            Action::Dismiss => {
                // Declining "Restore the previous estate" lets the estate it offered go (it is
                // no longer kept in this browser either).
                if next.notice.as_ref().is_some_and(|n| n.offer_restore) {
                    next.previous = None;
                }
                if next.notice.as_ref().is_some_and(|n| n.offer_link) {
                    next.link = None;
                }
                next.undo.clear();
                next.notice = None;
            }
            Action::RemoveUsage { effect } => {
                // The estate kept for Restore and the estates kept for Undo lose the names too:
                // neither may bring them back (privacy review: "Start over with the sample" kept
                // them for Restore, in this browser, across reloads).
                let strip = |e: &mut Rc<Estate>| {
                    if e.usage.is_some() {
                        Rc::make_mut(e).usage = None;
                    }
                };
                let from_previous = next.previous.as_ref().is_some_and(|p| p.usage.is_some());
                if let Some(p) = next.previous.as_mut() {
                    strip(p);
                }
                for r in next.undo.0.iter_mut() {
                    strip(&mut r.before);
                }
                let restore = if from_previous {
                    " The estate kept for Restore no longer has them either."
                } else {
                    ""
                };
                match next.estate.usage.as_ref().map(usage_told) {
                    Some(told) => {
                        let before = next.estate.clone();
                        strip(&mut next.estate);
                        next.revision += 1;
                        next.keeps_nothing = false;
                        let what = format!("the imported account and device names ({told})");
                        next.notice = Some(Notice::removed(format!(
                            "Removed {what} from the estate; they are no longer saved in this browser once this is saved (a moment), and the report's “why” texts no longer name them.{restore} {effect} Undo brings them back while this message shows."
                        )));
                        next.undo.push(before, what);
                    }
                    None if from_previous => {
                        next.notify(Notice::info(
                            "Removed the imported account and device names from the estate kept for Restore; they are no longer saved in this browser. The estate shown had none.",
                        ));
                    }
                    None => {}
                }
            }
            Action::ForgetAll { sample, deleted } => {
                next.estate = Rc::new(*sample);
                next.revision += 1;
                next.loads += 1;
                next.origin = Origin::Sample;
                next.previous = None;
                next.undo.clear();
                next.link = None;
                next.followed = None;
                next.left_products.clear();
                next.rounded_prices.clear();
                next.keeps_nothing = true;
                next.notice = Some(Notice::info(format!(
                    "Deleted everything this calculator stored in this browser: {deleted}. The sample is shown, and nothing is stored here until you change or open an estate. Tabs of the calculator still open elsewhere keep what they show and save it again when edited there: close them too."
                )));
            }
        }
        Rc::new(next)
    }
}

/// The parts of an estate that quick mode shows, by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct QuickView {
    pub employees: Option<usize>,
    pub shared_users: Option<usize>,
    pub shared_devices: Option<usize>,
    pub external: Option<usize>,
    /// Groups and pools quick mode does not show (edited in detailed mode).
    pub hidden_groups: usize,
    pub hidden_pools: usize,
}

fn is_internal(g: &Group) -> bool {
    !g.kind.is_external() && !g.admin_only
}

impl QuickView {
    pub fn of(e: &Estate) -> QuickView {
        let employees = e
            .groups
            .iter()
            .position(|g| is_internal(g) && g.devices_each > 0);
        let shared_users = e
            .groups
            .iter()
            .position(|g| is_internal(g) && g.devices_each == 0);
        let external = e
            .groups
            .iter()
            .position(|g| g.kind.is_external() && g.kind != PersonKind::AnonymousVisitor);
        let shared_devices = e.shared_devices.iter().position(|d| !d.unattended);
        let shown = [employees, shared_users, external]
            .iter()
            .filter(|i| i.is_some())
            .count();
        QuickView {
            employees,
            shared_users,
            shared_devices,
            external,
            hidden_groups: e.groups.len().saturating_sub(shown),
            hidden_pools: e
                .shared_devices
                .len()
                .saturating_sub(usize::from(shared_devices.is_some())),
        }
    }

    /// Whether quick mode shows everything in `e` that changes the result (`self` is
    /// `QuickView::of(e)`): its groups and device pools; one lot each of Windows Server User and
    /// Device CALs without SA; servers with only a product and version; one access rule by which
    /// everyone reaches every server; no Microsoft 365, readings or imported usage.
    pub fn shows_all(&self, e: &Estate) -> bool {
        let lots = |kind: LicenceKind| e.holdings.iter().filter(|h| h.kind == kind).count();
        let holdings = e.holdings.iter().all(|h| {
            h.product == CalProduct::WindowsServer
                && matches!(h.kind, LicenceKind::UserCal | LicenceKind::DeviceCal)
                && h.software_assurance.is_none()
        }) && lots(LicenceKind::UserCal) <= 1
            && lots(LicenceKind::DeviceCal) <= 1;
        let servers = e.servers.iter().all(|s| {
            s.host.is_none()
                && !s.vm
                && s.rds_mode.is_none()
                && !s.pay_as_you_go
                && !s.anonymous_only
                && !s.virtualization_only
                && !s.ad_rms
                && s.sql_licensing.is_none()
                && s.rd_licensing_server_version.is_none()
        });
        // Every rule is everyone's: the one by which they reach every server, and those by
        // which they use Remote Desktop on every session host (quick mode's check box).
        let everyones = |a: &Access| {
            a.via.is_none()
                && !a.manual_transfer_only
                && e.groups.iter().all(|g| a.groups.contains(&g.id))
        };
        // The servers reached by a rule of exactly these features, gathered once: a search of
        // every rule for each server grew with the square of the servers, at each quick render.
        let reached_by = |features: &[Feature]| -> HashSet<&str> {
            (e.access.iter())
                .filter(|a| a.features == features)
                .flat_map(|a| a.servers.iter().map(String::as_str))
                .collect()
        };
        let access = e.access.is_empty() || {
            let (plain, remote) = (reached_by(&[]), reached_by(&[Feature::RemoteDesktop]));
            let hosts: HashSet<&str> = (e.servers.iter())
                .filter(|s| s.rds_session_host)
                .map(|s| s.id.as_str())
                .collect();
            e.access.iter().all(|a| {
                everyones(a)
                    && (a.features.is_empty()
                        || (a.features == [Feature::RemoteDesktop]
                            && a.servers.iter().all(|id| hosts.contains(id.as_str()))))
            }) && e.servers.iter().all(|s| {
                plain.contains(s.id.as_str())
                    && (!s.rds_session_host || remote.contains(s.id.as_str()))
            })
        };
        let m365 = e.organisation.m365.e3_seats == 0
            && e.organisation.m365.e5_seats == 0
            && e.groups.iter().all(|g| g.m365.is_none());
        self.hidden_groups == 0
            && self.hidden_pools == 0
            && holdings
            && servers
            && access
            && m365
            && e.organisation.readings == Readings::default()
            && e.usage.is_none()
            && e.as_of.is_none()
    }

    /// The figure quick mode shows for a field (0 when the part does not exist yet).
    pub fn value(&self, e: &Estate, field: QuickField) -> u32 {
        let group = |i: Option<usize>| i.and_then(|i| e.groups.get(i));
        match field {
            QuickField::Employees => group(self.employees).map(|g| g.count),
            QuickField::DevicesEach => group(self.employees).map(|g| g.devices_each),
            QuickField::SharedUsers => group(self.shared_users).map(|g| g.count),
            QuickField::ExternalUsers => group(self.external).map(|g| g.count),
            QuickField::SharedDevices => self
                .shared_devices
                .and_then(|i| e.shared_devices.get(i))
                .map(|d| d.count),
        }
        .unwrap_or(match field {
            QuickField::DevicesEach => 1,
            _ => 0,
        })
    }
}

/// An id not yet used by any group, pool, server or access row.
fn fresh_id(e: &Estate, stem: &str) -> String {
    let taken = |id: &str| {
        e.groups.iter().any(|g| g.id == id)
            || e.shared_devices.iter().any(|d| d.id == id)
            || e.servers.iter().any(|s| s.id == id)
    };
    if !taken(stem) {
        return stem.to_string();
    }
    (2..)
        .map(|n| format!("{stem}-{n}"))
        .find(|id| !taken(id))
        .unwrap_or_else(|| stem.to_string())
}

fn new_group(id: String, name: &str, count: u32, kind: PersonKind, devices_each: u32) -> Group {
    Group {
        id,
        name: name.to_string(),
        count,
        kind,
        devices_each,
        admin_only: false,
        m365: None,
    }
}

/// The access rows quick mode treats as "uses the servers": no features, not manual transfer.
fn base_access_rows(e: &mut Estate) -> impl Iterator<Item = &mut Access> {
    e.access
        .iter_mut()
        .filter(|a| a.features.is_empty() && !a.manual_transfer_only)
}

/// The base access rules "everyone" has: those that every internal group (other than `new`)
/// is in. A quick-mode estate has one; a detailed estate may have none, and then a new group or
/// server joins no rule rather than every one (the customers' portal rule is not everyone's).
fn everyone_rows<'a>(e: &'a mut Estate, new: &str) -> Vec<&'a mut Access> {
    let internal: Vec<String> = e
        .groups
        .iter()
        .filter(|g| g.id != new && !g.admin_only && !g.kind.is_external())
        .map(|g| g.id.clone())
        .collect();
    base_access_rows(e)
        .filter(|a| internal.iter().all(|g| a.groups.contains(g)))
        .collect()
}

/// Gives a new group the access everyone else has (quick mode's assumption).
fn grant_base_access(e: &mut Estate, group: &str) {
    let servers: Vec<String> = e
        .servers
        .iter()
        .filter(|s| !s.anonymous_only)
        .map(|s| s.id.clone())
        .collect();
    let no_rules = base_access_rows(e).next().is_none();
    for row in everyone_rows(e, group) {
        if !row.groups.iter().any(|g| g == group) {
            row.groups.push(group.to_string());
        }
    }
    // Everyone uses Remote Desktop on quick mode's session hosts: the new group too.
    let internal = internal_groups(e, group);
    for row in e.access.iter_mut().filter(|a| is_remote_desktop_rule(a)) {
        if internal.iter().all(|g| row.groups.contains(g)) && !row.groups.iter().any(|g| g == group)
        {
            row.groups.push(group.to_string());
        }
    }
    // With no base access yet, the new group reaches every server (adding a server later grants
    // it to everyone), and uses Remote Desktop on the session hosts among them.
    if no_rules && !servers.is_empty() {
        let hosts: Vec<String> = e
            .servers
            .iter()
            .filter(|s| s.rds_session_host && servers.contains(&s.id))
            .filter(|s| {
                !e.access.iter().any(|a| {
                    a.features.contains(&Feature::RemoteDesktop)
                        && a.servers.contains(&s.id)
                        && a.groups.iter().any(|g| g == group)
                })
            })
            .map(|s| s.id.clone())
            .collect();
        e.access.push(Access {
            groups: vec![group.to_string()],
            servers,
            via: None,
            manual_transfer_only: false,
            features: vec![],
        });
        if !hosts.is_empty() {
            e.access.push(Access {
                groups: vec![group.to_string()],
                servers: hosts,
                via: None,
                manual_transfer_only: false,
                features: vec![Feature::RemoteDesktop],
            });
        }
    }
}

/// The internal groups other than `new` (those "everyone" means).
fn internal_groups(e: &Estate, new: &str) -> Vec<String> {
    e.groups
        .iter()
        .filter(|g| g.id != new && !g.admin_only && !g.kind.is_external())
        .map(|g| g.id.clone())
        .collect()
}

/// A rule as quick mode's Remote Desktop check box writes it: only the Remote Desktop feature.
fn is_remote_desktop_rule(a: &Access) -> bool {
    a.features == [Feature::RemoteDesktop] && a.via.is_none() && !a.manual_transfer_only
}

/// The groups that reach server `id` by a rule without features (everyone, in quick mode), in
/// the order of the groups.
fn reaching(e: &Estate, id: &str) -> Vec<String> {
    e.groups
        .iter()
        .filter(|g| {
            e.access.iter().any(|a| {
                a.features.is_empty()
                    && !a.manual_transfer_only
                    && a.servers.iter().any(|s| s == id)
                    && a.groups.contains(&g.id)
            })
        })
        .map(|g| g.id.clone())
        .collect()
}

/// Whether quick mode's Remote Desktop box is ticked for server `i`: a session host its users
/// reach by Remote Desktop, or one nobody reaches yet (the first people typed in will). A session
/// host whose Remote Desktop rule was taken off in detailed mode counts no RDS CAL, so it shows
/// unticked and ticking it counts them again (review of session 23's changes: it showed ticked,
/// with the hint that its users need RDS CALs, while none were counted).
pub fn remote_desktop_ticked(e: &Estate, i: usize) -> bool {
    let Some(s) = e.servers.get(i) else {
        return false;
    };
    s.rds_session_host
        && (reaching(e, &s.id).is_empty()
            || e.access
                .iter()
                .any(|a| a.features.contains(&Feature::RemoteDesktop) && a.servers.contains(&s.id)))
}

/// Makes the Windows Server at `i` a session host that everyone who reaches it uses with Remote
/// Desktop: it joins the Remote Desktop rule of exactly those groups, or gets one.
fn give_remote_desktop(e: &mut Estate, i: usize) {
    let Some(s) = e.servers.get_mut(i) else {
        return;
    };
    if s.product != ServerProduct::WindowsServer {
        return;
    }
    s.rds_session_host = true;
    let id = s.id.clone();
    let groups = reaching(e, &id);
    let covered = e.access.iter().any(|a| {
        a.features.contains(&Feature::RemoteDesktop)
            && a.servers.contains(&id)
            && groups.iter().all(|g| a.groups.contains(g))
    });
    if groups.is_empty() || covered {
        return;
    }
    let same =
        |a: &Access| a.groups.len() == groups.len() && groups.iter().all(|g| a.groups.contains(g));
    match e
        .access
        .iter_mut()
        .find(|a| is_remote_desktop_rule(a) && same(a))
    {
        Some(a) if !a.servers.contains(&id) => a.servers.push(id),
        Some(_) => {}
        None => e.access.push(Access {
            groups,
            servers: vec![id],
            via: None,
            manual_transfer_only: false,
            features: vec![Feature::RemoteDesktop],
        }),
    }
}

/// Takes server `id` out of the Remote Desktop rules whose every group reaches it by another
/// rule anyway, and drops a rule left with no server: unticking Remote Desktop in quick mode
/// gives back the estate as it was before it was ticked. Rules that are the only way some of
/// their groups reach it are left to lose the feature (and keep the access).
fn leave_remote_desktop_rules(e: &mut Estate, id: &str) {
    let reach = reaching(e, id);
    let mut emptied = Vec::new();
    for (k, a) in e.access.iter_mut().enumerate() {
        if is_remote_desktop_rule(a)
            && a.servers.iter().any(|s| s == id)
            && a.groups.iter().all(|g| reach.contains(g))
        {
            a.servers.retain(|s| s != id);
            if a.servers.is_empty() {
                emptied.push(k);
            }
        }
    }
    for k in emptied.into_iter().rev() {
        e.access.remove(k);
    }
}

/// [`Edit::SetRemoteDesktop`] off for the server at `i`: what is left of the estate's rules
/// once it leaves those that give Remote Desktop on it to people who reach it anyway, and the
/// [`Edit::SetServer`] that then makes it a session host no more.
fn take_remote_desktop(e: &Estate, i: usize) -> Option<(Estate, Edit)> {
    let s = e.servers.get(i)?;
    let mut left = e.clone();
    leave_remote_desktop_rules(&mut left, &s.id);
    let mut s = s.clone();
    s.rds_session_host = false;
    Some((left, Edit::SetServer(i, s)))
}

/// What ticking feature `f` on the access rule at `i` takes beyond the rule itself: nothing
/// (`Some` of none) while one of the rule's servers offers it; for Remote Desktop on a rule that
/// reaches no session host, the places of the rule's Windows Servers, in the rule's order, which
/// become session hosts (as their own box would make them); `None` when none of its servers can
/// offer it (no Exchange server for Exchange Enterprise, no Windows Server for Remote Desktop),
/// or there is no such rule. A feature with no server that offers it would make an estate the
/// app cannot evaluate, export or reopen (pre-sales review 23).
pub fn feature_hosts(e: &Estate, i: usize, f: Feature) -> Option<Vec<usize>> {
    let a = e.access.get(i)?;
    let mut places: HashMap<&str, usize> = HashMap::new();
    for (k, s) in e.servers.iter().enumerate() {
        places.entry(s.id.as_str()).or_insert(k);
    }
    let targets: Vec<usize> = (a.servers.iter())
        .filter_map(|id| places.get(id.as_str()).copied())
        .collect();
    if targets
        .iter()
        .any(|&k| crate::estate::feature_applies(f, &e.servers[k]))
    {
        return Some(Vec::new());
    }
    let hosts: Vec<usize> = (targets.into_iter())
        .filter(|&k| {
            f == Feature::RemoteDesktop && e.servers[k].product == ServerProduct::WindowsServer
        })
        .collect();
    (!hosts.is_empty()).then_some(hosts)
}

/// Gives the groups with everyone's access the new server too.
fn grant_server_to_base_access(e: &mut Estate, server: &str) {
    let groups: Vec<String> = e
        .groups
        .iter()
        .filter(|g| !g.admin_only && g.kind != PersonKind::AnonymousVisitor)
        .map(|g| g.id.clone())
        .collect();
    let no_rules = base_access_rows(e).next().is_none();
    for row in everyone_rows(e, "") {
        if !row.servers.iter().any(|s| s == server) {
            row.servers.push(server.to_string());
        }
    }
    if no_rules && !groups.is_empty() {
        e.access.push(Access {
            groups,
            servers: vec![server.to_string()],
            via: None,
            manual_transfer_only: false,
            features: vec![],
        });
    }
}

/// The editions a server product is sold in (the estate format refuses others).
pub fn editions(product: ServerProduct) -> &'static [Edition] {
    match product {
        ServerProduct::WindowsServer => {
            &[Edition::Standard, Edition::Datacenter, Edition::Essentials]
        }
        _ => &[Edition::Standard, Edition::Enterprise],
    }
}

/// Moves a server to another product, keeping what still applies: a known version, a valid
/// edition, and only the roles and licensing models that product has.
pub fn change_server_product(s: &mut Server, product: ServerProduct) {
    // A Windows Server that becomes Exchange, SharePoint, Skype or SQL Server keeps running on
    // that Windows Server: its users need Windows Server CALs too (QA: a server added in quick
    // mode and switched to Exchange dropped them, and quick mode had no field to say so).
    if s.product == ServerProduct::WindowsServer
        && product != ServerProduct::WindowsServer
        && crate::ui::versions::server_versions(ServerProduct::WindowsServer)
            .contains(&s.version.as_str())
    {
        s.windows_version = Some(s.version.clone());
    }
    // Back to Windows Server: the version is the one it ran on, not the other product's (QA: an
    // SQL Server 2016 switched back became Windows Server 2016, its Windows 2022 forgotten).
    if s.product != ServerProduct::WindowsServer && product == ServerProduct::WindowsServer {
        if let Some(w) = s.windows_version.take().filter(|w| {
            crate::ui::versions::server_versions(ServerProduct::WindowsServer).contains(&w.as_str())
        }) {
            s.version = w;
        }
    }
    s.product = product;
    if !crate::ui::versions::server_versions(product).contains(&s.version.as_str()) {
        s.version = default_version(product);
    }
    if !editions(product).contains(&s.edition) {
        s.edition = Edition::Standard;
    }
    if product != ServerProduct::SqlServer {
        s.sql_licensing = None;
    }
    if product == ServerProduct::WindowsServer {
        s.windows_version = None;
    } else {
        s.rds_session_host = false;
        s.rds_mode = None;
        s.rd_licensing_server_version = None;
        s.ad_rms = false;
        s.virtualization_only = false;
        s.pay_as_you_go = false;
    }
}

/// Brings back into `s`, just switched from `old`'s product to `was`'s, what only that product has,
/// as the server had it when it last left that product (`was`): its edition, and for Windows
/// Server its roles (Remote Desktop, AD RMS, virtualisation only, pay-as-you-go) or for another
/// product its version and SQL Server's licensing model. A Windows Server comes back with the
/// Windows version the other product ran on (`change_server_product`), and with its own only
/// when that was not stated.
pub fn restore_left_product(s: &mut Server, old: &Server, was: &Server) {
    if was.product != s.product {
        return;
    }
    if editions(s.product).contains(&was.edition) {
        s.edition = was.edition;
    }
    let known = |v: &str| crate::ui::versions::server_versions(s.product).contains(&v);
    if s.product == ServerProduct::WindowsServer {
        if old.windows_version.is_none() && known(&was.version) {
            s.version = was.version.clone();
        }
        s.rds_session_host = was.rds_session_host;
        s.rds_mode = was.rds_mode;
        s.rd_licensing_server_version = was.rd_licensing_server_version.clone();
        s.ad_rms = was.ad_rms;
        s.virtualization_only = was.virtualization_only;
        s.pay_as_you_go = was.pay_as_you_go;
    } else {
        if known(&was.version) {
            s.version = was.version.clone();
        }
        if s.product == ServerProduct::SqlServer {
            s.sql_licensing = was.sql_licensing;
        }
    }
}

/// The features each access rule lost from `before` to `after` (the same rules, in place).
fn dropped_features(before: &Estate, after: &Estate) -> Vec<(usize, Vec<Feature>)> {
    before
        .access
        .iter()
        .zip(&after.access)
        .enumerate()
        .filter_map(|(k, (b, a))| {
            let lost: Vec<Feature> = b
                .features
                .iter()
                .copied()
                .filter(|f| !a.features.contains(f))
                .collect();
            (!lost.is_empty()).then_some((k, lost))
        })
        .collect()
}

/// Gives back to the access rules that still reach `server` the features a switch away took
/// from them, where one of their servers offers the feature again.
fn restore_features(e: &mut Estate, server: &str, features: &[(usize, Vec<Feature>)]) {
    let servers = &e.servers;
    for (k, lost) in features {
        let Some(a) = e.access.get_mut(*k) else {
            continue;
        };
        if !a.servers.iter().any(|s| s == server) {
            continue;
        }
        for &f in lost {
            let offered = a
                .servers
                .iter()
                .filter_map(|id| servers.iter().find(|s| &s.id == id))
                .any(|s| crate::estate::feature_applies(f, s));
            if offered && !a.features.contains(&f) {
                a.features.push(f);
            }
        }
        crate::sort::sort(&mut a.features);
    }
}

/// Clears what a server's other settings no longer allow, so an edit never leaves an estate
/// that cannot be evaluated with the cause in a hidden field (QA: unticking "Remote Desktop
/// Session Host" kept its mode, which the estate refuses without a session host).
pub fn tidy_server(s: &mut Server) {
    if !s.rds_session_host {
        s.rds_mode = None;
        s.rd_licensing_server_version = None;
    }
    let windows = if s.product == ServerProduct::WindowsServer {
        Some(s.version.as_str())
    } else {
        s.windows_version.as_deref()
    };
    if windows != Some("2025") || s.edition == Edition::Essentials {
        s.pay_as_you_go = false;
    }
    if s.product == ServerProduct::SqlServer
        && s.edition == Edition::Enterprise
        && s.sql_licensing == Some(SqlLicensing::ServerCal)
    {
        s.sql_licensing = Some(SqlLicensing::PerCore);
    }
}

/// Access rules keep only the features one of their servers still offers (Remote Desktop needs
/// a session host): the estate refuses a rule whose feature has no server.
fn drop_dangling_features(e: &mut Estate) {
    let servers = &e.servers;
    for a in &mut e.access {
        let dangling = dangling_features(a, servers);
        a.features.retain(|f| !dangling.contains(f));
    }
}

/// The features of rule `a` that none of its servers (among `servers`) offers; none while the
/// rule names no known server.
pub fn dangling_features(a: &Access, servers: &[Server]) -> Vec<Feature> {
    let targets: Vec<&Server> = (a.servers.iter())
        .filter_map(|id| servers.iter().find(|s| &s.id == id))
        .collect();
    if targets.is_empty() {
        return Vec::new();
    }
    (a.features.iter().copied())
        .filter(|&f| !targets.iter().any(|s| crate::estate::feature_applies(f, s)))
        .collect()
}

/// The licence kinds a CAL product is sold as.
pub fn holding_kinds(product: CalProduct) -> Vec<LicenceKind> {
    let mut kinds = vec![LicenceKind::UserCal, LicenceKind::DeviceCal];
    if crate::catalog::product(product).external_connector {
        kinds.push(LicenceKind::ExternalConnector);
    }
    kinds
}

/// Moves a holding to another product, keeping a kind and version that product has.
pub fn change_holding_product(h: &mut Holding, product: CalProduct) {
    h.product = product;
    if !holding_kinds(product).contains(&h.kind) {
        h.kind = LicenceKind::UserCal;
    }
    let versions = crate::ui::versions::cal_versions(product);
    if !versions.contains(&h.version.as_str()) {
        h.version = versions.last().map(|v| v.to_string()).unwrap_or_default();
    }
    if h.kind != LicenceKind::ExternalConnector {
        h.assigned_to = None;
    }
}

/// The newest release the catalog knows for a product (what a new server defaults to).
pub fn default_version(product: ServerProduct) -> String {
    crate::ui::versions::server_versions(product)
        .last()
        .map(|v| v.to_string())
        .unwrap_or_else(|| "2022".to_string())
}

/// The version a server added to `e` starts at. A Windows Server starts at the newest Windows
/// Server the estate already runs (its Windows Server rows, or what its other servers run on),
/// and at the newest release only in an estate with none: a server added to a 2022 estate came in
/// as 2025, so the owned 2022 CALs stopped covering anyone and the quote jumped (pre-sales
/// review 23). Switched to Exchange or SharePoint, it keeps that version as what it runs on.
pub fn new_server_version(e: &Estate, product: ServerProduct) -> String {
    if product != ServerProduct::WindowsServer {
        return default_version(product);
    }
    let known = crate::ui::versions::server_versions(ServerProduct::WindowsServer);
    e.servers
        .iter()
        .filter_map(|s| match s.product {
            ServerProduct::WindowsServer => Some(s.version.as_str()),
            _ => s.windows_version.as_deref(),
        })
        .filter_map(|v| known.iter().position(|k| *k == v))
        .max()
        .and_then(|i| known.get(i))
        .map_or_else(|| default_version(product), |v| v.to_string())
}

/// How the editors name the server at place `i` of the list: its name, or "Server 2" by its place
/// when it has none (QA: an unnamed new server was labelled by its internal id, "ws-2 runs on
/// Windows Server"). Its place keeps the labels of unnamed servers apart on the page.
pub fn server_label(i: usize, s: &Server) -> String {
    if s.name.is_empty() {
        format!("Server {}", i + 1)
    } else {
        s.name.clone()
    }
}

/// [`server_label`] of the server with id `id` in `e`; `id` itself when no server has it (a
/// physical host typed as text).
pub fn server_label_of(e: &Estate, id: &str) -> String {
    e.servers
        .iter()
        .position(|s| s.id == id)
        .map_or_else(|| id.to_string(), |i| server_label(i, &e.servers[i]))
}

/// The estate as the engine is given it: every server without a name is called what the editors
/// call it ("Server 2", [`server_label`]), so the why texts, findings, break-even subjects and
/// product cards name it as the form does (QA: the results said "ws-2" where the form said
/// "Server 2"; the engine names a server by its name, else its id). A copy, made only when a
/// server has no name: the estate kept, autosaved, shared and exported stays as entered.
pub fn for_engine(e: &Rc<Estate>) -> Rc<Estate> {
    if e.servers.iter().all(|s| !s.name.is_empty()) {
        return e.clone();
    }
    let mut named = (**e).clone();
    for (i, s) in named.servers.iter_mut().enumerate() {
        if s.name.is_empty() {
            s.name = server_label(i, s);
        }
    }
    Rc::new(named)
}

/// What a "Remove …" button or notice calls the server at `i`: "server “File server”", or
/// "Server 2" for one without a name ("Remove Server 2", not "Remove server Server 2").
pub fn server_called(i: usize, s: &Server, quoted: bool) -> String {
    match (s.name.is_empty(), quoted) {
        (true, _) => server_label(i, s),
        (false, true) => format!("server “{}”", s.name),
        (false, false) => format!("server {}", s.name),
    }
}

impl Edit {
    /// What a "Remove …" edit removes from `e`, for the notice that offers to undo it ("server
    /// “File server”"); `None` for every other edit and for a stale index.
    pub fn removal(&self, e: &Estate) -> Option<String> {
        match self {
            Edit::RemoveGroup(i) => e
                .groups
                .get(*i)
                .map(|g| format!("group “{}”", g.shown_name())),
            Edit::RemoveSharedDevices(i) => e
                .shared_devices
                .get(*i)
                .map(|d| format!("shared devices “{}”", d.shown_name())),
            Edit::RemoveServer(i) => e.servers.get(*i).map(|s| server_called(*i, s, true)),
            Edit::RemoveAccess(i) => {
                (*i < e.access.len()).then(|| format!("access rule {}", i + 1))
            }
            Edit::RemoveHolding(i) => e.holdings.get(*i).map(|h| {
                format!(
                    "owned {} × {} {} {}",
                    h.quantity,
                    crate::report::product_label(h.product),
                    crate::report::kind_label(h.kind),
                    h.version
                )
                .trim_end()
                .to_string()
            }),
            Edit::StartEmpty => {
                let parts: Vec<String> = [
                    (e.groups.len(), "group", "groups"),
                    (e.shared_devices.len(), "device pool", "device pools"),
                    (e.servers.len(), "server", "servers"),
                    (e.holdings.len(), "holding", "holdings"),
                    (
                        sample_prices()
                            .iter()
                            .filter(|p| e.organisation.prices.contains(p))
                            .count(),
                        "price of the sample",
                        "prices of the sample",
                    ),
                ]
                .iter()
                .filter(|(n, _, _)| *n > 0)
                .map(|&(n, one, many)| crate::ui::format::counted(n as u64, one, many))
                .collect();
                (!parts.is_empty()
                    || !e.note.is_empty()
                    || !e.access.is_empty()
                    || e.usage.is_some()
                    || e.organisation.m365 != M365::default())
                .then(|| {
                    if parts.is_empty() {
                        "everything entered".to_string()
                    } else {
                        format!("everything entered ({})", parts.join(", "))
                    }
                })
            }
            _ => None,
        }
    }

    /// What the user should be told about the edit's side effects on `e` (before it applies).
    pub fn notice(&self, e: &Estate) -> Option<Notice> {
        match self {
            Edit::RemoveServer(i) => {
                let host = e.servers.get(*i)?;
                let vms: Vec<String> = e
                    .servers
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| s.host.as_deref() == Some(host.id.as_str()))
                    // Named by their places once the host is gone.
                    .map(|(k, s)| server_label(if k > *i { k - 1 } else { k }, s))
                    .collect();
                let what = self.removal(e)?;
                // The servers stay (they still run somewhere and their users still need CALs),
                // but the host they named is gone: say so rather than change them silently.
                (!vms.is_empty()).then(|| {
                    let servers = if vms.len() == 1 {
                        format!("The server that ran on it ({}) is", vms.join(", "))
                    } else {
                        format!("The {} servers that ran on it ({}) are", vms.len(), vms.join(", "))
                    };
                    Notice::info(format!(
                        "Removed {what}. {servers} now treated as physical servers, each its own host for External Connectors: set their host in detailed mode if they moved."
                    ))
                })
            }
            Edit::SetRemoteDesktop(i, false) => {
                let (left, edit) = take_remote_desktop(e, *i)?;
                edit.notice(&left)
            }
            Edit::SetServer(i, s) => {
                let before = e.servers.get(*i)?;
                if !before.rds_session_host || s.rds_session_host {
                    return None;
                }
                let mut after = e.clone();
                Edit::SetServer(*i, s.clone()).apply(&mut after);
                let dropped = e
                    .access
                    .iter()
                    .zip(&after.access)
                    .filter(|(a, b)| a.features.len() != b.features.len())
                    .count();
                (dropped > 0).then(|| {
                    Notice::info(format!(
                        "{} is no longer a Remote Desktop Session Host, so Remote Desktop was taken off {} that reached no other session host.",
                        server_label(*i, s),
                        if dropped == 1 { "the access rule".to_string() } else { format!("{dropped} access rules") }
                    ))
                })
            }
            _ => None,
        }
    }

    /// Applies the edit. Out-of-range indices (a stale click) change nothing.
    pub fn apply(self, e: &mut Estate) {
        match self {
            Edit::SetName(name) => e.name = name,
            Edit::SetAsOf(date) => e.as_of = date,
            Edit::SetQuick(field, n) => set_quick(e, field, n),
            Edit::SetOwnedWindowsCals {
                kind,
                quantity,
                version,
            } => {
                let found = e
                    .holdings
                    .iter()
                    .position(|h| h.product == CalProduct::WindowsServer && h.kind == kind);
                match found {
                    Some(i) if quantity == 0 => {
                        e.holdings.remove(i);
                    }
                    Some(i) => {
                        if let Some(h) = e.holdings.get_mut(i) {
                            h.quantity = quantity;
                            h.version = version;
                        }
                    }
                    None if quantity > 0 => e.holdings.push(Holding {
                        product: CalProduct::WindowsServer,
                        kind,
                        version,
                        quantity,
                        software_assurance: None,
                        assigned_to: None,
                    }),
                    None => {}
                }
            }
            Edit::AddGroup => {
                let id = fresh_id(e, "group");
                e.groups.push(new_group(
                    id.clone(),
                    "New group",
                    0,
                    PersonKind::Employee,
                    1,
                ));
                grant_base_access(e, &id);
            }
            Edit::SetGroup(i, g) => {
                if let Some(slot) = e.groups.get_mut(i) {
                    *slot = g;
                }
            }
            Edit::RemoveGroup(i) => {
                if i < e.groups.len() {
                    let id = e.groups.remove(i).id;
                    for a in &mut e.access {
                        a.groups.retain(|g| *g != id);
                    }
                    e.access.retain(|a| !a.groups.is_empty());
                    for d in &mut e.shared_devices {
                        d.shared_by.retain(|g| *g != id);
                    }
                }
            }
            Edit::AddSharedDevices => {
                let id = fresh_id(e, "shared");
                e.shared_devices.push(SharedDevices {
                    id,
                    name: "Shared devices".into(),
                    count: 0,
                    shared_by: vec![],
                    unattended: false,
                    accesses: vec![],
                    network: false,
                });
            }
            Edit::SetSharedDevices(i, d) => {
                if let Some(slot) = e.shared_devices.get_mut(i) {
                    *slot = d;
                }
            }
            Edit::RemoveSharedDevices(i) => {
                if i < e.shared_devices.len() {
                    e.shared_devices.remove(i);
                }
            }
            Edit::AddServer(product) => {
                let stem = match product {
                    ServerProduct::WindowsServer => "ws",
                    ServerProduct::SqlServer => "sql",
                    ServerProduct::Exchange => "exchange",
                    ServerProduct::SharePoint => "sharepoint",
                    ServerProduct::SkypeForBusiness => "skype",
                };
                let id = fresh_id(e, stem);
                let version = new_server_version(e, product);
                e.servers.push(Server {
                    id: id.clone(),
                    name: String::new(),
                    product,
                    edition: Default::default(),
                    version,
                    windows_version: None,
                    host: None,
                    vm: false,
                    cores: 0,
                    sql_licensing: None,
                    rds_session_host: false,
                    rds_mode: None,
                    rd_licensing_server_version: None,
                    pay_as_you_go: false,
                    anonymous_only: false,
                    virtualization_only: false,
                    ad_rms: false,
                });
                grant_server_to_base_access(e, &id);
            }
            Edit::SetServer(i, mut s) => {
                tidy_server(&mut s);
                if let Some(slot) = e.servers.get_mut(i) {
                    *slot = s;
                }
                drop_dangling_features(e);
            }
            Edit::SetRemoteDesktop(i, true) => give_remote_desktop(e, i),
            Edit::SetRemoteDesktop(i, false) => {
                if let Some((left, edit)) = take_remote_desktop(e, i) {
                    *e = left;
                    edit.apply(e);
                }
            }
            Edit::RemoveServer(i) => {
                if i < e.servers.len() {
                    let id = e.servers.remove(i).id;
                    for a in &mut e.access {
                        a.servers.retain(|s| *s != id);
                    }
                    e.access.retain(|a| !a.servers.is_empty());
                    // An unattended pool that reached only this server now reaches nothing.
                    e.shared_devices.retain(|d| {
                        !(d.unattended && d.accesses.len() == 1 && d.accesses.first() == Some(&id))
                    });
                    for d in &mut e.shared_devices {
                        d.accesses.retain(|s| *s != id);
                    }
                    for s in &mut e.servers {
                        if s.host.as_deref() == Some(id.as_str()) {
                            s.host = None;
                            s.vm = false;
                        }
                    }
                    for h in &mut e.holdings {
                        if h.assigned_to.as_deref() == Some(id.as_str()) {
                            h.assigned_to = None;
                        }
                    }
                }
            }
            Edit::AddAccess => e.access.push(Access {
                groups: e
                    .groups
                    .first()
                    .map(|g| vec![g.id.clone()])
                    .unwrap_or_default(),
                servers: e
                    .servers
                    .first()
                    .map(|s| vec![s.id.clone()])
                    .unwrap_or_default(),
                via: None,
                manual_transfer_only: false,
                features: vec![],
            }),
            Edit::SetAccess(i, a) => {
                if let Some(slot) = e.access.get_mut(i) {
                    *slot = a;
                }
            }
            Edit::SetAccessFeature(i, f, on) => {
                let hosts = match (on, feature_hosts(e, i, f)) {
                    (false, _) => Vec::new(),
                    (true, Some(hosts)) => hosts,
                    (true, None) => return,
                };
                for k in hosts {
                    if let Some(s) = e.servers.get_mut(k) {
                        s.rds_session_host = true;
                        tidy_server(s);
                    }
                }
                if let Some(a) = e.access.get_mut(i) {
                    a.features.retain(|x| *x != f);
                    if on {
                        a.features.push(f);
                        crate::sort::sort(&mut a.features);
                    }
                }
            }
            Edit::RemoveAccess(i) => {
                if i < e.access.len() {
                    e.access.remove(i);
                }
            }
            Edit::AddHolding => e.holdings.push(Holding {
                product: CalProduct::WindowsServer,
                kind: LicenceKind::UserCal,
                version: crate::ui::versions::cal_versions(CalProduct::WindowsServer)
                    .last()
                    .map(|v| v.to_string())
                    .unwrap_or_default(),
                quantity: 0,
                software_assurance: None,
                assigned_to: None,
            }),
            Edit::SetHolding(i, h) => {
                if let Some(slot) = e.holdings.get_mut(i) {
                    *slot = h;
                }
            }
            Edit::RemoveHolding(i) => {
                if i < e.holdings.len() {
                    e.holdings.remove(i);
                }
            }
            Edit::SetM365(m) => e.organisation.m365 = m,
            Edit::SetReadings(r) => e.organisation.readings = r,
            Edit::SetPrice(item, amount) => {
                e.organisation.prices.retain(|p| p.item != item);
                if let Some(amount_minor) = amount {
                    e.organisation
                        .prices
                        .push(PriceOverride { item, amount_minor });
                    crate::sort::sort_by_key(&mut e.organisation.prices, |p| p.item);
                }
            }
            Edit::StartEmpty => {
                // The sample's own prices are as made up as its people (review 20: after "Start
                // empty" they priced SharePoint CALs as "your own"); prices typed since stay.
                let sample = sample_prices();
                e.organisation.prices.retain(|p| !sample.contains(p));
                e.name.clear();
                // The sample's note says its figures are invented: kept, it went out with a
                // customer's own file exported after "Start empty" (pre-sales review 23).
                e.note.clear();
                e.groups.clear();
                e.shared_devices.clear();
                e.servers.clear();
                e.access.clear();
                e.holdings.clear();
                e.usage = None;
                e.organisation.m365 = M365::default();
            }
            Edit::SetCurrency(c) => {
                // Own prices keep the number typed (45 stays 45, not 4,500 yen): their minor
                // units follow the new currency's (cents to whole yen, fils).
                let c = c.to_ascii_uppercase();
                let from = crate::position::minor_digits(&e.organisation.currency);
                let to = crate::position::minor_digits(&c);
                for p in &mut e.organisation.prices {
                    p.amount_minor = rescale(p.amount_minor, from, to);
                }
                e.organisation.currency = c;
            }
        }
    }
}

/// Switches `e` to currency `c` the way [`Edit::SetCurrency`] does (prices keep their numbers),
/// but without losing a digit: a price the new currency cannot hold (12.49 in yen) is rounded and
/// remembered as typed, and a remembered price comes back exactly in a currency that can hold it
/// (12.49 again back in dollars). Returns what is remembered after the switch. `e` is left in
/// currency `c` with its prices in `c`'s minor units, so applying the edit afterwards rescales
/// nothing.
pub fn switch_currency(
    e: &mut Estate,
    c: &str,
    remembered: &[(PriceItem, u32, i64)],
) -> Vec<(PriceItem, u32, i64)> {
    let from = crate::position::minor_digits(&e.organisation.currency);
    let to = crate::position::minor_digits(c);
    let mut kept = Vec::new();
    for p in &mut e.organisation.prices {
        let exact = remembered
            .iter()
            .find(|(i, _, _)| *i == p.item)
            .map(|(_, d, m)| (*d, *m))
            .unwrap_or((from, p.amount_minor));
        p.amount_minor = rescale(exact.1, exact.0, to);
        if rescale(p.amount_minor, to, exact.0) != exact.1 {
            kept.push((p.item, exact.0, exact.1));
        }
    }
    // The prices are now in `c`'s minor units: `apply` must not rescale them again.
    e.organisation.currency = c.to_ascii_uppercase();
    kept
}

/// The own prices that switching from currency `from` to `c` would take above the largest price
/// an estate holds ([`crate::estate::MAX_PRICE`] minor units), as (item, amount after the switch):
/// the numbers are kept, so ¥20,000,000,000 becomes $20,000,000,000.00, which the estate check
/// refuses (browser review 21: the result gave way to a message, and after a reload to nothing).
pub fn prices_too_large_in(prices: &[PriceOverride], from: &str, c: &str) -> Vec<(PriceItem, i64)> {
    let (from, to) = (
        crate::position::minor_digits(from),
        crate::position::minor_digits(c),
    );
    prices
        .iter()
        .map(|p| (p.item, rescale(p.amount_minor, from, to)))
        .filter(|&(_, after)| after > crate::estate::MAX_PRICE)
        .collect()
}

/// The own prices that switching from currency `from` to `c` would round (their digits do not
/// fit `c`'s minor unit), as (item, amount typed, amount after the switch), each in its
/// currency's minor units.
pub fn prices_rounded_by(
    prices: &[PriceOverride],
    from: &str,
    c: &str,
) -> Vec<(PriceItem, i64, i64)> {
    let (from, to) = (
        crate::position::minor_digits(from),
        crate::position::minor_digits(c),
    );
    prices
        .iter()
        .filter_map(|p| {
            let after = rescale(p.amount_minor, from, to);
            (rescale(after, to, from) != p.amount_minor).then_some((p.item, p.amount_minor, after))
        })
        .collect()
}

/// An amount in minor units of a currency with `from` fraction digits, in one with `to`, the
/// same number of major units (rounded half up when digits are dropped).
pub fn rescale(minor: i64, from: u32, to: u32) -> i64 {
    if to >= from {
        minor.saturating_mul(10i64.saturating_pow(to - from))
    } else {
        let d = 10i64.saturating_pow(from - to);
        (minor.saturating_add(d / 2)) / d
    }
}

fn set_quick(e: &mut Estate, field: QuickField, n: u32) {
    let view = QuickView::of(e);
    match field {
        QuickField::Employees | QuickField::DevicesEach => {
            let (count, devices) = match field {
                QuickField::Employees => (Some(n), None),
                _ => (None, Some(n.max(1))),
            };
            match view.employees.and_then(|i| e.groups.get_mut(i)) {
                Some(g) => {
                    if let Some(c) = count {
                        g.count = c;
                    }
                    if let Some(d) = devices {
                        g.devices_each = d;
                    }
                }
                None => {
                    let id = fresh_id(e, "staff");
                    e.groups.push(new_group(
                        id.clone(),
                        "Employees",
                        count.unwrap_or(0),
                        PersonKind::Employee,
                        devices.unwrap_or(1),
                    ));
                    grant_base_access(e, &id);
                }
            }
        }
        QuickField::SharedUsers => match view.shared_users.and_then(|i| e.groups.get_mut(i)) {
            Some(g) => g.count = n,
            None => {
                let id = fresh_id(e, "shift");
                e.groups.push(new_group(
                    id.clone(),
                    "Shared-device users",
                    n,
                    PersonKind::Employee,
                    0,
                ));
                grant_base_access(e, &id);
                match view
                    .shared_devices
                    .and_then(|i| e.shared_devices.get_mut(i))
                {
                    Some(d) => d.shared_by.push(id),
                    None => {
                        let pool = fresh_id(e, "shared");
                        e.shared_devices.push(SharedDevices {
                            id: pool,
                            name: "Shared devices".into(),
                            count: 0,
                            shared_by: vec![id],
                            unattended: false,
                            accesses: vec![],
                            network: false,
                        });
                    }
                }
            }
        },
        QuickField::SharedDevices => {
            match view
                .shared_devices
                .and_then(|i| e.shared_devices.get_mut(i))
            {
                Some(d) => d.count = n,
                None => {
                    let id = fresh_id(e, "shared");
                    let shared_by = view
                        .shared_users
                        .and_then(|i| e.groups.get(i))
                        .map(|g| vec![g.id.clone()])
                        .unwrap_or_default();
                    e.shared_devices.push(SharedDevices {
                        id,
                        name: "Shared devices".into(),
                        count: n,
                        shared_by,
                        unattended: false,
                        accesses: vec![],
                        network: false,
                    });
                }
            }
        }
        QuickField::ExternalUsers => match view.external.and_then(|i| e.groups.get_mut(i)) {
            Some(g) => g.count = n,
            None => {
                let id = fresh_id(e, "external");
                e.groups.push(new_group(
                    id.clone(),
                    "External users",
                    n,
                    PersonKind::Partner,
                    1,
                ));
                grant_base_access(e, &id);
            }
        },
    }
}

/// The organisation's own prices in the built-in sample (made up, like its people).
fn sample_prices() -> Vec<PriceOverride> {
    crate::ui::app::sample_estate()
        .map(|s| s.organisation.prices)
        .unwrap_or_default()
}
