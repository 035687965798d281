//! Drawing the reader, and updating it, for the longest sample article at
//! 200×60.
//!
//! The app is built as `tests/screens.rs` builds it (the repo's config.toml,
//! `Library::load`, no read marks, `Msg::Resize(200, 60)`); the longest
//! article (most typeset lines at the reader's width) is then opened with
//! keys, through `input::translate` and `update`: `J` to its section, `j`
//! to it, Enter. Every draw goes through `Terminal::draw` on a 200×60
//! `TestBackend`, which runs `view::draw` into a fresh buffer, diffs it
//! with the previous frame and writes the changed cells to the backend.
//!
//! - `render/draw-unchanged`: the same screen drawn again and again. The
//!   whole of `view::draw` runs each time; the diff finds nothing to write.
//! - `render/draw-switch`: before each draw, untimed, the reader goes to
//!   the next article and back (`n` and `N` alternately, or `N` and `n` if
//!   the longest is the last), so the reader's rows and the selection in the
//!   articles pane change and are written to the backend. (Scrolling one
//!   line cannot be used for this: the longest sample article is 49 lines at
//!   the reader's 99 columns and fits the 58 rows of the pane.)
//! - `render/draw-after-clear`: before each draw, untimed,
//!   `Terminal::clear` forgets the previous frame, so every cell is written
//!   (the first frame after launch or after a resize).
//! - `update/switch-article`: one `update` for `n` or `N` alternately: open
//!   the next article (or the longest again), lay it out at 99 columns,
//!   settle the state; no drawing.
//! - `update/resize-200-198`: one `update` for a resize, between 200×60 and
//!   198×60 alternately. The reader pane changes from 102 to 101 columns,
//!   so its text is laid out again (`typeset::layout`).
//! - `update/resize-200-199`: the same between 200×60 and 199×60. The
//!   reader pane is 102 columns at both widths (only the articles pane
//!   changes), so there is no relayout; this is the cost of a resize that
//!   does not touch the reader's width.
//!
//! Run with `cargo bench --bench render`; see `benches/README.md`.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use kanbao::config;
use kanbao::library::Library;
use kanbao::marks::Marks;
use kanbao::typeset;
use kanbao::ui::app::{App, Prefs};
use kanbao::ui::archive::Archive;
use kanbao::ui::input::translate;
use kanbao::ui::layout::Focus;
use kanbao::ui::update::{Msg, update};
use kanbao::ui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const WIDTH: u16 = 200;
const HEIGHT: u16 = 60;

