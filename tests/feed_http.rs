//! Fetching a feed over HTTP against a local test server: bodies and
//! validators, conditional GETs, status codes, redirects, timeouts, the
//! size cap (gzip bombs included), truncated, gzip and chunked bodies, and
//! the exact one-line message of every failure.

mod common;

use std::time::{Duration, Instant};

use common::server::{Response, Server, closed_port, gzip};
use kanbao::feed::http::{FetchError, Fetched, Request, fetch, split_content_type};
use rstest::rstest;

const FEED: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>看报测试</title>
<item><title>要闻</title><link>https://example.com/1</link></item>
</channel></rss>
"#;

const LAST_MODIFIED: &str = "Wed, 21 Oct 2015 07:28:00 GMT";
const MB: u64 = 1024 * 1024;

/// The body of a successful fetch; panics with the error otherwise.
fn body(request: &Request) -> (Vec<u8>, Fetched) {
    match fetch(request) {
        Ok(fetched @ Fetched::Body { .. }) => {
            let Fetched::Body { bytes, .. } = &fetched else {
                unreachable!()
            };
            (bytes.clone(), fetched)
        }
        other => panic!("expected a body, got {other:?}"),
    }
}

/// The message of a failed fetch; panics if it succeeded.
fn error(request: &Request) -> String {
    match fetch(request) {
        Err(FetchError(message)) => message,
        Ok(fetched) => panic!("expected an error, got {fetched:?}"),
    }
}

fn feed_route() -> Response {
    Response::ok(FEED)
        .header("Content-Type", "application/rss+xml; charset=utf-8")
        .etag("\"v1\"")
        .last_modified(LAST_MODIFIED)
}

#[test]
fn ok_returns_body_type_and_validators() {
    let server = Server::start();
    server.route("/feed.xml", feed_route());
    let url = server.url("/feed.xml");

    let fetched = fetch(&Request::new(&url)).expect("fetch");

    assert_eq!(
        fetched,
        Fetched::Body {
            bytes: FEED.as_bytes().to_vec(),
            charset: Some("utf-8".into()),
            content_type: Some("application/rss+xml".into()),
            etag: Some("\"v1\"".into()),
            last_modified: Some(LAST_MODIFIED.into()),
            final_url: url,
        }
    );
    let sent = &server.requests()[0];
    assert_eq!(sent.method, "GET");
    let agent = sent.header("User-Agent").unwrap_or_default();
    assert!(
        agent.starts_with("kanbao/") && agent.ends_with(" (+terminal news reader)"),
        "{agent}"
    );
    assert_eq!(sent.header("Accept-Encoding"), Some("gzip"));
    assert_eq!(sent.header("If-None-Match"), None);
}

#[test]
fn conditional_get_sends_validators_and_304_is_not_modified() {
    let server = Server::start();
    server.route("/feed.xml", feed_route());
    let mut request = Request::new(server.url("/feed.xml"));
    let (_, first) = body(&request);
    let Fetched::Body {
        etag,
        last_modified,
        ..
    } = first
    else {
        unreachable!()
    };
    request.etag = etag;
    request.last_modified = last_modified;

    assert_eq!(fetch(&request), Ok(Fetched::NotModified));

    let sent = &server.requests()[1];
    assert_eq!(sent.header("If-None-Match"), Some("\"v1\""));
    assert_eq!(sent.header("If-Modified-Since"), Some(LAST_MODIFIED));
}

#[test]
fn last_modified_alone_gets_304() {
    let server = Server::start();
    server.route("/feed.xml", Response::ok(FEED).last_modified(LAST_MODIFIED));
    let mut request = Request::new(server.url("/feed.xml"));
    request.last_modified = Some(LAST_MODIFIED.into());

    assert_eq!(fetch(&request), Ok(Fetched::NotModified));
}

#[test]
fn changed_etag_gets_the_new_body() {
    let server = Server::start();
    server.route("/feed.xml", Response::ok("v2").etag("\"v2\""));
    let mut request = Request::new(server.url("/feed.xml"));
    request.etag = Some("\"v1\"".into());

    let (bytes, _) = body(&request);

    assert_eq!(bytes, b"v2");
}

