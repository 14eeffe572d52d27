//! The customer search screen: the query box, the index's state, the
//! purpose any record opened from here is logged with (R31), and the
//! results with the matched characters of each name highlighted. Phones
//! are masked (R30). Text from the database is cleaned before drawing.
use crate::domain::privacy::{self, PhoneView};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use unicode_width::UnicodeWidthChar;

use super::app::App;
use super::search::SearchState;
use super::theme::Theme;
use crate::i18n::{Lang, Msg};
use crate::live_index::Status;
use crate::search::{Field, Hit};
use crate::text::{for_display, pad_to_width, width};

pub fn field_name(f: Field, l: Lang) -> &'static str {
    match f {
        Field::Name => Msg::FieldName.text(l),
        Field::Pinyin => Msg::FieldPinyin.text(l),
        Field::Initials => Msg::FieldInitials.text(l),
        Field::Phone => Msg::FieldPhone.text(l),
        Field::Plate => Msg::FieldPlate.text(l),
        Field::Code => Msg::FieldCode.text(l),
        Field::Company => Msg::FieldCompany.text(l),
        Field::Address => Msg::FieldAddress.text(l),
    }
}

/// The name in `cells` terminal cells, matched characters highlighted.
fn name_spans(hit: &Hit, cells: usize, theme: &Theme) -> Vec<Span<'static>> {
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    let chars: Vec<char> = hit.name.chars().collect();
    let total: usize = chars.iter().map(|c| c.width().unwrap_or(0)).sum();
    for (i, &c) in chars.iter().enumerate() {
        // Names are cleaned at entry; drop anything unsafe regardless.
        if c.is_control() || for_display(c.encode_utf8(&mut [0u8; 4])).is_empty() {
            continue;
        }
        let w = c.width().unwrap_or(0);
        let room = if total > cells { cells - 1 } else { cells };
        if used + w > room {
            spans.push(Span::raw("…"));
            used += 1;
            break;
        }
        let style = if hit.name_matches.contains(&i) {
            theme.matched()
        } else {
            Style::default()
        };
        spans.push(Span::styled(c.to_string(), style));
        used += w;
    }
    if used < cells {
        spans.push(Span::raw(" ".repeat(cells - used)));
    }
    spans
}

/// The class column: "等级" / "Cls" over one letter.
const CLASS: usize = 4;

struct Widths {
    name: usize,
    phone: usize,
    code: usize,
    plate: usize,
    field: usize,
    rest: usize,
}

fn widths(total: usize) -> Widths {
    let name = if total >= 120 { 18 } else { 12 };
    // 13: a masked landline, 0755-****5678.
    let (phone, code, plate, field) = (13, 10, 9, 8);
    // marker 2, six separating spaces
    let fixed = 2 + name + phone + CLASS + code + plate + field + 6;
    Widths {
        name,
        phone,
        code,
        plate,
        field,
        rest: total.saturating_sub(fixed + 1),
    }
}

pub fn render(f: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let Some(s) = app.search.as_ref() else {
        return;
    };
    let l = app.lang;
    let block = Block::default()
        .borders(Borders::TOP)
        .title(format!(" {} ", Msg::SearchTitle.text(l)));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let w = inner.width as usize;
    let mut lines: Vec<Line<'_>> = Vec::new();

    // The query box, and on the right the results or the index's state.
    let status = app.archive.as_ref().map(|a| a.status());
    let right = index_state(status.as_ref(), s, l);
    let query = s.input.text();
    let right_w = width(&right).min(w / 2);
    let left_w = w.saturating_sub(right_w + 1);
    let shown = if query.is_empty() {
        Span::styled(
            pad_to_width(Msg::SearchPrompt.text(l), left_w.saturating_sub(2)),
            theme.dim(),
        )
    } else {
        Span::raw(pad_to_width(&for_display(&query), left_w.saturating_sub(2)))
    };
    lines.push(Line::from(vec![
        Span::styled("/ ", theme.key()),
        shown,
        Span::raw(" "),
        Span::styled(pad_to_width(&right, right_w), theme.dim()),
    ]));
    lines.push(purpose_line(s, &query, w, l, theme));

    let cw = widths(w);
    let head = format!(
        "  {} {} {} {} {} {} {}",
        pad_to_width(Msg::Name.text(l), cw.name),
        pad_to_width(Msg::Phone.text(l), cw.phone),
        pad_to_width(Msg::ColClass.text(l), CLASS),
        pad_to_width(Msg::ColCode.text(l), cw.code),
        pad_to_width(Msg::ColPlate.text(l), cw.plate),
        pad_to_width(Msg::ColMatched.text(l), cw.field),
        pad_to_width(Msg::ColCompany.text(l), cw.rest),
    );
    lines.push(Line::styled(pad_to_width(&head, w), theme.column_header()));

    let rows = (inner.height as usize).saturating_sub(lines.len());
    if s.hits.is_empty() && !s.ran.trim().is_empty() && matches!(status, Some(Status::Ready { .. }))
    {
        lines.push(Line::raw(format!("  {}", Msg::NoResults.text(l))));
    }
    let first = s.selected.saturating_sub(rows.saturating_sub(1));
    for (i, hit) in s.hits.iter().enumerate().skip(first).take(rows) {
        lines.push(row(s, hit, i == s.selected, &cw, w, l, theme));
    }
    f.render_widget(Paragraph::new(lines), inner);

    if let Some(r) = &s.reason {
        reason_box(f, area, app, r, theme);
    } else {
        let (_, col) = s.input.cursor();
        let x = inner.x + 2 + col.min(left_w.saturating_sub(3)) as u16;
        f.set_cursor_position(Position { x, y: inner.y });
    }
}

