import Foundation

/// An event as the Analyzer receives it, decoded in one pass: routing fields first (so that an
/// event it does not take is named with everything it does), then the detail of the type that came.
public enum AnalyzerEvent: Decodable, Sendable, Equatable {
    /// An image to analyse; `reanalyze` (`"reanalyze": true` in the detail) forces a new model call.
    case processed(ImageProcessed, reanalyze: Bool)
    /// An upload another stage refused for good, to record on its item.
    case failed(ImageFailed)

    /// The detail types accepted.
    public static let accepted: [any PipelineEventDetail.Type] = [ImageProcessed.self, ImageFailed.self]

    enum CodingKeys: String, CodingKey {
        case detail
    }

    private struct Flags: Decodable {
        var reanalyze: Bool?
    }

    public init(from decoder: any Decoder) throws {
        let envelope = try EventBridgeEnvelope.route(decoder, function: "Analyzer", accepting: Self.accepted)
        let fields = try decoder.container(keyedBy: CodingKeys.self)
        if envelope.detailType == ImageFailed.detailType {
            self = .failed(try fields.decode(ImageFailed.self, forKey: .detail))
        } else {
            let detail = try fields.decode(ImageProcessed.self, forKey: .detail)
            let flags = try fields.decode(Flags.self, forKey: .detail)
            self = .processed(detail, reanalyze: flags.reanalyze ?? false)
        }
    }
}
