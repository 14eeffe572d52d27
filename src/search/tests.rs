//! Behaviour tests for the search engine (public API plus a few internals).
//! One file past ~600 lines on purpose: each test is a small scenario over
//! the same fixtures, and the typed-query tests already live apart
//! (`tests_typed.rs`).

use super::keys::{PINYIN, TAG_INITIALS, TAG_PINYIN, record_keys};
use super::{CustomerKeys, Field, Hit, Index, Session};

fn c(id: i64, name: &str) -> CustomerKeys {
    CustomerKeys {
        id,
        name: name.to_string(),
        class: 'C',
        ..CustomerKeys::default()
    }
}

trait With {
    fn phone(self, p: &str) -> Self;
    fn plate(self, p: &str) -> Self;
    fn code(self, p: &str) -> Self;
    fn company(self, p: &str) -> Self;
    fn address(self, p: &str) -> Self;
    fn class(self, k: char) -> Self;
    fn contact(self, t: i64) -> Self;
    fn confidential(self) -> Self;
}

impl With for CustomerKeys {
    fn phone(mut self, p: &str) -> Self {
        self.phones.push(p.to_string());
        self
    }
    fn plate(mut self, p: &str) -> Self {
        self.plates.push(p.to_string());
        self
    }
    fn code(mut self, p: &str) -> Self {
        self.code = Some(p.to_string());
        self
    }
    fn company(mut self, p: &str) -> Self {
        self.company = p.to_string();
        self
    }
    fn address(mut self, p: &str) -> Self {
        self.address = p.to_string();
        self
    }
    fn class(mut self, k: char) -> Self {
        self.class = k;
        self
    }
    fn contact(mut self, t: i64) -> Self {
        self.last_contact = t;
        self
    }
    fn confidential(mut self) -> Self {
        self.confidential = true;
        self
    }
}

fn ids(h: &[Hit]) -> Vec<i64> {
    h.iter().map(|h| h.id).collect()
}

fn q(idx: &Index, s: &str) -> Vec<i64> {
    ids(&idx.query(s, 10, true))
}

fn first(idx: &Index, s: &str) -> Option<Hit> {
    idx.query(s, 10, true).into_iter().next()
}

fn people() -> Index {
    Index::build(vec![
        c(1, "张三")
            .phone("13912345678")
            .plate("粤B-12345")
            .code("K00000001"),
        c(2, "李四").phone("13800138000").code("K00000002"),
        c(3, "张伟")
            .phone("+8613700001111")
            .code("K00000003")
            .company("深圳市华强科技有限公司"),
        c(4, "王五")
            .phone("01012345678")
            .address("广东省深圳市南山区科技园南路88号"),
        c(5, "Li Wei").phone("15000000000").plate("京A·88K88"),
        c(6, "欧阳娜娜").phone("18600000000"),
        c(7, "单田芳").phone("18700000000"),
        c(8, "曾志伟").phone("18800000000"),
        c(9, "解晓东").phone("18900000000"),
        c(10, "尉迟恭").phone("17700000000"),
        c(11, "仇英").phone("17800000000"),
        c(12, "朴树").phone("17900000000"),
        c(13, "区家明").phone("16600000000"),
        c(14, "查良镛").phone("19900000000"),
    ])
}

#[test]
fn pinyin_full_initials_and_chinese() {
    let idx = people();
    for query in ["zs", "zhangsan", "zhang", "张三", "张", "ZhangSan", "ｚｓ"] {
        assert!(
            q(&idx, query).contains(&1),
            "{query} -> {:?}",
            q(&idx, query)
        );
    }
    assert_eq!(
        first(&idx, "zhangsan").map(|h| h.field),
        Some(Field::Pinyin)
    );
    assert_eq!(first(&idx, "zs").map(|h| h.field), Some(Field::Initials));
    assert_eq!(first(&idx, "张三").map(|h| h.field), Some(Field::Name));
    // Prefix hits first; the page is then filled with fuzzy hits
    // (查良镛 = zhaliangyong contains z-h-a-n-g in order).
    assert_eq!(q(&idx, "zhang"), vec![1, 3, 14]);
    // Highlighting: initials light both characters, "zhang" only the surname.
    assert_eq!(first(&idx, "zs").map(|h| h.name_matches), Some(vec![0, 1]));
    let h = idx.query("zhang", 10, true);
    assert!(h.iter().take(2).all(|h| h.name_matches == vec![0]), "{h:?}");
    assert_eq!(
        h[2].name_matches,
        vec![0, 1],
        "fuzzy highlight spans both syllables"
    );
    assert_eq!(first(&idx, "三").map(|h| h.name_matches), Some(vec![1]));
}