#[rstest]
#[case::not_found(404, "Not Found", "HTTP 404 Not Found; check the url")]
#[case::gone(410, "Gone", "HTTP 410 Gone; check the url")]
#[case::forbidden(
    403,
    "Forbidden",
    "HTTP 403 Forbidden; check the url or the feed's `headers`"
)]
#[case::too_many(
    429,
    "Too Many Requests",
    "HTTP 429 Too Many Requests; try again later"
)]
#[case::server_error(
    500,
    "Internal Server Error",
    "HTTP 500 Internal Server Error; try again later"
)]
#[case::unavailable(
    503,
    "Service Unavailable",
    "HTTP 503 Service Unavailable; try again later"
)]
#[case::unknown(599, "Odd", "HTTP 599; try again later")]
fn status_errors(#[case] status: u16, #[case] reason: &str, #[case] message: &str) {
    let server = Server::start();
    server.route("/feed.xml", Response::new(status, reason).body("oops"));

    assert_eq!(error(&Request::new(server.url("/feed.xml"))), message);
}

#[test]
fn unrouted_path_is_404() {
    let server = Server::start();

    assert_eq!(
        error(&Request::new(server.url("/nothing.xml"))),
        "HTTP 404 Not Found; check the url"
    );
}

#[test]
fn redirect_is_followed_and_final_url_reported() {
    let server = Server::start();
    server
        .route("/old.xml", Response::redirect("/feed.xml"))
        .route("/feed.xml", feed_route());

    let (bytes, fetched) = body(&Request::new(server.url("/old.xml")));

    assert_eq!(bytes, FEED.as_bytes());
    let Fetched::Body { final_url, .. } = fetched else {
        unreachable!()
    };
    assert_eq!(final_url, server.url("/feed.xml"));
}

#[test]
fn redirects_up_to_the_limit_are_followed() {
    let server = Server::start();
    for hop in 1..=5 {
        server.route(
            &format!("/{hop}"),
            Response::redirect(&format!("/{}", hop + 1)),
        );
    }
    server.route("/6", Response::ok(FEED));

    let (bytes, _) = body(&Request::new(server.url("/1")));

    assert_eq!(bytes, FEED.as_bytes());
    assert_eq!(server.requests().len(), 6);
}

#[test]
fn redirect_loop_is_an_error() {
    let server = Server::start();
    server
        .route("/a", Response::redirect("/b"))
        .route("/b", Response::redirect("/a"));

    assert_eq!(
        error(&Request::new(server.url("/a"))),
        "too many redirects (more than 5); check the url"
    );
    assert_eq!(
        server.requests().len(),
        6,
        "the first request and 5 redirects"
    );
}

#[test]
fn redirect_with_redirects_off_is_an_error() {
    let server = Server::start();
    server.route("/old.xml", Response::redirect("/feed.xml"));
    let mut request = Request::new(server.url("/old.xml"));
    request.max_redirects = 0;

    assert_eq!(
        error(&request),
        "too many redirects (more than 0); check the url"
    );
}

