//! What fetching reports: how each feed's fetch ended ([`Outcome`]) and
//! its progress on the way ([`Event`]). Shared by [`super::fetch`] (web
//! feeds) and [`super::epaper`] (editions).

use super::store::StoreReport;

/// How fetching one feed ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Stored(StoreReport),
    /// The server said 304: nothing new.
    NotModified,
    /// Fetched less than `interval` minutes ago; `--force` fetches anyway.
    TooSoon {
        minutes_left: u64,
    },
    Failed(String),
    /// Some of an e-paper edition was stored; the rest (each a one-line
    /// reason) is fetched again next time.
    Incomplete {
        report: StoreReport,
        failures: Vec<String>,
    },
}

impl Outcome {
    pub fn failed(&self) -> bool {
        matches!(self, Outcome::Failed(_))
    }

    /// What was stored, when anything was.
    pub fn stored(&self) -> Option<&StoreReport> {
        match self {
            Outcome::Stored(r) | Outcome::Incomplete { report: r, .. } => Some(r),
            _ => None,
        }
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Outcome::Stored(r) => write!(
                f,
                "{} new, {} updated, {} unchanged",
                r.new, r.updated, r.unchanged
            ),
            Outcome::NotModified => f.write_str("not modified"),
            Outcome::TooSoon { minutes_left } => {
                write!(
                    f,
                    "skipped: fetched recently, next in {minutes_left} min (--force to fetch now)"
                )
            }
            Outcome::Failed(reason) => write!(f, "failed: {reason}"),
            Outcome::Incomplete {
                report: r,
                failures,
            } => write!(
                f,
                "{} new, {} updated, {} unchanged, {} not fetched (again next time): {}",
                r.new,
                r.updated,
                r.unchanged,
                failures.len(),
                failures.join("; ")
            ),
        }
    }
}

/// Progress while fetching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Started {
        feed: String,
    },
    /// How far an e-paper fetch is: `2031-05-06 版面 3/8`, `… articles 5/40`.
    Step {
        feed: String,
        stage: String,
    },
    /// Something repaired that did not stop the feed: an ill-formed
    /// document read after repair (one line each).
    Warning {
        feed: String,
        message: String,
    },
    Finished {
        feed: String,
        outcome: Outcome,
    },
}
