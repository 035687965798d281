//! How varied a synthetic archive's text is, as the search index sees it:
//!
//! ```sh
//! cargo run --release -p kanbao-synth --example synth-stats -- --articles 100000
//! ```
//!
//! Makes the pages in memory (nothing is written), reads each with kanbao's
//! page parser, and counts, over all articles, the distinct bigrams (pairs
//! of neighbouring Chinese characters: the index's two-character keys) and
//! the length of each one's posting list (the articles that hold it). A
//! realistic archive has many keys, most of them in few articles; a
//! generator with a small vocabulary puts every key in a large share of
//! the articles. It also prints the share of articles that hold the words
//! the tests and benchmarks search for, and checks on the way that the
//! parser reads every page back as generated.
//!
//! The bigrams are counted here rather than with `kanbao::index::grams` so
//! that the figures stay comparable while the index changes; they are the
//! keys the index makes of Han text (it also keys lone characters and Latin
//! words, which are not counted).

use std::collections::HashMap;
use std::io::{self, Write};
use std::process::ExitCode;
use std::time::Instant;

use kanbao::model::Article;
use kanbao::source::page;
use kanbao_synth::{self as synth, Options};

const HELP: &str = "\
synth-stats: distinct bigrams and posting lengths of a synthetic archive

Usage: synth-stats [--articles N] [--seed S] [--feeds K]
                   [--pages-per-issue A-B] [--articles-per-page A-B]

Options as synth-archive's (default 100000 articles, seed 1, 3 feeds);
nothing is written.";

/// Words the tests and benchmarks search synthetic archives for.
const QUERIES: [&str; 7] = ["院士", "科技", "创新高地", "创新平台", "院", "会议", "记者"];

fn main() -> ExitCode {
    let options = match parse_args(std::env::args().skip(1)) {
        Ok(Some(options)) => options,
        Ok(None) => {
            // A closed pipe (`| head`) is no reason to fail.
            let _ = writeln!(io::stdout(), "{HELP}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("synth-stats: {message}; see --help");
            return ExitCode::FAILURE;
        }
    };
    let started = Instant::now();
    let pages = match synth::pages(&options) {
        Ok(pages) => pages,
        Err(e) => {
            eprintln!("synth-stats: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut stats = Stats::default();
    for generated in pages {
        let name = generated.path.to_string_lossy();
        let parsed = page::parse(&generated.text, &name);
        stats.warnings += parsed.warnings.len();
        stats.titles_differ += usize::from(
            parsed.articles.len() != generated.titles.len()
                || parsed
                    .articles
                    .iter()
                    .zip(&generated.titles)
                    .any(|(a, t)| a.title.as_deref() != Some(t.as_str())),
        );
        for article in parsed.articles {
            stats.add(&article);
        }
        stats.bytes += generated.text.len() as u64;
    }
    let mut out = io::stdout().lock();
    let _ = stats
        .report(&mut out)
        .and_then(|()| writeln!(out, "counted in {:.1} s", started.elapsed().as_secs_f64()));
    ExitCode::SUCCESS
}

/// `--articles N`, `--seed S`, `--feeds K`, `--pages-per-issue A-B`,
/// `--articles-per-page A-B`; `None` for `--help`.
fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<Options>, String> {
    let mut options = Options {
        articles: 100_000,
        ..Options::default()
    };
    while let Some(name) = args.next() {
        if name == "-h" || name == "--help" {
            return Ok(None);
        }
        let value = args.next().ok_or_else(|| format!("{name} needs a value"))?;
        if name == "--pages-per-issue" || name == "--articles-per-page" {
            let range = synth::parse_range(&value)
                .ok_or_else(|| format!("{name}: \"{value}\" is not a range such as 16-24"))?;
            if name == "--pages-per-issue" {
                options.pages_per_issue = range;
            } else {
                options.articles_per_page = range;
            }
            continue;
        }
        let number = value
            .replace('_', "")
            .parse::<usize>()
            .map_err(|_| format!("{name}: \"{value}\" is not a whole number"))?;
        match name.as_str() {
            "--articles" => options.articles = number,
            "--seed" => options.seed = number as u64,
            "--feeds" => options.feeds = number,
            _ => return Err(format!("unknown option \"{name}\"")),
        }
    }
    Ok(Some(options))
}

#[derive(Default)]
struct Stats {
    articles: usize,
    bytes: u64,
    /// Warnings of the page parser, and pages whose articles it read
    /// otherwise than they were generated: both should be 0.
    warnings: usize,
    titles_differ: usize,
    /// Articles holding each bigram (its posting length).
    postings: HashMap<(char, char), u32>,
    /// Articles holding each of [`QUERIES`].
    hits: [usize; QUERIES.len()],
    /// Scratch: the text and the bigrams of one article.
    text: String,
    pairs: Vec<(char, char)>,
}

impl Stats {
    fn add(&mut self, article: &Article) {
        self.articles += 1;
        self.text.clear();
        let heads = [
            &article.title,
            &article.kicker,
            &article.subtitle,
            &article.column,
        ];
        for part in heads.into_iter().flatten() {
            self.text.push_str(part);
            self.text.push('\n');
        }
        if let Some(byline) = &article.byline {
            self.text.push_str(&byline.text);
            self.text.push('\n');
        }
        for paragraph in &article.paragraphs {
            self.text.push_str(paragraph);
            self.text.push('\n');
        }
        for photo in &article.photos {
            self.text.push_str(&photo.caption);
            self.text.push('\n');
        }
        for (hits, query) in self.hits.iter_mut().zip(QUERIES) {
            *hits += usize::from(self.text.contains(query));
        }
        self.pairs.clear();
        let mut previous: Option<char> = None;
        for c in self.text.chars() {
            let han = is_han(c);
            if han && let Some(p) = previous {
                self.pairs.push((p, c));
            }
            previous = han.then_some(c);
        }
        self.pairs.sort_unstable();
        self.pairs.dedup();
        for pair in &self.pairs {
            *self.postings.entry(*pair).or_default() += 1;
        }
    }

    fn report(&self, out: &mut impl Write) -> io::Result<()> {
        let mut lengths: Vec<u32> = self.postings.values().copied().collect();
        lengths.sort_unstable();
        let at = |share: f64| -> u32 {
            let i = ((lengths.len() as f64 - 1.0) * share).round() as usize;
            lengths.get(i).copied().unwrap_or(0)
        };
        let total: u64 = lengths.iter().map(|&n| u64::from(n)).sum();
        let articles = self.articles.max(1) as f64;
        writeln!(
            out,
            "{} articles, {:.1} MB of page text",
            self.articles,
            self.bytes as f64 / 1e6
        )?;
        writeln!(
            out,
            "parser warnings: {}; pages read back otherwise: {}",
            self.warnings, self.titles_differ
        )?;
        writeln!(out, "distinct bigrams: {}", lengths.len())?;
        writeln!(
            out,
            "posting length (articles per bigram): median {}, p90 {}, p99 {}, max {}",
            at(0.5),
            at(0.9),
            at(0.99),
            at(1.0)
        )?;
        writeln!(
            out,
            "postings: {total} in all, {:.0} distinct bigrams per article",
            total as f64 / articles
        )?;
        let shares: Vec<String> = QUERIES
            .iter()
            .zip(self.hits)
            .map(|(q, n)| format!("{q} {:.1}%", n as f64 * 100.0 / articles))
            .collect();
        writeln!(out, "articles holding: {}", shares.join(", "))
    }
}

/// CJK unified ideographs (with extension A), as the generator writes.
fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}')
}
