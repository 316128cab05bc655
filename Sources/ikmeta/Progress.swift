import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A one-line progress bar on stderr (done/total, files/s, ETA), drawn only when stderr is a
/// terminal, at most ten times a second.
final class Progress {
    private let total: Int
    private let enabled: Bool
    private let start = Date()
    private var lastDraw = Date.distantPast
    private var done = 0

    init(total: Int, quiet: Bool) {
        self.total = total
        self.enabled = !quiet && isatty(2) == 1 && total > 1
    }

    func advance() {
        done += 1
        guard enabled else { return }
        let now = Date()
        if done < total && now.timeIntervalSince(lastDraw) < 0.1 { return }
        lastDraw = now
        let elapsed = max(now.timeIntervalSince(start), 1e-6)
        let rate = Double(done) / elapsed
        let remaining = rate > 0 ? Double(total - done) / rate : 0
        let width = 30
        let filled = total > 0 ? width * done / total : width
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let line = String(format: "\r[%@] %d/%d  %.1f files/s  ETA %@ ", bar, done, total, rate, Self.clock(remaining))
        writeStandardError(line)
        if done == total { writeStandardError("\n") }
    }

    /// Removes the bar before other text is printed to stderr.
    func clear() {
        if enabled && done < total { writeStandardError("\r\u{1B}[K") }
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
