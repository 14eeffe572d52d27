//! `hotline search QUERY`: the TUI's search engine for scripts and tests,
//! with the same access rules (R30): `--agent`'s role decides whether
//! confidential customers are found at all, and phones are masked.
use crate::domain::privacy::{self, PhoneView};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use super::Cli;
use crate::error::Result;
use crate::live_index as live;
use crate::search::snapshot;

/// Changes caught up after which `hotline search` rewrites the snapshot.
const REWRITE_AFTER: usize = 10_000;
use crate::store::archive;
use crate::text::{for_display, pad_to_width};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// What to look for: name, pinyin, initials, phone digits, plate, code,
    /// company or address; several terms must all match
    #[arg(required = true, num_args = 1.., value_name = "QUERY")]
    pub query: Vec<String>,
    /// At most this many results
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// One JSON array instead of a table
    #[arg(long)]
    pub json: bool,
}

#[derive(serde::Serialize)]
struct Out<'a> {
    id: i64,
    code: Option<&'a str>,
    name: &'a str,
    /// Masked (R30).
    phone: String,
    class: Option<char>,
    plate: &'a str,
    company: &'a str,
    address: &'a str,
    /// The key the best term matched: name, pinyin, initials, phone,
    /// plate, code, company or address.
    field: &'static str,
    score: i64,
    /// Char indices of `name` the query matched.
    matches: &'a [usize],
}

/// One hit, whether this process's index or the server's found it.
struct Found {
    id: i64,
    score: i64,
    field: &'static str,
    name_matches: Vec<usize>,
}

/// The hits from a running `hotline serve` (its index is built and
/// followed already), or `None` when there is no server this account can
/// reach or it cannot answer; then the caller builds its own.
fn ask_server(cli: &Cli, ask: &crate::serve::wire::Search) -> Option<(Vec<Found>, String)> {
    use std::io::{BufRead, Write};
    let socket = crate::serve::wire::default_socket(&cli.db_path());
    let stream = std::os::unix::net::UnixStream::connect(&socket).ok()?;
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(5)))
        .ok()?;
    let line = serde_json::to_string(ask).ok()?;
    (&stream).write_all(format!("{line}\n").as_bytes()).ok()?;
    let mut answer = String::new();
    std::io::BufReader::new(&stream)
        .read_line(&mut answer)
        .ok()?;
    let found: crate::serve::wire::Found = serde_json::from_str(&answer).ok()?;
    if !found.error.is_empty() {
        tracing::info!(
            "the server did not answer the search: {}",
            for_display(&found.error)
        );
        return None;
    }
    let hits = found
        .hits
        .into_iter()
        .map(|h| Found {
            id: h.id,
            score: h.score,
            field: crate::search::Field::named(&h.field).map_or("name", crate::search::Field::name),
            name_matches: h.name_matches,
        })
        .collect();
    Some((hits, found.reading))
}

