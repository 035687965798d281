//! Photos in the reader: how the terminal draws them, what each photo of
//! the open article is (being fetched, shown, or a note), and the rows they
//! take among the reader's lines.
//!
//! [`choose`] decides the protocol from the environment and the
//! terminal's answers at start-up ([`super::probe::ask`]): tmux gets
//! half-blocks (its passthrough is off by default and would need changing
//! the user's tmux); kitty graphics, sixel or iTerm2 only when the terminal
//! said so and told its cell size; half-blocks everywhere else.
//!
//! A photo's rows are part of the reader's lines ([`with_pictures`]), so
//! scrolling and its percentage count them exactly; their number comes
//! from [`crate::photo::fit`] and the photo's size in pixels, which is
//! known before its picture is encoded. The picture itself (a
//! `ratatui-image` protocol, made on a worker by [`encode`]) is drawn by
//! the view only when it was made for the rows it has now.

use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use image::DynamicImage;
use ratatui::layout::Size;
use ratatui_image::sliced::SlicedProtocol;

use crate::config::Images;
use crate::photo::fit;
use crate::typeset::{Line, Role, sanitize, truncate};

use super::probe::Answers;

/// How pictures reach the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// Unicode `▀` with a colour above and below: every colour terminal.
    Halfblocks,
    Kitty,
    Sixel,
    Iterm2,
}

/// The protocol and the size of a cell in pixels, which decides how many
/// cells a picture takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Graphics {
    pub protocol: Protocol,
    pub cell: (u16, u16),
}

/// Half-blocks draw two picture pixels a cell, one above the other: a cell
/// counts as 10 × 20 pixels, the usual shape of a terminal's cell.
pub const HALFBLOCKS: Graphics = Graphics {
    protocol: Protocol::Halfblocks,
    cell: (10, 20),
};

/// What the environment says of the terminal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Terminal {
    /// `TERM`.
    pub term: String,
    /// `TERM_PROGRAM`.
    pub program: String,
    /// `TMUX` is set.
    pub tmux: bool,
    /// `KITTY_WINDOW_ID` is set: kitty itself.
    pub kitty_window: bool,
}

impl Terminal {
    pub fn from_env() -> Terminal {
        let var = |name| std::env::var(name).unwrap_or_default();
        Terminal {
            term: var("TERM"),
            program: var("TERM_PROGRAM"),
            tmux: std::env::var_os("TMUX").is_some_and(|v| !v.is_empty()),
            kitty_window: std::env::var_os("KITTY_WINDOW_ID").is_some_and(|v| !v.is_empty()),
        }
    }

    /// A terminal that may draw kitty graphics, by its own account: only
    /// these are sent the kitty query.
    pub fn may_be_kitty(&self) -> bool {
        self.kitty_window
            || self.term.contains("kitty")
            || self.term.contains("ghostty")
            || ["ghostty", "WezTerm"].contains(&self.program.as_str())
    }

    /// Inside tmux (or screen), whatever the terminal outside draws.
    pub fn multiplexed(&self) -> bool {
        self.tmux
            || self.term.starts_with("tmux")
            || self.term.starts_with("screen")
            || self.program == "tmux"
    }

    /// Whether the terminal is worth asking ([`super::probe::ask`]):
    /// only for `auto`, and never through tmux.
    pub fn worth_asking(&self, setting: Images) -> bool {
        setting == Images::Auto && !self.multiplexed() && self.term != "dumb"
    }
}

/// The way photos are drawn for `setting` on `terminal`, given its
/// `answers` to the graphics queries; `None` for no photos.
pub fn choose(setting: Images, terminal: &Terminal, answers: &Answers) -> Option<Graphics> {
    match setting {
        Images::Off => return None,
        Images::Halfblocks => return Some(HALFBLOCKS),
        Images::Auto => {}
    }
    if terminal.multiplexed() || terminal.term == "dumb" {
        return Some(HALFBLOCKS);
    }
    let Some(cell) = answers.cell else {
        // Without the cell size a picture cannot be placed on the grid.
        return Some(HALFBLOCKS);
    };
    let iterm2 = ["iTerm.app", "WezTerm"].contains(&terminal.program.as_str());
    let protocol = if answers.kitty {
        Protocol::Kitty
    } else if iterm2 {
        Protocol::Iterm2
    } else if answers.sixel {
        Protocol::Sixel
    } else {
        Protocol::Halfblocks
    };
    let cell = if protocol == Protocol::Halfblocks {
        HALFBLOCKS.cell
    } else {
        cell
    };
    Some(Graphics { protocol, cell })
}

