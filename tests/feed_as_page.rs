//! A feed item is understood like a page (issue 17): the sample page served
//! as an RSS feed in the shape the paper's own feeds take (headline as
//! title, `dc:creator` names, paragraphs with the byline line first and
//! the coded captions last) gives the page's byline, editor code and
//! captions, field by field.

use std::path::Path;

use kanbao::model::Article;
use kanbao::source::{feed_file, read_page};

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/feeds/zhumadian-daily/undated/zhumadian-daily-page.txt"
);

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The page's article as the paper's feed carries it.
fn item_xml(n: usize, article: &Article) -> String {
    let mut paragraphs: Vec<String> = Vec::new();
    // A byline line leads, as the feed prints it, unless the credit line
    // in the text is the only byline the page has.
    let credit_only = article.byline.as_ref().is_some_and(|b| {
        article
            .paragraphs
            .first()
            .is_some_and(|p| p.contains(b.text.as_str()))
    });
    if let (Some(byline), false) = (&article.byline, credit_only) {
        paragraphs.push(byline.text.clone());
    }
    paragraphs.extend(article.paragraphs.iter().cloned());
    if let (Some(code), Some(last)) = (&article.editor_code, paragraphs.last_mut()) {
        last.push_str(code);
    }
    for photo in &article.photos {
        let code = photo.code.as_deref().unwrap_or("");
        paragraphs.push(format!("{}{code}", photo.caption));
    }
    let html: String = paragraphs
        .iter()
        .map(|p| format!("<p>{}</p>", escape(p)))
        .collect();
    let creators = article
        .byline
        .as_ref()
        .map(|b| b.reporters.join(" "))
        .unwrap_or_default();
    format!(
        "<item><title>{}</title><link>http://127.0.0.1/{n}.html</link>\
         <dc:creator>{}</dc:creator>\
         <pubDate>Fri, 10 Mar 2023 08:00:00 +0800</pubDate>\
         <description><![CDATA[{html}]]></description></item>",
        escape(article.title.as_deref().unwrap_or("")),
        escape(&creators),
    )
}

#[test]
fn the_sample_as_a_feed_reads_like_the_page() {
    let page = read_page(Path::new(SAMPLE), "sample").unwrap_or_else(|w| panic!("{w}"));
    let articles: Vec<&Article> = page.articles.iter().filter(|a| a.title.is_some()).collect();
    let items: String = articles
        .iter()
        .enumerate()
        .map(|(n, a)| item_xml(n, a))
        .collect();
    let rss = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\
         <channel><title>驻马店日报</title><link>http://127.0.0.1/</link>\
         <description>样张</description>{items}</channel></rss>"
    );
    let feed = feed_file::parse(rss.as_bytes(), None, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(feed.items.len(), articles.len());
    let mut photos = 0;
    for (item, want) in feed.items.iter().zip(&articles) {
        let got = item.to_article("item.txt");
        let title = want.title.as_deref().unwrap_or("");
        assert_eq!(got.title, want.title);
        let names = |a: &Article| {
            a.byline.as_ref().map(|b| {
                (
                    b.text.clone(),
                    b.reporters.clone(),
                    b.correspondents.clone(),
                )
            })
        };
        assert_eq!(names(&got), names(want), "byline of {title}");
        assert_eq!(got.editor_code, want.editor_code, "editor code of {title}");
        let captions = |a: &Article| -> Vec<(String, Option<String>)> {
            a.photos
                .iter()
                .map(|p| (p.caption.clone(), p.code.clone()))
                .collect()
        };
        assert_eq!(captions(&got), captions(want), "captions of {title}");
        assert_eq!(got.paragraphs, want.paragraphs, "text of {title}");
        photos += want.photos.len();
    }
    // The sample has a byline line, credit lines, codes and captions: the
    // comparison above covers each.
    assert!(photos > 0);
    assert!(articles.iter().any(|a| a.editor_code.is_some()));
}

#[test]
fn several_creators_are_several_reporters() {
    for (creator, want) in [
        ("黄育南 张宁", vec!["黄育南", "张宁"]),
        ("黄育南、张宁", vec!["黄育南", "张宁"]),
        ("黄育南,张宁", vec!["黄育南", "张宁"]),
        ("Jane Doe", vec!["Jane Doe"]),
    ] {
        let rss = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
             <rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\
             <channel><title>报</title><item><title>题</title>\
             <dc:creator>{creator}</dc:creator><description>正文。</description>\
             </item></channel></rss>"
        );
        let feed = feed_file::parse(rss.as_bytes(), None, None).unwrap_or_else(|e| panic!("{e}"));
        let article = feed.items[0].to_article("item.txt");
        let reporters = article.byline.map(|b| b.reporters).unwrap_or_default();
        assert_eq!(reporters, want, "{creator}");
    }
}
