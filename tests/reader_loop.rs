//! The daily reading loop in the reader (issue 18), driven through the
//! keymap as a user types: the sections tree, next unread, marking a list
//! read and taking it back, the unread and starred views, where each
//! article was left, find in the article, the date prompt and the
//! one-pane layout. The archive is a synthetic one of two papers over
//! several days.

mod common;

use common::keys::{perform_reads, press, press_reading};
use kanbao::config::{self, Config};
use kanbao::library::Library;
use kanbao::marks::{Marks, Place};
use kanbao::ui::app::{App, Input, Prefs};
use kanbao::ui::archive::{Archive, Row, View};
use kanbao::ui::layout::Focus;
use kanbao::ui::update::{Effect, Msg, update};
use tempfile::TempDir;

/// Two papers of about six issues each.
fn archive() -> (TempDir, Config) {
    common::papers::papers()
}

fn app_with(config: &Config, marks: Marks, width: u16, height: u16) -> App {
    let prefs = Prefs::from_config(config, false);
    let archive = Archive::new(Library::load(config), marks, Vec::new(), None);
    let mut app = App::new(archive, prefs);
    update(&mut app, Msg::Resize(width, height));
    app
}

fn app(config: &Config) -> App {
    app_with(config, Marks::default(), 120, 40)
}

/// The days of feed `feed`, newest first.
fn days(app: &App, feed: usize) -> Vec<usize> {
    app.archive.feeds[feed].days.clone().collect()
}

fn shown_sections(app: &App, day: usize) -> usize {
    app.nav
        .rows
        .iter()
        .filter(|r| matches!(r, Row::Section(s) if app.archive.sections[*s].day == day))
        .count()
}

fn message(app: &App) -> &str {
    app.status.message.as_deref().unwrap_or("")
}

#[test]
fn the_tree_opens_each_feeds_newest_date_only() {
    let (_dir, config) = archive();
    let app = app(&config);
    assert_eq!(app.archive.feeds.len(), 2);
    for feed in 0..2 {
        let days = days(&app, feed);
        assert!(days.len() >= 4, "{} days", days.len());
        assert!(app.nav.rows.contains(&Row::Feed(feed)));
        for (n, &day) in days.iter().enumerate() {
            assert!(app.nav.rows.contains(&Row::Day(day)), "every date is a row");
            let sections = app.archive.days[day].sections.len();
            let expected = if n == 0 { sections } else { 0 };
            assert_eq!(
                shown_sections(&app, day),
                expected,
                "day {n} of feed {feed}"
            );
        }
    }
    assert_eq!(app.nav.row, Row::Section(0), "the newest 要闻 is selected");
    assert_eq!(app.nav.rows[..2], [Row::Feed(0), Row::Day(0)]);
}

/// A date jumped to is shown near the top of the tree with its 版面 below
/// it, not as the last row with its 版面 out of view.
#[test]
fn a_date_jumped_to_shows_its_sections() {
    let (_dir, config) = archive();
    let mut app = app_with(&config, Marks::default(), 80, 14);
    let oldest = *days(&app, 0).last().unwrap_or(&0);
    let date = app.archive.days[oldest].date.clone().unwrap_or_default();
    press(&mut app, &format!(":{date}\n"));
    assert_eq!(app.nav.row, Row::Day(oldest));
    let height = app.panes.sections.map_or(0, |p| usize::from(p.body.height));
    let rows = &app.nav.rows;
    let at = rows
        .iter()
        .position(|r| *r == Row::Day(oldest))
        .unwrap_or(0);
    let sections = shown_sections(&app, oldest);
    assert!(
        sections > 0 && sections + 2 <= height,
        "{sections} in {height}"
    );
    let offset = app.nav.section_offset;
    assert!(
        at >= offset && at + sections < offset + height,
        "the date (row {at}) and its {sections} 版面 in rows {offset}..{}",
        offset + height
    );
}

/// `z` near the end of a long tree: the rows folded away leave no empty
/// pane below the last row.
#[test]
fn z_at_the_end_of_the_tree_leaves_the_pane_full() {
    let (_dir, config) = archive();
    let mut app = app_with(&config, Marks::default(), 80, 14);
    press(&mut app, "hG<Enter>G");
    let height = app.panes.sections.map_or(0, |p| usize::from(p.body.height));
    let before = app.nav.rows.len();
    assert!(before > height + 8, "{before} rows in a pane of {height}");
    assert_eq!(app.nav.section_offset, before - height, "the end in view");
    press(&mut app, "z");
    let rows = app.nav.rows.len();
    assert!(rows < before && rows > height, "{before} -> {rows} rows");
    assert_eq!(
        app.nav.section_offset,
        rows - height,
        "the last row at the pane's foot"
    );
    let selected = app.nav.rows.iter().position(|r| *r == app.nav.row);
    assert!(selected.is_some_and(|s| s >= app.nav.section_offset));
}

