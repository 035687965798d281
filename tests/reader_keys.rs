//! The reader's `update`, driven the way a user types: `press(&mut app,
//! "jj<Enter>G")` goes through the keymap and the input layer, with no
//! terminal. Every action has a test.

mod common;

use std::path::Path;

use common::keys::press;
use crossterm::event::{Event, KeyModifiers};
use kanbao::config::{self, Config};
use kanbao::keymap::Action;
use kanbao::library::Library;
use kanbao::marks::Marks;
use kanbao::ui::app::{App, Input, Overlay, Prefs};
use kanbao::ui::archive::{Archive, Row};
use kanbao::ui::input::translate;
use kanbao::ui::layout::Focus;
use kanbao::ui::update::{Effect, Msg, update};
use kanbao::ui::worker::{Failure, Worker};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn config(text: &str) -> Config {
    let path = Path::new(ROOT).join("config.toml");
    config::parse(text, &path, "config.toml").unwrap_or_else(|e| panic!("{e}"))
}

fn app_for(config: &Config, width: u16, height: u16) -> App {
    app_with(config, width, height, |_| {})
}

/// [`app_for`] with the library changed by `edit` before the reader
/// takes it.
fn app_with(config: &Config, width: u16, height: u16, edit: impl FnOnce(&mut Library)) -> App {
    let prefs = Prefs::from_config(config, false);
    let mut library = Library::load(config);
    edit(&mut library);
    let archive = Archive::new(library, Marks::default(), Vec::new(), None);
    let mut app = App::new(archive, prefs);
    update(&mut app, Msg::Resize(width, height));
    app
}

/// The sample archive at 80×24.
fn sample() -> App {
    sample_at(80, 24)
}

fn sample_at(width: u16, height: u16) -> App {
    let text = std::fs::read_to_string(Path::new(ROOT).join("config.toml")).unwrap_or_default();
    app_for(&config(&text), width, height)
}

/// An archive of two feeds and four sections, from the test fixtures.
fn sections() -> App {
    let text = r#"
[[feeds]]
id = "zmd"
title = "驻马店日报"
kind = "pages"
path = "feeds/zhumadian-daily"

[[feeds]]
id = "fixtures"
title = "样张"
kind = "pages"
path = "tests/fixtures/pages"
"#;
    app_for(&config(text), 120, 40)
}

/// The link number being typed after `o`, if the prompt is up.
fn link_number(app: &App) -> Option<&str> {
    match &app.input {
        Input::LinkNumber(typed) => Some(typed),
        _ => None,
    }
}

/// The selected section (the tree's row is a section's).
fn section(app: &App) -> usize {
    app.section()
        .unwrap_or_else(|| panic!("a {:?} row is selected, not a section", app.nav.row))
}

fn title(app: &App) -> Option<String> {
    let index = app.reader.article.or_else(|| app.selected())?;
    app.archive.article(index)?.title.clone()
}

#[test]
fn launch_focuses_the_first_article_of_the_first_section() {
    let app = sample();
    assert_eq!(app.focus, Focus::Articles);
    assert_eq!(section(&app), 0);
    assert_eq!(app.nav.article, 0);
    assert_eq!(title(&app).as_deref(), Some("奋力建设区域创新高地"));
}

#[test]
fn down_and_up_move_the_selection_and_stop_at_the_ends() {
    let mut app = sample();
    press(&mut app, "jj");
    assert_eq!(app.nav.article, 2);
    press(&mut app, "j<Down>");
    assert_eq!(app.nav.article, 2, "stays on the last article");
    press(&mut app, "k<Up>kk");
    assert_eq!(app.nav.article, 0);
}

#[test]
fn open_shows_the_article_marks_it_read_and_asks_to_save() {
    let mut app = sample();
    let effects = press(&mut app, "j<Enter>");
    assert_eq!(app.focus, Focus::Reader);
    assert!(app.reader.opened);
    assert_eq!(
        title(&app).as_deref(),
        Some("学用结合 推进科技工作上新台阶")
    );
    let id = app.archive.id(1).to_owned();
    assert!(app.archive.marks().is_read(&id));
    assert_eq!(effects, [Effect::SaveMarks]);
    // Opening it again changes nothing on disk.
    let effects = press(&mut app, "q<Enter>");
    assert!(effects.is_empty());
}

#[test]
fn reader_scrolls_by_line_page_and_to_the_ends() {
    let mut app = sample();
    press(&mut app, "<Enter>");
    let max = app.reader.max_top();
    assert!(max > 10, "article 1 is longer than a screen");
    press(&mut app, "jj");
    assert_eq!(app.reader.top, 2);
    press(&mut app, "k");
    assert_eq!(app.reader.top, 1);
    press(&mut app, "<Space>");
    assert_eq!(app.reader.top, (1 + app.reader.height - 1).min(max));
    press(&mut app, "g<Space>");
    assert_eq!(app.reader.top, (app.reader.height - 1).min(max));
    press(&mut app, "b");
    assert_eq!(app.reader.top, 0);
    press(&mut app, "G");
    assert_eq!(app.reader.top, max);
    assert_eq!(app.reader.percent(), 100);
    press(&mut app, "j<PageDown>");
    assert_eq!(app.reader.top, max, "never past the end");
    press(&mut app, "g");
    assert_eq!(app.reader.top, 0);
    press(&mut app, "<End><Home>");
    assert_eq!(app.reader.top, 0);
}

