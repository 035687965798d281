//! Feed item HTML → paragraphs, numbered links and photos.
//!
//! Feed items carry their text as HTML of every quality: clean markup, tag
//! soup, or plain text with entities. [`to_content`] streams it through
//! html5ever's tokenizer — no DOM and no recursion, so no depth of nesting
//! can overflow the stack — and keeps what a terminal reader can show:
//!
//! - block elements (`p`, `div`, headings, `li`, `tr`, `br` …) end a
//!   paragraph, inline elements do not; markup itself is dropped;
//! - `script`, `style`, `noscript`, `template`, `iframe`, `svg`, `math`,
//!   `video`, `audio`, `canvas`, the `head` and comments are dropped with
//!   their content;
//! - list items start with `• ` (`ul`) or their number (`1. `, `ol`);
//! - quoted paragraphs start with `│ `, once per level, at most three;
//! - `pre` keeps its lines: one paragraph per line, leading spaces kept;
//! - whitespace collapses to one space, except that a line break of the
//!   source between two CJK characters disappears (`中国⏎人民` → `中国人民`);
//! - leading U+3000 and NBSP indentation is dropped: the reader indents;
//! - an http(s) link is numbered in order of appearance and its text is
//!   followed by `[n]`; other links (`javascript:`, `mailto:`) keep only
//!   their text;
//! - pictures become [`Photo`]s with their `alt` text or their figure's
//!   caption (lazy-loading `data-src` preferred over `src`; tracking
//!   pixels and `data:` URLs skipped); a credit ending a caption
//!   (`（记者 某某 摄）`, `。新华社记者 张三 摄`, ` 记者 李四 摄`,
//!   `（新华社发）`), or a `cite`/`small`/`.credit` in a `figcaption`,
//!   becomes the credit.
//!
//! Text without any tag is plain text: blank lines separate its paragraphs.
//! Every string returned has been through [`crate::sanitize::sanitize`].

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::Write as _;

use html5ever::LocalName;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

use crate::model::{Link, Photo};
use crate::sanitize::{sanitize, sanitize_keeping_lines};

/// The readable parts of a feed item's HTML.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Content {
    /// Text paragraphs, without markup.
    pub paragraphs: Vec<String>,
    /// http(s) links in order of first appearance; the text refers to
    /// `links[n - 1]` as `[n]` right after the link's text.
    pub links: Vec<Link>,
    /// Pictures with their captions and absolute URLs.
    pub photos: Vec<Photo>,
}

/// Converts a feed item's HTML (or plain text) into paragraphs, links and
/// photos. Relative URLs are resolved against `base_url`, which should be
/// the item's own address; without it only absolute and protocol-relative
/// (taken as `https:`) URLs are kept.
pub fn to_content(html: &str, base_url: Option<&str>) -> Content {
    let plain = !looks_like_html(html);
    let converter = Converter::new(base_url.and_then(Base::parse), plain);
    let tokenizer = Tokenizer::new(Sink(RefCell::new(converter)), TokenizerOpts::default());
    let input = queued(html);
    // The sink never asks to run a script, so feeding runs to the end.
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.0.into_inner().finish()
}

/// `text` queued for html5ever's tokenizer. Tendrils hold at most 4 GiB:
/// the text goes in pieces of 1 MiB to stay far below.
pub(super) fn queued(text: &str) -> BufferQueue {
    const PIECE: usize = 1 << 20;
    let input = BufferQueue::default();
    let mut rest = text;
    while !rest.is_empty() {
        let mut end = rest.len().min(PIECE);
        while !rest.is_char_boundary(end) {
            end -= 1;
        }
        input.push_back(StrTendril::from_slice(&rest[..end]));
        rest = &rest[end..];
    }
    input
}

/// Prefix of a quoted paragraph, once per level of `blockquote`.
const QUOTE: &str = "│ ";
/// Deeper quotes are shown at this depth.
const MAX_QUOTE_DEPTH: usize = 3;
/// Prefix of an item of an unordered list.
const BULLET: &str = "• ";
/// Indentation characters dropped at the start of a paragraph.
const INDENT: [char; 2] = ['\u{3000}', '\u{a0}'];

/// Whether any `<` starts a tag, an end tag, a comment or a declaration.
fn looks_like_html(text: &str) -> bool {
    text.match_indices('<').any(|(i, _)| {
        text.as_bytes()
            .get(i + 1)
            .is_some_and(|b| b.is_ascii_alphabetic() || matches!(b, b'/' | b'!' | b'?'))
    })
}

struct Sink(RefCell<Converter>);

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut converter = self.0.borrow_mut();
        match token {
            Token::CharacterTokens(text) => {
                converter.text(&text);
                TokenSinkResult::Continue
            }
            Token::TagToken(tag) => converter.tag(&tag),
            // Comments, doctypes, NUL characters, parse errors.
            _ => TokenSinkResult::Continue,
        }
    }
}

/// Text being collected: whitespace collapsed as it arrives.
#[derive(Default)]
struct Text {
    s: String,
    /// The last character of text pushed (not of a link marker).
    last: Option<char>,
    /// Whitespace was seen since the last word …
    space: bool,
    /// … and held this many line breaks.
    newlines: u32,
}

