//! Pure render functions: `App` in, a frame out. Called only when the app
//! is dirty.
use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::app::{App, View};
use super::screens;
use super::theme::Theme;
use super::{detail_view, queue_view};
use crate::domain::sla::Badge;
use crate::i18n::{self, Msg};
use crate::keymap::{Action, Context};
use crate::text::{pad_to_width, width};

pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

pub fn render(f: &mut Frame<'_>, app: &App) {
    let area = f.area();
    let theme = Theme { color: app.color };
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let msg = Paragraph::new(Msg::Enlarge.text(app.lang)).wrap(Wrap { trim: true });
        f.render_widget(msg, area);
        return;
    }
    // R12: the alert is for those who can acknowledge.
    let alert = crate::domain::access::allows(
        app.me.role,
        crate::domain::access::Permission::AcknowledgeMajor,
    ) && app.unacknowledged_majors() > 0;
    let rows = Layout::default()
        .direction(Direction::Vertical)
        .constraints([
            Constraint::Length(1),
            Constraint::Length(u16::from(alert)),
            Constraint::Min(5),
            Constraint::Length(1),
        ])
        .split(area);
    header(f, rows[0], app, &theme);
    if alert {
        let text = format!(
            " !! {} {} — {}",
            app.unacknowledged_majors(),
            Msg::MajorAlert.text(app.lang),
            Msg::MajorAlertHint.text(app.lang)
        );
        f.render_widget(Paragraph::new(text).style(theme.alert()), rows[1]);
    }
    body(f, rows[2], app, &theme);
    status_bar(f, rows[3], app, &theme);
    draw_overlay(f, area, app, &theme);
    guard_right_edge(f);
}

/// A wide (CJK) character in the screen's last column does not fit: the
/// terminal would wrap it to the next row's first column, over the badge
/// drawn there. Such a cell is blanked; the text that owns it wraps
/// earlier (detail, note, form) so nothing is lost.
fn guard_right_edge(f: &mut Frame<'_>) {
    let area = f.area();
    if area.width == 0 {
        return;
    }
    let x = area.right() - 1;
    let buf = f.buffer_mut();
    for y in area.top()..area.bottom() {
        let cell = &mut buf[(x, y)];
        if width(cell.symbol()) > 1 {
            cell.set_symbol(" ");
        }
    }
}

fn draw_overlay(f: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    if let Some(o) = screens::overlay(&app.overlay) {
        o.render(f, area, app, theme);
    }
}

fn header(f: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let l = app.lang;
    let counts = format!(
        "[{}] {} {} · {} {} · {} {}",
        app.filter.msg().text(l),
        app.view_rows.len(),
        Msg::Items.text(l),
        Msg::Breached.text(l),
        app.count_badge(Badge::Breached),
        Msg::AtRisk.text(l),
        app.count_badge(Badge::AtRisk),
    );
    let full = format!(
        " {} · {} {counts}",
        Msg::AppTitle.text(l),
        Msg::Queue.text(l)
    );
    let compact = format!(" {} {counts}", Msg::AppTitle.text(l));
    let name = crate::text::for_display(&app.me.name);
    let clock = super::format::clock_hhmm(app.now, app.tz);
    let with_role = format!("{name} ({}) {clock} ", i18n::role(app.me.role, l));
    let with_name = format!("{name} {clock} ");
    let w = area.width as usize;
    // Every count and the agent's name stay: the role gives way first,
    // then the word "queue"; only on a very narrow screen the name.
    // A very long name is shortened before the word "queue" goes.
    let room = w.saturating_sub(width(&full) + 1 + width(&clock) + 2);
    let short_name = format!(
        "{} {clock} ",
        crate::text::truncate_to_width(&name, room.max(1))
    );
    let mut tries = vec![(&full, &with_role), (&full, &with_name)];
    if room >= 8 {
        tries.push((&full, &short_name));
    }
    tries.extend([(&compact, &with_role), (&compact, &with_name)]);
    let (left, right) = tries
        .into_iter()
        .find(|(a, b)| width(a) + 1 + width(b) <= w)
        .map_or((compact.clone(), format!("{clock} ")), |(a, b)| {
            (a.clone(), b.clone())
        });
    let right_w = width(&right).min(w / 2);
    let line = format!(
        "{}{}",
        pad_to_width(&left, w - right_w),
        pad_to_width(&right, right_w)
    );
    f.render_widget(Paragraph::new(line).style(theme.header()), area);
}

fn body(f: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    screens::of(app.view).render(f, area, app, theme);
}

