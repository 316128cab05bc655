/* A zlib stream check with libspng 0.6.0's outcome (libvips-pipeline.md §15.1). */

#include "CImageShims.h"

#include <string.h>
#include <zlib.h>

int CImageShims_InflateCheck(const uint8_t *data, size_t length) {
    if (length < 2)
        return 0;
    unsigned header = (unsigned) data[0] << 8 | data[1];
    if (header % 31 != 0 || (data[0] & 15) != 8 || (data[0] >> 4) > 7 || (data[1] & 0x20))
        return 0;
    z_stream stream;
    memset(&stream, 0, sizeof stream);
    if (inflateInit2(&stream, -15) != Z_OK)
        return 0;
    uint8_t out[16384];
    size_t produced = 0;
    size_t offset = 2;
    int status = Z_OK;
    while (status == Z_OK) {
        size_t chunk = length - offset;
        if (chunk > (1u << 30))
            chunk = 1u << 30;
        stream.next_in = (Bytef *) (data + offset);
        stream.avail_in = (uInt) chunk;
        stream.next_out = out;
        stream.avail_out = sizeof out;
        status = inflate(&stream, Z_NO_FLUSH);
        offset += chunk - stream.avail_in;
        produced += sizeof out - stream.avail_out;
        if (status == Z_BUF_ERROR && stream.avail_in == 0)
            break; /* the stream does not end inside the data */
    }
    inflateEnd(&stream);
    return status == Z_STREAM_END && produced > 0 && length - offset >= 4;
}
