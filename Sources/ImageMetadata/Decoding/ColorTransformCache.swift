import Synchronization

/// lcms2 transforms already built, per profile and pixel layout, so that a batch of photos from one
/// camera builds its transform once (building one costs about as much as converting a megapixel).
/// A profile libvips refuses is remembered too. At most `capacity` entries, least recently used
/// out first; profiles over `largestProfile` bytes are not kept.
///
/// Sharing is safe: every transform is created with `cmsFLAGS_NOCACHE`, which leaves it no mutable
/// state, so threads may run one transform at once (lcms2 API, `cmsDoTransform`).
final class ColorTransformCache: Sendable {
    struct Key: Hashable, Sendable {
        let profile: [UInt8]
        let interpretation: PixelInterpretation
        let bands: Int
        let sixteenBit: Bool
    }

    static let shared = ColorTransformCache(capacity: 8, largestProfile: 1 << 20)

    private let capacity: Int
    private let largestProfile: Int
    /// Most recently used last.
    private let entries = Mutex<[(key: Key, transform: ColorTransform?)]>([])

    init(capacity: Int, largestProfile: Int) {
        self.capacity = capacity
        self.largestProfile = largestProfile
    }

    /// The transform for `profile` and the image's layout, built on first use; nil where libvips
    /// refuses the profile (`ColorTransform.init`).
    func transform(profile: [UInt8], interpretation: PixelInterpretation, bands: Int, sixteenBit: Bool) -> ColorTransform? {
        let build = { ColorTransform(profile: profile, interpretation: interpretation, bands: bands, sixteenBit: sixteenBit) }
        guard profile.count <= largestProfile, capacity > 0 else { return build() }
        let key = Key(profile: profile, interpretation: interpretation, bands: bands, sixteenBit: sixteenBit)
        if let hit = entries.withLock({ list -> ColorTransform?? in
            guard let i = list.firstIndex(where: { $0.key == key }) else { return nil }
            let entry = list.remove(at: i)
            list.append(entry)
            return .some(entry.transform)
        }) {
            return hit
        }
        let made = build()  // outside the lock: other threads go on meanwhile
        entries.withLock { list in
            guard !list.contains(where: { $0.key == key }) else { return }
            if list.count == capacity { list.removeFirst() }
            list.append((key, made))
        }
        return made
    }

    /// Entries held now (for tests).
    var count: Int { entries.withLock { $0.count } }
}
