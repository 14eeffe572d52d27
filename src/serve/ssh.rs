//! The built-in SSH server of `hotline serve --ssh ADDR` (issue 9), on
//! russh. The key decides who the agent is (the SSH user name is ignored);
//! only public keys are accepted; a pty + shell opens that agent's TUI in
//! the server (the session task on the server's thread, see
//! [`super::run`]); everything else a client may ask for (exec,
//! subsystems, forwarding, X11, the agent, env) is refused.
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use russh::keys::{HashAlg, PrivateKey};
use russh::server::{Auth, Handle, Msg, PublicKeyOffer, Session, VerifiedPublicKey};
use russh::{Channel, ChannelId, ChannelOpenFailure, MethodKind, MethodSet, Pty};
use tokio::sync::{mpsc, oneshot};

use super::ssh_input;
use crate::store::{Store, agent_keys, agents};
use crate::ui::app::Event;

/// A client must send its SSH greeting within this, and be logged in
/// within [`LOGIN_WITHIN`], or it is closed.
const GREETING_WITHIN: Duration = Duration::from_secs(10);
const LOGIN_WITHIN: Duration = Duration::from_secs(30);

/// A session asked of the server's thread: the agent the key proved, the
/// client's terminal size, its input, where its frames go, and the exit
/// status to report when it ends.
pub struct Start {
    pub login: String,
    pub peer: String,
    pub cols: u16,
    pub rows: u16,
    pub input: crate::ui::session::Channel,
    pub out: mpsc::UnboundedSender<Vec<u8>>,
    pub done: oneshot::Sender<u32>,
}

/// What every connection's handler shares.
struct Shared {
    store: Store,
    starts: mpsc::UnboundedSender<Start>,
}

pub fn config(host_key: PrivateKey) -> russh::server::Config {
    russh::server::Config {
        server_id: russh::SshId::Standard("SSH-2.0-hotline".into()),
        methods: MethodSet::from(&[MethodKind::PublicKey][..]),
        auth_rejection_time: Duration::from_millis(500),
        auth_rejection_time_initial: Some(Duration::ZERO),
        keys: vec![host_key],
        max_auth_attempts: 6,
        // An agent may sit on one screen all morning; a dead link is
        // found by keepalives instead (R18 then keeps the draft).
        inactivity_timeout: None,
        keepalive_interval: Some(Duration::from_secs(15)),
        keepalive_max: 4,
        nodelay: true,
        ..Default::default()
    }
}

/// Accepts connections until the listener fails; each is its own task, so
/// a bad client never holds up another.
pub async fn listen(
    listener: tokio::net::TcpListener,
    config: Arc<russh::server::Config>,
    store: Store,
    starts: mpsc::UnboundedSender<Start>,
) {
    let shared = Arc::new(Shared { store, starts });
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!("ssh accept failed: {e}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let (config, shared) = (config.clone(), shared.clone());
        tokio::spawn(async move { connection(stream, peer, config, shared).await });
    }
}

async fn connection(
    stream: tokio::net::TcpStream,
    peer: SocketAddr,
    config: Arc<russh::server::Config>,
    shared: Arc<Shared>,
) {
    let logged_in = Arc::new(AtomicBool::new(false));
    let guard = stream.into_std().ok().and_then(|s| {
        let guard = s.try_clone().ok();
        tokio::net::TcpStream::from_std(s).ok().map(|s| (s, guard))
    });
    let Some((stream, guard)) = guard else {
        tracing::warn!(%peer, "ssh connection dropped: the socket could not be set up");
        return;
    };
    let handler = Conn {
        shared,
        peer: peer.to_string(),
        logged_in: logged_in.clone(),
        login: None,
        channel: None,
        pty: None,
        input: None,
        events: None,
    };
    let running = match tokio::time::timeout(
        GREETING_WITHIN,
        russh::server::run_stream(config, stream, handler),
    )
    .await
    {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => {
            tracing::warn!(%peer, "ssh connection refused: {e}");
            return;
        }
        Err(_) => {
            tracing::warn!(%peer, "ssh connection closed: no greeting in 10 s");
            return;
        }
    };
    // A shut socket ends the connection whatever state its handshake is
    // in (russh may be waiting for the rest of a packet that never comes).
    let watchdog = tokio::spawn(async move {
        tokio::time::sleep(LOGIN_WITHIN).await;
        if !logged_in.load(Ordering::Relaxed) {
            tracing::warn!(%peer, "ssh connection closed: not logged in within 30 s");
            if let Some(s) = guard {
                let _ = s.shutdown(std::net::Shutdown::Both);
            }
        }
    });
    if let Err(e) = running.await {
        tracing::info!(%peer, "ssh connection ended: {e}");
    }
    watchdog.abort();
}

