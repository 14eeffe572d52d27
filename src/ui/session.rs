//! One agent's TUI session, whatever carries it: the local terminal
//! (`hotline`) or a connection to `hotline serve` (issue 9). The caller
//! hands in a ratatui terminal, an event channel and the [`Shared`] parts;
//! the loop is the same for both, so a served session behaves exactly like
//! a local one (R18 draft at exit included).
use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::{execute, terminal as ct_terminal};
use tokio::sync::mpsc;

use super::app::{self, App, Event};
use super::{effects, presence, render};
use crate::error::Result;
use crate::live_index::Live;
use crate::store::{Store, poller};

/// What every session of one process shares: one store writer, one
/// customer index, one database poller and one presence poller.
pub struct Shared {
    pub path: PathBuf,
    pub store: Store,
    pub live: Arc<Live>,
    hub: Arc<Hub>,
    _pollers: Vec<poller::Poller>,
}

/// The sessions to wake, each with its agent: a change seen once reaches
/// every screen.
#[derive(Default)]
pub struct Hub {
    sessions: Mutex<Vec<(i64, mpsc::UnboundedSender<Event>)>>,
}

impl Hub {
    pub fn join(&self, agent: i64, tx: mpsc::UnboundedSender<Event>) {
        if let Ok(mut s) = self.sessions.lock() {
            s.push((agent, tx));
        }
    }

    fn agents(&self) -> Vec<i64> {
        self.sessions
            .lock()
            .map(|s| s.iter().map(|(a, _)| *a).collect())
            .unwrap_or_default()
    }

    /// Ends the sessions of agents who may no longer log in (they left
    /// while logged in, R33): as a quit does, the draft kept.
    fn log_out(&self, inactive: &[i64]) {
        if let Ok(s) = self.sessions.lock() {
            for (agent, tx) in s.iter().filter(|(a, _)| inactive.contains(a)) {
                tracing::info!(agent, "deactivated: session ended");
                let _ = tx.send(Event::Quit);
            }
        }
    }

    /// Sends `ev` to every live session; ended sessions drop out. Always
    /// true: the pollers keep running while the process does, for the
    /// sessions still to come.
    pub fn send(&self, ev: impl Fn() -> Event) -> bool {
        if let Ok(mut s) = self.sessions.lock() {
            s.retain(|(_, tx)| tx.send(ev()).is_ok());
        }
        true
    }

    pub fn count(&self) -> usize {
        self.sessions.lock().map(|s| s.len()).unwrap_or(0)
    }
}

impl Shared {
    /// Starts the index (built in the background, followed live) and the
    /// pollers. `interval` is how often the database is asked whether
    /// anything changed (`PRAGMA data_version`, microseconds each).
    pub fn start(path: PathBuf, store: Store, interval: Duration) -> Result<Shared> {
        let hub = Arc::new(Hub::default());
        let h = hub.clone();
        let live = Live::spawn(path.clone(), move || {
            h.send(|| Event::Index);
        });
        let (h, follow, st) = (hub.clone(), live.clone(), store.clone());
        let mut pollers = vec![poller::spawn(&path, interval, move || {
            follow.changed();
            // One look per change for the whole process, not per session.
            if !h.agents().is_empty()
                && let Ok(gone) = st.call(|db| db.read(|c| crate::store::agents::inactive_ids(c)))
            {
                h.log_out(&gone);
            }
            h.send(|| Event::DbChanged)
        })?];
        // The presence file: only the wallboard reloads on it.
        let h = hub.clone();
        if crate::store::presence::open(&path).is_ok()
            && let Ok(p) = poller::spawn(
                &crate::store::presence::path_for(&path),
                interval.max(poller::DEFAULT_INTERVAL),
                move || h.send(|| Event::PresenceChanged),
            )
        {
            pollers.push(p);
        }
        Ok(Shared {
            path,
            store,
            live,
            hub,
            _pollers: pollers,
        })
    }

    pub fn hub(&self) -> &Hub {
        &self.hub
    }

    pub fn sessions(&self) -> usize {
        self.hub.count()
    }

    pub fn stop(&self) {
        self.live.stop();
    }
}

/// How a session is told to end from outside (SIGTERM, a dropped link):
/// an [`Event::Quit`] on its channel.
pub struct Channel {
    pub tx: mpsc::UnboundedSender<Event>,
    pub rx: mpsc::UnboundedReceiver<Event>,
}

