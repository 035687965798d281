//! Issue 18: who wrote a feed item and who took its pictures, read as a
//! page's byline and photo credits are.
//!
//! Authors as feeds write them (`reporter@example.com (记者22)`, `Name
//! <address>`, `dc:creator`, Atom's `<name>`, a JSON Feed author, a
//! Chinese name written against the address) become the byline's names;
//! an address alone names no one. A `<figcaption>` ending in a credit
//! (`新华社记者 张三 摄`, `记者 李四 摄`, `（新华社发）`) is split into
//! caption and credit as a page's caption and credit line are. Through
//! `kanbao parse --json` and through `kanbao fetch` from 127.0.0.1 into the
//! stored item.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::run::Run;
use common::server::{Response, Server};
use serde_json::{Value, json};
use tempfile::TempDir;

/// The binary, with HOME and the XDG folders inside `dir`.
fn kanbao(dir: &Path, args: &[&str]) -> Run {
    let home = dir.join("home");
    let mut command = Command::new(env!("CARGO_BIN_EXE_kanbao"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("KANBAO_CONFIG")
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_STATE_HOME", home.join(".local/state"))
        .env("XDG_CACHE_HOME", home.join(".cache"));
    Run::of(&mut command)
}

/// `kanbao parse --json` of `text` written to `name` in `dir`.
fn parsed(dir: &Path, name: &str, text: &str) -> Value {
    fs::write(dir.join(name), text).expect("write the feed");
    let run = kanbao(dir, &["parse", "--json", name]);
    assert_eq!(run.code, 0, "{run:?}");
    run.json()
}

fn rss(items: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel><title>样报</title>\n\
         {items}</channel></rss>\n"
    )
}

/// Each article's title and its byline (`null` when none).
fn bylines(json: &Value) -> Vec<(String, Value)> {
    json["articles"]
        .as_array()
        .expect("articles")
        .iter()
        .map(|a| {
            (
                a["title"].as_str().unwrap_or_default().to_owned(),
                a["byline"].clone(),
            )
        })
        .collect()
}

fn byline(text: &str, reporters: &[&str]) -> Value {
    json!({"text": text, "reporters": reporters, "correspondents": []})
}

/// RSS items with their author elements, and the bylines they must give.
fn rss_authors() -> Vec<(&'static str, &'static str, Value)> {
    vec![
        (
            "一",
            "<author>reporter@example.com (记者22)</author>",
            byline("记者22", &["记者22"]),
        ),
        // An address alone names no one.
        ("二", "<author>reporter@example.com</author>", Value::Null),
        (
            "三",
            "<dc:creator>记者 高峰</dc:creator>",
            byline("记者 高峰", &["高峰"]),
        ),
        (
            "四",
            "<author>记者22 &lt;reporter@example.com&gt;</author>",
            byline("记者22", &["记者22"]),
        ),
        (
            "五",
            "<author>zhangsan@example.com（记者 张三）</author>",
            byline("记者 张三", &["张三"]),
        ),
        // A Chinese name against the address: feed-rs panicked on it.
        (
            "六",
            "<author>记者张三：zhangsan@example.com</author>",
            byline("记者张三", &["张三"]),
        ),
        (
            "七",
            "<author>mailto:liu@example.com (刘伟)</author><dc:creator>刘伟</dc:creator>",
            byline("刘伟", &["刘伟"]),
        ),
        (
            "八",
            "<dc:creator><![CDATA[记者 李四 lisi@example.com]]></dc:creator>",
            byline("记者 李四", &["李四"]),
        ),
    ]
}

fn rss_with_authors() -> String {
    let items: String = rss_authors()
        .iter()
        .enumerate()
        .map(|(n, (title, author, _))| {
            format!(
                "<item><title>{title}</title><link>http://127.0.0.1/a/{n}</link>{author}\
                 <description>正文。</description></item>\n"
            )
        })
        .collect();
    rss(&items)
}

fn expected_rss_bylines() -> Vec<(String, Value)> {
    rss_authors()
        .into_iter()
        .map(|(title, _, byline)| (title.to_owned(), byline))
        .collect()
}

#[test]
fn feed_authors_show_as_their_names_in_parse() {
    let dir = TempDir::new().expect("temporary folder");

    let json = parsed(dir.path(), "feed.xml", &rss_with_authors());

    assert_eq!(bylines(&json), expected_rss_bylines());
    assert_eq!(json["warnings"], json!([]));
}

#[test]
fn atom_and_json_feed_authors_show_as_their_names() {
    let dir = TempDir::new().expect("temporary folder");
    let atom = "<?xml version=\"1.0\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\
                <title>样报</title><id>http://127.0.0.1/</id>\
                <entry><title>甲</title><id>http://127.0.0.1/1</id>\
                <author><name>记者 李四</name><email>lisi@example.com</email></author></entry>\
                <entry><title>乙</title><id>http://127.0.0.1/2</id>\
                <author><email>reporter@example.com</email></author></entry>\
                <entry><title>丙</title><id>http://127.0.0.1/3</id>\
                <author><name>reporter@example.com (记者22)</name></author></entry></feed>";
    assert_eq!(
        bylines(&parsed(dir.path(), "atom.xml", atom)),
        [
            ("甲".to_owned(), byline("记者 李四", &["李四"])),
            ("乙".to_owned(), Value::Null),
            ("丙".to_owned(), byline("记者22", &["记者22"])),
        ]
    );
    let feed = json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": "样报",
        "items": [
            {"id": "1", "title": "甲", "content_text": "正文。",
             "authors": [{"name": "记者张三：zhangsan@example.com"}]},
            {"id": "2", "title": "乙", "content_text": "正文。",
             "authors": [{"name": "reporter@example.com (记者22)"}]}
        ]
    });
    assert_eq!(
        bylines(&parsed(dir.path(), "feed.json", &feed.to_string())),
        [
            ("甲".to_owned(), byline("记者张三", &["张三"])),
            ("乙".to_owned(), byline("记者22", &["记者22"])),
        ]
    );
}

