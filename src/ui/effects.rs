//! Runs [`Effect`]s on the store thread and sends their answers back as
//! events. Errors become text in the agent's language.
use chrono::{Duration, TimeZone};
use tokio::sync::mpsc::UnboundedSender;

use super::app::{App, Effect, Event};
use crate::domain::intake::NewComplaint;
use crate::domain::model::{Role, Severity};
use crate::domain::outcome::Choices;
use crate::domain::queue::Item;
use crate::domain::queue::ItemKind;
use crate::domain::status::Transition;
use crate::error::Error;
use crate::i18n::{Lang, Msg};
use crate::store::calls::{self, Recorded};
use crate::store::complaints::{self, Actor};
use crate::store::{Db, Store, agents, archive, callbacks, drafts, queue, scripts};

use super::call::{CallData, Submit};
use crate::store::complaints::SimilarQuery;

/// Claims the item (so two agents never call the same customer about it,
/// R7) and reads what the call screen needs, the draft included (R18).
fn load_call(
    db: &mut Db,
    item: Item,
    me: i64,
    role: Role,
    now: i64,
) -> Result<(Item, CallData), Error> {
    db.write_with_settings(|c, s| {
        match item.kind {
            ItemKind::Complaint => complaints::claim(c, item.id, me, now)?,
            ItemKind::Callback => callbacks::claim(c, item.id, me, role, now)?,
        }
        let data = CallData {
            scripts_zh: scripts::list(c, "zh")?,
            scripts_en: scripts::list(c, "en")?,
            codes: calls::outcome_codes(c)?,
            draft: drafts::load(c, me, &format!("call:{}", item.number))?.map(|d| d.0),
            center_zh: s.center_name_zh.clone(),
            center_en: s.center_name_en.clone(),
            questions: s.survey_questions.clone(),
            departments: s.departments.clone(),
            version: complaints::state(c, item.complaint_id)?.version,
            survey_due_hours: s.survey_due_hours,
            retry_after_minutes: s.retry_after_minutes,
        };
        Ok((item, data))
    })
}

fn describe(e: Error, lang: Lang) -> String {
    // Expected refusals are the user's business; anything else is logged
    // with its cause before it becomes a one-line flash.
    match &e {
        Error::Conflict { .. } | Error::Denied(_) | Error::Invalid { .. } => {
            tracing::info!("refused: {e}")
        }
        _ => tracing::error!("store operation failed: {e}"),
    }
    match e {
        Error::Conflict { by } => format!("{}{by}", Msg::TakenBy.text(lang)),
        Error::Denied(m) => format!("{}{m}", Msg::NotAllowed.text(lang)),
        e => format!("{}{e}", Msg::Failed.text(lang)),
    }
}

/// The end of the center's local day: callbacks due before it are shown.
pub(crate) fn end_of_today(now: i64, tz: chrono_tz::Tz) -> i64 {
    let local = tz.timestamp_opt(now, 0).single().map(|t| t.date_naive());
    local
        .and_then(|d| d.succ_opt())
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .and_then(|n| tz.from_local_datetime(&n).earliest())
        .map_or(now + Duration::hours(24).num_seconds(), |t| t.timestamp())
}

/// What every effect's function needs: the store, who acts, and when.
struct Ctx {
    store: Store,
    me: crate::store::agents::Agent,
    actor: Actor,
    lang: Lang,
    now: i64,
    /// The end of the center's day (callbacks due before it are listed).
    horizon: i64,
}

impl Ctx {
    /// A store error as the agent reads it.
    fn describe(&self, e: Error) -> String {
        describe(e, self.lang)
    }

    /// The answer to an action on one complaint, named by its number.
    fn acted(&self, r: Result<(), Error>, ok: Msg, number: String) -> Event {
        Event::Acted {
            number,
            result: r.map(|_| ok).map_err(|e| self.describe(e)),
        }
    }
}

