//! Byte decoding: turns the raw bytes of a stored page file into text.
//!
//! Pages reach the archive as UTF-8, as UTF-16 with a byte-order mark, or in
//! the legacy Chinese encodings GB18030/GBK and Big5 (and now and then a
//! Japanese or Korean one). [`decode`] tells them apart and decodes strictly:
//! a byte that is not valid in the chosen encoding is an error, never a
//! silent U+FFFD. It also refuses empty and binary files, so that the page
//! parser only ever sees text. Line ends are left exactly as stored; the
//! parser normalises them.
//!
//! All offsets in [`DecodeError`] count bytes from the start of the file,
//! byte-order mark included.

use std::borrow::Cow;
use std::fmt;

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{BIG5, DecoderResult, EUC_JP, EUC_KR, Encoding, GB18030, GBK, SHIFT_JIS, UTF_8};

/// How many leading bytes the control-byte check looks at.
const SNIFF_LEN: usize = 8 * 1024;

/// A file is binary when more than one in this many bytes of its first
/// [`SNIFF_LEN`] bytes are control bytes other than tab, line feed, carriage
/// return, form feed and escape. Text, even text with stray control bytes
/// pasted into it, has next to none; a quarter rejects only files that are
/// clearly not text, and leaves the odd stray byte to the typesetter, which
/// strips control characters anyway.
const CONTROL_RATIO: usize = 4;

/// How many leading bytes the encoding detector sees. Tens of thousands of
/// CJK characters settle the guess; the whole file is still decoded
/// strictly, and a wrong guess falls back to the other candidates.
const DETECT_LEN: usize = 64 * 1024;

/// The text of a file and the encoding it was stored in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static Encoding,
}

/// Why the bytes of a file are not readable text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// No bytes, or nothing but a byte-order mark.
    Empty,
    /// A NUL byte (at its offset), or a file whose first 8 KiB are more than
    /// a quarter control bytes (offset of the first one).
    Binary { offset: usize },
    /// Valid in none of the encodings tried; `offset` is that of the first
    /// byte that is not valid UTF-8 (for a file with a UTF-16 byte-order
    /// mark, the first byte that is not valid UTF-16).
    Undecodable { offset: usize },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => write!(f, "empty file; nothing to read"),
            Self::Binary { offset } => write!(
                f,
                "binary file (control byte at offset {offset}); kanbao reads plain-text pages"
            ),
            Self::Undecodable { offset } => write!(
                f,
                "not UTF-8, GB18030 or Big5 text (bad byte at offset {offset}); \
                 convert it to UTF-8, e.g. with iconv"
            ),
        }
    }
}

impl std::error::Error for DecodeError {}

/// Decodes the bytes of a stored page.
///
/// In order: a byte-order mark decides the encoding (UTF-8, UTF-16LE or
/// UTF-16BE); NUL bytes or a control-byte-heavy start mean a binary file;
/// valid UTF-8 is UTF-8; anything else is detected with chardetng and
/// decoded strictly as the guessed CJK encoding, falling back to GB18030 and
/// then Big5. Single-byte encodings are never accepted: they decode any
/// bytes at all, which would turn a wrong guess into mojibake.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let body = bytes.get(bom_len..).unwrap_or_default();
        if body.is_empty() {
            return Err(DecodeError::Empty);
        }
        if encoding != UTF_8 {
            return decode_utf16(encoding, body, bom_len);
        }
        check_binary(body, bom_len)?;
        return match valid_utf8(body) {
            Ok(text) => Ok(utf8(text)),
            Err(valid_up_to) => Err(DecodeError::Undecodable {
                offset: bom_len + valid_up_to,
            }),
        };
    }
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    check_binary(bytes, 0)?;
    match valid_utf8(bytes) {
        Ok(text) => Ok(utf8(text)),
        Err(valid_up_to) => decode_legacy(bytes).ok_or(DecodeError::Undecodable {
            offset: valid_up_to,
        }),
    }
}

/// `bytes` as UTF-8 text, or how many of them are valid UTF-8. Checked
/// with encoding_rs's SIMD validator: several times faster than the
/// standard library's on Chinese text, and every page is checked.
fn valid_utf8(bytes: &[u8]) -> Result<&str, usize> {
    match UTF_8.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(Cow::Borrowed(text)) => Ok(text),
        _ => Err(std::str::from_utf8(bytes).map_or_else(|e| e.valid_up_to(), str::len)),
    }
}

fn utf8(text: &str) -> Decoded {
    Decoded {
        text: text.to_owned(),
        encoding: UTF_8,
    }
}

