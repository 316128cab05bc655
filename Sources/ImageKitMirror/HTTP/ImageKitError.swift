import Hummingbird
import ImageMetadata

/// An error as ImageKit sends it: its status and a `{"message","help"}` body (imagekit-spec §6.3).
public struct ImageKitError: HTTPResponseError, Equatable {
    public var status: HTTPResponse.Status
    public var message: String
    public var help: String

    public init(_ status: HTTPResponse.Status, _ message: String, help: String = ImageKitError.supportHelp) {
        self.status = status
        self.message = message
        self.help = help
    }

    public static let supportHelp = "For support kindly contact us at support@imagekit.io."

    public var body: JSONValue {
        .object(JSONObject([("message", .string(message)), ("help", .string(help))]))
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONResponse.make(status: status, body: JSONWriter.compactBytes(body))
    }

    // The texts ImageKit uses (imagekit-spec §6.3).
    static let missingKey = ImageKitError(.unauthorized, "Your request does not contain private API key.")
    static let wrongKey = ImageKitError(.forbidden, "Your account cannot be authenticated.")
    static let fileNotFound = ImageKitError(.notFound, "The requested file does not exist or is inaccessible at this time.")
    static let invalidFileId = ImageKitError(.badRequest, "Your request contains invalid fileId parameter.")
    static let foreignURL = ImageKitError(.badRequest, "The url should be accessible using your ImageKit.io account.")
    static let routeNotFound = ImageKitError(.notFound, "The requested resource does not exist.")
    static let busy = ImageKitError(
        .tooManyRequests, "Too many metadata reads are waiting; retry the request later.",
        help: "The local server reads at most --workers files at once and queues a limited number more.")

    static func badParameter(_ message: String) -> ImageKitError { ImageKitError(.badRequest, message) }

    static func tooLarge(limit: Int) -> ImageKitError {
        ImageKitError(
            .contentTooLarge, "Your file is larger than the maximum upload size of \(limit) bytes.",
            help: "Start the server with a larger --max-upload-size to accept it.")
    }

    /// A file that ikmeta cannot read: 400 with ikmeta's own explanation.
    static func unreadable(_ error: MetadataError) -> ImageKitError {
        ImageKitError(.badRequest, "The requested file is corrupt or invalid. \(error.message)", help: error.help)
    }
}
