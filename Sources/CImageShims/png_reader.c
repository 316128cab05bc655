/* libpng decoding behind setjmp (SPEC §4 step 1; libvips-pipeline.md §15.3). */

#include "CImageShims.h"
#include "spill_file.h"

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
    CImageShims_Input input;
    uint64_t position;
    uint8_t buffer[CIMAGESHIMS_PNG_BUFFER];
    /* The bytes being read: `buffer` for a descriptor, the input's own memory otherwise. */
    const uint8_t *bytes;
    size_t bufferStart, bufferEnd;
    int started;
    int height;
    int nextRow;
    size_t rowBytes;
    /* Interlaced images: the seven reduced pass images are read first, one after the other, into
     * `image` or (above `inMemoryBytes`) into the file `spillFD`; rows are then put
     * together from them. `scratch` holds one row of any pass. */
    int width;
    size_t pixelBytes;
    size_t passOffset[7];
    uint8_t *image;
    int spillFD;
    uint8_t *scratch;
    uint8_t *staging;
    uint8_t *profile;
    size_t profileLength;
    double deadline;  /* CLOCK_MONOTONIC seconds; 0 for none */
};

void CImageShims_PNGSetDeadline(CImageShims_PNG *p, double seconds) {
    p->deadline = CImageShims_monotonicSeconds() + (seconds > 0 ? seconds : 0);
}

/* libpng calls this after every row it decodes, pass rows included. */
static void CImageShims_pngRowDone(png_structp png, png_uint_32 row, int pass) {
    (void) row;
    (void) pass;
    CImageShims_PNG *p = (CImageShims_PNG *) png_get_io_ptr(png);
    if (p->deadline > 0 && CImageShims_monotonicSeconds() > p->deadline) {
        strcpy(p->message, "the time limit was reached");
        p->status = CImageShims_TIME_LIMIT;
        png_longjmp(png, 1);
    }
}

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
            size_t got = CImageShims_InputAt(&p->input, p->position, p->buffer, CIMAGESHIMS_PNG_BUFFER, &p->bytes);
            if (got == 0)
                png_error(png, "the file ends early");
            p->position += got;
            p->bufferStart = 0;
            p->bufferEnd = got;
        }
        size_t take = p->bufferEnd - p->bufferStart;
        if (take > count)
            take = count;
        memcpy(out, p->bytes + p->bufferStart, take);
        p->bufferStart += take;
        out += take;
        count -= take;
    }
}

static void CImageShims_pngFail(CImageShims_PNG *p, int status, const char *message) {
    strcpy(p->message, message);
    p->status = status;
}

static size_t CImageShims_pngPassRowBytes(const CImageShims_PNG *p, int pass) {
    return (size_t) PNG_PASS_COLS((png_uint_32) p->width, pass) * p->pixelBytes;
}

static size_t CImageShims_pngPassRows(const CImageShims_PNG *p, int pass) {
    return PNG_PASS_COLS((png_uint_32) p->width, pass) ? PNG_PASS_ROWS((png_uint_32) p->height, pass) : 0;
}

/* Reads the pass images in file order; libpng skips empty passes itself when it is not
 * deinterlacing (pngrutil.c `png_read_finish_row`). Each row goes through `scratch`, a full image
 * row, because libpng may copy a whole image row's bytes even for a pass row (png_combine_row). */
static int CImageShims_pngReadPasses(CImageShims_PNG *p, size_t inMemoryBytes, size_t maxInMemory) {
    size_t total = 0;
    for (int pass = 0; pass < 7; pass++) {
        p->passOffset[pass] = total;
        total += CImageShims_pngPassRowBytes(p, pass) * CImageShims_pngPassRows(p, pass);
    }
    if (total > inMemoryBytes)
        p->spillFD = CImageShims_spillOpen(total);
    const size_t stagingSize = (size_t) 1 << 20;
    if (p->spillFD < 0) {
        /* Never more than the memory budget: without a temporary file the file cannot be read. */
        if (total > inMemoryBytes || total > maxInMemory) {
            CImageShims_pngFail(p, CImageShims_TEMPORARY_FILE,
                                "no temporary file in $TMPDIR or /tmp could hold the interlaced passes");
            return p->status;
        }
        p->image = malloc(total ? total : 1);
    } else {
        p->staging = malloc(stagingSize);
    }
    p->scratch = malloc(p->rowBytes ? p->rowBytes : 1);
    if ((!p->image && !p->staging) || !p->scratch) {
        CImageShims_pngFail(p, CImageShims_NO_MEMORY, "out of memory for an interlaced image");
        return p->status;
    }
    if (setjmp(png_jmpbuf(p->png)))
        return p->status;
    size_t staged = 0;
    off_t written = 0;
    for (int pass = 0; pass < 7; pass++) {
        size_t rowBytes = CImageShims_pngPassRowBytes(p, pass), rows = CImageShims_pngPassRows(p, pass);
        for (size_t r = 0; r < rows; r++) {
            png_read_row(p->png, p->scratch, NULL);
            if (p->image) {
                memcpy(p->image + p->passOffset[pass] + r * rowBytes, p->scratch, rowBytes);
                continue;
            }
            if (staged + rowBytes > stagingSize) {
                if (CImageShims_spillWrite(p->spillFD, p->staging, staged, written) != 0) {
                    CImageShims_pngFail(p, CImageShims_TEMPORARY_FILE, "cannot write the temporary file");
                    return p->status;
                }
                written += (off_t) staged;
                staged = 0;
            }
            if (rowBytes > stagingSize) {
                if (CImageShims_spillWrite(p->spillFD, p->scratch, rowBytes, written) != 0) {
                    CImageShims_pngFail(p, CImageShims_TEMPORARY_FILE, "cannot write the temporary file");
                    return p->status;
                }
                written += (off_t) rowBytes;
            } else {
                memcpy(p->staging + staged, p->scratch, rowBytes);
                staged += rowBytes;
            }
        }
    }
    if (staged && CImageShims_spillWrite(p->spillFD, p->staging, staged, written) != 0) {
        CImageShims_pngFail(p, CImageShims_TEMPORARY_FILE, "cannot write the temporary file");
        return p->status;
    }
    free(p->staging);
    p->staging = NULL;
    return CImageShims_OK;
}

