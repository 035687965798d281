//! The tantivy side of issue 15's comparison: indexes a kanbao archive's
//! articles (read with kanbao's own parser, so they are the articles
//! kanbao indexes) into tantivy with kanbao's keys as tokens, and
//! searches it.
//!
//! ```text
//! kanbao-tantivy index CONFIG INDEX_DIR [--threads N] [--memory MB]
//! kanbao-tantivy search INDEX_DIR QUERY [--limit N]
//! ```

mod grams;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Instant;

use kanbao::model::Article;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::{Index, IndexWriter, TantivyDocument, Term};

struct Fields {
    id: Field,
    headline: Field,
    text: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let id = b.add_text_field("id", STRING | STORED);
    let headline = b.add_text_field("headline", STORED);
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(grams::NAME)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let text = b.add_text_field(
        "text",
        TextOptions::default().set_indexing_options(indexing),
    );
    (b.build(), Fields { id, headline, text })
}

fn fields(schema: &Schema) -> tantivy::Result<Fields> {
    Ok(Fields {
        id: schema.get_field("id")?,
        headline: schema.get_field("headline")?,
        text: schema.get_field("text")?,
    })
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("index") if args.len() >= 3 => index(&args[1], Path::new(&args[2]), &args[3..]),
        Some("search") if args.len() >= 3 => search(Path::new(&args[1]), &args[2], &args[3..]),
        _ => Err(
            "usage: kanbao-tantivy index CONFIG INDEX_DIR [--threads N] [--memory MB]\n       \
                  kanbao-tantivy search INDEX_DIR QUERY [--limit N]"
                .to_owned(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kanbao-tantivy: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The value of `--name N` in `rest`, or `default`.
fn option(rest: &[String], name: &str, default: usize) -> Result<usize, String> {
    match rest.iter().position(|a| a == name) {
        None => Ok(default),
        Some(i) => rest
            .get(i + 1)
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("{name} takes a number")),
    }
}

/// The page files (`.txt`, not hidden) below `dir`, sorted by path.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let path = e.path();
        match e.file_type() {
            Ok(t) if t.is_dir() => walk(&path, out),
            Ok(_) if path.extension().is_some_and(|x| x == "txt") => out.push(path),
            _ => {}
        }
    }
}

/// The search text kanbao's segment builder makes of an article: the
/// headline, then kicker, subtitle, column, byline, paragraphs and photo
/// captions, one a line (`src/index/segment.rs`, `add_article`).
fn search_text(a: &Article, out: &mut String) {
    out.clear();
    out.push_str(a.title.as_deref().or(a.kicker.as_deref()).unwrap_or(""));
    for part in [&a.kicker, &a.subtitle, &a.column].into_iter().flatten() {
        out.push('\n');
        out.push_str(part);
    }
    if let Some(b) = &a.byline {
        out.push('\n');
        out.push_str(&b.text);
    }
    for p in &a.paragraphs {
        out.push('\n');
        out.push_str(p);
    }
    for p in &a.photos {
        out.push('\n');
        out.push_str(&p.caption);
        if let Some(c) = &p.credit {
            out.push(' ');
            out.push_str(c);
        }
    }
}