#[test]
fn h_folds_l_and_enter_open_and_z_folds_every_date() {
    let (_dir, config) = archive();
    let mut app = app(&config);
    let older = days(&app, 0)[1];
    press(&mut app, "h");
    assert_eq!(app.focus, Focus::Sections);
    press(&mut app, "h");
    assert_eq!(app.nav.row, Row::Day(0), "h on a section folds its date");
    assert_eq!(shown_sections(&app, 0), 0);
    press(&mut app, "h");
    assert_eq!(
        app.nav.row,
        Row::Feed(0),
        "h on a folded date goes to the feed"
    );
    press(&mut app, "h");
    assert_eq!(
        app.nav
            .rows
            .iter()
            .filter(|r| matches!(r, Row::Day(_)))
            .count(),
        days(&app, 1).len(),
        "the folded feed hides its dates"
    );
    press(&mut app, "l");
    press(&mut app, "jj");
    assert_eq!(app.nav.row, Row::Day(older));
    press(&mut app, "<Enter>");
    assert!(shown_sections(&app, older) > 0, "Enter opens a date");
    assert_eq!(app.focus, Focus::Sections);
    // The list shows the whole date while its row is selected.
    let listed = app.listed();
    let sections = app.archive.days[older].sections.clone();
    let expected: usize = sections
        .map(|s| app.archive.sections[s].articles.len())
        .sum();
    assert_eq!(listed.len(), expected);
    press(&mut app, "j");
    assert!(matches!(app.nav.row, Row::Section(s) if app.archive.sections[s].day == older));
    press(&mut app, "z");
    assert_eq!(
        app.nav.row,
        Row::Day(older),
        "z folds all and keeps the date"
    );
    for feed in 0..2 {
        for day in days(&app, feed) {
            assert_eq!(shown_sections(&app, day), 0);
        }
    }
    press(&mut app, "l");
    assert!(shown_sections(&app, older) > 0);
    press(&mut app, "l");
    assert_eq!(
        app.focus,
        Focus::Articles,
        "l on an open date goes to its articles"
    );
}

#[test]
fn a_date_typed_after_colon_is_selected_and_opened() {
    let (_dir, config) = archive();
    let mut app = app(&config);
    let third = days(&app, 0)[2];
    let date = app.archive.days[third]
        .date
        .as_deref()
        .unwrap_or_default()
        .to_owned();
    press(&mut app, ":");
    assert_eq!(app.input, Input::Date(String::new()));
    press(&mut app, &format!("{date}\n"));
    assert_eq!(app.nav.row, Row::Day(third));
    assert!(shown_sections(&app, third) > 0);
    assert_eq!(app.input, Input::Browse);
    assert!(message(&app).starts_with(&date), "{}", message(&app));
    // The month and day, or the day alone, in the feed shown.
    let (_, month_day) = date.split_at(5);
    press(&mut app, &format!("gg:{month_day}\n"));
    assert_eq!(app.nav.row, Row::Day(third));
    let day_only = date[8..].trim_start_matches('0').to_owned();
    press(&mut app, &format!(":{day_only}\n"));
    assert_eq!(app.nav.row, Row::Day(third));
    // In the other feed, its own date of that day.
    let other = days(&app, 1)[2];
    assert_eq!(app.archive.days[other].date.as_deref(), Some(date.as_str()));
    press(&mut app, "G");
    press(&mut app, &format!(":{date}\n"));
    assert_eq!(app.nav.row, Row::Day(other));
    press(&mut app, ":1999-01-01\n");
    assert_eq!(message(&app), "no date 1999-01-01 in the archive");
    press(&mut app, ":tomorrow\n");
    assert!(message(&app).starts_with("not a date"), "{}", message(&app));
    // Days a month does not have are no dates; a leap year's 29 February is.
    for typed in ["2-30", "2026-02-29", "4-31", "13-1", "0"] {
        press(&mut app, &format!(":{typed}\n"));
        assert!(
            message(&app).starts_with("not a date"),
            "{typed}: {}",
            message(&app)
        );
    }
    press(&mut app, ":2024-02-29\n");
    assert_eq!(message(&app), "no date 2024-02-29 in the archive");
    press(&mut app, ":12<Esc>");
    assert_eq!(app.input, Input::Browse);
    assert_eq!(app.nav.row, Row::Day(other), "Esc cancels the prompt");
    // Full-width digits, as an input method types them.
    let wide: String = date
        .chars()
        .map(|c| {
            c.to_digit(10)
                .map_or(c, |d| char::from_u32(0xFF10 + d).unwrap_or(c))
        })
        .collect();
    press(&mut app, "gg");
    press(&mut app, &format!(":{wide}\n"));
    assert_eq!(app.nav.row, Row::Day(third), "{wide}");
}

