#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

import ImageMetadata

/// The files a run reads, in the order their lines are printed. Paths are kept as their original
/// bytes (`PathBytes`) from argv, directory entries and list lines alike.
enum Inputs {
    enum Item: Equatable, Sendable {
        /// A path to read, exactly as the user gave it or as found under a directory.
        case file(String)
        /// A path that cannot be walked (a directory that cannot be listed); it gets an error line.
        case unreadable(String, reason: String)
    }

    /// Longest line of a `--files-from` list, in bytes (PATH_MAX).
    static let maxListLine = 4096
    /// Most paths one `--files-from` list may give.
    static let maxListPaths = 10_000_000

    /// Expands arguments and `--files-from` lists: files stay as given, directories are walked
    /// recursively in sorted order (hidden entries skipped). Symbolic links to directories are
    /// followed, each directory is walked once, and a link to one already walked (a loop, or a
    /// second way to the same place) is skipped with a note on stderr. Files a walk finds that are
    /// the same files as `skipping` (the run's own outputs) are left out when they hold what ikmeta
    /// writes (nothing yet, JSON lines or an index); anything else there stays an input, so that
    /// the output is refused rather than written over it.
    static func expand(arguments: [String], filesFrom: String?, skipping: [String] = []) throws -> [Item] {
        var paths = arguments
        if let list = filesFrom { paths += try readList(list) }
        var walk = Walk()
        walk.own = Set(skipping.compactMap { FileSystem.status($0).map(Walk.Identity.init) })
        for path in paths {
            if FileSystem.isDirectory(path) {
                walk.directory(path, through: nil)
            } else {
                walk.items.append(.file(path))
            }
        }
        return walk.items
    }

    /// One path per line (a CR before the newline is dropped); `-` reads standard input. Blank
    /// lines are ignored. A line with a NUL byte or longer than `maxListLine` stops the run.
    static func readList(_ list: String) throws(CommandFailure) -> [String] {
        let fd = list == "-" ? 0 : try FileSystem.openForReading(list, what: "file list")
        defer { if fd != 0 { close(fd) } }
        let name = list == "-" ? "standard input" : PathBytes.jsonText(list)
        var reader = LineReader(descriptor: fd, maxLength: maxListLine)
        var paths: [String] = []
        while let (line, _) = try nextLine(&reader, of: name) {
            let path = line.last == 0x0D ? line.dropLast() : line
            if path.isEmpty { continue }
            if path.contains(0) {
                throw CommandFailure(
                    "Line \(reader.lineNumber) of the file list \(name) contains a NUL byte; give one path per line (not find -print0 output).",
                    status: 2)
            }
            guard paths.count < maxListPaths else {
                throw CommandFailure("The file list \(name) gives more than \(maxListPaths) paths.", status: 2)
            }
            paths.append(PathBytes.string(path))
        }
        return paths
    }

    private static func nextLine(_ reader: inout LineReader, of name: String) throws(CommandFailure)
        -> (line: ArraySlice<UInt8>, complete: Bool)?
    {
        do {
            return try reader.next()
        } catch {
            switch error {
            case .tooLong(let line):
                throw CommandFailure("Line \(line) of the file list \(name) is longer than \(maxListLine) bytes; it cannot be a path.", status: 2)
            case .readError(let code):
                throw CommandFailure("Cannot read the file list \(name): \(String(cString: strerror(code))).", status: 2)
            }
        }
    }

    /// A recursive walk that enters each directory (device and inode) once.
    private struct Walk {
        struct Identity: Hashable {
            var device: UInt64, inode: UInt64
            init(_ info: stat) {
                device = UInt64(info.st_dev)
                inode = UInt64(info.st_ino)
            }
        }
        var items: [Item] = []
        var walked: [Identity: String] = [:]
        var own: Set<Identity> = []

        mutating func directory(_ directory: String, through link: String?) {
            if let info = FileSystem.status(directory) {
                let identity = Identity(info)
                if let first = walked[identity] {
                    printError("ikmeta: skipped \(link ?? directory): it leads to \(first), which is already walked.")
                    return
                }
                walked[identity] = directory
            }
            guard let names = FileSystem.list(directory) else {
                items.append(.unreadable(directory, reason: "Cannot list the directory \(PathBytes.jsonText(directory))."))
                return
            }
            let prefix = directory.hasSuffix("/") ? directory : directory + "/"
            // Sorted by bytes, as `ls` sorts in the C locale.
            let sorted = names.map { (PathBytes.bytes($0), $0) }.sorted { $0.0.lexicographicallyPrecedes($1.0) }
            for (_, name) in sorted where !name.hasPrefix(".") {
                let path = prefix + name
                switch FileSystem.kind(path) {
                case .directory: self.directory(path, through: nil)
                case .symbolicLinkToDirectory: self.directory(path, through: path)
                default:
                    if !own.isEmpty, let info = FileSystem.status(path), own.contains(Identity(info)),
                        info.st_size == 0 || IndexInputs.fileKind(path) != nil
                    {
                        continue
                    }
                    items.append(.file(path))
                }
            }
        }
    }
}
