//! Customer CSV files as call centers keep them (Excel exports, often
//! GB18030/GBK, often with Chinese headers): the encoding, the header row,
//! and each data row checked by the same rules as intake
//! (`customer::validate`). Pure: bytes in, checked rows out; the store
//! decides what to add or update.
use std::borrow::Cow;

use super::customer::{self, NewCustomer, RawCustomer};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Auto,
    Utf8,
    Gb18030,
}

impl std::str::FromStr for Encoding {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(Encoding::Auto),
            "utf-8" | "utf8" => Ok(Encoding::Utf8),
            "gb18030" | "gbk" | "gb2312" => Ok(Encoding::Gb18030),
            other => Err(format!(
                "unknown encoding {other:?} (use auto, utf-8 or gb18030)"
            )),
        }
    }
}

/// The line (1-based) holding byte `at` of `bytes`.
fn line_of(bytes: &[u8], at: usize) -> usize {
    1 + bytes[..at.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

/// Up to five line numbers, and how many more.
fn some_lines(v: &[usize]) -> String {
    let head: Vec<String> = v.iter().take(5).map(usize::to_string).collect();
    match v.len() {
        n if n > 5 => format!("{} and {} more", head.join(", "), n - 5),
        _ => head.join(", "),
    }
}

/// A file whose lines are partly UTF-8 Chinese and partly another encoding
/// (two exports pasted together) cannot be read either way without
/// garbling one part: refused, naming lines of both kinds.
fn refuse_mixed(body: &[u8]) -> Result<(), String> {
    let (mut utf8, mut other) = (Vec::new(), Vec::new());
    for (i, line) in body.split(|&b| b == b'\n').enumerate() {
        if line.is_ascii() {
            continue;
        }
        match std::str::from_utf8(line) {
            Ok(_) => utf8.push(i + 1),
            Err(_) => other.push(i + 1),
        }
    }
    if utf8.is_empty() || other.is_empty() {
        return Ok(());
    }
    Err(format!(
        "the file mixes encodings: line {} UTF-8, line {} not UTF-8 (GB18030/GBK?); \
         nothing was imported. Save the whole file in one encoding",
        some_lines(&utf8),
        some_lines(&other)
    ))
}

/// Decodes a file: UTF-8 with or without BOM, or GB18030 (which covers
/// GBK and GB2312). Returns the text and the encoding it was read as.
pub fn decode(bytes: &[u8], enc: Encoding) -> Result<(Cow<'_, str>, &'static str), String> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err("the file is UTF-16; save it as \"CSV UTF-8\" or as GB18030/GBK CSV".into());
    }
    let (bom, body) = match bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        Some(rest) => (true, rest),
        None => (false, bytes),
    };
    let utf8 = || {
        std::str::from_utf8(body).map(Cow::Borrowed).map_err(|e| {
            format!(
                "line {}: not UTF-8 (byte {} of the file); try --encoding gb18030",
                line_of(body, e.valid_up_to()),
                e.valid_up_to() + 1 + usize::from(bom) * 3
            )
        })
    };
    let gb = || {
        refuse_mixed(body)?;
        encoding_rs::GB18030
            .decode_without_bom_handling_and_without_replacement(body)
            .ok_or_else(|| "not GB18030/GBK text either".to_string())
    };
    match enc {
        Encoding::Utf8 => utf8().map(|t| (t, "utf-8")),
        Encoding::Gb18030 => gb().map(|t| (t, "gb18030")),
        Encoding::Auto if bom => utf8().map(|t| (t, "utf-8")),
        Encoding::Auto => match utf8() {
            Ok(t) => Ok((t, "utf-8")),
            Err(e) => gb()
                .map(|t| (t, "gb18030"))
                .map_err(|g| format!("{e}; {g}")),
        },
    }
}

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Name,
    Phone,
    Address,
    Company,
    Plate,
    Class,
    Code,
    Notes,
}

