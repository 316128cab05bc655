/// What a `fileName` or `folder` may become (issue "Durability"). ImageKit keeps letters, digits,
/// `.`, `-` and `_` and turns any other character into `_`; here "letters and digits" means ASCII
/// ones only, so look-alike slashes, dots, NUL, bidi controls and other unicode tricks all become `_`.
/// Names are only ever stored in the database — bytes on disk are named by generated ids.
enum NameRules {
    static let maximumNameLength = 255

    static func cleanSegment(_ text: String) -> String {
        String(text.unicodeScalars.map { scalar -> Character in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", ".", "-", "_": return Character(scalar)
            default: return "_"
            }
        })
    }

    /// The stored name for an uploaded `fileName`.
    static func fileName(_ raw: String?) throws(ImageKitError) -> String {
        guard let raw, !raw.isEmpty else { throw .badParameter("Missing fileName parameter for upload.") }
        let name = cleanSegment(raw)
        guard !name.allSatisfy({ $0 == "." }) else { throw .badParameter("Invalid fileName parameter: \(raw)") }
        guard name.utf8.count <= maximumNameLength else {
            throw .badParameter("Invalid fileName parameter: longer than \(maximumNameLength) characters.")
        }
        return name
    }

    /// The folder as `/a/b/` (`/` for the root). `.` and `..` segments are refused, not resolved.
    static func folder(_ raw: String?) throws(ImageKitError) -> String {
        guard let raw, !raw.isEmpty else { return "/" }
        var segments: [String] = []
        for part in raw.split(separator: "/", omittingEmptySubsequences: true) {
            guard part != ".", part != ".." else {
                throw .badParameter("Invalid folder parameter: '.' and '..' are not allowed in a folder path.")
            }
            let segment = cleanSegment(String(part))
            guard segment.utf8.count <= maximumNameLength else { throw .badParameter("Invalid folder parameter: a folder name is too long.") }
            segments.append(segment)
        }
        return segments.isEmpty ? "/" : "/" + segments.joined(separator: "/") + "/"
    }

    /// `name_XXXXXXXXX.ext`: ImageKit's unique-name suffix, an underscore and nine random characters
    /// before the extension.
    static func unique(_ name: String) -> String {
        let suffix = "_" + RandomID.alphanumeric(count: 9)
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name + suffix }
        return String(name[..<dot]) + suffix + String(name[dot...])
    }
}
