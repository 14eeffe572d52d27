//! The one message catalogue of the TUI. Every entry must give Chinese and
//! English text (the macro will not compile otherwise), so no screen can be
//! half translated.
mod labels;

pub use labels::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    /// `--lang`, else `LANG`/`LC_ALL` starting with `zh`, else English.
    pub fn detect(flag: Option<&str>) -> Result<Lang, String> {
        match flag.map(str::trim) {
            Some("zh") | Some("zh-CN") | Some("cn") => Ok(Lang::Zh),
            Some("en") => Ok(Lang::En),
            Some(other) => Err(format!("--lang: unknown language {other:?} (use zh or en)")),
            None => {
                let env = ["LC_ALL", "LC_MESSAGES", "LANG"]
                    .iter()
                    .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
                    .unwrap_or_default();
                Ok(if env.starts_with("zh") {
                    Lang::Zh
                } else {
                    Lang::En
                })
            }
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }
}

macro_rules! messages {
    ($($name:ident => $zh:literal, $en:literal;)+) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Msg { $($name),+ }
        impl Msg {
            pub const ALL: &'static [Msg] = &[$(Msg::$name),+];
            pub fn text(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((Msg::$name, Lang::Zh) => $zh, (Msg::$name, Lang::En) => $en,)+
                }
            }
        }
    };
}

