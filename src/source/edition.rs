//! An e-paper edition as one of its 版面 pages tells it: plain data, read
//! by [`super::epaper`] and carried with a parsed file
//! ([`super::page::ParsedPage::edition`]).

use serde::Serialize;

/// One 版面 of an edition, as the 版面 list names it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PageLink {
    /// As printed: `01`, `A05`.
    pub number: String,
    /// The section: `要闻`; `None` when the label has only the number.
    pub name: Option<String>,
    pub url: String,
}

/// One article link of a 版面.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ArticleLink {
    pub title: String,
    pub url: String,
}

/// A 版面 page: where it stands in the edition and what it links to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Edition {
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    /// This 版面's number and section, when the page tells which it is.
    pub page: Option<String>,
    pub section: Option<String>,
    /// The printed page as PDF, and as an image.
    pub pdf: Option<String>,
    pub image: Option<String>,
    /// Every 版面 of the edition, in order.
    pub pages: Vec<PageLink>,
    /// This 版面's articles, in order, each once.
    pub articles: Vec<ArticleLink>,
}
