//! The report as ONE self-contained HTML page for management: inline CSS
//! and SVG charts, no script, no network reference; prints on A4; Chinese
//! or English. Every untrusted text is cleaned and escaped.
use std::fmt::Write as _;

use super::{callbacks_line, category_of, count_name, local, num, pass, severity_of, target};
use crate::domain::report::{Count, OpenItem, Report};
use crate::i18n::{self, Lang, Msg};
use crate::text::for_display;

/// Escapes text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in for_display(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const CSS: &str = "
@page { size: A4; margin: 15mm; }
body { font-family: 'Noto Sans CJK SC', 'Microsoft YaHei', 'PingFang SC', sans-serif;
       color: #111; max-width: 180mm; margin: 0 auto; font-size: 10.5pt; }
h1 { font-size: 16pt; margin: 0 0 2mm; } h2 { font-size: 12pt; margin: 6mm 0 2mm;
       border-bottom: 1px solid #888; break-after: avoid; }
table { border-collapse: collapse; width: 100%; break-inside: auto; }
th, td { border: 1px solid #bbb; padding: 1mm 2mm; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
tr { break-inside: avoid; } .meta { color: #444; } .pass { color: #064; font-weight: bold; }
.fail { color: #a00; font-weight: bold; } .empty { font-weight: bold; padding: 3mm; border: 1px solid #888; }
svg { display: block; } section { break-inside: avoid-page; }
";

fn bar_svg(list: &[(String, i64)]) -> String {
    let max = list.iter().map(|x| x.1).max().unwrap_or(0).max(1);
    let row = 16;
    let h = row * list.len().max(1);
    let mut s = format!("<svg width=\"600\" height=\"{h}\" viewBox=\"0 0 600 {h}\" role=\"img\">");
    for (i, (label, n)) in list.iter().enumerate() {
        let y = i * row;
        let w = (*n as f64 / max as f64 * 380.0).round();
        let _ = write!(
            s,
            "<text x=\"0\" y=\"{}\" font-size=\"11\">{}</text><rect x=\"170\" y=\"{}\" width=\"{w}\" height=\"11\" fill=\"#3a6ea5\"/><text x=\"{}\" y=\"{}\" font-size=\"11\">{n}</text>",
            y + 12,
            esc(label),
            y + 2,
            175.0 + w,
            y + 12
        );
    }
    s.push_str("</svg>");
    s
}

fn counts(out: &mut String, title: &str, section: &str, list: &[Count], lang: Lang) {
    let _ = write!(out, "<section><h2>{}</h2>", esc(title));
    let pairs: Vec<(String, i64)> = list
        .iter()
        .map(|c| (count_name(section, c, lang), c.n))
        .collect();
    out.push_str(&bar_svg(&pairs));
    out.push_str("<table>");
    for (name, n) in &pairs {
        let _ = write!(
            out,
            "<tr><td>{}</td><td class=\"n\">{n}</td></tr>",
            esc(name)
        );
    }
    out.push_str("</table></section>");
}

/// The open list as a table (R28 month end, R29 year end).
pub fn open_table(out: &mut String, title: &str, items: &[OpenItem], tz: &str, lang: Lang) {
    let _ = write!(out, "<section><h2>{} ({})</h2>", esc(title), items.len());
    if items.is_empty() {
        let _ = write!(out, "<p>{}</p></section>", esc(Msg::RpNoneOpen.text(lang)));
        return;
    }
    let _ = write!(
        out,
        "<table><tr><th>{}</th><th class=\"n\">{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        esc(Msg::ColNumber.text(lang)),
        esc(Msg::RpAge.text(lang)),
        esc(Msg::ColSeverity.text(lang)),
        esc(Msg::ColCategory.text(lang)),
        esc(Msg::ColAssignee.text(lang)),
        esc(Msg::ColSubject.text(lang)),
        esc(Msg::RpLastAction.text(lang)),
    );
    for o in items {
        let _ = write!(
            out,
            "<tr><td>{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} {}</td></tr>",
            esc(&o.number),
            o.age_days,
            esc(&severity_of(&o.severity, lang)),
            esc(&category_of(o, lang)),
            esc(&o.assignee),
            esc(&o.subject),
            esc(i18n::event_kind(&o.last_action, lang)),
            esc(&local(o.last_action_at, tz)),
        );
    }
    out.push_str("</table></section>");
}

fn page(lang: Lang, title: &str, body: &str) -> String {
    let code = match lang {
        Lang::Zh => "zh-CN",
        Lang::En => "en",
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"{code}\"><head><meta charset=\"utf-8\"><title>{}</title><style>{CSS}</style></head><body>{body}</body></html>\n",
        esc(title)
    )
}

// The page reads top to bottom as the report does, one section after the
// other; each section is a few lines of markup.
#[allow(clippy::too_many_lines)]
pub fn render(r: &Report, lang: Lang) -> String {
    let title = super::title(r, lang);
    let mut b = format!("<h1>{}</h1>", esc(&title));
    let _ = write!(
        b,
        "<p class=\"meta\">{} {} · {} {}</p>",
        esc(Msg::RpGenerated.text(lang)),
        esc(&local(r.generated_at, &r.timezone)),
        esc(Msg::RpAsOf.text(lang)),
        esc(&local(r.as_of, &r.timezone))
    );
    if r.empty {
        let _ = write!(b, "<p class=\"empty\">{}</p>", esc(Msg::RpEmpty.text(lang)));
    }
    let _ = write!(
        b,
        "<p><b>{}: <span id=\"total\">{}</span></b></p>",
        esc(Msg::RpTotal.text(lang)),
        r.complaints
    );
    counts(
        &mut b,
        Msg::RpByCategory.text(lang),
        "category",
        &r.by_category,
        lang,
    );
    counts(
        &mut b,
        Msg::RpBySeverity.text(lang),
        "severity",
        &r.by_severity,
        lang,
    );
    counts(
        &mut b,
        Msg::RpByChannel.text(lang),
        "channel",
        &r.by_channel,
        lang,
    );

    let _ = write!(
        b,
        "<section><h2>{}</h2><table><tr><th>{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th></tr>",
        esc(Msg::RpSla.text(lang)),
        esc(Msg::RpClock.text(lang)),
        esc(Msg::RpMet.text(lang)),
        esc(Msg::RpBreached.text(lang)),
        esc(Msg::RpRunning.text(lang)),
        esc(Msg::RpCompliance.text(lang)),
    );
    for c in &r.clocks {
        let pct = c
            .compliance
            .map_or_else(|| "—".into(), |v| format!("{v:.1}%"));
        let _ = write!(
            b,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{pct}</td></tr>",
            esc(i18n::report_clock(c.key, lang)),
            c.met,
            c.breached,
            c.running
        );
    }
    b.push_str("</table></section>");

    let _ = write!(
        b,
        "<section><h2>{}</h2><p>{}: {}</p><table><tr><th>{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th>{}</th></tr>",
        esc(Msg::RpTargets.text(lang)),
        esc(Msg::RpCallbacks.text(lang)),
        esc(&callbacks_line(r, lang)),
        esc(Msg::RpFigure.text(lang)),
        esc(Msg::RpValue.text(lang)),
        esc(Msg::RpTarget.text(lang)),
        esc(Msg::RpResult.text(lang)),
    );
    for x in &r.rates {
        let cls = match x.pass {
            Some(true) => "pass",
            Some(false) => "fail",
            None => "",
        };
        let v = x.value.map_or_else(|| "—".to_string(), |_| num(x.value));
        let _ = write!(
            b,
            "<tr><td>{}</td><td class=\"n\">{v}</td><td class=\"n\">{}</td><td class=\"{cls}\">{} ({}/{})</td></tr>",
            esc(i18n::rate(x.key, lang)),
            esc(&target(x)),
            esc(pass(x, lang)),
            x.numerator,
            x.denominator
        );
    }
    b.push_str("</table></section>");

    let _ = write!(
        b,
        "<section><h2>{}</h2><ol>",
        esc(Msg::RpTopProblems.text(lang))
    );
    for p in &r.top_problems {
        let subjects: Vec<String> = p
            .subjects
            .iter()
            .map(|s| format!("{} ({})", esc(&s.subject), s.n))
            .collect();
        let _ = write!(
            b,
            "<li><b>{}</b> ({}): {}</li>",
            esc(&count_name("category", &p.category, lang)),
            p.category.n,
            subjects.join("; ")
        );
    }
    b.push_str("</ol></section>");

    let _ = write!(b, "<section><h2>{}</h2>", esc(Msg::RpTrend.text(lang)));
    let trend: Vec<(String, i64)> = r
        .trend
        .iter()
        .map(|t| (t.month.clone(), t.complaints))
        .collect();
    b.push_str(&bar_svg(&trend));
    let _ = write!(
        b,
        "<table><tr><th>{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th></tr>",
        esc(Msg::RpMonth.text(lang)),
        esc(Msg::RpTotal.text(lang)),
        esc(Msg::RpSlaShort.text(lang)),
        esc(Msg::RpSatisfaction.text(lang)),
        esc(Msg::RpCallbackSuccess.text(lang)),
        esc(Msg::RpSurveyCompletion.text(lang)),
        esc(Msg::RpResolution.text(lang)),
    );
    for t in &r.trend {
        let _ = write!(b, "<tr><td>{}</td>", esc(&t.month));
        for c in super::trend_cells(t) {
            let _ = write!(b, "<td class=\"n\">{c}</td>");
        }
        b.push_str("</tr>");
    }
    b.push_str("</table></section>");
    open_table(
        &mut b,
        Msg::RpOpenAtEnd.text(lang),
        &r.open_at_end,
        &r.timezone,
        lang,
    );
    page(lang, &title, &b)
}

/// The year-end list (R29) as a page.
pub fn render_open(year: i32, tz: &str, items: &[OpenItem], lang: Lang) -> String {
    let title = format!("{} {year} ({tz})", Msg::RpYearTitle.text(lang));
    let mut b = format!("<h1>{}</h1>", esc(&title));
    open_table(&mut b, Msg::RpOpenAtYearEnd.text(lang), items, tz, lang);
    page(lang, &title, &b)
}
