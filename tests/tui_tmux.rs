//! The reader in a real terminal: the release binary runs in tmux, keys are
//! sent with `send-keys`, and what a person would see is read back with
//! `capture-pane`.
//!
//! Each test has its own tmux server (`-L` with a name of its own, its
//! socket in the test's temporary folder), so the tests run in parallel and
//! never touch the user's tmux; a guard kills that server when the test
//! ends, even when an assertion fails. HOME and the XDG folders point into
//! the temporary folder, so read marks never reach the user's state.
//!
//! The pane runs a small shell script: kanbao (whose pid goes to a file),
//! then `EXIT=<status>`, then the terminal's modes as `stty -a` reports
//! them, then `cat`, which keeps the pane open and shows whether the
//! terminal echoes again. Nothing waits a fixed time: every step polls the
//! pane until what it expects is there, or fails after [`DEADLINE`] with
//! the last screen.
//!
//! Without tmux the tests are skipped, with a note on stderr; under `CI`
//! they fail instead, since `.ci/run` installs tmux.

#![cfg(unix)]

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use kanbao::typeset::str_width;

mod common;

use common::server::{Response, Server};
use common::ttrss;

const BIN: &str = env!("CARGO_BIN_EXE_kanbao");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// How long a step may take before the test fails.
const DEADLINE: Duration = Duration::from_secs(10);
/// How often the pane is captured while waiting.
const POLL: Duration = Duration::from_millis(20);

/// The tmux session every test uses, on its own server.
const SESSION: &str = "kanbao";

/// Characters a line must not start with (README, "Typesetting").
const CLOSING: &str = "。，、；：？！）」』》】〕〉”’…‥·—～,.;:?!)]}%";

/// The sample archive's three articles, in page order.
const ARTICLE_1: &str = "奋力建设区域创新高地";
const ARTICLE_2: &str = "学用结合 推进科技工作上新台阶";
const ARTICLE_3: &str = "巾帼竞芬芳 灿烂耀春晖";

/// Runs in the pane: kanbao with the arguments given, then its exit
/// status, the terminal's modes, and `cat` to keep the pane open. The inner
/// `sh` writes its pid and `exec`s kanbao, so the pid is kanbao's while
/// kanbao stays in the foreground on the terminal.
const SCRIPT: &str = r#"pidfile=$1; shift
sh -c 'echo $$ > "$0"; exec "$@"' "$pidfile" "$@"
echo "EXIT=$?"
echo "TTY=$(stty -a | tr ' ;' '\n\n' | grep -Ex -- '-?(isig|icanon|echo|icrnl|opost)' | tr '\n' ' ')"
exec cat
"#;

/// What the pane shows: one string per row, trailing spaces trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Screen {
    rows: Vec<String>,
}

impl Screen {
    fn contains(&self, text: &str) -> bool {
        self.rows.iter().any(|r| r.contains(text))
    }

    /// The first row: the reader pane's header when it is open.
    fn header(&self) -> &str {
        self.rows.first().map_or("", String::as_str)
    }

    /// The reader's scroll position, from the end of its header: `Some(n)`
    /// for `n%`, `Some(100)` for `全文` (the whole text fits).
    fn percent(&self) -> Option<u32> {
        let last = self.header().split_whitespace().last()?;
        if last == "全文" {
            return Some(100);
        }
        last.strip_suffix('%')?.parse().ok()
    }

    /// The reader's text rows (between its header and the status line),
    /// without the list pane on their left and the margin column.
    fn reader_text(&self) -> Vec<&str> {
        let end = self.rows.len().saturating_sub(1);
        self.rows
            .get(1..end)
            .unwrap_or_default()
            .iter()
            .map(|row| {
                let text = row.rsplit_once('│').map_or(row.as_str(), |(_, r)| r);
                text.strip_prefix(' ').unwrap_or(text)
            })
            .collect()
    }

    /// The number after `EXIT=`, once the pane's script printed it.
    fn exit_status(&self) -> Option<i32> {
        self.rows
            .iter()
            .find_map(|r| r.trim().strip_prefix("EXIT="))
            .and_then(|s| s.parse().ok())
    }

    /// The terminal modes printed after kanbao exited, e.g. `["icrnl",
    /// "opost", "isig", "icanon", "echo"]`.
    fn tty_modes(&self) -> Option<Vec<&str>> {
        self.rows
            .iter()
            .find_map(|r| r.trim().strip_prefix("TTY="))
            .map(|s| s.split_whitespace().collect())
    }
}

impl std::fmt::Display for Screen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, row) in self.rows.iter().enumerate() {
            writeln!(f, "{i:>3}|{row}")?;
        }
        Ok(())
    }
}

/// A tmux server of one test, running kanbao in a pane; killed on drop.
struct Tmux {
    socket: String,
    pidfile: PathBuf,
    /// HOME, XDG folders and the tmux socket; removed after the server.
    home: tempfile::TempDir,
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

impl Tmux {
    /// Starts kanbao on the bundled config in a `width`×`height` pane, or
    /// returns `None` when tmux is missing outside CI.
    fn start(test: &str, width: u16, height: u16) -> Option<Tmux> {
        Tmux::start_with(test, width, height, &Path::new(ROOT).join("config.toml"))
    }

    /// Starts kanbao on `config` in a `width`×`height` pane.
    fn start_with(test: &str, width: u16, height: u16, config: &Path) -> Option<Tmux> {
        if !tmux_usable() {
            return None;
        }
        let home = tempfile::tempdir().expect("a temporary folder");
        let conf = format!(
            "set -g default-terminal {}\nset -g status off\nset -g set-clipboard on\n",
            pane_term()
        );
        std::fs::write(home.path().join("tmux.conf"), conf).expect("tmux.conf written");
        let tmux = Tmux {
            socket: format!("kanbao-e2e-{}-{test}", std::process::id()),
            pidfile: home.path().join("kanbao.pid"),
            home,
        };
        let (w, h) = (width.to_string(), height.to_string());
        let mut new_session: Vec<String> = ["new-session", "-d", "-s", SESSION, "-x", &w, "-y", &h]
            .map(str::to_owned)
            .to_vec();
        new_session.extend(tmux.pane_command(config));
        let new_session: Vec<&str> = new_session.iter().map(String::as_str).collect();
        tmux.ok(&new_session);
        // Some tmux versions size a detached session's first window from
        // elsewhere; resizing sets the window's size (and makes its
        // `window-size` manual, which `set -g window-size manual` before
        // the first window would do too, but that crashes tmux 3.3–3.5
        // without a client).
        tmux.resize(width, height);
        Some(tmux)
    }

    /// What the pane runs: kanbao on `config`, from the repository.
    fn pane_command(&self, config: &Path) -> Vec<String> {
        let pidfile = self.pidfile.to_string_lossy().into_owned();
        let config = config.to_string_lossy().into_owned();
        // A command given as several arguments runs without a shell of
        // tmux's choosing, so the user's $SHELL does not matter.
        [
            "-c",
            ROOT,
            "sh",
            "-c",
            SCRIPT,
            "kanbao-e2e",
            &pidfile,
            BIN,
            "--config",
            &config,
        ]
        .map(str::to_owned)
        .to_vec()
    }

    /// Starts kanbao again in the same pane, with the same home and state,
    /// after it exited.
    fn restart(&self, config: &Path) {
        let _ = std::fs::remove_file(&self.pidfile);
        let mut respawn: Vec<String> = ["respawn-pane", "-k", "-t", SESSION]
            .map(str::to_owned)
            .to_vec();
        respawn.extend(self.pane_command(config));
        let respawn: Vec<&str> = respawn.iter().map(String::as_str).collect();
        self.ok(&respawn);
    }

    /// A tmux command on this test's server, in this test's environment.
    fn tmux(&self, args: &[&str]) -> Output {
        let mut command = Command::new("tmux");
        let conf = self.home.path().join("tmux.conf");
        command
            .arg("-u")
            .arg("-f")
            .arg(conf)
            .args(["-L", &self.socket]);
        command.args(args);
        isolate(&mut command, self.home.path());
        command
            .output()
            .unwrap_or_else(|e| panic!("cannot run tmux {args:?}: {e}"))
    }

    /// A tmux command that must succeed; its standard output.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.tmux(args);
        assert!(
            out.status.success(),
            "tmux {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("tmux prints UTF-8")
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", SESSION];
        args.extend(keys);
        self.ok(&args);
    }

    /// Types `text` literally (no key names).
    fn type_text(&self, text: &str) {
        self.ok(&["send-keys", "-t", SESSION, "-l", text]);
    }

    fn resize(&self, width: u16, height: u16) {
        let (w, h) = (width.to_string(), height.to_string());
        self.ok(&["resize-window", "-t", SESSION, "-x", &w, "-y", &h]);
    }

    fn capture(&self) -> Screen {
        let text = self.ok(&["capture-pane", "-p", "-t", SESSION]);
        Screen {
            rows: text.lines().map(str::to_owned).collect(),
        }
    }

    /// The pane's normal screen and its history: where a panic message
    /// would land.
    fn history(&self) -> String {
        self.ok(&["capture-pane", "-p", "-S", "-", "-t", SESSION])
    }

    /// A tmux format for the pane, e.g. `#{alternate_on}`.
    fn format(&self, format: &str) -> String {
        self.ok(&["display-message", "-p", "-t", SESSION, format])
            .trim()
            .to_owned()
    }

