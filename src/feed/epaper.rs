//! Fetching e-paper editions (`kind = "epaper"`) into a feed's store.
//!
//! For each date: the first 版面 page (the feed's `url` with the date
//! filled in) → the edition's 版面 list → each 版面 page → each article
//! page ([`crate::source::epaper`] reads them). Every article becomes one
//! stored item, `<store>/<date>/<page>-<section>/<NN>-<name>.txt`, `NN`
//! being its place on the 版面, so that the library lists the edition as
//! date → 版面 → articles in the paper's order.
//!
//! - Polite: at most [`PER_HOST`] requests at a time to one host, however
//!   many feeds are fetched at once, with the feed's `timeout`, `max_size`
//!   and `headers`.
//! - An edition stored completely is not fetched again: only its first
//!   版面 is asked for, conditionally (`If-None-Match` /
//!   `If-Modified-Since`), when the server gave validators; a 304 ends it.
//!   Its state is `<store>/<date>/.edition.toml`, which also keeps each
//!   版面's address, PDF and page image.
//! - A 版面 or article that fails (404, timeout, not an e-paper page) is a
//!   one-line reason; everything else is stored, and the edition is fetched
//!   again next time until it is complete.
//! - Items are written atomically: an interrupted fetch leaves whole items
//!   or none, never part of one.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::http::{self, Fetched};
use super::report::{Event, Outcome};
use super::store::{self, StoreReport};
use crate::config::{FeedConfig, FeedSource, expand_date};
use crate::source::decode;
use crate::source::epaper::{self, Edition, Parsed};
use crate::source::item::Item;

/// Requests at once to a paper's site, across every feed fetching.
pub const PER_HOST: usize = 2;

/// Requests running per host, and a condition to wait on for a free one.
static HOSTS: std::sync::LazyLock<(Mutex<HashMap<String, usize>>, Condvar)> =
    std::sync::LazyLock::new(|| (Mutex::new(HashMap::new()), Condvar::new()));

/// A request's place among the [`PER_HOST`] allowed to its host; the place
/// is freed when this is dropped.
struct HostSlot(String);

impl HostSlot {
    /// Waits until fewer than [`PER_HOST`] requests to `url`'s host run.
    fn take(url: &str) -> HostSlot {
        let host = url
            .split_once("://")
            .map_or(url, |(_, rest)| rest)
            .split(['/', '?', '#'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let (running, freed) = &*HOSTS;
        let mut running = running.lock().unwrap_or_else(|p| p.into_inner());
        while running.get(&host).copied().unwrap_or(0) >= PER_HOST {
            running = freed.wait(running).unwrap_or_else(|p| p.into_inner());
        }
        *running.entry(host.clone()).or_default() += 1;
        HostSlot(host)
    }
}

impl Drop for HostSlot {
    fn drop(&mut self) {
        let (running, freed) = &*HOSTS;
        let mut running = running.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = running.get_mut(&self.0) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                running.remove(&self.0);
            }
        }
        freed.notify_all();
    }
}

/// `http::fetch`, holding a place among the host's [`PER_HOST`].
fn fetch_polite(request: &http::Request) -> Result<Fetched, http::FetchError> {
    let _slot = HostSlot::take(&request.url);
    http::fetch(request)
}

/// What is kept of an edition between fetches.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct EditionState {
    /// Every 版面 and article was fetched and stored.
    complete: bool,
    /// Validators of the first 版面 page.
    etag: Option<String>,
    last_modified: Option<String>,
    /// Each 版面 as fetched: where it is, its PDF and page image.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pages: Vec<PageRecord>,
}

/// A 版面 of a stored edition.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct PageRecord {
    number: Option<String>,
    name: Option<String>,
    url: String,
    pdf: Option<String>,
    image: Option<String>,
    articles: usize,
}

const STATE_FILE: &str = ".edition.toml";

