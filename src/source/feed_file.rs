//! Feed bytes → items: RSS 0.9x/1.0/2.0, Atom and JSON Feed via feed-rs.
//!
//! The bytes are decoded here first, so that a feed's encoding is honoured
//! however it is declared: a byte-order mark, the XML prolog
//! (`encoding="gb2312"`), valid UTF-8, the HTTP charset, else detection.
//! The first of these that decodes cleanly wins, because real feeds often
//! declare one thing and send another. A blank line or BOM before `<?xml`
//! is dropped. Dates keep the feed's own clock: `Sat, 09 Mar 2024 07:00
//! +0800` is dated the 9th; `CST` is China Standard Time, and a time with
//! no zone (`2024-03-12 09:30:00`, common in Chinese feeds) is UTC+8.
//! Then feed-rs parses the UTF-8 text, and each entry's HTML becomes
//! paragraphs, numbered links and photos ([`super::html`]).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, Utc};
use encoding_rs::Encoding;

use super::decode::strictly;
use super::html;
use super::item::{Item, StoredLink, StoredPhoto};

/// A parsed feed: its title and items, newest first as the feed lists them.
#[derive(Debug, Clone, Default)]
pub struct ParsedFeed {
    pub title: Option<String>,
    pub items: Vec<Item>,
    /// What was repaired to read an ill-formed document ([`super::repair`]),
    /// one line each.
    pub warnings: Vec<String>,
}

/// Parses a feed's bytes; `charset` is the HTTP Content-Type's, `base_url`
/// resolves relative links. The error is one line.
pub fn parse(
    bytes: &[u8],
    charset: Option<&str>,
    base_url: Option<&str>,
) -> Result<ParsedFeed, String> {
    let text = decode(bytes, charset)?;
    let text = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if text.is_empty() {
        return Err("empty feed: the server sent nothing to read".to_owned());
    }
    if is_html_page(text) {
        return Err(
            "a web page (HTML), not a feed; use the page's RSS or Atom link \
                    (often …/rss.xml, …/feed or …/atom.xml)"
                .to_owned(),
        );
    }
    let mut utf8 = rss090_as_rss10(atom03_as_atom10(as_utf8_xml(text)));
    let mut warnings = Vec::new();
    let offsets = Arc::new(Mutex::new(HashMap::<i64, i32>::new()));
    // A parser is used once: after a failure it may hold state that a
    // second parse trips over (feed-rs asserts on it).
    let parser = || {
        let recorder = Arc::clone(&offsets);
        feed_rs::parser::Builder::new()
            .base_uri(base_url)
            .id_generator(|links, title, _| match (links.first(), title) {
                (Some(link), _) => format!("link:{}", link.href),
                (None, Some(title)) => format!("title:{}", title.content),
                (None, None) => "untitled".to_owned(),
            })
            .timestamp_parser(move |text| {
                let stamp = timestamp(text)?;
                if let Ok(mut offsets) = recorder.lock() {
                    offsets.insert(stamp.timestamp(), stamp.offset().local_minus_utc());
                }
                Some(stamp.with_timezone(&Utc))
            })
            .build()
    };
    let feed = match parser().parse(utf8.as_bytes()) {
        Ok(feed) => feed,
        // Ill-formed, as real feeds often are: repaired, read again, and
        // the repairs said; if that does not help either, the first reason.
        Err(first) => {
            let reason = describe(&first, &utf8);
            let Some((repaired, repairs)) = super::repair::repair(&utf8) else {
                return Err(reason);
            };
            match parser().parse(repaired.as_bytes()) {
                Ok(feed) => {
                    utf8 = repaired;
                    warnings = repairs;
                    feed
                }
                Err(_) => return Err(reason),
            }
        }
    };
    if feed.entries.is_empty() && holds_entries(&utf8) {
        // Never "0 new" for a document that plainly has items.
        return Err(
            "no items read: the document has <item> or <entry> elements, but not as RSS, \
             Atom or JSON Feed describe them (unsupported format)"
                .to_owned(),
        );
    }
    let offsets = offsets.lock().map(|o| o.clone()).unwrap_or_default();
    let title = feed.title.as_ref().map(|t| plain(&t.content));
    let extra = extra_images(&utf8, feed.entries.len());
    let items = feed
        .entries
        .iter()
        .zip(extra)
        .map(|(e, images)| item(e, base_url, &offsets, &images))
        .collect();
    Ok(ParsedFeed {
        title,
        items,
        warnings,
    })
}

