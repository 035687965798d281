//! Where the panes go at a given terminal size.
//!
//! One pure function decides it, used by `update` (to lay the reader's text
//! out at the right width and to know what a mouse click hit) and by the
//! views (to draw), so the two can never disagree.
//!
//! - 100 columns or more: sections | articles | reader;
//! - 60 to 99: two panes, sections | articles, or articles | reader;
//! - fewer: the focused pane alone;
//! - below 20×5: a "window too small" notice.
//!
//! The reader's text is at most `[ui] measure` Han characters wide (and the
//! hanging margin): a reader pane wider than that gives its surplus to the
//! article list, up to [`ARTICLES_WIDEST`], and centres its text in what it
//! keeps.

use ratatui::layout::Rect;

use crate::typeset::HANG;

/// Which pane has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Sections,
    Articles,
    Reader,
}

/// The terminal's size in cells.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Size {
    pub width: u16,
    pub height: u16,
}

/// The smallest window kanbao draws in.
pub const MIN_WIDTH: u16 = 20;
pub const MIN_HEIGHT: u16 = 5;
/// From this width on, three panes.
pub const THREE_PANES: u16 = 100;
/// From this width on, two panes.
pub const TWO_PANES: u16 = 60;

/// The widest the article list grows to with the reader's surplus.
pub const ARTICLES_WIDEST: u16 = 80;

/// The widest the reader's text may be, in columns: `measure` Han
/// characters and, when closing marks hang, the margin they hang in;
/// `None` for measure 0, the whole pane.
pub fn text_limit(measure: u8, hanging: bool) -> Option<u16> {
    let hang = if hanging { HANG as u16 } else { 0 };
    (measure > 0).then(|| u16::from(measure) * 2 + hang)
}

/// A pane: its whole area, the header row and the body below it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pane {
    pub area: Rect,
    pub header: Rect,
    pub body: Rect,
    /// A separator column on the left (every pane but the first).
    pub bordered: bool,
    /// The widest its text may be ([`text_limit`]); only the reader's has
    /// one.
    pub limit: Option<u16>,
}

impl Pane {
    fn new(area: Rect, bordered: bool) -> Pane {
        let inner_x = area.x + u16::from(bordered);
        let inner_w = area.width.saturating_sub(u16::from(bordered));
        let header = Rect::new(inner_x, area.y, inner_w, area.height.min(1));
        let body = Rect::new(inner_x, area.y + 1, inner_w, area.height.saturating_sub(1));
        Pane {
            area,
            header,
            body,
            bordered,
            limit: None,
        }
    }

    /// The reader's text area: the body less a column of margin each side,
    /// narrowed to the limit and centred when it is wider.
    pub fn text(&self) -> Rect {
        let margin = if self.body.width >= 10 { 1 } else { 0 };
        let width = self.body.width.saturating_sub(2 * margin);
        let limited = self.limit.map_or(width, |limit| width.min(limit));
        Rect::new(
            self.body.x + margin + (width - limited) / 2,
            self.body.y,
            limited,
            self.body.height,
        )
    }
}

/// The panes shown at one size and focus.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Panes {
    pub sections: Option<Pane>,
    pub articles: Option<Pane>,
    pub reader: Option<Pane>,
    pub status: Rect,
    pub too_small: bool,
}

impl Panes {
    /// The pane under a cell, if any.
    pub fn hit(&self, column: u16, row: u16) -> Option<Focus> {
        let inside = |p: &Option<Pane>| {
            p.is_some_and(|p| {
                column >= p.area.x
                    && column < p.area.x + p.area.width
                    && row >= p.area.y
                    && row < p.area.y + p.area.height
            })
        };
        if inside(&self.sections) {
            Some(Focus::Sections)
        } else if inside(&self.articles) {
            Some(Focus::Articles)
        } else if inside(&self.reader) {
            Some(Focus::Reader)
        } else {
            None
        }
    }

