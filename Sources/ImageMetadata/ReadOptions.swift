/// How much work a read does.
public struct ReadOptions: Sendable, Equatable {
    public enum PHashMode: Sendable, Equatable {
        /// Full decode and libvips 8.10 arithmetic: ImageKit's hash (SPEC §4).
        case exact
        /// JPEGs decoded at 1/2–1/8 scale; may differ from ImageKit by a few bits (SPEC §4).
        case fast
        /// No pixels are decoded and the `pHash` key is left out.
        case none
    }

    public var pHash: PHashMode

    public init(pHash: PHashMode = .exact) {
        self.pHash = pHash
    }
}
