//! Snapshots of the reader's screens (ratatui TestBackend): the list and
//! the reader for the sample page at 80×24, 41×15 and 120×40, and the help
//! overlay. Review changes with `cargo insta review` (or read the .snap
//! files in tests/snapshots/).

mod common;

use std::path::Path;

use common::keys::{perform_reads, press, press_reading};
use common::screen::{sample, screen};
use kanbao::config;
use kanbao::library::Library;
use kanbao::marks::Marks;
use kanbao::ui::app::{App, Prefs};
use kanbao::ui::archive::Archive;
use kanbao::ui::update::{Msg, update};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use rstest::rstest;

#[rstest]
#[case::w80x24(80, 24)]
#[case::w41x15(41, 15)]
#[case::w120x40(120, 40)]
fn list(#[case] width: u16, #[case] height: u16) {
    let app = sample(width, height);
    insta::assert_snapshot!(format!("list_{width}x{height}"), screen(&app).backend());
}

#[rstest]
#[case::w80x24(80, 24)]
#[case::w41x15(41, 15)]
#[case::w120x40(120, 40)]
fn reader(#[case] width: u16, #[case] height: u16) {
    let mut app = sample(width, height);
    press(&mut app, "\n");
    insta::assert_snapshot!(format!("reader_{width}x{height}"), screen(&app).backend());
}

#[rstest]
#[case::w80x24(80, 24)]
#[case::w41x15(41, 15)]
fn reader_at_the_photo_captions(#[case] width: u16, #[case] height: u16) {
    let mut app = sample(width, height);
    press(&mut app, "jj\nG");
    insta::assert_snapshot!(format!("captions_{width}x{height}"), screen(&app).backend());
}

/// The photo section with pictures: opening the article asks for its
/// photos (never before); one arrives and shows in half-blocks above its
/// caption, one is a note, the rest wait under `[图 N 载入中…]`.
#[rstest]
#[case::w80x24(80, 24)]
#[case::w41x15(41, 15)]
fn reader_with_photos(#[case] width: u16, #[case] height: u16) {
    use kanbao::ui::pictures::{HALFBLOCKS, Shown, encode};
    use kanbao::ui::update::Effect;
    let mut app = common::screen::sample_with(width, height, common::screen::with_photo_addresses);
    let asked = press(&mut app, "jj");
    assert!(
        !asked.iter().any(|e| matches!(e, Effect::Photos { .. })),
        "nothing fetched before the article opens: {asked:?}"
    );
    let asked = press(&mut app, "\n");
    let Some(&Effect::Photos { index, area }) =
        asked.iter().find(|e| matches!(e, Effect::Photos { .. }))
    else {
        panic!("opening asks for the photos: {asked:?}");
    };
    let id = app.archive.id(index).to_owned();
    let image = image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(320, 240, |x, y| {
        image::Rgb([(y * 255 / 240) as u8, (x * 255 / 320) as u8, 128])
    }));
    let size = kanbao::photo::fit((320, 240), HALFBLOCKS.cell, area.0, area.1);
    let encoded = encode(image, HALFBLOCKS, size).unwrap_or_else(|e| panic!("{e}"));
    update(
        &mut app,
        Msg::Picture {
            article: id.clone(),
            photo: 0,
            result: Ok(Shown {
                pixels: (320, 240),
                encoded,
            }),
        },
    );
    update(
        &mut app,
        Msg::Picture {
            article: id,
            photo: 1,
            result: Err("HTTP 404 Not Found; check the url".to_owned()),
        },
    );
    press(&mut app, "G");
    insta::assert_snapshot!(format!("photos_{width}x{height}"), screen(&app).backend());
}

#[rstest]
#[case::w80x24(80, 24)]
#[case::w41x15(41, 15)]
fn help(#[case] width: u16, #[case] height: u16) {
    let mut app = sample(width, height);
    press(&mut app, "?");
    insta::assert_snapshot!(format!("help_{width}x{height}"), screen(&app).backend());
}

#[test]
fn too_small() {
    let app = sample(19, 4);
    insta::assert_snapshot!("too_small_19x4", screen(&app).backend());
}

#[test]
fn every_size_draws_without_panic_and_within_the_frame() {
    for width in 0..=45 {
        for height in 0..=12 {
            let mut app = sample(width, height);
            press(&mut app, "\nG");
            screen(&app);
            press(&mut app, "?");
            screen(&app);
        }
    }
}

