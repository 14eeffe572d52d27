//! `hotline lookup --phone NUMBER`: what a PBX screen pop or an IVR asks
//! for when a call comes in — the customers owning the number, with their
//! open complaints and pending callbacks. It reads the database's phone
//! index directly (no search index to load), so it answers in a few
//! milliseconds. R30: customers `--agent`'s role may not see are neither
//! listed nor counted; phones other than the one asked for are masked.
//! R31: every record it reveals is opened through `archive::open`, which
//! writes the audit entry in the same transaction.
use crate::domain::privacy::{self, PhoneView};
use std::process::ExitCode;

use super::Cli;
use crate::domain::phone;
use crate::error::{Error, Result};
use crate::store::archive::{self, Purpose, Record};
use crate::store::customers;
use crate::text::for_display;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The caller's number, as intake takes it: `+86 138 0013 8000`,
    /// `138-0013-8000`, `010-12345678`
    #[arg(long, value_name = "NUMBER")]
    pub phone: String,
    /// One JSON object instead of text
    #[arg(long)]
    pub json: bool,
}

/// What the audit entry says the record was opened for (R31).
const PURPOSE: &str = "phone lookup";

/// The stored forms a caller's number can have: intake keeps `+86` when
/// it was given, so a mainland number is looked up with and without it.
pub fn stored_forms(normalised: &str) -> Vec<String> {
    let mut v = vec![normalised.to_string()];
    if let Some(national) = normalised.strip_prefix("+86") {
        v.push(national.to_string());
    } else if !normalised.starts_with('+') {
        v.push(format!("+86{normalised}"));
    }
    v
}

#[derive(serde::Serialize)]
struct Complaint<'a> {
    number: &'a str,
    status: &'a str,
    severity: &'a str,
    subject: &'a str,
    assignee: &'a str,
    registered_at: i64,
}

#[derive(serde::Serialize)]
struct Callback<'a> {
    complaint: &'a str,
    due_at: i64,
    due: bool,
    purpose: &'a str,
    assignee: &'a str,
}

#[derive(serde::Serialize)]
struct Customer<'a> {
    id: i64,
    code: Option<&'a str>,
    name: &'a str,
    class: Option<char>,
    /// Whole only where it is the number asked for (R30).
    phones: Vec<String>,
    open_complaints: Vec<Complaint<'a>>,
    callbacks: Vec<Callback<'a>>,
}

#[derive(serde::Serialize)]
struct Out<'a> {
    phone: &'a str,
    customers: Vec<Customer<'a>>,
}

fn customer<'a>(r: &'a Record, forms: &[String], now: i64) -> Customer<'a> {
    Customer {
        id: r.summary.id,
        code: r.summary.code.as_deref(),
        name: &r.summary.name,
        class: r.summary.class.map(|k| k.letter()),
        phones: r
            .phones
            .iter()
            .map(|p| {
                if forms.contains(p) {
                    p.clone()
                } else {
                    privacy::show_phone(p, PhoneView::Masked)
                }
            })
            .collect(),
        open_complaints: r
            .complaints
            .iter()
            .filter(|c| c.status != "closed")
            .map(|c| Complaint {
                number: &c.number,
                status: &c.status,
                severity: &c.severity,
                subject: &c.subject,
                assignee: &c.assignee,
                registered_at: c.registered_at,
            })
            .collect(),
        callbacks: r
            .callbacks
            .iter()
            .map(|b| Callback {
                complaint: &b.complaint,
                due_at: b.due_at,
                due: b.due_at <= now,
                purpose: &b.purpose,
                assignee: &b.assignee,
            })
            .collect(),
    }
}

/// Exit status: 0 when a customer was found, 1 when none (either output).
fn found(out: &Out<'_>) -> ExitCode {
    if out.customers.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

pub fn run(cli: &Cli, a: &Args) -> Result<ExitCode> {
    let normalised = phone::normalize(&a.phone).map_err(|msg| Error::invalid("phone", msg))?;
    let forms = stored_forms(&normalised);
    let mut db = cli.open()?;
    let me = super::whoami(&mut db, cli)?;
    let now = crate::clock::now().timestamp();
    let records: Vec<Record> = db.write(|c| {
        let mut out = Vec::new();
        for id in customers::owning_phones(c, &forms)? {
            match archive::open(c, id, &me, &Purpose::Reason(PURPOSE.into()), now) {
                Ok(r) => out.push(r),
                // R30: not this role's to see, not even as a count.
                Err(Error::Denied(_)) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    })?;
    let out = Out {
        phone: &normalised,
        customers: records.iter().map(|r| customer(r, &forms, now)).collect(),
    };
    if a.json {
        let text =
            serde_json::to_string_pretty(&out).map_err(|e| Error::Database(e.to_string()))?;
        println!("{text}");
        return Ok(found(&out));
    }
    if out.customers.is_empty() {
        eprintln!("no customer has {}", phone::display(&normalised));
        return Ok(ExitCode::from(1));
    }
    for c in &out.customers {
        println!(
            "{}  {}  {}  {}",
            c.id,
            for_display(c.code.unwrap_or("-")),
            for_display(c.name),
            c.phones.join(" ")
        );
        for x in &c.open_complaints {
            println!(
                "  {}  {}  {}  {}",
                x.number,
                x.status,
                x.severity,
                for_display(x.subject)
            );
        }
        for b in &c.callbacks {
            println!(
                "  callback {}  {}{}",
                b.complaint,
                chrono::DateTime::from_timestamp(b.due_at, 0)
                    .map_or_else(|| b.due_at.to_string(), |t| t.to_rfc3339()),
                if b.due { "  due" } else { "" }
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
