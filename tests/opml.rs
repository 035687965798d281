//! OPML import and export: [`opml::import`] on real-looking feed lists
//! (fixtures in `tests/fixtures/opml/`), what it keeps of the config text,
//! the ids it makes, its exact one-line errors, [`opml::export`], and
//! `kanbao import opml` / `kanbao export opml` run as a user runs them.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::run::Run;
use kanbao::config::{self, Config};
use kanbao::feed::opml::{self, AddedFeed, Imported};
use rstest::rstest;
use tempfile::TempDir;

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

fn fixture(name: &str) -> PathBuf {
    Path::new(MANIFEST_DIR)
        .join("tests/fixtures/opml")
        .join(name)
}

fn fixture_text(name: &str) -> String {
    fs::read_to_string(fixture(name)).expect("read the fixture")
}

/// The repository's own commented `config.toml`.
fn shipped_config() -> String {
    fs::read_to_string(Path::new(MANIFEST_DIR).join("config.toml")).expect("read config.toml")
}

fn parse(text: &str) -> Config {
    config::parse(text, Path::new("/archive/config.toml"), "config.toml")
        .unwrap_or_else(|e| panic!("the config does not pass its check: {e}\n{text}"))
}

fn import(config_text: &str, opml_text: &str) -> Imported {
    opml::import(config_text, opml_text).unwrap_or_else(|e| panic!("import failed: {e}"))
}

fn feed(id: &str, title: &str, url: &str, section: Option<&str>) -> AddedFeed {
    AddedFeed {
        id: id.to_owned(),
        title: title.to_owned(),
        url: url.to_owned(),
        section: section.map(str::to_owned),
    }
}

fn skip(what: &str, why: &str) -> (String, String) {
    (what.to_owned(), why.to_owned())
}

/// The web feeds of a config as import sees them: id, title, url, section.
fn web_feeds(config: &Config) -> Vec<AddedFeed> {
    config
        .feeds
        .iter()
        .filter_map(|f| match &f.source {
            Some(config::FeedSource::Url(url)) => Some(AddedFeed {
                id: f.id.clone(),
                title: f.title.clone(),
                url: url.clone(),
                section: f.section.clone(),
            }),
            _ => None,
        })
        .collect()
}

/// What `subscriptions.opml` adds to a config that has none of its feeds.
fn subscriptions_added() -> Vec<AddedFeed> {
    vec![
        feed(
            "people-politics",
            "人民网 - 时政频道",
            "http://www.people.com.cn/rss/politics.xml",
            Some("国内"),
        ),
        feed(
            "xinhuanet-politics-news-politics",
            "新华网 新闻",
            "http://www.xinhuanet.com/politics/news_politics.xml",
            Some("国内"),
        ),
        feed(
            "rsshub-zaobao-realtime-china",
            "联合早报 · 即时新闻",
            "https://rsshub.app/zaobao/realtime/china?limit=20&format=atom",
            Some("新闻"),
        ),
        feed(
            "bbci-zhongwen-simp",
            "BBC 中文网",
            "https://feeds.bbci.co.uk/zhongwen/simp/rss.xml",
            Some("新闻"),
        ),
        feed("sspai", "少数派", "https://sspai.com/feed", Some("科技")),
        feed(
            "solidot",
            "Solidot",
            "https://www.solidot.org/index.rss",
            Some("科技"),
        ),
        feed(
            "hacker-news",
            "Hacker News",
            "https://news.ycombinator.com/rss",
            None,
        ),
    ]
}

#[test]
fn a_realistic_feed_list_adds_its_feeds_and_says_what_it_skipped() {
    let imported = import(&shipped_config(), &fixture_text("subscriptions.opml"));
    assert_eq!(imported.added, subscriptions_added());
    assert_eq!(
        imported.skipped,
        vec![
            skip("36氪 网页版", "no xmlUrl, so not a feed"),
            skip("阮一峰的网络日志", "no xmlUrl, so not a feed"),
            skip(
                "https://sspai.com/feed/",
                "listed twice; added once as \"sspai\""
            ),
            skip(
                "file:///home/me/feed.xml",
                "not an http:// or https:// address"
            ),
            skip("https://example.com/podcast", "type \"link\" is not a feed"),
            skip("空文件夹", "no xmlUrl, so not a feed"),
        ]
    );
}

