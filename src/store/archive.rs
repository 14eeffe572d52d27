//! The customer archive beyond intake: opening a record (R30 access, R31
//! audit entry, history), short summaries for result lists, merging
//! imported rows into existing customers, and who viewed a record.
use crate::store::{opt_text_col, text_col};
use rusqlite::{Connection, OptionalExtension, params};

use super::agents::Agent;
use super::{audit, found};
use crate::domain::customer::{self, NewCustomer};
use crate::domain::model::{CustomerClass, Role};
use crate::error::{Error, Result};

/// The longest reason an agent may type for opening a record (R31).
pub const MAX_REASON: usize = 200;

/// Why a record is opened (R31): the complaint in hand, or a typed reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    Complaint(i64),
    Reason(String),
}

/// What a result list shows of a customer (phones masked by the caller).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Summary {
    pub id: i64,
    pub code: Option<String>,
    pub name: String,
    /// First phone, normalised.
    pub phone: String,
    pub phones: usize,
    pub plate: String,
    pub company: String,
    pub address: String,
    pub class: Option<CustomerClass>,
    pub confidential: bool,
    pub last_contact_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplaintRow {
    pub id: i64,
    pub number: String,
    pub status: String,
    pub severity: String,
    pub subject: String,
    pub registered_at: i64,
    pub assignee: String,
    pub category_zh: String,
    pub category_en: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactRow {
    pub started_at: i64,
    pub inbound: bool,
    pub method: String,
    pub agent: String,
    pub outcome: String,
    pub notes: String,
    pub complaint: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallbackRow {
    pub id: i64,
    pub complaint: String,
    pub due_at: i64,
    pub purpose: String,
    pub assignee: String,
    pub assignee_role: Option<Role>,
    pub attempts: i64,
    pub max_attempts: i64,
}

/// A customer record as the customer screen shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub summary: Summary,
    pub phones: Vec<String>,
    pub plates: Vec<String>,
    pub notes: String,
    pub created_at: i64,
    pub updated_at: i64,
    /// Every complaint, newest first.
    pub complaints: Vec<ComplaintRow>,
    /// Every contact, newest first.
    pub contacts: Vec<ContactRow>,
    /// Pending callbacks, soonest first.
    pub callbacks: Vec<CallbackRow>,
    /// R30: opened for a complaint of this customer that the viewer is
    /// handling, so the phones may be shown whole.
    pub handling: bool,
    /// What the audit entry says the record was opened for.
    pub purpose: String,
}

const SUMMARY: &str = "SELECT c.id, c.code, c.name,
        coalesce((SELECT phone FROM customer_phones p WHERE p.customer_id = c.id
                  ORDER BY (phone GLOB '1*' OR phone GLOB '+861*') DESC, phone LIMIT 1), ''),
        (SELECT count(*) FROM customer_phones p WHERE p.customer_id = c.id),
        c.plates, c.company, c.address, c.class, c.confidential, c.last_contact_at
     FROM customers c WHERE c.id = ?1";

fn summary_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Summary> {
    let plates: String = text_col(r, 5)?;
    let class: String = text_col(r, 8)?;
    Ok(Summary {
        id: r.get(0)?,
        code: opt_text_col(r, 1)?,
        name: text_col(r, 2)?,
        phone: text_col(r, 3)?,
        phones: r.get::<_, i64>(4)?.max(0) as usize,
        plate: plates.split_whitespace().next().unwrap_or("").to_string(),
        company: text_col(r, 6)?,
        address: text_col(r, 7)?,
        class: class.parse().ok(),
        confidential: r.get(9)?,
        last_contact_at: r.get(10)?,
    })
}

/// Summaries of the customers with these ids that `role` may see (R30:
/// confidential customers are left out for roles below supervisor), in
/// the order given; unknown ids are skipped.
pub fn summaries(c: &Connection, ids: &[i64], role: Role) -> Result<Vec<Summary>> {
    let mut st = c.prepare_cached(SUMMARY)?;
    let mut out = Vec::with_capacity(ids.len());
    for &id in ids {
        if let Some(s) = st.query_row([id], summary_row).optional()?
            && crate::domain::privacy::may_see(role, s.confidential)
        {
            out.push(s);
        }
    }
    Ok(out)
}

/// Opens a customer record for `viewer` (R30, R31): refuses a confidential
/// customer to roles below supervisor, checks the purpose, writes the
/// audit entry, then reads the record and its history. Run it inside a
/// write transaction: the entry and the reading stand or fall together.
pub fn open(
    c: &Connection,
    id: i64,
    viewer: &Agent,
    purpose: &Purpose,
    now: i64,
) -> Result<Record> {
    let summary = found(
        c.prepare_cached(SUMMARY)?.query_row([id], summary_row),
        || format!("customer {id}"),
    )?;
    if summary.confidential {
        use crate::domain::access::{Permission, check};
        check(viewer.role, Permission::SeeConfidential)
            .map_err(|r| Error::Denied(format!("customer {id} is confidential (R30): {r}")))?;
    }
    let (text, kind, handling) = match purpose {
        Purpose::Complaint(cid) => {
            let (number, customer, assignee): (String, Option<i64>, Option<i64>) = found(
                c.prepare_cached(
                    "SELECT number, customer_id, assignee_id FROM complaints WHERE id = ?1",
                )?
                .query_row([cid], |r| Ok((text_col(r, 0)?, r.get(1)?, r.get(2)?))),
                || format!("complaint {cid}"),
            )?;
            // R31: "for this complaint" holds only for its own customer;
            // anyone else's record needs a reason.
            if customer != Some(id) {
                return Err(Error::invalid(
                    "purpose",
                    format!("complaint {number} is not about this customer: give a reason (R31)"),
                ));
            }
            let handling = assignee == Some(viewer.id);
            (number, "complaint", handling)
        }
        Purpose::Reason(r) => {
            let r = crate::text::clean_line("reason", r, MAX_REASON)?;
            if r.is_empty() {
                return Err(Error::invalid(
                    "reason",
                    "is empty: say why you open this record (R31)",
                ));
            }
            (r, "reason", false)
        }
    };
    audit::append(
        c,
        &audit::Entry {
            agent_id: Some(viewer.id),
            agent_login: &viewer.login,
            action: "view",
            entity: "customer",
            entity_id: Some(id),
            purpose: &text,
            detail: kind,
        },
        now,
    )?;
    let (plates, notes, created_at, updated_at): (String, String, i64, i64) = c
        .prepare_cached(
            "SELECT plates, notes, created_at, updated_at FROM customers WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok((text_col(r, 0)?, text_col(r, 1)?, r.get(2)?, r.get(3)?))
        })?;
    let phones = c
        .prepare_cached(
            "SELECT phone FROM customer_phones WHERE customer_id = ?1
             ORDER BY (phone GLOB '1*' OR phone GLOB '+861*') DESC, phone",
        )?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(Record {
        summary,
        phones,
        plates: plates.split_whitespace().map(str::to_string).collect(),
        notes,
        created_at,
        updated_at,
        complaints: complaints_of(c, id)?,
        contacts: contacts_of(c, id)?,
        callbacks: callbacks_of(c, id)?,
        handling,
        purpose: text,
    })
}

