//! The report as CSV for spreadsheets: UTF-8 with a BOM (so Excel reads
//! Chinese), long format `section,dimension,key,value`, one figure a row,
//! so a pivot table can take any cut. The rows are listed in the README.
use super::{category_of, count_name, local, num, severity_of, status_of};
use crate::domain::report::{OpenItem, Report};
use crate::i18n::Lang;
use crate::text::for_display;

pub const BOM: &str = "\u{feff}";

struct Rows(csv::Writer<Vec<u8>>);

impl Rows {
    fn new() -> Rows {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        let _ = w.write_record(["section", "dimension", "key", "value"]);
        Rows(w)
    }

    fn row(&mut self, section: &str, dimension: &str, key: &str, value: impl ToString) {
        use crate::text::csv_cell;
        // Text that came from users (categories, subjects) never reaches a
        // spreadsheet as a formula (issue 11); numbers stay numbers, so a
        // negative trend stays pivotable.
        let value = value.to_string();
        let value = if value.parse::<f64>().is_ok() {
            value
        } else {
            csv_cell(&value).into_owned()
        };
        // Writing to a Vec cannot fail.
        let _ = self.0.write_record([
            csv_cell(section).as_ref(),
            csv_cell(dimension).as_ref(),
            csv_cell(key).as_ref(),
            value.as_str(),
        ]);
    }

    fn finish(self) -> String {
        let bytes = self.0.into_inner().unwrap_or_default();
        format!("{BOM}{}", String::from_utf8_lossy(&bytes))
    }
}

fn open_rows(w: &mut Rows, section: &str, items: &[OpenItem], tz: &str, lang: Lang) {
    for o in items {
        let n = for_display(&o.number).into_owned();
        w.row(section, &n, "age_days", o.age_days);
        w.row(section, &n, "severity", severity_of(&o.severity, lang));
        w.row(section, &n, "category", category_of(o, lang));
        w.row(section, &n, "status", status_of(&o.status, lang));
        w.row(section, &n, "assignee", for_display(&o.assignee));
        w.row(section, &n, "subject", for_display(&o.subject));
        w.row(section, &n, "registered_at", local(o.registered_at, tz));
        w.row(
            section,
            &n,
            "last_action",
            crate::i18n::event_kind(&o.last_action, lang),
        );
        w.row(section, &n, "last_action_at", local(o.last_action_at, tz));
    }
}

pub fn render(r: &Report, lang: Lang) -> String {
    let mut w = Rows::new();
    w.row("meta", "month", "", &r.month);
    w.row("meta", "timezone", "", &r.timezone);
    w.row("meta", "as_of", "", local(r.as_of, &r.timezone));
    w.row(
        "meta",
        "generated_at",
        "",
        local(r.generated_at, &r.timezone),
    );
    w.row("meta", "complete", "", r.complete);
    w.row("meta", "empty", "", r.empty);
    w.row("total", "complaints", "", r.complaints);
    for (section, list) in [
        ("category", &r.by_category),
        ("severity", &r.by_severity),
        ("channel", &r.by_channel),
    ] {
        for c in list {
            w.row(section, &c.key, &count_name(section, c, lang), c.n);
        }
    }
    for c in &r.clocks {
        w.row("sla", c.key, "met", c.met);
        w.row("sla", c.key, "breached", c.breached);
        w.row("sla", c.key, "running", c.running);
        w.row("sla", c.key, "compliance_pct", num(c.compliance));
    }
    w.row("callbacks", "due", "", r.callbacks_due);
    w.row("callbacks", "done", "", r.callbacks_done);
    w.row("callbacks", "failed", "", r.callbacks_failed);
    w.row("callbacks", "pending", "", r.callbacks_pending);
    for x in &r.rates {
        w.row("target", x.key, "value", num(x.value));
        w.row("target", x.key, "target", x.target);
        w.row(
            "target",
            x.key,
            "comparison",
            if x.strict { ">" } else { ">=" },
        );
        w.row(
            "target",
            x.key,
            "pass",
            x.pass.map_or(String::new(), |p| p.to_string()),
        );
        w.row("target", x.key, "numerator", x.numerator);
        w.row("target", x.key, "denominator", x.denominator);
    }
    for (i, p) in r.top_problems.iter().enumerate() {
        let dim = format!("{}. {}", i + 1, count_name("category", &p.category, lang));
        w.row("top_problem", &dim, "", p.category.n);
        for s in &p.subjects {
            w.row("top_problem", &dim, &for_display(&s.subject), s.n);
        }
    }
    for t in &r.trend {
        w.row("trend", &t.month, "complaints", t.complaints);
        w.row(
            "trend",
            &t.month,
            "sla_compliance_pct",
            num(t.sla_compliance),
        );
        w.row("trend", &t.month, "satisfaction", num(t.satisfaction));
        w.row(
            "trend",
            &t.month,
            "callback_success_pct",
            num(t.callback_success),
        );
        w.row(
            "trend",
            &t.month,
            "survey_completion_pct",
            num(t.survey_completion),
        );
        w.row("trend", &t.month, "resolution_pct", num(t.resolution));
    }
    w.row("open_at_end", "count", "", r.open_at_end.len());
    open_rows(&mut w, "open_at_end", &r.open_at_end, &r.timezone, lang);
    w.finish()
}

/// The year-end list (R29) in the same long format.
pub fn render_open(year: i32, tz: &str, items: &[OpenItem], lang: Lang) -> String {
    let mut w = Rows::new();
    w.row("meta", "year", "", year);
    w.row("meta", "timezone", "", tz);
    w.row("open_at_year_end", "count", "", items.len());
    open_rows(&mut w, "open_at_year_end", items, tz, lang);
    w.finish()
}