#[test]
fn the_shipped_config_keeps_every_byte_and_passes_its_check() {
    let old = shipped_config();
    let imported = import(&old, &fixture_text("subscriptions.opml"));
    assert!(
        imported.text.starts_with(&old),
        "the old text is not a prefix of the new:\n{}",
        imported.text
    );
    let appended = &imported.text[old.len()..];
    assert!(
        appended.starts_with("\n[[feeds]]\nid = \"people-politics\"\n"),
        "{appended}"
    );
    let before = parse(&old);
    let after = parse(&imported.text);
    assert_eq!(after.feeds[..before.feeds.len()], before.feeds[..]);
    assert_eq!(
        web_feeds(&after)[web_feeds(&before).len()..],
        subscriptions_added()[..]
    );
    assert_eq!(
        (after.text, after.keymap, after.theme, after.ui),
        (before.text, before.keymap, before.theme, before.ui)
    );
    let new = &after.feeds[before.feeds.len()..];
    assert!(new.iter().all(|f| f.kind == config::FeedKind::Feed));
    assert_eq!(new[0].path, Path::new("/archive/feeds/people-politics"));
}

#[test]
fn the_tables_are_written_plainly() {
    let imported = import(
        "",
        r#"<opml version="2.0"><body>
             <outline text="要闻"><outline text="南方周末" xmlUrl="https://www.infzm.com/rss/home.xml"/></outline>
             <outline title="Say &quot;hi&quot; \o/" xmlUrl="https://example.com/say"/>
           </body></opml>"#,
    );
    assert_eq!(
        imported.text,
        r#"[[feeds]]
id = "infzm-home"
title = "南方周末"
kind = "feed"
url = "https://www.infzm.com/rss/home.xml"
section = "要闻"

[[feeds]]
id = "say-hi-o"
title = 'Say "hi" \o/'
kind = "feed"
url = "https://example.com/say"
"#
    );
    parse(&imported.text);
}

const ONE_FEED_OPML: &str = r#"<opml version="2.0"><body><outline text="Rust Blog" xmlUrl="https://blog.rust-lang.org/feed.xml"/></body></opml>"#;

const RUST_BLOG_TABLE: &str = "[[feeds]]\nid = \"rust-blog\"\ntitle = \"Rust Blog\"\nkind = \"feed\"\nurl = \"https://blog.rust-lang.org/feed.xml\"\n";

#[rstest]
#[case::empty("", RUST_BLOG_TABLE.to_owned())]
#[case::only_comments(
    "# my feeds\n",
    format!("# my feeds\n\n{RUST_BLOG_TABLE}")
)]
#[case::blank_line_at_the_end("[ui]\nmouse = false\n\n", format!("[ui]\nmouse = false\n\n{RUST_BLOG_TABLE}"))]
#[case::no_newline_at_the_end(
    "[ui]\nmouse = false # the end",
    format!("[ui]\nmouse = false # the end\n\n{RUST_BLOG_TABLE}")
)]
#[case::crlf(
    "# 看报\r\n[text]\r\nindent = 4\r\n",
    format!("# 看报\r\n[text]\r\nindent = 4\r\n\r\n{}", RUST_BLOG_TABLE.replace('\n', "\r\n"))
)]
#[case::byte_order_mark(
    "\u{feff}[text]\nindent = 4\n",
    format!("\u{feff}[text]\nindent = 4\n\n{RUST_BLOG_TABLE}")
)]
#[case::inline_array(
    "feeds = []\n\n[text]\nindent = 4\n",
    "feeds = [\n    { id = \"rust-blog\", title = \"Rust Blog\", kind = \"feed\", url = \"https://blog.rust-lang.org/feed.xml\" },\n]\n\n[text]\nindent = 4\n".to_owned()
)]
fn the_new_tables_follow_the_old_text(#[case] old: &str, #[case] expected: String) {
    let imported = import(old, ONE_FEED_OPML);
    assert_eq!(imported.text, expected);
    let body = imported.text.trim_start_matches('\u{feff}');
    let config = parse(body);
    assert_eq!(config.feeds.len(), 1);
    assert_eq!(config.feeds[0].id, "rust-blog");
}

#[test]
fn export_then_import_gives_the_same_feeds() {
    let first = import(&shipped_config(), &fixture_text("subscriptions.opml"));
    let config = parse(&first.text);
    let exported = opml::export(&config);
    let second = import("", &exported);
    assert_eq!(second.added, web_feeds(&config));
    assert_eq!(second.added, subscriptions_added());
    assert_eq!(second.skipped, vec![]);
    assert_eq!(web_feeds(&parse(&second.text)), subscriptions_added());
    assert_eq!(
        opml::export(&parse(&second.text)).lines().count() + 1,
        exported.lines().count(),
        "the same OPML but for the comment naming the pages feed"
    );
}

