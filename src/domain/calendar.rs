//! Business calendar (R13): which local days and hours count as working time.
//!
//! Working hours are wall-clock times in the center's IANA zone; every
//! instant going in or out is UTC. A working day is the half-open window
//! `[day_start, day_end)` on a working date, so 18:00 itself is not working
//! time, but a clock that runs out exactly at 18:00 is due at 18:00.

use std::collections::BTreeSet;

use chrono::{
    DateTime, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Utc,
};
use chrono_tz::Tz;

/// How many consecutive days without working time we look through before
/// deciding the calendar has none (10 years). Keeps every loop finite.
pub const MAX_IDLE_DAYS: i64 = 3660;

/// Longest span `working_seconds_between` looks at (~100 years); anything
/// further out is irrelevant for complaint deadlines.
pub const MAX_SPAN_DAYS: i64 = 36_600;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    pub tz: Tz,
    /// Index 0 = Monday .. 6 = Sunday.
    pub weekdays: [bool; 7],
    /// Start of the working day, local time in `tz`.
    pub day_start: NaiveTime,
    /// End of the working day, local time in `tz`; must be after `day_start`.
    pub day_end: NaiveTime,
    /// Dates that are not worked even if their weekday normally is.
    pub holidays: BTreeSet<NaiveDate>,
    /// Dates that are worked even if their weekday normally is not (调休).
    pub makeup_days: BTreeSet<NaiveDate>,
}

impl Calendar {
    /// Monday to Friday, 09:00–18:00, no holidays.
    pub fn standard(tz: Tz) -> Self {
        Calendar {
            tz,
            weekdays: [true, true, true, true, true, false, false],
            day_start: NaiveTime::from_hms_opt(9, 0, 0).unwrap_or(NaiveTime::MIN),
            day_end: NaiveTime::from_hms_opt(18, 0, 0).unwrap_or(NaiveTime::MIN),
            holidays: BTreeSet::new(),
            makeup_days: BTreeSet::new(),
        }
    }

    /// Checks what the administrator entered; the message names the problem.
    pub fn validate(&self) -> Result<(), String> {
        if self.day_end <= self.day_start {
            return Err(format!(
                "working day end {} must be after working day start {}",
                self.day_end.format("%H:%M"),
                self.day_start.format("%H:%M")
            ));
        }
        if !self.weekdays.iter().any(|&w| w) {
            return Err(
                "no working weekday: at least one of Monday..Sunday must be a working day".into(),
            );
        }
        if let Some(d) = self.holidays.intersection(&self.makeup_days).next() {
            return Err(format!(
                "date {d} is both a holiday and a make-up working day"
            ));
        }
        Ok(())
    }

