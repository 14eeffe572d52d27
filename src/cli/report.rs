//! `hotline report --month YYYY-MM|last` (R28) and `hotline report --year
//! YYYY --open` (R29), supervisors and up; `hotline export major` (R32).
use std::path::PathBuf;
use std::process::ExitCode;

use super::{Cli, output};
use crate::domain::report::{self as domain, Month};
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::report::{self, Format};
use crate::store::{major, report as store, settings};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The month: YYYY-MM, or "last" (the current month counts so far)
    #[arg(long, value_name = "YYYY-MM|last", conflicts_with = "year")]
    pub month: Option<String>,
    /// With --open: the complaints still open at the end of this year (R29)
    #[arg(long, value_name = "YYYY", requires = "open")]
    pub year: Option<String>,
    /// List the complaints open at the end of --year
    #[arg(long)]
    pub open: bool,
    /// text (80 columns), csv (UTF-8 with BOM), html (one page), json
    #[arg(long, value_name = "FORMAT", default_value = "text")]
    pub format: String,
    /// Write to this file instead of standard output
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    #[command(subcommand)]
    pub what: Export,
}

#[derive(clap::Subcommand, Debug)]
pub enum Export {
    /// Major complaints with their full history, as a separate file (R32)
    Major(MajorArgs),
}

#[derive(clap::Args, Debug)]
pub struct MajorArgs {
    /// First day (YYYY-MM-DD, the center's zone) [default: the beginning]
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Last day, inclusive [default: today]
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// csv (UTF-8 with BOM, one row per history entry) or json
    #[arg(long, value_name = "FORMAT", default_value = "csv")]
    pub format: String,
}

fn lang(cli: &Cli) -> Result<Lang> {
    Lang::detect(cli.lang.as_deref()).map_err(|e| Error::invalid("--lang", e))
}

fn supervisor(
    db: &mut crate::store::Db,
    cli: &Cli,
    what: &str,
) -> Result<crate::store::agents::Agent> {
    let me = super::whoami_for(db, cli, crate::domain::access::Permission::RunReports)
        .map_err(|e| Error::Denied(format!("{e} ({what})")))?;
    Ok(me)
}

pub fn run(cli: &Cli, a: &Args) -> Result<ExitCode> {
    let format: Format = a
        .format
        .parse()
        .map_err(|e: String| Error::invalid("--format", e))?;
    let lang = lang(cli)?;
    if let Some(out) = &a.out {
        output::check(out, &cli.db_path())?;
    }
    let mut db = cli.open()?;
    let me = supervisor(&mut db, cli, "read reports")?;
    let now = crate::clock::now().timestamp();
    let s = db.read(|c| settings::load(c))?;
    let tz = s.calendar.tz;
    if let Some(y) = &a.year {
        let year = domain::parse_year(y, now, tz).map_err(|e| Error::invalid("--year", e))?;
        let end = Month::new(year, 12, tz)
            .map(|m| m.end)
            .ok_or_else(|| Error::invalid("--year", "out of range"))?;
        let at = end.min(now);
        let items = db.read(|c| store::open_at(c, at))?;
        let tzn = tz.name();
        let text = match format {
            Format::Text => {
                let mut lines = vec![format!(
                    "{} {year} ({tzn})",
                    crate::i18n::Msg::RpYearTitle.text(lang)
                )];
                report::text::open_list(
                    &mut lines,
                    crate::i18n::Msg::RpOpenAtYearEnd.text(lang),
                    &items,
                    lang,
                );
                lines
                    .iter()
                    .map(|l| format!("{}\n", l.trim_end()))
                    .collect()
            }
            Format::Csv => report::csv::render_open(year, tzn, &items, lang),
            Format::Html => report::html::render_open(year, tzn, &items, lang),
            Format::Json => report::json::render_open(year, tzn, &items),
        };
        output::write(a.out.as_deref(), &cli.db_path(), &text)?;
        return Ok(ExitCode::SUCCESS);
    }
    let Some(m) = &a.month else {
        return Err(Error::invalid(
            "report",
            "give --month YYYY-MM|last, or --year YYYY --open",
        ));
    };
    let month = domain::parse_month(m, now, tz).map_err(|e| Error::invalid("--month", e))?;
    let r = db.read(|c| store::monthly(c, &s, month, now))?;
    let text = match format {
        Format::Text => report::text::render(&r, lang),
        Format::Csv => report::csv::render(&r, lang),
        Format::Html => report::html::render(&r, lang),
        Format::Json => report::json::render(&r),
    };
    output::write(a.out.as_deref(), &cli.db_path(), &text)?;
    // R28: producing it is recorded (the wallboard's reminder reads this).
    db.write(|c| store::record_produced(c, me.id, &me.login, month, format.code(), now))?;
    Ok(ExitCode::SUCCESS)
}

