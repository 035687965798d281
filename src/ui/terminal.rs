//! The real terminal: raw mode, the alternate screen, mouse capture, and
//! their restoration on every way out (quit, error, panic, SIGTERM, SIGHUP).
//!
//! [`restore`] is safe to call any number of times, from any thread. The
//! panic hook restores first and then runs the previous hook, so the panic
//! message lands on the normal screen. A panic on a reader worker, or on
//! any other thread while the reader's thread owns the terminal, is no
//! reason to leave the reader: the hook neither restores nor prints, and
//! hands the panic to [`super::worker`], which reports it to the loop. A
//! signal thread restores and exits; drawing holds [`lock`] so that it
//! never interleaves with that.

use std::io::{self, Stdout, stdout};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::thread::{self, ThreadId};

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

/// Restores the terminal and exits on SIGTERM and SIGHUP. Read marks are
/// saved as they change, so nothing is lost.
pub fn watch_signals() -> io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP])?;
    std::thread::Builder::new()
        .name("signals".to_owned())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                let _guard = lock();
                restore();
                std::process::exit(128 + signal);
            }
        })?;
    Ok(())
}
