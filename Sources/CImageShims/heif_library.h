/* libheif, opened with dlopen when the first HEIC or AVIF file is read rather than linked: libheif
 * brings its codecs (libde265, x265, dav1d, aom), and loading them and running their static
 * set-up cost every start of ikmeta more than reading a small JPEG does (README "Performance").
 * The functions are called through a table whose pointer types come from <libheif/heif.h>. */

#ifndef CIMAGESHIMS_HEIF_LIBRARY_H
#define CIMAGESHIMS_HEIF_LIBRARY_H

#include <libheif/heif.h>

/* Every libheif function CImageShims calls. */
#define CIMAGESHIMS_HEIF_FUNCTIONS(X)                                                                       \
    X(heif_init) X(heif_get_version) X(heif_context_alloc) X(heif_context_free)                             \
    X(heif_context_set_maximum_image_size_limit) X(heif_context_set_max_decoding_threads)                   \
    X(heif_context_read_from_reader) X(heif_context_get_number_of_top_level_images)                         \
    X(heif_context_get_primary_image_handle) X(heif_image_handle_get_width) X(heif_image_handle_get_height) \
    X(heif_image_handle_has_alpha_channel) X(heif_image_handle_get_luma_bits_per_pixel)                     \
    X(heif_image_handle_get_list_of_metadata_block_IDs) X(heif_image_handle_get_metadata_size)              \
    X(heif_image_handle_get_metadata) X(heif_image_handle_get_color_profile_type)                           \
    X(heif_image_handle_get_raw_color_profile_size) X(heif_image_handle_get_raw_color_profile)              \
    X(heif_image_handle_release) X(heif_decoding_options_alloc) X(heif_decoding_options_free)               \
    X(heif_decode_image) X(heif_image_get_width) X(heif_image_get_height)                                   \
    X(heif_image_get_plane_readonly) X(heif_image_release)

struct CImageShims_HEIFLibrary {
#define CIMAGESHIMS_HEIF_POINTER(name) __typeof__(name) *name;
    CIMAGESHIMS_HEIF_FUNCTIONS(CIMAGESHIMS_HEIF_POINTER)
#undef CIMAGESHIMS_HEIF_POINTER
};

/* The library with heif_init() done, loaded on the first call (thread-safe); NULL when it cannot
 * be loaded, and then CImageShims_HEIFUnavailable() says why. */
const struct CImageShims_HEIFLibrary *CImageShims_heifLibrary(void);

#endif
