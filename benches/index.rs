//! The archive's index and search on synthetic archives (issue 6).
//!
//! Input: archives written once per run by `kanbao_synth::generate` (seed
//! 1, 3 feeds) of 5,000 and 100,000 articles, in a temporary folder under
//! `target/tmp`; `KANBAO_BENCH_ARCHIVE=DIR` uses the archive already in DIR
//! (as written by `cargo run --release --example synth-archive -- DIR`)
//! instead of generating the 100,000-article one. The names of the
//! benchmarks give the archive's size (`100k`). Writing the archives, and
//! building the warm indexes the other benchmarks read, is not timed.
//!
//! - `index/cold/100k`: `Index::refresh` into a new, empty index folder:
//!   every page read, parsed and written into one segment. Throughput is
//!   the bytes of source text read. The source files are in the page cache
//!   (they were just written), so this is parsing and indexing, not disk.
//! - `index/load_front/5k`, `index/load_front/100k`: `Index::load_front`
//!   of the first 400 articles: what the reader reads before its first
//!   frame (its worker thread then refreshes the index and loads it all).
//! - `index/load/5k`, `index/load/100k`: `Index::load` of the whole
//!   library from a built index, as the reader's worker and the commands
//!   read it. Dropping the result is not timed.
//! - `index/refresh_unchanged/100k`: `Index::refresh` when nothing
//!   changed: the segments opened, the feed folders walked, every file's
//!   size and time compared (what `--fresh` and the reader do).
//! - `index/refresh_quick/100k`: the quick check a command makes (issue
//!   15): the segments opened, the folders' times and the newest files
//!   compared.
//! - `search/2-chars/100k/科技`, `…/院士`, `search/4-chars/100k/创新高地`,
//!   `search/1-char/100k/院`: the reader's search once its library is open:
//!   `Query::parse`, `Search::find` (all hits, ranked) and the snippets of
//!   the first 20 hits.
//! - `command/search/100k/院士`, `…/创新高地`, `…/院`: what `kanbao search Q`
//!   does in-process (issue 15): the quick check, a `Snapshot` (no library),
//!   the hits ranked by their rank keys, the first 20 read with snippets.
//! - `command/show/100k`: what `kanbao show ID` does in-process: the quick
//!   check, the id found in the segments' id tables, the page read.
//! - `article/open/100k`: `library::read_article` of one article, taking in
//!   turn 64 articles spread evenly through the archive (its page read and
//!   parsed again).
//! - `list/100k`: `Index::load`, then every article serialised as
//!   `kanbao list --json` prints it (pretty JSON) into a sink (dropping the
//!   library is not timed); `list/serialize/100k` the serialising alone.
//!
//! Run with `cargo bench --bench index` (about 3 minutes here, most of it
//! `index/cold`); see `benches/README.md`, "Index and search (issue 6)".

