//! Issue 14: search understands how people type — phone numbers as
//! written, typos, full-width and traditional characters, southern pinyin
//! (模糊音) — and says how it read the query.

use super::{CustomerKeys, Field, Hit, Index, Options, Reading, Session};

fn c(id: i64, name: &str, phone: &str) -> CustomerKeys {
    CustomerKeys {
        id,
        name: name.to_string(),
        phones: vec![phone.to_string()],
        class: 'C',
        ..CustomerKeys::default()
    }
}

/// A crowd of similar names and numbers around the customers the tests
/// look for, so that "first" means something.
fn crowd() -> Vec<CustomerKeys> {
    let sur = ["张", "王", "李", "赵", "刘", "周", "陈", "欧阳"];
    let given = ["三", "伟", "芳", "山", "安", "明", "敏", "娜"];
    let mut out = Vec::new();
    for i in 0..3000i64 {
        let name = format!(
            "{}{}{}",
            sur[(i % 8) as usize],
            given[((i / 8) % 8) as usize],
            if i % 3 == 0 {
                given[((i / 64) % 8) as usize]
            } else {
                ""
            }
        );
        // Numbers that share runs with the ones looked for.
        out.push(c(1000 + i, &name, &format!("1835465{:04}", 2000 + i)));
    }
    out
}

fn index(extra: Vec<CustomerKeys>) -> Index {
    let mut all = crowd();
    all.extend(extra);
    Index::build(all)
}

fn ids(h: &[Hit]) -> Vec<i64> {
    h.iter().map(|h| h.id).collect()
}

fn search(idx: &Index, q: &str, opts: Options) -> (Vec<Hit>, Vec<Reading>) {
    let mut s = Session::new();
    s.set_options(opts);
    let hits = s.query(idx, q, 10, true);
    (hits, s.reading().to_vec())
}

const OFF: Options = Options {
    fuzzy_pinyin: false,
};
const ON: Options = Options { fuzzy_pinyin: true };

#[test]
fn written_phone_numbers_find_their_owner_first() {
    let idx = index(vec![
        c(1, "岳朗", "18354651587"),
        c(2, "王五", "+8613912345678"),
        c(3, "赵六", "01088881234x123"),
        c(4, "钱七", "07551234567"),
    ]);
    for q in [
        "18354651587",
        "+86 183 5465 1587",
        "0086 183 5465 1587",
        "86 183-5465-1587",
        "183.5465.1587",
        "(183) 5465 1587",
        "183/5465/1587",
        "１８３ ５４６５ １５８７",
        "+86 (183) 5465-1587",
    ] {
        let (hits, reading) = search(&idx, q, OFF);
        assert_eq!(
            hits.first().map(|h| (h.id, h.field)),
            Some((1, Field::Phone)),
            "{q}"
        );
        if q != "18354651587" {
            assert_eq!(
                reading.first(),
                Some(&Reading::Phone {
                    digits: "18354651587".into(),
                    ext: None,
                    whole: true
                }),
                "{q}"
            );
        } else {
            assert!(reading.is_empty(), "plain digits need no reading");
        }
    }
    // Stored with +86, written without it, and the other way round.
    for q in ["139 1234 5678", "+86 139-1234-5678"] {
        assert_eq!(ids(&search(&idx, q, OFF).0).first(), Some(&2), "{q}");
    }
    // A landline with its area code in parentheses and an extension.
    for q in [
        "(010) 8888-1234",
        "(010) 8888-1234 转123",
        "010-8888-1234 ext. 123",
        "01088881234 x123",
    ] {
        let (hits, reading) = search(&idx, q, OFF);
        assert_eq!(hits.first().map(|h| h.id), Some(3), "{q}");
        assert!(
            matches!(reading.first(), Some(Reading::Phone { whole: true, .. })),
            "{q}"
        );
    }
    assert_eq!(
        ids(&search(&idx, "(0755) 123-4567", OFF).0).first(),
        Some(&4)
    );
    // While the country code is all there is, nothing is looked for yet.
    for q in ["+86", "+86 1", "0086 18"] {
        assert!(search(&idx, q, OFF).0.is_empty(), "{q}");
    }
    assert_eq!(search(&idx, "+86 183", OFF).0.len(), 10);
}

#[test]
fn partial_written_numbers_match_the_digits_they_hold() {
    let idx = index(vec![c(1, "岳朗", "18354651587")]);
    // 5465 1587 is in one phone only; 183-5465 in many (the crowd).
    let (hits, reading) = search(&idx, "5465 1587", OFF);
    assert_eq!(ids(&hits), vec![1]);
    assert_eq!(
        reading,
        vec![Reading::Phone {
            digits: "54651587".into(),
            ext: None,
            whole: false
        }]
    );
    let (hits, _) = search(&idx, "183-5465", OFF);
    assert_eq!(hits.len(), 10);
    assert!(hits.iter().all(|h| h.field == Field::Phone));
    // A name before a written number: both terms must match.
    assert_eq!(ids(&search(&idx, "yl 183 5465 1587", OFF).0), vec![1]);
    assert!(search(&idx, "zs 183 5465 1587", OFF).0.is_empty());
}

