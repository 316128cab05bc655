#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A one-line progress bar on stderr (done/total, files/s, ETA), drawn only when stderr is a
/// terminal that the output lines do not go to, at most ten times a second: with stdout on the
/// same terminal the bar would be torn by every line, so it is not drawn at all.
final class Progress {
    private let total: Int
    private let enabled: Bool
    private let start = FileSystem.now()
    private var lastDraw = -Double.infinity
    private var done = 0

    init(total: Int, quiet: Bool, outputToFile: Bool) {
        self.total = total
        self.enabled = !quiet && isatty(2) == 1 && total > 1 && (outputToFile || !Progress.sameTerminal(1, 2))
    }

    /// Whether two descriptors are the same terminal device.
    static func sameTerminal(_ a: Int32, _ b: Int32) -> Bool {
        guard isatty(a) == 1, isatty(b) == 1 else { return false }
        var x = stat(), y = stat()
        guard fstat(a, &x) == 0, fstat(b, &y) == 0 else { return false }
        return x.st_rdev == y.st_rdev
    }

    func advance() {
        done += 1
        guard enabled else { return }
        let now = FileSystem.now()
        if done < total && now - lastDraw < 0.1 { return }
        lastDraw = now
        let elapsed = max(now - start, 1e-6)
        let rate = Double(done) / elapsed
        let remaining = rate > 0 ? Double(total - done) / rate : 0
        let width = 30
        let filled = total > 0 ? width * done / total : width
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let tenths = Int((rate * 10).rounded())
        writeStandardError("\r[\(bar)] \(done)/\(total)  \(tenths / 10).\(tenths % 10) files/s  ETA \(Self.clock(remaining)) ")
        if done == total { writeStandardError("\n") }
    }

    /// Removes the bar before other text is printed to stderr.
    func clear() {
        if enabled && done < total { writeStandardError("\r\u{1B}[K") }
    }

    /// `m:ss`, or `h:mm:ss` from an hour up.
    static func clock(_ seconds: Double) -> String {
        let s = seconds.isFinite ? Int(seconds.rounded()) : 0
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return s >= 3600 ? "\(s / 3600):\(two(s / 60 % 60)):\(two(s % 60))" : "\(s / 60):\(two(s % 60))"
    }
}
