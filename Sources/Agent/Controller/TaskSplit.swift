import Migration
import SSTable

/// How a controller spreads one task over several agents: tables dealt whole, round-robin, and
/// the tables too big for one agent cut into token ranges, one share per agent.
public enum TaskSplit {
    /// One task per agent and kind of share. `tokenSplit` names the tables to cut into token ranges
    /// (`ks.table` or `table`, as in `source.tables`), or is `["all"]` for every table of the task;
    /// agent i then also reads share i of the ring for those tables, in a task of its own.
    public static func plan(_ spec: TaskSpec, agents: [String], tokenSplit: [String] = []) throws -> [(agent: String, spec: TaskSpec)] {
        guard !agents.isEmpty else { throw AgentError("give at least one agent") }
        if agents.count == 1 { return [(agents[0], spec)] }
        let all = tokenSplit == ["all"]
        let listed = spec.source.tables ?? []
        if !all && tokenSplit.isEmpty && listed.count < 2 {
            throw AgentError("splitting across several agents needs a table list (or token ranges: --token-split TABLE or all)")
        }
        if !all, let unknown = tokenSplit.first(where: { !listed.contains($0) }) {
            throw AgentError("--token-split \(unknown) is not among the task's tables (\(listed.isEmpty ? "give them with --table" : listed.joined(separator: ", ")))")
        }
        if !tokenSplit.isEmpty && spec.target.kind == .dynamodb && spec.target.mode != .batch {
            throw AgentError("token-range shares need the batch mode: ImportTable creates the whole table at once")
        }
        let name = spec.name ?? "task"
        var plan: [(agent: String, spec: TaskSpec)] = []
        let whole = all ? [] : listed.filter { !tokenSplit.contains($0) }
        for (i, agent) in agents.enumerated() {
            let dealt = whole.enumerated().filter { $0.offset % agents.count == i }.map(\.element)
            if !dealt.isEmpty {
                var share = spec
                share.source.tables = dealt
                share.name = "\(name) (tables \(i + 1)/\(agents.count))"
                plan.append((agent, share))
            }
            if all || !tokenSplit.isEmpty {
                var share = spec
                share.source.tables = all ? spec.source.tables : tokenSplit
                share.source.tokenRange = TokenRange.split(agents.count)[i]
                share.name = "\(name) (tokens \(i + 1)/\(agents.count))"
                plan.append((agent, share))
            }
        }
        return plan
    }
}