/// The index's state, or the count of results and the query's time.
fn index_state(status: Option<&Status>, s: &SearchState, l: Lang) -> String {
    match status {
        Some(Status::Building { loaded, total }) => {
            let pct = if *total > 0 { loaded * 100 / total } else { 0 };
            format!("{} {pct}% ({loaded}/{total})", Msg::IndexBuilding.text(l))
        }
        Some(Status::Failed(e)) => format!("{}{}", Msg::IndexFailed.text(l), for_display(e)),
        Some(Status::Ready { customers }) if s.ran.trim().is_empty() => {
            format!("{customers} {}", Msg::Indexed.text(l))
        }
        Some(Status::Ready { .. }) => {
            format!(
                "{} {} · {:.0} ms",
                s.hits.len(),
                if s.hits.len() == 1 {
                    Msg::ResultOne
                } else {
                    Msg::Results
                }
                .text(l),
                s.took_ms
            )
        }
        None => String::new(),
    }
}

/// What opening a result is for (R31), after how the query was read.
fn purpose_line(s: &SearchState, query: &str, w: usize, l: Lang, theme: &Theme) -> Line<'static> {
    let purpose = match &s.in_hand {
        _ if s.pick => Msg::PurposePick.text(l).to_string(),
        Some(h) => format!("{} {}", Msg::PurposeInHand.text(l), for_display(&h.number)),
        None => Msg::PurposeAsk.text(l).to_string(),
    };
    // Issue 14: how the query was read, when that is not obvious (a phone
    // number as written, a typo, a southern-pinyin sound), before the
    // purpose; the query it is for must still be the one in the box.
    let read = if s.ran == *query {
        crate::i18n::reading(&s.reading, l)
    } else {
        String::new()
    };
    if read.is_empty() {
        Line::styled(pad_to_width(&purpose, w), theme.dim())
    } else {
        let read = for_display(&read);
        let read_w = width(&read).min(w);
        Line::from(vec![
            Span::styled(pad_to_width(&read, read_w), theme.key()),
            Span::styled(
                pad_to_width(&format!(" · {purpose}"), w - read_w),
                theme.dim(),
            ),
        ])
    }
}

