//! The intake form (R1–R5): a new complaint, or a report attached to a
//! similar open one.
use ratatui::Frame;
use ratatui::layout::Rect;

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use super::{Handled, Input, Screen};
use crate::i18n::Msg;
use crate::keymap::{Action, Context};
use crate::store::complaints::{Registered, Similar};
use crate::ui::app::{App, Effect, View};
use crate::ui::form::{self, FormData, FormOutcome, FormState};
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
            Input::Action(Action::OpenSearch) => {
                return Handled::Done(super::SearchScreen::for_form(app));
            }
            Input::Action(a) => f.action(a, tz, now),
        };
        Handled::Done(FormScreen::outcome(app, out))
    }

    fn render(&self, f: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
        crate::ui::form_view::render(f, area, app, theme);
    }
}

impl FormScreen {
    /// What the form's answer to a key or an action means for the app.
    fn outcome(app: &mut App, out: FormOutcome) -> Vec<Effect> {
        app.dirty = true;
        match out {
            FormOutcome::Nothing | FormOutcome::Changed => vec![],
            FormOutcome::Edited => {
                app.note_changed();
                FormScreen::similar(app)
            }
            FormOutcome::Leave => {
                let fx = app.take_draft(true);
                app.form = None;
                app.view = View::Queue;
                fx.into_iter().collect()
            }
            FormOutcome::Submit(nc) => vec![Effect::Register(nc)],
        }
    }

    /// R5: reloads the similar-complaints list when what it depends on
    /// changed.
    pub(crate) fn similar(app: &mut App) -> Vec<Effect> {
        let Some(f) = app.form.as_ref() else {
            return vec![];
        };
        let key = f.similar_key();
        if app.similar_for.as_ref() == Some(&key) {
            return vec![];
        }
        app.similar_for = Some(key.clone());
        vec![Effect::LoadSimilar(Box::new(key))]
    }

    /// The form opens with the categories and the saved draft (R18), for
    /// the customer in hand: the open record's, else the selected item's.
    pub(crate) fn loaded(app: &mut App, r: Result<FormData, String>) -> Vec<Effect> {
        match r {
            Ok((cats, draft)) => {
                let in_hand = super::CustomerScreen::in_hand(app).or_else(|| {
                    app.selected_item()
                        .filter(|i| !i.anonymous)
                        .and_then(|i| i.customer_id.map(|id| (id, i.customer_name.clone())))
                });
                app.form = Some(FormState::new(in_hand, cats, draft.as_deref()));
                app.view = View::Form;
                app.similar_for = None;
                return FormScreen::similar(app);
            }
            Err(e) => app.say(e, true),
        }
        vec![]
    }

    pub(crate) fn similar_loaded(app: &mut App, r: Result<Vec<Similar>, String>) {
        if let (Ok(list), Some(f)) = (r, app.form.as_mut()) {
            f.attach = 0;
            f.similar = list;
            app.dirty = true;
        }
    }

    /// Registered (or attached, R5): back to the queue, where the
    /// complaint is selected once the reload brings it; an error stays on
    /// the form.
    pub(crate) fn registered(app: &mut App, r: Result<Registered, String>) {
        match r {
            Ok(reg) => {
                app.drafts.remove(form::DRAFT_KEY);
                app.form = None;
                app.view = View::Queue;
                app.draft_due_ms = None;
                let m = if reg.attached {
                    Msg::ReportAttached
                } else {
                    Msg::Registered
                };
                let text = format!("{} {}", m.text(app.lang), reg.number);
                app.say(text, false);
                app.select_number = Some(reg.number.clone());
            }
            Err(e) => {
                if let Some(f) = app.form.as_mut() {
                    f.error = Some(e);
                }
                app.dirty = true;
            }
        }
    }

    /// A paste is typed into the focused field.
    pub(crate) fn paste(app: &mut App, text: &str) {
        let Some(f) = app.form.as_mut() else {
            return;
        };
        for c in text.chars() {
            f.raw_key(&KeyEvent::from(KeyCode::Char(c)));
        }
        app.note_changed();
    }
}
