//! The archive's index (`kanbao::index`), through its public API, on
//! archives built in temporary folders: a refresh reads exactly the files
//! that are new or changed and forgets removed ones; a parser update, a
//! damaged or foreign index is rebuilt, never a panic; a cache that cannot
//! be written falls back to memory with a warning; many refreshes merge
//! segments; concurrent refreshes do not corrupt the index. Throughout, the
//! library opened from the index must equal a fresh `Library::load` in every
//! article's fields (ids, order, titles, dates, sections, …), in the
//! warnings and the feed summaries, and `read_article` must give the bodies
//! a fresh load gives.
//!
//! Each test has its own temporary folder holding both the archive and the
//! index (`cache/index`).

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};

use kanbao::config::{self, Config};
use kanbao::index::search::Query;
use kanbao::index::{
    self, Index, IndexError, MAX_SEGMENTS, Opened, PARSER_VERSION, Progress, Refreshed,
};
use kanbao::library::{self, Library};
use kanbao::model::{Article, Warning};
use tempfile::TempDir;

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

/// The sample page shipped with the repository (three articles).
const SAMPLE_PAGE: &str = "feeds/zhumadian-daily/undated/zhumadian-daily-page.txt";

/// One feed `a` read from `feeds/a`.
const ONE_FEED: &str = r#"[[feeds]]
id = "a"
title = "甲报"
kind = "pages"
path = "feeds/a"
"#;

/// Two page feeds and a web feed's store (no fetching: the library reads
/// the stored items).
const THREE_FEEDS: &str = r#"[[feeds]]
id = "a"
title = "甲报"
kind = "pages"
path = "feeds/a"

[[feeds]]
id = "b"
title = "乙报"
kind = "pages"
path = "feeds/b"
section = "综合"

[[feeds]]
id = "web"
title = "网报"
kind = "feed"
url = "https://example.com/rss.xml"
store = "store/web"
"#;

// ───────────────────────────── helpers ─────────────────────────────

/// An archive (config and feed folders) and its index, in one temporary
/// folder.
struct Archive {
    dir: TempDir,
}

