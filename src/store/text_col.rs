//! Text read from the database, lossily. SQLite stores whatever bytes a
//! writer gave a TEXT column (another program, `CAST(X'..' AS TEXT)`), and
//! rusqlite refuses a `String` that is not UTF-8, which failed whole screens
//! and every search for one bad byte. Every row reader takes text through
//! [`text_col`]: invalid sequences become U+FFFD, the row is noted (see
//! [`take_notes`]), and the rest of the screen is read as usual.
use std::sync::Mutex;

use rusqlite::Row;
use rusqlite::types::ValueRef;

/// At most this many notes are kept per process; the count goes on.
const MAX_NOTES: usize = 50;

static NOTES: Mutex<(Vec<String>, usize)> = Mutex::new((Vec::new(), 0));

fn note(r: &Row<'_>, i: usize) {
    let col = r.as_ref().column_name(i).unwrap_or("?").to_string();
    // The first column of our readers is the row id where there is one.
    let id = match r.get_ref(0) {
        Ok(ValueRef::Integer(n)) if i != 0 => format!(" (row {n})"),
        _ => String::new(),
    };
    if let Ok(mut n) = NOTES.lock() {
        n.1 += 1;
        let line = format!("column {col}{id}: not UTF-8, shown with U+FFFD");
        // Logged once per column and row: a TUI reads the same bad row on
        // every reload, and the log must name it, not repeat it.
        if n.0.len() < MAX_NOTES && !n.0.contains(&line) {
            tracing::warn!("{line}");
            n.0.push(line);
        }
    }
}

/// Column `i` as text: NULL as "", numbers in decimal, invalid UTF-8 with
/// U+FFFD in place of the bad bytes (and a note).
pub fn text_col(r: &Row<'_>, i: usize) -> rusqlite::Result<String> {
    Ok(opt_text_col(r, i)?.unwrap_or_default())
}

/// Like [`text_col`], keeping NULL as `None`.
pub fn opt_text_col(r: &Row<'_>, i: usize) -> rusqlite::Result<Option<String>> {
    Ok(match r.get_ref(i)? {
        ValueRef::Null => None,
        ValueRef::Integer(n) => Some(n.to_string()),
        ValueRef::Real(x) => Some(x.to_string()),
        ValueRef::Text(b) | ValueRef::Blob(b) => Some(match std::str::from_utf8(b) {
            Ok(s) => s.to_string(),
            Err(_) => {
                note(r, i);
                String::from_utf8_lossy(b).into_owned()
            }
        }),
    })
}

/// The notes gathered so far (and how many there were in all), emptied.
pub fn take_notes() -> (Vec<String>, usize) {
    NOTES
        .lock()
        .map(|mut n| (std::mem::take(&mut n.0), std::mem::take(&mut n.1)))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_is_read_with_a_replacement_and_noted() {
        let c = rusqlite::Connection::open_in_memory().unwrap();
        let (s, o): (String, Option<String>) = c
            .query_row("SELECT CAST(X'41429b324a' AS TEXT), NULL", [], |r| {
                Ok((text_col(r, 0)?, opt_text_col(r, 1)?))
            })
            .unwrap();
        assert_eq!(s, "AB\u{fffd}2J");
        assert_eq!(o, None);
        let plain: rusqlite::Result<String> =
            c.query_row("SELECT CAST(X'41429b324a' AS TEXT)", [], |r| r.get(0));
        assert!(
            plain.is_err(),
            "rusqlite itself refuses it: the reason for text_col"
        );
        let (notes, n) = take_notes();
        assert!(
            n >= 1 && notes.iter().any(|s| s.contains("not UTF-8")),
            "{notes:?}"
        );
    }
}
