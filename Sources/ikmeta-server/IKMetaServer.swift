import ArgumentParser
import Foundation
import ImageKitMirror
import Logging
import ServiceLifecycle

/// `ikmeta-server`: a local ImageKit Media Library that the official SDKs talk to.
@main
struct IKMetaServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ikmeta-server",
        abstract: "A local ImageKit Media Library: upload, file and metadata APIs, for tests.",
        discussion: """
            Point an official ImageKit SDK at it, e.g. in Python:
              ImageKit(private_key="test_key", base_url="http://127.0.0.1:8080")
            The key is checked as the HTTP Basic user name. With --port 0 a free port
            is chosen; the first line on standard output is `listening on http://HOST:PORT`.
            SIGTERM or SIGINT finish the requests in flight, then stop.
            """,
        version: "0.1.0"
    )

    @Option(help: "Directory for the records (library.sqlite) and the file bytes.")
    var data = "./ik-data"

    @Option(help: "The private API key clients must send (default: $IMAGEKIT_PRIVATE_KEY).")
    var privateKey: String?

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on; 0 picks a free one.")
    var port = 8080

    @Option(help: "Largest accepted file, in bytes (413 above it).")
    var maxUploadSize = 25 << 20

    @Option(help: "Metadata reads that run at once (default: the number of cores).")
    var workers = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Metadata reads that may wait for a worker before uploads get 429.")
    var queueDepth = 64

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535.") }
        guard maxUploadSize > 0 else { throw ValidationError("--max-upload-size must be positive.") }
        guard workers > 0, queueDepth >= 0 else { throw ValidationError("--workers must be positive and --queue-depth not negative.") }
        guard resolvedKey?.isEmpty == false else {
            throw ValidationError("Give the private API key with --private-key or IMAGEKIT_PRIVATE_KEY.")
        }
    }

    private var resolvedKey: String? { privateKey ?? ProcessInfo.processInfo.environment["IMAGEKIT_PRIVATE_KEY"] }

    func run() async throws {
        let key = resolvedKey ?? ""
        let library = try MediaLibrary(configuration: MirrorConfiguration(
            dataDirectory: data, privateKey: key, maxUploadSize: maxUploadSize, workers: workers, queueDepth: queueDepth))
        if library.recovered.records + library.recovered.files > 0 {
            FileHandle.standardError.write(Data(
                "ikmeta-server: recovery removed \(library.recovered.records) records without bytes and \(library.recovered.files) unfinished or unrecorded files\n".utf8))
        }
        let host = self.host
        let app = MirrorServer.application(library: library, privateKey: key, host: host, port: port) { port in
            print("listening on http://\(host):\(port)")
            fflush(nil)
        }
        let group = ServiceGroup(configuration: .init(
            services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: Logger(label: "ikmeta-server")))
        try await group.run()
        try await library.shutdown()
    }
}
