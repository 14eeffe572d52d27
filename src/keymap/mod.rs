//! Keybindings as data, in the manner of atuin and yazi.
//!
//! A keymap maps, per [`Context`], a [`KeyCombo`] to an [`Action`] with a
//! one-line English and Chinese description (for the `?` overlay and the
//! status-bar hints). Two keymaps are built in (`keymaps/default.toml` and
//! `keymaps/vim.toml`); a user file in the same format can override single
//! keys on top of either (see [`Keymap::load`]).
//!
//! Lookup ([`Keymap::action`]) tries the current context, then
//! [`Context::Global`] — except that in text-entry contexts
//! ([`Context::Search`], [`Context::Form`]) a plain typed character never
//! falls back to Global, so typing "q" into a search box does not quit.

mod action;
mod file;
mod key;
#[cfg(test)]
mod tests;

use std::fmt;
use std::path::{Path, PathBuf};

use ratatui::crossterm::event::KeyEvent;

pub use action::{Action, Context, UnknownName};
pub use key::{KeyCombo, format_key, parse_key};

use file::{Layer, invalid, parse_layer};

/// The built-in default keymap (arrows, j/k, single letters).
pub const DEFAULT_TOML: &str = include_str!("../../keymaps/default.toml");
/// The built-in vim-flavoured keymap (h/j/k/l, Ctrl-d/Ctrl-u).
pub const VIM_TOML: &str = include_str!("../../keymaps/vim.toml");
/// Names accepted by [`Keymap::builtin`].
pub const BUILTIN_NAMES: &[&str] = &["default", "vim"];

/// One key bound to an action in one context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Binding {
    pub key: KeyCombo,
    pub action: Action,
    /// One-line English description.
    pub en: String,
    /// One-line Chinese description.
    pub zh: String,
}

/// Where a keymap's base bindings came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// `"default"` or `"vim"`.
    Builtin(&'static str),
    File(PathBuf),
}

impl Source {
    /// Reads a `--keymap` style argument: `None` → default, a built-in name
    /// → that built-in, anything else → a file path.
    pub fn from_arg(name_or_path: Option<&str>) -> Source {
        match name_or_path {
            None | Some("default") => Source::Builtin("default"),
            Some("vim") => Source::Builtin("vim"),
            Some(path) => Source::File(PathBuf::from(path)),
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Builtin(name) => write!(f, "{name} (built-in)"),
            Source::File(path) => write!(f, "{}", path.display()),
        }
    }
}

/// A keymap that could not be loaded. Problems inside a file read
/// `"<file>:<line>: <message>"`.
#[derive(Debug, thiserror::Error)]
pub enum KeymapError {
    /// Bad TOML or a bad entry: unknown context or action, bad key name,
    /// duplicate key, missing or empty description…
    #[error("{origin}:{line}: {message}")]
    Invalid {
        origin: String,
        line: usize,
        message: String,
    },
    #[error(
        "unknown keymap \"{0}\" (built-in keymaps: default, vim; or give a path to a .toml file)"
    )]
    UnknownBuiltin(String),
    #[error("{}: cannot read keymap: {source}", .path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl KeymapError {
    /// The 1-based line of the offending entry, for [`KeymapError::Invalid`].
    pub fn line(&self) -> Option<usize> {
        match self {
            KeymapError::Invalid { line, .. } => Some(*line),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, Default)]
struct ContextMap {
    /// In file order; keys are unique.
    bindings: Vec<Binding>,
    /// Keys unbound with `"none"`: they also do not fall back to Global.
    blocked: Vec<KeyCombo>,
}

const CONTEXTS: usize = Context::ALL.len();

/// Bindings for every context. Cheap to clone; immutable once loaded.
#[derive(Clone, Debug)]
pub struct Keymap {
    source: Source,
    user_override: Option<PathBuf>,
    contexts: [ContextMap; CONTEXTS],
}

impl Keymap {
    /// `"default"` or `"vim"`.
    pub fn builtin(name: &str) -> Result<Keymap, KeymapError> {
        let (name, text) = match name {
            "default" => ("default", DEFAULT_TOML),
            "vim" => ("vim", VIM_TOML),
            other => return Err(KeymapError::UnknownBuiltin(other.to_owned())),
        };
        let mut map = Keymap::from_toml(text, &format!("keymaps/{name}.toml"))?;
        map.source = Source::Builtin(name);
        Ok(map)
    }

