//! The real terminal: raw mode, the alternate screen, mouse capture, and
//! their restoration on every way out (quit, error, panic, SIGTERM, SIGHUP).
//!
//! [`restore`] is safe to call any number of times, from any thread. The
//! panic hook restores first and then runs the previous hook, so the panic
//! message lands on the normal screen. A panic on a reader worker, or on
//! any other thread while the reader's thread owns the terminal, is no
//! reason to leave the reader: the hook neither restores nor prints, and
//! hands the panic to [`super::worker`], which reports it to the loop. On
//! SIGTERM or SIGHUP the loop ends as on quit ([`ended`]), or, if it
//! cannot, a signal thread restores and exits; drawing holds [`lock`] so
//! that it never interleaves with that.

use std::io::{self, Stdout, stdout};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::thread::{self, ThreadId};
use std::time::Duration;

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use super::worker;

pub type Tui = Terminal<CrosstermBackend<Stdout>>;

/// The terminal is in raw mode on the alternate screen.
static ACTIVE: AtomicBool = AtomicBool::new(false);
/// Serialises drawing and restoring.
static LOCK: Mutex<()> = Mutex::new(());
/// The thread that entered raw mode: the reader's loop.
static OWNER: OnceLock<ThreadId> = OnceLock::new();

/// Holds off restoration (from a signal) while a frame is drawn.
pub fn lock() -> MutexGuard<'static, ()> {
    LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Enters raw mode and the alternate screen; captures the mouse if asked.
pub fn init(mouse: bool) -> io::Result<Tui> {
    install_panic_hook();
    stdin_is_terminal();
    enable_raw_mode()?;
    let _ = OWNER.set(thread::current().id());
    ACTIVE.store(true, Ordering::SeqCst);
    let entered = execute!(stdout(), EnterAlternateScreen, EnableBracketedPaste).and_then(|()| {
        if mouse {
            execute!(stdout(), EnableMouseCapture)
        } else {
            Ok(())
        }
    });
    if let Err(e) = entered {
        restore();
        return Err(e);
    }
    match Terminal::new(CrosstermBackend::new(stdout())) {
        Ok(mut terminal) => {
            let _ = terminal.hide_cursor();
            Ok(terminal)
        }
        Err(e) => {
            restore();
            Err(e)
        }
    }
}

/// Leaves the alternate screen and raw mode; does nothing if not in them.
pub fn restore() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        let _ = execute!(
            stdout(),
            DisableMouseCapture,
            DisableBracketedPaste,
            LeaveAlternateScreen,
            crossterm::cursor::Show
        );
        let _ = disable_raw_mode();
    }
}

/// Installs, once, the panic hook that restores the terminal and then runs
/// the previous hook, except for panics behind the reader (see the module
/// doc). [`init`] calls it; it touches no terminal itself.
pub fn install_panic_hook() {
    static INSTALLED: AtomicBool = AtomicBool::new(false);
    if INSTALLED.swap(true, Ordering::SeqCst) {
        return;
    }
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if worker::is_worker() || behind_the_reader() {
            worker::keep(info);
            return;
        }
        restore();
        previous(info);
    }));
}

/// The terminal is the reader's, and this is another thread.
fn behind_the_reader() -> bool {
    ACTIVE.load(Ordering::SeqCst) && OWNER.get().is_some_and(|o| *o != thread::current().id())
}

/// The signal that asked the reader to end; 0 while none has.
static SIGNALLED: AtomicI32 = AtomicI32::new(0);

/// How long the reader's loop has, after SIGTERM or SIGHUP, to end as on
/// quit (saving where the reader was) before the signal thread restores
/// the terminal and exits without it.
const END_WITHIN: Duration = Duration::from_secs(2);

/// The signal (SIGTERM, SIGHUP) that asked the reader to end, if one did,
/// or SIGHUP if the terminal hung up (a window closed, a connection lost:
/// a reader started by another program may get no signal of its own):
/// the loop ends as on quit, and the process exits with 128 + its number.
pub fn ended() -> Option<i32> {
    if SIGNALLED.load(Ordering::SeqCst) == 0 && hung_up() {
        let _ = SIGNALLED.compare_exchange(0, libc::SIGHUP, Ordering::SeqCst, Ordering::SeqCst);
    }
    match SIGNALLED.load(Ordering::SeqCst) {
        0 => None,
        signal => Some(signal),
    }
}

/// Whether standard input is the terminal the reader entered raw mode on
/// (a terminal that has hung up is no longer one to `isatty`).
pub fn stdin_is_terminal() -> bool {
    *STDIN_TERMINAL.get_or_init(|| {
        // SAFETY: isatty only looks at the descriptor.
        unsafe { libc::isatty(libc::STDIN_FILENO) == 1 }
    })
}

static STDIN_TERMINAL: OnceLock<bool> = OnceLock::new();

/// Whether standard input is the reader's terminal and has hung up.
fn hung_up() -> bool {
    let mut fd = libc::pollfd {
        fd: libc::STDIN_FILENO,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: poll is given one valid pollfd and does not wait.
    stdin_is_terminal()
        && unsafe { libc::poll(&mut fd, 1, 0) } > 0
        && fd.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0
}

/// On SIGTERM and SIGHUP, has the reader's loop end as on quit, so that
/// the open article and its place are saved (read marks are saved as they
/// change); the loop may be waiting for the terminal, and a SIGWINCH
/// wakes that wait (the inbox's pipe, crossterm). If the loop has not
/// ended the process within [`END_WITHIN`], restores the terminal and
/// exits.
pub fn watch_signals() -> io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP])?;
    std::thread::Builder::new()
        .name("signals".to_owned())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                SIGNALLED.store(signal, Ordering::SeqCst);
                // SAFETY: a signal sent to this process, which ignores it
                // or lets crossterm's handler note it.
                unsafe { libc::kill(libc::getpid(), libc::SIGWINCH) };
                thread::sleep(END_WITHIN);
                let _guard = lock();
                restore();
                std::process::exit(128 + signal);
            }
        })?;
    Ok(())
}
