import Foundation
import Testing
@testable import ImageMetadata

/// Every file of ../shared/corpus against node-exif 0.6.0's own output
/// (../shared/corpus-reference/nodeexif.jsonl; an `error` record means `{}`), byte for byte as
/// JSON, key order included (SPEC §3, §6).
struct ExifConformanceTests {
    static let shared = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared")
    static let oracle = shared.appendingPathComponent("corpus-reference/nodeexif.jsonl")
    static let available = FileManager.default.fileExists(atPath: oracle.path)

    /// (file, expected compact JSON of `exif`) per record.
    static func records() throws -> [(file: String, exif: String)] {
        let text = try String(contentsOf: oracle, encoding: .utf8)
        return text.split(separator: "\n").compactMap { line in
            // Records are {"file":"…","exif":{…}} or {"file":"…","error":"…"} as JSON.stringify wrote them.
            let prefix = #"{"file":""#
            guard line.hasPrefix(prefix), let end = line.dropFirst(prefix.count).firstIndex(of: "\"") else { return nil }
            let file = String(line[line.index(line.startIndex, offsetBy: prefix.count)..<end])
            let rest = line[end...]
            if rest.hasPrefix(#"","exif":"#) {
                return (file, String(rest.dropFirst(#"","exif":"#.count).dropLast()))
            }
            return (file, "{}")
        }
    }

    @Test(.enabled(if: available, "../shared/corpus-reference is absent: corpus conformance not checked"))
    func corpusMatchesNodeExif() throws {
        let records = try Self.records()
        #expect(records.count > 900)
        var mismatches: [String] = []
        var fromLibexif = 0
        var objects = 0
        for record in records {
            let path = Self.shared.appendingPathComponent("corpus/\(record.file)").path
            let source = try FileByteSource(path: path)
            let parse = ExifReader.read(source)
            let got = JSONWriter.compact(.object(parse.object))
            if !got.utf8.elementsEqual(record.exif.utf8) { mismatches.append(record.file) }
            if !parse.object.isEmpty { objects += 1 }
            // Cross-check: libexif's value bytes are the file's bytes, and the raw index alone
            // gives the same object.
            for entry in parse.entries where entry.source == .libexif {
                fromLibexif += 1
                let at = parse.tiffOffset! + entry.valueOffset
                #expect(source.bytes(at: at, length: entry.data.count) == entry.data, "\(record.file) tag \(entry.tag)")
            }
            let rawOnly = ExifReader.read(source, limits: Limits(), libexif: false)
            #expect(rawOnly.object == parse.object, "\(record.file): libexif and the raw index disagree")
        }
        let rate = Double(records.count - mismatches.count) / Double(records.count)
        #expect(rate >= 0.995, "exif matches node-exif on \(rate * 100)%; mismatches: \(mismatches)")
        #expect(objects >= 100, "files with an exif object: \(objects)")
        // libexif is the value source for the entries it loads (libexif-behaviour §8).
        #expect(fromLibexif > 3000, "entries valued by libexif: \(fromLibexif)")
        if !mismatches.isEmpty { print("exif mismatches: \(mismatches)") }
    }
}
