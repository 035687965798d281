//! The seed texts: made-up news prose on seven beats besides the sample
//! page's (science policy and meetings), kept as data in
//! `synth/seeds/*.txt` (sport, economy, rural, culture and education,
//! weather, transport and emergencies, courts, health), and which section
//! draws on which.
//!
//! A seed file starts with a few lines saying what it is; then each line
//! `# 标题` (headlines), `# 引题` (kickers), `# 副题` (subheadlines),
//! `# 导语` (sentences that open an article), `# 正文` (the other
//! sentences), `# 图片说明` (photo captions) or `# 栏目` (column banners)
//! starts a part, and every other non-empty line is one template of it.
//! Templates hold placeholders that every article fills anew
//! ([`crate::cast`]): `{名}` a person, `{县}` a county, `{镇}` a town,
//! `{村}` a village, `{企}` a company, `{校}` a school, `{医}` a hospital,
//! `{法}` a court, `{社}` a cooperative, `{队}` a team, `{局}` an office,
//! `{路}` a road, `{日}` a day (`10月30日`), `{年}` a year (`2026年`),
//! and the figures `{几}` (2–60), `{百}`, `{千}` and `{点}` (`12.5`).
//!
//! What the page parser must read back shapes the texts (the tests below
//! check each rule): heads carry no sentence punctuation; a kicker ends
//! with a verb such as 提出, 表示 or 获悉; a subheadline starts with `——`
//! or 访; sentences end with `。` (or a closing quote) and have no 讯 or 电
//! before their first punctuation, where the parser looks for a dateline.

use crate::rng::Rng;
use crate::template::Template;

/// The seed files, by beat.
const SEEDS: [(&str, &str); 7] = [
    ("sport", include_str!("../seeds/sport.txt")),
    ("economy", include_str!("../seeds/economy.txt")),
    ("rural", include_str!("../seeds/rural.txt")),
    ("culture", include_str!("../seeds/culture.txt")),
    ("safety", include_str!("../seeds/safety.txt")),
    ("courts", include_str!("../seeds/courts.txt")),
    ("health", include_str!("../seeds/health.txt")),
];

/// Where each section's articles come from, in percent: the sample page,
/// then the beats in the order of [`SEEDS`]. The sample
/// (science policy and meetings, the staple of a city daily's front page)
/// makes about a quarter of all articles, so that the words the tests and
/// benchmarks search for (科技, 院士, 创新高地) stay common.
const MIX: [(&str, [u8; 8]); 12] = [
    //       sample sport econ rural cult safety courts health
    ("要闻", [45, 0, 20, 15, 5, 10, 0, 5]),
    ("综合", [20, 5, 15, 15, 10, 15, 10, 10]),
    ("经济", [15, 0, 70, 15, 0, 0, 0, 0]),
    ("时政", [60, 0, 10, 10, 0, 10, 10, 0]),
    ("科教", [55, 0, 0, 0, 45, 0, 0, 0]),
    ("文体", [5, 55, 0, 0, 40, 0, 0, 0]),
    ("社会", [5, 0, 0, 5, 5, 60, 15, 10]),
    ("法治", [5, 0, 0, 0, 0, 10, 85, 0]),
    ("农村", [10, 0, 10, 80, 0, 0, 0, 0]),
    ("健康", [5, 0, 0, 0, 0, 5, 0, 90]),
    ("评论", [50, 0, 15, 10, 10, 5, 5, 5]),
    ("副刊", [20, 5, 0, 15, 60, 0, 0, 0]),
];

/// Where an article's text comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// The bundled sample page.
    Sample,
    /// A seed text: the index into [`beats`]' list.
    Beat(usize),
}

/// The source of an article on a page of `section`.
pub(crate) fn source_for(section: &str, rng: &mut Rng) -> Source {
    let weights = MIX
        .iter()
        .find(|(name, _)| *name == section)
        .map_or(&MIX[0].1, |(_, weights)| weights);
    let total: usize = weights.iter().map(|&w| usize::from(w)).sum();
    let mut roll = rng.below(total);
    for (i, &weight) in weights.iter().enumerate() {
        let weight = usize::from(weight);
        if roll < weight {
            return match i {
                0 => Source::Sample,
                beat => Source::Beat(beat - 1),
            };
        }
        roll -= weight;
    }
    Source::Sample
}

/// The templates of one seed file.
#[derive(Debug)]
pub(crate) struct Beat {
    pub(crate) headlines: Vec<Template>,
    pub(crate) kickers: Vec<Template>,
    pub(crate) subtitles: Vec<Template>,
    pub(crate) leads: Vec<Template>,
    pub(crate) sentences: Vec<Template>,
    pub(crate) captions: Vec<Template>,
    pub(crate) columns: Vec<&'static str>,
}

