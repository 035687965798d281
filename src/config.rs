//! `config.toml`: which feeds to read, how to show their text, and the
//! keys, colours and mouse handling of the terminal UI.
//!
//! [`locate`] finds the file (`--config`, `$KANBAO_CONFIG`, the XDG config
//! folder, then `./config.toml`), [`load`] reads it and [`parse`] checks it;
//! [`INIT_TEXT`] (`src/init.toml`) is the commented file `kanbao init` writes
//! to [`init_path`] for a first run.
//! Every value is checked here, where its place in the file is still known, so
//! the rest of the program gets plain valid data and a mistake is reported once
//! as `config.toml:LINE:COL: what is wrong; how to fix it`. Defaults live only
//! in the `Default` impls; a test holds the shipped `config.toml` to them.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fmt;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::{env, fs};

use ratatui::style::Color;
use serde::Deserialize;
use serde::de::{self, SeqAccess, Unexpected, Visitor};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::keymap::{Action, Key, KeyError, Keymap};
use crate::script::Script;

mod sync;
pub use sync::{Password, SyncConfig, SyncKind};

/// A checked configuration file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// The file it was read from.
    pub path: PathBuf,
    /// How to name the file in messages: as the user gave it or as it was found.
    pub display: String,
    pub feeds: Vec<FeedConfig>,
    pub text: TextOptions,
    /// The default key bindings with `[keys]` applied.
    pub keymap: Keymap,
    pub theme: Theme,
    pub ui: Ui,
    /// `[sync]`: the feed server to keep in step with, if any.
    pub sync: Option<SyncConfig>,
}

/// One `[[feeds]]` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedConfig {
    /// Short stable name, `[a-z0-9_-]+`, unique within the file.
    pub id: String,
    pub title: String,
    pub kind: FeedKind,
    /// The folder the library reads this feed's articles from: for `pages`
    /// the `path` folder, for `feed` the `store` folder (default
    /// `feeds/<id>`), which the first fetch creates. Relative paths are
    /// resolved against the config file's folder.
    pub path: PathBuf,
    /// Where a web feed is fetched from; `None` for kind `pages`.
    pub source: Option<FeedSource>,
    /// For `pages`: the section of pages whose file name and header name
    /// none. For `feed`: the section of every item (without it, the item's
    /// category, else the feed's title).
    pub section: Option<String>,
    /// How a web feed is fetched; the defaults for kind `pages`.
    pub fetch: FetchOptions,
    /// `FILE:LINE:COL` of this feed's `path` value (for a web feed, of its
    /// `url` or `path`), to begin later messages about the feed.
    pub location: String,
}

/// Where a feed's articles come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FeedKind {
    /// A folder of stored page `.txt` files.
    Pages,
    /// A web feed (RSS, Atom or JSON Feed) whose items are fetched into a folder.
    Feed,
    /// A paper's e-paper site (电子版): each day's edition, 版面 by 版面,
    /// fetched into a folder.
    Epaper,
}

impl FeedConfig {
    /// Whether the feed is a subscription on the `[sync]` server.
    pub fn is_from_server(&self) -> bool {
        matches!(self.source, Some(FeedSource::Server(_)))
    }

    /// Whether `kanbao fetch` (and `R`'s fetch) fetches it: web feeds and
    /// editions of the config, not the server's subscriptions.
    pub fn is_fetched_here(&self) -> bool {
        self.kind.is_fetched() && !self.is_from_server()
    }
}

/// A subscription on the `[sync]` server as `kanbao sync` lists it in
/// `sync/feeds.json` beside the config file, so that every command reads
/// the server's feeds from the archive without asking the server.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, Deserialize)]
pub struct ServerFeed {
    /// `ttrss-12`, `fever-3`: the kind and the server's feed id.
    pub id: String,
    pub server_id: i64,
    pub title: String,
    /// The server's category of the feed, the section of its items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
}

/// The folder under which `kanbao sync` keeps the server's feeds: `sync/`
/// beside the config file.
pub fn sync_folder(config: &Config) -> PathBuf {
    config.path.parent().unwrap_or(Path::new("")).join("sync")
}

/// Lists the server's feeds in `config.feeds` as `sync/feeds.json` has
/// them now, after a sync changed it.
pub fn refresh_server_feeds(config: &mut Config) {
    config.feeds.retain(|f| !f.is_from_server());
    add_server_feeds(config);
}

/// Adds the server's feeds listed in `sync/feeds.json` to `config.feeds`,
/// after the config's own; one whose id a config feed has is left out. A
/// missing or unreadable list adds none: the next `kanbao sync` writes it.
fn add_server_feeds(config: &mut Config) {
    if config.sync.is_none() {
        return;
    }
    let folder = sync_folder(config);
    let Ok(bytes) = fs::read(folder.join("feeds.json")) else {
        return;
    };
    let Ok(listed) = serde_json::from_slice::<Vec<ServerFeed>>(&bytes) else {
        return;
    };
    let location = config
        .sync
        .as_ref()
        .map(|s| s.location.clone())
        .unwrap_or_default();
    for feed in listed {
        let valid = !feed.id.is_empty()
            && feed
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !valid || config.feeds.iter().any(|f| f.id == feed.id) {
            continue;
        }
        config.feeds.push(FeedConfig {
            path: folder.join(&feed.id),
            id: feed.id,
            title: feed.title,
            kind: FeedKind::Feed,
            source: Some(FeedSource::Server(feed.server_id)),
            section: feed.section,
            fetch: FetchOptions::default(),
            location: location.clone(),
        });
    }
}

impl FeedKind {
    pub const ALL: [FeedKind; 3] = [FeedKind::Pages, FeedKind::Feed, FeedKind::Epaper];

    /// The name written in `config.toml`.
    pub fn name(self) -> &'static str {
        match self {
            FeedKind::Pages => "pages",
            FeedKind::Feed => "feed",
            FeedKind::Epaper => "epaper",
        }
    }

    /// Whether `kanbao fetch` fetches it into a store folder.
    pub fn is_fetched(self) -> bool {
        matches!(self, FeedKind::Feed | FeedKind::Epaper)
    }
}

/// Where a web feed's document is read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FeedSource {
    /// `url`: fetched over HTTP(S); starts with `http://` or `https://`.
    Url(String),
    /// `path`: a local feed file, resolved against the config file's folder.
    File(PathBuf),
    /// A subscription on the `[sync]` server, by the server's feed id:
    /// `kanbao sync` fetches it, `kanbao fetch` leaves it alone.
    Server(i64),
}

/// How a web feed is fetched: `interval`, `timeout`, `max_items`,
/// `max_size` and `headers` of its `[[feeds]]` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FetchOptions {
    /// Minutes to wait between fetches, 1-10080; `None` fetches on every `kanbao fetch`.
    pub interval_minutes: Option<u32>,
    /// Seconds allowed for the whole request, 1-600.
    pub timeout_secs: u32,
    /// Keep at most this many of the newest items of each fetch; `None` keeps all.
    pub max_items: Option<usize>,
    /// The largest response body accepted, in bytes (`max_size` is in MB of 2^20 bytes).
    pub max_bytes: u64,
    /// Extra request headers, in the order written; names are valid header
    /// names, unique ignoring case, and values hold no control characters.
    pub headers: Vec<(String, String)>,
    /// For kind `epaper`: how many days of editions `kanbao fetch` gets,
    /// today's and the days before, 1-366.
    pub keep_days: u32,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            interval_minutes: None,
            timeout_secs: 30,
            max_items: None,
            max_bytes: 20 * MB,
            headers: Vec::new(),
            keep_days: 1,
        }
    }
}

