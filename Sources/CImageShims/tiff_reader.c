/* libtiff decoding of a TIFF's first page, as libvips 8.10's tiff2vips.c drives it
 * (libvips-pipeline.md §15.6). libtiff reports errors through a per-handle callback and status
 * returns, never by jumping; the callback keeps the first message and silences libtiff's stderr.
 *
 * Only the directory libtiff reads on open (IFD 0) is used: TIFFSetDirectory is never called, so
 * libtiff 4.5.0's page selection problem on some multi-page files cannot arise. Rows are decoded
 * strip by strip (or scanline by scanline for strips of more than 128 rows, as libvips does); tiles
 * one tile row at a time, the tile row going to an unlinked temporary file above `inMemoryBytes`.
 * Rows come out as libtiff decodes them: samples interleaved, 16-bit samples in native order. */

#include "CImageShims.h"
#include "spill_file.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <tiffio.h>

/* Largest single buffer libtiff or this reader may allocate for one strip, tile or directory. */
#define CIMAGESHIMS_TIFF_MAX_BUFFER ((tmsize_t) 48 << 20)

struct CImageShims_TIFF {
    int status;
    char message[256];
    CImageShims_Input input;
    toff_t position;
    TIFF *tiff;
    CImageShims_TIFFInfo info;
    /* Reading. */
    int scanlinewise;
    int readHeight;          /* rows per strip or tile row */
    tmsize_t readSize;       /* bytes of one decoded strip (one plane when separate) */
    size_t rowBytes;         /* one interleaved row */
    uint8_t *plane;          /* a plane's strip, separate planes only */
    uint8_t *block;          /* decoded rows of the current strip or tile row */
    int spillFD;             /* tile row in a temporary file instead of `block` */
    uint8_t *tile;
    int blockFirstRow, blockRows;
    int nextRow;
};

static int CImageShims_tiffError(TIFF *tiff, void *user, const char *module, const char *format, va_list args) {
    (void) tiff;
    (void) module;
    CImageShims_TIFF *t = user;
    if (t && t->status == CImageShims_OK) {
        vsnprintf(t->message, sizeof t->message, format, args);
        t->status = CImageShims_ERROR;
    }
    return 1;
}

static int CImageShims_tiffWarning(TIFF *tiff, void *user, const char *module, const char *format, va_list args) {
    (void) tiff, (void) user, (void) module, (void) format, (void) args;
    return 1;
}

static tmsize_t CImageShims_tiffRead(thandle_t handle, void *buffer, tmsize_t size) {
    CImageShims_TIFF *t = handle;
    if (size <= 0)
        return 0;
    const uint8_t *bytes = NULL;
    size_t got = CImageShims_InputAt(&t->input, t->position, buffer, (size_t) size, &bytes);
    if (got > (size_t) size)
        got = (size_t) size;
    if (bytes != buffer)
        memcpy(buffer, bytes, got);
    t->position += got;
    return (tmsize_t) got;
}

static tmsize_t CImageShims_tiffWrite(thandle_t handle, void *buffer, tmsize_t size) {
    (void) handle, (void) buffer, (void) size;
    return -1;
}

static toff_t CImageShims_tiffSize(thandle_t handle) {
    CImageShims_TIFF *t = handle;
    if (t->input.fd >= 0) {
        struct stat st;
        return fstat(t->input.fd, &st) == 0 ? (toff_t) st.st_size : 0;
    }
    return (toff_t) t->input.length;
}

static toff_t CImageShims_tiffSeek(thandle_t handle, toff_t offset, int whence) {
    CImageShims_TIFF *t = handle;
    toff_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? t->position : CImageShims_tiffSize(handle);
    /* libvips' source refuses a position past the end ("bad seek"). */
    if (base + offset < base || base + offset > CImageShims_tiffSize(handle))
        return (toff_t) -1;
    t->position = base + offset;
    return t->position;
}

static int CImageShims_tiffClose(thandle_t handle) {
    (void) handle;
    return 0;
}

static int CImageShims_tiffMap(thandle_t handle, void **base, toff_t *size) {
    (void) handle, (void) base, (void) size;
    return 0;
}

static void CImageShims_tiffUnmap(thandle_t handle, void *base, toff_t size) {
    (void) handle, (void) base, (void) size;
}

static void CImageShims_tiffFailWith(CImageShims_TIFF *t, int status, const char *message) {
    if (t->status == CImageShims_OK) {
        strncpy(t->message, message, sizeof t->message - 1);
        t->status = status;
    }
}

static void CImageShims_tiffFail(CImageShims_TIFF *t, const char *message) {
    CImageShims_tiffFailWith(t, CImageShims_ERROR, message);
}