impl Text {
    /// Appends a word (text without ASCII whitespace) after the pending
    /// whitespace; returns where the appended text starts in `s`.
    fn push_word(&mut self, word: &str) -> usize {
        let start = self.s.len();
        let word = if self.s.is_empty() {
            word.trim_start_matches(INDENT)
        } else {
            word
        };
        let Some(first) = word.chars().next() else {
            return start;
        };
        let joined = self.newlines > 0 && self.last.is_some_and(|last| joins(last, first));
        if self.space && !self.s.is_empty() && !joined {
            self.s.push(' ');
        }
        self.space = false;
        self.newlines = 0;
        self.s.push_str(word);
        self.last = word.chars().next_back();
        start
    }

    /// Appends text as it is (inside `pre`).
    fn push_verbatim(&mut self, text: &str) -> usize {
        let start = self.s.len();
        self.s.push_str(text);
        if let Some(c) = text.chars().next_back() {
            self.last = Some(c);
        }
        start
    }

    fn whitespace(&mut self, newlines: u32) {
        self.space = true;
        self.newlines += newlines;
    }

    /// The text so far with its end trimmed; starts afresh.
    fn take(&mut self) -> String {
        let len = self
            .s
            .trim_end_matches(|c: char| c.is_ascii_whitespace() || INDENT.contains(&c))
            .len();
        self.s.truncate(len);
        self.last = None;
        self.space = false;
        self.newlines = 0;
        std::mem::take(&mut self.s)
    }
}

/// Whether a line break between `a` and `b` is dropped rather than read as
/// a space: both are CJK, or one is CJK and the other a quotation mark,
/// ellipsis or dash that Chinese text shares with Western text.
fn joins(a: char, b: char) -> bool {
    (is_cjk(a) && (is_cjk(b) || is_shared_punctuation(b)))
        || (is_shared_punctuation(a) && is_cjk(b))
}

/// Han, kana, bopomofo, CJK punctuation and full-width forms; not Hangul,
/// which separates words with spaces.
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{2e80}'..='\u{2fdf}'
        | '\u{3000}'..='\u{303f}'
        | '\u{3040}'..='\u{30ff}'
        | '\u{3100}'..='\u{312f}'
        | '\u{3190}'..='\u{31ff}'
        | '\u{3200}'..='\u{33ff}'
        | '\u{3400}'..='\u{4dbf}'
        | '\u{4e00}'..='\u{9fff}'
        | '\u{f900}'..='\u{faff}'
        | '\u{fe30}'..='\u{fe4f}'
        | '\u{ff00}'..='\u{ff60}'
        | '\u{ffe0}'..='\u{ffe6}'
        | '\u{20000}'..='\u{3ffff}')
}

fn is_shared_punctuation(c: char) -> bool {
    matches!(c, '“' | '”' | '‘' | '’' | '…' | '—' | '·')
}

/// A run of text split at ASCII whitespace.
enum Piece<'a> {
    Word(&'a str),
    /// A run of whitespace holding this many line breaks.
    Space(u32),
}

struct Pieces<'a>(&'a str);

impl<'a> Iterator for Pieces<'a> {
    type Item = Piece<'a>;

    fn next(&mut self) -> Option<Piece<'a>> {
        let bytes = self.0.as_bytes();
        let first = *bytes.first()?;
        let white = first.is_ascii_whitespace();
        let len = bytes
            .iter()
            .position(|b| b.is_ascii_whitespace() != white)
            .unwrap_or(bytes.len());
        let (piece, rest) = self.0.split_at(len);
        self.0 = rest;
        Some(if white {
            Piece::Space(piece.bytes().filter(|&b| b == b'\n').count() as u32)
        } else {
            Piece::Word(piece)
        })
    }
}

/// Text with whitespace collapsed, trimmed and sanitized: for attributes.
fn inline_text(text: &str) -> String {
    let mut out = Text::default();
    for piece in Pieces(&sanitize_keeping_lines(text)) {
        match piece {
            Piece::Word(w) => {
                out.push_word(w);
            }
            Piece::Space(n) => out.whitespace(n),
        }
    }
    clean(out.take())
}

/// `sanitize` for an owned string, without copying clean text.
fn clean(text: String) -> String {
    let cleaned = match sanitize(&text) {
        Cow::Owned(s) => Some(s),
        Cow::Borrowed(_) => None,
    };
    cleaned.unwrap_or(text)
}

/// A link whose end tag has not been seen yet.
struct OpenLink {
    /// Absolute http(s) URL; `None` for links that are not numbered.
    url: Option<String>,
    text: String,
    /// Text was added to the current paragraph since the last marker.
    fresh: bool,
    /// The link text went on in a new paragraph: separate with a space.
    broken: bool,
    /// The entry of `links` this link created, to complete its text.
    entry: Option<usize>,
}

enum List {
    Bullets,
    Numbers(i64),
}

struct Figure {
    /// Indices into `photos` of this figure's pictures.
    photos: Vec<usize>,
    caption: Option<(String, Option<String>)>,
}

/// Where tags and text are being ignored.
enum Skip {
    No,
    /// Inside `head`, until `</head>`, `<body>` or content.
    Head,
    /// Inside an element dropped with its content; `foreign` for `svg`
    /// and `math`, which HTML content tags break out of.
    Element {
        name: LocalName,
        depth: usize,
        foreign: bool,
    },
}

