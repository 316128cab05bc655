/* Unlinked temporary files for decoders that must hold a whole image (README, "Memory"):
 * progressive JPEG coefficients and interlaced PNG passes go there instead of the heap. */

#ifndef CIMAGESHIMS_SPILL_FILE_H
#define CIMAGESHIMS_SPILL_FILE_H

#include <stddef.h>
#include <sys/types.h>

/* Creates a file in $TMPDIR and unlinks it at once, with `reserve` bytes of blocks allocated
 * (posix_fallocate; 0 for none), so that writes up to that size cannot fail for lack of space.
 * When $TMPDIR cannot be used or cannot hold the reservation (a full disk), /tmp is tried.
 * Returns a descriptor or -1. */
int CImageShims_spillOpen(size_t reserve);
/* The same in one folder. */
int CImageShims_spillOpenIn(const char *dir, size_t reserve);
/* The folders to try, in order, for `which` = 0, 1, …: $TMPDIR (when set and not /tmp by any spelling), then
 * /tmp; NULL after the last. */
const char *CImageShims_spillFolders(int which);
/* Whole transfers at `offset`, retried on EINTR and short counts. Return 0, or -1 on failure. */
int CImageShims_spillWrite(int fd, const void *data, size_t length, off_t offset);
int CImageShims_spillRead(int fd, void *data, size_t length, off_t offset);

#endif
