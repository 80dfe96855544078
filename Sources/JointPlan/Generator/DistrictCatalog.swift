import Foundation

/// The fixed material generated districts are made of: departments, enterprise categories,
/// inspection items and name lists, modelled on how Chinese districts run "inspect once"
/// (综合查一次). Figures follow shared/notes/conventions.md: the credit-tier mix, published
/// sampling rates (Guangzhou Yuexiu A 5 %, B 15 %, C 30 %, D 50 %; Henan A 1 %, B 2 %, C 10 %,
/// D 30 %), counts for high-risk tiers, and the typical multi-department scenarios (hotel, KTV,
/// internet café, restaurant, elderly care, LPG dealer, construction site).
enum DistrictCatalog {
    /// Departments in the order `--departments D` takes them: the first seven are the ones
    /// every district's joint-inspection list has.
    static let departments: [(id: String, name: String)] = [
        ("SCJG", "区市场监督管理局"),
        ("XF", "区消防救援大队"),
        ("YJGL", "区应急管理局"),
        ("STHJ", "市生态环境局区分局"),
        ("ZHZF", "区综合行政执法局"),
        ("WHLY", "区文化广电旅游体育局"),
        ("GA", "市公安局区分局"),
        ("WSJK", "区卫生健康局"),
        ("MZ", "区民政局"),
        ("ZJ", "区住房和城乡建设局"),
        ("SW", "区水务局"),
        ("NYNC", "区农业农村局"),
        ("RSJ", "区人力资源和社会保障局"),
    ]

    /// Credit-tier mix of a city's enterprises (Bayannur): A 73 %, B 19 %, C 5 %, D 3 %.
    static let tierShares: [(Tier, Double)] = [(.A, 0.73), (.B, 0.19), (.C, 0.05), (.D, 0.03)]

    struct Category {
        var id: String
        /// Share of the district's enterprises whose main business this is.
        var share: Double
        /// Name endings; a trade name (字号) goes in front: 鑫源 + 便利店.
        var names: [String]
        /// Categories an enterprise of this one often also has (a hotel with a restaurant).
        var alsoWith: [String] = []
    }

    static let categories: [Category] = [
        Category(id: "retail", share: 0.27, names: ["便利店", "超市", "商贸有限公司", "百货商行", "副食店"],
                 alsoWith: ["pharmacy", "restaurant"]),
        Category(id: "restaurant", share: 0.25, names: ["餐饮有限公司", "酒家", "小吃店", "火锅店", "面馆", "快餐店"],
                 alsoWith: ["retail"]),
        Category(id: "factory", share: 0.08, names: ["机械制造有限公司", "电子科技有限公司", "塑料制品厂", "食品加工有限公司", "家具制造有限公司"],
                 alsoWith: ["warehouse"]),
        Category(id: "hotel", share: 0.04, names: ["酒店管理有限公司", "宾馆", "商务酒店", "快捷酒店"],
                 alsoWith: ["restaurant", "ktv"]),
        Category(id: "ktv", share: 0.015, names: ["娱乐有限公司", "量贩KTV", "歌舞厅"]),
        Category(id: "internet-cafe", share: 0.015, names: ["网咖", "网络会所", "网吧"]),
        Category(id: "elderly-care", share: 0.01, names: ["养老院", "颐养中心", "老年公寓"]),
        Category(id: "lpg-dealer", share: 0.006, names: ["液化气供应站", "燃气经营部"]),
        Category(id: "construction-site", share: 0.03, names: ["花园项目工地", "广场建设项目", "安置房工程项目部"]),
        Category(id: "hazchem", share: 0.01, names: ["化工贸易有限公司", "化工原料经营部"]),
        Category(id: "pharmacy", share: 0.04, names: ["大药房", "医药连锁店"]),
        Category(id: "auto-repair", share: 0.04, names: ["汽车维修服务有限公司", "汽修厂"]),
        Category(id: "warehouse", share: 0.03, names: ["物流有限公司", "仓储服务有限公司"]),
        Category(id: "salon", share: 0.05, names: ["美容美发店", "理发店", "美甲工作室"]),
        Category(id: "agri-supply", share: 0.015, names: ["农资经营部", "种子化肥店"]),
        Category(id: "services", share: 0.09, names: ["文化传播有限公司", "家政服务有限公司", "咨询服务有限公司", "洗衣店"]),
    ]

