//! The call screen: customer header, the R15 steps, the script with its
//! placeholders filled (R16; a missing value is marked, never a gap), the
//! note editor with its draft mark (R18), and the outcome pickers.
use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Position, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::app::App;
use super::call::{CallState, Step};
use super::format;
use super::theme::Theme;
use crate::domain::model::ContactMethod;
use crate::domain::script::{self, Piece};
use crate::i18n::{self, Lang, Msg};
use crate::text::{display_lines, for_display, pad_to_width};

pub fn render(f: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let Some(call) = app.call.as_ref() else {
        return;
    };
    let l = app.lang;
    // R8: a change made elsewhere is said at the top, where it is seen.
    let stale_h = u16::from(call.stale.is_some()) * 2;
    let steps_h = steps_lines(area.width, l, theme).len() as u16;
    let parts = Layout::default()
        .direction(Direction::Vertical)
        .constraints([
            Constraint::Length(stale_h),
            Constraint::Length(1 + steps_h),
            Constraint::Percentage(50),
            Constraint::Min(4),
        ])
        .split(area);
    if let Some(what) = &call.stale {
        let text = format!(
            "!! {} {}{what}. {}",
            for_display(&call.item.number),
            Msg::CallStale.text(l),
            Msg::CallStaleHint.text(l)
        );
        f.render_widget(
            Paragraph::new(text)
                .style(theme.alert())
                .wrap(Wrap { trim: true }),
            parts[0],
        );
    }
    let parts = &parts[1..];
    header(f, parts[0], app, call, theme);
    script(f, parts[1], app, call, theme);
    note(f, parts[2], app, call, theme);
    match &call.step {
        Step::PickOutcome { idx } => pick_outcome(f, area, call, *idx, l, theme),
        Step::Survey { answers } => survey(f, area, call, answers, l, theme),
        Step::PickTime { at } => {
            let text = format!(
                "{}  {}",
                Msg::NextCallbackAt.text(l),
                format::time(*at, app.tz)
            );
            popup(
                f,
                area,
                Msg::PickTime.text(l),
                vec![Line::styled(text, theme.key())],
                60,
            );
        }
        Step::PickDepartment { idx } => {
            let lines = call
                .data
                .departments
                .iter()
                .enumerate()
                .map(|(i, d)| {
                    let name = if l == Lang::Zh { &d.0 } else { &d.1 };
                    let style = if i == *idx {
                        theme.selected()
                    } else {
                        Default::default()
                    };
                    Line::styled(pad_to_width(&for_display(name), 40), style)
                })
                .collect();
            popup(f, area, Msg::PickDepartment.text(l), lines, 46);
        }
        Step::Confirm => confirm(f, area, app, call, theme),
        Step::Idle | Step::Editing => {}
    }
}

fn header(f: &mut Frame<'_>, area: Rect, app: &App, call: &CallState, theme: &Theme) {
    let l = app.lang;
    let item = &call.item;
    let elapsed = (app.now - call.started_at).max(0);
    // R30: the whole number in the record being handled.
    let who = format::customer(item, app.me.role, true, l);
    let top = vec![
        Span::styled(
            format!("{} {} ", Msg::Call.text(l), for_display(&item.number)),
            theme.key(),
        ),
        Span::raw(format!(
            "· {who} · {} {} · ",
            Msg::Class.text(l),
            item.class.letter()
        )),
        Span::raw(match item.purpose {
            Some(p) => i18n::purpose(p, l).to_string(),
            None => format::category(item, l),
        }),
        Span::styled(
            format!("  {:02}:{:02}", elapsed / 60, elapsed % 60),
            theme.key(),
        ),
    ];

    let mut lines = vec![Line::from(top)];
    lines.extend(steps_lines(area.width, l, theme));
    f.render_widget(Paragraph::new(lines), area);
}

/// R15: the five handling steps, wrapped so none is cut at 80 columns.
fn steps_lines(width: u16, l: Lang, theme: &Theme) -> Vec<Line<'static>> {
    let steps = if l == Lang::Zh {
        script::STEPS_ZH
    } else {
        script::STEPS_EN
    };
    let outline: Vec<String> = steps
        .iter()
        .enumerate()
        .map(|(i, s)| format!("{}.{s}", i + 1))
        .collect();
    let spans = [
        Span::styled(format!("{}: ", Msg::Steps.text(l)), theme.column_header()),
        Span::raw(outline.join(" → ")),
    ];
    super::wrap::wrap_spans(&spans, usize::from(width))
}