impl Archive {
    fn new(config: &str) -> Archive {
        let dir = TempDir::new().expect("create a temporary folder");
        fs::write(dir.path().join("config.toml"), config).expect("write config.toml");
        Archive { dir }
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    /// Writes `bytes` to `relative`, creating its folders.
    fn write(&self, relative: &str, bytes: impl AsRef<[u8]>) {
        let path = self.path(relative);
        fs::create_dir_all(path.parent().expect("a parent folder")).expect("create folders");
        fs::write(&path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }

    /// Writes `bytes` to `relative` and gives it the modification time
    /// `seconds` after 2023-01-01, so that a change is seen whatever the
    /// file system's clock granularity.
    fn write_at(&self, relative: &str, bytes: impl AsRef<[u8]>, seconds: u64) {
        self.write(relative, bytes);
        set_mtime(&self.path(relative), seconds);
    }

    fn remove(&self, relative: &str) {
        fs::remove_file(self.path(relative)).expect("remove a page");
    }

    fn rename(&self, from: &str, to: &str) {
        let to = self.path(to);
        fs::create_dir_all(to.parent().expect("a parent folder")).expect("create folders");
        fs::rename(self.path(from), to).expect("rename a page");
    }

    fn config(&self) -> Config {
        config::load(&self.path("config.toml"), "config.toml")
            .unwrap_or_else(|e| panic!("config: {e:?}"))
    }

    fn index_dir(&self) -> PathBuf {
        self.path("cache/index")
    }

    fn index(&self) -> Index {
        Index::at(self.index_dir())
    }
}

fn set_mtime(path: &Path, seconds: u64) {
    let time = SystemTime::UNIX_EPOCH + Duration::from_secs(1_672_531_200 + seconds);
    fs::File::options()
        .write(true)
        .open(path)
        .and_then(|f| f.set_modified(time))
        .unwrap_or_else(|e| panic!("{}: set mtime: {e}", path.display()));
}

fn quiet(_: Progress) {}

fn refresh(index: &Index, config: &Config) -> Refreshed {
    index
        .refresh(config, &quiet)
        .unwrap_or_else(|e| panic!("refresh {}: {e}", index.dir().display()))
}

fn load(index: &Index, config: &Config) -> Opened {
    index
        .load(config)
        .unwrap_or_else(|e| panic!("load {}: {e}", index.dir().display()))
}

/// A page of articles in the layout the parser reads: headline, blank
/// line, paragraphs indented by two full-width spaces, an editor code,
/// two blank lines between articles.
fn page(articles: &[(&str, &str)]) -> String {
    let mut text = String::new();
    for (title, body) in articles {
        text.push_str(&format!(
            "{title}\n\n记者 王伟\n\n　　{body}这是一段足够长的正文，用来说明事情的经过和结果。⑤3\n\n\n"
        ));
    }
    text
}

/// A page with one article `title` whose body says `body`.
fn one(title: &str, body: &str) -> String {
    page(&[(title, body)])
}

/// An article's fields without its text, and how much text it has: what
/// the index keeps of it.
fn fields(a: &Article) -> (Article, kanbao::model::Counts) {
    let mut m = a.clone();
    m.paragraphs.clear();
    m.roles.clear();
    m.source_note = None;
    m.photos.clear();
    m.links.clear();
    m.stub = None;
    (m, a.counts())
}

/// The name an untitled article is listed by: the first 80 characters of
/// what a fresh load shows.
fn listed_title(a: &Article) -> String {
    if a.title.is_some() || a.kicker.is_some() {
        a.display_title().to_owned()
    } else {
        a.display_title().chars().take(80).collect()
    }
}

fn ids(library: &Library) -> Vec<&str> {
    library.articles.iter().map(|a| a.id.as_str()).collect()
}

fn titles(library: &Library) -> Vec<&str> {
    library
        .articles
        .iter()
        .map(Article::display_title)
        .collect()
}

/// `indexed` (from the index) equals `fresh` (a full load) in everything
/// but the bodies, which it must not hold.
fn assert_same_library(indexed: &Library, fresh: &Library, what: &str) {
    assert_eq!(ids(indexed), ids(fresh), "{what}: ids in order");
    for (i, f) in indexed.articles.iter().zip(&fresh.articles) {
        assert!(i.stub.is_some(), "{what}: {} is not a stub", i.id);
        assert!(
            i.paragraphs.is_empty() && i.photos.is_empty() && i.links.is_empty(),
            "{what}: {} holds its text",
            i.id
        );
        assert_eq!(fields(i), fields(f), "{what}: fields of {}", i.id);
        assert_eq!(
            i.display_title(),
            listed_title(f),
            "{what}: title of {}",
            i.id
        );
    }
    assert_eq!(indexed.warnings, fresh.warnings, "{what}: warnings");
    assert_eq!(indexed.feeds, fresh.feeds, "{what}: feed summaries");
}

/// `opened` equals a fresh load of `config`, and every stub reads back as
/// the fully loaded article.
fn assert_fresh(opened: &Opened, config: &Config, what: &str) {
    let fresh = Library::load(config);
    assert_same_library(&opened.library, &fresh, what);
    for (stub, full) in opened.library.articles.iter().zip(&fresh.articles) {
        assert_eq!(
            library::read_article(&config.feeds, stub).as_ref(),
            Ok(full),
            "{what}: body of {}",
            stub.id
        );
    }
}

/// The segment names the manifest lists.
fn manifest_segments(index: &Index) -> Vec<String> {
    let text = fs::read_to_string(index.dir().join("MANIFEST")).expect("read MANIFEST");
    text.lines()
        .skip(1)
        .take_while(|l| *l != "end")
        .map(str::to_owned)
        .collect()
}

/// The `seg-*` files in the index folder, sorted.
fn segment_files(index: &Index) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(index.dir())
        .expect("read the index folder")
        .map(|e| {
            e.expect("a folder entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|n| n.starts_with("seg-"))
        .collect();
    names.sort();
    names
}

/// The newest segment's path.
fn newest_segment(index: &Index) -> PathBuf {
    let names = manifest_segments(index);
    index.dir().join(names.last().expect("a segment"))
}

fn repo_file(relative: &str) -> Vec<u8> {
    let path = Path::new(MANIFEST_DIR).join(relative);
    fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// An archive of one feed with three pages on two dates: 4 articles.
fn small_archive() -> Archive {
    let archive = Archive::new(ONE_FEED);
    archive.write_at(
        "feeds/a/2023-03-07/01-要闻.txt",
        page(&[
            ("科技工作会议召开", "全市科技工作会议在市委召开。"),
            ("乡村振兴看变化", "农村面貌焕然一新。"),
        ]),
        10,
    );
    archive.write_at(
        "feeds/a/2023-03-07/02-地方.txt",
        one("高标准农田建设", "全市累计建成高标准农田。"),
        10,
    );
    archive.write_at(
        "feeds/a/2023-03-08/01-要闻.txt",
        one("城市书房再建二十家", "打造十五分钟阅读圈。"),
        10,
    );
    archive
}

/// An archive of one feed with `pages` pages of two articles each, one
/// issue a day (28 a month) from 2023-01-01.
fn big_archive(pages: usize) -> Archive {
    let archive = Archive::new(ONE_FEED);
    for n in 0..pages {
        archive.write_at(
            &format!(
                "feeds/a/2023-{:02}-{:02}/01-要闻.txt",
                n / 28 + 1,
                n % 28 + 1
            ),
            page(&[
                (&format!("第{n}期头条新闻"), "头条内容。"),
                (&format!("第{n}期二条新闻"), "二条内容。"),
            ]),
            n as u64,
        );
    }
    archive
}

/// An archive of everything the library reads: the sample page, the layout
/// fixtures, legacy encodings, unreadable pages, a broken link, a page in a
/// subfolder, a feed with a default section, stored web feed items, and a
/// missing page feed folder is left out (see `missing_feed_folder_…`).
fn rich_archive() -> Archive {
    let archive = Archive::new(THREE_FEEDS);
    archive.write("feeds/a/undated/sample.txt", repo_file(SAMPLE_PAGE));
    let pages = [
        "advert",
        "briefs",
        "credit-lines",
        "hard-wrapped",
        "indented-article",
        "photo-block",
    ];
    for (n, name) in pages.iter().enumerate() {
        archive.write(
            &format!("feeds/a/2023-03-0{}/0{}-版{n}.txt", n % 3 + 1, n + 1),
            repo_file(&format!("tests/fixtures/pages/{name}.txt")),
        );
    }
    for name in ["big5-page", "gb18030-page", "gbk-crlf-page"] {
        archive.write(
            &format!("feeds/b/{name}.txt"),
            repo_file(&format!("tests/fixtures/encodings/{name}.txt")),
        );
    }
    archive.write(
        "feeds/b/2023-03-09/A05-要闻.txt",
        one("第二个报纸的文章", "正文内容。"),
    );
    archive.write("feeds/b/2023-03-09/binary.txt", b"abc\0def\n");
    archive.write("feeds/b/2023-03-09/empty.txt", b"");
    archive.write(
        "feeds/b/2023-03-09/undecodable.txt",
        b"A\xff\xfe\xfd\xff\xff",
    );
    archive.write("feeds/b/.hidden.txt", one("隐藏文件", "不读。"));
    archive.write("feeds/b/notes.md", "not a page");
    #[cfg(unix)]
    std::os::unix::fs::symlink("missing", archive.path("feeds/b/link.txt")).expect("symlink");
    for (n, (title, published)) in [
        ("较早的网文", "2023-03-07T02:00:00+00:00"),
        ("较新的网文", "2023-03-09T02:00:00+00:00"),
    ]
    .iter()
    .enumerate()
    {
        archive.write(
            &format!("store/web/item-{n}.txt"),
            format!(
                "+++\nguid = \"https://example.com/{n}\"\ntitle = \"{title}\"\n\
                 link = \"https://example.com/{n}\"\npublished = \"{published}\"\n\
                 category = \"国际\"\n+++\n\n网文第一段，说明情况。\n\n第二段。\n"
            ),
        );
    }
    archive
}

// ───────────────────────────── freshness ─────────────────────────────

#[test]
fn the_first_refresh_reads_every_file_and_the_next_reads_none() {
    let archive = small_archive();
    let config = archive.config();
    let index = archive.index();
    assert!(matches!(index.load(&config), Err(IndexError::Missing)));

    let first = refresh(&index, &config);
    let sizes: u64 = [
        "2023-03-07/01-要闻.txt",
        "2023-03-07/02-地方.txt",
        "2023-03-08/01-要闻.txt",
    ]
    .iter()
    .map(|p| {
        fs::metadata(archive.path(&format!("feeds/a/{p}")))
            .expect("stat")
            .len()
    })
    .sum();
    assert_eq!(
        first,
        Refreshed {
            read: 3,
            removed: 0,
            bytes: sizes,
            rebuilt: true,
            warnings: Vec::new(),
        }
    );
    let opened = load(&index, &config);
    assert_fresh(&opened, &config, "first");
    // Newest issue first.
    assert_eq!(
        titles(&opened.library),
        [
            "城市书房再建二十家",
            "科技工作会议召开",
            "乡村振兴看变化",
            "高标准农田建设"
        ]
    );

    let segments = segment_files(&index);
    let second = refresh(&index, &config);
    assert_eq!(second, Refreshed::default());
    assert!(!second.changed());
    assert_eq!(segment_files(&index), segments, "nothing new is written");
    assert_fresh(&load(&index, &config), &config, "second");
}

#[test]
fn progress_counts_the_files_read() {
    let archive = small_archive();
    let config = archive.config();
    let reports = std::cell::RefCell::new(Vec::new());
    let r = archive
        .index()
        .refresh(&config, &|p| reports.borrow_mut().push(p))
        .expect("refresh");
    let reports = reports.into_inner();
    assert_eq!(
        reports.first(),
        Some(&Progress {
            done: 0,
            total: 3,
            bytes: 0
        })
    );
    assert_eq!(
        reports.last(),
        Some(&Progress {
            done: 3,
            total: 3,
            bytes: r.bytes
        })
    );
}

#[test]
fn a_new_file_is_read_alone_and_its_articles_appear() {
    let archive = small_archive();
    let config = archive.config();
    let index = archive.index();
    refresh(&index, &config);
    let before = load(&index, &config);

    let text = one("新建文件的标题", "新文件的内容。");
    archive.write_at("feeds/a/2023-03-06/01-要闻.txt", &text, 20);
    let r = refresh(&index, &config);
    assert_eq!(
        r,
        Refreshed {
            read: 1,
            removed: 0,
            bytes: text.len() as u64,
            rebuilt: false,
            warnings: Vec::new(),
        }
    );
    assert!(r.changed());
    let after = load(&index, &config);
    assert_fresh(&after, &config, "after adding");
    // The new issue (an older date) lists last; the others are untouched.
    assert_eq!(
        titles(&after.library),
        [
            "城市书房再建二十家",
            "科技工作会议召开",
            "乡村振兴看变化",
            "高标准农田建设",
            "新建文件的标题"
        ]
    );
    assert_eq!(after.library.articles[..4], before.library.articles[..]);
}

#[test]
fn a_changed_file_is_read_again_and_only_it() {
    let archive = small_archive();
    let config = archive.config();
    let index = archive.index();
    refresh(&index, &config);
    let before = load(&index, &config);

    // A different size.
    archive.write_at(
        "feeds/a/2023-03-07/02-地方.txt",
        page(&[
            ("高标准农田建设", "全市累计建成高标准农田。"),
            ("家庭农场三千余家", "带动农户增收致富。"),
        ]),
        10,
    );
    let r = refresh(&index, &config);
    assert_eq!((r.read, r.removed, r.rebuilt), (1, 0, false), "{r:?}");
    let after = load(&index, &config);
    assert_fresh(&after, &config, "after growing");
    assert_eq!(
        titles(&after.library),
        [
            "城市书房再建二十家",
            "科技工作会议召开",
            "乡村振兴看变化",
            "高标准农田建设",
            "家庭农场三千余家"
        ]
    );
    assert_eq!(after.library.articles[..4], before.library.articles[..]);

    // The same size, another time: the text must be read again.
    let same_size = page(&[
        ("高标准农田完成", "全市累计建成高标准农田。"),
        ("家庭农场四千余家", "带动农户增收致富。"),
    ]);
    assert_eq!(
        same_size.len() as u64,
        fs::metadata(archive.path("feeds/a/2023-03-07/02-地方.txt"))
            .expect("stat")
            .len()
    );
    archive.write_at("feeds/a/2023-03-07/02-地方.txt", &same_size, 30);
    let r = refresh(&index, &config);
    assert_eq!((r.read, r.removed, r.rebuilt), (1, 0, false), "{r:?}");
    let after = load(&index, &config);
    assert_fresh(&after, &config, "after rewriting");
    assert_eq!(
        titles(&after.library),
        [
            "城市书房再建二十家",
            "科技工作会议召开",
            "乡村振兴看变化",
            "高标准农田完成",
            "家庭农场四千余家"
        ]
    );
    // Only the modification time: read again, the same articles.
    set_mtime(&archive.path("feeds/a/2023-03-07/02-地方.txt"), 40);
    let r = refresh(&index, &config);
    assert_eq!((r.read, r.removed), (1, 0), "{r:?}");
    assert_fresh(&load(&index, &config), &config, "after touching");
}

#[test]
fn a_deleted_file_vanishes() {
    let archive = small_archive();
    let config = archive.config();
    let index = archive.index();
    refresh(&index, &config);
    let before = load(&index, &config);

    archive.remove("feeds/a/2023-03-07/01-要闻.txt");
    let r = refresh(&index, &config);
    assert_eq!(
        r,
        Refreshed {
            read: 0,
            removed: 1,
            bytes: 0,
            rebuilt: false,
            warnings: Vec::new(),
        }
    );
    let after = load(&index, &config);
    assert_fresh(&after, &config, "after deleting");
    assert_eq!(
        titles(&after.library),
        ["城市书房再建二十家", "高标准农田建设"]
    );
    let before = ids(&before.library);
    assert_eq!(ids(&after.library), [before[0], before[3]]);
    assert_eq!(
        refresh(&index, &config),
        Refreshed::default(),
        "forgotten once"
    );

    // Every page gone: an empty library.
    archive.remove("feeds/a/2023-03-07/02-地方.txt");
    archive.remove("feeds/a/2023-03-08/01-要闻.txt");
    let r = refresh(&index, &config);
    assert_eq!((r.read, r.removed), (0, 2), "{r:?}");
    let after = load(&index, &config);
    assert!(after.library.articles.is_empty());
    assert_fresh(&after, &config, "after deleting everything");
}

#[test]
fn a_renamed_file_changes_its_ids() {
    let archive = small_archive();
    let config = archive.config();
    let index = archive.index();
    refresh(&index, &config);
    let before = load(&index, &config);
    let old: Vec<String> = before.library.articles[1..3]
        .iter()
        .map(|a| a.id.clone())
        .collect();

    archive.rename(
        "feeds/a/2023-03-07/01-要闻.txt",
        "feeds/a/2023-03-09/03-科教.txt",
    );
    let r = refresh(&index, &config);
    assert_eq!((r.read, r.removed, r.rebuilt), (1, 1, false), "{r:?}");
    let after = load(&index, &config);
    assert_fresh(&after, &config, "after renaming");
    // Now the newest issue.
    assert_eq!(
        titles(&after.library),
        [
            "科技工作会议召开",
            "乡村振兴看变化",
            "城市书房再建二十家",
            "高标准农田建设"
        ]
    );
    let renamed = &after.library.articles[0];
    assert_eq!(
        (
            renamed.date.as_deref(),
            renamed.section.as_deref(),
            renamed.page.as_deref()
        ),
        (Some("2023-03-09"), Some("科教"), Some("03"))
    );
    for id in &old {
        assert!(after.library.find(id).is_err(), "{id} is still there");
    }
    let expected: Vec<String> = (0..2)
        .map(|n| library::article_id("a", "2023-03-09/03-科教.txt", n))
        .collect();
    assert_eq!(
        ids(&after.library)[..2],
        expected.iter().map(String::as_str).collect::<Vec<_>>()[..]
    );
}

#[test]
fn a_new_parser_version_rebuilds_the_index() {
    let archive = small_archive();
    let config = archive.config();
    let dir = archive.index_dir();
    refresh(&Index::at(&dir), &config);

    let bumped = Index::with_parser(&dir, PARSER_VERSION + 1);
    assert!(
        matches!(bumped.load(&config), Err(IndexError::Missing)),
        "an index of another parser version is not used"
    );
    let r = refresh(&bumped, &config);
    assert_eq!((r.read, r.removed, r.rebuilt), (3, 0, true), "{r:?}");
    assert_eq!(
        segment_files(&bumped),
        manifest_segments(&bumped),
        "old segments deleted"
    );
    assert_fresh(&load(&bumped, &config), &config, "bumped");
    assert_eq!(refresh(&bumped, &config), Refreshed::default());

    // And back.
    let r = refresh(&Index::at(&dir), &config);
    assert_eq!((r.read, r.rebuilt), (3, true), "{r:?}");
    assert_fresh(&load(&Index::at(&dir), &config), &config, "back");
}

#[test]
fn an_index_follows_its_own_config() {
    // Two configs over the same folders: their own index folders.
    let archive = small_archive();
    let config = archive.config();
    let cache = archive.path("cache");
    let home = archive.path("home");
    let here = index::locate_in(Some(cache.as_os_str()), Some(home.as_os_str()), &config)
        .expect("a cache folder");
    assert_eq!(here.parent(), Some(cache.join("kanbao").as_path()));
    let name = here
        .file_name()
        .expect("a name")
        .to_string_lossy()
        .into_owned();
    assert!(
        name.starts_with("index-") && name.len() == "index-".len() + 16,
        "{name}"
    );
    assert_eq!(
        index::locate_in(Some(cache.as_os_str()), Some(home.as_os_str()), &config),
        Some(here.clone()),
        "stable"
    );
    // No absolute XDG_CACHE_HOME: ~/.cache.
    assert_eq!(
        index::locate_in(Some("relative".as_ref()), Some(home.as_os_str()), &config),
        Some(home.join(".cache/kanbao").join(&name))
    );
    assert_eq!(index::locate_in(None, None, &config), None);

    fs::write(
        archive.path("config.toml"),
        ONE_FEED.replace("甲报", "甲报二"),
    )
    .expect("write config");
    let other = archive.config();
    let there = index::locate_in(Some(cache.as_os_str()), None, &other).expect("a folder");
    assert_ne!(there, here, "another feed title, another index");
}

// ───────────────────────────── damage ─────────────────────────────

/// Damages the index of `rich_archive` with `damage`, then checks that
/// loading says it is damaged, and that refreshing rebuilds it to equal a
/// fresh load.
fn damaged_index_is_rebuilt(what: &str, damage: impl Fn(&Index)) {
    let archive = rich_archive();
    let config = archive.config();
    let index = archive.index();
    let first = refresh(&index, &config);
    let files = first.read;
    assert_fresh(&load(&index, &config), &config, what);

    damage(&index);
    match index.load(&config) {
        Err(IndexError::Corrupt(_)) => {}
        other => panic!("{what}: load gives {other:?}"),
    }
    let r = refresh(&index, &config);
    assert_eq!(
        (r.read, r.removed, r.rebuilt),
        (files, 0, true),
        "{what}: {r:?}"
    );
    assert_fresh(&load(&index, &config), &config, what);
    assert_eq!(
        segment_files(&index),
        manifest_segments(&index),
        "{what}: leftovers"
    );

    // And through `open_at`, which rebuilds without a warning.
    damage(&index);
    let opened = index::open_at(&index, &config, &quiet);
    assert_fresh(&opened, &config, what);
}

#[test]
fn a_truncated_segment_is_rebuilt() {
    damaged_index_is_rebuilt("truncated", |index| {
        let path = newest_segment(index);
        let len = fs::metadata(&path).expect("stat").len();
        let file = fs::File::options().write(true).open(&path).expect("open");
        file.set_len(len / 2).expect("truncate");
    });
}

#[test]
fn an_empty_segment_is_rebuilt() {
    damaged_index_is_rebuilt("empty", |index| {
        fs::write(newest_segment(index), b"").expect("empty it");
    });
}

/// Offset and length of a segment's meta section, from its header.
fn meta_section(bytes: &[u8]) -> (usize, usize) {
    let at = |n: usize| u64::from_le_bytes(bytes[n..n + 8].try_into().expect("8 bytes")) as usize;
    (at(56), at(64))
}

#[test]
fn flipped_bytes_in_the_meta_section_are_rebuilt() {
    for part in [0, 1, 2] {
        damaged_index_is_rebuilt(&format!("meta flipped at {part}/2"), |index| {
            let path = newest_segment(index);
            let mut bytes = fs::read(&path).expect("read");
            let (off, len) = meta_section(&bytes);
            assert!(len > 0 && off + len <= bytes.len());
            let at = off + (len - 1) * part / 2;
            bytes[at] ^= 0x5a;
            fs::write(&path, bytes).expect("write");
        });
    }
}

#[test]
fn a_flipped_byte_in_the_source_rows_is_rebuilt() {
    // The rows (read without the records by every command) sit just
    // before the meta section; the last row's feed key is damaged.
    damaged_index_is_rebuilt("source row flipped", |index| {
        let path = newest_segment(index);
        let mut bytes = fs::read(&path).expect("read");
        let (off, _) = meta_section(&bytes);
        bytes[off - 30] ^= 0x5a;
        fs::write(&path, bytes).expect("write");
    });
}

#[test]
fn a_foreign_segment_is_rebuilt() {
    damaged_index_is_rebuilt("not a segment", |index| {
        fs::write(newest_segment(index), "这不是索引文件".repeat(40)).expect("write");
    });
}

#[test]
fn a_garbage_manifest_is_rebuilt() {
    damaged_index_is_rebuilt("garbage manifest", |index| {
        fs::write(index.dir().join("MANIFEST"), b"\xff\xfe garbage \x00\x01").expect("write");
    });
    damaged_index_is_rebuilt("text manifest", |index| {
        fs::write(index.dir().join("MANIFEST"), "hello\nworld\n").expect("write");
    });
    damaged_index_is_rebuilt("manifest naming a path", |index| {
        let text = fs::read_to_string(index.dir().join("MANIFEST")).expect("read");
        let head = text.lines().next().expect("a head line");
        fs::write(
            index.dir().join("MANIFEST"),
            format!("{head}\n../../config.toml\nend\n"),
        )
        .expect("write");
    });
}

#[test]
fn a_cut_manifest_is_rebuilt() {
    damaged_index_is_rebuilt("manifest without end", |index| {
        let text = fs::read_to_string(index.dir().join("MANIFEST")).expect("read");
        let cut = text.strip_suffix("end\n").expect("ends with end");
        fs::write(index.dir().join("MANIFEST"), cut).expect("write");
    });
}

#[test]
fn a_manifest_naming_a_missing_segment_is_rebuilt() {
    damaged_index_is_rebuilt("missing segment", |index| {
        fs::remove_file(newest_segment(index)).expect("remove");
    });
    damaged_index_is_rebuilt("unknown segment", |index| {
        let text = fs::read_to_string(index.dir().join("MANIFEST")).expect("read");
        let text = text.replace("\nend\n", "\nseg-0-0\nend\n");
        fs::write(index.dir().join("MANIFEST"), text).expect("write");
    });
}

/// The searches and reads a damaged index must survive.
fn exercise(opened: &Opened, config: &Config) {
    for q in [
        "科技",
        "科",
        "高标准农田",
        "gdp",
        "2023",
        "正文 内容",
        "遥感卫星",
    ] {
        let query = Query::parse(q).expect("a query");
        for hit in opened.search.find(&query) {
            let _ = opened.search.snippet(&hit, &query, 12, 60);
            let _ = opened.search.snippet(&hit, &query, 0, 1);
        }
    }
    for a in &opened.library.articles {
        let _ = library::read_article(&config.feeds, a);
        let _ = a.display_title();
    }
}

/// Every single damaged byte and every cut of a segment: loading either
/// says the index is damaged or opens something that searches without a
/// panic, and a refresh after a detected damage rebuilds it.
#[test]
fn no_damaged_byte_of_a_segment_panics() {
    let archive = Archive::new(ONE_FEED);
    archive.write(
        "feeds/a/2023-03-07/01-要闻.txt",
        page(&[
            ("科技工作会议召开", "全市ＧＤＰ增长，2023年科技创新。"),
            ("高标准农田建设", "遥感卫星。"),
        ]),
    );
    let config = archive.config();
    let index = archive.index();
    refresh(&index, &config);
    let path = newest_segment(&index);
    let good = fs::read(&path).expect("read");
    assert!(good.len() < 20_000, "a small segment: {}", good.len());

    let mut panics = Vec::new();
    let mut check = |what: String, bytes: &[u8]| {
        fs::write(&path, bytes).expect("write");
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            if let Ok(opened) = index.load(&config) {
                exercise(&opened, &config);
            }
        }));
        if outcome.is_err() {
            panics.push(what);
        }
    };
    for at in 0..good.len() {
        for mask in [0x01u8, 0x80, 0xff] {
            let mut bytes = good.clone();
            bytes[at] ^= mask;
            check(format!("byte {at} ^ {mask:#x}"), &bytes);
        }
    }
    for cut in 0..good.len() {
        check(format!("cut at {cut}"), &good[..cut]);
    }
    assert!(
        panics.is_empty(),
        "{} panics: {:?}",
        panics.len(),
        &panics[..panics.len().min(20)]
    );

    fs::write(&path, &good).expect("restore");
    assert_fresh(&load(&index, &config), &config, "restored");
}

// ─────────────────────── a cache that cannot be written ───────────────────────

/// `open_at` on an index that cannot be used: every article, the fresh
/// warnings, then one naming the index folder.
fn assert_fallback(opened: &Opened, config: &Config, index: &Index) {
    let fresh = Library::load(config);
    let mut warnings = opened.library.warnings.clone();
    let last = warnings.pop().expect("a warning about the index");
    let folder = index.dir().display().to_string();
    assert_eq!(last.path, folder, "{last}");
    assert_eq!(last.line, None);
    assert!(last.message.contains(&folder), "names the folder: {last}");
    assert!(
        last.message
            .ends_with("; working without the index (every page is read at start)"),
        "{last}"
    );
    assert_eq!(warnings, fresh.warnings);
    assert_eq!(ids(&opened.library), ids(&fresh));
    assert_eq!(titles(&opened.library), titles(&fresh));
    for (a, f) in opened.library.articles.iter().zip(&fresh.articles) {
        assert_eq!(fields(a), fields(f), "{}", a.id);
        assert_eq!(library::read_article(&config.feeds, a).as_ref(), Ok(f));
    }
    // Search still works, from memory.
    let query = Query::parse("科技").expect("a query");
    let found: Vec<&str> = opened
        .search
        .find(&query)
        .iter()
        .map(|h| opened.library.articles[h.article].display_title())
        .collect();
    assert_eq!(found, ["科技工作会议召开"]);
}

#[test]
fn a_cache_path_that_is_a_file_falls_back_to_memory() {
    let archive = small_archive();
    let config = archive.config();
    archive.write("cache-file", "not a folder");
    let index = Index::at(archive.path("cache-file").join("index"));
    match index.refresh(&config, &quiet) {
        Err(IndexError::Io(why)) => assert!(
            why.starts_with(&format!(
                "cannot create the index in {}: ",
                index.dir().display()
            )),
            "{why}"
        ),
        other => panic!("refresh gives {other:?}"),
    }
    let opened = index::open_at(&index, &config, &quiet);
    assert_fallback(&opened, &config, &index);
}

#[test]
fn a_manifest_that_is_a_folder_falls_back_to_memory() {
    let archive = small_archive();
    let config = archive.config();
    let index = archive.index();
    fs::create_dir_all(index.dir().join("MANIFEST")).expect("a folder");
    let opened = index::open_at(&index, &config, &quiet);
    assert_fallback(&opened, &config, &index);
}

#[cfg(unix)]
#[test]
fn a_read_only_cache_falls_back_to_memory() {
    use std::os::unix::fs::PermissionsExt;
    let archive = small_archive();
    let config = archive.config();
    let cache = archive.path("cache");
    fs::create_dir_all(&cache).expect("create");
    fs::set_permissions(&cache, fs::Permissions::from_mode(0o555)).expect("chmod");
    let writable = fs::write(cache.join("probe"), "").is_ok();
    let index = archive.index();
    let opened = index::open_at(&index, &config, &quiet);
    fs::set_permissions(&cache, fs::Permissions::from_mode(0o755)).expect("chmod back");
    if writable {
        eprintln!("note: permissions do not apply (running as root?); only checking the index");
        assert_fresh(&opened, &config, "writable after all");
        return;
    }
    assert_fallback(&opened, &config, &index);
}

#[test]
fn in_memory_equals_a_fresh_load() {
    let archive = rich_archive();
    let config = archive.config();
    let opened = index::in_memory(&config, &quiet);
    let fresh = Library::load(&config);
    assert_eq!(ids(&opened.library), ids(&fresh));
    assert_eq!(opened.library.warnings, fresh.warnings);
    for (a, f) in opened.library.articles.iter().zip(&fresh.articles) {
        assert_eq!(fields(a), fields(f), "{}", a.id);
    }
}

// ───────────────────── every archive, and bodies ─────────────────────

/// The configs with their archives: the repository's own, the search
/// fixture, and every valid config fixture (whose folders mostly do not
/// exist: warnings).
fn fixture_configs() -> Vec<PathBuf> {
    let root = Path::new(MANIFEST_DIR);
    let mut paths = vec![
        root.join("config.toml"),
        root.join("tests/fixtures/search/config.toml"),
    ];
    let mut valid: Vec<PathBuf> = fs::read_dir(root.join("tests/fixtures/config/valid"))
        .expect("read the config fixtures")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    valid.sort();
    paths.extend(valid);
    paths
}

#[test]
fn every_fixture_archive_indexes_like_a_fresh_load() {
    for path in fixture_configs() {
        let what = path.display().to_string();
        let config = config::load(&path, &what).unwrap_or_else(|e| panic!("{what}: {e:?}"));
        let cache = TempDir::new().expect("a temporary folder");
        let index = Index::at(cache.path().join("index"));
        let first = index::open_at(&index, &config, &quiet);
        assert_fresh(&first, &config, &what);
        // From the cache, nothing read.
        assert_eq!(refresh(&index, &config).read, 0, "{what}");
        assert_fresh(&index::open_at(&index, &config, &quiet), &config, &what);
    }
}

#[test]
fn the_rich_archive_indexes_like_a_fresh_load() {
    let archive = rich_archive();
    let config = archive.config();
    let index = archive.index();
    let opened = index::open_at(&index, &config, &quiet);
    assert_fresh(&opened, &config, "first");
    let fresh = Library::load(&config);
    // What it holds: the articles of three feeds and the unreadable pages'
    // warnings.
    assert_eq!(
        fresh
            .feeds
            .iter()
            .map(|f| f.id.as_str())
            .collect::<Vec<_>>(),
        ["a", "b", "web"]
    );
    assert!(fresh.articles.len() > 15, "{}", fresh.articles.len());
    let web: Vec<&str> = fresh
        .articles
        .iter()
        .filter(|a| a.feed.as_deref() == Some("web"))
        .map(Article::display_title)
        .collect();
    assert_eq!(web, ["较新的网文", "较早的网文"]);
    let warned: Vec<&str> = fresh.warnings.iter().map(|w| w.path.as_str()).collect();
    for name in ["binary.txt", "empty.txt", "undecodable.txt", "link.txt"] {
        assert!(
            warned.iter().any(|p| p.ends_with(name)),
            "{name}: {warned:?}"
        );
    }
    assert_eq!(refresh(&index, &config), Refreshed::default());
    assert_fresh(&index::open_at(&index, &config, &quiet), &config, "cached");
}

#[test]
fn a_page_that_cannot_be_decoded_is_a_warning_from_the_cache_too() {
    let archive = small_archive();
    archive.write("feeds/a/2023-03-08/02-地方.txt", b"A\xff\xfe\xfd\xff\xff");
    let config = archive.config();
    let index = archive.index();
    let expected = vec![Warning::new(
        &archive
            .path("feeds/a/2023-03-08/02-地方.txt")
            .display()
            .to_string(),
        None,
        "not UTF-8, GB18030 or Big5 text (bad byte at offset 1); convert it to UTF-8, e.g. with iconv",
    )];
    assert_eq!(Library::load(&config).warnings, expected);

    let first = index::open_at(&index, &config, &quiet);
    assert_eq!(first.library.warnings, expected, "first build");
    assert_fresh(&first, &config, "first build");
    assert_eq!(
        refresh(&index, &config).read,
        0,
        "a failed page is not read again"
    );
    let cached = index::open_at(&index, &config, &quiet);
    assert_eq!(cached.library.warnings, expected, "cached");
    assert_fresh(&cached, &config, "cached");
    assert_eq!(load(&index, &config).library.warnings, expected, "load");

    // Fixed: the warning goes.
    archive.write_at(
        "feeds/a/2023-03-08/02-地方.txt",
        one("修好的页面", "正文。"),
        50,
    );
    let fixed = index::open_at(&index, &config, &quiet);
    assert_eq!(fixed.library.warnings, []);
    assert_fresh(&fixed, &config, "fixed");
}

/// A feed whose folder is missing is one warning, as in a fresh load, from
/// a new index and from the cache.
#[test]
fn missing_feed_folder_is_one_warning() {
    let archive = small_archive();
    fs::write(
        archive.path("config.toml"),
        format!("{ONE_FEED}\n[[feeds]]\nid = \"x\"\ntitle = \"乙报\"\nkind = \"pages\"\npath = \"feeds/x\"\n"),
    )
    .expect("write config");
    let config = archive.config();
    let fresh = Library::load(&config);
    assert_eq!(fresh.warnings.len(), 1, "{:?}", fresh.warnings);
    let index = archive.index();
    assert_fresh(
        &index::open_at(&index, &config, &quiet),
        &config,
        "new index",
    );
    assert_fresh(&index::open_at(&index, &config, &quiet), &config, "cached");
    let memory = index::in_memory(&config, &quiet);
    assert_eq!(memory.library.warnings, fresh.warnings, "in memory");
}

/// Warnings come in the order of a fresh load: feed by feed, the folder's
/// problems, then its pages'.
#[test]
fn warnings_keep_the_order_of_a_fresh_load() {
    let archive = Archive::new(&THREE_FEEDS.replace("path = \"feeds/b\"", "path = \"feeds/x\""));
    archive.write("feeds/a/01-要闻.txt", b"abc\0def\n");
    archive.write("feeds/a/02-要闻.txt", one("第二版", "正文。"));
    // Folders are walked in order of their names: x/ before x-y/ and x.txt,
    // though "x-y/" and "x.txt" sort before "x/" as strings.
    archive.write("feeds/a/x/01.txt", b"");
    archive.write("feeds/a/x-y/01.txt", b"");
    archive.write("feeds/a/x.txt", b"");
    archive.write("store/web/item.txt", b"");
    let config = archive.config();
    let fresh = Library::load(&config);
    let root = archive.dir.path().display().to_string();
    let paths: Vec<String> = fresh
        .warnings
        .iter()
        .map(|w| w.path.replace(&root, "ROOT"))
        .collect();
    assert_eq!(
        paths,
        [
            "ROOT/feeds/a/01-要闻.txt",
            "ROOT/feeds/a/x/01.txt",
            "ROOT/feeds/a/x-y/01.txt",
            "ROOT/feeds/a/x.txt",
            "config.toml:11:8",
            "ROOT/store/web/item.txt",
        ]
    );
    let index = archive.index();
    let opened = index::open_at(&index, &config, &quiet);
    assert_eq!(opened.library.warnings, fresh.warnings, "new index");
    let cached = index::open_at(&index, &config, &quiet);
    assert_eq!(cached.library.warnings, fresh.warnings, "cached");
    let memory = index::in_memory(&config, &quiet);
    assert_eq!(memory.library.warnings, fresh.warnings, "in memory");
}

#[test]
fn a_stub_of_a_changed_file_reads_what_is_there_now() {
    let archive = small_archive();
    let config = archive.config();
    let opened = index::open_at(&archive.index(), &config, &quiet);
    let stubs = &opened.library.articles;
    // Not refreshed: the second article of the first page is gone from it.
    archive.write_at(
        "feeds/a/2023-03-07/01-要闻.txt",
        one("科技工作会议闭幕", "会议闭幕。"),
        60,
    );
    let first = library::read_article(&config.feeds, &stubs[1]).expect("still there");
    assert_eq!(first.title.as_deref(), Some("科技工作会议闭幕"));
    assert!(first.stub.is_none() && !first.paragraphs.is_empty());
    let gone = library::read_article(&config.feeds, &stubs[2]).expect_err("gone");
    assert_eq!(
        gone.path,
        archive
            .path("feeds/a/2023-03-07/01-要闻.txt")
            .display()
            .to_string()
    );
    assert!(
        gone.message
            .starts_with("the article is no longer in this file"),
        "{gone}"
    );
    assert_eq!(
        library::read_article(&config.feeds, &stubs[3]).map(|a| a.paragraphs.len()),
        Ok(1)
    );
    archive.remove("feeds/a/2023-03-08/01-要闻.txt");
    assert!(library::read_article(&config.feeds, &stubs[0]).is_err());
}

// ───────────────────────────── merging ─────────────────────────────

#[test]
fn many_refreshes_merge_segments() {
    let archive = small_archive();
    let config = archive.config();
    let index = archive.index();
    refresh(&index, &config);
    for step in 0..(3 * MAX_SEGMENTS) {
        // A change, an addition and (from the third step) a removal of a
        // page added in an earlier step.
        archive.write_at(
            "feeds/a/2023-03-08/01-要闻.txt",
            one(
                &format!("城市书房第{step}次更新"),
                &"阅读。".repeat(step + 1),
            ),
            100 + step as u64,
        );
        archive.write_at(
            &format!("feeds/a/2023-04-{:02}/01-要闻.txt", step + 1),
            one(&format!("第{step}期新闻"), "新闻内容。"),
            100,
        );
        if step >= 2 {
            archive.remove(&format!("feeds/a/2023-04-{:02}/01-要闻.txt", step - 1));
        }
        refresh_within_segment_limit(&index, &config, step);
    }
}

/// A refresh that changes something and leaves at most MAX_SEGMENTS
/// segments, no file the manifest does not list, and a fresh library.
fn refresh_within_segment_limit(index: &Index, config: &Config, step: usize) {
    let r = refresh(index, config);
    assert!(r.changed(), "step {step}: {r:?}");
    let segments = manifest_segments(index);
    assert!(
        segments.len() <= MAX_SEGMENTS,
        "step {step}: {} segments",
        segments.len()
    );
    let mut listed = segments.clone();
    listed.sort();
    assert_eq!(segment_files(index), listed, "step {step}: unlisted files");
    assert_fresh(&load(index, config), config, &format!("step {step}"));
}

/// The usual case: a big first build, then small changes.
#[test]
fn small_changes_to_a_big_archive_merge_segments() {
    let archive = big_archive(60);
    let config = archive.config();
    let index = archive.index();
    refresh(&index, &config);
    assert_eq!(load(&index, &config).library.articles.len(), 120);
    for step in 0..(3 * MAX_SEGMENTS) {
        archive.write_at(
            "feeds/a/2023-01-01/01-要闻.txt",
            one(&format!("元旦第{step}次更新"), &"新年。".repeat(step + 1)),
            1000 + step as u64,
        );
        if step % 3 == 2 {
            archive.remove(&format!("feeds/a/2023-02-{:02}/01-要闻.txt", step / 3 + 1));
        }
        refresh_within_segment_limit(&index, &config, step);
    }
}

/// A file indexed in the oldest segment and deleted later must stay
/// deleted when the segment holding its removal is merged away.
#[test]
fn a_file_deleted_before_a_merge_stays_deleted() {
    let archive = small_archive();
    let config = archive.config();
    let index = archive.index();
    refresh(&index, &config);
    archive.remove("feeds/a/2023-03-07/02-地方.txt");
    assert_eq!(refresh(&index, &config).removed, 1);
    through_merges(&archive, &index, &config, 200, |step, opened| {
        assert!(
            !titles(&opened.library).contains(&"高标准农田建设"),
            "step {step} ({} segments): the deleted page is back: {:?}",
            manifest_segments(&index).len(),
            titles(&opened.library)
        );
        assert_fresh(opened, &config, &format!("step {step}"));
    });
}

/// Rewrites another page (each time bigger, at mtime `from` + step) and
/// refreshes until the segments have been merged twice over; `check` sees
/// the index loaded after each step.
fn through_merges(
    archive: &Archive,
    index: &Index,
    config: &Config,
    from: u64,
    check: impl Fn(usize, &Opened),
) {
    for step in 0..(2 * MAX_SEGMENTS) {
        archive.write_at(
            "feeds/a/2023-03-08/01-要闻.txt",
            one(
                &format!("城市书房第{step}次更新"),
                &"阅读。".repeat(step + 1),
            ),
            from + step as u64,
        );
        refresh(index, config);
        check(step, &load(index, config));
    }
}

/// Likewise a file changed, then deleted.
#[test]
fn a_file_changed_then_deleted_before_a_merge_stays_deleted() {
    let archive = small_archive();
    let config = archive.config();
    let index = archive.index();
    refresh(&index, &config);
    archive.write_at(
        "feeds/a/2023-03-07/02-地方.txt",
        one("农田改名", "改了。"),
        70,
    );
    refresh(&index, &config);
    archive.remove("feeds/a/2023-03-07/02-地方.txt");
    refresh(&index, &config);
    through_merges(&archive, &index, &config, 300, |step, opened| {
        let titles = titles(&opened.library);
        assert!(
            !titles.contains(&"高标准农田建设") && !titles.contains(&"农田改名"),
            "step {step}: the deleted page is back: {titles:?}"
        );
    });
}

// ───────────────────────────── concurrency ─────────────────────────────

/// Page `n`'s text at `version`: each version a different size.
fn versioned(n: usize, version: usize) -> String {
    one(
        &format!("第{n}版第{version}稿"),
        &"改动。".repeat(version + 1),
    )
}

/// Changes the archive `rounds` times: rewrites (atomically, as a fetch
/// does), adds and deletes pages.
fn churn(archive: &Archive, rounds: usize) {
    for v in 0..rounds {
        for n in 0..3 {
            let rel = format!("feeds/a/2023-05-0{}/01-要闻.txt", n + 1);
            let temp = archive.path(&format!("feeds/a/.tmp-{n}"));
            fs::write(&temp, versioned(n, v)).expect("write");
            fs::create_dir_all(archive.path(&rel).parent().expect("parent")).expect("mkdir");
            fs::rename(&temp, archive.path(&rel)).expect("rename");
        }
        let extra = format!("feeds/a/2023-06-{:02}/01-要闻.txt", v % 28 + 1);
        if v % 2 == 0 {
            archive.write(&extra, versioned(9, v));
        } else {
            let _ = fs::remove_file(archive.path(&extra));
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

#[test]
fn concurrent_refreshes_do_not_corrupt_the_index() {
    let archive = big_archive(40);
    let config = archive.config();
    let dir = archive.index_dir();
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..2)
            .map(|_| {
                s.spawn(|| {
                    let index = Index::at(&dir);
                    for round in 0..20 {
                        if let Err(e) = index.refresh(&config, &quiet) {
                            panic!("round {round}: {e}");
                        }
                        // May fail while the other thread merges (see
                        // `loading_while_another_refreshes_…`); must not panic.
                        let _ = index.load(&config);
                    }
                })
            })
            .collect();
        churn(&archive, 20);
        for w in workers {
            w.join().expect("a refreshing thread");
        }
    });
    let index = Index::at(&dir);
    let r = refresh(&index, &config);
    assert!(!r.rebuilt, "the index was damaged: {r:?}");
    let opened = load(&index, &config);
    assert_fresh(&opened, &config, "after the race");
    assert!(manifest_segments(&index).len() <= MAX_SEGMENTS);
    let mut listed = manifest_segments(&index);
    listed.sort();
    assert_eq!(segment_files(&index), listed);
}

/// Two processes opening the library while the files change (a reader
/// and `kanbao list`, say): neither falls back to reading everything.
#[test]
fn concurrent_opens_use_the_index() {
    // A big first segment and small changes: the small segments are merged
    // away (and deleted) while the other thread may be opening them.
    let archive = big_archive(40);
    let config = archive.config();
    let dir = archive.index_dir();
    let done = AtomicBool::new(false);
    let fallbacks = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..2)
            .map(|_| {
                s.spawn(|| {
                    let index = Index::at(&dir);
                    let mut rounds = 0;
                    while !done.load(Ordering::Relaxed) || rounds < 20 {
                        rounds += 1;
                        let opened = index::open_at(&index, &config, &quiet);
                        for w in opened.library.warnings {
                            if w.message.contains("working without the index") {
                                fallbacks.lock().expect("lock").push(w.to_string());
                            }
                        }
                    }
                })
            })
            .collect();
        churn(&archive, 60);
        done.store(true, Ordering::Relaxed);
        for w in workers {
            w.join().expect("an opening thread");
        }
    });
    let fallbacks = fallbacks.into_inner().expect("lock");
    assert!(
        fallbacks.is_empty(),
        "{} fallbacks, e.g. {:?}",
        fallbacks.len(),
        fallbacks.first()
    );
    assert_fresh(
        &index::open_at(&Index::at(&dir), &config, &quiet),
        &config,
        "after",
    );
}

