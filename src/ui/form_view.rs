//! The intake form screen: one line per field, the focused one marked, the
//! category matches under the filter, and similar open complaints (R5).
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::app::App;
use super::form::{Field, FormState, Who};
use super::format;
use super::textarea::TextArea;
use super::theme::Theme;
use crate::domain::model::{Channel, Severity};
use crate::i18n::{self, Lang, Msg};
use crate::text::{for_display, pad_to_width, truncate_to_width};

const LABEL: usize = 12;
/// Rows of the description shown at once (it scrolls with the cursor).
const DESCRIPTION_ROWS: usize = 4;

pub fn render(f: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let Some(form) = app.form.as_ref() else {
        return;
    };
    let l = app.lang;
    let mut title = format!(" {} ", Msg::NewComplaint.text(l));
    if form.draft_restored {
        title.push_str(&format!("[{}] ", Msg::DraftRestored.text(l)));
    }
    let block = Block::default().borders(Borders::TOP).title(title);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let mut lines: Vec<Line<'_>> = Vec::new();
    let mut cursor: Option<(u16, u16)> = None;
    for field in form.fields() {
        field_lines(form, field, inner, theme, l, &mut lines, &mut cursor);
    }
    // The error first: on a short screen the list is what gets cut.
    if let Some(e) = &form.error {
        lines.push(Line::styled(for_display(e).into_owned(), theme.error()));
    }
    similar_lines(app, form, inner.width as usize, &mut lines, theme);
    f.render_widget(Paragraph::new(lines), inner);
    if let Some((x, y)) = cursor
        && y < inner.y + inner.height
    {
        f.set_cursor_position(Position { x, y });
    }
}

/// One field's rows (a description shows several), and where the cursor
/// goes when the field has the focus; under a focused category, its
/// matches.
fn field_lines(
    form: &FormState,
    field: Field,
    inner: Rect,
    theme: &Theme,
    l: Lang,
    lines: &mut Vec<Line<'static>>,
    cursor: &mut Option<(u16, u16)>,
) {
    let value_w = (inner.width as usize).saturating_sub(LABEL + 2);
    let focused = form.focus == field;
    let label = Span::styled(
        format!(
            "{}{}",
            if focused { "▸" } else { " " },
            pad_to_width(label_of(field, l), LABEL)
        ),
        if focused {
            theme.key()
        } else {
            theme.column_header()
        },
    );
    let (value, text) = value_of(form, field, l);
    let style = if focused {
        theme.selected()
    } else {
        Default::default()
    };
    // Typed text wraps (CJK-width aware) and scrolls with the cursor:
    // nothing typed is ever out of sight. The description shows up to
    // DESCRIPTION_ROWS rows, a one-line field its cursor's row.
    let typed = text.filter(|_| field != Field::Category);
    let (rows, (crow, ccol)) = match typed {
        Some(t) => t.wrapped(value_w),
        None => (
            vec![truncate_to_width(&value, value_w).into_owned()],
            (0, 0),
        ),
    };
    let window = if field == Field::Description {
        DESCRIPTION_ROWS
    } else {
        1
    };
    let first = crow.saturating_sub(window - 1);
    for (i, row) in rows.iter().enumerate().skip(first).take(window) {
        if focused && text.is_some() && i == crow {
            *cursor = Some((
                inner.x + 1 + LABEL as u16 + 1 + ccol.min(value_w) as u16,
                inner.y + lines.len() as u16,
            ));
        }
        let head = if i == first {
            label.clone()
        } else {
            Span::raw(" ".repeat(LABEL + 1))
        };
        lines.push(Line::from(vec![
            head,
            Span::raw(" "),
            Span::styled(for_display(row).into_owned(), style),
        ]));
    }
    if focused
        && field == Field::Category
        && let Some(t) = text
    {
        let (_, col) = t.cursor();
        *cursor = Some((
            inner.x + 2 + LABEL as u16 + col.min(value_w) as u16,
            inner.y + lines.len() as u16 - 1,
        ));
    }
    if field == Field::Category && focused {
        // A window of the matches around the pick, each with its path.
        let matches = form.matching_categories();
        let first = form.category_pick.saturating_sub(2);
        for (i, c) in matches.iter().enumerate().skip(first).take(5) {
            let mark = if i == form.category_pick { "→" } else { " " };
            let path = form.path(c, l == Lang::Zh);
            lines.push(Line::styled(
                format!("{:w$}{mark} {}", "", for_display(&path), w = LABEL + 2),
                theme.dim(),
            ));
        }
    }
}

