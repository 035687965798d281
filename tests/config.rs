//! `config.toml`: fixtures, the shipped file, path resolution and lookup.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};

use crossterm::event::{KeyCode, KeyModifiers};
use kanbao::config::{
    self, ConfigSource, FeedConfig, FeedKind, FeedSource, FetchOptions, SearchEnv, TextOptions,
    Theme, Ui, locate_in,
};
use kanbao::keymap::{Action, Key, Keymap};
use kanbao::script::Script;
use proptest::prelude::*;
use ratatui::style::Color;
use rstest::rstest;
use tempfile::TempDir;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/config");

/// The `.toml` files in a fixture folder, sorted.
fn fixtures(folder: &str) -> Vec<PathBuf> {
    let dir = Path::new(FIXTURES).join(folder);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("{}: {error}", dir.display()))
        .map(|entry| entry.expect("fixture folder entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no fixtures in {}", dir.display());
    files
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// The folder of the config file that [`parse`] reads.
const HOME_CONFIG: &str = "/home/reader/.config/kanbao";

fn parse(text: &str) -> Result<config::Config, config::ConfigError> {
    config::parse(
        text,
        &Path::new(HOME_CONFIG).join("config.toml"),
        "config.toml",
    )
}

#[test]
fn valid_fixtures_parse() {
    let failures: Vec<String> = fixtures("valid")
        .iter()
        .filter_map(|path| match parse(&read(path)) {
            Ok(_) => None,
            Err(error) => Some(format!("{}: {error}", path.display())),
        })
        .collect();
    assert!(failures.is_empty(), "\n{}\n", failures.join("\n"));
}

/// Each `invalid/NAME.toml` must fail with exactly the line in `invalid/NAME.err`.
#[test]
fn invalid_fixtures_fail_with_their_message() {
    let mut failures = Vec::new();
    for path in fixtures("invalid") {
        let expected_path = path.with_extension("err");
        let expected = fs::read_to_string(&expected_path).unwrap_or_default();
        let expected = expected.trim_end_matches('\n');
        let actual = match parse(&read(&path)) {
            Ok(_) => "<parsed without error>".to_owned(),
            Err(error) => error.to_string(),
        };
        if actual != expected {
            failures.push(format!(
                "{}\n  expected: {expected}\n  actual:   {actual}",
                path.display()
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}\n", failures.join("\n"));
}

#[test]
fn every_expected_message_has_a_fixture() {
    let dir = Path::new(FIXTURES).join("invalid");
    for entry in fs::read_dir(&dir).expect("invalid fixture folder") {
        let path = entry.expect("fixture folder entry").path();
        if path.extension().is_some_and(|ext| ext == "err") {
            assert!(
                path.with_extension("toml").is_file(),
                "{} has no .toml",
                path.display()
            );
        }
    }
}

#[test]
fn shipped_config_matches_the_defaults() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = config::load(&root.join("config.toml"), "config.toml")
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(config.text, TextOptions::default());
    assert_eq!(config.keymap, Keymap::default());
    assert_eq!(config.theme, Theme::default());
    assert_eq!(config.ui, Ui::default());
    let [feed] = config.feeds.as_slice() else {
        panic!("expected one feed, got {:?}", config.feeds);
    };
    assert_eq!(feed.id, "zhumadian-daily");
    assert_eq!(feed.title, "驻马店日报");
    assert_eq!(feed.kind, FeedKind::Pages);
    assert_eq!(feed.path, root.join("feeds/zhumadian-daily"));
    assert!(
        feed.path.is_dir(),
        "{} is not a folder",
        feed.path.display()
    );
    assert_eq!(feed.source, None);
    assert_eq!(feed.section, None);
    assert_eq!(feed.fetch, FetchOptions::default());
}

/// The commented list of actions under `[keys]` in the shipped file, made
/// live, must name every action in order and give exactly its default keys.
#[test]
fn shipped_config_lists_every_action_with_its_default_keys() {
    let shipped = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("config.toml"));
    let names: Vec<&str> = Action::ALL.iter().map(|action| action.name()).collect();
    let listed: Vec<&str> = shipped
        .lines()
        .filter_map(|line| line.strip_prefix("# "))
        .filter(|line| {
            line.split_once(" =")
                .is_some_and(|(name, _)| names.contains(&name.trim_end()))
        })
        .collect();
    let listed_names: Vec<&str> = listed
        .iter()
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    assert_eq!(listed_names, names);
    let config = parse(&format!("[keys]\n{}\n", listed.join("\n")))
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(config.keymap, Keymap::default());
}

/// The commented web feed example in the shipped file, made live with all
/// its options, must parse, and the values it shows as defaults must be them.
#[test]
fn shipped_config_web_feed_example_shows_the_defaults() {
    let shipped = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("config.toml"));
    let start = shipped
        .find("# [[feeds]]")
        .expect("a commented-out web feed example");
    let options = [
        "store",
        "section",
        "interval",
        "timeout",
        "max_items",
        "max_size",
        "headers",
    ];
    let live: Vec<&str> = shipped[start..]
        .lines()
        .take_while(|line| line.starts_with('#'))
        .map(|line| line.strip_prefix("# ").unwrap_or(line))
        .map(|line| match line.strip_prefix("# ") {
            Some(option)
                if option
                    .split_once(" = ")
                    .is_some_and(|(key, _)| options.contains(&key)) =>
            {
                option
            }
            _ => line,
        })
        .collect();
    let config = parse(&live.join("\n")).unwrap_or_else(|error| panic!("{error}"));
    let [feed] = config.feeds.as_slice() else {
        panic!("expected one feed, got {:?}", config.feeds);
    };
    assert_eq!(feed.kind, FeedKind::Feed);
    assert!(matches!(feed.source, Some(FeedSource::Url(_))));
    assert_eq!(
        feed.path,
        Path::new(HOME_CONFIG).join("feeds").join(&feed.id)
    );
    let defaults = FetchOptions::default();
    assert_eq!(feed.fetch.timeout_secs, defaults.timeout_secs);
    assert_eq!(feed.fetch.max_bytes, defaults.max_bytes);
    assert_eq!(feed.fetch.headers.len(), 2);
}

#[test]
fn omitted_tables_take_the_defaults() {
    let config = parse("").unwrap_or_else(|error| panic!("{error}"));
    assert!(config.feeds.is_empty());
    assert_eq!(config.text, TextOptions::default());
    assert_eq!(config.keymap, Keymap::default());
    assert_eq!(config.theme, Theme::default());
    assert_eq!(config.ui, Ui::default());
}

#[test]
fn default_theme_uses_only_the_16_colours() {
    let t = Theme::default();
    let roles = [
        t.kicker,
        t.title,
        t.subtitle,
        t.meta,
        t.column,
        t.body,
        t.caption,
        t.selection,
        t.unread,
        t.starred,
        t.status,
        t.border,
        t.highlight,
    ];
    for colour in roles {
        assert!(
            !matches!(colour, Color::Rgb(..) | Color::Indexed(_)),
            "{colour:?} needs more than 16 colours"
        );
    }
}

fn key(text: &str) -> Key {
    text.parse()
        .unwrap_or_else(|error| panic!("{text:?}: {error}"))
}

#[test]
fn keys_replace_the_defaults_of_their_action() {
    let path = Path::new(FIXTURES).join("valid/keys-override.toml");
    let keymap = parse(&read(&path))
        .unwrap_or_else(|error| panic!("{error}"))
        .keymap;
    let ctrl = |c| Key {
        code: KeyCode::Char(c),
        modifiers: KeyModifiers::CONTROL,
    };
    assert_eq!(keymap.action(ctrl('n')), Some(Action::Down));
    assert_eq!(keymap.action(ctrl('p')), Some(Action::Up));
    assert_eq!(keymap.action(ctrl('q')), Some(Action::Quit));
    assert_eq!(keymap.action(ctrl('c')), None, "quit's default is replaced");
    assert_eq!(keymap.keys(Action::Help), vec![key("?"), key("F1")]);
    assert_eq!(keymap.action(key("J")), Some(Action::NextArticle));
    assert_eq!(keymap.action(key("n")), Some(Action::NextSection));
    assert_eq!(keymap.action(key("星")), Some(Action::ToggleStar));
    assert_eq!(keymap.action(key("s")), None);
    assert_eq!(keymap.action(key("Alt-Left")), Some(Action::Back));
    assert_eq!(keymap.keys(Action::Top), vec![key("g"), key("Home")]);
}

#[test]
fn every_action_name_is_accepted() {
    for action in Action::ALL {
        let text = format!("[keys]\n{} = \"F12\"\n", action.name());
        let config = parse(&text).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(config.keymap.keys(action), vec![key("F12")]);
    }
}

#[rstest]
#[case::name("\"red\"", Color::Red)]
#[case::name_in_any_case("\"LightBlue\"", Color::LightBlue)]
#[case::name_with_dash("\"light-cyan\"", Color::LightCyan)]
#[case::bright_for_light("\"bright red\"", Color::LightRed)]
#[case::grey("\"dark_grey\"", Color::DarkGray)]
#[case::reset("\"reset\"", Color::Reset)]
#[case::hex("\"#ff8800\"", Color::Rgb(255, 136, 0))]
#[case::hex_upper("\"#1E1E2E\"", Color::Rgb(30, 30, 46))]
#[case::index_string("\"208\"", Color::Indexed(208))]
#[case::index_number("208", Color::Indexed(208))]
#[case::index_zero("0", Color::Indexed(0))]
#[case::index_max("255", Color::Indexed(255))]
fn theme_colours_are_read_in_each_form(#[case] value: &str, #[case] expected: Color) {
    let config =
        parse(&format!("[theme]\ntitle = {value}\n")).unwrap_or_else(|error| panic!("{error}"));
    let theme = Theme {
        title: expected,
        ..Theme::default()
    };
    assert_eq!(config.theme, theme);
}

#[test]
fn every_theme_role_is_read() {
    let path = Path::new(FIXTURES).join("valid/theme-colour-forms.toml");
    let theme = parse(&read(&path))
        .unwrap_or_else(|error| panic!("{error}"))
        .theme;
    let expected = Theme {
        kicker: Color::Red,
        title: Color::LightBlue,
        subtitle: Color::LightCyan,
        meta: Color::DarkGray,
        column: Color::LightMagenta,
        body: Color::Reset,
        caption: Color::Rgb(0xff, 0x88, 0x00),
        selection: Color::Rgb(0x1e, 0x1e, 0x2e),
        unread: Color::Indexed(208),
        starred: Color::Indexed(0),
        status: Color::Indexed(255),
        border: Color::Gray,
        highlight: Color::White,
    };
    assert_eq!(theme, expected);
}

/// The names the message offers are the ones ratatui reads, each a different colour.
#[test]
fn colour_names_in_the_message_are_all_read() {
    let error = parse("[theme]\ntitle = \"purpel\"\n").expect_err("unknown colour");
    let message = error.message();
    let (_, rest) = message.split_once("use a name (").expect("a list of names");
    let (names, _) = rest.split_once(')').expect("a closing parenthesis");
    let colours: Vec<Color> = names
        .split(", ")
        .map(|name| {
            name.parse()
                .unwrap_or_else(|_| panic!("{name:?} is not a colour"))
        })
        .collect();
    assert_eq!(colours.len(), 17, "{names}");
    for (i, colour) in colours.iter().enumerate() {
        assert!(
            !colours[..i].contains(colour),
            "{colour:?} twice in {names}"
        );
    }
}

#[test]
fn mouse_can_be_left_to_the_terminal() {
    let path = Path::new(FIXTURES).join("valid/ui-mouse-off.toml");
    let config = parse(&read(&path)).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(
        config.ui,
        Ui {
            mouse: false,
            ..Ui::default()
        }
    );
    assert!(Ui::default().mouse);
}

#[test]
fn browser_is_kept_as_written() {
    let path = Path::new(FIXTURES).join("valid/ui-browser.toml");
    let config = parse(&read(&path)).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(config.ui.browser.as_deref(), Some("firefox --new-tab %u"));
    assert!(config.ui.mouse, "the mouse keeps its default");
    assert_eq!(
        Ui::default().browser,
        None,
        "unset: $BROWSER, else the opener"
    );
}

#[test]
fn text_options_are_read() {
    let config = parse(
        "[text]\nindent = 0\nfullwidth_punctuation = false\nambiguous_width = 2\n\
         hanging_punctuation = false\nscript = \"zh-tw\"\n",
    )
    .unwrap_or_else(|error| panic!("{error}"));
    let expected = TextOptions {
        indent: 0,
        fullwidth_punctuation: false,
        ambiguous_width: kanbao::config::AmbiguousWidth::Columns(2),
        hanging_punctuation: false,
        script: Script::ZhTw,
    };
    assert_eq!(config.text, expected);
}

fn one_feed(config_path: &str, feed_path: &str) -> FeedConfig {
    let text = format!(
        "[[feeds]]\nid = \"a\"\ntitle = \"甲报\"\nkind = \"pages\"\npath = {feed_path:?}\nsection = \"要闻\"\n"
    );
    let config = config::parse(&text, Path::new(config_path), "my.toml")
        .unwrap_or_else(|error| panic!("{error}"));
    let [feed] = <[FeedConfig; 1]>::try_from(config.feeds).expect("one feed");
    feed
}

#[rstest]
#[case::next_to_an_absolute_config("/etc/kanbao/config.toml", "papers/a", "/etc/kanbao/papers/a")]
#[case::next_to_a_relative_config("conf/kanbao.toml", "papers/a", "conf/papers/a")]
#[case::config_in_working_directory("config.toml", "papers/a", "papers/a")]
#[case::dot_dot("/etc/kanbao/config.toml", "../a", "/etc/kanbao/../a")]
#[case::absolute_stays("/etc/kanbao/config.toml", "/srv/a", "/srv/a")]
fn feed_paths_resolve_against_the_config_folder(
    #[case] config_path: &str,
    #[case] feed_path: &str,
    #[case] expected: &str,
) {
    assert_eq!(
        one_feed(config_path, feed_path).path,
        PathBuf::from(expected)
    );
}

#[test]
fn feed_keeps_its_fields_and_location() {
    let feed = one_feed("config.toml", "papers/a");
    let expected = FeedConfig {
        id: "a".to_owned(),
        title: "甲报".to_owned(),
        kind: FeedKind::Pages,
        path: PathBuf::from("papers/a"),
        source: None,
        section: Some("要闻".to_owned()),
        fetch: FetchOptions::default(),
        location: "my.toml:5:8".to_owned(),
    };
    assert_eq!(feed, expected);
}

fn fixture(name: &str) -> config::Config {
    let path = Path::new(FIXTURES).join("valid").join(name);
    parse(&read(&path)).unwrap_or_else(|error| panic!("{error}"))
}

#[test]
fn fetch_defaults() {
    let defaults = FetchOptions::default();
    assert_eq!(defaults.interval_minutes, None);
    assert_eq!(defaults.timeout_secs, 30);
    assert_eq!(defaults.max_items, None);
    assert_eq!(defaults.max_bytes, 20 * 1024 * 1024);
    assert!(defaults.headers.is_empty());
}

#[test]
fn web_feed_with_every_option() {
    let config = fixture("feed-url-all-options.toml");
    let expected = FeedConfig {
        id: "xinhua".to_owned(),
        title: "新华网".to_owned(),
        kind: FeedKind::Feed,
        path: Path::new(HOME_CONFIG).join("saved/xinhua"),
        source: Some(FeedSource::Url("https://example.com/rss.xml".to_owned())),
        section: Some("要闻".to_owned()),
        fetch: FetchOptions {
            interval_minutes: Some(30),
            timeout_secs: 45,
            max_items: Some(200),
            max_bytes: 5 * 1024 * 1024,
            headers: vec![
                ("User-Agent".to_owned(), "kanbao/0.1 (看报)".to_owned()),
                ("Authorization".to_owned(), "Bearer abc".to_owned()),
                ("X-Tab".to_owned(), "a\tb".to_owned()),
            ],
            keep_days: 1,
        },
        location: "config.toml:6:7".to_owned(),
    };
    assert_eq!(config.feeds, vec![expected]);
}

#[test]
fn web_feed_from_a_file_is_stored_in_feeds_id() {
    let config = fixture("feed-file.toml");
    let expected = FeedConfig {
        id: "saved".to_owned(),
        title: "存档".to_owned(),
        kind: FeedKind::Feed,
        path: Path::new(HOME_CONFIG).join("feeds/saved"),
        source: Some(FeedSource::File(
            Path::new(HOME_CONFIG).join("saved/feed.xml"),
        )),
        section: None,
        fetch: FetchOptions::default(),
        location: "config.toml:6:8".to_owned(),
    };
    assert_eq!(config.feeds, vec![expected]);
}

#[test]
fn pages_and_web_feeds_side_by_side() {
    let config = fixture("mixed-pages-and-feeds.toml");
    let [pages, web, local] = config.feeds.as_slice() else {
        panic!("expected three feeds, got {:?}", config.feeds);
    };
    assert_eq!(pages.kind, FeedKind::Pages);
    assert_eq!(
        pages.path,
        Path::new(HOME_CONFIG).join("feeds/zhumadian-daily")
    );
    assert_eq!(pages.source, None);
    assert_eq!(pages.fetch, FetchOptions::default());

    assert_eq!(web.kind, FeedKind::Feed);
    assert_eq!(web.path, Path::new(HOME_CONFIG).join("feeds/people"));
    assert_eq!(
        web.source,
        Some(FeedSource::Url(
            "HTTP://Example.com:8080/feed.json?lang=zh#top".to_owned()
        ))
    );
    let fetch = FetchOptions {
        interval_minutes: Some(10_080),
        max_items: Some(100_000),
        headers: vec![("Accept".to_owned(), "application/feed+json".to_owned())],
        ..FetchOptions::default()
    };
    assert_eq!(web.fetch, fetch);
    assert_eq!(web.location, "config.toml:12:7");

    assert_eq!(local.path, PathBuf::from("/var/lib/kanbao/local-atom"));
    assert_eq!(
        local.source,
        Some(FeedSource::File(PathBuf::from("/srv/feeds/atom.xml")))
    );
    let fetch = FetchOptions {
        timeout_secs: 600,
        max_bytes: 1024 * 1024 * 1024,
        ..FetchOptions::default()
    };
    assert_eq!(local.fetch, fetch);
}

fn one_web_feed(config_path: &str, lines: &str) -> FeedConfig {
    let text = format!("[[feeds]]\nid = \"w\"\ntitle = \"网\"\nkind = \"feed\"\n{lines}\n");
    let config = config::parse(&text, Path::new(config_path), "my.toml")
        .unwrap_or_else(|error| panic!("{error}"));
    let [feed] = <[FeedConfig; 1]>::try_from(config.feeds).expect("one feed");
    feed
}

#[rstest]
#[case::default_store_next_to_the_config("/etc/kanbao/config.toml", "", "/etc/kanbao/feeds/w")]
#[case::default_store_relative_config("conf/kanbao.toml", "", "conf/feeds/w")]
#[case::default_store_working_directory("config.toml", "", "feeds/w")]
#[case::store_relative("/etc/kanbao/config.toml", "store = \"news/w\"", "/etc/kanbao/news/w")]
#[case::store_absolute("/etc/kanbao/config.toml", "store = \"/srv/w\"", "/srv/w")]
fn web_feed_stores_resolve_against_the_config_folder(
    #[case] config_path: &str,
    #[case] store: &str,
    #[case] expected: &str,
) {
    let lines = format!("url = \"https://example.com/feed\"\n{store}");
    assert_eq!(
        one_web_feed(config_path, &lines).path,
        PathBuf::from(expected)
    );
}

#[rstest]
#[case::interval("interval = 1")]
#[case::timeout("timeout = 1")]
#[case::max_items("max_items = 1")]
#[case::max_size("max_size = 1")]
#[case::no_headers("headers = {}")]
#[case::empty_header_value("headers = { X-Empty = \"\" }")]
#[case::https_upper_case("url = \"HTTPS://example.com\"")]
#[case::host_only("url = \"http://example.com\"")]
fn web_feed_accepts_the_smallest_values(#[case] line: &str) {
    let lines = if line.starts_with("url") {
        line.to_owned()
    } else {
        format!("url = \"https://example.com/feed\"\n{line}")
    };
    one_web_feed("config.toml", &lines);
}

#[test]
fn web_feed_numbers_are_read_in_their_units() {
    let feed = one_web_feed(
        "config.toml",
        "url = \"https://example.com/feed\"\ninterval = 1\ntimeout = 1\nmax_items = 1\nmax_size = 1",
    );
    let expected = FetchOptions {
        interval_minutes: Some(1),
        timeout_secs: 1,
        max_items: Some(1),
        max_bytes: 1024 * 1024,
        headers: Vec::new(),
        keep_days: 1,
    };
    assert_eq!(feed.fetch, expected);
}

#[test]
fn every_kind_name_parses() {
    for kind in FeedKind::ALL {
        // An e-paper site is fetched from its url; the others can be read
        // from a path.
        let from = match kind {
            FeedKind::Epaper => "url = \"https://p.example/{yyyy}{mm}/{dd}/node_01.html\"",
            _ => "path = \"a\"",
        };
        let text = format!(
            "[[feeds]]\nid = \"a\"\ntitle = \"甲报\"\nkind = {:?}\n{from}\n",
            kind.name()
        );
        let config = parse(&text).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(config.feeds[0].kind, kind);
    }
}

#[test]
fn columns_count_characters() {
    let error = parse("[[feeds]]\ntitle = \"驻马店\"\nid = \"a b\"\n").expect_err("bad id");
    assert_eq!(error.location(), Some("config.toml:3:6"));
    let error = parse("[[feeds]]\nid = \"a\"\ntitle = \"驻马店\" x\n").expect_err("syntax");
    assert_eq!(error.location(), Some("config.toml:3:15"));
}

#[test]
fn load_names_a_missing_file() {
    let dir = TempDir::new().expect("temp dir");
    let error = config::load(&dir.path().join("nope.toml"), "nope.toml").expect_err("missing");
    assert_eq!(
        error.to_string(),
        "nope.toml: no such file; check the path, or pass --config PATH"
    );
}

#[test]
fn load_refuses_a_folder() {
    let dir = TempDir::new().expect("temp dir");
    let error = config::load(dir.path(), "conf").expect_err("folder");
    assert_eq!(
        error.to_string(),
        "conf: is a folder; name the config file itself"
    );
}

#[test]
fn load_reports_invalid_utf8_with_its_place() {
    let dir = TempDir::new().expect("temp dir");
    let path = dir.path().join("config.toml");
    fs::write(&path, b"[text]\nindent = 2 # \xe7\xbc\xa9\xff\n").expect("write");
    let error = config::load(&path, "config.toml").expect_err("not UTF-8");
    assert_eq!(
        error.to_string(),
        "config.toml:2:15: not valid UTF-8; save the file as UTF-8"
    );
}

#[test]
fn load_accepts_a_byte_order_mark() {
    let dir = TempDir::new().expect("temp dir");
    let path = dir.path().join("config.toml");
    fs::write(&path, "\u{feff}[text]\nindent = 4\n").expect("write");
    let config = config::load(&path, "config.toml").unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(config.text.indent, 4);
    assert_eq!(config.path, path);
    assert_eq!(config.display, "config.toml");
}

#[test]
fn errors_are_one_line() {
    for path in fixtures("invalid") {
        if let Err(error) = parse(&read(&path)) {
            let shown = error.to_string();
            assert!(!shown.contains('\n'), "{}: {shown:?}", path.display());
            assert!(
                !shown.starts_with("kanbao"),
                "{}: {shown:?}",
                path.display()
            );
        }
    }
}

proptest! {
    #[test]
    fn arbitrary_text_gives_a_config_or_a_one_line_error(
        text in "[\\[\\]a-z_=\"'.,{}#0-9 \n\t驻—-]{0,120}",
    ) {
        if let Err(error) = parse(&text) {
            prop_assert!(!error.to_string().contains('\n'), "{error}");
        }
    }

    #[test]
    fn cut_off_shipped_config_gives_a_config_or_a_one_line_error(cut in 0usize..5000) {
        let shipped = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("config.toml"));
        let end = shipped.char_indices().map(|(i, _)| i).nth(cut).unwrap_or(shipped.len());
        if let Err(error) = parse(&shipped[..end]) {
            prop_assert!(!error.to_string().contains('\n'), "{error}");
        }
    }
}