/// Rejects a NUL anywhere, or a start too full of control bytes;
/// `base` is the offset of `body` in the file.
fn check_binary(body: &[u8], base: usize) -> Result<(), DecodeError> {
    // `contains` on bytes is memchr-fast; `position` runs only for binaries.
    if body.contains(&0) {
        let pos = body.iter().position(|&b| b == 0).unwrap_or(0);
        return Err(DecodeError::Binary { offset: base + pos });
    }
    let sniff = body.get(..SNIFF_LEN).unwrap_or(body);
    let controls = count_binary_controls(sniff);
    if controls * CONTROL_RATIO > sniff.len() {
        let first = sniff.iter().position(|&b| is_binary_control(b));
        return Err(DecodeError::Binary {
            offset: base + first.unwrap_or(0),
        });
    }
    Ok(())
}

/// Control bytes that do not occur in text: all of C0 except tab, line
/// feed, carriage return, form feed and escape. Without branches (`&`,
/// `|`), so that [`count_binary_controls`] is vectorised.
fn is_binary_control(b: u8) -> bool {
    (b < 0x20) & !((b == b'\t') | (b == b'\n') | (b == b'\r') | (b == 0x0c) | (b == 0x1b))
}

/// How many of `bytes` are [`is_binary_control`]: the start of every file
/// is counted, 255 bytes at a time in a byte each, which the compiler
/// turns into vector instructions.
fn count_binary_controls(bytes: &[u8]) -> usize {
    bytes
        .chunks(255)
        .map(|chunk| {
            let count = chunk
                .iter()
                .fold(0u8, |n, &b| n.wrapping_add(u8::from(is_binary_control(b))));
            usize::from(count)
        })
        .sum()
}

/// Decodes the body of a file that starts with a UTF-16 byte-order mark.
fn decode_utf16(
    encoding: &'static Encoding,
    body: &[u8],
    bom_len: usize,
) -> Result<Decoded, DecodeError> {
    let Some(text) = encoding.decode_without_bom_handling_and_without_replacement(body) else {
        return Err(DecodeError::Undecodable {
            offset: bom_len + first_malformed(encoding, body),
        });
    };
    if let Some(pos) = text.find('\0') {
        let units = text.get(..pos).unwrap_or_default().encode_utf16().count();
        return Err(DecodeError::Binary {
            offset: bom_len + 2 * units,
        });
    }
    Ok(Decoded {
        text: text.into_owned(),
        encoding,
    })
}

/// Offset of the first malformed sequence of `bytes` in `encoding`, found
/// by decoding into a small scratch buffer; the length of `bytes` when
/// there is none.
fn first_malformed(encoding: &'static Encoding, bytes: &[u8]) -> usize {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut scratch = [0u8; 4096];
    let mut pos = 0;
    loop {
        let rest = bytes.get(pos..).unwrap_or_default();
        let (result, read, _) =
            decoder.decode_to_utf8_without_replacement(rest, &mut scratch, true);
        pos += read;
        match result {
            DecoderResult::InputEmpty => return bytes.len(),
            DecoderResult::OutputFull => {}
            DecoderResult::Malformed(bad, after) => {
                return pos.saturating_sub(usize::from(bad) + usize::from(after));
            }
        }
    }
}

/// `bytes` decoded strictly in the encoding a charset label names (`utf-8`,
/// `gb2312`, `big5` …); `None` for a label no encoding has, or a byte the
/// encoding does not map.
pub fn labelled(label: &str, bytes: &[u8]) -> Option<String> {
    strictly(Encoding::for_label(label.trim().as_bytes())?, bytes)
}

/// `bytes` decoded in `encoding` with no replacement character: `None` at
/// the first byte it does not map. GBK (which the GB2312 label also names
/// on the web) is read as GB18030, which decodes both.
pub fn strictly(encoding: &'static Encoding, bytes: &[u8]) -> Option<String> {
    let encoding = if encoding == GBK { GB18030 } else { encoding };
    encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|text| text.into_owned())
}

/// Bytes that are neither UTF-8 nor UTF-16/32, decoded in the encoding
/// chardetng guesses, whatever it is (KOI8-R, windows-1255, TIS-620 …),
/// and else as [`decode_legacy`] would. For documents that name their
/// encoding nowhere, such as a feed without an XML declaration: a guess
/// of a single-byte encoding is kept because the caller says it guessed.
pub fn detected(bytes: &[u8]) -> Option<Decoded> {
    let guess = guess(bytes);
    strictly(guess, bytes)
        .map(|text| Decoded {
            text,
            encoding: guess,
        })
        .or_else(|| decode_legacy(bytes))
}

/// Which of UTF-16 and UTF-32 a document is in, from its byte-order mark or
/// from how its first `<` is spelt (XML 1.0, appendix F), and how long the
/// mark is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wide {
    Utf16Be,
    Utf16Le,
    Utf32Be,
    Utf32Le,
}

