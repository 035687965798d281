//! Web feeds fetched into the archive, end to end, against a local test
//! server: each fixture format and encoding yields exactly the articles it
//! should; legacy encodings equal their UTF-8 twins whatever charset the
//! server claims; every failure is one exact line and leaves the stored
//! items byte for byte as they were; fetching again deduplicates, updates
//! changed items and keeps article ids; no guid can write outside the store;
//! `interval`, `--force` and `max_items` do what they say; `kanbao fetch`
//! and `kanbao parse` behave on a pipe.
//!
//! The feeds are in `tests/fixtures/feeds/` (its README says what each one
//! holds). Tests go through the library API (`fetch_feed` with a
//! `FeedConfig` read from a config text, then `Library::load`) or through
//! the `kanbao` binary with `--config` and HOME/XDG folders inside the
//! test's temporary folder. Only 127.0.0.1 is used.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime};

use common::run::Run;
use common::server::{Response, Server};
use kanbao::config::{Config, FeedConfig};
use kanbao::feed::fetch::{Outcome, fetch_feed};
use kanbao::feed::store::StoreReport;
use kanbao::library::Library;
use kanbao::model::{Article, Byline, Link, Photo, Role, SourceRef};
use kanbao::source::bundle;
use kanbao::source::item::Item;
use rstest::rstest;
use serde_json::Value;
use tempfile::TempDir;

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");
const MB: u64 = 1024 * 1024;
/// Where the test server serves the feed under test.
const FEED_PATH: &str = "/rss.xml";
/// The config's title of the feed under test (the section of uncategorised items).
const FEED_TITLE: &str = "江城日报";

// ---------------------------------------------------------------------------
// Helpers

/// The bytes of `tests/fixtures/feeds/<name>`.
fn fixture(name: &str) -> Vec<u8> {
    let path = fixture_path(name);
    fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn fixture_path(name: &str) -> PathBuf {
    Path::new(MANIFEST_DIR)
        .join("tests/fixtures/feeds")
        .join(name)
}

/// A fixture as text, for editing before it is served.
fn fixture_text(name: &str) -> String {
    String::from_utf8(fixture(name)).expect("fixture is UTF-8")
}

/// A temporary folder with a `config.toml`, a `store` folder for the feed
/// under test, and a `home` for the binary's HOME and XDG folders.
struct Archive {
    dir: TempDir,
}

impl Archive {
    /// An archive whose config holds `config`.
    fn with_config(config: &str) -> Archive {
        let dir = TempDir::new().expect("create a temporary folder");
        fs::write(dir.path().join("config.toml"), config).expect("write config.toml");
        Archive { dir }
    }

    /// One web feed `news` titled [`FEED_TITLE`] read from `url` into
    /// `store/`, with `extra` lines (`interval = 5`, …) in its table.
    fn feed(url: &str, extra: &str) -> Archive {
        Archive::with_config(&feed_table("news", FEED_TITLE, url, "store", extra))
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn config_path(&self) -> PathBuf {
        self.path().join("config.toml")
    }

    fn store(&self) -> PathBuf {
        self.path().join("store")
    }

    /// The config, read the way the binary reads it.
    fn config(&self) -> Config {
        let text = fs::read_to_string(self.config_path()).expect("read config.toml");
        kanbao::config::parse(&text, &self.config_path(), "config.toml")
            .unwrap_or_else(|e| panic!("config.toml: {e}"))
    }

    /// The first feed of the config.
    fn feed_config(&self) -> FeedConfig {
        self.config().feeds.remove(0)
    }

    fn fetch(&self, force: bool) -> Outcome {
        fetch_feed(&self.feed_config(), force)
    }

    /// The archive as the reader sees it.
    fn library(&self) -> Library {
        Library::load(&self.config())
    }

    /// Runs `kanbao --config config.toml ARGS…` with stdout and stderr
    /// piped, HOME and the XDG folders inside this archive.
    fn kanbao(&self, args: &[&str]) -> Run {
        let home = self.path().join("home");
        let config = self.config_path();
        let mut command = Command::new(env!("CARGO_BIN_EXE_kanbao"));
        command
            .arg("--config")
            .arg(&config)
            .args(args)
            .current_dir(self.path())
            .env_remove("KANBAO_CONFIG")
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("XDG_STATE_HOME", home.join(".local/state"))
            .env("XDG_DATA_HOME", home.join(".local/share"))
            .env("XDG_CACHE_HOME", home.join(".cache"))
            .env_remove("NO_COLOR")
            .env("TERM", "xterm-256color");
        Run::of(&mut command)
    }
}

/// A `[[feeds]]` table of kind "feed"; `source` is a url, else a path.
fn feed_table(id: &str, title: &str, source: &str, store: &str, extra: &str) -> String {
    let key = if source.starts_with("http") {
        "url"
    } else {
        "path"
    };
    format!(
        "[[feeds]]\nid = \"{id}\"\ntitle = \"{title}\"\nkind = \"feed\"\n{key} = \"{source}\"\n\
         store = \"{store}\"\n{extra}\n"
    )
}

/// Every file below `dir` (hidden ones included), by path relative to
/// `dir`, with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else {
                let relative = path
                    .strip_prefix(dir)
                    .expect("below dir")
                    .to_string_lossy()
                    .replace('\\', "/");
                files.insert(relative, fs::read(&path).expect("read a stored file"));
            }
        }
    }
    files
}

/// The stored files only: the snapshot without the fetch state.
fn stored_files(store: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = snapshot(store);
    files.remove(".fetch.toml");
    files
}

/// The stored items, each by the file name it would have on its own and
/// with the text that file would hold, whether it is a file of its own or
/// in a day's bundle.
fn item_files(store: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut items = BTreeMap::new();
    for (name, bytes) in stored_files(store) {
        let text = String::from_utf8(bytes.clone()).expect("a stored file is UTF-8");
        if !bundle::is_bundle(&text) {
            items.insert(name, bytes);
            continue;
        }
        for chunk in bundle::split(&text) {
            let item = Item::from_file(&chunk.text).unwrap_or_else(|e| panic!("{name}: {e}"));
            let own = bundle::file_name(&item.guid);
            assert!(
                items.insert(own.clone(), chunk.text.into_bytes()).is_none(),
                "{own} stored twice"
            );
        }
    }
    items
}

/// Modification times of the stored files.
fn mtimes(store: &Path) -> BTreeMap<String, SystemTime> {
    stored_files(store)
        .into_keys()
        .map(|name| {
            let time = fs::metadata(store.join(&name))
                .and_then(|m| m.modified())
                .expect("mtime");
            (name, time)
        })
        .collect()
}

