import Agent
import Migration
import SSTable
import Testing

/// How `tasks create` spreads one task over several agents.
@Suite struct TaskSplitTests {
    let spec = TaskSpec(name: "m", source: TaskSource(path: "/data", tables: ["ks.a", "ks.b", "ks.big", "ks.c"]),
                        target: TaskTarget(kind: .dynamodb, s3: "s3://bucket-b/p", mode: .batch))

    @Test func tablesDealtWholeAndBigOnesCutIntoTokenRanges() throws {
        let plan = try TaskSplit.plan(spec, agents: ["x", "y", "z"], tokenSplit: ["ks.big"])
        let ranges = TokenRange.split(3)
        #expect(plan.map(\.agent) == ["x", "x", "y", "y", "z", "z"])
        #expect(plan.map { $0.spec.source.tables ?? [] } == [["ks.a"], ["ks.big"], ["ks.b"], ["ks.big"], ["ks.c"], ["ks.big"]])
        #expect(plan.map { $0.spec.source.tokenRange } == [nil, ranges[0], nil, ranges[1], nil, ranges[2]])
        #expect(plan.map { $0.spec.name ?? "" } == ["m (tables 1/3)", "m (tokens 1/3)", "m (tables 2/3)", "m (tokens 2/3)", "m (tables 3/3)", "m (tokens 3/3)"])
        // Two agents: three whole tables dealt 2 + 1.
        let two = try TaskSplit.plan(spec, agents: ["x", "y"], tokenSplit: ["ks.big"])
        #expect(two.map { $0.spec.source.tables ?? [] } == [["ks.a", "ks.c"], ["ks.big"], ["ks.b"], ["ks.big"]])
        // Everything else is the task as given.
        #expect(plan.allSatisfy { $0.spec.target == spec.target && $0.spec.source.path == "/data" })
    }

    @Test func oneAgentGetsTheTaskAsItIs() throws {
        let plan = try TaskSplit.plan(spec, agents: ["x"], tokenSplit: ["ks.big"])
        #expect(plan.count == 1 && plan[0].spec == spec)
    }

    @Test func impossibleSplitsAreRefused() {
        var all = spec
        all.source.tables = nil
        #expect(throws: AgentError.self) { try TaskSplit.plan(all, agents: ["x", "y"]) }
        #expect(throws: AgentError.self) { try TaskSplit.plan(all, agents: ["x", "y"], tokenSplit: ["ks.big"]) }
        #expect(throws: AgentError.self) { try TaskSplit.plan(spec, agents: ["x", "y"], tokenSplit: ["ks.other"]) }
        var imported = spec
        imported.target.mode = .import
        #expect(throws: AgentError.self) { try TaskSplit.plan(imported, agents: ["x", "y"], tokenSplit: ["all"]) }
        #expect((try? TaskSplit.plan(all, agents: ["x", "y"], tokenSplit: ["all"]).count) == 2)
    }
}
