//! Search (`kanbao::index::search`, `kanbao search`) on a fixed archive whose
//! text is known word for word: `tests/fixtures/search/` (six articles on
//! three dates and one undated page). Every expectation is the exact list
//! of headlines in rank order, so a search that finds too much, too little
//! or ranks wrongly fails.
//!
//! The fixture's articles, newest first as the library lists them:
//!
//! | date | headline | text holds |
//! |---|---|---|
//! | 03-09 | 院士工作站落户我市 | 院士, 2023年 |
//! | 03-09 | 城市书房再建二十家 | 市图书馆, 科技 (body) |
//! | 03-05 | 数字经济发展提速 | 5G网络, ＧＤＰ (full width), A股 (a lone 股), 科技, 乡村 |
//! | 03-01 | 科技局召开全市工作会议 | 区域创新高地, GDP增长 |
//! | 03-01 | 乡村振兴看新变化 | hard-wrapped: 人 / 才 on two lines |
//! | undated | 春天的故事 | ２０２３年 (full width), Gdp |

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::run::{Run, keys};
use kanbao::config::{self, Config};
use kanbao::index::grams;
use kanbao::index::search::{Query, QueryError, Ranked};
use kanbao::index::{self, Index, Opened, Progress};
use kanbao::library;
use serde_json::Value;
use tempfile::TempDir;

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

const ACADEMY: &str = "院士工作站落户我市";
const READING: &str = "城市书房再建二十家";
const DIGITAL: &str = "数字经济发展提速";
const MEETING: &str = "科技局召开全市工作会议";
const VILLAGE: &str = "乡村振兴看新变化";
const SPRING: &str = "春天的故事";

fn fixture_config() -> PathBuf {
    Path::new(MANIFEST_DIR).join("tests/fixtures/search/config.toml")
}

fn quiet(_: Progress) {}

/// The fixture opened through an index in a temporary folder.
struct Fixture {
    _cache: TempDir,
    config: Config,
    opened: Opened,
}

fn fixture() -> Fixture {
    let path = fixture_config();
    let config = config::load(&path, "config.toml").unwrap_or_else(|e| panic!("{e:?}"));
    let cache = TempDir::new().expect("a temporary folder");
    let opened = index::open_at(&Index::at(cache.path().join("index")), &config, &quiet);
    assert_eq!(opened.library.warnings, [], "the fixture loads cleanly");
    Fixture {
        _cache: cache,
        config,
        opened,
    }
}

/// Headlines of the hits of `query`, in rank order, each with whether it
/// was a headline hit.
fn search(opened: &Opened, query: &str) -> Vec<(String, bool)> {
    let query = Query::parse(query).unwrap_or_else(|e| panic!("{query}: {e}"));
    opened
        .search
        .find(&query)
        .iter()
        .map(|h| {
            (
                opened.library.articles[h.article]
                    .display_title()
                    .to_owned(),
                h.in_title,
            )
        })
        .collect()
}

fn titles(opened: &Opened, query: &str) -> Vec<String> {
    search(opened, query).into_iter().map(|(t, _)| t).collect()
}

#[test]
fn the_fixture_lists_as_documented() {
    let f = fixture();
    let listed: Vec<(&str, Option<&str>)> = f
        .opened
        .library
        .articles
        .iter()
        .map(|a| (a.display_title(), a.date.as_deref()))
        .collect();
    assert_eq!(
        listed,
        [
            (ACADEMY, Some("2023-03-09")),
            (READING, Some("2023-03-09")),
            (DIGITAL, Some("2023-03-05")),
            (MEETING, Some("2023-03-01")),
            (VILLAGE, Some("2023-03-01")),
            (SPRING, None),
        ]
    );
}

#[test]
fn one_han_character() {
    let f = fixture();
    assert_eq!(titles(&f.opened, "院"), [ACADEMY]);
    assert_eq!(titles(&f.opened, "图"), [READING]);
    // 股 stands alone between a Latin letter and punctuation (A股，).
    assert_eq!(titles(&f.opened, "股"), [DIGITAL]);
    // In headlines and bodies.
    assert_eq!(
        titles(&f.opened, "村"),
        [VILLAGE, DIGITAL],
        "headline hit first"
    );
}

