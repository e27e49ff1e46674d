import Foundation

/// Recognises ICC profiles that describe sRGB, so that images tagged with one can skip colour
/// management: converting sRGB to sRGB changes no pixel, but lcms spends longer building the
/// transform (inverting a 1024-entry tone curve per channel) than libvips spends shrinking a
/// small image.
///
/// A profile counts as sRGB when it is an RGB matrix/TRC profile (no lookup tables, which lcms
/// would prefer to the matrix) whose D50 colorants are sRGB's to within 0.002 and whose three
/// tone curves follow sRGB's to within 0.4% of full scale at 65 points. That accepts the common
/// sRGB IEC61966-2.1 profiles (HP's 1024-entry table, parametric v4 ones) and refuses Adobe RGB,
/// Display P3, gamma 2.2 and linear profiles.
public enum ICCProfile {
    /// Whether the profile bytes describe sRGB (see the type's description).
    /// - Parameter profile: an ICC profile as embedded in an image.
    public static func isSRGB(_ profile: Data) -> Bool {
        guard let tags = Tags(profile), profile.ascii(at: 16, count: 4) == "RGB ",
            profile.ascii(at: 20, count: 4) == "XYZ "
        else { return false }
        let lookupTables = ["A2B0", "A2B1", "A2B2", "B2A0", "B2A1", "B2A2"]
        if lookupTables.contains(where: { tags[$0] != nil }) { return false }
        for (tag, expected) in colorants {
            guard let xyz = tags.xyz(tag), zip(xyz, expected).allSatisfy({ abs($0 - $1) <= 0.002 }) else {
                return false
            }
        }
        return ["rTRC", "gTRC", "bTRC"].allSatisfy { tags.curve($0).map(followsSRGB) ?? false }
    }

    /// sRGB's primaries adapted to D50, as ICC profiles store them.
    private static let colorants: [(String, [Double])] = [
        ("rXYZ", [0.4361, 0.2225, 0.0139]), ("gXYZ", [0.3851, 0.7169, 0.0971]), ("bXYZ", [0.1431, 0.0606, 0.7141]),
    ]

    private static func followsSRGB(_ curve: (Double) -> Double) -> Bool {
        (0...64).allSatisfy { step in
            let x = Double(step) / 64
            let expected = x <= 0.04045 ? x / 12.92 : pow((x + 0.055) / 1.055, 2.4)
            return abs(curve(x) - expected) <= 0.004
        }
    }

    /// The tag table of a profile, bounds-checked.
    private struct Tags {
        let profile: Data
        let table: [String: (offset: Int, size: Int)]

        init?(_ profile: Data) {
            guard profile.count >= 132, let count = profile.uint32(at: 128), count <= 1000,
                profile.count >= 132 + Int(count) * 12
            else { return nil }
            var table: [String: (offset: Int, size: Int)] = [:]
            for index in 0..<Int(count) {
                let entry = 132 + index * 12
                guard let signature = profile.ascii(at: entry, count: 4), let offset = profile.uint32(at: entry + 4),
                    let size = profile.uint32(at: entry + 8), Int(offset) + Int(size) <= profile.count
                else { return nil }
                table[signature] = (Int(offset), Int(size))
            }
            self.profile = profile
            self.table = table
        }

        subscript(signature: String) -> (offset: Int, size: Int)? { table[signature] }

        /// An `XYZ ` tag's first value.
        func xyz(_ signature: String) -> [Double]? {
            guard let tag = table[signature], tag.size >= 20, profile.ascii(at: tag.offset, count: 4) == "XYZ " else {
                return nil
            }
            return (0..<3).compactMap { profile.s15Fixed16(at: tag.offset + 8 + $0 * 4) }
        }

        /// A `curv` or `para` tone curve as a function on 0...1.
        func curve(_ signature: String) -> ((Double) -> Double)? {
            guard let tag = table[signature], tag.size >= 12 else { return nil }
            switch profile.ascii(at: tag.offset, count: 4) {
            case "curv": return sampledCurve(tag)
            case "para": return parametricCurve(tag)
            default: return nil
            }
        }

        private func sampledCurve(_ tag: (offset: Int, size: Int)) -> ((Double) -> Double)? {
            guard let count = profile.uint32(at: tag.offset + 8).map(Int.init), count >= 2,
                tag.size >= 12 + count * 2
            else { return nil }  // 0 entries is linear, 1 a plain gamma: neither is sRGB
            let values = (0..<count).compactMap { profile.uint16(at: tag.offset + 12 + $0 * 2) }.map {
                Double($0) / 65535
            }
            return { x in
                let position = x * Double(count - 1)
                let low = min(Int(position), count - 2)
                let fraction = position - Double(low)
                return values[low] * (1 - fraction) + values[low + 1] * fraction
            }
        }

        private func parametricCurve(_ tag: (offset: Int, size: Int)) -> ((Double) -> Double)? {
            let parameterCounts = [1, 3, 4, 5, 7]
            guard let function = profile.uint16(at: tag.offset + 8).map(Int.init), function < parameterCounts.count,
                tag.size >= 12 + parameterCounts[function] * 4
            else { return nil }
            var p = (0..<parameterCounts[function]).compactMap { profile.s15Fixed16(at: tag.offset + 12 + $0 * 4) }
            p += Array(repeating: 0, count: 7 - p.count)
            let (g, a, b, c, d, e, f) = (p[0], p[1], p[2], p[3], p[4], p[5], p[6])
            return { x in
                switch function {
                case 0: return pow(x, g)
                case 1: return x >= -b / a ? pow(a * x + b, g) : 0
                case 2: return x >= -b / a ? pow(a * x + b, g) + c : c
                case 3: return x >= d ? pow(a * x + b, g) : c * x
                default: return x >= d ? pow(a * x + b, g) + e : c * x + f
                }
            }
        }
    }
}

extension Data {
    fileprivate func uint32(at offset: Int) -> UInt32? {
        guard offset >= 0, offset + 4 <= count else { return nil }
        return (0..<4).reduce(0) { $0 << 8 | UInt32(self[startIndex + offset + $1]) }
    }

    fileprivate func uint16(at offset: Int) -> UInt16? {
        guard offset >= 0, offset + 2 <= count else { return nil }
        return UInt16(self[startIndex + offset]) << 8 | UInt16(self[startIndex + offset + 1])
    }

    fileprivate func s15Fixed16(at offset: Int) -> Double? {
        uint32(at: offset).map { Double(Int32(bitPattern: $0)) / 65536 }
    }

    fileprivate func ascii(at offset: Int, count length: Int) -> String? {
        guard offset >= 0, offset + length <= count else { return nil }
        return String(bytes: self[(startIndex + offset)..<(startIndex + offset + length)], encoding: .ascii)
    }
}
