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
//! Then the UTF-8 text is parsed: plain RSS 2.0 by [`super::quick_rss`],
//! anything else (or RSS it does not read whole) by feed-rs, and each
//! entry's HTML becomes paragraphs, numbered links and photos
//! ([`super::html`]).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::Utc;
use encoding_rs::Encoding;

use super::codepage;
use super::decode::strictly;
use super::feed_entry::{generated_id, item, plain};
use super::feed_extra::{self, Extra};
use super::feed_rewrite;
use super::item::Item;

/// A parsed feed: its title and items, newest first as the feed lists them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedFeed {
    pub title: Option<String>,
    pub items: Vec<Item>,
    /// What was repaired to read an ill-formed document ([`super::repair`]),
    /// one line each.
    pub warnings: Vec<String>,
}

/// Which reader parses a feed's XML. Both give the same items for the
/// feeds the quick one reads; the choice is for the tests and benchmarks
/// that compare them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// [`super::quick_rss`] where it reads the feed, else feed-rs: what
    /// [`parse`] uses.
    Any,
    /// feed-rs alone.
    FeedRs,
    /// [`super::quick_rss`] alone: an error for a feed it leaves to
    /// feed-rs.
    Quick,
}

/// Parses a feed's bytes; `charset` is the HTTP Content-Type's, `base_url`
/// resolves relative links. The error is one line.
pub fn parse(
    bytes: &[u8],
    charset: Option<&str>,
    base_url: Option<&str>,
) -> Result<ParsedFeed, String> {
    parse_with(bytes, charset, base_url, Reader::Any)
}

/// [`parse`] with the XML reader chosen.
pub fn parse_with(
    bytes: &[u8],
    charset: Option<&str>,
    base_url: Option<&str>,
    reader: Reader,
) -> Result<ParsedFeed, String> {
    let (text, guessed) = decode(bytes, charset)?;
    parse_text(text, guessed, base_url, reader)
}

/// [`parse`] of bytes it may keep: a UTF-8 feed becomes its text without
/// a copy, and the bytes are not held while it is read.
pub fn parse_owned(
    bytes: Vec<u8>,
    charset: Option<&str>,
    base_url: Option<&str>,
) -> Result<ParsedFeed, String> {
    let (text, guessed) = decode_owned(bytes, charset)?;
    parse_text(text, guessed, base_url, Reader::Any)
}

/// The feed's decoded text parsed; `guessed` is the warning of a guessed
/// encoding.
fn parse_text(
    text: String,
    guessed: Option<String>,
    base_url: Option<&str>,
    reader: Reader,
) -> Result<ParsedFeed, String> {
    let mut text = c1_as_windows_1252(text);
    let blank = text.len()
        - text
            .trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
            .len();
    text.drain(..blank);
    if text.is_empty() {
        return Err("empty feed: the server sent nothing to read".to_owned());
    }
    if is_html_page(&text) {
        return Err(
            "a web page (HTML), not a feed; use the page's RSS or Atom link \
                    (often …/rss.xml, …/feed or …/atom.xml)"
                .to_owned(),
        );
    }
    let mut utf8 = feed_rewrite::rewrite(as_utf8_xml(text));
    let mut warnings: Vec<String> = guessed.into_iter().collect();
    if reader != Reader::FeedRs
        && let Some(quick) = super::quick_rss::read(&utf8, base_url)
    {
        warnings.extend(quick.items.iter().filter_map(Item::date_warning));
        return Ok(ParsedFeed {
            title: quick.title,
            items: quick.items,
            warnings,
        });
    }
    if reader == Reader::Quick {
        return Err("not plain RSS 2.0 as the quick reader reads it".to_owned());
    }
    let offsets = Arc::new(Mutex::new(HashMap::<i64, i32>::new()));
    // A parser is used once: after a failure it may hold state that a
    // second parse trips over (feed-rs asserts on it).
    let parser = || {
        let recorder = Arc::clone(&offsets);
        feed_rs::parser::Builder::new()
            .base_uri(base_url)
            .id_generator(|links, title, _| generated_id(links, title.as_ref()))
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
        // A feed with nothing in it (`<rss></rss>`, no channel) is empty,
        // not broken.
        Err(feed_rs::parser::ParseFeedError::ParseError(
            feed_rs::parser::ParseErrorKind::NoFeedRoot,
        )) if looks_like_feed(utf8.as_bytes()) => {
            if holds_entries(&utf8) {
                return Err(NO_ITEMS_READ.to_owned());
            }
            return Ok(ParsedFeed {
                warnings,
                ..ParsedFeed::default()
            });
        }
        Err(first) => {
            let reason = describe(&first, &utf8);
            let Some((repaired, repairs)) = super::repair::repair(&utf8) else {
                return Err(reason);
            };
            match parser().parse(repaired.as_bytes()) {
                Ok(feed) => {
                    utf8 = repaired;
                    warnings.extend(repairs);
                    feed
                }
                Err(_) => return Err(reason),
            }
        }
    };
    if feed.entries.is_empty() && holds_entries(&utf8) {
        // Never "0 new" for a document that plainly has items.
        return Err(NO_ITEMS_READ.to_owned());
    }
    let offsets = offsets.lock().map(|o| o.clone()).unwrap_or_default();
    let (channel_title, mut extras) = if utf8.starts_with('{') {
        (None, json_images(&utf8))
    } else {
        feed_extra::read(&utf8)
    };
    // Read item by item alongside feed-rs's entries; if the counts differ
    // (feed-rs skipped one), pairing them would mix items up.
    if extras.len() != feed.entries.len() {
        extras = vec![Extra::default(); feed.entries.len()];
    }
    let title = (feed.title.as_ref().map(|t| plain(&t.content)))
        .or(channel_title.map(|t| plain(&t)))
        .filter(|t| !t.is_empty());
    let atom = feed.feed_type == feed_rs::model::FeedType::Atom;
    let items: Vec<Item> = feed
        .entries
        .iter()
        .zip(&extras)
        .map(|(e, extra)| item(e, base_url, &offsets, extra, atom))
        .collect();
    warnings.extend(items.iter().filter_map(Item::date_warning));
    Ok(ParsedFeed {
        title,
        items,
        warnings,
    })
}

