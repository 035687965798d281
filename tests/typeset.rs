//! The typesetting rules, one named case each (issue 3): kinsoku at odd
//! widths, mixed scripts, `……` and `——`, numbers with units, URLs, the
//! sample's paragraphs, indentation, punctuation display, ambiguous width
//! and escape safety, through the public `wrap` and `layout`.

use kanbao::config::TextOptions;
use kanbao::model::{Article, Byline, Photo};
use kanbao::source::read_page;
use kanbao::typeset::{
    self, Context, Role, display_punctuation, is_no_end, is_no_start, str_width, wrap,
};
use rstest::rstest;

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/feeds/zhumadian-daily/undated/zhumadian-daily-page.txt"
);

fn sample_paragraphs() -> Vec<String> {
    let page = read_page(std::path::Path::new(SAMPLE), "sample").unwrap_or_else(|w| panic!("{w}"));
    page.articles
        .into_iter()
        .flat_map(|a| a.paragraphs)
        .collect()
}

/// Width, kinsoku and completeness, checked for any wrapped text.
fn assert_typeset(text: &str, lines: &[String], width: usize, indent: usize) {
    for line in lines {
        assert!(
            str_width(line, 1) <= width,
            "{line:?} is wider than {width}"
        );
    }
    for line in &lines[1..] {
        assert!(
            !line.starts_with(is_no_start),
            "line starts with closing punctuation: {line:?}"
        );
    }
    for line in &lines[..lines.len() - 1] {
        assert!(
            !line.ends_with(is_no_end),
            "line ends with opening punctuation: {line:?}"
        );
    }
    let joined: String = lines
        .concat()
        .chars()
        .skip(indent)
        .filter(|c| *c != ' ')
        .collect();
    let want: String = text.chars().filter(|c| *c != ' ').collect();
    assert_eq!(joined, want);
}

#[rstest]
#[case::w13_han_meets_the_edge(13)]
#[case::w41_han_meets_the_edge(41)]
fn odd_widths_fill_to_the_last_even_column(#[case] width: usize) {
    // Plain Han text: every line but the last holds width-1 columns, the
    // odd column left empty because a double-width character cannot be cut.
    let text = "驻马店市科技局召开全市科技工作暨党风廉政建设工作会议深入学习贯彻党的二十大精神全面落实全国全省科技工作会议部署";
    let lines = wrap(text, width, 0, 1);
    assert_typeset(text, &lines, width, 0);
    for line in &lines[..lines.len() - 1] {
        assert_eq!(str_width(line, 1), width - 1, "{line:?}");
    }
}

#[rstest]
#[case::comma_at_the_edge_pushes_its_character_down("一二三四五六，七八九", 12, &["一二三四五", "六，七八九"])]
#[case::comma_fits_the_edge("一二三四五六，七八九", 14, &["一二三四五六，", "七八九"])]
#[case::odd_edge("一二三四五六，七八九", 13, &["一二三四五", "六，七八九"])]
#[case::full_stop_never_starts("一二三四五六。七八九", 12, &["一二三四五", "六。七八九"])]
#[case::closing_quote_stays("一二三四“五六”七八", 12, &["一二三四“五", "六”七八"])]
#[case::opening_bracket_never_ends("一二三四五（六七）八", 11, &["一二三四五", "（六七）八"])]
fn kinsoku(#[case] text: &str, #[case] width: usize, #[case] want: &[&str]) {
    let lines = wrap(text, width, 0, 1);
    assert_eq!(lines, want);
}

#[test]
fn mixed_chinese_and_english_leave_no_gap() {
    // A Latin word in CJK text does not drag the CJK run after it to the
    // next line: the line is filled up to the width.
    let text = "私は ratatui が好きです。这是一个测试用的中文句子。";
    let lines = wrap(text, 20, 0, 1);
    assert_eq!(lines[0], "私は ratatui が好き");
    assert_typeset(text, &lines, 20, 0);
}

