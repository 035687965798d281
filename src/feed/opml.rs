//! OPML feed lists, the file feed readers use to move subscriptions.
//!
//! [`export`] writes the config's web feeds as OPML 2.0 for another reader.
//! [`import`] reads another reader's OPML and appends its new feeds to the
//! *text* of `config.toml`, one `[[feeds]]` table each (rendered by
//! toml_edit), so that every comment, blank line and key already in the file
//! stays as it was, byte for byte; the new text is checked with
//! [`config::parse`] before it is returned. [`decode`] turns the bytes of an
//! OPML file into text first, honouring a byte order mark or the encoding its
//! `<?xml?>` declaration names (GBK, Big5, …). Nothing here touches the file
//! system: `kanbao import opml` and `kanbao export opml` in [`crate::cli`]
//! read and write the files.

use std::collections::HashSet;
use std::path::Path;

use encoding_rs::Encoding;
use quick_xml::XmlVersion;
use quick_xml::events::attributes::AttrError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;
use toml_edit::{ArrayOfTables, DocumentMut, InlineTable, Item, Table, Value};

use crate::config::{self, Config, FeedConfig, FeedKind, FeedSource};

/// A feed that [`import`] added to the config.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AddedFeed {
    /// A new id, unique in the config: `[a-z0-9-]+`.
    pub id: String,
    pub title: String,
    pub url: String,
    /// The text of the category outline the feed was listed under.
    pub section: Option<String>,
}

/// What [`import`] made of an OPML file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Imported {
    /// The new text of `config.toml`: the old text unchanged, then a
    /// `[[feeds]]` table for each added feed. The old text itself when
    /// nothing was added.
    pub text: String,
    /// In the order of the OPML file.
    pub added: Vec<AddedFeed>,
    /// Outlines not added, in the order of the OPML file: the feed's url (the
    /// outline's title when it has none) and why.
    pub skipped: Vec<(String, String)>,
}

/// The OPML file of `config`'s web feeds that have a `url`, in the config's
/// order. A feed with a `section` is put in a category outline of that name,
/// placed where the first feed of the section is. Folders of stored pages,
/// local feed files and e-paper sites have no feed address to give, so they are only listed,
/// by id, in a comment at the end of the `<body>`.
pub fn export(config: &Config) -> String {
    let mut entries: Vec<Entry<'_>> = Vec::new();
    let mut left_out: Vec<String> = Vec::new();
    for feed in &config.feeds {
        let url = match (&feed.kind, &feed.source) {
            (FeedKind::Feed, Some(FeedSource::Url(url))) => url.as_str(),
            (FeedKind::Feed, _) => {
                left_out.push(format!("{} (feed file)", feed.id));
                continue;
            }
            (FeedKind::Pages, _) => {
                left_out.push(format!("{} (pages)", feed.id));
                continue;
            }
            // An e-paper site is no feed another reader could subscribe to.
            (FeedKind::Epaper, _) => {
                left_out.push(format!("{} (e-paper)", feed.id));
                continue;
            }
        };
        match feed.section.as_deref() {
            None => entries.push(Entry::Feed(feed, url)),
            Some(section) => {
                let existing = entries.iter_mut().find_map(|entry| match entry {
                    Entry::Section(name, feeds) if *name == section => Some(feeds),
                    _ => None,
                });
                match existing {
                    Some(feeds) => feeds.push((feed, url)),
                    None => entries.push(Entry::Section(section, vec![(feed, url)])),
                }
            }
        }
    }
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <opml version=\"2.0\">\n  \
         <head>\n    <title>kanbao feeds</title>\n  </head>\n  <body>\n",
    );
    for entry in &entries {
        match entry {
            Entry::Feed(feed, url) => feed_outline(&mut out, "    ", feed, url),
            Entry::Section(name, feeds) => {
                out.push_str(&format!("    <outline text=\"{}\">\n", attribute(name)));
                for (feed, url) in feeds {
                    feed_outline(&mut out, "      ", feed, url);
                }
                out.push_str("    </outline>\n");
            }
        }
    }
    if !left_out.is_empty() {
        // A comment cannot hold `--`, which ids may.
        let mut ids = left_out.join(", ");
        while ids.contains("--") {
            ids = ids.replace("--", "- -");
        }
        out.push_str(&format!(
            "    <!-- Not exported, having no url: {ids}. -->\n"
        ));
    }
    out.push_str("  </body>\n</opml>\n");
    out
}

