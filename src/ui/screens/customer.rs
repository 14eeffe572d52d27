//! One customer's record (R30, R31), from a search result or `o` on a
//! queue item: its history, a complaint of it in the queue, a call or a
//! new complaint for this customer.
use ratatui::Frame;
use ratatui::layout::Rect;

use super::{Handled, Input, QueueScreen, Screen};
use crate::domain::queue::{Item, ItemKind};
use crate::i18n::Msg;
use crate::keymap::{Action, Context};
use crate::store::archive::{Purpose, Record};
use crate::ui::app::{App, Effect, View};
use crate::ui::customer::CustomerState;
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
            Input::Action(a) => Handled::from_option(CustomerScreen::action(app, a)),
        }
    }

    fn render(&self, f: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
        crate::ui::customer_view::render(f, area, app, theme);
    }
}

impl CustomerScreen {
    /// `o` on a queue item: its customer, for that complaint (R31).
    pub(crate) fn open_of_item(app: &mut App) -> Vec<Effect> {
        let Some(item) = app.selected_item() else {
            app.say(Msg::NothingSelected.text(app.lang), true);
            return vec![];
        };
        match item.customer_id.filter(|_| !item.anonymous) {
            Some(id) => {
                let purpose = Purpose::Complaint(item.complaint_id);
                app.customer_back = app.view;
                vec![Effect::OpenCustomer { id, purpose }]
            }
            None => {
                app.say(Msg::NoCustomer.text(app.lang), true);
                vec![]
            }
        }
    }

    pub(crate) fn loaded(app: &mut App, r: Result<Record, String>) {
        match r {
            Ok(rec) => {
                app.customer = Some(CustomerState::new(rec, app.customer_back));
                app.view = View::Customer;
            }
            Err(e) => app.say(e, true),
        }
        app.dirty = true;
    }

    /// Actions on the customer record screen (None: not its own).
    fn action(app: &mut App, a: Action) -> Option<Vec<Effect>> {
        let c = app.customer.as_mut()?;
        if c.move_by(a) {
            app.dirty = true;
            return Some(vec![]);
        }
        match a {
            Action::Back => {
                app.view = match c.back_to {
                    View::Search if app.search.is_none() => View::Queue,
                    v => v,
                };
                app.customer = None;
                app.dirty = true;
                Some(vec![])
            }
            Action::Open | Action::Confirm => {
                let id = c.selected_complaint().map(|x| x.id);
                Some(CustomerScreen::show_complaint(app, id))
            }
            // The form takes this customer as the customer in hand.
            Action::NewComplaint => {
                app.search = None;
                Some(vec![Effect::LoadForm])
            }
            Action::StartCall => {
                app.search = None;
                Some(CustomerScreen::call_customer(app))
            }
            _ => None,
        }
    }

    /// The customer of the open record, for the intake form.
    pub(crate) fn in_hand(app: &App) -> Option<(i64, String)> {
        if app.view != View::Customer {
            return None;
        }
        app.customer
            .as_ref()
            .map(|c| (c.record.summary.id, c.record.summary.name.clone()))
    }

    /// Shows a complaint of the record in the queue's detail view.
    fn show_complaint(app: &mut App, complaint: Option<i64>) -> Vec<Effect> {
        let Some(cid) = complaint else {
            return vec![];
        };
        let find = |app: &App| {
            app.view_rows
                .iter()
                .position(|&i| app.items.get(i).is_some_and(|x| x.complaint_id == cid))
        };
        let filter = app.filter;
        if find(app).is_none() && app.items.iter().any(|x| x.complaint_id == cid) {
            // Hidden by the current filter: show everything (restored on
            // the way back).
            QueueScreen::action(app, Action::FilterAll);
        }
        match find(app) {
            Some(r) => {
                app.selected = r;
                // The record stays as it was: Esc comes back to it.
                app.return_to = Some(View::Customer);
                app.filter_before = Some(filter);
                app.view = View::Detail;
                app.detail_scroll = 0;
                app.dirty = true;
                vec![Effect::LoadDetail(cid)]
            }
            None => {
                app.say(Msg::NotInQueue.text(app.lang), true);
                vec![]
            }
        }
    }

    /// A call to the record's customer: about the selected complaint if it
    /// is in the queue, else about any queue item of this customer.
    fn call_customer(app: &mut App) -> Vec<Effect> {
        let Some(c) = app.customer.as_ref() else {
            return vec![];
        };
        let id = c.record.summary.id;
        let selected = c.selected_complaint().map(|x| x.id);
        let of_customer = |i: &&Item| i.customer_id == Some(id);
        let item = app
            .items
            .iter()
            .filter(of_customer)
            .find(|i| i.kind == ItemKind::Complaint && Some(i.complaint_id) == selected)
            .or_else(|| {
                app.items
                    .iter()
                    .filter(of_customer)
                    .find(|i| i.kind == ItemKind::Callback)
            })
            .or_else(|| app.items.iter().find(of_customer))
            .cloned();
        match item {
            Some(i) => {
                // The call ends back on this record.
                app.return_to = Some(View::Customer);
                vec![Effect::LoadCall(Box::new(i))]
            }
            None => {
                app.say(Msg::NoOpenItem.text(app.lang), true);
                vec![]
            }
        }
    }
}
