//! The text of one page: its articles laid out as a page printed to plain
//! text looks (see PRODUCT.md's glossary), with the heads, bylines,
//! paragraphs, editor codes and captions drawn from the sample page or a
//! seed text.
//!
//! Every article takes its text from one source, chosen by the page's
//! section ([`crate::seeds::source_for`]); a seed text's templates are
//! filled by the article's own [`Cast`]. Bylines are made for every
//! article from the feed's staff of reporters and new correspondents.

use std::fmt::Write as _;
use std::io;
use std::path::PathBuf;

use crate::calendar::date_string;
use crate::cast::{Cast, Issue, Words};
use crate::rng::{Rng, mix};
use crate::sample::{Sample, Used};
use crate::seeds::{self, Beat, Source};
use crate::template::Template;
use crate::{FIRST_DAY, Page, PagePlan, feed_folder};

/// Paragraphs per article.
const PARAGRAPHS_PER_ARTICLE: (usize, usize) = (3, 10);
/// Sentences in a paragraph of a seed text's article.
const SENTENCES_PER_PARAGRAPH: (usize, usize) = (2, 4);
/// Longest head line the page parser reads as one (`HEAD_MAX_CHARS` in
/// kanbao's page classifier).
const HEAD_MAX_CHARS: usize = 32;
/// Longest photo caption the page parser reads as one.
const CAPTION_MAX_CHARS: usize = 40;
/// Tries at filling a head short enough before giving up on it.
const HEAD_TRIES: usize = 4;

/// Everything articles are made of.
#[derive(Debug)]
pub(crate) struct Material {
    sample: Sample,
    beats: Vec<Beat>,
    words: Words,
}

/// How a feed's pages are printed.
#[derive(Debug, Clone, Copy)]
struct Style {
    /// A page header line `第01版：要闻` opens each page.
    header: bool,
    /// Paragraphs start with two ideographic spaces.
    indented: bool,
    /// Page numbers carry a letter: `A01-要闻.txt`.
    lettered: bool,
}

impl Style {
    fn of(feed: usize) -> Style {
        Style {
            header: feed.is_multiple_of(2),
            indented: feed % 3 == 1,
            lettered: feed % 4 == 3,
        }
    }
}

/// What the articles of one page share.
#[derive(Debug, Clone, Copy)]
struct Sheet {
    number: usize,
    style: Style,
    issue: Issue,
    /// The page editor's number in the editor codes closing articles
    /// (`⑤3`), and the photo editor's in those closing captions.
    editor: usize,
    photo_editor: usize,
}

impl Material {
    /// The sample page read and the seed texts parsed; an error only if
    /// the bundled text yields nothing to pick from.
    pub(crate) fn load() -> io::Result<Material> {
        let beats = seeds::beats().map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        Ok(Material {
            sample: Sample::read()?,
            beats,
            words: Words::new(),
        })
    }

    /// The text of one page and the headlines on it.
    pub(crate) fn page(&self, plan: &PagePlan, seed: u64) -> Page {
        let mut rng = Rng::new(mix(
            seed,
            &[plan.feed as u64, plan.day as u64, plan.number as u64],
        ));
        let style = Style::of(plan.feed);
        let number = if style.lettered {
            format!("A{:02}", plan.number)
        } else {
            format!("{:02}", plan.number)
        };
        let day = FIRST_DAY - plan.day as i64;
        let path = PathBuf::from(feed_folder(plan.feed))
            .join(date_string(day))
            .join(format!("{number}-{}.txt", plan.section));
        let sheet = Sheet {
            number: plan.number,
            style,
            issue: Issue {
                seed,
                feed: plan.feed,
                day,
            },
            editor: if rng.chance(80) {
                rng.between((1, 9))
            } else {
                rng.between((10, 39))
            },
            photo_editor: rng.between((1, 9)),
        };
        let mut text = String::with_capacity(plan.articles * 3072);
        let mut gap = 0;
        if style.header {
            line(
                &mut text,
                &mut gap,
                &format!("第{number}版：{}", plan.section),
            );
            gap = 2;
        }
        let mut titles = Vec::with_capacity(plan.articles);
        for i in 0..plan.articles {
            // The front page's lead story (头条) of a city daily is its
            // government's news, which is what the sample page holds.
            let source = if plan.number == 1 && i == 0 {
                Source::Sample
            } else {
                seeds::source_for(plan.section, &mut rng)
            };
            let (title, next_gap) = self.article(&mut rng, &mut text, gap, &sheet, source);
            gap = next_gap;
            titles.push(title);
        }
        Page { path, text, titles }
    }