#[rstest]
#[case::ellipsis("拔河比赛、车轮滚滚……一项项比赛", "……")]
#[case::dash("会议强调——做好今年工作", "——")]
fn doubled_marks_are_never_split(#[case] text: &str, #[case] mark: &str) {
    for width in 6..=30 {
        let lines = wrap(text, width, 0, 1);
        assert_typeset(text, &lines, width, 0);
        assert!(
            lines.iter().any(|l| l.contains(mark)),
            "width {width}: {lines:?}"
        );
    }
}

#[rstest]
#[case::year("回顾总结2022年工作，部署2023年重点任务", "2023年")]
#[case::money("技术合同成交额36亿元；加大人才引育", "36亿元")]
#[case::percent("研发经费占比提高到6.65%，国家创新能力", "6.65%")]
#[case::count("带动形成14个国家级创新平台", "14个")]
#[case::url(
    "详见https://example.com/news/2023.html网页",
    "https://example.com/news/2023.html"
)]
#[case::latin_word("他说ratatui很好用", "ratatui")]
fn numbers_units_words_and_urls_stay_whole(#[case] text: &str, #[case] whole: &str) {
    // Room for the run and a punctuation mark glued to it.
    let needed = str_width(whole, 1) + 2;
    for width in needed.max(6)..=40 {
        let lines = wrap(text, width, 0, 1);
        assert_typeset(text, &lines, width, 0);
        assert!(
            lines.iter().any(|l| l.contains(whole)),
            "width {width}: {lines:?}"
        );
    }
}

#[test]
fn a_url_longer_than_the_line_is_cut_by_the_width() {
    let url = "https://example.com/a/very/long/path/to/an/article.html";
    let lines = wrap(url, 20, 0, 1);
    assert_typeset(url, &lines, 20, 0);
    assert!(lines.len() >= 3);
}

#[rstest]
#[case::w20(20)]
#[case::w41(41)]
#[case::w80(80)]
fn sample_paragraphs_at(#[case] width: usize) {
    for p in sample_paragraphs() {
        let shown = display_punctuation(&p);
        let lines = wrap(&shown, width, 2, 1);
        assert!(lines[0].starts_with("\u{3000}\u{3000}"));
        assert_typeset(&shown, &lines, width, 2);
    }
}

#[rstest]
#[case::default_two(2, "\u{3000}\u{3000}会")]
#[case::off(0, "会")]
#[case::four(4, "\u{3000}\u{3000}\u{3000}\u{3000}会")]
fn indent_is_configurable(#[case] indent: usize, #[case] start: &str) {
    let lines = wrap("会议指出，全市科技工作全面贯彻新发展理念。", 40, indent, 1);
    assert!(lines[0].starts_with(start), "{lines:?}");
    assert!(!lines[0].starts_with(&format!("{start}\u{3000}")));
}

#[test]
fn indent_is_not_trimmed_when_the_first_word_is_wide() {
    let lines = wrap("2023年是开局之年", 8, 2, 1);
    assert!(lines[0].starts_with("\u{3000}\u{3000}"), "{lines:?}");
    assert!(lines.iter().all(|l| str_width(l, 1) <= 8));
}

#[rstest]
#[case::narrow(1, 10)]
#[case::wide(2, 10)]
fn ambiguous_width_is_honoured(#[case] ambiguous: u8, #[case] width: usize) {
    let text = "“十四五”规划……⑤3";
    let lines = wrap(text, width, 0, ambiguous);
    for line in &lines {
        assert!(str_width(line, ambiguous) <= width, "{line:?}");
    }
    if ambiguous == 2 {
        assert!(lines.len() > wrap(text, width, 0, 1).len());
    }
}

