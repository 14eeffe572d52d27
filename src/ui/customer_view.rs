//! The customer record: details (phones whole only when the record is
//! opened for a complaint of this customer that the viewer handles, R30),
//! what it was opened for (R31), every complaint (selectable), the open
//! callbacks and every contact.
use crate::domain::privacy::{self, PhoneView};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::app::App;
use super::customer::CustomerState;
use super::format;
use super::theme::Theme;
use crate::domain::model::{Severity, Status};
use crate::i18n::{self, Lang, Msg};
use crate::store::archive::Record;
use crate::text::{for_display, pad_to_width, truncate_to_width};

/// Complaint rows shown around the selection.
const COMPLAINT_ROWS: usize = 6;
const CALLBACK_ROWS: usize = 3;

pub fn render(f: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let Some(c) = app.customer.as_ref() else {
        return;
    };
    let block = Block::default()
        .borders(Borders::TOP)
        .title(format!(" {} ", Msg::CustomerRecord.text(app.lang)));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let w = inner.width as usize;
    let mut lines = details(app, &c.record, theme);
    lines.extend(complaints(app, c, w, theme));
    lines.extend(callbacks(app, &c.record, w, theme));
    lines.extend(contacts(app, &c.record, w, theme));
    f.render_widget(Paragraph::new(lines), inner);
}

/// Name, code, class; phones and plates; company, address, notes; what
/// the record was opened for (R31).
fn details(app: &App, r: &Record, theme: &Theme) -> Vec<Line<'static>> {
    let l = app.lang;
    let label = |m: Msg| Span::styled(format!("{}: ", m.text(l)), theme.column_header());
    let mut lines: Vec<Line<'static>> = Vec::new();
    let s = &r.summary;
    let mut head = vec![Span::styled(for_display(&s.name).into_owned(), theme.key())];
    if let Some(code) = &s.code {
        head.push(Span::raw(format!("  {}", for_display(code))));
    }
    if let Some(k) = s.class {
        head.push(Span::raw(format!(
            " · {} {}",
            Msg::Class.text(l),
            k.letter()
        )));
    }
    if s.confidential {
        head.push(Span::styled(
            format!(" · {}", Msg::Confidential.text(l)),
            theme.error(),
        ));
    }
    head.push(Span::styled(
        format!(
            " · {} {}",
            Msg::Since.text(l),
            format::time(r.created_at, app.tz)
        ),
        theme.dim(),
    ));
    lines.push(Line::from(head));
    lines.push(Line::from(vec![
        label(Msg::Phones),
        Span::raw(phones(r, l)),
        Span::raw("  "),
        label(Msg::Plates),
        Span::raw(if r.plates.is_empty() {
            Msg::NoneYet.text(l).to_string()
        } else {
            for_display(&r.plates.join(" ")).into_owned()
        }),
    ]));
    if !s.company.is_empty() {
        lines.push(Line::from(vec![
            label(Msg::Company),
            Span::raw(for_display(&s.company).into_owned()),
        ]));
    }
    lines.push(Line::from(vec![
        label(Msg::Address),
        Span::raw(for_display(&s.address).into_owned()),
    ]));
    if let Some(first) = r.notes.lines().next().filter(|n| !n.trim().is_empty()) {
        lines.push(Line::from(vec![
            label(Msg::Notes),
            Span::raw(for_display(first).into_owned()),
        ]));
    }
    lines.push(Line::from(vec![
        label(Msg::OpenedFor),
        Span::raw(for_display(&r.purpose).into_owned()),
    ]));
    lines
}

