//! Feed dates, read the way real feeds write them.
//!
//! RFC 822/2822 and RFC 3339 first; then, leniently: a wrong weekday is
//! ignored; one-digit days and times, long month names, a comma after the
//! month, no seconds, no time (`Thu, 01 Jan 2004`), asctime (`Sun Jan  4
//! 16:29:06 2004`), the year after the time, two-digit years (00–49 are
//! 20xx), ISO 8601's short forms (`2003-12`, `2003`, `03-12-31`, `031231`,
//! ordinal `2003-335`), `2004-07-08 23:56:58.0`, `2006/09/15`, and Chinese
//! `2024年3月12日 09:30`, `上午10:30`, `10时30分`. Zones: `Z`, `+08`,
//! `+0800`, `+08:00`, `GMT+8`, `UTC+08:00`, `Etc/GMT`, and the names feeds
//! use (`GMT`, `EST`, `ET`, `MET`, `MEST`, `JST` …). `CST` is China
//! Standard Time, and a time written with no zone is taken as China's
//! (UTC+8), as Chinese feeds mean it; a date with no time is that day at
//! midnight UTC. Anything else that is not a part of a date (a month name
//! in another language, `25:00`, a 13th month) makes the whole text unread:
//! a wrong date is worse than none.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};

/// China Standard Time, for `CST` and for times written without a zone.
const CHINA: i32 = 8 * 3600;

/// A feed's timestamp with its own offset, or `None` if it cannot be read.
pub fn timestamp(text: &str) -> Option<DateTime<FixedOffset>> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    // chrono takes `CST` for US Central time; here it is China's.
    if !text.contains("CST")
        && let Ok(t) = DateTime::parse_from_rfc2822(text)
    {
        return Some(t);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t);
    }
    let (when, offset, timed) = iso(text).or_else(|| loose(text))?;
    // A day with no time names that day anywhere: midnight UTC, which is
    // the same date in the item's own clock. A time with no zone is China's.
    let local = if timed { CHINA } else { 0 };
    let offset = FixedOffset::east_opt(offset.unwrap_or(local))?;
    when.and_local_timezone(offset).single()
}

/// ISO 8601 and its relatives: a date (`2003-12-31`, `2003-012-31`,
/// `2003-12`, `2003`, `20031231`, `03-12-31`, `031231`, `-0312`, `-03-12`,
/// ordinal `2003-335`, `2003/12/31`), then optionally `T` or a
/// space and `HH:MM[:SS[.fraction]]`, then optionally a zone.
fn iso(text: &str) -> Option<(NaiveDateTime, Option<i32>, bool)> {
    let (date, rest) = match text.find(['T', ' ']) {
        Some(at) => (&text[..at], Some(text[at + 1..].trim_start())),
        None => (text, None),
    };
    let date = iso_date(date)?;
    let Some(rest) = rest else {
        return Some((date.and_hms_opt(0, 0, 0)?, None, false));
    };
    let zone_at = rest
        .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.'))
        .unwrap_or(rest.len());
    let time = clock(&rest[..zone_at])?;
    let zone = rest[zone_at..].trim();
    let offset = if zone.is_empty() {
        None
    } else {
        Some(zone_offset(zone)?)
    };
    Some((date.and_time(time), offset, true))
}

fn iso_date(date: &str) -> Option<NaiveDate> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let num = |s: &str| s.parse::<u32>().ok();
    let year2 = |s: &str| {
        let y = num(s)? as i32;
        Some(if y < 50 { 2000 + y } else { 1900 + y })
    };
    let parts: Vec<&str> = date.split(['-', '/']).collect();
    match parts.as_slice() {
        [y] if digits(y) && y.len() == 4 => NaiveDate::from_ymd_opt(num(y)? as i32, 1, 1),
        [y] if digits(y) && y.len() == 8 => {
            NaiveDate::from_ymd_opt(num(&y[..4])? as i32, num(&y[4..6])?, num(&y[6..])?)
        }
        [y] if digits(y) && y.len() == 6 => {
            NaiveDate::from_ymd_opt(year2(&y[..2])?, num(&y[2..4])?, num(&y[4..])?)
        }
        ["", ym] if digits(ym) && ym.len() == 4 => {
            NaiveDate::from_ymd_opt(year2(&ym[..2])?, num(&ym[2..])?, 1)
        }
        ["", y, m] if digits(y) && digits(m) && y.len() == 2 && m.len() == 2 => {
            NaiveDate::from_ymd_opt(year2(y)?, num(m)?, 1)
        }
        [y, m] if digits(y) && digits(m) && y.len() == 4 && m.len() == 2 => {
            NaiveDate::from_ymd_opt(num(y)? as i32, num(m)?, 1)
        }
        [y, d] if digits(y) && digits(d) && y.len() == 4 && d.len() == 3 => {
            NaiveDate::from_yo_opt(num(y)? as i32, num(d)?)
        }
        [y, m, d] if [y, m, d].iter().all(|p| digits(p)) && m.len() <= 3 && d.len() <= 2 => {
            let year = match y.len() {
                4 => num(y)? as i32,
                2 => year2(y)?,
                _ => return None,
            };
            NaiveDate::from_ymd_opt(year, num(m)?, num(d)?)
        }
        _ => None,
    }
}

