//! Issue 18: feed dates as real feeds write them, end to end.
//!
//! Every spelling (a wrong weekday, `2023-10-01 08:00`, `2023年10月01日
//! 08:00`, and each zone: `+0800`, `+08`, `+08:00`, `GMT+8`, `CST`, none)
//! in every element that carries a date (RSS `pubDate`, `dc:date`, Atom
//! `updated` and `published`) gives the item its day and time, through
//! `kanbao parse --json` and through `kanbao fetch` from a 127.0.0.1
//! server into the stored item. A date that cannot be read keeps its item
//! undated and is a warning naming the feed, the item and the text: in
//! `parse`, in `fetch`'s output, and in the library's warnings (loaded
//! directly and through the index).

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::run::Run;
use common::server::{Response, Server};
use kanbao::library::Library;
use kanbao::model::UNDATED;
use serde_json::Value;
use tempfile::TempDir;

/// 1 October 2023, 08:00 in Beijing, as every spelling below means it.
const PUBLISHED: &str = "2023-10-01T08:00:00+08:00";

/// The dates of 08:00 on 1 October 2023 in China, as feeds write them:
/// each date form with each zone spelling. 1 October 2023 was a Sunday,
/// so `Mon` is wrong and must be ignored.
fn spellings() -> Vec<String> {
    let forms = [
        "Mon, 01 Oct 2023 08:00:00",
        "2023-10-01 08:00",
        "2023年10月01日 08:00",
    ];
    let zones = ["+0800", "+08", "+08:00", "GMT+8", "CST", ""];
    let mut out = Vec::new();
    for form in forms {
        for zone in zones {
            out.push(format!("{form} {zone}").trim_end().to_owned());
        }
    }
    out
}

/// Where each element puts a date, and the feed it makes of items.
#[derive(Clone, Copy, Debug)]
enum Element {
    PubDate,
    DcDate,
    AtomUpdated,
    AtomPublished,
}

impl Element {
    const ALL: [Element; 4] = [
        Element::PubDate,
        Element::DcDate,
        Element::AtomUpdated,
        Element::AtomPublished,
    ];

    fn name(self) -> &'static str {
        match self {
            Element::PubDate => "pubDate",
            Element::DcDate => "dc:date",
            Element::AtomUpdated => "updated",
            Element::AtomPublished => "published",
        }
    }

    /// A feed of one item per date, titled `<element> <n>`, linked to
    /// `http://127.0.0.1/<element>/<n>`.
    fn feed(self, dates: &[String]) -> String {
        let name = self.name();
        let slug = name.replace(':', "-");
        let entries: String = dates
            .iter()
            .enumerate()
            .map(|(n, date)| {
                let link = format!("http://127.0.0.1/{slug}/{n}");
                match self {
                    Element::PubDate | Element::DcDate => format!(
                        "<item><title>{name} {n}</title><link>{link}</link>\
                         <{name}>{date}</{name}></item>\n"
                    ),
                    Element::AtomUpdated | Element::AtomPublished => format!(
                        "<entry><title>{name} {n}</title><id>{link}</id>\
                         <link href=\"{link}\"/><{name}>{date}</{name}></entry>\n"
                    ),
                }
            })
            .collect();
        match self {
            Element::PubDate | Element::DcDate => rss(&entries),
            Element::AtomUpdated | Element::AtomPublished => format!(
                "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
                 <feed xmlns=\"http://www.w3.org/2005/Atom\"><title>样报</title>\
                 <id>http://127.0.0.1/</id>\n{entries}</feed>\n"
            ),
        }
    }
}

fn rss(items: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel><title>样报</title>\n\
         {items}</channel></rss>\n"
    )
}

/// A temporary folder with a config of one web feed `news` read from `url`.
struct Archive {
    dir: TempDir,
}