/// Runs each effect as its own task; its answer (if it has one) comes
/// back on `tx`.
pub fn spawn(fx: Vec<Effect>, app: &App, store: &Store, tx: &UnboundedSender<Event>) {
    for effect in fx {
        let me = app.me.clone();
        let ctx = Ctx {
            store: store.clone(),
            actor: Actor {
                id: Some(me.id),
                role: me.role,
            },
            me,
            lang: app.lang,
            now: app.now,
            horizon: end_of_today(app.now, app.tz),
        };
        let tx = tx.clone();
        tokio::spawn(async move {
            if let Some(ev) = run(effect, ctx).await {
                let _ = tx.send(ev);
            }
        });
    }
}

/// One effect, by its own function; `None`: it has no answer to send.
async fn run(effect: Effect, ctx: Ctx) -> Option<Event> {
    Some(match effect {
        Effect::LoadQueue => load_queue(ctx).await,
        Effect::LoadDetail(id) => load_detail(ctx, id).await,
        Effect::LoadAgents(complaint, number) => load_agents(ctx, complaint, number).await,
        Effect::LoadDrafts => load_drafts(ctx).await,
        Effect::CheckCall(id) => check_call(ctx, id).await,
        Effect::Release {
            kind,
            id,
            complaint,
            number,
        } => release(ctx, kind, id, complaint, number).await,
        Effect::Claim { kind, id, number } => claim(ctx, kind, id, number).await,
        Effect::Start { id, number } => start(ctx, id, number).await,
        Effect::SetSeverity {
            id,
            to,
            number,
            reason,
        } => set_severity(ctx, id, to, number, reason).await,
        Effect::Acknowledge { id, number } => acknowledge(ctx, id, number).await,
        Effect::LoadCall(item) => load_call_screen(ctx, *item).await,
        Effect::SaveDraft { context, body } => return save_draft(ctx, context, body).await,
        Effect::RecordOutcome(s) => record_outcome(ctx, *s).await,
        Effect::AutoClose => {
            auto_close(ctx).await;
            return None;
        }
        Effect::LoadForm => load_form(ctx).await,
        Effect::LoadSimilar(q) => load_similar(ctx, *q).await,
        Effect::Register(nc) => register(ctx, *nc).await,
        Effect::LoadSummaries(ids) => load_summaries(ctx, ids).await,
        Effect::OpenCustomer { id, purpose } => open_customer(ctx, id, purpose).await,
        Effect::LoadWallboard(with_month) => load_wallboard(ctx, with_month).await,
        Effect::LoadReport(month) => load_report(ctx, month).await,
        Effect::Reassign {
            complaint,
            to,
            number,
        } => reassign(ctx, complaint, to, number).await,
    })
}

async fn load_queue(ctx: Ctx) -> Event {
    let (me, horizon) = (ctx.me.clone(), ctx.horizon);
    let r = ctx
        .store
        .run(move |db| db.queue(me.id, me.role, horizon))
        .await;
    Event::Queue(r.map_err(|e| ctx.describe(e)))
}

async fn load_detail(ctx: Ctx, id: i64) -> Event {
    let r = ctx
        .store
        .run(move |db| db.read(|c| queue::detail(c, id)))
        .await;
    Event::Detail(r.map_err(|e| ctx.describe(e)))
}

async fn load_agents(ctx: Ctx, complaint: i64, number: String) -> Event {
    let r = ctx.store.run(move |db| db.read(|c| agents::list(c))).await;
    Event::Agents {
        complaint: (complaint, number),
        result: r.map_err(|e| ctx.describe(e)),
    }
}

async fn load_drafts(ctx: Ctx) -> Event {
    let me = ctx.me.id;
    let r = ctx
        .store
        .run(move |db| db.read(|c| drafts::list(c, me)))
        .await;
    Event::Drafts(r.map_err(|e| ctx.describe(e)))
}

async fn check_call(ctx: Ctx, id: i64) -> Event {
    let r = ctx
        .store
        .run(move |db| db.read(|c| complaints::state(c, id)))
        .await;
    Event::CallChecked(r.map_err(|e| ctx.describe(e)))
}

