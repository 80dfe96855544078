extension CatalogueTable {
    /// Texts shared by every command: languages, tiers, reasons a check is unmet.
    static let core = CatalogueTable(
        name: "core",
        zh: [
            "language.zh": "中文",
            "language.en": "英文",
            "tier": "信用风险等级{0}",
            "reason.staffing": "人手不足",
            "reason.visitCap": "现场检查次数已达上限",
            "reason.whitelist": "白名单企业免扰",
            "reason.blackout": "企业无事不扰期",
            "reason.spacing": "检查间隔不足",
            "reason.noInspector": "无具备资格的执法人员",
            "reason.recusal": "执法人员回避",
            "reason.timeLimit": "求解时间已到",
        ],
        en: [
            "language.zh": "Chinese",
            "language.en": "English",
            "tier": "credit-risk tier {0}",
            "reason.staffing": "not enough inspectors",
            "reason.visitCap": "on-site visit cap reached",
            "reason.whitelist": "white-listed enterprise",
            "reason.blackout": "enterprise blackout",
            "reason.spacing": "spacing between checks",
            "reason.noInspector": "no eligible inspector",
            "reason.recusal": "inspector recused",
            "reason.timeLimit": "time limit reached",
        ])
}
