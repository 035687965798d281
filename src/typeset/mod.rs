//! CJK typesetting: text in, lines that fit a width out.
//!
//! Stored text is first made safe ([`sanitize`]: no control characters or
//! escape sequences reach a terminal), then shown with full-width
//! punctuation where it sits in Chinese text ([`display_punctuation`]), then
//! wrapped ([`wrap`]) at the break opportunities of Unicode UAX #14 (from
//! textwrap) tightened by the Chinese 避头尾 rules: no line starts with
//! closing punctuation, none ends with opening punctuation, `……`, `——` and
//! numbers with their units stay whole. When the rules cannot be met the
//! width wins: no line is ever wider than asked, and no character is lost.
//! [`layout`] puts an article's parts into role-tagged lines for printing
//! and, later, colouring, in the script `[text] script` asks for
//! ([`crate::script`]). Nothing here does terminal I/O.

mod classes;
mod punctuation;
mod width;
mod wrap;

use crate::config::TextOptions;
use crate::model::{self, Article};

pub use crate::sanitize::sanitize;
pub use classes::{Class, TABLE as CLASSES, class_of, is_no_end, is_no_start};
pub use punctuation::{display_punctuation, is_cjk};
pub use width::{char_width, cut_words, grapheme_width, str_width, truncate};
pub use wrap::{
    Edge, GAP, HANG, IDEOGRAPHIC_SPACE, MIN_WIDTH, UNIT_CHARS, UNIT_WORDS, hangs, wrap, wrap_head,
    wrap_to,
};

/// What a laid-out line is, so that a view can style it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Kicker,
    Title,
    Subtitle,
    Meta,
    Column,
    Body,
    /// A cross-head (小标题) between paragraphs: set flush, in bold.
    Crosshead,
    /// An editor's note or summary box (编者按, 核心阅读).
    Note,
    CaptionHeading,
    Caption,
    /// A feed item's numbered link: `[1] 全文 https://…`.
    Link,
    Blank,
    /// Row `row` of photo `photo`'s picture, above its caption; its text is
    /// empty. Never made by [`layout`]: the reader puts these in.
    Picture {
        photo: usize,
        row: u16,
    },
    /// What stands in photo `photo`'s place while its picture is fetched,
    /// or why it cannot be shown (`[图 1 载入中…]`). Made by the reader.
    PictureNote {
        photo: usize,
    },
}

/// One laid-out line: never wider than the width it was laid out for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub role: Role,
    pub text: String,
    /// Which part of the article the line belongs to (the kicker, the
    /// headline, each paragraph, each caption … numbered from 0): the same
    /// at every width, so a reader can keep its place across a resize.
    pub block: usize,
}

/// Where an article comes from, for its meta line.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context<'a> {
    /// The feed's title, e.g. 驻马店日报.
    pub feed_title: Option<&'a str>,
}

/// Lays an article out at `width` columns: head block, meta line, column,
/// body paragraphs, then the numbered photo captions and, for feed items,
/// the numbered links. Each photo's caption is one block of
/// [`Role::Caption`] lines, in the order of `article.photos`.
pub fn layout(
    article: &Article,
    context: Context<'_>,
    width: usize,
    text: &TextOptions,
) -> Vec<Line> {
    let amb = text.ambiguous_width.columns();
    // Converted before it is measured: a phrase may change its characters.
    let shown = |s: &str| -> String {
        let safe = sanitize(s);
        let scripted = text.script.convert(&safe);
        if text.fullwidth_punctuation {
            display_punctuation(&scripted).into_owned()
        } else {
            scripted.into_owned()
        }
    };
    let mut lines = Lines {
        out: Vec::new(),
        block: 0,
    };
    // Running text (paragraphs, notes, captions) is set with the configured
    // edge; heads, the meta line and links keep every character inside.
    let paragraph_edge = if text.hanging_punctuation {
        Edge::Hanging
    } else {
        Edge::Ragged
    };
    let add = |lines: &mut Lines, role: Role, s: &str, indent: usize| {
        let edge = match role {
            Role::Body | Role::Note | Role::Caption => paragraph_edge,
            _ => Edge::Ragged,
        };
        let wrapped = match role {
            Role::Kicker | Role::Title | Role::Subtitle => wrap_head(&shown(s), width, amb),
            _ => wrap_to(&shown(s), width, indent, amb, edge),
        };
        for t in wrapped {
            lines.out.push(Line {
                role,
                text: t,
                block: lines.block,
            });
        }
        lines.block += 1;
    };
    if let Some(k) = &article.kicker {
        add(&mut lines, Role::Kicker, k, 0);
    }
    add(
        &mut lines,
        Role::Title,
        article.display_title_or_untitled(),
        0,
    );
    if let Some(s) = &article.subtitle {
        add(&mut lines, Role::Subtitle, s, 0);
    }
    let fields: Vec<String> = meta_fields(article, context)
        .iter()
        .map(|f| shown(f))
        .collect();
    if !fields.is_empty() {
        for t in separated(&fields, width, amb) {
            lines.out.push(Line {
                role: Role::Meta,
                text: t,
                block: lines.block,
            });
        }
        lines.block += 1;
    }
    if let Some(c) = &article.column {
        add(&mut lines, Role::Column, &format!("【{c}】"), 0);
    }
    if !article.paragraphs.is_empty() {
        lines.blank();
    }
    let indent = usize::from(text.indent);
    for (n, p) in article.paragraphs.iter().enumerate() {
        match article.role(n) {
            model::Role::Text => add(&mut lines, Role::Body, p, indent),
            model::Role::Note => add(&mut lines, Role::Note, p, indent),
            model::Role::Crosshead => {
                // Space above a cross-head, as print gives it; a two-line
                // cross-head keeps its lines together.
                if n > 0 && article.role(n - 1) != model::Role::Crosshead {
                    lines.blank();
                }
                add(&mut lines, Role::Crosshead, p, 0);
            }
        }
    }
    if !article.photos.is_empty() {
        lines.blank();
        add(&mut lines, Role::CaptionHeading, "图片说明", 0);
        for (n, photo) in article.photos.iter().enumerate() {
            let mut caption = format!("图{} {}", n + 1, photo.caption);
            if let Some(code) = &photo.code {
                caption.push(' ');
                caption.push_str(code);
            }
            if let Some(credit) = &photo.credit {
                caption.push_str("  ");
                caption.push_str(credit);
            }
            add(&mut lines, Role::Caption, &caption, 0);
        }
    }
    if !article.links.is_empty() {
        lines.blank();
        add(&mut lines, Role::CaptionHeading, "链接", 0);
        for (n, link) in article.links.iter().enumerate() {
            add(
                &mut lines,
                Role::Link,
                &format!("[{}] {} {}", n + 1, link.text, link.url),
                0,
            );
        }
    }
    lines.out
}

