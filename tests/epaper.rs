//! E-paper pages (issue 14), one made-up edition page and article page per
//! system, read field by field: `source::epaper::read` on the decoded file
//! at the address it would have on the paper's site.

use std::path::Path;

use kanbao::model::Photo;
use kanbao::source::decode::decode;
use kanbao::source::epaper::{ArticleLink, Edition, PageLink, Parsed, Story, read};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const SITE: &str = "http://127.0.0.1:8080";

/// Reads fixture `name` as if fetched from `SITE` + `path`.
fn parsed(name: &str, path: &str) -> Parsed {
    let file = Path::new(ROOT).join("tests/fixtures/epaper").join(name);
    let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let text = decode(&bytes)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .text;
    read(&text, Some(&format!("{SITE}{path}"))).unwrap_or_else(|| panic!("{name}: not read"))
}

fn edition(name: &str, path: &str) -> Edition {
    match parsed(name, path) {
        Parsed::Edition(e) => e,
        Parsed::Story(s) => panic!("{name}: an article, not a 版面 page: {s:?}"),
    }
}

fn story(name: &str, path: &str) -> Story {
    match parsed(name, path) {
        Parsed::Story(s) => s,
        Parsed::Edition(e) => panic!("{name}: a 版面 page, not an article: {e:?}"),
    }
}

fn pages(base: &str, list: &[(&str, &str, &str)]) -> Vec<PageLink> {
    list.iter()
        .map(|(number, name, file)| PageLink {
            number: (*number).to_owned(),
            name: Some((*name).to_owned()),
            url: format!("{SITE}{base}{file}"),
        })
        .collect()
}

fn links(list: &[(&str, &str)]) -> Vec<ArticleLink> {
    list.iter()
        .map(|(title, url)| ArticleLink {
            title: (*title).to_owned(),
            url: format!("{SITE}{url}"),
        })
        .collect()
}

fn some(s: &str) -> Option<String> {
    Some(s.to_owned())
}

fn photo(caption: &str, credit: Option<&str>, url: &str) -> Photo {
    Photo {
        caption: caption.to_owned(),
        credit: credit.map(str::to_owned),
        code: None,
        url: Some(format!("{SITE}{url}")),
    }
}

#[test]
fn peoples_daily_current_page() {
    let e = edition(
        "people/node_01.html",
        "/paper/pc/layout/203105/06/node_01.html",
    );
    assert_eq!(
        e,
        Edition {
            date: some("2031-05-06"),
            page: some("01"),
            section: some("要闻"),
            pdf: some(&format!("{SITE}/paper/attachement/203105/06/page_01.pdf")),
            image: some(&format!("{SITE}/paper/pic/203105/06/01/page_01_b.jpg")),
            pages: pages(
                "/paper/pc/layout/203105/06/",
                &[
                    ("01", "要闻", "node_01.html"),
                    ("02", "要闻", "node_02.html"),
                    ("03", "广告", "node_03.html"),
                ]
            ),
            articles: links(&[
                (
                    "湖畔新城绘就发展新图景",
                    "/paper/pc/content/203105/06/content_7001.html"
                ),
                (
                    "青年工匠的第一台机床",
                    "/paper/pc/content/203105/06/content_7002.html"
                ),
                ("图片新闻", "/paper/pc/content/203105/06/content_7003.html"),
            ]),
        }
    );
}

#[test]
fn a_page_without_articles_is_still_a_page_of_the_edition() {
    let e = edition(
        "people/node_03.html",
        "/paper/pc/layout/203105/06/node_03.html",
    );
    assert_eq!(e.page.as_deref(), Some("03"));
    assert_eq!(e.section.as_deref(), Some("广告"));
    assert_eq!(e.pages.len(), 3);
    assert!(e.articles.is_empty());
    assert_eq!(e.date.as_deref(), Some("2031-05-06"));
}

