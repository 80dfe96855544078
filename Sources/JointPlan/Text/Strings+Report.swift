extension CatalogueTable {
    /// The HTML report's new parts: the bottleneck chart and the solver card.
    static let report = CatalogueTable(
        name: "report",
        zh: [
            "report.bottleneckHeading": "瓶颈：各部门未完成检查与资源使用",
            "report.bottleneckNote": "左：各部门未完成检查的加权值；右：检查名额使用率（深色）与工时使用率（浅色）。名额 = 在岗持证人员 × 工作日 × 每日最多检查次数。名额用尽而工时仍有剩余的部门，受每日检查次数限制。",
            "report.bottleneckTable": "部门,未完成,加权,名额使用,工时使用,需增人日",
            "report.solverDetail": "未完成加权 {0}（下界 {1}，差距 {2}）· 现场检查次数下界 {3}",
            "report.slotUse": "名额 {0}",
            "report.minuteUse": "工时 {0}",
            "report.unmetWeight": "{0}：未完成加权 {1}",
        ],
        en: [
            "report.bottleneckHeading": "Bottleneck: unmet checks and use by department",
            "report.bottleneckNote": "Left: weighted unmet checks by department; right: visit-slot use (dark) beside minute use (light). Slots = certified inspectors on duty × working days × maxVisitsPerDay. A department out of slots with minutes to spare is limited by its visits per day.",
            "report.bottleneckTable": "department,unmet,weighted,visit slots,minutes,extra inspector-days",
            "report.solverDetail": "unmet weighted {0} (bound {1}, gap {2}) · visit lower bound {3}",
            "report.slotUse": "slots {0}",
            "report.minuteUse": "minutes {0}",
            "report.unmetWeight": "{0}: unmet weighted {1}",
        ])
}
