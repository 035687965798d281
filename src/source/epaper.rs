//! E-paper editions (电子版, 数字报): a 版面 page → the edition's pages and
//! this page's articles; an article page → the article.
//!
//! The papers' sites are made by a few systems (People's Daily's own, old
//! and new; Founder's classic `node_N.htm` / `content_N.htm` and its `pc/`
//! successor). They are read by what their pages hold, not by host name:
//!
//! - the 版面 list is the links with `id="pageLink"` (every system names
//!   them so), each labelled `01版：要闻`, `第01版：今日要闻` or `A05版`;
//! - a 版面's articles are the links of its title list (`ul.news-list`,
//!   `div.title`, `#titleList`, the page image's `map`), else every link to
//!   an article page (`content_N`, `nw.D…`); links that are not articles
//!   (`本版责编`, navigation, other papers) are skipped;
//! - the PDF is the page's link to a `.pdf`, the page image the one with a
//!   `usemap`, the date `YYYY年MM月DD日` on the page or the edition's path;
//! - an article's body is `#ozoom`, `<founder-content>` or the part between
//!   `<!--enpcontent-->` markers; its heads are `h3`/`h1`/`h2` of the
//!   article, `#intro-title`/`#main-title`/`#sub-title`, or the fields of a
//!   Founder `<!--enpproperty …-->` comment; its author line `p.sec`,
//!   `#author` or the comment's `<author>`;
//! - a picture with a caption is a picture alone in its block (a `p`, a
//!   table cell) followed by a short block of text, or a table holding a
//!   picture and text; captions become photos, not paragraphs.
//!
//! Relative links resolve against the page's own URL.

pub use super::edition::{ArticleLink, Edition, PageLink};

use super::dom::{Dom, Kind, NodeId, collapse, escape};
use super::html::{resolve_url, to_content};
use super::item::{Item, StoredPhoto};
use crate::model::Photo;

/// An article page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Story {
    pub date: Option<String>,
    pub page: Option<String>,
    pub section: Option<String>,
    pub kicker: Option<String>,
    pub title: Option<String>,
    pub subtitle: Option<String>,
    /// The author line as printed: `本报记者 王明 李华`.
    pub author: Option<String>,
    pub paragraphs: Vec<String>,
    pub photos: Vec<Photo>,
}

impl Story {
    /// The article as a stored item: `url` is its address (and identity),
    /// `page` the 版面 it was listed on, whose number, section and date win
    /// over what the article page says.
    pub fn to_item(&self, url: &str, page: Option<&Edition>) -> Item {
        let from_page = |f: fn(&Edition) -> &Option<String>| page.and_then(|p| f(p).clone());
        Item {
            guid: url.to_owned(),
            kicker: self.kicker.clone(),
            title: self.title.clone(),
            subtitle: self.subtitle.clone(),
            link: Some(url.to_owned()),
            author: self.author.clone(),
            date: from_page(|p| &p.date).or_else(|| self.date.clone()),
            page: from_page(|p| &p.page).or_else(|| self.page.clone()),
            category: from_page(|p| &p.section).or_else(|| self.section.clone()),
            photos: self.photos.iter().map(StoredPhoto::from).collect(),
            paragraphs: self.paragraphs.clone(),
            ..Item::default()
        }
    }
}

/// What an e-paper HTML page is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed {
    Edition(Edition),
    Story(Story),
}

/// Reads an e-paper page; `url` is its address, for relative links.
/// `None` when the page is neither a 版面 page nor an article page.
pub fn read(html: &str, url: Option<&str>) -> Option<Parsed> {
    let dom = Dom::parse(html);
    if let Some(story) = story(&dom, url) {
        return Some(Parsed::Story(story));
    }
    edition(&dom, url).map(Parsed::Edition)
}

