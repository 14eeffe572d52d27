//! Draws the wallboard: panels flowed into as many columns as the width
//! holds (one at 80, three at 200) and into pages when they do not fit the
//! height (PageDown), so nothing is cut mid-word; the focused number (Tab)
//! is reversed and Enter opens the complaints behind it.
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::app::App;
use super::theme::Theme;
use super::wallboard::{WallboardState, badge_word};
use crate::domain::report::Reminder;
use crate::domain::wallboard::{BADGES, Board, CLOCKS, Jump, SEVERITIES, STATUSES};
use crate::i18n::{self, Lang, Msg};
use crate::report::text::sparkline;
use crate::text::{for_display, pad_to_width, width};

/// A column is at least this wide; 80 columns give one, 200 give three.
const COLUMN: u16 = 64;

struct Panel {
    title: String,
    lines: Vec<Line<'static>>,
}

struct Ctx<'a> {
    lang: Lang,
    theme: &'a Theme,
    focus: Jump,
    w: usize,
}

impl Ctx<'_> {
    /// A number, reversed when it is the focused one.
    fn num(&self, j: Option<Jump>, n: i64, cells: usize, style: Style) -> Span<'static> {
        let text = format!("{n:>cells$}");
        match j {
            Some(j) if j == self.focus => {
                Span::styled(text, style.add_modifier(Modifier::REVERSED))
            }
            _ => Span::styled(text, style),
        }
    }
}

fn raw(s: String) -> Span<'static> {
    Span::raw(s)
}

fn majors(b: &Board, c: &Ctx<'_>) -> Panel {
    let l = c.lang;
    let mut lines = vec![Line::from(vec![
        c.num(
            Some(Jump::Unacknowledged),
            b.unacknowledged.len() as i64,
            3,
            c.theme.badge(crate::domain::sla::Badge::Breached),
        ),
        raw(format!(" {}", Msg::MajorAlert.text(l))),
    ])];
    const SHOW: usize = 5;
    for m in b.unacknowledged.iter().take(SHOW) {
        let age = i18n::span(b.now - m.received_at, l);
        let due = m.due.map_or_else(String::new, |d| {
            if d < b.now {
                format!(" {}", Msg::RpBreached.text(l))
            } else {
                format!(" ≤{}", i18n::span(d - b.now, l))
            }
        });
        let head = format!("{} {age:>4}{due} ", for_display(&m.number));
        let rest = c.w.saturating_sub(width(&head));
        lines.push(Line::from(vec![
            Span::styled(
                head,
                c.theme.severity(crate::domain::model::Severity::Major),
            ),
            raw(pad_to_width(&for_display(&m.subject), rest)),
        ]));
    }
    if b.unacknowledged.len() > SHOW {
        lines.push(Line::from(format!("… +{}", b.unacknowledged.len() - SHOW)));
    }
    Panel {
        title: Msg::WbMajors.text(l).into(),
        lines,
    }
}

fn queue(b: &Board, c: &Ctx<'_>) -> Panel {
    let l = c.lang;
    let mut head = vec![raw(pad_to_width("", 12))];
    for s in SEVERITIES {
        head.push(raw(pad_to_width(i18n::severity(s, l), 7)));
    }
    head.push(raw(Msg::FilterAll.text(l).into()));
    let mut lines = vec![Line::from(head)];
    for (si, s) in STATUSES.iter().enumerate() {
        let mut row = vec![raw(pad_to_width(i18n::status(*s, l), 12))];
        for (vi, v) in SEVERITIES.iter().enumerate() {
            row.push(c.num(
                Some(Jump::Cell(*s, *v)),
                b.queue[si][vi],
                4,
                c.theme.severity(*v),
            ));
            row.push(raw("   ".into()));
        }
        row.push(raw(format!("{:>4}", b.queue[si].iter().sum::<i64>())));
        lines.push(Line::from(row));
    }
    Panel {
        title: Msg::WbQueue.text(l).into(),
        lines,
    }
}