struct Converter {
    base: Option<Base>,
    /// The input has no tags: blank lines separate paragraphs.
    plain: bool,
    out: Content,
    /// The paragraph being collected.
    body: Text,
    /// Prefix for the next paragraph, set by `li`.
    list_prefix: Option<String>,
    lists: Vec<List>,
    quote_depth: usize,
    pre_depth: usize,
    link: Option<OpenLink>,
    link_numbers: HashMap<String, usize>,
    photo_indices: HashMap<String, usize>,
    figures: Vec<Figure>,
    /// Depth of `figcaption`s inside a figure; their text goes to `caption`.
    caption_depth: usize,
    caption: Text,
    credit: Text,
    /// Inside a credit element of a caption (`cite`, `small`, `.credit`).
    credit_tag: Option<(LocalName, usize)>,
    skip: Skip,
    /// Inside a raw-text element whose text is dropped (`script` …).
    raw: Option<LocalName>,
}

impl Converter {
    fn new(base: Option<Base>, plain: bool) -> Self {
        Converter {
            base,
            plain,
            out: Content::default(),
            body: Text::default(),
            list_prefix: None,
            lists: Vec::new(),
            quote_depth: 0,
            pre_depth: 0,
            link: None,
            link_numbers: HashMap::new(),
            photo_indices: HashMap::new(),
            figures: Vec::new(),
            caption_depth: 0,
            caption: Text::default(),
            credit: Text::default(),
            credit_tag: None,
            skip: Skip::No,
            raw: None,
        }
    }

    fn finish(mut self) -> Content {
        self.close_link();
        while !self.figures.is_empty() {
            self.close_figure();
        }
        self.end_paragraph();
        self.out
    }

    fn text(&mut self, text: &str) {
        if self.raw.is_some() || !matches!(self.skip, Skip::No) {
            return;
        }
        let text = sanitize_keeping_lines(text);
        if self.caption_depth > 0 {
            let target = if self.credit_tag.is_some() {
                &mut self.credit
            } else {
                &mut self.caption
            };
            for piece in Pieces(&text) {
                match piece {
                    Piece::Word(w) => {
                        target.push_word(w);
                    }
                    Piece::Space(n) => target.whitespace(n),
                }
            }
        } else if self.pre_depth > 0 {
            for (i, line) in text.split('\n').enumerate() {
                if i > 0 {
                    self.end_paragraph();
                }
                let start = self.body.push_verbatim(line);
                self.copy_to_link(start);
            }
        } else {
            for piece in Pieces(&text) {
                match piece {
                    Piece::Word(w) => {
                        let start = self.body.push_word(w);
                        self.copy_to_link(start);
                    }
                    Piece::Space(n) => {
                        self.body.whitespace(n);
                        if self.plain && self.body.newlines >= 2 {
                            self.end_paragraph();
                        }
                    }
                }
            }
        }
    }

    /// Adds what was appended to the paragraph from `start` on to the text
    /// of the open link.
    fn copy_to_link(&mut self, start: usize) {
        let Some(link) = &mut self.link else {
            return;
        };
        let added = &self.body.s[start..];
        let added = if link.text.is_empty() {
            added.trim_start()
        } else {
            added
        };
        if added.is_empty() {
            return;
        }
        if std::mem::take(&mut link.broken) && !added.starts_with(' ') {
            link.text.push(' ');
        }
        link.text.push_str(added);
        link.fresh = true;
    }

    fn tag(&mut self, tag: &Tag) -> TokenSinkResult<()> {
        if let Some(name) = &self.raw {
            // In raw text the tokenizer reports no tag but the closing one.
            if tag.kind == TagKind::EndTag && tag.name == *name {
                self.raw = None;
            }
            return TokenSinkResult::Continue;
        }
        let start = tag.kind == TagKind::StartTag;
        match &mut self.skip {
            Skip::No => {}
            Skip::Element {
                name,
                depth,
                foreign,
            } => {
                if *foreign && start && breaks_out_of_foreign(tag) {
                    self.skip = Skip::No;
                } else {
                    if tag.name == *name {
                        if !start {
                            *depth -= 1;
                            if *depth == 0 {
                                self.skip = Skip::No;
                            }
                        } else if !tag.self_closing {
                            *depth += 1;
                        }
                    } else if !*foreign && start && !tag.self_closing {
                        return self.enter_raw(tag);
                    }
                    return TokenSinkResult::Continue;
                }
            }
            Skip::Head => match (&*tag.name, start) {
                ("head", false) | ("body", true) => {
                    self.skip = Skip::No;
                    return TokenSinkResult::Continue;
                }
                (
                    "meta" | "link" | "base" | "basefont" | "bgsound" | "title" | "style"
                    | "script" | "noscript" | "template",
                    true,
                )
                | (_, false) => {
                    if start && !tag.self_closing {
                        return self.enter_raw(tag);
                    }
                    return TokenSinkResult::Continue;
                }
                // Content: the head ended without saying so.
                _ => self.skip = Skip::No,
            },
        }
        if start {
            let result = self.start_tag(tag);
            if tag.self_closing && !is_void(&tag.name) {
                self.end_tag(tag);
            }
            result
        } else {
            self.end_tag(tag);
            TokenSinkResult::Continue
        }
    }