CImageShims_TIFF *CImageShims_TIFFOpen(const CImageShims_Input *input) {
    CImageShims_TIFF *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->input = *input;
    t->spillFD = -1;
    TIFFOpenOptions *options = TIFFOpenOptionsAlloc();
    if (!options) {
        CImageShims_tiffFail(t, "out of memory");
        return t;
    }
    TIFFOpenOptionsSetErrorHandlerExtR(options, CImageShims_tiffError, t);
    TIFFOpenOptionsSetWarningHandlerExtR(options, CImageShims_tiffWarning, t);
    TIFFOpenOptionsSetMaxSingleMemAlloc(options, CIMAGESHIMS_TIFF_MAX_BUFFER);
    /* "m": no memory mapping, as libvips opens it. */
    t->tiff = TIFFClientOpenExt("ikmeta", "rm", t, CImageShims_tiffRead, CImageShims_tiffWrite,
                                CImageShims_tiffSeek, CImageShims_tiffClose, CImageShims_tiffSize,
                                CImageShims_tiffMap, CImageShims_tiffUnmap, options);
    TIFFOpenOptionsFree(options);
    if (!t->tiff) {
        CImageShims_tiffFail(t, "not a readable TIFF");
    } else {
        /* libvips fails on return codes only: errors libtiff recovered from while reading the
         * directory do not count. */
        t->status = CImageShims_OK;
        t->message[0] = 0;
    }
    return t;
}

/* tfget16/tfget32 of tiff2vips.c: the value or libtiff's default (a 16- or 32-bit field); 0 and an
 * error when there is neither. */
static int CImageShims_tiffRequired(CImageShims_TIFF *t, ttag_t tag, int wide, uint32_t *out) {
    uint16_t v16 = 0;
    uint32_t v32 = 0;
    if (!(wide ? TIFFGetFieldDefaulted(t->tiff, tag, &v32) : TIFFGetFieldDefaulted(t->tiff, tag, &v16))) {
        char text[64];
        snprintf(text, sizeof text, "required field %u missing", (unsigned) tag);
        CImageShims_tiffFail(t, text);
        return 0;
    }
    *out = wide ? v32 : v16;
    return 1;
}

static int CImageShims_tiffGet16(CImageShims_TIFF *t, ttag_t tag, int *out) {
    uint32_t v = 0;
    int ok = CImageShims_tiffRequired(t, tag, 0, &v);
    *out = (int) v;
    return ok;
}

static int CImageShims_tiffGet32(CImageShims_TIFF *t, ttag_t tag, uint32_t *out) {
    return CImageShims_tiffRequired(t, tag, 1, out);
}