/// The unit of `max_size`.
const MB: u64 = 1024 * 1024;

/// The `[text]` table: how article text is laid out.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TextOptions {
    /// Full-width spaces before each paragraph, 0-8.
    #[serde(deserialize_with = "indent")]
    pub indent: u8,
    /// Show punctuation in Chinese text in its full-width form.
    pub fullwidth_punctuation: bool,
    /// Terminal columns taken by East Asian "ambiguous" characters such as
    /// “ ” and —: 1, 2, or asked of the terminal when the reader starts.
    pub ambiguous_width: AmbiguousWidth,
    /// Let closing marks hang in a one-cell right margin (行末点号悬挂) and
    /// fill every line; off sets every character within the width.
    pub hanging_punctuation: bool,
    /// The script text is shown in: as stored, simplified or traditional
    /// (standard, Taiwan, Hong Kong). Display only; stored text is kept.
    pub script: Script,
}

impl Default for TextOptions {
    fn default() -> Self {
        TextOptions {
            indent: 2,
            fullwidth_punctuation: true,
            ambiguous_width: AmbiguousWidth::Auto,
            hanging_punctuation: true,
            script: Script::AsStored,
        }
    }
}

/// The `[theme]` table: a colour for each part of the screen.
/// [`Color::Reset`] is the terminal's own colour.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Theme {
    /// Kicker (引题), the short line above a headline.
    #[serde(deserialize_with = "colour")]
    pub kicker: Color,
    /// Headline (主题).
    #[serde(deserialize_with = "colour")]
    pub title: Color,
    /// Subheadline (副题).
    #[serde(deserialize_with = "colour")]
    pub subtitle: Color,
    /// Date, section, page and byline.
    #[serde(deserialize_with = "colour")]
    pub meta: Color,
    /// Column banner (栏目).
    #[serde(deserialize_with = "colour")]
    pub column: Color,
    /// Article text.
    #[serde(deserialize_with = "colour")]
    pub body: Color,
    /// Photo captions and credits.
    #[serde(deserialize_with = "colour")]
    pub caption: Color,
    /// The selected row.
    #[serde(deserialize_with = "colour")]
    pub selection: Color,
    /// The mark of an unread article.
    #[serde(deserialize_with = "colour")]
    pub unread: Color,
    /// The mark of a starred article.
    #[serde(deserialize_with = "colour")]
    pub starred: Color,
    /// The status line.
    #[serde(deserialize_with = "colour")]
    pub status: Color,
    /// Pane borders.
    #[serde(deserialize_with = "colour")]
    pub border: Color,
    /// What needs the eye: filter matches, the focused pane.
    #[serde(deserialize_with = "colour")]
    pub highlight: Color,
}

/// Safe on 16-colour terminals, light or dark.
impl Default for Theme {
    fn default() -> Self {
        Theme {
            kicker: Color::Reset,
            title: Color::Reset,
            subtitle: Color::Reset,
            meta: Color::DarkGray,
            column: Color::Cyan,
            body: Color::Reset,
            caption: Color::Reset,
            selection: Color::Blue,
            unread: Color::Yellow,
            starred: Color::Yellow,
            status: Color::Reset,
            border: Color::DarkGray,
            highlight: Color::Yellow,
        }
    }
}

/// The `[ui]` table: how kanbao uses the terminal.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Ui {
    /// Take the mouse. `false` leaves it to the terminal, so that text can
    /// be selected and copied as usual.
    pub mouse: bool,
    /// The command line that opens links, split at whitespace into a
    /// program and its arguments (no shell); `%u` stands for the link.
    /// `None` uses `$BROWSER`, else the desktop's opener
    /// ([`crate::browser::Browser::choose`]). Never blank.
    #[serde(deserialize_with = "browser")]
    pub browser: Option<String>,
    /// Han characters per line of the reader's text, at most; the text
    /// column is centred in a wider pane. 0 uses the whole pane.
    #[serde(deserialize_with = "measure")]
    pub measure: u8,
    /// How the reader shows the photos of an opened article.
    pub images: Images,
}

/// `[ui] images`: how the reader shows photos above their captions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Images {
    /// The best the terminal draws: kitty graphics, iTerm2 or sixel when
    /// it answers that it can, Unicode half-blocks elsewhere (and in tmux).
    #[default]
    Auto,
    /// Unicode half-blocks, which every colour terminal draws.
    Halfblocks,
    /// No photos: captions only, and nothing fetched.
    Off,
}

impl Default for Ui {
    fn default() -> Self {
        Ui {
            mouse: true,
            browser: None,
            measure: 40,
            images: Images::Auto,
        }
    }
}

/// The smallest `[[feeds]]` table kanbao reads: a web feed. Shown to a
/// config that has no feeds ([`no_feeds_message`]); a test holds it valid.
pub const FEEDS_EXAMPLE: &str = "[[feeds]]
id = \"renmin\"
title = \"人民网\"
kind = \"feed\"
url = \"https://example.com/rss.xml\"
";

/// What to tell a user whose config (named `display`) has no feeds: that,
/// and a table to add. Several lines; the example is indented by four
/// spaces.
pub fn no_feeds_message(display: &str) -> String {
    let example: String = FEEDS_EXAMPLE
        .lines()
        .map(|l| format!("    {l}\n"))
        .collect();
    format!(
        "{display} has no feeds. Add a [[feeds]] table to it, such as this web feed:\n\n\
         {example}\n\
         and run `kanbao fetch`. For a folder of stored pages, write kind = \"pages\" and \
         path = \"feeds/…\" in place of the kind and url lines."
    )
}

/// A problem with finding, reading or checking the configuration, as one line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    location: Option<String>,
    message: String,
}

impl ConfigError {
    fn new(location: Option<String>, message: String) -> Self {
        let message = if message.contains(['\n', '\r']) {
            message.replace(['\n', '\r'], " ")
        } else {
            message
        };
        ConfigError { location, message }
    }

    /// `FILE:LINE:COL`, `FILE`, or `None` when no file is involved.
    pub fn location(&self) -> Option<&str> {
        self.location.as_deref()
    }

    /// What is wrong and how to fix it, without the location.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Some(location) => write!(f, "{location}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

/// Where [`locate`] found the configuration file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfigSource {
    /// `--config PATH`.
    Explicit,
    /// `$KANBAO_CONFIG`.
    Env,
    /// `$XDG_CONFIG_HOME/kanbao/config.toml` or `~/.config/kanbao/config.toml`.
    Xdg,
    /// `config.toml` in the working directory.
    Local,
}

/// The parts of the environment that [`locate_in`] reads, passed in so that
/// the lookup can be tested without changing the process environment.
#[derive(Clone, Debug, Default)]
pub struct SearchEnv {
    /// `$KANBAO_CONFIG`; ignored when empty.
    pub kanbao_config: Option<OsString>,
    /// `$XDG_CONFIG_HOME`; ignored unless absolute.
    pub xdg_config_home: Option<OsString>,
    /// `$HOME`, for `~/.config` when `$XDG_CONFIG_HOME` is not usable.
    pub home: Option<OsString>,
    /// The folder searched last; empty means the working directory, named relatively.
    pub local_dir: PathBuf,
}

