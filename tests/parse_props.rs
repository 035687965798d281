//! Properties of the page parser over generated input: it never panics,
//! and no Han character of the input goes missing from the articles.

mod common;

use common::text::missing_han;
use kanbao::source::{decode, page};
use proptest::prelude::*;

/// Han characters of a page generator: common words of news text, role
/// words, units and a few rare characters. `图` is left out: a placed
/// caption's label (`图①：`) is layout, tested in tests/layouts.rs.
const HAN: &str = "本报讯记者通讯员会议指出全市科技工作创新平台企业发展年月日亿元个项家驻马店市局长访谈学习贯彻党的二十大精神巾帼竞芬芳灿烂耀春晖投球插花拔河王伟张宁黄育南袁浩楠新华社北京电版式设计要闻科教第版广告说明片摄文龘靐";
const PUNCT: &str = "。，、；：？！“”（）《》……——,.;:?!()";

fn text_char() -> impl Strategy<Value = char> {
    let han: Vec<char> = HAN.chars().collect();
    let punct: Vec<char> = PUNCT.chars().collect();
    prop_oneof![
        6 => proptest::sample::select(han),
        2 => proptest::sample::select(punct),
        1 => proptest::char::range('0', '9'),
        1 => proptest::char::range('a', 'z'),
        1 => proptest::sample::select(vec![' ', '\u{3000}', '\u{a0}', '\t']),
        1 => proptest::char::range('\u{2460}', '\u{2473}'),
        1 => proptest::char::range('\u{4e00}', '\u{9fff}'),
    ]
}

fn line() -> impl Strategy<Value = String> {
    let free = proptest::collection::vec(text_char(), 1..80).prop_map(|c| c.into_iter().collect());
    prop_oneof![
        6 => free,
        1 => Just("记者 黄育南 张宁".to_owned()),
        1 => Just("（王 旭 姜 来）".to_owned()),
        1 => Just("⑤3".to_owned()),
        1 => Just("投球。⑥2".to_owned()),
        1 => Just("第05版：科教".to_owned()),
        1 => Just("新华社记者  张伟摄".to_owned()),
        1 => Just("图片说明：".to_owned()),
        1 => Just("新闻速递".to_owned()),
        1 => Just("本报讯(记者 黄育南 通讯员 袁浩楠)3月7日,会议召开。".to_owned()),
    ]
}

fn page_text() -> impl Strategy<Value = String> {
    let entry = (
        any::<bool>(),
        line(),
        0usize..4,
        proptest::sample::select(vec!["\n", "\r\n", "\r"]),
    );
    proptest::collection::vec(entry, 0..40).prop_map(|lines| {
        let mut text = String::new();
        for (indent, line, blanks, end) in lines {
            if indent {
                text.push_str("\u{3000}\u{3000}");
            }
            text.push_str(&line);
            for _ in 0..=blanks {
                text.push_str(end);
            }
        }
        text
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        if let Ok(decoded) = decode::decode(&bytes) {
            let _ = page::parse(&decoded.text, "fuzz.txt");
        }
        let _ = page::parse(&String::from_utf8_lossy(&bytes), "fuzz.txt");
    }

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        let _ = page::parse(&text, "fuzz.txt");
    }

    #[test]
    fn no_han_character_is_lost(text in page_text()) {
        let parsed = page::parse(&text, "gen.txt");
        let missing = missing_han(&text, &parsed.articles);
        prop_assert!(missing.is_empty(), "missing {missing:?}\n{text:?}");
    }
}