/// Whether `text` looks like an HTML document rather than page text.
pub fn looks_like_html(text: &str) -> bool {
    let head = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    let head = head
        .char_indices()
        .nth(512)
        .map_or(head, |(end, _)| &head[..end]);
    // Every page file of an archive goes through here: plain text, with no
    // `<` at its start, is answered without a copy.
    if !head.contains('<') {
        return false;
    }
    let start = head.to_ascii_lowercase();
    start.starts_with("<!doctype html")
        || start.starts_with("<html")
        || start.starts_with("<head")
        || start.contains("<html")
        || (start.starts_with('<') && start.contains("<body"))
}

/// Link texts that are never articles.
const NOT_ARTICLES: [&str; 8] = [
    "责编",
    "编辑",
    "上一版",
    "下一版",
    "上一篇",
    "下一篇",
    "返回",
    "PDF",
];

fn edition(dom: &Dom, url: Option<&str>) -> Option<Edition> {
    let mut pages: Vec<PageLink> = Vec::new();
    for a in dom.select("a#pageLink") {
        let Some(href) = dom.attr(a, "href").and_then(|h| address(url, h)) else {
            continue;
        };
        let Some((number, name)) = page_label(&dom.text(a)) else {
            continue;
        };
        if !pages.iter().any(|p| p.url == href) {
            pages.push(PageLink {
                number,
                name,
                url: href,
            });
        }
    }
    let articles = article_links(dom, url);
    if pages.is_empty() && articles.is_empty() {
        return None;
    }
    let here = url.map(without_fragment);
    let current = pages
        .iter()
        .find(|p| Some(p.url.as_str()) == here.as_deref())
        .cloned();
    let (page, section) = match current {
        Some(p) => (Some(p.number), p.name),
        None => labelled_page(dom).map_or((None, None), |(n, s)| (Some(n), s)),
    };
    let pdf = dom
        .select("a[href]")
        .into_iter()
        .filter_map(|a| dom.attr(a, "href"))
        .find(|h| {
            h.to_ascii_lowercase()
                .split(['?', '#'])
                .next()
                .is_some_and(|p| p.ends_with(".pdf"))
        })
        .and_then(|h| address(url, h));
    let image = dom
        .select("img[usemap]")
        .into_iter()
        .find_map(|i| dom.attr(i, "src"))
        .and_then(|s| address(url, s));
    Some(Edition {
        date: page_date(dom, url),
        page,
        section,
        pdf,
        image,
        pages,
        articles,
    })
}

/// `01版：要闻`, `第01版：今日要闻`, `A05版`, `第 3 版:评论` → number and name.
pub fn page_label(label: &str) -> Option<(String, Option<String>)> {
    let label = collapse(label);
    let rest = label.trim_start_matches('第').trim_start();
    let (number, after) = rest.split_once('版')?;
    let number = number.trim();
    let valid = !number.is_empty()
        && number.chars().all(|c| c.is_ascii_alphanumeric())
        && number.chars().any(|c| c.is_ascii_digit());
    if !valid {
        return None;
    }
    let number = match number.parse::<u32>() {
        Ok(n) if number.len() < 2 => format!("{n:02}"),
        _ => number.to_ascii_uppercase(),
    };
    let name = after
        .trim_start_matches(['：', ':', ' ', '\u{3000}', '·', '-'])
        .trim();
    Some((number, (!name.is_empty()).then(|| name.to_owned())))
}

/// A 版面 label written on the page itself (`p.ban`, `#nowLayout`, …).
fn labelled_page(dom: &Dom) -> Option<(String, Option<String>)> {
    dom.select("#nowLayout, .ban, .bmname, .layout-name, .paper-name")
        .into_iter()
        .find_map(|n| page_label(&dom.text(n)))
}

