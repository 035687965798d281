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

/// What a fetch of several feeds did, counted over their outcomes: every
/// feed is counted somewhere.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub feeds: usize,
    /// Items, over the feeds that stored any.
    pub new: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Feeds the server said had not changed (304).
    pub not_modified: usize,
    /// Feeds fetched too recently to fetch again.
    pub skipped: usize,
    pub failed: usize,
    /// E-paper feeds of which some was stored, the rest to fetch again.
    pub incomplete: usize,
}

impl Summary {
    pub fn of<'a>(outcomes: impl IntoIterator<Item = &'a Outcome>) -> Summary {
        let mut s = Summary::default();
        for outcome in outcomes {
            s.feeds += 1;
            if let Some(r) = outcome.stored() {
                s.new += r.new;
                s.updated += r.updated;
                s.unchanged += r.unchanged;
            }
            match outcome {
                Outcome::NotModified => s.not_modified += 1,
                Outcome::TooSoon { .. } => s.skipped += 1,
                Outcome::Failed(_) => s.failed += 1,
                Outcome::Incomplete { .. } => s.incomplete += 1,
                Outcome::Stored(_) => {}
            }
        }
        s
    }

    /// Whether every feed was fetched whole (or had no need to be).
    pub fn clean(&self) -> bool {
        self.failed + self.incomplete == 0
    }
}

impl std::fmt::Display for Summary {
    /// `2 feeds: 3 new, 0 updated, 1 unchanged, 1 not modified, 0 failed`;
    /// feeds not modified, skipped or incomplete are named when there are any.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let noun = if self.feeds == 1 { "feed" } else { "feeds" };
        write!(
            f,
            "{} {noun}: {} new, {} updated, {} unchanged",
            self.feeds, self.new, self.updated, self.unchanged
        )?;
        for (count, what) in [
            (self.not_modified, "not modified"),
            (self.skipped, "skipped"),
            (self.incomplete, "incomplete"),
        ] {
            if count > 0 {
                write!(f, ", {count} {what}")?;
            }
        }
        write!(f, ", {} failed", self.failed)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(new: usize, updated: usize, unchanged: usize) -> Outcome {
        Outcome::Stored(StoreReport {
            new,
            updated,
            unchanged,
        })
    }

    #[test]
    fn every_feed_is_counted_in_the_summary() {
        for (outcomes, said) in [
            (
                vec![Outcome::NotModified],
                "1 feed: 0 new, 0 updated, 0 unchanged, 1 not modified, 0 failed",
            ),
            (
                vec![stored(3, 1, 2), stored(1, 0, 0)],
                "2 feeds: 4 new, 1 updated, 2 unchanged, 0 failed",
            ),
            (
                vec![
                    stored(1, 0, 0),
                    Outcome::NotModified,
                    Outcome::TooSoon { minutes_left: 5 },
                    Outcome::Failed("timed out".into()),
                    Outcome::Incomplete {
                        report: StoreReport {
                            new: 2,
                            updated: 0,
                            unchanged: 0,
                        },
                        failures: vec!["版面 3".into()],
                    },
                ],
                "5 feeds: 3 new, 0 updated, 0 unchanged, 1 not modified, 1 skipped, \
                 1 incomplete, 1 failed",
            ),
        ] {
            assert_eq!(Summary::of(&outcomes).to_string(), said);
        }
        assert!(Summary::of(&[Outcome::NotModified]).clean());
        assert!(!Summary::of(&[Outcome::Failed("x".into())]).clean());
    }
}
