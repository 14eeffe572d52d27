//! The call screen's state (R15-R25): the script in use, the note being
//! written, and the outcome being chosen. Pure: keys in, a finished
//! [`Submit`] out when the agent confirms.
use chrono::{DateTime, TimeZone};
use ratatui::crossterm::event::{KeyCode, KeyEvent};

use super::textarea::TextArea;
use crate::domain::model::{CallbackPurpose, ContactMethod};
use crate::domain::outcome::Effect;
use crate::domain::queue::{Item, ItemKind};
use crate::domain::survey::{self, Answer};
use crate::store::calls::{MAX_NOTE, OutcomeCode};
use crate::store::scripts::Script;

/// 10:00 tomorrow in the center's zone: a time customers usually accept.
fn tomorrow_ten(now: i64, tz: chrono_tz::Tz) -> i64 {
    DateTime::from_timestamp(now, 0)
        .map(|t| tz.from_utc_datetime(&t.naive_utc()).date_naive())
        .and_then(|d| d.succ_opt())
        .and_then(|d| d.and_hms_opt(10, 0, 0))
        .and_then(|n| tz.from_local_datetime(&n).earliest())
        .map_or(now + 86_400, |t| t.timestamp())
}

/// What the store sends when a call screen opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallData {
    pub scripts_zh: Vec<Script>,
    pub scripts_en: Vec<Script>,
    pub codes: Vec<OutcomeCode>,
    pub draft: Option<String>,
    pub center_zh: String,
    pub center_en: String,
    pub questions: Vec<(String, String)>,
    pub departments: Vec<(String, String)>,
    /// The complaint's version once the call screen holds it (after the
    /// claim): any later change elsewhere makes the screen stale (R8).
    pub version: i64,
    /// R19/R20 settings, so the confirm box says what follows.
    pub survey_due_hours: u32,
    pub retry_after_minutes: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Idle,
    Editing,
    PickOutcome { idx: usize },
    Survey { answers: Vec<Answer> },
    PickTime { at: i64 },
    PickDepartment { idx: usize },
    Confirm,
}

/// The recorded outcome, ready for the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submit {
    pub complaint_id: i64,
    pub callback_id: Option<i64>,
    pub code: String,
    pub note: String,
    pub method: ContactMethod,
    pub signature: Option<String>,
    pub survey: Option<Vec<Answer>>,
    pub next_at: Option<i64>,
    pub department: Option<String>,
    pub started_at: i64,
    pub draft: String,
    /// The complaint version the agent saw; the store refuses the record
    /// if the complaint changed since.
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallState {
    pub item: Item,
    pub data: CallData,
    pub script: usize,
    pub scroll: u16,
    pub note: TextArea,
    pub step: Step,
    pub code: Option<usize>,
    pub answers: Vec<Answer>,
    pub next_at: Option<i64>,
    pub department: Option<usize>,
    pub method: ContactMethod,
    pub signature: TextArea,
    pub started_at: i64,
    pub draft_restored: bool,
    /// The note changed and is not saved as a draft yet (R18).
    pub draft_dirty: bool,
    /// The center's zone, for the agreed-time picker.
    pub tz: chrono_tz::Tz,
    /// What changed elsewhere since the screen opened: recording is
    /// refused until the agent reopens the complaint.
    pub stale: Option<String>,
    /// R23/R25: the outcome the survey answers point to when it is not the
    /// one the agent picked (the agent decides, nothing is replaced).
    pub survey_suggests: Option<usize>,
}

/// What follows a recorded outcome (shown before the agent confirms).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Follows {
    /// R19: a satisfaction callback due by this time.
    Survey(i64),
    /// R20: retried at this time, as attempt n of max.
    Retry(i64, i64, i64),
    /// R20: the last attempt: the callback is marked failed.
    Failed,
}

/// What a key did on the call screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallOutcome {
    Nothing,
    Changed,
    /// The note changed: save the draft soon.
    NoteChanged,
    Leave,
    Submit(Box<Submit>),
    /// The key is refused; the message says why.
    Refused(crate::i18n::Msg),
}

