//! What the app shows: the screen in view, the overlay over it, the
//! queue's filter, the message in the status bar. Re-exported from
//! `ui::app`.
use crate::i18n::Msg;
use crate::store::agents::Agent;

use super::app::Effect;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    Mine,
    Unassigned,
    All,
    Breached,
    /// The complaints behind a number on the wallboard.
    Board(crate::domain::wallboard::Jump),
    /// R12: major complaints not acknowledged yet.
    Majors,
}

impl Filter {
    pub fn msg(self) -> Msg {
        match self {
            Filter::Mine => Msg::FilterMine,
            Filter::Unassigned => Msg::FilterUnassigned,
            Filter::All => Msg::FilterAll,
            Filter::Breached => Msg::FilterBreached,
            Filter::Board(_) => Msg::FilterBoard,
            Filter::Majors => Msg::FilterMajors,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    None,
    Help,
    /// Reassign the complaint chosen when `r` was pressed (not whatever is
    /// selected when Enter comes).
    PickAgent {
        agents: Vec<Agent>,
        idx: usize,
        complaint: i64,
        number: String,
    },
    /// A question before an action the agent may not mean (`y`/Enter do
    /// it, `n`/Esc do not); every other key is swallowed.
    Confirm {
        text: String,
        effect: Box<Effect>,
    },
    /// `#`: jump to a complaint by number or its last digits.
    GoTo {
        input: super::textarea::TextArea,
    },
    /// R4: why the complaint becomes major (asked before `+` makes it so).
    PickReason {
        id: i64,
        number: String,
        idx: usize,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Queue,
    Detail,
    Call,
    Form,
    /// Customer search (`/`), see `ui::archive`.
    Search,
    /// One customer's record, see `ui::archive`.
    Customer,
    /// The supervisor wallboard and the report view, see `ui::wallboard`.
    Wallboard,
    Report,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flash {
    pub text: String,
    pub error: bool,
    pub until: i64,
}