    /// Whether a pane is on screen.
    pub fn shows(&self, focus: Focus) -> bool {
        match focus {
            Focus::Sections => self.sections.is_some(),
            Focus::Articles => self.articles.is_some(),
            Focus::Reader => self.reader.is_some(),
        }
    }
}

/// Width of an overlay's text on a screen of `area` (inside its border).
pub fn overlay_text_width(area: Rect) -> u16 {
    area.width.saturating_sub(4).min(72).saturating_sub(2)
}

/// Where an overlay of `lines` lines goes on a screen of `area`; `None`
/// when the screen is too small for one.
pub fn overlay_box(area: Rect, lines: usize) -> Option<Rect> {
    let width = overlay_text_width(area) + 2;
    let height = area.height.saturating_sub(2);
    if width < 10 || height < 3 {
        return None;
    }
    let box_h = (u16::try_from(lines).unwrap_or(u16::MAX).saturating_add(2)).min(height);
    let x = area.x + (area.width - width) / 2;
    let y = area.y + (area.height.saturating_sub(1) - box_h) / 2;
    Some(Rect::new(x, y, width, box_h))
}

/// How many columns a reader pane of `reader` columns (with its separator)
/// can give the article list beside it, now `articles` wide, when its text
/// may be at most `limit` wide.
fn surplus(reader: u16, articles: u16, limit: Option<u16>) -> u16 {
    let Some(limit) = limit else {
        return 0;
    };
    // The separator and a margin each side of the text.
    let needed = limit.saturating_add(3);
    reader
        .saturating_sub(needed)
        .min(ARTICLES_WIDEST.saturating_sub(articles))
}

