//! A small HTML tree for pages whose structure matters (e-paper editions):
//! html5ever's tokenizer, a forgiving tree builder, and the few CSS
//! selectors such pages need.
//!
//! The builder follows the rules real pages lean on: tag and attribute names
//! in any case and attributes unquoted (the tokenizer's work); void elements
//! (`img`, `br`, `area` …) and `<x/>` hold nothing; a new `p` closes an open
//! `p`, a new `li` an open `li` of the same list, a new `tr`, `td` or `th`
//! the open row or cell; an end tag closes up to its element when one is
//! open and is ignored when none is. `script`, `style` and their text are
//! dropped; comments are kept (Founder pages carry their metadata in one).
//! Nesting deeper than [`MAX_DEPTH`] is flattened into the deepest element,
//! so no input can make the tree (or a walk over it) deep.
//!
//! Selectors: compounds of a tag name, `#id`, `.class` (any number) and
//! `[attr]`, joined by a space (descendant) or `>` (child), several
//! separated by `,` — `div.swiper-slide > a#pageLink`, `ul.news-list li a`.

use std::cell::RefCell;

use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// Elements nested deeper than this are added to the deepest open one.
pub const MAX_DEPTH: usize = 256;

/// One node's index in its [`Dom`].
pub type NodeId = usize;

/// What a node is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// An element: its name (lower case) and attributes (names lower case).
    Element {
        name: String,
        attrs: Vec<(String, String)>,
    },
    Text(String),
    Comment(String),
}

#[derive(Debug, Clone)]
struct Node {
    kind: Kind,
    parent: Option<NodeId>,
    children: Vec<NodeId>,
}

/// A parsed document. Node 0 is the root, which holds the top elements.
#[derive(Debug, Clone)]
pub struct Dom {
    nodes: Vec<Node>,
}

const VOID: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Elements an open `p` does not reach past when a new block closes it.
const SCOPE: [&str; 12] = [
    "html", "body", "div", "td", "th", "li", "table", "ul", "ol", "section", "article", "form",
];

/// Starting one of these closes an open `p` first (as HTML does).
const CLOSES_P: [&str; 20] = [
    "p",
    "div",
    "ul",
    "ol",
    "table",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "blockquote",
    "section",
    "article",
    "header",
    "footer",
    "figure",
    "dl",
    "hr",
];

impl Dom {
    /// Parses `html`; never fails.
    pub fn parse(html: &str) -> Dom {
        let builder = Builder {
            dom: Dom {
                nodes: vec![Node {
                    kind: Kind::Element {
                        name: "#root".to_owned(),
                        attrs: Vec::new(),
                    },
                    parent: None,
                    children: Vec::new(),
                }],
            },
            open: vec![0],
            skipping: None,
        };
        let tokenizer = Tokenizer::new(Sink(RefCell::new(builder)), TokenizerOpts::default());
        let _ = tokenizer.feed(&super::html::queued(html));
        tokenizer.end();
        tokenizer.sink.0.into_inner().dom
    }

    /// What node `id` is.
    pub fn kind(&self, id: NodeId) -> &Kind {
        &self.nodes[id].kind
    }

    /// The element name of `id`, or "" for text and comments.
    pub fn name(&self, id: NodeId) -> &str {
        match &self.nodes[id].kind {
            Kind::Element { name, .. } => name,
            _ => "",
        }
    }