    /// Appends one article from `source` after `gap` blank lines; returns
    /// its headline and how many blank lines the next article needs.
    fn article(
        &self,
        rng: &mut Rng,
        out: &mut String,
        gap: usize,
        sheet: &Sheet,
        source: Source,
    ) -> (String, usize) {
        let mut cast = Cast::new(&self.words, sheet.issue, rng);
        let mut gap = gap;
        let title = self.heads(rng, &mut cast, source, out, &mut gap);
        let coded = self.body(rng, &mut cast, source, sheet, out, &mut gap);
        let next = self.ending(rng, &mut cast, source, sheet, out, &mut gap);
        if coded || next > 1 {
            (title, next)
        } else {
            // An article that no editor code closes is set apart by a wide
            // gap: after one blank line, a head over text without a
            // dateline or byline reads as a cross-head of this article.
            (title, 2)
        }
    }

    /// The head lines: sometimes a kicker, the headline, sometimes a
    /// subheadline; returns the headline.
    fn heads(
        &self,
        rng: &mut Rng,
        cast: &mut Cast<'_>,
        source: Source,
        out: &mut String,
        gap: &mut usize,
    ) -> String {
        if rng.chance(30)
            && let Some(kicker) = self.kicker(rng, cast, source)
        {
            line(out, gap, &kicker);
        }
        let title = self.headline(rng, cast, source);
        line(out, gap, &title);
        if rng.chance(15)
            && let Some(subtitle) = self.subtitle(rng, cast, source)
        {
            line(out, gap, &subtitle);
        }
        title
    }

    /// The byline (on its own line, or as a credit line opening the first
    /// paragraph) and the paragraphs; returns whether an editor code
    /// closes them.
    fn body(
        &self,
        rng: &mut Rng,
        cast: &mut Cast<'_>,
        source: Source,
        sheet: &Sheet,
        out: &mut String,
        gap: &mut usize,
    ) -> bool {
        let byline = rng.below(100);
        let credit = (55..80).contains(&byline);
        if byline < 55 {
            start_line(out, gap);
            push_byline(rng, cast, out);
            out.push('\n');
        }
        let paragraphs = rng.between(PARAGRAPHS_PER_ARTICLE);
        let code = rng.chance(85);
        let mut used = Used::new(match source {
            Source::Sample => self.sample.paragraphs.len(),
            Source::Beat(_) => 0,
        });
        for i in 0..paragraphs {
            start_line(out, gap);
            if sheet.style.indented {
                out.push_str("\u{3000}\u{3000}");
            }
            if i == 0 && credit {
                // `本报讯(记者 …)` opens the first paragraph, as printed.
                let (open, close) = match rng.below(2) {
                    0 => ('(', ')'),
                    _ => ('（', '）'),
                };
                out.push_str("本报讯");
                out.push(open);
                push_credit(rng, cast, out);
                out.push(close);
            }
            match source {
                Source::Sample => self.sample.paragraph(rng, &mut used, out),
                Source::Beat(b) => {
                    beat_paragraph(&self.beats[b], rng, cast, &mut used, i == 0, out)
                }
            }
            if i + 1 == paragraphs && code {
                push_code(out, sheet.number, sheet.editor);
            }
            out.push('\n');
            *gap = 1;
        }
        code
    }

