/* The input every decoder reads (CImageShims_Input): one file, by descriptor or in memory. */

#include "CImageShims.h"

#include <errno.h>
#include <unistd.h>

size_t CImageShims_InputAt(const CImageShims_Input *input, uint64_t offset, uint8_t *scratch, size_t scratchSize,
                           const uint8_t **bytes) {
    *bytes = scratch;
    if (input->fd < 0) {
        if (offset >= input->length)
            return 0;
        *bytes = input->data + offset;
        return input->length - (size_t) offset;
    }
    ssize_t got;
    do {
        got = pread(input->fd, scratch, scratchSize, (off_t) offset);
    } while (got < 0 && errno == EINTR);
    return got > 0 ? (size_t) got : 0;
}
