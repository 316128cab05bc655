/* Run-time version queries for `ikmeta --version` (CImageShims_versions.h). */

#define _GNU_SOURCE
#include "CImageShims.h"

#include <dlfcn.h>
#include <stdio.h>
#include <jpeglib.h>
#include <jerror.h>
#include <png.h>
#include <zlib.h>
#include <gif_lib.h>
#include <webp/decode.h>
#include <tiffio.h>
#include "heif_library.h"

const char *CImageShims_JPEGVersion(void) {
    /* jpeg_std_error only fills in function pointers and the message table: it cannot fail. */
    struct jpeg_error_mgr errors;
    jpeg_std_error(&errors);
    if (errors.jpeg_message_table == NULL || errors.last_jpeg_message < JMSG_VERSION) return NULL;
    return errors.jpeg_message_table[JMSG_VERSION];
}

const void *CImageShims_JPEGSymbol(void) {
    return (const void *)&jpeg_std_error;
}

const char *CImageShims_PNGVersion(void) {
    return png_get_libpng_ver(NULL);
}

const char *CImageShims_ZlibVersion(void) {
    return zlibVersion();
}

const void *CImageShims_GIFSymbol(void) {
    return (const void *)&DGifOpen;
}

int CImageShims_WebPVersion(void) {
    return WebPGetDecoderVersion();
}

const char *CImageShims_TIFFVersion(void) {
    return TIFFGetVersion();
}

/* Loads libheif (heif_library.h): NULL when it cannot be loaded. */
const char *CImageShims_HEIFVersion(void) {
    const struct CImageShims_HEIFLibrary *library = CImageShims_heifLibrary();
    return library ? library->heif_get_version() : NULL;
}

const char *CImageShims_LoadedFile(const void *symbol) {
    Dl_info info;
    if (symbol == NULL || dladdr(symbol, &info) == 0) return NULL;
    return info.dli_fname;
}
