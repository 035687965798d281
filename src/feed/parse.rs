//! Feed bytes → items: RSS 0.9x/1.0/2.0, Atom and JSON Feed via feed-rs.
//!
//! The bytes are decoded here first, so that a feed's encoding is honoured
//! however it is declared: a byte-order mark, the HTTP charset, the XML
//! prolog (`encoding="gb2312"`), or none (UTF-8, else detected). The first
//! of these that decodes cleanly wins, because real feeds often declare one
//! thing and send another. A blank line or BOM before `<?xml` is dropped.
//! Then feed-rs parses the UTF-8 text, and each entry's HTML becomes
//! paragraphs, numbered links and photos ([`super::html`]).

use encoding_rs::Encoding;

use super::html;
use super::item::{Item, StoredLink, StoredPhoto};

/// A parsed feed: its title and items, newest first as the feed lists them.
#[derive(Debug, Clone, Default)]
pub struct ParsedFeed {
    pub title: Option<String>,
    pub items: Vec<Item>,
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
    let utf8 = as_utf8_xml(text);
    let parser = feed_rs::parser::Builder::new()
        .base_uri(base_url)
        .id_generator(|links, title, _| match (links.first(), title) {
            (Some(link), _) => format!("link:{}", link.href),
            (None, Some(title)) => format!("title:{}", title.content),
            (None, None) => "untitled".to_owned(),
        })
        .build();
    let feed = parser
        .parse(utf8.as_bytes())
        .map_err(|e| describe(&e, &utf8))?;
    let title = feed.title.as_ref().map(|t| plain(&t.content));
    let items = feed.entries.iter().map(|e| item(e, base_url)).collect();
    Ok(ParsedFeed { title, items })
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
            let truncated = !text.trim_end().ends_with('>');
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
        return strict(encoding, &bytes[bom..]).ok_or_else(|| {
            format!(
                "the feed starts with a {} byte-order mark but is not {0} text",
                encoding.name()
            )
        });
    }
    let declared = xml_encoding(bytes);
    let candidates = [charset, declared.as_deref()]
        .into_iter()
        .flatten()
        .filter_map(|label| Encoding::for_label(label.trim().as_bytes()))
        .chain([encoding_rs::UTF_8]);
    for encoding in candidates {
        // The GB2312 label means GBK on the web; GB18030 decodes both.
        let encoding = if encoding == encoding_rs::GBK {
            encoding_rs::GB18030
        } else {
            encoding
        };
        if let Some(text) = strict(encoding, bytes) {
            return Ok(text);
        }
    }
    match crate::source::decode::decode(bytes) {
        Ok(decoded) => Ok(decoded.text),
        Err(e) => Err(format!("cannot decode the feed: {e}")),
    }
}

fn strict(encoding: &'static Encoding, bytes: &[u8]) -> Option<String> {
    encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|t| t.into_owned())
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
    if let Some(rest) = text.strip_prefix("<?xml")
        && let Some(end) = rest.find("?>")
    {
        return format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>{}",
            &rest[end + 2..]
        );
    }
    text.to_owned()
}

/// Text that may hold markup or entities, as one plain line.
fn plain(text: &str) -> String {
    if text.contains('<') || text.contains('&') {
        html::to_content(text, None).paragraphs.join(" ")
    } else {
        crate::sanitize::sanitize(text.trim()).into_owned()
    }
}

fn item(entry: &feed_rs::model::Entry, base_url: Option<&str>) -> Item {
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
    let mut photos: Vec<StoredPhoto> = content
        .photos
        .iter()
        .map(|p| StoredPhoto {
            url: p.url.clone(),
            caption: p.caption.clone(),
            credit: p.credit.clone(),
        })
        .collect();
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
    let published = entry.published.or(entry.updated).map(|d| d.to_rfc3339());
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
        updated: entry.updated.map(|d| d.to_rfc3339()),
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
