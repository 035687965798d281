//! Feed item HTML → paragraphs, numbered links and photos, one named case
//! per rule (`kanbao::source::html::to_content`), a stored item as a whole,
//! deep nesting, and properties over generated input: no panic, and no Han
//! character of the text goes missing or appears from markup.

use kanbao::model::{Link, Photo};
use kanbao::source::html::{Content, to_content};
use proptest::prelude::*;
use rstest::rstest;

const BASE: &str = "https://news.example.cn/world/2024/item.html";

fn paragraphs(paragraphs: &[&str]) -> Content {
    Content {
        paragraphs: paragraphs.iter().map(|p| p.to_string()).collect(),
        ..Content::default()
    }
}

fn with_links(text: &[&str], links: &[(&str, &str)]) -> Content {
    Content {
        links: links
            .iter()
            .map(|(text, url)| Link {
                text: text.to_string(),
                url: url.to_string(),
            })
            .collect(),
        ..paragraphs(text)
    }
}

fn photo(caption: &str, credit: Option<&str>, url: &str) -> Photo {
    Photo {
        caption: caption.to_owned(),
        credit: credit.map(str::to_owned),
        code: None,
        url: Some(url.to_owned()),
    }
}

fn with_photos(text: &[&str], photos: Vec<Photo>) -> Content {
    Content {
        photos,
        ..paragraphs(text)
    }
}

