//! The customer record screen's state: the record as opened (R30, R31),
//! the selected complaint in its history, and where Esc goes back to.
use super::app::View;
use crate::keymap::Action;
use crate::store::archive::Record;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerState {
    pub record: Record,
    /// Index into `record.complaints`.
    pub selected: usize,
    pub back_to: View,
}

impl CustomerState {
    pub fn new(record: Record, back_to: View) -> CustomerState {
        CustomerState {
            record,
            selected: 0,
            back_to,
        }
    }

    /// Moves the selection; true if the action was a move.
    pub fn move_by(&mut self, a: Action) -> bool {
        let n = self.record.complaints.len() as i64;
        let delta = match a {
            Action::Up | Action::ScrollUp | Action::PrevPane => -1,
            Action::Down | Action::ScrollDown | Action::NextPane => 1,
            Action::PageUp => -10,
            Action::PageDown => 10,
            Action::Top => -1_000_000,
            Action::Bottom => 1_000_000,
            _ => return false,
        };
        self.selected = (self.selected as i64 + delta).clamp(0, (n - 1).max(0)) as usize;
        true
    }

    pub fn selected_complaint(&self) -> Option<&crate::store::archive::ComplaintRow> {
        self.record.complaints.get(self.selected)
    }
}
