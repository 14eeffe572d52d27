//! A customer (archive record) as entered: checked and cleaned, ready to be
//! stored. Shared by intake, the CSV import and the forms.
use super::model::CustomerClass;
use super::phone;
use crate::error::{Error, Result};
use crate::text::{clean_line, clean_multiline};

pub const MAX_NAME: usize = 100;
pub const MAX_ADDRESS: usize = 300;
pub const MAX_COMPANY: usize = 200;
pub const MAX_NOTES: usize = 5000;
pub const MAX_CODE: usize = 64;
/// Phones and plates one customer may hold (a record, not a phone book);
/// one intake or row may bring at most this many, and a merge that would
/// pass it is refused.
pub const MAX_PHONES: usize = 20;
pub const MAX_PLATES: usize = 20;

/// Refuses a list longer than `max`, naming the field.
pub fn check_count(field: &str, n: usize, max: usize) -> Result<()> {
    if n > max {
        return Err(Error::invalid(
            field,
            format!("{n} given, at most {max} per customer"),
        ));
    }
    Ok(())
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewCustomer {
    pub name: String,
    pub phones: Vec<String>,
    pub address: String,
    pub company: String,
    pub class: Option<CustomerClass>,
    pub plates: Vec<String>,
    pub code: Option<String>,
    pub notes: String,
    pub confidential: bool,
}

/// Raw text fields of a customer, as they come from JSON, CSV or a form.
#[derive(Debug, Clone, Default)]
pub struct RawCustomer<'a> {
    pub name: &'a str,
    pub phones: Vec<&'a str>,
    pub address: &'a str,
    pub company: &'a str,
    pub class: &'a str,
    pub plates: Vec<&'a str>,
    pub code: &'a str,
    pub notes: &'a str,
    pub confidential: bool,
}

/// Licence plates are compared without case, spaces, `-` or `·`.
pub fn normalize_plate(field: &str, s: &str) -> Result<String> {
    let cleaned = clean_line(field, s, 20)?;
    let p: String = cleaned
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '·' | '.' | '•'))
        .flat_map(char::to_uppercase)
        .collect();
    let n = p.chars().count();
    if !(5..=10).contains(&n) || !p.chars().all(|c| c.is_alphanumeric()) {
        return Err(Error::invalid(
            field,
            format!("{s:?} is not a licence plate"),
        ));
    }
    Ok(p)
}

/// Checks every field; the error names the field (prefixed with `prefix`,
/// e.g. `customer.`) and what is wrong with it.
pub fn validate(prefix: &str, raw: &RawCustomer<'_>) -> Result<NewCustomer> {
    let f = |name: &str| format!("{prefix}{name}");
    let name = clean_line(&f("name"), raw.name, MAX_NAME)?;
    if name.is_empty() {
        return Err(Error::invalid(f("name"), "is empty"));
    }
    let given = |v: &[&str]| v.iter().filter(|p| !p.trim().is_empty()).count();
    check_count(&f("phone"), given(&raw.phones), MAX_PHONES)?;
    check_count(&f("plate"), given(&raw.plates), MAX_PLATES)?;
    let mut phones = Vec::new();
    for p in raw.phones.iter().filter(|p| !p.trim().is_empty()) {
        let n = phone::normalize(p).map_err(|e| Error::invalid(f("phone"), e))?;
        if !phones.contains(&n) {
            phones.push(n);
        }
    }
    let mut plates = Vec::new();
    for p in raw.plates.iter().filter(|p| !p.trim().is_empty()) {
        let n = normalize_plate(&f("plate"), p)?;
        if !plates.contains(&n) {
            plates.push(n);
        }
    }
    let class = match raw.class.trim() {
        "" => None,
        c => Some(
            c.parse::<CustomerClass>()
                .map_err(|e| Error::invalid(f("class"), e))?,
        ),
    };
    let code = clean_line(&f("code"), raw.code, MAX_CODE)?;
    Ok(NewCustomer {
        name,
        phones,
        address: clean_line(&f("address"), raw.address, MAX_ADDRESS)?,
        company: clean_line(&f("company"), raw.company, MAX_COMPANY)?,
        class,
        plates,
        code: (!code.is_empty()).then_some(code),
        notes: clean_multiline(&f("notes"), raw.notes, MAX_NOTES)?,
        confidential: raw.confidential,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plates_normalise() {
        assert_eq!(normalize_plate("p", "粤b-123 45").unwrap(), "粤B12345");
        assert_eq!(normalize_plate("p", "京A·88K88").unwrap(), "京A88K88");
        assert!(normalize_plate("p", "12").is_err());
        assert!(normalize_plate("p", "粤B\u{1b}12345").is_err());
    }

    #[test]
    fn errors_name_the_field() {
        let raw = RawCustomer {
            name: "张三",
            phones: vec!["138abc"],
            ..Default::default()
        };
        let e = validate("customer.", &raw).unwrap_err().to_string();
        assert!(e.starts_with("customer.phone:"), "{e}");
        let raw = RawCustomer {
            name: "  ",
            ..Default::default()
        };
        assert!(
            validate("", &raw)
                .unwrap_err()
                .to_string()
                .starts_with("name: is empty")
        );
        let raw = RawCustomer {
            name: "Li",
            class: "E",
            ..Default::default()
        };
        assert!(
            validate("", &raw)
                .unwrap_err()
                .to_string()
                .starts_with("class:")
        );
    }

    #[test]
    fn dedups_phones_and_keeps_order() {
        let raw = RawCustomer {
            name: "王五",
            phones: vec!["138 0013 8000", "13800138000", "010-12345678"],
            class: "a",
            ..Default::default()
        };
        let c = validate("", &raw).unwrap();
        assert_eq!(c.phones, ["13800138000", "01012345678"]);
        assert_eq!(c.class, Some(CustomerClass::A));
    }
}