impl CallState {
    pub fn new(item: Item, data: CallData, now: i64, tz: chrono_tz::Tz) -> CallState {
        let draft = data.draft.clone();
        let script = if item.kind == ItemKind::Callback {
            Some("survey")
        } else {
            None
        };
        let mut s = CallState {
            item,
            script: 0,
            scroll: 0,
            note: TextArea::with_text(draft.as_deref().unwrap_or(""), true, MAX_NOTE),
            step: Step::Idle,
            code: None,
            answers: Vec::new(),
            next_at: None,
            department: None,
            method: ContactMethod::Phone,
            signature: TextArea::new(false, 100),
            started_at: now,
            draft_restored: draft.is_some(),
            draft_dirty: false,
            tz,
            stale: None,
            survey_suggests: None,
            data,
        };
        if let Some(kind) = script {
            s.script = s
                .data
                .scripts_zh
                .iter()
                .position(|x| x.kind == kind)
                .unwrap_or(0);
        }
        s
    }

    /// The context key drafts are saved under.
    pub fn draft_key(&self) -> String {
        format!("call:{}", self.item.number)
    }

    pub fn is_callback(&self) -> bool {
        self.item.kind == ItemKind::Callback
    }

    pub fn chosen(&self) -> Option<&OutcomeCode> {
        self.code.and_then(|i| self.data.codes.get(i))
    }

    /// The codes that apply here: callback-only outcomes only on callbacks.
    pub fn codes(&self) -> Vec<(usize, &OutcomeCode)> {
        self.data
            .codes
            .iter()
            .enumerate()
            .filter(|(_, c)| self.is_callback() || !c.effect.needs_callback())
            .collect()
    }

    /// What recording the chosen outcome sets in motion (R19, R20), for
    /// the confirm box: a survey due by, a retry at, or the end.
    pub fn what_follows(&self, now: i64) -> Option<Follows> {
        let code = self.chosen()?;
        match code.effect {
            Effect::Resolve if !self.item.anonymous => Some(Follows::Survey(
                now + i64::from(self.data.survey_due_hours) * 3600,
            )),
            Effect::NoAnswer if self.item.attempts.0 + 1 >= self.item.attempts.1 => {
                Some(Follows::Failed)
            }
            Effect::NoAnswer => Some(Follows::Retry(
                now + i64::from(self.data.retry_after_minutes) * 60,
                self.item.attempts.0 + 2,
                self.item.attempts.1,
            )),
            _ => None,
        }
    }

    pub fn survey_score(&self) -> Option<u32> {
        survey::score(&self.answers)
    }

    fn choose(&mut self, idx: usize, now: i64) {
        self.code = Some(idx);
        self.answers.clear();
        self.next_at = None;
        self.department = None;
        let effect = self.data.codes[idx].effect;
        let survey_call = self.item.purpose == Some(CallbackPurpose::Survey);
        self.step = match effect {
            Effect::Satisfied | Effect::NotSatisfied
                if survey_call && !self.data.questions.is_empty() =>
            {
                Step::Survey {
                    answers: Vec::new(),
                }
            }
            Effect::NextCallback => Step::PickTime {
                at: tomorrow_ten(now, self.tz),
            },
            Effect::Transfer => Step::PickDepartment { idx: 0 },
            _ => Step::Confirm,
        };
    }

    /// After the survey the outcome stays the one the agent picked (R23).
    /// When the answers point the other way (R25: fair or better is
    /// satisfied) the confirm box says so and offers the other outcome.
    fn finish_survey(&mut self, answers: Vec<Answer>) {
        self.answers = answers;
        self.survey_suggests = None;
        if let (Some(score), Some(picked)) = (self.survey_score(), self.chosen()) {
            let want = if survey::is_satisfied(score) {
                Effect::Satisfied
            } else {
                Effect::NotSatisfied
            };
            if picked.effect != want {
                self.survey_suggests = self.data.codes.iter().position(|c| c.effect == want);
            }
        }
        self.step = Step::Confirm;
    }

    /// R8: compares the complaint as it is now with what the screen
    /// opened on; any change elsewhere makes the screen stale.
    pub fn check(
        &mut self,
        st: &crate::store::complaints::State,
        me: i64,
        lang: crate::i18n::Lang,
    ) {
        use crate::i18n::Msg;
        if st.version == self.data.version || self.stale.is_some() {
            return;
        }
        let what = if st.assignee_id != Some(me) {
            match &st.assignee_name {
                Some(n) => format!(
                    "{} {}",
                    Msg::StaleReassigned.text(lang),
                    crate::text::for_display(n)
                ),
                None => Msg::StaleUnassigned.text(lang).to_string(),
            }
        } else if st.status != self.item.status.code() {
            let now = st
                .status
                .parse()
                .map(|s| crate::i18n::status(s, lang).to_string())
                .unwrap_or_else(|_| crate::text::for_display(&st.status).into_owned());
            format!("{} {now}", Msg::StaleStatus.text(lang))
        } else {
            Msg::StaleChanged.text(lang).to_string()
        };
        self.stale = Some(what);
        if self.step != Step::Editing {
            self.step = Step::Idle;
        }
    }

