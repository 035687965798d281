//! Synthetic archives for benchmarks and tests: any number of realistic
//! newspaper pages, the same for the same seed.
//!
//! The material is the bundled sample page
//! (`feeds/zhumadian-daily/undated/zhumadian-daily-page.txt`, embedded in
//! the binary), read with kanbao's own page parser: its paragraphs and their
//! sentences, its headlines and the verb phrases of its text (from which new
//! headlines are combined), its kickers, subheadlines, bylines, photo
//! captions and column banner. Every article gets a headline, sometimes a
//! kicker or a subheadline, a byline on its own line or a credit line
//! (`本报讯(记者 …)`), 3 to 10 shuffled paragraphs, mostly closed by an
//! editor code, and sometimes photo captions. Pages hold 3 to 6 articles;
//! each issue has 4 to 8 pages (要闻 first, then sections such as 综合,
//! 经济, 科教); issues go back day by day from [`FIRST_DATE`], in every
//! feed.
//!
//! The archive is laid out as README.md's "Archive layout" says:
//!
//! ```text
//! DIR/config.toml
//! DIR/feeds/daily-1/2026-11-01/01-要闻.txt
//! DIR/feeds/daily-1/2026-11-01/02-综合.txt
//! …
//! ```
//!
//! Feeds differ in their page style, so that loading exercises more of the
//! parser: page header lines (`第01版：要闻`), indented paragraphs (`　　`)
//! and lettered pages (`A01-要闻.txt`).
//!
//! Nothing depends on the clock or the machine: the same [`Options`] give
//! byte-identical files. Random choices come from SplitMix64, seeded per
//! page, so that every page can be made on its own ([`pages`]).

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use kanbao::source::page;

/// The sample page all text is taken from.
const SAMPLE: &str = include_str!("../../feeds/zhumadian-daily/undated/zhumadian-daily-page.txt");

/// The newest issue date; older issues go back one day at a time.
pub const FIRST_DATE: &str = "2026-11-01";
/// [`FIRST_DATE`] as days since 1970-01-01.
const FIRST_DAY: i64 = days_from_civil(2026, 11, 1);

/// Sections (版面) of an issue, in page order; 要闻 is always page 1.
const SECTIONS: [&str; 12] = [
    "要闻", "综合", "经济", "时政", "科教", "文体", "社会", "法治", "农村", "健康", "评论", "副刊",
];
/// Pages per issue.
const PAGES_PER_ISSUE: (usize, usize) = (4, 8);
/// Articles per page (the last page of the archive may hold fewer).
const ARTICLES_PER_PAGE: (usize, usize) = (3, 6);
/// Paragraphs per article.
const PARAGRAPHS_PER_ARTICLE: (usize, usize) = (3, 10);

/// Most feeds an archive may have.
pub const MAX_FEEDS: usize = 1_000;

/// Sentences in a paragraph that is not one of the sample's.
const SENTENCES_PER_PARAGRAPH: (usize, usize) = (1, 2);

/// Feed titles, used in turn; after the last one they repeat with a number.
const FEED_TITLES: [&str; 12] = [
    "驻马店日报",
    "天中晚报",
    "驿城日报",
    "遂平报",
    "西平报",
    "上蔡报",
    "汝南报",
    "平舆报",
    "正阳报",
    "确山报",
    "泌阳报",
    "新蔡报",
];