fn article() -> Article {
    let mut a = Article::new("t.txt", 1, 9);
    a.kicker = Some("2023年全市科技工作会议提出".into());
    a.title = Some("奋力建设区域创新高地".into());
    a.subtitle = Some("访市科技局局长".into());
    a.byline = Some(Byline {
        text: "记者 黄育南".into(),
        reporters: vec!["黄育南".into()],
        correspondents: vec![],
    });
    a.column = Some("局长访谈".into());
    a.editor_code = Some("⑤3".into());
    a.paragraphs = vec![
        "本报讯(记者 黄育南)3月7日,会议召开;要求:做好工作!".into(),
        "第二段。".into(),
    ];
    a.photos = vec![Photo {
        caption: "投球。".into(),
        credit: Some("记者 王伟 摄".into()),
        code: Some("⑥2".into()),
        url: None,
    }];
    a
}

#[test]
fn layout_puts_every_part_in_order_with_its_role() {
    let lines = typeset::layout(
        &article(),
        Context {
            feed_title: Some("驻马店日报"),
        },
        80,
        &TextOptions::default(),
    );
    let got: Vec<(Role, &str)> = lines.iter().map(|l| (l.role, l.text.as_str())).collect();
    assert_eq!(
        got,
        [
            (Role::Kicker, "2023年全市科技工作会议提出"),
            (Role::Title, "奋力建设区域创新高地"),
            (Role::Subtitle, "访市科技局局长"),
            (Role::Meta, "驻马店日报 · 记者 黄育南 · ⑤3"),
            (Role::Column, "【局长访谈】"),
            (Role::Blank, ""),
            (
                Role::Body,
                "\u{3000}\u{3000}本报讯（记者 黄育南）3月7日，会议召开；要求：做好工作！"
            ),
            (Role::Body, "\u{3000}\u{3000}第二段。"),
            (Role::Blank, ""),
            (Role::CaptionHeading, "图片说明"),
            (Role::Caption, "图1 投球。 ⑥2  记者 王伟 摄"),
        ]
    );
}

#[test]
fn fullwidth_punctuation_can_be_turned_off() {
    let text = TextOptions {
        fullwidth_punctuation: false,
        ..TextOptions::default()
    };
    let lines = typeset::layout(&article(), Context::default(), 80, &text);
    assert!(
        lines
            .iter()
            .any(|l| l.text.contains("本报讯(记者 黄育南)3月7日,会议召开;"))
    );
}

#[test]
fn headlines_wrap_and_are_never_truncated() {
    let lines = typeset::layout(&article(), Context::default(), 9, &TextOptions::default());
    let title: String = lines
        .iter()
        .filter(|l| l.role == Role::Title)
        .map(|l| l.text.as_str())
        .collect();
    assert_eq!(title, "奋力建设区域创新高地");
}

#[rstest]
#[case::clear_screen("\u{1b}[2J")]
#[case::window_title("\u{1b}]0;PWNED\u{7}")]
#[case::clipboard("\u{1b}]52;c;cHduZWQ=\u{7}")]
#[case::hyperlink("\u{1b}]8;;http://evil.example/\u{1b}\\")]
#[case::alternate_screen_off("\u{1b}[?1049l")]
#[case::c1_csi("\u{9b}31m")]
#[case::bidi_override("\u{202e}")]
#[case::tab("\t")]
#[case::carriage_return("\r")]
fn escapes_never_reach_the_terminal(#[case] hostile: &str) {
    let mut a = article();
    a.title = Some(format!("奋力{hostile}建设"));
    a.paragraphs = vec![format!("会议{hostile}指出，全市{hostile}科技工作。")];
    a.photos[0].caption = format!("投{hostile}球。");
    for width in [13, 41, 80] {
        for line in typeset::layout(&a, Context::default(), width, &TextOptions::default()) {
            assert!(
                !line.text.chars().any(|c| c.is_control() || c == '\u{202e}'),
                "{line:?}"
            );
            assert!(str_width(&line.text, 1) <= width);
        }
    }
    let title = typeset::layout(&a, Context::default(), 80, &TextOptions::default());
    let title = &title
        .iter()
        .find(|l| l.role == Role::Title)
        .map(|l| l.text.clone());
    let tab_spaces = if hostile == "\t" {
        "    "
    } else if hostile == "\r" {
        " "
    } else {
        ""
    };
    assert_eq!(
        title.as_deref(),
        Some(format!("奋力{tab_spaces}建设").as_str())
    );
}

