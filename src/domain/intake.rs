//! Intake (R1, R2, R4, R5): one complaint as outside programs (IVR, web
//! forms, mail gateways) or the intake form send it, checked field by field
//! before anything is stored.
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use serde::Deserialize;

use super::customer::{self, NewCustomer, RawCustomer};
use super::model::{Channel, Severity};
use super::severity;
use crate::error::{Error, Result};
use crate::text::{clean_line, clean_multiline};

pub const MAX_SUBJECT: usize = 200;
pub const MAX_DESCRIPTION: usize = 20_000;

/// The JSON an outside program sends. Unknown fields are refused so that a
/// misspelt field is an error rather than silently lost data.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntakeJson {
    pub channel: String,
    pub category: String,
    #[serde(default)]
    pub severity: Option<String>,
    #[serde(default)]
    pub major_reasons: Vec<String>,
    #[serde(default)]
    pub subject: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub received_at: Option<String>,
    #[serde(default)]
    pub customer_id: Option<i64>,
    #[serde(default)]
    pub customer: Option<CustomerJson>,
    #[serde(default)]
    pub anonymous: bool,
    #[serde(default)]
    pub sensitive: bool,
    /// R5: attach this report to an existing open complaint instead.
    #[serde(default)]
    pub duplicate_of: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct CustomerJson {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub phones: Vec<String>,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub company: String,
    #[serde(default)]
    pub class: String,
    #[serde(default)]
    pub plate: Option<String>,
    #[serde(default)]
    pub plates: Vec<String>,
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Complainant {
    Existing(i64),
    /// Matched to an existing customer by phone, else created (store).
    Customer(NewCustomer),
    Anonymous,
}

/// A complaint report that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewComplaint {
    pub channel: Channel,
    pub category: String,
    pub severity: Severity,
    pub major_reasons: Vec<String>,
    pub subject: String,
    pub description: String,
    pub received_at: DateTime<Utc>,
    pub complainant: Complainant,
    pub sensitive: bool,
    pub duplicate_of: Option<String>,
}

/// Parses and checks one JSON object. `tz` reads times given without an
/// offset; a time in the future (beyond a minute of clock skew) is refused.
pub fn from_json(text: &str, tz: chrono_tz::Tz, now: DateTime<Utc>) -> Result<NewComplaint> {
    let raw: IntakeJson =
        serde_json::from_str(text).map_err(|e| Error::invalid("json", e.to_string()))?;
    validate(raw, tz, now)
}

/// How far ahead of the server's clock a `received_at` may be (clock skew
/// between the sender and the server).
pub const FUTURE_SLACK_MINUTES: i64 = 5;

/// `received_at` bounded: not before the database was created minus the
/// backfill window, not more than a few minutes in the future, so a typo
/// or a year-0 date cannot sit on top of the queue "overdue by 740314d".
pub fn check_received_at(
    at: DateTime<Utc>,
    now: DateTime<Utc>,
    db_created: DateTime<Utc>,
    backfill_days: u32,
) -> Result<()> {
    let earliest = db_created.min(now) - chrono::Duration::days(i64::from(backfill_days));
    if at < earliest {
        return Err(Error::invalid(
            "received_at",
            format!(
                "{} is before {} (the database's start minus intake.backfill_days = {backfill_days})",
                at.format("%Y-%m-%d %H:%M UTC"),
                earliest.format("%Y-%m-%d")
            ),
        ));
    }
    if at > now + chrono::Duration::minutes(FUTURE_SLACK_MINUTES) {
        return Err(Error::invalid(
            "received_at",
            format!(
                "{} is in the future (now {})",
                at.format("%Y-%m-%d %H:%M UTC"),
                now.format("%Y-%m-%d %H:%M UTC")
            ),
        ));
    }
    Ok(())
}

