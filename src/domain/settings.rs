//! The settings in force: every number the rules give is a default here that
//! an administrator can change (shared/SPEC.md). Stored as key → text in
//! the `settings` table; parsing names the key at fault.
use std::collections::{BTreeMap, BTreeSet};

use chrono::{NaiveDate, NaiveTime};

use super::calendar::Calendar;
use super::model::Channel;
use super::sla::Target;

#[derive(Debug, Clone)]
pub struct Settings {
    pub calendar: Calendar,
    /// R9, per channel.
    pub first_response: BTreeMap<Channel, Target>,
    /// R10.
    pub solution: Target,
    /// R11.
    pub close: Target,
    /// R12.
    pub major_report: Target,
    /// R14: a clock is at risk once this share of its time is used.
    pub at_risk_percent: u8,
    /// R19: a satisfaction callback is due within this many hours.
    pub survey_due_hours: u32,
    /// R20.
    pub retry_after_minutes: u32,
    pub max_attempts: u32,
    /// R22.
    pub auto_close_days: u32,
    /// The earliest `received_at` taken: this many days before the database
    /// was created (backfilling an older register), never year 0.
    pub intake_backfill_days: u32,
    /// R26 targets, in percent (satisfaction is a score out of 100).
    pub target_satisfaction: u32,
    pub target_callback_success: u32,
    pub target_survey_completion: u32,
    pub target_resolution: u32,
    /// The center's name for scripts ({center_name}), per language.
    pub center_name_zh: String,
    pub center_name_en: String,
    /// R25: the survey questions, (zh, en).
    pub survey_questions: Vec<(String, String)>,
    /// Departments a complaint can be transferred to, (zh, en).
    pub departments: Vec<(String, String)>,
    /// Customer search treats southern-pinyin sounds as equal (模糊音:
    /// z/zh, c/ch, s/sh, n/l, f/h, r/l, an/ang, en/eng, in/ing); off by
    /// default, as in Chinese input methods.
    pub search_fuzzy_pinyin: bool,
    /// Agent presence (wallboard): idle and away after this long without a
    /// key, offline when a session has not beaten for this long.
    pub presence: super::presence::Thresholds,
}

const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// The defaults as key → text, in the order `hotline check` prints them.
pub fn default_pairs(tz: &str) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = vec![
        ("calendar.timezone".into(), tz.into()),
        ("calendar.weekdays".into(), "mon,tue,wed,thu,fri".into()),
        ("calendar.hours".into(), "09:00-18:00".into()),
        ("calendar.holidays".into(), String::new()),
        ("calendar.makeup_days".into(), String::new()),
    ];
    for c in Channel::ALL {
        let t = match c {
            Channel::Phone | Channel::Visit | Channel::Social => "same-working-day",
            Channel::Email | Channel::Web | Channel::Letter => "2wd",
            Channel::Transfer => "24h",
        };
        v.push((format!("sla.first_response.{}", c.code()), t.into()));
    }
    for (k, val) in [
        ("sla.solution", "1wd"),
        ("sla.close", "168h"),
        ("sla.major_report", "1wd"),
        ("sla.at_risk_percent", "80"),
        ("callback.survey_due_hours", "72"),
        ("callback.retry_after_minutes", "120"),
        ("callback.max_attempts", "3"),
        ("complaint.auto_close_days", "7"),
        ("intake.backfill_days", "365"),
        ("target.satisfaction", "90"),
        ("target.callback_success", "50"),
        ("target.survey_completion", "60"),
        ("target.resolution", "95"),
        ("search.fuzzy_pinyin", "off"),
        ("presence.idle_minutes", "5"),
        ("presence.away_minutes", "15"),
        ("presence.offline_seconds", "60"),
        ("center.name_zh", "客户服务中心"),
        ("center.name_en", "Customer Service Center"),
        (
            "survey.questions",
            "您对问题的处理结果是否满意|How satisfied are you with the outcome?;\
             您对我们的服务态度是否满意|How satisfied are you with our attitude?;\
             您对处理速度是否满意|How satisfied are you with how fast it was handled?",
        ),
        (
            "departments",
            "技术支持部|Technical support;售后服务部|After-sales service;财务部|Finance;\
             物流配送部|Logistics;质量管理部|Quality management",
        ),
    ] {
        v.push((k.into(), val.into()));
    }
    v
}

fn bad(key: &str, value: &str, why: impl std::fmt::Display) -> String {
    format!("setting {key} = {value:?}: {why}")
}

fn dates(key: &str, value: &str) -> Result<BTreeSet<NaiveDate>, String> {
    value
        .split([',', ' ', '\n'])
        .filter(|s| !s.trim().is_empty())
        .map(|s| {
            NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
                .map_err(|_| bad(key, value, format!("{s:?} is not a date YYYY-MM-DD")))
        })
        .collect()
}

