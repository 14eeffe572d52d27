//! The TUI's state and its update function: events in, effects out. No
//! terminal and no database here, so every behaviour can be tested with
//! plain values (and rendered on a `TestBackend`).
//!
//! `App` routes: a key goes to the overlay or screen that has the keyboard
//! (`ui::screens`, one type per screen), then as an action through the
//! keymap to the same one, then to the actions every screen shares; the
//! store's answers go to the screen that asked. `App` itself keeps the
//! flash, the clock (wakeups, the R22 auto-close) and the draft timer (R18).
use ratatui::crossterm::event::KeyEvent;

pub use super::event::{Effect, Event};
pub use super::shown::{Filter, Flash, Overlay, View};

use crate::domain::queue::{self, Item, ItemKind};
use crate::domain::sla::Badge;
use crate::i18n::{Lang, Msg};
use crate::keymap::{Action, Context, Keymap};
use crate::store::agents::Agent;
use crate::store::queue::Detail;

use super::call::CallState;
use super::customer::CustomerState;
use super::form::{self, FormState};
use super::screens::{
    self, CallScreen, CustomerScreen, FormScreen, Handled, Input, QueueScreen, ReportScreen,
    Screen, SearchScreen, WallboardScreen,
};
use super::search::SearchState;
use crate::live_index::Live;

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
    pub(crate) reload_pending: bool,
    pub(crate) loading: bool,
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

    /// `{number} {message}`: every message about one item names it.
    pub(crate) fn say_about(&mut self, number: &str, m: Msg, error: bool) {
        let text = format!("{number} {}", m.text(self.lang));
        self.say(text, error);
    }

    pub(crate) fn say(&mut self, text: impl Into<String>, error: bool) {
        self.flash = Some(Flash {
            text: text.into(),
            error,
            until: self.now + FLASH_SECS,
        });
        self.dirty = true;
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
            QueueScreen::refresh_view(self);
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

    /// Input, the passing of time and changes come here; the store's
    /// answers go on to [`App::answer`].
    fn event(&mut self, ev: Event) -> Vec<Effect> {
        match ev {
            Event::Key(k) => self.key(k),
            Event::Paste(text) => {
                if !CallScreen::paste(self, &text) {
                    FormScreen::paste(self, &text);
                }
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
            Event::Index => {
                SearchScreen::index_changed(self);
                vec![]
            }
            Event::Tick => vec![],
            Event::Quit => {
                // The loop writes any unsaved draft after it stops and waits
                // for it; a task spawned now would die with the runtime.
                self.quit = true;
                vec![]
            }
            answer => self.answer(answer),
        }
    }

    /// An effect's answer, to the screen that asked for it.
    fn answer(&mut self, ev: Event) -> Vec<Effect> {
        match ev {
            Event::Queue(r) => return QueueScreen::loaded(self, r),
            Event::Detail(r) => return QueueScreen::detail_loaded(self, r),
            Event::Agents {
                complaint: (complaint, number),
                result,
            } => QueueScreen::agents_loaded(self, complaint, number, result),
            Event::Acted { number, result } => {
                match result {
                    Ok(m) => {
                        let text = format!("{} {number}", m.text(self.lang));
                        self.say(text, false);
                    }
                    Err(e) => self.say(format!("{number}: {e}"), true),
                }
                return self.reload();
            }
            Event::Drafts(r) => {
                if let Ok(list) = r {
                    self.drafts = list.into_iter().collect();
                    self.dirty = true;
                    // A reason prompt opened before the drafts arrived
                    // still gets its text back.
                    SearchScreen::restore_reason(self);
                }
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
                return self.reload();
            }
            Event::CallLoaded(r) => CallScreen::loaded(self, *r),
            Event::CallChecked(r) => CallScreen::checked(self, r),
            Event::FormLoaded(r) => return FormScreen::loaded(self, *r),
            Event::Similar(r) => FormScreen::similar_loaded(self, r),
            Event::Registered(r) => {
                FormScreen::registered(self, r);
                return self.reload();
            }
            Event::Summaries(r) => SearchScreen::summaries_loaded(self, r),
            Event::CustomerLoaded(r) => CustomerScreen::loaded(self, *r),
            Event::Wallboard(r) => return WallboardScreen::loaded(self, *r),
            Event::Report(r) => ReportScreen::loaded(self, *r),
            // Not answers: `event` handles them.
            Event::Key(_)
            | Event::Paste(_)
            | Event::Resize(..)
            | Event::DbChanged
            | Event::PresenceChanged
            | Event::Index
            | Event::Tick
            | Event::Quit => {}
        }
        vec![]
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
                    QueueScreen::refresh_view(self);
                }
            }
            _ => {
                self.filter_before = None;
                self.view = View::Queue;
            }
        }
        self.dirty = true;
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
        match self.try_action(a) {
            Handled::Done(fx) => fx,
            Handled::NotMine => {
                // Only a user's keymap binds these where no screen does them.
                if matches!(
                    a,
                    Action::NextScript
                        | Action::PrevScript
                        | Action::PickOutcome
                        | Action::EditNote
                        | Action::Save
                ) {
                    self.say(Msg::NotYet.text(self.lang), true);
                }
                vec![]
            }
        }
    }

    /// Like [`App::action`], saying whether anything took the action
    /// (`NotMine`: it does nothing where the agent is).
    pub fn try_action(&mut self, a: Action) -> Handled {
        self.dirty = true;
        match self.focused().handle(self, Input::Action(a)) {
            Handled::NotMine => self.global(a),
            done => done,
        }
    }

    /// The actions of every screen (quit, help, back, language, search,
    /// wallboard).
    fn global(&mut self, a: Action) -> Handled {
        Handled::Done(match a {
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
            _ => return Handled::NotMine,
        })
    }
}