fn index(config: &str, dir: &Path, rest: &[String]) -> Result<(), String> {
    let threads = option(rest, "--threads", 2)?;
    let memory_mb = option(rest, "--memory", 400)?;
    let started = Instant::now();
    let config = kanbao::config::load(Path::new(config), config).map_err(|e| e.to_string())?;
    // (feed id, feed folder, file)
    let mut files: Vec<(usize, PathBuf)> = Vec::new();
    for (n, feed) in config.feeds.iter().enumerate() {
        let mut found = Vec::new();
        walk(&feed.path, &mut found);
        files.extend(found.into_iter().map(|f| (n, f)));
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let (schema, f) = schema();
    let index = Index::create_in_dir(dir, schema).map_err(|e| e.to_string())?;
    index
        .tokenizers()
        .register(grams::NAME, grams::KanbaoGrams::default());
    let writer: IndexWriter =
        (index.writer_with_num_threads(threads, memory_mb << 20)).map_err(|e| e.to_string())?;
    let next = AtomicUsize::new(0);
    let bytes = AtomicU64::new(0);
    let articles = AtomicUsize::new(0);
    // Pages are read and parsed on as many threads as tantivy indexes
    // with; each takes the next file.
    let failed: Option<String> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| -> Result<(), String> {
                    let mut text = String::new();
                    loop {
                        let n = next.fetch_add(1, Ordering::Relaxed);
                        let Some((feed_no, path)) = files.get(n) else {
                            return Ok(());
                        };
                        let feed = &config.feeds[*feed_no];
                        let display = path.display().to_string();
                        let Ok(parsed) = kanbao::source::read_page(path, &display) else {
                            continue;
                        };
                        let size = std::fs::metadata(path).map_or(0, |m| m.len());
                        bytes.fetch_add(size, Ordering::Relaxed);
                        let relative = relative_name(&feed.path, path);
                        for (pos, a) in parsed.articles.iter().enumerate() {
                            let id = kanbao::library::article_id(&feed.id, &relative, pos);
                            search_text(a, &mut text);
                            let mut doc = TantivyDocument::default();
                            doc.add_text(f.id, &id[..]);
                            doc.add_text(
                                f.headline,
                                a.title.as_deref().or(a.kicker.as_deref()).unwrap_or(""),
                            );
                            doc.add_text(f.text, &text);
                            writer.add_document(doc).map_err(|e| e.to_string())?;
                            articles.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .filter_map(|w| {
                w.join()
                    .unwrap_or(Err("a thread panicked".to_owned()))
                    .err()
            })
            .next()
    });
    if let Some(e) = failed {
        return Err(e);
    }
    let mut writer = writer;
    writer.commit().map_err(|e| e.to_string())?;
    let committed = started.elapsed();
    writer.wait_merging_threads().map_err(|e| e.to_string())?;
    let elapsed = started.elapsed();
    let bytes = bytes.load(Ordering::Relaxed);
    let segments = index
        .searchable_segment_ids()
        .map_err(|e| e.to_string())?
        .len();
    println!(
        "indexed {} files, {} articles, {:.1} MB in {:.2} s ({:.1} MB/s; committed at {:.2} s), {} segments",
        files.len(),
        articles.load(Ordering::Relaxed),
        bytes as f64 / 1e6,
        elapsed.as_secs_f64(),
        bytes as f64 / 1e6 / elapsed.as_secs_f64(),
        committed.as_secs_f64(),
        segments
    );
    Ok(())
}

/// `file` relative to `folder`, with `/` separators, as kanbao's
/// `library::relative_name` makes it for article ids.
fn relative_name(folder: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(folder).unwrap_or(file);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The query for one term: a term query for a single key, else a phrase
/// of its keys at their positions.
fn term_query(field: Field, term: &str) -> Option<Box<dyn Query>> {
    let keys = grams::query_keys(term);
    let mut terms: Vec<(usize, Term)> = keys
        .into_iter()
        .map(|(p, k)| (p, Term::from_field_text(field, &k)))
        .collect();
    match terms.len() {
        0 => None,
        1 => Some(Box::new(TermQuery::new(
            terms.remove(0).1,
            IndexRecordOption::WithFreqs,
        ))),
        _ => Some(Box::new(PhraseQuery::new_with_offset(terms))),
    }
}

fn search(dir: &Path, query: &str, rest: &[String]) -> Result<(), String> {
    let limit = option(rest, "--limit", 20)?;
    let index = Index::open_in_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    index
        .tokenizers()
        .register(grams::NAME, grams::KanbaoGrams::default());
    let f = fields(&index.schema()).map_err(|e| e.to_string())?;
    let mut parts: Vec<(Occur, Box<dyn Query>)> = grams::terms(query)
        .iter()
        .filter_map(|t| term_query(f.text, t))
        .map(|q| (Occur::Must, q))
        .collect();
    let query: Box<dyn Query> = match parts.len() {
        0 => return Err("nothing to search for in the query".to_owned()),
        1 => parts.remove(0).1,
        _ => Box::new(BooleanQuery::new(parts)),
    };
    let reader = index.reader().map_err(|e| e.to_string())?;
    let searcher = reader.searcher();
    let top = TopDocs::with_limit(limit.max(1)).order_by_score();
    let (hits, count) = searcher
        .search(&query, &(top, Count))
        .map_err(|e| e.to_string())?;
    let mut out = String::new();
    out.push_str(&format!("{count} articles match\n"));
    for (_, address) in hits.into_iter().take(limit) {
        let doc: TantivyDocument = searcher.doc(address).map_err(|e| e.to_string())?;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_owned()
        };
        out.push_str(&format!("{}  {}\n", text(f.id), text(f.headline)));
    }
    print!("{out}");
    Ok(())
}