    /// How often an item is checked on each tier.
    enum Profile {
        /// Yuexiu's published rates for all four tiers.
        case yuexiu
        /// Henan's lower rates, for light items (license display, prices).
        case henan
        /// Sampled for A and B (Yuexiu), every C once and every D twice a quarter (重点监管).
        case highRisk
        /// Sampled for A and B (Yuexiu), every C and D once.
        case riskCount
        /// Hazardous trades: wider samples of A and B, every C once and every D twice.
        case hazard

        var frequency: [(Tier, Rate)] {
            switch self {
            case .yuexiu: return [(.A, .rate("0.05")), (.B, .rate("0.15")), (.C, .rate("0.3")), (.D, .rate("0.5"))]
            case .henan: return [(.A, .rate("0.01")), (.B, .rate("0.02")), (.C, .rate("0.1")), (.D, .rate("0.3"))]
            case .highRisk: return [(.A, .rate("0.05")), (.B, .rate("0.15")), (.C, .count(1)), (.D, .count(2))]
            case .riskCount: return [(.A, .rate("0.05")), (.B, .rate("0.15")), (.C, .count(1)), (.D, .count(1))]
            case .hazard: return [(.A, .rate("0.2")), (.B, .rate("0.4")), (.C, .count(1)), (.D, .count(2))]
            }
        }
    }

    /// A frequency as written in the file; rates keep their decimal literal (spec 2.1).
    enum Rate {
        case count(Int)
        case rate(String)
    }

    struct ItemSpec {
        var id: String
        var name: String
        var department: String
        var categories: [String]
        var minutes: Int
        /// Minutes when it may be done off site (非现场监管), nil when it may not.
        var remoteMinutes: Int? = nil
        var delegable = false
        var profile: Profile
    }

