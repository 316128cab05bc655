import ImageMetadata
import NIOPosix
import Synchronization

/// Runs `MetadataReader.read` — blocking, CPU-bound work — on its own threads, off the event
/// loops and Swift's cooperative pool. At most `workers` reads run and `queueDepth` more wait;
/// past that a read is refused at once (429 for the client, issue "Errors").
final class MetadataPool: Sendable {
    private let threads: NIOThreadPool
    private let capacity: Int
    private let admitted = Mutex(0)

    init(workers: Int, queueDepth: Int) {
        threads = NIOThreadPool(numberOfThreads: workers)
        threads.start()
        capacity = workers + queueDepth
    }

    func shutdown() async throws { try await threads.shutdownGracefully() }

    /// The metadata of the file at `path`; ImageKitError for a file ikmeta cannot read or a full queue.
    func read(path: String) async throws -> MetadataResult {
        let outcome = try await run { () -> Result<MetadataResult, MetadataError> in
            Result { () throws(MetadataError) in try MetadataReader.read(path: path) }
        }
        switch outcome {
        case .success(let result): return result
        case .failure(let error): throw ImageKitError.unreadable(error)
        }
    }

    /// Runs `work` on a pool thread, or throws `ImageKitError.busy` at once when the pool is full.
    func run<Value: Sendable>(_ work: @escaping @Sendable () -> Value) async throws -> Value {
        let entered = admitted.withLock { count in
            guard count < capacity else { return false }
            count += 1
            return true
        }
        guard entered else { throw ImageKitError.busy }
        defer { admitted.withLock { $0 -= 1 } }
        return try await threads.runIfActive(work)
    }
}
