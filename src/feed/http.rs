//! Fetching one feed URL: a conditional GET with hard limits.
//!
//! [`fetch`] sends the validators of the last fetch (`If-None-Match`,
//! `If-Modified-Since`) and answers [`Fetched::NotModified`] for a 304, or
//! the body with the validators to keep for next time. Every fetch is
//! bounded: a connect timeout, a timeout for the whole exchange (redirects
//! and body included), a redirect limit, and a cap on the body counted after
//! gzip decoding, so that neither a stalled server, a redirect loop nor a
//! gzip bomb can hang the reader or fill its memory. A body cut short of its
//! `Content-Length` is an error, never a silently truncated feed.
//!
//! Failures are a [`FetchError`]: one line saying what went wrong and what
//! to do about it, ready to be shown as the feed's warning. Decoding the
//! bytes (the charset comes along as a hint) is left to the feed parser.

use std::fmt;
use std::io::{self, Read};
use std::sync::OnceLock;
use std::time::Duration;

use ureq::http::header::{
    CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, ETAG, HeaderName, HeaderValue,
    IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED, LOCATION,
};
use ureq::http::{HeaderMap, StatusCode, Uri};
use ureq::{Agent, ResponseExt, Timeout};

use crate::config::FetchOptions;

/// Sent unless the feed's config sets its own `User-Agent`.
const USER_AGENT: &str = concat!(
    "kanbao/",
    env!("CARGO_PKG_VERSION"),
    " (+terminal news reader)"
);

/// Feed formats first; anything else is still accepted, since many servers
/// label feeds `text/html` or `application/octet-stream`.
const ACCEPT: &str = "application/rss+xml, application/atom+xml, application/feed+json, \
                      application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8";

const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
const DEFAULT_MAX_BYTES: u64 = 20 * 1024 * 1024;
const DEFAULT_MAX_REDIRECTS: u32 = 5;

/// The most the body buffer reserves up front, whatever `Content-Length`
/// promises; it grows as bytes actually arrive.
const MAX_PREALLOCATION: u64 = 1024 * 1024;

/// What to fetch and within which limits.
#[derive(Debug, Clone)]
pub struct Request {
    pub url: String,
    /// `ETag` of the last fetch, sent as `If-None-Match`.
    pub etag: Option<String>,
    /// `Last-Modified` of the last fetch, sent as `If-Modified-Since`.
    pub last_modified: Option<String>,
    /// Time allowed to open the connection (TLS handshake included).
    pub connect_timeout: Duration,
    /// Time allowed for the whole exchange: redirects and body included.
    pub timeout: Duration,
    /// Largest body accepted, counted after gzip decoding.
    pub max_bytes: u64,
    pub max_redirects: u32,
    /// Extra request headers from the feed's config; a `User-Agent` or
    /// `Accept` here replaces kanbao's own.
    pub headers: Vec<(String, String)>,
}

impl Request {
    /// A request for `url` with the default limits: connect within 10 s,
    /// finish within 30 s, at most 20 MB and 5 redirects.
    pub fn new(url: impl Into<String>) -> Request {
        Request {
            url: url.into(),
            etag: None,
            last_modified: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            max_bytes: DEFAULT_MAX_BYTES,
            max_redirects: DEFAULT_MAX_REDIRECTS,
            headers: Vec::new(),
        }
    }

    /// A request for `url` within a feed's limits: its `timeout`,
    /// `max_size` and `headers`.
    pub fn with_options(url: impl Into<String>, options: &FetchOptions) -> Request {
        Request {
            timeout: Duration::from_secs(u64::from(options.timeout_secs)),
            max_bytes: options.max_bytes,
            headers: options.headers.clone(),
            ..Request::new(url)
        }
    }
}

/// What the server answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    /// 304: the copy from the last fetch is current.
    NotModified,
    Body {
        /// The body, gzip already decoded.
        bytes: Vec<u8>,
        /// The `charset` parameter of `Content-Type`, as sent (`GB2312`).
        charset: Option<String>,
        /// The media type of `Content-Type`, lower-case, without parameters
        /// (`application/rss+xml`).
        content_type: Option<String>,
        /// Validators to send with the next fetch.
        etag: Option<String>,
        last_modified: Option<String>,
        /// Where the body came from after redirects.
        final_url: String,
    },
}

/// Why a fetch failed: one line, the reason and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchError(pub String);

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FetchError {}