#[test]
fn peoples_daily_current_article() {
    let s = story(
        "people/content_7001.html",
        "/paper/pc/content/203105/06/content_7001.html",
    );
    assert_eq!(
        s,
        Story {
            date: some("2031-05-06"),
            page: some("01"),
            // The 版面 list on an article page does not say which is its own.
            section: None,
            kicker: some("沿着足迹看变化"),
            title: some("湖畔新城绘就发展新图景"),
            subtitle: some("——一座新城五年间的三次转身"),
            author: some("本报记者 程远山 林晓雨"),
            paragraphs: vec![
                "五年前，这里还是一片滩涂。如今，一座座厂房拔地而起，一条条道路通向远方。"
                    .to_owned(),
                "“我们先修路，再建厂，后安居。”新城管委会负责人说，三次转身，每一步都算过账。"
                    .to_owned(),
                "今年一季度，新城规模以上工业增加值同比增长12.5%，高于全市平均水平。".to_owned(),
            ],
            photos: vec![photo(
                "湖畔新城的科创走廊夜景。",
                Some("本报记者 程远山摄"),
                "/paper/pc/pic/203105/06/01/photo_7001.jpg"
            )],
        }
    );
}

#[test]
fn captions_below_pictures_in_the_text_are_photos_not_paragraphs() {
    let s = story(
        "people/content_7003.html",
        "/paper/pc/content/203105/06/content_7003.html",
    );
    assert_eq!(s.title.as_deref(), Some("图片新闻"));
    assert_eq!(s.kicker, None);
    assert_eq!(s.subtitle, None);
    assert_eq!(s.author, None);
    assert!(s.paragraphs.is_empty(), "{:?}", s.paragraphs);
    assert_eq!(
        s.photos,
        [
            photo(
                "5月5日，游客在山间步道上拍照。",
                Some("新华社记者 方明远 摄"),
                "/paper/pc/pic/203105/06/01/photo_7003a.jpg"
            ),
            photo(
                "5月5日，农民在田间查看麦苗长势。",
                None,
                "/paper/pc/pic/203105/06/01/photo_7003b.jpg"
            ),
        ]
    );
}

#[test]
fn peoples_daily_older_page_and_article() {
    let base = "/rmrb/html/2019-03/08/";
    let e = edition(
        "people-old/nbs.D110000renmrb_01.htm",
        &format!("{base}nbs.D110000renmrb_01.htm"),
    );
    assert_eq!(e.date.as_deref(), Some("2019-03-08"));
    assert_eq!(
        (e.page.as_deref(), e.section.as_deref()),
        (Some("01"), Some("要闻"))
    );
    assert_eq!(
        e.pages,
        pages(
            base,
            &[
                ("01", "要闻", "nbs.D110000renmrb_01.htm"),
                ("02", "要闻", "nbs.D110000renmrb_02.htm"),
                ("05", "评论", "nbs.D110000renmrb_05.htm"),
            ]
        )
    );
    assert_eq!(
        e.pdf,
        some(&format!(
            "{SITE}/rmrb/page/2019-03/08/01/rmrb2019030801.pdf"
        ))
    );
    assert_eq!(
        e.image,
        some(&format!(
            "{SITE}/rmrb/page/2019-03/08/01/rmrb2019030801_b.jpg"
        ))
    );
    assert_eq!(
        e.articles,
        links(&[
            (
                "春耕时节话农机",
                "/rmrb/html/2019-03/08/nw.D110000renmrb_20190308_1-01.htm"
            ),
            (
                "一条小巷的烟火气",
                "/rmrb/html/2019-03/08/nw.D110000renmrb_20190308_2-01.htm"
            ),
        ])
    );

    let s = story(
        "people-old/nw.D110000renmrb_20190308_1-01.htm",
        &format!("{base}nw.D110000renmrb_20190308_1-01.htm"),
    );
    assert_eq!(s.kicker.as_deref(), Some("田间观察"));
    assert_eq!(s.title.as_deref(), Some("春耕时节话农机"));
    assert_eq!(s.subtitle, None);
    assert_eq!(s.author.as_deref(), Some("本报记者 温如海"));
    assert_eq!(s.date.as_deref(), Some("2019-03-08"));
    assert_eq!(s.page.as_deref(), Some("01"));
    assert_eq!(s.paragraphs.len(), 3);
    assert_eq!(
        s.paragraphs[2],
        "“农机好用，还得有人会用。”县里今年办了二十期培训班。"
    );
}

