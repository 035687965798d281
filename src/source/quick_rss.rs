//! Plain RSS 2.0 read in one pass without feed-rs: the quick path of
//! [`super::feed_file::parse`] for the kind of feed most sites serve.
//!
//! It reads a feed only when all of it is something it reads exactly as
//! feed-rs and [`super::feed_extra`] would:
//!
//! - an `<rss version="2.0">` root, namespace prefixes declared there and
//!   nowhere else, and one `<channel>`;
//! - items whose children are `title`, `link`, `description`, `guid`,
//!   `pubDate`, `author`, `category`, and Dublin Core `creator` and `date`,
//!   each at most once (but `author`, `creator` and `category`), each
//!   holding only text, CDATA and entity references;
//! - links written the way a URL parser writes them back (`http://` or
//!   `https://`, a lower-case host name or a dotted IPv4 address, no
//!   default port, a path, no characters it would escape), since feed-rs
//!   hands back its parser's form;
//! - authors without an e-mail address (feed-rs splits those off).
//!
//! Anything else — Atom, RSS 0.9x and 1.0, `content:encoded`, enclosures,
//! Media RSS, iTunes, `xml:base`, a doctype, a default namespace, markup
//! or comments inside a field, a character reference feed-rs rejects, an
//! ill-formed document — makes [`read`] answer `None`, and the feed goes
//! to feed-rs as before. Tests run both readers on the same feeds (the
//! feedparser suite's among them) and compare what they give.
//!
//! Each item becomes an [`Item`] as soon as its end tag is read, through
//! the same [`super::feed_entry::item`] as feed-rs's entries, so the
//! feed's entries are never all held at once.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use feed_rs::model::{Category, Entry, Link, Person, Text};
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::reader::Reader;

use super::date;
use super::feed_entry;
use super::feed_extra::{self, Extra};
use super::item::Item;

/// A feed the quick path read: its title and items.
#[derive(Debug)]
pub struct Quick {
    pub title: Option<String>,
    pub items: Vec<Item>,
}

/// Reads `text` (a whole feed document, UTF-8) if it is plain RSS 2.0 as
/// the module describes; `None` for anything else. `base_url` is the
/// feed's address, as [`super::feed_file::parse`] takes it.
pub fn read(text: &str, base_url: Option<&str>) -> Option<Quick> {
    Pass::new(text, base_url)?.document().ok()
}

/// The reason to leave a feed to feed-rs; which one does not matter.
struct Decline;

type Read<T> = Result<T, Decline>;

const DUBLIN_CORE: &str = "http://purl.org/dc/elements/1.1/";

/// Namespaces whose elements feed-rs reads in a channel (RSS 1.0's
/// elements count as RSS's), so they cannot be skipped.
const READ_IN_CHANNEL: [&str; 3] = [
    "http://purl.org/rss/1.0/",
    "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "https://podcastindex.org/namespace/1.0",
];

struct Pass<'a> {
    text: &'a str,
    reader: Reader<&'a [u8]>,
    base_url: Option<&'a str>,
    /// The root's `xmlns:prefix` declarations: prefix and namespace.
    prefixes: Vec<(String, String)>,
    /// Each date's offset from UTC by its instant, the last one read
    /// winning, as feed-rs's timestamp parser records them.
    offsets: HashMap<i64, i32>,
    /// The instant and offset each item was dated with: the offset must
    /// still be the one recorded for that instant when the feed ends.
    dated: Vec<(i64, i32)>,
    plain_text: Text,
    html_text: Text,
}

/// An item's child that the quick path reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Child {
    Title,
    Link,
    Description,
    Guid,
    Date,
    Author,
    Creator,
    Category,
}

impl Child {
    /// Children feed-rs keeps only the last of: two make the quick path
    /// decline rather than follow that.
    fn once(self) -> bool {
        !matches!(self, Child::Author | Child::Creator | Child::Category)
    }
}

/// A field's content: its text as feed-rs reads it (`None` when there
/// is none), and as written, for [`feed_extra`]'s reading of it.
struct Field<'a> {
    text: Option<String>,
    raw: &'a str,
}

