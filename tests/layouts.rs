//! Page layouts other than the sample's: one fixture per layout in
//! tests/fixtures/pages/ (and tests/fixtures/crawler/ for one-article
//! files), each read as a user's file would be and checked field by field.
//! The texts are made up in the shape of real pages.

mod common;

use std::path::Path;

use kanbao::model::{Article, Role};
use kanbao::source::{page::ParsedPage, read_page};

fn page(name: &str) -> ParsedPage {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    match read_page(&path, name) {
        Ok(page) => page,
        Err(w) => panic!("{w}"),
    }
}

fn reporters(a: &Article) -> Vec<&str> {
    a.byline
        .as_ref()
        .map(|b| b.reporters.iter().map(String::as_str).collect())
        .unwrap_or_default()
}

#[test]
fn one_article_per_file_with_indented_paragraphs() {
    let page = page("pages/indented-article.txt");
    assert!(page.warnings.is_empty(), "{:?}", page.warnings);
    let [a] = page.articles.as_slice() else {
        panic!("one article expected, got {}", page.articles.len());
    };
    assert_eq!(a.kicker.as_deref(), Some("为高质量发展注入科技动能"));
    assert_eq!(a.title.as_deref(), Some("我国科技创新能力持续提升"));
    assert_eq!(a.subtitle.as_deref(), Some("——写在全国科技活动周开幕之际"));
    assert_eq!(reporters(a), ["范昊天"]);
    assert_eq!(a.paragraphs.len(), 3);
    assert!(a.paragraphs[0].starts_with("本报北京5月20日电  （记者范昊天）"));
    assert!(a.paragraphs.iter().all(|p| !p.starts_with('\u{3000}')));
    // The page header names the section and page of every article.
    assert_eq!(a.section.as_deref(), Some("科教"));
    assert_eq!(a.page.as_deref(), Some("05"));
}

#[test]
fn credit_lines_and_end_bylines() {
    let page = page("pages/credit-lines.txt");
    assert!(page.warnings.is_empty(), "{:?}", page.warnings);
    let titles: Vec<_> = page.articles.iter().map(|a| a.title.as_deref()).collect();
    assert_eq!(
        titles,
        [
            Some("国务院常务会议部署稳就业工作"),
            Some("我国铁路客运量创历史新高"),
            Some("市图书馆推出延时服务"),
            Some("老字号焕发新活力"),
        ]
    );
    let a = &page.articles;
    assert_eq!(reporters(&a[0]), ["张烁"]);
    assert_eq!(
        a[0].byline.as_ref().map(|b| b.text.as_str()),
        Some("记者张烁")
    );
    assert_eq!(reporters(&a[1]), ["王旭"], "padded names are one name");
    // `本报电 日前，…` names nobody; the end byline does.
    assert_eq!(reporters(&a[2]), ["吴月辉"]);
    assert_eq!(reporters(&a[3]), ["王旭", "姜来"]);
    for article in a {
        assert_eq!(article.paragraphs.len(), 1, "{:?}", article.title);
        assert_eq!(article.section.as_deref(), Some("要闻"));
        assert_eq!(article.page.as_deref(), Some("A05"));
    }
    assert!(a[2].paragraphs[0].starts_with("本报电 日前，"));
    assert!(!a[2].paragraphs[0].contains("吴月辉"));
}

#[test]
fn briefs_under_a_column_banner() {
    let page = page("pages/briefs.txt");
    assert!(page.warnings.is_empty(), "{:?}", page.warnings);
    let titles: Vec<_> = page.articles.iter().map(|a| a.title.as_deref()).collect();
    assert_eq!(
        titles,
        [
            Some("我国成功发射遥感卫星"),
            Some("全国秋粮收获过半"),
            Some("城市书房年内再建二十家"),
        ]
    );
    for a in &page.articles {
        assert_eq!(a.column.as_deref(), Some("新闻速递"));
        assert_eq!(a.kicker, None);
        assert_eq!(a.paragraphs.len(), 1);
    }
    assert_eq!(reporters(&page.articles[0]), ["李明"]);
}

