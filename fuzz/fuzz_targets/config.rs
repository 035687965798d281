//! UTF-8 text → `config::parse` (in memory; the path is only used for
//! resolving relative folders and for messages).
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|text: &str| {
    match kanbao::config::parse(text, Path::new("/fuzz/config.toml"), "config.toml") {
        Ok(config) => {
            let _ = format!("{config:?}");
        }
        Err(e) => {
            let _ = e.location();
            let _ = e.message();
        }
    }
});
