import Hummingbird
import MultipartKit

/// The multipart/form-data body of `POST /api/v1/files/upload`, read as it streams in: the `file`
/// part goes straight to a temporary file, the other (small) fields into memory.
struct UploadForm {
    enum FilePart {
        /// Raw bytes (a part with a filename).
        case bytes(TemporaryFile)
        /// A text field: base64 bytes or a URL; still to be decoded.
        case text(TemporaryFile)
    }

    var fields: [String: String] = [:]
    var file: FilePart?

    static let maximumFieldSize = 1 << 20

    /// Reads the whole body. `maxFileSize` bounds the file part (413 past it); the body as a
    /// whole may carry base64's third more plus a megabyte of other fields.
    static func read(_ request: Request, blobs: BlobStore, maxFileSize: Int) async throws -> UploadForm {
        guard let boundary = boundary(of: request.headers[.contentType] ?? "") else {
            throw ImageKitError.badParameter("The request body must be multipart/form-data with a boundary.")
        }
        let maxBodySize = maxFileSize / 3 * 4 + 8 + 2 * maximumFieldSize
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maxBodySize {
            throw ImageKitError.tooLarge(limit: maxFileSize)
        }
        let collector = FormCollector(blobs: blobs, maxFileSize: maxFileSize)
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in collector.header(name, value) }
        parser.onBody = { buffer in collector.body(&buffer) }
        parser.onPartComplete = { collector.partComplete() }
        var received = 0
        do {
            for try await chunk in request.body {
                received += chunk.readableBytes
                if received > maxBodySize { throw ImageKitError.tooLarge(limit: maxFileSize) }
                do { try parser.execute(chunk) } catch { throw ImageKitError.badParameter("Malformed multipart/form-data body.") }
                if let failure = collector.failure { throw failure }
            }
            guard collector.completedParts > 0, !collector.inPart else {
                throw ImageKitError.badParameter("Malformed multipart/form-data body: it ends inside a part.")
            }
        } catch {
            collector.discard()
            throw error
        }
        return UploadForm(fields: collector.fields, file: collector.file)
    }

    /// The `boundary` parameter of a multipart/form-data Content-Type.
    static func boundary(of contentType: String) -> String? {
        let parts = contentType.split(separator: ";").map { $0.trimmingWhitespace() }
        guard parts.first?.lowercased() == "multipart/form-data" else { return nil }
        for part in parts.dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingWhitespace().lowercased() == "boundary" else { continue }
            var value = pair[1].trimmingWhitespace()
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            return value.isEmpty || value.utf8.count > 200 ? nil : value
        }
        return nil
    }
}

/// The parser's callbacks: which part is open and where its bytes go.
private final class FormCollector {
    let blobs: BlobStore
    let maxFileSize: Int
    var fields: [String: String] = [:]
    var file: UploadForm.FilePart?
    var failure: ImageKitError?
    var completedParts = 0
    var inPart = false

    private var headers: [(String, String)] = []
    private var destination: Destination?
    private enum Destination {
        case field(String, [UInt8])
        case file(TemporaryFile, isText: Bool)
        case ignored
    }

    init(blobs: BlobStore, maxFileSize: Int) {
        self.blobs = blobs
        self.maxFileSize = maxFileSize
    }

    func header(_ name: String, _ value: String) {
        inPart = true
        headers.append((name.lowercased(), value))
    }

    func body(_ buffer: inout ByteBuffer) {
        inPart = true
        guard failure == nil else { return }
        if destination == nil { destination = open() }
        switch destination {
        case .field(let name, var bytes)?:
            bytes += buffer.readableBytesView
            if bytes.count > UploadForm.maximumFieldSize { failure = .badParameter("The \(name) field is too long.") }
            destination = .field(name, bytes)
        case .file(let temporary, let isText)?:
            do {
                try buffer.withUnsafeReadableBytes { try temporary.write($0) }
            } catch {
                failure = ImageKitError(.internalServerError, "Could not store the upload: \(error)")
            }
            // Base64 text is a third longer than the bytes it carries.
            if temporary.size > (isText ? maxFileSize / 3 * 4 + 8 : maxFileSize) { failure = .tooLarge(limit: maxFileSize) }
        default: break
        }
        buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
    }

    func partComplete() {
        if destination == nil { destination = open() }
        switch destination {
        case .field(let name, let bytes)?: fields[name] = String(decoding: bytes, as: UTF8.self)
        case .file(let temporary, let isText)?:
            if case .bytes(let old)? = file { old.discard() }
            if case .text(let old)? = file { old.discard() }
            file = isText ? .text(temporary) : .bytes(temporary)
        default: break
        }
        destination = nil
        headers = []
        inPart = false
        completedParts += 1
    }

    func discard() {
        if case .file(let temporary, _)? = destination { temporary.discard() }
        switch file {
        case .bytes(let temporary)?, .text(let temporary)?: temporary.discard()
        case nil: break
        }
        file = nil
    }

    /// Where the part whose headers were just read goes, from its Content-Disposition.
    private func open() -> Destination {
        guard let disposition = headers.first(where: { $0.0 == "content-disposition" })?.1,
            let name = Self.parameter("name", in: disposition)
        else {
            failure = .badParameter("Malformed multipart/form-data body: a part has no name.")
            return .ignored
        }
        guard name == "file" else { return .field(name, []) }
        do {
            return .file(try blobs.makeTemporary(), isText: Self.parameter("filename", in: disposition) == nil)
        } catch {
            failure = ImageKitError(.internalServerError, "Could not store the upload: \(error)")
            return .ignored
        }
    }

    /// A `key="value"` parameter of a header value.
    static func parameter(_ key: String, in value: String) -> String? {
        for part in value.split(separator: ";").dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingWhitespace().lowercased() == key else { continue }
            var text = pair[1].trimmingWhitespace()
            if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") { text = String(text.dropFirst().dropLast()) }
            return text
        }
        return nil
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }
}
