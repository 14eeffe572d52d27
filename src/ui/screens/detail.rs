//! One complaint's detail, full screen (Enter on the queue): it scrolls;
//! every other action is the queue's, on the same item.
use ratatui::Frame;
use ratatui::layout::Rect;

use super::{Handled, Input, QueueScreen, Screen};
use crate::i18n::Msg;
use crate::keymap::{Action, Context};
use crate::ui::app::App;
use crate::ui::theme::Theme;

/// The detail screen.
pub struct DetailScreen;

impl Screen for DetailScreen {
    fn context(&self, _: &App) -> Context {
        Context::Detail
    }

    fn help(&self) -> (Context, Msg) {
        (Context::Detail, Msg::Detail)
    }

    fn handle(&self, app: &mut App, input: Input<'_>) -> Handled {
        let Input::Action(a) = input else {
            return Handled::NotMine;
        };
        let delta: i64 = match a {
            Action::Up | Action::ScrollUp => -1,
            Action::Down | Action::ScrollDown => 1,
            Action::PageUp => -10,
            Action::PageDown => 10,
            Action::Top => -1_000_000,
            Action::Bottom => 1_000_000,
            _ => return Handled::from_option(QueueScreen::action(app, a)),
        };
        app.detail_scroll = (i64::from(app.detail_scroll) + delta).clamp(0, 500) as u16;
        app.dirty = true;
        Handled::done()
    }

    fn render(&self, f: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
        crate::ui::detail_view::render(f, area, app, theme);
    }
}
