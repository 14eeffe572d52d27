//! The call screen (R15–R24): scripts, the note, the outcome and what
//! follows from it.
use ratatui::Frame;
use ratatui::layout::Rect;

use super::{Handled, Input, Screen};
use crate::domain::queue::Item;
use crate::i18n::Msg;
use crate::keymap::{Action, Context};
use crate::store::complaints::State;
use crate::ui::app::{App, Effect, Overlay, View};
use crate::ui::call::{CallData, CallOutcome, CallState, Step};
use crate::ui::theme::Theme;

/// The call screen.
pub struct CallScreen;

impl Screen for CallScreen {
    fn context(&self, app: &App) -> Context {
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
                None => CallOutcome::Leave,
            },
        };
        Handled::Done(CallScreen::outcome(app, out))
    }

    fn render(&self, f: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
        crate::ui::call_view::render(f, area, app, theme);
    }
}

impl CallScreen {
    /// What the call's answer to a key or an action means for the app.
    fn outcome(app: &mut App, out: CallOutcome) -> Vec<Effect> {
        app.dirty = true;
        match out {
            CallOutcome::Nothing | CallOutcome::Changed => vec![],
            CallOutcome::Refused(m) => {
                app.say(m.text(app.lang), true);
                vec![]
            }
            CallOutcome::NoteChanged => {
                app.note_changed();
                vec![]
            }
            CallOutcome::Leave => {
                // The note stays as a draft (R18); write it now.
                let fx = app.take_draft(true);
                app.call = None;
                app.go_back();
                fx.into_iter().collect()
            }
            CallOutcome::Submit(s) => {
                // R8: a complaint changed elsewhere is not recorded on.
                if let Some(what) = app.call.as_ref().and_then(|c| c.stale.clone()) {
                    let text = format!("{}{what}", Msg::CallStale.text(app.lang));
                    app.say(text, true);
                    return vec![];
                }
                app.draft_due_ms = None;
                vec![Effect::RecordOutcome(s)]
            }
        }
    }

    /// The call screen opens on what the store read (the item claimed).
    pub(crate) fn loaded(app: &mut App, r: Result<(Item, CallData), String>) {
        match r {
            Ok((item, data)) => {
                app.call = Some(CallState::new(item, data, app.now, app.tz));
                app.view = View::Call;
                app.overlay = Overlay::None;
            }
            Err(e) => app.say(e, true),
        }
        app.dirty = true;
    }

    /// R8: what the open call's complaint looks like now.
    pub(crate) fn checked(app: &mut App, r: Result<State, String>) {
        if let (Ok(st), Some(call)) = (r, app.call.as_mut()) {
            call.check(&st, app.me.id, app.lang);
            app.dirty = true;
        }
    }

    /// The outcome is recorded: its draft is gone, and so is the call.
    pub(crate) fn recorded(app: &mut App) {
        if let Some(c) = app.call.as_ref() {
            let key = c.draft_key();
            app.drafts.remove(&key);
        }
        app.call = None;
        app.go_back();
    }

    /// A paste goes into the note being edited; false: no note is.
    pub(crate) fn paste(app: &mut App, text: &str) -> bool {
        let Some(call) = app.call.as_mut().filter(|c| c.step == Step::Editing) else {
            return false;
        };
        call.note.insert_str(text);
        app.note_changed();
        true
    }
}