#[test]
fn pinyin_mixed_forms() {
    let idx = people();
    // Two terms: full pinyin of the surname + an initial.
    assert_eq!(q(&idx, "zhang s"), vec![1]);
    assert_eq!(q(&idx, "zhang w"), vec![3]);
    // One term mixing full syllables and initials.
    for query in ["zhangs", "zsan", "zhsan", "zhs"] {
        assert_eq!(q(&idx, query).first(), Some(&1), "{query}");
    }
    assert_eq!(
        first(&idx, "zsan").map(|h| h.name_matches),
        Some(vec![0, 1])
    );
    // Latin names: case-insensitive, whole, parts and initials.
    for query in ["liwei", "LI", "Wei", "lw", "Li Wei"] {
        assert!(q(&idx, query).contains(&5), "{query}");
    }
    assert_eq!(first(&idx, "lw").map(|h| h.name_matches), Some(vec![0, 3]));
    assert_eq!(first(&idx, "ouyang").map(|h| h.id), Some(6));
    assert_eq!(first(&idx, "oynn").map(|h| h.id), Some(6));
}

#[test]
fn heteronym_surnames_found_under_each_reading() {
    let idx = people();
    let cases: &[(i64, &[&str])] = &[
        (
            7,
            &["shantianfang", "dantianfang", "stf", "dtf", "shan tian"],
        ),
        (8, &["zengzhiwei", "cengzhiwei", "zzw", "czw"]),
        (9, &["xiexiaodong", "jiexiaodong", "xxd", "jxd"]),
        (10, &["yuchigong", "weichigong", "ycg"]),
        (11, &["qiuying", "chouying"]),
        (12, &["piaoshu", "pushu"]),
        (13, &["oujiaming", "qujiaming"]),
        (14, &["zhaliangyong", "chaliangyong"]),
    ];
    for (id, queries) in cases {
        for query in *queries {
            assert_eq!(first(&idx, query).map(|h| h.id), Some(*id), "{query}");
        }
    }
    // Both readings are stored as separate keys in the record.
    let slot = idx
        .store
        .ids
        .iter()
        .position(|i| i == 7)
        .unwrap_or(usize::MAX);
    let keys: Vec<(u8, Vec<u8>)> = record_keys(idx.store.arenas[PINYIN].rec(slot))
        .map(|(t, k, _)| (t, k.to_vec()))
        .collect();
    assert!(keys.contains(&(TAG_PINYIN, b"shantianfang".to_vec())));
    assert!(keys.contains(&(TAG_PINYIN, b"dantianfang".to_vec())));
    assert!(keys.contains(&(TAG_INITIALS, b"stf".to_vec())));
}

#[test]
fn phone_tail_middle_exact_and_international() {
    let idx = people();
    assert_eq!(q(&idx, "5678"), vec![1, 4]);
    assert_eq!(q(&idx, "234"), vec![1, 4]);
    assert_eq!(q(&idx, "123456"), vec![1, 4]);
    assert_eq!(q(&idx, "0013800"), vec![2]);
    let exact = first(&idx, "13912345678");
    assert_eq!(
        exact.as_ref().map(|h| (h.id, h.field)),
        Some((1, Field::Phone))
    );
    // Stored with +86: found by the national number, with or without +86.
    for query in ["13700001111", "+8613700001111", "8613700001111"] {
        let h = first(&idx, query);
        assert_eq!(h.as_ref().map(|h| h.id), Some(3), "{query}");
        assert_eq!(
            h.map(|h| h.score),
            exact.as_ref().map(|h| h.score),
            "{query}"
        );
    }
    // A prefix of a phone ranks below an exact phone.
    let idx2 = Index::build(vec![
        c(1, "甲").phone("13800138000"),
        c(2, "乙").phone("1380013800099"),
    ]);
    assert_eq!(q(&idx2, "13800138000"), vec![1, 2]);
}

