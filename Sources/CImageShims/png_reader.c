/* libpng decoding behind setjmp (SPEC §4 step 1; libvips-pipeline.md §15.3). */

#include "CImageShims.h"

#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include <png.h>

#define CIMAGESHIMS_PNG_BUFFER 65536

struct CImageShims_PNG {
    png_structp png;
    png_infop info;
    int status;
    char message[256];
    int fd;
    off_t position;
    const uint8_t *data;
    size_t length;
    uint8_t buffer[CIMAGESHIMS_PNG_BUFFER];
    size_t bufferStart, bufferEnd;
    int started;
    int height;
    int nextRow;
    size_t rowBytes;
    /* Interlaced images are decoded whole into `image`, then handed out row by row. */
    uint8_t *image;
    uint8_t *profile;
    size_t profileLength;
};

static void CImageShims_pngError(png_structp png, png_const_charp text) {
    CImageShims_PNG *p = (CImageShims_PNG *) png_get_error_ptr(png);
    if (p->status == CImageShims_OK) {
        strncpy(p->message, text ? text : "libpng error", sizeof p->message - 1);
        p->status = CImageShims_ERROR;
    }
    png_longjmp(png, 1);
}

static void CImageShims_pngWarning(png_structp png, png_const_charp text) {
    (void) png;
    (void) text;
}

static void CImageShims_pngRead(png_structp png, png_bytep out, size_t count) {
    CImageShims_PNG *p = (CImageShims_PNG *) png_get_io_ptr(png);
    while (count > 0) {
        if (p->bufferStart == p->bufferEnd) {
            ssize_t got = 0;
            if (p->fd >= 0) {
                do {
                    got = pread(p->fd, p->buffer, CIMAGESHIMS_PNG_BUFFER, p->position);
                } while (got < 0 && errno == EINTR);
            } else if ((size_t) p->position < p->length) {
                size_t left = p->length - (size_t) p->position;
                got = (ssize_t) (left < CIMAGESHIMS_PNG_BUFFER ? left : CIMAGESHIMS_PNG_BUFFER);
                memcpy(p->buffer, p->data + p->position, (size_t) got);
            }
            if (got <= 0)
                png_error(png, "the file ends early");
            p->position += got;
            p->bufferStart = 0;
            p->bufferEnd = (size_t) got;
        }
        size_t take = p->bufferEnd - p->bufferStart;
        if (take > count)
            take = count;
        memcpy(out, p->buffer + p->bufferStart, take);
        p->bufferStart += take;
        out += take;
        count -= take;
    }
}

CImageShims_PNG *CImageShims_PNGOpen(int fd, const uint8_t *data, size_t length) {
    CImageShims_PNG *p = calloc(1, sizeof(CImageShims_PNG));
    if (!p)
        return NULL;
    p->fd = fd;
    p->data = data;
    p->length = length;
    p->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, p, CImageShims_pngError, CImageShims_pngWarning);
    if (!p->png) {
        p->status = CImageShims_NO_MEMORY;
        strcpy(p->message, "cannot create a libpng reader");
        return p;
    }
    p->info = png_create_info_struct(p->png);
    if (!p->info) {
        p->status = CImageShims_NO_MEMORY;
        strcpy(p->message, "cannot create a libpng info structure");
        return p;
    }
    png_set_read_fn(p->png, p, CImageShims_pngRead);
    return p;
}

