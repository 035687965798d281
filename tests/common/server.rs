//! A small HTTP/1.1 server for tests, on 127.0.0.1 and a free port.
//!
//! Responses are scripted per path and may misbehave on purpose: any status,
//! redirects (loops included), 304 for a matching `If-None-Match` or
//! `If-Modified-Since`, gzip bodies, a head start then a stall, a body cut
//! short of its `Content-Length`, huge bodies streamed without being held in
//! memory, chunked transfer and slow trickles. Every request is recorded
//! (method, path, headers) so that tests can check what the client sent.
//!
//! ```ignore
//! let server = Server::start();
//! server
//!     .route("/feed.xml", Response::ok(FEED).header("Content-Type", "application/rss+xml").etag("\"v1\""))
//!     .route("/old.xml", Response::redirect("/feed.xml"));
//! let url = server.url("/old.xml");
//! // … fetch url …
//! assert_eq!(server.requests()[1].header("if-none-match"), Some("\"v1\""));
//! ```
//!
//! One thread per connection; every response ends with `Connection: close`.
//! Dropping the [`Server`] stops it: the accept loop wakes up, sleeping
//! handlers notice within 10 ms, open sockets are shut down, and all
//! threads are joined, so no test leaves a thread behind.

#![allow(dead_code, reason = "each test crate uses a subset")]

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// How long a handler waits on a silent client before giving up.
const IO_TIMEOUT: Duration = Duration::from_secs(5);
/// Largest write, and the granularity of streamed bodies.
const PIECE: usize = 64 * 1024;
/// What [`Response::filler`] bodies are made of.
static FILLER: [u8; PIECE] = [b'x'; PIECE];

/// A running server; stops when dropped.
pub struct Server {
    addr: SocketAddr,
    shared: Arc<Shared>,
    acceptor: Option<JoinHandle<()>>,
}

struct Shared {
    stop: AtomicBool,
    routes: Mutex<HashMap<String, Response>>,
    requests: Mutex<Vec<Recorded>>,
    body_bytes_sent: AtomicU64,
    connections: Mutex<Vec<(Option<TcpStream>, JoinHandle<()>)>>,
}

/// A request as the server received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// The path without the query.
    pub path: String,
    /// Names as sent, values trimmed, in order.
    pub headers: Vec<(String, String)>,
}

impl Recorded {
    /// The first header called `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

impl Server {
    /// Binds 127.0.0.1 on a free port and starts accepting. Paths without a
    /// route answer 404.
    pub fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let shared = Arc::new(Shared {
            stop: AtomicBool::new(false),
            routes: Mutex::new(HashMap::new()),
            requests: Mutex::new(Vec::new()),
            body_bytes_sent: AtomicU64::new(0),
            connections: Mutex::new(Vec::new()),
        });
        let acceptor = {
            let shared = Arc::clone(&shared);
            thread::spawn(move || accept_loop(&listener, &shared))
        };
        Server {
            addr,
            shared,
            acceptor: Some(acceptor),
        }
    }

    /// Answers `path` (query ignored) with `response` from now on,
    /// replacing any earlier route for it.
    pub fn route(&self, path: &str, response: Response) -> &Server {
        lock(&self.shared.routes).insert(path.to_owned(), response);
        self
    }

    /// Serves the RSS `rss` at /feed.xml and a PNG at /icon.png, the icon
    /// its channel names (a feed server fetches it with the feed).
    pub fn serve_feed(&self, rss: impl AsRef<[u8]>) -> &Server {
        self.route(
            "/feed.xml",
            Response::ok(rss).header("Content-Type", "application/rss+xml"),
        )
        .route(
            "/icon.png",
            Response::ok(b"\x89PNG\r\n\x1a\n").header("Content-Type", "image/png"),
        )
    }

    /// `http://127.0.0.1:<port><path>`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The requests received so far, oldest first.
    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.shared.requests).clone()
    }

    /// Body bytes written to clients so far, over all responses.
    pub fn body_bytes_sent(&self) -> u64 {
        self.shared.body_bytes_sent.load(Ordering::SeqCst)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop, which then sees the flag.
        let _ = TcpStream::connect(self.addr);
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
        let connections = std::mem::take(&mut *lock(&self.shared.connections));
        for (stream, _) in &connections {
            if let Some(stream) = stream {
                let _ = stream.shutdown(Shutdown::Both);
            }
        }
        for (_, handler) in connections {
            let _ = handler.join();
        }
    }
}

/// A port on 127.0.0.1 that nothing listens on (bound, then released).
pub fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().expect("local address").port()
}