    /// Switches the tokenizer to raw text for elements whose content is
    /// not markup (`script`, `style`, `title` …); their text is dropped.
    fn enter_raw(&mut self, tag: &Tag) -> TokenSinkResult<()> {
        let kind = match &*tag.name {
            "script" => RawKind::ScriptData,
            "style" | "iframe" | "noscript" | "noembed" | "noframes" => RawKind::Rawtext,
            "title" | "textarea" => RawKind::Rcdata,
            _ => return TokenSinkResult::Continue,
        };
        self.raw = Some(tag.name.clone());
        TokenSinkResult::RawData(kind)
    }

    fn start_tag(&mut self, tag: &Tag) -> TokenSinkResult<()> {
        if self.caption_depth > 0 {
            self.credit_start(tag);
        }
        let name = &*tag.name;
        match name {
            // Self-closed as XHTML writes them (`<script/>`, `<svg/>`),
            // these elements hold nothing to drop.
            "script" | "style" | "iframe" | "noscript" | "noembed" | "noframes" | "title"
            | "textarea"
                if !tag.self_closing =>
            {
                return self.enter_raw(tag);
            }
            "head" if !tag.self_closing => self.skip = Skip::Head,
            "template" | "svg" | "math" | "video" | "audio" | "canvas" if !tag.self_closing => {
                self.skip = Skip::Element {
                    name: tag.name.clone(),
                    depth: 1,
                    foreign: matches!(name, "svg" | "math"),
                };
            }
            // Old elements for literal text: shown like `pre`.
            "xmp" => {
                self.block_boundary();
                self.pre_depth += 1;
                if !tag.self_closing {
                    return TokenSinkResult::RawData(RawKind::Rawtext);
                }
            }
            "plaintext" => {
                self.block_boundary();
                self.pre_depth += 1;
                return TokenSinkResult::Plaintext;
            }
            "a" => {
                self.close_link();
                let url = attr(tag, "href").and_then(|href| resolve(self.base.as_ref(), href));
                self.link = Some(OpenLink {
                    url,
                    text: String::new(),
                    fresh: false,
                    broken: false,
                    entry: None,
                });
            }
            "img" => self.image(tag),
            "li" => {
                self.block_boundary();
                if self.caption_depth == 0 {
                    self.list_prefix = Some(match self.lists.last_mut() {
                        Some(List::Numbers(next)) => {
                            if let Some(value) = attr(tag, "value").and_then(parse_int) {
                                *next = value;
                            }
                            let number = *next;
                            *next = next.saturating_add(1);
                            format!("{number}. ")
                        }
                        Some(List::Bullets) | None => BULLET.to_owned(),
                    });
                }
            }
            "ul" | "menu" | "dir" => {
                self.block_boundary();
                self.lists.push(List::Bullets);
            }
            "ol" => {
                self.block_boundary();
                let first = attr(tag, "start").and_then(parse_int).unwrap_or(1);
                self.lists.push(List::Numbers(first));
            }
            "blockquote" => {
                self.block_boundary();
                self.quote_depth += 1;
            }
            "pre" | "listing" => {
                self.block_boundary();
                self.pre_depth += 1;
            }
            "figure" => {
                self.block_boundary();
                self.figures.push(Figure {
                    photos: Vec::new(),
                    caption: None,
                });
            }
            "figcaption" => {
                if self.figures.is_empty() {
                    self.block_boundary();
                } else {
                    self.end_paragraph();
                    if self.caption_depth == 0 {
                        self.caption = Text::default();
                        self.credit = Text::default();
                        self.credit_tag = None;
                    }
                    self.caption_depth += 1;
                }
            }
            "td" | "th" => self.cell_boundary(),
            _ if is_block(name) => self.block_boundary(),
            _ => {}
        }
        TokenSinkResult::Continue
    }

    fn end_tag(&mut self, tag: &Tag) {
        if self.caption_depth > 0 {
            self.credit_end(tag);
        }
        match &*tag.name {
            "a" => self.close_link(),
            "li" => {
                self.block_boundary();
                self.list_prefix = None;
            }
            "ul" | "ol" | "menu" | "dir" => {
                self.block_boundary();
                self.lists.pop();
                self.list_prefix = None;
            }
            "blockquote" => {
                self.block_boundary();
                self.quote_depth = self.quote_depth.saturating_sub(1);
            }
            "pre" | "listing" | "xmp" => {
                self.block_boundary();
                self.pre_depth = self.pre_depth.saturating_sub(1);
            }
            "figure" => self.close_figure(),
            "figcaption" => {
                if self.caption_depth > 0 {
                    self.close_figcaption();
                } else {
                    self.block_boundary();
                }
            }
            "td" | "th" => self.cell_boundary(),
            name if is_block(name) => self.block_boundary(),
            _ => {}
        }
    }

    /// A block element starts or ends: a new paragraph, or in a caption a
    /// space.
    fn block_boundary(&mut self) {
        if self.caption_depth > 0 {
            self.caption.whitespace(0);
            self.credit.whitespace(0);
        } else {
            self.end_paragraph();
        }
    }

    /// Table cells of a row stay in one paragraph, separated by a space.
    fn cell_boundary(&mut self) {
        if self.caption_depth > 0 {
            self.caption.whitespace(0);
        } else {
            self.body.whitespace(0);
        }
    }

