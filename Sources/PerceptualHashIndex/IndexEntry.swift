import PerceptualHash

/// One image of an index: where it is, its pHash, and what decides which near-copy to keep.
/// A width, height or size of 0 means unknown (an entry made from a bare hash).
public struct IndexEntry: Equatable, Sendable {
    public var path: String
    public var hash: PHash
    public var width: Int
    public var height: Int
    public var size: Int

    public init(path: String, hash: PHash, width: Int = 0, height: Int = 0, size: Int = 0) {
        self.path = path
        self.hash = hash
        self.width = width
        self.height = height
        self.size = size
    }
}
