//! The words for the domain's codes (badges, severities, statuses,
//! channels, roles, history events…) in each language.
use super::{Lang, Msg};
use crate::domain::model::{CallbackPurpose, Channel, Role, Severity, Status};
use crate::domain::queue::ClockName;
use crate::domain::sla::Badge;

pub fn badge(b: Badge, lang: Lang) -> &'static str {
    match (b, lang) {
        (Badge::OnTrack, Lang::Zh) => "正常",
        (Badge::AtRisk, Lang::Zh) => "预警",
        (Badge::Breached, Lang::Zh) => "超时",
        (Badge::Met, Lang::Zh) => "完成",
        (Badge::MetLate, Lang::Zh) => "迟完",
        (Badge::OnTrack, Lang::En) => "ok",
        (Badge::AtRisk, Lang::En) => "RISK",
        (Badge::Breached, Lang::En) => "LATE",
        (Badge::Met, Lang::En) => "met",
        (Badge::MetLate, Lang::En) => "met!",
    }
}

pub fn severity(s: Severity, lang: Lang) -> &'static str {
    match (s, lang) {
        (Severity::General, Lang::Zh) => "一般",
        (Severity::Important, Lang::Zh) => "重要",
        (Severity::Major, Lang::Zh) => "重大",
        (Severity::General, Lang::En) => "gen",
        (Severity::Important, Lang::En) => "IMP",
        (Severity::Major, Lang::En) => "MAJ",
    }
}

pub fn status(s: Status, lang: Lang) -> &'static str {
    match (s, lang) {
        (Status::New, Lang::Zh) => "新建",
        (Status::InProgress, Lang::Zh) => "处理中",
        (Status::Resolved, Lang::Zh) => "已解决",
        (Status::Closed, Lang::Zh) => "已关闭",
        (Status::New, Lang::En) => "new",
        (Status::InProgress, Lang::En) => "in progress",
        (Status::Resolved, Lang::En) => "resolved",
        (Status::Closed, Lang::En) => "closed",
    }
}

pub fn channel(code: &str, lang: Lang) -> &'static str {
    let Ok(c) = code.parse::<Channel>() else {
        return Msg::Unknown.text(lang);
    };
    match (c, lang) {
        (Channel::Phone, Lang::Zh) => "电话",
        (Channel::Email, Lang::Zh) => "邮件",
        (Channel::Web, Lang::Zh) => "网页",
        (Channel::Letter, Lang::Zh) => "信函",
        (Channel::Visit, Lang::Zh) => "来访",
        (Channel::Social, Lang::Zh) => "网络/社交媒体",
        (Channel::Transfer, Lang::Zh) => "部门转办",
        (Channel::Phone, Lang::En) => "phone",
        (Channel::Email, Lang::En) => "email",
        (Channel::Web, Lang::En) => "web form",
        (Channel::Letter, Lang::En) => "letter",
        (Channel::Visit, Lang::En) => "walk-in",
        (Channel::Social, Lang::En) => "online/social",
        (Channel::Transfer, Lang::En) => "transferred",
    }
}

pub fn role(r: Role, lang: Lang) -> &'static str {
    match (r, lang) {
        (Role::Agent, Lang::Zh) => "坐席",
        (Role::Supervisor, Lang::Zh) => "班长",
        (Role::Manager, Lang::Zh) => "经理",
        (Role::Admin, Lang::Zh) => "管理员",
        (Role::Agent, Lang::En) => "agent",
        (Role::Supervisor, Lang::En) => "supervisor",
        (Role::Manager, Lang::En) => "manager",
        (Role::Admin, Lang::En) => "admin",
    }
}

pub fn purpose(p: CallbackPurpose, lang: Lang) -> &'static str {
    match (p, lang) {
        (CallbackPurpose::Survey, Lang::Zh) => "满意度回访",
        (CallbackPurpose::FollowUp, Lang::Zh) => "跟进回访",
        (CallbackPurpose::Retry, Lang::Zh) => "重拨回访",
        (CallbackPurpose::Survey, Lang::En) => "survey callback",
        (CallbackPurpose::FollowUp, Lang::En) => "follow-up call",
        (CallbackPurpose::Retry, Lang::En) => "retry call",
    }
}

