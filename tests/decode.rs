//! Decoding the bytes of stored pages: UTF-8, UTF-16 with a byte-order mark,
//! GB18030/GBK, Big5, and the errors for empty, binary and undecodable files.

use std::path::PathBuf;

use encoding_rs::{BIG5, EUC_KR, Encoding, GB18030, GBK, SHIFT_JIS, UTF_8, UTF_16BE, UTF_16LE};
use kanbao::source::decode::{DecodeError, decode};
use proptest::prelude::*;
use rstest::rstest;

/// Two paragraphs of the sample page (simplified characters, half-width
/// punctuation as stored), with a CR LF line end in the middle.
const SIMPLIFIED: &str = "\
本报讯(记者 黄育南 张宁 通讯员 袁浩楠)3月7日,驻马店市科技局召开2023年全市科技工作暨党风廉政建设工作会议,\
回顾总结2022年工作,部署2023年重点任务,动员全市科技系统奋力建设区域创新高地,为“两个确保”提供有力支撑。\r\n\
\r\n\
会议指出,2022年,全市科技工作全面贯彻新发展理念,落实高质量发展要求,深入实施创新驱动发展战略,积极培育创新主体,\
加强创新平台、科技人才队伍建设和成果转化,推动科技创新工作取得了显著成效。⑤3\n";

/// Text that only GB18030 can encode: 䶮 (U+4DAE, CJK Extension A) is a
/// four-byte sequence, outside GBK.
const GB18030_ONLY: &str = "\
五代十国时期,南汉开国皇帝刘䶮在广州称帝,改元乾亨。\n\
史书记载,他取“飞龙在天”之意,自造此字为名。\n";

const TRADITIONAL: &str = "\
本報訊(記者 陳志明)高雄市政府昨日宣布,將在明年完成輕軌環狀線全線通車,沿線十二個車站同步啟用。\n\
\n\
市府交通局表示,通車後從鹽埕到凹子底只需二十分鐘,可望減少市區塞車,也讓觀光客更方便前往各個景點。\n";

const JAPANESE: &str = "\
東京都は今日、新しい防災計画を発表しました。地震や台風に備えて、避難所の数を増やし、\
住民への情報提供を強化するということです。\n";

const KOREAN: &str = "\
서울시는 오늘 새로운 대중교통 계획을 발표했습니다. 시민들의 출퇴근 시간을 줄이기 위해 \
지하철 노선을 늘리고 버스 배차 간격을 줄일 예정입니다.\n";

/// `text` in `encoding`, which must be able to encode every character.
fn encode(encoding: &'static Encoding, text: &str) -> Vec<u8> {
    let (bytes, used, had_errors) = encoding.encode(text);
    assert_eq!(
        used,
        encoding,
        "{} has no encoder of its own",
        encoding.name()
    );
    assert!(!had_errors, "{} cannot encode the text", encoding.name());
    bytes.into_owned()
}

fn utf16(big_endian: bool, text: &str) -> Vec<u8> {
    let mut bytes = if big_endian {
        vec![0xfe, 0xff]
    } else {
        vec![0xff, 0xfe]
    };
    for unit in text.encode_utf16() {
        let pair = if big_endian {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        };
        bytes.extend(pair);
    }
    bytes
}

fn with_prefix(prefix: &[u8], rest: &[u8]) -> Vec<u8> {
    [prefix, rest].concat()
}

