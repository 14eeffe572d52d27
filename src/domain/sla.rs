//! SLA clocks (R9–R12) and their badges (R14).
//!
//! Which target applies to which channel or step is a setting kept
//! elsewhere; this module only turns a [`Target`] plus a calendar into a
//! [`Clock`], and a clock plus "now" into a [`Badge`].

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Duration, Utc};

use super::calendar::{Calendar, wall_add};

/// How long a step may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// By the end of the working day the clock starts in (or the next one
    /// if it starts after hours). R9 phone, walk-in, online posts.
    SameWorkingDay,
    /// N working days of working time; pauses outside working hours (R13).
    WorkingDays(u32),
    /// N wall-clock hours; ignores the calendar (R9 fallback, R11, R12).
    Hours(u32),
}

impl FromStr for Target {
    type Err = String;

    /// Accepts "same-working-day", "<n>wd" and "<n>h" (n unsigned decimal).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase();
        if t == "same-working-day" {
            return Ok(Target::SameWorkingDay);
        }
        let parsed = if let Some(n) = t.strip_suffix("wd") {
            number(n).map(Target::WorkingDays)
        } else if let Some(n) = t.strip_suffix('h') {
            number(n).map(Target::Hours)
        } else {
            None
        };
        parsed.ok_or_else(|| {
            format!(
                "invalid SLA target {s:?}: expected \"same-working-day\", \"<n>wd\" or \"<n>h\""
            )
        })
    }
}

/// Plain digits only: `u32::from_str` would also take "+5".
fn number(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::SameWorkingDay => f.write_str("same-working-day"),
            Target::WorkingDays(n) => write!(f, "{n}wd"),
            Target::Hours(n) => write!(f, "{n}h"),
        }
    }
}

/// One running deadline. `start <= risk_at <= due`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    pub start: DateTime<Utc>,
    pub risk_at: DateTime<Utc>,
    pub due: DateTime<Utc>,
}

/// Builds the clock for `target` starting at `start`. `at_risk_percent` is
/// the share of the allowed time after which the badge turns "at risk"
/// (R14, default 80); values above 100 are read as 100.
pub fn clock(target: Target, start: DateTime<Utc>, cal: &Calendar, at_risk_percent: u8) -> Clock {
    let pct = i64::from(at_risk_percent.min(100));
    let share = |secs: i64| secs.saturating_mul(pct) / 100;
    let (risk_at, due) = match target {
        Target::Hours(n) => {
            let total = i64::from(n) * 3600;
            (wall_add(start, share(total)), wall_add(start, total))
        }
        Target::WorkingDays(n) => {
            let total = i64::from(n).saturating_mul(cal.working_day_seconds());
            (
                cal.add_working_seconds(start, share(total)),
                cal.add_working_seconds(start, total),
            )
        }
        Target::SameWorkingDay => {
            let due = cal.end_of_working_day(start);
            let from = cal.add_working_seconds(start, 0);
            let work = cal.working_seconds_between(from, due);
            let risk_at = if work > 0 {
                cal.add_working_seconds(from, share(work))
            } else {
                // Calendar without working time: the fallback due date is
                // wall-clock, so the risk point is too.
                wall_add(start, share((due - start).num_seconds()))
            };
            (risk_at, due)
        }
    };
    Clock {
        start,
        risk_at: risk_at.clamp(start, due.max(start)),
        due,
    }
}

/// What the UI shows for a clock (R14).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Badge {
    OnTrack,
    AtRisk,
    Breached,
    /// Done in time.
    Met,
    /// Done, but after the due time.
    MetLate,
}

