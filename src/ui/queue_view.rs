//! The queue table (R6, R14, R30). Columns are padded by display width, so
//! Chinese and Latin text line up in every column.
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::app::App;
use super::format;
use super::theme::Theme;
use crate::i18n::{self, Msg};
use crate::text::{for_display, pad_to_width};

struct Widths {
    customer: usize,
    category: usize,
    subject: usize,
}

const BADGE: usize = 4;
const NUMBER: usize = 14;
const SEV: usize = 4;
const AGE: usize = 4;
const ASSIGNEE: usize = 8;

fn widths(total: usize) -> Widths {
    let rest = total.saturating_sub(BADGE + NUMBER + SEV + AGE + ASSIGNEE + 6);
    let customer = (rest * 55 / 100).clamp(8, 22);
    let mut category = rest.saturating_sub(customer + 1).min(16);
    let subject = rest.saturating_sub(customer + category + 2);
    if subject < 12 {
        category = rest.saturating_sub(customer + 1);
        return Widths {
            customer,
            category,
            subject: 0,
        };
    }
    Widths {
        customer,
        category,
        subject,
    }
}

pub fn render(f: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let l = app.lang;
    let w = widths(area.width as usize);
    let cell = |s: &str, n: usize| pad_to_width(s, n) + " ";
    let mut header = vec![
        cell(Msg::ColBadge.text(l), BADGE),
        cell(Msg::ColNumber.text(l), NUMBER),
        cell(Msg::ColSeverity.text(l), SEV),
        cell(Msg::ColCustomer.text(l), w.customer),
        cell(Msg::ColCategory.text(l), w.category),
    ];
    if w.subject > 0 {
        header.push(cell(Msg::ColSubject.text(l), w.subject));
    }
    header.push(cell(Msg::ColAge.text(l), AGE));
    header.push(pad_to_width(Msg::ColAssignee.text(l), ASSIGNEE));
    let mut lines = vec![Line::styled(header.concat(), theme.column_header())];
    let visible = (area.height as usize).saturating_sub(1);
    if !app.loaded || app.view_rows.is_empty() {
        let m = if app.loaded {
            Msg::EmptyQueue
        } else {
            Msg::Loading
        };
        lines.push(Line::styled(m.text(l), theme.dim()));
    }
    let first = app.selected.saturating_sub(visible.saturating_sub(1));
    for (pos, item) in app.rows().enumerate().skip(first).take(visible) {
        let badge = item.badge(app.now);
        let mut spans = vec![
            Span::styled(cell(i18n::badge(badge, l), BADGE), theme.badge(badge)),
            Span::raw(cell(&for_display(&item.number), NUMBER)),
            Span::styled(
                cell(i18n::severity(item.severity, l), SEV),
                theme.severity(item.severity),
            ),
            Span::raw(cell(&format::customer(item, app.me.role, l), w.customer)),
            Span::raw(cell(&format::category(item, l), w.category)),
        ];
        if w.subject > 0 {
            spans.push(Span::raw(cell(&for_display(&item.subject), w.subject)));
        }
        spans.push(Span::raw(cell(
            &i18n::span(app.now - item.received_at, l),
            AGE,
        )));
        spans.push(Span::raw(pad_to_width(
            &format::assignee(item, l),
            ASSIGNEE,
        )));
        let mut line = Line::from(spans);
        if pos == app.selected {
            line = line.patch_style(theme.selected());
        } else {
            line = line.patch_style(Style::default());
        }
        lines.push(line);
    }
    f.render_widget(Paragraph::new(lines), area);
}
