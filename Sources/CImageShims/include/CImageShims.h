#ifndef CIMAGESHIMS_H
#define CIMAGESHIMS_H

/* The only hand-written C of the project: the shared decoder input, and every decoder library call
 * behind a guard: libjpeg and libpng through setjmp; giflib, libheif, libwebp and libtiff checked
 * code by code (libtiff's errors through per-file callbacks), so that a decoder error comes back as
 * a status code and a message (libjpeg's default handler calls exit()).
 * No longjmp ever crosses a Swift frame: every jump lands inside the function that was called. */

#include <stddef.h>
#include <stdint.h>

#include "CImageShims_versions.h"

/* Status codes returned by every call. */
#define CImageShims_OK 0
#define CImageShims_ERROR (-1)
#define CImageShims_NO_MEMORY (-2)
/* The decode passed its deadline (CImageShims_JPEGSetLimits, CImageShims_PNGSetDeadline, or the
 * seconds given to the call). */
#define CImageShims_TIME_LIMIT (-3)
/* A progressive JPEG has more scans than CImageShims_JPEGSetLimits allows. */
#define CImageShims_SCAN_LIMIT (-4)
/* A temporary file for a whole-image buffer could not be created, written or read. */
#define CImageShims_TEMPORARY_FILE (-5)
/* Another limit given to the call was exceeded. */
#define CImageShims_LIMIT (-6)

/* ---- The input every decoder reads ---- */

/* One file's bytes: a descriptor read with pread (its own offset is left alone), or `data` when
 * fd < 0. Made once per file and shared by every decoder that reads it; the bytes outlive them. */
typedef struct {
    int fd;
    const uint8_t *data;
    size_t length;
} CImageShims_Input;

/* The bytes at `offset`: for memory, a pointer into `data` up to its end (`scratch` unused); for a
 * descriptor, up to `scratchSize` bytes read into `scratch`. Returns the count (0 at the end or on a
 * read error) and sets `*bytes`. */
size_t CImageShims_InputAt(const CImageShims_Input *input, uint64_t offset, uint8_t *scratch, size_t scratchSize,
                           const uint8_t **bytes);

/* ---- JPEG (libjpeg-turbo) ---- */

typedef struct CImageShims_JPEG CImageShims_JPEG;

/* Output colour spaces, as libvips' JPEG loader asks for them. */
#define CImageShims_JPEG_GREY 1
#define CImageShims_JPEG_RGB 3
#define CImageShims_JPEG_CMYK 4

typedef struct {
    int imageWidth, imageHeight;   /* frame size */
    int width, height;             /* output size after DCT scaling */
    int components;                /* output samples per pixel: 1, 3 or 4 */
    int colorSpace;                /* CImageShims_JPEG_GREY / _RGB / _CMYK */
} CImageShims_JPEGInfo;

/* Reads `input` (copied; its bytes must outlive the decoder). Returns NULL only when memory runs out;
 * otherwise check CImageShims_JPEGStatus. */
CImageShims_JPEG *CImageShims_JPEGOpen(const CImageShims_Input *input);
/* Reads the header and starts decompression at 1/scaleDenom (1, 2, 4 or 8). The DCT coefficients a
 * multi-scan (progressive) file must keep go to an unlinked temporary file when they take more than
 * `inMemoryBytes` (jpeg_coefficients.c). */
int CImageShims_JPEGStart(CImageShims_JPEG *jpeg, int scaleDenom, size_t inMemoryBytes, CImageShims_JPEGInfo *info);
/* Before CImageShims_JPEGStart: stop with CImageShims_TIME_LIMIT once `seconds` have passed from now,
 * and with CImageShims_SCAN_LIMIT at scan number `maxScans` + 1 (checked by libjpeg's progress
 * monitor, which runs while a progressive file's scans are consumed). */
void CImageShims_JPEGSetLimits(CImageShims_JPEG *jpeg, double seconds, int maxScans);
/* Decodes up to `rows` scanlines into `dst` (rows `stride` bytes apart, `capacity` bytes in all). Returns
 * the number decoded, or CImageShims_ERROR (also when the rows would not fit). */
