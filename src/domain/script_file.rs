//! The scripts file supervisors edit (R16): `hotline scripts export`
//! writes it, `hotline scripts import` reads it back. Unknown placeholders,
//! missing languages, unknown kinds and duplicate ids are errors with the
//! line they are on; nothing is imported from a file with any error.
use serde::Deserialize;
use toml::Spanned;

use super::script::{KINDS, check_body};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptDef {
    pub id: String,
    pub kind: String,
    /// (lang, title, body) for "zh" and "en".
    pub texts: Vec<(String, String, String)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    script: Vec<Entry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    id: Spanned<String>,
    kind: Spanned<String>,
    zh: Option<Spanned<Text>>,
    en: Option<Spanned<Text>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Text {
    title: String,
    body: String,
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())]
        .bytes()
        .filter(|b| *b == b'\n')
        .count()
        + 1
}

/// Parses and checks a whole file; errors are `origin:line: message`, all
/// of them, so a supervisor can fix the file in one go.
pub fn parse(text: &str, origin: &str) -> Result<Vec<ScriptDef>, String> {
    let file: File = toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(1, |s| line_of(text, s.start));
        format!("{origin}:{line}: {}", e.message().trim())
    })?;
    let mut errors = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for e in file.script {
        let at = line_of(text, e.id.span().start);
        let id = e.id.get_ref().trim().to_string();
        if id.is_empty() {
            errors.push(format!("{origin}:{at}: empty id"));
        } else if seen.contains(&id) {
            errors.push(format!("{origin}:{at}: duplicate id {id:?}"));
        }
        seen.push(id.clone());
        let kind = e.kind.get_ref().trim().to_string();
        if !KINDS.contains(&kind.as_str()) {
            let l = line_of(text, e.kind.span().start);
            errors.push(format!(
                "{origin}:{l}: unknown kind {kind:?} (known: {})",
                KINDS.join(", ")
            ));
        }
        let mut texts = Vec::new();
        for (lang, t) in [("zh", e.zh), ("en", e.en)] {
            match t {
                None => errors.push(format!("{origin}:{at}: script {id:?} has no {lang} text")),
                Some(t) => {
                    let l = line_of(text, t.span().start);
                    let t = t.into_inner();
                    if t.title.trim().is_empty() {
                        errors.push(format!(
                            "{origin}:{l}: script {id:?} ({lang}) has an empty title"
                        ));
                    }
                    if let Err(m) = check_body(&t.body) {
                        errors.push(format!("{origin}:{l}: script {id:?} ({lang}): {m}"));
                    }
                    if t.body
                        .chars()
                        .chain(t.title.chars())
                        .any(|c| c.is_control() && c != '\n' && c != '\t')
                    {
                        errors.push(format!(
                            "{origin}:{l}: script {id:?} ({lang}) contains a control character"
                        ));
                    }
                    texts.push((
                        lang.to_string(),
                        t.title.trim().to_string(),
                        t.body.trim().to_string(),
                    ));
                }
            }
        }
        out.push(ScriptDef { id, kind, texts });
    }
    if out.is_empty() && errors.is_empty() {
        errors.push(format!("{origin}:1: no [[script]] entries"));
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors.join("\n"))
    }
}

/// Writes scripts in the file format `parse` reads.
pub fn write(defs: &[ScriptDef]) -> String {
    let q = |s: &str| toml::Value::String(s.to_string()).to_string();
    let mut out = String::from(
        "# hotline standard scripts (R16). Edit, then: hotline scripts import FILE\n\
         # Placeholders: {customer_name} {agent_name} {agent_id} {complaint_no} {due_date}\n\
         # {center_name} {category} {today}. Every script needs zh and en.\n",
    );
    for d in defs {
        out.push_str(&format!(
            "\n[[script]]\nid = {}\nkind = {}\n",
            q(&d.id),
            q(&d.kind)
        ));
        for (lang, title, body) in &d.texts {
            out.push_str(&format!(
                "\n[script.{lang}]\ntitle = {}\nbody = {}\n",
                q(title),
                q(body)
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[[script]]
id = "greeting"
kind = "greeting"
[script.zh]
title = "开场白"
body = "您好，工号{agent_id}"
[script.en]
title = "Greeting"
body = "Hello, agent {agent_id}"
"#;

    #[test]
    fn r16_round_trip() {
        let defs = parse(GOOD, "s.toml").unwrap();
        assert_eq!(defs[0].texts.len(), 2);
        assert_eq!(parse(&write(&defs), "s.toml").unwrap(), defs);
    }

    #[test]
    fn r16_errors_carry_line_numbers() {
        let e = parse(
            &GOOD.replace("{agent_id}\"\n[script.en]", "{agent}\"\n[script.en]"),
            "s.toml",
        )
        .unwrap_err();
        assert!(
            e.contains("s.toml:5:") && e.contains("unknown placeholder {agent}"),
            "{e}"
        );
        let no_en = &GOOD[..GOOD.find("[script.en]").unwrap()];
        let e = parse(no_en, "s.toml").unwrap_err();
        assert!(e.contains("s.toml:3:") && e.contains("no en text"), "{e}");
        let dup = format!("{GOOD}{}", GOOD.replace("\n[[script]]", "\n\n[[script]]"));
        let e = parse(&dup, "s.toml").unwrap_err();
        assert!(
            e.contains("s.toml:14:") && e.contains("duplicate id \"greeting\""),
            "{e}"
        );
        let e = parse(
            &GOOD.replace("kind = \"greeting\"", "kind = \"smalltalk\""),
            "s.toml",
        )
        .unwrap_err();
        assert!(e.contains("s.toml:4:") && e.contains("unknown kind"), "{e}");
        let e = parse("[[script]\nid=1", "s.toml").unwrap_err();
        assert!(e.starts_with("s.toml:1:"), "{e}");
    }
}