    /// Captures the pane until `ready` holds; panics after [`DEADLINE`]
    /// with the last screen.
    fn wait_for(&self, what: &str, ready: impl Fn(&Screen) -> bool) -> Screen {
        let start = Instant::now();
        loop {
            let screen = self.capture();
            if ready(&screen) {
                return screen;
            }
            if start.elapsed() > DEADLINE {
                panic!(
                    "waited {:?} for {what}; the pane shows ({}):\n{screen}",
                    start.elapsed(),
                    self.format("#{window_width}×#{window_height}")
                );
            }
            std::thread::sleep(POLL);
        }
    }

    /// The screen once it stopped changing (the same for 300 ms).
    fn settled(&self) -> Screen {
        let start = Instant::now();
        let mut last = self.capture();
        loop {
            std::thread::sleep(Duration::from_millis(300));
            let now = self.capture();
            if now == last {
                return now;
            }
            assert!(
                start.elapsed() < DEADLINE,
                "the screen never settled:\n{now}"
            );
            last = now;
        }
    }

    /// Waits for the sample archive's headlines: kanbao is up, in raw mode,
    /// and Chinese passes through tmux.
    fn wait_for_headlines(&self) -> Screen {
        self.wait_for("the three headlines (in Chinese)", |s| {
            [ARTICLE_1, ARTICLE_2, ARTICLE_3]
                .iter()
                .all(|t| s.contains(t))
        })
    }

    /// kanbao's pid, as the pane's script wrote it.
    fn pid(&self) -> String {
        let start = Instant::now();
        loop {
            let text = std::fs::read_to_string(&self.pidfile).unwrap_or_default();
            if text.ends_with('\n') && text.trim().parse::<u32>().is_ok() {
                return text.trim().to_owned();
            }
            assert!(start.elapsed() < DEADLINE, "kanbao's pid never came");
            std::thread::sleep(POLL);
        }
    }

    /// Whether kanbao is still running.
    fn alive(&self) -> bool {
        shell_kill("-0", &self.pid())
    }

    fn signal(&self, signal: &str) {
        let pid = self.pid();
        assert!(shell_kill(signal, &pid), "kill {signal} {pid} failed");
    }

    /// Waits for kanbao to exit; its exit status and the screen after.
    fn wait_for_exit(&self) -> (i32, Screen) {
        let screen = self.wait_for("kanbao to exit (EXIT=…)", |s| {
            s.exit_status().is_some() && s.tty_modes().is_some()
        });
        (screen.exit_status().unwrap_or(-1), screen)
    }

    /// Runs `kanbao ARGS` outside tmux with the same environment.
    fn kanbao(&self, args: &[&str]) -> Output {
        let mut command = Command::new(BIN);
        command
            .arg("--config")
            .arg(Path::new(ROOT).join("config.toml"))
            .args(args)
            .current_dir(ROOT);
        isolate(&mut command, self.home.path());
        command.output().expect("kanbao runs")
    }

