import Agent
import Foundation
import Migration
import TestSupport
import Testing

/// A real OpenSSH server on a loopback port with throwaway keys, serving a folder laid out
/// like a node's data directory with copies of the shared legacy SSTables.
final class TestSSHD {
    let dir = TempDir()
    let port: Int
    let child: ChildProcess
    var userKey: String { dir.path + "/user_key" }
    var data: String { dir.path + "/node/data" }
    var yaml: String { dir.path + "/node/cassandra.yaml" }

    init() async throws {
        port = try freePort()
        let d = dir.path
        let data = "\(d)/node/data", yaml = "\(d)/node/cassandra.yaml"
        for k in ["host_key", "user_key"] {
            let keygen = try await runProgram("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", "\(d)/\(k)"])
            guard keygen.status == 0 else { throw TestFailure("ssh-keygen: \(keygen.stderr)") }
        }
        try FileManager.default.copyItem(atPath: "\(d)/user_key.pub", toPath: "\(d)/authorized_keys")
        try """
            Port \(port)
            ListenAddress 127.0.0.1
            HostKey \(d)/host_key
            AuthorizedKeysFile \(d)/authorized_keys
            PidFile \(d)/sshd.pid
            StrictModes no
            UsePAM no
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PermitRootLogin prohibit-password
            Subsystem sftp internal-sftp

            """.write(toFile: "\(d)/sshd_config", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        // The node: data/<keyspace>/<table>-<id>/ with live SSTables, and a cassandra.yaml.
        for table in ["legacy_mc_simple", "legacy_mc_simple_counter"] {
            let to = "\(data)/legacy_tables/\(table)-5a1c395e9e8d11e6b4e1e5d2f3a1b2c3"
            try FileManager.default.createDirectory(atPath: to, withIntermediateDirectories: true)
            let from = "\(legacySSTables)/mc/legacy_tables/\(table)"
            for f in try FileManager.default.contentsOfDirectory(atPath: from) { try FileManager.default.copyItem(atPath: "\(from)/\(f)", toPath: "\(to)/\(f)") }
        }
        try "cluster_name: test\ndata_file_directories:\n    - \(data)\n".write(toFile: yaml, atomically: true, encoding: .utf8)
        child = try await ChildProcess("/usr/sbin/sshd", ["-D", "-e", "-f", "\(d)/sshd_config"], separateStderr: false)
        for _ in 0..<100 {
            if (try? await runProgram("/usr/bin/ssh", ["-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                                                 "-i", "\(d)/user_key", "-p", "\(port)", "\(NSUserName())@127.0.0.1", "true"]))?.status == 0 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestFailure("sshd did not come up: \(child.output)")
    }

    /// An agent that may read this node: its host allowed, its key folder configured, and snapshot
    /// "commands" for a node without nodetool (copy the live files to `snapshots/{tag}`, remove them).
    func agent() async throws -> RunningAgent {
        let data = self.data, dir = self.dir.path
        return try await RunningAgent(dataDirectories: [legacySSTables, dir]) { s in
            s.nodes.allowedHosts = ["127.0.0.1"]
            s.nodes.keyDirectories = [dir]
            s.nodes.snapshotCommand = "cd \(data) && for t in */*/; do mkdir -p \"$t\"/snapshots/{tag} && find \"$t\" -maxdepth 1 -type f -exec cp {} \"$t\"/snapshots/{tag}/ \\; ; done"
            s.nodes.clearSnapshotCommand = "rm -rf \(data)/*/*/snapshots/{tag}"
        }
    }

}

@Suite("Remote nodes over SSH", .serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/sbin/sshd") || TestPaths.isCI), .enabled(if: sharedSSTablesPresent))
struct RemoteNodeTests {
    @Test func taskReadsANodeOverSSHAndEqualsTheLocalRun() async throws {
        let sshd = try await TestSSHD()
        let agent = try await sshd.agent()
        try await finally({ await agent.stop() }) { () async throws in
            let c = try agent.client()
            try await finally({ try await c.shutdown() }) { () async throws in

                let node = RemoteNode(name: "n1", host: "127.0.0.1", port: sshd.port, user: NSUserName(), identityFile: sshd.userKey, cassandraYaml: sshd.yaml)
                try await c.addNode(node)
                let tested = try await c.testNode("n1")
                #expect(tested.reachable)
                #expect(tested.dataDirectories == [sshd.data])
                #expect(tested.keyspaces == ["legacy_tables"])
                #expect(tested.sstableFormats == ["mc"])
                #expect(tested.cassandraVersion?.hasPrefix("3.11") == true)

                let remote = try await c.createTask(TaskSpec(name: "remote", source: TaskSource(nodes: ["n1"], takeSnapshot: true)))
                try await c.startTask(remote.id)
                let rdone = try await waitFor(60, { try await c.task(remote.id) }, until: { $0.status.isTerminal })
                #expect(rdone.status == .completed, "\(rdone.error ?? "")")
                #expect(rdone.stages.map(\.name.rawValue) == ["fetch", "extract", "validate"])
                let log = try await c.log(task: remote.id)
                #expect(log.contains("verified (sizes and SHA-256)"))
                #expect(log.contains("clearing snapshot"))
                // The snapshot was cleared on the node.
                let leftovers = try FileManager.default.subpathsOfDirectory(atPath: sshd.data).filter { $0.contains("snapshots/") }
                #expect(leftovers.isEmpty)

                let local = try await c.createTask(TaskSpec(name: "local", source: TaskSource(path: sshd.data)))
                try await c.startTask(local.id)
                let ldone = try await waitFor(60, { try await c.task(local.id) }, until: { $0.status.isTerminal })
                #expect(ldone.status == .completed)
                #expect(rdone.tables.map(\.rows) == ldone.tables.map(\.rows))
                #expect(rdone.tables.filter { $0.phase == .extract }.map(\.rows) == [5, 5])
                // The copies stage the items the node's own files give.
                let remoteItems = try stagedItems(rdone.stagingDirectory)
                #expect(remoteItems.mapValues(\.count) == ["legacy_mc_simple": 5, "legacy_mc_simple_counter": 5])
                #expect(remoteItems == (try stagedItems(ldone.stagingDirectory)))
            }
        }
    }

    /// Two nodes holding the same table are two replicas: the task reads both and reconciles them
    /// to the rows of one. A copy that fails half-way clears the snapshot it took on the node.
    @Test func replicasReconcileAndAFailedCopyClearsItsSnapshot() async throws {
        let sshd = try await TestSSHD()
        let agent = try await sshd.agent()
        try await finally({ await agent.stop() }) { () async throws in
            let c = try agent.client()
            try await finally({ try await c.shutdown() }) { () async throws in
                func waitDone(_ id: String) async throws -> TaskRecord {
                    try await waitFor(60, { try await c.task(id) }, until: { $0.status.isTerminal })
                }
                func start(_ spec: TaskSpec) async throws -> TaskRecord {
                    let task = try await c.createTask(spec)
                    try await c.startTask(task.id)
                    return try await waitDone(task.id)
                }
                let replicas = ["r1", "r2"].map {
                    RemoteNode(name: $0, host: "127.0.0.1", port: sshd.port, user: NSUserName(), identityFile: sshd.userKey, dataDirectories: [sshd.data])
                }
                try await c.addNodes(replicas)
                let both = try await start(TaskSpec(name: "replicas", source: TaskSource(nodes: ["r1", "r2"])))
                #expect(both.status == .completed, "\(both.error ?? "")")
                let local = try await start(TaskSpec(name: "local", source: TaskSource(path: sshd.data)))
                #expect(local.status == .completed)
                #expect(both.tables.filter { $0.phase == .extract }.map(\.rows) == [5, 5] && both.tables.map(\.rows) == local.tables.map(\.rows))
                let replicaItems = try stagedItems(both.stagingDirectory)
                #expect(replicaItems.mapValues(\.count) == ["legacy_mc_simple": 5, "legacy_mc_simple_counter": 5])
                #expect(replicaItems == (try stagedItems(local.stagingDirectory)))
                for n in ["r1", "r2"] {
                    #expect(FileManager.default.fileExists(atPath: "\(both.stagingDirectory)/nodes/\(n)/d0/legacy_tables"), "\(n)")
                }

                // The second data directory does not exist: the copy fails after the snapshot was taken.
                let broken = RemoteNode(name: "broken", host: "127.0.0.1", port: sshd.port, user: NSUserName(), identityFile: sshd.userKey,
                                        dataDirectories: [sshd.data, sshd.dir.path + "/no-such-dir"])
                try await c.addNode(broken)
                let failed = try await start(TaskSpec(name: "broken", source: TaskSource(nodes: ["broken"], takeSnapshot: true)))
                #expect(failed.status == .failed)
                #expect(failed.error?.contains("no-such-dir") == true, "\(failed.error ?? "")")
                let log = try await c.log(task: failed.id)
                #expect(log.contains("taking snapshot") && log.contains("copy failed, clearing snapshot"), "\(log)")
                // What the snapshot command made under snapshots/ is gone (as with nodetool clearsnapshot, the folder stays).
                let leftovers = try FileManager.default.subpathsOfDirectory(atPath: sshd.data).filter { $0.contains("snapshots/") }
                #expect(leftovers.isEmpty, "\(leftovers)")
            }
        }
    }

    /// Shell syntax in a snapshot name never reaches the node: the task is refused at creation (were
    /// it accepted, the test runs it, and the node's file system would show what ran).
    @Test func snapshotNamesWithShellSyntaxRunNothingOnTheNode() async throws {
        let sshd = try await TestSSHD()
        let agent = try await sshd.agent()
        try await finally({ await agent.stop() }) { () async throws in
            let c = try agent.client()
            try await finally({ try await c.shutdown() }) { () async throws in
                try await c.addNode(RemoteNode(name: "n1", host: "127.0.0.1", port: sshd.port, user: NSUserName(),
                                                                                   identityFile: sshd.userKey, dataDirectories: [sshd.data]))
                let marker = sshd.dir.path + "/pwned"
                for tag in ["x; touch \(marker)", "$(touch \(marker))", "`touch \(marker)`", "x'; touch \(marker); echo '"] {
                    let m = await expectStatus(400) {
                        let task = try await c.createTask(TaskSpec(source: TaskSource(nodes: ["n1"], snapshot: tag, takeSnapshot: true)))
                        try await c.startTask(task.id)
                        _ = try await waitFor(60, { try await c.task(task.id) }, until: { $0.status.isTerminal })
                    }
                    #expect(m.contains("source.snapshot"), "\(m)")
                    #expect(!FileManager.default.fileExists(atPath: marker), "ran on the node: \(tag)")
                }
                #expect(try FileManager.default.subpathsOfDirectory(atPath: sshd.data).filter { $0.contains("snapshots") }.isEmpty)
            }
        }
    }

    @Test func csvImportParsesNodes() throws {
        let nodes = try RemoteNode.parseCSV("""
            name,host,port,user,identity_file,data_directories,cassandra_yaml
            a,10.0.0.1,22,cass,/keys/a,/var/lib/cassandra/data;/data2,
            b,10.0.0.2,,cass,/keys/b,,/etc/cassandra/cassandra.yaml
            """)
        #expect(nodes.map(\.name) == ["a", "b"])
        #expect(nodes[0].dataDirectories == ["/var/lib/cassandra/data", "/data2"])
        #expect(nodes[1].port == nil && nodes[1].cassandraYaml == "/etc/cassandra/cassandra.yaml")
        #expect(throws: APIError.self) { _ = try RemoteNode.parseCSV("a,b\n") }
    }
}