impl SearchEnv {
    /// The real environment of this process.
    pub fn from_process() -> Self {
        SearchEnv {
            kanbao_config: env::var_os("KANBAO_CONFIG"),
            xdg_config_home: env::var_os("XDG_CONFIG_HOME"),
            home: env::var_os("HOME"),
            local_dir: PathBuf::new(),
        }
    }

    fn xdg_file(&self) -> Option<PathBuf> {
        let config_home = match &self.xdg_config_home {
            Some(dir) if Path::new(dir).is_absolute() => PathBuf::from(dir),
            _ => match &self.home {
                Some(home) if !home.is_empty() => Path::new(home).join(".config"),
                _ => return None,
            },
        };
        Some(config_home.join("kanbao").join("config.toml"))
    }
}

/// Finds the configuration file in the real environment; see [`locate_in`].
pub fn locate(explicit: Option<&Path>) -> Result<(PathBuf, ConfigSource), ConfigError> {
    locate_in(explicit, &SearchEnv::from_process())
}

/// Finds the configuration file: `explicit` (from `--config`), else
/// `$KANBAO_CONFIG`, else `kanbao/config.toml` in the XDG config folder, else
/// `config.toml` in `env.local_dir`. A file the user named must exist; the
/// default places are skipped quietly when they hold no file.
pub fn locate_in(
    explicit: Option<&Path>,
    env: &SearchEnv,
) -> Result<(PathBuf, ConfigSource), ConfigError> {
    if let Some(path) = explicit {
        let named = format!("--config {}", path.display());
        let fix = "check the path, or leave out --config to search the default places";
        return named_file(path, &named, fix).map(|path| (path, ConfigSource::Explicit));
    }
    if let Some(value) = env.kanbao_config.as_ref().filter(|value| !value.is_empty()) {
        let path = Path::new(value);
        let named = format!("KANBAO_CONFIG={}", path.display());
        let fix = "fix $KANBAO_CONFIG, or unset it to search the default places";
        return named_file(path, &named, fix).map(|path| (path, ConfigSource::Env));
    }
    let xdg = env.xdg_file();
    if let Some(path) = &xdg
        && path.is_file()
    {
        return Ok((path.clone(), ConfigSource::Xdg));
    }
    let local = env.local_dir.join("config.toml");
    if local.is_file() {
        return Ok((local, ConfigSource::Local));
    }
    let local_shown = if env.local_dir.as_os_str().is_empty() {
        "./config.toml".to_owned()
    } else {
        local.display().to_string()
    };
    let message = match xdg {
        Some(xdg) => format!(
            "no config.toml found (looked in {} and {local_shown}); \
             run `kanbao init` to write a commented one to {}, \
             or pass --config PATH, or set $KANBAO_CONFIG",
            xdg.display(),
            xdg.display()
        ),
        None => format!(
            "no config.toml found (looked in {local_shown}; $HOME is not set); \
             run `kanbao init --config {local_shown}` to write a commented one there, \
             or pass --config PATH, or set $KANBAO_CONFIG"
        ),
    };
    Err(ConfigError::new(None, message))
}

/// The commented `config.toml` that `kanbao init` writes: how the archive
/// is laid out, and a web feed and a pages folder to uncomment. It has no
/// feeds until the user adds one; a test holds it valid.
pub const INIT_TEXT: &str = include_str!("init.toml");

/// Where `kanbao init` writes [`INIT_TEXT`]: the first place [`locate_in`]
/// looks (`explicit`, else `$KANBAO_CONFIG`, else the XDG config folder),
/// so that kanbao then finds it.
pub fn init_path(explicit: Option<&Path>, env: &SearchEnv) -> Result<PathBuf, ConfigError> {
    if let Some(path) = explicit {
        return Ok(path.to_path_buf());
    }
    if let Some(value) = env.kanbao_config.as_ref().filter(|value| !value.is_empty()) {
        return Ok(PathBuf::from(value));
    }
    env.xdg_file().ok_or_else(|| {
        ConfigError::new(
            None,
            "no config folder: neither $XDG_CONFIG_HOME nor $HOME is set; set $HOME, \
             or name the file with kanbao init --config PATH"
                .to_owned(),
        )
    })
}

/// A path the user named: missing is an error. Other problems are left to [`load`].
fn named_file(path: &Path, named: &str, fix: &str) -> Result<PathBuf, ConfigError> {
    match path.try_exists() {
        Ok(false) => Err(ConfigError::new(
            None,
            format!("{named}: no such file; {fix}"),
        )),
        _ => Ok(path.to_path_buf()),
    }
}

/// Reads and checks the file at `path`, naming it `display` in messages.
pub fn load(path: &Path, display: &str) -> Result<Config, ConfigError> {
    let bytes = fs::read(path).map_err(|error| read_error(&error, display))?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let (line, column) = line_col(error.as_bytes(), error.utf8_error().valid_up_to());
            return Err(ConfigError::new(
                Some(format!("{display}:{line}:{column}")),
                "not valid UTF-8; save the file as UTF-8".to_owned(),
            ));
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut config = parse(text, path, display)?;
    add_server_feeds(&mut config);
    Ok(config)
}

fn read_error(error: &io::Error, display: &str) -> ConfigError {
    let message = match error.kind() {
        io::ErrorKind::NotFound => "no such file; check the path, or pass --config PATH".to_owned(),
        io::ErrorKind::IsADirectory => "is a folder; name the config file itself".to_owned(),
        io::ErrorKind::PermissionDenied => "permission denied; make the file readable".to_owned(),
        _ => format!("cannot read the file ({error})"),
    };
    ConfigError::new(Some(display.to_owned()), message)
}

/// Checks the text of a configuration file. `path` is where it was read
/// from; relative feed paths are resolved against its folder. `display`
/// names the file in messages. Touches no file system.
pub fn parse(text: &str, path: &Path, display: &str) -> Result<Config, ConfigError> {
    let source = Source { text, display };
    let document = DeTable::parse(text).map_err(|error| source.syntax_error(&error))?;
    source.check_tables(document.get_ref())?;
    let raw = RawConfig::deserialize(toml::de::Deserializer::from(document.clone()))
        .map_err(|error| source.schema_error(&error, document.get_ref()))?;
    let base = path.parent().unwrap_or(Path::new(""));
    let mut feeds: Vec<FeedConfig> = Vec::with_capacity(raw.feeds.len());
    let mut ids: Vec<Spanned<String>> = Vec::with_capacity(raw.feeds.len());
    for entry in raw.feeds {
        let span = entry.span();
        let (feed, id) = entry.into_inner().check(&source, span, base, &ids)?;
        feeds.push(feed);
        ids.push(id);
    }
    let keymap = keymap(&source, &raw.keys)?;
    let sync = match raw.sync {
        Some(table) => {
            let span = table.span();
            Some(table.into_inner().check(&source, span)?)
        }
        None => None,
    };
    Ok(Config {
        path: path.to_path_buf(),
        display: display.to_owned(),
        feeds,
        text: raw.text,
        keymap,
        theme: raw.theme,
        ui: raw.ui,
        sync,
    })
}