fn article_links(dom: &Dom, url: Option<&str>) -> Vec<ArticleLink> {
    let listed = dom.select(
        "ul.news-list a, div.news-list a, div.title li a, #titleList a, .title-list a, map area",
    );
    let candidates = if listed.is_empty() {
        dom.select("a[href]")
            .into_iter()
            .filter(|&a| dom.attr(a, "href").is_some_and(is_article_href))
            .collect()
    } else {
        listed
    };
    let mut links: Vec<ArticleLink> = Vec::new();
    for a in candidates {
        let Some(href) = dom.attr(a, "href").filter(|h| is_article_href(h)) else {
            continue;
        };
        let Some(href) = address(url, href).map(|h| without_fragment(&h)) else {
            continue;
        };
        let text = link_text(dom, a);
        if NOT_ARTICLES.iter().any(|n| text.contains(n)) {
            continue;
        }
        match links.iter_mut().find(|l| l.url == href) {
            Some(l) if l.title.is_empty() => l.title = text,
            Some(_) => {}
            None => links.push(ArticleLink {
                title: text,
                url: href,
            }),
        }
    }
    links
}

/// What a link says: its text, else its `title` or `alt`.
fn link_text(dom: &Dom, a: NodeId) -> String {
    let text = dom.text(a);
    if !text.is_empty() {
        return text;
    }
    ["title", "alt"]
        .iter()
        .find_map(|k| dom.attr(a, k).map(collapse).filter(|t| !t.is_empty()))
        .unwrap_or_default()
}

/// Whether a link's target is an article page of an e-paper system:
/// `content_123.html`, `content_123.htm?div=-1`, `nw.D110000renmrb_…htm`.
fn is_article_href(href: &str) -> bool {
    let path = href.split(['?', '#']).next().unwrap_or("");
    let file = path.rsplit('/').next().unwrap_or("");
    let lower = file.to_ascii_lowercase();
    let html = lower.ends_with(".htm") || lower.ends_with(".html");
    html && (lower.starts_with("content_") || lower.starts_with("nw."))
}

/// Stands in for the address of a saved page (`.invalid` is reserved: it
/// names no host).
const SAVED: &str = "http://saved.invalid/";

/// Where `href` leads from the page at `url`. A saved page has no
/// address: its relative links are kept as written.
fn address(url: Option<&str>, href: &str) -> Option<String> {
    match url {
        Some(_) => resolve_url(url, href),
        None => resolve_url(Some(SAVED), href).map(|_| href.trim().to_owned()),
    }
}

fn without_fragment(url: &str) -> String {
    url.split('#').next().unwrap_or(url).to_owned()
}

/// The edition's date: `YYYY年M月D日` on the page (`.newstime`, `.date`,
/// any text), else from the URL's path (`202310/01`, `2023-10/01`,
/// `_20231001_`).
fn page_date(dom: &Dom, url: Option<&str>) -> Option<String> {
    let marked = dom
        .select(".newstime, .date, #date")
        .into_iter()
        .find_map(|n| chinese_date(&dom.text(n)));
    marked
        .or_else(|| url.and_then(url_date))
        .or_else(|| chinese_date(&dom.text(0)))
}

/// The first `YYYY年M月D日` (or `YYYY-MM-DD`) in `text`.
pub fn chinese_date(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    for start in 0..chars.len() {
        if start > 0 && chars[start - 1].is_ascii_digit() {
            continue;
        }
        let mut i = start;
        let mut parts = [0u32; 3];
        let mut ok = true;
        for (k, sep) in [('年', '-'), ('月', '-'), ('日', ' ')].iter().enumerate() {
            let begin = i;
            while i < chars.len() && chars[i].is_ascii_digit() && i - begin < 4 {
                i += 1;
            }
            let digits: String = chars[begin..i].iter().collect();
            let want = if k == 0 { 4..=4 } else { 1..=2 };
            if !want.contains(&digits.len()) {
                ok = false;
                break;
            }
            parts[k] = digits.parse().unwrap_or(0);
            if k < 2 {
                while i < chars.len() && chars[i] == ' ' {
                    i += 1;
                }
                if i < chars.len() && (chars[i] == sep.0 || chars[i] == sep.1) {
                    i += 1;
                    while i < chars.len() && chars[i] == ' ' {
                        i += 1;
                    }
                } else {
                    ok = false;
                    break;
                }
            }
        }
        if ok && valid_date(parts) {
            return Some(format!("{:04}-{:02}-{:02}", parts[0], parts[1], parts[2]));
        }
    }
    None
}

