//! The customer search screen's state: the query box, the results of the
//! last query (re-ranked on every keystroke by the incremental
//! [`Session`]), summaries of the results loaded from the store, and the
//! one-line reason asked for before a record opens when no complaint is in
//! hand (R31). Pure: keys in, outcomes out; the query itself runs against
//! an [`Index`] the caller passes.
use std::collections::{HashMap, HashSet};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::app::View;
use super::textarea::TextArea;
use crate::keymap::Action;
use crate::search::{Hit, Index, Options, Reading, Session};
use crate::store::archive::{MAX_REASON, Purpose, Summary};

/// Results kept per query (the list scrolls through them).
pub const LIMIT: usize = 50;
/// Summaries cached before the cache is cleared.
const CACHE: usize = 5_000;

/// The complaint the agent is handling when the search opened (R31: the
/// purpose of any record opened from it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InHand {
    pub complaint_id: i64,
    pub number: String,
    /// The complaint's customer: only their record opens "for this
    /// complaint" (R31); any other asks for a reason.
    pub customer_id: Option<i64>,
}

/// The reason box shown before a record opens without a complaint in hand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReasonPrompt {
    pub customer_id: i64,
    pub name: String,
    pub text: TextArea,
    pub error: bool,
    /// The text came back from a saved draft (R18).
    pub restored: bool,
}

impl ReasonPrompt {
    /// R18: the reason being typed is a draft like a call note.
    pub fn draft_key(&self) -> String {
        format!("reason:{}", self.customer_id)
    }
}

#[derive(Debug)]
pub struct SearchState {
    pub input: TextArea,
    session: Session,
    pub hits: Vec<Hit>,
    /// How the engine read the query `ran` (issue 14), shown under it.
    pub reading: Vec<Reading>,
    pub selected: usize,
    /// The query must run again (typed, or the index changed).
    pub stale: bool,
    /// The text the hits are for.
    pub ran: String,
    /// How long the last query took, in milliseconds.
    pub took_ms: f64,
    pub summaries: HashMap<i64, Summary>,
    requested: HashSet<i64>,
    /// Summaries shown may be out of date: load them all again (the old
    /// ones stay on screen until the new ones arrive).
    reload: bool,
    /// Where Esc goes back to.
    pub back_to: View,
    pub in_hand: Option<InHand>,
    pub reason: Option<ReasonPrompt>,
    /// Opened from the intake form (R5): Enter picks the customer for the
    /// new complaint instead of opening the record.
    pub pick: bool,
}

/// What a key did on the search screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchOutcome {
    Nothing,
    Changed,
    Leave,
    Open {
        id: i64,
        purpose: Purpose,
    },
    /// The customer picked for the intake form.
    Pick {
        id: i64,
        name: String,
    },
}

impl SearchState {
    pub fn new(back_to: View, in_hand: Option<InHand>) -> SearchState {
        SearchState {
            input: TextArea::new(false, 100),
            session: Session::new(),
            hits: Vec::new(),
            reading: Vec::new(),
            selected: 0,
            stale: false,
            ran: String::new(),
            took_ms: 0.0,
            summaries: HashMap::new(),
            requested: HashSet::new(),
            reload: false,
            back_to,
            in_hand,
            reason: None,
            pick: false,
        }
    }

    /// Search options from the settings (southern pinyin).
    pub fn set_options(&mut self, opts: Options) {
        self.session.set_options(opts);
    }

    /// Runs the query if it is stale; returns the ids whose summaries are
    /// not loaded yet.
    pub fn run(&mut self, index: &Index, include_confidential: bool) -> Vec<i64> {
        if !self.stale {
            return Vec::new();
        }
        self.stale = false;
        let q = self.input.text();
        let t = std::time::Instant::now();
        let keep = self.hits.get(self.selected).map(|h| h.id);
        self.hits = self.session.query(index, &q, LIMIT, include_confidential);
        self.took_ms = t.elapsed().as_secs_f64() * 1e3;
        self.reading = self.session.reading().to_vec();
        // The same customer stays selected when it is still in the list
        // (a refresh after another process's change), else the best.
        self.selected = if q == self.ran {
            keep.and_then(|id| self.hits.iter().position(|h| h.id == id))
                .unwrap_or(0)
        } else {
            0
        };
        self.ran = q;
        if self.summaries.len() > CACHE {
            self.summaries.clear();
            self.requested.clear();
        }
        let reload = std::mem::take(&mut self.reload);
        let want: Vec<i64> = self
            .hits
            .iter()
            .map(|h| h.id)
            .filter(|id| {
                reload || (!self.summaries.contains_key(id) && !self.requested.contains(id))
            })
            .collect();
        self.requested.extend(want.iter().copied());
        want
    }