/// Fetches `request.url`; see the module documentation.
pub fn fetch(request: &Request) -> Result<Fetched, FetchError> {
    let uri = parse_url(&request.url)?;
    let target = Target::of(&uri);
    let mut builder = agent().get(uri);
    if let Some(etag) = &request.etag {
        builder = builder.header(IF_NONE_MATCH, validator(etag)?);
    }
    if let Some(date) = &request.last_modified {
        builder = builder.header(IF_MODIFIED_SINCE, validator(date)?);
    }
    for (name, value) in &request.headers {
        let (name, value) = header(name, value)?;
        builder = builder.header(name, value);
    }
    let mut response = builder
        .config()
        .timeout_connect(Some(request.connect_timeout))
        .timeout_global(Some(request.timeout))
        .max_redirects(request.max_redirects)
        .build()
        .call()
        .map_err(|err| call_error(err, request, &target))?;

    let status = response.status();
    if status == StatusCode::NOT_MODIFIED {
        return Ok(Fetched::NotModified);
    }
    if status.is_redirection()
        && request.max_redirects == 0
        && response.headers().contains_key(LOCATION)
    {
        // With no redirects allowed, ureq hands the redirect back.
        return Err(too_many_redirects(0));
    }
    if !status.is_success() {
        return Err(status_error(status));
    }

    let headers = response.headers();
    let (content_type, charset) = header_str(headers, &CONTENT_TYPE)
        .map(split_content_type)
        .unwrap_or_default();
    let etag = header_str(headers, &ETAG).map(str::to_owned);
    let last_modified = header_str(headers, &LAST_MODIFIED).map(str::to_owned);
    let encoding = header_str(headers, &CONTENT_ENCODING).map(|v| v.trim().to_owned());
    let gzip = match encoding.as_deref() {
        None | Some("") => false,
        Some("gzip") => true,
        Some(v) if v.eq_ignore_ascii_case("identity") => false,
        Some(other) => {
            return Err(FetchError(format!(
                "the server sent a body compressed as \"{other}\", which kanbao cannot decode; \
                 check the feed's `headers` (kanbao accepts gzip only)"
            )));
        }
    };
    // Only meaningful for bodies that arrive as sent.
    let content_length = header_str(headers, &CONTENT_LENGTH)
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|_| !gzip);
    let final_url = response.get_uri().to_string();

    let reader = response
        .body_mut()
        .with_config()
        .limit(request.max_bytes)
        .reader();
    let bytes = read_body(reader, request, content_length, &target)?;
    Ok(Fetched::Body {
        bytes,
        charset,
        content_type,
        etag,
        last_modified,
        final_url,
    })
}

/// Splits a `Content-Type` value into its media type (lower-case) and its
/// `charset` parameter (unquoted, case kept):
/// `text/xml; charset="GB2312"` → (`text/xml`, `GB2312`).
pub fn split_content_type(value: &str) -> (Option<String>, Option<String>) {
    let mut parts = value.split(';');
    let media = parts
        .next()
        .map(|m| m.trim().to_ascii_lowercase())
        .filter(|m| !m.is_empty());
    let charset = parts
        .filter_map(|param| param.split_once('='))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("charset"))
        .map(|(_, v)| v.trim().trim_matches('"').trim().to_owned())
        .filter(|v| !v.is_empty());
    (media, charset)
}

/// The agent every fetch shares, so that connections to the same host are
/// reused. Limits are set per request; these are only the fallbacks.
fn agent() -> &'static Agent {
    static AGENT: OnceLock<Agent> = OnceLock::new();
    AGENT.get_or_init(|| {
        Agent::config_builder()
            .http_status_as_error(false)
            .user_agent(USER_AGENT)
            .accept(ACCEPT)
            .timeout_connect(Some(DEFAULT_CONNECT_TIMEOUT))
            .timeout_global(Some(DEFAULT_TIMEOUT))
            .max_redirects(DEFAULT_MAX_REDIRECTS)
            .build()
            .new_agent()
    })
}

/// Parses the url, percent-encoding spaces and non-ASCII characters first
/// (feed addresses with Chinese paths are common), and allows only http and
/// https.
fn parse_url(url: &str) -> Result<Uri, FetchError> {
    let invalid =
        |reason: &dyn fmt::Display| FetchError(format!("invalid url \"{url}\": {reason}"));
    let trimmed = url.trim();
    let Some((scheme, rest)) = trimmed.split_once("://").filter(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    }) else {
        return Err(invalid(
            &"no scheme; it should start with https:// or http://",
        ));
    };
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return Err(FetchError(format!(
            "unsupported scheme \"{scheme}\"; use http or https"
        )));
    }
    if rest.is_empty() || rest.starts_with(['/', '?', '#']) {
        return Err(invalid(&"no host"));
    }
    let uri: Uri = escape_url(trimmed).parse().map_err(|e| invalid(&e))?;
    if uri.host().is_none_or(str::is_empty) {
        return Err(invalid(&"no host"));
    }
    // `Uri` accepts any port text and then acts as if there were none.
    let host_port = uri.authority().map_or("", |a| a.as_str());
    let host_port = host_port.rsplit('@').next().unwrap_or_default();
    if let Some((_, port)) = host_port.rsplit_once(':')
        && !host_port.ends_with(']')
        && !port.is_empty()
        && port.parse::<u16>().is_err()
    {
        return Err(invalid(&format_args!(
            "port \"{port}\" is not a number from 0 to 65535"
        )));
    }
    Ok(uri)
}

