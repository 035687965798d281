//! What one piece of a page is: head line, paragraph, byline, caption …
//!
//! Every function here looks at a single piece of text. Deciding what the
//! piece means in its context (a caption or the last paragraph of an
//! article?) is the assembler's job in the parent module.

use super::byline;
use super::chars::{is_pad, more_chars_than};

/// The kind of a piece, judged from its text alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A short line without sentence punctuation: kicker, headline,
    /// subheadline or column banner.
    Head,
    /// A paragraph (or the text of a caption, when it carries a code and no
    /// article is open).
    Body,
    /// A byline on its own line: `记者 王伟 张宁 文/图`.
    Byline,
    /// A byline in parentheses closing an article: `（王 旭 姜 来）`.
    EndByline,
    /// `图片说明：` opening a photo block; holds any text after the colon.
    PhotoLabel(String),
    /// A numbered or placed caption, `图①：…`, `上图：…`; holds the caption.
    Caption(String),
    /// A caption paragraph printed in the text, `图为…`: the whole line.
    InlineCaption,
    /// The label of a sidebar that belongs to the story above it:
    /// `相关链接`, `知识链接`, `亲历者说`, `参观贴士` …
    Sidebar,
    /// The label of an editor's note or summary box on its own line:
    /// `编者按`, `核心阅读` …
    NoteLabel,
    /// A photographer's credit line: `新华社记者  张玉薇摄`.
    Credit,
    /// The page header `第05版：科教`: page and section.
    PageHeader {
        page: String,
        section: Option<String>,
    },
    /// Layout metadata that is not article text: `版式设计：…`, `广告`.
    Metadata,
    /// Only an editor code.
    Code,
}

/// A classified piece: its kind, its text without the editor code, the code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classified<'a> {
    pub kind: Kind,
    pub text: &'a str,
    pub code: Option<&'a str>,
}

/// Bylines (48), credits with their source and page headers are at most
/// this many characters long.
const SHORT_MAX_CHARS: usize = 64;
/// Head lines are at most this many characters long.
const HEAD_MAX_CHARS: usize = 32;
/// A head line with a comma in it is at most this long (`稳中求进，开创新局`).
const HEAD_MAX_CHARS_WITH_COMMA: usize = 20;

pub fn classify(text: &str) -> Classified<'_> {
    let (body, code) = split_editor_code(text);
    let kind = if body.is_empty() {
        Kind::Code
    } else if code.is_none() {
        kind_of(body)
    } else {
        // A coded line closes an article or a caption; never a headline.
        Kind::Body
    };
    Classified {
        kind,
        text: body,
        code,
    }
}

fn kind_of(text: &str) -> Kind {
    // Longer than any byline, credit or header: only what is known by how
    // it starts can be more than a paragraph.
    let short = !more_chars_than(text, SHORT_MAX_CHARS);
    if short && let Some(header) = page_header(text) {
        return header;
    }
    if is_metadata(text) {
        return Kind::Metadata;
    }
    if text.starts_with(['图', '圖', '上', '下', '左', '右', '中']) {
        if let Some(rest) = photo_label(text) {
            return Kind::PhotoLabel(rest.to_owned());
        }
        if let Some(caption) = placed_caption(text) {
            return Kind::Caption(caption.to_owned());
        }
        if is_inline_caption(text) {
            return Kind::InlineCaption;
        }
    }
    if !short {
        return Kind::Body;
    }
    if byline::parse_photo_credit(text).is_some() {
        return Kind::Credit;
    }
    if byline::parse_own_line(text).is_some() {
        return Kind::Byline;
    }
    if byline::parse_end_line(text).is_some() {
        return Kind::EndByline;
    }
    if more_chars_than(text, HEAD_MAX_CHARS) || is_prose(text) || source_note(text).is_some() {
        return Kind::Body;
    }
    let label = unbracketed(text);
    if NOTE_LABELS.contains(&label) {
        Kind::NoteLabel
    } else if is_sidebar_label(label) {
        Kind::Sidebar
    } else if label != text && !more_chars_than(label, 6) {
        Kind::NoteLabel
    } else {
        Kind::Head
    }
}

/// A paragraph in parentheses naming where the text came from:
/// `（新华社北京10月1日电）`, `（据新华社电）`. Returns what is inside.
pub fn source_note(text: &str) -> Option<&str> {
    let inner = text
        .strip_prefix(['（', '('])?
        .strip_suffix(['）', ')'])?
        .trim_matches(is_pad);
    if more_chars_than(inner, 40) || inner.contains(['（', '(', '。']) {
        return None;
    }
    let dateline = byline::dateline_end(inner) == Some(inner.len());
    let sourced = ["据", "来源", "转自", "摘自", "原载", "本文来源"]
        .iter()
        .any(|p| inner.starts_with(p));
    (dateline || sourced).then_some(inner)
}

