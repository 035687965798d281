//! Feeds rewritten into what feed-rs reads, before it reads them: each
//! rewrite turns a form real feeds use, which feed-rs would read as no
//! feed or no items, into the standard form that means the same.
//!
//! - Atom 0.3 (and a `<feed>` in an unknown namespace) as Atom 1.0;
//! - Atom text whose `type` is a MIME type, empty, or base64-encoded
//!   (`mode="base64"`, `type="application/octet-stream"`) as `text`,
//!   `html` or `xhtml`, the base64 decoded;
//! - RSS 0.90 as RSS 1.0, and RSS 1.0 items with no `<link>` given their
//!   `rdf:about`;
//! - `<rss>` of any version, or none, as RSS 2.0, and RSS in one of the
//!   old RSS namespaces as RSS in none;
//! - an e-mail address in a person's text (`<author>`, `<dc:creator>`, a
//!   JSON Feed author's `name`) set apart from a Chinese character next to
//!   it by a space, which feed-rs needs not to fail (it panicked on
//!   `记者张三：zhangsan@example.com`).

/// All the rewrites, in order; a document none applies to is returned as
/// it is.
pub fn rewrite(text: String) -> String {
    let text = rss_versioned(rss_namespace(rdf_links(rss090_as_rss10(atom03_as_atom10(
        text,
    )))));
    person_emails(atom_text_types(text))
}

/// Each e-mail address in a person's text with a space between it and a
/// character next to it that is not ASCII (or is written as an entity or
/// a JSON escape, which become one). feed-rs cuts a person's name from
/// the address one byte before or after it, which is inside such a
/// character: it panicked. Addresses elsewhere (in an item's text) are
/// left as they are.
fn person_emails(text: String) -> String {
    if !text.contains('@') {
        return text;
    }
    let json = text.starts_with('{');
    let bytes = text.as_bytes();
    let local = |b: u8| b.is_ascii_alphanumeric() || b"._%+-".contains(&b);
    let domain = |b: u8| b.is_ascii_alphanumeric() || b".-".contains(&b);
    let mut out = String::new();
    let mut copied = 0;
    for (at, _) in text.match_indices('@') {
        if at < copied {
            continue;
        }
        let mut start = at;
        while start > 0 && local(bytes[start - 1]) {
            start -= 1;
        }
        // A JSON escape before the address is a character of its own
        // (`\uff1a` is `：`), not a part of it.
        let mut escaped_before = false;
        if json && text[..start].ends_with('\\') {
            let hex = text.get(start + 1..start + 5).unwrap_or_default();
            if text[start..].starts_with('u') && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                start += 5;
                escaped_before = true;
            } else {
                start += 1;
            }
        }
        if text[..start].ends_with("mailto:") {
            start -= "mailto:".len();
        }
        // An entity (`&#65306;`) is a character of its own too.
        escaped_before |= entity_is_wide(&text[..start], true);
        let mut end = at + 1;
        while end < bytes.len() && domain(bytes[end]) {
            end += 1;
        }
        if start >= at || end == at + 1 || !in_person(&text[..start], json) {
            continue;
        }
        let space_before = escaped_before
            || text[..start]
                .chars()
                .next_back()
                .is_some_and(|c| !c.is_ascii());
        let space_after = text[end..]
            .chars()
            .next()
            .is_some_and(|c| !c.is_ascii() || c == '\\')
            || entity_is_wide(&text[end..], false);
        if !space_before && !space_after {
            continue;
        }
        if out.is_empty() {
            out.reserve(text.len() + 16);
        }
        out.push_str(&text[copied..start]);
        if space_before {
            out.push(' ');
        }
        out.push_str(&text[start..end]);
        if space_after {
            out.push(' ');
        }
        copied = end;
    }
    if copied == 0 {
        return text;
    }
    out.push_str(&text[copied..]);
    out
}