/// Whether an XML document has `<item>` or `<entry>` elements (any
/// namespace prefix), or a JSON one an `"items"` array with something in it.
fn holds_entries(text: &str) -> bool {
    let element = |name: &str| {
        text.match_indices(name).any(|(i, _)| {
            let before = text[..i].rfind(['<', '>', ' ', '\n']);
            let open = before.is_some_and(|b| {
                text[b..].starts_with('<')
                    && text[b + 1..i]
                        .chars()
                        .all(|c| c.is_alphanumeric() || c == ':')
            });
            let after = text[i + name.len()..].chars().next();
            open && after.is_some_and(|c| c == '>' || c == ' ' || c == '/')
        })
    };
    if text.trim_start().starts_with('{') {
        return text
            .find("\"items\"")
            .and_then(|i| text[i..].find('[').map(|b| i + b))
            .is_some_and(|b| text[b + 1..].trim_start().starts_with('{'));
    }
    element("item") || element("entry")
}

fn is_html_page(text: &str) -> bool {
    let head: String = text
        .chars()
        .take(64)
        .collect::<String>()
        .to_ascii_lowercase();
    head.starts_with("<!doctype html") || head.starts_with("<html")
}

/// China Standard Time, for `CST` and for times written without a zone.
const CHINA: i32 = 8 * 3600;

/// A feed's timestamp with its own offset: RFC 2822, RFC 3339, and the
/// forms Chinese feeds use (`2024-03-12 09:30:00`, `2024/03/12 09:30`).
pub fn timestamp(text: &str) -> Option<DateTime<FixedOffset>> {
    let text = text.trim();
    let china = FixedOffset::east_opt(CHINA)?;
    let text = match text
        .strip_suffix("CST")
        .or_else(|| text.strip_suffix("(CST)"))
    {
        Some(rest) => format!("{} +0800", rest.trim_end()),
        None => text.to_owned(),
    };
    if let Ok(t) = DateTime::parse_from_rfc2822(&text) {
        return Some(t);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(&text) {
        return Some(t);
    }
    for format in [
        "%Y-%m-%d %H:%M:%S %z",
        "%Y-%m-%dT%H:%M:%S%z",
        "%Y-%m-%d %H:%M %z",
    ] {
        if let Ok(t) = DateTime::parse_from_str(&text, format) {
            return Some(t);
        }
    }
    for format in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y/%m/%d %H:%M:%S",
        "%Y/%m/%d %H:%M",
        "%Y年%m月%d日 %H:%M:%S",
        "%Y年%m月%d日 %H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(&text, format) {
            return t.and_local_timezone(china).single();
        }
    }
    for format in ["%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日"] {
        if let Ok(d) = NaiveDate::parse_from_str(&text, format) {
            return d.and_hms_opt(0, 0, 0)?.and_local_timezone(china).single();
        }
    }
    None
}

/// Pictures feed-rs does not keep, per entry: a JSON Feed item's `image`
/// and `banner_image`, and RSS `<enclosure>` images next to media:content.
fn extra_images(text: &str, entries: usize) -> Vec<Vec<String>> {
    let mut out = vec![Vec::new(); entries];
    if text.starts_with('{') {
        if let Ok(json) = serde_json::from_str::<serde_json::Value>(text)
            && let Some(items) = json.get("items").and_then(|i| i.as_array())
        {
            for (images, item) in out.iter_mut().zip(items) {
                for key in ["image", "banner_image"] {
                    if let Some(url) = item.get(key).and_then(|u| u.as_str()) {
                        images.push(url.to_owned());
                    }
                }
            }
        }
        return out;
    }
    let mut rest = text;
    let mut index = 0;
    while let Some(start) = rest.find("<item") {
        let Some(len) = rest[start..].find("</item>") else {
            break;
        };
        let body = &rest[start..start + len];
        if let Some(images) = out.get_mut(index) {
            images.extend(enclosure_images(body));
        }
        index += 1;
        rest = &rest[start + len + "</item>".len()..];
    }
    out
}