#[test]
fn u_goes_to_the_next_unread_article_across_sections_and_dates() {
    let (_dir, config) = archive();
    let mut app = app(&config);
    // Everything of the newest date is read but one article of the next.
    let newest = app.archive.days[0].sections.clone();
    let last = app.archive.sections[newest.end - 1].articles.end - 1;
    for i in 0..=last + 2 {
        if i != last + 2 {
            app.archive.set_read(i, true);
        }
    }
    press(&mut app, "u");
    assert_eq!(
        app.selected(),
        Some(last + 2),
        "across the date, past the read"
    );
    let day = app.archive.sections[app.section().unwrap_or(0)].day;
    assert_eq!(day, 1, "the next date is opened to show it");
    assert!(shown_sections(&app, 1) > 0);
    assert_eq!(
        app.focus,
        Focus::Articles,
        "the list selects; it does not open"
    );
    press(&mut app, "<Enter>u");
    assert_eq!(
        app.reader.article,
        Some(last + 3),
        "while reading, u opens it"
    );
    assert!(app.archive.is_read(last + 3));
    press(&mut app, "U");
    assert_eq!(app.reader.article, Some(last + 3), "nothing unread before");
    assert_eq!(message(&app), "no unread article before this one");
}

#[test]
fn shift_a_marks_the_list_read_and_esc_takes_it_back_until_the_next_key() {
    let (_dir, config) = archive();
    let mut app = app(&config);
    let listed = app.listed().to_vec();
    let effects = press(&mut app, "A");
    assert!(effects.contains(&Effect::SaveMarks));
    assert!(listed.iter().all(|&i| app.archive.is_read(i)));
    let label = app.scope_label();
    assert_eq!(
        message(&app),
        format!("marked {} read · Esc undoes · {label}", listed.len())
    );
    assert_eq!(app.archive.unread(0), 0);
    let effects = press(&mut app, "<Esc>");
    assert!(effects.contains(&Effect::SaveMarks));
    assert!(listed.iter().all(|&i| !app.archive.is_read(i)));
    assert_eq!(
        message(&app),
        format!("undone: {} unread again", listed.len())
    );
    // The undo lasts one key.
    press(&mut app, "Aj<Esc>");
    assert!(listed.iter().all(|&i| app.archive.is_read(i)));
    press(&mut app, "A");
    assert_eq!(message(&app), format!("nothing unread in {label}"));
}

#[test]
fn shift_a_on_a_date_or_a_feed_marks_all_of_it() {
    let (_dir, config) = archive();
    let mut app = app(&config);
    press(&mut app, "hh");
    assert_eq!(app.nav.row, Row::Day(0));
    press(&mut app, "A");
    let (unread, count) = app.archive.day_counts(0);
    assert_eq!(unread, 0);
    assert!(message(&app).starts_with(&format!("marked {count} read · Esc undoes · ")));
    assert_ne!(app.archive.day_counts(1).0, 0, "the next date is untouched");
    press(&mut app, "h");
    assert_eq!(app.nav.row, Row::Feed(0));
    press(&mut app, "A");
    assert_eq!(app.archive.feed_counts(0).0, 0);
    assert_ne!(
        app.archive.feed_counts(1).0,
        0,
        "the other paper is untouched"
    );
}

