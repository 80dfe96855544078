import Foundation
import JointPlan

/// The seed rule of a rollover (issue 13, item 7): unless the office gives one, the next
/// quarter's seed is the quarter's first day written as digits, YYYYMMDD (2026Q2 → 20260401).
/// It is public before the draw (anyone can name it from the quarter), re-derivable, and it
/// differs every quarter, so the same enterprises are not drawn quarter after quarter. It is
/// the convention the bundled scenarios already follow (Q1 2026 uses 20260101).
public enum QuarterSeed {
    public static func seed(for quarter: Quarter) -> UInt64 {
        let c = quarter.start.civil
        return UInt64(c.year * 10000 + c.month * 100 + c.day)
    }
}
