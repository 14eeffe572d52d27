//! Runs [`Effect`]s on the store thread and sends their answers back as
//! events. Errors become text in the agent's language.
use chrono::{Duration, TimeZone};
use tokio::sync::mpsc::UnboundedSender;

use super::app::{App, Effect, Event};
use crate::domain::model::Role;
use crate::domain::outcome::Choices;
use crate::domain::queue::Item;
use crate::domain::queue::ItemKind;
use crate::domain::status::Transition;
use crate::error::Error;
use crate::i18n::{Lang, Msg};
use crate::store::calls::{self, Recorded};
use crate::store::complaints::{self, Actor};
use crate::store::{Db, Store, agents, archive, callbacks, drafts, queue, scripts};

use super::call::CallData;

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

// One match over every effect; issue 13 gives each effect its own function.
#[allow(clippy::too_many_lines)]
pub fn spawn(fx: Vec<Effect>, app: &App, store: &Store, tx: &UnboundedSender<Event>) {
    for effect in fx {
        let store = store.clone();
        let tx = tx.clone();
        let me = app.me.clone();
        let actor = Actor {
            id: Some(me.id),
            role: me.role,
        };
        let lang = app.lang;
        let now = app.now;
        let horizon = end_of_today(now, app.tz);
        tokio::spawn(async move {
            let done = |r: Result<(), Error>, ok: Msg| {
                Event::Done(r.map(|_| ok).map_err(|e| describe(e, lang)))
            };
            let acted = |r: Result<(), Error>, ok: Msg, number: String| Event::Acted {
                number,
                result: r.map(|_| ok).map_err(|e| describe(e, lang)),
            };
            let ev = match effect {
                Effect::LoadQueue => Event::Queue(
                    store
                        .run(move |db| db.queue(me.id, me.role, horizon))
                        .await
                        .map_err(|e| describe(e, lang)),
                ),
                Effect::LoadDetail(id) => Event::Detail(
                    store
                        .run(move |db| db.read(|c| queue::detail(c, id)))
                        .await
                        .map_err(|e| describe(e, lang)),
                ),
                Effect::LoadAgents(complaint, number) => Event::Agents {
                    complaint: (complaint, number),
                    result: store
                        .run(move |db| db.read(|c| agents::list(c)))
                        .await
                        .map_err(|e| describe(e, lang)),
                },
                Effect::LoadDrafts => Event::Drafts(
                    store
                        .run(move |db| db.read(|c| drafts::list(c, me.id)))
                        .await
                        .map_err(|e| describe(e, lang)),
                ),
                Effect::CheckCall(id) => Event::CallChecked(
                    store
                        .run(move |db| db.read(|c| complaints::state(c, id)))
                        .await
                        .map_err(|e| describe(e, lang)),
                ),
                Effect::Release {
                    kind,
                    id,
                    complaint,
                    number,
                } => {
                    let r = store
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
                    acted(r, Msg::Released, number)
                }
                Effect::Claim { kind, id, number } => {
                    let r = store
                        .run(move |db| {
                            db.write(|c| match kind {
                                ItemKind::Complaint => complaints::claim(c, id, me.id, now),
                                ItemKind::Callback => callbacks::claim(c, id, me.id, me.role, now),
                            })
                        })
                        .await;
                    acted(r, Msg::Claimed, number)
                }
                Effect::Start { id, number } => {
                    let r = store
                        .run(move |db| {
                            db.write(|c| {
                                complaints::claim(c, id, me.id, now)?;
                                complaints::transition(c, id, Transition::Start, actor, now, "")?;
                                Ok(())
                            })
                        })
                        .await;
                    acted(r, Msg::Started, number)
                }
                Effect::SetSeverity {
                    id,
                    to,
                    number,
                    reason,
                } => {
                    let r = store
                        .run(move |db| {
                            db.write_with_settings(|c, s| {
                                let t =
                                    chrono::DateTime::from_timestamp(now, 0).unwrap_or_default();
                                let from = complaints::change_severity(c, id, to, actor, s, t)?;
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
                        result: r.map_err(|e| describe(e, lang)),
                    }
                }
                Effect::Acknowledge { id, number } => {
                    let r = store
                        .run(move |db| {
                            db.write(|c| complaints::acknowledge_major(c, id, actor, now))
                        })
                        .await;
                    acted(r, Msg::Acknowledged, number)
                }
                Effect::LoadCall(item) => Event::CallLoaded(Box::new(
                    store
                        .run(move |db| load_call(db, *item, me.id, me.role, now))
                        .await
                        .map_err(|e| describe(e, lang)),
                )),
                Effect::SaveDraft { context, body } => {
                    match store
                        .run(move |db| db.write(|c| drafts::save(c, me.id, &context, &body, now)))
                        .await
                    {
                        Ok(()) => return,
                        Err(e) => Event::Done(Err(describe(e, lang))),
                    }
                }
                Effect::RecordOutcome(s) => {
                    let r = store
                        .run(move |db| {
                            db.write_with_settings(|c, set| {
                                // R8: never record on a state the agent did
                                // not see (reassigned, closed, changed).
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
                                        next_at: s
                                            .next_at
                                            .and_then(|t| chrono::DateTime::from_timestamp(t, 0)),
                                        department: s.department.clone(),
                                        survey_score: None,
                                    },
                                    started_at: s.started_at,
                                    draft: Some(&s.draft),
                                };
                                let t =
                                    chrono::DateTime::from_timestamp(now, 0).unwrap_or_default();
                                let applied = calls::record(c, &recorded, set, t)?;
                                // The call screen is opened by `p`: the agent
                                // placed this call.
                                crate::store::contacts::set_outbound(c, applied.contact_id)
                            })
                        })
                        .await;
                    done(r, Msg::OutcomeRecorded)
                }
                Effect::AutoClose => {
                    // Its changes reach every screen through the poller.
                    let r = store
                        .run(move |db| {
                            db.write_with_settings(|c, s| complaints::auto_close(c, s, now))
                        })
                        .await;
                    if let Err(e) = r {
                        tracing::error!("auto-close (R22) failed: {e}");
                    }
                    return;
                }
                Effect::LoadForm => Event::FormLoaded(Box::new(
                    store
                        .run(move |db| {
                            db.read(|c| {
                                let cats = complaints::categories(c)?;
                                let draft =
                                    drafts::load(c, me.id, super::form::DRAFT_KEY)?.map(|d| d.0);
                                Ok((cats, draft))
                            })
                        })
                        .await
                        .map_err(|e| describe(e, lang)),
                )),
                Effect::LoadSimilar(q) => Event::Similar(
                    store
                        .run(move |db| db.read(|c| complaints::similar_open(c, &q)))
                        .await
                        .map_err(|e| describe(e, lang)),
                ),
                Effect::Register(nc) => Event::Registered(
                    store
                        .run(move |db| {
                            db.write_with_settings(|c, s| {
                                let t =
                                    chrono::DateTime::from_timestamp(now, 0).unwrap_or_default();
                                let r = complaints::register(c, &nc, actor, s, t)?;
                                drafts::clear(c, me.id, super::form::DRAFT_KEY)?;
                                Ok(r)
                            })
                        })
                        .await
                        .map_err(|e| describe(e, lang)),
                ),
                Effect::LoadSummaries(ids) => Event::Summaries(
                    store
                        .run(move |db| db.read(|c| archive::summaries(c, &ids, me.role)))
                        .await
                        .map_err(|e| describe(e, lang)),
                ),
                // R31: the audit entry and the reading in one transaction.
                Effect::OpenCustomer { id, purpose } => Event::CustomerLoaded(Box::new(
                    store
                        .run(move |db| db.write(|c| archive::open(c, id, &me, &purpose, now)))
                        .await
                        .map_err(|e| describe(e, lang)),
                )),
                Effect::LoadWallboard(with_month) => Event::Wallboard(Box::new(
                    store
                        .run(move |db| {
                            let sessions = crate::store::presence::open(db.path())
                                .and_then(|p| crate::store::presence::list(&p));
                            let mut f = db.read_with_settings(|c, s| {
                                crate::store::wallboard::facts(c, s, now, with_month)
                            })?;
                            f.sessions = sessions?;
                            Ok(f)
                        })
                        .await
                        .map_err(|e| describe(e, lang)),
                )),
                Effect::LoadReport(month) => Event::Report(Box::new(
                    store
                        .run(move |db| {
                            db.read_with_settings(|c, s| {
                                crate::store::report::monthly(c, s, month, now)
                            })
                        })
                        .await
                        .map_err(|e| describe(e, lang)),
                )),
                Effect::Reassign {
                    complaint,
                    to,
                    number,
                } => {
                    let r = store
                        .run(move |db| {
                            db.write(|c| complaints::reassign(c, complaint, to, actor, now, ""))
                        })
                        .await;
                    acted(r, Msg::Reassigned, number)
                }
            };
            let _ = tx.send(ev);
        });
    }
}