#[test]
fn list_paging_and_ends_move_the_selection() {
    let mut app = sample();
    press(&mut app, "G");
    assert_eq!(app.nav.article, 2);
    press(&mut app, "g");
    assert_eq!(app.nav.article, 0);
    press(&mut app, "<PageDown>");
    assert_eq!(app.nav.article, 2);
    press(&mut app, "<PageUp>");
    assert_eq!(app.nav.article, 0);
}

#[test]
fn back_closes_the_reader_then_quits_from_the_list() {
    let mut app = sample();
    press(&mut app, "<Enter>q");
    assert_eq!(app.focus, Focus::Articles);
    assert!(!app.reader.opened);
    assert!(!app.quit);
    press(&mut app, "q");
    assert!(app.quit);
}

#[test]
fn cancel_clears_the_filter_closes_the_reader_and_never_quits() {
    let mut app = sample();
    press(&mut app, "<Enter><Esc>");
    assert_eq!(app.focus, Focus::Articles);
    press(&mut app, "<Esc><Esc>");
    assert!(!app.quit);
}

#[test]
fn ctrl_c_quits_from_anywhere() {
    for keys in ["<C-c>", "<Enter><C-c>", "?<C-c>", "/abc<C-c>", "h<C-c>"] {
        let mut app = sample();
        press(&mut app, keys);
        assert!(app.quit, "{keys}");
    }
}

#[test]
fn panes_switch_with_h_l_arrows_and_tab() {
    let mut app = sections();
    press(&mut app, "h");
    assert_eq!(app.focus, Focus::Sections);
    let section = app.nav.row;
    press(&mut app, "h");
    assert_eq!(app.focus, Focus::Sections, "nothing left of the sections");
    assert!(
        matches!(app.nav.row, Row::Day(_)),
        "h in the tree folds the day and selects it: {:?}",
        app.nav.row
    );
    press(&mut app, "l");
    assert_eq!(app.focus, Focus::Sections, "l opens the folded day");
    press(&mut app, "j");
    assert_eq!(app.nav.row, section, "its sections are shown again");
    press(&mut app, "l");
    assert_eq!(app.focus, Focus::Articles);
    press(&mut app, "<Right>");
    assert_eq!(
        app.focus,
        Focus::Reader,
        "right of the list opens the article"
    );
    press(&mut app, "<Left>");
    assert_eq!(app.focus, Focus::Articles);
    press(&mut app, "<Tab>");
    assert_eq!(app.focus, Focus::Reader);
    press(&mut app, "<Tab>");
    assert_eq!(app.focus, Focus::Sections);
    press(&mut app, "<S-Tab>");
    assert_eq!(app.focus, Focus::Reader);
    press(&mut app, "<S-Tab>");
    assert_eq!(app.focus, Focus::Articles);
    press(&mut app, "<S-Tab>");
    assert_eq!(app.focus, Focus::Sections);
    press(&mut app, "<Enter>");
    assert_eq!(
        app.focus,
        Focus::Articles,
        "Enter on a section goes to its articles"
    );
}

#[test]
fn sections_move_with_j_k_in_their_pane_and_with_shift_j_k_anywhere() {
    let mut app = sections();
    let count = app.archive.sections.len();
    assert!(count >= 4, "{count} sections");
    press(&mut app, "J");
    assert_eq!((section(&app), app.nav.article), (1, 0));
    press(&mut app, "jJ");
    assert_eq!(
        (section(&app), app.nav.article),
        (2, 0),
        "J selects the next section's first article"
    );
    press(&mut app, "K");
    assert_eq!(section(&app), 1);
    press(&mut app, "hj");
    assert_eq!(section(&app), 2);
    press(&mut app, "G");
    assert_eq!(section(&app), count - 1);
    press(&mut app, "J");
    assert_eq!(section(&app), count - 1, "stays on the last section");
}

#[test]
fn shift_j_k_while_reading_open_the_first_article_of_the_next_or_previous_section() {
    let mut app = sections();
    press(&mut app, "<Enter>");
    let first = title(&app);
    press(&mut app, "J");
    assert_eq!(section(&app), 1);
    let opened = app.reader.article.expect("an article is open");
    assert_eq!(
        Some(opened),
        app.selected(),
        "the reader follows the section"
    );
    assert_ne!(title(&app), first);
    assert!(app.archive.marks().is_read(app.archive.id(opened)));
    press(&mut app, "K");
    assert_eq!((section(&app), title(&app)), (0, first));
}

#[test]
fn n_and_shift_n_read_the_next_and_previous_articles_across_sections() {
    let mut app = sections();
    press(&mut app, "<Enter>");
    let first = title(&app);
    press(&mut app, "nn");
    assert_eq!(title(&app).as_deref(), Some("巾帼竞芬芳 灿烂耀春晖"));
    assert!(
        app.archive.marks().is_read(app.archive.id(2)),
        "n opens and marks read"
    );
    press(&mut app, "n");
    assert_eq!(
        section(&app),
        1,
        "past the last article, into the next section"
    );
    assert_eq!(app.focus, Focus::Reader);
    press(&mut app, "NNN");
    assert_eq!(title(&app), first);
    press(&mut app, "N");
    assert_eq!(title(&app), first, "nothing before the first article");
    assert_eq!(app.status.message.as_deref(), Some("first article"));
}