#[test]
fn two_three_and_more_han_characters() {
    let f = fixture();
    assert_eq!(
        search(&f.opened, "科技"),
        [
            (MEETING.to_owned(), true),
            (READING.to_owned(), false),
            (DIGITAL.to_owned(), false),
        ]
    );
    assert_eq!(titles(&f.opened, "科技局"), [MEETING]);
    assert_eq!(titles(&f.opened, "创新高地"), [MEETING]);
    assert_eq!(titles(&f.opened, "区域创新高地"), [MEETING]);
    assert_eq!(titles(&f.opened, "十五分钟阅读圈"), [READING]);
    // Every bigram present, but not in this order: no hit.
    assert_eq!(titles(&f.opened, "高地创新"), Vec::<String>::new());
    assert_eq!(titles(&f.opened, "科技创新"), Vec::<String>::new());
}

#[test]
fn latin_words_ignore_case_and_width() {
    let f = fixture();
    // GDP (A), ＧＤＰ (C), Gdp (undated): newest first, undated last.
    let all = [DIGITAL, MEETING, SPRING];
    for q in ["GDP", "gdp", "Gdp", "ＧＤＰ", "ｇｄｐ"] {
        assert_eq!(titles(&f.opened, q), all, "{q}");
    }
    // Whole words only.
    assert_eq!(titles(&f.opened, "GD"), Vec::<String>::new());
    assert_eq!(titles(&f.opened, "GDPs"), Vec::<String>::new());
}

#[test]
fn numbers_in_either_width() {
    let f = fixture();
    for q in ["2023", "２０２３", "2023年", "２０２３年"] {
        assert_eq!(titles(&f.opened, q), [ACADEMY, SPRING], "{q}");
    }
    assert_eq!(titles(&f.opened, "202"), Vec::<String>::new());
}

#[test]
fn mixed_latin_and_han() {
    let f = fixture();
    assert_eq!(titles(&f.opened, "5G网络"), [DIGITAL]);
    assert_eq!(titles(&f.opened, "５ｇ网络"), [DIGITAL]);
    assert_eq!(titles(&f.opened, "GDP增长"), [MEETING]);
    assert_eq!(titles(&f.opened, "ＧＤＰ总量"), [DIGITAL]);
    assert_eq!(titles(&f.opened, "A股"), [DIGITAL]);
    // The parts are there, not together.
    assert_eq!(titles(&f.opened, "GDP总"), [DIGITAL]);
    assert_eq!(titles(&f.opened, "GDP突破"), Vec::<String>::new());
}

#[test]
fn several_words_must_all_be_there() {
    let f = fixture();
    assert_eq!(titles(&f.opened, "科技 乡村"), [DIGITAL]);
    assert_eq!(
        titles(&f.opened, "乡村，科技！"),
        [DIGITAL],
        "punctuation separates"
    );
    assert_eq!(titles(&f.opened, "GDP 2023"), [SPRING]);
    assert_eq!(
        search(&f.opened, "科技 会议"),
        [(MEETING.to_owned(), true)],
        "both in the headline"
    );
    assert_eq!(
        search(&f.opened, "科技 创新高地"),
        [(MEETING.to_owned(), false)],
        "one in the body: not a headline hit"
    );
    assert_eq!(titles(&f.opened, "科技 火星"), Vec::<String>::new());
}

#[test]
fn no_hits() {
    let f = fixture();
    for q in ["火星", "火", "xyz", "9999", "院士 乡村"] {
        assert_eq!(titles(&f.opened, q), Vec::<String>::new(), "{q}");
    }
}

#[test]
fn a_query_of_punctuation_only_is_an_error() {
    for q in ["，。！", "", "   ", "……——", "“”《》", "?!.,"] {
        assert_eq!(
            Query::parse(q).map(|_| ()),
            Err(QueryError::NothingToSearch),
            "{q:?}"
        );
    }
    assert_eq!(
        QueryError::NothingToSearch.to_string(),
        "nothing to search for: give a word, a number or Chinese characters (punctuation is ignored)"
    );
    let query = Query::parse("“两会” ＧＤＰ，科技").expect("a query");
    // Each term in every script's form (科技 and gdp are written alike).
    assert_eq!(
        query.terms().collect::<Vec<_>>(),
        ["两会", "兩會", "gdp", "科技"]
    );
}

#[test]
fn a_word_cut_by_a_line_break_is_found() {
    let f = fixture();
    // 人 ends one line of the page and 才 starts the next; 焕然 / 一新 too.
    assert_eq!(titles(&f.opened, "人才"), [VILLAGE]);
    assert_eq!(
        titles(&f.opened, "产业人才"),
        Vec::<String>::new(),
        "、 between"
    );
    assert_eq!(titles(&f.opened, "焕然一新"), [VILLAGE]);
    assert_eq!(
        titles(&f.opened, "新时代三农"),
        Vec::<String>::new(),
        "“ between"
    );
}

