/* libheif calls for HEIC/AVIF: every libheif error comes back as a `struct heif_error`, which is
 * turned into a status code and a message here; nothing else of libheif is seen by Swift.
 * The fields follow libvips 8.14's heifload (README, "Formats"). libheif itself is opened on first
 * use (heif_library.h). */

#include "CImageShims.h"

#include <stdlib.h>
#include <string.h>
#include "heif_library.h"

/* libvips reads at most this many metadata blocks of the primary image. */
#define CIMAGESHIMS_HEIF_METADATA_BLOCKS 16

struct CImageShims_HEIF {
    const struct CImageShims_HEIFLibrary *lib;
    int status;
    char message[256];
    CImageShims_Input input;
    int64_t length;
    int64_t position;
    struct heif_context *context;
    struct heif_image_handle *handle;
    struct heif_image *image;
    int hasAlpha;
    int bitsPerPixel;
    int width, height;
    int nextRow;
    uint8_t *profile;
    size_t profileLength;
    heif_item_id exifID;
    size_t exifLength;
};

static void CImageShims_heifFail(CImageShims_HEIF *h, int status, const char *text) {
    if (h->status != CImageShims_OK)
        return;
    h->status = status;
    strncpy(h->message, text ? text : "libheif error", sizeof h->message - 1);
}

/* Records a libheif error; returns 1 when there was one. */
static int CImageShims_heifCheck(CImageShims_HEIF *h, struct heif_error error) {
    if (error.code == heif_error_Ok)
        return 0;
    CImageShims_heifFail(h, error.code == heif_error_Memory_allocation_error ? CImageShims_NO_MEMORY : CImageShims_ERROR,
                         error.message);
    return 1;
}

static int64_t CImageShims_heifPosition(void *userdata) { return ((CImageShims_HEIF *) userdata)->position; }

static int CImageShims_heifRead(void *out, size_t size, void *userdata) {
    CImageShims_HEIF *h = userdata;
    if (h->position < 0 || (int64_t) size > h->length - h->position)
        return 1;
    size_t done = 0;
    while (done < size) {
        const uint8_t *bytes;
        size_t got = CImageShims_InputAt(&h->input, (uint64_t) h->position + done, (uint8_t *) out + done, size - done,
                                         &bytes);
        if (got == 0)
            return 1;
        if (got > size - done)
            got = size - done;
        if (bytes != (uint8_t *) out + done)
            memcpy((uint8_t *) out + done, bytes, got);
        done += got;
    }
    h->position += (int64_t) size;
    return 0;
}

static int CImageShims_heifSeek(int64_t position, void *userdata) {
    CImageShims_HEIF *h = userdata;
    if (position < 0 || position > h->length)
        return 1;
    h->position = position;
    return 0;
}

static enum heif_reader_grow_status CImageShims_heifWait(int64_t target, void *userdata) {
    CImageShims_HEIF *h = userdata;
    return target <= h->length ? heif_reader_grow_status_size_reached : heif_reader_grow_status_size_beyond_eof;
}

static const struct heif_reader CImageShims_heifReader = {
    .reader_api_version = 1,
    .get_position = CImageShims_heifPosition,
    .read = CImageShims_heifRead,
    .seek = CImageShims_heifSeek,
    .wait_for_file_size = CImageShims_heifWait,
};

CImageShims_HEIF *CImageShims_HEIFOpen(const CImageShims_Input *input, uint64_t length) {
    CImageShims_HEIF *h = calloc(1, sizeof(CImageShims_HEIF));
    if (!h)
        return NULL;
    h->lib = CImageShims_heifLibrary();
    if (!h->lib) {
        CImageShims_heifFail(h, CImageShims_ERROR, CImageShims_HEIFUnavailable());
        return h;
    }
    h->input = *input;
    h->length = length > INT64_MAX ? INT64_MAX : (int64_t) length;
    h->context = h->lib->heif_context_alloc();
    if (!h->context)
        CImageShims_heifFail(h, CImageShims_NO_MEMORY, "cannot create a libheif context");
    return h;
}

