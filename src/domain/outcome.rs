//! R17-R24: what recording an outcome causes. `plan` is pure: given the
//! call in hand, the outcome's effect and the settings, it says exactly
//! which transition, severity change, callbacks and counts follow; the
//! store then applies the plan in one transaction.
use chrono::{DateTime, Duration, Utc};

use super::callback::{self, Route};
use super::model::{CallbackPurpose, CallbackStatus, Role, Severity, Status};
use super::settings::Settings;
use super::status::{self, Transition};

/// The effect an outcome code has. Codes live in the database (defaults
/// below); each names one of these effects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Effect {
    Resolve,
    ResolveOnSpot,
    Escalate,
    Transfer,
    NoAnswer,
    NextCallback,
    Satisfied,
    NotSatisfied,
    WrongNumber,
    Refused,
}

impl Effect {
    pub const ALL: &'static [Effect] = &[
        Effect::Resolve,
        Effect::ResolveOnSpot,
        Effect::Escalate,
        Effect::Transfer,
        Effect::NoAnswer,
        Effect::NextCallback,
        Effect::Satisfied,
        Effect::NotSatisfied,
        Effect::WrongNumber,
        Effect::Refused,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Effect::Resolve => "resolve",
            Effect::ResolveOnSpot => "resolve_on_spot",
            Effect::Escalate => "escalate",
            Effect::Transfer => "transfer",
            Effect::NoAnswer => "no_answer",
            Effect::NextCallback => "next_callback",
            Effect::Satisfied => "satisfied",
            Effect::NotSatisfied => "not_satisfied",
            Effect::WrongNumber => "wrong_number",
            Effect::Refused => "refused",
        }
    }

    pub fn parse(s: &str) -> Option<Effect> {
        Effect::ALL.iter().copied().find(|e| e.code() == s)
    }

    /// Only meaningful on a callback (a survey or follow-up call).
    pub fn needs_callback(self) -> bool {
        matches!(
            self,
            Effect::NoAnswer
                | Effect::Satisfied
                | Effect::NotSatisfied
                | Effect::WrongNumber
                | Effect::Refused
        )
    }
}

/// Default outcome codes `init` creates: (code, effect, key, zh, en).
pub const DEFAULT_CODES: &[(&str, Effect, &str, &str, &str)] = &[
    ("resolved", Effect::Resolve, "1", "已解决", "Resolved"),
    (
        "resolved_on_spot",
        Effect::ResolveOnSpot,
        "2",
        "当场解决（客户确认）",
        "Resolved on the spot, confirmed",
    ),
    ("escalated", Effect::Escalate, "3", "升级处理", "Escalated"),
    (
        "transferred",
        Effect::Transfer,
        "4",
        "转交部门",
        "Transferred to a department",
    ),
    ("no_answer", Effect::NoAnswer, "5", "无人接听", "No answer"),
    (
        "next_callback",
        Effect::NextCallback,
        "6",
        "约定再次回访",
        "Call back at an agreed time",
    ),
    ("satisfied", Effect::Satisfied, "7", "回访满意", "Satisfied"),
    (
        "not_satisfied",
        Effect::NotSatisfied,
        "8",
        "回访不满意",
        "Not satisfied",
    ),
    (
        "wrong_number",
        Effect::WrongNumber,
        "9",
        "号码错误",
        "Wrong number",
    ),
    (
        "refused",
        Effect::Refused,
        "0",
        "客户拒绝回访",
        "Customer refused",
    ),
];

/// The callback being made, when the call is one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallbackInHand {
    pub id: i64,
    pub purpose: CallbackPurpose,
    pub attempts: u32,
    pub max_attempts: u32,
}

/// What the plan needs to know about the call in hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Call {
    pub status: Status,
    pub severity: Severity,
    /// R22: anonymous, no usable contact, or sensitive.
    pub no_callback: bool,
    pub callback: Option<CallbackInHand>,
    pub agent: i64,
}

/// Choices the agent made alongside the outcome code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Choices {
    /// R21: the agreed time of the next callback.
    pub next_at: Option<DateTime<Utc>>,
    /// The department a complaint is transferred to.
    pub department: Option<String>,
    /// R25: survey score out of 100, when a survey was taken.
    pub survey_score: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCallbackPlan {
    pub due: DateTime<Utc>,
    pub purpose: CallbackPurpose,
    pub route: Route,
}

/// Everything that follows from one outcome.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub transition: Option<Transition>,
    pub raise_to: Option<Severity>,
    /// Hand the complaint to the least-loaded person with this role.
    pub assign_role: Option<Role>,
    /// R22: this complaint needs no satisfaction callback.
    pub mark_no_callback: bool,
    /// Finish the callback in hand with this status (R20, R23).
    pub finish_callback: Option<CallbackStatus>,
    /// R20: the callback in hand is tried again at this time.
    pub retry_at: Option<DateTime<Utc>>,
    pub schedule: Option<NewCallbackPlan>,
    pub department: Option<String>,
}

