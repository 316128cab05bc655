/* libwebp decoding of a WebP's first frame, as libvips 8.10's webp2vips.c drives it
 * (libvips-pipeline.md §15.5). libwebp reports errors as status codes, so no jump is needed: every
 * failure becomes CImageShims_ERROR and a message.
 *
 * The frame is decoded incrementally (WebPIUpdate over a growing prefix of its bitstream), so rows
 * can be handed out as soon as libwebp has finished them. The output buffer libwebp needs is the
 * whole frame; above `inMemoryBytes` it is a shared mapping of an unlinked temporary file, whose
 * finished rows are released from memory after every step (their bytes stay in the file and come
 * back when read). */

#define _GNU_SOURCE /* SEEK_DATA */
#include "CImageShims.h"
#include "spill_file.h"

#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <webp/decode.h>
#include <webp/demux.h>

/* Bytes of bitstream given to libwebp per step: small, so that one step finishes few rows. */
#define CIMAGESHIMS_WEBP_STEP 4096

struct CImageShims_WebP {
    int status;
    char message[256];
    const uint8_t *data;
    size_t length;
    uint8_t *fileBytes; /* the file read into memory, or */
    void *fileCopy;     /* a mapping of its temporary copy (length bytes) */
    WebPDemuxer *demux;
    WebPIterator frame;
    int haveFrame;
    WebPChunkIterator icc, exif;
    int haveICC, haveExif;
    /* Decoding. */
    WebPDecoderConfig config;
    WebPIDecoder *decoder;
    size_t fed;
    uint8_t *pixels;
    size_t pixelBytes;
    int spilled;
    int spillFD;
    size_t released;
    int width, height;
    int decodedRows;
    int nextRow;
};

static void CImageShims_webpFail(CImageShims_WebP *w, const char *message) {
    if (w->status == CImageShims_OK) {
        strncpy(w->message, message, sizeof w->message - 1);
        w->status = CImageShims_ERROR;
    }
}

/* Reads up to `length` bytes of `fd` at `offset` into `dst`; returns how many were read. */
static size_t CImageShims_webpReadFile(int fd, uint8_t *dst, size_t length, off_t offset) {
    size_t got = 0;
    while (got < length) {
        ssize_t n = pread(fd, dst + got, length - got, offset + (off_t) got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t) n;
    }
    return got;
}

/* Lays zero pages over the holes of the mapped copy (`length` bytes of `copy` at `base`): on a tmpfs
 * a read of a hole allocates a page, and with the tmpfs full that read would raise SIGBUS. Pages
 * only partly in a hole hold written bytes, so they are kept. Returns 0, or -1 when a hole could
 * not be covered. */