    /// Sometimes photo captions or a column banner after the text; returns
    /// the blank lines the next article needs.
    fn ending(
        &self,
        rng: &mut Rng,
        cast: &mut Cast<'_>,
        source: Source,
        sheet: &Sheet,
        out: &mut String,
        gap: &mut usize,
    ) -> usize {
        if rng.chance(12) {
            // Photo captions, each closed by its code, set apart as printed.
            for _ in 0..rng.between((1, 3)) {
                let Some(caption) = self.caption(rng, cast, source) else {
                    continue;
                };
                *gap = 3;
                start_line(out, gap);
                out.push_str(&caption);
                push_code(out, sheet.number, sheet.photo_editor);
                out.push('\n');
            }
            return 2;
        }
        if rng.chance(3) {
            // A column banner printed after its article: a wide gap must
            // follow, or it would read as the next article's kicker.
            let column = match source {
                Source::Sample => rng.pick_str(&self.sample.columns),
                Source::Beat(b) => rng.word(&self.beats[b].columns),
            };
            line(out, gap, column);
            return 2;
        }
        1 + rng.below(2)
    }

    /// A headline; from a seed text, one that fits on a head line, else one
    /// of the sample's.
    fn headline(&self, rng: &mut Rng, cast: &mut Cast<'_>, source: Source) -> String {
        if let Source::Beat(b) = source
            && let Some(head) = fitted(rng, cast, &self.beats[b].headlines, HEAD_MAX_CHARS)
        {
            return head;
        }
        self.sample.headline(rng)
    }

    fn kicker(&self, rng: &mut Rng, cast: &mut Cast<'_>, source: Source) -> Option<String> {
        match source {
            Source::Sample => Some(rng.pick_str(&self.sample.kickers).to_owned()),
            Source::Beat(b) => fitted(rng, cast, &self.beats[b].kickers, HEAD_MAX_CHARS),
        }
    }

    fn subtitle(&self, rng: &mut Rng, cast: &mut Cast<'_>, source: Source) -> Option<String> {
        match source {
            Source::Sample => Some(rng.pick_str(&self.sample.subtitles).to_owned()),
            Source::Beat(b) => fitted(rng, cast, &self.beats[b].subtitles, HEAD_MAX_CHARS),
        }
    }

    fn caption(&self, rng: &mut Rng, cast: &mut Cast<'_>, source: Source) -> Option<String> {
        match source {
            Source::Sample => Some(rng.pick_str(&self.sample.captions).to_owned()),
            Source::Beat(b) => fitted(rng, cast, &self.beats[b].captions, CAPTION_MAX_CHARS),
        }
    }
}

/// One of `templates` filled, at most `max` characters long; `None` when
/// a few tries make only longer ones.
fn fitted(
    rng: &mut Rng,
    cast: &mut Cast<'_>,
    templates: &[Template],
    max: usize,
) -> Option<String> {
    for _ in 0..HEAD_TRIES {
        let template = rng.pick(templates);
        let text = cast.filled(rng, template);
        if text.chars().count() <= max {
            return Some(text);
        }
    }
    None
}

/// A paragraph of a seed text's article: the first one mostly opens with
/// a lead (`10月30日，…`), the others hold two to four sentences.
fn beat_paragraph(
    beat: &Beat,
    rng: &mut Rng,
    cast: &mut Cast<'_>,
    used: &mut Used,
    first: bool,
    out: &mut String,
) {
    let mut sentences = rng.between(SENTENCES_PER_PARAGRAPH);
    if first && rng.chance(80) {
        let lead = rng.pick(&beat.leads);
        cast.fill(rng, lead, out);
        sentences = rng.below(3);
    }
    for _ in 0..sentences {
        let pick = used.sentence(rng, beat.sentences.len());
        cast.fill(rng, &beat.sentences[pick], out);
    }
}