/// A temporary home with an XDG config folder and a working directory, all empty.
struct Places {
    _root: TempDir,
    home: PathBuf,
    xdg_file: PathBuf,
    work: PathBuf,
}

impl Places {
    fn new() -> Self {
        let root = TempDir::new().expect("temp dir");
        let home = root.path().join("home");
        let work = root.path().join("work");
        fs::create_dir_all(home.join(".config/kanbao")).expect("xdg folder");
        fs::create_dir_all(&work).expect("work folder");
        let xdg_file = home.join(".config/kanbao/config.toml");
        Places {
            _root: root,
            home,
            xdg_file,
            work,
        }
    }

    fn env(&self) -> SearchEnv {
        SearchEnv {
            kanbao_config: None,
            xdg_config_home: None,
            home: Some(self.home.clone().into()),
            local_dir: self.work.clone(),
        }
    }
}

fn touch(path: &Path) -> PathBuf {
    fs::write(path, "").expect("write config");
    path.to_path_buf()
}

#[test]
fn explicit_path_comes_first() {
    let places = Places::new();
    let explicit = touch(&places.work.join("mine.toml"));
    let mut env = places.env();
    env.kanbao_config = Some(touch(&places.work.join("env.toml")).into());
    touch(&places.xdg_file);
    let found = locate_in(Some(&explicit), &env).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(found, (explicit, ConfigSource::Explicit));
}

