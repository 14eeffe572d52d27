//! `hotline import customers FILE.csv`: customer archives as call centers
//! keep them (Excel exports in UTF-8 or GB18030/GBK, Chinese or English
//! headers, CRLF). Every row is checked like intake; the good rows go in
//! one transaction, matched to existing customers by code, else phone, so
//! importing the same file twice adds nobody twice; the bad rows are
//! listed with their line and reason and written to a rejects file.
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::Cli;
use crate::domain::access::Permission;
use crate::domain::customer::NewCustomer;
use crate::domain::customer_csv::{self, Encoding, Header};
use crate::error::{Error, Result};
use crate::store::archive::{self, Imported};
use crate::store::audit;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    pub what: What,
}

#[derive(clap::Subcommand, Debug)]
pub enum What {
    /// Customers from a CSV file with a header row (supervisors and up)
    Customers(CustomersArgs),
}

#[derive(clap::Args, Debug)]
pub struct CustomersArgs {
    /// The CSV file
    pub file: PathBuf,
    /// auto (UTF-8 with or without BOM, else GB18030/GBK), utf-8 or gb18030
    #[arg(long, default_value = "auto", value_name = "auto|utf-8|gb18030")]
    pub encoding: String,
    /// Check and count, change nothing (no rejects file either)
    #[arg(long)]
    pub dry_run: bool,
    /// Where to write the rejected rows [default: FILE.rejects.csv]
    #[arg(long, value_name = "PATH")]
    pub rejects: Option<PathBuf>,
}

pub fn run(cli: &Cli, a: &Args) -> Result<ExitCode> {
    match &a.what {
        What::Customers(c) => customers(cli, c),
    }
}

/// A rejected row: its line, why, and its cells as read.
type Rejected = (u64, String, Vec<String>);

/// A data row: its line in the file and its cells.
struct Line {
    line: u64,
    cells: Vec<String>,
}

#[derive(Default)]
struct Counts {
    added: usize,
    updated: usize,
    unchanged: usize,
}

fn default_rejects(file: &Path) -> PathBuf {
    let stem = file
        .file_stem()
        .map_or_else(|| "import".into(), |s| s.to_string_lossy().into_owned());
    file.with_file_name(format!("{stem}.rejects.csv"))
}

/// The header (the first non-empty record) and the data rows; records
/// that are not CSV are rejected with their line.
fn parse(text: &str, file: &str) -> Result<(Header, Vec<Line>, Vec<Rejected>)> {
    // Parse: the first non-empty record is the header.
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    // Lines are counted from byte offsets: the reader's own line numbers
    // are off by one with CRLF line ends.
    let bytes_in = text.as_bytes();
    let (mut seen_at, mut seen_line) = (0usize, 1u64);
    let mut line_at = |byte: u64| -> u64 {
        // After CRLF the reported start is the LF: skip line ends.
        let mut to = (byte as usize).min(bytes_in.len());
        while to < bytes_in.len() && matches!(bytes_in[to], b'\r' | b'\n') {
            to += 1;
        }
        if to >= seen_at {
            seen_line += bytes_in[seen_at..to]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            seen_at = to;
        }
        seen_line
    };
    let mut header: Option<(Header, u64)> = None;
    let mut rows: Vec<Line> = Vec::new();
    let mut bad: Vec<Rejected> = Vec::new();
    for rec in reader.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| line_at(p.byte()));
                bad.push((line, format!("not valid CSV: {e}"), Vec::new()));
                continue;
            }
        };
        let line = rec.position().map_or(0, |p| line_at(p.byte()));
        let cells: Vec<String> = rec.iter().map(str::to_string).collect();
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if header.is_none() {
            let refs: Vec<&str> = cells.iter().map(String::as_str).collect();
            let (h, warnings) = Header::parse(&refs)
                .map_err(|e| Error::invalid(format!("{file}: line {line}"), e))?;
            // A file with 100,000 stray columns gets a few lines, not 100,000.
            for w in warnings.iter().take(MAX_WARNINGS) {
                super::out::warn(&format!("{file}: line {line}: {w}"));
            }
            if warnings.len() > MAX_WARNINGS {
                super::out::warn(&format!(
                    "{file}: line {line}: {} more columns are not recognised and are ignored",
                    warnings.len() - MAX_WARNINGS
                ));
            }
            header = Some((h, line));
            continue;
        }
        rows.push(Line { line, cells });
    }
    let Some((header, _)) = header else {
        return Err(Error::invalid(file.to_string(), "is empty: no header row"));
    };
    Ok((header, rows, bad))
}

/// Says what was rejected and why, writes the rejects file, prints the
/// summary; exit 3 when rows were rejected.
fn report(
    out: &mut super::out::Out,
    a: &CustomersArgs,
    rejects: &Path,
    header: &Header,
    bad: &[Rejected],
    n: &Counts,
) -> Result<ExitCode> {
    for (line, reason, _) in bad {
        super::out::warn(&format!(
            "line {line}: {}",
            crate::text::for_display(reason)
        ));
    }
    // The good rows are committed: whatever happens to the rejects file,
    // the summary is printed, then any failure to write it.
    let written = if !bad.is_empty() && !a.dry_run {
        crate::paths::write_atomic(rejects, &rejects_csv(header, bad))
    } else {
        Ok(())
    };
    let verb = if a.dry_run { "would be " } else { "" };
    out.line(&format!(
        "{} {verb}added, {} {verb}updated, {} unchanged, {} rejected{}",
        n.added,
        n.updated,
        n.unchanged,
        bad.len(),
        match (bad.is_empty(), a.dry_run) {
            (true, _) => String::new(),
            (false, true) => " (dry run: nothing written)".to_string(),
            (false, false) => format!(" (see {})", rejects.display()),
        }
    ))?;
    if let Err(e) = written {
        return Err(Error::invalid(
            "--rejects",
            format!(
                "the good rows were imported, but the rejected rows could not be written to {}: {e}",
                rejects.display()
            ),
        ));
    }
    Ok(if bad.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(3)
    })
}

