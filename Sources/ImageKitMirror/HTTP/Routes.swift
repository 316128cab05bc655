import HTTPTypes
import Hummingbird
import ImageMetadata

/// ImageKit's REST paths over a MediaLibrary (issue "Endpoints"; imagekit-spec §6.1).
public enum Routes {
    public static func router(library: MediaLibrary, privateKey: String) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: ImageKitMiddleware(privateKey: privateKey))

        router.post("/api/v1/files/upload") { request, context -> Response in
            let form = try await UploadForm.read(request, blobs: library.blobs, maxFileSize: library.configuration.maxUploadSize)
            return JSONResponse.make(body: try await library.upload(form, at: address(request)))
        }
        router.get("/v1/files/:fileId/metadata") { request, context -> Response in
            let record = try await library.record(fileId: try context.parameters.require("fileId"))
            return JSONResponse.make(body: record.metadata)
        }
        router.get("/v1/files/:fileId/details") { request, context -> Response in
            let record = try await library.record(fileId: try context.parameters.require("fileId"))
            return JSONResponse.make(MediaLibrary.details(record, at: address(request)))
        }
        router.delete("/v1/files/:fileId") { request, context -> Response in
            try await library.delete(fileId: try context.parameters.require("fileId"))
            return Response(status: .noContent)
        }
        router.get("/v1/files") { request, context -> Response in
            let parameters = request.uri.queryParameters
            let records = try await library.list(try listQuery { parameters[$0[...]].map(String.init) })
            let base = address(request)
            return JSONResponse.make(.array(records.map { MediaLibrary.details($0, at: base) }))
        }
        router.get("/v1/metadata") { request, context -> Response in
            guard let url = request.uri.queryParameters["url"], !url.isEmpty else {
                throw ImageKitError.badParameter("Your request is missing the url query parameter.")
            }
            let record = try await library.servedRecord(url: String(url), at: address(request))
            return JSONResponse.make(body: record.metadata)
        }
        // The `url` of an upload: the stored original bytes (thumbnails too: no transformation is applied).
        router.get("**") { request, context -> Response in
            guard let path = PercentEncoding.decode(request.uri.path).map(PublicAddress.withoutThumbnail),
                let (record, location) = try await library.servedFile(path: path)
            else { throw ImageKitError.fileNotFound }
            if record.isPrivateFile { try PrivateKeyCheck.authorize(request, privateKey: privateKey) }
            var headers = HTTPFields()
            headers[.contentType] = record.mime
            headers[.contentLength] = String(record.size)
            let body = try await FileIO().loadFile(path: location, context: context)
            return Response(status: .ok, headers: headers, body: body)
        }
        return router
    }

    static func address(_ request: Request) -> PublicAddress {
        PublicAddress(authority: request.head.authority ?? "127.0.0.1")
    }

    /// GET /v1/files parameters; `searchQuery` and folder listing are not implemented and say so.
    static func listQuery(_ parameters: (String) -> String?) throws(ImageKitError) -> ListQuery {
        var query = ListQuery()
        if let path = parameters("path"), !path.isEmpty { query.folder = try NameRules.folder(String(path)) }
        if let text = parameters("skip") {
            guard let skip = Int(text), skip >= 0 else { throw .badParameter("Invalid skip parameter.") }
            query.skip = skip
        }
        if let text = parameters("limit") {
            guard let limit = Int(text), (1...1000).contains(limit) else { throw .badParameter("Invalid limit parameter: it must be between 1 and 1000.") }
            query.limit = limit
        }
        if let sort = parameters("sort"), !sort.isEmpty {
            let columns = ["CREATED": "createdAt", "UPDATED": "updatedAt", "NAME": "name", "SIZE": "size", "HEIGHT": "height", "WIDTH": "width"]
            let parts = sort.uppercased().split(separator: "_", maxSplits: 1)
            guard parts.count == 2, parts[0] == "ASC" || parts[0] == "DESC", let column = columns[String(parts[1])] else {
                throw .badParameter("Invalid sort parameter: \(sort).")
            }
            query.sortColumn = column
            query.descending = parts[0] == "DESC"
        }
        switch parameters("fileType") ?? "all" {
        case "all", "image": break
        case "non-image": query.onlyNonImages = true
        default: throw .badParameter("Invalid fileType parameter: expected all, image or non-image.")
        }
        if let search = parameters("searchQuery"), !search.isEmpty {
            throw .badParameter("searchQuery is not supported by this local server.")
        }
        if let type = parameters("type"), !type.isEmpty, type != "file", type != "all" {
            throw .badParameter("Only files are listed by this local server (type=file or all).")
        }
        return query
    }
}

/// Every response gets an `x-ik-requestId`; every error becomes ImageKit's `{"message","help"}`
/// body; the API paths need the private key as the HTTP Basic user (imagekit-spec §6.3).
struct ImageKitMiddleware<Context: RequestContext>: RouterMiddleware {
    let privateKey: String

    static var requestIdField: HTTPField.Name { HTTPField.Name("x-ik-requestId")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            let path = request.uri.path
            if path.hasPrefix("/v1/") || path == "/v1" || path.hasPrefix("/api/") {
                try PrivateKeyCheck.authorize(request, privateKey: privateKey)
            }
            response = try await next(request, context)
        } catch let error as ImageKitError {
            response = try error.response(from: request, context: context)
        } catch let error as HTTPResponseError where error.status == .notFound {
            response = try ImageKitError.routeNotFound.response(from: request, context: context)
        } catch let error as HTTPResponseError {
            response = try ImageKitError(error.status, "The request could not be served: \(error.status).").response(from: request, context: context)
        } catch {
            response = try ImageKitError(.internalServerError, "Internal error: \(error)").response(from: request, context: context)
        }
        response.headers[Self.requestIdField] = RequestIdentifier.make()
        return response
    }
}

enum PrivateKeyCheck {
    /// HTTP Basic with the private key as user name (the password is ignored, as ImageKit does).
    static func authorize(_ request: Request, privateKey: String) throws(ImageKitError) {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("basic "),
            let decoded = Base64Decoder.decode(header.dropFirst(6).trimmingWhitespace()),
            let user = String(decoding: decoded, as: UTF8.self).split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first,
            !user.isEmpty
        else { throw .missingKey }
        guard Self.constantTimeEqual(Array(user.utf8), Array(privateKey.utf8)) else { throw .wrongKey }
    }

    private static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// ImageKit's request ids look like UUIDs.
enum RequestIdentifier {
    static func make() -> String {
        let hex = RandomID.hex(count: 32)
        var out = ""
        for (index, character) in hex.enumerated() {
            if [8, 12, 16, 20].contains(index) { out.append("-") }
            out.append(character)
        }
        return out
    }
}
