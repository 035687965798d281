//! Asking the terminal how wide it draws East Asian ambiguous characters
//! (`“ ” … ⑤ —`): one column or two depends on the terminal and its
//! settings, and a wrong guess puts every line with a quotation mark out
//! by a column.
//!
//! The probe prints `“` in the top-left corner and asks where the cursor
//! went (a cursor position report, `ESC [ 6 n`, answered `ESC [ row ; col
//! R`): column 2 means one column wide, column 3 two. It waits at most
//! [`DEADLINE`] in all, reading the terminal directly (crossterm's
//! `cursor::position` waits two seconds and its events never carry the
//! answer); a terminal that does not answer in time is taken to draw them
//! one column wide, and an answer that comes later is dropped by
//! crossterm's own parser. Then the corner is cleared.
//!
//! The graphics queries ask, within the same kind of deadline, whether the
//! terminal draws kitty graphics (a query image, answered `OK`; asked only
//! of terminals that name themselves kitty-like, since an answer after the
//! deadline would arrive as typed text), how large
//! its cells are in pixels (`ESC [ 16 t`), and its device attributes
//! (`ESC [ c`, whose `4` means sixel). [`ask`] sends both probes in one
//! write with the cursor position query last, whose answer ends the wait:
//! a terminal that ignores the graphics queries costs nothing more, and
//! one over a slow link one round trip in all. What the answers mean for
//! the photos is decided in [`super::pictures::choose`].

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::time::{Duration, Instant};

/// The longest the probe waits for the terminal's answer.
pub const DEADLINE: Duration = Duration::from_millis(50);

/// What the probe prints: home, the ambiguous `“`, the position query.
const QUERY: &[u8] = "\x1b[H\u{201c}\x1b[6n".as_bytes();

/// The cursor position query alone, which ends the graphics queries.
const POSITION: &[u8] = b"\x1b[6n";

/// What it prints after: home, and the first row cleared.
const CLEAR: &[u8] = b"\x1b[H\x1b[2K";

/// The column of the last cursor position report in `reply`
/// (`ESC [ row ; col R`), if there is a whole one.
pub fn reported_column(reply: &[u8]) -> Option<u16> {
    let start = reply.windows(2).rposition(|w| w == b"\x1b[")?;
    let rest = &reply[start + 2..];
    let end = rest.iter().position(|&b| b == b'R')?;
    let text = std::str::from_utf8(&rest[..end]).ok()?;
    let (row, col) = text.split_once(';')?;
    row.parse::<u16>().ok()?;
    col.parse().ok()
}

/// The width of `“` printed in column 1, given where the cursor stood
/// after it: 1 or 2, or `None` for an answer that says neither.
pub fn width_from_column(column: u16) -> Option<u8> {
    match column {
        2 => Some(1),
        3 => Some(2),
        _ => None,
    }
}

/// Prints the probe on `tty` (in raw mode, so that the answer is not held
/// for a line end) and reads the answer for at most `deadline`: the width
/// the terminal gives ambiguous characters, or `None` when it did not say.
pub fn ambiguous_width(tty: &mut File, deadline: Duration) -> Option<u8> {
    ask(tty, deadline, true, None).0
}

/// Asks `tty` (in raw mode) the ambiguous width probe when `ambiguous`,
/// and the graphics queries when `graphics` is given (with the kitty one
/// when it is true), all in one write, the cursor position query last:
/// a terminal answers in order, and every terminal answers that query, so
/// its answer ends the wait for all of them, and one that ignores the
/// others (or sits at the far end of a slow link) costs one round trip,
/// not the deadline. Reads for at most `deadline`.
pub fn ask(
    tty: &mut File,
    deadline: Duration,
    ambiguous: bool,
    graphics: Option<bool>,
) -> (Option<u8>, Answers) {
    let start = Instant::now();
    let mut query = Vec::new();
    if let Some(kitty) = graphics {
        if kitty {
            query.extend_from_slice(KITTY_QUERY);
        }
        query.extend_from_slice(GRAPHICS_QUERY);
    }
    query.extend_from_slice(if ambiguous { QUERY } else { POSITION });
    if tty.write_all(&query).and_then(|()| tty.flush()).is_err() {
        return (None, Answers::default());
    }
    let mut reply = Vec::new();
    let column = loop {
        if let Some(column) = reported_column(&reply) {
            break Some(column);
        }
        let left = deadline.saturating_sub(start.elapsed());
        if left.is_zero() || !readable(tty, left) {
            break None;
        }
        let mut buf = [0u8; 256];
        match tty.read(&mut buf) {
            Ok(0) | Err(_) => break None,
            Ok(n) => reply.extend_from_slice(&buf[..n]),
        }
    };
    if ambiguous {
        let _ = tty.write_all(CLEAR).and_then(|()| tty.flush());
    }
    let width = column.filter(|_| ambiguous).and_then(width_from_column);
    let answers = match graphics {
        Some(_) => graphics_answers(&reply),
        None => Answers::default(),
    };
    (width, answers)
}

