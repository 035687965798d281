//! The synthetic archive generator (`kanbao_synth`, the `synth-archive`
//! example): the archive it writes is a valid config plus pages from which
//! the library recovers exactly the articles generated, and the same seed
//! gives the same bytes.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use kanbao::config;
use kanbao::library::Library;
use kanbao_synth::{self as synth, FIRST_DATE, Options, Summary};
use tempfile::TempDir;

fn temp() -> TempDir {
    match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(e) => panic!("temporary folder: {e}"),
    }
}

fn generate(dir: &Path, options: &Options) -> Summary {
    synth::generate(dir, options).unwrap_or_else(|e| panic!("generate: {e}"))
}

fn load(dir: &Path) -> Library {
    let config = config::load(&dir.join("config.toml"), "config.toml")
        .unwrap_or_else(|error| panic!("{error}"));
    Library::load(&config)
}

/// Every file below `dir`, by path relative to it, with its bytes.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        let entries = fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries {
            let path = entry
                .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
                .path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let bytes = fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                let relative = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
                out.insert(relative, bytes);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn titles(library: &Library) -> Vec<&str> {
    library
        .articles
        .iter()
        .map(|a| a.title.as_deref().unwrap_or("(untitled)"))
        .collect()
}

#[test]
fn the_library_recovers_exactly_the_generated_articles() {
    let dir = temp();
    let options = Options {
        articles: 500,
        ..Options::default()
    };
    let summary = generate(dir.path(), &options);
    assert_eq!(summary.articles, 500);
    assert_eq!(summary.titles.len(), 500);

    let library = load(dir.path());
    assert!(library.warnings.is_empty(), "{:?}", library.warnings);
    assert_eq!(library.articles.len(), 500);
    assert_eq!(titles(&library), summary.titles);

    // Three feeds, each with pages, all counted in the summary.
    let ids: Vec<&str> = library.feeds.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, ["daily-1", "daily-2", "daily-3"]);
    assert!(
        library.feeds.iter().all(|f| f.articles > 0),
        "{:?}",
        library.feeds
    );
    let pages: usize = library.feeds.iter().map(|f| f.pages).sum();
    assert_eq!(summary.pages, pages);
    assert_eq!(summary.files, pages + 1);

    let written = files(dir.path());
    assert_eq!(written.len(), summary.files);
    let bytes: usize = written.values().map(Vec::len).sum();
    assert_eq!(summary.bytes, bytes as u64);
}

#[test]
fn a_large_paper_s_issues_read_back_exactly() {
    // A national daily: 16 to 24 pages, several of one section, 4 to 8
    // articles each, so a day's folder holds about 120 articles.
    let dir = temp();
    let options = Options {
        articles: 1_500,
        feeds: 2,
        pages_per_issue: (16, 24),
        articles_per_page: (4, 8),
        ..Options::default()
    };
    let summary = generate(dir.path(), &options);
    let library = load(dir.path());
    assert!(library.warnings.is_empty(), "{:?}", library.warnings);
    assert_eq!(titles(&library), summary.titles);
    let days = library
        .articles
        .iter()
        .map(|a| (a.feed.as_deref(), a.date.as_deref()))
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    let per_day = 1_500 / days;
    assert!((64..=192).contains(&per_day), "{per_day} articles a day");
    let first = dir.path().join("feeds/daily-1").join(FIRST_DATE);
    let names: Vec<String> = std::fs::read_dir(&first)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok()?.file_name().into_string().ok())
                .collect()
        })
        .unwrap_or_default();
    assert!((16..=24).contains(&names.len()), "{names:?}");
    assert!(names.iter().any(|n| n.starts_with("02-要闻")), "{names:?}");
}

#[test]
fn articles_are_realistic_and_placed_by_date_and_section() {
    let dir = temp();
    let summary = generate(
        dir.path(),
        &Options {
            articles: 500,
            ..Options::default()
        },
    );
    let library = load(dir.path());
    let articles = &library.articles;
    assert_eq!(articles.len(), summary.articles);

    // Dates go back day by day from the first date; every page has a
    // section, and every issue starts with 要闻 on page 1.
    assert_eq!(articles[0].date.as_deref(), Some(FIRST_DATE));
    assert!(
        articles
            .iter()
            .all(|a| a.date.is_some() && a.section.is_some())
    );
    for a in articles
        .iter()
        .filter(|a| a.page.as_deref().is_some_and(|p| p.ends_with("01")))
    {
        assert_eq!(a.section.as_deref(), Some("要闻"), "{:?}", a.source);
    }
    let sections: std::collections::BTreeSet<&str> = articles
        .iter()
        .filter_map(|a| a.section.as_deref())
        .collect();
    assert!(sections.len() >= 5, "{sections:?}");
    let dates: std::collections::BTreeSet<&str> =
        articles.iter().filter_map(|a| a.date.as_deref()).collect();
    assert!(dates.len() >= 3, "{dates:?}");

    for a in articles {
        assert!(
            (3..=10).contains(&a.paragraphs.len()),
            "{} paragraphs in {:?}",
            a.paragraphs.len(),
            a.source
        );
        let title = a.title.as_deref().unwrap_or("");
        assert!((4..=32).contains(&title.chars().count()), "{title}");
    }

    // Titles vary, and so do the parts around them.
    let distinct: std::collections::BTreeSet<&str> = titles(&library).into_iter().collect();
    assert!(
        distinct.len() >= 250,
        "only {} distinct titles",
        distinct.len()
    );
    let share = |f: &dyn Fn(&kanbao::model::Article) -> bool| {
        articles.iter().filter(|a| f(a)).count() * 100 / articles.len()
    };
    assert!((15..=45).contains(&share(&|a| a.kicker.is_some())));
    assert!((5..=30).contains(&share(&|a| a.subtitle.is_some())));
    assert!((70..=95).contains(&share(&|a| a.byline.is_some())));
    assert!((70..=98).contains(&share(&|a| a.editor_code.is_some())));
    assert!((4..=25).contains(&share(&|a| !a.photos.is_empty())));
    assert!(articles.iter().any(|a| a.column.is_some()));
    // Credit lines open some first paragraphs and name the reporters.
    assert!(articles.iter().any(|a| {
        a.paragraphs[0].starts_with("本报讯")
            && a.byline.as_ref().is_some_and(|b| !b.reporters.is_empty())
    }));
}