#[test]
fn fewer_than_three_digits_do_not_match_phones() {
    let idx = Index::build(vec![
        c(1, "甲").phone("13912345678"),
        c(2, "乙").address("5号楼"),
    ]);
    assert_eq!(q(&idx, "56"), Vec::<i64>::new());
    assert_eq!(q(&idx, "5"), vec![2]);
    assert_eq!(q(&idx, "567"), vec![1]);
    // A narrowing session must keep phone owners while the run is short,
    // and find them once it reaches 3 digits.
    let mut s = Session::new();
    assert!(s.query(&idx, "jia 5", 10, true).is_empty());
    assert!(s.query(&idx, "jia 56", 10, true).is_empty());
    assert!(s.last_was_narrowed());
    assert_eq!(ids(&s.query(&idx, "jia 567", 10, true)), vec![1]);
    assert!(s.last_was_narrowed());
}

#[test]
fn plate_variants() {
    let idx = people();
    for query in [
        "b12345",
        "B12345",
        "粤b 12345",
        "粤B12345",
        "粤Ｂ１２３４５",
        "粤B-12345",
        "b123",
        "b1",
        "粤b",
    ] {
        assert_eq!(q(&idx, query), vec![1], "{query}");
    }
    for query in ["a88k88", "京A-88K88", "京a·88k88", "88K8"] {
        assert_eq!(q(&idx, query), vec![5], "{query}");
    }
    assert_eq!(first(&idx, "粤b12345").map(|h| h.field), Some(Field::Plate));
    let exact = first(&idx, "b12345").map(|h| h.score);
    assert_eq!(exact, first(&idx, "粤b12345").map(|h| h.score));
    assert!(exact > first(&idx, "b123").map(|h| h.score));
}

#[test]
fn code_exact_or_prefix_and_beats_name() {
    let idx = Index::build(vec![
        c(1, "张三").contact(100),
        c(2, "李四").code("ZS").contact(1),
    ]);
    // "zs" is 张三's initials (exact) and 李四's code (exact): code wins.
    let h = idx.query("zs", 10, true);
    assert_eq!(ids(&h), vec![2, 1]);
    assert_eq!(h[0].field, Field::Code);
    let idx = people();
    assert_eq!(q(&idx, "k00000002"), vec![2]);
    assert_eq!(q(&idx, "K0000000").len(), 3);
    // Codes do not match in the middle.
    assert!(q(&idx, "00000002").is_empty());
}

#[test]
fn multi_term_and() {
    let idx = Index::build(vec![
        c(1, "张三").phone("13912345678"),
        c(2, "张三").phone("13900000000"),
        c(3, "李四").phone("13912345678"),
        c(4, "赵森").phone("13600005678").company("华为科技"),
    ]);
    assert_eq!(q(&idx, "zs 5678"), vec![1, 4]);
    assert_eq!(q(&idx, "5678 zs"), vec![1, 4]);
    assert_eq!(q(&idx, "zs 5678 科技"), vec![4]);
    assert!(q(&idx, "zs 5678 lisi").is_empty());
    let h = first(&idx, "zs 5678");
    assert_eq!(h.map(|h| h.name_matches), Some(vec![0, 1]));
}

