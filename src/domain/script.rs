//! R15-R16: the handling steps and standard scripts. Placeholders such as
//! `{customer_name}` are filled from the record in front of the agent; a
//! value that is missing shows as a visible marker, never as a gap.

/// Every placeholder a script may use.
pub const PLACEHOLDERS: &[&str] = &[
    "customer_name",
    "agent_name",
    "agent_id",
    "complaint_no",
    "due_date",
    "center_name",
    "category",
    "today",
];

/// Script kinds (R16), in the order the call screen cycles through them.
pub const KINDS: &[&str] = &[
    "greeting", "intake", "apology", "solution", "survey", "closing", "faq",
];

/// R15: the standard handling steps, shown as the outline of every call.
pub const STEPS_ZH: &[&str] = &[
    "倾听并记录",
    "安抚并致歉",
    "处理或转交",
    "告知后续与时限",
    "记入客户档案",
];
pub const STEPS_EN: &[&str] = &[
    "Listen and record",
    "Calm and apologize",
    "Act or route",
    "Say what happens, when",
    "Record in history",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    Value(String),
    /// A placeholder with no value for this record.
    Missing(String),
}

/// Names of the placeholders used in `body`, or an error for an unclosed
/// brace. `{{` and `}}` stand for literal braces.
pub fn placeholders(body: &str) -> Result<Vec<String>, String> {
    Ok(pieces(body, &|_| None)?
        .into_iter()
        .filter_map(|p| match p {
            Piece::Missing(n) => Some(n),
            _ => None,
        })
        .collect())
}

/// Fills `body`; `value(name)` gives the value for one placeholder.
pub fn fill(body: &str, value: &dyn Fn(&str) -> Option<String>) -> Vec<Piece> {
    // An unclosed brace was refused at import; show it as text if present.
    pieces(body, value).unwrap_or_else(|_| vec![Piece::Text(body.to_string())])
}

fn pieces(body: &str, value: &dyn Fn(&str) -> Option<String>) -> Result<Vec<Piece>, String> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                text.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                text.push('}');
            }
            '{' => {
                let mut name = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(c) => name.push(c),
                        None => return Err(format!("unclosed placeholder {{{name}")),
                    }
                }
                if !text.is_empty() {
                    out.push(Piece::Text(std::mem::take(&mut text)));
                }
                let name = name.trim().to_string();
                match value(&name).filter(|v| !v.trim().is_empty()) {
                    Some(v) => out.push(Piece::Value(v)),
                    None => out.push(Piece::Missing(name)),
                }
            }
            c => text.push(c),
        }
    }
    if !text.is_empty() {
        out.push(Piece::Text(text));
    }
    Ok(out)
}

/// Checks one script body: every placeholder known.
pub fn check_body(body: &str) -> Result<(), String> {
    if body.trim().is_empty() {
        return Err("the body is empty".into());
    }
    for name in placeholders(body)? {
        if !PLACEHOLDERS.contains(&name.as_str()) {
            return Err(format!(
                "unknown placeholder {{{name}}} (known: {})",
                PLACEHOLDERS.join(", ")
            ));
        }
    }
    Ok(())
}

