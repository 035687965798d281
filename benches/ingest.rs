//! Ingesting a large Chinese web feed: fetched over HTTP from a loopback
//! server, converted to items and stored, as `kanbao fetch` does it.
//!
//! Input: an RSS 2.0 feed of 5,000 items (about 8 MB of UTF-8) generated
//! here, deterministically, from the sentences of the sample page
//! `feeds/zhumadian-daily/undated/zhumadian-daily-page.txt`. Every item has
//! a title, a link and guid, an author, a category, a pubDate and an HTML
//! description (in CDATA) of several paragraphs with an image and a link.
//! The feed is served by the tests' HTTP server (`tests/common/server.rs`)
//! on 127.0.0.1, without ETag or Last-Modified, so that every fetch gets
//! the whole body.
//!
//! - `ingest/fetch-convert-store-5000`: `fetch::fetch_feed` into an empty
//!   store: HTTP, decoding, feed-rs, item HTML, and 5,000 item files
//!   written atomically (one `syncfs` for the batch) plus the fetch state.
//!   The config entry is parsed with `config::parse`, untimed, for a new
//!   empty folder per iteration.
//! - `ingest/refetch-unchanged-5000`: the same fetch into a store that
//!   already holds all 5,000 items unchanged: each one is compared with
//!   its file and nothing but the fetch state is written.
//!
//! A breakdown of the first, on the same bytes:
//!
//! - `ingest/http-5000`: `http::fetch` alone (the body into memory);
//! - `ingest/parse-5000`: `feed_file::parse` alone on the bytes in memory;
//! - `ingest/store-5000`: `store::store` alone of the parsed items into a
//!   new empty folder per iteration.
//!
//! The folders live in one temporary folder under `target/tmp` (on disk,
//! where a user's store would be, even where `/tmp` is in memory), removed
//! only after the last benchmark: removing a store's 5,000 files between
//! iterations would slow down creating the next one's on ext4 without a
//! journal (see `benches/README.md`). A run holds about 3.6 GB there until
//! it ends.
//!
//! Run with `cargo bench --bench ingest`; see `benches/README.md`.

#[path = "../tests/common/server.rs"]
mod server;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{BatchSize, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use kanbao::config::{self, FeedConfig};
use kanbao::feed::fetch::{Outcome, fetch_feed};
use kanbao::feed::http;
use kanbao::feed::store::{StoreReport, store};
use kanbao::source::feed_file;
use kanbao::source::item::Item;
use kanbao::source::page;
use server::{Response, Server};
use tempfile::TempDir;

const SAMPLE: &str = include_str!("../feeds/zhumadian-daily/undated/zhumadian-daily-page.txt");

const ITEMS: usize = 5_000;

/// Paragraphs per description, each of one sentence or (one in five) two:
/// with the markup around them the feed comes to about 8 MB.
const PARAGRAPHS: std::ops::RangeInclusive<usize> = 2..=4;

const AUTHORS: [&str; 6] = [
    "记者 黄育南",
    "记者 张宁",
    "通讯员 袁浩楠",
    "记者 王伟",
    "记者 黄育南 张宁",
    "本报评论员",
];

const CATEGORIES: [&str; 7] = ["要闻", "本地", "科技", "教育", "社会", "文化", "经济"];

/// SplitMix64: a fixed seed gives the same feed on every run and machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    fn in_range(&mut self, range: std::ops::RangeInclusive<usize>) -> usize {
        range.start() + self.below(range.end() - range.start() + 1)
    }
}

/// The sentences (ending in 。！？, closing quotes kept) of at least ten
/// characters in the sample's article paragraphs, as the page parser joins
/// them.
fn sentences() -> Vec<String> {
    let parsed = page::parse(SAMPLE, "zhumadian-daily/undated/zhumadian-daily-page.txt");
    let mut out = Vec::new();
    for paragraph in parsed.articles.iter().flat_map(|a| &a.paragraphs) {
        let mut rest = paragraph.trim();
        while !rest.is_empty() {
            let end = rest
                .char_indices()
                .find(|&(_, c)| matches!(c, '。' | '！' | '？'))
                .map_or(rest.len(), |(i, c)| i + c.len_utf8());
            let quotes = rest[end..]
                .char_indices()
                .find(|&(_, c)| !matches!(c, '”' | '’'))
                .map_or(rest.len() - end, |(i, _)| i);
            let (sentence, tail) = rest.split_at(end + quotes);
            if sentence.chars().count() >= 10 {
                out.push(sentence.to_owned());
            }
            rest = tail.trim_start();
        }
    }
    out
}

