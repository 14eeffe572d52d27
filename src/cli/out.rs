//! Every line the command line prints goes through here: each line is
//! cleaned by `text::for_display` (the TUI's cleaning), so no escape
//! sequence stored in the database or typed in an argument reaches the
//! terminal, and a closed stdout (`hotline check | head -1`) is an
//! `io::ErrorKind::BrokenPipe` error that ends the command quietly
//! (see [`crate::cli::main`]) instead of a panic.
use std::io::{self, Write};

pub struct Out {
    w: Box<dyn Write>,
    /// stderr is best effort: a closed stderr must not stop the work.
    best_effort: bool,
}

impl Out {
    pub fn stdout() -> Out {
        Out {
            w: Box::new(io::BufWriter::new(io::stdout())),
            best_effort: false,
        }
    }

    pub fn stderr() -> Out {
        Out {
            w: Box::new(io::stderr()),
            best_effort: true,
        }
    }

    /// Writes `s` and a line break; every line of `s` is cleaned.
    pub fn line(&mut self, s: &str) -> io::Result<()> {
        let r = write_clean(&mut self.w, s);
        self.result(r)
    }

    /// Writes multi-line text as it is (no line break added); every line
    /// of it is cleaned.
    pub fn text(&mut self, s: &str) -> io::Result<()> {
        let r = match s.strip_suffix('\n') {
            Some(body) => write_clean(&mut self.w, body),
            None if s.is_empty() => Ok(()),
            None => write_clean(&mut self.w, s),
        };
        self.result(r)
    }

    /// Makes what was written visible now (an acknowledgement after a commit).
    pub fn flush(&mut self) -> io::Result<()> {
        let r = self.w.flush();
        self.result(r)
    }

    fn result(&self, r: io::Result<()>) -> io::Result<()> {
        match r {
            Err(_) if self.best_effort => Ok(()),
            r => r,
        }
    }
}

impl Drop for Out {
    fn drop(&mut self) {
        let _ = self.w.flush();
    }
}

fn write_clean(w: &mut dyn Write, s: &str) -> io::Result<()> {
    for (i, l) in crate::text::display_lines(s).enumerate() {
        if i > 0 {
            w.write_all(b"\n")?;
        }
        w.write_all(l.as_bytes())?;
    }
    w.write_all(b"\n")
}

/// One cleaned line on stderr, best effort.
pub fn warn(s: &str) {
    let _ = Out::stderr().line(s);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_is_cleaned_and_the_breaks_kept() {
        let mut v = Vec::new();
        write_clean(&mut v, "a\u{1b}]52;c;eA==\u{7}b\nc\u{9b}2Jd").unwrap();
        assert_eq!(String::from_utf8(v).unwrap(), "a]52;c;eA==b\nc2Jd\n");
    }
}