/// What the terminal answered to the graphics queries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Answers {
    /// It answered the kitty graphics query `OK`.
    pub kitty: bool,
    /// Its device attributes list sixel graphics (`4`).
    pub sixel: bool,
    /// Its cells' size in pixels (width, height), if it said.
    pub cell: Option<(u16, u16)>,
    /// It answered the device attributes query: nothing more will come.
    pub complete: bool,
}

/// The kitty graphics query: a 1×1 image, query only. Sent only to a
/// terminal that names itself as one that may answer it: a late answer
/// (past the deadline) would reach the keys as text.
const KITTY_QUERY: &[u8] = b"\x1b_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\";

/// The cell size in pixels, then the primary device attributes, which
/// every terminal answers, last.
const GRAPHICS_QUERY: &[u8] = b"\x1b[16t\x1b[c";

/// Reads what a terminal answered to the graphics queries (keys typed
/// meanwhile may be mixed in).
pub fn graphics_answers(reply: &[u8]) -> Answers {
    let mut answers = Answers::default();
    let text = String::from_utf8_lossy(reply);
    const KITTY: &str = "\x1b_Gi=31;";
    if let Some(at) = text.find(KITTY) {
        answers.kitty = text[at + KITTY.len()..].starts_with("OK");
    }
    for (at, _) in text.match_indices("\x1b[") {
        let rest = &text[at + 2..];
        let Some(end) = rest.find(|c: char| c.is_ascii_alphabetic()) else {
            continue;
        };
        let (params, kind) = (&rest[..end], &rest[end..=end]);
        match kind {
            "t" => {
                let numbers: Vec<u16> = params.split(';').filter_map(|p| p.parse().ok()).collect();
                if let [6, height, width] = numbers[..]
                    && height > 0
                    && width > 0
                {
                    answers.cell = Some((width, height));
                }
            }
            "c" if params.starts_with('?') => {
                answers.complete = true;
                answers.sixel = params[1..].split(';').any(|p| p == "4");
            }
            _ => {}
        }
    }
    answers
}

/// Whether `tty` has something to read within `wait`.
pub(crate) fn readable(tty: &File, wait: Duration) -> bool {
    let mut fd = libc::pollfd {
        fd: tty.as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    };
    let ms = i32::try_from(wait.as_millis().max(1)).unwrap_or(i32::MAX);
    // SAFETY: one valid pollfd, its count, a timeout.
    let ready = unsafe { libc::poll(&mut fd, 1, ms) };
    ready > 0 && fd.revents & libc::POLLIN != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_gives_its_column() {
        assert_eq!(reported_column(b"\x1b[1;2R"), Some(2));
        assert_eq!(reported_column(b"\x1b[12;3R"), Some(3));
        // Keys typed before the answer, and a second answer: the last.
        assert_eq!(reported_column(b"jj\x1b[1;2Rx\x1b[1;3R"), Some(3));
        assert_eq!(reported_column(b"\x1b[1;2"), None);
        assert_eq!(reported_column(b"\x1b[A"), None);
        assert_eq!(reported_column(b""), None);
    }

    #[test]
    fn graphics_answers_are_read() {
        let kitty = graphics_answers(b"\x1b_Gi=31;OK\x1b\\\x1b[6;20;10t\x1b[?62;22c");
        assert_eq!(
            kitty,
            Answers {
                kitty: true,
                sixel: false,
                cell: Some((10, 20)),
                complete: true
            }
        );
        let sixel = graphics_answers(b"\x1b[6;16;8t\x1b[?63;1;2;4;6;9;15;22c");
        assert!(sixel.sixel && !sixel.kitty && sixel.complete);
        assert_eq!(sixel.cell, Some((8, 16)));
        // A kitty error, and device attributes alone.
        let refused = graphics_answers(b"\x1b_Gi=31;ENOTSUPPORTED:x\x1b\\\x1b[?1;2c");
        assert!(!refused.kitty && !refused.sixel && refused.complete && refused.cell.is_none());
        // Nothing yet: not complete, so the probe keeps reading.
        assert_eq!(graphics_answers(b"j"), Answers::default());
    }

    #[test]
    fn the_column_after_the_mark_is_its_width() {
        assert_eq!(width_from_column(2), Some(1));
        assert_eq!(width_from_column(3), Some(2));
        assert_eq!(width_from_column(1), None);
        assert_eq!(width_from_column(9), None);
    }
}