    fn submit(&self) -> Option<Submit> {
        let code = self.chosen()?;
        Some(Submit {
            complaint_id: self.item.complaint_id,
            callback_id: self.is_callback().then_some(self.item.id),
            code: code.code.clone(),
            note: self.note.text(),
            method: self.method,
            signature: (!self.signature.is_empty()).then(|| self.signature.text()),
            survey: (!self.answers.is_empty()).then(|| self.answers.clone()),
            next_at: self.next_at,
            department: self
                .department
                .and_then(|i| self.data.departments.get(i))
                .map(|d| d.0.clone()),
            started_at: self.started_at,
            draft: self.draft_key(),
            version: self.data.version,
        })
    }

    /// Keys that are not keymap actions: typing into the note, the pickers'
    /// own keys (outcome keys, 1-4 answers, m for method).
    pub fn raw_key(&mut self, k: &KeyEvent, now: i64) -> Option<CallOutcome> {
        match &mut self.step {
            Step::Editing => {
                if k.code == KeyCode::Esc {
                    self.step = Step::Idle;
                    return Some(CallOutcome::Changed);
                }
                if self.note.key(k) {
                    self.draft_dirty = true;
                    return Some(CallOutcome::NoteChanged);
                }
                None
            }
            Step::PickOutcome { .. } => {
                let KeyCode::Char(c) = k.code else {
                    return None;
                };
                let idx = self
                    .codes()
                    .into_iter()
                    .find(|(_, o)| o.key == c.to_string())
                    .map(|(i, _)| i)?;
                self.choose(idx, now);
                Some(CallOutcome::Changed)
            }
            Step::Survey { answers } => {
                match k.code {
                    KeyCode::Char(c) => {
                        let a = Answer::from_key(c)?;
                        answers.push(a);
                    }
                    KeyCode::Backspace => {
                        answers.pop();
                    }
                    _ => return None,
                }
                if answers.len() >= self.data.questions.len() {
                    let done = std::mem::take(answers);
                    self.finish_survey(done);
                }
                Some(CallOutcome::Changed)
            }
            Step::PickTime { at } => {
                match k.code {
                    KeyCode::Left => *at -= 86_400,
                    KeyCode::Right => *at += 86_400,
                    KeyCode::Up => *at += 1800,
                    KeyCode::Down => *at -= 1800,
                    _ => return None,
                }
                *at = (*at).max(now + 1800);
                Some(CallOutcome::Changed)
            }
            Step::Confirm => {
                // R23: the agent switches to the outcome the answers point
                // to, or keeps the one picked (Enter).
                if k.code == KeyCode::Tab
                    && let Some(i) = self.survey_suggests.take()
                {
                    self.code = Some(i);
                    return Some(CallOutcome::Changed);
                }
                if self.is_callback()
                    && k.code == KeyCode::Char('m')
                    && self.method != ContactMethod::Visit
                {
                    self.method = match self.method {
                        ContactMethod::Phone => ContactMethod::Message,
                        _ => ContactMethod::Visit,
                    };
                    return Some(CallOutcome::Changed);
                }
                if self.method == ContactMethod::Visit {
                    if k.code == KeyCode::Char('m') && self.signature.is_empty() {
                        self.method = ContactMethod::Phone;
                        return Some(CallOutcome::Changed);
                    }
                    return self.signature.key(k).then_some(CallOutcome::Changed);
                }
                None
            }
            _ => None,
        }
    }