    fn state_home(&self) -> PathBuf {
        self.home.path().join("state")
    }
}

/// The environment of everything a test runs: a temporary HOME and XDG
/// folders, a UTF-8 locale, the tmux socket inside the temporary folder,
/// and nothing that could point kanbao or tmux elsewhere.
fn isolate(command: &mut Command, home: &Path) {
    command
        .env("HOME", home)
        .env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("TMUX_TMPDIR", home)
        .env("LANG", "C.UTF-8")
        .env("LC_ALL", "C.UTF-8")
        .env("TERM", "xterm-256color")
        .env("SHELL", "/bin/sh")
        .env_remove("KANBAO_CONFIG")
        .env_remove("TMUX")
        .env_remove("TMUX_PANE");
}

/// TERM inside the pane: tmux's own when its terminfo entry exists.
fn pane_term() -> String {
    let has = |name: &str| {
        Command::new("infocmp")
            .arg(name)
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if has("tmux-256color") {
        "tmux-256color".to_owned()
    } else {
        "screen".to_owned()
    }
}

/// `kill SIGNAL PID` with the shell's builtin (no procps needed).
fn shell_kill(signal: &str, pid: &str) -> bool {
    Command::new("sh")
        .args(["-c", "kill \"$1\" \"$2\" 2>/dev/null", "sh", signal, pid])
        .status()
        .is_ok_and(|s| s.success())
}

/// Whether tmux (3.0 or later) is installed. Without it the test is skipped
/// with a note, unless `CI` is set: then it fails.
fn tmux_usable() -> bool {
    let version = Command::new("tmux")
        .arg("-V")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
    let problem = match &version {
        None => "tmux is not installed".to_owned(),
        Some(v) if !recent(v) => format!("{v} is older than tmux 3.0"),
        Some(_) => return true,
    };
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
    assert!(
        !ci,
        "{problem}; CI is set, and the terminal end-to-end tests must run there (.ci/run installs tmux)"
    );
    // Straight to stderr, past the test harness's capture, so the skip is
    // seen.
    let _ = writeln!(
        std::io::stderr(),
        "tui_tmux: skipped: {problem}; install tmux 3.0 or later to run the terminal tests"
    );
    false
}

/// `tmux 3.3a`, `tmux next-3.4`, `tmux master` … : 3.0 or later? Unknown
/// forms count as recent.
fn recent(version: &str) -> bool {
    let number = version
        .trim_start_matches("tmux ")
        .trim_start_matches("next-");
    let major: String = number.chars().take_while(char::is_ascii_digit).collect();
    major.parse::<u32>().map_or(true, |m| m >= 3)
}

/// What every screen of kanbao must satisfy at `width` columns: no row
/// wider than the window, no panic message.
fn assert_sane(screen: &Screen, width: u16) {
    for (i, row) in screen.rows.iter().enumerate() {
        assert!(
            str_width(row, 1) <= usize::from(width),
            "row {i} is {} columns wide in a window of {width}:\n{screen}",
            str_width(row, 1)
        );
    }
    assert!(
        !screen.contains("panicked"),
        "a panic message is on screen:\n{screen}"
    );
}

/// No line of the reader's text starts with closing punctuation.
fn assert_no_closing_punctuation_first(screen: &Screen) {
    for line in screen.reader_text() {
        if let Some(first) = line.chars().next() {
            assert!(
                !CLOSING.contains(first),
                "a line starts with {first:?}: {line:?}\n{screen}"
            );
        }
    }
}

/// After kanbao exited: the normal screen is back, with the cursor, no
/// mouse reporting, and a terminal in its usual (cooked, echoing) modes.
fn assert_terminal_restored(tmux: &Tmux, screen: &Screen) {
    assert_eq!(
        tmux.format("#{alternate_on}"),
        "0",
        "still on the alternate screen:\n{screen}"
    );
    assert_eq!(
        tmux.format("#{mouse_any_flag}"),
        "0",
        "mouse reporting is still on"
    );
    assert_eq!(
        tmux.format("#{cursor_flag}"),
        "1",
        "the cursor is still hidden"
    );
    let modes = screen.tty_modes().unwrap_or_default();
    for mode in ["isig", "icanon", "echo", "icrnl", "opost"] {
        assert!(
            modes.contains(&mode),
            "the terminal is not back in cooked mode: `{mode}` missing from {modes:?}\n{screen}"
        );
    }
    // What is typed now is echoed by the terminal (and then by cat).
    tmux.type_text("typed-after-kanbao");
    tmux.wait_for("typed text echoed by the terminal", |s| {
        s.contains("typed-after-kanbao")
    });
}

/// The issue's walk through the reader: read article 1, see article 3's
/// photo captions, resize down to 1×1 and back, quit; then the marks on
/// disk say which articles were read.
#[test]
fn read_resize_and_quit_in_a_real_terminal() {
    let Some(tmux) = Tmux::start("read", 80, 24) else {
        return;
    };
    let screen = tmux.wait_for_headlines();
    assert_sane(&screen, 80);

    // Article 1: paragraphs indented by two ideographic spaces, the stored
    // half-width `(` and `,` shown full-width.
    tmux.keys(&["Enter"]);
    let mut screen = tmux.wait_for("article 1 in the reader", |s| {
        s.contains("本报讯") && s.percent().is_some()
    });
    let text = screen.reader_text();
    assert!(
        text.iter().any(|l| l.starts_with("　　本报讯（记者")),
        "no `　　本报讯（记者` line:\n{screen}"
    );
    assert!(
        text.iter().any(|l| l.contains('，')),
        "no full-width comma:\n{screen}"
    );
    assert!(
        !text.iter().any(|l| l.contains("本报讯(")),
        "half-width parenthesis shown:\n{screen}"
    );
    // Page through the whole article, checking every screen.
    for _ in 0..50 {
        assert_sane(&screen, 80);
        assert_no_closing_punctuation_first(&screen);
        if screen.percent() == Some(100) {
            break;
        }
        tmux.keys(&["Space"]);
        let before = screen.clone();
        screen = tmux.wait_for("the next page of article 1", |s| *s != before);
    }
    assert_eq!(
        screen.percent(),
        Some(100),
        "never reached the end:\n{screen}"
    );

    // Article 3, from the list; its photo captions at the bottom.
    tmux.keys(&["q"]);
    tmux.wait_for("the list again", |s| s.contains("版面 Sections"));
    tmux.keys(&["j", "j", "Enter"]);
    tmux.wait_for("article 3 in the reader", |s| {
        s.reader_text().iter().any(|l| l.starts_with(ARTICLE_3))
    });
    tmux.keys(&["G"]);
    let screen = tmux.wait_for("article 3's last caption", |s| {
        s.percent() == Some(100) && s.contains("图6 茶杯气球接力赛。")
    });
    assert_sane(&screen, 80);
    assert_no_closing_punctuation_first(&screen);
    let text = screen.reader_text();
    let captions = [
        "图片说明",
        "图1 投球。 ⑥2",
        "图2 插花。 ⑥2",
        "图3 摸石头过河。 ⑥2",
        "图4 车轮滚滚。 ⑥2",
        "图5 拔河。 ⑥2",
        "图6 茶杯气球接力赛。 ⑥2",
    ];
    for caption in captions {
        assert!(
            text.contains(&caption),
            "no line `{caption}` in the reader:\n{screen}"
        );
    }

    // Smaller and smaller windows, then back: kanbao redraws each (its
    // header, as wide as the window, ends with the scroll position), never
    // draws past the edge, and stays alive.
    for (width, height) in [(41, 15), (20, 6)] {
        tmux.resize(width, height);
        let screen = tmux.wait_for(&format!("the reader redrawn at {width}×{height}"), |s| {
            s.rows.len() == usize::from(height)
                && s.header().starts_with(" 阅读")
                && str_width(s.header(), 1) == usize::from(width)
                && s.percent().is_some()
        });
        assert_sane(&screen, width);
        assert_no_closing_punctuation_first(&screen);
        assert!(tmux.alive(), "kanbao died at {width}×{height}:\n{screen}");
    }
    tmux.resize(1, 1);
    // The cell showed a space at 20×6; kanbao's too-small notice fills it.
    tmux.wait_for("anything drawn at 1×1", |s| !s.header().trim().is_empty());
    assert!(tmux.alive(), "kanbao died at 1×1");
    tmux.resize(80, 24);
    let screen = tmux.wait_for("the reader redrawn at 80×24", |s| {
        s.rows.len() == 24 && str_width(s.header(), 1) == 80 && s.percent().is_some()
    });
    assert_sane(&screen, 80);
    assert_no_closing_punctuation_first(&screen);
    assert!(
        screen.contains("图片说明"),
        "the captions are gone after the resizes:\n{screen}"
    );
    assert!(tmux.alive(), "kanbao died back at 80×24");

    // The issue wants article 1 read and the others unread in the end, but
    // the reader marks what it opens: article 3 was opened to see its
    // captions, so it is marked unread again here, with `r`.
    tmux.keys(&["r"]);
    tmux.wait_for("`marked unread` on the status line", |s| {
        s.contains("marked unread")
    });

    // `q` goes back to the list, `q` again quits.
    tmux.keys(&["q"]);
    tmux.wait_for("the list again", |s| s.contains("版面 Sections"));
    tmux.keys(&["q"]);
    let (status, screen) = tmux.wait_for_exit();
    assert_eq!(status, 0, "kanbao's exit status:\n{screen}");
    assert_terminal_restored(&tmux, &screen);
    let history = tmux.history();
    assert!(
        !history.contains("panicked"),
        "a panic message in the pane's history:\n{history}"
    );

    // The marks were saved under XDG_STATE_HOME, and `list --json` sees
    // them.
    let state = tmux.state_home().join("kanbao").join("state.json");
    assert!(state.is_file(), "no {}", state.display());
    let out = tmux.kanbao(&["list", "--json"]);
    assert!(
        out.status.success(),
        "kanbao list --json: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("list --json is JSON");
    let articles = json["articles"].as_array().expect("an articles array");
    let read: HashMap<&str, bool> = articles
        .iter()
        .map(|a| {
            (
                a["title"].as_str().unwrap_or_default(),
                a["read"].as_bool().expect("`read` is a boolean"),
            )
        })
        .collect();
    assert_eq!(
        read,
        HashMap::from([(ARTICLE_1, true), (ARTICLE_2, false), (ARTICLE_3, false)]),
    );
    // The screen showed `（` and `，`; the stored text keeps its own (`list`
    // gives no text: `show --json` does).
    let id = articles[0]["id"].as_str().expect("an id");
    let out = tmux.kanbao(&["show", id, "--json"]);
    assert!(
        out.status.success(),
        "kanbao show --json: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let shown: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("show --json is JSON");
    assert_eq!(shown["articles"][0]["title"], ARTICLE_1);
    assert_eq!(shown["articles"][0]["read"], true);
    let first = shown["articles"][0]["paragraphs"][0]
        .as_str()
        .unwrap_or_default();
    assert!(first.starts_with("本报讯(记者"), "{first}");
}

/// SIGTERM or SIGHUP: kanbao leaves the alternate screen and raw mode, and
/// exits with 128 + the signal's number.
fn signal_restores_the_terminal(test: &str, signal: &str, status: i32) {
    let Some(tmux) = Tmux::start(test, 80, 24) else {
        return;
    };
    tmux.wait_for_headlines();
    assert_eq!(
        tmux.format("#{alternate_on}"),
        "1",
        "kanbao is not on the alternate screen"
    );
    assert_eq!(
        tmux.format("#{mouse_any_flag}"),
        "1",
        "kanbao does not capture the mouse"
    );
    tmux.signal(signal);
    let (got, screen) = tmux.wait_for_exit();
    assert_eq!(got, status, "exit status after {signal}:\n{screen}");
    assert_terminal_restored(&tmux, &screen);
}

#[test]
fn sigterm_restores_the_terminal() {
    signal_restores_the_terminal("sigterm", "-TERM", 143);
}

#[test]
fn sighup_restores_the_terminal() {
    signal_restores_the_terminal("sighup", "-HUP", 129);
}

#[test]
fn ctrl_c_quits_from_the_help_overlay() {
    let Some(tmux) = Tmux::start("help", 80, 24) else {
        return;
    };
    tmux.wait_for_headlines();
    tmux.keys(&["?"]);
    tmux.wait_for("the help overlay", |s| s.contains("按键 Keys"));
    tmux.keys(&["C-c"]);
    let (status, screen) = tmux.wait_for_exit();
    assert_eq!(status, 0, "exit status after Ctrl-C in the help:\n{screen}");
    assert_terminal_restored(&tmux, &screen);
}

#[test]
fn ctrl_c_quits_from_the_filter_prompt() {
    let Some(tmux) = Tmux::start("filter", 80, 24) else {
        return;
    };
    tmux.wait_for_headlines();
    tmux.keys(&["/"]);
    tmux.type_text("巾帼");
    tmux.wait_for("the filter being typed, one article left", |s| {
        s.rows.last().is_some_and(|r| r.contains("/巾帼")) && s.contains("1 篇")
    });
    tmux.keys(&["C-c"]);
    let (status, screen) = tmux.wait_for_exit();
    assert_eq!(
        status, 0,
        "exit status after Ctrl-C in the filter:\n{screen}"
    );
    assert_terminal_restored(&tmux, &screen);
}

/// Text that must never reach the screen from the hostile archive: the
/// payloads of its escape sequences and the sequences' own characters.
const ESCAPE_TEXT: &[&str] = &[
    "PWNED",
    "52;c",
    "cm0gLXJm",
    "osc8.evil",
    "[2J",
    "1049",
    "[31m",
    "[0m",
    "1$r",
    "\u{1b}",
    "\u{7}",
    "\u{9b}",
    "\u{9c}",
    "\u{9d}",
    "\u{202e}",
];

/// How long a key may take, from `send-keys` to the screen showing its
/// answer.
const ANSWER: Duration = Duration::from_millis(200);

/// The slowest answer [`Tmux::answered`] saw, in microseconds.
static SLOWEST: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Tests that time keys take this lock, so that they do not measure each
/// other's load (the first-index test keeps both cores busy).
static TIMING: std::sync::Mutex<()> = std::sync::Mutex::new(());

impl Tmux {
    /// Sends `key` and waits until the screen changed from `before` and
    /// `ready` holds; fails if that takes longer than [`ANSWER`].
    fn answered(
        &self,
        key: &str,
        before: &Screen,
        what: &str,
        ready: impl Fn(&Screen) -> bool,
    ) -> Screen {
        let asked = Instant::now();
        self.keys(&[key]);
        loop {
            let screen = self.capture();
            let took = asked.elapsed();
            if screen != *before && ready(&screen) {
                SLOWEST.fetch_max(
                    took.as_micros() as u64,
                    std::sync::atomic::Ordering::Relaxed,
                );
                assert!(
                    took <= ANSWER,
                    "{key} took {took:?} to show {what} (at most {ANSWER:?}):\n{screen}"
                );
                return screen;
            }
            assert!(
                took <= ANSWER,
                "{key} did not show {what} within {ANSWER:?}; the pane shows:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(2));
        }
    }
}

/// What every screen of the hostile archive must satisfy: no escape text,
/// no overlong row, the reader's frame (header and status line) intact,
/// and the pane's title, clipboard and alternate screen untouched.
fn assert_not_taken_over(tmux: &Tmux, screen: &Screen, width: u16, title: &str) {
    assert_sane(screen, width);
    for text in ESCAPE_TEXT {
        assert!(
            !screen.contains(text),
            "{text:?} reached the screen:\n{screen}"
        );
    }
    let status = screen.rows.last().map_or("", String::as_str);
    assert!(
        !status.trim().is_empty(),
        "the status line is gone:\n{screen}"
    );
    assert!(!screen.header().trim().is_empty(), "no header:\n{screen}");
    assert_eq!(tmux.format("#{pane_title}"), title, "the title changed");
    assert_eq!(
        tmux.format("#{alternate_on}"),
        "1",
        "the alternate screen was left:\n{screen}"
    );
    assert_eq!(
        tmux.ok(&["list-buffers"]),
        "",
        "the clipboard (a tmux buffer) was written"
    );
}

/// The hostile archive (tests/fixtures/hostile) at one size: fetch its
/// feed with `R`, open every article, go to its end and back; every key
/// is answered within [`ANSWER`] and no screen is taken over. Returns the
/// headers of the articles opened.
fn read_the_hostile_archive(width: u16, height: u16, fetch_in_reader: bool) -> Option<Vec<String>> {
    let archive = tempfile::tempdir().expect("a temporary folder");
    let fixture = Path::new(ROOT).join("tests/fixtures/hostile");
    for name in ["config.toml", "feed.json"] {
        std::fs::copy(fixture.join(name), archive.path().join(name)).expect("copy the fixture");
    }
    copy_tree(&fixture.join("daily"), &archive.path().join("daily"));
    if !fetch_in_reader {
        let home = tempfile::tempdir().expect("a temporary folder");
        let mut fetch = Command::new(BIN);
        fetch
            .arg("--config")
            .arg(archive.path().join("config.toml"))
            .arg("fetch");
        isolate(&mut fetch, home.path());
        let out = fetch.output().expect("kanbao fetch runs");
        assert!(out.status.success(), "{out:?}");
    }
    let test = format!("hostile-{width}x{height}");
    let tmux = Tmux::start_with(&test, width, height, &archive.path().join("config.toml"))?;
    let _timing = TIMING.lock().unwrap_or_else(|e| e.into_inner());

    // The check can fail: a plain shell in another window takes the title
    // and writes the clipboard with the same sequences.
    tmux.ok(&[
        "new-window",
        "-d",
        "-n",
        "probe",
        "sh",
        "-c",
        r"printf '\033]2;probe-title\007\033]52;c;cHJvYmU=\007'; exec cat",
    ]);
    let probe_title = || tmux.ok(&["display-message", "-p", "-t", "probe", "#{pane_title}"]);
    let wait = Instant::now();
    while probe_title().trim() != "probe-title" && wait.elapsed() < DEADLINE {
        std::thread::sleep(POLL);
    }
    assert_eq!(probe_title().trim(), "probe-title", "tmux takes titles");
    let wait = Instant::now();
    while tmux.ok(&["list-buffers"]).is_empty() && wait.elapsed() < DEADLINE {
        std::thread::sleep(POLL);
    }
    assert!(
        !tmux.ok(&["list-buffers"]).is_empty(),
        "tmux takes the clipboard"
    );
    tmux.ok(&["kill-window", "-t", "probe"]);
    tmux.ok(&["delete-buffer"]);

    let title = tmux.format("#{pane_title}");
    let screen = tmux.wait_for("the pages listed and indexed", |s| {
        s.contains("恶意日报") && s.contains("长文") && !s.contains("indexing")
    });
    assert_not_taken_over(&tmux, &screen, width, &title);
    let mut screen = screen;
    if fetch_in_reader {
        // The feed's items come in with a fetch.
        screen = tmux.answered("R", &screen, "the fetch starting", |_| true);
        assert_not_taken_over(&tmux, &screen, width, &title);
        screen = tmux.wait_for("the feed's items listed", |s| {
            s.contains("恶意订阅") && s.contains("fetched 1 feed: 2 new")
        });
        assert_not_taken_over(&tmux, &screen, width, &title);
    }

    // Focus shows only in colours, which a capture does not keep.
    tmux.keys(&["Tab"]);
    screen = tmux.answered("Enter", &screen, "the first article", |s| {
        s.header().contains("阅读")
    });
    let mut headers = Vec::new();
    loop {
        // A long text is typeset on a worker; the head shows meanwhile.
        assert_not_taken_over(&tmux, &screen, width, &title);
        screen = tmux.wait_for("the article typeset", |s| s.percent().is_some());
        assert_not_taken_over(&tmux, &screen, width, &title);
        headers.push(screen.reader_text().first().map_or("", |t| t).to_owned());
        if screen.percent() != Some(100) {
            screen = tmux.answered("G", &screen, "the article's end", |s| {
                s.percent() == Some(100)
            });
            assert_not_taken_over(&tmux, &screen, width, &title);
            screen = tmux.answered("g", &screen, "the article's start", |s| {
                s.percent() == Some(0)
            });
            assert_not_taken_over(&tmux, &screen, width, &title);
            screen = tmux.answered("Space", &screen, "the next page", |s| s.percent().is_some());
            assert_not_taken_over(&tmux, &screen, width, &title);
        }
        let next = tmux.answered("n", &screen, "the next article", |s| {
            s.rows.last().is_some_and(|r| r.contains("last article")) || s.header().contains("阅读")
        });
        if next.rows.last().is_some_and(|r| r.contains("last article")) {
            assert_not_taken_over(&tmux, &next, width, &title);
            break;
        }
        screen = next;
    }
    // A search through the 10 MB paragraph.
    // Back to the list (wide enough, the reader pane stays as a preview).
    screen = tmux.answered("q", &screen, "the list", |s| !s.header().contains("阅读"));
    screen = tmux.answered("/", &screen, "the search prompt", |_| true);
    // Not a key name: tmux types it as text.
    let screen = tmux.answered("长段落", &screen, "the search's hit", |s| {
        s.contains("/长段落") && s.contains("1 篇")
    });
    assert_not_taken_over(&tmux, &screen, width, &title);
    tmux.keys(&["C-c"]);
    let (status, screen) = tmux.wait_for_exit();
    assert_eq!(status, 0, "{screen}");
    assert_eq!(tmux.format("#{pane_title}"), title);
    Some(headers)
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create a folder");
    for entry in std::fs::read_dir(from).expect("read a folder") {
        let entry = entry.expect("a folder entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a file type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy a file");
        }
    }
}

#[test]
fn hostile_archive_cannot_take_over_the_terminal() {
    for (width, height, fetch_in_reader) in [(80, 24, true), (41, 15, false), (120, 40, false)] {
        let Some(headers) = read_the_hostile_archive(width, height, fetch_in_reader) else {
            return;
        };
        assert_eq!(headers.len(), 6, "every article opened: {headers:?}");
        let slowest = SLOWEST.swap(0, std::sync::atomic::Ordering::Relaxed);
        eprintln!(
            "hostile {width}×{height}: slowest key {:.1} ms",
            slowest as f64 / 1000.0
        );
    }
}

/// A small Chinese RSS feed for the fetch test.
const FEED: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>测试快讯</title><link>http://127.0.0.1/</link>
<item><title>城市书房年内再建二十家</title><link>http://127.0.0.1/news/1.html</link>
<pubDate>Thu, 09 Mar 2023 10:00:00 +0800</pubDate><category>快讯</category>
<description><![CDATA[<p>市文化广电和旅游局透露，今年全市将再建成二十家城市书房，打造十五分钟阅读圈。</p>]]></description></item>
<item><title>全国秋粮收获过半</title><link>http://127.0.0.1/news/2.html</link>
<pubDate>Wed, 08 Mar 2023 10:00:00 +0800</pubDate><category>快讯</category>
<description>据农业农村部最新农情调度，全国秋粮已收获过半。</description></item>
</channel></rss>"#;

#[test]
fn shift_r_fetches_in_the_background_while_the_reader_keeps_working() {
    let server = Server::start();
    // Slow enough that the fetch is still running while we read.
    server.route(
        "/feed.xml",
        Response::ok(FEED)
            .header("Content-Type", "application/rss+xml; charset=utf-8")
            .slow(200, Duration::from_millis(250)),
    );
    let dir = tempfile::tempdir().expect("a temporary folder");
    let config = dir.path().join("config.toml");
    let pages = Path::new(ROOT).join("feeds/zhumadian-daily");
    let text = format!(
        "[[feeds]]\nid = \"zmd\"\ntitle = \"驻马店日报\"\nkind = \"pages\"\npath = {:?}\n\n\
         [[feeds]]\nid = \"news\"\ntitle = \"测试快讯\"\nkind = \"feed\"\nurl = {:?}\nstore = {:?}\n",
        pages.to_string_lossy(),
        server.url("/feed.xml"),
        dir.path().join("store").to_string_lossy(),
    );
    std::fs::write(&config, text).expect("config written");
    let Some(tmux) = Tmux::start_with("fetch", 120, 30, &config) else {
        return;
    };
    tmux.wait_for_headlines();
    tmux.keys(&["R"]);
    tmux.wait_for("the fetch in the status line", |s| {
        s.contains("fetching 0/1")
    });
    // The reader answers while the feed trickles in: open an article.
    tmux.keys(&["j", "Enter"]);
    let screen = tmux.wait_for("article 2 open during the fetch", |s| {
        s.contains("阅读") && s.contains("访市科技局党组书记")
    });
    assert!(
        screen.contains("fetching"),
        "the fetch is still running:\n{screen}"
    );
    tmux.keys(&["q"]);
    // The index takes the new items in on a worker; then the feed's
    // section is listed.
    tmux.wait_for("the fetch to finish and its section listed", |s| {
        s.contains("fetched 1 feed: 2 new") && s.contains("测试快讯")
    });
    // Go to the feed's first section and read its newest item.
    tmux.keys(&["J", "Enter"]);
    let screen = tmux.wait_for("the fetched item open", |s| {
        s.contains("打造十五分钟阅读圈")
    });
    assert!(screen.contains("城市书房年内再建二十家"), "{screen}");
    tmux.keys(&["q", "q"]);
    let (status, _) = tmux.wait_for_exit();
    assert_eq!(status, 0);
    let stored: usize = std::fs::read_dir(dir.path().join("store"))
        .map(|d| {
            d.flatten()
                .filter(|e| e.file_name() != ".fetch.toml")
                .map(|e| {
                    let text = std::fs::read_to_string(e.path()).unwrap_or_default();
                    kanbao::source::bundle::split(&text).len()
                })
                .sum()
        })
        .unwrap_or(0);
    assert_eq!(stored, 2, "two items in the store's bundles");
}

#[test]
fn the_reader_answers_keys_while_a_first_index_is_built() {
    let _timing = TIMING.lock().unwrap_or_else(|e| e.into_inner());
    // An archive big enough that building its index takes seconds here.
    let archive = common::papers::synthetic(40_000, 7, 2);
    let config = archive.path().join("config.toml");
    let Some(tmux) = Tmux::start_with("first-index", 80, 24, &config) else {
        return;
    };
    // No index yet: the reader is up at once and counts the files read.
    let screen = tmux.wait_for("the count of files indexed", |s| {
        s.rows.last().is_some_and(|r| r.contains("indexing"))
    });
    assert!(screen.contains("Indexing the archive"), "{screen}");
    // Keys are answered meanwhile: the help opens while the count runs.
    let asked = Instant::now();
    tmux.keys(&["?"]);
    let screen = tmux.wait_for("the help overlay", |s| s.contains("按键 Keys"));
    let answered = asked.elapsed();
    let still_indexing = screen.rows.last().is_some_and(|r| r.contains("indexing"));
    assert!(
        still_indexing,
        "the help should open while the index is built (answered in {answered:?}):\n{screen}"
    );
    tmux.keys(&["Escape"]);
    // When the index is built the list fills: the newest issue first.
    let screen = tmux.wait_for("the list filled from the new index", |s| {
        s.contains(kanbao_synth::FIRST_DATE) && !s.contains("indexing")
    });
    assert_sane(&screen, 80);
    // A search works on the new index.
    tmux.keys(&["/"]);
    tmux.type_text("创新高地");
    // Each character typed searches again: wait for the whole query.
    tmux.wait_for("search hits", |s| {
        s.contains("搜索 全部") && s.contains("创新高地")
    });
    tmux.keys(&["C-c"]);
    let (status, screen) = tmux.wait_for_exit();
    assert_eq!(status, 0, "{screen}");
}

/// The issue: "'open link' passes URLs to the browser as a single argument
/// (no shell), and only http(s) URLs." The browser is a script that writes
/// each of its arguments on a line of its own; the item's address is full
/// of shell syntax that would create files if a shell ever saw it, and its
/// links include a `javascript:` one and one with an escape sequence.
#[test]
fn open_link_passes_one_argument_without_a_shell_and_only_web_links() {
    use kanbao::source::item::{Item, StoredLink};
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("arguments");
    let browser = dir.path().join("browser.sh");
    std::fs::write(
        &browser,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$@\" >> '{}'\n",
            out.to_string_lossy()
        ),
    )
    .expect("browser script written");
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&browser, std::fs::Permissions::from_mode(0o755))
            .expect("browser script made executable");
    }
    let pwned: Vec<PathBuf> = (1..=4)
        .map(|n| dir.path().join(format!("pwned-{n}")))
        .collect();
    let touch = |n: usize| format!("touch${{IFS}}{}", pwned[n].to_string_lossy());
    let url = format!(
        "https://例子.cn/a?b=1&c=$({});{}&d=`{}`&e='|{}'",
        touch(0),
        touch(1),
        touch(2),
        touch(3)
    );
    let full = "https://example.com/full";
    let link = |text: &str, url: &str| StoredLink {
        text: text.to_owned(),
        url: url.to_owned(),
    };
    let item = Item {
        guid: "item-1".to_owned(),
        title: Some("城市书房年内再建二十家".to_owned()),
        link: Some(url.clone()),
        links: vec![
            link("全文", full),
            link("投票", "javascript:alert(1)"),
            link("标题", "https://example.com/\u{1b}]0;pwned\u{7}"),
        ],
        paragraphs: vec!["今年全市将再建成二十家城市书房[1]，打造十五分钟阅读圈。".to_owned()],
        ..Item::default()
    };
    let store = dir.path().join("store");
    kanbao::feed::store::store(&store, vec![item]).expect("the item stored");
    let config = dir.path().join("config.toml");
    let text = format!(
        "[[feeds]]\nid = \"news\"\ntitle = \"测试快讯\"\nkind = \"feed\"\n\
         url = \"https://example.com/feed.xml\"\nstore = {:?}\n\n[ui]\nbrowser = {:?}\n",
        store.to_string_lossy(),
        browser.to_string_lossy(),
    );
    std::fs::write(&config, text).expect("config written");
    let Some(tmux) = Tmux::start_with("open-link", 120, 30, &config) else {
        return;
    };
    let status = |s: &Screen| s.rows.last().cloned().unwrap_or_default();
    let arguments = || std::fs::read_to_string(&out).unwrap_or_default();
    let wait_for_arguments = |want: &str| {
        let start = Instant::now();
        while arguments() != want {
            assert!(
                start.elapsed() < DEADLINE,
                "the browser's arguments, one a line:\n{}\nexpected:\n{want}\nthe pane shows:\n{}",
                arguments(),
                tmux.capture()
            );
            std::thread::sleep(POLL);
        }
    };

    tmux.wait_for("the item in the list", |s| {
        s.contains("城市书房年内再建二十家")
    });
    tmux.keys(&["Enter"]);
    tmux.wait_for("the item open in the reader", |s| {
        s.contains("打造十五分钟") && status(s).ends_with("q back")
    });

    // The article's own address: one argument, exactly as stored.
    tmux.keys(&["o"]);
    tmux.wait_for("the link prompt", |s| {
        status(s).contains("open link (1-3, Enter = article):")
    });
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("the link opened", |s| {
        status(s).contains("opened https://例子.cn/a?b=1&c=$(touch")
            && status(s).contains(" in browser.sh")
    });
    assert_sane(&screen, 120);
    wait_for_arguments(&format!("{url}\n"));

    // A javascript: link is refused, and the browser is not started.
    tmux.keys(&["o", "2", "Enter"]);
    tmux.wait_for("the javascript: link refused", |s| {
        status(s).contains(
            "cannot open link: only http and https links are opened (javascript:alert(1))",
        )
    });
    // A link with an escape sequence is refused, and shown without it.
    tmux.keys(&["o", "3", "Enter"]);
    let screen = tmux.wait_for("the link with ESC refused", |s| {
        status(s).contains(
            "cannot open link: the link contains the character U+001B (https://example.com/)",
        )
    });
    assert_sane(&screen, 120);
    assert!(
        !screen.contains("pwned"),
        "the escape sequence shown:\n{screen}"
    );
    // Link 1 opens: the browser has run twice in all, never for the
    // refused links.
    tmux.keys(&["o", "1", "Enter"]);
    tmux.wait_for("link 1 opened", |s| {
        status(s).contains(&format!("opened {full} in browser.sh"))
    });
    wait_for_arguments(&format!("{url}\n{full}\n"));
    for file in &pwned {
        assert!(
            !file.exists(),
            "{} exists: a shell ran the link",
            file.display()
        );
    }

    tmux.keys(&["q", "q"]);
    let (exit, screen) = tmux.wait_for_exit();
    assert_eq!(exit, 0, "{screen}");
    assert_terminal_restored(&tmux, &screen);
}

/// An RSS feed of `items` items, numbered from 1, for the stress test.
fn numbered_feed(name: &str, items: usize) -> String {
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>\
         <title>{name}</title><link>http://127.0.0.1/</link>\n"
    );
    for n in 1..=items {
        let day = n % 28 + 1;
        xml.push_str(&format!(
            "<item><title>{name}第{n}条：全市科技工作会议召开</title>\
             <link>http://127.0.0.1/{name}/{n}.html</link><guid>{name}-{n}</guid>\
             <pubDate>Tue, {day:02} Mar 2024 09:00:00 +0800</pubDate><category>快讯</category>\
             <description><![CDATA[<p>{name}第{n}条的正文：会议提出，要奋力建设区域创新高地。</p>\
             <p>第二段，<a href=\"http://127.0.0.1/{n}\">链接</a>。</p>]]></description></item>\n"
        ));
    }
    xml.push_str("</channel></rss>\n");
    xml
}