fn valid_date([y, m, d]: [u32; 3]) -> bool {
    (1900..=2200).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d)
}

/// A date in an e-paper URL's path: `/202310/01/`, `/2023-10/01/`,
/// `_20231001_`, `/20231001/`.
pub fn url_date(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let segments: Vec<&str> = path.split('/').collect();
    for pair in segments.windows(2) {
        let (ym, d) = (pair[0], pair[1]);
        let ym: String = ym.chars().filter(char::is_ascii_digit).collect();
        let all_digits_or_dash = pair[0].chars().all(|c| c.is_ascii_digit() || c == '-');
        if all_digits_or_dash
            && ym.len() == 6
            && d.len() == 2
            && d.chars().all(|c| c.is_ascii_digit())
        {
            let parts = [
                ym[..4].parse().unwrap_or(0),
                ym[4..].parse().unwrap_or(0),
                d.parse().unwrap_or(0),
            ];
            if valid_date(parts) {
                return Some(format!("{}-{}-{d}", &ym[..4], &ym[4..]));
            }
        }
    }
    for run in path.split(|c: char| !c.is_ascii_digit()) {
        if run.len() == 8 {
            let parts = [
                run[..4].parse().unwrap_or(0),
                run[4..6].parse().unwrap_or(0),
                run[6..].parse().unwrap_or(0),
            ];
            if valid_date(parts) {
                return Some(format!("{}-{}-{}", &run[..4], &run[4..6], &run[6..]));
            }
        }
    }
    None
}

/// A Founder `<!--enpproperty <title>…</title>…-->` comment, if the page
/// has one: its text.
fn enp_properties(dom: &Dom) -> Option<&str> {
    dom.all().into_iter().find_map(|n| match dom.kind(n) {
        Kind::Comment(text) if text.trim_start().starts_with("enpproperty") => Some(text.as_str()),
        _ => None,
    })
}

/// One field of an `enpproperty` comment, `<field>…</field>`.
fn enp_field(properties: Option<&str>, field: &str) -> Option<String> {
    let text = properties?;
    let open = format!("<{field}>");
    let start = text.find(&open)? + open.len();
    let end = start + text[start..].find(&format!("</{field}>"))?;
    let value = collapse(&text[start..end]);
    (!value.is_empty()).then_some(value)
}

fn story(dom: &Dom, url: Option<&str>) -> Option<Story> {
    let body = body_of(dom)?;
    let scope = dom.first(".article, #scroller, .text_c").unwrap_or(0);
    let enp = enp_properties(dom);
    let head = |selector: &str, field: &str| {
        dom.select_in(scope, selector)
            .into_iter()
            .map(|n| dom.text(n))
            .find(|t| !t.is_empty())
            .or_else(|| enp_field(enp, field))
    };
    let title = head("h1, #main-title, .font01", "title");
    title.as_ref()?;
    let kicker = head("h3, #intro-title", "introtitle").or_else(|| classic_head(dom, true));
    let subtitle = head("h2, #sub-title", "subtitle").or_else(|| classic_head(dom, false));
    let author = author_line(dom, scope).or_else(|| enp_field(enp, "author"));
    let label = labelled_page(dom);
    let page = label
        .as_ref()
        .map(|(n, _)| n.clone())
        .or_else(|| printed_page(dom, scope));
    let section = label
        .and_then(|(_, s)| s)
        .or_else(|| enp_field(enp, "nodename"));
    let date = enp_field(enp, "date")
        .and_then(|d| chinese_date(&d))
        .or_else(|| {
            dom.select_in(scope, ".date, .sec, .newstime")
                .into_iter()
                .find_map(|n| chinese_date(&dom.text(n)))
        })
        .or_else(|| url.and_then(url_date));
    let mut html = photos_html(dom, scope, body);
    html.push_str(&body_html(dom, body));
    // A saved page has no address; its pictures keep their captions
    // without one (to_content drops pictures it cannot place).
    let mut content = to_content(&html, Some(url.unwrap_or(SAVED)));
    if url.is_none() {
        for photo in &mut content.photos {
            if photo.url.as_deref().is_some_and(|u| u.starts_with(SAVED)) {
                photo.url = None;
            }
        }
        for link in &mut content.links {
            if let Some(path) = link.url.strip_prefix(SAVED.trim_end_matches('/')) {
                link.url = path.to_owned();
            }
        }
    }
    Some(Story {
        date,
        page,
        section,
        kicker,
        title,
        subtitle,
        author,
        paragraphs: content.paragraphs,
        photos: content.photos,
    })
}