/// The file as serde reads it; [`RawFeed::check`] turns feeds into [`FeedConfig`]s.
#[derive(Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct RawConfig {
    feeds: Vec<Spanned<RawFeed>>,
    text: TextOptions,
    keys: RawKeys,
    theme: Theme,
    ui: Ui,
    sync: Option<Spanned<sync::RawSync>>,
}

/// `[keys]` as written: the actions named and their keys, with their places.
type RawKeys = BTreeMap<Spanned<Action>, Spanned<KeyList>>;

/// The value of a `[keys]` entry: `"key"` or `["key", …]`.
enum KeyList {
    One(String),
    Many(Vec<Spanned<String>>),
}

impl KeyList {
    /// Each key with its place; `span` is the place of the whole value.
    fn items(&self, span: Range<usize>) -> Vec<(&str, Range<usize>)> {
        match self {
            KeyList::One(key) => vec![(key.as_str(), span)],
            KeyList::Many(keys) => keys
                .iter()
                .map(|key| (key.get_ref().as_str(), key.span()))
                .collect(),
        }
    }
}

impl<'de> Deserialize<'de> for KeyList {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(KeyListVisitor)
    }
}

struct KeyListVisitor;

impl<'de> Visitor<'de> for KeyListVisitor {
    type Value = KeyList;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key such as \"j\" or an array of keys")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<KeyList, E> {
        Ok(KeyList::One(key.to_owned()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<KeyList, A::Error> {
        let mut keys = Vec::new();
        while let Some(key) = seq.next_element()? {
            keys.push(key);
        }
        Ok(KeyList::Many(keys))
    }
}

/// The default bindings with `[keys]` applied; each error points at the key or
/// entry it is about.
fn keymap(source: &Source<'_>, keys: &RawKeys) -> Result<Keymap, ConfigError> {
    let mut overrides: BTreeMap<Action, Vec<String>> = BTreeMap::new();
    for (action, list) in keys {
        let name = action.get_ref().name();
        let items = list.get_ref().items(list.span());
        if items.is_empty() {
            let defaults: Vec<String> = action
                .get_ref()
                .default_keys()
                .iter()
                .map(|key| format!("{key:?}"))
                .collect();
            return Err(source.error(
                list.span(),
                format!(
                    "[keys] {name} needs at least one key; list one, \
                     or remove the line to keep its default keys: {}",
                    defaults.join(", ")
                ),
            ));
        }
        let mut seen: Vec<Key> = Vec::with_capacity(items.len());
        for (text, span) in &items {
            if let Ok(key) = text.parse::<Key>() {
                if seen.contains(&key) {
                    return Err(source.error(
                        span.clone(),
                        format!("[keys] {name}: key {text:?} is listed twice; list it once"),
                    ));
                }
                seen.push(key);
            }
        }
        let texts = items.iter().map(|(text, _)| (*text).to_owned()).collect();
        overrides.insert(*action.get_ref(), texts);
    }
    Keymap::with_overrides(&overrides).map_err(|error| {
        let span = culprit(keys, &overrides, &error);
        source.error_at(span, error.to_string())
    })
}

/// Where the problem a [`KeyError`] names is: the first key of the action
/// named in its `[keys] ACTION:` prefix that does not parse or that another
/// action also has, else that action's entry.
fn culprit(
    keys: &RawKeys,
    overrides: &BTreeMap<Action, Vec<String>>,
    error: &KeyError,
) -> Option<Range<usize>> {
    let (named, _) = error.0.strip_prefix("[keys] ")?.split_once(':')?;
    let (action, list) = keys
        .iter()
        .find(|(action, _)| action.get_ref().name() == named)?;
    let keys_of = |other: Action| -> Vec<&str> {
        match overrides.get(&other) {
            Some(texts) => texts.iter().map(String::as_str).collect(),
            None => other.default_keys().to_vec(),
        }
    };
    let taken: Vec<Key> = Action::ALL
        .into_iter()
        .filter(|other| other != action.get_ref())
        .flat_map(keys_of)
        .filter_map(|text| text.parse().ok())
        .collect();
    let items = list.get_ref().items(list.span());
    let bad = items
        .into_iter()
        .find(|(text, _)| match text.parse::<Key>() {
            Ok(key) => taken.contains(&key),
            Err(_) => true,
        });
    Some(bad.map_or(list.span(), |(_, span)| span))
}

/// Required fields are `Option`s so that a missing one gets a message naming the feed.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFeed {
    id: Option<Spanned<String>>,
    title: Option<Spanned<String>>,
    kind: Option<Spanned<FeedKind>>,
    path: Option<Spanned<String>>,
    url: Option<Spanned<String>>,
    store: Option<Spanned<String>>,
    section: Option<Spanned<String>>,
    interval: Option<Spanned<i64>>,
    timeout: Option<Spanned<i64>>,
    max_items: Option<Spanned<i64>>,
    max_size: Option<Spanned<i64>>,
    headers: Option<Spanned<RawHeaders>>,
    keep: Option<Spanned<i64>>,
}

impl RawFeed {
    fn check(
        mut self,
        source: &Source<'_>,
        entry: Range<usize>,
        base: &Path,
        earlier_ids: &[Spanned<String>],
    ) -> Result<(FeedConfig, Spanned<String>), ConfigError> {
        let Some(id) = self.id.take() else {
            return Err(source.error(
                entry,
                "missing \"id\" in [[feeds]]; add a short name such as id = \"my-paper\" \
                 (a-z, 0-9, - and _)",
            ));
        };
        let valid_id =
            |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_';
        if id.get_ref().is_empty() || !id.get_ref().chars().all(valid_id) {
            return Err(source.error(
                id.span(),
                format!(
                    "invalid feed id {:?}; use only lowercase letters a-z, digits 0-9, \"-\" and \"_\"",
                    id.get_ref()
                ),
            ));
        }
        if let Some(first) = earlier_ids
            .iter()
            .find(|seen| seen.get_ref() == id.get_ref())
        {
            let (line, _) = line_col(source.text.as_bytes(), first.span().start);
            return Err(source.error(
                id.span(),
                format!(
                    "feed id {:?} is already used on line {line}; give each feed its own id",
                    id.get_ref()
                ),
            ));
        }
        let feed = format!("feed {:?}", id.get_ref());
        let Some(title) = self.title.take() else {
            return Err(source.error(
                entry,
                format!("missing \"title\" for {feed}; add title = \"…\" with the name to show"),
            ));
        };
        if title.get_ref().trim().is_empty() {
            return Err(source.error(
                title.span(),
                format!("empty title for {feed}; write the name to show"),
            ));
        }
        let Some(kind) = self.kind.take() else {
            let kinds: Vec<&str> = FeedKind::ALL.iter().map(|kind| kind.name()).collect();
            return Err(source.error(
                entry,
                format!(
                    "missing \"kind\" for {feed}; add kind = \"…\", one of: {}",
                    kinds.join(", ")
                ),
            ));
        };
        let (path, from, location, fetch) = match kind.get_ref() {
            FeedKind::Pages => {
                let (path, location) = self.pages_folder(source, entry, base, id.get_ref())?;
                (path, None, location, FetchOptions::default())
            }
            FeedKind::Feed => {
                if let Some(keep) = &self.keep {
                    return Err(source.error(
                        keep.span(),
                        format!(
                            "\"keep\" is only for kind \"epaper\" (days of editions), but {feed} \
                             has kind \"feed\"; remove it, or use max_items"
                        ),
                    ));
                }
                let (from, location) = self.web_source(source, entry, base, id.get_ref())?;
                let store = self.store(source, base, id.get_ref())?;
                (
                    store,
                    Some(from),
                    location,
                    self.fetch_options(source, id.get_ref())?,
                )
            }
            FeedKind::Epaper => {
                let (from, location) = self.edition_source(source, entry, id.get_ref())?;
                let store = self.store(source, base, id.get_ref())?;
                (
                    store,
                    Some(from),
                    location,
                    self.fetch_options(source, id.get_ref())?,
                )
            }
        };
        if let Some(section) = &self.section
            && section.get_ref().trim().is_empty()
        {
            return Err(source.error(
                section.span(),
                format!("empty section for {feed}; name a section or remove the line"),
            ));
        }
        let feed = FeedConfig {
            id: id.get_ref().clone(),
            title: title.into_inner(),
            kind: *kind.get_ref(),
            path,
            source: from,
            section: self.section.map(Spanned::into_inner),
            fetch,
            location,
        };
        Ok((feed, id))
    }

    /// The folder of a `pages` feed, which takes none of the web feed keys.
    fn pages_folder(
        &self,
        source: &Source<'_>,
        entry: Range<usize>,
        base: &Path,
        id: &str,
    ) -> Result<(PathBuf, String), ConfigError> {
        let feed = format!("feed {id:?}");
        let web_only = [
            ("url", self.url.as_ref().map(Spanned::span)),
            ("store", self.store.as_ref().map(Spanned::span)),
            ("interval", self.interval.as_ref().map(Spanned::span)),
            ("timeout", self.timeout.as_ref().map(Spanned::span)),
            ("max_items", self.max_items.as_ref().map(Spanned::span)),
            ("max_size", self.max_size.as_ref().map(Spanned::span)),
            ("headers", self.headers.as_ref().map(Spanned::span)),
            ("keep", self.keep.as_ref().map(Spanned::span)),
        ];
        let first = web_only
            .into_iter()
            .filter_map(|(key, span)| Some((key, span?)))
            .min_by_key(|(_, span)| span.start);
        if let Some((key, span)) = first {
            let (kind, what) = match key {
                "keep" => ("epaper", "e-paper editions"),
                _ => ("feed", "web feeds"),
            };
            return Err(source.error(
                span,
                format!(
                    "{key:?} is only for kind \"{kind}\" ({what}), but {feed} has kind \"pages\"; \
                     remove it, or set kind = \"{kind}\""
                ),
            ));
        }
        let Some(path) = &self.path else {
            return Err(source.error(
                entry,
                format!(
                    "missing \"path\" for {feed}; kind \"pages\" reads a folder of stored pages: \
                     add path = \"feeds/{id}\""
                ),
            ));
        };
        if path.get_ref().is_empty() {
            return Err(source.error(
                path.span(),
                format!("empty path for {feed}; name the folder of stored pages"),
            ));
        }
        Ok((base.join(path.get_ref()), source.location(path.span())))
    }

    /// A web feed's `url` or `path`, exactly one of them, and its location.
    fn web_source(
        &self,
        source: &Source<'_>,
        entry: Range<usize>,
        base: &Path,
        id: &str,
    ) -> Result<(FeedSource, String), ConfigError> {
        let feed = &format!("feed {id:?}");
        match (&self.url, &self.path) {
            (Some(url), Some(path)) => {
                let second = if url.span().start > path.span().start {
                    url.span()
                } else {
                    path.span()
                };
                Err(source.error(
                    second,
                    format!(
                        "{feed} has both url and path; keep url to fetch the feed from the web, \
                         or path to read a local feed file"
                    ),
                ))
            }
            (None, None) => Err(source.error(
                entry,
                format!(
                    "missing \"url\" for {feed}; kind \"feed\" needs url = \"https://…\", \
                     or path = \"…\" naming a local feed file"
                ),
            )),
            (Some(url), None) => {
                check_url(source, url, feed)?;
                let from = FeedSource::Url(url.get_ref().clone());
                Ok((from, source.location(url.span())))
            }
            (None, Some(path)) => {
                if path.get_ref().is_empty() {
                    return Err(source.error(
                        path.span(),
                        format!("empty path for {feed}; name a local feed file, or use url"),
                    ));
                }
                let from = FeedSource::File(base.join(path.get_ref()));
                Ok((from, source.location(path.span())))
            }
        }
    }

    /// The `url` of an e-paper feed: the first 版面 of an edition, with the
    /// date as `{yyyy}`, `{yy}`, `{mm}`, `{m}`, `{dd}`, `{d}`.
    fn edition_source(
        &self,
        source: &Source<'_>,
        entry: Range<usize>,
        id: &str,
    ) -> Result<(FeedSource, String), ConfigError> {
        let feed = &format!("feed {id:?}");
        if let Some(path) = &self.path {
            return Err(source.error(
                path.span(),
                format!(
                    "{feed} has kind \"epaper\", which fetches from the paper's site; \
                     remove path and give url = \"https://…/node_01.html\""
                ),
            ));
        }
        let Some(url) = &self.url else {
            return Err(source.error(
                entry,
                format!(
                    "missing \"url\" for {feed}; kind \"epaper\" needs the address of an \
                     edition's first 版面, with the date as {{yyyy}}{{mm}}{{dd}}, such as \
                     url = \"https://paper.example.com/pc/layout/{{yyyy}}{{mm}}/{{dd}}/node_01.html\""
                ),
            ));
        };
        check_url(source, url, feed)?;
        if let Err(bad) = expand_date(url.get_ref(), 2000, 1, 1) {
            return Err(source.error(
                url.span(),
                format!(
                    "url for {feed} has {bad}; the date is written {{yyyy}}, {{yy}}, {{mm}}, \
                     {{m}}, {{dd}} or {{d}}"
                ),
            ));
        }
        Ok((
            FeedSource::Url(url.get_ref().clone()),
            source.location(url.span()),
        ))
    }

    /// A web feed's `store` folder, by default `feeds/<id>`.
    fn store(&self, source: &Source<'_>, base: &Path, id: &str) -> Result<PathBuf, ConfigError> {
        match &self.store {
            Some(store) if store.get_ref().is_empty() => Err(source.error(
                store.span(),
                format!(
                    "empty store for feed {id:?}; name a folder, \
                     or remove the line for the default, feeds/{id}"
                ),
            )),
            Some(store) => Ok(base.join(store.get_ref())),
            None => Ok(base.join("feeds").join(id)),
        }
    }

    fn fetch_options(&self, source: &Source<'_>, id: &str) -> Result<FetchOptions, ConfigError> {
        let feed = &format!("feed {id:?}");
        let defaults = FetchOptions::default();
        let number =
            |value: &Option<Spanned<i64>>, limit: Limit| -> Result<Option<u32>, ConfigError> {
                value
                    .as_ref()
                    .map(|value| limit.check(source, value, feed))
                    .transpose()
            };
        let interval = number(
            &self.interval,
            Limit {
                key: "interval",
                max: 10_080,
                unit: "minutes",
                unset: "to fetch on every `kanbao fetch`".to_owned(),
            },
        )?;
        let timeout = number(
            &self.timeout,
            Limit {
                key: "timeout",
                max: 600,
                unit: "seconds",
                unset: format!("for the default, {}", defaults.timeout_secs),
            },
        )?;
        let max_items = number(
            &self.max_items,
            Limit {
                key: "max_items",
                max: 100_000,
                unit: "items",
                unset: "to keep every item".to_owned(),
            },
        )?;
        let max_size = number(
            &self.max_size,
            Limit {
                key: "max_size",
                max: 1024,
                unit: "MB",
                unset: format!("for the default, {}", defaults.max_bytes / MB),
            },
        )?;
        let headers = match &self.headers {
            Some(headers) => check_headers(source, headers.get_ref(), feed)?,
            None => Vec::new(),
        };
        let keep = number(
            &self.keep,
            Limit {
                key: "keep",
                max: 366,
                unit: "days",
                unset: "to fetch today's edition only".to_owned(),
            },
        )?;
        Ok(FetchOptions {
            interval_minutes: interval,
            timeout_secs: timeout.unwrap_or(defaults.timeout_secs),
            max_items: max_items.map(|n| n as usize),
            max_bytes: max_size.map_or(defaults.max_bytes, |n| u64::from(n) * MB),
            headers,
            keep_days: keep.unwrap_or(defaults.keep_days),
        })
    }
}

/// `template` with its date placeholders filled in: `{yyyy}`, `{yy}`,
/// `{mm}`, `{m}`, `{dd}`, `{d}`. Any other `{…}` is the error, quoted.
pub fn expand_date(template: &str, year: i32, month: u32, day: u32) -> Result<String, String> {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return Err("a \"{\" without its \"}\"".to_owned());
        };
        let value = match &after[..close] {
            "yyyy" => format!("{year:04}"),
            "yy" => format!("{:02}", year.rem_euclid(100)),
            "mm" => format!("{month:02}"),
            "m" => month.to_string(),
            "dd" => format!("{day:02}"),
            "d" => day.to_string(),
            other => return Err(format!("an unknown placeholder {{{other}}}")),
        };
        out.push_str(&value);
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The range of a whole-number option of a web feed, from 1 to `max`.
struct Limit {
    key: &'static str,
    max: u32,
    unit: &'static str,
    /// What leaving the option out does, after "remove the line".
    unset: String,
}

impl Limit {
    fn check(
        &self,
        source: &Source<'_>,
        value: &Spanned<i64>,
        feed: &str,
    ) -> Result<u32, ConfigError> {
        match u32::try_from(*value.get_ref()) {
            Ok(n) if (1..=self.max).contains(&n) => Ok(n),
            _ => Err(source.error(
                value.span(),
                format!(
                    "{:?} for {feed} must be 1-{} ({}), found {}; \
                     write a number in that range, or remove the line {}",
                    self.key,
                    self.max,
                    self.unit,
                    value.get_ref(),
                    self.unset
                ),
            )),
        }
    }
}

/// A web feed's url: `http://` or `https://` and a host.
fn check_url(source: &Source<'_>, url: &Spanned<String>, feed: &str) -> Result<(), ConfigError> {
    let text = url.get_ref();
    if text.trim().is_empty() {
        return Err(source.error(
            url.span(),
            format!(
                "empty url for {feed}; write the feed's address, such as \"https://…/rss.xml\""
            ),
        ));
    }
    let rest = ["http://", "https://"].iter().find_map(|scheme| {
        text.get(..scheme.len())
            .filter(|start| start.eq_ignore_ascii_case(scheme))
            .map(|_| &text[scheme.len()..])
    });
    let Some(rest) = rest else {
        return Err(source.error(
            url.span(),
            format!(
                "url {text:?} for {feed} does not start with http:// or https://; \
                 write the full address, or use path = \"…\" for a local feed file"
            ),
        ));
    };
    if let Some(c) = text.chars().find(|c| c.is_whitespace() || c.is_control()) {
        let what = if c == ' ' {
            "a space".to_owned()
        } else {
            format!("the character U+{:04X}", u32::from(c))
        };
        return Err(source.error(
            url.span(),
            format!(
                "url {text:?} for {feed} contains {what}; \
                 write the address as the browser shows it, with spaces as %20"
            ),
        ));
    }
    if rest.split(['/', '?', '#']).next().is_none_or(str::is_empty) {
        return Err(source.error(
            url.span(),
            format!("url {text:?} for {feed} names no host; write it as \"https://host/…\""),
        ));
    }
    Ok(())
}

/// The characters of a header name (RFC 7230 `token`).
fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

fn check_headers(
    source: &Source<'_>,
    headers: &RawHeaders,
    feed: &str,
) -> Result<Vec<(String, String)>, ConfigError> {
    let mut checked: Vec<(String, String)> = Vec::with_capacity(headers.0.len());
    for (name, value) in &headers.0 {
        let text = name.get_ref();
        if text.is_empty() || !text.chars().all(is_token_char) {
            return Err(source.error(
                name.span(),
                format!(
                    "invalid header name {text:?} for {feed}; use letters, digits and \
                     !#$%&'*+-.^_`|~ only, such as \"User-Agent\""
                ),
            ));
        }
        if let Some((earlier, _)) = checked
            .iter()
            .find(|(earlier, _)| earlier.eq_ignore_ascii_case(text))
        {
            return Err(source.error(
                name.span(),
                format!(
                    "header {text:?} for {feed} is already set as {earlier:?} \
                     (header names ignore case); keep one of them"
                ),
            ));
        }
        if let Some(control) = value
            .get_ref()
            .chars()
            .find(|&c| c.is_control() && c != '\t')
        {
            return Err(source.error(
                value.span(),
                format!(
                    "value of header {text:?} for {feed} contains the control character U+{:04X}; \
                     remove it",
                    u32::from(control)
                ),
            ));
        }
        checked.push((text.clone(), value.get_ref().clone()));
    }
    Ok(checked)
}

/// `headers = { Name = "value", … }` as written, in the file's order (the
/// deserializer hands keys over sorted).
struct RawHeaders(Vec<(Spanned<String>, Spanned<String>)>);

impl<'de> Deserialize<'de> for RawHeaders {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(HeadersVisitor)
    }
}

