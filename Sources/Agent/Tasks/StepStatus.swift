/// Where a table or a stage of a task is. The raw values are the `status` strings of the API.
public enum StepStatus: String, Codable, Sendable, CaseIterable {
    case pending, running, done, skipped, failed, stopped, interrupted

    /// What a step still running becomes when its task's run ends as `outcome`.
    public init(endingAs outcome: TaskStatus) {
        switch outcome {
        case .completed: self = .done
        case .failed: self = .failed
        case .stopped: self = .stopped
        case .interrupted: self = .interrupted
        case .created: self = .pending
        case .running, .stopping: self = .running
        }
    }
}
