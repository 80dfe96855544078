import Foundation
import JointPlan
import Testing
@testable import JointPlanExport

/// Physical lines of a calendar file (split at CRLF, the empty tail after the last CRLF dropped).
private func physicalLines(_ data: Data) -> [Data] {
    var lines: [Data] = []
    var current = Data()
    var bytes = Array(data)[...]
    while let b = bytes.first {
        bytes = bytes.dropFirst()
        if b == 13, bytes.first == 10 {
            bytes = bytes.dropFirst()
            lines.append(current)
            current = Data()
        } else {
            current.append(b)
        }
    }
    if !current.isEmpty { lines.append(current) }
    return lines
}

/// Content lines (unfolded) of a calendar text.
private func contentLines(_ text: String) -> [String] {
    ICalendarText.unfold(text).components(separatedBy: "\r\n").filter { !$0.isEmpty }
}

/// Values of a property (`NAME` or `NAME;…`) in the order they appear.
private func values(_ name: String, in text: String) -> [String] {
    contentLines(text).compactMap { line in
        guard line.hasPrefix(name + ":") || line.hasPrefix(name + ";"),
              let colon = line.firstIndex(of: ":") else { return nil }
        return String(line[line.index(after: colon)...])
    }
}

private func exporter(_ s: Scenario? = nil, _ p: Plan? = nil) throws -> ICalendarExporter {
    let s = s ?? Fixture.scenario()
    return try ICalendarExporter(scenario: s, plan: p ?? Fixture.plan(s), now: Fixture.now)
}

private func allCalendars(_ e: ICalendarExporter) -> [ICalendarFile] {
    CalendarGrouping.allCases.flatMap { e.calendars(by: $0) }
}

@Suite struct ICalendarTextTests {
    @Test func escapingTextFollowsRFC5545() {
        #expect(ICalendarText.escapeText(#"a\b;c,d"#) == #"a\\b\;c\,d"#)
        #expect(ICalendarText.escapeText("一\r\n二\n三\r四") == #"一\n二\n三\n四"#)
        #expect(ICalendarText.escapeText("tab\there\u{7}bell") == "tab\there bell")
        #expect(ICalendarText.escapeText("冒号:不转义") == "冒号:不转义")
        let original = "悦来客栈; \"老店\", 东区\\备注\n第二行"
        #expect(ICalendarText.unescapeText(ICalendarText.escapeText(original)) == original)
    }

    @Test func parameterValuesAreQuotedWhenNeeded() {
        #expect(ICalendarText.parameterValue("Asia/Shanghai") == "Asia/Shanghai")
        #expect(ICalendarText.parameterValue("a;b") == "\"a;b\"")
        #expect(ICalendarText.parameterValue("x\"y") == "xy")
    }

