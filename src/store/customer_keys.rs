//! What the customer search index (`crate::search`) reads: every customer's
//! keys in pages by id for the first build, then what changed since a
//! revision (migration 2: `customers.rev` and `customer_rev`, kept by
//! triggers in commit order). Each page is its own short read transaction,
//! so building the index never holds a snapshot for long.
use crate::store::{opt_text_col, text_col};
use rusqlite::{Connection, Row, params};

use crate::domain::customer_keys::CustomerKeys;
use crate::error::Result;

/// The columns `keys` reads (a macro, so that queries are `concat!`ed
/// constants: no value ever reaches SQL but through a bound parameter).
macro_rules! columns {
    () => {
        concat!(
            own_columns!(),
            ", coalesce((SELECT group_concat(phone, ' ') FROM customer_phones p
                          WHERE p.customer_id = c.id), '')
             FROM customers c "
        )
    };
}

/// The customer's own columns, without its phones (`keys_without_phones`).
macro_rules! own_columns {
    () => {
        "SELECT c.id, c.name, c.plates, c.code, c.company, c.address, c.class,
                c.confidential, coalesce(c.last_contact_at, 0), c.rev"
    };
}

fn keys_without_phones(r: &Row<'_>) -> rusqlite::Result<(CustomerKeys, i64)> {
    let plates: String = text_col(r, 2)?;
    let class: String = text_col(r, 6)?;
    Ok((
        CustomerKeys {
            id: r.get(0)?,
            name: text_col(r, 1)?,
            plates: plates.split_whitespace().map(str::to_string).collect(),
            code: opt_text_col(r, 3)?,
            company: text_col(r, 4)?,
            address: text_col(r, 5)?,
            class: class.chars().next().map_or('C', |c| c.to_ascii_uppercase()),
            confidential: r.get(7)?,
            last_contact: r.get(8)?,
            phones: Vec::new(),
        },
        r.get(9)?,
    ))
}

fn keys(r: &Row<'_>) -> rusqlite::Result<(CustomerKeys, i64)> {
    let (mut k, rev) = keys_without_phones(r)?;
    let phones: String = text_col(r, 10)?;
    k.phones = phones.split_whitespace().map(str::to_string).collect();
    Ok((k, rev))
}

/// The latest revision: every change so far has one at most this high.
pub fn revision(c: &Connection) -> Result<i64> {
    Ok(
        c.prepare_cached("SELECT rev FROM customer_rev WHERE id = 1")?
            .query_row([], |r| r.get(0))?,
    )
}

/// Which database this is: its `application_id` and the random identity
/// of migration 3 (what the search index snapshot is checked against).
pub fn identity(c: &Connection) -> Result<(i64, [u8; 16])> {
    let app: i64 = c.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    let uuid: Vec<u8> = c
        .prepare_cached("SELECT uuid FROM db_identity WHERE id = 1")?
        .query_row([], |r| r.get(0))?;
    let mut id = [0u8; 16];
    if uuid.len() == id.len() {
        id.copy_from_slice(&uuid);
    }
    Ok((app, id))
}

pub fn count(c: &Connection) -> Result<i64> {
    Ok(c.prepare_cached("SELECT count(*) FROM customers")?
        .query_row([], |r| r.get(0))?)
}

/// Up to `limit` customers with an id from `from` to `last`, by id (one
/// stretch of ids of a build that reads several at once).
///
/// The phones of the page are read in one walk of their index (in the
/// order `columns!`'s `group_concat` reads them), not one look-up per
/// customer: a third of the page's time at 1M.
pub fn page_upto(c: &Connection, from: i64, last: i64, limit: usize) -> Result<Vec<CustomerKeys>> {
    let mut st = c.prepare_cached(concat!(
        own_columns!(),
        " FROM customers c WHERE c.id >= ?1 AND c.id <= ?2 ORDER BY c.id LIMIT ?3"
    ))?;
    let mut page: Vec<CustomerKeys> = st
        .query_map(params![from, last, limit as i64], keys_without_phones)?
        .map(|r| r.map(|(k, _)| k))
        .collect::<rusqlite::Result<_>>()?;
    let (Some(first), Some(end)) = (page.first().map(|k| k.id), page.last().map(|k| k.id)) else {
        return Ok(page);
    };
    let mut st = c.prepare_cached(
        "SELECT customer_id, phone FROM customer_phones
         WHERE customer_id >= ?1 AND customer_id <= ?2 ORDER BY customer_id, phone",
    )?;
    let mut rows = st.query(params![first, end])?;
    let mut at = 0;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        while page.get(at).is_some_and(|k| k.id < id) {
            at += 1;
        }
        if let Some(k) = page.get_mut(at).filter(|k| k.id == id) {
            let phone: String = text_col(r, 1)?;
            k.phones
                .extend(phone.split_whitespace().map(str::to_string));
        }
    }
    Ok(page)
}

/// The lowest and highest customer id (`None` without customers).
pub fn id_range(c: &Connection) -> Result<Option<(i64, i64)>> {
    let r: (Option<i64>, Option<i64>) = c
        .prepare_cached("SELECT min(id), max(id) FROM customers")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(r.0.zip(r.1))
}

/// One change after a revision, in revision order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Upsert(Box<CustomerKeys>),
    Removed(i64),
}

/// Up to `limit` changes since revision `rev`, oldest first, each with its
/// revision. Call again from the last revision while a full page comes
/// back.
///
/// The customer holding revision `rev` itself is read again: a phone added
/// to the customer that holds the latest revision does not move it (see
/// migration 2), so that row may have changed since it was read. Callers
/// skip it when it is unchanged.
pub fn changes(c: &Connection, rev: i64, limit: usize) -> Result<Vec<(i64, Change)>> {
    let mut st = c.prepare_cached(concat!(
        columns!(),
        "WHERE c.rev >= ?1 ORDER BY c.rev LIMIT ?2"
    ))?;
    let mut out: Vec<(i64, Change)> = st
        .query_map(params![rev, limit as i64], keys)?
        .map(|r| r.map(|(k, at)| (at, Change::Upsert(Box::new(k)))))
        .collect::<rusqlite::Result<_>>()?;
    let mut st = c.prepare_cached(
        "SELECT id, rev FROM customers_removed WHERE rev > ?1 ORDER BY rev LIMIT ?2",
    )?;
    let removed = st
        .query_map(params![rev, limit as i64], |r| {
            Ok((r.get::<_, i64>(1)?, Change::Removed(r.get(0)?)))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    // A list cut by the limit is complete only up to its last revision.
    let last_if_full = |v: &[(i64, Change)]| {
        if v.len() >= limit {
            v.last().map_or(i64::MAX, |x| x.0)
        } else {
            i64::MAX
        }
    };
    let cut = last_if_full(&out).min(last_if_full(&removed));
    out.extend(removed);
    out.retain(|x| x.0 <= cut);
    out.sort_by_key(|x| x.0);
    Ok(out)
}