#[test]
fn headline_hits_rank_first_then_the_newest() {
    let f = fixture();
    // 科技: the headline hit of 03-01 before the body hits of 03-09 and 03-05.
    assert_eq!(titles(&f.opened, "科技"), [MEETING, READING, DIGITAL]);
    // 乡村: the headline hit of 03-01 before the body hit of 03-05.
    assert_eq!(
        search(&f.opened, "乡村"),
        [(VILLAGE.to_owned(), true), (DIGITAL.to_owned(), false)]
    );
    // 全市: in the bodies of 03-05 and both of 03-01, and one headline.
    assert_eq!(titles(&f.opened, "全市"), [MEETING, DIGITAL, VILLAGE]);
    // 本报讯: bodies only; two of 03-09 in library order, then 03-05, 03-01.
    assert_eq!(
        titles(&f.opened, "本报讯"),
        [ACADEMY, READING, DIGITAL, MEETING]
    );
}

/// The first 20 hits of `query` ranked from the articles themselves, as
/// the reader ranked them before the index kept rank keys: headline hits
/// first, then by date and publication time, newest first, then in
/// library order; each as (id, in the headline).
fn ranked_from_articles(opened: &Opened, query: &Query) -> Vec<(String, bool)> {
    use std::cmp::Reverse;
    let articles = &opened.library.articles;
    let mut hits: Vec<(usize, bool)> = opened
        .search
        .find(query)
        .iter()
        .map(|h| (h.article, h.in_title))
        .collect();
    let published = |a: &kanbao::model::Article| {
        a.published
            .as_deref()
            .and_then(|p| chrono::DateTime::parse_from_rfc3339(p).ok())
            .map(|t| t.timestamp())
    };
    hits.sort_by_key(|&(n, in_title)| {
        let a = &articles[n];
        (!in_title, Reverse(a.date.clone()), Reverse(published(a)), n)
    });
    hits.into_iter()
        .take(20)
        .map(|(n, t)| (articles[n].id.clone(), t))
        .collect()
}

/// Queries of one to four characters, Han and digits, common and rare.
const WORDS: [&str; 8] = [
    "院士",
    "科技",
    "创新平台",
    "院",
    "创新高地",
    "工作",
    "的",
    "2023",
];

#[test]
fn the_first_20_hits_are_the_same_with_and_without_rank_keys() {
    let (papers_dir, papers) = common::papers::papers();
    let archives = [(fixture_config(), None), (PathBuf::new(), Some(papers))];
    for (path, config) in archives {
        let config = config.unwrap_or_else(|| {
            config::load(&path, "config.toml").unwrap_or_else(|e| panic!("{e:?}"))
        });
        let cache = TempDir::new().expect("a temporary folder");
        let index = Index::at(cache.path().join("index"));
        let opened = index::open_at(&index, &config, &quiet);
        let snapshot = index::snapshot_at(&index, &config, &quiet, index::fresh::Freshness::Quick);
        for word in WORDS {
            let query = Query::parse(word).unwrap_or_else(|e| panic!("{word}: {e}"));
            let expected = ranked_from_articles(&opened, &query);
            let found = snapshot.search(&query, Some(20));
            let got: Vec<(String, bool)> = found
                .hits
                .iter()
                .map(|(h, a)| (a.id.clone(), h.in_title))
                .collect();
            assert_eq!(got, expected, "{word} in {}", path.display());
            assert_eq!(found.count, opened.search.find(&query).len(), "{word}");
        }
    }
    drop(papers_dir);
}

/// A command keeps only the hits that may be among the first it prints
/// as the search goes (a few thousand of half a million): its first
/// hits, ties on the boundary included, and its count are those of
/// every hit ranked.
#[test]
fn a_commands_first_hits_are_the_first_of_all_hits_ranked() {
    let dir = common::papers::synthetic(12_000, 11, 2);
    let config = config::load(&dir.path().join("config.toml"), "config.toml")
        .unwrap_or_else(|e| panic!("{e}"));
    let cache = TempDir::new().expect("a temporary folder");
    let index = Index::at(cache.path().join("index"));
    let snapshot = index::snapshot_at(&index, &config, &quiet, index::fresh::Freshness::Quick);
    let mut most = 0;
    for word in WORDS {
        let query = Query::parse(word).unwrap_or_else(|e| panic!("{word}: {e}"));
        let (count, all) = snapshot.ranked(&query, None);
        assert_eq!(count, all.len(), "{word}");
        most = most.max(count);
        for first in [0, 1, 20, 333, 5_000, 20_000] {
            let (n, hits) = snapshot.ranked(&query, Some(first));
            assert_eq!(n, count, "{word}, first {first}");
            assert_eq!(hits, all[..first.min(count)], "{word}, first {first}");
        }
    }
    // Enough hits that the kept ones were cut down as the search went
    // (once a list holds 4,096).
    assert!(most > 10_000, "{most}");
}

