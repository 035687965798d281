//! A feed item as kanbao stores it: one human-readable UTF-8 file.
//!
//! ```text
//! +++
//! guid = "https://example.com/news/1"
//! title = "奋力建设区域创新高地"
//! link = "https://example.com/news/1"
//! author = "新华社"
//! published = "2023-03-08T10:00:00+00:00"
//!
//! [[photos]]
//! url = "https://example.com/a.jpg"
//! caption = "投球。"
//!
//! [[links]]
//! text = "全文"
//! url = "https://example.com/full"
//! +++
//!
//! 第一段。
//!
//! 第二段。
//! ```
//!
//! The front matter is TOML; the body is the paragraphs separated by blank
//! lines. [`Item::to_file`] and [`Item::from_file`] are inverses, so a
//! stored item survives without the network and reads back exactly.

use serde::{Deserialize, Serialize};

use crate::model::{Article, Byline, Link, Photo, UNDATED};

/// The first line of a stored item file.
pub const FRONT_MATTER: &str = "+++";

/// One item of a feed, ready to store or read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// What identifies the item across fetches: its guid, else its link,
    /// else its title and date.
    pub guid: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kicker: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Subheadline (副题), from e-paper articles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtitle: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
    /// The date as the feed wrote it, when it could not be read: the item
    /// is kept undated, and reading it says so ([`Item::date_warning`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unreadable_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// The edition's date (`YYYY-MM-DD`) of an e-paper article, which
    /// wins over `published`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The 版面 number of an e-paper article, as printed: `01`, `A05`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<StoredPhoto>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<StoredLink>,
    /// Stored as the file's body, not in the front matter.
    #[serde(skip)]
    pub paragraphs: Vec<String>,
}

/// A photo in the front matter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredPhoto {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default)]
    pub caption: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit: Option<String>,
}

impl From<&Photo> for StoredPhoto {
    /// A photo as an item stores it (its editor code is a page's, not an
    /// item's).
    fn from(p: &Photo) -> StoredPhoto {
        StoredPhoto {
            url: p.url.clone(),
            caption: p.caption.clone(),
            credit: p.credit.clone(),
        }
    }
}

/// A link in the front matter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredLink {
    pub text: String,
    pub url: String,
}

impl From<&Link> for StoredLink {
    /// A link of an item's text as the front matter stores it.
    fn from(l: &Link) -> StoredLink {
        StoredLink {
            text: l.text.clone(),
            url: l.url.clone(),
        }
    }
}

impl Item {
    /// The file's text: front matter, blank line, paragraphs.
    pub fn to_file(&self) -> String {
        let head = toml::to_string(self).unwrap_or_default();
        let body: usize = self.paragraphs.iter().map(|p| p.len() + 2).sum();
        let mut out = String::with_capacity(head.len() + body + 16);
        out.push_str(FRONT_MATTER);
        out.push('\n');
        out.push_str(&head);
        if !head.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(FRONT_MATTER);
        out.push('\n');
        for p in &self.paragraphs {
            out.push('\n');
            // A paragraph never spans lines in the file.
            if p.contains(['\n', '\r']) {
                out.push_str(&p.replace(['\n', '\r'], " "));
            } else {
                out.push_str(p);
            }
            out.push('\n');
        }
        out
    }

