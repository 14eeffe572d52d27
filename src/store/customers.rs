//! Customer archive records.
use rusqlite::{Connection, OptionalExtension, params};

use crate::domain::customer::NewCustomer;
use crate::domain::model::CustomerClass;
use crate::error::{Error, Result};

pub fn insert(c: &Connection, n: &NewCustomer, now: i64) -> Result<i64> {
    c.prepare_cached(
        "INSERT INTO customers (code, name, address, company, class, plates, notes, confidential,
                                created_at, updated_at, rev)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, (SELECT rev + 1 FROM customer_rev))",
    )?
    .execute(params![
        n.code,
        n.name,
        n.address,
        n.company,
        n.class.unwrap_or(CustomerClass::C).code(),
        n.plates.join(" "),
        n.notes,
        n.confidential,
        now
    ])
    .map_err(|e| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ConstraintViolation) => {
            Error::invalid("code", format!("customer code {:?} already exists", n.code))
        }
        _ => e.into(),
    })?;
    let id = c.last_insert_rowid();
    let mut st = c.prepare_cached(
        "INSERT OR IGNORE INTO customer_phones (customer_id, phone) VALUES (?1, ?2)",
    )?;
    for p in &n.phones {
        st.execute(params![id, p])?;
    }
    Ok(id)
}

/// Every customer owning one of these normalised phones, by id (through
/// the `customer_phones` primary key: no scan, no search index).
pub fn owning_phones(c: &Connection, phones: &[String]) -> Result<Vec<i64>> {
    let mut st = c.prepare_cached("SELECT customer_id FROM customer_phones WHERE phone = ?1")?;
    let mut ids = Vec::new();
    for p in phones {
        for id in st.query_map([p], |r| r.get(0))? {
            ids.push(id?);
        }
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// The oldest customer with this normalised phone, if any.
pub fn find_by_phone(c: &Connection, phone: &str) -> Result<Option<i64>> {
    Ok(
        c.prepare_cached("SELECT min(customer_id) FROM customer_phones WHERE phone = ?1")?
            .query_row([phone], |r| r.get(0))
            .optional()?
            .flatten(),
    )
}

pub fn find_by_code(c: &Connection, code: &str) -> Result<Option<i64>> {
    Ok(
        c.prepare_cached("SELECT id FROM customers WHERE code = ?1")?
            .query_row([code], |r| r.get(0))
            .optional()?,
    )
}

/// Matches a customer as entered to the archive: by code, else by any of
/// its phones.
///
/// Every key must lead to the same customer: a code of one customer with a
/// phone of another (or phones of two customers) is refused, never merged,
/// so no import or intake can rename one customer with another's phone
/// (confidential or not). The message names neither customer's data.
pub fn find_match(c: &Connection, n: &NewCustomer) -> Result<Option<i64>> {
    let by_code = match &n.code {
        Some(code) => find_by_code(c, code)?,
        None => None,
    };
    let mut found = by_code;
    for p in &n.phones {
        match (found, find_by_phone(c, p)?) {
            (Some(a), Some(b)) if a != b => {
                let other = if by_code.is_some() {
                    "the customer with this code"
                } else {
                    "the customer with the other phones"
                };
                return Err(Error::invalid(
                    "phone",
                    format!(
                        "{} belongs to another customer than {other}; refused rather than merged",
                        crate::domain::privacy::show_phone(
                            p,
                            crate::domain::privacy::PhoneView::Masked
                        )
                    ),
                ));
            }
            (None, b @ Some(_)) => found = b,
            _ => {}
        }
    }
    Ok(found)
}

/// Name, first phone and address, as a complaint's complainant snapshot.
pub fn contact_snapshot(c: &Connection, id: i64) -> Result<Option<(String, String, String)>> {
    Ok(c.prepare_cached(
        "SELECT name, coalesce((SELECT phone FROM customer_phones WHERE customer_id = c.id
                                    ORDER BY phone LIMIT 1), ''), address
             FROM customers c WHERE id = ?1",
    )?
    .query_row([id], |r| {
        Ok((
            super::text_col(r, 0)?,
            super::text_col(r, 1)?,
            super::text_col(r, 2)?,
        ))
    })
    .optional()?)
}