/// A scripted response.
#[derive(Debug, Clone)]
pub struct Response {
    status: u16,
    reason: String,
    headers: Vec<(String, String)>,
    body: Body,
    etag: Option<String>,
    last_modified: Option<String>,
    /// Transfer-Encoding: chunked, in chunks of this size.
    chunked: Option<usize>,
    /// Send only this many body bytes, then close.
    truncate_at: Option<u64>,
    /// Wait before sending anything.
    delay: Duration,
    /// After this many body bytes, wait this long.
    stall: Option<(u64, Duration)>,
    /// Send the body in pieces of this size, waiting between them.
    slow: Option<(usize, Duration)>,
}

#[derive(Debug, Clone)]
enum Body {
    Bytes(Arc<[u8]>),
    /// This many `x` bytes, never held in memory.
    Filler(u64),
}

impl Body {
    fn len(&self) -> u64 {
        match self {
            Body::Bytes(bytes) => bytes.len() as u64,
            Body::Filler(len) => *len,
        }
    }

    /// Bytes `from..to`; at most [`PIECE`] long.
    fn slice(&self, from: u64, to: u64) -> &[u8] {
        match self {
            Body::Bytes(bytes) => &bytes[from as usize..to as usize],
            Body::Filler(_) => &FILLER[..(to - from) as usize],
        }
    }
}

impl Response {
    /// `status reason` with an empty body.
    pub fn new(status: u16, reason: &str) -> Response {
        Response {
            status,
            reason: reason.to_owned(),
            headers: Vec::new(),
            body: Body::Bytes(Arc::from(&[][..])),
            etag: None,
            last_modified: None,
            chunked: None,
            truncate_at: None,
            delay: Duration::ZERO,
            stall: None,
            slow: None,
        }
    }

    /// 200 OK with `body`.
    pub fn ok(body: impl AsRef<[u8]>) -> Response {
        Response::new(200, "OK").body(body)
    }

    /// 302 Found to `location` (a path on this server or a full url).
    pub fn redirect(location: &str) -> Response {
        Response::new(302, "Found").header("Location", location)
    }

    /// 200 OK with `len` bytes of `x`, streamed without allocating them.
    pub fn filler(len: u64) -> Response {
        let mut response = Response::new(200, "OK");
        response.body = Body::Filler(len);
        response
    }

    /// 200 OK, `Content-Encoding: gzip`, whose body inflates to `len`
    /// bytes of `x` from about `len / 160` compressed bytes.
    pub fn gzip_bomb(len: u64) -> Response {
        Response::ok(gzip::repeat(b'x', len)).header("Content-Encoding", "gzip")
    }

    pub fn body(mut self, body: impl AsRef<[u8]>) -> Response {
        self.body = Body::Bytes(Arc::from(body.as_ref()));
        self
    }