    static let items: [ItemSpec] = [
        // 市场监管
        ItemSpec(id: "food-safety", name: "餐饮食品安全", department: "SCJG",
                 categories: ["restaurant", "elderly-care"], minutes: 25, profile: .highRisk),
        ItemSpec(id: "food-retail", name: "食品销售安全", department: "SCJG",
                 categories: ["retail"], minutes: 20, profile: .highRisk),
        ItemSpec(id: "product-quality", name: "产品质量", department: "SCJG",
                 categories: ["retail", "factory"], minutes: 20, profile: .riskCount),
        ItemSpec(id: "special-equipment", name: "特种设备安全", department: "SCJG",
                 categories: ["hotel", "factory", "warehouse", "elderly-care"], minutes: 30, profile: .riskCount),
        ItemSpec(id: "measuring-instruments", name: "计量器具", department: "SCJG",
                 categories: ["retail", "pharmacy", "lpg-dealer", "agri-supply"], minutes: 15, delegable: true, profile: .yuexiu),
        ItemSpec(id: "license-display", name: "证照公示与登记事项", department: "SCJG",
                 categories: ["retail", "restaurant", "factory", "hotel", "ktv", "internet-cafe", "elderly-care",
                              "lpg-dealer", "hazchem", "pharmacy", "auto-repair", "warehouse", "salon", "agri-supply", "services"],
                 minutes: 10, remoteMinutes: 10, delegable: true, profile: .henan),
        ItemSpec(id: "price-display", name: "明码标价", department: "SCJG",
                 categories: ["retail", "hotel", "ktv", "salon"], minutes: 10, delegable: true, profile: .henan),
        ItemSpec(id: "drug-retail", name: "药品经营质量", department: "SCJG",
                 categories: ["pharmacy"], minutes: 25, profile: .highRisk),
        ItemSpec(id: "gas-cylinder", name: "气瓶充装与检验", department: "SCJG",
                 categories: ["lpg-dealer"], minutes: 20, profile: .highRisk),
        ItemSpec(id: "cosmetics", name: "化妆品经营", department: "SCJG",
                 categories: ["salon", "retail", "pharmacy"], minutes: 15, profile: .riskCount),
        // 消防
        ItemSpec(id: "fire-crowded", name: "消防安全（人员密集场所）", department: "XF",
                 categories: ["hotel", "ktv", "internet-cafe", "elderly-care", "warehouse", "hazchem"], minutes: 30, profile: .highRisk),
        ItemSpec(id: "fire-general", name: "消防安全（一般单位）", department: "XF",
                 categories: ["retail", "restaurant", "factory", "pharmacy", "auto-repair", "salon", "services", "lpg-dealer"],
                 minutes: 20, profile: .highRisk),
        // 应急管理
        ItemSpec(id: "work-safety", name: "工贸企业安全生产", department: "YJGL",
                 categories: ["factory", "warehouse"], minutes: 30, profile: .highRisk),
        ItemSpec(id: "hazchem-storage", name: "危险化学品储存经营", department: "YJGL",
                 categories: ["hazchem"], minutes: 35, profile: .hazard),
        ItemSpec(id: "crowd-safety", name: "人员密集场所安全", department: "YJGL",
                 categories: ["ktv", "internet-cafe", "hotel"], minutes: 20, profile: .yuexiu),
        ItemSpec(id: "confined-space", name: "有限空间作业安全", department: "YJGL",
                 categories: ["factory", "warehouse", "hazchem"], minutes: 20, profile: .riskCount),
        // 生态环境
        ItemSpec(id: "emissions", name: "排污许可执行", department: "STHJ",
                 categories: ["factory", "auto-repair", "hazchem"], minutes: 25, remoteMinutes: 15, profile: .riskCount),
        ItemSpec(id: "env-report", name: "环境信息依法披露", department: "STHJ",
                 categories: ["factory", "hazchem"], minutes: 10, remoteMinutes: 10, profile: .henan),
        ItemSpec(id: "hazardous-waste", name: "危险废物规范化管理", department: "STHJ",
                 categories: ["auto-repair", "hazchem", "factory"], minutes: 25, profile: .riskCount),
        ItemSpec(id: "noise", name: "噪声污染防治", department: "STHJ",
                 categories: ["ktv", "construction-site", "factory"], minutes: 15, profile: .yuexiu),
        // 综合行政执法
        ItemSpec(id: "gas-safety", name: "燃气使用安全", department: "ZHZF",
                 categories: ["restaurant", "lpg-dealer", "elderly-care"], minutes: 20, profile: .highRisk),
        ItemSpec(id: "oil-fume", name: "餐饮油烟治理", department: "ZHZF",
                 categories: ["restaurant"], minutes: 15, delegable: true, profile: .riskCount),
        ItemSpec(id: "lpg-operation", name: "瓶装液化石油气经营", department: "ZHZF",
                 categories: ["lpg-dealer"], minutes: 25, profile: .hazard),
        ItemSpec(id: "site-order", name: "工地文明施工与扬尘", department: "ZHZF",
                 categories: ["construction-site"], minutes: 25, profile: .highRisk),
        ItemSpec(id: "signage", name: "户外招牌与门前三包", department: "ZHZF",
                 categories: ["retail", "restaurant"], minutes: 10, delegable: true, profile: .riskCount),
        ItemSpec(id: "waste-sorting", name: "生活垃圾分类", department: "ZHZF",
                 categories: ["restaurant", "hotel", "services"], minutes: 10, delegable: true, profile: .yuexiu),
        // 文化旅游
        ItemSpec(id: "entertainment", name: "娱乐场所经营", department: "WHLY",
                 categories: ["ktv"], minutes: 20, profile: .highRisk),
        ItemSpec(id: "internet-minors", name: "上网服务未成年人保护", department: "WHLY",
                 categories: ["internet-cafe"], minutes: 15, profile: .highRisk),
        ItemSpec(id: "hotel-tourism", name: "旅游住宿服务质量", department: "WHLY",
                 categories: ["hotel"], minutes: 15, profile: .yuexiu),
        // 公安
        ItemSpec(id: "public-order", name: "治安管理与实名登记", department: "GA",
                 categories: ["hotel", "ktv", "internet-cafe"], minutes: 20, profile: .highRisk),
        ItemSpec(id: "hazchem-security", name: "易制爆危险化学品治安", department: "GA",
                 categories: ["hazchem"], minutes: 20, profile: .riskCount),
        // 卫生健康
        ItemSpec(id: "public-hygiene", name: "公共场所卫生", department: "WSJK",
                 categories: ["hotel", "salon", "ktv"], minutes: 20, profile: .yuexiu),
        ItemSpec(id: "occupational-health", name: "职业病危害防治", department: "WSJK",
                 categories: ["factory"], minutes: 25, remoteMinutes: 15, profile: .henan),
        // 民政
        ItemSpec(id: "elderly-service", name: "养老服务质量安全", department: "MZ",
                 categories: ["elderly-care"], minutes: 40, profile: .highRisk),
        // 住建
        ItemSpec(id: "construction-safety", name: "建筑施工安全", department: "ZJ",
                 categories: ["construction-site"], minutes: 40, profile: .highRisk),
        // 水务
        ItemSpec(id: "water-discharge", name: "排水许可", department: "SW",
                 categories: ["construction-site", "restaurant"], minutes: 15, remoteMinutes: 10, profile: .henan),
        // 农业农村
        ItemSpec(id: "agri-inputs", name: "农资经营质量", department: "NYNC",
                 categories: ["agri-supply"], minutes: 20, profile: .yuexiu),
        // 人社
        ItemSpec(id: "wage-payment", name: "农民工工资支付", department: "RSJ",
                 categories: ["construction-site"], minutes: 15, remoteMinutes: 10, profile: .riskCount),
    ]