#[test]
fn importing_twice_adds_nothing_and_leaves_the_text_alone() {
    let first = import(&shipped_config(), &fixture_text("subscriptions.opml"));
    let second = import(&first.text, &fixture_text("subscriptions.opml"));
    assert_eq!(second.added, vec![]);
    assert_eq!(second.text, first.text);
    assert_eq!(
        second.skipped[..3],
        [
            skip(
                "http://www.people.com.cn/rss/politics.xml",
                "already in the config as \"people-politics\""
            ),
            skip(
                "http://www.xinhuanet.com/politics/news_politics.xml",
                "already in the config as \"xinhuanet-politics-news-politics\""
            ),
            skip(
                "https://rsshub.app/zaobao/realtime/china?limit=20&format=atom",
                "already in the config as \"rsshub-zaobao-realtime-china\""
            ),
        ]
    );
    assert_eq!(second.skipped.len(), 7 + 6);
}

#[test]
fn a_url_already_in_the_config_is_skipped_with_or_without_its_trailing_slash() {
    let config = r#"[[feeds]]
id = "ex"
title = "例"
kind = "feed"
url = "https://example.com/feed/"
"#;
    let imported = import(
        config,
        r#"<opml version="2.0"><body>
            <outline text="甲" xmlUrl="https://example.com/feed"/>
            <outline text="乙" xmlUrl="https://example.com/feed/"/>
            <outline text="丙" xmlUrl="https://example.com/other"/>
            <outline text="丁" xmlUrl="https://example.com/other"/>
            <outline text="戊" xmlUrl="https://example.com/other/"/>
            <outline text="己" xmlUrl="https://EXAMPLE.com/other"/>
        </body></opml>"#,
    );
    assert_eq!(
        imported.added,
        vec![
            feed("example-other", "丙", "https://example.com/other", None),
            feed("example-other-2", "己", "https://EXAMPLE.com/other", None),
        ]
    );
    assert_eq!(
        imported.skipped,
        vec![
            skip(
                "https://example.com/feed",
                "already in the config as \"ex\""
            ),
            skip(
                "https://example.com/feed/",
                "already in the config as \"ex\""
            ),
            skip(
                "https://example.com/other",
                "listed twice; added once as \"example-other\""
            ),
            skip(
                "https://example.com/other/",
                "listed twice; added once as \"example-other\""
            ),
        ]
    );
}

#[rstest]
#[case::ascii_title("Hacker News", "https://news.ycombinator.com/rss", "hacker-news")]
#[case::chinese_title_uses_the_url(
    "人民网",
    "http://www.people.com.cn/rss/politics.xml",
    "people-politics"
)]
#[case::mixed_title_uses_the_url(
    "BBC 中文网",
    "https://feeds.bbci.co.uk/zhongwen/simp/rss.xml",
    "bbci-zhongwen-simp"
)]
#[case::no_title_uses_the_url(
    "",
    "http://example.com/rss.php?cat=politics&page=2",
    "example-politics"
)]
#[case::percent_encoded_path("新闻", "https://rsshub.app/%E6%96%B0%E9%97%BB/feed", "rsshub")]
#[case::address_and_port(
    "知乎日报",
    "http://127.0.0.1:8080/zhihu/daily",
    "127-0-0-1-zhihu-daily"
)]
#[case::user_name(
    "日报",
    "https://me:secret@news.example.org/daily.atom",
    "news-example-daily"
)]
#[case::long_title(
    "A Very Long English Title That Goes On And On Beyond Forty Characters",
    "https://example.com/",
    "a-very-long-english-title-that-goes-on"
)]
#[case::nothing_ascii("中文", "https://中文.example/", "feed")]
fn ids_come_from_an_ascii_title_else_the_url(
    #[case] title: &str,
    #[case] url: &str,
    #[case] id: &str,
) {
    let opml_text = format!(
        r#"<opml version="2.0"><body><outline text="{title}" xmlUrl="{}"/></body></opml>"#,
        url.replace('&', "&amp;")
    );
    let imported = import("", &opml_text);
    assert_eq!(imported.added.len(), 1, "{:?}", imported.skipped);
    assert_eq!(imported.added[0].id, id);
    parse(&imported.text);
}

