//! A real Fever server for the sync tests (issue 19): coldsweat from PyPI
//! (MIT; Flask and SQLite) in a virtual environment under the target
//! folder, brought up by `tests/servers/coldsweat.sh` on 127.0.0.1 and
//! stopped by its PID when dropped.
//!
//! [`start`] installs it the first time (pip, a few seconds); where that
//! cannot be done it prints a note and returns `None`, so the test skips
//! — except under CI (`CI` set), where it must run.

#![allow(dead_code, reason = "each test crate uses a subset")]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;

static INSTALLED: OnceLock<Result<PathBuf, String>> = OnceLock::new();

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/servers/coldsweat.sh")
}

/// A running coldsweat with one user, `kanbao@example.org`.
pub struct Coldsweat {
    pub url: String,
    pub email: String,
    pub password: String,
    pub port: u16,
    venv: PathBuf,
    dir: tempfile::TempDir,
    pid: Option<i32>,
}

/// Starts coldsweat on a free port, or says why it cannot and returns
/// `None` (never under CI).
pub fn start() -> Option<Coldsweat> {
    let installed = INSTALLED.get_or_init(|| {
        let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("coldsweat-venv");
        let output = Command::new("bash")
            .arg(script())
            .arg("install")
            .arg(&venv)
            .output()
            .map_err(|e| format!("cannot run tests/servers/coldsweat.sh: {e}"))?;
        if output.status.success() {
            Ok(venv)
        } else {
            Err(String::from_utf8_lossy(&output.stderr).trim().to_owned())
        }
    });
    let venv = match installed {
        Ok(venv) => venv.clone(),
        Err(why) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "coldsweat is needed under CI but could not be installed: {why}"
            );
            eprintln!("skipped: coldsweat cannot be installed here (needs pip and PyPI): {why}");
            return None;
        }
    };
    let dir = tempfile::tempdir().expect("temporary folder");
    let port = super::ttrss::free_port();
    let email = "kanbao@example.org".to_owned();
    let status = Command::new("bash")
        .arg(script())
        .args(["start"])
        .arg(&venv)
        .arg(port.to_string())
        .arg(dir.path())
        .arg(&email)
        .status()
        .expect("run tests/servers/coldsweat.sh start");
    assert!(status.success(), "tests/servers/coldsweat.sh start failed");
    let read = |name: &str| {
        std::fs::read_to_string(dir.path().join(name))
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .trim()
            .to_owned()
    };
    Some(Coldsweat {
        url: format!("http://127.0.0.1:{port}/fever/"),
        password: read("password"),
        pid: read("pid").parse().ok(),
        email,
        port,
        venv,
        dir,
    })
}

impl Coldsweat {
    pub fn password_file(&self) -> PathBuf {
        self.dir.path().join("password")
    }

    /// Subscribes the user to the feed at `url` and fetches it.
    pub fn subscribe(&self, url: &str) {
        let status = Command::new("bash")
            .arg(script())
            .arg("subscribe")
            .arg(&self.venv)
            .arg(self.dir.path())
            .arg(&self.email)
            .arg(url)
            .status()
            .expect("run tests/servers/coldsweat.sh subscribe");
        assert!(status.success(), "coldsweat could not subscribe to {url}");
    }

    /// Stops the server by its PID and waits until the port is closed.
    pub fn stop(&mut self) {
        super::process::stop(&mut self.pid, self.port);
    }

    /// Serves the same database again on the same port, after a stop.
    pub fn serve(&mut self) {
        let status = Command::new("bash")
            .arg(script())
            .arg("serve")
            .arg(&self.venv)
            .arg(self.port.to_string())
            .arg(self.dir.path())
            .status()
            .expect("run tests/servers/coldsweat.sh serve");
        assert!(status.success(), "tests/servers/coldsweat.sh serve failed");
        let pid = std::fs::read_to_string(self.dir.path().join("pid")).expect("pid");
        self.pid = pid.trim().parse().ok();
    }

    /// The API's answer to `command` (query) with `form` fields, as
    /// another client of the server would ask.
    pub fn api(&self, command: &str, form: &[(&str, &str)]) -> Value {
        let key = kanbao::sync::md5::hex(format!("{}:{}", self.email, self.password).as_bytes());
        let mut fields = vec![("api_key", key.as_str())];
        fields.extend_from_slice(form);
        let mut response = ureq::post(&format!("{}?api&{command}", self.url))
            .send_form(fields)
            .expect("coldsweat answers");
        let answer: Value = serde_json::from_reader(response.body_mut().as_reader())
            .expect("coldsweat answers JSON");
        assert_eq!(answer["auth"], 1, "coldsweat refused the key: {answer}");
        answer
    }

    /// The server's (unread, saved) of item `id`.
    pub fn marks(&self, id: i64) -> (bool, bool) {
        let answer = self.api("unread_item_ids&saved_item_ids", &[]);
        let has = |key: &str| {
            answer[key]
                .as_str()
                .unwrap_or("")
                .split(',')
                .any(|i| i == id.to_string())
        };
        (has("unread_item_ids"), has("saved_item_ids"))
    }

    /// Marks item `id` `as` read, unread, saved or unsaved on the server.
    pub fn mark(&self, id: i64, status: &str) {
        let id = id.to_string();
        self.api(
            "mark",
            &[("mark", "item"), ("as", status), ("id", id.as_str())],
        );
    }

    /// Every item: (id, title).
    pub fn items(&self) -> Vec<(i64, String)> {
        let answer = self.api("items&since_id=0", &[]);
        answer["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|i| {
                (
                    i["id"].as_i64().expect("id"),
                    i["title"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect()
    }
}

impl Drop for Coldsweat {
    fn drop(&mut self) {
        self.stop();
    }
}
