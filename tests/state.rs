//! `state.json`, the read and starred marks: where it is found, what loading
//! makes of a missing, corrupt or newer file, and that saving is atomic.
//!
//! Every test works in its own temporary folder. The tests may run as root,
//! whom permissions do not stop, so failed saves are caused by paths that
//! fail for everyone: a parent that is a regular file, a target that is a
//! folder.

use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};

use kanbao::marks::{Marks, StateStore};
use rstest::rstest;
use tempfile::TempDir;

const FIRST: &str = "0123456789ab";
const SECOND: &str = "fedcba987654";
const THIRD: &str = "00000000000f";

fn marks() -> Marks {
    let mut marks = Marks::default();
    marks.set_read(SECOND, true);
    marks.set_read(FIRST, true);
    marks.set_starred(THIRD, true);
    marks.set_starred(FIRST, true);
    marks
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("read a folder entry").file_name())
        .map(|name| name.to_string_lossy().into_owned())
        .collect();
    names.sort_unstable();
    names
}

/// The one file in `dir` whose name starts with `prefix`.
fn only_file_starting(dir: &Path, prefix: &str) -> PathBuf {
    let found: Vec<String> = names(dir)
        .into_iter()
        .filter(|n| n.starts_with(prefix))
        .collect();
    assert_eq!(found.len(), 1, "{prefix}*: {:?}", names(dir));
    dir.join(&found[0])
}

fn store_in(dir: &TempDir) -> StateStore {
    StateStore::at(dir.path().join("state.json"))
}

// ───────────────────────────── locating ─────────────────────────────

#[rstest]
#[case::xdg_state_home(Some("/x/state"), Some("/home/u"), Some("/x/state/kanbao/state.json"))]
#[case::xdg_alone(Some("/x/state"), None, Some("/x/state/kanbao/state.json"))]
#[case::home(None, Some("/home/u"), Some("/home/u/.local/state/kanbao/state.json"))]
#[case::empty_xdg(
    Some(""),
    Some("/home/u"),
    Some("/home/u/.local/state/kanbao/state.json")
)]
#[case::relative_xdg(
    Some("state"),
    Some("/home/u"),
    Some("/home/u/.local/state/kanbao/state.json")
)]
#[case::relative_xdg_no_home(Some("state"), None, None)]
#[case::nothing(None, None, None)]
#[case::empty_home(None, Some(""), None)]
#[case::relative_home(None, Some("home/u"), None)]
fn locate_in(
    #[case] xdg_state_home: Option<&str>,
    #[case] home: Option<&str>,
    #[case] expected: Option<&str>,
) {
    let store = StateStore::locate_in(xdg_state_home.map(OsStr::new), home.map(OsStr::new));
    assert_eq!(
        store.as_ref().map(StateStore::path),
        expected.map(Path::new)
    );
}

// ───────────────────────────── loading ─────────────────────────────

#[test]
fn saved_marks_load_back_and_the_file_is_sorted_json() {
    let dir = TempDir::new().expect("create a temporary folder");
    let store = store_in(&dir);
    store.save(&marks()).expect("save");

    let (loaded, warnings) = store.load();
    assert_eq!(warnings, []);
    assert_eq!(loaded, marks());
    assert!(loaded.is_read(FIRST) && loaded.is_read(SECOND) && !loaded.is_read(THIRD));
    assert!(loaded.is_starred(FIRST) && !loaded.is_starred(SECOND) && loaded.is_starred(THIRD));

    let text = fs::read_to_string(store.path()).expect("read state.json");
    assert_eq!(
        text,
        format!(
            "{{\n  \"version\": 1,\n  \"read\": [\n    \"{FIRST}\",\n    \"{SECOND}\"\n  ],\n  \
             \"starred\": [\n    \"{THIRD}\",\n    \"{FIRST}\"\n  ]\n}}\n"
        )
    );
}

#[test]
fn saving_again_replaces_the_marks() {
    let dir = TempDir::new().expect("create a temporary folder");
    let store = store_in(&dir);
    store.save(&marks()).expect("save");
    let mut fewer = marks();
    assert!(!fewer.toggle_read(FIRST));
    assert!(!fewer.toggle_star(THIRD));
    store.save(&fewer).expect("save again");
    assert_eq!(store.load(), (fewer, vec![]));
}

#[rstest]
#[case::no_file("state.json")]
#[case::no_folder("kanbao/state.json")]
fn missing_file_is_no_marks_and_no_warning(#[case] relative: &str) {
    let dir = TempDir::new().expect("create a temporary folder");
    let store = StateStore::at(dir.path().join(relative));
    assert_eq!(store.load(), (Marks::default(), vec![]));
    assert_eq!(
        names(dir.path()),
        Vec::<String>::new(),
        "loading creates nothing"
    );
}

