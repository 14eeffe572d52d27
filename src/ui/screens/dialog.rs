//! The small boxes over a screen: pick an agent (reassign), a yes/no
//! question, go to a complaint number, the R4 reason for a major.
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::{Handled, Input, QueueScreen, Screen};
use crate::domain::model::Severity;
use crate::domain::queue::ItemKind;
use crate::domain::severity::MAJOR_REASONS;
use crate::i18n::{self, Msg};
use crate::keymap::{Action, Context};
use crate::text::pad_to_width;
use crate::ui::app::{App, Effect, Overlay};
use crate::ui::theme::Theme;

/// The dialog overlays (the boxes of `app::Overlay` other than help).
pub struct Dialog;

impl Screen for Dialog {
    fn context(&self, _: &App) -> Context {
        Context::Form
    }

    fn handle(&self, app: &mut App, input: Input<'_>) -> Handled {
        match input {
            Input::Key(k) => Handled::from_option(Dialog::key(app, k)),
            Input::Action(a) => Handled::from_option(Dialog::pick_agent(app, a)),
        }
    }

    fn render(&self, f: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
        draw(f, area, app, theme);
    }
}

impl Dialog {
    /// Keys while a small overlay is open. Each overlay swallows every key
    /// it does not use, so nothing acts on the screen behind it. None:
    /// the overlay is not one of these.
    pub(crate) fn key(app: &mut App, k: &KeyEvent) -> Option<Vec<Effect>> {
        let ctrl_c = k.modifiers.contains(KeyModifiers::CONTROL) && k.code == KeyCode::Char('c');
        if ctrl_c {
            return None;
        }
        app.dirty = true;
        match &mut app.overlay {
            Overlay::Confirm { effect, .. } => match k.code {
                KeyCode::Char('y') | KeyCode::Char('Y') | KeyCode::Enter => {
                    let fx = (**effect).clone();
                    app.overlay = Overlay::None;
                    Some(vec![fx])
                }
                KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc => {
                    app.overlay = Overlay::None;
                    app.say(Msg::Cancelled.text(app.lang), false);
                    Some(vec![])
                }
                _ => Some(vec![]),
            },
            Overlay::GoTo { input } => match k.code {
                KeyCode::Esc => {
                    app.overlay = Overlay::None;
                    Some(vec![])
                }
                KeyCode::Enter => {
                    let q = input.text();
                    Some(Dialog::go_to(app, q.trim()))
                }
                _ => {
                    input.key(k);
                    Some(vec![])
                }
            },
            Overlay::PickReason { id, number, idx } => {
                let n = MAJOR_REASONS.len();
                match k.code {
                    KeyCode::Esc => {
                        app.overlay = Overlay::None;
                        app.say(Msg::Cancelled.text(app.lang), false);
                        Some(vec![])
                    }
                    KeyCode::Up | KeyCode::Char('k') => {
                        *idx = idx.saturating_sub(1);
                        Some(vec![])
                    }
                    KeyCode::Down | KeyCode::Char('j') => {
                        *idx = (*idx + 1).min(n - 1);
                        Some(vec![])
                    }
                    KeyCode::Enter | KeyCode::Char('1'..='9') => {
                        let pick = match k.code {
                            KeyCode::Char(c) => c.to_digit(10).map(|d| d as usize - 1),
                            _ => Some(*idx),
                        };
                        let Some(reason) = pick.and_then(|p| MAJOR_REASONS.get(p)) else {
                            return Some(vec![]);
                        };
                        let (id, number) = (*id, number.clone());
                        app.overlay = Overlay::None;
                        QueueScreen::pin(app, ItemKind::Complaint, id);
                        Some(vec![Effect::SetSeverity {
                            id,
                            to: Severity::Major,
                            number,
                            reason: Some((*reason).to_string()),
                        }])
                    }
                    _ => Some(vec![]),
                }
            }
            _ => None,
        }
    }

    /// Selects the open complaint whose number is `q` or ends with it
    /// (`17`, `0017`, `1123-0017`), showing every item if the filter hid
    /// it.
    pub(crate) fn go_to(app: &mut App, q: &str) -> Vec<Effect> {
        let q = q.to_uppercase();
        if q.is_empty() {
            return vec![];
        }
        let digits = q.trim_start_matches('C').trim_start_matches('-');
        let matches: Vec<&crate::domain::queue::Item> = app
            .items
            .iter()
            .filter(|i| i.kind == ItemKind::Complaint)
            .filter(|i| {
                i.number == q
                    || i.number.ends_with(&q)
                    || (!digits.is_empty() && i.number.ends_with(&format!("-{digits:0>4}")))
            })
            .collect();
        let exact: Vec<&crate::domain::queue::Item> =
            matches.iter().copied().filter(|i| i.number == q).collect();
        let target = match (exact.as_slice(), matches.as_slice()) {
            ([one], _) | ([], [one]) => (one.kind, one.id),
            ([], []) => {
                let text = format!("{}{q}", Msg::GoToNone.text(app.lang));
                app.say(text, true);
                return vec![];
            }
            _ => {
                let list: Vec<&str> = matches.iter().take(4).map(|i| i.number.as_str()).collect();
                let text = format!("{}{}", Msg::GoToMany.text(app.lang), list.join(" "));
                app.say(text, true);
                return vec![];
            }
        };
        app.overlay = Overlay::None;
        QueueScreen::select(app, target);
        app.view = crate::ui::app::View::Queue;
        QueueScreen::detail_effect(app).into_iter().collect()
    }

