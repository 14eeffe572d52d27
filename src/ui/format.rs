//! Text for cells: every string from the database passes through
//! `text::for_display` here before it can reach the terminal.
use chrono::{DateTime, TimeZone};

use crate::domain::model::Role;
use crate::domain::phone;
use crate::domain::queue::{Item, ItemKind};
use crate::i18n::{self, Lang, Msg};
use crate::text::for_display;

/// Customer cell: name and masked phone (R30); hidden from roles that may
/// not see confidential records.
pub fn customer(i: &Item, viewer: Role, lang: Lang) -> String {
    if i.anonymous || i.customer_name.is_empty() {
        return Msg::Anonymous.text(lang).to_string();
    }
    if i.confidential && !viewer.sees_confidential() {
        return Msg::Confidential.text(lang).to_string();
    }
    let name = for_display(&i.customer_name);
    if i.phone.is_empty() {
        name.into_owned()
    } else {
        format!("{name} {}", phone::mask(&for_display(&i.phone)))
    }
}

/// Category, or the callback's purpose.
pub fn category(i: &Item, lang: Lang) -> String {
    match (i.kind, i.purpose) {
        (ItemKind::Callback, Some(p)) => i18n::purpose(p, lang).to_string(),
        _ => for_display(if lang == Lang::Zh {
            &i.category_zh
        } else {
            &i.category_en
        })
        .into_owned(),
    }
}

pub fn assignee(i: &Item, lang: Lang) -> String {
    if !i.assignee_name.is_empty() {
        return for_display(&i.assignee_name).into_owned();
    }
    match i.assignee_role {
        Some(r) => format!("[{}]", i18n::role(r, lang)),
        None => "-".to_string(),
    }
}

/// `11-22 14:05` in the center's zone.
pub fn time(ts: i64, tz: chrono_tz::Tz) -> String {
    DateTime::from_timestamp(ts, 0)
        .map(|t| {
            tz.from_utc_datetime(&t.naive_utc())
                .format("%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_default()
}

pub fn clock_hhmm(ts: i64, tz: chrono_tz::Tz) -> String {
    DateTime::from_timestamp(ts, 0)
        .map(|t| {
            tz.from_utc_datetime(&t.naive_utc())
                .format("%H:%M")
                .to_string()
        })
        .unwrap_or_default()
}
