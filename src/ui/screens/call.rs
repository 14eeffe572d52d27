//! The call screen (R15–R24): scripts, the note, the outcome and what
//! follows from it.
use ratatui::Frame;
use ratatui::layout::Rect;

use super::{Handled, Input, Screen};
use crate::i18n::Msg;
use crate::keymap::{Action, Context};
use crate::ui::app::App;
use crate::ui::theme::Theme;

/// The call screen.
pub struct CallScreen;

impl Screen for CallScreen {
    fn context(&self, app: &App) -> Context {
        use crate::ui::call::Step;
        match app.call.as_ref().map(|c| &c.step) {
            Some(Step::Idle | Step::Editing) | None => Context::Call,
            // The pickers and the confirmation read like a form.
            Some(_) => Context::Form,
        }
    }

    fn help(&self) -> (Context, Msg) {
        (Context::Call, Msg::Call)
    }

    fn handle(&self, app: &mut App, input: Input<'_>) -> Handled {
        let now = app.now;
        let out = match input {
            Input::Key(k) => match app.call.as_mut().and_then(|c| c.raw_key(k, now)) {
                Some(out) => out,
                None => return Handled::NotMine,
            },
            Input::Action(
                Action::Quit | Action::Help | Action::ToggleLanguage | Action::OpenSearch,
            ) => return Handled::NotMine,
            Input::Action(a) => match app.call.as_mut() {
                Some(c) => c.action(a, now),
                None => crate::ui::call::CallOutcome::Leave,
            },
        };
        Handled::Done(app.call_outcome(out))
    }

    fn render(&self, f: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
        crate::ui::call_view::render(f, area, app, theme);
    }
}