    /// Summaries arrived from the store.
    pub fn loaded(&mut self, list: Vec<Summary>) {
        for s in list {
            self.requested.remove(&s.id);
            self.summaries.insert(s.id, s);
        }
    }

    /// The index changed: the same query runs again, and the summaries
    /// of its results are read again (a customer may have been edited).
    pub fn refresh(&mut self) {
        self.stale = true;
        self.reload = true;
        self.requested.clear();
    }

    /// Typing into the query box or the reason box.
    pub fn raw_key(&mut self, k: &KeyEvent) -> Option<SearchOutcome> {
        let ctrl = k
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        if let Some(r) = self.reason.as_mut() {
            if ctrl {
                return None; // Ctrl-c still quits
            }
            return match k.code {
                KeyCode::Esc => {
                    self.reason = None;
                    Some(SearchOutcome::Changed)
                }
                KeyCode::Enter => {
                    let text = r.text.text();
                    if crate::text::clean_line("reason", &text, MAX_REASON)
                        .map(|t| t.is_empty())
                        .unwrap_or(true)
                    {
                        r.error = true;
                        return Some(SearchOutcome::Changed);
                    }
                    let id = r.customer_id;
                    self.reason = None;
                    Some(SearchOutcome::Open {
                        id,
                        purpose: Purpose::Reason(text),
                    })
                }
                _ if r.text.key(k) => {
                    r.error = false;
                    Some(SearchOutcome::Changed)
                }
                // Every other key stays in the prompt.
                _ => Some(SearchOutcome::Nothing),
            };
        }
        let editing = match k.code {
            KeyCode::Char('u' | 'w') if k.modifiers == KeyModifiers::CONTROL => true,
            KeyCode::Char(_) => !ctrl,
            KeyCode::Backspace
            | KeyCode::Delete
            | KeyCode::Left
            | KeyCode::Right
            | KeyCode::Home
            | KeyCode::End => true,
            _ => false,
        };
        if !editing {
            return None;
        }
        if self.input.key(k) {
            self.stale = true;
            return Some(SearchOutcome::Changed);
        }
        Some(SearchOutcome::Nothing)
    }

    pub fn action(&mut self, a: Action) -> SearchOutcome {
        let n = self.hits.len();
        let step = |i: usize, d: i64| (i as i64 + d).clamp(0, (n as i64 - 1).max(0)) as usize;
        match a {
            Action::Up | Action::PrevPane => self.selected = step(self.selected, -1),
            Action::Down | Action::NextPane => self.selected = step(self.selected, 1),
            Action::PageUp => self.selected = step(self.selected, -10),
            Action::PageDown => self.selected = step(self.selected, 10),
            Action::Top => self.selected = 0,
            Action::Bottom => self.selected = n.saturating_sub(1),
            Action::Back => return SearchOutcome::Leave,
            Action::Open | Action::Confirm => return self.open_selected(),
            _ => return SearchOutcome::Nothing,
        }
        SearchOutcome::Changed
    }

