import Testing
@testable import PerceptualHash

/// Hash-stage vectors on 32×32 LCG input (SPEC §4, phash.md §3.2) and published image vectors.
struct HashStageVectorTests {
    @Test("ImageKit hash stage on LCG input", arguments: [
        (UInt64(380), "00dc4e71165ebed3"),
        (UInt64(343), "e75322d35eaa2629"),
    ])
    func imagekitLCG(seed: UInt64, expected: String) {
        #expect(PerceptualHash.hash(pixels: lcgPixels(seed: seed)).description == expected)
    }

    @Test("imagehash hash stage on LCG input", arguments: [
        (UInt64(380), "d8213a092f33b797"),
        (UInt64(343), "b2ca6cd32c06457f"),
    ])
    func imagehashLCG(seed: UInt64, expected: String) {
        #expect(PerceptualHash.hash(pixels: lcgPixels(seed: seed), variant: .imagehash).description == expected)
    }

    @Test("libpHash 0.9 hash stage on LCG input", arguments: [
        (UInt64(380), "88f47666fa48aec2"),
        (UInt64(343), "8b7f51b01ae51b29"),
    ])
    func libphashLCG(seed: UInt64, expected: String) {
        #expect(PerceptualHash.hash(pixels: lcgPixels(seed: seed), variant: .libphash).description == expected)
    }

    @Test("the LCG generator starts from the first updated state")
    func lcgFirstByte() {
        // (1103515245·380 + 12345) mod 2³¹, then bits 16...23.
        let state = (1_103_515_245 * 380 + 12345) % (1 << 31)
        #expect(lcgBytes(count: 1, seed: 380) == [UInt8((state >> 16) & 255)])
    }

    @Test("a hash starting with zero bits keeps its leading zeros")
    func zeroPadded() {
        let hash = PerceptualHash.hash(pixels: lcgPixels(seed: 380))
        #expect(hash.value >> 56 == 0)
        #expect(hash.description.count == 16)
        #expect(hash.description.hasPrefix("00"))
    }

    @Test("ImageKit is the default variant")
    func defaultVariant() {
        let pixels = lcgPixels(seed: 343)
        #expect(PerceptualHash.hash(pixels: pixels) == PerceptualHash.hash(pixels: pixels, variant: .imagekit))
    }
}

/// Properties every DCT hash must have, checked on inputs whose bits are far from the threshold.
struct HashStageInvarianceTests {
    @Test("doubling every pixel (an exact float scaling) changes no bit", arguments: PHashVariant.allCases)
    func scaling(variant: PHashVariant) {
        for seed in [UInt64(380), 343, 7] {
            let pixels = lcgPixels(seed: seed)
            #expect(PerceptualHash.hash(pixels: pixels.map { $0 * 2 }, variant: variant)
                == PerceptualHash.hash(pixels: pixels, variant: variant))
        }
    }

    @Test("a uniform brightness offset moves only DC, which the ImageKit and libpHash blocks exclude",
          arguments: [PHashVariant.imagekit, .libphash])
    func offset(variant: PHashVariant) {
        for seed in [UInt64(380), 343, 7] {
            let pixels = lcgPixels(seed: seed)
            #expect(PerceptualHash.hash(pixels: pixels.map { $0 + 40 }, variant: variant)
                == PerceptualHash.hash(pixels: pixels, variant: variant))
        }
    }

    @Test("transposing the image transposes the ImageKit block: bit (u, v) becomes bit (v, u)")
    func transpose() {
        let pixels = lcgPixels(seed: 343)
        var transposed = pixels
        for y in 0..<32 { for x in 0..<32 { transposed[32 * x + y] = pixels[32 * y + x] } }
        let a = PerceptualHash.hash(pixels: pixels).value
        let b = PerceptualHash.hash(pixels: transposed).value
        for u in 0..<8 {
            for v in 0..<8 {
                #expect((a >> UInt64(63 - (8 * u + v))) & 1 == (b >> UInt64(63 - (8 * v + u))) & 1)
            }
        }
    }
}
