//! `hotline intake`: how IVRs, web forms and mail gateways feed the live
//! queue (R2). Reads one JSON object (possibly spread over lines) or JSON
//! lines; each object is registered in its own transaction and its number
//! printed only after the commit returns, so a printed number is durable.
use std::io::{BufRead, Write};
use std::process::ExitCode;

use super::Cli;
use crate::domain::intake;
use crate::error::{Error, Result};
use crate::store::Db;
use crate::store::complaints::{self, Actor, Registered};

#[derive(clap::Args, Debug)]
pub struct Args {}

pub fn run(cli: &Cli, _a: &Args) -> Result<ExitCode> {
    let mut db = cli.open()?;
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let mut out = std::io::stdout().lock();
    // Skip leading blank lines; the first line decides the mode.
    let mut first = String::new();
    let mut first_no = 0usize;
    for (i, l) in lines.by_ref().enumerate() {
        let l = l?;
        if !l.trim().is_empty() {
            first = l;
            first_no = i + 1;
            break;
        }
    }
    if first.is_empty() {
        return Err(Error::invalid("stdin", "no JSON given"));
    }
    let first_is_whole = serde_json::from_str::<serde_json::Value>(&first).is_ok();
    if !first_is_whole {
        // One object spread over several lines: read it all, register it.
        let mut text = first;
        for l in lines {
            text.push('\n');
            text.push_str(&l?);
        }
        let r = register_one(&mut db, &text)?;
        print_registered(&mut out, &r)?;
        return Ok(ExitCode::SUCCESS);
    }
    // JSON lines: register each, report failures by line, keep going.
    let mut failed: Vec<String> = Vec::new();
    let mut done = 0usize;
    let mut handle = |no: usize, text: &str, out: &mut dyn Write| -> Result<()> {
        match register_one(&mut db, text) {
            Ok(r) => {
                done += 1;
                print_registered(out, &r)
            }
            Err(e @ (Error::Invalid { .. } | Error::NotFound(_))) => {
                eprintln!("line {no}: {e}");
                failed.push(format!("line {no}: {e}"));
                Ok(())
            }
            Err(e) => Err(Error::Database(format!("line {no}: {e}"))),
        }
    };
    handle(first_no, &first, &mut out)?;
    for (i, l) in lines.enumerate() {
        let l = l?;
        if !l.trim().is_empty() {
            handle(first_no + i + 1, &l, &mut out)?;
        }
    }
    if failed.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!(
        "hotline: {} registered, {} failed: {}",
        done,
        failed.len(),
        failed
            .iter()
            .map(|f| f.split(':').next().unwrap_or(""))
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(ExitCode::from(3))
}

fn register_one(db: &mut Db, text: &str) -> Result<Registered> {
    db.write_with_settings(|tx, s| {
        let now = crate::clock::now();
        let nc = intake::from_json(text, s.calendar.tz, now)?;
        complaints::register(tx, &nc, Actor::SYSTEM, s, now)
    })
}

fn print_registered(out: &mut dyn Write, r: &Registered) -> Result<()> {
    if r.attached {
        writeln!(out, "{} attached", r.number)?;
    } else {
        writeln!(out, "{}", r.number)?;
    }
    out.flush()?;
    Ok(())
}
