//! R6: the live queue's order. Breached first, then major, then the nearest
//! SLA due time; class A customers ahead at equal urgency; then oldest first.
use std::cmp::Ordering;

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