/// First words of the verb phrases of the sample text that make headlines
/// (`做强创新平台`, `深入实施创新驱动发展战略`).
const HEADLINE_VERBS: [&str; 38] = [
    "积极",
    "着力",
    "深入",
    "加快",
    "加大",
    "加强",
    "推进",
    "持续",
    "提升",
    "强化",
    "培育",
    "做强",
    "壮大",
    "集聚",
    "健全",
    "优化",
    "完善",
    "奋力",
    "全面",
    "打通",
    "争创",
    "组建",
    "建立",
    "引育",
    "聚焦",
    "坚守",
    "做实",
    "把握",
    "落实",
    "大力",
    "进一步",
    "学习",
    "深化",
    "丰富",
    "成立",
    "开设",
    "推动",
    "打造",
];
/// Subjects put in front of a verb phrase (`我市积极培育创新主体`).
const SUBJECTS: [&str; 4] = ["我市", "全市", "市科技局", "驻马店"];
/// Verbs that end a kicker (`全市科技工作会议提出`); the parser knows them.
const KICKER_VERBS: [&str; 5] = ["提出", "强调", "要求", "指出", "部署"];
/// Characters a meeting's name is cut after (`传达学习了|全国科技工作会议`).
const MEETING_CUTS: [char; 5] = ['了', '暨', '和', '年', '的'];
/// Longest headline made of two phrases, in characters.
const PAIR_MAX_CHARS: usize = 24;

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Articles in the whole archive, exactly.
    pub articles: usize,
    /// The same seed gives the same archive, byte for byte.
    pub seed: u64,
    /// Feeds (newspapers) the articles are spread over: 1 to [`MAX_FEEDS`].
    pub feeds: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            articles: 1_000,
            seed: 1,
            feeds: 3,
        }
    }
}

/// What [`generate`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Files written: the page files and `config.toml`.
    pub files: usize,
    /// Page files written.
    pub pages: usize,
    /// Articles on those pages.
    pub articles: usize,
    /// Bytes written, all files together.
    pub bytes: u64,
    /// The headline of every article, in the order `Library::load` lists
    /// them: feed (as configured), date (newest first), page, position.
    pub titles: Vec<String>,
}

/// One generated page file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Where it goes, relative to the archive folder:
    /// `feeds/daily-1/2026-11-01/01-要闻.txt`.
    pub path: PathBuf,
    /// The page's text (UTF-8, LF line ends).
    pub text: String,
    /// The headline of each article on the page, in order.
    pub titles: Vec<String>,
}

/// Writes a synthetic archive into `dir`: `config.toml` and the page files
/// under `feeds/`. `dir` is created if missing and must be empty; nothing
/// is written when the options are invalid or `dir` holds anything.
pub fn generate(dir: &Path, options: &Options) -> io::Result<Summary> {
    check(options)?;
    let pages = pages(options)?;
    prepare_folder(dir)?;
    let config = config_text(options);
    let config_path = dir.join("config.toml");
    fs::write(&config_path, &config).map_err(|e| with_path(e, &config_path))?;
    let mut summary = Summary {
        files: 1,
        pages: 0,
        articles: 0,
        bytes: config.len() as u64,
        titles: Vec::with_capacity(options.articles),
    };
    for feed in 0..options.feeds {
        let folder = dir.join(feed_folder(feed));
        fs::create_dir_all(&folder).map_err(|e| with_path(e, &folder))?;
    }
    let mut made: Option<PathBuf> = None;
    for page in pages {
        let path = dir.join(&page.path);
        if let Some(folder) = path.parent()
            && made.as_deref() != Some(folder)
        {
            fs::create_dir_all(folder).map_err(|e| with_path(e, folder))?;
            made = Some(folder.to_path_buf());
        }
        fs::write(&path, &page.text).map_err(|e| with_path(e, &path))?;
        summary.files += 1;
        summary.pages += 1;
        summary.articles += page.titles.len();
        summary.bytes += page.text.len() as u64;
        summary.titles.extend(page.titles);
    }
    Ok(summary)
}

/// The `config.toml` of the archive: one `[[feeds]]` table per feed, with
/// paths relative to the archive folder.
pub fn config_text(options: &Options) -> String {
    let mut text = format!(
        "# A synthetic kanbao archive: {} articles in {} feeds, seed {}.\n\
         # Written by `cargo run --release --example synth-archive`; make a new\n\
         # one rather than editing this one.\n",
        options.articles, options.feeds, options.seed
    );
    for feed in 0..options.feeds {
        let _ = write!(
            text,
            "\n[[feeds]]\nid = \"{}\"\ntitle = \"{}\"\nkind = \"pages\"\npath = \"{}\"\n",
            feed_id(feed),
            feed_title(feed),
            feed_folder(feed)
        );
    }
    text
}