    @Test func foldingNeverSplitsACharacter() throws {
        let text = String(repeating: "综合查一次，进一次门查多项事；A-1, ", count: 12) + "结束"
        var lines = ContentLines()
        lines.text("DESCRIPTION", text)
        let rendered = lines.rendered
        let physical = physicalLines(Data(rendered.utf8))
        #expect(physical.count > 5)
        for (k, line) in physical.enumerated() {
            #expect(line.count <= 75, "line \(k) has \(line.count) octets")
            #expect(String(data: line, encoding: .utf8) != nil, "line \(k) is not valid UTF-8 on its own")
            if k > 0 { #expect(line.first == UInt8(ascii: " ")) }
        }
        // A Chinese character is 3 octets: lines of pure Chinese text end at 75 or 74 octets.
        #expect(physical.dropLast().contains { $0.count >= 73 })
        let unfolded = ICalendarText.unfold(rendered)
        #expect(unfolded.hasSuffix("\r\n"))
        // "\r\n" is one Character in Swift: strip it as a suffix, not as two characters.
        #expect(unfolded.components(separatedBy: "\r\n").count == 2)
        let value = String(unfolded.dropFirst("DESCRIPTION:".count)).replacingOccurrences(of: "\r\n", with: "")
        #expect(ICalendarText.unescapeText(value) == text)
    }

    @Test func foldingAtExactBoundaries() {
        let exactly75 = String(repeating: "x", count: 75)
        #expect(ICalendarText.fold(exactly75) == [exactly75])
        let seventySix = exactly75 + "y"
        #expect(ICalendarText.fold(seventySix) == [exactly75, " y"])
        // 24 Chinese characters (72 octets) + "ab" = 74, then one more character of 3 octets
        // must move whole to the next line.
        let mixed = String(repeating: "检", count: 24) + "ab" + "查"
        let folded = ICalendarText.fold(mixed)
        #expect(folded == [String(repeating: "检", count: 24) + "ab", " 查"])
    }

    @Test func utcStampAndLocalTimes() {
        #expect(ICalendarText.utcDateTime(Fixture.now) == "20260101T080000Z")
        #expect(ICalendarText.localDateTime(Day("2026-01-12")!, minutes: 9 * 60 + 30) == "20260112T093000")
        #expect(ICalendarText.localDateTime(Day("2026-01-12")!, minutes: 1440) == "20260113T000000")
    }
}

@Suite struct ICalendarExporterTests {
    @Test func longChineseDescriptionIsFoldedOnCharacterBoundaries() throws {
        let e = try exporter()
        let file = try #require(e.calendar(by: .enterprise, key: "E00004"))
        let physical = physicalLines(file.data)
        for (k, line) in physical.enumerated() {
            #expect(line.count <= 75, "line \(k): \(line.count) octets")
            #expect(String(data: line, encoding: .utf8) != nil, "line \(k) splits a UTF-8 character")
        }
        let description = try #require(values("DESCRIPTION", in: file.text).first)
        let notice = ICalendarText.unescapeText(description)
        #expect(notice.contains("检查组人数：2人"))
        #expect(notice.contains("2026年3月2日（星期一）10:00–10:40"))
        #expect(notice.contains("请提前准备以下材料"))
        #expect(notice.contains("食品安全：与该事项有关的许可证照"))
        #expect(notice.contains(Fixture.formulaName))
        // The inspector calendar of the WL inspector holds the long item name, folded.
        let wl = try #require(e.calendar(by: .inspector, key: "P004"))
        let joined = values("DESCRIPTION", in: wl.text).map(ICalendarText.unescapeText).joined()
        #expect(joined.contains(Fixture.longItemName))
        for line in physicalLines(wl.data) { #expect(line.count <= 75 && String(data: line, encoding: .utf8) != nil) }
    }

    @Test func everyLineEndsWithCRLF() throws {
        let files = allCalendars(try exporter())
        #expect(files.count == 5 + 3 + 3 + 4)
        for f in files {
            let bytes = Array(f.data)
            #expect(bytes.suffix(2) == [13, 10])
            for (k, b) in bytes.enumerated() {
                if b == 10 { #expect(k > 0 && bytes[k - 1] == 13, "bare LF in \(f.fileName)") }
                if b == 13 { #expect(k + 1 < bytes.count && bytes[k + 1] == 10, "bare CR in \(f.fileName)") }
            }
        }
    }

    @Test func calendarHeaderAndEventProperties() throws {
        let e = try exporter()
        let f = try #require(e.calendar(by: .inspector, key: "P001"))
        let lines = contentLines(f.text)
        #expect(lines.first == "BEGIN:VCALENDAR" && lines.last == "END:VCALENDAR")
        for required in ["VERSION:2.0", "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "PRODID:-//jointplan//jointplan 1.0//ZH"] {
            #expect(lines.contains(required))
        }
        #expect(values("X-WR-CALNAME", in: f.text) == [#"联合检查 · 张伟（市场监管局） · 南湖区 2026 年第一季度\, 联合检查"#])
        #expect(f.fileName == "inspector-P001.ics")
        // P001 is on V00001, V00002, V00003.
        #expect(f.uids.count == 3)
        #expect(values("DTSTAMP", in: f.text) == Array(repeating: "20260101T080000Z", count: 3))
        #expect(lines.contains("DTSTART;TZID=Asia/Shanghai:20260112T093000"))
        #expect(lines.contains("DTEND;TZID=Asia/Shanghai:20260112T102500"))
        #expect(values("SUMMARY", in: f.text).first == "某某餐饮有限公司 联合检查（市场监管局、消防救援大队）")
        #expect(values("LOCATION", in: f.text) == ["新兴街道", #"城关镇\, 东区"#, #"城关镇\, 东区"#])
        #expect(values("CATEGORIES", in: f.text).first == "市场监管局,消防救援大队")
        // V00003 checks one department only: an on-site check, not a joint one.
        #expect(values("SUMMARY", in: f.text)[2].contains("现场检查（市场监管局）"))
        let description = ICalendarText.unescapeText(try #require(values("DESCRIPTION", in: f.text).first))
        #expect(description.contains("检查组（2人）"))
        #expect(description.contains("张伟（市场监管局），P001"))
        #expect(description.contains("瓶装液化气使用（消防救援大队） — 检查人：王强"))
    }

    @Test func uidsAreStableAcrossExportsAndFollowTheVisitId() throws {
        let s = Fixture.scenario()
        let p = Fixture.plan(s)
        let a = try ICalendarExporter(scenario: s, plan: p, now: Fixture.now)
        let b = try ICalendarExporter(scenario: s, plan: p, now: Fixture.now.addingTimeInterval(86400))
        for g in CalendarGrouping.allCases {
            let fa = a.calendars(by: g), fb = b.calendars(by: g)
            #expect(fa.map(\.uids) == fb.map(\.uids))
            for f in fa { #expect(Set(f.uids).count == f.uids.count, "duplicate UID in \(f.fileName)") }
        }
        // All visits have distinct UIDs, and they do not look like the visit ids.
        let uids = p.visits.compactMap { a.uid(ofVisit: $0.id) }
        #expect(Set(uids).count == p.visits.count)
        #expect(uids.allSatisfy { $0.hasSuffix("@jointplan") && !$0.contains("V0000") })
        // Moving a visit to another day, or changing its team or checks, keeps its UID: it keeps its id.
        var moved = p
        moved.visits[0].date = Day("2026-01-13")!
        moved.visits[0].checks.removeLast()
        let d = try ICalendarExporter(scenario: s, plan: moved, now: Fixture.now)
        #expect(d.uid(ofVisit: "V00001") == a.uid(ofVisit: "V00001"))
        // A re-plan (numbered against its base, issue 23) keeps the base's lineage, even when
        // its changes rename the scenario: every kept visit id keeps its UID, a new one gets a new UID.
        var next = moved
        next.scenarioName = "改名后的方案"
        var added = p.visits[1]
        added.id = "V00077"
        next.visits.append(added)
        let replanned = VisitNumbering.renumber(next, previous: p)
        #expect(replanned.lineageId == p.lineage && replanned.visits.map(\.id).prefix(p.visits.count) == p.visits.map(\.id)[...])
        let r = try ICalendarExporter(scenario: s, plan: try PlanReader.read(replanned.json()), now: Fixture.now)
        for v in p.visits { #expect(r.uid(ofVisit: v.id) == a.uid(ofVisit: v.id), "\(v.id)") }
        let newId = try #require(replanned.visits.last?.id)
        #expect(!p.visits.contains { $0.id == newId } && !uids.contains(r.uid(ofVisit: newId)!))
        // Another lineage (a what-if variant, another quarter: another name or seed) is another calendar.
        var other = p
        other.scenarioName = "另一个方案"
        #expect(try ICalendarExporter(scenario: s, plan: other, now: Fixture.now).uid(ofVisit: "V00001") != a.uid(ofVisit: "V00001"))
        other = p
        other.seed += 1
        #expect(try ICalendarExporter(scenario: s, plan: other, now: Fixture.now).uid(ofVisit: "V00001") != a.uid(ofVisit: "V00001"))
        // A plan whose ids did move (made by another solve) exported over the old one with
        // `previous`: each visit keeps its old UID through the diff.
        let renumbered = Fixture.renumbered(p)
        let c = try ICalendarExporter(scenario: s, plan: renumbered, now: Fixture.now, previous: p)
        for (old, new) in zip(p.visits, renumbered.visits.reversed()) {
            #expect(a.uid(ofVisit: old.id) == c.uid(ofVisit: new.id))
        }
    }

    @Test func uidFollowsTheDocumentedRule() {
        // SHA-256 of the netstrings "18:jointplan/visit-id,6:name#7,6:E00001,6:V00001,".
        let uid = EventUID.visit(lineage: "name#7", enterprise: "E00001", id: "V00001")
        #expect(uid == EventUID.uid(["jointplan/visit-id", "name#7", "E00001", "V00001"]))
        #expect(uid.count == 32 + "@jointplan".count)
        var p = Plan()
        p.scenarioName = "name"
        p.seed = 7
        #expect(p.lineage == "name#7")
        p.lineageId = "first#1"
        #expect(p.lineage == "first#1")
        // The anchor check of earlier versions' UIDs (still read from published calendars).
        let v = Visit(id: "X", enterprise: "E", date: Day("2026-01-05")!, start: 540, end: 600, inspectors: [],
                      checks: [Check(item: "fire", occurrence: 2, inspector: "a"), Check(item: "fire", occurrence: 1, inspector: "a"),
                               Check(item: "food", occurrence: 1, inspector: "b")])
        #expect(EventUID.anchor(of: v) == Check(item: "fire", occurrence: 1, inspector: "a"))
    }

    @Test func visitsRepeatingAChecksStillGiveUniqueUIDs() throws {
        let s = Fixture.scenario()
        var p = Fixture.plan(s)
        var copy = p.visits[0]
        copy.id = "V00099"
        copy.date = Day("2026-01-13")!
        p.visits.append(copy)   // breaks rule 6; the calendar must still be importable
        let e = try ICalendarExporter(scenario: s, plan: p, now: Fixture.now)
        let f = try #require(e.calendar(by: .enterprise, key: "E00001"))
        #expect(f.uids.count == 2 && Set(f.uids).count == 2)
        #expect(e.uid(ofVisit: "V00099") == EventUID.visit(lineage: p.lineage, enterprise: copy.enterprise, id: "V00099"))
    }

    @Test func vtimezoneForEveryTZIDUsed() throws {
        for f in allCalendars(try exporter()) {
            let lines = contentLines(f.text)
            var used = Set<String>()
            for l in lines where l.contains(";TZID=") {
                let param = l.split(separator: ":", maxSplits: 1)[0]
                for p in param.split(separator: ";") where p.hasPrefix("TZID=") { used.insert(String(p.dropFirst(5))) }
            }
            let defined = Set(values("TZID", in: f.text))
            #expect(used.isSubset(of: defined), "\(f.fileName): \(used.subtracting(defined))")
            #expect(defined == ["Asia/Shanghai"])
        }
        let f = try #require(try exporter().calendar(by: .town, key: "T01"))
        let text = f.text
        let block = try #require(text.range(of: "BEGIN:VTIMEZONE\r\n")).lowerBound
        let end = try #require(text.range(of: "END:VTIMEZONE\r\n")).upperBound
        #expect(String(text[block..<end]) == """
        BEGIN:VTIMEZONE\r\nTZID:Asia/Shanghai\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n\
        TZOFFSETFROM:+0800\r\nTZOFFSETTO:+0800\r\nTZNAME:CST\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n
        """)
    }

    @Test func otherTimeZonesGetTheirOffsets() throws {
        let fixed = try exporter(Fixture.scenario(timezone: "Etc/GMT-3"))
        let f = try #require(fixed.calendar(by: .inspector, key: "P001"))
        #expect(values("TZOFFSETTO", in: f.text) == ["+0300"])
        #expect(contentLines(f.text).contains("DTSTART;TZID=Etc/GMT-3:20260112T093000"))

        // Europe/Berlin switches to summer time on 2026-03-29, inside the horizon.
        let berlin = try exporter(Fixture.scenario(timezone: "Europe/Berlin"))
        let b = try #require(berlin.calendar(by: .department, key: "SCJG"))
        let lines = contentLines(b.text)
        #expect(lines.contains("BEGIN:STANDARD") && lines.contains("BEGIN:DAYLIGHT"))
        #expect(values("TZOFFSETTO", in: b.text) == ["+0100", "+0200"])
        #expect(lines.contains("DTSTART:20260329T020000"))
    }

    @Test func unknownTimeZoneIsAnError() {
        #expect(throws: ExportError.unknownTimeZone("Mars/Olympus")) {
            _ = try ICalendarExporter(scenario: Fixture.scenario(timezone: "Mars/Olympus"), plan: Plan(), now: Fixture.now)
        }
    }

    @Test func calendarsHoldTheirVisitsAndRemoteChecks() throws {
        let s = Fixture.scenario()
        let p = Fixture.plan(s)
        let e = try ICalendarExporter(scenario: s, plan: p, now: Fixture.now)
        func uids(_ g: CalendarGrouping, _ key: String) -> Set<String> { Set(e.calendar(by: g, key: key)?.uids ?? []) }
        func visitUIDs(_ ids: [String]) -> Set<String> { Set(ids.compactMap { e.uid(ofVisit: $0) }) }
        let remote = p.remoteChecks.map { EventUID.remote(scenario: s.name, check: $0) }
        #expect(uids(.inspector, "P003") == visitUIDs(["V00001", "V00002", "V00004"]))
        #expect(uids(.inspector, "P004") == Set(remote))
        #expect(uids(.department, "WL") == Set(remote))
        #expect(uids(.department, "XF") == visitUIDs(["V00001", "V00002", "V00004", "V00005"]))
        #expect(uids(.town, "T02") == visitUIDs(["V00002", "V00003", "V00004"]))
        #expect(uids(.enterprise, "E00002") == visitUIDs(["V00002", "V00003"]))
        // Nobody has a calendar without events; town and enterprise calendars have no remote checks.
        #expect(e.calendar(by: .inspector, key: "P999") == nil)
        #expect(e.calendars(by: .town).map(\.key) == ["T01", "T02", "T03"])
        #expect(e.calendars(by: .enterprise).allSatisfy { !$0.text.contains("VALUE=DATE") })
        // Remote checks are all-day, transparent events.
        let wl = try #require(e.calendar(by: .inspector, key: "P004"))
        let lines = contentLines(wl.text)
        #expect(lines.contains("DTSTART;VALUE=DATE:20260121") && lines.contains("DTEND;VALUE=DATE:20260122"))
        #expect(values("TRANSP", in: wl.text) == ["TRANSPARENT", "TRANSPARENT"])
        #expect(values("CATEGORIES", in: wl.text).first == "文化和旅游局,非现场检查")
    }

    @Test func fileNamesAreSafe() {
        #expect(ICalendarExporter.fileName(.inspector, "P001") == "inspector-P001.ics")
        let a = ICalendarExporter.fileName(.enterprise, "企业/1")
        let b = ICalendarExporter.fileName(.enterprise, "企业/2")
        #expect(a.hasPrefix("enterprise-___1-") && a.hasSuffix(".ics") && a != b)
        #expect(!ICalendarExporter.fileName(.town, "../x").contains("/"))
        #expect(ICalendarExporter.fileName(.town, "..").hasPrefix("town-_"))
    }
}
