//! Servers the test harness started itself (TT-RSS's `php -S`,
//! coldsweat): stopped by their PID.

#![allow(dead_code, reason = "each test crate uses a subset")]

use std::net::TcpStream;
use std::time::{Duration, Instant};

/// Stops the server `pid` (taken, so it is stopped once) with SIGTERM and
/// waits up to 10 s until nothing answers on 127.0.0.1:`port`.
pub fn stop(pid: &mut Option<i32>, port: u16) {
    let Some(pid) = pid.take() else {
        return;
    };
    // SAFETY: kill(2) with a PID this harness started.
    unsafe {
        libc::kill(pid, libc::SIGTERM);
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(("127.0.0.1", port)).is_ok() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
}