fn sample() -> App {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = root.join("config.toml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    let config = config::parse(&text, &path, "config.toml").unwrap_or_else(|e| panic!("{e}"));
    let prefs = Prefs::from_config(&config, false);
    let archive = Archive::new(Library::load(&config), Marks::default(), Vec::new(), None);
    let mut app = App::new(archive, prefs);
    update(&mut app, Msg::Resize(WIDTH, HEIGHT));
    app
}

/// What key `c` (Enter for `'\n'`) asks of the app, through the keymap.
fn key(app: &App, c: char) -> Option<Msg> {
    let code = match c {
        '\n' => KeyCode::Enter,
        c => KeyCode::Char(c),
    };
    translate(app, Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn press(app: &mut App, keys: &str) {
    for c in keys.chars() {
        if let Some(msg) = key(app, c) {
            update(app, msg);
        }
    }
}

/// The keys that open the article with the most lines at the reader's
/// width, and that article's index and line count.
fn longest(app: &App) -> (String, usize, usize) {
    let width = app
        .panes
        .reader
        .map(|p| usize::from(p.text().width))
        .unwrap_or_else(|| panic!("no reader pane at {WIDTH}×{HEIGHT}"));
    let mut best: Option<(String, usize, usize)> = None;
    for section in 0..app.archive.sections.len() {
        for (position, index) in app.archive.visible(section).iter().copied().enumerate() {
            let Some(article) = app.archive.article(index) else {
                continue;
            };
            let lines = typeset::layout(
                &article,
                app.archive.context(&article),
                width,
                &app.prefs.text,
            )
            .len();
            if best.as_ref().is_none_or(|b| lines > b.2) {
                let keys = format!("{}{}\n", "J".repeat(section), "j".repeat(position));
                best = Some((keys, index, lines));
            }
        }
    }
    best.unwrap_or_else(|| panic!("the sample archive has no articles"))
}

/// The sample app with the longest article open in the reader, and the
/// messages of the keys that go from it to another article and back
/// (`n` then `N`, or `N` then `n` if it is the last article).
fn reading_longest() -> (App, [Msg; 2]) {
    let mut app = sample();
    let (open, index, lines) = longest(&app);
    press(&mut app, &open);
    assert_eq!(app.focus, Focus::Reader);
    assert_eq!(app.reader.article, Some(index));
    assert_eq!(app.reader.lines.len(), lines);
    let mut probe = app.clone();
    press(&mut probe, "n");
    let [there, back] = if probe.reader.article == Some(index) {
        ['N', 'n']
    } else {
        ['n', 'N']
    }
    .map(|c| key(&app, c).unwrap_or_else(|| panic!("{c} is not bound")));
    let mut probe = app.clone();
    update(&mut probe, there.clone());
    assert_ne!(probe.reader.article, Some(index), "{there:?} must leave");
    update(&mut probe, back.clone());
    assert_eq!(probe.reader.article, Some(index), "{back:?} must come back");
    (app, [there, back])
}

fn terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap_or_else(|e| panic!("{e}"))
}

fn draw(terminal: &mut Terminal<TestBackend>, app: &App) {
    terminal
        .draw(|frame| view::draw(frame, app))
        .unwrap_or_else(|e| panic!("{e}"));
}

fn bench(c: &mut Criterion) {
    let (mut app, [there, back]) = reading_longest();

    let mut group = c.benchmark_group("render");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));

    group.bench_function("draw-unchanged", |b| {
        let mut terminal = terminal();
        draw(&mut terminal, &app);
        b.iter(|| draw(&mut terminal, black_box(&app)));
    });

    group.bench_function("draw-switch", |b| {
        let mut terminal = terminal();
        draw(&mut terminal, &app);
        let mut away = true;
        b.iter_custom(|iters| {
            let mut timed = Duration::ZERO;
            for _ in 0..iters {
                update(&mut app, if away { &there } else { &back }.clone());
                away = !away;
                let start = Instant::now();
                draw(&mut terminal, black_box(&app));
                timed += start.elapsed();
            }
            timed
        });
        // Leave the longest article open.
        if !away {
            update(&mut app, back.clone());
        }
    });

    group.bench_function("draw-after-clear", |b| {
        let mut terminal = terminal();
        b.iter_custom(|iters| {
            let mut timed = Duration::ZERO;
            for _ in 0..iters {
                terminal.clear().unwrap_or_else(|e| panic!("{e}"));
                let start = Instant::now();
                draw(&mut terminal, black_box(&app));
                timed += start.elapsed();
            }
            timed
        });
    });
    group.finish();

    let mut group = c.benchmark_group("update");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));

    group.bench_function("switch-article", |b| {
        let mut away = true;
        b.iter(|| {
            let msg = if away { &there } else { &back };
            away = !away;
            black_box(update(&mut app, msg.clone()))
        });
        if !away {
            update(&mut app, back.clone());
        }
    });

    for other in [198, 199] {
        let before = app.reader.width;
        update(&mut app, Msg::Resize(other, HEIGHT));
        let relayout = app.reader.width != before;
        update(&mut app, Msg::Resize(WIDTH, HEIGHT));
        assert_eq!(relayout, other == 198, "reader width at {other} columns");
        group.bench_function(format!("resize-{WIDTH}-{other}"), |b| {
            let mut narrow = true;
            b.iter(|| {
                let width = if narrow { other } else { WIDTH };
                narrow = !narrow;
                black_box(update(&mut app, Msg::Resize(width, HEIGHT)))
            });
            if !narrow {
                update(&mut app, Msg::Resize(WIDTH, HEIGHT));
            }
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