/// The element holding the article's text.
fn body_of(dom: &Dom) -> Option<NodeId> {
    if let Some(n) = dom.first("founder-content") {
        return Some(n);
    }
    if let Some(n) = dom.first("#ozoom") {
        return Some(n);
    }
    // Between <!--enpcontent--> markers: their parent.
    dom.all()
        .into_iter()
        .find(|&n| matches!(dom.kind(n), Kind::Comment(t) if t.trim() == "enpcontent"))
        .and_then(|n| dom.parent(n))
}

/// Classic Founder heads: `td.font02` before `td.font01` is the kicker,
/// after it the subheadline.
fn classic_head(dom: &Dom, before: bool) -> Option<String> {
    let title = dom.first(".font01")?;
    let order = dom.all();
    let at = order.iter().position(|&n| n == title)?;
    let seconds = dom.select(".font02");
    let pick = |n: &NodeId| {
        let i = order.iter().position(|m| m == n).unwrap_or(0);
        if before { i < at } else { i > at }
    };
    let found: Vec<NodeId> = seconds.into_iter().filter(pick).collect();
    let node = if before { found.last() } else { found.first() };
    node.map(|&n| dom.text(n)).filter(|t| !t.is_empty())
}

/// `p.sec`'s text before its date (`本报记者 王明 李华`), or `#author`.
fn author_line(dom: &Dom, scope: NodeId) -> Option<String> {
    if let Some(sec) = dom.select_in(scope, "p.sec").into_iter().next() {
        let mut raw = String::new();
        for &c in dom.children(sec) {
            match dom.kind(c) {
                Kind::Text(t) => raw.push_str(t),
                Kind::Element { name, .. } if name == "span" => break,
                Kind::Element { .. } => raw.push_str(&dom.text(c)),
                Kind::Comment(_) => {}
            }
        }
        let line = collapse(&raw);
        if !line.is_empty() {
            return Some(line);
        }
    }
    dom.select_in(scope, "#author")
        .into_iter()
        .map(|n| dom.text(n))
        .find(|t| !t.is_empty())
}

/// `第 01 版` in the article's date line.
fn printed_page(dom: &Dom, scope: NodeId) -> Option<String> {
    dom.select_in(scope, ".date, .sec")
        .into_iter()
        .find_map(|n| {
            let text = dom.text(n);
            let at = text.find('第')?;
            page_label(&text[at..]).map(|(n, _)| n)
        })
}

/// Pictures of the article outside its body (People's Daily's
/// `table.pci_c`), as `<figure>`s for [`to_content`].
fn photos_html(dom: &Dom, scope: NodeId, body: NodeId) -> String {
    let inside_body = dom.descendants(body);
    let mut html = String::new();
    for table in dom.select_in(scope, "table") {
        if inside_body.contains(&table) || !dom.select_in(table, "table").is_empty() {
            continue;
        }
        let images = dom.select_in(table, "img");
        if images.is_empty() {
            continue;
        }
        let caption = dom.text(table);
        figure(dom, &images, &caption, &mut html);
    }
    html
}