/// A top-level outline of [`export`].
enum Entry<'a> {
    Feed(&'a FeedConfig, &'a str),
    Section(&'a str, Vec<(&'a FeedConfig, &'a str)>),
}

fn feed_outline(out: &mut String, indent: &str, feed: &FeedConfig, url: &str) {
    let title = attribute(&feed.title);
    out.push_str(&format!(
        "{indent}<outline type=\"rss\" text=\"{title}\" title=\"{title}\" xmlUrl=\"{}\"/>\n",
        attribute(url)
    ));
}

/// `text` as an XML attribute value in double quotes: `&`, `<`, `>` and `"`
/// escaped; tabs and line breaks, which a parser would turn into spaces
/// anyway, written as spaces; other control characters and the non-characters
/// U+FFFE and U+FFFF, which XML cannot hold, removed.
fn attribute(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(' '),
            '\u{fffe}' | '\u{ffff}' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// The name [`import`] gives the config in messages about it.
const CONFIG_NAME: &str = "config.toml";

/// Appends the web feeds listed in `opml` that `config_text` does not have
/// yet, as `[[feeds]]` tables with `id`, `title`, `kind = "feed"`, `url` and,
/// when the feed was listed under a category outline, `section`.
///
/// Every `<outline>` with an `xmlUrl` is a feed, however deep (the file is
/// read without recursion); its `title`, else its `text`, is its title, and
/// the text of the nearest enclosing outline without an `xmlUrl` is its
/// section. A feed is skipped when its url is already in the config or
/// earlier in the file (ignoring one trailing slash), when it is not an
/// `http://` or `https://` address, or when its `type` is neither `rss` nor
/// `atom`. Each added feed gets an id made from its title when that is plain
/// ASCII, else from its url's host and path, made unique with `-2`, `-3`, ….
///
/// The old text is kept as it is, byte order mark and line endings included,
/// and the new tables are written after it; only a config that lists its
/// feeds as an inline array (`feeds = [...]`) gets the new ones added inside
/// that array instead. Errors are one line saying what to do: `config_text`
/// is not a valid config, `opml` is not XML, not OPML, or lists no feeds.
pub fn import(config_text: &str, opml: &str) -> Result<Imported, String> {
    let (bom, body) = match config_text.strip_prefix('\u{feff}') {
        Some(body) => ("\u{feff}", body),
        None => ("", config_text),
    };
    let config = parse_config(body)?;
    let outlines = read_outlines(opml)?;
    if !outlines
        .iter()
        .any(|outline| matches!(outline, Outline::Feed { .. }))
    {
        return Err(NO_FEEDS.to_owned());
    }
    let existing: Vec<(&str, &str)> = config
        .feeds
        .iter()
        .filter_map(|feed| match &feed.source {
            Some(FeedSource::Url(url)) => Some((url.as_str(), feed.id.as_str())),
            _ => None,
        })
        .collect();
    let mut taken: HashSet<String> = config.feeds.iter().map(|feed| feed.id.clone()).collect();
    let mut added: Vec<AddedFeed> = Vec::new();
    let mut skipped: Vec<(String, String)> = Vec::new();
    for outline in outlines {
        let (url, title, kind, section) = match outline {
            Outline::Other { label } => {
                skipped.push((label, "no xmlUrl, so not a feed".to_owned()));
                continue;
            }
            Outline::Feed {
                url,
                title,
                kind,
                section,
            } => (url, title, kind, section),
        };
        let reason = if let Some(kind) = kind.filter(|kind| !is_feed_type(kind)) {
            Some(format!("type \"{kind}\" is not a feed"))
        } else if let Err(reason) = check_url(&url) {
            Some(reason.to_owned())
        } else if let Some((_, id)) = existing.iter().find(|(known, _)| same_url(known, &url)) {
            Some(format!("already in the config as \"{id}\""))
        } else {
            added
                .iter()
                .find(|feed| same_url(&feed.url, &url))
                .map(|earlier| format!("listed twice; added once as \"{}\"", earlier.id))
        };
        if let Some(reason) = reason {
            skipped.push((url, reason));
            continue;
        }
        let id = unique_id(base_id(title.as_deref().unwrap_or(""), &url), &mut taken);
        let title = title.unwrap_or_else(|| host(&url).to_owned());
        added.push(AddedFeed {
            id,
            title,
            url,
            section,
        });
    }
    let text = if added.is_empty() {
        config_text.to_owned()
    } else {
        let body = with_feeds(body, &added)?;
        if let Err(error) = parse_config(&body) {
            return Err(format!(
                "the config would not be valid with the new feeds ({error}); \
                 add them by hand, and please report this"
            ));
        }
        format!("{bom}{body}")
    };
    Ok(Imported {
        text,
        added,
        skipped,
    })
}

const NO_FEEDS: &str = "no feeds in this OPML file: no <outline> has an xmlUrl; \
     export the list of feeds (subscriptions) from your feed reader and import that";

fn parse_config(text: &str) -> Result<Config, String> {
    config::parse(text, Path::new(CONFIG_NAME), CONFIG_NAME).map_err(|error| error.to_string())
}

/// The `type` of a feed outline that [`import`] accepts, ignoring case; an
/// outline without one is accepted too.
fn is_feed_type(kind: &str) -> bool {
    ["rss", "atom"]
        .iter()
        .any(|name| kind.eq_ignore_ascii_case(name))
}

/// Whether two feed urls are the same, exactly or but for a trailing slash.
fn same_url(a: &str, b: &str) -> bool {
    a.strip_suffix('/').unwrap_or(a) == b.strip_suffix('/').unwrap_or(b)
}

/// What `config.toml` takes as a `url`: `http://` or `https://`, a host, no
/// spaces or control characters.
fn check_url(url: &str) -> Result<(), &'static str> {
    let rest = ["http://", "https://"].iter().find_map(|scheme| {
        url.get(..scheme.len())
            .filter(|start| start.eq_ignore_ascii_case(scheme))
            .map(|_| &url[scheme.len()..])
    });
    let Some(rest) = rest else {
        return Err("not an http:// or https:// address");
    };
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("the address contains spaces or control characters");
    }
    if rest.split(['/', '?', '#']).next().is_none_or(str::is_empty) {
        return Err("the address names no host");
    }
    Ok(())
}