int CImageShims_TIFFReadHeader(CImageShims_TIFF *t, CImageShims_TIFFInfo *info) {
    if (t->status != CImageShims_OK)
        return t->status;
    CImageShims_TIFFInfo *h = &t->info;
    memset(h, 0, sizeof *h);
    uint32_t width = 0, height = 0;
    if (!CImageShims_tiffGet32(t, TIFFTAG_IMAGEWIDTH, &width) || !CImageShims_tiffGet32(t, TIFFTAG_IMAGELENGTH, &height) ||
        !CImageShims_tiffGet16(t, TIFFTAG_SAMPLESPERPIXEL, &h->samplesPerPixel) ||
        !CImageShims_tiffGet16(t, TIFFTAG_BITSPERSAMPLE, &h->bitsPerSample) ||
        !CImageShims_tiffGet16(t, TIFFTAG_PHOTOMETRIC, &h->photometric) ||
        !CImageShims_tiffGet16(t, TIFFTAG_INKSET, &h->inkSet))
        return t->status;
    uint16_t compression = COMPRESSION_NONE;
    TIFFGetFieldDefaulted(t->tiff, TIFFTAG_COMPRESSION, &compression);
    h->compression = compression;
    /* rtiff_set_decode_format(): YCbCr JPEG data as RGB. */
    if (compression == COMPRESSION_JPEG)
        TIFFSetField(t->tiff, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB);
    if (compression != COMPRESSION_JPEG && h->photometric == PHOTOMETRIC_YCBCR) {
        uint16_t hsub = 1, vsub = 1;
        TIFFGetFieldDefaulted(t->tiff, TIFFTAG_YCBCRSUBSAMPLING, &hsub, &vsub);
        if (hsub != 1 || vsub != 1) {
            CImageShims_tiffFail(t, "subsampled images not supported");
            return t->status;
        }
    }
    if (width == 0 || width > 10000000 || height == 0 || height > 10000000) {
        CImageShims_tiffFail(t, "width/height out of range");
        return t->status;
    }
    h->width = (int) width;
    h->height = (int) height;
    if (h->samplesPerPixel <= 0 || h->samplesPerPixel > 10000 || h->bitsPerSample <= 0 || h->bitsPerSample > 32) {
        CImageShims_tiffFail(t, "samples out of range");
        return t->status;
    }
    uint16_t v = 0;
    h->sampleFormat = SAMPLEFORMAT_INT;
    if (TIFFGetFieldDefaulted(t->tiff, TIFFTAG_SAMPLEFORMAT, &v))
        h->sampleFormat = v == SAMPLEFORMAT_VOID ? SAMPLEFORMAT_UINT : v;
    h->orientation = 1;
    if (TIFFGetFieldDefaulted(t->tiff, TIFFTAG_ORIENTATION, &v))
        h->orientation = v < 1 ? 1 : v > 8 ? 8 : v;
    if (TIFFGetField(t->tiff, TIFFTAG_PLANARCONFIG, &v) && v == PLANARCONFIG_SEPARATE)
        h->separate = 1;
    h->tiled = TIFFIsTiled(t->tiff);
    /* get_resolution(): float arithmetic, as libvips does it. */
    float x = 0, y = 0;
    uint16_t unit = RESUNIT_INCH;
    if (TIFFGetFieldDefaulted(t->tiff, TIFFTAG_XRESOLUTION, &x) && TIFFGetFieldDefaulted(t->tiff, TIFFTAG_YRESOLUTION, &y) &&
        TIFFGetFieldDefaulted(t->tiff, TIFFTAG_RESOLUTIONUNIT, &unit)) {
        h->hasResolution = 1;
        h->resolution = x;
        h->resolutionUnit = unit;
    }
    uint16_t extraCount = 0;
    uint16_t *extraTypes = NULL;
    h->alphaBand = -1;
    if (TIFFGetFieldDefaulted(t->tiff, TIFFTAG_EXTRASAMPLES, &extraCount, &extraTypes))
        for (int i = 0; i < extraCount && extraTypes; i++)
            if (extraTypes[i] == EXTRASAMPLE_ASSOCALPHA)
                h->alphaBand = h->samplesPerPixel - extraCount + i;
    uint32_t iccLength = 0;
    void *icc = NULL;
    if (TIFFGetField(t->tiff, TIFFTAG_ICCPROFILE, &iccLength, &icc) && icc) {
        h->icc = icc;
        h->iccLength = iccLength;
    }
    uint16_t *red = NULL, *green = NULL, *blue = NULL;
    if (h->photometric == PHOTOMETRIC_PALETTE && TIFFGetField(t->tiff, TIFFTAG_COLORMAP, &red, &green, &blue)) {
        h->colorMap[0] = red;
        h->colorMap[1] = green;
        h->colorMap[2] = blue;
    }
    *info = *h;
    return CImageShims_OK;
}

