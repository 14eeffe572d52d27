//! R28 monthly report and R26 figures as one computed value: the store
//! counts, this module turns counts into rates, marks and trends. Every
//! output format (text, CSV, HTML, JSON) is drawn from [`Report`], so they
//! cannot disagree. Time is a parameter (`now`, the center's zone).
use chrono::{Datelike, NaiveDate, TimeZone};
use serde::Serialize;

use super::settings::Settings;

/// A calendar month in the center's zone, as UTC instants `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Month {
    pub year: i32,
    pub month: u32,
    pub start: i64,
    pub end: i64,
}

impl Month {
    pub fn new(year: i32, month: u32, tz: chrono_tz::Tz) -> Option<Month> {
        let first = NaiveDate::from_ymd_opt(year, month, 1)?;
        let next = if month == 12 {
            NaiveDate::from_ymd_opt(year.checked_add(1)?, 1, 1)?
        } else {
            NaiveDate::from_ymd_opt(year, month + 1, 1)?
        };
        Some(Month {
            year,
            month,
            start: local_midnight(first, tz)?,
            end: local_midnight(next, tz)?,
        })
    }

    /// The month holding the instant `t`.
    pub fn of(t: i64, tz: chrono_tz::Tz) -> Option<Month> {
        let d = tz.timestamp_opt(t, 0).single()?.date_naive();
        Month::new(d.year(), d.month(), tz)
    }

    pub fn prev(self, tz: chrono_tz::Tz) -> Option<Month> {
        if self.month == 1 {
            Month::new(self.year - 1, 12, tz)
        } else {
            Month::new(self.year, self.month - 1, tz)
        }
    }

    /// `YYYY-MM`.
    pub fn label(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// `YYYYMM`, the month's id in the audit log.
    pub fn id(self) -> i64 {
        i64::from(self.year) * 100 + i64::from(self.month)
    }
}

pub(crate) fn local_midnight(d: NaiveDate, tz: chrono_tz::Tz) -> Option<i64> {
    let n = d.and_hms_opt(0, 0, 0)?;
    Some(tz.from_local_datetime(&n).earliest()?.timestamp())
}

/// `--month YYYY-MM|last`. A month that has not begun is refused; the
/// current month is "so far".
pub fn parse_month(s: &str, now: i64, tz: chrono_tz::Tz) -> Result<Month, String> {
    let this = Month::of(now, tz).ok_or("the clock is out of range")?;
    let t = s.trim();
    if t.eq_ignore_ascii_case("last") {
        return this
            .prev(tz)
            .ok_or_else(|| "no month before this one".into());
    }
    if t.eq_ignore_ascii_case("this") {
        return Ok(this);
    }
    let bad = || format!("{s:?}: expected YYYY-MM (e.g. 2026-11) or \"last\"");
    let (y, m) = t.split_once('-').ok_or_else(bad)?;
    if y.len() != 4 || m.len() != 2 || !(y.bytes().chain(m.bytes())).all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let (y, m): (i32, u32) = (y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if !(1..=12).contains(&m) {
        return Err(format!("{s:?}: there is no month {m}"));
    }
    let month = Month::new(y, m, tz).ok_or_else(bad)?;
    if month.start > now {
        return Err(format!(
            "{s:?} has not begun yet (this month is {})",
            this.label()
        ));
    }
    Ok(month)
}

/// `--year YYYY`: a year that has begun.
pub fn parse_year(s: &str, now: i64, tz: chrono_tz::Tz) -> Result<i32, String> {
    let t = s.trim();
    let y: i32 = t
        .parse()
        .ok()
        .filter(|_| t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| format!("{s:?}: expected a year YYYY (e.g. 2026)"))?;
    let this = Month::of(now, tz).ok_or("the clock is out of range")?;
    if y > this.year {
        return Err(format!("{y} has not begun yet (this is {})", this.year));
    }
    Month::new(y, 1, tz).ok_or_else(|| format!("{y}: out of range"))?;
    Ok(y)
}

/// One count with its key and both names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Count {
    pub key: String,
    pub zh: String,
    pub en: String,
    pub n: i64,
}

/// One SLA clock over the month's complaints, as of the month's end (or
/// now, for the month so far): met on time, breached (met late, or past
/// due and not met), still running (not met, not yet due). R14: breaches
/// are always counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ClockCounts {
    pub met: i64,
    pub breached: i64,
    pub running: i64,
}