fn figure(dom: &Dom, images: &[NodeId], caption: &str, html: &mut String) {
    html.push_str("<figure>");
    for &img in images {
        let mut one = String::from("<img");
        for key in ["src", "data-src", "alt"] {
            if let Some(v) = dom.attr(img, key) {
                one.push_str(&format!(" {key}=\"{}\"", escape(v)));
            }
        }
        one.push('>');
        html.push_str(&one);
    }
    if !caption.is_empty() {
        html.push_str("<figcaption>");
        html.push_str(&escape(caption));
        html.push_str("</figcaption>");
    }
    html.push_str("</figure>");
}

/// Captions are at most this many characters.
const CAPTION_MAX: usize = 200;

/// The body's markup, a picture alone in its block followed by a short
/// block of text turned into a `<figure>` with that text as its caption.
fn body_html(dom: &Dom, body: NodeId) -> String {
    let children: Vec<NodeId> = dom
        .children(body)
        .iter()
        .copied()
        .filter(|&c| !matches!(dom.kind(c), Kind::Text(t) if t.trim().is_empty()))
        .collect();
    let mut html = String::new();
    let mut i = 0;
    while i < children.len() {
        let c = children[i];
        let images = if dom.name(c).is_empty() {
            Vec::new()
        } else if dom.name(c) == "img" {
            vec![c]
        } else {
            dom.select_in(c, "img")
        };
        let alone = !images.is_empty() && dom.text(c).is_empty();
        let next = children.get(i + 1).copied();
        let caption = next
            .filter(|&n| !dom.name(n).is_empty() && dom.select_in(n, "img").is_empty())
            .map(|n| dom.text(n))
            .filter(|t| !t.is_empty() && t.chars().count() <= CAPTION_MAX);
        match (alone, caption) {
            (true, Some(caption)) => {
                figure(dom, &images, &caption, &mut html);
                i += 2;
            }
            _ => {
                html.push_str(&dom.outer_html(c));
                i += 1;
            }
        }
    }
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_labels() {
        let label = |s: &str| page_label(s);
        assert_eq!(
            label("01版：要闻"),
            Some(("01".into(), Some("要闻".into())))
        );
        assert_eq!(
            label("第01版：今日要闻"),
            Some(("01".into(), Some("今日要闻".into())))
        );
        assert_eq!(label("A05版"), Some(("A05".into(), None)));
        assert_eq!(
            label("第 3 版:评论"),
            Some(("03".into(), Some("评论".into())))
        );
        assert_eq!(label("版面导航"), None);
        assert_eq!(label("本版责编：张某"), None);
    }

    #[test]
    fn dates_on_pages_and_in_urls() {
        assert_eq!(
            chinese_date("2023年10月1日 星期日").as_deref(),
            Some("2023-10-01")
        );
        assert_eq!(
            chinese_date("（ 2023年10月01日   第 01 版）").as_deref(),
            Some("2023-10-01")
        );
        assert_eq!(
            chinese_date("2023-10-01 00:00:00:0").as_deref(),
            Some("2023-10-01")
        );
        assert_eq!(chinese_date("12023年13月1日"), None);
        assert_eq!(
            url_date("http://h/rmrb/pc/layout/202310/01/node_01.html").as_deref(),
            Some("2023-10-01")
        );
        assert_eq!(
            url_date("http://h/rmrb/html/2023-10/01/nbs.D110000renmrb_01.htm").as_deref(),
            Some("2023-10-01")
        );
        assert_eq!(
            url_date("http://h/nw.D110000renmrb_20231001_1-01.htm").as_deref(),
            Some("2023-10-01")
        );
        assert_eq!(url_date("http://h/node_2.htm"), None);
    }

    #[test]
    fn article_hrefs() {
        assert!(is_article_href(
            "../../../content/202310/01/content_1001.html"
        ));
        assert!(is_article_href("content_501.htm?div=-1"));
        assert!(is_article_href("nw.D110000renmrb_20231001_1-01.htm"));
        assert!(!is_article_href("node_2.htm"));
        assert!(!is_article_href("http://www.example.com/"));
    }
}