#[test]
fn ids_are_unique_against_the_config_and_each_other() {
    let config = r#"[[feeds]]
id = "news"
title = "新闻"
kind = "pages"
path = "feeds/news"

[[feeds]]
id = "news-3"
title = "新闻三"
kind = "pages"
path = "feeds/news-3"
"#;
    let outlines: String = (1..=3)
        .map(|n| format!(r#"<outline text="News" xmlUrl="https://example.com/{n}"/>"#))
        .collect();
    let imported = import(
        config,
        &format!(r#"<opml version="2.0"><body>{outlines}</body></opml>"#),
    );
    let ids: Vec<&str> = imported.added.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, ["news-2", "news-4", "news-5"]);
    let all: Vec<String> = parse(&imported.text)
        .feeds
        .into_iter()
        .map(|f| f.id)
        .collect();
    assert_eq!(all, ["news", "news-3", "news-2", "news-4", "news-5"]);
}

#[test]
fn the_nearest_category_is_the_section() {
    let imported = import(
        "",
        r#"<opml version="2.0"><body>
            <outline text="新闻">
              <outline type="rss" text="甲" xmlUrl="https://a.example/rss"/>
              <outline title="国际">
                <outline type="atom" title="乙" text="乙报" xmlUrl="https://b.example/atom"/>
                <outline text="  ">
                  <outline text="丙" xmlUrl="https://c.example/rss"/>
                </outline>
              </outline>
              <outline text="丁" xmlUrl="https://d.example/rss">
                <outline text="戊" xmlUrl="https://e.example/rss"/>
              </outline>
            </outline>
            <outline text=" " title="" xmlUrl=" https://f.example/feed "/>
        </body></opml>"#,
    );
    assert_eq!(
        imported.added,
        vec![
            feed("a", "甲", "https://a.example/rss", Some("新闻")),
            feed("b", "乙", "https://b.example/atom", Some("国际")),
            feed("c", "丙", "https://c.example/rss", Some("国际")),
            feed("d", "丁", "https://d.example/rss", Some("新闻")),
            feed("e", "戊", "https://e.example/rss", Some("新闻")),
            feed("f", "f.example", "https://f.example/feed", None),
        ]
    );
    assert_eq!(imported.skipped, vec![]);
}

#[test]
fn titles_lose_control_characters_and_extra_spaces() {
    let imported = import(
        "",
        "<opml version=\"2.0\"><body><outline text=\" 人民网\u{7}\t\n 时政 \" \
         xmlUrl=\"http://www.people.com.cn/rss/politics.xml\"/></body></opml>",
    );
    assert_eq!(imported.added[0].title, "人民网 时政");
}

#[test]
fn addresses_the_config_would_refuse_are_skipped() {
    let imported = import(
        "",
        r#"<opml version="2.0"><body>
            <outline text="a" xmlUrl="feed://example.com/rss"/>
            <outline text="b" xmlUrl="https://example.com/my feed.xml"/>
            <outline text="c" xmlUrl="https:///rss.xml"/>
            <outline text="d" xmlUrl="HTTPS://example.com/rss.xml"/>
            <outline text="e" type="include" xmlUrl="https://example.com/more.opml"/>
        </body></opml>"#,
    );
    assert_eq!(
        imported.added,
        vec![feed("d", "d", "HTTPS://example.com/rss.xml", None)]
    );
    assert_eq!(
        imported.skipped,
        vec![
            skip(
                "feed://example.com/rss",
                "not an http:// or https:// address"
            ),
            skip(
                "https://example.com/my feed.xml",
                "the address contains spaces or control characters"
            ),
            skip("https:///rss.xml", "the address names no host"),
            skip(
                "https://example.com/more.opml",
                "type \"include\" is not a feed"
            ),
        ]
    );
}

const NOT_XML: &str = "not XML: no element found; export the feed list from your feed reader as OPML (.opml) and import that file";
const NO_FEEDS: &str = "no feeds in this OPML file: no <outline> has an xmlUrl; export the list of feeds (subscriptions) from your feed reader and import that";

#[rstest]
#[case::empty("", NOT_XML)]
#[case::plain_text("订阅列表\nhttps://example.com/rss\n", NOT_XML)]
#[case::json(r#"{"feeds": ["https://example.com/rss"]}"#, NOT_XML)]
#[case::only_a_declaration(r#"<?xml version="1.0"?>"#, NOT_XML)]
#[case::html(
    "<!DOCTYPE html>\n<html><body><p>订阅</p></body></html>",
    "not an OPML file: the root element is <html>, not <opml>; export the feed list from your feed reader as OPML and import that file"
)]
#[case::rss(
    r#"<?xml version="1.0"?><rss version="2.0"><channel><title>新闻</title></channel></rss>"#,
    "not an OPML file but a web feed (<rss>); add it to config.toml as a [[feeds]] table with kind = \"feed\" and its url"
)]
#[case::atom(
    r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>新闻</title></feed>"#,
    "not an OPML file but a web feed (<feed>); add it to config.toml as a [[feeds]] table with kind = \"feed\" and its url"
)]
#[case::no_outlines(r#"<opml version="2.0"><head/><body/></opml>"#, NO_FEEDS)]
#[case::outlines_without_xml_url(
    r#"<opml version="2.0"><body><outline text="新闻"><outline text="人民网" htmlUrl="http://www.people.com.cn/"/></outline></body></opml>"#,
    NO_FEEDS
)]
#[case::cut_short(
    "<opml version=\"2.0\">\n<body>\n<outline text=\"新闻\">\n<outline text=\"甲\" xmlUrl=\"https://a.example/rss\"/>\n",
    "not well-formed XML at line 5: the file ends before </opml>; it may be cut short, so export the feed list from your feed reader again"
)]
#[case::mismatched_end(
    "<opml version=\"2.0\">\n<body>\n</opml>",
    "not well-formed XML at line 3: ill-formed document: expected `</body>`, but `</opml>` was found; fix that line, or export the feed list from your feed reader again"
)]
#[case::unknown_entity(
    "<opml version=\"2.0\">\n<body>\n<outline text=\"a&nbsp;b\" xmlUrl=\"https://a.example/rss\"/>\n</body>\n</opml>",
    "not well-formed XML at line 3: unrecognized entity `nbsp`; fix that line, or export the feed list from your feed reader again"
)]
#[case::unquoted_attribute(
    "<opml version=\"2.0\">\n<body>\n<outline text=a xmlUrl=\"https://a.example/rss\"/>\n</body>\n</opml>",
    "not well-formed XML at line 3: an attribute value not in quotes; fix that line, or export the feed list from your feed reader again"
)]
#[case::attribute_twice_on_a_later_line(
    "<opml version=\"2.0\">\n<body>\n<outline text=\"甲\"\n   xmlUrl=\"https://a.example/rss\"\n   xmlUrl=\"https://b.example/rss\"/>\n</body>\n</opml>",
    "not well-formed XML at line 5: an attribute given twice; fix that line, or export the feed list from your feed reader again"
)]
#[case::entity_on_a_later_line(
    "<opml version=\"2.0\">\n<body>\n<outline\n   xmlUrl=\"https://a.example/rss\"\n   text=\"a&nbsp;b\"/>\n</body>\n</opml>",
    "not well-formed XML at line 5: unrecognized entity `nbsp`; fix that line, or export the feed list from your feed reader again"
)]
#[case::bad_character_reference(
    "<opml version=\"2.0\"><body><outline text=\"&#xD800;\" xmlUrl=\"https://a.example/rss\"/></body></opml>",
    "not well-formed XML at line 1: invalid character reference: `55296` is not a valid codepoint; fix that line, or export the feed list from your feed reader again"
)]
fn bad_files_get_one_line_saying_what_to_do(#[case] opml_text: &str, #[case] message: &str) {
    assert_eq!(opml::import("", opml_text), Err(message.to_owned()));
    assert!(!message.contains('\n'));
}

