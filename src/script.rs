//! Simplified ⇄ traditional Chinese at display time (`[text] script`).
//!
//! Stored text, JSON and the index keep the characters as the source wrote
//! them; the typesetter and the list views pass what they show through
//! [`Script::convert`]. Conversion is OpenCC's, phrase by phrase (头发 →
//! 頭髮, 发展 → 發展), through `ferrous-opencc`, whose dictionaries are
//! built into the binary. A converter is built once per direction, on
//! first use, and shared.

use std::borrow::Cow;
use std::sync::OnceLock;

use clap::ValueEnum;
use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;
use serde::Deserialize;

/// The script article text is shown in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, ValueEnum)]
#[serde(rename_all = "kebab-case")]
#[value(rename_all = "kebab-case")]
pub enum Script {
    /// As the source wrote it.
    #[default]
    AsStored,
    /// Simplified characters (OpenCC t2s).
    Simplified,
    /// Traditional characters, OpenCC's standard forms (s2t).
    Traditional,
    /// Traditional characters as written in Taiwan (s2tw).
    ZhTw,
    /// Traditional characters as written in Hong Kong (s2hk).
    ZhHk,
}

impl Script {
    pub const ALL: [Script; 5] = [
        Script::AsStored,
        Script::Simplified,
        Script::Traditional,
        Script::ZhTw,
        Script::ZhHk,
    ];

    /// The name written in `config.toml`.
    pub fn name(self) -> &'static str {
        match self {
            Script::AsStored => "as-stored",
            Script::Simplified => "simplified",
            Script::Traditional => "traditional",
            Script::ZhTw => "zh-tw",
            Script::ZhHk => "zh-hk",
        }
    }

    /// A short label for the status line, written in the script itself;
    /// none as stored.
    pub fn label(self) -> Option<&'static str> {
        match self {
            Script::AsStored => None,
            Script::Simplified => Some("简体"),
            Script::Traditional => Some("繁體"),
            Script::ZhTw => Some("臺灣"),
            Script::ZhHk => Some("香港"),
        }
    }

    /// The script after this one, as the `script` key cycles them.
    pub fn next(self) -> Script {
        let at = Script::ALL.iter().position(|s| *s == self).unwrap_or(0);
        Script::ALL[(at + 1) % Script::ALL.len()]
    }

    /// `text` in this script. Text with nothing to convert (no character
    /// outside ASCII, or as stored) comes back borrowed. Were the built-in
    /// dictionaries ever unreadable, text would be shown as stored.
    pub fn convert(self, text: &str) -> Cow<'_, str> {
        if text.is_ascii() {
            return Cow::Borrowed(text);
        }
        match self.converter() {
            Some(opencc) => Cow::Owned(opencc.convert(text)),
            None => Cow::Borrowed(text),
        }
    }

    fn converter(self) -> Option<&'static OpenCC> {
        static S2T: OnceLock<Option<OpenCC>> = OnceLock::new();
        static T2S: OnceLock<Option<OpenCC>> = OnceLock::new();
        static S2TW: OnceLock<Option<OpenCC>> = OnceLock::new();
        static S2HK: OnceLock<Option<OpenCC>> = OnceLock::new();
        let (cell, config) = match self {
            Script::AsStored => return None,
            Script::Simplified => (&T2S, BuiltinConfig::T2s),
            Script::Traditional => (&S2T, BuiltinConfig::S2t),
            Script::ZhTw => (&S2TW, BuiltinConfig::S2tw),
            Script::ZhHk => (&S2HK, BuiltinConfig::S2hk),
        };
        built(cell, config)
    }
}

/// The converter of `config`, built on first use; none were the built-in
/// dictionaries ever unreadable.
fn built(
    cell: &'static OnceLock<Option<OpenCC>>,
    config: BuiltinConfig,
) -> Option<&'static OpenCC> {
    cell.get_or_init(|| OpenCC::from_config(config).ok())
        .as_ref()
}

