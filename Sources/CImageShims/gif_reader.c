/* giflib as libvips 8.10's gifload drives it (libvips-pipeline.md §15.4): a header pass over the whole
 * file, then frame 1 rendered on a zeroed RGBA canvas. giflib reports every error through return
 * codes (no callbacks, no longjmp); each call's code is checked here. */

#include "CImageShims.h"
#include "spill_file.h"

#include <gif_lib.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CIMAGESHIMS_GIF_BUFFER 65536
/* libvips 8.10's bound on the screen and on frame sides. */
#define CIMAGESHIMS_GIF_MAX_SIDE 10000000
/* Rows decoded between two looks at the clock. */
#define CIMAGESHIMS_GIF_CLOCK_ROWS 64

struct CImageShims_GIF {
    CImageShims_Input input;
    uint64_t position;
    uint8_t buffer[CIMAGESHIMS_GIF_BUFFER];
    const uint8_t *bytes;
    size_t bufferStart, bufferEnd;
    /* Set when a read got no byte at all, as libvips' read callback sets it. */
    int eof;
    GifFileType *file;
    int status;
    char message[256];
    struct timespec deadline;
    /* Frame 1 and the canvas it is drawn on. */
    int started;
    int canvasWidth, canvasHeight, bands;
    int left, top, frameWidth, frameHeight, interlaced;
    int transparent;
    uint8_t lut[256][4];
    uint8_t *line;
    int linesRead;
    int nextRow;
    /* An interlaced frame's visible part, (x1 - x0) index bytes per row for `storedRows` rows, in
     * `image` or (above the memory budget) in the file `spillFD`. */
    int x0, x1;
    size_t storedRows;
    uint8_t *image;
    int spillFD;
};

static int CImageShims_gifFail(CImageShims_GIF *g, int status, const char *message) {
    if (g->status == CImageShims_OK) {
        g->status = status;
        strncpy(g->message, message, sizeof g->message - 1);
    }
    return g->status;
}

static int CImageShims_gifError(CImageShims_GIF *g) {
    const char *text = GifErrorString(g->file->Error);
    return CImageShims_gifFail(g, CImageShims_ERROR, text ? text : "giflib error");
}

/* vips_giflib_read: up to `n` bytes; no byte at all marks the end of the file. */
static int CImageShims_gifRead(GifFileType *file, GifByteType *out, int n) {
    CImageShims_GIF *g = (CImageShims_GIF *) file->UserData;
    int done = 0;
    while (done < n) {
        if (g->bufferStart == g->bufferEnd) {
            size_t got = CImageShims_InputAt(&g->input, g->position, g->buffer, CIMAGESHIMS_GIF_BUFFER, &g->bytes);
            if (got == 0)
                break;
            g->position += got;
            g->bufferStart = 0;
            g->bufferEnd = got;
        }
        size_t take = g->bufferEnd - g->bufferStart;
        if (take > (size_t) (n - done))
            take = (size_t) (n - done);
        memcpy(out + done, g->bytes + g->bufferStart, take);
        g->bufferStart += take;
        done += (int) take;
    }
    if (n > 0 && done == 0)
        g->eof = 1;
    return done;
}

CImageShims_GIF *CImageShims_GIFOpen(const CImageShims_Input *input) {
    CImageShims_GIF *g = calloc(1, sizeof(CImageShims_GIF));
    if (!g)
        return NULL;
    g->input = *input;
    g->spillFD = -1;
    int error = 0;
    g->file = DGifOpen(g, CImageShims_gifRead, &error);
    if (!g->file) {
        const char *text = GifErrorString(error);
        CImageShims_gifFail(g, CImageShims_ERROR, text ? text : "not a GIF file");
    }
    return g;
}

static int CImageShims_gifSideOK(int side) { return side > 0 && side <= CIMAGESHIMS_GIF_MAX_SIDE; }

