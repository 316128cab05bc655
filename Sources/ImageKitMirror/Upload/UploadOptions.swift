import ImageMetadata

/// The upload parameters this server honours (ImageKit's upload API names; issue "Endpoints").
struct UploadOptions: Sendable {
    var fileName: String
    var folder: String
    var useUniqueFileName: Bool
    var overwriteFile: Bool
    var tags: [String]?
    var isPrivateFile: Bool
    var customCoordinates: String?
    /// JSON object text.
    var customMetadata: String
    var responseFields: Set<String>

    init(_ fields: [String: String]) throws(ImageKitError) {
        fileName = try NameRules.fileName(fields["fileName"])
        folder = try NameRules.folder(fields["folder"])
        useUniqueFileName = try Self.flag(fields, "useUniqueFileName", default: true)
        overwriteFile = try Self.flag(fields, "overwriteFile", default: true)
        isPrivateFile = try Self.flag(fields, "isPrivateFile", default: false)
        tags = fields["tags"].map { Self.list($0) }
        if let coordinates = fields["customCoordinates"], !coordinates.isEmpty {
            let numbers = coordinates.split(separator: ",", omittingEmptySubsequences: false)
            guard numbers.count == 4, numbers.allSatisfy({ Int($0.trimmingWhitespace()).map { $0 >= 0 } ?? false }) else {
                throw .badParameter("Invalid customCoordinates parameter: expected x,y,width,height.")
            }
            customCoordinates = coordinates
        }
        customMetadata = "{}"
        if let text = fields["customMetadata"], !text.isEmpty {
            guard case .object? = try? JSONParser.parse(text) else {
                throw .badParameter("Invalid customMetadata parameter: it must be a JSON object.")
            }
            customMetadata = text
        }
        responseFields = Set(fields["responseFields"].map { Self.list($0) } ?? [])
    }

    /// ImageKit's booleans arrive as "true"/"false" form fields.
    private static func flag(_ fields: [String: String], _ name: String, default value: Bool) throws(ImageKitError) -> Bool {
        guard let text = fields[name]?.lowercased(), !text.isEmpty else { return value }
        switch text {
        case "true", "1": return true
        case "false", "0": return false
        default: throw .badParameter("Invalid \(name) parameter: expected true or false.")
        }
    }

    /// A comma-separated list (tags, responseFields); a JSON array is accepted too.
    private static func list(_ text: String) -> [String] {
        if case .array(let items)? = try? JSONParser.parse(text) {
            return items.compactMap { if case .string(let s) = $0 { return s } else { return nil } }
        }
        return text.split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
    }
}
