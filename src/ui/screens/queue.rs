//! The live queue (R6): the list with the selected item's detail beside
//! or below it; the actions on the item under the cursor.
use ratatui::Frame;
use ratatui::layout::Rect;

use super::{Handled, Input, Screen};
use crate::i18n::Msg;
use crate::keymap::Context;
use crate::ui::app::App;
use crate::ui::theme::Theme;

/// The queue screen.
pub struct QueueScreen;

impl Screen for QueueScreen {
    fn context(&self, _: &App) -> Context {
        Context::Queue
    }

    fn help(&self) -> (Context, Msg) {
        (Context::Queue, Msg::Queue)
    }

    fn handle(&self, app: &mut App, input: Input<'_>) -> Handled {
        match input {
            Input::Key(_) => Handled::NotMine,
            Input::Action(a) => Handled::from_option(app.queue_action(a)),
        }
    }

    fn render(&self, f: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
        crate::ui::render::queue_and_detail(f, area, app, theme);
    }
}
