//! Two-way sync against a real Fever server (issue 19): coldsweat from
//! PyPI, brought up by tests/servers/coldsweat.sh. The test feeds are
//! served on 127.0.0.1 by the tests' own HTTP server and carry a square
//! icon there, so coldsweat never asks an outside service for one.
//!
//! Where coldsweat cannot be installed the tests say so and pass, except
//! under CI (`CI` set), where they must run.

mod common;

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

use common::coldsweat::{self, Coldsweat};
use common::server::Server;

/// A feed of `n` items with Chinese text and a square icon, on 127.0.0.1.
fn feeds(n: usize) -> Server {
    let server = Server::start();
    let origin = server.url("").trim_end_matches('/').to_owned();
    let mut items = String::new();
    for i in 1..=n {
        items.push_str(&format!(
            "<item><title>第{i}条：乡村振兴</title><link>{origin}/news/{i}.html</link>\
             <guid>{origin}/news/{i}.html</guid>\
             <pubDate>Sat, 05 Dec 2026 08:{i:02}:00 +0000</pubDate>\
             <description><![CDATA[<p>　　本报讯　第{i}条的正文，讲乡村振兴。</p>\
             <p>第二段：“家门口”就业。</p>]]></description></item>"
        ));
    }
    let rss = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel>\
         <title>福报</title><link>{origin}/</link><description>测试</description>\
         <image><url>{origin}/icon.png</url><title>福报</title><link>{origin}/</link>\
         <width>16</width><height>16</height></image>{items}</channel></rss>"
    );
    server.serve_feed(rss);
    server
}

struct Kanbao {
    dir: tempfile::TempDir,
}

impl Kanbao {
    fn new(server: &Coldsweat, password: &str) -> Kanbao {
        let dir = tempfile::tempdir().expect("temporary folder");
        let config = format!(
            "[sync]\nkind = \"fever\"\nurl = \"{}\"\nuser = \"{}\"\n{password}\n",
            server.url, server.email
        );
        std::fs::write(dir.path().join("config.toml"), config).expect("write config");
        Kanbao { dir }
    }