struct HeadersVisitor;

impl<'de> Visitor<'de> for HeadersVisitor {
    type Value = RawHeaders;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a table")
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<RawHeaders, A::Error> {
        let mut headers = Vec::new();
        while let Some(entry) = map.next_entry()? {
            headers.push(entry);
        }
        headers.sort_by_key(|(name, _): &(Spanned<String>, _)| name.span().start);
        Ok(RawHeaders(headers))
    }
}

fn indent<'de, D: de::Deserializer<'de>>(deserializer: D) -> Result<u8, D::Error> {
    deserializer.deserialize_any(WholeNumber { min: 0, max: 8 })
}

/// `[text] ambiguous_width`: how many columns the terminal gives East
/// Asian ambiguous characters (`“ ” … ⑤ —`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AmbiguousWidth {
    /// Asked of the terminal when the reader starts
    /// (`ui::probe`); 1 until then, and for commands.
    Auto,
    /// As configured: 1 or 2.
    Columns(u8),
}

impl AmbiguousWidth {
    /// The columns to measure with: 1 while not known.
    pub fn columns(self) -> u8 {
        match self {
            AmbiguousWidth::Auto => 1,
            AmbiguousWidth::Columns(n) => n,
        }
    }
}

impl<'de> Deserialize<'de> for AmbiguousWidth {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(AmbiguousVisitor)
    }
}

