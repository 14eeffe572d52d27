//! Agent presence, derived from what a session does and when it last
//! beat, never typed by hand: on a call (call screen open), working (intake
//! form, customer record, note), idle (on the queue, or no key for the idle
//! threshold), away (no key for the away threshold), offline (no session, or
//! its heartbeat older than the offline limit: a killed process or a dropped
//! link turns offline by itself). Several sessions of one agent are one
//! agent: the most engaged session decides. Time is a parameter.
use serde::Serialize;

/// What a session's screen says the agent does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Activity {
    Call,
    Work,
    Queue,
}

impl Activity {
    pub fn code(self) -> &'static str {
        match self {
            Activity::Call => "call",
            Activity::Work => "work",
            Activity::Queue => "queue",
        }
    }

    pub fn parse(s: &str) -> Activity {
        match s {
            "call" => Activity::Call,
            "work" => Activity::Work,
            _ => Activity::Queue,
        }
    }
}

/// Ordered from least to most engaged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Offline,
    Away,
    Idle,
    Working,
    OnCall,
}

impl State {
    pub const ALL: [State; 5] = [
        State::OnCall,
        State::Working,
        State::Idle,
        State::Away,
        State::Offline,
    ];
}

/// The presence settings, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Thresholds {
    pub idle: i64,
    pub away: i64,
    pub offline: i64,
}

impl Thresholds {
    /// How often a session beats: three beats per offline limit, so one
    /// lost beat never turns a live agent offline.
    pub fn heartbeat(&self) -> i64 {
        (self.offline / 3).max(1)
    }
}

/// One session's row as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id: String,
    pub agent_id: i64,
    pub activity: Activity,
    /// When the activity began.
    pub since: i64,
    pub last_key_at: i64,
    pub heartbeat_at: i64,
}

/// A session's state at `now` and since when.
pub fn state(s: &Session, now: i64, t: &Thresholds) -> (State, i64) {
    if now - s.heartbeat_at > t.offline {
        return (State::Offline, s.heartbeat_at);
    }
    let quiet = now - s.last_key_at;
    match s.activity {
        // A call is a call even when nobody types (the customer talks).
        Activity::Call => (State::OnCall, s.since),
        _ if quiet >= t.away => (State::Away, s.last_key_at + t.away),
        Activity::Work if quiet >= t.idle => (State::Idle, s.last_key_at + t.idle),
        Activity::Work => (State::Working, s.since),
        Activity::Queue => (State::Idle, s.since),
    }
}

/// One agent's state over all their sessions: the most engaged one; an
/// agent with no session is offline (since: never known here).
pub fn agent_state<'a>(
    sessions: impl Iterator<Item = &'a Session>,
    now: i64,
    t: &Thresholds,
) -> Option<(State, i64)> {
    sessions
        .map(|s| state(s, now, t))
        .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))
}

/// The next instant after `now` at which any session's state changes by
/// time alone (goes idle, away or offline).
pub fn next_boundary(sessions: &[Session], now: i64, t: &Thresholds) -> Option<i64> {
    sessions
        .iter()
        .flat_map(|s| {
            [
                s.heartbeat_at + t.offline + 1,
                s.last_key_at + t.idle,
                s.last_key_at + t.away,
            ]
        })
        .filter(|b| *b > now)
        .min()
}

/// What a session writes, and when (see `ui::presence`): a state change
/// at once but at most one write per `MIN_GAP` seconds, a heartbeat every
/// [`Thresholds::heartbeat`], and a key that ends an idle spell early so
/// the wallboard sees the agent back. Bound: 60 / MIN_GAP writes a minute
/// while the screen changes constantly, 60 / heartbeat when steady.
pub const MIN_GAP: i64 = 2;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Beacon {
    pub activity: Activity,
    pub since: i64,
    pub last_key_at: i64,
    /// What was last written.
    pub written: Option<(Activity, i64, i64)>,
    pub written_at: i64,
}

impl Beacon {
    pub fn new(now: i64) -> Beacon {
        Beacon {
            activity: Activity::Queue,
            since: now,
            last_key_at: now,
            written: None,
            written_at: i64::MIN / 2,
        }
    }