messages! {
    AppTitle => "投诉热线", "Hotline";
    SessionEnded => "hotline：会话已结束（正在输入的备注已保存为草稿）", "hotline: the session has ended (a note being typed is kept as a draft)";
    Queue => "队列", "Queue";
    Detail => "详情", "Detail";
    Help => "帮助", "Help";
    HelpGlobal => "通用按键", "Everywhere";
    HelpClose => "按 Esc 或 ? 关闭", "Esc or ? to close";
    FilterMine => "我的", "Mine";
    FilterUnassigned => "未分配", "Unassigned";
    FilterAll => "全部", "All";
    FilterBreached => "已超时", "Breached";
    ColBadge => "时效", "SLA";
    ColNumber => "编号", "Number";
    ColSeverity => "级别", "Sev";
    ColCustomer => "客户", "Customer";
    ColCategory => "分类", "Category";
    ColAge => "时长", "Age";
    ColAssignee => "处理人", "Assignee";
    ColSubject => "主题", "Subject";
    Items => "项", "items";
    Breached => "超时", "breached";
    AtRisk => "预警", "at risk";
    Anonymous => "匿名", "anonymous";
    Confidential => "保密客户", "confidential";
    Unassigned => "未分配", "unassigned";
    Loading => "正在加载…", "Loading…";
    EmptyQueue => "队列为空", "The queue is empty";
    Subject => "主题", "Subject";
    Description => "描述", "Description";
    History => "处理记录", "History";
    Customer => "客户", "Customer";
    Class => "等级", "class";
    OpenComplaints => "未结投诉", "open complaints";
    TotalComplaints => "投诉总数", "complaints in all";
    Clocks => "时限", "SLA clocks";
    Left => "还剩", "left";
    Overdue => "已超时", "overdue by";
    MetOnTime => "已按时完成", "met on time";
    MetLate => "已完成（超时）", "met, but late";
    Channel => "渠道", "Channel";
    Status => "状态", "Status";
    Severity => "级别", "Severity";
    Assignee => "处理人", "Assignee";
    Received => "受理时间", "Received";
    Complainants => "投诉人数", "complainants";
    CallbackDue => "回访到期", "Callback due";
    Attempts => "已拨打", "attempts";
    Role => "角色", "role";
    Claimed => "已认领", "Claimed";
    TakenBy => "已被他人认领：", "Already taken by ";
    Started => "已开始处理", "Work started";
    SeverityRaised => "级别已提升", "Severity raised";
    SeverityLowered => "级别已降低", "Severity lowered";
    Acknowledged => "已确认重大投诉", "Major complaint acknowledged";
    Reassigned => "已转派", "Reassigned";
    PickAgent => "转派给（Enter 确认，Esc 取消）", "Reassign to (Enter to confirm, Esc to cancel)";
    NotAllowed => "无权限：", "Not allowed: ";
    Failed => "操作失败：", "Failed: ";
    NothingSelected => "未选择任何项", "Nothing selected";
    NotForCallbacks => "此操作不适用于回访", "Not for callbacks";
    MajorAlert => "件重大投诉待确认", "major complaint(s) not acknowledged";
    MajorAlertHint => "按 a 确认", "press a to acknowledge";
    Enlarge => "窗口太小，请调整到至少 80x24", "Window too small: please enlarge to at least 80x24";
    Now => "现在", "now";
    LangSwitched => "已切换到中文", "Switched to English";
    NotYet => "此功能尚未提供", "Not available yet";
    Agent => "坐席", "Agent";
    Live => "实时", "live";
    Unknown => "未知", "unknown";
    HintClaim => "认领", "claim";
    HintStart => "开始", "start";
    HintRaise => "提高级别", "raise";
    HintOpen => "详情", "open";
    HintFilters => "筛选", "filters";
    HintHelp => "帮助", "help";
    HintQuit => "退出", "quit";
    HintBack => "返回", "back";
    HintScroll => "滚动", "scroll";
    HintConfirm => "确认", "confirm";
    HintAck => "确认重大", "acknowledge";
    OutcomeRecorded => "通话结果已记录", "Outcome recorded";
    Call => "通话", "Call";
    Steps => "处理步骤", "Steps";
    Script => "话术", "Script";
    Note => "通话备注", "Call note";
    NoteHint => "按 e 编辑，Esc 结束编辑", "e to edit, Esc to stop editing";
    DraftRestored => "草稿已恢复", "draft restored";
    PickOutcome => "选择通话结果（按对应键，Esc 返回）", "Pick the outcome (its key; Esc to go back)";
    SurveyTitle => "满意度调查：1 不满意 2 一般 3 满意 4 非常满意", "Survey: 1 poor 2 fair 3 good 4 very good";
    Score => "得分", "Score";
    PickTime => "约定回访时间：←→ 日期  ↑↓ 半小时  Enter 确认", "Agreed callback time: ←→ day  ↑↓ 30 min  Enter";
    PickDepartment => "转交部门（Enter 确认）", "Transfer to (Enter to confirm)";
    ConfirmTitle => "确认记录（Enter 确认，Esc 取消）", "Confirm (Enter to record, Esc to cancel)";
    Outcome => "结果", "Outcome";
    Method => "方式", "Method";
    MethodHint => "按 m 切换", "m to change";
    Signature => "客户签字", "Signature";
    NextCallbackAt => "下次回访", "Next callback";
    Department => "部门", "Department";
    Missing => "未填", "missing";
    CallHint => "Tab 话术  e 备注  o 结果  Esc 离开", "Tab script  e note  o outcome  Esc leave";
    NewComplaint => "新建投诉", "New complaint";
    FormHint => "Tab 下一项  ←→ 选择  Ctrl-f 查找客户  Ctrl-s 提交  Esc 离开（保留草稿）", "Tab next  ←→ choose  Ctrl-f find customer  Ctrl-s submit  Esc leave";
    Who => "投诉人", "Complainant";
    WhoInHand => "当前客户", "customer in hand";
    WhoNew => "新客户", "new customer";
    WhoAnonymous => "匿名", "anonymous";
    Name => "姓名", "Name";
    Phone => "电话", "Phone";
    Category => "分类", "Category";
    CategoryHint => "输入筛选，↑↓ 选择", "type to filter, ↑↓ to pick";
    AttachTo => "合并到", "Attach to";
    RegisterNew => "登记为新投诉", "register as a new complaint";
    SimilarOpen => "相似的未结投诉（R5，可合并）", "Similar open complaints (R5: attach instead)";
    Registered => "已登记投诉", "Registered";
    ReportAttached => "已合并到投诉", "Report attached to";
    SearchTitle => "搜索客户", "Search customers";
    SearchPrompt => "姓名 / 拼音 / 首字母 / 电话 / 车牌 / 编号 / 公司 / 地址", "name / pinyin / initials / phone / plate / code / company / address";
    Results => "条结果", "results";
    ReadAs => "理解为", "read as";
    ReadPhone => "电话", "phone";
    ReadDigits => "号码片段", "digits";
    ReadExt => "转", "ext ";
    ReadSound => "（模糊音）", " (sounds alike)";
    ResultOne => "条结果", "result";
    NoResults => "没有找到客户", "No customer found";
    IndexBuilding => "正在建立客户索引", "Building the customer index";
    IndexFailed => "客户索引失败：", "Customer index failed: ";
    Indexed => "位客户已索引", "customers indexed";
    PurposeInHand => "查阅目的：当前投诉", "Purpose: the complaint in hand";
    PurposeAsk => "打开档案时需填写查阅原因（R31）", "Opening a record asks for a reason (R31)";
    ReasonTitle => "查阅原因（R31，必填）", "Why do you open this record? (R31, required)";
    ReasonHint => "Enter 打开  Esc 取消", "Enter open  Esc cancel";
    ReasonRequired => "请填写查阅原因", "A reason is required";
    ColCode => "客户编号", "Code";
    ColClass => "等级", "Cls";
    ColPlate => "车牌", "Plate";
    ColMatched => "匹配", "Match";
    ColCompany => "公司 / 地址", "Company / address";
    FieldName => "姓名", "name";
    FieldPinyin => "拼音", "pinyin";
    FieldInitials => "首字母", "initials";
    FieldPhone => "电话", "phone";
    FieldPlate => "车牌", "plate";
    FieldCode => "编号", "code";
    FieldCompany => "公司", "company";
    FieldAddress => "地址", "address";
    CustomerRecord => "客户档案", "Customer record";
    Phones => "电话", "Phones";
    Plates => "车牌", "Plates";
    Company => "公司", "Company";
    Address => "地址", "Address";
    Notes => "备注", "Notes";
    OpenedFor => "查阅目的", "Opened for";
    ComplaintsTitle => "投诉记录", "Complaints";
    ContactsTitle => "联系记录", "Contacts";
    CallbacksTitle => "待回访", "Open callbacks";
    NoneYet => "无", "none";
    Inbound => "来电", "in";
    Outbound => "去电", "out";
    Since => "建档", "since";
    LastContact => "最近联系", "last contact";
    HintNew => "新建投诉", "new complaint";
    HintCall => "致电", "call";
    HintSearchOpen => "打开档案", "open record";
    NoCustomer => "该项没有客户档案", "This item has no customer record";
    NotInQueue => "该投诉不在实时队列中", "That complaint is not in the live queue";
    NoOpenItem => "该客户在队列中没有待处理的投诉或回访", "No open complaint or due callback of this customer in the queue";
    // Monthly report (R28), year end (R29), wallboard (R27), presence.
    RpTitle => "月度投诉报告", "Monthly complaint report";
    RpYearTitle => "年末未结投诉", "Complaints open at year end";
    RpGenerated => "生成时间", "Generated";
    RpAsOf => "统计截至", "Counted as of";
    RpSoFar => "本月至今（未结束）", "month so far (not complete)";
    RpEmpty => "本月没有投诉、回访或满意度调查。", "No complaints, callbacks or surveys in this month.";
    RpTotal => "投诉总数", "Complaints";
    RpByCategory => "按分类", "By category";
    RpBySeverity => "按级别", "By severity";
    RpByChannel => "按渠道", "By channel";
    RpSla => "SLA 达标情况", "SLA compliance";
    RpClock => "时限", "Clock";
    RpMet => "按时", "met";
    RpBreached => "超时", "breached";
    RpRunning => "进行中", "running";
    RpCompliance => "达标率", "compliance";
    RpTargets => "R26 指标", "R26 targets";
    RpFigure => "指标", "Figure";
    RpValue => "实际", "Value";
    RpTarget => "目标", "Target";
    RpResult => "结果", "Result";
    RpPass => "达标", "PASS";
    RpFail => "未达标", "FAIL";
    RpNoData => "无数据", "no data";
    RpSatisfaction => "满意度得分", "Satisfaction score";
    RpCallbackSuccess => "回访成功率", "Callback success rate";
    RpSurveyCompletion => "调查完成率", "Survey completion rate";
    RpResolution => "解决率", "Resolution rate";
    RpCallbacks => "回访", "Callbacks";
    RpCallbacksLine => "应回访 {due}：成功 {done}，失败 {failed}，待回访 {pending}", "due {due}: done {done}, failed {failed}, pending {pending}";
    RpTopProblems => "最常见问题", "Most frequent problems";
    RpTrend => "近六个月趋势", "Trend, last six months";
    RpMonth => "月份", "Month";
    RpSlaShort => "达标%", "SLA%";
    RpOpenAtEnd => "月末仍未结案", "Still open at month end";
    RpOpenAtYearEnd => "年末仍未结案", "Still open at year end";
    RpAge => "天数", "Age (d)";
    RpLastAction => "最近动作", "Last action";
    RpStatus => "状态", "Status";
    RpNoneOpen => "没有未结案投诉。", "No complaint was open.";
    RpDays => "天", "d";
    WbTitle => "实时看板", "Wallboard";
    WbQueue => "队列（状态 × 级别）", "Queue (status × severity)";
    WbClocks => "SLA 时限", "SLA clocks";
    WbOnTrack => "正常", "on track";
    WbMajors => "未确认重大投诉", "Unacknowledged major complaints";
    WbNoMajors => "无", "none";
    WbCallbacks => "今日回访", "Callbacks today";
    WbDue => "今日到期", "due today";
    WbOverdue => "已逾期", "overdue";
    WbFailed => "今日失败", "failed today";
    WbAgents => "坐席", "Agents";
    WbState => "状态", "State";
    WbSince => "持续", "For";
    WbOpen => "在办", "Open";
    WbHandled => "今日处理", "Today";
    WbMonth => "本月 R26 指标", "This month, R26";
    WbIntake => "今日每小时受理（对比昨日）", "Intake per hour, today vs yesterday";
    WbToday => "今日", "today";
    WbYesterday => "昨日", "yesterday";
    WbLast30 => "近30天受理", "Intake, last 30 days";
    WbCategories => "未结投诉分类（帕累托）", "Open by category (Pareto)";
    WbHint => "Tab 选择数字  Enter 查看对应投诉  a 确认重大投诉  m 月报  Esc 返回", "Tab pick a number  Enter its complaints  a acknowledge  m report  Esc back";
    WbReminder => "R28 提醒：{month} 月报尚未生成（每月10日前）", "R28: the report for {month} is not produced yet (due by the 10th)";
    WbReminderLate => "R28 逾期：{month} 月报尚未生成", "R28 OVERDUE: the report for {month} is not produced";
    WbPick => "选择数字", "pick a number";
    WbMax => "最多", "max";
    WbPage => "页", "page";
    WbLoading => "加载中…", "loading…";
    WbRefused => "实时看板仅限主管及以上角色", "The wallboard is for supervisors and up";
    FilterBoard => "看板", "Board";
    PsOnCall => "通话中", "on call";
    PsWorking => "处理中", "working";
    PsIdle => "空闲", "idle";
    PsAway => "离开", "away";
    PsOffline => "离线", "offline";
    RvTitle => "月度报告", "Monthly report";
    RvHint => "Tab/BackTab 切换月份  j/k 滚动  Esc 返回看板", "Tab/BackTab month  j/k scroll  Esc back";
    FilterMajors => "待确认重大", "Majors to ack";
    NotMajor => "不是重大投诉，无需确认", "is not a major complaint: nothing to acknowledge";
    AlreadyAcknowledged => "已确认过，无需重复确认", "is already acknowledged";
    AlreadyYours => "已在您名下", "is already yours";
    NotYours => "不在您名下，无法退回", "is not assigned to you: nothing to release";
    HeldBy => "正由他人处理：", "is handled by ";
    ConfirmClaimCall => "尚无人处理。要认领并致电吗？y 是 / n 否", "is not yours yet. Claim it and call? y yes / n no";
    Released => "已退回待分配", "Released to the pool";
    AlreadyMajor => "已是重大投诉", "is already major";
    AlreadyGeneral => "已是一般级别", "is already general";
    PickReason => "升为重大投诉的原因（R4）：↑↓ 或数字选择，Enter 确认，Esc 取消", "Why is it major? (R4) ↑↓ or a digit, Enter to pick, Esc to cancel";
    GoToTitle => "跳转到投诉：输入编号或后几位，Enter 确认", "Go to complaint: its number or last digits, Enter";
    GoToNone => "队列中没有匹配的投诉：", "No complaint in the queue matches ";
    GoToMany => "匹配多条，请多输几位：", "Several match, type more: ";
    Cancelled => "已取消", "Cancelled";
    UnackMark => "待确认", "to ack";
    CallStale => "此投诉已被他人更改，不能按旧信息记录：", "This complaint was changed elsewhere; recording on the old state is refused: ";
    CallStaleHint => "按 Esc 离开（备注保留为草稿）后重新打开", "Esc to leave (the note stays a draft), then open it again";
    StaleReassigned => "已转派给", "reassigned to";
    StaleUnassigned => "已退回待分配", "released to the pool";
    StaleStatus => "状态变为", "status now";
    StaleChanged => "已被修改", "changed";
    SurveyDisagrees => "调查答案与所选结果不一致：答案得分", "The answers disagree with the outcome you picked: they score";
    SurveySwitch => "按 Tab 改为", "Tab switches to";
    SurveyKeep => "Enter 仍按所选记录", "Enter records what you picked";
    AsSoonAsPossible => "尽快", "as soon as possible";
    PurposePick => "Enter 选定为新投诉的投诉人（Esc 返回表单）", "Enter picks this customer for the new complaint (Esc back to the form)";
    FollowSurvey => "之后：满意度回访，最迟", "Then: a satisfaction callback, due by";
    FollowRetry => "之后：重拨时间", "Then: retried at";
    FollowAttempt => "次数", "attempt";
    FollowFailed => "之后：这是最后一次，回访记为失败（R20）", "Then: this was the last attempt, the callback is marked failed (R20)";
    SurveyBelowFair => "答案低于“一般”，不能记为满意：按 Tab 改为不满意，或 Esc 返回", "The answers are below fair, so it cannot be recorded as satisfied: Tab for not satisfied, or Esc to go back";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_has_both_languages() {
        for m in Msg::ALL {
            let (zh, en) = (m.text(Lang::Zh), m.text(Lang::En));
            assert!(!zh.is_empty() && !en.is_empty(), "{m:?}");
            assert!(
                zh.chars().any(|c| c as u32 > 0x2E80) || zh.chars().all(|c| !c.is_alphabetic()),
                "{m:?} zh text looks untranslated: {zh}"
            );
        }
    }

    #[test]
    fn lang_flag_parses() {
        assert_eq!(Lang::detect(Some("zh")).unwrap(), Lang::Zh);
        assert_eq!(Lang::detect(Some("en")).unwrap(), Lang::En);
        assert!(Lang::detect(Some("fr")).is_err());
    }

    #[test]
    fn spans_are_short() {
        assert_eq!(span(59 * 60, Lang::En), "59m");
        assert_eq!(span(-3 * 3600, Lang::Zh), "3小时");
        assert_eq!(span(3 * 86400 + 5, Lang::En), "3d");
    }
}
