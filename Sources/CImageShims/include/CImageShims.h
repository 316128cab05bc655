#ifndef CIMAGESHIMS_H
#define CIMAGESHIMS_H

/* The only hand-written C of the project: the shared decoder input, and libjpeg and libpng calls guarded by setjmp, so that a
 * decoder error comes back as a status code and a message (libjpeg's default handler calls exit()).
 * No longjmp ever crosses a Swift frame: every jump lands inside the function that was called. */

#include <stddef.h>
#include <stdint.h>

#include "CImageShims_versions.h"

/* Status codes returned by every call. */
#define CImageShims_OK 0
#define CImageShims_ERROR (-1)
#define CImageShims_NO_MEMORY (-2)
/* The decode passed its deadline (CImageShims_JPEGSetLimits, CImageShims_PNGSetDeadline). */
#define CImageShims_TIME_LIMIT (-3)
/* A progressive JPEG has more scans than CImageShims_JPEGSetLimits allows. */
#define CImageShims_SCAN_LIMIT (-4)
/* A temporary file for a whole-image buffer could not be created, written or read. */
#define CImageShims_TEMPORARY_FILE (-5)

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

/* ---- time ---- */

/* Seconds on CLOCK_MONOTONIC. */
double CImageShims_monotonicSeconds(void);

#endif
