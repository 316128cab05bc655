/// `density` (SPEC §2): libvips' resolution in pixels per millimetre, as sharp reports it in dpi.
enum Density {
    /// libvips' default when a file says nothing: 72 dpi.
    static let defaultPixelsPerMM = 72.0 / 25.4

    /// sharp's `round(xres × 25.4)`; ImageKit sends 72 where sharp would omit the key (xres ≤ 1 px/mm).
    static func dpi(pixelsPerMM xres: Double) -> Int {
        guard xres.isFinite, xres > 1.0 else { return 72 }
        let dpi = (xres * 25.4).rounded(.toNearestOrAwayFromZero)
        return dpi < Double(Int32.max) ? Int(dpi) : Int(Int32.max)
    }

    /// IFD0 XResolution/YResolution (one rational each; x/0 counts as 0) with ResolutionUnit
    /// (default inch; 1 = aspect ratio only, which leaves the resolution alone) as libvips reads them.
    static func exifResolution(_ exif: LibExifData?) -> Double? {
        guard let exif,
            let x = exif.entry(0x011A, in: .zero), x.components == 1,
            let y = exif.entry(0x011B, in: .zero), y.components == 1,
            let (xn, xd) = x.rational(0, bigEndian: exif.bigEndian), y.rational(0, bigEndian: exif.bigEndian) != nil
        else { return nil }
        var xres = xd == 0 ? 0 : Double(xn) / Double(xd)
        var unit = 2
        if let u = exif.entry(0x0128, in: .zero), u.components == 1, let value = u.integer(0, bigEndian: exif.bigEndian) {
            unit = value
        }
        switch unit {
        case 1: return nil
        case 2: xres /= 25.4
        case 3: xres /= 10.0
        default: return nil
        }
        return max(0, xres)
    }
}