#[test]
fn ranking_exact_prefix_fuzzy_class_and_recency() {
    let idx = Index::build(vec![
        c(1, "张山森").contact(30), // fuzzy "zhangsan" in "zhangshansen"
        c(2, "张三丰").contact(20), // prefix
        c(3, "张三").contact(10),   // exact
    ]);
    assert_eq!(q(&idx, "zhangsan"), vec![3, 2, 1]);
    let h = idx.query("zhangsan", 10, true);
    assert!(h[0].score > h[1].score && h[1].score > h[2].score);

    // Class A is a tie-break within a kind, never across kinds.
    let idx = Index::build(vec![
        c(1, "李四").class('B').contact(500),
        c(2, "李四").class('A').contact(100),
        c(3, "李四光").class('A').contact(900),
    ]);
    assert_eq!(q(&idx, "lisi"), vec![2, 1, 3]);

    // Recency, then id.
    let idx = Index::build(vec![
        c(5, "李四").contact(100),
        c(4, "李四").contact(300),
        c(3, "李四").contact(200),
        c(2, "李四").contact(0),
        c(1, "李四").contact(0),
    ]);
    assert_eq!(q(&idx, "lisi"), vec![4, 3, 5, 1, 2]);
    // limit is respected and keeps the best.
    assert_eq!(ids(&idx.query("lisi", 2, true)), vec![4, 3]);
}

#[test]
fn confidential_hidden() {
    let idx = Index::build(vec![c(1, "张三").confidential(), c(2, "张三")]);
    assert_eq!(ids(&idx.query("zhangsan", 10, false)), vec![2]);
    assert_eq!(ids(&idx.query("zhangsan", 10, true)), vec![1, 2]);
    let mut s = Session::new();
    assert_eq!(ids(&s.query(&idx, "zhang", 10, false)), vec![2]);
    assert_eq!(ids(&s.query(&idx, "zhangs", 10, true)), vec![1, 2]);
    assert_eq!(ids(&s.query(&idx, "zhangsa", 10, false)), vec![2]);
}

#[test]
fn company_and_address_substrings() {
    let idx = people();
    // Company ranks above address at the same match kind.
    assert_eq!(q(&idx, "科技"), vec![3, 4]);
    assert_eq!(
        first(&idx, "华强").map(|h| (h.id, h.field)),
        Some((3, Field::Company))
    );
    assert_eq!(
        first(&idx, "南山区").map(|h| (h.id, h.field)),
        Some((4, Field::Address))
    );
    assert_eq!(first(&idx, "华强").map(|h| h.name_matches), Some(vec![]));
}

#[test]
fn upsert_replaces_old_keys() {
    let mut idx = people();
    let n = idx.len();
    idx.upsert(c(1, "李明").phone("13111112222"));
    assert_eq!(idx.len(), n);
    assert!(q(&idx, "zhangsan").is_empty());
    assert!(q(&idx, "5678").iter().all(|&i| i != 1));
    assert!(q(&idx, "b12345").is_empty());
    assert_eq!(q(&idx, "liming"), vec![1]);
    assert_eq!(q(&idx, "11112222"), vec![1]);
    idx.upsert(c(100, "新客户").phone("13322223333"));
    assert_eq!(idx.len(), n + 1);
    assert_eq!(q(&idx, "xinkehu"), vec![100]);
}

#[test]
fn remove_customer() {
    let mut idx = people();
    let n = idx.len();
    idx.remove(1);
    idx.remove(12345); // unknown: no-op
    assert_eq!(idx.len(), n - 1);
    assert!(q(&idx, "zhangsan").is_empty());
    assert!(q(&idx, "zs").is_empty());
    assert_eq!(q(&idx, "zhang").first(), Some(&3));
    assert!(!q(&idx, "zhang").contains(&1));
}