async fn release(ctx: Ctx, kind: ItemKind, id: i64, complaint: i64, number: String) -> Event {
    let (me, now) = (ctx.me.clone(), ctx.now);
    let r = ctx
        .store
        .run(move |db| {
            db.write(|c| match kind {
                ItemKind::Complaint => complaints::release(c, id, me.id, now),
                ItemKind::Callback => {
                    callbacks::release(c, id, me.id, now)?;
                    complaints::event(
                        c,
                        complaint,
                        now,
                        Some(me.id),
                        "callback_released",
                        (Some(&me.name), None),
                        "",
                    )
                }
            })
        })
        .await;
    ctx.acted(r, Msg::Released, number)
}

async fn claim(ctx: Ctx, kind: ItemKind, id: i64, number: String) -> Event {
    let (me, now) = (ctx.me.clone(), ctx.now);
    let r = ctx
        .store
        .run(move |db| {
            db.write(|c| match kind {
                ItemKind::Complaint => complaints::claim(c, id, me.id, now),
                ItemKind::Callback => callbacks::claim(c, id, me.id, me.role, now),
            })
        })
        .await;
    ctx.acted(r, Msg::Claimed, number)
}

async fn start(ctx: Ctx, id: i64, number: String) -> Event {
    let (me, actor, now) = (ctx.me.id, ctx.actor, ctx.now);
    let r = ctx
        .store
        .run(move |db| {
            db.write(|c| {
                complaints::claim(c, id, me, now)?;
                complaints::transition(c, id, Transition::Start, actor, now, "")?;
                Ok(())
            })
        })
        .await;
    ctx.acted(r, Msg::Started, number)
}

async fn set_severity(
    ctx: Ctx,
    id: i64,
    to: Severity,
    number: String,
    reason: Option<String>,
) -> Event {
    let (actor, now) = (ctx.actor, ctx.now);
    let r = ctx
        .store
        .run(move |db| {
            db.write_with_settings(|c, s| {
                let from = complaints::change_severity(c, id, to, actor, s, now)?;
                if let Some(r) = &reason {
                    complaints::add_major_reason(c, id, r, actor, now)?;
                }
                Ok(if from > to {
                    Msg::SeverityLowered
                } else {
                    Msg::SeverityRaised
                })
            })
        })
        .await;
    Event::Acted {
        number,
        result: r.map_err(|e| ctx.describe(e)),
    }
}

async fn acknowledge(ctx: Ctx, id: i64, number: String) -> Event {
    let (actor, now) = (ctx.actor, ctx.now);
    let r = ctx
        .store
        .run(move |db| db.write(|c| complaints::acknowledge_major(c, id, actor, now)))
        .await;
    ctx.acted(r, Msg::Acknowledged, number)
}

async fn reassign(ctx: Ctx, complaint: i64, to: i64, number: String) -> Event {
    let (actor, now) = (ctx.actor, ctx.now);
    let r = ctx
        .store
        .run(move |db| db.write(|c| complaints::reassign(c, complaint, to, actor, now, "")))
        .await;
    ctx.acted(r, Msg::Reassigned, number)
}

async fn load_call_screen(ctx: Ctx, item: Item) -> Event {
    let (me, now) = (ctx.me.clone(), ctx.now);
    let r = ctx
        .store
        .run(move |db| load_call(db, item, me.id, me.role, now))
        .await;
    Event::CallLoaded(Box::new(r.map_err(|e| ctx.describe(e))))
}

/// A draft written quietly; only a failure is worth a message.
async fn save_draft(ctx: Ctx, context: String, body: String) -> Option<Event> {
    let (me, now) = (ctx.me.id, ctx.now);
    let r = ctx
        .store
        .run(move |db| db.write(|c| drafts::save(c, me, &context, &body, now)))
        .await;
    r.err().map(|e| Event::Done(Err(ctx.describe(e))))
}