/// `【相关链接】` → `相关链接`.
fn unbracketed(text: &str) -> &str {
    text.strip_prefix(['【', '〔', '['])
        .and_then(|t| t.strip_suffix(['】', '〕', ']']))
        .map_or(text, |t| t.trim_matches(is_pad))
}

/// Labels of editor's notes and summary boxes.
const NOTE_LABELS: [&str; 9] = [
    "编者按",
    "编者的话",
    "编后",
    "编后语",
    "核心阅读",
    "阅读提示",
    "导读",
    "内容提要",
    "提要",
];

/// Sidebar labels end like this: `相关链接`, `出行贴士`, `记者手记`, `亲历者说`.
const SIDEBAR_ENDINGS: [&str; 6] = ["链接", "贴士", "手记", "者说", "资料", "阅读"];
/// Sidebar labels that end otherwise.
const SIDEBAR_LABELS: [&str; 4] = ["名词解释", "延伸阅读", "小贴士", "数读"];

/// A short line naming a sidebar (相关链接, 知识链接 …).
fn is_sidebar_label(label: &str) -> bool {
    !more_chars_than(label, 6)
        && (SIDEBAR_LABELS.contains(&label) || SIDEBAR_ENDINGS.iter().any(|e| label.ends_with(e)))
        && !label.contains(is_pad)
        && label != "阅读"
}

/// A paragraph opening with a note's label: `编者按：…`, `【人物】…`.
pub fn is_note_paragraph(text: &str) -> bool {
    if let Some(rest) = text.strip_prefix('【')
        && let Some(end) = rest.find('】')
    {
        let label = &rest[..end];
        return !label.is_empty()
            && !more_chars_than(label, 6)
            && end + '】'.len_utf8() < rest.len();
    }
    NOTE_LABELS.iter().any(|label| {
        text.strip_prefix(label)
            .is_some_and(|rest| rest.starts_with(['：', ':']))
    })
}

/// `图为…`: a caption set as a paragraph of the text.
fn is_inline_caption(text: &str) -> bool {
    (text.starts_with("图为") || text.starts_with("圖為")) && more_chars_than(text, 4)
}