#[test]
fn many_upserts_compact_and_stay_correct() {
    let mut idx = Index::build((0..2000).map(|i| c(i, "王五").phone(&format!("138{i:08}"))));
    let before = idx.memory_bytes();
    for round in 0..3 {
        for i in 0..2000 {
            let name = if i % 2 == 0 { "李四" } else { "王五" };
            idx.upsert(c(i, name).phone(&format!("139{:08}", i + round)));
        }
    }
    assert_eq!(idx.len(), 2000);
    assert_eq!(idx.query("lisi", 5000, true).len(), 1000);
    assert_eq!(idx.query("wangwu", 5000, true).len(), 1000);
    assert!(idx.query("13800000007", 10, true).is_empty());
    assert_eq!(q(&idx, "13900000009"), vec![7]);
    // Dead slots were reclaimed: memory did not grow without bound.
    assert!(
        idx.memory_bytes() < before * 3,
        "{} vs {before}",
        idx.memory_bytes()
    );
    assert!(idx.store.slots() < 2 * 2000);
    assert_eq!(idx.len(), 2000);
}

#[test]
fn session_invalidated_by_upsert() {
    let mut idx = people();
    let mut s = Session::new();
    assert!(s.query(&idx, "li", 10, true).iter().any(|h| h.id == 2));
    idx.upsert(c(50, "李白"));
    let h = s.query(&idx, "lib", 10, true);
    assert!(!s.last_was_narrowed());
    assert_eq!(ids(&h), vec![50]);
}

pub(super) fn corpus(n: i64) -> Vec<CustomerKeys> {
    let sur = ["张", "王", "李", "赵", "刘", "单", "曾", "欧阳", "解", "陈"];
    let given = ["三", "伟", "芳", "山", "森", "明", "乐", "长", "华", "娜"];
    let cos = ["华强科技", "顺丰物流", "", "", "南山贸易"];
    let mut r = crate::demo::Rng::new(42);
    (0..n)
        .map(|i| {
            let name = if r.next_u64().is_multiple_of(10) {
                format!(
                    "{} {}",
                    *r.pick(&["Li", "Wang", "John", "Zhang"]),
                    *r.pick(&["Wei", "Smith", "San"])
                )
            } else {
                format!(
                    "{}{}{}",
                    *r.pick(&sur),
                    *r.pick(&given),
                    if r.next_u64().is_multiple_of(2) {
                        *r.pick(&given)
                    } else {
                        ""
                    }
                )
            };
            let mut k = c(i, &name)
                .phone(&format!(
                    "1{}{:09}",
                    3 + r.next_u64() % 7,
                    r.next_u64() % 1_000_000_000
                ))
                .class(['A', 'B', 'C', 'D'][(r.next_u64() % 4) as usize])
                .contact((r.next_u64() % 5) as i64 * 1000)
                .company(cos[r.below(cos.len() as u64) as usize])
                .address(&format!("深圳市南山区{}号", r.next_u64() % 200))
                .code(&format!("K{:05}", i));
            if r.next_u64().is_multiple_of(2) {
                k = k.plate(&format!(
                    "粤{}{:05}",
                    *r.pick(&["A", "B", "C"]),
                    r.next_u64() % 100_000
                ));
            }
            if r.next_u64().is_multiple_of(20) {
                k = k.confidential();
            }
            k
        })
        .collect()
}

#[test]
fn session_narrowing_equals_fresh_query() {
    let idx = Index::build(corpus(4000));
    let queries = [
        "zhangsan",
        "zs 5678",
        "wang 88",
        "k0001",
        "1380013",
        "b123",
        "粤b1",
        "lw",
        "zhagnsan",
        "科技",
        "南山 12",
        "shanwei",
        "dan s",
        "12a",
        "liwei",
        "ouyangna",
        "zsan",
        "john smith",
        "13 zh",
        "+86138",
    ];
    let mut narrowed = [0, 0];
    for query in queries {
        for conf in [false, true] {
            for (li, limit) in [10, 200].into_iter().enumerate() {
                let mut s = Session::new();
                let cuts: Vec<usize> = query
                    .char_indices()
                    .map(|(i, ch)| i + ch.len_utf8())
                    .collect();
                for &cut in &cuts {
                    let prefix = &query[..cut];
                    let got = s.query(&idx, prefix, limit, conf);
                    narrowed[li] += usize::from(s.last_was_narrowed());
                    let fresh = idx.query(prefix, limit, conf);
                    assert_eq!(got, fresh, "query {prefix:?} (conf {conf}, limit {limit})");
                }
            }
        }
    }
    // The bigger page rarely fits in the single-term prefix tier, so most
    // of its keystrokes narrow.
    assert!(
        narrowed[0] >= 25 && narrowed[1] >= 50,
        "narrowing used on {narrowed:?} keystrokes"
    );
}