/// The host of an `http(s)://` url, without user name or port.
fn host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    if host.starts_with('[') {
        return host.split_inclusive(']').next().unwrap_or(host);
    }
    host.split(':').next().unwrap_or(host)
}

/// Ids are at most this many bytes long before a `-2` suffix.
const ID_MAX: usize = 40;

/// The id for a feed: from its title when that is plain ASCII, else from
/// its url, else `feed`. `title` is empty when the outline gave none.
fn base_id(title: &str, url: &str) -> String {
    if title.is_ascii() {
        let id = join_words(slug_words(title));
        if !id.is_empty() {
            return id;
        }
    }
    let id = join_words(url_words(url));
    if id.is_empty() { "feed".to_owned() } else { id }
}

/// `base`, else `base-2`, `base-3`, … whichever is not in `taken`; adds it.
fn unique_id(base: String, taken: &mut HashSet<String>) -> String {
    let mut id = base.clone();
    let mut n = 2;
    while taken.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    taken.insert(id.clone());
    id
}

/// The runs of ASCII letters and digits in `text`, lowercased.
fn slug_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_ascii_lowercase)
        .collect()
}

/// Words joined by `-`, as many whole words as fit in [`ID_MAX`] (the first
/// one cut if it alone is longer).
fn join_words(words: Vec<String>) -> String {
    let mut id = String::new();
    for word in words {
        let extra = if id.is_empty() { 0 } else { 1 };
        if id.len() + extra + word.len() > ID_MAX {
            if id.is_empty() {
                id = word[..ID_MAX].to_owned();
            }
            break;
        }
        if extra == 1 {
            id.push('-');
        }
        id.push_str(&word);
    }
    id
}

