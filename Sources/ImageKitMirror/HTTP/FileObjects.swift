import ImageMetadata

/// The JSON objects ImageKit returns for a file (key order as in its captured responses,
/// imagekit-spec §4.F/§4.G).
extension MediaLibrary {
    /// The upload result: the fixed fields, then those named in `responseFields`.
    static func uploadResponse(_ record: FileRecord, fields: Set<String>, at address: PublicAddress) -> [UInt8] {
        var object = JSONObject([
            ("fileId", .string(record.fileId)), ("name", .string(record.name)), ("size", .number(Double(record.size))),
            ("versionInfo", versionInfo(record)), ("filePath", .string(record.filePath)),
            ("url", .string(address.url(record.filePath))), ("fileType", "image"),
            ("height", .number(Double(record.height))), ("width", .number(Double(record.width))),
            ("thumbnailUrl", .string(address.thumbnailURL(record.filePath))),
        ])
        if fields.contains("tags") { object["tags"] = tags(record) }
        object["AITags"] = .null
        if fields.contains("isPrivateFile") { object["isPrivateFile"] = .bool(record.isPrivateFile) }
        if fields.contains("customCoordinates") { object["customCoordinates"] = record.customCoordinates.map { .string($0) } ?? .null }
        if fields.contains("customMetadata") { object["customMetadata"] = customMetadata(record) }
        return JSONResponse.object(object, metadata: fields.contains("metadata") ? record.metadata : nil)
    }

    /// The file-details object (GET /v1/files/{fileId}/details, each item of GET /v1/files).
    static func details(_ record: FileRecord, at address: PublicAddress) -> JSONValue {
        .object(JSONObject([
            ("type", "file"), ("name", .string(record.name)), ("createdAt", .string(record.createdAt)),
            ("updatedAt", .string(record.updatedAt)), ("fileId", .string(record.fileId)), ("tags", tags(record)),
            ("AITags", .null), ("versionInfo", versionInfo(record)),
            ("customCoordinates", record.customCoordinates.map { .string($0) } ?? .null),
            ("customMetadata", customMetadata(record)), ("isPrivateFile", .bool(record.isPrivateFile)),
            ("isPublished", true), ("url", .string(address.url(record.filePath))),
            ("thumbnail", .string(address.thumbnailURL(record.filePath))), ("fileType", "image"),
            ("filePath", .string(record.filePath)), ("height", .number(Double(record.height))),
            ("width", .number(Double(record.width))), ("size", .number(Double(record.size))),
            ("hasAlpha", .bool(record.hasAlpha)), ("mime", .string(record.mime)),
        ]))
    }

    private static func versionInfo(_ record: FileRecord) -> JSONValue {
        .object(JSONObject([("id", .string(record.versionId)), ("name", .string("Version \(record.versionNumber)"))]))
    }

    private static func tags(_ record: FileRecord) -> JSONValue {
        record.tags.flatMap { try? JSONParser.parse($0) } ?? .null
    }

    private static func customMetadata(_ record: FileRecord) -> JSONValue {
        (try? JSONParser.parse(record.customMetadata)) ?? .object(JSONObject())
    }
}
