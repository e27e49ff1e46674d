import Foundation
import Imaging
import PipelineCore

/// The blocks of a request's messages, checked as the API checks them: roles, block types, and
/// each image's media type, base64, size and dimensions.
struct MessageContent {
    /// The decoded images, in order.
    var images: [(data: Data, width: Int, height: Int)] = []
    /// Characters of text blocks.
    var textCharacters = 0

    /// Reads and checks `messages`.
    /// - Throws: ``APIErrorResponse`` naming the first block the API would refuse.
    init(_ messages: [[String: Any]]) throws {
        for (index, message) in messages.enumerated() {
            guard ["user", "assistant"].contains(message["role"] as? String ?? "") else {
                throw APIErrorResponse.invalid("messages.\(index).role: must be user or assistant")
            }
            if let text = message["content"] as? String {
                textCharacters += text.count
                continue
            }
            guard let blocks = message["content"] as? [[String: Any]] else {
                throw APIErrorResponse.invalid("messages.\(index).content: must be a string or a list of blocks")
            }
            for (blockIndex, block) in blocks.enumerated() {
                let path = "messages.\(index).content.\(blockIndex)"
                switch block["type"] as? String {
                case "text": textCharacters += (block["text"] as? String)?.count ?? 0
                case "image": images.append(try image(block, path: path))
                default: throw APIErrorResponse.invalid("\(path).type: unsupported block type")
                }
            }
        }
    }

    private mutating func image(_ block: [String: Any], path: String) throws -> (data: Data, width: Int, height: Int) {
        guard let source = block["source"] as? [String: Any], source["type"] as? String == "base64" else {
            throw APIErrorResponse.invalid("\(path).source.type: the stand-in accepts base64 images")
        }
        let mediaType = source["media_type"] as? String ?? ""
        guard ClaudeAnalysisModel.mediaTypes.contains(mediaType) else {
            throw APIErrorResponse.invalid(
                "\(path).source.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'")
        }
        guard let text = source["data"] as? String, let data = Data(base64Encoded: text), !data.isEmpty else {
            throw APIErrorResponse.invalid("\(path).source.data: invalid base64 data")
        }
        guard data.count <= MessagesStandIn.maxImageBytes else {
            throw APIErrorResponse.invalid(
                "\(path).source.base64: image exceeds 5 MB maximum: \(data.count) bytes > 5242880 bytes")
        }
        let size: (width: Int, height: Int)
        do {
            size = try VipsImageProbe.size(of: data)
        } catch {
            throw APIErrorResponse.invalid("\(path).source: could not process image")
        }
        guard size.width <= MessagesStandIn.maxImageEdge, size.height <= MessagesStandIn.maxImageEdge else {
            throw APIErrorResponse.invalid(
                "\(path).source: image dimensions exceed max allowed size: \(MessagesStandIn.maxImageEdge) pixels")
        }
        guard ImageSniffer.mediaType(of: data) == mediaType else {
            throw APIErrorResponse.invalid("\(path).source: Image does not match the provided media type \(mediaType)")
        }
        return (data, size.width, size.height)
    }
}