#[test]
fn filter_narrows_the_list_as_chinese_is_typed_and_esc_clears_it() {
    let mut app = sample();
    press(&mut app, "/");
    assert!(app.typing_filter());
    // An input method delivers composed characters as key presses.
    press(&mut app, "巾帼");
    assert_eq!(app.archive.query(), "巾帼");
    assert_eq!(app.archive.visible(0).len(), 1);
    assert_eq!(title(&app).as_deref(), Some("巾帼竞芬芳 灿烂耀春晖"));
    press(&mut app, "<BS><BS>");
    assert_eq!(app.archive.visible(0).len(), 3);
    press(&mut app, "黄育南<Enter>");
    assert!(!app.typing_filter());
    assert_eq!(app.archive.visible(0).len(), 2, "bylines match too");
    press(&mut app, "j");
    assert_eq!(app.nav.article, 1, "keys act again once the filter is kept");
    press(&mut app, "<Esc>");
    assert!(app.archive.query().is_empty());
    assert_eq!(app.archive.visible(0).len(), 3);
}

#[test]
fn pasted_text_goes_into_the_filter() {
    let mut app = sample();
    press(&mut app, "/");
    if let Some(msg) = translate(&app, Event::Paste("灿烂\n耀".into())) {
        update(&mut app, msg);
    }
    assert_eq!(app.archive.query(), "灿烂耀");
}

#[test]
fn r_and_s_toggle_read_and_star_and_ask_to_save() {
    let mut app = sample();
    let id = app.archive.id(0).to_owned();
    assert_eq!(press(&mut app, "r"), [Effect::SaveMarks]);
    assert!(app.archive.marks().is_read(&id));
    press(&mut app, "r");
    assert!(!app.archive.marks().is_read(&id));
    assert_eq!(press(&mut app, "s"), [Effect::SaveMarks]);
    assert!(app.archive.marks().is_starred(&id));
    press(&mut app, "<Enter>s");
    assert!(
        !app.archive.marks().is_starred(&id),
        "in the reader, s stars the article read"
    );
}

#[test]
fn help_lists_the_keymap_scrolls_and_closes() {
    let mut app = sample();
    press(&mut app, "?");
    assert_eq!(app.overlay.map(|o| o.which), Some(Overlay::Help));
    let lines = app.overlay_lines(Overlay::Help, 60);
    assert_eq!(lines.len(), Action::ALL.len());
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("j Down") && l.contains("move down"))
    );
    press(&mut app, "G");
    assert_eq!(app.overlay.map_or(0, |o| o.top), app.overlay_max_top());
    assert_eq!(app.nav.article, 0, "keys scroll the overlay, not the list");
    press(&mut app, "?");
    assert_eq!(app.overlay.map(|o| o.which), None);
    press(&mut app, "?<Esc>");
    assert_eq!(app.overlay.map(|o| o.which), None);
    press(&mut app, "?q");
    assert_eq!(app.overlay.map(|o| o.which), None);
    assert!(!app.quit, "q closes the overlay first");
}

#[test]
fn help_shows_rebound_keys() {
    let text = std::fs::read_to_string(Path::new(ROOT).join("config.toml")).unwrap_or_default();
    let text = text.replace("[keys]", "[keys]\ndown = [\"Ctrl-n\", \"Down\"]");
    let mut app = app_for(&config(&text), 80, 24);
    let lines = app.overlay_lines(Overlay::Help, 60);
    assert!(
        lines.iter().any(|l| l.starts_with("Ctrl-n Down")),
        "{lines:?}"
    );
    press(&mut app, "j");
    assert_eq!(app.nav.article, 0, "j is no longer bound");
}

#[test]
fn warnings_are_reachable() {
    let mut app = sample();
    press(&mut app, "W");
    assert_eq!(app.overlay.map(|o| o.which), None);
    assert_eq!(
        app.status.message.as_deref(),
        Some("no warnings: everything loaded")
    );

    let text = r#"
[[feeds]]
id = "gone"
title = "不存在"
kind = "pages"
path = "feeds/no-such-folder"
"#;
    let mut app = app_for(&config(text), 80, 24);
    press(&mut app, "W");
    assert_eq!(app.overlay.map(|o| o.which), Some(Overlay::Warnings));
    let lines = app.overlay_lines(Overlay::Warnings, 70).join(" ");
    assert!(lines.contains("does not exist"), "{lines}");
    press(&mut app, "W");
    assert_eq!(app.overlay.map(|o| o.which), None);
}

#[test]
fn resize_keeps_the_paragraph_at_the_top_in_view() {
    let mut app = sample();
    press(&mut app, "<Enter>");
    press(&mut app, "jjjjjjjjjjjj");
    let block = app.reader.lines[app.reader.top].block;
    update(&mut app, Msg::Resize(41, 15));
    assert_eq!(app.focus, Focus::Reader);
    assert_eq!(
        app.reader.lines[app.reader.top].block, block,
        "the paragraph starts the screen"
    );
    update(&mut app, Msg::Resize(100, 12));
    assert_eq!(app.reader.lines[app.reader.top].block, block);
    // When the whole article fits, it shows from the top, paragraph included.
    update(&mut app, Msg::Resize(120, 60));
    assert_eq!(app.reader.top, 0);
    let shown = &app.reader.lines[..app.reader.height.min(app.reader.lines.len())];
    assert!(shown.iter().any(|l| l.block == block));
    update(&mut app, Msg::Resize(41, 15));
    assert_eq!(
        app.reader.lines[app.reader.top].block, block,
        "and it is still the place"
    );
}

#[test]
fn resize_at_the_end_stays_at_the_end() {
    let mut app = sample();
    press(&mut app, "jj<Enter>G");
    assert_eq!(app.reader.percent(), 100);
    update(&mut app, Msg::Resize(41, 15));
    assert_eq!(app.reader.percent(), 100);
    update(&mut app, Msg::Resize(80, 24));
    assert_eq!(app.reader.percent(), 100);
    assert!(
        app.reader
            .lines
            .last()
            .is_some_and(|l| l.text.contains("茶杯气球接力赛"))
    );
    press(&mut app, "k");
    update(&mut app, Msg::Resize(81, 24));
    assert!(app.reader.percent() < 100, "scrolling up leaves the end");
}