fn clocks(b: &Board, c: &Ctx<'_>) -> Panel {
    let l = c.lang;
    let mut head = vec![raw(pad_to_width("", 15))];
    for x in BADGES {
        head.push(raw(pad_to_width(badge_word(x, l), 9)));
    }
    let mut lines = vec![Line::from(head)];
    for (ci, name) in CLOCKS.iter().enumerate() {
        let mut row = vec![raw(pad_to_width(i18n::clock(*name, l), 15))];
        for (bi, x) in BADGES.iter().enumerate() {
            row.push(c.num(
                Some(Jump::Clock(*name, *x)),
                b.clocks[ci][bi],
                5,
                c.theme.badge(*x),
            ));
            row.push(raw("    ".into()));
        }
        lines.push(Line::from(row));
    }
    Panel {
        title: Msg::WbClocks.text(l).into(),
        lines,
    }
}

fn callbacks(b: &Board, c: &Ctx<'_>) -> Panel {
    let l = c.lang;
    let line = Line::from(vec![
        raw(format!("{} ", Msg::WbDue.text(l))),
        c.num(
            Some(Jump::CallbacksDue),
            b.callbacks_due,
            3,
            Style::default(),
        ),
        raw(format!("   {} ", Msg::WbOverdue.text(l))),
        c.num(
            Some(Jump::CallbacksOverdue),
            b.callbacks_overdue,
            3,
            c.theme.badge(crate::domain::sla::Badge::Breached),
        ),
        raw(format!("   {} ", Msg::WbFailed.text(l))),
        c.num(None, b.callbacks_failed, 3, Style::default()),
    ]);
    Panel {
        title: Msg::WbCallbacks.text(l).into(),
        lines: vec![line],
    }
}

fn month(b: &Board, c: &Ctx<'_>) -> Panel {
    let l = c.lang;
    let lines = b
        .month
        .iter()
        .map(|r| {
            let v = r
                .value
                .map_or_else(|| "—".to_string(), |v| format!("{v:.1}"));
            let mark = crate::report::pass(r, l);
            let style = match r.pass {
                Some(true) => c.theme.badge(crate::domain::sla::Badge::OnTrack),
                Some(false) => c.theme.badge(crate::domain::sla::Badge::Breached),
                None => Style::default(),
            };
            Line::from(vec![
                raw(format!(
                    "{} {v:>6} {:>6} ",
                    pad_to_width(i18n::rate(r.key, l), c.w.saturating_sub(24).clamp(10, 24)),
                    crate::report::target(r)
                )),
                Span::styled(mark.to_string(), style),
            ])
        })
        .collect();
    Panel {
        title: format!("{} {}", Msg::WbMonth.text(l), b.month_label),
        lines,
    }
}

/// Today's intake per hour beside yesterday's: two bars per hour.
fn intake(b: &Board, c: &Ctx<'_>) -> Panel {
    let l = c.lang;
    const ROWS: usize = 4;
    const LEVELS: [char; 9] = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let max = b
        .intake_today
        .iter()
        .chain(&b.intake_yesterday)
        .copied()
        .max()
        .unwrap_or(0)
        .max(1);
    let cell = |n: i64, row: usize| -> char {
        let eighths = (n * (ROWS as i64) * 8 + max - 1) / max;
        let from = ((ROWS - 1 - row) * 8) as i64;
        LEVELS[(eighths - from).clamp(0, 8) as usize]
    };
    let mut lines = Vec::new();
    let today_style = c.theme.key();
    for row in 0..ROWS {
        let mut spans = Vec::new();
        for h in 0..24 {
            spans.push(Span::styled(
                cell(b.intake_today[h], row).to_string(),
                today_style,
            ));
            spans.push(Span::styled(
                cell(b.intake_yesterday[h], row).to_string(),
                Style::default().add_modifier(Modifier::DIM),
            ));
        }
        lines.push(Line::from(spans));
    }
    let mut axis = String::new();
    for h in (0..24).step_by(6) {
        axis.push_str(&format!("{h:<12}"));
    }
    lines.push(Line::from(axis));
    let total: i64 = b.intake_today.iter().sum();
    let yest: i64 = b.intake_yesterday.iter().sum();
    lines.push(Line::from(vec![
        Span::styled(format!("█ {} {total}", Msg::WbToday.text(l)), today_style),
        Span::styled(
            format!("   █ {} {yest}", Msg::WbYesterday.text(l)),
            Style::default().add_modifier(Modifier::DIM),
        ),
    ]));
    Panel {
        title: Msg::WbIntake.text(l).into(),
        lines,
    }
}

