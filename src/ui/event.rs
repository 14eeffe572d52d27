//! What reaches an [`App`](super::app::App) ([`Event`]: input, a change
//! in the database, the passing of time, a store answer) and what it asks
//! the store for ([`Effect`], run by `ui::effects`). Both are re-exported
//! from `ui::app`, where the session and the server name them.
use ratatui::crossterm::event::KeyEvent;

use crate::domain::intake::NewComplaint;
use crate::domain::model::Severity;
use crate::domain::queue::{Item, ItemKind};
use crate::i18n::Msg;
use crate::store::agents::Agent;
use crate::store::archive::{Purpose, Record, Summary};
use crate::store::complaints::{Registered, Similar};
use crate::store::queue::Detail;

use super::call::{CallData, Submit};
use super::form::FormData;

/// What happened: input, a change in the database, the passing of time, or
/// the answer to an effect.
#[derive(Debug)]
pub enum Event {
    Key(KeyEvent),
    Resize(u16, u16),
    DbChanged,
    Tick,
    Queue(Result<Vec<Item>, String>),
    Detail(Result<Detail, String>),
    /// The agents to reassign the complaint `(id, number)` to.
    Agents {
        complaint: (i64, String),
        result: Result<Vec<Agent>, String>,
    },
    Done(Result<Msg, String>),
    /// An action on one complaint finished; the message names its number.
    Acted {
        number: String,
        result: Result<Msg, String>,
    },
    /// The agent's saved drafts, `(context, body)` (R18).
    Drafts(Result<Vec<(String, String)>, String>),
    /// What an open call screen's complaint looks like now (R8).
    CallChecked(Result<crate::store::complaints::State, String>),
    CallLoaded(Box<Result<(Item, CallData), String>>),
    FormLoaded(Box<Result<FormData, String>>),
    Similar(Result<Vec<Similar>, String>),
    Registered(Result<Registered, String>),
    /// The customer index changed (built, progress, or another process's
    /// change applied).
    Index,
    Summaries(Result<Vec<Summary>, String>),
    CustomerLoaded(Box<Result<Record, String>>),
    Paste(String),
    Wallboard(Box<Result<crate::domain::wallboard::Facts, String>>),
    Report(Box<Result<crate::domain::report::Report, String>>),
    /// The presence file changed (only the wallboard cares).
    PresenceChanged,
    Quit,
}

impl Event {
    /// The app's event for a terminal event, wherever it was read (the
    /// local terminal, or `hotline attach` relaying to the server); key
    /// releases, focus and mouse events are none.
    pub fn from_terminal(ev: ratatui::crossterm::event::Event) -> Option<Event> {
        use ratatui::crossterm::event as ct;
        match ev {
            ct::Event::Key(k) if k.kind != ct::KeyEventKind::Release => Some(Event::Key(k)),
            ct::Event::Resize(w, h) => Some(Event::Resize(w.max(1), h.max(1))),
            ct::Event::Paste(text) => Some(Event::Paste(text)),
            _ => None,
        }
    }
}

/// Work for the store thread; the answer comes back as an [`Event`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    LoadQueue,
    LoadDetail(i64),
    /// The agents, for reassigning the complaint `(id, number)`.
    LoadAgents(i64, String),
    Claim {
        kind: ItemKind,
        id: i64,
        number: String,
    },
    Release {
        kind: ItemKind,
        id: i64,
        complaint: i64,
        number: String,
    },
    Start {
        id: i64,
        number: String,
    },
    SetSeverity {
        id: i64,
        to: Severity,
        number: String,
        /// R4: why it becomes major.
        reason: Option<String>,
    },
    Acknowledge {
        id: i64,
        number: String,
    },
    Reassign {
        complaint: i64,
        to: i64,
        number: String,
    },
    /// Read the open call's complaint again (another process changed
    /// something).
    CheckCall(i64),
    /// The agent's drafts, for the marks and the restored texts (R18).
    LoadDrafts,
    /// Claim the item and load what its call screen needs.
    LoadCall(Box<Item>),
    SaveDraft {
        context: String,
        body: String,
    },
    RecordOutcome(Box<Submit>),
    LoadForm,
    /// R22: close quiet resolved complaints (safe from many processes).
    AutoClose,
    /// R5: what the new report is compared with.
    LoadSimilar(Box<crate::store::complaints::SimilarQuery>),
    Register(Box<NewComplaint>),
    /// Summaries of search results (R30: as the viewer may see them).
    LoadSummaries(Vec<i64>),
    /// Open a customer record: audit entry (R31) and the record.
    OpenCustomer {
        id: i64,
        purpose: Purpose,
    },
    /// The board's facts; `true`: this month's figures too.
    LoadWallboard(bool),
    LoadReport(crate::domain::report::Month),
}
