import Agent
import ArgumentParser
import Foundation
import Migration

/// `cass2dynamo tasks create|start|stop|resume|delete|list|get|log|watch --agent NAME`.
struct TasksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tasks",
        abstract: "Create, run, watch and delete migration tasks on registered agents.",
        subcommands: [Create.self, List.self, Get.self, Start.self, Resume.self, Stop.self, Delete.self, Log.self, Watch.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a task. With several --agent options, the work is split across the agents.",
            discussion: """
                The --table list is dealt out whole, round-robin; tables named with --token-split (or all of \
                them with --token-split all) are cut into token ranges instead, one share per agent, each \
                share in a task of its own (a dynamodb target then needs --mode batch).
                """)
        @Option(name: .customLong("agent"), help: "Registered agent name (repeatable).") var agents: [String]
        @Option(help: "Task name.") var name: String?
        @Option(help: "Local folder on the agent (inside its data directories).") var path: String?
        @Option(name: .customLong("node"), help: "Registered node to read over SSH (repeatable: replicas).") var nodes: [String] = []
        @Option(help: "Snapshot name to read.") var snapshot: String?
        @Flag(help: "Take the snapshot on the nodes first (and clear it once copied).") var takeSnapshot = false
        @Option(name: .customLong("keyspace"), help: "Only this keyspace (repeatable).") var keyspaces: [String] = []
        @Option(name: .customLong("table"), help: "Only this table, `ks.table` or `table` (repeatable).") var tables: [String] = []
        @Option(name: .customLong("schema-table"), help: ArgumentHelp(
            "The table of the schema the SSTables belong to, whatever their folders are called.", valueName: "KEYSPACE.TABLE"))
        var schemaTable: String?
        @Option(help: "CQL schema file on the agent.") var schema: String?
        @Option(help: "Target: staging (DynamoDB import parts and manifest on the agent) or dynamodb (the whole migration).") var target: TargetKind = .staging
        @Option(help: ArgumentHelp("dynamodb: where the staged parts go.", valueName: "s3://BUCKET/PREFIX")) var s3: String?
        @Option(help: "dynamodb: import (ImportTable) or batch (BatchWriteItem).") var mode: LoadMode?
        @Option(help: "mapping.yaml (a local file, sent with the task): only its tables, by its designs.") var mapping: String?
        @Option(name: .customLong("table-prefix"), help: "Prepended to each DynamoDB table name.") var tablePrefix: String?
        @Option(help: "dynamodb: one of the agent's aws.allowed_regions (else its aws.region; the endpoint is the agent's aws.endpoint_url).") var region: String?
        @Option(name: .customLong("max-wcu"), parsing: .unconditional, help: "dynamodb, batch: write capacity budget, WCU per second.")
        var maxWCU: Double?
        @Flag(name: .customLong("create-bucket"), help: "dynamodb: create the bucket if it does not exist.") var createBucket = false
        @Option(name: .customLong("token-split"), help: ArgumentHelp("Several agents: cut this table into token ranges, one per agent (repeatable; `all`: every table).", valueName: "TABLE|all"))
        var tokenSplit: [String] = []
        @Option(parsing: .unconditional, help: "Read no faster than this many rows per second.") var rowsPerSecond: Double?
        @Flag(help: "Start the task right away.") var start = false

        func validate() throws {
            guard !agents.isEmpty else { throw ValidationError("give --agent NAME") }
            guard (path == nil) != nodes.isEmpty else { throw ValidationError("give --path or --node") }
            if target == .dynamodb && (s3 == nil || mode == nil) { throw ValidationError("a dynamodb target needs --s3 and --mode") }
            try OptionCheck.number(maxWCU, "--max-wcu", "a number of write units per second", above: 1, inclusive: true, atMost: 1_000_000)
            try tablePrefix.map { try OptionCheck.tablePrefix($0) }
            try OptionCheck.number(rowsPerSecond, "--rows-per-second", "a number of rows per second", above: 0, atMost: 1_000_000_000)
        }

        func run() async throws {
            var mappingText: String?
            if let mapping {
                do { mappingText = try String(contentsOfFile: mapping, encoding: .utf8) } catch { throw CLIError("\(mapping): \(error.localizedDescription)") }
            }
            let target = TaskTarget(kind: self.target, s3: s3, mode: mode, tablePrefix: tablePrefix, region: region,
                                    maxWCU: maxWCU, createBucket: createBucket ? true : nil)
            let spec = TaskSpec(
                name: name, source: TaskSource(path: path, nodes: nodes.isEmpty ? nil : nodes, snapshot: snapshot,
                                               takeSnapshot: takeSnapshot ? true : nil, keyspaces: keyspaces.isEmpty ? nil : keyspaces,
                                               tables: tables.isEmpty ? nil : tables, schemaFile: schema, schemaTable: schemaTable),
                target: target, mapping: mappingText, rowsPerSecond: rowsPerSecond)
            let plan: [(agent: String, spec: TaskSpec)]
            do { plan = try TaskSplit.plan(spec, agents: agents, tokenSplit: tokenSplit) } catch { throw ValidationError("\(error)") }
            for (agent, spec) in plan {
                let start = self.start
                try await withAgent(try AgentOption.parse(["--agent", agent])) { client in
                    let task = try await client.createTask(spec)
                    print("\(agent)\t\(task.id)\tcreated")
                    if start {
                        let t = try await client.startTask(task.id)
                        print("\(agent)\t\(t.id)\t\(t.status.rawValue)")
                    }
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the agent's tasks.")
        @OptionGroup var agent: AgentOption
        func run() async throws {
            try await withAgent(agent) { client in
                let tasks = try await client.tasks()
                for t in tasks {
                    // Rows read from the CQL tables (their extract phase), not the items loaded or validated.
                    let rows = t.tables.filter { $0.phase == .extract }.reduce(Int64(0)) { $0 + $1.rows }
                    print("\(t.id)\t\(t.status.rawValue)\t\(rows) rows\t\(t.name)")
                }
            }
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a task as JSON.")
        @OptionGroup var agent: AgentOption
        @Argument var id: String
        func run() async throws { try await withAgent(agent) { try printJSON(try await $0.task(id)) } }
    }

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Start a task.")
        @OptionGroup var agent: AgentOption
        @Argument var id: String
        func run() async throws { try await withAgent(agent) { printStatus(try await $0.startTask(id)) } }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Resume a stopped or interrupted task from its checkpoint.")
        @OptionGroup var agent: AgentOption
        @Argument var id: String
        func run() async throws { try await withAgent(agent) { printStatus(try await $0.resumeTask(id)) } }
    }

    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop a task at its next checkpoint.")
        @OptionGroup var agent: AgentOption
        @Argument var id: String
        func run() async throws { try await withAgent(agent) { printStatus(try await $0.stopTask(id)) } }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a task that is not running.")
        @OptionGroup var agent: AgentOption
        @Argument var id: String
        @Flag(help: "Also remove its staged files on the agent.") var removeStaging = false
        func run() async throws {
            let (id, remove) = (id, removeStaging)
            try await withAgent(agent) { client in
                try await client.deleteTask(id, removeStaging: remove)
                print("\(id)\tdeleted")
            }
        }
    }

    struct Log: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a task's log.")
        @OptionGroup var agent: AgentOption
        @Argument var id: String
        func run() async throws {
            try await withAgent(agent) { client in
                let log = try await client.log(task: id)
                print(log, terminator: log.hasSuffix("\n") || log.isEmpty ? "" : "\n")
            }
        }
    }

    struct Watch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Draw a task's live progress from its event stream until it ends.")
        @OptionGroup var agent: AgentOption
        @Argument var id: String
        func run() async throws {
            let id = id
            let tty = isatty(1) != 0
            try await withAgent(agent) { client in
                var drawn = 0
                var last: TaskRecord?
                try await client.events(task: id) { event in
                    switch event.event {
                    case "progress", "end":
                        guard let t = try? JSONDecoder().decode(TaskRecord.self, from: Data(event.data.utf8)) else { return true }
                        let lines = ProgressDrawing.lines(t)
                        if tty {
                            if drawn > 0 { print("\u{1B}[\(drawn)A", terminator: "") }
                            for l in lines { print("\u{1B}[2K" + l) }
                            drawn = lines.count
                        } else if last?.status != t.status {
                            // Without a terminal: a block per status (the end event repeats the last one).
                            lines.forEach { print($0) }
                        }
                        fflush(nil)
                        last = t
                        return event.event != "end"
                    case "log":
                        if !tty { print("log: \(event.data)") }
                        return true
                    case "deleted":
                        print("task \(id) was deleted")
                        return false
                    default:
                        return true
                    }
                }
                if let last, last.status == .failed { throw AgentError("task failed: \(last.error ?? "")") }
            }
        }
    }
}