/// The panes for a terminal of `size` with `focus` on one of them, the
/// reader's text at most `limit` columns wide ([`text_limit`]).
pub fn panes(size: Size, focus: Focus, limit: Option<u16>) -> Panes {
    let Size { width, height } = size;
    if width < MIN_WIDTH || height < MIN_HEIGHT {
        return Panes {
            too_small: true,
            ..Panes::default()
        };
    }
    let body_h = height - 1;
    let status = Rect::new(0, body_h, width, 1);
    let column =
        |x: u16, w: u16, bordered: bool| Some(Pane::new(Rect::new(x, 0, w, body_h), bordered));
    let mut panes = Panes {
        status,
        ..Panes::default()
    };
    if width >= THREE_PANES {
        let sections = (width / 5).clamp(20, 30);
        let articles = (width - sections) * 2 / 5;
        let reader = width - sections - articles;
        let more = surplus(reader, articles, limit);
        let (articles, reader) = (articles + more, reader - more);
        panes.sections = column(0, sections, false);
        panes.articles = column(sections, articles, true);
        panes.reader = column(sections + articles, reader, true);
    } else if width >= TWO_PANES {
        if focus == Focus::Reader {
            let articles = width / 3;
            let articles = articles + surplus(width - articles, articles, limit);
            panes.articles = column(0, articles, false);
            panes.reader = column(articles, width - articles, true);
        } else {
            let sections = width * 2 / 5;
            panes.sections = column(0, sections, false);
            panes.articles = column(sections, width - sections, true);
        }
    } else {
        let only = column(0, width, false);
        match focus {
            Focus::Sections => panes.sections = only,
            Focus::Articles => panes.articles = only,
            Focus::Reader => panes.reader = only,
        }
    }
    if let Some(reader) = &mut panes.reader {
        reader.limit = limit;
    }
    panes
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn size(width: u16, height: u16) -> Size {
        Size { width, height }
    }

    #[rstest]
    #[case::wide(120, 40, Focus::Articles, (true, true, true))]
    #[case::exactly_three(100, 30, Focus::Reader, (true, true, true))]
    #[case::two_list(80, 24, Focus::Articles, (true, true, false))]
    #[case::two_reading(80, 24, Focus::Reader, (false, true, true))]
    #[case::one_list(41, 15, Focus::Articles, (false, true, false))]
    #[case::one_reading(41, 15, Focus::Reader, (false, false, true))]
    #[case::one_sections(59, 15, Focus::Sections, (true, false, false))]
    fn pane_counts(
        #[case] w: u16,
        #[case] h: u16,
        #[case] focus: Focus,
        #[case] want: (bool, bool, bool),
    ) {
        let p = panes(size(w, h), focus, None);
        assert_eq!(
            (
                p.sections.is_some(),
                p.articles.is_some(),
                p.reader.is_some()
            ),
            want
        );
        assert!(!p.too_small);
    }

    #[test]
    fn panes_tile_the_width_exactly() {
        for w in MIN_WIDTH..=300 {
            for (focus, limit) in [Focus::Sections, Focus::Articles, Focus::Reader]
                .into_iter()
                .flat_map(|f| [None, Some(20), Some(82)].map(|l| (f, l)))
            {
                let p = panes(size(w, 10), focus, limit);
                let total: u16 = [p.sections, p.articles, p.reader]
                    .iter()
                    .flatten()
                    .map(|p| p.area.width)
                    .sum();
                assert_eq!(total, w, "width {w}, {focus:?}, {limit:?}");
            }
        }
    }

    #[test]
    fn tiny_windows_are_too_small_and_nothing_panics() {
        for w in 0..30 {
            for h in 0..8 {
                for limit in [None, Some(1), Some(82)] {
                    let p = panes(size(w, h), Focus::Reader, limit);
                    assert_eq!(p.too_small, w < MIN_WIDTH || h < MIN_HEIGHT);
                    if let Some(r) = p.reader {
                        let text = r.text();
                        assert!(text.x >= r.body.x);
                        assert!(text.x + text.width <= r.body.x + r.body.width);
                    }
                }
            }
        }
    }

    #[test]
    fn limits_count_han_characters_and_the_hanging_margin() {
        assert_eq!(text_limit(40, true), Some(82));
        assert_eq!(text_limit(40, false), Some(80));
        assert_eq!(text_limit(0, true), None);
    }

    #[rstest]
    #[case::three_panes_list(200, Focus::Articles)]
    #[case::three_panes_reading(200, Focus::Reader)]
    #[case::very_wide(300, Focus::Reader)]
    #[case::two_panes_small_measure(99, Focus::Reader)]
    fn a_wide_reader_centres_text_of_the_measure(#[case] w: u16, #[case] focus: Focus) {
        let limit = if w < THREE_PANES { Some(40) } else { Some(82) };
        let p = panes(size(w, 50), focus, limit);
        let Some(reader) = p.reader else {
            panic!("no reader at {w}");
        };
        let text = reader.text();
        assert_eq!(Some(text.width), limit);
        let left = text.x - reader.body.x;
        let right = reader.body.x + reader.body.width - (text.x + text.width);
        assert!(
            left >= 1 && right >= 1 && left.abs_diff(right) <= 1,
            "{left} | {right}"
        );
        // The list took what it could, up to its widest.
        let unlimited = panes(size(w, 50), focus, None);
        let (was, is) = (articles_width(&unlimited), articles_width(&p));
        let spare = unlimited.reader.map_or(0, |r| r.area.width) - (text.width + 3);
        assert_eq!(is, was.max(ARTICLES_WIDEST.min(was + spare)));
    }

    fn articles_width(p: &Panes) -> u16 {
        p.articles.map_or(0, |a| a.area.width)
    }

    #[test]
    fn at_200_columns_the_list_widens_to_its_widest() {
        let narrow = panes(size(200, 50), Focus::Articles, Some(82));
        let wide = panes(size(200, 50), Focus::Articles, None);
        assert_eq!(
            (articles_width(&wide), articles_width(&narrow)),
            (68, ARTICLES_WIDEST)
        );
    }

    #[test]
    fn measure_zero_is_the_whole_pane() {
        for w in [41, 80, 99, 100, 200] {
            let p = panes(size(w, 30), Focus::Reader, None);
            let Some(reader) = p.reader else {
                panic!("no reader at {w}");
            };
            let text = reader.text();
            assert_eq!(
                (text.x, text.width),
                (reader.body.x + 1, reader.body.width - 2)
            );
        }
    }
}
