//! Who and where an article is about: the people, places, organisations,
//! dates and figures that fill a template's slots.
//!
//! Each article has its own [`Cast`], made as its slots ask for it: a few
//! people, one county, a town or two, a company … so that one article
//! keeps speaking of the same 王建国 and the same 平阳县, while the next
//! article meets new ones. Names are made of the lists in [`crate::words`],
//! which is what gives a large archive its many rare words. Some things
//! belong to the newspaper rather than the article, as they do in a real
//! one: each feed has its own counties and its own staff of reporters,
//! drawn again and again.

use std::fmt::Write as _;

use crate::calendar::civil_from_days;
use crate::rng::{Rng, mix};
use crate::template::{Part, Slot, Template};
use crate::words::{
    BRAND, COMPANY_FORMS, COMPOUND_SURNAMES, CROPS, GIVEN, LIVESTOCK, OFFICES, ORDINALS, PLACE,
    ROAD_KINDS, ROAD_NAMES, SPORTS, SURNAMES, TRADES, VILLAGE_ENDINGS,
};

/// Counties a feed's news is about.
const COUNTIES_PER_FEED: u64 = 10;
/// Reporters on a feed's staff.
const STAFF_PER_FEED: usize = 80;
/// Tags that keep the feed-wide streams of choices apart.
const COUNTY_STREAM: u64 = 0xc0_0e7;
const STAFF_STREAM: u64 = 0x57_aff;

/// How many different ones of each kind an article speaks of, by
/// [`Slot::index`]; 0 for figures, which are new each time.
const CAST_SIZES: [usize; Slot::ALL.len()] = [
    4, // people
    1, // county
    2, // towns
    2, // villages
    2, // companies
    2, // schools
    1, // hospital
    1, // court
    1, // cooperative
    2, // teams (a match has two)
    2, // offices
    1, // road
    1, // day
    1, // year
    0, 0, 0, 0, // figures
];

/// The word lists as characters, to pick from by index.
#[derive(Debug)]
pub(crate) struct Words {
    surnames: Vec<char>,
    given: Vec<char>,
    place: Vec<char>,
    brand: Vec<char>,
}

impl Words {
    pub(crate) fn new() -> Words {
        Words {
            surnames: SURNAMES.chars().collect(),
            given: GIVEN.chars().collect(),
            place: PLACE.chars().collect(),
            brand: BRAND.chars().collect(),
        }
    }
}

/// What an article's figures and dates depend on: its newspaper and day.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Issue {
    pub(crate) seed: u64,
    pub(crate) feed: usize,
    /// The issue's date, as days since 1970-01-01.
    pub(crate) day: i64,
}

/// The people, places and things of one article; see the module docs.
pub(crate) struct Cast<'w> {
    words: &'w Words,
    issue: Issue,
    /// Which of the feed's counties the article is about.
    county: u64,
    /// The ones made so far, by [`Slot::index`].
    made: [Vec<String>; Slot::ALL.len()],
}

