//! Property tests for the arithmetic users trust blindly: SLA clocks over
//! any calendar (R9–R14), the queue's order (R6), phone normalisation and
//! masking (R30). Each property runs proptest's default 256 cases; set
//! `PROPTEST_CASES` for longer runs.
// Test code speaks through panics: a failed unwrap is a failed test; a scenario reads best whole.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::too_many_lines
)]
use std::cmp::Ordering;
use std::collections::BTreeSet;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use hotline::domain::calendar::Calendar;
use hotline::domain::phone;
use hotline::domain::queue::{Urgency, compare};
use hotline::domain::sla::{Target, clock};
use proptest::prelude::*;

const ZONES: [Tz; 4] = [
    chrono_tz::Asia::Shanghai,
    chrono_tz::Europe::Berlin,
    chrono_tz::America::New_York,
    chrono_tz::UTC,
];

/// Any valid calendar: some working weekdays, hours between 06:00 and 22:00
/// (DST changes happen at night, outside them), holidays and make-up days
/// in the weeks the tests look at.
fn calendar() -> impl Strategy<Value = Calendar> {
    (
        0..ZONES.len(),
        prop::array::uniform7(any::<bool>()),
        0usize..7,
        6u32..14,
        0u32..4,
        1u32..9,
        prop::collection::btree_set(0i64..120, 0..20),
        prop::collection::btree_set(0i64..120, 0..6),
    )
        .prop_map(
            |(z, mut weekdays, force, start_h, start_q, len_h, hol, mk)| {
                weekdays[force] = true; // validate() wants one working weekday
                let base = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
                let day = |n: &i64| base + Duration::days(*n);
                let holidays: BTreeSet<NaiveDate> = hol.iter().map(day).collect();
                let makeup_days = mk
                    .iter()
                    .map(day)
                    .filter(|d| !holidays.contains(d))
                    .collect();
                let start = NaiveTime::from_hms_opt(start_h, start_q * 15, 0).unwrap_or_default();
                Calendar {
                    tz: ZONES[z],
                    weekdays,
                    day_start: start,
                    day_end: start + Duration::hours(i64::from(len_h)),
                    holidays,
                    makeup_days,
                }
            },
        )
}

/// An instant in the first ~100 days of 2026, to the second.
fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    (0i64..100 * 86_400).prop_map(|s| {
        Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
            .single()
            .unwrap_or_default()
            + Duration::seconds(s)
    })
}

/// A deadline counted in working days lands on a working date, within its
/// hours (the window's end itself counts: a clock running out at 18:00 is
/// due at 18:00).
fn inside_working_hours(cal: &Calendar, t: DateTime<Utc>) -> bool {
    let local = t.with_timezone(&cal.tz);
    let time = local.time().with_nanosecond(0).unwrap_or_default();
    cal.is_working_day(local.date_naive()) && time >= cal.day_start && time <= cal.day_end
}

proptest! {
    #[test]
    fn r13_working_day_deadline_is_never_in_a_holiday_or_after_hours(
        cal in calendar(), start in instant(), n in 1u32..6, pct in 0u8..=100,
    ) {
        prop_assert!(cal.validate().is_ok());
        let c = clock(Target::WorkingDays(n), start, &cal, pct);
        prop_assert!(inside_working_hours(&cal, c.due), "due {} outside working time", c.due);
        prop_assert!(inside_working_hours(&cal, c.risk_at), "risk {} outside working time", c.risk_at);
        prop_assert!(c.start <= c.risk_at && c.risk_at <= c.due);
    }

    #[test]
    fn r9_same_working_day_ends_at_a_working_day_end(cal in calendar(), start in instant()) {
        let c = clock(Target::SameWorkingDay, start, &cal, 80);
        let local = c.due.with_timezone(&cal.tz);
        prop_assert!(cal.is_working_day(local.date_naive()));
        prop_assert_eq!(local.time(), cal.day_end);
        prop_assert!(c.due > start);
    }

    #[test]
    fn r10_deadlines_never_move_backwards_as_time_passes(
        cal in calendar(), a in instant(), later in 0i64..20 * 86_400, n in 1u32..4, h in 1u32..200,
    ) {
        let b = a + Duration::seconds(later);
        for target in [Target::WorkingDays(n), Target::SameWorkingDay, Target::Hours(h)] {
            let (ca, cb) = (clock(target, a, &cal, 80), clock(target, b, &cal, 80));
            prop_assert!(ca.due <= cb.due, "{target}: {} then {}", ca.due, cb.due);
            prop_assert!(ca.risk_at <= cb.risk_at, "{target}: risk {} then {}", ca.risk_at, cb.risk_at);
        }
    }

    #[test]
    fn r13_paused_clock_adds_up(cal in calendar(), start in instant(), x in 0i64..200_000, y in 1i64..200_000) {
        // Walking x then y working seconds is walking x + y at once …
        let step = cal.add_working_seconds(cal.add_working_seconds(start, x), y);
        prop_assert_eq!(step, cal.add_working_seconds(start, x + y));
        // … and exactly x + y working seconds pass on the way.
        let from = cal.add_working_seconds(start, 0);
        prop_assert_eq!(cal.working_seconds_between(from, step), x + y);
    }

    #[test]
    fn r13_working_time_splits_anywhere(cal in calendar(), a in instant(), d1 in 0i64..900_000, d2 in 0i64..900_000) {
        let b = a + Duration::seconds(d1);
        let c = b + Duration::seconds(d2);
        prop_assert_eq!(
            cal.working_seconds_between(a, c),
            cal.working_seconds_between(a, b) + cal.working_seconds_between(b, c)
        );
    }
}