/* One image record of the header pass; its errors are ignored, as libvips ignores them. */
static void CImageShims_gifScanImage(GifFileType *f, int *colour, int *maxWidth) {
    if (DGifGetImageDesc(f) == GIF_ERROR)
        return;
    if (!CImageShims_gifSideOK(f->Image.Width) || !CImageShims_gifSideOK(f->Image.Height))
        return;
    if (f->Image.Width > *maxWidth)
        *maxWidth = f->Image.Width;
    const ColorMapObject *map = f->Image.ColorMap ? f->Image.ColorMap : f->SColorMap;
    for (int i = 0; !*colour && map && i < map->ColorCount; i++) {
        const GifColorType *c = &map->Colors[i];
        if (c->Red != c->Green || c->Green != c->Blue)
            *colour = 1;
    }
    GifByteType *block = NULL;
    do {
        if (DGifGetCodeNext(f, &block) == GIF_ERROR)
            return;
    } while (block);
}

/* One extension record of the header pass: a 4-byte Graphic Control Extension with its
 * transparency flag set gives the image an alpha band. */
static void CImageShims_gifScanExtension(GifFileType *f, int *transparency) {
    int code = 0;
    GifByteType *ext = NULL;
    if (DGifGetExtension(f, &code, &ext) == GIF_ERROR)
        return;
    if (ext && code == GRAPHICS_EXT_FUNC_CODE && ext[0] == 4 && (ext[1] & 1))
        *transparency = 1;
    while (ext)
        if (DGifGetExtensionNext(f, &ext) == GIF_ERROR)
            return;
}

int CImageShims_GIFScan(CImageShims_GIF *g, long maxFrames, CImageShims_GIFInfo *info) {
    if (g->status != CImageShims_OK)
        return g->status;
    GifFileType *f = g->file;
    if (!CImageShims_gifSideOK(f->SWidth) || !CImageShims_gifSideOK(f->SHeight))
        return CImageShims_gifFail(g, CImageShims_ERROR, "image size out of bounds");
    long frames = 0;
    int colour = 0, transparency = 0, maxWidth = 0;
    while (!g->eof) {
        GifRecordType type;
        if (DGifGetRecordType(f, &type) == GIF_ERROR)
            continue;  /* one byte further on */
        switch (type) {
        case IMAGE_DESC_RECORD_TYPE:
            if (++frames > maxFrames)
                return CImageShims_gifFail(g, CImageShims_LIMIT, "too many frames");
            CImageShims_gifScanImage(f, &colour, &maxWidth);
            /* giflib keeps a copy of every frame's descriptor; none is needed. (GifFreeSavedImages
             * leaves the count, which indexes the next copy.) */
            GifFreeSavedImages(f);
            f->ImageCount = 0;
            break;
        case EXTENSION_RECORD_TYPE:
            CImageShims_gifScanExtension(f, &transparency);
            break;
        case TERMINATE_RECORD_TYPE:
            g->eof = 1;
            break;
        default:
            break;
        }
    }
    if (frames < 1)
        return CImageShims_gifFail(g, CImageShims_ERROR, "bad page number");
    if (!CImageShims_gifSideOK(maxWidth))
        return CImageShims_gifFail(g, CImageShims_ERROR, "bad image size");
    info->width = f->SWidth;
    info->height = f->SHeight;
    info->colour = colour;
    info->transparency = transparency;
    info->bands = (colour ? 3 : 1) + (transparency ? 1 : 0);
    info->frames = frames;
    return CImageShims_OK;
}

static int CImageShims_gifPastDeadline(const CImageShims_GIF *g) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec > g->deadline.tv_sec || (now.tv_sec == g->deadline.tv_sec && now.tv_nsec > g->deadline.tv_nsec);
}

/* DGifGetLine for the next frame row, with a look at the clock now and then. */
static int CImageShims_gifNextLine(CImageShims_GIF *g) {
    if (g->linesRead % CIMAGESHIMS_GIF_CLOCK_ROWS == 0 && CImageShims_gifPastDeadline(g))
        return CImageShims_gifFail(g, CImageShims_TIME_LIMIT, "the time limit was reached");
    if (DGifGetLine(g->file, g->line, g->frameWidth) == GIF_ERROR)
        return CImageShims_gifError(g);
    g->linesRead++;
    return CImageShims_OK;
}