#[rstest]
#[case::before_the_headers(Response::ok(FEED).delay(Duration::from_secs(10)))]
#[case::in_the_body(Response::ok(FEED).stall_after(10, Duration::from_secs(10)))]
fn stalled_server_times_out(#[case] response: Response) {
    let server = Server::start();
    server.route("/feed.xml", response);
    let mut request = Request::new(server.url("/feed.xml"));
    request.timeout = Duration::from_millis(500);

    let start = Instant::now();
    let message = error(&request);

    assert_eq!(
        message,
        "timed out after 500 ms; raise `timeout` in the feed's config or try later"
    );
    // The server would stall for 10 s; the client gives up long before.
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn timeout_in_whole_seconds_reads_as_seconds() {
    let server = Server::start();
    server.route(
        "/feed.xml",
        Response::ok(FEED).stall_after(0, Duration::from_secs(10)),
    );
    let mut request = Request::new(server.url("/feed.xml"));
    request.timeout = Duration::from_secs(1);

    assert_eq!(
        error(&request),
        "timed out after 1 s; raise `timeout` in the feed's config or try later"
    );
}

#[test]
fn body_over_the_cap_is_an_error() {
    let server = Server::start();
    server.route("/big.xml", Response::filler(5 * MB));
    let mut request = Request::new(server.url("/big.xml"));
    request.max_bytes = MB;

    assert_eq!(
        error(&request),
        "body larger than 1 MB; raise `max_size` in the feed's config"
    );
}

#[test]
fn body_exactly_at_the_cap_is_accepted() {
    let server = Server::start();
    server.route("/big.xml", Response::filler(MB));
    let mut request = Request::new(server.url("/big.xml"));
    request.max_bytes = MB;

    let (bytes, _) = body(&request);

    assert_eq!(bytes.len() as u64, MB);
}

#[test]
fn endless_body_is_cut_off_without_reading_it_all() {
    let server = Server::start();
    server.route("/endless.xml", Response::filler(4 * 1024 * MB));
    let mut request = Request::new(server.url("/endless.xml"));
    request.max_bytes = MB;

    assert_eq!(
        error(&request),
        "body larger than 1 MB; raise `max_size` in the feed's config"
    );
    drop(request);
    // What the server got out before the client hung up: the cap plus
    // what socket buffers hold, not 4 GB.
    let sent = server.body_bytes_sent();
    drop(server);
    assert!(sent < 64 * MB, "server sent {sent} bytes");
    if let Some(peak) = peak_memory() {
        assert!(peak < 512 * MB, "peak resident memory {peak} bytes");
    }
}

/// The process's peak resident memory, where /proc tells it.
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

#[test]
fn gzip_body_is_decoded() {
    let server = Server::start();
    server.route(
        "/feed.xml",
        Response::ok(FEED).header("Content-Type", "text/xml").gzip(),
    );

    let (bytes, _) = body(&Request::new(server.url("/feed.xml")));

    assert_eq!(bytes, FEED.as_bytes());
}

#[test]
fn gzip_bomb_is_capped_by_its_decompressed_size() {
    // 4 MB of `x` in about 26 KB: the compressed size is far under the cap.
    let bomb = gzip::repeat(b'x', 4 * MB);
    assert!(
        (bomb.len() as u64) < MB / 32,
        "compressed: {} bytes",
        bomb.len()
    );
    let server = Server::start();
    server.route(
        "/bomb.xml",
        Response::ok(bomb).header("Content-Encoding", "gzip"),
    );
    let mut request = Request::new(server.url("/bomb.xml"));
    request.max_bytes = MB;

    assert_eq!(
        error(&request),
        "body larger than 1 MB; raise `max_size` in the feed's config"
    );
}

#[test]
fn compressed_body_under_the_cap_is_decoded() {
    let server = Server::start();
    server.route("/small-bomb.xml", Response::gzip_bomb(300_000));
    let mut request = Request::new(server.url("/small-bomb.xml"));
    request.max_bytes = MB;

    let (bytes, _) = body(&request);

    assert_eq!(bytes, vec![b'x'; 300_000]);
}

#[test]
fn truncated_body_is_an_error() {
    let server = Server::start();
    server.route("/feed.xml", Response::filler(5678).truncate_at(1234));

    assert_eq!(
        error(&Request::new(server.url("/feed.xml"))),
        "connection closed before the body was complete (got 1234 of 5678 bytes); try again later"
    );
}

#[rstest]
#[case::chunked(Response::filler(5000).chunked(1000).truncate_at(2500))]
#[case::gzip(Response::ok(FEED.repeat(20)).gzip().truncate_at(500))]
fn truncated_body_of_unknown_length_is_an_error(#[case] response: Response) {
    let server = Server::start();
    server.route("/feed.xml", response);

    assert_eq!(
        error(&Request::new(server.url("/feed.xml"))),
        "connection closed before the body was complete; try again later"
    );
}

#[test]
fn chunked_body_is_read_whole() {
    let big = FEED.repeat(1000);
    let server = Server::start();
    server.route("/feed.xml", Response::ok(&big).chunked(1000));

    let (bytes, _) = body(&Request::new(server.url("/feed.xml")));

    assert_eq!(bytes, big.as_bytes());
}

#[test]
fn slow_body_is_read_whole() {
    let server = Server::start();
    server.route(
        "/feed.xml",
        Response::ok(FEED).slow(40, Duration::from_millis(5)),
    );

    let (bytes, _) = body(&Request::new(server.url("/feed.xml")));

    assert_eq!(bytes, FEED.as_bytes());
}

#[test]
fn connection_refused() {
    let port = closed_port();

    assert_eq!(
        error(&Request::new(format!("http://127.0.0.1:{port}/feed.xml"))),
        format!("connection refused by 127.0.0.1:{port}; is the server up?")
    );
}

#[rstest]
#[case::no_scheme(
    "example.com/feed.xml",
    "invalid url \"example.com/feed.xml\": no scheme; it should start with https:// or http://"
)]
#[case::no_host("http:///feed.xml", "invalid url \"http:///feed.xml\": no host")]
#[case::bad_port(
    "http://127.0.0.1:http/",
    "invalid url \"http://127.0.0.1:http/\": port \"http\" is not a number from 0 to 65535"
)]
#[case::big_port(
    "http://127.0.0.1:70000/",
    "invalid url \"http://127.0.0.1:70000/\": port \"70000\" is not a number from 0 to 65535"
)]
#[case::bad_character(
    "http://exa<mple.com/",
    "invalid url \"http://exa<mple.com/\": invalid uri character"
)]
#[case::empty(
    "",
    "invalid url \"\": no scheme; it should start with https:// or http://"
)]
#[case::ftp(
    "ftp://example.com/feed.xml",
    "unsupported scheme \"ftp\"; use http or https"
)]
#[case::file("file:///feed.xml", "unsupported scheme \"file\"; use http or https")]
#[case::mixed_case("HTTPS://", "invalid url \"HTTPS://\": no host")]
fn bad_urls(#[case] url: &str, #[case] message: &str) {
    assert_eq!(error(&Request::new(url)), message);
}