    /// Keys in the reassign picker: move, choose; `None`: not the
    /// picker's (or the picker is not open).
    pub(crate) fn pick_agent(app: &mut App, a: Action) -> Option<Vec<Effect>> {
        let Overlay::PickAgent {
            agents,
            idx,
            complaint,
            number,
        } = &mut app.overlay
        else {
            return None;
        };
        let delta: i64 = match a {
            Action::Up | Action::ScrollUp => -1,
            Action::Down | Action::ScrollDown => 1,
            Action::PageUp => -10,
            Action::PageDown => 10,
            Action::Top => -1_000_000,
            Action::Bottom => 1_000_000,
            Action::Confirm | Action::Open => {
                let to = agents.get(*idx).map(|ag| ag.id);
                let (complaint, number) = (*complaint, number.clone());
                app.overlay = Overlay::None;
                let Some(to) = to else {
                    return Some(vec![]);
                };
                QueueScreen::pin(app, ItemKind::Complaint, complaint);
                return Some(vec![Effect::Reassign {
                    complaint,
                    to,
                    number,
                }]);
            }
            Action::NextPane | Action::PrevPane => return Some(vec![]),
            _ => return None,
        };
        let n = agents.len() as i64;
        *idx = (*idx as i64 + delta).clamp(0, (n - 1).max(0)) as usize;
        app.dirty = true;
        Some(vec![])
    }
}

/// The dialog boxes (see `screens::Dialog`).
fn draw(f: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let theme = *theme;
    match &app.overlay {
        Overlay::PickAgent {
            agents,
            idx,
            number,
            ..
        } => pick_agent(f, area, app, agents, *idx, number, &theme),
        Overlay::Confirm { text, .. } => small_box(f, area, "?", vec![Line::raw(text.clone())]),
        Overlay::GoTo { input } => {
            let line = Line::from(vec![
                Span::raw("# "),
                Span::styled(format!("{}_", input.text()), theme.key()),
            ]);
            small_box(f, area, Msg::GoToTitle.text(app.lang), vec![line]);
        }
        Overlay::PickReason { number, idx, .. } => {
            let lines = crate::domain::severity::MAJOR_REASONS
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let style = if i == *idx {
                        theme.selected()
                    } else {
                        ratatui::style::Style::default()
                    };
                    Line::styled(
                        pad_to_width(
                            &format!("{} {}", i + 1, i18n::major_reason(r, app.lang)),
                            66,
                        ),
                        style,
                    )
                })
                .collect();
            let title = format!("{number} · {}", Msg::PickReason.text(app.lang));
            small_box(f, area, &title, lines);
        }
        Overlay::None | Overlay::Help => {}
    }
}

fn pick_agent(
    f: &mut Frame<'_>,
    area: Rect,
    app: &App,
    agents: &[crate::store::agents::Agent],
    idx: usize,
    number: &str,
    theme: &Theme,
) {
    let h = (agents.len() as u16 + 2).min(area.height.saturating_sub(4));
    let box_area = crate::ui::render::centered(area, 70, h);
    crate::ui::render::clear_for_overlay(f, box_area);
    let inner_h = h.saturating_sub(2) as usize;
    let first = idx.saturating_sub(inner_h.saturating_sub(1));
    let lines: Vec<Line<'_>> = agents
        .iter()
        .enumerate()
        .skip(first)
        .take(inner_h)
        .map(|(i, a)| {
            let text = format!(
                "{} ({}, {})",
                crate::text::for_display(&a.name),
                crate::text::for_display(&a.login),
                i18n::role(a.role, app.lang)
            );
            let style = if i == idx {
                theme.selected()
            } else {
                ratatui::style::Style::default()
            };
            Line::styled(pad_to_width(&text, 48), style)
        })
        .collect();
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {number} · {} ", Msg::PickAgent.text(app.lang)));
    f.render_widget(Paragraph::new(lines).block(block), box_area);
}

/// A framed box in the middle of the screen; its text wraps, so a long
/// question is read whole at 80 columns.
fn small_box(f: &mut Frame<'_>, area: Rect, title: &str, lines: Vec<Line<'_>>) {
    let w = area.width.saturating_sub(4).min(76);
    let inner_w = usize::from(w.saturating_sub(2)).max(1);
    let rows: usize = lines
        .iter()
        .map(|l| (l.width().max(1)).div_ceil(inner_w))
        .sum();
    let box_area = crate::ui::render::centered(area, w, rows as u16 + 2);
    crate::ui::render::clear_for_overlay(f, box_area);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", crate::text::for_display(title)));
    f.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        box_area,
    );
}