#[test]
fn photo_block_with_numbered_captions_and_credits() {
    let page = page("pages/photo-block.txt");
    assert!(page.warnings.is_empty(), "{:?}", page.warnings);
    let [a] = page.articles.as_slice() else {
        panic!("one article expected, got {}", page.articles.len());
    };
    assert_eq!(a.title.as_deref(), Some("秋收时节田野忙"));
    assert_eq!(reporters(a), ["刘畅"]);
    assert_eq!(a.paragraphs.len(), 1);
    let photos: Vec<(&str, Option<&str>)> = a
        .photos
        .iter()
        .map(|p| (p.caption.as_str(), p.credit.as_deref()))
        .collect();
    assert_eq!(
        photos,
        [
            ("农民在田间收获花生。", Some("新华社记者  张玉薇摄")),
            ("收获机械在地里作业。", Some("本报记者  刘畅摄")),
        ]
    );
    // 版式设计 and 本版制图 are page metadata, not body text.
    assert!(
        a.paragraphs
            .iter()
            .all(|p| !p.contains("赵敏") && !p.contains("孙丽"))
    );
}

#[test]
fn hard_wrapped_paragraphs_are_joined() {
    let page = page("pages/hard-wrapped.txt");
    assert!(page.warnings.is_empty(), "{:?}", page.warnings);
    let [a] = page.articles.as_slice() else {
        panic!("one article expected, got {}", page.articles.len());
    };
    assert_eq!(a.title.as_deref(), Some("乡村振兴看新变化"));
    assert_eq!(reporters(a), ["陈静"]);
    assert_eq!(
        a.paragraphs,
        [
            "近年来，我市坚持把乡村振兴作为新时代“三农”工作的总抓手，统筹推进产业、人才、文化、生态、组织振兴，农村面貌焕然一新，农民收入稳步增长。",
            "全市累计建成高标准农田一百二十万亩，培育家庭农场三千余家，农民专业合作社八千余家，带动农户增收致富。",
        ]
    );
}

#[test]
fn an_advert_page_has_no_article() {
    let page = page("pages/advert.txt");
    assert!(page.articles.is_empty());
    assert!(page.warnings.is_empty());
}

/// Legacy encodings parse exactly like their UTF-8 copies.
#[rstest::rstest]
#[case::gb18030("gb18030-page.txt")]
#[case::gbk_crlf("gbk-crlf-page.txt")]
#[case::big5("big5-page.txt")]
fn encoded_pages_parse_like_utf8(#[case] name: &str) {
    let encoded = page(&format!("encodings/{name}"));
    let utf8 = page(&format!("encodings/utf8/{name}"));
    assert!(!encoded.articles.is_empty());
    let strip = |p: ParsedPage| -> Vec<Article> {
        p.articles
            .into_iter()
            .map(|mut a| {
                a.source.path.clear();
                a
            })
            .collect()
    };
    assert_eq!(strip(encoded), strip(utf8));
}

#[test]
fn big5_page_in_traditional_characters() {
    let page = page("encodings/big5-page.txt");
    let a = &page.articles[0];
    assert_eq!(a.title.as_deref(), Some("臺北市推動舊城區更新計畫"));
    assert_eq!(reporters(a), ["陳志明", "林美華"]);
    assert_eq!(a.paragraphs.len(), 3, "the cut paragraph is joined");
}

#[test]
fn gbk_crlf_page_has_the_photo_article() {
    let page = page("encodings/gbk-crlf-page.txt");
    let a = &page.articles[0];
    assert_eq!(a.title.as_deref(), Some("巾帼竞芬芳 灿烂耀春晖"));
    assert_eq!(a.photos.len(), 6);
    assert!(a.paragraphs.iter().all(|p| !p.contains('\r')));
}

fn byline_text(a: &Article) -> Option<&str> {
    a.byline.as_ref().map(|b| b.text.as_str())
}

