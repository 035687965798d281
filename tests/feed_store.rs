//! A web feed's store as day bundles (issue 15): a fetch writes one
//! `items-YYYY-MM-DD.txt` per day (`items-undated.txt` for items of no
//! date) instead of one file per item; a fetch again rewrites only the days
//! whose items changed and never stores an item twice; an item's article
//! id is the one it had as a file of its own, so read marks keep pointing
//! at it; a store written one file per item still reads, and fetching into
//! it moves only changed items into bundles, removing their old files; a
//! delimiter line in an item's own text does not split it; `kanbao list`,
//! `show` and grep find bundled items.
//!
//! The feed is served by the tests' HTTP server on 127.0.0.1; fetches go
//! through `fetch_feed` (for its report) or the `kanbao` binary, and the
//! store is read back with `kanbao list --json` and `show`.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::run::Run;
use common::server::{Response, Server};
use kanbao::feed::fetch::{Outcome, fetch_feed};
use kanbao::feed::store::StoreReport;
use kanbao::source::{bundle, feed_file, item::Item};
use serde_json::Value;
use tempfile::TempDir;

const FEED_PATH: &str = "/rss.xml";

/// One item of a test feed.
#[derive(Clone)]
struct Entry {
    guid: String,
    title: String,
    /// `pubDate` as RFC 2822; `None`: the item has no date.
    date: Option<String>,
    paragraphs: Vec<String>,
}

fn entry(n: usize, day: Option<u32>) -> Entry {
    Entry {
        guid: format!("https://kb.example.cn/news/{n:03}.html"),
        title: format!("第{n}条消息"),
        date: day.map(|d| format!("Sun, 0{d} Mar 2024 {:02}:30:00 +0800", 8 + n % 10)),
        paragraphs: vec![format!("本报讯 第{n}条消息的正文，全市科技工作会议召开。")],
    }
}

/// Seven items: two on each of 1, 2 and 3 March 2024, one undated.
fn entries() -> Vec<Entry> {
    let days = [Some(1), Some(1), Some(2), Some(2), Some(3), Some(3), None];
    days.iter().enumerate().map(|(n, d)| entry(n, *d)).collect()
}

fn rss(entries: &[Entry]) -> String {
    let mut items = String::new();
    for e in entries {
        let body: String = (e.paragraphs.iter())
            .map(|p| format!("<p>{}</p>", xml_escape(p)))
            .collect();
        let date = e
            .date
            .as_ref()
            .map(|d| format!("<pubDate>{d}</pubDate>"))
            .unwrap_or_default();
        items.push_str(&format!(
            "<item><title>{}</title><link>{}</link><guid>{}</guid>{date}\
             <description><![CDATA[{body}]]></description></item>\n",
            xml_escape(&e.title),
            e.guid,
            e.guid
        ));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>\
         <title>江城日报</title><link>https://kb.example.cn/</link>\n{items}</channel></rss>\n"
    )
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A temporary folder with a `config.toml` for one web feed `news`, its
/// store in `store/`, and a `home` for HOME and the XDG folders.
struct Archive {
    dir: TempDir,
    url: String,
}

impl Archive {
    fn new(server: &Server) -> Archive {
        let dir = TempDir::new().expect("create a temporary folder");
        let url = server.url(FEED_PATH);
        let config = format!(
            "[[feeds]]\nid = \"news\"\ntitle = \"江城日报\"\nkind = \"feed\"\n\
             url = \"{url}\"\nstore = \"store\"\n"
        );
        fs::write(dir.path().join("config.toml"), config).expect("write config.toml");
        Archive { dir, url }
    }

    fn store(&self) -> PathBuf {
        self.dir.path().join("store")
    }

    fn fetch(&self) -> Outcome {
        let path = self.dir.path().join("config.toml");
        let text = fs::read_to_string(&path).expect("read config.toml");
        let mut config = kanbao::config::parse(&text, &path, "config.toml")
            .unwrap_or_else(|e| panic!("config.toml: {e}"));
        fetch_feed(&config.feeds.remove(0), true)
    }

    /// Writes `entries` the way kanbao stored items before bundles: one
    /// file per item, named from its guid.
    fn write_old_store(&self, entries: &[Entry]) {
        let parsed = feed_file::parse(rss(entries).as_bytes(), None, Some(&self.url))
            .unwrap_or_else(|e| panic!("the test feed: {e}"));
        fs::create_dir_all(self.store()).expect("create the store");
        for item in &parsed.items {
            let path = self.store().join(bundle::file_name(&item.guid));
            fs::write(path, item.to_file()).expect("write an old item file");
        }
    }

    fn kanbao(&self, args: &[&str]) -> Run {
        let home = self.dir.path().join("home");
        Run::of(
            Command::new(env!("CARGO_BIN_EXE_kanbao"))
                .arg("--config")
                .arg(self.dir.path().join("config.toml"))
                .args(args)
                .current_dir(self.dir.path())
                .env_remove("KANBAO_CONFIG")
                .env("HOME", &home)
                .env("XDG_CONFIG_HOME", home.join(".config"))
                .env("XDG_STATE_HOME", home.join(".local/state"))
                .env("XDG_CACHE_HOME", home.join(".cache"))
                .env("XDG_DATA_HOME", home.join(".local/share")),
        )
    }

    /// `kanbao list --json`: title → id, failing on a warning or on a
    /// title listed twice.
    fn ids(&self) -> BTreeMap<String, String> {
        let run = self.kanbao(&["list", "--json"]);
        assert_eq!(run.code, 0, "{run:?}");
        let json = run.json();
        assert_eq!(json["warnings"], Value::Array(Vec::new()), "{run:?}");
        let mut ids = BTreeMap::new();
        for a in json["articles"].as_array().expect("articles") {
            let title = a["title"].as_str().unwrap_or_default().to_owned();
            let id = a["id"].as_str().unwrap_or_default().to_owned();
            assert!(ids.insert(title.clone(), id).is_none(), "{title} twice");
        }
        ids
    }
}

/// The files in a store (without the fetch state): name → (inode, bytes).
fn files(store: &Path) -> BTreeMap<String, (u64, Vec<u8>)> {
    fs::read_dir(store)
        .expect("the store")
        .flatten()
        .filter(|e| e.file_name() != ".fetch.toml")
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let inode = e.metadata().expect("a stored file's metadata").ino();
            (
                name,
                (inode, fs::read(e.path()).expect("read a stored file")),
            )
        })
        .collect()
}

