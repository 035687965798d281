//! Ill-formed feed XML made well-formed, the way real feeds need it
//! (libxml2's recover mode and feedparser's "bozo" handling are the
//! references). Used only when a feed does not parse as it is.
//!
//! - an HTML entity that XML does not define (`&nbsp;`, `&hellip;`,
//!   `&aacute;`) becomes the character it names;
//! - an entity HTML reads without its `;` (`&nbsp `, `&copy `) becomes its
//!   character; any other bare `&` (`AT&T`, `?a=1&b=2` in a URL) becomes
//!   `&amp;`;
//! - a bare `<` in text (`a < b`, `<3`) becomes `&lt;`;
//! - anything after the root element's end is dropped (a comment before
//!   `<?xml` needs nothing: the feed reader has already made that
//!   declaration an ordinary instruction);
//! - a document cut off is cut back to its last complete `<item>` or
//!   `<entry>`, and the elements still open there are closed.
//!
//! Each kind of repair is one warning naming the first line it was made on.
//! CDATA sections, comments and processing instructions are copied as
//! they are.

use html5ever::data::NAMED_ENTITIES;

/// The repaired text and one warning per kind of repair; `None` when
/// nothing needed repairing.
pub fn repair(text: &str) -> Option<(String, Vec<String>)> {
    let mut r = Repairer::default();
    r.run(text);
    r.finish()
}

#[derive(Default)]
struct Repairer {
    out: String,
    /// Open elements, outermost first.
    open: Vec<String>,
    /// The first line of each kind of repair, in the order met.
    kinds: Vec<(&'static str, usize)>,
    /// Where the last complete item ended: output length and the elements
    /// open there.
    last_item: Option<(usize, Vec<String>)>,
    items: usize,
    /// The root element has ended: what follows is dropped.
    root_closed: bool,
    line: usize,
}

impl Repairer {
    fn note(&mut self, kind: &'static str) {
        if !self.kinds.iter().any(|(k, _)| *k == kind) {
            self.kinds.push((kind, self.line + 1));
        }
    }