/// R5: the similar open complaints, the one to attach to marked.
fn similar_lines(
    app: &App,
    form: &FormState,
    w: usize,
    lines: &mut Vec<Line<'static>>,
    theme: &Theme,
) {
    let l = app.lang;
    if !form.similar.is_empty() {
        lines.push(Line::styled(
            Msg::SimilarOpen.text(l),
            theme.column_header(),
        ));
        for (i, s) in form.similar.iter().take(5).enumerate() {
            let mark = if form.attach == i + 1 { "→" } else { " " };
            let text = format!(
                "{mark} {} {} · {} · {}",
                for_display(&s.number),
                format::time(s.registered_at, app.tz),
                s.complainant_count,
                for_display(&s.subject)
            );
            lines.push(Line::raw(truncate_to_width(&text, w).into_owned()));
        }
    }
}

fn label_of(field: Field, l: Lang) -> &'static str {
    match field {
        Field::Who => Msg::Who.text(l),
        Field::Name => Msg::Name.text(l),
        Field::Phone => Msg::Phone.text(l),
        Field::Address => Msg::Address.text(l),
        Field::Plate => Msg::ColPlate.text(l),
        Field::Channel => Msg::Channel.text(l),
        Field::Category => Msg::Category.text(l),
        Field::Severity => Msg::Severity.text(l),
        Field::Subject => Msg::Subject.text(l),
        Field::Description => Msg::Description.text(l),
        Field::Attach => Msg::AttachTo.text(l),
    }
}

fn value_of(form: &FormState, field: Field, l: Lang) -> (String, Option<&TextArea>) {
    let choice = |s: &str| format!("‹ {s} ›");
    match field {
        Field::Who => (
            choice(&match form.who {
                Who::InHand => format!(
                    "{}: {}",
                    Msg::WhoInHand.text(l),
                    for_display(form.in_hand.as_ref().map_or("", |c| c.1.as_str()))
                ),
                Who::New => Msg::WhoNew.text(l).to_string(),
                Who::Anonymous => Msg::WhoAnonymous.text(l).to_string(),
            }),
            None,
        ),
        Field::Name => (form.name.text(), Some(&form.name)),
        Field::Phone => (form.phone.text(), Some(&form.phone)),
        Field::Address => (form.address.text(), Some(&form.address)),
        Field::Plate => (form.plate.text(), Some(&form.plate)),
        Field::Channel => (
            choice(i18n::channel(Channel::ALL[form.channel].code(), l)),
            None,
        ),
        Field::Severity => (
            choice(i18n::severity(Severity::ALL[form.severity], l)),
            None,
        ),
        Field::Category => {
            let picked = form.category().map(|c| form.path(c, l == Lang::Zh));
            let filter = form.category_filter.text();
            let shown = match picked {
                Some(p) if filter.is_empty() => p,
                Some(p) => format!("{filter} → {p}"),
                None => format!("{filter} ({})", Msg::CategoryHint.text(l)),
            };
            (shown, Some(&form.category_filter))
        }
        Field::Subject => (form.subject.text(), Some(&form.subject)),
        Field::Description => (form.description.text(), Some(&form.description)),
        Field::Attach => {
            let v = match form.attach.checked_sub(1).and_then(|i| form.similar.get(i)) {
                Some(s) => s.number.clone(),
                None => Msg::RegisterNew.text(l).to_string(),
            };
            (choice(&v), None)
        }
    }
}