#[test]
fn explicit_missing_file_is_an_error() {
    let places = Places::new();
    touch(&places.xdg_file);
    let missing = Path::new("/nonexistent/kanbao.toml");
    let error = locate_in(Some(missing), &places.env()).expect_err("missing");
    assert_eq!(
        error.to_string(),
        "--config /nonexistent/kanbao.toml: no such file; \
         check the path, or leave out --config to search the default places"
    );
}

#[test]
fn env_var_comes_before_the_default_places() {
    let places = Places::new();
    let named = touch(&places.work.join("env.toml"));
    touch(&places.xdg_file);
    let mut env = places.env();
    env.kanbao_config = Some(named.clone().into());
    let found = locate_in(None, &env).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(found, (named, ConfigSource::Env));
}

#[test]
fn env_var_naming_a_missing_file_is_an_error() {
    let places = Places::new();
    touch(&places.xdg_file);
    let mut env = places.env();
    env.kanbao_config = Some(OsString::from("/nonexistent/kanbao.toml"));
    let error = locate_in(None, &env).expect_err("missing");
    assert_eq!(
        error.to_string(),
        "KANBAO_CONFIG=/nonexistent/kanbao.toml: no such file; \
         fix $KANBAO_CONFIG, or unset it to search the default places"
    );
}