#[test]
fn each_article_remembers_where_it_was_left() {
    let mut app = sample();
    press(&mut app, "<Enter>jjjjjjjjjjjj");
    let block = app.reader.lines[app.reader.top].block;
    press(&mut app, "n");
    assert_eq!(app.reader.top, 0, "a new article starts at the top");
    press(&mut app, "N");
    assert_eq!(app.reader.lines[app.reader.top].block, block);
}

#[test]
fn tiny_and_zero_sizes_never_panic() {
    let mut app = sample();
    press(&mut app, "<Enter>");
    for (w, h) in [
        (0, 0),
        (1, 1),
        (19, 4),
        (20, 5),
        (20, 6),
        (41, 15),
        (0, 30),
        (300, 0),
        (59, 5),
        (100, 5),
    ] {
        update(&mut app, Msg::Resize(w, h));
        press(&mut app, "jGgk?<Esc>hl<Tab>");
        assert!(app.reader.top <= app.reader.max_top());
    }
}

#[test]
fn mouse_clicks_select_and_open_and_the_wheel_scrolls_the_pane_under_it() {
    let mut app = sample(); // 80×24: sections | articles
    let articles = app.panes.articles.map(|p| p.body).expect("articles pane");
    update(
        &mut app,
        Msg::Click {
            column: articles.x + 3,
            row: articles.y + 2,
        },
    );
    assert_eq!(app.nav.article, 2);
    let row = articles.y;
    update(
        &mut app,
        Msg::Click {
            column: articles.x + 3,
            row,
        },
    );
    assert_eq!(app.nav.article, 0);
    assert_eq!(app.focus, Focus::Articles);
    update(
        &mut app,
        Msg::Click {
            column: articles.x + 3,
            row,
        },
    );
    assert_eq!(app.focus, Focus::Reader, "a second click opens");
    let text = app.panes.reader.map(|p| p.body).expect("reader pane");
    update(
        &mut app,
        Msg::Wheel {
            column: text.x + 2,
            row: text.y + 1,
            down: true,
        },
    );
    assert_eq!(app.reader.top, 3);
    update(
        &mut app,
        Msg::Wheel {
            column: text.x + 2,
            row: text.y + 1,
            down: false,
        },
    );
    assert_eq!(app.reader.top, 0);
}

#[test]
fn mouse_can_be_left_to_the_terminal() {
    use crossterm::event::{MouseEvent, MouseEventKind};
    let mut app = sample();
    app.prefs.mouse = false;
    let click = Event::Mouse(MouseEvent {
        kind: MouseEventKind::ScrollDown,
        column: 40,
        row: 3,
        modifiers: KeyModifiers::NONE,
    });
    assert_eq!(translate(&app, click), None);
}

#[test]
fn shift_r_fetches_in_the_background_and_reloads_keeping_the_place() {
    use kanbao::feed::fetch::{Event as FetchEvent, Outcome};
    use kanbao::feed::store::StoreReport;
    let mut app = sample();
    press(&mut app, "j");
    assert_eq!(press(&mut app, "R"), [Effect::StartFetch]);
    update(&mut app, Msg::FetchStarted(2));
    assert_eq!(press(&mut app, "R"), [], "one fetch at a time");
    assert_eq!(app.status.message.as_deref(), Some("already fetching"));
    update(
        &mut app,
        Msg::Fetch(FetchEvent::Started { feed: "a".into() }),
    );
    assert_eq!(
        app.status.fetching.as_ref().map(|f| f.running.clone()),
        Some(vec!["a".to_owned()])
    );
    press(&mut app, "j");
    assert_eq!(app.nav.article, 2, "keys work during the fetch");
    press(&mut app, "k");
    let report = StoreReport {
        new: 3,
        updated: 1,
        unchanged: 0,
    };
    update(
        &mut app,
        Msg::Fetch(FetchEvent::Finished {
            feed: "a".into(),
            outcome: Outcome::Stored(report),
        }),
    );
    let results = vec![
        ("a".to_owned(), Outcome::Stored(report)),
        (
            "b".to_owned(),
            Outcome::Failed("HTTP 404 Not Found; check the url".into()),
        ),
        ("c".to_owned(), Outcome::NotModified),
    ];
    let effects = update(&mut app, Msg::FetchDone(results));
    assert_eq!(effects, [Effect::Reload]);
    assert!(app.status.fetching.is_none());
    assert_eq!(
        app.status.message.as_deref(),
        Some("fetched 3 feeds: 3 new, 1 updated, 1 not modified, 1 failed (W shows why)"),
        "every feed is counted"
    );
    assert!(
        app.archive
            .warnings
            .iter()
            .any(|w| w.to_string() == "fetch b: HTTP 404 Not Found; check the url")
    );

    // The archive loads again; the selected article stays selected.
    let selected = app.selected().map(|i| app.archive.id(i).to_owned());
    let text = std::fs::read_to_string(Path::new(ROOT).join("config.toml")).unwrap_or_default();
    let opened = kanbao::index::in_memory(&config(&text), &|_| {});
    let opened = kanbao::index::Opened {
        library: opened.library.into(),
        search: opened.search,
    };
    update(&mut app, Msg::Indexed(Box::new(opened)));
    assert_eq!(
        app.selected().map(|i| app.archive.id(i).to_owned()),
        selected
    );
    assert!(
        app.archive.warnings.iter().any(|w| w.path == "fetch b"),
        "fetch failures stay reachable"
    );
}