int CImageShims_JPEGReadRows(CImageShims_JPEG *jpeg, uint8_t *dst, size_t capacity, int rows, size_t stride);
/* libjpeg warnings (corrupt data, premature end, …) emitted so far. */
long CImageShims_JPEGWarnings(const CImageShims_JPEG *jpeg);
int CImageShims_JPEGStatus(const CImageShims_JPEG *jpeg);
/* The last error or first warning text ("" when none). */
const char *CImageShims_JPEGMessage(const CImageShims_JPEG *jpeg);
void CImageShims_JPEGClose(CImageShims_JPEG *jpeg);

/* ---- PNG (libpng) ---- */

typedef struct CImageShims_PNG CImageShims_PNG;

typedef struct {
    int width, height;
    int channels;          /* after expansion: 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA */
    int bitDepth;          /* 8 or 16 (16-bit samples are delivered in native byte order) */
    int interlaced;
    size_t rowBytes;
} CImageShims_PNGInfo;

/* Same input rules as CImageShims_JPEGOpen. */
CImageShims_PNG *CImageShims_PNGOpen(const CImageShims_Input *input);
/* Reads the chunks before the image data and sets up the expansion libvips' PNG loader uses:
 * palette → RGB, tRNS → alpha, 1/2/4-bit grey → 8-bit. An interlaced file's passes are decoded at
 * this point: into memory up to `inMemoryBytes`, else into an unlinked temporary file; without a
 * temporary file, into memory up to `maxInterlacedBytes`. */
int CImageShims_PNGStart(CImageShims_PNG *png, size_t inMemoryBytes, size_t maxInterlacedBytes,
                         CImageShims_PNGInfo *info);
/* Before CImageShims_PNGStart: stop with CImageShims_TIME_LIMIT once `seconds` have passed from now
 * (checked for every row, including the rows of interlaced passes decoded at the start). */
void CImageShims_PNGSetDeadline(CImageShims_PNG *png, double seconds);
/* The iCCP profile once CImageShims_PNGStart succeeded (NULL when absent or refused by libpng). */
const uint8_t *CImageShims_PNGProfile(const CImageShims_PNG *png, size_t *length);
/* Same contract as CImageShims_JPEGReadRows. */
int CImageShims_PNGReadRows(CImageShims_PNG *png, uint8_t *dst, size_t capacity, int rows, size_t stride);
int CImageShims_PNGStatus(const CImageShims_PNG *png);
const char *CImageShims_PNGMessage(const CImageShims_PNG *png);
void CImageShims_PNGClose(CImageShims_PNG *png);

/* ---- GIF (giflib) ---- */

typedef struct CImageShims_GIF CImageShims_GIF;

/* What libvips 8.10's header pass finds, over all frames. */
typedef struct {
    int width, height;     /* logical screen */
    int colour;            /* some colour map has an entry with r != g or g != b */
    int transparency;      /* some 4-byte Graphic Control Extension sets its transparency flag */
    int bands;             /* (colour ? 3 : 1) + (transparency ? 1 : 0) */
    long frames;
} CImageShims_GIFInfo;

/* Same input rules as CImageShims_JPEGOpen; reads the screen descriptor (DGifOpen). */
CImageShims_GIF *CImageShims_GIFOpen(const CImageShims_Input *input);
/* The header pass over the whole file, record errors skipped. CImageShims_LIMIT past `maxFrames`. */
int CImageShims_GIFScan(CImageShims_GIF *gif, long maxFrames, CImageShims_GIFInfo *info);
/* On a fresh handle: finds frame 1 and its transparent index, and reads an interlaced frame whole
 * (its visible part in memory up to `inMemoryBytes`, else in an unlinked temporary file). Decoding
 * stops with CImageShims_TIME_LIMIT once `seconds` have passed. */
int CImageShims_GIFStart(CImageShims_GIF *gif, int canvasWidth, int canvasHeight, int bands, size_t inMemoryBytes,
                         double seconds);
/* Canvas rows of `bands` bytes per pixel, as CImageShims_JPEGReadRows; the call that hands out the
 * last row also decodes the frame rows below the canvas. */
int CImageShims_GIFReadRows(CImageShims_GIF *gif, uint8_t *dst, size_t capacity, int rows, size_t stride);
int CImageShims_GIFStatus(const CImageShims_GIF *gif);
const char *CImageShims_GIFMessage(const CImageShims_GIF *gif);
void CImageShims_GIFClose(CImageShims_GIF *gif);

