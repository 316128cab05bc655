import ImageMetadata
import PerceptualHash

/// A field-by-field comparison of a local metadata object with an ImageKit response (SPEC §1–§4).
struct MetadataComparison {
    enum Verdict: String {
        case equal = "equal"
        case withinTolerance = "within tolerance"
        case different = "different"
        /// A difference that does not count: key order in a response that was re-sorted.
        case notCounted = "not counted"
    }

    /// One difference inside a nested value, named by its path (`exif.image.Make`).
    struct PathDifference: Equatable {
        var path: String
        var local: JSONValue?
        var response: JSONValue?
        var note: String?
    }

    struct Row {
        var field: String
        var verdict: Verdict
        var local: JSONValue?
        var response: JSONValue?
        var note: String?
        var paths: [PathDifference] = []
    }

    var rows: [Row] = []

    var agrees: Bool { rows.allSatisfy { $0.verdict != .different } }

    /// Compares every key of either object by name, in the local key order and then the
    /// response's own keys; `pHash` agrees within `tolerance` bits, `exif` is compared path by
    /// path. Key order, at every level, is one row of its own; a different order counts as a
    /// difference only when `countKeyOrder` is set (otherwise `orderNote` says why it is not).
    init(local: JSONObject, response: JSONObject, tolerance: Int, countKeyOrder: Bool = true, orderNote: String = "") {
        var keys = local.keys
        for key in response.keys where local[key] == nil { keys.append(key) }
        for key in keys {
            let a = local[key]
            let b = response[key]
            switch key {
            case "pHash": rows.append(MetadataComparison.pHash(a, b, tolerance: tolerance))
            default:
                var paths: [PathDifference] = []
                MetadataComparison.diff(a, b, path: key, into: &paths)
                var row = Row(field: key, verdict: paths.isEmpty ? .equal : .different, local: a, response: b)
                if a == nil { row.note = "only in the response" }
                if b == nil { row.note = "missing from the response" }
                if case .object = a, case .object = b, !paths.isEmpty {
                    row.note = paths.count == 1 ? "1 path differs" : "\(paths.count) paths differ"
                    row.paths = paths
                }
                rows.append(row)
            }
        }
        var order: [PathDifference] = []
        MetadataComparison.orderDifferences(local, response, path: "", into: &order)
        var row = Row(field: "key order", verdict: order.isEmpty ? .equal : countKeyOrder ? .different : .notCounted)
        if !order.isEmpty {
            row.note = (order.count == 1 ? "1 object" : "\(order.count) objects") + " in another order"
                + (countKeyOrder ? "" : " (" + orderNote + ")")
            row.paths = order
        }
        rows.append(row)
    }

    /// Every object, from `path` down, whose shared keys come in a different order (SPEC §1, §3).
    static func orderDifferences(_ a: JSONObject, _ b: JSONObject, path: String, into out: inout [PathDifference]) {
        let local = a.keys.filter { b[$0] != nil }
        let response = b.keys.filter { a[$0] != nil }
        if local != response {
            out.append(PathDifference(path: path.isEmpty ? "(top level)" : path, local: nil, response: nil,
                note: "local " + local.joined(separator: ",") + "; response " + response.joined(separator: ",")))
        }
        for key in local {
            if case .object(let x)? = a[key], case .object(let y)? = b[key] {
                orderDifferences(x, y, path: path.isEmpty ? key : path + "." + key, into: &out)
            }
        }
    }

    /// pHash rows: the distance decides (SPEC §4).
    static func pHash(_ a: JSONValue?, _ b: JSONValue?, tolerance: Int) -> Row {
        var row = Row(field: "pHash", verdict: .different, local: a, response: b)
        guard let a else {
            row.note = "not computed locally (the image's pixels could not be decoded)"
            return row
        }
        guard let b else {
            row.note = "missing from the response"
            return row
        }
        guard case .string(let x) = a, let hx = PHash(hex: x) else {
            row.note = "the local value is not a pHash"
            return row
        }
        guard case .string(let y) = b, let hy = PHash(hex: y) else {
            row.note = "the response's value is not a pHash (1–16 hex digits)"
            return row
        }
        let d = hx.distance(to: hy)
        row.verdict = d == 0 ? .equal : d <= tolerance ? .withinTolerance : .different
        row.note = "distance \(d) " + (d <= tolerance ? "≤" : ">") + " tolerance \(tolerance)"
        return row
    }

    /// Every path where `a` and `b` differ; objects are compared by name, whatever their key order.
    static func diff(_ a: JSONValue?, _ b: JSONValue?, path: String, into out: inout [PathDifference]) {
        switch (a, b) {
        case (nil, nil):
            return
        case (.some(let a), nil):
            out.append(PathDifference(path: path, local: a, response: nil, note: "missing from the response"))
        case (nil, .some(let b)):
            out.append(PathDifference(path: path, local: nil, response: b, note: "only in the response"))
        case (.object(let x), .object(let y)):
            for key in x.keys { diff(x[key], y[key], path: path + "." + key, into: &out) }
            for key in y.keys where x[key] == nil { diff(nil, y[key], path: path + "." + key, into: &out) }
        case (.array(let x), .array(let y)) where x.count == y.count:
            for i in x.indices { diff(x[i], y[i], path: path + "[\(i)]", into: &out) }
        case (.some(let a), .some(let b)):
            if a != b { out.append(PathDifference(path: path, local: a, response: b, note: nil)) }
        }
    }

    /// The report for people: one line per field, the differing paths indented under their field.
    func lines(maximumPaths: Int = 50) -> [String] {
        var out: [String] = []
        for row in rows {
            var text = MetadataComparison.pad(row.field, 17) + MetadataComparison.pad(row.verdict.rawValue, 18)
            switch row.verdict {
            case .equal where row.paths.isEmpty:
                if let value = row.local { text += MetadataComparison.show(value) }
                if let note = row.note { text += " (\(note))" }
            default:
                if row.paths.isEmpty {
                    var parts: [String] = []
                    if row.local != nil || row.response != nil {
                        parts.append("local " + (row.local.map(MetadataComparison.show) ?? "(absent)")
                            + ", response " + (row.response.map(MetadataComparison.show) ?? "(absent)"))
                    }
                    if let note = row.note { parts.append(note) }
                    text += parts.joined(separator: ": ")
                } else {
                    text += row.note ?? ""
                }
            }
            out.append(text)
            for difference in row.paths.prefix(maximumPaths) {
                var line = "    " + difference.path + "  "
                if difference.local != nil || difference.response != nil {
                    line += "local " + (difference.local.map(MetadataComparison.show) ?? "(absent)")
                        + ", response " + (difference.response.map(MetadataComparison.show) ?? "(absent)")
                }
                if let note = difference.note {
                    line += (difference.local != nil || difference.response != nil) ? " (\(note))" : note
                }
                out.append(line)
            }
            if row.paths.count > maximumPaths {
                out.append("    … and \(row.paths.count - maximumPaths) more")
            }
        }
        let fields = rows.filter { $0.field != "key order" }
        let agreeing = fields.filter { $0.verdict != .different }.count
        out.append("\(agreeing) of \(fields.count) fields agree" + (agrees ? "" : "; the objects differ"))
        return out
    }

    /// A value as compact JSON, shortened for a terminal line.
    static func show(_ value: JSONValue) -> String {
        let text = JSONWriter.compact(value)
        guard text.count > 96 else { return text }
        return String(text.prefix(93)) + "…"
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
