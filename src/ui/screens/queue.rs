//! The live queue (R6): the list with the selected item's detail beside
//! or below it, the cursor and the filters, and the actions on the item
//! under the cursor. Each action acts on the item under the cursor when
//! the key is pressed (never a different one found later), names its
//! number in the message, and pins the item so the cursor stays on it
//! even when the filter stops showing it (a claim in "unassigned").
use ratatui::Frame;
use ratatui::layout::Rect;

use super::{CustomerScreen, Handled, Input, Screen, WallboardScreen};
use crate::domain::access::Permission;
use crate::domain::model::Severity;
use crate::domain::queue::{Item, ItemKind};
use crate::i18n::Msg;
use crate::keymap::{Action, Context};
use crate::store::agents::Agent;
use crate::store::queue::Detail;
use crate::ui::app::{App, Effect, Filter, Overlay, View};
use crate::ui::textarea::TextArea;
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
            Input::Action(a) => Handled::from_option(QueueScreen::action(app, a)),
        }
    }

    fn render(&self, f: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
        crate::ui::render::queue_and_detail(f, area, app, theme);
    }
}

impl QueueScreen {
    /// The queue's actions (and the detail's, on the same item); `None`:
    /// not one of them.
    pub(crate) fn action(app: &mut App, a: Action) -> Option<Vec<Effect>> {
        Some(match a {
            Action::Back => {
                if !WallboardScreen::back_from_queue(app) {
                    app.go_back();
                }
                vec![]
            }
            Action::Up | Action::ScrollUp => QueueScreen::move_by(app, -1),
            Action::Down | Action::ScrollDown => QueueScreen::move_by(app, 1),
            Action::PageUp => QueueScreen::move_by(app, -10),
            Action::PageDown => QueueScreen::move_by(app, 10),
            Action::Top => QueueScreen::move_by(app, -1_000_000),
            Action::Bottom => QueueScreen::move_by(app, 1_000_000),
            Action::FilterMine
            | Action::FilterUnassigned
            | Action::FilterAll
            | Action::FilterBreached
            | Action::FilterMajors => {
                app.filter = match a {
                    Action::FilterMine => Filter::Mine,
                    Action::FilterUnassigned => Filter::Unassigned,
                    Action::FilterBreached => Filter::Breached,
                    Action::FilterMajors => Filter::Majors,
                    _ => Filter::All,
                };
                app.pinned = None;
                app.selected = 0;
                QueueScreen::refresh_view(app);
                QueueScreen::detail_effect(app).into_iter().collect()
            }
            Action::Open | Action::Confirm | Action::NextPane | Action::PrevPane => {
                QueueScreen::open_or_confirm(app, a)
            }
            Action::Claim => QueueScreen::claim(app),
            Action::Release => QueueScreen::release(app),
            Action::StartWork => QueueScreen::start(app),
            Action::RaiseSeverity | Action::LowerSeverity => QueueScreen::change_severity(app, a),
            Action::Reassign => QueueScreen::reassign(app),
            Action::Acknowledge => QueueScreen::acknowledge(app),
            Action::StartCall => QueueScreen::call(app),
            Action::GoTo => QueueScreen::open_go_to(app),
            Action::NewComplaint => vec![Effect::LoadForm],
            Action::OpenCustomer => CustomerScreen::open_of_item(app),
            _ => return None,
        })
    }

    pub(crate) fn move_by(app: &mut App, delta: i64) -> Vec<Effect> {
        let n = app.view_rows.len() as i64;
        let to = (app.selected as i64 + delta).clamp(0, (n - 1).max(0)) as usize;
        if to != app.selected {
            let target = app
                .view_rows
                .get(to)
                .and_then(|&i| app.items.get(i))
                .map(|i| (i.kind, i.id));
            app.selected = to;
            app.detail_scroll = 0;
            app.dirty = true;
            // The cursor left the item acted on: the filter applies to it
            // again.
            if app.pinned.is_some() && app.pinned != target {
                app.pinned = None;
                QueueScreen::refresh_keeping(app, target);
            }
        }
        QueueScreen::detail_effect(app).into_iter().collect()
    }

    pub(crate) fn open_or_confirm(app: &mut App, a: Action) -> Vec<Effect> {
        if app.view == View::Queue {
            app.return_to = None;
        }
        if matches!(a, Action::NextPane | Action::PrevPane) {
            app.view = if app.view == View::Queue {
                View::Detail
            } else {
                View::Queue
            };
        } else if app.selected_item().is_some() {
            app.view = View::Detail;
            app.detail_scroll = 0;
        }
        QueueScreen::detail_effect(app).into_iter().collect()
    }
    pub(crate) fn claim(app: &mut App) -> Vec<Effect> {
        let Some(i) = app.selected_item().cloned() else {
            app.say(Msg::NothingSelected.text(app.lang), true);
            return vec![];
        };
        if i.assignee_id == Some(app.me.id) {
            app.say_about(&i.number, Msg::AlreadyYours, false);
            return vec![];
        }
        QueueScreen::pin(app, i.kind, i.id);
        vec![Effect::Claim {
            kind: i.kind,
            id: i.id,
            number: i.number,
        }]
    }