impl Channel {
    pub fn new() -> Channel {
        let (tx, rx) = mpsc::unbounded_channel();
        Channel { tx, rx }
    }
}

impl Default for Channel {
    fn default() -> Self {
        Self::new()
    }
}

fn draw<W: Write>(term: &mut Terminal<CrosstermBackend<W>>, app: &App) -> std::io::Result<()> {
    execute!(term.backend_mut(), ct_terminal::BeginSynchronizedUpdate)?;
    term.draw(|f| render::render(f, app))?;
    execute!(term.backend_mut(), ct_terminal::EndSynchronizedUpdate)
}

/// The answer to a write this session made (a claim, an outcome, an
/// intake): the shared queue changed.
fn wrote(ev: &Event) -> bool {
    matches!(
        ev,
        Event::Acted { result: Ok(_), .. } | Event::Done(Ok(_)) | Event::Registered(Ok(_))
    )
}

/// Runs one session until the agent quits or a Quit arrives, then saves
/// the draft (R18) and returns the app for the caller's last words.
pub async fn run<W: Write>(
    mut app: App,
    shared: &Shared,
    term: &mut Terminal<CrosstermBackend<W>>,
    ch: Channel,
    wallboard: bool,
    fixed_viewport: bool,
) -> Result<App> {
    let Channel { tx, mut rx } = ch;
    shared.hub.join(app.me.id, tx.clone());
    app.archive = Some(shared.live.clone());
    let store = &shared.store;
    let pt = app.presence_thresholds;
    let mut beacon =
        presence::Reporter::start(&shared.path, app.me.id, crate::clock::now().timestamp());
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
    effects::spawn(fx, &app, store, &tx);
    // "1" for every session; a login for that agent's only (the server's
    // test that one session's panic ends it alone).
    let panic_after_draw =
        std::env::var("HOTLINE_TEST_PANIC").is_ok_and(|v| v == "1" || v == app.me.login);
    loop {
        if app.dirty {
            // A failed draw is a gone terminal or client: the session ends,
            // and the draft is still saved below.
            if let Err(e) = draw(term, &app) {
                tracing::info!(agent = %crate::text::for_display(&app.me.login), "terminal gone: {e}");
                break;
            }
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
        // Sleep until the first of: the app's next deadline (a draft's
        // millisecond deadline, a badge boundary) and the presence beat.
        let beat_ms = (beacon.due_at(&pt).max(now.timestamp()) * 1000 - now.timestamp_millis())
            .clamp(10, 3_600_000) as u64;
        let wait_ms = app.wait_ms(now.timestamp_millis()).min(beat_ms);
        let first = tokio::select! {
            ev = rx.recv() => ev.unwrap_or(Event::Quit),
            _ = tokio::time::sleep(Duration::from_millis(wait_ms)) => Event::Tick,
        };
        // Drain whatever else is waiting (a paste, a burst of changes)
        // before drawing once.
        let mut next = Some(first);
        while let Some(ev) = next {
            if let (true, Event::Resize(w, h)) = (fixed_viewport, &ev) {
                let _ = term.resize(ratatui::layout::Rect::new(0, 0, *w, *h));
            }
            let key = matches!(ev, Event::Key(_) | Event::Paste(_));
            let wrote = wrote(&ev);
            let at = tick(&mut app);
            let fx = app.handle(ev, at);
            // A change made here reaches the other sessions of this
            // process now, not at the next poll (issue 9).
            if wrote {
                shared.live.changed();
                shared.hub.send(|| Event::DbChanged);
            }
            effects::spawn(fx, &app, store, &tx);
            beacon.observe(&app, key, at, &pt);
            next = rx.try_recv().ok();
        }
        // One search query for everything typed since the last draw.
        let fx = app.run_search();
        effects::spawn(fx, &app, store, &tx);
    }
    beacon.end();
    // R18: an unsaved note is written before the session ends (quit,
    // SIGTERM, SIGHUP, a dropped link), and waited for.
    if let Some(app::Effect::SaveDraft { context, body }) = app.take_draft(true) {
        let (me, now) = (app.me.id, app.now);
        let r = store
            .run(move |db| db.write(|c| crate::store::drafts::save(c, me, &context, &body, now)))
            .await;
        if let Err(e) = r {
            tracing::error!("saving the draft at exit (R18) failed: {e}");
        }
    }
    Ok(app)
}
