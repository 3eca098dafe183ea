import Foundation

/// A bounded single-producer, single-consumer queue between a reader's background thread (inflating gzip,
/// or reading batches ahead) and the thread that consumes its output.
final class BoundedQueue<Item>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Item] = []
    private let limit: Int
    private var cancelled = false
    private var _position = 0

    init(limit: Int) { self.limit = max(1, limit) }

    /// Waits for room and appends `item`, recording the producer's `position` with it; `false` when the
    /// consumer has gone.
    func push(_ item: Item, position: Int = 0) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count >= limit && !cancelled { condition.wait() }
        if cancelled { return false }
        items.append(item)
        _position = position
        condition.broadcast()
        return true
    }

    /// Waits for an item. Producers end with a final item (an end or a failure), so this returns unless the
    /// queue was cancelled, after which the consumer does not pop.
    func pop() -> Item {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty { condition.wait() }
        let item = items.removeFirst()
        condition.broadcast()
        return item
    }

    /// Tells the producer to stop and drops what waits in the queue.
    func cancel() {
        condition.lock()
        defer { condition.unlock() }
        cancelled = true
        items.removeAll()
        condition.broadcast()
    }

    var isCancelled: Bool {
        condition.lock()
        defer { condition.unlock() }
        return cancelled
    }

    /// The position pushed with the latest item (the gzip producer's compressed offset).
    var position: Int {
        condition.lock()
        defer { condition.unlock() }
        return _position
    }
}
