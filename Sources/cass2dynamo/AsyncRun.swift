import AWS
import Agent
import ArgumentParser
import Migration

/// Runs the async work of a command; errors print one line and exit non-zero: 130 when stopped on
/// request (Ctrl-C, SIGTERM), else 1.
func reportingErrors(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let exit as ExitCode {
        throw exit
    } catch let stopped as Stopped {
        MigrationCLI.writeLine(2, "cass2dynamo: \(stopped)")
        throw ExitCode(130)
    } catch {
        printError("\(error)")
        throw ExitCode.failure
    }
}

/// A client holding connections until it is shut down.
protocol ShutdownClient: Sendable {
    func shutdown() async throws
}

extension DynamoDBClient: ShutdownClient {}
extension S3Client: ShutdownClient {}
extension AgentClient: ShutdownClient {}

/// Runs `body`, then shuts `clients` down and waits for it, whether `body` threw or not (its error
/// is the one reported).
func shuttingDown<R>(_ clients: [any ShutdownClient], _ body: () async throws -> R) async throws -> R {
    let result: R
    do {
        result = try await body()
    } catch {
        for client in clients { try? await client.shutdown() }
        throw error
    }
    for client in clients { try await client.shutdown() }
    return result
}
