//! R1: complaint numbers `CYYYYMMDD-NNNN`, by the center's local date. The
//! sequence itself is allocated inside the registering transaction (store),
//! which makes numbers unique across processes.
use chrono::NaiveDate;

pub fn format(day: NaiveDate, seq: i64) -> String {
    format!("C{}-{:04}", day.format("%Y%m%d"), seq)
}

/// The day key the sequence counter is kept under.
pub fn day_key(day: NaiveDate) -> String {
    day.format("%Y%m%d").to_string()
}

/// Checks that `s` looks like a complaint number (used to read references
/// such as `duplicate_of`).
pub fn parse(s: &str) -> Result<(NaiveDate, i64), String> {
    let bad = || format!("{s:?} is not a complaint number (expected CYYYYMMDD-NNNN)");
    let rest = s.trim().strip_prefix('C').ok_or_else(bad)?;
    let (d, n) = rest.split_once('-').ok_or_else(bad)?;
    if d.len() != 8 {
        return Err(bad());
    }
    let day = NaiveDate::parse_from_str(d, "%Y%m%d").map_err(|_| bad())?;
    if n.len() < 4 || !n.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let seq = n.parse::<i64>().map_err(|_| bad())?;
    Ok((day, seq))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r1_number_format() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        assert_eq!(format(d, 7), "C20261122-0007");
        assert_eq!(format(d, 12345), "C20261122-12345");
        assert_eq!(parse("C20261122-0007").unwrap(), (d, 7));
        for bad in [
            "20261122-0007",
            "C2026112-0007",
            "C20261122-7",
            "C20261122-00a7",
            "C20261340-0001",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
