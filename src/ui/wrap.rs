//! Word wrapping by display width for mixed Chinese and Latin text: a run
//! of Latin letters, digits and punctuation (a word, a complaint number,
//! a phone) is never split unless it is wider than the line; Chinese text
//! breaks between any two characters. Styles are kept per piece.
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthChar;

/// The pieces a line may break between.
fn tokens(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if c.is_ascii() && !c.is_ascii_whitespace() {
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
        out.push(c.to_string());
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

fn cells(s: &str) -> usize {
    s.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// Wraps styled spans to `width` cells.
pub fn wrap_spans(spans: &[Span<'_>], width: usize) -> Vec<Line<'static>> {
    let width = width.max(1);
    let mut lines: Vec<Vec<Span<'static>>> = vec![Vec::new()];
    let mut used = 0;
    let push = |lines: &mut Vec<Vec<Span<'static>>>, t: String, style: Style| {
        if let Some(l) = lines.last_mut() {
            l.push(Span::styled(t, style));
        }
    };
    for sp in spans {
        for tok in tokens(&sp.content) {
            let w = cells(&tok);
            if used + w > width && used > 0 {
                lines.push(Vec::new());
                used = 0;
                if tok == " " {
                    continue;
                }
            }
            if w > width {
                // Wider than a whole line: break it by character.
                for c in tok.chars() {
                    let cw = c.width().unwrap_or(0);
                    if used + cw > width && used > 0 {
                        lines.push(Vec::new());
                        used = 0;
                    }
                    push(&mut lines, c.to_string(), sp.style);
                    used += cw;
                }
                continue;
            }
            push(&mut lines, tok, sp.style);
            used += w;
        }
    }
    lines.into_iter().map(Line::from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(lines: &[Line<'_>]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.to_string().trim_end().to_string())
            .collect()
    }

    #[test]
    fn a_number_is_never_split_and_chinese_breaks_anywhere() {
        let spans = [
            Span::raw("您的投诉编号是"),
            Span::raw("C20261202-0017"),
            Span::raw("，请记录。"),
        ];
        let out = text(&wrap_spans(&spans, 20));
        assert_eq!(out, vec!["您的投诉编号是", "C20261202-0017，请记", "录。"]);
        for l in &out {
            assert!(cells(l) <= 20, "{l}");
        }
        let out = text(&wrap_spans(&[Span::raw("say what happens and when")], 10));
        assert_eq!(out, vec!["say what", "happens", "and when"]);
    }
}