#[test]
fn founder_classic_in_gbk() {
    let base = "/sczb/html/2031-05/06/";
    let e = edition("founder/node_2.htm", &format!("{base}node_2.htm"));
    assert_eq!(e.date.as_deref(), Some("2031-05-06"));
    assert_eq!(
        (e.page.as_deref(), e.section.as_deref()),
        (Some("01"), Some("要闻"))
    );
    assert_eq!(
        e.pages,
        pages(
            base,
            &[
                ("01", "要闻", "node_2.htm"),
                ("02", "综合", "node_3.htm"),
                ("03", "文体", "node_4.htm")
            ]
        )
    );
    assert_eq!(
        e.pdf,
        some(&format!(
            "{SITE}/sczb/page/1/2031-05/06/01/2031050601_pdf.pdf"
        ))
    );
    assert_eq!(
        e.articles,
        links(&[
            (
                "市里召开科技创新大会",
                "/sczb/html/2031-05/06/content_501.htm?div=-1"
            ),
            ("老街新貌", "/sczb/html/2031-05/06/content_502.htm?div=-1"),
        ])
    );

    let s = story(
        "founder/content_501.htm",
        &format!("{base}content_501.htm?div=-1"),
    );
    assert_eq!(
        s,
        Story {
            date: some("2031-05-06"),
            page: None,
            section: some("要闻"),
            kicker: some("凝心聚力抓创新"),
            title: some("市里召开科技创新大会"),
            subtitle: some("全年将新建十个研发平台"),
            author: some("记者 钱一鸣 通讯员 孙小北"),
            paragraphs: vec![
                "本报讯 5月5日，市里召开科技创新大会，部署今年重点工作。".to_owned(),
                "会议提出，全年将新建十个研发平台，引进一批创新团队。".to_owned(),
                "会上，二十家企业签订了合作协议。".to_owned(),
            ],
            photos: Vec::new(),
        }
    );
}

#[test]
fn founder_pc_page_and_article() {
    let e = edition(
        "founder-pc/node_01.html",
        "/wb/pc/layout/203105/06/node_01.html",
    );
    assert_eq!(e.date.as_deref(), Some("2031-05-06"));
    assert_eq!(
        (e.page.as_deref(), e.section.as_deref()),
        (Some("A01"), Some("封面"))
    );
    assert_eq!(e.pages.len(), 3);
    assert_eq!(e.pages[2].number, "A03");
    assert_eq!(
        e.pdf,
        some(&format!("{SITE}/wb/pc/images/2031-05/06/A01/A01.pdf"))
    );
    assert_eq!(
        e.articles,
        links(&[
            (
                "江边步道串起城市客厅",
                "/wb/pc/content/203105/06/content_901.html"
            ),
            (
                "夜市里的新生意",
                "/wb/pc/content/203105/06/content_902.html"
            ),
        ])
    );

    let s = story(
        "founder-pc/content_901.html",
        "/wb/pc/content/203105/06/content_901.html",
    );
    assert_eq!(
        s,
        Story {
            date: some("2031-05-06"),
            page: some("A01"),
            section: some("封面"),
            kicker: some("家门口的好去处"),
            title: some("江边步道串起城市客厅"),
            subtitle: some("全长十二公里 年底全线贯通"),
            author: some("记者 周晚晴"),
            paragraphs: vec![
                "傍晚时分，江边步道上散步的市民络绎不绝。".to_owned(),
                "步道沿线新建了五处驿站，提供饮水、休憩和应急服务。".to_owned(),
            ],
            photos: vec![photo(
                "市民在江边步道上骑行。",
                Some("记者 周晚晴 摄"),
                "/wb/pc/images/2031-05/06/A01/res01_attpic_brief.jpg"
            )],
        }
    );
}

#[test]
fn other_html_is_not_an_epaper_page() {
    let html = "<html><body><h1>标题</h1><p>一段话。</p><a href='/about'>关于</a></body></html>";
    assert_eq!(read(html, Some("http://127.0.0.1/")), None);
}