#[test]
fn empty_env_var_is_ignored() {
    let places = Places::new();
    touch(&places.xdg_file);
    let mut env = places.env();
    env.kanbao_config = Some(OsString::new());
    let found = locate_in(None, &env).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(found, (places.xdg_file.clone(), ConfigSource::Xdg));
}

#[test]
fn xdg_config_home_comes_before_the_working_directory() {
    let places = Places::new();
    let config_home = places.home.join("elsewhere");
    fs::create_dir_all(config_home.join("kanbao")).expect("folder");
    let xdg_file = touch(&config_home.join("kanbao/config.toml"));
    touch(&places.xdg_file);
    touch(&places.work.join("config.toml"));
    let mut env = places.env();
    env.xdg_config_home = Some(config_home.into());
    let found = locate_in(None, &env).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(found, (xdg_file, ConfigSource::Xdg));
}

#[test]
fn xdg_config_home_defaults_to_home_dot_config() {
    let places = Places::new();
    touch(&places.xdg_file);
    touch(&places.work.join("config.toml"));
    let found = locate_in(None, &places.env()).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(found, (places.xdg_file.clone(), ConfigSource::Xdg));
}

#[test]
fn relative_xdg_config_home_is_ignored() {
    let places = Places::new();
    touch(&places.xdg_file);
    let mut env = places.env();
    env.xdg_config_home = Some(OsString::from("relative/config"));
    let found = locate_in(None, &env).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(found, (places.xdg_file.clone(), ConfigSource::Xdg));
}