#[rstest]
// Blocks and inline elements.
#[case::paragraphs("<p>第一段。</p><p>第二段。</p>", paragraphs(&["第一段。", "第二段。"]))]
#[case::br("甲<br>乙<br/>丙<BR >丁", paragraphs(&["甲", "乙", "丙", "丁"]))]
#[case::headings(
    "<h1>主标题</h1><p>正文。</p><h3>小标题</h3>结尾",
    paragraphs(&["主标题", "正文。", "小标题", "结尾"])
)]
#[case::divs_and_sections(
    "<section><div>一<div>二</div>三</div></section><article>四</article>",
    paragraphs(&["一", "二", "三", "四"])
)]
#[case::nested_inline(
    "<p>这是<b>粗体<i>和斜体</i></b>的<span style=\"color:red\"><font>文字</font></span>。</p>",
    paragraphs(&["这是粗体和斜体的文字。"])
)]
#[case::spaces_around_inline(
    "<p>Hello <b>big</b>  <em>wide</em>\t\n world </p>",
    paragraphs(&["Hello big wide world"])
)]
#[case::table(
    "<table><tr><th>姓名</th><th>年龄</th></tr><tr><td>张三</td><td>30</td></tr></table>",
    paragraphs(&["姓名 年龄", "张三 30"])
)]
// Lists, quotes, preformatted text.
#[case::unordered_list("<ul><li>一</li><li>二</li></ul>", paragraphs(&["• 一", "• 二"]))]
#[case::ordered_list_unclosed_items(
    "<ol><li>one<li>two</ol>after",
    paragraphs(&["1. one", "2. two", "after"])
)]
#[case::ordered_list_start("<ol start=\"9\"><li>九</li><li>十</li></ol>", paragraphs(&["9. 九", "10. 十"]))]
#[case::ordered_list_huge_start(
    "<ol start=\"9223372036854775807\"><li>a<li value=\"-2\">b<li>c</ol>",
    paragraphs(&["9223372036854775807. a", "-2. b", "-1. c"])
)]
#[case::nested_lists(
    "<ul><li>甲<ol><li>乙</li><li>丙</li></ol>丁</li><li>戊</li></ul>",
    paragraphs(&["• 甲", "1. 乙", "2. 丙", "丁", "• 戊"])
)]
#[case::list_item_paragraph(
    "<ul><li><p>第一条</p><p>续</p></li></ul>",
    paragraphs(&["• 第一条", "续"])
)]
#[case::empty_list_item_counts("<ol><li></li><li>二</li></ol>", paragraphs(&["2. 二"]))]
#[case::blockquote(
    "<p>他说：</p><blockquote><p>一</p>二</blockquote><p>完</p>",
    paragraphs(&["他说：", "│ 一", "│ 二", "完"])
)]
#[case::nested_blockquote(
    "<blockquote>外<blockquote>内<ul><li>项</li></ul></blockquote></blockquote>",
    paragraphs(&["│ 外", "│ │ 内", "│ │ • 项"])
)]
#[case::pre(
    "<pre>\nfn main() {\n    go();  \n\n}\n</pre><p>after</p>",
    paragraphs(&["fn main() {", "    go();", "}", "after"])
)]
#[case::pre_with_inline("<pre><b>a</b>  b\n<i>c</i></pre>", paragraphs(&["a  b", "c"]))]
// Text.
#[case::entities(
    "<p>AT&amp;T&nbsp;公司 &#x4E2D;&#22269; &mdash; &lt;b&gt; &ldquo;好&rdquo;</p>",
    paragraphs(&["AT&T\u{a0}公司 中国 — <b> “好”"])
)]
#[case::cjk_source_wrapping(
    "<p>中国\n人民\n  站起来了。\nHello\nworld，\n<b>\n你好</b></p>",
    paragraphs(&["中国人民站起来了。 Hello world，你好"])
)]
#[case::cjk_wrapping_around_quotes("<p>他说：\n“你好”\n之后</p>", paragraphs(&["他说：“你好”之后"]))]
#[case::cjk_spaces_kept("<p>中国 人民</p>", paragraphs(&["中国 人民"]))]
#[case::indentation_dropped(
    "<p>　　正文开始，　中间的全角空格留着。</p><p>&nbsp;&nbsp; 缩进</p><p>尾部　</p>",
    paragraphs(&["正文开始，　中间的全角空格留着。", "缩进", "尾部"])
)]
// Links.
#[case::links_numbered_and_deduplicated(
    "<p>见<a href=\"https://a.cn/x\">新闻</a>和<a href=\"/y\">另一篇</a>，\
     再看<a href=\"https://a.cn/x\">同一篇</a>。</p>",
    with_links(
        &["见新闻[1]和另一篇[2]，再看同一篇[1]。"],
        &[("新闻", "https://a.cn/x"), ("另一篇", "https://news.example.cn/y")],
    )
)]
#[case::links_resolved(
    "<a href=\"photo/1.html\">甲</a> <a href=\"../up.html\">乙</a> \
     <a href=\"//cdn.example.cn/z\">丙</a> <a href=\" HTTP://X.CN \">丁</a>",
    with_links(
        &["甲[1] 乙[2] 丙[3] 丁[4]"],
        &[
            ("甲", "https://news.example.cn/world/2024/photo/1.html"),
            ("乙", "https://news.example.cn/world/up.html"),
            ("丙", "https://cdn.example.cn/z"),
            ("丁", "HTTP://X.CN"),
        ],
    )
)]
#[case::other_schemes_keep_text(
    "<a href=\"javascript:void(0)\">展开</a>全文，<a href=\"mailto:x@y.cn\">写信</a>\
     <a>锚</a><a href=\"\">空</a>",
    paragraphs(&["展开全文，写信锚空"])
)]
#[case::link_text_collapsed(
    "<p><a href=\"https://a.cn/\">  many\n <b>words</b>  </a> after</p>",
    with_links(&["many words[1] after"], &[("many words", "https://a.cn/")])
)]
#[case::link_of_spaces_not_numbered(
    "<p>a<a href=\"https://a.cn/\">&nbsp;</a>b<a href=\"https://a.cn/\"> </a>c</p>",
    paragraphs(&["a\u{a0}b c"])
)]
#[case::link_across_blocks(
    "<a href=\"https://a.cn/\"><h3>标题</h3><p>摘要</p></a>",
    with_links(&["标题[1]", "摘要[1]"], &[("标题 摘要", "https://a.cn/")])
)]
#[case::unclosed_link("<p>前<a href=\"https://a.cn/\">链接", with_links(&["前链接[1]"], &[("链接", "https://a.cn/")]))]
#[case::nested_links_close_the_outer(
    "<a href=\"https://a.cn/1\">一<a href=\"https://a.cn/2\">二</a></a>",
    with_links(&["一[1]二[2]"], &[("一", "https://a.cn/1"), ("二", "https://a.cn/2")])
)]
#[case::cjk_after_link_marker(
    "<p><a href=\"https://a.cn/\">中国</a>\n人民</p>",
    with_links(&["中国[1]人民"], &[("中国", "https://a.cn/")])
)]
// Pictures.
#[case::image_with_alt(
    "<p>文字<img src=\"/p/1.jpg\" alt=\" 市民  赏花 \"></p>",
    with_photos(&["文字"], vec![photo("市民 赏花", None, "https://news.example.cn/p/1.jpg")])
)]
#[case::image_credit_in_alt(
    "<img src=\"https://a.cn/1.jpg\" alt=\"市民赏花。（新华社记者 张玉薇 摄）\">",
    with_photos(&[], vec![photo("市民赏花。", Some("新华社记者 张玉薇 摄"), "https://a.cn/1.jpg")])
)]
#[case::figure_with_figcaption(
    "<figure><img src=\"a.jpg\" alt=\"替代\"><figcaption>说明文字<cite>张三 摄</cite></figcaption></figure>\
     <p>后文</p>",
    with_photos(
        &["后文"],
        vec![photo("说明文字", Some("张三 摄"), "https://news.example.cn/world/2024/a.jpg")],
    )
)]
#[case::figcaption_before_images(
    "<figure><figcaption>两张图</figcaption><img src=\"https://a.cn/1.jpg\"><img src=\"https://a.cn/2.jpg\"></figure>",
    with_photos(&[], vec![photo("两张图", None, "https://a.cn/1.jpg"), photo("两张图", None, "https://a.cn/2.jpg")])
)]
#[case::figure_without_image(
    "<figure><blockquote>名言</blockquote><figcaption>出处</figcaption></figure>",
    paragraphs(&["│ 名言", "出处"])
)]
#[case::image_inside_link(
    "<a href=\"https://a.cn/big.jpg\"><img src=\"https://a.cn/small.jpg\" alt=\"图\"></a>",
    with_photos(&[], vec![photo("图", None, "https://a.cn/small.jpg")])
)]
#[case::tracking_pixels_and_data_urls(
    "<p>正文</p><img src=\"https://t.cn/p.gif\" width=\"1\" height=\"1\">\
     <img src=\"https://t.cn/q.gif\" height=\"0px\"><img src=\"data:image/gif;base64,R0lG\" alt=\"x\">\
     <img alt=\"no source\"><img src=\"javascript:x()\">",
    paragraphs(&["正文"])
)]
#[case::lazy_image(
    "<img src=\"data:image/gif;base64,R0lG\" data-src=\"https://a.cn/real.jpg\" alt=\"真图\">\
     <img src=\"/loading.gif\" data-original=\"https://a.cn/2.jpg\">",
    with_photos(&[], vec![photo("真图", None, "https://a.cn/real.jpg"), photo("", None, "https://a.cn/2.jpg")])
)]
#[case::same_image_twice(
    "<img src=\"https://a.cn/1.jpg\"><img src=\"https://a.cn/1.jpg\" alt=\"后来的说明\">",
    with_photos(&[], vec![photo("后来的说明", None, "https://a.cn/1.jpg")])
)]
// Dropped content.
#[case::script_and_style_dropped(
    "<p>甲</p><script>var s = \"<p>乙</p>\";</script><style>p { color: red }</style>\
     <p>丙</p><noscript><p>丁</p></noscript><template><p>戊</p></template>\
     <svg><text>己</text></svg><math><mi>庚</mi></math><iframe src=\"x\">辛</iframe>",
    paragraphs(&["甲", "丙"])
)]
#[case::svg_without_end("<svg><circle/><p>内容</p>", paragraphs(&["内容"]))]
#[case::comments_dropped(
    "<p>甲<!-- 注释 <p>乙</p> -->丙</p><!---->",
    paragraphs(&["甲丙"])
)]
#[case::head_dropped(
    "<!DOCTYPE html><html><head><title>题目</title><meta charset=\"utf-8\"><style>x</style></head>\
     <body><p>正文</p></body></html>",
    paragraphs(&["正文"])
)]
#[case::head_without_end("<head><title>题目</title><p>正文</p>", paragraphs(&["正文"]))]
// Malformed markup.
#[case::unclosed_tags("<p>一<p>二<div>三<b>四", paragraphs(&["一", "二", "三四"]))]
#[case::stray_end_tags("</p>一</b></p></div>二</li></ul></blockquote>三", paragraphs(&["一", "二", "三"]))]
#[case::open_tag_at_eof("<p>段落</p><p", paragraphs(&["段落"]))]
#[case::attribute_at_eof("段落<a href=\"https://a.cn/", paragraphs(&["段落"]))]
#[case::lone_angle_brackets("<p>a < b and c > d</p>", paragraphs(&["a < b and c > d"]))]
#[case::xhtml_self_closing(
    "<blockquote/><p>不是引文</p><script src=\"x.js\"/><p>还在</p>",
    paragraphs(&["不是引文", "还在"])
)]
// Terminal safety.
#[case::escape_sequences_in_text(
    "<p>标题\u{1b}[2J正文\u{1b}]0;title\u{7}。\u{9b}31m红\u{202e}字\u{0}</p>",
    paragraphs(&["标题正文。红字"])
)]
#[case::escape_sequences_in_attributes(
    "<img src=\"https://a.cn/1.jpg\" alt=\"图\u{1b}[31m说明\u{7}\">\
     <a href=\"https://a.cn/\u{1b}[2J\">坏链接</a>\
     <a href=\"https://a.cn/ok\">好\u{1b}[1m链接</a>",
    Content {
        paragraphs: vec!["坏链接好链接[1]".into()],
        links: vec![Link { text: "好链接".into(), url: "https://a.cn/ok".into() }],
        photos: vec![photo("图说明", None, "https://a.cn/1.jpg")],
    }
)]
#[case::tab_in_text("<p>甲\t乙</p>", paragraphs(&["甲 乙"]))]
// Not HTML.
#[case::plain_text(
    "第一段第一行\n第一段第二行\n\n　　第二段 AT&amp;T\r\n  \r\n\n第三段 a < b",
    paragraphs(&["第一段第一行第一段第二行", "第二段 AT&T", "第三段 a < b"])
)]
#[case::empty("", Content::default())]
#[case::only_whitespace(" \n\t\u{3000} ", Content::default())]
#[case::only_empty_elements("<p></p><div> <span>&nbsp;</span> </div><br>", Content::default())]
fn converting(#[case] html: &str, #[case] want: Content) {
    assert_eq!(to_content(html, Some(BASE)), want);
}

