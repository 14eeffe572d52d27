//! The complaint state machine: new → in progress → resolved → closed, with
//! reopen. An illegal transition is an error, never a silent no-op.
use super::model::Status;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    /// Work begins (first response, R9).
    Start,
    /// A solution is given (R10); allowed from `New` for on-the-spot fixes (R22).
    Resolve,
    /// Closed after a satisfied callback or auto-close (R11, R22, R23).
    Close,
    /// The customer is not satisfied or the problem came back (R23).
    Reopen,
}

impl Transition {
    pub fn code(self) -> &'static str {
        match self {
            Transition::Start => "start",
            Transition::Resolve => "resolve",
            Transition::Close => "close",
            Transition::Reopen => "reopen",
        }
    }
}

/// Returns the state after `t`, or an error that says why it is not allowed.
pub fn apply(from: Status, t: Transition) -> Result<Status, String> {
    use Status::*;
    use Transition::*;
    match (from, t) {
        (New, Start) => Ok(InProgress),
        (New | InProgress, Resolve) => Ok(Resolved),
        (Resolved, Close) => Ok(Closed),
        (Resolved | Closed, Reopen) => Ok(InProgress),
        _ => Err(format!(
            "cannot {} a complaint that is {}",
            t.code(),
            from.code()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Status::*;
    use Transition::*;

    #[test]
    fn the_happy_path() {
        let s = apply(New, Start).unwrap();
        let s = apply(s, Resolve).unwrap();
        assert_eq!(apply(s, Close).unwrap(), Closed);
    }

    #[test]
    fn reopen_from_resolved_and_closed_only() {
        assert_eq!(apply(Resolved, Reopen).unwrap(), InProgress);
        assert_eq!(apply(Closed, Reopen).unwrap(), InProgress);
        assert!(apply(New, Reopen).is_err());
        assert!(apply(InProgress, Reopen).is_err());
    }

    #[test]
    fn illegal_transitions_are_errors() {
        for (from, t) in [
            (New, Close),
            (InProgress, Close),
            (InProgress, Start),
            (Closed, Start),
            (Closed, Resolve),
            (Resolved, Resolve),
            (Closed, Close),
            (Resolved, Start),
        ] {
            let e = apply(from, t).unwrap_err();
            assert!(e.contains(t.code()) && e.contains(from.code()), "{e}");
        }
    }
}