/// Clauses of 8–24 characters (between Chinese commas), used as titles.
fn clauses(sentences: &[String]) -> Vec<&str> {
    sentences
        .iter()
        .flat_map(|s| s.split([',', '，', '、', '。', '“', '”', '；', ';', '：']))
        .map(str::trim)
        .filter(|c| (8..=24).contains(&c.chars().count()))
        .collect()
}

/// RFC 2822 date of `secs` after the Unix epoch, in Beijing time.
fn rfc2822(secs: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let local = secs + 8 * 3600;
    let days = local.div_euclid(86_400);
    let time = local.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{}, {day:02} {} {year} {:02}:{:02}:{:02} +0800",
        DAYS[days.rem_euclid(7) as usize],
        MONTHS[(month - 1) as usize],
        time / 3600,
        time / 60 % 60,
        time % 60
    )
}

/// The feed: RSS 2.0, UTF-8, `ITEMS` items, newest first.
fn feed() -> Vec<u8> {
    let sentences = sentences();
    let titles = clauses(&sentences);
    assert!(sentences.len() > 30 && titles.len() > 30);
    let mut rng = Rng(0x6b61_6e62_616f);
    let mut out = String::with_capacity(9_000_000);
    out.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <rss version=\"2.0\"><channel>\n\
         <title>驻马店日报</title>\n\
         <link>https://www.zmdnews.cn/</link>\n\
         <description>驻马店日报 新闻</description>\n\
         <language>zh-cn</language>\n",
    );
    // 2023-03-08 10:00 +0800, then one item every 7 minutes back in time.
    let newest: i64 = 1_678_240_800;
    for n in 0..ITEMS {
        let id = ITEMS - n;
        let link = format!("https://www.zmdnews.cn/news/2023/0308/{id:05}.html");
        let title = rng.pick(&titles);
        let title = if rng.below(4) == 0 {
            format!("{title} {}", rng.pick(&titles))
        } else {
            title.to_owned()
        };
        out.push_str(&format!(
            "<item>\n<title>{title}</title>\n<link>{link}</link>\n\
             <guid isPermaLink=\"true\">{link}</guid>\n<author>{}</author>\n\
             <category>{}</category>\n<pubDate>{}</pubDate>\n<description><![CDATA[",
            rng.pick(&AUTHORS),
            rng.pick(&CATEGORIES),
            rfc2822(newest - 420 * n as i64),
        ));
        let picture = rng.below(2);
        for paragraph in 0..rng.in_range(PARAGRAPHS) {
            if paragraph == picture {
                out.push_str(&format!(
                    "<p style=\"text-align:center\"><img src=\"https://img.zmdnews.cn/2023/03/08/{id:05}.jpg\" \
                     alt=\"{}\" width=\"600\" height=\"400\"></p>\n",
                    rng.pick(&titles)
                ));
            }
            out.push_str("<p>");
            out.push_str(&sentences[rng.below(sentences.len())]);
            if rng.below(5) == 0 {
                out.push_str(&sentences[rng.below(sentences.len())]);
            }
            if paragraph == 1 {
                out.push_str(&format!(
                    "（<a href=\"https://www.zmdnews.cn/news/2023/0307/{:05}.html\" target=\"_blank\">相关报道</a>）",
                    rng.below(ITEMS) + 1
                ));
            }
            out.push_str("</p>\n");
        }
        out.push_str("]]></description>\n</item>\n");
    }
    out.push_str("</channel></rss>\n");
    out.into_bytes()
}

