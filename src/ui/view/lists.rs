//! The sections pane and the articles pane.

use ratatui::buffer::Buffer;
use ratatui::style::Style;

use crate::model::Article;
use crate::script::Script;
use crate::typeset::{display_punctuation, sanitize, str_width, truncate};

use super::super::app::App;
use super::super::archive::{Row, View};
use super::super::layout::{Focus, Pane};
use super::super::update::sticky_feed;
use super::style::Styles;
use super::text::{fill, put};

/// A pane's header, in the reader's script like everything else shown.
fn header(buf: &mut Buffer, pane: Pane, title: &str, focused: bool, app: &App, styles: &Styles) {
    let amb = app.prefs.text.ambiguous_width.columns();
    let style = if focused { styles.header } else { styles.dim };
    let title = app.prefs.text.script.convert(title);
    let title = truncate(&title, usize::from(pane.header.width), amb);
    put(buf, pane.header, 0, &[(&title, style)], amb);
}

/// The sections tree: feeds, their days and the days' sections, each
/// with its unread and shown counts; what is all read is dim.
pub fn sections(buf: &mut Buffer, pane: Pane, app: &App, styles: &Styles) {
    let amb = app.prefs.text.ambiguous_width.columns();
    let focused = app.focus == Focus::Sections;
    let title = match app.archive.view() {
        View::All => "版面 Sections".to_owned(),
        view => format!("版面 Sections · {}", view.label()),
    };
    header(buf, pane, &title, focused, app, styles);
    let width = usize::from(pane.body.width);
    let height = usize::from(pane.body.height);
    let sticky = sticky_feed(app, height);
    let archive = &app.archive;
    let script = app.prefs.text.script;
    for line in 0..height {
        let screen_row = line as u16;
        let row = match (line, sticky) {
            (0, Some(feed)) => Row::Feed(feed),
            _ => match app.nav.rows.get(app.nav.section_offset + line) {
                Some(row) => *row,
                None => break,
            },
        };
        let (label, (unread, count)) = match row {
            Row::Feed(f) => {
                let open = app.nav.folds.feed_open(archive, f);
                let title = archive.feeds.get(f).map_or("", |f| f.title.as_str());
                let mark = if open { "▾" } else { "▸" };
                (
                    format!("{mark} {}", script.convert(&sanitize(title))),
                    archive.feed_counts(f),
                )
            }
            Row::Day(d) => {
                let open = app.nav.folds.day_open(archive, d);
                let label = archive.days.get(d).map_or("", |d| d.label());
                let mark = if open { "▾" } else { "▸" };
                // A date is digits, but an undated day is named (日期不详).
                let label = script.convert(label);
                (format!(" {mark} {label}"), archive.day_counts(d))
            }
            Row::Section(s) => {
                let label = archive.sections.get(s).map(|s| s.name_label());
                (
                    format!(
                        "    {}",
                        script.convert(&sanitize(&label.unwrap_or_default()))
                    ),
                    archive.counts(s..s + 1),
                )
            }
        };
        let counts = format!(" {unread}/{count}");
        let label_room = width.saturating_sub(str_width(&counts, amb) + 1);
        let label = truncate(&label, label_room, amb);
        let pad = width.saturating_sub(str_width(&label, amb) + str_width(&counts, amb));
        let selected = row == app.nav.row && !(line == 0 && sticky.is_some());
        let all_read = unread == 0 && count > 0;
        let base = match (selected, focused) {
            (true, true) => styles.selected,
            (true, false) => styles.selected_idle,
            _ if matches!(row, Row::Feed(_)) => styles.feed,
            _ if all_read => styles.dim,
            _ => Style::new(),
        };
        let count_style = if unread > 0 && !selected {
            styles.unread
        } else {
            base
        };
        let spaces = " ".repeat(pad);
        let written = put(
            buf,
            pane.body,
            screen_row,
            &[(&label, base), (&spaces, base), (&counts, count_style)],
            amb,
        );
        if selected {
            fill(buf, pane.body, screen_row, written, base);
        }
    }
}

