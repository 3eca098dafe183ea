import Foundation

/// Reads another source's batches ahead on a background thread, so that parsing overlaps the consumer's
/// work on the batches already read.
///
/// At most `depth` batches wait in the queue. Batches, the first error and the end arrive in the wrapped
/// source's order: an error is thrown after the batches before it, and again on every later call, so a failed
/// read never looks complete. ``statistics`` is what the wrapped source reported when it produced the last
/// batch handed out (all of the read once ``nextBatch()`` has returned `nil` or thrown). Dropping the
/// source, or ``cancel()``, stops the thread after the batch it is reading; the wrapped source is then
/// released on that thread.
public final class PrefetchingSource: BatchSource {
    private let queue: BoundedQueue<PrefetchItem>
    private var failure: (any Error)?
    private var ended = false
    public private(set) var statistics = ReadStatistics()

    /// Starts reading `source` ahead. `source` must not be used elsewhere from now on.
    public init(_ source: any BatchSource, depth: Int = 2) {
        let queue = BoundedQueue<PrefetchItem>(limit: depth)
        self.queue = queue
        let producer = PrefetchProducer(source: source)
        let thread = Thread { producer.run(into: queue) }
        thread.stackSize = 8 << 20
        thread.start()
    }

    deinit { queue.cancel() }

    /// The next batch of the wrapped source, waiting for the background thread when none is ready.
    public func nextBatch() throws -> Batch? {
        if let failure { throw failure }
        if ended { return nil }
        switch queue.pop() {
        case .batch(let batch, let statistics):
            self.statistics = statistics
            return batch
        case .end(let statistics):
            self.statistics = statistics
            ended = true
            return nil
        case .failure(let error, let statistics):
            self.statistics = statistics
            failure = error
            throw error
        }
    }

    /// Stops reading ahead; unless the read had already ended, later calls to ``nextBatch()`` throw
    /// `CancellationError`.
    public func cancel() {
        queue.cancel()
        if failure == nil && !ended { failure = CancellationError() }
    }
}

/// What the producer hands over, with the wrapped source's statistics at that point.
private enum PrefetchItem {
    case batch(Batch, ReadStatistics)
    case end(ReadStatistics)
    case failure(any Error, ReadStatistics)
}

/// The wrapped source; after `PrefetchingSource.init` only the producer thread touches it.
private final class PrefetchProducer: @unchecked Sendable {
    private var source: any BatchSource

    init(source: any BatchSource) { self.source = source }

    /// Reads batches into `queue` until the end, an error, or the consumer cancels.
    func run(into queue: BoundedQueue<PrefetchItem>) {
        while true {
            let item: PrefetchItem
            do {
                if let batch = try source.nextBatch() {
                    item = .batch(batch, source.statistics)
                } else {
                    item = .end(source.statistics)
                }
            } catch {
                item = .failure(error, source.statistics)
            }
            guard queue.push(item), case .batch = item else { return }
        }
    }
}
