//! Single-byte code pages outside the WHATWG Encoding Standard, which
//! encoding_rs reads: DOS (cp437, cp850 …), EBCDIC (cp037, cp500 …), the
//! Mac scripts, KOI8-T, and the Python spellings of the Windows code pages
//! (`windows_1254`, `cp1125`). Feeds from old systems still declare them.
//!
//! The tables are data (`codepages.txt`, written by `tools/codepages.py`
//! from the Unicode consortium's mappings as Python ships them): per line,
//! the labels, a tab, and 256 code points in hex.

const TABLES: &str = include_str!("codepages.txt");

/// The table of a label, as 256 hex code points; labels match whatever
/// their case and whether `-`, `_` or a space joins their parts.
fn table(label: &str) -> Option<&'static str> {
    let wanted: String = label
        .trim()
        .chars()
        .map(|c| match c {
            '-' | ' ' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    TABLES.lines().find_map(|line| {
        let (labels, points) = line.split_once('\t')?;
        labels.split(',').any(|l| l == wanted).then_some(points)
    })
}

/// Whether `label` names one of these code pages.
pub fn knows(label: &str) -> bool {
    table(label).is_some()
}

/// `bytes` decoded in the code page `label` names; `None` for a label it
/// does not name, or at a byte the code page does not define.
pub fn decode(label: &str, bytes: &[u8]) -> Option<String> {
    let points = table(label)?.as_bytes();
    let mut map = ['\u{fffd}'; 256];
    for (n, slot) in map.iter_mut().enumerate() {
        let hex = std::str::from_utf8(points.get(n * 4..n * 4 + 4)?).ok()?;
        *slot = char::from_u32(u32::from_str_radix(hex, 16).ok()?)?;
    }
    bytes
        .iter()
        .map(|&b| Some(map[usize::from(b)]).filter(|c| *c != '\u{fffd}'))
        .collect()
}

/// The start of an EBCDIC XML document (`<?xm` in code page 037), whose
/// declaration names its code page; decode it as 037 to read that name.
pub fn is_ebcdic_xml(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x4c, 0x6f, 0xa7, 0x94])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dos_mac_and_ebcdic_pages() {
        assert_eq!(decode("cp437", b"\x80\x82").as_deref(), Some("Çé"));
        assert_eq!(decode("IBM850", b"\x80").as_deref(), Some("Ç"));
        assert_eq!(decode("macroman", b"\x80").as_deref(), Some("Ä"));
        assert_eq!(decode("windows_1254", b"\x80").as_deref(), Some("€"));
        assert_eq!(
            decode("ebcdic-cp-us", b"\xc8\x85\x93\x93\x96").as_deref(),
            Some("Hello")
        );
        assert_eq!(
            decode("cp037", &[0x4c, 0x6f, 0xa7, 0x94]).as_deref(),
            Some("<?xm")
        );
        assert!(knows("CP437") && knows("windows-1254") && knows("EBCDIC-CP-US"));
        assert!(!knows("gb2312"));
        assert_eq!(decode("no-such-page", b"a"), None);
    }
}
