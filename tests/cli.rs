//! The `kanbao` binary as a user runs it: exit codes, the exact lines on
//! stderr, and what reaches stdout.
//!
//! Every test builds its own archive (a `config.toml` and feed folders) in a
//! fresh temporary folder and runs the binary there with `$KANBAO_CONFIG`,
//! `$XDG_CONFIG_HOME`, `$XDG_STATE_HOME` and `$HOME` removed (or the state
//! folder set to one inside the test's folder) and `$XDG_CACHE_HOME` (the
//! index) inside the test's folder, so that nothing from the developer's own
//! setup can leak in and their read marks and index are never read or
//! written.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::run::{Run, keys};
use kanbao::typeset::str_width;
use rstest::rstest;
use serde_json::Value;
use tempfile::TempDir;

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

/// The sample page shipped with the repository (three articles, the last with photos).
const SAMPLE_PAGE: &str = "feeds/zhumadian-daily/undated/zhumadian-daily-page.txt";

/// One feed `a` (甲报) read from `feeds/a`.
const ONE_FEED: &str = r#"[[feeds]]
id = "a"
title = "甲报"
kind = "pages"
path = "feeds/a"
"#;

/// Runs `kanbao ARGS…` in `dir` with no config- or state-related environment.
fn kanbao(dir: &Path, args: &[&str]) -> Run {
    run_kanbao(dir, None, args, None)
}

/// Runs `kanbao ARGS…` in `dir` like [`kanbao`], but with `$XDG_STATE_HOME`
/// set to `state_home`.
fn kanbao_with_state(dir: &Path, state_home: &Path, args: &[&str]) -> Run {
    run_kanbao(dir, Some(state_home), args, None)
}

/// Runs `kanbao ARGS…` like [`kanbao_with_state`], with `input` on stdin.
fn kanbao_with_input(dir: &Path, state_home: &Path, args: &[&str], input: &str) -> Run {
    run_kanbao(dir, Some(state_home), args, Some(input))
}

fn run_kanbao(dir: &Path, state_home: Option<&Path>, args: &[&str], input: Option<&str>) -> Run {
    // The index lives in the test's own folder (`.cache`, hidden, so no feed
    // walks it), kept from run to run so that later runs read it. Runs in
    // the repository get a fresh folder of their own instead.
    let fresh_cache;
    let cache_home = if dir == Path::new(MANIFEST_DIR) {
        fresh_cache = TempDir::new().expect("create a temporary cache folder");
        fresh_cache.path().to_path_buf()
    } else {
        dir.join(".cache")
    };
    let mut command = Command::new(env!("CARGO_BIN_EXE_kanbao"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("KANBAO_CONFIG")
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("XDG_STATE_HOME")
        .env_remove("HOME")
        .env("XDG_CACHE_HOME", &cache_home);
    if let Some(state_home) = state_home {
        command.env("XDG_STATE_HOME", state_home);
    }
    let output = match input {
        None => command.output().expect("run the kanbao binary"),
        Some(input) => {
            use std::io::Write;
            use std::process::Stdio;
            let mut child = command
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("run the kanbao binary");
            child
                .stdin
                .take()
                .expect("stdin is piped")
                .write_all(input.as_bytes())
                .expect("write to kanbao's stdin");
            child.wait_with_output().expect("wait for kanbao")
        }
    };
    Run::from(output)
}

/// A temporary folder holding `config.toml` with `config` in it.
fn archive(config: &str) -> TempDir {
    let dir = TempDir::new().expect("create a temporary folder");
    write(&dir, "config.toml", config.as_bytes());
    dir
}

/// Writes `bytes` to `relative` inside `dir`, creating its folders.
fn write(dir: &TempDir, relative: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.path().join(relative);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).expect("create folders");
    }
    fs::write(&path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    path
}

/// A file of the repository, as bytes.
fn repo_file(relative: &str) -> Vec<u8> {
    let path = Path::new(MANIFEST_DIR).join(relative);
    fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// An archive with feed `a` holding the sample page as `feeds/a/01-要闻.txt`.
fn sample_archive() -> TempDir {
    let dir = archive(ONE_FEED);
    write(&dir, "feeds/a/01-要闻.txt", &repo_file(SAMPLE_PAGE));
    dir
}

fn json(run: &Run) -> Value {
    run.json()
}

fn ids(run: &Run) -> Vec<String> {
    json(run)["articles"]
        .as_array()
        .expect("articles is an array")
        .iter()
        .map(|a| a["id"].as_str().expect("id is a string").to_owned())
        .collect()
}

fn sorted<'a>(names: &[&'a str]) -> Vec<&'a str> {
    let mut names = names.to_vec();
    names.sort_unstable();
    names
}

fn han(text: &str) -> String {
    text.chars()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
        .collect()
}

// ───────────────────────────── config ─────────────────────────────

