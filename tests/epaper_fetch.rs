//! Fetching e-paper editions (issue 14) from a real HTTP server on
//! 127.0.0.1: `kanbao fetch --date` stores exactly the articles of every
//! 版面, field by field; a 版面 with no articles, an article that 404s and
//! a redirected 版面 page; a second fetch asks conditionally and changes
//! nothing; a GBK Founder edition; `kanbao list` shows the edition by 版面.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::run::Run;
use common::server::{Response, Server};
use kanbao::source::item::Item;
use tempfile::TempDir;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(ROOT).join("tests/fixtures/epaper").join(name);
    fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// An archive folder whose config has one e-paper feed at `url`.
struct Archive {
    dir: TempDir,
}

impl Archive {
    fn new(url: &str) -> Archive {
        let dir = TempDir::new().expect("create a temporary folder");
        let config = format!(
            "[[feeds]]\nid = \"paper\"\ntitle = \"样报\"\nkind = \"epaper\"\nurl = \"{url}\"\ntimeout = 5\n"
        );
        fs::write(dir.path().join("config.toml"), config).expect("write config.toml");
        Archive { dir }
    }

    fn store(&self) -> PathBuf {
        self.dir.path().join("feeds/paper")
    }

    fn kanbao(&self, args: &[&str]) -> Run {
        let home = self.dir.path().join("home");
        let mut command = Command::new(env!("CARGO_BIN_EXE_kanbao"));
        command
            .arg("--config")
            .arg(self.dir.path().join("config.toml"))
            .args(args)
            .current_dir(self.dir.path())
            .env_remove("KANBAO_CONFIG")
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("XDG_STATE_HOME", home.join(".local/state"))
            .env("XDG_CACHE_HOME", home.join(".cache"))
            .env("TERM", "xterm-256color");
        Run::of(&mut command)
    }

    /// Every stored file below the store, relative path → bytes.
    fn files(&self) -> BTreeMap<String, Vec<u8>> {
        let mut files = BTreeMap::new();
        let mut stack = vec![self.store()];
        while let Some(dir) = stack.pop() {
            let Ok(entries) = fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let relative = path
                        .strip_prefix(self.store())
                        .map(|p| p.display().to_string())
                        .unwrap_or_default();
                    files.insert(relative, fs::read(&path).unwrap_or_default());
                }
            }
        }
        files
    }

    fn item(&self, relative: &str) -> Item {
        let text = fs::read_to_string(self.store().join(relative))
            .unwrap_or_else(|e| panic!("{relative}: {e}"));
        Item::from_file(&text).unwrap_or_else(|e| panic!("{relative}: {e}"))
    }
}

/// The People's Daily-style edition of 2031-05-06: 01版 with three
/// articles (one of them pictures only), 02版 (reached through a redirect)
/// with one article and one that 404s, 03版 with none.
fn peoples_edition() -> Server {
    let server = Server::start();
    let layout = "/paper/pc/layout/203105/06/";
    let content = "/paper/pc/content/203105/06/";
    server
        .route(
            &format!("{layout}node_01.html"),
            Response::ok(fixture("people/node_01.html"))
                .header("Content-Type", "text/html; charset=utf-8")
                .etag("\"ed-0506\""),
        )
        .route(
            &format!("{layout}node_02.html"),
            Response::redirect(&format!("{layout}node_02_v2.html")),
        )
        .route(
            &format!("{layout}node_02_v2.html"),
            Response::ok(fixture("people/node_02.html")),
        )
        .route(
            &format!("{layout}node_03.html"),
            Response::ok(fixture("people/node_03.html")),
        );
    for n in ["7001", "7002", "7003", "7004"] {
        server.route(
            &format!("{content}content_{n}.html"),
            Response::ok(fixture(&format!("people/content_{n}.html"))),
        );
    }
    server.route(
        &format!("{content}content_7005.html"),
        Response::new(404, "Not Found"),
    );
    server
}