    /// Streets (街道, the urban core, more enterprises) first, then towns (镇).
    static let towns: [String] = [
        "新兴街道", "城南街道", "城北街道", "东湖街道", "西湖街道", "解放街道", "人民街道", "中山街道",
        "建设街道", "文化街道", "花园街道", "滨江街道", "长安镇", "凤凰镇", "桃源镇", "青山镇",
        "白沙镇", "石桥镇", "龙泉镇", "双河镇", "清水镇", "杨柳镇", "金沙镇", "马桥镇",
        "太平镇", "永安镇", "新城镇", "临江镇", "高桥镇", "平湖镇",
    ]
    static let streetCount = 12

    /// Trade names (字号).
    static let tradeNames: [String] = [
        "鑫源", "华泰", "永盛", "富民", "金达", "宏图", "顺发", "恒通", "瑞丰", "福源",
        "嘉禾", "天成", "东方", "新华", "明辉", "盛世", "万家", "百信", "佳美", "锦程",
        "兴旺", "祥和", "荣达", "丰泰", "广源", "聚福", "和美", "康乐", "隆昌", "润德",
        "金桥", "银河", "星辰", "海川", "泰和", "鼎盛", "宝丰", "安康", "利民", "惠民",
        "长青", "绿源", "蓝天", "红日", "金穗", "玉兰", "春晖", "秋实", "晨光", "朝阳",
        "德顺", "天和", "吉祥", "如意", "同心", "合力", "诚信", "立新", "志远", "博雅",
        "卓越", "领航", "启明", "腾飞", "远大", "昌盛", "裕丰", "众联", "大成", "新宇",
    ]

    static let surnames: [String] = [
        "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
        "何", "林", "罗", "高", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
        "肖", "田", "董", "袁", "潘", "蒋", "蔡", "余", "杜", "叶", "程", "魏", "苏", "吕", "丁", "任",
    ]
    static let givenNames: [String] = [
        "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
        "超", "秀英", "霞", "平", "刚", "建华", "文", "华", "建国", "志强", "丹", "萍", "鹏", "辉", "玲", "红",
        "晨", "浩", "宇", "婷", "雪", "琳", "博", "晓东", "海燕", "俊", "斌", "亮", "欣怡", "子涵", "思远", "国栋",
    ]
}
