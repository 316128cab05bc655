#ifndef CIMAGESHIMS_VERSIONS_H
#define CIMAGESHIMS_VERSIONS_H

/* The versions of the C libraries as loaded at run time (for `ikmeta --version`), asked of each
 * library itself rather than of the headers it was built against. */

/* The libjpeg API version libjpeg-turbo emulates, from its message table ("6b  27-Mar-1998"):
 * libjpeg-turbo has no call that reports its own release, so CImageShims_JPEGSymbol locates the
 * shared object (libjpeg.so.62.3.0) with CImageShims_LoadedFile. */
const char *CImageShims_JPEGVersion(void);
const void *CImageShims_JPEGSymbol(void);
/* libpng's version text ("1.6.39"). */
const char *CImageShims_PNGVersion(void);
/* zlib's version text ("1.2.13"). */
const char *CImageShims_ZlibVersion(void);
/* giflib has no call that reports its release either: the address of DGifOpen, for
 * CImageShims_LoadedFile (libgif.so.7.2.0). */
const void *CImageShims_GIFSymbol(void);
/* libwebp's decoder version as 0xMMmmpp (0x010202 is 1.2.2). */
int CImageShims_WebPVersion(void);
/* libtiff's banner ("LIBTIFF, Version 4.5.0\nCopyright ..."). */
const char *CImageShims_TIFFVersion(void);
/* libheif's version text ("1.15.1"). */
const char *CImageShims_HEIFVersion(void);
/* The path of the shared object that holds `symbol`, as the dynamic loader reports it; NULL when
 * the symbol is linked statically or the loader does not know it. */
const char *CImageShims_LoadedFile(const void *symbol);

#endif
