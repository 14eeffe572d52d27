//! The customer search screen (`/` from anywhere, `Ctrl-f` from the
//! intake form).
//!
//! R30: the search runs with the viewer's role (confidential customers are
//! neither listed nor counted below supervisor) and lists show masked
//! phones. R31: a record opens for the complaint in hand, or for a reason
//! the agent types; the store writes the audit entry in the same
//! transaction that reads the record.
use ratatui::Frame;
use ratatui::layout::Rect;

use super::{Handled, Input, Screen};
use crate::i18n::Msg;
use crate::keymap::{Action, Context};
use crate::store::archive::{Purpose, Summary};
use crate::ui::app::{App, DRAFT_DELAY_MS, Effect, View};
use crate::ui::search::{InHand, SearchOutcome, SearchState};
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

    /// Typing first (the query, the reason prompt), then the Search keymap.
    fn handle(&self, app: &mut App, input: Input<'_>) -> Handled {
        let before = SearchScreen::reason_text(app);
        let Some(s) = app.search.as_mut() else {
            return Handled::NotMine;
        };
        let (fx, out) = match input {
            Input::Key(k) => match s.raw_key(k) {
                Some(out) => (vec![], out),
                None => return Handled::NotMine,
            },
            Input::Action(
                Action::Quit | Action::Help | Action::ToggleLanguage | Action::OpenSearch,
            ) => return Handled::NotMine,
            Input::Action(a) => {
                // Keys typed in one burst are handled before the query
                // runs: Enter or a move acts on the results of all of them.
                let fx = SearchScreen::run(app);
                let Some(s) = app.search.as_mut() else {
                    return Handled::NotMine;
                };
                (fx, s.action(a))
            }
        };
        Handled::from_option(SearchScreen::outcome(app, out, before, fx))
    }

    fn render(&self, f: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
        crate::ui::search_view::render(f, area, app, theme);
    }
}

impl SearchScreen {
    /// What the search's answer means for the app; `reason_before`: the
    /// reason prompt's text before the input.
    fn outcome(
        app: &mut App,
        out: SearchOutcome,
        reason_before: Option<String>,
        mut fx: Vec<Effect>,
    ) -> Option<Vec<Effect>> {
        // R18: a reason being typed is saved like a note; a prompt that
        // opens finds its saved text again.
        let reason_after = SearchScreen::reason_text(app);
        if reason_after.is_some() && reason_after != reason_before {
            if reason_before.is_some() {
                app.draft_due_ms = Some(app.now_ms + DRAFT_DELAY_MS);
            } else {
                SearchScreen::restore_reason(app);
            }
        }
        if let (
            SearchOutcome::Open {
                id,
                purpose: Purpose::Reason(_),
            },
            true,
        ) = (&out, reason_before.is_some())
        {
            // Used: the reason is in the audit entry now.
            let key = format!("reason:{id}");
            app.draft_due_ms = None;
            app.remember_draft(&key, "");
            fx.push(Effect::SaveDraft {
                context: key,
                body: String::new(),
            });
        }
        let s = app.search.as_mut()?;
        app.dirty = true;
        fx.extend(match out {
            SearchOutcome::Nothing | SearchOutcome::Changed => vec![],
            SearchOutcome::Leave => {
                app.view = s.back_to;
                // Back to a call or the queue: the search starts afresh
                // next time (a new caller).
                app.search = None;
                vec![]
            }
            SearchOutcome::Open { id, purpose } => {
                app.customer_back = View::Search;
                vec![Effect::OpenCustomer { id, purpose }]
            }
            // Back to the form with this customer in hand (only the
            // summary was shown: no record opened, nothing to audit).
            SearchOutcome::Pick { id, name } => {
                app.search = None;
                app.view = View::Form;
                if let Some(f) = app.form.as_mut() {
                    f.pick_customer(id, name);
                }
                app.draft_due_ms = Some(app.now_ms + DRAFT_DELAY_MS);
                super::FormScreen::similar(app)
            }
        });
        Some(fx)
    }

    /// `/`: the search screen, remembering where Esc goes back to and the
    /// complaint in hand (the call's, or a selected item assigned to me).
    pub(crate) fn open(app: &mut App) -> Vec<Effect> {
        if app.view == View::Search {
            return vec![];
        }
        let in_hand = match app.view {
            View::Call => app.call.as_ref().map(|c| InHand {
                complaint_id: c.item.complaint_id,
                number: c.item.number.clone(),
                customer_id: c.item.customer_id.filter(|_| !c.item.anonymous),
            }),
            View::Queue | View::Detail => app
                .selected_item()
                .filter(|i| i.assignee_id == Some(app.me.id))
                .map(|i| InHand {
                    complaint_id: i.complaint_id,
                    number: i.number.clone(),
                    customer_id: i.customer_id.filter(|_| !i.anonymous),
                }),
            _ => None,
        };
        let back = app.view;
        if back == View::Customer && app.search.is_some() {
            // The record was opened from this search: back to it as it was.
            app.customer = None;
        } else {
            let mut s = SearchState::new(back, in_hand);
            s.set_options(app.search_options);
            app.search = Some(s);
        }
        if let Some(s) = app.search.as_mut() {
            s.stale = true;
        }
        app.view = View::Search;
        app.dirty = true;
        vec![]
    }

    /// `Ctrl-f` in the intake form: the same search as `/`, picking.
    pub(crate) fn for_form(app: &mut App) -> Vec<Effect> {
        let mut s = SearchState::new(View::Form, None);
        s.pick = true;
        s.stale = true;
        app.search = Some(s);
        app.view = View::Search;
        app.dirty = true;
        vec![]
    }

    /// R18: an empty reason prompt takes the saved draft for its customer.
    pub(crate) fn restore_reason(app: &mut App) {
        if let Some(p) = app.search.as_mut().and_then(|s| s.reason.as_mut())
            && p.text.is_empty()
            && let Some(body) = app.drafts.get(&p.draft_key())
        {
            p.text = crate::ui::textarea::TextArea::with_text(
                body,
                false,
                crate::store::archive::MAX_REASON,
            );
            p.restored = true;
        }
    }

    /// The reason prompt's text, when it is open.
    fn reason_text(app: &App) -> Option<String> {
        app.search
            .as_ref()
            .and_then(|s| s.reason.as_ref())
            .map(|r| r.text.text())
    }

    /// Runs the pending query, if any, against the live index. The event
    /// loop calls this once after draining input, so a burst of typing
    /// costs one query.
    pub(crate) fn run(app: &mut App) -> Vec<Effect> {
        let (Some(s), Some(live)) = (app.search.as_mut(), app.archive.as_ref()) else {
            return vec![];
        };
        if !s.stale {
            return vec![];
        }
        let want = s.run(
            &live.index(),
            crate::domain::privacy::sees_confidential(app.me.role),
        );
        app.dirty = true;
        if want.is_empty() {
            vec![]
        } else {
            vec![Effect::LoadSummaries(want)]
        }
    }

    /// The index changed (built, progress, or another process's change).
    pub(crate) fn index_changed(app: &mut App) {
        if let Some(s) = app.search.as_mut() {
            s.refresh();
            app.dirty = true;
        }
    }

    pub(crate) fn summaries_loaded(app: &mut App, r: Result<Vec<Summary>, String>) {
        match (r, app.search.as_mut()) {
            (Ok(list), Some(s)) => {
                s.loaded(list);
                app.dirty = true;
            }
            (Err(e), _) => app.say(e, true),
            _ => {}
        }
    }
}
