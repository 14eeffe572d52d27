//! Plain data and pure functions: the rules of shared/SPEC.md with the
//! current time as a parameter. No SQL, no terminal, no clock reads.
pub mod access;
pub mod calendar;
pub mod callback;
pub mod category;
pub mod customer;
pub mod customer_csv;
pub mod customer_keys;
pub mod intake;
pub mod model;
pub mod number;
pub mod outcome;
pub mod phone;
pub mod presence;
pub mod privacy;
pub mod queue;
pub mod report;
pub mod script;
pub mod script_file;
pub mod settings;
pub mod severity;
pub mod similar;
pub mod sla;
pub mod ssh_key;
pub mod status;
pub mod survey;
pub mod wallboard;

/// Unix seconds, as the store and the screens hold time, as an instant for
/// the rules that count in calendar time. (A second beyond chrono's range,
/// ±262,000 years, which no clock or column holds, reads as the epoch.)
pub fn instant(secs: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(secs, 0).unwrap_or_default()
}
