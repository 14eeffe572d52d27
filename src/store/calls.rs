//! R17-R24: recording a call's outcome. The domain's `outcome::plan` says
//! what follows; this applies it — contact, transition, severity,
//! callbacks, draft — in the caller's one transaction.
use crate::store::text_col;
use rusqlite::{Connection, OptionalExtension, params};

use super::callbacks::{self, NewCallback};
use super::complaints::{self, Actor};
use super::{contacts, drafts, found};
use crate::domain::model::{
    CallbackPurpose, CallbackStatus, ContactMethod, Role, Severity, Status,
};
use crate::domain::outcome::{self, CallbackInHand, Choices, Effect};
use crate::domain::settings::Settings;
use crate::domain::survey::{self, Answer};
use crate::error::{Error, Result};
use crate::text::{clean_line, clean_multiline};

pub const MAX_NOTE: usize = 10_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeCode {
    pub code: String,
    pub effect: Effect,
    pub key: String,
    pub label_zh: String,
    pub label_en: String,
}

pub fn outcome_codes(c: &Connection) -> Result<Vec<OutcomeCode>> {
    let mut st = c.prepare_cached(
        "SELECT code, effect, key, label_zh, label_en FROM outcome_codes WHERE active = 1 ORDER BY sort, code",
    )?;
    let rows = st.query_map([], |r| {
        Ok((
            text_col(r, 0)?,
            text_col(r, 1)?,
            text_col(r, 2)?,
            text_col(r, 3)?,
            text_col(r, 4)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (code, effect, key, label_zh, label_en) = row?;
        // A code whose effect this version does not know is skipped, not fatal.
        if let Some(effect) = Effect::parse(&effect) {
            out.push(OutcomeCode {
                code,
                effect,
                key,
                label_zh,
                label_en,
            });
        }
    }
    Ok(out)
}

/// Everything the agent entered on the call screen.
#[derive(Debug, Clone)]
pub struct Recorded<'a> {
    pub complaint_id: i64,
    pub callback_id: Option<i64>,
    pub agent: i64,
    pub role: Role,
    pub code: &'a str,
    pub note: &'a str,
    /// R24: how the callback was made; a visit needs a signature.
    pub method: ContactMethod,
    pub signature: Option<&'a str>,
    pub survey: Option<Vec<Answer>>,
    pub choices: Choices,
    pub started_at: i64,
    /// R18: the draft this outcome completes, cleared with it.
    pub draft: Option<&'a str>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub contact_id: i64,
    pub effect: Effect,
    pub status: Status,
    pub scheduled: Option<i64>,
    pub survey_score: Option<u32>,
}

/// R17-R24: every consequence of one outcome in one transaction, in the
/// order the plan lists them: the contact, then the complaint, then the
/// callbacks.
pub fn record(c: &Connection, r: &Recorded<'_>, s: &Settings, t: i64) -> Result<Applied> {
    let now = crate::domain::instant(t);
    let (code, note, signature) = checked(c, r)?;
    let (status, severity, no_callback, customer): (String, String, bool, Option<i64>) = found(
        c.query_row(
            "SELECT status, severity, no_callback, customer_id FROM complaints WHERE id = ?1",
            [r.complaint_id],
            |x| Ok((x.get(0)?, x.get(1)?, x.get(2)?, x.get(3)?)),
        ),
        || format!("complaint #{}", r.complaint_id),
    )?;
    let status: Status = status.parse().map_err(Error::Database)?;
    let severity: Severity = severity.parse().map_err(Error::Database)?;
    let callback = match r.callback_id {
        Some(id) => Some(callback_in_hand(c, id, r.complaint_id)?),
        None => None,
    };
    let score = r.survey.as_deref().and_then(survey::score);
    let mut choices = r.choices.clone();
    choices.survey_score = score;
    let call = outcome::Call {
        status,
        severity,
        no_callback,
        callback,
        agent: r.agent,
    };
    let plan = outcome::plan(code.effect, &call, &choices, s, now)
        .map_err(|e| Error::invalid("outcome", e))?;
    let x = Recording {
        r,
        code: &code,
        note: &note,
        customer,
        callback,
        me: Actor {
            id: Some(r.agent),
            role: r.role,
        },
        t,
    };
    let contact_id = write_contact(c, &x, score, signature.as_deref())?;
    let new_status = apply_to_complaint(c, &x, &plan, status, s)?;
    let scheduled = apply_to_callbacks(c, &x, &plan, s)?;
    if let Some(ctx) = r.draft {
        drafts::clear(c, r.agent, ctx)?;
    }
    Ok(Applied {
        contact_id,
        effect: code.effect,
        status: new_status,
        scheduled,
        survey_score: score,
    })
}

/// One call being recorded, as the steps of [`record`] share it.
struct Recording<'a> {
    r: &'a Recorded<'a>,
    code: &'a OutcomeCode,
    note: &'a str,
    customer: Option<i64>,
    callback: Option<CallbackInHand>,
    me: Actor,
    t: i64,
}

/// The outcome code as configured, the cleaned note and signature; a visit
/// needs the customer's signature (R24).
fn checked(c: &Connection, r: &Recorded<'_>) -> Result<(OutcomeCode, String, Option<String>)> {
    let code = outcome_codes(c)?
        .into_iter()
        .find(|o| o.code == r.code)
        .ok_or_else(|| Error::invalid("outcome", format!("unknown outcome code {:?}", r.code)))?;
    let note = clean_multiline("note", r.note, MAX_NOTE)?;
    let signature = match r.signature {
        Some(sig) => Some(clean_line("signature", sig, 100)?).filter(|s| !s.is_empty()),
        None => None,
    };
    if r.method == ContactMethod::Visit && signature.is_none() {
        return Err(Error::invalid(
            "signature",
            "a visit needs the customer's signature (R24)",
        ));
    }
    Ok((code, note, signature))
}

/// The contact row, with its survey answers and signature.
fn write_contact(
    c: &Connection,
    x: &Recording<'_>,
    score: Option<u32>,
    signature: Option<&str>,
) -> Result<i64> {
    let r = x.r;
    let contact_id = contacts::record(
        c,
        &contacts::NewContact {
            complaint_id: Some(r.complaint_id),
            customer_id: x.customer,
            agent_id: Some(r.agent),
            inbound: x.callback.is_none(),
            method: r.method.code(),
            started_at: r.started_at,
            ended_at: Some(x.t),
            outcome: Some(&x.code.code),
            notes: x.note,
        },
    )?;
    c.execute(
        "UPDATE contacts SET callback_id = ?2, survey_answers = ?3, survey_score = ?4, signature = ?5 WHERE id = ?1",
        params![
            contact_id,
            r.callback_id,
            r.survey.as_ref().map(|a| a.iter().map(|x| x.code()).collect::<Vec<_>>().join(",")),
            score,
            signature
        ],
    )?;
    Ok(contact_id)
}

/// What the outcome does to the complaint: first response (R9), its
/// history, transition, severity, escalation, no-callback, transfer.
/// Returns the status it has now.
fn apply_to_complaint(
    c: &Connection,
    x: &Recording<'_>,
    plan: &outcome::Plan,
    status: Status,
    s: &Settings,
) -> Result<Status> {
    let (id, me, t) = (x.r.complaint_id, x.me, x.t);
    // Talking to the customer is the first response (R9).
    c.execute(
        "UPDATE complaints SET fr_at = coalesce(fr_at, ?2) WHERE id = ?1",
        params![id, t],
    )?;
    complaints::event(
        c,
        id,
        t,
        me.id,
        "outcome",
        (None, Some(&x.code.code)),
        x.note,
    )?;
    let mut new_status = status;
    if let Some(tr) = plan.transition {
        new_status = complaints::transition(c, id, tr, me, t, "")?;
    }
    if let Some(to) = plan.raise_to {
        complaints::change_severity(c, id, to, me, s, t)?;
    }
    if let Some(role) = plan.assign_role
        && let Some(to) = least_loaded(c, role)?
    {
        complaints::assign(c, id, to, me, t, "escalated")?;
    }
    if plan.mark_no_callback {
        c.execute("UPDATE complaints SET no_callback = 1 WHERE id = ?1", [id])?;
    }
    if let Some(d) = &plan.department {
        complaints::event(c, id, t, me.id, "transferred", (None, Some(d)), "")?;
    }
    Ok(new_status)
}

/// What the outcome does to callbacks: the one in hand finished or tried
/// again (R20), a new one scheduled (R21). Returns the new one's id.
fn apply_to_callbacks(
    c: &Connection,
    x: &Recording<'_>,
    plan: &outcome::Plan,
    s: &Settings,
) -> Result<Option<i64>> {
    let (r, me, t) = (x.r, x.me, x.t);
    if let (Some(cb), Some(st)) = (x.callback, plan.finish_callback) {
        finish(c, cb.id, st, r.method, t)?;
    }
    if let (Some(_), Some(at)) = (x.callback, plan.retry_at) {
        complaints::event(
            c,
            r.complaint_id,
            t,
            me.id,
            "callback_retry",
            (None, Some(&at.timestamp().to_string())),
            "",
        )?;
    }
    if let (Some(cb), Some(at)) = (x.callback, plan.retry_at) {
        c.execute(
            "UPDATE callbacks SET attempts = attempts + 1, due_at = ?2, method = ?3, updated_at = ?4,
                 version = version + 1 WHERE id = ?1",
            params![cb.id, at.timestamp(), r.method.code(), t],
        )?;
    }
    let Some(n) = &plan.schedule else {
        return Ok(None);
    };
    let id = callbacks::schedule(
        c,
        &NewCallback {
            complaint_id: r.complaint_id,
            customer_id: x.customer,
            due_at: n.due.timestamp(),
            purpose: n.purpose,
            route: n.route,
            max_attempts: s.max_attempts,
            note: String::new(),
        },
        t,
    )?;
    // The agreed time is part of the history (R21), in the UI's words.
    complaints::event(
        c,
        r.complaint_id,
        t,
        me.id,
        "callback_scheduled",
        (None, Some(&n.due.timestamp().to_string())),
        n.purpose.code(),
    )?;
    Ok(Some(id))
}

fn callback_in_hand(c: &Connection, id: i64, complaint: i64) -> Result<CallbackInHand> {
    let row: Option<(String, u32, u32, String, i64)> = c
        .query_row(
            "SELECT purpose, attempts, max_attempts, status, complaint_id FROM callbacks WHERE id = ?1",
            [id],
            |x| Ok((x.get(0)?, x.get(1)?, x.get(2)?, x.get(3)?, x.get(4)?)),
        )
        .optional()?;
    let (purpose, attempts, max_attempts, status, of) =
        row.ok_or_else(|| Error::NotFound(format!("callback #{id}")))?;
    if of != complaint {
        return Err(Error::invalid("callback", "belongs to another complaint"));
    }
    if status != CallbackStatus::Pending.code() {
        return Err(Error::invalid("callback", format!("is already {status}")));
    }
    Ok(CallbackInHand {
        id,
        purpose: purpose.parse().unwrap_or(CallbackPurpose::FollowUp),
        attempts,
        max_attempts,
    })
}

fn finish(
    c: &Connection,
    id: i64,
    st: CallbackStatus,
    method: ContactMethod,
    now: i64,
) -> Result<()> {
    c.execute(
        "UPDATE callbacks SET status = ?2, attempts = attempts + 1, method = ?3, updated_at = ?4,
             version = version + 1 WHERE id = ?1",
        params![id, st.code(), method.code(), now],
    )?;
    Ok(())
}

/// The active person with `role` who has the fewest open complaints.
fn least_loaded(c: &Connection, role: Role) -> Result<Option<i64>> {
    Ok(c
        .query_row(
            "SELECT a.id FROM agents a
             WHERE a.active = 1 AND a.role = ?1
             ORDER BY (SELECT count(*) FROM complaints x WHERE x.assignee_id = a.id AND x.status <> 'closed'), a.id
             LIMIT 1",
            [role.code()],
            |x| x.get(0),
        )
        .optional()?)
}