pub fn clock(c: ClockName, lang: Lang) -> &'static str {
    match (c, lang) {
        (ClockName::FirstResponse, Lang::Zh) => "首次响应",
        (ClockName::Solution, Lang::Zh) => "提出方案",
        (ClockName::Close, Lang::Zh) => "结案",
        (ClockName::MajorReport, Lang::Zh) => "重大上报",
        (ClockName::FirstResponse, Lang::En) => "first response",
        (ClockName::Solution, Lang::En) => "solution",
        (ClockName::Close, Lang::En) => "close",
        (ClockName::MajorReport, Lang::En) => "major report",
    }
}

/// A history value: status and severity codes are translated, other values
/// (names, notes) are shown as stored.
pub fn event_value(kind: &str, value: &str, lang: Lang) -> String {
    match kind {
        "status" => value.parse::<Status>().map(|s| status(s, lang).to_string()),
        "severity" => value
            .parse::<Severity>()
            .map(|s| severity(s, lang).to_string()),
        "registered" => Ok(channel(value, lang).to_string()),
        "outcome" => outcome_label(value, lang)
            .map(str::to_string)
            .ok_or_else(String::new),
        "major_reason" => Ok(major_reason(value, lang).to_string()),
        _ => Err(String::new()),
    }
    .unwrap_or_else(|_| crate::text::for_display(value).into_owned())
}

/// History event kinds as shown in the detail pane.
pub fn event_kind(kind: &str, lang: Lang) -> &'static str {
    match (kind, lang) {
        ("registered", Lang::Zh) => "登记",
        ("status", Lang::Zh) => "状态",
        ("severity", Lang::Zh) => "级别",
        ("category", Lang::Zh) => "重新分类",
        ("assigned", Lang::Zh) => "分派",
        ("acknowledged", Lang::Zh) => "确认重大",
        ("report_attached", Lang::Zh) => "合并重复投诉",
        ("outcome", Lang::Zh) => "通话结果",
        ("transferred", Lang::Zh) => "转交部门",
        ("released", Lang::Zh) => "退回待分配",
        ("callback_released", Lang::Zh) => "退回回访",
        ("major_reason", Lang::Zh) => "重大原因",
        ("callback_scheduled", Lang::Zh) => "约定回访",
        ("callback_retry", Lang::Zh) => "未接通，重拨时间",
        ("registered", Lang::En) => "registered",
        ("status", Lang::En) => "status",
        ("severity", Lang::En) => "severity",
        ("category", Lang::En) => "reclassified",
        ("assigned", Lang::En) => "assigned",
        ("acknowledged", Lang::En) => "acknowledged",
        ("report_attached", Lang::En) => "report attached",
        ("outcome", Lang::En) => "call outcome",
        ("transferred", Lang::En) => "transferred to",
        ("released", Lang::En) => "released to the pool",
        ("callback_released", Lang::En) => "callback released",
        ("major_reason", Lang::En) => "major because",
        ("callback_scheduled", Lang::En) => "callback agreed for",
        ("callback_retry", Lang::En) => "no answer, retry at",
        (_, l) => Msg::Unknown.text(l),
    }
}

/// R4: why a complaint is major, as the picker and history show it.
pub fn major_reason(code: &str, lang: Lang) -> &'static str {
    let zh = lang == Lang::Zh;
    match code {
        "repeat" if zh => "同一问题重复投诉",
        "regulator" if zh => "已向厂家或监管部门投诉",
        "media" if zh => "涉及媒体曝光",
        "group" if zh => "群体投诉",
        "threat" if zh => "有威胁言行或现场滋扰",
        "high_value" if zh => "要求退换高价值商品",
        "repeat" => "repeat complaint about the same problem",
        "regulator" => "also sent to the manufacturer or a regulator",
        "media" => "media exposure",
        "group" => "group complaint",
        "threat" => "threats or disruption on site",
        "high_value" => "refund/replacement of a high-value item",
        _ => Msg::Unknown.text(lang),
    }
}

/// An outcome code's label (the default codes; a code an administrator
/// added shows as stored).
pub fn outcome_label(code: &str, lang: Lang) -> Option<&'static str> {
    crate::domain::outcome::DEFAULT_CODES
        .iter()
        .find(|c| c.0 == code)
        .map(|c| if lang == Lang::Zh { c.3 } else { c.4 })
}

