//! Bylines and credit lines: who wrote an article, split into roles.
//!
//! Three printed forms are understood: a byline on its own line
//! (`本报记者  范昊天`, `记者 王伟 张宁 文/图`), a credit line opening the
//! first paragraph (`本报讯(记者 黄育南 通讯员 袁浩楠)3月7日,…`), and an end
//! byline in parentheses (`（王 旭 姜 来）`). Names padded with spaces to the
//! width of three characters (`王 旭`) are one name.

use crate::model::Byline;

use super::chars::{is_pad, more_chars_than};

/// Role words, longest first so that `本报记者` wins over `记者`.
const REPORTER_ROLES: [&str; 17] = [
    "本报特约记者",
    "人民日报记者",
    "本报见习记者",
    "本報特約記者",
    "新华社记者",
    "中新社记者",
    "新華社記者",
    "中央社記者",
    "本报记者",
    "本報記者",
    "特约记者",
    "见习记者",
    "实习记者",
    "特約記者",
    "實習記者",
    "记者",
    "記者",
];
const CORRESPONDENT_ROLES: [&str; 9] = [
    "本报通讯员",
    "本報通訊員",
    "特约通讯员",
    "特約通訊員",
    "本报实习生",
    "通讯员",
    "通訊員",
    "实习生",
    "實習生",
];
/// Words after the names that say what the people did.
const MARKERS: [&str; 17] = [
    "文/图",
    "文／图",
    "图/文",
    "图／文",
    "文/圖",
    "圖/文",
    "文并摄",
    "摄影",
    "攝影",
    "报道",
    "報導",
    "采写",
    "整理",
    "文",
    "图",
    "摄",
    "攝",
];
/// Longest byline, in characters.
const BYLINE_MAX_CHARS: usize = 48;
/// Longest name, in characters (minority names with `·` can be long).
const NAME_MAX_CHARS: usize = 8;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Reporter,
    Correspondent,
}

/// A byline on its own line; needs at least one role word.
pub fn parse_own_line(text: &str) -> Option<Byline> {
    parse_names(text, true).map(|(reporters, correspondents)| Byline {
        text: text.to_owned(),
        reporters,
        correspondents,
    })
}

/// An end byline: the whole line in parentheses, names with or without roles.
/// Its text is what stands inside the parentheses.
pub fn parse_end_line(text: &str) -> Option<Byline> {
    let inner = strip_parens(text)?;
    parse_names(inner, false).map(|(reporters, correspondents)| Byline {
        text: inner.to_owned(),
        reporters,
        correspondents,
    })
}

/// The credit line (电头) at the start of a first paragraph: `本报讯(记者 …)`,
/// `新华社北京9月30日电（记者 X）`. Returns the byline inside the
/// parentheses; `None` when there is no credit line or it names nobody.
pub fn parse_credit_line(paragraph: &str) -> Option<Byline> {
    let end = dateline_end(paragraph)?;
    let rest = paragraph[end..].trim_start_matches(is_pad);
    let open = rest.strip_prefix(['(', '（'])?;
    let close = open.find([')', '）'])?;
    let inner = open[..close].trim_matches(is_pad);
    let (reporters, correspondents) = parse_names(inner, true)?;
    Some(Byline {
        text: inner.to_owned(),
        reporters,
        correspondents,
    })
}

/// Where the dateline (电头) opening a paragraph ends: just after its `讯`
/// or `电` (`本报讯`, `本报电`, `本报北京9月30日电`, `新华社北京9月30日电`).
/// The words before it are a newspaper or agency, a place and a date, with
/// no punctuation; a space, a parenthesis or the text follows.
pub fn dateline_end(paragraph: &str) -> Option<usize> {
    // Looked for in the bytes: this runs on every line of every page.
    // 讯 E8 AE AF, 电 E7 94 B5, 訊 E8 A8 8A, 電 E9 9B BB: their last bytes
    // are rare enough to search for.
    let bytes = paragraph.as_bytes();
    let head = &bytes[..bytes.len().min(4 * DATELINE_MAX_CHARS)];
    let end = memchr::memchr3_iter(0xAF, 0xB5, 0x8A, head)
        .chain(memchr::memchr_iter(0xBB, head))
        .filter(|&i| {
            i >= 2
                && matches!(
                    &head[i - 2..=i],
                    [0xE8, 0xAE, 0xAF]
                        | [0xE7, 0x94, 0xB5]
                        | [0xE8, 0xA8, 0x8A]
                        | [0xE9, 0x9B, 0xBB]
                )
        })
        .min()?;
    let cut = end - 2;
    let prefix = paragraph.get(..cut)?;
    if more_chars_than(prefix, DATELINE_MAX_CHARS - 1) {
        return None;
    }
    let agency = ["报", "報", "社", "网", "網", "台", "刊"]
        .iter()
        .any(|a| prefix.contains(a));
    let dated = prefix.contains('月') && prefix.ends_with('日');
    if prefix.is_empty()
        || !(agency || dated)
        || prefix.contains(['，', '。', ',', '(', '（', '、', '：', ':', '“'])
    {
        return None;
    }
    Some(cut + '讯'.len_utf8())
}

