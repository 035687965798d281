//! Reader workers: the background jobs (fetch, index, typeset, photos) on named
//! threads, whose panics come back to the loop as a message.
//!
//! A worker's body runs under `catch_unwind`. The panic hook (see
//! [`super::terminal`]) hands a worker's panic to [`keep`] instead of
//! restoring the terminal and printing over the reader; the worker then
//! sends the panic's message and location as a [`Failure`], and the
//! reader goes on without that job. Panics of other threads behind the
//! reader (threads a worker's library code starts) are kept here too, and
//! printed by the loop once the terminal is restored.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::io;
use std::panic::{AssertUnwindSafe, PanicHookInfo, catch_unwind};
use std::sync::{Mutex, mpsc};
use std::thread;

use crate::sanitize::sanitize;

/// A reader worker: what it was doing, for the loop to clear if it fails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Worker {
    /// Fetching the web feeds.
    Fetch,
    /// Bringing the index up to date, at start or after a fetch.
    Index,
    /// Laying out the long article `id` at `width` columns.
    Typeset { id: String, width: usize },
    /// Fetching and decoding the photos of the article `id`.
    Photos { id: String },
    /// Confirming the hits of the search `query` in their texts.
    Search { query: String },
}

impl Worker {
    /// The thread's name.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Fetch => "fetch",
            Self::Index => "index",
            Self::Typeset { .. } => "typeset",
            Self::Photos { .. } => "photos",
            Self::Search { .. } => "search",
        }
    }
}

thread_local! {
    /// This thread runs a worker's body.
    static IS_WORKER: Cell<bool> = const { Cell::new(false) };
    /// The report of this worker's panic, kept by the hook for the worker.
    static REPORT: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Reports of panics on other threads behind the reader, oldest first.
static STRAYS: Mutex<Vec<String>> = Mutex::new(Vec::new());
/// Stray reports kept; a panic repeated on every file need not fill memory.
const STRAYS_KEPT: usize = 8;
/// Characters of a report kept: one status line's worth and some.
const REPORT_CHARS: usize = 300;

/// What std's `thread::scope` panics with when one of its threads panicked.
const SCOPED_PANIC: &str = "a scoped thread panicked";

/// A worker that stopped on a panic: which, and the panic's message and
/// location on one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub worker: Worker,
    pub message: String,
}

/// Runs `body` on a new thread named after `worker`. If it panics, `tx`
/// receives a [`Failure`] with the panic's message and location.
pub fn spawn<F, M>(worker: Worker, tx: &mpsc::Sender<M>, body: F) -> io::Result<()>
where
    F: FnOnce() + Send + 'static,
    M: From<Failure> + Send + 'static,
{
    let tx = tx.clone();
    thread::Builder::new()
        .name(worker.name().to_owned())
        .spawn(move || {
            IS_WORKER.with(|w| w.set(true));
            if let Err(payload) = catch_unwind(AssertUnwindSafe(body)) {
                let message = failure(payload.as_ref());
                let _ = tx.send(M::from(Failure { worker, message }));
            }
        })
        .map(drop)
}

/// Whether this thread runs a worker's body.
pub fn is_worker() -> bool {
    IS_WORKER.try_with(Cell::get).unwrap_or(false)
}

/// Keeps the report of a panic on this thread: for its worker if it is
/// one, else among the strays. Called by the panic hook.
pub fn keep(info: &PanicHookInfo<'_>) {
    let report = report(info);
    let kept = is_worker()
        && REPORT
            .try_with(|r| r.try_borrow_mut().map(|mut r| *r = Some(report.clone())))
            .is_ok_and(|set| set.is_ok());
    if !kept
        && let Ok(mut strays) = STRAYS.lock()
        && strays.len() < STRAYS_KEPT
    {
        strays.push(report);
    }
}

/// Reports of panics on threads behind the reader that no worker took,
/// for printing once the terminal is restored.
pub fn take_strays() -> Vec<String> {
    STRAYS
        .lock()
        .map(|mut s| std::mem::take(&mut *s))
        .unwrap_or_default()
}

/// `panicked at src/feed/parse.rs:68:5: message`, on one line.
fn report(info: &PanicHookInfo<'_>) -> String {
    let message = payload_text(info.payload()).unwrap_or("a panic without a message");
    let text = match info.location() {
        Some(at) => format!(
            "panicked at {}:{}:{}: {message}",
            at.file(),
            at.line(),
            at.column()
        ),
        None => format!("panicked: {message}"),
    };
    one_line(&text)
}

/// What a worker sends when its body panicked with `payload`: the hook's
/// report, or that of the scoped thread that made it panic.
fn failure(payload: &(dyn Any + Send)) -> String {
    let own = REPORT.try_with(|r| r.take()).ok().flatten();
    let text = payload_text(payload);
    if text == Some(SCOPED_PANIC)
        && let Ok(mut strays) = STRAYS.lock()
        && !strays.is_empty()
    {
        return strays.remove(0);
    }
    own.unwrap_or_else(|| one_line(text.unwrap_or("a panic without a message")))
}

fn payload_text(payload: &(dyn Any + Send)) -> Option<&str> {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
}

/// Without controls or line ends, and short enough for a status line.
fn one_line(text: &str) -> String {
    let clean = sanitize(text);
    let mut chars = clean.chars();
    let mut line: String = chars.by_ref().take(REPORT_CHARS).collect();
    if chars.next().is_some() {
        line.push('…');
    }
    line
}