#[test]
fn working_directory_is_the_fallback() {
    let places = Places::new();
    let local = touch(&places.work.join("config.toml"));
    let found = locate_in(None, &places.env()).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(found, (local, ConfigSource::Local));
}

#[test]
fn nothing_found_says_where_it_looked() {
    let places = Places::new();
    let error = locate_in(None, &places.env()).expect_err("nothing there");
    let xdg = places.xdg_file.display();
    let local = places.work.join("config.toml");
    assert_eq!(
        error.to_string(),
        format!(
            "no config.toml found (looked in {xdg} and {}); \
             run `kanbao init` to write a commented one to {xdg}, \
             or pass --config PATH, or set $KANBAO_CONFIG",
            local.display()
        )
    );
    // And that is where kanbao init writes.
    assert_eq!(
        config::init_path(None, &places.env()),
        Ok(places.xdg_file.clone())
    );
}

#[test]
fn nothing_found_without_home() {
    let places = Places::new();
    let env = SearchEnv {
        home: None,
        ..places.env()
    };
    let error = locate_in(None, &env).expect_err("nothing there");
    let local = places.work.join("config.toml");
    assert_eq!(
        error.to_string(),
        format!(
            "no config.toml found (looked in {0}; $HOME is not set); \
             run `kanbao init --config {0}` to write a commented one there, \
             or pass --config PATH, or set $KANBAO_CONFIG",
            local.display()
        )
    );
    assert_eq!(
        config::init_path(None, &env).map_err(|e| e.to_string()),
        Err(
            "no config folder: neither $XDG_CONFIG_HOME nor $HOME is set; set $HOME, \
             or name the file with kanbao init --config PATH"
                .to_owned()
        )
    );
}