    fn run(&mut self, text: &str) {
        let mut i = 0;
        let bytes = text.as_bytes();
        while i < text.len() {
            if self.root_closed {
                if !text[i..].trim().is_empty() {
                    self.note("text after the end of the document");
                }
                return;
            }
            let rest = &text[i..];
            let verbatim = [
                ("<![CDATA[", "]]>"),
                ("<!--", "-->"),
                ("<?", "?>"),
                ("<!", ">"),
            ]
            .into_iter()
            .find(|(open, _)| rest.starts_with(open));
            if let Some((open, close)) = verbatim {
                let end = rest[open.len()..]
                    .find(close)
                    .map_or(rest.len(), |e| open.len() + e + close.len());
                self.copy(&rest[..end]);
                i += end;
                continue;
            }
            match bytes[i] {
                b'<' => {
                    let next = rest[1..].chars().next();
                    let is_tag = next
                        .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '/' | '_' | ':'));
                    if is_tag {
                        i += self.tag(rest);
                    } else {
                        self.note("a bare < in text");
                        self.out.push_str("&lt;");
                        i += 1;
                    }
                }
                b'&' => i += self.amp(rest),
                _ => {
                    let c = rest.chars().next().unwrap_or(' ');
                    if c == '\n' {
                        self.line += 1;
                    }
                    self.out.push(c);
                    i += c.len_utf8();
                }
            }
        }
    }

    fn copy(&mut self, s: &str) {
        self.line += s.matches('\n').count();
        self.out.push_str(s);
    }

    /// A tag at the start of `rest`, its `&`s repaired; returns its length.
    fn tag(&mut self, rest: &str) -> usize {
        // The end: the first `>` outside quotes.
        let mut quote = None;
        let mut end = rest.len();
        for (k, c) in rest.char_indices().skip(1) {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (None, '"' | '\'') => quote = Some(c),
                (None, '>') => {
                    end = k + 1;
                    break;
                }
                _ => {}
            }
        }
        let tag = &rest[..end];
        let mut k = 0;
        while k < tag.len() {
            if tag.as_bytes()[k] == b'&' {
                k += self.amp(&tag[k..]);
            } else {
                let c = tag[k..].chars().next().unwrap_or(' ');
                if c == '\n' {
                    self.line += 1;
                }
                self.out.push(c);
                k += c.len_utf8();
            }
        }
        let closed = tag.ends_with('>');
        let name: String = tag
            .trim_start_matches(['<', '/'])
            .chars()
            .take_while(|c| !c.is_whitespace() && !matches!(c, '>' | '/'))
            .collect();
        if tag.starts_with("</") {
            if let Some(at) = self.open.iter().rposition(|o| *o == name) {
                self.open.truncate(at);
            }
            let local = name.rsplit(':').next().unwrap_or("");
            if matches!(local, "item" | "entry") && closed {
                self.items += 1;
                self.last_item = Some((self.out.len(), self.open.clone()));
            }
            if self.open.is_empty() && closed {
                self.root_closed = true;
            }
        } else if closed && !tag.ends_with("/>") {
            self.open.push(name);
        }
        end
    }

    /// An `&` at the start of `rest`; returns how much was read.
    fn amp(&mut self, rest: &str) -> usize {
        let body = &rest[1..];
        if let Some(num) = body.strip_prefix('#') {
            let digits = num.strip_prefix(['x', 'X']).map_or_else(
                || num.chars().take_while(char::is_ascii_digit).count(),
                |hex| 1 + hex.chars().take_while(char::is_ascii_hexdigit).count(),
            );
            if digits > 0 && num[digits..].starts_with(';') {
                self.out.push_str(&rest[..digits + 3]);
                return digits + 3;
            }
        } else {
            let name_len = body.chars().take_while(char::is_ascii_alphanumeric).count();
            if name_len > 0 && body[name_len..].starts_with(';') {
                let name = &body[..name_len];
                if matches!(name, "amp" | "lt" | "gt" | "quot" | "apos") {
                    self.out.push_str(&rest[..name_len + 2]);
                    return name_len + 2;
                }
                if let Some(&(a, b)) = NAMED_ENTITIES.get(&rest[1..name_len + 2])
                    && a != 0
                {
                    self.note("an HTML entity XML does not define");
                    self.out.push_str(&format!("&#{a};"));
                    if b != 0 {
                        self.out.push_str(&format!("&#{b};"));
                    }
                    return name_len + 2;
                }
            }
        }
        // `&nbsp ` without its `;`: the legacy entities HTML still reads.
        let name_len = body.chars().take_while(char::is_ascii_alphanumeric).count();
        // (Not before `=`: `?a=1&copy=2` is a URL's query, as browsers read it.)
        if name_len > 0
            && !body[name_len..].starts_with([';', '='])
            && let Some(&(a, _)) = NAMED_ENTITIES.get(&body[..name_len])
            && a != 0
        {
            self.note("an HTML entity without its ;");
            self.out.push_str(&format!("&#{a};"));
            return name_len + 1;
        }
        self.note("a bare &");
        self.out.push_str("&amp;");
        1
    }

    fn finish(mut self) -> Option<(String, Vec<String>)> {
        if !self.root_closed
            && !self.open.is_empty()
            && let Some((at, open)) = self.last_item.take()
        {
            self.note("the document ends early");
            self.out.truncate(at);
            for name in open.iter().rev() {
                self.out.push_str(&format!("</{name}>"));
            }
        }
        if self.kinds.is_empty() {
            return None;
        }
        let warnings = self
            .kinds
            .iter()
            .map(|(kind, line)| format!("ill-formed XML: {kind} (line {line}), repaired"))
            .collect();
        Some((self.out, warnings))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(text: &str) -> String {
        repair(text).map_or_else(|| text.to_owned(), |(t, _)| t)
    }

    #[test]
    fn entities_ampersands_and_angle_brackets() {
        assert_eq!(fixed("<a>x&nbsp;y&hellip;</a>"), "<a>x&#160;y&#8230;</a>");
        assert_eq!(
            fixed("<a>x&nbsp y &copy 2031</a>"),
            "<a>x&#160; y &#169; 2031</a>"
        );
        assert_eq!(
            fixed("<a href=\"?a=1&copy=2\"/>"),
            "<a href=\"?a=1&amp;copy=2\"/>"
        );
        assert_eq!(
            fixed("<a>AT&T &amp; &#38; &#x26;</a>"),
            "<a>AT&amp;T &amp; &#38; &#x26;</a>"
        );
        assert_eq!(
            fixed("<a href=\"?a=1&b=2\">1 < 2</a>"),
            "<a href=\"?a=1&amp;b=2\">1 &lt; 2</a>"
        );
        assert_eq!(
            fixed("<a><![CDATA[a & b < c]]></a>"),
            "<a><![CDATA[a & b < c]]></a>"
        );
        assert!(repair("<a>fine &amp; well</a>").is_none());
    }

    #[test]
    fn junk_after_the_root() {
        assert_eq!(fixed("<rss><c/></rss>\n<junk>"), "<rss><c/></rss>");
    }

    #[test]
    fn a_cut_document_keeps_its_complete_items() {
        let (text, warnings) = repair(
            "<rss><channel><title>t</title>\n<item><title>1</title></item>\n<item><title>2</ti",
        )
        .unwrap_or_default();
        assert_eq!(
            text,
            "<rss><channel><title>t</title>\n<item><title>1</title></item></channel></rss>"
        );
        assert_eq!(
            warnings,
            ["ill-formed XML: the document ends early (line 3), repaired"]
        );
    }
}
