//! The page parser: the plain text of one newspaper page → articles.
//!
//! [`layout`] cuts the text into pieces (logical lines) with the blank-line
//! gaps between them, [`classify`] says what each piece looks like, and the
//! assembler here walks the pieces in order and builds articles: a run of
//! head lines opens an article, paragraphs fill it, an editor code closes it,
//! short coded lines after a closed article are photo captions. It is a pure
//! function of the text: it never panics and reports what it could not place
//! as warnings, never by dropping text. Control characters and terminal
//! escape sequences are removed first ([`crate::sanitize`]).

mod byline;
mod classify;
mod layout;

use crate::model::{Article, Byline, Photo, Warning};

use classify::{Classified, Kind, classify};
use layout::Piece;

/// The articles of one page and what went wrong reading them.
#[derive(Debug, Clone, Default)]
pub struct ParsedPage {
    pub articles: Vec<Article>,
    pub warnings: Vec<Warning>,
    /// Page number from the page header line, e.g. `05`.
    pub page: Option<String>,
    /// Section from the page header line, e.g. `科教`.
    pub section: Option<String>,
}

/// Captions are at most this many characters long.
const CAPTION_MAX_CHARS: usize = 40;

/// Parses the text of one page; `path` names it in source refs and warnings.
pub fn parse(text: &str, path: &str) -> ParsedPage {
    // Escape sequences are not text: they must neither reach a terminal nor
    // change how a line is read (the `;` of an OSC is no sentence end).
    let text = crate::sanitize::sanitize_keeping_lines(text);
    let text = text.as_ref();
    let pieces = layout::pieces(text, |t| {
        !matches!(classify(t).kind, Kind::Body | Kind::Head)
    });
    let elements: Vec<Element<'_>> = pieces
        .iter()
        .map(|piece| Element {
            piece,
            class: classify(&piece.text),
        })
        .collect();
    let mut assembler = Assembler::new(path);
    assembler.run(&elements);
    assembler.finish()
}

/// A byline written as text (`记者 王伟 张宁 文/图`), split into reporters
/// and correspondents; `None` when it is not one. Feed items use it for
/// their author fields.
pub fn parse_byline(text: &str) -> Option<Byline> {
    byline::parse_own_line(text.trim())
}

/// True for lines that describe the page rather than hold article text: the
/// page header, layout credits, `图片说明：` and a lone `广告`.
pub fn is_layout_metadata(line: &str) -> bool {
    matches!(
        classify(line.trim_matches(layout::is_pad)).kind,
        Kind::PageHeader { .. } | Kind::Metadata | Kind::PhotoLabel(_)
    )
}

struct Element<'a> {
    piece: &'a Piece,
    class: Classified<'a>,
}

impl Element<'_> {
    fn gap(&self) -> usize {
        self.piece.gap
    }
}

/// An article being built, with what the assembler needs to know about it.
struct Draft {
    article: Article,
    /// Still taking paragraphs (no editor code yet, no new headline).
    open: bool,
    /// The last paragraph ends mid-sentence: the page layout cut it.
    cut: bool,
    /// Index of the page unit (text between wide gaps) it started in.
    unit: usize,
}

struct Assembler<'p> {
    path: &'p str,
    drafts: Vec<Draft>,
    warnings: Vec<Warning>,
    /// Photos seen before any article.
    orphan_photos: Vec<Photo>,
    unit: usize,
    /// Column banner for the articles that follow in this unit.
    banner: Option<String>,
    /// Column banner standing alone before a wide gap: for the next unit.
    carried_banner: Option<(String, usize)>,
    /// A carried banner no article has taken yet, with its line.
    untaken_banner: Option<(String, usize)>,
    /// Inside a `图片说明` block or after numbered captions.
    photo_block: bool,
    page: Option<String>,
    section: Option<String>,
}

impl<'p> Assembler<'p> {
    fn new(path: &'p str) -> Self {
        Assembler {
            path,
            drafts: Vec::new(),
            warnings: Vec::new(),
            orphan_photos: Vec::new(),
            unit: 0,
            banner: None,
            carried_banner: None,
            untaken_banner: None,
            photo_block: false,
            page: None,
            section: None,
        }
    }

