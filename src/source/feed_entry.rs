//! A feed entry, as feed-rs models it, → an [`Item`]: the title (and a
//! kicker on its first line), the link, the body's HTML → paragraphs,
//! links and photos ([`super::html`]), media and enclosure photos, dates
//! in the feed's own clock, authors and the first category. Both readers
//! of [`super::feed_file`] — feed-rs, and [`super::quick_rss`] for plain
//! RSS 2.0 — end here, so an item is made the same way whichever read it.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, Utc};

use super::date::timestamp;
use super::feed_extra::{self, Extra};
use super::html;
use super::item::{Item, StoredLink, StoredPhoto};

/// The id of an entry without one: its first link, else its title.
pub(super) fn generated_id(
    links: &[feed_rs::model::Link],
    title: Option<&feed_rs::model::Text>,
) -> String {
    match (links.first(), title) {
        (Some(link), _) => format!("link:{}", link.href),
        (None, Some(title)) => format!("title:{}", title.content),
        (None, None) => "untitled".to_owned(),
    }
}

/// Text that may hold markup or entities, as one plain line (without the
/// numbers an item's text gives its links).
pub(super) fn plain(text: &str) -> String {
    if text.contains('<') || text.contains('&') {
        let content = html::to_content(text, None);
        let mut line = content.paragraphs.join(" ");
        for n in (1..=content.links.len()).rev() {
            line = line.replacen(&format!("[{n}]"), "", 1);
        }
        line
    } else {
        crate::sanitize::sanitize(text.trim()).into_owned()
    }
}

/// One entry as an [`Item`]; `offsets` are the dates' offsets from UTC by
/// instant, `extra` what [`feed_extra`] read of the entry.
pub(super) fn item(
    entry: &feed_rs::model::Entry,
    base_url: Option<&str>,
    offsets: &HashMap<i64, i32>,
    extra: &Extra,
    atom: bool,
) -> Item {
    let (kicker, title) = match entry.title.as_ref() {
        // Atom's `type="text"` is text: `<blink>` in it is shown.
        Some(t) if atom && t.content_type.to_string() == "text/plain" => {
            split_title(&t.content, literal)
        }
        Some(t) if !t.content.trim().is_empty() => split_title(&t.content, plain),
        _ => match &extra.title {
            Some(t) => split_title(t, plain),
            None => (None, None),
        },
    };
    let link = entry
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .or(entry.links.first())
        .map(|l| l.href.clone())
        .or_else(|| {
            let guid = extra.permalink.as_deref()?.trim();
            let url = html::resolve_url(base_url, guid)?;
            url.starts_with("http").then_some(url)
        });
    let base = link.as_deref().or(base_url);
    let content = entry
        .content
        .as_ref()
        .and_then(|c| given(c.body.as_deref()));
    let summary = given(entry.summary.as_ref().map(|s| s.content.as_str()));
    // The full text first: content, then a body element; then the summary,
    // a description of bare HTML, or a Dublin Core / iTunes one.
    let body = content
        .or(extra.body.as_deref())
        .or(summary)
        .or(extra.markup_description.as_deref())
        .or(extra.summary.as_deref())
        .unwrap_or("");
    let content = html::to_content(body, base);
    let mut photos: Vec<StoredPhoto> = content.photos.iter().map(StoredPhoto::from).collect();
    for media in &entry.media {
        let caption = media
            .description
            .as_ref()
            .or(media.title.as_ref())
            .map(|t| plain(&t.content))
            .unwrap_or_default();
        let credit = media.credits.first().map(|c| c.entity.clone());
        for c in &media.content {
            let is_image = c
                .content_type
                .as_ref()
                .is_none_or(|t| t.to_string().starts_with("image/"));
            let Some(url) = c.url.as_ref().map(|u| u.to_string()) else {
                continue;
            };
            if is_image
                && !photos
                    .iter()
                    .any(|p| p.url.as_deref() == Some(url.as_str()))
            {
                photos.push(StoredPhoto {
                    url: Some(url),
                    caption: caption.clone(),
                    credit: credit.clone(),
                });
            }
        }
    }
    for url in &extra.images {
        if !photos
            .iter()
            .any(|p| p.url.as_deref() == Some(url.as_str()))
        {
            photos.push(StoredPhoto {
                url: Some(url.clone()),
                caption: String::new(),
                credit: None,
            });
        }
    }
    // In the feed's own clock, so that the date is the feed's day.
    let own_clock = |d: DateTime<Utc>| {
        let offset = offsets.get(&d.timestamp()).copied().unwrap_or(0);
        match FixedOffset::east_opt(offset) {
            Some(o) => d.with_timezone(&o).to_rfc3339(),
            None => d.to_rfc3339(),
        }
    };
    let published = (entry.published.or(entry.updated).map(own_clock)).or_else(|| {
        let date = timestamp(&plain(extra.date.as_deref()?))?;
        Some(date.to_rfc3339())
    });
    let updated = entry.updated.map(own_clock);
    // A date was written but none read: kept, to be said.
    let unreadable_date = (extra.date_text.as_deref())
        .filter(|_| published.is_none() && updated.is_none())
        .map(plain)
        .filter(|t| !t.is_empty());
    let guid = if entry.id.starts_with("title:") {
        // No guid and no link: the title and the date identify the item.
        format!("{}|{}", entry.id, published.as_deref().unwrap_or(""))
    } else {
        entry.id.clone()
    };
    let mut authors: Vec<String> = entry
        .authors
        .iter()
        .filter_map(|p| p.name.as_deref())
        .map(|name| feed_extra::person_name(&plain(name)))
        .filter(|n| !n.is_empty())
        .collect();
    if authors.is_empty()
        && let Some(author) = &extra.author
    {
        authors.push(feed_extra::person_name(&plain(author)));
        authors.retain(|n| !n.is_empty());
    }
    // The same person as <author> and as <dc:creator> is one byline name.
    let mut seen = std::collections::HashSet::new();
    authors.retain(|n| seen.insert(n.clone()));
    Item {
        guid,
        kicker,
        title,
        link,
        author: (!authors.is_empty()).then(|| authors.join("、")),
        published,
        updated,
        unreadable_date,
        category: entry
            .categories
            .first()
            .map(|c| plain(c.label.as_deref().unwrap_or(&c.term))),
        photos,
        links: content.links.iter().map(StoredLink::from).collect(),
        paragraphs: content.paragraphs,
        ..Item::default()
    }
}

/// Text that is there: not missing, not blank.
fn given(text: Option<&str>) -> Option<&str> {
    text.filter(|t| !t.trim().is_empty())
}

/// Text that is only text, as one line: no markup is read in it.
fn literal(text: &str) -> String {
    let text = crate::sanitize::sanitize(text);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A title on two lines is a kicker and a headline; `line` reads each.
fn split_title(raw: &str, line: fn(&str) -> String) -> (Option<String>, Option<String>) {
    let lines: Vec<String> = raw.lines().map(line).filter(|l| !l.is_empty()).collect();
    match lines.as_slice() {
        [] => (None, None),
        [title] => (None, Some(title.clone())),
        [kicker, rest @ ..] => (Some(kicker.clone()), Some(rest.join(" "))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_line_titles_keep_the_kicker() {
        assert_eq!(
            split_title("全市科技工作会议提出\n奋力建设区域创新高地", plain),
            (
                Some("全市科技工作会议提出".into()),
                Some("奋力建设区域创新高地".into())
            )
        );
        assert_eq!(
            split_title("一行标题", plain),
            (None, Some("一行标题".into()))
        );
    }
}
