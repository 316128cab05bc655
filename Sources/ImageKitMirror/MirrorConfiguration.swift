/// How one local ImageKit Media Library is set up (README "Local ImageKit for tests").
public struct MirrorConfiguration: Sendable {
    /// Where the SQLite records (`library.sqlite`) and the file bytes (`files/`, `tmp/`) live.
    public var dataDirectory: String
    /// The private API key clients send as the HTTP Basic user name.
    public var privateKey: String
    /// Largest accepted file, in bytes (ImageKit's free-plan image limit by default).
    public var maxUploadSize: Int
    /// Metadata reads that run at once, and how many more may wait before uploads get 429.
    public var workers: Int
    public var queueDepth: Int

    public init(
        dataDirectory: String, privateKey: String, maxUploadSize: Int = 25 << 20,
        workers: Int = 2, queueDepth: Int = 32
    ) {
        self.dataDirectory = dataDirectory
        self.privateKey = privateKey
        self.maxUploadSize = maxUploadSize
        self.workers = max(1, workers)
        self.queueDepth = max(0, queueDepth)
    }
}
