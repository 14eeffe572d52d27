//! Word lists for realistic demo data.

/// Common surnames, most common first; heteronym surnames (单 曾 解 仇 朴
/// 区 查) are included so pinyin search is exercised.
pub const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁",
    "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "单", "解", "仇", "朴",
    "区", "查", "欧阳", "司马", "诸葛", "尉迟",
];

pub const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
    "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "建华", "文", "华", "红", "志强", "玉兰",
    "海燕", "婷", "雪", "晨", "浩", "宇", "欣怡", "子涵", "梓萱", "一诺", "思远", "佳怡", "俊杰",
    "家豪", "晓东", "国庆", "建国", "春梅", "秋菊", "德华", "振宇", "美玲", "丽华", "长青",
];

pub const LATIN_FIRST: &[&str] = &[
    "James", "Maria", "David", "Anna", "Michael", "Sarah", "Thomas", "Laura", "Daniel", "Emma",
    "Kevin", "Olga", "Ahmed", "Yuki", "Pierre", "Sofia", "Lucas", "Nina",
];

pub const LATIN_LAST: &[&str] = &[
    "Smith", "Müller", "Garcia", "Johnson", "Kim", "Nguyen", "Rossi", "Schmidt", "Brown", "Tanaka",
    "Dubois", "Ivanova", "Wilson", "Lopez", "Khan", "Novak",
];

/// (province, plate prefix, cities)
pub const PLACES: &[(&str, &str, &[&str])] = &[
    ("广东省", "粤", &["广州市", "深圳市", "佛山市", "东莞市"]),
    ("北京市", "京", &["北京市"]),
    ("上海市", "沪", &["上海市"]),
    ("浙江省", "浙", &["杭州市", "宁波市", "温州市"]),
    ("江苏省", "苏", &["南京市", "苏州市", "无锡市"]),
    ("四川省", "川", &["成都市", "绵阳市"]),
    ("湖北省", "鄂", &["武汉市", "宜昌市"]),
    ("山东省", "鲁", &["济南市", "青岛市"]),
];

pub const DISTRICTS: &[&str] = &[
    "南山区",
    "福田区",
    "朝阳区",
    "海淀区",
    "浦东新区",
    "西湖区",
    "鼓楼区",
    "武侯区",
    "江汉区",
    "市南区",
];
pub const STREETS: &[&str] = &[
    "科技园路",
    "人民路",
    "解放大道",
    "中山路",
    "建设路",
    "和平街",
    "长江路",
    "新华路",
    "滨海大道",
    "学府路",
];

pub const COMPANY_WORDS: &[&str] = &[
    "华信", "恒达", "鑫源", "瑞丰", "天成", "宏图", "博远", "金桥", "新盛", "联创",
];
pub const COMPANY_KINDS: &[&str] = &[
    "科技有限公司",
    "贸易有限公司",
    "物流有限公司",
    "电子有限公司",
    "餐饮管理有限公司",
];

/// (category code, zh subjects, en subjects)
pub const SUBJECTS: &[(&str, &[&str], &[&str])] = &[
    (
        "service.wait",
        &["热线排队超过半小时", "营业厅等待时间过长"],
        &["Waited over 30 minutes on the line"],
    ),
    (
        "service.promise",
        &["承诺的回电一直没有", "维修上门时间一再推迟"],
        &["Promised callback never came"],
    ),
    (
        "service.billing",
        &["账单多扣了费用", "套餐资费与办理时不一致"],
        &["Charged twice on the bill"],
    ),
    (
        "product.defect",
        &["新买的冰箱不制冷", "手机屏幕出现竖线", "热水器漏水"],
        &["New washing machine leaks"],
    ),
    (
        "product.mismatch",
        &["实际网速远低于宣传", "商品与描述不符"],
        &["Speed far below what was advertised"],
    ),
    (
        "technical.outage",
        &["宽带断网三天未修复", "小区停电影响使用"],
        &["Broadband down for three days"],
    ),
    (
        "technical.app",
        &["App 无法登录", "网上营业厅支付失败"],
        &["Cannot log in to the app"],
    ),
    (
        "policy.refund",
        &["七天无理由退货被拒", "退款迟迟未到账"],
        &["Refund still not received"],
    ),
    (
        "policy.process",
        &["办理销户手续繁琐", "过户需要反复跑腿"],
        &["Closing the account takes five visits"],
    ),
    (
        "attitude.rude",
        &["客服人员态度恶劣", "安装师傅出言不逊"],
        &["Rude technician"],
    ),
    (
        "attitude.ignored",
        &["多次反映无人处理", "部门之间相互推诿"],
        &["Passed between departments"],
    ),
    (
        "other",
        &["营业厅环境嘈杂", "宣传短信过多"],
        &["Too many marketing messages"],
    ),
];

pub const DESCRIPTIONS: &[&str] = &[
    "客户来电反映问题已持续一周，情绪较激动，要求尽快给出处理方案并回电。",
    "客户表示之前已经反映过一次，至今没有答复，希望今天内有人联系。",
    "客户要求书面答复，并保留向消费者协会投诉的权利。",
    "客户情绪平稳，同意等待工程师上门检查，联系时间为工作日白天。",
    "The customer says this is the second time and expects a call back today.",
    "客户称已在微博发帖，要求公司公开说明。",
];

pub const AGENTS: &[(&str, &str, &str)] = &[
    ("demo", "演示坐席", "agent"),
    ("zhangwei", "张伟", "agent"),
    ("liuyang", "刘洋", "agent"),
    ("wangfang", "王芳", "agent"),
    ("chenjing", "陈静", "agent"),
    ("lina", "李娜", "agent"),
    ("emma", "Emma Wilson", "agent"),
    ("zhaolei", "赵磊", "supervisor"),
    ("sunli", "孙丽", "supervisor"),
    ("huangmin", "黄敏", "manager"),
];