/// Whether the entity that `text` ends (`before`) or starts with stands
/// for a character that is not ASCII (`&#65306;`, `&nbsp;`; not `&lt;`).
fn entity_is_wide(text: &str, before: bool) -> bool {
    let entity = if before {
        let Some(body) = text.strip_suffix(';') else {
            return false;
        };
        match body.rfind('&') {
            Some(at) if body.len() - at <= 10 => &body[at + 1..],
            _ => return false,
        }
    } else {
        let Some(body) = text.strip_prefix('&') else {
            return false;
        };
        match body.find(';') {
            Some(at) if at <= 10 => &body[..at],
            _ => return false,
        }
    };
    match entity.strip_prefix('#') {
        Some(number) => {
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => number.parse().ok(),
            };
            code.is_some_and(|c| c > 0x7f)
        }
        None => {
            !entity.is_empty()
                && entity.chars().all(|c| c.is_ascii_alphanumeric())
                && !matches!(entity, "lt" | "gt" | "amp" | "quot" | "apos")
        }
    }
}

/// Whether the text that `head` ends is a person's: in XML, inside an
/// element feed-rs reads a person from (possibly in a CDATA section); in
/// JSON, the start of a `"name"` string.
fn in_person(head: &str, json: bool) -> bool {
    if json {
        let Some((key, _)) = head.rsplit_once('"') else {
            return false;
        };
        let key = key.trim_end();
        return key.ends_with(':') && key[..key.len() - 1].trim_end().ends_with("\"name\"");
    }
    let mut rest = head;
    while let Some(at) = rest.rfind('<') {
        let tag = &rest[at..];
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        if tag.starts_with("<![CDATA[") || tag.ends_with('/') {
            rest = &rest[..at];
            continue;
        }
        if tag.starts_with("</") || tag.starts_with("<!") || tag.starts_with("<?") {
            return false;
        }
        let local = element_name(tag).rsplit(':').next().unwrap_or_default();
        return matches!(
            local,
            "author" | "creator" | "managingEditor" | "webMaster" | "name"
        );
    }
    false
}

const ATOM_10: &str = "http://www.w3.org/2005/Atom";

/// The Atom 0.3 namespace; feed-rs reads only Atom 1.0, and finds no
/// entries in a 0.3 feed.
const ATOM_03: &str = "http://purl.org/atom/ns#";

/// An Atom 0.3 feed rewritten as the Atom 1.0 it corresponds to: the
/// namespace; `issued` → `published`, `modified` → `updated` (`created`
/// → `published` where there is no `issued`); its text types are left to
/// [`atom_text_types`]. A `<feed>` in a namespace that is not Atom's is
/// read as 0.3 too. Other documents are returned as they are.
fn atom03_as_atom10(text: String) -> String {
    let text = match root_namespace(&text, "feed") {
        Some(ns) if ns != ATOM_10 && ns != ATOM_03 => {
            text.replacen(&format!("\"{ns}\""), &format!("\"{ATOM_03}\""), 1)
        }
        _ => text,
    };
    if !text.contains(ATOM_03) {
        return text;
    }
    let mut out = text.replace(ATOM_03, ATOM_10);
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

/// An `<rss>` root with no version, or one feed-rs does not know (`0.93`,
/// `0.94`, `2.0.1` …), read as RSS 2.0, which all of them are a subset of
/// or close to; feed-rs finds no feed in it otherwise.
fn rss_versioned(text: String) -> String {
    let Some((at, tag)) = root_tag(&text, "rss") else {
        return text;
    };
    match attribute(tag, "version") {
        Some((v, _)) if matches!(v.trim(), "2.0" | "0.91" | "0.92") => text,
        Some((v, range)) => {
            // The value sits just before the closing quote.
            let end = at + range.end - 1;
            let start = end - v.len();
            format!("{}2.0{}", &text[..start], &text[end..])
        }
        None => format!("{} version=\"2.0\"{}", &text[..at + 4], &text[at + 4..]),
    }
}

/// The start tag of the document's root element if it is named `name`.
fn root_tag<'a>(text: &'a str, name: &str) -> Option<(usize, &'a str)> {
    let (at, tag) = root_element(text)?;
    (element_name(tag) == name).then_some((at, tag))
}

