//! The [`Action`] and [`Context`] enums and their snake_case names.

use std::fmt;
use std::str::FromStr;

/// An unknown name given to [`Action::from_str`] or [`Context::from_str`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} \"{name}\"")]
pub struct UnknownName {
    /// `"action"` or `"context"`.
    pub kind: &'static str,
    /// The name as it was given.
    pub name: String,
}

/// Declares a fieldless enum together with `ALL`, `name()`, `FromStr` and
/// `Display`, all driven by one table of variant ⇄ snake_case name.
macro_rules! named_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident ($kind:literal) {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
        )]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The snake_case name used in keymap files.
            pub fn name(&self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }
        }

        impl FromStr for $name {
            type Err = UnknownName;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(UnknownName { kind: $kind, name: s.to_owned() }),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}

named_enum! {
    /// Which screen (or overlay) has the keyboard. Keys are looked up in the
    /// current context first, then in [`Context::Global`].
    pub enum Context ("context") {
        Global = "global",
        Queue = "queue",
        Detail = "detail",
        Search = "search",
        Customer = "customer",
        Call = "call",
        Form = "form",
        Help = "help",
        Wallboard = "wallboard",
        /// The monthly report view, opened from the wallboard.
        Report = "report",
    }
}

impl Context {
    /// Contexts where the user types free text: plain printable characters
    /// never fall back to [`Context::Global`] there.
    pub fn takes_text(self) -> bool {
        matches!(self, Context::Search | Context::Form)
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

named_enum! {
    /// Everything a key can do. What an action means on a given screen is up
    /// to that screen (e.g. `Confirm` submits a form, `Back` closes an overlay).
    pub enum Action ("action") {
        Quit = "quit",
        Help = "help",
        /// Esc-like: close, cancel, go back.
        Back = "back",
        /// Enter-like: accept the current form or choice.
        Confirm = "confirm",
        Up = "up",
        Down = "down",
        PageUp = "page_up",
        PageDown = "page_down",
        Top = "top",
        Bottom = "bottom",
        NextPane = "next_pane",
        PrevPane = "prev_pane",
        OpenSearch = "open_search",
        OpenWallboard = "open_wallboard",
        /// The monthly report view (R28), from the wallboard.
        OpenReport = "open_report",
        ToggleLanguage = "toggle_language",
        FilterMine = "filter_mine",
        FilterUnassigned = "filter_unassigned",
        FilterAll = "filter_all",
        FilterBreached = "filter_breached",
        /// R12: major complaints no supervisor has acknowledged yet.
        FilterMajors = "filter_majors",
        /// Jump to a complaint by its number (or its last digits).
        GoTo = "go_to",
        /// Give a claimed item back to the pool (audited).
        Release = "release",
        Open = "open",
        Claim = "claim",
        StartWork = "start_work",
        RaiseSeverity = "raise_severity",
        LowerSeverity = "lower_severity",
        Reassign = "reassign",
        Acknowledge = "acknowledge",
        NewComplaint = "new_complaint",
        StartCall = "start_call",
        OpenCustomer = "open_customer",
        NextScript = "next_script",
        PrevScript = "prev_script",
        PickOutcome = "pick_outcome",
        EditNote = "edit_note",
        Save = "save",
        ScrollUp = "scroll_up",
        ScrollDown = "scroll_down",
    }
}