#[test]
fn the_unread_view_hides_what_is_read_and_its_counts_follow() {
    let (_dir, config) = archive();
    let mut app = app(&config);
    // The first section read, and one article of the second.
    press(&mut app, "A");
    let second = app.archive.sections[1].articles.start;
    app.archive.set_read(second, true);
    let total_unread = app.archive.counts(0..app.archive.sections.len()).0;
    press(&mut app, "v");
    assert_eq!(app.archive.view(), View::Unread);
    assert_eq!(
        message(&app),
        format!("showing the {total_unread} unread only")
    );
    assert!(
        !app.nav.rows.contains(&Row::Section(0)),
        "a read section is hidden"
    );
    assert_eq!(app.nav.row, Row::Section(1), "the selection moves on");
    assert_eq!(
        app.archive.visible(1).len(),
        app.archive.sections[1].articles.len() - 1
    );
    assert!(!app.listed().contains(second));
    // Reading in the view keeps the article listed until the view changes.
    press(&mut app, "<Enter>");
    let opened = app.reader.article.unwrap_or(usize::MAX);
    assert!(app.listed().contains(opened));
    press(&mut app, "v");
    assert_eq!(app.archive.view(), View::Starred);
    assert_eq!(
        message(&app),
        "showing the 0 starred only · s stars an article"
    );
    press(&mut app, "v");
    assert_eq!(app.archive.view(), View::All);
    press(&mut app, "s");
    press(&mut app, "v");
    assert_eq!(app.archive.view(), View::Unread);
    assert!(!app.listed().contains(opened), "read: no longer shown");
    press(&mut app, "v");
    assert_eq!(app.archive.view(), View::Starred);
    assert_eq!(app.listed().to_vec(), [opened], "only the starred article");
    assert_eq!(
        app.nav.rows.len(),
        3,
        "its feed, date and section: {:?}",
        app.nav.rows
    );
}

#[test]
fn n_after_g_returns_to_the_end_of_the_article() {
    let (_dir, config) = archive();
    let mut app = app_with(&config, Marks::default(), 80, 24);
    press(&mut app, "<Enter>G");
    assert_eq!(app.reader.percent(), 100);
    press(&mut app, "nN");
    assert_eq!(
        app.reader.percent(),
        100,
        "back at the end, not a block above"
    );
    press(&mut app, "k");
    let top = app.reader.top;
    press(&mut app, "nN");
    assert_eq!(app.reader.top, top);
}

#[test]
fn the_article_being_read_is_opened_again_at_its_place_on_the_next_start() {
    let (_dir, config) = archive();
    let mut app = app_with(&config, Marks::default(), 41, 15);
    press(&mut app, "J<Enter>jjjjj");
    let index = app.reader.article.unwrap_or(usize::MAX);
    let (top, percent) = (app.reader.top, app.reader.percent());
    assert!(percent > 0 && percent < 100, "{percent}%");
    // What the loop does on the way out.
    kanbao::ui::update::remember_place(&mut app);
    app.archive.set_last(Some(index));
    let marks = app.archive.marks().clone();
    let id = app.archive.id(index).to_owned();
    assert_eq!(marks.last(), Some(id.as_str()));

    let again = app_with(&config, marks.clone(), 41, 15);
    assert_eq!(again.reader.article, Some(index));
    assert!(again.reader.opened && again.focus == Focus::Reader);
    assert_eq!(again.selected(), Some(index), "selected in its section");
    assert_eq!((again.reader.top, again.reader.percent()), (top, percent));

    // A place whose article is not in the archive is kept (its folder may
    // be unmounted, the state shared with another config); the reader
    // starts with nothing open.
    let mut gone = marks;
    gone.set_place(
        "no-such-article",
        Place {
            block: 3,
            line: 0,
            end: false,
        },
    );
    gone.set_last(Some("no-such-article"));
    let app = app_with(&config, gone, 80, 24);
    assert_eq!(app.reader.article, None);
    assert!(app.archive.marks().place("no-such-article").is_some());
    assert_eq!(app.archive.marks().last(), Some("no-such-article"));
    assert!(app.archive.marks().place(&id).is_some());
}