#[test]
fn a_phone_like_code_stays_a_code() {
    let mut a = c(1, "甲", "13800000001");
    a.code = Some("2024-0017".into());
    let mut b = c(2, "乙", "13800000002");
    b.code = Some("K0001-2345".into());
    let idx = index(vec![a, b]);
    let (hits, reading) = search(&idx, "2024-0017", OFF);
    assert_eq!(
        hits.first().map(|h| (h.id, h.field)),
        Some((1, Field::Code))
    );
    // Read as digits, but not as a phone number.
    assert!(matches!(
        reading.first(),
        Some(Reading::Phone { whole: false, .. })
    ));
    let (hits, reading) = search(&idx, "K0001-2345", OFF);
    assert_eq!(
        hits.first().map(|h| (h.id, h.field)),
        Some((2, Field::Code))
    );
    assert!(reading.is_empty());
    // The code's digits glued to its letter are not a phone either.
    let (hits, _) = search(&idx, "k0001 2345", OFF);
    assert!(hits.is_empty(), "{hits:?}");
}

#[test]
fn one_typo_in_a_long_term_still_finds_the_customer() {
    let idx = index(vec![
        c(1, "张三", "13900004302"),
        c(2, "李伟", "13900004303"),
        c(3, "Li Wei", "13900004304"),
        c(4, "欧阳娜娜", "13900004305"),
    ]);
    let alone = Index::build(vec![
        c(1, "张三", "13900004302"),
        c(5, "王五", "13900000005"),
    ]);
    for q in ["zhagnsan", "zhangsna", "zhansan", "zhangsab"] {
        assert_eq!(ids(&search(&alone, q, OFF).0), vec![1], "{q}");
        // Among 3,000 similar names the second term narrows as usual.
        let (hits, _) = search(&idx, &format!("{q} 4302"), OFF);
        assert_eq!(ids(&hits), vec![1], "{q} 4302");
    }
    let (hits, reading) = search(&idx, "zhagnsan 4302", OFF);
    assert_eq!(ids(&hits), vec![1]);
    assert_eq!(
        reading,
        vec![Reading::Typo {
            term: "zhagnsan".into(),
            key: "zhangsan".into()
        }]
    );
    // 李伟 and Li Wei (a Latin name) through "liwie".
    let (hits, _) = search(&idx, "liwie 430", OFF);
    let got = ids(&hits);
    assert!(got.contains(&2) && got.contains(&3), "{got:?}");
    // Long terms forgive one typo, not two.
    let alone = Index::build(vec![
        c(4, "欧阳娜娜", "13900004305"),
        c(5, "王五", "13900000005"),
    ]);
    assert_eq!(ids(&search(&alone, "ouyagnnana", OFF).0), vec![4]);
    assert!(search(&alone, "ouyagnnaan", OFF).0.is_empty());
}

#[test]
fn typos_rank_below_exact_prefix_and_in_order_matches() {
    let idx = Index::build(vec![
        c(1, "张三", "13900000001"),
        // zhaogangsan holds "zhagnsan" in order: a fuzzy match.
        c(2, "赵刚三", "13900000002"),
        // A Latin name that is "zhagnsan" exactly.
        c(3, "Zhagn San", "13900000003"),
    ]);
    let (hits, _) = search(&idx, "zhagnsan", OFF);
    // Zhagn San exactly, 赵刚三 in order, 张三 with a swap.
    assert_eq!(ids(&hits), vec![3, 2, 1]);
    assert!(hits[0].score > hits[1].score && hits[1].score > hits[2].score);
    // A page of exact matches leaves no room for typos.
    let many: Vec<CustomerKeys> = (0..20)
        .map(|i| c(100 + i, "Zhagn San", &format!("138{:08}", i)))
        .chain([c(1, "张三", "13900000001")])
        .collect();
    let idx = Index::build(many);
    let (hits, _) = search(&idx, "zhagnsan", OFF);
    assert_eq!(hits.len(), 10);
    assert!(!ids(&hits).contains(&1));
}