#[test]
fn non_ascii_path_is_percent_encoded() {
    let server = Server::start();
    server.route("/%E6%96%B0%E9%97%BB/rss.xml", Response::ok(FEED));

    let (bytes, _) = body(&Request::new(server.url("/新闻/rss.xml")));

    assert_eq!(bytes, FEED.as_bytes());
}

#[test]
fn config_headers_are_sent_and_replace_the_user_agent() {
    let server = Server::start();
    server.route("/feed.xml", Response::ok(FEED));
    let mut request = Request::new(server.url("/feed.xml"));
    request.headers = vec![
        ("User-Agent".into(), "Mozilla/5.0".into()),
        ("X-Token".into(), "abc".into()),
    ];

    body(&request);

    let sent = &server.requests()[0];
    let agents: Vec<_> = sent
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("User-Agent"))
        .collect();
    assert_eq!(agents.len(), 1, "{agents:?}");
    assert_eq!(sent.header("User-Agent"), Some("Mozilla/5.0"));
    assert_eq!(sent.header("X-Token"), Some("abc"));
}

#[rstest]
#[case::name(
    "Bad Name",
    "v",
    "invalid name in header \"Bad Name\"; fix the feed's `headers` in the config"
)]
#[case::value(
    "X-Token",
    "a\nb",
    "invalid value in header \"X-Token\"; fix the feed's `headers` in the config"
)]
fn bad_config_headers(#[case] name: &str, #[case] value: &str, #[case] message: &str) {
    let mut request = Request::new("http://127.0.0.1:9/feed.xml");
    request.headers = vec![(name.into(), value.into())];

    assert_eq!(error(&request), message);
}

#[test]
fn unknown_content_encoding_is_an_error() {
    let server = Server::start();
    server.route(
        "/feed.xml",
        Response::ok(FEED).header("Content-Encoding", "br"),
    );

    assert_eq!(
        error(&Request::new(server.url("/feed.xml"))),
        "the server sent a body compressed as \"br\", which kanbao cannot decode; \
         check the feed's `headers` (kanbao accepts gzip only)"
    );
}

#[rstest]
#[case::gb2312("text/xml; charset=GB2312", Some("text/xml"), Some("GB2312"))]
#[case::quoted("text/xml; charset=\"gbk\"", Some("text/xml"), Some("gbk"))]
#[case::upper_name(
    "Application/RSS+XML;CHARSET=Big5",
    Some("application/rss+xml"),
    Some("Big5")
)]
#[case::later_param("text/html; q=1; charset=utf-8 ", Some("text/html"), Some("utf-8"))]
#[case::no_charset("application/atom+xml", Some("application/atom+xml"), None)]
#[case::empty_charset("text/xml; charset=", Some("text/xml"), None)]
#[case::empty("", None, None)]
fn content_type_is_split(
    #[case] value: &str,
    #[case] media: Option<&str>,
    #[case] charset: Option<&str>,
) {
    assert_eq!(
        split_content_type(value),
        (media.map(String::from), charset.map(String::from))
    );
}

#[test]
fn charset_comes_from_the_response() {
    let server = Server::start();
    server.route(
        "/feed.xml",
        Response::ok(FEED).header("Content-Type", "text/xml; charset=GB2312"),
    );

    let (_, fetched) = body(&Request::new(server.url("/feed.xml")));

    let Fetched::Body {
        charset,
        content_type,
        ..
    } = fetched
    else {
        unreachable!()
    };
    assert_eq!(charset.as_deref(), Some("GB2312"));
    assert_eq!(content_type.as_deref(), Some("text/xml"));
}

#[test]
fn missing_content_type_is_none() {
    let server = Server::start();
    server.route("/feed.xml", Response::ok(FEED));

    let (_, fetched) = body(&Request::new(server.url("/feed.xml")));

    let Fetched::Body {
        charset,
        content_type,
        etag,
        last_modified,
        ..
    } = fetched
    else {
        unreachable!()
    };
    assert_eq!(
        (charset, content_type, etag, last_modified),
        (None, None, None, None)
    );
}

#[test]
fn gzip_helper_matches_a_known_crc() {
    // The check value of CRC-32/ISO-HDLC.
    assert_eq!(gzip::crc32(b"123456789".iter().copied()), 0xcbf4_3926);
}
