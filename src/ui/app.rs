//! The TUI's state and its update function: events in, effects out. No
//! terminal and no database here, so every behaviour can be tested with
//! plain values (and rendered on a `TestBackend`).
use ratatui::crossterm::event::KeyEvent;

use crate::domain::model::Severity;
use crate::domain::queue::{self, Item, ItemKind};
use crate::domain::sla::Badge;
use crate::i18n::{Lang, Msg};
use crate::keymap::{Action, Context, Keymap};
use crate::store::agents::Agent;
use crate::store::queue::Detail;

use super::call::{CallData, CallState, Submit};
use super::customer::CustomerState;
use super::form::{self, FormData, FormState};
use super::screens::{
    self, CallScreen, CustomerScreen, FormScreen, Handled, Input, ReportScreen, Screen,
    SearchScreen, WallboardScreen,
};
use super::search::SearchState;
use crate::domain::intake::NewComplaint;
use crate::live_index::Live;
use crate::store::archive::{Purpose, Record, Summary};
use crate::store::complaints::{Registered, Similar};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    Mine,
    Unassigned,
    All,
    Breached,
    /// The complaints behind a number on the wallboard.
    Board(crate::domain::wallboard::Jump),
    /// R12: major complaints not acknowledged yet.
    Majors,
}

impl Filter {
    pub fn msg(self) -> Msg {
        match self {
            Filter::Mine => Msg::FilterMine,
            Filter::Unassigned => Msg::FilterUnassigned,
            Filter::All => Msg::FilterAll,
            Filter::Breached => Msg::FilterBreached,
            Filter::Board(_) => Msg::FilterBoard,
            Filter::Majors => Msg::FilterMajors,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    None,
    Help,
    /// Reassign the complaint chosen when `r` was pressed (not whatever is
    /// selected when Enter comes).
    PickAgent {
        agents: Vec<Agent>,
        idx: usize,
        complaint: i64,
        number: String,
    },
    /// A question before an action the agent may not mean (`y`/Enter do
    /// it, `n`/Esc do not); every other key is swallowed.
    Confirm {
        text: String,
        effect: Box<Effect>,
    },
    /// `#`: jump to a complaint by number or its last digits.
    GoTo {
        input: super::textarea::TextArea,
    },
    /// R4: why the complaint becomes major (asked before `+` makes it so).
    PickReason {
        id: i64,
        number: String,
        idx: usize,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Queue,
    Detail,
    Call,
    Form,
    /// Customer search (`/`), see `ui::archive`.
    Search,
    /// One customer's record, see `ui::archive`.
    Customer,
    /// The supervisor wallboard and the report view, see `ui::wallboard`.
    Wallboard,
    Report,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flash {
    pub text: String,
    pub error: bool,
    pub until: i64,
}

/// What happened: input, a change in the database, the passing of time, or
/// the answer to an effect.
#[derive(Debug)]
pub enum Event {
    Key(KeyEvent),
    Resize(u16, u16),
    DbChanged,
    Tick,
    Queue(Result<Vec<Item>, String>),
    Detail(Result<Detail, String>),
    /// The agents to reassign the complaint `(id, number)` to.
    Agents {
        complaint: (i64, String),
        result: Result<Vec<Agent>, String>,
    },
    Done(Result<Msg, String>),
    /// An action on one complaint finished; the message names its number.
    Acted {
        number: String,
        result: Result<Msg, String>,
    },
    /// The agent's saved drafts, `(context, body)` (R18).
    Drafts(Result<Vec<(String, String)>, String>),
    /// What an open call screen's complaint looks like now (R8).
    CallChecked(Result<crate::store::complaints::State, String>),
    CallLoaded(Box<Result<(Item, CallData), String>>),
    FormLoaded(Box<Result<FormData, String>>),
    Similar(Result<Vec<Similar>, String>),
    Registered(Result<Registered, String>),
    /// The customer index changed (built, progress, or another process's
    /// change applied).
    Index,
    Summaries(Result<Vec<Summary>, String>),
    CustomerLoaded(Box<Result<Record, String>>),
    Paste(String),
    Wallboard(Box<Result<crate::domain::wallboard::Facts, String>>),
    Report(Box<Result<crate::domain::report::Report, String>>),
    /// The presence file changed (only the wallboard cares).
    PresenceChanged,
    Quit,
}

impl Event {
    /// The app's event for a terminal event, wherever it was read (the
    /// local terminal, or `hotline attach` relaying to the server); key
    /// releases, focus and mouse events are none.
    pub fn from_terminal(ev: ratatui::crossterm::event::Event) -> Option<Event> {
        use ratatui::crossterm::event as ct;
        match ev {
            ct::Event::Key(k) if k.kind != ct::KeyEventKind::Release => Some(Event::Key(k)),
            ct::Event::Resize(w, h) => Some(Event::Resize(w.max(1), h.max(1))),
            ct::Event::Paste(text) => Some(Event::Paste(text)),
            _ => None,
        }
    }
}

/// Work for the store thread; the answer comes back as an [`Event`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    LoadQueue,
    LoadDetail(i64),
    /// The agents, for reassigning the complaint `(id, number)`.
    LoadAgents(i64, String),
    Claim {
        kind: ItemKind,
        id: i64,
        number: String,
    },
    Release {
        kind: ItemKind,
        id: i64,
        complaint: i64,
        number: String,
    },
    Start {
        id: i64,
        number: String,
    },
    SetSeverity {
        id: i64,
        to: Severity,
        number: String,
        /// R4: why it becomes major.
        reason: Option<String>,
    },
    Acknowledge {
        id: i64,
        number: String,
    },
    Reassign {
        complaint: i64,
        to: i64,
        number: String,
    },
    /// Read the open call's complaint again (another process changed
    /// something).
    CheckCall(i64),
    /// The agent's drafts, for the marks and the restored texts (R18).
    LoadDrafts,
    /// Claim the item and load what its call screen needs.
    LoadCall(Box<Item>),
    SaveDraft {
        context: String,
        body: String,
    },
    RecordOutcome(Box<Submit>),
    LoadForm,
    /// R22: close quiet resolved complaints (safe from many processes).
    AutoClose,
    /// R5: what the new report is compared with.
    LoadSimilar(Box<crate::store::complaints::SimilarQuery>),
    Register(Box<NewComplaint>),
    /// Summaries of search results (R30: as the viewer may see them).
    LoadSummaries(Vec<i64>),
    /// Open a customer record: audit entry (R31) and the record.
    OpenCustomer {
        id: i64,
        purpose: Purpose,
    },
    /// The board's facts; `true`: this month's figures too.
    LoadWallboard(bool),
    LoadReport(crate::domain::report::Month),
}

const FLASH_SECS: i64 = 4;
/// R18: a draft is saved this long after the last keystroke.
pub(crate) const DRAFT_DELAY_MS: i64 = 600;
/// How often a running TUI runs the R22 auto-close.
const AUTO_CLOSE_EVERY: i64 = 600;

pub struct App {
    pub lang: Lang,
    pub me: Agent,
    pub keymap: Keymap,
    pub items: Vec<Item>,
    pub loaded: bool,
    /// Indices into `items` of the rows the filter shows, in R6 order.
    pub view_rows: Vec<usize>,
    pub selected: usize,
    pub filter: Filter,
    pub view: View,
    pub overlay: Overlay,
    pub detail: Option<Detail>,
    pub detail_scroll: u16,
    pub flash: Option<Flash>,
    pub now: i64,
    pub dirty: bool,
    pub quit: bool,
    pub color: bool,
    /// The center's time zone, for times shown on screen (R13).
    pub tz: chrono_tz::Tz,
    /// Customer search options from the settings (`search.fuzzy_pinyin`).
    pub search_options: crate::search::Options,
    /// The call in progress, when `view` is `Call`.
    pub call: Option<CallState>,
    /// The intake form, when `view` is `Form`.
    pub form: Option<FormState>,
    /// What the form's similar-complaints list was last loaded for.
    pub(crate) similar_for: Option<form::SimilarKey>,
    /// Wall clock in milliseconds, set by the loop before each event.
    pub now_ms: i64,
    /// When the unsaved note should be written as a draft (R18).
    pub draft_due_ms: Option<i64>,
    /// When this process next runs the R22 auto-close.
    pub next_auto_close: i64,
    /// A reload was asked for while one was running.
    reload_pending: bool,
    loading: bool,
    /// The customer search screen, when open (or behind a record opened
    /// from it).
    pub search: Option<SearchState>,
    /// The customer record, when `view` is `Customer`.
    pub customer: Option<CustomerState>,
    /// Where the record being opened goes back to.
    pub customer_back: View,
    /// The customer index of this process (none in tests without one).
    pub archive: Option<std::sync::Arc<Live>>,
    pub wallboard: Option<super::wallboard::WallboardState>,
    pub report: Option<super::wallboard::ReportState>,
    pub presence_thresholds: crate::domain::presence::Thresholds,
    /// The item last acted on stays in the list (and under the cursor)
    /// even when the filter no longer shows it, until the cursor moves.
    pub pinned: Option<(ItemKind, i64)>,
    /// A complaint to select once the queue has it (just registered).
    pub select_number: Option<String>,
    /// The agent's drafts by context (R18): the queue marks items with
    /// one, and the reason prompt finds its text again.
    pub drafts: std::collections::HashMap<String, String>,
    /// Where Esc on the detail, or the end of a call, goes back to: the
    /// customer record it was opened from (kept as it was), else the queue.
    pub return_to: Option<View>,
    /// The queue filter to restore on the way back (a record's complaint
    /// may have needed "all").
    pub filter_before: Option<Filter>,
    /// First line of the help overlay shown.
    pub help_scroll: u16,
    /// The terminal's size: below 80x24 only the "too small" notice shows,
    /// and keys other than quit do nothing.
    pub size: (u16, u16),
}

impl App {
    pub fn new(me: Agent, lang: Lang, keymap: Keymap, now: i64, color: bool) -> App {
        App {
            lang,
            me,
            keymap,
            items: Vec::new(),
            loaded: false,
            view_rows: Vec::new(),
            selected: 0,
            filter: Filter::All,
            view: View::Queue,
            overlay: Overlay::None,
            detail: None,
            detail_scroll: 0,
            flash: None,
            now,
            dirty: true,
            quit: false,
            color,
            tz: chrono_tz::UTC,
            search_options: crate::search::Options::default(),
            call: None,
            form: None,
            similar_for: None,
            now_ms: now * 1000,
            draft_due_ms: None,
            next_auto_close: now,
            reload_pending: false,
            loading: false,
            search: None,
            customer: None,
            customer_back: View::Queue,
            archive: None,
            wallboard: None,
            report: None,
            presence_thresholds: crate::domain::settings::Settings::defaults().presence,
            pinned: None,
            select_number: None,
            drafts: std::collections::HashMap::new(),
            return_to: None,
            filter_before: None,
            help_scroll: 0,
            size: (super::render::MIN_WIDTH, super::render::MIN_HEIGHT),
        }
    }

    pub fn selected_item(&self) -> Option<&Item> {
        self.view_rows
            .get(self.selected)
            .and_then(|&i| self.items.get(i))
    }

    pub fn rows(&self) -> impl Iterator<Item = &Item> {
        self.view_rows.iter().filter_map(|&i| self.items.get(i))
    }

    pub fn unacknowledged_majors(&self) -> usize {
        self.items
            .iter()
            .filter(|i| i.unacknowledged_major())
            .count()
    }

    pub fn count_badge(&self, b: Badge) -> usize {
        self.items.iter().filter(|i| i.badge(self.now) == b).count()
    }

    /// The next instant the screen must change without input: a badge
    /// crossing, the minute turning (ages, the clock), a message expiring.
    pub fn next_wakeup(&self) -> i64 {
        // The call timer ticks once a second while a call is open.
        let minute = if self.view == View::Call {
            self.now + 1
        } else {
            (self.now / 60 + 1) * 60
        };
        let badge = queue::next_boundary(&self.items, self.now).unwrap_or(i64::MAX);
        let flash = self.flash.as_ref().map_or(i64::MAX, |f| f.until);
        minute
            .min(badge)
            .min(flash)
            .min(self.next_auto_close)
            .min(WallboardScreen::wakeup(self))
    }

    /// Like `next_wakeup`, in milliseconds, including a pending draft save.
    pub fn next_wakeup_ms(&self) -> i64 {
        (self.next_wakeup() * 1000).min(self.draft_due_ms.unwrap_or(i64::MAX))
    }

    /// How long the loop may sleep at `now_ms` before it must handle a
    /// tick: until the next wakeup, the draft's millisecond deadline
    /// included (R18), at most an hour and never a busy loop.
    pub fn wait_ms(&self, now_ms: i64) -> u64 {
        self.next_wakeup_ms()
            .saturating_sub(now_ms)
            .clamp(10, 3_600_000) as u64
    }

    /// The draft to write now (R18): due, or everything on the way out.
    pub fn take_draft(&mut self, force: bool) -> Option<Effect> {
        let due = self.draft_due_ms.is_some_and(|d| d <= self.now_ms);
        if !(due || force && self.draft_due_ms.is_some()) {
            return None;
        }
        self.draft_due_ms = None;
        let (context, body) = if let Some(f) = self.form.as_ref() {
            (form::DRAFT_KEY.to_string(), f.draft())
        } else if let Some(r) = self.search.as_ref().and_then(|s| s.reason.as_ref()) {
            (r.draft_key(), r.text.text())
        } else {
            let call = self.call.as_mut()?;
            call.draft_dirty = false;
            (call.draft_key(), call.note.text())
        };
        self.remember_draft(&context, &body);
        Some(Effect::SaveDraft { context, body })
    }

    /// `w`: the wallboard, for supervisors and up.
    pub fn open_wallboard(&mut self) -> Vec<Effect> {
        WallboardScreen::open(self)
    }

    /// Runs the pending customer query, if any, against the live index.
    /// The event loop calls this once after draining input, so a burst of
    /// typing costs one query.
    pub fn run_search(&mut self) -> Vec<Effect> {
        SearchScreen::run(self)
    }

    /// Keeps the local copy of the drafts in step with the store (an
    /// empty body removes one, as `drafts::save` does).
    pub(crate) fn remember_draft(&mut self, context: &str, body: &str) {
        if body.trim().is_empty() {
            self.drafts.remove(context);
        } else {
            self.drafts.insert(context.to_string(), body.to_string());
        }
        self.dirty = true;
    }

    fn shows(&self, i: &Item) -> bool {
        if self.pinned == Some((i.kind, i.id)) {
            return true;
        }
        self.filter_shows(i)
    }

    /// Whether the filter itself shows the item (the pinned one aside).
    pub fn filter_shows(&self, i: &Item) -> bool {
        match self.filter {
            Filter::All => true,
            Filter::Mine => i.assignee_id == Some(self.me.id),
            Filter::Unassigned => i.assignee_id.is_none(),
            Filter::Breached => i.badge(self.now) == Badge::Breached,
            Filter::Board(j) => {
                j.matches(i, self.now, super::effects::end_of_today(self.now, self.tz))
            }
            Filter::Majors => i.unacknowledged_major(),
        }
    }

    /// Re-sorts for the current time and re-filters, keeping the selection
    /// on the same item when it is still shown.
    pub(crate) fn refresh_view(&mut self) {
        let keep = self.selected_item().map(|i| (i.kind, i.id));
        self.refresh_keeping(keep);
    }

    /// Replaces the items (a reload), keeping the selection on the same
    /// item. The key must be read before the items change: the old row
    /// indices mean nothing in the new list.
    fn set_items(&mut self, items: Vec<Item>) {
        let keep = self.selected_item().map(|i| (i.kind, i.id));
        self.items = items;
        self.refresh_keeping(keep);
    }

    pub(crate) fn refresh_keeping(&mut self, keep: Option<(ItemKind, i64)>) {
        queue::sort(&mut self.items, self.now);
        self.view_rows = (0..self.items.len())
            .filter(|&i| self.shows(&self.items[i]))
            .collect();
        self.selected = keep
            .and_then(|k| self.rows().position(|i| (i.kind, i.id) == k))
            .unwrap_or(self.selected)
            .min(self.view_rows.len().saturating_sub(1));
        self.dirty = true;
    }

    pub(crate) fn say(&mut self, text: impl Into<String>, error: bool) {
        self.flash = Some(Flash {
            text: text.into(),
            error,
            until: self.now + FLASH_SECS,
        });
        self.dirty = true;
    }

    pub(crate) fn detail_effect(&mut self) -> Option<Effect> {
        let id = self.selected_item()?.complaint_id;
        if self.detail.as_ref().is_some_and(|d| d.complaint_id == id) {
            return None;
        }
        Some(Effect::LoadDetail(id))
    }

    pub(crate) fn reload(&mut self) -> Vec<Effect> {
        if self.loading {
            self.reload_pending = true;
            return vec![];
        }
        self.loading = true;
        vec![Effect::LoadQueue]
    }

    /// The keymap context of whatever has the keyboard.
    pub fn context(&self) -> Context {
        self.focused().context(self)
    }

    /// The overlay that has the keyboard, else the screen in view.
    fn focused(&self) -> &'static dyn Screen {
        screens::overlay(&self.overlay).unwrap_or_else(|| screens::of(self.view))
    }

    /// Applies one event at time `now`; returns the work to do.
    pub fn handle(&mut self, ev: Event, now: i64) -> Vec<Effect> {
        let crossed = self.now / 60 != now / 60
            || queue::next_boundary(&self.items, self.now).is_some_and(|b| b <= now);
        // Read before the clock moves: the boundary after the old `now`.
        let board_crossed = WallboardScreen::wakeup(self) <= now;
        self.now = now;
        if self.flash.as_ref().is_some_and(|f| f.until <= now) {
            self.flash = None;
            self.dirty = true;
        }
        if crossed {
            self.refresh_view();
        }
        if crossed || board_crossed {
            WallboardScreen::recompute(self);
        }
        let mut fx = self.take_draft(false).into_iter().collect::<Vec<_>>();
        if now >= self.next_auto_close {
            self.next_auto_close = now + AUTO_CLOSE_EVERY;
            fx.push(Effect::AutoClose);
        }
        fx.extend(self.event(ev));
        fx
    }

    // The router over every event kind; issue 13 moves each screen's share
    // into its component.
    #[allow(clippy::too_many_lines)]
    fn event(&mut self, ev: Event) -> Vec<Effect> {
        match ev {
            Event::Key(k) => self.key(k),
            Event::Paste(text) => {
                if !CallScreen::paste(self, &text) {
                    FormScreen::paste(self, &text);
                }
                vec![]
            }
            Event::FormLoaded(r) => FormScreen::loaded(self, *r),
            Event::Similar(r) => {
                FormScreen::similar_loaded(self, r);
                vec![]
            }
            Event::Registered(r) => {
                FormScreen::registered(self, r);
                self.reload()
            }
            Event::CallLoaded(r) => {
                CallScreen::loaded(self, *r);
                vec![]
            }
            Event::Resize(w, h) => {
                self.size = (w, h);
                self.dirty = true;
                vec![]
            }
            Event::DbChanged => {
                let mut fx = self.reload();
                fx.extend(WallboardScreen::load(self));
                // R8: an open call notices a change to its complaint.
                if let Some(c) = self.call.as_ref() {
                    fx.push(Effect::CheckCall(c.item.complaint_id));
                }
                fx
            }
            Event::PresenceChanged => WallboardScreen::load(self),
            Event::Wallboard(r) => WallboardScreen::loaded(self, *r),
            Event::Report(r) => {
                ReportScreen::loaded(self, *r);
                vec![]
            }
            Event::Index => {
                SearchScreen::index_changed(self);
                vec![]
            }
            Event::Summaries(r) => {
                SearchScreen::summaries_loaded(self, r);
                vec![]
            }
            Event::CustomerLoaded(r) => {
                CustomerScreen::loaded(self, *r);
                vec![]
            }
            Event::Tick => vec![],
            Event::Quit => {
                // The loop writes any unsaved draft after it stops and waits
                // for it; a task spawned now would die with the runtime.
                self.quit = true;
                vec![]
            }
            Event::Queue(r) => {
                self.loading = false;
                let mut fx = Vec::new();
                match r {
                    Ok(items) => {
                        if !self.loaded {
                            // R18: after a restart, the marks of saved drafts.
                            fx.push(Effect::LoadDrafts);
                        }
                        self.loaded = true;
                        self.set_items(items);
                        WallboardScreen::recompute(self);
                        if let Some(n) = self.select_number.take() {
                            let found = self
                                .items
                                .iter()
                                .find(|i| i.kind == ItemKind::Complaint && i.number == n)
                                .map(|i| (i.kind, i.id));
                            match found {
                                Some(t) => self.select(t),
                                None => self.select_number = Some(n),
                            }
                        }
                        // The open detail may have changed too.
                        self.detail = None;
                        fx.extend(self.detail_effect());
                    }
                    Err(e) => self.say(format!("{}{e}", Msg::Failed.text(self.lang)), true),
                }
                if std::mem::take(&mut self.reload_pending) {
                    fx.extend(self.reload());
                }
                fx
            }
            Event::Detail(r) => {
                match r {
                    Ok(d)
                        if self
                            .selected_item()
                            .is_some_and(|i| i.complaint_id == d.complaint_id) =>
                    {
                        self.detail = Some(d);
                        self.dirty = true;
                    }
                    Ok(_) => {}
                    Err(e) => self.say(format!("{}{e}", Msg::Failed.text(self.lang)), true),
                }
                self.detail_effect().into_iter().collect()
            }
            Event::Agents {
                complaint: (complaint, number),
                result,
            } => {
                match result {
                    Ok(agents) => {
                        let agents: Vec<Agent> = agents.into_iter().filter(|a| a.active).collect();
                        self.overlay = Overlay::PickAgent {
                            agents,
                            idx: 0,
                            complaint,
                            number,
                        };
                        self.dirty = true;
                    }
                    Err(e) => self.say(format!("{}{e}", Msg::Failed.text(self.lang)), true),
                }
                vec![]
            }
            Event::Acted { number, result } => {
                match result {
                    Ok(m) => {
                        let text = format!("{} {number}", m.text(self.lang));
                        self.say(text, false);
                    }
                    Err(e) => self.say(format!("{number}: {e}"), true),
                }
                self.reload()
            }
            Event::Drafts(r) => {
                if let Ok(list) = r {
                    self.drafts = list.into_iter().collect();
                    self.dirty = true;
                    // A reason prompt opened before the drafts arrived
                    // still gets its text back.
                    SearchScreen::restore_reason(self);
                }
                vec![]
            }
            Event::CallChecked(r) => {
                CallScreen::checked(self, r);
                vec![]
            }
            Event::Done(r) => {
                match r {
                    Ok(m) => {
                        if m == Msg::OutcomeRecorded {
                            CallScreen::recorded(self);
                        }
                        self.say(m.text(self.lang), false)
                    }
                    Err(e) => self.say(e, true),
                }
                self.reload()
            }
        }
    }

    pub(crate) fn note_changed(&mut self) {
        self.draft_due_ms = Some(self.now_ms + DRAFT_DELAY_MS);
        self.dirty = true;
    }

    /// A key: the overlay or screen that has the keyboard sees it first
    /// (typing, a picker's own keys), then the action the keymap finds.
    fn key(&mut self, k: KeyEvent) -> Vec<Effect> {
        // Too small to show anything: keys must not act on what is not
        // seen; only quitting works.
        if self.size.0 < super::render::MIN_WIDTH || self.size.1 < super::render::MIN_HEIGHT {
            return match self.keymap.action(Context::Global, &k) {
                Some(Action::Quit) => self.action(Action::Quit),
                _ => vec![],
            };
        }
        if let Handled::Done(fx) = self.focused().handle(self, Input::Key(&k)) {
            return fx;
        }
        let Some(action) = self.keymap.action(self.context(), &k) else {
            return vec![];
        };
        self.action(action)
    }

    /// Back where the agent came from: the customer record a complaint
    /// or a call was opened from (with the queue's filter as it was), else
    /// the queue.
    pub(crate) fn go_back(&mut self) {
        match self.return_to.take() {
            Some(View::Customer) if self.customer.is_some() => {
                self.view = View::Customer;
                if let Some(f) = self.filter_before.take() {
                    self.filter = f;
                    self.pinned = None;
                    self.refresh_view();
                }
            }
            _ => {
                self.filter_before = None;
                self.view = View::Queue;
            }
        }
        self.dirty = true;
    }

    /// The help overlay scrolls and closes; it swallows every other key so
    /// nothing moves behind it.
    pub(crate) fn help_key(&mut self, k: &KeyEvent) -> Vec<Effect> {
        let Some(a) = self.keymap.action(Context::Help, k) else {
            return vec![];
        };
        let step: i32 = match a {
            Action::Up | Action::ScrollUp => -1,
            Action::Down | Action::ScrollDown => 1,
            Action::PageUp => -10,
            Action::PageDown => 10,
            Action::Top => -10_000,
            Action::Bottom => 10_000,
            Action::Back | Action::Help => {
                self.overlay = Overlay::None;
                self.dirty = true;
                return vec![];
            }
            Action::Quit | Action::ToggleLanguage => return self.action(a),
            _ => return vec![],
        };
        let max = super::render::help_rows(self).saturating_sub(1) as i32;
        self.help_scroll = (i32::from(self.help_scroll) + step).clamp(0, max.max(0)) as u16;
        self.dirty = true;
        vec![]
    }

    fn move_by(&mut self, delta: i64) -> Vec<Effect> {
        let n = self.view_rows.len() as i64;
        let to = (self.selected as i64 + delta).clamp(0, (n - 1).max(0)) as usize;
        if to != self.selected {
            let target = self
                .view_rows
                .get(to)
                .and_then(|&i| self.items.get(i))
                .map(|i| (i.kind, i.id));
            self.selected = to;
            self.detail_scroll = 0;
            self.dirty = true;
            // The cursor left the item acted on: the filter applies to it
            // again.
            if self.pinned.is_some() && self.pinned != target {
                self.pinned = None;
                self.refresh_keeping(target);
            }
        }
        self.detail_effect().into_iter().collect()
    }

    pub(crate) fn need_complaint(&mut self) -> Option<Item> {
        match self.selected_item() {
            None => {
                self.say(Msg::NothingSelected.text(self.lang), true);
                None
            }
            Some(i) if i.kind == ItemKind::Callback => {
                self.say(Msg::NotForCallbacks.text(self.lang), true);
                None
            }
            Some(i) => Some(i.clone()),
        }
    }

    /// Asks `domain::access`; a refusal names the role needed.
    pub(crate) fn need(&mut self, p: crate::domain::access::Permission) -> bool {
        let Err(refused) = crate::domain::access::check(self.me.role, p) else {
            return true;
        };
        let role = refused.needed;
        let text = format!(
            "{}{}",
            Msg::NotAllowed.text(self.lang),
            crate::i18n::role(role, self.lang)
        );
        self.say(text, true);
        false
    }

    /// One action: the overlay or screen that has the keyboard, then what
    /// every screen shares.
    pub fn action(&mut self, a: Action) -> Vec<Effect> {
        self.dirty = true;
        match self.focused().handle(self, Input::Action(a)) {
            Handled::Done(fx) => fx,
            Handled::NotMine => self.global(a),
        }
    }

    /// The actions of every screen (quit, help, back, language, search,
    /// wallboard); an action no screen took does nothing.
    fn global(&mut self, a: Action) -> Vec<Effect> {
        match a {
            Action::Quit => {
                self.quit = true;
                vec![]
            }
            Action::Help => {
                self.help_scroll = 0;
                self.overlay = if self.overlay == Overlay::Help {
                    Overlay::None
                } else {
                    Overlay::Help
                };
                vec![]
            }
            Action::Back => {
                if self.overlay == Overlay::None {
                    self.go_back();
                } else {
                    self.overlay = Overlay::None;
                }
                vec![]
            }
            Action::ToggleLanguage => {
                self.lang = self.lang.other();
                let text = Msg::LangSwitched.text(self.lang);
                self.say(text, false);
                vec![]
            }
            Action::OpenSearch => SearchScreen::open(self),
            Action::OpenWallboard => WallboardScreen::open(self),
            // Only a user's keymap binds these where no screen does them.
            Action::NextScript
            | Action::PrevScript
            | Action::PickOutcome
            | Action::EditNote
            | Action::Save => {
                self.say(Msg::NotYet.text(self.lang), true);
                vec![]
            }
            _ => vec![],
        }
    }

    /// The queue's actions (and the detail's, on the same item); `None`:
    /// not one of them.
    pub(crate) fn queue_action(&mut self, a: Action) -> Option<Vec<Effect>> {
        Some(match a {
            Action::Back => {
                if !WallboardScreen::back_from_queue(self) {
                    self.go_back();
                }
                vec![]
            }
            Action::Up | Action::ScrollUp => self.move_by(-1),
            Action::Down | Action::ScrollDown => self.move_by(1),
            Action::PageUp => self.move_by(-10),
            Action::PageDown => self.move_by(10),
            Action::Top => self.move_by(-1_000_000),
            Action::Bottom => self.move_by(1_000_000),
            Action::FilterMine
            | Action::FilterUnassigned
            | Action::FilterAll
            | Action::FilterBreached
            | Action::FilterMajors => {
                self.filter = match a {
                    Action::FilterMine => Filter::Mine,
                    Action::FilterUnassigned => Filter::Unassigned,
                    Action::FilterBreached => Filter::Breached,
                    Action::FilterMajors => Filter::Majors,
                    _ => Filter::All,
                };
                self.pinned = None;
                self.selected = 0;
                self.refresh_view();
                self.detail_effect().into_iter().collect()
            }
            Action::Open | Action::Confirm | Action::NextPane | Action::PrevPane => {
                self.open_or_confirm(a)
            }
            Action::Claim => self.claim_selected(),
            Action::Release => self.release_selected(),
            Action::StartWork => self.start_selected(),
            Action::RaiseSeverity | Action::LowerSeverity => self.change_severity(a),
            Action::Reassign => self.reassign_selected(),
            Action::Acknowledge => self.acknowledge_selected(),
            Action::StartCall => self.call_selected(),
            Action::GoTo => self.open_go_to(),
            Action::NewComplaint => vec![Effect::LoadForm],
            Action::OpenCustomer => CustomerScreen::open_of_item(self),
            _ => return None,
        })
    }

    /// Keys in the reassign picker: move, choose; `None`: not the
    /// picker's (or the picker is not open).
    pub(crate) fn pick_agent_action(&mut self, a: Action) -> Option<Vec<Effect>> {
        let Overlay::PickAgent {
            agents,
            idx,
            complaint,
            number,
        } = &mut self.overlay
        else {
            return None;
        };
        let delta: i64 = match a {
            Action::Up | Action::ScrollUp => -1,
            Action::Down | Action::ScrollDown => 1,
            Action::PageUp => -10,
            Action::PageDown => 10,
            Action::Top => -1_000_000,
            Action::Bottom => 1_000_000,
            Action::Confirm | Action::Open => {
                let to = agents.get(*idx).map(|ag| ag.id);
                let (complaint, number) = (*complaint, number.clone());
                self.overlay = Overlay::None;
                let Some(to) = to else {
                    return Some(vec![]);
                };
                self.pin(ItemKind::Complaint, complaint);
                return Some(vec![Effect::Reassign {
                    complaint,
                    to,
                    number,
                }]);
            }
            Action::NextPane | Action::PrevPane => return Some(vec![]),
            _ => return None,
        };
        let n = agents.len() as i64;
        *idx = (*idx as i64 + delta).clamp(0, (n - 1).max(0)) as usize;
        self.dirty = true;
        Some(vec![])
    }

    fn open_or_confirm(&mut self, a: Action) -> Vec<Effect> {
        if self.view == View::Queue {
            self.return_to = None;
        }
        if matches!(a, Action::NextPane | Action::PrevPane) {
            self.view = if self.view == View::Queue {
                View::Detail
            } else {
                View::Queue
            };
        } else if self.selected_item().is_some() {
            self.view = View::Detail;
            self.detail_scroll = 0;
        }
        self.detail_effect().into_iter().collect()
    }
}
