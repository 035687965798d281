//! Plain data: what the archive is made of once parsed.
//!
//! Nothing here knows about files, terminals or configuration. The parser
//! fills these types, the library groups them, the typesetter and the views
//! read them. The serialised form is the JSON schema documented in README.md.

use serde::Serialize;

/// What the reader, the CLI and `--section`/`--date` call an article
/// whose date is not known.
pub const UNDATED: &str = "日期不详";

/// What the reader, the CLI and `--section` call the articles of no
/// section (a feed item without a category, a page without a 版面 name).
pub const NO_SECTION: &str = "未分版";

/// One article of a newspaper page or one item of a feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Article {
    /// Stable identifier: derived from the feed, the source file and the
    /// article's position in it, so it survives restarts.
    pub id: String,
    /// Feed id from the config, or `None` for `kanbao parse`.
    pub feed: Option<String>,
    /// Issue date `YYYY-MM-DD`, when the archive layout tells it.
    pub date: Option<String>,
    /// Section (版面) name, e.g. 要闻.
    pub section: Option<String>,
    /// Page number as printed, e.g. `05` or `A05`.
    pub page: Option<String>,
    /// Column banner (栏目) the article stands under.
    pub column: Option<String>,
    /// Kicker (引题), the short line above the headline.
    pub kicker: Option<String>,
    /// Headline (主题).
    pub title: Option<String>,
    /// Subheadline (副题).
    pub subtitle: Option<String>,
    pub byline: Option<Byline>,
    /// Body paragraphs, layout artifacts removed, text otherwise as stored.
    pub paragraphs: Vec<String>,
    /// What each paragraph is ([`Role`]), one per paragraph; a paragraph
    /// past the end of this list is [`Role::Text`].
    pub roles: Vec<Role>,
    /// A source note closing the text, e.g. `新华社北京10月1日电` from
    /// `（新华社北京10月1日电）`; the paragraph stays in `paragraphs`.
    pub source_note: Option<String>,
    /// Editor code closing the article, e.g. `⑤3`.
    pub editor_code: Option<String>,
    pub photos: Vec<Photo>,
    /// The web address of a feed item; `None` for newspaper pages.
    pub url: Option<String>,
    /// When a feed item was published (RFC 3339); `None` for pages.
    pub published: Option<String>,
    /// Links in a feed item's text, numbered in order; the text refers to
    /// link n as `[n]`.
    pub links: Vec<Link>,
    pub source: SourceRef,
    /// Set when the article came from the index without its body:
    /// what the list needs to show it. `None` once the text is read.
    #[serde(skip)]
    pub stub: Option<Stub>,
}

/// What a paragraph is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Running text.
    #[default]
    Text,
    /// A cross-head (小标题) between paragraphs, or the head of a sidebar
    /// (相关链接) that belongs to the story.
    Crosshead,
    /// An editor's note or summary box (编者按, 核心阅读, `【人物】…`).
    Note,
}

/// What the index keeps of an article besides its fields: a stand-in
/// title and the sizes of the parts left on disk.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stub {
    /// The start of the text, for pieces without headline or kicker.
    pub lead: String,
    pub counts: Counts,
}

/// How much an article holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub paragraphs: usize,
    pub photos: usize,
    pub links: usize,
    /// Characters of body text.
    pub characters: usize,
}

/// Who wrote the article: the byline as printed and the names in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Byline {
    /// The byline as printed, e.g. `记者 王伟 张宁 文/图`.
    pub text: String,
    /// Reporters (记者), names without padding.
    pub reporters: Vec<String>,
    /// Correspondents (通讯员).
    pub correspondents: Vec<String>,
}

/// A photo of the article: its caption, credit and editor code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Photo {
    pub caption: String,
    /// Photographer credit, e.g. `新华社记者 张玉薇摄`.
    pub credit: Option<String>,
    /// Editor code closing the caption, e.g. `⑥2`.
    pub code: Option<String>,
    /// Where the picture is, for feed items that carry one.
    pub url: Option<String>,
}

/// A link in a feed item's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    /// The linked text as it reads in the paragraph.
    pub text: String,
    pub url: String,
}

/// Where an article was read from (lines are 1-based and inclusive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceRef {
    pub path: String,
    pub first_line: usize,
    pub last_line: usize,
}

impl Article {
    /// An empty article read from `path`, lines `first..=last`.
    pub fn new(path: &str, first_line: usize, last_line: usize) -> Self {
        Article {
            id: String::new(),
            feed: None,
            date: None,
            section: None,
            page: None,
            column: None,
            kicker: None,
            title: None,
            subtitle: None,
            byline: None,
            paragraphs: Vec::new(),
            roles: Vec::new(),
            source_note: None,
            editor_code: None,
            photos: Vec::new(),
            url: None,
            published: None,
            links: Vec::new(),
            source: SourceRef {
                path: path.to_owned(),
                first_line,
                last_line,
            },
            stub: None,
        }
    }

    /// The role of paragraph `n`.
    pub fn role(&self, n: usize) -> Role {
        self.roles.get(n).copied().unwrap_or_default()
    }

    /// Adds a paragraph with its role.
    pub fn push_paragraph(&mut self, text: String, role: Role) {
        self.roles.resize(self.paragraphs.len(), Role::Text);
        self.paragraphs.push(text);
        self.roles.push(role);
    }

    /// Sizes of its parts: counted from the text, or kept by the index.
    pub fn counts(&self) -> Counts {
        match &self.stub {
            Some(stub) => stub.counts,
            None => Counts {
                paragraphs: self.paragraphs.len(),
                photos: self.photos.len(),
                links: self.links.len(),
                characters: self.paragraphs.iter().map(|p| p.chars().count()).sum(),
            },
        }
    }

    /// Its id, headline ([`Article::display_title`]) and byline, as a
    /// list shows it.
    pub fn list_row(&self) -> [&str; 3] {
        let byline = self.byline.as_ref().map_or("", |b| b.text.as_str());
        [&self.id, self.display_title(), byline]
    }

    /// The headline, or a stand-in taken from the text for untitled pieces.
    pub fn display_title(&self) -> &str {
        self.title
            .as_deref()
            .or(self.kicker.as_deref())
            .or(self.paragraphs.first().map(String::as_str))
            .or(self.stub.as_ref().map(|s| s.lead.as_str()))
            .or(self.photos.first().map(|p| p.caption.as_str()))
            .unwrap_or("")
    }
}

/// Something wrong with one source that did not stop the rest from loading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The file (or config entry) it concerns, as shown to the user.
    pub path: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// What is wrong and what to do about it.
    pub message: String,
}

impl Warning {
    pub fn new(path: &str, line: Option<usize>, message: impl Into<String>) -> Self {
        Warning {
            path: path.to_owned(),
            line,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.path, line, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

impl Serialize for Warning {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}
