//! Simplified ⇄ traditional display (`[text] script`, issue 16): the
//! sample's headlines survive a round trip, a Big5 traditional page is
//! shown simplified by `kanbao parse`, stored text and JSON keep their
//! characters, and `T` cycles the script in the reader.

mod common;

use std::path::Path;
use std::process::Command;

use common::keys::press;
use common::run::Run;
use common::screen::{sample, screen};
use kanbao::config::TextOptions;
use kanbao::script::Script;
use kanbao::source::read_page;
use kanbao::typeset::{self, Context, Role, str_width};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tempfile::TempDir;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const SAMPLE_PAGE: &str = "feeds/zhumadian-daily/undated/zhumadian-daily-page.txt";
const BIG5_PAGE: &str = "tests/fixtures/encodings/big5-page.txt";

fn parse(args: &[&str]) -> Run {
    let home = TempDir::new().unwrap_or_else(|e| panic!("{e}"));
    Run::of(
        Command::new(env!("CARGO_BIN_EXE_kanbao"))
            .arg("parse")
            .args(args)
            .current_dir(ROOT)
            .env_remove("KANBAO_CONFIG")
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("XDG_STATE_HOME")
            .env("HOME", home.path())
            .env("XDG_CACHE_HOME", home.path()),
    )
}

#[test]
fn the_samples_headlines_go_to_traditional_and_back_unchanged() {
    let page =
        read_page(&Path::new(ROOT).join(SAMPLE_PAGE), "sample").unwrap_or_else(|w| panic!("{w}"));
    let titles: Vec<&str> = page.articles.iter().map(|a| a.display_title()).collect();
    assert!(titles.len() >= 3, "{titles:?}");
    let mut changed = 0;
    for title in titles {
        let traditional = Script::Traditional.convert(title);
        if traditional != title {
            changed += 1;
        }
        assert_eq!(
            title.chars().count(),
            traditional.chars().count(),
            "{title} → {traditional}"
        );
        let back = Script::Simplified.convert(&traditional);
        assert_eq!(back, title, "{title} → {traditional} → {back}");
    }
    assert!(changed >= 3, "the conversion did something: {changed}");
}

#[test]
fn a_big5_traditional_page_is_printed_simplified_and_its_json_is_as_stored() {
    let run = parse(&["--width", "60", "--script", "simplified", BIG5_PAGE]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("台北市推动旧城区更新计划"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("老街区换新颜"), "{}", run.stdout);
    assert!(!run.stdout.contains("臺北市"), "{}", run.stdout);
    for line in run.stdout.lines() {
        assert!(str_width(line, 1) <= 60, "{line:?}");
    }
    let stored = parse(&["--width", "60", BIG5_PAGE]);
    assert!(
        stored.stdout.contains("臺北市推動舊城區更新計畫"),
        "{}",
        stored.stdout
    );
    let json = parse(&["--json", BIG5_PAGE]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    assert!(
        json.stdout.contains("臺北市推動舊城區更新計畫"),
        "{}",
        json.stdout
    );
    let both = parse(&["--json", "--script", "traditional", BIG5_PAGE]);
    assert_eq!(
        both.code, 2,
        "--json keeps the stored characters: {}",
        both.stderr
    );
}

#[test]
fn layout_converts_before_measuring_and_keeps_the_width() {
    let page =
        read_page(&Path::new(ROOT).join(SAMPLE_PAGE), "sample").unwrap_or_else(|w| panic!("{w}"));
    let article = &page.articles[0];
    for script in Script::ALL {
        let text = TextOptions {
            script,
            ..TextOptions::default()
        };
        for width in [20, 41, 80] {
            let lines = typeset::layout(article, Context::default(), width, &text);
            for line in &lines {
                assert!(str_width(&line.text, 1) <= width + 2, "{script:?} {line:?}");
            }
            let title: String = lines
                .iter()
                .filter(|l| l.role == Role::Title)
                .map(|l| l.text.as_str())
                .collect();
            assert_eq!(title, script.convert(article.display_title()), "{script:?}");
        }
    }
}

/// The screen's text without spaces (a wide character's second cell is
/// one), a line for each row.
fn text_of(terminal: &Terminal<TestBackend>) -> String {
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            out.push_str(buffer[(x, y)].symbol().trim());
        }
        out.push('\n');
    }
    out
}

