//! The bundled sample page as material: its paragraphs and their
//! sentences, its headlines and the verb phrases of its text (from which
//! new headlines are combined), its kickers, subheadlines, photo captions
//! and column banner, all read with kanbao's own page parser. Its text is
//! used as printed, never varied: the tests and benchmarks search for its
//! words (科技, 院士, 创新高地).

use std::io;

use kanbao::source::page;

use crate::rng::Rng;

/// The sample page all text is taken from.
const SAMPLE: &str = include_str!("../../feeds/zhumadian-daily/undated/zhumadian-daily-page.txt");

/// Sentences in a paragraph that is not one of the sample's.
const SENTENCES_PER_PARAGRAPH: (usize, usize) = (1, 2);

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

/// The text pieces of the sample page that articles are built from.
#[derive(Debug)]
pub(crate) struct Sample {
    /// Whole paragraphs, credit lines removed.
    pub(crate) paragraphs: Vec<String>,
    /// Their sentences.
    sentences: Vec<String>,
    /// The indices in `sentences` of each paragraph's sentences.
    sentences_of: Vec<std::ops::Range<usize>>,
    /// Headlines printed on the sample.
    headlines: Vec<String>,
    /// Verb phrases and headline halves, combined into new headlines.
    phrases: Vec<String>,
    pub(crate) kickers: Vec<String>,
    pub(crate) subtitles: Vec<String>,
    pub(crate) captions: Vec<String>,
    pub(crate) columns: Vec<String>,
}

impl Sample {
    /// Reads the bundled sample page with the page parser.
    pub(crate) fn read() -> io::Result<Sample> {
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

        let captions = unique(
            articles
                .iter()
                .flat_map(|a| &a.photos)
                .map(|p| p.caption.clone())
                .filter(|c| !c.is_empty()),
        );
        let columns = unique(articles.iter().filter_map(|a| a.column.clone()));

        let sample = Sample {
            paragraphs,
            sentences,
            sentences_of,
            headlines,
            phrases,
            kickers,
            subtitles,
            captions,
            columns,
        };
        sample.check()?;
        Ok(sample)
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
    pub(crate) fn headline(&self, rng: &mut Rng) -> String {
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
    /// sentences; `used` keeps an article from saying the same thing twice.
    pub(crate) fn paragraph(&self, rng: &mut Rng, used: &mut Used, out: &mut String) {
        if rng.below(4) == 0 && used.paragraphs_left() {
            // The next card of the article's shuffled deck of paragraphs.
            let index = used.paragraph(rng);
            out.push_str(&self.paragraphs[index]);
            if let Some(range) = self.sentences_of.get(index) {
                used.sentences.extend(range.clone());
            }
            return;
        }
        for _ in 0..rng.between(SENTENCES_PER_PARAGRAPH) {
            let pick = used.sentence(rng, self.sentences.len());
            out.push_str(&self.sentences[pick]);
        }
    }
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

/// What one article has used of its source so far, so that it does not
/// say the same thing twice.
pub(crate) struct Used {
    /// Indices of the sample's paragraphs; the first `paragraphs` are taken.
    deck: Vec<usize>,
    paragraphs: usize,
    /// Indices of the sentences taken.
    pub(crate) sentences: Vec<usize>,
}

impl Used {
    /// Nothing used yet of a source with `paragraphs` whole paragraphs.
    pub(crate) fn new(paragraphs: usize) -> Used {
        Used {
            deck: (0..paragraphs).collect(),
            paragraphs: 0,
            sentences: Vec::new(),
        }
    }

    pub(crate) fn paragraphs_left(&self) -> bool {
        self.paragraphs < self.deck.len()
    }

    /// The next card of the article's shuffled deck of paragraphs.
    pub(crate) fn paragraph(&mut self, rng: &mut Rng) -> usize {
        let taken = self.paragraphs;
        let pick = taken + rng.below(self.deck.len() - taken);
        self.deck.swap(taken, pick);
        self.paragraphs += 1;
        self.deck[taken]
    }

    /// A sentence of `0..n`, one not used yet if a few tries find one.
    pub(crate) fn sentence(&mut self, rng: &mut Rng, n: usize) -> usize {
        let mut pick = rng.below(n);
        for _ in 0..4 {
            if !self.sentences.contains(&pick) {
                break;
            }
            pick = rng.below(n);
        }
        self.sentences.push(pick);
        pick
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_yields_enough_material() {
        let m = match Sample::read() {
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
        let m = match Sample::read() {
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
}