    pub fn header(mut self, name: &str, value: &str) -> Response {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Sends `ETag: value`, and 304 to a request whose `If-None-Match`
    /// lists it.
    pub fn etag(mut self, value: &str) -> Response {
        self.etag = Some(value.to_owned());
        self.header("ETag", value)
    }

    /// Sends `Last-Modified: value`, and 304 to a request whose
    /// `If-Modified-Since` is exactly it (unless it has `If-None-Match`).
    pub fn last_modified(mut self, value: &str) -> Response {
        self.last_modified = Some(value.to_owned());
        self.header("Last-Modified", value)
    }

    /// Gzips the body (stored blocks, so the size hardly changes; not for
    /// [`Response::filler`] bodies) and sends
    /// `Content-Encoding: gzip`.
    pub fn gzip(mut self) -> Response {
        let Body::Bytes(bytes) = &self.body else {
            panic!("gzip() needs a body given as bytes");
        };
        self.body = Body::Bytes(Arc::from(gzip::stored(bytes)));
        self.header("Content-Encoding", "gzip")
    }

    /// Sends the body with `Transfer-Encoding: chunked`, `size` bytes a
    /// chunk.
    pub fn chunked(mut self, size: usize) -> Response {
        self.chunked = Some(size.clamp(1, PIECE));
        self
    }

    /// Announces the whole body but sends only its first `n` bytes, then
    /// closes the connection.
    pub fn truncate_at(mut self, n: u64) -> Response {
        self.truncate_at = Some(n);
        self
    }

    /// Waits `pause` before sending the status line.
    pub fn delay(mut self, pause: Duration) -> Response {
        self.delay = pause;
        self
    }

    /// Sends the headers and `n` body bytes, then waits `pause` before the
    /// rest.
    pub fn stall_after(mut self, n: u64, pause: Duration) -> Response {
        self.stall = Some((n, pause));
        self
    }

    /// Sends the body `piece` bytes at a time with `pause` between pieces.
    pub fn slow(mut self, piece: usize, pause: Duration) -> Response {
        self.slow = Some((piece.clamp(1, PIECE), pause));
        self
    }

    fn not_modified_for(&self, request: &Recorded) -> bool {
        if let Some(tags) = request.header("If-None-Match") {
            return self.etag.as_deref().is_some_and(|etag| {
                tags.split(',')
                    .map(str::trim)
                    .any(|tag| tag == etag || tag == "*")
            });
        }
        match (request.header("If-Modified-Since"), &self.last_modified) {
            (Some(since), Some(modified)) => since == modified,
            _ => false,
        }
    }

    fn not_modified(&self) -> Response {
        let mut response = Response::new(304, "Not Modified");
        response.headers = self
            .headers
            .iter()
            .filter(|(n, _)| {
                n.eq_ignore_ascii_case("ETag") || n.eq_ignore_ascii_case("Last-Modified")
            })
            .cloned()
            .collect();
        response
    }

    fn has_body(&self) -> bool {
        !matches!(self.status, 100..=199 | 204 | 304)
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>) {
    for stream in listener.incoming() {
        if shared.stop.load(Ordering::SeqCst) {
            break;
        }
        let Ok(stream) = stream else { continue };
        let clone = stream.try_clone().ok();
        let handler = {
            let shared = Arc::clone(shared);
            thread::spawn(move || {
                let _ = serve(stream, &shared);
            })
        };
        let mut connections = lock(&shared.connections);
        connections.retain(|(_, handler)| !handler.is_finished());
        connections.push((clone, handler));
    }
}

/// Answers one request on `stream`, then closes it.
fn serve(mut stream: TcpStream, shared: &Shared) -> io::Result<()> {
    stream.set_read_timeout(Some(IO_TIMEOUT))?;
    stream.set_write_timeout(Some(IO_TIMEOUT))?;
    let Some(request) = read_request(&mut stream)? else {
        return Ok(());
    };
    lock(&shared.requests).push(request.clone());
    let route = lock(&shared.routes).get(&request.path).cloned();
    let response = match route {
        Some(r) if r.not_modified_for(&request) => r.not_modified(),
        Some(r) => r,
        None => Response::new(404, "Not Found").body("no route"),
    };
    write_response(&mut stream, &response, request.method == "HEAD", shared)?;
    stream.flush()?;
    // The clone kept for `Drop` holds the socket open; end it explicitly.
    stream.shutdown(Shutdown::Write)
}

/// Reads a request head; `None` when the client closed without sending one.
fn read_request(stream: &mut TcpStream) -> io::Result<Option<Recorded>> {
    let mut head = Vec::new();
    let mut byte = [0; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte)? == 0 || head.len() > 64 * 1024 {
            return Ok(None);
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head);
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next().unwrap_or_default().split(' ');
    let method = request_line.next().unwrap_or_default().to_owned();
    let target = request_line.next().unwrap_or_default();
    let path = target.split('?').next().unwrap_or_default().to_owned();
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    Ok(Some(Recorded {
        method,
        path,
        headers,
    }))
}

fn write_response(
    stream: &mut TcpStream,
    response: &Response,
    head_only: bool,
    shared: &Shared,
) -> io::Result<()> {
    if !nap(shared, response.delay) {
        return Ok(());
    }
    let mut head = format!("HTTP/1.1 {} {}\r\n", response.status, response.reason);
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if response.has_body() {
        match response.chunked {
            Some(_) => head.push_str("Transfer-Encoding: chunked\r\n"),
            None => head.push_str(&format!("Content-Length: {}\r\n", response.body.len())),
        }
    }
    head.push_str("Connection: close\r\n\r\n");
    stream.write_all(head.as_bytes())?;
    if head_only || !response.has_body() {
        return Ok(());
    }

    let len = response.body.len();
    let end = response.truncate_at.map_or(len, |n| n.min(len));
    let piece = response
        .chunked
        .into_iter()
        .chain(response.slow.map(|(piece, _)| piece))
        .min()
        .unwrap_or(PIECE) as u64;
    let mut stall = response.stall;
    let mut sent = 0;
    while sent < end {
        if let Some((at, pause)) = stall
            && at <= sent
        {
            stall = None;
            if !nap(shared, pause) {
                return Ok(());
            }
        }
        let stop_at = stall.map_or(end, |(at, _)| at.clamp(sent + 1, end));
        let to = (sent + piece).min(stop_at);
        let bytes = response.body.slice(sent, to);
        if response.chunked.is_some() {
            stream.write_all(format!("{:x}\r\n", bytes.len()).as_bytes())?;
            stream.write_all(bytes)?;
            stream.write_all(b"\r\n")?;
        } else {
            stream.write_all(bytes)?;
        }
        shared
            .body_bytes_sent
            .fetch_add(bytes.len() as u64, Ordering::SeqCst);
        sent = to;
        if let Some((_, pause)) = response.slow
            && sent < end
        {
            stream.flush()?;
            if !nap(shared, pause) {
                return Ok(());
            }
        }
    }
    if let Some((at, pause)) = stall
        && at <= sent
        && !nap(shared, pause)
    {
        return Ok(());
    }
    if response.chunked.is_some() && response.truncate_at.is_none() {
        stream.write_all(b"0\r\n\r\n")?;
    }
    Ok(())
}

/// Sleeps for `pause` in small steps; `false` if the server is stopping.
fn nap(shared: &Shared, pause: Duration) -> bool {
    let until = Instant::now() + pause;
    loop {
        if shared.stop.load(Ordering::SeqCst) {
            return false;
        }
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return true;
        }
        thread::sleep(left.min(Duration::from_millis(10)));
    }
}

/// Gzip streams written by hand, so that tests need no compression crate.
pub mod gzip {
    const HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];

