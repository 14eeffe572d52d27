//! R25: survey answers and the score out of 100.

/// One answer on the four-point scale (or a 1-5 scale, see `from_five`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Answer {
    Poor,
    Fair,
    Good,
    VeryGood,
}

impl Answer {
    pub const ALL: [Answer; 4] = [Answer::Poor, Answer::Fair, Answer::Good, Answer::VeryGood];

    /// Points out of 100 for one answer.
    pub fn points(self) -> u32 {
        match self {
            Answer::Poor => 0,
            Answer::Fair => 60,
            Answer::Good => 80,
            Answer::VeryGood => 100,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Answer::Poor => "poor",
            Answer::Fair => "fair",
            Answer::Good => "good",
            Answer::VeryGood => "very_good",
        }
    }

    /// The keys 1-4 on the survey screen.
    pub fn from_key(c: char) -> Option<Answer> {
        match c {
            '1' => Some(Answer::Poor),
            '2' => Some(Answer::Fair),
            '3' => Some(Answer::Good),
            '4' => Some(Answer::VeryGood),
            _ => None,
        }
    }

    /// A 1-5 rating: 1 poor, 2-3 fair, 4 good, 5 very good.
    pub fn from_five(n: u8) -> Option<Answer> {
        match n {
            1 => Some(Answer::Poor),
            2 | 3 => Some(Answer::Fair),
            4 => Some(Answer::Good),
            5 => Some(Answer::VeryGood),
            _ => None,
        }
    }
}

/// The survey score out of 100: the mean of the answers' points, rounded.
pub fn score(answers: &[Answer]) -> Option<u32> {
    if answers.is_empty() {
        return None;
    }
    let sum: u32 = answers.iter().map(|a| a.points()).sum();
    Some((sum + answers.len() as u32 / 2) / answers.len() as u32)
}

/// R25: "fair or better" counts as satisfied.
pub fn is_satisfied(score: u32) -> bool {
    score >= Answer::Fair.points()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r25_score_out_of_100_and_fair_is_satisfied() {
        assert_eq!(score(&[Answer::VeryGood, Answer::VeryGood]), Some(100));
        assert_eq!(
            score(&[Answer::Good, Answer::VeryGood, Answer::Fair]),
            Some(80)
        );
        assert_eq!(score(&[Answer::Poor, Answer::VeryGood]), Some(50));
        assert_eq!(score(&[]), None);
        assert!(is_satisfied(score(&[Answer::Fair]).unwrap()));
        assert!(!is_satisfied(score(&[Answer::Poor, Answer::Good]).unwrap()));
    }

    #[test]
    fn r25_keys_and_five_point_scale() {
        assert_eq!(Answer::from_key('1'), Some(Answer::Poor));
        assert_eq!(Answer::from_key('4'), Some(Answer::VeryGood));
        assert_eq!(Answer::from_key('5'), None);
        assert_eq!(Answer::from_five(3), Some(Answer::Fair));
        assert_eq!(Answer::from_five(0), None);
    }
}
