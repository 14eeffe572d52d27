//! `hotline intake`: how IVRs, web forms and mail gateways feed the live
//! queue (R2). Reads one JSON object (possibly spread over lines) or JSON
//! lines; each object is registered in its own transaction and its number
//! printed only after the commit returns, so a printed number is durable.
//! Input is read as bytes: a line that is not UTF-8 is reported by number
//! and the other lines still go in; a UTF-8 BOM at the start is skipped.
use std::io::BufRead;
use std::process::ExitCode;

use super::Cli;
use super::out::{Out, warn};
use crate::domain::intake;
use crate::error::{Error, Result};
use crate::store::Db;
use crate::store::complaints::{self, Actor, Registered};

#[derive(clap::Args, Debug)]
pub struct Args {}

/// One input line: its number (from 1) and its text, or why it has none.
type Line = (usize, std::result::Result<String, String>);

fn lines(input: impl BufRead) -> impl Iterator<Item = std::io::Result<Line>> {
    input.split(b'\n').enumerate().map(|(i, l)| {
        let mut bytes = l?;
        if bytes.last() == Some(&b'\r') {
            bytes.pop();
        }
        if i == 0 && bytes.starts_with(b"\xEF\xBB\xBF") {
            bytes.drain(..3);
        }
        Ok((
            i + 1,
            String::from_utf8(bytes).map_err(|_| "not UTF-8".to_string()),
        ))
    })
}

pub fn run(cli: &Cli, _a: &Args) -> Result<ExitCode> {
    let mut db = cli.open()?;
    let stdin = std::io::stdin();
    let mut lines = lines(stdin.lock());
    let mut out = Out::stdout();
    // Skip leading blank lines; the first line decides the mode.
    let mut first: Option<Line> = None;
    for l in lines.by_ref() {
        let l = l?;
        if l.1.as_ref().map_or(true, |t| !t.trim().is_empty()) {
            first = Some(l);
            break;
        }
    }
    let Some((first_no, first)) = first else {
        return Err(Error::invalid("stdin", "no JSON given"));
    };
    let first_is_whole = first
        .as_ref()
        .is_ok_and(|t| serde_json::from_str::<serde_json::Value>(t).is_ok());
    if !first_is_whole && first.is_ok() {
        // One object spread over several lines: read it all, register it.
        let mut text = first.unwrap_or_default();
        for l in lines {
            let (no, l) = l?;
            let l = l.map_err(|e| Error::invalid(format!("line {no}"), e))?;
            text.push('\n');
            text.push_str(&l);
        }
        let r = register_one(&mut db, &text)?;
        print_registered(&mut out, &r)?;
        return Ok(ExitCode::SUCCESS);
    }
    // JSON lines: register each, report failures by line, keep going.
    let mut failed: Vec<usize> = Vec::new();
    let mut done = 0usize;
    let mut handle = |no: usize, text: std::result::Result<String, String>, out: &mut Out| {
        let r = match text {
            Ok(t) => register_one(&mut db, &t),
            Err(e) => Err(Error::invalid("input", e)),
        };
        match r {
            Ok(r) => {
                done += 1;
                print_registered(out, &r)
            }
            Err(e @ (Error::Invalid { .. } | Error::NotFound(_))) => {
                let e = match e {
                    Error::Invalid { field, msg } if field == "input" => msg,
                    e => e.to_string(),
                };
                warn(&format!("line {no}: {e}"));
                failed.push(no);
                Ok(())
            }
            Err(e) => Err(Error::Database(format!("line {no}: {e}"))),
        }
    };
    handle(first_no, first, &mut out)?;
    for l in lines {
        let (no, l) = l?;
        if l.as_ref().map_or(true, |t| !t.trim().is_empty()) {
            handle(no, l, &mut out)?;
        }
    }
    if failed.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    let list: Vec<String> = failed.iter().map(|n| format!("line {n}")).collect();
    warn(&format!(
        "hotline: {} registered, {} failed: {}",
        done,
        failed.len(),
        list.join(", ")
    ));
    Ok(ExitCode::from(3))
}

fn register_one(db: &mut Db, text: &str) -> Result<Registered> {
    db.write_with_settings(|tx, s| {
        let now = crate::clock::now();
        let nc = intake::from_json(text, s.calendar.tz, now)?;
        complaints::register(tx, &nc, Actor::SYSTEM, s, now.timestamp())
    })
}

fn print_registered(out: &mut Out, r: &Registered) -> Result<()> {
    if r.attached {
        out.line(&format!("{} attached", r.number))?;
    } else {
        out.line(&r.number)?;
    }
    out.flush()?;
    Ok(())
}
