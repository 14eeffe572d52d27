//! R6: the live queue's order. Breached first, then major, then the nearest
//! SLA due time; class A customers ahead at equal urgency; then oldest first.
//! Also the badges (R14) of each item at a given time, and the next instant
//! any badge changes, so the screen redraws exactly then and not before.
use std::cmp::Ordering;

use super::model::{CallbackPurpose, CustomerClass, Role, Severity, Status};
use super::sla::{self, Badge};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    Complaint,
    Callback,
}

/// One SLA clock as stored: at-risk instant, due instant, met instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredClock {
    pub risk: i64,
    pub due: i64,
    pub met: Option<i64>,
}

impl StoredClock {
    pub fn badge(&self, now: i64) -> Badge {
        let t = super::instant;
        sla::badge(t(self.risk), t(self.due), self.met.map(t), t(now))
    }

    fn next_boundary(&self, now: i64) -> Option<i64> {
        let t = super::instant;
        sla::next_boundary(t(self.risk), t(self.due), self.met.map(t), t(now))
            .map(|d| d.timestamp())
    }
}

/// A queue row: an open complaint or a pending callback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub kind: ItemKind,
    /// Complaint id or callback id, by `kind`.
    pub id: i64,
    pub complaint_id: i64,
    pub number: String,
    pub severity: Severity,
    pub status: Status,
    pub subject: String,
    pub customer_id: Option<i64>,
    pub customer_name: String,
    pub phone: String,
    pub class: CustomerClass,
    pub confidential: bool,
    pub anonymous: bool,
    pub category_zh: String,
    pub category_en: String,
    pub received_at: i64,
    pub assignee_id: Option<i64>,
    pub assignee_name: String,
    pub assignee_role: Option<Role>,
    pub channel: String,
    pub complainant_count: i64,
    pub first_response: Option<StoredClock>,
    pub solution: Option<StoredClock>,
    pub close: Option<StoredClock>,
    pub major_ack: Option<StoredClock>,
    pub callback_due: Option<i64>,
    /// R14 for callbacks: at risk once this share of the time from creation
    /// to due is used (set by the store from `sla.at_risk_percent`).
    pub callback_risk: Option<i64>,
    pub purpose: Option<CallbackPurpose>,
    pub attempts: (i64, i64),
    pub version: i64,
}

impl Item {
    /// A row with nothing known yet but its kind and id: a general, new
    /// complaint with no clocks, no customer, no assignee. The store's rows
    /// and every test fixture start from it (`Item { .., ..Item::new(..) }`).
    pub fn new(kind: ItemKind, id: i64) -> Item {
        Item {
            kind,
            id,
            complaint_id: id,
            number: String::new(),
            severity: Severity::General,
            status: Status::New,
            subject: String::new(),
            customer_id: None,
            customer_name: String::new(),
            phone: String::new(),
            class: CustomerClass::C,
            confidential: false,
            anonymous: false,
            category_zh: String::new(),
            category_en: String::new(),
            received_at: 0,
            assignee_id: None,
            assignee_name: String::new(),
            assignee_role: None,
            channel: String::new(),
            complainant_count: 1,
            first_response: None,
            solution: None,
            close: None,
            major_ack: None,
            callback_due: None,
            callback_risk: None,
            purpose: None,
            attempts: (0, 0),
            version: 0,
        }
    }