/// A dateline is at most this many characters before its `电`.
const DATELINE_MAX_CHARS: usize = 24;

/// A photographer's credit line: `新华社记者  张玉薇摄`, `本报记者 李  强摄`,
/// `冯立新摄（影像中国）`, `（本报记者 张三 摄）`. The role may be left out;
/// a source after the credit (`（影像中国）`) is part of it.
pub fn parse_photo_credit(text: &str) -> Option<Byline> {
    let inner = strip_parens(text).unwrap_or(text);
    let inner = match inner.strip_suffix(['）', ')']) {
        Some(open) => match open.rfind(['（', '(']) {
            Some(i) => open[..i].trim_end_matches(is_pad),
            None => return None,
        },
        None => inner,
    };
    if more_chars_than(inner, CREDIT_MAX_CHARS) {
        return None;
    }
    let names = inner
        .strip_suffix("摄影")
        .or_else(|| inner.strip_suffix("攝影"))
        .or_else(|| inner.strip_suffix(['摄', '攝']))?;
    let (reporters, correspondents) = parse_names(names.trim_end_matches(is_pad), false)?;
    if reporters.len() + correspondents.len() > CREDIT_MAX_NAMES {
        return None;
    }
    Some(Byline {
        text: text.to_owned(),
        reporters,
        correspondents,
    })
}

/// A credit line is at most this many characters long, its source aside.
const CREDIT_MAX_CHARS: usize = 24;
/// Photographers named in one credit line, at most.
const CREDIT_MAX_NAMES: usize = 4;

fn strip_parens(text: &str) -> Option<&str> {
    let inner = text
        .strip_prefix(['（', '('])?
        .strip_suffix(['）', ')'])?
        .trim_matches(is_pad);
    (!inner.is_empty() && !inner.contains(['（', '(', '）', ')'])).then_some(inner)
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{20000}'..='\u{2ebef}' | '\u{f900}'..='\u{faff}')
}

fn is_name_char(c: char) -> bool {
    is_han(c) || matches!(c, '·' | '•' | '・')
}

/// Reporters and correspondents named in `text`, or `None` when `text` holds
/// anything but roles, names and markers.
fn parse_names(text: &str, need_role: bool) -> Option<(Vec<String>, Vec<String>)> {
    if more_chars_than(text, BYLINE_MAX_CHARS) || text.is_empty() {
        return None;
    }
    // Every role word ends with one of these: most lines are told apart
    // without trying them all.
    if need_role && !text.chars().any(|c| matches!(c, '者' | '员' | '員' | '生')) {
        return None;
    }
    let mut reporters = Vec::new();
    let mut correspondents = Vec::new();
    let mut role = None;
    let mut seen_role = false;
    // A lone character waiting for its padded second half (`王 旭`).
    let mut half: Option<&str> = None;

    let mut push = |name: String, role: Option<Role>| match role {
        Some(Role::Correspondent) => correspondents.push(name),
        _ => reporters.push(name),
    };

    for token in text
        .split(|c| is_pad(c) || c == '、')
        .filter(|t| !t.is_empty())
    {
        let (token_role, rest) = split_role(token);
        if token_role.is_some() {
            if half.is_some() {
                return None;
            }
            role = token_role;
            seen_role = true;
        }
        // The second half of a padded name may carry the marker: `李  强摄`.
        let rest = strip_marker_suffix(rest, if half.is_some() { 1 } else { 2 });
        if rest.is_empty() {
            continue;
        }
        if !rest.chars().all(is_name_char) || rest.chars().count() > NAME_MAX_CHARS {
            return None;
        }
        if rest.chars().count() == 1 {
            match half.take() {
                Some(first) => push(format!("{first}{rest}"), role),
                None => half = Some(rest),
            }
        } else {
            if half.is_some() {
                return None;
            }
            push(rest.to_owned(), role);
        }
    }
    if half.is_some() || (need_role && !seen_role) {
        return None;
    }
    (!reporters.is_empty() || !correspondents.is_empty()).then_some((reporters, correspondents))
}