/// The urls of `<enclosure>` elements of an image type in an item's XML.
fn enclosure_images(item: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = item;
    while let Some(at) = rest.find("<enclosure") {
        let tag = &rest[at..];
        let end = tag.find('>').unwrap_or(tag.len());
        let tag = &tag[..end];
        let attr = |name: &str| {
            let at = tag.find(&format!("{name}="))? + name.len() + 1;
            let quote = tag[at..].chars().next()?;
            let value = &tag[at + 1..];
            value
                .find(quote)
                .map(|end| value[..end].replace("&amp;", "&"))
        };
        if attr("type").is_none_or(|t| t.starts_with("image/"))
            && let Some(url) = attr("url")
        {
            out.push(url);
        }
        rest = &rest[at + end..];
    }
    out
}

/// Whether bytes look like a feed rather than a page of plain text.
pub fn looks_like_feed(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    let head = String::from_utf8_lossy(head);
    let head = head.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    head.starts_with("<?xml")
        || head.starts_with("<rss")
        || head.starts_with("<feed")
        || head.starts_with("<rdf:RDF")
        || (head.starts_with('{') && head.contains("jsonfeed.org"))
}

fn describe(error: &feed_rs::parser::ParseFeedError, text: &str) -> String {
    use feed_rs::parser::ParseFeedError;
    match error {
        ParseFeedError::ParseError(kind) => format!("not a feed: {kind}"),
        ParseFeedError::IoError(e) => format!("cannot read the feed: {e}"),
        ParseFeedError::JsonSerde(e) => format!("invalid JSON Feed: {e}"),
        ParseFeedError::JsonUnsupportedVersion(v) => {
            format!("unsupported JSON Feed version {v}")
        }
        ParseFeedError::XmlReader(e) => {
            let detail = e.to_string();
            let end = text.trim_end();
            let truncated = !["</rss>", "</feed>", "</rdf:RDF>", "</RDF>"]
                .iter()
                .any(|t| end.ends_with(t));
            if truncated {
                format!("invalid XML (the feed ends early: truncated?): {detail}")
            } else {
                format!("invalid XML: {detail}")
            }
        }
    }
}

/// The feed's text as UTF-8, from the first encoding that decodes cleanly.
fn decode(bytes: &[u8], charset: Option<&str>) -> Result<String, String> {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        return strictly(encoding, &bytes[bom..]).ok_or_else(|| {
            format!(
                "the feed starts with a {} byte-order mark but is not {0} text",
                encoding.name()
            )
        });
    }
    // The feed's own declaration first, then valid UTF-8, then the HTTP
    // charset: servers often send a default charset that does not match,
    // and single-byte charsets "decode" any bytes into mojibake.
    let declared = xml_encoding(bytes);
    let label = |l: Option<&str>| l.and_then(|l| Encoding::for_label(l.trim().as_bytes()));
    let candidates = [
        label(declared.as_deref()),
        Some(encoding_rs::UTF_8),
        label(charset),
    ];
    for encoding in candidates.into_iter().flatten() {
        if let Some(text) = strictly(encoding, bytes) {
            return Ok(text);
        }
    }
    match super::decode::decode(bytes) {
        Ok(decoded) => Ok(decoded.text),
        Err(e) => Err(format!("cannot decode the feed: {e}")),
    }
}

/// The `encoding` of an XML declaration at the start of `bytes`.
fn xml_encoding(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(512)];
    let start = head.iter().position(|b| !b.is_ascii_whitespace())?;
    let head = &head[start..];
    if !head.starts_with(b"<?xml") {
        return None;
    }
    let end = head.windows(2).position(|w| w == b"?>")?;
    let decl = std::str::from_utf8(&head[..end]).ok()?;
    let at = decl.find("encoding")?;
    let rest = decl[at + "encoding".len()..]
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &rest[1..];
    let close = value.find(quote)?;
    Some(value[..close].to_owned())
}