/// The reader's search (`find_all`, its hits ordered by one number each
/// once `rank_all` has ranked every article) lists the same articles in
/// the same order as `find`, headline hits and ties included, and so
/// does it before the ranking.
#[test]
fn the_readers_ranked_search_orders_as_find_does() {
    let (papers_dir, papers) = common::papers::papers();
    let fixture =
        config::load(&fixture_config(), "config.toml").unwrap_or_else(|e| panic!("{e:?}"));
    for config in [fixture, papers] {
        let cache = TempDir::new().expect("a temporary folder");
        let index = Index::at(cache.path().join("index"));
        let opened = index::open_at(&index, &config, &quiet);
        let mut ranked = opened.search.clone();
        ranked.rank_all();
        assert_ne!(ranked, opened.search, "ranked whole");
        for word in WORDS.into_iter().chain(["㐀"]) {
            let query = Query::parse(word).unwrap_or_else(|e| panic!("{word}: {e}"));
            let expected: Vec<(usize, bool)> = opened
                .search
                .find(&query)
                .iter()
                .map(|h| (h.article, h.in_title))
                .collect();
            for search in [&opened.search, &ranked] {
                let got: Vec<(usize, bool)> = search
                    .find_all(&query)
                    .iter()
                    .map(|h| (h.article(), h.in_title()))
                    .collect();
                assert_eq!(got, expected, "{word}");
            }
            // The ranking changes nothing `find` gives.
            let again: Vec<(usize, bool)> = ranked
                .find(&query)
                .iter()
                .map(|h| (h.article, h.in_title))
                .collect();
            assert_eq!(again, expected, "{word}");
        }
    }
    drop(papers_dir);
}

/// Pages indexed in three refreshes (three segments, searched side by
/// side), the last two each in one script: one- and two-character
/// searches find and rank what one build of the same pages finds,
/// headline hits of either script first, through `find` and through the
/// reader's ranked `find_all` and `find_first`.
#[test]
fn segments_in_either_script_are_searched_as_one_build_is() {
    let dir = TempDir::new().expect("a temporary folder");
    copy_tree(
        &Path::new(MANIFEST_DIR).join("tests/fixtures/search"),
        dir.path(),
    );
    let config = config::load(&dir.path().join("config.toml"), "config.toml")
        .unwrap_or_else(|e| panic!("{e:?}"));
    let index = Index::at(dir.path().join("cache/index"));
    index::open_at(&index, &config, &quiet);
    let pages = [
        (
            "2023-03-12/04-园区.txt",
            "创新园区开工建设\n\n记者 王平\n\n　　本报讯 新区今天开工，推动科技创新。\n\n\n\
             新区道路通车\n\n记者 王平\n\n　　本报讯 道路通车，方便创业者出行。\n",
        ),
        (
            "2023-03-13/05-港口.txt",
            "創新中心揭牌\n\n記者 陳明\n\n　　本報訊 中心今天揭牌，服務科技創新。\n\n\n\
             港口貨運增長\n\n記者 陳明\n\n　　本報訊 港口貨運增長，創下新高。\n",
        ),
    ];
    for (path, text) in pages {
        let path = dir.path().join("daily").join(path);
        fs::create_dir_all(path.parent().expect("a folder")).expect("create");
        fs::write(&path, text).expect("write");
        index::open_at(&index, &config, &quiet);
    }
    let segments = fs::read_dir(dir.path().join("cache/index"))
        .expect("the index")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.file_name().to_string_lossy().starts_with("seg-"))
        })
        .count();
    assert_eq!(segments, 3, "one segment a refresh");
    let opened = index::open_at(&index, &config, &quiet);
    assert_eq!(opened.library.warnings, []);
    let memory = index::in_memory(&config, &quiet);
    let mut ranked = opened.search.clone();
    ranked.rank_all();
    let headlines = |hits: &[Ranked]| -> Vec<(String, bool)> {
        hits.iter()
            .map(|h| {
                let title = opened.library.articles[h.article()].display_title();
                (title.to_owned(), h.in_title())
            })
            .collect()
    };
    for q in ["创", "創", "创新", "科技", "本报讯", "院"] {
        let expected = search(&memory, q);
        assert_eq!(search(&opened, q), expected, "{q}");
        let query = Query::parse(q).unwrap_or_else(|e| panic!("{q}: {e}"));
        assert_eq!(headlines(&ranked.find_all(&query)), expected, "{q}");
        let (first, complete) = ranked.find_first(&query, 100);
        assert!(complete, "{q}: room for every hit");
        assert_eq!(headlines(&first), expected, "{q}");
    }
    // Either script's headline hits first, the newest first; then the
    // rest, the newest first.
    assert_eq!(
        search(&opened, "创"),
        [
            ("創新中心揭牌".to_owned(), true),
            ("创新园区开工建设".to_owned(), true),
            ("港口貨運增長".to_owned(), false),
            ("新区道路通车".to_owned(), false),
            (MEETING.to_owned(), false),
        ]
    );
    drop(memory);
}

