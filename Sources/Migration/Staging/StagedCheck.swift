import DynamoMapping
import Foundation

/// What a run that stops after staging validates, with nothing but the staging folder: every
/// part of a table re-read against the manifest (size, SHA-256, its items decoded and counted)
/// and every value moved out of an oversized item (size, SHA-256). A damaged file is an error
/// naming it.
public enum StagedCheck {
    /// The check of one staged table: `expectedItems` is the manifest's count, `targetItems` the
    /// items read back from its parts.
    public static func validate(_ table: StagedTable, staging: String, stop: StopSignal = StopSignal(),
                                progress: ProgressSink = .none) throws -> ValidationReport {
        let started = Date()
        let name = table.design.table
        progress.emit(ProgressEvent(phase: .validate, kind: .start, table: name, totalRows: table.items))
        var items = 0
        for part in table.parts {
            try stop.check()
            _ = try PartReader.readChecked(part, compression: table.partCompression, staging: staging, stop: stop)
            items += part.items
            progress.emit(ProgressEvent(phase: .validate, kind: .progress, table: name, part: part.name, rows: items, totalRows: table.items))
        }
        for object in table.offloaded {
            try stop.check()
            try object.verify(staging: staging)
        }
        var report = ValidationReport(table: name, expectedItems: table.items, targetItems: items)
        report.seconds = Date().timeIntervalSince(started)
        progress.emit(ProgressEvent(phase: .validate, kind: .done, table: name, rows: items, totalRows: table.items,
                                    message: report.isMatch ? "match" : "the parts hold \(items) items where the manifest says \(table.items)"))
        return report
    }
}
