//! The report as plain text that fits 80 columns, charts drawn with block
//! characters. Also what the TUI's report view shows, line by line.
use std::fmt::Write as _;

use super::{callbacks_line, category_of, count_name, local, num, pass, severity_of, target};
use crate::domain::report::{Count, OpenItem, Report};
use crate::i18n::{self, Lang, Msg};
use crate::text::{for_display, pad_to_width, truncate_to_width};

pub const WIDTH: usize = 80;
const BAR: usize = 30;

/// A horizontal bar of `n` against `max`, in eighths of a cell.
pub fn bar(n: i64, max: i64, cells: usize) -> String {
    if max <= 0 || n <= 0 {
        return String::new();
    }
    let eighths = (n as u128 * cells as u128 * 8 / max as u128) as usize;
    let mut s = "█".repeat(eighths / 8);
    const PART: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
    s.push_str(PART[eighths % 8]);
    if s.is_empty() {
        s.push('▏');
    }
    s
}

/// A sparkline of the values, one cell each.
pub fn sparkline(values: &[Option<f64>]) -> String {
    const LEVELS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let max = values.iter().flatten().fold(0.0_f64, |m, v| m.max(*v));
    values
        .iter()
        .map(|v| match v {
            None => ' ',
            Some(_) if max <= 0.0 => LEVELS[0],
            Some(v) => LEVELS[((v / max) * 7.0).round().clamp(0.0, 7.0) as usize],
        })
        .collect()
}

fn heading(out: &mut Vec<String>, s: &str) {
    out.push(String::new());
    out.push(s.to_string());
    out.push("─".repeat(crate::text::width(s).min(WIDTH)));
}

fn counts(out: &mut Vec<String>, title: &str, section: &str, list: &[Count], lang: Lang) {
    heading(out, title);
    let max = list.iter().map(|c| c.n).max().unwrap_or(0);
    for c in list {
        out.push(format!(
            "  {} {:>7}  {}",
            pad_to_width(&count_name(section, c, lang), 26),
            c.n,
            bar(c.n, max, BAR)
        ));
    }
}

/// The open list (R28 month end, R29 year end).
pub fn open_list(out: &mut Vec<String>, title: &str, items: &[OpenItem], lang: Lang) {
    heading(out, &format!("{title} ({})", items.len()));
    if items.is_empty() {
        out.push(format!("  {}", Msg::RpNoneOpen.text(lang)));
        return;
    }
    out.push(format!(
        "  {} {} {} {} {} {}",
        pad_to_width(Msg::ColNumber.text(lang), 14),
        pad_to_width(Msg::RpAge.text(lang), 7),
        pad_to_width(Msg::ColSeverity.text(lang), 6),
        pad_to_width(Msg::ColCategory.text(lang), 14),
        pad_to_width(Msg::ColAssignee.text(lang), 10),
        Msg::RpLastAction.text(lang),
    ));
    for o in items {
        out.push(format!(
            "  {} {:>7} {} {} {} {}",
            pad_to_width(&for_display(&o.number), 14),
            o.age_days,
            pad_to_width(&severity_of(&o.severity, lang), 6),
            pad_to_width(&category_of(o, lang), 14),
            pad_to_width(&for_display(&o.assignee), 10),
            truncate_to_width(i18n::event_kind(&o.last_action, lang), 22),
        ));
    }
}

