//! The customer archive in the TUI: the search screen (`/` from anywhere)
//! and the customer record (from a search result, or `o` on a queue item).
//! These are the [`App`] methods behind them; `app.rs` only routes to them.
//!
//! R30: the search runs with the viewer's role (confidential customers are
//! neither listed nor counted below supervisor) and lists show masked
//! phones. R31: a record opens for the complaint in hand, or for a reason
//! the agent types; the store writes the audit entry in the same
//! transaction that reads the record.
use ratatui::crossterm::event::KeyEvent;

use super::app::{App, Effect, View};
use super::customer::CustomerState;
use super::search::{InHand, SearchOutcome, SearchState};
use crate::domain::queue::{Item, ItemKind};
use crate::i18n::Msg;
use crate::keymap::Action;
use crate::store::archive::{Purpose, Record, Summary};

impl App {
    /// `/`: the search screen, remembering where Esc goes back to and the
    /// complaint in hand (the call's, or a selected item assigned to me).
    pub(crate) fn open_search(&mut self) -> Vec<Effect> {
        if self.view == View::Search {
            return vec![];
        }
        let in_hand = match self.view {
            View::Call => self.call.as_ref().map(|c| InHand {
                complaint_id: c.item.complaint_id,
                number: c.item.number.clone(),
                customer_id: c.item.customer_id.filter(|_| !c.item.anonymous),
            }),
            View::Queue | View::Detail => self
                .selected_item()
                .filter(|i| i.assignee_id == Some(self.me.id))
                .map(|i| InHand {
                    complaint_id: i.complaint_id,
                    number: i.number.clone(),
                    customer_id: i.customer_id.filter(|_| !i.anonymous),
                }),
            _ => None,
        };
        let back = self.view;
        if back == View::Customer && self.search.is_some() {
            // The record was opened from this search: back to it as it was.
            self.customer = None;
        } else {
            let mut s = SearchState::new(back, in_hand);
            s.set_options(self.search_options);
            self.search = Some(s);
        }
        if let Some(s) = self.search.as_mut() {
            s.stale = true;
        }
        self.view = View::Search;
        self.dirty = true;
        vec![]
    }

    /// `o` on a queue item: its customer, for that complaint (R31).
    pub(crate) fn open_customer_of_item(&mut self) -> Vec<Effect> {
        let Some(item) = self.selected_item() else {
            self.say(Msg::NothingSelected.text(self.lang), true);
            return vec![];
        };
        match item.customer_id.filter(|_| !item.anonymous) {
            Some(id) => {
                let purpose = Purpose::Complaint(item.complaint_id);
                self.customer_back = self.view;
                vec![Effect::OpenCustomer { id, purpose }]
            }
            None => {
                self.say(Msg::NoCustomer.text(self.lang), true);
                vec![]
            }
        }
    }