#[test]
fn t_cycles_the_script_in_the_reader_and_the_status_line_names_it() {
    let mut app = sample(80, 24);
    press(&mut app, "\n");
    let stored: Vec<String> = app.reader.lines.iter().map(|l| l.text.clone()).collect();
    let title = app.reader.lines[0].text.clone();
    assert_eq!(app.prefs.text.script, Script::AsStored);

    press(&mut app, "T");
    assert_eq!(app.prefs.text.script, Script::Simplified);
    assert_eq!(app.status.message.as_deref(), Some("script: simplified"));

    press(&mut app, "T");
    assert_eq!(app.prefs.text.script, Script::Traditional);
    let shown: Vec<String> = app.reader.lines.iter().map(|l| l.text.clone()).collect();
    assert_ne!(shown, stored, "the text was laid out again");
    assert_eq!(
        app.reader.lines[0].text,
        Script::Traditional.convert(&title)
    );
    // The article itself keeps its characters.
    let index = app
        .reader
        .article
        .unwrap_or_else(|| panic!("an article is open"));
    let article = app
        .archive
        .article(index)
        .unwrap_or_else(|| panic!("article {index} is there"));
    assert_eq!(
        article.display_title(),
        Script::Simplified.convert(article.display_title())
    );
    press(&mut app, "j");
    app.status.message = None;
    let shown = text_of(&screen(&app));
    assert!(shown.contains("繁體"), "{shown}");

    press(&mut app, "TTT");
    assert_eq!(app.prefs.text.script, Script::AsStored);
    let back: Vec<String> = app.reader.lines.iter().map(|l| l.text.clone()).collect();
    assert_eq!(back, stored);
    app.status.message = None;
    assert!(!text_of(&screen(&app)).contains("繁體"));
}

#[test]
fn the_lists_are_shown_in_the_script_too() {
    let mut app = sample(80, 24);
    let before = text_of(&screen(&app));
    press(&mut app, "TT");
    app.status.message = None;
    let after = text_of(&screen(&app));
    assert_ne!(before, after);
    let first = app
        .archive
        .article(app.listed().to_vec()[0])
        .map(|a| a.display_title().to_owned())
        .unwrap_or_default();
    let converted = Script::Traditional.convert(&first);
    let head: String = converted.chars().take(6).collect();
    assert!(after.contains(&head), "{head}\n{after}");
    // The status line names the selected date and section as the tree does.
    let label = app.scope_label();
    let shown = Script::Traditional.convert(&label);
    assert_ne!(shown, label, "the label has characters to convert");
    let status = after.lines().last().unwrap_or_default();
    // text_of drops the spaces.
    let shown = shown.replace(' ', "");
    assert!(status.contains(&shown), "{shown}\n{status}");
    // And the tree's undated day.
    assert!(!after.contains("日期不详"), "{after}");
}

#[test]
fn reader_in_traditional_80x24() {
    let mut app = sample(80, 24);
    press(&mut app, "TT\n");
    app.status.message = None;
    insta::assert_snapshot!("script_traditional_80x24", screen(&app).backend());
}

#[test]
fn list_in_traditional_41x15() {
    let mut app = sample(41, 15);
    press(&mut app, "TT");
    app.status.message = None;
    insta::assert_snapshot!("script_traditional_list_41x15", screen(&app).backend());
}

const SCRIPTS_CONFIG: &str = "tests/fixtures/scripts/config.toml";

/// `kanbao search QUERY --json` on the script fixture: a page in
/// simplified characters (UTF-8) and one in traditional characters (Big5).
fn search_scripts(query: &str) -> serde_json::Value {
    let home = TempDir::new().unwrap_or_else(|e| panic!("{e}"));
    Run::of(
        Command::new(env!("CARGO_BIN_EXE_kanbao"))
            .arg("--config")
            .arg(Path::new(ROOT).join(SCRIPTS_CONFIG))
            .args(["search", query, "--json"])
            .current_dir(home.path())
            .env_remove("KANBAO_CONFIG")
            .env_remove("XDG_CONFIG_HOME")
            .env("HOME", home.path())
            .env("XDG_STATE_HOME", home.path().join("state"))
            .env("XDG_CACHE_HOME", home.path().join("cache")),
    )
    .json()
}

