/* Unlinked temporary files for whole-image decoder buffers (see spill_file.h). */

#define _GNU_SOURCE  /* mkostemp */
#include "spill_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int CImageShims_spillOpenIn(const char *dir, size_t reserve) {
    char path[4096];
    if (!dir || !*dir || snprintf(path, sizeof path, "%s/ikmeta-spill-XXXXXX", dir) >= (int) sizeof path)
        return -1;
    int fd = mkostemp(path, O_CLOEXEC);
    if (fd < 0)
        return -1;
    unlink(path);
    if (reserve > 0 && posix_fallocate(fd, 0, (off_t) reserve) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* $TMPDIR first; when it is unset, missing, unwritable or full, the system's folder. */
int CImageShims_spillOpen(size_t reserve) {
    int fd = -1;
    const char *dir;
    for (int which = 0; fd < 0 && (dir = CImageShims_spillFolders(which)); which++)
        fd = CImageShims_spillOpenIn(dir, reserve);
    return fd;
}

/* Whether `dir` is /tmp itself, by any spelling (`/tmp/`, a link to it). */
static int CImageShims_isSystemFolder(const char *dir) {
    struct stat a, b;
    return stat(dir, &a) == 0 && stat("/tmp", &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

const char *CImageShims_spillFolders(int which) {
    const char *tmpdir = getenv("TMPDIR");
    int usable = tmpdir && *tmpdir && !CImageShims_isSystemFolder(tmpdir);
    if (which == 0)
        return usable ? tmpdir : "/tmp";
    return which == 1 && usable ? "/tmp" : NULL;
}

/* The whole of `length` bytes at `offset`, retried on EINTR and short counts. */
static int CImageShims_spillTransfer(int fd, char *bytes, size_t length, off_t offset, int writing) {
    while (length > 0) {
        ssize_t done = writing ? pwrite(fd, bytes, length, offset) : pread(fd, bytes, length, offset);
        if (done < 0 && errno == EINTR)
            continue;
        if (done <= 0)
            return -1;
        bytes += done;
        length -= (size_t) done;
        offset += done;
    }
    return 0;
}

int CImageShims_spillWrite(int fd, const void *data, size_t length, off_t offset) {
    return CImageShims_spillTransfer(fd, (char *) data, length, offset, 1);
}

int CImageShims_spillRead(int fd, void *data, size_t length, off_t offset) {
    return CImageShims_spillTransfer(fd, data, length, offset, 0);
}