/// Host labels that say nothing about a feed: `www.`, `rss.`, top-level and
/// generic second-level domains.
const DULL_HOST: [&str; 12] = [
    "www", "rss", "feed", "feeds", "m", "com", "net", "org", "gov", "edu", "co", "ac",
];

/// Path words that say nothing about a feed.
const DULL_PATH: [&str; 16] = [
    "rss", "rss2", "feed", "feeds", "atom", "xml", "rdf", "json", "index", "php", "html", "htm",
    "asp", "aspx", "jsp", "cgi",
];

/// The words of a url's host, path and query values that tell its feed
/// apart: `https://feeds.bbci.co.uk/zhongwen/simp/rss.xml` gives bbci,
/// zhongwen, simp, and `http://example.com/rss.php?cat=politics&page=2` gives
/// example, politics (numbers in a query are left out: the `-2` of a
/// repeated id would be mistaken for them). Percent-encoded bytes (a Chinese
/// path) are dropped.
fn url_words(url: &str) -> Vec<String> {
    let host = host(url).to_ascii_lowercase();
    let mut labels: Vec<&str> = host.split('.').filter(|l| !l.is_empty()).collect();
    let numeric = labels
        .iter()
        .all(|label| label.bytes().all(|b| b.is_ascii_digit()));
    if !numeric {
        if labels.len() > 1 {
            labels.pop();
        }
        let dull: Vec<&str> = labels
            .iter()
            .copied()
            .filter(|label| !DULL_HOST.contains(label))
            .collect();
        if !dull.is_empty() {
            labels = dull;
        }
    }
    let mut words: Vec<String> = labels.iter().flat_map(|l| slug_words(l)).collect();
    let rest = url.split_once("://").map_or("", |(_, rest)| rest);
    let after_host = rest.find(['/', '?', '#']).map_or("", |at| &rest[at..]);
    let after_host = after_host.split('#').next().unwrap_or("");
    let (path, query) = after_host.split_once('?').unwrap_or((after_host, ""));
    words.extend(
        slug_words(&without_percent_escapes(path))
            .into_iter()
            .filter(|word| !DULL_PATH.contains(&word.as_str())),
    );
    let values = query
        .split('&')
        .filter_map(|pair| pair.split_once('=').map(|(_, value)| value))
        .flat_map(|value| slug_words(&without_percent_escapes(value)))
        .filter(|word| word.bytes().any(|b| b.is_ascii_alphabetic()))
        .filter(|word| !DULL_PATH.contains(&word.as_str()));
    words.extend(values);
    words
}