/// A config of one web feed `news` fetched from `url` into `store/`.
fn archive(url: &str) -> TempDir {
    let dir = TempDir::new().expect("temporary folder");
    let config = format!(
        "[[feeds]]\nid = \"news\"\ntitle = \"江城日报\"\nkind = \"feed\"\n\
         url = \"{url}\"\nstore = \"store\"\n"
    );
    fs::write(dir.path().join("config.toml"), config).expect("write config.toml");
    dir
}

/// `kanbao --config config.toml ARGS…` in `dir`.
fn configured(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["--config", "config.toml"];
    all.extend_from_slice(args);
    kanbao(dir, &all)
}

/// Fetches `feed` from 127.0.0.1 into a fresh archive; the stored articles
/// in full (`show --json`), in the order of their titles.
fn fetched_articles(feed: &str) -> Vec<Value> {
    let server = Server::start();
    server.route(
        "/feed.xml",
        Response::ok(feed).header("Content-Type", "application/rss+xml"),
    );
    let dir = archive(&server.url("/feed.xml"));
    let run = configured(dir.path(), &["fetch"]);
    assert_eq!(run.code, 0, "{run:?}");
    let listed = configured(dir.path(), &["list", "--json"]).json();
    let mut articles: Vec<Value> = listed["articles"]
        .as_array()
        .expect("articles")
        .iter()
        .map(|a| {
            let id = a["id"].as_str().expect("an id");
            let shown = configured(dir.path(), &["show", "--json", id]);
            assert_eq!(shown.code, 0, "{shown:?}");
            shown.json()["articles"][0].clone()
        })
        .collect();
    let order: Vec<&str> = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"].to_vec();
    articles.sort_by_key(|a| {
        let title = a["title"].as_str().unwrap_or_default();
        order.iter().position(|t| *t == title)
    });
    articles
}

#[test]
fn feed_authors_fetched_are_stored_as_their_names() {
    let articles = fetched_articles(&rss_with_authors());
    let got: Vec<(String, Value)> = articles
        .iter()
        .map(|a| {
            (
                a["title"].as_str().unwrap_or_default().to_owned(),
                a["byline"].clone(),
            )
        })
        .collect();
    assert_eq!(got, expected_rss_bylines());
}

