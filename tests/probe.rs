//! The ambiguous-width probe against a terminal that answers: a pseudo
//! terminal whose other end reads the query and answers column 2 (one
//! column wide), column 3 (two), or nothing at all.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::FromRawFd;
use std::time::{Duration, Instant};

use kanbao::ui::probe::{Answers, DEADLINE, ambiguous_width, ask};

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

/// The whole reader on a pseudo terminal (80×24, its controlling
/// terminal) that answers the cursor position query but never the
/// graphics queries, as some terminals and emulators do: the graphics
/// queries go out in the same write as the ambiguous width probe, before
/// it, so that its answer ends the wait for all of them and the first
/// frame follows; `q` pressed on that frame quits (nothing typed is
/// taken for an answer).
#[test]
fn the_first_frame_does_not_wait_for_the_graphics_answers() {
    use std::os::fd::AsRawFd;
    use std::os::unix::process::CommandExt;
    use std::process::{Command, Stdio};

    let (program, mut terminal) = pty();
    let size = libc::winsize {
        ws_row: 24,
        ws_col: 80,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: a valid descriptor and a winsize to copy from.
    assert_eq!(
        unsafe { libc::ioctl(program.as_raw_fd(), libc::TIOCSWINSZ, &size) },
        0
    );
    let home = tempfile::tempdir().expect("temporary folder");
    let config = concat!(env!("CARGO_MANIFEST_DIR"), "/config.toml");
    let mut command = Command::new(env!("CARGO_BIN_EXE_kanbao"));
    command
        .args(["--config", config])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("TERM", "xterm-256color")
        .env("LANG", "C.UTF-8")
        .env("HOME", home.path())
        .env("XDG_STATE_HOME", home.path().join("state"))
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_CACHE_HOME", home.path().join("cache"))
        .stdin(Stdio::from(program.try_clone().expect("dup")))
        .stdout(Stdio::from(program.try_clone().expect("dup")))
        .stderr(Stdio::from(program));
    // SAFETY: setsid and ioctl are async-signal-safe; the pty becomes the
    // child's controlling terminal, which it opens as /dev/tty.
    unsafe {
        command.pre_exec(|| {
            if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY, 0) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = command.spawn().expect("kanbao starts");
    drop(command);

    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    let until = Instant::now() + Duration::from_secs(20);
    let mut answered = false;
    let mut quit = false;
    while Instant::now() < until {
        if !readable(&terminal, Duration::from_millis(100)) {
            if child.try_wait().ok().flatten().is_some() {
                break;
            }
            continue;
        }
        let n = terminal.read(&mut buf).unwrap_or(0);
        if n == 0 {
            break;
        }
        seen.extend_from_slice(&buf[..n]);
        if !answered && find(&seen, b"\x1b[6n").is_some() {
            terminal.write_all(b"\x1b[1;2R").expect("answer");
            answered = true;
        }
        if !quit && find(&seen, "版".as_bytes()).is_some() {
            terminal.write_all(b"q").expect("q");
            quit = true;
        }
        if quit && find(&seen, b"\x1b[?1049l").is_some() {
            break;
        }
    }
    // Leaving the alternate screen comes a moment before the exit.
    let exiting = Instant::now() + Duration::from_secs(10);
    while child.try_wait().ok().flatten().is_none() && Instant::now() < exiting {
        std::thread::sleep(Duration::from_millis(10));
    }
    if child.try_wait().ok().flatten().is_none() {
        let _ = child.kill();
    }
    let status = child.wait().expect("kanbao exits");
    let frame = find(&seen, "版".as_bytes());
    let query = find(&seen, "\x1b[16t\x1b[c\x1b[H“\x1b[6n".as_bytes());
    let shown = String::from_utf8_lossy(&seen);
    assert!(frame.is_some(), "no first frame: {shown:?}");
    assert!(query.is_some(), "not asked in one write: {shown:?}");
    assert!(query < frame, "asked after the first frame: {shown:?}");
    assert!(status.success(), "{status:?}: {shown:?}");
}

/// Whether `file` has something to read within `wait`.
fn readable(file: &File, wait: Duration) -> bool {
    use std::os::fd::AsRawFd;
    let mut fd = libc::pollfd {
        fd: file.as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    };
    let ms = i32::try_from(wait.as_millis()).unwrap_or(i32::MAX);
    // SAFETY: one valid pollfd, its count, a timeout.
    unsafe { libc::poll(&mut fd, 1, ms) > 0 }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Runs [`ask`] (the graphics queries, and the ambiguous width probe when
/// `ambiguous`) against a terminal that answers the cursor position query
/// with `position` and the graphics queries with `graphics`, if given.
fn ask_with(
    ambiguous: bool,
    position: &'static [u8],
    graphics: Option<&'static [u8]>,
    deadline: Duration,
) -> (Option<u8>, Answers, Duration, Vec<u8>) {
    let (mut program, mut terminal) = pty();
    let reader = std::thread::spawn(move || {
        let mut seen = Vec::new();
        let mut buf = [0u8; 256];
        let until = Instant::now() + Duration::from_secs(30);
        while Instant::now() < until {
            if !readable(&terminal, Duration::from_millis(50)) {
                continue;
            }
            let n = terminal.read(&mut buf).unwrap_or(0);
            if n == 0 {
                break;
            }
            seen.extend_from_slice(&buf[..n]);
            if seen.ends_with(b"\x1b[6n") {
                // In order, as terminals answer: the graphics first.
                if let Some(answer) = graphics {
                    let _ = terminal.write_all(answer);
                }
                let _ = terminal.write_all(position);
            }
        }
        seen
    });
    let start = Instant::now();
    let (width, answers) = ask(&mut program, deadline, ambiguous, Some(false));
    let took = start.elapsed();
    drop(program);
    let printed = reader.join().unwrap_or_default();
    (width, answers, took, printed)
}

#[test]
fn the_position_answer_ends_the_wait_for_graphics_never_answered() {
    // A deadline far longer than any machine's delay: the probe returns
    // when the cursor position comes, not at the deadline.
    let long = Duration::from_secs(20);
    let (width, answers, took, printed) = ask_with(true, b"\x1b[1;2R", None, long);
    assert_eq!(width, Some(1));
    assert_eq!(answers, Answers::default());
    assert!(took < Duration::from_secs(10), "waited {took:?}");
    assert!(
        printed.starts_with("\x1b[16t\x1b[c\x1b[H“\x1b[6n".as_bytes()),
        "{printed:?}"
    );
    assert!(printed.ends_with(b"\x1b[H\x1b[2K"), "{printed:?}");
    // The graphics alone: the position query ends them too, and nothing
    // is printed in the corner.
    let (width, _, took, printed) = ask_with(false, b"\x1b[1;1R", None, long);
    assert_eq!(width, None);
    assert!(took < Duration::from_secs(10), "waited {took:?}");
    assert_eq!(printed, b"\x1b[16t\x1b[c\x1b[6n");
}

#[test]
fn graphics_and_width_answered_in_one_round() {
    let (width, answers, _, _) = ask_with(
        true,
        b"\x1b[1;3R",
        Some(b"\x1b[6;20;10t\x1b[?62;4;22c"),
        Duration::from_secs(20),
    );
    assert_eq!(width, Some(2));
    assert_eq!(answers.cell, Some((10, 20)));
    assert!(answers.sixel && answers.complete);
}
