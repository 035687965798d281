//! What a feed's items say that feed-rs does not keep, read in a second
//! pass over the same XML: the fallbacks real feeds use when the standard
//! element is missing.
//!
//! - the item's text in `<body>`/`<xhtml:body>` or `<fullitem>`, or a
//!   `<description>` holding bare (unescaped) HTML elements;
//! - `dc:title`, `media:title`, `dc:description`, `itunes:summary`,
//!   `dc:author` and `itunes:author` where the item has no title, text or
//!   author of its own;
//! - a permalink `<guid>` as the link of an item that has none;
//! - `dcterms:issued`, `created` or `modified` as the date of an item that
//!   has no other;
//! - the item's first date element as written (`pubDate`, `dc:date`,
//!   `published`, `updated` …), to say which text could not be read;
//! - `<enclosure>` pictures;
//! - the channel's `dc:title` where it has no `<title>`.
//!
//! Values are HTML (an element's text with XML's own escapes undone, or the
//! element's markup as written), for [`super::html`] to read.

use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

/// One item's fallbacks; every field is HTML.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extra {
    pub images: Vec<String>,
    /// `<body>`, `<xhtml:body>` or `<fullitem>`: the item's full text.
    pub body: Option<String>,
    /// A `<description>` written as bare HTML elements, which feed-rs
    /// reads as no text.
    pub markup_description: Option<String>,
    pub title: Option<String>,
    pub summary: Option<String>,
    pub author: Option<String>,
    /// A `<guid>` that is a permalink (not `isPermaLink="false"`).
    pub permalink: Option<String>,
    /// `dcterms:issued`, `dcterms:created` or `dcterms:modified`, as
    /// written.
    pub date: Option<String>,
    /// The first of the item's date elements, whichever it is, as written.
    pub date_text: Option<String>,
}

/// The extras of a feed document: the channel's title fallback, and one
/// [`Extra`] per `<item>`/`<entry>` in document order. An XML error ends
/// the pass; what was read until then is kept.
pub fn read(text: &str) -> (Option<String>, Vec<Extra>) {
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = false;
    let mut depth = 0usize;
    // Depth of the open item, and of the channel/feed element.
    let mut item_depth: Option<usize> = None;
    let mut channel_depth: Option<usize> = None;
    let mut items: Vec<Extra> = Vec::new();
    let mut channel_title = None;
    // A field being read: its name, where its content starts, whether it
    // holds elements, and the element's attributes that matter.
    let mut open: Option<Field> = None;
    loop {
        let event = match reader.read_event() {
            Ok(Event::Eof) | Err(_) => break,
            Ok(event) => event,
        };
        match event {
            Event::Start(element) => {
                depth += 1;
                let name = qualified(&element);
                let local = local_name(&name);
                if let Some(field) = open.as_mut() {
                    field.markup = true;
                    continue;
                }
                if item_depth.is_none() && (local == "item" || local == "entry") {
                    item_depth = Some(depth);
                    items.push(Extra::default());
                } else if item_depth.is_none() && (local == "channel" || local == "feed") {
                    channel_depth = Some(depth);
                } else if is_field(&name, item_depth, channel_depth, depth) {
                    open = Some(Field {
                        name,
                        depth,
                        start: pos(reader.buffer_position()),
                        markup: false,
                        permalink: permalink_attr(&element),
                    });
                }
            }
            Event::Empty(element) => {
                let name = qualified(&element);
                if open.is_none()
                    && item_depth == Some(depth)
                    && local_name(&name) == "enclosure"
                    && let Some(item) = items.last_mut()
                {
                    item.images.extend(enclosure_image(&element));
                }
                if let Some(field) = open.as_mut() {
                    field.markup = true;
                }
            }
            Event::End(_) => {
                if let Some(field) = open.take_if(|f| f.depth == depth) {
                    let after = pos(reader.buffer_position()).min(text.len());
                    let end = text[..after].rfind("</").unwrap_or(field.start);
                    let raw = text.get(field.start..end).unwrap_or_default();
                    let value = as_html(raw, field.markup);
                    if item_depth.is_some() {
                        if let Some(item) = items.last_mut() {
                            store(item, &field, value);
                        }
                    } else if channel_title.is_none() {
                        channel_title = Some(value);
                    }
                }
                if item_depth == Some(depth) {
                    item_depth = None;
                }
                if channel_depth == Some(depth) {
                    channel_depth = None;
                }
                depth = depth.saturating_sub(1);
            }
            _ => {}
        }
    }
    (channel_title, items)
}

struct Field {
    name: String,
    depth: usize,
    start: usize,
    markup: bool,
    permalink: bool,
}

fn pos(at: u64) -> usize {
    usize::try_from(at).unwrap_or(usize::MAX)
}

fn qualified(element: &BytesStart<'_>) -> String {
    element.name().as_ref().to_owned()
}