/// A task's id and status, as `start`, `resume` and `stop` print them.
func printStatus(_ t: TaskRecord) {
    print("\(t.id)\t\(t.status.rawValue)")
}

/// Text progress bars for a task.
enum ProgressDrawing {
    static func lines(_ t: TaskRecord) -> [String] {
        var out = ["\(t.name) [\(t.id)] \(t.status.rawValue)" + (t.error.map { ": \($0)" } ?? "")]
        // Names padded to the longest, never cut: `ks.table` must stay readable.
        let nameWidth = t.tables.map(\.qualifiedName.count).reduce(28, max)
        for x in t.tables {
            let total = x.estimatedRows ?? 0
            let fraction = total > 0 ? min(1, Double(x.rows) / Double(total)) : (x.status == .done ? 1 : 0)
            let width = 30
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            var line = "  \(x.qualifiedName.padding(toLength: nameWidth, withPad: " ", startingAt: 0)) \(bar) \(String(format: "%3.0f%%", fraction * 100)) \(x.rows) rows"
            if let r = x.rowsPerSecond, x.status == .running { line += String(format: " %.0f rows/s", r) }
            if let e = x.etaSeconds, x.status == .running, e > 0 { line += String(format: " ETA %.0fs", e) }
            out.append(line)
        }
        if let report = t.report {
            let differing = report.filter { !$0.isMatch }
            out.append("  validation: \(differing.isEmpty ? "OK" : "MISMATCH") (\(report.count) tables)")
            for r in differing {
                out.append("    \(r.table): \(r.targetItems) items found, \(r.expectedItems) staged; \(r.missingCount) missing, \(r.unexpectedCount) unexpected, \(r.differentCount) different")
            }
        }
        return out
    }
}
