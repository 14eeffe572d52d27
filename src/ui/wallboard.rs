//! The supervisor wallboard (R27) and the monthly report view (R28) in the
//! TUI: their state and the [`App`] methods behind them; `app.rs` only
//! routes here. The board's numbers are computed from the queue items the
//! supervisor's queue already holds (every open complaint, every callback
//! due today), so a number and the complaints behind it (Enter) agree; the
//! store adds agents, today's and this month's counts. It follows every
//! change (the poller, and the presence file's own poller) and recomputes
//! itself at the instant a clock or an agent's state crosses a boundary.
use crate::domain::access;
use crate::domain::model::Severity;
use crate::domain::presence::Thresholds;
use crate::domain::report::{Month, Report};
use crate::domain::sla::Badge;
use crate::domain::wallboard::{self, BADGES, Board, CLOCKS, Facts, Jump, SEVERITIES, STATUSES};
use crate::i18n::Msg;
use crate::keymap::Action;

use super::app::{App, Effect, Filter, View};

/// Every number Enter can open, in Tab order: the fixed ones, then each
/// agent's open items in the order the board lists them.
pub fn jumps(board: Option<&Board>) -> Vec<Jump> {
    let mut v = vec![Jump::Unacknowledged];
    for s in STATUSES {
        for v2 in SEVERITIES {
            v.push(Jump::Cell(s, v2));
        }
    }
    for c in CLOCKS {
        for b in BADGES {
            v.push(Jump::Clock(c, b));
        }
    }
    v.push(Jump::CallbacksDue);
    v.push(Jump::CallbacksOverdue);
    v.extend(
        board
            .into_iter()
            .flat_map(|b| b.agents.iter().map(|a| Jump::Agent(a.id))),
    );
    v
}

#[derive(Debug, Clone)]
pub struct WallboardState {
    pub facts: Option<Facts>,
    pub board: Option<Board>,
    /// Index into [`jumps`] of the focused number.
    pub focus: usize,
    pub page: usize,
    /// Pages the last draw needed, the page it showed, and whether it
    /// follows the focused number (set by Tab, cleared by PageDown/Up).
    pub pages: std::cell::Cell<usize>,
    pub shown_page: std::cell::Cell<usize>,
    pub follow_focus: std::cell::Cell<bool>,
    pub thresholds: Thresholds,
    loading: bool,
    pending: bool,
    pub error: Option<String>,
}

impl WallboardState {
    pub fn new(t: Thresholds) -> WallboardState {
        WallboardState {
            facts: None,
            board: None,
            focus: 0,
            page: 0,
            pages: std::cell::Cell::new(1),
            shown_page: std::cell::Cell::new(0),
            follow_focus: std::cell::Cell::new(false),
            thresholds: t,
            loading: false,
            pending: false,
            error: None,
        }
    }

    pub fn focused(&self) -> Jump {
        jumps(self.board.as_ref())
            .get(self.focus)
            .copied()
            .unwrap_or(Jump::Unacknowledged)
    }
}

/// The report view: one month's report as text lines, scrolled.
#[derive(Debug, Clone)]
pub struct ReportState {
    pub month: Month,
    pub report: Option<Box<Report>>,
    pub scroll: usize,
    pub error: Option<String>,
}

impl App {
    /// `w`: supervisors and up (`domain::access`, the one place roles are decided).
    pub(crate) fn open_wallboard(&mut self) -> Vec<Effect> {
        if !access::allows(self.me.role, access::Permission::RunReports) {
            self.say(Msg::WbRefused.text(self.lang), true);
            return vec![];
        }
        self.view = View::Wallboard;
        self.dirty = true;
        let t = self.presence_thresholds;
        let wb = self.wallboard.get_or_insert_with(|| WallboardState::new(t));
        wb.error = None;
        self.load_wallboard()
    }