impl<'a> Pass<'a> {
    fn new(text: &'a str, base_url: Option<&'a str>) -> Option<Pass<'a>> {
        let text_of = |kind: &str| -> Option<Text> {
            Some(Text {
                content_type: kind.parse().ok()?,
                src: None,
                content: String::new(),
            })
        };
        Some(Pass {
            text,
            reader: Reader::from_str(text),
            base_url,
            prefixes: Vec::new(),
            offsets: HashMap::new(),
            dated: Vec::new(),
            plain_text: text_of("text/plain")?,
            html_text: text_of("text/html")?,
        })
    }

    fn next(&mut self) -> Read<Event<'a>> {
        self.reader.read_event().map_err(|_| Decline)
    }

    fn position(&self) -> usize {
        usize::try_from(self.reader.buffer_position()).unwrap_or(usize::MAX)
    }

    fn document(mut self) -> Read<Quick> {
        let root = loop {
            match self.next()? {
                Event::Decl(_) | Event::Comment(_) | Event::PI(_) => {}
                Event::Text(t) if is_blank(&t) => {}
                Event::Start(root) => break root,
                _ => return Err(Decline),
            }
        };
        self.root(&root)?;
        let mut channel = None;
        loop {
            match self.next()? {
                Event::Start(e) if channel.is_none() && e.name().as_ref() == "channel" => {
                    plain_attributes(&e)?;
                    channel = Some(self.channel()?);
                }
                Event::End(_) => break,
                Event::Text(t) if is_blank(&t) => {}
                Event::Comment(_) => {}
                _ => return Err(Decline),
            }
        }
        loop {
            match self.next()? {
                Event::Eof => break,
                Event::Text(t) if is_blank(&t) => {}
                Event::Comment(_) | Event::PI(_) => {}
                _ => return Err(Decline),
            }
        }
        let (title, items) = channel.ok_or(Decline)?;
        let offsets = &self.offsets;
        if items.is_empty() || !(self.dated.iter()).all(|(at, o)| offsets.get(at) == Some(o)) {
            return Err(Decline);
        }
        let title = title
            .map(|t| feed_entry::plain(&t))
            .filter(|t| !t.is_empty());
        Ok(Quick { title, items })
    }

    /// `<rss version="2.0">` and its namespace declarations.
    fn root(&mut self, root: &BytesStart<'a>) -> Read<()> {
        if root.name().as_ref() != "rss" {
            return Err(Decline);
        }
        let mut version = false;
        for attribute in root.attributes() {
            let attribute = attribute.map_err(|_| Decline)?;
            let key = attribute.key.as_ref();
            let value = attribute.value;
            if key == "version" {
                version = value == "2.0";
            } else if key == "xmlns" || key == "xml:base" {
                return Err(Decline);
            } else if let Some(prefix) = key.strip_prefix("xmlns:") {
                let reserved = prefix
                    .get(..3)
                    .is_some_and(|p| p.eq_ignore_ascii_case("xml"));
                if prefix.is_empty() || reserved || value.is_empty() || value.contains('&') {
                    return Err(Decline);
                }
                self.prefixes.push((prefix.to_owned(), value.into_owned()));
            }
        }
        if version { Ok(()) } else { Err(Decline) }
    }

    /// The namespace of a qualified name: `None` for no prefix (RSS's
    /// own elements); a prefix not declared declines.
    fn namespace(&self, name: &str) -> Read<Option<&str>> {
        let Some((prefix, local)) = name.split_once(':') else {
            return Ok(None);
        };
        if local.contains(':') {
            return Err(Decline);
        }
        let found = self.prefixes.iter().find(|(p, _)| p == prefix);
        found.map(|(_, uri)| Some(uri.as_str())).ok_or(Decline)
    }

    /// The channel's title and items.
    fn channel(&mut self) -> Read<(Option<String>, Vec<Item>)> {
        let mut title = None;
        let mut items = Vec::new();
        loop {
            match self.next()? {
                Event::Start(e) => {
                    plain_attributes(&e)?;
                    match self.channel_child(e.name().as_ref())? {
                        ChannelChild::Item => items.push(self.item()?),
                        ChannelChild::Title => title = self.field()?.text.map(trimmed),
                        ChannelChild::Date => {
                            if let Some(date) = self.field()?.text {
                                self.timestamp(&date);
                            }
                        }
                        ChannelChild::Other => self.skip()?,
                    }
                }
                Event::Empty(e) => {
                    plain_attributes(&e)?;
                    match self.channel_child(e.name().as_ref())? {
                        ChannelChild::Item => return Err(Decline),
                        ChannelChild::Title => title = None,
                        ChannelChild::Date | ChannelChild::Other => {}
                    }
                }
                Event::End(_) => return Ok((title, items)),
                Event::GeneralRef(r) => check_reference(&r)?,
                Event::Text(_) | Event::CData(_) | Event::Comment(_) | Event::PI(_) => {}
                _ => return Err(Decline),
            }
        }
    }

    fn channel_child(&self, name: &str) -> Read<ChannelChild> {
        let local = local_name(name);
        // feed-extra counts items and looks for the channel by local name
        // whatever the prefix, and reads `dc:title` as the channel's title.
        if matches!(local, "entry" | "channel" | "feed") || name == "dc:title" {
            return Err(Decline);
        }
        match self.namespace(name)? {
            None => Ok(match name {
                "item" => ChannelChild::Item,
                "title" => ChannelChild::Title,
                "pubDate" | "lastBuildDate" | "updated" => ChannelChild::Date,
                _ => ChannelChild::Other,
            }),
            Some(uri) if READ_IN_CHANNEL.contains(&uri) || local == "item" => Err(Decline),
            Some(_) => Ok(ChannelChild::Other),
        }
    }

    /// An element of the channel that the quick path does not read, to its
    /// end: nothing in it may look like an item or channel to either
    /// reader, change a base or a namespace, or be a character reference
    /// feed-rs rejects.
    fn skip(&mut self) -> Read<()> {
        let mut depth = 0usize;
        loop {
            match self.next()? {
                Event::Start(e) => {
                    nested(&e)?;
                    depth += 1;
                }
                Event::Empty(e) => nested(&e)?,
                Event::End(_) if depth == 0 => return Ok(()),
                Event::End(_) => depth -= 1,
                Event::GeneralRef(r) => check_reference(&r)?,
                Event::Text(_) | Event::CData(_) | Event::Comment(_) | Event::PI(_) => {}
                _ => return Err(Decline),
            }
        }
    }

    /// One `<item>`, read to its end, as an [`Item`].
    fn item(&mut self) -> Read<Item> {
        let mut entry = Entry::default();
        let mut extra = Extra::default();
        let mut seen: Vec<Child> = Vec::new();
        loop {
            let (element, empty) = match self.next()? {
                Event::Start(e) => (e, false),
                Event::Empty(e) => (e, true),
                Event::End(_) => break,
                Event::GeneralRef(r) => {
                    check_reference(&r)?;
                    continue;
                }
                Event::Text(_) | Event::CData(_) | Event::Comment(_) | Event::PI(_) => continue,
                _ => return Err(Decline),
            };
            plain_attributes(&element)?;
            let child = self.item_child(element.name().as_ref())?;
            if child.once() && seen.contains(&child) {
                return Err(Decline);
            }
            seen.push(child);
            let field = if empty {
                Field {
                    text: None,
                    raw: "",
                }
            } else {
                self.field()?
            };
            let permalink = child == Child::Guid && feed_extra::permalink_attr(&element);
            self.put(&mut entry, &mut extra, child, field, permalink)?;
        }
        if entry.id.is_empty() {
            entry.id = feed_entry::generated_id(&entry.links, entry.title.as_ref());
        }
        if entry.updated.is_none() {
            entry.updated = entry.published;
        }
        if let Some(date) = entry.published {
            let at = date.timestamp();
            let offset = self.offsets.get(&at).copied().unwrap_or(0);
            self.dated.push((at, offset));
        }
        Ok(feed_entry::item(
            &entry,
            self.base_url,
            &self.offsets,
            &extra,
            false,
        ))
    }

    fn item_child(&self, name: &str) -> Read<Child> {
        match (self.namespace(name)?, local_name(name)) {
            (None, "title") => Ok(Child::Title),
            (None, "link") => Ok(Child::Link),
            (None, "description") => Ok(Child::Description),
            (None, "guid") => Ok(Child::Guid),
            (None, "pubDate") => Ok(Child::Date),
            (None, "author") => Ok(Child::Author),
            (None, "category") => Ok(Child::Category),
            (Some(DUBLIN_CORE), "creator") => Ok(Child::Creator),
            (Some(DUBLIN_CORE), "date") => Ok(Child::Date),
            _ => Err(Decline),
        }
    }

    /// One field into the entry as feed-rs's RSS 2.0 reader puts it, and
    /// into the extras as [`feed_extra::read`] does.
    fn put(
        &mut self,
        entry: &mut Entry,
        extra: &mut Extra,
        child: Child,
        field: Field<'a>,
        permalink: bool,
    ) -> Read<()> {
        let Field { text, raw } = field;
        match child {
            Child::Title => {
                entry.title = text.map(|t| with_content(&self.plain_text, t));
            }
            Child::Description => {
                entry.summary = text.map(|t| with_content(&self.html_text, t));
            }
            Child::Link => {
                if let Some(link) = text {
                    entry
                        .links
                        .push(link_of(canonical_url(&link).ok_or(Decline)?));
                }
            }
            Child::Guid => {
                if let Some(guid) = text {
                    entry.id = guid.trim().to_owned();
                }
                let value = feed_extra::as_html(raw, false);
                if permalink && !value.trim().is_empty() {
                    extra.permalink = Some(value);
                }
            }
            Child::Date => {
                entry.published = text.and_then(|t| self.timestamp(&t));
                let value = feed_extra::as_html(raw, false);
                if !value.trim().is_empty() {
                    extra.date_text = Some(value);
                }
            }
            Child::Author | Child::Creator => {
                if let Some(name) = text {
                    // feed-rs takes an e-mail address out of the name.
                    if name.contains('@') {
                        return Err(Decline);
                    }
                    let role = if child == Child::Author {
                        "author"
                    } else {
                        "creator"
                    };
                    entry.authors.push(Person {
                        name: Some(name.trim().to_owned()),
                        uri: None,
                        email: None,
                        role: Some(role.to_owned()),
                    });
                }
            }
            Child::Category => {
                if let Some(term) = text {
                    entry.categories.push(Category {
                        term: term.trim().to_owned(),
                        scheme: None,
                        label: None,
                        subcategories: Vec::new(),
                    });
                }
            }
        }
        Ok(())
    }

    /// A field's text, up to its end tag: text, CDATA and entity
    /// references, which feed-rs joins into one text, and nothing else.
    fn field(&mut self) -> Read<Field<'a>> {
        let start = self.position();
        let mut text: Option<String> = None;
        loop {
            match self.next()? {
                Event::Text(t) if !t.is_empty() => push(&mut text, &t),
                Event::CData(t) if !t.is_empty() => push(&mut text, &t),
                Event::Text(_) | Event::CData(_) => {}
                Event::GeneralRef(r) => {
                    let text = text.get_or_insert_with(String::new);
                    resolve(&r, text)?;
                }
                Event::End(_) => {
                    let after = self.position().min(self.text.len());
                    let end = self.text[..after].rfind("</").unwrap_or(start);
                    let raw = self.text.get(start..end).unwrap_or_default();
                    return Ok(Field { text, raw });
                }
                _ => return Err(Decline),
            }
        }
    }

    /// A date read as feed-rs's timestamp parser reads it in
    /// [`super::feed_file::parse`], its offset recorded the same way.
    fn timestamp(&mut self, text: &str) -> Option<DateTime<Utc>> {
        let stamp = date::timestamp(text)?;
        (self.offsets).insert(stamp.timestamp(), stamp.offset().local_minus_utc());
        Some(stamp.with_timezone(&Utc))
    }
}