#[rstest]
#[case::not_json(
    b"{\"version\": 1, \"read\": [",
    "not valid JSON: EOF while parsing a list at line 1 column 24"
)]
#[case::empty(b"", "not valid JSON: EOF while parsing a value at line 1 column 0")]
#[case::not_utf8(b"\xff\xfe{}", "not valid JSON: expected value at line 1 column 1")]
#[case::wrong_shape(
    b"{\"version\": 1, \"read\": \"0123456789ab\", \"starred\": []}",
    "not kanbao read marks: invalid type: string \"0123456789ab\", expected a sequence"
)]
#[case::no_version(
    b"{\"read\": [], \"starred\": []}",
    "not kanbao read marks: no \"version\" number"
)]
fn corrupt_file_is_moved_aside_whole(#[case] bytes: &[u8], #[case] reason: &str) {
    let dir = TempDir::new().expect("create a temporary folder");
    let store = store_in(&dir);
    fs::write(store.path(), bytes).expect("write state.json");

    let (loaded, warnings) = store.load();
    assert_eq!(loaded, Marks::default());
    let aside = only_file_starting(dir.path(), "state.json.corrupt-");
    assert_eq!(
        warnings.iter().map(ToString::to_string).collect::<Vec<_>>(),
        [format!(
            "{}: {reason}; moved it to {}; read marks start empty",
            store.path().display(),
            aside.display()
        )]
    );
    let seconds = aside
        .to_string_lossy()
        .rsplit('-')
        .next()
        .map(str::to_owned);
    assert!(
        seconds.is_some_and(|s| s.len() >= 10 && s.bytes().all(|b| b.is_ascii_digit())),
        "{}",
        aside.display()
    );
    assert_eq!(fs::read(&aside).expect("read the moved file"), bytes);
    assert!(!store.path().exists(), "state.json was moved, not copied");

    store.save(&marks()).expect("save after a corrupt file");
    assert_eq!(store.load(), (marks(), vec![]));
    assert_eq!(fs::read(&aside).expect("read the moved file"), bytes);
}

#[test]
fn a_second_corrupt_file_does_not_replace_the_first() {
    let dir = TempDir::new().expect("create a temporary folder");
    let store = store_in(&dir);
    fs::write(store.path(), b"first").expect("write state.json");
    let (_, first) = store.load();
    fs::write(store.path(), b"second").expect("write state.json");
    let (_, second) = store.load();

    let moved: Vec<String> = names(dir.path());
    assert_eq!(moved.len(), 2, "{moved:?}");
    let contents: Vec<Vec<u8>> = moved
        .iter()
        .map(|n| fs::read(dir.path().join(n)).expect("read a moved file"))
        .collect();
    assert!(contents.contains(&b"first".to_vec()), "{moved:?}");
    assert!(contents.contains(&b"second".to_vec()), "{moved:?}");
    assert_ne!(first, second);
}

#[test]
fn file_of_a_newer_version_is_moved_aside_for_the_newer_kanbao() {
    let dir = TempDir::new().expect("create a temporary folder");
    let store = store_in(&dir);
    let bytes = b"{\"version\": 2, \"marks\": {}}";
    fs::write(store.path(), bytes).expect("write state.json");

    let (loaded, warnings) = store.load();
    assert_eq!(loaded, Marks::default());
    let aside = only_file_starting(dir.path(), "state.json.v2-");
    assert_eq!(
        warnings.iter().map(ToString::to_string).collect::<Vec<_>>(),
        [format!(
            "{}: written by a newer kanbao (version 2; this one reads version 1); \
             moved it to {}; read marks start empty",
            store.path().display(),
            aside.display()
        )]
    );
    assert_eq!(fs::read(&aside).expect("read the moved file"), bytes);
}

#[test]
fn folder_in_place_of_the_file_is_moved_aside() {
    let dir = TempDir::new().expect("create a temporary folder");
    let store = store_in(&dir);
    fs::create_dir(store.path()).expect("create a folder");
    fs::write(store.path().join("kept"), b"kept").expect("write a file");

    let (loaded, warnings) = store.load();
    assert_eq!(loaded, Marks::default());
    let aside = only_file_starting(dir.path(), "state.json.corrupt-");
    assert_eq!(
        warnings.iter().map(ToString::to_string).collect::<Vec<_>>(),
        [format!(
            "{}: cannot read: Is a directory (os error 21); moved it to {}; \
             read marks start empty",
            store.path().display(),
            aside.display()
        )]
    );
    assert_eq!(fs::read(aside.join("kept")).expect("read"), b"kept");
}

