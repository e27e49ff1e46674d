/// A GNU C library symbol version such as `GLIBC_2.35`, ordered numerically.
public struct GlibcVersion: Comparable, Hashable, Sendable, CustomStringConvertible {
    /// The numbers after `GLIBC_`: `[2, 35]`.
    public let components: [Int]

    /// Parses `GLIBC_2.35`; `nil` for anything else (`GLIBC_PRIVATE`, `GLIBC_ABI_DT_RELR`).
    public init?(symbolVersion: String) {
        guard symbolVersion.hasPrefix("GLIBC_") else { return nil }
        let parts = symbolVersion.dropFirst("GLIBC_".count).split(separator: ".", omittingEmptySubsequences: false)
        let numbers = parts.compactMap { Int($0) }
        guard !numbers.isEmpty, numbers.count == parts.count else { return nil }
        components = numbers
    }

    /// `2.35`.
    public var description: String { components.map(String.init).joined(separator: ".") }

    public static func < (lhs: GlibcVersion, rhs: GlibcVersion) -> Bool {
        for (left, right) in zip(lhs.components, rhs.components) where left != right { return left < right }
        return lhs.components.count < rhs.components.count
    }
}