    /// Opens the selected customer: at once for the complaint in hand,
    /// else after the agent gives a reason.
    fn open_selected(&mut self) -> SearchOutcome {
        let Some(hit) = self.hits.get(self.selected) else {
            return SearchOutcome::Nothing;
        };
        if self.pick {
            return SearchOutcome::Pick {
                id: hit.id,
                name: hit.name.clone(),
            };
        }
        match &self.in_hand {
            Some(h) if h.customer_id == Some(hit.id) => SearchOutcome::Open {
                id: hit.id,
                purpose: Purpose::Complaint(h.complaint_id),
            },
            _ => {
                self.reason = Some(ReasonPrompt {
                    customer_id: hit.id,
                    name: hit.name.clone(),
                    text: TextArea::new(false, MAX_REASON),
                    error: false,
                    restored: false,
                });
                SearchOutcome::Changed
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::CustomerKeys;

    fn index() -> Index {
        let c = |id: i64, name: &str, confidential: bool| CustomerKeys {
            id,
            name: name.into(),
            class: 'C',
            confidential,
            ..CustomerKeys::default()
        };
        Index::build(vec![
            c(1, "张三", false),
            c(2, "张伟", true),
            c(3, "李四", false),
        ])
    }

    fn key(c: char) -> KeyEvent {
        KeyEvent::from(KeyCode::Char(c))
    }

    fn typed(s: &mut SearchState, text: &str) {
        for c in text.chars() {
            assert_eq!(s.raw_key(&key(c)), Some(SearchOutcome::Changed));
        }
    }

    #[test]
    fn r30_typing_reruns_the_query_without_confidential_customers() {
        let idx = index();
        let mut s = SearchState::new(View::Queue, None);
        typed(&mut s, "zhang");
        assert!(s.stale);
        assert_eq!(s.run(&idx, false), vec![1]);
        assert_eq!(s.hits.iter().map(|h| h.id).collect::<Vec<_>>(), vec![1]);
        // Nothing new to load; a supervisor's query finds both.
        assert!(s.run(&idx, false).is_empty(), "not stale: no query");
        s.refresh();
        assert_eq!(s.run(&idx, true), vec![1, 2]);
        // Backspace edits, and q is typed, not "quit".
        assert!(s.raw_key(&KeyEvent::from(KeyCode::Backspace)).is_some());
        assert_eq!(s.input.text(), "zhan");
        typed(&mut s, "q");
        assert_eq!(s.input.text(), "zhanq");
    }

    #[test]
    fn r31_enter_asks_for_a_reason_unless_a_complaint_is_in_hand() {
        let idx = index();
        let mut s = SearchState::new(View::Detail, None);
        typed(&mut s, "lisi");
        s.run(&idx, false);
        assert_eq!(s.action(Action::Open), SearchOutcome::Changed);
        assert!(s.reason.is_some());
        // Empty or blank reasons are refused.
        typed(&mut s, "  ");
        assert_eq!(
            s.raw_key(&KeyEvent::from(KeyCode::Enter)),
            Some(SearchOutcome::Changed)
        );
        assert!(s.reason.as_ref().is_some_and(|r| r.error));
        typed(&mut s, "回访核实");
        assert_eq!(
            s.raw_key(&KeyEvent::from(KeyCode::Enter)),
            Some(SearchOutcome::Open {
                id: 3,
                purpose: Purpose::Reason("  回访核实".into())
            })
        );
        // Esc in the prompt closes the prompt only; Esc again leaves.
        s.action(Action::Open);
        assert_eq!(
            s.raw_key(&KeyEvent::from(KeyCode::Esc)),
            Some(SearchOutcome::Changed)
        );
        assert_eq!(s.action(Action::Back), SearchOutcome::Leave);

        let mut s = SearchState::new(
            View::Call,
            Some(InHand {
                complaint_id: 42,
                number: "C20260316-0042".into(),
                customer_id: Some(1),
            }),
        );
        typed(&mut s, "zs");
        s.run(&idx, false);
        assert_eq!(
            s.action(Action::Confirm),
            SearchOutcome::Open {
                id: 1,
                purpose: Purpose::Complaint(42)
            }
        );
        // Another customer's record is not "for this complaint": a reason
        // is asked (R31).
        s.input = TextArea::new(false, 100);
        typed(&mut s, "lisi");
        s.stale = true;
        s.run(&idx, false);
        assert_eq!(s.action(Action::Confirm), SearchOutcome::Changed);
        assert!(s.reason.is_some(), "a reason is asked");
    }
}
