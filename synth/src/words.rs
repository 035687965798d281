//! The word lists names are made of: surnames and given-name characters,
//! the syllables of place names and trade names, and the kinds of office,
//! company, school and road that news is about.
//!
//! None of the lists holds 讯 电 报 网 台 刊 or 摄: the page parser takes a
//! paragraph whose first words hold 报/社/网/台/刊 and then 讯/电 for one
//! opening with a dateline (`本报讯`, `新华社北京9月30日电`), and a name
//! ending in 摄 for a photo credit; a made-up name must never make either.
//! (社 is in 合作社 and 社会保障局; the seed texts keep 讯 and 电 out of
//! the first words of a sentence, see `seeds`.)

/// Common surnames, most common first (picks favour the front).
pub(crate) const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝";

/// Two-character surnames, used now and then.
pub(crate) const COMPOUND_SURNAMES: [&str; 8] = [
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "令狐", "慕容",
];

/// Characters of given names.
pub(crate) const GIVEN: &str = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂英华红玉兰萍鹏辉建国文斌宇浩凯健俊帆帅旭宁龙林欣婷雪琳晶慧颖倩佳嘉怡悦楠博晨阳鑫昊然睿泽子轩涵梓诗雨思梦彤瑶璐露蕾蓉荣峰波亮飞成志海江山春秋冬梅兵东新云光德胜利福祥庆喜宝生青清永长立民安金银松柏树森振兴家和顺友富贵才发旺全忠义仁礼信智勤俭朴实诚毅坚彬晖炜烨煜昕晓曦瑞琪琦璇瑾瑜璟珂珊琼琴芬芸莉菲萌蓓薇茜菁蕊岚媛姗娅婕妍婉娴淑贤惠秀月星辰宏伦庭航远达鸿铭锦钰铮锋翔骏驰腾扬舟川河泉涌源洁淼沛溪潇洪湘汉晋豫冀皖卫宪学政治勋昌盛隆耀彩丹晴朗亭玲凤燕鸣鹤雁莹茹艺乐歌舒心意卓越尚启迪言哲恒坤乾泰丰良善美蓝巧凡亚男铁柱栋梁根茂满仓保增广占力先芝桃杏菊荷莲翠霖锐盼彦骞韬毓琨璋";

/// Syllables of place names (counties, towns, villages, roads).
pub(crate) const PLACE: &str = "安平阳宁丰兴新东西南北河山泉清长永庆和华宝通城集店庄桥湖岗寨营坡沟堡楼铺口坪塘溪源林杨柳桃李杏梨槐榆松柏竹梅兰金银玉石铁铜马牛龙凤鹤鹿白黄红青绿紫高大小上下前后中三五八双古老仁义礼信福寿吉祥瑞乐康顺德盛昌明光辉春秋汝淮汴洛颍沙洪汾渭泌确遂蔡驿宜正孟商柘杞尉睢鄢舞郏叶滑濮淇温获修沁武陟封丘邑郸沈项息潢固始罗桐陵阜";

/// What villages named after a family are called: 李庄, 王营.
pub(crate) const VILLAGE_ENDINGS: [&str; 10] =
    ["庄", "营", "寨", "楼", "店", "屯", "湾", "岗", "集", "洼"];

/// Syllables of company and club names (恒达, 瑞丰).
pub(crate) const BRAND: &str = "恒达华信瑞丰盛鑫源泰宏嘉佳益康美新力天中豫汇通博远科创联合金银龙凯宇航正大永昌隆兴顺荣诚德明辉光锦润禾绿洲晟昊升泓森鼎宸煌亿万豪弘祥福景逸鸿裕";

/// What companies make or do.
pub(crate) const TRADES: [&str; 30] = [
    "食品",
    "面业",
    "农业科技",
    "生物科技",
    "机械",
    "装备制造",
    "纺织",
    "服饰",
    "物流",
    "建材",
    "新材料",
    "药业",
    "化工",
    "包装",
    "印务",
    "家居",
    "汽车零部件",
    "饲料",
    "种业",
    "乳业",
    "肉类加工",
    "粮油",
    "酒业",
    "茶业",
    "钢结构",
    "环保科技",
    "智能科技",
    "信息技术",
    "新能源",
    "商贸",
];

