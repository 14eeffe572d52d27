//! R4: severity, what makes a complaint major, and who may change it.
use super::model::{Role, Severity};

/// The R4 reasons that make a complaint major whatever the agent picked.
pub const MAJOR_REASONS: &[&str] = &[
    "repeat",     // a repeat complaint about the same problem
    "regulator",  // also sent to the manufacturer or a regulator
    "media",      // media exposure
    "group",      // a group complaint
    "threat",     // threats or disruption on site
    "high_value", // refund/replacement of a high-value item demanded
];

/// Severity at registration: the requested one, raised to major when any R4
/// reason applies. Unknown reasons are an error naming the reason.
pub fn at_intake(requested: Severity, reasons: &[String]) -> Result<Severity, String> {
    for r in reasons {
        if !MAJOR_REASONS.contains(&r.as_str()) {
            return Err(format!(
                "unknown major reason {:?} (expected one of: {})",
                r,
                MAJOR_REASONS.join(", ")
            ));
        }
    }
    Ok(if reasons.is_empty() {
        requested
    } else {
        Severity::Major
    })
}

/// R4: anyone may raise severity; lowering it is a supervisor's decision.
pub fn may_change(role: Role, from: Severity, to: Severity) -> Result<(), String> {
    if from == to {
        return Err(format!("severity is already {}", to.code()));
    }
    if to < from {
        super::access::check(role, super::access::Permission::LowerSeverity)
            .map_err(|r| format!("{r} (R4)"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r4_agent_may_raise_but_not_lower() {
        assert!(may_change(Role::Agent, Severity::General, Severity::Major).is_ok());
        assert!(may_change(Role::Agent, Severity::Important, Severity::Major).is_ok());
        assert!(may_change(Role::Agent, Severity::Major, Severity::General).is_err());
        assert!(may_change(Role::Supervisor, Severity::Major, Severity::General).is_ok());
        assert!(may_change(Role::Manager, Severity::Important, Severity::General).is_ok());
        assert!(may_change(Role::Agent, Severity::General, Severity::General).is_err());
    }

    #[test]
    fn r4_any_reason_makes_it_major() {
        for r in MAJOR_REASONS {
            assert_eq!(
                at_intake(Severity::General, &[r.to_string()]).unwrap(),
                Severity::Major
            );
        }
        assert_eq!(
            at_intake(Severity::Important, &[]).unwrap(),
            Severity::Important
        );
        assert!(at_intake(Severity::General, &["weather".into()]).is_err());
    }
}
