//! `hotline serve`: one process hosting every agent's TUI session (issue
//! 9). One store writer, one customer index, one poller ([`Shared`]); each
//! connection on the Unix socket is a session task. A session that fails
//! or panics ends alone; SIGTERM ends every session (drafts saved, R18)
//! and then the server.
use std::io::Write;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::UnixStream;
use tokio::sync::mpsc;

use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::keymap::Keymap;
use crate::store::{Db, OpenMode, Store, agents, settings};
use crate::ui::app::{App, Event};
use crate::ui::session::{Channel, Shared};

pub mod attach;
pub mod host_key;
pub mod keys;
pub mod ssh;
mod ssh_input;
pub mod wire;

/// How often the server asks SQLite whether anything changed: a change in
/// one session (another connection of the same process) or from outside
/// reaches every screen within this (issue 9: ≤ 100 / 300 ms).
pub const POLL: Duration = Duration::from_millis(40);

pub struct Options {
    pub db: PathBuf,
    pub socket: PathBuf,
    /// Where the built-in SSH server listens, when it is on.
    pub ssh: Option<String>,
    pub lang: Option<String>,
}

struct Ctx {
    shared: Arc<Shared>,
    lang: Option<String>,
    settings: crate::domain::settings::Settings,
    keymap: Keymap,
}

/// A connection handed to a session thread.
enum Job {
    Socket(std::os::unix::net::UnixStream),
    Ssh(ssh::Start),
}

/// The session threads: each runs its sessions on its own single-threaded
/// runtime (an `App` never crosses threads); connections are dealt out in
/// turn, so a busy session (a search at 1M customers) holds up only the
/// sessions of its own thread, and both cores draw screens.
struct Workers {
    jobs: Vec<mpsc::UnboundedSender<Job>>,
    threads: Vec<std::thread::JoinHandle<()>>,
    next: usize,
}

impl Workers {
    fn start(n: usize, ctx: &Ctx) -> Result<Workers> {
        let (mut jobs, mut threads) = (Vec::new(), Vec::new());
        for i in 0..n {
            let (tx, rx) = mpsc::unbounded_channel();
            let ctx = Ctx {
                shared: ctx.shared.clone(),
                lang: ctx.lang.clone(),
                settings: ctx.settings.clone(),
                keymap: ctx.keymap.clone(),
            };
            threads.push(
                std::thread::Builder::new()
                    .name(format!("hotline-sessions-{i}"))
                    .spawn(move || worker(ctx, rx))?,
            );
            jobs.push(tx);
        }
        Ok(Workers {
            jobs,
            threads,
            next: 0,
        })
    }

    fn give(&mut self, job: Job) {
        let n = self.jobs.len().max(1);
        self.next = (self.next + 1) % n;
        if let Some(tx) = self.jobs.get(self.next) {
            let _ = tx.send(job);
        }
    }

    /// After every session was told to quit: waits for them to end (their
    /// drafts saved) and for the threads.
    fn finish(self) {
        drop(self.jobs);
        for t in self.threads {
            let _ = t.join();
        }
    }
}

fn worker(ctx: Ctx, mut jobs: mpsc::UnboundedReceiver<Job>) {
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            tracing::error!("a session thread could not start: {e}");
            return;
        }
    };
    let local = tokio::task::LocalSet::new();
    local.block_on(&rt, async move {
        let ctx = Rc::new(ctx);
        let mut handles = Vec::new();
        while let Some(job) = jobs.recv().await {
            let ctx = ctx.clone();
            handles.push(tokio::task::spawn_local(async move {
                match job {
                    Job::Socket(s) => match UnixStream::from_std(s) {
                        Ok(s) => connection(s, ctx).await,
                        Err(e) => tracing::warn!("a connection was lost: {e}"),
                    },
                    Job::Ssh(start) => ssh_session(start, ctx).await,
                }
            }));
            handles.retain(|h| !h.is_finished());
        }
        for h in handles {
            let _ = tokio::time::timeout(Duration::from_secs(10), h).await;
        }
    });
}