impl EditionState {
    fn load(folder: &Path) -> EditionState {
        std::fs::read_to_string(folder.join(STATE_FILE))
            .ok()
            .and_then(|text| toml::from_str(&text).ok())
            .unwrap_or_default()
    }

    fn save(&self, folder: &Path) -> Result<(), String> {
        let text = toml::to_string(self).map_err(|e| e.to_string())?;
        crate::atomic::write(&folder.join(STATE_FILE), text.as_bytes()).map_err(|e| {
            format!(
                "cannot save {}: {}",
                folder.join(STATE_FILE).display(),
                crate::io_message::io_message(&e)
            )
        })
    }
}

/// The dates `kanbao fetch` gets for `feed` without `--date`/`--since`:
/// today's edition and `keep - 1` days before, by the clock of the papers
/// (UTC+8).
pub fn default_dates(feed: &FeedConfig, today: NaiveDate) -> Vec<NaiveDate> {
    (0..feed.fetch.keep_days.max(1))
        .filter_map(|n| today.checked_sub_days(chrono::Days::new(u64::from(n))))
        .collect()
}

/// Today in China (UTC+8), where the papers are dated.
pub fn today() -> NaiveDate {
    let offset = chrono::FixedOffset::east_opt(8 * 3600);
    let now = chrono::Utc::now();
    offset.map_or(now.date_naive(), |o| now.with_timezone(&o).date_naive())
}

/// Fetches the editions of `dates` (newest first as given) into the feed's
/// store; `progress` hears of each 版面 and article.
pub fn fetch_editions(
    feed: &FeedConfig,
    dates: &[NaiveDate],
    force: bool,
    progress: &(dyn Fn(Event) + Sync),
) -> Outcome {
    let Some(FeedSource::Url(template)) = &feed.source else {
        return Outcome::Failed(format!("feed \"{}\" has no url to fetch", feed.id));
    };
    let mut total = StoreReport::default();
    let mut failures = Vec::new();
    let mut fetched_any = false;
    for &date in dates {
        match fetch_edition(feed, template, date, force, progress) {
            Ok(None) => {}
            Ok(Some((report, missed))) => {
                fetched_any = true;
                total.new += report.new;
                total.updated += report.updated;
                total.unchanged += report.unchanged;
                failures.extend(missed);
            }
            Err(e) => failures.push(e),
        }
    }
    match (fetched_any, failures.is_empty()) {
        (false, true) => Outcome::NotModified,
        (false, false) if failures.len() == dates.len() => Outcome::Failed(failures.join("; ")),
        (_, true) => Outcome::Stored(total),
        (_, false) => Outcome::Incomplete {
            report: total,
            failures,
        },
    }
}

/// A page's text, in the charset the server names, else the one the page
/// declares, else as detected.
fn page_text(bytes: &[u8], charset: Option<&str>) -> Result<String, String> {
    let declared = meta_charset(bytes);
    let named = [charset, declared.as_deref()]
        .into_iter()
        .flatten()
        .find_map(|label| decode::labelled(label, bytes));
    let text = match named {
        Some(text) => text,
        None => decode::decode(bytes).map_err(|e| e.to_string())?.text,
    };
    Ok(text.trim_start_matches('\u{feff}').to_owned())
}

/// `charset=…` in the first kilobytes of an HTML page.
fn meta_charset(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(4096)];
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let at = text.find("charset=")? + "charset=".len();
    let value: String = text[at..]
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .collect();
    (!value.is_empty()).then_some(value)
}

/// Fetches one page: its text and where it came from after redirects.
fn get(feed: &FeedConfig, url: &str) -> Result<(String, String), String> {
    match fetch_polite(&http::Request::with_options(url, &feed.fetch)) {
        Ok(Fetched::Body {
            bytes,
            charset,
            final_url,
            ..
        }) => page_text(&bytes, charset.as_deref()).map(|t| (t, final_url)),
        Ok(Fetched::NotModified) => Err(format!("{url}: 304 without a conditional request")),
        Err(e) => Err(format!("{url}: {e}")),
    }
}