/// The selected section's articles: unread and star markers, headline,
/// byline.
pub fn articles(buf: &mut Buffer, pane: Pane, app: &App, styles: &Styles) {
    let amb = app.prefs.text.ambiguous_width.columns();
    let focused = app.focus == Focus::Articles;
    let script = app.prefs.text.script;
    let visible = app.listed();
    let label = app.scope_label();
    let view = match app.archive.view() {
        View::All => String::new(),
        view => format!(" · {}", view.label()),
    };
    let title = match (label.is_empty(), app.archive.found()) {
        (false, Some(_)) if !app.nav.everywhere => {
            format!(
                "搜索 本版 {label} · {} 篇{view} · /{}",
                visible.len(),
                app.archive.query()
            )
        }
        (_, Some(_)) => format!(
            "搜索 全部 · {} 篇{view} · /{}",
            visible.len(),
            app.archive.query()
        ),
        (false, None) if app.typing_filter() || !app.archive.query().is_empty() => {
            format!(
                "{label} · {} 篇{view} · /{}",
                visible.len(),
                app.archive.query()
            )
        }
        (false, None) => format!("{label} · {} 篇{view}", visible.len()),
        (true, None) => "文章 Articles".to_owned(),
    };
    header(buf, pane, &title, focused, app, styles);
    let width = usize::from(pane.body.width);
    if visible.is_empty() {
        let why;
        let note = match (app.archive.found(), app.status.indexing) {
            (Some(Err(e)), _) => {
                why = e.to_string();
                why.as_str()
            }
            (Some(Ok(_)), _) => "Nothing found; Esc clears the search.",
            (None, _) if app.prefs.no_feeds => "The config has no feeds: W shows one to add.",
            (None, Some(_)) if app.archive.is_empty() => "Indexing the archive…",
            (None, _) if app.archive.is_empty() => {
                "No articles: add page files to a feed folder (see kanbao check)."
            }
            (None, _) if app.archive.view() == View::Unread => {
                "Nothing unread here; v shows all articles."
            }
            (None, _) if app.archive.view() == View::Starred => {
                "Nothing starred here; v shows all articles."
            }
            (None, _) => "No article matches the filter; Esc clears it.",
        };
        // Wrapped, on as many rows as the pane has; the last one cut.
        let rows = usize::from(pane.body.height).max(1);
        let lines = textwrap::wrap(note, width.max(1));
        for (row, line) in lines.iter().take(rows).enumerate() {
            let line = if row + 1 == rows && lines.len() > rows {
                truncate(&format!("{line} …"), width, amb)
            } else {
                truncate(line, width, amb)
            };
            put(buf, pane.body, row as u16, &[(&line, styles.dim)], amb);
        }
        return;
    }
    let rows = app.nav.article_offset..visible.len();
    for row in rows.take(usize::from(pane.body.height)) {
        let Some(index) = visible.get(row) else {
            continue;
        };
        let Some(article) = app.archive.article(index) else {
            continue;
        };
        let selected = row == app.nav.article;
        let screen_row = (row - app.nav.article_offset) as u16;
        let base = match (selected, focused) {
            (true, true) => styles.selected,
            (true, false) => styles.selected_idle,
            _ => Style::new(),
        };
        let unread = !app.archive.marks().is_read(&article.id);
        let starred = app.archive.marks().is_starred(&article.id);
        let marker = if unread { "●" } else { " " };
        let star = if starred { "★" } else { " " };
        let marker_style = if selected { base } else { styles.unread };
        let star_style = if selected { base } else { styles.starred };
        let used = str_width(marker, amb) + str_width(star, amb) + 1;
        let room = width.saturating_sub(used);
        let dim = if selected { base } else { styles.dim };
        let highlight = if selected {
            base.patch(styles.highlight)
        } else {
            styles.highlight
        };
        let mut pieces: Vec<(String, Style)> = vec![
            (marker.to_owned(), marker_style),
            (star.to_owned(), star_style),
            (" ".to_owned(), base),
        ];
        match app.hit(row, index) {
            Some((found, hit)) => {
                // A hit: the headline, then the text around the match.
                // Shown in the reader's script, the terms converted alike
                // so that they are lit where they stand.
                let title = script
                    .convert(&sanitize(article.display_title()))
                    .into_owned();
                let title = truncate(&title, room, amb);
                let terms: Vec<String> = found
                    .query
                    .terms()
                    .map(|t| script.convert(t).into_owned())
                    .collect();
                let terms: Vec<&str> = terms.iter().map(String::as_str).collect();
                pieces.extend(marked(&title, &terms, base, highlight));
                let left = room.saturating_sub(str_width(&title, amb) + 2);
                if left > 4 {
                    let search = app.archive.search();
                    let snippet = search
                        // Little room: less context before the match, so
                        // that the match itself is seen.
                        .map(|s| {
                            let before = (left / 8).min(SNIPPET_BEFORE);
                            s.snippet(hit, &found.query, before, left)
                        })
                        .unwrap_or_default();
                    let text = script.convert(&sanitize(&snippet.text)).into_owned();
                    let text = if app.prefs.text.fullwidth_punctuation {
                        display_punctuation(&text).into_owned()
                    } else {
                        text
                    };
                    let text = truncate(&text, left, amb);
                    pieces.push(("  ".to_owned(), base));
                    pieces.extend(marked(&text, &terms, dim, highlight));
                }
            }
            None => {
                let (title, byline) = row_text(&article, room, amb, script);
                let query = script.convert(app.archive.query().trim()).into_owned();
                pieces.extend(
                    highlighted(&title, &query, base, highlight)
                        .into_iter()
                        .map(|(t, s)| (t.to_owned(), s)),
                );
                if !byline.is_empty() {
                    pieces.push(("  ".to_owned(), base));
                    pieces.push((byline, dim));
                }
            }
        }
        let pieces: Vec<(&str, Style)> = pieces.iter().map(|(t, s)| (t.as_str(), *s)).collect();
        let written = put(buf, pane.body, screen_row, &pieces, amb);
        if selected {
            fill(buf, pane.body, screen_row, written, base);
        }
    }
}

