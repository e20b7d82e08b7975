import DynamoMapping
import SSTable

extension Extractor {
    /// The tables a run stages, each with its design and Statistics.db's estimate of its items
    /// and DynamoDB JSON (``Assessor``, no rows read): what `migrate` asks to confirm before it
    /// touches AWS, as parts go up while the tables are still being read.
    public func plan() throws -> [TableAssessment] {
        try jobs().map { job in
            let reader = try TableReader(location: job.location, schema: job.schema, now: now)
            return try Assessor.assess(schema: reader.schema, design: design(for: reader.schema, declared: job.declared), reader: reader,
                                       scan: false, prices: Prices())
        }
    }
}