fn correspondents(a: &Article) -> Vec<&str> {
    a.byline
        .as_ref()
        .map(|b| b.correspondents.iter().map(String::as_str).collect())
        .unwrap_or_default()
}

/// Kicker, headline and subheadline.
fn heads(a: &Article) -> (Option<&str>, Option<&str>, Option<&str>) {
    (
        a.kicker.as_deref(),
        a.title.as_deref(),
        a.subtitle.as_deref(),
    )
}

/// Each paragraph's role and how it starts: enough to tell them apart.
#[track_caller]
fn assert_starts(a: &Article, want: &[(Role, &str)]) {
    let got: Vec<(Role, &str)> = texts(a);
    let shown = || format!("{got:#?}");
    assert_eq!(got.len(), want.len(), "{}", shown());
    for ((role, text), (want_role, start)) in got.iter().zip(want) {
        assert!(
            role == want_role && text.starts_with(start),
            "{start}: {}",
            shown()
        );
    }
}

fn texts(a: &Article) -> Vec<(Role, &str)> {
    a.paragraphs
        .iter()
        .enumerate()
        .map(|(n, p)| (a.role(n), p.as_str()))
        .collect()
}

fn photos(a: &Article) -> Vec<(&str, Option<&str>, Option<&str>)> {
    a.photos
        .iter()
        .map(|p| (p.caption.as_str(), p.credit.as_deref(), p.code.as_deref()))
        .collect()
}

fn no_warnings(page: &ParsedPage) {
    assert!(page.warnings.is_empty(), "{:?}", page.warnings);
}

const T: Role = Role::Text;
const X: Role = Role::Crosshead;
const N: Role = Role::Note;

// ── 1. Hard-wrapped pages ───────────────────────────────────────────────

/// A page hard-wrapped at 20 characters by a program that knew nothing of
/// Chinese: numbers cut in two, lines starting with `,` and `;`, half-width
/// punctuation, a kicker printed on two lines, a paragraph cut across a
/// blank line by the printed column, and captions after wide gaps.
#[test]
fn a_page_hard_wrapped_at_a_fixed_width() {
    let page = page("pages/hard-wrapped-page.txt");
    no_warnings(&page);
    let [a, b, c] = page.articles.as_slice() else {
        panic!("three articles expected, got {}", page.articles.len());
    };
    assert_eq!(
        heads(a),
        (
            Some("全省文化旅游工作暨产业发展推进会议部署"),
            Some("打造文旅融合发展新高地"),
            None
        )
    );
    assert_eq!(reporters(a), ["林晓东", "张凯"]);
    assert_eq!(correspondents(a), ["郑佳慧"]);
    assert_eq!(
        texts(a),
        [
            (
                T,
                "本报讯(记者 林晓东 张凯 通讯员 郑佳慧)4月12日,省文化和旅游厅召开全省文化旅游工作暨产业发展推进会议,总结2023年工作,部署2024年重点任务,动员全省文旅系统以“旅游强省”建设为抓手,推动文化和旅游高质量发展。"
            ),
            (
                T,
                "会议指出,过去一年,全省文旅市场加快复苏,接待游客4.6亿人次,实现旅游收入3850亿元,分别增长26.3%和31.7%;新增国家5A级旅游景区2家、国家级旅游度假区1家,“乡村旅游+”模式在12个县(市、区)推广。"
            ),
            (
                T,
                "会议要求,要坚持以文塑旅、以旅彰文,深入实施文旅融合工程,着力培育一批具有全国影响力的文旅品牌,推动景区提质、夜间经济、研学旅行等新业态健康发展,持续优化旅游公共服务,让游客“进得来、留得住、玩得好”。"
            ),
        ]
    );
    assert_eq!(a.editor_code.as_deref(), Some("⑤3"));
    assert_eq!(a.column, None);

    assert_eq!(
        heads(b),
        (
            None,
            Some("让非遗在新时代焕发光彩"),
            Some("——访省非物质文化遗产保护中心主任周文清")
        )
    );
    assert_eq!(byline_text(b), Some("记者 林晓东"));
    assert_eq!(b.paragraphs.len(), 3);
    assert!(
        b.paragraphs[0].ends_with("非遗保护体系日趋完善。"),
        "{}",
        b.paragraphs[0]
    );
    assert!(b.paragraphs[1].contains("剪纸、木版年画、皮影戏……"));
    assert_eq!(b.editor_code.as_deref(), Some("⑤3"));
    assert_eq!(b.column.as_deref(), Some("擦亮文化名片 专家访谈"));

    assert_eq!(heads(c), (None, Some("春日研学正当时"), None));
    assert_eq!(byline_text(c), Some("记者 郑佳慧 文/图"));
    assert_eq!(c.paragraphs.len(), 2);
    assert!(c.paragraphs[1].ends_with("刘子涵说。"));
    assert_eq!(
        photos(c),
        [
            ("学生参观博物馆。", None, Some("⑥2")),
            ("非遗传承人现场展示剪纸技艺。", None, Some("⑥2")),
            ("学生体验活字印刷。", None, Some("⑥2")),
        ]
    );
    // No paragraph starts with what must continue a line.
    for article in &page.articles {
        for p in &article.paragraphs {
            assert!(!p.starts_with([',', ';', '，', '。', '、']), "{p}");
        }
    }
}