/// A page whose one article has a text of `LONG_TEXT` characters or more.
fn long_article_app(dir: &Path) -> App {
    let pages = dir.join("daily/2026-11-02");
    std::fs::create_dir_all(&pages).expect("create a folder");
    let sentence = "长段落里有逗号，句号。";
    let text = format!(
        "十万字的一段\n\n记者 李华\n\n　　{}\n",
        sentence.repeat(kanbao::ui::app::LONG_TEXT / 10 + 1)
    );
    std::fs::write(pages.join("03-长文.txt"), text).expect("write a page");
    let path = dir.join("config.toml");
    let text = "[[feeds]]\nid = \"daily\"\ntitle = \"日报\"\nkind = \"pages\"\npath = \"daily\"\n";
    let config = config::parse(text, &path, "config.toml").unwrap_or_else(|e| panic!("{e}"));
    app_for(&config, 80, 24)
}

#[test]
fn a_long_article_is_typeset_on_a_worker_and_its_head_shows_meanwhile() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut app = long_article_app(dir.path());
    let effects = press(&mut app, "<Enter>");
    let index = app.reader.article.expect("an article is open");
    let width = app.reader.width;
    assert!(
        effects.contains(&Effect::Typeset { index, width }),
        "{effects:?}"
    );
    assert_eq!(app.reader.typesetting, Some(width));
    let shown: Vec<&str> = app.reader.lines.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(shown.first(), Some(&"十万字的一段"), "{shown:?}");
    assert!(
        shown.last().is_some_and(|l| l.starts_with("正在排版全文")),
        "{shown:?}"
    );
    // Keys are taken meanwhile; moving to the end waits for the text.
    press(&mut app, "G");

    // What the worker sends back: a layout at another width is not used…
    let article = app
        .archive
        .article(index)
        .map(|a| a.into_owned())
        .expect("the article is there");
    let lines_at = |w: usize| {
        kanbao::typeset::layout(&article, app.archive.context(&article), w, &app.prefs.text)
    };
    let (narrow, full) = (lines_at(width - 1), lines_at(width));
    let script = app.prefs.text.script;
    let done = |w: usize, lines| kanbao::ui::app::Typeset {
        id: article.id.clone(),
        width: w,
        script,
        article: None,
        lines: Ok(lines),
    };
    update(&mut app, Msg::Typeset(Box::new(done(width - 1, narrow))));
    assert_eq!(app.reader.typesetting, Some(width));
    // …the one at the reader's width is, at the place asked for.
    let count = full.len();
    update(&mut app, Msg::Typeset(Box::new(done(width, full))));
    assert_eq!(app.reader.typesetting, None);
    assert_eq!(app.reader.lines.len(), count);
    assert_eq!(app.reader.top, app.reader.max_top());
    assert!(count > 4_000, "{count} lines");
}

/// What a worker sends when it panicked: a report as the hook words it.
fn worker_failed(worker: Worker) -> Msg {
    Msg::WorkerFailed {
        worker,
        message: "panicked at src/feed/parse.rs:68:5: index out of bounds\n\u{1b}[2J".to_owned(),
    }
}

#[test]
fn a_fetch_that_panicked_ends_the_fetch_keeps_the_marks_and_says_so_on_one_line() {
    let mut app = sample();
    press(&mut app, "<Enter>");
    let id = app
        .archive
        .id(app.reader.article.expect("an article is open"))
        .to_owned();
    assert!(app.archive.marks().is_read(&id));
    update(&mut app, Msg::FetchStarted(1));
    let effects = update(&mut app, worker_failed(Worker::Fetch));
    assert!(
        app.status.fetching.is_none(),
        "the status line no longer says fetching"
    );
    assert_eq!(effects, [Effect::Reload], "what it stored is shown");
    assert_eq!(
        app.status.message.as_deref(),
        Some(
            "fetch stopped on an internal error; what it stored is kept. Please report this: \
             panicked at src/feed/parse.rs:68:5: index out of bounds"
        )
    );
    assert!(app.archive.marks().is_read(&id), "read marks stay");
    assert_eq!(
        press(&mut app, "R"),
        [Effect::StartFetch],
        "a new fetch can start"
    );
}

#[test]
fn an_index_that_panicked_ends_the_indexing_and_keeps_the_lists() {
    let mut app = sample();
    app.status.indexing = Some((3, 10));
    let ids = |app: &App| -> Vec<String> {
        (0..app.archive.len())
            .map(|i| app.archive.id(i).to_owned())
            .collect()
    };
    let before = ids(&app);
    let effects = update(&mut app, worker_failed(Worker::Index));
    assert_eq!(effects, []);
    assert!(app.status.indexing.is_none());
    assert_eq!(ids(&app), before);
    let message = app.status.message.clone().unwrap_or_default();
    assert!(
        message.starts_with("indexing stopped on an internal error; the lists are as they were."),
        "{message}"
    );
    assert!(message.contains("src/feed/parse.rs:68:5"), "{message}");
}