    /// Keys on the search screen: typing first, then the Search keymap.
    pub(crate) fn search_key(&mut self, k: &KeyEvent) -> Option<Vec<Effect>> {
        let mut fx = Vec::new();
        let reason_before = self.reason_text();
        let raw = self.search.as_mut()?.raw_key(k);
        let out = match raw {
            Some(o) => o,
            None => {
                let a = self.keymap.action(crate::keymap::Context::Search, k)?;
                if matches!(
                    a,
                    Action::Quit | Action::Help | Action::ToggleLanguage | Action::OpenSearch
                ) {
                    return None;
                }
                // Keys typed in one burst are handled before the query
                // runs: Enter or a move acts on the results of all of them.
                fx.extend(self.run_search());
                self.search.as_mut()?.action(a)
            }
        };
        // R18: a reason being typed is saved like a note; a prompt that
        // opens finds its saved text again.
        let reason_after = self.reason_text();
        if reason_after.is_some() && reason_after != reason_before {
            if reason_before.is_some() {
                self.draft_due_ms = Some(self.now_ms + super::app::DRAFT_DELAY_MS);
            } else {
                self.restore_reason();
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
            self.draft_due_ms = None;
            self.remember_draft(&key, "");
            fx.push(Effect::SaveDraft {
                context: key,
                body: String::new(),
            });
        }
        let s = self.search.as_mut()?;
        self.dirty = true;
        fx.extend(match out {
            SearchOutcome::Nothing | SearchOutcome::Changed => vec![],
            SearchOutcome::Leave => {
                self.view = s.back_to;
                // Back to a call or the queue: the search starts afresh
                // next time (a new caller).
                self.search = None;
                vec![]
            }
            SearchOutcome::Open { id, purpose } => {
                self.customer_back = View::Search;
                vec![Effect::OpenCustomer { id, purpose }]
            }
            // Back to the form with this customer in hand (only the
            // summary was shown: no record opened, nothing to audit).
            SearchOutcome::Pick { id, name } => {
                self.search = None;
                self.view = View::Form;
                if let Some(f) = self.form.as_mut() {
                    f.pick_customer(id, name);
                }
                self.draft_due_ms = Some(self.now_ms + super::app::DRAFT_DELAY_MS);
                super::screens::FormScreen::similar(self)
            }
        });
        Some(fx)
    }

    /// `Ctrl-f` in the intake form: the same search as `/`, picking.
    pub(crate) fn search_for_form(&mut self) -> Vec<Effect> {
        let mut s = SearchState::new(View::Form, None);
        s.pick = true;
        s.stale = true;
        self.search = Some(s);
        self.view = View::Search;
        self.dirty = true;
        vec![]
    }

    /// R18: an empty reason prompt takes the saved draft for its customer.
    pub(crate) fn restore_reason(&mut self) {
        if let Some(p) = self.search.as_mut().and_then(|s| s.reason.as_mut())
            && p.text.is_empty()
            && let Some(body) = self.drafts.get(&p.draft_key())
        {
            p.text = super::textarea::TextArea::with_text(
                body,
                false,
                crate::store::archive::MAX_REASON,
            );
            p.restored = true;
        }
    }

    /// The reason prompt's text, when it is open.
    fn reason_text(&self) -> Option<String> {
        self.search
            .as_ref()
            .and_then(|s| s.reason.as_ref())
            .map(|r| r.text.text())
    }

    /// Runs the pending query, if any, against the live index. The event
    /// loop calls this once after draining input, so a burst of typing
    /// costs one query.
    pub fn run_search(&mut self) -> Vec<Effect> {
        let (Some(s), Some(live)) = (self.search.as_mut(), self.archive.as_ref()) else {
            return vec![];
        };
        if !s.stale {
            return vec![];
        }
        let want = s.run(
            &live.index(),
            crate::domain::privacy::sees_confidential(self.me.role),
        );
        self.dirty = true;
        if want.is_empty() {
            vec![]
        } else {
            vec![Effect::LoadSummaries(want)]
        }
    }

    /// The index changed (built, progress, or another process's change).
    pub(crate) fn index_changed(&mut self) {
        if let Some(s) = self.search.as_mut() {
            s.refresh();
            self.dirty = true;
        }
    }

    pub(crate) fn summaries_loaded(&mut self, r: Result<Vec<Summary>, String>) {
        match (r, self.search.as_mut()) {
            (Ok(list), Some(s)) => {
                s.loaded(list);
                self.dirty = true;
            }
            (Err(e), _) => self.say(e, true),
            _ => {}
        }
    }

    pub(crate) fn customer_loaded(&mut self, r: Result<Record, String>) {
        match r {
            Ok(rec) => {
                self.customer = Some(CustomerState::new(rec, self.customer_back));
                self.view = View::Customer;
            }
            Err(e) => self.say(e, true),
        }
        self.dirty = true;
    }

    /// Actions on the customer record screen (None: not its own).
    pub(crate) fn customer_action(&mut self, a: Action) -> Option<Vec<Effect>> {
        let c = self.customer.as_mut()?;
        if c.move_by(a) {
            self.dirty = true;
            return Some(vec![]);
        }
        match a {
            Action::Back => {
                self.view = match c.back_to {
                    View::Search if self.search.is_none() => View::Queue,
                    v => v,
                };
                self.customer = None;
                self.dirty = true;
                Some(vec![])
            }
            Action::Open | Action::Confirm => {
                let id = c.selected_complaint().map(|x| x.id);
                Some(self.show_complaint(id))
            }
            // The form takes this customer as the customer in hand.
            Action::NewComplaint => {
                self.search = None;
                Some(vec![Effect::LoadForm])
            }
            Action::StartCall => {
                self.search = None;
                Some(self.call_customer())
            }
            _ => None,
        }
    }

    /// The customer of the open record, for the intake form.
    pub(crate) fn customer_in_hand(&self) -> Option<(i64, String)> {
        if self.view != View::Customer {
            return None;
        }
        self.customer
            .as_ref()
            .map(|c| (c.record.summary.id, c.record.summary.name.clone()))
    }

    /// Shows a complaint of the record in the queue's detail view.
    fn show_complaint(&mut self, complaint: Option<i64>) -> Vec<Effect> {
        let Some(cid) = complaint else {
            return vec![];
        };
        let find = |app: &App| {
            app.view_rows
                .iter()
                .position(|&i| app.items.get(i).is_some_and(|x| x.complaint_id == cid))
        };
        let filter = self.filter;
        if find(self).is_none() && self.items.iter().any(|x| x.complaint_id == cid) {
            // Hidden by the current filter: show everything (restored on
            // the way back).
            self.queue_action(Action::FilterAll);
        }
        match find(self) {
            Some(r) => {
                self.selected = r;
                // The record stays as it was: Esc comes back to it.
                self.return_to = Some(View::Customer);
                self.filter_before = Some(filter);
                self.view = View::Detail;
                self.detail_scroll = 0;
                self.dirty = true;
                vec![Effect::LoadDetail(cid)]
            }
            None => {
                self.say(Msg::NotInQueue.text(self.lang), true);
                vec![]
            }
        }
    }

    /// A call to the record's customer: about the selected complaint if it
    /// is in the queue, else about any queue item of this customer.
    fn call_customer(&mut self) -> Vec<Effect> {
        let Some(c) = self.customer.as_ref() else {
            return vec![];
        };
        let id = c.record.summary.id;
        let selected = c.selected_complaint().map(|x| x.id);
        let of_customer = |i: &&Item| i.customer_id == Some(id);
        let item = self
            .items
            .iter()
            .filter(of_customer)
            .find(|i| i.kind == ItemKind::Complaint && Some(i.complaint_id) == selected)
            .or_else(|| {
                self.items
                    .iter()
                    .filter(of_customer)
                    .find(|i| i.kind == ItemKind::Callback)
            })
            .or_else(|| self.items.iter().find(of_customer))
            .cloned();
        match item {
            Some(i) => {
                // The call ends back on this record.
                self.return_to = Some(View::Customer);
                vec![Effect::LoadCall(Box::new(i))]
            }
            None => {
                self.say(Msg::NoOpenItem.text(self.lang), true);
                vec![]
            }
        }
    }
}