#[test]
fn short_terms_and_two_typos_in_short_terms_do_not_match() {
    let idx = Index::build(vec![
        c(1, "张三", "13900000001"),
        c(2, "王五", "13900000002"),
    ]);
    for q in [
        "wagn",     // four letters: no budget
        "wnagwu",   // wangwu with a swap and... one swap is fine, see below
        "zhagnsna", // two edits in eight letters
        "changsan", // the first letter wrong
        "xyzsan",
    ] {
        let got = ids(&search(&idx, q, OFF).0);
        if q == "wnagwu" {
            assert_eq!(got, vec![2], "{q}");
        } else {
            assert!(got.is_empty(), "{q}: {got:?}");
        }
    }
}

#[test]
fn full_width_input_equals_ascii() {
    let mut a = c(1, "张三", "13912345678");
    a.plates = vec!["粤B12345".into()];
    let idx = index(vec![a]);
    for (wide, narrow) in [
        ("ｚｓ", "zs"),
        ("ｚｈａｎｇｓａｎ", "zhangsan"),
        ("１３９１２３４５６７８", "13912345678"),
        ("ｂ１２３４５", "b12345"),
        ("ＺＳ　５６７８", "zs 5678"),
    ] {
        assert_eq!(
            ids(&search(&idx, wide, OFF).0),
            ids(&search(&idx, narrow, OFF).0),
            "{wide}"
        );
        assert!(ids(&search(&idx, narrow, OFF).0).contains(&1), "{narrow}");
    }
}

#[test]
fn traditional_and_simplified_find_each_other() {
    let mut a = c(1, "張偉", "13900000001");
    a.address = "臺北市中山區".into();
    let idx = Index::build(vec![
        a,
        c(2, "陈明", "13900000002"),
        c(3, "歐陽娜娜", "13900000003"),
        c(4, "王五", "13900000004"),
    ]);
    for (q, id) in [
        ("张伟", 1),
        ("張偉", 1),
        ("陳", 2),
        ("陈", 2),
        ("陳明", 2),
        ("欧阳", 3),
        ("zw", 1),
        ("zhangwei", 1),
        ("台北", 1),
    ] {
        let hits = search(&idx, q, OFF).0;
        assert_eq!(ids(&hits).first(), Some(&id), "{q}");
    }
    // The name is shown as stored, highlighted where it matched.
    let hits = search(&idx, "张伟", OFF).0;
    assert_eq!(hits[0].name, "張偉");
    assert_eq!(hits[0].name_matches, vec![0, 1]);
}

#[test]
fn southern_pinyin_is_a_setting_and_ranks_below_exact() {
    let idx = Index::build(vec![
        c(1, "岑宁", "13900000001"), // cenning
        c(2, "陈林", "13900000002"), // chenlin
        c(3, "林芳", "13900000003"), // linfang
        c(4, "张三", "13900000004"), // zhangsan
        c(5, "王五", "13900000005"),
    ]);
    // Off by default: "chenlin" is 陈林 only, "ninhang" nobody (two
    // sounds apart is beyond the typo budget of seven letters).
    assert_eq!(Options::default(), OFF);
    assert_eq!(ids(&search(&idx, "chenlin", OFF).0), vec![2]);
    assert!(search(&idx, "ninhang", OFF).0.is_empty());
    // On: 岑宁 (cen ning) sounds like chen lin, after the exact 陈林.
    let (hits, _) = search(&idx, "chenlin", ON);
    assert_eq!(ids(&hits), vec![2, 1]);
    let (hits, reading) = search(&idx, "ninhang", ON);
    assert_eq!(ids(&hits), vec![3]);
    assert_eq!(
        reading,
        vec![Reading::Sound {
            term: "ninhang".into(),
            key: "linfang".into()
        }]
    );
    assert_eq!(ids(&search(&idx, "zansan", ON).0).first(), Some(&4));
    // Not every sound is another: zang is not zong (and four letters
    // get no typo budget).
    assert!(search(&idx, "zang", ON).0.iter().any(|h| h.id == 4));
    assert!(search(&idx, "zong", ON).0.iter().all(|h| h.id != 4));
}

#[test]
fn narrowing_stays_exact_with_typos_sounds_and_written_numbers() {
    let idx = index(vec![
        c(1, "张三", "18354651587"),
        c(2, "岑宁", "01088881234"),
    ]);
    let queries = [
        "zhagnsan 1587",
        "+86 183 5465 1587",
        "(010) 8888-1234",
        "chenlin",
        "ouyagnnaan",
        "liwie zs",
        "zansan",
    ];
    for opts in [OFF, ON] {
        for query in queries {
            let mut s = Session::new();
            s.set_options(opts);
            for (i, ch) in query.char_indices() {
                let prefix = &query[..i + ch.len_utf8()];
                let got = s.query(&idx, prefix, 10, false);
                let mut fresh = Session::reference();
                fresh.set_options(opts);
                let want = fresh.query(&idx, prefix, 10, false);
                assert_eq!(got, want, "{prefix:?} {opts:?}");
            }
        }
    }
}