impl Wide {
    pub fn sniff(bytes: &[u8]) -> Option<(Self, usize)> {
        let start = bytes.get(..4)?;
        Some(match start {
            [0, 0, 0xfe, 0xff] => (Self::Utf32Be, 4),
            [0xff, 0xfe, 0, 0] => (Self::Utf32Le, 4),
            [0, 0, 0, b'<'] => (Self::Utf32Be, 0),
            [b'<', 0, 0, 0] => (Self::Utf32Le, 0),
            [0xfe, 0xff, ..] => (Self::Utf16Be, 2),
            [0xff, 0xfe, ..] => (Self::Utf16Le, 2),
            [0, b'<', 0, b'?' | b'!' | b'r' | b'f'] => (Self::Utf16Be, 0),
            [b'<', 0, b'?' | b'!' | b'r' | b'f', 0] => (Self::Utf16Le, 0),
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Utf16Be => "UTF-16BE",
            Self::Utf16Le => "UTF-16LE",
            Self::Utf32Be => "UTF-32BE",
            Self::Utf32Le => "UTF-32LE",
        }
    }

    /// `bytes` (after the mark) decoded; `None` at the first unit that is
    /// not a character, unless `lossy`, which puts U+FFFD there and drops
    /// a trailing partial unit.
    pub fn decode(self, bytes: &[u8], lossy: bool) -> Option<String> {
        match self {
            Self::Utf16Be | Self::Utf16Le => {
                let encoding = if self == Self::Utf16Be {
                    encoding_rs::UTF_16BE
                } else {
                    encoding_rs::UTF_16LE
                };
                if lossy {
                    let (text, _) = encoding.decode_without_bom_handling(bytes);
                    Some(text.into_owned())
                } else {
                    strictly(encoding, bytes)
                }
            }
            Self::Utf32Be | Self::Utf32Le => {
                let mut text = String::with_capacity(bytes.len() / 4);
                for unit in bytes.chunks(4) {
                    let Ok(unit) = <[u8; 4]>::try_from(unit) else {
                        return lossy.then_some(text);
                    };
                    let code = if self == Self::Utf32Be {
                        u32::from_be_bytes(unit)
                    } else {
                        u32::from_le_bytes(unit)
                    };
                    match char::from_u32(code) {
                        Some(c) => text.push(c),
                        None if lossy => text.push(char::REPLACEMENT_CHARACTER),
                        None => return None,
                    }
                }
                Some(text)
            }
        }
    }
}

/// The start of a UTF-16 or UTF-32 document as text (lossy), for sniffing
/// what it is; `None` when it is in neither.
pub fn utf16_or_32(bytes: &[u8]) -> Option<String> {
    let (wide, mark) = Wide::sniff(bytes)?;
    wide.decode(bytes.get(mark..)?, true)
}

/// Detects and strictly decodes a legacy CJK encoding; `None` when no
/// candidate decodes every byte.
fn decode_legacy(bytes: &[u8]) -> Option<Decoded> {
    let guess = guess(bytes);
    let guessed = if guess == GBK || guess == GB18030 {
        Some(GB18030)
    } else if [BIG5, SHIFT_JIS, EUC_JP, EUC_KR].contains(&guess) {
        Some(guess)
    } else {
        None
    };
    let mut candidates = Vec::with_capacity(3);
    candidates.extend(guessed);
    for fallback in [GB18030, BIG5] {
        if !candidates.contains(&fallback) {
            candidates.push(fallback);
        }
    }
    candidates.into_iter().find_map(|encoding| {
        encoding
            .decode_without_bom_handling_and_without_replacement(bytes)
            .map(|text| Decoded {
                text: text.into_owned(),
                encoding,
            })
    })
}

/// chardetng's guess from the first [`DETECT_LEN`] bytes, UTF-8 excluded
/// (the caller has already ruled it out).
fn guess(bytes: &[u8]) -> &'static Encoding {
    let sample = bytes.get(..DETECT_LEN).unwrap_or(bytes);
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(sample, sample.len() == bytes.len());
    detector.guess(None, Utf8Detection::Deny)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_bytes_are_counted_as_one_by_one() {
        let by_one = |b: u8| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b);
        for b in 0..=u8::MAX {
            assert_eq!(is_binary_control(b), by_one(b), "{b:#04x}");
        }
        // Longer than a chunk of 255, and with more controls than a u8 holds.
        let bytes: Vec<u8> = (0..3000u32).map(|n| (n * 7 % 256) as u8).collect();
        let expected = bytes.iter().filter(|&&b| by_one(b)).count();
        assert_eq!(count_binary_controls(&bytes), expected);
        assert_eq!(count_binary_controls(&[1; 600]), 600);
    }
}
