//! Opening a link in the user's browser.
//!
//! A link in a feed is a stranger's text. It reaches the browser only when
//! it is an `http` or `https` URL ([`WebUrl`]) — never `javascript:`,
//! `file:`, `data:`, text without a scheme, or text a program could take
//! for an option — and only as one argument of a program started directly,
//! without a shell, so `;`, `$(…)`, quotes and backticks in it mean
//! nothing. The browser ([`Browser`]) is the `browser` setting of `[ui]`,
//! else `$BROWSER`, else the desktop's opener (`xdg-open`; `open` on
//! macOS), split at whitespace into a program and its arguments; an
//! argument `%u` stands for the URL, which otherwise goes last. The
//! browser gets no terminal (its standard streams are null, and it runs in
//! a process group of its own), and the reader never waits for it: a
//! thread reaps it.

use std::borrow::Cow;
use std::fmt;
use std::io;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::sanitize::sanitize;

/// An argument of the browser's command line that the URL replaces.
pub const URL_PLACEHOLDER: &str = "%u";

/// What opens links when neither the config nor `$BROWSER` names a browser.
#[cfg(target_os = "macos")]
pub const OPENER: &str = "open";
/// What opens links when neither the config nor `$BROWSER` names a browser.
#[cfg(not(target_os = "macos"))]
pub const OPENER: &str = "xdg-open";

/// An absolute `http` or `https` URL with a host and nothing a terminal or
/// a command line could misread: no whitespace, no control characters, no
/// escape sequences or bidirectional overrides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WebUrl<'a>(&'a str);

/// Why a link is not opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Empty,
    /// Another scheme (`javascript:`, `file:`, `data:` …) or none.
    Scheme,
    /// `http:` or `https:` without `//host`.
    NoHost,
    /// Whitespace, a control character or another character that changes
    /// how text is shown.
    Character(char),
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Empty => f.write_str("the link is empty"),
            Refusal::Scheme => f.write_str("only http and https links are opened"),
            Refusal::NoHost => f.write_str("the link names no host"),
            Refusal::Character(' ') => f.write_str("the link contains a space"),
            Refusal::Character(c) => {
                write!(f, "the link contains the character U+{:04X}", u32::from(*c))
            }
        }
    }
}

impl<'a> WebUrl<'a> {
    /// `text` as a web URL, or why it is not one. The scheme is matched
    /// without regard to case (`HTTPS://…` is a web URL); the rest is kept
    /// as it is.
    pub fn parse(text: &'a str) -> Result<WebUrl<'a>, Refusal> {
        if text.is_empty() {
            return Err(Refusal::Empty);
        }
        // Besides whitespace and controls, what sanitize removes: bidirectional
        // overrides and the like.
        let misread = |c: char| {
            c.is_whitespace()
                || c.is_control()
                || matches!(sanitize(c.encode_utf8(&mut [0; 4])), Cow::Owned(_))
        };
        if let Some(c) = text.chars().find(|&c| misread(c)) {
            return Err(Refusal::Character(c));
        }
        let (scheme, rest) = text.split_once(':').ok_or(Refusal::Scheme)?;
        if !(scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")) {
            return Err(Refusal::Scheme);
        }
        let has_host = rest
            .strip_prefix("//")
            .is_some_and(|r| !r.is_empty() && !r.starts_with(['/', '?', '#']));
        if !has_host {
            return Err(Refusal::NoHost);
        }
        Ok(WebUrl(text))
    }

    pub fn as_str(&self) -> &'a str {
        self.0
    }
}

/// Where the browser's command line came from, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// `browser` in `[ui]` of config.toml.
    Config,
    /// `$BROWSER`.
    Env,
    /// Neither was set: [`OPENER`].
    Default,
}

/// A browser's command line: the program and its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Browser {
    pub program: String,
    pub args: Vec<String>,
    pub origin: Origin,
}

impl Browser {
    /// The browser to use: `configured` (`browser` in `[ui]`), else `env`
    /// (`$BROWSER`), else [`OPENER`]; a blank one counts as unset.
    pub fn choose(configured: Option<&str>, env: Option<&str>) -> Browser {
        let split = |line: &str, origin| {
            let mut words = line.split_whitespace().map(str::to_owned);
            let program = words.next()?;
            Some(Browser {
                program,
                args: words.collect(),
                origin,
            })
        };
        configured
            .and_then(|line| split(line, Origin::Config))
            .or_else(|| env.and_then(|line| split(line, Origin::Env)))
            .unwrap_or_else(|| Browser {
                program: OPENER.to_owned(),
                args: Vec::new(),
                origin: Origin::Default,
            })
    }

