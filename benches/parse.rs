//! Throughput of the page parser and of byte decoding.
//!
//! Input: the sample page `feeds/zhumadian-daily/undated/zhumadian-daily-page.txt`
//! repeated (joined with three line feeds) until it is at least 10 MB. Reading
//! a page file is decode + parse, so both steps are measured on the same text:
//!
//! - `page/parse`: `source::page::parse` on the 10 MB string;
//! - `page/parse-hard-wrapped`: the same on `tests/fixtures/pages/hard-wrapped-page.txt`
//!   (a page hard-wrapped at 20 characters: every line short, every
//!   paragraph's lines joined again) repeated to 10 MB;
//! - `decode/utf8`: `source::decode::decode` on the same text as UTF-8 bytes;
//! - `decode/gb18030`: `source::decode::decode` on the same text encoded as
//!   GB18030 (detection, strict decoding, UTF-8 output).
//!
//! Run with `cargo bench --bench parse`; see `benches/README.md`.

use std::hint::black_box;
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};
use encoding_rs::{GB18030, UTF_8};
use kanbao::source::{decode, page};

const SAMPLE: &str = include_str!("../feeds/zhumadian-daily/undated/zhumadian-daily-page.txt");
const HARD_WRAPPED: &str = include_str!("../tests/fixtures/pages/hard-wrapped-page.txt");

/// The input must be at least this many bytes (of UTF-8).
const MIN_BYTES: usize = 10_000_000;

const PATH: &str = "zhumadian-daily/undated/zhumadian-daily-page.txt";

/// `page` repeated, joined with "\n\n\n", until it is ≥ `MIN_BYTES`.
fn repeated(page: &str) -> String {
    let copies = MIN_BYTES.div_ceil(page.len() + 3);
    let text = vec![page; copies].join("\n\n\n");
    assert!(text.len() >= MIN_BYTES);
    text
}

/// The sample page repeated to ≥ `MIN_BYTES`.
fn big_page() -> String {
    repeated(SAMPLE)
}

fn configure(group: &mut BenchmarkGroup<'_, WallTime>) {
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
}

fn bench_parse(c: &mut Criterion) {
    let text = big_page();
    // Sanity check outside the timed loop: the page really parses.
    assert!(!page::parse(&text, PATH).articles.is_empty());

    let mut group = c.benchmark_group("page");
    configure(&mut group);
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("parse", |b| {
        b.iter(|| page::parse(black_box(&text), black_box(PATH)));
    });
    let wrapped = repeated(HARD_WRAPPED);
    assert!(!page::parse(&wrapped, PATH).articles.is_empty());
    group.throughput(Throughput::Bytes(wrapped.len() as u64));
    group.bench_function("parse-hard-wrapped", |b| {
        b.iter(|| page::parse(black_box(&wrapped), black_box(PATH)));
    });
    group.finish();
}

/// An e-paper article page (issue 14), as the fixture, and with its body
/// grown to a long article's (the paragraphs 60 times over, ~100 KB).
fn bench_epaper(c: &mut Criterion) {
    use kanbao::source::epaper::{Parsed, read};
    const ARTICLE: &str = include_str!("../tests/fixtures/epaper/people/content_7001.html");
    const URL: &str = "http://127.0.0.1/paper/pc/content/203105/06/content_7001.html";
    let (start, end) = match (
        ARTICLE.find("<div id=\"ozoom\">"),
        ARTICLE.find("</div>\n</div>"),
    ) {
        (Some(s), Some(e)) => (s + "<div id=\"ozoom\">".len(), e),
        _ => panic!("the fixture has no #ozoom body"),
    };
    let long = format!(
        "{}{}{}",
        &ARTICLE[..start],
        ARTICLE[start..end].repeat(60),
        &ARTICLE[end..]
    );
    for page in [ARTICLE, long.as_str()] {
        assert!(matches!(read(page, Some(URL)), Some(Parsed::Story(_))));
    }
    let mut group = c.benchmark_group("epaper");
    configure(&mut group);
    group.throughput(Throughput::Bytes(ARTICLE.len() as u64));
    group.bench_function("article", |b| {
        b.iter(|| read(black_box(ARTICLE), black_box(Some(URL))));
    });
    group.throughput(Throughput::Bytes(long.len() as u64));
    group.bench_function("article-long", |b| {
        b.iter(|| read(black_box(&long), black_box(Some(URL))));
    });
    group.finish();
}

fn bench_decode(c: &mut Criterion) {
    let text = big_page();
    let utf8 = text.as_bytes();
    let (gb18030, _, unmappable) = GB18030.encode(&text);
    assert!(!unmappable, "sample page is not representable in GB18030");
    let gb18030 = gb18030.into_owned();
    // Sanity checks outside the timed loop: both decode back to the text.
    let decoded = decode::decode(utf8).expect("UTF-8 input decodes");
    assert_eq!(decoded.encoding, UTF_8);
    let decoded = decode::decode(&gb18030).expect("GB18030 input decodes");
    assert_eq!(decoded.encoding, GB18030);
    assert_eq!(decoded.text, text);

    let mut group = c.benchmark_group("decode");
    configure(&mut group);
    // Both throughputs count the input bytes of each encoding.
    group.throughput(Throughput::Bytes(utf8.len() as u64));
    group.bench_function("utf8", |b| {
        b.iter(|| decode::decode(black_box(utf8)));
    });
    group.throughput(Throughput::Bytes(gb18030.len() as u64));
    group.bench_function("gb18030", |b| {
        b.iter(|| decode::decode(black_box(&gb18030)));
    });
    group.finish();
}

criterion_group!(benches, bench_parse, bench_epaper, bench_decode);
criterion_main!(benches);