fn day(s: &str, flag: &str, tz: chrono_tz::Tz) -> Result<i64> {
    let d = chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| Error::invalid(flag, format!("{s:?} is not a date YYYY-MM-DD")))?;
    crate::domain::report::local_midnight(d, tz)
        .ok_or_else(|| Error::invalid(flag, format!("{s:?} is out of range")))
}

pub fn export(cli: &Cli, a: &ExportArgs) -> Result<ExitCode> {
    let Export::Major(a) = &a.what;
    let json = match a.format.trim().to_ascii_lowercase().as_str() {
        "csv" => false,
        "json" => true,
        other => {
            return Err(Error::invalid(
                "--format",
                format!("{other:?}: unknown format (expected csv or json)"),
            ));
        }
    };
    output::check(&a.out, &cli.db_path())?;
    let mut db = cli.open()?;
    let me = supervisor(&mut db, cli, "export major complaints")?;
    let now = crate::clock::now().timestamp();
    let tz = db.read(|c| settings::load(c))?.calendar.tz;
    let from = a
        .from
        .as_deref()
        .map(|s| day(s, "--from", tz))
        .transpose()?
        .unwrap_or(i64::MIN);
    let to = match a.to.as_deref() {
        Some(s) => day(s, "--to", tz)? + 86_400,
        None => now + 1,
    };
    if from >= to {
        return Err(Error::invalid("--from", "must be on or before --to"));
    }
    let list = db.read(|c| major::list(c, from, to))?;
    let tzn = tz.name();
    let text = if json {
        serde_json::to_string_pretty(&list).map_err(|e| Error::invalid("json", e.to_string()))?
    } else {
        major_csv(&list, tzn)
    };
    output::write(Some(&a.out), &cli.db_path(), &text)?;
    db.write(|c| {
        crate::store::audit::append(
            c,
            &crate::store::audit::Entry {
                agent_id: Some(me.id),
                agent_login: &me.login,
                action: "export",
                entity: "major_complaints",
                entity_id: None,
                purpose: "R32",
                detail: &format!("{} complaints to {}", list.len(), a.out.display()),
            },
            now,
        )
    })?;
    eprintln!(
        "{} major complaints written to {}",
        list.len(),
        a.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn major_csv(list: &[major::Major], tz: &str) -> String {
    use crate::text::for_display as d;
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let _ = w.write_record([
        "number",
        "registered_at",
        "channel",
        "category",
        "status",
        "major_reasons",
        "subject",
        "complainant",
        "complainant_count",
        "assignee",
        "acknowledged_at",
        "acknowledged_by",
        "entry_at",
        "entry_kind",
        "entry_by",
        "entry_detail",
    ]);
    for m in list {
        let head = [
            d(&m.number).into_owned(),
            report::local(m.registered_at, tz),
            m.channel.clone(),
            format!("{} / {}", d(&m.category_zh), d(&m.category_en)),
            m.status.clone(),
            d(&m.major_reasons).into_owned(),
            d(&m.subject).into_owned(),
            d(&m.complainant).into_owned(),
            m.complainant_count.to_string(),
            d(&m.assignee).into_owned(),
            m.acknowledged_at
                .map(|t| report::local(t, tz))
                .unwrap_or_default(),
            d(&m.acknowledged_by).into_owned(),
        ];
        // The description is the first history entry, so no complaint
        // appears without a row.
        let first = major::Entry {
            at: m.registered_at,
            kind: "description".into(),
            by: String::new(),
            detail: m.description.clone(),
        };
        for e in std::iter::once(&first).chain(&m.history) {
            let mut row: Vec<String> = head.to_vec();
            row.extend([
                report::local(e.at, tz),
                e.kind.clone(),
                d(&e.by).into_owned(),
                d(&e.detail).into_owned(),
            ]);
            // No cell reaches a spreadsheet as a formula (issue 11).
            let _ = w.write_record(row.iter().map(|c| crate::text::csv_cell(c).into_owned()));
        }
    }
    let bytes = w.into_inner().unwrap_or_default();
    format!("{}{}", report::csv::BOM, String::from_utf8_lossy(&bytes))
}