    /// Make-up days win over holidays (validate() forbids both anyway),
    /// holidays win over the weekly pattern.
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        use chrono::Datelike;
        if self.makeup_days.contains(&d) {
            return true;
        }
        if self.holidays.contains(&d) {
            return false;
        }
        self.weekdays[d.weekday().num_days_from_monday() as usize]
    }

    pub fn is_working_time(&self, t: DateTime<Utc>) -> bool {
        let d = self.local_date(t);
        // The day before is checked too, in case a DST gap pushed its window.
        [d.pred_opt(), Some(d)]
            .into_iter()
            .flatten()
            .filter_map(|day| self.window(day))
            .any(|(s, e)| s <= t && t < e)
    }

    /// Nominal length of one working day in seconds (ignores DST days).
    pub fn working_day_seconds(&self) -> i64 {
        (self.day_end - self.day_start).num_seconds().max(0)
    }

    /// Working seconds in `[a, b)`; 0 if `b <= a`.
    pub fn working_seconds_between(&self, a: DateTime<Utc>, b: DateTime<Utc>) -> i64 {
        if b <= a {
            return 0;
        }
        let last = self.local_date(b);
        let mut total = 0;
        for day in self.days_from(a).take(MAX_SPAN_DAYS as usize) {
            if day > last {
                break;
            }
            if let Some((s, e)) = self.window(day) {
                let (from, to) = (s.max(a), e.min(b));
                if to > from {
                    total += (to - from).num_seconds();
                }
            }
        }
        total
    }

    /// Walks `secs` seconds forward through working time only. Counting
    /// starts at the next working instant >= `start`; `secs <= 0` returns
    /// that instant. If the calendar has no working time for
    /// [`MAX_IDLE_DAYS`] days (or the walk passes [`MAX_SPAN_DAYS`]), falls
    /// back to plain wall-clock time.
    pub fn add_working_seconds(&self, start: DateTime<Utc>, secs: i64) -> DateTime<Utc> {
        let mut left = secs.max(0);
        let mut idle = 0;
        for day in self.days_from(start).take(MAX_SPAN_DAYS as usize) {
            let Some((s, e)) = self.window(day) else {
                idle += 1;
                if idle > MAX_IDLE_DAYS {
                    break;
                }
                continue;
            };
            idle = 0;
            let from = s.max(start);
            if from >= e {
                continue; // this day's window is already over
            }
            let avail = (e - from).num_seconds();
            // `<=` so that a clock running out exactly at day end is due then.
            if left <= avail {
                return from + Duration::seconds(left);
            }
            left -= avail;
        }
        wall_add(start, secs.max(0))
    }

    /// End of the working day `t` belongs to: that day's end if `t` is before
    /// or inside its hours, else the end of the next working day. With no
    /// working time in sight, falls back to `t` + 24 h (R9's outer limit).
    pub fn end_of_working_day(&self, t: DateTime<Utc>) -> DateTime<Utc> {
        let mut idle = 0;
        for day in self.days_from(t) {
            match self.window(day) {
                Some((_, e)) if e > t => return e,
                Some(_) => idle = 0,
                None => idle += 1,
            }
            if idle > MAX_IDLE_DAYS {
                break;
            }
        }
        wall_add(t, 24 * 3600)
    }

    /// The working window of a date in UTC, `None` if the date is not worked
    /// or the window is empty (bad hours, or DST ate it).
    pub fn window(&self, d: NaiveDate) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        if !self.is_working_day(d) {
            return None;
        }
        let s = self.to_utc(d.and_time(self.day_start));
        let e = self.to_utc(d.and_time(self.day_end));
        (e > s).then_some((s, e))
    }

    /// The local calendar date of an instant in the center's zone.
    pub fn local_date(&self, t: DateTime<Utc>) -> NaiveDate {
        t.with_timezone(&self.tz).date_naive()
    }

    /// Local wall time → UTC. Ambiguous (DST fall-back): the earlier one.
    /// Non-existent (DST gap): read with the offset in force before the gap,
    /// which lands the same distance past the gap, like most libraries do.
    pub fn to_utc(&self, local: NaiveDateTime) -> DateTime<Utc> {
        match self.tz.from_local_datetime(&local) {
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.with_timezone(&Utc),
            LocalResult::None => {
                let probe = local.checked_sub_signed(Duration::days(1)).unwrap_or(local);
                let off = self
                    .tz
                    .offset_from_utc_datetime(&probe)
                    .fix()
                    .local_minus_utc();
                let utc = local
                    .checked_sub_signed(Duration::seconds(i64::from(off)))
                    .unwrap_or(local);
                Utc.from_utc_datetime(&utc)
            }
        }
    }

    /// Local dates starting the day before `t`'s (a DST gap can push a
    /// window across midnight), ending where chrono's date range ends.
    fn days_from(&self, t: DateTime<Utc>) -> impl Iterator<Item = NaiveDate> {
        let d = self.local_date(t);
        std::iter::successors(Some(d.pred_opt().unwrap_or(d)), |x| x.succ_opt())
    }
}