fn assert_no_temporary_files(dir: &Path) {
    let leftovers: Vec<String> = snapshot(dir)
        .into_keys()
        .filter(|name| name.contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

fn stored(new: usize, updated: usize, unchanged: usize) -> Outcome {
    Outcome::Stored(StoreReport {
        new,
        updated,
        unchanged,
    })
}

/// A server answering [`FEED_PATH`] with `body` and `content_type`.
fn serve(body: &[u8], content_type: Option<&str>) -> Server {
    let server = Server::start();
    server.route(FEED_PATH, feed_response(body, content_type));
    server
}

fn feed_response(body: &[u8], content_type: Option<&str>) -> Response {
    let response = Response::ok(body);
    match content_type {
        Some(value) => response.header("Content-Type", value),
        None => response,
    }
}

/// Serves `fixture` and fetches it once into a fresh archive.
fn fetched(name: &str, content_type: Option<&str>) -> (Server, Archive, Outcome) {
    let server = serve(&fixture(name), content_type);
    let archive = Archive::feed(&server.url(FEED_PATH), "");
    let outcome = archive.fetch(false);
    (server, archive, outcome)
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

fn byline(text: &str, reporters: &[&str]) -> Option<Byline> {
    Some(Byline {
        text: text.to_owned(),
        reporters: strings(reporters),
        correspondents: Vec::new(),
    })
}

fn photo(caption: &str, credit: Option<&str>, url: &str) -> Photo {
    Photo {
        caption: caption.to_owned(),
        credit: credit.map(str::to_owned),
        code: None,
        url: Some(url.to_owned()),
    }
}

fn link(text: &str, url: &str) -> Link {
    Link {
        text: text.to_owned(),
        url: url.to_owned(),
    }
}

/// A feed item as the library shows it; `id` and `source` are filled in
/// from the article it is compared with.
struct Expected<'a> {
    kicker: Option<&'a str>,
    title: &'a str,
    byline: Option<Byline>,
    date: Option<&'a str>,
    section: &'a str,
    paragraphs: &'a [&'a str],
    links: Vec<Link>,
    photos: Vec<Photo>,
    url: Option<&'a str>,
    published: Option<&'a str>,
}

impl Expected<'_> {
    fn article(&self, actual: &Article) -> Article {
        Article {
            id: actual.id.clone(),
            feed: Some("news".to_owned()),
            date: self.date.map(str::to_owned),
            section: Some(self.section.to_owned()),
            page: None,
            column: None,
            kicker: self.kicker.map(str::to_owned),
            title: Some(self.title.to_owned()),
            subtitle: None,
            byline: self.byline.clone(),
            paragraphs: strings(self.paragraphs),
            roles: vec![Role::Text; self.paragraphs.len()],
            source_note: None,
            editor_code: None,
            photos: self.photos.clone(),
            url: self.url.map(str::to_owned),
            published: self.published.map(str::to_owned),
            links: self.links.clone(),
            // Its lines in its day's bundle (checked by the caller).
            source: SourceRef {
                path: actual.source.path.clone(),
                first_line: actual.source.first_line,
                last_line: actual.source.last_line,
            },
            stub: None,
        }
    }
}

// ---------------------------------------------------------------------------
// 1. Every fixture over HTTP

fn rss2_first() -> Expected<'static> {
    Expected {
        kicker: Some("全市科技工作会议提出"),
        title: "奋力建设区域创新高地",
        byline: byline("王伟、张宁", &["王伟", "张宁"]),
        date: Some("2024-03-12"),
        section: "要闻",
        paragraphs: &[
            "3月11日，全市科技工作会议召开。会议总结2023年全市科技工作，部署今年重点任务。",
            "会议提出，今年全社会研发经费投入增长12%以上，新认定高新技术企业[1]200家，技术合同成交额突破80亿元。",
            "会议还表彰了2023年度科技创新先进集体和先进个人。更多报道见科技创新专题[2]。",
        ],
        links: vec![
            link(
                "高新技术企业",
                "https://www.jcrb.example.cn/2024/0310/kj-015.html",
            ),
            link("科技创新专题", "https://www.jcrb.example.cn/zt/kjcx/"),
        ],
        photos: vec![photo(
            "3月11日，全市科技工作会议现场。",
            Some("记者 李华 摄"),
            "https://www.jcrb.example.cn/images/2024/0312/kjhy.jpg",
        )],
        url: Some("https://www.jcrb.example.cn/2024/0312/yw-001.html"),
        published: Some("2024-03-12T09:30:00+08:00"),
    }
}

fn atom_first() -> Expected<'static> {
    Expected {
        kicker: None,
        title: "天文台發出今年首個黃色暴雨警告",
        byline: byline("黃嘉欣", &["黃嘉欣"]),
        date: Some("2024-04-02"),
        section: "港聞",
        paragraphs: &[
            "受低壓槽影響，本港下午出現狂風驟雨，天文台於下午3時發出今年首個黃色暴雨警告信號。",
            "天文台表示，未來數小時雨勢仍然頗大，市民應留意最新天氣報告[1]。",
            "教育局表示，學校應按原定時間上課，但須彈性處理學生遲到。",
        ],
        links: vec![link(
            "最新天氣報告",
            "https://news.gdcb.example.hk/weather/warnings.html",
        )],
        photos: vec![photo(
            "市民在中環冒雨趕路。",
            Some("記者 梁志強 攝"),
            "https://news.gdcb.example.hk/photos/20240402/rain.jpg",
        )],
        url: Some("https://news.gdcb.example.hk/local/20240402/a1.html"),
        published: Some("2024-04-02T15:20:00+08:00"),
    }
}

fn japanese_first() -> Expected<'static> {
    Expected {
        kicker: None,
        title: "東京で桜が開花　平年より五日遅く",
        byline: byline("山田太郎", &["山田太郎"]),
        date: Some("2024-03-29"),
        section: "社会",
        paragraphs: &[
            "気象庁は二十九日、東京都心で桜が開花したと発表した。平年より五日遅く、昨年より十四日遅い。",
            "靖国神社の標本木で五、六輪の花が咲いているのを気象庁[1]の職員が確認した。",
        ],
        links: vec![link("気象庁", "https://www.jma.example.jp/sakura/")],
        photos: vec![photo(
            "開花した標本木を確認する職員",
            None,
            "https://img.toto-shimbun.example.jp/20240329/sakura.jpg",
        )],
        url: Some("https://www.toto-shimbun.example.jp/news/20240329/sakura.html"),
        published: Some("2024-03-29T14:00:00+09:00"),
    }
}

fn json_first() -> Expected<'static> {
    Expected {
        kicker: None,
        title: "滨海新区首条无人驾驶公交线路试运行",
        byline: byline("孙丽、郭强", &["孙丽", "郭强"]),
        date: Some("2024-05-20"),
        section: "交通",
        paragraphs: &[
            "5月20日上午，滨海新区首条无人驾驶公交线路开始试运行，线路全长9.6公里，沿途设站12个。",
            "试运行期间，市民可通过“滨海出行”App[1]免费预约乘车。",
            "据介绍，每辆车配备一名安全员，以应对突发情况。",
        ],
        links: vec![link("“滨海出行”App", "https://www.bhwb.example.cn/app/")],
        photos: vec![
            photo(
                "无人驾驶公交车驶过滨海大道。",
                Some("记者 孙丽 摄"),
                "https://img.bhwb.example.cn/2024/0520/bus.jpg",
            ),
            // The item's `image`, which feed-rs does not keep.
            photo(
                "",
                None,
                "https://img.bhwb.example.cn/2024/0520/bus-cover.jpg",
            ),
        ],
        url: Some("https://www.bhwb.example.cn/2024/05/20/0031.html"),
        published: Some("2024-05-20T11:20:00+08:00"),
    }
}

