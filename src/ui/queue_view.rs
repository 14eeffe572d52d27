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
    assignee: usize,
}

const BADGE: usize = 4;
const NUMBER: usize = 14;
const SEV: usize = 4;
/// `59m` / `23小时`.
fn age_width(l: crate::i18n::Lang) -> usize {
    if l == crate::i18n::Lang::Zh { 6 } else { 4 }
}
const ASSIGNEE: usize = 8;
/// `!` an unacknowledged major (R12), `*` a saved draft (R18).
const MARK: usize = 1;

/// Columns take their width from the space there is: a wide screen shows
/// whole assignee names instead of a longer subject.
fn widths(total: usize, age: usize) -> Widths {
    let assignee = if total >= 96 { 16 } else { ASSIGNEE };
    let rest = total.saturating_sub(BADGE + NUMBER + MARK + SEV + age + assignee + 7);
    // The mark column comes out of the category, never the customer (a
    // name and its masked phone identify the row).
    let customer = if rest >= 44 {
        // Wide: a long name with its masked phone fits whole.
        (rest * 60 / 100).clamp(22, 34)
    } else {
        ((rest + MARK + 1 + age.saturating_sub(4)) * 55 / 100).clamp(8, 22)
    };
    let mut category = rest.saturating_sub(customer + 1).min(16);
    let subject = rest.saturating_sub(customer + category + 2);
    if subject < 12 {
        category = rest.saturating_sub(customer + 1);
        return Widths {
            customer,
            category,
            subject: 0,
            assignee,
        };
    }
    Widths {
        customer,
        category,
        subject,
        assignee,
    }
}

pub fn render(f: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let l = app.lang;
    let age = age_width(l);
    let w = widths(area.width as usize, age);
    let cell = |s: &str, n: usize| pad_to_width(s, n) + " ";
    let mut header = vec![
        cell(Msg::ColBadge.text(l), BADGE),
        cell(Msg::ColNumber.text(l), NUMBER),
        cell("", MARK),
        cell(Msg::ColSeverity.text(l), SEV),
        cell(Msg::ColCustomer.text(l), w.customer),
        cell(Msg::ColCategory.text(l), w.category),
    ];
    if w.subject > 0 {
        header.push(cell(Msg::ColSubject.text(l), w.subject));
    }
    header.push(cell(Msg::ColAge.text(l), age));
    header.push(pad_to_width(Msg::ColAssignee.text(l), w.assignee));
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
            mark(app, item, theme),
            Span::styled(
                cell(i18n::severity(item.severity, l), SEV),
                theme.severity(item.severity),
            ),
            Span::raw(cell(
                &format::customer(item, app.me.role, false, l),
                w.customer,
            )),
            Span::raw(cell(&format::category(item, l), w.category)),
        ];
        if w.subject > 0 {
            spans.push(Span::raw(cell(&for_display(&item.subject), w.subject)));
        }
        spans.push(Span::raw(cell(
            &i18n::span(app.now - item.received_at, l),
            age,
        )));
        spans.push(Span::raw(pad_to_width(
            &format::assignee(item, l),
            w.assignee,
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

/// One column that says what needs attention before the row is read.
fn mark<'a>(app: &App, item: &crate::domain::queue::Item, theme: &Theme) -> Span<'a> {
    if item.unacknowledged_major() {
        return Span::styled("! ", theme.alert());
    }
    if app.drafts.contains_key(&format!("call:{}", item.number)) {
        return Span::styled("* ", theme.key());
    }
    Span::raw("  ")
}