/// A byline on its own line, in one of the forms papers print:
/// `记者 王伟`, `本报记者 王伟`, `记者 王伟 张宁 通讯员 袁浩楠`, `记者 王伟 文/图` …
fn push_byline(rng: &mut Rng, cast: &Cast<'_>, out: &mut String) {
    let roll = rng.below(100);
    let role = match roll {
        0..=14 => "本报记者",
        88..=92 => "本报通讯员",
        97..=99 => "见习记者",
        _ => "记者",
    };
    out.push_str(role);
    out.push(' ');
    let first = match roll {
        88..=92 => cast.stranger(rng),
        _ => cast.reporter(rng),
    };
    push_name(rng, &first, out);
    match roll {
        45..=59 => {
            let second = cast.reporter(rng);
            if second != first {
                out.push(' ');
                push_name(rng, &second, out);
            }
        }
        60..=81 => {
            out.push_str(" 通讯员 ");
            let correspondent = cast.stranger(rng);
            push_name(rng, &correspondent, out);
            if roll >= 75 {
                out.push(' ');
                let another = cast.stranger(rng);
                push_name(rng, &another, out);
            }
        }
        82..=87 => out.push_str(" 文/图"),
        93..=96 => {
            out.push_str(" 实习生 ");
            let intern = cast.stranger(rng);
            push_name(rng, &intern, out);
        }
        _ => {}
    }
}

/// A two-character name is now and then padded to the width of three, as
/// some papers set it (`王　伟`); the page parser joins it again.
fn push_name(rng: &mut Rng, name: &str, out: &mut String) {
    match padded(name) {
        Some(padded) if rng.chance(10) => out.push_str(&padded),
        _ => out.push_str(name),
    }
}

/// `王　伟` for `王伟`; `None` for longer names, and for those with a half
/// that would read as the marker 文 (words and pictures, `记者 王伟 文`).
fn padded(name: &str) -> Option<String> {
    let mut chars = name.chars();
    match (chars.next(), chars.next(), chars.next()) {
        (Some(a), Some(b), None) if a != '文' && b != '文' => Some(format!("{a}\u{3000}{b}")),
        _ => None,
    }
}

/// The people inside a credit line's parentheses (`记者 黄育南 通讯员 袁浩楠`).
fn push_credit(rng: &mut Rng, cast: &Cast<'_>, out: &mut String) {
    let roll = rng.below(100);
    if roll >= 90 {
        out.push_str("通讯员 ");
        out.push_str(&cast.stranger(rng));
        return;
    }
    out.push_str("记者 ");
    let first = cast.reporter(rng);
    out.push_str(&first);
    if roll >= 75 {
        let second = cast.reporter(rng);
        if second != first {
            out.push(' ');
            out.push_str(&second);
        }
    } else if roll >= 40 {
        out.push_str(" 通讯员 ");
        out.push_str(&cast.stranger(rng));
    }
}

/// Starts a new line `gap` blank lines below the text so far (none at the
/// top of the page).
fn start_line(out: &mut String, gap: &mut usize) {
    if !out.is_empty() {
        for _ in 0..*gap {
            out.push('\n');
        }
    }
    *gap = 1;
}

/// Appends a whole line after the gap; the next line follows one blank line
/// below.
fn line(out: &mut String, gap: &mut usize, text: &str) {
    start_line(out, gap);
    out.push_str(text);
    out.push('\n');
}