pub fn validate(raw: IntakeJson, tz: chrono_tz::Tz, now: DateTime<Utc>) -> Result<NewComplaint> {
    let channel = raw
        .channel
        .parse::<Channel>()
        .map_err(|e| Error::invalid("channel", e))?;
    let category = clean_line("category", &raw.category, 64)?;
    if category.is_empty() {
        return Err(Error::invalid("category", "is empty"));
    }
    let requested = match raw.severity.as_deref() {
        None | Some("") => Severity::General,
        Some(s) => s
            .parse::<Severity>()
            .map_err(|e| Error::invalid("severity", e))?,
    };
    let severity = severity::at_intake(requested, &raw.major_reasons)
        .map_err(|e| Error::invalid("major_reasons", e))?;
    let subject = clean_line("subject", raw.subject.as_deref().unwrap_or(""), MAX_SUBJECT)?;
    if subject.is_empty() {
        return Err(Error::invalid("subject", "is missing"));
    }
    let description = clean_multiline(
        "description",
        raw.description.as_deref().unwrap_or(""),
        MAX_DESCRIPTION,
    )?;
    let received_at = match raw.received_at.as_deref() {
        None | Some("") => now,
        Some(s) => parse_time(s, tz).map_err(|e| Error::invalid("received_at", e))?,
    };
    if received_at > now + chrono::Duration::minutes(FUTURE_SLACK_MINUTES) {
        return Err(Error::invalid("received_at", "is in the future"));
    }
    let complainant = match (raw.customer_id, raw.customer, raw.anonymous) {
        (Some(id), None, false) => Complainant::Existing(id),
        (None, Some(c), false) => Complainant::Customer(customer_from_json(&c)?),
        (None, None, true) => Complainant::Anonymous,
        (None, None, false) => {
            return Err(Error::invalid(
                "customer",
                "give customer_id, customer {name, phone, ...} or \"anonymous\": true",
            ));
        }
        _ => {
            return Err(Error::invalid(
                "customer",
                "give only one of customer_id, customer and anonymous",
            ));
        }
    };
    let duplicate_of = match raw.duplicate_of.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(n) => {
            super::number::parse(n).map_err(|e| Error::invalid("duplicate_of", e))?;
            Some(n.to_string())
        }
    };
    Ok(NewComplaint {
        channel,
        category,
        severity,
        major_reasons: raw.major_reasons,
        subject,
        description,
        received_at,
        complainant,
        sensitive: raw.sensitive,
        duplicate_of,
    })
}

fn customer_from_json(c: &CustomerJson) -> Result<NewCustomer> {
    let phones: Vec<&str> = c
        .phone
        .iter()
        .chain(c.phones.iter())
        .map(String::as_str)
        .collect();
    let plates: Vec<&str> = c
        .plate
        .iter()
        .chain(c.plates.iter())
        .map(String::as_str)
        .collect();
    let raw = RawCustomer {
        name: &c.name,
        phones,
        address: &c.address,
        company: &c.company,
        class: &c.class,
        plates,
        code: &c.code,
        notes: &c.notes,
        confidential: false,
    };
    customer::validate("customer.", &raw)
}