#[test]
fn an_invalid_config_is_reported_with_its_place() {
    assert_eq!(
        opml::import("[text]\nindent = 9\n", ONE_FEED_OPML),
        Err("config.toml:2:10: invalid value for \"indent\" in [text]: expected a whole number 0-8, found 9".to_owned())
    );
}

#[rstest]
#[case::gbk("gbk.opml", "南方周末", "要闻")]
#[case::big5("big5.opml", "南方週末", "要聞")]
#[case::utf16_with_a_byte_order_mark("utf16.opml", "南方周末", "要闻")]
fn a_declared_encoding_is_honoured(#[case] name: &str, #[case] title: &str, #[case] section: &str) {
    let bytes = fs::read(fixture(name)).expect("read the fixture");
    let text = opml::decode(&bytes).expect("decode");
    let imported = import("", &text);
    assert_eq!(
        imported.added,
        vec![feed(
            "infzm-home",
            title,
            "https://www.infzm.com/rss/home.xml",
            Some(section)
        )]
    );
}

#[rstest]
#[case::utf8_with_a_byte_order_mark(b"\xef\xbb\xbf<opml/>", Ok("<opml/>"))]
#[case::undeclared_utf8("<opml>看报</opml>".as_bytes(), Ok("<opml>看报</opml>"))]
#[case::gb2312_is_read_as_gb18030(
    b"<?xml version='1.0' encoding='gb2312'?><opml>\xbf\xb4\xb1\xa8</opml>",
    Ok("<?xml version='1.0' encoding='gb2312'?><opml>看报</opml>")
)]
#[case::utf16_declared_in_ascii(
    b"<?xml version=\"1.0\" encoding=\"UTF-16\"?><opml/>",
    Ok("<?xml version=\"1.0\" encoding=\"UTF-16\"?><opml/>")
)]
#[case::utf16le_without_a_byte_order_mark(b"<\0?\0x\0m\0l\0?\0>\0", Ok("<?xml?>"))]
#[case::unknown_encoding(
    b"<?xml version=\"1.0\" encoding=\"klingon\"?><opml/>",
    Err(
        "unknown encoding \"klingon\" in the <?xml?> declaration; save the file as UTF-8 with encoding=\"UTF-8\""
    )
)]
#[case::declared_utf8_but_not(
    b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><opml>\xbf\xb4</opml>",
    Err(
        "not valid UTF-8 text, although encoding=\"UTF-8\" says it is; name the file's real encoding in its <?xml?> declaration, or save the file as UTF-8"
    )
)]
fn decoding(#[case] bytes: &[u8], #[case] expected: Result<&str, &str>) {
    assert_eq!(
        opml::decode(bytes),
        expected.map(str::to_owned).map_err(str::to_owned)
    );
}

