/// Exact Hamming-radius search over 64-bit hashes by multi-index hashing (Norouzi, Punjani and
/// Fleet, "Fast Search in Hamming Space with Multi-Index Hashing", 2012).
///
/// The 64 bits are cut into m substrings. If two hashes differ in at most r bits, the differing
/// bits fall into m substrings, so at least one substring differs in at most ⌊r/m⌋ bits (the
/// pigeonhole principle; with m = r + 1 one substring is equal). Candidates found through such a
/// substring are then checked with a popcount of the whole hash, so results are exact.
///
/// A query uses the four 16-bit substrings kept in the index and probes each within ⌊r/4⌋ bits;
/// `pairs(within:)` cuts the hashes into m = max(r + 1, 4) substrings of at most 16 bits and
/// compares the hashes that share one exactly.
public struct HammingSearch: Sendable {
    public let hashes: [UInt64]
    /// For each 16-bit substring (the most significant first): the entry numbers ordered by the
    /// substring's value, and where each of the 65,536 values starts in that order.
    private let order: [[UInt32]]
    private let starts: [[UInt32]]

    static let queryBands = Bands(count: 4)

    public init(hashes: [UInt64]) {
        precondition(hashes.count < Int(UInt32.max), "at most 2^32 - 1 hashes")
        self.hashes = hashes
        var order: [[UInt32]] = [], starts: [[UInt32]] = []
        for band in 0..<4 {
            let sorted = Self.countingSort(hashes, bands: Self.queryBands, band: band)
            order.append(sorted.order)
            starts.append(sorted.starts)
        }
        self.order = order
        self.starts = starts
    }

    /// Bytes of memory the search structure holds: the hashes, four orders and their start tables.
    public var memoryBytes: Int { hashes.count * (8 + 4 * 4) + 4 * 65_537 * 4 }

    /// Every entry within `radius` bits of `query`, nearest first, then in entry order.
    public func neighbours(of query: UInt64, within radius: Int) -> [(entry: Int, distance: Int)] {
        guard radius >= 0 else { return [] }
        var found: [(entry: Int, distance: Int)] = []
        let bandRadius = radius / 4
        let masks = Self.masks(bits: 16, upTo: bandRadius)
        if masks.count * 4 >= hashes.count {
            // Probing would touch more buckets than there are hashes: a scan is cheaper.
            for (i, h) in hashes.enumerated() {
                let d = (h ^ query).nonzeroBitCount
                if d <= radius { found.append((i, d)) }
            }
        } else {
            let bands = Self.queryBands
            for band in 0..<4 {
                let key = bands.key(query, band)
                order[band].withUnsafeBufferPointer { order in
                    starts[band].withUnsafeBufferPointer { starts in
                        hashes.withUnsafeBufferPointer { hashes in
                            for mask in masks {
                                let probe = Int(key ^ mask)
                                for slot in Int(starts[probe])..<Int(starts[probe + 1]) {
                                    let entry = Int(order[slot])
                                    let x = hashes[entry] ^ query
                                    let d = x.nonzeroBitCount
                                    guard d <= radius else { continue }
                                    // Found already through an earlier substring close enough to probe?
                                    var earlier = false
                                    for b in 0..<band where bands.key(x, b).nonzeroBitCount <= bandRadius {
                                        earlier = true
                                        break
                                    }
                                    if !earlier { found.append((entry, d)) }
                                }
                            }
                        }
                    }
                }
            }
        }
        found.sort { ($0.distance, $0.entry) < ($1.distance, $1.entry) }
        return found
    }

    /// Every pair of entries (i < j) within `radius` bits of each other, with its distance, in no
    /// particular order. Each pair is reported once: by the first substring in which it is equal.
    public func pairs(within radius: Int) -> [(Int, Int, Int)] {
        Self.pairs(hashes, within: radius)
    }

