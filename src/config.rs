//! `config.toml`: which feeds to read, how to show their text, and the
//! keys, colours and mouse handling of the terminal UI.
//!
//! [`locate`] finds the file (`--config`, `$KANBAO_CONFIG`, the XDG config
//! folder, then `./config.toml`), [`load`] reads it and [`parse`] checks it.
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
}

/// One `[[feeds]]` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedConfig {
    /// Short stable name, `[a-z0-9_-]+`, unique within the file.
    pub id: String,
    pub title: String,
    pub kind: FeedKind,
    /// The feed's folder; a relative `path` is resolved against the config file's folder.
    pub path: PathBuf,
    /// Reserved for web feeds; always `None` for kind `pages`.
    pub url: Option<String>,
    /// Section for pages whose file name and header name none.
    pub section: Option<String>,
    /// `FILE:LINE:COL` of this feed's `path` value, to begin later messages about the feed.
    pub location: String,
}

/// Where a feed's articles come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FeedKind {
    /// A folder of stored page `.txt` files.
    Pages,
}

impl FeedKind {
    pub const ALL: [FeedKind; 1] = [FeedKind::Pages];

    /// The name written in `config.toml`.
    pub fn name(self) -> &'static str {
        match self {
            FeedKind::Pages => "pages",
        }
    }
}

/// The `[text]` table: how article text is laid out.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TextOptions {
    /// Full-width spaces before each paragraph, 0-8.
    #[serde(deserialize_with = "indent")]
    pub indent: u8,
    /// Show punctuation in Chinese text in its full-width form.
    pub fullwidth_punctuation: bool,
    /// Terminal columns taken by East Asian "ambiguous" characters such as “ ” and —: 1 or 2.
    #[serde(deserialize_with = "ambiguous_width")]
    pub ambiguous_width: u8,
}

impl Default for TextOptions {
    fn default() -> Self {
        TextOptions {
            indent: 2,
            fullwidth_punctuation: true,
            ambiguous_width: 1,
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
}

impl Default for Ui {
    fn default() -> Self {
        Ui { mouse: true }
    }
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
             pass --config PATH, set $KANBAO_CONFIG, or create {}",
            xdg.display(),
            xdg.display()
        ),
        None => format!(
            "no config.toml found (looked in {local_shown}; $HOME is not set); \
             pass --config PATH, set $KANBAO_CONFIG, or create {local_shown}"
        ),
    };
    Err(ConfigError::new(None, message))
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
    parse(text, path, display)
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
    Ok(Config {
        path: path.to_path_buf(),
        display: display.to_owned(),
        feeds,
        text: raw.text,
        keymap,
        theme: raw.theme,
        ui: raw.ui,
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
    section: Option<Spanned<String>>,
}

impl RawFeed {
    fn check(
        self,
        source: &Source<'_>,
        entry: Range<usize>,
        base: &Path,
        earlier_ids: &[Spanned<String>],
    ) -> Result<(FeedConfig, Spanned<String>), ConfigError> {
        let Some(id) = self.id else {
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
        let Some(title) = self.title else {
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
        let Some(kind) = self.kind else {
            let kinds: Vec<&str> = FeedKind::ALL.iter().map(|kind| kind.name()).collect();
            return Err(source.error(
                entry,
                format!(
                    "missing \"kind\" for {feed}; add kind = \"…\", one of: {}",
                    kinds.join(", ")
                ),
            ));
        };
        if let Some(url) = &self.url {
            return Err(source.error(
                url.span(),
                format!(
                    "{feed} has a url, but kind {:?} reads a folder; use `path`",
                    kind.get_ref().name()
                ),
            ));
        }
        let Some(path) = self.path else {
            return Err(source.error(
                entry,
                format!(
                    "missing \"path\" for {feed}; kind {:?} reads a folder of stored pages: \
                     add path = \"feeds/{}\"",
                    kind.get_ref().name(),
                    id.get_ref()
                ),
            ));
        };
        if path.get_ref().is_empty() {
            return Err(source.error(
                path.span(),
                format!("empty path for {feed}; name the folder of stored pages"),
            ));
        }
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
            path: base.join(path.get_ref()),
            url: None,
            section: self.section.map(Spanned::into_inner),
            location: source.location(path.span()),
        };
        Ok((feed, id))
    }
}

fn indent<'de, D: de::Deserializer<'de>>(deserializer: D) -> Result<u8, D::Error> {
    deserializer.deserialize_any(WholeNumber { min: 0, max: 8 })
}

fn ambiguous_width<'de, D: de::Deserializer<'de>>(deserializer: D) -> Result<u8, D::Error> {
    deserializer.deserialize_any(WholeNumber { min: 1, max: 2 })
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
                ("text" | "keys" | "theme" | "ui", DeValue::Table(_)) => None,
                ("text" | "keys" | "theme" | "ui", other) => Some((value, other)),
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