/* Reads an interlaced frame whole (rows 0/8, 4/8, 2/4, 1/2), keeping its visible part. */
static int CImageShims_gifReadInterlaced(CImageShims_GIF *g, size_t inMemoryBytes) {
    size_t rowBytes = (size_t) (g->x1 - g->x0);
    size_t total = rowBytes * g->storedRows;
    if (total > inMemoryBytes) {
        g->spillFD = CImageShims_spillOpen(total);
        /* Never more than the memory budget: without a temporary file the frame cannot be read. */
        if (g->spillFD < 0)
            return CImageShims_gifFail(g, CImageShims_TEMPORARY_FILE,
                                       "no temporary file in $TMPDIR or /tmp could hold the interlaced frame");
    }
    if (g->spillFD < 0 && total > 0) {
        g->image = malloc(total);
        if (!g->image)
            return CImageShims_gifFail(g, CImageShims_NO_MEMORY, "out of memory for an interlaced frame");
    }
    static const int start[4] = { 0, 4, 2, 1 }, step[4] = { 8, 8, 4, 2 };
    for (int pass = 0; pass < 4; pass++) {
        for (int y = start[pass]; y < g->frameHeight; y += step[pass]) {
            if (CImageShims_gifNextLine(g) != CImageShims_OK)
                return g->status;
            if ((size_t) y >= g->storedRows || rowBytes == 0)
                continue;
            size_t at = (size_t) y * rowBytes;
            if (g->image)
                memcpy(g->image + at, g->line, rowBytes);
            else if (CImageShims_spillWrite(g->spillFD, g->line, rowBytes, (off_t) at) != 0)
                return CImageShims_gifFail(g, CImageShims_TEMPORARY_FILE, "cannot write the temporary file (is $TMPDIR full?)");
        }
    }
    return CImageShims_OK;
}

int CImageShims_GIFStart(CImageShims_GIF *g, int canvasWidth, int canvasHeight, int bands, size_t inMemoryBytes,
                         double seconds) {
    if (g->status != CImageShims_OK || g->started)
        return CImageShims_ERROR;
    clock_gettime(CLOCK_MONOTONIC, &g->deadline);
    if (seconds > 1e9)
        seconds = 1e9;
    g->deadline.tv_sec += (time_t) seconds;
    g->deadline.tv_nsec += (long) ((seconds - (double) (time_t) seconds) * 1e9);
    if (g->deadline.tv_nsec >= 1000000000L) {
        g->deadline.tv_sec++;
        g->deadline.tv_nsec -= 1000000000L;
    }
    g->canvasWidth = canvasWidth;
    g->canvasHeight = canvasHeight;
    g->bands = bands;
    g->transparent = -1;
    GifFileType *f = g->file;
    /* Records up to the first image; the last Graphic Control Extension before it sets the
     * transparent index. Unlike the header pass, any error fails the load. */
    int found = 0;
    while (!g->eof && !found) {
        GifRecordType type;
        if (DGifGetRecordType(f, &type) == GIF_ERROR)
            return CImageShims_gifError(g);
        if (type == EXTENSION_RECORD_TYPE) {
            int code = 0;
            GifByteType *ext = NULL;
            if (DGifGetExtension(f, &code, &ext) == GIF_ERROR)
                return CImageShims_gifError(g);
            if (ext && code == GRAPHICS_EXT_FUNC_CODE && ext[0] == 4)
                g->transparent = (ext[1] & 1) ? ext[4] : -1;
            while (ext)
                if (DGifGetExtensionNext(f, &ext) == GIF_ERROR)
                    return CImageShims_gifError(g);
        } else if (type == TERMINATE_RECORD_TYPE) {
            g->eof = 1;
        } else {
            if (DGifGetImageDesc(f) == GIF_ERROR)
                return CImageShims_gifError(g);
            found = 1;
        }
    }
    if (found) {
        g->left = f->Image.Left;
        g->top = f->Image.Top;
        g->frameWidth = f->Image.Width;
        g->frameHeight = f->Image.Height;
        g->interlaced = f->Image.Interlace;
        /* Colour map entry v → (r, g, b, 255); an index beyond the map → (v, v, v, 255). */
        const ColorMapObject *map = f->Image.ColorMap ? f->Image.ColorMap : f->SColorMap;
        for (int v = 0; v < 256; v++) {
            const GifColorType *c = map && v < map->ColorCount ? &map->Colors[v] : NULL;
            g->lut[v][0] = c ? c->Red : (uint8_t) v;
            g->lut[v][1] = c ? c->Green : (uint8_t) v;
            g->lut[v][2] = c ? c->Blue : (uint8_t) v;
            g->lut[v][3] = 255;
        }
        g->x0 = g->left;
        g->x1 = g->left + g->frameWidth < canvasWidth ? g->left + g->frameWidth : canvasWidth;
        if (g->x1 < g->x0)
            g->x1 = g->x0;
        g->storedRows = g->top < canvasHeight ? (size_t) (canvasHeight - g->top) : 0;
        if (g->storedRows > (size_t) g->frameHeight)
            g->storedRows = (size_t) g->frameHeight;
        g->line = malloc(g->frameWidth > 0 ? (size_t) g->frameWidth : 1);
        if (!g->line)
            return CImageShims_gifFail(g, CImageShims_NO_MEMORY, "out of memory");
        if (g->interlaced && CImageShims_gifReadInterlaced(g, inMemoryBytes) != CImageShims_OK)
            return g->status;
    }
    g->started = 1;
    return CImageShims_OK;
}

