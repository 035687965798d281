//! Simplified ⇄ traditional Chinese at display time (`[text] script`).
//!
//! Stored text, JSON and the index keep the characters as the source wrote
//! them; the typesetter and the list views pass what they show through
//! [`Script::convert`]. Conversion is OpenCC's, phrase by phrase (头发 →
//! 頭髮, 发展 → 發展): its dictionaries (`data/opencc/`, OpenCC 1.3.0) are
//! compiled by `build.rs` into one matcher per step (`matcher`), and each
//! script is a chain of steps, as OpenCC's configurations chain them and as
//! `ferrous-opencc` 0.4 runs them (the converter this replaced: tests in
//! `differential` check that both give the same text). A step's matcher is
//! loaded on first use, from bytes in the binary (about 2 ms for the
//! phrases from simplified, well under 1 ms for each of the others), and
//! shared.

use std::borrow::Cow;

use clap::ValueEnum;
use serde::Deserialize;

use matcher::Step;

mod matcher;

#[cfg(test)]
mod differential;

/// OpenCC's configurations, as the steps they chain.
const S2T: &[Step] = &[Step::S2t];
const T2S: &[Step] = &[Step::T2s];
const S2TW: &[Step] = &[Step::S2t, Step::Tw];
const S2HK: &[Step] = &[Step::S2t, Step::Hk];
const T2TW: &[Step] = &[Step::Tw];
const T2HK: &[Step] = &[Step::Hk];

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
    /// outside ASCII, none the dictionaries change, or as stored) comes
    /// back borrowed. Were the built-in dictionaries ever unreadable, text
    /// would be shown as stored.
    pub fn convert(self, text: &str) -> Cow<'_, str> {
        if text.is_ascii() {
            return Cow::Borrowed(text);
        }
        matcher::run(self.chain(), text)
    }

    /// The steps of OpenCC's configuration for this script.
    fn chain(self) -> &'static [Step] {
        match self {
            Script::AsStored => &[],
            Script::Simplified => T2S,
            Script::Traditional => S2T,
            Script::ZhTw => S2TW,
            Script::ZhHk => S2HK,
        }
    }
}

/// `text` in every script a search looks for it in: as given, simplified,
/// traditional, and traditional as written in Taiwan and in Hong Kong
/// (phrase by phrase, as [`Script::convert`] converts), without repeats,
/// the given form first.
///
/// The regional forms are derived from the traditional one (OpenCC's
/// `t2tw` and `t2hk`), so the phrase step from simplified runs once.
pub fn forms(text: &str) -> Vec<String> {
    let mut forms = vec![text.to_owned()];
    if text.is_ascii() {
        return forms;
    }
    let mut add = |form: Cow<'_, str>| {
        if !forms.iter().any(|f| *f == form) {
            forms.push(form.into_owned());
        }
    };
    let simplified = matcher::run(T2S, text);
    add(simplified.clone());
    let traditional = matcher::run(S2T, &simplified);
    add(traditional.clone());
    for chain in [T2TW, T2HK] {
        add(matcher::run(chain, &traditional));
    }
    forms
}

/// Loads every table [`forms`] converts with (about 12 ms and 10 MiB,
/// once a process): a reader does it on a worker before its first
/// search, which would otherwise wait for them on the event loop.
pub fn prepare_forms() {
    let _ = forms("汉");
}

/// Whether [`prepare_forms`] (or a search) has loaded every table
/// [`forms`] converts with.
pub fn forms_prepared() -> bool {
    [Step::T2s, Step::S2t, Step::Tw, Step::Hk]
        .into_iter()
        .all(Step::loaded)
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