#[test]
fn prefix_tier_equals_full_evaluation() {
    let idx = Index::build(corpus(4000));
    let mut tiered = 0;
    for q in [
        "z", "zh", "zhang", "w", "wang", "l", "li", "k", "k0", "k001", "1", "13", "138", "b", "b1",
        "张", "王", "粤", "深圳", "s", "shan", "d", "o", "ou", "j", "5", "zhag", "zsan", "lwe",
        "zhagnsan", "wnag", "b1a", "jhn",
    ] {
        for limit in [1, 10, 50] {
            for conf in [false, true] {
                let mut full = Session::reference();
                let want = full.query(&idx, q, limit, conf);
                let mut s = Session::new();
                let got = s.query(&idx, q, limit, conf);
                tiered += usize::from(s.survivors() == 0 && !got.is_empty());
                assert_eq!(got, want, "{q:?} limit {limit} conf {conf}");
            }
        }
    }
    assert!(tiered > 50, "prefix tier used {tiered} times");
}

#[test]
fn session_narrows_to_fewer_candidates() {
    let idx = Index::build(corpus(4000));
    let mut s = Session::new();
    // A page too big for the single-term prefix tier keeps survivors.
    s.query(&idx, "zh", 3000, true);
    assert_eq!(s.last_candidates(), 4000);
    let after_z = s.survivors();
    assert!(after_z > 0 && after_z < 4000);
    s.query(&idx, "zha", 3000, true);
    assert!(s.last_was_narrowed());
    assert_eq!(s.last_candidates(), after_z);
    let after_zh = s.survivors();
    s.query(&idx, "zha 1", 3000, true);
    assert!(s.last_was_narrowed());
    assert_eq!(s.last_candidates(), after_zh);
    // Not an extension: full scan again.
    s.query(&idx, "wang", 3000, true);
    assert!(!s.last_was_narrowed());
}

#[test]
fn control_characters_do_not_panic() {
    let names = [
        "\u{0}张\u{7}三\u{1b}[31m",
        "\n\r\t",
        "",
        "\u{7f}\u{80}\u{9f}",
        "李\u{200b}四",
        "Ｗａｎｇ　Ｗｕ",
        "İstanbul ǅ ß",
        "🙂张三🙂",
        "\u{fffd}\u{feff}",
    ];
    let mut idx = Index::build(
        names
            .iter()
            .enumerate()
            .map(|(i, n)| c(i as i64, n).phone("\u{0}138\u{7}0013")),
    );
    idx.upsert(
        c(99, "\u{1}\u{2}王\u{3}五\u{4}")
            .plate("\u{0}粤\u{1}B\u{2}1\u{3}")
            .code("\u{5}k1"),
    );
    for query in [
        "zs",
        "\u{0}",
        "\u{0}zs\u{7}",
        "张\u{1b}",
        "wangwu",
        "\u{7f}",
        "🙂",
        "ß",
        "粤b1",
        "k1",
        " ",
        "\t\n",
    ] {
        let _ = idx.query(query, 10, true);
        let mut s = Session::new();
        for (i, _) in query.char_indices() {
            let _ = s.query(&idx, &query[..i], 10, false);
        }
    }
    assert!(q(&idx, "zs").contains(&0));
    // Full-width Latin "Ｗａｎｇ　Ｗｕ" (exact name) and 王五 (exact pinyin).
    assert_eq!(q(&idx, "wangwu"), vec![5, 99]);
    assert!(q(&idx, "粤b1").contains(&99));
}

#[test]
fn empty_index_and_empty_query() {
    let idx = Index::new();
    assert!(idx.is_empty());
    assert!(idx.query("zs", 10, true).is_empty());
    let idx = people();
    assert!(idx.query("", 10, true).is_empty());
    assert!(idx.query("   ", 10, true).is_empty());
    assert!(idx.query("zs", 0, true).is_empty());
    assert!(idx.memory_bytes() > 0);
}

