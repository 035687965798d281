//! Synthetic archives for benchmarks and tests: any number of realistic
//! newspaper pages, the same for the same seed.
//!
//! The text comes from two kinds of source, chosen per article by the
//! page's section (`seeds::MIX`):
//!
//! - The bundled sample page
//!   (`feeds/zhumadian-daily/undated/zhumadian-daily-page.txt`, embedded in
//!   the binary), read with kanbao's own page parser: its paragraphs and
//!   their sentences, its headlines and the verb phrases of its text (from
//!   which new headlines are combined), its kickers, subheadlines, photo
//!   captions and column banner, used as printed. About a quarter of all
//!   articles, and every front page's lead story, are made of it, so that
//!   the words tests and benchmarks search for (科技, 院士, 创新高地, 创新平台)
//!   are in a good share of the articles.
//! - Seven seed texts of made-up news prose written for this crate
//!   (`synth/seeds/*.txt`: sport, economy, rural affairs, culture and
//!   education, weather, transport and emergencies, courts, health): each
//!   some 45 sentences and a set of headlines, kickers, subheadlines,
//!   captions and column banners, with placeholders for people, places,
//!   organisations, dates and figures. Every article fills them anew with
//!   names made from lists of surnames, given-name characters and place
//!   syllables (`words`), so that a large archive holds many rare words,
//!   as real news does, and not a handful of sentences a million times.
//!
//! Every article gets a headline, sometimes a kicker or a subheadline, a
//! byline on its own line or a credit line (`本报讯(记者 …)`) naming
//! reporters of the feed's staff and new correspondents, 3 to 10
//! paragraphs, mostly closed by the page editor's code, and sometimes
//! photo captions. Pages hold 3 to 6 articles; each issue has 4 to 8 pages
//! (要闻 first, then sections such as 综合, 经济, 科教), the size of a local
//! daily; [`Options`] make a larger paper (a national daily's 16 to 24
//! pages, several of a section). Issues go back day by day from
//! [`FIRST_DATE`], in every feed.
//!
//! The modules: `page` lays out a page's articles; `sample` reads the
//! sample page; `seeds` reads the seed texts and says which section draws
//! on which; `template` and `cast` fill a seed text's placeholders from
//! the lists in `words`; `rng` and `calendar` make the choices and dates.
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

mod calendar;
mod cast;
mod page;
mod rng;
mod sample;
mod seeds;
mod template;
mod words;

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use calendar::days_from_civil;
use page::Material;
use rng::{Rng, mix};

/// The newest issue date; older issues go back one day at a time.
pub const FIRST_DATE: &str = "2026-11-01";
/// [`FIRST_DATE`] as days since 1970-01-01.
pub(crate) const FIRST_DAY: i64 = days_from_civil(2026, 11, 1);

/// Sections (版面) of an issue, in page order; 要闻 is always page 1.
const SECTIONS: [&str; 12] = [
    "要闻", "综合", "经济", "时政", "科教", "文体", "社会", "法治", "农村", "健康", "评论", "副刊",
];
/// Pages per issue, unless [`Options::pages_per_issue`] says otherwise.
const PAGES_PER_ISSUE: (usize, usize) = (4, 8);
/// Articles per page (the last page of the archive may hold fewer), unless
/// [`Options::articles_per_page`] says otherwise.
const ARTICLES_PER_PAGE: (usize, usize) = (3, 6);
/// Most pages an issue may have.
pub const MAX_PAGES_PER_ISSUE: usize = 99;
/// Most articles a page may hold.
pub const MAX_ARTICLES_PER_PAGE: usize = 40;

/// Most feeds an archive may have.
pub const MAX_FEEDS: usize = 1_000;

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

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Articles in the whole archive, exactly.
    pub articles: usize,
    /// The same seed gives the same archive, byte for byte.
    pub seed: u64,
    /// Feeds (newspapers) the articles are spread over: 1 to [`MAX_FEEDS`].
    pub feeds: usize,
    /// The fewest and most pages of an issue (a day's paper of one feed),
    /// from 1 to [`MAX_PAGES_PER_ISSUE`]. The default, 4 to 8, is a small
    /// local daily; a national daily runs 16 to 24, which puts about five
    /// times as many articles in each day's folder.
    pub pages_per_issue: (usize, usize),
    /// The fewest and most articles of a page, from 1 to
    /// [`MAX_ARTICLES_PER_PAGE`].
    pub articles_per_page: (usize, usize),
}