impl ClockCounts {
    /// Met share of the decided clocks, in percent; none when none decided.
    pub fn compliance(&self) -> Option<f64> {
        ratio(self.met, self.met + self.breached)
    }
}

/// What one clock did as of `as_of`; the store's SQL counts the same way
/// (`store::report`), and its tests compare the two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockOutcome {
    Met,
    Breached,
    Running,
}

pub fn clock_outcome(due: i64, met: Option<i64>, as_of: i64) -> ClockOutcome {
    match met.filter(|m| *m <= as_of) {
        Some(m) if m <= due => ClockOutcome::Met,
        Some(_) => ClockOutcome::Breached,
        None if due < as_of => ClockOutcome::Breached,
        None => ClockOutcome::Running,
    }
}

/// What the store counts for one month.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MonthCounts {
    pub complaints: i64,
    pub resolved: i64,
    pub by_category: Vec<Count>,
    pub by_severity: Vec<Count>,
    pub by_channel: Vec<Count>,
    /// first response, solution, closure, major report (R9–R12).
    pub clocks: [Option<ClockCounts>; 4],
    /// Callbacks due in the month (not cancelled) and how they ended.
    pub callbacks_due: i64,
    pub callbacks_done: i64,
    pub callbacks_failed: i64,
    pub callbacks_pending: i64,
    /// Successful callbacks with a completed survey.
    pub surveys_completed: i64,
    /// Survey scores given in the month (R25), their count and sum.
    pub scores: i64,
    pub score_sum: i64,
}

pub const CLOCKS: [&str; 4] = ["first_response", "solution", "closure", "major_report"];

/// One R26 figure against its target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rate {
    pub key: &'static str,
    /// Percent (or the score out of 100); none when there is nothing to
    /// divide by (an empty month says so instead of dividing by zero).
    pub value: Option<f64>,
    pub numerator: i64,
    pub denominator: i64,
    pub target: u32,
    /// `>` for satisfaction (R26: "> 90"), `>=` for the rates.
    pub strict: bool,
    pub pass: Option<bool>,
}

fn ratio(num: i64, den: i64) -> Option<f64> {
    (den > 0).then(|| round1(num as f64 * 100.0 / den as f64))
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn rate(key: &'static str, num: i64, den: i64, target: u32, strict: bool) -> Rate {
    let value = ratio(num, den);
    Rate {
        key,
        value,
        numerator: num,
        denominator: den,
        target,
        strict,
        pass: value.map(|v| {
            if strict {
                v > f64::from(target)
            } else {
                v >= f64::from(target)
            }
        }),
    }
}

/// R26: satisfaction score (mean of the month's survey scores, R25),
/// callback success (done / due), survey completion (surveys / done),
/// resolution (resolved or closed / registered).
pub fn rates(c: &MonthCounts, s: &Settings) -> Vec<Rate> {
    let mut sat = rate(
        "satisfaction",
        c.score_sum,
        c.scores,
        s.target_satisfaction,
        true,
    );
    // The score is a mean out of 100, not a share of 100 %.
    sat.value = (c.scores > 0).then(|| round1(c.score_sum as f64 / c.scores as f64));
    sat.pass = sat.value.map(|v| v > f64::from(s.target_satisfaction));
    vec![
        sat,
        rate(
            "callback_success",
            c.callbacks_done,
            c.callbacks_due,
            s.target_callback_success,
            false,
        ),
        rate(
            "survey_completion",
            c.surveys_completed,
            c.callbacks_done,
            s.target_survey_completion,
            false,
        ),
        rate(
            "resolution",
            c.resolved,
            c.complaints,
            s.target_resolution,
            false,
        ),
    ]
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Subject {
    pub subject: String,
    pub n: i64,
}

/// One of the most frequent problems: a category and its commonest subjects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub category: Count,
    pub subjects: Vec<Subject>,
}

/// A complaint still open at the end of the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenItem {
    pub number: String,
    pub category_zh: String,
    pub category_en: String,
    pub severity: String,
    pub status: String,
    pub assignee: String,
    pub subject: String,
    pub registered_at: i64,
    pub age_days: i64,
    /// The last thing that happened to it, and when.
    pub last_action: String,
    pub last_action_at: i64,
}

