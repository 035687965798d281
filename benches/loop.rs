//! The daily reading loop (issue 18) on a 100,000-article archive: one
//! `update` for each key of the loop, as the reader's event loop calls it.
//!
//! Input: the archive `kanbao_synth::generate` writes with 100,000
//! articles, seed 1, 3 feeds (as `benches/archive.sh` and
//! `benches/loop.sh` make it), kept in `target/tmp/loop-archive-100000`
//! and reused by later runs; `KANBAO_BENCH_ARCHIVE=DIR` uses the archive
//! already in DIR instead. It is read as the reader reads it, from the
//! index (`Index::refresh` then `Index::load`, the index kept in
//! `target/tmp/loop-index`): every article is a stub without its text,
//! and the search index is open. The app is built as the reader builds it
//! (`Archive::new`, `App::new`), no read marks unless a benchmark says so,
//! then `Msg::Resize(200, 60)`: three panes, the sections tree focused on
//! the article list, the first section of the newest date selected. None
//! of that is timed.
//!
//! Checked once, untimed: the tree shows each feed's newest date open and
//! no section of an older date; the newest date of the first feed is the
//! synthetic archive's first date.
//!
//! Each benchmark times `update(&mut app, msg)` and nothing else: the
//! effects it returns (read an article's text from its file, save the read
//! marks) are the event loop's work and are not performed here, and no
//! frame is drawn. `benches/loop.sh` times the whole process, effects and
//! frames included.
//!
//! - `loop/jump-date`: `:` then `2026-09-01` then Enter, i.e. the three
//!   messages `Action(JumpDate)`, `Text("2026-09-01")`, `Submit`, timed
//!   together; the dates 2026-09-01 and 2026-10-01 alternate, so that each
//!   jump selects another date (and opens it in the tree).
//! - `loop/next-unread/skip-day`: `u` from the first article of the
//!   newest date, whose other articles of that date are read: the
//!   selection goes to the first article of the next date (opening it).
//!   `U` takes it back, untimed; `loop/prev-unread/skip-day` times that `U`
//!   instead.
//! - `loop/next-unread/skip-all`: the same with every article read but the
//!   first and the last: `u` goes through the whole archive.
//! - `loop/mark-read/section`, `…/day`, `…/feed`: `A` with the newest
//!   date's first section selected (4 articles), the newest date (33) or
//!   the whole first feed (33,501): every article the list shows is marked
//!   read. `Esc` (untimed) takes it back, so each iteration starts equal;
//!   `loop/undo/…` times that `Esc` instead.
//! - `loop/view/to-unread`, `…/to-starred`, `…/to-all`: `v`, one step of
//!   the cycle all → unread only → starred only → all, the other two steps
//!   untimed. The newest date of the first feed is read but its first
//!   article, and 10 articles spread through the archive are starred.
//! - `loop/step/j-k`: `j` and `k` alternately in the article list, for
//!   comparison: the selection moves and the reader's preview changes.
//! - `loop/search/创`, `…/创新`, `…/创新平`, `…/创新平台`: after `/`, one
//!   character typed with the ones before it already there: the search
//!   runs over the index and every section's list is narrowed to its
//!   hits. As in the reader, a query read in the texts (three characters
//!   and more) confirms its first `FIRST_HITS` hits there and leaves the
//!   rest to a worker, which is not run here. `loop/search/创新-committed`: the two characters at once, as an
//!   input method commits a word.
//!
//! Run with `cargo bench --bench loop`; see `benches/README.md`, "The
//! daily reading loop (issue 18)".

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{
    BenchmarkGroup, Criterion, criterion_group, criterion_main, measurement::WallTime,
};
use kanbao::config::{self, Config};
use kanbao::index::Index;
use kanbao::keymap::Action;
use kanbao::marks::Marks;
use kanbao::ui::app::{App, Input, Prefs};
use kanbao::ui::archive::{Archive, Row, View};
use kanbao::ui::layout::Focus;
use kanbao::ui::update::{Msg, update};
use kanbao_synth::{self as synth, Options};

const ARTICLES: usize = 100_000;
const WIDTH: u16 = 200;
const HEIGHT: u16 = 60;
/// The dates `loop/jump-date` jumps to in turn.
const DATES: [&str; 2] = ["2026-09-01", "2026-10-01"];
/// Articles starred for the starred view.
const STARRED: usize = 10;

