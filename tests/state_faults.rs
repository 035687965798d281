//! Saving read marks when things go wrong, through the `kanbao` binary as a
//! script runs it (`kanbao mark`): killed with SIGKILL at random moments, a
//! full disk, a file size limit, a read-only state folder. After each, the
//! state file must hold exactly the old marks or exactly the new ones, the
//! message must name the file, the reason and a fix, and no temporary file
//! may be left for good.
//!
//! Each test works in its own temporary folder: `$XDG_CACHE_HOME` (the
//! index), `$XDG_STATE_HOME` and `$KANBAO_CONFIG` point into it, and `$HOME`
//! and `$XDG_CONFIG_HOME` are removed, so the developer's own marks are
//! never touched.
//!
//! A full disk and a read-only folder are made for real where the machine
//! lets an unprivileged user and mount namespace (`unshare -Urm`) mount a
//! small tmpfs or a read-only bind mount, which stop root too; elsewhere the
//! tests say so and use what works (a read-only folder by permissions when
//! not root). A file size limit (`RLIMIT_FSIZE`) makes a write fail on any
//! Unix machine.

#![cfg(unix)]

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use kanbao::marks::{Marks, StateStore};
use kanbao_synth::{self as synth, Options};
use tempfile::TempDir;

/// An archive, an index and a state folder, all in one temporary folder.
struct Setup {
    dir: TempDir,
    /// Every article id of the archive, as `kanbao list --json` gives them.
    ids: Vec<String>,
}

impl Setup {
    /// A synthetic archive of `articles` articles; one run of `kanbao list`
    /// builds its index and gives the ids.
    fn new(articles: usize) -> Setup {
        let dir = TempDir::new().expect("create a temporary folder");
        let options = Options {
            articles,
            seed: 7,
            feeds: 2,
            ..Options::default()
        };
        synth::generate(&dir.path().join("archive"), &options).expect("generate an archive");
        let mut setup = Setup {
            dir,
            ids: Vec::new(),
        };
        let listed = setup.run(&["list", "--json"]);
        assert!(listed.status.success(), "{}", text(&listed.stderr));
        let json: serde_json::Value =
            serde_json::from_slice(&listed.stdout).expect("list --json prints JSON");
        setup.ids = json["articles"]
            .as_array()
            .expect("articles is an array")
            .iter()
            .map(|a| a["id"].as_str().expect("an id is a string").to_owned())
            .collect();
        assert_eq!(setup.ids.len(), articles);
        setup
    }

    fn state_home(&self) -> PathBuf {
        self.dir.path().join("state")
    }

    /// The folder holding `state.json`.
    fn state_dir(&self) -> PathBuf {
        self.state_home().join("kanbao")
    }

    fn state_file(&self) -> PathBuf {
        self.state_dir().join("state.json")
    }

    fn store(&self) -> StateStore {
        StateStore::at(self.state_file())
    }

    /// `kanbao ARGS…` with this setup's environment.
    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_kanbao"));
        command
            .args(args)
            .current_dir(self.dir.path())
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("HOME")
            .env(
                "KANBAO_CONFIG",
                self.dir.path().join("archive").join("config.toml"),
            )
            .env("XDG_CACHE_HOME", self.dir.path().join(".cache"))
            .env("XDG_STATE_HOME", self.state_home())
            .stdin(Stdio::null());
        command
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run the kanbao binary")
    }

    /// `kanbao mark ACTION IDS…`, which must succeed.
    fn mark(&self, action: &str, ids: &[String]) {
        let mut args = vec!["mark", action];
        args.extend(ids.iter().map(String::as_str));
        let output = self.run(&args);
        assert!(output.status.success(), "{}", text(&output.stderr));
    }

    /// The marks in `state.json`, which must load without a warning.
    fn saved(&self) -> Marks {
        let (marks, warnings) = self.store().load();
        assert_eq!(warnings, [], "state.json loads cleanly");
        marks
    }

    /// Names in the state folder other than `state.json`.
    fn others_in_state_dir(&self) -> Vec<String> {
        others(&self.state_dir())
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Names in `dir` other than `state.json`, sorted.
fn others(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("read a folder entry").file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| n != "state.json")
        .collect();
    names.sort_unstable();
    names
}

/// xorshift64*: enough randomness for kill delays, and the same delays again
/// for the same seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A duration in `[0, max]`.
    fn below(&mut self, max: Duration) -> Duration {
        let nanos = u64::try_from(max.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(self.next() % nanos.saturating_add(1))
    }
}

