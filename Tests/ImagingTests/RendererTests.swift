import Foundation
import Imaging
import PipelineCore
import TestSupport
import Testing

@Suite struct RendererTests {
    let renderer = VipsImageRenderer()

    private func render(_ fixture: String, options: ImagingOptions = ImagingOptions()) throws -> RenderedImages {
        try VipsImageRenderer(options: options).render(TestEnvironment.data("fixtures/images/\(fixture)"))
    }

    /// The pixels of an encoded image, shrunk to at most `edge` pixels.
    private func pixels(_ image: EncodedImage, edge: Int = 64) throws -> PixelGrid {
        try VipsPixelDecoder().decode(image.data, maxEdge: edge)
    }

    private func color(_ grid: PixelGrid, x: Int, y: Int) -> ColorName {
        let index = (y * grid.width + x) * 3
        return ColorName(red: grid.rgb[index], green: grid.rgb[index + 1], blue: grid.rgb[index + 2])
    }

    @Test func makesAThumbnailAndARenditionFromOneRead() throws {
        let result = try render("upright-landscape.jpg")
        #expect(
            result.metadata
                == ImageMetadata(
                    format: "jpeg", contentType: "image/jpeg", width: 600, height: 400, orientation: 1,
                    bytes: result.metadata.bytes))
        #expect((result.thumbnail.width, result.thumbnail.height) == (512, 341))
        #expect((result.rendition.width, result.rendition.height) == (600, 400))
        #expect(result.thumbnail.data.starts(with: [0xFF, 0xD8, 0xFF]))
        #expect(result.rendition.contentType == "image/jpeg")
    }

    @Test(arguments: ["exif-rotate-6.jpg", "exif-rotate-8.jpg"])
    func rotatesByEXIFSoTheImageIsUpright(fixture: String) throws {
        let result = try render(fixture)
        #expect(result.metadata.orientation == (fixture.contains("6") ? 6 : 8))
        #expect((result.metadata.width, result.metadata.height) == (600, 400))
        #expect((result.thumbnail.width, result.thumbnail.height) == (512, 341))
        let grid = try pixels(result.thumbnail)
        #expect(color(grid, x: grid.width / 2, y: 2) == .red)
        #expect(color(grid, x: grid.width / 2, y: grid.height - 3) == .blue)
    }

    @Test func neverEnlarges() throws {
        let result = try render("small.png")
        #expect((result.thumbnail.width, result.thumbnail.height) == (100, 80))
        #expect((result.rendition.width, result.rendition.height) == (100, 80))
    }

    @Test func writesWebPThumbnailsWhenAsked() throws {
        var options = ImagingOptions()
        options.thumbnailFormat = .webp
        options.thumbnailSize = 128
        let result = try render("red.jpg", options: options)
        #expect(result.thumbnail.contentType == "image/webp")
        #expect(result.thumbnail.fileExtension == "webp")
        #expect(result.thumbnail.data.prefix(4) == Data("RIFF".utf8))
        #expect(max(result.thumbnail.width, result.thumbnail.height) == 128)
        #expect(result.rendition.contentType == "image/jpeg")
    }

    @Test(arguments: [
        ("grey.jpg", "jpeg"), ("cmyk.jpg", "jpeg"), ("deep16.png", "png"), ("alpha.png", "png"),
        ("animated.gif", "gif"), ("photo.webp", "webp"),
    ])
    func acceptsOddButValidImages(fixture: String, format: String) throws {
        let result = try render(fixture)
        #expect(result.metadata.format == format)
        let grid = try pixels(result.thumbnail, edge: 8)
        #expect(grid.rgb.count == grid.width * grid.height * 3)
    }

    @Test func flattensTransparencyOntoWhiteAndTakesTheFirstFrame() throws {
        let alpha = try pixels(try render("alpha.png").thumbnail)
        let colors = Set(
            (0..<alpha.height).map { color(alpha, x: 1, y: $0) }
                + (0..<alpha.height).map { color(alpha, x: alpha.width - 2, y: $0) })
        #expect(colors.contains(.white))
        #expect(!colors.contains(.black))
        let gif = PixelStatistics(try pixels(try render("animated.gif").thumbnail))
        #expect(gif.dominantColors().first == .red)
    }

    @Test(arguments: [
        ("empty.jpg", ImagingError.Code.empty, "empty"),
        ("text.jpg", .unsupportedFormat, "not an image format"),
        ("truncated.jpg", .corrupt, "cannot decode the jpeg image"),
        ("bad-crc.png", .corrupt, "cannot decode the png image"),
        ("external.svg", .unsupportedFormat, "SVG files are not accepted"),
        ("doc.pdf", .unsupportedFormat, "PDF files are not accepted"),
        (
            "bomb.png", .tooManyPixels,
            "30000×30000 = 900000000 pixels, over the limit of 100000000 pixels (maxInputPixels)"
        ),
    ])
    func refusesBadInputWithASpecificError(fixture: String, code: ImagingError.Code, message: String) throws {
        let error = #expect(throws: ImagingError.self) { try render(fixture) }
        #expect(error?.code == code)
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
    }

    /// libvips 8.14 with several worker threads lets about 1 in 60 to 600 decodes of this PNG
    /// succeed (its error is lost between threads): a refused upload's retry then made a thumbnail.
    /// The renderer runs at libvips' default threads, one per core, and decodes PNG on one; a
    /// truncated JPEG, decoded on all of them, must fail every time too.
    @Test func aCorruptPNGFailsEveryTime() throws {
        let threads = try VipsConcurrency.current()
        #expect(ProcessInfo.processInfo.activeProcessorCount == 1 || threads > 1, "libvips runs \(threads) thread(s)")
        let renderer = VipsImageRenderer()
        let corrupt = try TestEnvironment.data("fixtures/images/bad-crc.png")
        let truncated = try TestEnvironment.data("fixtures/images/truncated.jpg")
        let good = try TestEnvironment.data("fixtures/images/red.jpg")
        var decoded = (png: 0, jpeg: 0)
        for attempt in 0..<600 {
            if attempt % 3 == 0 { _ = try renderer.render(good) }
            if (try? renderer.render(corrupt)) != nil { decoded.png += 1 }
            if (try? renderer.thumbnail(truncated)) != nil { decoded.jpeg += 1 }
        }
        #expect(decoded.png == 0, "\(decoded.png) of 600 decodes of a corrupt PNG succeeded on \(threads) threads")
        #expect(decoded.jpeg == 0, "\(decoded.jpeg) of 600 decodes of a truncated JPEG succeeded on \(threads) threads")
    }

    @Test func enforcesTheByteLimitBeforeDecoding() throws {
        var options = ImagingOptions()
        options.maxInputBytes = 1000
        let error = #expect(throws: ImagingError.self) { try render("red.jpg", options: options) }
        #expect(error?.code == .tooManyBytes)
        #expect(error?.message.contains("over the limit of 1000 bytes (maxInputBytes)") == true)
    }

    @Test func enforcesAConfiguredPixelLimit() throws {
        var options = ImagingOptions()
        options.maxInputPixels = 600 * 400 - 1
        let error = #expect(throws: ImagingError.self) { try render("upright-landscape.jpg", options: options) }
        #expect(error?.code == .tooManyPixels)
    }

    @Test(.enabled(if: TestEnvironment.photosEnabled, "needs the real photos (scripts/fetch-photos)"))
    func thumbnailsRealPhotosToTheirSizes() throws {
        let files = try TestEnvironment.photoFiles()
        #expect(files.count >= 10)
        for file in files {
            let result = try renderer.render(Data(contentsOf: file))
            let meta = result.metadata
            let long = max(meta.width, meta.height)
            #expect(max(result.thumbnail.width, result.thumbnail.height) == min(512, long), "\(file.lastPathComponent)")
            // The rendition's long edge: at most 1568 px and at most 1,568 visual tokens (ImagingOptions).
            let edge = ImagingOptions().renditionEdge(width: meta.width, height: meta.height)
            #expect(max(result.rendition.width, result.rendition.height) == edge, "\(file.lastPathComponent)")
            #expect(
                TokenRules.highResolution.imageTokens(width: result.rendition.width, height: result.rendition.height)
                    <= 1568, "\(file.lastPathComponent)")
            #expect(result.rendition.data.count <= 5 * 1024 * 1024)
            let ratio = Double(meta.width) / Double(meta.height)
            let thumbnailRatio = Double(result.thumbnail.width) / Double(result.thumbnail.height)
            #expect(
                abs(ratio - thumbnailRatio) < 0.02, "\(file.lastPathComponent): aspect \(ratio) vs \(thumbnailRatio)")
        }
    }
}