    /// Reads an item file's text; the error says what is wrong and where.
    pub fn from_file(text: &str) -> Result<Item, String> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let rest = text
            .strip_prefix(FRONT_MATTER)
            .and_then(|r| r.strip_prefix('\n').or_else(|| r.strip_prefix("\r\n")))
            .ok_or("not a stored item: the first line is not +++")?;
        let end = find_closing(rest).ok_or("the front matter has no closing +++ line; add one")?;
        let head = &rest[..end];
        let body = rest[end..].strip_prefix(FRONT_MATTER).unwrap_or("");
        let mut item: Item = toml::from_str(head).map_err(|e| {
            let line = e
                .span()
                .map(|s| head[..s.start.min(head.len())].matches('\n').count() + 2)
                .unwrap_or(1);
            format!("front matter, line {line}: {}", e.message())
        })?;
        item.paragraphs = body
            .replace("\r\n", "\n")
            .split("\n\n")
            .map(|p| p.trim_matches(['\n', '\r', ' ']))
            .filter(|p| !p.is_empty())
            .map(|p| p.replace(['\n', '\r'], " "))
            .collect();
        Ok(item)
    }

    /// The edition's date, else the date the item was published (else
    /// updated), `YYYY-MM-DD`.
    pub fn date(&self) -> Option<String> {
        let stamp = (self.date.as_deref())
            .or(self.published.as_deref())
            .or(self.updated.as_deref())?;
        let date = stamp.get(..10)?;
        let b = date.as_bytes();
        (b.len() == 10 && b[4] == b'-' && b[7] == b'-').then(|| date.to_owned())
    }

    /// What to say about an item whose date could not be read: which
    /// item, and the text; `None` when it has a date or gave none.
    pub fn date_warning(&self) -> Option<String> {
        let text = self.unreadable_date.as_deref()?;
        if self.date().is_some() {
            return None;
        }
        let title = self.title.as_deref().or(self.kicker.as_deref());
        let which = match (title, self.link.as_deref()) {
            (Some(title), Some(link)) => format!("item \"{title}\" ({link})"),
            (Some(title), None) => format!("item \"{title}\""),
            (None, Some(link)) => format!("item {link}"),
            (None, None) => format!("item \"{}\"", self.guid),
        };
        Some(format!(
            "{which}: cannot read its date \"{text}\"; kept, listed under {UNDATED}"
        ))
    }

    /// The item as an article; `path` names its file.
    pub fn to_article(&self, path: &str) -> Article {
        let mut a = Article::new(path, 1, 1);
        a.kicker = self.kicker.clone();
        a.title = self.title.clone();
        a.subtitle = self.subtitle.clone();
        a.page = self.page.clone();
        // The paragraphs are read as a page's are: a byline line, the
        // credit line, the editor code and the captions found in them win
        // over the feed's author field, as the printed text is the fuller.
        let parts = super::page::item_parts(&self.paragraphs);
        a.byline = parts
            .byline
            .or_else(|| self.author.as_deref().map(author_byline));
        a.editor_code = parts.editor_code;
        for (text, role) in parts.paragraphs {
            a.push_paragraph(text, role);
        }
        a.date = self.date();
        a.section = self.category.clone();
        a.photos = self
            .photos
            .iter()
            .map(|p| Photo {
                caption: p.caption.clone(),
                credit: p.credit.clone(),
                code: None,
                url: p.url.clone(),
            })
            .chain(parts.photos)
            .collect();
        a.url = self.link.clone();
        a.published = self.published.clone().or_else(|| self.updated.clone());
        a.links = self
            .links
            .iter()
            .map(|l| Link {
                text: l.text.clone(),
                url: l.url.clone(),
            })
            .collect();
        a
    }
}

/// The byline of a feed's author field. `记者 高峰` reads like a page's
/// byline; a plain list of names is split at `,` `，` `、` `;` `；`, and at
/// spaces between Chinese names (`黄育南 张宁`) but not inside a name of
/// another script (`Jane Doe`).
fn author_byline(author: &str) -> Byline {
    if let Some(byline) = super::page::parse_byline(author) {
        return byline;
    }
    // Han, and the middle dot of transcribed names (`阿卜杜·克里木`).
    let han = |name: &str| {
        name.chars()
            .all(|c| matches!(c, '\u{3400}'..='\u{9fff}' | '\u{20000}'..='\u{3134f}' | '·' | '・'))
    };
    let mut reporters = Vec::new();
    for name in author.split([',', '，', '、', ';', '；']).map(str::trim) {
        if name.split_whitespace().all(han) {
            reporters.extend(name.split_whitespace().map(str::to_owned));
        } else if !name.is_empty() {
            reporters.push(name.to_owned());
        }
    }
    Byline {
        text: author.to_owned(),
        reporters,
        correspondents: Vec::new(),
    }
}

