import Agent
import ArgumentParser
import DynamoMapping
import Logging
import Migration

// The choice options of the commands. Argument-parser checks them before `validate()` and names
// the values they take in its error (`Please provide one of 'import' and 'batch'`).

extension LoadMode: ExpressibleByArgument {}
extension PartCompression: ExpressibleByArgument {}
extension StaticMode: ExpressibleByArgument {}
extension TimestampFormat: ExpressibleByArgument {}
extension TargetKind: ExpressibleByArgument {}
extension Logger.Level: @retroactive ExpressibleByArgument {}