/// The reader's two-step search (`find_first`): the first hits confirmed
/// in their texts, the rest candidates in rank order that hold every hit.
#[test]
fn a_search_answers_with_its_first_hits_confirmed_and_the_rest_as_candidates() {
    let (dir, config) = common::papers::candidates(10);
    let cache = TempDir::new().expect("a temporary folder");
    let index = Index::at(cache.path().join("index"));
    let mut search = index::open_at(&index, &config, &quiet).search;
    search.rank_all();
    let query = Query::parse("创新平台").expect("a query");
    let articles = |hits: &[Ranked]| hits.iter().map(Ranked::article).collect::<Vec<_>>();
    let all = articles(&search.find_all(&query));
    assert_eq!(all.len(), 5, "the even pages");
    // Page 0, 1 (not a hit, dropped), 2 read: two confirmed, then pages
    // 3 to 9 as candidates.
    let (hits, complete) = search.find_first(&query, 2);
    let got = articles(&hits);
    assert!(!complete);
    assert_eq!(got.len(), 9);
    assert_eq!(got[..2], all[..2]);
    let kept: Vec<usize> = got.iter().copied().filter(|a| all.contains(a)).collect();
    assert_eq!(kept, all, "every hit, in rank order");
    // Enough room for every candidate: all confirmed at once.
    let (hits, complete) = search.find_first(&query, 10);
    assert!(complete);
    assert_eq!(articles(&hits), all);
    drop(dir);
}

/// The reader's first answer to one character or bigram (`find_first`):
/// every hit at once, ranked by date, the headlines of the newest looked
/// at one by one until enough hold the query; those go first, and the
/// worker's `find_all` gives the order of the rest. 128 articles: up to
/// four headlines (a 32nd) are looked at before the pass over them all
/// is the cheaper way.
#[test]
fn a_bigram_answers_with_its_first_headline_hits_and_every_hit() {
    let (dir, config) = common::papers::headlines(128);
    let cache = TempDir::new().expect("a temporary folder");
    let index = Index::at(cache.path().join("index"));
    let opened = index::open_at(&index, &config, &quiet);
    let mut search = opened.search;
    search.rank_all();
    let title = |h: &Ranked| {
        let article = &opened.library.articles[h.article()];
        (article.display_title().to_owned(), h.in_title())
    };
    let titles = |hits: &[Ranked]| hits.iter().map(title).collect::<Vec<_>>();
    // Page n's headline, and whether it holds the query.
    let page = |n: usize| match n % 3 {
        0 => (format!("第{n}篇：创新引来人才"), true),
        _ => (format!("第{n}篇报道"), false),
    };
    for q in ["创新", "创"] {
        let query = Query::parse(q).expect("a query");
        let all = titles(&search.find_all(&query));
        let headlines_first: Vec<_> = (0..128)
            .filter(|n| n % 3 == 0)
            .chain((0..128).filter(|n| n % 3 != 0))
            .map(page)
            .collect();
        assert_eq!(
            all, headlines_first,
            "{q}: headline hits first, each part by date"
        );
        // Two asked for: pages 0 to 3 looked at, 0 and 3 first; the rest
        // by date, their headlines not looked at yet.
        let (hits, complete) = search.find_first(&query, 2);
        assert!(!complete, "{q}");
        let expected: Vec<_> = [page(0), page(3), (page(1).0, false), (page(2).0, false)]
            .into_iter()
            .chain((4..128).map(|n| (page(n).0, false)))
            .collect();
        assert_eq!(titles(&hits), expected, "{q}");
        // Five asked for: two among the four that may be looked at; the
        // one pass over the headlines instead, and the whole answer.
        let (hits, complete) = search.find_first(&query, 5);
        assert!(complete, "{q}");
        assert_eq!(titles(&hits), all, "{q}");
        // Room for every hit: each headline looked at, the whole answer.
        let (hits, complete) = search.find_first(&query, 200);
        assert!(complete, "{q}");
        assert_eq!(titles(&hits), all, "{q}");
    }
    drop(dir);
}