/// Wrapped at 36 display columns with the closing marks kept off line
/// starts: lines holding digits and half-width commas have more characters
/// than the others, and only short lines end paragraphs. No blank lines,
/// no indents.
#[test]
fn a_page_hard_wrapped_by_display_columns() {
    let page = page("pages/hard-wrapped-columns.txt");
    no_warnings(&page);
    let [a, b] = page.articles.as_slice() else {
        panic!("two articles expected, got {}", page.articles.len());
    };
    assert_eq!(heads(a), (None, Some("智慧农业助力春耕生产"), None));
    assert_eq!(reporters(a), ["王海燕"]);
    assert_starts(
        a,
        &[
            (T, "眼下正值春耕时节"),
            (T, "“过去种100亩"),
            (T, "据了解,今年我市"),
        ],
    );
    assert!(a.paragraphs[0].ends_with("2024年全市春播面积预计达到386.5万亩,机械化率超过95%。"));
    assert!(a.paragraphs[1].contains("手机上的APP说"));
    assert_eq!(
        heads(b),
        (None, Some("科技特派员扎根一线"), Some("把论文写在大地上"))
    );
    assert_eq!(reporters(b), ["王海燕"]);
    assert_eq!(correspondents(b), ["刘晨"]);
    assert_eq!(b.paragraphs.len(), 2);
    assert!(b.paragraphs[0].ends_with("开展技术指导和科技咨询服务。"));
    assert!(b.paragraphs[1].ends_with("“农民的需求就是我们的课题。”她说。"));
}

// ── 2. Paragraphs marked by an indent, no blank lines ────────────────────