fn rss1_first() -> Expected<'static> {
    Expected {
        kicker: None,
        title: "川西平原春耕备耕全面展开",
        byline: byline("杨帆", &["杨帆"]),
        date: Some("2024-04-15"),
        // RSS 1.0 items carry no category: the feed's title is the section.
        section: FEED_TITLE,
        paragraphs: &[
            "眼下正值春耕关键时节，川西平原各地抢抓农时，育秧、移栽、施肥有序推进。",
            "据省农业农村厅[1]统计，全省已完成水稻育秧面积1200万亩。",
        ],
        links: vec![link(
            "省农业农村厅",
            "https://www.scnb.example.cn/2024/0410/nc-03.html",
        )],
        photos: vec![photo(
            "农民在田间插秧",
            Some("记者 吴涛 摄"),
            "https://www.scnb.example.cn/img/2024/0415/chungeng.jpg",
        )],
        url: Some("https://www.scnb.example.cn/2024/0415/nc-01.html"),
        published: Some("2024-04-15T09:00:00+08:00"),
    }
}

fn tricky_first() -> Expected<'static> {
    Expected {
        kicker: None,
        // `&amp;quot;` and `&amp;amp;` in the XML: entities inside the text.
        title: "“两会”时间｜代表委员热议\"新质生产力\" & 高质量发展",
        byline: byline("记者 高峰", &["高峰"]),
        date: Some("2024-03-05"),
        section: "两会",
        paragraphs: &["全国两会期间，代表委员围绕发展新质生产力建言献策。"],
        links: Vec::new(),
        photos: Vec::new(),
        url: Some("https://kb.example.cn/2024/0305/lh-01.html"),
        published: Some("2024-03-05T10:00:00+08:00"),
    }
}

#[rstest]
#[case::rss2_utf8(
    "rss2-utf8.xml",
    Some("application/rss+xml; charset=utf-8"),
    4,
    rss2_first()
)]
#[case::rss2_gb18030("rss2-gb18030.xml", Some("text/xml"), 4, rss2_first())]
#[case::atom_utf8("atom-utf8.xml", Some("application/atom+xml"), 3, atom_first())]
#[case::atom_big5("atom-big5.xml", Some("application/atom+xml"), 3, atom_first())]
#[case::rss2_japanese_utf8("rss2-ja-utf8.xml", Some("text/xml"), 3, japanese_first())]
#[case::rss2_shift_jis("rss2-shift-jis.xml", None, 3, japanese_first())]
#[case::json_feed("feed.json", Some("application/feed+json"), 3, json_first())]
#[case::rss1_rdf("rss1-rdf.xml", Some("application/rdf+xml"), 3, rss1_first())]
#[case::tricky("tricky.xml", Some("text/html"), 5, tricky_first())]
fn each_fixture_yields_its_items(
    #[case] name: &str,
    #[case] content_type: Option<&str>,
    #[case] count: usize,
    #[case] first: Expected<'static>,
) {
    let (_server, archive, outcome) = fetched(name, content_type);

    assert_eq!(outcome, stored(count, 0, 0));
    let files = item_files(&archive.store());
    assert_eq!(files.len(), count, "{:?}", files.keys());
    assert!(
        files
            .keys()
            .all(|n| n.ends_with(".txt") && !n.contains('/')),
        "{:?}",
        files.keys()
    );
    let library = archive.library();
    assert!(library.warnings.is_empty(), "{:?}", library.warnings);
    assert_eq!(library.articles.len(), count);
    let article = &library.articles[0];
    assert_eq!(*article, first.article(article));
    let bundle = fs::read_to_string(&article.source.path).expect("the item's bundle");
    let lines: Vec<&str> = bundle.lines().collect();
    let (first_line, last_line) = (article.source.first_line, article.source.last_line);
    assert!(
        first_line < last_line && last_line <= lines.len(),
        "{first_line}-{last_line}"
    );
    assert!(lines[first_line - 1].starts_with("+++ item "), "{bundle}");
    assert!(
        lines[last_line..]
            .first()
            .is_none_or(|l| l.starts_with("+++ item ")),
        "{bundle}"
    );
    assert_no_temporary_files(archive.path());
}

/// Titles, dates and sections of every item, newest first.
fn overview(library: &Library) -> Vec<(Option<String>, String, Option<String>, String)> {
    library
        .articles
        .iter()
        .map(|a| {
            (
                a.kicker.clone(),
                a.title.clone().unwrap_or_default(),
                a.date.clone(),
                a.section.clone().unwrap_or_default(),
            )
        })
        .collect()
}

fn row(
    kicker: Option<&str>,
    title: &str,
    date: Option<&str>,
    section: &str,
) -> (Option<String>, String, Option<String>, String) {
    (
        kicker.map(str::to_owned),
        title.to_owned(),
        date.map(str::to_owned),
        section.to_owned(),
    )
}

#[test]
fn rss2_media_content_enclosure_and_plain_text_items() {
    let (_server, archive, _) = fetched("rss2-utf8.xml", None);
    let library = archive.library();
    let articles = &library.articles;

    assert_eq!(
        overview(&library)[..3],
        [
            row(
                Some("全市科技工作会议提出"),
                "奋力建设区域创新高地",
                Some("2024-03-12"),
                "要闻"
            ),
            row(None, "一季度外贸进出口稳中有升", Some("2024-03-12"), "经济"),
            // No category: the feed's title.
            row(None, "春季义务植树活动启动", Some("2024-03-11"), FEED_TITLE),
        ]
    );
    // media:content with media:description.
    assert_eq!(
        articles[1].photos,
        [photo(
            "江城港集装箱码头一派繁忙景象。",
            None,
            "https://img.jcrb.example.cn/2024/0312/gangkou.jpg"
        )]
    );
    assert_eq!(
        articles[1].paragraphs,
        strings(&[
            "记者从市商务局获悉，1至2月，全市外贸进出口总值达到156.3亿元，同比增长7.8%。",
            "其中，机电产品出口增长较快，新能源汽车、锂电池和光伏产品合计出口增长31.2%。",
        ])
    );
    // An enclosure image: no caption to show.
    assert_eq!(
        articles[2].photos,
        [photo(
            "",
            None,
            "https://img.jcrb.example.cn/2024/0311/zhishu.jpg"
        )]
    );
    // A plain-text description: blank lines separate its paragraphs.
    assert_eq!(
        articles[3].title.as_deref(),
        Some("市图书馆延长周末开放时间")
    );
    assert_eq!(
        articles[3].paragraphs,
        strings(&[
            "从3月起，市图书馆周六、周日开放时间延长至晚上9点。",
            "读者可通过“江城图书馆”微信公众号预约座位。",
        ])
    );
}

