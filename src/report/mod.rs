//! The monthly report (R28) and the year-end list (R29) in four formats,
//! every one drawn from the one computed [`Report`](crate::domain::report::Report)
//! value, so they cannot disagree: `text` (80 columns, block-character
//! charts), `csv` (UTF-8 with BOM, long format), `html` (one self-contained
//! page), `json`.
use std::fmt::Write as _;

use chrono::TimeZone;

use crate::domain::report::{OpenItem, Rate};
use crate::i18n::{Lang, Msg};

pub mod csv;
pub mod html;
pub mod json;
pub mod text;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Csv,
    Html,
    Json,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Format, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "text" | "txt" => Ok(Format::Text),
            "csv" => Ok(Format::Csv),
            "html" => Ok(Format::Html),
            "json" => Ok(Format::Json),
            _ => Err(format!(
                "--format {s:?}: unknown format (expected text, csv, html or json)"
            )),
        }
    }
}

impl Format {
    pub fn code(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Csv => "csv",
            Format::Html => "html",
            Format::Json => "json",
        }
    }
}

/// A percentage or score with one decimal, the same in every format.
pub fn num(v: Option<f64>) -> String {
    v.map_or_else(String::new, |v| format!("{v:.1}"))
}

/// A trend row's figures as shown in text and HTML: the count, then each
/// rate with one decimal or "—" when there was nothing to divide.
pub fn trend_cells(t: &crate::domain::report::TrendPoint) -> [String; 6] {
    let f = |v: Option<f64>| v.map_or_else(|| "—".to_string(), |v| format!("{v:.1}"));
    [
        t.complaints.to_string(),
        f(t.sla_compliance),
        f(t.satisfaction),
        f(t.callback_success),
        f(t.survey_completion),
        f(t.resolution),
    ]
}

/// `> 90` / `≥ 50`.
pub fn target(r: &Rate) -> String {
    format!("{} {}", if r.strict { ">" } else { "≥" }, r.target)
}

pub fn pass(r: &Rate, lang: Lang) -> &'static str {
    match r.pass {
        Some(true) => Msg::RpPass.text(lang),
        Some(false) => Msg::RpFail.text(lang),
        None => Msg::RpNoData.text(lang),
    }
}

/// A local time `YYYY-MM-DD HH:MM` in the center's zone.
pub fn local(t: i64, tz: &str) -> String {
    let tz: chrono_tz::Tz = tz.parse().unwrap_or(chrono_tz::UTC);
    tz.timestamp_opt(t, 0)
        .single()
        .map_or_else(String::new, |d| d.format("%Y-%m-%d %H:%M").to_string())
}

/// A category, severity or channel count's name in `lang`.
pub fn count_name(section: &str, c: &crate::domain::report::Count, lang: Lang) -> String {
    let s = match section {
        "severity" => c
            .key
            .parse()
            .map(|v| crate::i18n::severity(v, lang).to_string())
            .unwrap_or_else(|_| c.key.clone()),
        "channel" => crate::i18n::channel(&c.key, lang).to_string(),
        _ => match lang {
            Lang::Zh => c.zh.clone(),
            Lang::En => c.en.clone(),
        },
    };
    crate::text::for_display(&s).into_owned()
}

pub fn category_of(o: &OpenItem, lang: Lang) -> String {
    let s = match lang {
        Lang::Zh => &o.category_zh,
        Lang::En => &o.category_en,
    };
    crate::text::for_display(s).into_owned()
}

pub fn severity_of(code: &str, lang: Lang) -> String {
    code.parse()
        .map(|v| crate::i18n::severity(v, lang).to_string())
        .unwrap_or_else(|_| crate::text::for_display(code).into_owned())
}

pub fn status_of(code: &str, lang: Lang) -> String {
    code.parse()
        .map(|v| crate::i18n::status(v, lang).to_string())
        .unwrap_or_else(|_| crate::text::for_display(code).into_owned())
}

/// The R26 callbacks line with its numbers filled in.
pub fn callbacks_line(r: &crate::domain::report::Report, lang: Lang) -> String {
    let mut s = Msg::RpCallbacksLine.text(lang).to_string();
    for (k, v) in [
        ("{due}", r.callbacks_due),
        ("{done}", r.callbacks_done),
        ("{failed}", r.callbacks_failed),
        ("{pending}", r.callbacks_pending),
    ] {
        s = s.replace(k, &v.to_string());
    }
    s
}

/// The title line: report name, month, zone, and "so far" when the month
/// has not ended.
pub fn title(r: &crate::domain::report::Report, lang: Lang) -> String {
    let mut s = format!("{} {} ({})", Msg::RpTitle.text(lang), r.month, r.timezone);
    if !r.complete {
        let _ = write!(s, " — {}", Msg::RpSoFar.text(lang));
    }
    s
}