fn last30(b: &Board, c: &Ctx<'_>) -> Panel {
    let vals: Vec<Option<f64>> = b.last30.iter().map(|n| Some(*n as f64)).collect();
    let max = b.last30.iter().max().copied().unwrap_or(0);
    let today = b.last30.last().copied().unwrap_or(0);
    Panel {
        title: Msg::WbLast30.text(c.lang).into(),
        lines: vec![Line::from(format!(
            "{}  {} {max} · {} {today}",
            sparkline(&vals),
            Msg::WbMax.text(c.lang),
            Msg::WbToday.text(c.lang)
        ))],
    }
}

fn categories(b: &Board, c: &Ctx<'_>) -> Panel {
    let l = c.lang;
    let total: i64 = b.by_category.iter().map(|x| x.n).sum();
    let max = b.by_category.first().map_or(0, |x| x.n);
    let mut cum = 0;
    // Names whole where the width allows; the bar takes what is left.
    let name = |x: &crate::domain::report::Count| -> String {
        for_display(match l {
            Lang::Zh => &x.zh,
            Lang::En => &x.en,
        })
        .into_owned()
    };
    let longest = b
        .by_category
        .iter()
        .take(6)
        .map(|x| width(&name(x)))
        .max()
        .unwrap_or(8);
    let name_w = longest.clamp(8, c.w.saturating_sub(6 + 6 + 8));
    let bar_w = c.w.saturating_sub(name_w + 6 + 6 + 1).clamp(4, 30);
    let lines = b
        .by_category
        .iter()
        .take(6)
        .map(|x| {
            cum += x.n;
            Line::from(format!(
                "{} {:>5} {} {:>3}%",
                pad_to_width(&name(x), name_w),
                x.n,
                pad_to_width(&crate::report::text::bar(x.n, max, bar_w), bar_w),
                if total > 0 { cum * 100 / total } else { 0 }
            ))
        })
        .collect();
    Panel {
        title: Msg::WbCategories.text(l).into(),
        lines,
    }
}

fn agents(b: &Board, c: &Ctx<'_>) -> Panel {
    let l = c.lang;
    let name_w = c.w.saturating_sub(10 + 6 + 5 + 5 + 4).clamp(6, 20);
    let mut lines = vec![Line::from(format!(
        "{} {} {} {} {}",
        pad_to_width(Msg::ColAssignee.text(l), name_w),
        pad_to_width(Msg::WbState.text(l), 10),
        pad_to_width(Msg::WbSince.text(l), 5),
        pad_to_width(Msg::WbOpen.text(l), 5),
        Msg::WbHandled.text(l)
    ))];
    for a in &b.agents {
        let since = a
            .since
            .filter(|_| a.state != crate::domain::presence::State::Offline)
            .map_or_else(String::new, |s| i18n::span(b.now - s, l));
        lines.push(Line::from(vec![
            raw(format!(
                "{} {} {} ",
                pad_to_width(&for_display(&a.name), name_w),
                pad_to_width(i18n::presence(a.state, l), 10),
                pad_to_width(&since, 5),
            )),
            c.num(Some(Jump::Agent(a.id)), a.open, 5, Style::default()),
            raw(format!(" {:>5}", a.handled_today)),
        ]));
    }
    Panel {
        title: Msg::WbAgents.text(l).into(),
        lines,
    }
}

/// Which page each panel goes on and where: panels flow down a column,
/// then into the next, then onto the next page. A panel taller than the
/// area is cut at whole lines with a count of what is left.
fn place(panels: &mut [Panel], area: Rect, cols: u16) -> Vec<(usize, Rect)> {
    let max_lines = area.height.saturating_sub(2) as usize;
    for p in panels.iter_mut() {
        if p.lines.len() > max_lines && max_lines > 1 {
            let left = p.lines.len() - (max_lines - 1);
            p.lines.truncate(max_lines - 1);
            p.lines.push(Line::from(format!("… +{left}")));
        }
    }
    let heights: Vec<u16> = panels
        .iter()
        .map(|p| (p.lines.len() as u16 + 2).min(area.height))
        .collect();
    // Balance the columns when everything fits on one page: the lowest
    // column height that still needs no more than `cols` columns.
    let total: u16 = heights.iter().sum();
    let tallest = heights.iter().copied().max().unwrap_or(0);
    let mut limit = tallest.max(total.div_ceil(cols.max(1)));
    while limit < area.height && columns_needed(&heights, limit) > cols {
        limit += 1;
    }
    let limit = limit.min(area.height);
    let col_w = area.width / cols.max(1);
    let (mut page, mut col, mut y) = (0usize, 0u16, 0u16);
    let mut out = Vec::new();
    for h in heights {
        if y + h > limit {
            col += 1;
            y = 0;
            if col >= cols {
                col = 0;
                page += 1;
            }
        }
        let x = area.x + col * col_w;
        let w = if col + 1 == cols {
            area.width - col * col_w
        } else {
            col_w
        };
        out.push((page, Rect::new(x, area.y + y, w, h)));
        y += h;
    }
    out
}