fn urgency() -> impl Strategy<Value = Urgency> {
    (
        any::<bool>(),
        any::<bool>(),
        prop::option::of(0i64..50),
        any::<bool>(),
        0i64..20,
        0i64..1_000,
    )
        .prop_map(|(breached, major, due, class_a, received, id)| Urgency {
            breached,
            major,
            due,
            class_a,
            received,
            id,
        })
}

proptest! {
    #[test]
    fn r6_order_is_a_total_order(a in urgency(), b in urgency(), c in urgency()) {
        // Antisymmetric, and equal only for equal keys.
        prop_assert_eq!(compare(&a, &b), compare(&b, &a).reverse());
        prop_assert_eq!(compare(&a, &a), Ordering::Equal);
        if compare(&a, &b) == Ordering::Equal {
            prop_assert_eq!(a, b);
        }
        // Transitive.
        if compare(&a, &b) != Ordering::Greater && compare(&b, &c) != Ordering::Greater {
            prop_assert_ne!(compare(&a, &c), Ordering::Greater);
        }
    }

    #[test]
    fn r6_order_does_not_depend_on_arrival_order(mut v in prop::collection::vec(urgency(), 0..40), seed in any::<u64>()) {
        let mut w = v.clone();
        // A deterministic shuffle of the copy.
        let mut s = seed | 1;
        for i in (1..w.len()).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            w.swap(i, (s % (i as u64 + 1)) as usize);
        }
        v.sort_by(compare);
        w.sort_by(compare);
        prop_assert_eq!(&v, &w);
        // Breached items come first, always.
        let first_unbreached = v.iter().position(|u| !u.breached).unwrap_or(v.len());
        prop_assert!(v[first_unbreached..].iter().all(|u| !u.breached));
    }
}

/// Phone-ish input: digits, separators, `+`, extension words, full noise.
fn phone_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\+?[0-9 ()./-]{1,24}",
        "(\\+86 ?)?1[3-9][0-9]{9}( (转|ext|x) ?[0-9]{1,5})?",
        "0[1-9][0-9]{1,2}-[0-9]{7,8}(-[0-9]{1,4})?",
        ".{0,20}",
    ]
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

proptest! {
    #[test]
    fn phone_normalisation_is_idempotent(input in phone_text()) {
        if let Ok(once) = phone::normalize(&input) {
            prop_assert_eq!(phone::normalize(&once), Ok(once.clone()));
            // What is shown grouped reads back as the same number.
            prop_assert_eq!(phone::normalize(&phone::display(&once)), Ok(once));
        }
    }

    #[test]
    fn r30_mask_never_reveals_more_than_the_mask(input in phone_text()) {
        let p = match phone::normalize(&input) {
            Ok(p) => p,
            // Text that is not in stored form (a hostile writer's column):
            // nothing of it is shown.
            Err(_) if !input.bytes().all(|b| b.is_ascii_digit() || b == b'+' || b == b'x') || input.is_empty() => {
                let m = phone::mask(&input);
                prop_assert!(m.chars().all(|c| c == '*'), "{m} from {input:?}");
                return Ok(());
            }
            // Stored-looking but not a valid number: masked like one.
            Err(_) => input.clone(),
        };
        let m = phone::mask(&p);
        let national = p.split('x').next().unwrap_or("");
        let national = national.strip_prefix("+86").unwrap_or(national);
        let national = national.strip_prefix('+').unwrap_or(national);
        let (all, shown) = (digits(national), digits(&m));
        // Never the whole number, never more than area code / prefix plus
        // the last four, never the extension.
        if !all.is_empty() {
            prop_assert!(shown.len() < all.len() || all.len() <= 4 && shown.is_empty(),
                "{m} reveals all of {p}");
        }
        prop_assert!(shown.len() <= 8, "{m} reveals {} digits of {p}", shown.len());
        prop_assert!(!m.contains('x'));
        // The last digits shown are the number's last digits.
        if shown.len() >= 4 {
            prop_assert!(all.ends_with(&shown[shown.len() - 4..]));
        }
    }
}