const NO_ITEMS_READ: &str = "no items read: the document has <item> or <entry> elements, \
     but not as RSS, Atom or JSON Feed describe them (unsupported format)";

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

pub use super::date::timestamp;

/// A JSON Feed item's `image` and `banner_image`, which feed-rs does not
/// keep, and its date as written, per item.
fn json_images(text: &str) -> Vec<Extra> {
    let Ok(json) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    let Some(items) = json.get("items").and_then(|i| i.as_array()) else {
        return Vec::new();
    };
    items
        .iter()
        .map(|item| Extra {
            images: ["image", "banner_image"]
                .iter()
                .filter_map(|key| item.get(key).and_then(|u| u.as_str()))
                .map(str::to_owned)
                .collect(),
            date_text: ["date_published", "date_modified"]
                .iter()
                .find_map(|key| item.get(key).and_then(|d| d.as_str()))
                .map(str::to_owned),
            ..Extra::default()
        })
        .collect()
}

/// Whether bytes look like a feed rather than a page of plain text: the
/// first element (after any XML declaration, comments, processing
/// instructions and doctype) is a feed's root, or the text is a JSON Feed.
/// UTF-16, UTF-32 and EBCDIC are recognised by how `<` (or `<?xm`) is
/// spelt, or by a byte-order mark.
pub fn looks_like_feed(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    let head = match super::decode::utf16_or_32(head) {
        Some(text) => text,
        // XML in EBCDIC: only a feed would be.
        None if codepage::is_ebcdic_xml(head) => return true,
        // Most files are pages of text: settled by their first character,
        // without decoding the whole head.
        None if !starts_like_markup(head) => return false,
        None => String::from_utf8_lossy(head).into_owned(),
    };
    let rest = head.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if rest.starts_with('{') {
        return rest.contains("jsonfeed.org");
    }
    match feed_rewrite::root_element(rest) {
        Some((_, tag)) => {
            let name = feed_rewrite::element_name(tag);
            let local = name.rsplit(':').next().unwrap_or_default();
            matches!(local, "rss" | "feed" | "RDF" | "channel")
        }
        // A prolog or root tag longer than the head: decide on what was seen.
        None => rest.starts_with('<') && (head.contains("<rss") || head.contains("<feed")),
    }
}