/// Cross-heads are set flush, with space above them; notes and text are
/// indented (issue 12).
#[test]
fn crossheads_are_flush_and_notes_indented() {
    let mut a = article();
    a.paragraphs.clear();
    a.roles.clear();
    a.photos.clear();
    a.push_paragraph("编者按：这是一段编者按。".into(), kanbao::model::Role::Note);
    a.push_paragraph("第一段正文。".into(), kanbao::model::Role::Text);
    a.push_paragraph("一、坚持创新驱动".into(), kanbao::model::Role::Crosshead);
    a.push_paragraph("推动产业协同发展".into(), kanbao::model::Role::Crosshead);
    a.push_paragraph("第二段正文。".into(), kanbao::model::Role::Text);
    let lines = typeset::layout(&a, Context::default(), 40, &TextOptions::default());
    let body: Vec<(Role, &str)> = lines
        .iter()
        .skip_while(|l| l.role != Role::Note)
        .map(|l| (l.role, l.text.as_str()))
        .collect();
    assert_eq!(
        body,
        [
            (Role::Note, "　　编者按：这是一段编者按。"),
            (Role::Body, "　　第一段正文。"),
            (Role::Blank, ""),
            (Role::Crosshead, "一、坚持创新驱动"),
            (Role::Crosshead, "推动产业协同发展"),
            (Role::Body, "　　第二段正文。"),
        ]
    );
}

/// The meta line breaks at its ` · ` separators, never inside a name, a
/// date or a section (issue 17).
#[rstest]
#[case::names_kept_whole(
    Some("驻马店日报样张"), Some("要闻"), "黄育南 张宁", 41,
    &["驻马店日报样张 · 2023-03-10 · 要闻", "黄育南 张宁"]
)]
#[case::section_kept_whole(
    Some("驻马店日报样张"), Some("图片新闻"), "记者 王伟", 41,
    &["驻马店日报样张 · 2023-03-10 · 图片新闻", "记者 王伟"]
)]
#[case::byline_wider_than_the_line_breaks_between_names(
    None, None, "记者 黄育南 张宁 通讯员 袁浩楠", 12,
    &["2023-03-10", "记者 黄育南", "张宁 通讯员", "袁浩楠"]
)]
fn meta_lines_break_at_separators(
    #[case] feed: Option<&str>,
    #[case] section: Option<&str>,
    #[case] byline: &str,
    #[case] width: usize,
    #[case] want: &[&str],
) {
    let mut a = Article::new("t.txt", 1, 9);
    a.title = Some("标题".into());
    a.date = Some("2023-03-10".into());
    a.section = section.map(str::to_owned);
    a.byline = Some(Byline {
        text: byline.into(),
        reporters: vec![],
        correspondents: vec![],
    });
    assert_eq!(meta_lines(&a, feed, width), want);
}

/// The meta lines of `a` laid out at `width` under `feed`.
fn meta_lines(a: &Article, feed: Option<&str>, width: usize) -> Vec<String> {
    typeset::layout(
        a,
        Context { feed_title: feed },
        width,
        &TextOptions::default(),
    )
    .into_iter()
    .filter(|l| l.role == Role::Meta)
    .map(|l| l.text)
    .collect()
}

#[test]
fn meta_fields_are_never_cut_at_any_width() {
    let mut a = article();
    a.date = Some("2023-03-10".into());
    a.section = Some("图片新闻".into());
    for width in 12..=80 {
        let meta = meta_lines(&a, Some("驻马店日报"), width);
        for line in &meta {
            assert!(str_width(line, 1) <= width, "{line:?} at {width}");
        }
        for field in ["驻马店日报", "2023-03-10", "图片新闻", "黄育南", "⑤3"] {
            assert!(
                meta.iter().any(|l| l.contains(field)),
                "{field} cut at {width}: {meta:?}"
            );
        }
    }
}