#[test]
fn the_index_and_memory_find_the_same() {
    let f = fixture();
    let memory = index::in_memory(&f.config, &quiet);
    for q in [
        "科技",
        "院",
        "GDP",
        "2023",
        "5G网络",
        "科技 乡村",
        "人才",
        "本报讯",
        "火星",
    ] {
        assert_eq!(search(&memory, q), search(&f.opened, q), "{q}");
    }
}

/// `snippet.marks` cover exactly the term (compared as search compares,
/// case and width folded) and every occurrence of it in the snippet.
fn assert_marks(text: &str, marks: &[std::ops::Range<usize>], term: &str) {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let folded: Vec<char> = chars.iter().map(|&(_, c)| grams::fold(c)).collect();
    let term: Vec<char> = term.chars().collect();
    let byte = |n: usize| chars.get(n).map_or(text.len(), |&(i, _)| i);
    let mut expected = Vec::new();
    let mut n = 0;
    while n + term.len() <= folded.len() {
        if folded[n..n + term.len()] == term[..] {
            expected.push(byte(n)..byte(n + term.len()));
            n += term.len();
        } else {
            n += 1;
        }
    }
    assert!(!expected.is_empty(), "{term:?} not in the snippet {text:?}");
    assert_eq!(marks, expected, "marks of {term:?} in {text:?}");
}

#[test]
fn snippets_hold_the_match_and_mark_exactly_it() {
    let f = fixture();
    for (q, term) in [
        ("科技", "科技"),
        ("院", "院"),
        ("创新高地", "创新高地"),
        ("人才", "人才"),
        ("本报讯", "本报讯"),
    ] {
        let query = Query::parse(q).expect("a query");
        let hits = f.opened.search.find(&query);
        assert!(!hits.is_empty(), "{q}");
        for hit in &hits {
            let s = f.opened.search.snippet(hit, &query, 12, 60);
            assert!(s.text.contains(term), "{q}: {s:?}");
            assert!(!s.text.contains('\n'), "one line: {s:?}");
            // At most 60 characters, and an ellipsis when it starts after
            // the start of the text.
            let text = s.text.strip_prefix('…').unwrap_or(&s.text);
            assert!(text.chars().count() <= 60, "{s:?}");
            assert_marks(&s.text, &s.marks, term);
        }
    }
}

#[test]
fn a_snippet_starts_its_context_before_the_match() {
    let f = fixture();
    let query = Query::parse("人才").expect("a query");
    let hits = f.opened.search.find(&query);
    assert_eq!(hits.len(), 1);
    // …统筹推进产业、人才、文化、…: four characters before, ten in all,
    // after an ellipsis (the paragraph starts earlier).
    let s = f.opened.search.snippet(&hits[0], &query, 4, 10);
    assert_eq!(s.text, "…进产业、人才、文化、");
    assert_eq!(s.marks, vec![15..21]);
    assert_eq!(&s.text[s.marks[0].clone()], "人才");
    // Context that would open on a mark no line starts with (the 、 of
    // 产业、人才) starts after it.
    let s = f.opened.search.snippet(&hits[0], &query, 1, 6);
    assert_eq!(s.text, "…人才、文化、");
    assert_eq!(&s.text[s.marks[0].clone()], "人才");
    // No context before.
    let s = f.opened.search.snippet(&hits[0], &query, 0, 2);
    assert_eq!(s.text, "…人才");
    assert_eq!(s.marks, vec![3..9]);
    // The start of the text: no ellipsis (春天的故事: ２０２３年的春天…).
    let query = Query::parse("春天来了").expect("a query");
    let hits = f.opened.search.find(&query);
    assert_eq!(hits.len(), 1);
    let s = f.opened.search.snippet(&hits[0], &query, 20, 10);
    assert_eq!(s.marks.len(), 1, "{s:?}");
    assert_eq!(&s.text[s.marks[0].clone()], "春天来了");
    assert_eq!(s.text.chars().count(), 10, "{s:?}");
    assert!(s.text.ends_with("的春天来了"), "{s:?}");
    assert!(!s.text.starts_with('…'), "{s:?}");

    // Several terms: every match marked, the first one leads.
    let query = Query::parse("会议 高地").expect("a query");
    let hits = f.opened.search.find(&query);
    assert_eq!(hits.len(), 1);
    let s = f.opened.search.snippet(&hits[0], &query, 2, 20);
    // The body's 会议 comes first: 本报讯 会议指出，要奋力建设区域创新高地.
    assert!(s.text.starts_with("…讯 会议指出"), "{s:?}");
    let marked: Vec<&str> = s.marks.iter().map(|m| &s.text[m.clone()]).collect();
    assert_eq!(marked, ["会议", "高地"]);
}