/// A feed entry for `url` storing into `<dir>/store`, through the real
/// config parser.
fn feed_config(url: &str, dir: &Path) -> FeedConfig {
    let text = format!(
        "[[feeds]]\nid = \"zmd\"\ntitle = \"驻马店日报\"\nkind = \"feed\"\n\
         url = \"{url}\"\nstore = \"store\"\n"
    );
    let path = dir.join("config.toml");
    let config = config::parse(&text, &path, "config.toml").unwrap_or_else(|e| panic!("{e}"));
    config.feeds.into_iter().next().expect("one feed")
}

/// New empty folders, one per iteration, in one temporary folder that is
/// removed when the benchmarks are done (see the module comment for why).
struct Scratch {
    root: TempDir,
    used: usize,
}

impl Scratch {
    fn new() -> Scratch {
        Scratch {
            root: tempfile::Builder::new()
                .prefix("ingest-")
                .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
                .unwrap_or_else(|e| panic!("{e}")),
            used: 0,
        }
    }

    /// A new empty folder.
    fn folder(&mut self) -> PathBuf {
        self.used += 1;
        let folder = self.root.path().join(format!("run-{:04}", self.used));
        std::fs::create_dir(&folder).unwrap_or_else(|e| panic!("{e}"));
        folder
    }

    /// A feed entry for `url` storing into a new empty folder.
    fn feed(&mut self, url: &str) -> FeedConfig {
        feed_config(url, &self.folder())
    }
}

fn stored(outcome: &Outcome) -> StoreReport {
    match outcome {
        Outcome::Stored(report) => *report,
        other => panic!("expected the items stored, got {other:?}"),
    }
}

fn bench_ingest(c: &mut Criterion) {
    let bytes = feed();
    let server = Server::start();
    server.route(
        "/feed.xml",
        Response::ok(&bytes).header("Content-Type", "application/rss+xml; charset=utf-8"),
    );
    let url = server.url("/feed.xml");

    // Sanity checks outside the timed loops: every item arrives, is stored
    // once, and a second fetch finds them all unchanged.
    let mut scratch = Scratch::new();
    let check_feed = scratch.feed(&url);
    let report = stored(&fetch_feed(&check_feed, true));
    assert_eq!(
        report,
        StoreReport {
            new: ITEMS,
            ..StoreReport::default()
        }
    );
    let report = stored(&fetch_feed(&check_feed, true));
    assert_eq!(
        report,
        StoreReport {
            unchanged: ITEMS,
            ..StoreReport::default()
        }
    );
    let items: Vec<Item> = feed_file::parse(&bytes, Some("utf-8"), Some(&url))
        .unwrap_or_else(|e| panic!("{e}"))
        .items;
    assert_eq!(items.len(), ITEMS);
    assert!(items.iter().all(|i| i.paragraphs.len() >= 2
        && i.photos.len() == 1
        && i.links.len() == 1
        && i.author.is_some()
        && i.category.is_some()
        && i.published.is_some()));

    let mut group = c.benchmark_group("ingest");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(10))
        .throughput(Throughput::Bytes(bytes.len() as u64));

    group.bench_function("fetch-convert-store-5000", |b| {
        b.iter_batched(
            || scratch.feed(&url),
            |feed| fetch_feed(black_box(&feed), true),
            BatchSize::PerIteration,
        );
    });
    group.bench_function("refetch-unchanged-5000", |b| {
        b.iter(|| fetch_feed(black_box(&check_feed), true));
    });
    group.bench_function("http-5000", |b| {
        let request = http::Request::new(url.as_str());
        b.iter(|| http::fetch(black_box(&request)).unwrap_or_else(|e| panic!("{e}")));
    });
    group.bench_function("parse-5000", |b| {
        b.iter(|| feed_file::parse(black_box(&bytes), Some("utf-8"), Some(&url)));
    });
    group.bench_function("store-5000", |b| {
        b.iter_batched(
            || (scratch.folder().join("store"), items.clone()),
            |(folder, items)| store(black_box(&folder), black_box(items)),
            BatchSize::PerIteration,
        );
    });
    group.finish();
}

criterion_group!(benches, bench_ingest);
criterion_main!(benches);