    /// The value of attribute `name` of element `id`.
    pub fn attr(&self, id: NodeId, name: &str) -> Option<&str> {
        match &self.nodes[id].kind {
            Kind::Element { attrs, .. } => attrs
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str()),
            _ => None,
        }
    }

    fn has_class(&self, id: NodeId, class: &str) -> bool {
        self.attr(id, "class").is_some_and(|c| {
            c.split_ascii_whitespace()
                .any(|c| c.eq_ignore_ascii_case(class))
        })
    }

    pub fn parent(&self, id: NodeId) -> Option<NodeId> {
        self.nodes[id].parent
    }

    pub fn children(&self, id: NodeId) -> &[NodeId] {
        &self.nodes[id].children
    }

    /// `id` and every node below it, in document order.
    pub fn descendants(&self, id: NodeId) -> Vec<NodeId> {
        let mut out = Vec::new();
        let mut stack = vec![id];
        while let Some(n) = stack.pop() {
            out.push(n);
            stack.extend(self.nodes[n].children.iter().rev());
        }
        out
    }

    /// Every node of the document, in document order.
    pub fn all(&self) -> Vec<NodeId> {
        self.descendants(0)
    }

    /// The text below `id`, whitespace collapsed to single spaces and
    /// trimmed; the space between two CJK characters is dropped.
    pub fn text(&self, id: NodeId) -> String {
        let mut raw = String::new();
        for n in self.descendants(id) {
            match &self.nodes[n].kind {
                Kind::Text(t) => raw.push_str(t),
                Kind::Element { name, .. } if name == "br" => raw.push(' '),
                _ => {}
            }
        }
        collapse(&raw)
    }

    /// The elements that match `selector`, in document order. A selector
    /// that cannot be read matches nothing.
    pub fn select(&self, selector: &str) -> Vec<NodeId> {
        self.select_in(0, selector)
    }

    /// Like [`Dom::select`], among the descendants of `scope` only.
    pub fn select_in(&self, scope: NodeId, selector: &str) -> Vec<NodeId> {
        let Some(groups) = parse_selector(selector) else {
            return Vec::new();
        };
        self.descendants(scope)
            .into_iter()
            .filter(|&n| n != scope && groups.iter().any(|g| self.matches_chain(n, g, scope)))
            .collect()
    }

    /// The first element matching `selector`.
    pub fn first(&self, selector: &str) -> Option<NodeId> {
        self.select(selector).into_iter().next()
    }

    /// The markup of the element's children again, for
    /// [`super::html::to_content`]: names, attributes and text as parsed,
    /// comments left out.
    pub fn inner_html(&self, id: NodeId) -> String {
        self.html_of(&self.nodes[id].children)
    }

    /// [`Dom::inner_html`] with the node itself.
    pub fn outer_html(&self, id: NodeId) -> String {
        self.html_of(&[id])
    }

    fn html_of(&self, nodes: &[NodeId]) -> String {
        let mut out = String::new();
        // (node, closing?) so that the walk needs no recursion.
        let mut stack: Vec<(NodeId, bool)> = nodes.iter().rev().map(|&c| (c, false)).collect();
        while let Some((n, closing)) = stack.pop() {
            match &self.nodes[n].kind {
                Kind::Element { name, .. } if closing => {
                    out.push_str("</");
                    out.push_str(name);
                    out.push('>');
                }
                Kind::Element { name, attrs } => {
                    out.push('<');
                    out.push_str(name);
                    for (k, v) in attrs {
                        out.push(' ');
                        out.push_str(k);
                        out.push_str("=\"");
                        out.push_str(&escape(v));
                        out.push('"');
                    }
                    out.push('>');
                    if !VOID.contains(&name.as_str()) {
                        stack.push((n, true));
                        stack.extend(self.nodes[n].children.iter().rev().map(|&c| (c, false)));
                    }
                }
                Kind::Text(t) => out.push_str(&escape(t)),
                Kind::Comment(_) => {}
            }
        }
        out
    }

    fn matches_compound(&self, id: NodeId, c: &Compound) -> bool {
        let Kind::Element { name, .. } = &self.nodes[id].kind else {
            return false;
        };
        if id == 0 {
            return false;
        }
        c.tag.as_ref().is_none_or(|t| t == name)
            && c.id
                .as_ref()
                .is_none_or(|i| self.attr(id, "id") == Some(i.as_str()))
            && c.classes.iter().all(|k| self.has_class(id, k))
            && c.attrs.iter().all(|a| self.attr(id, a).is_some())
    }

    /// Whether `id` matches the chain (read right to left), with ancestors
    /// looked for no higher than `scope`.
    fn matches_chain(&self, id: NodeId, chain: &[(Combinator, Compound)], scope: NodeId) -> bool {
        let Some(((_, last), rest)) = chain.split_last() else {
            return false;
        };
        if !self.matches_compound(id, last) {
            return false;
        }
        // Backtracking over ancestors, iteratively: (chain length left, node).
        let mut todo = vec![(rest.len(), id, chain[rest.len()].0)];
        while let Some((left, node, combinator)) = todo.pop() {
            if left == 0 {
                return true;
            }
            let want = &chain[left - 1].1;
            let next_combinator = chain[left - 1].0;
            let mut up = self.nodes[node].parent;
            while let Some(a) = up {
                if a == scope || a == 0 {
                    break;
                }
                if self.matches_compound(a, want) {
                    todo.push((left - 1, a, next_combinator));
                }
                if combinator == Combinator::Child {
                    break;
                }
                up = self.nodes[a].parent;
            }
        }
        false
    }
}

