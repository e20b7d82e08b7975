import AWS
import CQL
import SSTable

/// What one CQL row becomes.
public enum RowConversion {
    /// The DynamoDB item.
    case item(DynamoItem)
    /// The row cannot be migrated as mapped; the reason names the column and the problem.
    case rejected(String)
}

/// Turns the rows of one CQL table into items of its target table.
///
/// The migration pipeline depends only on this: the table design and a row → item function.
/// DynamoMapping (issue 5) provides the real one; ``ProvisionalRowMapper`` stands in until it lands.
public protocol RowMapper {
    /// The target table.
    var design: TableDesign { get }
    /// Converts one row (valid only during the call).
    func convert(_ row: RowView) throws -> RowConversion
}

/// Makes the mapper of one table from its CQL schema; `tablePrefix` is prepended to the table name.
public typealias RowMapperFactory = @Sendable (_ schema: TableSchema, _ tablePrefix: String) throws -> any RowMapper