    fn run(&mut self, elements: &[Element<'_>]) {
        let mut i = 0;
        while i < elements.len() {
            let element = &elements[i];
            if i == 0 || element.gap() >= 2 {
                self.unit += 1;
                self.headline_only_banner();
                self.banner = self.carried_banner.as_ref().map(|(b, _)| b.clone());
                self.untaken_banner = self.carried_banner.take();
            }
            if element.class.kind == Kind::Head {
                i = self.heads(elements, i);
                continue;
            }
            let previous_was_caption = i > 0 && self.is_caption(&elements[i - 1]);
            self.element(element, previous_was_caption);
            i += 1;
        }
    }

    fn is_caption(&self, element: &Element<'_>) -> bool {
        matches!(element.class.kind, Kind::Caption(_))
            || (element.class.kind == Kind::Body
                && element.class.code.is_some()
                && !classify::more_chars_than(element.class.text, CAPTION_MAX_CHARS))
    }

    /// A run of head lines starting at `start`; returns where it ends.
    fn heads(&mut self, elements: &[Element<'_>], start: usize) -> usize {
        let mut end = start + 1;
        while end < elements.len()
            && elements[end].class.kind == Kind::Head
            && elements[end].gap() < 2
        {
            end += 1;
        }
        let run = &elements[start..end];
        let lines: Vec<&str> = run.iter().map(|e| e.class.text).collect();
        let first_line = run[0].piece.first_line;
        let last_line = run[run.len() - 1].piece.last_line;
        let next = elements.get(end);
        let next_in_unit = next.filter(|e| e.gap() < 2);
        let opens_article = next_in_unit
            .is_some_and(|e| matches!(e.class.kind, Kind::Body | Kind::Byline | Kind::EndByline));
        self.close_open();

        if opens_article {
            let (banner, lines) = split_banner(&lines);
            if let Some(banner) = banner {
                // A new banner replaces one carried from before a wide gap.
                self.headline_only_banner();
                self.banner = Some(banner);
            }
            let draft = self.start(first_line, last_line);
            let (kicker, title, subtitle) = assign_heads(lines);
            draft.article.kicker = kicker;
            draft.article.title = title;
            draft.article.subtitle = subtitle;
            self.photo_block = false;
        } else if let Some(last) = self.drafts.last_mut().filter(|d| d.unit == self.unit) {
            // A banner printed after the article it belongs to.
            let banner = lines.join(" ");
            let column = match last.article.column.take() {
                Some(old) => format!("{old} {banner}"),
                None => banner,
            };
            last.article.column = Some(column);
            last.article.source.last_line = last_line;
        } else if next.is_some_and(|e| e.gap() >= 2) {
            self.carried_banner = Some((lines.join(" "), first_line));
        } else {
            let draft = self.start(first_line, last_line);
            let (kicker, title, subtitle) = assign_heads(&lines);
            draft.article.kicker = kicker;
            draft.article.title = title;
            draft.article.subtitle = subtitle;
            if next.is_none() {
                self.warn(
                    first_line,
                    "headline without text; shown as an article of its own",
                );
            }
        }
        end
    }

    fn element(&mut self, element: &Element<'_>, previous_was_caption: bool) {
        let piece = element.piece;
        let text = element.class.text;
        let code = element.class.code;
        match &element.class.kind {
            Kind::Head => {}
            Kind::Body => {
                let caption_like = code.is_some()
                    && !classify::more_chars_than(text, CAPTION_MAX_CHARS)
                    && (self.open().is_none() || element.gap() >= 2 || previous_was_caption);
                let in_photo_block = self.photo_block
                    && self.open().is_none()
                    && !classify::more_chars_than(text, CAPTION_MAX_CHARS);
                if caption_like || in_photo_block {
                    self.close_open();
                    self.photo(
                        Photo {
                            caption: text.to_owned(),
                            credit: None,
                            code: code.map(str::to_owned),
                            url: None,
                        },
                        piece,
                    );
                } else {
                    self.paragraph(text, code, piece);
                }
            }
            Kind::Byline | Kind::EndByline => {
                let parsed = if element.class.kind == Kind::Byline {
                    byline::parse_own_line(text)
                } else {
                    byline::parse_end_line(text)
                };
                let index = match self.open() {
                    Some(index) => index,
                    None if element.class.kind == Kind::EndByline && !self.drafts.is_empty() => {
                        self.drafts.len() - 1
                    }
                    None => {
                        self.warn(
                            piece.first_line,
                            "byline without a headline; shown as an untitled article",
                        );
                        self.start(piece.first_line, piece.last_line);
                        self.drafts.len() - 1
                    }
                };
                if let (Some(draft), Some(parsed)) = (self.drafts.get_mut(index), parsed) {
                    merge_byline(&mut draft.article.byline, parsed, false);
                    draft.article.source.last_line = piece.last_line;
                }
            }
            Kind::PhotoLabel(rest) => {
                self.close_open();
                self.photo_block = true;
                if !rest.is_empty() {
                    self.caption(rest, code, piece);
                }
            }
            Kind::Caption(caption) => {
                self.close_open();
                self.photo_block = true;
                self.caption(caption, code, piece);
            }
            Kind::Credit => self.credit(text, piece),
            Kind::PageHeader { page, section } => {
                if self.page.is_none() && self.section.is_none() {
                    self.page = Some(page.clone());
                    self.section = section.clone();
                }
            }
            Kind::Metadata => {}
            Kind::Code => self.lone_code(code, piece),
        }
    }

    fn open(&self) -> Option<usize> {
        self.drafts
            .last()
            .filter(|d| d.open)
            .map(|_| self.drafts.len() - 1)
    }

    fn close_open(&mut self) {
        if let Some(draft) = self.drafts.last_mut() {
            draft.open = false;
        }
    }

    fn start(&mut self, first_line: usize, last_line: usize) -> &mut Draft {
        self.close_open();
        let mut article = Article::new(self.path, first_line, last_line);
        article.column = self.banner.clone();
        self.untaken_banner = None;
        article.photos = std::mem::take(&mut self.orphan_photos);
        self.drafts.push(Draft {
            article,
            open: true,
            cut: false,
            unit: self.unit,
        });
        let index = self.drafts.len() - 1;
        &mut self.drafts[index]
    }

    fn paragraph(&mut self, text: &str, code: Option<&str>, piece: &Piece) {
        let index = match self.open() {
            Some(index) => index,
            None => {
                self.warn(
                    piece.first_line,
                    "text without a headline; shown as an untitled article",
                );
                self.start(piece.first_line, piece.last_line);
                self.drafts.len() - 1
            }
        };
        let Some(draft) = self.drafts.get_mut(index) else {
            return;
        };
        let article = &mut draft.article;
        match article.paragraphs.last_mut() {
            Some(last) if draft.cut && !piece.indented => last.push_str(text),
            _ => {
                if article.paragraphs.is_empty()
                    && let Some(credit) = byline::parse_credit_line(text)
                {
                    merge_byline(&mut article.byline, credit, true);
                }
                article.paragraphs.push(text.to_owned());
            }
        }
        draft.cut = code.is_none() && !ends_sentence(text);
        article.source.last_line = piece.last_line;
        if let Some(code) = code {
            article.editor_code = Some(code.to_owned());
            draft.open = false;
        }
    }

    fn caption(&mut self, caption: &str, code: Option<&str>, piece: &Piece) {
        self.photo(
            Photo {
                caption: caption.to_owned(),
                credit: None,
                code: code.map(str::to_owned),
                url: None,
            },
            piece,
        );
    }

    fn photo(&mut self, photo: Photo, piece: &Piece) {
        match self.drafts.last_mut() {
            Some(draft) => {
                draft.article.photos.push(photo);
                draft.article.source.last_line = piece.last_line;
            }
            None => self.orphan_photos.push(photo),
        }
    }

    fn last_photo(&mut self) -> Option<&mut Photo> {
        match self.drafts.last_mut() {
            Some(draft) => draft.article.photos.last_mut(),
            None => self.orphan_photos.last_mut(),
        }
    }

    fn credit(&mut self, text: &str, piece: &Piece) {
        match self.last_photo() {
            Some(photo) if photo.credit.is_none() => photo.credit = Some(text.to_owned()),
            _ => self.photo(
                Photo {
                    caption: String::new(),
                    credit: Some(text.to_owned()),
                    code: None,
                    url: None,
                },
                piece,
            ),
        }
    }

    fn lone_code(&mut self, code: Option<&str>, piece: &Piece) {
        let Some(code) = code else { return };
        if let Some(index) = self.open()
            && let Some(draft) = self.drafts.get_mut(index)
        {
            draft.article.editor_code = Some(code.to_owned());
            draft.article.source.last_line = piece.last_line;
            draft.open = false;
            return;
        }
        if let Some(photo) = self.last_photo().filter(|p| p.code.is_none()) {
            photo.code = Some(code.to_owned());
            return;
        }
        if let Some(draft) = self
            .drafts
            .last_mut()
            .filter(|d| d.article.editor_code.is_none())
        {
            draft.article.editor_code = Some(code.to_owned());
            return;
        }
        self.warn(
            piece.first_line,
            format!("editor code {code} belongs to no article; ignored"),
        );
    }

    fn warn(&mut self, line: usize, message: impl Into<String>) {
        self.warnings
            .push(Warning::new(self.path, Some(line), message));
    }

    /// A banner carried over a wide gap that no article took is a headline
    /// of its own: nothing printed is dropped.
    fn headline_only_banner(&mut self) {
        if let Some((banner, line)) = self.untaken_banner.take() {
            self.warn(
                line,
                "headline without text; shown as an article of its own",
            );
            self.banner = None;
            let draft = self.start(line, line);
            draft.article.title = Some(banner);
        }
    }

    fn finish(mut self) -> ParsedPage {
        self.headline_only_banner();
        self.untaken_banner = self.carried_banner.take();
        self.headline_only_banner();
        if !self.orphan_photos.is_empty() {
            self.warn(
                1,
                "photo captions without an article; shown as an untitled article",
            );
            let line = 1;
            self.start(line, line);
        }
        let page = self.page;
        let section = self.section;
        let articles = self
            .drafts
            .into_iter()
            .map(|d| {
                let mut article = d.article;
                article.page = page.clone();
                article.section = section.clone();
                article
            })
            .collect();
        ParsedPage {
            articles,
            warnings: self.warnings,
            page,
            section,
        }
    }
}

/// Punctuation that can end a paragraph; anything else means the printed
/// column cut it mid-sentence.
fn ends_sentence(text: &str) -> bool {
    text.ends_with([
        '。', '！', '？', '!', '?', '…', '”', '’', '」', '』', '）', ')', '》', '】', '：', ':',
        '；', ';', '.', '—',
    ])
}

/// Adds `new` to an article's byline. A credit line's text stays in its
/// paragraph, so it only adds names; a byline line's text is kept too.
fn merge_byline(into: &mut Option<Byline>, new: Byline, from_credit_line: bool) {
    match into {
        None => *into = Some(new),
        Some(old) => {
            let adds_names = new.reporters.iter().any(|n| !old.reporters.contains(n))
                || new
                    .correspondents
                    .iter()
                    .any(|n| !old.correspondents.contains(n));
            if adds_names || !from_credit_line {
                old.text = format!("{} {}", old.text, new.text);
            }
            for name in new.reporters {
                if !old.reporters.contains(&name) {
                    old.reporters.push(name);
                }
            }
            for name in new.correspondents {
                if !old.correspondents.contains(&name) {
                    old.correspondents.push(name);
                }
            }
        }
    }
}

/// Column names end like this (`新闻速递`, `局长访谈`).
const BANNER_ENDINGS: [&str; 26] = [
    "速递", "简讯", "快讯", "短讯", "简报", "速览", "传真", "集锦", "一览", "动态", "纵横", "视点",
    "观察", "点评", "聚焦", "热点", "专栏", "访谈", "时评", "特写", "播报", "速读", "综述", "连线",
    "走笔", "关注",
];
const BANNER_MAX_CHARS: usize = 10;

/// A column banner printed above a head group: `新闻速递` / headline.
fn split_banner<'a, 'b>(lines: &'b [&'a str]) -> (Option<String>, &'b [&'a str]) {
    match lines {
        [first, rest @ ..] if !rest.is_empty() => {
            let short = first.chars().count() <= BANNER_MAX_CHARS;
            if short && BANNER_ENDINGS.iter().any(|e| first.ends_with(e)) {
                (Some((*first).to_owned()), rest)
            } else {
                (None, lines)
            }
        }
        _ => (None, lines),
    }
}