/// The guids in a bundle, in order.
fn bundled_guids(bytes: &[u8]) -> Vec<String> {
    let text = std::str::from_utf8(bytes).expect("a bundle is UTF-8");
    assert!(bundle::is_bundle(text), "not a bundle: {text}");
    bundle::split(text)
        .iter()
        .map(|c| {
            Item::from_file(&c.text)
                .unwrap_or_else(|e| panic!("{e}: {}", c.text))
                .guid
        })
        .collect()
}

fn serve(entries: &[Entry]) -> Server {
    let server = Server::start();
    server.route(FEED_PATH, Response::ok(rss(entries)));
    server
}

fn stored(new: usize, updated: usize, unchanged: usize) -> Outcome {
    Outcome::Stored(StoreReport {
        new,
        updated,
        unchanged,
    })
}

#[test]
fn a_first_fetch_writes_one_bundle_per_day() {
    let feed = entries();
    let server = serve(&feed);
    let archive = Archive::new(&server);
    let run = archive.kanbao(&["fetch"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("7 new"), "{run:?}");

    let files = files(&archive.store());
    assert_eq!(
        files.keys().collect::<Vec<_>>(),
        [
            "items-2024-03-01.txt",
            "items-2024-03-02.txt",
            "items-2024-03-03.txt",
            "items-undated.txt"
        ]
    );
    let guids = |name: &str| bundled_guids(&files[name].1);
    assert_eq!(
        guids("items-2024-03-01.txt"),
        [feed[0].guid.as_str(), feed[1].guid.as_str()]
    );
    assert_eq!(
        guids("items-2024-03-03.txt"),
        [feed[4].guid.as_str(), feed[5].guid.as_str()]
    );
    assert_eq!(guids("items-undated.txt"), [feed[6].guid.as_str()]);
    // Each item as its own file would hold it, after its delimiter line.
    let text = String::from_utf8(files["items-2024-03-02.txt"].1.clone()).expect("UTF-8");
    let first = format!(
        "+++ item {} +++\n+++\nguid = ",
        bundle::guid_hash(&feed[2].guid)
    );
    assert!(text.starts_with(&first), "{text}");

    let ids = archive.ids();
    assert_eq!(ids.len(), 7, "{ids:?}");
    let names: Vec<String> = fs::read_dir(archive.store())
        .expect("the store")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.contains(".tmp-")), "{names:?}");
}