#[test]
fn undeclared_gbk_is_an_error_saying_how_to_fix_it() {
    let bytes = fs::read(fixture("gbk-undeclared.opml")).expect("read the fixture");
    assert_eq!(
        opml::decode(&bytes),
        Err("not UTF-8 (line 3) and the <?xml?> declaration names no encoding; add encoding=\"GBK\" (or the file's real encoding) to it, or save the file as UTF-8".to_owned())
    );
}

#[test]
fn ten_thousand_nested_outlines_do_not_overflow_the_stack() {
    const DEPTH: usize = 10_000;
    let mut text = String::from("<opml version=\"2.0\"><body>");
    for n in 0..DEPTH {
        text.push_str(&format!("<outline text=\"第{n}层\">"));
    }
    text.push_str(r#"<outline text="最深" xmlUrl="https://deep.example/rss"/>"#);
    text.push_str(&"</outline>".repeat(DEPTH));
    text.push_str("</body></opml>");
    // A recursive reader would need far more than this for 10,000 levels.
    let imported = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || opml::import("", &text))
        .expect("start a thread")
        .join()
        .expect("the import did not overflow its stack")
        .expect("the import succeeded");
    assert_eq!(
        imported.added,
        vec![feed(
            "deep",
            "最深",
            "https://deep.example/rss",
            Some(&format!("第{}层", DEPTH - 1))
        )]
    );
}

const EXPORT_CONFIG: &str = r#"[[feeds]]
id = "zhumadian-daily"
title = "驻马店日报"
kind = "pages"
path = "feeds/zhumadian-daily"

[[feeds]]
id = "people"
title = "人民网 & <时政> \"频道\"\u0007\tA"
kind = "feed"
url = "http://www.people.com.cn/rss/politics.xml?a=1&b=2"
section = "国内"

[[feeds]]
id = "hn"
title = "Hacker News"
kind = "feed"
url = "https://news.ycombinator.com/rss"

[[feeds]]
id = "saved---copy"
title = "存档"
kind = "feed"
path = "saved/feed.xml"

[[feeds]]
id = "xinhua"
title = "新华网"
kind = "feed"
url = "http://www.xinhuanet.com/politics/news_politics.xml"
section = "国内"
"#;

#[test]
fn export_writes_web_feeds_grouped_by_section() {
    assert_eq!(
        opml::export(&parse(EXPORT_CONFIG)),
        r#"<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head>
    <title>kanbao feeds</title>
  </head>
  <body>
    <outline text="国内">
      <outline type="rss" text="人民网 &amp; &lt;时政&gt; &quot;频道&quot; A" title="人民网 &amp; &lt;时政&gt; &quot;频道&quot; A" xmlUrl="http://www.people.com.cn/rss/politics.xml?a=1&amp;b=2"/>
      <outline type="rss" text="新华网" title="新华网" xmlUrl="http://www.xinhuanet.com/politics/news_politics.xml"/>
    </outline>
    <outline type="rss" text="Hacker News" title="Hacker News" xmlUrl="https://news.ycombinator.com/rss"/>
    <!-- Not exported, having no url: zhumadian-daily (pages), saved- - -copy (feed file). -->
  </body>
</opml>
"#
    );
}

#[test]
fn an_export_reads_back_exactly() {
    let imported = import("", &opml::export(&parse(EXPORT_CONFIG)));
    assert_eq!(
        imported.added,
        vec![
            feed(
                "people-politics",
                "人民网 & <时政> \"频道\" A",
                "http://www.people.com.cn/rss/politics.xml?a=1&b=2",
                Some("国内")
            ),
            feed(
                "xinhuanet-politics-news-politics",
                "新华网",
                "http://www.xinhuanet.com/politics/news_politics.xml",
                Some("国内")
            ),
            feed(
                "hacker-news",
                "Hacker News",
                "https://news.ycombinator.com/rss",
                None
            ),
        ]
    );
}

#[test]
fn a_config_without_web_feeds_exports_an_empty_body() {
    let exported = opml::export(&parse(""));
    assert!(exported.contains("  <body>\n  </body>\n"), "{exported}");
    assert_eq!(opml::import("", &exported), Err(NO_FEEDS.to_owned()));
}