/// Verbs that end a kicker (`…会议提出`).
const KICKER_ENDINGS: [&str; 16] = [
    "提出", "指出", "强调", "要求", "表示", "宣布", "发布", "召开", "举行", "部署", "透露", "获悉",
    "出台", "印发", "显示", "认为",
];

fn is_subheadline(line: &str) -> bool {
    line.starts_with(['—', '─', '－', '-']) || line.starts_with('访') || line.starts_with("专访")
}

fn is_kicker(line: &str, next: &str) -> bool {
    KICKER_ENDINGS.iter().any(|e| line.ends_with(e))
        || line.ends_with(['：', ':'])
        || 2 * line.chars().count() >= 3 * next.chars().count()
}

type Heads = (Option<String>, Option<String>, Option<String>);

/// Kicker, headline and subheadline from a group of head lines.
fn assign_heads(lines: &[&str]) -> Heads {
    let own = |s: &str| Some(s.to_owned());
    match lines {
        [] => (None, None, None),
        [title] => (None, own(title), None),
        [a, b] if is_subheadline(b) => (None, own(a), own(b)),
        [a, b] if is_kicker(a, b) => (own(a), own(b), None),
        [a, b] => (None, own(a), own(b)),
        [a, b, c] => (own(a), own(b), own(c)),
        [a, middle @ .., z] if is_subheadline(z) => (own(a), Some(middle.join(" ")), own(z)),
        [a, rest @ ..] => (own(a), Some(rest.join(" ")), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case::kicker_and_headline(&["2023年全市科技工作暨党风廉政建设工作会议提出", "奋力建设区域创新高地"], (Some("2023年全市科技工作暨党风廉政建设工作会议提出"), Some("奋力建设区域创新高地"), None))]
    #[case::headline_and_interview(&["学用结合 推进科技工作上新台阶", "访市科技局党组书记、局长万小成"], (None, Some("学用结合 推进科技工作上新台阶"), Some("访市科技局党组书记、局长万小成")))]
    #[case::dash(&["奋斗者", "——记全国劳模张三"], (None, Some("奋斗者"), Some("——记全国劳模张三")))]
    #[case::three(&["引题", "主题", "副题"], (Some("引题"), Some("主题"), Some("副题")))]
    #[case::four(&["引题", "主题上", "主题下", "——副题"], (Some("引题"), Some("主题上 主题下"), Some("——副题")))]
    fn heads(#[case] lines: &[&str], #[case] want: (Option<&str>, Option<&str>, Option<&str>)) {
        let (k, t, s) = assign_heads(lines);
        assert_eq!((k.as_deref(), t.as_deref(), s.as_deref()), want);
    }

    #[test]
    fn cut_paragraph_is_joined_but_headline_is_not() {
        let text = "标题一\n\n会议指出，全市科技工作全面贯彻新发展理念，推动科\n\n技创新工作取得了成效。\n\n标题二\n\n正文在这里，很长。";
        let page = parse(text, "p.txt");
        assert_eq!(page.articles.len(), 2);
        assert_eq!(
            page.articles[0].paragraphs,
            vec!["会议指出，全市科技工作全面贯彻新发展理念，推动科技创新工作取得了成效。"]
        );
        assert_eq!(page.articles[1].title.as_deref(), Some("标题二"));
    }

    #[test]
    fn paragraph_cut_before_a_headline_stays_apart() {
        let text = "标题一\n\n会议指出，全市科技工作全面贯彻新发展理念，推动科\n\n标题二\n\n正文在这里，很长。";
        let page = parse(text, "p.txt");
        assert_eq!(page.articles.len(), 2);
        assert_eq!(
            page.articles[0].paragraphs,
            vec!["会议指出，全市科技工作全面贯彻新发展理念，推动科"]
        );
    }

    #[test]
    fn text_before_any_headline_is_kept_with_a_warning() {
        let page = parse("开头一段没有标题，照样保留。", "p.txt");
        assert_eq!(page.articles.len(), 1);
        assert_eq!(page.articles[0].paragraphs.len(), 1);
        assert_eq!(page.warnings.len(), 1);
        assert!(
            page.warnings[0]
                .to_string()
                .starts_with("p.txt:1: text without a headline")
        );
    }

    #[test]
    fn empty_and_advert_pages_have_no_articles() {
        assert!(parse("", "p.txt").articles.is_empty());
        assert!(parse("\n\n广 告\n", "p.txt").articles.is_empty());
    }
}
