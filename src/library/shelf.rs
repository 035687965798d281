//! The reader's articles, kept compact: what the lists need of each
//! article (its heads, byline, id, counts and where it is), packed into one
//! buffer, and the articles whose text has been read, whole.
//!
//! A million articles as [`Article`] stubs take 1.3 KiB each (the struct
//! and about ten small strings); here they take about 150 bytes: a fixed
//! [`Slot`] and their strings one after another in a byte buffer, with the
//! feed, date, page, section and source path, which a page's articles
//! share, named once. An article is made whole again (an owned
//! [`Article`] without its body) when it is shown.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::model::{Article, Byline, Counts, SourceRef, Stub};

/// Articles in library order; see the module's documentation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shelf {
    slots: Vec<Slot>,
    /// Every article's strings, one after another (see [`Shelf::push`]).
    bytes: Vec<u8>,
    /// The names articles share: feed ids, dates, pages, sections.
    names: Vec<Box<str>>,
    named: HashMap<Box<str>, u32>,
    /// The groups of names (feed, date, page, section) articles stand in.
    groups: Vec<[u32; 4]>,
    grouped: HashMap<[u32; 4], u32>,
    /// Source paths; a page's articles come one after another and share
    /// one.
    paths: Vec<Box<str>>,
    /// Articles whose text was read (or that came with it), by position.
    whole: HashMap<usize, Box<Article>>,
}

/// What an article keeps besides its strings: 32 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Slot {
    /// Where its strings start in [`Shelf::bytes`]; [`NONE`] past 4 GiB of
    /// strings (some 35 million articles), where articles are kept whole.
    at: u32,
    /// Its (feed, date, page, section), in [`Shelf::groups`].
    group: u32,
    /// Its source file, in [`Shelf::paths`].
    path: u32,
    lines: [u32; 2],
    /// Paragraphs, photos and links (at most 65,535 counted), and
    /// characters.
    parts: [u16; 3],
    characters: u32,
}

/// No name: the field is `None`.
const NONE: u32 = u32::MAX;

/// The strings of an article, in the order they are stored. Each is a
/// length (plus one; 0 for `None`) and its bytes; the byline's names are a
/// count and then the names.
const ID: usize = 0;
const COLUMN: usize = 1;
const KICKER: usize = 2;
const TITLE: usize = 3;
const SUBTITLE: usize = 4;
const EDITOR_CODE: usize = 5;
const URL: usize = 6;
const PUBLISHED: usize = 7;
const LEAD: usize = 8;
const BYLINE: usize = 9;

impl Shelf {
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Makes room for `n` more articles.
    pub fn reserve(&mut self, n: usize) {
        self.slots.reserve(n);
    }

    /// Gives back the room kept for more articles, and the table that
    /// finds a group of names while articles are added (more may still
    /// be added; their groups are then named again).
    pub fn shrink(&mut self) {
        self.slots.shrink_to_fit();
        self.bytes.shrink_to_fit();
        self.groups.shrink_to_fit();
        self.paths.shrink_to_fit();
        self.grouped = HashMap::new();
    }

    /// Adds `article` at the end; one with its text is kept whole too.
    pub fn push(&mut self, article: Article) {
        let group = [
            article.feed.as_deref(),
            article.date.as_deref(),
            article.page.as_deref(),
            article.section.as_deref(),
        ]
        .map(|name| name.map_or(NONE, |n| self.name(n)));
        let group = match self.grouped.get(&group) {
            Some(&n) => n,
            None => {
                let n = narrow(self.groups.len());
                self.groups.push(group);
                self.grouped.insert(group, n);
                n
            }
        };
        if self
            .paths
            .last()
            .is_none_or(|p| **p != *article.source.path)
        {
            self.paths.push(article.source.path.as_str().into());
        }
        let counts = article.counts();
        let at = match u32::try_from(self.bytes.len()) {
            Ok(at) if at != NONE => at,
            _ => return self.push_whole(group, article),
        };
        let lead = article.stub.as_ref().map(|s| s.lead.as_str());
        let out = &mut self.bytes;
        put(out, Some(&article.id));
        for field in [
            &article.column,
            &article.kicker,
            &article.title,
            &article.subtitle,
            &article.editor_code,
            &article.url,
            &article.published,
        ] {
            put(out, field.as_deref());
        }
        put(out, lead.filter(|l| !l.is_empty()));
        match &article.byline {
            None => put(out, None),
            Some(b) => {
                put(out, Some(&b.text));
                for names in [&b.reporters, &b.correspondents] {
                    put_len(out, names.len());
                    for name in names {
                        put(out, Some(name));
                    }
                }
            }
        }
        self.slots.push(Slot {
            at,
            group,
            path: narrow(self.paths.len().saturating_sub(1)),
            lines: [article.source.first_line, article.source.last_line].map(narrow),
            parts: [counts.paragraphs, counts.photos, counts.links]
                .map(|n| u16::try_from(n).unwrap_or(u16::MAX)),
            characters: narrow(counts.characters),
        });
        if article.stub.is_none() {
            self.whole.insert(self.slots.len() - 1, Box::new(article));
        }
    }