    fn end_paragraph(&mut self) {
        self.mark_link();
        if let Some(link) = &mut self.link {
            link.broken = !link.text.is_empty();
        }
        let body = self.body.take();
        if body.is_empty() {
            return;
        }
        let depth = self.quote_depth.min(MAX_QUOTE_DEPTH);
        let prefix = self.list_prefix.take();
        let paragraph = if depth == 0 && prefix.is_none() {
            body
        } else {
            let prefix = prefix.as_deref().unwrap_or("");
            let mut p = String::with_capacity(depth * QUOTE.len() + prefix.len() + body.len());
            for _ in 0..depth {
                p.push_str(QUOTE);
            }
            p.push_str(prefix);
            p.push_str(&body);
            p
        };
        // Its text was sanitized as it came, line ends kept: only a line
        // end (of `pre` text) is left for `clean` to change, and looking
        // for one is quicker than a second full check.
        let paragraph = if memchr::memchr2(b'\n', b'\r', paragraph.as_bytes()).is_some() {
            clean(paragraph)
        } else {
            paragraph
        };
        self.out.paragraphs.push(paragraph);
    }

    /// Puts the open link's marker after its text in the paragraph, if
    /// text was added since the last one.
    fn mark_link(&mut self) {
        let Some(link) = &mut self.link else {
            return;
        };
        if !std::mem::take(&mut link.fresh) {
            return;
        }
        let Some(url) = &link.url else {
            return;
        };
        if link.text.trim().is_empty() {
            return;
        }
        let number = match self.link_numbers.get(url) {
            Some(&n) => n,
            None => {
                self.out.links.push(Link {
                    text: link.text.clone(),
                    url: url.clone(),
                });
                let n = self.out.links.len();
                self.link_numbers.insert(url.clone(), n);
                link.entry = Some(n - 1);
                n
            }
        };
        let _ = write!(self.body.s, "[{number}]");
    }

    fn close_link(&mut self) {
        self.mark_link();
        if let Some(link) = self.link.take()
            && let Some(i) = link.entry
        {
            self.out.links[i].text = clean(link.text.trim().to_owned());
        }
    }

    fn image(&mut self, tag: &Tag) {
        if ["width", "height"]
            .into_iter()
            .any(|a| attr(tag, a).and_then(parse_int).is_some_and(|n| n <= 1))
        {
            return;
        }
        // Lazy-loading pages keep the picture in `data-src` and a
        // placeholder in `src`; `data:` URLs are never resolved.
        let Some(url) = ["data-src", "data-original", "src"]
            .into_iter()
            .filter_map(|a| attr(tag, a))
            .find_map(|src| resolve(self.base.as_ref(), src))
        else {
            return;
        };
        let (caption, credit) = split_credit(inline_text(attr(tag, "alt").unwrap_or("")));
        let index = match self.photo_indices.get(&url) {
            Some(&i) => {
                let photo = &mut self.out.photos[i];
                if photo.caption.is_empty() {
                    photo.caption = caption;
                }
                if photo.credit.is_none() {
                    photo.credit = credit;
                }
                i
            }
            None => {
                self.photo_indices
                    .insert(url.clone(), self.out.photos.len());
                self.out.photos.push(Photo {
                    caption,
                    credit,
                    code: None,
                    url: Some(url),
                });
                self.out.photos.len() - 1
            }
        };
        if let Some(figure) = self.figures.last_mut() {
            figure.photos.push(index);
        }
    }

    /// In a caption, `cite`, `small` and elements of a `credit` class hold
    /// the photographer's credit.
    fn credit_start(&mut self, tag: &Tag) {
        match &mut self.credit_tag {
            Some((name, depth)) => {
                if tag.name == *name && !tag.self_closing {
                    *depth += 1;
                }
            }
            None => {
                let is_credit = matches!(&*tag.name, "cite" | "small")
                    || attr(tag, "class")
                        .is_some_and(|c| c.to_ascii_lowercase().contains("credit"));
                if is_credit && !tag.self_closing && !is_void(&tag.name) {
                    self.credit_tag = Some((tag.name.clone(), 1));
                    self.credit.whitespace(0);
                    self.caption.whitespace(0);
                }
            }
        }
    }

    fn credit_end(&mut self, tag: &Tag) {
        if let Some((name, depth)) = &mut self.credit_tag
            && tag.name == *name
        {
            *depth -= 1;
            if *depth == 0 {
                self.credit_tag = None;
                self.caption.whitespace(0);
            }
        }
    }

    fn close_figcaption(&mut self) {
        self.caption_depth -= 1;
        if self.caption_depth > 0 {
            return;
        }
        self.credit_tag = None;
        let caption = clean(self.caption.take());
        let credit = clean(self.credit.take());
        let caption = if credit.is_empty() {
            split_credit(caption)
        } else {
            (caption, Some(credit))
        };
        if let Some(figure) = self.figures.last_mut() {
            figure.caption = Some(caption);
        }
    }

    fn close_figure(&mut self) {
        if self.caption_depth > 0 {
            self.caption_depth = 1;
            self.close_figcaption();
        }
        self.end_paragraph();
        let Some(figure) = self.figures.pop() else {
            return;
        };
        let Some((caption, credit)) = figure.caption else {
            return;
        };
        if figure.photos.is_empty() {
            // A figure without a picture (a quote, a listing): its caption
            // is text like any other.
            let text = match credit {
                Some(credit) if caption.is_empty() => credit,
                Some(credit) => format!("{caption} {credit}"),
                None => caption,
            };
            if !text.is_empty() {
                self.out.paragraphs.push(text);
            }
            return;
        }
        for i in figure.photos {
            let photo = &mut self.out.photos[i];
            if !caption.is_empty() {
                photo.caption.clone_from(&caption);
            }
            if credit.is_some() {
                photo.credit.clone_from(&credit);
            }
        }
    }
}

