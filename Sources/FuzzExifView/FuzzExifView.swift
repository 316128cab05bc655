// A libFuzzer target over the EXIF view (`ExifViewReader.read(bytes:)`). Built only when
// IKMETA_FUZZ=1 (see README, "Fuzzing"), with `-sanitize=fuzzer,address`.
import FuzzDriver
import ImageMetadata

/// Every input must end in a view or a `MetadataError`, never a crash or a hang. The view's
/// texts are read so that every description and MakerNote entry is formatted.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = fuzzInput(data, size)
    guard let view = try? ExifViewReader.read(bytes: bytes) else { return 0 }
    var length = 0
    for tag in view.tags { length &+= tag.text.utf8.count &+ ExifValueText.raw(tag.entry).utf8.count }
    for tag in view.makerNote?.tags ?? [] { length &+= tag.text.utf8.count }
    return length < 0 ? -1 : 0  // uses the texts; -1 (never reached) only keeps the input out of the corpus
}

/// The executable's entry point (SwiftPM names it `<target>_main`).
@_cdecl("FuzzExifView_main")
func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv) { data, size in fuzzOneInput(data, size) }
}
