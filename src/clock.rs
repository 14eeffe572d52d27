//! The one place that reads the wall clock. `HOTLINE_CLOCK_OFFSET` (seconds,
//! may be negative) shifts it, so tests and demos can watch SLA badges move
//! without waiting hours. Everything below the CLI takes time as a parameter.
use chrono::{DateTime, Duration, Utc};

pub fn now() -> DateTime<Utc> {
    let offset = std::env::var("HOTLINE_CLOCK_OFFSET")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or(0);
    Utc::now() + Duration::seconds(offset)
}