pub fn run(cli: &Cli, a: &Args) -> Result<ExitCode> {
    let mut db = cli.open()?;
    let mut out = super::out::Out::stdout();
    let me = super::whoami(&mut db, cli)?;
    let q = a.query.join(" ");
    let fuzzy_pinyin = db
        .read(|c| crate::store::settings::load(c))?
        .search_fuzzy_pinyin;
    let ask = crate::serve::wire::Search {
        search: q.clone(),
        limit: a.limit,
        confidential: privacy::sees_confidential(me.role),
        fuzzy_pinyin,
    };
    let (hits, read) = match ask_server(cli, &ask) {
        Some(found) => found,
        None => {
            let idx = open_index(&mut db)?;
            let mut session = crate::search::Session::new();
            session.set_options(crate::search::Options { fuzzy_pinyin });
            let hits = session.query(&idx, &q, a.limit, ask.confidential);
            let hits = hits
                .into_iter()
                .map(|h| Found {
                    id: h.id,
                    score: h.score,
                    field: h.field.name(),
                    name_matches: h.name_matches,
                })
                .collect();
            (
                hits,
                crate::i18n::reading(session.reading(), crate::i18n::Lang::En),
            )
        }
    };
    // How the query was read (issue 14), on stderr so that stdout stays
    // the list (or the JSON) scripts parse.
    if !read.is_empty() {
        eprintln!("{}", crate::text::for_display(&read));
    }
    let ids: Vec<i64> = hits.iter().map(|h| h.id).collect();
    let sums = db.read(|c| archive::summaries(c, &ids, me.role))?;
    let rows: Vec<Out<'_>> = hits
        .iter()
        .filter_map(|h| {
            let s = sums.iter().find(|s| s.id == h.id)?;
            Some(Out {
                id: h.id,
                code: s.code.as_deref(),
                name: &s.name,
                phone: if s.phone.is_empty() {
                    String::new()
                } else {
                    privacy::show_phone(&s.phone, PhoneView::Masked)
                },
                class: s.class.map(|k| k.letter()),
                plate: &s.plate,
                company: &s.company,
                address: &s.address,
                field: h.field,
                score: h.score,
                matches: &h.name_matches,
            })
        })
        .collect();
    if a.json {
        let text = serde_json::to_string_pretty(&rows)
            .map_err(|e| crate::error::Error::Database(e.to_string()))?;
        out.line(&text)?;
        return Ok(ExitCode::SUCCESS);
    }
    for r in &rows {
        out.line(&format!(
            "{:>8}  {}  {}  {}  {}  {}  {}  {}",
            r.id,
            pad_to_width(&for_display(r.code.unwrap_or("-")), 10),
            pad_to_width(&for_display(r.name), 12),
            pad_to_width(&r.phone, 13),
            r.class.unwrap_or('-'),
            pad_to_width(&for_display(r.plate), 9),
            pad_to_width(r.field, 8),
            for_display(if r.company.is_empty() {
                r.address
            } else {
                r.company
            }),
        ))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The index for one query: the snapshot beside the database when it is
/// usable (then caught up from its revision), else a build, which writes
/// the snapshot.
fn open_index(db: &mut crate::store::Db) -> Result<crate::search::Index> {
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template("indexing customers {bar:40} {pos}/{len}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let mut note: Option<String> = None;
    let (idx, rev, origin) = live::open(
        db,
        &AtomicBool::new(false),
        |loaded, total| {
            bar.set_length(total as u64);
            bar.set_position(loaded as u64);
        },
        &mut |line| note = Some(line),
    )?;
    bar.finish_and_clear();
    // Why a snapshot was not used goes to the log; a bad one (corrupt,
    // another database's, ahead of it) is said on stderr too, a missing
    // one is routine and is not (scripts read stderr).
    if let Some(line) = note {
        let line = crate::text::for_display(&line).into_owned();
        tracing::info!("{line}");
        if matches!(&origin, live::Origin::Built(w) if !matches!(w, snapshot::Rejected::Missing)) {
            eprintln!("{line}");
        }
    }
    let idx = std::sync::RwLock::new(idx);
    let mut cur = live::Cursor::new(rev);
    let caught_up = live::follow(db, &idx, &mut cur)?;
    let idx = idx.into_inner().unwrap_or_else(|e| e.into_inner());
    // After a build the snapshot is written; one far behind (no TUI
    // running to rewrite it) is rewritten, so that the next call does not
    // catch up as much again.
    if caught_up >= REWRITE_AFTER || matches!(origin, live::Origin::Built(_)) {
        let meta = live::meta(db)?;
        live::save(
            db.path(),
            &idx,
            snapshot::Meta {
                rev: cur.rev,
                ..meta
            },
            &mut |line| {
                let line = crate::text::for_display(&line).into_owned();
                tracing::warn!("{line}");
                eprintln!("{line}");
            },
        );
    }
    Ok(idx)
}