    /// Notes what the screen shows and whether a key was pressed.
    pub fn observe(&mut self, activity: Activity, key: bool, now: i64) {
        if activity != self.activity {
            self.activity = activity;
            self.since = now;
        }
        if key {
            self.last_key_at = now;
        }
    }

    /// When the next write is due (`None`: never written, due now).
    pub fn due_at(&self, t: &Thresholds) -> i64 {
        let Some((act, _, key)) = self.written else {
            return i64::MIN;
        };
        let heartbeat = self.written_at + t.heartbeat();
        // A change the wallboard would show: the activity, or a key after
        // the stored one has gone idle (or soon will, within a beat).
        let changed = act != self.activity
            || (self.last_key_at > key && self.last_key_at - key >= t.idle - t.heartbeat());
        if changed {
            heartbeat.min(self.written_at + MIN_GAP)
        } else {
            heartbeat
        }
    }

    /// The row to write at `now`, if one is due; marks it written.
    pub fn take(&mut self, now: i64, t: &Thresholds) -> Option<(Activity, i64, i64)> {
        if now < self.due_at(t) {
            return None;
        }
        let row = (self.activity, self.since, self.last_key_at);
        self.written = Some(row);
        self.written_at = now;
        Some(row)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: Thresholds = Thresholds {
        idle: 300,
        away: 900,
        offline: 60,
    };

    fn s(activity: Activity, key: i64, beat: i64) -> Session {
        Session {
            id: "a".into(),
            agent_id: 1,
            activity,
            since: 0,
            last_key_at: key,
            heartbeat_at: beat,
        }
    }

    #[test]
    fn states_follow_screens_keys_and_heartbeats() {
        assert_eq!(
            state(&s(Activity::Call, 0, 1000), 1000, &T).0,
            State::OnCall
        );
        assert_eq!(
            state(&s(Activity::Work, 900, 1000), 1000, &T).0,
            State::Working
        );
        assert_eq!(
            state(&s(Activity::Work, 600, 1000), 1000, &T),
            (State::Idle, 900)
        );
        assert_eq!(
            state(&s(Activity::Queue, 990, 1000), 1000, &T).0,
            State::Idle
        );
        assert_eq!(
            state(&s(Activity::Queue, 0, 1000), 1000, &T),
            (State::Away, 900)
        );
        // A killed process stops beating: offline after the limit.
        assert_eq!(
            state(&s(Activity::Call, 0, 1000), 1060, &T).0,
            State::OnCall
        );
        assert_eq!(
            state(&s(Activity::Call, 0, 1000), 1061, &T),
            (State::Offline, 1000)
        );
    }

    #[test]
    fn two_sessions_count_as_one_agent_the_busier_one() {
        let a = s(Activity::Queue, 990, 1000);
        let b = s(Activity::Call, 990, 1000);
        let (st, _) = agent_state([&a, &b].into_iter(), 1000, &T).unwrap();
        assert_eq!(st, State::OnCall);
        assert_eq!(agent_state(std::iter::empty(), 1000, &T), None);
    }

    #[test]
    fn boundaries_are_computed() {
        let a = s(Activity::Work, 1000, 1000);
        assert_eq!(
            next_boundary(std::slice::from_ref(&a), 1000, &T),
            Some(1061)
        );
        assert_eq!(next_boundary(&[a], 1100, &T), Some(1300));
    }

    #[test]
    fn beacon_writes_are_bounded() {
        let mut b = Beacon::new(0);
        let mut writes = 0;
        for now in 0..600 {
            // The screen flips every second and a key every second.
            let act = if now % 2 == 0 {
                Activity::Work
            } else {
                Activity::Queue
            };
            b.observe(act, true, now);
            if b.take(now, &T).is_some() {
                writes += 1;
            }
        }
        // Ten minutes: at most one write per MIN_GAP seconds.
        assert!(writes <= 600 / MIN_GAP + 1, "{writes}");
        let mut b = Beacon::new(0);
        let mut steady = 0;
        for now in 0..600 {
            b.observe(Activity::Queue, false, now);
            if b.take(now, &T).is_some() {
                steady += 1;
            }
        }
        // Steady: one heartbeat per offline/3 = 20 s.
        assert_eq!(steady, 30);
    }
}
