import Foundation
import LocalStack
import Logging
import TestSupport
import Testing

/// The function host's memory samples: `VmRSS` and `VmHWM` of its process, the peak kept across
/// process restarts, one file per host for `collections local status`.
@Suite struct FunctionMemoryTests {
    @Test func parsesProcStatus() throws {
        let text = "Name:\tAnalyzer\nVmPeak:\t  900000 kB\nVmHWM:\t   51234 kB\nVmRSS:\t   40000 kB\nThreads:\t9\n"
        let reading = try #require(FunctionMemory.parse(status: text))
        #expect(reading.resident == 40000 * 1024 && reading.peak == 51234 * 1024)
        #expect(FunctionMemory.parse(status: "Name:\tzombie\nState:\tZ (zombie)\n") == nil)
        #expect(FunctionMemory.read(pid: getpid())?.peak ?? 0 > 1 << 20)
    }

    @Test func theHostKeepsItsProcessesPeakAcrossRestartsAndWritesIt() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("memory-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let host = FunctionHost(
            configuration: .init(
                name: "fn", executable: TestEnvironment.file("fixtures/runtime/test_bootstrap.py"),
                environment: ProcessInfo.processInfo.environment.filter { $0.key == "PATH" }, timeout: .seconds(20),
                logFile: folder.appendingPathComponent("Fn-1.log"), memoryFolder: folder),
            logger: Logger(label: "test"))
        try await host.start()
        _ = await host.invoke(Data(#"{"echo": 1}"#.utf8))
        let before = await host.sampleMemory()
        #expect(before.pid != nil && before.residentBytes > 0 && before.peakResidentBytes >= before.residentBytes)

        // A 6 MB event: the process reads, parses and echoes it, and its high-water mark rises.
        let big = String(repeating: "x", count: 6 << 20)
        _ = await host.invoke(Data(#"{"echo": "\#(big)"}"#.utf8))
        let after = await host.sampleMemory()
        #expect(after.peakResidentBytes >= before.peakResidentBytes + (6 << 20), "\(before) → \(after)")

        // A new process starts small; the host's peak stays.
        _ = await host.invoke(Data(#"{"crash": 3}"#.utf8))
        _ = await host.invoke(Data(#"{"echo": 2}"#.utf8))
        let restarted = await host.sampleMemory()
        #expect(restarted.pid != after.pid && restarted.peakResidentBytes == after.peakResidentBytes)
        await host.stop()

        let saved = FunctionMemory.load(from: folder)
        #expect(saved.map(\.host) == ["Fn-1"] && saved.first?.function == "fn")
        #expect(saved.first?.pid == nil && saved.first?.peakResidentBytes == after.peakResidentBytes)
        #expect(FunctionMemory.byFunction(saved)["fn"]?.peak == after.peakResidentBytes)
    }
}