#[test]
fn kanbao_init_writes_where_kanbao_looks_first() {
    let places = Places::new();
    let named = places.work.join("named.toml");
    assert_eq!(
        config::init_path(Some(&named), &places.env()),
        Ok(named.clone())
    );
    let env = SearchEnv {
        kanbao_config: Some(named.clone().into_os_string()),
        ..places.env()
    };
    assert_eq!(config::init_path(None, &env), Ok(named));
    let env = SearchEnv {
        kanbao_config: Some(OsString::new()),
        ..places.env()
    };
    assert_eq!(config::init_path(None, &env), Ok(places.xdg_file.clone()));
}

/// The lines of `text` from the one that is `first` to the next blank
/// line, with their `# ` taken away.
fn uncommented(text: &str, first: &str) -> String {
    text.lines()
        .skip_while(|l| *l != first)
        .take_while(|l| !l.is_empty())
        .map(|l| format!("{}\n", l.strip_prefix("# ").unwrap_or(l)))
        .collect()
}

/// `text` with its commented-out `# key = value` lines in use.
fn options_on(text: &str) -> String {
    text.lines()
        .map(|l| match l.strip_prefix("# ") {
            Some(option) if option.contains(" = ") => format!("{option}\n"),
            _ => format!("{l}\n"),
        })
        .collect()
}