#[test]
fn a_fetch_again_rewrites_only_the_days_that_changed_and_stores_nothing_twice() {
    let mut feed = entries();
    let server = serve(&feed);
    let archive = Archive::new(&server);
    assert_eq!(archive.fetch(), stored(7, 0, 0));
    let before = files(&archive.store());
    let ids = archive.ids();

    // Unchanged: nothing is written.
    assert_eq!(archive.fetch(), stored(0, 0, 7));
    assert_eq!(files(&archive.store()), before);

    // Item 2 (2 March) changes, item 7 (3 March) is new.
    feed[2].paragraphs = vec!["本报讯 更正后的正文。".to_owned()];
    feed.push(entry(7, Some(3)));
    server.route(FEED_PATH, Response::ok(rss(&feed)));
    assert_eq!(archive.fetch(), stored(1, 1, 6));
    let after = files(&archive.store());
    for unchanged in ["items-2024-03-01.txt", "items-undated.txt"] {
        assert_eq!(after[unchanged], before[unchanged], "{unchanged} rewritten");
    }
    for changed in ["items-2024-03-02.txt", "items-2024-03-03.txt"] {
        assert_ne!(
            after[changed].0, before[changed].0,
            "{changed} not rewritten"
        );
    }
    let day2 = String::from_utf8(after["items-2024-03-02.txt"].1.clone()).expect("UTF-8");
    assert!(day2.contains("更正后的正文"), "{day2}");
    assert!(!day2.contains("第2条消息的正文"), "{day2}");
    assert_eq!(
        bundled_guids(&after["items-2024-03-03.txt"].1),
        [
            feed[4].guid.as_str(),
            feed[5].guid.as_str(),
            feed[7].guid.as_str()
        ]
    );

    // Item 0 moves from 1 March to 2 March: it leaves its old day.
    feed[0].date = Some("Sat, 02 Mar 2024 20:00:00 +0800".to_owned());
    server.route(FEED_PATH, Response::ok(rss(&feed)));
    assert_eq!(archive.fetch(), stored(0, 1, 7));
    let moved = files(&archive.store());
    assert_eq!(
        bundled_guids(&moved["items-2024-03-01.txt"].1),
        [feed[1].guid.as_str()]
    );
    assert!(bundled_guids(&moved["items-2024-03-02.txt"].1).contains(&feed[0].guid));

    // No item twice, and every id kept.
    let now = archive.ids();
    assert_eq!(now.len(), 8, "{now:?}");
    for (title, id) in &ids {
        assert_eq!(now.get(title), Some(id), "{title}");
    }
}

#[test]
fn an_item_keeps_the_id_it_had_as_a_file_of_its_own() {
    let feed = entries();
    let server = serve(&feed);
    let bundled = Archive::new(&server);
    assert_eq!(bundled.fetch(), stored(7, 0, 0));
    let old = Archive::new(&server);
    old.write_old_store(&feed);
    assert_eq!(files(&old.store()).len(), 7);
    assert_eq!(bundled.ids(), old.ids());
}

#[test]
fn a_fetch_into_an_old_store_moves_only_changed_items_and_duplicates_none() {
    let mut feed = entries();
    let server = serve(&feed);
    let archive = Archive::new(&server);
    archive.write_old_store(&feed);
    let ids = archive.ids();
    let old_name = |e: &Entry| bundle::file_name(&e.guid);

    feed[3].title = "第3条消息（更新）".to_owned();
    feed.push(entry(7, Some(3)));
    server.route(FEED_PATH, Response::ok(rss(&feed)));
    assert_eq!(archive.fetch(), stored(1, 1, 6));
    let files = files(&archive.store());
    // The changed item left its file for its day's bundle; the unchanged
    // ones stay where they were.
    assert!(
        !files.contains_key(&old_name(&feed[3])),
        "{:?}",
        files.keys()
    );
    assert!(
        files.contains_key(&old_name(&feed[2])),
        "{:?}",
        files.keys()
    );
    assert_eq!(
        bundled_guids(&files["items-2024-03-02.txt"].1),
        [feed[3].guid.as_str()]
    );
    assert_eq!(
        bundled_guids(&files["items-2024-03-03.txt"].1),
        [feed[7].guid.as_str()]
    );
    assert_eq!(files.len(), 6 + 2);

    let now = archive.ids();
    assert_eq!(now.len(), 8, "{now:?}");
    assert_eq!(now["第3条消息（更新）"], ids["第3条消息"]);
    for (title, id) in ids.iter().filter(|(t, _)| *t != "第3条消息") {
        assert_eq!(now.get(title), Some(id), "{title}");
    }
}