/* The first Exif block and the ICC profile (prof or rICC; nclx is not a profile for libvips). */
static int CImageShims_heifMetadata(CImageShims_HEIF *h, size_t maxMetadataBytes) {
    heif_item_id ids[CIMAGESHIMS_HEIF_METADATA_BLOCKS];
    int n = h->lib->heif_image_handle_get_list_of_metadata_block_IDs(h->handle, "Exif", ids, CIMAGESHIMS_HEIF_METADATA_BLOCKS);
    for (int i = 0; i < n; i++) {
        size_t size = h->lib->heif_image_handle_get_metadata_size(h->handle, ids[i]);
        if (size == 0)
            continue;
        h->exifID = ids[i];
        h->exifLength = size;
        break;
    }
    enum heif_color_profile_type type = h->lib->heif_image_handle_get_color_profile_type(h->handle);
    if (type != heif_color_profile_type_prof && type != heif_color_profile_type_rICC)
        return CImageShims_OK;
    size_t size = h->lib->heif_image_handle_get_raw_color_profile_size(h->handle);
    if (size == 0)
        return CImageShims_OK;
    if (size > maxMetadataBytes) {
        CImageShims_heifFail(h, CImageShims_ERROR, "the colour profile is larger than the chunk size limit");
        return h->status;
    }
    h->profile = malloc(size);
    if (!h->profile) {
        CImageShims_heifFail(h, CImageShims_NO_MEMORY, "out of memory for the colour profile");
        return h->status;
    }
    if (CImageShims_heifCheck(h, h->lib->heif_image_handle_get_raw_color_profile(h->handle, h->profile)))
        return h->status;
    h->profileLength = size;
    return CImageShims_OK;
}

int CImageShims_HEIFStart(CImageShims_HEIF *h, int maxSide, int maxImages, size_t maxMetadataBytes,
                          CImageShims_HEIFInfo *info) {
    if (h->status != CImageShims_OK || h->handle)
        return CImageShims_ERROR;
    h->lib->heif_context_set_maximum_image_size_limit(h->context, maxSide);
    /* Grid tiles are decoded one after the other, on this thread. */
    h->lib->heif_context_set_max_decoding_threads(h->context, 0);
    if (CImageShims_heifCheck(h, h->lib->heif_context_read_from_reader(h->context, &CImageShims_heifReader, h, NULL)))
        return h->status;
    int images = h->lib->heif_context_get_number_of_top_level_images(h->context);
    if (images < 1 || images > maxImages) {
        CImageShims_heifFail(h, CImageShims_ERROR, images < 1 ? "no image in the file" : "too many images in the file");
        return h->status;
    }
    if (CImageShims_heifCheck(h, h->lib->heif_context_get_primary_image_handle(h->context, &h->handle)))
        return h->status;
    h->width = h->lib->heif_image_handle_get_width(h->handle);
    h->height = h->lib->heif_image_handle_get_height(h->handle);
    if (h->width < 1 || h->height < 1) {
        CImageShims_heifFail(h, CImageShims_ERROR, "bad dimensions");
        return h->status;
    }
    h->hasAlpha = h->lib->heif_image_handle_has_alpha_channel(h->handle) != 0;
    h->bitsPerPixel = h->lib->heif_image_handle_get_luma_bits_per_pixel(h->handle);
    if (CImageShims_heifMetadata(h, maxMetadataBytes) != CImageShims_OK)
        return h->status;
    info->width = h->width;
    info->height = h->height;
    info->hasAlpha = h->hasAlpha;
    info->bitsPerPixel = h->bitsPerPixel;
    info->images = images;
    info->exifLength = h->exifLength;
    return CImageShims_OK;
}

const uint8_t *CImageShims_HEIFProfile(const CImageShims_HEIF *h, size_t *length) {
    *length = h->profileLength;
    return h->profile;
}