#[test]
fn tricky_feed_items_keep_their_titles_and_get_stable_guids() {
    let (_server, archive, _) = fetched("tricky.xml", Some("application/xml"));
    let library = archive.library();
    let headline = "国务院常务会议研究部署进一步优化营商环境有关举措，要求各地区各部门坚持问题导向，\
                    聚焦企业和群众反映强烈的突出问题，加大改革攻坚力度，\
                    持续激发经营主体活力和社会创造力，推动经济实现质的提升和量的合理增长";
    assert_eq!(headline.chars().count(), 100);

    assert_eq!(
        overview(&library),
        [
            row(
                None,
                "“两会”时间｜代表委员热议\"新质生产力\" & 高质量发展",
                Some("2024-03-05"),
                "两会"
            ),
            // `2024年3月4日 上午10:30`: 上午 written against the time.
            row(
                None,
                "地铁5号线南延段开通初期运营",
                Some("2024-03-04"),
                FEED_TITLE
            ),
            row(
                None,
                "气象台发布大风蓝色预警",
                Some("2024-03-03"),
                FEED_TITLE
            ),
            row(None, "停水通知", Some("2024-03-02"), FEED_TITLE),
            row(None, headline, Some("2024-03-01"), FEED_TITLE),
        ]
    );
    assert_eq!(
        library.articles[1].published.as_deref(),
        Some("2024-03-04T10:30:00+08:00")
    );

    let items: BTreeMap<String, Item> = item_files(&archive.store())
        .into_iter()
        .map(|(name, bytes)| {
            let item = Item::from_file(&String::from_utf8(bytes).expect("UTF-8"))
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            (item.title.clone().unwrap_or_default(), item)
        })
        .collect();
    // No guid: the link identifies the item; no link either: title and date.
    assert_eq!(
        items["气象台发布大风蓝色预警"].guid,
        "link:https://kb.example.cn/2024/0303/qx-03.html"
    );
    assert_eq!(
        items["停水通知"].guid,
        "title:停水通知|2024-03-02T09:00:00+08:00"
    );
    assert_eq!(items["停水通知"].link, None);
    assert_eq!(items[headline].guid, "kb-gw-20240301-05");
}

// ---------------------------------------------------------------------------
// 2. Legacy encodings against their UTF-8 twins

#[rstest]
#[case::gb18030_no_header("rss2-gb18030.xml", "rss2-utf8.xml", None)]
#[case::gb18030_no_charset("rss2-gb18030.xml", "rss2-utf8.xml", Some("text/xml"))]
#[case::gb18030_said_utf8(
    "rss2-gb18030.xml",
    "rss2-utf8.xml",
    Some("application/rss+xml; charset=utf-8")
)]
#[case::gb18030_said_gb2312(
    "rss2-gb18030.xml",
    "rss2-utf8.xml",
    Some("text/xml; charset=\"GB2312\"")
)]
#[case::big5_no_header("atom-big5.xml", "atom-utf8.xml", None)]
#[case::big5_no_charset("atom-big5.xml", "atom-utf8.xml", Some("text/xml"))]
#[case::big5_said_utf8(
    "atom-big5.xml",
    "atom-utf8.xml",
    Some("application/atom+xml; charset=UTF-8")
)]
#[case::big5_said_big5("atom-big5.xml", "atom-utf8.xml", Some("text/xml; charset=big5"))]
#[case::shift_jis_no_header("rss2-shift-jis.xml", "rss2-ja-utf8.xml", None)]
#[case::shift_jis_no_charset("rss2-shift-jis.xml", "rss2-ja-utf8.xml", Some("text/xml"))]
#[case::shift_jis_said_utf8(
    "rss2-shift-jis.xml",
    "rss2-ja-utf8.xml",
    Some("text/xml; charset=utf-8")
)]
#[case::shift_jis_said_shift_jis(
    "rss2-shift-jis.xml",
    "rss2-ja-utf8.xml",
    Some("text/xml; charset=Shift_JIS")
)]
fn legacy_encodings_equal_their_utf8_twins(
    #[case] legacy: &str,
    #[case] twin: &str,
    #[case] content_type: Option<&str>,
) {
    assert_same_as_twin(legacy, twin, content_type);
}

/// Bug: the HTTP charset is tried first and a wrong one that is a legacy
/// encoding "decodes cleanly" (windows-1252 decodes any bytes; GB2312 reads
/// most Big5), so it beats the correct `encoding` of the XML declaration
/// and mojibake is stored.
#[rstest]
#[case::gb18030_said_latin1(
    "rss2-gb18030.xml",
    "rss2-utf8.xml",
    Some("text/xml; charset=iso-8859-1")
)]
#[case::big5_said_gb2312(
    "atom-big5.xml",
    "atom-utf8.xml",
    Some("application/atom+xml; charset=gb2312")
)]
#[case::shift_jis_said_latin1(
    "rss2-shift-jis.xml",
    "rss2-ja-utf8.xml",
    Some("text/xml; charset=ISO-8859-1")
)]
fn wrong_legacy_http_charset_loses_to_the_xml_declaration(
    #[case] legacy: &str,
    #[case] twin: &str,
    #[case] content_type: Option<&str>,
) {
    assert_same_as_twin(legacy, twin, content_type);
}

/// Fetches `legacy` (served with `content_type`) and `twin` (served as
/// UTF-8) into two stores, which must hold the same files, byte for byte.
fn assert_same_as_twin(legacy: &str, twin: &str, content_type: Option<&str>) {
    let (_a, legacy_archive, legacy_outcome) = fetched(legacy, content_type);
    let (_b, twin_archive, twin_outcome) = fetched(twin, Some("application/xml; charset=utf-8"));
    assert!(matches!(twin_outcome, Outcome::Stored(_)), "{twin_outcome}");
    assert_eq!(legacy_outcome, twin_outcome);

    let titles = |archive: &Archive| -> Vec<(Option<String>, Option<String>, Vec<String>)> {
        archive
            .library()
            .articles
            .into_iter()
            .map(|a| (a.kicker, a.title, a.paragraphs))
            .collect()
    };
    assert_eq!(titles(&legacy_archive), titles(&twin_archive));
    assert_eq!(
        item_files(&legacy_archive.store()),
        item_files(&twin_archive.store())
    );
}

// ---------------------------------------------------------------------------
// 3. Failures

#[test]
fn not_modified_with_etag_keeps_the_items() {
    let server = Server::start();
    server.route(
        FEED_PATH,
        Response::ok(fixture("rss2-utf8.xml"))
            .header("Content-Type", "application/rss+xml")
            .etag("\"jcrb-20240312\""),
    );
    let archive = Archive::feed(&server.url(FEED_PATH), "");
    assert_eq!(archive.fetch(false), stored(4, 0, 0));
    let before = item_files(&archive.store());

    assert_eq!(archive.fetch(false), Outcome::NotModified);

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].header("If-None-Match"), None);
    assert_eq!(
        requests[1].header("If-None-Match"),
        Some("\"jcrb-20240312\"")
    );
    assert_eq!(item_files(&archive.store()), before);
    assert_eq!(archive.library().articles.len(), 4);
    assert_no_temporary_files(archive.path());
}