int CImageShims_TIFFStart(CImageShims_TIFF *t, size_t inMemoryBytes) {
    if (t->status != CImageShims_OK)
        return t->status;
    CImageShims_TIFFInfo *h = &t->info;
    int spp = h->samplesPerPixel;
    tmsize_t scanline = TIFFScanlineSize(t->tiff);
    if (h->separate) {
        if (h->bitsPerSample % 8 != 0) {
            CImageShims_tiffFail(t, "separate planes of less than 8 bits are not supported");
            return t->status;
        }
        t->rowBytes = (size_t) h->width * (size_t) spp * (size_t) (h->bitsPerSample / 8);
    } else {
        t->rowBytes = (size_t) scanline;
    }
    if (scanline <= 0 || t->rowBytes == 0) {
        CImageShims_tiffFail(t, "bad scanline size");
        return t->status;
    }
    if (h->tiled) {
        uint32_t tw = 0, th = 0;
        if (h->separate) {
            CImageShims_tiffFail(t, "tiled separate planes not supported");
            return t->status;
        }
        if (!CImageShims_tiffGet32(t, TIFFTAG_TILEWIDTH, &tw) || !CImageShims_tiffGet32(t, TIFFTAG_TILELENGTH, &th))
            return t->status;
        tmsize_t tileSize = TIFFTileSize(t->tiff), tileRow = TIFFTileRowSize(t->tiff);
        if (tw == 0 || tw > 10000 || th == 0 || th > 10000 || tileSize <= 0 || tileSize > CIMAGESHIMS_TIFF_MAX_BUFFER ||
            tileRow <= 0 || (size_t) tileRow * th != (size_t) tileSize) {
            CImageShims_tiffFail(t, "tile size out of range");
            return t->status;
        }
        t->readHeight = (int) th;
        t->readSize = tileSize;
        size_t across = ((size_t) h->width + tw - 1) / tw;
        size_t blockBytes = t->rowBytes * th;
        if (across * (size_t) tileRow < t->rowBytes) {
            CImageShims_tiffFail(t, "tile size out of range");
            return t->status;
        }
        t->tile = calloc(1, (size_t) tileSize);
        if (blockBytes > inMemoryBytes) {
            t->spillFD = CImageShims_spillOpen(blockBytes);
            /* Never more than the memory budget: without a temporary file the tiles cannot be read. */
            if (t->spillFD < 0) {
                CImageShims_tiffFailWith(t, CImageShims_TEMPORARY_FILE,
                                         "no temporary file in $TMPDIR or /tmp could hold a row of tiles");
                return t->status;
            }
        }
        if (t->spillFD < 0) {
            if (blockBytes > (size_t) CIMAGESHIMS_TIFF_MAX_BUFFER) {
                CImageShims_tiffFail(t, "tile row too large to decode without a temporary file");
                return t->status;
            }
            t->block = calloc(1, blockBytes);
        } else {
            t->block = calloc(1, t->rowBytes);
        }
    } else {
        uint32_t rowsPerStrip = 0;
        if (!CImageShims_tiffGet32(t, TIFFTAG_ROWSPERSTRIP, &rowsPerStrip))
            return t->status;
        t->scanlinewise = rowsPerStrip > 128 && !h->separate && h->photometric != PHOTOMETRIC_YCBCR;
        if (t->scanlinewise) {
            t->readHeight = 1;
            t->readSize = scanline;
        } else {
            t->readHeight = rowsPerStrip < 1 ? 1 : rowsPerStrip > (uint32_t) h->height ? h->height : (int) rowsPerStrip;
            t->readSize = TIFFStripSize(t->tiff);
        }
        size_t blockBytes = t->rowBytes * (size_t) t->readHeight;
        if (t->readSize <= 0 || blockBytes > (size_t) CIMAGESHIMS_TIFF_MAX_BUFFER ||
            (size_t) t->readSize > (size_t) CIMAGESHIMS_TIFF_MAX_BUFFER) {
            CImageShims_tiffFail(t, "strip too large to decode within the memory limit");
            return t->status;
        }
        if (!h->separate && (size_t) t->readSize < blockBytes && !t->scanlinewise) {
            CImageShims_tiffFail(t, "strip size does not match the image");
            return t->status;
        }
        t->block = calloc(1, blockBytes > (size_t) t->readSize ? blockBytes : (size_t) t->readSize);
        if (h->separate)
            t->plane = calloc(1, (size_t) t->readSize);
    }
    if (!t->block || (h->separate && !t->plane) || (h->tiled && !t->tile)) {
        t->status = CImageShims_NO_MEMORY;
        strcpy(t->message, "out of memory");
    }
    return t->status;
}

/* Strip `strip` of page 0, its planes interleaved (rtiff_strip_read_interleaved). */
static int CImageShims_tiffReadStrip(CImageShims_TIFF *t, int strip, int rows) {
    CImageShims_TIFFInfo *h = &t->info;
    if (!h->separate) {
        /* A strip that decodes to fewer rows than it holds is a read error (libvips would use
         * whatever its buffer held). */
        if (TIFFReadEncodedStrip(t->tiff, (uint32_t) strip, t->block, (tmsize_t) -1) < (tmsize_t) (t->rowBytes * (size_t) rows)) {
            CImageShims_tiffFail(t, "read error");
            return t->status;
        }
        return CImageShims_OK;
    }
    int spp = h->samplesPerPixel;
    int bytes = h->bitsPerSample / 8;
    int stripsPerPlane = 1 + (h->height - 1) / t->readHeight;
    size_t pixels = (size_t) h->width * (size_t) rows;
    if (pixels * (size_t) bytes > (size_t) t->readSize) {
        CImageShims_tiffFail(t, "strip size does not match the image");
        return t->status;
    }
    for (int i = 0; i < spp; i++) {
        if (TIFFReadEncodedStrip(t->tiff, (uint32_t) (stripsPerPlane * i + strip), t->plane, (tmsize_t) -1) <
            (tmsize_t) (pixels * (size_t) bytes)) {
            CImageShims_tiffFail(t, "read error");
            return t->status;
        }
        const uint8_t *p = t->plane;
        uint8_t *q = t->block + (size_t) i * bytes;
        for (size_t j = 0; j < pixels; j++) {
            memcpy(q, p, (size_t) bytes);
            p += bytes;
            q += (size_t) bytes * (size_t) spp;
        }
    }
    return CImageShims_OK;
}