    /// Adds `article` kept whole only (its strings would lie past what a
    /// slot can point to).
    fn push_whole(&mut self, group: u32, article: Article) {
        self.slots.push(Slot {
            at: NONE,
            group,
            path: narrow(self.paths.len().saturating_sub(1)),
            lines: [0; 2],
            parts: [0; 3],
            characters: 0,
        });
        self.whole.insert(self.slots.len() - 1, Box::new(article));
    }

    fn name(&mut self, name: &str) -> u32 {
        if let Some(&n) = self.named.get(name) {
            return n;
        }
        let n = narrow(self.names.len());
        self.names.push(name.into());
        self.named.insert(name.into(), n);
        n
    }

    /// Article `index`: whole if its text was read, else what the index
    /// keeps of it (a stub, as [`crate::index`] gives it).
    pub fn get(&self, index: usize) -> Option<Cow<'_, Article>> {
        if let Some(whole) = self.whole.get(&index) {
            return Some(Cow::Borrowed(whole));
        }
        let slot = self.slots.get(index)?;
        let [feed, date, page, section] = self.group_of(slot);
        let string = |field| self.string(slot, field).map(str::to_owned);
        let byline = self.byline(slot);
        let [paragraphs, photos, links] = slot.parts.map(usize::from);
        let characters = slot.characters as usize;
        Some(Cow::Owned(Article {
            id: string(ID).unwrap_or_default(),
            feed: feed.map(str::to_owned),
            date: date.map(str::to_owned),
            section: section.map(str::to_owned),
            page: page.map(str::to_owned),
            column: string(COLUMN),
            kicker: string(KICKER),
            title: string(TITLE),
            subtitle: string(SUBTITLE),
            byline,
            editor_code: string(EDITOR_CODE),
            url: string(URL),
            published: string(PUBLISHED),
            source: SourceRef {
                path: self.path_of(slot).to_owned(),
                first_line: slot.lines[0] as usize,
                last_line: slot.lines[1] as usize,
            },
            stub: Some(Stub {
                lead: string(LEAD).unwrap_or_default(),
                counts: Counts {
                    paragraphs,
                    photos,
                    links,
                    characters,
                },
            }),
            ..Article::new("", 0, 0)
        }))
    }

    /// [`Article::list_row`] of article `index`, without making it.
    pub fn list_row(&self, index: usize) -> Option<[&str; 3]> {
        if let Some(whole) = self.whole.get(&index) {
            return Some(whole.list_row());
        }
        let slot = self.slots.get(index)?;
        let string = |field| self.string(slot, field);
        // As a stub's display title: it has no paragraph or photo.
        let title = [TITLE, KICKER, LEAD].into_iter().find_map(string);
        let [id, byline] = [ID, BYLINE].map(|field| string(field).unwrap_or(""));
        Some([id, title.unwrap_or(""), byline])
    }

    /// Whether article `index`'s text has been read (it is kept whole).
    pub fn is_whole(&self, index: usize) -> bool {
        self.whole.contains_key(&index)
    }

    /// Keeps `article` whole as article `index` (its text was read).
    pub fn set_whole(&mut self, index: usize, article: Article) {
        if index < self.slots.len() {
            self.whole.insert(index, Box::new(article));
        }
    }

    /// Article `index`'s id; empty past the end.
    pub fn id(&self, index: usize) -> &str {
        match self.slots.get(index) {
            Some(slot) if slot.at == NONE => self.whole.get(&index).map_or("", |a| &a.id),
            Some(slot) => self.string(slot, ID).unwrap_or(""),
            None => "",
        }
    }

    /// Where the article with id `id` is.
    pub fn position(&self, id: &str) -> Option<usize> {
        (0..self.len()).find(|&i| self.id(i) == id)
    }

    /// Article `index`'s feed id, date, page and section.
    pub fn group(&self, index: usize) -> [Option<&str>; 4] {
        self.slots
            .get(index)
            .map_or([None; 4], |slot| self.group_of(slot))
    }

    /// Article `index`'s date, section and publication time, for sorting
    /// a web feed's items.
    pub fn item_key(&self, index: usize) -> (Option<&str>, Option<&str>, Option<&str>) {
        let [_, date, _, section] = self.group(index);
        let published = match self.whole.get(&index) {
            Some(whole) => whole.published.as_deref(),
            None => self
                .slots
                .get(index)
                .and_then(|slot| self.string(slot, PUBLISHED)),
        };
        (date, section, published)
    }

    /// Article `index`'s heads (kicker, title, subtitle, column) and
    /// byline, as `f` is given them until it answers `true`; whether it
    /// did.
    pub fn any_head(&self, index: usize, mut f: impl FnMut(&str) -> bool) -> bool {
        if let Some(whole) = self.whole.get(&index) {
            return [&whole.kicker, &whole.title, &whole.subtitle, &whole.column]
                .into_iter()
                .flatten()
                .chain(whole.byline.as_ref().map(|b| &b.text))
                .any(|s| f(s));
        }
        let Some(slot) = self.slots.get(index) else {
            return false;
        };
        [KICKER, TITLE, SUBTITLE, COLUMN, BYLINE]
            .into_iter()
            .filter_map(|field| self.string(slot, field))
            .any(f)
    }

    /// Reorders the articles from `start` on so that position `start + n`
    /// holds what was at `start + order[n]`.
    pub fn permute_from(&mut self, start: usize, order: &[usize]) {
        let Some(tail) = self.slots.get(start..) else {
            return;
        };
        let moved: Vec<Slot> = order.iter().filter_map(|&n| tail.get(n).copied()).collect();
        if moved.len() != tail.len() {
            return;
        }
        let mut whole = HashMap::new();
        for (n, &from) in order.iter().enumerate() {
            if let Some(article) = self.whole.remove(&(start + from)) {
                whole.insert(start + n, article);
            }
        }
        self.whole.extend(whole);
        self.slots.truncate(start);
        self.slots.extend(moved);
    }

    fn group_of(&self, slot: &Slot) -> [Option<&str>; 4] {
        let group = self.groups.get(slot.group as usize).copied();
        group.map_or([None; 4], |g| {
            g.map(|n| self.names.get(n as usize).map(|s| &**s))
        })
    }

    fn path_of(&self, slot: &Slot) -> &str {
        self.paths.get(slot.path as usize).map_or("", |p| p)
    }

    /// String `field` of the article at `slot` (the byline's text for
    /// [`BYLINE`]).
    fn string(&self, slot: &Slot, field: usize) -> Option<&str> {
        if slot.at == NONE {
            return None;
        }
        let mut at = slot.at as usize;
        for _ in 0..field {
            at = skip(&self.bytes, at);
        }
        get(&self.bytes, at).0
    }

    fn byline(&self, slot: &Slot) -> Option<Byline> {
        if slot.at == NONE {
            return None;
        }
        let mut at = slot.at as usize;
        for _ in 0..BYLINE {
            at = skip(&self.bytes, at);
        }
        let (text, mut at) = get(&self.bytes, at);
        let text = text?.to_owned();
        let mut lists = [Vec::new(), Vec::new()];
        for list in &mut lists {
            let (n, next) = varint(&self.bytes, at);
            at = next;
            for _ in 0..n {
                let (name, next) = get(&self.bytes, at);
                at = next;
                list.extend(name.map(str::to_owned));
            }
        }
        let [reporters, correspondents] = lists;
        Some(Byline {
            text,
            reporters,
            correspondents,
        })
    }
}