/// `H:MM`, `HH:MM:SS`, `HH:MM:SS.fraction` (the fraction dropped).
fn clock(text: &str) -> Option<NaiveTime> {
    let (main, fraction) = match text.split_once('.') {
        Some((main, fraction)) => (main, Some(fraction)),
        None => (text, None),
    };
    if fraction.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let parts: Vec<u32> = main
        .split(':')
        .map(|p| {
            (!p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse().ok())
                .flatten()
        })
        .collect::<Option<_>>()?;
    match parts.as_slice() {
        [h, m] => NaiveTime::from_hms_opt(*h, *m, 0),
        [h, m, s] => NaiveTime::from_hms_opt(*h, *m, *s),
        _ => None,
    }
}

/// A zone: an offset (`+08`, `+0800`, `+08:00`, `-8`), a name, or a name
/// and an offset (`GMT+8`, `UTC+08:00`); seconds east of UTC.
fn zone_offset(zone: &str) -> Option<i32> {
    let zone = zone.trim_matches(|c| c == '(' || c == ')');
    if let Some(sign) = zone.chars().next().filter(|c| *c == '+' || *c == '-') {
        let body = &zone[1..];
        let (h, m) = match body.split_once(':') {
            Some((h, m)) => (h, m),
            None if body.len() == 4 => (&body[..2], &body[2..]),
            None if body.len() <= 2 => (body, "0"),
            None => return None,
        };
        let valid =
            |s: &str| !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit());
        if !valid(h) || !valid(m) {
            return None;
        }
        let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
        if h > 23 || m > 59 {
            return None;
        }
        let seconds = h * 3600 + m * 60;
        return Some(if sign == '-' { -seconds } else { seconds });
    }
    let split = zone.find(['+', '-']).unwrap_or(zone.len());
    let (name, offset) = zone.split_at(split);
    let base = named_zone(name)?;
    if offset.is_empty() {
        Some(base)
    } else {
        Some(base + zone_offset(offset)?)
    }
}

