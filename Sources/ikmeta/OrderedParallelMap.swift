import Foundation

/// Runs `work` on `count` items with `jobs` threads and hands the results to `emit` strictly in
/// item order, on the calling thread. At most `window` results wait for an earlier slow item,
/// so memory stays bounded however long the run is.
func orderedParallelMap<Result>(
    count: Int, jobs: Int, window: Int? = nil,
    work: @escaping @Sendable (Int) -> Result,
    emit: (Int, Result) -> Bool
) {
    guard count > 0 else { return }
    let state = MapState<Result>(window: max(window ?? jobs * 4, jobs))
    let workers = max(1, min(jobs, count))
    for _ in 0..<workers {
        let thread = Thread {
            while let index = state.nextIndex(count: count) {
                let value = work(index)
                state.finish(index, value)
            }
        }
        thread.stackSize = 8 << 20
        thread.start()
    }
    for index in 0..<count {
        let value = state.take(index)
        if !emit(index, value) {
            state.stop()
            return
        }
    }
}

/// The shared state of `orderedParallelMap`, guarded by one condition variable.
private final class MapState<Result>: @unchecked Sendable {
    private let condition = NSCondition()
    private var next = 0
    private var emitted = 0
    private var stopped = false
    private var done: [Int: Result] = [:]
    private let window: Int

    init(window: Int) { self.window = window }

    /// The next item to work on, waiting while too many finished results are queued.
    func nextIndex(count: Int) -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while !stopped && next < count && next - emitted >= window { condition.wait() }
        guard !stopped, next < count else { return nil }
        next += 1
        return next - 1
    }

    func finish(_ index: Int, _ value: Result) {
        condition.lock()
        done[index] = value
        condition.broadcast()
        condition.unlock()
    }

    func take(_ index: Int) -> Result {
        condition.lock()
        defer { condition.unlock() }
        while done[index] == nil { condition.wait() }
        emitted = index + 1
        condition.broadcast()
        return done.removeValue(forKey: index)!
    }

    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }
}
