/// Why an image could not be rendered.
public struct ImagingError: Error, CustomStringConvertible, Equatable {
    /// What kind of failure it is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate let name: String
        public var description: String { name }

        /// The input has no bytes.
        public static let empty = Code(name: "empty")
        /// The input is larger than `maxInputBytes`.
        public static let tooManyBytes = Code(name: "tooManyBytes")
        /// The input declares more pixels than `maxInputPixels`.
        public static let tooManyPixels = Code(name: "tooManyPixels")
        /// No permitted loader recognises the bytes.
        public static let unsupportedFormat = Code(name: "unsupportedFormat")
        /// The bytes are recognised but corrupt or truncated.
        public static let corrupt = Code(name: "corrupt")
        /// Encoding the output failed or could not meet its limits.
        public static let encodeFailed = Code(name: "encodeFailed")
        /// libvips could not start.
        public static let startupFailed = Code(name: "startupFailed")
    }

    /// What kind of failure it is.
    public let code: Code
    /// What happened, including the limit or libvips' own words.
    public let message: String

    /// Creates an imaging error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
