/* Loads libheif on first use (heif_library.h). */

#include "CImageShims.h"
#include "heif_library.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>

static struct CImageShims_HEIFLibrary library;
static const char *failure;

static void CImageShims_heifLoad(void) {
    /* Debian 12's libheif1 (1.15); the soname has been libheif.so.1 since 1.0. */
    void *handle = dlopen("libheif.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        failure = "reading it needs libheif (Debian package libheif1), which could not be loaded";
        return;
    }
#define CIMAGESHIMS_HEIF_RESOLVE(name)                                                     \
    library.name = (__typeof__(name) *) dlsym(handle, #name);                              \
    if (!library.name) {                                                                   \
        failure = "the libheif found lacks " #name " (libheif 1.13 or later is needed)"; \
        return;                                                                            \
    }
    CIMAGESHIMS_HEIF_FUNCTIONS(CIMAGESHIMS_HEIF_RESOLVE)
#undef CIMAGESHIMS_HEIF_RESOLVE
    /* libheif registers its decoders here; once, before any parallel use, never undone. */
    (void) library.heif_init(NULL);
}

const struct CImageShims_HEIFLibrary *CImageShims_heifLibrary(void) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, CImageShims_heifLoad);
    return failure ? NULL : &library;
}

const char *CImageShims_HEIFUnavailable(void) {
    CImageShims_heifLibrary();
    return failure;
}
