/* A zlib stream check with libspng 0.6.0's outcome (libvips-pipeline.md §15.1), fed in pieces. */

#include "CImageShims.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

struct CImageShims_Inflate {
    z_stream stream;
    int ended;
    size_t trailing;
};

CImageShims_Inflate *CImageShims_InflateOpen(const uint8_t header[2]) {
    unsigned value = (unsigned) header[0] << 8 | header[1];
    if (value % 31 != 0 || (header[0] & 15) != 8 || (header[0] >> 4) > 7 || (header[1] & 0x20))
        return NULL;
    CImageShims_Inflate *inflater = calloc(1, sizeof *inflater);
    if (!inflater)
        return NULL;
    if (inflateInit2(&inflater->stream, -15) != Z_OK) {
        free(inflater);
        return NULL;
    }
    return inflater;
}

int CImageShims_InflateFeed(CImageShims_Inflate *inflater, const uint8_t *data, size_t length, size_t maxOutput,
                            size_t *produced) {
    if (inflater->ended) {
        inflater->trailing += length;
        return 0;
    }
    uint8_t out[16384];
    size_t made = 0;
    z_stream *stream = &inflater->stream;
    for (;;) {
        size_t chunk = length > (1u << 30) ? (1u << 30) : length;
        stream->next_in = (Bytef *) data;
        stream->avail_in = (uInt) chunk;
        stream->next_out = out;
        stream->avail_out = sizeof out;
        int status = inflate(stream, Z_NO_FLUSH);
        size_t used = chunk - stream->avail_in;
        data += used;
        length -= used;
        made += sizeof out - stream->avail_out;
        *produced += sizeof out - stream->avail_out;
        if (status == Z_STREAM_END) {
            inflater->ended = 1;
            inflater->trailing += length;
            return 0;
        }
        if (status != Z_OK && status != Z_BUF_ERROR)
            return -1;
        if (made > maxOutput)
            return -2;
        /* All input taken and the output not full: inflate wants the next piece. */
        if (length == 0 && stream->avail_out != 0)
            return 1;
    }
}

size_t CImageShims_InflateTrailing(const CImageShims_Inflate *inflater) { return inflater->trailing; }

void CImageShims_InflateClose(CImageShims_Inflate *inflater) {
    if (!inflater)
        return;
    inflateEnd(&inflater->stream);
    free(inflater);
}

double CImageShims_monotonicSeconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double) t.tv_sec + (double) t.tv_nsec / 1e9;
}
