//! Feeds as forgiving as newsboat (issue 14, section 2): older formats that
//! feed-rs does not know are read as the formats they became, and a
//! document that plainly has items never yields a silent "0 new".

use std::path::Path;

use kanbao::source::feed_file::parse;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(ROOT).join("tests/fixtures/feeds").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn atom_03_in_big5_is_read_like_atom_10() {
    let feed = parse(&fixture("atom03-big5.xml"), None, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(feed.title.as_deref(), Some("樣報 Atom 0.3"));
    assert_eq!(feed.items.len(), 2);
    let first = &feed.items[0];
    assert_eq!(first.title.as_deref(), Some("湖畔新城繪就發展新圖景"));
    assert_eq!(first.link.as_deref(), Some("http://127.0.0.1/big5/1.html"));
    assert_eq!(first.author.as_deref(), Some("程遠山"));
    // `issued` is when it was published, `modified` when updated, in the
    // feed's own clock.
    assert_eq!(
        first.published.as_deref(),
        Some("2031-05-06T08:00:00+08:00")
    );
    assert_eq!(first.updated.as_deref(), Some("2031-05-06T09:00:00+08:00"));
    // `mode="escaped"` HTML becomes paragraphs.
    assert_eq!(
        first.paragraphs,
        ["五年前，這裡還是一片灘塗。", "如今廠房林立。"]
    );
    // Without `issued`, `created` is the publication date; a text/plain
    // summary is the text.
    let second = &feed.items[1];
    assert_eq!(
        second.published.as_deref(),
        Some("2031-05-05T07:30:00+08:00")
    );
    assert_eq!(second.paragraphs, ["圖紙改了十一稿。"]);
}

#[test]
fn atom_03_in_euc_jp_with_inline_xhtml() {
    let feed = parse(&fixture("atom03-eucjp.xml"), None, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(feed.items.len(), 1);
    let item = &feed.items[0];
    assert_eq!(item.title.as_deref(), Some("湖畔の新しい町に図書館が開館"));
    assert_eq!(item.date().as_deref(), Some("2031-05-06"));
    assert_eq!(item.paragraphs, ["五年前、ここは砂浜だった。"]);
}

#[test]
fn rss_090_is_read_like_rss_10() {
    let xml = br#"<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://my.netscape.com/rdf/simple/0.9/">
<channel><title>Sample</title><link>http://127.0.0.1/</link><description>d</description></channel>
<item><title>Item title</title><link>http://127.0.0.1/1</link></item>
<item><title>Second</title><link>http://127.0.0.1/2</link></item>
</rdf:RDF>"#;
    let feed = parse(xml, None, None).unwrap_or_else(|e| panic!("{e}"));
    let titles: Vec<_> = feed.items.iter().map(|i| i.title.as_deref()).collect();
    assert_eq!(titles, [Some("Item title"), Some("Second")]);
}

#[test]
fn items_in_an_unknown_shape_are_a_failure_not_zero_new() {
    // An RSS 2.0 document whose items sit outside the channel: feed-rs
    // reads a feed without entries.
    let xml = br#"<?xml version="1.0"?>
<rss version="2.0"><channel><title>t</title><link>http://127.0.0.1/</link></channel>
<item><title>lost</title></item></rss>"#;
    match parse(xml, None, None) {
        Ok(feed) => panic!("read as a feed of {} items", feed.items.len()),
        Err(e) => assert!(e.starts_with("no items read"), "{e}"),
    }
    // A feed that really has no items is not a failure.
    let empty = br#"<rss version="2.0"><channel><title>t</title></channel></rss>"#;
    let feed = parse(empty, None, None).unwrap_or_else(|e| panic!("{e}"));
    assert!(feed.items.is_empty());
}

/// What a repair said, and the titles and text read after it.
fn repaired(xml: &str) -> (Vec<String>, Vec<String>, Vec<String>) {
    let feed = parse(xml.as_bytes(), None, None).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    let titles = feed.items.iter().filter_map(|i| i.title.clone()).collect();
    let text = feed
        .items
        .iter()
        .flat_map(|i| i.paragraphs.clone())
        .collect();
    (feed.warnings, titles, text)
}

#[test]
fn html_entities_xml_does_not_define_are_read() {
    let (warnings, titles, text) = repaired(
        "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>t</title>\n\
         <item><title>Caf&eacute; &amp; bar&hellip;</title><description>a&nbsp;b</description></item>\n\
         </channel></rss>",
    );
    assert_eq!(titles, ["Café & bar…"]);
    assert_eq!(text, ["a\u{a0}b"]);
    // The XML reader passes such entities through and the item's HTML
    // resolves them: nothing needed repairing.
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn an_rss_10_feed_with_a_bare_ampersand() {
    let (warnings, titles, _) = repaired(
        "<?xml version=\"1.0\"?>\n<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" \
         xmlns=\"http://purl.org/rss/1.0/\">\n<channel rdf:about=\"http://127.0.0.1/\"><title>t</title>\
         <link>http://127.0.0.1/</link><description>d</description></channel>\n\
         <item rdf:about=\"http://127.0.0.1/?a=1&b=2\"><title>AT&T and R&D</title>\
         <link>http://127.0.0.1/?a=1&b=2</link></item>\n</rdf:RDF>",
    );
    assert_eq!(titles, ["AT&T and R&D"]);
    assert_eq!(warnings, ["ill-formed XML: a bare & (line 4), repaired"]);
}

#[test]
fn a_bare_angle_bracket_junk_after_the_root_and_a_comment_before_the_prolog() {
    let (warnings, titles, _) = repaired(
        "<!-- generated by a CMS -->\n<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel>\
         <title>t</title>\n<item><title>1 < 2, 3 > 2</title></item>\n</channel></rss>\n\
         <div>stats</div>",
    );
    assert_eq!(titles, ["1 < 2, 3 > 2"]);
    // The comment before `<?xml` needs no repair (the declaration is
    // taken as an ordinary instruction); the bare `<` and the trailing
    // markup do.
    assert_eq!(
        warnings,
        [
            "ill-formed XML: a bare < in text (line 4), repaired",
            "ill-formed XML: text after the end of the document (line 5), repaired",
        ]
    );
}

#[test]
fn a_feed_that_cannot_be_repaired_fails_with_the_first_reason() {
    let xml = "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>t";
    let reason = parse(xml.as_bytes(), None, None).err().unwrap_or_default();
    assert!(
        reason.starts_with("invalid XML (the feed ends early: truncated?)"),
        "{reason}"
    );
}

#[test]
fn an_entity_without_its_semicolon_is_read_as_html_reads_it() {
    let (warnings, titles, _) = repaired(
        "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>t</title>\n\
         <item><title>A&nbsp B &copy 2031</title><link>http://127.0.0.1/?a=1&copy=2</link></item>\n\
         </channel></rss>",
    );
    assert_eq!(titles, ["A\u{a0} B © 2031"]);
    assert_eq!(
        warnings,
        [
            "ill-formed XML: an HTML entity without its ; (line 3), repaired",
            "ill-formed XML: a bare & (line 3), repaired",
        ]
    );
}
