/// What the offline analysis measures in a ``PixelGrid``.
public struct PixelStatistics: Sendable, Equatable, Codable {
    /// Share of pixels per colour name, 0...1, largest first.
    public var colorShares: [ColorShare]
    /// Mean relative luminance, 0...1.
    public var brightness: Double
    /// Mean HSV saturation, 0...1.
    public var saturation: Double

    /// One colour and the share of pixels it names.
    public struct ColorShare: Sendable, Equatable, Codable {
        /// The colour.
        public var color: ColorName
        /// Its share of the pixels, 0...1.
        public var share: Double
    }

    /// Measures a grid.
    public init(_ grid: PixelGrid) {
        var counts: [ColorName: Int] = [:]
        var luminance = 0.0
        var saturation = 0.0
        let pixels = grid.width * grid.height
        for index in stride(from: 0, to: grid.rgb.count, by: 3) {
            let r = grid.rgb[index]
            let g = grid.rgb[index + 1]
            let b = grid.rgb[index + 2]
            counts[ColorName(red: r, green: g, blue: b), default: 0] += 1
            luminance += (0.2126 * Double(r) + 0.7152 * Double(g) + 0.0722 * Double(b)) / 255
            saturation += ColorName.hsv(r, g, b).1
        }
        let total = Double(max(pixels, 1))
        colorShares = counts.map { ColorShare(color: $0.key, share: Double($0.value) / total) }
            .sorted { ($0.share, $1.color.rawValue) > ($1.share, $0.color.rawValue) }
        brightness = luminance / total
        self.saturation = saturation / total
    }

    /// The colours that make up at least `threshold` of the image (at most four; at least one).
    public func dominantColors(threshold: Double = 0.08) -> [ColorName] {
        let dominant = colorShares.filter { $0.share >= threshold }.prefix(4).map(\.color)
        return dominant.isEmpty ? colorShares.prefix(1).map(\.color) : Array(dominant)
    }

    /// The share of one colour, 0 when absent.
    public func share(of color: ColorName) -> Double {
        colorShares.first { $0.color == color }?.share ?? 0
    }
}