/* ---- HEIF (libheif: HEIC and AVIF) ---- */

typedef struct CImageShims_HEIF CImageShims_HEIF;

typedef struct {
    int width, height;     /* the primary image, with its irot/imir/clap applied */
    int hasAlpha;
    int bitsPerPixel;      /* luma bits per sample */
    int images;            /* top-level images */
    size_t exifLength;     /* the first non-empty Exif block of the primary image, 0 when none */
} CImageShims_HEIFInfo;

/* libheif is opened with dlopen on first use: NULL once it is loaded, otherwise why it cannot be. */
const char *CImageShims_HEIFUnavailable(void);
/* Reads the `length` bytes of `input` (copied). Returns NULL only when memory runs out; otherwise
 * check CImageShims_HEIFStatus. */
CImageShims_HEIF *CImageShims_HEIFOpen(const CImageShims_Input *input, uint64_t length);
/* Parses the boxes and opens the primary image. Fails when a side reaches `maxSide` (libheif's own
 * limit), when there are more than `maxImages` top-level images, or when the ICC profile is larger
 * than `maxMetadataBytes`. */
int CImageShims_HEIFStart(CImageShims_HEIF *heif, int maxSide, int maxImages, size_t maxMetadataBytes,
                          CImageShims_HEIFInfo *info);
/* The prof/rICC profile once CImageShims_HEIFStart succeeded (NULL when there is none). */
const uint8_t *CImageShims_HEIFProfile(const CImageShims_HEIF *heif, size_t *length);
/* Copies the Exif block (info.exifLength bytes, starting with libheif's 4-byte offset header). */
int CImageShims_HEIFCopyExif(CImageShims_HEIF *heif, void *dst, size_t capacity);
/* Decodes the whole primary image (libheif has no row interface). */
int CImageShims_HEIFDecode(CImageShims_HEIF *heif);
/* Copies up to `rows` rows into `dst` (`capacity` bytes): RGB(A) 8-bit, or native 16-bit samples
 * scaled up from bitsPerPixel. Returns the number copied, or an error status. */
int CImageShims_HEIFReadRows(CImageShims_HEIF *heif, uint8_t *dst, size_t capacity, int rows, size_t stride);
int CImageShims_HEIFStatus(const CImageShims_HEIF *heif);
const char *CImageShims_HEIFMessage(const CImageShims_HEIF *heif);
void CImageShims_HEIFClose(CImageShims_HEIF *heif);

/* ---- WebP (libwebp + demux) ---- */

typedef struct CImageShims_WebP CImageShims_WebP;

typedef struct {
    int canvasWidth, canvasHeight;
    int flags;                   /* VP8X flags as the demuxer reports them */
    int frameCount;
    int alpha;                   /* libvips 8.10's band choice: 1 → 4 bands, 0 → 3 */
    int frameX, frameY, frameWidth, frameHeight;  /* frame 1 on the canvas */
    int frameBlends;             /* frame 1's blend method is "blend" */
    const uint8_t *icc;          /* ICCP chunk, only with the VP8X ICC flag (NULL otherwise) */
    size_t iccLength;
    const uint8_t *exif;         /* EXIF chunk, only with the VP8X EXIF flag */
    size_t exifLength;
} CImageShims_WebPInfo;

/* Reads `input` whole, as the demuxer needs it: a descriptor's file into memory up to `inMemoryBytes`,
 * a larger one into a mapped temporary copy (CImageShims_TIME_LIMIT when copying takes over `seconds`);
 * memory input is used in place. */
CImageShims_WebP *CImageShims_WebPOpen(const CImageShims_Input *input, size_t inMemoryBytes, double seconds);
/* Runs the demuxer over the whole file and describes frame 1. The pointers stay valid until close. */
int CImageShims_WebPReadHeader(CImageShims_WebP *webp, CImageShims_WebPInfo *info);
/* Starts decoding frame 1 as RGBA at `width` × `height` (scaled by libwebp when `scaled`). */
int CImageShims_WebPStart(CImageShims_WebP *webp, int width, int height, int scaled, size_t inMemoryBytes);
/* Decodes up to `rows` RGBA rows of frame 1 into `dst` (`capacity` bytes). Returns the number of rows, or
 * CImageShims_ERROR (also when the rows would not fit). */
