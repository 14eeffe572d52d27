//! Rendering an `App` on ratatui's `TestBackend` for snapshot tests.
use hotline::ui::app::App;
use hotline::ui::render;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use unicode_width::UnicodeWidthStr;

/// Renders `app` at `w`x`h`; returns the buffer and the screen as a
/// terminal shows it (one line per row, a wide character's hidden second
/// cell left out). Checks that every row is exactly `w` cells wide and
/// that nothing overwrites the second half of a wide character.
pub fn render_app(app: &App, w: u16, h: u16) -> (Buffer, String) {
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    term.draw(|f| render::render(f, app)).expect("draw");
    let buf = term.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..h {
        let mut row = String::new();
        let mut skip = 0usize;
        for x in 0..w {
            let sym = buf[(x, y)].symbol();
            if skip > 0 {
                assert_eq!(
                    sym, " ",
                    "row {y} col {x}: overwrites half a wide character"
                );
                skip -= 1;
                continue;
            }
            assert!(
                !sym.contains('\u{1b}'),
                "an escape reached the screen at {x},{y}"
            );
            row.push_str(sym);
            skip = UnicodeWidthStr::width(sym).saturating_sub(1);
        }
        assert_eq!(
            UnicodeWidthStr::width(row.as_str()),
            usize::from(w),
            "row {y} is not {w} cells wide: {row:?}"
        );
        out.push_str(row.trim_end());
        out.push('\n');
    }
    (buf, out)
}