use std::hint::black_box;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{BatchSize, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use kanbao::config::{self, Config};
use kanbao::index::fresh::Freshness;
use kanbao::index::search::Query;
use kanbao::index::{self, Index, Opened};
use kanbao::library;
use kanbao::marks::Marks;
use kanbao::model::Article;
use kanbao_synth::{self as synth, Options};
use tempfile::TempDir;

/// Hits whose snippets are made, as `kanbao search --limit 20`.
const SHOWN: usize = 20;
/// Characters of context before a hit and in all, as `kanbao search`.
const SNIPPET_BEFORE: usize = 12;
const SNIPPET_CHARS: usize = 60;
/// Articles opened in turn by `article/open`.
const OPENED: usize = 64;
/// Articles the reader reads for its first screen (`FRONT_ARTICLES` in
/// `src/ui/mod.rs`).
const FRONT: usize = 400;

/// An archive to bench on, with an index built for it.
struct Archive {
    config: Config,
    /// `5k`, `100k`: the size, for the benchmarks' names.
    label: String,
    /// Bytes of source text (the page files), as indexing reads them.
    source_bytes: u64,
    /// A built index, for the benchmarks that read one.
    index: Index,
}

/// Temporary folders of the run, under `target/tmp`, removed at the end.
struct Scratch {
    root: TempDir,
    used: usize,
}

impl Scratch {
    fn new() -> Scratch {
        Scratch {
            root: tempfile::Builder::new()
                .prefix("index-")
                .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
                .unwrap_or_else(|e| panic!("{e}")),
            used: 0,
        }
    }

    /// A new name in the scratch folder (nothing is created).
    fn path(&mut self, what: &str) -> PathBuf {
        self.used += 1;
        self.root.path().join(format!("{what}-{:03}", self.used))
    }

    /// A new empty folder of its own, removed when dropped.
    fn folder(&self) -> TempDir {
        tempfile::Builder::new()
            .prefix("cache-")
            .tempdir_in(self.root.path())
            .unwrap_or_else(|e| panic!("{e}"))
    }
}

/// `5k` for 5,000, `100k` for 100,000, else the number.
fn label(articles: usize) -> String {
    if articles >= 1000 && articles.is_multiple_of(1000) {
        format!("{}k", articles / 1000)
    } else {
        articles.to_string()
    }
}

/// The archive in `dir` with a fresh index built for it in the scratch
/// folder; checks that it holds `expected` articles when given.
fn prepare(dir: &Path, scratch: &mut Scratch, expected: Option<usize>) -> Archive {
    let path = dir.join("config.toml");
    let config = config::load(&path, &path.display().to_string()).unwrap_or_else(|e| panic!("{e}"));
    let index = Index::at(scratch.path("warm"));
    let refreshed = index
        .refresh(&config, &|_| {})
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(refreshed.rebuilt && refreshed.read > 0);
    let opened = index.load(&config).unwrap_or_else(|e| panic!("{e}"));
    let articles = opened.library.articles.len();
    if let Some(expected) = expected {
        assert_eq!(articles, expected);
    }
    let segment_bytes: u64 = std::fs::read_dir(index.dir())
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum();
    eprintln!(
        "archive {}: {articles} articles in {} files, {} bytes of source text; index {segment_bytes} bytes",
        dir.display(),
        refreshed.read,
        refreshed.bytes,
    );
    Archive {
        config,
        label: label(articles),
        source_bytes: refreshed.bytes,
        index,
    }
}

/// A synthetic archive of `articles` articles, written into the scratch
/// folder.
fn generated(articles: usize, scratch: &mut Scratch) -> Archive {
    let dir = scratch.path(&format!("archive-{articles}"));
    let options = Options {
        articles,
        seed: 1,
        feeds: 3,
        ..Options::default()
    };
    synth::generate(&dir, &options).unwrap_or_else(|e| panic!("{e}"));
    prepare(&dir, scratch, Some(articles))
}

/// Writes the whole listing as `kanbao list --json` does, to a sink;
/// returns the bytes written.
fn list_json(opened: &Opened) -> u64 {
    let mut out = Counter(0);
    let library = &opened.library;
    kanbao::cli::write_listing(
        &mut out,
        library.articles.iter(),
        &Marks::default(),
        &library.warnings,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    out.0
}

/// A sink that counts what is written to it.
struct Counter(u64);

impl io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// `kanbao search QUERY --limit 20` once the library is open: the hits
/// and the snippets of the first 20; returns the number of hits.
fn search(opened: &Opened, query: &str) -> usize {
    let query = Query::parse(query).unwrap_or_else(|e| panic!("{e}"));
    let hits = opened.search.find(&query);
    for hit in hits.iter().take(SHOWN) {
        black_box(
            opened
                .search
                .snippet(hit, &query, SNIPPET_BEFORE, SNIPPET_CHARS),
        );
    }
    hits.len()
}

fn bench_index(c: &mut Criterion) {
    let mut scratch = Scratch::new();
    let small = generated(5_000, &mut scratch);
    let large = match std::env::var_os("KANBAO_BENCH_ARCHIVE") {
        Some(dir) => prepare(Path::new(&dir), &mut scratch, None),
        None => generated(100_000, &mut scratch),
    };
    let opened = large
        .index
        .load(&large.config)
        .unwrap_or_else(|e| panic!("{e}"));

    let mut group = c.benchmark_group("index");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(1))
        .measurement_time(Duration::from_secs(70))
        .throughput(Throughput::Bytes(large.source_bytes));
    group.bench_function(format!("cold/{}", large.label), |b| {
        b.iter_batched(
            || scratch.folder(),
            |folder| {
                let refreshed = Index::at(folder.path())
                    .refresh(black_box(&large.config), &|_| {})
                    .unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(refreshed.bytes, large.source_bytes);
                // Removed after the timed part.
                folder
            },
            BatchSize::PerIteration,
        );
    });
    group.finish();

    let mut group = c.benchmark_group("index");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    for archive in [&small, &large] {
        group.bench_function(format!("load_front/{}", archive.label), |b| {
            b.iter_with_large_drop(|| {
                archive
                    .index
                    .load_front(black_box(&archive.config), FRONT)
                    .unwrap_or_else(|e| panic!("{e}"))
            });
        });
    }
    for archive in [&small, &large] {
        group.bench_function(format!("load/{}", archive.label), |b| {
            b.iter_with_large_drop(|| {
                archive
                    .index
                    .load(black_box(&archive.config))
                    .unwrap_or_else(|e| panic!("{e}"))
            });
        });
    }
    group.bench_function(format!("refresh_unchanged/{}", large.label), |b| {
        b.iter(|| {
            let refreshed = large
                .index
                .refresh(black_box(&large.config), &|_| {})
                .unwrap_or_else(|e| panic!("{e}"));
            assert!(!refreshed.changed());
            refreshed
        });
    });
    // What a command does first: the folders' times and the newest files.
    group.bench_function(format!("refresh_quick/{}", large.label), |b| {
        b.iter(|| {
            let refreshed = large
                .index
                .refresh_with(black_box(&large.config), &|_| {}, Freshness::Quick)
                .unwrap_or_else(|e| panic!("{e}"));
            assert!(!refreshed.changed());
            refreshed
        });
    });
    group.finish();

    // A command's search: a snapshot (no library), the first 20 hits read.
    let mut group = c.benchmark_group("command");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    let open_snapshot =
        || index::snapshot_at(&large.index, &large.config, &|_| {}, Freshness::Quick);
    for query in ["院士", "创新高地", "院"] {
        group.bench_function(format!("search/{}/{query}", large.label), |b| {
            b.iter(|| {
                let snapshot = open_snapshot();
                let query = Query::parse(black_box(query)).unwrap_or_else(|e| panic!("{e}"));
                let found = snapshot.search(&query, Some(SHOWN));
                for (hit, _) in &found.hits {
                    black_box(snapshot.snippet(hit, &query, SNIPPET_BEFORE, SNIPPET_CHARS));
                }
                found.count
            });
        });
    }
    let middle = opened.library.articles[opened.library.articles.len() / 2]
        .id
        .clone();
    group.bench_function(format!("show/{}", large.label), |b| {
        b.iter(|| {
            let snapshot = open_snapshot();
            let stub = snapshot
                .find(black_box(&middle))
                .unwrap_or_else(|e| panic!("{e}"));
            library::read_article(&large.config.feeds, &stub)
        });
    });
    group.finish();

    let mut group = c.benchmark_group("search");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    for (name, query) in [
        ("2-chars", "科技"),
        ("2-chars", "院士"),
        ("4-chars", "创新高地"),
        ("1-char", "院"),
    ] {
        let hits = search(&opened, query);
        assert!(hits > 0, "no hits for {query}");
        eprintln!("search {query}: {hits} hits");
        group.bench_function(format!("{name}/{}/{query}", large.label), |b| {
            b.iter(|| search(&opened, black_box(query)));
        });
    }
    group.finish();

    let mut group = c.benchmark_group("article");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    let articles = &opened.library.articles;
    let step = (articles.len() / OPENED).max(1);
    let picks: Vec<&Article> = articles.iter().step_by(step).take(OPENED).collect();
    for article in &picks {
        let full = library::read_article(&large.config.feeds, article)
            .unwrap_or_else(|w| panic!("{}: {}", w.path, w.message));
        assert!(!full.paragraphs.is_empty());
    }
    group.bench_function(format!("open/{}", large.label), |b| {
        let mut next = 0;
        b.iter(|| {
            let article = picks[next % picks.len()];
            next += 1;
            library::read_article(&large.config.feeds, black_box(article))
        });
    });
    group.finish();

    let mut group = c.benchmark_group("list");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    eprintln!("list {}: {} bytes of JSON", large.label, list_json(&opened));
    group.bench_function(large.label.clone(), |b| {
        b.iter_with_large_drop(|| {
            let opened = large
                .index
                .load(black_box(&large.config))
                .unwrap_or_else(|e| panic!("{e}"));
            black_box(list_json(&opened));
            opened
        });
    });
    group.bench_function(format!("serialize/{}", large.label), |b| {
        b.iter(|| list_json(black_box(&opened)));
    });
    group.finish();
}

criterion_group!(benches, bench_index);
criterion_main!(benches);