/// Whether the pane shows a whole frame of kanbao at `w`×`h`: right after
/// a resize tmux still shows the old rows cut at the new width, and a frame
/// drawn for the old size may be half out.
fn settled(screen: &Screen, w: u16, h: u16) -> bool {
    let filled = |row: Option<&String>| row.is_some_and(|r| !r.trim().is_empty());
    screen.rows.len() == usize::from(h)
        && screen
            .rows
            .iter()
            .all(|r| str_width(r, 1) <= usize::from(w))
        && filled(screen.rows.first())
        && filled(screen.rows.last())
}

/// The class of crash newsboat users report during reload: keys pressed,
/// and the window resized, while feeds arrive slowly and the index takes
/// them in. The reader must stay up and sane, and the stores, the index
/// and the read marks must be whole afterwards.
#[test]
fn keys_and_resizes_during_a_slow_fetch_and_reindex_corrupt_nothing() {
    const FEEDS: usize = 4;
    const ITEMS: usize = 150;
    let server = Server::start();
    let dir = tempfile::tempdir().expect("a temporary folder");
    let pages = Path::new(ROOT).join("feeds/zhumadian-daily");
    let mut config = format!(
        "[[feeds]]\nid = \"zmd\"\ntitle = \"驻马店日报\"\nkind = \"pages\"\npath = {:?}\n",
        pages.to_string_lossy()
    );
    for f in 0..FEEDS {
        let name = format!("快讯{f}");
        let body = numbered_feed(&name, ITEMS);
        // About two seconds a feed, in twenty pieces.
        let piece = body.len() / 20 + 1;
        let path = format!("/feed{f}.xml");
        server.route(
            &path,
            Response::ok(body)
                .header("Content-Type", "application/rss+xml; charset=utf-8")
                .slow(piece, Duration::from_millis(100)),
        );
        config.push_str(&format!(
            "\n[[feeds]]\nid = \"news{f}\"\ntitle = \"{name}\"\nkind = \"feed\"\nurl = {:?}\nstore = {:?}\n",
            server.url(&path),
            dir.path().join(format!("store{f}")).to_string_lossy(),
        ));
    }
    let config_path = dir.path().join("config.toml");
    std::fs::write(&config_path, config).expect("config written");
    let Some(tmux) = Tmux::start_with("stress", 80, 24, &config_path) else {
        return;
    };
    let _timing = TIMING.lock().unwrap_or_else(|e| e.into_inner());
    tmux.wait_for_headlines();
    let sizes = [(80, 24), (41, 15), (120, 40), (60, 20)];
    // Bursts of keys: open, scroll, move between sections and articles,
    // mark, star, search, help, back (Esc, which never quits).
    let bursts: [&[&str]; 8] = [
        &["j", "j", "Enter", "G", "g", "Space", "Escape"],
        &["J", "Enter", "n", "n", "N", "Escape"],
        &["Tab", "j", "k", "BTab", "K", "J"],
        &["r", "s", "j", "r", "s"],
        &["/", "科技", "BSpace", "C-t", "Escape"],
        &["?", "j", "G", "Escape"],
        &["End", "Home", "PageDown", "PageUp"],
        &["W", "Escape", "l", "h"],
    ];
    let mut round = 0;
    let mut run_round = |tmux: &Tmux| {
        let (w, h) = sizes[round % sizes.len()];
        tmux.resize(w, h);
        tmux.keys(bursts[round % bursts.len()]);
        round += 1;
        // The screen settles sane at its size (right after a resize, tmux
        // still shows the old rows cut at the new width).
        let screen = tmux.wait_for("the screen redrawn at the new size", |s| {
            s.contains("panicked") || settled(s, w, h)
        });
        assert!(
            !screen.contains("panicked"),
            "kanbao panicked after {:?} at {w}×{h}:\n{}",
            bursts[(round - 1) % bursts.len()],
            tmux.history()
        );
        assert_sane(&screen, w);
        assert!(tmux.alive(), "kanbao exited:\n{}", tmux.history());
    };
    tmux.keys(&["R"]);
    tmux.wait_for("the fetch running", |s| s.contains("fetching"));
    // While the feeds trickle in (until every store has its fetch state),
    // then while the index takes them in.
    let fetched = |f: usize| dir.path().join(format!("store{f}/.fetch.toml")).exists();
    let start = Instant::now();
    let mut fetching_rounds = 0;
    while !(0..FEEDS).all(fetched) {
        run_round(&tmux);
        fetching_rounds += 1;
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the fetch did not end:\n{}",
            tmux.capture()
        );
    }
    for _ in 0..16 {
        run_round(&tmux);
    }
    // A second fetch, answered the same, while keys go on.
    tmux.resize(80, 24);
    tmux.keys(&["Escape", "R"]);
    for _ in 0..16 {
        run_round(&tmux);
    }
    tmux.resize(80, 24);
    tmux.keys(&["Escape"]);
    tmux.wait_for("the second fetch over", |s| {
        settled(s, 80, 24) && !s.contains("fetching")
    });
    tmux.keys(&["C-c"]);
    let (status, screen) = tmux.wait_for_exit();
    assert_eq!(status, 0, "{screen}");
    assert_terminal_restored(&tmux, &screen);
    assert!(
        fetching_rounds >= 3,
        "keys were sent during the fetch only {fetching_rounds} times"
    );
    eprintln!("stress: {fetching_rounds} bursts during the fetch, {round} in all");

    // Each store holds every item whole, and nothing half-written.
    for f in 0..FEEDS {
        let store = dir.path().join(format!("store{f}"));
        let mut items = 0;
        for entry in std::fs::read_dir(&store).expect("the store exists") {
            let entry = entry.expect("a store entry");
            let name = entry.file_name().to_string_lossy().into_owned();
            assert!(!name.contains(".tmp-"), "a temporary file is left: {name}");
            if name == ".fetch.toml" {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).expect("a bundle is UTF-8");
            for chunk in kanbao::source::bundle::split(&text) {
                kanbao::source::item::Item::from_file(&chunk.text).unwrap_or_else(|e| {
                    panic!("{name}, line {} is damaged: {e}", chunk.first_line)
                });
                items += 1;
            }
        }
        assert_eq!(items, ITEMS, "items in store{f}");
    }
    // The index and the read marks load whole.
    let mut list = Command::new(BIN);
    list.arg("--config")
        .arg(&config_path)
        .args(["list", "--json"]);
    isolate(&mut list, tmux.home.path());
    let out = list.output().expect("kanbao list runs");
    assert!(out.status.success(), "{out:?}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("list --json is JSON");
    let articles = json["articles"].as_array().map_or(0, Vec::len);
    assert_eq!(articles, 3 + FEEDS * ITEMS);
    assert_eq!(json["warnings"].as_array().map_or(0, Vec::len), 0, "{json}");
    let state = std::fs::read(tmux.state_home().join("kanbao/state.json")).expect("state.json");
    let state: serde_json::Value = serde_json::from_slice(&state).expect("state.json is JSON");
    assert_eq!(state["version"], 1, "{state}");
}

