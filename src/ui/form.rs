//! The intake form (R1, R2, R4, R5): for the customer in hand, a new
//! customer, or anonymous. Checked by the same `domain::intake` rules as
//! `hotline intake`; similar open complaints are listed so the report can
//! be attached instead (R5). The form is a draft until submitted (R18).
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use serde::{Deserialize, Serialize};

use super::textarea::TextArea;
use crate::domain::intake::{self, CustomerJson, IntakeJson, NewComplaint};
use crate::domain::model::{Channel, Severity};
use crate::error::Error;
use crate::store::complaints::Similar;

pub const DRAFT_KEY: &str = "form:new";

/// What the R5 list is loaded for.
pub type SimilarKey = crate::store::complaints::SimilarQuery;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Who,
    Name,
    Phone,
    /// A new customer's address and plate (R5: similar complaints match
    /// on them).
    Address,
    Plate,
    Channel,
    Category,
    Severity,
    Subject,
    Description,
    Attach,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Who {
    InHand,
    New,
    Anonymous,
}

/// Category rows: (code, parent code, zh, en).
pub type Category = crate::store::complaints::CategoryRow;

/// What opening the form loads: the categories and any saved draft.
pub type FormData = (Vec<Category>, Option<String>);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormState {
    /// The customer of the item selected when the form opened.
    pub in_hand: Option<(i64, String)>,
    pub who: Who,
    pub name: TextArea,
    pub phone: TextArea,
    pub address: TextArea,
    pub plate: TextArea,
    pub channel: usize,
    pub categories: Vec<Category>,
    pub category_filter: TextArea,
    pub category_pick: usize,
    pub severity: usize,
    pub subject: TextArea,
    pub description: TextArea,
    pub similar: Vec<Similar>,
    /// 0 = register a new complaint; i + 1 = attach to `similar[i]`.
    pub attach: usize,
    pub focus: Field,
    pub error: Option<String>,
    pub draft_restored: bool,
}

/// What a draft keeps of the form.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
struct Draft {
    who: Who,
    name: String,
    phone: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    plate: String,
    channel: usize,
    category: String,
    severity: usize,
    subject: String,
    description: String,
}

pub enum FormOutcome {
    Nothing,
    Changed,
    /// Something a draft or the similar list depends on changed.
    Edited,
    Leave,
    Submit(Box<NewComplaint>),
}

impl FormState {
    pub fn new(
        in_hand: Option<(i64, String)>,
        categories: Vec<Category>,
        draft: Option<&str>,
    ) -> FormState {
        let mut f = FormState {
            who: if in_hand.is_some() {
                Who::InHand
            } else {
                Who::New
            },
            in_hand,
            name: TextArea::new(false, 100),
            phone: TextArea::new(false, 40),
            address: TextArea::new(false, 200),
            plate: TextArea::new(false, 20),
            channel: 0,
            categories,
            category_filter: TextArea::new(false, 30),
            category_pick: 0,
            severity: 0,
            subject: TextArea::new(false, intake::MAX_SUBJECT),
            description: TextArea::new(true, intake::MAX_DESCRIPTION),
            similar: Vec::new(),
            attach: 0,
            focus: Field::Who,
            error: None,
            draft_restored: false,
        };
        if let Some(d) = draft.and_then(|d| serde_json::from_str::<Draft>(d).ok()) {
            f.who = if d.who == Who::InHand && f.in_hand.is_none() {
                Who::New
            } else {
                d.who
            };
            f.name = TextArea::with_text(&d.name, false, 100);
            f.phone = TextArea::with_text(&d.phone, false, 40);
            f.address = TextArea::with_text(&d.address, false, 200);
            f.plate = TextArea::with_text(&d.plate, false, 20);
            f.channel = d.channel.min(Channel::ALL.len() - 1);
            f.category_filter = TextArea::with_text(&d.category, false, 30);
            f.severity = d.severity.min(Severity::ALL.len() - 1);
            f.subject = TextArea::with_text(&d.subject, false, intake::MAX_SUBJECT);
            f.description = TextArea::with_text(&d.description, true, intake::MAX_DESCRIPTION);
            f.draft_restored = true;
        }
        f
    }

