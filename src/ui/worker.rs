//! Reader workers: the background jobs (fetch, index, typeset), named for
//! the loop to clear what one was doing if it fails.

/// A reader worker: what it was doing, for the loop to clear if it fails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Worker {
    /// Fetching the web feeds.
    Fetch,
    /// Bringing the index up to date, at start or after a fetch.
    Index,
    /// Laying out the long article `id` at `width` columns.
    Typeset { id: String, width: usize },
}

impl Worker {
    /// The thread's name.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Fetch => "fetch",
            Self::Index => "index",
            Self::Typeset { .. } => "typeset",
        }
    }
}
