/* zlib decompression into a caller's buffer of bounded size (PNG iCCP and zTXt/iTXt text). */

#include "CImageShims.h"

#include <string.h>
#include <zlib.h>

long CImageShims_InflateAll(const uint8_t *data, size_t length, uint8_t *out, size_t capacity) {
    z_stream stream;
    memset(&stream, 0, sizeof stream);
    if (length > (1u << 30) || capacity > (1u << 30) || inflateInit(&stream) != Z_OK)
        return -1;
    stream.next_in = (Bytef *) data;
    stream.avail_in = (uInt) length;
    stream.next_out = out;
    stream.avail_out = (uInt) capacity;
    int status = inflate(&stream, Z_FINISH);
    long produced = (long) (capacity - stream.avail_out);
    inflateEnd(&stream);
    /* Z_BUF_ERROR with a full buffer: more output than the caller allows. */
    if (status != Z_STREAM_END)
        return -1;
    return produced;
}