/// The sample archive with its search index (built in memory), and the
/// feeds its articles' text is read from.
fn searchable(width: u16, height: u16) -> (App, Vec<kanbao::config::FeedConfig>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = root.join("config.toml");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let config = config::parse(&text, &path, "config.toml").unwrap_or_else(|e| panic!("{e}"));
    let mut app = common::screen::searchable(&config);
    let asked = update(&mut app, Msg::Resize(width, height));
    perform_reads(&mut app, asked, &config.feeds);
    (app, config.feeds)
}

#[rstest]
#[case::w80x24(80, 24)]
#[case::w41x15(41, 15)]
#[case::w120x40(120, 40)]
fn search_hits_with_their_context(#[case] width: u16, #[case] height: u16) {
    let (mut app, feeds) = searchable(width, height);
    press_reading(&mut app, "/院士", &feeds);
    let screen = screen(&app);
    // Both hits, headline first, the match in the context where it fits.
    let text = format!("{:?}", screen.backend());
    assert!(text.contains("搜索 全部 · 2 篇"), "{text}");
    insta::assert_snapshot!(format!("search_{width}x{height}"), screen.backend());
}

/// The last row of the screen, as text.
fn status_row(app: &App) -> String {
    let terminal = screen(app);
    let buffer = terminal.backend().buffer();
    let y = app.size.height - 1;
    (0..app.size.width)
        .map(|x| buffer[(x, y)].symbol())
        .collect::<String>()
}

#[rstest]
#[case::w80x24(80, 24)]
#[case::w41x15(41, 15)]
fn a_failed_save_shows_until_a_save_succeeds(#[case] width: u16, #[case] height: u16) {
    let mut app = sample(width, height);
    let failure = "cannot save read marks to /state/state.json: No space left on device \
                   (os error 28); free some disk space";
    update(&mut app, Msg::Saved(Err(failure.to_owned())));
    assert!(
        status_row(&app).contains("cannot save"),
        "{}",
        status_row(&app)
    );
    // The message goes with the next key; the mark of it stays.
    press(&mut app, "j");
    assert!(
        status_row(&app).contains("✗ marks not saved"),
        "{}",
        status_row(&app)
    );
    update(&mut app, Msg::Saved(Ok(())));
    assert!(
        !status_row(&app).contains("not saved"),
        "{}",
        status_row(&app)
    );
}

/// A story with cross-heads (tests/fixtures/pages/crossheads.txt) as the
/// only page of a feed, opened and scrolled to its first cross-head.
fn crossheads(width: u16, height: u16) -> (tempfile::TempDir, App) {
    let dir = tempfile::TempDir::new().unwrap_or_else(|e| panic!("{e}"));
    let day = dir.path().join("feeds/daily/2024-06-06");
    std::fs::create_dir_all(&day).unwrap_or_else(|e| panic!("{e}"));
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pages/crossheads.txt");
    std::fs::copy(fixture, day.join("01-要闻.txt")).unwrap_or_else(|e| panic!("{e}"));
    let mut app = daily_app(&dir, width, height);
    press(&mut app, "\n");
    (dir, app)
}

/// The reader at `width` × `height` on one pages feed, `dir`/feeds/daily.
fn daily_app(dir: &tempfile::TempDir, width: u16, height: u16) -> App {
    let text =
        "[[feeds]]\nid = \"daily\"\ntitle = \"日报\"\nkind = \"pages\"\npath = \"feeds/daily\"\n";
    let path = dir.path().join("config.toml");
    let config = config::parse(text, &path, "config.toml").unwrap_or_else(|e| panic!("{e}"));
    let prefs = Prefs::from_config(&config, false);
    let archive = Archive::new(Library::load(&config), Marks::default(), Vec::new(), None);
    let mut app = App::new(archive, prefs);
    update(&mut app, Msg::Resize(width, height));
    app
}

/// The screen's rows as text, with whether each cell of a row is bold.
fn rows(terminal: &Terminal<TestBackend>) -> Vec<(String, bool)> {
    let buffer = terminal.backend().buffer();
    let area = buffer.area;
    (0..area.height)
        .map(|y| {
            // A wide character's second cell holds nothing of its own.
            let mut text = String::new();
            let mut x = 0;
            while x < area.width {
                let symbol = buffer[(x, y)].symbol();
                text.push_str(symbol);
                x += u16::try_from(unicode_width::UnicodeWidthStr::width(symbol).max(1))
                    .unwrap_or(1);
            }
            let bold = (0..area.width).any(|x| {
                buffer[(x, y)].symbol() == "坚"
                    && buffer[(x, y)]
                        .modifier
                        .contains(ratatui::style::Modifier::BOLD)
            });
            (text, bold)
        })
        .collect()
}

