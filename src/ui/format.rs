//! Text for cells: every string from the database passes through
//! `text::for_display` here before it can reach the terminal.
use crate::domain::privacy;
use chrono::{DateTime, TimeZone};

use crate::domain::model::Role;
use crate::domain::queue::{Item, ItemKind};
use crate::i18n::{self, Lang, Msg};
use crate::text::for_display;

/// Customer cell: name and phone as R30 lets `viewer` see it (whole only
/// when `handling` the record); hidden from roles that may not see
/// confidential records.
pub fn customer(i: &Item, viewer: Role, handling: bool, lang: Lang) -> String {
    if i.anonymous || i.customer_name.is_empty() {
        return Msg::Anonymous.text(lang).to_string();
    }
    if !privacy::may_see(viewer, i.confidential) {
        return Msg::Confidential.text(lang).to_string();
    }
    let name = for_display(&i.customer_name);
    if i.phone.is_empty() {
        name.into_owned()
    } else {
        let view = privacy::phone_view(viewer, i.confidential, handling);
        format!(
            "{name} {}",
            privacy::show_phone(&for_display(&i.phone), view)
        )
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

/// A history entry's change, with times in the center's zone (an agreed
/// callback is stored as a timestamp).
pub fn event_change(kind: &str, change: &str, new: Option<&str>, tz: chrono_tz::Tz) -> String {
    match (kind, new.and_then(|n| n.parse::<i64>().ok())) {
        ("callback_scheduled" | "callback_retry", Some(at)) => format!(" {}", time(at, tz)),
        _ => change.to_string(),
    }
}

/// A history note: an attached report's "channel time" is shown as words
/// and a local time, never as codes.
pub fn event_note(kind: &str, note: &str, lang: Lang, tz: chrono_tz::Tz) -> String {
    if kind == "report_attached"
        && let Some((ch, at)) = note.split_once(' ')
        && let Ok(t) = DateTime::parse_from_rfc3339(at.trim())
    {
        return format!("({} {})", i18n::channel(ch, lang), time(t.timestamp(), tz));
    }
    if kind == "callback_scheduled" {
        return note
            .parse::<crate::domain::model::CallbackPurpose>()
            .map(|p| i18n::purpose(p, lang).to_string())
            .unwrap_or_else(|_| for_display(note).into_owned());
    }
    for_display(note).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_shows_words_and_local_times_never_codes() {
        let tz = chrono_tz::Asia::Shanghai;
        // 2026-12-02T04:24:30Z is 12:24 in Shanghai.
        let note = event_note(
            "report_attached",
            "phone 2026-12-02T04:24:30+00:00",
            Lang::Zh,
            tz,
        );
        assert_eq!(note, "(电话 12-02 12:24)");
        let at = DateTime::parse_from_rfc3339("2026-12-03T02:00:00Z")
            .map(|t| t.timestamp())
            .unwrap_or_default();
        let change = event_change("callback_scheduled", "", Some(&at.to_string()), tz);
        assert_eq!(change, " 12-03 10:00");
        assert_eq!(
            event_note("callback_scheduled", "survey", Lang::Zh, tz),
            "满意度回访"
        );
        for kind in [
            "registered",
            "status",
            "severity",
            "category",
            "assigned",
            "acknowledged",
            "report_attached",
            "outcome",
            "transferred",
            "released",
            "callback_released",
            "major_reason",
            "callback_scheduled",
            "callback_retry",
        ] {
            for l in [Lang::Zh, Lang::En] {
                assert_ne!(i18n::event_kind(kind, l), Msg::Unknown.text(l), "{kind}");
            }
        }
        assert_eq!(
            i18n::event_value("outcome", "next_callback", Lang::Zh),
            "约定再次回访"
        );
    }
}