    /// [`Browser::choose`] with `$BROWSER` from the environment.
    pub fn from_env(configured: Option<&str>) -> Browser {
        let env = std::env::var("BROWSER").ok();
        Browser::choose(configured, env.as_deref())
    }

    /// The command that opens `url`: each argument `%u` replaced by it,
    /// or, when there is none, the URL as the last argument. No shell.
    pub fn command(&self, url: WebUrl<'_>) -> Command {
        let mut command = Command::new(&self.program);
        let mut placed = false;
        for arg in &self.args {
            if arg == URL_PLACEHOLDER {
                command.arg(url.as_str());
                placed = true;
            } else {
                command.arg(arg);
            }
        }
        if !placed {
            command.arg(url.as_str());
        }
        command
    }

    /// The program's file name, for messages: `firefox` for
    /// `/usr/bin/firefox`.
    pub fn name(&self) -> String {
        let name = Path::new(&self.program)
            .file_name()
            .map_or(Cow::Borrowed(self.program.as_str()), |n| {
                n.to_string_lossy()
            });
        sanitize(&name).into_owned()
    }

    /// Starts the browser on `url` if it is a web URL, and returns at once.
    pub fn open(&self, url: &str) -> Result<(), OpenError> {
        let url = WebUrl::parse(url).map_err(OpenError::Refused)?;
        let mut command = self.command(url);
        command
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        // Out of the terminal's foreground group: Ctrl-C or a closed
        // terminal does not reach it, and it cannot read the keyboard.
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        match command.spawn() {
            Ok(mut child) => {
                // Reaped on a thread, so that the reader never waits and no
                // zombie is left. Without a thread it is reaped at exit.
                let _ = std::thread::Builder::new()
                    .name("browser".to_owned())
                    .spawn(move || child.wait());
                Ok(())
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Err(OpenError::NotFound {
                program: sanitize(&self.program).into_owned(),
                origin: self.origin,
            }),
            Err(e) => Err(OpenError::Failed {
                program: sanitize(&self.program).into_owned(),
                reason: e.to_string(),
            }),
        }
    }
}

/// Why the browser did not open a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenError {
    Refused(Refusal),
    NotFound { program: String, origin: Origin },
    Failed { program: String, reason: String },
}