#[rstest]
#[case::w80x24(80, 24)]
#[case::w41x15(41, 15)]
fn crossheads_show_as_heads(#[case] width: u16, #[case] height: u16) {
    let (_dir, mut app) = crossheads(width, height);
    // Scroll until the first cross-head is on screen.
    for _ in 0..40 {
        if rows(&screen(&app))
            .iter()
            .any(|(t, _)| t.contains("坚持创新驱动"))
        {
            break;
        }
        press(&mut app, "j");
    }
    let terminal = screen(&app);
    let rows = rows(&terminal);
    let (row, bold) = rows
        .iter()
        .find(|(t, _)| t.contains("坚持创新驱动"))
        .unwrap_or_else(|| panic!("no cross-head on screen: {rows:#?}"));
    assert!(bold, "the cross-head is not bold: {row}");
    assert!(!row.contains("　坚持"), "the cross-head is indented: {row}");
    insta::assert_snapshot!(format!("crossheads_{width}x{height}"), terminal.backend());
}

/// A synthetic archive of two papers over several days (the same bytes
/// every time), at `width`×`height`.
fn papers(width: u16, height: u16) -> (tempfile::TempDir, App) {
    let (dir, config) = common::papers::papers();
    let prefs = Prefs::from_config(&config, false);
    let archive = Archive::new(Library::load(&config), Marks::default(), Vec::new(), None);
    let mut app = App::new(archive, prefs);
    update(&mut app, Msg::Resize(width, height));
    (dir, app)
}

#[rstest]
#[case::w80x24(80, 24)]
#[case::w41x15(41, 15)]
fn sections_tree(#[case] width: u16, #[case] height: u16) {
    let (_dir, mut app) = papers(width, height);
    // The newest date's first section read: dim, with 0 unread.
    press(&mut app, "A");
    press(&mut app, "hjjj");
    insta::assert_snapshot!(format!("tree_{width}x{height}"), screen(&app).backend());
}

#[rstest]
#[case::w80x24(80, 24)]
#[case::w41x15(41, 15)]
fn unread_only(#[case] width: u16, #[case] height: u16) {
    let (_dir, mut app) = papers(width, height);
    press(&mut app, "AJjr");
    press(&mut app, "v");
    let text = format!("{:?}", screen(&app).backend());
    assert!(text.contains("未读"), "{text}");
    insta::assert_snapshot!(format!("unread_{width}x{height}"), screen(&app).backend());
}

#[rstest]
#[case::w80x24(80, 24)]
#[case::w41x15(41, 15)]
fn find_in_the_article(#[case] width: u16, #[case] height: u16) {
    let (_dir, mut app) = papers(width, height);
    press(&mut app, "\n/科技\nn");
    let text = format!("{:?}", screen(&app).backend());
    assert!(text.contains("find: 科技 2/"), "{text}");
    // The matches are lit, the current one otherwise than the rest.
    let terminal = screen(&app);
    let buffer = terminal.backend().buffer();
    let reader = app.panes.reader.map(|p| p.text()).unwrap_or_default();
    let mut lit = std::collections::BTreeSet::new();
    let mut plain = std::collections::BTreeSet::new();
    let end = reader.x + reader.width;
    for y in reader.y..reader.y + reader.height {
        for x in reader.x..end {
            let cell = &buffer[(x, y)];
            let style = format!("{:?}", cell.style());
            // 科 of 科技 (the next double-width cell), not of 科学.
            let next = (x + 2 < end).then(|| buffer[(x + 2, y)].symbol());
            match (cell.symbol(), next) {
                ("科", Some("技")) => lit.insert(style),
                // At a line's end: its 技 may open the next line.
                ("科", None | Some(" ")) => false,
                ("科", _) | ("全" | "省" | "市", _) => plain.insert(style),
                _ => false,
            };
        }
    }
    assert_eq!(lit.len(), 2, "matches and the current match: {lit:?}");
    assert!(lit.is_disjoint(&plain), "{lit:?} {plain:?}");
    insta::assert_snapshot!(format!("find_{width}x{height}"), terminal.backend());
}

/// The columns of the reader's rows that hold anything but spaces: the
/// leftmost and the one after the rightmost, over the whole pane.
fn reader_ink(terminal: &Terminal<TestBackend>, app: &App) -> (u16, u16) {
    let Some(reader) = app.panes.reader else {
        panic!("no reader pane");
    };
    let buffer = terminal.backend().buffer();
    let (mut left, mut right) = (u16::MAX, 0);
    for y in reader.body.y..reader.body.y + reader.body.height {
        for x in reader.body.x..reader.body.x + reader.body.width {
            let symbol = buffer[(x, y)].symbol();
            if !symbol.trim().is_empty() && symbol != "\u{3000}" {
                left = left.min(x);
                right = right.max(x + 1);
            }
        }
    }
    (left, right)
}

