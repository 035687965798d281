//! Throughput of simplified ⇄ traditional conversion (`[text] script`).
//!
//! - `script/s2t`: the sample page's body paragraphs (simplified), each
//!   converted to traditional as the typesetter does before measuring.
//! - `script/t2s`: the same paragraphs, once converted to traditional,
//!   converted back to simplified.
//! - `script/s2tw`: the Taiwan variant, the longest chain (phrases, then
//!   Taiwan's character forms).
//!
//! Throughput counts the paragraphs' UTF-8 bytes. The converters are built
//! before timing (once per process in kanbao). Run with
//! `cargo bench --bench script`; see `benches/README.md`.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kanbao::script::Script;
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

fn run(c: &mut Criterion, name: &str, script: Script, text: &[String]) {
    // Build the converter outside the timing.
    black_box(script.convert("发展"));
    let bytes: usize = text.iter().map(String::len).sum();
    let mut group = c.benchmark_group("script");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.measurement_time(Duration::from_secs(5));
    group.bench_function(name, |b| {
        b.iter(|| {
            for p in text {
                black_box(script.convert(black_box(p)));
            }
        });
    });
    group.finish();
}

fn bench(c: &mut Criterion) {
    let simplified = paragraphs();
    let traditional: Vec<String> = simplified
        .iter()
        .map(|p| Script::Traditional.convert(p).into_owned())
        .collect();
    run(c, "s2t", Script::Traditional, &simplified);
    run(c, "t2s", Script::Simplified, &traditional);
    run(c, "s2tw", Script::ZhTw, &simplified);
}

criterion_group!(benches, bench);
criterion_main!(benches);