/// An editor code: the page's circled number and an editor's number
/// (`⑤3`).
fn push_code(out: &mut String, page: usize, editor: usize) {
    let circled = char::from_u32(0x2460 + (page.clamp(1, 20) as u32 - 1)).unwrap_or('①');
    let _ = write!(out, "{circled}{editor}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::days_from_civil;
    use kanbao::source::page;

    fn material() -> Material {
        Material::load().unwrap_or_else(|e| panic!("{e}"))
    }

    fn sheet(feed: usize) -> Sheet {
        Sheet {
            number: 5,
            style: Style::of(feed),
            issue: Issue {
                seed: 1,
                feed,
                day: days_from_civil(2026, 3, 8),
            },
            editor: 3,
            photo_editor: 2,
        }
    }

    /// Many articles of each source, in every print style, on one page:
    /// the page parser finds exactly those articles, with their headlines,
    /// and warns of nothing. This is what keeps the seed texts and the
    /// names made for them readable as a page.
    #[test]
    fn every_source_reads_back_article_by_article() {
        let material = material();
        let sources = (0..material.beats.len())
            .map(Source::Beat)
            .chain([Source::Sample]);
        for source in sources {
            for feed in 0..4 {
                let sheet = sheet(feed);
                let mut rng = Rng::new(feed as u64 + 17);
                let mut text = String::new();
                let mut gap = 0;
                let mut titles = Vec::new();
                for _ in 0..400 {
                    let (title, next) = material.article(&mut rng, &mut text, gap, &sheet, source);
                    gap = next;
                    titles.push(title);
                }
                let parsed = page::parse(&text, "page.txt");
                assert!(
                    parsed.warnings.is_empty(),
                    "{source:?}, feed {feed}: {:?}",
                    parsed.warnings
                );
                let got: Vec<&str> = parsed
                    .articles
                    .iter()
                    .map(|a| a.title.as_deref().unwrap_or(""))
                    .collect();
                for (i, (got, want)) in got.iter().zip(&titles).enumerate() {
                    assert_eq!(got, want, "{source:?}, feed {feed}, article {i}");
                }
                assert_eq!(got.len(), titles.len(), "{source:?}, feed {feed}");
                let articles = &parsed.articles;
                assert!(
                    articles
                        .iter()
                        .all(|a| (3..=10).contains(&a.paragraphs.len()))
                );
                assert!(articles.iter().any(|a| !a.photos.is_empty()), "{source:?}");
                assert!(
                    articles
                        .iter()
                        .filter_map(|a| a.byline.as_ref())
                        .all(|b| !b.reporters.is_empty() || !b.correspondents.is_empty())
                );
            }
        }
    }

    /// A padded name must read back whole whatever its characters: `王　文`
    /// and `文　柱` did not (the parser took 文 for the marker of 文/图).
    #[test]
    fn every_padded_name_reads_back_whole() {
        let surnames = crate::words::SURNAMES.chars().map(|s| format!("{s}柱"));
        let given = crate::words::GIVEN.chars().map(|g| format!("王{g}"));
        for name in surnames.chain(given) {
            let Some(padded) = padded(&name) else {
                continue;
            };
            for line in [
                format!("记者 {padded}"),
                format!("记者 张宁 通讯员 {padded}"),
            ] {
                let byline = page::parse_byline(&line).unwrap_or_else(|| panic!("{line}"));
                let names: Vec<&String> = byline
                    .reporters
                    .iter()
                    .chain(&byline.correspondents)
                    .collect();
                assert_eq!(
                    names.last().map(|n| n.as_str()),
                    Some(name.as_str()),
                    "{line}"
                );
            }
        }
    }

    #[test]
    fn bylines_name_whole_people_even_when_padded() {
        let material = material();
        let mut rng = Rng::new(5);
        for _ in 0..2000 {
            let cast = Cast::new(&material.words, sheet(0).issue, &mut rng);
            let mut line = String::new();
            push_byline(&mut rng, &cast, &mut line);
            let byline = page::parse_byline(&line).unwrap_or_else(|| panic!("{line}"));
            let names = byline.reporters.iter().chain(&byline.correspondents);
            for name in names {
                assert!((2..=4).contains(&name.chars().count()), "{line}: {name}");
            }
            let squeezed: String = line.chars().filter(|&c| c != '\u{3000}').collect();
            for name in byline.reporters.iter().chain(&byline.correspondents) {
                assert!(squeezed.contains(name.as_str()), "{line}: {name}");
            }
        }
    }
}
