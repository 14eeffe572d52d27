//! A small multi-line text editor for call notes and form fields: insert,
//! delete, move, paste; positions are in characters so Chinese input works,
//! and the cursor column is measured in terminal cells for drawing.
use unicode_width::UnicodeWidthChar;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextArea {
    lines: Vec<String>,
    row: usize,
    /// Cursor position in chars within `lines[row]`.
    col: usize,
    multiline: bool,
    max_chars: usize,
}

impl TextArea {
    pub fn new(multiline: bool, max_chars: usize) -> TextArea {
        TextArea {
            lines: vec![String::new()],
            row: 0,
            col: 0,
            multiline,
            max_chars,
        }
    }

    pub fn with_text(text: &str, multiline: bool, max_chars: usize) -> TextArea {
        let mut t = TextArea::new(multiline, max_chars);
        t.insert_str(text);
        t
    }

    pub fn text(&self) -> String {
        self.lines.join("\n")
    }

    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    pub fn is_empty(&self) -> bool {
        self.lines.len() == 1 && self.lines[0].is_empty()
    }

    fn len_chars(&self) -> usize {
        self.lines.iter().map(|l| l.chars().count()).sum::<usize>() + self.lines.len() - 1
    }

    fn byte_at(line: &str, col: usize) -> usize {
        line.char_indices().nth(col).map_or(line.len(), |(i, _)| i)
    }

    /// Inserts one character; control characters other than a line break
    /// are dropped (a note never carries escapes).
    pub fn insert(&mut self, c: char) -> bool {
        if self.len_chars() >= self.max_chars {
            return false;
        }
        match c {
            '\n' | '\r' if self.multiline => {
                let line = &mut self.lines[self.row];
                let at = Self::byte_at(line, self.col);
                let rest = line.split_off(at);
                self.lines.insert(self.row + 1, rest);
                self.row += 1;
                self.col = 0;
            }
            '\t' => return self.insert(' '),
            c if c.is_control() => return false,
            c => {
                let line = &mut self.lines[self.row];
                let at = Self::byte_at(line, self.col);
                line.insert(at, c);
                self.col += 1;
            }
        }
        true
    }

