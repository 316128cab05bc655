#if canImport(Glibc)
import Glibc
#endif
import GRDB
import ImageMetadata

/// The local Media Library behind the routes: uploads, records, bytes and metadata.
public final class MediaLibrary: Sendable {
    let configuration: MirrorConfiguration
    let blobs: BlobStore
    let records: RecordStore
    let pool: MetadataPool
    /// What the start-up recovery pass removed: records without bytes, then files without records.
    public let recovered: (records: Int, files: Int)

    public init(configuration: MirrorConfiguration) throws {
        self.configuration = configuration
        blobs = try BlobStore(dataDirectory: configuration.dataDirectory)
        records = try RecordStore(path: configuration.dataDirectory + "/library.sqlite")
        let blobs = self.blobs
        let lostRecords = try records.removeRecords { !blobs.exists($0.versionId) }
        let strayFiles = blobs.recover(keeping: try records.versionIds())
        recovered = (lostRecords, strayFiles)
        pool = MetadataPool(workers: configuration.workers, queueDepth: configuration.queueDepth)
    }

    public func shutdown() async throws { try await pool.shutdown() }

    // MARK: Upload (POST /api/v1/files/upload)

    func upload(_ form: UploadForm, at address: PublicAddress) async throws -> [UInt8] {
        var temporary: TemporaryFile?
        switch form.file {
        case .bytes(let file)?, .text(let file)?: temporary = file
        case nil: break
        }
        do {
            let options = try UploadOptions(form.fields)
            switch form.file {
            case nil: throw ImageKitError.badParameter("Missing file parameter for upload.")
            case .bytes: break
            case .text(let file)?: temporary = try await decodeText(file, at: address)
            }
            guard let file = temporary, file.size > 0 else { throw ImageKitError.badParameter("The file parameter is empty.") }
            try file.finish()
            let result = try await pool.read(path: file.path)
            let metadata = JSONWriter.compactBytes(.object(result.metadata.json))
            let record = try await store(file, options: options, metadata: result.metadata, json: metadata)
            return Self.uploadResponse(record, fields: options.responseFields, at: address)
        } catch {
            temporary?.discard()
            throw error
        }
    }