/// The pages of the archive, one at a time, in the order `Library::load`
/// reads them; nothing is written. An error only when the options are
/// invalid (no feeds) or the bundled sample yields no material.
pub fn pages(options: &Options) -> io::Result<Pages> {
    check(options)?;
    Ok(Pages {
        material: Material::from_sample()?,
        plan: plan(options).into_iter(),
        seed: options.seed,
    })
}

/// Iterator over the generated pages; see [`pages`].
#[derive(Debug)]
pub struct Pages {
    material: Material,
    plan: std::vec::IntoIter<PagePlan>,
    seed: u64,
}

impl Iterator for Pages {
    type Item = Page;

    fn next(&mut self) -> Option<Page> {
        let plan = self.plan.next()?;
        Some(self.material.page(&plan, self.seed))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.plan.size_hint()
    }
}

impl ExactSizeIterator for Pages {}

fn check(options: &Options) -> io::Result<()> {
    if !(1..=MAX_FEEDS).contains(&options.feeds) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} feeds asked for; give 1 to {MAX_FEEDS}", options.feeds),
        ));
    }
    Ok(())
}

/// Creates `dir` if needed; refuses anything but an empty folder.
fn prepare_folder(dir: &Path) -> io::Result<()> {
    match fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    format!(
                        "{}: folder is not empty; give a new or empty folder",
                        dir.display()
                    ),
                ));
            }
            Ok(())
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            fs::create_dir_all(dir).map_err(|e| with_path(e, dir))
        }
        Err(_) if dir.exists() && !dir.is_dir() => Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{}: is a file, not a folder", dir.display()),
        )),
        Err(e) => Err(with_path(e, dir)),
    }
}

/// `e` with the path it concerns in front of its message.
fn with_path(e: io::Error, path: &Path) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

fn feed_id(feed: usize) -> String {
    format!("daily-{}", feed + 1)
}

fn feed_folder(feed: usize) -> String {
    format!("feeds/{}", feed_id(feed))
}

fn feed_title(feed: usize) -> String {
    let title = FEED_TITLES[feed % FEED_TITLES.len()];
    match feed / FEED_TITLES.len() {
        0 => title.to_owned(),
        round => format!("{title}（{}）", round + 1),
    }
}

/// One page to make: where it goes and how many articles it holds.
#[derive(Debug, Clone)]
struct PagePlan {
    feed: usize,
    /// Days before [`FIRST_DATE`].
    day: usize,
    /// Page number, from 1.
    number: usize,
    section: &'static str,
    articles: usize,
}

/// Every page of the archive, ordered as the library lists them. Issues are
/// planned day by day across the feeds, so that all feeds cover about the
/// same dates, then put in feed order.
fn plan(options: &Options) -> Vec<PagePlan> {
    let mut rng = Rng::new(mix(options.seed, &[u64::MAX]));
    let mut plan = Vec::new();
    let mut left = options.articles;
    let mut day = 0;
    'days: while left > 0 && options.feeds > 0 {
        for feed in 0..options.feeds {
            let pages = rng.between(PAGES_PER_ISSUE);
            for (index, section) in issue_sections(&mut rng, pages).into_iter().enumerate() {
                if left == 0 {
                    break 'days;
                }
                let articles = rng.between(ARTICLES_PER_PAGE).min(left);
                left -= articles;
                plan.push(PagePlan {
                    feed,
                    day,
                    number: index + 1,
                    section,
                    articles,
                });
            }
        }
        day += 1;
    }
    // Stable: within a feed, days stay newest first and pages in order.
    plan.sort_by_key(|p| p.feed);
    plan
}