/// Where the closing `+++` line starts in `text` (after the opening line).
fn find_closing(text: &str) -> Option<usize> {
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_end_matches(['\n', '\r']) == FRONT_MATTER {
            return Some(at);
        }
        at += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item() -> Item {
        Item {
            guid: "https://example.com/news/1".into(),
            kicker: Some("2023年全市科技工作会议提出".into()),
            title: Some("奋力建设区域创新高地".into()),
            link: Some("https://example.com/news/1".into()),
            author: Some("黄育南、张宁".into()),
            published: Some("2023-03-08T10:00:00+00:00".into()),
            updated: None,
            category: Some("要闻".into()),
            photos: vec![StoredPhoto {
                url: Some("https://example.com/a.jpg".into()),
                caption: "投球。".into(),
                credit: None,
            }],
            links: vec![StoredLink {
                text: "全文".into(),
                url: "https://example.com/full".into(),
            }],
            paragraphs: vec!["第一段，有“引号”和 +++ 符号。".into(), "第二段。".into()],
            ..Item::default()
        }
    }

    #[test]
    fn an_epaper_article_round_trips_with_its_page_and_date() {
        let epaper = Item {
            subtitle: Some("——副题".into()),
            date: Some("2031-05-06".into()),
            page: Some("A05".into()),
            published: None,
            ..item()
        };
        let text = epaper.to_file();
        assert!(text.contains("page = \"A05\""), "{text}");
        assert_eq!(Item::from_file(&text), Ok(epaper.clone()));
        let article = epaper.to_article("x.txt");
        assert_eq!(article.date.as_deref(), Some("2031-05-06"));
        assert_eq!(article.page.as_deref(), Some("A05"));
        assert_eq!(article.subtitle.as_deref(), Some("——副题"));
        assert_eq!(article.section.as_deref(), Some("要闻"));
    }

    #[test]
    fn round_trip() {
        let text = item().to_file();
        assert!(text.starts_with("+++\n"));
        assert_eq!(Item::from_file(&text), Ok(item()));
    }

    #[test]
    fn crlf_files_read_too() {
        let text = item().to_file().replace('\n', "\r\n");
        assert_eq!(
            Item::from_file(&text).map(|i| i.paragraphs),
            Ok(item().paragraphs)
        );
    }

    #[test]
    fn article_fields() {
        let a = item().to_article("x.txt");
        assert_eq!(a.date.as_deref(), Some("2023-03-08"));
        assert_eq!(
            a.byline.map(|b| b.reporters),
            Some(vec!["黄育南".into(), "张宁".into()])
        );
        assert_eq!(
            a.photos[0].url.as_deref(),
            Some("https://example.com/a.jpg")
        );
        assert_eq!(a.url.as_deref(), Some("https://example.com/news/1"));
    }

    #[test]
    fn an_author_with_role_words_is_a_byline() {
        let item = Item {
            author: Some("记者 高峰 通讯员 李明".into()),
            ..item()
        };
        let byline = item.to_article("x.txt").byline;
        assert_eq!(
            byline.as_ref().map(|b| b.reporters.clone()),
            Some(vec!["高峰".into()])
        );
        assert_eq!(byline.map(|b| b.correspondents), Some(vec!["李明".into()]));
    }

    #[test]
    fn an_unreadable_date_is_kept_and_said_until_a_date_is_read() {
        let undated = Item {
            published: None,
            unreadable_date: Some("sometime soon".into()),
            ..item()
        };
        let text = undated.to_file();
        assert!(
            text.contains("unreadable_date = \"sometime soon\""),
            "{text}"
        );
        assert_eq!(Item::from_file(&text), Ok(undated.clone()));
        assert_eq!(undated.to_article("x.txt").date, None);
        assert_eq!(
            undated.date_warning().as_deref(),
            Some(
                "item \"奋力建设区域创新高地\" (https://example.com/news/1): \
                 cannot read its date \"sometime soon\"; kept, listed under 日期不详"
            )
        );
        let untitled = Item {
            title: None,
            kicker: None,
            ..undated.clone()
        };
        assert_eq!(
            untitled.date_warning().as_deref(),
            Some(
                "item https://example.com/news/1: cannot read its date \"sometime soon\"; \
                 kept, listed under 日期不详"
            )
        );
        let updated = Item {
            updated: Some("2023-03-09T08:00:00+08:00".into()),
            ..undated
        };
        assert_eq!(updated.date_warning(), None);
        assert_eq!(item().date_warning(), None);
    }

    #[test]
    fn broken_files_say_what_is_wrong() {
        assert_eq!(
            Item::from_file("hello"),
            Err("not a stored item: the first line is not +++".into())
        );
        assert_eq!(
            Item::from_file("+++\nguid = \"x\"\n"),
            Err("the front matter has no closing +++ line; add one".into())
        );
        let err = Item::from_file("+++\nguid = \"x\"\ncolour = 1\n+++\n")
            .err()
            .unwrap_or_default();
        assert!(
            err.starts_with("front matter, line 3: unknown field `colour`"),
            "{err}"
        );
    }
}