/// Per hit: its headline, and the text of each mark of its snippet (the
/// marks are character ranges of the snippet).
fn marked(found: &serde_json::Value) -> Vec<(String, Vec<String>)> {
    let hits = found["hits"].as_array().cloned().unwrap_or_default();
    hits.iter()
        .map(|hit| {
            let snippet: Vec<char> = hit["snippet"].as_str().unwrap_or("").chars().collect();
            let marks = hit["marks"].as_array().cloned().unwrap_or_default();
            let texts = marks
                .iter()
                .map(|m| {
                    let at = |i: usize| m[i].as_u64().unwrap_or(0) as usize;
                    snippet
                        .get(at(0)..at(1))
                        .map(|s| s.iter().collect())
                        .unwrap_or_else(|| panic!("mark {m} outside {hit}"))
                })
                .collect();
            (hit["title"].as_str().unwrap_or("").to_owned(), texts)
        })
        .collect()
}

/// A hit's headline and the texts its snippet marks.
type Marked = (&'static str, &'static [&'static str]);

const SIMPLIFIED_TITLE: &str = "科技创新平台落成";
const TRADITIONAL_TITLE: &str = "創新驅動發展論壇開幕";

#[test]
fn a_search_in_either_script_finds_both_and_marks_the_stored_characters() {
    // (query, per hit in rank order: headline and the marks of its
    // snippet, exactly the stored characters).
    let cases: [(&str, [Marked; 2]); 4] = [
        // Newest first among headline hits: the traditional page is the
        // later day.
        (
            "创新",
            [
                (TRADITIONAL_TITLE, &["創新"]),
                (SIMPLIFIED_TITLE, &["创新"]),
            ],
        ),
        (
            "發展",
            [
                (TRADITIONAL_TITLE, &["發展"]),
                (SIMPLIFIED_TITLE, &["发展"]),
            ],
        ),
        // Phrase-level forms: 头发 is 頭髮, not 頭發.
        (
            "头发",
            [
                (TRADITIONAL_TITLE, &["頭髮"]),
                (SIMPLIFIED_TITLE, &["头发"]),
            ],
        ),
        (
            "頭髮 創新",
            [
                (TRADITIONAL_TITLE, &["創新", "頭髮"]),
                (SIMPLIFIED_TITLE, &["创新", "头发"]),
            ],
        ),
    ];
    for (query, want) in cases {
        let found = search_scripts(query);
        assert_eq!(found["count"], 2, "{query}: {found}");
        let got = marked(&found);
        let want: Vec<(String, Vec<String>)> = want
            .iter()
            .map(|(t, m)| ((*t).to_owned(), m.iter().map(|s| (*s).to_owned()).collect()))
            .collect();
        // A snippet may hold a term more than once: each mark must be one
        // of the wanted, and each wanted marked.
        for ((title, marks), (want_title, want_marks)) in got.iter().zip(&want) {
            assert_eq!(title, want_title, "{query}: {found}");
            for m in marks {
                assert!(want_marks.contains(m), "{query}: {m:?} marked in {found}");
            }
            for m in want_marks {
                assert!(marks.contains(m), "{query}: {m:?} not marked in {found}");
            }
        }
        assert_eq!(got.len(), want.len(), "{query}: {found}");
    }
}

#[test]
fn a_term_only_one_page_holds_finds_only_that_page_in_either_script() {
    for query in ["论坛", "論壇"] {
        let found = search_scripts(query);
        assert_eq!(found["count"], 1, "{query}: {found}");
        assert_eq!(
            marked(&found),
            [(TRADITIONAL_TITLE.to_owned(), vec!["論壇".to_owned()])]
        );
    }
    for query in ["平台", "平臺"] {
        let found = search_scripts(query);
        assert_eq!(found["count"], 1, "{query}: {found}");
        assert_eq!(marked(&found)[0].0, SIMPLIFIED_TITLE, "{query}: {found}");
    }
}

/// The reader on the script fixture, with its search, at 80×24.
fn scripts_app() -> kanbao::ui::app::App {
    use kanbao::ui::update::{Msg, update};
    let path = Path::new(ROOT).join(SCRIPTS_CONFIG);
    let config = kanbao::config::load(&path, "config.toml").unwrap_or_else(|e| panic!("{e:?}"));
    let mut app = common::screen::searchable(&config);
    update(&mut app, Msg::Resize(80, 24));
    app
}

#[test]
fn the_readers_search_finds_both_scripts_and_the_article_finds_the_stored_form() {
    for query in ["创新", "創新"] {
        let mut app = scripts_app();
        press(&mut app, &format!("/{query}"));
        let shown = text_of(&screen(&app));
        assert!(shown.contains(SIMPLIFIED_TITLE), "{query}:\n{shown}");
        assert!(shown.contains(TRADITIONAL_TITLE), "{query}:\n{shown}");
        // Opened from the hits, the article's own form is found in it.
        press(&mut app, "\n\n");
        let find = app
            .reader
            .find
            .as_ref()
            .unwrap_or_else(|| panic!("{query}: the reader finds the search's terms"));
        assert!(
            find.terms.iter().any(|t| t == "创新") && find.terms.iter().any(|t| t == "創新"),
            "{query}: {:?}",
            find.terms
        );
    }
}

/// A Big5 RSS feed of traditional-character news, served on 127.0.0.1.
fn big5_feed() -> Vec<u8> {
    let rss = "<?xml version=\"1.0\" encoding=\"Big5\"?>\
        <rss version=\"2.0\"><channel><title>臺灣時報</title>\
        <link>http://127.0.0.1/</link><description>測試</description>\
        <item><title>臺北市推動舊城區更新計畫</title>\
        <link>http://127.0.0.1/1.html</link>\
        <pubDate>Fri, 10 Mar 2023 08:00:00 +0800</pubDate>\
        <description><![CDATA[<p>臺北市政府昨日宣布，將投入經費推動舊城區更新計畫。</p>\
        <p>居民代表說：「這些老房子陪伴了好幾代人。」</p>]]></description></item>\
        </channel></rss>";
    let (bytes, _, unmappable) = encoding_rs::BIG5.encode(rss);
    assert!(!unmappable, "the feed is all Big5");
    bytes.into_owned()
}

#[test]
fn a_big5_traditional_feed_is_fetched_and_shown_simplified_in_the_reader() {
    use common::server::{Response, Server};
    use kanbao::ui::app::{App, Prefs};
    use kanbao::ui::archive::Archive;
    use kanbao::ui::update::{Msg, update};

    let server = Server::start();
    server.route(
        "/big5.xml",
        Response::ok(big5_feed()).header("Content-Type", "application/rss+xml"),
    );
    let dir = TempDir::new().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("config.toml");
    let text = format!(
        "[text]\nscript = \"simplified\"\n\n[[feeds]]\nid = \"tw\"\ntitle = \"臺灣時報\"\n\
         kind = \"feed\"\nurl = \"{}\"\nstore = \"store\"\n",
        server.url("/big5.xml")
    );
    std::fs::write(&path, &text).unwrap_or_else(|e| panic!("{e}"));
    let config =
        kanbao::config::parse(&text, &path, "config.toml").unwrap_or_else(|e| panic!("{e}"));
    let outcome = kanbao::feed::fetch::fetch_feed(&config.feeds[0], false);
    assert!(
        matches!(outcome, kanbao::feed::report::Outcome::Stored(_)),
        "fetched: {outcome:?}"
    );

    let library = kanbao::library::Library::load(&config);
    assert_eq!(library.warnings, [], "the item loads cleanly");
    // Stored as the feed wrote it…
    let stored = &library.articles[0];
    assert_eq!(stored.display_title(), "臺北市推動舊城區更新計畫");
    // …and shown simplified, the headline in the list and the text in the
    // reader.
    let prefs = Prefs::from_config(&config, false);
    let mut app = App::new(
        Archive::new(library, kanbao::marks::Marks::default(), Vec::new(), None),
        prefs,
    );
    update(&mut app, Msg::Resize(80, 24));
    let list = text_of(&screen(&app));
    assert!(list.contains("台北市推动旧城区更新计划"), "{list}");
    press(&mut app, "\n");
    let shown: Vec<&str> = app.reader.lines.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(
        shown.first(),
        Some(&"台北市推动旧城区更新计划"),
        "{shown:?}"
    );
    let body = shown.join("");
    assert!(body.contains("台北市政府昨日宣布"), "{shown:?}");
    assert!(body.contains("这些老房子陪伴了好几代人"), "{shown:?}");
    assert!(!body.contains("臺北"), "{shown:?}");
}
