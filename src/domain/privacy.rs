//! R30 in one place: who may see a confidential customer, and how much of
//! a phone number a viewer sees. Search, store, every view and the CLI ask
//! here; `domain::access` holds the role table behind it.
use super::access::{Permission, allows};
use super::model::Role;
use super::phone;

/// Whether `role` may see a customer (a confidential one only for the
/// roles `domain::access` allows).
pub fn may_see(role: Role, confidential: bool) -> bool {
    !confidential || allows(role, Permission::SeeConfidential)
}

/// Whether `role` may see customers flagged confidential at all (search
/// neither lists nor counts them otherwise).
pub fn sees_confidential(role: Role) -> bool {
    allows(role, Permission::SeeConfidential)
}

/// How much of a phone number is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneView {
    /// Lists, search results, records not being handled: `138****5678`.
    Masked,
    /// The record being handled by this viewer: `138 0013 8000`.
    Whole,
}

/// The view a viewer gets of a customer's phone: whole only in the record
/// being handled, and only when the customer is visible to them at all.
pub fn phone_view(role: Role, confidential: bool, handling: bool) -> PhoneView {
    if handling && may_see(role, confidential) {
        PhoneView::Whole
    } else {
        PhoneView::Masked
    }
}

/// A stored phone as `view` shows it.
pub fn show_phone(p: &str, view: PhoneView) -> String {
    match view {
        PhoneView::Masked => phone::mask(p),
        PhoneView::Whole => phone::display(p),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r30_whole_phone_only_when_handling_a_visible_record() {
        let p = "13800138000";
        let whole = |r, c, h| show_phone(p, phone_view(r, c, h));
        assert_eq!(whole(Role::Agent, false, true), "138 0013 8000");
        assert_eq!(whole(Role::Agent, false, false), "138****8000");
        // A confidential customer handled by an agent stays masked.
        assert_eq!(whole(Role::Agent, true, true), "138****8000");
        assert_eq!(whole(Role::Supervisor, true, true), "138 0013 8000");
    }

    #[test]
    fn r30_confidential_customers_only_for_roles_allowed() {
        assert!(may_see(Role::Agent, false));
        assert!(!may_see(Role::Agent, true));
        assert!(may_see(Role::Supervisor, true));
        assert!(!sees_confidential(Role::Agent) && sees_confidential(Role::Admin));
    }
}