/// `"auto"`, 1 or 2.
struct AmbiguousVisitor;

impl AmbiguousVisitor {
    fn number<E: de::Error>(value: i128, unexpected: Unexpected<'_>) -> Result<AmbiguousWidth, E> {
        match value {
            1 | 2 => Ok(AmbiguousWidth::Columns(value as u8)),
            _ => Err(E::invalid_value(unexpected, &AmbiguousVisitor)),
        }
    }
}

impl Visitor<'_> for AmbiguousVisitor {
    type Value = AmbiguousWidth;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"auto\", 1 or 2")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<AmbiguousWidth, E> {
        match value {
            "auto" => Ok(AmbiguousWidth::Auto),
            _ => Err(E::invalid_value(Unexpected::Str(value), &self)),
        }
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<AmbiguousWidth, E> {
        Self::number(value.into(), Unexpected::Signed(value))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<AmbiguousWidth, E> {
        Self::number(value.into(), Unexpected::Unsigned(value))
    }

    fn visit_i128<E: de::Error>(self, value: i128) -> Result<AmbiguousWidth, E> {
        Self::number(value, Unexpected::Other("a larger number"))
    }
}

fn measure<'de, D: de::Deserializer<'de>>(deserializer: D) -> Result<u8, D::Error> {
    deserializer.deserialize_any(WholeNumber {
        min: 0,
        max: MAX_MEASURE,
    })
}

/// The longest measure `[ui] measure` takes, in Han characters.
pub const MAX_MEASURE: u8 = 120;

fn browser<'de, D: de::Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    deserializer.deserialize_any(CommandLine).map(Some)
}