/// `text` with each `%XX` replaced by a space.
fn without_percent_escapes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.char_indices();
    while let Some((at, c)) = chars.next() {
        let escape = text
            .get(at + 1..at + 3)
            .filter(|hex| c == '%' && hex.bytes().all(|b| b.is_ascii_hexdigit()));
        if escape.is_some() {
            chars.nth(1);
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

/// `body` with the `[[feeds]]` tables of `added` after it.
fn with_feeds(body: &str, added: &[AddedFeed]) -> Result<String, String> {
    let mut document: DocumentMut = body
        .parse()
        .map_err(|error: toml_edit::TomlError| format!("the config is not valid TOML: {error}"))?;
    if let Some(Item::Value(Value::Array(array))) = document.get_mut("feeds") {
        let indent = "\n    ";
        for feed in added {
            let mut table = InlineTable::new();
            for (key, value) in feed_entries(feed) {
                table.insert(key, value.into());
            }
            array.push_formatted(Value::InlineTable(table).decorated(indent, ""));
        }
        array.set_trailing_comma(true);
        array.set_trailing("\n");
        return Ok(document.to_string());
    }
    let blank_before = body.trim().is_empty() || body.ends_with("\n\n") || body.ends_with("\n\r\n");
    let mut tables = ArrayOfTables::new();
    for (n, feed) in added.iter().enumerate() {
        let mut table = Table::new();
        for (key, value) in feed_entries(feed) {
            table.insert(key, toml_edit::value(value));
        }
        if n > 0 || !blank_before {
            table.decor_mut().set_prefix("\n");
        }
        tables.push(table);
    }
    let mut new = DocumentMut::new();
    new.insert("feeds", Item::ArrayOfTables(tables));
    let crlf = body.contains("\r\n");
    let newline = if crlf { "\r\n" } else { "\n" };
    let mut text = body.to_owned();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push_str(newline);
    }
    let rendered = new.to_string();
    if crlf {
        text.push_str(&rendered.replace('\n', "\r\n"));
    } else {
        text.push_str(&rendered);
    }
    Ok(text)
}

/// The keys of a new `[[feeds]]` table, in the order written.
fn feed_entries(feed: &AddedFeed) -> Vec<(&'static str, &str)> {
    let mut entries = vec![
        ("id", feed.id.as_str()),
        ("title", feed.title.as_str()),
        ("kind", FeedKind::Feed.name()),
        ("url", feed.url.as_str()),
    ];
    if let Some(section) = &feed.section {
        entries.push(("section", section.as_str()));
    }
    entries
}

/// An `<outline>` that [`import`] has to consider, in the file's order.
enum Outline {
    /// An outline with an `xmlUrl`.
    Feed {
        /// Trimmed, entities resolved; not checked yet.
        url: String,
        /// `title`, else `text`, tidied; `None` when both are blank.
        title: Option<String>,
        /// `type`, when given.
        kind: Option<String>,
        /// The text of the nearest enclosing outline without an `xmlUrl`.
        section: Option<String>,
    },
    /// An outline with neither an `xmlUrl` nor outlines inside: a link, a
    /// note or an empty category.
    Other { label: String },
}

/// An element of the OPML file that is still open.
struct Frame {
    /// An `<outline>` without an `xmlUrl`: a category, or a leaf to report.
    category: bool,
    /// Outlines directly inside this one.
    children: usize,
    /// How to name this outline if it is reported as skipped.
    label: String,
    /// The section of feeds inside this element.
    section: Option<String>,
}

/// The outlines of an OPML document, read with an explicit stack of open
/// elements so that any depth of nesting is fine.
fn read_outlines(opml: &str) -> Result<Vec<Outline>, String> {
    let mut reader = Reader::from_str(opml);
    let mut stack: Vec<Frame> = Vec::new();
    let mut outlines = Vec::new();
    let mut seen_root = false;
    loop {
        let event = reader.read_event().map_err(|error| {
            let at = usize::try_from(reader.error_position()).unwrap_or(opml.len());
            not_well_formed(opml, at, &tidy(&error.to_string()))
        })?;
        let (element, empty) = match event {
            Event::Start(element) => (element, false),
            Event::Empty(element) => (element, true),
            Event::End(_) => {
                if let Some(frame) = stack.pop() {
                    close(frame, &mut outlines);
                }
                if stack.is_empty() {
                    break;
                }
                continue;
            }
            Event::Eof if !seen_root => return Err(NOT_XML.to_owned()),
            Event::Eof => {
                let line = line_of(opml, opml.len());
                return Err(format!(
                    "not well-formed XML at line {line}: the file ends before </opml>; \
                     it may be cut short, so export the feed list from your feed reader again"
                ));
            }
            _ => continue,
        };
        if !seen_root {
            seen_root = true;
            let name = element.name();
            let name = name.as_ref();
            if !name.eq_ignore_ascii_case("opml") {
                return Err(not_opml(name));
            }
        }
        let frame = open(&element, stack.last_mut(), &mut outlines).map_err(|bad| {
            // The tag ends where the reader is; its text starts after `<`.
            let tag_len = element.len() + if empty { 3 } else { 2 };
            let end = usize::try_from(reader.buffer_position()).unwrap_or(opml.len());
            let at = end.saturating_sub(tag_len) + 1 + bad.at;
            not_well_formed(opml, at, &bad.message)
        })?;
        if empty {
            close(frame, &mut outlines);
            if stack.is_empty() {
                break;
            }
        } else {
            stack.push(frame);
        }
    }
    Ok(outlines)
}

/// Reads the element just opened inside `parent`; adds it to `outlines` if
/// it is a feed.
fn open(
    element: &BytesStart<'_>,
    parent: Option<&mut Frame>,
    outlines: &mut Vec<Outline>,
) -> Result<Frame, BadAttribute> {
    let inherited = parent.as_ref().and_then(|frame| frame.section.clone());
    if !element.name().as_ref().eq_ignore_ascii_case("outline") {
        return Ok(Frame {
            category: false,
            children: 0,
            label: String::new(),
            section: inherited,
        });
    }
    if let Some(parent) = parent {
        parent.children += 1;
    }
    let (mut url, mut title, mut text, mut kind) = (None, None, None, None);
    for attribute in element.attributes() {
        let attribute = attribute.map_err(BadAttribute::syntax)?;
        let value = attribute
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|error| BadAttribute::value(element, &attribute.value, &error))?;
        let key = attribute.key.as_ref();
        let slot = if key.eq_ignore_ascii_case("xmlUrl") {
            &mut url
        } else if key.eq_ignore_ascii_case("title") {
            &mut title
        } else if key.eq_ignore_ascii_case("text") {
            &mut text
        } else if key.eq_ignore_ascii_case("type") {
            &mut kind
        } else {
            continue;
        };
        *slot = Some(value.into_owned());
    }
    let url = url
        .map(|url| url.trim().to_owned())
        .filter(|url| !url.is_empty());
    let title = title.map(|t| tidy(&t)).filter(|t| !t.is_empty());
    let text = text.map(|t| tidy(&t)).filter(|t| !t.is_empty());
    if let Some(url) = url {
        outlines.push(Outline::Feed {
            url,
            title: title.or(text),
            kind: kind.map(|k| k.trim().to_owned()).filter(|k| !k.is_empty()),
            section: inherited.clone(),
        });
        return Ok(Frame {
            category: false,
            children: 0,
            label: String::new(),
            section: inherited,
        });
    }
    let name = text.or(title);
    Ok(Frame {
        category: true,
        children: 0,
        label: name
            .clone()
            .unwrap_or_else(|| "(untitled outline)".to_owned()),
        section: name.or(inherited),
    })
}