/// A reader loading the index while another process refreshes it (and
/// merges, deleting the small segments) never finds it damaged.
#[test]
fn loading_while_another_refreshes_never_sees_a_damaged_index() {
    let archive = big_archive(40);
    let config = archive.config();
    let dir = archive.index_dir();
    refresh(&Index::at(&dir), &config);
    let done = AtomicBool::new(false);
    let (loads, failures) = std::thread::scope(|s| {
        let readers: Vec<_> = (0..2)
            .map(|_| {
                s.spawn(|| {
                    let index = Index::at(&dir);
                    let (mut loads, mut failures) = (0, Vec::new());
                    while !done.load(Ordering::Relaxed) {
                        loads += 1;
                        if let Err(e) = index.load(&config) {
                            failures.push(e.to_string());
                        }
                        std::thread::yield_now();
                    }
                    (loads, failures)
                })
            })
            .collect();
        let index = Index::at(&dir);
        for round in 0..100 {
            let rel = format!("feeds/a/2023-06-{:02}/01-要闻.txt", round % 28 + 1);
            archive.write(&rel, versioned(round, round));
            refresh(&index, &config);
        }
        done.store(true, Ordering::Relaxed);
        let mut all = (0, Vec::new());
        for r in readers {
            let (loads, failures) = r.join().expect("a reading thread");
            all.0 += loads;
            all.1.extend(failures);
        }
        all
    });
    assert!(
        failures.is_empty(),
        "{} of {loads} loads failed, e.g. {:?}",
        failures.len(),
        failures.first()
    );
}

