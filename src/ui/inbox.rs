//! The workers' answers, and a wake-up when one comes.
//!
//! While a worker's answer is awaited the loop waits for two things at
//! once: a key and the answer. crossterm waits only for the terminal, so
//! the loop used to look at the workers' channel every 50 ms, and an
//! answer that came just after a look (a search's hits confirmed, an
//! article laid out) waited that long to be shown. Here a thread passes
//! each answer on and writes a byte to a pipe, and the loop waits on the
//! pipe and the terminal together: an answer is taken as it comes.

use std::sync::mpsc;
use std::time::Duration;

use super::msg::Msg;

/// The longest wait for one look: a resize (a signal crossterm notes, not
/// input on the terminal) is seen by then.
const LONGEST: Duration = Duration::from_millis(50);

/// The workers' answers as the loop takes them.
pub struct Inbox {
    answers: mpsc::Receiver<Msg>,
    #[cfg(unix)]
    wake: Option<std::fs::File>,
    /// A resize (SIGWINCH) writes to the pipe too.
    #[cfg(unix)]
    resizes: bool,
}

impl Inbox {
    /// The answers sent on the channel of `rx`, passed on with a wake-up
    /// (where a pipe can be had; else looked for every 10 ms). Fails only
    /// when no thread can be started.
    pub fn new(rx: mpsc::Receiver<Msg>) -> std::io::Result<Inbox> {
        #[cfg(unix)]
        if let Some((read, write)) = pipe() {
            let resizes = write
                .try_clone()
                .is_ok_and(|w| signal_hook::low_level::pipe::register(libc::SIGWINCH, w).is_ok());
            let (tx, answers) = mpsc::channel();
            std::thread::Builder::new()
                .name("inbox".to_owned())
                .spawn(move || {
                    use std::io::Write;
                    for msg in rx {
                        if tx.send(msg).is_err() {
                            break;
                        }
                        // Full (the loop has bytes yet to read) is as good.
                        let _ = (&write).write(&[1]);
                    }
                })?;
            return Ok(Inbox {
                answers,
                wake: Some(read),
                resizes,
            });
        }
        Ok(Inbox {
            answers: rx,
            #[cfg(unix)]
            wake: None,
            #[cfg(unix)]
            resizes: false,
        })
    }

    /// An answer that has come, if any.
    pub fn try_recv(&self) -> Option<Msg> {
        self.answers.try_recv().ok()
    }

    /// Waits until an answer may have come or the terminal has input, at
    /// most [`LONGEST`].
    pub fn wait(&self) {
        #[cfg(unix)]
        if let Some(wake) = &self.wake {
            wait_either(wake, Some(LONGEST));
            return;
        }
        let _ = crossterm::event::poll(Duration::from_millis(10));
    }

    /// With nothing awaited: waits, as long as it takes, until the
    /// terminal (standard input) has input or has hung up, the window was
    /// resized, or an answer may have come. `false` when it cannot (no
    /// pipe, or the terminal is not standard input): the caller waits in
    /// crossterm instead. crossterm is not left to wait for a terminal
    /// that may hang up: it would take it for one that always has input,
    /// and never return.
    pub fn wait_idle(&self) -> bool {
        #[cfg(unix)]
        if let Some(wake) = &self.wake
            && self.resizes
            && super::terminal::stdin_is_terminal()
        {
            wait_either(wake, None);
            return true;
        }
        false
    }
}

/// A pipe whose ends close on exec, its read end not blocking.
#[cfg(unix)]
fn pipe() -> Option<(std::fs::File, std::fs::File)> {
    use std::os::fd::FromRawFd;
    let mut fds = [0; 2];
    // SAFETY: `fds` has room for the two descriptors pipe2 writes.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC | libc::O_NONBLOCK) } != 0 {
        return None;
    }
    // SAFETY: both descriptors were just opened and are owned by no one
    // else.
    Some(unsafe {
        (
            std::fs::File::from_raw_fd(fds[0]),
            std::fs::File::from_raw_fd(fds[1]),
        )
    })
}

/// Waits until `wake` or the terminal (standard input, when it is one)
/// has something to read or has hung up, at most `longest` (`None`: as
/// long as it takes); empties `wake`.
#[cfg(unix)]
fn wait_either(wake: &std::fs::File, longest: Option<Duration>) {
    use std::io::Read;
    use std::os::fd::AsRawFd;
    let mut fds = [
        libc::pollfd {
            fd: wake.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        },
        libc::pollfd {
            fd: libc::STDIN_FILENO,
            events: libc::POLLIN,
            revents: 0,
        },
    ];
    let tty = super::terminal::stdin_is_terminal();
    // Not a terminal (crossterm then reads another): a file would always
    // be readable; the terminal's keys are looked for at least this often.
    let (count, longest) = if tty {
        (2, longest)
    } else {
        let most = Duration::from_millis(10);
        (1, Some(longest.map_or(most, |l| l.min(most))))
    };
    let ms = longest.map_or(-1, |l| i32::try_from(l.as_millis()).unwrap_or(i32::MAX));
    // SAFETY: `count` valid pollfds, a timeout.
    let ready = unsafe { libc::poll(fds.as_mut_ptr(), count as libc::nfds_t, ms) };
    if ready > 0 && fds[0].revents != 0 {
        let mut buf = [0u8; 64];
        while matches!((&*wake).read(&mut buf), Ok(n) if n > 0) {}
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::ui::probe::readable;

    #[test]
    fn each_answer_is_passed_on_in_order_with_a_wake_up() {
        let (tx, rx) = mpsc::channel();
        let inbox = Inbox::new(rx).unwrap_or_else(|e| panic!("{e}"));
        let Some(wake) = &inbox.wake else {
            panic!("no pipe");
        };
        for n in 0..3 {
            let sent = Msg::Notice(format!("第{n}条"));
            assert!(tx.send(sent.clone()).is_ok());
            // Only a missing wake-up waits this long.
            assert!(readable(wake, Duration::from_secs(10)), "answer {n}");
            inbox.wait();
            assert!(!readable(wake, Duration::ZERO), "emptied by the wait");
            assert_eq!(inbox.try_recv(), Some(sent));
        }
        assert_eq!(inbox.try_recv(), None);
        // Once every sender is gone the thread ends; nothing is left.
        drop(tx);
        inbox.wait();
        assert_eq!(inbox.try_recv(), None);
    }
}