/// A national daily's own text export: `　　`-indented paragraphs, lines of
/// `　　` or NBSP between stories, NBSP padding in names and after the
/// dateline, and a column banner printed after a story, right above the
/// next story's head.
#[test]
fn indented_paragraphs_without_blank_lines() {
    let page = page("pages/indent-export.txt");
    no_warnings(&page);
    let [a, b, c, d] = page.articles.as_slice() else {
        panic!("four articles expected, got {}", page.articles.len());
    };
    assert_eq!(
        heads(a),
        (
            Some("坚持稳中求进 推动高质量发展"),
            Some("全国制造业增加值连续十四年居世界首位"),
            Some("——我国工业经济运行情况综述")
        )
    );
    assert_eq!(reporters(a), ["赵明"], "NBSP pads a two-character name");
    assert_eq!(a.paragraphs.len(), 3);
    assert!(a.paragraphs[0].starts_with("本报北京1月20日电\u{a0}\u{a0}（记者赵\u{a0}明）"));
    assert!(a.paragraphs.iter().all(|p| !p.ends_with('\u{a0}')));

    assert_eq!(heads(b), (None, Some("让老字号焕发新活力"), None));
    assert_eq!(reporters(b), ["孙浩然"]);
    assert_eq!(b.paragraphs.len(), 2);
    assert_eq!(
        b.column.as_deref(),
        Some("品牌强国之路 企业家访谈"),
        "the banner after a story is that story's"
    );

    assert_eq!(heads(c), (None, Some("冰雪经济持续升温"), None));
    assert_eq!(c.column, None);
    assert_eq!(reporters(c), ["周雨桐", "李想"]);
    assert_eq!(c.paragraphs.len(), 2);

    assert_eq!(heads(d), (None, Some("乡村书屋里书香浓"), None));
    assert_eq!(d.byline, None);
    assert_starts(d, &[(T, "本报电\u{a0}傍晚时分")]);
}

// ── 3. One article per file, as e-paper crawlers write it ───────────────

fn crawled(name: &str) -> Article {
    let page = page(&format!("crawler/20231001/{name}"));
    no_warnings(&page);
    let [a] = page.articles.as_slice() else {
        panic!("{name}: one article expected, got {}", page.articles.len());
    };
    assert_eq!(a.date.as_deref(), Some("2023-10-01"), "{name}");
    assert!(a.paragraphs.iter().all(|p| !p.contains('\r')), "{name}");
    a.clone()
}

#[rstest::rstest]
#[case::no_kicker(
    "20231001-01-01.txt",
    "01",
    (None, Some("全国铁路国庆假期运送旅客创新高"), Some("——单日发送旅客首次突破两千万人次")),
    &["韩雪松"][..],
    2
)]
#[case::deck_of_names(
    "20231001-01-02.txt",
    "01",
    (Some("庆祝中华人民共和国成立74周年"), Some("国庆招待会在京隆重举行"), Some("高明远发表重要讲话 沈立平主持 许嘉禾出席")),
    &["陈晓岚", "赵明轩"][..],
    2
)]
#[case::quoted_headline(
    "20231001-02-01.txt",
    "02",
    (None, Some("“让每一粒种子都发挥最大价值”"), Some("——记种业科学家林秋实")),
    &[][..],
    3
)]
#[case::byline_in_a_head_slot(
    "20231001-02-02.txt",
    "02",
    (Some("金秋时节看丰收"), Some("千里沃野稻谷香"), None),
    &["刘思远"][..],
    2
)]
#[case::empty_subheadline_slot(
    "20231001-04-01.txt",
    "04",
    (Some("推进中国式现代化"), Some("以科技创新引领产业创新"), None),
    &[][..],
    2
)]
fn one_article_per_file_with_three_head_slots(
    #[case] name: &str,
    #[case] page_number: &str,
    #[case] want: (Option<&str>, Option<&str>, Option<&str>),
    #[case] names: &[&str],
    #[case] paragraphs: usize,
) {
    let a = crawled(name);
    assert_eq!(heads(&a), want, "{name}");
    assert_eq!(a.page.as_deref(), Some(page_number), "{name}");
    assert_eq!(reporters(&a), names, "{name}");
    assert_eq!(a.paragraphs.len(), paragraphs, "{name}");
    assert!(a.roles.iter().all(|r| *r == T), "{name}");
}

