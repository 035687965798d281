//! A feed item's paragraphs read the way a page's are.
//!
//! A feed that carries a newspaper's text carries its parts as paragraphs:
//! a byline line (`记者 王伟 张宁 文/图`) first or last, the credit line
//! (`本报讯（记者 …）`) opening the text, an editor code (`⑤3`) closing it,
//! and the photo captions (`投球。⑥2`) after it. The page's own recognisers
//! ([`classify`], the byline parsers) find them here too, so an item and the
//! page it came from give the same byline, code and captions.

use super::byline;
use super::chars::is_pad;
use super::classify::{self, Kind, classify};
use super::merge_byline;
use crate::model::{Byline, Photo, Role};

/// What a feed item's paragraphs hold once their parts are recognised.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Parts {
    pub byline: Option<Byline>,
    pub editor_code: Option<String>,
    /// The text, without the byline lines, the code and the captions.
    pub paragraphs: Vec<(String, Role)>,
    pub photos: Vec<Photo>,
}

/// Recognises the byline lines, the credit line, the editor code and the
/// captions in `paragraphs`. As on a page, a code closes the text: coded
/// paragraphs after it are captions. A byline line counts before the text
/// or after it, never in its middle.
pub fn parts(paragraphs: &[String]) -> Parts {
    let mut parts = Parts::default();
    let mut closed = false;
    let mut has_text = false;
    let last = paragraphs.len().saturating_sub(1);
    for (n, paragraph) in paragraphs.iter().enumerate() {
        let c = classify(paragraph.trim_matches(is_pad));
        let at_an_end = !has_text || closed || n == last;
        match &c.kind {
            Kind::Byline if at_an_end => {
                if let Some(b) = byline::parse_own_line(c.text) {
                    merge_byline(&mut parts.byline, b, false);
                    continue;
                }
            }
            Kind::EndByline if has_text => {
                if let Some(b) = byline::parse_end_line(c.text) {
                    merge_byline(&mut parts.byline, b, false);
                    continue;
                }
            }
            Kind::Caption(caption) => {
                parts.photos.push(photo(caption, c.code));
                continue;
            }
            Kind::PhotoLabel(caption) => {
                if !caption.is_empty() {
                    parts.photos.push(photo(caption, c.code));
                }
                continue;
            }
            Kind::Credit => {
                match parts.photos.last_mut().filter(|p| p.credit.is_none()) {
                    Some(photo) => photo.credit = Some(c.text.to_owned()),
                    None => parts.photos.push(Photo {
                        caption: String::new(),
                        credit: Some(c.text.to_owned()),
                        code: None,
                        url: None,
                    }),
                }
                continue;
            }
            Kind::Code => {
                let code = c.code.map(str::to_owned);
                match parts.photos.last_mut().filter(|p| p.code.is_none()) {
                    Some(photo) if closed => photo.code = code,
                    _ if parts.editor_code.is_none() => {
                        parts.editor_code = code;
                        closed = true;
                    }
                    _ => {}
                }
                continue;
            }
            _ => {}
        }
        if closed && c.code.is_some() {
            parts.photos.push(photo(c.text, c.code));
            continue;
        }
        if !has_text && let Some(credit) = byline::parse_credit_line(c.text) {
            merge_byline(&mut parts.byline, credit, true);
        }
        let role = if !has_text && classify::is_note_paragraph(c.text) {
            Role::Note
        } else {
            Role::Text
        };
        let text = match c.code {
            Some(_) => c.text.to_owned(),
            None => paragraph.clone(),
        };
        parts.paragraphs.push((text, role));
        has_text |= role == Role::Text;
        if let Some(code) = c.code {
            parts.editor_code = Some(code.to_owned());
            closed = true;
        }
    }
    parts
}

fn photo(caption: &str, code: Option<&str>) -> Photo {
    Photo {
        caption: caption.to_owned(),
        credit: None,
        code: code.map(str::to_owned),
        url: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(texts: &[&str]) -> Vec<String> {
        texts.iter().map(|t| (*t).to_owned()).collect()
    }

    #[test]
    fn byline_code_and_captions_are_found() {
        let p = parts(&strings(&[
            "记者 王伟 张宁 文/图",
            "本报讯（通讯员 袁浩楠）3月7日，运动会开幕。",
            "比赛精彩纷呈。⑤3",
            "投球。⑥2",
            "拔河。⑥2",
        ]));
        let byline = p.byline.unwrap_or_else(|| panic!("no byline"));
        assert_eq!(byline.reporters, ["王伟", "张宁"]);
        assert_eq!(byline.correspondents, ["袁浩楠"]);
        assert_eq!(p.editor_code.as_deref(), Some("⑤3"));
        let captions: Vec<(&str, Option<&str>)> = p
            .photos
            .iter()
            .map(|p| (p.caption.as_str(), p.code.as_deref()))
            .collect();
        assert_eq!(captions, [("投球。", Some("⑥2")), ("拔河。", Some("⑥2"))]);
        let texts: Vec<&str> = p.paragraphs.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(
            texts,
            [
                "本报讯（通讯员 袁浩楠）3月7日，运动会开幕。",
                "比赛精彩纷呈。"
            ]
        );
    }

    #[test]
    fn plain_text_stays_text() {
        let texts = strings(&["第一段。", "第二段，没有代码。"]);
        let p = parts(&texts);
        assert_eq!(p.byline, None);
        assert_eq!(p.editor_code, None);
        assert!(p.photos.is_empty());
        assert_eq!(p.paragraphs.len(), 2);
    }
}
