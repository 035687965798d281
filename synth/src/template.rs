//! Sentences with holes: a seed text's line such as
//! `{日}，{县}举行重大项目集中开工仪式，{几}个项目总投资{点}亿元。` is read
//! once into a [`Template`] of text pieces and [`Slot`]s, which
//! [`crate::cast::Cast`] fills anew for every article.

/// What a placeholder stands for. The marks are the ones the seed texts
/// use; see `synth/src/seeds.rs` for the list with examples.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Slot {
    /// `{名}` a person: 王建国, 欧阳晓.
    Person,
    /// `{县}` a county, district or county-level city: 平阳县.
    County,
    /// `{镇}` a town or township: 柳林镇, 石桥乡.
    Town,
    /// `{村}` a village: 李庄村.
    Village,
    /// `{企}` a company: 瑞丰食品有限公司.
    Company,
    /// `{校}` a school: 平阳县第三高级中学.
    School,
    /// `{医}` a hospital or clinic: 平阳县人民医院.
    Hospital,
    /// `{法}` a court: 平阳县人民法院.
    Court,
    /// `{社}` a farmers' cooperative: 李庄辣椒种植专业合作社.
    Coop,
    /// `{队}` a sports team: 平阳县代表队.
    Team,
    /// `{局}` a government office: 市农业农村局.
    Office,
    /// `{路}` a road or street: 建设路.
    Road,
    /// `{日}` a day shortly before the issue: 10月30日.
    Day,
    /// `{年}` the year or the one before: 2026年.
    Year,
    /// `{几}` a small count, 2 to 60.
    Few,
    /// `{百}` 100 to 999.
    Hundreds,
    /// `{千}` 1000 to 9999.
    Thousands,
    /// `{点}` 0.1 to 99.9, one decimal.
    Decimal,
}

impl Slot {
    /// Every slot with its mark, in the order of [`Slot`].
    pub(crate) const ALL: [(Slot, &'static str); 18] = [
        (Slot::Person, "名"),
        (Slot::County, "县"),
        (Slot::Town, "镇"),
        (Slot::Village, "村"),
        (Slot::Company, "企"),
        (Slot::School, "校"),
        (Slot::Hospital, "医"),
        (Slot::Court, "法"),
        (Slot::Coop, "社"),
        (Slot::Team, "队"),
        (Slot::Office, "局"),
        (Slot::Road, "路"),
        (Slot::Day, "日"),
        (Slot::Year, "年"),
        (Slot::Few, "几"),
        (Slot::Hundreds, "百"),
        (Slot::Thousands, "千"),
        (Slot::Decimal, "点"),
    ];

    fn of_mark(mark: &str) -> Option<Slot> {
        Slot::ALL
            .iter()
            .find(|(_, m)| *m == mark)
            .map(|(slot, _)| *slot)
    }

    /// The slot's place in [`Slot::ALL`], to index tables by.
    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

/// One piece of a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    Text(&'static str),
    Slot(Slot),
}

/// A line of a seed text, cut into text and slots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Template {
    pub(crate) parts: Vec<Part>,
    /// The line as written, for messages.
    pub(crate) source: &'static str,
}

impl Template {
    /// Reads `{…}` marks; an unknown mark or a brace left open is an
    /// error naming the line.
    pub(crate) fn parse(line: &'static str) -> Result<Template, String> {
        let mut parts = Vec::new();
        let mut rest = line;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                parts.push(Part::Text(&rest[..open]));
            }
            let after = &rest[open + 1..];
            let close = after
                .find('}')
                .ok_or_else(|| format!("\"{line}\": a {{ is not closed"))?;
            let mark = &after[..close];
            let slot = Slot::of_mark(mark)
                .ok_or_else(|| format!("\"{line}\": unknown placeholder {{{mark}}}"))?;
            parts.push(Part::Slot(slot));
            rest = &after[close + 1..];
        }
        if rest.contains('}') {
            return Err(format!("\"{line}\": a }} without its {{"));
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest));
        }
        Ok(Template {
            parts,
            source: line,
        })
    }

    /// The literal text, slots left out.
    #[cfg(test)]
    pub(crate) fn text(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.parts.iter().filter_map(|p| match p {
            Part::Text(t) => Some(*t),
            Part::Slot(_) => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_become_slots_between_text() {
        let t = Template::parse("{日}，{县}投资{点}亿元。").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            t.parts,
            [
                Part::Slot(Slot::Day),
                Part::Text("，"),
                Part::Slot(Slot::County),
                Part::Text("投资"),
                Part::Slot(Slot::Decimal),
                Part::Text("亿元。"),
            ]
        );
        let plain = Template::parse("没有占位符。").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(plain.parts, [Part::Text("没有占位符。")]);
    }

    #[test]
    fn unknown_or_open_marks_are_errors() {
        for (line, wanted) in [
            ("{省}的", "unknown placeholder {省}"),
            ("{县", "not closed"),
            ("县}", "without its"),
        ] {
            match Template::parse(line) {
                Ok(t) => panic!("{line} read as {t:?}"),
                Err(e) => assert!(e.contains(wanted), "{e}"),
            }
        }
    }

    #[test]
    fn slots_index_their_table_row() {
        for (i, (slot, _)) in Slot::ALL.iter().enumerate() {
            assert_eq!(slot.index(), i);
        }
    }
}