#[test]
fn every_seed_and_feed_count_reads_back_without_warnings() {
    for (seed, feeds, articles) in [(2, 1, 321), (3, 2, 400), (4, 4, 450), (5, 5, 37), (6, 7, 1)] {
        let dir = temp();
        let options = Options {
            articles,
            seed,
            feeds,
            ..Options::default()
        };
        let summary = generate(dir.path(), &options);
        let library = load(dir.path());
        assert!(
            library.warnings.is_empty(),
            "seed {seed}: {:?}",
            library.warnings
        );
        assert_eq!(library.articles.len(), articles, "seed {seed}");
        assert_eq!(titles(&library), summary.titles, "seed {seed}");
        assert_eq!(library.feeds.len(), feeds);
    }
}

#[test]
fn the_same_seed_gives_the_same_bytes_and_another_seed_does_not() {
    let options = Options {
        articles: 300,
        seed: 42,
        feeds: 3,
        ..Options::default()
    };
    let (a, b, c) = (temp(), temp(), temp());
    generate(a.path(), &options);
    generate(b.path(), &options);
    generate(
        c.path(),
        &Options {
            seed: 43,
            ..options.clone()
        },
    );
    let (a, b, c) = (files(a.path()), files(b.path()), files(c.path()));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    assert!(a == b, "same seed, different bytes");
    assert_ne!(a, c, "another seed, same archive");
    let pages = |files: &BTreeMap<PathBuf, Vec<u8>>| {
        files
            .iter()
            .filter(|(path, _)| path.extension().is_some_and(|e| e == "txt"))
            .map(|(_, bytes)| bytes.clone())
            .collect::<Vec<_>>()
    };
    assert_ne!(pages(&a), pages(&c));
}

#[test]
fn pages_in_memory_are_the_files_written() {
    let dir = temp();
    let options = Options {
        articles: 120,
        seed: 7,
        feeds: 2,
        ..Options::default()
    };
    let summary = generate(dir.path(), &options);
    let written = files(dir.path());
    let pages: Vec<synth::Page> = synth::pages(&options)
        .unwrap_or_else(|e| panic!("{e}"))
        .collect();
    assert_eq!(pages.len(), summary.pages);
    let mut titles = Vec::new();
    for page in pages {
        assert_eq!(
            written.get(&page.path).map(Vec::as_slice),
            Some(page.text.as_bytes()),
            "{}",
            page.path.display()
        );
        titles.extend(page.titles);
    }
    assert_eq!(titles, summary.titles);
    assert_eq!(
        written.get(Path::new("config.toml")).map(Vec::as_slice),
        Some(synth::config_text(&options).as_bytes())
    );
}

#[test]
fn the_config_names_every_feed_with_a_relative_path() {
    let text = synth::config_text(&Options {
        articles: 10,
        seed: 1,
        feeds: 2,
        ..Options::default()
    });
    assert!(text.contains(
        "[[feeds]]\nid = \"daily-1\"\ntitle = \"驻马店日报\"\nkind = \"pages\"\npath = \"feeds/daily-1\"\n"
    ));
    assert!(text.contains("id = \"daily-2\""));
    assert!(!text.contains("daily-3"));
}

#[test]
fn zero_articles_make_empty_feeds() {
    let dir = temp();
    let summary = generate(
        dir.path(),
        &Options {
            articles: 0,
            ..Options::default()
        },
    );
    assert_eq!((summary.files, summary.pages, summary.articles), (1, 0, 0));
    let library = load(dir.path());
    assert!(library.warnings.is_empty(), "{:?}", library.warnings);
    assert!(library.articles.is_empty());
    assert_eq!(library.feeds.len(), 3);
}

#[test]
fn a_folder_that_is_not_empty_is_refused_and_left_alone() {
    let dir = temp();
    let keep = dir.path().join("notes.txt");
    fs::write(&keep, "mine").unwrap_or_else(|e| panic!("{e}"));
    let error = match synth::generate(dir.path(), &Options::default()) {
        Ok(_) => panic!("a non-empty folder was written to"),
        Err(e) => e,
    };
    assert!(error.to_string().contains("not empty"), "{error}");
    assert_eq!(files(dir.path()).len(), 1);

    // A folder that does not exist yet is made, parents too.
    let new = dir.path().join("a/b");
    let summary = generate(
        &new,
        &Options {
            articles: 5,
            ..Options::default()
        },
    );
    assert_eq!(summary.articles, 5);

    // A file is no folder.
    let error = match synth::generate(&keep, &Options::default()) {
        Ok(_) => panic!("a file was taken for a folder"),
        Err(e) => e,
    };
    assert!(error.to_string().contains("notes.txt"), "{error}");
}

#[test]
fn no_feeds_is_an_error_before_anything_is_written() {
    let dir = temp();
    let target = dir.path().join("archive");
    for feeds in [0, synth::MAX_FEEDS + 1] {
        let options = Options {
            feeds,
            ..Options::default()
        };
        let error = match synth::generate(&target, &options) {
            Ok(_) => panic!("{feeds} feeds accepted"),
            Err(e) => e,
        };
        assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput);
        assert!(!target.exists());
    }
}