/// The name in a start tag (`<rdf:RDF xmlns…` → `rdf:RDF`).
pub(super) fn element_name(tag: &str) -> &str {
    let name = tag.strip_prefix('<').unwrap_or(tag);
    name.split(|c: char| c.is_whitespace() || c == '/')
        .next()
        .unwrap_or_default()
}

/// The document's root element: where its start tag begins, and the tag
/// up to (not including) its `>`, past the XML declaration, comments,
/// processing instructions and doctype. `None` if text comes first, or
/// the prolog or the tag is not closed within `text`.
pub(super) fn root_element(text: &str) -> Option<(usize, &str)> {
    let mut rest = text;
    let mut offset = 0;
    loop {
        let at = rest.find('<')?;
        if !rest[..at].trim().is_empty() {
            return None;
        }
        let after = &rest[at..];
        if after.starts_with("<?") || after.starts_with("<!") {
            let end = if after.starts_with("<!--") {
                after.find("-->")? + 3
            } else {
                after.find('>')? + 1
            };
            offset += at + end;
            rest = &after[end..];
            continue;
        }
        return Some((offset + at, &after[..after.find('>')?]));
    }
}

/// The value of attribute `name` in a start tag, and its byte range there.
pub(super) fn attribute(tag: &str, name: &str) -> Option<(String, std::ops::Range<usize>)> {
    let mut from = 0;
    while let Some(found) = tag[from..].find(name) {
        let at = from + found;
        from = at + name.len();
        let before = tag[..at].chars().last();
        if !before.is_some_and(char::is_whitespace) {
            continue;
        }
        let rest = tag[from..].trim_start();
        let Some(rest) = rest.strip_prefix('=') else {
            continue;
        };
        let rest = rest.trim_start();
        let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let value_start = tag.len() - rest.len() + 1;
        let close = tag[value_start..].find(quote)?;
        return Some((
            tag[value_start..value_start + close].to_owned(),
            at..value_start + close + 1,
        ));
    }
    None
}

/// The default namespace of the root element if it is named `name`.
fn root_namespace(text: &str, name: &str) -> Option<String> {
    let (_, tag) = root_tag(text, name)?;
    attribute(tag, "xmlns").map(|(value, _)| value)
}

/// RSS in a namespace of its own (`xmlns="http://backend.userland.com/rss2"`,
/// which feed-rs does not know) read as RSS in none, which it means.
fn rss_namespace(text: String) -> String {
    const OLD: [&str; 4] = [
        "http://backend.userland.com/rss2",
        "http://backend.userland.com/rss",
        "http://blogs.law.harvard.edu/tech/rss",
        "http://purl.org/rss/2.0/",
    ];
    let Some((at, tag)) = root_tag(&text, "rss") else {
        return text;
    };
    match attribute(tag, "xmlns") {
        Some((ns, range)) if OLD.contains(&ns.as_str()) => {
            let (start, end) = (at + range.start, at + range.end);
            format!("{}{}", text[..start].trim_end(), &text[end..])
        }
        _ => text,
    }
}

