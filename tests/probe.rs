//! The ambiguous-width probe against a terminal that answers: a pseudo
//! terminal whose other end reads the query and answers column 2 (one
//! column wide), column 3 (two), or nothing at all.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::FromRawFd;
use std::time::{Duration, Instant};

use kanbao::ui::probe::{DEADLINE, ambiguous_width};

/// A pseudo terminal in raw mode: (the program's end, the terminal's end).
fn pty() -> (File, File) {
    let (mut master, mut slave) = (0, 0);
    // SAFETY: two out-parameters for the descriptors; no name, settings or
    // size asked for.
    let made = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        )
    };
    assert_eq!(made, 0, "openpty: {}", std::io::Error::last_os_error());
    // SAFETY: a zeroed termios is filled by tcgetattr before use.
    let mut modes: libc::termios = unsafe { std::mem::zeroed() };
    // SAFETY: slave is the open descriptor openpty gave.
    unsafe {
        assert_eq!(libc::tcgetattr(slave, &mut modes), 0);
        libc::cfmakeraw(&mut modes);
        assert_eq!(libc::tcsetattr(slave, libc::TCSANOW, &modes), 0);
    }
    // SAFETY: each descriptor is owned by one File from here on.
    unsafe { (File::from_raw_fd(slave), File::from_raw_fd(master)) }
}

/// Runs the probe with the terminal answering `answer` (after reading the
/// query); returns the probe's result, its time and what was printed.
fn probe_with(answer: Option<&'static [u8]>) -> (Option<u8>, Duration, Vec<u8>) {
    let (mut program, mut terminal) = pty();
    let reader = std::thread::spawn(move || {
        let mut seen = Vec::new();
        let mut buf = [0u8; 256];
        let until = Instant::now() + Duration::from_secs(2);
        while Instant::now() < until {
            let n = terminal.read(&mut buf).unwrap_or(0);
            if n == 0 {
                break;
            }
            seen.extend_from_slice(&buf[..n]);
            if seen.ends_with(b"\x1b[6n")
                && let Some(answer) = answer
            {
                let _ = terminal.write_all(answer);
            }
            if seen.ends_with(b"\x1b[2K") {
                break;
            }
        }
        seen
    });
    let start = Instant::now();
    let width = ambiguous_width(&mut program, DEADLINE);
    let took = start.elapsed();
    let printed = reader.join().unwrap_or_default();
    (width, took, printed)
}

#[test]
fn a_terminal_that_draws_them_one_column_wide() {
    let (width, _, printed) = probe_with(Some(b"\x1b[1;2R"));
    assert_eq!(width, Some(1));
    assert!(
        printed.starts_with("\x1b[H“\x1b[6n".as_bytes()),
        "{printed:?}"
    );
    assert!(
        printed.ends_with(b"\x1b[H\x1b[2K"),
        "the corner is cleared: {printed:?}"
    );
}

#[test]
fn a_terminal_that_draws_them_two_columns_wide() {
    let (width, _, _) = probe_with(Some(b"\x1b[1;3R"));
    assert_eq!(width, Some(2));
}

#[test]
fn a_terminal_that_does_not_answer_is_not_waited_for() {
    let (width, took, printed) = probe_with(None);
    assert_eq!(width, None);
    // The deadline is 50 ms; a loaded machine may take a little longer to
    // come back, never the two seconds crossterm's own query waits.
    assert!(took < Duration::from_millis(500), "waited {took:?}");
    assert!(printed.ends_with(b"\x1b[H\x1b[2K"), "{printed:?}");
}
