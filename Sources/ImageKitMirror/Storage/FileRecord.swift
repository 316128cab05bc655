import GRDB

/// One file of the library: what ImageKit's file-details object reports, plus the stored
/// metadata object (compact JSON, byte for byte what `ikmeta FILE` prints).
struct FileRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "file"

    var fileId: String
    /// Names the bytes on disk (`files/<versionId>`); a new one for each overwrite.
    var versionId: String
    var versionNumber: Int
    var name: String
    /// `/folder/sub/name.jpg`; unique.
    var filePath: String
    /// `/folder/sub/`
    var folder: String
    var size: Int
    var width: Int
    var height: Int
    var format: String
    var hasAlpha: Bool
    /// JSON array text, or nil when the upload set none.
    var tags: String?
    var isPrivateFile: Bool
    var customCoordinates: String?
    /// JSON object text.
    var customMetadata: String
    var metadata: [UInt8]
    var createdAt: String
    var updatedAt: String

    var mime: String { format == "jpg" ? "image/jpeg" : "image/\(format)" }
}