/// The crawler's folder as a feed: dates and pages come from the names.
#[test]
fn a_crawler_folder_lists_by_date_and_page() {
    let dir = tempfile::TempDir::new().expect("a temporary folder");
    let feed = dir.path().join("feeds/rmrb");
    std::fs::create_dir_all(&feed).expect("create the feed folder");
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/crawler/20231001");
    std::fs::create_dir_all(feed.join("20231001")).expect("create the day folder");
    for entry in std::fs::read_dir(&from).expect("read the fixtures") {
        let entry = entry.expect("a fixture");
        std::fs::copy(entry.path(), feed.join("20231001").join(entry.file_name()))
            .expect("copy a fixture");
    }
    std::fs::write(
        dir.path().join("config.toml"),
        "[[feeds]]\nid = \"rmrb\"\ntitle = \"人民日报\"\nkind = \"pages\"\npath = \"feeds/rmrb\"\n",
    )
    .expect("write the config");
    let config = kanbao::config::load(&dir.path().join("config.toml"), "config.toml")
        .expect("the config loads");
    let library = kanbao::library::Library::load(&config);
    assert!(library.warnings.is_empty(), "{:?}", library.warnings);
    let listed: Vec<(Option<&str>, Option<&str>, Option<&str>)> = library
        .articles
        .iter()
        .map(|a| (a.date.as_deref(), a.page.as_deref(), a.title.as_deref()))
        .collect();
    assert_eq!(
        listed,
        [
            (
                Some("2023-10-01"),
                Some("01"),
                Some("全国铁路国庆假期运送旅客创新高")
            ),
            (
                Some("2023-10-01"),
                Some("01"),
                Some("国庆招待会在京隆重举行")
            ),
            (
                Some("2023-10-01"),
                Some("02"),
                Some("“让每一粒种子都发挥最大价值”")
            ),
            (Some("2023-10-01"), Some("02"), Some("千里沃野稻谷香")),
            (
                Some("2023-10-01"),
                Some("04"),
                Some("以科技创新引领产业创新")
            ),
        ]
    );
}

// ── 4. Datelines and credits of national dailies ────────────────────────

#[test]
fn datelines_end_credits_and_source_notes() {
    let page = page("pages/datelines.txt");
    no_warnings(&page);
    let [a, b, c, d, e] = page.articles.as_slice() else {
        panic!("five articles expected, got {}", page.articles.len());
    };
    // `本报北京9月30日电  （记者李志远）`: the dateline stays in the text.
    assert_eq!(reporters(a), ["李志远"]);
    assert_eq!(byline_text(a), Some("记者李志远"));
    assert!(a.paragraphs[0].starts_with("本报北京9月30日电  （记者李志远）国务院"));
    // An agency's dateline, names separated by `、`.
    assert_eq!(reporters(b), ["陈晓岚", "赵明轩"]);
    assert!(b.paragraphs[0].starts_with("新华社北京9月30日电"));
    // One space, `记者 ` and a name padded with NBSP.
    assert_eq!(reporters(c), ["王芳"]);
    // A combined dateline names nobody; the end credit does, and is no
    // paragraph.
    assert_eq!(reporters(d), ["周雨桐", "孙浩然", "吴思远"]);
    assert_eq!(d.paragraphs.len(), 2);
    assert!(d.paragraphs[0].starts_with("本报北京9月30日电  综合本报驻外记者报道："));
    assert!(d.paragraphs.iter().all(|p| !p.contains("吴思远")));
    // A source note closes the text: kept as its last paragraph, recorded,
    // and no byline.
    assert_eq!(heads(e), (None, Some("坚定信心 砥砺前行"), None));
    assert_eq!(e.byline, None);
    assert_eq!(e.paragraphs.len(), 3);
    assert_eq!(e.paragraphs[2], "（新华社北京10月1日电）");
    assert_eq!(e.source_note.as_deref(), Some("新华社北京10月1日电"));
    assert_eq!(e.column, None);
    for article in &page.articles {
        assert_eq!(article.page.as_deref(), Some("02"));
        assert_eq!(article.section.as_deref(), Some("要闻"));
        if article.id != e.id {
            assert_eq!(article.source_note, None);
        }
    }
}

// ── 5. Photos ────────────────────────────────────────────────────────────

