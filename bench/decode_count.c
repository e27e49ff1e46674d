/* Counts image decodes in a process, for bench/thumbnails.py's "one decode" check.
 *
 * Preloaded (LD_PRELOAD) into `collections-bench thumbnail`, it wraps the decoder calls libvips
 * makes and, at exit, prints to stderr one line of JSON: JPEG decodes started
 * (jpeg_start_decompress; reading a header does not start one), JPEG and PNG rows decoded, and
 * WebP decodes. Rows divided by the decoded height is how many times the pixels were decoded.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>

static unsigned long jpeg_starts, jpeg_rows, png_rows, webp_decodes;

#define NEXT(name) static void *next_##name; if (!next_##name) next_##name = dlsym(RTLD_NEXT, #name)

int jpeg_start_decompress(void *cinfo) {
    NEXT(jpeg_start_decompress);
    jpeg_starts++;
    return ((int (*)(void *))next_jpeg_start_decompress)(cinfo);
}

unsigned int jpeg_read_scanlines(void *cinfo, void *scanlines, unsigned int max_lines) {
    NEXT(jpeg_read_scanlines);
    unsigned int rows = ((unsigned int (*)(void *, void *, unsigned int))next_jpeg_read_scanlines)(
        cinfo, scanlines, max_lines);
    jpeg_rows += rows;
    return rows;
}

void png_read_row(void *png, void *row, void *display) {
    NEXT(png_read_row);
    png_rows++;
    ((void (*)(void *, void *, void *))next_png_read_row)(png, row, display);
}

int WebPDecode(const void *data, size_t size, void *config) {
    NEXT(WebPDecode);
    webp_decodes++;
    return ((int (*)(const void *, size_t, void *))next_WebPDecode)(data, size, config);
}

__attribute__((destructor)) static void report(void) {
    fprintf(stderr, "{\"jpeg_decodes\": %lu, \"jpeg_rows\": %lu, \"png_rows\": %lu, \"webp_decodes\": %lu}\n",
        jpeg_starts, jpeg_rows, png_rows, webp_decodes);
}