/// A date on a line of its own, as letters end: `2024年3月5日`,
/// `二〇二四年三月五日`.
pub fn is_date_line(text: &str) -> bool {
    let numeral = |c: char| {
        c.is_ascii_digit() || ('０'..='９').contains(&c) || "〇零一二三四五六七八九十".contains(c)
    };
    let mut parts = text.split(['年', '月']);
    let (Some(year), Some(month), Some(day), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let Some(day) = day.strip_suffix(['日', '号']) else {
        return false;
    };
    [year, month, day]
        .iter()
        .all(|p| !p.is_empty() && p.chars().count() <= 4 && p.chars().all(numeral))
}

/// Sentence punctuation that head lines do not carry.
fn is_prose(text: &str) -> bool {
    if text.contains(['。', '；', ';']) {
        return true;
    }
    if text.ends_with(['，', ',', '、', '：', ':']) {
        return true;
    }
    text.contains(['，', ',']) && more_chars_than(text, HEAD_MAX_CHARS_WITH_COMMA)
}

/// True for circled numbers ① to ⑳ that open an editor code.
fn is_circled_number(c: char) -> bool {
    ('\u{2460}'..='\u{2473}').contains(&c)
}

/// Splits a trailing editor code (`⑤3`: a circled number and digits) off.
pub fn split_editor_code(text: &str) -> (&str, Option<&str>) {
    let trimmed = text.trim_end_matches(is_pad);
    let digits =
        trimmed.trim_end_matches(|c: char| c.is_ascii_digit() || ('０'..='９').contains(&c));
    if digits.len() == trimmed.len() {
        return (text, None);
    }
    let Some(circled) = digits.chars().next_back() else {
        return (text, None);
    };
    if !is_circled_number(circled) {
        return (text, None);
    }
    let start = digits.len() - circled.len_utf8();
    let body = trimmed[..start].trim_end_matches(is_pad);
    (body, Some(&trimmed[start..]))
}

/// `第05版：科教`, `A05版 要闻`, `第5版`.
fn page_header(text: &str) -> Option<Kind> {
    if more_chars_than(text, 24) {
        return None;
    }
    let rest = text.strip_prefix('第').unwrap_or(text);
    let letters = rest.len()
        - rest
            .trim_start_matches(|c: char| c.is_ascii_alphabetic())
            .len();
    if letters > 1 {
        return None;
    }
    let after_letter = &rest[letters..];
    let digits = after_letter.len()
        - after_letter
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .len();
    if digits == 0 || digits > 3 {
        return None;
    }
    let page = &rest[..letters + digits];
    let after = after_letter[digits..].strip_prefix('版')?;
    let section =
        after.trim_matches(|c: char| is_pad(c) || matches!(c, '：' | ':' | '·' | '—' | '-' | '|'));
    if section.contains(['。', '，', ',']) {
        return None;
    }
    Some(Kind::PageHeader {
        page: page.to_owned(),
        section: (!section.is_empty()).then(|| section.to_owned()),
    })
}

/// Lines about the page's making, not its articles.
const METADATA_PREFIXES: [&str; 17] = [
    "版式设计",
    "版式設計",
    "本版制图",
    "本版製圖",
    "本版编辑",
    "本版編輯",
    "本版责编",
    "本版責編",
    "责任编辑",
    "責任編輯",
    "美术编辑",
    "美術編輯",
    "版面设计",
    "版面設計",
    "校对",
    "校對",
    "制图",
];

pub fn is_metadata(text: &str) -> bool {
    if text.len() <= 16 {
        let squeezed: String = text.chars().filter(|c| !is_pad(*c)).collect();
        if squeezed == "广告" || squeezed == "廣告" {
            return true;
        }
    }
    if !text.starts_with(['版', '本', '责', '責', '美', '校', '制']) {
        return false;
    }
    METADATA_PREFIXES.iter().any(|p| {
        text.strip_prefix(p)
            .is_some_and(|rest| rest.starts_with(['：', ':']) || rest.starts_with(is_pad))
    })
}

fn photo_label(text: &str) -> Option<&str> {
    let rest = text
        .strip_prefix("图片说明")
        .or_else(|| text.strip_prefix("圖片說明"))?;
    let rest = rest.trim_start_matches(|c: char| is_pad(c) || matches!(c, '：' | ':'));
    Some(rest)
}

/// `图①：投球`, `图1：…`, `上图：…` → the caption text.
fn placed_caption(text: &str) -> Option<&str> {
    let rest = text.strip_prefix(['图', '圖']).or_else(|| {
        [
            "上图", "下图", "左图", "右图", "中图", "上圖", "下圖", "左圖", "右圖",
        ]
        .iter()
        .find_map(|p| text.strip_prefix(p))
    })?;
    let rest = rest.trim_start_matches(|c: char| {
        is_circled_number(c) || c.is_ascii_digit() || "一二三四五六七八九十".contains(c)
    });
    let caption = rest.strip_prefix(['：', ':'])?;
    Some(caption.trim_start_matches(is_pad))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case::kicker("2023年全市科技工作暨党风廉政建设工作会议提出", Kind::Head)]
    #[case::headline("奋力建设区域创新高地", Kind::Head)]
    #[case::subheadline_with_dunhao("访市科技局党组书记、局长万小成", Kind::Head)]
    #[case::dash_subheadline("——记全国劳动模范张三", Kind::Head)]
    #[case::byline("记者 王伟 张宁 文/图", Kind::Byline)]
    #[case::byline_padded("本报记者  范昊天", Kind::Byline)]
    #[case::end_byline("（王 旭 姜 来）", Kind::EndByline)]
    #[case::credit("新华社记者  张玉薇摄", Kind::Credit)]
    #[case::paragraph("会议指出,2022年,全市科技工作全面贯彻新发展理念。", Kind::Body)]
    #[case::cut_remnant("技创新工作取得了显著成效。", Kind::Body)]
    #[case::page_header("第05版：科教", Kind::PageHeader { page: "05".into(), section: Some("科教".into()) })]
    #[case::page_header_letter("A05版 要闻", Kind::PageHeader { page: "A05".into(), section: Some("要闻".into()) })]
    #[case::layout_credit("版式设计：张三", Kind::Metadata)]
    #[case::chart_credit("本版制图：李四", Kind::Metadata)]
    #[case::advert("广告", Kind::Metadata)]
    #[case::photo_label("图片说明：", Kind::PhotoLabel(String::new()))]
    #[case::numbered_caption("图①：游客在景区游览。", Kind::Caption("游客在景区游览。".into()))]
    #[case::code_alone("⑤3", Kind::Code)]
    fn kinds(#[case] text: &str, #[case] kind: Kind) {
        assert_eq!(classify(text).kind, kind);
    }

    #[rstest]
    #[case::article_end(
        "为全面建设现代化驻马店作出新的更大贡献。⑤3",
        "为全面建设现代化驻马店作出新的更大贡献。",
        Some("⑤3")
    )]
    #[case::caption("投球。⑥2", "投球。", Some("⑥2"))]
    #[case::fullwidth_digits("投球。⑥２", "投球。", Some("⑥２"))]
    #[case::trailing_space("投球。⑥2  ", "投球。", Some("⑥2"))]
    #[case::circled_without_digits("图⑥", "图⑥", None)]
    #[case::digits_without_circle("第113个", "第113个", None)]
    fn editor_codes(#[case] text: &str, #[case] body: &str, #[case] code: Option<&str>) {
        assert_eq!(split_editor_code(text), (body, code));
    }
}
