//! Realistic demo data, deterministic for a seed: Chinese and Latin
//! customers, complaints in every status, severity and channel with SLA
//! clocks in the past and future, callbacks due today and overdue, agents of
//! every role. Written through the same store functions the product uses.
use chrono::{DateTime, Duration, Utc};
use rusqlite::Connection;

use crate::domain::callback;
use crate::domain::customer::NewCustomer;
use crate::domain::intake::{Complainant, NewComplaint};
use crate::domain::model::{CallbackPurpose, Channel, CustomerClass, Role, Severity};
use crate::domain::settings::Settings;
use crate::domain::status::Transition;
use crate::error::Result;
use crate::store::callbacks::{self, NewCallback};
use crate::store::complaints::{self, Actor};
use crate::store::contacts::{self, NewContact};
use crate::store::{agents, customers};

pub mod words;
use words::*;

/// SplitMix64: tiny, fast, and the same sequence on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }
    pub fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len() as u64) as usize]
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    /// `n` random decimal digits.
    pub fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }
}

/// One synthetic customer (also used by benchmarks).
pub fn customer(rng: &mut Rng, i: u64) -> NewCustomer {
    let name = if rng.chance(88) {
        format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN))
    } else {
        format!("{} {}", rng.pick(LATIN_FIRST), rng.pick(LATIN_LAST))
    };
    let mut phones = vec![format!("1{}{}", 3 + rng.below(7), rng.digits(9))];
    if rng.chance(15) {
        phones.push(format!("0{}{}", 10 + rng.below(90), rng.digits(8)));
    }
    let (province, plate_prefix, cities) = rng.pick(PLACES);
    let city = rng.pick(cities);
    let address = format!(
        "{}{}{}{}{}号",
        if province == city { "" } else { province },
        city,
        rng.pick(DISTRICTS),
        rng.pick(STREETS),
        1 + rng.below(300)
    );
    let company = if rng.chance(35) {
        format!(
            "{}{}{}",
            &city[..city.len().saturating_sub(3)],
            rng.pick(COMPANY_WORDS),
            rng.pick(COMPANY_KINDS)
        )
    } else {
        String::new()
    };
    let plates = if rng.chance(30) {
        let letter = char::from(b'A' + rng.below(12) as u8);
        vec![format!("{plate_prefix}{letter}{}", rng.digits(5))]
    } else {
        vec![]
    };
    let class = match rng.below(100) {
        0..=4 => CustomerClass::A,
        5..=24 => CustomerClass::B,
        25..=74 => CustomerClass::C,
        _ => CustomerClass::D,
    };
    NewCustomer {
        name,
        phones,
        address,
        company,
        class: Some(class),
        plates,
        code: Some(format!("K{:08}", i + 1)),
        notes: if rng.chance(5) {
            "老客户，偏好下午联系".into()
        } else {
            String::new()
        },
        confidential: rng.chance(1),
    }
}

pub struct Plan {
    pub customers: u64,
    pub complaints: u64,
    pub seed: u64,
}

/// Seeds agents, then customers, then complaints with their history.
/// Runs inside one write transaction for speed; the caller commits.
pub fn seed(
    c: &Connection,
    s: &Settings,
    plan: &Plan,
    now: DateTime<Utc>,
    mut progress: impl FnMut(u64),
) -> Result<()> {
    let mut rng = Rng::new(plan.seed);
    let t = now.timestamp();
    let mut staff: Vec<(i64, Role)> = Vec::new();
    for (login, name, role) in AGENTS {
        let role: Role = role.parse().unwrap_or(Role::Agent);
        let id = match agents::by_login(c, login) {
            Ok(a) => a.id,
            Err(_) => agents::create(c, login, name, role, t - 90 * 86400)?,
        };
        staff.push((id, role));
    }
    let first_customer = crate::store::stats::counts(c)?.customers as u64;
    let mut ids = Vec::with_capacity(plan.customers as usize);
    for i in 0..plan.customers {
        let cu = customer(&mut rng, first_customer + i);
        let created = t - rng.below(3 * 365 * 86400) as i64;
        ids.push(customers::insert(c, &cu, created)?);
        if i % 10_000 == 0 {
            progress(i);
        }
    }
    let line_agents: Vec<i64> = staff
        .iter()
        .filter(|a| a.1 == Role::Agent)
        .map(|a| a.0)
        .collect();
    for _ in 0..plan.complaints {
        complaint(c, s, &mut rng, &ids, &line_agents, now)?;
    }
    Ok(())
}