#[test]
fn kanbao_fetch_counts_a_not_modified_feed_in_its_summary() {
    let server = Server::start();
    server.route(
        FEED_PATH,
        Response::ok(fixture("rss2-utf8.xml"))
            .header("Content-Type", "application/rss+xml")
            .etag("\"jcrb-20240312\""),
    );
    let archive = Archive::feed(&server.url(FEED_PATH), "");
    let first = archive.kanbao(&["fetch"]);
    assert_eq!(
        first.stdout,
        "1 feed: 4 new, 0 updated, 0 unchanged, 0 failed\n"
    );

    let again = archive.kanbao(&["fetch"]);

    assert_eq!(again.code, 0, "{again:?}");
    assert_eq!(
        server.requests()[1].header("If-None-Match"),
        Some("\"jcrb-20240312\""),
        "the second fetch is conditional"
    );
    assert_eq!(again.stderr, "news: not modified\n");
    assert_eq!(
        again.stdout,
        "1 feed: 0 new, 0 updated, 0 unchanged, 1 not modified, 0 failed\n"
    );
}

#[test]
fn not_modified_with_last_modified_keeps_the_items() {
    const DATE: &str = "Tue, 12 Mar 2024 02:00:00 GMT";
    let server = Server::start();
    server.route(
        FEED_PATH,
        Response::ok(fixture("atom-utf8.xml")).last_modified(DATE),
    );
    let archive = Archive::feed(&server.url(FEED_PATH), "");
    assert_eq!(archive.fetch(false), stored(3, 0, 0));
    let before = item_files(&archive.store());

    assert_eq!(archive.fetch(false), Outcome::NotModified);

    assert_eq!(server.requests()[1].header("If-Modified-Since"), Some(DATE));
    assert_eq!(item_files(&archive.store()), before);
}

/// What the server answers on the fetch that fails.
type Setup = fn(&Server);

fn html_page(server: &Server) {
    server.route(
        FEED_PATH,
        Response::ok(
            "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
             <title>江城日报</title></head><body><h1>页面不存在</h1>\
             <p>您访问的页面已删除。</p></body></html>\n",
        )
        .header("Content-Type", "text/html; charset=utf-8"),
    );
}

#[rstest]
#[case::not_found(
    |s: &Server| { s.route(FEED_PATH, Response::new(404, "Not Found").body("没有找到")); },
    "HTTP 404 Not Found; check the url"
)]
#[case::server_error(
    |s: &Server| { s.route(FEED_PATH, Response::new(500, "Internal Server Error")); },
    "HTTP 500 Internal Server Error; try again later"
)]
#[case::redirect_loop(
    |s: &Server| {
        s.route(FEED_PATH, Response::redirect("/moved.xml"))
            .route("/moved.xml", Response::redirect(FEED_PATH));
    },
    "too many redirects (more than 5); check the url"
)]
#[case::stalls_past_the_timeout(
    |s: &Server| {
        s.route(
            FEED_PATH,
            Response::ok(fixture("rss2-utf8.xml")).stall_after(300, Duration::from_secs(10)),
        );
    },
    "timed out after 1 s; raise `timeout` in the feed's config or try later"
)]
#[case::silent_past_the_timeout(
    |s: &Server| {
        s.route(
            FEED_PATH,
            Response::ok(fixture("rss2-utf8.xml")).delay(Duration::from_secs(10)),
        );
    },
    "timed out after 1 s; raise `timeout` in the feed's config or try later"
)]
#[case::over_max_size(
    |s: &Server| { s.route(FEED_PATH, Response::filler(2 * MB)); },
    "body larger than 1 MB; raise `max_size` in the feed's config"
)]
#[case::cut_short_of_content_length(
    |s: &Server| { s.route(FEED_PATH, Response::filler(5000).truncate_at(1000)); },
    "connection closed before the body was complete (got 1000 of 5000 bytes); try again later"
)]
#[case::truncated_before_any_item(
    // Cut before its first item ends: nothing whole to keep (issue 14: a
    // feed cut later keeps its complete items, see below).
    |s: &Server| { s.route(FEED_PATH, Response::ok(&fixture("rss2-utf8.xml")[..400])); },
    "invalid XML (the feed ends early: truncated?): Parser error: syntax error: \
     tag not closed: `>` not found before end of input"
)]
#[case::html_page(
    html_page,
    "a web page (HTML), not a feed; use the page's RSS or Atom link (often …/rss.xml, …/feed or …/atom.xml)"
)]
#[case::empty_body(
    |s: &Server| { s.route(FEED_PATH, Response::ok("")); },
    "empty feed: the server sent nothing to read"
)]
#[case::broken_json(
    |s: &Server| {
        s.route(FEED_PATH, Response::ok("{\"version\": \"https://jsonfeed.org/version/1.1\", \"title\": \"滨海晚报\"}"));
    },
    "invalid JSON Feed: missing field `items` at line 1 column 72"
)]
fn failures_leave_the_store_untouched(#[case] setup: Setup, #[case] reason: &str) {
    let server = serve(&fixture("rss2-utf8.xml"), Some("application/rss+xml"));
    let archive = Archive::feed(&server.url(FEED_PATH), "timeout = 1\nmax_size = 1");
    assert_eq!(archive.fetch(false), stored(4, 0, 0));
    let before = snapshot(&archive.store());
    assert!(before.contains_key(".fetch.toml"));

    setup(&server);
    let outcome = archive.fetch(false);

    assert_eq!(outcome, Outcome::Failed(reason.to_owned()));
    assert_eq!(outcome.to_string(), format!("failed: {reason}"));
    assert!(!reason.contains('\n'));
    assert!(
        snapshot(&archive.store()) == before,
        "the store changed after a failed fetch"
    );
    assert_no_temporary_files(archive.path());
    assert_eq!(archive.library().articles.len(), 4);
}

#[test]
fn an_html_page_is_named_as_such() {
    let server = Server::start();
    html_page(&server);
    let archive = Archive::feed(&server.url(FEED_PATH), "");

    let Outcome::Failed(reason) = archive.fetch(false) else {
        panic!("an HTML page was stored as a feed");
    };
    assert!(reason.contains("HTML"), "{reason}");
}

/// A feed cut off after a whole item keeps that item, and says where the
/// document ends (issue 14: libxml2's recover mode, feedparser's bozo).
#[test]
fn a_feed_cut_after_a_whole_item_keeps_it_and_says_where_it_ends() {
    let bytes = fixture("rss2-utf8.xml");
    let end = bytes
        .windows(7)
        .position(|w| w == b"</item>")
        .expect("an item")
        + 7;
    let server = serve(&bytes[..end], Some("application/rss+xml"));
    let archive = Archive::feed(&server.url(FEED_PATH), "");

    let warnings = std::sync::Mutex::new(Vec::new());
    let outcome = kanbao::feed::fetch::fetch_one(&archive.feed_config(), false, None, &|e| {
        if let kanbao::feed::fetch::Event::Warning { message, .. } = e
            && let Ok(mut w) = warnings.lock()
        {
            w.push(message);
        }
    });
    assert_eq!(outcome, stored(1, 0, 0));
    let warnings = warnings.into_inner().unwrap_or_default();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].starts_with("ill-formed XML: the document ends early (line "),
        "{warnings:?}"
    );
    assert_eq!(archive.library().articles.len(), 1);
}