/// One SSH connection: at most one session channel, one TUI.
struct Conn {
    shared: Arc<Shared>,
    peer: String,
    logged_in: Arc<AtomicBool>,
    /// The agent the key proved.
    login: Option<String>,
    channel: Option<ChannelId>,
    pty: Option<(u16, u16)>,
    /// Raw bytes to the session's input parser.
    input: Option<mpsc::Sender<Vec<u8>>>,
    /// The session's events (resize, quit).
    events: Option<mpsc::UnboundedSender<Event>>,
}

impl Drop for Conn {
    /// A dropped link ends the session the way a quit does: the draft is
    /// saved (R18).
    fn drop(&mut self) {
        if let Some(tx) = &self.events {
            let _ = tx.send(Event::Quit);
        }
    }
}

/// The active agent holding `key`, or why not (for the log).
async fn agent_for(store: &Store, key: &russh::keys::PublicKey) -> Result<String, String> {
    let fp = key.fingerprint(HashAlg::Sha256).to_string();
    let found = {
        let fp = fp.clone();
        store
            .run(move |db| {
                let Some(id) = db.read(|c| agent_keys::agent_of(c, &fp))? else {
                    return Ok(None);
                };
                db.read(|c| agents::by_id(c, id)).map(Some)
            })
            .await
    };
    match found {
        Ok(Some(agent)) => Ok(agent.login),
        Ok(None) => Err(format!("unknown key {fp}")),
        Err(e) => Err(format!("key {fp}: {e}")),
    }
}

fn clamp(v: u32) -> u16 {
    u16::try_from(v).unwrap_or(u16::MAX).clamp(1, 1000)
}

/// Says `msg` on the client's stderr and ends the channel with status 1.
fn refuse(session: &mut Session, channel: ChannelId, msg: &str) -> Result<(), russh::Error> {
    let text = format!("hotline: {}\r\n", crate::text::for_display(msg));
    session.extended_data(channel, 1, text.into_bytes())?;
    session.exit_status_request(channel, 1)?;
    session.eof(channel)?;
    session.close(channel)
}

impl russh::server::Handler for Conn {
    type Error = russh::Error;

    async fn auth_publickey_offered(
        &mut self,
        _: &str,
        offer: PublicKeyOffer<'_>,
    ) -> Result<Auth, Self::Error> {
        Ok(
            match agent_for(&self.shared.store, offer.public_key).await {
                Ok(_) => Auth::Accept,
                Err(why) => {
                    tracing::warn!(peer = %self.peer, "ssh login refused: {}", crate::text::for_display(&why));
                    Auth::reject()
                }
            },
        )
    }