#[test]
fn parent_that_is_a_file_is_a_warning_and_moves_nothing() {
    let dir = TempDir::new().expect("create a temporary folder");
    fs::write(dir.path().join("kanbao"), b"not a folder").expect("write a file");
    let store = StateStore::at(dir.path().join("kanbao/state.json"));

    let (loaded, warnings) = store.load();
    assert_eq!(loaded, Marks::default());
    assert_eq!(
        warnings.iter().map(ToString::to_string).collect::<Vec<_>>(),
        [format!(
            "{}: cannot read: Not a directory (os error 20); read marks start empty",
            store.path().display()
        )]
    );
    assert_eq!(names(dir.path()), ["kanbao"]);
}

// ───────────────────────────── saving ─────────────────────────────

#[test]
fn save_creates_the_folders_and_leaves_no_temporary_file() {
    let dir = TempDir::new().expect("create a temporary folder");
    let folder = dir.path().join("state/kanbao");
    let store = StateStore::at(folder.join("state.json"));
    store.save(&marks()).expect("save");
    store.save(&Marks::default()).expect("save again");
    assert_eq!(names(&folder), ["state.json"]);
    assert_eq!(store.load(), (Marks::default(), vec![]));
}

#[test]
fn save_under_a_file_fails_with_the_path_and_the_reason() {
    let dir = TempDir::new().expect("create a temporary folder");
    fs::write(dir.path().join("kanbao"), b"not a folder").expect("write a file");
    let store = StateStore::at(dir.path().join("kanbao/state.json"));

    let message = store.save(&marks()).expect_err("a file is no folder");
    assert_eq!(
        message,
        format!(
            "cannot save read marks to {}: File exists (os error 17); \
             check that every part of the path is a folder",
            store.path().display()
        )
    );
    assert!(!message.contains('\n'));
    assert_eq!(names(dir.path()), ["kanbao"]);
    assert_eq!(
        fs::read(dir.path().join("kanbao")).expect("read"),
        b"not a folder"
    );
}

#[test]
fn save_over_a_folder_fails_and_leaves_it_and_no_temporary_file() {
    let dir = TempDir::new().expect("create a temporary folder");
    let store = store_in(&dir);
    fs::create_dir(store.path()).expect("create a folder");
    fs::write(store.path().join("kept"), b"kept").expect("write a file");

    let message = store
        .save(&marks())
        .expect_err("a file cannot replace a folder");
    assert_eq!(
        message,
        format!(
            "cannot save read marks to {0}: Is a directory (os error 21); \
             {0} is a folder; move it away",
            store.path().display()
        )
    );
    assert_eq!(
        names(dir.path()),
        ["state.json"],
        "no temporary file is left"
    );
    assert_eq!(names(store.path()), ["kept"]);
    assert_eq!(fs::read(store.path().join("kept")).expect("read"), b"kept");
}

/// Needs a user whom permissions stop; as root the folder stays writable and
/// the test checks only that saving then succeeds.
#[cfg(unix)]
#[test]
fn save_into_a_read_only_folder_keeps_the_old_file() {
    use std::os::unix::fs::PermissionsExt;

    let dir = TempDir::new().expect("create a temporary folder");
    let store = store_in(&dir);
    store.save(&marks()).expect("save");
    let before = fs::read(store.path()).expect("read state.json");
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o555)).expect("chmod");

    let result = store.save(&Marks::default());
    let probe = fs::write(dir.path().join("probe"), b"");
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).expect("chmod back");
    if probe.is_ok() {
        assert_eq!(result, Ok(()), "the folder was writable after all");
        return;
    }
    assert_eq!(
        result,
        Err(format!(
            "cannot save read marks to {}: Permission denied (os error 13); \
             check that the folder is writable",
            store.path().display()
        ))
    );
    assert_eq!(fs::read(store.path()).expect("read state.json"), before);
    assert_eq!(names(dir.path()), ["state.json"]);
}

#[cfg(unix)]
#[test]
fn save_through_a_symlink_replaces_its_target() {
    let dir = TempDir::new().expect("create a temporary folder");
    let real = dir.path().join("dotfiles/state.json");
    fs::create_dir(dir.path().join("dotfiles")).expect("create a folder");
    fs::write(&real, b"{\"version\": 1, \"read\": [], \"starred\": []}").expect("write");
    let store = store_in(&dir);
    std::os::unix::fs::symlink(&real, store.path()).expect("symlink");

    store.save(&marks()).expect("save");
    assert!(store.path().is_symlink(), "state.json is still a link");
    assert_eq!(store.load(), (marks(), vec![]));
    assert_eq!(names(dir.path()), ["dotfiles", "state.json"]);
    assert_eq!(names(&dir.path().join("dotfiles")), ["state.json"]);
}
