import Synchronization

/// A thread-safe list that test servers and doubles append to and tests read.
public final class Recorder<Element: Sendable>: Sendable {
    private let storage = Mutex<[Element]>([])

    /// Creates an empty recorder.
    public init() {}

    /// Appends an element; returns how many there are now.
    @discardableResult
    public func append(_ element: Element) -> Int {
        storage.withLock { elements in
            elements.append(element)
            return elements.count
        }
    }

    /// Everything recorded, in order.
    public var all: [Element] { storage.withLock { $0 } }

    /// How many elements there are.
    public var count: Int { storage.withLock { $0.count } }
}