/// The sections of an issue of `pages` pages: 要闻, then others in order.
fn issue_sections(rng: &mut Rng, pages: usize) -> Vec<&'static str> {
    let mut sections = vec![SECTIONS[0]];
    let others = &SECTIONS[1..];
    let mut wanted = pages.saturating_sub(1).min(others.len());
    for (i, section) in others.iter().enumerate() {
        // Selection sampling: each remaining section with the chance that
        // leaves exactly `wanted` picked at the end.
        if wanted > 0 && rng.below(others.len() - i) < wanted {
            sections.push(*section);
            wanted -= 1;
        }
    }
    sections
}

/// The text pieces of the sample page that articles are built from.
#[derive(Debug)]
struct Material {
    /// Whole paragraphs, credit lines removed.
    paragraphs: Vec<String>,
    /// Their sentences.
    sentences: Vec<String>,
    /// The indices in `sentences` of each paragraph's sentences.
    sentences_of: Vec<std::ops::Range<usize>>,
    /// Headlines printed on the sample.
    headlines: Vec<String>,
    /// Verb phrases and headline halves, combined into new headlines.
    phrases: Vec<String>,
    kickers: Vec<String>,
    subtitles: Vec<String>,
    /// Bylines printed on their own line.
    bylines: Vec<String>,
    /// Names with roles for credit lines (`记者 黄育南`).
    credits: Vec<String>,
    captions: Vec<String>,
    columns: Vec<String>,
}

impl Material {
    /// Reads the bundled sample page with the page parser.
    fn from_sample() -> io::Result<Material> {
        let parsed = page::parse(SAMPLE, "zhumadian-daily-page.txt");
        let articles = &parsed.articles;
        let paragraphs: Vec<String> = articles
            .iter()
            .flat_map(|a| &a.paragraphs)
            .map(|p| strip_credit(p).to_owned())
            .filter(|p| !p.is_empty())
            .collect();
        let mut sentences = Vec::new();
        let mut sentences_of = Vec::with_capacity(paragraphs.len());
        for paragraph in &paragraphs {
            let start = sentences.len();
            sentences.extend(self::sentences(paragraph));
            sentences_of.push(start..sentences.len());
        }
        let headlines: Vec<String> = unique(articles.iter().filter_map(|a| a.title.clone()));
        let phrases = unique(
            headlines
                .iter()
                .flat_map(|h| h.split_whitespace())
                .filter(|h| h.chars().count() >= 4 && h.chars().all(is_han))
                .map(str::to_owned)
                .chain(verb_phrases(&paragraphs)),
        );

        let mut kickers: Vec<String> = articles.iter().filter_map(|a| a.kicker.clone()).collect();
        for meeting in meetings(&paragraphs) {
            for verb in KICKER_VERBS {
                kickers.push(format!("{meeting}{verb}"));
            }
        }
        let kickers = unique(kickers);

        let mut subtitles: Vec<String> =
            articles.iter().filter_map(|a| a.subtitle.clone()).collect();
        subtitles.extend(
            phrases
                .iter()
                .filter(|p| p.chars().count() >= 6)
                .map(|p| format!("——{p}")),
        );

        let (reporters, correspondents) = names(articles);
        let mut credits = Vec::new();
        for (i, r) in reporters.iter().enumerate() {
            credits.push(format!("记者 {r}"));
            if let Some(other) = reporters.get(i + 1) {
                credits.push(format!("记者 {r} {other}"));
            }
            for c in &correspondents {
                credits.push(format!("记者 {r} 通讯员 {c}"));
            }
        }
        let mut bylines: Vec<String> = articles
            .iter()
            .filter_map(|a| a.byline.as_ref().map(|b| b.text.clone()))
            .collect();
        bylines.extend(credits.iter().cloned());
        for r in &reporters {
            bylines.push(format!("本报记者 {r}"));
            bylines.push(format!("记者 {r} 文/图"));
        }
        let bylines = unique(
            bylines
                .into_iter()
                .filter(|b| page::parse_byline(b).is_some()),
        );
        let credits = unique(
            credits
                .into_iter()
                .filter(|b| page::parse_byline(b).is_some()),
        );

        let captions = unique(
            articles
                .iter()
                .flat_map(|a| &a.photos)
                .map(|p| p.caption.clone())
                .filter(|c| !c.is_empty()),
        );
        let columns = unique(articles.iter().filter_map(|a| a.column.clone()));

        let material = Material {
            paragraphs,
            sentences,
            sentences_of,
            headlines,
            phrases,
            kickers,
            subtitles,
            bylines,
            credits,
            captions,
            columns,
        };
        material.check()?;
        Ok(material)
    }