#[test]
fn slash_in_the_reader_finds_in_the_article_and_n_moves_between_matches() {
    let (_dir, config) = archive();
    let mut app = app_with(&config, Marks::default(), 80, 24);
    press(&mut app, "<Enter>");
    let article = app.reader.article;
    // A word of the article's own text.
    let text: String = app.reader.lines.iter().map(|l| l.text.as_str()).collect();
    let word: String = text
        .chars()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
        .take(2)
        .collect();
    press(&mut app, "/");
    assert_eq!(app.input, Input::Find);
    press(&mut app, &word);
    let find = app.reader.find.clone().unwrap_or_default();
    assert!(!find.matches.is_empty(), "{word} is found");
    press(&mut app, "\n");
    assert_eq!(app.input, Input::Browse);
    let count = app.reader.find.as_ref().map_or(0, |f| f.matches.len());
    press(&mut app, "n");
    assert_eq!(
        app.reader.article, article,
        "n moves between matches, not articles"
    );
    let current = app.reader.find.as_ref().map_or(0, |f| f.current);
    assert_eq!(current, 1 % count);
    press(&mut app, "N");
    assert_eq!(app.reader.find.as_ref().map_or(9, |f| f.current), 0);
    press(&mut app, "<Esc>");
    assert!(app.reader.find.is_none(), "Esc ends the find");
    assert_eq!(app.focus, Focus::Reader, "and leaves the reader open");
    press(&mut app, "n");
    assert_ne!(app.reader.article, article, "n is the next article again");
}

/// A find that matches only while typed in part moves the view there and
/// back where it started once nothing matches; Esc while typing goes back
/// there too.
#[test]
fn a_find_that_stops_matching_or_is_cancelled_goes_back_where_it_started() {
    let (_dir, config) = archive();
    let mut app = app_with(&config, Marks::default(), 80, 10);
    press(&mut app, "<Enter>");
    let start = app.reader.top;
    let shown: String = (app.reader.lines.iter().skip(start))
        .take(app.reader.height)
        .map(|l| l.text.as_str())
        .collect();
    // A character of the text that the first screen does not show.
    let far = (app.reader.lines.iter().skip(start + app.reader.height))
        .flat_map(|l| l.text.chars())
        .find(|c| ('\u{4e00}'..='\u{9fff}').contains(c) && !shown.contains(*c));
    let Some(far) = far else {
        panic!("the article fits on one screen: {shown}");
    };
    press(&mut app, "/");
    press(&mut app, &far.to_string());
    assert_ne!(app.reader.top, start, "{far} is shown further down");
    // No article holds 㐀 after it.
    press(&mut app, "㐀");
    assert!(
        app.reader
            .find
            .as_ref()
            .is_some_and(|f| f.matches.is_empty())
    );
    assert_eq!(app.reader.top, start, "nothing matches: back at the start");
    press(&mut app, "<BS>");
    assert_ne!(app.reader.top, start, "{far} again");
    press(&mut app, "<Esc>");
    assert_eq!(app.reader.top, start, "Esc while typing: back at the start");
    assert!(app.reader.find.is_none());
}

#[test]
fn an_article_opened_from_the_search_shows_its_first_match_and_empty_sections_hide() {
    let (_dir, config) = archive();
    let mut app = common::screen::searchable(&config);
    let asked = update(&mut app, Msg::Resize(80, 24));
    perform_reads(&mut app, asked, &config.feeds);
    // 院士 is in the sample's text; the hits' sections only are shown.
    press_reading(&mut app, "/院士\n", &config.feeds);
    let hits = app.listed();
    assert!(!hits.is_empty());
    for row in &app.nav.rows {
        if let Row::Section(s) = row {
            assert!(
                !app.archive.visible(*s).is_empty(),
                "section {s} has no hit"
            );
        }
    }
    let sections_with_hits = (0..app.archive.sections.len())
        .filter(|&s| !app.archive.visible(s).is_empty())
        .count();
    assert!(sections_with_hits < app.archive.sections.len());
    press_reading(&mut app, "\n", &config.feeds);
    assert_eq!(app.focus, Focus::Reader);
    let find = app.reader.find.clone().unwrap_or_default();
    assert_eq!(find.terms, ["院士"]);
    assert!(!find.matches.is_empty(), "the hit's text holds the term");
    let line = find.line_of(0).unwrap_or(usize::MAX);
    assert!(
        line >= app.reader.top && line < app.reader.top + app.reader.height,
        "the first match ({line}) is in view from {}",
        app.reader.top
    );
    assert!(!app.reader.find_pending);
}

#[test]
fn q_on_the_list_goes_up_to_the_sections_in_the_one_pane_layout() {
    let (_dir, config) = archive();
    let mut app = app_with(&config, Marks::default(), 41, 15);
    assert_eq!(app.focus, Focus::Articles);
    press(&mut app, "q");
    assert_eq!(app.focus, Focus::Sections);
    assert!(!app.quit);
    assert!(app.panes.sections.is_some(), "the sections pane is shown");
    press(&mut app, "q");
    assert!(app.quit, "q on the top level quits");
    let mut app = app_with(&config, Marks::default(), 80, 24);
    press(&mut app, "q");
    assert!(app.quit, "with the sections beside the list, q quits");
}