/// Runs `kanbao ARGS…` in `dir` with no config-related environment, and
/// any index in `dir/.cache`.
fn kanbao(dir: &Path, args: &[&str]) -> Run {
    Run::of(
        Command::new(env!("CARGO_BIN_EXE_kanbao"))
            .args(args)
            .current_dir(dir)
            .env_remove("KANBAO_CONFIG")
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("XDG_STATE_HOME")
            .env_remove("HOME")
            .env("XDG_CACHE_HOME", dir.join(".cache")),
    )
}

/// A temporary folder with the shipped config, its sample page and
/// `subscriptions.opml`.
fn archive() -> TempDir {
    let dir = TempDir::new().expect("create a temporary folder");
    fs::write(dir.path().join("config.toml"), shipped_config()).expect("write the config");
    let pages = dir.path().join("feeds/zhumadian-daily/undated");
    fs::create_dir_all(&pages).expect("create the pages folder");
    fs::copy(
        Path::new(MANIFEST_DIR).join("feeds/zhumadian-daily/undated/zhumadian-daily-page.txt"),
        pages.join("zhumadian-daily-page.txt"),
    )
    .expect("copy the sample page");
    fs::copy(
        fixture("subscriptions.opml"),
        dir.path().join("subscriptions.opml"),
    )
    .expect("copy the OPML file");
    dir
}

#[test]
fn cli_import_adds_the_feeds_and_check_still_passes() {
    let dir = archive();
    let run = kanbao(
        dir.path(),
        &[
            "--config",
            "config.toml",
            "import",
            "opml",
            "subscriptions.opml",
        ],
    );
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert_eq!(
        run.stdout,
        "added people-politics: 人民网 - 时政频道 http://www.people.com.cn/rss/politics.xml
added xinhuanet-politics-news-politics: 新华网 新闻 http://www.xinhuanet.com/politics/news_politics.xml
added rsshub-zaobao-realtime-china: 联合早报 · 即时新闻 https://rsshub.app/zaobao/realtime/china?limit=20&format=atom
added bbci-zhongwen-simp: BBC 中文网 https://feeds.bbci.co.uk/zhongwen/simp/rss.xml
added sspai: 少数派 https://sspai.com/feed
added solidot: Solidot https://www.solidot.org/index.rss
added hacker-news: Hacker News https://news.ycombinator.com/rss
skipped 36氪 网页版: no xmlUrl, so not a feed
skipped 阮一峰的网络日志: no xmlUrl, so not a feed
skipped https://sspai.com/feed/: listed twice; added once as \"sspai\"
skipped file:///home/me/feed.xml: not an http:// or https:// address
skipped https://example.com/podcast: type \"link\" is not a feed
skipped 空文件夹: no xmlUrl, so not a feed
7 feeds added to config.toml, 6 skipped; run `kanbao fetch` to fetch them
"
    );
    let text = fs::read_to_string(dir.path().join("config.toml")).expect("read the config");
    assert!(text.starts_with(&shipped_config()));

    let check = kanbao(dir.path(), &["--config", "config.toml", "check"]);
    assert_eq!(check.code, 0, "{check:?}");
    assert!(
        check.stdout.contains(
            "feed hacker-news (Hacker News): ./feeds/hacker-news — 0 pages, 0 articles\n"
        ) || check
            .stdout
            .contains("feed hacker-news (Hacker News): feeds/hacker-news — 0 pages, 0 articles\n"),
        "{}",
        check.stdout
    );
    assert!(
        check.stdout.ends_with(", no problems\n"),
        "{}",
        check.stdout
    );

    let again = kanbao(
        dir.path(),
        &[
            "--config",
            "config.toml",
            "import",
            "opml",
            "subscriptions.opml",
        ],
    );
    assert_eq!(again.code, 0);
    assert!(
        again.stdout.ends_with(
            "no new feeds in subscriptions.opml (13 skipped); config.toml is unchanged\n"
        ),
        "{}",
        again.stdout
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("config.toml")).expect("read the config"),
        text
    );
}