    /// Every list must hold something: picking from an empty one would panic.
    fn check(&self) -> io::Result<()> {
        let lists = [
            ("paragraphs", self.paragraphs.len()),
            ("sentences", self.sentences.len()),
            ("headlines", self.headlines.len()),
            ("headline phrases", self.phrases.len()),
            ("kickers", self.kickers.len()),
            ("subheadlines", self.subtitles.len()),
            ("bylines", self.bylines.len()),
            ("credit lines", self.credits.len()),
            ("photo captions", self.captions.len()),
            ("column banners", self.columns.len()),
        ];
        match lists.iter().find(|(_, n)| *n == 0) {
            Some((what, _)) => Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("the bundled sample page yields no {what}"),
            )),
            None => Ok(()),
        }
    }

    /// A headline: a phrase, two phrases, a subject and a phrase, or one
    /// of the sample's own headlines.
    fn headline(&self, rng: &mut Rng) -> String {
        let roll = rng.below(100);
        if roll < 4 {
            return rng.pick_str(&self.headlines).to_owned();
        }
        let first = rng.pick_str(&self.phrases);
        if roll < 30 {
            return first.to_owned();
        }
        if roll < 50 {
            return format!("{}{first}", rng.pick(&SUBJECTS));
        }
        // Two different phrases short enough together; a few tries, then
        // the first alone.
        for _ in 0..4 {
            let second = rng.pick_str(&self.phrases);
            if second != first && first.chars().count() + second.chars().count() < PAIR_MAX_CHARS {
                return format!("{first} {second}");
            }
        }
        first.to_owned()
    }

    /// A paragraph: a whole one of the sample (one in four), or one or two
    /// sentences;
    /// `used` keeps an article from saying the same thing twice.
    fn paragraph(&self, rng: &mut Rng, used: &mut Used, out: &mut String) {
        if rng.below(4) == 0 && used.paragraphs < self.paragraphs.len() {
            // The next card of the article's shuffled deck of paragraphs.
            let taken = used.paragraphs;
            let pick = taken + rng.below(used.deck.len() - taken);
            used.deck.swap(taken, pick);
            used.paragraphs += 1;
            let index = used.deck[taken];
            out.push_str(&self.paragraphs[index]);
            if let Some(range) = self.sentences_of.get(index) {
                used.sentences.extend(range.clone());
            }
            return;
        }
        for _ in 0..rng.between(SENTENCES_PER_PARAGRAPH) {
            let mut pick = rng.below(self.sentences.len());
            for _ in 0..4 {
                if !used.sentences.contains(&pick) {
                    break;
                }
                pick = rng.below(self.sentences.len());
            }
            used.sentences.push(pick);
            out.push_str(&self.sentences[pick]);
        }
    }

    /// The text of one page and the headlines on it.
    fn page(&self, plan: &PagePlan, seed: u64) -> Page {
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
        let date = date_string(FIRST_DAY - plan.day as i64);
        let path = PathBuf::from(feed_folder(plan.feed))
            .join(&date)
            .join(format!("{number}-{}.txt", plan.section));
        let mut text = String::with_capacity(plan.articles * 4096);
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
        for _ in 0..plan.articles {
            let title = self.headline(&mut rng);
            gap = self.article(&mut rng, &mut text, gap, &title, plan.number, style);
            titles.push(title);
        }
        Page { path, text, titles }
    }

    /// Appends one article with the headline `title` after `gap` blank
    /// lines; returns how many blank lines the next article needs.
    fn article(
        &self,
        rng: &mut Rng,
        out: &mut String,
        gap: usize,
        title: &str,
        page: usize,
        style: Style,
    ) -> usize {
        let mut gap = gap;
        if rng.below(100) < 30 {
            line(out, &mut gap, rng.pick_str(&self.kickers));
        }
        line(out, &mut gap, title);
        if rng.below(100) < 15 {
            line(out, &mut gap, rng.pick_str(&self.subtitles));
        }
        let byline = rng.below(100);
        let credit = (55..80).contains(&byline);
        if byline < 55 {
            line(out, &mut gap, rng.pick_str(&self.bylines));
        }
        let paragraphs = rng.between(PARAGRAPHS_PER_ARTICLE);
        let code = rng.below(100) < 85;
        let mut used = Used {
            deck: (0..self.paragraphs.len()).collect(),
            paragraphs: 0,
            sentences: Vec::new(),
        };
        for i in 0..paragraphs {
            start_line(out, &mut gap);
            if style.indented {
                out.push_str("\u{3000}\u{3000}");
            }
            if i == 0 && credit {
                // `本报讯(记者 …)` opens the first paragraph, as printed.
                let (open, close) = match rng.below(2) {
                    0 => ('(', ')'),
                    _ => ('（', '）'),
                };
                let _ = write!(out, "本报讯{open}{}{close}", rng.pick_str(&self.credits));
            }
            self.paragraph(rng, &mut used, out);
            if i + 1 == paragraphs && code {
                push_code(rng, out, page);
            }
            out.push('\n');
            gap = 1;
        }
        if rng.below(100) < 12 {
            // Photo captions, each closed by its code, set apart as printed.
            for _ in 0..rng.between((1, 3)) {
                gap = 3;
                start_line(out, &mut gap);
                out.push_str(rng.pick_str(&self.captions));
                push_code(rng, out, page);
                out.push('\n');
            }
            return 2;
        }
        if rng.below(100) < 3 {
            // A column banner printed after its article: a wide gap must
            // follow, or it would read as the next article's kicker.
            line(out, &mut gap, rng.pick_str(&self.columns));
            return 2;
        }
        let gap = 1 + rng.below(2);
        if code {
            gap
        } else {
            // An article that no editor code closes is set apart by a wide
            // gap: after one blank line, a head over text without a
            // dateline or byline reads as a cross-head of this article.
            2
        }
    }
}