    /// A complete keymap from TOML text; `origin` names it in errors.
    /// Every binding needs an action and both descriptions.
    pub fn from_toml(text: &str, origin: &str) -> Result<Keymap, KeymapError> {
        let mut map = Keymap {
            source: Source::File(PathBuf::from(origin)),
            user_override: None,
            contexts: std::array::from_fn(|_| ContextMap::default()),
        };
        let layer = parse_layer(text, origin)?;
        map.apply(layer, origin, None)?;
        Ok(map)
    }

    /// A complete keymap from a file.
    pub fn from_file(path: &Path) -> Result<Keymap, KeymapError> {
        let text = std::fs::read_to_string(path).map_err(|source| {
            let bare_word = path.components().count() == 1 && path.extension().is_none();
            if source.kind() == std::io::ErrorKind::NotFound && bare_word {
                KeymapError::UnknownBuiltin(path.display().to_string())
            } else {
                KeymapError::Read {
                    path: path.to_path_buf(),
                    source,
                }
            }
        })?;
        let mut map = Keymap::from_toml(&text, &path.display().to_string())?;
        map.source = Source::File(path.to_path_buf());
        Ok(map)
    }

    /// The keymap hotline runs with. `name_or_path`: `None` → `"default"`;
    /// `"default"`/`"vim"` → built-in; anything else → a TOML file.
    /// `user_override` (e.g. `~/.config/hotline/keymap.toml`) is applied
    /// with [`Keymap::merge_toml`] if it exists; a missing file is ignored.
    pub fn load(
        name_or_path: Option<&str>,
        user_override: Option<&Path>,
    ) -> Result<Keymap, KeymapError> {
        let mut map = match Source::from_arg(name_or_path) {
            Source::Builtin(name) => Keymap::builtin(name)?,
            Source::File(path) => Keymap::from_file(&path)?,
        };
        if let Some(path) = user_override {
            match std::fs::read_to_string(path) {
                Ok(text) => {
                    map.merge_toml(&text, &path.display().to_string())?;
                    map.user_override = Some(path.to_path_buf());
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(source) => {
                    return Err(KeymapError::Read {
                        path: path.to_path_buf(),
                        source,
                    });
                }
            }
        }
        Ok(map)
    }

    /// Overrides single keys with another file's bindings (same format).
    /// A key already bound in that context is replaced in place, a new one
    /// is appended, and `"x" = "none"` / `{ action = "none" }` unbinds x in
    /// that context (also hiding a Global binding of x there).
    /// A binding may leave out `en`/`zh`, or be just `"x" = "claim"`: the
    /// descriptions are then taken from this keymap's binding of the same
    /// action. On error nothing is changed.
    pub fn merge_toml(&mut self, text: &str, origin: &str) -> Result<(), KeymapError> {
        let layer = parse_layer(text, origin)?;
        let mut next = self.clone();
        next.apply(layer, origin, Some(self))?;
        *self = next;
        Ok(())
    }

    fn apply(
        &mut self,
        layer: Layer,
        origin: &str,
        inherit: Option<&Keymap>,
    ) -> Result<(), KeymapError> {
        for (ctx, entries) in layer {
            for entry in entries {
                let map = &mut self.contexts[ctx.index()];
                let Some(action) = entry.action else {
                    map.bindings.retain(|b| b.key != entry.key);
                    if ctx != Context::Global && !map.blocked.contains(&entry.key) {
                        map.blocked.push(entry.key);
                    }
                    continue;
                };
                let base = inherit.and_then(|m| m.describing(ctx, action));
                let en = entry.en.or_else(|| base.map(|b| b.en.clone()));
                let zh = entry.zh.or_else(|| base.map(|b| b.zh.clone()));
                let (en, zh) = match (en, zh) {
                    (Some(en), Some(zh)) => (en, zh),
                    (en, zh) => {
                        let missing = match (en, zh) {
                            (None, None) => "en and zh descriptions",
                            (None, _) => "en description",
                            _ => "zh description",
                        };
                        return Err(invalid(
                            origin,
                            entry.line,
                            format!("missing {missing} for \"{}\" in [{ctx}]", entry.key_text),
                        ));
                    }
                };
                let binding = Binding {
                    key: entry.key,
                    action,
                    en,
                    zh,
                };
                map.blocked.retain(|k| *k != entry.key);
                match map.bindings.iter_mut().find(|b| b.key == entry.key) {
                    Some(slot) => *slot = binding,
                    None => map.bindings.push(binding),
                }
            }
        }
        Ok(())
    }

    /// A binding whose descriptions fit `action` in `ctx`: from `ctx`, else
    /// Global, else any context.
    fn describing(&self, ctx: Context, action: Action) -> Option<&Binding> {
        let order = [ctx, Context::Global]
            .into_iter()
            .chain(Context::ALL.iter().copied());
        order
            .flat_map(|c| self.contexts[c.index()].bindings.iter())
            .find(|b| b.action == action)
    }

    /// Where the base bindings came from.
    pub fn source(&self) -> &Source {
        &self.source
    }

    /// The user override file, if one was found and applied by [`Keymap::load`].
    pub fn user_override(&self) -> Option<&Path> {
        self.user_override.as_deref()
    }

    /// The action for a key event in `ctx`: `ctx`'s own binding, else
    /// Global's — except for keys unbound in `ctx` with `"none"`, and plain
    /// characters in text-entry contexts (Search, Form). Key releases → None.
    pub fn action(&self, ctx: Context, key: &KeyEvent) -> Option<Action> {
        KeyCombo::from_event(key).and_then(|k| self.action_for(ctx, k))
    }

    /// Like [`Keymap::action`], for a [`KeyCombo`].
    pub fn action_for(&self, ctx: Context, key: KeyCombo) -> Option<Action> {
        let key = KeyCombo::new(key.code, key.mods);
        let map = &self.contexts[ctx.index()];
        if let Some(b) = map.bindings.iter().find(|b| b.key == key) {
            return Some(b.action);
        }
        if ctx == Context::Global
            || map.blocked.contains(&key)
            || (ctx.takes_text() && key.is_plain_char())
        {
            return None;
        }
        self.contexts[Context::Global.index()]
            .bindings
            .iter()
            .find(|b| b.key == key)
            .map(|b| b.action)
    }

    /// `ctx`'s own bindings in file order (Global's are not included: ask
    /// for `bindings(Context::Global)` separately).
    pub fn bindings(&self, ctx: Context) -> Vec<&Binding> {
        self.contexts[ctx.index()].bindings.iter().collect()
    }

    /// `ctx`'s own bindings grouped by action, for a compact `?` overlay on
    /// a 24-line screen ("k Up  Previous item"): groups in order of first
    /// appearance, keys in file order, descriptions from the first binding.
    pub fn grouped_bindings(&self, ctx: Context) -> Vec<(Vec<KeyCombo>, &Binding)> {
        let mut groups: Vec<(Vec<KeyCombo>, &Binding)> = Vec::new();
        for b in &self.contexts[ctx.index()].bindings {
            match groups
                .iter_mut()
                .find(|(_, first)| first.action == b.action)
            {
                Some((keys, _)) => keys.push(b.key),
                None => groups.push((vec![b.key], b)),
            }
        }
        groups
    }

    /// Every key that triggers `action` in `ctx` (its own first, then the
    /// Global ones that are not shadowed there), in file order.
    pub fn keys_for(&self, ctx: Context, action: Action) -> Vec<KeyCombo> {
        let global = (ctx != Context::Global).then_some(Context::Global);
        [Some(ctx), global]
            .into_iter()
            .flatten()
            .flat_map(|c| self.contexts[c.index()].bindings.iter())
            .filter(|b| b.action == action && self.action_for(ctx, b.key) == Some(action))
            .map(|b| b.key)
            .collect()
    }

    /// The first key that triggers `action` in `ctx`, formatted for a
    /// status-bar hint such as "c claim"; `None` if nothing does.
    pub fn hint(&self, ctx: Context, action: Action) -> Option<String> {
        self.keys_for(ctx, action).first().map(format_key)
    }
}
