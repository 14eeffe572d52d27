//! The plain enums of the records (shared/SPEC.md "Records"), each with the
//! stable code stored in the database and accepted on the command line.
use std::fmt;
use std::str::FromStr;

/// Declares an enum whose variants have stable text codes.
macro_rules! code_enum {
    ($(#[$m:meta])* $name:ident, $what:literal { $($v:ident = $code:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($v),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$v),+];
            pub fn code(self) -> &'static str {
                match self { $($name::$v => $code),+ }
            }
        }
        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                let t = s.trim().to_ascii_lowercase();
                $(if t == $code { return Ok($name::$v); })+
                let all: Vec<&str> = $name::ALL.iter().map(|v| v.code()).collect();
                Err(format!("unknown {} {:?} (expected one of: {})", $what, s, all.join(", ")))
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.code()) }
        }
    };
}

code_enum!(
    /// R2: where a complaint came in.
    Channel, "channel" {
        Phone = "phone", Email = "email", Web = "web", Letter = "letter",
        Visit = "visit", Social = "social", Transfer = "transfer",
    }
);

code_enum!(
    /// R4: ordered, so `Major > Important > General`.
    Severity, "severity" { General = "general", Important = "important", Major = "major" }
);

code_enum!(
    /// The complaint state machine's states (see `domain::status`).
    Status, "status" { New = "new", InProgress = "in_progress", Resolved = "resolved", Closed = "closed" }
);

code_enum!(
    /// Ordered by authority: `Admin > Manager > Supervisor > Agent`.
    Role, "role" { Agent = "agent", Supervisor = "supervisor", Manager = "manager", Admin = "admin" }
);

code_enum!(
    /// Customer class; A customers go first at equal urgency (R6).
    CustomerClass, "customer class" { A = "a", B = "b", C = "c", D = "d" }
);

code_enum!(
    /// R19 and R21: why a callback is made.
    CallbackPurpose, "callback purpose" { Survey = "survey", FollowUp = "follow_up", Retry = "retry" }
);

code_enum!(
    /// Callback life cycle (R20).
    CallbackStatus, "callback status" { Pending = "pending", Done = "done", Failed = "failed", Cancelled = "cancelled" }
);

code_enum!(
    /// R24: how a callback was made.
    ContactMethod, "contact method" { Phone = "phone", Visit = "visit", Message = "message" }
);

impl Status {
    pub fn is_open(self) -> bool {
        !matches!(self, Status::Closed)
    }
}

impl CustomerClass {
    pub fn letter(self) -> char {
        match self {
            CustomerClass::A => 'A',
            CustomerClass::B => 'B',
            CustomerClass::C => 'C',
            CustomerClass::D => 'D',
        }
    }
}

impl Channel {
    /// R9: written channels get the longer first-response target.
    pub fn is_written(self) -> bool {
        matches!(self, Channel::Email | Channel::Web | Channel::Letter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_errors_list_choices() {
        for c in Channel::ALL {
            assert_eq!(c.code().parse::<Channel>().unwrap(), *c);
        }
        assert_eq!(" Phone ".parse::<Channel>().unwrap(), Channel::Phone);
        let e = "fax".parse::<Channel>().unwrap_err();
        assert!(
            e.contains("unknown channel \"fax\"") && e.contains("social"),
            "{e}"
        );
    }

    #[test]
    fn orders_match_the_rules() {
        assert!(Severity::Major > Severity::Important && Severity::Important > Severity::General);
        assert!(Role::Admin > Role::Manager && Role::Supervisor > Role::Agent);
    }
}
