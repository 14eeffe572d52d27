//! The supervisor wallboard (R27) and the monthly report view (R28) in the
//! TUI: their state (the screens are `screens::WallboardScreen` and
//! `screens::ReportScreen`). The board's numbers are computed from the queue items the
//! supervisor's queue already holds (every open complaint, every callback
//! due today), so a number and the complaints behind it (Enter) agree; the
//! store adds agents, today's and this month's counts. It follows every
//! change (the poller, and the presence file's own poller) and recomputes
//! itself at the instant a clock or an agent's state crosses a boundary.
use crate::domain::model::Severity;
use crate::domain::presence::Thresholds;
use crate::domain::report::{Month, Report};
use crate::domain::sla::Badge;
use crate::domain::wallboard::{BADGES, Board, CLOCKS, Facts, Jump, SEVERITIES, STATUSES};
use crate::i18n::Msg;

/// Every number Enter can open, in Tab order: the fixed ones, then each
/// agent's open items in the order the board lists them.
pub fn jumps(board: Option<&Board>) -> Vec<Jump> {
    let mut v = vec![Jump::Unacknowledged];
    for s in STATUSES {
        for v2 in SEVERITIES {
            v.push(Jump::Cell(s, v2));
        }
    }
    for c in CLOCKS {
        for b in BADGES {
            v.push(Jump::Clock(c, b));
        }
    }
    v.push(Jump::CallbacksDue);
    v.push(Jump::CallbacksOverdue);
    v.extend(
        board
            .into_iter()
            .flat_map(|b| b.agents.iter().map(|a| Jump::Agent(a.id))),
    );
    v
}

#[derive(Debug, Clone)]
pub struct WallboardState {
    pub facts: Option<Facts>,
    pub board: Option<Board>,
    /// Index into [`jumps`] of the focused number.
    pub focus: usize,
    pub page: usize,
    /// Pages the last draw needed, the page it showed, and whether it
    /// follows the focused number (set by Tab, cleared by PageDown/Up).
    pub pages: std::cell::Cell<usize>,
    pub shown_page: std::cell::Cell<usize>,
    pub follow_focus: std::cell::Cell<bool>,
    pub thresholds: Thresholds,
    pub(crate) loading: bool,
    pub(crate) pending: bool,
    pub error: Option<String>,
}

impl WallboardState {
    pub fn new(t: Thresholds) -> WallboardState {
        WallboardState {
            facts: None,
            board: None,
            focus: 0,
            page: 0,
            pages: std::cell::Cell::new(1),
            shown_page: std::cell::Cell::new(0),
            follow_focus: std::cell::Cell::new(false),
            thresholds: t,
            loading: false,
            pending: false,
            error: None,
        }
    }

    pub fn focused(&self) -> Jump {
        jumps(self.board.as_ref())
            .get(self.focus)
            .copied()
            .unwrap_or(Jump::Unacknowledged)
    }
}

/// The report view: one month's report as text lines, scrolled.
#[derive(Debug, Clone)]
pub struct ReportState {
    pub month: Month,
    pub report: Option<Box<Report>>,
    pub scroll: usize,
    pub error: Option<String>,
}

/// What a queue filter from the board shows, for the header.
pub fn jump_label(j: Jump, board: Option<&Board>, lang: crate::i18n::Lang) -> String {
    use crate::i18n;
    match j {
        Jump::Agent(id) => board
            .and_then(|b| b.agents.iter().find(|a| a.id == id))
            .map_or_else(String::new, |a| {
                format!(
                    "{} · {}",
                    crate::text::for_display(&a.name),
                    Msg::WbOpen.text(lang)
                )
            }),
        Jump::Cell(s, v) => format!("{}·{}", i18n::status(s, lang), i18n::severity(v, lang)),
        Jump::Clock(c, b) => format!("{}·{}", i18n::clock(c, lang), badge_word(b, lang)),
        Jump::Unacknowledged => Msg::WbMajors.text(lang).to_string(),
        Jump::CallbacksDue => Msg::WbDue.text(lang).to_string(),
        Jump::CallbacksOverdue => Msg::WbOverdue.text(lang).to_string(),
    }
}

pub fn badge_word(b: Badge, lang: crate::i18n::Lang) -> &'static str {
    match b {
        Badge::OnTrack => Msg::WbOnTrack.text(lang),
        Badge::AtRisk => Msg::AtRisk.text(lang),
        _ => Msg::RpBreached.text(lang),
    }
}

pub fn severity_short(s: Severity, lang: crate::i18n::Lang) -> &'static str {
    crate::i18n::severity(s, lang)
}