fn attr<'t>(tag: &'t Tag, name: &str) -> Option<&'t str> {
    tag.attrs
        .iter()
        .find(|a| &*a.name.local == name)
        .map(|a| &*a.value)
}

/// The leading integer of an attribute value: `1`, `1px`, ` 3 `, `-2`.
fn parse_int(value: &str) -> Option<i64> {
    let value = value.trim();
    let digits = value
        .strip_prefix('-')
        .unwrap_or(value)
        .bytes()
        .take_while(u8::is_ascii_digit)
        .count();
    let sign = usize::from(value.starts_with('-'));
    value[..sign + digits].parse().ok()
}

/// A caption ending in a credit is split into caption and credit, as a
/// page's caption and its credit line are: the credit in parentheses
/// (`市民赏花。（新华社记者 张玉薇 摄）`, `（新华社发）`), after the
/// caption's last sentence (`市民赏花。本报记者 张玉薇摄`), or after a space
/// (`市民赏花 记者 李四 摄`). A caption that is only a credit is a credit.
fn split_credit(caption: String) -> (String, Option<String>) {
    if is_photo_credit(&caption) && !caption.starts_with(['（', '(']) {
        return (String::new(), Some(caption));
    }
    let parenthesised = caption.strip_suffix(['）', ')']).and_then(|inside| {
        let open = inside.rfind(['（', '('])?;
        let credit = inside[open..].trim_start_matches(['（', '(']).trim();
        is_credit(credit).then(|| (caption[..open].trim_end().to_owned(), credit.to_owned()))
    });
    let after_sentence = || {
        let end = caption.rfind(['。', '！', '？'])?;
        let stop = caption[end..].chars().next().map_or(0, char::len_utf8);
        let credit = caption[end + stop..].trim();
        // A credit names who took it; a second sentence has punctuation.
        let names = !credit.is_empty() && !credit.contains(['，', '、', '；', ',']);
        (names && is_credit(credit)).then(|| (caption[..end + stop].to_owned(), credit.to_owned()))
    };
    // After a space, only what is surely a credit: the longest such tail.
    let after_space = || {
        caption
            .char_indices()
            .filter(|(_, c)| c.is_whitespace())
            .map(|(at, _)| (caption[..at].trim_end(), caption[at..].trim_start()))
            .find(|(text, credit)| !text.is_empty() && is_photo_credit(credit))
            .map(|(text, credit)| (text.to_owned(), credit.to_owned()))
    };
    match parenthesised.or_else(after_sentence).or_else(after_space) {
        Some((caption, credit)) => (caption, Some(credit)),
        None => (caption, None),
    }
}

/// Longest credit, in characters.
const MAX_CREDIT_CHARS: usize = 40;

/// Whether text after a caption's last sentence, or in parentheses at its
/// end, is a credit: who took the picture (`…摄`, `…摄影`, `冯立新摄（影像
/// 中国）`), who gave it (`…供图`), or the agency that sent it (`新华社发`).
fn is_credit(credit: &str) -> bool {
    let ends = |ends: &[&str]| ends.iter().any(|e| credit.ends_with(e));
    credit.chars().count() <= MAX_CREDIT_CHARS
        && (ends(&["摄", "攝", "摄影", "攝影", "供图", "供圖"])
            || (ends(&["社发", "社發"]) && credit.chars().all(|c| !c.is_whitespace())))
        || super::page::parse_photo_credit(credit).is_some()
}

/// Whether `text` is surely a photo credit, wherever it stands: a credit
/// line as pages print it, naming a role or with the marker set apart
/// (`新华社记者 张三 摄`, `记者 李四 摄`, `李华 摄`), or an agency's
/// (`新华社发`, `视觉中国供图`). `游客在景区拍摄` is not.
fn is_photo_credit(text: &str) -> bool {
    let text = text.trim();
    let agency = (text.ends_with("社发") || text.ends_with("社發") || text.ends_with("供图"))
        && text.chars().count() <= 12
        && !text.contains(|c: char| c.is_whitespace() || "，。、；,".contains(c));
    let Some(credit) = super::page::parse_photo_credit(text) else {
        return agency;
    };
    let mut names = credit.reporters.iter().chain(&credit.correspondents);
    let first = text
        .trim_start_matches(['（', '('])
        .split_whitespace()
        .next()
        .unwrap_or_default();
    let is_name = names.clone().any(|n| n == first);
    // `新华社记者 张三 摄`, `记者李四摄`: a role comes first.
    let role = !is_name && first.contains(['记', '記', '员', '員', '生']);
    // `李华 摄`: one name, the marker apart.
    let apart = is_name && names.nth(1).is_none() && text.contains([' ', '\u{3000}']);
    agency || role || apart
}

fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
    )
}

/// Elements that end a paragraph (those with more to do are handled on
/// their own: lists, quotes, `pre`, figures).
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "body"
            | "br"
            | "caption"
            | "center"
            | "dd"
            | "details"
            | "dialog"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "html"
            | "legend"
            | "main"
            | "nav"
            | "p"
            | "section"
            | "summary"
            | "table"
            | "tbody"
            | "tfoot"
            | "thead"
            | "tr"
    )
}

