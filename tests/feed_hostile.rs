//! Feeds written to hurt the machine that reads them: entity expansion
//! ("billion laughs"), external entities that would read local files or
//! call a server, and nesting deep enough to overflow a recursive parser's
//! stack. Each goes through `source::feed_file::parse` and the item's text, as a
//! fetch does, on a thread with the 2 MiB stack of the reader's fetch
//! worker.

use std::time::{Duration, Instant};

use kanbao::source::feed_file::{ParsedFeed, parse};

mod common;

use common::server::{Response, Server};

/// The stack of a spawned thread (Rust's default), where fetches run.
const WORKER_STACK: usize = 2 * 1024 * 1024;

/// Parses `xml` on a worker-sized thread: the feed, or its error, and the
/// items' texts (title, paragraphs, links) as one string.
fn parse_on_worker(xml: String) -> (Result<ParsedFeed, String>, String, Duration) {
    let worker = std::thread::Builder::new()
        .stack_size(WORKER_STACK)
        .spawn(move || {
            let start = Instant::now();
            let parsed = parse(xml.as_bytes(), None, None);
            let mut text = String::new();
            if let Ok(feed) = &parsed {
                text.push_str(feed.title.as_deref().unwrap_or(""));
                for item in &feed.items {
                    let article = item.to_article("store/x.txt");
                    text.push_str(article.title.as_deref().unwrap_or(""));
                    for p in &article.paragraphs {
                        text.push_str(p);
                    }
                    for l in &article.links {
                        text.push_str(&l.text);
                        text.push_str(&l.url);
                    }
                }
            }
            (parsed, text, start.elapsed())
        })
        .expect("spawn a thread");
    worker.join().expect("the parse did not panic")
}

/// Nine levels of ten: `&lol9;` would be 10^9 copies of `lol` (3 GB).
fn billion_laughs(body_ref: &str) -> String {
    let mut xml =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n <!ENTITY lol \"lol\">\n");
    for level in 1..=9 {
        let prev = if level == 1 {
            "lol".to_owned()
        } else {
            format!("lol{}", level - 1)
        };
        xml.push_str(&format!(
            " <!ENTITY lol{level} \"{}\">\n",
            format!("&{prev};").repeat(10)
        ));
    }
    xml.push_str("]>\n");
    xml.push_str(&format!(
        "<rss version=\"2.0\"><channel><title>笑{body_ref}</title>\
         <item><title>标题{body_ref}</title><guid>g1</guid>\
         <description>正文{body_ref}</description></item></channel></rss>\n"
    ));
    xml
}

#[test]
fn entity_expansion_is_refused_or_bounded() {
    for reference in ["&lol9;", "&lol9;&lol9;&lol9;"] {
        let (parsed, text, took) = parse_on_worker(billion_laughs(reference));
        assert!(
            text.len() < 10_000,
            "{} bytes of text from {reference}",
            text.len()
        );
        assert!(
            !text.contains("lollol"),
            "entities were expanded: {text:.200}"
        );
        assert!(took < Duration::from_secs(2), "took {took:?}");
        if let Ok(feed) = parsed {
            // Read without the entity: the rest of the item is kept.
            let article = feed.items.first().map(|i| i.to_article("x"));
            let title = article.and_then(|a| a.title).unwrap_or_default();
            assert!(title.starts_with("标题"), "{title:?}");
        }
    }
}

#[test]
fn external_entities_read_no_file_and_call_no_server() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let secret = dir.path().join("secret.txt");
    std::fs::write(&secret, "绝密内容 top-secret-4417").expect("write the secret");
    let server = Server::start();
    server.route("/xxe", Response::ok("服务器内容 server-secret-9923"));
    server.route("/dtd", Response::ok("<!ENTITY leak \"dtd-secret-5531\">"));
    let file = format!("file://{}", secret.display());
    let xml = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n\
         <!ENTITY file SYSTEM \"{file}\">\n\
         <!ENTITY web SYSTEM \"{web}\">\n\
         <!ENTITY % remote SYSTEM \"{dtd}\">\n%remote;\n\
         ]>\n<rss version=\"2.0\"><channel><title>外部&file;</title>\
         <item><title>标题&file;&web;&leak;</title><guid>g1</guid>\
         <link>http://127.0.0.1/1</link>\
         <description><![CDATA[<p>正文</p>]]>&web;</description></item></channel></rss>\n",
        web = server.url("/xxe"),
        dtd = server.url("/dtd"),
    );
    let (_parsed, text, _) = parse_on_worker(xml);
    for leaked in ["top-secret-4417", "server-secret-9923", "dtd-secret-5531"] {
        assert!(!text.contains(leaked), "{leaked} leaked into {text:?}");
    }
    assert!(
        server.requests().is_empty(),
        "the parser called the server: {:?}",
        server.requests()
    );
}

/// `depth` unknown elements nested inside an RSS item.
fn nested_rss(depth: usize) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>深</title>\
         <item><title>深处</title><guid>g1</guid>",
    );
    xml.push_str(&"<x>".repeat(depth));
    xml.push_str("文字");
    xml.push_str(&"</x>".repeat(depth));
    xml.push_str("<description>之后</description></item></channel></rss>\n");
    xml
}

/// `depth` nested `<div>`s as an Atom entry's XHTML content, which the feed
/// parser copies out element by element.
fn nested_atom_xhtml(depth: usize) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>深</title>\
         <entry><title>深处</title><id>g1</id><content type=\"xhtml\">",
    );
    xml.push_str(&"<div>".repeat(depth));
    xml.push_str("深处的文字");
    xml.push_str(&"</div>".repeat(depth));
    xml.push_str("</content></entry></feed>\n");
    xml
}

#[test]
fn a_hundred_thousand_nested_elements_do_not_overflow_the_stack() {
    // Past 65,535 levels the XML reader refuses the feed with a one-line
    // error; below that it reads it, without recursion.
    for depth in [60_000, 100_000] {
        for (kind, xml) in [
            ("rss", nested_rss(depth)),
            ("atom", nested_atom_xhtml(depth)),
        ] {
            let (parsed, text, took) = parse_on_worker(xml);
            assert!(
                took < Duration::from_secs(5),
                "{kind} {depth}: took {took:?}"
            );
            match parsed {
                Ok(_) if depth < 65_536 => assert!(text.contains("深处"), "{kind}: {text:.100}"),
                Ok(_) => panic!("{kind} {depth}: read past the XML reader's limit"),
                Err(e) => {
                    assert!(depth >= 65_536, "{kind} {depth}: {e}");
                    assert!(!e.contains('\n'), "{e}");
                    assert!(e.contains("deeper"), "{e}");
                }
            }
        }
    }
}

#[test]
fn a_hundred_thousand_nested_html_tags_in_an_item_keep_its_text() {
    let html = "<div>".repeat(100_000) + "深处的文字" + &"</div>".repeat(100_000);
    let xml = format!(
        "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>深</title>\
         <item><title>深处</title><guid>g1</guid>\
         <description><![CDATA[{html}]]></description></item></channel></rss>\n"
    );
    let (parsed, text, took) = parse_on_worker(xml);
    assert!(parsed.is_ok(), "{parsed:?}");
    assert!(text.contains("深处的文字"), "{text:.200}");
    assert!(took < Duration::from_secs(5), "took {took:?}");
}