fn split_role(token: &str) -> (Option<Role>, &str) {
    for role in REPORTER_ROLES {
        if let Some(rest) = token.strip_prefix(role) {
            return (Some(Role::Reporter), rest);
        }
    }
    for role in CORRESPONDENT_ROLES {
        if let Some(rest) = token.strip_prefix(role) {
            return (Some(Role::Correspondent), rest);
        }
    }
    (None, token)
}

/// `张玉薇摄` → `张玉薇`; a token that is only a marker → empty. A name
/// left must have at least `least` characters.
fn strip_marker_suffix(token: &str, least: usize) -> &str {
    if MARKERS.contains(&token) {
        return "";
    }
    for marker in ["摄", "攝", "文/图", "文／图", "文/圖"] {
        if let Some(name) = token.strip_suffix(marker)
            && name.chars().count() >= least
        {
            return name;
        }
    }
    token
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn names(b: Option<Byline>) -> Option<(Vec<String>, Vec<String>)> {
        b.map(|b| (b.reporters, b.correspondents))
    }

    fn v(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[rstest]
    #[case::one_reporter("记者 黄育南", &["黄育南"], &[])]
    #[case::words_and_pictures("记者 王伟 张宁 文/图", &["王伟", "张宁"], &[])]
    #[case::double_space("本报记者  范昊天", &["范昊天"], &[])]
    #[case::padded_names("本报记者 王 旭 姜 来", &["王旭", "姜来"], &[])]
    #[case::ideographic_padding("记者\u{3000}王\u{3000}旭", &["王旭"], &[])]
    #[case::both_roles("记者 黄育南 张宁 通讯员 袁浩楠", &["黄育南", "张宁"], &["袁浩楠"])]
    #[case::glued("记者张烁", &["张烁"], &[])]
    #[case::traditional("本報記者 陳志明 通訊員 林美華", &["陳志明"], &["林美華"])]
    #[case::photographer("新华社记者  张玉薇摄", &["张玉薇"], &[])]
    fn own_line(#[case] text: &str, #[case] reporters: &[&str], #[case] correspondents: &[&str]) {
        assert_eq!(
            names(parse_own_line(text)),
            Some((v(reporters), v(correspondents)))
        );
    }

    #[rstest]
    #[case::headline("奋力建设区域创新高地")]
    #[case::no_role("王伟 张宁")]
    #[case::sentence("记者 来到了现场，看到")]
    #[case::lone_half("记者 王")]
    fn not_a_byline(#[case] text: &str) {
        assert_eq!(parse_own_line(text), None);
    }

    #[rstest]
    #[case::one("（吴月辉）", &["吴月辉"])]
    #[case::padded("（王 旭 姜 来）", &["王旭", "姜来"])]
    #[case::half_width("(李 明)", &["李明"])]
    fn end_line(#[case] text: &str, #[case] reporters: &[&str]) {
        assert_eq!(names(parse_end_line(text)), Some((v(reporters), vec![])));
    }

    #[rstest]
    #[case::sample(
        "本报讯(记者 黄育南 张宁 通讯员 袁浩楠)3月7日,驻马店",
        Some("记者 黄育南 张宁 通讯员 袁浩楠")
    )]
    #[case::dated("本报北京9月30日电  （记者张烁）国务院", Some("记者张烁"))]
    #[case::agency("新华社北京9月30日电（记者 王 旭）记者从", Some("记者 王 旭"))]
    #[case::no_names("本报电 日前，记者从市教育局获悉", None)]
    #[case::traditional("本報訊(記者 陳志明 林美華)臺北市政府", Some("記者 陳志明 林美華"))]
    #[case::ordinary("会议指出,2022年,全市科技工作", None)]
    fn credit_lines(#[case] text: &str, #[case] byline: Option<&str>) {
        assert_eq!(
            parse_credit_line(text).map(|b| b.text),
            byline.map(str::to_owned)
        );
    }
}