int CImageShims_WebPReadRows(CImageShims_WebP *webp, uint8_t *dst, size_t capacity, int rows, size_t stride);
int CImageShims_WebPStatus(const CImageShims_WebP *webp);
const char *CImageShims_WebPMessage(const CImageShims_WebP *webp);
void CImageShims_WebPClose(CImageShims_WebP *webp);

/* ---- TIFF (libtiff) ---- */

typedef struct CImageShims_TIFF CImageShims_TIFF;

/* IFD 0 as tiff2vips.c's rtiff_header_read() reads it (tag values or libtiff's defaults). */
typedef struct {
    int width, height;
    int samplesPerPixel, bitsPerSample, sampleFormat;
    int photometric, inkSet, compression;
    int separate, tiled;
    int orientation;             /* 1–8 */
    int alphaBand;               /* the associated-alpha sample, or -1 */
    int hasResolution;
    double resolution;           /* XResolution as a float */
    int resolutionUnit;
    const uint8_t *icc;
    size_t iccLength;
    const uint16_t *colorMap[3]; /* palette images: 1 << bitsPerSample entries each */
} CImageShims_TIFFInfo;

/* Reads `input` (copied). Opens the file and reads its first directory. */
CImageShims_TIFF *CImageShims_TIFFOpen(const CImageShims_Input *input);
int CImageShims_TIFFReadHeader(CImageShims_TIFF *tiff, CImageShims_TIFFInfo *info);
/* Prepares row reading; a tile row above `inMemoryBytes` goes to an unlinked temporary file. */
int CImageShims_TIFFStart(CImageShims_TIFF *tiff, size_t inMemoryBytes);
/* Bytes of one decoded row (samples interleaved; 1/2/4-bit samples packed). */
size_t CImageShims_TIFFRowBytes(const CImageShims_TIFF *tiff);
/* Up to `rows` rows into `dst` (`capacity` bytes); the count, or CImageShims_ERROR. */
int CImageShims_TIFFReadRows(CImageShims_TIFF *tiff, uint8_t *dst, size_t capacity, int rows, size_t stride);
int CImageShims_TIFFStatus(const CImageShims_TIFF *tiff);
const char *CImageShims_TIFFMessage(const CImageShims_TIFF *tiff);
void CImageShims_TIFFClose(CImageShims_TIFF *tiff);

/* ---- zlib ---- */

/* libspng 0.6.0's check of a compressed iCCP/zTXt/iTXt stream, fed piece by piece so that a large
 * chunk is never held whole: the zlib header is valid, the deflate data inflates without error to
 * its end, produces at least one byte, and 4 bytes (the Adler-32, not verified) follow it. */
typedef struct CImageShims_Inflate CImageShims_Inflate;
/* `header` is the stream's first two bytes. Returns NULL when they are not a valid zlib header
 * (or memory runs out). */
CImageShims_Inflate *CImageShims_InflateOpen(const uint8_t header[2]);
/* Feeds the next piece; at most `maxOutput` more bytes are inflated (the bytes produced are added
 * to *produced). Returns 1 while more input is wanted, 0 once the deflate stream ended, -1 on a
 * zlib error, -2 when `maxOutput` was reached first. */
int CImageShims_InflateFeed(CImageShims_Inflate *inflater, const uint8_t *data, size_t length, size_t maxOutput,
                            size_t *produced);
/* Bytes fed after the end of the deflate stream. */
size_t CImageShims_InflateTrailing(const CImageShims_Inflate *inflater);
void CImageShims_InflateClose(CImageShims_Inflate *inflater);

/* Inflates the zlib stream `data` into `out`. Returns the bytes written, or -1 when the stream is
 * damaged, does not end, or needs more than `capacity` bytes. */
long CImageShims_InflateAll(const uint8_t *data, size_t length, uint8_t *out, size_t capacity);

/* ---- time ---- */

/* Seconds on CLOCK_MONOTONIC. */
double CImageShims_monotonicSeconds(void);

#endif
