//! What `kanbao search`, `show` and `list` see of changes to the archive
//! without a look at every file (README.md, "The index"): a page added,
//! removed or renamed is seen by the next command; a page changed in place
//! is seen at once when it is among the newest files, else with `--fresh`.
//!
//! Each test runs the binary on an archive in its own temporary folder, the
//! index in a hidden folder inside it. Folder times are set an hour back
//! where a test needs the quick check to trust them (a folder changed in the
//! last two seconds is always listed again).

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime};

use common::run::Run;
use tempfile::TempDir;

const CONFIG: &str = r#"[[feeds]]
id = "a"
title = "甲报"
kind = "pages"
path = "feeds/a"
"#;

/// A page of one article headed `title`, its body saying `body`.
fn page(title: &str, body: &str) -> String {
    format!(
        "{title}\n\n记者 王伟\n\n　　{body}这是一段足够长的正文，用来说明事情的经过和结果。⑤3\n"
    )
}

fn kanbao(dir: &Path, args: &[&str]) -> Run {
    let run = Run::of(
        Command::new(env!("CARGO_BIN_EXE_kanbao"))
            .args(args)
            .current_dir(dir)
            .env_remove("KANBAO_CONFIG")
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("HOME")
            .env("XDG_STATE_HOME", dir.join(".state"))
            .env("XDG_CACHE_HOME", dir.join(".cache")),
    );
    assert_eq!(run.code, 0, "kanbao {args:?}: {}", run.stderr);
    run
}

/// How many articles `kanbao search WORD` finds, and their ids.
fn search(dir: &Path, word: &str, fresh: bool) -> (u64, Vec<String>) {
    let mut args = vec!["search", word, "--json", "--limit", "0"];
    if fresh {
        args.insert(0, "--fresh");
    }
    let json = kanbao(dir, &args).json();
    let ids = json["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["id"].as_str().expect("an id").to_owned())
        .collect();
    (json["count"].as_u64().expect("a count"), ids)
}

/// The titles `kanbao list --json` lists.
fn titles(dir: &Path) -> Vec<String> {
    let json = kanbao(dir, &["list", "--json"]).json();
    let mut titles: Vec<String> = json["articles"]
        .as_array()
        .expect("articles")
        .iter()
        .map(|a| a["title"].as_str().unwrap_or("").to_owned())
        .collect();
    titles.sort();
    titles
}

/// An archive of `pages` (relative path, title, body).
fn archive(pages: &[(&str, &str, &str)]) -> TempDir {
    let dir = TempDir::new().expect("a temporary folder");
    fs::write(dir.path().join("config.toml"), CONFIG).expect("write the config");
    for (path, title, body) in pages {
        put(dir.path(), path, &page(title, body));
    }
    dir
}

fn put(dir: &Path, relative: &str, text: &str) -> PathBuf {
    let path = dir.join("feeds/a").join(relative);
    fs::create_dir_all(path.parent().expect("a folder")).expect("create folders");
    fs::write(&path, text).expect("write a page");
    path
}

/// Sets the modification time of `path` (a file or a folder).
fn set_time(path: &Path, time: SystemTime) {
    fs::File::open(path)
        .and_then(|f| f.set_modified(time))
        .unwrap_or_else(|e| panic!("set the time of {}: {e}", path.display()));
}

/// The feed's folders, its own included.
fn feed_folders(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut folders = Vec::new();
    let mut stack = vec![dir.join("feeds/a")];
    while let Some(folder) = stack.pop() {
        for entry in fs::read_dir(&folder).expect("list a folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                stack.push(path);
            }
        }
        folders.push(folder);
    }
    folders
}

/// Every folder of the feed an hour old, so that the quick check trusts
/// their times.
fn age_folders(dir: &Path) {
    let hour_ago = SystemTime::now() - Duration::from_secs(3600);
    for folder in feed_folders(dir) {
        set_time(&folder, hour_ago);
    }
}

/// The feed's folders changed in the last minute, set an hour back (a
/// time they did not have before), so that the quick check trusts them;
/// the others keep their times.
fn age_changed_folders(dir: &Path) {
    let now = SystemTime::now();
    let minute_ago = now - Duration::from_secs(60);
    for folder in feed_folders(dir) {
        let time = fs::metadata(&folder)
            .and_then(|m| m.modified())
            .expect("a folder's time");
        if time > minute_ago {
            set_time(&folder, now - Duration::from_secs(3600));
        }
    }
}

