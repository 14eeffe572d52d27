//! The `?` overlay: the keys of the screen behind it, then the global
//! ones. It scrolls and closes and swallows every other key.
use ratatui::Frame;
use ratatui::layout::Rect;

use super::{Handled, Input, Screen};
use crate::keymap::Context;
use crate::ui::app::App;
use crate::ui::theme::Theme;

/// The help overlay.
pub struct HelpOverlay;

impl Screen for HelpOverlay {
    fn context(&self, _: &App) -> Context {
        Context::Help
    }

    fn handle(&self, app: &mut App, input: Input<'_>) -> Handled {
        match input {
            Input::Key(k) => Handled::Done(app.help_key(k)),
            Input::Action(_) => Handled::NotMine,
        }
    }

    fn render(&self, f: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
        crate::ui::render::help(f, area, app, theme);
    }
}