/// Whole days from `from` to `to`.
pub fn age_days(from: i64, to: i64) -> i64 {
    (to - from).max(0) / 86_400
}

/// A month's headline figures, for the trend.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendPoint {
    pub month: String,
    pub complaints: i64,
    /// Met share over every clock decided in the month.
    pub sla_compliance: Option<f64>,
    pub satisfaction: Option<f64>,
    pub callback_success: Option<f64>,
    pub survey_completion: Option<f64>,
    pub resolution: Option<f64>,
}

pub fn trend_point(month: Month, c: &MonthCounts, s: &Settings) -> TrendPoint {
    let r = rates(c, s);
    let (met, decided) = c
        .clocks
        .iter()
        .flatten()
        .fold((0, 0), |(m, d), k| (m + k.met, d + k.met + k.breached));
    let v = |i: usize| r.get(i).and_then(|x| x.value);
    TrendPoint {
        month: month.label(),
        complaints: c.complaints,
        sla_compliance: ratio(met, decided),
        satisfaction: v(0),
        callback_success: v(1),
        survey_completion: v(2),
        resolution: v(3),
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClockLine {
    pub key: &'static str,
    pub met: i64,
    pub breached: i64,
    pub running: i64,
    pub compliance: Option<f64>,
}

/// The monthly report (R28).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub month: String,
    pub timezone: String,
    pub start: i64,
    pub end: i64,
    /// Counted as of this instant: the month's end, or now for the month
    /// so far.
    pub as_of: i64,
    pub complete: bool,
    pub generated_at: i64,
    pub empty: bool,
    pub complaints: i64,
    pub by_category: Vec<Count>,
    pub by_severity: Vec<Count>,
    pub by_channel: Vec<Count>,
    pub clocks: Vec<ClockLine>,
    pub callbacks_due: i64,
    pub callbacks_done: i64,
    pub callbacks_failed: i64,
    pub callbacks_pending: i64,
    pub rates: Vec<Rate>,
    pub top_problems: Vec<Problem>,
    /// Oldest month first; the last point is this month.
    pub trend: Vec<TrendPoint>,
    pub open_at_end: Vec<OpenItem>,
}

/// The instant a month is counted as of.
pub fn as_of(month: Month, now: i64) -> i64 {
    month.end.min(now)
}

/// Builds the report from the store's counts. `history` holds the five
/// months before, oldest first.
pub fn build(
    month: Month,
    counts: MonthCounts,
    history: &[(Month, MonthCounts)],
    top_problems: Vec<Problem>,
    open_at_end: Vec<OpenItem>,
    s: &Settings,
    now: i64,
) -> Report {
    let mut trend: Vec<TrendPoint> = history.iter().map(|(m, c)| trend_point(*m, c, s)).collect();
    trend.push(trend_point(month, &counts, s));
    let clocks = CLOCKS
        .iter()
        .zip(counts.clocks.iter())
        .map(|(k, c)| {
            let c = c.unwrap_or(ClockCounts {
                met: 0,
                breached: 0,
                running: 0,
            });
            ClockLine {
                key: k,
                met: c.met,
                breached: c.breached,
                running: c.running,
                compliance: c.compliance(),
            }
        })
        .collect();
    let as_of = as_of(month, now);
    Report {
        month: month.label(),
        timezone: s.calendar.tz.name().to_string(),
        start: month.start,
        end: month.end,
        as_of,
        complete: now >= month.end,
        generated_at: now,
        empty: counts.complaints == 0 && counts.callbacks_due == 0 && counts.scores == 0,
        complaints: counts.complaints,
        rates: rates(&counts, s),
        clocks,
        callbacks_due: counts.callbacks_due,
        callbacks_done: counts.callbacks_done,
        callbacks_failed: counts.callbacks_failed,
        callbacks_pending: counts.callbacks_pending,
        by_category: counts.by_category,
        by_severity: counts.by_severity,
        by_channel: counts.by_channel,
        top_problems,
        trend,
        open_at_end,
    }
}

/// R28: the reminder shows from the 1st until last month's report has been
/// produced; past the 10th it is overdue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reminder {
    None,
    Due { month: Month, overdue: bool },
}