    /// Keymap actions on the call screen (context Call, or Form while a
    /// picker is open).
    pub fn action(&mut self, a: crate::keymap::Action, now: i64) -> CallOutcome {
        use crate::keymap::Action as A;
        let n_scripts = self.data.scripts_zh.len().max(1);
        let n_codes = self.codes().len();
        let code_at = |i: usize| self.codes().get(i).map(|(c, _)| *c);
        let codes: Vec<Option<usize>> = (0..n_codes).map(code_at).collect();
        match (&mut self.step, a) {
            (Step::Idle, A::NextScript) => {
                self.script = (self.script + 1) % n_scripts;
                self.scroll = 0;
            }
            (Step::Idle, A::PrevScript) => {
                self.script = (self.script + n_scripts - 1) % n_scripts;
                self.scroll = 0;
            }
            (Step::Idle, A::ScrollDown | A::PageDown) => {
                self.scroll = self.scroll.saturating_add(2)
            }
            (Step::Idle, A::ScrollUp | A::PageUp) => self.scroll = self.scroll.saturating_sub(2),
            (Step::Idle, A::EditNote) => self.step = Step::Editing,
            (Step::Idle, A::PickOutcome | A::Save) => self.step = Step::PickOutcome { idx: 0 },
            (Step::Idle, A::Back) => return CallOutcome::Leave,
            (Step::PickOutcome { idx }, A::Up) => *idx = idx.saturating_sub(1),
            (Step::PickOutcome { idx }, A::Down) => {
                *idx = (*idx + 1).min(n_codes.saturating_sub(1))
            }
            (Step::PickOutcome { idx }, A::Confirm) => {
                if let Some(i) = codes.get(*idx).copied().flatten() {
                    self.choose(i, now);
                }
            }
            (Step::PickDepartment { idx }, A::Up) => *idx = idx.saturating_sub(1),
            (Step::PickDepartment { idx }, A::Down) => {
                *idx = (*idx + 1).min(self.data.departments.len().saturating_sub(1))
            }
            (Step::PickDepartment { idx }, A::Confirm) => {
                self.department = Some(*idx);
                self.step = Step::Confirm;
            }
            (Step::PickTime { at }, A::Confirm) => {
                self.next_at = Some(*at);
                self.step = Step::Confirm;
            }
            (Step::Confirm, A::Confirm | A::Save) => {
                // R23: "satisfied" is never recorded over answers below
                // fair; the agent switches (Tab) or goes back.
                if self.survey_suggests.is_some()
                    && self.chosen().map(|c| c.effect) == Some(Effect::Satisfied)
                {
                    return CallOutcome::Refused(crate::i18n::Msg::SurveyBelowFair);
                }
                return self
                    .submit()
                    .map_or(CallOutcome::Nothing, |s| CallOutcome::Submit(Box::new(s)));
            }
            (Step::Editing, A::Save) => self.step = Step::Idle,
            (_, A::Back) => self.step = Step::Idle,
            _ => return CallOutcome::Nothing,
        }
        CallOutcome::Changed
    }

    /// Values for the script placeholders (R16), from the record in hand.
    pub fn placeholder(
        &self,
        name: &str,
        me: &crate::store::agents::Agent,
        lang: crate::i18n::Lang,
        tz: chrono_tz::Tz,
        now: i64,
    ) -> Option<String> {
        let zh = lang == crate::i18n::Lang::Zh;
        let date = |t: i64| {
            DateTime::from_timestamp(t, 0).map(|d| {
                tz.from_utc_datetime(&d.naive_utc())
                    .format(if zh {
                        "%m月%d日 %H:%M"
                    } else {
                        "%b %d %H:%M"
                    })
                    .to_string()
            })
        };
        match name {
            "customer_name"
                if !self.item.anonymous
                    && crate::domain::privacy::may_see(me.role, self.item.confidential) =>
            {
                Some(crate::text::for_display(&self.item.customer_name).into_owned())
            }
            "agent_name" => Some(crate::text::for_display(&me.name).into_owned()),
            "agent_id" => Some(crate::text::for_display(&me.login).into_owned()),
            "complaint_no" => Some(self.item.number.clone()),
            // Never a time already past (a breached clock is not promised).
            "due_date" => Some(
                self.item
                    .promise_due(now)
                    .and_then(date)
                    .unwrap_or_else(|| crate::i18n::Msg::AsSoonAsPossible.text(lang).into()),
            ),
            "center_name" => Some(if zh {
                self.data.center_zh.clone()
            } else {
                self.data.center_en.clone()
            }),
            "category" => Some(if zh {
                self.item.category_zh.clone()
            } else {
                self.item.category_en.clone()
            })
            .filter(|s| !s.is_empty()),
            "today" => date(now).map(|d| d.split(' ').next().unwrap_or("").to_string()),
            _ => None,
        }
    }
}
