//! The reader's messages and effects: what `update` is told and what it
//! asks the loop to do.
//!
//! [`Msg`] is every input: a key already turned into an action, text
//! typed, a resize, the mouse, and what the workers and the loop report.
//! [`Effect`] is every piece of work `update` leaves to the loop, which does
//! all the I/O: saving marks, fetching, reading and typesetting articles,
//! fetching photos, opening links.

use crate::browser::OpenError;
use crate::feed::fetch;
use crate::index::Opened;
use crate::keymap::Action;
use crate::library::Shelf;
use crate::model::{Article, Warning};
use crate::sync::Synced;

use super::app::Typeset;
use super::pictures::Shown;
use super::worker::{Failure, Worker};

/// An input for the reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Msg {
    Action(Action),
    /// Text typed (or pasted, or composed by an input method) into the
    /// filter or the link prompt.
    Text(String),
    /// Backspace while typing the filter or a link's number.
    Backspace,
    /// Enter while typing the filter or a link's number.
    Submit,
    Resize(u16, u16),
    Click {
        column: u16,
        row: u16,
    },
    Wheel {
        column: u16,
        row: u16,
        down: bool,
    },
    /// A message from the loop, e.g. that saving failed.
    Notice(String),
    /// The read marks were saved, or why not.
    Saved(Result<(), String>),
    /// A background fetch of `n` feeds has started.
    FetchStarted(usize),
    /// Progress of the background fetch.
    Fetch(fetch::Event),
    /// The sync with the `[sync]` server worked: the marks it brought
    /// and what both sides now agree on (its outcome comes with
    /// [`Msg::FetchDone`] as the feed `sync`).
    Synced(Box<Synced>),
    /// The background fetch is over; the outcome of each feed.
    FetchDone(Vec<(String, fetch::Outcome)>),
    /// Progress of the index's refresh: files read, files to read.
    Indexing(usize, usize),
    /// The hits of the search `query`, every one confirmed in its text
    /// (see [`Effect::Confirm`]).
    Confirmed {
        query: String,
        hits: Vec<crate::index::search::Ranked>,
    },
    /// The index refresh is over: the whole archive as it now is, after
    /// a first screen of it.
    Indexed(Box<Opened<Shelf>>),
    /// An article's text read from its file (or why it could not be), and
    /// what waited for it.
    Read {
        id: String,
        result: Result<Box<Article>, Warning>,
        then: Then,
    },
    /// A long article, read and laid out on a worker.
    Typeset(Box<Typeset>),
    /// Photo `photo` of article `article`, fetched, decoded and encoded on
    /// a worker; or the one line that says why not.
    Picture {
        article: String,
        photo: usize,
        result: Result<Shown, String>,
    },
    /// The browser was asked to open `url`: the browser's name, or why not.
    LinkOpened {
        url: String,
        result: Result<String, OpenError>,
    },
    /// A worker stopped on a panic (a bug): which, and the panic's message
    /// and location.
    WorkerFailed {
        worker: Worker,
        message: String,
    },
}

/// Work for the loop after an update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Read or starred marks changed: write them to disk.
    SaveMarks,
    /// A sync brought marks: write them to disk, then (only if that
    /// worked) what both sides now agree on, `sync.json`.
    SaveSynced(Box<crate::sync::base::Base>),
    /// Fetch the web feeds in the background.
    StartFetch,
    /// Load the archive again (new items arrived).
    Reload,
    /// Read the text of article `index` (it came from the index without
    /// it) from its file; it comes back as [`Msg::Read`].
    Read { index: usize, then: Then },
    /// Read and lay out the long article `index` at `width` columns on a
    /// worker; it comes back as [`Msg::Typeset`].
    Typeset { index: usize, width: usize },
    /// Open a link in the browser (if it is a web address: the loop checks).
    OpenLink(String),
    /// Confirm the hits of the search `query` in their texts on a worker
    /// (the search shows its first hits confirmed, the rest as candidates
    /// until then); they come back as [`Msg::Confirmed`].
    Confirm {
        query: String,
        search: std::sync::Arc<crate::index::search::Search>,
        ticket: super::archive::Ticket,
    },
    /// Fetch, decode and encode the photos of article `index` on a worker,
    /// each fitted in `area` (columns, rows); they come back one by one as
    /// [`Msg::Picture`].
    Photos { index: usize, area: (u16, u16) },
}

/// What waited for an article's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Then {
    /// The reader, to show it.
    Show,
    /// `o`, to see which links it has.
    OpenLink,
}

impl From<Failure> for Msg {
    fn from(failure: Failure) -> Msg {
        Msg::WorkerFailed {
            worker: failure.worker,
            message: failure.message,
        }
    }
}