/// `text` in every script a search looks for it in: as given, simplified,
/// traditional, and traditional as written in Taiwan and in Hong Kong
/// (phrase by phrase, as [`Script::convert`] converts), without repeats,
/// the given form first.
///
/// Built for a command's start-up: the phrase dictionary from simplified
/// (the one costly to load, about 1 ms) is loaded once and the regional
/// forms are derived from its result, where [`Script::convert`] would
/// load it three times over.
pub fn forms(text: &str) -> Vec<String> {
    static S2T: OnceLock<Option<OpenCC>> = OnceLock::new();
    static T2S: OnceLock<Option<OpenCC>> = OnceLock::new();
    static T2TW: OnceLock<Option<OpenCC>> = OnceLock::new();
    static T2HK: OnceLock<Option<OpenCC>> = OnceLock::new();
    let mut forms = vec![text.to_owned()];
    if text.is_ascii() {
        return forms;
    }
    let mut add = |form: String| {
        if !forms.contains(&form) {
            forms.push(form);
        }
    };
    let convert = |cell, config, text: &str| built(cell, config).map(|c| c.convert(text));
    let Some(simplified) = convert(&T2S, BuiltinConfig::T2s, text) else {
        return forms;
    };
    add(simplified.clone());
    let Some(traditional) = convert(&S2T, BuiltinConfig::S2t, &simplified) else {
        return forms;
    };
    add(traditional.clone());
    for (cell, config) in [(&T2TW, BuiltinConfig::T2tw), (&T2HK, BuiltinConfig::T2hk)] {
        if let Some(regional) = convert(cell, config, &traditional) {
            add(regional);
        }
    }
    forms
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::Script;

    #[rstest]
    #[case::phrase_hair(Script::Traditional, "头发", "頭髮")]
    #[case::phrase_develop(Script::Traditional, "发展", "發展")]
    #[case::sentence(Script::Traditional, "开放中文转换", "開放中文轉換")]
    #[case::back(Script::Simplified, "頭髮與發展", "头发与发展")]
    #[case::taiwan(Script::ZhTw, "着", "著")]
    #[case::hong_kong(Script::ZhHk, "着", "着")]
    #[case::ascii_untouched(
        Script::Traditional,
        "https://example.com/a?b=1",
        "https://example.com/a?b=1"
    )]
    #[case::as_stored(Script::AsStored, "头发", "头发")]
    #[case::mixed(Script::Traditional, "2024年GDP增长5%", "2024年GDP增長5%")]
    fn converts(#[case] script: Script, #[case] text: &str, #[case] want: &str) {
        assert_eq!(script.convert(text), want);
    }

    #[rstest]
    #[case::simplified("创新", &["创新", "創新"])]
    #[case::traditional("發展", &["發展", "发展"])]
    #[case::phrase("头发", &["头发", "頭髮"])]
    #[case::regional("里面", &["里面", "裏面", "裡面"])]
    #[case::regional_typed("裡面", &["裡面", "里面", "裏面"])]
    #[case::nothing_to_convert("科技", &["科技"])]
    #[case::ascii("gdp", &["gdp"])]
    fn forms_a_search_looks_for(#[case] text: &str, #[case] want: &[&str]) {
        assert_eq!(super::forms(text), want);
    }

    /// Simplified text is found in whatever script it is shown in, and
    /// traditional text in its simplified form.
    #[test]
    fn the_forms_are_what_each_script_shows() {
        for text in ["头发与发展", "里面的着装", "计划与台湾", "开放中文转换"]
        {
            let forms = super::forms(text);
            for script in Script::ALL {
                let shown = script.convert(text);
                assert!(
                    forms.iter().any(|f| *f == shown),
                    "{script:?} {shown} not in {forms:?}"
                );
            }
        }
        for text in ["計畫與台灣", "頭髮與發展", "裡面的著裝"] {
            let shown = Script::Simplified.convert(text);
            assert!(super::forms(text).iter().any(|f| *f == shown), "{shown}");
        }
    }

    #[test]
    fn the_key_cycles_through_every_script_and_back() {
        let mut seen = vec![Script::AsStored];
        let mut s = Script::AsStored.next();
        while s != Script::AsStored {
            seen.push(s);
            s = s.next();
        }
        assert_eq!(seen, Script::ALL);
    }
}