#[test]
fn cli_export_prints_the_opml() {
    let dir = archive();
    let imported = kanbao(
        dir.path(),
        &[
            "--config",
            "config.toml",
            "import",
            "opml",
            "subscriptions.opml",
        ],
    );
    assert_eq!(imported.code, 0, "{imported:?}");
    let run = kanbao(dir.path(), &["--config", "config.toml", "export", "opml"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    let text = fs::read_to_string(dir.path().join("config.toml")).expect("read the config");
    let config = config::parse(&text, &dir.path().join("config.toml"), "config.toml")
        .expect("the config passes");
    assert_eq!(run.stdout, opml::export(&config));
    assert_eq!(import("", &run.stdout).added, subscriptions_added());
}

#[test]
fn cli_import_creates_the_file_config_names() {
    let dir = archive();
    let run = kanbao(
        dir.path(),
        &[
            "import",
            "opml",
            "subscriptions.opml",
            "--config",
            "new/kanbao.toml",
        ],
    );
    assert_eq!((run.code, run.stderr.as_str()), (0, ""), "{}", run.stdout);
    assert!(run.stdout.ends_with(
        "7 feeds added to new/kanbao.toml, 6 skipped; run `kanbao fetch` to fetch them\n"
    ));
    let text = fs::read_to_string(dir.path().join("new/kanbao.toml")).expect("read the new config");
    assert!(
        text.starts_with("[[feeds]]\nid = \"people-politics\"\n"),
        "{text}"
    );
    let check = kanbao(dir.path(), &["--config", "new/kanbao.toml", "check"]);
    assert_eq!(check.code, 0, "{check:?}");
}

#[test]
fn cli_import_without_a_config_asks_for_one() {
    let dir = TempDir::new().expect("create a temporary folder");
    fs::copy(fixture("subscriptions.opml"), dir.path().join("feeds.opml")).expect("copy");
    let run = kanbao(dir.path(), &["import", "opml", "feeds.opml"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "kanbao: no config.toml found (looked in ./config.toml; $HOME is not set); run `kanbao \
         init --config ./config.toml` to write a commented one there, or pass --config PATH, or \
         set $KANBAO_CONFIG; import creates the file --config PATH names if it does not exist\n"
    );
    assert!(!dir.path().join("config.toml").exists());
}

#[rstest]
#[case::not_opml(
    "feed.xml",
    "<rss version=\"2.0\"><channel/></rss>",
    "kanbao: feed.xml: not an OPML file but a web feed (<rss>); add it to config.toml as a [[feeds]] table with kind = \"feed\" and its url\n"
)]
#[case::no_feeds(
    "empty.opml",
    "<opml version=\"2.0\"><body/></opml>",
    "kanbao: empty.opml: no feeds in this OPML file: no <outline> has an xmlUrl; export the list of feeds (subscriptions) from your feed reader and import that\n"
)]
fn cli_import_of_a_bad_file_changes_nothing(
    #[case] name: &str,
    #[case] content: &str,
    #[case] stderr: &str,
) {
    let dir = archive();
    fs::write(dir.path().join(name), content).expect("write the file");
    let run = kanbao(
        dir.path(),
        &["--config", "config.toml", "import", "opml", name],
    );
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (2, "", stderr)
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("config.toml")).expect("read the config"),
        shipped_config()
    );
}

#[test]
fn cli_import_of_a_missing_file() {
    let dir = archive();
    let run = kanbao(
        dir.path(),
        &["--config", "config.toml", "import", "opml", "nope.opml"],
    );
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (2, "kanbao: nope.opml: no such file; check the path\n")
    );
}

#[test]
fn cli_import_into_an_invalid_config_reports_the_config() {
    let dir = archive();
    fs::write(dir.path().join("config.toml"), "[text]\nindent = 9\n").expect("write");
    let run = kanbao(
        dir.path(),
        &[
            "--config",
            "config.toml",
            "import",
            "opml",
            "subscriptions.opml",
        ],
    );
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            2,
            "kanbao: config.toml:2:10: invalid value for \"indent\" in [text]: expected a whole number 0-8, found 9\n"
        )
    );
}

#[cfg(unix)]
#[test]
fn cli_import_keeps_the_config_file_a_link_with_its_permissions() {
    use std::os::unix::fs::{PermissionsExt, symlink};

    let dir = archive();
    let real = dir.path().join("dotfiles/kanbao.toml");
    fs::create_dir_all(real.parent().expect("a parent")).expect("create the folder");
    fs::rename(dir.path().join("config.toml"), &real).expect("move the config");
    fs::set_permissions(&real, fs::Permissions::from_mode(0o600)).expect("chmod");
    symlink(&real, dir.path().join("config.toml")).expect("link the config");
    let run = kanbao(
        dir.path(),
        &[
            "--config",
            "config.toml",
            "import",
            "opml",
            "subscriptions.opml",
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let link = fs::symlink_metadata(dir.path().join("config.toml")).expect("stat the link");
    assert!(link.file_type().is_symlink());
    let text = fs::read_to_string(&real).expect("read the config");
    assert!(text.starts_with(&shipped_config()) && text.len() > shipped_config().len());
    let mode = fs::metadata(&real).expect("stat").permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
}
