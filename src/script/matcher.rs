//! One step of a conversion: OpenCC's forward maximum matching over a
//! step's dictionaries, compiled by `build.rs`.
//!
//! At each position the longest dictionary key that starts there is
//! replaced by its replacement and the matching goes on after it; where no
//! key starts, the character is kept. That is a leftmost-longest
//! Aho-Corasick search, so one pass over the text finds every replacement.
//! Nothing here reads files or parses dictionaries: a step is its automaton
//! deserialized from bytes built into the binary, and a string of
//! replacements it points into.

use std::borrow::Cow;
use std::sync::OnceLock;

use daachorse::CharwiseDoubleArrayAhoCorasick;

/// A compiled step: which dictionaries, see `build.rs`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Step {
    /// STPhrases, then STCharacters: simplified to traditional.
    S2t,
    /// TSPhrases, then TSCharacters: traditional to simplified.
    T2s,
    /// TWVariants: OpenCC traditional to Taiwan's forms.
    Tw,
    /// HKVariants: OpenCC traditional to Hong Kong's forms.
    Hk,
}

pub(super) struct Matcher {
    automaton: CharwiseDoubleArrayAhoCorasick<u32>,
    /// Every replacement, back to back; a match's value is its offset
    /// shifted left by 8 and its length in bytes.
    replacements: &'static str,
}

impl Step {
    /// The step's matcher, loaded on first use and shared; none were the
    /// built-in data ever unreadable.
    pub(super) fn matcher(self) -> Option<&'static Matcher> {
        macro_rules! built {
            ($name:literal) => {
                (
                    include_bytes!(concat!(env!("OUT_DIR"), "/", $name, ".daac")).as_slice(),
                    include_str!(concat!(env!("OUT_DIR"), "/", $name, ".values")),
                )
            };
        }
        let (automaton, replacements) = match self {
            Step::S2t => built!("s2t"),
            Step::T2s => built!("t2s"),
            Step::Tw => built!("tw"),
            Step::Hk => built!("hk"),
        };
        self.cell()
            .get_or_init(|| Matcher::load(automaton, replacements))
            .as_ref()
    }

    /// Whether the step's matcher is loaded already.
    pub(super) fn loaded(self) -> bool {
        self.cell().get().is_some()
    }

    fn cell(self) -> &'static OnceLock<Option<Matcher>> {
        static S2T: OnceLock<Option<Matcher>> = OnceLock::new();
        static T2S: OnceLock<Option<Matcher>> = OnceLock::new();
        static TW: OnceLock<Option<Matcher>> = OnceLock::new();
        static HK: OnceLock<Option<Matcher>> = OnceLock::new();
        match self {
            Step::S2t => &S2T,
            Step::T2s => &T2S,
            Step::Tw => &TW,
            Step::Hk => &HK,
        }
    }
}

impl Matcher {
    fn load(automaton: &[u8], replacements: &'static str) -> Option<Matcher> {
        let (automaton, rest) =
            CharwiseDoubleArrayAhoCorasick::<u32>::deserialize(automaton).ok()?;
        rest.is_empty().then_some(Matcher {
            automaton,
            replacements,
        })
    }

    fn replacement(&self, value: u32) -> Option<&'static str> {
        let start = (value >> 8) as usize;
        let end = start + (value & 0xff) as usize;
        self.replacements.get(start..end)
    }

    /// `text` with every key replaced; borrowed when no replacement
    /// changes anything.
    pub(super) fn apply<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let mut out: Option<String> = None;
        // `text[..copied]` is in `out` already.
        let mut copied = 0;
        for found in self.automaton.leftmost_find_iter(text) {
            let (Some(key), Some(before)) = (
                text.get(found.start()..found.end()),
                text.get(copied..found.start()),
            ) else {
                continue;
            };
            let Some(replacement) = self.replacement(found.value()) else {
                continue;
            };
            if replacement == key {
                continue;
            }
            let out = out.get_or_insert_with(|| String::with_capacity(text.len() + 16));
            out.push_str(before);
            out.push_str(replacement);
            copied = found.end();
        }
        match out {
            None => Cow::Borrowed(text),
            Some(mut out) => {
                out.push_str(text.get(copied..).unwrap_or_default());
                Cow::Owned(out)
            }
        }
    }
}

/// `text` through `steps` in order; borrowed when none changes anything,
/// as stored were a step's data ever unreadable.
pub(super) fn run<'a>(steps: &[Step], text: &'a str) -> Cow<'a, str> {
    if steps.iter().any(|step| step.matcher().is_none()) {
        return Cow::Borrowed(text);
    }
    let mut text = Cow::Borrowed(text);
    for matcher in steps.iter().filter_map(|step| step.matcher()) {
        text = match text {
            Cow::Borrowed(text) => matcher.apply(text),
            Cow::Owned(owned) => {
                let changed = match matcher.apply(&owned) {
                    Cow::Owned(changed) => Some(changed),
                    Cow::Borrowed(_) => None,
                };
                Cow::Owned(changed.unwrap_or(owned))
            }
        };
    }
    text
}
