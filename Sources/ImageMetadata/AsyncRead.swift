import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension MetadataReader {
    /// Reads the file at `path` without blocking Swift's cooperative threads: the read runs on a
    /// Dispatch thread, and at most one read per processor core runs at a time (the others wait
    /// their turn), so a server that reads many uploads at once stays responsive.
    public static func read(path: String, options: ReadOptions = ReadOptions()) async throws(MetadataError) -> MetadataResult {
        try await ReadSlots.shared.run { () throws(MetadataError) in try read(path: path, options: options) }
    }
}

/// A gate that lets `width` blocking jobs run at once on Dispatch's threads; later ones wait,
/// in order, without holding a thread.
actor ReadSlots {
    static let shared = ReadSlots(width: max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))))

    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(width: Int) {
        free = width
    }

    private func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }

    /// Runs `job` on a Dispatch thread once a slot is free.
    nonisolated func run<T: Sendable, E: Error>(_ job: @escaping @Sendable () throws(E) -> T) async throws(E) -> T {
        await acquire()
        let result = await withCheckedContinuation { (done: CheckedContinuation<Result<T, E>, Never>) in
            DispatchQueue.global().async { done.resume(returning: Result(catching: job)) }
        }
        await release()
        return try result.get()
    }
}
