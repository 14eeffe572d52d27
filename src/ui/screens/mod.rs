//! Screens as components, in the manner of gitui: each screen (and each
//! overlay) is one type that owns its keys and its drawing. [`App`]
//! routes: an open overlay first, then the screen in view, then the few
//! actions every screen shares ([`App::global`](super::app::App)); the
//! flash, the clock and the draft timer stay in `App`.
//!
//! A screen's state lives in `App`'s fields (`call`, `form`, `search`,
//! `customer`, `wallboard`, `report`, the queue's items): the session,
//! the renderers and the tests read them there. The screen types hold no
//! state of their own; they are where the code for one view lives.
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use super::app::{App, Effect, Overlay, View};
use super::theme::Theme;
use crate::i18n::Msg;
use crate::keymap::{Action, Context};

mod call;
mod customer;
mod detail;
mod dialog;
mod form;
mod help;
mod queue;
mod report;
mod search;
mod wallboard;

pub use call::CallScreen;
pub use customer::CustomerScreen;
pub use detail::DetailScreen;
pub use dialog::Dialog;
pub use form::FormScreen;
pub use help::HelpOverlay;
pub use queue::QueueScreen;
pub use report::ReportScreen;
pub use search::SearchScreen;
pub use wallboard::WallboardScreen;

/// What reaches a screen: a key before the keymap reads it (typing,
/// a picker's own keys), or an action the keymap found for a key.
#[derive(Debug, Clone, Copy)]
pub enum Input<'a> {
    Key(&'a KeyEvent),
    Action(Action),
}

/// A screen's answer to an input.
#[derive(Debug, PartialEq, Eq)]
pub enum Handled {
    /// Used; the work for the store (often none).
    Done(Vec<Effect>),
    /// Not this screen's: the router tries the next one.
    NotMine,
}

impl Handled {
    /// Used, with nothing for the store.
    pub fn done() -> Handled {
        Handled::Done(vec![])
    }

    /// `Some` effects: used; `None`: not mine.
    pub fn from_option(fx: Option<Vec<Effect>>) -> Handled {
        fx.map_or(Handled::NotMine, Handled::Done)
    }
}

/// One screen or overlay: its keymap context, what it does with an input,
/// how it draws.
pub trait Screen: Sync {
    /// The keymap context its keys are looked up in now.
    fn context(&self, app: &App) -> Context;
    /// The context and heading the help overlay lists first.
    fn help(&self) -> (Context, Msg) {
        (Context::Global, Msg::HelpGlobal)
    }
    fn handle(&self, app: &mut App, input: Input<'_>) -> Handled;
    fn render(&self, f: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme);
}

/// The screen that shows `view`.
pub fn of(view: View) -> &'static dyn Screen {
    match view {
        View::Queue => &QueueScreen,
        View::Detail => &DetailScreen,
        View::Call => &CallScreen,
        View::Form => &FormScreen,
        View::Search => &SearchScreen,
        View::Customer => &CustomerScreen,
        View::Wallboard => &WallboardScreen,
        View::Report => &ReportScreen,
    }
}

/// The overlay that has the keyboard, if one is open.
pub fn overlay(o: &Overlay) -> Option<&'static dyn Screen> {
    match o {
        Overlay::None => None,
        Overlay::Help => Some(&HelpOverlay),
        Overlay::PickAgent { .. }
        | Overlay::Confirm { .. }
        | Overlay::GoTo { .. }
        | Overlay::PickReason { .. } => Some(&Dialog),
    }
}