/// `&`, `<`, `>` and `"` as entities.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// Whitespace runs to one space, trimmed; a run holding a line break
/// between two CJK characters is dropped (`中国⏎人民` → `中国人民`), as a
/// browser would show it. Spaces on one line stay: they part names.
pub fn collapse(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let (mut space, mut newline) = (false, false);
    for c in raw.chars() {
        if c.is_whitespace() && c != '\u{3000}' {
            space = !out.is_empty();
            newline |= c == '\n';
            continue;
        }
        if space {
            let before = out.chars().last();
            if !(newline && before.is_some_and(is_cjk) && is_cjk(c)) {
                out.push(' ');
            }
        }
        (space, newline) = (false, false);
        out.push(c);
    }
    out
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Combinator {
    Descendant,
    Child,
}

#[derive(Debug, Default)]
struct Compound {
    tag: Option<String>,
    id: Option<String>,
    classes: Vec<String>,
    attrs: Vec<String>,
}

/// `a b > c, d` → groups of (combinator to the left, compound).
fn parse_selector(selector: &str) -> Option<Vec<Vec<(Combinator, Compound)>>> {
    let mut groups = Vec::new();
    for group in selector.split(',') {
        let mut chain = Vec::new();
        let mut combinator = Combinator::Descendant;
        for token in group.replace('>', " > ").split_whitespace() {
            if token == ">" {
                combinator = Combinator::Child;
                continue;
            }
            chain.push((combinator, compound(token)?));
            combinator = Combinator::Descendant;
        }
        if chain.is_empty() {
            return None;
        }
        groups.push(chain);
    }
    Some(groups)
}

fn compound(token: &str) -> Option<Compound> {
    let mut c = Compound::default();
    let mut rest = token;
    let name_end = rest.find(['#', '.', '[']).unwrap_or(rest.len());
    if name_end > 0 && &rest[..name_end] != "*" {
        c.tag = Some(rest[..name_end].to_ascii_lowercase());
    }
    rest = &rest[name_end..];
    while let Some(first) = rest.chars().next() {
        rest = &rest[1..];
        let end = rest.find(['#', '.', '[', ']']).unwrap_or(rest.len());
        let word = rest[..end].to_owned();
        if word.is_empty() {
            return None;
        }
        match first {
            '#' => c.id = Some(word),
            '.' => c.classes.push(word),
            '[' => {
                c.attrs.push(word.to_ascii_lowercase());
                rest = rest[end..].strip_prefix(']')?;
                continue;
            }
            _ => return None,
        }
        rest = &rest[end..];
    }
    Some(c)
}

struct Builder {
    dom: Dom,
    /// Open elements, the root first.
    open: Vec<NodeId>,
    /// Inside `script` or `style`: its text is dropped.
    skipping: Option<String>,
}

impl Builder {
    fn current(&self) -> NodeId {
        self.open.last().copied().unwrap_or(0)
    }

    fn add(&mut self, kind: Kind) -> NodeId {
        let parent = self.current();
        let id = self.dom.nodes.len();
        self.dom.nodes.push(Node {
            kind,
            parent: Some(parent),
            children: Vec::new(),
        });
        self.dom.nodes[parent].children.push(id);
        id
    }

    fn text(&mut self, text: &str) {
        if self.skipping.is_some() {
            return;
        }
        let parent = self.current();
        if let Some(&last) = self.dom.nodes[parent].children.last()
            && let Kind::Text(t) = &mut self.dom.nodes[last].kind
        {
            t.push_str(text);
            return;
        }
        self.add(Kind::Text(text.to_owned()));
    }

    /// Pops up to and including the nearest open `name` below any of
    /// `scope`; false when there is none.
    fn close(&mut self, name: &str, scope: &[&str]) -> bool {
        for i in (1..self.open.len()).rev() {
            let n = self.dom.name(self.open[i]);
            if n == name {
                self.open.truncate(i);
                return true;
            }
            if scope.contains(&n) {
                return false;
            }
        }
        false
    }

    fn tag(&mut self, tag: &Tag) -> TokenSinkResult<()> {
        let name = tag.name.to_string();
        match tag.kind {
            TagKind::StartTag => {
                if self.skipping.is_some() {
                    return TokenSinkResult::Continue;
                }
                if matches!(name.as_str(), "script" | "style") {
                    self.skipping = Some(name);
                    return TokenSinkResult::RawData(RawKind::ScriptData);
                }
                if CLOSES_P.contains(&name.as_str()) {
                    self.close("p", &SCOPE);
                }
                match name.as_str() {
                    "li" => {
                        self.close("li", &["ul", "ol", "table", "div"]);
                    }
                    "tr" => {
                        self.close("tr", &["table"]);
                    }
                    "td" | "th" if !self.close("td", &["tr", "table"]) => {
                        self.close("th", &["tr", "table"]);
                    }
                    _ => {}
                }
                let attrs = tag
                    .attrs
                    .iter()
                    .map(|a| (a.name.local.to_string(), a.value.to_string()))
                    .collect();
                let void = VOID.contains(&name.as_str()) || tag.self_closing;
                let id = self.add(Kind::Element { name, attrs });
                if !void && self.open.len() <= MAX_DEPTH {
                    self.open.push(id);
                }
            }
            TagKind::EndTag => {
                if let Some(skipped) = &self.skipping {
                    if *skipped == name {
                        self.skipping = None;
                    }
                    return TokenSinkResult::Continue;
                }
                if name == "br" {
                    // `</br>` is a line break, as browsers read it.
                    self.add(Kind::Element {
                        name,
                        attrs: Vec::new(),
                    });
                    return TokenSinkResult::Continue;
                }
                self.close(&name, &[]);
            }
        }
        TokenSinkResult::Continue
    }
}

struct Sink(RefCell<Builder>);

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut builder = self.0.borrow_mut();
        match token {
            Token::CharacterTokens(text) => {
                builder.text(&text);
                TokenSinkResult::Continue
            }
            Token::TagToken(tag) => builder.tag(&tag),
            Token::CommentToken(text) => {
                if builder.skipping.is_none() {
                    builder.add(Kind::Comment(text.to_string()));
                }
                TokenSinkResult::Continue
            }
            _ => TokenSinkResult::Continue,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(dom: &Dom, selector: &str) -> Vec<String> {
        dom.select(selector)
            .into_iter()
            .map(|n| dom.text(n))
            .collect()
    }

    #[test]
    fn upper_case_unquoted_and_implied_ends() {
        let dom = Dom::parse(
            "<DIV class=title><UL><LI><A href=content_1.htm>一</A><LI><A href=content_2.htm>二</A></UL></DIV>\
             <p>甲<p>乙<div><p>丙</div>",
        );
        assert_eq!(texts(&dom, "div.title li a"), ["一", "二"]);
        assert_eq!(dom.select("li").len(), 2);
        assert_eq!(texts(&dom, "p"), ["甲", "乙", "丙"]);
        let a = dom.first("a").unwrap_or(0);
        assert_eq!(dom.attr(a, "href"), Some("content_1.htm"));
    }

    #[test]
    fn child_and_descendant_combinators_and_groups() {
        let dom = Dom::parse(
            "<div class='swiper-slide x'><a id=pageLink href=1>01版：要闻</a></div>\
             <div class=swiper-slide><span><a id=pageLink href=2>02版</a></span></div>",
        );
        assert_eq!(texts(&dom, "div.swiper-slide > a#pageLink"), ["01版：要闻"]);
        assert_eq!(texts(&dom, "div.swiper-slide a#pageLink").len(), 2);
        assert_eq!(texts(&dom, "span > a, div.x > a"), ["01版：要闻", "02版"]);
        assert_eq!(texts(&dom, "a[href]").len(), 2);
        assert!(
            dom.select("div..x").is_empty(),
            "a broken selector matches nothing"
        );
    }

    #[test]
    fn scripts_are_dropped_comments_kept_and_text_collapsed() {
        let dom = Dom::parse(
            "<p>驻马店\n  日报 <b>News</b>  today 记者 王明</p><script>var a = '<p>不</p>';</script><!--enpcontent-->",
        );
        assert_eq!(texts(&dom, "p"), ["驻马店日报 News today 记者 王明"]);
        assert!(
            dom.all()
                .iter()
                .any(|&n| *dom.kind(n) == Kind::Comment("enpcontent".to_owned()))
        );
    }

    #[test]
    fn deep_nesting_is_flattened() {
        let html = "<div>".repeat(100_000) + "深处" + &"</div>".repeat(100_000);
        let dom = Dom::parse(&html);
        assert_eq!(dom.text(0), "深处");
        let mut depth = 0;
        let mut n = dom.select("div").last().copied().unwrap_or(0);
        while let Some(p) = dom.parent(n) {
            depth += 1;
            n = p;
        }
        assert!(depth <= MAX_DEPTH + 1, "{depth}");
    }

    #[test]
    fn inner_html_round_trips_what_matters() {
        let dom = Dom::parse("<div id=c><P>一 &amp; 二<IMG src=a.jpg alt='\"图\"'></P></div>");
        let c = dom.first("#c").unwrap_or(0);
        assert_eq!(
            dom.inner_html(c),
            "<p>一 &amp; 二<img src=\"a.jpg\" alt=\"&quot;图&quot;\"></p>"
        );
    }
}
