/// Names for colours as people say them, and the rule that puts a pixel in one.
public enum ColorName: String, CaseIterable, Sendable, Codable {
    case red, orange, yellow, green, blue, purple, pink, brown, black, white, gray

    /// The name of an 8-bit sRGB colour, by hue, saturation and value.
    public init(red r: UInt8, green g: UInt8, blue b: UInt8) {
        let (hue, saturation, value) = Self.hsv(r, g, b)
        switch (hue, saturation, value) {
        case (_, _, ..<0.18): self = .black
        case (_, ..<0.12, 0.82...), (_, ..<0.06, 0.7...): self = .white
        case (_, ..<0.16, _): self = value < 0.3 ? .black : .gray
        case (15..<50, _, ..<0.55), (0..<15, 0.25...0.75, ..<0.45), (345..., 0.25...0.75, ..<0.45): self = .brown
        case (15..<42, _, _): self = .orange
        case (42..<70, _, _): self = .yellow
        case (70..<165, _, _): self = .green
        case (165..<255, _, _): self = .blue
        case (255..<290, _, _): self = .purple
        case (290..<340, _, _): self = .pink
        default: self = saturation < 0.45 && value > 0.7 ? .pink : .red
        }
    }

    /// Hue in degrees (0..<360), saturation and value in 0...1.
    static func hsv(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> (Double, Double, Double) {
        let red = Double(r) / 255
        let green = Double(g) / 255
        let blue = Double(b) / 255
        let high = max(red, green, blue)
        let low = min(red, green, blue)
        let chroma = high - low
        let saturation = high == 0 ? 0 : chroma / high
        guard chroma > 0 else { return (0, saturation, high) }
        var hue: Double
        switch high {
        case red: hue = (green - blue) / chroma
        case green: hue = (blue - red) / chroma + 2
        default: hue = (red - green) / chroma + 4
        }
        hue *= 60
        if hue < 0 { hue += 360 }
        return (hue, saturation, high)
    }
}