/// A command line with a program in it and no control characters.
struct CommandLine;

impl Visitor<'_> for CommandLine {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<String, E> {
        if text.trim().is_empty() {
            return Err(E::custom(
                "empty command; name a browser such as \"firefox\", \
                 or remove the line to use $BROWSER, else xdg-open (open on macOS)",
            ));
        }
        if let Some(c) = text.chars().find(|c| c.is_control() && !c.is_whitespace()) {
            return Err(E::custom(format!(
                "the command contains the control character U+{:04X}; remove it",
                u32::from(c)
            )));
        }
        Ok(text.to_owned())
    }
}

/// The colour names [`Color`]'s `FromStr` reads (it also takes `light-red`,
/// `bright red`, `grey`, `silver` and the like), as listed in messages.
const COLOUR_NAMES: [&str; 17] = [
    "black",
    "red",
    "green",
    "yellow",
    "blue",
    "magenta",
    "cyan",
    "gray",
    "darkgray",
    "lightred",
    "lightgreen",
    "lightyellow",
    "lightblue",
    "lightmagenta",
    "lightcyan",
    "white",
    "reset",
];

/// Starts the message of a colour [`Color`] does not read; [`Source::schema_error`]
/// adds the role and the fix.
const UNKNOWN_COLOUR: &str = "unknown colour ";

fn colour<'de, D: de::Deserializer<'de>>(deserializer: D) -> Result<Color, D::Error> {
    deserializer.deserialize_any(ColourVisitor)
}

/// A colour as [`Color`]'s `FromStr` reads it: a name, `#rrggbb`, or an index
/// 0-255, which may also be written as a TOML number.
struct ColourVisitor;

impl Visitor<'_> for ColourVisitor {
    type Value = Color;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a colour (a name, #rrggbb or 0-255)")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Color, E> {
        text.parse()
            .map_err(|_| E::custom(format!("{UNKNOWN_COLOUR}{text:?}")))
    }

    fn visit_i64<E: de::Error>(self, index: i64) -> Result<Color, E> {
        u8::try_from(index)
            .map(Color::Indexed)
            .map_err(|_| E::custom(format!("{UNKNOWN_COLOUR}{index}")))
    }

    fn visit_u64<E: de::Error>(self, index: u64) -> Result<Color, E> {
        u8::try_from(index)
            .map(Color::Indexed)
            .map_err(|_| E::custom(format!("{UNKNOWN_COLOUR}{index}")))
    }
}

/// A whole number in `min..=max`, described that way in messages.
struct WholeNumber {
    min: u8,
    max: u8,
}

impl WholeNumber {
    fn check<E: de::Error>(&self, value: i128, unexpected: Unexpected<'_>) -> Result<u8, E> {
        match u8::try_from(value) {
            Ok(n) if (self.min..=self.max).contains(&n) => Ok(n),
            _ => Err(E::invalid_value(unexpected, self)),
        }
    }
}

impl Visitor<'_> for WholeNumber {
    type Value = u8;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.max == self.min + 1 {
            write!(f, "{} or {}", self.min, self.max)
        } else {
            write!(f, "a whole number {}-{}", self.min, self.max)
        }
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<u8, E> {
        self.check(value.into(), Unexpected::Signed(value))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<u8, E> {
        self.check(value.into(), Unexpected::Unsigned(value))
    }

    fn visit_i128<E: de::Error>(self, value: i128) -> Result<u8, E> {
        self.check(value, Unexpected::Other("a larger number"))
    }
}

/// The text being parsed and its name, for turning byte spans into messages.
struct Source<'a> {
    text: &'a str,
    display: &'a str,
}