/// How a company is registered.
pub(crate) const COMPANY_FORMS: [&str; 4] =
    ["有限公司", "有限公司", "股份有限公司", "集团有限公司"];

/// Government offices (局, 委员会) of a city or a county.
pub(crate) const OFFICES: [&str; 24] = [
    "农业农村局",
    "发展和改革委员会",
    "教育局",
    "财政局",
    "人力资源和社会保障局",
    "自然资源和规划局",
    "生态环境局",
    "住房和城乡建设局",
    "交通运输局",
    "水利局",
    "商务局",
    "文化和旅游局",
    "卫生健康委员会",
    "应急管理局",
    "市场监督管理局",
    "统计局",
    "医疗保障局",
    "林业局",
    "民政局",
    "司法局",
    "公安局",
    "科技局",
    "工业和信息化局",
    "体育局",
];

/// What farmers' cooperatives grow (种植专业合作社) …
pub(crate) const CROPS: [&str; 12] = [
    "蔬菜",
    "辣椒",
    "花生",
    "食用菌",
    "中药材",
    "林果",
    "小麦",
    "红薯",
    "莲藕",
    "葡萄",
    "黄桃",
    "芝麻",
];

/// … and keep (养殖专业合作社).
pub(crate) const LIVESTOCK: [&str; 6] = ["肉牛", "蛋鸡", "生猪", "肉羊", "奶牛", "水产"];

/// Sports a club plays.
pub(crate) const SPORTS: [&str; 4] = ["足球", "篮球", "排球", "乒乓球"];

/// Names roads are given besides place syllables.
pub(crate) const ROAD_NAMES: [&str; 16] = [
    "人民", "解放", "建设", "中山", "文化", "胜利", "和平", "新华", "光明", "团结", "友谊", "健康",
    "开源", "雪松", "置地", "天中",
];

/// What a road is called.
pub(crate) const ROAD_KINDS: [&str; 4] = ["路", "路", "大道", "街"];

/// Ordinals of schools and hospitals (第三高级中学).
pub(crate) const ORDINALS: [&str; 12] = [
    "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二",
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Characters that would make a page parser read a name as part of a
    /// dateline or a photo credit.
    const RISKY: [char; 7] = ['报', '网', '台', '刊', '讯', '电', '摄'];

    fn distinct(text: &str) -> usize {
        let mut chars: Vec<char> = text.chars().collect();
        chars.sort_unstable();
        chars.dedup();
        chars.len()
    }

    #[test]
    fn the_character_lists_are_long_and_hold_each_character_once() {
        for (name, list, least) in [
            ("SURNAMES", SURNAMES, 100),
            ("GIVEN", GIVEN, 300),
            ("PLACE", PLACE, 150),
            ("BRAND", BRAND, 60),
        ] {
            let n = list.chars().count();
            assert_eq!(distinct(list), n, "{name} repeats a character");
            assert!(n >= least, "{name} has only {n} characters");
        }
    }

    #[test]
    fn no_list_holds_a_character_the_page_parser_reads_as_a_dateline() {
        let strings = [SURNAMES, GIVEN, PLACE, BRAND];
        let tables: [&[&str]; 11] = [
            &COMPOUND_SURNAMES,
            &VILLAGE_ENDINGS,
            &TRADES,
            &COMPANY_FORMS,
            &OFFICES,
            &CROPS,
            &LIVESTOCK,
            &SPORTS,
            &ROAD_NAMES,
            &ROAD_KINDS,
            &ORDINALS,
        ];
        let all = strings
            .into_iter()
            .chain(tables.into_iter().flatten().copied());
        for word in all {
            assert!(!word.contains(RISKY), "{word}");
        }
    }
}
