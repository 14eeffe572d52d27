//! Actions on the selected queue item. Each one acts on the item under the
//! cursor when the key is pressed (never a different one found later),
//! names its number in the message, and pins the item so the cursor stays
//! on it even when the filter stops showing it (a claim in "unassigned").
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::app::{App, Effect, Filter, Overlay};
use super::textarea::TextArea;
use crate::domain::access::Permission;
use crate::domain::model::Severity;
use crate::domain::queue::ItemKind;
use crate::domain::severity::MAJOR_REASONS;
use crate::i18n::{self, Msg};

impl App {
    /// Keeps the item acted on in the list and under the cursor.
    pub(crate) fn pin(&mut self, kind: ItemKind, id: i64) {
        self.pinned = Some((kind, id));
        self.refresh_keeping(Some((kind, id)));
    }

    /// `{number} {message}`: every message about one item names it.
    pub(crate) fn say_about(&mut self, number: &str, m: Msg, error: bool) {
        let text = format!("{number} {}", m.text(self.lang));
        self.say(text, error);
    }

    pub(crate) fn claim_selected(&mut self) -> Vec<Effect> {
        let Some(i) = self.selected_item().cloned() else {
            self.say(Msg::NothingSelected.text(self.lang), true);
            return vec![];
        };
        if i.assignee_id == Some(self.me.id) {
            self.say_about(&i.number, Msg::AlreadyYours, false);
            return vec![];
        }
        self.pin(i.kind, i.id);
        vec![Effect::Claim {
            kind: i.kind,
            id: i.id,
            number: i.number,
        }]
    }

    pub(crate) fn release_selected(&mut self) -> Vec<Effect> {
        let Some(i) = self.selected_item().cloned() else {
            self.say(Msg::NothingSelected.text(self.lang), true);
            return vec![];
        };
        if i.assignee_id != Some(self.me.id) {
            self.say_about(&i.number, Msg::NotYours, true);
            return vec![];
        }
        self.pin(i.kind, i.id);
        vec![Effect::Release {
            kind: i.kind,
            id: i.id,
            complaint: i.complaint_id,
            number: i.number,
        }]
    }

    pub(crate) fn start_selected(&mut self) -> Vec<Effect> {
        let Some(i) = self.need_complaint() else {
            return vec![];
        };
        self.pin(i.kind, i.id);
        vec![Effect::Start {
            id: i.id,
            number: i.number,
        }]
    }

    /// R4: anyone raises, a supervisor lowers; becoming major asks why.
    pub(crate) fn change_severity(&mut self, a: crate::keymap::Action) -> Vec<Effect> {
        let Some(i) = self.need_complaint() else {
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
            self.say_about(&i.number, m, true);
            return vec![];
        }
        if !raise && !self.need(Permission::LowerSeverity) {
            return vec![];
        }
        if to == Severity::Major {
            self.overlay = Overlay::PickReason {
                id: i.id,
                number: i.number,
                idx: 0,
            };
            return vec![];
        }
        self.pin(i.kind, i.id);
        vec![Effect::SetSeverity {
            id: i.id,
            to,
            number: i.number,
            reason: None,
        }]
    }

    pub(crate) fn reassign_selected(&mut self) -> Vec<Effect> {
        if !self.need(Permission::Reassign) {
            return vec![];
        }
        match self.need_complaint() {
            Some(i) => vec![Effect::LoadAgents(i.id, i.number)],
            None => vec![],
        }
    }

    /// R12: acknowledges the selected major complaint, or says why not.
    pub(crate) fn acknowledge_selected(&mut self) -> Vec<Effect> {
        if !self.need(Permission::AcknowledgeMajor) {
            return vec![];
        }
        let Some(i) = self.need_complaint() else {
            return vec![];
        };
        if i.severity != Severity::Major {
            self.say_about(&i.number, Msg::NotMajor, true);
            return vec![];
        }
        if !i.unacknowledged_major() {
            self.say_about(&i.number, Msg::AlreadyAcknowledged, true);
            return vec![];
        }
        self.pin(i.kind, i.id);
        vec![Effect::Acknowledge {
            id: i.id,
            number: i.number,
        }]
    }

    /// `p`: calls about my item at once; an item nobody holds is claimed
    /// only after the agent says so; someone else's is refused (R7).
    pub(crate) fn call_selected(&mut self) -> Vec<Effect> {
        // From the queue (or its detail) a call ends back in the queue.
        self.return_to = None;
        let Some(i) = self.selected_item().cloned() else {
            self.say(Msg::NothingSelected.text(self.lang), true);
            return vec![];
        };
        match i.assignee_id {
            Some(a) if a == self.me.id => vec![Effect::LoadCall(Box::new(i))],
            Some(_) => {
                let text = format!(
                    "{} {}{}",
                    i.number,
                    Msg::HeldBy.text(self.lang),
                    crate::text::for_display(&i.assignee_name)
                );
                self.say(text, true);
                vec![]
            }
            None => {
                let text = format!("{} {}", i.number, Msg::ConfirmClaimCall.text(self.lang));
                self.pin(i.kind, i.id);
                self.overlay = Overlay::Confirm {
                    text,
                    effect: Box::new(Effect::LoadCall(Box::new(i))),
                };
                vec![]
            }
        }
    }