    public static func pairs(_ hashes: [UInt64], within radius: Int) -> [(Int, Int, Int)] {
        guard radius >= 0, hashes.count > 1 else { return [] }
        if radius >= 64 {
            // Every pair is within 64 bits; no substring has to be equal.
            return (0..<hashes.count).flatMap { i in
                ((i + 1)..<hashes.count).map { j in (i, j, (hashes[i] ^ hashes[j]).nonzeroBitCount) }
            }
        }
        let bands = Bands(count: max(radius + 1, 4))
        var found: [(Int, Int, Int)] = []
        var sortedHashes = [UInt64](repeating: 0, count: hashes.count)
        for band in 0..<bands.count {
            let sorted = countingSort(hashes, bands: bands, band: band)
            sorted.order.withUnsafeBufferPointer { order in
                hashes.withUnsafeBufferPointer { hashes in
                    sortedHashes.withUnsafeMutableBufferPointer { sortedHashes in
                        for slot in 0..<order.count { sortedHashes[slot] = hashes[Int(order[slot])] }
                        var start = 0
                        while start < order.count {
                            var end = start + 1
                            let key = bands.key(sortedHashes[start], band)
                            while end < order.count && bands.key(sortedHashes[end], band) == key { end += 1 }
                            for a in start..<end {
                                let ha = sortedHashes[a]
                                for b in (a + 1)..<end {
                                    let x = ha ^ sortedHashes[b]
                                    let d = x.nonzeroBitCount
                                    guard d <= radius else { continue }
                                    var earlier = false
                                    for e in 0..<band where bands.key(x, e) == 0 {
                                        earlier = true
                                        break
                                    }
                                    if earlier { continue }
                                    let i = Int(order[a]), j = Int(order[b])
                                    found.append((min(i, j), max(i, j), d))
                                }
                            }
                            start = end
                        }
                    }
                }
            }
        }
        return found
    }

    /// The entries ordered by one substring (a stable counting sort) and the start of each value.
    private static func countingSort(_ hashes: [UInt64], bands: Bands, band: Int) -> (order: [UInt32], starts: [UInt32]) {
        let values = 1 << bands.width(band)
        var starts = [UInt32](repeating: 0, count: values + 1)
        for h in hashes { starts[Int(bands.key(h, band)) + 1] += 1 }
        for v in 0..<values { starts[v + 1] += starts[v] }
        var next = starts
        var order = [UInt32](repeating: 0, count: hashes.count)
        for (i, h) in hashes.enumerated() {
            let k = Int(bands.key(h, band))
            order[Int(next[k])] = UInt32(i)
            next[k] += 1
        }
        return (order, starts)
    }

    /// Every `bits`-bit value with at most `weight` bits set, fewest first.
    static func masks(bits: Int, upTo weight: Int) -> [UInt64] {
        var out: [UInt64] = [0]
        var frontier: [UInt64] = [0]
        for _ in 0..<min(weight, bits) {
            var next: [UInt64] = []
            for m in frontier {
                // Extend with a bit above the highest one set, so each mask is made once.
                let from = m == 0 ? 0 : 64 - m.leadingZeroBitCount
                for bit in from..<bits { next.append(m | 1 << UInt64(bit)) }
            }
            out += next
            frontier = next
        }
        return out
    }
}

/// 64 bits cut into `count` substrings of near-equal width, the wider ones first, the first
/// substring holding the most significant bits.
struct Bands: Sendable {
    let count: Int
    private let shifts: [UInt64]
    private let masks: [UInt64]
    private let widths: [Int]

    init(count: Int) {
        precondition((1...64).contains(count))
        self.count = count
        var shifts: [UInt64] = [], masks: [UInt64] = [], widths: [Int] = []
        var top = 64
        for band in 0..<count {
            let width = 64 / count + (band < 64 % count ? 1 : 0)
            top -= width
            shifts.append(UInt64(top))
            masks.append(width == 64 ? .max : (1 << UInt64(width)) - 1)
            widths.append(width)
        }
        self.shifts = shifts
        self.masks = masks
        self.widths = widths
    }

    func width(_ band: Int) -> Int { widths[band] }

    @inline(__always)
    func key(_ hash: UInt64, _ band: Int) -> UInt64 { (hash >> shifts[band]) & masks[band] }
}