/// Whether the first character of UTF-8 `head` other than spaces and
/// byte-order marks is `<` or `{`: no feed starts otherwise (an invalid
/// byte is not one of them).
fn starts_like_markup(head: &[u8]) -> bool {
    let mut rest = head;
    while !rest.is_empty() {
        // One character at a time: a page is settled by its first.
        let next = rest.get(..4).unwrap_or(rest).utf8_chunks().next();
        let Some(c) = next.and_then(|chunk| chunk.valid().chars().next()) else {
            return false;
        };
        if !(c.is_whitespace() || c == '\u{feff}') {
            return c == '<' || c == '{';
        }
        rest = rest.get(c.len_utf8()..).unwrap_or_default();
    }
    false
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

/// The feed's text as UTF-8, from the first encoding that decodes cleanly,
/// and a warning when the encoding had to be guessed.
fn decode(bytes: &[u8], charset: Option<&str>) -> Result<(String, Option<String>), String> {
    if let Some((wide, mark)) = super::decode::Wide::sniff(bytes) {
        return match wide.decode(&bytes[mark..], false) {
            Some(text) => Ok((text, None)),
            None => Err(format!(
                "the feed starts as {} text but has bytes that are not; \
                 the server should send it whole, in one encoding",
                wide.name()
            )),
        };
    }
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        return strictly(encoding, &bytes[bom..])
            .map(|text| (text, None))
            .ok_or_else(|| {
                format!(
                    "the feed starts with a {} byte-order mark but is not {0} text",
                    encoding.name()
                )
            });
    }
    // EBCDIC: the declaration, read in code page 037, names the page.
    if codepage::is_ebcdic_xml(bytes) {
        let head = codepage::decode("cp037", &bytes[..bytes.len().min(512)]).unwrap_or_default();
        let page = xml_encoding(head.as_bytes()).unwrap_or_else(|| "cp037".to_owned());
        return codepage::decode(&page, bytes)
            .map(|text| (text, None))
            .ok_or_else(|| format!("cannot decode the feed as EBCDIC code page {page}"));
    }
    // The feed's own declaration first, then valid UTF-8, then the HTTP
    // charset: servers often send a default charset that does not match,
    // and single-byte charsets "decode" any bytes into mojibake.
    let declared = xml_encoding(bytes);
    let decoders = [declared.as_deref(), Some("utf-8"), charset];
    let label = |l: Option<&str>| l.and_then(known_label);
    for name in decoders.into_iter().flatten() {
        if let Some(text) = decode_as(name, bytes) {
            let unknown = declared.as_deref().filter(|d| label(Some(d)).is_none());
            let warning = unknown.map(|d| {
                format!("it declares encoding \"{d}\", which kanbao does not know; read as {name}")
            });
            return Ok((text, warning));
        }
    }
    // Named nowhere that works: detected, and said.
    let named = match (&declared, charset) {
        (Some(d), _) if label(Some(d)).is_none() => {
            format!("its declared encoding \"{d}\" is not one kanbao reads")
        }
        (Some(d), _) => format!("it is not valid {d} as declared"),
        (None, Some(c)) => format!("it is not valid {c} as the server says"),
        (None, None) => "it declares no encoding".to_owned(),
    };
    match super::decode::detected(bytes) {
        Some(found) => Ok((
            found.text,
            Some(format!(
                "{named} and is not UTF-8; read as {} (detected), which may be wrong",
                found.encoding.name()
            )),
        )),
        None => Err(format!(
            "cannot decode the feed: {named} and it is not UTF-8"
        )),
    }
}

/// [`decode`] of bytes it may keep: bytes that are UTF-8, in a feed that
/// declares UTF-8 or no encoding (which [`decode`] would read as UTF-8
/// too), become the text in place.
fn decode_owned(bytes: Vec<u8>, charset: Option<&str>) -> Result<(String, Option<String>), String> {
    let declares_utf8 = xml_encoding(&bytes).is_none_or(|label| {
        whatwg(label.trim().trim_matches(['"', '\''])) == Some(encoding_rs::UTF_8)
    });
    let plain = declares_utf8
        && super::decode::Wide::sniff(&bytes).is_none()
        && Encoding::for_bom(&bytes).is_none()
        && !codepage::is_ebcdic_xml(&bytes);
    if !plain {
        return decode(&bytes, charset);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok((text, None)),
        Err(e) => decode(e.as_bytes(), charset),
    }
}

/// C1 control characters (U+0080–U+009F) as the windows-1252 characters
/// with those byte values: a feed that has them was written in
/// windows-1252 and labelled Latin-1 or converted as if it were (`don\u{92}t`
/// is `don’t`), as browsers and feedparser read them too. The five that
/// windows-1252 leaves undefined stay, for the sanitizer to remove.
fn c1_as_windows_1252(text: String) -> String {
    let is_c1 = |c: char| ('\u{80}'..='\u{9f}').contains(&c);
    // In UTF-8 they are C2 80 … C2 9F: looked for by byte, which is quicker.
    let bytes = text.as_bytes();
    let c1_at = |i: usize| bytes.get(i + 1).is_some_and(|b| (0x80..=0x9f).contains(b));
    if !memchr::memchr_iter(0xc2, bytes).any(c1_at) {
        return text;
    }
    text.chars()
        .map(|c| {
            if !is_c1(c) {
                return c;
            }
            let byte = [c as u32 as u8];
            let (decoded, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&byte);
            decoded.chars().next().unwrap_or(c)
        })
        .collect()
}

/// Whether kanbao reads the encoding a label names.
fn known_label(label: &str) -> Option<()> {
    let label = label.trim().trim_matches(['"', '\'']);
    (whatwg(label).is_some() || codepage::knows(label)).then_some(())
}