/// The queue screen: the list, with the selected item's detail beside it
/// (120 columns and more) or below it.
pub(crate) fn queue_and_detail(f: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    if area.width >= 120 {
        // The queue never gets narrower than on an 80-column terminal, so a
        // wider screen never cuts a name or a masked phone that 80 columns
        // show whole.
        let queue_w = (u32::from(area.width) * 62 / 100).max(u32::from(MIN_WIDTH)) as u16;
        let cols = Layout::default()
            .direction(Direction::Horizontal)
            .constraints([Constraint::Length(queue_w), Constraint::Min(0)])
            .split(area);
        queue_view::render(f, cols[0], app, theme);
        detail_view::render(f, cols[1], app, theme);
    } else {
        let detail_h = (area.height / 2).clamp(7, 12);
        let parts = Layout::default()
            .direction(Direction::Vertical)
            .constraints([Constraint::Min(5), Constraint::Length(detail_h)])
            .split(area);
        queue_view::render(f, parts[0], app, theme);
        detail_view::render(f, parts[1], app, theme);
    }
}

fn status_bar(f: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    if let Some(flash) = &app.flash {
        let style = if flash.error {
            theme.error()
        } else {
            theme.key()
        };
        let text = crate::text::for_display(&flash.text).into_owned();
        f.render_widget(Paragraph::new(format!(" {text}")).style(style), area);
        return;
    }
    let ctx = app.context();
    let supervisor =
        crate::domain::access::allows(app.me.role, crate::domain::access::Permission::Reassign);
    let hints: &[(Action, Msg)] = match ctx {
        Context::Queue if supervisor && app.unacknowledged_majors() > 0 => &[
            (Action::Claim, Msg::HintClaim),
            (Action::Acknowledge, Msg::HintAck),
            (Action::Open, Msg::HintOpen),
            (Action::FilterMine, Msg::HintFilters),
            (Action::Help, Msg::HintHelp),
            (Action::Quit, Msg::HintQuit),
        ],
        Context::Queue => &[
            (Action::Claim, Msg::HintClaim),
            (Action::StartWork, Msg::HintStart),
            (Action::RaiseSeverity, Msg::HintRaise),
            (Action::Open, Msg::HintOpen),
            (Action::FilterMine, Msg::HintFilters),
            (Action::Help, Msg::HintHelp),
            (Action::Quit, Msg::HintQuit),
        ],
        Context::Detail => &[
            (Action::Back, Msg::HintBack),
            (Action::ScrollDown, Msg::HintScroll),
            (Action::Claim, Msg::HintClaim),
            (Action::Help, Msg::HintHelp),
            (Action::Quit, Msg::HintQuit),
        ],
        Context::Search => &[
            (Action::Open, Msg::HintSearchOpen),
            (Action::Down, Msg::HintScroll),
            (Action::Back, Msg::HintBack),
        ],
        Context::Customer => &[
            (Action::Down, Msg::HintScroll),
            (Action::Open, Msg::HintOpen),
            (Action::NewComplaint, Msg::HintNew),
            (Action::StartCall, Msg::HintCall),
            (Action::Back, Msg::HintBack),
            (Action::Help, Msg::HintHelp),
        ],
        Context::Report => {
            let text = Msg::RvHint.text(app.lang);
            f.render_widget(Paragraph::new(format!(" {text}")).style(theme.key()), area);
            return;
        }
        Context::Call | Context::Form if app.view != View::Queue => {
            let m = if app.view == View::Form {
                Msg::FormHint
            } else {
                Msg::CallHint
            };
            let text = m.text(app.lang);
            f.render_widget(Paragraph::new(format!(" {text}")).style(theme.key()), area);
            return;
        }
        Context::Wallboard => &[
            (Action::NextPane, Msg::WbPick),
            (Action::Open, Msg::HintOpen),
            (Action::Acknowledge, Msg::HintAck),
            (Action::OpenReport, Msg::RvTitle),
            (Action::PageDown, Msg::WbPage),
            (Action::Back, Msg::HintBack),
        ],
        _ => &[
            (Action::Back, Msg::HintBack),
            (Action::Confirm, Msg::HintConfirm),
        ],
    };
    let mut spans = vec![Span::raw(" ")];
    for (a, label) in hints {
        if let Some(mut key) = app.keymap.hint(ctx, *a) {
            if *a == Action::FilterMine {
                key.push_str("-5"); // the five filters sit on 1..5
            }
            spans.push(Span::styled(key, theme.key()));
            spans.push(Span::raw(format!(" {}  ", label.text(app.lang))));
        }
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

pub(crate) fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// Clears `area` for an overlay. A wide (CJK) character just left of the
/// area would cover the overlay's left border: the terminal diff skips the
/// cell it hides, so the border would never be drawn. Such a character is
/// blanked first.
pub(crate) fn clear_for_overlay(f: &mut Frame<'_>, area: Rect) {
    f.render_widget(Clear, area);
    if area.x == 0 {
        return;
    }
    let buf = f.buffer_mut();
    for y in area.top()..area.bottom() {
        let cell = &mut buf[(area.x - 1, y)];
        if width(cell.symbol()) > 1 {
            cell.set_symbol(" ");
        }
    }
}