fn escape_url(url: &str) -> String {
    let mut escaped = String::with_capacity(url.len());
    for c in url.chars() {
        if c.is_ascii() && c != ' ' {
            escaped.push(c);
        } else {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                escaped.push_str(&format!("%{b:02X}"));
            }
        }
    }
    escaped
}

fn validator(value: &str) -> Result<HeaderValue, FetchError> {
    HeaderValue::from_str(value.trim()).map_err(|_| {
        FetchError(format!(
            "stored validator {value:?} is not a valid header value; \
             delete the feed's cached state and fetch again"
        ))
    })
}

fn header(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), FetchError> {
    let bad = |what: &str| {
        FetchError(format!(
            "invalid {what} in header \"{name}\"; fix the feed's `headers` in the config"
        ))
    };
    let name = HeaderName::from_bytes(name.trim().as_bytes()).map_err(|_| bad("name"))?;
    let value = HeaderValue::from_str(value.trim()).map_err(|_| bad("value"))?;
    Ok((name, value))
}

fn header_str<'a>(headers: &'a HeaderMap, name: &HeaderName) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// The host a request goes to, for messages: `host` and `host:port`.
struct Target {
    host: String,
    host_port: String,
}

impl Target {
    fn of(uri: &Uri) -> Target {
        let host = uri.host().unwrap_or_default().to_owned();
        let port = uri.port_u16().unwrap_or(match uri.scheme_str() {
            Some(s) if s.eq_ignore_ascii_case("https") => 443,
            _ => 80,
        });
        let host_port = format!("{host}:{port}");
        Target { host, host_port }
    }
}

/// Reads the body up to the cap, telling a cut-off transfer from the end.
fn read_body(
    mut reader: impl Read,
    request: &Request,
    content_length: Option<u64>,
    target: &Target,
) -> Result<Vec<u8>, FetchError> {
    let reserve = content_length
        .unwrap_or(0)
        .min(request.max_bytes)
        .min(MAX_PREALLOCATION);
    let mut bytes = Vec::with_capacity(usize::try_from(reserve).unwrap_or(0));
    let mut buf = vec![0; 64 * 1024];
    loop {
        match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => bytes.extend_from_slice(buf.get(..n).unwrap_or_default()),
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => {
                let got = bytes.len() as u64;
                return Err(body_error(
                    ureq::Error::from(err),
                    request,
                    got,
                    content_length,
                    target,
                ));
            }
        }
    }
    let got = bytes.len() as u64;
    if let Some(expected) = content_length
        && got < expected
    {
        return Err(truncated(got, Some(expected)));
    }
    Ok(bytes)
}

