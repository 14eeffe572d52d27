//! R5: what makes another open complaint "similar" to a new report beyond
//! the same customer, phone, plate or address: the same category and a
//! subject that shares its key words.

/// The part of a subject other complaints are matched on: the first four
/// characters of a Chinese subject (宽带断网三天 → 宽带断网), else its
/// longest word of four letters or more. None when the subject is too
/// short to say anything.
pub fn subject_key(subject: &str) -> Option<String> {
    let s = subject.trim();
    let cjk = s.chars().filter(|c| (*c as u32) >= 0x2E80).count();
    if cjk >= 2 {
        let key: String = s
            .chars()
            .filter(|c| (*c as u32) >= 0x2E80 && !c.is_whitespace())
            .take(4)
            .collect();
        return (key.chars().count() >= 2).then_some(key);
    }
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 4)
        .max_by_key(|w| w.chars().count())
        .map(|w| w.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r5_subject_keys() {
        assert_eq!(
            subject_key("宽带断网三天无人处理").as_deref(),
            Some("宽带断网")
        );
        assert_eq!(subject_key(" 断网 ").as_deref(), Some("断网"));
        assert_eq!(
            subject_key("Broadband down for three days").as_deref(),
            Some("broadband")
        );
        assert_eq!(subject_key("no tv"), None);
        assert_eq!(subject_key(""), None);
    }
}