/// The archive folder: `KANBAO_BENCH_ARCHIVE`, else the generated one
/// (written now if it is not there yet).
fn archive_dir() -> (PathBuf, bool) {
    if let Some(dir) = std::env::var_os("KANBAO_BENCH_ARCHIVE") {
        return (PathBuf::from(dir), false);
    }
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let dir = tmp.join(format!("loop-archive-{ARTICLES}"));
    if !dir.join("config.toml").is_file() {
        // Written beside, then renamed: a run stopped halfway leaves no
        // folder that looks whole.
        let partial = tmp.join(format!("loop-archive-{ARTICLES}.partial"));
        if partial.exists() {
            std::fs::remove_dir_all(&partial)
                .unwrap_or_else(|e| panic!("removing {}: {e}", partial.display()));
        }
        let options = Options {
            articles: ARTICLES,
            seed: 1,
            feeds: 3,
            ..Options::default()
        };
        eprintln!("writing the archive into {}", dir.display());
        synth::generate(&partial, &options)
            .unwrap_or_else(|e| panic!("generating {}: {e}", partial.display()));
        std::fs::rename(&partial, &dir)
            .unwrap_or_else(|e| panic!("renaming {}: {e}", partial.display()));
    }
    (dir, true)
}

/// The reader's app over the archive in `dir`, read from its index as the
/// reader reads it, at 200×60, no marks.
fn load(dir: &Path) -> App {
    let path = dir.join("config.toml");
    let config: Config =
        config::load(&path, &path.display().to_string()).unwrap_or_else(|e| panic!("{e}"));
    let index = Index::at(Path::new(env!("CARGO_TARGET_TMPDIR")).join("loop-index"));
    let started = Instant::now();
    let refreshed = index
        .refresh(&config, &|_| {})
        .unwrap_or_else(|e| panic!("indexing {}: {e}", dir.display()));
    let opened = index
        .load(&config)
        .unwrap_or_else(|e| panic!("loading the index of {}: {e}", dir.display()));
    eprintln!(
        "archive {}: {} articles from the index in {:.1?} ({} files read into it)",
        dir.display(),
        opened.library.articles.len(),
        started.elapsed(),
        refreshed.read,
    );
    let archive = Archive::new(
        opened.library,
        Marks::default(),
        Vec::new(),
        Some(opened.search),
    );
    let mut app = App::new(archive, Prefs::from_config(&config, false));
    app.archive.answer_first(kanbao::ui::FIRST_HITS);
    update(&mut app, Msg::Resize(WIDTH, HEIGHT));
    app
}

/// The tree as the reader opens: each feed's newest date open, no section
/// of an older date shown, the newest date's first section selected.
fn check_tree(app: &App, synthetic: bool) {
    let archive = &app.archive;
    if synthetic {
        assert_eq!(archive.len(), ARTICLES);
        assert_eq!(archive.feeds.len(), 3);
        assert_eq!(archive.days[0].date.as_deref(), Some(synth::FIRST_DATE));
    }
    let newest = |day: usize| {
        archive
            .feeds
            .get(archive.days[day].feed)
            .is_some_and(|f| f.days.start == day)
    };
    for row in &app.nav.rows {
        if let Row::Section(s) = *row {
            let day = archive.sections[s].day;
            assert!(
                newest(day),
                "the tree shows section {} of an older date",
                archive.sections[s].label()
            );
        }
    }
    for feed in &archive.feeds {
        let day = feed.days.start;
        for s in archive.days[day].sections.clone() {
            assert!(
                app.nav.rows.contains(&Row::Section(s)),
                "the newest date's section {} is not shown",
                archive.sections[s].label()
            );
        }
        for d in feed.days.clone() {
            assert!(app.nav.rows.contains(&Row::Day(d)), "every date is a row");
        }
    }
    assert_eq!(app.nav.row, Row::Section(0));
    assert_eq!(app.focus, Focus::Articles);
    assert_eq!(app.selected(), Some(0));
    eprintln!(
        "tree: {} rows of {} feeds, {} dates, {} sections; {} sections shown",
        app.nav.rows.len(),
        archive.feeds.len(),
        archive.days.len(),
        archive.sections.len(),
        app.nav
            .rows
            .iter()
            .filter(|r| matches!(r, Row::Section(_)))
            .count(),
    );
}

fn act(app: &mut App, action: Action) {
    update(app, Msg::Action(action));
}

fn message(app: &App) -> &str {
    app.status.message.as_deref().unwrap_or("")
}

/// Times `update` for `timed`, running `untimed` (not measured) after each.
fn bench_pair(
    group: &mut BenchmarkGroup<'_, WallTime>,
    name: &str,
    app: &mut App,
    timed: &Msg,
    untimed: &Msg,
) {
    group.bench_function(name, |b| {
        b.iter_custom(|iters| {
            let mut spent = Duration::ZERO;
            for _ in 0..iters {
                let start = Instant::now();
                black_box(update(app, timed.clone()));
                spent += start.elapsed();
                update(app, untimed.clone());
            }
            spent
        });
    });
}