/// A picture encoded for the terminal at `size` cells (columns, rows).
#[derive(Clone)]
pub struct Encoded {
    pub size: (u16, u16),
    pub protocol: Arc<SlicedProtocol>,
}

impl std::fmt::Debug for Encoded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Encoded").field("size", &self.size).finish()
    }
}

impl PartialEq for Encoded {
    fn eq(&self, other: &Encoded) -> bool {
        self.size == other.size && Arc::ptr_eq(&self.protocol, &other.protocol)
    }
}

impl Eq for Encoded {}

/// Encodes `image` for `graphics` at `size` cells (columns, rows). CPU
/// work: done on a worker.
pub fn encode(
    image: DynamicImage,
    graphics: Graphics,
    size: (u16, u16),
) -> Result<Encoded, String> {
    let cells = Size::new(size.0, size.1);
    let protocol = match graphics.protocol {
        Protocol::Halfblocks => ratatui_image::protocol::halfblocks::Halfblocks::new(image, cells)
            .map(SlicedProtocol::Halfblocks),
        other => {
            // The picker only carries the cell size and the protocol here;
            // nothing is asked of the terminal.
            #[allow(deprecated)]
            let mut picker = ratatui_image::picker::Picker::from_fontsize(
                ratatui_image::FontSize::new(graphics.cell.0, graphics.cell.1),
            );
            picker.set_protocol_type(match other {
                Protocol::Kitty => ratatui_image::picker::ProtocolType::Kitty,
                Protocol::Sixel => ratatui_image::picker::ProtocolType::Sixel,
                _ => ratatui_image::picker::ProtocolType::Iterm2,
            });
            SlicedProtocol::new_with_resize(&picker, image, cells, ratatui_image::Resize::Fit(None))
        }
    }
    .map_err(|e| format!("cannot encode the picture: {e}"))?;
    Ok(Encoded {
        size,
        protocol: Arc::new(protocol),
    })
}

/// A photo's picture, decoded and encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    /// Its size in pixels, which decides its rows at any width.
    pub pixels: (u32, u32),
    pub encoded: Encoded,
}

/// What a photo of the open article is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Picture {
    /// Being fetched and decoded: `[图 1 载入中…]`.
    Loading,
    Shown(Shown),
    /// Why it cannot be shown, one line.
    Note(String),
}

/// The photos of the article the reader has open.
#[derive(Debug, Clone, Default)]
pub struct Pictures {
    /// The article's id; `None` while no article's photos are wanted.
    pub article: Option<String>,
    /// One per photo of the article; `None` for a photo without an address.
    pub items: Vec<Option<Picture>>,
    /// The box (columns, rows) the worker was last asked to fit them in.
    pub asked: (u16, u16),
    /// Counts requests; a worker whose request is no longer the latest
    /// stops before its next photo.
    pub ticket: Arc<AtomicU64>,
}

impl Pictures {
    /// Some photo is still being fetched, or encoded again for the size
    /// last asked: the loop listens to the workers.
    pub fn waiting(&self, graphics: Option<Graphics>) -> bool {
        self.items.iter().flatten().any(|p| match (p, graphics) {
            (Picture::Loading, _) => true,
            (Picture::Shown(shown), Some(graphics)) => {
                shown.encoded.size != slot(shown, graphics, self.asked)
            }
            _ => false,
        })
    }

    /// Forgets the photos (another article, or none), and stops the worker.
    pub fn clear(&mut self) {
        self.article = None;
        self.items.clear();
        self.ticket
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }
}

/// The box a photo is fitted into in a reader text of `width` × `height`:
/// the width, and half the height.
pub fn picture_box(width: usize, height: usize) -> (u16, u16) {
    let columns = u16::try_from(width).unwrap_or(u16::MAX);
    let rows = u16::try_from((height / 2).max(1)).unwrap_or(u16::MAX);
    (columns, rows)
}

/// The cells photo `shown` takes in `area` (columns, rows).
pub fn slot(shown: &Shown, graphics: Graphics, area: (u16, u16)) -> (u16, u16) {
    fit(shown.pixels, graphics.cell, area.0, area.1)
}