/// Every beat, in the order of [`MIX`]'s columns.
pub(crate) fn beats() -> Result<Vec<Beat>, String> {
    SEEDS
        .iter()
        .map(|(name, text)| Beat::parse(text).map_err(|e| format!("seeds/{name}.txt: {e}")))
        .collect()
}

impl Beat {
    fn parse(text: &'static str) -> Result<Beat, String> {
        let mut beat = Beat {
            headlines: Vec::new(),
            kickers: Vec::new(),
            subtitles: Vec::new(),
            leads: Vec::new(),
            sentences: Vec::new(),
            captions: Vec::new(),
            columns: Vec::new(),
        };
        let mut part: Option<&str> = None;
        for (number, line) in text.lines().enumerate() {
            let line = line.trim();
            if let Some(name) = line.strip_prefix("# ") {
                part = Some(name.trim());
                continue;
            }
            let Some(part) = part else {
                continue; // the description above the first part
            };
            if line.is_empty() {
                continue;
            }
            let at = |e: String| format!("line {}: {e}", number + 1);
            let list = match part {
                "标题" => &mut beat.headlines,
                "引题" => &mut beat.kickers,
                "副题" => &mut beat.subtitles,
                "导语" => &mut beat.leads,
                "正文" => &mut beat.sentences,
                "图片说明" => &mut beat.captions,
                "栏目" => {
                    beat.columns.push(line);
                    continue;
                }
                other => return Err(at(format!("unknown part \"# {other}\""))),
            };
            list.push(Template::parse(line).map_err(at)?);
        }
        beat.check()?;
        Ok(beat)
    }

    /// Every part must hold something: picking from an empty one would
    /// panic.
    fn check(&self) -> Result<(), String> {
        let parts = [
            ("标题", self.headlines.len()),
            ("引题", self.kickers.len()),
            ("副题", self.subtitles.len()),
            ("导语", self.leads.len()),
            ("正文", self.sentences.len()),
            ("图片说明", self.captions.len()),
            ("栏目", self.columns.len()),
        ];
        match parts.iter().find(|(_, n)| *n == 0) {
            Some((part, _)) => Err(format!("no \"# {part}\" lines")),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every beat with its name.
    fn all() -> Vec<(&'static str, Beat)> {
        let beats = beats().unwrap_or_else(|e| panic!("{e}"));
        SEEDS.iter().map(|(name, _)| *name).zip(beats).collect()
    }

    #[test]
    fn every_seed_file_reads_and_has_forty_sentences_or_more() {
        let beats = all();
        assert_eq!(beats.len(), SEEDS.len());
        assert_eq!(MIX[0].1.len(), SEEDS.len() + 1);
        for (name, beat) in &beats {
            let sentences = beat.leads.len() + beat.sentences.len();
            assert!(sentences >= 40, "{name}: {sentences} sentences");
            assert!(beat.headlines.len() >= 15, "{name}");
        }
    }

    #[test]
    fn sections_draw_on_the_sample_a_quarter_of_the_time() {
        for (section, weights) in MIX {
            let total: usize = weights.iter().map(|&w| usize::from(w)).sum();
            assert_eq!(total, 100, "{section}");
        }
        let mut rng = Rng::new(8);
        let draws = 12_000;
        let sample = (0..draws)
            .filter(|i| {
                // 要闻 is on every issue's first page; the rest share the
                // other pages.
                let section = if i % 6 == 0 {
                    "要闻"
                } else {
                    MIX[1 + i % 11].0
                };
                source_for(section, &mut rng) == Source::Sample
            })
            .count();
        let share = sample * 100 / draws;
        assert!((20..=35).contains(&share), "{share}%");
    }

    #[test]
    fn heads_are_punctuated_as_heads() {
        for (name, beat) in all() {
            for t in beat.headlines.iter().chain(&beat.kickers) {
                assert!(
                    !t.source.contains(['。', '，', '；', '：', ',', ';']),
                    "{name}: {}",
                    t.source
                );
            }
            for t in &beat.subtitles {
                assert!(
                    t.source.starts_with("——") || t.source.starts_with('访'),
                    "{}",
                    t.source
                );
            }
        }
    }

    /// The parser takes a paragraph for one opening with a dateline when
    /// 讯 or 电 comes before its first punctuation (`本报讯`, `…日电`).
    #[test]
    fn no_sentence_has_a_dateline_character_in_its_first_words() {
        for (name, beat) in all() {
            for t in beat.leads.iter().chain(&beat.sentences) {
                let head: String = t
                    .text()
                    .collect::<String>()
                    .chars()
                    .take_while(|c| !"，。、：；“（,(:;".contains(*c))
                    .collect();
                assert!(!head.contains(['讯', '电']), "{name}: {}", t.source);
                assert!(t.source.ends_with(['。', '”']), "{}", t.source);
                assert!(!t.source.starts_with("图为"), "{}", t.source);
            }
            for t in &beat.captions {
                assert!(t.source.ends_with('。'), "{}", t.source);
            }
        }
    }
}