/// One edition: `Ok(None)` when it was stored already and has not changed.
fn fetch_edition(
    feed: &FeedConfig,
    template: &str,
    date: NaiveDate,
    force: bool,
    progress: &(dyn Fn(Event) + Sync),
) -> Result<Option<(StoreReport, Vec<String>)>, String> {
    let day = date.format("%Y-%m-%d").to_string();
    let url = expand_date(template, date.year(), date.month(), date.day())
        .map_err(|e| format!("{day}: url has {e}"))?;
    let folder = feed.path.join(&day);
    let state = EditionState::load(&folder);
    if state.complete && !force {
        if state.etag.is_none() && state.last_modified.is_none() {
            return Ok(None);
        }
        let mut ask = http::Request::with_options(url.as_str(), &feed.fetch);
        ask.etag = state.etag.clone();
        ask.last_modified = state.last_modified.clone();
        if let Ok(Fetched::NotModified) = fetch_polite(&ask) {
            return Ok(None);
        }
    }
    let first = fetch_polite(&http::Request::with_options(url.as_str(), &feed.fetch))
        .map_err(|e| format!("{day}: {url}: {e}"))?;
    let Fetched::Body {
        bytes,
        charset,
        etag,
        last_modified,
        final_url,
        ..
    } = first
    else {
        return Err(format!("{day}: {url}: 304 without a conditional request"));
    };
    let text = page_text(&bytes, charset.as_deref()).map_err(|e| format!("{day}: {url}: {e}"))?;
    let Some(Parsed::Edition(front)) = epaper::read(&text, Some(&final_url)) else {
        return Err(format!(
            "{day}: {url} is not an e-paper 版面 page (no 版面 list and no article links); \
             check the feed's url"
        ));
    };
    if let Some(printed) = &front.date
        && *printed != day
    {
        return Err(format!(
            "{day}: the site gave the edition of {printed} (no edition for {day} yet?)"
        ));
    }
    let mut failures = Vec::new();
    // Every 版面: this one as fetched, the others fetched now.
    let others: Vec<String> = front
        .pages
        .iter()
        .map(|p| p.url.clone())
        .filter(|u| *u != final_url && *u != url)
        .collect();
    let done = AtomicUsize::new(0);
    let total = others.len() + 1;
    let step = |stage: &'static str, n: usize, of: usize| {
        progress(Event::Step {
            feed: feed.id.clone(),
            stage: format!("{day} {stage} {n}/{of}"),
        });
    };
    step("版面", 1, total);
    let fetched = super::pool::at_most(&others, PER_HOST, &|u: &String| {
        let result = get(feed, u).and_then(|(text, at)| match epaper::read(&text, Some(&at)) {
            Some(Parsed::Edition(e)) => Ok(e),
            _ => Err(format!("{u}: not an e-paper 版面 page")),
        });
        step("版面", done.fetch_add(1, Ordering::SeqCst) + 2, total);
        result
    });
    let mut pages = vec![with_label(front, &final_url, &url)];
    let mut page_urls = vec![final_url.clone()];
    for (page, result) in others.iter().zip(fetched) {
        match result.unwrap_or_else(|| Err(format!("{page}: the fetch did not finish"))) {
            Ok(edition) => {
                pages.push(with_label(edition, page, page));
                page_urls.push(page.clone());
            }
            Err(e) => failures.push(format!("{day}: 版面 {e}")),
        }
    }
    // Every article, with the 版面 it is listed on.
    let mut jobs: Vec<(usize, usize, String)> = Vec::new();
    for (p, page) in pages.iter().enumerate() {
        for (n, link) in page.articles.iter().enumerate() {
            if !jobs.iter().any(|(_, _, u)| *u == link.url) {
                jobs.push((p, n, link.url.clone()));
            }
        }
    }
    let done = AtomicUsize::new(0);
    let stories = super::pool::at_most(&jobs, PER_HOST, &|(_, _, u): &(usize, usize, String)| {
        let result = get(feed, u).and_then(|(text, _)| match epaper::read(&text, Some(u)) {
            Some(Parsed::Story(s)) => Ok(s),
            _ => Err(format!("{u}: not an e-paper article page")),
        });
        step(
            "articles",
            done.fetch_add(1, Ordering::SeqCst) + 1,
            jobs.len(),
        );
        result
    });
    let mut by_page: Vec<Vec<(usize, Item)>> = vec![Vec::new(); pages.len()];
    for ((p, n, u), result) in jobs.iter().zip(stories) {
        match result.unwrap_or_else(|| Err(format!("{u}: the fetch did not finish"))) {
            Ok(story) => by_page[*p].push((*n, story.to_item(u, Some(&pages[*p])))),
            Err(e) => failures.push(format!("{day}: article {e}")),
        }
    }
    let mut report = StoreReport::default();
    for (page, items) in pages.iter().zip(by_page) {
        if items.is_empty() {
            continue;
        }
        let named: Vec<(String, Item)> = items
            .into_iter()
            .map(|(n, item)| {
                (
                    format!("{:02}-{}", n + 1, store::file_name(&item.guid)),
                    item,
                )
            })
            .collect();
        let r = store::store_named(&folder.join(page_folder(page)), &named)
            .map_err(|e| format!("{day}: {e}"))?;
        report.new += r.new;
        report.updated += r.updated;
        report.unchanged += r.unchanged;
    }
    let records = pages
        .iter()
        .zip(&page_urls)
        .map(|(p, url)| PageRecord {
            number: p.page.clone(),
            name: p.section.clone(),
            url: url.clone(),
            pdf: p.pdf.clone(),
            image: p.image.clone(),
            articles: p.articles.len(),
        })
        .collect();
    let state = EditionState {
        complete: failures.is_empty(),
        etag,
        last_modified,
        pages: records,
    };
    std::fs::create_dir_all(&folder).map_err(|e| {
        format!(
            "cannot create {}: {}",
            folder.display(),
            crate::io_message::io_message(&e)
        )
    })?;
    state.save(&folder)?;
    Ok(Some((report, failures)))
}

