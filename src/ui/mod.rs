//! The agent TUI (ratatui + crossterm on a tokio event loop).
//!
//! Input, database changes (the poller), signals and timers become
//! [`app::Event`]s; `App::handle` turns each into state changes and
//! [`app::Effect`]s that run on the store thread; the loop drains every
//! pending event, then draws once, only if something changed, inside a
//! synchronized-output bracket so slow SSH links never show half frames.
use std::io;
use std::path::PathBuf;
use std::process::ExitCode;

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event as ct;
use ratatui::crossterm::terminal as ct_terminal;
use tokio::sync::mpsc;

use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::keymap::Keymap;
use crate::store::{Db, OpenMode, Store, poller, settings};

pub mod app;
pub mod call;
mod call_view;
pub mod customer;
mod customer_view;
mod detail_view;
mod effects;
pub mod event;
pub mod form;
mod form_view;
pub mod format;
mod presence;
mod queue_view;
pub mod render;
pub mod report_view;
pub mod screens;
pub mod search;
mod search_view;
pub mod session;
mod shown;
pub mod terminal;
pub mod textarea;
pub mod theme;
pub mod wallboard;
pub mod wallboard_view;
mod wrap;

use app::{App, Event};

pub struct Options {
    pub db: PathBuf,
    pub agent: Option<String>,
    pub lang: Option<String>,
    pub keymap: Option<String>,
    /// `hotline wallboard`: open straight on the wallboard.
    pub wallboard: bool,
}

/// Everything that can go wrong is checked before the screen opens, so a
/// bad agent, language or keymap is a plain message on a normal terminal.
pub fn run(opts: Options) -> Result<ExitCode> {
    let lang = Lang::detect(opts.lang.as_deref()).map_err(|e| Error::Invalid {
        field: "hotline".into(),
        msg: e,
    })?;
    let mut db = Db::open(&opts.db, OpenMode::Existing)?;
    let me = crate::identity::resolve(&mut db, opts.agent.as_deref())?;
    tracing::info!(agent = %crate::text::for_display(&me.login), db = %opts.db.display(), "TUI session started");
    let user_keys = crate::paths::config_dir().map(|d| d.join("keymap.toml"));
    let keymap =
        Keymap::load(opts.keymap.as_deref(), user_keys.as_deref()).map_err(|e| Error::Invalid {
            field: "keymap".into(),
            msg: e.to_string(),
        })?;
    if opts.wallboard {
        crate::domain::access::require(
            &me.login,
            me.role,
            crate::domain::access::Permission::RunReports,
        )
        .map_err(|e| Error::Denied(format!("{e}: the wallboard is for supervisors and up")))?;
    }
    let loaded = db.read(|c| settings::load(c))?;
    let tz = loaded.calendar.tz;
    let store = Store::spawn(db)?;
    let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let mut app = App::new(me, lang, keymap, crate::clock::now().timestamp(), color);
    app.tz = tz;
    app.search_options.fuzzy_pinyin = loaded.search_fuzzy_pinyin;
    app.presence_thresholds = loaded.presence;
    if let Ok(size) = ct_terminal::size() {
        app.size = size;
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(event_loop(app, store, opts.db, opts.wallboard))?;
    Ok(ExitCode::SUCCESS)
}

/// Reads terminal input on a plain thread (crossterm's read blocks) and
/// forwards it; no polling, so an idle agent costs no CPU.
fn spawn_input(tx: mpsc::UnboundedSender<Event>) -> io::Result<()> {
    std::thread::Builder::new()
        .name("hotline-input".into())
        .spawn(move || {
            loop {
                let ev = match ct::read() {
                    Ok(ev) => match Event::from_terminal(ev) {
                        Some(ev) => ev,
                        None => continue,
                    },
                    // The terminal is gone (closed window, dropped SSH link).
                    Err(_) => Event::Quit,
                };
                let stop = matches!(ev, Event::Quit);
                if tx.send(ev).is_err() || stop {
                    break;
                }
            }
        })?;
    Ok(())
}

async fn event_loop(app: App, store: Store, path: PathBuf, wallboard: bool) -> Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    terminal::install_panic_hook();
    let guard = terminal::Guard::enter()?;
    let mut term = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    let ch = session::Channel::new();
    spawn_input(ch.tx.clone())?;
    let shared = session::Shared::start(path, store, poller::DEFAULT_INTERVAL)?;
    let mut sigterm = signal(SignalKind::terminate())?;
    let mut sighup = signal(SignalKind::hangup())?;
    let quit = ch.tx.clone();
    tokio::spawn(async move {
        tokio::select! {
            _ = sigterm.recv() => {},
            _ = sighup.recv() => {},
        }
        let _ = quit.send(Event::Quit);
    });
    let app = session::run(app, &shared, &mut term, ch, wallboard, false).await?;
    shared.stop();
    drop(term);
    drop(guard);
    // The index thread's notes (a snapshot not used or not written) go to
    // the log, never to the screen.
    for line in shared.live.notes() {
        tracing::warn!("search index: {}", crate::text::for_display(&line));
    }
    tracing::info!(agent = %crate::text::for_display(&app.me.login), "TUI session ended");
    Ok(())
}
