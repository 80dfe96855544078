import ArgumentParser
import Foundation
import JointPlan
#if canImport(Glibc)
import Glibc
#endif

/// Prints notices to PDF with ONE headless Chromium for the whole batch (issue 24, item 4):
/// the browser is driven through the DevTools protocol over a pipe (`--remote-debugging-pipe`:
/// commands on its fd 3, answers on its fd 4, each message JSON ended by a NUL), a few tabs at
/// a time, each page printed by `Page.printToPDF`. Starting a browser per notice cost ≈1.7 s a
/// page (about 100 minutes for a district); one browser costs that once.
///
/// Nothing is left behind: the browser's profile is a folder of our own, removed when the
/// batch ends, fails or is interrupted (SIGINT, SIGTERM, SIGHUP: the browser's process group
/// is killed and the folder removed before exit). A browser whose parent is killed outright
/// (SIGKILL) sees its pipe close and quits; the next run removes any profile folder whose
/// process is gone.
enum NoticePrinter {
    /// The browser: `CHROMIUM`, else the first of chromium, chromium-browser, google-chrome on PATH.
    static func browser() -> String? {
        let env = ProcessInfo.processInfo.environment
        if let c = env["CHROMIUM"], !c.isEmpty { return c }
        for dir in (env["PATH"] ?? "/usr/bin").split(separator: ":") {
            for name in ["chromium", "chromium-browser", "google-chrome"] {
                let path = "\(dir)/\(name)"
                if FileManager.default.isExecutableFile(atPath: path) { return path }
            }
        }
        return nil
    }

    /// One page to print: an HTML file and the PDF to write.
    struct Job { var html: String; var pdf: String }

    /// Prints every HTML file to the same path with `.pdf`; returns how many were printed.
    static func printAll(_ htmlPaths: [String], _ t: Catalogue, progress: Bool = false) throws -> Int {
        try print(htmlPaths.map { Job(html: $0, pdf: URL(fileURLWithPath: $0).deletingPathExtension().appendingPathExtension("pdf").path) },
                  t, progress: progress)
    }

    /// Prints `jobs` with one browser; returns how many PDFs were written.
    static func print(_ jobs: [Job], _ t: Catalogue, progress: Bool) throws -> Int {
        guard !jobs.isEmpty else { return 0 }
        guard let exe = browser() else {
            CommandIO.stderr(t("cli.noChromium"))
            throw ExitCode(1)
        }
        sweepStaleProfiles()
        let session: BrowserSession
        do { session = try BrowserSession(executable: exe) } catch {
            CommandIO.stderr(t("cli.pdfFailed", jobs[0].html) + " (\(error))")
            throw ExitCode(1)
        }
        defer { session.close() }
        // A bar on stderr (a terminal, or --progress), rewritten at most five times a second.
        var shown = Date.distantPast
        defer { if progress { FileHandle.standardError.write(Data("\n".utf8)) } }
        do {
            return try session.print(jobs) { done in
                guard progress, done == jobs.count || Date().timeIntervalSince(shown) > 0.2 else { return }
                shown = Date()
                let width = 30, filled = width * done / jobs.count
                let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
                FileHandle.standardError.write(Data("\r\(bar) \(t("cli.pdfProgress", done, jobs.count))".utf8))
            }
        } catch let e as BrowserSession.Failure {
            CommandIO.stderr(t("cli.pdfFailed", e.html ?? jobs[0].html) + " (\(e.reason))")
            throw ExitCode(1)
        }
    }

    static let profilePrefix = "jointplan-chromium-"

    /// Removes profile folders of earlier runs whose process is gone (a run killed by SIGKILL).
    static func sweepStaleProfiles() {
        let tmp = FileManager.default.temporaryDirectory
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: tmp.path) else { return }
        for name in names where name.hasPrefix(profilePrefix) {
            guard let pid = Int32(name.dropFirst(profilePrefix.count).prefix { $0.isNumber }), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { try? FileManager.default.removeItem(at: tmp.appendingPathComponent(name)) }
        }
    }
}

/// The child browser and its two pipes. Interrupt signals kill it and remove its profile.
final class BrowserSession {
    struct Failure: Error { var reason: String; var html: String? }