#[test]
fn the_feeds_name_stays_in_view_while_its_rows_scroll() {
    let (_dir, config) = archive();
    let mut app = app_with(&config, Marks::default(), 80, 12);
    let height = app.panes.sections.map_or(0, |p| usize::from(p.body.height));
    press(&mut app, "h");
    press(&mut app, &"j".repeat(height + 1));
    assert!(app.nav.section_offset > 0, "scrolled");
    assert!(matches!(
        app.nav.rows[app.nav.section_offset],
        Row::Day(_) | Row::Section(_)
    ));
    assert_eq!(kanbao::ui::update::sticky_feed(&app, height), Some(0));
    let selected = selected_row(&app);
    assert!(
        selected > app.nav.section_offset,
        "the selection is not under the name"
    );
    // Up to the top of the view: the view scrolls before the name covers it.
    press(&mut app, &"k".repeat(height - 2));
    let selected = selected_row(&app);
    let sticky = kanbao::ui::update::sticky_feed(&app, height);
    assert!(sticky.is_none() || selected > app.nav.section_offset);
}

#[test]
fn a_message_too_long_for_the_status_line_ends_at_a_word_and_w_shows_it_whole() {
    let (_dir, config) = archive();
    let mut app = app_with(&config, Marks::default(), 41, 15);
    let long = "cannot save read marks to /state/kanbao/state.json: No space left on \
                device (os error 28); free some disk space";
    update(&mut app, Msg::Notice(long.to_owned()));
    assert_eq!(app.status.long_message.as_deref(), Some(long));
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(41, 15))
        .unwrap_or_else(|e| panic!("{e}"));
    terminal
        .draw(|frame| kanbao::ui::view::draw(frame, &app))
        .unwrap_or_else(|e| panic!("{e}"));
    let buffer = terminal.backend().buffer();
    let status: String = (0..41).map(|x| buffer[(x, 14)].symbol()).collect();
    assert_eq!(status.trim_end(), " cannot save read marks to… (W)");
    press(&mut app, "W");
    let lines = app.overlay_lines(kanbao::ui::app::Overlay::Warnings, 37);
    assert_eq!(lines[0], "Last message:");
    // Set in by two spaces, not a paragraph's ideographic indent.
    assert!(lines[1].starts_with("  cannot save"), "{lines:?}");
    let whole: String = lines[1..]
        .iter()
        .map(|l| l.trim())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(whole.contains("free some disk space"), "{lines:?}");
}

#[test]
fn a_config_without_feeds_says_so_in_the_reader_and_w_shows_one_to_add() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temporary folder: {e}"));
    let path = dir.path().join("config.toml");
    let config = config::parse("[ui]\nmouse = false\n", &path, "config.toml")
        .unwrap_or_else(|e| panic!("{e}"));
    let prefs = Prefs::from_config(&config, false);
    assert!(prefs.no_feeds);
    let warnings: Vec<_> = kanbao::ui::no_feeds_warning(&config).into_iter().collect();
    let archive = Archive::new(Library::load(&config), Marks::default(), warnings, None);
    let mut app = App::new(archive, prefs);
    update(&mut app, Msg::Resize(80, 24));
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24))
        .unwrap_or_else(|e| panic!("{e}"));
    terminal
        .draw(|frame| kanbao::ui::view::draw(frame, &app))
        .unwrap_or_else(|e| panic!("{e}"));
    let text = format!("{:?}", terminal.backend());
    assert!(
        text.contains("The config has no feeds: W shows one to add."),
        "{text}"
    );
    press(&mut app, "W");
    let lines = app.overlay_lines(kanbao::ui::app::Overlay::Warnings, 70);
    assert!(
        lines[0].starts_with("config.toml: has no feeds."),
        "{lines:?}"
    );
    assert!(lines.iter().any(|l| l.trim() == "[[feeds]]"), "{lines:?}");
    assert!(
        lines.iter().any(|l| l.trim() == "kind = \"feed\""),
        "{lines:?}"
    );
}

/// The position of the selected row among the tree's rows.
fn selected_row(app: &App) -> usize {
    app.nav
        .rows
        .iter()
        .position(|r| *r == app.nav.row)
        .unwrap_or(0)
}
