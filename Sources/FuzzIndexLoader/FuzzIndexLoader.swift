// A libFuzzer target over the index file loader. Built only when IKMETA_FUZZ=1
// (`bash scripts/fuzz.sh 600 FuzzIndexLoader`), with `-sanitize=fuzzer,address`.
import FuzzDriver
import PerceptualHash
import PerceptualHashIndex

/// Every input must be refused with an `IndexFileError` or load into an index whose entries
/// encode back to the same bytes and whose search agrees with a scan.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    var bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    // Odd sizes get a correct checksum, so that mutations also reach the checks behind it.
    if size % 2 == 1 && size >= PHashIndex.headerSize {
        let sum = PHashIndex.checksum(bytes, from: PHashIndex.headerSize)
        for k in 0..<8 { bytes[32 + k] = UInt8(truncatingIfNeeded: sum >> UInt64(8 * k)) }
    }
    guard let index = try? PHashIndex(bytes: bytes) else { return 0 }
    let entries = index.entries
    guard let again = try? PHashIndex.encode(entries) else { fatalError("a loaded index does not encode again") }
    precondition(again.count == bytes.count, "a loaded index does not round-trip")
    if let query = entries.first?.hash {
        let found = index.matches(of: query, maxDistance: 6).map(\.entry)
        let scanned = entries.indices.filter { entries[$0].hash.distance(to: query) <= 6 }
        precondition(Set(found) == Set(scanned), "search disagrees with a scan")
    }
    return 0
}

/// The executable's entry point (SwiftPM names it `<target>_main`): hands the command line to libFuzzer.
@_cdecl("FuzzIndexLoader_main")
func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv) { data, size in fuzzOneInput(data, size) }
}