/// The text with its XML declaration saying UTF-8, which it now is.
fn as_utf8_xml(text: &str) -> String {
    let (head, rest) = match text.strip_prefix("<?xml") {
        Some(rest) => match rest.find("?>") {
            Some(end) => (
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                &rest[end + 2..],
            ),
            None => ("", text),
        },
        None => ("", text),
    };
    // Any other XML declaration (a second one, or one after stray text)
    // is invalid, and the XML reader would take its encoding and switch
    // to it mid-stream, which it cannot do (it panics: found by fuzzing).
    // It becomes an ordinary processing instruction, which is ignored.
    format!("{head}{}", rest.replace("<?xml", "<?_xml"))
}

/// The Atom 0.3 namespace; feed-rs reads only Atom 1.0, and finds no
/// entries in a 0.3 feed.
const ATOM_03: &str = "http://purl.org/atom/ns#";

/// An Atom 0.3 feed rewritten as the Atom 1.0 it corresponds to: the
/// namespace; `issued` → `published`, `modified` → `updated` (`created`
/// → `published` where there is no `issued`); content and summary types
/// `text/html` → `html`, `text/plain` → `text`, `application/xhtml+xml` →
/// `xhtml`, and `mode="escaped"` dropped (escaped is how Atom 1.0 carries
/// `html`). Other documents are returned as they are.
fn atom03_as_atom10(text: String) -> String {
    if !text.contains(ATOM_03) {
        return text;
    }
    let mut out = text.replace(ATOM_03, "http://www.w3.org/2005/Atom");
    let has_issued = out.contains("<issued");
    let mut renames = vec![("issued", "published"), ("modified", "updated")];
    if !has_issued {
        renames.push(("created", "published"));
    }
    for (old, new) in renames {
        for (from, to) in [("<", "<"), ("</", "</")] {
            out = out
                .replace(&format!("{from}{old}>"), &format!("{to}{new}>"))
                .replace(&format!("{from}{old} "), &format!("{to}{new} "));
        }
    }
    for (old, new) in [
        ("type=\"text/html\"", "type=\"html\""),
        ("type='text/html'", "type='html'"),
        ("type=\"text/plain\"", "type=\"text\""),
        ("type='text/plain'", "type='text'"),
        ("type=\"application/xhtml+xml\"", "type=\"xhtml\""),
        ("type='application/xhtml+xml'", "type='xhtml'"),
        (" mode=\"escaped\"", ""),
        (" mode='escaped'", ""),
    ] {
        out = out.replace(old, new);
    }
    out
}

/// RSS 0.90 is RSS 1.0's elements in another namespace, which feed-rs
/// does not know (it finds no items): read it as RSS 1.0.
fn rss090_as_rss10(text: String) -> String {
    const RSS_090: &str = "http://my.netscape.com/rdf/simple/0.9/";
    if text.contains(RSS_090) {
        text.replace(RSS_090, "http://purl.org/rss/1.0/")
    } else {
        text
    }
}

/// Text that may hold markup or entities, as one plain line.
fn plain(text: &str) -> String {
    if text.contains('<') || text.contains('&') {
        html::to_content(text, None).paragraphs.join(" ")
    } else {
        crate::sanitize::sanitize(text.trim()).into_owned()
    }
}

