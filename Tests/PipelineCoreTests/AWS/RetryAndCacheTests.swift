import Synchronization
import Testing

@testable import PipelineCore

@Suite struct RetryPolicyTests {
    @Test func delaysGrowExponentiallyUpToTheCap() {
        let policy = RetryPolicy(maxAttempts: 8, baseDelay: .milliseconds(100), maxDelay: .seconds(1))
        #expect(policy.delay(beforeRetry: 1, random: 1) == .milliseconds(100))
        #expect(policy.delay(beforeRetry: 3, random: 1) == .milliseconds(400))
        #expect(policy.delay(beforeRetry: 7, random: 1) == .seconds(1))
        #expect(policy.delay(beforeRetry: 3, random: 0.5) == .milliseconds(200))
        #expect(policy.delay(beforeRetry: 2, random: 0) == .zero)
    }

    @Test func aSuggestedDelayIsUsedButCapped() {
        let policy = RetryPolicy(maxDelay: .seconds(1), maxSuggestedDelay: .seconds(5))
        #expect(policy.delay(beforeRetry: 1, suggested: .seconds(2)) == .seconds(2))
        #expect(policy.delay(beforeRetry: 1, suggested: .seconds(60)) == .seconds(5))
    }
}

@Suite struct CachedParameterStoreTests {
    final class CountingStore: ParameterStore {
        let reads = Mutex(0)
        let failFirst: Bool
        init(failFirst: Bool = false) { self.failFirst = failFirst }

        func value(of name: String) async throws -> String {
            let count = reads.withLock { count in
                count += 1
                return count
            }
            if failFirst && count == 1 { throw ParameterStoreError(.failed, "flaky") }
            try await Task.sleep(for: .milliseconds(20))
            return "value of \(name)"
        }
    }

    @Test func eachParameterIsReadOncePerProcess() async throws {
        let counting = CountingStore()
        let cached = CachedParameterStore(counting)
        try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<8 { group.addTask { try await cached.value(of: "/collections/db") } }
            for try await value in group { #expect(value == "value of /collections/db") }
        }
        #expect(try await cached.value(of: "/collections/db") == "value of /collections/db")
        #expect(counting.reads.withLock { $0 } == 1)
        _ = try await cached.value(of: "/other")
        #expect(counting.reads.withLock { $0 } == 2)
    }

    @Test func failuresAreNotCached() async throws {
        let counting = CountingStore(failFirst: true)
        let cached = CachedParameterStore(counting)
        await #expect(throws: ParameterStoreError.self) { try await cached.value(of: "/x") }
        #expect(try await cached.value(of: "/x") == "value of /x")
    }

    @Test func databaseURLComesFromTheParameterWhenNotSet() async throws {
        let settings = try Settings(environment: ["COLLECTIONS_DATABASE_URL_PARAMETER": "/collections/database-url"])
        let store = InMemoryParameterStore(["/collections/database-url": "postgres://u:p@h:5432/d"])
        #expect(try await settings.resolveDatabaseURL(parameters: store) == "postgres://u:p@h:5432/d")
        let missing = try Settings(environment: ["COLLECTIONS_DATABASE_URL_PARAMETER": "/nope"])
        let error = await #expect(throws: ConfigurationError.self) {
            try await missing.resolveDatabaseURL(parameters: store)
        }
        #expect(error?.description.contains("\"/nope\"") == true)
    }
}
