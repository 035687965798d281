//! A web feed's items of one day, kept in one text file.
//!
//! A store holds `items-YYYY-MM-DD.txt` per day (`items-undated.txt` for
//! items of no date); each item in it starts with a line
//! `+++ item <hash> +++` (the [`guid_hash`] of its guid) followed by the
//! text an item file holds on its own ([`super::item`]). Writing 5,000 items
//! as a few files instead of 5,000 is what makes a first fetch fast, and
//! every item stays readable and greppable as text.
//!
//! A line of an item's own text that looks like a delimiter (`+++ item…`,
//! after any number of `\`) is written with one more `\` in front and read
//! back with one less, so no text can split an item or start a new one.
//!
//! An item keeps the name it would have as a file of its own
//! ([`file_name`]): its article id is made from that name, so it is the
//! same whether the item is in an old one-file-per-item store or a bundle.

/// How a delimiter line starts.
pub const DELIMITER: &str = "+++ item ";

/// How a delimiter line ends.
const DELIMITER_END: &str = " +++";

/// The text a delimiter line must not hide behind (escaped when an item's
/// line starts with it, after any `\`).
const GUARDED: &str = "+++ item";

/// The file an item with this guid is stored in on its own (a name, not a
/// path): `<slug>-<hash>.txt`, the slug only ASCII letters, digits and `-`,
/// so no guid (`../../x`, `C:\x`) names a path outside its store.
pub fn file_name(guid: &str) -> String {
    let tail = guid
        .trim_end_matches(['/', '\\'])
        .rsplit(['/', '\\', ':', '?', '=', '#'])
        .find(|s| !s.is_empty())
        .unwrap_or("");
    let tail = tail.rsplit_once('.').map_or(tail, |(stem, _)| stem);
    let mut slug: String = tail
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    slug = slug
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    slug.truncate(40);
    let slug = slug.trim_end_matches('-');
    let slug = if slug.is_empty() { "item" } else { slug };
    format!("{slug}-{}.txt", guid_hash(guid))
}

/// 12 hex digits of a stable 64-bit FNV-1a hash of `guid` (mixed, so that
/// neighbours differ everywhere).
pub fn guid_hash(guid: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in guid.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    format!("{:012x}", h >> 16)
}

/// The bundle of items of `date` (`YYYY-MM-DD`); anything else, or no
/// date, is `items-undated.txt`.
pub fn day_name(date: Option<&str>) -> String {
    match date.filter(|d| is_plain_date(d)) {
        Some(date) => format!("items-{date}.txt"),
        None => "items-undated.txt".to_owned(),
    }
}

/// Whether a file name is one [`day_name`] gives.
pub fn is_day_name(name: &str) -> bool {
    name.strip_prefix("items-")
        .and_then(|n| n.strip_suffix(".txt"))
        .is_some_and(|d| d == "undated" || is_plain_date(d))
}

fn is_plain_date(d: &str) -> bool {
    let b = d.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

/// Whether `text` is a bundle: its first line is a delimiter.
pub fn is_bundle(text: &str) -> bool {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.split('\n').next().unwrap_or("");
    delimiter_hash(first).is_some()
}

/// The hash a delimiter line names; `None` for any other line.
fn delimiter_hash(line: &str) -> Option<&str> {
    line.trim_end_matches('\r')
        .strip_prefix(DELIMITER)?
        .strip_suffix(DELIMITER_END)
        .map(str::trim)
}

/// Appends one item to a bundle's text: the delimiter line with the hash
/// of `guid`, then `text` (an item file's text) with its delimiter-like
/// lines escaped.
pub fn push_item(out: &mut String, guid: &str, text: &str) {
    push_chunk(out, &guid_hash(guid), text);
}

/// Appends one item whose hash is known (read from a bundle).
pub fn push_chunk(out: &mut String, hash: &str, text: &str) {
    out.push_str(DELIMITER);
    out.push_str(hash);
    out.push_str(DELIMITER_END);
    out.push('\n');
    if !text.contains(GUARDED) {
        // No line to escape: the text as it is, at once.
        out.push_str(text);
    } else {
        push_escaped(out, text);
    }
    if !text.is_empty() && !text.ends_with('\n') {
        out.push('\n');
    }
}

/// `text` with each line that looks like a delimiter escaped.
fn push_escaped(out: &mut String, text: &str) {
    for line in text.split_inclusive('\n') {
        if line.trim_start_matches('\\').starts_with(GUARDED) {
            out.push('\\');
        }
        out.push_str(line);
    }
}

/// One item of a bundle as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    /// The hash its delimiter line names.
    pub hash: String,
    /// The item's text, unescaped: what its own file would hold.
    pub text: String,
    /// Line numbers (from 1) of its delimiter and of its last line.
    pub first_line: usize,
    pub last_line: usize,
}