/// A 版面 page that does not name itself takes its number and name from
/// the list's link to it.
fn with_label(mut edition: Edition, at: &str, asked: &str) -> Edition {
    if edition.page.is_none()
        && let Some(link) = edition
            .pages
            .iter()
            .find(|p| p.url == at || p.url == asked)
            .cloned()
    {
        edition.page = Some(link.number);
        edition.section = link.name;
    }
    edition
}

/// `01-要闻`: the folder of a 版面's articles.
fn page_folder(page: &Edition) -> String {
    let number = page.page.as_deref().unwrap_or("00");
    let name: String = page
        .section
        .as_deref()
        .unwrap_or("")
        .chars()
        .filter(|c| !matches!(c, '/' | '\\' | '\0' | ':') && !c.is_control())
        .collect();
    let number: String = number.chars().filter(char::is_ascii_alphanumeric).collect();
    if name.is_empty() {
        number
    } else {
        format!("{number}-{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;
    use std::time::Duration;

    #[test]
    fn no_more_than_two_requests_at_once_to_one_host() {
        let (now, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
        std::thread::scope(|scope| {
            for n in 0..8 {
                let (now, most) = (&now, &most);
                scope.spawn(move || {
                    // Two spellings of one host share its places.
                    let url = if n % 2 == 0 {
                        "http://Paper.example:8080/a"
                    } else {
                        "http://paper.example:8080/b?x"
                    };
                    let _slot = HostSlot::take(url);
                    let running = now.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(running, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(20));
                    now.fetch_sub(1, Ordering::SeqCst);
                });
            }
        });
        assert_eq!(most.load(Ordering::SeqCst), PER_HOST);
        // Another host is not held up by this one's.
        let _a = HostSlot::take("http://paper.example:8080/");
        let _b = HostSlot::take("http://paper.example:8080/");
        let _c = HostSlot::take("http://other.example/");
    }
}