/* Paints the visible indices of one frame row onto a zeroed output row: the transparent index is
 * left unpainted; the bands are G, GA, RGB or RGBA of the canvas. */
static void CImageShims_gifPaint(const CImageShims_GIF *g, const uint8_t *indices, uint8_t *dst) {
    static const int pick[5][4] = { { 0 }, { 1 }, { 1, 3 }, { 0, 1, 2 }, { 0, 1, 2, 3 } };
    int bands = g->bands;
    for (int x = g->x0; x < g->x1; x++) {
        int v = indices[x - g->x0];
        if (v == g->transparent)
            continue;
        for (int b = 0; b < bands; b++)
            dst[(size_t) x * (size_t) bands + (size_t) b] = g->lut[v][pick[bands][b]];
    }
}

int CImageShims_GIFReadRows(CImageShims_GIF *g, uint8_t *dst, size_t capacity, int rows, size_t stride) {
    size_t rowBytes = (size_t) g->canvasWidth * (size_t) g->bands;
    if (g->status != CImageShims_OK || !g->started || rows < 0 || stride < rowBytes ||
        (size_t) rows > capacity / stride)
        return CImageShims_ERROR;
    int done = 0;
    while (done < rows && g->nextRow < g->canvasHeight) {
        uint8_t *out = dst + (size_t) done * stride;
        memset(out, 0, rowBytes);
        int y = g->nextRow - g->top;
        if (g->line && y >= 0 && y < g->frameHeight) {
            if (g->interlaced) {
                size_t width = (size_t) (g->x1 - g->x0), at = (size_t) y * width;
                if (g->image) {
                    CImageShims_gifPaint(g, g->image + at, out);
                } else if (width > 0) {
                    if (CImageShims_spillRead(g->spillFD, g->line, width, (off_t) at) != 0)
                        return CImageShims_gifFail(g, CImageShims_TEMPORARY_FILE, "cannot read the temporary file");
                    CImageShims_gifPaint(g, g->line, out);
                }
            } else {
                if (CImageShims_gifNextLine(g) != CImageShims_OK)
                    return g->status;
                CImageShims_gifPaint(g, g->line, out);
            }
        }
        g->nextRow++;
        done++;
    }
    /* libvips renders the whole frame before it hands out a row: rows below the canvas are
     * decoded too, and their errors fail the load. */
    if (g->nextRow == g->canvasHeight && g->line && !g->interlaced)
        while (g->linesRead < g->frameHeight)
            if (CImageShims_gifNextLine(g) != CImageShims_OK)
                return g->status;
    return done;
}

int CImageShims_GIFStatus(const CImageShims_GIF *g) { return g->status; }
const char *CImageShims_GIFMessage(const CImageShims_GIF *g) { return g->message; }

void CImageShims_GIFClose(CImageShims_GIF *g) {
    if (!g)
        return;
    if (g->file) {
        int error = 0;
        DGifCloseFile(g->file, &error);
    }
    free(g->line);
    free(g->image);
    if (g->spillFD >= 0)
        close(g->spillFD);
    free(g);
}