#[test]
fn a_front_is_the_start_of_the_full_library() {
    // The reader's first screen reads only the first articles: they must be
    // exactly the first articles of the whole library, whole pages and
    // whole web feeds at a time.
    for (n, archive) in [big_archive(40), rich_archive()].into_iter().enumerate() {
        let config = archive.config();
        let index = archive.index();
        refresh(&index, &config);
        let full = load(&index, &config);
        for wanted in [0, 1, 3, 10, 1000] {
            let front = index
                .load_front(&config, wanted)
                .unwrap_or_else(|e| panic!("load_front({wanted}): {e}"));
            let got = &front.library.articles;
            let all = &full.library.articles;
            assert!(
                got.len() >= wanted.min(all.len()),
                "front of {wanted}: {} articles",
                got.len()
            );
            assert_eq!(
                got.iter().map(fields).collect::<Vec<_>>(),
                all[..got.len()].iter().map(fields).collect::<Vec<_>>(),
                "front of {wanted}"
            );
            assert_eq!(front.library.warnings, full.library.warnings);
        }
        if n == 0 {
            // Whole pages: the front of one article is the first page (two
            // articles), and it has no search.
            let one = index.load_front(&config, 1).expect("a front");
            assert_eq!(one.library.articles.len(), 2);
            let query = Query::parse("头条").expect("a query");
            assert!(one.search.find(&query).is_empty());
        }
    }
}