    pub(crate) fn open_go_to(&mut self) -> Vec<Effect> {
        self.overlay = Overlay::GoTo {
            input: TextArea::new(false, 20),
        };
        vec![]
    }

    /// Keys while a small overlay is open. Each overlay swallows every key
    /// it does not use, so nothing acts on the screen behind it. None:
    /// the overlay is not one of these.
    pub(crate) fn overlay_key(&mut self, k: &KeyEvent) -> Option<Vec<Effect>> {
        let ctrl_c = k.modifiers.contains(KeyModifiers::CONTROL) && k.code == KeyCode::Char('c');
        if ctrl_c {
            return None;
        }
        self.dirty = true;
        match &mut self.overlay {
            Overlay::Confirm { effect, .. } => match k.code {
                KeyCode::Char('y') | KeyCode::Char('Y') | KeyCode::Enter => {
                    let fx = (**effect).clone();
                    self.overlay = Overlay::None;
                    Some(vec![fx])
                }
                KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc => {
                    self.overlay = Overlay::None;
                    self.say(Msg::Cancelled.text(self.lang), false);
                    Some(vec![])
                }
                _ => Some(vec![]),
            },
            Overlay::GoTo { input } => match k.code {
                KeyCode::Esc => {
                    self.overlay = Overlay::None;
                    Some(vec![])
                }
                KeyCode::Enter => {
                    let q = input.text();
                    Some(self.go_to(q.trim()))
                }
                _ => {
                    input.key(k);
                    Some(vec![])
                }
            },
            Overlay::PickReason { id, number, idx } => {
                let n = MAJOR_REASONS.len();
                match k.code {
                    KeyCode::Esc => {
                        self.overlay = Overlay::None;
                        self.say(Msg::Cancelled.text(self.lang), false);
                        Some(vec![])
                    }
                    KeyCode::Up | KeyCode::Char('k') => {
                        *idx = idx.saturating_sub(1);
                        Some(vec![])
                    }
                    KeyCode::Down | KeyCode::Char('j') => {
                        *idx = (*idx + 1).min(n - 1);
                        Some(vec![])
                    }
                    KeyCode::Enter | KeyCode::Char('1'..='9') => {
                        let pick = match k.code {
                            KeyCode::Char(c) => c.to_digit(10).map(|d| d as usize - 1),
                            _ => Some(*idx),
                        };
                        let Some(reason) = pick.and_then(|p| MAJOR_REASONS.get(p)) else {
                            return Some(vec![]);
                        };
                        let (id, number) = (*id, number.clone());
                        self.overlay = Overlay::None;
                        self.pin(ItemKind::Complaint, id);
                        Some(vec![Effect::SetSeverity {
                            id,
                            to: Severity::Major,
                            number,
                            reason: Some((*reason).to_string()),
                        }])
                    }
                    _ => Some(vec![]),
                }
            }
            _ => None,
        }
    }

    /// Selects the open complaint whose number is `q` or ends with it
    /// (`17`, `0017`, `1123-0017`), showing every item if the filter hid
    /// it.
    fn go_to(&mut self, q: &str) -> Vec<Effect> {
        let q = q.to_uppercase();
        if q.is_empty() {
            return vec![];
        }
        let digits = q.trim_start_matches('C').trim_start_matches('-');
        let matches: Vec<&crate::domain::queue::Item> = self
            .items
            .iter()
            .filter(|i| i.kind == ItemKind::Complaint)
            .filter(|i| {
                i.number == q
                    || i.number.ends_with(&q)
                    || (!digits.is_empty() && i.number.ends_with(&format!("-{digits:0>4}")))
            })
            .collect();
        let exact: Vec<&crate::domain::queue::Item> =
            matches.iter().copied().filter(|i| i.number == q).collect();
        let target = match (exact.as_slice(), matches.as_slice()) {
            ([one], _) | ([], [one]) => (one.kind, one.id),
            ([], []) => {
                let text = format!("{}{q}", Msg::GoToNone.text(self.lang));
                self.say(text, true);
                return vec![];
            }
            _ => {
                let list: Vec<&str> = matches.iter().take(4).map(|i| i.number.as_str()).collect();
                let text = format!("{}{}", Msg::GoToMany.text(self.lang), list.join(" "));
                self.say(text, true);
                return vec![];
            }
        };
        self.overlay = Overlay::None;
        self.select(target);
        self.view = super::app::View::Queue;
        self.detail_effect().into_iter().collect()
    }

    /// Puts the cursor on `target`, switching to "all" when the filter
    /// hides it.
    pub(crate) fn select(&mut self, target: (ItemKind, i64)) {
        let shown = |a: &App| a.rows().any(|i| (i.kind, i.id) == target);
        if !shown(self) {
            self.filter = Filter::All;
            self.pinned = None;
        }
        self.refresh_keeping(Some(target));
        let at = self.rows().position(|i| (i.kind, i.id) == target);
        if let Some(r) = at {
            self.selected = r;
        }
        self.detail_scroll = 0;
        self.dirty = true;
    }

    /// A labelled R4 reason, for the picker.
    pub fn major_reason_label(&self, code: &str) -> &'static str {
        i18n::major_reason(code, self.lang)
    }
}