/* Puts image row `y` of an interlaced file together from the passes that hold its pixels. */
static int CImageShims_pngInterlacedRow(CImageShims_PNG *p, uint8_t *dst, png_uint_32 y) {
    for (int pass = 0; pass < 7; pass++) {
        png_uint_32 start = PNG_PASS_START_ROW(pass), step = (png_uint_32) 1 << PNG_PASS_ROW_SHIFT(pass);
        size_t rowBytes = CImageShims_pngPassRowBytes(p, pass);
        if (rowBytes == 0 || y < start || (y - start) % step != 0)
            continue;
        size_t offset = p->passOffset[pass] + (size_t) ((y - start) / step) * rowBytes;
        const uint8_t *src = p->image ? p->image + offset : p->scratch;
        if (!p->image && CImageShims_spillRead(p->spillFD, p->scratch, rowBytes, (off_t) offset) != 0) {
            CImageShims_pngFail(p, CImageShims_TEMPORARY_FILE, "cannot read the temporary file");
            return p->status;
        }
        size_t column = PNG_PASS_START_COL(pass), columnStep = (size_t) 1 << PNG_PASS_COL_SHIFT(pass);
        if (columnStep == 1) {
            memcpy(dst, src, rowBytes);
            continue;
        }
        for (size_t k = 0; k * p->pixelBytes < rowBytes; k++)
            memcpy(dst + (column + k * columnStep) * p->pixelBytes, src + k * p->pixelBytes, p->pixelBytes);
    }
    return CImageShims_OK;
}

CImageShims_PNG *CImageShims_PNGOpen(const CImageShims_Input *input) {
    CImageShims_PNG *p = calloc(1, sizeof(CImageShims_PNG));
    if (!p)
        return NULL;
    p->input = *input;
    p->spillFD = -1;
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
    png_set_read_status_fn(p->png, CImageShims_pngRowDone);
#ifdef PNG_HANDLE_AS_UNKNOWN_SUPPORTED
    /* Text and suggested palettes play no part in the pixels: skipped, never inflated. */
    static const png_byte skipped[] = { 't', 'E', 'X', 't', 0, 'z', 'T', 'X', 't', 0, 'i', 'T', 'X', 't', 0,
                                        's', 'P', 'L', 'T', 0, 'e', 'X', 'I', 'f', 0 };
    png_set_keep_unknown_chunks(p->png, PNG_HANDLE_CHUNK_NEVER, skipped, 5);
#endif
    return p;
}

int CImageShims_PNGStart(CImageShims_PNG *p, size_t inMemoryBytes, size_t maxInterlacedBytes,
                         CImageShims_PNGInfo *out) {
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
    png_read_update_info(png, info);

    p->width = (int) width;
    p->height = (int) height;
    p->rowBytes = png_get_rowbytes(png, info);
    p->pixelBytes = (size_t) png_get_channels(png, info) * png_get_bit_depth(png, info) / 8;
    out->width = (int) width;
    out->height = (int) height;
    out->channels = png_get_channels(png, info);
    out->bitDepth = png_get_bit_depth(png, info);
    out->interlaced = interlace != PNG_INTERLACE_NONE;
    out->rowBytes = p->rowBytes;
    if (out->interlaced && CImageShims_pngReadPasses(p, inMemoryBytes, maxInterlacedBytes) != CImageShims_OK)
        return p->status;
    p->started = 1;
    return CImageShims_OK;
}

const uint8_t *CImageShims_PNGProfile(const CImageShims_PNG *p, size_t *length) {
    *length = p->profileLength;
    return p->profile;
}

int CImageShims_PNGReadRows(CImageShims_PNG *p, uint8_t *dst, size_t capacity, int rows, size_t stride) {
    if (p->status != CImageShims_OK || !p->started || rows < 0 || (size_t) rows > capacity / (stride ? stride : 1))
        return CImageShims_ERROR;
    volatile int done = 0;
    if (setjmp(png_jmpbuf(p->png)))
        return CImageShims_ERROR;
    while (done < rows && p->nextRow < p->height) {
        uint8_t *row = dst + (size_t) done * stride;
        if (p->image || p->spillFD >= 0) {
            if (CImageShims_pngInterlacedRow(p, row, (png_uint_32) p->nextRow) != CImageShims_OK)
                return CImageShims_ERROR;
        } else {
            png_read_row(p->png, row, NULL);
        }
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
    free(p->scratch);
    free(p->staging);
    if (p->spillFD >= 0)
        close(p->spillFD);
    free(p->profile);
    free(p);
}