/// The WHATWG encoding a label names, also when spelt with `_`
/// (`windows_1254`, as Python writes it).
fn whatwg(label: &str) -> Option<&'static Encoding> {
    Encoding::for_label(label.as_bytes())
        .or_else(|| Encoding::for_label(label.replace('_', "-").as_bytes()))
}

/// `bytes` decoded strictly in the encoding `label` names: one of the
/// WHATWG Encoding Standard's, else an old code page ([`codepage`]).
fn decode_as(label: &str, bytes: &[u8]) -> Option<String> {
    let label = label.trim().trim_matches(['"', '\'']);
    match whatwg(label) {
        Some(encoding) => strictly(encoding, bytes),
        None => codepage::decode(label, bytes),
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
    feed_rewrite::attribute(decl, "encoding").map(|(value, _)| value)
}

/// The text with its XML declaration saying UTF-8, which it now is;
/// changed in place.
fn as_utf8_xml(mut text: String) -> String {
    const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
    let head = match text.strip_prefix("<?xml").and_then(|rest| rest.find("?>")) {
        Some(end) => {
            let end = "<?xml".len() + end + "?>".len();
            if text[..end] != *DECLARATION {
                text.replace_range(..end, DECLARATION);
            }
            DECLARATION.len()
        }
        None => 0,
    };
    // Any other XML declaration (a second one, or one after stray text)
    // is invalid, and the XML reader would take its encoding and switch
    // to it mid-stream, which it cannot do (it panics: found by fuzzing).
    // It becomes an ordinary processing instruction, which is ignored.
    if text[head..].contains("<?xml") {
        let rest = text[head..].replace("<?xml", "<?_xml");
        text.truncate(head);
        text.push_str(&rest);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_told_from_a_feed_by_its_first_character() {
        for feed in [
            "<rss version=\"2.0\">",
            " \u{3000}\u{feff}\n<?xml version=\"1.0\"?><feed>",
            "{\"version\": \"https://jsonfeed.org/version/1.1\"}",
        ] {
            assert!(looks_like_feed(feed.as_bytes()), "{feed}");
        }
        for page in ["　　本报讯 <rss>", "", "  \n", "{}", "<html>"] {
            assert!(!looks_like_feed(page.as_bytes()), "{page}");
        }
        assert!(!looks_like_feed(b"\xff<rss>"));
        assert!(!starts_like_markup("\u{3000}本".as_bytes()));
        assert!(starts_like_markup("\u{3000}\u{feff}<".as_bytes()));
    }

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
            decode(&bytes, None).ok(),
            Some((
                "<?xml version=\"1.0\" encoding=\"gb2312\"?><rss>中文</rss>".to_owned(),
                None
            ))
        );
    }

    #[test]
    fn a_wrong_http_charset_loses_to_the_bytes() {
        let (bytes, _, _) =
            encoding_rs::GBK.encode("<?xml version=\"1.0\" encoding=\"gbk\"?><rss>中文</rss>");
        let (text, guessed) = decode(&bytes, Some("utf-8")).unwrap_or_default();
        assert!(text.contains("中文"));
        assert_eq!(guessed, None);
    }

    #[test]
    fn bytes_kept_decode_as_bytes_copied() {
        let (gbk, _, _) =
            encoding_rs::GBK.encode("<?xml version=\"1.0\" encoding=\"gb2312\"?><rss>中文</rss>");
        for bytes in [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss>中文</rss>"
                .as_bytes()
                .to_vec(),
            "<?xml version='1.0' encoding='utf8'?><rss>中文</rss>"
                .as_bytes()
                .to_vec(),
            "<rss>中文</rss>".as_bytes().to_vec(),
            "\u{feff}<rss>中文</rss>".as_bytes().to_vec(),
            "<?xml version=\"1.0\" encoding=\"koi-9\"?><rss>x</rss>"
                .as_bytes()
                .to_vec(),
            b"<?xml version=\"1.0\" encoding=\"utf-8\"?><rss>\xd6\xd0</rss>".to_vec(),
            gbk.into_owned(),
        ] {
            assert_eq!(
                decode_owned(bytes.clone(), Some("gbk")),
                decode(&bytes, Some("gbk"))
            );
        }
    }

    #[test]
    fn declarations_become_utf8_in_place() {
        for (text, want) in [
            (
                "<?xml version=\"1.0\" encoding=\"gb2312\"?><rss/>",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss/>",
            ),
            (
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss/><?xml x?>",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss/><?_xml x?>",
            ),
            ("<?xml never closed <rss/>", "<?_xml never closed <rss/>"),
            ("<rss/>", "<rss/>"),
        ] {
            assert_eq!(as_utf8_xml(text.to_owned()), want);
        }
    }
}