/// Lines being laid out, and the block the next one belongs to.
struct Lines {
    out: Vec<Line>,
    block: usize,
}

impl Lines {
    /// An empty line, part of the block after it.
    fn blank(&mut self) {
        self.out.push(Line {
            role: Role::Blank,
            text: String::new(),
            block: self.block,
        });
    }
}

/// `驻马店日报 · 2023-03-08 · 第05版 科教 · 记者 黄育南 · ⑤3`
pub fn meta_line(article: &Article, context: Context<'_>) -> String {
    meta_fields(article, context).join(SEPARATOR)
}

/// What separates the fields of a meta line.
const SEPARATOR: &str = " · ";

/// The fields of the meta line: feed, date, page and section, byline,
/// editor code.
fn meta_fields(article: &Article, context: Context<'_>) -> Vec<String> {
    let page = match (&article.page, &article.section) {
        (Some(p), Some(s)) => Some(format!("第{p}版 {s}")),
        (Some(p), None) => Some(format!("第{p}版")),
        (None, Some(s)) => Some(s.clone()),
        (None, None) => None,
    };
    [
        context.feed_title.map(str::to_owned),
        article.date.clone(),
        page,
        article.byline.as_ref().map(|b| b.text.clone()),
        article.editor_code.clone(),
    ]
    .into_iter()
    .flatten()
    .filter(|f| !f.trim().is_empty())
    .collect()
}

/// `fields` joined by ` · ` into lines of at most `width` columns, broken
/// only at the separators: a name, a date or a section is never cut. A
/// field wider than a whole line is broken at its spaces (between the names
/// of a byline), and only a word wider than a whole line is wrapped inside.
fn separated(fields: &[String], width: usize, ambiguous: u8) -> Vec<String> {
    let width = width.max(MIN_WIDTH);
    let sep = str_width(SEPARATOR, ambiguous);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for field in fields {
        let w = str_width(field, ambiguous);
        let joiner = if line.is_empty() { 0 } else { sep };
        if used + joiner + w <= width {
            if joiner > 0 {
                line.push_str(SEPARATOR);
            }
            line.push_str(field);
            used += joiner + w;
            continue;
        }
        if w <= width {
            lines.push(std::mem::take(&mut line));
            line.push_str(field);
            used = w;
            continue;
        }
        for (n, word) in field.split(' ').filter(|w| !w.is_empty()).enumerate() {
            let w = str_width(word, ambiguous);
            let (joiner, joiner_w) = match (line.is_empty(), n) {
                (true, _) => ("", 0),
                (false, 0) => (SEPARATOR, sep),
                (false, _) => (" ", 1),
            };
            if used + joiner_w + w <= width {
                line.push_str(joiner);
                line.push_str(word);
                used += joiner_w + w;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let mut pieces = wrap(word, width, 0, ambiguous);
            line = pieces.pop().unwrap_or_default();
            used = str_width(&line, ambiguous);
            lines.extend(pieces);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

impl Article {
    /// The headline, or `(无标题)` plus the start of the text for pieces the
    /// page printed without one.
    pub fn display_title_or_untitled(&self) -> &str {
        match &self.title {
            Some(t) => t,
            None => "（无标题）",
        }
    }
}
