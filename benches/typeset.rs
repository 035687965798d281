//! Throughput of the typesetter, and relayout of a long article.
//!
//! - `typeset/sample-body-80`: the sample page's body paragraphs, each shown
//!   with full-width punctuation and wrapped to 80 columns with the two-space
//!   indent (what the reader does for every paragraph); throughput counts
//!   the paragraphs' UTF-8 bytes.
//! - `typeset/sample-body-80-hanging`: the same with the hanging margin and
//!   filled lines (`Edge::Hanging`), as the reader sets paragraphs by
//!   default.
//! - `typeset/relayout-1mb`: `typeset::layout` of one article whose body is
//!   the sample's paragraphs repeated to 1 MB, at a new width (79 columns),
//!   as after a terminal resize.
//!
//! Run with `cargo bench --bench typeset`; see `benches/README.md`.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kanbao::config::TextOptions;
use kanbao::model::Article;
use kanbao::source::read_page;
use kanbao::typeset::{self, Context, Edge, display_punctuation, wrap, wrap_to};

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/feeds/zhumadian-daily/undated/zhumadian-daily-page.txt"
);

fn sample_articles() -> Vec<Article> {
    match read_page(Path::new(SAMPLE), "sample") {
        Ok(page) => page.articles,
        Err(w) => panic!("{w}"),
    }
}

fn bench(c: &mut Criterion) {
    let articles = sample_articles();
    let paragraphs: Vec<String> = articles.iter().flat_map(|a| a.paragraphs.clone()).collect();
    let bytes: usize = paragraphs.iter().map(String::len).sum();

    let mut group = c.benchmark_group("typeset");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("sample-body-80", |b| {
        b.iter(|| {
            for p in &paragraphs {
                black_box(wrap(&display_punctuation(black_box(p)), 80, 2, 1));
            }
        })
    });

    group.bench_function("sample-body-80-hanging", |b| {
        b.iter(|| {
            for p in &paragraphs {
                let shown = display_punctuation(black_box(p));
                black_box(wrap_to(&shown, 80, 2, 1, Edge::Hanging));
            }
        })
    });

    let mut long = articles[0].clone();
    long.paragraphs.clear();
    let mut size = 0;
    while size < 1_000_000 {
        for p in &paragraphs {
            size += p.len();
            long.paragraphs.push(p.clone());
        }
    }
    let text = TextOptions::default();
    group.throughput(Throughput::Bytes(size as u64));
    group.bench_function("relayout-1mb", |b| {
        b.iter(|| {
            black_box(typeset::layout(
                black_box(&long),
                Context::default(),
                79,
                &text,
            ))
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