/// The jump to a date: the prompt, the date, Enter.
fn jump(app: &mut App, date: &str) {
    act(app, Action::JumpDate);
    update(app, Msg::Text(date.to_owned()));
    update(app, Msg::Submit);
}

fn bench_jump(group: &mut BenchmarkGroup<'_, WallTime>, pristine: &App) {
    let mut app = pristine.clone();
    for date in DATES {
        jump(&mut app, date);
        let day = match app.nav.row {
            Row::Day(d) => d,
            other => panic!("the jump to {date} selected {other:?}"),
        };
        assert_eq!(app.archive.days[day].date.as_deref(), Some(date));
        assert_eq!(app.archive.days[day].feed, 0, "the feed shown");
        assert_eq!(app.input, Input::Browse);
        assert!(
            app.nav
                .rows
                .contains(&Row::Section(app.archive.days[day].sections.start)),
            "the date jumped to is open"
        );
        assert!(message(&app).starts_with(date), "{}", message(&app));
    }
    let mut next = 0;
    group.bench_function("jump-date", |b| {
        b.iter_custom(|iters| {
            let start = Instant::now();
            for _ in 0..iters {
                act(&mut app, Action::JumpDate);
                update(&mut app, Msg::Text(DATES[next].to_owned()));
                black_box(update(&mut app, Msg::Submit));
                next = 1 - next;
            }
            start.elapsed()
        });
    });
}

/// Marks read the articles of `range` but those of `keep`.
fn mark_read(app: &mut App, range: std::ops::Range<usize>, keep: &[usize]) {
    for i in range {
        if !keep.contains(&i) {
            app.archive.set_read(i, true);
        }
    }
}

/// The first article of the newest date of the first feed, and the first
/// of the next date.
fn first_of_next_day(app: &App) -> usize {
    let archive = &app.archive;
    let next_day = archive.feeds[0].days.start + 1;
    let section = archive.days[next_day].sections.start;
    archive.sections[section].articles.start
}

fn bench_next_unread(group: &mut BenchmarkGroup<'_, WallTime>, pristine: &App) {
    let u = Msg::Action(Action::NextUnread);
    let shift_u = Msg::Action(Action::PrevUnread);
    let cases = [("skip-day", false), ("skip-all", true)];
    for (name, far) in cases {
        let mut app = pristine.clone();
        let last = app.archive.len() - 1;
        let target = if far {
            mark_read(&mut app, 1..last, &[]);
            last
        } else {
            let target = first_of_next_day(&app);
            mark_read(&mut app, 1..target, &[]);
            target
        };
        update(&mut app, u.clone());
        assert_eq!(app.selected(), Some(target), "u from the first article");
        assert_eq!(app.focus, Focus::Articles);
        update(&mut app, shift_u.clone());
        assert_eq!(app.selected(), Some(0), "U back to the first");
        eprintln!(
            "next-unread/{name}: u skips {} read articles",
            target.saturating_sub(1)
        );
        bench_pair(
            group,
            &format!("next-unread/{name}"),
            &mut app,
            &u,
            &shift_u,
        );
        update(&mut app, u.clone());
        assert_eq!(app.selected(), Some(target));
        if !far {
            bench_pair(
                group,
                &format!("prev-unread/{name}"),
                &mut app,
                &shift_u,
                &u,
            );
        }
    }
}

fn bench_mark_read(group: &mut BenchmarkGroup<'_, WallTime>, pristine: &App) {
    let a = Msg::Action(Action::MarkAllRead);
    let esc = Msg::Action(Action::Cancel);
    let mut app = pristine.clone();
    for (name, row) in [
        ("section", Row::Section(0)),
        ("day", Row::Day(0)),
        ("feed", Row::Feed(0)),
    ] {
        if app.nav.row != row {
            // Up the tree from the article list: the date, then the feed.
            if app.focus != Focus::Sections {
                act(&mut app, Action::Left);
            }
            act(&mut app, Action::Up);
        }
        assert_eq!(app.nav.row, row);
        let listed = app.listed().to_vec();
        update(&mut app, a.clone());
        let marked = format!("marked {} read", listed.len());
        assert!(message(&app).starts_with(&marked), "{}", message(&app));
        assert!(listed.iter().all(|&i| app.archive.is_read(i)));
        update(&mut app, esc.clone());
        assert!(listed.iter().all(|&i| !app.archive.is_read(i)));
        assert_eq!(app.nav.row, row);
        eprintln!("mark-read/{name}: {} articles", listed.len());
        bench_pair(group, &format!("mark-read/{name}"), &mut app, &a, &esc);
        update(&mut app, a.clone());
        bench_pair(group, &format!("undo/{name}"), &mut app, &esc, &a);
        update(&mut app, esc.clone());
        assert!(listed.iter().all(|&i| !app.archive.is_read(i)));
    }
}