/* The tile row starting at row `top`: every tile across, decoded and copied into its columns. */
static int CImageShims_tiffReadTileRow(CImageShims_TIFF *t, int top, int rows) {
    CImageShims_TIFFInfo *h = &t->info;
    uint32_t tw = 0;
    TIFFGetField(t->tiff, TIFFTAG_TILEWIDTH, &tw);
    size_t tileRowBytes = (size_t) TIFFTileRowSize(t->tiff);
    size_t pixelBits = (size_t) h->bitsPerSample * (size_t) h->samplesPerPixel;
    for (uint32_t x = 0; x < (uint32_t) h->width; x += tw) {
        if (TIFFReadEncodedTile(t->tiff, TIFFComputeTile(t->tiff, x, (uint32_t) top, 0, 0), t->tile, (tmsize_t) -1) <
            t->readSize) {
            CImageShims_tiffFail(t, "read error");
            return t->status;
        }
        size_t start = (size_t) x * pixelBits / 8;
        size_t take = t->rowBytes - start < tileRowBytes ? t->rowBytes - start : tileRowBytes;
        for (int r = 0; r < rows; r++) {
            const uint8_t *from = t->tile + (size_t) r * tileRowBytes;
            if (t->spillFD >= 0) {
                if (CImageShims_spillWrite(t->spillFD, from, take, (off_t) ((size_t) r * t->rowBytes + start)) != 0) {
                    CImageShims_tiffFailWith(t, CImageShims_TEMPORARY_FILE, "cannot write the temporary file (is $TMPDIR full?)");
                    return t->status;
                }
            } else {
                memcpy(t->block + (size_t) r * t->rowBytes + start, from, take);
            }
        }
    }
    return CImageShims_OK;
}

int CImageShims_TIFFReadRows(CImageShims_TIFF *t, uint8_t *dst, size_t capacity, int rows, size_t stride) {
    if (t->status != CImageShims_OK || !t->block)
        return CImageShims_ERROR;
    if (rows <= 0 || stride < t->rowBytes || (size_t) (rows - 1) * stride + t->rowBytes > capacity)
        return CImageShims_ERROR;
    CImageShims_TIFFInfo *h = &t->info;
    int done = 0;
    while (done < rows && t->nextRow < h->height) {
        int y = t->nextRow;
        uint8_t *out = dst + (size_t) done * stride;
        if (t->scanlinewise) {
            if (TIFFReadScanline(t->tiff, t->block, (uint32_t) y, 0) < 0) {
                CImageShims_tiffFail(t, "read error");
                return CImageShims_ERROR;
            }
            memcpy(out, t->block, t->rowBytes);
        } else {
            if (y >= t->blockFirstRow + t->blockRows) {
                int first = y / t->readHeight * t->readHeight;
                int count = h->height - first < t->readHeight ? h->height - first : t->readHeight;
                int status = h->tiled ? CImageShims_tiffReadTileRow(t, first, count)
                                      : CImageShims_tiffReadStrip(t, y / t->readHeight, count);
                if (status != CImageShims_OK)
                    return CImageShims_ERROR;
                t->blockFirstRow = first;
                t->blockRows = count;
            }
            size_t r = (size_t) (y - t->blockFirstRow);
            if (t->spillFD >= 0) {
                if (CImageShims_spillRead(t->spillFD, out, t->rowBytes, (off_t) (r * t->rowBytes)) != 0) {
                    CImageShims_tiffFailWith(t, CImageShims_TEMPORARY_FILE, "cannot read the temporary file");
                    return CImageShims_ERROR;
                }
            } else {
                memcpy(out, t->block + r * t->rowBytes, t->rowBytes);
            }
        }
        t->nextRow++;
        done++;
    }
    return done;
}

size_t CImageShims_TIFFRowBytes(const CImageShims_TIFF *t) { return t->rowBytes; }

int CImageShims_TIFFStatus(const CImageShims_TIFF *t) { return t->status; }

const char *CImageShims_TIFFMessage(const CImageShims_TIFF *t) { return t->message; }

void CImageShims_TIFFClose(CImageShims_TIFF *t) {
    if (!t)
        return;
    if (t->tiff)
        TIFFClose(t->tiff);
    if (t->spillFD >= 0)
        close(t->spillFD);
    free(t->block);
    free(t->plane);
    free(t->tile);
    free(t);
}