/// Badge at `now`. A met clock keeps its Met/MetLate badge whatever `now`.
pub fn badge(
    risk_at: DateTime<Utc>,
    due: DateTime<Utc>,
    met_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Badge {
    match met_at {
        Some(m) if m <= due => Badge::Met,
        Some(_) => Badge::MetLate,
        None if now >= due => Badge::Breached,
        None if now >= risk_at => Badge::AtRisk,
        None => Badge::OnTrack,
    }
}

/// The next instant after `now` at which [`badge`] changes, so the UI can
/// redraw exactly then. `None` once met or breached (nothing changes).
pub fn next_boundary(
    risk_at: DateTime<Utc>,
    due: DateTime<Utc>,
    met_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    if met_at.is_some() || now >= due {
        None
    } else if now < risk_at {
        // risk_at >= due would skip "at risk" and go straight to breached.
        Some(risk_at.min(due))
    } else {
        Some(due)
    }
}

/// Time left until `due`; negative when overdue.
pub fn remaining(due: DateTime<Utc>, now: DateTime<Utc>) -> Duration {
    due - now
}

/// R14 for a callback: its clock runs in wall time from `start` (when it
/// was made, or when a retry was set, R20) to `due`, and turns at risk
/// after `at_risk_percent` of that span (unix seconds; values above 100
/// read as 100; a due time before the start is at risk from the start).
pub fn callback_risk_at(start: i64, due: i64, at_risk_percent: u8) -> i64 {
    let span = due.saturating_sub(start).max(0);
    start.saturating_add(span.saturating_mul(i64::from(at_risk_percent.min(100))) / 100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone};
    use chrono_tz::Tz;

    const SH: Tz = chrono_tz::Asia::Shanghai;

    /// Shanghai wall time → UTC.
    fn sh(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        SH.with_ymd_and_hms(y, mo, d, h, mi, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn std_cal() -> Calendar {
        Calendar::standard(SH)
    }

    /// Test fixture, not the official schedule: National Day 2026-10-01..07
    /// off, Sunday 2026-09-27 and Saturday 2026-10-10 worked.
    fn national_day() -> Calendar {
        let date = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        let mut c = std_cal();
        c.holidays = (1..=7).map(|d| date(10, d)).collect();
        c.makeup_days = [date(9, 27), date(10, 10)].into();
        c
    }

    fn due(target: Target, start: DateTime<Utc>, cal: &Calendar) -> DateTime<Utc> {
        clock(target, start, cal, 80).due
    }

    // 2026-03-13 is a Friday, 2026-03-16 the Monday after.

    #[test]
    fn r9_same_working_day_friday_before_close() {
        assert_eq!(
            due(Target::SameWorkingDay, sh(2026, 3, 13, 17, 30), &std_cal()),
            sh(2026, 3, 13, 18, 0)
        );
    }

    #[test]
    fn r9_same_working_day_friday_after_close_is_monday() {
        assert_eq!(
            due(Target::SameWorkingDay, sh(2026, 3, 13, 18, 30), &std_cal()),
            sh(2026, 3, 16, 18, 0)
        );
    }

    #[test]
    fn r9_same_working_day_saturday_is_monday() {
        assert_eq!(
            due(Target::SameWorkingDay, sh(2026, 3, 14, 11, 0), &std_cal()),
            sh(2026, 3, 16, 18, 0)
        );
    }

    #[test]
    fn r9_same_working_day_monday_before_opening() {
        assert_eq!(
            due(Target::SameWorkingDay, sh(2026, 3, 16, 8, 0), &std_cal()),
            sh(2026, 3, 16, 18, 0)
        );
    }

    #[test]
    fn r9_r13_same_working_day_skips_holidays_uses_makeup_day() {
        let c = national_day();
        // Evening before National Day → first day back, Thursday Oct 8.
        assert_eq!(
            due(Target::SameWorkingDay, sh(2026, 9, 30, 19, 0), &c),
            sh(2026, 10, 8, 18, 0)
        );
        // Weekday inside the holiday block.
        assert_eq!(
            due(Target::SameWorkingDay, sh(2026, 10, 5, 10, 0), &c),
            sh(2026, 10, 8, 18, 0)
        );
        // Make-up Saturday counts as a working day.
        assert_eq!(
            due(Target::SameWorkingDay, sh(2026, 10, 10, 10, 0), &c),
            sh(2026, 10, 10, 18, 0)
        );
        // Friday evening before the make-up Sunday Sep 27.
        assert_eq!(
            due(Target::SameWorkingDay, sh(2026, 9, 25, 19, 0), &c),
            sh(2026, 9, 27, 18, 0)
        );
    }

    #[test]
    fn r9_written_two_working_days_from_friday_1700() {
        assert_eq!(
            c9h_due(Target::WorkingDays(2), sh(2026, 3, 13, 17, 0)),
            sh(2026, 3, 17, 17, 0)
        );
    }

    fn c9h_due(t: Target, start: DateTime<Utc>) -> DateTime<Utc> {
        let c = std_cal();
        assert_eq!(c.working_day_seconds(), 9 * 3600);
        due(t, start, &c)
    }

    #[test]
    fn r9_written_two_working_days_from_saturday() {
        assert_eq!(
            c9h_due(Target::WorkingDays(2), sh(2026, 3, 14, 10, 0)),
            sh(2026, 3, 17, 18, 0)
        );
    }

    #[test]
    fn r9_r13_written_two_working_days_across_holiday_block() {
        let c = national_day();
        // Wed Sep 30 12:00: 6 h Wed, holidays + weekend, 9 h Thu Oct 8 → 6+9 = 15,
        // 3 h left → Fri Oct 9 12:00.
        assert_eq!(
            due(Target::WorkingDays(2), sh(2026, 9, 30, 12, 0), &c),
            sh(2026, 10, 9, 12, 0)
        );
        // Fri Oct 9 12:00: 6 h Fri, 9 h make-up Sat, 3 h Mon → Mon 12:00.
        assert_eq!(
            due(Target::WorkingDays(2), sh(2026, 10, 9, 12, 0), &c),
            sh(2026, 10, 12, 12, 0)
        );
    }

    #[test]
    fn r10_one_working_day_after_hours_start() {
        // Registered Monday 20:00 → clock starts Tuesday 09:00 → Tuesday 18:00.
        assert_eq!(
            c9h_due(Target::WorkingDays(1), sh(2026, 3, 16, 20, 0)),
            sh(2026, 3, 17, 18, 0)
        );
        // Registered Friday 12:00 → Monday 12:00.
        assert_eq!(
            c9h_due(Target::WorkingDays(1), sh(2026, 3, 13, 12, 0)),
            sh(2026, 3, 16, 12, 0)
        );
    }

    #[test]
    fn r9_r12_hours_ignore_the_calendar() {
        // Friday 18:30 + 24 h is Saturday 18:30, weekend or not.
        assert_eq!(
            due(Target::Hours(24), sh(2026, 3, 13, 18, 30), &std_cal()),
            sh(2026, 3, 14, 18, 30)
        );
        // Even across a holiday block.
        assert_eq!(
            due(Target::Hours(24), sh(2026, 9, 30, 19, 0), &national_day()),
            sh(2026, 10, 1, 19, 0)
        );
    }

    #[test]
    fn r11_close_within_seven_days() {
        assert_eq!(
            due(Target::Hours(168), sh(2026, 3, 13, 18, 30), &std_cal()),
            sh(2026, 3, 20, 18, 30)
        );
        assert_eq!(
            due(Target::Hours(168), sh(2026, 9, 30, 10, 0), &national_day()),
            sh(2026, 10, 7, 10, 0)
        );
    }

    #[test]
    fn r14_risk_at_eighty_percent_hours() {
        let c = clock(Target::Hours(24), sh(2026, 3, 13, 10, 0), &std_cal(), 80);
        // 80 % of 24 h = 19 h 12 min.
        assert_eq!(c.risk_at, sh(2026, 3, 14, 5, 12));
        assert_eq!(c.start, sh(2026, 3, 13, 10, 0));
    }

    #[test]
    fn r14_risk_at_eighty_percent_working_days() {
        // 80 % of 18 working hours = 14 h 24 min: 9 h Monday + 5 h 24 min Tuesday.
        let c = clock(
            Target::WorkingDays(2),
            sh(2026, 3, 16, 9, 0),
            &std_cal(),
            80,
        );
        assert_eq!(c.risk_at, sh(2026, 3, 17, 14, 24));
        assert_eq!(c.due, sh(2026, 3, 17, 18, 0));
        // Paused over the weekend: Friday 17:00 + 14.4 working hours.
        let c = clock(
            Target::WorkingDays(2),
            sh(2026, 3, 13, 17, 0),
            &std_cal(),
            80,
        );
        assert_eq!(c.risk_at, sh(2026, 3, 17, 13, 24));
    }

    #[test]
    fn r14_risk_at_eighty_percent_same_working_day() {
        // Monday 08:00: working time 09:00–18:00, 80 % of 9 h = 7 h 12 min.
        let c = clock(
            Target::SameWorkingDay,
            sh(2026, 3, 16, 8, 0),
            &std_cal(),
            80,
        );
        assert_eq!(c.risk_at, sh(2026, 3, 16, 16, 12));
        // Friday 17:30: 30 min left, 80 % = 24 min.
        let c = clock(
            Target::SameWorkingDay,
            sh(2026, 3, 13, 17, 30),
            &std_cal(),
            80,
        );
        assert_eq!(c.risk_at, sh(2026, 3, 13, 17, 54));
        // Saturday: measured from Monday 09:00.
        let c = clock(
            Target::SameWorkingDay,
            sh(2026, 3, 14, 10, 0),
            &std_cal(),
            80,
        );
        assert_eq!(c.risk_at, sh(2026, 3, 16, 16, 12));
    }

    #[test]
    fn r14_percent_is_a_setting() {
        let start = sh(2026, 3, 13, 10, 0);
        let c = clock(Target::Hours(10), start, &std_cal(), 50);
        assert_eq!(c.risk_at, start + Duration::hours(5));
        let c = clock(Target::Hours(10), start, &std_cal(), 250);
        assert_eq!(c.risk_at, c.due);
        let c = clock(
            Target::WorkingDays(1),
            sh(2026, 3, 14, 10, 0),
            &std_cal(),
            0,
        );
        assert_eq!(c.risk_at, sh(2026, 3, 16, 9, 0));
    }

    #[test]
    fn r14_badge_sequence_at_exact_instants() {
        let c = clock(Target::Hours(10), sh(2026, 3, 13, 10, 0), &std_cal(), 80);
        let s = Duration::seconds(1);
        assert_eq!(badge(c.risk_at, c.due, None, c.start), Badge::OnTrack);
        assert_eq!(badge(c.risk_at, c.due, None, c.risk_at - s), Badge::OnTrack);
        assert_eq!(badge(c.risk_at, c.due, None, c.risk_at), Badge::AtRisk);
        assert_eq!(badge(c.risk_at, c.due, None, c.due - s), Badge::AtRisk);
        assert_eq!(badge(c.risk_at, c.due, None, c.due), Badge::Breached);
        assert_eq!(
            badge(c.risk_at, c.due, None, c.due + Duration::days(3)),
            Badge::Breached
        );
    }

    #[test]
    fn r14_met_and_met_late() {
        let c = clock(Target::Hours(10), sh(2026, 3, 13, 10, 0), &std_cal(), 80);
        let later = c.due + Duration::days(1);
        assert_eq!(badge(c.risk_at, c.due, Some(c.due), later), Badge::Met);
        assert_eq!(badge(c.risk_at, c.due, Some(c.start), c.start), Badge::Met);
        let late = c.due + Duration::seconds(1);
        assert_eq!(badge(c.risk_at, c.due, Some(late), later), Badge::MetLate);
    }

    #[test]
    fn r14_next_boundary_risk_then_due_then_none() {
        let c = clock(
            Target::SameWorkingDay,
            sh(2026, 3, 16, 8, 0),
            &std_cal(),
            80,
        );
        let nb = |now| next_boundary(c.risk_at, c.due, None, now);
        assert_eq!(nb(c.start), Some(c.risk_at));
        assert_eq!(nb(c.risk_at), Some(c.due));
        assert_eq!(nb(c.due - Duration::seconds(1)), Some(c.due));
        assert_eq!(nb(c.due), None);
        assert_eq!(
            next_boundary(c.risk_at, c.due, Some(c.start), c.start),
            None
        );
        // Each boundary really flips the badge.
        let mut now = c.start;
        let mut seen = vec![badge(c.risk_at, c.due, None, now)];
        while let Some(t) = nb(now) {
            assert!(t > now);
            now = t;
            seen.push(badge(c.risk_at, c.due, None, now));
        }
        assert_eq!(seen, [Badge::OnTrack, Badge::AtRisk, Badge::Breached]);
        // A 100 % risk point goes straight to due.
        assert_eq!(next_boundary(c.due, c.due, None, c.start), Some(c.due));
    }

    #[test]
    fn r14_remaining_goes_negative_when_overdue() {
        let due = sh(2026, 3, 13, 18, 0);
        assert_eq!(
            remaining(due, sh(2026, 3, 13, 17, 30)),
            Duration::minutes(30)
        );
        assert_eq!(remaining(due, sh(2026, 3, 13, 19, 0)), Duration::hours(-1));
    }

    #[test]
    fn r13_clock_with_no_working_days_terminates() {
        let mut cal = std_cal();
        cal.weekdays = [false; 7];
        let start = sh(2026, 3, 13, 10, 0);
        let c = clock(Target::SameWorkingDay, start, &cal, 80);
        assert_eq!(c.due, start + Duration::hours(24));
        assert!(c.start <= c.risk_at && c.risk_at <= c.due);
        let c = clock(Target::WorkingDays(2), start, &cal, 80);
        assert!(c.start <= c.risk_at && c.risk_at <= c.due);
    }

    #[test]
    fn target_round_trip() {
        for t in [
            Target::SameWorkingDay,
            Target::WorkingDays(2),
            Target::WorkingDays(0),
            Target::Hours(24),
            Target::Hours(168),
        ] {
            assert_eq!(t.to_string().parse::<Target>(), Ok(t));
        }
        assert_eq!(Target::WorkingDays(2).to_string(), "2wd");
        assert_eq!(Target::Hours(24).to_string(), "24h");
        assert_eq!("same-working-day".parse(), Ok(Target::SameWorkingDay));
        assert_eq!(" 2WD ".parse(), Ok(Target::WorkingDays(2)));
    }

    #[test]
    fn target_bad_strings_are_named_in_the_error() {
        for bad in [
            "3x",
            "",
            "-1h",
            "+1h",
            "h",
            "wd",
            "1.5h",
            "2 wd",
            "99999999999h",
            "same-day",
        ] {
            let e = bad.parse::<Target>().unwrap_err();
            assert!(e.contains(&format!("{bad:?}")), "{e}");
        }
    }

    #[test]
    fn r14_r20_a_callback_turns_at_risk_at_its_share_of_the_wall_span() {
        // Made at 1000, due 2 h later: at risk after 80 % = 96 min.
        assert_eq!(callback_risk_at(1000, 1000 + 7200, 80), 1000 + 5760);
        // A retry set now starts its own clock: one second old is on track.
        let now = 50_000;
        let risk = callback_risk_at(now - 1, now - 1 + 7200, 80);
        assert!(risk > now);
        // Overdue at creation, and percent above 100.
        assert_eq!(callback_risk_at(1000, 900, 80), 1000);
        assert_eq!(callback_risk_at(0, 100, 250), 100);
    }
}
