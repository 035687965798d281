//! The quick RSS 2.0 reader (`source::quick_rss`) gives what feed-rs
//! gives: every feed here is parsed both ways (`Reader::Any`, which takes
//! the quick reader where it reads the feed, and `Reader::FeedRs`) and the
//! results — title, items, warnings, or the error — must be equal. Each
//! test also counts the feeds the quick reader did read, so that it is
//! known to have been compared at all.
//!
//! The feeds: the fixtures, a table of the forms that matter (entities,
//! CDATA, missing guids and links, dates it cannot read, same instants in
//! two offsets …), random feeds made of such pieces, a feed like the
//! ingest bench's stored both ways into two folders compared byte for
//! byte, and every file of feedparser's test suite (fetched as
//! `tests/feedparser_suite.rs` fetches it).

use std::path::{Path, PathBuf};
use std::process::Command;

use kanbao::feed::store;
use kanbao::source::feed_file::{Reader, parse_with};
use proptest::prelude::*;
use rstest::rstest;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Asserts that both readers agree on `bytes`; whether the quick reader
/// read it.
fn agree(name: &str, bytes: &[u8], charset: Option<&str>, base: Option<&str>) -> bool {
    let any = parse_with(bytes, charset, base, Reader::Any);
    let feed_rs = parse_with(bytes, charset, base, Reader::FeedRs);
    assert_eq!(
        any, feed_rs,
        "{name}: the quick reader differs from feed-rs"
    );
    parse_with(bytes, charset, base, Reader::Quick).is_ok()
}