    fn with(server: &Coldsweat) -> Kanbao {
        let password = format!(
            "password_command = [\"cat\", {:?}]",
            server.password_file().display().to_string()
        );
        Kanbao::new(server, &password)
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

    fn sync(&self) -> String {
        let output = self.run(&["sync"]);
        assert!(
            output.status.success(),
            "kanbao sync failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    fn sync_fails(&self) -> String {
        let output = self.run(&["sync"]);
        assert!(!output.status.success(), "kanbao sync should have failed");
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
        stderr
    }

    /// kanbao's article titled `title`: (id, read, starred).
    fn article(&self, title: &str) -> (String, bool, bool) {
        let output = self.run(&["list", "--json"]);
        let list: Value = serde_json::from_slice(&output.stdout).expect("list --json");
        let a = list["articles"]
            .as_array()
            .and_then(|a| a.iter().find(|a| a["title"] == title).cloned())
            .unwrap_or_else(|| panic!("no article {title}"));
        (
            a["id"].as_str().expect("id").to_owned(),
            a["read"].as_bool().expect("read"),
            a["starred"].as_bool().expect("starred"),
        )
    }

    fn mark(&self, action: &str, id: &str) {
        assert!(self.run(&["mark", action, id]).status.success());
    }

    fn state_file(&self, name: &str) -> PathBuf {
        self.dir.path().join("state/kanbao").join(name)
    }
}

/// coldsweat subscribed to a feed of `n` items, and kanbao synced once.
fn subscribed(n: usize) -> Option<(Coldsweat, Server, Kanbao)> {
    let server = coldsweat::start()?;
    let feeds = feeds(n);
    server.subscribe(&feeds.url("/feed.xml"));
    let kanbao = Kanbao::with(&server);
    let said = kanbao.sync();
    assert!(said.contains(&format!("1 feed, {n} new items")), "{said}");
    Some((server, feeds, kanbao))
}

fn server_id(server: &Coldsweat, title: &str) -> i64 {
    server
        .items()
        .into_iter()
        .find(|(_, t)| t == title)
        .unwrap_or_else(|| panic!("no item {title} on the server"))
        .0
}

#[test]
fn fever_items_are_fetched_and_read_offline() {
    let Some((server, feeds, kanbao)) = subscribed(3) else {
        return;
    };
    // Nothing but 127.0.0.1 was asked for the feed and its icon.
    let paths: Vec<String> = feeds.requests().into_iter().map(|r| r.path).collect();
    assert!(paths.contains(&"/icon.png".to_owned()), "{paths:?}");
    let (id, _, _) = kanbao.article("第2条：乡村振兴");
    drop(server);
    let shown = kanbao.run(&["show", &id, "--json"]);
    let text = String::from_utf8_lossy(&shown.stdout);
    assert!(text.contains("本报讯　第2条的正文，讲乡村振兴。"), "{text}");
    assert!(text.contains("第二段：“家门口”就业。"), "{text}");
    let check = kanbao.run(&["check"]);
    let check = String::from_utf8_lossy(&check.stdout);
    // The title the subscription was given (the OPML outline's).
    assert!(check.contains("(测试) from the sync server"), "{check}");
}

#[test]
fn fever_marks_go_both_ways() {
    let Some((server, _feeds, kanbao)) = subscribed(3) else {
        return;
    };
    let (first, _, _) = kanbao.article("第1条：乡村振兴");
    kanbao.mark("read", &first);
    kanbao.mark("star", &first);
    server.mark(server_id(&server, "第2条：乡村振兴"), "read");
    server.mark(server_id(&server, "第3条：乡村振兴"), "saved");
    let said = kanbao.sync();
    assert!(said.contains("2 marks pushed, 2 marks pulled"), "{said}");
    assert_eq!(
        server.marks(server_id(&server, "第1条：乡村振兴")),
        (false, true)
    );
    assert!(kanbao.article("第2条：乡村振兴").1);
    assert!(kanbao.article("第3条：乡村振兴").2);
    // Back again, the other way round.
    kanbao.mark("unstar", &first);
    server.mark(server_id(&server, "第2条：乡村振兴"), "unread");
    let said = kanbao.sync();
    assert!(said.contains("1 marks pushed, 1 marks pulled"), "{said}");
    assert_eq!(
        server.marks(server_id(&server, "第1条：乡村振兴")),
        (false, false)
    );
    assert!(!kanbao.article("第2条：乡村振兴").1);
}

#[test]
fn fever_marks_made_offline_are_pushed_later() {
    let Some((mut server, _feeds, kanbao)) = subscribed(2) else {
        return;
    };
    let agreed = std::fs::read_to_string(kanbao.state_file("sync.json")).expect("sync.json");
    let url = server.url.clone();
    let id = server_id(&server, "第1条：乡村振兴");
    server.stop();
    let (first, _, _) = kanbao.article("第1条：乡村振兴");
    kanbao.mark("read", &first);
    let said = kanbao.sync_fails();
    assert!(
        said.contains(&format!("cannot reach the Fever server at {url}")),
        "{said}"
    );
    assert!(kanbao.article("第1条：乡村振兴").1);
    let kept = std::fs::read_to_string(kanbao.state_file("sync.json")).expect("sync.json");
    assert_eq!(kept, agreed);
    server.serve();
    let said = kanbao.sync();
    assert!(said.contains("1 marks pushed"), "{said}");
    assert_eq!(server.marks(id), (false, false));
}

#[test]
fn fever_wrong_password_is_one_line() {
    let Some(server) = coldsweat::start() else {
        return;
    };
    let kanbao = Kanbao::new(&server, "password = \"not-the-password\"");
    let said = kanbao.sync_fails();
    assert!(
        said.contains(&format!(
            "refused user \"{}\": wrong user or password",
            server.email
        )),
        "{said}"
    );
    assert!(!kanbao.state_file("sync.json").exists());
}
