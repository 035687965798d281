//! The page parser: the plain text of one newspaper page → articles.
//!
//! [`layout`] cuts the text into pieces (logical lines, hard-wrapped lines
//! joined again) with the blank-line gaps between them, [`classify`] says
//! what each piece looks like, and the assembler here walks the pieces in
//! order and builds articles: a run of head lines opens an article,
//! paragraphs fill it, an editor code closes it, short coded lines after a
//! closed article are photo captions. Inside an article, a short head line
//! between paragraphs is a cross-head, labelled boxes are notes, and a
//! sidebar label keeps its box with the story above. [`crawler`] reads the
//! head slots of one-article files; [`byline`] reads names and datelines;
//! [`chars`] holds the character classes all of them share, so that no two
//! of these modules import each other. It is a pure function of the text: it
//! never panics and reports what it could not place as warnings, never by
//! dropping text. Control characters and terminal escape sequences are
//! removed first ([`crate::sanitize`]).

mod byline;
mod chars;
mod classify;
mod crawler;
mod layout;
mod paragraphs;

use crate::model::{Article, Byline, Photo, Role, Warning};

use chars::ends_sentence;
use classify::{Classified, Kind, classify};
use layout::{LineClass, LineKind};

/// A piece of the page with its class, when it is one line.
type Piece<'a> = layout::Piece<'a, Classified<'a>>;

pub use crawler::file_date_page;
pub use paragraphs::{Parts, parts as item_parts};

/// The articles of one page and what went wrong reading them.
#[derive(Debug, Clone, Default)]
pub struct ParsedPage {
    pub articles: Vec<Article>,
    pub warnings: Vec<Warning>,
    /// Page number from the page header line, e.g. `05`.
    pub page: Option<String>,
    /// Section from the page header line, e.g. `科教`.
    pub section: Option<String>,
    /// A saved e-paper 版面 page: the edition it belongs to and its links
    /// (such a page holds no articles of its own).
    pub edition: Option<super::edition::Edition>,
    /// A feed file (RSS, Atom, JSON Feed): the feed's own title, if it has
    /// one, and `Some` even without one (then `Some(None)`).
    pub feed: Option<Option<String>>,
    /// A bundle of stored feed items ([`crate::source::bundle`]): for each
    /// article, the file name its item would have on its own, which its id
    /// is made from; empty for every other file.
    pub item_names: Vec<String>,
}

/// Captions are at most this many characters long.
const CAPTION_MAX_CHARS: usize = 40;

/// Parses the text of one page; `path` names it in source refs and
/// warnings, and a crawler's file name (`20231001-04-02.txt`) gives the
/// articles their date and page.
pub fn parse(text: &str, path: &str) -> ParsedPage {
    // Escape sequences are not text: they must neither reach a terminal nor
    // change how a line is read (the `;` of an OSC is no sentence end).
    let text = crate::sanitize::sanitize_keeping_lines(text);
    let text = text.as_ref();
    let slots = crawler::slots(text, path);
    let skip = if slots.is_some() { 3 } else { 0 };
    let pieces = layout::pieces(text, skip, classify, line_class);
    let elements: Vec<Element<'_>> = pieces
        .iter()
        .map(|piece| Element {
            piece,
            class: piece.class.clone().unwrap_or_else(|| classify(&piece.text)),
        })
        .collect();
    let mut assembler = Assembler::new(path);
    if let Some(slots) = slots {
        assembler.slots(slots);
    }
    assembler.run(&elements);
    let mut page = assembler.finish();
    if let Some((date, number)) = crawler::file_date_page(path) {
        page.page.get_or_insert(number);
        for a in &mut page.articles {
            a.date = Some(date.clone());
            a.page.clone_from(&page.page);
        }
    }
    page
}

/// What the layout needs to know of a line: whether it may join others.
fn line_class(c: &Classified<'_>) -> LineClass {
    let dateline =
        matches!(c.kind, Kind::Body | Kind::Head) && byline::dateline_end(c.text).is_some();
    let kind = match c.kind {
        // What opens a paragraph, and only a paragraph: a dateline, a
        // note's label, a source note.
        Kind::Body | Kind::Head
            if dateline
                || classify::is_note_paragraph(c.text)
                || classify::source_note(c.text).is_some() =>
        {
            LineKind::Lead
        }
        Kind::Head => LineKind::Head,
        Kind::Body => LineKind::Text,
        Kind::Caption(_) | Kind::InlineCaption | Kind::PhotoLabel(_) => LineKind::Lead,
        _ => LineKind::Alone,
    };
    LineClass {
        kind,
        closes: c.code.is_some(),
        runs_on: dateline,
    }
}