fn files(folder: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![folder.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn fixture_feeds_read_the_same() {
    let folder = Path::new(ROOT).join("tests/fixtures/feeds");
    let mut quick = Vec::new();
    for path in files(&folder) {
        let name = path.display().to_string();
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        for base in [None, Some("http://127.0.0.1/feed.xml")] {
            if agree(&name, &bytes, None, base) {
                quick.push(name.clone());
            }
        }
    }
    assert!(
        quick.iter().any(|n| n.ends_with("rss2-shift-jis.xml")),
        "the quick reader reads the plain RSS fixtures: {quick:?}"
    );
}

fn rss(items: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" \
         xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n\
         <title>样报 &amp; 副刊</title>\n<link>http://127.0.0.1/</link>\n\
         <atom:link href=\"http://127.0.0.1/feed.xml\" rel=\"self\"/>\n\
         <description>测试</description>\n<language>zh-cn</language>\n\
         <image><url>http://127.0.0.1/logo.png</url><title>样报</title></image>\n\
         {items}</channel>\n</rss>\n"
    )
}

#[rstest]
#[case::cdata_description(
    "<item><title>标题</title><link>http://127.0.0.1/1</link><guid>a-1</guid>\
     <pubDate>Wed, 08 Mar 2023 10:00:00 +0800</pubDate>\
     <description><![CDATA[<p>第一段。</p><p>第二段<a href=\"/x\">链接</a>。</p>]]></description></item>",
    true
)]
#[case::escaped_description(
    "<item><title>一 &lt;二&gt; &#x4E09; &#22235;</title><link>http://127.0.0.1/2</link>\
     <description>&lt;p&gt;正文&amp;nbsp;一&lt;/p&gt;&lt;img src=\"a.jpg\" alt=\"图\"&gt;</description></item>",
    true
)]
#[case::unknown_entity_kept(
    "<item><title>甲&nbsp;乙</title><link>http://127.0.0.1/3</link>\
     <description>丙&hellip;丁</description></item>",
    true
)]
#[case::no_guid_so_the_link(
    "<item><title>无 guid</title><link>https://www.example.com/a/b.html?x=1&amp;y=2</link></item>",
    true
)]
#[case::no_guid_no_link_so_the_title(
    "<item><title>只有标题</title><pubDate>Wed, 08 Mar 2023 10:00:00 GMT</pubDate></item>",
    true
)]
#[case::nothing_at_all("<item><description>只有正文</description></item>", true)]
#[case::blank_fields(
    "<item><title>  </title><guid> </guid><link>http://127.0.0.1/5</link>\
     <pubDate> </pubDate><description>  </description><category> </category></item>",
    true
)]
#[case::empty_elements(
    "<item><title/><guid/><link>http://127.0.0.1/6</link><pubDate/><description/>\
     <author/><category/></item>",
    true
)]
#[case::permalink_guid_without_link(
    "<item><title>永久链接</title><guid isPermaLink=\"true\">http://127.0.0.1/7</guid></item>\
     <item><title>相对</title><guid>/relative/8</guid></item>\
     <item><title>非链接</title><guid isPermaLink=\"false\">http://127.0.0.1/9</guid></item>",
    true
)]
#[case::unreadable_date(
    "<item><title>日期</title><link>http://127.0.0.1/10</link><pubDate>上周三</pubDate></item>",
    true
)]
#[case::dc_date_and_creators(
    "<item><title>作者</title><link>http://127.0.0.1/11</link>\
     <dc:date>2024-03-12 09:30:00</dc:date><author>记者 王伟</author>\
     <dc:creator>记者 王伟</dc:creator><dc:creator>通讯员 张宁</dc:creator>\
     <category>要闻</category><category>本地</category></item>",
    true
)]
#[case::two_line_title(
    "<item><title>\n  全市科技工作会议提出\n  奋力建设区域创新高地\n</title>\
     <link>http://127.0.0.1/12</link></item>",
    true
)]
#[case::same_instant_two_offsets(
    "<item><title>一</title><link>http://127.0.0.1/13</link>\
     <pubDate>Wed, 08 Mar 2023 10:00:00 +0800</pubDate></item>\
     <item><title>二</title><link>http://127.0.0.1/14</link>\
     <pubDate>Wed, 08 Mar 2023 02:00:00 +0000</pubDate></item>",
    false
)]
#[case::relative_link("<item><title>相对</title><link>/news/15.html</link></item>", false)]
#[case::link_not_in_parsed_form(
    "<item><title>大写</title><link>HTTP://Example.COM/16</link></item>",
    false
)]
#[case::email_author(
    "<item><title>邮件</title><link>http://127.0.0.1/17</link>\
     <author>wang@example.com (王伟)</author></item>",
    false
)]
#[case::content_encoded(
    "<item><title>全文</title><link>http://127.0.0.1/18</link>\
     <content:encoded xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">\
     <![CDATA[<p>全文</p>]]></content:encoded></item>",
    false
)]
#[case::enclosure(
    "<item><title>图</title><link>http://127.0.0.1/19</link>\
     <enclosure url=\"http://127.0.0.1/a.jpg\" type=\"image/jpeg\" length=\"1\"/></item>",
    false
)]
#[case::markup_description(
    "<item><title>裸标记</title><link>http://127.0.0.1/20</link>\
     <description><p>裸露的<b>标记</b></p></description></item>",
    false
)]
#[case::bad_character_reference(
    "<item><title>坏 &#0; 引用</title><link>http://127.0.0.1/21</link></item>",
    false
)]
#[case::two_titles(
    "<item><title>一</title><title>二</title><link>http://127.0.0.1/22</link></item>",
    false
)]
#[case::dc_title(
    "<item><dc:title>都柏林</dc:title><link>http://127.0.0.1/23</link></item>",
    false
)]
#[case::bare_ampersand(
    "<item><title>AT&T</title><link>http://127.0.0.1/24</link></item>",
    false
)]
#[case::no_items("", false)]
fn forms_read_the_same(#[case] items: &str, #[case] quick: bool) {
    let feed = rss(items);
    for base in [None, Some("http://127.0.0.1/feed.xml")] {
        assert_eq!(agree(items, feed.as_bytes(), None, base), quick, "{items}");
    }
}

