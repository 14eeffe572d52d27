//! R3: categories are a configurable tree; these are the defaults `init`
//! creates. A complaint is classified by root cause; reclassification is
//! kept in its history (store).

/// (code, parent code, zh, en). Top level per R3, with common causes below.
pub const DEFAULTS: &[(&str, Option<&str>, &str, &str)] = &[
    ("service", None, "服务质量", "Service quality"),
    (
        "service.wait",
        Some("service"),
        "等待时间过长",
        "Long waiting time",
    ),
    (
        "service.promise",
        Some("service"),
        "承诺未兑现",
        "Promise not kept",
    ),
    (
        "service.billing",
        Some("service"),
        "计费争议",
        "Billing dispute",
    ),
    ("product", None, "产品功能", "Product function"),
    (
        "product.defect",
        Some("product"),
        "质量缺陷",
        "Quality defect",
    ),
    (
        "product.mismatch",
        Some("product"),
        "与宣传不符",
        "Not as advertised",
    ),
    ("technical", None, "系统/技术故障", "System/technical fault"),
    (
        "technical.outage",
        Some("technical"),
        "服务中断",
        "Service outage",
    ),
    (
        "technical.app",
        Some("technical"),
        "App/网站故障",
        "App or website fault",
    ),
    ("policy", None, "政策/流程", "Policy/process"),
    (
        "policy.refund",
        Some("policy"),
        "退换货政策",
        "Refund/return policy",
    ),
    (
        "policy.process",
        Some("policy"),
        "办理流程繁琐",
        "Cumbersome process",
    ),
    ("attitude", None, "员工态度", "Staff attitude"),
    (
        "attitude.rude",
        Some("attitude"),
        "态度恶劣",
        "Rude behaviour",
    ),
    (
        "attitude.ignored",
        Some("attitude"),
        "推诿不理",
        "Ignored or passed around",
    ),
    ("other", None, "其他", "Other"),
];

/// Checks a category tree given as (code, parent): codes unique and
/// non-empty, parents exist, no cycles. Errors name the offending code.
pub fn validate_tree(items: &[(String, Option<String>)]) -> Result<(), String> {
    use std::collections::HashMap;
    let mut parent: HashMap<&str, Option<&str>> = HashMap::new();
    for (code, p) in items {
        if code.trim().is_empty() {
            return Err("a category has an empty code".into());
        }
        if parent.insert(code, p.as_deref()).is_some() {
            return Err(format!("category {code:?} is listed twice"));
        }
    }
    for (code, p) in items {
        if let Some(p) = p
            && !parent.contains_key(p.as_str())
        {
            return Err(format!("category {code:?} has unknown parent {p:?}"));
        }
        // Walk up; more steps than items means a cycle.
        let mut cur = p.as_deref();
        for _ in 0..=items.len() {
            match cur {
                None => break,
                Some(c) if c == code => {
                    return Err(format!("category {code:?} is its own ancestor"));
                }
                Some(c) => cur = parent.get(c).copied().flatten(),
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owned(v: &[(&str, Option<&str>)]) -> Vec<(String, Option<String>)> {
        v.iter()
            .map(|(c, p)| (c.to_string(), p.map(str::to_string)))
            .collect()
    }

    #[test]
    fn r3_default_top_level() {
        let top: Vec<&str> = DEFAULTS
            .iter()
            .filter(|c| c.1.is_none())
            .map(|c| c.3)
            .collect();
        assert_eq!(
            top,
            [
                "Service quality",
                "Product function",
                "System/technical fault",
                "Policy/process",
                "Staff attitude",
                "Other"
            ]
        );
        let all: Vec<(String, Option<String>)> = DEFAULTS
            .iter()
            .map(|c| (c.0.to_string(), c.1.map(str::to_string)))
            .collect();
        validate_tree(&all).unwrap();
    }

    #[test]
    fn r3_tree_errors() {
        assert!(
            validate_tree(&owned(&[("a", Some("b")), ("b", Some("a"))]))
                .unwrap_err()
                .contains("ancestor")
        );
        assert!(
            validate_tree(&owned(&[("a", Some("zz"))]))
                .unwrap_err()
                .contains("unknown parent")
        );
        assert!(
            validate_tree(&owned(&[("a", None), ("a", None)]))
                .unwrap_err()
                .contains("twice")
        );
    }
}