static int CImageShims_webpCoverHoles(int copy, uint8_t *base, size_t length) {
    size_t page = (size_t) sysconf(_SC_PAGESIZE);
    off_t at = 0;
    while ((size_t) at < length) {
        off_t hole = lseek(copy, at, SEEK_HOLE);
        if (hole < 0 || (size_t) hole >= length)
            return 0; /* no hole before the end (or no SEEK_HOLE: nothing is known to be a hole) */
        off_t data = lseek(copy, hole, SEEK_DATA);
        size_t end = data < 0 ? length : (size_t) data;
        size_t first = ((size_t) hole + page - 1) / page * page, last = end / page * page;
        if (first < last &&
            mmap(base + first, last - first, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
            return -1;
        at = (off_t) end;
    }
    return 0;
}

/* Copies `fd` into the unlinked temporary file `copy` and maps that copy: the demuxer needs the
 * whole file, and a copy nobody else can cut short never raises SIGBUS. Holes in the file stay holes
 * in the copy, so a sparse file of gigabytes costs neither disk nor time (and no blocks are reserved
 * ahead; the mapped holes are zero pages), and the deadline is checked after every chunk. A file cut
 * short meanwhile is copied up to where it now ends. Returns 0, CImageShims_TIME_LIMIT, or -1 when
 * the copy could not be written. Closes `copy`. */
static int CImageShims_webpMapCopyTo(CImageShims_WebP *w, int copy, int fd, size_t size, double deadline) {
    enum { chunk = 1 << 20 };
    uint8_t *buffer = malloc(chunk);
    size_t copied = 0;
    int failed = !buffer || copy < 0;
    int late = 0;
    while (!failed && copied < size) {
        if (CImageShims_monotonicSeconds() >= deadline) {
            late = 1;
            break;
        }
        /* Where the next data starts (other errors, as on file systems without SEEK_DATA: copy from
         * here). ENXIO: nothing but a hole up to the end, or the file now ends before `copied`. */
        off_t data = lseek(fd, (off_t) copied, SEEK_DATA);
        if (data < 0 && errno == ENXIO) {
            struct stat now;
            size_t end = fstat(fd, &now) == 0 && (size_t) now.st_size < size ? (size_t) now.st_size : size;
            if (end > copied)
                copied = end;
            break;
        }
        if (data > (off_t) copied) {
            copied = (size_t) data < size ? (size_t) data : size;
            continue;
        }
        /* Up to the next hole, so that holes inside a chunk stay holes too. */
        size_t want = size - copied < chunk ? size - copied : chunk;
        off_t hole = lseek(fd, (off_t) copied, SEEK_HOLE);
        if (hole > (off_t) copied && (size_t) hole - copied < want)
            want = (size_t) hole - copied;
        size_t got = CImageShims_webpReadFile(fd, buffer, want, (off_t) copied);
        if (got > 0 && CImageShims_spillWrite(copy, buffer, got, (off_t) copied) != 0)
            failed = 1;
        copied += got;
        if (got < want)
            break; /* cut short while being read: a truncated WebP from here on */
    }
    free(buffer);
    /* A hole at the end is never written: the copy is given its length, or the mapping would end
     * before its last page (SIGBUS). */
    if (!failed && !late && ftruncate(copy, (off_t) copied) != 0)
        failed = 1;
    void *mapped = MAP_FAILED;
    if (!failed && !late && copied > 0) {
        mapped = mmap(NULL, copied, PROT_READ, MAP_PRIVATE, copy, 0);
        if (mapped != MAP_FAILED && CImageShims_webpCoverHoles(copy, mapped, copied) != 0) {
            munmap(mapped, copied);
            mapped = MAP_FAILED;
        }
    }
    if (copy >= 0)
        close(copy); /* the mapping keeps the copy alive */
    if (late)
        return CImageShims_TIME_LIMIT;
    if (mapped == MAP_FAILED)
        return -1;
    w->fileCopy = mapped;
    w->data = mapped;
    w->length = copied;
    return 0;
}

/* The copy in $TMPDIR, and when making or writing it fails there (a full disk), in /tmp; each
 * folder once. */
static int CImageShims_webpMapCopy(CImageShims_WebP *w, int fd, size_t size, double deadline) {
    int status = -1;
    const char *dir;
    for (int which = 0; status == -1 && (dir = CImageShims_spillFolders(which)); which++)
        status = CImageShims_webpMapCopyTo(w, CImageShims_spillOpenIn(dir, 0), fd, size, deadline);
    return status;
}

CImageShims_WebP *CImageShims_WebPOpen(const CImageShims_Input *input, size_t inMemoryBytes, double seconds) {
    CImageShims_WebP *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->spillFD = -1;
    int fd = input->fd;
    if (fd < 0) {
        w->data = input->data;
        w->length = input->length;
        return w;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size <= 0) {
        CImageShims_webpFail(w, "the file cannot be read");
        return w;
    }
    size_t size = (size_t) st.st_size;
    /* Never a mapping of the file itself: one cut short by another process while it is decoded
     * would end the run with SIGBUS (README "WebP and TIFF memory"). A file over `inMemoryBytes` is
     * copied to a temporary file; a smaller one is read into memory. */
    if (size > inMemoryBytes) {
        /* Never read into memory instead: memory never grows past `inMemoryBytes` (README "Memory"). */
        int copied = CImageShims_webpMapCopy(w, fd, size, CImageShims_monotonicSeconds() + (seconds > 0 ? seconds : 0));
        if (copied == CImageShims_TIME_LIMIT) {
            w->status = CImageShims_TIME_LIMIT;
            strcpy(w->message, "the time limit was reached while copying the file");
        } else if (copied != 0) {
            w->status = CImageShims_TEMPORARY_FILE;
            snprintf(w->message, sizeof w->message,
                     "no temporary file could hold a copy of the %zu-byte file (is $TMPDIR full?)", size);
        }
        return w;
    }
    w->fileBytes = malloc(size);
    if (!w->fileBytes) {
        CImageShims_webpFail(w, "out of memory for the file");
        return w;
    }
    w->data = w->fileBytes;
    w->length = CImageShims_webpReadFile(fd, w->fileBytes, size, 0);
    return w;
}

int CImageShims_WebPReadHeader(CImageShims_WebP *w, CImageShims_WebPInfo *info) {
    if (w->status != CImageShims_OK)
        return w->status;
    WebPData data = {w->data, w->length};
    /* webp2vips.c read_header(): the demuxer must accept the whole file. */
    w->demux = WebPDemux(&data);
    if (!w->demux) {
        CImageShims_webpFail(w, "unable to parse image");
        return w->status;
    }
    memset(info, 0, sizeof *info);
    info->canvasWidth = (int) WebPDemuxGetI(w->demux, WEBP_FF_CANVAS_WIDTH);
    info->canvasHeight = (int) WebPDemuxGetI(w->demux, WEBP_FF_CANVAS_HEIGHT);
    uint32_t flags = WebPDemuxGetI(w->demux, WEBP_FF_FORMAT_FLAGS);
    info->flags = (int) flags;
    info->frameCount = (int) WebPDemuxGetI(w->demux, WEBP_FF_FRAME_COUNT);
    info->alpha = (flags & ALPHA_FLAG) != 0;
    if (flags & ANIMATION_FLAG) {
        /* An animation needs alpha when any frame has it or leaves part of the canvas uncovered. */
        WebPIterator it;
        if (WebPDemuxGetFrame(w->demux, 1, &it)) {
            do {
                if (it.has_alpha || it.width != info->canvasWidth || it.height != info->canvasHeight)
                    info->alpha = 1;
            } while (WebPDemuxNextFrame(&it));
        }
        WebPDemuxReleaseIterator(&it);
    }
    if (!WebPDemuxGetFrame(w->demux, 1, &w->frame)) {
        CImageShims_webpFail(w, "unable to loop through frames");
        return w->status;
    }
    w->haveFrame = 1;
    info->frameX = w->frame.x_offset;
    info->frameY = w->frame.y_offset;
    info->frameWidth = w->frame.width;
    info->frameHeight = w->frame.height;
    info->frameBlends = w->frame.blend_method == WEBP_MUX_BLEND;
    /* Metadata chunks count only when their VP8X flag is set. */
    if ((flags & ICCP_FLAG) && WebPDemuxGetChunk(w->demux, "ICCP", 1, &w->icc)) {
        w->haveICC = 1;
        info->icc = w->icc.chunk.bytes;
        info->iccLength = w->icc.chunk.size;
    }
    if ((flags & EXIF_FLAG) && WebPDemuxGetChunk(w->demux, "EXIF", 1, &w->exif)) {
        w->haveExif = 1;
        info->exif = w->exif.chunk.bytes;
        info->exifLength = w->exif.chunk.size;
    }
    return CImageShims_OK;
}

int CImageShims_WebPStart(CImageShims_WebP *w, int width, int height, int scaled, size_t inMemoryBytes) {
    if (w->status != CImageShims_OK)
        return w->status;
    if (!w->haveFrame || width <= 0 || height <= 0 || width > 0x3FFF || height > 0x3FFF) {
        CImageShims_webpFail(w, "bad image dimensions");
        return w->status;
    }
    w->width = width;
    w->height = height;
    size_t stride = (size_t) width * 4;
    w->pixelBytes = stride * (size_t) height;
    if (w->pixelBytes > inMemoryBytes) {
        /* The blocks are reserved first: a write to a mapped page the file system cannot back (a
         * full disk) would raise SIGBUS. Without them the frame is not decoded: the buffer never
         * grows past `inMemoryBytes` in memory instead (README "Memory"). */
        w->spillFD = CImageShims_spillOpen(w->pixelBytes);
        void *mapped = w->spillFD >= 0 ? mmap(NULL, w->pixelBytes, PROT_READ | PROT_WRITE, MAP_SHARED, w->spillFD, 0) : MAP_FAILED;
        if (mapped == MAP_FAILED) {
            w->status = CImageShims_TEMPORARY_FILE;
            snprintf(w->message, sizeof w->message, "no temporary file could hold the %zu-byte frame (is $TMPDIR full?)",
                     w->pixelBytes);
            return w->status;
        }
        w->pixels = mapped;
        w->spilled = 1;
    } else {
        w->pixels = malloc(w->pixelBytes);
    }
    if (!w->pixels) {
        w->status = CImageShims_NO_MEMORY;
        strcpy(w->message, "out of memory");
        return w->status;
    }
    if (!WebPInitDecoderConfig(&w->config)) {
        CImageShims_webpFail(w, "libwebp version mismatch");
        return w->status;
    }
    w->config.output.colorspace = MODE_RGBA;
    w->config.output.is_external_memory = 1;
    w->config.output.u.RGBA.rgba = w->pixels;
    w->config.output.u.RGBA.stride = (int) stride;
    w->config.output.u.RGBA.size = w->pixelBytes;
    if (scaled) {
        w->config.options.use_scaling = 1;
        w->config.options.scaled_width = width;
        w->config.options.scaled_height = height;
    }
    w->decoder = WebPIDecode(NULL, 0, &w->config);
    if (!w->decoder) {
        CImageShims_webpFail(w, "unable to read pixels");
        return w->status;
    }
    return CImageShims_OK;
}

/* Gives back the memory of the mapped rows before `rows` (whole pages only). */
static void CImageShims_webpRelease(CImageShims_WebP *w, int rows) {
    if (!w->spilled)
        return;
    size_t page = (size_t) sysconf(_SC_PAGESIZE);
    size_t upTo = (size_t) rows * (size_t) w->width * 4 / page * page;
    if (upTo > w->released) {
        madvise(w->pixels + w->released, upTo - w->released, MADV_DONTNEED);
        w->released = upTo;
    }
}

/* Feeds the decoder until row `row` is finished, or the bitstream ends. */
static int CImageShims_webpDecodeThrough(CImageShims_WebP *w, int row) {
    const uint8_t *bytes = w->frame.fragment.bytes;
    size_t size = w->frame.fragment.size;
    while (w->decodedRows <= row) {
        if (w->fed >= size) {
            CImageShims_webpFail(w, "unable to read pixels");
            return w->status;
        }
        w->fed = size - w->fed > CIMAGESHIMS_WEBP_STEP ? w->fed + CIMAGESHIMS_WEBP_STEP : size;
        VP8StatusCode code = WebPIUpdate(w->decoder, bytes, w->fed);
        if (code != VP8_STATUS_OK && code != VP8_STATUS_SUSPENDED) {
            CImageShims_webpFail(w, "unable to read pixels");
            return w->status;
        }
        int last = 0;
        if (WebPIDecGetRGB(w->decoder, &last, NULL, NULL, NULL) && last > w->decodedRows)
            w->decodedRows = last;
        if (code == VP8_STATUS_OK)
            w->decodedRows = w->height;
        CImageShims_webpRelease(w, w->decodedRows);
    }
    return CImageShims_OK;
}

int CImageShims_WebPReadRows(CImageShims_WebP *w, uint8_t *dst, size_t capacity, int rows, size_t stride) {
    if (w->status != CImageShims_OK || !w->decoder)
        return CImageShims_ERROR;
    size_t rowBytes = (size_t) w->width * 4;
    if (rows <= 0 || stride < rowBytes || (size_t) (rows - 1) * stride + rowBytes > capacity)
        return CImageShims_ERROR;
    int done = 0;
    while (done < rows && w->nextRow < w->height) {
        if (CImageShims_webpDecodeThrough(w, w->nextRow) != CImageShims_OK)
            return CImageShims_ERROR;
        memcpy(dst + (size_t) done * stride, w->pixels + (size_t) w->nextRow * rowBytes, rowBytes);
        w->nextRow++;
        done++;
    }
    if (w->spilled) {
        /* The rows just read were brought back into memory: release them again. */
        size_t page = (size_t) sysconf(_SC_PAGESIZE);
        size_t from = (size_t) (w->nextRow - done) * rowBytes / page * page;
        size_t to = (size_t) w->nextRow * rowBytes / page * page;
        if (to > from)
            madvise(w->pixels + from, to - from, MADV_DONTNEED);
    }
    return done;
}

int CImageShims_WebPStatus(const CImageShims_WebP *w) { return w->status; }

const char *CImageShims_WebPMessage(const CImageShims_WebP *w) { return w->message; }

void CImageShims_WebPClose(CImageShims_WebP *w) {
    if (!w)
        return;
    if (w->decoder)
        WebPIDelete(w->decoder);
    if (w->pixels) {
        if (w->spilled)
            munmap(w->pixels, w->pixelBytes);
        else
            free(w->pixels);
    }
    if (w->spillFD >= 0)
        close(w->spillFD);
    if (w->haveICC)
        WebPDemuxReleaseChunkIterator(&w->icc);
    if (w->haveExif)
        WebPDemuxReleaseChunkIterator(&w->exif);
    if (w->haveFrame)
        WebPDemuxReleaseIterator(&w->frame);
    if (w->demux)
        WebPDemuxDelete(w->demux);
    free(w->fileBytes);
    if (w->fileCopy)
        munmap(w->fileCopy, w->length);
    free(w);
}
