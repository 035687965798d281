//! Two-way sync against a real Tiny Tiny RSS (issue 19): Debian's
//! `tt-rss` on PostgreSQL, brought up by tests/servers/ttrss.sh. The test
//! feeds are served on 127.0.0.1 by the tests' own HTTP server, with their
//! links and icon there too; nothing leaves 127.0.0.0/8.
//!
//! Where TT-RSS cannot be installed the tests say so and pass, except
//! under CI (`CI` set), where they must run.

mod common;

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use serde_json::Value;

use common::server::{Response, Server};
use common::ttrss::{self, Ttrss};

/// A feed of `n` items with Chinese text, its links and icon on `origin`.
fn feed(origin: &str, n: usize) -> String {
    let mut items = String::new();
    for i in 1..=n {
        items.push_str(&format!(
            "<item><title>第{i}条新闻：城市更新</title><link>{origin}/news/{i}.html</link>\
             <guid>{origin}/news/{i}.html</guid>\
             <pubDate>Sat, 05 Dec 2026 {:02}:{:02}:00 +0000</pubDate>\
             <description><![CDATA[<p>　　本报讯　第{i}条的第一段，讲城市更新。</p>\
             <p>第二段：居民“有感”。</p>]]></description></item>",
            (i / 60) % 24,
            i % 60
        ));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel>\
         <title>测试日报</title><link>{origin}/</link><description>测试</description>\
         <image><url>{origin}/icon.png</url><title>测试日报</title><link>{origin}/</link></image>\
         {items}</channel></rss>"
    )
}

/// The test's feed server, with a feed of `n` items at /feed.xml.
fn feeds(n: usize) -> Server {
    let server = Server::start();
    let origin = server.url("").trim_end_matches('/').to_owned();
    server.serve_feed(feed(&origin, n)).route(
        "/favicon.ico",
        Response::ok(b"\x00\x00\x01\x00").header("Content-Type", "image/x-icon"),
    );
    server
}

/// A kanbao home: config, state folder and archive in one temporary folder.
struct Kanbao {
    dir: tempfile::TempDir,
}

impl Kanbao {
    /// With `[sync]` at `url` (`password` is the table's password line) and
    /// the web feed `feed_url`.
    fn new(url: &str, user: &str, password: &str, feed_url: &str) -> Kanbao {
        let dir = tempfile::tempdir().expect("temporary folder");
        let config = format!(
            "[[feeds]]\nid = \"paper\"\ntitle = \"测试\"\nkind = \"feed\"\nurl = \"{feed_url}\"\n\n\
             [sync]\nkind = \"ttrss\"\nurl = \"{url}\"\nuser = \"{user}\"\n{password}\n"
        );
        std::fs::write(dir.path().join("config.toml"), config).expect("write config");
        Kanbao { dir }
    }

    fn with(server: &Ttrss, feed_url: &str) -> Kanbao {
        let password = format!(
            "password_command = [\"cat\", {:?}]",
            server.password_file().display().to_string()
        );
        Kanbao::new(&server.url, &server.user, &password, feed_url)
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_kanbao"))
            .arg("--config")
            .arg(self.dir.path().join("config.toml"))
            .args(args)
            .env("HOME", self.dir.path())
            .env("XDG_STATE_HOME", self.dir.path().join("state"))
            .env_remove("KANBAO_CONFIG")
            .output()
            .expect("run kanbao")
    }

