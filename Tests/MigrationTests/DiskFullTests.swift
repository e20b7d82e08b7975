import Foundation
import Testing

@testable import Migration

/// A write that finds the disk full says so, with what to do, in a sentence.
struct DiskFullTests {
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/dev/full"), "needs /dev/full (Linux), which answers every write with ENOSPC"))
    func aFullDiskSaysDiskFull() throws {
        let fd = open("/dev/full", O_WRONLY | O_CLOEXEC)
        try #require(fd >= 0)
        defer { close(fd) }
        do {
            try FileSystem.writeAll(fd, [UInt8](repeating: 7, count: 4096), path: "stage/tables/t/.partial/part-00001.json.gz")
            Issue.record("a write to /dev/full succeeded")
        } catch {
            #expect("\(error)" == "stage/tables/t/.partial/part-00001.json.gz: write failed: the disk is full (free some space, or stage to another folder, and run the same command again)")
        }
    }
}