/// Characters of context shown before a search hit.
const SNIPPET_BEFORE: usize = 6;

/// `text` in pieces, the (normalised) `terms` it holds in the highlight
/// style. Matching folds case and full-width forms like the search does.
fn marked(text: &str, terms: &[&str], base: Style, highlight: Style) -> Vec<(String, Style)> {
    let mut folded = String::new();
    let mut starts = Vec::new();
    for (i, c) in text.char_indices() {
        starts.push(i);
        folded.push(crate::index::grams::fold(c));
    }
    let chars: Vec<char> = folded.chars().collect();
    let mut lit = vec![false; chars.len()];
    for term in terms {
        let t: Vec<char> = term.chars().collect();
        if t.is_empty() || t.len() > chars.len() {
            continue;
        }
        for i in 0..=chars.len() - t.len() {
            if chars[i..i + t.len()] == t[..] {
                lit[i..i + t.len()].iter_mut().for_each(|l| *l = true);
            }
        }
    }
    let mut pieces: Vec<(String, Style)> = Vec::new();
    for (n, c) in text.chars().enumerate() {
        let style = if lit.get(n).copied().unwrap_or(false) {
            highlight
        } else {
            base
        };
        match pieces.last_mut() {
            Some((s, st)) if *st == style => s.push(c),
            _ => pieces.push((c.to_string(), style)),
        }
    }
    pieces
}

/// The headline and the names of the byline that fit in `room` columns: the
/// headline first, then whole names (never half a name), `…` when some
/// did not fit.
fn row_text(article: &Article, room: usize, amb: u8, script: Script) -> (String, String) {
    let title = truncate(&script.convert(article.display_title()), room, amb);
    let names: Vec<&str> = match &article.byline {
        Some(b) if !b.reporters.is_empty() || !b.correspondents.is_empty() => b
            .reporters
            .iter()
            .chain(&b.correspondents)
            .map(String::as_str)
            .collect(),
        Some(b) => vec![b.text.as_str()],
        None => Vec::new(),
    };
    let mut left = room.saturating_sub(str_width(&title, amb) + 2);
    let mut shown = String::new();
    for (i, name) in names.iter().enumerate() {
        let sep = usize::from(!shown.is_empty());
        let name = script.convert(name);
        let w = str_width(&name, amb);
        let more = i + 1 < names.len();
        // Keep room for the `…` that says names were left out.
        let reserve = if more { 2 } else { 0 };
        if sep + w + reserve > left {
            if !shown.is_empty() && left >= 2 {
                shown.push_str(" …");
            }
            break;
        }
        if sep == 1 {
            shown.push(' ');
        }
        shown.push_str(&name);
        left -= sep + w;
    }
    (title, shown)
}

/// `text` cut into pieces, the parts matching `query` (case-blind) in the
/// highlight style.
fn highlighted<'a>(
    text: &'a str,
    query: &str,
    base: Style,
    highlight: Style,
) -> Vec<(&'a str, Style)> {
    if query.is_empty() {
        return vec![(text, base)];
    }
    let lower = text.to_lowercase();
    let query = query.to_lowercase();
    // Lower-casing can change byte lengths; highlight only when it did not.
    if lower.len() != text.len() {
        return vec![(text, base)];
    }
    let mut pieces = Vec::new();
    let mut at = 0;
    for (start, _) in lower.match_indices(&query) {
        if start < at
            || !text.is_char_boundary(start)
            || !text.is_char_boundary(start + query.len())
        {
            continue;
        }
        pieces.push((&text[at..start], base));
        pieces.push((&text[start..start + query.len()], highlight));
        at = start + query.len();
    }
    pieces.push((&text[at..], base));
    pieces
}
