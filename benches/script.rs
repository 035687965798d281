//! Throughput of simplified ⇄ traditional conversion (`[text] script`).
//!
//! - `script/s2t`: the sample page's body paragraphs (simplified), each
//!   converted to traditional as the typesetter does before measuring.
//! - `script/t2s`: the same paragraphs, once converted to traditional,
//!   converted back to simplified.
//! - `script/s2tw`: the Taiwan variant, the longest chain (phrases, then
//!   Taiwan's character forms).
//! - `script/forms`: [`kanbao::script::forms`] of each paragraph, the four
//!   conversions a search term goes through (t2s, s2t, t2tw, t2hk).
//! - `script/ferrous-*`: the same conversions by `ferrous-opencc` 0.4, the
//!   converter kanbao's replaced and still gives the same text as (a
//!   dev-dependency): the yardstick, measured in the same run.
//!
//! Throughput counts the paragraphs' UTF-8 bytes. The converters are built
//! before timing (once per process in kanbao). Run with
//! `cargo bench --bench script`; see `benches/README.md`.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;
use kanbao::script::{self, Script};
use kanbao::source::read_page;

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/feeds/zhumadian-daily/undated/zhumadian-daily-page.txt"
);

fn paragraphs() -> Vec<String> {
    match read_page(Path::new(SAMPLE), "sample") {
        Ok(page) => page
            .articles
            .into_iter()
            .flat_map(|a| a.paragraphs)
            .collect(),
        Err(w) => panic!("{w}"),
    }
}

/// Times `convert` over every paragraph of `text`; it returns the length of
/// what it made, so that nothing is optimised away.
fn time(c: &mut Criterion, name: &str, text: &[String], convert: impl Fn(&str) -> usize) {
    // Build the converter outside the timing.
    black_box(convert("发展"));
    let bytes: usize = text.iter().map(String::len).sum();
    let mut group = c.benchmark_group("script");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.measurement_time(Duration::from_secs(5));
    group.bench_function(name, |b| {
        b.iter(|| {
            for p in text {
                black_box(convert(black_box(p)));
            }
        });
    });
    group.finish();
}

fn ferrous(config: BuiltinConfig) -> OpenCC {
    OpenCC::from_config(config).unwrap_or_else(|e| panic!("ferrous-opencc: {e}"))
}

fn bench(c: &mut Criterion) {
    let simplified = paragraphs();
    let traditional: Vec<String> = simplified
        .iter()
        .map(|p| Script::Traditional.convert(p).into_owned())
        .collect();
    time(c, "s2t", &simplified, |p| {
        Script::Traditional.convert(p).len()
    });
    time(c, "t2s", &traditional, |p| {
        Script::Simplified.convert(p).len()
    });
    time(c, "s2tw", &simplified, |p| Script::ZhTw.convert(p).len());
    time(c, "forms", &traditional, |p| script::forms(p).len());
    let (s2t, t2s, s2tw) = (
        ferrous(BuiltinConfig::S2t),
        ferrous(BuiltinConfig::T2s),
        ferrous(BuiltinConfig::S2tw),
    );
    time(c, "ferrous-s2t", &simplified, |p| s2t.convert(p).len());
    time(c, "ferrous-t2s", &traditional, |p| t2s.convert(p).len());
    time(c, "ferrous-s2tw", &simplified, |p| s2tw.convert(p).len());
}

criterion_group!(benches, bench);
criterion_main!(benches);
