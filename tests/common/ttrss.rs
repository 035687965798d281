//! A real Tiny Tiny RSS for the sync tests (issue 19), brought up by
//! `tests/servers/ttrss.sh` (Debian's `tt-rss` on PostgreSQL, `php -S` on
//! 127.0.0.1) and stopped by its PID when dropped.
//!
//! [`start`] installs the packages the first time (which needs root and
//! the package index); where that cannot be done it prints a note and
//! returns `None`, so the test skips — except under CI (`CI` set), where
//! it must run. One server at a time: the instance's configuration
//! (`SELF_URL_PATH`) and `update.php` are shared, so tests take turns.

#![allow(dead_code, reason = "each test crate uses a subset")]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};

use serde_json::{Value, json};

static TURN: Mutex<()> = Mutex::new(());
static INSTALLED: OnceLock<Result<(), String>> = OnceLock::new();

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/servers/ttrss.sh")
}

/// A running TT-RSS with one user of its own.
pub struct Ttrss {
    pub url: String,
    pub user: String,
    pub password: String,
    pub port: u16,
    dir: tempfile::TempDir,
    pid: Option<i32>,
    _turn: MutexGuard<'static, ()>,
}

/// A free port on 127.0.0.1 (bound, then released).
pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().expect("local address").port()
}

/// Starts TT-RSS with a new user `user`, or says why it cannot and
/// returns `None` (never under CI).
pub fn start(user: &str) -> Option<Ttrss> {
    let turn = TURN.lock().unwrap_or_else(PoisonError::into_inner);
    let installed = INSTALLED.get_or_init(|| {
        let output = Command::new("bash")
            .arg(script())
            .arg("install")
            .output()
            .map_err(|e| format!("cannot run tests/servers/ttrss.sh: {e}"))?;
        if output.status.success() {
            Ok(())
        } else {
            Err(String::from_utf8_lossy(&output.stderr).trim().to_owned())
        }
    });
    if let Err(why) = installed {
        assert!(
            std::env::var_os("CI").is_none(),
            "TT-RSS is needed under CI but could not be installed: {why}"
        );
        eprintln!(
            "skipped: TT-RSS cannot be installed here (needs root and Debian's tt-rss): {why}"
        );
        return None;
    }
    let dir = tempfile::tempdir().expect("temporary folder");
    let port = free_port();
    let status = Command::new("bash")
        .arg(script())
        .args(["start", &port.to_string()])
        .arg(dir.path())
        .arg(user)
        .status()
        .expect("run tests/servers/ttrss.sh start");
    assert!(status.success(), "tests/servers/ttrss.sh start failed");
    let read = |name: &str| {
        std::fs::read_to_string(dir.path().join(name))
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .trim()
            .to_owned()
    };
    let pid = read("pid").parse().ok();
    Some(Ttrss {
        url: format!("http://127.0.0.1:{port}/"),
        user: user.to_owned(),
        password: read("password"),
        port,
        pid,
        dir,
        _turn: turn,
    })
}

impl Ttrss {
    /// Where the password is kept, for `password_command = ["cat", …]`.
    pub fn password_file(&self) -> PathBuf {
        self.dir.path().join("password")
    }

    /// Stops `php -S` by its PID and waits until the port is closed.
    pub fn stop(&mut self) {
        super::process::stop(&mut self.pid, self.port);
    }

    /// Serves again on the same port, after [`Ttrss::stop`].
    pub fn serve(&mut self) {
        let status = Command::new("bash")
            .arg(script())
            .args(["serve", &self.port.to_string()])
            .arg(self.dir.path())
            .status()
            .expect("run tests/servers/ttrss.sh serve");
        assert!(status.success(), "tests/servers/ttrss.sh serve failed");
        let pid = std::fs::read_to_string(self.dir.path().join("pid")).expect("pid");
        self.pid = pid.trim().parse().ok();
    }

    /// Subscribes the test's user to the feed at `url` and fetches it.
    pub fn subscribe(&self, url: &str) {
        self.api("subscribeToFeed", serde_json::json!({ "feed_url": url }));
        self.update();
    }

    /// Fetches every subscribed feed now (`update.php --feeds`).
    pub fn update(&self) {
        let output = Command::new("bash")
            .arg(script())
            .arg("update")
            .output()
            .expect("run tests/servers/ttrss.sh update");
        assert!(
            output.status.success(),
            "update.php failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// Calls the API as the test's user (logged in afresh), as another
    /// client of the server would; the answer's `content`.
    pub fn api(&self, op: &str, params: Value) -> Value {
        let login = post(
            &self.url,
            &json!({"op": "login", "user": self.user, "password": self.password}),
        );
        let sid = login["session_id"].as_str().expect("session_id").to_owned();
        let mut body = params;
        body["op"] = json!(op);
        body["sid"] = json!(sid);
        post(&self.url, &body)
    }

    /// The server's (unread, starred) of article `id`, by `getArticle`.
    pub fn marks(&self, id: i64) -> (bool, bool) {
        let article = &self.api("getArticle", json!({"article_id": id}))[0];
        (
            article["unread"].as_bool().expect("unread"),
            article["marked"].as_bool().expect("marked"),
        )
    }

    /// Sets `field` (0 starred, 2 unread) of article `id` on the server.
    pub fn set(&self, id: i64, field: u8, on: bool) {
        self.api(
            "updateArticle",
            json!({"article_ids": id.to_string(), "mode": i32::from(on), "field": field}),
        );
    }

    /// Every article of the user's feeds: (id, title), newest first.
    pub fn articles(&self) -> Vec<(i64, String)> {
        let headlines = self.api(
            "getHeadlines",
            json!({"feed_id": -4, "view_mode": "all_articles", "limit": 200}),
        );
        headlines
            .as_array()
            .expect("headlines")
            .iter()
            .map(|h| {
                (
                    h["id"].as_i64().expect("id"),
                    h["title"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect()
    }
}

fn post(url: &str, body: &Value) -> Value {
    let mut response = ureq::post(&format!("{url}api/"))
        .header("Content-Type", "application/json")
        .send(body.to_string())
        .expect("TT-RSS answers");
    let answer: Value =
        serde_json::from_reader(response.body_mut().as_reader()).expect("TT-RSS answers JSON");
    assert_eq!(answer["status"], 0, "TT-RSS refused {body}: {answer}");
    answer["content"].clone()
}

impl Drop for Ttrss {
    fn drop(&mut self) {
        self.stop();
    }
}