fn script(f: &mut Frame<'_>, area: Rect, app: &App, call: &CallState, theme: &Theme) {
    let l = app.lang;
    let scripts = if l == Lang::Zh {
        &call.data.scripts_zh
    } else {
        &call.data.scripts_en
    };
    let n = scripts.len();
    let Some(s) = scripts.get(call.script.min(n.saturating_sub(1))) else {
        f.render_widget(
            Paragraph::new("").block(Block::default().borders(Borders::TOP)),
            area,
        );
        return;
    };
    let value = |name: &str| call.placeholder(name, &app.me, l, app.tz, app.now);
    let mut lines = Vec::new();
    for para in s.body.split('\n') {
        let spans: Vec<Span<'_>> = script::fill(para, &value)
            .into_iter()
            .map(|p| match p {
                Piece::Text(t) => Span::raw(for_display(&t).into_owned()),
                Piece::Value(v) => Span::styled(for_display(&v).into_owned(), theme.key()),
                Piece::Missing(name) => Span::styled(
                    format!("‹{}:{}›", Msg::Missing.text(l), for_display(&name)),
                    theme.error().add_modifier(Modifier::REVERSED),
                ),
            })
            .collect();
        // Our own wrap: a complaint number or a phone is never split.
        lines.extend(super::wrap::wrap_spans(&spans, usize::from(area.width)));
    }
    let title = format!(
        " {} {}/{}: {} (v{}) ",
        Msg::Script.text(l),
        call.script.min(n - 1) + 1,
        n,
        for_display(&s.title),
        s.version
    );
    let p = Paragraph::new(lines)
        .block(Block::default().borders(Borders::TOP).title(title))
        .scroll((call.scroll, 0));
    f.render_widget(p, area);
}

fn note(f: &mut Frame<'_>, area: Rect, app: &App, call: &CallState, theme: &Theme) {
    let l = app.lang;
    let editing = call.step == Step::Editing;
    // The restored mark sits on the note it concerns, where it always fits.
    let title = if call.draft_restored {
        format!(
            " {} [{}] — {} ",
            Msg::Note.text(l),
            Msg::DraftRestored.text(l),
            Msg::NoteHint.text(l)
        )
    } else {
        format!(" {} — {} ", Msg::Note.text(l), Msg::NoteHint.text(l))
    };
    let block = Block::default()
        .borders(Borders::TOP)
        .title(title)
        .border_style(if editing { theme.key() } else { theme.dim() });
    let inner = block.inner(area);
    // Wrapped to the pane (CJK-width aware) and scrolled to the cursor, so
    // text past the right edge is never hidden.
    let (rows, (row, col)) = call.note.wrapped(inner.width as usize);
    let skip = row.saturating_sub(inner.height.saturating_sub(1) as usize);
    let lines: Vec<Line<'_>> = rows
        .iter()
        .skip(skip)
        .map(|s| Line::raw(for_display(s).into_owned()))
        .collect();
    f.render_widget(Paragraph::new(lines).block(block), area);
    if editing && app.overlay == super::app::Overlay::None {
        let x = inner.x + (col as u16).min(inner.width.saturating_sub(1));
        let y = inner.y + (row - skip) as u16;
        f.set_cursor_position(Position { x, y });
    }
}

fn popup(f: &mut Frame<'_>, area: Rect, title: &str, lines: Vec<Line<'_>>, width: u16) {
    let h = (lines.len() as u16 + 2).min(area.height.saturating_sub(2));
    let w = width.min(area.width);
    let r = Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    };
    f.render_widget(Clear, r);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {title} "));
    f.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        r,
    );
}

fn pick_outcome(
    f: &mut Frame<'_>,
    area: Rect,
    call: &CallState,
    idx: usize,
    l: Lang,
    theme: &Theme,
) {
    let lines = call
        .codes()
        .into_iter()
        .enumerate()
        .map(|(pos, (_, c))| {
            let label = if l == Lang::Zh {
                &c.label_zh
            } else {
                &c.label_en
            };
            let style = if pos == idx {
                theme.selected()
            } else {
                Default::default()
            };
            Line::from(vec![
                Span::styled(format!(" {} ", for_display(&c.key)), theme.key()),
                Span::styled(pad_to_width(&for_display(label), 36), style),
            ])
        })
        .collect();
    popup(f, area, Msg::PickOutcome.text(l), lines, 50);
}

