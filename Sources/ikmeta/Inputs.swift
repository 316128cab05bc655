import Foundation

/// The files a run reads, in the order their lines are printed.
enum Inputs {
    enum Item: Equatable {
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
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                walk(path, into: &items)
            } else {
                items.append(.file(path))
            }
        }
        return items
    }

    /// One path per line; `-` reads standard input. Empty lines are ignored.
    static func readList(_ list: String) throws -> [String] {
        let data: Data
        if list == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let d = FileManager.default.contents(atPath: list) else {
                throw InputError("Cannot read the file list \(list).")
            }
            data = d
        }
        return String(decoding: data, as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: true)
            .map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
    }

    private static func walk(_ directory: String, into items: inout [Item]) {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        } catch {
            items.append(.unreadable(directory, reason: "Cannot list the directory \(directory)."))
            return
        }
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        for name in names where !name.hasPrefix(".") {
            let path = prefix + name
            guard let type = try? FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType
            else { items.append(.file(path)); continue }
            if type == .typeDirectory {
                walk(path, into: &items)
            } else if type == .typeSymbolicLink {
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                    continue  // not followed: a link may point back up the tree
                }
                items.append(.file(path))
            } else {
                items.append(.file(path))
            }
        }
    }
}

struct InputError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