/// HTML start tags that end `svg` or `math` content, as in browsers.
fn breaks_out_of_foreign(tag: &Tag) -> bool {
    match &*tag.name {
        "b" | "big" | "blockquote" | "body" | "br" | "center" | "code" | "dd" | "div" | "dl"
        | "dt" | "em" | "embed" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "head" | "hr" | "i"
        | "img" | "li" | "listing" | "menu" | "meta" | "nobr" | "ol" | "p" | "pre" | "ruby"
        | "s" | "small" | "span" | "strong" | "strike" | "sub" | "sup" | "table" | "tt" | "u"
        | "ul" | "var" => true,
        "font" => ["color", "face", "size"]
            .into_iter()
            .any(|a| attr(tag, a).is_some()),
        _ => false,
    }
}

/// The address relative URLs are resolved against: an absolute http(s) URL.
struct Base {
    scheme: String,
    /// `scheme://authority`.
    origin: String,
    /// The path, starting with `/`.
    path: String,
    /// The query with its `?`, or empty.
    query: String,
}

impl Base {
    fn parse(url: &str) -> Option<Base> {
        let url = url.trim_matches(|c: char| c.is_ascii_whitespace());
        if !is_clean_url(url) {
            return None;
        }
        let (scheme, rest) = url.split_once("://")?;
        if !(scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")) {
            return None;
        }
        let authority_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        if authority_len == 0 {
            return None;
        }
        let (authority, rest) = rest.split_at(authority_len);
        let rest = rest.split('#').next().unwrap_or("");
        let (path, query) = match rest.find('?') {
            Some(q) => rest.split_at(q),
            None => (rest, ""),
        };
        Some(Base {
            scheme: scheme.to_ascii_lowercase(),
            origin: format!("{scheme}://{authority}"),
            path: if path.is_empty() { "/" } else { path }.to_owned(),
            query: query.to_owned(),
        })
    }
}

/// No whitespace, controls, escape sequences or bidirectional overrides.
fn is_clean_url(url: &str) -> bool {
    !url.chars().any(|c| c.is_whitespace() || c.is_control())
        && matches!(sanitize(url), Cow::Borrowed(_))
}

/// The scheme of an absolute URL (`http` in `http://…`), if it has one.
fn scheme_of(url: &str) -> Option<&str> {
    let end = url.find(':')?;
    let scheme = &url[..end];
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then_some(scheme)
}

/// The absolute http(s) URL `href` refers to from the page at `base` (any
/// absolute http(s) URL, or none), as links in item HTML are resolved.
pub fn resolve_url(base: Option<&str>, href: &str) -> Option<String> {
    resolve(base.and_then(Base::parse).as_ref(), href)
}

/// The absolute http(s) URL `href` refers to from `base`, or `None` for
/// other schemes, unresolvable references and unsafe text.
fn resolve(base: Option<&Base>, href: &str) -> Option<String> {
    let href = href.trim_matches(|c: char| c.is_ascii_whitespace());
    if href.is_empty() || !is_clean_url(href) {
        return None;
    }
    if let Some(scheme) = scheme_of(href) {
        let web = scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https");
        let rest = &href[scheme.len() + 1..];
        let has_host = rest
            .strip_prefix("//")
            .is_some_and(|r| !r.is_empty() && !r.starts_with(['/', '?', '#']));
        return (web && has_host).then(|| href.to_owned());
    }
    if let Some(rest) = href.strip_prefix("//") {
        if rest.is_empty() || rest.starts_with(['/', '?', '#']) {
            return None;
        }
        let scheme = base.map_or("https", |b| b.scheme.as_str());
        return Some(format!("{scheme}:{href}"));
    }
    let base = base?;
    let resolved = if href.starts_with('#') {
        format!("{}{}{}{href}", base.origin, base.path, base.query)
    } else if href.starts_with('?') {
        format!("{}{}{href}", base.origin, base.path)
    } else {
        let split = href.find(['?', '#']).unwrap_or(href.len());
        let (path, tail) = href.split_at(split);
        let path = if path.starts_with('/') {
            remove_dot_segments(path)
        } else {
            let dir = &base.path[..base.path.rfind('/').map_or(0, |i| i + 1)];
            remove_dot_segments(&format!("{dir}{path}"))
        };
        format!("{}{path}{tail}", base.origin)
    };
    Some(resolved)
}