/// An e-paper edition (issue 14), fetched from a server on 127.0.0.1,
/// read in the reader: one section per 版面, the two named 要闻 told apart
/// by number; an article with its kicker, headline and subheadline, at a
/// wide and a narrow odd width.
#[rstest::rstest]
#[case::w80x24(80, 24)]
#[case::w41x15(41, 15)]
fn an_epaper_edition_reads_by_page(#[case] width: u16, #[case] height: u16) {
    let fixture = |name: &str| {
        std::fs::read(
            Path::new(ROOT)
                .join("tests/fixtures/epaper/people")
                .join(name),
        )
        .expect("an e-paper fixture")
    };
    let server = Server::start();
    let layout = "/paper/pc/layout/203105/06/";
    let content = "/paper/pc/content/203105/06/";
    for page in ["node_01.html", "node_02.html", "node_03.html"] {
        server.route(&format!("{layout}{page}"), Response::ok(fixture(page)));
    }
    for n in ["7001", "7002", "7003", "7004"] {
        let name = format!("content_{n}.html");
        server.route(&format!("{content}{name}"), Response::ok(fixture(&name)));
    }
    server.route(
        &format!("{content}content_7005.html"),
        Response::ok(fixture("content_7002.html")),
    );
    let dir = tempfile::tempdir().expect("a temporary folder");
    let config = dir.path().join("config.toml");
    let text = format!(
        "[[feeds]]\nid = \"paper\"\ntitle = \"样报\"\nkind = \"epaper\"\nurl = {:?}\nstore = {:?}\n",
        server.url("/paper/pc/layout/{yyyy}{mm}/{dd}/node_01.html"),
        dir.path().join("store").to_string_lossy(),
    );
    std::fs::write(&config, text).expect("config written");
    let mut fetch = Command::new(BIN);
    fetch
        .args([
            "--config",
            &config.to_string_lossy(),
            "fetch",
            "--date",
            "2031-05-06",
        ])
        .env("XDG_CACHE_HOME", dir.path().join("cache"))
        .env("XDG_STATE_HOME", dir.path().join("state"));
    let output = fetch.output().expect("kanbao fetch runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let test = format!("epaper-{width}");
    let Some(tmux) = Tmux::start_with(&test, width, height, &config) else {
        return;
    };
    let screen = tmux.wait_for("the edition's 版面 listed", |s| {
        s.contains("湖畔新城绘就发展新图景")
    });
    assert_sane(&screen, width);
    if width >= 80 {
        // The sections tree: the date, then its 版面.
        assert!(screen.contains("▾ 2031-05-06"), "{screen}");
        assert!(screen.contains("01版 要闻"), "{screen}");
        assert!(screen.contains("02版 要闻"), "{screen}");
    } else {
        // The narrow layout shows the articles of the first 版面.
        assert!(screen.contains("01版 要闻"), "{screen}");
    }
    tmux.keys(&["Enter"]);
    // The whole frame: the headline, the subheadline and the text.
    let screen = tmux.wait_for("the article open", |s| {
        s.contains("沿着足迹看变化")
            && s.contains("湖畔新城绘就发展新图景")
            && s.contains("——一座新城五年间的三次转身")
    });
    // (No kinsoku check of the whole screen: the subheadline starts with
    // its ——, as printed.)
    assert_sane(&screen, width);
    assert!(screen.contains("湖畔新城绘就发展新图景"), "{screen}");
    assert!(screen.contains("——一座新城五年间的三次转身"), "{screen}");
    // One pane at a time, `q` goes up a level: reader, list, sections.
    if width < 60 {
        tmux.keys(&["q"]);
    }
    tmux.keys(&["q", "q"]);
    let (status, _) = tmux.wait_for_exit();
    assert_eq!(status, 0);
}

#[test]
fn quit_while_reading_and_start_again_opens_the_same_article_at_the_same_place() {
    leave_while_reading_and_start_again("restore", &["C-c"], None, 0);
}

/// A terminal closed, or an SSH connection lost, while reading (SIGHUP),
/// or SIGTERM: the reader ends as on quit and keeps its place.
#[rstest::rstest]
#[case::sigterm("-TERM", 143)]
#[case::sighup("-HUP", 129)]
fn a_signal_while_reading_keeps_the_article_and_its_place(
    #[case] signal: &str,
    #[case] status: i32,
) {
    let test = format!("restore{signal}");
    leave_while_reading_and_start_again(&test, &[], Some(signal), status);
}

/// The terminal closed while reading (its tmux server killed: the pane's
/// shell, not kanbao, leads the session): kanbao ends as on quit, saves
/// the open article and its place, and does not stay behind.
#[test]
fn closing_the_terminal_while_reading_keeps_the_article_and_its_place() {
    let Some(tmux) = Tmux::start("hangup", 60, 20) else {
        return;
    };
    read_into_the_second_article(&tmux);
    tmux.settled();
    let pid = tmux.pid();
    let _ = tmux.tmux(&["kill-server"]);
    let start = Instant::now();
    while shell_kill("-0", &pid) {
        assert!(
            start.elapsed() < DEADLINE,
            "kanbao ({pid}) still runs after its terminal closed"
        );
        std::thread::sleep(POLL);
    }
    let path = tmux.home.path().join("state/kanbao/state.json");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let state: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    let last = state["last"].as_str().unwrap_or_default();
    assert!(!last.is_empty(), "no last article saved: {text}");
    assert!(
        state["places"][last].is_object(),
        "no place saved for {last}: {text}"
    );
}

/// Opens the second article and scrolls into it.
fn read_into_the_second_article(tmux: &Tmux) {
    tmux.wait_for_headlines();
    tmux.keys(&["j", "Enter"]);
    tmux.wait_for("the second article open", |s| s.header().contains("阅读"));
    for _ in 0..7 {
        tmux.keys(&["j"]);
    }
    tmux.wait_for("scrolled into the article", |s| {
        s.percent().is_some_and(|p| p > 0 && p < 100)
    });
}

/// Opens the second article, scrolls into it, leaves with `keys` or
/// `signal` (exit status `status`), starts again: the same article is open
/// at the same place.
fn leave_while_reading_and_start_again(
    test: &str,
    keys: &[&str],
    signal: Option<&str>,
    status: i32,
) {
    let Some(tmux) = Tmux::start(test, 60, 20) else {
        return;
    };
    read_into_the_second_article(&tmux);
    // Every key answered: the screen stays the same for a while.
    let before = tmux.settled();
    let percent = before.percent();
    let text = before.reader_text().join("\n");
    if !keys.is_empty() {
        tmux.keys(keys);
    }
    if let Some(signal) = signal {
        tmux.signal(signal);
    }
    let (got, screen) = tmux.wait_for_exit();
    assert_eq!(got, status, "{screen}");
    assert_terminal_restored(&tmux, &screen);

    tmux.restart(&Path::new(ROOT).join("config.toml"));
    // The article is typeset after its head is shown: wait for the same
    // lines, not only the same percentage (a timeout shows the screen).
    let after = tmux.wait_for("the same article open at the same place", |s| {
        s.header().contains("阅读") && s.percent() == percent && s.reader_text().join("\n") == text
    });
    assert!(
        after.contains("学用结合"),
        "the second article is selected:\n{after}"
    );
    tmux.keys(&["q", "q"]);
    let (status, screen) = tmux.wait_for_exit();
    assert_eq!(status, 0, "{screen}");
    assert_terminal_restored(&tmux, &screen);
}

/// `T` in a real terminal: the open article and the lists turn traditional,
/// the status line names the script, every line still fits, and three
/// more presses bring the stored characters back.
#[rstest::rstest]
#[case::w80x24(80, 24)]
#[case::w41x15(41, 15)]
fn t_shows_the_text_in_traditional_and_back(#[case] width: u16, #[case] height: u16) {
    let Some(tmux) = Tmux::start(&format!("script-{width}"), width, height) else {
        return;
    };
    tmux.wait_for_headlines();
    tmux.keys(&["Enter"]);
    tmux.wait_for("the article open", |s| s.header().contains("阅读"));
    // The check can fail: as stored, the headline is simplified.
    assert!(!tmux.capture().contains("奮力建設"));
    tmux.keys(&["T", "T"]);
    let screen = tmux.wait_for("the article in traditional", |s| {
        s.contains("奮力建設") && s.rows.last().is_some_and(|r| r.contains("繁體"))
    });
    assert_sane(&screen, width);
    assert!(!screen.contains("奋力建设"), "{screen}");
    tmux.keys(&["T", "T", "T"]);
    let screen = tmux.wait_for("the stored characters again", |s| {
        s.contains("奋力建设") && !s.contains("奮力建設")
    });
    assert_sane(&screen, width);
    tmux.keys(&["C-c"]);
    let (status, screen) = tmux.wait_for_exit();
    assert_eq!(status, 0, "{screen}");
    assert_terminal_restored(&tmux, &screen);
}

/// A PNG of `width` × `height` pixels, a gradient from top to bottom, so
/// that every half-block cell has two colours.
fn gradient_png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        let v = (y * 255 / height.max(1)) as u8;
        image::Rgb([v, 255 - v, (x * 255 / width.max(1)) as u8])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(image)
        .write_to(&mut out, image::ImageFormat::Png)
        .expect("a PNG encoded");
    out.into_inner()
}