/// A survey answer as the agent reads it (R25).
pub fn answer(a: crate::domain::survey::Answer, lang: Lang) -> &'static str {
    use crate::domain::survey::Answer as A;
    match (a, lang) {
        (A::Poor, Lang::Zh) => "不满意",
        (A::Fair, Lang::Zh) => "一般",
        (A::Good, Lang::Zh) => "满意",
        (A::VeryGood, Lang::Zh) => "非常满意",
        (A::Poor, Lang::En) => "poor",
        (A::Fair, Lang::En) => "fair",
        (A::Good, Lang::En) => "good",
        (A::VeryGood, Lang::En) => "very good",
    }
}

pub fn method(m: crate::domain::model::ContactMethod, lang: Lang) -> &'static str {
    use crate::domain::model::ContactMethod as M;
    match (m, lang) {
        (M::Phone, Lang::Zh) => "电话",
        (M::Visit, Lang::Zh) => "上门（需签字）",
        (M::Message, Lang::Zh) => "短信/消息",
        (M::Phone, Lang::En) => "phone",
        (M::Visit, Lang::En) => "visit (signature needed)",
        (M::Message, Lang::En) => "message",
    }
}

/// A duration as a short age or time left: `45m`, `3h`, `2d` /
/// `45分钟`, `3小时`, `2天` (a bare 时 reads as o'clock).
pub fn span(secs: i64, lang: Lang) -> String {
    let s = secs.abs();
    let (n, zh, en) = if s < 3600 {
        (s / 60, "分钟", "m")
    } else if s < 86400 {
        (s / 3600, "小时", "h")
    } else {
        (s / 86400, "天", "d")
    };
    match lang {
        Lang::Zh => format!("{n}{zh}"),
        Lang::En => format!("{n}{en}"),
    }
}

/// How the search read a query (issue 14), for the line under the search
/// box: `read as: phone 18354651587 · zhagnsan ≈ zhangsan`. The terms and
/// keys are the engine's folded ASCII/digits; the caller cleans the line.
pub fn reading(r: &[crate::search::Reading], lang: Lang) -> String {
    use crate::search::Reading;
    let parts: Vec<String> = r
        .iter()
        .map(|x| match x {
            Reading::Phone { digits, ext, whole } => {
                let label = if *whole {
                    Msg::ReadPhone
                } else {
                    Msg::ReadDigits
                };
                let ext = ext
                    .as_ref()
                    .map(|e| format!(" {}{e}", Msg::ReadExt.text(lang)))
                    .unwrap_or_default();
                format!("{} {digits}{ext}", label.text(lang))
            }
            Reading::Typo { term, key } => format!("{term} ≈ {key}"),
            Reading::Sound { term, key } => {
                format!("{term} ≈ {key}{}", Msg::ReadSound.text(lang))
            }
        })
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("{}: {}", Msg::ReadAs.text(lang), parts.join(" · "))
    }
}

/// An agent's presence state.
pub fn presence(s: crate::domain::presence::State, lang: Lang) -> &'static str {
    use crate::domain::presence::State as P;
    match s {
        P::OnCall => Msg::PsOnCall,
        P::Working => Msg::PsWorking,
        P::Idle => Msg::PsIdle,
        P::Away => Msg::PsAway,
        P::Offline => Msg::PsOffline,
    }
    .text(lang)
}

/// A report clock key (`domain::report::CLOCKS`).
pub fn report_clock(key: &str, lang: Lang) -> &'static str {
    let c = match key {
        "first_response" => ClockName::FirstResponse,
        "solution" => ClockName::Solution,
        "closure" => ClockName::Close,
        _ => ClockName::MajorReport,
    };
    clock(c, lang)
}

/// An R26 figure's name (`domain::report::Rate::key`).
pub fn rate(key: &str, lang: Lang) -> &'static str {
    match key {
        "satisfaction" => Msg::RpSatisfaction,
        "callback_success" => Msg::RpCallbackSuccess,
        "survey_completion" => Msg::RpSurveyCompletion,
        _ => Msg::RpResolution,
    }
    .text(lang)
}