/// Recognised header names, English (case-insensitive) and Chinese.
const NAMES: &[(Column, &[&str])] = &[
    (
        Column::Name,
        &["name", "姓名", "客户姓名", "客户名称", "名称"],
    ),
    (
        Column::Phone,
        &[
            "phone",
            "phones",
            "mobile",
            "tel",
            "telephone",
            "手机",
            "手机号",
            "手机号码",
            "电话",
            "电话号码",
            "联系电话",
        ],
    ),
    (Column::Address, &["address", "地址", "联系地址"]),
    (Column::Company, &["company", "公司", "公司名称", "单位"]),
    (
        Column::Plate,
        &["plate", "plates", "车牌", "车牌号", "车牌号码"],
    ),
    (Column::Class, &["class", "等级", "客户等级"]),
    (
        Column::Code,
        &["code", "customer code", "customer_code", "客户编号", "编号"],
    ),
    (Column::Notes, &["notes", "note", "备注"]),
];

fn column_of(header: &str) -> Option<Column> {
    let h = header.trim().trim_start_matches('\u{feff}').to_lowercase();
    NAMES
        .iter()
        .find(|(_, names)| names.contains(&h.as_str()))
        .map(|(c, _)| *c)
}

/// The columns of a file, by position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub cells: Vec<String>,
    pub columns: Vec<Option<Column>>,
}

impl Header {
    /// Recognises the header row. Phone columns may repeat (手机, 电话);
    /// any other column may appear once; a name column is required.
    /// Unrecognised columns are returned as warnings and ignored.
    pub fn parse(cells: &[&str]) -> Result<(Header, Vec<String>), String> {
        let columns: Vec<Option<Column>> = cells.iter().map(|c| column_of(c)).collect();
        let mut warnings = Vec::new();
        for (i, (cell, col)) in cells.iter().zip(&columns).enumerate() {
            match col {
                None if !cell.trim().is_empty() => warnings.push(format!(
                    "column {} {:?} is not recognised and is ignored",
                    i + 1,
                    cell.trim()
                )),
                Some(c) if *c != Column::Phone && columns[..i].contains(col) => {
                    return Err(format!(
                        "column {} {:?}: {c:?} appears twice in the header",
                        i + 1,
                        cell.trim()
                    ));
                }
                _ => {}
            }
        }
        if !columns.contains(&Some(Column::Name)) {
            return Err(
                "the header row has no name column (name or 姓名); recognised columns: \
                 name/姓名, phone/手机/电话, address/地址, company/公司, plate/车牌/车牌号, \
                 class/等级/客户等级, code/客户编号, notes/备注"
                    .into(),
            );
        }
        Ok((
            Header {
                cells: cells.iter().map(|c| c.to_string()).collect(),
                columns,
            },
            warnings,
        ))
    }
}