#[test]
fn relative_urls_are_dropped_without_a_base() {
    let html = "<a href=\"/x\">甲</a><a href=\"//a.cn/y\">乙</a><img src=\"p.jpg\">";
    assert_eq!(
        to_content(html, None),
        with_links(&["甲乙[1]"], &[("乙", "https://a.cn/y")])
    );
}

#[test]
fn stored_item() {
    let html = include_str!("fixtures/html/xinhua-item.html");
    let content = to_content(
        html,
        Some("https://www.news.cn/politics/2023-03/07/c_1129.htm"),
    );
    let want = Content {
        paragraphs: [
            "新华社北京3月7日电（记者 张三 李四）记者7日从国家统计局获悉，今年前两个月，\
             全国规模以上工业增加值同比增长7.0%。详见国家统计局发布[1]。",
            "三大亮点",
            "1. 制造业增长加快；",
            "2. 高技术产业投资增长明显；",
            "3. 消费市场“回暖”。",
            "│ “经济运行开局良好。”",
            "更多内容请访问国家统计局网站[2]，或分享。",
            "（责任编辑：赵六）",
        ]
        .map(String::from)
        .to_vec(),
        links: vec![
            Link {
                text: "国家统计局发布".into(),
                url: "https://www.news.cn/2023-03/07/c_1129.htm".into(),
            },
            Link {
                text: "国家统计局网站".into(),
                url: "https://www.stats.gov.cn/".into(),
            },
        ],
        photos: vec![photo(
            "3月6日，工人在车间作业。",
            Some("新华社记者 王五 摄"),
            "https://www.news.cn/politics/images/2023/0307/tech.jpg",
        )],
    };
    assert_eq!(content, want);
}