#[test]
fn an_old_file_left_beside_its_bundled_item_is_removed_by_the_next_fetch() {
    // What a fetch stopped between writing a bundle and removing the old
    // file leaves: the item twice.
    let feed = entries();
    let server = serve(&feed);
    let archive = Archive::new(&server);
    assert_eq!(archive.fetch(), stored(7, 0, 0));
    let bundled = files(&archive.store());
    archive.write_old_store(&feed[..1]);
    assert_eq!(archive.fetch(), stored(0, 0, 7));
    assert_eq!(files(&archive.store()), bundled);
    assert_eq!(archive.ids().len(), 7);
}

#[test]
fn a_delimiter_line_in_an_items_text_does_not_split_it() {
    let mut feed = entries();
    let fake = format!("+++ item {} +++", bundle::guid_hash(&feed[1].guid));
    let escaped = format!("\\{fake}");
    feed[0].paragraphs = vec![
        fake.clone(),
        "+++".to_owned(),
        escaped.clone(),
        "尾段。".to_owned(),
    ];
    let server = serve(&feed);
    let archive = Archive::new(&server);
    assert_eq!(archive.fetch(), stored(7, 0, 0));
    let files = files(&archive.store());
    assert_eq!(
        bundled_guids(&files["items-2024-03-01.txt"].1),
        [feed[0].guid.as_str(), feed[1].guid.as_str()]
    );

    let ids = archive.ids();
    assert_eq!(ids.len(), 7, "{ids:?}");
    let run = archive.kanbao(&["show", &ids["第0条消息"], "--json"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        run.json()["articles"][0]["paragraphs"],
        serde_json::json!([fake, "+++", escaped, "尾段。"])
    );
    // Fetching again finds the same item, unchanged.
    assert_eq!(archive.fetch(), stored(0, 0, 7));
}

#[test]
fn list_and_show_read_an_item_in_a_bundle() {
    let feed = entries();
    let server = serve(&feed);
    let archive = Archive::new(&server);
    assert_eq!(archive.fetch(), stored(7, 0, 0));

    let run = archive.kanbao(&["list", "--json"]);
    assert_eq!(run.code, 0, "{run:?}");
    let json = run.json();
    let listed = (json["articles"].as_array().expect("articles").iter())
        .find(|a| a["title"] == "第4条消息")
        .cloned()
        .expect("the item is listed");
    assert_eq!(listed["date"], "2024-03-03");
    assert_eq!(listed["feed"], "news");
    let id = listed["id"].as_str().expect("an id");
    let expected = kanbao::library::article_id("news", &bundle::file_name(&feed[4].guid), 0);
    assert_eq!(id, expected);

    let run = archive.kanbao(&["show", id, "--width", "60"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("第4条消息"), "{run:?}");
    assert!(run.stdout.contains("第4条消息的正文"), "{run:?}");
    let run = archive.kanbao(&["show", &id[..6], "--json"]);
    assert_eq!(run.code, 0, "{run:?}");
    let shown = run.json()["articles"][0].clone();
    assert_eq!(shown["url"], feed[4].guid.as_str());
    assert_eq!(
        shown["paragraphs"],
        serde_json::json!(["本报讯 第4条消息的正文，全市科技工作会议召开。"])
    );
}

#[test]
fn grep_finds_an_items_text_in_the_store() {
    let feed = entries();
    let server = serve(&feed);
    let archive = Archive::new(&server);
    assert_eq!(archive.fetch(), stored(7, 0, 0));
    let wanted = "第5条消息的正文";
    match Command::new("grep")
        .args(["-rlF", wanted])
        .arg(archive.store())
        .output()
    {
        Ok(out) => {
            let found = String::from_utf8_lossy(&out.stdout).into_owned();
            assert_eq!(out.status.code(), Some(0), "{found}");
            assert!(
                found.trim_end().ends_with("items-2024-03-03.txt"),
                "{found}"
            );
        }
        Err(e) => eprintln!("grep not run ({e}); the text is checked line by line"),
    }
    let text = fs::read_to_string(archive.store().join("items-2024-03-03.txt")).expect("bundle");
    assert!(
        text.lines()
            .any(|l| l == "本报讯 第5条消息的正文，全市科技工作会议召开。"),
        "{text}"
    );
}
