//! One customer's record (R30, R31): its history, a complaint of it in
//! the queue, a call or a new complaint for this customer.
use ratatui::Frame;
use ratatui::layout::Rect;

use super::{Handled, Input, Screen};
use crate::i18n::Msg;
use crate::keymap::Context;
use crate::ui::app::App;
use crate::ui::theme::Theme;

/// The customer record screen.
pub struct CustomerScreen;

impl Screen for CustomerScreen {
    fn context(&self, _: &App) -> Context {
        Context::Customer
    }

    fn help(&self) -> (Context, Msg) {
        (Context::Customer, Msg::CustomerRecord)
    }

    fn handle(&self, app: &mut App, input: Input<'_>) -> Handled {
        match input {
            Input::Key(_) => Handled::NotMine,
            Input::Action(a) => Handled::from_option(app.customer_action(a)),
        }
    }

    fn render(&self, f: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
        crate::ui::customer_view::render(f, area, app, theme);
    }
}
