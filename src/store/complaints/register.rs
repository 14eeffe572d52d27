//! R1: registering a complaint whole; R5: a duplicate report attached to
//! the open complaint it repeats.
use super::*;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registered {
    pub id: i64,
    pub number: String,
    /// R5: the report was attached to an existing complaint.
    pub attached: bool,
}

/// R1: registers a complaint whole, inside the caller's write transaction,
/// or (R5, `duplicate_of`) attaches the report to an open complaint.
pub fn register(
    c: &Connection,
    nc: &NewComplaint,
    by: Actor,
    s: &Settings,
    now: i64,
) -> Result<Registered> {
    let now = instant(now);
    crate::domain::intake::check_received_at(
        nc.received_at,
        now,
        instant(crate::store::settings::db_created(c)?),
        s.intake_backfill_days,
    )?;
    let (customer_id, name, phone, address) = resolve_complainant(c, &nc.complainant, now)?;
    if let Some(target) = &nc.duplicate_of {
        let id = found(
            c.query_row(
                "SELECT id FROM complaints WHERE number = ?1",
                [target],
                |r| r.get(0),
            ),
            || format!("complaint {target}"),
        )
        .map_err(|_| Error::invalid("duplicate_of", format!("no complaint {target}")))?;
        attach_report(c, id, nc, customer_id, (&name, &phone), by, now)?;
        return Ok(Registered {
            id,
            number: target.clone(),
            attached: true,
        });
    }
    let category = category_id(c, &nc.category)?;
    let day = s.calendar.local_date(now);
    let seq: i64 = c
        .prepare_cached(
            "INSERT INTO number_seq (day, last) VALUES (?1, 1)
             ON CONFLICT(day) DO UPDATE SET last = last + 1 RETURNING last",
        )?
        .query_row([number::day_key(day)], |r| r.get(0))?;
    let no = number::format(day, seq);
    let pct = s.at_risk_percent;
    let cal = &s.calendar;
    let fr = sla::clock(
        s.first_response_target(nc.channel),
        nc.received_at,
        cal,
        pct,
    );
    let sol = sla::clock(s.solution, now, cal, pct);
    let close = sla::clock(s.close, now, cal, pct);
    let ack: Option<Clock> =
        (nc.severity == Severity::Major).then(|| sla::clock(s.major_report, now, cal, pct));
    // R22: no callback for anonymous, no usable contact, or sensitive.
    let no_callback = customer_id.is_none() || phone.is_empty() || nc.sensitive;
    c.prepare_cached(
        "INSERT INTO complaints (number, customer_id, anonymous, complainant_name, complainant_phone,
            complainant_address, channel, category_id, severity, major_reasons, status, subject,
            description, sensitive, no_callback, received_at, registered_at, registered_by,
            updated_at, fr_risk, fr_due, sol_risk, sol_due, close_risk, close_due, ack_risk, ack_due)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'new', ?11, ?12, ?13, ?14, ?15, ?16, ?17,
            ?16, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25)",
    )?
    .execute(params![
        no,
        customer_id,
        matches!(nc.complainant, Complainant::Anonymous),
        name,
        phone,
        address,
        nc.channel.code(),
        category,
        nc.severity.code(),
        nc.major_reasons.join(","),
        nc.subject,
        nc.description,
        nc.sensitive,
        no_callback,
        ts(nc.received_at),
        ts(now),
        by.id,
        ts(fr.risk_at),
        ts(fr.due),
        ts(sol.risk_at),
        ts(sol.due),
        ts(close.risk_at),
        ts(close.due),
        ack.map(|a| ts(a.risk_at)),
        ack.map(|a| ts(a.due)),
    ])?;
    let id = c.last_insert_rowid();
    insert_report(c, id, nc, customer_id, (&name, &phone), by)?;
    event(
        c,
        id,
        ts(now),
        by.id,
        "registered",
        (None, Some(nc.channel.code())),
        "",
    )?;
    Ok(Registered {
        id,
        number: no,
        attached: false,
    })
}

type Snapshot = (Option<i64>, String, String, String);

fn resolve_complainant(c: &Connection, who: &Complainant, now: DateTime<Utc>) -> Result<Snapshot> {
    let id = match who {
        Complainant::Anonymous => return Ok((None, String::new(), String::new(), String::new())),
        Complainant::Existing(id) => *id,
        Complainant::Customer(n) => match customers::find_match(c, n)? {
            Some(id) => id,
            None => customers::insert(c, n, ts(now))?,
        },
    };
    let (name, phone, address) = customers::contact_snapshot(c, id)?
        .ok_or_else(|| Error::invalid("customer_id", format!("no customer with id {id}")))?;
    Ok((Some(id), name, phone, address))
}

fn insert_report(
    c: &Connection,
    complaint: i64,
    nc: &NewComplaint,
    customer: Option<i64>,
    (name, phone): (&str, &str),
    by: Actor,
) -> Result<()> {
    let content = if nc.description.is_empty() {
        &nc.subject
    } else {
        &nc.description
    };
    c.prepare_cached(
        "INSERT INTO complaint_reports (complaint_id, received_at, channel, customer_id,
            complainant_name, complainant_phone, content, agent_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        complaint,
        ts(nc.received_at),
        nc.channel.code(),
        customer,
        name,
        phone,
        content,
        by.id
    ])?;
    Ok(())
}

/// R5: the same problem raised again is one complaint. The report keeps its
/// own time and channel; the complainant count goes up by one.
fn attach_report(
    c: &Connection,
    id: i64,
    nc: &NewComplaint,
    customer: Option<i64>,
    contact: (&str, &str),
    by: Actor,
    now: DateTime<Utc>,
) -> Result<()> {
    let st: String = c.query_row("SELECT status FROM complaints WHERE id = ?1", [id], |r| {
        r.get(0)
    })?;
    if st == Status::Closed.code() {
        return Err(Error::invalid(
            "duplicate_of",
            "that complaint is closed; register a new one (it counts as a repeat, R4)",
        ));
    }
    insert_report(c, id, nc, customer, contact, by)?;
    let count: i64 = c.query_row(
        "UPDATE complaints SET complainant_count = complainant_count + 1, updated_at = ?2,
             version = version + 1 WHERE id = ?1 RETURNING complainant_count",
        params![id, ts(now)],
        |r| r.get(0),
    )?;
    let note = format!("{} {}", nc.channel.code(), nc.received_at.to_rfc3339());
    event(
        c,
        id,
        ts(now),
        by.id,
        "report_attached",
        (Some(&(count - 1).to_string()), Some(&count.to_string())),
        &note,
    )
}
