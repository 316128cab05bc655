import ArgumentParser
import ImageMetadata
#if canImport(Glibc)
import Glibc
#endif

/// `ikmeta verify FILE --file-id ID | --url URL`: the local metadata object against what an
/// ImageKit account (or `ikmeta-server`) returns for the same image, compared as `compare` does.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Compare an image's local metadata with ImageKit's, fetched through its REST API.",
        discussion: """
            Fetches GET /v1/files/ID/metadata (--file-id) or GET /v1/metadata?url=URL
            (--url) from --api-base with the private key in IMAGEKIT_PRIVATE_KEY as the
            HTTP Basic user, then prints what `ikmeta compare` prints.

            Exit status: 0 when every field agrees, 1 when any differs, 2 when the
            comparison could not be made (no key, network or HTTP error, unreadable image).

            Examples:
              IMAGEKIT_PRIVATE_KEY=private_... ikmeta verify photo.jpg --file-id 6673f88237b244ef54d60180
              IMAGEKIT_PRIVATE_KEY=test_key ikmeta verify photo.jpg --api-base http://127.0.0.1:8080 \\
                  --url http://127.0.0.1:8080/photo_Ab12Cd34E.jpg
            """
    )

    @Option(name: .customLong("file-id"), help: "The ImageKit fileId of the uploaded image.")
    var fileId: String?

    @Option(help: "A URL of the image that the account serves.")
    var url: String?

    @Option(help: "ImageKit's API origin, or an ikmeta-server's.")
    var apiBase = "https://api.imagekit.io"

    @OptionGroup var comparison: ComparisonOptions

    @Argument(help: "The local image file.")
    var file: String

    func validate() throws {
        if (fileId == nil) == (url == nil) { throw ValidationError("Give exactly one of --file-id and --url.") }
        if !(apiBase.hasPrefix("https://") || apiBase.hasPrefix("http://")) {
            throw ValidationError("--api-base must be an http:// or https:// URL.")
        }
    }

    func run() throws {
        try CompareCommand.report(file: file, options: comparison) { () throws(CommandFailure) in
            guard let key = environment("IMAGEKIT_PRIVATE_KEY"), !key.isEmpty else {
                throw CommandFailure("set IMAGEKIT_PRIVATE_KEY to the account's private API key.", status: 2)
            }
            let base = apiBase.hasSuffix("/") ? String(apiBase.dropLast()) : apiBase
            let address: String
            if let fileId {
                address = base + "/v1/files/" + HTTPGet.escape(fileId) + "/metadata"
            } else {
                address = base + "/v1/metadata?url=" + HTTPGet.escape(url ?? "")
            }
            let response = try HTTPGet.fetch(address, user: key)
            guard response.status == 200 else {
                // An ImageKit error body names the reason; anything else gets the status alone.
                if case .object(let body)? = try? JSONParser.parse(response.body), case .string(let message)? = body["message"] {
                    throw CommandFailure("\(address): HTTP \(response.status): \(message)", status: 2)
                }
                throw CommandFailure("\(address): HTTP \(response.status).", status: 2)
            }
            return try SavedResponse.parse(response.body, from: address)
        }
    }

    private func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}
