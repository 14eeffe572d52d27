//! The `?` overlay: the keys of the screen behind it, then the global
//! ones. It scrolls and closes and swallows every other key.
use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::{Handled, Input, Screen};
use crate::i18n::{self, Msg};
use crate::keymap::{Action, Context};
use crate::text::pad_to_width;
use crate::ui::app::{App, Overlay};
use crate::ui::theme::Theme;

/// The help overlay.
pub struct HelpOverlay;

impl Screen for HelpOverlay {
    fn context(&self, _: &App) -> Context {
        Context::Help
    }

    /// Every key is the overlay's (nothing moves behind it) but quitting
    /// and switching the language, which go on to the global actions.
    fn handle(&self, app: &mut App, input: Input<'_>) -> Handled {
        match input {
            Input::Key(k) => match app.keymap.action(Context::Help, k) {
                Some(Action::Quit | Action::ToggleLanguage) => Handled::NotMine,
                Some(a) => {
                    HelpOverlay::action(app, a);
                    Handled::done()
                }
                None => Handled::done(),
            },
            Input::Action(a) => {
                if HelpOverlay::action(app, a) {
                    Handled::done()
                } else {
                    Handled::NotMine
                }
            }
        }
    }

    fn render(&self, f: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
        draw(f, area, app, theme);
    }
}

impl HelpOverlay {
    /// Scrolls or closes; false: not one of the overlay's actions.
    fn action(app: &mut App, a: Action) -> bool {
        let step: i32 = match a {
            Action::Up | Action::ScrollUp => -1,
            Action::Down | Action::ScrollDown => 1,
            Action::PageUp => -10,
            Action::PageDown => 10,
            Action::Top => -10_000,
            Action::Bottom => 10_000,
            Action::Back | Action::Help => {
                app.overlay = Overlay::None;
                app.dirty = true;
                return true;
            }
            _ => return false,
        };
        let max = rows(app).saturating_sub(1) as i32;
        app.help_scroll = (i32::from(app.help_scroll) + step).clamp(0, max.max(0)) as u16;
        app.dirty = true;
        true
    }
}

const HELP_KEYS: usize = 14;

/// The screen's own keys first, then the global ones (R: help shows what
/// works where the agent is).
fn help_context(app: &App) -> (Context, Msg) {
    super::of(app.view).help()
}

fn help_entries<'a>(app: &'a App, theme: &Theme, desc_w: usize) -> Vec<Line<'a>> {
    let l = app.lang;
    let (ctx, title) = help_context(app);
    // One row per action with all its keys, in keymap-file order.
    let mut entries: Vec<Line<'_>> = Vec::new();
    for (heading, c) in [(title, ctx), (Msg::HelpGlobal, Context::Global)] {
        entries.push(Line::styled(heading.text(l), theme.column_header()));
        for (keys, b) in app.keymap.grouped_bindings(c) {
            let keys: Vec<String> = keys.iter().map(crate::keymap::format_key).collect();
            let desc = if l == i18n::Lang::Zh { &b.zh } else { &b.en };
            entries.push(Line::from(vec![
                Span::styled(pad_to_width(&keys.join(" "), HELP_KEYS), theme.key()),
                Span::raw(pad_to_width(&crate::text::for_display(desc), desc_w)),
            ]));
        }
    }
    entries
}

/// How many lines the help overlay has (for scrolling).
fn rows(app: &App) -> usize {
    help_entries(app, &Theme { color: false }, 0).len()
}

fn draw(f: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let l = app.lang;
    let box_area = crate::ui::render::centered(area, 78, area.height.saturating_sub(2));
    // Two columns (so a whole context fits on 80x24): keys, then the
    // description in the rest of the column.
    let desc_w = usize::from(box_area.width.saturating_sub(2) / 2).saturating_sub(HELP_KEYS + 1);
    let mut entries = help_entries(app, theme, desc_w);
    crate::ui::render::clear_for_overlay(f, box_area);
    let block = Block::default().borders(Borders::ALL).title(format!(
        " {} — {} ",
        Msg::Help.text(l),
        Msg::HelpClose.text(l)
    ));
    let inner = block.inner(box_area);
    f.render_widget(block, box_area);
    // Two columns read top to bottom; j/k scroll when they do not fit.
    let per_col = inner.height as usize;
    let max_skip = entries.len().saturating_sub(per_col * 2);
    let skip = usize::from(app.help_scroll).min(max_skip);
    entries.drain(..skip);
    let cols = Layout::default()
        .direction(Direction::Horizontal)
        .constraints([Constraint::Percentage(50), Constraint::Percentage(50)])
        .split(inner);
    let right: Vec<Line<'_>> = entries.split_off(per_col.min(entries.len()));
    f.render_widget(Paragraph::new(entries), cols[0]);
    f.render_widget(Paragraph::new(right), cols[1]);
}
