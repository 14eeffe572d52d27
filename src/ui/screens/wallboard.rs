//! The supervisor wallboard (R26, R27): live figures; each number opens
//! the complaints behind it in the queue. Its state is `ui::wallboard`'s.
use ratatui::Frame;
use ratatui::layout::Rect;

use super::{Handled, Input, QueueScreen, Screen};
use crate::domain::access;
use crate::domain::report::Month;
use crate::domain::wallboard::{self, Facts};
use crate::i18n::Msg;
use crate::keymap::{Action, Context};
use crate::ui::app::{App, Effect, Filter, View};
use crate::ui::theme::Theme;
use crate::ui::wallboard::{ReportState, WallboardState, jumps};

/// The wallboard screen.
pub struct WallboardScreen;

impl Screen for WallboardScreen {
    fn context(&self, _: &App) -> Context {
        Context::Wallboard
    }

    fn help(&self) -> (Context, Msg) {
        (Context::Wallboard, Msg::WbTitle)
    }

    fn handle(&self, app: &mut App, input: Input<'_>) -> Handled {
        match input {
            Input::Key(_) => Handled::NotMine,
            Input::Action(a) => Handled::from_option(WallboardScreen::action(app, a)),
        }
    }

    fn render(&self, f: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
        crate::ui::wallboard_view::render(f, area, app, theme);
    }
}

impl WallboardScreen {
    /// `w`: supervisors and up (`domain::access`, the one place roles are decided).
    pub(crate) fn open(app: &mut App) -> Vec<Effect> {
        if !access::allows(app.me.role, access::Permission::RunReports) {
            app.say(Msg::WbRefused.text(app.lang), true);
            return vec![];
        }
        app.view = View::Wallboard;
        app.dirty = true;
        let t = app.presence_thresholds;
        let wb = app.wallboard.get_or_insert_with(|| WallboardState::new(t));
        wb.error = None;
        WallboardScreen::load(app)
    }

    /// Asks for the board's facts unless a load runs (then once more after).
    pub(crate) fn load(app: &mut App) -> Vec<Effect> {
        let Some(wb) = app.wallboard.as_mut() else {
            return vec![];
        };
        if !matches!(app.view, View::Wallboard | View::Report)
            && !matches!(app.filter, Filter::Board(_))
        {
            return vec![];
        }
        if wb.loading {
            wb.pending = true;
            return vec![];
        }
        wb.loading = true;
        let (now, tz) = (app.now, app.tz);
        let fresh = wb.facts.as_ref().is_some_and(|f| {
            f.month_at.is_some_and(|t| {
                now - t < crate::store::wallboard::MONTH_EVERY
                    && Month::of(t, tz).map(|m| m.start) == Month::of(now, tz).map(|m| m.start)
            })
        });
        vec![Effect::LoadWallboard(!fresh)]
    }

    pub(crate) fn loaded(app: &mut App, r: Result<Facts, String>) -> Vec<Effect> {
        let Some(wb) = app.wallboard.as_mut() else {
            return vec![];
        };
        wb.loading = false;
        match r {
            Ok(mut f) => {
                wb.thresholds = app.presence_thresholds;
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
        WallboardScreen::recompute(app);
        let again = app
            .wallboard
            .as_mut()
            .is_some_and(|w| std::mem::take(&mut w.pending));
        if again {
            return WallboardScreen::load(app);
        }
        vec![]
    }

    /// Recomputes the board for `now` from the queue items and the facts
    /// (no database read): after a load, a queue reload, or a boundary.
    pub(crate) fn recompute(app: &mut App) {
        let (now, tz) = (app.now, app.tz);
        let Some(wb) = app.wallboard.as_mut() else {
            return;
        };
        if let Some(f) = wb.facts.clone() {
            wb.board = Some(wallboard::compute(&app.items, f, now, tz, &wb.thresholds));
            app.dirty = true;
        }
    }

    /// The next instant the open board changes by time alone.
    pub(crate) fn wakeup(app: &App) -> i64 {
        match (&app.wallboard, app.view) {
            (Some(wb), View::Wallboard) => {
                let sessions = wb.facts.as_ref().map_or(&[][..], |f| &f.sessions[..]);
                wallboard::next_boundary(&app.items, sessions, app.now, app.tz, &wb.thresholds)
            }
            _ => i64::MAX,
        }
    }

    /// Keys on the wallboard; `None`: not its own.
    fn action(app: &mut App, a: Action) -> Option<Vec<Effect>> {
        let n = jumps(app.wallboard.as_ref().and_then(|w| w.board.as_ref())).len();
        let wb = app.wallboard.as_mut()?;
        app.dirty = true;
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
            // The first page (it used to move the queue's cursor, unseen).
            Action::Top => {
                wb.page = 0;
                wb.follow_focus.set(false);
            }
            Action::Open | Action::Confirm => {
                // The complaints behind the focused number, in the queue.
                app.filter = Filter::Board(wb.focused());
                app.view = View::Queue;
                app.selected = 0;
                QueueScreen::refresh_view(app);
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
                        let text = format!("{} {number}", Msg::HintAck.text(app.lang));
                        app.say(text, false);
                        vec![Effect::Acknowledge { id, number }]
                    }
                    None => {
                        app.say(Msg::WbNoMajors.text(app.lang), true);
                        vec![]
                    }
                });
            }
            Action::OpenReport => {
                let month = Month::of(app.now, app.tz)?;
                app.report = Some(ReportState {
                    month,
                    report: None,
                    scroll: 0,
                    error: None,
                });
                app.view = View::Report;
                return Some(vec![Effect::LoadReport(month)]);
            }
            Action::Back | Action::OpenWallboard => {
                app.view = View::Queue;
                return Some(vec![]);
            }
            _ => return None,
        }
        Some(vec![])
    }

    /// Esc on a queue opened from the wallboard goes back to it.
    pub(crate) fn back_from_queue(app: &mut App) -> bool {
        if !matches!(app.filter, Filter::Board(_)) || app.view != View::Queue {
            return false;
        }
        app.filter = Filter::All;
        QueueScreen::refresh_view(app);
        app.view = View::Wallboard;
        true
    }
}