    let pid: pid_t
    let profile: String
    private let toBrowser: Int32
    private let fromBrowser: Int32
    private var buffer: [UInt8] = []
    private var nextID = 1
    private var closed = false

    /// The session interrupt handlers clean up (one batch at a time in a process).
    nonisolated(unsafe) static var active: (pid: pid_t, profile: String)?

    init(executable: String) throws {
        profile = FileManager.default.temporaryDirectory.appendingPathComponent("\(NoticePrinter.profilePrefix)\(getpid())").path
        try? FileManager.default.removeItem(atPath: profile)
        try FileManager.default.createDirectory(atPath: profile, withIntermediateDirectories: true)
        var a: [Int32] = [0, 0], b: [Int32] = [0, 0]
        guard pipe(&a) == 0, pipe(&b) == 0 else { throw Failure(reason: "pipe: \(String(cString: strerror(errno)))") }
        for fd in a + b { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, a[0], 3)
        posix_spawn_file_actions_adddup2(&actions, b[1], 4)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A process group of its own: the browser's helpers (renderer, zygote) are killed with it.
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        let args = [executable, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
                    "--disable-extensions", "--disable-background-networking", "--disable-sync", "--mute-audio",
                    "--user-data-dir=\(profile)", "--remote-debugging-pipe", "about:blank"]
        var argv: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, executable, &actions, &attributes, &argv, environ)
        Glibc.close(a[0]); Glibc.close(b[1])
        guard rc == 0 else {
            Glibc.close(a[1]); Glibc.close(b[0])
            try? FileManager.default.removeItem(atPath: profile)
            throw Failure(reason: "spawn: \(String(cString: strerror(rc)))")
        }
        pid = child
        toBrowser = a[1]
        fromBrowser = b[0]
        signal(SIGPIPE, SIG_IGN)
        BrowserSession.active = (child, profile)
        for s in [SIGINT, SIGTERM, SIGHUP] {
            signal(s) { sig in
                if let a = BrowserSession.active {
                    kill(-a.pid, SIGKILL)
                    kill(a.pid, SIGKILL)
                    var status: Int32 = 0
                    waitpid(a.pid, &status, 0)
                    BrowserSession.removeTree(a.profile)
                }
                signal(sig, SIG_DFL)
                raise(sig)
            }
        }
        // A parent may have started us with these signals blocked (the mask is inherited):
        // unblock them here, or an interrupted batch would run on to its end.
        var set = sigset_t()
        sigemptyset(&set)
        for s in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&set, s) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// Removes a folder tree with plain system calls (safe enough in a signal handler's last act).
    static func removeTree(_ path: String) {
        guard let dir = opendir(path) else { unlink(path); return }
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
            if name == "." || name == ".." { continue }
            let child = path + "/" + name
            var st = stat()
            if lstat(child, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR { removeTree(child) } else { unlink(child) }
        }
        closedir(dir)
        rmdir(path)
    }

    func close() {
        guard !closed else { return }
        closed = true
        _ = send("Browser.close", [])
        Glibc.close(toBrowser)
        // Up to 5 s for a clean exit, then the whole group is killed.
        var status: Int32 = 0
        var waited = 0
        while waitpid(pid, &status, WNOHANG) == 0 && waited < 50 { usleep(100_000); waited += 1 }
        if waited >= 50 { kill(-pid, SIGKILL); kill(pid, SIGKILL); waitpid(pid, &status, 0) }
        kill(-pid, SIGKILL)  // any helper left in its group
        Glibc.close(fromBrowser)
        BrowserSession.active = nil
        try? FileManager.default.removeItem(atPath: profile)
    }

    deinit { close() }

    // MARK: protocol

    @discardableResult
    private func send(_ method: String, _ params: [(String, JSON)], session: String? = nil) -> Int {
        let id = nextID
        nextID += 1
        var o = JSONObject([("id", .int(id)), ("method", .string(method)), ("params", .object(JSONObject(params)))])
        if let session { o["sessionId"] = .string(session) }
        var bytes = Array(JSONWriter.compact(.object(o)).utf8)
        bytes.append(0)
        var off = 0
        while off < bytes.count {
            let n = bytes[off...].withUnsafeBytes { write(toBrowser, $0.baseAddress, $0.count) }
            if n <= 0 { if errno == EINTR { continue }; break }
            off += n
        }
        return id
    }

    /// The next message from the browser; throws when the pipe closes.
    private func receive() throws -> JSON {
        while true {
            if let end = buffer.firstIndex(of: 0) {
                let message = Data(buffer[..<end])
                buffer.removeSubrange(...end)
                if let j = try? JSONParser.parse(message) { return j }
                continue
            }
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            let n = chunk.withUnsafeMutableBytes { read(fromBrowser, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw Failure(reason: "the browser closed its pipe") }
            buffer.append(contentsOf: chunk[..<n])
        }
    }

    /// Waits for the answer to command `id` (events on the way go to `event`).
    private func result(_ id: Int, event: (JSON) -> Void = { _ in }) throws -> JSON {
        while true {
            let m = try receive()
            if m["id"] == .int(id) {
                if let e = m["error"] { throw Failure(reason: "\(JSONWriter.compact(e))") }
                return m["result"] ?? .null
            }
            event(m)
        }
    }

    /// A tab: its DevTools session and the job it is on.
    private struct Tab { var session: String; var job: Int?; var printID: Int? }

    /// Prints the jobs on a few tabs at once; `progress` after each PDF.
    func print(_ jobs: [NoticePrinter.Job], progress: (Int) -> Void) throws -> Int {
        // Two tabs: one page loads while the other prints (the print itself — embedding the CJK
        // font's subset, ≈0.6 s a document — is the cost; more tabs gained nothing, measured).
        let tabCount = min(jobs.count, 2)
        var tabs: [Tab] = []
        for _ in 0..<tabCount {
            let target = try result(send("Target.createTarget", [("url", .string("about:blank"))]))
            guard let targetId = target["targetId"]?.stringValue else { throw Failure(reason: "no target") }
            let attached = try result(send("Target.attachToTarget", [("targetId", .string(targetId)), ("flatten", .bool(true))]))
            guard let session = attached["sessionId"]?.stringValue else { throw Failure(reason: "no session") }
            _ = try result(send("Page.enable", [], session: session))
            tabs.append(Tab(session: session))
        }
        var next = 0, done = 0
        func start(_ k: Int) {
            guard next < jobs.count else { tabs[k].job = nil; return }
            tabs[k].job = next
            tabs[k].printID = nil
            let url = URL(fileURLWithPath: jobs[next].html).standardizedFileURL.absoluteString
            send("Page.navigate", [("url", .string(url))], session: tabs[k].session)
            next += 1
        }
        for k in tabs.indices { start(k) }
        while done < jobs.count {
            let m = try receive()
            if m["method"] == .string("Page.loadEventFired"), let s = m["sessionId"]?.stringValue,
               let k = tabs.firstIndex(where: { $0.session == s }), tabs[k].job != nil, tabs[k].printID == nil {
                tabs[k].printID = send("Page.printToPDF", [("printBackground", .bool(true)), ("preferCSSPageSize", .bool(true)),
                                                           ("displayHeaderFooter", .bool(false)), ("generateTaggedPDF", .bool(false)),
                                                           ("generateDocumentOutline", .bool(false))], session: s)
            } else if case .number(let lit)? = m["id"], let id = Int(lit), let k = tabs.firstIndex(where: { $0.printID == id }), let j = tabs[k].job {
                if let e = m["error"] { throw Failure(reason: JSONWriter.compact(e), html: jobs[j].html) }
                guard let b64 = m["result"]?["data"]?.stringValue, let pdf = Data(base64Encoded: b64) else {
                    throw Failure(reason: "no PDF data", html: jobs[j].html)
                }
                do { try OutputFile.write(pdf, to: jobs[j].pdf, createFolders: true) } catch {
                    throw Failure(reason: "\(error)", html: jobs[j].html)
                }
                done += 1
                progress(done)
                start(k)
            } else if m["id"] != nil, let e = m["error"] {
                throw Failure(reason: JSONWriter.compact(e))
            }
        }
        return done
    }
}
