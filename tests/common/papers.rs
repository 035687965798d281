//! A synthetic archive of two papers over several days (the same bytes
//! every time), for the tests of the sections tree and the reading loop.

#![allow(dead_code, reason = "each test crate uses a subset")]

use kanbao::config::{self, Config};
use tempfile::TempDir;

/// Two papers of about six issues each, 320 articles, in a temporary
/// folder (kept while the `TempDir` lives), and their config.
pub fn papers() -> (TempDir, Config) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temporary folder: {e}"));
    let options = kanbao_synth::Options {
        articles: 320,
        seed: 7,
        feeds: 2,
    };
    kanbao_synth::generate(dir.path(), &options).unwrap_or_else(|e| panic!("generate: {e}"));
    let config = config::load(&dir.path().join("config.toml"), "config.toml")
        .unwrap_or_else(|e| panic!("{e}"));
    (dir, config)
}
