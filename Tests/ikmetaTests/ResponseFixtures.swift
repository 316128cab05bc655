import Foundation
import ImageMetadata

/// Saved "ImageKit responses" built from a real `ikmeta` run on a test image, then altered.
enum ResponseFixtures {
    static let image = CLI.testImages.appendingPathComponent("exif-camera.jpg").path
    static let otherImage = CLI.testImages.appendingPathComponent("rgb.png").path

    /// The metadata object `ikmeta FILE` prints for `path`, parsed.
    static func localObject(_ path: String) throws -> JSONObject {
        let run = try CLI.run([path])
        guard run.status == 0, case .object(let object) = try JSONParser.parse(run.stdout) else {
            throw FixtureError("ikmeta \(path) failed (\(run.status)): \(run.stderr)")
        }
        return object
    }

    /// Whether the local pipeline computes a pHash for the test image.
    static var imageHasPHash: Bool {
        (try? localObject(image))?["pHash"] != nil
    }

    /// Whether the local object of the test image has a non-empty `exif.image`.
    static var imageHasExifEntries: Bool {
        guard case .object(let exif)? = (try? localObject(image))?["exif"],
              case .object(let ifd0)? = exif["image"] else { return false }
        return !ifd0.isEmpty
    }

    /// Writes `value` as JSON into `folder` and returns its path.
    static func save(_ value: JSONValue, as name: String, in folder: URL) throws -> String {
        try save(text: JSONWriter.pretty(value), as: name, in: folder)
    }

    static func save(text: String, as name: String, in folder: URL) throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// `hash` with its lowest `bits` bits inverted.
    static func flip(_ hash: String, bits: Int) -> String {
        let value = UInt64(hash, radix: 16)! ^ ((UInt64(1) << UInt64(bits)) - 1)
        let text = String(value, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension String {
    /// The output line that starts with `field` followed by spaces.
    func line(for field: String) -> String? {
        split(separator: "\n").map(String.init).first { $0.hasPrefix(field + " ") }
    }
}