/// A snippet is the article's own text: not lower-cased, its full-width
/// letters, digits and punctuation as printed.
#[test]
fn snippets_show_the_article_s_own_text() {
    let f = fixture();
    for (q, title, shown) in [
        ("GDP增长", MEETING, "全年GDP增长百分之六，实现良好开局。"),
        (
            "ＧＤＰ总量",
            DIGITAL,
            "5G网络基站三千个，ＧＤＰ总量突破千亿元，相关A股，",
        ),
        (
            "2023年",
            SPRING,
            "２０２３年的春天来了，人们在茶馆里谈论着Gdp和物价，",
        ),
    ] {
        let query = Query::parse(q).expect("a query");
        let hits = f.opened.search.find(&query);
        let hit = hits
            .iter()
            .find(|h| f.opened.library.articles[h.article].display_title() == title)
            .unwrap_or_else(|| panic!("{q}: no hit in {title}"));
        let s = f.opened.search.snippet(hit, &query, 20, 60);
        assert!(
            s.text.contains(shown),
            "{q}: {:?} does not show {shown:?}",
            s.text
        );
    }
}

#[test]
fn a_changed_page_is_searched_as_it_is_now() {
    // The fixture copied, indexed, then one page rewritten: the old text is
    // no longer found (its article's older copy is in an older segment), the
    // new one is.
    let dir = TempDir::new().expect("a temporary folder");
    let from = Path::new(MANIFEST_DIR).join("tests/fixtures/search");
    copy_tree(&from, dir.path());
    let config = config::load(&dir.path().join("config.toml"), "config.toml")
        .unwrap_or_else(|e| panic!("{e:?}"));
    let index = Index::at(dir.path().join("cache/index"));
    let opened = index::open_at(&index, &config, &quiet);
    assert_eq!(titles(&opened, "图书馆"), [READING]);

    let page = dir.path().join("daily/2023-03-09/03-科教.txt");
    let text = fs::read_to_string(&page).expect("read");
    fs::write(&page, text.replace("市图书馆", "市档案馆的人")).expect("write");
    let opened = index::open_at(&index, &config, &quiet);
    assert_eq!(opened.library.warnings, []);
    assert_eq!(titles(&opened, "图书馆"), Vec::<String>::new());
    assert_eq!(titles(&opened, "档案馆"), [READING]);
    // The rest is found as before, in the same order.
    assert_eq!(titles(&opened, "科技"), [MEETING, READING, DIGITAL]);
    assert_eq!(
        titles(&opened, "本报讯"),
        [ACADEMY, READING, DIGITAL, MEETING]
    );
    // And the hit's article reads back with the new text.
    let query = Query::parse("档案馆").expect("a query");
    let hit = opened.search.find(&query)[0];
    let article = library::read_article(&config.feeds, &opened.library.articles[hit.article])
        .expect("read the article");
    assert!(
        article.paragraphs[0].contains("市档案馆的人"),
        "{article:?}"
    );

    // Deleted: not found.
    fs::remove_file(&page).expect("remove");
    let opened = index::open_at(&index, &config, &quiet);
    assert_eq!(titles(&opened, "档案馆"), Vec::<String>::new());
    assert_eq!(titles(&opened, "科技"), [MEETING, DIGITAL]);
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create");
    for entry in fs::read_dir(from).expect("read a folder") {
        let entry = entry.expect("an entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

// ───────────────────────────── the command ─────────────────────────────

/// `kanbao --config <fixture> ARGS…` with the index in `cache`.
fn kanbao(cache: &Path, args: &[&str]) -> Run {
    Run::of(
        Command::new(env!("CARGO_BIN_EXE_kanbao"))
            .arg("--config")
            .arg(fixture_config())
            .args(args)
            .current_dir(cache)
            .env_remove("KANBAO_CONFIG")
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("HOME")
            .env("XDG_STATE_HOME", cache.join("state"))
            .env("XDG_CACHE_HOME", cache.join("cache")),
    )
}

#[test]
fn search_json_has_the_documented_fields() {
    let dir = TempDir::new().expect("a temporary folder");
    let f = fixture();
    let id_of = |title: &str| {
        f.opened
            .library
            .articles
            .iter()
            .find(|a| a.display_title() == title)
            .map(|a| a.id.clone())
            .expect("an article")
    };

    let run = kanbao(dir.path(), &["search", "--json", "科技"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stderr, "");
    let out: Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(keys(&out), ["count", "hits", "query", "warnings"]);
    assert_eq!(out["query"], "科技");
    assert_eq!(out["count"], 3);
    assert_eq!(out["warnings"], serde_json::json!([]));
    let hits = out["hits"].as_array().expect("hits is an array");
    let rows: Vec<(&str, &str, &str, &str, &str, bool)> = hits
        .iter()
        .map(|h| {
            assert_eq!(
                keys(h),
                [
                    "date", "feed", "id", "in_title", "marks", "section", "snippet", "title"
                ],
                "{h}"
            );
            (
                h["id"].as_str().expect("id"),
                h["feed"].as_str().expect("feed"),
                h["date"].as_str().expect("date"),
                h["section"].as_str().expect("section"),
                h["title"].as_str().expect("title"),
                h["in_title"].as_bool().expect("in_title"),
            )
        })
        .collect();
    let (meeting, reading, digital) = (id_of(MEETING), id_of(READING), id_of(DIGITAL));
    assert_eq!(
        rows,
        [
            (
                meeting.as_str(),
                "daily",
                "2023-03-01",
                "要闻",
                MEETING,
                true
            ),
            (
                reading.as_str(),
                "daily",
                "2023-03-09",
                "科教",
                READING,
                false
            ),
            (
                digital.as_str(),
                "daily",
                "2023-03-05",
                "经济",
                DIGITAL,
                false
            ),
        ]
    );
    for h in hits {
        // Marks are character ranges [start, end) of the snippet.
        let snippet: Vec<char> = h["snippet"].as_str().expect("snippet").chars().collect();
        let marks = h["marks"].as_array().expect("marks");
        assert!(!marks.is_empty(), "{h}");
        for m in marks {
            let (start, end) = (
                m[0].as_u64().expect("start") as usize,
                m[1].as_u64().expect("end") as usize,
            );
            let marked: String = snippet[start..end].iter().collect();
            assert_eq!(marked, "科技", "{h}");
        }
    }

    // --limit: the count of all hits, the first N shown.
    let run = kanbao(dir.path(), &["search", "--json", "--limit", "1", "科技"]);
    assert_eq!(run.code, 0, "{run:?}");
    let limited: Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(limited["count"], 3);
    assert_eq!(limited["hits"].as_array().map(Vec::len), Some(1));
    assert_eq!(limited["hits"][0], hits[0]);

    // No hits.
    let run = kanbao(dir.path(), &["search", "--json", "火星"]);
    assert_eq!(run.code, 0, "{run:?}");
    let none: Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(none["count"], 0);
    assert_eq!(none["hits"], serde_json::json!([]));

    // Several arguments are one query.
    let run = kanbao(dir.path(), &["search", "--json", "科技", "乡村"]);
    let both: Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(both["query"], "科技 乡村");
    assert_eq!(both["count"], 1);
    assert_eq!(both["hits"][0]["title"], DIGITAL);
}

#[test]
fn search_prints_the_hits() {
    let dir = TempDir::new().expect("a temporary folder");
    let run = kanbao(dir.path(), &["search", "乡村"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stderr, "");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines[0], "2 articles match \"乡村\"");
    assert_eq!(lines.len(), 5, "{}", run.stdout);
    assert!(
        lines[1].ends_with(&format!("  2023-03-01 要闻  {VILLAGE}")),
        "{}",
        lines[1]
    );
    assert!(lines[2].contains("乡村"), "{}", lines[2]);
    assert!(
        lines[3].ends_with(&format!("  2023-03-05 经济  {DIGITAL}")),
        "{}",
        lines[3]
    );
    assert!(lines[4].contains("乡村"), "{}", lines[4]);

    let run = kanbao(dir.path(), &["search", "院"]);
    assert_eq!(run.stdout.lines().next(), Some("1 article match \"院\""));
    let run = kanbao(dir.path(), &["search", "火星"]);
    assert_eq!(run.stdout, "0 articles match \"火星\"\n");
}

#[test]
fn search_for_punctuation_only_exits_2_with_one_line() {
    let dir = TempDir::new().expect("a temporary folder");
    for args in [&["search", "，。！"][..], &["search", "--json", "……"][..]] {
        let run = kanbao(dir.path(), args);
        assert_eq!(run.code, 2, "{run:?}");
        assert_eq!(run.stdout, "");
        assert_eq!(
            run.stderr,
            "kanbao: nothing to search for: give a word, a number or Chinese characters \
             (punctuation is ignored)\n"
        );
    }
}
