import JSONCoding
import DynamoModel

/// Everything CreateTable takes beyond the ``TableDefinition``.
public struct CreateTableOptions: Sendable, Hashable {
    /// Tags to put on the table.
    public var tags: [Tag]
    /// `STANDARD` or `STANDARD_INFREQUENT_ACCESS`; nil leaves the default.
    public var tableClass: String?
    /// Deletion protection.
    public var deletionProtectionEnabled: Bool?

    /// Creates options.
    public init(tags: [Tag] = [], tableClass: String? = nil, deletionProtectionEnabled: Bool? = nil) {
        self.tags = tags
        self.tableClass = tableClass
        self.deletionProtectionEnabled = deletionProtectionEnabled
    }
}

extension DynamoDBClient {
    /// CreateTable: creates a table (on-demand or provisioned, with GSIs and tags).
    @discardableResult
    public func createTable(_ definition: TableDefinition, options: CreateTableOptions = CreateTableOptions()) async throws -> TableDescription {
        var members = definition.jsonMembers
        if !options.tags.isEmpty {
            members.append(JSONMember("Tags", .array(options.tags.map { .object([JSONMember("Key", .string($0.key)), JSONMember("Value", .string($0.value))]) })))
        }
        if let tableClass = options.tableClass { members.append(JSONMember("TableClass", .string(tableClass))) }
        if let protection = options.deletionProtectionEnabled { members.append(JSONMember("DeletionProtectionEnabled", .bool(protection))) }
        let response = try await call("CreateTable", members)
        return try tableDescription(response["TableDescription"], operation: "CreateTable")
    }

    /// DescribeTable.
    public func describeTable(_ tableName: String) async throws -> TableDescription {
        let response = try await call("DescribeTable", [JSONMember("TableName", .string(tableName))])
        return try tableDescription(response["Table"], operation: "DescribeTable")
    }

    /// Polls DescribeTable until the table and all its GSIs are ACTIVE (ResourceNotFoundException is
    /// tolerated while waiting), or throws `deadlineExceeded` after `timeout` seconds.
    @discardableResult
    public func waitUntilActive(_ tableName: String, pollInterval: Double = 5, timeout: Double = 600) async throws -> TableDescription {
        let deadline = MonotonicClock.now() + timeout
        while true {
            do {
                let description = try await describeTable(tableName)
                if description.isFullyActive { return description }
            } catch let error as AWSError where error.code == "ResourceNotFoundException" {
                // Newly created tables can be invisible for a moment.
            }
            guard MonotonicClock.now() + pollInterval <= deadline else {
                throw AWSError(kind: .deadlineExceeded, service: "dynamodb", operation: "DescribeTable",
                               message: "table \(tableName) did not become ACTIVE within \(timeout) s")
            }
            try await Task.sleep(for: .milliseconds(Int64(pollInterval * 1000)))
        }
    }

    /// DeleteTable.
    @discardableResult
    public func deleteTable(_ tableName: String) async throws -> TableDescription {
        let response = try await call("DeleteTable", [JSONMember("TableName", .string(tableName))])
        return try tableDescription(response["TableDescription"], operation: "DeleteTable")
    }

    /// UpdateTimeToLive: enables or disables TTL on `attributeName` (epoch seconds stored as `N`).
    public func updateTimeToLive(tableName: String, attributeName: String, enabled: Bool = true) async throws {
        _ = try await call("UpdateTimeToLive", [
            JSONMember("TableName", .string(tableName)),
            JSONMember("TimeToLiveSpecification", .object([JSONMember("Enabled", .bool(enabled)), JSONMember("AttributeName", .string(attributeName))])),
        ])
    }

    /// DescribeTimeToLive: returns the status (ENABLING, DISABLING, ENABLED, DISABLED) and attribute name.
    public func describeTimeToLive(tableName: String) async throws -> (status: String, attributeName: String?) {
        let response = try await call("DescribeTimeToLive", [JSONMember("TableName", .string(tableName))])
        let description = response["TimeToLiveDescription"]
        return (description?["TimeToLiveStatus"]?.stringValue ?? "DISABLED", description?["AttributeName"]?.stringValue)
    }

    /// ListTables, following `LastEvaluatedTableName` through every page.
    public func listTables(pageSize: Int = 100) async throws -> [String] {
        var names: [String] = []
        var start: String?
        repeat {
            var members: [JSONMember] = [JSONMember("Limit", .number(String(pageSize)))]
            if let start { members.append(JSONMember("ExclusiveStartTableName", .string(start))) }
            let response = try await call("ListTables", members)
            names += (response["TableNames"]?.arrayValue ?? []).compactMap(\.stringValue)
            start = response["LastEvaluatedTableName"]?.stringValue
        } while start != nil
        return names
    }

    func tableDescription(_ json: JSONValue?, operation: String) throws -> TableDescription {
        guard let json else { throw invalidResponse(operation, "missing table description") }
        do {
            return try TableDescription(json: json)
        } catch {
            throw invalidResponse(operation, error.message)
        }
    }
}