/// `t + secs` seconds, saturating at chrono's maximum instead of panicking.
pub(crate) fn wall_add(t: DateTime<Utc>, secs: i64) -> DateTime<Utc> {
    Duration::try_seconds(secs)
        .and_then(|d| t.checked_add_signed(d))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SH: Tz = chrono_tz::Asia::Shanghai;
    const NY: Tz = chrono_tz::America::New_York;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// Local wall time in `tz` → UTC (test inputs are never in a DST gap).
    fn at(tz: Tz, y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        tz.with_ymd_and_hms(y, mo, d, h, mi, 0)
            .earliest()
            .unwrap()
            .with_timezone(&Utc)
    }

    fn sh(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        at(SH, y, mo, d, h, mi)
    }

    /// Test fixture, not the official schedule: National Day 2026-10-01..07
    /// off, Sunday 2026-09-27 and Saturday 2026-10-10 worked.
    fn national_day() -> Calendar {
        let mut c = Calendar::standard(SH);
        c.holidays = (1..=7).map(|d| date(2026, 10, d)).collect();
        c.makeup_days = [date(2026, 9, 27), date(2026, 10, 10)].into();
        c
    }

    #[test]
    fn r13_standard_is_valid_nine_hour_weekdays() {
        let c = Calendar::standard(SH);
        assert_eq!(c.validate(), Ok(()));
        assert_eq!(c.working_day_seconds(), 9 * 3600);
        // 2026-03-09 is a Monday .. 2026-03-15 a Sunday.
        let days: Vec<bool> = (9..=15)
            .map(|d| c.is_working_day(date(2026, 3, d)))
            .collect();
        assert_eq!(days, [true, true, true, true, true, false, false]);
    }

    #[test]
    fn r13_weekday_index_zero_is_monday() {
        let mut c = Calendar::standard(SH);
        c.weekdays = [false, false, false, false, false, false, true];
        assert!(c.is_working_day(date(2026, 3, 15))); // Sunday
        assert!(!c.is_working_day(date(2026, 3, 9))); // Monday
    }

    #[test]
    fn r13_holidays_and_makeup_days() {
        let c = national_day();
        assert!(!c.is_working_day(date(2026, 10, 1))); // Thursday, holiday
        assert!(!c.is_working_day(date(2026, 10, 7))); // Wednesday, holiday
        assert!(c.is_working_day(date(2026, 10, 8))); // Thursday after
        assert!(c.is_working_day(date(2026, 9, 27))); // make-up Sunday
        assert!(c.is_working_day(date(2026, 10, 10))); // make-up Saturday
        assert!(!c.is_working_day(date(2026, 10, 11))); // ordinary Sunday
        assert!(c.is_working_time(sh(2026, 10, 10, 10, 0)));
        assert!(!c.is_working_time(sh(2026, 10, 2, 10, 0)));
    }

    #[test]
    fn r13_working_time_is_half_open_in_local_time() {
        let c = Calendar::standard(SH);
        assert!(!c.is_working_time(sh(2026, 3, 13, 8, 59)));
        assert!(c.is_working_time(sh(2026, 3, 13, 9, 0)));
        assert!(c.is_working_time(sh(2026, 3, 13, 17, 59)));
        assert!(!c.is_working_time(sh(2026, 3, 13, 18, 0)));
        // 09:00 Shanghai is 01:00 UTC.
        assert_eq!(
            sh(2026, 3, 13, 9, 0),
            Utc.with_ymd_and_hms(2026, 3, 13, 1, 0, 0).unwrap()
        );
    }

    #[test]
    fn r13_working_seconds_between_pauses_outside_hours() {
        let c = Calendar::standard(SH);
        // Friday 17:00 → Monday 10:00: one hour Friday, one hour Monday.
        assert_eq!(
            c.working_seconds_between(sh(2026, 3, 13, 17, 0), sh(2026, 3, 16, 10, 0)),
            7200
        );
        assert_eq!(
            c.working_seconds_between(sh(2026, 3, 16, 10, 0), sh(2026, 3, 13, 17, 0)),
            0
        );
        assert_eq!(
            c.working_seconds_between(sh(2026, 3, 14, 0, 0), sh(2026, 3, 16, 0, 0)),
            0
        );
        // A full week is five working days.
        assert_eq!(
            c.working_seconds_between(sh(2026, 3, 9, 0, 0), sh(2026, 3, 16, 0, 0)),
            5 * 9 * 3600
        );
    }

    #[test]
    fn r13_add_working_seconds_edges() {
        let c = Calendar::standard(SH);
        // Zero from outside hours → next working instant; inside → unchanged.
        assert_eq!(
            c.add_working_seconds(sh(2026, 3, 13, 18, 0), 0),
            sh(2026, 3, 16, 9, 0)
        );
        assert_eq!(
            c.add_working_seconds(sh(2026, 3, 13, 7, 0), 0),
            sh(2026, 3, 13, 9, 0)
        );
        assert_eq!(
            c.add_working_seconds(sh(2026, 3, 13, 12, 0), 0),
            sh(2026, 3, 13, 12, 0)
        );
        // Running out exactly at day end stays on that day.
        assert_eq!(
            c.add_working_seconds(sh(2026, 3, 13, 17, 0), 3600),
            sh(2026, 3, 13, 18, 0)
        );
        assert_eq!(
            c.add_working_seconds(sh(2026, 3, 13, 17, 0), 3601),
            sh(2026, 3, 16, 9, 0) + Duration::seconds(1)
        );
        assert_eq!(
            c.add_working_seconds(sh(2026, 3, 13, 17, 0), -5),
            sh(2026, 3, 13, 17, 0)
        );
    }

    #[test]
    fn r13_holiday_block_is_skipped_and_makeup_day_counts() {
        let c = national_day();
        // Wed 2026-09-30 17:00 + 9 working hours: 1 h Wed, then Oct 1–7 off,
        // weekend off → Thursday Oct 8 17:00.
        assert_eq!(
            c.add_working_seconds(sh(2026, 9, 30, 17, 0), 9 * 3600),
            sh(2026, 10, 8, 17, 0)
        );
        // Friday Sep 25 17:00 + 2 h lands on the make-up Sunday Sep 27.
        assert_eq!(
            c.add_working_seconds(sh(2026, 9, 25, 17, 0), 2 * 3600),
            sh(2026, 9, 27, 10, 0)
        );
        // Fri Oct 9 17:00 + 2 h: the make-up Saturday Oct 10.
        assert_eq!(
            c.add_working_seconds(sh(2026, 10, 9, 17, 0), 2 * 3600),
            sh(2026, 10, 10, 10, 0)
        );
        // Sep 28 (Mon) .. Oct 11: Sep 28–30, Oct 8, 9, 10 worked = 6 days.
        assert_eq!(
            c.working_seconds_between(sh(2026, 9, 28, 0, 0), sh(2026, 10, 12, 0, 0)),
            6 * 9 * 3600
        );
    }

    #[test]
    fn r13_end_of_working_day() {
        let c = national_day();
        assert_eq!(
            c.end_of_working_day(sh(2026, 3, 13, 8, 0)),
            sh(2026, 3, 13, 18, 0)
        );
        assert_eq!(
            c.end_of_working_day(sh(2026, 3, 13, 17, 59)),
            sh(2026, 3, 13, 18, 0)
        );
        assert_eq!(
            c.end_of_working_day(sh(2026, 3, 13, 18, 0)),
            sh(2026, 3, 16, 18, 0)
        );
        assert_eq!(
            c.end_of_working_day(sh(2026, 3, 14, 11, 0)),
            sh(2026, 3, 16, 18, 0)
        );
        assert_eq!(
            c.end_of_working_day(sh(2026, 9, 30, 19, 0)),
            sh(2026, 10, 8, 18, 0)
        );
    }

    #[test]
    fn r13_between_and_add_are_inverse() {
        let cals = [national_day(), Calendar::standard(NY)];
        for c in &cals {
            let base = at(c.tz, 2026, 9, 20, 0, 0);
            for i in 0..400i64 {
                // Deterministic spread of starts and lengths over ~7 weeks.
                let a = base + Duration::seconds(i * 9_973 + (i * i) % 3_600);
                let b = a + Duration::seconds((i * 7_919) % (6 * 86_400) + 1);
                let w = c.working_seconds_between(a, b);
                if c.is_working_time(b) {
                    assert_eq!(c.add_working_seconds(a, w), b, "a={a} b={b}");
                }
                let secs = (i * 4_567) % (40 * 3600);
                let end = c.add_working_seconds(a, secs);
                assert_eq!(c.working_seconds_between(a, end), secs, "a={a} secs={secs}");
            }
        }
    }

    #[test]
    fn r13_validate_errors_name_the_problem() {
        let mut c = Calendar::standard(SH);
        c.day_end = c.day_start;
        assert!(c.validate().unwrap_err().contains("end"));

        let mut c = Calendar::standard(SH);
        c.weekdays = [false; 7];
        assert!(c.validate().unwrap_err().contains("no working weekday"));

        let mut c = Calendar::standard(SH);
        c.holidays.insert(date(2026, 10, 10));
        c.makeup_days.insert(date(2026, 10, 10));
        let e = c.validate().unwrap_err();
        assert!(e.contains("2026-10-10") && e.contains("both"), "{e}");
    }

    #[test]
    fn r13_calendar_without_working_days_does_not_hang() {
        let mut c = Calendar::standard(SH);
        c.weekdays = [false; 7];
        let t = sh(2026, 3, 13, 10, 0);
        assert!(!c.is_working_time(t));
        assert_eq!(c.add_working_seconds(t, 3600), t + Duration::hours(1));
        assert_eq!(c.add_working_seconds(t, 0), t);
        assert_eq!(c.end_of_working_day(t), t + Duration::hours(24));
        assert_eq!(
            c.working_seconds_between(t, t + Duration::days(365 * 50)),
            0
        );
        // Only one make-up day, then nothing: still terminates.
        c.makeup_days.insert(date(2026, 3, 14));
        assert_eq!(c.add_working_seconds(t, 3600), sh(2026, 3, 14, 10, 0));
        assert_eq!(c.add_working_seconds(t, 10 * 3600), t + Duration::hours(10));
        // Inverted hours give empty windows rather than negative time.
        let mut c = Calendar::standard(SH);
        std::mem::swap(&mut c.day_start, &mut c.day_end);
        assert_eq!(c.working_day_seconds(), 0);
        assert_eq!(c.end_of_working_day(t), t + Duration::hours(24));
        // Far end of chrono's range: saturates instead of panicking.
        let c = Calendar::standard(SH);
        assert_eq!(c.add_working_seconds(t, i64::MAX), DateTime::<Utc>::MAX_UTC);
    }

    #[test]
    fn r13_dst_new_york_spring_forward_keeps_nine_hour_days() {
        let c = Calendar::standard(NY);
        // Clocks jump 02:00 → 03:00 on Sunday 2026-03-08.
        let fri = date(2026, 3, 6);
        let mon = date(2026, 3, 9);
        let (fs, fe) = c.window(fri).unwrap();
        let (ms, me) = c.window(mon).unwrap();
        assert_eq!(fs, Utc.with_ymd_and_hms(2026, 3, 6, 14, 0, 0).unwrap()); // EST
        assert_eq!(ms, Utc.with_ymd_and_hms(2026, 3, 9, 13, 0, 0).unwrap()); // EDT
        assert_eq!((fe - fs).num_seconds(), 9 * 3600);
        assert_eq!((me - ms).num_seconds(), 9 * 3600);
        let week = c.working_seconds_between(at(NY, 2026, 3, 2, 0, 0), at(NY, 2026, 3, 14, 0, 0));
        assert_eq!(week, 10 * 9 * 3600);
        // One working day from Friday close is Monday close, in EDT.
        assert_eq!(c.add_working_seconds(fe, 9 * 3600), me);
        assert_eq!(c.end_of_working_day(at(NY, 2026, 3, 7, 12, 0)), me);
    }

    #[test]
    fn r13_dst_gap_and_overlap_do_not_panic() {
        let mut c = Calendar::standard(NY);
        c.makeup_days = [date(2026, 3, 8), date(2026, 11, 1)].into();
        // 02:30 does not exist on 2026-03-08: read as EST, i.e. 03:30 EDT.
        c.day_start = NaiveTime::from_hms_opt(2, 30, 0).unwrap();
        let (s, e) = c.window(date(2026, 3, 8)).unwrap();
        assert_eq!(s, Utc.with_ymd_and_hms(2026, 3, 8, 7, 30, 0).unwrap());
        assert_eq!(e, Utc.with_ymd_and_hms(2026, 3, 8, 22, 0, 0).unwrap());
        // 01:30 happens twice on 2026-11-01: the earlier (EDT) one is used.
        c.day_start = NaiveTime::from_hms_opt(1, 30, 0).unwrap();
        let (s, _) = c.window(date(2026, 11, 1)).unwrap();
        assert_eq!(s, Utc.with_ymd_and_hms(2026, 11, 1, 5, 30, 0).unwrap());
    }
}
