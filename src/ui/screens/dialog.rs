//! The small boxes over a screen: pick an agent (reassign), a yes/no
//! question, go to a complaint number, the R4 reason for a major.
use ratatui::Frame;
use ratatui::layout::Rect;

use super::{Handled, Input, Screen};
use crate::keymap::Context;
use crate::ui::app::App;
use crate::ui::theme::Theme;

/// The dialog overlays (the boxes of `app::Overlay` other than help).
pub struct Dialog;

impl Screen for Dialog {
    fn context(&self, _: &App) -> Context {
        Context::Form
    }

    fn handle(&self, app: &mut App, input: Input<'_>) -> Handled {
        match input {
            Input::Key(k) => Handled::from_option(app.overlay_key(k)),
            Input::Action(a) => Handled::from_option(app.pick_agent_action(a)),
        }
    }

    fn render(&self, f: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
        crate::ui::render::dialog(f, area, app, theme);
    }
}