#[test]
fn the_config_kanbao_init_writes_is_valid_and_so_are_its_examples() {
    let written = parse(config::INIT_TEXT).unwrap_or_else(|e| panic!("{e}"));
    assert!(written.feeds.is_empty(), "no feed until the user adds one");
    assert_eq!(written.text, TextOptions::default());
    assert_eq!(written.theme, Theme::default());

    let web = uncommented(config::INIT_TEXT, "# [[feeds]]");
    assert!(web.starts_with("[[feeds]]\nid = \"renmin\"\n"), "{web}");
    let parsed = parse(&web).unwrap_or_else(|e| panic!("{e}\n{web}"));
    assert_eq!(parsed.feeds[0].kind, FeedKind::Feed);
    // The optional lines, uncommented too.
    let all = options_on(&web);
    let parsed = parse(&all).unwrap_or_else(|e| panic!("{e}\n{all}"));
    assert_eq!(parsed.feeds[0].section.as_deref(), Some("要闻"));
    assert_eq!(parsed.feeds[0].fetch.interval_minutes, Some(30));

    let pages_at = config::INIT_TEXT
        .rfind("# [[feeds]]")
        .expect("a second example");
    let pages = uncommented(&config::INIT_TEXT[pages_at..], "# [[feeds]]");
    let pages = options_on(&pages);
    let parsed = parse(&pages).unwrap_or_else(|e| panic!("{e}\n{pages}"));
    let feed = &parsed.feeds[0];
    assert_eq!((feed.id.as_str(), feed.kind), ("my-paper", FeedKind::Pages));
    assert_eq!(feed.path, Path::new(HOME_CONFIG).join("feeds/my-paper"));
    assert_eq!(feed.section.as_deref(), Some("要闻"));
}

