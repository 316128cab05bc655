#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs `work` on `count` items with `jobs` threads and hands the results to `emit` strictly in
/// item order, on the calling thread. `emit` returning false stops the run.
///
/// The items are taken in blocks of `window` consecutive items, and a block is only started once
/// every item before the previous block has been emitted, so at most two blocks of results wait
/// for an earlier slow item and memory stays bounded however long the run is. With more than one
/// job, the items of a block are started largest `cost` first, so that a big file met late does
/// not leave the other threads idle at the end of the block.
func orderedParallelMap<Result>(
    count: Int, jobs: Int, window: Int? = nil, cost: @escaping @Sendable (Int) -> Int = { _ in 0 },
    work: @escaping @Sendable (Int) -> Result,
    emit: (Int, Result) -> Bool
) {
    guard count > 0 else { return }
    let workers = max(1, min(jobs, count))
    let state = MapState<Result>(window: max(window ?? jobs * 16, jobs), cost: workers > 1 ? cost : nil)
    var started = 0
    for _ in 0..<workers {
        let ok = startThread {
            while let index = state.nextIndex(count: count) {
                state.finish(index, work(index))
            }
        }
        if !ok { break }
        started += 1
    }
    if started < workers {
        // The system refused a thread (a process limit, memory): go on with the ones it gave.
        printError("ikmeta: warning: could start only \(started) of \(workers) worker threads; "
            + (started == 0 ? "reading the files one at a time." : "reading with \(started)."))
    }
    if started == 0 {
        for index in 0..<count where !emit(index, work(index)) { return }
        return
    }
    for index in 0..<count {
        if !emit(index, state.take(index)) {
            state.stop()
            return
        }
    }
}

/// Starts a detached thread with an 8 MiB stack running `body`; false when the system refuses.
private func startThread(_ body: @escaping @Sendable () -> Void) -> Bool {
    final class Box: @unchecked Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    defer { pthread_attr_destroy(&attributes) }
    pthread_attr_setstacksize(&attributes, 8 << 20)
    pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
    let box = Unmanaged.passRetained(Box(body)).toOpaque()
    var thread = pthread_t()
    let status = pthread_create(&thread, &attributes, { raw in
        let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
        box.body()
        return nil
    }, box)
    if status != 0 { Unmanaged<AnyObject>.fromOpaque(box).release() }
    return status == 0
}

/// The shared state of `orderedParallelMap`, guarded by one mutex and condition variable.
private final class MapState<Result>: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    private var changed = pthread_cond_t()
    /// The items of the current block not yet started, the next one last.
    private var queue: [Int] = []
    private var nextBlock = 0
    private var emitted = 0
    private var stopped = false
    private var done: [Int: Result] = [:]
    private let window: Int
    private let cost: (@Sendable (Int) -> Int)?

    init(window: Int, cost: (@Sendable (Int) -> Int)?) {
        self.window = window
        self.cost = cost
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&changed, nil)
    }

    private func locked<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return body()
    }

    private func wait() { pthread_cond_wait(&changed, &mutex) }
    private func broadcast() { pthread_cond_broadcast(&changed) }

    /// The next item to work on, waiting while too many finished results are queued.
    func nextIndex(count: Int) -> Int? {
        locked {
            // Another thread may start the block while this one waits: look again after every wait.
            while queue.isEmpty {
                let start = nextBlock * window
                guard !stopped, start < count else { return nil }
                if start - emitted > window {
                    wait()
                    continue
                }
                let block = Array(start..<min(start + window, count))
                if let cost {
                    let costs = block.map(cost)
                    // Smallest (then latest) first in the array, as items are taken from its end.
                    queue = block.indices.sorted { (costs[$0], $1) < (costs[$1], $0) }.map { block[$0] }
                } else {
                    queue = block.reversed()
                }
                nextBlock += 1
            }
            guard !stopped else { return nil }
            return queue.removeLast()
        }
    }

    func finish(_ index: Int, _ value: Result) {
        locked {
            done[index] = value
            broadcast()
        }
    }

    func take(_ index: Int) -> Result {
        locked {
            while done[index] == nil { wait() }
            emitted = index + 1
            broadcast()
            return done.removeValue(forKey: index)!
        }
    }

    func stop() {
        locked {
            stopped = true
            broadcast()
        }
    }
}