/// `lines` with the photos' rows before their captions: a picture's rows,
/// or one line for a photo being fetched or not shown. Rows of an earlier
/// call are replaced. Photo rows belong to their caption's block, so a
/// place kept by block stays put.
pub fn with_pictures(
    lines: Vec<Line>,
    pictures: &Pictures,
    graphics: Option<Graphics>,
    area: (u16, u16),
    ambiguous: u8,
) -> Vec<Line> {
    let mut lines: Vec<Line> = lines
        .into_iter()
        .filter(|l| !matches!(l.role, Role::Picture { .. } | Role::PictureNote { .. }))
        .collect();
    let Some(graphics) = graphics.filter(|_| pictures.article.is_some()) else {
        return lines;
    };
    if pictures.items.iter().all(Option::is_none) {
        return lines;
    }
    let mut out = Vec::with_capacity(lines.len() + 16);
    let mut photo = 0;
    let mut last_caption = None;
    for line in lines.drain(..) {
        if line.role == Role::Caption && last_caption != Some(line.block) {
            last_caption = Some(line.block);
            let block = line.block;
            let note = |text: String| Line {
                role: Role::PictureNote { photo },
                // A reason may quote the address as stored.
                text: truncate(&sanitize(&text), usize::from(area.0), ambiguous),
                block,
            };
            match pictures.items.get(photo).cloned().flatten() {
                Some(Picture::Loading) => out.push(note(format!("[图 {} 载入中…]", photo + 1))),
                Some(Picture::Note(why)) => {
                    out.push(note(format!("[图 {} 未能显示：{why}]", photo + 1)));
                }
                Some(Picture::Shown(shown)) => {
                    let (_, rows) = slot(&shown, graphics, area);
                    for row in 0..rows {
                        out.push(Line {
                            role: Role::Picture { photo, row },
                            text: String::new(),
                            block,
                        });
                    }
                }
                None => {}
            }
            photo += 1;
        }
        out.push(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn terminal(term: &str, program: &str, tmux: bool) -> Terminal {
        Terminal {
            term: term.to_owned(),
            program: program.to_owned(),
            tmux,
            kitty_window: false,
        }
    }

    const NOTHING: Answers = Answers {
        kitty: false,
        sixel: false,
        cell: None,
        complete: false,
    };
    const KITTY: Answers = Answers {
        kitty: true,
        sixel: false,
        cell: Some((9, 18)),
        complete: true,
    };
    const SIXEL: Answers = Answers {
        kitty: false,
        sixel: true,
        cell: Some((8, 16)),
        complete: true,
    };
    const PLAIN: Answers = Answers {
        kitty: false,
        sixel: false,
        cell: Some((8, 16)),
        complete: true,
    };

    fn graphics(protocol: Protocol, cell: (u16, u16)) -> Option<Graphics> {
        Some(Graphics { protocol, cell })
    }

    #[rstest]
    #[case::kitty_says_ok("xterm-kitty", "", false, KITTY, graphics(Protocol::Kitty, (9, 18)))]
    #[case::sixel_in_device_attributes("xterm-256color", "", false, SIXEL, graphics(Protocol::Sixel, (8, 16)))]
    #[case::iterm2_by_its_name("xterm-256color", "iTerm.app", false, PLAIN, graphics(Protocol::Iterm2, (8, 16)))]
    #[case::wezterm_by_its_name("xterm-256color", "WezTerm", false, SIXEL, graphics(Protocol::Iterm2, (8, 16)))]
    #[case::no_graphics_answered("xterm-256color", "", false, PLAIN, Some(HALFBLOCKS))]
    #[case::no_answer_at_all("xterm-kitty", "iTerm.app", false, NOTHING, Some(HALFBLOCKS))]
    #[case::tmux_whatever_it_says("tmux-256color", "", true, KITTY, Some(HALFBLOCKS))]
    #[case::tmux_by_its_term("screen-256color", "", false, SIXEL, Some(HALFBLOCKS))]
    #[case::tmux_by_its_program("xterm-256color", "tmux", false, KITTY, Some(HALFBLOCKS))]
    #[case::dumb_terminal("dumb", "", false, KITTY, Some(HALFBLOCKS))]
    fn auto_chooses_from_the_terminal(
        #[case] term: &str,
        #[case] program: &str,
        #[case] tmux: bool,
        #[case] answers: Answers,
        #[case] expected: Option<Graphics>,
    ) {
        assert_eq!(
            choose(Images::Auto, &terminal(term, program, tmux), &answers),
            expected
        );
    }

    #[rstest]
    #[case::halfblocks_even_in_kitty(Images::Halfblocks, Some(HALFBLOCKS))]
    #[case::off_is_none(Images::Off, None)]
    fn the_setting_overrides_the_answers(
        #[case] setting: Images,
        #[case] expected: Option<Graphics>,
    ) {
        assert_eq!(
            choose(setting, &terminal("xterm-kitty", "", false), &KITTY),
            expected
        );
    }

    #[rstest]
    #[case::kitty_by_its_term("xterm-kitty", "", true)]
    #[case::ghostty_by_its_program("xterm-256color", "ghostty", true)]
    #[case::wezterm_by_its_program("xterm-256color", "WezTerm", true)]
    #[case::plain_xterm("xterm-256color", "", false)]
    #[case::vscode("xterm-256color", "vscode", false)]
    fn only_kitty_like_terminals_get_the_kitty_query(
        #[case] term: &str,
        #[case] program: &str,
        #[case] asked: bool,
    ) {
        assert_eq!(terminal(term, program, false).may_be_kitty(), asked);
    }

    #[rstest]
    #[case::auto_outside_tmux(Images::Auto, false, true)]
    #[case::auto_in_tmux(Images::Auto, true, false)]
    #[case::halfblocks(Images::Halfblocks, false, false)]
    #[case::off(Images::Off, false, false)]
    fn the_terminal_is_asked_only_when_it_matters(
        #[case] setting: Images,
        #[case] tmux: bool,
        #[case] asked: bool,
    ) {
        assert_eq!(terminal("xterm", "", tmux).worth_asking(setting), asked);
    }

    fn line(role: Role, text: &str, block: usize) -> Line {
        Line {
            role,
            text: text.to_owned(),
            block,
        }
    }

    #[test]
    fn photo_rows_go_above_their_captions_and_are_replaced() {
        let lines = vec![
            line(Role::Body, "正文", 0),
            line(Role::CaptionHeading, "图片说明", 1),
            line(Role::Caption, "图1 甲", 2),
            line(Role::Caption, "甲续", 2),
            line(Role::Caption, "图2 乙", 3),
        ];
        let encoded = encode(DynamicImage::new_rgb8(320, 240), HALFBLOCKS, (27, 10));
        let Ok(encoded) = encoded else {
            panic!("{encoded:?}");
        };
        let mut pictures = Pictures {
            article: Some("a".to_owned()),
            items: vec![
                Some(Picture::Shown(Shown {
                    pixels: (320, 240),
                    encoded,
                })),
                Some(Picture::Loading),
            ],
            ..Pictures::default()
        };
        let laid = with_pictures(lines.clone(), &pictures, Some(HALFBLOCKS), (40, 10), 1);
        let roles: Vec<Role> = laid.iter().map(|l| l.role).collect();
        assert_eq!(laid.len(), lines.len() + 10 + 1);
        assert_eq!(roles[2], Role::Picture { photo: 0, row: 0 });
        assert_eq!(roles[11], Role::Picture { photo: 0, row: 9 });
        assert_eq!(laid[12].text, "图1 甲");
        assert_eq!(laid[14].text, "[图 2 载入中…]");
        assert_eq!(laid[14].block, 3);
        // Again with a note instead: the old rows go.
        pictures.items[1] = Some(Picture::Note(
            "HTTP 404 Not Found; check the address".to_owned(),
        ));
        let again = with_pictures(laid, &pictures, Some(HALFBLOCKS), (30, 10), 1);
        assert_eq!(again.len(), lines.len() + 10 + 1);
        assert!(
            again[14].text.starts_with("[图 2 未能显示：HTTP 404"),
            "{:?}",
            again[14]
        );
        assert!(crate::typeset::str_width(&again[14].text, 1) <= 30);
        // A reason quoting a stored address carries no escape to the screen.
        pictures.items[1] = Some(Picture::Note(
            "invalid url \"\u{1b}]0;pwned\u{7}x\"".to_owned(),
        ));
        let quoted = with_pictures(again.clone(), &pictures, Some(HALFBLOCKS), (60, 10), 1);
        assert!(!quoted[14].text.contains('\u{1b}'), "{:?}", quoted[14]);
        // No photos wanted (a preview, or images off): the lines as laid out.
        pictures.article = None;
        assert_eq!(
            with_pictures(again.clone(), &pictures, Some(HALFBLOCKS), (40, 10), 1),
            lines
        );
        pictures.article = Some("a".to_owned());
        assert_eq!(with_pictures(again, &pictures, None, (40, 10), 1), lines);
    }
}
