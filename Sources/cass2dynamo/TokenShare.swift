import ArgumentParser
import Foundation
import SSTable

/// `I/N`: share I (1-based) of the token ring cut into N equal ranges, as `--token-share` takes
/// it; or, with `--token-share-from-env VAR/N`, the share an indexed job's environment names
/// (Kubernetes' `JOB_COMPLETION_INDEX`, AWS Batch's `AWS_BATCH_JOB_ARRAY_INDEX`: 0-based, so the
/// share is the value + 1).
struct TokenShare {
    let range: TokenRange

    /// `--token-share`'s value (argument-parser names the option and the value around the reason).
    static func parse(_ text: String) throws -> TokenShare {
        guard let range = TokenRange(share: text) else { throw ValidationError("expected I/N with 1 ≤ I ≤ N, e.g. 2/3") }
        return TokenShare(range: range)
    }

    /// The share `VAR/N` names in `environment`: the variable's 0-based index + 1, of N.
    static func fromEnvironment(_ spec: String, _ environment: [String: String]) throws -> TokenShare {
        let parts = spec.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let name = parts.first, !name.isEmpty,
              name.allSatisfy({ $0 == "_" || ($0.isASCII && ($0.isUppercase || $0.isNumber)) }), !name.first!.isNumber,
              let count = Int(parts[1]), count >= 1 else {
            throw ValidationError("--token-share-from-env must be VARIABLE/N, e.g. JOB_COMPLETION_INDEX/8")
        }
        guard let value = environment[String(name)], !value.isEmpty else {
            throw ValidationError("--token-share-from-env: \(name) is not set (Kubernetes Indexed Jobs set JOB_COMPLETION_INDEX, AWS Batch array jobs AWS_BATCH_JOB_ARRAY_INDEX)")
        }
        guard let index = Int(value), (0..<count).contains(index) else {
            throw ValidationError("--token-share-from-env: \(name) is '\(value)', not an index from 0 to \(count - 1)")
        }
        return try parse("\(index + 1)/\(count)")
    }
}
