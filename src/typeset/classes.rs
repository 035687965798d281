//! The line-breaking classes of punctuation and kana, written down once.
//!
//! Each character that may not start a line (避头) or may not end one (避尾)
//! is listed here under its class in W3C's *Requirements for Japanese Text
//! Layout* (jlreq, the `cl-NN` numbers), which W3C's *Requirements for
//! Chinese Text Layout* (clreq) follows for its strict level, plus the two
//! classes clreq names on its own (分隔号 and 连接号). The wrapper's normal
//! path and its fallback split of over-long runs both ask [`class_of`], so
//! the two cannot disagree. README's "Line breaking" table is this table.

use std::sync::OnceLock;

/// A line-breaking class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// jlreq cl-01, clreq 开始标点 (opening brackets and quotes): never
    /// at a line end.
    Opening,
    /// jlreq cl-02, clreq 结束标点 (closing brackets and quotes): never at
    /// a line start.
    Closing,
    /// jlreq cl-03 (hyphens): never at a line start.
    Hyphen,
    /// jlreq cl-04 (dividing punctuation, 问号 叹号): never at a line
    /// start.
    Dividing,
    /// jlreq cl-05 (middle dots, colons, semicolons; clreq 间隔号): never
    /// at a line start.
    MiddleDot,
    /// jlreq cl-06 (full stops, 句号): never at a line start.
    FullStop,
    /// jlreq cl-07 (commas, 逗号 顿号): never at a line start.
    Comma,
    /// jlreq cl-08 (inseparable: 破折号 ——, 省略号 ……): never at a line
    /// start, and never split from the same mark beside it.
    Inseparable,
    /// jlreq cl-09 (iteration marks): never at a line start.
    Iteration,
    /// jlreq cl-10 (prolonged sound mark): never at a line start.
    ProlongedSound,
    /// jlreq cl-11 (small kana): never at a line start.
    SmallKana,
    /// jlreq cl-20 (postfixed abbreviations: units after a number): never
    /// at a line start.
    Postfixed,
    /// clreq 分隔号 (solidus): at the GB level neither at a line start nor
    /// at a line end.
    Solidus,
    /// clreq 连接号 (wave connectors, `1～5`): never at a line start.
    Connector,
}

impl Class {
    /// The class's name in its standard, as README's table gives it.
    pub fn name(self) -> &'static str {
        match self {
            Class::Opening => "jlreq cl-01 opening brackets (开始标点)",
            Class::Closing => "jlreq cl-02 closing brackets (结束标点)",
            Class::Hyphen => "jlreq cl-03 hyphens",
            Class::Dividing => "jlreq cl-04 dividing punctuation",
            Class::MiddleDot => "jlreq cl-05 middle dots (间隔号)",
            Class::FullStop => "jlreq cl-06 full stops",
            Class::Comma => "jlreq cl-07 commas",
            Class::Inseparable => "jlreq cl-08 inseparable (破折号, 省略号)",
            Class::Iteration => "jlreq cl-09 iteration marks",
            Class::ProlongedSound => "jlreq cl-10 prolonged sound mark",
            Class::SmallKana => "jlreq cl-11 small kana",
            Class::Postfixed => "jlreq cl-20 postfixed abbreviations",
            Class::Solidus => "clreq 分隔号 (solidus)",
            Class::Connector => "clreq 连接号 (connector)",
        }
    }

    /// Whether a character of the class may not start a line.
    pub fn no_start(self) -> bool {
        self != Class::Opening
    }

    /// Whether a character of the class may not end a line.
    pub fn no_end(self) -> bool {
        matches!(self, Class::Opening | Class::Solidus)
    }
}

/// Every class with its characters: the one place they are written.
pub const TABLE: &[(Class, &str)] = &[
    (Class::Opening, "（［｛〔〈《「『【〘〖〝‘“｟｢⦅«([{"),
    (Class::Closing, "）］｝〕〉》」』】〙〗〞〟’”｠｣⦆»)]}"),
    (Class::Hyphen, "‐〜゠–"),
    (Class::Dividing, "？！‼⁇⁈⁉?!"),
    (Class::MiddleDot, "・：；･·‧:;"),
    (Class::FullStop, "。．｡."),
    (Class::Comma, "、，､,"),
    (Class::Inseparable, "—―⸺⸻…‥"),
    (Class::Iteration, "ヽヾゝゞ々〻"),
    (Class::ProlongedSound, "ーｰ"),
    (
        Class::SmallKana,
        "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿｧｨｩｪｫｬｭｮｯ",
    ),
    (Class::Postfixed, "％‰°′″℃℉¢￠%"),
    (Class::Solidus, "／/"),
    (Class::Connector, "～~"),
];

/// The class of `c`, if it has one.
pub fn class_of(c: char) -> Option<Class> {
    // Most text is Han, Latin letters and digits, which have none.
    if c.is_ascii_alphanumeric() || ('\u{3400}'..='\u{9fff}').contains(&c) {
        return None;
    }
    // Every character of the table is in the Basic Multilingual Plane: a
    // byte per code point there, 0 for none, else the row of TABLE + 1.
    static BY_CODE_POINT: OnceLock<Vec<u8>> = OnceLock::new();
    let lookup = BY_CODE_POINT.get_or_init(|| {
        let mut lookup = vec![0u8; 0x10000];
        for (row, (_, chars)) in TABLE.iter().enumerate() {
            for c in chars.chars() {
                if let Some(slot) = lookup.get_mut(c as usize) {
                    *slot = row as u8 + 1;
                }
            }
        }
        lookup
    });
    let row = usize::from(*lookup.get(c as usize)?);
    TABLE.get(row.checked_sub(1)?).map(|(class, _)| *class)
}

/// No line may start with `c` (避头).
pub fn is_no_start(c: char) -> bool {
    class_of(c).is_some_and(Class::no_start)
}

/// No line may end with `c` (避尾).
pub fn is_no_end(c: char) -> bool {
    class_of(c).is_some_and(Class::no_end)
}

/// No break may fall between `a` and `b`: two of the same inseparable
/// mark (`——`, `……`, `⸺⸺`).
pub fn inseparable(a: char, b: char) -> bool {
    a == b && class_of(a) == Some(Class::Inseparable)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_character_has_one_class() {
        let mut seen = std::collections::HashMap::new();
        for (class, chars) in TABLE {
            for c in chars.chars() {
                if let Some(other) = seen.insert(c, *class) {
                    panic!("{c:?} is in {other:?} and {class:?}");
                }
                assert!((c as u32) < 0x10000, "{c:?} is outside the lookup");
                assert_eq!(class_of(c), Some(*class), "{c:?}");
            }
        }
        assert_eq!(class_of('国'), None);
        assert_eq!(class_of('a'), None);
        assert_eq!(class_of('7'), None);
    }

    #[test]
    fn the_issues_characters_are_kept_off_a_line_start() {
        for c in "⸺⸻―／~〟⦆»｠｣‐〜゠–‼⁇⁈⁉･‧．｡､ヽヾゝゞ々〻ーｰぁっ°′″℃‰¢℉".chars()
        {
            assert!(is_no_start(c), "{c:?}");
        }
        for c in "⦅«〝｟｢／/".chars() {
            assert!(is_no_end(c), "{c:?}");
        }
    }
}