    /// The clocks that still run, in the order the detail pane lists them.
    pub fn clocks(&self) -> impl Iterator<Item = (ClockName, StoredClock)> + '_ {
        [
            (ClockName::FirstResponse, self.first_response),
            (ClockName::Solution, self.solution),
            (ClockName::Close, self.close),
            (ClockName::MajorReport, self.major_ack),
        ]
        .into_iter()
        .filter_map(|(n, c)| c.map(|c| (n, c)))
        .filter(move |(n, _)| match n {
            // A resolved complaint waits for its close, nothing else.
            ClockName::FirstResponse | ClockName::Solution => self.status != Status::Resolved,
            _ => true,
        })
    }

    /// A callback's own clock, from its creation to its due time.
    pub fn callback_clock(&self) -> Option<StoredClock> {
        let due = self.callback_due?;
        Some(StoredClock {
            risk: self.callback_risk.unwrap_or(due).min(due),
            due,
            met: None,
        })
    }

    /// The badge shown in the list: the worst of the running clocks; for a
    /// callback, its own clock (R14).
    pub fn badge(&self, now: i64) -> Badge {
        if let Some(c) = self.callback_clock() {
            return c.badge(now);
        }
        let rank = |b: Badge| match b {
            Badge::Breached => 3,
            Badge::AtRisk => 2,
            Badge::MetLate | Badge::OnTrack => 1,
            Badge::Met => 0,
        };
        self.clocks()
            .map(|(_, c)| c.badge(now))
            .filter(|b| !matches!(b, Badge::Met | Badge::MetLate))
            .max_by_key(|b| rank(*b))
            .unwrap_or(Badge::Met)
    }

    /// R16: the time a script may promise the customer (`{due_date}`):
    /// the nearest due time, as of `now`, of a clock the customer is
    /// waiting on (a callback, first response, solution, close) that is
    /// still ahead. A breached clock is never promised; None when every
    /// clock is past (the script then says "as soon as possible").
    pub fn promise_due(&self, now: i64) -> Option<i64> {
        if let Some(due) = self.callback_due.filter(|d| *d > now) {
            return Some(due);
        }
        self.clocks()
            .filter(|(n, c)| *n != ClockName::MajorReport && c.met.is_none() && c.due > now)
            .map(|(_, c)| c.due)
            .min()
    }

    /// The nearest due time of a clock not yet met.
    pub fn next_due(&self) -> Option<i64> {
        if let Some(due) = self.callback_due {
            return Some(due);
        }
        self.clocks()
            .filter(|(_, c)| c.met.is_none())
            .map(|(_, c)| c.due)
            .min()
    }

    pub fn urgency(&self, now: i64) -> Urgency {
        Urgency {
            breached: self.badge(now) == Badge::Breached,
            major: self.severity == Severity::Major,
            due: self.next_due(),
            class_a: self.class == CustomerClass::A,
            received: self.received_at,
            id: self.id * 2 + i64::from(self.kind == ItemKind::Callback),
        }
    }

    /// R12: a major complaint no supervisor has acknowledged yet.
    pub fn unacknowledged_major(&self) -> bool {
        self.kind == ItemKind::Complaint
            && self.severity == Severity::Major
            && self.major_ack.is_some_and(|c| c.met.is_none())
    }

    /// The next instant after `now` at which this item's badge changes.
    pub fn next_boundary(&self, now: i64) -> Option<i64> {
        if let Some(c) = self.callback_clock() {
            return c.next_boundary(now);
        }
        self.clocks()
            .filter_map(|(_, c)| c.next_boundary(now))
            .min()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockName {
    FirstResponse,
    Solution,
    Close,
    MajorReport,
}

/// Sorts items into R6 order for `now`.
pub fn sort(items: &mut [Item], now: i64) {
    // Each item's urgency is computed once (it reads every clock's badge),
    // not twice per comparison: 5,000 open complaints, ~120,000 comparisons.
    items.sort_by_cached_key(|i| ByUrgency(i.urgency(now)));
}

/// [`Urgency`] ordered by [`compare`], so a sort can cache it as a key.
#[derive(PartialEq, Eq)]
struct ByUrgency(Urgency);

impl Ord for ByUrgency {
    fn cmp(&self, other: &Self) -> Ordering {
        compare(&self.0, &other.0)
    }
}

impl PartialOrd for ByUrgency {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The earliest instant after `now` at which any badge changes.
pub fn next_boundary(items: &[Item], now: i64) -> Option<i64> {
    items.iter().filter_map(|i| i.next_boundary(now)).min()
}

/// What the order needs to know about one queue item (a complaint or a due
/// callback), computed for a given `now` by the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Urgency {
    pub breached: bool,
    pub major: bool,
    /// Nearest unmet due time (unix seconds); `None` sorts last.
    pub due: Option<i64>,
    pub class_a: bool,
    pub received: i64,
    pub id: i64,
}

pub fn compare(a: &Urgency, b: &Urgency) -> Ordering {
    b.breached
        .cmp(&a.breached)
        .then(b.major.cmp(&a.major))
        .then(match (a.due, b.due) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        })
        .then(b.class_a.cmp(&a.class_a))
        .then(a.received.cmp(&b.received))
        .then(a.id.cmp(&b.id))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(id: i64, breached: bool, major: bool, due: Option<i64>, class_a: bool) -> Urgency {
        Urgency {
            breached,
            major,
            due,
            class_a,
            received: 0,
            id,
        }
    }

    #[test]
    fn r6_breached_then_major_then_due_then_class_a() {
        let mut v = [
            u(1, false, false, Some(100), false),
            u(2, false, true, Some(500), false),
            u(3, true, false, Some(900), false),
            u(4, false, false, Some(100), true),
            u(5, false, false, None, true),
            u(6, true, true, Some(950), false),
            u(7, false, false, Some(50), false),
        ];
        v.sort_by(compare);
        let ids: Vec<i64> = v.iter().map(|x| x.id).collect();
        assert_eq!(ids, vec![6, 3, 2, 7, 4, 1, 5]);
    }

    #[test]
    fn r6_oldest_first_when_all_else_equal() {
        let mut a = u(9, false, false, Some(10), false);
        let mut b = u(8, false, false, Some(10), false);
        a.received = 1;
        b.received = 2;
        assert_eq!(compare(&a, &b), Ordering::Less);
    }
}

