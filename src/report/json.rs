//! The report as JSON for other programs: the computed value itself.
use crate::domain::report::{OpenItem, Report};

pub fn render(r: &Report) -> String {
    serde_json::to_string_pretty(r).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

#[derive(serde::Serialize)]
struct YearEnd<'a> {
    year: i32,
    timezone: &'a str,
    count: usize,
    open: &'a [OpenItem],
}

pub fn render_open(year: i32, tz: &str, items: &[OpenItem]) -> String {
    let v = YearEnd {
        year,
        timezone: tz,
        count: items.len(),
        open: items,
    };
    serde_json::to_string_pretty(&v).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}