#[test]
fn every_numbered_caption_keeps_its_own_credit() {
    let page = page("pages/photos.txt");
    no_warnings(&page);
    let [a, b] = page.articles.as_slice() else {
        panic!("two articles expected, got {}", page.articles.len());
    };
    assert_eq!(heads(a), (None, Some("金秋时节 处处丰收"), None));
    assert_eq!(reporters(a), ["张晨阳"]);
    assert_eq!(a.paragraphs.len(), 1);
    assert_eq!(a.column, None, "no credit ends up as a column");
    assert_eq!(
        photos(a),
        [
            (
                "江西省某县农民在稻田里收割晚稻。",
                Some("新华社记者  黄振宇摄"),
                None
            ),
            ("山东省某市农民晾晒玉米。", Some("本报记者  李  强摄"), None),
            (
                "新疆某团场的采棉机在棉田里作业。",
                Some("新华社记者\u{a0}\u{a0}邓\u{a0}凯摄"),
                None
            ),
            ("黑龙江省某农场收获大豆。", Some("本报记者  孙海涛摄"), None),
            (
                "河南省某县村民在田间采摘辣椒。",
                Some("冯立新摄（影像中国）"),
                None
            ),
            ("广西某地果农采收柑橘。", Some("本报记者  周  琳摄"), None),
        ]
    );
    // A photo-only item: its captions are photos, and no text is left.
    assert_eq!(heads(b), (None, Some("图片报道"), None));
    assert!(b.paragraphs.is_empty(), "{:?}", b.paragraphs);
    assert_eq!(
        photos(b),
        [
            (
                "图为9月28日，游客在浙江省某县的一处梯田观景台拍照留念。",
                Some("许晓峰摄（影像中国）"),
                None
            ),
            (
                "图为9月29日，市民在江苏省某市的公园里观赏菊花展。",
                Some("陆  远摄（人民视觉）"),
                None
            ),
        ]
    );
    // 版式设计, 本版制图 and 制图 are layout metadata, kept out of the text.
    for article in &page.articles {
        let all = format!("{:?}", article);
        for name in ["何思雨", "唐一鸣", "钱嘉怡"] {
            assert!(!all.contains(name), "{name} in {}", article.display_title());
        }
    }
}

// ── 6. Inside an article ─────────────────────────────────────────────────

#[test]
fn crossheads_and_a_sidebar_stay_in_the_story() {
    let page = page("pages/crossheads.txt");
    no_warnings(&page);
    let [a, b, c] = page.articles.as_slice() else {
        panic!("three articles expected, got {}", page.articles.len());
    };
    assert_eq!(
        heads(a),
        (
            None,
            Some("加快建设现代化产业体系"),
            Some("——来自长三角地区的调研报告")
        )
    );
    assert_eq!(reporters(a), ["钱文博", "宋佳怡"]);
    assert_starts(
        a,
        &[
            (T, "本报上海6月5日电"),
            // Padded with ideographic spaces to the column's width.
            (X, "坚持创新驱动"),
            (T, "在苏州工业园区,"),
            (T, "“创新是企业的生命线"),
            // Padded with NBSP on both sides.
            (X, "厚植发展优势"),
            (T, "在浙江宁波,数字化"),
            // A two-line cross-head.
            (X, "一、聚焦主责主业"),
            (X, "推动产业链协同发展"),
            (T, "安徽合肥以新能源汽"),
            // A sidebar and its own small head belong to the story.
            (X, "相关链接"),
            (X, "什么是专精特新企业"),
            (T, "专精特新企业是指具"),
        ],
    );
    assert_eq!(a.paragraphs[1], "坚持创新驱动");
    assert_eq!(a.paragraphs[4], "厚植发展优势");
    // Heads followed by a dateline are new stories, not cross-heads.
    assert_eq!(heads(b), (None, Some("沪苏浙皖签署合作协议"), None));
    assert_eq!(reporters(b), ["宋佳怡"]);
    assert_eq!(heads(c), (None, Some("长三角一体化示范区建设提速"), None));
    assert_eq!(reporters(c), ["钱文博"]);
    assert!(b.roles.iter().chain(&c.roles).all(|r| *r == T));
}