#[cfg(test)]
pub(crate) mod item_tests {
    use super::*;

    /// A plain item with three running clocks (also used by
    /// `domain::wallboard`'s tests).
    pub(crate) fn item(id: i64, kind: ItemKind) -> Item {
        Item {
            number: format!("C20261122-{id:04}"),
            channel: "phone".into(),
            first_response: Some(StoredClock {
                risk: 800,
                due: 1000,
                met: None,
            }),
            solution: Some(StoredClock {
                risk: 1600,
                due: 2000,
                met: None,
            }),
            close: Some(StoredClock {
                risk: 8000,
                due: 10000,
                met: None,
            }),
            attempts: (0, 3),
            version: 1,
            ..Item::new(kind, id)
        }
    }

    #[test]
    fn r14_list_badge_is_the_worst_running_clock() {
        let mut i = item(1, ItemKind::Complaint);
        assert_eq!(i.badge(0), Badge::OnTrack);
        assert_eq!(i.badge(800), Badge::AtRisk);
        assert_eq!(i.badge(1000), Badge::Breached);
        i.first_response = Some(StoredClock {
            risk: 800,
            due: 1000,
            met: Some(900),
        });
        assert_eq!(i.badge(1000), Badge::OnTrack, "a met clock stops counting");
        assert_eq!(i.badge(1700), Badge::AtRisk);
    }

    #[test]
    fn r14_next_boundary_is_the_nearest_change() {
        let i = item(1, ItemKind::Complaint);
        assert_eq!(i.next_boundary(0), Some(800));
        assert_eq!(i.next_boundary(800), Some(1000));
        assert_eq!(i.next_boundary(1000), Some(1600));
        assert_eq!(
            next_boundary(&[i.clone(), item(2, ItemKind::Complaint)], 1999),
            Some(2000)
        );
    }

    #[test]
    fn r6_sort_puts_overdue_callbacks_and_breaches_first() {
        let mut cb = item(7, ItemKind::Callback);
        cb.callback_due = Some(500);
        cb.callback_risk = Some(400);
        let mut major = item(2, ItemKind::Complaint);
        major.severity = Severity::Major;
        major.first_response = Some(StoredClock {
            risk: 5000,
            due: 6000,
            met: None,
        });
        let mut a = item(3, ItemKind::Complaint);
        a.class = CustomerClass::A;
        let plain = item(4, ItemKind::Complaint);
        let mut v = vec![plain, a, major, cb];
        sort(&mut v, 600);
        let order: Vec<i64> = v.iter().map(|i| i.id).collect();
        assert_eq!(order, vec![7, 2, 3, 4]);
        // Later, the plain complaints breach their first response and jump ahead of the major.
        sort(&mut v, 1000);
        assert_eq!(v[0].id, 7);
        assert_eq!(v[1].id, 3, "breached, class A ahead at equal urgency");
        assert_eq!(v[2].id, 4);
    }

    #[test]
    fn r14_a_callback_goes_at_risk_then_late() {
        let mut cb = item(9, ItemKind::Callback);
        cb.callback_due = Some(1000);
        cb.callback_risk = Some(800);
        assert_eq!(cb.badge(799), Badge::OnTrack);
        assert_eq!(cb.badge(800), Badge::AtRisk);
        assert_eq!(cb.badge(1000), Badge::Breached);
        assert_eq!(cb.next_boundary(0), Some(800));
        assert_eq!(cb.next_boundary(800), Some(1000));
    }

    #[test]
    fn r16_the_promised_time_is_the_next_clock_still_ahead() {
        let mut i = item(1, ItemKind::Complaint);
        assert_eq!(i.promise_due(0), Some(1000));
        // First response breached: the solution clock is promised, never
        // a time already past.
        assert_eq!(i.promise_due(1000), Some(2000));
        assert_eq!(i.promise_due(5000), Some(10000));
        assert_eq!(i.promise_due(10000), None, "every clock is past");
        i.callback_due = Some(3000);
        assert_eq!(i.promise_due(100), Some(3000), "a callback's own time");
        assert_eq!(i.promise_due(3000), Some(10000), "the callback is overdue");
    }

    #[test]
    fn r12_unacknowledged_major() {
        let mut i = item(1, ItemKind::Complaint);
        i.severity = Severity::Major;
        i.major_ack = Some(StoredClock {
            risk: 1,
            due: 2,
            met: None,
        });
        assert!(i.unacknowledged_major());
        i.major_ack = Some(StoredClock {
            risk: 1,
            due: 2,
            met: Some(1),
        });
        assert!(!i.unacknowledged_major());
    }
}
