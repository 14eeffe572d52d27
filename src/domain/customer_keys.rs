//! What the customer search index reads of each customer: produced by
//! `store::customer_keys`, consumed by `search`; neither knows the other.

/// Everything the search engine needs to know about one customer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerKeys {
    pub id: i64,
    /// Chinese or Latin, e.g. "张三", "Li Wei", "欧阳娜娜".
    pub name: String,
    /// Digits with optional leading '+', e.g. "13800138000", "+8613800138000".
    pub phones: Vec<String>,
    /// Any spelling, e.g. "粤B12345", "京A-88K88"; normalised by the engine.
    pub plates: Vec<String>,
    /// Customer code, e.g. "K00012345" (matched exactly or by prefix).
    pub code: Option<String>,
    pub company: String,
    pub address: String,
    /// 'A'..'D'; class A gets a small ranking bonus.
    pub class: char,
    pub confidential: bool,
    /// Unix seconds, 0 if never; more recent wins ties.
    pub last_contact: i64,
}