int CImageShims_HEIFCopyExif(CImageShims_HEIF *h, void *dst, size_t capacity) {
    if (h->status != CImageShims_OK || !h->handle || h->exifLength == 0 || capacity < h->exifLength)
        return CImageShims_ERROR;
    if (CImageShims_heifCheck(h, h->lib->heif_image_handle_get_metadata(h->handle, h->exifID, dst)))
        return h->status;
    return CImageShims_OK;
}

/* Decodes the primary image as libvips' heifload asks for it: interleaved RGB(A), 8-bit, or
 * 16-bit big-endian above 8 bits per sample; irot/imir/clap applied. libheif holds the whole
 * decoded image. */
int CImageShims_HEIFDecode(CImageShims_HEIF *h) {
    if (h->status != CImageShims_OK || !h->handle || h->image)
        return CImageShims_ERROR;
    enum heif_chroma chroma;
    if (h->bitsPerPixel <= 8)
        chroma = h->hasAlpha ? heif_chroma_interleaved_RGBA : heif_chroma_interleaved_RGB;
    else
        chroma = h->hasAlpha ? heif_chroma_interleaved_RRGGBBAA_BE : heif_chroma_interleaved_RRGGBB_BE;
    struct heif_decoding_options *options = h->lib->heif_decoding_options_alloc();
    if (!options) {
        CImageShims_heifFail(h, CImageShims_NO_MEMORY, "out of memory");
        return h->status;
    }
    struct heif_error error = h->lib->heif_decode_image(h->handle, &h->image, heif_colorspace_RGB, chroma, options);
    h->lib->heif_decoding_options_free(options);
    if (CImageShims_heifCheck(h, error))
        return h->status;
    if (h->lib->heif_image_get_width(h->image, heif_channel_interleaved) != h->width ||
        h->lib->heif_image_get_height(h->image, heif_channel_interleaved) != h->height) {
        CImageShims_heifFail(h, CImageShims_ERROR, "bad image dimensions on decode");
        return h->status;
    }
    return CImageShims_OK;
}

int CImageShims_HEIFReadRows(CImageShims_HEIF *h, uint8_t *dst, size_t capacity, int rows, size_t stride) {
    size_t samples = (size_t) h->width * (h->hasAlpha ? 4 : 3);
    size_t rowBytes = samples * (h->bitsPerPixel <= 8 ? 1 : 2);
    if (h->status != CImageShims_OK || !h->image || rows < 0 || stride < rowBytes ||
        (rows > 0 && (size_t) (rows - 1) * stride + rowBytes > capacity))
        return CImageShims_ERROR;
    int planeStride = 0;
    const uint8_t *plane = h->lib->heif_image_get_plane_readonly(h->image, heif_channel_interleaved, &planeStride);
    if (!plane) {
        CImageShims_heifFail(h, CImageShims_ERROR, "unable to get image data");
        return h->status;
    }
    int shift = 16 - h->bitsPerPixel;
    int done = 0;
    while (done < rows && h->nextRow < h->height) {
        const uint8_t *src = plane + (size_t) planeStride * (size_t) h->nextRow;
        uint8_t *out = dst + (size_t) done * stride;
        if (h->bitsPerPixel <= 8) {
            memcpy(out, src, samples);
        } else {
            /* Big-endian samples of `bitsPerPixel` bits, shifted up to fill 16 bits (as heifload). */
            uint16_t *wide = (uint16_t *) (void *) out;
            for (size_t i = 0; i < samples; i++)
                wide[i] = (uint16_t) ((((unsigned) src[2 * i] << 8) | src[2 * i + 1]) << shift);
        }
        h->nextRow++;
        done++;
    }
    return done;
}

int CImageShims_HEIFStatus(const CImageShims_HEIF *h) { return h->status; }
const char *CImageShims_HEIFMessage(const CImageShims_HEIF *h) { return h->message; }

void CImageShims_HEIFClose(CImageShims_HEIF *h) {
    if (!h)
        return;
    if (h->image)
        h->lib->heif_image_release(h->image);
    if (h->handle)
        h->lib->heif_image_handle_release(h->handle);
    if (h->context)
        h->lib->heif_context_free(h->context);
    free(h->profile);
    free(h);
}