/// Errors before a response arrived: the url, the name, the connection.
fn call_error(err: ureq::Error, request: &Request, target: &Target) -> FetchError {
    use ureq::Error as E;
    let Target { host, host_port } = target;
    match err {
        E::HostNotFound => cannot_resolve(host),
        E::BadUri(reason) => FetchError(format!("invalid url \"{}\": {reason}", request.url)),
        E::TooManyRedirects => too_many_redirects(request.max_redirects),
        E::Timeout(Timeout::Connect) => FetchError(format!(
            "timed out connecting to {host_port} after {}; check the url or try later",
            duration(request.connect_timeout)
        )),
        E::Timeout(_) => timed_out(request.timeout),
        E::Io(io) => match io.kind() {
            io::ErrorKind::ConnectionRefused => FetchError(format!(
                "connection refused by {host_port}; is the server up?"
            )),
            io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => timed_out(request.timeout),
            io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::BrokenPipe
            | io::ErrorKind::UnexpectedEof => FetchError(format!(
                "connection closed by {host_port} before it answered; try again later"
            )),
            io::ErrorKind::HostUnreachable
            | io::ErrorKind::NetworkUnreachable
            | io::ErrorKind::NetworkDown
            | io::ErrorKind::AddrNotAvailable => FetchError(format!(
                "cannot reach {host_port} ({io}); check the network connection"
            )),
            // std reports a failed name lookup with a kind that cannot be
            // named on stable Rust; its message is the only sign.
            _ if io.to_string().contains("lookup address") => cannot_resolve(host),
            _ => FetchError(format!(
                "network error talking to {host_port}: {io}; try again later"
            )),
        },
        E::Protocol(e) => FetchError(format!(
            "{host_port} sent a malformed HTTP response ({e}); try again later"
        )),
        E::LargeResponseHeader(size, _) => FetchError(format!(
            "{host_port} sent response headers of over {size} bytes; check the url"
        )),
        E::Tls(e) => tls_error(host, &e),
        E::Rustls(e) => tls_error(host, &e),
        E::Pem(e) => tls_error(host, &format_args!("{e:?}")),
        E::Http(e) => FetchError(format!(
            "cannot send the request: {e}; check the feed's `headers`"
        )),
        E::ConnectProxyFailed(e) => FetchError(format!(
            "the proxy refused the connection: {e}; check HTTPS_PROXY / HTTP_PROXY"
        )),
        E::InvalidProxyUrl => FetchError(
            "invalid proxy url; check the HTTPS_PROXY / HTTP_PROXY environment variables".into(),
        ),
        other => FetchError(format!(
            "cannot fetch from {host_port}: {other}; try again later"
        )),
    }
}

/// Errors while the body arrived.
fn body_error(
    err: ureq::Error,
    request: &Request,
    got: u64,
    content_length: Option<u64>,
    target: &Target,
) -> FetchError {
    use ureq::Error as E;
    match err {
        E::BodyExceedsLimit(_) => FetchError(format!(
            "body larger than {}; raise `max_size` in the feed's config",
            size(request.max_bytes)
        )),
        E::Timeout(_) => timed_out(request.timeout),
        E::Io(io) if is_cut_off(&io) => truncated(got, content_length),
        E::Io(io) if io.kind() == io::ErrorKind::TimedOut => timed_out(request.timeout),
        E::Decompress(_, io) if is_cut_off(&io) => truncated(got, None),
        E::Decompress(format, io) => FetchError(format!(
            "the {format} body is corrupt ({io}); try again later"
        )),
        // A chunked body cut off mid-chunk.
        E::Protocol(_) | E::BodyStalled if content_length.is_none() => truncated(got, None),
        other => call_error(other, request, target),
    }
}

fn is_cut_off(io: &io::Error) -> bool {
    matches!(
        io.kind(),
        io::ErrorKind::UnexpectedEof
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::BrokenPipe
    )
}

fn truncated(got: u64, expected: Option<u64>) -> FetchError {
    let detail = match expected {
        Some(expected) => format!(" (got {got} of {expected} bytes)"),
        None => String::new(),
    };
    FetchError(format!(
        "connection closed before the body was complete{detail}; try again later"
    ))
}

fn cannot_resolve(host: &str) -> FetchError {
    FetchError(format!("cannot resolve host \"{host}\"; check the url"))
}

fn timed_out(timeout: Duration) -> FetchError {
    FetchError(format!(
        "timed out after {}; raise `timeout` in the feed's config or try later",
        duration(timeout)
    ))
}

fn too_many_redirects(max: u32) -> FetchError {
    FetchError(format!(
        "too many redirects (more than {max}); check the url"
    ))
}

fn tls_error(host: &str, err: &dyn fmt::Display) -> FetchError {
    FetchError(format!(
        "TLS error with {host}: {err}; check the url and the system clock"
    ))
}

fn status_error(status: StatusCode) -> FetchError {
    let code = status.as_u16();
    let reason = status
        .canonical_reason()
        .map(|r| format!(" {r}"))
        .unwrap_or_default();
    let advice = match code {
        401 | 403 => "check the url or the feed's `headers`",
        408 | 429 | 500.. => "try again later",
        _ => "check the url",
    };
    FetchError(format!("HTTP {code}{reason}; {advice}"))
}

/// `30 s`, `500 ms`.
fn duration(d: Duration) -> String {
    if d.subsec_millis() == 0 && d.as_secs() > 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{} ms", d.as_millis())
    }
}

/// `20 MB`, `512 KB`, `1000 bytes` (binary units, as `max_size` is given).
fn size(bytes: u64) -> String {
    const KB: u64 = 1024;
    const MB: u64 = 1024 * 1024;
    match bytes {
        0 => "0 bytes".to_owned(),
        b if b % MB == 0 => format!("{} MB", b / MB),
        b if b % KB == 0 => format!("{} KB", b / KB),
        b => format!("{b} bytes"),
    }
}