fn bench_view(group: &mut BenchmarkGroup<'_, WallTime>, pristine: &App) {
    let mut app = pristine.clone();
    let target = first_of_next_day(&app);
    mark_read(&mut app, 1..target, &[]);
    let step = app.archive.len() / STARRED;
    for n in 0..STARRED {
        app.archive.toggle_star(n * step + step / 2);
    }
    let v = Msg::Action(Action::View);
    let all = app.archive.len();
    let unread = all - (target - 1);
    for (view, expected) in [
        (View::Unread, format!("showing the {unread} unread only")),
        (View::Starred, format!("showing the {STARRED} starred only")),
        (View::All, format!("showing all {all} articles")),
    ] {
        update(&mut app, v.clone());
        assert_eq!(app.archive.view(), view);
        assert_eq!(message(&app), expected);
    }
    for (name, before) in [("to-unread", 0), ("to-starred", 1), ("to-all", 2)] {
        group.bench_function(format!("view/{name}"), |b| {
            b.iter_custom(|iters| {
                let mut spent = Duration::ZERO;
                for _ in 0..iters {
                    for _ in 0..before {
                        update(&mut app, v.clone());
                    }
                    let start = Instant::now();
                    black_box(update(&mut app, v.clone()));
                    spent += start.elapsed();
                    for _ in before + 1..3 {
                        update(&mut app, v.clone());
                    }
                }
                spent
            });
        });
        assert_eq!(app.archive.view(), View::All);
    }
}

fn bench_step(group: &mut BenchmarkGroup<'_, WallTime>, pristine: &App) {
    let mut app = pristine.clone();
    let j = Msg::Action(Action::Down);
    let k = Msg::Action(Action::Up);
    update(&mut app, j.clone());
    assert_eq!(app.selected(), Some(1));
    update(&mut app, k.clone());
    assert_eq!(app.selected(), Some(0));
    let mut down = true;
    group.bench_function("step/j-k", |b| {
        b.iter(|| {
            let msg = if down { &j } else { &k };
            down = !down;
            black_box(update(&mut app, msg.clone()))
        });
    });
}

/// The characters of the search typed after `/`, one at a time.
const SEARCH: &str = "创新平台";

/// `/` then the search's characters: each character's `Text` message is
/// timed with the ones before it typed (untimed), then taken back with a
/// `Backspace` (untimed); and the whole word as an input method commits
/// it (`创新` in one `Text`).
fn bench_search(group: &mut BenchmarkGroup<'_, WallTime>, pristine: &App) {
    let mut app = pristine.clone();
    update(&mut app, Msg::Action(Action::Filter));
    let chars: Vec<String> = SEARCH.chars().map(String::from).collect();
    for (n, c) in chars.iter().enumerate() {
        let typed: String = chars[..=n].concat();
        group.bench_function(format!("search/{typed}"), |b| {
            b.iter_custom(|iters| {
                let mut spent = Duration::ZERO;
                for _ in 0..iters {
                    let started = Instant::now();
                    black_box(update(&mut app, Msg::Text(c.clone())));
                    spent += started.elapsed();
                    assert_eq!(app.archive.query(), typed);
                    update(&mut app, Msg::Backspace);
                }
                spent
            });
        });
        update(&mut app, Msg::Text(c.clone()));
    }
    let mut app = pristine.clone();
    update(&mut app, Msg::Action(Action::Filter));
    group.bench_function("search/创新-committed", |b| {
        b.iter_custom(|iters| {
            let mut spent = Duration::ZERO;
            for _ in 0..iters {
                let started = Instant::now();
                black_box(update(&mut app, Msg::Text("创新".to_owned())));
                spent += started.elapsed();
                update(&mut app, Msg::Backspace);
                update(&mut app, Msg::Backspace);
            }
            spent
        });
    });
}

fn bench(c: &mut Criterion) {
    let (dir, synthetic) = archive_dir();
    let pristine = load(&dir);
    check_tree(&pristine, synthetic);

    let mut group = c.benchmark_group("loop");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    bench_jump(&mut group, &pristine);
    bench_next_unread(&mut group, &pristine);
    bench_mark_read(&mut group, &pristine);
    bench_view(&mut group, &pristine);
    bench_step(&mut group, &pristine);
    bench_search(&mut group, &pristine);
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