/// `zh|en;zh|en;...` lists (survey questions, departments).
fn pairs_list(key: &str, value: &str) -> Result<Vec<(String, String)>, String> {
    value
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|item| {
            let (zh, en) = item
                .split_once('|')
                .ok_or_else(|| bad(key, value, format!("{item:?} is not \"中文|English\"")))?;
            Ok((zh.trim().to_string(), en.trim().to_string()))
        })
        .collect()
}

fn on_off(key: &str, value: &str) -> Result<bool, String> {
    match value.trim().to_ascii_lowercase().as_str() {
        "on" | "true" | "yes" | "1" => Ok(true),
        "off" | "false" | "no" | "0" => Ok(false),
        _ => Err(bad(key, value, "must be on or off")),
    }
}

fn number<T>(key: &str, value: &str, lo: T, hi: T) -> Result<T, String>
where
    T: std::str::FromStr + PartialOrd + std::fmt::Display,
{
    let n: T = value
        .trim()
        .parse()
        .map_err(|_| bad(key, value, "not a whole number"))?;
    if n < lo || n > hi {
        return Err(bad(key, value, format!("must be between {lo} and {hi}")));
    }
    Ok(n)
}

fn presence<'a>(get: &impl Fn(&str) -> &'a str) -> Result<super::presence::Thresholds, String> {
    let (i, a, o) = (
        "presence.idle_minutes",
        "presence.away_minutes",
        "presence.offline_seconds",
    );
    let idle: i64 = number(i, get(i), 1, 24 * 60)?;
    let away: i64 = number(a, get(a), 1, 24 * 60)?;
    if away <= idle {
        return Err(bad(a, get(a), format!("must be longer than {i} ({idle})")));
    }
    Ok(super::presence::Thresholds {
        idle: idle * 60,
        away: away * 60,
        offline: number(o, get(o), 3, 3600)?,
    })
}