    /// A text `file` field: a URL this server serves, or base64 (decoded as it is read).
    private func decodeText(_ text: TemporaryFile, at address: PublicAddress) async throws -> TemporaryFile {
        defer { text.discard() }
        try text.finish()
        let fd = open(text.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StorageError.system("open \(text.path)", errno) }
        defer { close(fd) }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        let output = try blobs.makeTemporary()
        var decoder = Base64Decoder()
        var first = true
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { output.discard(); throw StorageError.system("read", errno) }
            if n == 0 { break }
            var bytes = chunk[0..<n]
            if first {
                first = false
                let head = String(decoding: bytes.prefix(16), as: UTF8.self).lowercased()
                if head.hasPrefix("http://") || head.hasPrefix("https://") {
                    output.discard()
                    guard text.size <= 8192 else { throw ImageKitError.foreignURL }
                    return try await copyServedFile(url: String(decoding: bytes, as: UTF8.self), at: address)
                }
                if head.hasPrefix("data:"), let comma = bytes.firstIndex(of: UInt8(ascii: ",")) { bytes = bytes[(comma + 1)...] }
            }
            var decoded: [UInt8] = []
            decoder.feed(bytes, into: &decoded)
            try decoded.withUnsafeBytes { try output.write($0) }
            if output.size > configuration.maxUploadSize { output.discard(); throw ImageKitError.tooLarge(limit: configuration.maxUploadSize) }
        }
        var tail: [UInt8] = []
        guard decoder.finish(into: &tail) else {
            output.discard()
            throw ImageKitError.badParameter("The file parameter is neither a file, base64 data nor a URL this server serves.")
        }
        try tail.withUnsafeBytes { try output.write($0) }
        return output
    }

    /// `file` given as a URL: only a file this server stores can be copied; nothing is fetched.
    private func copyServedFile(url: String, at address: PublicAddress) async throws -> TemporaryFile {
        let record = try await servedRecord(url: url, at: address)
        let output = try blobs.makeTemporary()
        do {
            try output.copy(from: blobs.path(of: record.versionId))
            return output
        } catch {
            output.discard()
            throw error
        }
    }

    /// Syncs and renames the bytes, then commits the row, in one write transaction; a name taken
    /// by another upload meanwhile is seen inside it (issue "Durability").
    private func store(_ file: TemporaryFile, options: UploadOptions, metadata: Metadata, json: [UInt8]) async throws -> FileRecord {
        let newId = RandomID.objectId()
        let now = Timestamp.now()
        let blobs = self.blobs
        do {
            let (record, replaced) = try await records.database.write { db -> (FileRecord, String?) in
                var name = options.useUniqueFileName ? NameRules.unique(options.fileName) : options.fileName
                var existing = try FileRecord.filter(Column("filePath") == options.folder + name).fetchOne(db)
                while options.useUniqueFileName, existing != nil {
                    name = NameRules.unique(options.fileName)
                    existing = try FileRecord.filter(Column("filePath") == options.folder + name).fetchOne(db)
                }
                if existing != nil, !options.overwriteFile {
                    throw ImageKitError.badParameter(
                        "A file with the same name already exists at the exact location. We could not overwrite it because both overwriteFile and useUniqueFileName are set to false.")
                }
                let record = FileRecord(
                    fileId: existing?.fileId ?? newId, versionId: newId, versionNumber: (existing?.versionNumber ?? 0) + 1,
                    name: name, filePath: options.folder + name, folder: options.folder, size: metadata.size,
                    width: metadata.width, height: metadata.height, format: metadata.format.rawValue,
                    hasAlpha: metadata.hasTransparency,
                    tags: options.tags.map { JSONWriter.compact(.array($0.map { .string($0) })) },
                    isPrivateFile: options.isPrivateFile, customCoordinates: options.customCoordinates,
                    customMetadata: options.customMetadata, metadata: json,
                    createdAt: existing?.createdAt ?? now, updatedAt: now)
                try blobs.commit(file, as: newId)
                if existing != nil { try record.update(db) } else { try record.insert(db) }
                return (record, existing?.versionId)
            }
            if let replaced { blobs.remove(replaced) }
            return record
        } catch {
            blobs.remove(newId)
            throw error
        }
    }

    // MARK: Reads

    func record(fileId: String) async throws -> FileRecord {
        guard fileId.count == 24, fileId.allSatisfy(\.isHexDigit) else { throw ImageKitError.invalidFileId }
        guard let record = try await records.find(fileId: fileId) else { throw ImageKitError.fileNotFound }
        return record
    }

    func delete(fileId: String) async throws {
        _ = try await record(fileId: fileId)
        guard let removed = try await records.delete(fileId: fileId) else { throw ImageKitError.fileNotFound }
        blobs.remove(removed.versionId)
    }

    func list(_ query: ListQuery) async throws -> [FileRecord] { try await records.list(query) }

    /// The record behind a URL of this server (`GET /v1/metadata?url=`, upload by URL). The URL is
    /// only parsed and looked up here: any other host is refused and never connected to.
    func servedRecord(url: String, at address: PublicAddress) async throws -> FileRecord {
        guard let path = address.localPath(of: url.trimmingWhitespace()) else { throw ImageKitError.foreignURL }
        guard let record = try await records.find(filePath: path) else { throw ImageKitError.fileNotFound }
        return record
    }

    /// The stored bytes behind a `url` path (`GET /folder/name.jpg`).
    func servedFile(path: String) async throws -> (record: FileRecord, location: String)? {
        guard let record = try await records.find(filePath: path) else { return nil }
        return (record, blobs.path(of: record.versionId))
    }
}

extension TemporaryFile {
    /// Appends the whole file at `source`.
    func copy(from source: String) throws {
        let fd = open(source, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StorageError.system("open \(source)", errno) }
        defer { close(fd) }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw StorageError.system("read \(source)", errno) }
            if n == 0 { return }
            try chunk.withUnsafeBytes { try write(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        }
    }
}

/// ImageKit's timestamps: ISO 8601 in UTC with milliseconds (`2022-06-11T07:26:19.294Z`).
enum Timestamp {
    static func now() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let millis = now.tv_nsec / 1_000_000
        let ms = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(ms)Z"
    }
}
