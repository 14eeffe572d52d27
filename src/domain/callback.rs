//! Callbacks (R19-R21): who makes them and when they are due.
use chrono::{DateTime, Duration, Utc};

use super::model::{Role, Severity};

/// Who must make a callback: one agent, anyone with a role, or anyone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    Agent(i64),
    Role(Role),
}

/// R19: satisfaction callbacks go by severity: general → the pool of agents,
/// important → supervisors, major → managers.
pub fn survey_route(sev: Severity) -> Route {
    match sev {
        Severity::General => Route::Role(Role::Agent),
        Severity::Important => Route::Role(Role::Supervisor),
        Severity::Major => Route::Role(Role::Manager),
    }
}

/// R19: due within the configured hours of resolution.
pub fn survey_due(resolved_at: DateTime<Utc>, due_hours: u32) -> DateTime<Utc> {
    resolved_at + Duration::hours(i64::from(due_hours))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r19_route_by_severity() {
        assert_eq!(survey_route(Severity::General), Route::Role(Role::Agent));
        assert_eq!(
            survey_route(Severity::Important),
            Route::Role(Role::Supervisor)
        );
        assert_eq!(survey_route(Severity::Major), Route::Role(Role::Manager));
    }

    #[test]
    fn r19_due_within_three_days_by_default() {
        let t = DateTime::from_timestamp(1_000_000, 0).unwrap();
        assert_eq!(survey_due(t, 72) - t, Duration::days(3));
    }
}