#[rstest]
#[case::ascii(b"hello, world\n".to_vec(), "hello, world\n", UTF_8)]
#[case::utf8(SIMPLIFIED.as_bytes().to_vec(), SIMPLIFIED, UTF_8)]
#[case::utf8_bom_stripped(with_prefix(b"\xef\xbb\xbf", SIMPLIFIED.as_bytes()), SIMPLIFIED, UTF_8)]
#[case::whitespace_only(b" \r\n\t\n".to_vec(), " \r\n\t\n", UTF_8)]
#[case::stray_control_bytes(b"\x07Headline\x08 and \x1b[1mbold\x1b[0m text\n".to_vec(), "\x07Headline\x08 and \x1b[1mbold\x1b[0m text\n", UTF_8)]
#[case::utf16le_bom(utf16(false, SIMPLIFIED), SIMPLIFIED, UTF_16LE)]
#[case::utf16be_bom(utf16(true, TRADITIONAL), TRADITIONAL, UTF_16BE)]
#[case::utf16le_astral(utf16(false, "𠮷野家\n"), "𠮷野家\n", UTF_16LE)]
#[case::gbk(encode(GBK, SIMPLIFIED), SIMPLIFIED, GB18030)]
#[case::gb18030(encode(GB18030, SIMPLIFIED), SIMPLIFIED, GB18030)]
#[case::gb18030_four_byte(encode(GB18030, GB18030_ONLY), GB18030_ONLY, GB18030)]
#[case::gbk_two_characters(encode(GBK, "中文"), "中文", GB18030)]
#[case::big5(encode(BIG5, TRADITIONAL), TRADITIONAL, BIG5)]
#[case::shift_jis(encode(SHIFT_JIS, JAPANESE), JAPANESE, SHIFT_JIS)]
#[case::euc_kr(encode(EUC_KR, KOREAN), KOREAN, EUC_KR)]
fn decodes_text(#[case] bytes: Vec<u8>, #[case] text: &str, #[case] encoding: &'static Encoding) {
    let decoded = decode(&bytes).expect("decodes");
    assert_eq!(decoded.text, text);
    assert_eq!(decoded.encoding, encoding);
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/encodings")
        .join(name)
}

#[rstest]
#[case::gb18030_page("gb18030-page.txt", GB18030)]
#[case::gbk_crlf_page("gbk-crlf-page.txt", GB18030)]
#[case::big5_page("big5-page.txt", BIG5)]
fn decodes_fixture(#[case] name: &str, #[case] encoding: &'static Encoding) {
    let bytes = std::fs::read(fixture(name)).expect("fixture");
    let expected = std::fs::read_to_string(fixture(&format!("utf8/{name}"))).expect("twin");
    let decoded = decode(&bytes).expect("decodes");
    assert_eq!(decoded.text, expected);
    assert_eq!(decoded.encoding, encoding);
}

#[test]
fn crlf_fixture_keeps_its_line_ends() {
    let bytes = std::fs::read(fixture("gbk-crlf-page.txt")).expect("fixture");
    let text = decode(&bytes).expect("decodes").text;
    assert!(text.starts_with("巾帼竞芬芳 灿烂耀春晖\r\n\r\n记者 王伟 张宁 文/图\r\n"));
    assert_eq!(text.matches('\n').count(), text.matches("\r\n").count());
}

/// Valid in no encoding tried: 0xFF is never a lead byte in GB18030, Big5,
/// Shift_JIS, EUC-JP or EUC-KR, and the file starts with no byte-order mark.
const GARBAGE: &[u8] = b"A\xff\xfe\xfd\xff\xff";

#[test]
fn garbage_is_invalid_in_every_cjk_encoding() {
    for encoding in [GB18030, BIG5, SHIFT_JIS, encoding_rs::EUC_JP, EUC_KR] {
        assert!(
            encoding
                .decode_without_bom_handling_and_without_replacement(GARBAGE)
                .is_none(),
            "{} decodes it",
            encoding.name()
        );
    }
}