fn local_name(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

/// The item children (and the channel's `dc:title`) this pass reads.
fn is_field(name: &str, item: Option<usize>, channel: Option<usize>, depth: usize) -> bool {
    if item.is_some_and(|d| d + 1 == depth) {
        return matches!(
            name,
            "body"
                | "xhtml:body"
                | "fullitem"
                | "description"
                | "dc:title"
                | "media:title"
                | "dc:description"
                | "itunes:summary"
                | "dc:author"
                | "itunes:author"
                | "guid"
                | "dcterms:issued"
                | "dcterms:created"
                | "dcterms:modified"
        ) || is_date(name);
    }
    channel.is_some_and(|d| d + 1 == depth) && name == "dc:title"
}

/// An item's date element, in any of the names RSS, RDF and Atom give it.
fn is_date(name: &str) -> bool {
    matches!(
        local_name(name),
        "pubDate" | "date" | "published" | "updated" | "issued" | "created" | "modified"
    )
}

fn store(item: &mut Extra, field: &Field, value: String) {
    if value.trim().is_empty() {
        return;
    }
    if is_date(&field.name) && item.date_text.is_none() {
        item.date_text = Some(value.clone());
    }
    let slot = match field.name.as_str() {
        "body" | "xhtml:body" | "fullitem" => &mut item.body,
        "description" if field.markup => &mut item.markup_description,
        "dc:title" | "media:title" => &mut item.title,
        "dc:description" | "itunes:summary" => &mut item.summary,
        "dc:author" | "itunes:author" => &mut item.author,
        "guid" if field.permalink && !field.markup => &mut item.permalink,
        "dcterms:issued" | "dcterms:created" | "dcterms:modified" => &mut item.date,
        _ => return,
    };
    if slot.is_none() {
        *slot = Some(value);
    }
}

/// Whether a `<guid>` is a permalink: RSS 2.0's default, unless
/// `isPermaLink="false"`.
pub(super) fn permalink_attr(element: &BytesStart<'_>) -> bool {
    element.attributes().flatten().all(|a| {
        !a.key.as_ref().eq_ignore_ascii_case("isPermaLink")
            || !a.value.as_ref().eq_ignore_ascii_case("false")
    })
}

/// The url of an `<enclosure>` of an image type (or of no type).
fn enclosure_image(element: &BytesStart<'_>) -> Option<String> {
    let mut url = None;
    let mut image = true;
    for a in element.attributes().flatten() {
        let value = a.value.replace("&amp;", "&");
        match a.key.as_ref() {
            "url" => url = Some(value),
            "type" => image = value.starts_with("image/"),
            _ => {}
        }
    }
    url.filter(|_| image)
}

/// An element's content as HTML. Text holds HTML escaped once for XML
/// (`&lt;p>`): XML's escapes are undone and CDATA sections unwrapped.
/// Markup (bare elements) is HTML as written: only CDATA is unwrapped.
pub(super) fn as_html(raw: &str, markup: bool) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = rest.find("<![CDATA[") {
        push_text(&mut out, &rest[..at], markup);
        let body = &rest[at + "<![CDATA[".len()..];
        let end = body.find("]]>").unwrap_or(body.len());
        out.push_str(&body[..end]);
        rest = body.get(end + 3..).unwrap_or_default();
    }
    push_text(&mut out, rest, markup);
    out
}

fn push_text(out: &mut String, text: &str, markup: bool) {
    if markup {
        out.push_str(text);
    } else {
        out.push_str(&unescape_xml(text));
    }
}