/// `kind = "epaper"` (issue 14): the url with its date placeholders,
/// `keep`, and what the kind does not take.
#[rstest]
#[case::unknown_placeholder(
    "url = \"https://p.example/{yyyy}/{month}/node_01.html\"",
    "config.toml:5:7: url for feed \"rb\" has an unknown placeholder {month}; the date is written {yyyy}, {yy}, {mm}, {m}, {dd} or {d}"
)]
#[case::path(
    "path = \"saved\"",
    "config.toml:5:8: feed \"rb\" has kind \"epaper\", which fetches from the paper's site; remove path and give url = \"https://…/node_01.html\""
)]
#[case::keep_too_long(
    "url = \"https://p.example/{yyyy}{mm}/{dd}/node_01.html\"\nkeep = 400",
    "config.toml:6:8: \"keep\" for feed \"rb\" must be 1-366 (days), found 400; write a number in that range, or remove the line to fetch today's edition only"
)]
fn epaper_feeds_are_checked(#[case] lines: &str, #[case] message: &str) {
    let text = format!("[[feeds]]\nid = \"rb\"\ntitle = \"样报\"\nkind = \"epaper\"\n{lines}\n");
    match parse(&text) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => assert_eq!(e.to_string(), message),
    }
}

#[test]
fn an_epaper_feed_is_read_with_its_keep() {
    let text = "[[feeds]]\nid = \"rb\"\ntitle = \"样报\"\nkind = \"epaper\"\n\
                url = \"https://p.example/{yyyy}{mm}/{dd}/node_01.html\"\nkeep = 7\n";
    let config = parse(text).unwrap_or_else(|e| panic!("{e}"));
    let feed = &config.feeds[0];
    assert_eq!(feed.kind, FeedKind::Epaper);
    assert_eq!(feed.fetch.keep_days, 7);
    assert_eq!(feed.path, Path::new(HOME_CONFIG).join("feeds/rb"));
    assert_eq!(
        config::expand_date("https://p.example/{yyyy}{mm}/{dd}/{yy}-{m}-{d}", 2031, 5, 6),
        Ok("https://p.example/203105/06/31-5-6".to_owned())
    );
    let keep_on_a_web_feed = text.replace("epaper", "feed");
    assert!(parse(&keep_on_a_web_feed).err().is_some_and(|e| {
        e.to_string()
            .contains("\"keep\" is only for kind \"epaper\"")
    }),);
}

/// The example a config without feeds is shown, as shown: the lines
/// indented by four spaces, dedented.
fn shown_example(message: &str) -> String {
    message
        .lines()
        .filter_map(|line| line.strip_prefix("    "))
        .map(|line| format!("{line}\n"))
        .collect()
}

#[test]
fn the_example_shown_to_a_config_without_feeds_is_a_valid_feed() {
    let message = config::no_feeds_message("config.toml");
    assert!(
        message.starts_with("config.toml has no feeds. Add a [[feeds]] table to it"),
        "{message}"
    );
    let example = shown_example(&message);
    assert_eq!(example, config::FEEDS_EXAMPLE);

    let parsed = parse(&example).unwrap_or_else(|e| panic!("{e}\n{example}"));

    assert_eq!(parsed.feeds.len(), 1);
    let feed = &parsed.feeds[0];
    assert_eq!(
        (feed.id.as_str(), feed.title.as_str()),
        ("renmin", "人民网")
    );
    assert_eq!(feed.kind, FeedKind::Feed);
    assert_eq!(
        feed.source,
        Some(FeedSource::Url("https://example.com/rss.xml".to_owned()))
    );
    // The pages variant the message describes is valid too.
    let pages = example
        .replace("kind = \"feed\"", "kind = \"pages\"")
        .replace(
            "url = \"https://example.com/rss.xml\"",
            "path = \"feeds/renmin\"",
        );
    let parsed = parse(&pages).unwrap_or_else(|e| panic!("{e}\n{pages}"));
    assert_eq!(parsed.feeds[0].kind, FeedKind::Pages);
    // And the config the message is for: none of them.
    assert_eq!(parse("[text]\nindent = 2\n").map(|c| c.feeds.len()), Ok(0));
}