/// What one article has used of the material so far.
struct Used {
    /// Indices of the sample's paragraphs; the first `paragraphs` are taken.
    deck: Vec<usize>,
    paragraphs: usize,
    /// Indices of the sentences taken.
    sentences: Vec<usize>,
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

/// An editor code: the page's circled number and an editor's digit (`⑤3`).
fn push_code(rng: &mut Rng, out: &mut String, page: usize) {
    let circled = char::from_u32(0x2460 + (page.clamp(1, 20) as u32 - 1)).unwrap_or('①');
    out.push(circled);
    let digit = (b'1' + rng.below(9) as u8) as char;
    out.push(digit);
}

/// The paragraph without the credit line `本报讯(…)` opening it.
fn strip_credit(paragraph: &str) -> &str {
    let Some(rest) = paragraph.strip_prefix("本报讯") else {
        return paragraph;
    };
    let rest = rest.trim_start();
    if rest.starts_with(['(', '（'])
        && let Some(close) = rest.find([')', '）'])
    {
        let after = &rest[close..];
        let mut chars = after.chars();
        chars.next();
        return chars.as_str().trim_start();
    }
    paragraph
}

/// The sentences of a paragraph that end in `。！？` (closing quotes kept)
/// and have at least ten characters.
fn sentences(paragraph: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = paragraph.trim();
    while !rest.is_empty() {
        let Some(end) = rest
            .char_indices()
            .find(|&(_, c)| matches!(c, '。' | '！' | '？'))
            .map(|(i, c)| i + c.len_utf8())
        else {
            break;
        };
        let quotes = rest[end..]
            .char_indices()
            .find(|&(_, c)| !matches!(c, '”' | '’'))
            .map_or(rest.len() - end, |(i, _)| i);
        let (sentence, tail) = rest.split_at(end + quotes);
        let starts_well = !sentence.starts_with(['”', '’', '，', ',', '、']);
        if starts_well && sentence.chars().count() >= 10 {
            out.push(sentence.to_owned());
        }
        rest = tail.trim_start();
    }
    out
}

/// Runs of Chinese characters in `text` (between punctuation, digits …).
fn han_runs(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !is_han(c)).filter(|r| !r.is_empty())
}