/// A byline written as text (`记者 王伟 张宁 文/图`), split into reporters
/// and correspondents; `None` when it is not one. Feed items use it for
/// their author fields.
pub fn parse_byline(text: &str) -> Option<Byline> {
    byline::parse_own_line(text.trim())
}

/// A photographer's credit written as text (`新华社记者 张玉薇摄`,
/// `冯立新摄（影像中国）`), with the names in it; `None` when it is not one.
/// Feed items use it for the credits in their captions.
pub fn parse_photo_credit(text: &str) -> Option<Byline> {
    byline::parse_photo_credit(text.trim())
}

/// True for lines that describe the page rather than hold article text: the
/// page header, layout credits, `图片说明：` and a lone `广告`.
pub fn is_layout_metadata(line: &str) -> bool {
    matches!(
        classify(line.trim_matches(chars::is_pad)).kind,
        Kind::PageHeader { .. } | Kind::Metadata | Kind::PhotoLabel(_)
    )
}

struct Element<'a> {
    piece: &'a Piece<'a>,
    class: Classified<'a>,
}

impl Element<'_> {
    fn gap(&self) -> usize {
        self.piece.gap
    }

    fn is_head(&self) -> bool {
        self.class.kind == Kind::Head
    }

    /// A paragraph that opens with a dateline (`本报北京9月30日电`).
    fn is_dateline(&self) -> bool {
        self.class.kind == Kind::Body && byline::dateline_end(self.class.text).is_some()
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
    /// Blank lines before its first paragraph, and the most between two of
    /// its paragraphs: a head set apart by more is the next story's.
    first_gap: Option<usize>,
    para_gap: Option<usize>,
    /// A note box (`核心阅读`) opened at this paragraph; `true` once a
    /// dateline has ended it.
    note: Option<(usize, bool)>,
    /// Its column is the umbrella headline it stands under.
    under_umbrella: bool,
    /// A paragraph of text (not a note or cross-head) has come.
    has_text: bool,
}