/// Splits a cell holding several phones or plates.
fn split_multi(cell: &str) -> impl Iterator<Item = &str> {
    cell.split([';', '；', ',', '，', '/', '、', '|', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// "A", "a", "A类", "A级", "A级客户" → "A"; anything else as given.
fn class_letter(cell: &str) -> &str {
    let t = cell.trim();
    let stripped = t
        .trim_end_matches("客户")
        .trim_end_matches('类')
        .trim_end_matches('级');
    if stripped.chars().count() == 1 {
        stripped
    } else {
        t
    }
}

/// Checks one data row: the customer, or the field at fault and why.
pub fn row(header: &Header, cells: &[&str]) -> Result<NewCustomer, String> {
    if cells.len() > header.columns.len()
        && cells[header.columns.len()..]
            .iter()
            .any(|c| !c.trim().is_empty())
    {
        return Err(format!(
            "has {} cells, the header has {}",
            cells.len(),
            header.columns.len()
        ));
    }
    let mut raw = RawCustomer::default();
    for (col, cell) in header.columns.iter().zip(cells) {
        match col {
            Some(Column::Name) => raw.name = cell,
            Some(Column::Phone) => raw.phones.extend(split_multi(cell)),
            Some(Column::Address) => raw.address = cell,
            Some(Column::Company) => raw.company = cell,
            Some(Column::Plate) => raw.plates.extend(split_multi(cell)),
            Some(Column::Class) => raw.class = class_letter(cell),
            Some(Column::Code) => raw.code = cell,
            Some(Column::Notes) => raw.notes = cell,
            None => {}
        }
    }
    let c = customer::validate("", &raw).map_err(|e| e.to_string())?;
    if c.code.is_none() && c.phones.is_empty() {
        // Matching is by code, else phone: without either, importing the
        // same file again would add the customer twice.
        return Err("phone: a row needs a phone or a customer code".into());
    }
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf8_bom_and_gb18030() {
        let (t, e) = decode("\u{feff}姓名\r\n张三".as_bytes(), Encoding::Auto).unwrap();
        assert_eq!((t.as_ref(), e), ("姓名\r\n张三", "utf-8"));
        let (gb, _, _) = encoding_rs::GB18030.encode("姓名,电话\r\n张三,13800138000\r\n");
        let (t, e) = decode(&gb, Encoding::Auto).unwrap();
        assert_eq!(e, "gb18030");
        assert!(t.contains("张三"));
        assert!(
            decode(&gb, Encoding::Utf8)
                .unwrap_err()
                .starts_with("line 1: not UTF-8")
        );
        assert!(decode(&[0xFF, 0xFE, 0x41, 0], Encoding::Auto).is_err());
    }

    #[test]
    fn a_file_mixing_utf8_and_gb18030_is_refused_with_lines() {
        let (gb, _, _) = encoding_rs::GB18030.encode("张四,13900000002\n");
        let mut bytes = "name,phone\n张三,13900000001\n".as_bytes().to_vec();
        bytes.extend_from_slice(&gb);
        for enc in [Encoding::Auto, Encoding::Gb18030] {
            let e = decode(&bytes, enc).unwrap_err();
            assert!(
                e.contains("mixes encodings: line 2 UTF-8, line 3 not UTF-8"),
                "{e}"
            );
        }
    }

    #[test]
    fn header_english_chinese_and_repeats() {
        let (h, w) = Header::parse(&["姓名", "手机", "电话", "车牌号", "客户等级", "Fax"]).unwrap();
        assert_eq!(h.columns[1], Some(Column::Phone));
        assert_eq!(h.columns[2], Some(Column::Phone));
        assert_eq!(h.columns[3], Some(Column::Plate));
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(Header::parse(&["Name", "name"]).is_err());
        assert!(
            Header::parse(&["phone"])
                .unwrap_err()
                .contains("no name column")
        );
        assert_eq!(
            Header::parse(&[" NAME ", "Code"]).unwrap().0.columns[1],
            Some(Column::Code)
        );
    }

    #[test]
    fn rows_are_checked_like_intake() {
        let (h, _) = Header::parse(&["name", "phone", "class", "plate", "code"]).unwrap();
        let c = row(
            &h,
            &[
                "张三",
                "138 0013 8000；010-12345678",
                "A类",
                "粤b-12345",
                "",
            ],
        )
        .unwrap();
        assert_eq!(c.phones, ["13800138000", "01012345678"]);
        assert_eq!(c.plates, ["粤B12345"]);
        assert_eq!(c.class.map(|k| k.letter()), Some('A'));
        let bad = |cells: &[&str]| row(&h, cells).unwrap_err();
        assert!(bad(&["", "13800138000"]).starts_with("name: is empty"));
        assert!(bad(&["李四", "138abc"]).starts_with("phone:"));
        assert!(bad(&["李四", "13800138000", "VIP"]).starts_with("class:"));
        assert!(bad(&["李\u{1b}四", "13800138000"]).contains("control character"));
        assert!(bad(&[&"长".repeat(101), "13800138000"]).contains("too long"));
        assert!(bad(&["王五", ""]).contains("phone or a customer code"));
        assert!(bad(&["王五", "13800138000", "", "", "", "extra"]).contains("6 cells"));
        assert!(row(&h, &["王五", "", "", "", "K1"]).is_ok());
    }
}