/// Verb phrases of 6 to 12 characters standing between punctuation, that
/// start with a headline verb (`着力构建一流创新生态`).
fn verb_phrases(paragraphs: &[String]) -> Vec<String> {
    paragraphs
        .iter()
        .flat_map(|p| han_runs(p))
        .filter(|run| {
            let n = run.chars().count();
            (6..=12).contains(&n)
                && HEADLINE_VERBS.iter().any(|v| run.starts_with(v))
                && !run.ends_with(['的', '和', '了', '在', '是', '第'])
                && !run.contains("记者")
                && !run.contains("通讯员")
        })
        .map(str::to_owned)
        .collect()
}

/// Names of meetings in the text (`全省科技工作会议`).
fn meetings(paragraphs: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for run in paragraphs.iter().flat_map(|p| han_runs(p)) {
        let Some(end) = run.find("会议") else {
            continue;
        };
        let name = &run[..end + "会议".len()];
        let name = match name.rfind(MEETING_CUTS) {
            Some(cut) => {
                let mut rest = name[cut..].chars();
                rest.next();
                rest.as_str()
            }
            None => name,
        };
        if (6..=14).contains(&name.chars().count()) {
            out.push(name.to_owned());
        }
    }
    unique(out)
}

/// Reporters and correspondents named in the sample's bylines.
fn names(articles: &[kanbao::model::Article]) -> (Vec<String>, Vec<String>) {
    let bylines = articles.iter().filter_map(|a| a.byline.as_ref());
    let reporters = unique(bylines.clone().flat_map(|b| b.reporters.iter().cloned()));
    let correspondents = unique(bylines.flat_map(|b| b.correspondents.iter().cloned()));
    (reporters, correspondents)
}

/// The items in their first order, each once.
fn unique(items: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

/// CJK unified ideographs (with extension A).
fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}')
}

/// SplitMix64: small, fast and the same on every machine.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n`; `n` must not be 0.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// A number in `lo..=hi`.
    fn between(&mut self, (lo, hi): (usize, usize)) -> usize {
        lo + self.below(hi.saturating_sub(lo) + 1)
    }

    /// One of `items`, which [`Material::check`] made sure is not empty.
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// One of `items` as a `&str`; see [`Rng::pick`].
    fn pick_str<'a>(&mut self, items: &'a [String]) -> &'a str {
        self.pick::<String>(items)
    }
}