fn complaints_of(c: &Connection, id: i64) -> Result<Vec<ComplaintRow>> {
    let mut st = c.prepare_cached(
        "SELECT x.id, x.number, x.status, x.severity, x.subject, x.registered_at,
                coalesce(a.name, ''), k.name_zh, k.name_en
         FROM complaints x JOIN categories k ON k.id = x.category_id
         LEFT JOIN agents a ON a.id = x.assignee_id
         WHERE x.customer_id = ?1
            OR x.id IN (SELECT complaint_id FROM complaint_reports WHERE customer_id = ?1)
         ORDER BY x.registered_at DESC, x.id DESC",
    )?;
    let rows = st.query_map([id], |r| {
        Ok(ComplaintRow {
            id: r.get(0)?,
            number: text_col(r, 1)?,
            status: text_col(r, 2)?,
            severity: text_col(r, 3)?,
            subject: text_col(r, 4)?,
            registered_at: r.get(5)?,
            assignee: text_col(r, 6)?,
            category_zh: text_col(r, 7)?,
            category_en: text_col(r, 8)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn contacts_of(c: &Connection, id: i64) -> Result<Vec<ContactRow>> {
    let mut st = c.prepare_cached(
        "SELECT t.started_at, t.direction, t.method, coalesce(a.name, ''),
                coalesce(t.outcome, ''), t.notes, coalesce(x.number, '')
         FROM contacts t LEFT JOIN agents a ON a.id = t.agent_id
         LEFT JOIN complaints x ON x.id = t.complaint_id
         WHERE t.customer_id = ?1 ORDER BY t.started_at DESC, t.id DESC",
    )?;
    let rows = st.query_map([id], |r| {
        Ok(ContactRow {
            started_at: r.get(0)?,
            inbound: text_col(r, 1)? == "inbound",
            method: text_col(r, 2)?,
            agent: text_col(r, 3)?,
            outcome: text_col(r, 4)?,
            notes: text_col(r, 5)?,
            complaint: text_col(r, 6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn callbacks_of(c: &Connection, id: i64) -> Result<Vec<CallbackRow>> {
    let mut st = c.prepare_cached(
        "SELECT b.id, x.number, b.due_at, b.purpose, coalesce(a.name, ''), b.assignee_role,
                b.attempts, b.max_attempts
         FROM callbacks b JOIN complaints x ON x.id = b.complaint_id
         LEFT JOIN agents a ON a.id = b.assignee_id
         WHERE b.status = 'pending' AND (b.customer_id = ?1 OR x.customer_id = ?1)
         ORDER BY b.due_at, b.id",
    )?;
    let rows = st.query_map([id], |r| {
        Ok(CallbackRow {
            id: r.get(0)?,
            complaint: text_col(r, 1)?,
            due_at: r.get(2)?,
            purpose: text_col(r, 3)?,
            assignee: text_col(r, 4)?,
            assignee_role: opt_text_col(r, 5)?.and_then(|s| s.parse().ok()),
            attempts: r.get(6)?,
            max_attempts: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One audited opening of a record (R31).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    pub at: i64,
    pub login: String,
    pub name: String,
    pub purpose: String,
    /// "complaint" or "reason".
    pub kind: String,
}

/// Who opened customer `id`, oldest first (R31).
pub fn views(c: &Connection, id: i64) -> Result<Vec<View>> {
    let mut st = c.prepare_cached(
        "SELECT u.at, u.agent_login, coalesce(a.name, ''), u.purpose, u.detail
         FROM audit u LEFT JOIN agents a ON a.id = u.agent_id
         WHERE u.entity = 'customer' AND u.entity_id = ?1 AND u.action = 'view'
         ORDER BY u.at, u.id",
    )?;
    let rows = st.query_map([id], |r| {
        Ok(View {
            at: r.get(0)?,
            login: text_col(r, 1)?,
            name: text_col(r, 2)?,
            purpose: text_col(r, 3)?,
            kind: text_col(r, 4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn exists(c: &Connection, id: i64) -> Result<bool> {
    Ok(c.prepare_cached("SELECT 1 FROM customers WHERE id = ?1")?
        .query_row([id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// The stored code of a customer, if any.
pub fn code_of(c: &Connection, id: i64) -> Result<Option<String>> {
    Ok(
        c.prepare_cached("SELECT code FROM customers WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?
            .flatten(),
    )
}

/// Updates customer `id` with what an imported row gives: the name, the
/// address, company, class, code and notes where the row has a value, and
/// phones and plates the customer does not have yet (none are removed).
/// Returns whether anything changed; an unchanged customer is not written
/// (so its revision does not move).
pub fn merge(c: &Connection, id: i64, n: &NewCustomer, now: i64) -> Result<bool> {
    type Cur = (
        String,
        Option<String>,
        String,
        String,
        String,
        String,
        String,
    );
    let cur: Cur = found(
        c.prepare_cached(
            "SELECT name, code, address, company, class, plates, notes FROM customers WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok((
                text_col(r, 0)?,
                opt_text_col(r, 1)?,
                text_col(r, 2)?,
                text_col(r, 3)?,
                text_col(r, 4)?,
                text_col(r, 5)?,
                text_col(r, 6)?,
            ))
        }),
        || format!("customer {id}"),
    )?;
    let pick = |new: &str, old: &str| {
        if new.is_empty() {
            old.to_string()
        } else {
            new.to_string()
        }
    };
    let mut plates: Vec<String> = cur.5.split_whitespace().map(str::to_string).collect();
    for p in &n.plates {
        if !plates.contains(p) {
            plates.push(p.clone());
        }
    }
    customer::check_count("plate", plates.len(), customer::MAX_PLATES)?;
    let have: Vec<String> = c
        .prepare_cached("SELECT phone FROM customer_phones WHERE customer_id = ?1")?
        .query_map([id], |r| text_col(r, 0))?
        .collect::<rusqlite::Result<_>>()?;
    let adding = n.phones.iter().filter(|p| !have.contains(p)).count();
    customer::check_count("phone", have.len() + adding, customer::MAX_PHONES)?;
    let new = (
        n.name.clone(),
        n.code.clone().or(cur.1.clone()),
        pick(&n.address, &cur.2),
        pick(&n.company, &cur.3),
        n.class.map_or(cur.4.clone(), |k| k.code().to_string()),
        plates.join(" "),
        pick(&n.notes, &cur.6),
    );
    let mut changed = false;
    if new != cur {
        c.prepare_cached(
            "UPDATE customers SET name = ?2, code = ?3, address = ?4, company = ?5, class = ?6,
                 plates = ?7, notes = ?8, updated_at = ?9 WHERE id = ?1",
        )?
        .execute(params![
            id, new.0, new.1, new.2, new.3, new.4, new.5, new.6, now
        ])
        .map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::ConstraintViolation) => {
                Error::invalid("code", format!("customer code {:?} already exists", new.1))
            }
            _ => e.into(),
        })?;
        changed = true;
    }
    let mut st = c.prepare_cached(
        "INSERT OR IGNORE INTO customer_phones (customer_id, phone) VALUES (?1, ?2)",
    )?;
    for p in &n.phones {
        changed |= st.execute(params![id, p])? > 0;
    }
    Ok(changed)
}

/// What importing one row did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Imported {
    Added(i64),
    Updated(i64),
    Unchanged(i64),
}

/// Imports one checked row: matched to an existing customer by code, else
/// by phone (`customers::find_match`), and merged into it (see [`merge`]);
/// else added. A row whose phone belongs to a customer with a different
/// code is refused rather than guessed at.
pub fn import_row(c: &Connection, n: &NewCustomer, now: i64) -> Result<Imported> {
    let Some(id) = super::customers::find_match(c, n)? else {
        return Ok(Imported::Added(super::customers::insert(c, n, now)?));
    };
    if let (Some(new), Some(old)) = (&n.code, code_of(c, id)?)
        && *new != old
    {
        return Err(Error::invalid(
            "code",
            format!("{new:?} differs from {old:?}, the code of customer {id} who has this phone"),
        ));
    }
    Ok(if merge(c, id, n, now)? {
        Imported::Updated(id)
    } else {
        Imported::Unchanged(id)
    })
}