    /// `data` in deflate "stored" blocks: valid gzip, no compression.
    pub fn stored(data: &[u8]) -> Vec<u8> {
        let mut out = HEADER.to_vec();
        let mut blocks = data.chunks(0xffff).peekable();
        if blocks.peek().is_none() {
            out.extend_from_slice(&[1, 0, 0, 0xff, 0xff]);
        }
        while let Some(block) = blocks.next() {
            let len = block.len() as u16;
            out.push(u8::from(blocks.peek().is_none()));
            out.extend_from_slice(&len.to_le_bytes());
            out.extend_from_slice(&(!len).to_le_bytes());
            out.extend_from_slice(block);
        }
        trailer(&mut out, crc32(data.iter().copied()), data.len() as u64);
        out
    }

    /// `len` copies of `byte` in one fixed-Huffman block: a literal, then
    /// back-references of 258 bytes at distance 1 (13 bits each).
    pub fn repeat(byte: u8, len: u64) -> Vec<u8> {
        if len == 0 {
            return stored(&[]);
        }
        let mut bits = Bits::default();
        bits.put(1, 1); // last block
        bits.put(1, 2); // fixed Huffman codes
        bits.literal(byte);
        let mut left = len - 1;
        while left >= 258 {
            bits.code(0b1100_0101, 8); // length code 285: 258 bytes
            bits.code(0, 5); // distance code 0: 1 byte back
            left -= 258;
        }
        for _ in 0..left {
            bits.literal(byte);
        }
        bits.code(0, 7); // end of block
        let mut out = HEADER.to_vec();
        out.extend_from_slice(&bits.finish());
        trailer(&mut out, crc32((0..len).map(|_| byte)), len);
        out
    }

    fn trailer(out: &mut Vec<u8>, crc: u32, len: u64) {
        out.extend_from_slice(&crc.to_le_bytes());
        out.extend_from_slice(&(len as u32).to_le_bytes());
    }

    /// Deflate's bit order: values least significant bit first, Huffman
    /// codes most significant bit first.
    #[derive(Default)]
    struct Bits {
        out: Vec<u8>,
        acc: u32,
        count: u32,
    }

    impl Bits {
        fn put(&mut self, value: u32, count: u32) {
            for i in 0..count {
                self.acc |= ((value >> i) & 1) << self.count;
                self.count += 1;
                if self.count == 8 {
                    self.out.push(self.acc as u8);
                    self.acc = 0;
                    self.count = 0;
                }
            }
        }

        fn code(&mut self, code: u32, len: u32) {
            let reversed = code.reverse_bits() >> (32 - len);
            self.put(reversed, len);
        }

        fn literal(&mut self, byte: u8) {
            match byte {
                0..=143 => self.code(0x30 + u32::from(byte), 8),
                _ => self.code(0x190 + u32::from(byte) - 144, 9),
            }
        }

        fn finish(mut self) -> Vec<u8> {
            if self.count > 0 {
                self.out.push(self.acc as u8);
            }
            self.out
        }
    }

    const CRC_TABLE: [u32; 256] = {
        let mut table = [0; 256];
        let mut i = 0;
        while i < 256 {
            let mut c = i as u32;
            let mut k = 0;
            while k < 8 {
                c = if c & 1 == 1 {
                    0xedb8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
                k += 1;
            }
            table[i] = c;
            i += 1;
        }
        table
    };

    /// CRC-32 (IEEE), as gzip's trailer wants it.
    pub fn crc32(bytes: impl Iterator<Item = u8>) -> u32 {
        !bytes.fold(!0u32, |crc, b| {
            CRC_TABLE[((crc ^ u32::from(b)) & 0xff) as usize] ^ (crc >> 8)
        })
    }
}
