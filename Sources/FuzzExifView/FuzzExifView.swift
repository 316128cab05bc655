// A libFuzzer target over the EXIF view (`ExifViewReader.read(bytes:)`). Built only when
// IKMETA_FUZZ=1 (see README, "Fuzzing"), with `-sanitize=fuzzer,address`.
import ImageMetadata

/// Every input must end in a view or a `MetadataError`, never a crash or a hang. The view's
/// texts are read so that every description and MakerNote entry is formatted.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    guard let view = try? ExifViewReader.read(bytes: bytes) else { return 0 }
    var length = 0
    for tag in view.tags { length &+= tag.text.utf8.count &+ ExifValueText.raw(tag.entry).utf8.count }
    for tag in view.makerNote?.tags ?? [] { length &+= tag.text.utf8.count }
    return length == -1 ? 1 : 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// The executable's entry point (SwiftPM names it `<target>_main`): hands the command line to libFuzzer.
@_cdecl("FuzzExifView_main")
func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in fuzzOneInput(data, size) }
}
