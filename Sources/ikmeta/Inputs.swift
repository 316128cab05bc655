/// The files a run reads, in the order their lines are printed.
enum Inputs {
    enum Item: Equatable, Sendable {
        /// A path to read, exactly as the user gave it or as found under a directory.
        case file(String)
        /// A path that cannot be walked (a directory that cannot be listed); it gets an error line.
        case unreadable(String, reason: String)
    }

    /// Expands arguments and `--files-from` lists: files stay as given, directories are walked
    /// recursively in sorted order (hidden entries skipped, symbolic links to directories not followed).
    static func expand(arguments: [String], filesFrom: String?) throws -> [Item] {
        var paths = arguments
        if let list = filesFrom { paths += try readList(list) }
        var items: [Item] = []
        for path in paths {
            if FileSystem.isDirectory(path) {
                walk(path, into: &items)
            } else {
                items.append(.file(path))
            }
        }
        return items
    }

    /// One path per line; `-` reads standard input. Empty lines are ignored.
    static func readList(_ list: String) throws -> [String] {
        guard let data = list == "-" ? FileSystem.readAll(descriptor: 0) : FileSystem.read(list) else {
            throw CommandFailure("Cannot read the file list \(list).", status: 2)
        }
        return data.split(separator: 0x0A, omittingEmptySubsequences: true).map { line in
            String(decoding: line.last == 0x0D ? line.dropLast() : line, as: UTF8.self)
        }
    }

    private static func walk(_ directory: String, into items: inout [Item]) {
        guard let names = FileSystem.list(directory) else {
            items.append(.unreadable(directory, reason: "Cannot list the directory \(directory)."))
            return
        }
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        for name in names.sorted() where !name.hasPrefix(".") {
            let path = prefix + name
            switch FileSystem.kind(path) {
            case .directory: walk(path, into: &items)
            case .symbolicLinkToDirectory: continue  // not followed: a link may point back up the tree
            default: items.append(.file(path))
            }
        }
    }
}
