import PerceptualHash
import Testing

@testable import PerceptualHashIndex

/// SplitMix64: a fixed stream of 64-bit values, so every run tests the same hashes.
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

/// `count` random hashes with near-copies planted among them: every 50th hash is followed by
/// copies of itself with 0 to 12 bits flipped, and one in 500 by an exact copy.
func plantedHashes(count: Int, seed: UInt64) -> [UInt64] {
    var random = SplitMix64(state: seed)
    var out: [UInt64] = []
    out.reserveCapacity(count)
    while out.count < count {
        let base = random.next()
        out.append(base)
        guard out.count % 50 == 1 else { continue }
        for _ in 0..<(random.next() % 4) where out.count < count {
            var copy = base
            for _ in 0..<(random.next() % 13) { copy ^= 1 << (random.next() % 64) }
            out.append(copy)
        }
        if out.count % 500 == 2 && out.count < count { out.append(base) }
    }
    return out
}

/// All pairs within `radius`, by comparing every hash with every later one.
func bruteForcePairs(_ hashes: [UInt64], within radius: Int) -> [(Int, Int, Int)] {
    var found: [(Int, Int, Int)] = []
    hashes.withUnsafeBufferPointer { h in
        for i in 0..<h.count {
            let a = h[i]
            var j = i + 1
            while j < h.count {
                let d = (a ^ h[j]).nonzeroBitCount
                if d <= radius { found.append((i, j, d)) }
                j += 1
            }
        }
    }
    return found
}

func key(_ pairs: [(Int, Int, Int)]) -> [[Int]] {
    pairs.map { [$0.0, $0.1, $0.2] }.sorted { $0.lexicographicallyPrecedes($1) }
}

@Suite struct HammingSearchTests {
    static let hashes = plantedHashes(count: 100_000, seed: 16)
    static let search = HammingSearch(hashes: hashes)

    @Test(arguments: [0, 3, 4, 8, 12])
    func queriesEqualAScanOfTheHundredThousand(radius: Int) {
        var random = SplitMix64(state: UInt64(radius))
        // Planted hashes (with near-copies beside them) and arbitrary values.
        var queries = (0..<20).map { Self.hashes[$0 * 4_950 + 1] }
        queries += (0..<5).map { _ in random.next() }
        for q in queries {
            var expected: [[Int]] = []
            Self.hashes.withUnsafeBufferPointer { h in
                for i in 0..<h.count where (h[i] ^ q).nonzeroBitCount <= radius { expected.append([(h[i] ^ q).nonzeroBitCount, i]) }
            }
            expected.sort { $0.lexicographicallyPrecedes($1) }
            let found = Self.search.neighbours(of: q, within: radius).map { [$0.distance, $0.entry] }
            #expect(found == expected, "query \(PHash(q)) at radius \(radius)")
        }
    }

    @Test(arguments: [0, 1, 3, 4, 6, 8, 12, 20, 64])
    func pairsEqualBruteForce(radius: Int) {
        let hashes = plantedHashes(count: 2_000, seed: UInt64(100 + radius))
            + (0..<64).map { UInt64(1) << UInt64($0) }  // 0–2 bits apart, across every substring boundary
        #expect(key(HammingSearch.pairs(hashes, within: radius)) == key(bruteForcePairs(hashes, within: radius)))
    }

    @Test func masksListEveryValueOnceByWeight() {
        let masks = HammingSearch.masks(bits: 16, upTo: 2)
        #expect(masks.count == 1 + 16 + 120)
        #expect(Set(masks).count == masks.count)
        #expect(masks.allSatisfy { $0 < 1 << 16 && $0.nonzeroBitCount <= 2 })
    }

    @Test func bandsCoverEveryBitOnce() {
        for m in 1...64 {
            let bands = Bands(count: m)
            var covered: UInt64 = 0
            for b in 0..<m {
                let field = bands.key(.max, b) == 0 ? 0 : (0..<64).reduce(UInt64(0)) { acc, bit in
                    bands.key(1 << UInt64(bit), b) != 0 ? acc | 1 << UInt64(bit) : acc
                }
                #expect(covered & field == 0)
                covered |= field
            }
            #expect(covered == .max, "m = \(m)")
        }
    }
}