#[test]
fn index_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Index>();
    check::<Session>();
}

/// Slots appended after the build are outside the sorted prefix lists and
/// must be found by the scan of the tail; dead slots inside the lists must
/// not count. Checked against an index built from scratch.
#[test]
fn upserts_after_build_equal_a_fresh_build() {
    let base = corpus(3000);
    let mut idx = Index::build(base.clone());
    let mut fin: std::collections::BTreeMap<i64, CustomerKeys> =
        base.iter().map(|k| (k.id, k.clone())).collect();
    for (i, k) in base.iter().enumerate().step_by(7) {
        let mut k = k.clone();
        k.name = ["张三", "赵四", "Li Wei", "钱五"][i % 4].to_string();
        k.code = Some(format!("Z{i:05}"));
        idx.upsert(k.clone());
        fin.insert(k.id, k);
    }
    for i in 0..300 {
        let mut k = base[i % base.len()].clone();
        k.id = 1_000_000 + i as i64;
        k.name = format!("新客户{i}");
        idx.upsert(k.clone());
        fin.insert(k.id, k);
    }
    for k in base.iter().step_by(11) {
        idx.remove(k.id);
        fin.remove(&k.id);
    }
    let fresh = Index::build(fin.values().cloned());
    let queries = [
        "zhangsan",
        "zs",
        "z",
        "zhaosi",
        "liwei",
        "lw",
        "z0",
        "z001",
        "k0001",
        "xinkehu",
        "xkh",
        "新客户1",
        "qianwu",
        "13",
        "b1",
        "zhag",
    ];
    for round in 0..2 {
        for q in queries {
            for limit in [3, 10, 100] {
                let got = idx.query(q, limit, true);
                let want = fresh.query(q, limit, true);
                assert_eq!(ids(&got), ids(&want), "{q:?} limit {limit} round {round}");
            }
        }
        idx.compact();
    }
}

/// The live index re-reads the customer holding the last revision; such a
/// re-upsert must not hide a customer added after it.
#[test]
fn re_upserting_a_customer_then_adding_one() {
    let k1 = c(1, "张三").phone("13912345678").code("K1");
    let k20 = c(2, "王芳").phone("13900000000").code("K20");
    let mut idx = Index::build(vec![k1.clone()]);
    idx.upsert(k1);
    assert_eq!(q(&idx, "wangfang"), Vec::<i64>::new());
    idx.upsert(k20);
    assert_eq!(q(&idx, "wangfang"), vec![2]);
    let mut s = Session::new();
    assert_eq!(ids(&s.query(&idx, "wangfang", 10, true)), vec![2]);
}

/// A space after a single term computes its complete matches (instead of
/// the cheaper prefix tier), so that the next term only narrows them.
#[test]
fn a_space_after_one_term_prepares_the_next() {
    let idx = Index::build(corpus(4000));
    let mut s = Session::new();
    let tier = s.query(&idx, "zhang", 10, true);
    assert_eq!(s.survivors(), 0, "answered by the prefix tier");
    assert_eq!(s.query(&idx, "zhang ", 10, true), tier);
    assert!(s.survivors() >= 10);
    let narrowed = s.query(&idx, "zhang 1", 10, true);
    assert!(s.last_was_narrowed());
    assert_eq!(narrowed, idx.query("zhang 1", 10, true));
    // Also for a term without a fuzzy tier.
    s.query(&idx, "深圳", 10, true);
    s.query(&idx, "深圳 ", 10, true);
    assert!(s.survivors() > 0);
    s.query(&idx, "深圳 z", 10, true);
    assert!(s.last_was_narrowed());
}

