//! A synthetic archive of two papers over several days (the same bytes
//! every time), for the tests of the sections tree and the reading loop.

#![allow(dead_code, reason = "each test crate uses a subset")]

use kanbao::config::{self, Config};
use tempfile::TempDir;

/// A synthetic archive of `articles` articles in `feeds` feeds from
/// `seed` (its `config.toml` inside), in a temporary folder kept while the
/// `TempDir` lives.
pub fn synthetic(articles: usize, seed: u64, feeds: usize) -> TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temporary folder: {e}"));
    let options = kanbao_synth::Options {
        articles,
        seed,
        feeds,
        ..kanbao_synth::Options::default()
    };
    kanbao_synth::generate(dir.path(), &options).unwrap_or_else(|e| panic!("generate: {e}"));
    dir
}

/// Two papers of about six issues each, 320 articles, in a temporary
/// folder (kept while the `TempDir` lives), and their config.
pub fn papers() -> (TempDir, Config) {
    let dir = synthetic(320, 7, 2);
    let config = config::load(&dir.path().join("config.toml"), "config.toml")
        .unwrap_or_else(|e| panic!("{e}"));
    (dir, config)
}

/// `pages` pages whose texts hold `创新`, `新平` and `平台`, and
/// `创新平台` in every other one: a search for `创新平台` has `pages`
/// candidates, and its hits are the even pages, newest first (page 0 is
/// of 2026-11-30, each next one a day older). One paper, one article per
/// page, in a temporary folder; and its config.
pub fn candidates(pages: usize) -> (TempDir, Config) {
    one_paper(pages, |n| {
        let body = if n % 2 == 0 {
            "全市要建好创新平台，引来更多人才。"
        } else {
            "全市要推动创新，建好新平台，引来更多人才。"
        };
        format!("第{n}篇报道\n\n记者 李华\n\n　　{body}\n")
    })
}

/// `pages` pages whose texts hold `创新`, and every third one's headline
/// too (pages 0, 3, 6 …): a search for `创新` finds them all, those
/// pages first. Dated as [`candidates`] dates them.
pub fn headlines(pages: usize) -> (TempDir, Config) {
    one_paper(pages, |n| {
        let title = if n % 3 == 0 {
            format!("第{n}篇：创新引来人才")
        } else {
            format!("第{n}篇报道")
        };
        format!("{title}\n\n记者 李华\n\n　　全市要推动创新，引来更多人才。\n")
    })
}

/// One paper of `pages` pages, page `n` of 2026-11-30 less `n` days and
/// written by `page`, in a temporary folder; and its config.
fn one_paper(pages: usize, page: impl Fn(usize) -> String) -> (TempDir, Config) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temporary folder: {e}"));
    for n in 0..pages {
        let day = dir
            .path()
            .join(format!("daily/2026-{:02}-{:02}", 11 - n / 28, 30 - n % 28));
        std::fs::create_dir_all(&day).unwrap_or_else(|e| panic!("{}: {e}", day.display()));
        std::fs::write(day.join("01-要闻.txt"), page(n)).unwrap_or_else(|e| panic!("write: {e}"));
    }
    let path = dir.path().join("config.toml");
    let text = "[[feeds]]\nid = \"daily\"\ntitle = \"日报\"\nkind = \"pages\"\npath = \"daily\"\n";
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("write: {e}"));
    let config = config::load(&path, "config.toml").unwrap_or_else(|e| panic!("{e}"));
    (dir, config)
}