fn row(
    s: &SearchState,
    hit: &Hit,
    selected: bool,
    cw: &Widths,
    w: usize,
    l: Lang,
    theme: &Theme,
) -> Line<'static> {
    let sum = s.summaries.get(&hit.id);
    let phone = sum
        .filter(|x| !x.phone.is_empty())
        .map(|x| privacy::show_phone(&for_display(&x.phone), PhoneView::Masked))
        .unwrap_or_default();
    let class = sum
        .and_then(|x| x.class)
        .map_or(' ', |c| c.letter())
        .to_string();
    let code = sum
        .and_then(|x| x.code.as_deref())
        .map(|c| for_display(c).into_owned())
        .unwrap_or_default();
    let plate = sum
        .map(|x| for_display(&x.plate).into_owned())
        .unwrap_or_default();
    let rest = sum
        .map(|x| {
            let t = if x.company.is_empty() {
                &x.address
            } else {
                &x.company
            };
            for_display(t).into_owned()
        })
        .unwrap_or_default();
    let mut spans = vec![Span::raw(if selected { "▸ " } else { "  " })];
    spans.extend(name_spans(hit, cw.name, theme));
    spans.push(Span::raw(" "));
    // The typed digits of a phone (visible past the mask) and the typed
    // part of a plate are underlined, like the matched letters of a name.
    spans.extend(underline_typed(
        &pad_to_width(&phone, cw.phone),
        &s.ran,
        theme,
    ));
    spans.push(Span::raw(format!(
        " {} {} ",
        pad_to_width(&class, CLASS),
        pad_to_width(&code, cw.code),
    )));
    spans.extend(underline_typed(
        &pad_to_width(&plate, cw.plate),
        &s.ran,
        theme,
    ));
    spans.push(Span::raw(format!(
        " {} {}",
        pad_to_width(field_name(hit.field, l), cw.field),
        pad_to_width(&rest, cw.rest),
    )));
    let used: usize = spans.iter().map(|sp| width(&sp.content)).sum();
    if used < w {
        spans.push(Span::raw(" ".repeat(w - used)));
    }
    let line = Line::from(spans);
    if selected {
        line.patch_style(theme.selected())
    } else {
        line
    }
}

/// `cell` with every query term of three or more characters that occurs
/// in it (case-insensitive) underlined.
fn underline_typed(cell: &str, query: &str, theme: &Theme) -> Vec<Span<'static>> {
    let chars: Vec<char> = cell.chars().collect();
    let lower: Vec<char> = cell.to_lowercase().chars().collect();
    let mut marked = vec![false; chars.len()];
    if lower.len() == chars.len() {
        for term in query.split_whitespace().filter(|t| t.chars().count() >= 3) {
            let t: Vec<char> = term.to_lowercase().chars().collect();
            for start in 0..lower.len().saturating_sub(t.len() - 1) {
                if lower[start..start + t.len()] == t[..] {
                    marked[start..start + t.len()]
                        .iter_mut()
                        .for_each(|m| *m = true);
                }
            }
        }
    }
    let mut out: Vec<Span<'static>> = Vec::new();
    let mut run = String::new();
    let mut on = false;
    for (c, m) in chars.iter().zip(marked) {
        if m != on && !run.is_empty() {
            let style = if on {
                theme.matched()
            } else {
                Style::default()
            };
            out.push(Span::styled(std::mem::take(&mut run), style));
        }
        on = m;
        run.push(*c);
    }
    if !run.is_empty() {
        let style = if on {
            theme.matched()
        } else {
            Style::default()
        };
        out.push(Span::styled(run, style));
    }
    out
}

fn reason_box(
    f: &mut Frame<'_>,
    area: Rect,
    app: &App,
    r: &super::search::ReasonPrompt,
    theme: &Theme,
) {
    let l = app.lang;
    let w = 64.min(area.width);
    let h = 6.min(area.height);
    let x = area.x + (area.width - w) / 2;
    let y = area.y + (area.height - h) / 2;
    let box_area = Rect {
        x,
        y,
        width: w,
        height: h,
    };
    super::render::clear_for_overlay(f, box_area);
    let block = Block::default().borders(Borders::ALL).title(if r.restored {
        format!(
            " {} [{}] ",
            Msg::ReasonTitle.text(l),
            Msg::DraftRestored.text(l)
        )
    } else {
        format!(" {} ", Msg::ReasonTitle.text(l))
    });
    let inner = block.inner(box_area);
    f.render_widget(block, box_area);
    let iw = inner.width as usize;
    let text = r.text.text();
    let lines = vec![
        Line::raw(pad_to_width(
            &format!("{}: {}", Msg::Customer.text(l), for_display(&r.name)),
            iw,
        )),
        Line::from(vec![
            Span::styled("> ", theme.key()),
            Span::raw(pad_to_width(&for_display(&text), iw.saturating_sub(2))),
        ]),
        Line::raw(""),
        if r.error {
            Line::styled(pad_to_width(Msg::ReasonRequired.text(l), iw), theme.error())
        } else {
            Line::styled(pad_to_width(Msg::ReasonHint.text(l), iw), theme.dim())
        },
    ];
    f.render_widget(Paragraph::new(lines), inner);
    let (_, col) = r.text.cursor();
    f.set_cursor_position(Position {
        x: inner.x + 2 + col.min(iw.saturating_sub(3)) as u16,
        y: inner.y + 1,
    });
}