#[test]
fn channel_forms_that_go_to_feed_rs() {
    let item = "<item><title>一</title><link>http://127.0.0.1/1</link></item>";
    for feed in [
        format!("<rss version=\"0.91\"><channel>{item}</channel></rss>"),
        format!(
            "<rss version=\"2.0\" xmlns=\"http://example.com/rss\"><channel>{item}</channel></rss>"
        ),
        format!("<!DOCTYPE rss><rss version=\"2.0\"><channel>{item}</channel></rss>"),
        format!(
            "<rss version=\"2.0\"><channel xml:base=\"http://127.0.0.1/\">{item}</channel></rss>"
        ),
        format!("<rss version=\"2.0\"><channel>{item}</channel><channel>{item}</channel></rss>"),
        format!(
            "<rss version=\"2.0\" xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\"><channel><itunes:author>某</itunes:author>{item}</channel></rss>"
        ),
        format!(
            "<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel><dc:title>频道</dc:title>{item}</channel></rss>"
        ),
        format!(
            "<rss version=\"2.0\"><channel>{item}<textInput><item/></textInput></channel></rss>"
        ),
        format!("<rss version=\"2.0\"><channel>{item}</channel></rss><extra/>"),
        format!("<rss version=\"2.0\"><channel>{item}"),
    ] {
        assert!(!agree(&feed, feed.as_bytes(), None, None), "{feed}");
    }
    let late_date = "<rss version=\"2.0\"><channel><item><title>一</title>\
         <link>http://127.0.0.1/1</link><pubDate>Wed, 08 Mar 2023 10:00:00 +0800</pubDate></item>\
         <lastBuildDate>Wed, 08 Mar 2023 02:00:00 GMT</lastBuildDate></channel></rss>";
    assert!(!agree(late_date, late_date.as_bytes(), None, None));
    let fine = format!(
        "<!-- made by hand --><rss version=\"2.0\"><channel><!-- c --><ttl>60</ttl>\
         <cloud domain=\"x\" port=\"80\"/><lastBuildDate>Wed, 08 Mar 2023 10:00:00 +0800\
         </lastBuildDate>{item}</channel></rss>\n<!-- end -->"
    );
    assert!(agree(&fine, fine.as_bytes(), None, None));
}