#[test]
fn an_edition_is_stored_by_page_and_a_second_fetch_changes_nothing() {
    let server = peoples_edition();
    let template = server.url("/paper/pc/layout/{yyyy}{mm}/{dd}/node_01.html");
    let archive = Archive::new(&template);

    let run = archive.kanbao(&["fetch", "--date", "2031-05-06"]);
    assert_eq!(
        run.code, 1,
        "one article 404s: {}\n{}",
        run.stdout, run.stderr
    );
    assert!(
        run.stdout
            .ends_with("1 feed: 4 new, 0 updated, 0 unchanged, 1 incomplete, 0 failed\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains("content_7005.html") && run.stderr.contains("404"),
        "{}",
        run.stderr
    );

    let files = archive.files();
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    let want = [
        "2031-05-06/.edition.toml",
        "2031-05-06/01-要闻/01-content-7001-",
        "2031-05-06/01-要闻/02-content-7002-",
        "2031-05-06/01-要闻/03-content-7003-",
        "2031-05-06/02-要闻/01-content-7004-",
    ];
    assert_eq!(names.len(), want.len(), "{names:?}");
    for (name, want) in names.iter().zip(want) {
        assert!(name.starts_with(want), "{name} is not {want}…");
    }

    // Each 版面's PDF and page image are kept with the edition.
    let state = String::from_utf8_lossy(&files["2031-05-06/.edition.toml"]).into_owned();
    assert!(
        state.contains(&format!(
            "pdf = \"{}\"",
            server.url("/paper/attachement/203105/06/page_02.pdf")
        )),
        "{state}"
    );
    assert!(
        state.contains(&format!(
            "image = \"{}\"",
            server.url("/paper/pic/203105/06/01/page_01_b.jpg")
        )),
        "{state}"
    );
    assert!(state.contains("complete = false"), "{state}");

    let first = archive.item(names[1]);
    assert_eq!(
        first.guid,
        server.url("/paper/pc/content/203105/06/content_7001.html")
    );
    assert_eq!(first.link.as_deref(), Some(first.guid.as_str()));
    assert_eq!(first.date.as_deref(), Some("2031-05-06"));
    assert_eq!(first.page.as_deref(), Some("01"));
    assert_eq!(first.category.as_deref(), Some("要闻"));
    assert_eq!(first.kicker.as_deref(), Some("沿着足迹看变化"));
    assert_eq!(first.title.as_deref(), Some("湖畔新城绘就发展新图景"));
    assert_eq!(
        first.subtitle.as_deref(),
        Some("——一座新城五年间的三次转身")
    );
    assert_eq!(first.author.as_deref(), Some("本报记者 程远山 林晓雨"));
    assert_eq!(first.paragraphs.len(), 3);
    assert_eq!(first.photos.len(), 1);
    assert_eq!(first.photos[0].caption, "湖畔新城的科创走廊夜景。");
    assert_eq!(first.photos[0].credit.as_deref(), Some("本报记者 程远山摄"));
    assert_eq!(
        first.photos[0].url,
        Some(server.url("/paper/pc/pic/203105/06/01/photo_7001.jpg"))
    );
    let pictures = archive.item(names[3]);
    assert!(pictures.paragraphs.is_empty());
    assert_eq!(pictures.photos.len(), 2);
    let second_page = archive.item(names[4]);
    assert_eq!(second_page.page.as_deref(), Some("02"));
    assert_eq!(second_page.title.as_deref(), Some("山区小学的第一堂编程课"));

    // The 404 is retried next time: the edition is not complete yet.
    let requests = server.requests().len();
    let run = archive.kanbao(&["fetch", "--date", "2031-05-06"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout
            .ends_with("1 feed: 0 new, 0 updated, 4 unchanged, 1 incomplete, 0 failed\n"),
        "{}",
        run.stdout
    );
    assert!(server.requests().len() > requests + 2);
    assert_eq!(archive.files(), files, "nothing changed");

    // Once complete, a fetch asks for the first 版面 conditionally only.
    server.route(
        "/paper/pc/content/203105/06/content_7005.html",
        Response::ok(fixture("people/content_7002.html")),
    );
    let run = archive.kanbao(&["fetch", "--date", "2031-05-06"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let complete = archive.files();
    let requests = server.requests().len();
    let run = archive.kanbao(&["fetch", "--date", "2031-05-06"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .ends_with("1 feed: 0 new, 0 updated, 0 unchanged, 1 not modified, 0 failed\n"),
        "{}",
        run.stdout
    );
    let asked = &server.requests()[requests..];
    assert_eq!(asked.len(), 1, "{asked:?}");
    assert_eq!(asked[0].header("if-none-match"), Some("\"ed-0506\""));
    assert_eq!(archive.files(), complete, "nothing changed");

    // The archive lists the edition by 版面, in the paper's order.
    let run = archive.kanbao(&["list", "--json"]);
    let value = run.json();
    let titles: Vec<(String, String, String)> = value["articles"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|a| {
                    (
                        a["page"].as_str().unwrap_or("").to_owned(),
                        a["section"].as_str().unwrap_or("").to_owned(),
                        a["title"].as_str().unwrap_or("").to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let want = [
        ("01", "要闻", "湖畔新城绘就发展新图景"),
        ("01", "要闻", "青年工匠的第一台机床"),
        ("01", "要闻", "图片新闻"),
        ("02", "要闻", "山区小学的第一堂编程课"),
        ("02", "要闻", "青年工匠的第一台机床"),
    ];
    let want: Vec<(String, String, String)> = want
        .iter()
        .map(|(p, s, t)| ((*p).to_owned(), (*s).to_owned(), (*t).to_owned()))
        .collect();
    assert_eq!(titles, want);

    // Two 版面 named 要闻: each is its own section, told apart by number.
    let run = archive.kanbao(&["list"]);
    let headings: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("样报"))
        .collect();
    assert_eq!(
        headings,
        [
            "样报 · 2031-05-06 · 01版 要闻 · 3 articles",
            "样报 · 2031-05-06 · 02版 要闻 · 2 articles",
        ]
    );
}

#[test]
fn a_gbk_founder_edition_and_a_missing_one() {
    let server = Server::start();
    let base = "/sczb/html/2031-05/06/";
    server
        .route(
            &format!("{base}node_2.htm"),
            Response::ok(fixture("founder/node_2.htm")).header("Content-Type", "text/html"),
        )
        .route(
            &format!("{base}content_501.htm"),
            Response::ok(fixture("founder/content_501.htm")),
        )
        .route(
            &format!("{base}content_502.htm"),
            Response::ok(fixture("founder/content_501.htm")),
        );
    for page in ["node_3.htm", "node_4.htm"] {
        server.route(
            &format!("{base}{page}"),
            Response::ok(without_articles(&fixture("founder/node_2.htm"))),
        );
    }
    let archive = Archive::new(&server.url("/sczb/html/{yyyy}-{mm}/{dd}/node_2.htm"));
    let run = archive.kanbao(&["fetch", "--date", "2031-05-06"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let names: Vec<String> = archive.files().into_keys().collect();
    assert_eq!(names.len(), 3, "{names:?}");
    let item = archive.item(&names[1]);
    assert_eq!(item.title.as_deref(), Some("市里召开科技创新大会"));
    assert_eq!(item.kicker.as_deref(), Some("凝心聚力抓创新"));
    assert_eq!(item.subtitle.as_deref(), Some("全年将新建十个研发平台"));
    assert_eq!(item.author.as_deref(), Some("记者 钱一鸣 通讯员 孙小北"));
    assert_eq!(item.page.as_deref(), Some("01"));
    assert_eq!(item.category.as_deref(), Some("要闻"));
    assert_eq!(
        item.paragraphs[1],
        "会议提出，全年将新建十个研发平台，引进一批创新团队。"
    );

    // No edition on that day: one line, nothing stored.
    let before = archive.files();
    let run = archive.kanbao(&["fetch", "--date", "2031-05-07"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("2031-05-07") && run.stderr.contains("404"),
        "{}",
        run.stderr
    );
    assert_eq!(archive.files(), before);
}

/// A Founder 版面 page (GBK bytes) with its title list taken out.
fn without_articles(page: &[u8]) -> Vec<u8> {
    let find = |from: usize, what: &[u8]| {
        page[from..]
            .windows(what.len())
            .position(|w| w == what)
            .map(|i| from + i)
    };
    let start = find(0, b"<DIV class=title>").unwrap_or(page.len());
    let end = find(start, b"</DIV>").map_or(page.len(), |e| e + b"</DIV>".len());
    [&page[..start], &page[end..]].concat()
}

/// Killed in the middle of an edition (an article page that takes its
/// time), the fetch leaves no item at all, whole or part; the next fetch
/// stores the edition complete.
#[test]
fn a_fetch_killed_mid_edition_leaves_no_partial_item_and_the_next_completes_it() {
    use std::time::{Duration, Instant};
    let server = peoples_edition();
    server.route(
        "/paper/pc/content/203105/06/content_7005.html",
        Response::ok(fixture("people/content_7002.html")).delay(Duration::from_secs(30)),
    );
    let template = server.url("/paper/pc/layout/{yyyy}{mm}/{dd}/node_01.html");
    let archive = Archive::new(&template);
    let home = archive.dir.path().join("home");
    let mut child = Command::new(env!("CARGO_BIN_EXE_kanbao"))
        .arg("--config")
        .arg(archive.dir.path().join("config.toml"))
        .args(["fetch", "--date", "2031-05-06"])
        .env("HOME", &home)
        .env("XDG_CACHE_HOME", home.join(".cache"))
        .env("XDG_STATE_HOME", home.join(".local/state"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("run kanbao fetch");
    // Wait until the slow article has been asked for: everything else of
    // the edition is in kanbao's hands by then.
    let start = Instant::now();
    while !server
        .requests()
        .iter()
        .any(|r| r.path.ends_with("content_7005.html"))
    {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the fetch never got there"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    std::thread::sleep(Duration::from_millis(100));
    child.kill().expect("kill the fetch");
    let _ = child.wait();

    for (name, bytes) in archive.files() {
        assert!(
            name.rsplit('/').next().is_some_and(|f| f.starts_with('.')),
            "a killed fetch left {name} ({} bytes)",
            bytes.len()
        );
    }

    server.route(
        "/paper/pc/content/203105/06/content_7005.html",
        Response::ok(fixture("people/content_7002.html")),
    );
    let run = archive.kanbao(&["fetch", "--date", "2031-05-06"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .ends_with("1 feed: 5 new, 0 updated, 0 unchanged, 0 failed\n"),
        "{}",
        run.stdout
    );
    let items: Vec<String> = archive
        .files()
        .into_keys()
        .filter(|n| n.ends_with(".txt"))
        .collect();
    assert_eq!(items.len(), 5, "{items:?}");
    for name in items {
        archive.item(&name);
    }
}

/// The older People's Daily system and Founder's `pc/` system, fetched.
#[test]
fn older_peoples_daily_and_founder_pc_editions() {
    let server = Server::start();
    let old = "/rmrb/html/2019-03/08/";
    server
        .route(
            &format!("{old}nbs.D110000renmrb_01.htm"),
            Response::ok(fixture("people-old/nbs.D110000renmrb_01.htm")),
        )
        .route(
            &format!("{old}nw.D110000renmrb_20190308_1-01.htm"),
            Response::ok(fixture("people-old/nw.D110000renmrb_20190308_1-01.htm")),
        )
        .route(
            &format!("{old}nw.D110000renmrb_20190308_2-01.htm"),
            Response::ok(fixture("people-old/nw.D110000renmrb_20190308_1-01.htm")),
        );
    for page in ["02", "05"] {
        server.route(
            &format!("{old}nbs.D110000renmrb_{page}.htm"),
            Response::ok(fixture("people/node_03.html")),
        );
    }
    let archive = Archive::new(&server.url("/rmrb/html/{yyyy}-{mm}/{dd}/nbs.D110000renmrb_01.htm"));
    let run = archive.kanbao(&["fetch", "--date", "2019-03-08"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let names: Vec<String> = archive.files().into_keys().collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(
        names[1].starts_with("2019-03-08/01-要闻/01-nw-d110000renmrb-20190308-1-01-"),
        "{names:?}"
    );
    let item = archive.item(&names[1]);
    assert_eq!(item.kicker.as_deref(), Some("田间观察"));
    assert_eq!(item.author.as_deref(), Some("本报记者 温如海"));
    assert_eq!(item.paragraphs.len(), 3);

    let pc = "/wb/pc/";
    let server = Server::start();
    server
        .route(
            &format!("{pc}layout/203105/06/node_01.html"),
            Response::ok(fixture("founder-pc/node_01.html")),
        )
        .route(
            &format!("{pc}content/203105/06/content_901.html"),
            Response::ok(fixture("founder-pc/content_901.html")),
        )
        .route(
            &format!("{pc}content/203105/06/content_902.html"),
            Response::ok(fixture("founder-pc/content_901.html")),
        );
    for page in ["02", "03"] {
        server.route(
            &format!("{pc}layout/203105/06/node_{page}.html"),
            Response::ok(fixture("people/node_03.html")),
        );
    }
    let archive = Archive::new(&server.url("/wb/pc/layout/{yyyy}{mm}/{dd}/node_01.html"));
    let run = archive.kanbao(&["fetch", "--date", "2031-05-06"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let names: Vec<String> = archive.files().into_keys().collect();
    assert_eq!(names.len(), 3, "{names:?}");
    let item = archive.item(&names[1]);
    assert_eq!(item.page.as_deref(), Some("A01"));
    assert_eq!(item.category.as_deref(), Some("封面"));
    assert_eq!(item.subtitle.as_deref(), Some("全长十二公里 年底全线贯通"));
    assert_eq!(item.photos.len(), 1);
    assert_eq!(item.photos[0].credit.as_deref(), Some("记者 周晚晴 摄"));
}

/// The markup of one system: a 版面 page listing `articles` (number, title)
/// with its 版面 list, and an article page.
struct System {
    name: &'static str,
    /// The edition's first 版面, relative to the server, with `{yyyy}`….
    template: &'static str,
    /// The path of 版面 `n` (1-based) and of article `id`.
    page_path: fn(usize) -> String,
    article_path: fn(usize) -> String,
    page: fn(usize, &[(usize, String)]) -> String,
    article: fn(usize, &str) -> String,
    gbk: bool,
}

const DATE_CN: &str = "2031年05月06日";

fn page_links(here: fn(usize) -> String) -> String {
    (1..=3)
        .map(|p| {
            let file = here(p);
            let file = file.rsplit('/').next().unwrap_or("");
            format!("<a id=pageLink href=\"{file}\">第0{p}版：第{p}版面</a>")
        })
        .collect()
}

fn body(id: usize, photo: bool) -> String {
    let mut html = String::new();
    if photo {
        html.push_str(&format!(
            "<p><img src=\"pic_{id}.jpg\"></p><p>图为第{id}篇的现场。记者 王明 摄</p>"
        ));
    }
    for p in 0..3 {
        html.push_str(&format!(
            "<p>　　第{id}篇的第{p}段，记者在现场看到新变化。</p>"
        ));
    }
    html
}

fn systems() -> [System; 4] {
    [
        System {
            name: "people",
            template: "/rmrb/pc/layout/{yyyy}{mm}/{dd}/node_01.html",
            page_path: |p| format!("/rmrb/pc/layout/203105/06/node_0{p}.html"),
            article_path: |id| format!("/rmrb/pc/content/203105/06/content_{id}.html"),
            page: |p, articles| {
                let items: String = articles
                    .iter()
                    .map(|(id, t)| format!("<li><a href=\"../../../content/203105/06/content_{id}.html\">{t}</a></li>"))
                    .collect();
                format!(
                    "<html><head><meta charset=utf-8></head><body><span class=newstime>{DATE_CN}</span>\
                     <div class=swiper-slide>{}</div><p class=\"right btn\"><a href=\"page_0{p}.pdf\">PDF</a></p>\
                     <ul class=news-list>{items}</ul></body></html>",
                    page_links(|n| format!("node_0{n}.html"))
                )
            },
            article: |id, title| {
                format!(
                    "<html><head><meta charset=utf-8></head><body><div class=article><h3>引题</h3><h1>{title}</h1>\
                     <h2></h2><p class=sec>本报记者 王明<span class=date>（ {DATE_CN} ）</span></p>\
                     <div id=ozoom>{}</div></div></body></html>",
                    body(id, id % 4 == 0)
                )
            },
            gbk: false,
        },
        System {
            name: "people-old",
            template: "/rmrb/html/{yyyy}-{mm}/{dd}/nbs.D110000renmrb_01.htm",
            page_path: |p| format!("/rmrb/html/2031-05/06/nbs.D110000renmrb_0{p}.htm"),
            article_path: |id| {
                format!("/rmrb/html/2031-05/06/nw.D110000renmrb_20310506_{id}-01.htm")
            },
            page: |_, articles| {
                let items: String = articles
                    .iter()
                    .map(|(id, t)| {
                        format!("<li><a href=nw.D110000renmrb_20310506_{id}-01.htm>{t}</a></li>")
                    })
                    .collect();
                format!(
                    "<html><body><div class=date>{DATE_CN}</div><div id=pageList>{}</div>\
                     <div id=titleList><ul>{items}</ul></div></body></html>",
                    page_links(|n| format!("nbs.D110000renmrb_0{n}.htm"))
                )
            },
            article: |id, title| {
                format!(
                    "<html><body><div class=article><h3></h3><h1>{title}</h1><h2>副题</h2>\
                     <p class=sec>本报记者 王明<span class=date>（ {DATE_CN} ）</span></p>\
                     <div id=ozoom><!--enpcontent-->{}<!--/enpcontent--></div></div></body></html>",
                    body(id, id % 4 == 0)
                )
            },
            gbk: false,
        },
        System {
            name: "founder",
            template: "/sczb/html/{yyyy}-{mm}/{dd}/node_1.htm",
            page_path: |p| format!("/sczb/html/2031-05/06/node_{p}.htm"),
            article_path: |id| format!("/sczb/html/2031-05/06/content_{id}.htm"),
            page: |_, articles| {
                let items: String = articles
                    .iter()
                    .map(|(id, t)| format!("<LI><A href=content_{id}.htm?div=-1>{t}</A>"))
                    .collect();
                format!(
                    "<HTML><HEAD><META http-equiv=Content-Type content=\"text/html; charset=gb2312\"></HEAD>\
                     <BODY><TD class=default>{DATE_CN}</TD><DIV class=bmname1>{}</DIV>\
                     <DIV class=title><UL>{items}</UL></DIV></BODY></HTML>",
                    page_links(|n| format!("node_{n}.htm"))
                )
            },
            article: |id, title| {
                format!(
                    "<HTML><HEAD><META http-equiv=Content-Type content=\"text/html; charset=gb2312\"></HEAD><BODY>\
                     <TABLE><TR><TD class=font02>引题</TD></TR><TR><TD class=font01>{title}</TD></TR></TABLE>\
                     <!--enpproperty <date>2031-05-06 00:00:00:0</date><author>记者 王明</author><title>{title}</title>/enpproperty-->\
                     <DIV id=ozoom><founder-content>{}</founder-content></DIV></BODY></HTML>",
                    body(id, id % 4 == 0)
                )
            },
            gbk: true,
        },
        System {
            name: "founder-pc",
            template: "/wb/pc/layout/{yyyy}{mm}/{dd}/node_01.html",
            page_path: |p| format!("/wb/pc/layout/203105/06/node_0{p}.html"),
            article_path: |id| format!("/wb/pc/content/203105/06/content_{id}.html"),
            page: |_, articles| {
                let items: String = articles
                    .iter()
                    .map(|(id, t)| format!("<li><a href=\"../../../content/203105/06/content_{id}.html\"><h4>{t}</h4></a></li>"))
                    .collect();
                format!(
                    "<html><head><meta charset=\"UTF-8\"></head><body><span id=date>{DATE_CN}</span>\
                     <ul id=layoutlist>{}</ul><div class=news-list><ul>{items}</ul></div></body></html>",
                    page_links(|n| format!("node_0{n}.html"))
                )
            },
            article: |id, title| {
                format!(
                    "<html><head><meta charset=\"UTF-8\"></head><body><div id=scroller>\
                     <h3 id=intro-title>引题</h3><h1 id=main-title>{title}</h1><h2 id=sub-title></h2>\
                     <p id=author>记者 王明</p><div id=content><!--enpcontent--><founder-content>{}</founder-content>\
                     <!--/enpcontent--></div></div></body></html>",
                    body(id, id % 4 == 0)
                )
            },
            gbk: false,
        },
    ]
}

/// Each system served as a whole edition: 3 版面 (the last with no
/// articles, the second behind a redirect), 9 articles of which one 404s
/// (so 8 stored), every fourth with a photo and its caption.
#[test]
fn a_whole_edition_in_each_system() {
    for system in systems() {
        let server = Server::start();
        let encode = |text: String| -> Vec<u8> {
            if system.gbk {
                encoding_rs::GBK.encode(&text).0.into_owned()
            } else {
                text.into_bytes()
            }
        };
        let listed: [Vec<(usize, String)>; 3] = [
            (1..=5)
                .map(|n| (100 + n, format!("第一版第{n}篇")))
                .collect(),
            (1..=4)
                .map(|n| (200 + n, format!("第二版第{n}篇")))
                .collect(),
            Vec::new(),
        ];
        for (p, articles) in listed.iter().enumerate() {
            let path = (system.page_path)(p + 1);
            let html = encode((system.page)(p + 1, articles));
            if p == 1 {
                let moved = format!("{path}.moved");
                server.route(&path, Response::redirect(&moved));
                server.route(&moved, Response::ok(html));
            } else {
                server.route(&path, Response::ok(html));
            }
            for (id, title) in articles {
                let response = if *id == 203 {
                    Response::new(404, "Not Found")
                } else {
                    Response::ok(encode((system.article)(*id, title)))
                };
                server.route(&(system.article_path)(*id), response);
            }
        }
        let archive = Archive::new(&server.url(system.template));
        let run = archive.kanbao(&["fetch", "--date", "2031-05-06"]);
        let name = system.name;
        assert_eq!(run.code, 1, "{name}: the 404 is a problem\n{}", run.stderr);
        assert!(
            run.stdout
                .ends_with("1 feed: 8 new, 0 updated, 0 unchanged, 1 incomplete, 0 failed\n"),
            "{name}: {}\n{}",
            run.stdout,
            run.stderr
        );
        let items: Vec<String> = archive
            .files()
            .into_keys()
            .filter(|n| n.ends_with(".txt"))
            .collect();
        assert_eq!(items.len(), 8, "{name}: {items:?}");
        let mut photos = 0;
        for (n, path) in items.iter().enumerate() {
            let item = archive.item(path);
            let page = if n < 5 { "01" } else { "02" };
            assert_eq!(item.page.as_deref(), Some(page), "{name}: {path}");
            assert_eq!(
                item.category.as_deref(),
                Some(format!("第{}版面", &page[1..]).as_str()),
                "{name}: {path}"
            );
            assert_eq!(item.date.as_deref(), Some("2031-05-06"), "{name}: {path}");
            assert!(
                item.title.as_deref().is_some_and(|t| t.contains("篇")),
                "{name}: {path}"
            );
            let author = if name.starts_with("people") {
                "本报记者 王明"
            } else {
                "记者 王明"
            };
            assert_eq!(item.author.as_deref(), Some(author), "{name}: {path}");
            assert_eq!(
                item.paragraphs.len(),
                3,
                "{name}: {path}: {:?}",
                item.paragraphs
            );
            for photo in &item.photos {
                photos += 1;
                assert!(photo.caption.starts_with("图为第"), "{name}: {photo:?}");
                assert_eq!(
                    photo.credit.as_deref(),
                    Some("记者 王明 摄"),
                    "{name}: {photo:?}"
                );
                assert!(
                    photo
                        .url
                        .as_deref()
                        .is_some_and(|u| u.starts_with("http://127.0.0.1:")),
                    "{name}: {photo:?}"
                );
            }
        }
        // Articles 104 and 204 (every fourth) carry a photo; 204 is on 版面 2.
        assert_eq!(photos, 2, "{name}");
    }
}
