import Foundation

/// An item as Analyzer records it, from the ImageProcessed event.
public struct ItemRecord: Sendable, Equatable {
    /// The event it came from.
    public var event: ImageProcessed

    /// Creates a record.
    public init(_ event: ImageProcessed) {
        self.event = event
    }
}

/// An analysis about to be stored with its item.
public struct AnalysisRecord: Sendable {
    /// The item analysed.
    public var item: ItemRecord
    /// The model id.
    public var model: String
    /// The prompt version.
    public var promptVersion: String
    /// What the model answered.
    public var output: AnalysisOutput

    /// The row id: the same item version, model and prompt version always give the same id.
    public var analysisID: UUID {
        ItemID.analysis(item: item.event.itemID, etag: item.event.etag, model: model, promptVersion: promptVersion)
    }

    /// Creates a record.
    public init(item: ItemRecord, model: String, promptVersion: String, output: AnalysisOutput) {
        self.item = item
        self.model = model
        self.promptVersion = promptVersion
        self.output = output
    }
}

/// An analysis as Embedder reads it back.
public struct StoredAnalysis: Sendable, Equatable {
    /// The row id.
    public var analysisID: UUID
    /// The item.
    public var itemID: UUID
    /// The analysis.
    public var analysis: Analysis
    /// Whether it describes the item's current version (false once a newer upload replaced it).
    public var isCurrent: Bool

    /// Creates one.
    public init(analysisID: UUID, itemID: UUID, analysis: Analysis, isCurrent: Bool = true) {
        self.analysisID = analysisID
        self.itemID = itemID
        self.analysis = analysis
        self.isCurrent = isCurrent
    }
}

/// An embedding about to be stored.
public struct EmbeddingRecord: Sendable, Equatable {
    /// The analysis embedded.
    public var analysisID: UUID
    /// Its item.
    public var itemID: UUID
    /// The embedding model.
    public var model: String
    /// The vector.
    public var vector: [Float]
    /// ``EmbeddingDocument/contentHash(text:model:dimensions:)`` of the embedded text.
    public var contentHash: String
    /// This text's share of the batch's tokens.
    public var totalTokens: Int

    /// The vector's dimension.
    public var dimensions: Int { vector.count }

    /// Creates a record.
    public init(analysisID: UUID, itemID: UUID, model: String, vector: [Float], contentHash: String, totalTokens: Int) {
        self.analysisID = analysisID
        self.itemID = itemID
        self.model = model
        self.vector = vector
        self.contentHash = contentHash
        self.totalTokens = totalTokens
    }
}

/// A refusal to record on an item: the stage, a stable code and the message a SQL user reads.
public struct ItemFailure: Sendable, Equatable {
    /// What the refusing stage knew about the upload.
    public var upload: ImageFailed
    /// The processed image's details, when the failure came after processing.
    public var processed: ImageProcessed?

    /// A failure ImageProcessor announced.
    public init(_ upload: ImageFailed) {
        self.upload = upload
        self.processed = nil
    }

    /// A failure of a later stage, for an image that was processed.
    public init(_ processed: ImageProcessed, stage: String, code: String, message: String) {
        self.upload = ImageFailed(
            itemID: processed.itemID, userID: processed.userID, bucket: processed.bucket,
            originalKey: processed.originalKey, etag: processed.etag, bytes: processed.bytes,
            versionID: processed.versionID, sequencer: processed.sequencer, stage: stage, errorCode: code,
            errorMessage: message)
        self.processed = processed
    }
}