#[test]
fn at_200_columns_the_text_keeps_its_measure_centred() {
    let mut app = sample(200, 50);
    press(&mut app, "\n");
    let terminal = screen(&app);
    insta::assert_snapshot!("reader_200x50", terminal.backend());
    let Some(reader) = app.panes.reader else {
        panic!("no reader pane");
    };
    let (left, right) = reader_ink(&terminal, &app);
    // Forty Han characters and the hanging margin, and the headline lines
    // up with the text.
    assert!(right - left <= 82, "text from column {left} to {right}");
    let text = reader.text();
    assert_eq!((text.x, text.width), (left, 82));
    let before = text.x - reader.body.x;
    let after = reader.body.x + reader.body.width - (text.x + text.width);
    assert!(
        before.abs_diff(after) <= 1 && before > 1,
        "margins {before} and {after}"
    );
}

#[test]
fn measure_zero_sets_the_text_across_the_pane() {
    let mut app = sample(200, 50);
    app.prefs.measure = 0;
    update(&mut app, Msg::Resize(200, 50));
    press(&mut app, "\n");
    let terminal = screen(&app);
    let Some(reader) = app.panes.reader else {
        panic!("no reader pane");
    };
    let (left, right) = reader_ink(&terminal, &app);
    assert_eq!(left, reader.body.x + 1);
    assert!(right - left > 82, "text from column {left} to {right}");
}

/// An archive with no articles: the note on what to do is wrapped over
/// the list's rows, not cut at the pane's edge.
#[rstest]
#[case::w80x24(80, 24)]
#[case::w41x15(41, 15)]
fn the_empty_archive_s_note_is_shown_whole(#[case] width: u16, #[case] height: u16) {
    let dir = tempfile::TempDir::new().unwrap_or_else(|e| panic!("{e}"));
    std::fs::create_dir_all(dir.path().join("feeds/daily")).unwrap_or_else(|e| panic!("{e}"));
    let app = daily_app(&dir, width, height);
    let terminal = screen(&app);
    let buffer = terminal.backend().buffer();
    let text: String = (0..height)
        .flat_map(|y| (0..width).map(move |x| (x, y)))
        .map(|(x, y)| buffer[(x, y)].symbol().to_owned())
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("(see kanbao check)."),
        "the note's end is on screen: {text}"
    );
}

/// `/` in the reader, nothing typed yet: the prompt asks for text rather
/// than saying there is no match.
#[test]
fn an_empty_find_asks_for_text() {
    let mut app = sample(80, 24);
    press(&mut app, "\n/");
    let status = status_row(&app);
    assert!(status.contains("type what to find"), "{status}");
    assert!(!status.contains("no match"), "{status}");
}

/// The help scrolled to its end says how much is above, as it says how
/// much is below at its start.
#[test]
fn the_help_scrolled_down_says_what_is_above() {
    let mut app = sample(80, 15);
    press(&mut app, "?");
    let text = format!("{:?}", screen(&app).backend());
    assert!(text.contains("more (j)") && !text.contains("(k)"), "{text}");
    press(&mut app, "G");
    let text = format!("{:?}", screen(&app).backend());
    assert!(text.contains("more (k)") && !text.contains("(j)"), "{text}");
    press(&mut app, "k");
    let text = format!("{:?}", screen(&app).backend());
    assert!(text.contains("(k) · ↓ 1 more (j)"), "{text}");
}

/// A prompt cut short at 41 columns does not point to `W`: there a key is
/// text, and `W` shows the last message, not the prompt.
#[test]
fn a_cut_prompt_does_not_point_to_w() {
    let mut app = sample(41, 15);
    press(&mut app, "/");
    let long = "cannot save read marks to /state/kanbao/state.json: No space left on \
                device (os error 28); free some disk space";
    update(&mut app, Msg::Notice(long.to_owned()));
    let status = status_row(&app);
    assert!(status.contains("Enter keep"), "the prompt: {status}");
    assert!(!status.contains("(W)"), "{status}");
    press(&mut app, "<Esc>");
    update(&mut app, Msg::Notice(long.to_owned()));
    let status = status_row(&app);
    assert!(status.trim_end().ends_with("(W)"), "the message: {status}");
}