    pub fn draft(&self) -> String {
        let d = Draft {
            who: self.who,
            name: self.name.text(),
            phone: self.phone.text(),
            address: self.address.text(),
            plate: self.plate.text(),
            channel: self.channel,
            category: self.category_filter.text(),
            severity: self.severity,
            subject: self.subject.text(),
            description: self.description.text(),
        };
        serde_json::to_string(&d).unwrap_or_default()
    }

    pub fn fields(&self) -> Vec<Field> {
        let mut v = vec![Field::Who];
        if self.who == Who::New {
            v.extend([Field::Name, Field::Phone, Field::Address, Field::Plate]);
        }
        v.extend([
            Field::Channel,
            Field::Category,
            Field::Severity,
            Field::Subject,
            Field::Description,
        ]);
        if !self.similar.is_empty() {
            v.push(Field::Attach);
        }
        v
    }

    /// Categories whose code or name contains the filter text, tree order.
    pub fn matching_categories(&self) -> Vec<&Category> {
        let q = self.category_filter.text().to_lowercase();
        self.categories
            .iter()
            .filter(|c| {
                q.is_empty()
                    || c.0.contains(&q)
                    || c.2.contains(&q)
                    || c.3.to_lowercase().contains(&q)
            })
            .collect()
    }

    /// "Parent › Child" in the chosen language, so the tree reads in a list.
    pub fn path(&self, c: &Category, zh: bool) -> String {
        let name = |c: &Category| if zh { c.2.clone() } else { c.3.clone() };
        let parent =
            c.1.as_ref()
                .and_then(|p| self.categories.iter().find(|x| &x.0 == p));
        match parent {
            Some(p) => format!("{} › {}", name(p), name(c)),
            None => name(c),
        }
    }

    pub fn category(&self) -> Option<&Category> {
        self.matching_categories().get(self.category_pick).copied()
    }

    fn whos(&self) -> Vec<Who> {
        let mut v = Vec::new();
        if self.in_hand.is_some() {
            v.push(Who::InHand);
        }
        v.extend([Who::New, Who::Anonymous]);
        v
    }

    /// A customer found with the search becomes the customer in hand.
    pub fn pick_customer(&mut self, id: i64, name: String) {
        self.in_hand = Some((id, name));
        self.who = Who::InHand;
        self.focus = Field::Who;
        self.error = None;
    }

    /// What the similar-complaints list depends on (R5).
    pub fn similar_key(&self) -> SimilarKey {
        let customer = match self.who {
            Who::InHand => self.in_hand.as_ref().map(|c| c.0),
            _ => None,
        };
        let phone = match self.who {
            Who::New => crate::domain::phone::normalize(&self.phone.text()).ok(),
            _ => None,
        };
        let new = |t: &TextArea| {
            Some(t.text().trim().to_string()).filter(|s| self.who == Who::New && !s.is_empty())
        };
        crate::store::complaints::SimilarQuery {
            customer,
            phone,
            category: self.category().map(|c| c.0.clone()),
            subject_key: crate::domain::similar::subject_key(&self.subject.text()),
            plate: new(&self.plate)
                .and_then(|p| crate::domain::customer::normalize_plate("plate", &p).ok()),
            address: new(&self.address),
        }
    }

    fn cycle(&mut self, delta: i64) -> bool {
        let step = |i: usize, n: usize| ((i as i64 + delta).rem_euclid(n as i64)) as usize;
        match self.focus {
            Field::Who => {
                let whos = self.whos();
                let i = whos.iter().position(|w| *w == self.who).unwrap_or(0);
                self.who = whos[step(i, whos.len())];
            }
            Field::Channel => self.channel = step(self.channel, Channel::ALL.len()),
            Field::Severity => self.severity = step(self.severity, Severity::ALL.len()),
            Field::Category => {
                let n = self.matching_categories().len().max(1);
                self.category_pick = step(self.category_pick, n);
            }
            Field::Attach => self.attach = step(self.attach, self.similar.len() + 1),
            _ => return false,
        }
        true
    }