#[test]
fn a_typeset_that_panicked_leaves_the_head_shown_and_stops_waiting() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut app = long_article_app(dir.path());
    press(&mut app, "<Enter>");
    let index = app.reader.article.expect("an article is open");
    let width = app.reader.width;
    let id = app.archive.id(index).to_owned();
    assert_eq!(app.reader.typesetting, Some(width));
    let head = app.reader.lines.len();

    // A worker for another width (the window was resized since) is not the
    // one the reader waits for.
    let stale = Worker::Typeset {
        id: id.clone(),
        width: width - 1,
    };
    update(&mut app, worker_failed(stale));
    assert_eq!(app.reader.typesetting, Some(width));

    let effects = update(&mut app, worker_failed(Worker::Typeset { id, width }));
    assert_eq!(app.reader.typesetting, None, "the reader no longer waits");
    assert_eq!(effects, [], "no new worker for the same article and width");
    assert_eq!(app.reader.lines.len(), head);
    let message = app.status.message.clone().unwrap_or_default();
    assert!(
        message.starts_with("typesetting stopped on an internal error;"),
        "{message}"
    );
    assert!(!message.contains(['\n', '\u{1b}']), "{message:?}");
    press(&mut app, "j");
    assert_eq!(app.reader.article, Some(index), "keys still work");
}

/// A web feed of one stored item with an address and two numbered links
/// (the second a `javascript:` one the loop refuses); the store is kept in
/// `dir`.
fn linked_item(dir: &Path, url: Option<&str>) -> App {
    use kanbao::source::item::{Item, StoredLink};
    let link = |text: &str, url: &str| StoredLink {
        text: text.to_owned(),
        url: url.to_owned(),
    };
    let item = Item {
        guid: "item-1".to_owned(),
        title: Some("城市书房年内再建二十家".to_owned()),
        link: url.map(str::to_owned),
        links: vec![
            link("全文", "https://example.com/full"),
            link("投票", "javascript:alert(1)"),
        ],
        paragraphs: vec!["今年全市将再建成二十家城市书房[1]。".to_owned()],
        ..Item::default()
    };
    let store = dir.join("store");
    kanbao::feed::store::store(&store, vec![item]).unwrap_or_else(|e| panic!("{e}"));
    let text = format!(
        "[[feeds]]\nid = \"news\"\ntitle = \"测试快讯\"\nkind = \"feed\"\n\
         url = \"https://example.com/feed.xml\"\nstore = {:?}\n",
        store.to_string_lossy()
    );
    app_for(&config(&text), 80, 24)
}

#[test]
fn o_asks_which_link_and_enter_opens_the_articles_address() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut app = linked_item(dir.path(), Some("https://example.com/news/1"));
    press(&mut app, "<Enter>");
    assert_eq!(press(&mut app, "o"), [], "the prompt comes first");
    assert_eq!(link_number(&app), Some(""));
    assert_eq!(
        press(&mut app, "<Enter>"),
        [Effect::OpenLink("https://example.com/news/1".to_owned())]
    );
    assert_eq!(link_number(&app), None);
    assert_eq!(app.focus, Focus::Reader, "still reading");
}

#[test]
fn a_number_in_the_prompt_opens_that_link() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut app = linked_item(dir.path(), Some("https://example.com/news/1"));
    // From the list too: the selected article's links.
    assert_eq!(
        press(&mut app, "o1<Enter>"),
        [Effect::OpenLink("https://example.com/full".to_owned())]
    );
    // The refusal of javascript: is the loop's (tests/tui_tmux.rs); the
    // prompt hands over the link asked for.
    assert_eq!(
        press(&mut app, "o2<Enter>"),
        [Effect::OpenLink("javascript:alert(1)".to_owned())]
    );
    // Letters are not numbers; Backspace takes a digit back.
    assert_eq!(
        press(&mut app, "ox12<BS><BS>1<Enter>"),
        [Effect::OpenLink("https://example.com/full".to_owned())]
    );
}

#[test]
fn a_link_that_is_not_there_is_a_message_and_esc_cancels() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut app = linked_item(dir.path(), Some("https://example.com/news/1"));
    assert_eq!(press(&mut app, "o3<Enter>"), []);
    assert_eq!(
        app.status.message.as_deref(),
        Some("no link 3: this article has 2 links")
    );
    assert_eq!(press(&mut app, "o0<Enter>"), []);
    assert_eq!(
        app.status.message.as_deref(),
        Some("no link 0: this article has 2 links")
    );
    // Keys are the prompt's while it is open: `j` neither moves nor types.
    assert_eq!(press(&mut app, "oj<Esc>"), []);
    assert_eq!(link_number(&app), None);
    assert_eq!(app.nav.article, 0);
    assert!(!app.quit, "Esc closes the prompt, and no more");
    press(&mut app, "o<C-c>");
    assert!(app.quit, "Ctrl-c quits from the prompt");
}

#[test]
fn without_an_address_enter_opens_link_1() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut app = linked_item(dir.path(), None);
    assert_eq!(
        press(&mut app, "o<Enter>"),
        [Effect::OpenLink("https://example.com/full".to_owned())]
    );
}

#[test]
fn an_article_without_links_says_so() {
    let mut app = sample();
    assert_eq!(press(&mut app, "o"), []);
    assert_eq!(link_number(&app), None);
    assert_eq!(
        app.status.message.as_deref(),
        Some("this article has no link to open")
    );
}

