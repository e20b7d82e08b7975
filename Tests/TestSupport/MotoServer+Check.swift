import Foundation

extension MotoServer {
    /// boto3 scans `table` and checks it holds exactly one item per expected row (JSON lines in
    /// `expectedFile`), every non-null column equal under the default mapping (sets compared
    /// unordered, timestamps as epoch milliseconds, `{"$regex"}` values matched), and nothing else
    /// but the composite key and TTL attributes. Prints `OK <count>` or the differences.
    public func checkTable(table: String, keys: [String], timestamps: [String], expectedFile: String) async throws -> String {
        let script = """
            import re, calendar, datetime
            from decimal import Decimal
            from boto3.dynamodb.types import TypeDeserializer, Binary
            td = TypeDeserializer()
            keys = [\(keys.map { "'\($0)'" }.joined(separator: ", "))]
            timestamps = [\(timestamps.map { "'\($0)'" }.joined(separator: ", "))]
            def epoch_ms(text):
                m = re.fullmatch(r"(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d)(?:\\.(\\d{1,3}))?Z", text)
                t = datetime.datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S")
                return Decimal(calendar.timegm(t.timetuple()) * 1000 + int((m.group(2) or "0").ljust(3, "0")))
            def canon(v):
                if isinstance(v, Binary): return "0x" + bytes(v).hex()
                if isinstance(v, (bytes, bytearray)): return "0x" + bytes(v).hex()
                if isinstance(v, Decimal): return ("N", str(v.normalize()) if v == v.to_integral_value() or True else str(v))
                if isinstance(v, set): return ("set", sorted(json.dumps(canon(x)) for x in v))
                if isinstance(v, list): return [canon(x) for x in v]
                if isinstance(v, dict): return {k: canon(x) for k, x in v.items()}
                return v
            items = []
            kw = {"TableName": "\(table)"}
            while True:
                page = ddb.scan(**kw)
                items += [{k: td.deserialize(x) for k, x in it.items()} for it in page["Items"]]
                if "LastEvaluatedKey" not in page: break
                kw["ExclusiveStartKey"] = page["LastEvaluatedKey"]
            rows = [json.loads(l, parse_float=Decimal, parse_int=Decimal) for l in open("\(expectedFile)") if l.strip()]
            for row in rows:
                for c in timestamps:
                    if isinstance(row.get(c), str): row[c] = epoch_ms(row[c])
            def key_of(d):
                return json.dumps([str(canon(d.get(k))) for k in keys])
            got = {}
            problems = []
            for it in items:
                k = key_of(it)
                if k in got: problems.append("duplicate " + k)
                got[k] = it
            def same(e, g):
                if isinstance(e, dict) and "$regex" in e: return isinstance(g, str) and re.fullmatch(e["$regex"], g) is not None
                if isinstance(e, Decimal): return canon(g) == canon(e)
                if isinstance(e, list) and isinstance(g, set): return canon(g) == canon(set(e))
                if isinstance(e, list): return isinstance(g, list) and len(e) == len(g) and all(same(a, b) for a, b in zip(e, g))
                if isinstance(e, dict): return isinstance(g, dict) and set(e) == set(g) and all(same(e[x], g[x]) for x in e)
                return e == g
            for row in rows:
                row = {c: v for c, v in row.items() if v is not None and v != [] and v != {}}
                k = key_of(row)
                g = got.pop(k, None)
                if g is None: problems.append("missing " + k); continue
                for extra in ("pk", "sk", "ttl"):
                    if extra not in row: g.pop(extra, None)
                if set(g) != set(row): problems.append("columns %s: %s vs %s" % (k, sorted(g), sorted(row))); continue
                for c in row:
                    if not same(row[c], g[c]): problems.append("value %s.%s: %r vs %r" % (k, c, g[c], row[c]))
            problems += ["unexpected " + k for k in got]
            print("OK %d" % len(items) if not problems else "\\n".join(problems[:10]))
            """
        return String(decoding: try await boto3(script), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