    fn text_field(&mut self) -> Option<&mut TextArea> {
        match self.focus {
            Field::Name => Some(&mut self.name),
            Field::Phone => Some(&mut self.phone),
            Field::Address => Some(&mut self.address),
            Field::Plate => Some(&mut self.plate),
            Field::Category => Some(&mut self.category_filter),
            Field::Subject => Some(&mut self.subject),
            Field::Description => Some(&mut self.description),
            _ => None,
        }
    }

    /// Typing into the focused field; Left/Right cycle a choice field.
    pub fn raw_key(&mut self, k: &KeyEvent) -> Option<FormOutcome> {
        let choice = matches!(
            self.focus,
            Field::Who | Field::Channel | Field::Severity | Field::Attach
        );
        if choice {
            return match k.code {
                KeyCode::Left => self.cycle(-1).then_some(FormOutcome::Edited),
                KeyCode::Right | KeyCode::Char(' ') => self.cycle(1).then_some(FormOutcome::Edited),
                _ => None,
            };
        }
        // Up/Down move between lines only in the description.
        if matches!(k.code, KeyCode::Up | KeyCode::Down | KeyCode::Enter)
            && self.focus != Field::Description
        {
            return None;
        }
        let focus = self.focus;
        let field = self.text_field()?;
        if field.key(k) {
            if focus == Field::Category {
                self.category_pick = 0;
            }
            self.error = None;
            return Some(FormOutcome::Edited);
        }
        None
    }

    fn move_focus(&mut self, delta: i64) {
        let f = self.fields();
        let i = f.iter().position(|x| *x == self.focus).unwrap_or(0) as i64;
        self.focus = f[((i + delta).rem_euclid(f.len() as i64)) as usize];
    }

    pub fn action(&mut self, a: crate::keymap::Action, tz: chrono_tz::Tz, now: i64) -> FormOutcome {
        use crate::keymap::Action as A;
        match a {
            A::NextPane | A::Confirm => self.move_focus(1),
            A::PrevPane => self.move_focus(-1),
            A::Up => {
                return if self.cycle(-1) {
                    FormOutcome::Edited
                } else {
                    FormOutcome::Nothing
                };
            }
            A::Down => {
                return if self.cycle(1) {
                    FormOutcome::Edited
                } else {
                    FormOutcome::Nothing
                };
            }
            A::Back => return FormOutcome::Leave,
            A::Save => {
                return match self.build(tz, now) {
                    Ok(nc) => FormOutcome::Submit(Box::new(nc)),
                    Err((field, msg)) => {
                        self.focus = field;
                        self.error = Some(msg);
                        FormOutcome::Changed
                    }
                };
            }
            _ => return FormOutcome::Nothing,
        }
        FormOutcome::Changed
    }