/// A feed whose store holds one item with `photos` (address, caption), and
/// a config for it with `extra` lines in the feed's table and `ui` lines in
/// `[ui]`. Returns the folder and the config's path.
fn photo_feed(photos: &[(String, &str)], extra: &str, ui: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let store = dir.path().join("store");
    std::fs::create_dir_all(&store).expect("store folder");
    let mut item = String::from(
        "+++\nguid = \"http://127.0.0.1/news/1.html\"\ntitle = \"城市书房年内再建二十家\"\n\
         published = \"2023-03-08T10:00:00+08:00\"\ncategory = \"快讯\"\n",
    );
    for (url, caption) in photos {
        item.push_str(&format!(
            "\n[[photos]]\nurl = {url:?}\ncaption = {caption:?}\n"
        ));
    }
    item.push_str("+++\n\n市文化广电和旅游局透露，今年全市将再建成二十家城市书房。\n");
    let mut bundle = String::new();
    kanbao::source::bundle::push_item(&mut bundle, "http://127.0.0.1/news/1.html", &item);
    std::fs::write(store.join("items-2023-03-08.txt"), bundle).expect("items written");
    let config = dir.path().join("config.toml");
    let text = format!(
        "[[feeds]]\nid = \"news\"\ntitle = \"测试快讯\"\nkind = \"feed\"\n\
         url = \"http://127.0.0.1:9/feed.xml\"\nstore = {:?}\n{extra}\n[ui]\n{ui}\n",
        store.to_string_lossy()
    );
    std::fs::write(&config, text).expect("config written");
    (dir, config)
}

