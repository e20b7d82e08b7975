/// The agent's version, reported by `/v1/health` and `/v1/agent`.
public enum AgentVersion {
    public static let current = "0.1.0"
}