impl<'w> Cast<'w> {
    pub(crate) fn new(words: &'w Words, issue: Issue, rng: &mut Rng) -> Cast<'w> {
        Cast {
            words,
            issue,
            county: rng.below(COUNTIES_PER_FEED as usize) as u64,
            made: Default::default(),
        }
    }

    /// Appends `template` with its slots filled. Two slots of one kind in a
    /// sentence name two different ones (`{队}与{队}的比赛`).
    pub(crate) fn fill(&mut self, rng: &mut Rng, template: &Template, out: &mut String) {
        let mut last: [Option<usize>; Slot::ALL.len()] = [None; Slot::ALL.len()];
        for part in &template.parts {
            match *part {
                Part::Text(text) => out.push_str(text),
                Part::Slot(slot) => {
                    let size = CAST_SIZES[slot.index()];
                    if size == 0 {
                        figure(rng, slot, out);
                        continue;
                    }
                    let which = match last[slot.index()] {
                        Some(i) => (i + 1) % size,
                        None => rng.below(size),
                    };
                    last[slot.index()] = Some(which);
                    out.push_str(self.member(rng, slot, which));
                }
            }
        }
    }

    /// `template` filled, as a new string.
    pub(crate) fn filled(&mut self, rng: &mut Rng, template: &Template) -> String {
        let mut out = String::new();
        self.fill(rng, template, &mut out);
        out
    }

    /// A reporter of the feed's staff; some write more than others.
    pub(crate) fn reporter(&self, rng: &mut Rng) -> String {
        let k = rng.front(STAFF_PER_FEED) as u64;
        let mut staff = Rng::new(mix(
            self.issue.seed,
            &[self.issue.feed as u64, STAFF_STREAM, k],
        ));
        let mut name = String::new();
        self.person(&mut staff, &mut name);
        name
    }

    /// Someone not met before: a correspondent, a photographer.
    pub(crate) fn stranger(&self, rng: &mut Rng) -> String {
        let mut name = String::new();
        self.person(rng, &mut name);
        name
    }

    /// The `which`-th one of a kind, made when first asked for.
    fn member(&mut self, rng: &mut Rng, slot: Slot, which: usize) -> &str {
        while self.made[slot.index()].len() <= which {
            let mut made = String::new();
            self.make(rng, slot, &mut made);
            self.made[slot.index()].push(made);
        }
        &self.made[slot.index()][which]
    }

    /// A new one of a kind; figures are made by [`figure`].
    fn make(&mut self, rng: &mut Rng, slot: Slot, out: &mut String) {
        match slot {
            Slot::Person => self.person(rng, out),
            Slot::County => self.county(out),
            Slot::Town => {
                self.stem(rng, out);
                out.push(if rng.chance(65) { '镇' } else { '乡' });
            }
            Slot::Village => {
                self.hamlet(rng, out);
                out.push('村');
            }
            Slot::Company => self.company(rng, out),
            Slot::School => self.school(rng, out),
            Slot::Hospital => self.hospital(rng, out),
            Slot::Court => {
                if rng.chance(80) {
                    self.county(out);
                    out.push_str("人民法院");
                } else {
                    out.push_str("市中级人民法院");
                }
            }
            Slot::Coop => {
                // 李庄辣椒种植专业合作社, 柳林生猪养殖专业合作社, 李庄农机专业合作社.
                self.hamlet(rng, out);
                match rng.below(10) {
                    0..=5 => {
                        out.push_str(rng.word(&CROPS));
                        out.push_str("种植专业合作社");
                    }
                    6..=8 => {
                        out.push_str(rng.word(&LIVESTOCK));
                        out.push_str("养殖专业合作社");
                    }
                    _ => out.push_str("农机专业合作社"),
                }
            }
            Slot::Team => self.team(rng, out),
            Slot::Office => {
                match rng.below(5) {
                    0 | 1 => out.push('市'),
                    2 => out.push('县'),
                    _ => self.county(out),
                }
                out.push_str(rng.word(&OFFICES));
            }
            Slot::Road => {
                if rng.chance(40) {
                    out.push_str(rng.word(&ROAD_NAMES));
                } else {
                    self.stem(rng, out);
                }
                out.push_str(rng.word(&ROAD_KINDS));
            }
            Slot::Day => {
                // Most news is of yesterday; some of the days before.
                let back = if rng.chance(70) {
                    1
                } else {
                    rng.below(4) as i64
                };
                let (_, month, day) = civil_from_days(self.issue.day - back);
                let _ = write!(out, "{month}月{day}日");
            }
            Slot::Year => {
                let (year, _, _) = civil_from_days(self.issue.day);
                let year = if rng.chance(75) { year } else { year - 1 };
                let _ = write!(out, "{year}年");
            }
            Slot::Few | Slot::Hundreds | Slot::Thousands | Slot::Decimal => figure(rng, slot, out),
        }
    }

    /// A surname and one or two given characters: 王伟, 张晓东, 欧阳明.
    fn person(&self, rng: &mut Rng, out: &mut String) {
        let words = self.words;
        if rng.chance(1) {
            out.push_str(rng.word(&COMPOUND_SURNAMES));
        } else {
            out.push(words.surnames[rng.front(words.surnames.len())]);
        }
        let given = if rng.chance(28) { 1 } else { 2 };
        for _ in 0..given {
            // Gently skewed: some characters are in many names.
            let a = rng.below(words.given.len());
            let b = rng.below(words.given.len());
            out.push(words.given[a.min(b)]);
        }
    }

    /// Two different place syllables: 平阳, 柳林.
    fn stem(&self, rng: &mut Rng, out: &mut String) {
        let place = &self.words.place;
        let first = rng.below(place.len());
        let second = (first + 1 + rng.below(place.len() - 1)) % place.len();
        out.push(place[first]);
        out.push(place[second]);
    }

    /// A village's name without 村: a family's (李庄) or a place's (柳林).
    fn hamlet(&self, rng: &mut Rng, out: &mut String) {
        if rng.chance(45) {
            let surnames = &self.words.surnames;
            out.push(surnames[rng.front(surnames.len())]);
            out.push_str(rng.word(&VILLAGE_ENDINGS));
        } else {
            self.stem(rng, out);
        }
    }

    /// The article's county: one of the feed's, the same all through the
    /// article (and in the names of its schools and hospitals).
    fn county(&self, out: &mut String) {
        let mut rng = Rng::new(mix(
            self.issue.seed,
            &[self.issue.feed as u64, COUNTY_STREAM, self.county],
        ));
        self.stem(&mut rng, out);
        out.push(match rng.below(10) {
            0..=6 => '县',
            7 | 8 => '区',
            _ => '市',
        });
    }

    /// 瑞丰食品有限公司, 平阳恒达新材料股份有限公司.
    fn company(&self, rng: &mut Rng, out: &mut String) {
        if rng.chance(30) {
            self.stem(rng, out);
        }
        self.brand(rng, out);
        out.push_str(rng.word(&TRADES));
        out.push_str(rng.word(&COMPANY_FORMS));
    }

    fn brand(&self, rng: &mut Rng, out: &mut String) {
        let brand = &self.words.brand;
        let first = rng.below(brand.len());
        let second = (first + 1 + rng.below(brand.len() - 1)) % brand.len();
        out.push(brand[first]);
        out.push(brand[second]);
    }

    /// 平阳县第三高级中学, 柳林镇中心小学, 市第五小学, 平阳职业技术学院.
    fn school(&mut self, rng: &mut Rng, out: &mut String) {
        match rng.below(6) {
            0 | 1 => {
                self.county(out);
                let _ = write!(
                    out,
                    "第{}{}",
                    rng.word(&ORDINALS),
                    if rng.chance(50) {
                        "高级中学"
                    } else {
                        "初级中学"
                    }
                );
            }
            2 => {
                self.county(out);
                out.push_str(if rng.chance(50) {
                    "实验小学"
                } else {
                    "实验中学"
                });
            }
            3 => {
                let town = self.member(rng, Slot::Town, 0).to_owned();
                out.push_str(&town);
                out.push_str("中心小学");
            }
            4 => {
                let _ = write!(out, "市第{}小学", rng.word(&ORDINALS));
            }
            _ => {
                self.stem(rng, out);
                out.push_str("职业技术学院");
            }
        }
    }

    /// 平阳县人民医院, 柳林镇卫生院, 市中心医院.
    fn hospital(&mut self, rng: &mut Rng, out: &mut String) {
        match rng.below(6) {
            0 | 1 => {
                self.county(out);
                out.push_str("人民医院");
            }
            2 => {
                self.county(out);
                out.push_str(if rng.chance(50) {
                    "中医院"
                } else {
                    "妇幼保健院"
                });
            }
            3 => {
                let town = self.member(rng, Slot::Town, 0).to_owned();
                out.push_str(&town);
                out.push_str("卫生院");
            }
            4 => {
                let _ = write!(out, "市第{}人民医院", rng.word(&ORDINALS));
            }
            _ => out.push_str("市中心医院"),
        }
    }

    /// 平阳县队, 平阳县代表队, 瑞丰篮球俱乐部.
    fn team(&self, rng: &mut Rng, out: &mut String) {
        match rng.below(3) {
            0 => {
                self.stem(rng, out);
                out.push_str("县队");
            }
            1 => {
                self.stem(rng, out);
                out.push_str("代表队");
            }
            _ => {
                self.brand(rng, out);
                out.push_str(rng.word(&SPORTS));
                out.push_str("俱乐部");
            }
        }
    }
}

/// A number for `{几}`, `{百}`, `{千}` or `{点}`, new each time.
fn figure(rng: &mut Rng, slot: Slot, out: &mut String) {
    let _ = match slot {
        Slot::Few => write!(out, "{}", 2 + rng.front(59)),
        Slot::Hundreds => write!(out, "{}", rng.between((100, 999))),
        Slot::Thousands => write!(out, "{}", rng.between((1000, 9999))),
        _ => {
            let tenths = rng.between((1, 999));
            write!(out, "{}.{}", tenths / 10, tenths % 10)
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::days_from_civil;

    fn issue() -> Issue {
        Issue {
            seed: 3,
            feed: 1,
            day: days_from_civil(2026, 3, 1),
        }
    }

    fn fill(cast: &mut Cast<'_>, rng: &mut Rng, line: &'static str) -> String {
        let template = Template::parse(line).unwrap_or_else(|e| panic!("{e}"));
        cast.filled(rng, &template)
    }

    #[test]
    fn an_article_keeps_its_county_and_meets_two_teams() {
        let words = Words::new();
        let mut rng = Rng::new(1);
        for _ in 0..200 {
            let mut cast = Cast::new(&words, issue(), &mut rng);
            let a = fill(&mut cast, &mut rng, "{县}");
            let b = fill(&mut cast, &mut rng, "在{县}，");
            assert_eq!(format!("在{a}，"), b);
            assert!(a.ends_with(['县', '区', '市']), "{a}");
            let teams = fill(&mut cast, &mut rng, "{队}|{队}");
            let (x, y) = teams.split_once('|').unwrap_or(("", ""));
            assert_ne!(x, y);
        }
    }

    #[test]
    fn days_are_shortly_before_the_issue_and_years_its_own_or_the_last() {
        let words = Words::new();
        let mut rng = Rng::new(2);
        for _ in 0..200 {
            let mut cast = Cast::new(&words, issue(), &mut rng);
            let day = fill(&mut cast, &mut rng, "{日}");
            assert!(
                ["3月1日", "2月28日", "2月27日", "2月26日"].contains(&day.as_str()),
                "{day}"
            );
            let year = fill(&mut cast, &mut rng, "{年}");
            assert!(year == "2026年" || year == "2025年", "{year}");
        }
    }

    #[test]
    fn figures_stay_in_their_ranges() {
        let words = Words::new();
        let mut rng = Rng::new(3);
        let mut cast = Cast::new(&words, issue(), &mut rng);
        for _ in 0..2000 {
            let text = fill(&mut cast, &mut rng, "{几}|{百}|{千}|{点}");
            let numbers: Vec<f64> = text.split('|').filter_map(|n| n.parse().ok()).collect();
            let [few, hundreds, thousands, decimal] = numbers[..] else {
                panic!("{text}");
            };
            assert!((2.0..=60.0).contains(&few), "{text}");
            assert!((100.0..=999.0).contains(&hundreds), "{text}");
            assert!((1000.0..=9999.0).contains(&thousands), "{text}");
            assert!((0.1..=99.9).contains(&decimal), "{text}");
        }
    }

    #[test]
    fn names_are_many_and_the_staff_few() {
        let words = Words::new();
        let mut rng = Rng::new(4);
        let cast = Cast::new(&words, issue(), &mut rng);
        let strangers: std::collections::BTreeSet<String> =
            (0..2000).map(|_| cast.stranger(&mut rng)).collect();
        assert!(strangers.len() > 1900, "{}", strangers.len());
        assert!(
            strangers
                .iter()
                .all(|n| (2..=4).contains(&n.chars().count()))
        );
        let staff: std::collections::BTreeSet<String> =
            (0..2000).map(|_| cast.reporter(&mut rng)).collect();
        assert!(staff.len() <= STAFF_PER_FEED, "{}", staff.len());
        let other_feed = Cast::new(&words, Issue { feed: 2, ..issue() }, &mut rng);
        let theirs: std::collections::BTreeSet<String> =
            (0..2000).map(|_| other_feed.reporter(&mut rng)).collect();
        assert!(staff.intersection(&theirs).count() < 10);
    }
}