/// Rewrites `path` in place (no rename, so its folder's time stays):
/// `from` becomes `to`, which must be as long, and the file keeps its
/// size and the second of its modification time.
fn rewrite_in_place(path: &Path, from: &str, to: &str) {
    use std::io::{Seek, SeekFrom, Write};
    assert_eq!(from.len(), to.len(), "the same size");
    let before = fs::metadata(path)
        .expect("stat")
        .modified()
        .expect("a time");
    let text = fs::read_to_string(path).expect("read");
    let at = text.find(from).expect("the text to change");
    let mut file = fs::OpenOptions::new()
        .write(true)
        .open(path)
        .expect("open for writing");
    file.seek(SeekFrom::Start(at as u64)).expect("seek");
    file.write_all(to.as_bytes()).expect("write");
    // The same second, another nanosecond.
    let since = before
        .duration_since(SystemTime::UNIX_EPOCH)
        .expect("after 1970");
    let nanos = (since.subsec_nanos() + 1) % 1_000_000_000;
    let same_second = SystemTime::UNIX_EPOCH + Duration::new(since.as_secs(), nanos);
    file.set_modified(same_second).expect("set the time");
    drop(file);
    let after = fs::metadata(path).expect("stat");
    assert_eq!(after.len() as usize, text.len());
}

#[test]
fn added_removed_and_renamed_pages_are_seen_by_the_next_command() {
    let dir = archive(&[
        ("2026-11-01/01-要闻.txt", "第一篇报道", "苹果丰收"),
        ("2026-11-02/01-要闻.txt", "第二篇报道", "苹果上市"),
    ]);
    let root = dir.path();
    age_folders(root);
    assert_eq!(search(root, "苹果", false).0, 2);
    assert_eq!(
        search(root, "苹果", false).0,
        2,
        "unchanged, from the index"
    );

    // Added to a folder the index knows, and in a new folder.
    put(
        root,
        "2026-11-02/02-经济.txt",
        &page("第三篇报道", "苹果出口"),
    );
    put(
        root,
        "2026-11-03/01-要闻.txt",
        &page("第四篇报道", "苹果加工"),
    );
    assert_eq!(search(root, "苹果", false).0, 4, "added pages");
    assert_eq!(titles(root).len(), 4);
    age_folders(root);

    // Removed, and a whole day's folder removed.
    fs::remove_file(root.join("feeds/a/2026-11-02/02-经济.txt")).expect("remove");
    fs::remove_dir_all(root.join("feeds/a/2026-11-03")).expect("remove a folder");
    assert_eq!(search(root, "苹果", false).0, 2, "removed pages");
    age_folders(root);

    // Renamed: its id changes with its name; the old id is gone.
    let (_, before) = search(root, "丰收", false);
    fs::rename(
        root.join("feeds/a/2026-11-01/01-要闻.txt"),
        root.join("feeds/a/2026-11-01/02-要闻.txt"),
    )
    .expect("rename");
    let (count, after) = search(root, "丰收", false);
    assert_eq!(count, 1, "renamed page");
    assert_ne!(before, after, "a new name, a new id");
    let shown = kanbao(root, &["show", &after[0]]);
    assert!(shown.stdout.contains("苹果丰收"), "{}", shown.stdout);
    let gone = Run::of(
        Command::new(env!("CARGO_BIN_EXE_kanbao"))
            .args(["show", &before[0]])
            .current_dir(root)
            .env_remove("HOME")
            .env("XDG_CACHE_HOME", root.join(".cache")),
    );
    assert_ne!(gone.code, 0, "the old id names nothing: {}", gone.stdout);

    // A renamed folder.
    age_folders(root);
    fs::rename(
        root.join("feeds/a/2026-11-02"),
        root.join("feeds/a/2026-11-05"),
    )
    .expect("rename a folder");
    let json = kanbao(root, &["search", "上市", "--json"]).json();
    assert_eq!(json["count"], 1);
    assert_eq!(json["hits"][0]["date"], "2026-11-05", "{json}");
}

#[test]
fn a_page_changed_in_place_among_the_newest_is_seen_at_once() {
    let dir = archive(&[
        ("2026-11-01/01-要闻.txt", "第一篇报道", "苹果丰收"),
        ("2026-11-02/01-要闻.txt", "第二篇报道", "梨子上市"),
    ]);
    let root = dir.path();
    age_folders(root);
    assert_eq!(search(root, "香蕉", false).0, 0);
    let path = root.join("feeds/a/2026-11-02/01-要闻.txt");
    rewrite_in_place(&path, "梨子", "香蕉");
    assert_eq!(
        search(root, "香蕉", false).0,
        1,
        "the same size, the same second"
    );
    assert_eq!(search(root, "梨子", false).0, 0);
    let (_, ids) = search(root, "香蕉", false);
    let shown = kanbao(root, &["show", &ids[0]]);
    assert!(shown.stdout.contains("香蕉上市"), "{}", shown.stdout);
}

