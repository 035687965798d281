//! Issue 21: one test per family of feedparser's suite that kanbao models,
//! on feeds of its own (made-up Chinese news), so that each behaviour is
//! held without downloading the suite (`tests/feedparser_suite.rs` runs
//! the suite itself).

use kanbao::source::feed_file::{ParsedFeed, parse};

fn read(bytes: &[u8]) -> ParsedFeed {
    parse(bytes, None, None).unwrap_or_else(|e| panic!("{e}"))
}

fn rss(items: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" \
         xmlns:dcterms=\"http://purl.org/dc/terms/\"><channel>\
         <title>样报</title>{items}</channel></rss>"
    )
}

// --- RSS 1.0, 0.90 and Atom 0.3 ------------------------------------------

#[test]
fn rss_090_and_rdf_items_without_a_link_are_read() {
    let feed = read(
        "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" \
         xmlns=\"http://my.netscape.com/rdf/simple/0.9/\">\
         <channel><title>样报 0.90</title></channel>\
         <item><title>新城绘就发展图景</title><link>http://127.0.0.1/1</link></item></rdf:RDF>"
            .as_bytes(),
    );
    assert_eq!(feed.title.as_deref(), Some("样报 0.90"));
    assert_eq!(feed.items[0].title.as_deref(), Some("新城绘就发展图景"));
    let feed = read(
        "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" \
         xmlns=\"http://purl.org/rss/1.0/\"><channel rdf:about=\"http://127.0.0.1/\">\
         <title>样报</title></channel>\
         <item rdf:about=\"http://127.0.0.1/2\"><title>湖畔春来早</title></item></rdf:RDF>"
            .as_bytes(),
    );
    assert_eq!(
        feed.items.len(),
        1,
        "feed-rs drops RSS 1.0 items without a link"
    );
    assert_eq!(feed.items[0].link.as_deref(), Some("http://127.0.0.1/2"));
}

#[test]
fn atom_in_an_unknown_namespace_and_base64_text_are_read() {
    let feed = read(
        "<feed version=\"0.3\" xmlns=\"http://example.com/newformat#\"><title>新格式</title>\
         <entry><title type=\"text/html\" mode=\"base64\">5rmW55WU5pil5p2l5pep</title>\
         <content type=\"application/octet-stream\">5LqU5bm05YmN77yM6L+Z6YeM6L+Y5piv5LiA54mH5rup5raC44CC</content>\
         </entry></feed>"
            .as_bytes(),
    );
    assert_eq!(feed.title.as_deref(), Some("新格式"));
    assert_eq!(feed.items[0].title.as_deref(), Some("湖畔春来早"));
    assert_eq!(feed.items[0].paragraphs, ["五年前，这里还是一片滩涂。"]);
}

#[test]
fn an_atom_type_that_is_empty_or_a_mime_type_does_not_fail_the_feed() {
    let feed = read(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title type=\"\">样报</title>\
         <entry><title type=\"application/xhtml+xml\"><div xmlns=\"http://www.w3.org/1999/xhtml\">\
         一&amp;二</div></title></entry></feed>"
            .as_bytes(),
    );
    assert_eq!(feed.title.as_deref(), Some("样报"));
    assert_eq!(feed.items[0].title.as_deref(), Some("一&二"));
}

// --- HTML entities -------------------------------------------------------

#[test]
fn html_entities_and_an_rss_without_version_are_read() {
    let feed = read(
        "<rss><channel><title>样报&nbsp;&mdash;&hellip;</title>\
         <item><title>&ldquo;春耕&rdquo;&middot;开始</title></item></channel></rss>"
            .as_bytes(),
    );
    assert_eq!(feed.title.as_deref(), Some("样报\u{a0}—…"));
    assert_eq!(feed.items[0].title.as_deref(), Some("“春耕”·开始"));
}

#[test]
fn an_empty_feed_is_empty_not_broken_and_items_outside_a_channel_are_a_reason() {
    let feed = read(b"<rss version=\"2.0\">\n</rss>");
    assert!(feed.items.is_empty());
    let error = parse(
        "<rss><item><title>无频道</title></item></rss>".as_bytes(),
        None,
        None,
    )
    .err()
    .unwrap_or_default();
    assert!(error.starts_with("no items read"), "{error}");
}

// --- encodings -----------------------------------------------------------

#[test]
fn undeclared_legacy_encodings_are_detected_and_said() {
    let text = "<rss version=\"2.0\"><channel><title>样报</title><item>\
                <title>全市科技工作会议提出奋力建设区域创新高地</title>\
                <description>会议强调，要坚持创新在现代化建设全局中的核心地位。\
                要加快建设创新平台，培育壮大科技企业。</description></item></channel></rss>";
    for encoding in [encoding_rs::GBK, encoding_rs::BIG5, encoding_rs::EUC_JP] {
        let (bytes, _, _) = encoding.encode(text);
        let feed = read(&bytes);
        assert_eq!(
            feed.items[0].title.as_deref(),
            Some("全市科技工作会议提出奋力建设区域创新高地"),
            "{}",
            encoding.name()
        );
        assert!(
            feed.warnings
                .iter()
                .any(|w| w.contains("declares no encoding")),
            "{:?}",
            feed.warnings
        );
    }
    let (bytes, _, _) = encoding_rs::EUC_KR.encode(
        "<rss version=\"2.0\"><channel><title>신문</title><item><title>서울 시민 \
         새해 소망을 말하다</title><description>올해는 경제가 좋아지기를 바란다고 \
         시민들은 말했다.</description></item></channel></rss>",
    );
    assert_eq!(
        read(&bytes).items[0].title.as_deref(),
        Some("서울 시민 새해 소망을 말하다")
    );
}