/// Half-block cells: what a picture is drawn with in tmux.
fn half_blocks(row: &str) -> usize {
    row.chars().filter(|c| matches!(c, '▀' | '▄')).count()
}

/// Photos from a server on 127.0.0.1, in a real terminal: opening the
/// article fetches them; each shows in half-blocks above its caption, the
/// captions whole, no row wider than the window; scrolling counts the
/// pictures' rows (the end of the text is reached, nothing more).
#[rstest::rstest]
#[case::w80x24(80, 24)]
#[case::w41x15(41, 15)]
fn photos_show_in_half_blocks_above_their_captions(#[case] width: u16, #[case] height: u16) {
    let server = Server::start();
    server
        .route(
            "/a.png",
            Response::ok(gradient_png(320, 240)).header("Content-Type", "image/png"),
        )
        .route(
            "/b.png",
            Response::ok(gradient_png(600, 200)).header("Content-Type", "image/png"),
        );
    let photos = [
        (server.url("/a.png"), "城市书房外景。"),
        (server.url("/b.png"), "读者在书房阅读。"),
    ];
    let (_dir, config) = photo_feed(&photos, "", "");
    let Some(tmux) = Tmux::start_with(&format!("photos-{width}"), width, height, &config) else {
        return;
    };
    tmux.wait_for("the item listed", |s| s.contains("城市书房年内再建二十家"));
    // Browsing the lists fetches nothing, even with the article previewed.
    std::thread::sleep(Duration::from_millis(300));
    assert!(server.requests().is_empty(), "{:?}", server.requests());
    tmux.keys(&["Enter"]);
    tmux.wait_for("the article open and a picture in it", |s| {
        s.header().contains("阅读") && s.rows.iter().any(|r| half_blocks(r) > 0)
    });
    tmux.keys(&["G"]);
    let screen = tmux.wait_for("both pictures above their captions", |s| {
        let rows = s.reader_text();
        let above = |caption: &str| {
            rows.iter()
                .position(|r| r.contains(caption))
                .is_some_and(|at| at > 0 && half_blocks(rows[at - 1]) > 0)
        };
        above("图2 读者在书房阅读。")
    });
    assert_sane(&screen, width);
    assert!(screen.contains("图2 读者在书房阅读。"), "{screen}");
    // The second picture is three times as wide as high: its rows are
    // half-block rows no wider than the text.
    let rows = screen.reader_text();
    let caption = rows
        .iter()
        .position(|r| r.contains("图2"))
        .expect("caption 2 shown");
    let picture: Vec<&&str> = rows[..caption]
        .iter()
        .rev()
        .take_while(|r| half_blocks(r) > 0)
        .collect();
    assert!(!picture.is_empty(), "{screen}");
    let cells = half_blocks(picture[0]);
    assert!(
        cells > picture.len() * 2,
        "a wide picture is wide: {cells} cells by {} rows:\n{screen}",
        picture.len()
    );
    assert_eq!(screen.percent(), Some(100), "{screen}");
    // From the top, a line at a time: the first picture and its caption
    // come into view (a picture cut by the top edge is drawn from the row
    // shown).
    tmux.keys(&["g"]);
    let under_its_picture = |s: &Screen| {
        let rows = s.reader_text();
        rows.iter()
            .position(|r| r.contains("图1 城市书房外景。"))
            .is_some_and(|at| at > 0 && half_blocks(rows[at - 1]) > 0)
    };
    let mut screen = tmux.capture();
    for _ in 0..40 {
        std::thread::sleep(Duration::from_millis(100));
        screen = tmux.capture();
        if under_its_picture(&screen) {
            break;
        }
        tmux.keys(&["j"]);
    }
    assert!(under_its_picture(&screen), "{screen}");
    assert_sane(&screen, width);
    // A resize fits the pictures again, without a key pressed: the rows
    // go blank until the worker brings them at the new size.
    let (wider, taller) = (width + 19, height + 5);
    tmux.resize(wider, taller);
    let screen = tmux.wait_for("the pictures at the new size", |s| {
        s.rows.len() == usize::from(taller)
            && s.rows.iter().any(|r| half_blocks(r) > 0)
            && s.rows.iter().all(|r| str_width(r, 1) <= usize::from(wider))
    });
    assert_sane(&screen, wider);
    let requested: Vec<String> = server.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(requested, ["/a.png", "/b.png"], "each picture fetched once");
    tmux.keys(&["C-c"]);
    let (status, screen) = tmux.wait_for_exit();
    assert_eq!(status, 0, "{screen}");
    assert_terminal_restored(&tmux, &screen);
    // Kept in the image cache.
    let cached = std::fs::read_dir(tmux.home.path().join("cache/kanbao/images"))
        .map(|d| d.flatten().count())
        .unwrap_or(0);
    assert_eq!(cached, 2);
}

