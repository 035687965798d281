//! Reader workers that panic: the loop hears of it as a message, and the
//! panic hook keeps the panic off the terminal. Other threads' panics (these
//! tests' own failures among them) still reach the previous hook.

use std::sync::{Mutex, Once, mpsc};
use std::time::Duration;

use kanbao::ui::terminal;
use kanbao::ui::update::Msg;
use kanbao::ui::worker::{self, Worker};

/// Messages of the panics that reached the hook that was there before
/// kanbao's: the one that prints to the terminal.
static PRINTED: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// The default hook with a record in front of it, and kanbao's on top, as
/// the reader has them (without entering raw mode).
fn hooks() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let payload = info.payload();
            let text = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            if let Ok(mut printed) = PRINTED.lock() {
                printed.push(text);
            }
            default(info);
        }));
        terminal::install_panic_hook();
    });
}

fn printed(text: &str) -> bool {
    PRINTED
        .lock()
        .map(|p| p.iter().any(|m| m.contains(text)))
        .unwrap_or(false)
}

const WAIT: Duration = Duration::from_secs(10);

#[test]
fn a_worker_that_panics_sends_where_and_why_and_prints_nothing() {
    hooks();
    let (tx, rx) = mpsc::channel();
    worker::spawn(Worker::Fetch, &tx, || {
        let feeds: Vec<u32> = Vec::new();
        panic!("no feed {} among {}", 3, feeds.len());
    })
    .expect("a thread");
    match rx.recv_timeout(WAIT) {
        Ok(Msg::WorkerFailed { worker, message }) => {
            assert_eq!(worker, Worker::Fetch);
            assert!(
                message.starts_with("panicked at tests/worker.rs:"),
                "{message}"
            );
            assert!(message.ends_with(": no feed 3 among 0"), "{message}");
        }
        other => panic!("expected WorkerFailed, got {other:?}"),
    }
    assert!(
        !printed("no feed 3 among 0"),
        "the panic reached the terminal"
    );

    // The process goes on: another worker runs and reports as usual.
    worker::spawn(Worker::Index, &tx, {
        let tx = tx.clone();
        move || {
            let _ = tx.send(Msg::Notice("indexed".to_owned()));
        }
    })
    .expect("a thread");
    drop(tx);
    assert_eq!(
        rx.recv_timeout(WAIT).ok(),
        Some(Msg::Notice("indexed".to_owned()))
    );
    assert!(
        rx.recv_timeout(WAIT).is_err(),
        "a worker that ends well sends nothing more"
    );
}

#[test]
fn a_worker_panic_is_reported_on_one_line_without_escapes() {
    hooks();
    let (tx, rx) = mpsc::channel();
    let job = Worker::Typeset {
        id: "daily/03".to_owned(),
        width: 60,
    };
    worker::spawn(job.clone(), &tx, || {
        std::panic::panic_any("bad\nline\u{1b}]0;pwned\u{7} here".to_owned())
    })
    .expect("a thread");
    match rx.recv_timeout(WAIT) {
        Ok(Msg::WorkerFailed { worker, message }) => {
            assert_eq!(worker, job);
            assert!(message.ends_with(": bad line here"), "{message:?}");
        }
        other => panic!("expected WorkerFailed, got {other:?}"),
    }
}

#[test]
fn a_panic_on_another_thread_still_reaches_the_previous_hook() {
    hooks();
    let plain = std::thread::Builder::new()
        .name("plain".to_owned())
        .spawn(|| panic!("a plain thread's panic"))
        .expect("a thread");
    assert!(plain.join().is_err());
    assert!(printed("a plain thread's panic"));
}