/// `n` as stored: a count or line number past `u32` is kept as the
/// largest (no article holds four billion of anything).
fn narrow(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(NONE - 1)
}

fn put_len(out: &mut Vec<u8>, mut n: usize) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// A string or none: its length plus one (0 for none), then its bytes.
fn put(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        None => put_len(out, 0),
        Some(s) => {
            put_len(out, s.len() + 1);
            out.extend_from_slice(s.as_bytes());
        }
    }
}

/// The number at `at`, and where what follows starts.
fn varint(bytes: &[u8], mut at: usize) -> (usize, usize) {
    let mut n = 0usize;
    let mut shift = 0;
    while let Some(&byte) = bytes.get(at) {
        at += 1;
        if shift < usize::BITS {
            n |= usize::from(byte & 0x7f) << shift;
        }
        shift += 7;
        if byte & 0x80 == 0 {
            break;
        }
    }
    (n, at)
}

/// The string at `at` (see [`put`]), and where what follows starts.
fn get(bytes: &[u8], at: usize) -> (Option<&str>, usize) {
    let (n, at) = varint(bytes, at);
    let Some(len) = n.checked_sub(1) else {
        return (None, at);
    };
    let end = at.saturating_add(len);
    let s = bytes.get(at..end).and_then(|b| std::str::from_utf8(b).ok());
    (s, end)
}