/// Every way a photo can fail gives its one-line note in the picture's
/// place, the caption still under it, while every key is answered within
/// [`ANSWER`]: a decompression bomb (100,000 × 100,000 pixels in 150
/// bytes), a 404, an HTML page served as the picture, a PNG cut short,
/// and a server slower than the feed's timeout.
#[test]
fn broken_photos_are_notes_and_the_reader_keeps_answering() {
    let _timing = TIMING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let server = Server::start();
    let whole = gradient_png(320, 240);
    server
        .route(
            "/bomb.png",
            Response::ok(common::png::bomb(100_000, 100_000)).header("Content-Type", "image/png"),
        )
        .route(
            "/page.png",
            Response::ok("<!DOCTYPE html><html><body>not here</body></html>")
                .header("Content-Type", "text/html; charset=utf-8"),
        )
        .route(
            "/cut.png",
            Response::ok(&whole[..whole.len() / 2]).header("Content-Type", "image/png"),
        )
        .route(
            "/slow.png",
            Response::ok(&whole)
                .header("Content-Type", "image/png")
                .delay(Duration::from_secs(8)),
        );
    let photos = [
        (server.url("/slow.png"), "慢图。"),
        (server.url("/bomb.png"), "炸弹图。"),
        (server.url("/missing.png"), "缺图。"),
        (server.url("/page.png"), "网页图。"),
        (server.url("/cut.png"), "残图。"),
    ];
    let (_dir, config) = photo_feed(&photos, "timeout = 3", "");
    let (width, height) = (140, 40);
    let Some(tmux) = Tmux::start_with("photo-notes", width, height, &config) else {
        return;
    };
    tmux.wait_for("the item listed", |s| s.contains("城市书房年内再建二十家"));
    tmux.keys(&["Enter"]);
    let mut screen = tmux.wait_for("the slow photo loading", |s| {
        s.header().contains("阅读") && s.contains("[图 1 载入中…]")
    });
    // While the slow server holds the worker, the keys are answered.
    for key in ["q", "Enter", "?", "Escape", "q", "Enter"] {
        screen = tmux.answered(key, &screen, "the key's answer", |s| {
            !s.contains("[图 1 未能显示")
        });
    }
    assert!(screen.contains("[图 1 载入中…]"), "{screen}");
    let screen = tmux.wait_for("every note", |s| {
        [
            "[图 1 未能显示：timed out after 3 s",
            "[图 2 未能显示：100000 × 100000 pixels",
            "[图 3 未能显示：HTTP 404",
            "[图 4 未能显示：the server sent text/html",
            "[图 5 未能显示：the picture is damaged",
        ]
        .iter()
        .all(|note| s.contains(note))
    });
    assert_sane(&screen, width);
    let rows = screen.reader_text();
    for (n, caption) in ["慢图。", "炸弹图。", "缺图。", "网页图。", "残图。"]
        .iter()
        .enumerate()
    {
        let at = rows
            .iter()
            .position(|r| r.contains(caption))
            .unwrap_or_else(|| panic!("caption {caption} shown:\n{screen}"));
        assert!(
            at > 0 && rows[at - 1].contains(&format!("[图 {} 未能显示", n + 1)),
            "the note of photo {} above its caption:\n{screen}",
            n + 1
        );
    }
    assert!(!screen.rows.iter().any(|r| half_blocks(r) > 0), "{screen}");
    tmux.keys(&["C-c"]);
    let (status, screen) = tmux.wait_for_exit();
    assert_eq!(status, 0, "{screen}");
    assert_terminal_restored(&tmux, &screen);
}

/// `[ui] images = "off"`: the captions alone, and nothing fetched.
#[test]
fn images_off_shows_captions_only() {
    let server = Server::start();
    server.route(
        "/a.png",
        Response::ok(gradient_png(320, 240)).header("Content-Type", "image/png"),
    );
    let photos = [(server.url("/a.png"), "城市书房外景。")];
    let (_dir, config) = photo_feed(&photos, "", "images = \"off\"");
    let Some(tmux) = Tmux::start_with("photos-off", 80, 24, &config) else {
        return;
    };
    tmux.wait_for("the item listed", |s| s.contains("城市书房年内再建二十家"));
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("the caption", |s| {
        s.header().contains("阅读") && s.contains("图1 城市书房外景。")
    });
    std::thread::sleep(Duration::from_millis(500));
    let screen = if tmux.capture() == screen {
        screen
    } else {
        tmux.settled()
    };
    assert!(!screen.contains("[图 1"), "{screen}");
    assert!(!screen.rows.iter().any(|r| half_blocks(r) > 0), "{screen}");
    assert!(server.requests().is_empty(), "{:?}", server.requests());
    tmux.keys(&["C-c"]);
    let (status, screen) = tmux.wait_for_exit();
    assert_eq!(status, 0, "{screen}");
}

/// `R` syncs with a real TT-RSS too (issue 19): the server's feed appears,
/// and a sync that fails says so in the status line and `W` says why.
#[test]
fn shift_r_syncs_with_ttrss_and_w_tells_why_a_sync_failed() {
    let Some(mut server) = ttrss::start("reader") else {
        return;
    };
    let feeds = Server::start();
    let origin = feeds.url("").trim_end_matches('/').to_owned();
    let rss = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel>\
         <title>同步日报</title><link>{origin}/</link><description>同步</description>\
         <image><url>{origin}/icon.png</url><title>同步日报</title><link>{origin}/</link></image>\
         <item><title>服务器上的新闻</title><link>{origin}/1.html</link><guid>{origin}/1.html</guid>\
         <pubDate>Sat, 05 Dec 2026 08:00:00 +0000</pubDate>\
         <description><![CDATA[<p>经由服务器同步的正文。</p>]]></description></item>\
         </channel></rss>"
    );
    feeds.serve_feed(rss);
    server.subscribe(&feeds.url("/feed.xml"));
    let dir = tempfile::tempdir().expect("a temporary folder");
    let config = dir.path().join("config.toml");
    let pages = Path::new(ROOT).join("feeds/zhumadian-daily");
    let text = format!(
        "[[feeds]]\nid = \"zmd\"\ntitle = \"驻马店日报\"\nkind = \"pages\"\npath = {:?}\n\n\
         [sync]\nkind = \"ttrss\"\nurl = {:?}\nuser = {:?}\npassword_command = [\"cat\", {:?}]\n",
        pages.to_string_lossy(),
        server.url,
        server.user,
        server.password_file().to_string_lossy(),
    );
    std::fs::write(&config, text).expect("config written");
    let Some(tmux) = Tmux::start_with("sync", 120, 30, &config) else {
        return;
    };
    tmux.wait_for_headlines();
    tmux.keys(&["R"]);
    tmux.wait_for("the sync over and the server's feed listed", |s| {
        s.contains("fetched 1 feed: 1 new") && s.contains("同步日报")
    });
    server.stop();
    tmux.keys(&["R"]);
    tmux.wait_for("the failed sync in the status line", |s| {
        s.contains("1 failed (W shows why)")
    });
    tmux.keys(&["W"]);
    tmux.wait_for("why, under W", |s| {
        s.contains("fetch sync") && s.contains("cannot reach TT-RSS")
    });
    tmux.keys(&["q", "q"]);
    let (status, _) = tmux.wait_for_exit();
    assert_eq!(status, 0);
}
