//! The monthly report view (R28), opened from the wallboard.
use ratatui::Frame;
use ratatui::layout::Rect;

use super::{Handled, Input, Screen};
use crate::i18n::Msg;
use crate::keymap::Context;
use crate::ui::app::App;
use crate::ui::theme::Theme;

/// The report screen.
pub struct ReportScreen;

impl Screen for ReportScreen {
    fn context(&self, _: &App) -> Context {
        Context::Wallboard
    }

    fn help(&self) -> (Context, Msg) {
        (Context::Wallboard, Msg::WbTitle)
    }

    fn handle(&self, app: &mut App, input: Input<'_>) -> Handled {
        match input {
            Input::Key(_) => Handled::NotMine,
            Input::Action(a) => Handled::from_option(app.wallboard_action(a)),
        }
    }

    fn render(&self, f: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
        crate::ui::report_view::render(f, area, app, theme);
    }
}
