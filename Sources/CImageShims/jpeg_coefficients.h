/* Whole-image DCT coefficient arrays for multi-scan (progressive) JPEGs, kept in memory when small
 * and in an unlinked temporary file when large, so that a decode stays inside the memory bound of
 * one job whatever the image size (README, "Memory"). */

#ifndef CIMAGESHIMS_JPEG_COEFFICIENTS_H
#define CIMAGESHIMS_JPEG_COEFFICIENTS_H

#include <stdio.h>
#include <jpeglib.h>

typedef struct {
    struct jvirt_barray_control *arrays;  /* requested for the current image */
    int spillFD;                          /* -1 while nothing is spilled */
    size_t inMemoryBytes;                 /* larger coefficient arrays are spilled */
    void (*realize)(j_common_ptr cinfo);  /* libjpeg's own manager, for everything else */
    void (*freePool)(j_common_ptr cinfo, int pool);
    void (*selfDestruct)(j_common_ptr cinfo);
} CImageShims_CoefficientStore;

/* Takes over libjpeg's coefficient (block) virtual arrays. `cinfo->client_data` must point at a
 * struct whose first member is `store`. Call once, right after jpeg_create_decompress. */
void CImageShims_coefficientStoreInstall(j_common_ptr cinfo, CImageShims_CoefficientStore *store);

#endif