#[test]
fn an_old_page_changed_in_place_is_seen_with_fresh() {
    // More files than the quick check looks at one by one, all newer than
    // the page that changes.
    let dir = archive(&[("2020-01-01/01-要闻.txt", "旧报道", "梨子上市")]);
    let root = dir.path();
    let old = root.join("feeds/a/2020-01-01/01-要闻.txt");
    set_time(&old, SystemTime::now() - Duration::from_secs(86_400 * 365));
    for n in 0..1_010 {
        let day = 1 + n / 100;
        put(
            root,
            &format!("2026-11-{day:02}/{:02}-要闻.txt", n % 100),
            &page(&format!("报道{n}"), "苹果丰收"),
        );
    }
    age_folders(root);
    assert_eq!(search(root, "梨子", false).0, 1);
    rewrite_in_place(&old, "梨子", "香蕉");
    assert_eq!(
        search(root, "香蕉", false).0,
        0,
        "an old page rewritten in place is not looked at by the quick check"
    );
    assert_eq!(
        search(root, "香蕉", true).0,
        1,
        "--fresh looks at every file"
    );
    assert_eq!(search(root, "香蕉", false).0, 1, "and the index keeps it");
    assert_eq!(search(root, "梨子", false).0, 0);
}

#[test]
fn a_changed_folder_is_listed_again_until_its_time_can_be_trusted() {
    // Folders changed in the last two seconds: their time may not move for
    // a change in the same clock tick, so they are always listed again.
    let dir = archive(&[("2026-11-01/01-要闻.txt", "第一篇报道", "苹果丰收")]);
    let root = dir.path();
    assert_eq!(search(root, "苹果", false).0, 1);
    let folder = root.join("feeds/a/2026-11-01");
    let time = fs::metadata(&folder)
        .expect("stat")
        .modified()
        .expect("time");
    put(
        root,
        "2026-11-01/02-要闻.txt",
        &page("第二篇报道", "苹果上市"),
    );
    // The folder's time put back, as if the change fell in the same tick.
    set_time(&folder, time);
    assert_eq!(search(root, "苹果", false).0, 2);
}