#[test]
fn unknown_config_key_names_its_place_and_the_known_keys() {
    let dir = archive(&format!(
        "{ONE_FEED}\n[text]\nindent = 2\ncolour = \"red\"\n"
    ));
    let run = kanbao(dir.path(), &["list"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(
        run.stderr_lines(),
        [
            "kanbao: config.toml:9:1: unknown key \"colour\" in [text]; \
             expected one of: indent, fullwidth_punctuation, ambiguous_width, hanging_punctuation, script"
        ]
    );
    assert_eq!(run.stdout, "");
}

#[test]
fn wrong_type_in_config_names_its_place() {
    let dir = archive(&format!("{ONE_FEED}\n[text]\nindent = \"two\"\n"));
    let run = kanbao(dir.path(), &["list"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(
        run.stderr_lines(),
        [
            "kanbao: config.toml:8:10: wrong type for \"indent\" in [text]: \
             expected a whole number 0-8, found a string"
        ]
    );
    assert_eq!(run.stdout, "");
}

#[test]
fn no_config_anywhere_says_where_it_looked() {
    let dir = TempDir::new().expect("create a temporary folder");
    let run = kanbao(dir.path(), &["list"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(
        run.stderr_lines(),
        [
            "kanbao: no config.toml found (looked in ./config.toml; $HOME is not set); \
             run `kanbao init --config ./config.toml` to write a commented one there, \
             or pass --config PATH, or set $KANBAO_CONFIG"
        ]
    );
}

#[test]
fn missing_feed_folder_is_a_warning_and_the_other_feed_still_lists() {
    let dir = archive(&format!(
        "{ONE_FEED}\n[[feeds]]\nid = \"x\"\ntitle = \"乙报\"\nkind = \"pages\"\npath = \"feeds/x\"\n"
    ));
    write(&dir, "feeds/a/01-要闻.txt", &repo_file(SAMPLE_PAGE));
    let warning = "config.toml:11:8: feed \"x\": folder feeds/x does not exist; \
                   create it or fix `path`";

    let run = kanbao(dir.path(), &["list"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stderr_lines(), [format!("kanbao: warning: {warning}")]);
    assert!(
        run.stdout
            .starts_with("甲报 · 日期不详 · 要闻 · 3 articles\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("奋力建设区域创新高地"),
        "{}",
        run.stdout
    );

    let run = kanbao(dir.path(), &["check"]);
    assert_eq!(run.code, 1, "{run:?}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        lines.contains(&format!("warning: {warning}").as_str()),
        "{}",
        run.stdout
    );
    assert_eq!(lines.last(), Some(&"3 articles, 1 problem"));
}

/// Runs `kanbao ARGS…` in `dir` as a user whose config folder is
/// `dir/xdg` and whose home is `dir/home`, with no config found elsewhere.
fn kanbao_at_home(dir: &Path, args: &[&str]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kanbao"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("KANBAO_CONFIG")
        .env("HOME", dir.join("home"))
        .env("XDG_CONFIG_HOME", dir.join("xdg"))
        .env("XDG_STATE_HOME", dir.join("state"))
        .env("XDG_CACHE_HOME", dir.join(".cache"));
    Run::of(&mut command)
}

#[test]
fn kanbao_init_writes_a_commented_config_that_kanbao_then_reads() {
    let dir = TempDir::new().expect("create a temporary folder");
    let written = dir.path().join("xdg/kanbao/config.toml");
    let before = kanbao_at_home(dir.path(), &["list"]);
    assert_eq!(before.code, 2, "{before:?}");
    assert!(
        before.stderr.contains(&format!(
            "run `kanbao init` to write a commented one to {}",
            written.display()
        )),
        "{}",
        before.stderr
    );

    let run = kanbao_at_home(dir.path(), &["init"]);

    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        run.stdout,
        format!(
            "wrote {}: uncomment a feed in it or add your own, then run `kanbao check`\n",
            written.display()
        )
    );
    assert_eq!(
        fs::read_to_string(&written).expect("the config is written"),
        kanbao::config::INIT_TEXT
    );
    let no_feeds = kanbao::config::no_feeds_message(&written.display().to_string());
    let check = kanbao_at_home(dir.path(), &["check"]);
    assert_eq!(check.code, 0, "{check:?}");
    assert_eq!(
        check.stdout,
        format!(
            "config: {} (from the XDG config folder)\n{no_feeds}\nok: 0 articles, no problems\n",
            written.display()
        )
    );
    let list = kanbao_at_home(dir.path(), &["list"]);
    assert_eq!(
        (list.code, list.stdout.as_str()),
        (0, format!("{no_feeds}\n").as_str())
    );
}

#[test]
fn kanbao_init_keeps_a_config_that_is_there_unless_forced() {
    let dir = TempDir::new().expect("create a temporary folder");
    let mine = "[text]\nindent = 4\n";
    let path = write(&dir, "xdg/kanbao/config.toml", mine.as_bytes());

    let run = kanbao_at_home(dir.path(), &["init"]);

    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(
        run.stderr_lines(),
        [format!(
            "kanbao: {} already exists; kanbao init keeps it (--force replaces it)",
            path.display()
        )]
    );
    assert_eq!(fs::read_to_string(&path).expect("read"), mine);

    let forced = kanbao_at_home(dir.path(), &["init", "--force"]);
    assert_eq!(forced.code, 0, "{forced:?}");
    assert_eq!(
        fs::read_to_string(&path).expect("read"),
        kanbao::config::INIT_TEXT
    );

    // --config names the file to write, and is then read from there.
    let named = dir.path().join("elsewhere/kanbao.toml");
    let named_arg = named.to_string_lossy().into_owned();
    let run = kanbao_at_home(dir.path(), &["init", "--config", &named_arg]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        fs::read_to_string(&named).expect("read"),
        kanbao::config::INIT_TEXT
    );
    let check = kanbao_at_home(dir.path(), &["--config", &named_arg, "check"]);
    assert_eq!(check.code, 0, "{check:?}");
}

#[test]
fn help_names_kanbao_init() {
    let dir = TempDir::new().expect("create a temporary folder");
    let run = kanbao(dir.path(), &["--help"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout
            .lines()
            .any(|l| l.trim_start().starts_with("init ") && l.contains("config.toml")),
        "{}",
        run.stdout
    );
}

#[test]
fn a_config_without_feeds_says_so_and_shows_a_feed_to_add() {
    let dir = archive("# nothing yet\n[text]\nindent = 2\n");
    let said = format!("{}\n", kanbao::config::no_feeds_message("config.toml"));
    assert!(
        said.contains("\n    [[feeds]]\n    id = \"renmin\"\n"),
        "{said}"
    );

    for args in [&["list"][..], &[], &["fetch"]] {
        let run = kanbao(dir.path(), args);
        assert_eq!(run.code, 0, "{args:?}: {run:?}");
        assert_eq!(run.stdout, said, "{args:?}");
        assert_eq!(run.stderr, "", "{args:?}");
    }
    let run = kanbao(dir.path(), &["check"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains(&said), "{}", run.stdout);
}

#[test]
fn config_option_naming_no_file_is_an_error() {
    let dir = sample_archive();
    let run = kanbao(dir.path(), &["list", "--config", "nowhere.toml"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(
        run.stderr_lines(),
        ["kanbao: --config nowhere.toml: no such file; \
             check the path, or leave out --config to search the default places"]
    );
    assert_eq!(run.stdout, "");
}

#[test]
fn config_option_goes_before_or_after_the_subcommand() {
    let dir = TempDir::new().expect("create a temporary folder");
    write(&dir, "c.toml", ONE_FEED.as_bytes());
    write(&dir, "feeds/a/01-要闻.txt", &repo_file(SAMPLE_PAGE));

    let before = kanbao(dir.path(), &["--config", "c.toml", "list"]);
    let after = kanbao(dir.path(), &["list", "--config", "c.toml"]);
    assert_eq!(before.code, 0, "{before:?}");
    assert_eq!(before.stderr, "");
    assert!(before.stdout.contains("3 articles"), "{}", before.stdout);
    assert_eq!(after.code, 0, "{after:?}");
    assert_eq!(after.stdout, before.stdout);
    assert_eq!(after.stderr, before.stderr);
}

#[test]
fn feed_paths_are_relative_to_the_config_file() {
    let dir = TempDir::new().expect("create a temporary folder");
    write(&dir, "settings/c.toml", ONE_FEED.as_bytes());
    write(
        &dir,
        "settings/feeds/a/01-要闻.txt",
        &repo_file(SAMPLE_PAGE),
    );
    let run = kanbao(dir.path(), &["list", "--config", "settings/c.toml"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stderr, "");
    assert!(run.stdout.contains("3 articles"), "{}", run.stdout);
}

/// Runs `kanbao ARGS…` in `cwd` with its index in `cache`.
fn kanbao_in(cwd: &Path, cache: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_kanbao"))
        .args(args)
        .current_dir(cwd)
        .env_remove("KANBAO_CONFIG")
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("XDG_STATE_HOME")
        .env_remove("HOME")
        .env("XDG_CACHE_HOME", cache)
        .output()
        .expect("run the kanbao binary");
    Run::from(output)
}

/// The index files under `cache`, with their modification times, but
/// `FOLDERS` (what the last walk of the folders saw).
fn index_files(cache: &Path) -> Vec<(PathBuf, std::time::SystemTime)> {
    let mut files = Vec::new();
    for index in fs::read_dir(cache.join("kanbao")).expect("the index folder") {
        let index = index.expect("an index folder").path();
        for file in fs::read_dir(&index).expect("an index folder") {
            let path = file.expect("an index file").path();
            if path.ends_with("FOLDERS") {
                continue;
            }
            let modified = fs::metadata(&path).and_then(|m| m.modified());
            files.push((path, modified.expect("a modification time")));
        }
    }
    files.sort();
    files
}

#[test]
fn one_index_serves_the_config_named_relatively_absolutely_and_from_elsewhere() {
    let dir = TempDir::new().expect("create a temporary folder");
    let cache = dir.path().join(".cache");
    write(&dir, "settings/c.toml", ONE_FEED.as_bytes());
    write(
        &dir,
        "settings/feeds/a/01-要闻.txt",
        &repo_file(SAMPLE_PAGE),
    );
    fs::create_dir_all(dir.path().join("elsewhere")).expect("create a folder");
    let absolute = dir.path().join("settings/c.toml");
    let absolute = absolute.to_str().expect("a UTF-8 temporary path");

    let built = kanbao_in(
        dir.path(),
        &cache,
        &["list", "--json", "--config", absolute],
    );
    assert_eq!(built.code, 0, "{built:?}");
    let id = ids(&built).remove(0);
    let index = index_files(&cache);

    for (cwd, config) in [
        (dir.path().to_path_buf(), "settings/c.toml"),
        (dir.path().join("settings"), "c.toml"),
        (dir.path().join("settings"), "./c.toml"),
        (dir.path().join("elsewhere"), "../settings/c.toml"),
        (dir.path().to_path_buf(), absolute),
    ] {
        let shown = kanbao_in(&cwd, &cache, &["show", &id, "--config", config]);
        assert_eq!(shown.code, 0, "--config {config}: {shown:?}");
        assert!(shown.stdout.contains("奋力建设区域创新高地"), "{shown:?}");
        let found = kanbao_in(&cwd, &cache, &["search", "创新高地", "--config", config]);
        assert_eq!(found.code, 0, "--config {config}: {found:?}");
        assert!(found.stdout.contains(&id), "--config {config}: {found:?}");
    }
    // Paths read as the config names them.
    let listed = kanbao_in(
        dir.path(),
        &cache,
        &["list", "--json", "--config", "settings/c.toml"],
    );
    let path = &json(&listed)["articles"][0]["source"]["path"];
    assert_eq!(path, "settings/feeds/a/01-要闻.txt", "{listed:?}");
    // And the index was neither rebuilt nor added to.
    assert_eq!(index_files(&cache), index);
}

// ───────────────────────── unreadable pages ─────────────────────────

#[cfg(unix)]
#[test]
fn dangling_symlink_in_a_feed_is_a_warning_naming_it() {
    let dir = sample_archive();
    std::os::unix::fs::symlink("missing", dir.path().join("feeds/a/x.txt"))
        .expect("make a symlink");
    let warning =
        "feeds/a/x.txt: broken symbolic link: its target does not exist; fix or remove the link";

    let run = kanbao(dir.path(), &["list"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stderr_lines(), [format!("kanbao: warning: {warning}")]);
    assert!(run.stdout.contains("3 articles"), "{}", run.stdout);

    let run = kanbao(dir.path(), &["check"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stdout.contains(&format!("\nwarning: {warning}\n")),
        "{}",
        run.stdout
    );
}

#[test]
fn folder_given_to_parse_is_a_warning_and_the_other_files_print() {
    let dir = TempDir::new().expect("create a temporary folder");
    fs::create_dir(dir.path().join("y.txt")).expect("make a folder");
    write(&dir, "good.txt", &repo_file(SAMPLE_PAGE));

    let run = kanbao(dir.path(), &["parse", "y.txt", "good.txt"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(
        run.stderr_lines(),
        ["kanbao: warning: y.txt: is a folder, not a page file; name a .txt file"]
    );
    assert!(
        run.stdout.contains("奋力建设区域创新高地"),
        "{}",
        run.stdout
    );
}

const BINARY: &[u8] = b"abc\0def\n";
const BINARY_WARNING: &str =
    "binary file (control byte at offset 3); kanbao reads plain-text pages";
const EMPTY_WARNING: &str = "empty file; nothing to read";
/// Valid in none of UTF-8, GB18030 and Big5 (and not starting with a BOM).
const UNDECODABLE: &[u8] = b"A\xff\xfe\xfd\xff\xff";
const UNDECODABLE_WARNING: &str =
    "not UTF-8, GB18030 or Big5 text (bad byte at offset 1); convert it to UTF-8, e.g. with iconv";

#[rstest]
#[case::binary(BINARY, BINARY_WARNING)]
#[case::empty(b"", EMPTY_WARNING)]
#[case::undecodable(UNDECODABLE, UNDECODABLE_WARNING)]
fn unreadable_page_given_to_parse_is_a_warning(#[case] bytes: &[u8], #[case] warning: &str) {
    let dir = TempDir::new().expect("create a temporary folder");
    write(&dir, "bad.txt", bytes);
    write(&dir, "good.txt", &repo_file(SAMPLE_PAGE));

    let run = kanbao(dir.path(), &["parse", "bad.txt", "good.txt"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(
        run.stderr_lines(),
        [format!("kanbao: warning: bad.txt: {warning}")]
    );
    assert!(
        run.stdout.contains("奋力建设区域创新高地"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("巾帼竞芬芳 灿烂耀春晖"),
        "{}",
        run.stdout
    );

    let run = kanbao(dir.path(), &["parse", "--json", "good.txt", "bad.txt"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.stderr, "");
    let output = json(&run);
    assert_eq!(output["articles"].as_array().map(Vec::len), Some(3));
    assert_eq!(
        output["warnings"],
        serde_json::json!([format!("bad.txt: {warning}")])
    );
}

#[rstest]
#[case::binary(BINARY, BINARY_WARNING)]
#[case::empty(b"", EMPTY_WARNING)]
#[case::undecodable(UNDECODABLE, UNDECODABLE_WARNING)]
fn unreadable_page_in_a_feed_is_a_warning(#[case] bytes: &[u8], #[case] warning: &str) {
    let dir = sample_archive();
    write(&dir, "feeds/a/02-地方.txt", bytes);
    let warning = format!("feeds/a/02-地方.txt: {warning}");

    let run = kanbao(dir.path(), &["list"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stderr_lines(), [format!("kanbao: warning: {warning}")]);
    assert!(
        run.stdout
            .starts_with("甲报 · 日期不详 · 要闻 · 3 articles\n"),
        "{}",
        run.stdout
    );

    let run = kanbao(dir.path(), &["check"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(
        run.stdout.lines().collect::<Vec<_>>(),
        [
            "config: config.toml (from the working directory)",
            "feed a (甲报): feeds/a — 1 page, 3 articles",
            &format!("warning: {warning}"),
            "3 articles, 1 problem",
        ]
    );
}

// ───────────────────────────── output ─────────────────────────────

#[test]
fn parse_json_has_the_documented_shape() {
    let run = kanbao(Path::new(MANIFEST_DIR), &["parse", "--json", SAMPLE_PAGE]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stderr, "");
    let output = json(&run);
    assert_eq!(keys(&output), sorted(&["articles", "warnings"]));
    assert!(output["warnings"].is_array());

    let articles = output["articles"].as_array().expect("articles is an array");
    assert_eq!(articles.len(), 3);
    let article_keys = sorted(&[
        "id",
        "feed",
        "date",
        "section",
        "page",
        "column",
        "kicker",
        "title",
        "subtitle",
        "byline",
        "paragraphs",
        "roles",
        "source_note",
        "editor_code",
        "photos",
        "url",
        "published",
        "links",
        "source",
    ]);
    let optional_strings = [
        "feed",
        "date",
        "section",
        "page",
        "column",
        "kicker",
        "title",
        "subtitle",
        "editor_code",
        "source_note",
        "url",
        "published",
    ];
    for article in articles {
        assert_eq!(keys(article), article_keys, "{article}");
        assert!(article["id"].is_string(), "{article}");
        for key in optional_strings {
            let value = &article[key];
            assert!(value.is_string() || value.is_null(), "{key}: {value}");
        }
        // `parse` reads no feed, and the sample's path tells no date or section.
        for key in ["feed", "date", "section", "page"] {
            assert!(article[key].is_null(), "{key}: {}", article[key]);
        }
        let byline = &article["byline"];
        assert_eq!(
            keys(byline),
            sorted(&["text", "reporters", "correspondents"])
        );
        assert!(byline["text"].is_string());
        assert!(byline["reporters"].is_array());
        assert!(byline["correspondents"].is_array());
        assert!(
            article["paragraphs"]
                .as_array()
                .is_some_and(|p| !p.is_empty())
        );
        // One role a paragraph: text, crosshead or note.
        let roles = article["roles"].as_array().expect("roles is an array");
        assert_eq!(
            Some(roles.len()),
            article["paragraphs"].as_array().map(Vec::len)
        );
        assert!(
            roles
                .iter()
                .all(|r| ["text", "crosshead", "note"].contains(&r.as_str().unwrap_or("")))
        );
        for photo in article["photos"].as_array().expect("photos is an array") {
            assert_eq!(keys(photo), sorted(&["caption", "credit", "code", "url"]));
            assert!(photo["caption"].is_string());
            assert!(photo["credit"].is_string() || photo["credit"].is_null());
            assert!(photo["code"].is_string() || photo["code"].is_null());
        }
        let source = &article["source"];
        assert_eq!(keys(source), sorted(&["path", "first_line", "last_line"]));
        assert_eq!(source["path"], SAMPLE_PAGE);
        assert!(source["first_line"].as_u64() <= source["last_line"].as_u64());
    }
    assert_eq!(articles[0]["title"], "奋力建设区域创新高地");
    assert_eq!(articles[1]["subtitle"], "访市科技局党组书记、局长万小成");
    assert_eq!(articles[0]["subtitle"], Value::Null);
    assert!(
        articles[2]["photos"]
            .as_array()
            .is_some_and(|p| !p.is_empty()),
        "the sample's last article has photos: {}",
        articles[2]
    );
}

#[test]
fn article_ids_are_stable_across_runs_and_folders() {
    let first = sample_archive();
    let second = sample_archive();
    let run = kanbao(first.path(), &["list", "--json"]);
    assert_eq!(run.code, 0, "{run:?}");
    let again = kanbao(first.path(), &["list", "--json"]);
    let elsewhere = kanbao(second.path(), &["list", "--json"]);
    assert_eq!(again.stdout, run.stdout);
    assert_eq!(elsewhere.stdout, run.stdout);

    let ids = ids(&run);
    assert_eq!(ids.len(), 3);
    for id in &ids {
        assert_eq!(id.len(), 12, "{id}");
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()), "{id}");
    }
    let mut distinct = ids.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), 3, "{ids:?}");
}

#[test]
fn show_takes_a_full_id_or_a_unique_prefix() {
    let dir = sample_archive();
    let id = ids(&kanbao(dir.path(), &["list", "--json"])).remove(0);

    let full = kanbao(dir.path(), &["show", &id]);
    assert_eq!(full.code, 0, "{full:?}");
    assert_eq!(full.stderr, "");
    assert!(
        full.stdout.contains("奋力建设区域创新高地"),
        "{}",
        full.stdout
    );

    let prefix = kanbao(dir.path(), &["show", &id[..4]]);
    assert_eq!(prefix.code, 0, "{prefix:?}");
    assert_eq!(prefix.stdout, full.stdout);
}

#[test]
fn show_with_an_unknown_id_is_an_error() {
    let dir = sample_archive();
    let run = kanbao(dir.path(), &["show", "zzzz"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(
        run.stderr_lines(),
        ["kanbao: no article with id \"zzzz\"; `kanbao list` shows the ids"]
    );
    assert_eq!(run.stdout, "");
}

#[test]
fn show_with_a_too_short_prefix_says_so() {
    let dir = sample_archive();
    let run = kanbao(dir.path(), &["show", "abc"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(
        run.stderr_lines(),
        ["kanbao: no article with id \"abc\"; a shortened id needs at least 4 characters"]
    );
}

#[test]
fn list_of_an_unknown_section_names_the_sections() {
    let dir = sample_archive();
    let run = kanbao(dir.path(), &["list", "--section", "不存在"]);
    assert_eq!(run.code, 2, "{run:?}");
    let stderr = run.stderr_lines();
    let last = stderr.last().copied().unwrap_or("");
    assert!(
        last == "kanbao: no section \"不存在\" in the archive; sections: 要闻",
        "{last}"
    );
}

#[test]
fn list_to_a_pipe_prints_whole_titles() {
    // A pipe has no width: a title wider than the 40 columns a terminal's
    // list gives it is printed whole, with no `…`.
    let title = "驻马店市科技局召开全市科技工作暨党风廉政建设工作会议";
    let dir = archive(ONE_FEED);
    write(
        &dir,
        "feeds/a/2023-03-08/01-要闻.txt",
        format!("{title}\n\n　　本报讯 3月7日，会议召开。会议要求，做好今年的科技工作。\n")
            .as_bytes(),
    );
    let run = kanbao(dir.path(), &["list"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.lines().any(|l| l.contains(title)),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains('…'), "{}", run.stdout);
}

/// An archive with the sample page twice: dated, in 要闻
/// (`2023-03-08/01-要闻.txt`), and as a file whose name gives neither date
/// nor section (`loose.txt`).
fn archive_with_a_page_of_no_section() -> TempDir {
    let dir = archive(ONE_FEED);
    write(
        &dir,
        "feeds/a/2023-03-08/01-要闻.txt",
        &repo_file(SAMPLE_PAGE),
    );
    write(&dir, "feeds/a/loose.txt", &repo_file(SAMPLE_PAGE));
    dir
}

#[test]
fn list_names_no_date_and_no_section_as_the_reader_does() {
    let dir = archive_with_a_page_of_no_section();

    let run = kanbao(dir.path(), &["list"]);

    assert_eq!(run.code, 0, "{run:?}");
    let heads: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| !l.starts_with(' ') && !l.is_empty())
        .collect();
    assert_eq!(
        heads,
        [
            "甲报 · 2023-03-08 · 要闻 · 3 articles".to_owned(),
            format!(
                "甲报 · {} · {} · 3 articles",
                kanbao::model::UNDATED,
                kanbao::model::NO_SECTION
            ),
        ]
    );
    assert_eq!(kanbao::model::UNDATED, "日期不详");
    assert_eq!(kanbao::model::NO_SECTION, "未分版");
}

#[test]
fn list_section_takes_the_name_shown_for_no_section() {
    let dir = archive_with_a_page_of_no_section();
    let all = json(&kanbao(dir.path(), &["list", "--json"]));
    let undated: Vec<&Value> = all["articles"]
        .as_array()
        .expect("articles")
        .iter()
        .filter(|a| a["section"].is_null())
        .collect();
    assert_eq!(undated.len(), 3);

    let run = kanbao(dir.path(), &["list", "--section", "未分版"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout
            .starts_with("甲报 · 日期不详 · 未分版 · 3 articles\n"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("要闻"), "{}", run.stdout);

    // JSON is unchanged: no section is null, not the name shown for it.
    let run = kanbao(dir.path(), &["list", "--json", "--section", "未分版"]);
    assert_eq!(run.code, 0, "{run:?}");
    let listed = json(&run);
    let articles = listed["articles"].as_array().expect("articles");
    assert_eq!(articles, &undated.into_iter().cloned().collect::<Vec<_>>());
    assert!(
        articles
            .iter()
            .all(|a| a["section"].is_null() && a["date"].is_null()),
        "{listed}"
    );

    let run = kanbao(dir.path(), &["list", "--section", "不存在"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(
        run.stderr_lines().last().copied(),
        Some("kanbao: no section \"不存在\" in the archive; sections: 未分版, 要闻")
    );
}

/// A page whose headline and paragraphs carry terminal escape sequences: CSI
/// (clear screen), OSC (set window title) and the one-character C1 CSI.
const HOSTILE_PAGE: &str = "\n\n坏人\u{1b}[2J来了\u{9b}31m标\u{1b}]0;PWNED\u{7}题\n\n记者 王伟\n\n\
    第一段\u{1b}[2J正文，\u{1b}]0;PWNED\u{7}很长很长的正文\u{9b}31m在这里。⑤3\n";

fn assert_no_escapes(what: &str, text: &str) {
    for c in ['\u{1b}', '\u{9b}', '\u{7}'] {
        assert!(!text.contains(c), "{what} sends {c:?} to a pipe:\n{text}");
    }
}

#[test]
fn text_output_to_a_pipe_carries_no_escape_sequences() {
    let dir = archive(ONE_FEED);
    write(&dir, "feeds/a/01-要闻.txt", HOSTILE_PAGE.as_bytes());
    let listed = kanbao(dir.path(), &["list", "--json"]);
    let article = &json(&listed)["articles"][0];
    assert_eq!(
        article["title"], "坏人来了标题",
        "the hostile line is read as the headline, its escapes removed"
    );
    assert_no_escapes("list --json", &listed.stdout);
    let id = article["id"].as_str().expect("id is a string");

    let list = kanbao(dir.path(), &["list"]);
    assert_eq!(list.code, 0, "{list:?}");
    assert_no_escapes("list", &list.stdout);
    assert!(list.stdout.contains("坏人来了标题"), "{}", list.stdout);

    let show = kanbao(dir.path(), &["show", id]);
    assert_eq!(show.code, 0, "{show:?}");
    assert_no_escapes("show", &show.stdout);
    assert!(show.stdout.contains("坏人来了标题"), "{}", show.stdout);
    assert!(
        show.stdout.contains("很长很长的正文在这里"),
        "{}",
        show.stdout
    );

    let parse = kanbao(dir.path(), &["parse", "feeds/a/01-要闻.txt"]);
    assert_eq!(parse.code, 0, "{parse:?}");
    assert_no_escapes("parse", &parse.stdout);
    assert_eq!(
        parse.stdout,
        show.stdout.replacen("甲报 · 第01版 要闻 · ", "", 1)
    );
}

#[test]
fn check_output_to_a_pipe_carries_no_escape_sequences() {
    let dir = sample_archive();
    write(&dir, "feeds/a/\u{1b}]0;PWNED\u{7}.txt", b"");
    let run = kanbao(dir.path(), &["check"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_no_escapes("check", &run.stdout);
}

/// The sample's articles: kicker, title and subtitle joined, Han characters only.
fn sample_heads() -> Vec<String> {
    let run = kanbao(Path::new(MANIFEST_DIR), &["parse", "--json", SAMPLE_PAGE]);
    json(&run)["articles"]
        .as_array()
        .expect("articles is an array")
        .iter()
        .map(|a| {
            ["kicker", "title", "subtitle"]
                .iter()
                .filter_map(|key| a[key].as_str())
                .map(han)
                .collect()
        })
        .collect()
}

fn assert_fits(what: &str, text: &str, width: usize) {
    for line in text.lines() {
        assert!(
            str_width(line, 1) <= width,
            "{what}: line wider than {width}: {line:?}"
        );
    }
}

#[rstest]
#[case::narrow(41)]
#[case::narrower(13)]
fn parse_with_width_fits_and_wraps_titles_whole(#[case] width: usize) {
    let page = Path::new(MANIFEST_DIR).join(SAMPLE_PAGE);
    let page = page.to_str().expect("UTF-8 path");
    let run = kanbao(
        Path::new(MANIFEST_DIR),
        &["parse", "--width", &width.to_string(), page],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert_fits("parse", &run.stdout, width);
    let shown = han(&run.stdout);
    for head in sample_heads() {
        assert!(
            shown.contains(&head),
            "{head} not shown whole:\n{}",
            run.stdout
        );
    }
}

#[rstest]
#[case::narrow(41)]
#[case::narrower(13)]
fn show_with_width_fits_and_wraps_titles_whole(#[case] width: usize) {
    let dir = sample_archive();
    let ids = ids(&kanbao(dir.path(), &["list", "--json"]));
    for (id, head) in ids.iter().zip(sample_heads()) {
        let run = kanbao(dir.path(), &["show", id, "--width", &width.to_string()]);
        assert_eq!(run.code, 0, "{run:?}");
        assert_fits("show", &run.stdout, width);
        assert!(
            han(&run.stdout).contains(&head),
            "{head} not shown whole:\n{}",
            run.stdout
        );
    }
}

#[test]
fn show_prints_the_configured_script_and_script_overrides_it() {
    let dir = archive(&format!("{ONE_FEED}\n[text]\nscript = \"traditional\"\n"));
    write(&dir, "feeds/a/01-要闻.txt", &repo_file(SAMPLE_PAGE));
    let ids = ids(&kanbao(dir.path(), &["list", "--json"]));
    let id = ids.first().expect("an article");
    let configured = kanbao(dir.path(), &["show", id, "--width", "60"]);
    assert_eq!(configured.code, 0, "{configured:?}");
    assert!(
        han(&configured.stdout).contains("奮力建設區域創新高地"),
        "{configured:?}"
    );
    let simplified = kanbao(
        dir.path(),
        &["show", id, "--width", "60", "--script", "simplified"],
    );
    assert!(
        han(&simplified.stdout).contains("奋力建设区域创新高地"),
        "{simplified:?}"
    );
    let stored = kanbao(dir.path(), &["show", id, "--json"]);
    assert!(stored.stdout.contains("奋力建设区域创新高地"), "{stored:?}");
    assert!(
        !stored.stdout.contains("奮力"),
        "JSON stays as stored: {stored:?}"
    );
}

#[test]
fn no_subcommand_lists_the_archive_of_the_repository() {
    let repo = Path::new(MANIFEST_DIR);
    let bare = kanbao(repo, &[]);
    let list = kanbao(repo, &["list"]);
    assert_eq!(bare.code, 0, "{bare:?}");
    assert_eq!(bare.stderr, "");
    assert_eq!(bare.stdout, list.stdout);
    let lines: Vec<&str> = bare.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{}", bare.stdout);
    assert!(
        lines[0].starts_with("驻马店日报 · ") && lines[0].ends_with(" · 3 articles"),
        "{}",
        lines[0]
    );
}

#[rstest]
#[case::gb18030("gb18030-page.txt")]
#[case::gbk_crlf("gbk-crlf-page.txt")]
#[case::big5("big5-page.txt")]
fn legacy_encoded_page_in_a_feed_lists_like_its_utf8_twin(#[case] name: &str) {
    let encoded = archive(ONE_FEED);
    write(
        &encoded,
        "feeds/a/01-要闻.txt",
        &repo_file(&format!("tests/fixtures/encodings/{name}")),
    );
    let utf8 = archive(ONE_FEED);
    write(
        &utf8,
        "feeds/a/01-要闻.txt",
        &repo_file(&format!("tests/fixtures/encodings/utf8/{name}")),
    );

    for args in [&["list"][..], &["list", "--json"][..]] {
        let run = kanbao(encoded.path(), args);
        assert_eq!(run.code, 0, "{run:?}");
        assert_eq!(run.stderr, "");
        assert_eq!(run.stdout, kanbao(utf8.path(), args).stdout, "{args:?}");
    }
}

#[test]
fn gb18030_page_in_a_feed_lists_its_chinese_title() {
    let dir = archive(ONE_FEED);
    write(
        &dir,
        "feeds/a/01-要闻.txt",
        &repo_file("tests/fixtures/encodings/gb18030-page.txt"),
    );
    let run = kanbao(dir.path(), &["list"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stderr, "");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines[0], "甲报 · 日期不详 · 要闻 · 1 article");
    assert!(
        lines[1].contains("  奋力建设区域创新高地  记者 黄育南 张宁 通讯员 袁浩楠"),
        "{}",
        run.stdout
    );
}

// ──────────────────────────── read marks ────────────────────────────

/// `(id, read, starred)` of each article of `list --json`.
fn marks(run: &Run) -> Vec<(String, bool, bool)> {
    json(run)["articles"]
        .as_array()
        .expect("articles is an array")
        .iter()
        .map(|a| {
            let flag = |key: &str| {
                a[key]
                    .as_bool()
                    .unwrap_or_else(|| panic!("{key} is a bool: {a}"))
            };
            let id = a["id"].as_str().expect("id is a string").to_owned();
            (id, flag("read"), flag("starred"))
        })
        .collect()
}

#[test]
fn list_json_reports_the_read_and_starred_marks() {
    let dir = sample_archive();
    let state_home = dir.path().join("state");
    let ids = ids(&kanbao_with_state(
        dir.path(),
        &state_home,
        &["list", "--json"],
    ));
    let state = format!(
        r#"{{"version": 1, "read": ["{}", "aaaaaaaaaaaa"], "starred": ["{}"]}}"#,
        ids[0], ids[2]
    );
    let state_file = write(&dir, "state/kanbao/state.json", state.as_bytes());

    let run = kanbao_with_state(dir.path(), &state_home, &["list", "--json"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stderr, "");
    assert_eq!(json(&run)["warnings"], serde_json::json!([]));
    assert_eq!(
        marks(&run),
        [
            (ids[0].clone(), true, false),
            (ids[1].clone(), false, false),
            (ids[2].clone(), false, true),
        ]
    );
    // `list --json` gives an article's fields without its text (paragraphs,
    // photos, links), then how much text there is, then the marks, in this
    // order.
    let first = &json(&run)["articles"][0];
    let last_line = &first["source"]["last_line"];
    let counts = &sample_counts()[0];
    assert!(
        run.stdout.contains(&format!(
            "\"last_line\": {last_line}\n      }},\n      \"counts\": {{\n        \
             \"paragraphs\": {},\n        \"photos\": {},\n        \"links\": {},\n        \
             \"characters\": {}\n      }},\n      \"read\": true,\n      \
             \"starred\": false\n    }}",
            counts["paragraphs"], counts["photos"], counts["links"], counts["characters"]
        )),
        "{}",
        run.stdout
    );
    let mut article_keys = keys(first);
    article_keys.retain(|k| !["counts", "read", "starred"].contains(k));
    let parsed = kanbao(Path::new(MANIFEST_DIR), &["parse", "--json", SAMPLE_PAGE]);
    let parsed = json(&parsed);
    let mut parsed_keys = keys(&parsed["articles"][0]);
    parsed_keys.retain(|k| !["paragraphs", "roles", "source_note", "photos", "links"].contains(k));
    assert_eq!(article_keys, parsed_keys);

    assert_eq!(
        fs::read_to_string(&state_file).expect("read state.json"),
        state,
        "list only reads the marks"
    );
}

#[test]
fn list_json_without_a_state_file_marks_nothing_and_creates_nothing() {
    let dir = sample_archive();
    let state_home = dir.path().join("state");
    let run = kanbao_with_state(dir.path(), &state_home, &["list", "--json"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(json(&run)["warnings"], serde_json::json!([]));
    let marks = marks(&run);
    assert_eq!(marks.len(), 3);
    assert!(
        marks.iter().all(|(_, read, starred)| !read && !starred),
        "{marks:?}"
    );
    assert!(!state_home.exists());
}

#[test]
fn list_json_with_a_corrupt_state_file_warns_and_still_lists() {
    let dir = sample_archive();
    let state_home = dir.path().join("state");
    let state_file = write(&dir, "state/kanbao/state.json", b"{\"version\": 1,");

    let run = kanbao_with_state(dir.path(), &state_home, &["list", "--json"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stderr, "");
    let moved: Vec<PathBuf> = fs::read_dir(state_home.join("kanbao"))
        .expect("read the state folder")
        .map(|e| e.expect("read a folder entry").path())
        .collect();
    assert_eq!(moved.len(), 1, "{moved:?}");
    assert!(
        moved[0]
            .to_string_lossy()
            .starts_with(&format!("{}.corrupt-", state_file.display())),
        "{moved:?}"
    );
    assert_eq!(fs::read(&moved[0]).expect("read"), b"{\"version\": 1,");
    assert_eq!(
        json(&run)["warnings"],
        serde_json::json!([format!(
            "{}: not valid JSON: EOF while parsing a value at line 1 column 14; \
             moved it to {}; read marks start empty",
            state_file.display(),
            moved[0].display()
        )])
    );
    assert_eq!(marks(&run).len(), 3);
}

#[test]
fn list_json_with_no_state_folder_known_warns_and_marks_nothing() {
    let dir = sample_archive();
    let run = kanbao(dir.path(), &["list", "--json"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stderr, "");
    assert_eq!(
        json(&run)["warnings"],
        serde_json::json!([
            "state.json: cannot be located: neither $XDG_STATE_HOME nor $HOME is set to an \
             absolute path; read marks start empty and are not saved; set $HOME or \
             $XDG_STATE_HOME"
        ])
    );
    assert!(
        marks(&run)
            .iter()
            .all(|(_, read, starred)| !read && !starred)
    );
}

/// The `counts` of the sample's articles, as `list --json` must give them:
/// counted from what `parse --json` prints of each.
fn sample_counts() -> Vec<Value> {
    let run = kanbao(Path::new(MANIFEST_DIR), &["parse", "--json", SAMPLE_PAGE]);
    json(&run)["articles"]
        .as_array()
        .expect("articles is an array")
        .iter()
        .map(|a| {
            let len = |key: &str| a[key].as_array().map_or(0, Vec::len);
            let characters: usize = a["paragraphs"]
                .as_array()
                .expect("paragraphs is an array")
                .iter()
                .map(|p| p.as_str().expect("a paragraph is a string").chars().count())
                .sum();
            serde_json::json!({
                "paragraphs": len("paragraphs"),
                "photos": len("photos"),
                "links": len("links"),
                "characters": characters,
            })
        })
        .collect()
}

#[test]
fn list_json_counts_the_text_and_show_json_gives_it() {
    let dir = sample_archive();
    let state_home = dir.path().join("state");
    let listed = kanbao_with_state(dir.path(), &state_home, &["list", "--json"]);
    assert_eq!(listed.code, 0, "{listed:?}");
    assert_eq!(listed.stderr, "");
    let listed = json(&listed);
    let articles = listed["articles"].as_array().expect("articles is an array");
    let counts: Vec<&Value> = articles.iter().map(|a| &a["counts"]).collect();
    assert_eq!(
        counts,
        sample_counts().iter().collect::<Vec<_>>(),
        "counts of the three sample articles"
    );
    // The sample as the parser reads it: 4, 5 and 2 paragraphs; the last has
    // the photos.
    let shape: Vec<(u64, u64)> = counts
        .iter()
        .map(|c| {
            (
                c["paragraphs"].as_u64().unwrap_or(0),
                c["photos"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(shape, [(4, 0), (5, 0), (2, 6)]);
    for a in articles {
        for key in ["paragraphs", "roles", "source_note", "photos", "links"] {
            assert!(a.get(key).is_none(), "list --json has {key}: {a}");
        }
    }

    let parsed = json(&kanbao(
        Path::new(MANIFEST_DIR),
        &["parse", "--json", SAMPLE_PAGE],
    ));
    for (n, listed) in articles.iter().enumerate() {
        let id = listed["id"].as_str().expect("id is a string");
        let run = kanbao_with_state(dir.path(), &state_home, &["show", id, "--json"]);
        assert_eq!(run.code, 0, "{run:?}");
        assert_eq!(run.stderr, "");
        let shown = json(&run);
        assert_eq!(keys(&shown), sorted(&["articles", "warnings"]));
        assert_eq!(shown["warnings"], serde_json::json!([]));
        let shown = shown["articles"].as_array().expect("articles is an array");
        assert_eq!(shown.len(), 1, "{shown:?}");
        let shown = &shown[0];
        // The text, as `parse` reads it from the same page.
        let page = &parsed["articles"][n];
        for key in ["paragraphs", "roles", "source_note", "photos", "links"] {
            assert_eq!(shown[key], page[key], "{id}: {key}");
        }
        // Every other field as listed.
        let mut expected = listed.clone();
        let object = expected.as_object_mut().expect("an article is an object");
        object.remove("counts");
        for key in ["paragraphs", "roles", "source_note", "photos", "links"] {
            object.insert(key.to_owned(), page[key].clone());
        }
        assert_eq!(shown, &expected, "show --json of {id}");
    }
}

// ─────────────────────────── kanbao mark ───────────────────────────

/// The sample archive, its three ids, and the state folder the runs use.
fn marked_archive() -> (TempDir, Vec<String>, PathBuf) {
    let dir = sample_archive();
    let state_home = dir.path().join("state");
    let ids = ids(&kanbao_with_state(
        dir.path(),
        &state_home,
        &["list", "--json"],
    ));
    assert_eq!(ids.len(), 3, "{ids:?}");
    (dir, ids, state_home)
}

/// Runs `kanbao mark ARGS…` and checks that it succeeded, printing `said`.
fn mark_ok(dir: &Path, state_home: &Path, args: &[&str], said: &str) {
    let mut all = vec!["mark"];
    all.extend_from_slice(args);
    let run = kanbao_with_state(dir, state_home, &all);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stderr, "", "{args:?}");
    assert_eq!(run.stdout, format!("{said}\n"), "{args:?}");
}

/// `(id, read, starred)` of each article as `list --json` reports it now.
fn listed_marks(dir: &Path, state_home: &Path) -> Vec<(String, bool, bool)> {
    marks(&kanbao_with_state(dir, state_home, &["list", "--json"]))
}

#[test]
fn mark_read_and_unread_are_saved_and_listed() {
    let (dir, ids, state_home) = marked_archive();
    let (dir, home) = (dir.path(), state_home.as_path());
    mark_ok(
        dir,
        home,
        &["read", &ids[0], &ids[2]],
        "marked 2 articles read",
    );
    assert_eq!(
        listed_marks(dir, home),
        [
            (ids[0].clone(), true, false),
            (ids[1].clone(), false, false),
            (ids[2].clone(), true, false),
        ]
    );
    let state = fs::read_to_string(state_home.join("kanbao/state.json")).expect("read state");
    let state: Value = serde_json::from_str(&state).expect("state.json is JSON");
    let mut read = vec![ids[0].clone(), ids[2].clone()];
    read.sort();
    assert_eq!(
        state,
        serde_json::json!({"version": 1, "read": read, "starred": []})
    );

    // A prefix names an article; an id given twice counts once.
    mark_ok(
        dir,
        home,
        &["read", &ids[1][..6], &ids[1], &ids[0]],
        "marked 2 articles read (1 already was)",
    );
    mark_ok(
        dir,
        home,
        &["unread", &ids[0], &ids[1], &ids[2]],
        "marked 3 articles unread",
    );
    mark_ok(
        dir,
        home,
        &["unread", &ids[0], &ids[1]],
        "marked 2 articles unread (2 already were)",
    );
    assert!(
        listed_marks(dir, home)
            .iter()
            .all(|(_, read, starred)| !read && !starred)
    );
}

#[test]
fn mark_star_and_unstar_leave_the_read_marks_alone() {
    let (dir, ids, state_home) = marked_archive();
    let (dir, home) = (dir.path(), state_home.as_path());
    mark_ok(dir, home, &["read", &ids[1]], "marked 1 article read");
    mark_ok(dir, home, &["star", &ids[1], &ids[2]], "starred 2 articles");
    assert_eq!(
        listed_marks(dir, home),
        [
            (ids[0].clone(), false, false),
            (ids[1].clone(), true, true),
            (ids[2].clone(), false, true),
        ]
    );
    mark_ok(
        dir,
        home,
        &["unstar", &ids[1], &ids[0]],
        "unstarred 2 articles (1 already was)",
    );
    assert_eq!(
        listed_marks(dir, home),
        [
            (ids[0].clone(), false, false),
            (ids[1].clone(), true, false),
            (ids[2].clone(), false, true),
        ]
    );
}

#[test]
fn mark_reads_ids_from_stdin_for_a_dash() {
    let (dir, ids, state_home) = marked_archive();
    // As `kanbao list --json | jq -r '.articles[].id'` prints them, with a
    // blank line and spaces a script might leave.
    let input = format!("{}\n\n  {}  \n", ids[0], ids[1]);
    let run = kanbao_with_input(
        dir.path(),
        &state_home,
        &["mark", "star", "-", &ids[2]],
        &input,
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stderr, "");
    assert_eq!(run.stdout, "starred 3 articles\n");
    assert!(
        listed_marks(dir.path(), &state_home)
            .iter()
            .all(|(_, read, starred)| !read && *starred)
    );
}

#[test]
fn mark_with_an_unknown_id_names_it_and_saves_nothing() {
    let (dir, ids, state_home) = marked_archive();
    let (dir, home) = (dir.path(), state_home.as_path());
    mark_ok(dir, home, &["read", &ids[0]], "marked 1 article read");
    let state_file = state_home.join("kanbao/state.json");
    let before = fs::read(&state_file).expect("read state.json");

    let run = kanbao_with_state(dir, home, &["mark", "read", &ids[1], "zzzzzzzz", &ids[2]]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(
        run.stderr_lines(),
        ["kanbao: no article with id \"zzzzzzzz\"; `kanbao list` shows the ids"]
    );
    assert_eq!(run.stdout, "");
    assert_eq!(fs::read(&state_file).expect("read state.json"), before);

    let run = kanbao_with_input(dir, home, &["mark", "unread", "-"], "zzzzzzzz\n");
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(
        run.stderr_lines(),
        ["kanbao: no article with id \"zzzzzzzz\"; `kanbao list` shows the ids"]
    );
    assert_eq!(fs::read(&state_file).expect("read state.json"), before);
}

#[test]
fn mark_that_cannot_save_prints_the_reason_and_exits_1() {
    let (dir, ids, state_home) = marked_archive();
    // A file where the state folder should be: saving fails for everyone,
    // root included.
    fs::create_dir_all(&state_home).expect("create the state home");
    fs::write(state_home.join("kanbao"), "not a folder").expect("write a file");
    let run = kanbao_with_state(dir.path(), &state_home, &["mark", "read", &ids[0]]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.stdout, "");
    let state_file = state_home.join("kanbao/state.json").display().to_string();
    assert_eq!(
        run.stderr_lines(),
        [
            format!(
                "kanbao: warning: {state_file}: cannot read: Not a directory (os error 20); read \
                 marks start empty"
            ),
            format!(
                "kanbao: cannot save read marks to {state_file}: File exists (os error 17); \
                 check that every part of the path is a folder"
            ),
        ]
    );
    assert_eq!(
        fs::read_to_string(state_home.join("kanbao")).expect("read the file"),
        "not a folder"
    );
}

/// `kanbao parse … | head -c 100`: the reader of the output closes the pipe
/// while kanbao still writes, as text and as JSON. That is no failure: exit
/// status 0 and nothing on stderr (found by the error's kind, not its text).
#[rstest]
#[case::text(&["parse", "--width", "40"])]
#[case::json(&["parse", "--json"])]
fn a_closed_pipe_ends_the_command_quietly(#[case] args: &[&str]) {
    use std::io::Read;
    use std::process::Stdio;
    let page = Path::new(MANIFEST_DIR).join(SAMPLE_PAGE);
    // Far more than a pipe holds, so kanbao is still writing when it closes.
    let pages = vec![page.as_os_str(); 60];
    let mut child = Command::new(env!("CARGO_BIN_EXE_kanbao"))
        .args(args)
        .args(&pages)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run the kanbao binary");
    let mut head = [0u8; 100];
    child
        .stdout
        .take()
        .expect("stdout is piped")
        .read_exact(&mut head)
        .expect("read the first bytes");
    let output = child.wait_with_output().expect("wait for kanbao");
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    assert_eq!(output.status.code(), Some(0));
}

/// `kanbao parse` of saved e-paper pages (issue 14): a 版面 page gives its
/// edition in `--json` (links as written: a saved page has no address), an
/// article page its article, and other HTML a warning.
#[test]
fn parse_reads_saved_epaper_pages() {
    let dir = Path::new(MANIFEST_DIR);
    let run = kanbao(
        dir,
        &[
            "parse",
            "--json",
            "tests/fixtures/epaper/people/node_01.html",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let value = json(&run);
    let edition = &value["edition"];
    assert_eq!(edition["date"], "2031-05-06");
    assert_eq!(edition["page"], "01");
    assert_eq!(edition["section"], "要闻");
    assert_eq!(
        edition["pdf"],
        "../../../../attachement/203105/06/page_01.pdf"
    );
    assert_eq!(edition["pages"][2]["name"], "广告");
    assert_eq!(edition["articles"][1]["title"], "青年工匠的第一台机床");
    assert_eq!(
        edition["articles"][1]["url"],
        "../../../content/203105/06/content_7002.html"
    );
    assert_eq!(value["articles"].as_array().map(Vec::len), Some(0));

    let run = kanbao(
        dir,
        &[
            "parse",
            "--json",
            "tests/fixtures/epaper/people/content_7001.html",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let article = &json(&run)["articles"][0];
    assert_eq!(article["kicker"], "沿着足迹看变化");
    assert_eq!(article["title"], "湖畔新城绘就发展新图景");
    assert_eq!(article["subtitle"], "——一座新城五年间的三次转身");
    assert_eq!(article["date"], "2031-05-06");
    assert_eq!(article["page"], "01");
    assert_eq!(
        article["byline"]["reporters"],
        serde_json::json!(["程远山", "林晓雨"])
    );
    assert_eq!(article["photos"][0]["credit"], "本报记者 程远山摄");
    assert_eq!(article["paragraphs"].as_array().map(Vec::len), Some(3));

    let run = kanbao(dir, &["parse", "tests/fixtures/epaper/founder/node_2.htm"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("2031-05-06 · 01版 要闻\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("  2. 老街新貌  content_502.htm?div=-1\n"),
        "{}",
        run.stdout
    );

    let other = TempDir::new().expect("create a temporary folder");
    write(
        &other,
        "page.html",
        b"<html><body><h1>x</h1><p>y</p></body></html>",
    );
    let run = kanbao(other.path(), &["parse", "page.html"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "kanbao: warning: page.html: an HTML page that is neither an e-paper 版面 page nor an \
         article page; save the page's text as a .txt file, or add the site's feed\n"
    );
}

/// Writes `text` to `relative` inside `dir`, creating its folders.
fn write_in(dir: &Path, relative: &str, text: &str) {
    let path = dir.join(relative);
    fs::create_dir_all(path.parent().expect("a folder")).expect("create folders");
    fs::write(path, text).expect("write a file");
}

/// The ids `kanbao list --json ARGS…` lists, in order.
fn listed_ids(dir: &Path, args: &[&str]) -> Vec<String> {
    let mut all = vec!["list", "--json"];
    all.extend_from_slice(args);
    let run = kanbao(dir, &all);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.json()["articles"]
        .as_array()
        .expect("articles")
        .iter()
        .map(|a| a["id"].as_str().expect("an id").to_owned())
        .collect()
}

#[test]
fn list_limit_gives_the_first_articles_of_the_whole_list() {
    // Two papers over several days, and a web feed's items grouped by
    // date and section: `--limit` reads only the newest dates but must
    // list exactly what the whole list starts with.
    let dir = common::papers::synthetic(400, 3, 2);
    // A web feed's stored items over three days and three categories, two
    // published at the same second in different sections, one undated.
    let mut config = fs::read_to_string(dir.path().join("config.toml")).expect("the config");
    config.push_str(
        "\n[[feeds]]\nid = \"wire\"\ntitle = \"通讯社\"\nkind = \"feed\"\npath = \"wire.xml\"\nstore = \"feeds/wire\"\n",
    );
    fs::write(dir.path().join("config.toml"), config).expect("write the config");
    fs::write(
        dir.path().join("wire.xml"),
        "<rss version=\"2.0\"><channel><title>w</title></channel></rss>",
    )
    .expect("write the feed");
    let categories = ["经济", "体育", "文化"];
    for n in 0..24u32 {
        let day = 1 + n % 3;
        let hour = 8 + (n * 7) % 12;
        let published = if n == 23 {
            String::new()
        } else {
            format!("published = \"2026-11-0{day}T{hour:02}:00:00+08:00\"\n")
        };
        let item = format!(
            "+++\nguid = \"item-{n}\"\ntitle = \"电讯第{n}号\"\n{published}category = \"{}\"\n+++\n\n第{n}条电讯的正文。\n",
            categories[((n / 3) % 3) as usize]
        );
        write_in(dir.path(), &format!("feeds/wire/item-{n}.txt"), &item);
    }
    let all = listed_ids(dir.path(), &[]);
    assert_eq!(all.len(), 424);
    for limit in [1, 7, 20, 100, 250, 399, 400, 410, 423, 424, 1000] {
        let n = limit.to_string();
        let first = listed_ids(dir.path(), &["--limit", &n]);
        assert_eq!(first, all[..limit.min(424)], "--limit {limit}");
    }
    let wire = listed_ids(dir.path(), &["--feed", "wire"]);
    for limit in [1, 5, 8, 9, 16, 23, 24] {
        let n = limit.to_string();
        let first = listed_ids(dir.path(), &["--feed", "wire", "--limit", &n]);
        assert_eq!(first, wire[..limit], "wire --limit {limit}");
    }
    assert_eq!(listed_ids(dir.path(), &["--limit", "0"]), all, "0 is all");
    // One feed: its own first articles.
    let config = fs::read_to_string(dir.path().join("config.toml")).expect("the config");
    let second = config
        .lines()
        .filter_map(|l| l.strip_prefix("id = \""))
        .nth(1)
        .and_then(|l| l.strip_suffix('"'))
        .expect("a second feed")
        .to_owned();
    let of_feed = listed_ids(dir.path(), &["--feed", &second]);
    let first = listed_ids(dir.path(), &["--feed", &second, "--limit", "30"]);
    assert_eq!(first, of_feed[..30]);
    // Text: the same articles, under their headings.
    let text = kanbao(dir.path(), &["list", "--limit", "5"]);
    let shown: Vec<&str> = all[..5].iter().map(String::as_str).collect();
    for id in &shown {
        assert!(text.stdout.contains(id), "{id} in:\n{}", text.stdout);
    }
    assert!(!text.stdout.contains(all[5].as_str()), "{}", text.stdout);
}

#[test]
fn search_limit_zero_prints_every_hit_once_in_rank_order() {
    // More hits than the output reads between two releases of the index's
    // pages (4,096): every one printed once, ranked as the first ones are,
    // and the same whether printed as text or JSON.
    let dir = common::papers::synthetic(6000, 5, 2);
    let run = kanbao(dir.path(), &["search", "--json", "--limit", "0", "的"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let all: Value = serde_json::from_str(&run.stdout).expect("JSON");
    let hits = all["hits"].as_array().expect("hits");
    let count = all["count"].as_u64().expect("a count") as usize;
    assert!(count > 4096, "{count} hits: too few to cross a release");
    assert_eq!(hits.len(), count);
    let ids: Vec<&str> = hits
        .iter()
        .map(|h| h["id"].as_str().expect("an id"))
        .collect();
    let unique: std::collections::HashSet<&&str> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "a hit printed twice");
    let first = kanbao(dir.path(), &["search", "--json", "--limit", "50", "的"]);
    let first: Value = serde_json::from_str(&first.stdout).expect("JSON");
    assert_eq!(first["count"], all["count"]);
    assert_eq!(first["hits"].as_array().map(|h| &h[..]), Some(&hits[..50]));
    // The text output lists the same ids in the same order.
    let text = kanbao(dir.path(), &["search", "--limit", "0", "的"]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    let listed: Vec<&str> = text
        .stdout
        .lines()
        .skip(1)
        .step_by(2)
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(listed, ids);
}

/// `search` prints its snippets as the reader shows text: the page's
/// half-width `,` in Chinese full-width (`fullwidth_punctuation`, on by
/// default), and `--json` the stored text.
#[test]
fn search_snippets_show_full_width_punctuation_in_chinese() {
    let dir = Path::new(MANIFEST_DIR);
    let text = kanbao(dir, &["search", "创新高地"]);
    assert_eq!(text.code, 0, "{text:?}");
    assert!(text.stdout.contains("创新高地，为"), "{}", text.stdout);
    let json = kanbao(dir, &["search", "--json", "创新高地"]);
    assert_eq!(json.code, 0, "{json:?}");
    assert!(json.stdout.contains("创新高地,为"), "{}", json.stdout);
}

/// A build of many files with no terminal on stderr has no progress bar
/// but says, in one line, what it is doing; the next run, on the index,
/// says nothing.
#[test]
fn a_large_build_says_it_indexes_when_stderr_is_no_terminal() {
    let dir = TempDir::new().expect("create a temporary folder");
    let options = kanbao_synth::Options {
        articles: 2000,
        seed: 3,
        feeds: 1,
        ..kanbao_synth::Options::default()
    };
    kanbao_synth::generate(dir.path(), &options).expect("generate an archive");
    let first = kanbao(dir.path(), &["list", "--limit", "1"]);
    assert_eq!(first.code, 0, "{first:?}");
    let said: Vec<&str> = first.stderr.lines().collect();
    assert_eq!(said.len(), 1, "{}", first.stderr);
    assert!(
        said[0].starts_with("kanbao: indexing ") && said[0].ends_with(" files…"),
        "{}",
        first.stderr
    );
    let second = kanbao(dir.path(), &["list", "--limit", "1"]);
    assert_eq!(second.code, 0, "{second:?}");
    assert_eq!(second.stderr, "", "the index is read");
}