/// A seed for one stream of choices: `seed` mixed with `parts`.
fn mix(seed: u64, parts: &[u64]) -> u64 {
    let mut rng = Rng::new(seed);
    let mut state = rng.next();
    for part in parts {
        rng = Rng::new(state ^ part.wrapping_mul(0xff51_afd7_ed55_8ccd));
        state = rng.next();
    }
    state
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant).
const fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = if year >= 0 { year } else { year - 399 } / 400;
    let year_of_era = year - era * 400;
    let month_from_march = if month > 2 { month - 3 } else { month + 9 };
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// `YYYY-MM-DD` of a day counted from 1970-01-01 (H. Hinnant).
fn date_string(days: i64) -> String {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_go_back_across_months_and_leap_days() {
        assert_eq!(date_string(FIRST_DAY), FIRST_DATE);
        assert_eq!(date_string(0), "1970-01-01");
        assert_eq!(date_string(FIRST_DAY - 31), "2026-10-01");
        assert_eq!(date_string(days_from_civil(2024, 3, 1) - 1), "2024-02-29");
        assert_eq!(date_string(days_from_civil(2023, 1, 1) - 1), "2022-12-31");
    }

    #[test]
    fn the_sample_yields_enough_material() {
        let m = match Material::from_sample() {
            Ok(m) => m,
            Err(e) => panic!("{e}"),
        };
        assert!(m.paragraphs.len() >= 10, "{:?}", m.paragraphs);
        assert!(m.sentences.len() >= 30, "{}", m.sentences.len());
        assert!(m.phrases.len() >= 30, "{:?}", m.phrases);
        assert!(m.kickers.len() >= 10, "{:?}", m.kickers);
        assert_eq!(m.captions.len(), 6, "{:?}", m.captions);
        assert!(m.paragraphs.iter().all(|p| !p.starts_with("本报讯")));
    }

    /// Every headline the generator can make, in every arrangement of head
    /// lines it prints, is read back as that headline.
    #[test]
    fn every_headline_reads_back() {
        let m = match Material::from_sample() {
            Ok(m) => m,
            Err(e) => panic!("{e}"),
        };
        let mut titles = m.headlines.clone();
        for a in &m.phrases {
            titles.push(a.clone());
            for s in SUBJECTS {
                titles.push(format!("{s}{a}"));
            }
            for b in &m.phrases {
                if a != b && a.chars().count() + b.chars().count() < PAIR_MAX_CHARS {
                    titles.push(format!("{a} {b}"));
                }
            }
        }
        let kicker = &m.kickers[0];
        let long_kicker = m.kickers.iter().max_by_key(|k| k.len()).unwrap_or(kicker);
        let short_kicker = m.kickers.iter().min_by_key(|k| k.len()).unwrap_or(kicker);
        let subtitle = &m.subtitles[0];
        let dash = m.subtitles.iter().find(|s| s.starts_with('—'));
        let dash = dash.unwrap_or(subtitle);
        let body = "会议指出,全市科技工作全面贯彻新发展理念。⑤3";
        let mut text = String::new();
        let mut expected = Vec::new();
        for title in &titles {
            let arrangements: [&[&str]; 6] = [
                &[title],
                &[short_kicker, title],
                &[long_kicker, title],
                &[title, subtitle],
                &[title, dash],
                &[kicker, title, dash],
            ];
            for heads in arrangements {
                for head in heads {
                    text.push_str(head);
                    text.push_str("\n\n");
                }
                text.push_str(body);
                text.push_str("\n\n");
                expected.push(title.as_str());
            }
        }
        let parsed = page::parse(&text, "headlines.txt");
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        let got: Vec<&str> = parsed
            .articles
            .iter()
            .map(|a| a.title.as_deref().unwrap_or(""))
            .collect();
        assert_eq!(got.len(), expected.len());
        for (got, want) in got.iter().zip(&expected) {
            assert_eq!(got, want);
        }
    }

    #[test]
    fn the_plan_holds_exactly_the_articles_asked_for() {
        for articles in [0, 1, 2, 7, 100, 1234] {
            for feeds in [1, 3, 13] {
                let options = Options {
                    articles,
                    seed: 9,
                    feeds,
                };
                let plan = plan(&options);
                assert_eq!(plan.iter().map(|p| p.articles).sum::<usize>(), articles);
                assert!(plan.iter().all(|p| p.articles >= 1 && p.articles <= 6));
                assert!(plan.windows(2).all(|w| w[0].feed <= w[1].feed));
            }
        }
    }

    #[test]
    fn issues_start_with_the_front_page_and_keep_section_order() {
        let mut rng = Rng::new(5);
        for pages in 4..=8 {
            let sections = issue_sections(&mut rng, pages);
            assert_eq!(sections.len(), pages);
            assert_eq!(sections[0], "要闻");
            let order: Vec<usize> = sections
                .iter()
                .filter_map(|s| SECTIONS.iter().position(|x| x == s))
                .collect();
            assert!(order.windows(2).all(|w| w[0] < w[1]), "{sections:?}");
        }
    }
}
