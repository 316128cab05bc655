// The one-machine scale figures of the pHash index (Benchmarks/RESULTS.md, "Index scale"):
//   swift build -c release --product index-scale && .build/release/index-scale [COUNT]
// COUNT (default 1,000,000) random 64-bit hashes with near-copies planted among them; one thread.
import PerceptualHash
import PerceptualHashIndex

#if canImport(Glibc)
import Glibc
#endif

func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

func cpu() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

func peakResidentKiB() -> Int {
    guard let f = fopen("/proc/self/status", "r") else { return 0 }
    defer { fclose(f) }
    var line = [CChar](repeating: 0, count: 256)
    while fgets(&line, 256, f) != nil {
        let s = String(cString: line)
        if s.hasPrefix("VmHWM:") { return Int(s.split(separator: " ")[1]) ?? 0 }
    }
    return 0
}

struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random hashes; after every 100th, 1–3 copies with 0–8 bits flipped (about 2% near-copies).
func planted(_ count: Int) -> [UInt64] {
    var random = SplitMix64(state: 2026)
    var out: [UInt64] = []
    out.reserveCapacity(count)
    while out.count < count {
        let base = random.next()
        out.append(base)
        guard out.count % 100 == 1 else { continue }
        for _ in 0..<(1 + random.next() % 3) where out.count < count {
            var copy = base
            for _ in 0..<(random.next() % 9) { copy ^= 1 << (random.next() % 64) }
            out.append(copy)
        }
    }
    return out
}

/// Prints a line at once (stdout may be a pipe, which print would buffer until the end).
func say(_ line: String) {
    print(line)
    fflush(nil)
}

func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }
func percentile(_ xs: [Double], _ p: Double) -> Double { xs.sorted()[min(xs.count - 1, Int(Double(xs.count) * p))] }
func ms(_ s: Double) -> String { "\(Double(Int((s * 1e5).rounded())) / 100) ms" }
func us(_ s: Double) -> String { "\(Double(Int((s * 1e7).rounded())) / 10) µs" }

let count = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1])! : 1_000_000
let hashes = planted(count)
say("hashes: \(count) (random, with near-copies planted after every 100th)")

var t = now()
let entries = hashes.enumerated().map { IndexEntry(path: "", hash: PHash($1), width: 1000, height: 750, size: 250_000) }
let index = try PHashIndex(entries: entries)
say("build (encode + load + search tables): \(ms(now() - t))")
t = now()
let reloaded = try PHashIndex(bytes: index.bytes)
say("load from bytes (checks + search tables): \(ms(now() - t))")
let perHash = Double(index.bytes.count + index.search.memoryBytes) / Double(count)
say("index memory: \(index.search.memoryBytes / count) B/hash search tables + \(index.bytes.count / count) B/hash records (empty paths) = \(Double(Int(perHash * 10)) / 10) B/hash; paths add their length")

var random = SplitMix64(state: 7)
for radius in [4, 8] {
    var times: [Double] = []
    var found = 0
    for q in 0..<2000 {
        // Half the queries near a stored hash, half arbitrary.
        let query = q % 2 == 0 ? hashes[Int(random.next() % UInt64(count))] ^ (1 << (random.next() % 64)) : random.next()
        let start = now()
        found += reloaded.matches(of: PHash(query), maxDistance: radius).count
        times.append(now() - start)
    }
    say("query K=\(radius): median \(us(median(times))), p99 \(us(percentile(times, 0.99))), \(found) matches over 2000 queries")
}

for radius in [0, 2, 4] {
    t = now()
    let c = cpu()
    let pairs = reloaded.search.pairs(within: radius)
    say("all pairs K=\(radius): \(ms(now() - t)) wall, \(ms(cpu() - c)) CPU, \(pairs.count) pairs")
}
t = now()
let c = cpu()
let groups = reloaded.duplicateGroups(maxDistance: 4)
say("duplicate groups K=4: \(ms(now() - t)) wall, \(ms(cpu() - c)) CPU, \(groups.count) groups")

// Exactness on the first 100,000: all pairs against a brute-force scan.
let subset = Array(hashes.prefix(100_000))
t = now()
let indexed = HammingSearch.pairs(subset, within: 4).map { [$0.0, $0.1, $0.2] }.sorted { $0.lexicographicallyPrecedes($1) }
let indexTime = now() - t
t = now()
var brute: [[Int]] = []
subset.withUnsafeBufferPointer { h in
    for i in 0..<h.count {
        for j in (i + 1)..<h.count where (h[i] ^ h[j]).nonzeroBitCount <= 4 { brute.append([i, j, (h[i] ^ h[j]).nonzeroBitCount]) }
    }
}
say("100k subset, K=4: index \(ms(indexTime)), brute force \(ms(now() - t)), \(brute.count) pairs, equal: \(indexed == brute)")
say("peak resident memory: \(peakResidentKiB() / 1024) MiB")