    /// `kanbao sync …`, which must work; its output.
    fn sync(&self, args: &[&str]) -> String {
        let output = self.run(&[&["sync"], args].concat());
        assert!(
            output.status.success(),
            "kanbao sync failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// `kanbao sync`, which must fail; its one line on standard error.
    fn sync_fails(&self) -> String {
        let output = self.run(&["sync"]);
        assert!(!output.status.success(), "kanbao sync should have failed");
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
        stderr
    }

    fn articles(&self) -> Vec<Value> {
        let output = self.run(&["list", "--json"]);
        assert!(output.status.success());
        let list: Value = serde_json::from_slice(&output.stdout).expect("list --json");
        list["articles"].as_array().cloned().unwrap_or_default()
    }

    /// kanbao's article titled `title`: (id, read, starred).
    fn article(&self, title: &str) -> (String, bool, bool) {
        let articles = self.articles();
        let a = articles
            .iter()
            .find(|a| a["title"] == title)
            .unwrap_or_else(|| panic!("no article {title}"));
        (
            a["id"].as_str().expect("id").to_owned(),
            a["read"].as_bool().expect("read"),
            a["starred"].as_bool().expect("starred"),
        )
    }

    fn mark(&self, action: &str, id: &str) {
        let output = self.run(&["mark", action, id]);
        assert!(output.status.success(), "kanbao mark {action} {id}");
    }

    fn state_file(&self, name: &str) -> PathBuf {
        self.dir.path().join("state/kanbao").join(name)
    }

    fn read(&self, path: &Path) -> String {
        std::fs::read_to_string(path).unwrap_or_default()
    }
}

/// TT-RSS subscribed to a feed of `n` items and kanbao synced with it
/// once; `None` where TT-RSS cannot run (the test then skips).
fn subscribed(user: &str, n: usize) -> Option<(Ttrss, Server, Kanbao)> {
    let server = ttrss::start(user)?;
    let feeds = feeds(n);
    let kanbao = Kanbao::with(&server, &feeds.url("/feed.xml"));
    let said = kanbao.sync(&["--push-subscriptions"]);
    assert!(said.contains("1 of 1 config feeds subscribed"), "{said}");
    server.update();
    let said = kanbao.sync(&[]);
    assert!(said.contains(&format!("{n} new items")), "{said}");
    Some((server, feeds, kanbao))
}

/// The server's id of the article titled `title`.
fn server_id(server: &Ttrss, title: &str) -> i64 {
    server
        .articles()
        .into_iter()
        .find(|(_, t)| t == title)
        .unwrap_or_else(|| panic!("no article {title} on the server"))
        .0
}

#[test]
fn subscribe_and_fetch_through_the_server() {
    let Some((server, feeds, kanbao)) = subscribed("subscribe", 3) else {
        return;
    };
    // The server fetched the feed (and its icon) from 127.0.0.1 only.
    assert!(feeds.requests().iter().any(|r| r.path == "/feed.xml"));
    let articles = kanbao.articles();
    assert_eq!(articles.len(), 3);
    assert!(
        articles
            .iter()
            .all(|a| a["feed"].as_str().is_some_and(|f| f.starts_with("ttrss-")))
    );
    // The text came through the server as numeric entities and reads as
    // the feed wrote it, paragraph by paragraph.
    let (id, _, _) = kanbao.article("第2条新闻：城市更新");
    let shown = kanbao.run(&["show", &id, "--json"]);
    let shown: Value = serde_json::from_slice(&shown.stdout).expect("show --json");
    let text = shown.to_string();
    assert!(
        text.contains("本报讯　第2条的第一段，讲城市更新。"),
        "{text}"
    );
    assert!(text.contains("第二段：居民“有感”。"), "{text}");
    // `kanbao check` lists the feed as the server's.
    let check = kanbao.run(&["check"]);
    let check = String::from_utf8_lossy(&check.stdout);
    assert!(check.contains("(测试日报) from the sync server"), "{check}");
    // Readable offline: the server gone, the archive still lists them.
    drop(server);
    assert_eq!(kanbao.articles().len(), 3);
    // `kanbao fetch` leaves the server's feeds to `kanbao sync`.
    let fetch = kanbao.run(&["fetch"]);
    assert!(!String::from_utf8_lossy(&fetch.stdout).contains("ttrss-"));
}

#[test]
fn marks_made_in_kanbao_reach_the_server() {
    let Some((server, _feeds, kanbao)) = subscribed("push", 3) else {
        return;
    };
    let (first, _, _) = kanbao.article("第1条新闻：城市更新");
    let (second, _, _) = kanbao.article("第2条新闻：城市更新");
    kanbao.mark("read", &first);
    kanbao.mark("star", &second);
    let said = kanbao.sync(&[]);
    assert!(said.contains("2 marks pushed"), "{said}");
    assert_eq!(
        server.marks(server_id(&server, "第1条新闻：城市更新")),
        (false, false)
    );
    assert_eq!(
        server.marks(server_id(&server, "第2条新闻：城市更新")),
        (true, true)
    );
    assert_eq!(
        server.marks(server_id(&server, "第3条新闻：城市更新")),
        (true, false)
    );
    // Unread and unstarred again: the server follows.
    kanbao.mark("unread", &first);
    kanbao.mark("unstar", &second);
    kanbao.sync(&[]);
    assert_eq!(
        server.marks(server_id(&server, "第1条新闻：城市更新")),
        (true, false)
    );
    assert_eq!(
        server.marks(server_id(&server, "第2条新闻：城市更新")),
        (true, false)
    );
}

#[test]
fn marks_made_on_the_server_reach_kanbao() {
    let Some((server, _feeds, kanbao)) = subscribed("pull", 3) else {
        return;
    };
    server.set(server_id(&server, "第1条新闻：城市更新"), 2, false);
    server.set(server_id(&server, "第3条新闻：城市更新"), 0, true);
    let said = kanbao.sync(&[]);
    assert!(said.contains("2 marks pulled"), "{said}");
    assert!(kanbao.article("第1条新闻：城市更新").1);
    assert!(kanbao.article("第3条新闻：城市更新").2);
    assert!(!kanbao.article("第2条新闻：城市更新").1);
}

#[test]
fn marks_made_offline_are_queued_and_pushed() {
    let Some((mut server, _feeds, kanbao)) = subscribed("offline", 2) else {
        return;
    };
    let agreed = kanbao.read(&kanbao.state_file("sync.json"));
    server.stop();
    let (first, _, _) = kanbao.article("第1条新闻：城市更新");
    kanbao.mark("read", &first);
    kanbao.mark("star", &first);
    let said = kanbao.sync_fails();
    assert!(said.contains("cannot reach TT-RSS"), "{said}");
    // Nothing lost: the marks kept, the sync state as it was.
    assert_eq!(
        kanbao.article("第1条新闻：城市更新"),
        (first.clone(), true, true)
    );
    assert_eq!(kanbao.read(&kanbao.state_file("sync.json")), agreed);
    server.serve();
    let said = kanbao.sync(&[]);
    assert!(said.contains("2 marks pushed"), "{said}");
    assert_eq!(
        server.marks(server_id(&server, "第1条新闻：城市更新")),
        (false, true)
    );
}

#[test]
fn conflicting_marks_take_the_side_that_changed() {
    let Some((server, _feeds, kanbao)) = subscribed("conflict", 3) else {
        return;
    };
    let title = |n: usize| format!("第{n}条新闻：城市更新");
    // 1: read on both sides — they agree, nothing to push or pull.
    kanbao.mark("read", &kanbao.article(&title(1)).0);
    server.set(server_id(&server, &title(1)), 2, false);
    // 2: read in kanbao, starred on the server — each side's change kept.
    kanbao.mark("read", &kanbao.article(&title(2)).0);
    server.set(server_id(&server, &title(2)), 0, true);
    // 3: starred then unstarred in kanbao (no change), read on the server.
    let third = kanbao.article(&title(3)).0;
    kanbao.mark("star", &third);
    kanbao.mark("unstar", &third);
    server.set(server_id(&server, &title(3)), 2, false);
    let said = kanbao.sync(&[]);
    assert!(said.contains("1 marks pushed, 2 marks pulled"), "{said}");
    assert!(kanbao.article(&title(1)).1);
    assert_eq!(server.marks(server_id(&server, &title(1))), (false, false));
    assert_eq!(
        kanbao.article(&title(2)),
        (kanbao.article(&title(2)).0, true, true)
    );
    assert_eq!(server.marks(server_id(&server, &title(2))), (false, true));
    assert_eq!(kanbao.article(&title(3)), (third, true, false));
    assert_eq!(server.marks(server_id(&server, &title(3))), (false, false));
    // Later, the server's change of a mark kanbao changed earlier wins.
    server.set(server_id(&server, &title(2)), 2, true);
    kanbao.sync(&[]);
    assert!(!kanbao.article(&title(2)).1);
}

/// Forwards connections to `to` while it is allowed to; after that, each
/// connection is closed as soon as the request arrives, as when a server
/// goes away in the middle of a sync.
struct Cutter {
    port: u16,
    allowed: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    acceptor: Option<thread::JoinHandle<()>>,
}

impl Cutter {
    fn start(to: u16, allowed: usize) -> Cutter {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let port = listener.local_addr().expect("address").port();
        let allowed = Arc::new(AtomicUsize::new(allowed));
        let stop = Arc::new(AtomicBool::new(false));
        let (left, halt) = (allowed.clone(), stop.clone());
        let acceptor = thread::spawn(move || {
            for client in listener.incoming() {
                if halt.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(mut client) = client else { continue };
                let pass = left
                    .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                    .is_ok();
                if !pass {
                    let _ = client.set_read_timeout(Some(Duration::from_millis(200)));
                    let _ = client.read(&mut [0; 1024]);
                    let _ = client.shutdown(Shutdown::Both);
                    continue;
                }
                let Ok(mut server) = TcpStream::connect(("127.0.0.1", to)) else {
                    continue;
                };
                let (mut c2, mut s2) = match (client.try_clone(), server.try_clone()) {
                    (Ok(c), Ok(s)) => (c, s),
                    _ => continue,
                };
                thread::spawn(move || {
                    let _ = std::io::copy(&mut c2, &mut s2);
                    let _ = s2.shutdown(Shutdown::Write);
                });
                thread::spawn(move || {
                    let _ = std::io::copy(&mut server, &mut client);
                    let _ = client.flush();
                    let _ = client.shutdown(Shutdown::Both);
                });
            }
        });
        Cutter {
            port,
            allowed,
            stop,
            acceptor: Some(acceptor),
        }
    }

    fn allow(&self, n: usize) {
        self.allowed.store(n, Ordering::SeqCst);
    }
}

impl Drop for Cutter {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
    }
}

#[test]
fn server_stopped_mid_sync_loses_nothing() {
    let Some(server) = ttrss::start("cut") else {
        return;
    };
    let feeds = feeds(3);
    let cutter = Cutter::start(server.port, usize::MAX);
    let password = format!(
        "password_command = [\"cat\", {:?}]",
        server.password_file().display().to_string()
    );
    let url = format!("http://127.0.0.1:{}/", cutter.port);
    let kanbao = Kanbao::new(&url, &server.user, &password, &feeds.url("/feed.xml"));
    kanbao.sync(&["--push-subscriptions"]);
    server.update();
    kanbao.sync(&[]);
    let agreed = kanbao.read(&kanbao.state_file("sync.json"));
    let (first, _, _) = kanbao.article("第1条新闻：城市更新");
    kanbao.mark("read", &first);
    server.set(server_id(&server, "第2条新闻：城市更新"), 0, true);
    // Login, categories, feeds, new headlines, unread, starred: then the
    // connection drops just before the marks are pushed.
    cutter.allow(6);
    let said = kanbao.sync_fails();
    assert!(said.contains("TT-RSS"), "{said}");
    assert_eq!(kanbao.read(&kanbao.state_file("sync.json")), agreed);
    assert!(kanbao.article("第1条新闻：城市更新").1);
    assert!(
        !kanbao.article("第2条新闻：城市更新").2,
        "nothing half-taken"
    );
    cutter.allow(usize::MAX);
    let said = kanbao.sync(&[]);
    assert!(said.contains("1 marks pushed, 1 marks pulled"), "{said}");
    assert_eq!(
        server.marks(server_id(&server, "第1条新闻：城市更新")),
        (false, false)
    );
    assert!(kanbao.article("第2条新闻：城市更新").2);
}

#[test]
fn a_wrong_password_is_one_line_and_keeps_the_queue() {
    let Some((server, feeds, kanbao)) = subscribed("password", 1) else {
        return;
    };
    let (id, _, _) = kanbao.article("第1条新闻：城市更新");
    kanbao.mark("read", &id);
    let wrong = Kanbao::new(
        &server.url,
        &server.user,
        "password = \"not-the-password\"",
        &feeds.url("/feed.xml"),
    );
    // The same state folder: the queued mark is the one just made.
    std::fs::create_dir_all(wrong.dir.path().join("state/kanbao")).expect("state folder");
    for name in ["state.json", "sync.json"] {
        std::fs::copy(kanbao.state_file(name), wrong.state_file(name)).expect("copy state");
    }
    let said = wrong.sync_fails();
    assert!(
        said.contains(&format!(
            "refused user \"{}\": wrong user or password",
            server.user
        )),
        "{said}"
    );
    assert_eq!(
        wrong.read(&wrong.state_file("sync.json")),
        kanbao.read(&kanbao.state_file("sync.json"))
    );
    assert!(wrong.read(&wrong.state_file("state.json")).contains(&id));
    // `kanbao check` warns of a password kept in the file.
    let check = wrong.run(&["check"]);
    let check = String::from_utf8_lossy(&check.stdout);
    assert!(
        check.contains("[sync] password is stored in plain text"),
        "{check}"
    );
    // With the right one the mark goes through.
    kanbao.sync(&[]);
    assert!(!server.marks(server_id(&server, "第1条新闻：城市更新")).0);
}