/// RFC 3339 (`2026-11-22T09:30:00+08:00`), or a local time in the center's
/// zone (`2026-11-22 09:30[:00]`).
pub fn parse_time(s: &str, tz: chrono_tz::Tz) -> std::result::Result<DateTime<Utc>, String> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s.trim()) {
        return Ok(t.with_timezone(&Utc));
    }
    for f in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(n) = NaiveDateTime::parse_from_str(s.trim(), f) {
            return tz
                .from_local_datetime(&n)
                .earliest()
                .map(|t| t.with_timezone(&Utc))
                .ok_or_else(|| format!("{s:?} does not exist in {tz}"));
        }
    }
    Err(format!(
        "{s:?} is not a time (use RFC 3339 or YYYY-MM-DD HH:MM)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TZ: chrono_tz::Tz = chrono_tz::Asia::Shanghai;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, 2, 0, 0).unwrap()
    }

    fn field_of(json: &str) -> String {
        match from_json(json, TZ, now()) {
            Err(Error::Invalid { field, .. }) => field,
            other => panic!("expected an invalid field, got {other:?}"),
        }
    }

    const OK: &str = r#"{"channel":"phone","category":"service","subject":"等太久",
        "customer":{"name":"张三","phone":"138 0013 8000","plate":"粤B-12345"}}"#;

    #[test]
    fn received_at_is_bounded_both_ways() {
        let now = now();
        let created = now - chrono::Duration::days(10);
        let ok = |at| check_received_at(at, now, created, 30).is_ok();
        assert!(ok(now));
        assert!(ok(created - chrono::Duration::days(30)));
        assert!(!ok(created - chrono::Duration::days(31)));
        assert!(!ok(now + chrono::Duration::minutes(6)));
        let year0 = parse_time("0000-01-01 00:00", chrono_tz::Asia::Shanghai).unwrap();
        let e = check_received_at(year0, now, created, 30)
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("received_at: ") && e.contains("backfill_days"),
            "{e}"
        );
    }

    #[test]
    fn r1_records_what_registration_needs() {
        let c = from_json(OK, TZ, now()).unwrap();
        assert_eq!(c.channel, Channel::Phone);
        assert_eq!(c.received_at, now());
        let Complainant::Customer(cu) = c.complainant else {
            panic!()
        };
        assert_eq!(cu.phones, ["13800138000"]);
        assert_eq!(cu.plates, ["粤B12345"]);
    }

    #[test]
    fn r2_every_channel_is_accepted() {
        for ch in Channel::ALL {
            let j = OK.replace(
                "\"phone\",\"category\"",
                &format!("\"{}\",\"category\"", ch.code()),
            );
            assert_eq!(from_json(&j, TZ, now()).unwrap().channel, *ch);
        }
    }

    #[test]
    fn r4_major_reason_raises_severity() {
        let j = OK.replace("\"subject\"", "\"major_reasons\":[\"media\"],\"subject\"");
        assert_eq!(from_json(&j, TZ, now()).unwrap().severity, Severity::Major);
    }

    #[test]
    fn bad_input_names_the_field() {
        assert_eq!(field_of("{not json"), "json");
        assert_eq!(field_of(&OK.replace("\"phone\",", "\"fax\",")), "channel");
        assert_eq!(
            field_of(&OK.replace("\"subject\":\"等太久\",", "")),
            "subject"
        );
        assert_eq!(
            field_of(&OK.replace("138 0013 8000", "138OO138OOO")),
            "customer.phone"
        );
        assert_eq!(field_of(&OK.replace("等太久", "\\u001b[2J")), "subject");
        assert_eq!(field_of(&OK.replace("张三", "\\u009b31m")), "customer.name");
        let big = OK.replace(
            "\"subject\"",
            &format!("\"description\":\"{}\",\"subject\"", "x".repeat(1 << 20)),
        );
        assert_eq!(field_of(&big), "description");
        assert_eq!(
            field_of(&OK.replace(
                "\"subject\"",
                "\"received_at\":\"2030-01-01 00:00\",\"subject\""
            )),
            "received_at"
        );
        assert_eq!(
            field_of(r#"{"channel":"phone","category":"x","subject":"s"}"#),
            "customer"
        );
        assert_eq!(
            field_of(
                r#"{"channel":"phone","category":"x","subject":"s","anonymous":true,"customer_id":3}"#
            ),
            "customer"
        );
        assert_eq!(
            field_of(&OK.replace("\"subject\"", "\"colour\":1,\"subject\"")),
            "json"
        );
    }

    #[test]
    fn local_times_use_the_center_zone() {
        let t = parse_time("2026-11-22 09:30", TZ).unwrap();
        assert_eq!(t, Utc.with_ymd_and_hms(2026, 11, 22, 1, 30, 0).unwrap());
        let t = parse_time("2026-11-22T09:30:00+08:00", TZ).unwrap();
        assert_eq!(t, Utc.with_ymd_and_hms(2026, 11, 22, 1, 30, 0).unwrap());
    }
}