impl Default for Options {
    fn default() -> Self {
        Options {
            articles: 1_000,
            seed: 1,
            feeds: 3,
            pages_per_issue: PAGES_PER_ISSUE,
            articles_per_page: ARTICLES_PER_PAGE,
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
/// invalid (no feeds) or the bundled sample and seed texts yield no
/// material.
pub fn pages(options: &Options) -> io::Result<Pages> {
    check(options)?;
    Ok(Pages {
        material: Material::load()?,
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

/// A range of sizes as a command line gives it: `16-24`, or `20` for
/// exactly 20 (`_` may group digits); `None` when it is not one.
pub fn parse_range(text: &str) -> Option<(usize, usize)> {
    let number = |t: &str| t.trim().replace('_', "").parse::<usize>().ok();
    match text.split_once('-') {
        Some((lo, hi)) => Some((number(lo)?, number(hi)?)),
        None => number(text).map(|n| (n, n)),
    }
}

fn check(options: &Options) -> io::Result<()> {
    let invalid = |message: String| Err(io::Error::new(io::ErrorKind::InvalidInput, message));
    if !(1..=MAX_FEEDS).contains(&options.feeds) {
        return invalid(format!(
            "{} feeds asked for; give 1 to {MAX_FEEDS}",
            options.feeds
        ));
    }
    for ((lo, hi), most, what) in [
        (
            options.pages_per_issue,
            MAX_PAGES_PER_ISSUE,
            "pages per issue",
        ),
        (
            options.articles_per_page,
            MAX_ARTICLES_PER_PAGE,
            "articles per page",
        ),
    ] {
        if lo == 0 || lo > hi || hi > most {
            return invalid(format!(
                "{lo} to {hi} {what} asked for; give a range within 1 to {most}"
            ));
        }
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

pub(crate) fn feed_folder(feed: usize) -> String {
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
pub(crate) struct PagePlan {
    pub(crate) feed: usize,
    /// Days before [`FIRST_DATE`].
    pub(crate) day: usize,
    /// Page number, from 1.
    pub(crate) number: usize,
    pub(crate) section: &'static str,
    pub(crate) articles: usize,
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
            let pages = rng.between(options.pages_per_issue);
            for (index, section) in issue_sections(&mut rng, pages).into_iter().enumerate() {
                if left == 0 {
                    break 'days;
                }
                let articles = rng.between(options.articles_per_page).min(left);
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
/// An issue of more pages than there are sections has every section, the
/// pages beyond one each going to the first sections in turn (a large
/// paper runs several pages of 要闻 and 综合).
fn issue_sections(rng: &mut Rng, pages: usize) -> Vec<&'static str> {
    if pages > SECTIONS.len() {
        let (each, more) = (pages / SECTIONS.len(), pages % SECTIONS.len());
        return SECTIONS
            .iter()
            .enumerate()
            .flat_map(|(i, section)| std::iter::repeat_n(*section, each + usize::from(i < more)))
            .collect();
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_day_is_the_first_date() {
        assert_eq!(calendar::date_string(FIRST_DAY), FIRST_DATE);
    }

    #[test]
    fn the_plan_holds_exactly_the_articles_asked_for() {
        for articles in [0, 1, 2, 7, 100, 1234] {
            for feeds in [1, 3, 13] {
                let options = Options {
                    articles,
                    seed: 9,
                    feeds,
                    ..Options::default()
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
        for pages in 1..=40 {
            let sections = issue_sections(&mut rng, pages);
            assert_eq!(sections.len(), pages);
            assert_eq!(sections[0], "要闻");
            let order: Vec<usize> = sections
                .iter()
                .filter_map(|s| SECTIONS.iter().position(|x| x == s))
                .collect();
            assert_eq!(order.len(), pages, "{sections:?}");
            if pages <= SECTIONS.len() {
                assert!(order.windows(2).all(|w| w[0] < w[1]), "{sections:?}");
            } else {
                // Every section, runs of one section's pages in order,
                // the first ones longest.
                assert!(order.windows(2).all(|w| w[0] <= w[1]), "{sections:?}");
                let runs: Vec<usize> = (0..SECTIONS.len())
                    .map(|s| order.iter().filter(|&&o| o == s).count())
                    .collect();
                assert!(
                    runs.windows(2).all(|w| w[0] >= w[1] && w[1] >= 1),
                    "{runs:?}"
                );
                assert!(runs[0] - runs[SECTIONS.len() - 1] <= 1, "{runs:?}");
            }
        }
    }

    #[test]
    fn issues_and_pages_are_as_large_as_asked() {
        for (pages_per_issue, articles_per_page) in
            [((16, 24), (4, 8)), ((1, 1), (1, 1)), ((30, 30), (2, 3))]
        {
            let options = Options {
                articles: 20_000,
                seed: 3,
                feeds: 2,
                pages_per_issue,
                articles_per_page,
            };
            let plan = plan(&options);
            assert_eq!(plan.iter().map(|p| p.articles).sum::<usize>(), 20_000);
            let (lo, hi) = articles_per_page;
            // Only the archive's last page may hold fewer.
            let short = plan.iter().filter(|p| p.articles < lo).count();
            assert!(short <= 1 && plan.iter().all(|p| p.articles <= hi));
            let mut issues = std::collections::BTreeMap::new();
            for p in &plan {
                *issues.entry((p.feed, p.day)).or_insert(0) += 1;
                assert!((1..=pages_per_issue.1).contains(&p.number));
            }
            let last_day = plan.iter().map(|p| p.day).max().unwrap_or(0);
            assert!(issues.iter().all(|(&(_, day), &pages)| {
                pages <= pages_per_issue.1 && (day == last_day || pages >= pages_per_issue.0)
            }));
        }
    }

    #[test]
    fn ranges_read_as_written() {
        assert_eq!(parse_range("16-24"), Some((16, 24)));
        assert_eq!(parse_range(" 3 - 6 "), Some((3, 6)));
        assert_eq!(parse_range("20"), Some((20, 20)));
        assert_eq!(parse_range("1_0-12"), Some((10, 12)));
        for bad in ["", "-", "4-", "-8", "a-b", "4-8-9", "-3"] {
            assert_eq!(parse_range(bad), None, "{bad}");
        }
    }

    #[test]
    fn sizes_out_of_range_are_refused() {
        for (pages_per_issue, articles_per_page) in [
            ((0, 4), (3, 6)),
            ((5, 4), (3, 6)),
            ((4, MAX_PAGES_PER_ISSUE + 1), (3, 6)),
            ((4, 8), (0, 0)),
            ((4, 8), (1, MAX_ARTICLES_PER_PAGE + 1)),
        ] {
            let options = Options {
                pages_per_issue,
                articles_per_page,
                ..Options::default()
            };
            let error = check(&options).err().map(|e| e.to_string());
            assert!(
                error
                    .as_deref()
                    .is_some_and(|e| e.contains("give a range within 1 to")),
                "{error:?}"
            );
        }
        assert!(check(&Options::default()).is_ok());
    }
}
