//! One article per file, as e-paper crawlers save it.
//!
//! Popular crawlers of 人民日报 and other e-paper sites write each article
//! to its own `YYYYMMDD-PP-NN.txt` (date, page 版, article number) in a
//! folder per day: line 1 the kicker (引题), line 2 the headline, line 3 the
//! subheadline (副题) — a slot the article lacks is an empty line — then
//! the body as `　　`-indented paragraphs, often with CRLF line ends.
//!
//! The shape is recognised from the text: a headline on line 2 with head
//! slots around it, the body from line 4. A file that starts with an empty
//! line (no kicker) is clearly one; one whose three slots are all filled
//! and whose body is indented reads the same whichever way it is taken; for
//! a kicker with an empty subheadline slot the file name must say it.

use super::chars::is_pad;
use super::classify::{Kind, classify};
use super::layout::raw_lines;

/// The three head slots of a crawler's article file, trimmed; an empty
/// string is an empty slot.
pub type Slots<'a> = [&'a str; 3];

/// The head slots when `text` has the crawler's shape; `path` is the
/// file's name or path.
pub fn slots<'a>(text: &'a str, path: &str) -> Option<Slots<'a>> {
    let mut lines = raw_lines(text).map(|(_, l)| l);
    let raw: [&str; 4] = [lines.next()?, lines.next()?, lines.next()?, lines.next()?];
    let [kicker, title, subtitle, body] = raw.map(|l| l.trim_matches(is_pad));
    if title.is_empty() || body.is_empty() {
        return None;
    }
    if raw[..3]
        .iter()
        .any(|l| l.starts_with(is_pad) && !l.trim_matches(is_pad).is_empty())
    {
        return None;
    }
    let head = |t: &str| matches!(classify(t).kind, Kind::Head);
    let slot = |t: &str| t.is_empty() || head(t) || classify(t).kind == Kind::Byline;
    if !head(title) || !slot(kicker) || !slot(subtitle) {
        return None;
    }
    let indented = raw[3].starts_with(is_pad);
    let shaped =
        kicker.is_empty() || file_date_page(path).is_some() || (!subtitle.is_empty() && indented);
    shaped.then_some([kicker, title, subtitle])
}

/// Date (`YYYY-MM-DD`) and page from a crawler's file name,
/// `20231001-04-02.txt`; `None` for any other name.
pub fn file_date_page(path: &str) -> Option<(String, String)> {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let stem = name.strip_suffix(".txt").unwrap_or(name);
    let mut parts = stem.split('-');
    let (Some(date), Some(page), Some(number), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(date, 8..=8) || !digits(page, 1..=3) || !digits(number, 1..=3) {
        return None;
    }
    let num = |r: std::ops::Range<usize>| date[r].parse::<u32>().ok();
    match (num(4..6), num(6..8)) {
        (Some(1..=12), Some(1..=31)) => Some((
            format!("{}-{}-{}", &date[..4], &date[4..6], &date[6..]),
            page.to_owned(),
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case::no_kicker("\r\n主题\r\n——副题\r\n　　正文。\r\n", "x.txt", Some(["", "主题", "——副题"]))]
    #[case::all_three("引题\n主题\n副题\n　　正文。\n", "x.txt", Some(["引题", "主题", "副题"]))]
    #[case::kicker_by_name("引题\n主题\n\n　　正文。\n", "20231001-01-02.txt", Some(["引题", "主题", ""]))]
    #[case::kicker_without_name("引题\n主题\n\n　　正文。\n", "page.txt", None)]
    #[case::sample_start("\n\n引题\n\n主题\n", "x.txt", None)]
    #[case::prose_on_line_two("\n会议指出，全市科技工作取得成效。\n\n正文\n", "x.txt", None)]
    fn shapes(#[case] text: &str, #[case] path: &str, #[case] want: Option<[&str; 3]>) {
        assert_eq!(slots(text, path), want);
    }

    #[rstest]
    #[case("20231001-04-02.txt", Some(("2023-10-01", "04")))]
    #[case("rmrb/20231001/20231001-12-10.txt", Some(("2023-10-01", "12")))]
    #[case("20231301-04-02.txt", None)]
    #[case("05-科教.txt", None)]
    #[case("20231001-04.txt", None)]
    fn file_names(#[case] path: &str, #[case] want: Option<(&str, &str)>) {
        let got = file_date_page(path);
        assert_eq!(got.as_ref().map(|(d, p)| (d.as_str(), p.as_str())), want);
    }
}