fn item(
    entry: &feed_rs::model::Entry,
    base_url: Option<&str>,
    offsets: &HashMap<i64, i32>,
    images: &[String],
) -> Item {
    let (kicker, title) = match entry.title.as_ref() {
        Some(t) => split_title(&t.content),
        None => (None, None),
    };
    let link = entry
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .or(entry.links.first())
        .map(|l| l.href.clone());
    let base = link.as_deref().or(base_url);
    let body = entry
        .content
        .as_ref()
        .and_then(|c| c.body.as_deref())
        .or(entry.summary.as_ref().map(|s| s.content.as_str()))
        .unwrap_or("");
    let content = html::to_content(body, base);
    let mut photos: Vec<StoredPhoto> = content.photos.iter().map(StoredPhoto::from).collect();
    for media in &entry.media {
        let caption = media
            .description
            .as_ref()
            .or(media.title.as_ref())
            .map(|t| plain(&t.content))
            .unwrap_or_default();
        let credit = media.credits.first().map(|c| c.entity.clone());
        for c in &media.content {
            let is_image = c
                .content_type
                .as_ref()
                .is_none_or(|t| t.to_string().starts_with("image/"));
            let Some(url) = c.url.as_ref().map(|u| u.to_string()) else {
                continue;
            };
            if is_image
                && !photos
                    .iter()
                    .any(|p| p.url.as_deref() == Some(url.as_str()))
            {
                photos.push(StoredPhoto {
                    url: Some(url),
                    caption: caption.clone(),
                    credit: credit.clone(),
                });
            }
        }
    }
    for url in images {
        if !photos
            .iter()
            .any(|p| p.url.as_deref() == Some(url.as_str()))
        {
            photos.push(StoredPhoto {
                url: Some(url.clone()),
                caption: String::new(),
                credit: None,
            });
        }
    }
    // In the feed's own clock, so that the date is the feed's day.
    let own_clock = |d: DateTime<Utc>| {
        let offset = offsets.get(&d.timestamp()).copied().unwrap_or(0);
        match FixedOffset::east_opt(offset) {
            Some(o) => d.with_timezone(&o).to_rfc3339(),
            None => d.to_rfc3339(),
        }
    };
    let published = entry.published.or(entry.updated).map(own_clock);
    let guid = if entry.id.starts_with("title:") {
        // No guid and no link: the title and the date identify the item.
        format!("{}|{}", entry.id, published.as_deref().unwrap_or(""))
    } else {
        entry.id.clone()
    };
    let authors: Vec<String> = entry
        .authors
        .iter()
        .filter_map(|p| p.name.as_deref())
        .map(plain)
        .filter(|n| !n.is_empty())
        .collect();
    Item {
        guid,
        kicker,
        title,
        link,
        author: (!authors.is_empty()).then(|| authors.join("、")),
        published,
        updated: entry.updated.map(own_clock),
        category: entry
            .categories
            .first()
            .map(|c| plain(c.label.as_deref().unwrap_or(&c.term))),
        photos,
        links: content
            .links
            .iter()
            .map(|l| StoredLink {
                text: l.text.clone(),
                url: l.url.clone(),
            })
            .collect(),
        paragraphs: content.paragraphs,
        ..Item::default()
    }
}

/// A title on two lines is a kicker and a headline.
fn split_title(raw: &str) -> (Option<String>, Option<String>) {
    let lines: Vec<String> = raw.lines().map(plain).filter(|l| !l.is_empty()).collect();
    match lines.as_slice() {
        [] => (None, None),
        [title] => (None, Some(title.clone())),
        [kicker, rest @ ..] => (Some(kicker.clone()), Some(rest.join(" "))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_declaration_encodings() {
        assert_eq!(
            xml_encoding(b"<?xml version=\"1.0\" encoding=\"gb2312\"?><rss/>"),
            Some("gb2312".into())
        );
        assert_eq!(
            xml_encoding(b"\n\n<?xml version='1.0' encoding='Big5'?>"),
            Some("Big5".into())
        );
        assert_eq!(xml_encoding(b"<rss/>"), None);
    }

    #[test]
    fn declared_gb2312_decodes_as_gbk() {
        let (bytes, _, _) =
            encoding_rs::GBK.encode("<?xml version=\"1.0\" encoding=\"gb2312\"?><rss>中文</rss>");
        assert_eq!(
            decode(&bytes, None).ok().as_deref(),
            Some("<?xml version=\"1.0\" encoding=\"gb2312\"?><rss>中文</rss>")
        );
    }

    #[test]
    fn a_wrong_http_charset_loses_to_the_bytes() {
        let (bytes, _, _) =
            encoding_rs::GBK.encode("<?xml version=\"1.0\" encoding=\"gbk\"?><rss>中文</rss>");
        let text = decode(&bytes, Some("utf-8")).unwrap_or_default();
        assert!(text.contains("中文"));
    }

    #[test]
    fn two_line_titles_keep_the_kicker() {
        assert_eq!(
            split_title("全市科技工作会议提出\n奋力建设区域创新高地"),
            (
                Some("全市科技工作会议提出".into()),
                Some("奋力建设区域创新高地".into())
            )
        );
        assert_eq!(split_title("一行标题"), (None, Some("一行标题".into())));
    }
}
