import Foundation
import Testing

@testable import ImageMetadata

/// The lcms2 transform cache: one transform per profile and layout, bounded, refusals remembered.
struct ColorTransformCacheTests {
    /// The ICC profile of TestImages/icc-srgb.jpg: one APP2 `ICC_PROFILE` chunk.
    static func srgbProfile(_ file: String = #filePath) throws -> [UInt8] {
        let root = URL(fileURLWithPath: file).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let bytes = [UInt8](try Data(contentsOf: root.appendingPathComponent("TestImages/icc-srgb.jpg")))
        let signature = Array("ICC_PROFILE\0".utf8)
        let at = try #require((0..<bytes.count - signature.count).first { Array(bytes[$0..<$0 + signature.count]) == signature })
        let length = Int(bytes[at - 2]) << 8 | Int(bytes[at - 1])  // the segment length includes itself
        return Array(bytes[(at + signature.count + 2)..<(at - 2 + length)])
    }

    @Test func oneTransformPerProfileAndLayout() throws {
        let profile = try Self.srgbProfile()
        let cache = ColorTransformCache(capacity: 2, largestProfile: 1 << 20)
        let a = try #require(cache.transform(profile: profile, interpretation: .sRGB, bands: 3, sixteenBit: false))
        let b = try #require(cache.transform(profile: profile, interpretation: .sRGB, bands: 3, sixteenBit: false))
        #expect(a === b)
        let wide = try #require(cache.transform(profile: profile, interpretation: .rgb16, bands: 3, sixteenBit: true))
        #expect(wide !== a && wide.sixteenBit)
        #expect(cache.count == 2)
    }

    @Test func refusedProfilesAreRememberedAndTheOldestGoesFirst() throws {
        let profile = try Self.srgbProfile()
        let cache = ColorTransformCache(capacity: 2, largestProfile: 1 << 20)
        // An RGB profile on a grey image: libvips refuses it, and so does the cache, once.
        #expect(cache.transform(profile: profile, interpretation: .bw, bands: 1, sixteenBit: false) == nil)
        #expect(cache.transform(profile: [1, 2, 3], interpretation: .sRGB, bands: 3, sixteenBit: false) == nil)
        #expect(cache.count == 2)
        let rgb = try #require(cache.transform(profile: profile, interpretation: .sRGB, bands: 3, sixteenBit: false))
        #expect(cache.count == 2)
        #expect(cache.transform(profile: profile, interpretation: .sRGB, bands: 3, sixteenBit: false) === rgb)
    }

    @Test func largeProfilesAreNotKept() throws {
        let profile = try Self.srgbProfile()
        let cache = ColorTransformCache(capacity: 4, largestProfile: profile.count - 1)
        let a = cache.transform(profile: profile, interpretation: .sRGB, bands: 3, sixteenBit: false)
        let b = cache.transform(profile: profile, interpretation: .sRGB, bands: 3, sixteenBit: false)
        #expect(a != nil && a !== b && cache.count == 0)
    }

    @Test func cachedTransformsConvertLikeNewOnes() throws {
        let profile = try Self.srgbProfile()
        let cached = try #require(ColorTransformCache.shared.transform(profile: profile, interpretation: .sRGB, bands: 3, sixteenBit: false))
        let fresh = try #require(ColorTransform(profile: profile, interpretation: .sRGB, bands: 3, sixteenBit: false))
        let input: [UInt8] = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        var a = [UInt8](repeating: 0, count: 300), b = a
        input.withUnsafeBytes { i in
            a.withUnsafeMutableBytes { cached.apply(i.baseAddress!, $0.baseAddress!, pixels: 100) }
            b.withUnsafeMutableBytes { fresh.apply(i.baseAddress!, $0.baseAddress!, pixels: 100) }
        }
        #expect(a == b)
    }
}
