/// Near-duplicate groups of an index: the connected components of the graph that links every two
/// entries within `maxDistance` bits. Each group has two or more members and names the one to
/// keep: the largest pixel count (width × height), then the largest file, then the first entry.
/// A member's distance is measured to the kept member, so in a chain (a ~ b ~ c) it may exceed
/// `maxDistance`.
public struct DuplicateGroup: Equatable, Sendable {
    /// The entry suggested to keep.
    public var keep: Int
    /// Every member with its distance to `keep`: `keep` first, then nearest first, then in index order.
    public var members: [Member]

    public struct Member: Equatable, Sendable {
        public var entry: Int
        public var distance: Int
    }
}

extension PHashIndex {
    /// The groups, ordered by their first entry in index order.
    public func duplicateGroups(maxDistance: Int) -> [DuplicateGroup] {
        var parent = Array(0..<count)
        func root(_ i: Int) -> Int {
            var i = i
            while parent[i] != i {
                parent[i] = parent[parent[i]]
                i = parent[i]
            }
            return i
        }
        let pairs = search.pairs(within: maxDistance)
        for (a, b, _) in pairs {
            let ra = root(a), rb = root(b)
            if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
        }
        // Only entries with a near-copy can be in a group.
        var paired = [Bool](repeating: false, count: count)
        for (a, b, _) in pairs {
            paired[a] = true
            paired[b] = true
        }
        var components: [Int: [Int]] = [:]
        var firsts: [Int] = []
        for i in 0..<count where paired[i] {
            let r = root(i)
            if components[r] == nil { firsts.append(r) }
            components[r, default: []].append(i)
        }
        return firsts.map { r -> DuplicateGroup in
            let members = components[r]!
            let records = members.map { (entry: $0, record: entry($0)) }
            // Largest pixel count, then largest file; ties go to the first entry (max keeps the first maximum).
            let keep = records.max { a, b in
                let pa = a.record.width * a.record.height, pb = b.record.width * b.record.height
                return (pa, a.record.size, b.entry) < (pb, b.record.size, a.entry)
            }!
            let keptHash = keep.record.hash
            var listed = records.map { DuplicateGroup.Member(entry: $0.entry, distance: $0.record.hash.distance(to: keptHash)) }
            listed.sort { a, b in
                (a.entry != keep.entry ? 1 : 0, a.distance, a.entry) < (b.entry != keep.entry ? 1 : 0, b.distance, b.entry)
            }
            return DuplicateGroup(keep: keep.entry, members: listed)
        }
    }
}
