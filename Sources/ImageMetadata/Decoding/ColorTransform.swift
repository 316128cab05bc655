import CLCMS2

/// One lcms2 transform to libvips 8.10's sRGB (SPEC §4 step 2; libvips-pipeline.md §6, §15.7).
/// No lcms name is used outside this file.
final class ColorTransform {
    private let transform: cmsHTRANSFORM
    /// Colour samples per input pixel; like libvips, the caller passes the colour bands alone.
    let inputColorBands: Int
    let sixteenBit: Bool

    /// lcms pixel-format words (lcms2.h `COLORSPACE_SH | CHANNELS_SH | BYTES_SH | EXTRA_SH`).
    private static func pixelFormat(space: Int32, channels: Int, extra: Int, sixteenBit: Bool) -> UInt32 {
        UInt32(space) << 16 | UInt32(extra) << 7 | UInt32(channels) << 3 | (sixteenBit ? 2 : 1)
    }

    /// The transform libvips 8.10 `icc_transform` builds for an image of `interpretation` with `bands`
    /// bands from `profile`, or nil where libvips refuses the profile ("no input profile"): lcms cannot
    /// open it, or its channel count or colour space does not fit the image (§15.7).
    init?(profile: [UInt8], interpretation: PixelInterpretation, bands: Int, sixteenBit: Bool) {
        guard !profile.isEmpty else { return nil }
        guard let input = profile.withUnsafeBytes({ cmsOpenProfileFromMem($0.baseAddress, UInt32($0.count)) })
        else { return nil }
        defer { cmsCloseProfile(input) }
        let space = cmsGetColorSpace(input)
        let needs: Int
        let type: Int32
        switch space {
        case cmsSigGrayData: (needs, type) = (1, PT_GRAY)
        case cmsSigRgbData: (needs, type) = (3, PT_RGB)
        case cmsSigCmykData: (needs, type) = (4, PT_CMYK)
        default: return nil  // Lab/XYZ profiles never match the interpretations a loader gives here
        }
        let expected: Int
        let expectedSpace: cmsColorSpaceSignature
        switch interpretation {
        case .bw, .grey16: (expected, expectedSpace) = (1, cmsSigGrayData)
        case .sRGB, .rgb16: (expected, expectedSpace) = (3, cmsSigRgbData)
        case .cmyk: (expected, expectedSpace) = (4, cmsSigCmykData)
        }
        guard min(expected, bands) == needs, expectedSpace == space else { return nil }
        guard let output = BuiltInProfiles.sRGB.withUnsafeBytes({ cmsOpenProfileFromMem($0.baseAddress, UInt32($0.count)) })
        else { return nil }
        defer { cmsCloseProfile(output) }
        let inFormat = Self.pixelFormat(space: type, channels: needs, extra: 0, sixteenBit: sixteenBit)
        let outFormat = Self.pixelFormat(space: PT_RGB, channels: 3, extra: 0, sixteenBit: sixteenBit)
        guard let t = cmsCreateTransform(
            input, inFormat, output, outFormat, UInt32(INTENT_PERCEPTUAL), UInt32(cmsFLAGS_NOCACHE))
        else { return nil }
        transform = t
        inputColorBands = needs
        self.sixteenBit = sixteenBit
    }

    /// libvips' fallback for CMYK images without a usable profile: its built-in "cmyk" profile.
    static func cmykFallback(bands: Int) -> ColorTransform? {
        ColorTransform(profile: BuiltInProfiles.cmykInput, interpretation: .cmyk, bands: bands, sixteenBit: false)
    }

    deinit { cmsDeleteTransform(transform) }

    /// Converts `pixels` pixels of `input` (`inputColorBands` samples each) into RGB triples in `output`.
    func apply(_ input: UnsafeRawPointer, _ output: UnsafeMutableRawPointer, pixels: Int) {
        cmsDoTransform(transform, input, output, UInt32(pixels))
    }
}