// ---------------------------------------------------------------------------
// 4. Fetching again: dedup, updates, stable ids

/// `(title, id)` of every article of `kanbao list --json`.
fn listed_ids(archive: &Archive) -> BTreeMap<String, String> {
    let run = archive.kanbao(&["list", "--json"]);
    assert_eq!(run.code, 0, "{run:?}");
    let json = run.json();
    assert_eq!(json["warnings"], Value::Array(Vec::new()), "{run:?}");
    json["articles"]
        .as_array()
        .expect("articles")
        .iter()
        .map(|a| {
            (
                a["title"].as_str().unwrap_or_default().to_owned(),
                a["id"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[test]
fn fetching_again_stores_nothing_twice_and_updates_what_changed() {
    let server = serve(&fixture("rss2-utf8.xml"), Some("application/rss+xml"));
    let archive = Archive::feed(&server.url(FEED_PATH), "");
    assert_eq!(archive.fetch(false), stored(4, 0, 0));
    let first = item_files(&archive.store());
    let first_times = mtimes(&archive.store());
    let ids = listed_ids(&archive);
    assert_eq!(ids.len(), 4);

    assert_eq!(archive.fetch(false), stored(0, 0, 4));
    assert_eq!(item_files(&archive.store()), first);
    assert_eq!(
        mtimes(&archive.store()),
        first_times,
        "unchanged files rewritten"
    );
    assert_eq!(listed_ids(&archive), ids);

    let changed = fixture_text("rss2-utf8.xml").replace("1.2万亩", "1.5万亩");
    server.route(FEED_PATH, Response::ok(changed));
    assert_eq!(archive.fetch(false), stored(0, 1, 3));

    let second = item_files(&archive.store());
    assert_eq!(
        second.keys().collect::<Vec<_>>(),
        first.keys().collect::<Vec<_>>()
    );
    let differing: Vec<&String> = first
        .iter()
        .filter(|(name, bytes)| second[*name] != **bytes)
        .map(|(name, _)| name)
        .collect();
    assert_eq!(differing.len(), 1, "{differing:?}");
    assert!(
        differing[0].starts_with("jcrb-20240311-021-"),
        "{differing:?}"
    );
    let text = String::from_utf8(second[differing[0]].clone()).expect("UTF-8");
    assert!(text.contains("今年全市计划新增造林面积1.5万亩。"), "{text}");
    assert!(!text.contains("1.2万亩"), "{text}");
    assert_eq!(listed_ids(&archive), ids);
    assert_no_temporary_files(archive.path());
}

// ---------------------------------------------------------------------------
// 5. Guids cannot escape the store

fn guid_feed(guids: &[String]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel>\
         <title>江城日报</title><link>https://www.jcrb.example.cn/</link>\n",
    );
    for (n, guid) in guids.iter().enumerate() {
        let guid = guid
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        xml.push_str(&format!(
            "<item><title>第{n}条消息</title><guid isPermaLink=\"false\">{guid}</guid>\
             <pubDate>Tue, 12 Mar 2024 09:{n:02}:00 +0800</pubDate>\
             <description>第{n}条消息的正文。</description></item>\n"
        ));
    }
    xml.push_str("</channel></rss>\n");
    xml
}

#[test]
fn hostile_guids_stay_inside_the_store() {
    let guids: Vec<String> = [
        "../../etc/x",
        "../../../../../../tmp/kanbao-escape",
        "..\\..\\windows\\x",
        "C:\\x",
        "C:x",
        "/abs/path",
        "/",
        "..",
        ".",
        ".fetch.toml",
        "store/../../config.toml",
        "%2e%2e%2fx",
        "CON",
        "nul.txt",
        "第\t一\n条",
        "新闻/二〇二四/第一条",
        "ニュース",
        "😀/../😀",
        " ",
    ]
    .iter()
    .map(|g| (*g).to_owned())
    .chain([
        "a".repeat(5000),
        format!("https://www.jcrb.example.cn/{}", "长".repeat(2000)),
        "../".repeat(300) + "x",
    ])
    .collect();
    let server = serve(guid_feed(&guids).as_bytes(), Some("application/rss+xml"));
    let archive = Archive::feed(&server.url(FEED_PATH), "");
    let config_before = fs::read(archive.config_path()).expect("config");

    let outcome = archive.fetch(false);

    let Outcome::Stored(report) = outcome else {
        panic!("{outcome}");
    };
    assert_eq!(
        report,
        StoreReport {
            new: guids.len(),
            updated: 0,
            unchanged: 0
        }
    );
    let everything = snapshot(archive.path());
    let outside: Vec<&String> = everything
        .keys()
        .filter(|name| *name != "config.toml" && !name.starts_with("store/"))
        .collect();
    assert!(outside.is_empty(), "files outside the store: {outside:?}");
    let inside: Vec<&String> = everything
        .keys()
        .filter(|name| name.starts_with("store/"))
        .collect();
    assert!(
        inside.iter().all(|n| !n["store/".len()..].contains('/')),
        "{inside:?}"
    );
    assert_eq!(item_files(&archive.store()).len(), report.new, "{inside:?}");
    assert_eq!(
        fs::read(archive.config_path()).expect("config"),
        config_before
    );
    assert!(!Path::new("/tmp/kanbao-escape").exists());
    assert!(
        String::from_utf8_lossy(&everything["store/.fetch.toml"]).contains("fetched_at"),
        "the fetch state was overwritten by an item"
    );
    let library = archive.library();
    assert!(library.warnings.is_empty(), "{:?}", library.warnings);
    assert_eq!(library.articles.len(), report.new);
}

// ---------------------------------------------------------------------------
// 6. `kanbao fetch` through the binary

/// Three web feeds: `ok` over HTTP, `gone` a 404, `local` a file.
fn three_feeds(server: &Server, gone_path: &str) -> Archive {
    let local = fixture_path("atom-utf8.xml");
    let config = [
        feed_table("ok", "江城日报", &server.url(FEED_PATH), "feeds/ok", ""),
        feed_table("gone", "已停刊", &server.url(gone_path), "feeds/gone", ""),
        feed_table(
            "local",
            "港島晨報",
            &local.to_string_lossy(),
            "feeds/local",
            "",
        ),
    ]
    .join("\n");
    Archive::with_config(&config)
}

fn assert_plain(text: &str) {
    assert!(
        !text.contains('\u{1b}') && !text.contains('\r'),
        "escape sequences or carriage returns: {text:?}"
    );
    assert!(!text.contains("fetching "), "a progress bar: {text:?}");
}

#[test]
fn kanbao_fetch_names_the_failing_feed_and_exits_1() {
    let server = serve(&fixture("rss2-utf8.xml"), Some("application/rss+xml"));
    let archive = three_feeds(&server, "/gone.xml");

    let run = archive.kanbao(&["fetch"]);

    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(
        run.stdout,
        "3 feeds: 7 new, 0 updated, 0 unchanged, 1 failed\n"
    );
    let mut lines: Vec<&str> = run.stderr.lines().collect();
    lines.sort_unstable();
    assert_eq!(
        lines,
        [
            "gone: failed: HTTP 404 Not Found; check the url",
            "local: 3 new, 0 updated, 0 unchanged",
            "ok: 4 new, 0 updated, 0 unchanged",
        ],
        "{run:?}"
    );
    assert_plain(&run.stdout);
    assert_plain(&run.stderr);
    assert_eq!(item_files(&archive.path().join("feeds/ok")).len(), 4);
    assert_eq!(item_files(&archive.path().join("feeds/local")).len(), 3);
    assert!(!archive.path().join("feeds/gone").exists());
}

#[test]
fn kanbao_fetch_exits_0_when_every_feed_is_fetched() {
    let server = serve(&fixture("rss2-utf8.xml"), Some("application/rss+xml"));
    server.route("/gone.xml", Response::ok(fixture("feed.json")));
    let archive = three_feeds(&server, "/gone.xml");

    let run = archive.kanbao(&["fetch"]);

    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        run.stdout,
        "3 feeds: 10 new, 0 updated, 0 unchanged, 0 failed\n"
    );
    assert_eq!(run.stderr.lines().count(), 3, "{run:?}");
    assert_plain(&run.stdout);
    assert_plain(&run.stderr);

    let again = archive.kanbao(&["fetch", "--jobs", "1"]);
    assert_eq!(again.code, 0, "{again:?}");
    assert_eq!(
        again.stdout,
        "3 feeds: 0 new, 0 updated, 10 unchanged, 0 failed\n"
    );
    let listed = archive.kanbao(&["list", "--json"]);
    assert_eq!(listed.json()["articles"].as_array().map(Vec::len), Some(10));
}

// ---------------------------------------------------------------------------
// 7. `interval` and `--force`

#[test]
fn a_second_fetch_within_the_interval_is_too_soon() {
    let server = serve(&fixture("rss2-utf8.xml"), Some("application/rss+xml"));
    let archive = Archive::feed(&server.url(FEED_PATH), "interval = 60");
    assert_eq!(archive.fetch(false), stored(4, 0, 0));
    let before = snapshot(&archive.store());

    let outcome = archive.fetch(false);

    assert_eq!(outcome, Outcome::TooSoon { minutes_left: 60 });
    assert_eq!(server.requests().len(), 1, "a request reached the server");
    assert_eq!(snapshot(&archive.store()), before);

    assert_eq!(archive.fetch(true), stored(0, 0, 4));
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn kanbao_fetch_skips_a_recent_feed_unless_forced() {
    let server = serve(&fixture("rss2-utf8.xml"), Some("application/rss+xml"));
    let archive = Archive::feed(&server.url(FEED_PATH), "interval = 30");
    assert_eq!(archive.kanbao(&["fetch"]).code, 0);
    assert_eq!(server.requests().len(), 1);

    let skipped = archive.kanbao(&["fetch"]);
    assert_eq!(skipped.code, 0, "{skipped:?}");
    assert_eq!(
        skipped.stderr,
        "news: skipped: fetched recently, next in 30 min (--force to fetch now)\n"
    );
    assert_eq!(
        skipped.stdout,
        "1 feed: 0 new, 0 updated, 0 unchanged, 1 skipped, 0 failed\n"
    );
    assert_eq!(server.requests().len(), 1, "a request reached the server");

    let forced = archive.kanbao(&["fetch", "--force", "news"]);
    assert_eq!(forced.code, 0, "{forced:?}");
    assert_eq!(forced.stderr, "news: 0 new, 0 updated, 4 unchanged\n");
    assert_eq!(server.requests().len(), 2);
}

// ---------------------------------------------------------------------------
// 8. `max_items`

/// Four items out of date order.
const SHUFFLED: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>江城日报</title><link>https://www.jcrb.example.cn/</link>
<item><title>周日：环城绿道全线贯通</title><guid>jcrb-0310</guid><pubDate>Sun, 10 Mar 2024 09:00:00 +0800</pubDate><description>环城绿道全长128公里。</description></item>
<item><title>周二：全市科技工作会议召开</title><guid>jcrb-0312</guid><pubDate>Tue, 12 Mar 2024 09:00:00 +0800</pubDate><description>会议部署今年重点任务。</description></item>
<item><title>周六：市图书馆延长开放时间</title><guid>jcrb-0309</guid><pubDate>Sat, 09 Mar 2024 09:00:00 +0800</pubDate><description>周末开放至晚上9点。</description></item>
<item><title>周一：春季义务植树活动启动</title><guid>jcrb-0311</guid><pubDate>Mon, 11 Mar 2024 09:00:00 +0800</pubDate><description>3000余名干部群众参加。</description></item>
</channel></rss>
"#;

#[test]
fn max_items_keeps_the_newest() {
    let server = serve(SHUFFLED.as_bytes(), Some("application/rss+xml"));
    let archive = Archive::feed(&server.url(FEED_PATH), "max_items = 2");

    assert_eq!(archive.fetch(false), stored(2, 0, 0));

    let titles: Vec<String> = archive
        .library()
        .articles
        .into_iter()
        .filter_map(|a| a.title)
        .collect();
    assert_eq!(
        titles,
        ["周二：全市科技工作会议召开", "周一：春季义务植树活动启动"]
    );
    let names: Vec<String> = item_files(&archive.store()).into_keys().collect();
    assert!(names[0].starts_with("jcrb-0311-"), "{names:?}");
    assert!(names[1].starts_with("jcrb-0312-"), "{names:?}");
}

// ---------------------------------------------------------------------------
// 9. `kanbao parse FILE.xml`

/// Runs `kanbao ARGS…` (no config needed) in a fresh folder that is also
/// HOME.
fn kanbao_parse(args: &[&str]) -> Run {
    let dir = TempDir::new().expect("temporary folder");
    Run::of(
        Command::new(env!("CARGO_BIN_EXE_kanbao"))
            .args(args)
            .current_dir(dir.path())
            .env_remove("KANBAO_CONFIG")
            .env("HOME", dir.path())
            .env("XDG_CONFIG_HOME", dir.path().join(".config"))
            .env("XDG_STATE_HOME", dir.path().join(".local/state"))
            .env("XDG_CACHE_HOME", dir.path().join(".cache")),
    )
}

#[test]
fn kanbao_parse_prints_the_items_of_a_feed_file() {
    let path = fixture_path("rss2-gb18030.xml");
    let run = kanbao_parse(&["parse", &path.to_string_lossy()]);

    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stderr, "");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines[..6],
        [
            "全市科技工作会议提出",
            "奋力建设区域创新高地",
            "2024-03-12 · 要闻 · 王伟、张宁",
            "",
            "　　3月11日，全市科技工作会议召开。会议总结2023年全市科技工作，部署今年重点任务。",
            "　　会议提出，今年全社会研发经费投入增长12%以上，新认定高新技术企业[1]200家，技术合同成交额突破80亿元。",
        ]
    );
    for expected in [
        "图1 3月11日，全市科技工作会议现场。  记者 李华 摄",
        "[1] 高新技术企业 https://www.jcrb.example.cn/2024/0310/kj-015.html",
        "[2] 科技创新专题 https://www.jcrb.example.cn/zt/kjcx/",
        "一季度外贸进出口稳中有升",
        "春季义务植树活动启动",
        "市图书馆延长周末开放时间",
    ] {
        assert!(
            lines.contains(&expected),
            "no line {expected:?}:\n{}",
            run.stdout
        );
    }
    assert_plain(&run.stdout);
}

#[rstest]
#[case::rss2("rss2-utf8.xml", 4, "奋力建设区域创新高地")]
#[case::big5_atom("atom-big5.xml", 3, "天文台發出今年首個黃色暴雨警告")]
#[case::json_feed("feed.json", 3, "滨海新区首条无人驾驶公交线路试运行")]
#[case::rss1("rss1-rdf.xml", 3, "川西平原春耕备耕全面展开")]
#[case::tricky("tricky.xml", 5, "“两会”时间｜代表委员热议\"新质生产力\" & 高质量发展")]
fn kanbao_parse_json_lists_the_items(
    #[case] name: &str,
    #[case] count: usize,
    #[case] first_title: &str,
) {
    let path = fixture_path(name);
    let run = kanbao_parse(&["parse", "--json", &path.to_string_lossy()]);

    assert_eq!(run.code, 0, "{run:?}");
    let json = run.json();
    let articles = json["articles"].as_array().expect("articles");
    assert_eq!(articles.len(), count);
    assert_eq!(articles[0]["title"], first_title);
    assert_eq!(json["warnings"], Value::Array(Vec::new()));
}

#[test]
fn kanbao_parse_detects_a_feed_by_its_content_not_its_name() {
    let dir = TempDir::new().expect("temporary folder");
    let disguised = dir.path().join("01-要闻.txt");
    fs::write(&disguised, fixture("rss2-shift-jis.xml")).expect("write");

    let run = kanbao_parse(&["parse", "--json", &disguised.to_string_lossy()]);

    assert_eq!(run.code, 0, "{run:?}");
    let json = run.json();
    let articles = json["articles"].as_array().expect("articles");
    assert_eq!(articles.len(), 3);
    assert_eq!(articles[0]["title"], "東京で桜が開花　平年より五日遅く");
    assert_eq!(
        articles[0]["links"][0]["url"],
        "https://www.jma.example.jp/sakura/"
    );
}

#[test]
fn kanbao_parse_of_a_truncated_feed_keeps_its_whole_items_and_warns() {
    let path = fixture_path("truncated.xml");
    let display = path.to_string_lossy().into_owned();
    let run = kanbao_parse(&["parse", "--json", &display]);

    assert_eq!(run.code, 0, "{run:?}");
    let json = run.json();
    let titles: Vec<&str> = json["articles"]
        .as_array()
        .map(|a| a.iter().filter_map(|a| a["title"].as_str()).collect())
        .unwrap_or_default();
    // Cut in the middle of its third item: the first two are whole.
    assert_eq!(titles, ["奋力建设区域创新高地", "一季度外贸进出口稳中有升"]);
    assert_eq!(
        json["warnings"][0],
        format!("{display}: ill-formed XML: the document ends early (line 44), repaired")
    );
}

// ---------------------------------------------------------------------------
// Bugs found

#[test]
fn an_item_is_dated_by_the_feeds_own_clock() {
    let (_server, archive, _) = fetched("rss2-utf8.xml", None);
    let library = archive.library();
    let article = library
        .articles
        .iter()
        .find(|a| a.title.as_deref() == Some("市图书馆延长周末开放时间"))
        .expect("the library item");

    // <pubDate>Sat, 09 Mar 2024 07:00:00 +0800</pubDate>
    assert_eq!(article.date.as_deref(), Some("2024-03-09"));
}

#[test]
fn a_json_feed_items_image_is_a_photo() {
    let (_server, archive, _) = fetched("feed.json", Some("application/feed+json"));
    let library = archive.library();

    let urls: Vec<Option<&str>> = library.articles[0]
        .photos
        .iter()
        .map(|p| p.url.as_deref())
        .collect();
    assert!(
        urls.contains(&Some("https://img.bhwb.example.cn/2024/0520/bus-cover.jpg")),
        "{urls:?}"
    );
}

#[test]
fn an_enclosure_next_to_media_content_is_kept() {
    let xml = r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>江城日报</title>
<item><title>江城港迎来今年第一百万标箱</title><guid>jcrb-gk-1</guid>
<pubDate>Tue, 12 Mar 2024 09:00:00 +0800</pubDate>
<description>江城港集装箱吞吐量突破一百万标箱。</description>
<media:content url="https://img.jcrb.example.cn/gk/1.jpg" type="image/jpeg"><media:description>集装箱码头。</media:description></media:content>
<enclosure url="https://img.jcrb.example.cn/gk/2.jpg" type="image/jpeg" length="1000"/>
</item></channel></rss>
"#;
    let server = serve(xml.as_bytes(), Some("application/rss+xml"));
    let archive = Archive::feed(&server.url(FEED_PATH), "");
    assert_eq!(archive.fetch(false), stored(1, 0, 0));

    let urls: Vec<Option<String>> = archive.library().articles[0]
        .photos
        .iter()
        .map(|p| p.url.clone())
        .collect();
    assert_eq!(
        urls,
        [
            Some("https://img.jcrb.example.cn/gk/1.jpg".to_owned()),
            Some("https://img.jcrb.example.cn/gk/2.jpg".to_owned()),
        ]
    );
}

/// One item dated `pub_date`, fetched; its article.
fn dated_item(pub_date: &str) -> Article {
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel>\
         <title>江城日报</title><item><title>全市春运客流平稳有序</title>\
         <guid>jcrb-cy-1</guid><pubDate>{pub_date}</pubDate>\
         <description>春运第一天，全市发送旅客12.6万人次。</description></item></channel></rss>\n"
    );
    let server = serve(xml.as_bytes(), Some("application/rss+xml"));
    let archive = Archive::feed(&server.url(FEED_PATH), "");
    assert_eq!(archive.fetch(false), stored(1, 0, 0));
    archive.library().articles.remove(0)
}

#[test]
fn a_chinese_style_pub_date_is_read() {
    let article = dated_item("2024-03-12 09:30:00");

    assert_eq!(article.date.as_deref(), Some("2024-03-12"));
}

#[test]
fn cst_in_a_chinese_feed_is_china_standard_time() {
    let article = dated_item("Tue, 12 Mar 2024 20:30:00 CST");

    assert_eq!(article.date.as_deref(), Some("2024-03-12"));
    assert!(
        matches!(
            article.published.as_deref(),
            Some("2024-03-12T12:30:00+00:00" | "2024-03-12T20:30:00+08:00")
        ),
        "{:?}",
        article.published
    );
}