/// The index's segment files.
fn segments(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for index in fs::read_dir(dir.join(".cache/kanbao")).expect("the index folder") {
        for file in fs::read_dir(index.expect("an index").path()).expect("an index folder") {
            let path = file.expect("a file").path();
            if path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("seg-"))
            {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

#[test]
fn show_and_mark_look_only_at_their_own_pages_unless_they_changed() {
    let dir = archive(&[
        ("2026-11-01/01-要闻.txt", "第一篇报道", "苹果丰收"),
        ("2026-11-02/01-要闻.txt", "第二篇报道", "梨子上市"),
    ]);
    let root = dir.path();
    age_folders(root);
    let (_, apples) = search(root, "苹果", false);
    let (_, pears) = search(root, "梨子", false);
    let index = segments(root);

    // A page added elsewhere does not concern `show` of an unchanged page:
    // it reads the index as it is, and the next search indexes the page.
    put(
        root,
        "2026-11-03/01-要闻.txt",
        &page("第三篇报道", "香蕉上市"),
    );
    let shown = kanbao(root, &["show", &apples[0]]);
    assert!(shown.stdout.contains("苹果丰收"), "{}", shown.stdout);
    assert_eq!(
        segments(root),
        index,
        "show of an unchanged page indexes nothing"
    );
    let marked = kanbao(root, &["mark", "read", &apples[0], &pears[0]]);
    assert_eq!(marked.stdout, "marked 2 articles read\n");
    assert_eq!(segments(root), index, "nor does mark");
    assert_eq!(search(root, "香蕉", false).0, 1);
    assert_ne!(segments(root), index);

    // Its own page changed in place: shown as it is now, and indexed.
    let path = root.join("feeds/a/2026-11-02/01-要闻.txt");
    rewrite_in_place(&path, "第二篇报道", "第五篇报道");
    let index = segments(root);
    let shown = kanbao(root, &["show", &pears[0]]);
    assert!(shown.stdout.contains("第五篇报道"), "{}", shown.stdout);
    assert_ne!(segments(root), index, "the changed page was read again");

    // Its own page gone: no such article.
    fs::remove_file(root.join("feeds/a/2026-11-01/01-要闻.txt")).expect("remove");
    let gone = Run::of(
        Command::new(env!("CARGO_BIN_EXE_kanbao"))
            .args(["show", &apples[0]])
            .current_dir(root)
            .env_remove("HOME")
            .env("XDG_CACHE_HOME", root.join(".cache")),
    );
    assert_eq!(gone.code, 2, "{gone:?}");
    assert!(
        gone.stderr.contains("no article with id"),
        "{}",
        gone.stderr
    );
}

/// The titles of the articles `kanbao search WORD` finds, sorted.
fn found_titles(dir: &Path, word: &str) -> Vec<String> {
    let json = kanbao(dir, &["search", word, "--json", "--limit", "0"]).json();
    let mut titles: Vec<String> = json["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["title"].as_str().unwrap_or("").to_owned())
        .collect();
    titles.sort();
    titles
}

#[test]
fn quick_refreshes_through_many_changes_and_merges_see_what_a_full_walk_sees() {
    // Quick refreshes compare only the folders that changed with the
    // index (and, past the segment limit, merge): after every kind of
    // change, many times over, search and list give exactly the pages
    // on disk.
    let dir = archive(&[
        ("2026-10-01/01-要闻.txt", "报道甲", "苹果丰收"),
        ("2026-10-02/01-要闻.txt", "报道乙", "苹果上市"),
        ("2026-10-03/版面/01-要闻.txt", "报道丙", "苹果出口"),
    ]);
    let root = dir.path();
    let mut pages: std::collections::BTreeMap<String, String> = [
        ("2026-10-01/01-要闻.txt", "报道甲"),
        ("2026-10-02/01-要闻.txt", "报道乙"),
        ("2026-10-03/版面/01-要闻.txt", "报道丙"),
    ]
    .into_iter()
    .map(|(p, t)| (p.to_owned(), t.to_owned()))
    .collect();
    age_folders(root);
    for round in 0..24usize {
        let title = format!("报道{round}");
        let folder = format!("2026-11-{:02}", round % 9 + 1);
        match round % 6 {
            // A page in a folder new or known, and one a folder deeper.
            0 | 3 => {
                let path = format!("{folder}/{:02}-要闻.txt", round);
                put(root, &path, &page(&title, "苹果加工"));
                pages.insert(path, title);
            }
            1 => {
                let path = format!("{folder}/版面/{:02}-经济.txt", round);
                put(root, &path, &page(&title, "苹果运输"));
                pages.insert(path, title);
            }
            // A page removed.
            2 => {
                if let Some(path) = pages.keys().nth(round % pages.len()).cloned() {
                    fs::remove_file(root.join("feeds/a").join(&path)).expect("remove");
                    pages.remove(&path);
                }
            }
            // A page renamed into another folder.
            4 => {
                if let Some(path) = pages.keys().nth(round % pages.len()).cloned() {
                    let to = format!("2026-12-{:02}/{:02}-改名.txt", round % 3 + 1, round);
                    let target = root.join("feeds/a").join(&to);
                    fs::create_dir_all(target.parent().expect("a folder")).expect("mkdir");
                    fs::rename(root.join("feeds/a").join(&path), target).expect("rename");
                    let title = pages.remove(&path).expect("a title");
                    pages.insert(to, title);
                }
            }
            // A whole folder (and what is below it) removed.
            _ => {
                let gone = format!("2026-11-{:02}", (round + 4) % 9 + 1);
                let _ = fs::remove_dir_all(root.join("feeds/a").join(&gone));
                pages.retain(|path, _| !path.starts_with(&format!("{gone}/")));
            }
        }
        // Only the folders this round changed are aged: the rest keep
        // their times, so the quick check lists only those again and takes
        // the others (and, in a merge, what dropped segments held there)
        // from the index.
        age_changed_folders(root);
        let mut expected: Vec<String> = pages.values().cloned().collect();
        expected.sort();
        assert_eq!(
            found_titles(root, "苹果"),
            expected,
            "search, round {round}"
        );
        assert_eq!(titles(root), expected, "list, round {round}");
    }
    assert!(
        segments(root).len() < 8,
        "merged along the way: {:?}",
        segments(root)
    );
}

#[test]
fn a_damaged_source_row_is_rebuilt_by_the_quick_check() {
    // Commands read the segments' source rows without their records: a
    // damaged row is found by its checksum and the index rebuilt, never
    // taken for a page gone.
    let dir = archive(&[
        ("2026-11-01/01-要闻.txt", "第一篇报道", "苹果丰收"),
        ("2026-11-02/01-要闻.txt", "第二篇报道", "苹果上市"),
    ]);
    let root = dir.path();
    age_folders(root);
    assert_eq!(search(root, "苹果", false).0, 2);
    for segment in segments(root) {
        let mut bytes = fs::read(&segment).expect("read");
        // The meta section's offset is in the header; the last row ends
        // 8 bytes before it, its feed key 22 bytes before that.
        let meta = u64::from_le_bytes(bytes[56..64].try_into().expect("8 bytes")) as usize;
        bytes[meta - 30] ^= 0x5a;
        fs::write(&segment, bytes).expect("write");
    }
    assert_eq!(search(root, "苹果", false).0, 2, "rebuilt");
    assert_eq!(titles(root).len(), 2);
}