/// The default scripts: (id, kind, zh title, zh body, en title, en body),
/// in the wording hotlines use.
pub const DEFAULTS: &[(&str, &str, &str, &str, &str, &str)] = &[
    (
        "greeting",
        "greeting",
        "开场白",
        "您好，{center_name}，工号{agent_id}，很高兴为您服务，请问有什么可以帮您？",
        "Greeting",
        "Hello, {center_name}, agent number {agent_id} speaking. How may I help you today?",
    ),
    (
        "intake",
        "intake",
        "受理确认",
        "{customer_name}，您反映的问题我已详细记录，受理编号是{complaint_no}。我们会在{due_date}前给您答复，请保持电话畅通。",
        "Intake",
        "{customer_name}, I have recorded your complaint in full; the reference number is {complaint_no}. We will get back to you by {due_date}; please keep your phone reachable.",
    ),
    (
        "apology",
        "apology",
        "致歉安抚",
        "非常抱歉给您带来了不便，我非常理解您的心情。请您放心，这件事我们一定会认真处理，给您一个满意的答复。",
        "Apology",
        "I am very sorry for the trouble this has caused you, and I understand how you feel. Please be assured that we will take this seriously and come back to you with a proper answer.",
    ),
    (
        "solution",
        "solution",
        "解决方案",
        "{customer_name}，关于您反映的问题（编号{complaint_no}），我们的处理方案如下，您看这样处理可以吗？",
        "Solution",
        "{customer_name}, about your complaint {complaint_no}, this is what we propose to do. Would that work for you?",
    ),
    (
        "survey",
        "survey",
        "满意度回访",
        "{customer_name}您好，我是{center_name}的客服{agent_name}。您之前反映的问题（编号{complaint_no}）已经处理完毕，想占用您一分钟时间做个回访，请问现在方便吗？",
        "Satisfaction survey",
        "Hello {customer_name}, this is {agent_name} from {center_name}. Your complaint {complaint_no} has been dealt with; may I take one minute to ask how satisfied you are?",
    ),
    (
        "closing",
        "closing",
        "结束语",
        "感谢您的来电，如有其他问题欢迎随时联系我们。祝您生活愉快，再见！",
        "Closing",
        "Thank you for calling. If anything else comes up, please contact us at any time. Have a good day, goodbye.",
    ),
    (
        "faq_refund",
        "faq",
        "统一答复：退款时限",
        "退款在审核通过后7个工作日内按原支付渠道退回，到账时间以银行为准。",
        "Unified reply: refund time",
        "Refunds go back to the original payment method within 7 working days of approval; the bank decides when it shows on your account.",
    ),
    (
        "faq_repair",
        "faq",
        "统一答复：上门维修",
        "维修工程师会在24小时内与您联系，预约上门时间，上门服务不收取额外费用。",
        "Unified reply: home repair",
        "A repair engineer will contact you within 24 hours to arrange a visit; home visits cost nothing extra.",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn values(name: &str) -> Option<String> {
        match name {
            "customer_name" => Some("张三".into()),
            "agent_id" => Some("1024".into()),
            "complaint_no" => Some("C20261122-0007".into()),
            "due_date" => Some(String::new()), // empty counts as missing
            _ => None,
        }
    }

    #[test]
    fn r16_placeholders_are_filled_and_missing_ones_show() {
        let p = fill(
            "{customer_name}您好，工号{agent_id}，编号{complaint_no}，{due_date}前答复。",
            &values,
        );
        assert_eq!(
            p,
            vec![
                Piece::Value("张三".into()),
                Piece::Text("您好，工号".into()),
                Piece::Value("1024".into()),
                Piece::Text("，编号".into()),
                Piece::Value("C20261122-0007".into()),
                Piece::Text("，".into()),
                Piece::Missing("due_date".into()),
                Piece::Text("前答复。".into()),
            ]
        );
    }

    #[test]
    fn r16_literal_braces_and_errors() {
        assert_eq!(
            fill("a {{b}} c", &values),
            vec![Piece::Text("a {b} c".into())]
        );
        assert!(
            check_body("hi {customer_nam}")
                .unwrap_err()
                .contains("unknown placeholder {customer_nam}")
        );
        assert!(
            check_body("hi {customer_name")
                .unwrap_err()
                .contains("unclosed")
        );
        assert!(check_body("  ").is_err());
    }

    #[test]
    fn r16_defaults_are_valid_in_both_languages() {
        for (id, kind, zt, zb, et, eb) in DEFAULTS {
            assert!(KINDS.contains(kind), "{id}");
            check_body(zb).unwrap();
            check_body(eb).unwrap();
            assert!(!zt.is_empty() && !et.is_empty());
        }
        assert!(
            DEFAULTS.iter().any(|d| d.3.contains("{agent_id}")),
            "the greeting gives the agent id"
        );
    }

    #[test]
    fn r15_five_handling_steps_in_both_languages() {
        assert_eq!(STEPS_ZH.len(), 5);
        assert_eq!(STEPS_EN.len(), 5);
    }
}
