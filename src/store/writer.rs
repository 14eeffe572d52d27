//! One writer connection per process on its own thread, fed over a channel.
//! A rusqlite `Connection` is never held across an `.await`: async callers
//! send a closure and await its answer.
use std::sync::mpsc;
use std::thread;

use super::Db;
use crate::error::{Error, Result};

type Job = Box<dyn FnOnce(&mut Db) + Send>;

#[derive(Clone)]
pub struct Store {
    jobs: mpsc::Sender<Job>,
}

impl Store {
    /// Moves `db` onto a new thread that runs jobs one at a time until every
    /// `Store` handle is dropped.
    pub fn spawn(mut db: Db) -> Result<Store> {
        let (tx, rx) = mpsc::channel::<Job>();
        thread::Builder::new()
            .name("hotline-store".into())
            .spawn(move || {
                for job in rx {
                    job(&mut db);
                }
            })?;
        Ok(Store { jobs: tx })
    }

    fn send<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Db) -> Result<T> + Send + 'static,
        reply: impl FnOnce(Result<T>) + Send + 'static,
    ) -> Result<()> {
        self.jobs
            .send(Box::new(move |db| reply(f(db))))
            .map_err(|_| Error::Database("the store thread has stopped".into()))
    }

    /// Runs `f` on the store thread and waits for its answer (blocking).
    pub fn call<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Db) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let (tx, rx) = mpsc::sync_channel(1);
        self.send(f, move |r| {
            let _ = tx.send(r);
        })?;
        rx.recv()
            .map_err(|_| Error::Database("the store thread has stopped".into()))?
    }

    /// Runs `f` on the store thread; the future resolves with its answer.
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Db) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.send(f, move |r| {
            let _ = tx.send(r);
        })?;
        rx.await
            .map_err(|_| Error::Database("the store thread has stopped".into()))?
    }
}