/// Pieces random items are made of: each is read the same either way,
/// whichever reader reads it.
fn piece() -> impl Strategy<Value = String> {
    let text = prop::sample::select(vec![
        "标题",
        "一 &amp; 二",
        "&lt;b&gt;粗&lt;/b&gt;",
        "&#x4E00;&#20108;",
        "&nbsp;",
        "<![CDATA[<p>段</p>]]>",
        "<![CDATA[]]>",
        "  ",
        "\n第一行\n第二行\n",
        "a<b",
        "&#0;",
        "wang@example.com (王伟)",
        "记者 王伟",
        "http://127.0.0.1/p",
        "/rel",
        "",
        "Wed, 08 Mar 2023 10:00:00 +0800",
        "2024-03-12 09:30:00",
        "上周三",
        "Wed, 08 Mar 2023 02:00:00 GMT",
        "<![CDATA[x]]>y",
        "\u{85}",
        "\r\n",
    ]);
    let name = prop::sample::select(vec![
        "title",
        "link",
        "description",
        "guid",
        "pubDate",
        "author",
        "category",
        "dc:creator",
        "dc:date",
        "comments",
        "guid isPermaLink=\"false\"",
    ]);
    (name, text).prop_map(|(name, text)| {
        let close = name.split(' ').next().unwrap_or(name);
        if text.is_empty() {
            format!("<{name}/>")
        } else {
            format!("<{name}>{text}</{close}>")
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    #[test]
    fn random_items_read_the_same(
        items in prop::collection::vec(prop::collection::vec(piece(), 0..6), 1..4)
    ) {
        let items: String = items
            .iter()
            .map(|fields| format!("<item>{}</item>\n", fields.concat()))
            .collect();
        let feed = rss(&items);
        agree(&items, feed.as_bytes(), None, Some("http://127.0.0.1/feed.xml"));
    }
}

/// A feed like the ingest bench's (`benches/fetch.sh`): its items stored by
/// each reader into a folder of their own are the same bytes.
#[test]
fn a_large_feed_is_stored_byte_for_byte_the_same() {
    let sample = std::fs::read_to_string(
        Path::new(ROOT).join("feeds/zhumadian-daily/undated/zhumadian-daily-page.txt"),
    )
    .unwrap_or_else(|e| panic!("the sample page: {e}"));
    let paragraphs: Vec<&str> = sample
        .split("\n\n")
        .map(str::trim)
        .filter(|p| p.chars().count() > 10)
        .collect();
    assert!(paragraphs.len() > 10);
    let mut items = String::new();
    for n in 0..600 {
        let body: String = (0..=n % 3)
            .map(|k| format!("<p>{}</p>", paragraphs[(n * 7 + k) % paragraphs.len()]))
            .collect();
        let title = paragraphs[n % paragraphs.len()]
            .chars()
            .take(20)
            .collect::<String>();
        items.push_str(&format!(
            "<item>\n  <title>{title}（{n}）</title>\n  <link>http://127.0.0.1/big-{n:05}</link>\n  \
             <guid isPermaLink=\"false\">big-{n:05}</guid>\n  <dc:creator>记者</dc:creator>\n  \
             <category>测试</category>\n  <pubDate>Fri, 10 Mar 2023 {:02}:{:02}:00 +0800</pubDate>\n  \
             <description><![CDATA[{body}]]></description>\n</item>\n",
            23 - n / 60 % 24,
            59 - n % 60,
        ));
    }
    let feed = rss(&items);
    assert!(agree(
        "large",
        feed.as_bytes(),
        None,
        Some("http://127.0.0.1/big.xml")
    ));
    let stored = |reader: Reader| {
        let folder = tempfile::TempDir::new().unwrap_or_else(|e| panic!("{e}"));
        let parsed = parse_with(
            feed.as_bytes(),
            None,
            Some("http://127.0.0.1/big.xml"),
            reader,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        store::store(folder.path(), parsed.items).unwrap_or_else(|e| panic!("{e}"));
        let mut out = Vec::new();
        for path in files(folder.path()) {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            if name.as_deref() != Some(".fetch.toml") {
                out.push((name, std::fs::read(&path).unwrap_or_else(|e| panic!("{e}"))));
            }
        }
        out
    };
    let quick = stored(Reader::Quick);
    assert!(!quick.is_empty());
    assert!(quick == stored(Reader::FeedRs), "the stored files differ");
}

/// Every file of feedparser's suite, both ways.
#[test]
fn feedparser_suite_reads_the_same() {
    let suite = Path::new(ROOT).join("tests/feedparser");
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR")).join("feedparser");
    let fetch = "import sys; sys.path.insert(0, sys.argv[1]); import suite; \
                 print(suite.fetch_suite(sys.argv[2]))";
    let run = Command::new("python3")
        .args(["-c", fetch])
        .arg(&suite)
        .arg(&cache)
        .output();
    let required = std::env::var_os("CI").is_some();
    let tests = match run {
        Ok(out) if out.status.success() => {
            PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
        }
        Ok(out) if !required => {
            eprintln!(
                "skipped: feedparser's suite: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            return;
        }
        Err(e) if !required => {
            eprintln!("skipped: cannot run python3 ({e}); fetching feedparser's suite needs it");
            return;
        }
        Ok(out) => panic!(
            "feedparser's suite: {}",
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(e) => panic!("python3 is needed for feedparser's suite: {e}"),
    };
    let (mut read, mut quick) = (0, 0);
    for folder in ["wellformed", "illformed", "encoding", "entities"] {
        for path in files(&tests.join(folder)) {
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            read += 1;
            if agree(
                &path.display().to_string(),
                &bytes,
                None,
                Some("http://127.0.0.1/feed.xml"),
            ) {
                quick += 1;
            }
        }
    }
    eprintln!("{read} suite feeds compared, {quick} read by the quick reader");
    assert!(read > 2000, "the suite holds over 2,000 feeds: {read}");
    assert!(quick > 100, "the quick reader reads some of them: {quick}");
}
