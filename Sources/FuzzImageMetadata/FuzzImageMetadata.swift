// A libFuzzer target over the library's public entry point. Built only when IKMETA_FUZZ=1
// (see README, "Fuzzing"), with `-sanitize=fuzzer,address`.
import FuzzDriver
import ImageMetadata

/// Every input must end in a result or a `MetadataError`, never a crash or a hang.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = fuzzInput(data, size)
    // Odd sizes also take the temporary-file path for whole-image buffers (progressive JPEG
    // coefficients, interlaced PNG passes), which the default limit keeps for large images only.
    var options = ReadOptions()
    if size % 2 == 1 { options.limits.inMemoryImageBytes = 0 }
    // A deadline well inside libFuzzer's -timeout (scripts/fuzz.sh), so that every path that
    // checks it is exercised and one that does not shows up as a time-out finding.
    options.limits.seconds = 3
    _ = try? MetadataReader.read(bytes: bytes, options: options)
    return 0
}

/// The executable's entry point (SwiftPM names it `<target>_main`): hands the command line to libFuzzer.
@_cdecl("FuzzImageMetadata_main")
func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv) { data, size in fuzzOneInput(data, size) }
}
