//! The monthly report (R28) inside the TUI: the same lines `hotline report
//! --format text` prints, scrolled; Tab / BackTab change the month.
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};

use super::app::App;
use super::theme::Theme;
use crate::i18n::Msg;

pub fn render(f: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let l = app.lang;
    let Some(st) = app.report.as_ref() else {
        return;
    };
    let title = format!(" {} {} ", Msg::RvTitle.text(l), st.month.label());
    let block = Block::default()
        .borders(Borders::ALL)
        .title(ratatui::text::Span::styled(title, theme.key()));
    let lines: Vec<Line<'static>> = match (&st.report, &st.error) {
        (Some(r), _) => crate::report::text::lines(r, l)
            .into_iter()
            .map(Line::from)
            .collect(),
        (None, Some(e)) => vec![Line::from(e.clone())],
        (None, None) => vec![Line::from(Msg::WbLoading.text(l))],
    };
    let inner_h = area.height.saturating_sub(2) as usize;
    let scroll = st.scroll.min(lines.len().saturating_sub(inner_h));
    f.render_widget(
        Paragraph::new(lines)
            .block(block)
            .scroll((scroll as u16, 0)),
        area,
    );
}
