
extension DashboardAssets {
    /// The status names the script compares against, written from the API's enums: `TaskStatus`,
    /// `StepStatus` (tables and stages) and `STARTABLE` (the task statuses Start/Resume take).
    static let statusConstants: String = {
        func object(_ names: [String]) -> String {
            "Object.freeze({" + names.map { "\($0): \"\($0)\"" }.joined(separator: ", ") + "})"
        }
        let startable = TaskStatus.allCases.filter(\.isStartable).map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
        return """
            const TaskStatus = \(object(TaskStatus.allCases.map(\.rawValue)));
            const StepStatus = \(object(StepStatus.allCases.map(\.rawValue)));
            const STARTABLE = [\(startable)];

            """
    }()
}