    pub(crate) fn release(app: &mut App) -> Vec<Effect> {
        let Some(i) = app.selected_item().cloned() else {
            app.say(Msg::NothingSelected.text(app.lang), true);
            return vec![];
        };
        if i.assignee_id != Some(app.me.id) {
            app.say_about(&i.number, Msg::NotYours, true);
            return vec![];
        }
        QueueScreen::pin(app, i.kind, i.id);
        vec![Effect::Release {
            kind: i.kind,
            id: i.id,
            complaint: i.complaint_id,
            number: i.number,
        }]
    }

    pub(crate) fn start(app: &mut App) -> Vec<Effect> {
        let Some(i) = QueueScreen::need_complaint(app) else {
            return vec![];
        };
        QueueScreen::pin(app, i.kind, i.id);
        vec![Effect::Start {
            id: i.id,
            number: i.number,
        }]
    }

    /// R4: anyone raises, a supervisor lowers; becoming major asks why.
    pub(crate) fn change_severity(app: &mut App, a: crate::keymap::Action) -> Vec<Effect> {
        let Some(i) = QueueScreen::need_complaint(app) else {
            return vec![];
        };
        let raise = a == crate::keymap::Action::RaiseSeverity;
        let to = match (raise, i.severity) {
            (true, Severity::General) => Severity::Important,
            (true, _) => Severity::Major,
            (false, Severity::Major) => Severity::Important,
            (false, _) => Severity::General,
        };
        if to == i.severity {
            let m = if raise {
                Msg::AlreadyMajor
            } else {
                Msg::AlreadyGeneral
            };
            app.say_about(&i.number, m, true);
            return vec![];
        }
        if !raise && !app.need(Permission::LowerSeverity) {
            return vec![];
        }
        if to == Severity::Major {
            app.overlay = Overlay::PickReason {
                id: i.id,
                number: i.number,
                idx: 0,
            };
            return vec![];
        }
        QueueScreen::pin(app, i.kind, i.id);
        vec![Effect::SetSeverity {
            id: i.id,
            to,
            number: i.number,
            reason: None,
        }]
    }

    pub(crate) fn reassign(app: &mut App) -> Vec<Effect> {
        if !app.need(Permission::Reassign) {
            return vec![];
        }
        match QueueScreen::need_complaint(app) {
            Some(i) => vec![Effect::LoadAgents(i.id, i.number)],
            None => vec![],
        }
    }

    /// R12: acknowledges the selected major complaint, or says why not.
    pub(crate) fn acknowledge(app: &mut App) -> Vec<Effect> {
        if !app.need(Permission::AcknowledgeMajor) {
            return vec![];
        }
        let Some(i) = QueueScreen::need_complaint(app) else {
            return vec![];
        };
        if i.severity != Severity::Major {
            app.say_about(&i.number, Msg::NotMajor, true);
            return vec![];
        }
        if !i.unacknowledged_major() {
            app.say_about(&i.number, Msg::AlreadyAcknowledged, true);
            return vec![];
        }
        QueueScreen::pin(app, i.kind, i.id);
        vec![Effect::Acknowledge {
            id: i.id,
            number: i.number,
        }]
    }

    /// `p`: calls about my item at once; an item nobody holds is claimed
    /// only after the agent says so; someone else's is refused (R7).
    pub(crate) fn call(app: &mut App) -> Vec<Effect> {
        // From the queue (or its detail) a call ends back in the queue.
        app.return_to = None;
        let Some(i) = app.selected_item().cloned() else {
            app.say(Msg::NothingSelected.text(app.lang), true);
            return vec![];
        };
        match i.assignee_id {
            Some(a) if a == app.me.id => vec![Effect::LoadCall(Box::new(i))],
            Some(_) => {
                let text = format!(
                    "{} {}{}",
                    i.number,
                    Msg::HeldBy.text(app.lang),
                    crate::text::for_display(&i.assignee_name)
                );
                app.say(text, true);
                vec![]
            }
            None => {
                let text = format!("{} {}", i.number, Msg::ConfirmClaimCall.text(app.lang));
                QueueScreen::pin(app, i.kind, i.id);
                app.overlay = Overlay::Confirm {
                    text,
                    effect: Box::new(Effect::LoadCall(Box::new(i))),
                };
                vec![]
            }
        }
    }

    pub(crate) fn open_go_to(app: &mut App) -> Vec<Effect> {
        app.overlay = Overlay::GoTo {
            input: TextArea::new(false, 20),
        };
        vec![]
    }

    pub(crate) fn need_complaint(app: &mut App) -> Option<Item> {
        match app.selected_item() {
            None => {
                app.say(Msg::NothingSelected.text(app.lang), true);
                None
            }
            Some(i) if i.kind == ItemKind::Callback => {
                app.say(Msg::NotForCallbacks.text(app.lang), true);
                None
            }
            Some(i) => Some(i.clone()),
        }
    }