struct Assembler<'p> {
    path: &'p str,
    drafts: Vec<Draft>,
    warnings: Vec<Warning>,
    /// Photos seen before any article.
    orphan_photos: Vec<Photo>,
    /// Notes (编者按 …) seen before the head of their story, with their
    /// first line.
    pending_notes: Vec<(String, usize)>,
    unit: usize,
    /// Column banner for the articles that follow in this unit.
    banner: Option<String>,
    /// Column banner standing alone before a wide gap: for the next unit.
    carried_banner: Option<(String, usize)>,
    /// A carried banner no article has taken yet, with its line.
    untaken_banner: Option<(String, usize)>,
    /// An umbrella headline (总标题) over the sub-stories that follow.
    umbrella: Option<String>,
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
            pending_notes: Vec::new(),
            unit: 0,
            banner: None,
            carried_banner: None,
            untaken_banner: None,
            umbrella: None,
            photo_block: false,
            page: None,
            section: None,
        }
    }

    /// The head slots of a crawler's article file open its article.
    fn slots(&mut self, [kicker, title, subtitle]: crawler::Slots<'_>) {
        self.unit = 1;
        let draft = self.start(1, 3);
        let own = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        let mut heads = [own(kicker), own(title), own(subtitle)];
        for head in &mut heads {
            if let Some(b) = head.as_deref().and_then(byline::parse_own_line) {
                merge_byline(&mut draft.article.byline, b, false);
                *head = None;
            }
        }
        let [kicker, title, subtitle] = heads;
        draft.article.kicker = kicker;
        draft.article.title = title;
        draft.article.subtitle = subtitle;
    }

    fn run(&mut self, elements: &[Element<'_>]) {
        let mut i = 0;
        while i < elements.len() {
            let element = &elements[i];
            if (i == 0 && self.unit == 0) || element.gap() >= 2 {
                self.new_unit();
            }
            match element.class.kind {
                Kind::Head => {
                    i = self.heads(elements, i);
                    continue;
                }
                Kind::Sidebar => self.sidebar(element),
                Kind::NoteLabel => self.note_label(element),
                _ => {
                    let previous_was_caption = i > 0 && self.is_caption(&elements[i - 1]);
                    self.element(element, previous_was_caption);
                }
            }
            i += 1;
        }
    }

    fn new_unit(&mut self) {
        self.unit += 1;
        self.headline_only_banner();
        self.notes_without_story();
        self.umbrella = None;
        self.banner = self.carried_banner.as_ref().map(|(b, _)| b.clone());
        self.untaken_banner = self.carried_banner.take();
    }

    fn is_caption(&self, element: &Element<'_>) -> bool {
        matches!(element.class.kind, Kind::Caption(_))
            || (element.class.kind == Kind::Body
                && element.class.code.is_some()
                && !chars::more_chars_than(element.class.text, CAPTION_MAX_CHARS))
    }

    /// The open article of this unit, if any.
    fn open_here(&self) -> Option<usize> {
        self.open().filter(|&i| self.drafts[i].unit == self.unit)
    }

    /// A run of head lines starting at `start`; returns where it ends.
    fn heads(&mut self, elements: &[Element<'_>], start: usize) -> usize {
        let end = run_end(elements, start);
        let run = &elements[start..end];
        let mut lines: Vec<&str> = run.iter().map(|e| e.class.text).collect();
        let mut first_line = run[0].piece.first_line;
        let last_line = run[run.len() - 1].piece.last_line;
        let next = elements.get(end);
        let next_in_unit = next.filter(|e| e.gap() < 2);

        if self.letter_end(&lines, run) || self.crossheads(&lines, run, next_in_unit) {
            return end;
        }
        // A column banner printed after its article, right above the next
        // story's head: `学习贯彻党的二十大精神 局长访谈`.
        let banner_after = lines.len() >= 2 && is_long_banner(lines[0]);
        if banner_after
            && let Some(last) = self
                .drafts
                .last_mut()
                .filter(|d| d.unit == self.unit && d.article.column.is_none())
        {
            last.article.column = Some(lines[0].to_owned());
            last.article.source.last_line = run[0].piece.last_line;
            lines.remove(0);
            first_line = run[1].piece.first_line;
        }
        // An umbrella headline (总标题) standing apart above the first of
        // several sub-stories, each with a head of its own and a dateline.
        let blocks: Vec<usize> = (0..run.len())
            .filter(|&i| i == 0 || run[i].gap() > 0)
            .collect();
        if let [0, 1] = blocks[..]
            && !banner_after
            && run.len() >= 3
            && next_in_unit.is_some_and(Element::is_dateline)
            && sibling_follows(elements, end, run.len() - 1)
        {
            self.umbrella = Some(lines.remove(0).to_owned());
            first_line = run[1].piece.first_line;
        }
        let opens_article = next_in_unit.is_some_and(|e| {
            matches!(
                e.class.kind,
                Kind::Body
                    | Kind::Byline
                    | Kind::EndByline
                    | Kind::Caption(_)
                    | Kind::InlineCaption
                    | Kind::Credit
                    | Kind::NoteLabel
            )
        });
        self.close_open();

        if opens_article {
            let (banner, lines) = split_banner(&lines);
            if let Some(banner) = banner {
                // A new banner replaces one carried from before a wide gap.
                self.headline_only_banner();
                self.banner = Some(banner);
            }
            let umbrella = self.umbrella.clone();
            let draft = self.start(first_line, last_line);
            if let Some(umbrella) = umbrella {
                draft.article.column = Some(umbrella);
                draft.under_umbrella = true;
            }
            let (kicker, title, subtitle) = assign_heads(lines);
            draft.article.kicker = kicker;
            draft.article.title = title;
            draft.article.subtitle = subtitle;
            self.photo_block = false;
        } else if let Some(last) = self.drafts.last_mut().filter(|d| d.unit == self.unit) {
            // A banner printed after the article it belongs to.
            let banner = lines.join(" ");
            let column = match last.article.column.take() {
                Some(old) if !last.under_umbrella => format!("{old} {banner}"),
                _ => banner,
            };
            last.article.column = Some(column);
            last.under_umbrella = false;
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

    /// A letter's signature and date (`共青团某某省委员会` / `2024年3月5日`)
    /// below its text are paragraphs of the letter.
    fn letter_end(&mut self, lines: &[&str], run: &[Element<'_>]) -> bool {
        let Some(index) = self.open_here() else {
            return false;
        };
        if lines.len() > 3 || !lines.last().is_some_and(|l| classify::is_date_line(l)) {
            return false;
        }
        for (line, element) in lines.iter().zip(run) {
            self.push(index, (*line).to_owned(), Role::Text, element.piece);
        }
        if let Some(draft) = self.drafts.get_mut(index) {
            draft.open = false;
        }
        true
    }

    /// Short head lines between paragraphs of one story are its
    /// cross-heads (小标题): the story is open, its last paragraph ended a
    /// sentence, the text below continues it (no dateline, no byline, no
    /// note), and no more blank lines set the heads apart than set its
    /// paragraphs apart.
    fn crossheads(
        &mut self,
        lines: &[&str],
        run: &[Element<'_>],
        next: Option<&Element<'_>>,
    ) -> bool {
        let Some(index) = self.open_here() else {
            return false;
        };
        let draft = &self.drafts[index];
        let continues = next.is_some_and(|e| {
            e.class.kind == Kind::Body
                && !e.is_dateline()
                && !classify::is_note_paragraph(e.class.text)
        });
        let spacing = draft.para_gap.or(draft.first_gap).unwrap_or(1);
        let story_goes_on = !draft.article.paragraphs.is_empty()
            && !draft.cut
            && lines.len() <= 2
            && !lines.iter().any(|l| is_subheadline(l))
            && continues
            && run[0].gap() <= spacing;
        if !story_goes_on {
            return false;
        }
        for (line, element) in lines.iter().zip(run) {
            self.push(index, (*line).to_owned(), Role::Crosshead, element.piece);
        }
        true
    }

    /// A sidebar label (`相关链接`) keeps its box with the story above it:
    /// the label is a cross-head and the story takes the box's text.
    fn sidebar(&mut self, element: &Element<'_>) {
        let text = element.class.text.to_owned();
        match self.drafts.iter().rposition(|d| d.unit == self.unit) {
            Some(index) => {
                self.close_open();
                if let Some(draft) = self.drafts.get_mut(index) {
                    draft.open = true;
                }
                self.push(index, text, Role::Crosshead, element.piece);
            }
            None => {
                let draft = self.start(element.piece.first_line, element.piece.last_line);
                draft.article.title = Some(text);
            }
        }
    }

    /// A note's label on its own line (`核心阅读`): the note is the text
    /// below it up to the story's dateline.
    fn note_label(&mut self, element: &Element<'_>) {
        let text = element.class.text.to_owned();
        match self
            .open_here()
            .filter(|&i| self.drafts[i].article.paragraphs.is_empty())
        {
            Some(index) => {
                self.push(index, text, Role::Note, element.piece);
                if let Some(draft) = self.drafts.get_mut(index) {
                    draft.note = Some((draft.article.paragraphs.len() - 1, false));
                }
            }
            None => {
                self.close_open();
                self.pending_notes.push((text, element.piece.first_line));
            }
        }
    }

    fn element(&mut self, element: &Element<'_>, previous_was_caption: bool) {
        let piece = element.piece;
        let text = element.class.text;
        let code = element.class.code;
        match &element.class.kind {
            Kind::Head | Kind::Sidebar | Kind::NoteLabel => {}
            Kind::Body => {
                let caption_like = code.is_some()
                    && !chars::more_chars_than(text, CAPTION_MAX_CHARS)
                    && (self.open().is_none() || element.gap() >= 2 || previous_was_caption);
                let in_photo_block = self.photo_block
                    && self.open().is_none()
                    && !chars::more_chars_than(text, CAPTION_MAX_CHARS);
                if caption_like || in_photo_block {
                    self.close_open();
                    self.caption(text, code, piece);
                } else if self.open().is_none()
                    && code.is_none()
                    && (!self.pending_notes.is_empty() || classify::is_note_paragraph(text))
                {
                    // An editor's note printed above its story's head.
                    self.pending_notes.push((text.to_owned(), piece.first_line));
                } else {
                    self.paragraph(text, code, piece);
                }
            }
            Kind::Byline | Kind::EndByline => self.byline(element),
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
            // `图为…` stands in the text of its story, which goes on.
            Kind::InlineCaption => self.caption(text, code, piece),
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

    fn byline(&mut self, element: &Element<'_>) {
        let piece = element.piece;
        let text = element.class.text;
        let end = element.class.kind == Kind::EndByline;
        let parsed = if end {
            byline::parse_end_line(text)
        } else {
            byline::parse_own_line(text)
        };
        let index = match self.open() {
            Some(index) => index,
            None if end && !self.drafts.is_empty() => self.drafts.len() - 1,
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
            if end {
                // `（本报记者某某）` closes the text it credits.
                draft.open = false;
            }
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
        let notes = std::mem::take(&mut self.pending_notes);
        if let Some((_, line)) = notes.first() {
            article.source.first_line = (*line).min(first_line);
        }
        for (note, _) in notes {
            article.push_paragraph(note, Role::Note);
        }
        self.drafts.push(Draft {
            article,
            open: true,
            cut: false,
            unit: self.unit,
            first_gap: None,
            para_gap: None,
            note: None,
            under_umbrella: false,
            has_text: false,
        });
        let index = self.drafts.len() - 1;
        &mut self.drafts[index]
    }

    /// Adds a whole paragraph to draft `index`.
    fn push(&mut self, index: usize, text: String, role: Role, piece: &Piece<'_>) {
        if let Some(draft) = self.drafts.get_mut(index) {
            draft.article.push_paragraph(text, role);
            draft.cut = false;
            draft.article.source.last_line = piece.last_line;
        }
    }

    fn paragraph(&mut self, text: &str, code: Option<&str>, piece: &Piece<'_>) {
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
        let unit_banner = self.banner.clone();
        let mut umbrella_ended = false;
        let Some(draft) = self.drafts.get_mut(index) else {
            return;
        };
        let article = &mut draft.article;
        match article.paragraphs.len().checked_sub(1) {
            Some(n) if draft.cut && !piece.indented && article.role(n) == Role::Text => {
                article.paragraphs[n].push_str(text);
            }
            _ => {
                let first_text = !draft.has_text;
                if first_text && let Some(credit) = byline::parse_credit_line(text) {
                    merge_byline(&mut article.byline, credit, true);
                }
                let dateline = || byline::dateline_end(text).is_some();
                if first_text && draft.under_umbrella && article.byline.is_none() && !dateline() {
                    // Not a sub-story after all: the umbrella has ended.
                    article.column = unit_banner;
                    draft.under_umbrella = false;
                    umbrella_ended = true;
                }
                let role = match &mut draft.note {
                    Some((_, ended @ false)) if dateline() => {
                        *ended = true;
                        Role::Text
                    }
                    Some((_, false)) => Role::Note,
                    _ if classify::is_note_paragraph(text) => Role::Note,
                    _ => Role::Text,
                };
                if article.paragraphs.is_empty() {
                    draft.first_gap = Some(piece.gap);
                } else {
                    draft.para_gap = Some(draft.para_gap.unwrap_or(0).max(piece.gap));
                }
                draft.has_text |= role == Role::Text;
                article.push_paragraph(text.to_owned(), role);
                if let Some(note) = classify::source_note(text) {
                    article.source_note = Some(note.to_owned());
                    draft.open = false;
                }
            }
        }
        draft.cut = code.is_none() && !ends_sentence(text);
        article.source.last_line = piece.last_line;
        if let Some(code) = code {
            article.editor_code = Some(code.to_owned());
            draft.open = false;
        }
        if umbrella_ended {
            self.umbrella = None;
        }
    }

    fn caption(&mut self, caption: &str, code: Option<&str>, piece: &Piece<'_>) {
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

    fn photo(&mut self, photo: Photo, piece: &Piece<'_>) {
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

    fn credit(&mut self, text: &str, piece: &Piece<'_>) {
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
        if let Some(draft) = self.drafts.last_mut() {
            draft.article.source.last_line = piece.last_line;
        }
    }

    fn lone_code(&mut self, code: Option<&str>, piece: &Piece<'_>) {
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

    /// Notes whose story never came keep their text in an untitled article.
    fn notes_without_story(&mut self) {
        if let Some(&(_, line)) = self.pending_notes.first() {
            self.warn(
                line,
                "editor's note without a story; shown as an untitled article",
            );
            self.start(line, line);
            self.close_open();
        }
    }

    fn finish(mut self) -> ParsedPage {
        self.headline_only_banner();
        self.untaken_banner = self.carried_banner.take();
        self.headline_only_banner();
        self.notes_without_story();
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
                if let Some((at, false)) = d.note {
                    // No dateline ended the note: it is its label and the
                    // paragraph below it.
                    for role in article.roles.iter_mut().skip(at + 2) {
                        *role = Role::Text;
                    }
                }
                article.roles.resize(article.paragraphs.len(), Role::Text);
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
            edition: None,
            feed: None,
            item_names: Vec::new(),
        }
    }
}

/// Where the run of head lines starting at `start` ends: at the first piece
/// that is not a head line or stands after a wide gap.
fn run_end(elements: &[Element<'_>], start: usize) -> usize {
    let mut end = start + 1;
    while end < elements.len() && elements[end].is_head() && elements[end].gap() < 2 {
        end += 1;
    }
    end
}

/// Whether, further on in the same unit, a head run of `lines` lines opens
/// a story with a dateline: a sibling sub-story.
fn sibling_follows(elements: &[Element<'_>], from: usize, lines: usize) -> bool {
    let mut i = from;
    while let Some(e) = elements.get(i).filter(|e| e.gap() < 2) {
        if e.is_head() {
            let end = run_end(elements, i);
            return end - i == lines
                && elements
                    .get(end)
                    .is_some_and(|e| e.gap() < 2 && e.is_dateline());
        }
        i += 1;
    }
    false
}

/// Adds `new` to an article's byline. A credit line's text stays in its
/// paragraph, so it only adds names; a byline line's text is kept too.
pub(super) fn merge_byline(into: &mut Option<Byline>, new: Byline, from_credit_line: bool) {
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

/// A column banner of the long kind, a campaign's name and the column's
/// (`学习贯彻党的二十大精神 局长访谈`): printed after its article.
fn is_long_banner(line: &str) -> bool {
    BANNER_ENDINGS.iter().any(|e| line.ends_with(e))
        && (chars::more_chars_than(line, BANNER_MAX_CHARS) || line.contains(chars::is_pad))
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
        // A kicker printed on two lines: `全省文化旅游工作暨` / `…会议部署`.
        [a, b, c] if !is_subheadline(c) && KICKER_ENDINGS.iter().any(|e| b.ends_with(e)) => {
            (Some(format!("{a}{b}")), own(c), None)
        }
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
        let text = "标题一\n\n会议指出，全市科技工作全面贯彻新发展理念，推动科\n\n技创新工作取得了成效。\n\n标题二\n\n本报讯 正文在这里，很长。";
        let page = parse(text, "p.txt");
        assert_eq!(page.articles.len(), 2);
        assert_eq!(
            page.articles[0].paragraphs,
            vec!["会议指出，全市科技工作全面贯彻新发展理念，推动科技创新工作取得了成效。"]
        );
        assert_eq!(page.articles[1].title.as_deref(), Some("标题二"));
    }

    #[test]
    fn a_head_between_paragraphs_of_one_story_is_a_crosshead() {
        // No dateline, byline or editor code says a new story begins.
        let text = "标题一\n\n会议指出，全市科技工作全面贯彻新发展理念。\n\n坚持创新驱动\n\n正文在这里，很长。";
        let page = parse(text, "p.txt");
        let [a] = page.articles.as_slice() else {
            panic!("one article expected, got {}", page.articles.len());
        };
        assert_eq!(a.paragraphs[1], "坚持创新驱动");
        assert_eq!(
            a.roles,
            [Role::Text, Role::Crosshead, Role::Text],
            "{:?}",
            a.paragraphs
        );
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
