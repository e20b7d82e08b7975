import CQL

/// Cassandra's rules for reading values written as one type through another: `AbstractType`'s
/// `isCompatibleWith` (same bytes, same order: keys and clustering columns) and
/// `isValueCompatibleWith` (same bytes, order aside: other columns), with the overrides of
/// `UTF8Type`, `BytesType`, `LongType`, `TimestampType`, `IntegerType`, `SimpleDateType`,
/// `TimeType`, `UUIDType`, the collection types, `TupleType` and `UserType`. `self` is the
/// schema's type, `written` the SSTable header's.
///
/// Frozenness is compared at the top level only: a nested value is always serialized frozen,
/// whatever flag a header records for it (CASSANDRA-15035).
extension CQLType {
    /// `self.isCompatibleWith(written)`, nested frozen flags aside.
    func isCompatible(with written: CQLType) -> Bool {
        let a = nestedFrozen, b = written.nestedFrozen
        if a == b { return true }
        switch (a, b) {
        case (.reversed(let x), .reversed(let y)): return x.isCompatible(with: y)
        case (.text, .ascii), (.blob, .ascii), (.blob, .text): return true
        case (.list(let x, let fx), .list(let y, let fy)):
            return fx == fy && (fx ? x.isCompatible(with: y) : x.isValueCompatible(with: y))
        case (.set(let x, let fx), .set(let y, let fy)):
            return fx == fy && x.isCompatible(with: y)
        case (.map(let kx, let vx, let fx), .map(let ky, let vy, let fy)):
            return fx == fy && kx.isCompatible(with: ky) && (fx ? vx.isCompatible(with: vy) : vx.isValueCompatible(with: vy))
        case (.tuple(let xs), .tuple(let ys)):
            return xs.count >= ys.count && zip(xs, ys).allSatisfy { $0.isCompatible(with: $1) }
        case (.udt(let x, let fx), .udt(let y, let fy)):
            return fx == fy && x.keyspace == y.keyspace && x.name == y.name && x.fieldTypes.count >= y.fieldTypes.count
                && zip(x.fieldTypes, y.fieldTypes).allSatisfy { $0.isCompatible(with: $1) }
        case (.composite(let xs), .composite(let ys)):
            return xs.count >= ys.count && zip(xs, ys).allSatisfy { $0.isCompatible(with: $1) }
        default: return false
        }
    }

    /// `self.isValueCompatibleWith(written)`, nested frozen flags aside: `ReversedType` on
    /// either side is looked through.
    func isValueCompatible(with written: CQLType) -> Bool {
        let a = unreversed, b = written.unreversed
        if a.isCompatible(with: b) { return true }
        switch (a, b) {
        case (.blob, _): return true
        case (.bigint, .timestamp), (.timestamp, .bigint), (.varint, .int), (.varint, .bigint), (.varint, .timestamp),
            (.date, .int), (.time, .bigint), (.uuid, .timeuuid):
            return true
        case (.list(let x, true), .list(let y, true)): return x.isValueCompatible(with: y)
        case (.set(let x, true), .set(let y, true)): return x.isCompatible(with: y)
        case (.map(let kx, let vx, true), .map(let ky, let vy, true)): return kx.isCompatible(with: ky) && vx.isValueCompatible(with: vy)
        case (.tuple(let xs), .tuple(let ys)):
            return xs.count >= ys.count && zip(xs, ys).allSatisfy { $0.isValueCompatible(with: $1) }
        default: return false
        }
    }

    /// The type with every nested collection and UDT frozen (the top level as it is).
    var nestedFrozen: CQLType {
        switch self {
        case .list(let e, let f): return .list(e.allFrozen, frozen: f)
        case .set(let e, let f): return .set(e.allFrozen, frozen: f)
        case .map(let k, let v, let f): return .map(k.allFrozen, v.allFrozen, frozen: f)
        case .tuple(let ts): return .tuple(ts.map(\.allFrozen))
        case .udt(var u, let f):
            u.fieldTypes = u.fieldTypes.map(\.allFrozen)
            return .udt(u, frozen: f)
        case .reversed(let b): return .reversed(b.nestedFrozen)
        case .composite(let ts): return .composite(ts.map(\.allFrozen))
        default: return self
        }
    }

    /// The type frozen at every level.
    var allFrozen: CQLType { nestedFrozen.frozen }

    /// How Cassandra's `toString` writes this schema type in a header, as our parser reads it
    /// back: inside a frozen type nested types carry no `FrozenType` (so they parse unfrozen).
    var headerForm: CQLType { headerForm(insideFrozen: false) }

    private func headerForm(insideFrozen: Bool) -> CQLType {
        func nested(_ t: CQLType, _ frozenContext: Bool) -> CQLType {
            let t = t.headerForm(insideFrozen: frozenContext)
            return frozenContext ? t.unfrozen : t.frozen
        }
        switch self {
        case .list(let e, let f): return .list(nested(e, f || insideFrozen), frozen: f)
        case .set(let e, let f): return .set(nested(e, f || insideFrozen), frozen: f)
        case .map(let k, let v, let f): return .map(nested(k, f || insideFrozen), nested(v, f || insideFrozen), frozen: f)
        case .tuple(let ts): return .tuple(ts.map { nested($0, true) })
        case .udt(var u, let f):
            u.fieldTypes = u.fieldTypes.map { nested($0, f || insideFrozen) }
            return .udt(u, frozen: f)
        case .reversed(let b): return .reversed(b.headerForm(insideFrozen: insideFrozen))
        case .composite(let ts): return .composite(ts.map { $0.headerForm(insideFrozen: insideFrozen) })
        default: return self
        }
    }

    /// The same type with `frozen` cleared at the top level.
    var unfrozen: CQLType {
        switch self {
        case .list(let e, _): return .list(e, frozen: false)
        case .set(let e, _): return .set(e, frozen: false)
        case .map(let k, let v, _): return .map(k, v, frozen: false)
        case .udt(let u, _): return .udt(u, frozen: false)
        default: return self
        }
    }
}