/// One import: read, decode, parse, check, merge in one transaction (a
/// rehearsal for a dry run), report.
fn customers(cli: &Cli, a: &CustomersArgs) -> Result<ExitCode> {
    let enc: Encoding = a
        .encoding
        .parse()
        .map_err(|e: String| Error::invalid("--encoding", e))?;
    let mut db = cli.open()?;
    let mut out = super::out::Out::stdout();
    let me = super::whoami_for(&mut db, cli, Permission::Import)?;
    let file = a.file.display().to_string();
    let rejects = a
        .rejects
        .clone()
        .unwrap_or_else(|| default_rejects(&a.file));
    // Before anything is read or written: the rejects file must not be
    // the database (or its -wal/-shm) or the input, by name or by symlink.
    if !a.dry_run {
        crate::paths::check_output(&rejects, db.path(), &[&a.file])
            .map_err(|e| Error::invalid("--rejects", e))?;
    }
    let bytes = std::fs::read(&a.file)
        .map_err(|e| Error::invalid(file.clone(), format!("cannot read: {e}")))?;
    let (text, used) =
        customer_csv::decode(&bytes, enc).map_err(|e| Error::invalid(file.clone(), e))?;
    super::out::warn(&format!("reading {file} as {used}"));

    let (header, rows, mut bad) = parse(&text, &file)?;
    let mut good: Vec<(u64, NewCustomer, usize)> = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let refs: Vec<&str> = r.cells.iter().map(String::as_str).collect();
        match customer_csv::row(&header, &refs) {
            Ok(c) => good.push((r.line, c, i)),
            Err(e) => bad.push((r.line, e, r.cells.clone())),
        }
    }

    // Write the good rows in one transaction (rolled back for a dry run).
    let bar = indicatif::ProgressBar::new(good.len() as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("importing {bar:40} {pos}/{len} {eta}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let now = crate::clock::now().timestamp();
    let work = |tx: &rusqlite::Transaction<'_>| -> Result<(Counts, Vec<Rejected>)> {
        let mut n = Counts::default();
        let mut refused = Vec::new();
        for (k, (line, c, i)) in good.iter().enumerate() {
            match archive::import_row(tx, c, now) {
                Ok(Imported::Added(_)) => n.added += 1,
                Ok(Imported::Updated(_)) => n.updated += 1,
                Ok(Imported::Unchanged(_)) => n.unchanged += 1,
                Err(Error::Invalid { field, msg }) => {
                    refused.push((*line, format!("{field}: {msg}"), rows[*i].cells.clone()));
                }
                Err(e) => return Err(Error::Database(format!("line {line}: {e}"))),
            }
            if k % 512 == 0 {
                bar.set_position(k as u64);
            }
        }
        let detail = format!(
            "{} added, {} updated, {} unchanged, {} rejected",
            n.added,
            n.updated,
            n.unchanged,
            bad.len() + refused.len()
        );
        audit::append(
            tx,
            &audit::Entry {
                agent_id: Some(me.id),
                agent_login: &me.login,
                action: "import",
                entity: "customer",
                entity_id: None,
                purpose: &file,
                detail: &detail,
            },
            now,
        )?;
        Ok((n, refused))
    };
    let (n, refused) = if a.dry_run {
        db.rehearse(work)?
    } else {
        db.write(work)?
    };
    bar.finish_and_clear();
    bad.extend(refused);
    bad.sort_by_key(|b| b.0);

    report(&mut out, a, &rejects, &header, &bad, &n)
}

/// Unrecognised header columns named one by one; the rest are counted.
const MAX_WARNINGS: usize = 10;

/// The rejected rows as CSV (UTF-8 with BOM, so spreadsheets read the
/// Chinese right): line, reason, then the row as it was, padded to the
/// header's width (a short row is still a whole record), every cell that a
/// spreadsheet would run as a formula neutralised (`text::csv_cell`).
fn rejects_csv(header: &Header, bad: &[Rejected]) -> Vec<u8> {
    let width = 2 + header.cells.len();
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    let mut record = |cells: Vec<String>| {
        let mut cells: Vec<String> = cells
            .iter()
            .map(|c| crate::text::csv_cell(c).into_owned())
            .collect();
        if cells.len() < width {
            cells.resize(width, String::new());
        }
        // Writing to memory cannot fail but for a bug; keep going.
        let _ = w.write_record(&cells);
    };
    let mut head = vec!["line".to_string(), "reason".to_string()];
    head.extend(header.cells.iter().cloned());
    record(head);
    for (line, reason, cells) in bad {
        let mut rec = vec![line.to_string(), reason.clone()];
        rec.extend(cells.iter().cloned());
        record(rec);
    }
    w.into_inner().unwrap_or_default()
}
