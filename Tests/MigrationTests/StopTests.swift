import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// SIGTERM stops the built binary within a few seconds with exit status 130 in every step that
/// waits on AWS: a validating Scan (`validate`, and `migrate` in its validate step), a batch load
/// held back by `--max-wcu`, and an import wait.
@Suite(.enabled(if: MotoServer.shouldRun, "needs moto_server and boto3"), .serialized)
struct StopTests {
    /// Starts the binary, waits until its `--progress json` output shows `event` of `phase`, sends
    /// SIGTERM and returns the exit status and the seconds it took to exit.
    static func stop(_ arguments: [String], at phase: String, _ event: String = "start", environment: [String: String])
        async throws -> (status: Int32, seconds: Double, stderr: String)
    {
        let process = try await ChildProcess(try TestPaths.binary(), arguments + ["--progress", "json"], environment: environment)
        let deadline = Date().addingTimeInterval(120)
        while !process.output.contains("\"event\":\"\(event)\"") || !process.output.contains("\"phase\":\"\(phase)\"") {
            guard process.isRunning, Date() < deadline else {
                throw TestFailure("\(arguments[0]) never reached \(phase) \(event) (status \(String(describing: process.exitStatus))): \(process.errorOutput)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        let sent = Date()
        process.kill(SIGTERM)
        let status = await process.wait()
        return (status, Date().timeIntervalSince(sent), process.errorOutput)
    }

    @Test func sigtermStopsEveryWaitingStepWithin3Seconds() async throws {
        let data = TempDir("stop-data")
        let generated = try await runProgram(try TestPaths.binary(), ["generate", "--profile", "iot", "--rows", "60000", "--out", data.path,
                                                                       "--now", "1700000000"])
        #expect(generated.status == 0, "\(generated.stderr)")
        try await MotoServer.with { moto in
            _ = try await moto.boto3("s3.create_bucket(Bucket='stop')")
            let env = ["AWS_ENDPOINT_URL": moto.url, "AWS_ACCESS_KEY_ID": "AKIDSTOP", "AWS_SECRET_ACCESS_KEY": "secret",
                       "AWS_REGION": MotoServer.region]
            let stagings = TempDir("stop")
            func migrate(_ name: String, _ extra: [String]) -> [String] {
                ["migrate", "--source", data.path + "/iot", "--schema", data.path + "/schema.cql", "--staging", stagings.path + "/" + name,
                 "--s3", "s3://stop/\(name)", "--table-prefix", name + "_", "--now", "1700000000", "--yes"] + extra
            }
            // A table of ~44,000 items, whose validating Scan takes moto many seconds.
            let loaded = try await runProgram(try TestPaths.binary(), migrate("full", ["--mode", "batch", "--no-validate", "--progress", "none"]),
                                              environment: env)
            try #require(loaded.status == 0, "\(loaded.stderr)")

            var results: [(String, (status: Int32, seconds: Double, stderr: String))] = []
            results.append(("validate", try await Self.stop(["validate", "--from", stagings.path + "/full"], at: "validate", environment: env)))
            // The same run again: everything is done but validation.
            results.append(("migrate validate", try await Self.stop(migrate("full", ["--mode", "batch"]), at: "validate", environment: env)))
            results.append(("migrate batch load", try await Self.stop(migrate("slow", ["--mode", "batch", "--max-wcu", "1"]), at: "load",
                                                                      environment: env)))
            results.append(("migrate import wait", try await Self.stop(migrate("imp", ["--mode", "import", "--import-poll", "600"]), at: "import",
                                                                       environment: env)))
            for (step, r) in results {
                #expect(r.status == 130, "\(step): exit status \(r.status): \(r.stderr)")
                #expect(r.seconds < 3, "\(step): \(r.seconds) s from SIGTERM to exit")
                #expect(r.stderr.hasSuffix("cass2dynamo: stopped on request; run the same command again to resume\n"), "\(step): \(r.stderr)")
                print("SIGTERM in \(step): exit \(r.status) after \(String(format: "%.2f", r.seconds)) s")
            }
        }
    }
}
