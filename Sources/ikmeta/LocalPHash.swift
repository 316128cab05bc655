import ImageMetadata
import PerceptualHash

/// A message for stderr, the exit status that goes with it, and the ImageKit-style error body
/// (`{"message":…,"help":…}`) for JSON output when there is one.
struct CommandFailure: Error {
    var message: String
    var status: Int32
    var body: JSONValue?

    init(_ message: String, status: Int32 = 1, body: JSONValue? = nil) {
        self.message = message
        self.status = status
        self.body = body
    }
}

/// pHashes of local image files, computed exactly as `ikmeta read` computes the `pHash` field (SPEC §4).
enum LocalPHash {
    static func options(fast: Bool) -> ReadOptions {
        ReadOptions(pHash: fast ? .fast : .exact)
    }

    static func of(path: String, fast: Bool) throws(CommandFailure) -> PHash {
        let result: MetadataResult
        do {
            result = try InputOptions.read(path, options: options(fast: fast))
        } catch {
            throw CommandFailure("\(path): \(error.message)", body: error.json)
        }
        return try hash(of: result, path: path)
    }

    /// The result's pHash; without one, an error that gives the decoder's reason.
    static func hash(of result: MetadataResult, path: String) throws(CommandFailure) -> PHash {
        let metadata = result.metadata
        guard let hash = metadata.pHash else {
            let reason = result.diagnostics.first { $0.message.hasPrefix("no pHash: ") }
                .map { " (" + $0.message.dropFirst("no pHash: ".count) + ")" } ?? ""
            let message = "No pHash: ikmeta could not decode the pixels of this \(metadata.format.rawValue) file\(reason)."
            let help = "ikmeta hashes the \(ImageFormat.readableNames) files it can decode; `ikmeta read` shows the fields it could read."
            throw CommandFailure("\(path): \(message)", body: .object(JSONObject([("message", .string(message)), ("help", .string(help))])))
        }
        return hash
    }
}