    /// Keeps the item acted on in the list and under the cursor.
    pub(crate) fn pin(app: &mut App, kind: ItemKind, id: i64) {
        app.pinned = Some((kind, id));
        QueueScreen::refresh_keeping(app, Some((kind, id)));
    }

    /// Puts the cursor on `target`, switching to "all" when the filter
    /// hides it.
    pub(crate) fn select(app: &mut App, target: (ItemKind, i64)) {
        let shown = |a: &App| a.rows().any(|i| (i.kind, i.id) == target);
        if !shown(app) {
            app.filter = Filter::All;
            app.pinned = None;
        }
        QueueScreen::refresh_keeping(app, Some(target));
        let at = app.rows().position(|i| (i.kind, i.id) == target);
        if let Some(r) = at {
            app.selected = r;
        }
        app.detail_scroll = 0;
        app.dirty = true;
    }

    /// Re-sorts for the current time and re-filters, keeping the selection
    /// on the same item when it is still shown.
    pub(crate) fn refresh_view(app: &mut App) {
        let keep = app.selected_item().map(|i| (i.kind, i.id));
        QueueScreen::refresh_keeping(app, keep);
    }

    /// Replaces the items (a reload), keeping the selection on the same
    /// item. The key must be read before the items change: the old row
    /// indices mean nothing in the new list.
    pub(crate) fn set_items(app: &mut App, items: Vec<Item>) {
        let keep = app.selected_item().map(|i| (i.kind, i.id));
        app.items = items;
        QueueScreen::refresh_keeping(app, keep);
    }

    pub(crate) fn refresh_keeping(app: &mut App, keep: Option<(ItemKind, i64)>) {
        crate::domain::queue::sort(&mut app.items, app.now);
        app.view_rows = (0..app.items.len())
            .filter(|&i| {
                let it = &app.items[i];
                app.pinned == Some((it.kind, it.id)) || app.filter_shows(it)
            })
            .collect();
        app.selected = keep
            .and_then(|k| app.rows().position(|i| (i.kind, i.id) == k))
            .unwrap_or(app.selected)
            .min(app.view_rows.len().saturating_sub(1));
        app.dirty = true;
    }

    pub(crate) fn detail_effect(app: &mut App) -> Option<Effect> {
        let id = app.selected_item()?.complaint_id;
        if app.detail.as_ref().is_some_and(|d| d.complaint_id == id) {
            return None;
        }
        Some(Effect::LoadDetail(id))
    }

    /// A reload of the queue: the selection stays on the same item, a
    /// complaint just registered is selected, the detail is read again.
    pub(crate) fn loaded(app: &mut App, r: Result<Vec<Item>, String>) -> Vec<Effect> {
        app.loading = false;
        let mut fx = Vec::new();
        match r {
            Ok(items) => {
                if !app.loaded {
                    // R18: after a restart, the marks of saved drafts.
                    fx.push(Effect::LoadDrafts);
                }
                app.loaded = true;
                QueueScreen::set_items(app, items);
                WallboardScreen::recompute(app);
                if let Some(n) = app.select_number.take() {
                    let found = app
                        .items
                        .iter()
                        .find(|i| i.kind == ItemKind::Complaint && i.number == n)
                        .map(|i| (i.kind, i.id));
                    match found {
                        Some(t) => QueueScreen::select(app, t),
                        None => app.select_number = Some(n),
                    }
                }
                // The open detail may have changed too.
                app.detail = None;
                fx.extend(QueueScreen::detail_effect(app));
            }
            Err(e) => app.say(format!("{}{e}", Msg::Failed.text(app.lang)), true),
        }
        if std::mem::take(&mut app.reload_pending) {
            fx.extend(app.reload());
        }
        fx
    }

    /// The selected complaint's detail (an answer for another one is
    /// dropped: the cursor moved on).
    pub(crate) fn detail_loaded(app: &mut App, r: Result<Detail, String>) -> Vec<Effect> {
        match r {
            Ok(d)
                if app
                    .selected_item()
                    .is_some_and(|i| i.complaint_id == d.complaint_id) =>
            {
                app.detail = Some(d);
                app.dirty = true;
            }
            Ok(_) => {}
            Err(e) => app.say(format!("{}{e}", Msg::Failed.text(app.lang)), true),
        }
        QueueScreen::detail_effect(app).into_iter().collect()
    }

    /// The agents to reassign to: the picker opens (active agents only).
    pub(crate) fn agents_loaded(
        app: &mut App,
        complaint: i64,
        number: String,
        result: Result<Vec<Agent>, String>,
    ) {
        match result {
            Ok(agents) => {
                let agents: Vec<Agent> = agents.into_iter().filter(|a| a.active).collect();
                app.overlay = Overlay::PickAgent {
                    agents,
                    idx: 0,
                    complaint,
                    number,
                };
                app.dirty = true;
            }
            Err(e) => app.say(format!("{}{e}", Msg::Failed.text(app.lang)), true),
        }
    }
}