int CImageShims_PNGStart(CImageShims_PNG *p, size_t maxInterlacedBytes, CImageShims_PNGInfo *out) {
    if (p->status != CImageShims_OK || p->started)
        return CImageShims_ERROR;
    png_structp png = p->png;
    png_infop info = p->info;
    if (setjmp(png_jmpbuf(png)))
        return p->status;
    /* libspng's limits as libvips 8.10 uses them: 10^7 px per side. */
    png_set_user_limits(png, 10000000, 10000000);
    /* Critical-chunk CRCs are checked by the caller the way libspng does it (the last IDAT's never). */
    png_set_crc_action(png, PNG_CRC_QUIET_USE, PNG_CRC_ERROR_QUIT);
#ifdef PNG_IGNORE_ADLER32
    png_set_option(png, PNG_IGNORE_ADLER32, PNG_OPTION_ON);
#endif
    png_read_info(png, info);
    png_uint_32 width = 0, height = 0;
    int depth = 0, colorType = 0, interlace = 0;
    png_get_IHDR(png, info, &width, &height, &depth, &colorType, &interlace, NULL, NULL);

    png_charp name = NULL;
    int compression = 0;
    png_bytep profile = NULL;
    png_uint_32 profileLength = 0;
    if (png_get_iCCP(png, info, &name, &compression, &profile, &profileLength) && profile && profileLength > 0) {
        p->profile = malloc(profileLength);
        if (p->profile) {
            memcpy(p->profile, profile, profileLength);
            p->profileLength = profileLength;
        }
    }

    int hasTRNS = png_get_valid(png, info, PNG_INFO_tRNS) != 0;
    if (colorType == PNG_COLOR_TYPE_PALETTE)
        png_set_palette_to_rgb(png);
    if (colorType == PNG_COLOR_TYPE_GRAY && depth < 8)
        png_set_expand_gray_1_2_4_to_8(png);
    if (hasTRNS && (colorType == PNG_COLOR_TYPE_GRAY || colorType == PNG_COLOR_TYPE_RGB ||
                    colorType == PNG_COLOR_TYPE_PALETTE))
        png_set_tRNS_to_alpha(png);
    if (depth == 16) {
        const uint16_t probe = 1;
        if (*(const uint8_t *) &probe == 1)
            png_set_swap(png);
    }
    int passes = png_set_interlace_handling(png);
    png_read_update_info(png, info);

    p->height = (int) height;
    p->rowBytes = png_get_rowbytes(png, info);
    out->width = (int) width;
    out->height = (int) height;
    out->channels = png_get_channels(png, info);
    out->bitDepth = png_get_bit_depth(png, info);
    out->interlaced = passes > 1;
    out->rowBytes = p->rowBytes;

    if (passes > 1) {
        if (height > 0 && p->rowBytes > maxInterlacedBytes / height) {
            strcpy(p->message, "interlaced image too large to decode");
            p->status = CImageShims_ERROR;
            return p->status;
        }
        p->image = malloc(p->rowBytes * height);
        if (!p->image) {
            strcpy(p->message, "out of memory for an interlaced image");
            p->status = CImageShims_NO_MEMORY;
            return p->status;
        }
        png_bytep *rows = malloc(sizeof(png_bytep) * height);
        if (!rows) {
            strcpy(p->message, "out of memory for an interlaced image");
            p->status = CImageShims_NO_MEMORY;
            return p->status;
        }
        for (png_uint_32 y = 0; y < height; y++)
            rows[y] = p->image + (size_t) y * p->rowBytes;
        /* png_read_image may longjmp: free `rows` on both paths. */
        png_bytep *volatile keep = rows;
        if (setjmp(png_jmpbuf(png))) {
            free(keep);
            return p->status;
        }
        png_read_image(png, rows);
        free(keep);
    }
    p->started = 1;
    return CImageShims_OK;
}

const uint8_t *CImageShims_PNGProfile(const CImageShims_PNG *p, size_t *length) {
    *length = p->profileLength;
    return p->profile;
}

int CImageShims_PNGReadRows(CImageShims_PNG *p, uint8_t *dst, int rows, size_t stride) {
    if (p->status != CImageShims_OK || !p->started)
        return CImageShims_ERROR;
    volatile int done = 0;
    if (setjmp(png_jmpbuf(p->png)))
        return CImageShims_ERROR;
    while (done < rows && p->nextRow < p->height) {
        uint8_t *row = dst + (size_t) done * stride;
        if (p->image)
            memcpy(row, p->image + (size_t) p->nextRow * p->rowBytes, p->rowBytes);
        else
            png_read_row(p->png, row, NULL);
        p->nextRow++;
        done++;
    }
    return done;
}

int CImageShims_PNGStatus(const CImageShims_PNG *p) { return p->status; }
const char *CImageShims_PNGMessage(const CImageShims_PNG *p) { return p->message; }

void CImageShims_PNGClose(CImageShims_PNG *p) {
    if (!p)
        return;
    if (p->png)
        png_destroy_read_struct(&p->png, p->info ? &p->info : NULL, NULL);
    free(p->image);
    free(p->profile);
    free(p);
}