impl Archive {
    fn new(url: &str) -> Archive {
        let dir = TempDir::new().expect("create a temporary folder");
        let config = format!(
            "[[feeds]]\nid = \"news\"\ntitle = \"江城日报\"\nkind = \"feed\"\n\
             url = \"{url}\"\nstore = \"store\"\n"
        );
        fs::write(dir.path().join("config.toml"), config).expect("write config.toml");
        Archive { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn library(&self) -> Library {
        let path = self.path().join("config.toml");
        let text = fs::read_to_string(&path).expect("read config.toml");
        let config = kanbao::config::parse(&text, &path, "config.toml")
            .unwrap_or_else(|e| panic!("config.toml: {e}"));
        Library::load(&config)
    }

    fn kanbao(&self, args: &[&str]) -> Run {
        let mut command = kanbao_in(self.path());
        command
            .arg("--config")
            .arg(self.path().join("config.toml"))
            .args(args);
        Run::of(&mut command)
    }
}

/// The binary, with HOME and the XDG folders inside `dir`.
fn kanbao_in(dir: &Path) -> Command {
    let home = dir.join("home");
    let mut command = Command::new(env!("CARGO_BIN_EXE_kanbao"));
    command
        .current_dir(dir)
        .env_remove("KANBAO_CONFIG")
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_STATE_HOME", home.join(".local/state"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("XDG_CACHE_HOME", home.join(".cache"));
    command
}

/// `kanbao parse --json FILE…`.
fn parse(dir: &Path, files: &[PathBuf]) -> Value {
    let run = Run::of(kanbao_in(dir).arg("parse").arg("--json").args(files));
    assert_eq!(run.code, 0, "{run:?}");
    run.json()
}

/// Each article's title with its date and its time published.
fn dated(json: &Value) -> Vec<(String, Value, Value)> {
    json["articles"]
        .as_array()
        .expect("articles")
        .iter()
        .map(|a| {
            let title = a["title"].as_str().unwrap_or_default().to_owned();
            (title, a["date"].clone(), a["published"].clone())
        })
        .collect()
}

/// What every spelling must give each item of `element`'s feed.
fn expected(element: Element) -> Vec<(String, Value, Value)> {
    (0..spellings().len())
        .map(|n| {
            (
                format!("{} {n}", element.name()),
                Value::from("2023-10-01"),
                Value::from(PUBLISHED),
            )
        })
        .collect()
}

fn strings(json: &Value) -> Vec<String> {
    json.as_array()
        .expect("an array")
        .iter()
        .map(|w| w.as_str().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn every_spelling_in_every_date_element_is_read_by_parse() {
    let dir = TempDir::new().expect("temporary folder");
    let dates = spellings();
    for element in Element::ALL {
        let file = dir.path().join("feed.xml");
        fs::write(&file, element.feed(&dates)).expect("write the feed");
        let json = parse(dir.path(), &[file]);
        assert_eq!(dated(&json), expected(element), "{element:?}");
        assert_eq!(json["warnings"], Value::Array(Vec::new()), "{element:?}");
    }
}

#[test]
fn every_spelling_in_every_date_element_is_stored_by_fetch() {
    let dates = spellings();
    for element in Element::ALL {
        let server = Server::start();
        server.route(
            "/feed.xml",
            Response::ok(element.feed(&dates)).header("Content-Type", "application/xml"),
        );
        let archive = Archive::new(&server.url("/feed.xml"));
        let fetched = archive.kanbao(&["fetch"]);
        assert_eq!(fetched.code, 0, "{fetched:?}");
        assert_eq!(
            fetched.stderr,
            format!("news: {} new, 0 updated, 0 unchanged\n", dates.len())
        );

        let listed = archive.kanbao(&["list", "--json"]);
        assert_eq!(listed.code, 0, "{listed:?}");
        let mut got = dated(&listed.json());
        got.sort_by_key(|(title, _, _)| {
            title
                .rsplit(' ')
                .next()
                .and_then(|n| n.parse::<usize>().ok())
        });
        assert_eq!(got, expected(element), "{element:?}");
        // The stored item keeps the feed's own clock.
        let store = archive.path().join("store");
        for entry in fs::read_dir(&store).expect("the store").flatten() {
            if entry.path().extension().is_some_and(|e| e == "txt") {
                let text = fs::read_to_string(entry.path()).expect("an item file");
                assert!(
                    text.contains(&format!("published = \"{PUBLISHED}\"")),
                    "{element:?}: {text}"
                );
            }
        }
    }
}

/// A feed with a dated item and one whose date cannot be read, in `element`.
fn unreadable(element: Element) -> String {
    let dates = ["2023-10-01 08:00".to_owned(), "sometime soon".to_owned()];
    element.feed(&dates)
}

/// The warning an item `<element> 1` with the date `sometime soon` gives.
fn item_warning(element: Element) -> String {
    let name = element.name();
    let slug = name.replace(':', "-");
    format!(
        "item \"{name} 1\" (http://127.0.0.1/{slug}/1): cannot read its date \
         \"sometime soon\"; kept, listed under {UNDATED}"
    )
}

#[test]
fn an_unreadable_date_keeps_the_item_and_parse_warns_naming_file_item_and_text() {
    let dir = TempDir::new().expect("temporary folder");
    for element in Element::ALL {
        let file = dir.path().join("feed.xml");
        fs::write(&file, unreadable(element)).expect("write the feed");
        let json = parse(dir.path(), std::slice::from_ref(&file));
        let name = element.name();
        assert_eq!(
            dated(&json),
            [
                (
                    format!("{name} 0"),
                    Value::from("2023-10-01"),
                    Value::from(PUBLISHED)
                ),
                (format!("{name} 1"), Value::Null, Value::Null),
            ],
            "{element:?}"
        );
        assert_eq!(
            strings(&json["warnings"]),
            [format!("{}: {}", file.display(), item_warning(element))],
            "{element:?}"
        );
    }
}

#[test]
fn an_unreadable_date_fetched_is_said_by_fetch_and_kept_in_the_library_warnings() {
    let element = Element::PubDate;
    let server = Server::start();
    server.route(
        "/feed.xml",
        Response::ok(unreadable(element)).header("Content-Type", "application/rss+xml"),
    );
    let archive = Archive::new(&server.url("/feed.xml"));

    let fetched = archive.kanbao(&["fetch"]);

    assert_eq!(fetched.code, 0, "{fetched:?}");
    assert_eq!(
        fetched.stderr_lines(),
        [
            format!("news: warning: {}", item_warning(element)).as_str(),
            "news: 2 new, 0 updated, 0 unchanged",
        ]
    );
    // Loaded directly: the warning names the feed, the item and the text,
    // and is attached to the item's file.
    let library = archive.library();
    assert_eq!(library.articles.len(), 2);
    let undated = library
        .articles
        .iter()
        .find(|a| a.date.is_none())
        .expect("the undated item is kept");
    let message = format!("feed \"news\": {}", item_warning(element));
    let warnings: Vec<(String, String)> = library
        .warnings
        .iter()
        .map(|w| (w.path.clone(), w.message.clone()))
        .collect();
    assert_eq!(warnings, [(undated.source.path.clone(), message.clone())]);
    // Through the index, twice (built, then read back): the same warning.
    for _ in 0..2 {
        let listed = archive.kanbao(&["list", "--json"]);
        assert_eq!(listed.code, 0, "{listed:?}");
        assert_eq!(
            strings(&listed.json()["warnings"]),
            // The item's line in its day's file.
            [format!(
                "{}:{}: {message}",
                undated.source.path, undated.source.first_line
            )]
        );
    }
    // Fetched again (nothing changed): still said, nothing rewritten.
    let again = archive.kanbao(&["fetch", "--force"]);
    assert_eq!(
        again.stderr_lines(),
        [
            format!("news: warning: {}", item_warning(element)).as_str(),
            "news: 0 new, 0 updated, 2 unchanged",
        ]
    );
}

/// A feed of items `(title, category, pubDate)`; no pubDate when empty.
fn categorised(items: &[(&str, &str, &str)]) -> String {
    let items: String = items
        .iter()
        .enumerate()
        .map(|(n, (title, category, date))| {
            let date = if date.is_empty() {
                String::new()
            } else {
                format!("<pubDate>{date}</pubDate>")
            };
            format!(
                "<item><title>{title}</title><link>http://127.0.0.1/n/{n}</link>\
                 <category>{category}</category>{date}</item>\n"
            )
        })
        .collect();
    rss(&items)
}

/// Fetches `feed` from a 127.0.0.1 server into a fresh archive.
fn fetched(feed: &str) -> (Server, Archive) {
    let server = Server::start();
    server.route(
        "/feed.xml",
        Response::ok(feed).header("Content-Type", "application/rss+xml"),
    );
    let archive = Archive::new(&server.url("/feed.xml"));
    let run = archive.kanbao(&["fetch"]);
    assert_eq!(run.code, 0, "{run:?}");
    (server, archive)
}

/// Each group of the library: its date, section and titles.
fn groups(library: &Library) -> Vec<(Option<String>, Option<String>, Vec<String>)> {
    library
        .groups()
        .iter()
        .map(|g| {
            let titles = library.articles[g.articles.clone()]
                .iter()
                .map(|a| a.display_title().to_owned())
                .collect();
            (
                g.date.map(str::to_owned),
                g.section.map(str::to_owned),
                titles,
            )
        })
        .collect()
}

/// `kanbao list`'s group headings.
fn headings(run: &Run) -> Vec<&str> {
    run.stdout
        .lines()
        .filter(|l| !l.starts_with(' ') && !l.is_empty())
        .collect()
}

#[test]
fn undated_items_of_interleaved_sections_make_one_group_per_section() {
    let (_server, archive) = fetched(&categorised(&[
        ("要闻一", "要闻", ""),
        ("国际一", "国际", ""),
        ("要闻二", "要闻", ""),
        ("国际二", "国际", ""),
    ]));

    let mut got = groups(&archive.library());
    got.sort();
    for (_, _, titles) in &mut got {
        titles.sort();
    }
    let group = |section: &str, titles: [&str; 2]| {
        (
            None,
            Some(section.to_owned()),
            titles.map(str::to_owned).to_vec(),
        )
    };
    assert_eq!(
        got,
        [
            group("国际", ["国际一", "国际二"]),
            group("要闻", ["要闻一", "要闻二"])
        ]
    );

    let listed = archive.kanbao(&["list"]);
    assert_eq!(listed.code, 0, "{listed:?}");
    let mut heads = headings(&listed);
    heads.sort_unstable();
    assert_eq!(
        heads,
        [
            "江城日报 · 日期不详 · 国际 · 2 articles",
            "江城日报 · 日期不详 · 要闻 · 2 articles",
        ],
        "{}",
        listed.stdout
    );
}

#[test]
fn items_of_one_date_are_grouped_by_section_newest_section_first() {
    let (_server, archive) = fetched(&categorised(&[
        ("要闻一", "要闻", "2023-10-01 10:00"),
        ("国际一", "国际", "2023-10-01 09:00"),
        ("要闻二", "要闻", "2023-10-01 08:00"),
        ("国际二", "国际", "2023-10-01 07:00"),
        ("昨日", "要闻", "2023-09-30 23:00"),
    ]));
    let day = |d: &str| Some(d.to_owned());
    let titles = |t: &[&str]| t.iter().map(|t| (*t).to_owned()).collect::<Vec<_>>();
    let expected = [
        (
            day("2023-10-01"),
            day("要闻"),
            titles(&["要闻一", "要闻二"]),
        ),
        (
            day("2023-10-01"),
            day("国际"),
            titles(&["国际一", "国际二"]),
        ),
        (day("2023-09-30"), day("要闻"), titles(&["昨日"])),
    ];

    assert_eq!(groups(&archive.library()), expected);

    // The CLI, through the index, lists the same groups in the same order,
    // and list --json the articles in that order.
    for _ in 0..2 {
        let listed = archive.kanbao(&["list"]);
        assert_eq!(
            headings(&listed),
            [
                "江城日报 · 2023-10-01 · 要闻 · 2 articles",
                "江城日报 · 2023-10-01 · 国际 · 2 articles",
                "江城日报 · 2023-09-30 · 要闻 · 1 article",
            ],
            "{}",
            listed.stdout
        );
        let json = archive.kanbao(&["list", "--json"]).json();
        let order: Vec<&str> = json["articles"]
            .as_array()
            .expect("articles")
            .iter()
            .filter_map(|a| a["title"].as_str())
            .collect();
        assert_eq!(order, ["要闻一", "要闻二", "国际一", "国际二", "昨日"]);
    }
}
