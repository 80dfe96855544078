extension CatalogueTable {
    /// Rule 11 (随机选派): why a candidate ranked before a member was passed over, for
    /// `explain --visit`, the enterprise view and notices.
    static let teamDraw = CatalogueTable(
        name: "teamDraw",
        zh: [
            "draw.notCertified": "未持证",
            "draw.unavailable": "当天不在岗（休假）",
            "draw.recused": "须回避该企业",
            "draw.overlaps": "在 {0} 检查至 {1}，另需路程 {2} 分钟",
            "draw.full": "当天已有 {0} 次检查（每日上限）",
            "draw.minutes": "加上本次当天共 {0} 分钟，超过工作时间 {1} 分钟",
            "draw.free": "当时有空且符合条件——本应抽中",
            "draw.member": "抽中：{0}（签号 {1}，{2} 第 {3} 位）",
            "draw.before": "  排在前面：{0}（签号 {1}）——{2}",
            "draw.drawnToo": "同时抽中",
            "draw.pinned": "预约检查：检查组由预约确定，不参加随机选派",
            "draw.optimised": "本方案为优化指派（inspectorDispatch = optimised），检查人员不随机选派",
            "draw.header": "检查人员随机选派（种子 {0}；签号 = SHA-256(\"{0}|{1}|检查人员编号\") 前 8 字节 / 2^64，由小到大）：",
            "draw.noticeLine": "检查人员由 {0} 从执法人员名录库中以公开种子 {1} 随机选派。",
        ],
        en: [
            "draw.notCertified": "not certified",
            "draw.unavailable": "on leave that day",
            "draw.recused": "recused from the enterprise",
            "draw.overlaps": "in {0} until {1}, + {2} min travel",
            "draw.full": "{0} visits already that day (maxVisitsPerDay)",
            "draw.minutes": "with this visit the day would hold {0} min, more than the {1} working min",
            "draw.free": "eligible and free — should have been drawn",
            "draw.member": "drawn: {0} (ticket {1}, rank {3} in {2})",
            "draw.before": "  ranked before: {0} (ticket {1}) — {2}",
            "draw.drawnToo": "drawn too",
            "draw.pinned": "pinned visit: the team is the appointment's, not drawn",
            "draw.optimised": "this plan's teams are optimised (inspectorDispatch = optimised), not drawn",
            "draw.header": "Inspectors drawn at random (seed {0}; ticket = first 8 bytes of SHA-256(\"{0}|{1}|inspectorId\") / 2^64, smallest first):",
            "draw.noticeLine": "The inspectors were drawn at random by {0} from the register of enforcement officers with the published seed {1}.",
        ])
}