    /// Checks the form with the intake rules; an error names its field.
    pub fn build(&self, tz: chrono_tz::Tz, now: i64) -> Result<NewComplaint, (Field, String)> {
        let category = self.category().map(|c| c.0.clone()).unwrap_or_default();
        let (customer_id, customer, anonymous) = match self.who {
            Who::InHand => (self.in_hand.as_ref().map(|c| c.0), None, false),
            Who::Anonymous => (None, None, true),
            Who::New => (
                None,
                Some(CustomerJson {
                    name: self.name.text(),
                    phone: Some(self.phone.text()).filter(|p| !p.trim().is_empty()),
                    address: self.address.text(),
                    plate: Some(self.plate.text()).filter(|p| !p.trim().is_empty()),
                    ..CustomerJson::default()
                }),
                false,
            ),
        };
        let raw = IntakeJson {
            channel: Channel::ALL[self.channel].code().to_string(),
            category,
            severity: Some(Severity::ALL[self.severity].code().to_string()),
            major_reasons: vec![],
            subject: Some(self.subject.text()),
            description: Some(self.description.text()),
            received_at: None,
            customer_id,
            customer,
            anonymous,
            sensitive: false,
            duplicate_of: self
                .attach
                .checked_sub(1)
                .and_then(|i| self.similar.get(i))
                .map(|s| s.number.clone()),
        };
        intake::validate(raw, tz, crate::domain::instant(now)).map_err(|e| {
            let field = match &e {
                Error::Invalid { field, .. } => match field.as_str() {
                    "customer.name" => Field::Name,
                    "customer.phone" => Field::Phone,
                    "customer.address" => Field::Address,
                    f if f.starts_with("customer.plate") => Field::Plate,
                    "category" => Field::Category,
                    "subject" => Field::Subject,
                    "description" => Field::Description,
                    "customer" | "customer_id" => Field::Who,
                    _ => self.focus,
                },
                _ => self.focus,
            };
            (field, e.to_string())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keymap::Action;

    fn cats() -> Vec<Category> {
        crate::domain::category::DEFAULTS
            .iter()
            .map(|(c, p, zh, en)| {
                (
                    c.to_string(),
                    p.map(str::to_string),
                    zh.to_string(),
                    en.to_string(),
                )
            })
            .collect()
    }

    fn now() -> i64 {
        1_800_000_000
    }

    #[test]
    fn r1_missing_subject_is_named_and_focused() {
        let mut f = FormState::new(Some((3, "张三".into())), cats(), None);
        match f.action(Action::Save, chrono_tz::UTC, now()) {
            FormOutcome::Changed => {}
            _ => panic!("should not submit"),
        }
        assert_eq!(f.focus, Field::Subject);
        assert!(f.error.as_deref().unwrap().starts_with("subject:"));
        f.subject.insert_str("宽带断网");
        match f.action(Action::Save, chrono_tz::UTC, now()) {
            FormOutcome::Submit(nc) => {
                assert_eq!(
                    nc.complainant,
                    crate::domain::intake::Complainant::Existing(3)
                );
                assert_eq!(nc.category, "service");
            }
            _ => panic!("should submit"),
        }
    }

    #[test]
    fn category_filter_finds_by_chinese_or_english() {
        let mut f = FormState::new(None, cats(), None);
        f.category_filter.insert_str("态度");
        assert_eq!(f.category().unwrap().0, "attitude");
        f.category_filter = TextArea::with_text("outage", false, 30);
        assert_eq!(f.category().unwrap().0, "technical.outage");
    }

    #[test]
    fn r5_choosing_a_similar_complaint_attaches() {
        let mut f = FormState::new(Some((3, "张三".into())), cats(), None);
        f.subject.insert_str("又断网");
        f.similar = vec![Similar {
            id: 9,
            number: "C20261122-0009".into(),
            subject: "断网".into(),
            status: "new".into(),
            registered_at: 0,
            complainant_count: 1,
            reason: "customer".into(),
        }];
        f.focus = Field::Attach;
        f.action(Action::Down, chrono_tz::UTC, now());
        let nc = f.build(chrono_tz::UTC, now()).unwrap();
        assert_eq!(nc.duplicate_of.as_deref(), Some("C20261122-0009"));
    }

    #[test]
    fn r18_draft_round_trip() {
        let mut f = FormState::new(None, cats(), None);
        f.name.insert_str("李四");
        f.phone.insert_str("13900139000");
        f.description.insert_str("第一行\n第二行");
        let g = FormState::new(None, cats(), Some(&f.draft()));
        assert!(g.draft_restored);
        assert_eq!(g.description.text(), "第一行\n第二行");
        assert_eq!(g.who, Who::New);
        assert_eq!(g.phone.text(), "13900139000");
    }
}
