#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

import ImageMetadata

/// Exit status of a run whose own output failed (a write, the lock, the rename), as opposed to
/// 1 for inputs that could not be read and 2 for usage errors.
let outputFailureStatus: Int32 = 3

/// Where result lines go: stdout, or `--output FILE`.
///
/// A regular FILE (or a new one) is written as `FILE.partial`, locked with `flock` so that a second
/// run with the same FILE stops with an error, and renamed into place when the run completes, so
/// FILE never holds half a run. A symbolic link is followed to its target. A device, FIFO or
/// terminal is written straight, never replaced. FILE may not be one of the inputs.
///
/// Beside a regular FILE, `FILE.resume` records for each line the file's identity (size, mtime,
/// device, inode), the options that made the line and a checksum of the line; `--resume` reuses
/// an earlier line (from FILE, FILE.previous or FILE.partial) only when all of them still match.
final class OutputFile {
    private let target: String?
    private let descriptor: Int32
    private var journal: Int32 = -1
    private var finished = false
    private let options: String
    /// Lines of earlier runs (with `--resume`).
    private(set) var previous: PreviousLines?

    init(path: String?, resume: Bool, options: String, inputs: [Inputs.Item], journal keepsJournal: Bool = true) throws(CommandFailure) {
        self.options = options
        guard let path else {
            target = nil
            descriptor = 1
            return
        }
        let shown = PathBytes.jsonText(path)
        guard let resolved = FileSystem.followLinks(path) else {
            throw CommandFailure("The output \(shown) is a chain of symbolic links that does not end.", status: 2)
        }
        if let info = FileSystem.status(resolved), (info.st_mode & S_IFMT) != S_IFREG {
            if (info.st_mode & S_IFMT) == S_IFDIR { throw CommandFailure("The output \(shown) is a directory.", status: 2) }
            if resume { throw CommandFailure("--resume needs a regular output file; \(shown) is a device or a FIFO.", status: 2) }
            target = nil
            descriptor = try Self.openDevice(resolved)
            return
        }
        target = resolved
        let names = Self.names(resolved)
        try Self.refuseInputs(among: inputs, outputs: names, shown: shown)
        // The companion files are opened without following links and written whole: anything but
        // a regular file there stops the run before a file is made.
        for name in names.dropFirst() {
            if let info = FileSystem.status(name, followingLinks: false), (info.st_mode & S_IFMT) != S_IFREG {
                throw CommandFailure(
                    "\(PathBytes.jsonText(name)) is in the way of the output \(shown) (it is not a regular file); "
                        + "remove it or choose another --output.", status: 2)
            }
        }

        let partial = resolved + ".partial"
        // A run that finishes renames its FILE.partial to FILE: a lock taken on the file just
        // renamed would truncate the finished output, so the locked file must still be FILE.partial.
        var attempts = 0
        var fd: Int32
        while true {
            fd = PathBytes.withCString(partial) { open($0, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644) }
            guard fd >= 0 else {
                throw CommandFailure("Cannot write \(PathBytes.jsonText(partial)): \(String(cString: strerror(errno))).", status: outputFailureStatus)
            }
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
                let code = errno
                close(fd)
                throw CommandFailure(
                    code == EWOULDBLOCK
                        ? "Another ikmeta run is writing \(shown) (\(PathBytes.jsonText(partial)) is locked); wait for it or choose another --output."
                        : "Cannot lock \(PathBytes.jsonText(partial)): \(String(cString: strerror(code))).",
                    status: outputFailureStatus)
            }
            var opened = stat()
            var named = stat()
            let same = fstat(fd, &opened) == 0 && PathBytes.withCString(partial) { lstat($0, &named) } == 0
                && opened.st_dev == named.st_dev && opened.st_ino == named.st_ino
            if same { break }
            close(fd)
            attempts += 1
            guard attempts < 3 else {
                throw CommandFailure(
                    "Another ikmeta run is writing \(shown); wait for it or choose another --output.", status: outputFailureStatus)
            }
        }
        descriptor = fd
        if resume { previous = try PreviousLines.consolidate(target: resolved, options: options) }
        guard ftruncate(descriptor, 0) == 0 else {
            throw CommandFailure("Cannot write \(PathBytes.jsonText(partial)): \(String(cString: strerror(errno))).", status: outputFailureStatus)
        }
        guard keepsJournal else { return }
        // Records of lines kept in FILE.previous stay; a new run starts a new journal.
        journal = PathBytes.withCString(resolved + ".resume") {
            open($0, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW | (resume ? 0 : O_TRUNC), 0o644)
        }
        guard journal >= 0 else {
            throw CommandFailure("Cannot write \(PathBytes.jsonText(resolved + ".resume")): \(String(cString: strerror(errno))).", status: outputFailureStatus)
        }
    }

    deinit {
        if descriptor > 2 { close(descriptor) }
        if journal >= 0 { close(journal) }
    }

    /// The files a run with `--output target` writes: the target and its companions (the
    /// journal's temporary files included).
    private static func names(_ target: String) -> [String] {
        [target] + [".partial", ".previous", ".resume", ".previous.tmp", ".resume.tmp"].map { target + $0 }
    }

    /// The files `--output path` writes, for a walk of the inputs to leave out (`Inputs.expand`):
    /// a folder that holds its own output can be read again and again.
    static func ownFiles(_ path: String?) -> [String] {
        guard let path, let resolved = FileSystem.followLinks(path) else { return [] }
        return names(resolved)
    }

    /// Opens a device, FIFO or terminal for writing as it is (a FIFO without a reader is an error, not a wait).
    private static func openDevice(_ path: String) throws(CommandFailure) -> Int32 {
        let fd = PathBytes.withCString(path) { open($0, O_WRONLY | O_CLOEXEC | O_NONBLOCK) }
        guard fd >= 0 else {
            throw CommandFailure("Cannot write to \(PathBytes.jsonText(path)): \(String(cString: strerror(errno))).", status: outputFailureStatus)
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        return fd
    }

    /// Refuses an output (or one of its companion files) that is also an input: writing it would
    /// destroy the image.
    private static func refuseInputs(among inputs: [Inputs.Item], outputs: [String], shown: String) throws(CommandFailure) {
        let taken = Set(outputs.compactMap { FileIdentity(path: $0)?.place })
        guard !taken.isEmpty else { return }
        for case .file(let input) in inputs {
            if let place = FileIdentity(path: input)?.place, taken.contains(place) {
                throw CommandFailure(
                    "The output \(shown) would overwrite the input \(PathBytes.jsonText(input)); choose another --output.", status: 2)
            }
        }
    }

    /// Writes one line (a newline is added) with a single write where the kernel allows, and, for
    /// a line about a file that was read, its journal record.
    func write(_ line: [UInt8], file: String? = nil, identity: FileIdentity? = nil) throws(CommandFailure) {
        guard writeAll(descriptor, line + [0x0A]) else {
            throw CommandFailure("Cannot write the output: \(String(cString: strerror(errno))).", status: outputFailureStatus)
        }
        guard journal >= 0, let file, let identity else { return }
        let record = JournalRecord(file: file, options: options, identity: identity, checksum: JournalRecord.checksum(line))
        guard writeAll(journal, record.bytes + [0x0A]) else {
            throw CommandFailure("Cannot write the resume journal: \(String(cString: strerror(errno))).", status: outputFailureStatus)
        }
    }

    /// Writes bytes as they are (an index file), with no newline and no journal record.
    func write(raw bytes: [UInt8]) throws(CommandFailure) {
        guard writeAll(descriptor, bytes) else {
            throw CommandFailure("Cannot write \(PathBytes.jsonText(target ?? "the output")): \(String(cString: strerror(errno))).",
                status: outputFailureStatus)
        }
    }

    /// Removes `FILE.partial` unless the run finished: for an output that nothing resumes from
    /// (an index), so that a failed or refused run leaves no partial file.
    func discard() {
        guard let target, !finished else { return }
        _ = PathBytes.withCString(target + ".partial") { unlink($0) }
    }

    /// Makes the output durable and moves it into place.
    func finish() throws(CommandFailure) {
        guard let target else { return }
        let moved = fsync(descriptor) == 0 && (journal < 0 || fsync(journal) == 0)
            && PathBytes.withCString(target + ".partial", { from in PathBytes.withCString(target) { rename(from, $0) } }) == 0
        guard moved else {
            throw CommandFailure(
                "Cannot move the output into place at \(PathBytes.jsonText(target)): \(String(cString: strerror(errno))).",
                status: outputFailureStatus)
        }
        finished = true
        _ = PathBytes.withCString(target + ".previous") { unlink($0) }
    }
}

/// Writes a line to standard output; a failed write (a full disk, a closed descriptor) is an error
/// with `outputFailureStatus`, for every command.
func printOutput(_ line: String) throws(CommandFailure) {
    try printOutput(Array((line + "\n").utf8))
}

/// Writes bytes as they are to standard output, failing as `printOutput(_: String)` does.
func printOutput(_ bytes: [UInt8]) throws(CommandFailure) {
    guard writeAll(1, bytes) else {
        throw CommandFailure("Cannot write the output: \(String(cString: strerror(errno))).", status: outputFailureStatus)
    }
}