/// Zone names feeds use, as hours east of UTC. `CST` is China's.
fn named_zone(name: &str) -> Option<i32> {
    let hours = match name.to_ascii_uppercase().as_str() {
        "Z" | "UT" | "UTC" | "GMT" | "ETC/GMT" | "ETC/UTC" | "WET" => 0,
        "CST" | "CCT" | "HKT" | "SGT" | "AWST" | "北京时间" => 8,
        "JST" | "KST" => 9,
        "MET" | "CET" | "BST" | "WEST" => 1,
        "MEST" | "CEST" | "EET" => 2,
        "EEST" | "MSK" => 3,
        "ADT" => -3,
        "AST" | "AT" | "EDT" => -4,
        "EST" | "ET" | "CDT" => -5,
        "CT" | "MDT" => -6,
        "MST" | "MT" | "PDT" => -7,
        "PST" | "PT" => -8,
        _ => return None,
    };
    Some(hours * 3600)
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const LONG_MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];
const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const LONG_DAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// RFC 822 as it is really written, asctime, and dates in any order of
/// day, month name and year; every word must be read.
fn loose(text: &str) -> Option<(NaiveDateTime, Option<i32>, bool)> {
    // Chinese 年月日 (and Korean 년월일) as a numeric date, 时分秒 as a
    // clock, and 上午/下午 apart from the time they are written against.
    let text = text
        .replace(['年', '月', '년', '월'], "-")
        .replace(['日', '일'], " ")
        .replace("- ", "-")
        .replace(['时', '分'], ":")
        .replace('秒', "")
        .replace(',', " ");
    let text = ["上午", "下午", "오전", "오후"]
        .iter()
        .fold(text, |t, mark| t.replace(mark, &format!(" {mark} ")));
    let (mut year, mut month, mut day) = (None, None, None);
    let (mut time, mut offset, mut afternoon) = (None, None, None);
    for word in text.split_whitespace() {
        let lower = word.trim_end_matches('.').to_lowercase();
        let digits = word.bytes().all(|b| b.is_ascii_digit());
        if DAYS.contains(&lower.as_str()) || LONG_DAYS.contains(&lower.as_str()) {
            // The weekday says nothing the date does not (and is often wrong).
        } else if let Some(m) = (MONTHS.iter().position(|m| *m == lower))
            .or_else(|| LONG_MONTHS.iter().position(|m| *m == lower))
            .filter(|_| month.is_none())
        {
            month = Some(m as u32 + 1);
        } else if digits && word.len() <= 2 && day.is_none() {
            day = Some(word.parse().ok()?);
        } else if digits && (word.len() == 4 || word.len() == 2) && year.is_none() {
            let y: i32 = word.parse().ok()?;
            year = Some(match word.len() {
                2 if y < 50 => 2000 + y,
                2 => 1900 + y,
                _ => y,
            });
        } else if word.contains(':')
            && time.is_none()
            && word.starts_with(|c: char| c.is_ascii_digit())
        {
            time = Some(clock(word.trim_end_matches(':'))?);
        } else if (word.contains('-') || word.contains('/'))
            && word.starts_with(|c: char| c.is_ascii_digit())
            && year.is_none()
        {
            let date = iso_date(word)?;
            (year, month, day) = (Some(date.year()), Some(date.month()), Some(date.day()));
        } else if matches!(lower.as_str(), "am" | "오전" | "上午") {
            afternoon = Some(false);
        } else if matches!(lower.as_str(), "pm" | "오후" | "下午") {
            afternoon = Some(true);
        } else if offset.is_none() {
            offset = Some(zone_offset(word)?);
        } else {
            return None;
        }
    }
    let timed = time.is_some();
    let mut time = time.unwrap_or_default();
    if let Some(pm) = afternoon {
        use chrono::Timelike;
        let hour = time.hour() % 12 + if pm { 12 } else { 0 };
        time = time.with_hour(hour)?;
    }
    let date = NaiveDate::from_ymd_opt(year?, month?, day?)?;
    Some((date.and_time(time), offset, timed))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> Option<String> {
        timestamp(text).map(|t| t.naive_utc().format("%Y-%m-%d %H:%M:%S").to_string())
    }

    #[test]
    fn real_feeds_dates() {
        for (text, expected) in [
            // A wrong weekday (1 Oct 2023 was a Sunday) is ignored.
            ("Mon, 01 Oct 2023 08:00:00 +0800", "2023-10-01 00:00:00"),
            ("2023-10-01 08:00", "2023-10-01 00:00:00"),
            ("2023年10月01日 08:00", "2023-10-01 00:00:00"),
            ("2023年10月1日", "2023-10-01 00:00:00"),
            ("2024年3月4日 上午10:30", "2024-03-04 02:30:00"),
            ("2024年3月4日 下午3:05", "2024-03-04 07:05:00"),
            ("2024年3月4日 10时30分", "2024-03-04 02:30:00"),
            ("2024年3月4日10时30分20秒", "2024-03-04 02:30:20"),
            ("Sun, 01 Oct 2023 08:00:00 +08", "2023-10-01 00:00:00"),
            ("Sun, 01 Oct 2023 08:00:00 GMT+8", "2023-10-01 00:00:00"),
            ("Sun, 01 Oct 2023 08:00:00 CST", "2023-10-01 00:00:00"),
            ("Sun, 01 Oct 2023 08:00:00", "2023-10-01 00:00:00"),
            ("Thu, 01 Jan 2004 19:48:21 GMT", "2004-01-01 19:48:21"),
            ("Thu,  5 Apr 2012 10:00:00 GMT", "2012-04-05 10:00:00"),
            ("Wed, 19 Aug 2009 18:28:00 Etc/GMT", "2009-08-19 18:28:00"),
            ("Wed, 19 Feb 2012 22:40:00 GMT-01:01", "2012-02-19 23:41:00"),
            ("Mon, 13 Feb, 2012 06:28:00 UTC", "2012-02-13 06:28:00"),
            ("Mon, 26 January 2004 16:31:00 ET", "2004-01-26 21:31:00"),
            ("Thu, 30 Apr 2015 08:57:00 MET", "2015-04-30 07:57:00"),
            ("Thu Aug 30 2012 17:26:16 +0200", "2012-08-30 15:26:16"),
            ("Sun Jul 15 01:16:00 +0000 2012", "2012-07-15 01:16:00"),
            ("Fri, 2006/09/15 08:19:53 EDT", "2006-09-15 12:19:53"),
            ("2003-12-31T10:14:55.1234Z", "2003-12-31 10:14:55"),
            ("2003-012-31T10:14:55+00:00", "2003-12-31 10:14:55"),
            ("2004-07-08 23:56:58 -00:20", "2004-07-09 00:16:58"),
            ("03-12-31", "2003-12-31 00:00:00"),
            ("2003", "2003-01-01 00:00:00"),
            ("Thu, 01 Jan 2004", "2004-01-01 00:00:00"),
            ("Sun Jan  4 16:29:06 2004", "2004-01-04 08:29:06"),
        ] {
            assert_eq!(utc(text).as_deref(), Some(expected), "{text}");
        }
    }

    #[test]
    fn what_is_not_a_date_is_not_read() {
        for text in [
            "",
            "Sun, 16 Dec 2012 1:2:3:4 GMT",
            "Sun, 16 zzz 2012 11:47:32 GMT",
            "Sun, Dec x 2012 11:47:32 GMT",
            "Sun, 16 Dec zz 11:47:32 GMT",
            "Sun, 16 Dec 2012 11:47:32 +zz:00",
            "Sun, 99 Jun 2009 12:00:00 GMT",
            "2003-12-31T25:14:55Z",
            "2013-01-28T11:30:00-06:00Textra",
            "2013-xx-27",
            "22013",
            "013",
            "2013-01-27-01",
            "Κυρ, 11 Ιούλ 2004 12:00:00 EST",
            "昨天",
        ] {
            assert_eq!(utc(text), None, "{text}");
        }
    }
}
