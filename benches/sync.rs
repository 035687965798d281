//! Syncing 1,000 new items from a real TT-RSS (issue 19): Debian's
//! `tt-rss` on PostgreSQL, brought up by tests/servers/ttrss.sh, subscribed
//! to a feed of 1,000 items (~300 bytes of Chinese text each) served by the
//! tests' HTTP server on 127.0.0.1.
//!
//! - `sync/1000-new-items`: the whole `kanbao sync` process, exec to exit,
//!   with an empty state and archive (removed before each run, outside the
//!   timing): login, feeds, five pages of 200 headlines with their
//!   content, every item converted and stored, the marks decided, the
//!   state written.
//!
//! The target is ≤ 2 s. Without TT-RSS (not root, no Debian package) the
//! bench says so and measures nothing. Figures: benches/README.md.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};

#[path = "../tests/common/process.rs"]
mod process;
#[path = "../tests/common/server.rs"]
mod server;
#[path = "../tests/common/ttrss.rs"]
mod ttrss;

use server::Server;

const ITEMS: usize = 1_000;

fn feed(origin: &str) -> String {
    let mut items = String::new();
    for i in 1..=ITEMS {
        items.push_str(&format!(
            "<item><title>第{i}条：城市更新让老街区焕发新活力</title>\
             <link>{origin}/news/{i}.html</link><guid>{origin}/news/{i}.html</guid>\
             <pubDate>Sat, 05 Dec 2026 {:02}:{:02}:{:02} +0000</pubDate>\
             <description><![CDATA[<p>　　本报讯　近日，市住房和城乡建设局介绍，今年全市\
             共改造老旧小区一百二十个，惠及居民三万余户。</p><p>改造后的街区增设了口袋公园、\
             养老服务站和便民市场，居民“家门口”的幸福感明显提升。</p>]]></description></item>",
            (i / 3600) % 24,
            (i / 60) % 60,
            i % 60
        ));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel>\
         <title>千条日报</title><link>{origin}/</link><description>测试</description>\
         <image><url>{origin}/icon.png</url><title>千条日报</title><link>{origin}/</link></image>\
         {items}</channel></rss>"
    )
}

fn sync(dir: &Path) -> Duration {
    let _ = std::fs::remove_dir_all(dir.join("sync"));
    let _ = std::fs::remove_dir_all(dir.join("state"));
    let start = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_kanbao"))
        .arg("--config")
        .arg(dir.join("config.toml"))
        .arg("sync")
        .env("HOME", dir)
        .env("XDG_STATE_HOME", dir.join("state"))
        .env_remove("KANBAO_CONFIG")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let took = start.elapsed();
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(
        said.contains(&format!("{ITEMS} new items")),
        "{said}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    took
}

fn bench(c: &mut Criterion) {
    let Some(server) = ttrss::start("bench") else {
        return;
    };
    let feeds = Server::start();
    let origin = feeds.url("").trim_end_matches('/').to_owned();
    feeds.serve_feed(feed(&origin));
    server.subscribe(&feeds.url("/feed.xml"));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let config = format!(
        "[sync]\nkind = \"ttrss\"\nurl = {:?}\nuser = {:?}\npassword_command = [\"cat\", {:?}]\n",
        server.url,
        server.user,
        server.password_file().to_string_lossy()
    );
    std::fs::write(dir.path().join("config.toml"), config).unwrap_or_else(|e| panic!("{e}"));

    let mut group = c.benchmark_group("sync");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(15));
    group.bench_function("1000-new-items", |b| {
        b.iter_custom(|iters| (0..iters).map(|_| sync(dir.path())).sum());
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