impl Source<'_> {
    fn location(&self, span: Range<usize>) -> String {
        let (line, column) = line_col(self.text.as_bytes(), span.start);
        format!("{}:{line}:{column}", self.display)
    }

    fn error(&self, span: Range<usize>, message: impl Into<String>) -> ConfigError {
        ConfigError::new(Some(self.location(span)), message.into())
    }

    fn error_at(&self, span: Option<Range<usize>>, message: String) -> ConfigError {
        match span {
            Some(span) => self.error(span, message),
            None => ConfigError::new(Some(self.display.to_owned()), message),
        }
    }

    /// The source text of `span`: its first line, shortened.
    fn snippet(&self, span: &Range<usize>) -> String {
        let text = self.text.get(span.clone()).unwrap_or("");
        let line = text.lines().next().unwrap_or("").trim();
        match line.char_indices().nth(40) {
            Some((end, _)) => format!("{}…", &line[..end]),
            None => line.to_owned(),
        }
    }

    /// The table header (`[text]`) on the line of `span`, if that line is one.
    fn header_at(&self, span: &Range<usize>) -> Option<&str> {
        let before = self.text.as_bytes().get(..span.start)?;
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |newline| newline + 1);
        let line = self.text.get(line_start..)?.lines().next()?.trim_start();
        let end = line.rfind(']')?;
        line.starts_with('[').then(|| &line[..=end])
    }

    fn syntax_error(&self, error: &toml::de::Error) -> ConfigError {
        let span = error.span();
        let message = match (error.message(), &span) {
            ("duplicate key", Some(span)) => match self.header_at(span) {
                Some(header) => {
                    format!(
                        "table {header} is defined twice; put all its keys under one {header} header"
                    )
                }
                None => format!(
                    "duplicate key {:?}; each key may be set only once",
                    self.snippet(span)
                ),
            },
            (message, _) => format!("invalid TOML: {message}"),
        };
        self.error_at(span, message)
    }

    /// serde would also read a struct from an array, so that `[[text]]` or
    /// `text = [2, true, 1]` would pass; tables must be written as tables.
    fn check_tables(&self, document: &DeTable<'_>) -> Result<(), ConfigError> {
        for (key, value) in document {
            let key = key.get_ref().as_ref();
            let misfit = match (key, value.get_ref()) {
                ("text" | "keys" | "theme" | "ui" | "sync", DeValue::Table(_)) => None,
                ("text" | "keys" | "theme" | "ui" | "sync", other) => Some((value, other)),
                ("feeds", DeValue::Array(entries)) => entries
                    .iter()
                    .find(|entry| !entry.get_ref().is_table())
                    .map(|entry| (entry, entry.get_ref())),
                _ => None,
            };
            if let Some((at, found)) = misfit {
                let (key, expected) = match key {
                    "feeds" => ("feeds", "a table for each entry"),
                    key => (key, "a table"),
                };
                let message = wrong_type(key, "at top level", expected, found);
                return Err(self.error(at.span(), message));
            }
        }
        Ok(())
    }

    /// Rewords serde's message for a well-formed file that does not fit the schema.
    fn schema_error(&self, error: &toml::de::Error, document: &DeTable<'_>) -> ConfigError {
        let span = error.span();
        let message = error.message();
        let found = span.as_ref().and_then(|span| Found::search(document, span));
        let Some(mut found) = found else {
            return self.error_at(span, message.to_owned());
        };
        if message.starts_with("unknown variant ") && found.at_key && found.table_name() == "[keys]"
        {
            let names: Vec<&str> = Action::ALL.iter().map(|action| action.name()).collect();
            let message = format!(
                "unknown action {:?} in [keys]; expected one of: {}",
                found.key,
                names.join(", ")
            );
            return self.error_at(span, message);
        }
        if message.starts_with("unknown variant ") {
            found = found.lift_enum();
        }
        let table = found.table_phrase();
        let key = &found.key;
        let reworded = if let Some(rest) = message.strip_prefix("unknown field ") {
            let names = backticked(rest);
            let unknown = names.first().copied().unwrap_or(key.as_str());
            match names.get(1..).unwrap_or(&[]) {
                [] => format!("unknown key {unknown:?} {table}; remove it"),
                [only] => format!("unknown key {unknown:?} {table}; expected {only}"),
                expected => format!(
                    "unknown key {unknown:?} {table}; expected one of: {}",
                    expected.join(", ")
                ),
            }
        } else if message.starts_with(UNKNOWN_COLOUR) {
            format!(
                "{message} for {key:?} {table}; use a name ({}), #rrggbb or 0-255",
                COLOUR_NAMES.join(", ")
            )
        } else if let Some(rest) = message.strip_prefix("unknown variant ") {
            let names = backticked(rest);
            let unknown = names.first().copied().unwrap_or("");
            format!(
                "unknown value {unknown:?} for {key:?} {table}; expected one of: {}",
                names.get(1..).unwrap_or(&[]).join(", ")
            )
        } else if message.starts_with("invalid type: ") || message == "wanted string or table" {
            let expected = match message.rsplit_once(", expected ") {
                Some((_, expected)) => plain_expected(expected),
                None => "a string",
            };
            wrong_type(key, &table, expected, found.value)
        } else if message.starts_with("invalid value: ")
            && let Some((_, expected)) = message.rsplit_once(", expected ")
            && let Some(span) = &span
        {
            format!(
                "invalid value for {key:?} {table}: expected {expected}, found {}",
                self.snippet(span)
            )
        } else {
            format!("{key:?} {table}: {message}")
        };
        self.error_at(span, reworded)
    }
}

/// The key an error's span points at, and the table holding it.
struct Found<'a> {
    /// Keys from the top down to the table holding `key`; `true` marks an
    /// entry of an array of tables.
    tables: Vec<(String, bool)>,
    key: String,
    value: &'a DeValue<'a>,
    /// Whether the span is the key's rather than the value's.
    at_key: bool,
}

impl<'a> Found<'a> {
    fn search(document: &'a DeTable<'a>, span: &Range<usize>) -> Option<Self> {
        Self::search_table(document, span, &mut Vec::new())
    }

    /// serde reports an enum written as a table (`kind = { rss = 1 }`) at its
    /// inner key; name the enum's own key instead.
    fn lift_enum(mut self) -> Self {
        if self.at_key
            && let Some((outer, _)) = self.tables.pop()
        {
            self.key = outer;
        }
        self
    }

    fn search_table(
        table: &'a DeTable<'a>,
        span: &Range<usize>,
        tables: &mut Vec<(String, bool)>,
    ) -> Option<Self> {
        for (key, value) in table {
            if key.span() == *span || value.span() == *span {
                return Some(Found {
                    tables: tables.clone(),
                    key: key.get_ref().to_string(),
                    value: value.get_ref(),
                    at_key: key.span() == *span,
                });
            }
            match value.get_ref() {
                DeValue::Table(inner) => {
                    tables.push((key.get_ref().to_string(), false));
                    if let Some(found) = Self::search_table(inner, span, tables) {
                        return Some(found);
                    }
                    tables.pop();
                }
                DeValue::Array(items) => {
                    for item in items {
                        if item.span() == *span {
                            return Some(Found {
                                tables: tables.clone(),
                                key: key.get_ref().to_string(),
                                value: item.get_ref(),
                                at_key: false,
                            });
                        }
                        if let DeValue::Table(inner) = item.get_ref() {
                            tables.push((key.get_ref().to_string(), true));
                            if let Some(found) = Self::search_table(inner, span, tables) {
                                return Some(found);
                            }
                            tables.pop();
                        }
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// `[text]`, `[[feeds]]`, or `top level`.
    fn table_name(&self) -> String {
        let names: Vec<&str> = self.tables.iter().map(|(name, _)| name.as_str()).collect();
        match self.tables.last() {
            None => "top level".to_owned(),
            Some((_, true)) => format!("[[{}]]", names.join(".")),
            Some((_, false)) => format!("[{}]", names.join(".")),
        }
    }

    /// `in [text]`, `in [[feeds]]`, or `at top level`.
    fn table_phrase(&self) -> String {
        if self.tables.is_empty() {
            "at top level".to_owned()
        } else {
            format!("in {}", self.table_name())
        }
    }
}

fn wrong_type(key: &str, table: &str, expected: &str, found: &DeValue<'_>) -> String {
    let found = plain_type(found);
    let hint = match (expected, found) {
        ("an array", "a table") => format!("; write [[{key}]] with double brackets"),
        ("a table", "an array") => format!("; write [{key}] with single brackets"),
        _ => String::new(),
    };
    format!("wrong type for {key:?} {table}: expected {expected}, found {found}{hint}")
}

/// The names between backticks in a serde message.
fn backticked(message: &str) -> Vec<&str> {
    message.split('`').skip(1).step_by(2).collect()
}

/// serde's "expected" wording in the words of a TOML file.
fn plain_expected(expected: &str) -> &str {
    match expected {
        "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" => "a whole number",
        "a sequence" => "an array",
        "a map" => "a table",
        "a boolean" => "true or false",
        other if other.starts_with("struct ") => "a table",
        other => other,
    }
}

fn plain_type(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "a whole number",
        DeValue::Float(_) => "a decimal number",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// 1-based line and column of byte `offset`, the column counted in characters.
fn line_col(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |newline| newline + 1);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let is_char_start = |b: &&u8| (**b & 0xC0) != 0x80;
    let column = before[line_start..].iter().filter(is_char_start).count() + 1;
    (line, column)
}