pub fn run(opts: Options) -> Result<()> {
    // The service account: the one that owns the database file. Anyone who
    // can reach the socket acts as any agent, so only it may serve.
    if !crate::identity::owns(&opts.db) {
        return Err(Error::Denied(format!(
            "hotline serve runs as the account that owns {} (the service account)",
            opts.db.display()
        )));
    }
    let mut db = Db::open(&opts.db, OpenMode::Existing)?;
    let loaded = db.read(|c| settings::load(c))?;
    let keymap = Keymap::load(None, None).map_err(|e| Error::invalid("keymap", e.to_string()))?;
    let store = Store::spawn(db)?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let local = tokio::task::LocalSet::new();
    let shared = local.block_on(&rt, async move {
        let listener = bind(&opts.socket)?;
        let (start_tx, mut starts) = mpsc::unbounded_channel::<ssh::Start>();
        if let Some(addr) = &opts.ssh {
            let key = host_key::load_or_create(&host_key::path_for(&opts.db))?;
            let tcp = tokio::net::TcpListener::bind(addr)
                .await
                .map_err(|e| Error::invalid("--ssh", format!("cannot listen on {addr}: {e}")))?;
            let config = Arc::new(ssh::config(key));
            tracing::info!(addr = %addr, "ssh server listening");
            eprintln!("hotline serve: SSH on {addr}");
            tokio::spawn(ssh::listen(tcp, config, store.clone(), start_tx));
        } else {
            drop(start_tx);
        }
        let ctx = Ctx {
            shared: Arc::new(Shared::start(opts.db.clone(), store, POLL)?),
            lang: opts.lang,
            settings: loaded,
            keymap,
        };
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 8));
        let mut workers = Workers::start(threads, &ctx)?;
        tracing::info!(db = %opts.db.display(), socket = %opts.socket.display(), threads, "server started");
        eprintln!("hotline serve: listening on {}", opts.socket.display());
        use tokio::signal::unix::{SignalKind, signal};
        let mut sigterm = signal(SignalKind::terminate())?;
        let mut sigint = signal(SignalKind::interrupt())?;
        // The terminal that started it closing (a foreground run) stops it
        // the same clean way.
        let mut sighup = signal(SignalKind::hangup())?;
        loop {
            tokio::select! {
                conn = listener.accept() => match conn.and_then(|(s, _)| s.into_std()) {
                    Ok(stream) => workers.give(Job::Socket(stream)),
                    Err(e) => tracing::warn!("accept failed: {e}"),
                },
                Some(start) = starts.recv() => workers.give(Job::Ssh(start)),
                _ = sigterm.recv() => break,
                _ = sigint.recv() => break,
                _ = sighup.recv() => break,
            }
        }
        // SIGTERM: every session ends the way a quit does (R18: drafts
        // saved), then the server.
        tracing::info!(sessions = ctx.shared.sessions(), "server stopping");
        ctx.shared.hub().send(|| Event::Quit);
        let _ = std::fs::remove_file(&opts.socket);
        // Joined while this runtime still runs the SSH connections, so the
        // last frames and the farewell reach every client.
        let _ = tokio::task::spawn_blocking(move || workers.finish()).await;
        ssh::flushed(Duration::from_secs(5)).await;
        Ok::<_, Error>(ctx.shared)
    })?;
    shared.stop();
    tracing::info!("server stopped");
    Ok(())
}

/// Binds the socket reachable only by the service account (mode 0600 from
/// the start: the umask is set around the bind). A socket left by a
/// crashed server is replaced; one a live server answers on is refused.
fn bind(path: &Path) -> Result<tokio::net::UnixListener> {
    if std::os::unix::net::UnixStream::connect(path).is_ok() {
        return Err(Error::invalid(
            "--socket",
            format!(
                "a hotline server is already listening on {}",
                path.display()
            ),
        ));
    }
    let _ = std::fs::remove_file(path);
    use nix::sys::stat::{Mode, umask};
    let old = umask(Mode::from_bits_truncate(0o177));
    let l = tokio::net::UnixListener::bind(path);
    umask(old);
    l.map_err(|e| Error::invalid("--socket", format!("{}: {e}", path.display())))
}

/// Frames go to the connection's writer task; a gone client makes the next
/// draw fail, which ends the session (draft saved).
struct Sink {
    buf: Vec<u8>,
    tx: mpsc::UnboundedSender<Vec<u8>>,
}

