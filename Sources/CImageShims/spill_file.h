/* Unlinked temporary files for decoders that must hold a whole image (README, "Memory"):
 * progressive JPEG coefficients and interlaced PNG passes go there instead of the heap. */

#ifndef CIMAGESHIMS_SPILL_FILE_H
#define CIMAGESHIMS_SPILL_FILE_H

#include <stddef.h>
#include <sys/types.h>

/* Creates a file in $TMPDIR (or, when that fails, /tmp) and unlinks it at once. Returns a descriptor or -1. */
int CImageShims_spillOpen(void);
/* Whole transfers at `offset`, retried on EINTR and short counts. Return 0, or -1 on failure. */
int CImageShims_spillWrite(int fd, const void *data, size_t length, off_t offset);
int CImageShims_spillRead(int fd, void *data, size_t length, off_t offset);

#endif
