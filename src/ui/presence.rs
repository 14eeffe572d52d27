//! This session's presence (see `domain::presence`): what its screen shows
//! becomes an activity, the beacon decides when a row is due, and a thread
//! of its own writes it to the presence file so a slow disk never holds up
//! the screen. A clean exit removes the row; a killed process leaves it to
//! go stale and read as offline.
use std::path::Path;
use std::sync::mpsc;

use super::app::{App, View};
use crate::domain::presence::{Activity, Beacon, Thresholds};
use crate::store::presence;

pub fn activity(app: &App) -> Activity {
    match app.view {
        View::Call => Activity::Call,
        View::Form | View::Customer | View::Search | View::Detail => Activity::Work,
        View::Queue | View::Wallboard | View::Report => Activity::Queue,
    }
}

enum Msg {
    Beat((Activity, i64, i64), i64),
    End,
}

pub struct Reporter {
    beacon: Beacon,
    tx: Option<mpsc::Sender<Msg>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Reporter {
    /// Starts the writer; without a writable presence file the TUI still
    /// works (the agent shows as offline).
    pub fn start(db: &Path, agent_id: i64, now: i64) -> Reporter {
        let id = format!(
            "{}:{}",
            std::process::id(),
            crate::clock::now().timestamp_millis()
        );
        let (tx, rx) = mpsc::channel::<Msg>();
        let path = db.to_path_buf();
        let thread = std::thread::Builder::new()
            .name("hotline-presence".into())
            .spawn(move || {
                let Ok(c) = presence::open(&path) else {
                    return;
                };
                let _ = presence::forget_old(&c, now);
                while let Ok(m) = rx.recv() {
                    match m {
                        Msg::Beat(row, at) => {
                            let _ = presence::beat(&c, &id, agent_id, row, at);
                        }
                        Msg::End => {
                            let _ = presence::end(&c, &id);
                            break;
                        }
                    }
                }
            })
            .ok();
        Reporter {
            beacon: Beacon::new(now),
            tx: Some(tx),
            thread,
        }
    }

    /// After each event: note the screen and the key, write when due.
    pub fn observe(&mut self, app: &App, key: bool, now: i64, t: &Thresholds) {
        self.beacon.observe(activity(app), key, now);
        if let (Some(row), Some(tx)) = (self.beacon.take(now, t), self.tx.as_ref()) {
            let _ = tx.send(Msg::Beat(row, now));
        }
    }

    /// When the loop must wake for the next write (unix seconds).
    pub fn due_at(&self, t: &Thresholds) -> i64 {
        self.beacon.due_at(t)
    }

    /// Removes this session's row and waits for it.
    pub fn end(mut self) {
        if let Some(tx) = self.tx.take() {
            let _ = tx.send(Msg::End);
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
