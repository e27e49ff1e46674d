// Fixed-arity wrappers around the libvips calls we use. Swift cannot call C variadic
// functions, so each wrapper spells out its option list and ends it with NULL.
#ifndef COLLECTIONS_CVIPS_SHIM_H
#define COLLECTIONS_CVIPS_SHIM_H

#include <vips/vips.h>

/// Starts libvips once per process and tunes it for one image per invocation: no operation
/// cache and untrusted loaders blocked. Worker threads stay at libvips' default, one per core
/// the process may run on (or VIPS_CONCURRENCY); cvips_one_thread limits the formats that need
/// it. Returns 0 on success.
static inline int cvips_start(const char *argv0) {
    if (VIPS_INIT(argv0)) {
        return -1;
    }
    vips_cache_set_max(0);
    vips_block_untrusted_set(TRUE);
    return 0;
}

/// A view of `in` that libvips computes with one worker thread, whatever the process-wide count.
/// With two or more, libvips 8.14 (with libpng) sometimes loses a PNG loader's error: a PNG whose
/// IDAT CRC is bad fails in the last strip, the tile cache warns "error in tile", the error message
/// is in the buffer, and yet the write returns success in about 1 run in 200-600 on two cores
/// (docs/THUMBNAILS.md). The threadpool sizes itself from VIPS_META_CONCURRENCY on the image it
/// computes, so this pins only the pipeline that reads such a file.
static inline int cvips_one_thread(VipsImage *in, VipsImage **out) {
    if (vips_copy(in, out, NULL)) {
        return -1;
    }
    vips_image_set_int(*out, VIPS_META_CONCURRENCY, 1);
    return 0;
}

/// The embedded ICC profile's bytes, or NULL (and a length of 0) when there is none.
static inline const void *cvips_icc(VipsImage *image, size_t *length) {
    const void *data = NULL;
    *length = 0;
    if (vips_image_get_typeof(image, VIPS_META_ICC_NAME) == 0 ||
        vips_image_get_blob(image, VIPS_META_ICC_NAME, &data, length)) {
        *length = 0;
        return NULL;
    }
    return data;
}

/// The name of the loader libvips picked for an image ("jpegload_buffer", ...), or NULL.
static inline const char *cvips_loader(VipsImage *image) {
    const char *loader = NULL;
    if (vips_image_get_typeof(image, VIPS_META_LOADER) == 0 || vips_image_get_string(image, VIPS_META_LOADER, &loader)) {
        return NULL;
    }
    return loader;
}

/// The EXIF orientation (1-8), or 1 when there is none.
static inline int cvips_orientation(VipsImage *image) {
    int orientation = 1;
    if (vips_image_get_typeof(image, VIPS_META_ORIENTATION) == 0 || vips_image_get_int(image, VIPS_META_ORIENTATION, &orientation)) {
        return 1;
    }
    return orientation;
}

/// The number of pages (frames) an image declares, 1 when unknown.
static inline int cvips_pages(VipsImage *image) {
    return vips_image_get_n_pages(image);
}

/// The pixel-count and byte-size header of an image, read without decoding it.
/// Returns NULL (and leaves an error in the vips error buffer) on failure.
static inline VipsImage *cvips_header_from_buffer(const void *buf, size_t len) {
    return vips_image_new_from_buffer(buf, len, "", NULL);
}

/// Shrink-on-load thumbnail: autorotated, never enlarged, failing on any decode error.
/// `width` bounds the long edge. With `convert_icc`, the embedded profile (Display P3, Adobe RGB,
/// CMYK) is imported and the pixels exported to sRGB; without it the pixels are taken as sRGB
/// and left alone: untagged images, and those whose profile is sRGB (lcms would spend more time
/// building that identity transform than shrinking the image).
static inline int cvips_thumbnail_buffer(void *buf, size_t len, VipsImage **out, int width, int convert_icc) {
    if (convert_icc) {
        return vips_thumbnail_buffer(buf, len, out, width,
            "height", width,
            "size", VIPS_SIZE_DOWN,
            "export_profile", "srgb",
            "option_string", "fail_on=error",
            NULL);
    }
    return vips_thumbnail_buffer(buf, len, out, width,
        "height", width,
        "size", VIPS_SIZE_DOWN,
        "option_string", "fail_on=error",
        NULL);
}

/// Like cvips_thumbnail_buffer for a JPEG, but shrunk on load by `shrink` (2, 4 or 8) in
/// libjpeg's scaled IDCT first. vips_thumbnail_buffer shrinks on load only by a factor that leaves
/// at least 2 for its own resize, so it decodes a 4 MP JPEG at half size for a 512 px thumbnail
/// and a 24 MP one in full for a 1568 px rendition; the caller picks the largest factor that keeps
/// the long edge at or above `width`, as Pillow's draft mode does.
static inline int cvips_thumbnail_jpeg_buffer(
    void *buf, size_t len, VipsImage **out, int width, int convert_icc, int shrink) {
    VipsImage *loaded = NULL;
    if (vips_jpegload_buffer(buf, len, &loaded,
            "shrink", shrink,
            "fail_on", VIPS_FAIL_ON_ERROR,
            "access", VIPS_ACCESS_SEQUENTIAL,
            NULL)) {
        return -1;
    }
    int result = convert_icc
        ? vips_thumbnail_image(loaded, out, width,
            "height", width,
            "size", VIPS_SIZE_DOWN,
            "export_profile", "srgb",
            NULL)
        : vips_thumbnail_image(loaded, out, width,
            "height", width,
            "size", VIPS_SIZE_DOWN,
            NULL);
    g_object_unref(loaded);
    return result;
}

/// Thumbnail of an already decoded image (the second rendition from one read).
static inline int cvips_thumbnail_image(VipsImage *in, VipsImage **out, int width) {
    return vips_thumbnail_image(in, out, width,
        "height", width,
        "size", VIPS_SIZE_DOWN,
        "no_rotate", TRUE,
        NULL);
}

/// Flattens alpha onto white; a no-op copy when there is no alpha.
static inline int cvips_flatten_white(VipsImage *in, VipsImage **out) {
    if (!vips_image_hasalpha(in)) {
        return vips_copy(in, out, NULL);
    }
    VipsArrayDouble *white = vips_array_double_newv(1, 255.0);
    int result = vips_flatten(in, out, "background", white, NULL);
    vips_area_unref(VIPS_AREA(white));
    return result;
}

/// Casts to 8-bit sRGB with three bands, whatever came in (grey, 16-bit, CMYK).
static inline int cvips_to_srgb8(VipsImage *in, VipsImage **out) {
    VipsImage *srgb = NULL;
    if (vips_colourspace(in, &srgb, VIPS_INTERPRETATION_sRGB, NULL)) {
        return -1;
    }
    int result = vips_cast(srgb, out, VIPS_FORMAT_UCHAR, NULL);
    g_object_unref(srgb);
    return result;
}

/// JPEG encode: progressive off, metadata stripped, optimised Huffman tables.
static inline int cvips_jpegsave(VipsImage *in, void **buf, size_t *len, int quality) {
    return vips_jpegsave_buffer(in, buf, len, "Q", quality, "strip", TRUE, "optimize_coding", TRUE, NULL);
}

/// WebP encode with metadata stripped.
static inline int cvips_webpsave(VipsImage *in, void **buf, size_t *len, int quality) {
    return vips_webpsave_buffer(in, buf, len, "Q", quality, "strip", TRUE, NULL);
}


#endif