#[rstest]
#[case::divs("div")]
#[case::bold("b")]
#[case::blockquotes("blockquote")]
#[case::lists("ul")]
#[case::links("a href=\"https://a.cn/\"")]
#[case::figures("figure")]
#[case::spans_unclosed("span")]
fn deep_nesting_keeps_the_text(#[case] open: &str) {
    const DEPTH: usize = 100_000;
    let name = open.split(' ').next().unwrap_or(open);
    let mut html = String::new();
    for _ in 0..DEPTH {
        html.push('<');
        html.push_str(open);
        html.push('>');
    }
    html.push_str("深处的文字");
    if name != "span" {
        for _ in 0..DEPTH {
            html.push_str("</");
            html.push_str(name);
            html.push('>');
        }
    }
    html.push_str("<p>之后</p>");
    let content = to_content(&html, None);
    let text = content.paragraphs.concat();
    assert!(text.contains("深处的文字"), "{:?}", content.paragraphs);
    assert!(text.ends_with("之后"), "{:?}", content.paragraphs);
    assert!(content.links.len() <= 1);
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}')
}

fn han(text: &str) -> String {
    text.chars().filter(|&c| is_han(c)).collect()
}

/// A piece of a generated document: the markup and the Han text it shows.
fn element() -> impl Strategy<Value = (String, String)> {
    let text = "[\u{4e00}-\u{9fa5}]{1,12}( |\n|\n  |　|&nbsp;|, )?";
    let leaf = prop::collection::vec(text, 1..4).prop_map(|parts| {
        let html = parts.concat();
        let shown = han(&html);
        (html, shown)
    });
    leaf.prop_recursive(4, 32, 4, |inner| {
        let tags = prop::sample::select(vec![
            "p",
            "div",
            "span",
            "b",
            "em",
            "h2",
            "li",
            "blockquote",
            "pre",
            "td",
            "span title=\"属性里的字\"",
            "a href=\"https://a.cn/链接\"",
            "a href=\"javascript:甲()\"",
            "ul",
            "ol",
        ]);
        let hidden = prop::sample::select(vec![
            "<script>var 脚本 = \"<p>假</p>\";</script>",
            "<style>/* 样式 */</style>",
            "<!-- 注释 -->",
            "<br>",
            "<img src=\"https://a.cn/1.jpg\" alt=\"图片\">",
            "",
        ]);
        (tags, prop::collection::vec(inner, 1..4), hidden).prop_map(|(tag, children, hidden)| {
            let name = tag.split(' ').next().unwrap_or(tag);
            let inner: String = children.iter().map(|(h, _)| h.as_str()).collect();
            let shown: String = children.iter().map(|(_, s)| s.as_str()).collect();
            (format!("<{tag}>{inner}{hidden}</{name}>"), shown)
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        let _ = to_content(&text, Some(BASE));
    }

    #[test]
    fn tag_soup_never_panics(text in "([<>/=\"' &;#!a-z\n\u{1b}\u{3000}\u{4e00}-\u{4e0f}]|<p>|<a href=|<img src=|</|<!--|-->|&amp;|&#x4E2D;|<script>|<pre>|<figure>|<figcaption>|<li>){0,200}") {
        let content = to_content(&text, Some(BASE));
        for s in content.paragraphs.iter().chain(content.links.iter().map(|l| &l.text)) {
            prop_assert!(!s.contains(|c: char| c.is_control()), "{:?}", s);
        }
    }

    #[test]
    fn paragraphs_come_out_sanitized(text in "([a-z \n\r\t\u{1b}\u{9b}\u{200b}\u{202e}\u{feff}\u{4e00}]|<pre>|</pre>|<p>|<li>|<ol>|<blockquote>|<a href=x>|</a>){0,120}") {
        let content = to_content(&text, Some(BASE));
        for s in &content.paragraphs {
            let clean = kanbao::sanitize::sanitize(s);
            prop_assert_eq!(clean.as_ref(), s.as_str());
        }
    }

    #[test]
    fn no_han_character_goes_missing(elements in prop::collection::vec(element(), 1..6)) {
        let html: String = elements.iter().map(|(h, _)| h.as_str()).collect();
        let shown: String = elements.iter().map(|(_, s)| s.as_str()).collect();
        let content = to_content(&html, Some(BASE));
        prop_assert_eq!(han(&content.paragraphs.concat()), shown, "{}", html);
        for paragraph in &content.paragraphs {
            prop_assert!(!paragraph.is_empty() && paragraph.trim_end() == paragraph);
        }
    }
}
