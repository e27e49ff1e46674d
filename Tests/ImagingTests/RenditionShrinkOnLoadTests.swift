import Foundation
import Imaging
import PipelineCore
import TestSupport
import Testing

/// For the rendition and the thumbnail, a JPEG is decoded shrunk by libjpeg's scaled IDCT (by up
/// to 8, keeping the long edge at or above the target's) before libvips resizes it; libvips' own
/// thumbnail would decode it at up to twice that size. These check that the shortcut makes what
/// libvips' own thumbnail makes, with the same rotation, colour handling and refusals.
@Suite struct RenditionShrinkOnLoadTests {
    /// Options whose rendition is small enough for the fixtures to be shrunk on load by 2 or 4.
    private var smallRendition: ImagingOptions {
        var options = ImagingOptions()
        options.renditionSize = 150
        options.thumbnailSize = 100
        return options
    }

    /// The mean difference per channel between `image` and libvips' own `vips_thumbnail_buffer` of
    /// `original` (what VipsPixelDecoder runs, without our shortcut), both as 32-pixel grids.
    private func differenceFromLibvips(_ image: EncodedImage, original: Data) throws -> Double {
        let decoder = VipsPixelDecoder()
        let (x, y) = (try decoder.decode(image.data, maxEdge: 32), try decoder.decode(original, maxEdge: 32))
        #expect((x.width, x.height) == (y.width, y.height))
        let total = zip(x.rgb, y.rgb).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }
        return Double(total) / Double(max(x.rgb.count, 1))
    }

    @Test(arguments: ["upright-landscape.jpg", "cmyk.jpg", "grey.jpg", "exif-rotate-6.jpg"])
    func matchesLibvipsOwnThumbnail(fixture: String) throws {
        let data = try TestEnvironment.data("fixtures/images/\(fixture)")
        let renderer = VipsImageRenderer(options: smallRendition)
        let (rendition, thumbnail) = (try renderer.render(data).rendition, try renderer.thumbnail(data))
        #expect(max(rendition.width, rendition.height) == 150)
        #expect(max(thumbnail.width, thumbnail.height) == 100)
        #expect(try differenceFromLibvips(rendition, original: data) < 3)
        #expect(try differenceFromLibvips(thumbnail, original: data) < 3)
    }

    @Test func rotatesByEXIFSoTheRenditionIsUpright() throws {
        let result = try VipsImageRenderer(options: smallRendition).render(
            TestEnvironment.data("fixtures/images/exif-rotate-6.jpg"))
        #expect((result.rendition.width, result.rendition.height) == (150, 100))
        let grid = try VipsPixelDecoder().decode(result.rendition.data, maxEdge: 64)
        let top = (2 * grid.width + grid.width / 2) * 3
        let bottom = ((grid.height - 3) * grid.width + grid.width / 2) * 3
        #expect(ColorName(red: grid.rgb[top], green: grid.rgb[top + 1], blue: grid.rgb[top + 2]) == .red)
        #expect(ColorName(red: grid.rgb[bottom], green: grid.rgb[bottom + 1], blue: grid.rgb[bottom + 2]) == .blue)
    }

    @Test func refusesATruncatedJPEG() throws {
        let error = #expect(throws: ImagingError.self) {
            try VipsImageRenderer(options: smallRendition).render(TestEnvironment.data("fixtures/images/truncated.jpg"))
        }
        #expect(error?.code == .corrupt)
    }

    /// Large real photos at the default sizes, including one with an embedded ICC profile.
    @Test(
        .enabled(if: TestEnvironment.photosEnabled, "needs the real photos (scripts/fetch-photos)"),
        arguments: ["painting-colors.jpg", "kleiber.jpg", "sunset.jpg"])
    func matchesLibvipsOnLargePhotos(photo: String) throws {
        guard let file = try TestEnvironment.photoFiles().first(where: { $0.lastPathComponent == photo }) else {
            Issue.record("\(photo) is not among the photos")
            return
        }
        let data = try Data(contentsOf: file)
        let renderer = VipsImageRenderer()
        let rendition = try differenceFromLibvips(renderer.render(data).rendition, original: data)
        let thumbnail = try differenceFromLibvips(renderer.thumbnail(data), original: data)
        #expect(rendition < 2, "rendition: \(rendition)")
        #expect(thumbnail < 3, "thumbnail: \(thumbnail)")
    }
}
