import Foundation
import Imaging
import Testing

/// Profiles built here byte by byte: the ones an sRGB image carries must skip colour management,
/// every other RGB profile must not.
@Suite struct ICCProfileTests {
    private static let srgbColorants = [
        [0.4361, 0.2225, 0.0139], [0.3851, 0.7169, 0.0971], [0.1431, 0.0606, 0.7141],
    ]
    private static let adobeColorants = [
        [0.6097, 0.3111, 0.0195], [0.2053, 0.6257, 0.0609], [0.1492, 0.0632, 0.7446],
    ]

    private static func srgb(_ x: Double) -> Double {
        x <= 0.04045 ? x / 12.92 : pow((x + 0.055) / 1.055, 2.4)
    }

    /// sRGB's tone curve as a parametric (type 3) curve, as v4 profiles store it.
    private static let parametricSRGB: [UInt8] = {
        let parameters = [2.4, 1 / 1.055, 0.055 / 1.055, 1 / 12.92, 0.04045]
        return ascii("para") + [0, 0, 0, 0] + [0, 3, 0, 0] + parameters.flatMap(fixed)
    }()

    /// A sampled (`curv`) tone curve of `count` entries of `f`.
    private static func sampled(_ count: Int, _ f: (Double) -> Double) -> [UInt8] {
        ascii("curv") + [0, 0, 0, 0] + uint32(count)
            + (0..<count).flatMap { index in
                let value = UInt16((f(Double(index) / Double(count - 1)) * 65535).rounded())
                return [UInt8(value >> 8), UInt8(value & 0xFF)]
            }
    }

    /// A gamma-only curve (one u8Fixed8 entry).
    private static let gamma22: [UInt8] = ascii("curv") + [0, 0, 0, 0] + uint32(1) + [2, 51]

    private static func ascii(_ text: String) -> [UInt8] { Array(text.utf8) }
    private static func uint32(_ value: Int) -> [UInt8] { (0..<4).map { UInt8((value >> (24 - $0 * 8)) & 0xFF) } }
    private static func fixed(_ value: Double) -> [UInt8] { uint32(Int((value * 65536).rounded()) & 0xFFFF_FFFF) }

    /// An RGB → XYZ profile with these colorants and one tone curve shared by the three channels.
    private static func profile(colorants: [[Double]], curve: [UInt8], extraTags: [String] = []) -> Data {
        var tags: [(String, [UInt8])] = zip(["rXYZ", "gXYZ", "bXYZ"], colorants).map {
            ($0, ascii("XYZ ") + [0, 0, 0, 0] + $1.flatMap(fixed))
        }
        tags += ["rTRC", "gTRC", "bTRC"].map { ($0, curve) }
        tags += extraTags.map { ($0, ascii("mft2") + [UInt8](repeating: 0, count: 8)) }
        var header = [UInt8](repeating: 0, count: 128)
        header.replaceSubrange(12..<24, with: ascii("mntrRGB XYZ "))
        var table = uint32(tags.count)
        var body: [UInt8] = []
        let start = 128 + 4 + tags.count * 12
        for (signature, bytes) in tags {
            table += ascii(signature) + uint32(start + body.count) + uint32(bytes.count)
            body += bytes + [UInt8](repeating: 0, count: (4 - bytes.count % 4) % 4)
        }
        return Data(header + table + body)
    }

    @Test func acceptsSRGBWithAParametricOrASampledCurve() {
        #expect(ICCProfile.isSRGB(Self.profile(colorants: Self.srgbColorants, curve: Self.parametricSRGB)))
        #expect(ICCProfile.isSRGB(Self.profile(colorants: Self.srgbColorants, curve: Self.sampled(1024, Self.srgb))))
    }

    @Test func refusesOtherPrimariesCurvesAndLookupTables() {
        #expect(!ICCProfile.isSRGB(Self.profile(colorants: Self.adobeColorants, curve: Self.parametricSRGB)))
        #expect(!ICCProfile.isSRGB(Self.profile(colorants: Self.srgbColorants, curve: Self.gamma22)))
        #expect(!ICCProfile.isSRGB(Self.profile(colorants: Self.srgbColorants, curve: Self.sampled(256) { $0 })))
        #expect(
            !ICCProfile.isSRGB(
                Self.profile(colorants: Self.srgbColorants, curve: Self.parametricSRGB, extraTags: ["A2B0"])))
    }

    @Test func refusesTruncatedOrForeignBytes() {
        let whole = Self.profile(colorants: Self.srgbColorants, curve: Self.parametricSRGB)
        #expect(!ICCProfile.isSRGB(whole.prefix(whole.count - 10)))
        #expect(!ICCProfile.isSRGB(whole.prefix(100)))
        #expect(!ICCProfile.isSRGB(Data("not a profile".utf8)))
    }
}