pub fn reminder(now: i64, tz: chrono_tz::Tz, last_month_produced: bool) -> Reminder {
    let (Some(this), false) = (Month::of(now, tz), last_month_produced) else {
        return Reminder::None;
    };
    let Some(last) = this.prev(tz) else {
        return Reminder::None;
    };
    let day = tz
        .timestamp_opt(now, 0)
        .single()
        .map_or(1, |t| t.date_naive().day());
    Reminder::Due {
        month: last,
        overdue: day > 10,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Asia::Shanghai;

    fn at(s: &str) -> i64 {
        let n = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        Shanghai.from_local_datetime(&n).unwrap().timestamp()
    }

    #[test]
    fn months_parse_and_refuse_the_future() {
        let now = at("2026-12-02 09:00");
        let m = parse_month("2026-11", now, Shanghai).unwrap();
        assert_eq!(
            (m.start, m.end),
            (at("2026-11-01 00:00"), at("2026-12-01 00:00"))
        );
        assert_eq!(parse_month("last", now, Shanghai).unwrap(), m);
        assert_eq!(
            parse_month("2026-12", now, Shanghai).unwrap().label(),
            "2026-12"
        );
        for bad in [
            "2026-13", "2026-00", "26-11", "2026/11", "", "november", "2026-1",
        ] {
            assert!(parse_month(bad, now, Shanghai).is_err(), "{bad}");
        }
        assert!(
            parse_month("2027-01", now, Shanghai)
                .unwrap_err()
                .contains("not begun")
        );
        assert_eq!(
            parse_month("2026-01", now, Shanghai)
                .unwrap()
                .prev(Shanghai)
                .unwrap()
                .label(),
            "2025-12"
        );
        assert!(parse_year("2027", now, Shanghai).is_err());
        assert!(parse_year("20x6", now, Shanghai).is_err());
        assert_eq!(parse_year("2026", now, Shanghai), Ok(2026));
    }

    #[test]
    fn r14_clock_outcomes_count_breaches() {
        assert_eq!(clock_outcome(100, Some(90), 200), ClockOutcome::Met);
        assert_eq!(clock_outcome(100, Some(100), 200), ClockOutcome::Met);
        assert_eq!(clock_outcome(100, Some(101), 200), ClockOutcome::Breached);
        assert_eq!(clock_outcome(100, None, 200), ClockOutcome::Breached);
        assert_eq!(clock_outcome(300, None, 200), ClockOutcome::Running);
        // Met after the instant counted as of: still running then.
        assert_eq!(clock_outcome(300, Some(250), 200), ClockOutcome::Running);
    }

    #[test]
    fn r26_rates_against_targets_and_an_empty_month() {
        let s = Settings::defaults();
        let c = MonthCounts {
            complaints: 20,
            resolved: 19,
            callbacks_due: 10,
            callbacks_done: 5,
            surveys_completed: 3,
            scores: 2,
            score_sum: 181,
            ..Default::default()
        };
        let r = rates(&c, &s);
        assert_eq!(r[0].value, Some(90.5));
        assert_eq!(r[0].pass, Some(true)); // > 90
        assert_eq!((r[1].value, r[1].pass), (Some(50.0), Some(true))); // >= 50
        assert_eq!((r[2].value, r[2].pass), (Some(60.0), Some(true))); // >= 60
        assert_eq!((r[3].value, r[3].pass), (Some(95.0), Some(true))); // >= 95
        let c = MonthCounts {
            score_sum: 180,
            scores: 2,
            ..c
        };
        assert_eq!(rates(&c, &s)[0].pass, Some(false)); // 90 is not > 90
        let empty = rates(&MonthCounts::default(), &s);
        assert!(empty.iter().all(|r| r.value.is_none() && r.pass.is_none()));
    }

    #[test]
    fn r28_reminder_from_the_first_until_produced() {
        match reminder(at("2026-12-01 08:00"), Shanghai, false) {
            Reminder::Due { month, overdue } => {
                assert_eq!(month.label(), "2026-11");
                assert!(!overdue);
            }
            Reminder::None => panic!("expected a reminder"),
        }
        assert!(matches!(
            reminder(at("2026-12-11 08:00"), Shanghai, false),
            Reminder::Due { overdue: true, .. }
        ));
        assert_eq!(
            reminder(at("2026-12-03 08:00"), Shanghai, true),
            Reminder::None
        );
    }
}