#[rstest]
#[case::empty(b"".to_vec(), DecodeError::Empty)]
#[case::utf8_bom_only(b"\xef\xbb\xbf".to_vec(), DecodeError::Empty)]
#[case::utf16le_bom_only(b"\xff\xfe".to_vec(), DecodeError::Empty)]
#[case::utf16be_bom_only(b"\xfe\xff".to_vec(), DecodeError::Empty)]
#[case::nul_first(b"\0abc".to_vec(), DecodeError::Binary { offset: 0 })]
#[case::nul_late(b"abc\ndef\0".to_vec(), DecodeError::Binary { offset: 7 })]
#[case::nul_counts_the_bom(b"\xef\xbb\xbfab\0".to_vec(), DecodeError::Binary { offset: 5 })]
#[case::nul_in_gbk(with_prefix(&encode(GBK, "中文"), b"\0"), DecodeError::Binary { offset: 4 })]
#[case::utf16_without_bom(utf16(false, "abc")[2..].to_vec(), DecodeError::Binary { offset: 1 })]
#[case::utf16_nul_character(utf16(false, "ab\0c"), DecodeError::Binary { offset: 6 })]
#[case::mostly_control_bytes(b"ab\x01\x02\x03\x04\x05\x06\x07cd".to_vec(), DecodeError::Binary { offset: 2 })]
#[case::garbage(GARBAGE.to_vec(), DecodeError::Undecodable { offset: 1 })]
#[case::garbage_after_gbk(with_prefix(&encode(GBK, SIMPLIFIED), b"\xff"), DecodeError::Undecodable { offset: 0 })]
#[case::utf8_bom_then_invalid(b"\xef\xbb\xbfab\xff".to_vec(), DecodeError::Undecodable { offset: 5 })]
#[case::utf16_odd_length(with_prefix(&utf16(false, "ab"), b"c"), DecodeError::Undecodable { offset: 6 })]
#[case::utf16_lone_surrogate(b"\xff\xfea\0\x00\xd8b\0".to_vec(), DecodeError::Undecodable { offset: 4 })]
fn refuses(#[case] bytes: Vec<u8>, #[case] error: DecodeError) {
    assert_eq!(decode(&bytes).map(|d| d.text), Err(error));
}

#[rstest]
#[case::empty(DecodeError::Empty, "empty file; nothing to read")]
#[case::binary(
    DecodeError::Binary { offset: 123 },
    "binary file (control byte at offset 123); kanbao reads plain-text pages"
)]
#[case::undecodable(
    DecodeError::Undecodable { offset: 17 },
    "not UTF-8, GB18030 or Big5 text (bad byte at offset 17); convert it to UTF-8, e.g. with iconv"
)]
fn explains(#[case] error: DecodeError, #[case] message: &str) {
    assert_eq!(error.to_string(), message);
}

proptest! {
    #[test]
    fn never_panics(
        prefix in prop_oneof![
            Just(&b""[..]),
            Just(&b"\xef\xbb\xbf"[..]),
            Just(&b"\xff\xfe"[..]),
            Just(&b"\xfe\xff"[..]),
        ],
        rest in proptest::collection::vec(any::<u8>(), 0..2048),
    ) {
        let bytes = with_prefix(prefix, &rest);
        if let Ok(decoded) = decode(&bytes) {
            prop_assert!(!decoded.text.is_empty());
            if decoded.encoding == UTF_8 {
                let body = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
                prop_assert_eq!(decoded.text.as_bytes(), body);
            }
        }
    }

    #[test]
    fn utf8_round_trips(text in "[^\\x00-\\x08\\x0b\\x0e-\\x1a\\x1c-\\x1f\u{feff}][^\\x00-\\x08\\x0b\\x0e-\\x1a\\x1c-\\x1f]*") {
        let decoded = decode(text.as_bytes());
        prop_assert_eq!(decoded.map(|d| (d.text, d.encoding)), Ok((text, UTF_8)));
    }

    #[test]
    fn utf8_without_nul_is_text_or_control_heavy(text in "[^\u{0}\u{feff}][^\u{0}]*") {
        match decode(text.as_bytes()) {
            Ok(decoded) => prop_assert_eq!(decoded.text, text),
            Err(DecodeError::Binary { offset }) => {
                prop_assert!(text.as_bytes()[offset] < 0x20);
            }
            Err(other) => prop_assert!(false, "unexpected {other:?}"),
        }
    }
}
