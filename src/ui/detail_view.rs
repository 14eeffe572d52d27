//! The selected item's detail: subject, description, every SLA clock with
//! its time left, the customer summary and the event history.
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::app::App;
use super::format;
use super::theme::Theme;
use crate::domain::queue::{Item, ItemKind};
use crate::domain::sla::Badge;
use crate::i18n::{self, Lang, Msg};
use crate::store::queue::Detail;
use crate::text::{display_lines, for_display};

pub fn render(f: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let l = app.lang;
    let block = Block::default()
        .borders(Borders::TOP)
        .title(format!(" {} ", Msg::Detail.text(l)));
    let Some(item) = app.selected_item() else {
        f.render_widget(Paragraph::new("").block(block), area);
        return;
    };
    let mut lines = summary(app, item, theme);
    lines.push(clocks(app, item, theme));
    if let Some(d) = app
        .detail
        .as_ref()
        .filter(|d| d.complaint_id == item.complaint_id)
    {
        // Wrapped here by display width, so a wide character never lands
        // in the pane's last column.
        lines.extend(record(
            app,
            d,
            usize::from(area.width.saturating_sub(3)),
            theme,
        ));
    }
    let p = Paragraph::new(lines)
        .block(block)
        .wrap(Wrap { trim: false })
        .scroll((app.detail_scroll, 0));
    f.render_widget(p, area);
}

fn label<'a>(m: Msg, l: Lang, theme: &Theme) -> Span<'a> {
    Span::styled(format!("{}: ", m.text(l)), theme.column_header())
}

/// Number, severity, status; subject; customer; assignee and received.
fn summary(app: &App, item: &Item, theme: &Theme) -> Vec<Line<'static>> {
    let l = app.lang;
    let label = |m: Msg| label(m, l, theme);
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut head = vec![
        Span::styled(for_display(&item.number).into_owned(), theme.key()),
        Span::raw("  "),
        Span::styled(
            i18n::severity(item.severity, l),
            theme.severity(item.severity),
        ),
        Span::raw(format!(
            " · {} · {}",
            i18n::status(item.status, l),
            i18n::channel(&item.channel, l)
        )),
    ];
    if item.complainant_count > 1 {
        head.push(Span::raw(format!(
            " · {} {}",
            item.complainant_count,
            Msg::Complainants.text(l)
        )));
    }
    lines.push(Line::from(head));
    lines.push(Line::from(vec![
        label(Msg::Subject),
        Span::raw(for_display(&item.subject).into_owned()),
    ]));
    // R30: the whole phone only in the record being handled (assigned to me).
    let who = format::customer(item, app.me.role, item.assignee_id == Some(app.me.id), l);
    let mut cust = vec![label(Msg::Customer), Span::raw(who)];
    if item.customer_id.is_some() {
        cust.push(Span::raw(format!(
            " · {} {}",
            Msg::Class.text(l),
            item.class.letter()
        )));
        if let Some(d) = app
            .detail
            .as_ref()
            .filter(|d| d.complaint_id == item.complaint_id)
        {
            cust.push(Span::raw(format!(
                " · {} {} / {} {}",
                Msg::OpenComplaints.text(l),
                d.customer_open,
                Msg::TotalComplaints.text(l),
                d.customer_total
            )));
        }
    }
    lines.push(Line::from(cust));
    lines.push(Line::from(vec![
        label(Msg::Assignee),
        Span::raw(format::assignee(item, l)),
        Span::raw(format!(
            " · {} {}",
            Msg::Received.text(l),
            format::time(item.received_at, app.tz)
        )),
    ]));
    lines
}

/// Every clock with its badge and time left (R14).
fn clocks(app: &App, item: &Item, theme: &Theme) -> Line<'static> {
    let l = app.lang;
    let mut clocks = vec![label(Msg::Clocks, l, theme)];
    if item.kind == ItemKind::Callback {
        let due = item.callback_due.unwrap_or(item.received_at);
        let b = item.badge(app.now);
        clocks.push(Span::raw(format!("{} ", Msg::CallbackDue.text(l))));
        clocks.push(Span::styled(i18n::badge(b, l), theme.badge(b)));
        clocks.push(Span::raw(format!(
            " {} · {} {}/{}",
            left(due - app.now, l),
            Msg::Attempts.text(l),
            item.attempts.0,
            item.attempts.1
        )));
    }
    for (name, c) in item.clocks() {
        let b = c.badge(app.now);
        clocks.push(Span::raw(format!("{} ", i18n::clock(name, l))));
        // A met clock reads as one plain phrase; a running one as its
        // badge and the time left or overdue.
        match b {
            Badge::Met | Badge::MetLate => {
                let m = if b == Badge::Met {
                    Msg::MetOnTime
                } else {
                    Msg::MetLate
                };
                clocks.push(Span::styled(m.text(l), theme.badge(b)));
                clocks.push(Span::raw("  "));
            }
            _ => {
                clocks.push(Span::styled(i18n::badge(b, l), theme.badge(b)));
                clocks.push(Span::raw(format!(" {}  ", left(c.due - app.now, l))));
            }
        }
    }
    Line::from(clocks)
}

/// The description, wrapped to `w` cells, and the history.
fn record(app: &App, d: &Detail, w: usize, theme: &Theme) -> Vec<Line<'static>> {
    let l = app.lang;
    let mut lines = Vec::new();
    if !d.description.is_empty() {
        lines.push(Line::from(label(Msg::Description, l, theme)));
        for l in display_lines(&d.description) {
            let (rows, _) = super::textarea::TextArea::with_text(&l, false, usize::MAX).wrapped(w);
            lines.extend(rows.into_iter().map(|s| Line::raw(format!("  {s}"))));
        }
    }
    lines.push(Line::from(label(Msg::History, l, theme)));
    for e in &d.history {
        let v = |x: &str| i18n::event_value(&e.kind, x, l);
        let change = match (&e.old, &e.new) {
            (Some(o), Some(n)) => format!(" {} → {}", v(o), v(n)),
            (None, Some(n)) => format!(" {}", v(n)),
            _ => String::new(),
        };
        lines.push(Line::raw(format!(
            "  {} {} {}{} {}",
            format::time(e.at, app.tz),
            for_display(&e.agent),
            i18n::event_kind(&e.kind, l),
            format::event_change(&e.kind, &change, e.new.as_deref(), app.tz),
            format::event_note(&e.kind, &e.note, l, app.tz)
        )));
    }
    lines
}

fn left(secs: i64, l: Lang) -> String {
    if secs >= 0 {
        format!("{} {}", Msg::Left.text(l), i18n::span(secs, l))
    } else {
        format!("{} {}", Msg::Overdue.text(l), i18n::span(secs, l))
    }
}