/// RSS 1.0 items without a `<link>`, which feed-rs drops, given their
/// `rdf:about` (the item's own address) as the link.
fn rdf_links(text: String) -> String {
    if root_tag(&text, "rdf:RDF").is_none() || !text.contains("rdf:about") {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest = text.as_str();
    while let Some(at) = rest.find("<item") {
        let after = &rest[at..];
        let (Some(tag_end), Some(item_end)) = (after.find('>'), after.find("</item>")) else {
            break;
        };
        let tag = &after[..tag_end];
        let body = &after[..item_end];
        out.push_str(&rest[..at + tag_end + 1]);
        if !body.contains("<link")
            && after[5..].starts_with(char::is_whitespace)
            && let Some((about, _)) = attribute(tag, "rdf:about")
        {
            out.push_str(&format!("<link>{about}</link>"));
        }
        rest = &after[tag_end + 1..];
    }
    out.push_str(rest);
    out
}

/// The text elements of an Atom feed, whose `type` feed-rs reads only as
/// `text`, `html` or `xhtml` (anything else fails the whole feed): MIME
/// types as those (`text/plain`, `text/html`, `application/xhtml+xml`), an
/// empty type as `text`, and base64 content (`mode="base64"`, or a type
/// that is neither text nor XML, such as `application/octet-stream`)
/// decoded into `html`. `mode` is dropped: `escaped` is how Atom 1.0
/// carries `html` anyway.
fn atom_text_types(text: String) -> String {
    if !text.contains(ATOM_10) {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let name = ["title", "subtitle", "summary", "content", "rights"]
            .into_iter()
            .find(|n| {
                after[1..].starts_with(n)
                    && after[1 + n.len()..].starts_with(|c: char| c.is_whitespace())
            });
        let tag_end = after.find('>');
        let (Some(name), Some(tag_end)) = (name, tag_end) else {
            out.push('<');
            rest = &after[1..];
            continue;
        };
        let tag = &after[..tag_end];
        let kind = attribute(tag, "type");
        let mode = attribute(tag, "mode");
        if tag.ends_with('/') || (kind.is_none() && mode.is_none()) {
            out.push_str(&after[..=tag_end]);
            rest = &after[tag_end + 1..];
            continue;
        }
        let given = kind.as_ref().map_or("text", |(k, _)| k.trim());
        let base64 = mode.as_ref().is_some_and(|(m, _)| m == "base64")
            || !(given.is_empty()
                || matches!(given, "text" | "html" | "xhtml")
                || given.starts_with("text/")
                || given.ends_with("xml"));
        let new = match given {
            _ if base64 => "html",
            "html" | "text/html" => "html",
            "xhtml" | "application/xhtml+xml" => "xhtml",
            g if g.ends_with("xml") => "xhtml",
            _ => "text",
        };
        // The tag without type and mode, then the new type.
        let mut ranges: Vec<_> = [kind, mode].into_iter().flatten().map(|(_, r)| r).collect();
        ranges.sort_by_key(|r| r.start);
        let mut cut = String::new();
        let mut last = 0;
        for r in ranges {
            cut.push_str(tag[last..r.start].trim_end());
            last = r.end;
        }
        cut.push_str(&tag[last..]);
        out.push_str(&format!("{} type=\"{new}\">", cut.trim_end()));
        rest = &after[tag_end + 1..];
        if base64 {
            let close = format!("</{name}>");
            let end = rest.find(&close).unwrap_or(rest.len());
            let decoded = base64_decode(&rest[..end]).unwrap_or_default();
            out.push_str(&escape(&String::from_utf8_lossy(&decoded)));
            rest = &rest[end..];
        }
    }
    out.push_str(rest);
    out
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Standard base64 (white space ignored); `None` if it is not base64.
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut bits, mut count) = (0u32, 0u32);
    for byte in text.bytes().filter(|b| !b.is_ascii_whitespace()) {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            _ => return None,
        };
        bits = bits << 6 | u32::from(value);
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_in_people_are_set_apart_from_chinese_characters() {
        for (text, expected) in [
            (
                "<rss><item><author>记者张三：zs@example.com</author></item></rss>",
                "<rss><item><author>记者张三： zs@example.com</author></item></rss>",
            ),
            (
                "<item><dc:creator><![CDATA[zs@example.com（张三）]]></dc:creator></item>",
                "<item><dc:creator><![CDATA[zs@example.com （张三）]]></dc:creator></item>",
            ),
            (
                "<item><author>张三&#65306;mailto:zs@example.com&#65289;</author></item>",
                "<item><author>张三&#65306; mailto:zs@example.com &#65289;</author></item>",
            ),
            (
                r#"{"items":[{"authors":[{"name":"张三\uff1azs@example.com"}]}]}"#,
                r#"{"items":[{"authors":[{"name":"张三\uff1a zs@example.com"}]}]}"#,
            ),
            // Already apart, or not a person's: as it was.
            (
                "<item><author>zs@example.com (张三)</author></item>",
                "<item><author>zs@example.com (张三)</author></item>",
            ),
            (
                "<item><author>张三 &lt;zs@example.com&gt;</author></item>",
                "<item><author>张三 &lt;zs@example.com&gt;</author></item>",
            ),
            (
                "<item><description>邮箱：zs@example.com。</description></item>",
                "<item><description>邮箱：zs@example.com。</description></item>",
            ),
            (
                r#"{"items":[{"content_text":"邮箱：zs@example.com。"}]}"#,
                r#"{"items":[{"content_text":"邮箱：zs@example.com。"}]}"#,
            ),
        ] {
            assert_eq!(person_emails(text.to_owned()), expected, "{text}");
        }
    }

    #[test]
    fn atom_text_types_are_ones_feed_rs_reads() {
        let feed = |body: &str| format!("<feed xmlns=\"{ATOM_10}\">{body}</feed>");
        for (given, read) in [
            (
                "<title type=\"text/plain\">标题</title>",
                "<title type=\"text\">标题</title>",
            ),
            (
                "<title type=\"\">标题</title>",
                "<title type=\"text\">标题</title>",
            ),
            (
                "<summary type=\"text/html\" mode=\"escaped\">&lt;b>摘要&lt;/b></summary>",
                "<summary type=\"html\">&lt;b>摘要&lt;/b></summary>",
            ),
            (
                "<content type=\"application/octet-stream\">5q2j5paHPGI+5LiAPC9iPg==</content>",
                "<content type=\"html\">正文&lt;b&gt;一&lt;/b&gt;</content>",
            ),
            (
                "<title type=\"text/html\" mode=\"base64\">5qCH6aKY</title>",
                "<title type=\"html\">标题</title>",
            ),
            ("<title>标题</title>", "<title>标题</title>"),
        ] {
            assert_eq!(atom_text_types(feed(given)), feed(read), "{given}");
        }
    }

    #[test]
    fn rss_in_an_old_namespace_and_rdf_items_without_links() {
        assert_eq!(
            rss_namespace(
                "<rss version=\"2.0\" xmlns=\"http://backend.userland.com/rss2\"><channel/></rss>"
                    .into()
            ),
            "<rss version=\"2.0\"><channel/></rss>"
        );
        assert_eq!(
            rdf_links(
                "<rdf:RDF><item rdf:about=\"http://e.com/1\"><title>一</title></item></rdf:RDF>"
                    .into()
            ),
            "<rdf:RDF><item rdf:about=\"http://e.com/1\"><link>http://e.com/1</link><title>一</title></item></rdf:RDF>"
        );
    }

    #[test]
    fn rss_of_any_version_is_read_as_rss_2() {
        for (given, read) in [
            (
                "<rss><channel/></rss>",
                "<rss version=\"2.0\"><channel/></rss>",
            ),
            ("<rss version='0.94'>", "<rss version='2.0'>"),
            (
                "<rss version=\"2.0.1\" x='1'>",
                "<rss version=\"2.0\" x='1'>",
            ),
            ("<rss version=\"0.91\">", "<rss version=\"0.91\">"),
            ("<rss/>", "<rss version=\"2.0\"/>"),
            ("<rssfeed>", "<rssfeed>"),
        ] {
            assert_eq!(rss_versioned(given.to_owned()), read, "{given}");
        }
    }
}