/// Figure captions and the caption and credit each must give.
fn figures() -> Vec<(&'static str, &'static str, Option<&'static str>)> {
    vec![
        (
            "市民在公园赏花。新华社记者 张三 摄",
            "市民在公园赏花。",
            Some("新华社记者 张三 摄"),
        ),
        (
            "游客在景区游览 记者 李四 摄",
            "游客在景区游览",
            Some("记者 李四 摄"),
        ),
        ("新城夜景。（新华社发）", "新城夜景。", Some("新华社发")),
        (
            "工人在车间作业。（新华社记者 王五 摄）",
            "工人在车间作业。",
            Some("新华社记者 王五 摄"),
        ),
        ("本报记者 赵六 摄", "", Some("本报记者 赵六 摄")),
        // 拍摄 ends in 摄, but names no one.
        ("游客在景区拍摄", "游客在景区拍摄", None),
    ]
}

fn figure_item(title: &str, captions: &[&str]) -> String {
    let figures: String = captions
        .iter()
        .enumerate()
        .map(|(n, caption)| {
            format!(
                "&lt;figure&gt;&lt;img src=\"http://127.0.0.1/p/{n}.jpg\"&gt;\
                 &lt;figcaption&gt;{caption}&lt;/figcaption&gt;&lt;/figure&gt;"
            )
        })
        .collect();
    format!(
        "<item><title>{title}</title><link>http://127.0.0.1/f/{title}</link>\
         <description>&lt;p&gt;正文。&lt;/p&gt;{figures}</description></item>\n"
    )
}

/// Each photo's caption and credit.
fn captions(article: &Value) -> Vec<(String, Value)> {
    article["photos"]
        .as_array()
        .expect("photos")
        .iter()
        .map(|p| {
            (
                p["caption"].as_str().unwrap_or_default().to_owned(),
                p["credit"].clone(),
            )
        })
        .collect()
}

fn expected_captions() -> Vec<(String, Value)> {
    figures()
        .into_iter()
        .map(|(_, caption, credit)| (caption.to_owned(), json!(credit)))
        .collect()
}

#[test]
fn figcaption_credits_are_split_off_in_parse_and_fetch() {
    let shown: Vec<&str> = figures().iter().map(|(shown, _, _)| *shown).collect();
    let feed = rss(&figure_item("一", &shown));
    let dir = TempDir::new().expect("temporary folder");

    let json = parsed(dir.path(), "feed.xml", &feed);
    assert_eq!(captions(&json["articles"][0]), expected_captions());

    let articles = fetched_articles(&feed);
    assert_eq!(captions(&articles[0]), expected_captions());
}

/// White space as one space: a page pads names (`黄振宇` in `新华社记者
/// 黄振宇摄`), HTML collapses it.
fn squeezed(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn figcaption_credits_split_like_the_credit_lines_of_a_page() {
    // The photos of a page of photos, each a caption and a credit line.
    let page = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pages/photos.txt");
    let dir = TempDir::new().expect("temporary folder");
    let run = kanbao(dir.path(), &["parse", "--json", &page.to_string_lossy()]);
    assert_eq!(run.code, 0, "{run:?}");
    let on_page: Vec<(String, Value)> = run.json()["articles"]
        .as_array()
        .expect("articles")
        .iter()
        .flat_map(captions)
        .map(|(caption, credit)| {
            let credit = credit.as_str().map(squeezed);
            (caption, json!(credit))
        })
        .collect();
    assert!(on_page.len() >= 6, "{on_page:?}");
    assert!(
        on_page.iter().all(|(_, credit)| credit.is_string()),
        "{on_page:?}"
    );

    // The same captions as a feed's figures: the credit after the caption's
    // sentence, and after a space.
    for joint in ["", " "] {
        let shown: Vec<String> = on_page
            .iter()
            .map(|(caption, credit)| format!("{caption}{joint}{}", credit.as_str().unwrap_or("")))
            .collect();
        let shown: Vec<&str> = shown.iter().map(String::as_str).collect();
        let json = parsed(dir.path(), "feed.xml", &rss(&figure_item("一", &shown)));
        assert_eq!(
            captions(&json["articles"][0]),
            on_page,
            "joined by {joint:?}"
        );
    }
}