    pub fn insert_str(&mut self, s: &str) {
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\r' && chars.peek() == Some(&'\n') {
                continue;
            }
            let c = if !self.multiline && (c == '\n' || c == '\r') {
                ' '
            } else {
                c
            };
            if !self.insert(c) && self.len_chars() >= self.max_chars {
                break;
            }
        }
    }

    pub fn backspace(&mut self) {
        if self.col > 0 {
            let line = &mut self.lines[self.row];
            let at = Self::byte_at(line, self.col - 1);
            line.remove(at);
            self.col -= 1;
        } else if self.row > 0 {
            let line = self.lines.remove(self.row);
            self.row -= 1;
            self.col = self.lines[self.row].chars().count();
            self.lines[self.row].push_str(&line);
        }
    }

    pub fn delete(&mut self) {
        let n = self.lines[self.row].chars().count();
        if self.col < n {
            let line = &mut self.lines[self.row];
            let at = Self::byte_at(line, self.col);
            line.remove(at);
        } else if self.row + 1 < self.lines.len() {
            let next = self.lines.remove(self.row + 1);
            self.lines[self.row].push_str(&next);
        }
    }

    pub fn left(&mut self) {
        if self.col > 0 {
            self.col -= 1;
        } else if self.row > 0 {
            self.row -= 1;
            self.col = self.lines[self.row].chars().count();
        }
    }

    pub fn right(&mut self) {
        if self.col < self.lines[self.row].chars().count() {
            self.col += 1;
        } else if self.row + 1 < self.lines.len() {
            self.row += 1;
            self.col = 0;
        }
    }

    pub fn up(&mut self) {
        if self.row > 0 {
            self.row -= 1;
            self.col = self.col.min(self.lines[self.row].chars().count());
        }
    }

    pub fn down(&mut self) {
        if self.row + 1 < self.lines.len() {
            self.row += 1;
            self.col = self.col.min(self.lines[self.row].chars().count());
        }
    }

    pub fn home(&mut self) {
        self.col = 0;
    }

    pub fn end(&mut self) {
        self.col = self.lines[self.row].chars().count();
    }

    /// Cursor as (row, column in terminal cells).
    pub fn cursor(&self) -> (usize, usize) {
        let cells = self.lines[self.row]
            .chars()
            .take(self.col)
            .map(|c| c.width().unwrap_or(0))
            .sum();
        (self.row, cells)
    }

    /// The text wrapped to `width` terminal cells (a wide CJK character is
    /// never split across rows), with the cursor's visual (row, column).
    /// A cursor after a full row sits at the start of the next one.
    pub fn wrapped(&self, width: usize) -> (Vec<String>, (usize, usize)) {
        let width = width.max(2);
        let mut out: Vec<String> = Vec::new();
        let mut cursor = (0, 0);
        for (r, line) in self.lines.iter().enumerate() {
            let mut seg = String::new();
            let mut cells = 0;
            for (i, ch) in line.chars().enumerate() {
                let w = ch.width().unwrap_or(0);
                if cells + w > width {
                    out.push(std::mem::take(&mut seg));
                    cells = 0;
                }
                if r == self.row && i == self.col {
                    cursor = (out.len(), cells);
                }
                seg.push(ch);
                cells += w;
            }
            if r == self.row && self.col >= line.chars().count() {
                cursor = (out.len(), cells);
                if cells >= width {
                    out.push(std::mem::take(&mut seg));
                    cursor = (out.len(), 0);
                }
            }
            out.push(seg);
        }
        (out, cursor)
    }

    /// Applies an editing key; returns true if the text or cursor changed.
    pub fn key(&mut self, k: &ratatui::crossterm::event::KeyEvent) -> bool {
        use ratatui::crossterm::event::{KeyCode, KeyModifiers};
        let before = (self.text(), self.row, self.col);
        let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
        match k.code {
            // Shell habits: Ctrl-U clears to the start of the line, Ctrl-W
            // deletes the word before the cursor.
            KeyCode::Char('u') if ctrl => {
                while self.col > 0 {
                    self.backspace();
                }
            }
            KeyCode::Char('w') if ctrl => {
                let before: Vec<char> = self.lines[self.row].chars().take(self.col).collect();
                let spaces = before
                    .iter()
                    .rev()
                    .take_while(|c| c.is_whitespace())
                    .count();
                let word = before
                    .iter()
                    .rev()
                    .skip(spaces)
                    .take_while(|c| !c.is_whitespace())
                    .count();
                for _ in 0..spaces + word {
                    self.backspace();
                }
            }
            KeyCode::Char(c)
                if !k
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
            {
                self.insert(c);
            }
            KeyCode::Enter => {
                self.insert('\n');
            }
            KeyCode::Backspace => self.backspace(),
            KeyCode::Delete => self.delete(),
            KeyCode::Left => self.left(),
            KeyCode::Right => self.right(),
            KeyCode::Up => self.up(),
            KeyCode::Down => self.down(),
            KeyCode::Home => self.home(),
            KeyCode::End => self.end(),
            _ => return false,
        }
        before != (self.text(), self.row, self.col)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_input_and_cursor_width() {
        let mut t = TextArea::new(true, 100);
        t.insert_str("客户说");
        assert_eq!(t.cursor(), (0, 6));
        t.left();
        t.insert('不');
        assert_eq!(t.text(), "客户不说");
        t.backspace();
        t.backspace();
        assert_eq!(t.text(), "客说");
    }

    #[test]
    fn wrapping_is_cjk_aware_and_keeps_the_cursor_visible() {
        let t = TextArea::with_text("客户说断网三天了", true, 100);
        // 16 cells in rows of 5: a wide character never straddles a row.
        let (rows, cur) = t.wrapped(5);
        assert_eq!(rows, vec!["客户", "说断", "网三", "天了"]);
        assert_eq!(cur, (3, 4));
        let t = TextArea::with_text("abcd", true, 100);
        let (rows, cur) = t.wrapped(4);
        assert_eq!(rows, vec!["abcd", ""], "the cursor gets the next row");
        assert_eq!(cur, (1, 0));
        let mut t = TextArea::with_text("abcdefgh\nxy", true, 100);
        t.up();
        t.home();
        t.right();
        t.right();
        t.right();
        t.right();
        t.right();
        assert_eq!(
            t.wrapped(4),
            (vec!["abcd".into(), "efgh".into(), "xy".into()], (1, 1))
        );
    }

    #[test]
    fn ctrl_u_and_ctrl_w_edit_like_a_shell() {
        use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
        let ctrl = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL);
        let mut t = TextArea::with_text("zs 5678  ", false, 100);
        assert!(t.key(&ctrl('w')));
        assert_eq!(t.text(), "zs ");
        assert!(t.key(&ctrl('u')));
        assert_eq!(t.text(), "");
    }

    #[test]
    fn lines_paste_and_limits() {
        let mut t = TextArea::new(true, 12);
        t.insert_str("ab\r\ncd\x1b[2J");
        assert_eq!(t.text(), "ab\ncd[2J", "escape dropped, CRLF folded");
        t.insert_str("0123456789");
        assert_eq!(t.text().chars().count(), 12, "stops at the limit");
        let mut one = TextArea::new(false, 50);
        one.insert_str("a\nb");
        assert_eq!(one.text(), "a b");
        let mut t = TextArea::with_text("ab\ncd", true, 50);
        t.up();
        t.home();
        t.backspace();
        assert_eq!(t.text(), "ab\ncd");
        t.end();
        t.delete();
        assert_eq!(t.text(), "abcd");
    }
}