    /// Asks for the board's facts unless a load runs (then once more after).
    pub(crate) fn load_wallboard(&mut self) -> Vec<Effect> {
        let Some(wb) = self.wallboard.as_mut() else {
            return vec![];
        };
        if !matches!(self.view, View::Wallboard | View::Report)
            && !matches!(self.filter, Filter::Board(_))
        {
            return vec![];
        }
        if wb.loading {
            wb.pending = true;
            return vec![];
        }
        wb.loading = true;
        let (now, tz) = (self.now, self.tz);
        let fresh = wb.facts.as_ref().is_some_and(|f| {
            f.month_at.is_some_and(|t| {
                now - t < crate::store::wallboard::MONTH_EVERY
                    && Month::of(t, tz).map(|m| m.start) == Month::of(now, tz).map(|m| m.start)
            })
        });
        vec![Effect::LoadWallboard(!fresh)]
    }

    pub(crate) fn wallboard_loaded(&mut self, r: Result<Facts, String>) -> Vec<Effect> {
        let Some(wb) = self.wallboard.as_mut() else {
            return vec![];
        };
        wb.loading = false;
        match r {
            Ok(mut f) => {
                wb.thresholds = self.presence_thresholds;
                // Month figures not counted this time: keep the last ones.
                if f.month_at.is_none()
                    && let Some(old) = wb.facts.take()
                {
                    f.month = old.month;
                    f.month_at = old.month_at;
                    f.month_label = old.month_label;
                    f.reminder = old.reminder;
                    f.last30 = old.last30;
                }
                wb.facts = Some(f);
                wb.error = None;
            }
            Err(e) => wb.error = Some(e),
        }
        self.recompute_board();
        let again = self
            .wallboard
            .as_mut()
            .is_some_and(|w| std::mem::take(&mut w.pending));
        if again {
            return self.load_wallboard();
        }
        vec![]
    }

    /// Recomputes the board for `now` from the queue items and the facts
    /// (no database read): after a load, a queue reload, or a boundary.
    pub(crate) fn recompute_board(&mut self) {
        let (now, tz) = (self.now, self.tz);
        let Some(wb) = self.wallboard.as_mut() else {
            return;
        };
        if let Some(f) = wb.facts.clone() {
            wb.board = Some(wallboard::compute(&self.items, f, now, tz, &wb.thresholds));
            self.dirty = true;
        }
    }

    /// The next instant the open board changes by time alone.
    pub(crate) fn wallboard_wakeup(&self) -> i64 {
        match (&self.wallboard, self.view) {
            (Some(wb), View::Wallboard) => {
                let sessions = wb.facts.as_ref().map_or(&[][..], |f| &f.sessions[..]);
                wallboard::next_boundary(&self.items, sessions, self.now, self.tz, &wb.thresholds)
            }
            _ => i64::MAX,
        }
    }

    /// Keys on the wallboard and the report view.
    pub(crate) fn wallboard_action(&mut self, a: Action) -> Option<Vec<Effect>> {
        if self.view == View::Report {
            return self.report_action(a);
        }
        let n = jumps(self.wallboard.as_ref().and_then(|w| w.board.as_ref())).len();
        let wb = self.wallboard.as_mut()?;
        self.dirty = true;
        match a {
            Action::NextPane | Action::PrevPane => {
                wb.focus = if a == Action::NextPane {
                    (wb.focus + 1) % n
                } else {
                    (wb.focus + n - 1) % n
                };
                wb.follow_focus.set(true);
            }
            Action::PageDown | Action::ScrollDown => {
                wb.page = (wb.shown_page.get() + 1).min(wb.pages.get().saturating_sub(1));
                wb.follow_focus.set(false);
            }
            Action::PageUp | Action::ScrollUp => {
                wb.page = wb.shown_page.get().saturating_sub(1);
                wb.follow_focus.set(false);
            }
            Action::Open | Action::Confirm => {
                // The complaints behind the focused number, in the queue.
                self.filter = Filter::Board(wb.focused());
                self.view = View::Queue;
                self.selected = 0;
                self.refresh_view();
                return Some(vec![]);
            }
            Action::Acknowledge => {
                // R12: the oldest unacknowledged major on the board.
                let first = wb
                    .board
                    .as_ref()
                    .and_then(|b| b.unacknowledged.first())
                    .map(|m| (m.id, m.number.clone()));
                return Some(match first {
                    Some((id, number)) => {
                        let text = format!("{} {number}", Msg::HintAck.text(self.lang));
                        self.say(text, false);
                        vec![Effect::Acknowledge { id, number }]
                    }
                    None => {
                        self.say(Msg::WbNoMajors.text(self.lang), true);
                        vec![]
                    }
                });
            }
            Action::OpenReport => {
                let month = Month::of(self.now, self.tz)?;
                self.report = Some(ReportState {
                    month,
                    report: None,
                    scroll: 0,
                    error: None,
                });
                self.view = View::Report;
                return Some(vec![Effect::LoadReport(month)]);
            }
            Action::Back | Action::OpenWallboard => {
                self.view = View::Queue;
                return Some(vec![]);
            }
            _ => return None,
        }
        Some(vec![])
    }

