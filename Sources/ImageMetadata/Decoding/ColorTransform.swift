import CLCMS2

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One lcms2 transform to libvips 8.10's sRGB (SPEC §4 step 2; libvips-pipeline.md §6, §15.7).
/// No lcms name is used outside this file. Immutable after init and built with `cmsFLAGS_NOCACHE`,
/// so threads may share one (`ColorTransformCache`).
final class ColorTransform: @unchecked Sendable {
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
        guard let output = Self.libvipsSRGB() else { return nil }
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

    /// The output profile of every libvips 8.10 transform, its built-in "srgb" (libvips-pipeline.md §6),
    /// rebuilt from its contents: a version 2 RGB display profile whose only tags a perceptual
    /// transform reads are the three colorants and the three tone curves. The colorants are the
    /// profile's s15.16 numbers (the sRGB primaries adapted to D50); each curve is 1024 steps of the
    /// sRGB decoding function, rounded to 16 bits. The media white point (D65) is kept for
    /// completeness; a perceptual transform of a matrix-shaper profile does not use it.
    static func libvipsSRGB() -> cmsHPROFILE? {
        guard let profile = cmsCreateProfilePlaceholder(nil) else { return nil }
        cmsSetProfileVersion(profile, 2.3)
        cmsSetDeviceClass(profile, cmsSigDisplayClass)
        cmsSetColorSpace(profile, cmsSigRgbData)
        cmsSetPCS(profile, cmsSigXYZData)
        func xyz(_ x: Int32, _ y: Int32, _ z: Int32) -> cmsCIEXYZ {
            cmsCIEXYZ(X: Double(x) / 65536, Y: Double(y) / 65536, Z: Double(z) / 65536)
        }
        var white = xyz(62269, 65536, 71320)
        var red = xyz(28564, 14574, 912)
        var green = xyz(25253, 46992, 6366)
        var blue = xyz(9373, 3971, 46782)
        let steps: [UInt16] = (0..<1024).map { i in
            let v = Double(i) / 1023
            let linear = v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4)
            return UInt16((linear * 65535 + 0.5).rounded(.down))
        }
        guard let curve = steps.withUnsafeBufferPointer({ cmsBuildTabulatedToneCurve16(nil, 1024, $0.baseAddress) })
        else {
            cmsCloseProfile(profile)
            return nil
        }
        defer { cmsFreeToneCurve(curve) }
        let written = cmsWriteTag(profile, cmsSigMediaWhitePointTag, &white) != 0
            && cmsWriteTag(profile, cmsSigRedColorantTag, &red) != 0
            && cmsWriteTag(profile, cmsSigGreenColorantTag, &green) != 0
            && cmsWriteTag(profile, cmsSigBlueColorantTag, &blue) != 0
            && cmsWriteTag(profile, cmsSigRedTRCTag, UnsafeRawPointer(curve)) != 0
            && cmsWriteTag(profile, cmsSigGreenTRCTag, UnsafeRawPointer(curve)) != 0
            && cmsWriteTag(profile, cmsSigBlueTRCTag, UnsafeRawPointer(curve)) != 0
        guard written else {
            cmsCloseProfile(profile)
            return nil
        }
        return profile
    }

    deinit { cmsDeleteTransform(transform) }

    /// Converts `pixels` pixels of `input` (`inputColorBands` samples each) into RGB triples in `output`.
    func apply(_ input: UnsafeRawPointer, _ output: UnsafeMutableRawPointer, pixels: Int) {
        cmsDoTransform(transform, input, output, UInt32(pixels))
    }
}