/// Every complaint, a window around the selection.
fn complaints(app: &App, c: &CustomerState, w: usize, theme: &Theme) -> Vec<Line<'static>> {
    let (l, r) = (app.lang, &c.record);
    let mut lines = vec![Line::styled(
        format!("{} ({})", Msg::ComplaintsTitle.text(l), r.complaints.len()),
        theme.column_header(),
    )];
    if r.complaints.is_empty() {
        lines.push(Line::raw(format!("  {}", Msg::NoneYet.text(l))));
    }
    let first = c.selected.saturating_sub(COMPLAINT_ROWS - 1);
    for (i, x) in r
        .complaints
        .iter()
        .enumerate()
        .skip(first)
        .take(COMPLAINT_ROWS)
    {
        let status = x
            .status
            .parse::<Status>()
            .map_or("?", |s| i18n::status(s, l));
        let sev = x.severity.parse::<Severity>().ok();
        let mut spans = vec![Span::raw(if i == c.selected { "▸ " } else { "  " })];
        spans.push(Span::raw(format!("{} ", for_display(&x.number))));
        spans.push(match sev {
            Some(sv) => Span::styled(pad_to_width(i18n::severity(sv, l), 4), theme.severity(sv)),
            None => Span::raw(pad_to_width("?", 4)),
        });
        let cat = if l == Lang::Zh {
            &x.category_zh
        } else {
            &x.category_en
        };
        let text = format!(
            " {} {} {} {} {}",
            pad_to_width(status, 8),
            format::time(x.registered_at, app.tz),
            pad_to_width(&for_display(cat), 10),
            pad_to_width(&for_display(&x.assignee), 6),
            for_display(&x.subject)
        );
        spans.push(Span::raw(text));
        let line = Line::from(spans);
        let line = if i == c.selected {
            line.patch_style(theme.selected())
        } else {
            line
        };
        lines.push(truncate_line(line, w));
    }
    lines
}

/// The open callbacks, soonest first.
fn callbacks(app: &App, r: &Record, w: usize, theme: &Theme) -> Vec<Line<'static>> {
    let l = app.lang;
    let mut lines = vec![Line::styled(
        format!("{} ({})", Msg::CallbacksTitle.text(l), r.callbacks.len()),
        theme.column_header(),
    )];
    for b in r.callbacks.iter().take(CALLBACK_ROWS) {
        let who = if b.assignee.is_empty() {
            b.assignee_role
                .map(|x| format!("[{}]", i18n::role(x, l)))
                .unwrap_or_else(|| "-".into())
        } else {
            for_display(&b.assignee).into_owned()
        };
        let purpose = b.purpose.parse().map_or_else(
            |_| for_display(&b.purpose).into_owned(),
            |p| i18n::purpose(p, l).to_string(),
        );
        let text = format!(
            "  {} {} {} {} {}/{}",
            for_display(&b.complaint),
            format::time(b.due_at, app.tz),
            purpose,
            who,
            b.attempts,
            b.max_attempts
        );
        lines.push(Line::raw(truncate_to_width(&text, w).into_owned()));
    }
    lines
}

/// Every contact, newest first.
fn contacts(app: &App, r: &Record, w: usize, theme: &Theme) -> Vec<Line<'static>> {
    let l = app.lang;
    let mut lines = vec![Line::styled(
        format!("{} ({})", Msg::ContactsTitle.text(l), r.contacts.len()),
        theme.column_header(),
    )];
    for t in &r.contacts {
        let dir = if t.inbound {
            Msg::Inbound.text(l)
        } else {
            Msg::Outbound.text(l)
        };
        let note = t.notes.lines().next().unwrap_or("");
        let method = t.method.parse().map_or_else(
            |_| for_display(&t.method).into_owned(),
            |m| i18n::method(m, l).to_string(),
        );
        let text = format!(
            "  {} {} {} {} {} {} {}",
            format::time(t.started_at, app.tz),
            dir,
            method,
            for_display(&t.agent),
            for_display(&t.complaint),
            i18n::outcome_label(&t.outcome, l)
                .map_or_else(|| for_display(&t.outcome).into_owned(), str::to_string),
            for_display(note)
        );
        lines.push(Line::raw(truncate_to_width(&text, w).into_owned()));
    }
    lines
}

/// Phones: whole only in the record being handled (R30), else masked.
fn phones(r: &Record, l: Lang) -> String {
    if r.phones.is_empty() {
        return Msg::NoneYet.text(l).to_string();
    }
    r.phones
        .iter()
        .map(|p| {
            let view = if r.handling {
                PhoneView::Whole
            } else {
                PhoneView::Masked
            };
            privacy::show_phone(&for_display(p), view)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Cuts a styled line to `w` cells.
fn truncate_line(line: Line<'_>, w: usize) -> Line<'static> {
    let mut used = 0;
    let mut spans = Vec::new();
    let style = line.style;
    for sp in line.spans {
        let room = w.saturating_sub(used);
        if room == 0 {
            break;
        }
        let t = truncate_to_width(&sp.content, room).into_owned();
        used += crate::text::width(&t);
        spans.push(Span::styled(t, sp.style));
    }
    let mut out = Line::from(spans);
    out.style = style;
    out
}
