//! Fetching a whole e-paper edition (issue 14): 20 版面 of 6 articles each
//! (120 articles, People's Daily-style pages of made-up text, ~4 KB an
//! article), served by the tests' HTTP server on 127.0.0.1.
//!
//! - `epaper/fetch-edition-process`: the whole `kanbao fetch --date
//!   2031-05-06 --force` process, exec to exit, into a store that already
//!   holds the edition (every article fetched, parsed and compared again);
//! - `epaper/fetch-edition-new`: the same into an empty store, so that
//!   every item is written (the store is removed before each run, outside
//!   the timing).
//!
//! The target is ≤ 2 s for the edition. Figures: benches/README.md.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};

#[path = "../tests/common/server.rs"]
mod server;

use server::{Response, Server};

const PAGES: usize = 20;
const PER_PAGE: usize = 6;

fn layout(page: usize) -> String {
    let mut html = String::from(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>样报</title></head><body>\
         <p class=\"date\"><span class=\"newstime\">2031年05月06日</span></p>",
    );
    for p in 1..=PAGES {
        html.push_str(&format!(
            "<div class=\"swiper-slide\"><a id=\"pageLink\" href=\"node_{p:02}.html\">{p:02}版：第{p}版面</a></div>"
        ));
    }
    html.push_str(&format!(
        "<p class=\"right btn\"><a href=\"../../../../attachement/203105/06/page_{page:02}.pdf\">PDF</a></p><ul class=\"news-list\">"
    ));
    for n in 0..PER_PAGE {
        let id = page * 100 + n;
        html.push_str(&format!(
            "<li><a href=\"../../../content/203105/06/content_{id}.html\">第{page}版第{n}篇的标题</a></li>"
        ));
    }
    html.push_str("</ul></body></html>");
    html
}

fn article(id: usize) -> String {
    let mut body = String::new();
    for p in 0..10 {
        body.push_str(&format!(
            "<p>　　这是第{id}篇文章的第{p}段，记者在现场看到，新建的厂房整齐排列，\
             工人们正忙着安装设备，预计今年年底投产，带动周边就业一千余人。</p>"
        ));
    }
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>标题</title></head><body>\
         <div class=\"article\"><h3>引题</h3><h1>第{id}篇的标题</h1><h2>副题</h2>\
         <p class=\"sec\">本报记者 王明<span class=\"date\">（ 2031年05月06日 ）</span></p>\
         <table class=\"pci_c\"><tr><td><img src=\"../../../pic/{id}.jpg\"></td></tr>\
         <tr><td><p>现场图片。本报记者 王明摄</p></td></tr></table>\
         <div id=\"ozoom\">{body}</div></div></body></html>"
    )
}

fn edition() -> Server {
    let server = Server::start();
    for page in 1..=PAGES {
        server.route(
            &format!("/paper/pc/layout/203105/06/node_{page:02}.html"),
            Response::ok(layout(page)),
        );
        for n in 0..PER_PAGE {
            let id = page * 100 + n;
            server.route(
                &format!("/paper/pc/content/203105/06/content_{id}.html"),
                Response::ok(article(id)),
            );
        }
    }
    server
}

fn fetch(config: &Path) -> Duration {
    let start = Instant::now();
    let status = Command::new(env!("CARGO_BIN_EXE_kanbao"))
        .arg("--config")
        .arg(config)
        .args(["fetch", "--date", "2031-05-06", "--force"])
        .env("XDG_CACHE_HOME", config.with_file_name("cache"))
        .env("XDG_STATE_HOME", config.with_file_name("state"))
        .output()
        .unwrap_or_else(|e| panic!("run kanbao: {e}"));
    let took = start.elapsed();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    took
}

fn bench(c: &mut Criterion) {
    let server = edition();
    let dir = tempfile::TempDir::new().unwrap_or_else(|e| panic!("{e}"));
    let config = dir.path().join("config.toml");
    let url = server.url("/paper/pc/layout/{yyyy}{mm}/{dd}/node_01.html");
    std::fs::write(
        &config,
        format!(
            "[[feeds]]\nid = \"paper\"\ntitle = \"样报\"\nkind = \"epaper\"\nurl = \"{url}\"\n"
        ),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    // The edition once, and checked: every article stored.
    fetch(&config);
    let mut stored = 0;
    for page in std::fs::read_dir(dir.path().join("feeds/paper/2031-05-06"))
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
    {
        if page.path().is_dir() {
            stored += std::fs::read_dir(page.path()).map_or(0, Iterator::count);
        }
    }
    assert_eq!(stored, PAGES * PER_PAGE);

    let mut group = c.benchmark_group("epaper");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(10));
    group.bench_function("fetch-edition-process", |b| {
        b.iter_custom(|iters| (0..iters).map(|_| fetch(&config)).sum());
    });
    group.bench_function("fetch-edition-new", |b| {
        b.iter_custom(|iters| {
            (0..iters)
                .map(|_| {
                    let _ = std::fs::remove_dir_all(dir.path().join("feeds"));
                    fetch(&config)
                })
                .sum()
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
