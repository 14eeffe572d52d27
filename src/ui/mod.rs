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
use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{self as ct, KeyEventKind};
use ratatui::crossterm::{execute, terminal as ct_terminal};
use tokio::sync::mpsc;

use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::keymap::Keymap;
use crate::store::{Db, OpenMode, Store, poller, settings};

mod acting;
pub mod app;
mod archive;
pub mod call;
mod call_view;
pub mod customer;
mod customer_view;
mod detail_view;
mod effects;
pub mod form;
mod form_view;
pub mod format;
mod presence;
mod queue_view;
pub mod render;
pub mod report_view;
pub mod search;
mod search_view;
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

fn draw(term: &mut Terminal<CrosstermBackend<io::Stdout>>, app: &App) -> io::Result<()> {
    execute!(term.backend_mut(), ct_terminal::BeginSynchronizedUpdate)?;
    term.draw(|f| render::render(f, app))?;
    execute!(term.backend_mut(), ct_terminal::EndSynchronizedUpdate)
}

/// Reads terminal input on a plain thread (crossterm's read blocks) and
/// forwards it; no polling, so an idle agent costs no CPU.
fn spawn_input(tx: mpsc::UnboundedSender<Event>) -> io::Result<()> {
    std::thread::Builder::new()
        .name("hotline-input".into())
        .spawn(move || {
            loop {
                let ev = match ct::read() {
                    Ok(ct::Event::Key(k)) if k.kind != KeyEventKind::Release => Event::Key(k),
                    Ok(ct::Event::Resize(w, h)) => Event::Resize(w, h),
                    Ok(ct::Event::Paste(text)) => Event::Paste(text),
                    Ok(_) => continue,
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

async fn event_loop(mut app: App, store: Store, path: PathBuf, wallboard: bool) -> Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    terminal::install_panic_hook();
    let guard = terminal::Guard::enter()?;
    let mut term = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    let (tx, mut rx) = mpsc::unbounded_channel::<Event>();
    spawn_input(tx.clone())?;
    // The customer index builds in the background while the queue works.
    let index_tx = tx.clone();
    let live = crate::live_index::Live::spawn(path.clone(), move || {
        let _ = index_tx.send(Event::Index);
    });
    app.archive = Some(live.clone());
    let changes = tx.clone();
    let follow = live.clone();
    let _poller = poller::spawn(&path, poller::DEFAULT_INTERVAL, move || {
        follow.changed();
        changes.send(Event::DbChanged).is_ok()
    })?;
    // The presence file: this session's heartbeat, and the wallboard's
    // view of everyone's (only the wallboard reloads on it).
    let pt = app.presence_thresholds;
    let mut beacon = presence::Reporter::start(&path, app.me.id, crate::clock::now().timestamp());
    let presence_tx = tx.clone();
    let _presence_poller = crate::store::presence::open(&path).ok().and_then(|_| {
        poller::spawn(
            &crate::store::presence::path_for(&path),
            poller::DEFAULT_INTERVAL,
            move || presence_tx.send(Event::PresenceChanged).is_ok(),
        )
        .ok()
    });
    let mut sigterm = signal(SignalKind::terminate())?;
    let mut sighup = signal(SignalKind::hangup())?;
    let tick = |app: &mut App| {
        let now = crate::clock::now();
        app.now_ms = now.timestamp_millis();
        now.timestamp()
    };
    let t = tick(&mut app);
    let mut fx = app.handle(Event::DbChanged, t);
    if wallboard {
        fx.extend(app.open_wallboard());
    }
    effects::spawn(fx, &app, &store, &tx);
    let panic_after_draw = std::env::var_os("HOTLINE_TEST_PANIC").is_some();
    loop {
        if app.dirty {
            draw(&mut term, &app)?;
            app.dirty = false;
            // The terminal-restore test's hook: a panic on purpose.
            #[allow(clippy::panic)]
            if panic_after_draw && app.loaded {
                panic!("forced panic (HOTLINE_TEST_PANIC is set)");
            }
        }
        if app.quit {
            break;
        }
        let now = crate::clock::now();
        // The loop sleeps until the first of: the app's next deadline (a
        // draft's millisecond deadline, a badge boundary) and the presence
        // beacon's next beat.
        let beat_ms = (beacon.due_at(&pt).max(now.timestamp()) * 1000 - now.timestamp_millis())
            .clamp(10, 3_600_000) as u64;
        let wait_ms = app.wait_ms(now.timestamp_millis()).min(beat_ms);
        let ev = tokio::select! {
            Some(ev) = rx.recv() => ev,
            _ = tokio::time::sleep(Duration::from_millis(wait_ms)) => Event::Tick,
            _ = sigterm.recv() => Event::Quit,
            _ = sighup.recv() => Event::Quit,
        };
        let key = matches!(ev, Event::Key(_) | Event::Paste(_));
        let at = tick(&mut app);
        let fx = app.handle(ev, at);
        effects::spawn(fx, &app, &store, &tx);
        beacon.observe(&app, key, at, &pt);
        // Drain whatever else is waiting (a paste, a burst of changes)
        // before drawing once.
        while let Ok(ev) = rx.try_recv() {
            let key = matches!(ev, Event::Key(_) | Event::Paste(_));
            let at = tick(&mut app);
            let fx = app.handle(ev, at);
            effects::spawn(fx, &app, &store, &tx);
            beacon.observe(&app, key, at, &pt);
        }
        // One search query for everything typed since the last draw.
        let fx = app.run_search();
        effects::spawn(fx, &app, &store, &tx);
    }
    live.stop();
    beacon.end();
    // R18: an unsaved note is written before the process ends (quit,
    // SIGTERM, SIGHUP), and waited for.
    if let Some(app::Effect::SaveDraft { context, body }) = app.take_draft(true) {
        let (me, now) = (app.me.id, app.now);
        let r = store
            .run(move |db| db.write(|c| crate::store::drafts::save(c, me, &context, &body, now)))
            .await;
        if let Err(e) = r {
            tracing::error!("saving the draft at exit (R18) failed: {e}");
        }
    }
    drop(term);
    drop(guard);
    // The index thread's notes (a snapshot not used or not written) go to
    // the log, never to the screen.
    for line in live.notes() {
        tracing::warn!("search index: {}", crate::text::for_display(&line));
    }
    tracing::info!(agent = %crate::text::for_display(&app.me.login), "TUI session ended");
    Ok(())
}
