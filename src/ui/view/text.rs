//! Writing text into the frame cell by cell, measured as the typesetter
//! measures it.
//!
//! ratatui measures ambiguous-width characters (`“ ” … ⑤`) as one column.
//! A terminal set to draw them two columns wide would then shift the rest
//! of the line; so each grapheme is placed here at the width kanbao's
//! `[text] ambiguous_width` says, with the cell's width forced to match, so
//! that the cell it covers is skipped when the frame is sent to the
//! terminal.

use std::num::NonZeroU16;

use ratatui::buffer::{Buffer, CellDiffOption};
use ratatui::layout::Rect;
use ratatui::style::Style;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use crate::typeset::grapheme_width;

/// Writes styled pieces of text on one row of `area`, from its left edge,
/// cut at its right edge (never inside a double-width character). Returns
/// the columns written.
pub fn put(buf: &mut Buffer, area: Rect, row: u16, pieces: &[(&str, Style)], ambiguous: u8) -> u16 {
    if row >= area.height || area.width == 0 {
        return 0;
    }
    let y = area.y + row;
    let right = area.x + area.width;
    let mut x = area.x;
    for (text, style) in pieces {
        for g in text.graphemes(true) {
            if g.chars().any(char::is_control) {
                continue;
            }
            let w = grapheme_width(g, ambiguous) as u16;
            if w == 0 {
                continue;
            }
            if x + w > right {
                return x - area.x;
            }
            let cell = &mut buf[(x, y)];
            cell.set_symbol(g).set_style(*style);
            // ratatui measures ambiguous characters as one column; when the
            // terminal draws them two wide, say so, so that the next cell is
            // addressed where the terminal really is.
            let ratatui_w = g.width().max(1) as u16;
            if ratatui_w != w
                && let Some(forced) = NonZeroU16::new(w)
            {
                cell.set_diff_option(CellDiffOption::ForcedWidth(forced));
            }
            for i in 1..w {
                let covered = &mut buf[(x + i, y)];
                covered.reset();
                covered.set_style(*style);
            }
            x += w;
        }
    }
    x - area.x
}

/// Fills the rest of a row with the style (for selection bars).
pub fn fill(buf: &mut Buffer, area: Rect, row: u16, from: u16, style: Style) {
    if row >= area.height {
        return;
    }
    for x in area.x + from..area.x + area.width {
        buf[(x, area.y + row)].set_style(style);
    }
}