// One complaint's life story drawn from one RNG stream: reordering the draws
// into helpers would change the demo data of every seed.
#[allow(clippy::too_many_lines)]
fn complaint(
    c: &Connection,
    s: &Settings,
    rng: &mut Rng,
    customers: &[i64],
    agents: &[i64],
    now: DateTime<Utc>,
) -> Result<()> {
    // A quarter arrived in the last 8 hours, the rest over three weeks.
    let age = if rng.chance(25) {
        rng.below(8 * 3600)
    } else {
        8 * 3600 + rng.below(21 * 86400)
    } as i64;
    let received = now - Duration::seconds(age);
    let registered = (received + Duration::seconds(rng.below(600) as i64)).min(now);
    let channel = *rng.pick(&[
        Channel::Phone,
        Channel::Phone,
        Channel::Phone,
        Channel::Phone,
        Channel::Phone,
        Channel::Web,
        Channel::Web,
        Channel::Email,
        Channel::Social,
        Channel::Visit,
        Channel::Letter,
        Channel::Transfer,
    ]);
    let (category, zh, en) = rng.pick(SUBJECTS);
    let subject = if rng.chance(85) {
        rng.pick(zh)
    } else {
        rng.pick(en)
    };
    let severity = match rng.below(100) {
        0..=74 => Severity::General,
        75..=92 => Severity::Important,
        _ => Severity::Major,
    };
    let anonymous = customers.is_empty() || rng.chance(3);
    let who = if anonymous {
        Complainant::Anonymous
    } else {
        Complainant::Existing(*rng.pick(customers))
    };
    let nc = NewComplaint {
        channel,
        category: category.to_string(),
        severity,
        major_reasons: if severity == Severity::Major {
            vec!["media".into()]
        } else {
            vec![]
        },
        subject: subject.to_string(),
        description: rng.pick(DESCRIPTIONS).to_string(),
        received_at: received,
        complainant: who,
        sensitive: rng.chance(2),
        duplicate_of: None,
    };
    let reg = complaints::register(c, &nc, Actor::SYSTEM, s, registered.timestamp())?;
    let customer_id = match nc.complainant {
        Complainant::Existing(id) => Some(id),
        _ => None,
    };
    let agent = *rng.pick(agents);
    let actor = Actor {
        id: Some(agent),
        role: Role::Agent,
    };
    let at =
        |frac: u64| (registered + Duration::seconds((age as u64 * frac / 100) as i64)).timestamp();
    if channel == Channel::Phone {
        contacts::record(
            c,
            &NewContact {
                complaint_id: Some(reg.id),
                customer_id,
                agent_id: Some(agent),
                inbound: true,
                method: "phone",
                started_at: registered.timestamp(),
                ended_at: Some(registered.timestamp() + 240),
                outcome: None,
                notes: "",
            },
        )?;
    }
    // Older complaints are further along.
    let stage = match (age / 86400, rng.below(100)) {
        (0, x) if x < 55 => 0,
        (0, x) if x < 90 => 1,
        (0, _) => 2,
        (1..=3, x) if x < 8 => 0,
        (1..=3, x) if x < 35 => 1,
        (1..=3, x) if x < 75 => 2,
        (1..=3, _) => 3,
        (_, x) if x < 4 => 1,
        (_, x) if x < 12 => 2,
        _ => 3,
    };
    if stage == 0 {
        if rng.chance(30) {
            complaints::claim(c, reg.id, agent, at(5))?;
        }
        return Ok(());
    }
    complaints::claim(c, reg.id, agent, at(3))?;
    complaints::transition(c, reg.id, Transition::Start, actor, at(10), "")?;
    if severity == Severity::Major && rng.chance(50) {
        complaints::acknowledge_major(
            c,
            reg.id,
            Actor {
                id: Some(agent),
                role: Role::Supervisor,
            },
            at(12),
        )?;
    }
    if stage == 1 {
        return Ok(());
    }
    let resolved = at(40);
    complaints::transition(c, reg.id, Transition::Resolve, actor, resolved, "")?;
    if customer_id.is_some() && !nc.sensitive {
        let due = callback::survey_due(crate::domain::instant(resolved), s.survey_due_hours);
        // Pull some due times to today so the queue has callbacks due now.
        let due = if rng.chance(40) {
            now - Duration::minutes(rng.below(300) as i64)
        } else {
            due
        };
        let id = callbacks::schedule(
            c,
            &NewCallback {
                complaint_id: reg.id,
                customer_id,
                due_at: due.timestamp(),
                purpose: CallbackPurpose::Survey,
                route: callback::survey_route(severity),
                max_attempts: s.max_attempts,
                note: String::new(),
            },
            resolved,
        )?;
        if stage == 3 {
            callbacks::finish_for_demo(c, id, "done", at(80))?;
            complaints::transition(c, reg.id, Transition::Close, actor, at(80), "")?;
        } else if due < now - Duration::days(1) || rng.chance(10) {
            // R20: long-overdue callbacks have used their attempts.
            callbacks::finish_for_demo(c, id, "failed", at(70))?;
        }
    } else if stage == 3 {
        complaints::transition(
            c,
            reg.id,
            Transition::Close,
            actor,
            at(90),
            "auto-close (R22)",
        )?;
    }
    Ok(())
}
