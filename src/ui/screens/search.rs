//! The customer search screen (`/`, R30, R31).
use ratatui::Frame;
use ratatui::layout::Rect;

use super::{Handled, Input, Screen};
use crate::i18n::Msg;
use crate::keymap::Context;
use crate::ui::app::App;
use crate::ui::theme::Theme;

/// The search screen.
pub struct SearchScreen;

impl Screen for SearchScreen {
    fn context(&self, _: &App) -> Context {
        Context::Search
    }

    fn help(&self) -> (Context, Msg) {
        (Context::Search, Msg::SearchTitle)
    }

    fn handle(&self, app: &mut App, input: Input<'_>) -> Handled {
        match input {
            Input::Key(k) => Handled::from_option(app.search_key(k)),
            Input::Action(_) => Handled::NotMine,
        }
    }

    fn render(&self, f: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
        crate::ui::search_view::render(f, area, app, theme);
    }
}