    async fn auth_publickey(
        &mut self,
        _: &str,
        key: VerifiedPublicKey<'_>,
    ) -> Result<Auth, Self::Error> {
        match agent_for(&self.shared.store, key.public_key).await {
            Ok(login) => {
                // An inactive agent gets in this far only to be told so by
                // the session (super::open), where a person reads it.
                self.login = Some(login);
                self.logged_in.store(true, Ordering::Relaxed);
                Ok(Auth::Accept)
            }
            Err(_) => Ok(Auth::reject()),
        }
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: russh::server::ChannelOpenHandle,
        _: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.channel.is_some() {
            reply
                .reject(ChannelOpenFailure::AdministrativelyProhibited)
                .await;
        } else {
            self.channel = Some(channel.id());
            reply.accept().await;
        }
        Ok(())
    }

    async fn pty_request(
        &mut self,
        channel: ChannelId,
        _: &str,
        cols: u32,
        rows: u32,
        _: u32,
        _: u32,
        _: &[(Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.pty = Some((clamp(cols), clamp(rows)));
        session.channel_success(channel)
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        let (Some(login), Some((cols, rows))) = (self.login.clone(), self.pty) else {
            tracing::warn!(peer = %self.peer, "ssh session refused: no terminal (pty) requested");
            session.channel_success(channel)?;
            return refuse(
                session,
                channel,
                "a terminal is needed: connect with `ssh -t`",
            );
        };
        if self.events.is_some() {
            return session.channel_failure(channel);
        }
        session.channel_success(channel)?;
        let input = crate::ui::session::Channel::new();
        self.events = Some(input.tx.clone());
        let (bytes_tx, bytes_rx) = mpsc::channel(16);
        self.input = Some(bytes_tx);
        let events = input.tx.clone();
        let peer = self.peer.clone();
        tokio::spawn(async move {
            if ssh_input::pump(bytes_rx, events.clone()).await == ssh_input::Stopped::Overlong {
                tracing::warn!(%peer, "ssh session closed: input without end (over 256 KiB)");
                let _ = events.send(Event::Quit);
            }
        });
        let (out, out_rx) = mpsc::unbounded_channel();
        let (done, done_rx) = oneshot::channel();
        tokio::spawn(relay_output(session.handle(), channel, out_rx, done_rx));
        let start = Start {
            login,
            peer: self.peer.clone(),
            cols,
            rows,
            input,
            out,
            done,
        };
        if self.shared.starts.send(start).is_err() {
            return refuse(session, channel, "the server is stopping");
        }
        Ok(())
    }

    async fn data(
        &mut self,
        _: ChannelId,
        data: &[u8],
        _: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Some(tx) = &self.input {
            // Awaited: a full parser holds up this connection only.
            let _ = tx.send(data.to_vec()).await;
        }
        Ok(())
    }

    async fn window_change_request(
        &mut self,
        _: ChannelId,
        cols: u32,
        rows: u32,
        _: u32,
        _: u32,
        _: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Some(tx) = &self.events {
            let _ = tx.send(Event::Resize(clamp(cols), clamp(rows)));
        }
        Ok(())
    }

    async fn channel_eof(&mut self, _: ChannelId, _: &mut Session) -> Result<(), Self::Error> {
        self.input = None;
        Ok(())
    }

    async fn channel_close(&mut self, _: ChannelId, _: &mut Session) -> Result<(), Self::Error> {
        if let Some(tx) = self.events.take() {
            let _ = tx.send(Event::Quit);
        }
        Ok(())
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        let cmd = String::from_utf8_lossy(data);
        tracing::warn!(peer = %self.peer, agent = ?self.login, "ssh exec refused: {}", crate::text::for_display(&cmd));
        session.channel_failure(channel)?;
        refuse(
            session,
            channel,
            "commands are not run here; log in with plain `ssh` for the hotline screen",
        )
    }

    async fn subsystem_request(
        &mut self,
        channel: ChannelId,
        name: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        tracing::warn!(peer = %self.peer, "ssh subsystem refused: {}", crate::text::for_display(name));
        session.channel_failure(channel)?;
        refuse(session, channel, "no subsystems (sftp, …) are served here")
    }

    async fn env_request(
        &mut self,
        channel: ChannelId,
        _: &str,
        _: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        // Nothing from the client's environment reaches a session.
        session.channel_failure(channel)
    }

    async fn x11_request(
        &mut self,
        channel: ChannelId,
        _: bool,
        _: &str,
        _: &str,
        _: u32,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        tracing::warn!(peer = %self.peer, "ssh X11 forwarding refused");
        session.channel_failure(channel)
    }

    async fn agent_request(&mut self, _: ChannelId, _: &mut Session) -> Result<bool, Self::Error> {
        tracing::warn!(peer = %self.peer, "ssh agent forwarding refused");
        Ok(false)
    }

    async fn channel_open_direct_tcpip(
        &mut self,
        _: Channel<Msg>,
        host: &str,
        port: u32,
        _: &str,
        _: u32,
        reply: russh::server::ChannelOpenHandle,
        _: &mut Session,
    ) -> Result<(), Self::Error> {
        tracing::warn!(peer = %self.peer, "ssh port forwarding to {}:{port} refused", crate::text::for_display(host));
        reply
            .reject(ChannelOpenFailure::AdministrativelyProhibited)
            .await;
        Ok(())
    }

    async fn tcpip_forward(
        &mut self,
        _: &str,
        _: &mut u32,
        _: &mut Session,
    ) -> Result<bool, Self::Error> {
        tracing::warn!(peer = %self.peer, "ssh remote port forwarding refused");
        Ok(false)
    }

    async fn streamlocal_forward(&mut self, _: &str, _: &mut Session) -> Result<bool, Self::Error> {
        tracing::warn!(peer = %self.peer, "ssh socket forwarding refused");
        Ok(false)
    }
}

/// Sessions whose output is still being copied to their clients.
static RELAYING: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

struct Relaying;
impl Relaying {
    fn new() -> Relaying {
        RELAYING.fetch_add(1, Ordering::SeqCst);
        Relaying
    }
}
impl Drop for Relaying {
    fn drop(&mut self) {
        RELAYING.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Waits (at most `within`) until every ended session's last bytes are
/// handed to its connection, so a stopping server says goodbye.
pub async fn flushed(within: Duration) {
    let t = tokio::time::Instant::now();
    while RELAYING.load(Ordering::SeqCst) > 0 && t.elapsed() < within {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // The connection tasks send what they were handed.
    tokio::time::sleep(Duration::from_millis(50)).await;
}

/// The session's frames to the client, then its exit status and the end
/// of the channel. A client that is gone stops the copying; the session
/// then ends at its next draw.
async fn relay_output(
    handle: Handle,
    channel: ChannelId,
    mut frames: mpsc::UnboundedReceiver<Vec<u8>>,
    done: oneshot::Receiver<u32>,
) {
    let _relaying = Relaying::new();
    while let Some(bytes) = frames.recv().await {
        if handle.data(channel, bytes).await.is_err() {
            return;
        }
    }
    let status = match done.await {
        Ok(status) => status,
        // The session task is gone without a word (a panic): the client
        // still gets its terminal back and a line saying so.
        Err(_) => {
            let mut b = restore_terminal();
            b.extend_from_slice(
                b"hotline: the session ended because of an internal error; log in again\r\n",
            );
            let _ = handle.data(channel, b).await;
            1
        }
    };
    let _ = handle.exit_status_request(channel, status).await;
    let _ = handle.eof(channel).await;
    let _ = handle.close(channel).await;
}

/// What puts the client's terminal back as it was (the alternate screen
/// left, the cursor shown, bracketed paste off), sent when a session ends
/// however it ends.
pub fn restore_terminal() -> Vec<u8> {
    let mut b = Vec::new();
    let _ = ratatui::crossterm::execute!(
        b,
        ratatui::crossterm::event::DisableBracketedPaste,
        ratatui::crossterm::terminal::LeaveAlternateScreen,
        ratatui::crossterm::cursor::Show
    );
    b
}
