//! The monthly report view (R28), opened from the wallboard (`m`).
use ratatui::Frame;
use ratatui::layout::Rect;

use super::{Handled, Input, Screen};
use crate::domain::report::{Month, Report};
use crate::i18n::Msg;
use crate::keymap::{Action, Context};
use crate::ui::app::{App, Effect, View};
use crate::ui::theme::Theme;

/// The report screen.
pub struct ReportScreen;

impl Screen for ReportScreen {
    fn context(&self, _: &App) -> Context {
        Context::Report
    }

    fn help(&self) -> (Context, Msg) {
        (Context::Report, Msg::RvTitle)
    }

    fn handle(&self, app: &mut App, input: Input<'_>) -> Handled {
        match input {
            Input::Key(_) => Handled::NotMine,
            Input::Action(a) => Handled::from_option(ReportScreen::action(app, a)),
        }
    }

    fn render(&self, f: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
        crate::ui::report_view::render(f, area, app, theme);
    }
}

impl ReportScreen {
    fn action(app: &mut App, a: Action) -> Option<Vec<Effect>> {
        let tz = app.tz;
        let this = Month::of(app.now, tz)?;
        let r = app.report.as_mut()?;
        app.dirty = true;
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
                app.view = View::Wallboard;
                return Some(vec![]);
            }
            _ => return None,
        }
        Some(vec![])
    }

    pub(crate) fn loaded(app: &mut App, r: Result<Report, String>) {
        if let Some(st) = app.report.as_mut() {
            match r {
                Ok(rep) if rep.month == st.month.label() => st.report = Some(Box::new(rep)),
                Ok(_) => {}
                Err(e) => st.error = Some(e),
            }
            app.dirty = true;
        }
    }
}
