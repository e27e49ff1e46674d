import CExpat
import Foundation

/// The elements of an XML document in document order, each with its path from the root and the
/// text directly inside it, read with libexpat (not Foundation's XMLParser, which would bring
/// libxml2 and ICU into every function's archive). expat reads no external entities and bounds
/// entity expansion. What S3's errors, the query protocol's errors and CloudFormation's answers
/// are read with.
struct XMLElements {
    /// One element, reported when it ends.
    struct Element: Equatable {
        /// The names from the root to this element, this one last (namespaces ignored).
        var path: [String]
        /// The text directly inside it, children's text excluded.
        var text: String

        /// The element's name.
        var name: String { path.last ?? "" }
        /// The name of the element it is in; empty for the root.
        var parent: String { path.count > 1 ? path[path.count - 2] : "" }
    }

    /// The elements, in the order they end (a child before its parent).
    let elements: [Element]

    /// Parses a document; nil when it is not well-formed XML.
    init?(_ data: Data) {
        guard data.first(where: { !$0.isASCIIWhitespace }) == UInt8(ascii: "<"), data.count < Int32.max,
            let parser = XML_ParserCreate(nil)
        else { return nil }
        defer { XML_ParserFree(parser) }
        let collector = Collector()
        XML_SetUserData(parser, Unmanaged.passUnretained(collector).toOpaque())
        XML_SetElementHandler(parser, startElement, endElement)
        XML_SetCharacterDataHandler(parser, characters)
        let status = data.withUnsafeBytes { raw in
            XML_Parse(parser, raw.baseAddress?.assumingMemoryBound(to: XML_Char.self), Int32(raw.count), 1)
        }
        guard status == XML_STATUS_OK else { return nil }
        elements = collector.elements
    }
}

/// expat's callbacks write here.
private final class Collector {
    var elements: [XMLElements.Element] = []
    private var path: [String] = []
    private var texts: [[UInt8]] = []

    func start(_ name: String) {
        path.append(name)
        texts.append([])
    }

    func append(_ characters: UnsafeBufferPointer<UInt8>) {
        guard !texts.isEmpty else { return }
        texts[texts.count - 1].append(contentsOf: characters)
    }

    func end() {
        guard let text = texts.popLast() else { return }
        elements.append(.init(path: path, text: String(decoding: text, as: UTF8.self)))
        path.removeLast()
    }

    static func from(_ userData: UnsafeMutableRawPointer?) -> Collector {
        Unmanaged<Collector>.fromOpaque(userData!).takeUnretainedValue()
    }
}

private let startElement: XML_StartElementHandler = { userData, name, _ in
    Collector.from(userData).start(name.map { String(cString: $0) } ?? "")
}

private let endElement: XML_EndElementHandler = { userData, _ in
    Collector.from(userData).end()
}

private let characters: XML_CharacterDataHandler = { userData, characters, length in
    guard let characters, length > 0 else { return }
    characters.withMemoryRebound(to: UInt8.self, capacity: Int(length)) {
        Collector.from(userData).append(UnsafeBufferPointer(start: $0, count: Int(length)))
    }
}

extension UInt8 {
    fileprivate var isASCIIWhitespace: Bool { self == 0x20 || self == 0x0A || self == 0x0D || self == 0x09 }
}