impl Write for Sink {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        self.tx
            .send(std::mem::take(&mut self.buf))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "client gone"))
    }
}

async fn read_line(r: &mut BufReader<tokio::net::unix::OwnedReadHalf>) -> Option<String> {
    let mut line = Vec::new();
    let mut limited = (&mut *r).take(wire::MAX_LINE as u64);
    use tokio::io::AsyncReadExt;
    match limited.read_until(b'\n', &mut line).await {
        Ok(0) | Err(_) => None,
        Ok(_) if line.last() != Some(&b'\n') => None,
        Ok(_) => String::from_utf8(line).ok(),
    }
}

async fn connection(stream: UnixStream, ctx: Rc<Ctx>) {
    let (rd, mut wr) = stream.into_split();
    let mut rd = BufReader::new(rd);
    let hello = tokio::time::timeout(Duration::from_secs(10), read_line(&mut rd)).await;
    let first: Option<wire::First> = hello
        .ok()
        .flatten()
        .and_then(|l| serde_json::from_str(&l).ok());
    let hello = match first {
        Some(wire::First::Hello(h)) => h,
        Some(wire::First::Search(q)) => {
            let line = serde_json::to_string(&answer(&ctx, &q)).unwrap_or_default();
            let _ = wr.write_all(format!("{line}\n").as_bytes()).await;
            return;
        }
        None => {
            tracing::warn!("refused a connection: no greeting");
            return;
        }
    };
    let who = crate::text::for_display(&hello.agent).into_owned();
    let opened = open(
        &ctx,
        &hello.agent,
        hello.lang.as_deref(),
        hello.cols,
        hello.rows,
    )
    .await;
    let answer = wire::Welcome {
        error: opened
            .as_ref()
            .err()
            .map(ToString::to_string)
            .unwrap_or_default(),
    };
    let line = serde_json::to_string(&answer).unwrap_or_default();
    if wr.write_all(format!("{line}\n").as_bytes()).await.is_err() {
        return;
    }
    let app = match opened {
        Ok(app) => app,
        Err(e) => {
            tracing::warn!(agent = %who, "login refused: {e}");
            return;
        }
    };
    tracing::info!(agent = %who, cols = hello.cols, rows = hello.rows, "login");
    let ch = Channel::new();
    let (out_tx, mut out_rx) = mpsc::unbounded_channel::<Vec<u8>>();
    let quit = ch.tx.clone();
    tokio::task::spawn_local(async move {
        while let Some(b) = out_rx.recv().await {
            if wr.write_all(&b).await.is_err() {
                break;
            }
        }
        let _ = quit.send(Event::Quit);
    });
    let input = ch.tx.clone();
    let reader = tokio::task::spawn_local(async move {
        while let Some(line) = read_line(&mut rd).await {
            let Some(ev) = to_event(&line) else { continue };
            if input.send(ev).is_err() {
                return;
            }
        }
        // EOF, a dropped link or an over-long line: the session ends.
        let _ = input.send(Event::Quit);
    });
    // `hotline attach` sets up the client's terminal itself.
    host(&ctx, app, &who, ch, out_tx, false).await;
    reader.abort();
}

/// `hotline search` answered from the server's index (issue 9: no second
/// index built for one query).
fn answer(ctx: &Ctx, q: &wire::Search) -> wire::Found {
    if !matches!(
        ctx.shared.live.status(),
        crate::live_index::Status::Ready { .. }
    ) {
        return wire::Found {
            error: "the server's index is not ready yet".into(),
            ..Default::default()
        };
    }
    let mut session = crate::search::Session::new();
    session.set_options(crate::search::Options {
        fuzzy_pinyin: q.fuzzy_pinyin,
    });
    let hits = session.query(
        &ctx.shared.live.index(),
        &q.search,
        q.limit.min(1000),
        q.confidential,
    );
    wire::Found {
        error: String::new(),
        reading: crate::i18n::reading(session.reading(), Lang::En),
        hits: hits
            .into_iter()
            .map(|h| wire::Hit {
                id: h.id,
                score: h.score,
                field: h.field.name().to_string(),
                name_matches: h.name_matches,
            })
            .collect(),
    }
}