/// XML's five escapes and character references undone; other entities
/// (HTML's `&nbsp;` …, which XML does not define) are left for the HTML
/// reader.
fn unescape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let end = tail.find(';').filter(|&e| e <= 12);
        let decoded = end.and_then(|e| match &tail[1..e] {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            name => {
                let number = name.strip_prefix('#')?;
                let code = match number.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                    None => number.parse().ok()?,
                };
                char::from_u32(code)
            }
        });
        match (decoded, end) {
            (Some(c), Some(e)) => {
                out.push(c);
                rest = &tail[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A person as feeds write one — `me@example.com (Name)`, `(Name)`,
/// `Name <me@example.com>`, `Name：me@example.com`, with full-width
/// brackets too — as the name alone. An address alone names no one: it
/// gives "" (no byline). Other forms are kept as they are.
pub fn person_name(raw: &str) -> String {
    let raw = raw.trim();
    let open = raw.rfind(['(', '（']);
    let close = raw.strip_suffix([')', '）']);
    if let (Some(open), Some(inner)) = (open, close) {
        let before = raw[..open].trim();
        let width = raw[open..].chars().next().map_or(1, char::len_utf8);
        let inside = inner.get(open + width..).unwrap_or_default().trim();
        if !inside.is_empty() && (before.is_empty() || before.contains('@')) {
            return without_addresses(inside);
        }
        if !before.is_empty() && inside.contains('@') && !inside.contains(' ') {
            return without_addresses(before);
        }
    }
    without_addresses(raw)
}

/// `text` without the e-mail addresses in it (`mailto:` and the brackets
/// around one included), and without the separators that were between
/// them and the name.
fn without_addresses(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let local = |c: char| c.is_ascii_alphanumeric() || "._%+-".contains(c);
    let domain = |c: char| c.is_ascii_alphanumeric() || ".-".contains(c);
    while let Some(at) = rest.find('@') {
        let name = rest[..at].trim_end_matches(local);
        let host = &rest[at + 1..];
        let host = &host[..host.len() - host.trim_start_matches(domain).len()];
        if name.len() == at || !host.contains('.') {
            // Not an address (`@人民日报`): kept.
            out.push_str(&rest[..=at]);
            rest = &rest[at + 1..];
            continue;
        }
        out.push_str(name.strip_suffix("mailto:").unwrap_or(name));
        rest = &rest[at + 1 + host.len()..];
    }
    out.push_str(rest);
    // Brackets the address was in, now empty.
    for (open, close) in [('<', '>'), ('(', ')'), ('（', '）'), ('[', ']')] {
        let mut from = 0;
        while let Some(at) = out[from..].find(open).map(|a| from + a) {
            let inside = &out[at + open.len_utf8()..];
            let gap = inside.len() - inside.trim_start().len();
            if inside[gap..].starts_with(close) {
                out.replace_range(at..at + open.len_utf8() + gap + close.len_utf8(), "");
            } else {
                from = at + open.len_utf8();
            }
        }
    }
    let separator = |c: char| c.is_whitespace() || "：:，,、;；".contains(c);
    out.trim_start_matches(|c| separator(c) || ">)）]".contains(c))
        .trim_end_matches(|c| separator(c) || "<(（[".contains(c))
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_fallbacks_are_read() {
        let (channel, items) = read(
            "<rss><channel><dc:title>频道</dc:title>\
             <item><dc:author>记者 王伟</dc:author><body><p>正文&nbsp;一</p></body>\
             <guid>http://example.com/1</guid><enclosure url=\"http://e.com/a.jpg\" type=\"image/jpeg\"/></item>\
             <item><description><p>裸露的<b>标记</b></p></description>\
             <guid isPermaLink=\"false\">x-1</guid><dc:title>标题 &amp; 副题</dc:title></item>\
             </channel></rss>",
        );
        assert_eq!(channel.as_deref(), Some("频道"));
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].author.as_deref(), Some("记者 王伟"));
        assert_eq!(items[0].body.as_deref(), Some("<p>正文&nbsp;一</p>"));
        assert_eq!(items[0].permalink.as_deref(), Some("http://example.com/1"));
        assert_eq!(items[0].images, ["http://e.com/a.jpg"]);
        assert_eq!(
            items[1].markup_description.as_deref(),
            Some("<p>裸露的<b>标记</b></p>")
        );
        assert_eq!(items[1].permalink, None);
        assert_eq!(items[1].title.as_deref(), Some("标题 & 副题"));
    }

    #[test]
    fn escaped_html_and_cdata_become_html() {
        assert_eq!(as_html("&lt;p>一&amp;二&lt;/p>", false), "<p>一&二</p>");
        assert_eq!(as_html("<![CDATA[<p>一</p>]]>", false), "<p>一</p>");
        assert_eq!(as_html("&hellip;&#x4E00;", false), "&hellip;一");
    }

    #[test]
    fn rss_people_lose_their_address() {
        for (raw, name) in [
            ("me@example.com (黄育南)", "黄育南"),
            ("reporter@example.com (记者22)", "记者22"),
            ("(Example editor)", "Example editor"),
            ("张宁 (zn@example.com)", "张宁"),
            ("zn@example.com（记者 张宁）", "记者 张宁"),
            ("（记者 张宁）", "记者 张宁"),
            ("张宁 <zn@example.com>", "张宁"),
            ("记者张三：zhangsan@example.com", "记者张三"),
            ("记者张三：", "记者张三"),
            ("mailto:zn@example.com (张宁)", "张宁"),
            ("记者 李四 lisi@example.com", "记者 李四"),
            // An address alone is no name.
            ("reporter@example.com", ""),
            ("<reporter@example.com>", ""),
            ("王伟 (通讯员)", "王伟 (通讯员)"),
            ("记者 王伟", "记者 王伟"),
            ("@人民日报", "@人民日报"),
            ("记者22 < reporter@example.com >", "记者22"),
            ("记者22 <", "记者22"),
        ] {
            assert_eq!(person_name(raw), name, "{raw}");
        }
    }
}