/// Works out the consequences of `effect`, or says why it does not apply.
pub fn plan(
    effect: Effect,
    call: &Call,
    choices: &Choices,
    s: &Settings,
    now: DateTime<Utc>,
) -> Result<Plan, String> {
    if effect.needs_callback() && call.callback.is_none() {
        return Err(format!("{} applies to a callback only", effect.code()));
    }
    let mut p = Plan::default();
    let check = |t: Transition| status::apply(call.status, t).map(|_| Some(t));
    match effect {
        Effect::Resolve => {
            p.transition = check(Transition::Resolve)?;
            // R19, unless R22 says no callback is needed.
            if !call.no_callback {
                p.schedule = Some(NewCallbackPlan {
                    due: callback::survey_due(now, s.survey_due_hours),
                    purpose: CallbackPurpose::Survey,
                    route: callback::survey_route(call.severity),
                });
            }
            p.finish_callback = call.callback.map(|_| CallbackStatus::Done);
        }
        Effect::ResolveOnSpot => {
            p.transition = check(Transition::Resolve)?;
            p.mark_no_callback = true; // R22: closes by itself after the quiet period
            p.finish_callback = call.callback.map(|_| CallbackStatus::Done);
        }
        Effect::Escalate => {
            p.raise_to = match call.severity {
                Severity::General => Some(Severity::Important),
                Severity::Important => Some(Severity::Major),
                Severity::Major => None,
            };
            p.assign_role = Some(Role::Supervisor);
            if call.status == Status::New {
                p.transition = Some(Transition::Start);
            }
        }
        Effect::Transfer => {
            let d = choices.department.as_deref().map(str::trim).unwrap_or("");
            if d.is_empty() {
                return Err("choose the department it is transferred to".into());
            }
            p.department = Some(d.to_string());
            if call.status == Status::New {
                p.transition = Some(Transition::Start);
            }
        }
        Effect::NoAnswer => {
            let cb = call.callback.ok_or("no callback in hand")?;
            // R20: retry after the configured wait; the last failed attempt fails it.
            if cb.attempts + 1 >= cb.max_attempts {
                p.finish_callback = Some(CallbackStatus::Failed);
            } else {
                p.retry_at = Some(now + Duration::minutes(i64::from(s.retry_after_minutes)));
            }
        }
        Effect::NextCallback => {
            let at = choices.next_at.ok_or("choose when to call back")?;
            if at <= now {
                return Err("the next callback must be in the future".into());
            }
            // R21: the agent who agreed the time makes the call.
            p.schedule = Some(NewCallbackPlan {
                due: at,
                purpose: CallbackPurpose::FollowUp,
                route: Route::Agent(call.agent),
            });
            p.finish_callback = call.callback.map(|_| CallbackStatus::Done);
            if call.status == Status::New {
                p.transition = Some(Transition::Start);
            }
        }
        Effect::Satisfied => {
            // R23: closed when the callback confirms satisfaction.
            if let Some(score) = choices.survey_score
                && !super::survey::is_satisfied(score)
            {
                return Err(format!(
                    "the survey score {score} is below \"fair\": not satisfied"
                ));
            }
            p.transition = match call.status {
                Status::Resolved => Some(Transition::Close),
                Status::Closed => None,
                _ => check(Transition::Resolve)?,
            };
            p.finish_callback = Some(CallbackStatus::Done);
        }
        Effect::NotSatisfied => {
            // R23: reopened with its history intact.
            p.transition = match call.status {
                Status::Resolved | Status::Closed => Some(Transition::Reopen),
                _ => None,
            };
            p.finish_callback = Some(CallbackStatus::Done);
        }
        Effect::WrongNumber => p.finish_callback = Some(CallbackStatus::Failed),
        Effect::Refused => p.finish_callback = Some(CallbackStatus::Done),
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap()
    }

    fn call(status: Status, severity: Severity) -> Call {
        Call {
            status,
            severity,
            no_callback: false,
            callback: None,
            agent: 7,
        }
    }

    fn on_callback(status: Status, attempts: u32) -> Call {
        Call {
            callback: Some(CallbackInHand {
                id: 1,
                purpose: CallbackPurpose::Survey,
                attempts,
                max_attempts: 3,
            }),
            ..call(status, Severity::General)
        }
    }

    fn run(e: Effect, c: &Call) -> Result<Plan, String> {
        plan(e, c, &Choices::default(), &Settings::defaults(), now())
    }

    #[test]
    fn r19_resolve_schedules_a_survey_routed_by_severity() {
        for (sev, role) in [
            (Severity::General, Role::Agent),
            (Severity::Important, Role::Supervisor),
            (Severity::Major, Role::Manager),
        ] {
            let p = run(Effect::Resolve, &call(Status::InProgress, sev)).unwrap();
            assert_eq!(p.transition, Some(Transition::Resolve));
            let cb = p.schedule.unwrap();
            assert_eq!(cb.purpose, CallbackPurpose::Survey);
            assert_eq!(cb.route, Route::Role(role));
            assert_eq!(cb.due - now(), Duration::days(3));
        }
    }

    #[test]
    fn r22_no_survey_when_no_callback_is_needed() {
        let mut c = call(Status::InProgress, Severity::General);
        c.no_callback = true;
        assert_eq!(run(Effect::Resolve, &c).unwrap().schedule, None);
        let p = run(Effect::ResolveOnSpot, &call(Status::New, Severity::General)).unwrap();
        assert!(p.mark_no_callback && p.schedule.is_none());
        assert_eq!(p.transition, Some(Transition::Resolve));
    }

    #[test]
    fn r20_retry_after_two_hours_then_fail_on_the_third() {
        let p = run(Effect::NoAnswer, &on_callback(Status::Resolved, 0)).unwrap();
        assert_eq!(p.retry_at, Some(now() + Duration::hours(2)));
        assert_eq!(p.finish_callback, None);
        let p = run(Effect::NoAnswer, &on_callback(Status::Resolved, 1)).unwrap();
        assert!(p.retry_at.is_some());
        let p = run(Effect::NoAnswer, &on_callback(Status::Resolved, 2)).unwrap();
        assert_eq!(
            (p.retry_at, p.finish_callback),
            (None, Some(CallbackStatus::Failed))
        );
        assert!(run(Effect::NoAnswer, &call(Status::Resolved, Severity::General)).is_err());
    }

    #[test]
    fn r21_next_callback_at_the_agreed_time_to_the_same_agent() {
        let c = on_callback(Status::Resolved, 0);
        let at = now() + Duration::hours(20);
        let choices = Choices {
            next_at: Some(at),
            ..Choices::default()
        };
        let p = plan(
            Effect::NextCallback,
            &c,
            &choices,
            &Settings::defaults(),
            now(),
        )
        .unwrap();
        assert_eq!(
            p.schedule,
            Some(NewCallbackPlan {
                due: at,
                purpose: CallbackPurpose::FollowUp,
                route: Route::Agent(7)
            })
        );
        assert_eq!(p.finish_callback, Some(CallbackStatus::Done));
        assert!(
            run(Effect::NextCallback, &c).is_err(),
            "a time must be chosen"
        );
        let past = Choices {
            next_at: Some(now() - Duration::hours(1)),
            ..Choices::default()
        };
        assert!(
            plan(
                Effect::NextCallback,
                &c,
                &past,
                &Settings::defaults(),
                now()
            )
            .is_err()
        );
    }

    #[test]
    fn r23_satisfied_closes_not_satisfied_reopens() {
        let p = run(Effect::Satisfied, &on_callback(Status::Resolved, 0)).unwrap();
        assert_eq!(
            (p.transition, p.finish_callback),
            (Some(Transition::Close), Some(CallbackStatus::Done))
        );
        let p = run(Effect::NotSatisfied, &on_callback(Status::Resolved, 0)).unwrap();
        assert_eq!(p.transition, Some(Transition::Reopen));
        let low = Choices {
            survey_score: Some(30),
            ..Choices::default()
        };
        assert!(
            plan(
                Effect::Satisfied,
                &on_callback(Status::Resolved, 0),
                &low,
                &Settings::defaults(),
                now()
            )
            .is_err()
        );
    }

    #[test]
    fn escalate_raises_and_hands_to_a_supervisor() {
        let p = run(Effect::Escalate, &call(Status::New, Severity::General)).unwrap();
        assert_eq!(
            (p.raise_to, p.assign_role),
            (Some(Severity::Important), Some(Role::Supervisor))
        );
        let p = run(Effect::Escalate, &call(Status::InProgress, Severity::Major)).unwrap();
        assert_eq!(p.raise_to, None);
    }

    #[test]
    fn transfer_needs_a_department_and_keeps_it_open() {
        let c = call(Status::InProgress, Severity::General);
        assert!(run(Effect::Transfer, &c).is_err());
        let choices = Choices {
            department: Some("售后服务部".into()),
            ..Choices::default()
        };
        let p = plan(Effect::Transfer, &c, &choices, &Settings::defaults(), now()).unwrap();
        assert_eq!(
            (p.transition, p.department.as_deref()),
            (None, Some("售后服务部"))
        );
    }

    #[test]
    fn wrong_number_fails_refused_completes_and_resolve_needs_a_legal_state() {
        assert_eq!(
            run(Effect::WrongNumber, &on_callback(Status::Resolved, 0))
                .unwrap()
                .finish_callback,
            Some(CallbackStatus::Failed)
        );
        assert_eq!(
            run(Effect::Refused, &on_callback(Status::Resolved, 0))
                .unwrap()
                .finish_callback,
            Some(CallbackStatus::Done)
        );
        assert!(run(Effect::Resolve, &call(Status::Closed, Severity::General)).is_err());
    }

    #[test]
    fn every_default_code_has_a_distinct_key() {
        let mut keys: Vec<&str> = DEFAULT_CODES.iter().map(|c| c.2).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), DEFAULT_CODES.len());
        for e in Effect::ALL {
            assert_eq!(Effect::parse(e.code()), Some(*e));
        }
    }
}