enum ChannelChild {
    Item,
    Title,
    Date,
    Other,
}

/// A text of `kind`'s type, trimmed as feed-rs trims it.
fn with_content(kind: &Text, content: String) -> Text {
    Text {
        content: trimmed(content),
        ..kind.clone()
    }
}

fn push(text: &mut Option<String>, more: &str) {
    match text {
        Some(text) => text.push_str(more),
        None => *text = Some(more.to_owned()),
    }
}

/// `text` trimmed, in place when nothing is cut.
fn trimmed(text: String) -> String {
    if text.trim().len() == text.len() {
        text
    } else {
        text.trim().to_owned()
    }
}

fn is_blank(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_whitespace())
}

fn local_name(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

/// Attributes that change what names or links mean: `xml:base` and
/// namespace declarations (which only the root may make). An attribute
/// list that does not parse declines too.
fn plain_attributes(element: &BytesStart<'_>) -> Read<()> {
    for attribute in element.attributes() {
        let attribute = attribute.map_err(|_| Decline)?;
        let key = attribute.key.as_ref();
        if key == "xmlns" || key.starts_with("xmlns:") || key == "xml:base" {
            return Err(Decline);
        }
    }
    Ok(())
}

/// An element inside one that is skipped.
fn nested(element: &BytesStart<'_>) -> Read<()> {
    plain_attributes(element)?;
    let name = element.name();
    let local = local_name(name.as_ref());
    if matches!(local, "item" | "entry" | "channel" | "feed") {
        return Err(Decline);
    }
    Ok(())
}

/// A reference feed-rs reads: a character reference it accepts, or any
/// named entity (XML's five are resolved, others kept as written).
fn check_reference(reference: &BytesRef<'_>) -> Read<()> {
    match reference.strip_prefix('#') {
        Some(number) => char_reference(number).map(|_| ()),
        None => Ok(()),
    }
}

/// A reference resolved as feed-rs resolves it.
fn resolve(reference: &BytesRef<'_>, out: &mut String) -> Read<()> {
    let name: &str = reference;
    if let Some(number) = name.strip_prefix('#') {
        out.push(char_reference(number)?);
        return Ok(());
    }
    match name {
        "lt" => out.push('<'),
        "gt" => out.push('>'),
        "amp" => out.push('&'),
        "apos" => out.push('\''),
        "quot" => out.push('"'),
        _ => {
            out.push('&');
            out.push_str(name);
            out.push(';');
        }
    }
    Ok(())
}

/// `&#…;` as quick-xml reads it for feed-rs: decimal, or hexadecimal
/// after a lower-case `x`; no sign, not zero, a Unicode scalar value.
fn char_reference(number: &str) -> Read<char> {
    let (digits, radix) = match number.strip_prefix('x') {
        Some(hex) => (hex, 16),
        None => (number, 10),
    };
    if digits.starts_with(['+', '-']) {
        return Err(Decline);
    }
    let code = u32::from_str_radix(digits, radix).map_err(|_| Decline)?;
    if code == 0 {
        return Err(Decline);
    }
    char::from_u32(code).ok_or(Decline)
}

fn link_of(href: String) -> Link {
    Link {
        href,
        target: None,
        rel: None,
        media_type: None,
        href_lang: None,
        title: None,
        length: None,
    }
}

/// A link's text as feed-rs keeps it, when its URL parser would write it
/// back unchanged: `http(s)://host[:port]/path[?query][#fragment]` in
/// printable ASCII, with a lower-case host name or a dotted-decimal IPv4
/// address, no user, no default or zero-led port, no `.`/`..` segment and
/// none of the characters the parser escapes or rewrites. Spaces and
/// controls around it are dropped, as the parser drops them. `None` for
/// anything else: the parser might write it differently.
pub fn canonical_url(text: &str) -> Option<String> {
    let url = text.trim_matches(|c: char| c <= ' ');
    let (scheme, rest) = url.split_once("://")?;
    let default_port = match scheme {
        "http" => "80",
        "https" => "443",
        _ => return None,
    };
    let printable = |c: char| c.is_ascii_graphic();
    let escaped = |c: char| {
        matches!(
            c,
            '"' | '<' | '>' | '`' | '{' | '}' | '\\' | '^' | '|' | '\''
        )
    };
    if !rest.chars().all(printable) || rest.contains(escaped) {
        return None;
    }
    let authority_end = rest.find(['/', '?', '#'])?;
    if !rest[authority_end..].starts_with('/') {
        return None;
    }
    let (host, port) = match rest[..authority_end].split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (&rest[..authority_end], None),
    };
    if let Some(port) = port {
        let number: u32 = port.parse().ok()?;
        if port.starts_with('0') || !port.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if number > 65535 || port == default_port {
            return None;
        }
    }
    if !is_plain_host(host) {
        return None;
    }
    let path_end = rest[authority_end..]
        .find(['?', '#'])
        .map_or(rest.len(), |e| authority_end + e);
    let dots = |segment: &str| {
        let segment = segment.to_ascii_lowercase().replace("%2e", ".");
        segment == "." || segment == ".."
    };
    if rest[authority_end..path_end].split('/').any(dots) {
        return None;
    }
    Some(url.to_owned())
}