/// `$KANBAO_FAULT_SEED` to repeat a failed run, else one from the clock.
fn seed() -> u64 {
    if let Some(seed) = std::env::var("KANBAO_FAULT_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        return seed;
    }
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(1, |d| d.as_nanos());
    // xorshift must not start at 0.
    (nanos as u64) | 1
}

// ──────────────────────────── SIGKILL ────────────────────────────

/// Kills made while `kanbao mark` runs.
const KILLS: usize = 200;
/// Ids already in `state.json` that name no article (read on another
/// machine, or of pages since deleted): they are kept, and they make the
/// file big enough (about 1 MB) that writing and syncing it is a good part
/// of a run, so that many kills land while it is being saved.
const OTHER_IDS: usize = 60_000;
/// Articles each run marks read, or unread again.
const MARKED: usize = 500;

#[test]
fn sigkill_while_saving_leaves_the_old_or_the_new_marks() {
    let seed = seed();
    let setup = Setup::new(2_000);
    let mut old = Marks::default();
    for n in 0..OTHER_IDS {
        old.set_read(&format!("{n:012x}"), true);
        if n % 10 == 0 {
            old.set_starred(&format!("{n:012x}"), true);
        }
    }
    setup.store().save(&old).expect("save the first marks");
    let marked: Vec<String> = setup.ids[..MARKED].to_vec();
    let mut read = old.clone();
    for id in &marked {
        read.set_read(id, true);
    }
    let unread = old;

    // One whole run of each, timed: the kills fall within such a run.
    let mut longest = Duration::ZERO;
    for action in ["read", "unread", "read", "unread"] {
        let started = Instant::now();
        setup.mark(action, &marked);
        longest = longest.max(started.elapsed());
    }
    assert_eq!(setup.saved(), unread);

    let mut rng = Rng(seed);
    let (mut kept_old, mut got_new, mut left_temp) = (0, 0, 0);
    let started = Instant::now();
    let mut before = setup.saved();
    for kill in 0..KILLS {
        let (action, after) = if before == read {
            ("unread", &unread)
        } else {
            ("read", &read)
        };
        let mut args = vec!["mark", action];
        args.extend(marked.iter().map(String::as_str));
        let mut child = setup
            .command(&args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start kanbao mark");
        std::thread::sleep(rng.below(longest));
        // SIGKILL; an error only means it has already ended.
        let _ = child.kill();
        child.wait().expect("wait for kanbao");

        let (now, warnings) = setup.store().load();
        assert_eq!(
            warnings,
            [],
            "kill {kill} (seed {seed}): state.json must still load"
        );
        if now == before {
            kept_old += 1;
        } else if &now == after {
            got_new += 1;
        } else {
            panic!("kill {kill} (seed {seed}): state.json holds neither the old nor the new marks");
        }
        before = now;
        // At most the temporary file of this kill: each save removes those
        // of the saves killed before it.
        match setup.others_in_state_dir().as_slice() {
            [] => {}
            [temp] if temp.starts_with(".state.json.tmp-") => left_temp += 1,
            others => panic!("kill {kill} (seed {seed}): unexpected files {others:?}"),
        }
    }
    println!(
        "{KILLS} kills (seed {seed}, runs of up to {longest:?}, {:?} in all): {kept_old} left the \
         old marks, {got_new} the new ones; {left_temp} left a temporary file",
        started.elapsed()
    );
    assert!(
        kept_old > 0 && got_new > 0,
        "seed {seed}: kills must land both before and after the save: {kept_old} old, \
         {got_new} new"
    );

    // The next save removes what killed saves left behind.
    let action = if setup.saved() == read {
        "unread"
    } else {
        "read"
    };
    setup.mark(action, &marked);
    assert_eq!(
        setup.others_in_state_dir(),
        Vec::<String>::new(),
        "no temporary file is left after a clean run"
    );
}

// ─────────────────────── full disk, size limit ───────────────────────

/// Whether `unshare -Urm` may mount a tmpfs here (it needs unprivileged
/// user namespaces); `dir` is a scratch folder for the probe.
fn can_unshare_and_mount(dir: &Path) -> bool {
    Command::new("unshare")
        .args([
            "-Urm",
            "sh",
            "-c",
            "mount -t tmpfs -o size=64k tmpfs \"$1\"",
            "sh",
        ])
        .arg(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// What a failed `kanbao mark` left: its exit code, stderr, the state file
/// and the other names in the state folder.
#[derive(Debug)]
struct Failed {
    code: Option<i32>,
    stderr: String,
    state: Vec<u8>,
    others: Vec<String>,
}

impl Failed {
    /// A run outside a namespace, read back from the state folder.
    fn of(setup: &Setup, output: &std::process::Output) -> Failed {
        Failed {
            code: output.status.code(),
            stderr: text(&output.stderr),
            state: fs::read(setup.state_file()).expect("read state.json"),
            others: setup.others_in_state_dir(),
        }
    }
}

/// A state with the first article read, saved normally; then a mark that
/// needs a bigger file: the ids of many more articles.
fn old_and_new(setup: &Setup) -> (Vec<u8>, Vec<String>) {
    setup.mark("read", &setup.ids[..1]);
    let before = fs::read(setup.state_file()).expect("read state.json");
    (before, setup.ids[1..].to_vec())
}

/// Runs `script` inside `unshare -Urm` with `$KANBAO`, `$STATE` (the state
/// folder) and `$OUT` (a folder for results) set and `ids` as its
/// arguments, with this setup's environment. The script leaves `code`,
/// `stderr`, `state.json` and `ls` in `$OUT`.
fn in_namespace(setup: &Setup, script: &str, ids: &[String]) -> Failed {
    let out = setup.dir.path().join("out");
    fs::create_dir_all(&out).expect("create the output folder");
    let mut kanbao = setup.command(&[]);
    kanbao
        .env("KANBAO", env!("CARGO_BIN_EXE_kanbao"))
        .env("STATE", setup.state_dir())
        .env("OUT", &out);
    let status = unshare(&kanbao, script, ids).status().expect("run unshare");
    assert!(
        status.success(),
        "the script inside unshare failed: {status}"
    );
    let read = |name: &str| fs::read(out.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let listed = text(&read("ls"));
    Failed {
        code: text(&read("code")).trim().parse().ok(),
        stderr: text(&read("stderr")),
        state: read("state.json"),
        others: listed
            .lines()
            .filter(|n| !matches!(*n, "." | ".." | "state.json"))
            .map(str::to_owned)
            .collect(),
    }
}

/// `unshare -Urm sh -c SCRIPT sh ARGS…` with `base`'s folder and environment.
fn unshare(base: &Command, script: &str, args: &[String]) -> Command {
    let mut unshare = Command::new("unshare");
    unshare
        .args(["-Urm", "sh", "-c", script, "sh"])
        .args(args)
        .stdin(Stdio::null());
    if let Some(dir) = base.get_current_dir() {
        unshare.current_dir(dir);
    }
    for (key, value) in base.get_envs() {
        match value {
            Some(value) => unshare.env(key, value),
            None => unshare.env_remove(key),
        };
    }
    unshare
}

/// Asserts that a failed save said so in one line naming the state file,
/// `reason` and `fix`, exited with 1, and left the old file and nothing else.
fn assert_failed_cleanly(setup: &Setup, failed: &Failed, before: &[u8], reason: &str, fix: &str) {
    assert_eq!(failed.code, Some(1), "{failed:?}");
    let expected = format!(
        "kanbao: cannot save read marks to {}: {reason}; {fix}\n",
        setup.state_file().display()
    );
    assert_eq!(failed.stderr, expected);
    assert!(failed.state == before, "state.json changed: {failed:?}");
    assert_eq!(failed.others, Vec::<String>::new(), "{failed:?}");
}

#[test]
fn full_disk_keeps_the_old_marks_and_says_to_free_space() {
    let setup = Setup::new(300);
    fs::create_dir_all(setup.state_dir()).expect("create the state folder");
    if !can_unshare_and_mount(&setup.state_dir()) {
        println!(
            "full disk: skipped, `unshare -Urm` cannot mount a tmpfs here; \
             file_size_limit_keeps_the_old_marks makes a write fail instead"
        );
        return;
    }
    println!("full disk: a 64 KiB tmpfs in `unshare -Urm`");
    // The old marks are saved on the small file system, which is then
    // filled up: the temporary file can be made, but not written.
    let script = r#"
        mount -t tmpfs -o size=64k tmpfs "$STATE" || exit 90
        "$KANBAO" mark read "$1" >/dev/null || exit 91
        cp "$STATE/state.json" "$OUT/before.json" || exit 92
        shift
        dd if=/dev/zero of="$STATE/fill" bs=4k 2>/dev/null
        "$KANBAO" mark read "$@" >/dev/null 2>"$OUT/stderr"
        echo $? >"$OUT/code"
        rm "$STATE/fill"
        cp "$STATE/state.json" "$OUT/state.json" || exit 93
        ls -a "$STATE" >"$OUT/ls"
    "#;
    let ids: Vec<String> = setup.ids.clone();
    let failed = in_namespace(&setup, script, &ids);
    let before = fs::read(setup.dir.path().join("out/before.json")).expect("read before.json");
    let (marks, _) = StateStore::at(setup.dir.path().join("out/before.json")).load();
    assert!(marks.is_read(&ids[0]) && !marks.is_read(&ids[1]));
    assert_failed_cleanly(
        &setup,
        &failed,
        &before,
        "No space left on device (os error 28)",
        "free some disk space",
    );
}

/// A write past `RLIMIT_FSIZE` fails with EFBIG (SIGXFSZ ignored, as a
/// shell's `ulimit -f` leaves it for its children): a failed write that
/// needs no privileges and no special file system.
#[test]
fn file_size_limit_keeps_the_old_marks() {
    let setup = Setup::new(300);
    let (before, new) = old_and_new(&setup);
    let mut args = vec!["mark", "read"];
    args.extend(new.iter().map(String::as_str));
    let limit = before.len() as libc::rlim_t + 64;
    let mut command = setup.command(&args);
    // SAFETY: between fork and exec the closure calls only setrlimit and
    // signal, which are async-signal-safe, and allocates nothing.
    unsafe {
        use std::os::unix::process::CommandExt;
        command.pre_exec(move || {
            let rlimit = libc::rlimit {
                rlim_cur: limit,
                rlim_max: limit,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &rlimit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            Ok(())
        });
    }
    let output = command.output().expect("run kanbao mark");
    let failed = Failed::of(&setup, &output);
    assert_failed_cleanly(
        &setup,
        &failed,
        &before,
        "File too large (os error 27)",
        "the file is larger than this process may write; raise the file size limit (ulimit -f)",
    );
}

// ─────────────────────────── read-only folder ───────────────────────────

#[test]
fn read_only_state_folder_keeps_the_old_marks() {
    let setup = Setup::new(300);
    let (before, new) = old_and_new(&setup);
    let probe = setup.dir.path().join("probe");
    fs::create_dir_all(&probe).expect("create a probe folder");
    if can_unshare_and_mount(&probe) {
        println!("read-only folder: a read-only bind mount in `unshare -Urm`");
        let script = r#"
            mount --bind "$STATE" "$STATE" || exit 90
            mount -o remount,ro,bind "$STATE" "$STATE" || exit 91
            "$KANBAO" mark read "$@" >/dev/null 2>"$OUT/stderr"
            echo $? >"$OUT/code"
            cp "$STATE/state.json" "$OUT/state.json" || exit 93
            ls -a "$STATE" >"$OUT/ls"
        "#;
        let failed = in_namespace(&setup, script, &new);
        assert_failed_cleanly(
            &setup,
            &failed,
            &before,
            "Read-only file system (os error 30)",
            "the folder is on a read-only file system; set $XDG_STATE_HOME to a writable folder",
        );
    } else if is_root() {
        println!(
            "read-only folder: skipped, root is not stopped by permissions and `unshare -Urm` \
             cannot mount here"
        );
    } else {
        println!("read-only folder: permissions 555");
        use std::os::unix::fs::PermissionsExt;
        let dir = setup.state_dir();
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o555)).expect("chmod 555");
        let mut args = vec!["mark", "read"];
        args.extend(new.iter().map(String::as_str));
        let output = setup.run(&args);
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).expect("chmod back");
        let failed = Failed::of(&setup, &output);
        assert_failed_cleanly(
            &setup,
            &failed,
            &before,
            "Permission denied (os error 13)",
            "check that the folder is writable",
        );
    }
    let read: BTreeSet<&str> = setup.ids[..1].iter().map(String::as_str).collect();
    let saved = setup.saved();
    assert!(
        setup
            .ids
            .iter()
            .all(|id| saved.is_read(id) == read.contains(id.as_str()))
    );
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}
