//! The sample page (feeds/zhumadian-daily) must come out exactly as the
//! table in issue 2 says, field by field, through `kanbao parse --json`.

use std::process::Command;

use serde_json::Value;

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/feeds/zhumadian-daily/undated/zhumadian-daily-page.txt"
);

fn parse_json() -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_kanbao"))
        .args(["parse", "--json", SAMPLE])
        .output()
        .expect("run kanbao");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .expect("an array")
        .iter()
        .map(|s| s.as_str().expect("a string"))
        .collect()
}

#[test]
fn three_articles_and_no_warnings() {
    let json = parse_json();
    assert_eq!(json["articles"].as_array().map(Vec::len), Some(3));
    assert_eq!(json["warnings"], Value::Array(vec![]));
}

#[test]
fn article_1_conference() {
    let json = parse_json();
    let a = &json["articles"][0];
    assert_eq!(a["kicker"], "2023年全市科技工作暨党风廉政建设工作会议提出");
    assert_eq!(a["title"], "奋力建设区域创新高地");
    assert_eq!(a["subtitle"], Value::Null);
    assert_eq!(strings(&a["byline"]["reporters"]), ["黄育南", "张宁"]);
    assert_eq!(strings(&a["byline"]["correspondents"]), ["袁浩楠"]);
    let paragraphs = strings(&a["paragraphs"]);
    assert_eq!(paragraphs.len(), 4);
    // The credit line stays at the start of its paragraph.
    assert!(paragraphs[0].starts_with("本报讯(记者 黄育南 张宁 通讯员 袁浩楠)3月7日,"));
    // Two paragraphs were cut by the printed column and are joined again.
    assert!(paragraphs[2].contains("推动科技创新工作取得了显著成效。"));
    assert!(paragraphs[3].contains("强化企业创新主体地位"));
    // The editor code is removed from the text and kept on its own.
    assert!(paragraphs[3].ends_with("作出新的更大贡献。"));
    assert_eq!(a["editor_code"], "⑤3");
    assert_eq!(a["column"], Value::Null);
    assert_eq!(a["photos"], Value::Array(vec![]));
}

#[test]
fn article_2_interview() {
    let json = parse_json();
    let a = &json["articles"][1];
    assert_eq!(a["kicker"], Value::Null);
    assert_eq!(a["title"], "学用结合 推进科技工作上新台阶");
    assert_eq!(a["subtitle"], "访市科技局党组书记、局长万小成");
    assert_eq!(a["byline"]["text"], "记者 黄育南");
    assert_eq!(strings(&a["byline"]["reporters"]), ["黄育南"]);
    assert!(strings(&a["byline"]["correspondents"]).is_empty());
    let paragraphs = strings(&a["paragraphs"]);
    assert_eq!(paragraphs.len(), 5);
    assert!(paragraphs[0].starts_with("“学习好、宣传好、贯彻好党的二十大精神"));
    assert!(paragraphs[4].starts_with("万小成坚定地表示"));
    assert_eq!(a["editor_code"], "⑤3");
    assert_eq!(a["column"], "学习贯彻党的二十大精神 局长访谈");
    assert_eq!(a["photos"], Value::Array(vec![]));
}

#[test]
fn article_3_womens_day_with_photos() {
    let json = parse_json();
    let a = &json["articles"][2];
    assert_eq!(a["kicker"], Value::Null);
    assert_eq!(a["title"], "巾帼竞芬芳 灿烂耀春晖");
    assert_eq!(a["subtitle"], Value::Null);
    assert_eq!(a["byline"]["text"], "记者 王伟 张宁 文/图");
    assert_eq!(strings(&a["byline"]["reporters"]), ["王伟", "张宁"]);
    assert!(strings(&a["byline"]["correspondents"]).is_empty());
    assert_eq!(strings(&a["paragraphs"]).len(), 2);
    assert_eq!(a["editor_code"], "⑤3");
    assert_eq!(a["column"], Value::Null);
    let photos = a["photos"].as_array().expect("photos");
    let captions: Vec<&str> = photos
        .iter()
        .map(|p| p["caption"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        captions,
        [
            "投球。",
            "插花。",
            "摸石头过河。",
            "车轮滚滚。",
            "拔河。",
            "茶杯气球接力赛。"
        ]
    );
    assert!(
        photos
            .iter()
            .all(|p| p["code"] == "⑥2" && p["credit"].is_null())
    );
}

#[test]
fn paragraphs_are_the_stored_text_without_layout_artifacts() {
    let stored = std::fs::read_to_string(SAMPLE).expect("sample");
    let json = parse_json();
    for article in json["articles"].as_array().expect("articles") {
        for p in strings(&article["paragraphs"]) {
            assert!(!p.contains('⑤') && !p.contains('\n'), "{p}");
            // Every paragraph is made of stored text: each piece of it,
            // cut where the page layout cut it, stands in the file as is.
            let first_piece: String = p.chars().take(20).collect();
            assert!(stored.contains(&first_piece), "{first_piece}");
        }
    }
    let joined = &json["articles"][0]["paragraphs"][2];
    let stored_cut = "推动科\n\n技创新工作取得了显著成效。";
    assert!(stored.contains(stored_cut));
    assert!(
        joined
            .as_str()
            .unwrap_or("")
            .contains("推动科技创新工作取得了显著成效。")
    );
}

#[test]
fn source_lines_cover_each_article() {
    let json = parse_json();
    let lines: Vec<(u64, u64)> = json["articles"]
        .as_array()
        .expect("articles")
        .iter()
        .map(|a| {
            let s = &a["source"];
            (
                s["first_line"].as_u64().unwrap_or(0),
                s["last_line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(lines, [(3, 17), (19, 35), (39, 69)]);
}
