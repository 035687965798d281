//! Page layouts other than the sample's (issue 2, section 5): one fixture
//! per layout in tests/fixtures/pages/, each read as a user's file would be.

use std::path::Path;

use kanbao::model::Article;
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