#[test]
fn utf16_and_utf32_without_a_mark_and_old_code_pages_are_read() {
    let text =
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>样报</title></channel></rss>";
    let utf16be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    assert_eq!(read(&utf16be).title.as_deref(), Some("样报"));
    let utf32le: Vec<u8> = text
        .chars()
        .flat_map(|c| (c as u32).to_le_bytes())
        .collect();
    assert_eq!(read(&utf32le).title.as_deref(), Some("样报"));
    // A DOS code page, which the WHATWG standard does not have: é is 0x82.
    let mut dos =
        b"<?xml version=\"1.0\" encoding=\"cp437\"?><rss version=\"2.0\"><channel><title>caf"
            .to_vec();
    dos.extend(b"\x82</title></channel></rss>");
    assert_eq!(read(&dos).title.as_deref(), Some("café"));
}

#[test]
fn windows_1252_characters_in_utf8_are_read_as_meant() {
    let feed =
        read(rss("<item><description>don\u{92}t \u{93}样报\u{94}</description></item>").as_bytes());
    assert_eq!(feed.items[0].paragraphs, ["don’t “样报”"]);
}

// --- text and HTML -------------------------------------------------------

#[test]
fn atom_text_keeps_angle_brackets_as_text() {
    let feed = read(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry>\
         <title type=\"text\">标签 &lt;blink&gt; 的历史</title></entry></feed>"
            .as_bytes(),
    );
    assert_eq!(feed.items[0].title.as_deref(), Some("标签 <blink> 的历史"));
}

#[test]
fn item_text_from_body_fullitem_and_bare_markup() {
    let feed = read(
        rss(
            "<item><title>一</title><body><p>正文一</p><script>alert(1)</script></body></item>\
             <item><title>二</title><fullitem>&lt;p&gt;正文二&lt;/p&gt;</fullitem></item>\
             <item><title>三</title><description><p>正文<b>三</b></p></description></item>\
             <item><title>四</title><dc:description>正文四</dc:description></item>",
        )
        .as_bytes(),
    );
    let texts: Vec<_> = feed.items.iter().map(|i| i.paragraphs.join("")).collect();
    assert_eq!(texts, ["正文一", "正文二", "正文三", "正文四"]);
}

// --- dates ---------------------------------------------------------------

#[test]
fn dates_as_real_feeds_write_them() {
    for (written, stored) in [
        // A wrong weekday: 1 October 2023 was a Sunday.
        (
            "Mon, 01 Oct 2023 08:00:00 +0800",
            "2023-10-01T08:00:00+08:00",
        ),
        ("2023年10月01日 08:00", "2023-10-01T08:00:00+08:00"),
        ("2023-10-01 08:00", "2023-10-01T08:00:00+08:00"),
        ("Sun, 01 Oct 2023 08:00 GMT+8", "2023-10-01T08:00:00+08:00"),
        (
            "Sun,  1 October 2023 08:00:00 ET",
            "2023-10-01T08:00:00-05:00",
        ),
        ("Sun Oct  1 08:00:00 2023", "2023-10-01T08:00:00+08:00"),
        ("Sun, 01 Oct 2023", "2023-10-01T00:00:00+00:00"),
        ("23-10-01", "2023-10-01T00:00:00+00:00"),
    ] {
        let feed = read(
            rss(&format!(
                "<item><title>日期</title><pubDate>{written}</pubDate></item>"
            ))
            .as_bytes(),
        );
        assert_eq!(
            feed.items[0].published.as_deref(),
            Some(stored),
            "{written}"
        );
    }
    let feed = read(
        rss("<item><title>日期</title><dcterms:issued>2023-10-01T08:00:00+08:00</dcterms:issued></item>")
            .as_bytes(),
    );
    assert_eq!(
        feed.items[0].published.as_deref(),
        Some("2023-10-01T08:00:00+08:00")
    );
}

// --- RSS leniency: links and authors -------------------------------------

#[test]
fn a_permalink_guid_is_the_link_and_authors_lose_their_address() {
    let feed = read(
        rss(
            "<item><title>一</title><guid>http://127.0.0.1/news/1.html</guid>\
             <author>zn@example.com (张宁)</author></item>\
             <item><title>二</title><guid isPermaLink=\"false\">news-2</guid>\
             <dc:author>记者 黄育南</dc:author></item>",
        )
        .as_bytes(),
    );
    assert_eq!(
        feed.items[0].link.as_deref(),
        Some("http://127.0.0.1/news/1.html")
    );
    assert_eq!(feed.items[0].author.as_deref(), Some("张宁"));
    assert_eq!(feed.items[1].link, None);
    assert_eq!(feed.items[1].author.as_deref(), Some("记者 黄育南"));
}

#[test]
fn a_feed_title_with_a_link_has_no_link_number() {
    let feed = read(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title type=\"html\">样报 \
         &lt;a href=\"http://127.0.0.1/\"&gt;首页&lt;/a&gt;</title></feed>"
            .as_bytes(),
    );
    assert_eq!(feed.title.as_deref(), Some("样报 首页"));
}
