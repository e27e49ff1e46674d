import Foundation

/// A small 8-bit sRGB pixel grid: what the offline analysis model looks at.
public struct PixelGrid: Sendable, Equatable {
    /// Width in pixels.
    public var width: Int
    /// Height in pixels.
    public var height: Int
    /// Interleaved R, G, B bytes, row by row: `width * height * 3` of them.
    public var rgb: [UInt8]

    /// Creates a grid.
    /// - Precondition: `rgb.count == width * height * 3`.
    public init(width: Int, height: Int, rgb: [UInt8]) {
        precondition(rgb.count == width * height * 3, "a \(width)×\(height) grid needs \(width * height * 3) bytes")
        self.width = width
        self.height = height
        self.rgb = rgb
    }
}

/// Decodes an encoded image into a small ``PixelGrid``. The libvips one lives in `Imaging`.
public protocol PixelDecoder: Sendable {
    /// Decodes and shrinks `data` so that its long edge is at most `maxEdge`.
    /// - Throws: the decoder's error when the bytes are not a readable image.
    func decode(_ data: Data, maxEdge: Int) throws -> PixelGrid
}