impl fmt::Display for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpenError::Refused(refusal) => refusal.fmt(f),
            OpenError::NotFound { program, origin } => match origin {
                Origin::Config => write!(
                    f,
                    "browser {program:?} not found; fix browser in [ui] of config.toml"
                ),
                Origin::Env => write!(
                    f,
                    "browser {program:?} (from $BROWSER) not found; fix $BROWSER, \
                     or set browser in [ui] of config.toml"
                ),
                Origin::Default => write!(
                    f,
                    "browser {program:?} not found; set browser in [ui] of config.toml"
                ),
            },
            OpenError::Failed { program, reason } => {
                write!(
                    f,
                    "cannot start browser {program:?} ({reason}); \
                     check browser in [ui] of config.toml"
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case::shell_metacharacters("https://例子.cn/a?b=1&c=$(touch${IFS}x);rm${IFS}-rf${IFS}~")]
    #[case::backticks_and_quotes("https://example.com/`id`'\"&x=1|y>z")]
    #[case::http("http://example.com/")]
    #[case::upper_case_scheme("HTTPS://EXAMPLE.COM/A")]
    #[case::mixed_case_scheme("hTtP://example.com")]
    #[case::port_and_fragment("https://example.com:8443/a#b")]
    fn web_urls_are_accepted(#[case] text: &str) {
        assert_eq!(WebUrl::parse(text).map(|u| u.as_str()), Ok(text));
    }

    #[rstest]
    #[case::javascript("javascript:alert(1)", Refusal::Scheme)]
    #[case::javascript_upper("JavaScript:alert(1)", Refusal::Scheme)]
    #[case::file("file:///etc/passwd", Refusal::Scheme)]
    #[case::data("data:text/html,<script>alert(1)</script>", Refusal::Scheme)]
    #[case::ftp("ftp://example.com/", Refusal::Scheme)]
    #[case::scheme_less("example.com/a", Refusal::Scheme)]
    #[case::protocol_relative("//example.com/a", Refusal::Scheme)]
    #[case::option("-x", Refusal::Scheme)]
    #[case::option_with_url("--new-window=https://example.com", Refusal::Scheme)]
    #[case::http_lookalike("https-evil:x", Refusal::Scheme)]
    #[case::no_slashes("https:example.com", Refusal::NoHost)]
    #[case::no_host("https:///etc/passwd", Refusal::NoHost)]
    #[case::nothing_after("https://", Refusal::NoHost)]
    #[case::space("https://example.com/a b", Refusal::Character(' '))]
    #[case::leading_space(" https://example.com/", Refusal::Character(' '))]
    #[case::newline("https://example.com/\nrm -rf ~", Refusal::Character('\n'))]
    #[case::escape("https://example.com/\u{1b}]0;x\u{7}", Refusal::Character('\u{1b}'))]
    #[case::nul("https://example.com/\0", Refusal::Character('\0'))]
    #[case::ideographic_space("https://example.com/\u{3000}", Refusal::Character('\u{3000}'))]
    #[case::bidi_override("https://example.com/\u{202e}gpj.exe", Refusal::Character('\u{202e}'))]
    #[case::empty("", Refusal::Empty)]
    fn other_links_are_refused(#[case] text: &str, #[case] why: Refusal) {
        assert_eq!(WebUrl::parse(text), Err(why));
    }

    fn words(command: &Command) -> Vec<String> {
        std::iter::once(command.get_program())
            .chain(command.get_args())
            .map(|s| s.to_string_lossy().into_owned())
            .collect()
    }

    fn url(text: &str) -> WebUrl<'_> {
        WebUrl::parse(text).unwrap_or_else(|why| panic!("{text}: {why}"))
    }

    const HOSTILE: &str = "https://例子.cn/a?b=1&c=$(touch${IFS}x);rm${IFS}-rf${IFS}~";

    #[rstest]
    #[case::appended_last("firefox", &["firefox", HOSTILE])]
    #[case::after_arguments("firefox --new-tab", &["firefox", "--new-tab", HOSTILE])]
    #[case::in_place_of_the_placeholder("open -a Safari %u --background", &["open", "-a", "Safari", HOSTILE, "--background"])]
    #[case::every_placeholder("b %u %u", &["b", HOSTILE, HOSTILE])]
    #[case::placeholder_inside_a_word_is_kept("b --url=%u", &["b", "--url=%u", HOSTILE])]
    #[case::runs_of_whitespace("  /opt/My-Browser/bin/b \t -x  ", &["/opt/My-Browser/bin/b", "-x", HOSTILE])]
    fn the_url_is_one_argument(#[case] line: &str, #[case] want: &[&str]) {
        let browser = Browser::choose(Some(line), None);
        assert_eq!(browser.origin, Origin::Config);
        assert_eq!(words(&browser.command(url(HOSTILE))), want);
    }

    #[rstest]
    #[case::config_first(Some("firefox"), Some("chromium"), "firefox", Origin::Config)]
    #[case::blank_config_is_unset(
        Some("  "),
        Some("chromium --incognito"),
        "chromium",
        Origin::Env
    )]
    #[case::browser_env(None, Some("chromium --incognito"), "chromium", Origin::Env)]
    #[case::empty_env_is_unset(None, Some(""), OPENER, Origin::Default)]
    #[case::neither(None, None, OPENER, Origin::Default)]
    fn the_browser_is_chosen(
        #[case] configured: Option<&str>,
        #[case] env: Option<&str>,
        #[case] program: &str,
        #[case] origin: Origin,
    ) {
        let browser = Browser::choose(configured, env);
        assert_eq!(
            (browser.program.as_str(), browser.origin),
            (program, origin)
        );
    }

    #[test]
    fn browser_env_is_split_like_the_setting() {
        let browser = Browser::choose(None, Some("chromium --incognito %u"));
        assert_eq!(
            words(&browser.command(url("http://example.com/"))),
            ["chromium", "--incognito", "http://example.com/"]
        );
    }

    #[test]
    fn a_refused_link_starts_nothing() {
        // A program that would fail loudly if it were started.
        let browser = Browser::choose(Some("/nonexistent/kanbao-test-browser"), None);
        assert_eq!(
            browser.open("javascript:alert(1)"),
            Err(OpenError::Refused(Refusal::Scheme))
        );
        assert_eq!(
            browser
                .open("https://example.com/")
                .map_err(|e| e.to_string()),
            Err("browser \"/nonexistent/kanbao-test-browser\" not found; \
                 fix browser in [ui] of config.toml"
                .to_owned())
        );
    }

    #[test]
    fn the_name_is_the_file_name() {
        let browser = Browser::choose(Some("/usr/bin/firefox --new-tab"), None);
        assert_eq!(browser.name(), "firefox");
    }
}
