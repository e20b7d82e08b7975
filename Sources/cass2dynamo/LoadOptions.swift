import ArgumentParser
import Migration

/// `--max-wcu`, `--concurrency` and `--import-poll`: how `load` and `migrate` write to DynamoDB.
struct LoadOptions: ParsableArguments {
    @Option(name: .customLong("max-wcu"), parsing: .unconditional, help: "Batch mode: write capacity budget, WCU per second.")
    var maxWCU: Double?

    @Option(parsing: .unconditional, help: "Batch mode: BatchWriteItem calls in flight.")
    var concurrency: Int = 8

    @Option(name: .customLong("import-poll"), parsing: .unconditional, help: "Seconds between DescribeImport polls.")
    var importPoll: Double = 10

    func validate() throws {
        try OptionCheck.number(maxWCU, "--max-wcu", "a number of write units per second", above: 1, inclusive: true, atMost: 1_000_000)
        try OptionCheck.whole(concurrency, "--concurrency", OptionCheck.parallelism)
        try OptionCheck.number(importPoll, "--import-poll", "a number of seconds", above: 0, atMost: 3600)
    }

    var batch: BatchLoadOptions { BatchLoadOptions(concurrency: concurrency, maxWCU: maxWCU) }
}