/// A session of the built-in SSH server: the same app and loop, with the
/// terminal set up and restored over the channel, since no program runs
/// at the client's end but `ssh`.
async fn ssh_session(s: ssh::Start, ctx: Rc<Ctx>) {
    let who = crate::text::for_display(&s.login).into_owned();
    let app = match open(&ctx, &s.login, None, s.cols, s.rows).await {
        Ok(app) => app,
        Err(e) => {
            tracing::warn!(agent = %who, peer = %s.peer, "login refused: {e}");
            let line = format!("hotline: {}\r\n", crate::text::for_display(&e.to_string()));
            let _ = s.out.send(line.into_bytes());
            let _ = s.done.send(1);
            return;
        }
    };
    tracing::info!(agent = %who, peer = %s.peer, cols = s.cols, rows = s.rows, "login (ssh)");
    let out = s.out.clone();
    let mut setup = Vec::new();
    let _ = ratatui::crossterm::execute!(
        setup,
        ratatui::crossterm::terminal::EnterAlternateScreen,
        ratatui::crossterm::cursor::Hide,
        ratatui::crossterm::event::EnableBracketedPaste
    );
    let _ = out.send(setup);
    let lang = host(&ctx, app, &who, s.input, s.out, true).await;
    let mut bye = ssh::restore_terminal();
    if let Some(lang) = lang {
        bye.extend_from_slice(
            format!("{}\r\n", crate::i18n::Msg::SessionEnded.text(lang)).as_bytes(),
        );
    }
    let _ = out.send(bye);
    let _ = s.done.send(0);
}

/// Runs `app` as one session whose frames go to `out`; returns its
/// language for the last words, or `None` when it could not start.
async fn host(
    ctx: &Ctx,
    app: App,
    who: &str,
    ch: Channel,
    out: mpsc::UnboundedSender<Vec<u8>>,
    ssh: bool,
) -> Option<Lang> {
    let size = Rect::new(0, 0, app.size.0, app.size.1);
    let backend = CrosstermBackend::new(Sink {
        buf: Vec::new(),
        tx: out,
    });
    let term = Terminal::with_options(
        backend,
        TerminalOptions {
            viewport: Viewport::Fixed(size),
        },
    );
    let mut term = match term {
        Ok(t) => t,
        Err(e) => {
            tracing::error!(agent = %who, "terminal: {e}");
            return None;
        }
    };
    // The client's screen starts clear, whatever was on it.
    let _ = term.clear();
    let via = if ssh { "ssh" } else { "socket" };
    match crate::ui::session::run(app, &ctx.shared, &mut term, ch, false, true).await {
        Ok(app) => {
            tracing::info!(agent = %who, via, "logout");
            Some(app.lang)
        }
        Err(e) => {
            tracing::warn!(agent = %who, via, "session ended: {e}");
            None
        }
    }
}

/// Turns one input line into an event; anything else is ignored.
fn to_event(line: &str) -> Option<Event> {
    Event::from_terminal(serde_json::from_str(line).ok()?)
}

/// The session's app for an active agent, or why not.
async fn open(ctx: &Ctx, login: &str, lang: Option<&str>, cols: u16, rows: u16) -> Result<App> {
    crate::domain::ssh_key::check_login(login).map_err(|e| Error::invalid("agent", e))?;
    let wanted = login.to_string();
    let agent = ctx
        .shared
        .store
        .run(move |db| db.read(|c| agents::by_login(c, &wanted)))
        .await
        .map_err(|_| Error::Denied(format!("no agent {login:?}")))?;
    if !agent.active {
        return Err(Error::Denied(format!(
            "agent {} is inactive; ask an administrator",
            agent.login
        )));
    }
    let lang = Lang::detect(lang.or(ctx.lang.as_deref())).map_err(|e| Error::invalid("lang", e))?;
    let mut app = App::new(
        agent,
        lang,
        ctx.keymap.clone(),
        crate::clock::now().timestamp(),
        true,
    );
    app.tz = ctx.settings.calendar.tz;
    app.search_options.fuzzy_pinyin = ctx.settings.search_fuzzy_pinyin;
    app.presence_thresholds = ctx.settings.presence;
    app.size = (cols.max(1), rows.max(1));
    Ok(app)
}