#[test]
fn company_and_address_in_gb18030_match_whole_characters_only() {
    // Two characters whose GB18030 bytes, side by side, contain a third
    // character's two bytes across their boundary (trail of x, lead of y):
    // searching for that third character must not find "xy".
    use std::collections::HashMap;
    let gb = |c: char| super::keys::text_bytes(c.to_string().as_bytes());
    let cjk: Vec<char> = (0x4E00u32..0x9FA6).filter_map(char::from_u32).collect();
    let (mut by_trail, mut by_lead) = (HashMap::new(), HashMap::new());
    for &c in &cjk {
        let b = gb(c);
        if b.len() == 2 {
            by_trail.entry(b[1]).or_insert(c);
            by_lead.entry(b[0]).or_insert(c);
        }
    }
    let (x, y, z) = cjk
        .iter()
        .find_map(|&z| {
            let b = gb(z);
            (b.len() == 2)
                .then(|| Some((*by_trail.get(&b[0])?, *by_lead.get(&b[1])?, z)))
                .flatten()
        })
        .expect("a straddling triple exists");
    let idx = Index::build(vec![
        c(1, "甲").company(&format!("{x}{y}公司")),
        c(2, "乙").address(&format!("北京{x}{y}路")),
        c(3, "丙").company(&format!("{z}记")),
    ]);
    assert_eq!(q(&idx, &z.to_string()), vec![3], "{x}{y} holds no {z}");
    assert_eq!(q(&idx, &format!("{x}{y}")), vec![1, 2]);
    assert_eq!(q(&idx, &y.to_string()).len(), 2);
    // Prefix and substring tiers over the two-byte text, mixed with ASCII.
    let idx = Index::build(vec![
        c(1, "甲").address("深圳市南山区科技园88号B座"),
        c(2, "乙").company("南山贸易"),
    ]);
    assert_eq!(q(&idx, "南山"), vec![2, 1], "company prefix first");
    assert_eq!(q(&idx, "88号"), vec![1]);
    assert_eq!(q(&idx, "号b座"), vec![1]);
}

#[test]
fn cached_name_encoding_equals_fresh_encoding() {
    use super::keys::{NameCache, Parts, encode, encode_cached};
    let people = corpus(2000);
    let mut cache = Some(NameCache::default());
    let (mut a, mut b): (Parts, Parts) = Default::default();
    // Twice: the second round takes every name from the cache.
    for _ in 0..2 {
        for k in &people {
            encode(k, &mut a);
            encode_cached(k, &mut b, &mut cache);
            assert_eq!(a, b, "{}", k.name);
        }
    }
}

#[test]
fn text_encoding_is_gb18030_for_chinese_and_never_tag_bytes() {
    use super::keys::{MATCH_MIN, text_bytes};
    for s in [
        "深圳市南山区科技园",
        "北京市海淀区88号B座",
        "重庆",
        "𠀀 emoji 😀 ok",
        "é ü",
    ] {
        let ours = text_bytes(s.as_bytes());
        let (theirs, _, _) = encoding_rs::GB18030.encode(s);
        assert_eq!(ours, theirs.into_owned(), "{s}");
        assert!(ours.iter().all(|&b| b >= MATCH_MIN), "{s}");
    }
}

#[test]
fn chunks_joined_as_they_come_equal_one_build() {
    use super::{Encoder, Joiner};
    let people = corpus(3000);
    let whole = Index::build(people.clone());
    let mut enc = Encoder::new();
    let mut joiner = Joiner::new(people.len());
    for page in people.chunks(700) {
        joiner.push(enc.encode(page));
    }
    assert_eq!(joiner.len(), people.len());
    let joined = joiner.finish();
    let chunks: Vec<_> = people.chunks(1000).map(|p| enc.encode(p)).collect();
    let from_chunks = Index::from_chunks(chunks);
    for idx in [&joined, &from_chunks] {
        assert_eq!(idx.len(), whole.len());
        assert_eq!(idx.memory_bytes(), whole.memory_bytes());
        for q in [
            "zs", "wang", "138", "b12", "科技", "li wei", "k0001", "zhagnsan",
        ] {
            assert_eq!(idx.query(q, 20, true), whole.query(q, 20, true), "{q}");
        }
    }
}
