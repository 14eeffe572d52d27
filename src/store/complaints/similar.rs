//! R5: the open complaints a new report may repeat, and the category tree
//! the intake form picks from.
use super::*;

/// An open complaint the new report may be a duplicate of (R5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Similar {
    pub id: i64,
    pub number: String,
    pub subject: String,
    pub status: String,
    pub registered_at: i64,
    pub complainant_count: i64,
    /// Why it is listed: "customer", "phone", "plate" or "address".
    pub reason: String,
}

/// What a new report is compared with (R5): the customer in hand, or a
/// new customer's phone, plate and address; the category; the subject's
/// key words (`domain::similar::subject_key`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SimilarQuery {
    pub customer: Option<i64>,
    pub phone: Option<String>,
    pub category: Option<String>,
    pub subject_key: Option<String>,
    pub plate: Option<String>,
    pub address: Option<String>,
}

/// R5: the customer's open complaints, and open complaints in the same
/// category with the same phone, plate or address, or whose subject holds
/// the subject's key words.
pub fn similar_open(c: &Connection, q: &SimilarQuery) -> Result<Vec<Similar>> {
    let (customer, phone, category, subject_key) = (
        q.customer,
        q.phone.as_deref(),
        q.category.as_deref(),
        q.subject_key.as_deref(),
    );
    let (plates, address): (String, String) = match customer {
        Some(id) => c
            .query_row(
                "SELECT plates, address FROM customers WHERE id = ?1",
                [id],
                |r| Ok((text_col(r, 0)?, text_col(r, 1)?)),
            )
            .optional()?
            .unwrap_or_default(),
        // A new customer: what the form gives.
        None => (
            q.plate.clone().unwrap_or_default(),
            q.address.clone().unwrap_or_default(),
        ),
    };
    let plate = plates.split_whitespace().next().unwrap_or("");
    let cat = match category {
        Some(k) => category_id(c, k).ok(),
        None => None,
    };
    let mut st = c.prepare_cached(
        "SELECT x.id, x.number, x.subject, x.status, x.registered_at, x.complainant_count,
                CASE WHEN x.customer_id = ?1 THEN 'customer'
                     WHEN ?2 <> '' AND x.complainant_phone = ?2 THEN 'phone'
                     WHEN ?4 <> '' AND (' ' || coalesce(cu.plates, '') || ' ') LIKE '% ' || ?4 || ' %' THEN 'plate'
                     WHEN ?5 <> '' AND x.complainant_address = ?5 THEN 'address'
                     ELSE 'subject' END
         FROM complaints x LEFT JOIN customers cu ON cu.id = x.customer_id
         WHERE x.status <> 'closed'
           AND (x.customer_id = ?1
                -- the same category, its parent or its children: a problem
                -- is often filed one level apart
                OR (x.category_id IN (SELECT id FROM categories
                                      WHERE id = ?3 OR parent_id = ?3
                                         OR id = (SELECT parent_id FROM categories WHERE id = ?3))
                    AND (
                      (?2 <> '' AND x.complainant_phone = ?2)
                   OR (?4 <> '' AND (' ' || coalesce(cu.plates, '') || ' ') LIKE '% ' || ?4 || ' %')
                   OR (?5 <> '' AND x.complainant_address = ?5)
                   OR (?6 <> '' AND instr(lower(x.subject), ?6) > 0))))
         ORDER BY x.registered_at DESC LIMIT 20",
    )?;
    let rows = st.query_map(
        params![
            customer,
            phone.unwrap_or(""),
            cat,
            plate,
            address,
            subject_key.unwrap_or("")
        ],
        |r| {
            Ok(Similar {
                id: r.get(0)?,
                number: text_col(r, 1)?,
                subject: text_col(r, 2)?,
                status: text_col(r, 3)?,
                registered_at: r.get(4)?,
                complainant_count: r.get(5)?,
                reason: text_col(r, 6)?,
            })
        },
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One category for pickers: (code, parent code, zh, en).
pub type CategoryRow = (String, Option<String>, String, String);

/// The category tree for pickers, in tree order.
pub fn categories(c: &Connection) -> Result<Vec<CategoryRow>> {
    let mut st = c.prepare_cached(
        "SELECT k.code, p.code, k.name_zh, k.name_en FROM categories k
         LEFT JOIN categories p ON p.id = k.parent_id WHERE k.active = 1 ORDER BY k.sort, k.id",
    )?;
    let rows = st.query_map([], |r| {
        Ok((
            text_col(r, 0)?,
            opt_text_col(r, 1)?,
            text_col(r, 2)?,
            text_col(r, 3)?,
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
