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

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::time::{Duration, Instant};

/// The longest the probe waits for the terminal's answer.
pub const DEADLINE: Duration = Duration::from_millis(50);

/// What the probe prints: home, the ambiguous `“`, the position query.
const QUERY: &[u8] = "\x1b[H\u{201c}\x1b[6n".as_bytes();

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
    let start = Instant::now();
    tty.write_all(QUERY).and_then(|()| tty.flush()).ok()?;
    let mut reply = Vec::new();
    let answer = loop {
        if let Some(column) = reported_column(&reply) {
            break width_from_column(column);
        }
        let left = deadline.saturating_sub(start.elapsed());
        if left.is_zero() || !readable(tty, left) {
            break None;
        }
        let mut buf = [0u8; 64];
        match tty.read(&mut buf) {
            Ok(0) | Err(_) => break None,
            Ok(n) => reply.extend_from_slice(&buf[..n]),
        }
    };
    let _ = tty.write_all(CLEAR).and_then(|()| tty.flush());
    answer
}

/// Whether `tty` has something to read within `wait`.
fn readable(tty: &File, wait: Duration) -> bool {
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
    fn the_column_after_the_mark_is_its_width() {
        assert_eq!(width_from_column(2), Some(1));
        assert_eq!(width_from_column(3), Some(2));
        assert_eq!(width_from_column(1), None);
        assert_eq!(width_from_column(9), None);
    }
}
