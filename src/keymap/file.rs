//! Reading one keymap file (a "layer") with line numbers for every error.
//!
//! The file is parsed with `toml::de::DeTable`, which keeps the byte span of
//! every key and value; entries are put back in file order by span (the
//! table itself is sorted by name unless toml's `preserve_order` is on).

use toml::Spanned;
use toml::de::{DeString, DeTable, DeValue};

use super::key::{KeyCombo, parse_key};
use super::{Action, Context, KeymapError};

/// One `"key" = ...` line. `action: None` unbinds the key.
#[derive(Debug)]
pub(crate) struct Entry {
    pub key: KeyCombo,
    pub key_text: String,
    pub line: usize,
    pub action: Option<Action>,
    pub en: Option<String>,
    pub zh: Option<String>,
}

/// A whole file: contexts and their entries, both in file order.
pub(crate) type Layer = Vec<(Context, Vec<Entry>)>;

/// 1-based line of a byte offset.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

pub(crate) fn invalid(origin: &str, line: usize, message: impl Into<String>) -> KeymapError {
    KeymapError::Invalid {
        origin: origin.to_owned(),
        line,
        message: message.into(),
    }
}

type Item<'a, 'i> = (&'a Spanned<DeString<'i>>, &'a Spanned<DeValue<'i>>);

fn in_file_order<'a, 'i>(table: &'a DeTable<'i>) -> Vec<Item<'a, 'i>> {
    let mut items: Vec<_> = table.iter().collect();
    items.sort_by_key(|(k, _)| k.span().start);
    items
}

struct Ctx<'t> {
    text: &'t str,
    origin: &'t str,
}

impl Ctx<'_> {
    fn err(&self, offset: usize, message: impl Into<String>) -> KeymapError {
        invalid(self.origin, line_of(self.text, offset), message)
    }
}

pub(crate) fn parse_layer(text: &str, origin: &str) -> Result<Layer, KeymapError> {
    let cx = Ctx { text, origin };
    let doc = DeTable::parse(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        let mut message = format!("TOML syntax error: {}", e.message().trim_end());
        // e.g. the key of a "duplicate key"; empty for most syntax errors.
        let snippet = text.get(span.clone()).unwrap_or("");
        if !snippet.is_empty() && snippet.len() <= 40 && !snippet.contains('\n') {
            message.push_str(": ");
            message.push_str(snippet);
        }
        cx.err(span.start, message)
    })?;
    let mut layer = Layer::new();
    for (name, value) in in_file_order(doc.get_ref()) {
        let at = name.span().start;
        let ctx: Context = name.get_ref().parse().map_err(|_| {
            let known: Vec<&str> = Context::ALL.iter().map(|c| c.name()).collect();
            cx.err(
                at,
                format!(
                    "unknown context \"{}\" (expected one of: {})",
                    name.get_ref(),
                    known.join(", ")
                ),
            )
        })?;
        let DeValue::Table(table) = value.get_ref() else {
            return Err(cx.err(
                at,
                format!("\"{ctx}\" must be a table: put [{ctx}] on a line of its own"),
            ));
        };
        let mut entries: Vec<Entry> = Vec::new();
        for (key, value) in in_file_order(table) {
            let entry = parse_entry(&cx, ctx, key, value)?;
            if let Some(prev) = entries.iter().find(|e| e.key == entry.key) {
                return Err(cx.err(
                    key.span().start,
                    format!(
                        "duplicate key \"{}\" in [{ctx}] (same key as \"{}\" on line {})",
                        entry.key_text, prev.key_text, prev.line
                    ),
                ));
            }
            entries.push(entry);
        }
        layer.push((ctx, entries));
    }
    Ok(layer)
}

fn parse_entry(
    cx: &Ctx<'_>,
    ctx: Context,
    key: &Spanned<DeString<'_>>,
    value: &Spanned<DeValue<'_>>,
) -> Result<Entry, KeymapError> {
    let at = key.span().start;
    let key_text = key.get_ref().to_string();
    let combo = parse_key(&key_text).map_err(|m| cx.err(at, m))?;
    let mut entry = Entry {
        key: combo,
        line: line_of(cx.text, at),
        key_text,
        action: None,
        en: None,
        zh: None,
    };
    match value.get_ref() {
        DeValue::String(name) => {
            entry.action = parse_action(cx, name, value.span().start)?;
        }
        DeValue::Table(fields) => {
            let mut action = None;
            for (field, fvalue) in in_file_order(fields) {
                let fat = fvalue.span().start;
                let DeValue::String(s) = fvalue.get_ref() else {
                    return Err(cx.err(fat, format!("\"{}\" must be a string", field.get_ref())));
                };
                match field.get_ref().as_ref() {
                    "action" => action = Some(parse_action(cx, s, fat)?),
                    "en" => entry.en = Some(description(cx, "en", s, fat)?),
                    "zh" => entry.zh = Some(description(cx, "zh", s, fat)?),
                    other => {
                        return Err(cx.err(
                            field.span().start,
                            format!("unknown field \"{other}\" (expected action, en, zh)"),
                        ));
                    }
                }
            }
            entry.action = action.ok_or_else(|| {
                cx.err(
                    at,
                    format!("missing action for \"{}\" in [{ctx}]", entry.key_text),
                )
            })?;
        }
        other => {
            return Err(cx.err(
                value.span().start,
                format!(
                    "\"{}\" in [{ctx}]: expected an action name or \
                     {{ action = \"...\", en = \"...\", zh = \"...\" }}, found {}",
                    entry.key_text,
                    other.type_str()
                ),
            ));
        }
    }
    Ok(entry)
}

/// `Ok(None)` for `"none"` (unbind).
fn parse_action(cx: &Ctx<'_>, name: &str, at: usize) -> Result<Option<Action>, KeymapError> {
    if name == "none" {
        return Ok(None);
    }
    name.parse()
        .map(Some)
        .map_err(|e: super::action::UnknownName| cx.err(at, e.to_string()))
}

fn description(cx: &Ctx<'_>, lang: &str, s: &str, at: usize) -> Result<String, KeymapError> {
    let s = s.trim();
    if s.is_empty() {
        return Err(cx.err(at, format!("empty {lang} description")));
    }
    Ok(s.to_owned())
}