async fn record_outcome(ctx: Ctx, s: Submit) -> Event {
    let (me, now) = (ctx.me.clone(), ctx.now);
    let r = ctx
        .store
        .run(move |db| {
            db.write_with_settings(|c, set| {
                // R8: never record on a state the agent did not see
                // (reassigned, closed, changed).
                if complaints::state(c, s.complaint_id)?.version != s.version {
                    return Err(Error::invalid(
                        "complaint",
                        "changed elsewhere since the call screen opened; leave and open it again",
                    ));
                }
                let recorded = Recorded {
                    complaint_id: s.complaint_id,
                    callback_id: s.callback_id,
                    agent: me.id,
                    role: me.role,
                    code: &s.code,
                    note: &s.note,
                    method: s.method,
                    signature: s.signature.as_deref(),
                    survey: s.survey.clone(),
                    choices: Choices {
                        next_at: s.next_at.map(crate::domain::instant),
                        department: s.department.clone(),
                        survey_score: None,
                    },
                    started_at: s.started_at,
                    draft: Some(&s.draft),
                };
                let applied = calls::record(c, &recorded, set, now)?;
                // The call screen is opened by `p`: the agent placed this
                // call.
                crate::store::contacts::set_outbound(c, applied.contact_id)
            })
        })
        .await;
    Event::Done(r.map(|_| Msg::OutcomeRecorded).map_err(|e| ctx.describe(e)))
}

/// R22; its changes reach every screen through the poller.
async fn auto_close(ctx: Ctx) {
    let now = ctx.now;
    let r = ctx
        .store
        .run(move |db| db.write_with_settings(|c, s| complaints::auto_close(c, s, now)))
        .await;
    if let Err(e) = r {
        tracing::error!("auto-close (R22) failed: {e}");
    }
}

async fn load_form(ctx: Ctx) -> Event {
    let me = ctx.me.id;
    let r = ctx
        .store
        .run(move |db| {
            db.read(|c| {
                let cats = complaints::categories(c)?;
                let draft = drafts::load(c, me, super::form::DRAFT_KEY)?.map(|d| d.0);
                Ok((cats, draft))
            })
        })
        .await;
    Event::FormLoaded(Box::new(r.map_err(|e| ctx.describe(e))))
}

async fn load_similar(ctx: Ctx, q: SimilarQuery) -> Event {
    let r = ctx
        .store
        .run(move |db| db.read(|c| complaints::similar_open(c, &q)))
        .await;
    Event::Similar(r.map_err(|e| ctx.describe(e)))
}

async fn register(ctx: Ctx, nc: NewComplaint) -> Event {
    let (me, actor, now) = (ctx.me.id, ctx.actor, ctx.now);
    let r = ctx
        .store
        .run(move |db| {
            db.write_with_settings(|c, s| {
                let r = complaints::register(c, &nc, actor, s, now)?;
                drafts::clear(c, me, super::form::DRAFT_KEY)?;
                Ok(r)
            })
        })
        .await;
    Event::Registered(r.map_err(|e| ctx.describe(e)))
}

async fn load_summaries(ctx: Ctx, ids: Vec<i64>) -> Event {
    let role = ctx.me.role;
    let r = ctx
        .store
        .run(move |db| db.read(|c| archive::summaries(c, &ids, role)))
        .await;
    Event::Summaries(r.map_err(|e| ctx.describe(e)))
}

/// R31: the audit entry and the reading in one transaction.
async fn open_customer(ctx: Ctx, id: i64, purpose: archive::Purpose) -> Event {
    let (me, now) = (ctx.me.clone(), ctx.now);
    let r = ctx
        .store
        .run(move |db| db.write(|c| archive::open(c, id, &me, &purpose, now)))
        .await;
    Event::CustomerLoaded(Box::new(r.map_err(|e| ctx.describe(e))))
}

async fn load_wallboard(ctx: Ctx, with_month: bool) -> Event {
    let now = ctx.now;
    let r = ctx
        .store
        .run(move |db| {
            let sessions = crate::store::presence::open(db.path())
                .and_then(|p| crate::store::presence::list(&p));
            let mut f = db
                .read_with_settings(|c, s| crate::store::wallboard::facts(c, s, now, with_month))?;
            f.sessions = sessions?;
            Ok(f)
        })
        .await;
    Event::Wallboard(Box::new(r.map_err(|e| ctx.describe(e))))
}

async fn load_report(ctx: Ctx, month: crate::domain::report::Month) -> Event {
    let now = ctx.now;
    let r = ctx
        .store
        .run(move |db| {
            db.read_with_settings(|c, s| crate::store::report::monthly(c, s, month, now))
        })
        .await;
    Event::Report(Box::new(r.map_err(|e| ctx.describe(e))))
}