#[test]
fn the_browsers_answer_is_one_safe_line_that_fits() {
    use kanbao::browser::{OpenError, Origin, Refusal};
    let mut app = sample_at(60, 20);
    let long = format!("https://example.com/{}", "长".repeat(60));
    update(
        &mut app,
        Msg::LinkOpened {
            url: long.clone(),
            result: Ok("firefox".to_owned()),
        },
    );
    let message = app.status.message.clone().unwrap_or_default();
    assert!(
        message.starts_with("opened https://example.com/长"),
        "{message}"
    );
    assert!(message.ends_with("… in firefox"), "{message}");
    assert!(kanbao::typeset::str_width(&message, 1) < 60, "{message}");

    // Wide enough for the whole link, without the escape sequence in it.
    update(&mut app, Msg::Resize(120, 30));
    update(
        &mut app,
        Msg::LinkOpened {
            url: "javascript:alert(1)\u{1b}]0;pwned\u{7}".to_owned(),
            result: Err(OpenError::Refused(Refusal::Scheme)),
        },
    );
    assert_eq!(
        app.status.message.as_deref(),
        Some("cannot open link: only http and https links are opened (javascript:alert(1))")
    );

    update(
        &mut app,
        Msg::LinkOpened {
            url: "https://example.com/".to_owned(),
            result: Err(OpenError::NotFound {
                program: "firefx".to_owned(),
                origin: Origin::Config,
            }),
        },
    );
    assert_eq!(
        app.status.message.as_deref(),
        Some("cannot open link: browser \"firefx\" not found; fix browser in [ui] of config.toml")
    );
}

#[test]
fn open_link_is_in_the_help_and_can_be_rebound() {
    let app = sample();
    let lines = app.overlay_lines(Overlay::Help, 60);
    assert!(
        lines.iter().any(
            |l| l.starts_with("o ") && l.ends_with("open the link in the browser, or link [n]")
        ),
        "{lines:?}"
    );
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut app = linked_item(dir.path(), Some("https://example.com/news/1"));
    let keys = "[keys]\nopen_link = \"x\"\n";
    app.prefs.keymap = config(keys).keymap;
    assert_eq!(press(&mut app, "o"), [], "o is no longer bound");
    assert_eq!(link_number(&app), None);
    assert_eq!(
        press(&mut app, "x<Enter>"),
        [Effect::OpenLink("https://example.com/news/1".to_owned())]
    );
}

/// Enter on an article the index gave without its text does not read the
/// file in `update`: it asks the loop to (`Effect::Read`), shows the head
/// meanwhile, and lays the text out when `Msg::Read` brings it.
#[test]
fn opening_an_article_without_its_text_asks_the_loop_to_read_it() {
    use kanbao::model::Stub;
    use kanbao::ui::msg::Then;
    let text = std::fs::read_to_string(Path::new(ROOT).join("config.toml")).unwrap_or_default();
    let config = config(&text);
    let mut whole = None;
    let mut app = app_with(&config, 80, 24, |library| {
        let article = &mut library.articles[0];
        whole = Some(article.clone());
        article.stub = Some(Stub {
            lead: article.paragraphs[0].clone(),
            counts: article.counts(),
        });
        article.paragraphs.clear();
    });
    let whole = whole.expect("the sample has articles");
    let paragraphs = |app: &App| app.archive.article(0).map(|a| a.paragraphs.clone());

    // Opening marks it read (saved by the loop) and asks for its text.
    let effects = press(&mut app, "\n");
    assert_eq!(
        effects,
        [
            Effect::SaveMarks,
            Effect::Read {
                index: 0,
                then: Then::Show
            }
        ]
    );
    assert_eq!(app.focus, Focus::Reader);
    assert_eq!(paragraphs(&app), Some(Vec::new()));

    let msg = kanbao::ui::read_article(&app, &config.feeds, 0, Then::Show);
    assert!(update(&mut app, msg).is_empty());
    assert_eq!(paragraphs(&app), Some(whole.paragraphs));
    assert!(
        app.reader
            .lines
            .iter()
            .any(|l| l.text.contains("驻马店市科技局召开")),
        "the text is laid out once read"
    );
}

/// Photos are fetched for the article opened, never for the one the
/// reader pane previews while the lists are browsed (at 120 columns the
/// pane is there); leaving the article forgets them, and a resize asks for
/// them again at the new size.
#[test]
fn photos_are_asked_for_only_when_an_article_is_opened() {
    let mut app = common::screen::sample_with(120, 40, common::screen::with_photo_addresses);
    let photos = |effects: &[Effect]| {
        effects
            .iter()
            .filter(|e| matches!(e, Effect::Photos { .. }))
            .count()
    };
    let browsed = press(&mut app, "jjkj");
    assert!(app.reader.article.is_some(), "the pane previews an article");
    assert_eq!(photos(&browsed), 0, "{browsed:?}");
    assert!(app.reader.pictures.article.is_none());
    let opened = press(&mut app, "\n");
    assert_eq!(photos(&opened), 1, "{opened:?}");
    assert!(app.reader.lines.iter().any(|l| l.text == "[图 1 载入中…]"));
    // Scrolling asks nothing more.
    assert_eq!(photos(&press(&mut app, "jjG")), 0);
    // Another size: asked again, to fit.
    let resized = update(&mut app, Msg::Resize(100, 30));
    assert_eq!(photos(&resized), 1, "{resized:?}");
    // Back to the list: the preview shows the captions alone.
    let back = press(&mut app, "q");
    assert_eq!(photos(&back), 0);
    assert!(app.reader.pictures.article.is_none());
    assert!(!app.reader.lines.iter().any(|l| l.text.starts_with("[图 1")));
}