/// `/a/b/../c/./d` → `/a/c/d` (RFC 3986, section 5.2.4, for paths that
/// start with `/`).
fn remove_dot_segments(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    let mut ends_in_dir = false;
    for segment in path.split('/').skip(1) {
        ends_in_dir = matches!(segment, "." | "..");
        match segment {
            "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    let mut out = String::with_capacity(path.len());
    for s in &segments {
        out.push('/');
        out.push_str(s);
    }
    if ends_in_dir || out.is_empty() {
        out.push('/');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case(
        "市民赏花。（新华社记者 张玉薇 摄）",
        "市民赏花。",
        Some("新华社记者 张玉薇 摄")
    )]
    #[case("市民赏花。本报记者 张玉薇摄", "市民赏花。", Some("本报记者 张玉薇摄"))]
    #[case("市民赏花。 记者 张玉薇 摄", "市民赏花。", Some("记者 张玉薇 摄"))]
    #[case("市民赏花。游客拍照，留影", "市民赏花。游客拍照，留影", None)]
    #[case(
        "市民赏花。新华社记者 张三 摄",
        "市民赏花。",
        Some("新华社记者 张三 摄")
    )]
    #[case("市民赏花 新华社记者 张三 摄", "市民赏花", Some("新华社记者 张三 摄"))]
    #[case(
        "3月11日 全市科技工作会议现场 记者 李四 摄",
        "3月11日 全市科技工作会议现场",
        Some("记者 李四 摄")
    )]
    #[case("市民赏花　李华 摄", "市民赏花", Some("李华 摄"))]
    #[case("市民赏花。（新华社发）", "市民赏花。", Some("新华社发"))]
    #[case("市民赏花。新华社发", "市民赏花。", Some("新华社发"))]
    #[case("市民赏花 视觉中国供图", "市民赏花", Some("视觉中国供图"))]
    #[case(
        "市民赏花。新华社记者 张三 摄（影像中国）",
        "市民赏花。",
        Some("新华社记者 张三 摄（影像中国）")
    )]
    #[case("新华社记者 张三 摄", "", Some("新华社记者 张三 摄"))]
    #[case("（新华社记者 张三 摄）", "", Some("新华社记者 张三 摄"))]
    #[case("游客 在景区拍摄", "游客 在景区拍摄", None)]
    #[case("新华社 发布会现场", "新华社 发布会现场", None)]
    #[case("游客在景区拍摄", "游客在景区拍摄", None)]
    #[case(
        "村民采摘辣椒。冯立新摄（影像中国）",
        "村民采摘辣椒。",
        Some("冯立新摄（影像中国）")
    )]
    #[case("市民赏花 记者李四摄", "市民赏花", Some("记者李四摄"))]
    #[case("市民在公园里拍摄", "市民在公园里拍摄", None)]
    #[case(
        "市民赏花。他说，公园里可以拍摄",
        "市民赏花。他说，公园里可以拍摄",
        None
    )]
    fn captions_and_their_credits(
        #[case] caption: &str,
        #[case] want: &str,
        #[case] credit: Option<&str>,
    ) {
        let (got, got_credit) = split_credit(caption.to_owned());
        assert_eq!((got.as_str(), got_credit.as_deref()), (want, credit));
    }

    #[rstest]
    #[case::absolute("https://a.cn/x", "http://b.cn/y?q#f", "http://b.cn/y?q#f")]
    #[case::protocol_relative("https://a.cn/x", "//b.cn/y", "https://b.cn/y")]
    #[case::root("https://a.cn/d/x.html?q=1", "/y/z", "https://a.cn/y/z")]
    #[case::relative("https://a.cn/d/x.html", "y.jpg", "https://a.cn/d/y.jpg")]
    #[case::parent("https://a.cn/d/e/x.html", "../y.jpg", "https://a.cn/d/y.jpg")]
    #[case::above_root("https://a.cn/x.html", "../../y", "https://a.cn/y")]
    #[case::dot("https://a.cn/d/", "./y?a=../b", "https://a.cn/d/y?a=../b")]
    #[case::directory("https://a.cn/d/e", "..", "https://a.cn/")]
    #[case::query("https://a.cn/d/x?old", "?new", "https://a.cn/d/x?new")]
    #[case::fragment("https://a.cn/d/x?q#old", "#new", "https://a.cn/d/x?q#new")]
    #[case::bare_host("https://a.cn", "y", "https://a.cn/y")]
    #[case::port("http://a.cn:8080/d/x", "y", "http://a.cn:8080/d/y")]
    fn resolving(#[case] base: &str, #[case] href: &str, #[case] want: &str) {
        let base = Base::parse(base).unwrap();
        assert_eq!(resolve(Some(&base), href).as_deref(), Some(want));
    }

    #[rstest]
    #[case::javascript("javascript:alert(1)")]
    #[case::mailto("mailto:a@b.cn")]
    #[case::data("data:image/png;base64,AAAA")]
    #[case::no_host("http:///x")]
    #[case::inner_space("https://a.cn/x y")]
    #[case::escape("https://a.cn/\u{1b}[2J")]
    #[case::bidi("https://a.cn/\u{202e}gpj.exe")]
    #[case::empty("  ")]
    fn rejecting(#[case] href: &str) {
        let base = Base::parse("https://a.cn/d/x").unwrap();
        assert_eq!(resolve(Some(&base), href), None);
    }

    #[test]
    fn relative_urls_need_a_base() {
        assert_eq!(resolve(None, "/x"), None);
        assert_eq!(resolve(None, "x"), None);
        assert_eq!(resolve(None, "//a.cn/x").as_deref(), Some("https://a.cn/x"));
        assert!(Base::parse("ftp://a.cn/").is_none());
        assert!(Base::parse("/relative").is_none());
    }

    #[rstest]
    #[case::cjk('中', '国', true)]
    #[case::cjk_punctuation('。', '他', true)]
    #[case::quote('：', '“', true)]
    #[case::latin('中', 'a', false)]
    #[case::hangul('한', '국', false)]
    fn joining(#[case] a: char, #[case] b: char, #[case] want: bool) {
        assert_eq!(joins(a, b), want);
    }
}