impl Settings {
    /// Builds settings from stored pairs laid over the defaults. Unknown keys
    /// and bad values are errors naming the key.
    // One line per setting, read in the order of the table above; it grows
    // by a line with every setting a rule adds.
    #[allow(clippy::too_many_lines)]
    pub fn from_pairs(pairs: &[(String, String)]) -> Result<Settings, String> {
        let mut map: BTreeMap<String, String> = default_pairs("UTC").into_iter().collect();
        for (k, v) in pairs {
            if !map.contains_key(k) {
                return Err(format!("unknown setting {k:?}"));
            }
            map.insert(k.clone(), v.clone());
        }
        let get = |k: &str| map.get(k).map(String::as_str).unwrap_or("");
        let target = |k: &str| -> Result<Target, String> {
            get(k).parse::<Target>().map_err(|e| bad(k, get(k), e))
        };
        let tz_text = get("calendar.timezone");
        let tz: chrono_tz::Tz = tz_text
            .parse()
            .map_err(|_| bad("calendar.timezone", tz_text, "not an IANA time zone name"))?;
        let mut weekdays = [false; 7];
        for w in get("calendar.weekdays")
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            let i = WEEKDAYS
                .iter()
                .position(|d| d.eq_ignore_ascii_case(w))
                .ok_or_else(|| {
                    bad(
                        "calendar.weekdays",
                        get("calendar.weekdays"),
                        format!("{w:?} is not mon..sun"),
                    )
                })?;
            weekdays[i] = true;
        }
        let hours = get("calendar.hours");
        let (a, b) = hours
            .split_once('-')
            .ok_or_else(|| bad("calendar.hours", hours, "expected HH:MM-HH:MM"))?;
        let time = |s: &str| {
            NaiveTime::parse_from_str(s.trim(), "%H:%M")
                .map_err(|_| bad("calendar.hours", hours, format!("{s:?} is not HH:MM")))
        };
        let calendar = Calendar {
            tz,
            weekdays,
            day_start: time(a)?,
            day_end: time(b)?,
            holidays: dates("calendar.holidays", get("calendar.holidays"))?,
            makeup_days: dates("calendar.makeup_days", get("calendar.makeup_days"))?,
        };
        calendar.validate().map_err(|e| format!("calendar: {e}"))?;
        let mut first_response = BTreeMap::new();
        for c in Channel::ALL {
            first_response.insert(*c, target(&format!("sla.first_response.{}", c.code()))?);
        }
        Ok(Settings {
            calendar,
            first_response,
            solution: target("sla.solution")?,
            close: target("sla.close")?,
            major_report: target("sla.major_report")?,
            at_risk_percent: number("sla.at_risk_percent", get("sla.at_risk_percent"), 1, 99)?,
            survey_due_hours: number(
                "callback.survey_due_hours",
                get("callback.survey_due_hours"),
                1,
                24 * 60,
            )?,
            retry_after_minutes: number(
                "callback.retry_after_minutes",
                get("callback.retry_after_minutes"),
                1,
                24 * 60 * 7,
            )?,
            max_attempts: number("callback.max_attempts", get("callback.max_attempts"), 1, 20)?,
            auto_close_days: number(
                "complaint.auto_close_days",
                get("complaint.auto_close_days"),
                1,
                365,
            )?,
            intake_backfill_days: number(
                "intake.backfill_days",
                get("intake.backfill_days"),
                0,
                36_500,
            )?,
            target_satisfaction: number("target.satisfaction", get("target.satisfaction"), 0, 100)?,
            target_callback_success: number(
                "target.callback_success",
                get("target.callback_success"),
                0,
                100,
            )?,
            target_survey_completion: number(
                "target.survey_completion",
                get("target.survey_completion"),
                0,
                100,
            )?,
            target_resolution: number("target.resolution", get("target.resolution"), 0, 100)?,
            center_name_zh: get("center.name_zh").to_string(),
            center_name_en: get("center.name_en").to_string(),
            survey_questions: pairs_list("survey.questions", get("survey.questions"))?,
            departments: pairs_list("departments", get("departments"))?,
            search_fuzzy_pinyin: on_off("search.fuzzy_pinyin", get("search.fuzzy_pinyin"))?,
            presence: presence(&get)?,
        })
    }

    // The defaults parse by construction (a unit test proves it); a failure
    // here is a bug in this file, not bad data.
    #[allow(clippy::panic)]
    pub fn defaults() -> Settings {
        Settings::from_pairs(&[]).unwrap_or_else(|e| panic!("default settings: {e}"))
    }

    /// R9: the first-response target for a channel.
    pub fn first_response_target(&self, ch: Channel) -> Target {
        self.first_response
            .get(&ch)
            .copied()
            .unwrap_or(Target::Hours(24))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(k: &str, v: &str) -> Result<Settings, String> {
        Settings::from_pairs(&[(k.to_string(), v.to_string())])
    }

    #[test]
    fn defaults_follow_the_rules() {
        let s = Settings::defaults();
        // R9
        assert_eq!(
            s.first_response_target(Channel::Phone),
            Target::SameWorkingDay
        );
        assert_eq!(
            s.first_response_target(Channel::Visit),
            Target::SameWorkingDay
        );
        assert_eq!(
            s.first_response_target(Channel::Social),
            Target::SameWorkingDay
        );
        assert_eq!(
            s.first_response_target(Channel::Email),
            Target::WorkingDays(2)
        );
        assert_eq!(
            s.first_response_target(Channel::Letter),
            Target::WorkingDays(2)
        );
        assert_eq!(
            s.first_response_target(Channel::Transfer),
            Target::Hours(24)
        );
        assert_eq!(s.solution, Target::WorkingDays(1)); // R10
        assert_eq!(s.close, Target::Hours(168)); // R11
        assert_eq!(s.major_report, Target::WorkingDays(1)); // R12
        assert_eq!(s.at_risk_percent, 80); // R14
        assert_eq!(
            (s.survey_due_hours, s.retry_after_minutes, s.max_attempts),
            (72, 120, 3)
        );
        assert!(s.calendar.weekdays[..5].iter().all(|d| *d) && !s.calendar.weekdays[5]);
        assert_eq!(s.survey_questions.len(), 3); // R25
        // R26 default targets.
        assert_eq!(
            (
                s.target_satisfaction,
                s.target_callback_success,
                s.target_survey_completion,
                s.target_resolution
            ),
            (90, 50, 60, 95)
        );
        assert!(s.departments.iter().any(|d| d.1 == "After-sales service"));
        // Issue 14: southern pinyin is off unless an administrator turns it on.
        assert!(!s.search_fuzzy_pinyin);
        assert!(
            with("search.fuzzy_pinyin", "on")
                .unwrap()
                .search_fuzzy_pinyin
        );
        assert!(
            !with("search.fuzzy_pinyin", "OFF")
                .unwrap()
                .search_fuzzy_pinyin
        );
    }

    #[test]
    fn bad_values_name_the_key() {
        for (k, v) in [
            ("sla.solution", "3x"),
            ("calendar.timezone", "Mars/Base"),
            ("calendar.hours", "18:00-09:00"),
            ("calendar.weekdays", "mon,fun"),
            ("calendar.holidays", "2026-13-01"),
            ("sla.at_risk_percent", "150"),
            ("search.fuzzy_pinyin", "maybe"),
        ] {
            let e = with(k, v).unwrap_err();
            assert!(e.contains(k) || e.starts_with("calendar:"), "{k}: {e}");
        }
        assert!(
            with("no.such", "1")
                .unwrap_err()
                .contains("unknown setting")
        );
    }

    #[test]
    fn r13_calendar_lists_parse() {
        let s = Settings::from_pairs(&[
            ("calendar.holidays".into(), "2026-10-01, 2026-10-02".into()),
            ("calendar.makeup_days".into(), "2026-10-10".into()),
            ("calendar.timezone".into(), "Asia/Shanghai".into()),
        ])
        .unwrap();
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert!(!s.calendar.is_working_day(d("2026-10-01")));
        assert!(s.calendar.is_working_day(d("2026-10-10"))); // a Saturday
    }
}