/// Reports an outline that had neither an `xmlUrl` nor outlines inside.
fn close(frame: Frame, outlines: &mut Vec<Outline>) {
    if frame.category && frame.children == 0 {
        outlines.push(Outline::Other { label: frame.label });
    }
}

/// `text` with control characters removed and each run of white space made one space.
fn tidy(text: &str) -> String {
    let shown: String = text
        .chars()
        .filter(|c| !c.is_control() || c.is_whitespace())
        .collect();
    shown.split_whitespace().collect::<Vec<_>>().join(" ")
}

const NOT_XML: &str = "not XML: no element found; \
     export the feed list from your feed reader as OPML (.opml) and import that file";

/// `error` at byte `at` of `opml`, as [`import`]'s message.
fn not_well_formed(opml: &str, at: usize, error: &str) -> String {
    format!(
        "not well-formed XML at line {}: {error}; \
         fix that line, or export the feed list from your feed reader again",
        line_of(opml, at)
    )
}

/// An attribute of an `<outline>` that cannot be read.
struct BadAttribute {
    /// Where, in bytes from the start of the tag's text (after `<`).
    at: usize,
    message: String,
}

impl BadAttribute {
    fn syntax(error: AttrError) -> Self {
        let (at, message) = match error {
            AttrError::ExpectedEq(at) => (at, "an attribute name without `=` after it".to_owned()),
            AttrError::ExpectedValue(at) => (at, "`=` without a value after it".to_owned()),
            AttrError::UnquotedValue(at) => (at, "an attribute value not in quotes".to_owned()),
            AttrError::ExpectedQuote(at, quote) => (
                at,
                format!("an attribute value without its closing {}", quote as char),
            ),
            AttrError::Duplicated(at, _) => (at, "an attribute given twice".to_owned()),
        };
        BadAttribute { at, message }
    }