    fn report_action(&mut self, a: Action) -> Option<Vec<Effect>> {
        let tz = self.tz;
        let this = Month::of(self.now, tz)?;
        let r = self.report.as_mut()?;
        self.dirty = true;
        match a {
            Action::ScrollDown | Action::Down => r.scroll += 1,
            Action::ScrollUp | Action::Up => r.scroll = r.scroll.saturating_sub(1),
            Action::PageDown => r.scroll += 10,
            Action::PageUp => r.scroll = r.scroll.saturating_sub(10),
            Action::Top => r.scroll = 0,
            // Tab / BackTab: the next or previous month (never the future).
            Action::NextPane | Action::PrevPane => {
                let to = if a == Action::PrevPane {
                    r.month.prev(tz)
                } else {
                    Month::of(r.month.end, tz).filter(|m| m.start <= this.start)
                };
                // At the current month there is no next one: nothing moves.
                let Some(to) = to else {
                    return Some(vec![]);
                };
                r.month = to;
                r.report = None;
                r.scroll = 0;
                return Some(vec![Effect::LoadReport(to)]);
            }
            Action::Back | Action::OpenReport => {
                self.view = View::Wallboard;
                return Some(vec![]);
            }
            _ => return None,
        }
        Some(vec![])
    }

    pub(crate) fn report_loaded(&mut self, r: Result<Report, String>) {
        if let Some(st) = self.report.as_mut() {
            match r {
                Ok(rep) if rep.month == st.month.label() => st.report = Some(Box::new(rep)),
                Ok(_) => {}
                Err(e) => st.error = Some(e),
            }
            self.dirty = true;
        }
    }

    /// Esc on a queue opened from the wallboard goes back to it.
    pub(crate) fn back_to_wallboard(&mut self) -> bool {
        if !matches!(self.filter, Filter::Board(_)) || self.view != View::Queue {
            return false;
        }
        self.filter = Filter::All;
        self.refresh_view();
        self.view = View::Wallboard;
        true
    }
}

/// What a queue filter from the board shows, for the header.
pub fn jump_label(j: Jump, board: Option<&Board>, lang: crate::i18n::Lang) -> String {
    use crate::i18n;
    match j {
        Jump::Agent(id) => board
            .and_then(|b| b.agents.iter().find(|a| a.id == id))
            .map_or_else(String::new, |a| {
                format!(
                    "{} · {}",
                    crate::text::for_display(&a.name),
                    Msg::WbOpen.text(lang)
                )
            }),
        Jump::Cell(s, v) => format!("{}·{}", i18n::status(s, lang), i18n::severity(v, lang)),
        Jump::Clock(c, b) => format!("{}·{}", i18n::clock(c, lang), badge_word(b, lang)),
        Jump::Unacknowledged => Msg::WbMajors.text(lang).to_string(),
        Jump::CallbacksDue => Msg::WbDue.text(lang).to_string(),
        Jump::CallbacksOverdue => Msg::WbOverdue.text(lang).to_string(),
    }
}

pub fn badge_word(b: Badge, lang: crate::i18n::Lang) -> &'static str {
    match b {
        Badge::OnTrack => Msg::WbOnTrack.text(lang),
        Badge::AtRisk => Msg::AtRisk.text(lang),
        _ => Msg::RpBreached.text(lang),
    }
}

pub fn severity_short(s: Severity, lang: crate::i18n::Lang) -> &'static str {
    crate::i18n::severity(s, lang)
}