/// A sync's marks (issue 19) change the lists at once, and the loop is
/// asked to save the marks and then the sync state, in that order.
#[test]
fn a_sync_changes_marks_and_saves_them_before_its_state() {
    use kanbao::sync::{MarkChange, Report, Synced, base::Base};

    let mut app = common::screen::sample(80, 24);
    let first = app.archive.id(0).to_owned();
    let second = app.archive.id(1).to_owned();
    let base = Base::new("ttrss http://127.0.0.1/ me");
    let synced = Synced {
        changes: vec![
            MarkChange {
                id: first.clone(),
                read: Some(true),
                starred: None,
            },
            MarkChange {
                id: second.clone(),
                read: None,
                starred: Some(true),
            },
            MarkChange {
                id: "not-yet-here".into(),
                read: Some(true),
                starred: Some(true),
            },
        ],
        base: base.clone(),
        report: Report::default(),
    };
    let effects = update(&mut app, Msg::Synced(Box::new(synced)));
    assert_eq!(effects, [Effect::SaveSynced(Box::new(base))]);
    assert!(app.archive.is_read(0));
    assert!(app.archive.marks().is_starred(&second));
    assert!(!app.archive.marks().is_read(&second));
    // An article the sync stored but the lists do not hold yet keeps its
    // marks for when it arrives.
    assert!(app.archive.marks().is_read("not-yet-here"));
    assert!(app.archive.marks().is_starred("not-yet-here"));
}

/// At scale, a search answers each key with its first hits confirmed and
/// the rest as candidates; a worker confirms them and the lists take the
/// answer, unless another search was typed meanwhile.
#[test]
fn a_search_shows_its_first_hits_at_once_and_takes_the_rest_when_confirmed() {
    let (dir, config) = common::papers::candidates(10);
    let mut app = common::screen::searchable(&config);
    app.archive.answer_first(2);
    update(&mut app, Msg::Resize(100, 30));
    update(&mut app, Msg::Action(Action::Filter));
    let effects = update(&mut app, Msg::Text("创新平台".to_owned()));
    let confirm = effects.iter().find_map(|e| match e {
        Effect::Confirm {
            query,
            search,
            ticket,
        } => Some((query.clone(), search.clone(), ticket.clone())),
        _ => None,
    });
    let Some((query, search, ticket)) = confirm else {
        panic!("no worker asked to confirm: {effects:?}");
    };
    assert_eq!(query, "创新平台");
    assert!(ticket.is_current());
    // The loop looks for the worker's answer between keys.
    assert!(app.awaits_worker(), "the confirmed hits are awaited");
    // Two hits confirmed (page 1 dropped), pages 3 to 9 to confirm.
    assert_eq!(app.listed().len(), 9);
    assert!(
        app.archive
            .found()
            .is_some_and(|f| f.as_ref().is_ok_and(|f| !f.complete))
    );
    // Asked once.
    assert!(
        !update(&mut app, Msg::Resize(100, 30))
            .iter()
            .any(|e| matches!(e, Effect::Confirm { .. }))
    );
    let parsed = kanbao::index::search::Query::parse(&query).expect("a query");
    let hits = search.find_all(&parsed);
    let expected: Vec<usize> = hits.iter().map(|h| h.article()).collect();
    // An answer for another search is not taken.
    update(
        &mut app,
        Msg::Confirmed {
            query: "创新".to_owned(),
            hits: hits[..1].to_vec(),
        },
    );
    assert_eq!(app.listed().len(), 9);
    assert!(app.awaits_worker(), "still awaited");
    update(&mut app, Msg::Confirmed { query, hits });
    assert_eq!(app.listed().to_vec(), expected);
    assert!(!app.awaits_worker(), "taken: nothing more is awaited");
    let shown: usize = (0..app.archive.sections.len())
        .map(|s| app.archive.visible(s).len())
        .sum();
    assert_eq!(shown, 5, "the sections count the hits only");
    // Another search: a worker still confirming this one stops.
    update(&mut app, Msg::Backspace);
    assert!(!ticket.is_current());
    // Its own worker stopping on an error: no answer is awaited any more,
    // and the status line says what that means.
    let effects = update(&mut app, Msg::Text("台".to_owned()));
    assert!(effects.iter().any(|e| matches!(e, Effect::Confirm { .. })));
    assert!(app.awaits_worker());
    update(
        &mut app,
        Msg::from(Failure {
            worker: Worker::Search {
                query: "创新平台".to_owned(),
            },
            message: "a panic".to_owned(),
        }),
    );
    assert!(!app.awaits_worker(), "not awaited after its failure");
    assert!(
        app.status
            .message
            .as_deref()
            .is_some_and(|m| m.starts_with("confirming the search's hits stopped")),
        "{:?}",
        app.status.message
    );
    drop(dir);
}

/// A reload (the index brought up to date) keeps the places and the last
/// article of articles not in the archive now: their feed's folder may be
/// unmounted, or the state shared with another config.
#[test]
fn a_reload_keeps_the_places_of_articles_not_in_the_archive() {
    let text = std::fs::read_to_string(Path::new(ROOT).join("config.toml")).unwrap_or_default();
    let config = config(&text);
    let mut marks = Marks::default();
    let place = kanbao::marks::Place {
        block: 3,
        line: 1,
        end: false,
    };
    marks.set_place("no-such-article", place);
    marks.set_last(Some("no-such-article"));
    let archive = Archive::new(Library::load(&config), marks, Vec::new(), None);
    let mut app = App::new(archive, Prefs::from_config(&config, false));
    update(&mut app, Msg::Resize(80, 24));
    let opened = kanbao::index::in_memory(&config, &|_| {});
    let opened = kanbao::index::Opened {
        library: opened.library.into(),
        search: opened.search,
    };
    update(&mut app, Msg::Indexed(Box::new(opened)));
    assert_eq!(app.archive.marks().place("no-such-article"), Some(place));
    assert_eq!(app.archive.marks().last(), Some("no-such-article"));
}