fn skip(bytes: &[u8], at: usize) -> usize {
    let (n, at) = varint(bytes, at);
    at.saturating_add(n.saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stub(id: &str, title: Option<&str>, lead: &str) -> Article {
        let mut a = Article::new("feeds/a/2024-01-02/01-要闻.txt", 3, 9);
        a.id = id.to_owned();
        a.feed = Some("a".to_owned());
        a.date = Some("2024-01-02".to_owned());
        a.page = Some("01".to_owned());
        a.section = Some("要闻".to_owned());
        a.kicker = Some("引题".to_owned());
        a.title = title.map(str::to_owned);
        a.editor_code = Some("①9".to_owned());
        a.byline = Some(Byline {
            text: "记者 王伟 通讯员 张宁".to_owned(),
            reporters: vec!["王伟".to_owned()],
            correspondents: vec!["张宁".to_owned()],
        });
        a.stub = Some(Stub {
            lead: lead.to_owned(),
            counts: Counts {
                paragraphs: 4,
                photos: 1,
                links: 0,
                characters: 812,
            },
        });
        a
    }

    #[test]
    fn a_stub_comes_back_as_it_went_in() {
        let mut shelf = Shelf::default();
        let a = stub("a1", Some("争创省级以上创新平台"), "");
        let mut b = stub("b2", None, "不带标题的短讯开头");
        b.published = Some("2024-01-02T08:00:00+08:00".to_owned());
        b.url = Some("https://example.com/b".to_owned());
        b.column = Some("专栏".to_owned());
        b.byline = None;
        shelf.push(a.clone());
        shelf.push(b.clone());
        assert_eq!(shelf.len(), 2);
        assert_eq!(shelf.get(0).as_deref(), Some(&a));
        assert_eq!(shelf.get(1).as_deref(), Some(&b));
        assert_eq!(shelf.get(2), None);
        assert_eq!(shelf.id(1), "b2");
        assert_eq!(shelf.position("b2"), Some(1));
        assert_eq!(
            shelf.group(0),
            [Some("a"), Some("2024-01-02"), Some("01"), Some("要闻")]
        );
        assert!(shelf.any_head(0, |s| s.contains("王伟")));
        assert!(!shelf.any_head(1, |s| s.contains("王伟")));
        assert!(shelf.any_head(1, |s| s == "专栏"));
    }

    #[test]
    fn a_list_row_is_the_article_s() {
        let titled = stub("a1", Some("争创省级以上创新平台"), "导语");
        let mut kicker_only = stub("b2", None, "导语");
        kicker_only.byline = None;
        let mut untitled = stub("c3", None, "不带标题的短讯开头");
        untitled.kicker = None;
        let mut nothing = stub("d4", None, "");
        nothing.kicker = None;
        let mut empty_title = stub("e5", Some(""), "导语");
        empty_title.kicker = None;
        let mut whole = stub("f6", None, "");
        (whole.kicker, whole.stub) = (None, None);
        whole.paragraphs = vec!["正文第一段。".to_owned()];
        let articles = [titled, kicker_only, untitled, nothing, empty_title, whole];
        let mut shelf = Shelf::default();
        for a in &articles {
            shelf.push(a.clone());
        }
        for (n, a) in articles.iter().enumerate() {
            assert_eq!(shelf.list_row(n), Some(a.list_row()), "{n}");
        }
        assert_eq!(shelf.list_row(2).map(|r| r[1]), Some("不带标题的短讯开头"));
        assert_eq!(shelf.list_row(5).map(|r| r[1]), Some("正文第一段。"));
        assert_eq!(shelf.list_row(articles.len()), None);
    }

    #[test]
    fn an_article_with_its_text_is_kept_whole() {
        let mut shelf = Shelf::default();
        let mut whole = stub("w", Some("标题"), "");
        whole.stub = None;
        whole.paragraphs = vec!["正文第一段。".to_owned()];
        shelf.push(whole.clone());
        assert!(shelf.is_whole(0));
        assert_eq!(shelf.get(0).as_deref(), Some(&whole));
        let read = stub("r", Some("读过"), "");
        shelf.push(read.clone());
        assert!(!shelf.is_whole(1));
        let mut text = read;
        text.stub = None;
        shelf.set_whole(1, text.clone());
        assert_eq!(shelf.get(1).as_deref(), Some(&text));
    }

    #[test]
    fn permuting_moves_the_slots_and_the_whole_articles_together() {
        let mut shelf = Shelf::default();
        for id in ["x", "a", "b", "c"] {
            shelf.push(stub(id, Some(id), ""));
        }
        let mut whole = stub("b", Some("b"), "");
        whole.stub = None;
        shelf.set_whole(2, whole);
        shelf.permute_from(1, &[1, 0, 2]);
        let ids: Vec<&str> = (0..4).map(|i| shelf.id(i)).collect();
        assert_eq!(ids, ["x", "b", "a", "c"]);
        assert!(shelf.is_whole(1));
        assert!(!shelf.is_whole(2));
    }
}
