import ArgumentParser

@main
struct Cass2Dynamo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cass2dynamo",
        abstract: "Migrate Apache Cassandra tables to Amazon DynamoDB, reading SSTables directly.",
        version: "0.1.0",
        subcommands: [Dump.self, Generate.self, Inspect.self, SchemaCommand.self, Plan.self, AgentCommand.self, AgentsCommand.self, TasksCommand.self, Extract.self, Upload.self, Load.self, Validate.self, Migrate.self, Finish.self]
    )
}