/// A host name a URL parser keeps as it is: lower-case ASCII labels of
/// letters, digits and hyphens (no punycode), or four decimal numbers up
/// to 255 without leading zeros.
fn is_plain_host(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    if labels.iter().any(|l| l.is_empty()) {
        return false;
    }
    let numeric = labels.last().is_some_and(|last| {
        last.bytes().all(|b| b.is_ascii_digit()) || last.starts_with("0x") || last.starts_with("0X")
    });
    if numeric {
        return labels.len() == 4
            && labels.iter().all(|l| {
                l.bytes().all(|b| b.is_ascii_digit())
                    && (l.len() == 1 || !l.starts_with('0'))
                    && l.parse::<u8>().is_ok()
            });
    }
    labels.iter().all(|l| {
        !l.starts_with("xn--")
            && l.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_kept_only_in_their_parsed_form() {
        for (text, kept) in [
            ("http://127.0.0.1/big-00001", true),
            (" https://www.example.com/a/b.html?x=1&y=2#top \n", true),
            ("https://example.com:8080/", true),
            ("https://example.com", false),
            ("https://Example.com/", false),
            ("http://example.com:80/", false),
            ("http://example.com:080/", false),
            ("http://example.com/a/../b", false),
            ("http://example.com/a/%2E/b", false),
            ("http://example.com/中文", false),
            ("http://example.com/a b", false),
            ("http://user@example.com/", false),
            ("http://127.0.0.01/", false),
            ("http://0x7f.0.0.1/", false),
            ("http://1.2.3/", false),
            ("http://xn--fiqs8s.cn/", false),
            ("ftp://example.com/", false),
            ("/relative/path", false),
        ] {
            assert_eq!(canonical_url(text).is_some(), kept, "{text:?}");
        }
    }

    #[test]
    fn character_references_as_quick_xml_reads_them() {
        assert_eq!(char_reference("x4e00").ok(), Some('一'));
        assert_eq!(char_reference("20013").ok(), Some('中'));
        assert!(char_reference("X41").is_err());
        assert!(char_reference("0").is_err());
        assert!(char_reference("+65").is_err());
        assert!(char_reference("xD800").is_err());
    }

    #[test]
    fn declines_what_it_does_not_read() {
        let item = |inner: &str| {
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" \
                 xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel><title>T</title>\
                 <item>{inner}</item></channel></rss>"
            )
        };
        let plain = item("<title>一</title><link>http://example.com/1</link>");
        assert!(read(&plain, None).is_some());
        for inner in [
            "<content:encoded>x</content:encoded>",
            "<enclosure url=\"http://example.com/a.jpg\" type=\"image/jpeg\"/>",
            "<title>一</title><title>二</title>",
            "<description><p>标记</p></description>",
            "<title>a<!-- c -->b</title>",
            "<author>me@example.com (某)</author>",
            "<link>/relative</link>",
            "<title>&#0;</title>",
            "<dc:title>x</dc:title>",
            "<title xml:base=\"http://example.com/\">x</title>",
        ] {
            assert!(read(&item(inner), None).is_none(), "{inner}");
        }
        let atom = "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry/></feed>";
        assert!(read(atom, None).is_none());
    }
}