#[test]
fn editors_notes_and_summary_boxes_are_notes() {
    let page = page("pages/notes.txt");
    no_warnings(&page);
    let [a, b] = page.articles.as_slice() else {
        panic!("two articles expected, got {}", page.articles.len());
    };
    assert_eq!(
        heads(a),
        (
            None,
            Some("让群众办事更便捷"),
            Some("——各地深化“一网通办”改革见闻")
        )
    );
    // 核心阅读 and its two paragraphs, up to the dateline.
    assert_starts(
        a,
        &[
            (N, "核心阅读"),
            (N, "从“跑多次”到“跑"),
            (N, "如今，越来越多的事"),
            (T, "本报北京3月12日"),
            (T, "据统计，全国一体化"),
        ],
    );
    assert_eq!(reporters(a), ["许文静"]);
    assert_eq!(heads(b), (None, Some("守护一江清水向东流"), None));
    assert_starts(
        b,
        &[
            (N, "编者按：长江是中华"),
            (T, "本报武汉3月12日"),
            (N, "【人物】刘长江，5"),
            (T, "“江里的鱼多了，江"),
        ],
    );
    assert_eq!(reporters(b), ["高雅琴"]);
}

#[test]
fn an_umbrella_headline_over_sub_stories() {
    let page = page("pages/umbrella.txt");
    no_warnings(&page);
    let got: Vec<_> = page
        .articles
        .iter()
        .map(|a| {
            (
                a.column.as_deref(),
                heads(a),
                reporters(a),
                a.paragraphs.len(),
            )
        })
        .collect();
    let umbrella = Some("金秋时节丰收忙");
    assert_eq!(
        got,
        [
            (
                umbrella,
                (None, Some("稻谷飘香机声隆"), Some("——江苏万亩良田开镰收割")),
                vec!["吴天宇"],
                2
            ),
            (
                umbrella,
                (None, Some("玉米入仓农民笑"), Some("——河南秋粮收获进度过半")),
                vec!["马晓宁"],
                2
            ),
            (
                umbrella,
                (
                    None,
                    Some("大豆丰收喜讯传"),
                    Some("——黑龙江大豆亩产再创新高")
                ),
                vec!["郭子健"],
                2
            ),
        ]
    );
}

#[test]
fn a_letter_keeps_its_salutation_signature_and_date() {
    let page = page("pages/letter.txt");
    no_warnings(&page);
    let [a] = page.articles.as_slice() else {
        panic!("one article expected, got {}", page.articles.len());
    };
    assert_eq!(heads(a), (None, Some("致全省广大青年志愿者的一封信"), None));
    assert_starts(
        a,
        &[
            (T, "亲爱的青年志愿者朋"),
            (T, "你们好！春回大地，"),
            (T, "过去一年，广大青年"),
            (T, "希望大家继续弘扬雷"),
            (T, "共青团某某省委员会"),
            (T, "2024年3月5日"),
        ],
    );
    assert_eq!(a.paragraphs[0], "亲爱的青年志愿者朋友们：");
    assert_eq!(a.paragraphs[5], "2024年3月5日");
}

/// No Han character of any page fixture is missing from the articles'
/// fields, layout metadata aside.
#[test]
fn no_han_character_of_any_fixture_is_lost() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut checked = 0;
    for folder in [
        "tests/fixtures/pages",
        "tests/fixtures/crawler/20231001",
        "tests/fixtures/encodings/utf8",
        "feeds/zhumadian-daily/undated",
    ] {
        for entry in std::fs::read_dir(root.join(folder)).expect("a fixture folder") {
            let path = entry.expect("a fixture").path();
            let name = path.display().to_string();
            let text = std::fs::read_to_string(&path).expect("a UTF-8 fixture");
            let parsed = kanbao::source::page::parse(&text, &name);
            let missing = common::text::missing_han(&text, &parsed.articles);
            assert!(missing.is_empty(), "{name}: missing {missing:?}");
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} fixtures");
}
