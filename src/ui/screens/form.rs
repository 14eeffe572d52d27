//! The intake form (R1–R5): a new complaint, or a report attached to a
//! similar open one.
use ratatui::Frame;
use ratatui::layout::Rect;

use super::{Handled, Input, Screen};
use crate::i18n::Msg;
use crate::keymap::{Action, Context};
use crate::ui::app::App;
use crate::ui::theme::Theme;

/// The intake form screen.
pub struct FormScreen;

impl Screen for FormScreen {
    fn context(&self, _: &App) -> Context {
        Context::Form
    }

    fn help(&self) -> (Context, Msg) {
        (Context::Form, Msg::NewComplaint)
    }

    fn handle(&self, app: &mut App, input: Input<'_>) -> Handled {
        let (tz, now) = (app.tz, app.now);
        let Some(f) = app.form.as_mut() else {
            return Handled::NotMine;
        };
        let out = match input {
            Input::Key(k) => match f.raw_key(k) {
                Some(out) => out,
                None => return Handled::NotMine,
            },
            Input::Action(Action::Quit | Action::Help | Action::ToggleLanguage) => {
                return Handled::NotMine;
            }
            Input::Action(Action::OpenSearch) => return Handled::Done(app.search_for_form()),
            Input::Action(a) => {
                let now = chrono::DateTime::from_timestamp(now, 0).unwrap_or_default();
                f.action(a, tz, now)
            }
        };
        Handled::Done(app.form_outcome(out))
    }

    fn render(&self, f: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
        crate::ui::form_view::render(f, area, app, theme);
    }
}