    /// A value with an unknown entity (`&nbsp;`) or a bad character reference.
    fn value(element: &BytesStart<'_>, raw: &str, error: &quick_xml::Error) -> Self {
        let message = tidy(&error.to_string());
        // Escape errors start with where in the value they are: `at 2..6: `.
        let message = match message
            .strip_prefix("at ")
            .and_then(|rest| rest.split_once(": "))
        {
            Some((range, rest)) if range.bytes().all(|b| b.is_ascii_digit() || b == b'.') => {
                rest.to_owned()
            }
            _ => message,
        };
        BadAttribute {
            at: element.find(raw).unwrap_or(0),
            message,
        }
    }
}

fn not_opml(root: &str) -> String {
    let local = root.rsplit(':').next().unwrap_or(root);
    if ["rss", "feed", "rdf"]
        .iter()
        .any(|feed| local.eq_ignore_ascii_case(feed))
    {
        format!(
            "not an OPML file but a web feed (<{root}>); add it to config.toml as a \
             [[feeds]] table with kind = \"feed\" and its url"
        )
    } else {
        format!(
            "not an OPML file: the root element is <{}>, not <opml>; \
             export the feed list from your feed reader as OPML and import that file",
            tidy(root)
        )
    }
}

/// The 1-based line of byte `at` of `text`.
fn line_of(text: &str, at: usize) -> usize {
    let before = text.as_bytes().get(..at).unwrap_or(text.as_bytes());
    before.iter().filter(|&&b| b == b'\n').count() + 1
}

/// The text of an OPML file: UTF-8, or UTF-16 with a byte order mark or an
/// `<?xml` start, or the encoding the `<?xml?>` declaration names (GBK and
/// GB2312 are read as GB18030, their superset). Errors say how to fix the file.
pub fn decode(bytes: &[u8]) -> Result<String, String> {
    let (encoding, bytes, why) = if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        (encoding, &bytes[bom..], "its byte order mark".to_owned())
    } else if bytes.starts_with(b"<\0?\0") {
        (encoding_rs::UTF_16LE, bytes, "its first bytes".to_owned())
    } else if bytes.starts_with(b"\0<\0?") {
        (encoding_rs::UTF_16BE, bytes, "its first bytes".to_owned())
    } else if let Some(label) = declared_encoding(bytes) {
        let encoding = match Encoding::for_label(label.as_bytes()) {
            Some(encoding) if encoding != encoding_rs::REPLACEMENT => encoding,
            _ => {
                return Err(format!(
                    "unknown encoding \"{}\" in the <?xml?> declaration; \
                     save the file as UTF-8 with encoding=\"UTF-8\"",
                    tidy(&label)
                ));
            }
        };
        // A declaration readable as ASCII cannot be UTF-16: the file is UTF-8 (as in HTML).
        let encoding = match encoding {
            e if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE => encoding_rs::UTF_8,
            e if e == encoding_rs::GBK => encoding_rs::GB18030,
            e => e,
        };
        (encoding, bytes, format!("encoding=\"{}\"", tidy(&label)))
    } else {
        return String::from_utf8(bytes.to_vec()).map_err(|error| {
            let at = error.utf8_error().valid_up_to();
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            format!(
                "not UTF-8 (line {line}) and the <?xml?> declaration names no encoding; \
                 add encoding=\"GBK\" (or the file's real encoding) to it, or save the file as UTF-8"
            )
        });
    };
    encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|text| text.into_owned())
        .ok_or_else(|| {
            format!(
                "not valid {} text, although {why} says it is; name the file's real \
                 encoding in its <?xml?> declaration, or save the file as UTF-8",
                encoding.name()
            )
        })
}

/// The `encoding` of the `<?xml … ?>` declaration at the start of `bytes`.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let start = bytes.strip_prefix(b"<?xml")?;
    let end = start.windows(2).position(|pair| pair == b"?>")?;
    let declaration = std::str::from_utf8(&start[..end]).ok()?;
    let (_, rest) = declaration.split_once("encoding")?;
    let rest = rest.trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|q| *q == '"' || *q == '\'')?;
    let (label, _) = rest[1..].split_once(quote)?;
    Some(label.trim().to_owned())
}
