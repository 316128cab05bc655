import CImageShims

/// HEIC (and any HEIF brand that is not AVIF's) through libheif, with the fields libvips 8.14's
/// `heifload` reports: the primary image's size with its transformations applied, alpha, a
/// `prof`/`rICC` profile, and resolution 1 px/mm (72 dpi). The `exif` field stays `{}` (SPEC §3).
/// sharp 0.26 has no HEIF loader (libvips-pipeline.md §15.1), so ImageKit gives these files no
/// pHash; the one computed here from libheif's primary image is not checked against ImageKit.
class HEIFFormat: FormatReader {
    class var format: ImageFormat { .heic }

    /// The major brand decides, as libvips' `heif_main_brand` test does: `avif`/`avis` are AVIF.
    class func detect(_ head: [UInt8]) -> Bool {
        guard let brand = majorBrand(head) else { return false }
        return ["heic", "heix", "hevc", "hevx", "mif1", "msf1", "heim", "heis"].contains(brand)
    }

    static func majorBrand(_ head: [UInt8]) -> String? {
        guard head.count >= 12, head.hasPrefix(Array("ftyp".utf8), at: 4) else { return nil }
        return String(decoding: head[8..<12], as: UTF8.self)
    }

    /// libheif's handle on the primary image; it decodes only when the pHash asks for rows.
    let image: HEIFDecoder
    let header: ImageHeader

    /// The file's deadline, started as its container is read.
    let deadline: PHashReader.Deadline

    required init(_ source: ByteSource, limits: Limits) throws(MetadataError) {
        deadline = PHashReader.Deadline(limits)
        if let reason = CImageShims_HEIFUnavailable() {
            throw MetadataError.missingLibrary(format: Self.format, detail: String(cString: reason))
        }
        do {
            image = try HEIFDecoder(DecoderInput(source), length: source.count, limits: limits)
        } catch {
            throw MetadataError.invalidHeader(format: Self.format, detail: error.message)
        }
        header = ImageHeader(
            width: image.format.width, height: image.format.height, bands: image.format.bands, hasAlpha: image.hasAlpha,
            hasColorProfile: image.iccProfile != nil, pixelsPerMM: 1)
    }

    func checkLoad() throws(PixelError) {}

    /// heifload strips the EXIF orientation: libheif has applied irot/imir already (§16).
    func makeDecoder(_ request: DecodeRequest) throws(PixelError) -> DecodedImage {
        DecodedImage(decoder: image, profile: image.iccProfile, demand: .thinStrip)
    }
}

/// AVIF: the same reader, for the `avif` and `avis` major brands.
final class AVIFFormat: HEIFFormat {
    override class var format: ImageFormat { .avif }

    override class func detect(_ head: [UInt8]) -> Bool {
        guard let brand = majorBrand(head) else { return false }
        return brand == "avif" || brand == "avis"
    }
}
