//! Overlays: the key bindings (from the keymap itself) and the warnings
//! from loading the archive.

use ratatui::buffer::{Buffer, CellDiffOption};
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Borders, Clear, Widget};

use unicode_width::UnicodeWidthStr;

use crate::typeset::truncate;

use super::super::app::{App, Overlay, Shown};
use super::style::Styles;
use super::text::put;

pub fn draw(buf: &mut Buffer, area: Rect, app: &App, shown: Shown, styles: &Styles) {
    let which = shown.which;
    let amb = app.prefs.text.ambiguous_width.columns();
    let Some((rect, content)) = app.overlay_view(which) else {
        return;
    };
    // A double-width character just left of the box covers its left
    // border: blank it, or the border is not drawn.
    if rect.x > area.x {
        for y in rect.y..rect.y + rect.height {
            let cell = &mut buf[(rect.x - 1, y)];
            if cell.symbol().width() > 1 || cell.diff_option != CellDiffOption::None {
                cell.reset();
            }
        }
    }
    Clear.render(rect, buf);
    let title = match which {
        Overlay::Help => " 按键 Keys (? or Esc to close) ",
        Overlay::Warnings => " 警告 Warnings (Esc to close) ",
    };
    let title = app.prefs.text.script.convert(title);
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(styles.border)
        .title(truncate(
            &title,
            usize::from(rect.width.saturating_sub(2)),
            amb,
        ));
    let inner = block.inner(rect);
    let visible = usize::from(inner.height);
    let top = shown.top;
    let below = content.len().saturating_sub(top + visible);
    let above = top.min(content.len());
    // What is out of view, either way.
    let more = match (above, below) {
        (0, 0) => None,
        (0, below) => Some(format!(" ↓ {below} more (j) ")),
        (above, 0) => Some(format!(" ↑ {above} more (k) ")),
        (above, below) => Some(format!(" ↑ {above} (k) · ↓ {below} more (j) ")),
    };
    let block = match more {
        Some(more) => block.title_bottom(more),
        None => block,
    };
    block.render(rect, buf);
    for (row, line) in content.iter().skip(top).take(visible).enumerate() {
        put(buf, inner, row as u16, &[(line, styles.body)], amb);
    }
}