fn survey(
    f: &mut Frame<'_>,
    area: Rect,
    call: &CallState,
    answers: &[crate::domain::survey::Answer],
    l: Lang,
    theme: &Theme,
) {
    let lines = call
        .data
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let text = if l == Lang::Zh { &q.0 } else { &q.1 };
            let answer = answers
                .get(i)
                .map(|a| format!(" [{}]", i18n::answer(*a, l)))
                .unwrap_or_default();
            let style = if i == answers.len() {
                theme.selected()
            } else {
                Default::default()
            };
            Line::from(vec![
                Span::styled(format!("{}. {}", i + 1, for_display(text)), style),
                Span::styled(answer, theme.key()),
            ])
        })
        .collect();
    popup(f, area, Msg::SurveyTitle.text(l), lines, 76);
}

fn confirm(f: &mut Frame<'_>, area: Rect, app: &App, call: &CallState, theme: &Theme) {
    let l = app.lang;
    let Some(code) = call.chosen() else { return };
    let label = if l == Lang::Zh {
        &code.label_zh
    } else {
        &code.label_en
    };
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{}: ", Msg::Outcome.text(l)), theme.column_header()),
        Span::styled(for_display(label).into_owned(), theme.key()),
    ])];
    if let Some(score) = call.survey_score() {
        lines.push(Line::raw(format!("{}: {score}/100", Msg::Score.text(l))));
        // R23/R25: a contradiction is said, and the agent chooses.
        if let Some(other) = call.survey_suggests.and_then(|i| call.data.codes.get(i)) {
            let other = if l == Lang::Zh {
                &other.label_zh
            } else {
                &other.label_en
            };
            lines.push(Line::styled(
                format!(
                    "! {} {score}/100. {} {}; {}.",
                    Msg::SurveyDisagrees.text(l),
                    Msg::SurveySwitch.text(l),
                    for_display(other),
                    if code.effect == crate::domain::outcome::Effect::Satisfied {
                        Msg::SurveyBelowFair.text(l)
                    } else {
                        Msg::SurveyKeep.text(l)
                    }
                ),
                theme.error(),
            ));
        }
    }
    // What recording this sets in motion (R19, R20).
    match call.what_follows(app.now) {
        Some(crate::ui::call::Follows::Survey(at)) => lines.push(Line::raw(format!(
            "{} {}",
            Msg::FollowSurvey.text(l),
            format::time(at, app.tz)
        ))),
        Some(crate::ui::call::Follows::Retry(at, n, max)) => lines.push(Line::raw(format!(
            "{} {} ({} {n}/{max})",
            Msg::FollowRetry.text(l),
            format::time(at, app.tz),
            Msg::FollowAttempt.text(l)
        ))),
        Some(crate::ui::call::Follows::Failed) => lines.push(Line::raw(Msg::FollowFailed.text(l))),
        None => {}
    }
    if let Some(at) = call.next_at {
        lines.push(Line::raw(format!(
            "{}: {}",
            Msg::NextCallbackAt.text(l),
            format::time(at, app.tz)
        )));
    }
    if let Some(d) = call.department.and_then(|i| call.data.departments.get(i)) {
        let name = if l == Lang::Zh { &d.0 } else { &d.1 };
        lines.push(Line::raw(format!(
            "{}: {}",
            Msg::Department.text(l),
            for_display(name)
        )));
    }
    if call.is_callback() {
        lines.push(Line::raw(format!(
            "{}: {} ({})",
            Msg::Method.text(l),
            i18n::method(call.method, l),
            Msg::MethodHint.text(l)
        )));
        if call.method == ContactMethod::Visit {
            lines.push(Line::raw(format!(
                "{}: {}_",
                Msg::Signature.text(l),
                for_display(&call.signature.text())
            )));
        }
    }
    // The whole note, wrapped; when it is longer than the box, its end
    // (what was typed last) stays in view with a count of the rows above.
    let note_w = usize::from(area.width.min(70).saturating_sub(4));
    let mut note: Vec<String> = Vec::new();
    for l in display_lines(&call.note.text()) {
        let (rows, _) = super::textarea::TextArea::with_text(&l, false, usize::MAX).wrapped(note_w);
        note.extend(rows);
    }
    if !note.is_empty() {
        lines.push(Line::styled(Msg::Note.text(l), theme.column_header()));
        let room = usize::from(area.height.saturating_sub(4)).saturating_sub(lines.len() + 1);
        if note.len() > room && room > 0 {
            let hidden = note.len() - room + 1;
            lines.push(Line::styled(format!("  … (+{hidden})"), theme.dim()));
            note.drain(..hidden);
        }
        lines.extend(note.into_iter().map(|s| Line::raw(format!("  {s}"))));
    }
    popup(f, area, Msg::ConfirmTitle.text(l), lines, 70);
}