/// The items of a bundle's text, in order. Text before the first delimiter
/// (there is none in a bundle kanbao wrote) is not an item and is skipped.
pub fn split(text: &str) -> Vec<Chunk> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut chunks: Vec<Chunk> = Vec::new();
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let number = n + 1;
        let bare = line.trim_end_matches(['\n', '\r']);
        if let Some(hash) = delimiter_hash(bare) {
            chunks.push(Chunk {
                hash: hash.to_owned(),
                text: String::new(),
                first_line: number,
                last_line: number,
            });
            continue;
        }
        let Some(chunk) = chunks.last_mut() else {
            continue;
        };
        let unescaped = match line.strip_prefix('\\') {
            Some(rest) if rest.trim_start_matches('\\').starts_with(GUARDED) => rest,
            _ => line,
        };
        chunk.text.push_str(unescaped);
        chunk.last_line = number;
    }
    chunks
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;
    use std::path::Path;

    #[rstest]
    #[case::url("https://example.com/news/2023/0308/abc.html", "abc-")]
    #[case::trailing_slash("https://example.com/story/", "story-")]
    #[case::escape_up("../../x", "x-")]
    #[case::windows("C:\\x", "x-")]
    #[case::han("https://example.com/新闻/", "item-")]
    #[case::query("https://example.com/?p=123", "123-")]
    #[case::empty("", "item-")]
    fn names_stay_inside_the_folder(#[case] guid: &str, #[case] start: &str) {
        let name = file_name(guid);
        assert!(name.starts_with(start), "{name}");
        assert!(
            name.ends_with(&format!("-{}.txt", guid_hash(guid))),
            "{name}"
        );
        assert!(
            name.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.'),
            "{name}"
        );
        assert!(!name.starts_with('.'));
        assert_eq!(Path::new(&name).components().count(), 1);
    }

    #[test]
    fn the_hash_is_the_one_readme_shows() {
        assert_eq!(guid_hash("https://example.com/news/1.html"), "4d857fcd63c6");
        assert_eq!(
            file_name("https://example.com/news/1.html"),
            "1-4d857fcd63c6.txt"
        );
    }

    #[test]
    fn distinct_guids_get_distinct_files() {
        assert_ne!(file_name("https://a/x.html"), file_name("https://b/x.html"));
        assert_eq!(file_name("https://a/x.html"), file_name("https://a/x.html"));
    }

    #[rstest]
    #[case::day(Some("2023-03-08"), "items-2023-03-08.txt")]
    #[case::none(None, "items-undated.txt")]
    #[case::path(Some("../-..-../"), "items-undated.txt")]
    #[case::short(Some("2023-3-8"), "items-undated.txt")]
    fn day_names(#[case] date: Option<&str>, #[case] name: &str) {
        assert_eq!(day_name(date), name);
        assert!(is_day_name(name));
    }

    #[rstest]
    #[case::plain("+++\nguid = \"a\"\n+++\n\n第一段。\n")]
    #[case::delimiter("+++\nguid = \"a\"\n+++\n\n+++ item 0123456789ab +++\n")]
    #[case::escaped("+++\nguid = \"a\"\n+++\n\n\\+++ item 0123456789ab +++\n")]
    #[case::twice("+++\nguid = \"a\"\n+++\n\n\\\\+++ item x +++\n+++ item\n")]
    #[case::crlf("+++\r\nguid = \"a\"\r\n+++\r\n\r\n+++ item 1 +++\r\n")]
    #[case::backslash("+++\nguid = \"a\"\n+++\n\n\\ 不是分隔行\n")]
    fn items_read_back_exactly(#[case] text: &str) {
        let mut bundle = String::new();
        push_item(&mut bundle, "a", text);
        push_item(&mut bundle, "b", "+++\nguid = \"b\"\n+++\n");
        let chunks = split(&bundle);
        assert_eq!(chunks.len(), 2, "{bundle}");
        assert_eq!(chunks[0].text, text);
        assert_eq!(chunks[0].hash, guid_hash("a"));
        assert_eq!(chunks[1].text, "+++\nguid = \"b\"\n+++\n");
        assert_eq!(chunks[1].first_line, chunks[0].last_line + 1);
        assert!(is_bundle(&bundle));
    }

    #[test]
    fn an_item_file_is_no_bundle() {
        assert!(!is_bundle("+++\nguid = \"a\"\n+++\n"));
        assert!(!is_bundle("第一版"));
    }
}