/// The report as lines of at most 80 cells.
// The text report reads top to bottom, one section after the other.
#[allow(clippy::too_many_lines)]
pub fn lines(r: &Report, lang: Lang) -> Vec<String> {
    let mut out = vec![super::title(r, lang)];
    out.push(format!(
        "{} {} · {} {}",
        Msg::RpGenerated.text(lang),
        local(r.generated_at, &r.timezone),
        Msg::RpAsOf.text(lang),
        local(r.as_of, &r.timezone)
    ));
    if r.empty {
        out.push(String::new());
        out.push(Msg::RpEmpty.text(lang).to_string());
    }
    out.push(String::new());
    out.push(format!("{}: {}", Msg::RpTotal.text(lang), r.complaints));
    counts(
        &mut out,
        Msg::RpByCategory.text(lang),
        "category",
        &r.by_category,
        lang,
    );
    counts(
        &mut out,
        Msg::RpBySeverity.text(lang),
        "severity",
        &r.by_severity,
        lang,
    );
    counts(
        &mut out,
        Msg::RpByChannel.text(lang),
        "channel",
        &r.by_channel,
        lang,
    );

    heading(&mut out, Msg::RpSla.text(lang));
    out.push(format!(
        "  {} {:>8} {:>8} {:>8} {:>10}",
        pad_to_width(Msg::RpClock.text(lang), 16),
        Msg::RpMet.text(lang),
        Msg::RpBreached.text(lang),
        Msg::RpRunning.text(lang),
        Msg::RpCompliance.text(lang),
    ));
    for c in &r.clocks {
        let pct = c
            .compliance
            .map_or_else(|| "—".to_string(), |v| format!("{v:.1}%"));
        out.push(format!(
            "  {} {:>8} {:>8} {:>8} {:>10}  {}",
            pad_to_width(i18n::report_clock(c.key, lang), 16),
            c.met,
            c.breached,
            c.running,
            pct,
            bar((c.compliance.unwrap_or(0.0) * 10.0) as i64, 1000, 10)
        ));
    }

    heading(&mut out, Msg::RpTargets.text(lang));
    out.push(format!(
        "  {}: {}",
        Msg::RpCallbacks.text(lang),
        callbacks_line(r, lang)
    ));
    for x in &r.rates {
        let v = x.value.map_or_else(|| "—".to_string(), |_| num(x.value));
        out.push(format!(
            "  {} {:>7} {:>7}  {} ({}/{})",
            pad_to_width(i18n::rate(x.key, lang), 24),
            v,
            target(x),
            pass(x, lang),
            x.numerator,
            x.denominator
        ));
    }

    heading(&mut out, Msg::RpTopProblems.text(lang));
    for (i, p) in r.top_problems.iter().enumerate() {
        out.push(format!(
            "  {:>2}. {} {:>6}",
            i + 1,
            pad_to_width(&count_name("category", &p.category, lang), 26),
            p.category.n
        ));
        for s in &p.subjects {
            out.push(format!(
                "        {} {:>6}",
                pad_to_width(&for_display(&s.subject), 50),
                s.n
            ));
        }
    }

    heading(&mut out, Msg::RpTrend.text(lang));
    out.push(format!(
        "  {} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7}",
        pad_to_width(Msg::RpMonth.text(lang), 8),
        Msg::RpTotal.text(lang).chars().take(6).collect::<String>(),
        Msg::RpSlaShort.text(lang),
        "R25",
        "CB%",
        "SV%",
        "RES%",
    ));
    for t in &r.trend {
        let mut row = format!("  {}", pad_to_width(&t.month, 8));
        for c in super::trend_cells(t) {
            let _ = write!(row, " {c:>7}");
        }
        out.push(row);
    }
    let spark = |get: &dyn Fn(&crate::domain::report::TrendPoint) -> Option<f64>| {
        sparkline(&r.trend.iter().map(get).collect::<Vec<_>>())
    };
    out.push(format!(
        "  {:<8} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7}",
        "",
        spark(&|t| Some(t.complaints as f64)),
        spark(&|t| t.sla_compliance),
        spark(&|t| t.satisfaction),
        spark(&|t| t.callback_success),
        spark(&|t| t.survey_completion),
        spark(&|t| t.resolution),
    ));

    open_list(&mut out, Msg::RpOpenAtEnd.text(lang), &r.open_at_end, lang);
    out.into_iter()
        .map(|l| truncate_to_width(&l, WIDTH).into_owned())
        .collect()
}

pub fn render(r: &Report, lang: Lang) -> String {
    let mut s = String::new();
    for l in lines(r, lang) {
        let _ = writeln!(s, "{}", l.trim_end());
    }
    s
}