fn columns_needed(heights: &[u16], limit: u16) -> u16 {
    let (mut cols, mut y) = (1, 0);
    for h in heights {
        if y + h > limit {
            cols += 1;
            y = 0;
        }
        y += h;
    }
    cols
}

fn top_line(
    app: &App,
    b: &Board,
    wb: &WallboardState,
    (pages, page): (usize, usize),
    width_of_area: u16,
    theme: &Theme,
) -> Line<'static> {
    let l = app.lang;
    let mut spans = Vec::new();
    if let Some(Reminder::Due { month, overdue }) = b.reminder {
        let m = if overdue {
            Msg::WbReminderLate
        } else {
            Msg::WbReminder
        };
        spans.push(Span::styled(
            format!(" {} ", m.text(l).replace("{month}", &month.label())),
            if overdue { theme.alert() } else { theme.key() },
        ));
    }
    // What does not fit goes whole: first the focus label, then the page.
    let used: usize = spans.iter().map(|s| width(&s.content)).sum();
    let page_text = format!(" {} {}/{}", Msg::WbPage.text(l), page + 1, pages);
    let focus = format!(
        " · [{}]",
        super::wallboard::jump_label(wb.focused(), Some(b), l)
    );
    let room = usize::from(width_of_area);
    if used + width(&page_text) <= room {
        spans.push(Span::raw(page_text.clone()));
        if used + width(&page_text) + width(&focus) <= room {
            spans.push(Span::raw(focus));
        }
    }
    Line::from(spans)
}

pub fn render(f: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let l = app.lang;
    let Some(wb) = app.wallboard.as_ref() else {
        return;
    };
    let Some(b) = wb.board.as_ref() else {
        let text = wb
            .error
            .clone()
            .unwrap_or_else(|| Msg::WbLoading.text(l).into());
        f.render_widget(Paragraph::new(text), area);
        return;
    };
    if area.height < 4 {
        return;
    }
    let cols = (area.width / COLUMN).max(1);
    let body = Rect::new(area.x, area.y + 1, area.width, area.height - 1);
    let ctx = Ctx {
        lang: l,
        theme,
        focus: wb.focused(),
        w: (area.width / cols).saturating_sub(2) as usize,
    };
    let mut panels = vec![
        majors(b, &ctx),
        queue(b, &ctx),
        clocks(b, &ctx),
        callbacks(b, &ctx),
        month(b, &ctx),
        intake(b, &ctx),
        last30(b, &ctx),
        categories(b, &ctx),
        agents(b, &ctx),
    ];
    let spots = place(&mut panels, body, cols);
    let pages = spots.last().map_or(1, |s| s.0 + 1);
    wb.pages.set(pages);
    // Tab follows the focused number onto its page.
    let focus_panel = match wb.focused() {
        Jump::Unacknowledged => 0,
        Jump::Cell(..) => 1,
        Jump::Clock(..) => 2,
        Jump::CallbacksDue | Jump::CallbacksOverdue => 3,
        Jump::Agent(_) => 8,
    };
    let page = if wb.follow_focus.get() {
        spots.get(focus_panel).map_or(0, |s| s.0)
    } else {
        wb.page.min(pages - 1)
    };
    wb.shown_page.set(page);
    f.render_widget(
        Paragraph::new(top_line(app, b, wb, (pages, page), area.width, theme)),
        Rect::new(area.x, area.y, area.width, 1),
    );
    for (p, (pg, rect)) in panels.into_iter().zip(spots) {
        if pg != page {
            continue;
        }
        let block = Block::default()
            .borders(Borders::ALL)
            .title(Span::styled(format!(" {} ", p.title), theme.key()));
        f.render_widget(Paragraph::new(p.lines).block(block), rect);
    }
}
