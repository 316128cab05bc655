/* libjpeg keeps every DCT coefficient of a multi-scan JPEG until the last scan has been read: 2 bytes
 * per sample, 118 MB for a 36-megapixel progressive photo. Its memory manager lets a client replace
 * the block virtual arrays (jpeglib.h, `struct jpeg_memory_mgr`); this store keeps them whole in
 * memory up to `inMemoryBytes` in all, and otherwise in an unlinked temporary file with
 * a window of rows in memory. libjpeg visits the rows in order, once per scan and once for output,
 * so the file is read and written sequentially. The access rules are libjpeg's own (jmemmgr.c):
 * a window of at most `maxaccess` rows, rows never written read as zero when `pre_zero` is set, and
 * writes that may not skip rows. */

#include "jpeg_coefficients.h"
#include "spill_file.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jerror.h>

/* Memory for the windows of all spilled arrays together: 4 MiB, or less under a small
 * `inMemoryBytes` (which tests use to make the window move often). */
static size_t windowBudget(const CImageShims_CoefficientStore *store) {
    size_t budget = (size_t) 4 << 20;
    return store->inMemoryBytes / 4 < budget ? store->inMemoryBytes / 4 : budget;
}

struct jvirt_barray_control {
    JDIMENSION rows, blocksPerRow, maxAccess;
    boolean preZero;
    size_t rowBytes;
    JBLOCKARRAY window;       /* row pointers into `data` */
    JBLOCK *data;
    JDIMENSION windowRows;    /* == rows when the array is whole in memory */
    JDIMENSION windowStart;   /* first array row held in the window */
    JDIMENSION firstUndefined;/* rows from here on were never written */
    boolean dirty;
    off_t fileOffset;         /* where row 0 lives in the spill file */
    struct jvirt_barray_control *next;
};

static CImageShims_CoefficientStore *storeOf(j_common_ptr cinfo) {
    return (CImageShims_CoefficientStore *) cinfo->client_data;
}

static jvirt_barray_ptr storeRequest(j_common_ptr cinfo, int pool, boolean preZero, JDIMENSION blocksPerRow,
                                JDIMENSION rows, JDIMENSION maxAccess) {
    if (pool != JPOOL_IMAGE)
        ERREXIT1(cinfo, JERR_BAD_POOL_ID, pool);
    struct jvirt_barray_control *array = calloc(1, sizeof *array);
    if (!array)
        ERREXIT1(cinfo, JERR_OUT_OF_MEMORY, 1);
    array->rows = rows;
    array->blocksPerRow = blocksPerRow;
    array->maxAccess = maxAccess;
    array->preZero = preZero;
    array->rowBytes = (size_t) blocksPerRow * sizeof(JBLOCK);
    CImageShims_CoefficientStore *store = storeOf(cinfo);
    array->next = store->arrays;
    store->arrays = array;
    return array;
}

static void storeRealize(j_common_ptr cinfo) {
    CImageShims_CoefficientStore *store = storeOf(cinfo);
    store->realize(cinfo);
    size_t total = 0, count = 0;
    for (struct jvirt_barray_control *a = store->arrays; a; a = a->next) {
        if (a->window)
            continue;
        total += a->rowBytes * a->rows;
        count++;
    }
    if (count == 0)
        return;
    if (total > store->inMemoryBytes && store->spillFD < 0) {
        store->spillFD = CImageShims_spillOpen(total);
        /* Never more than the memory budget: without a temporary file the file cannot be read. */
        if (store->spillFD < 0)
            ERREXIT(cinfo, JERR_TFILE_CREATE);
    }
    int spill = total > store->inMemoryBytes;
    off_t offset = 0;
    for (struct jvirt_barray_control *a = store->arrays; a; a = a->next) {
        if (a->window)
            continue;
        JDIMENSION windowRows = a->rows;
        if (spill) {
            size_t fit = a->rowBytes ? windowBudget(store) / count / a->rowBytes : a->rows;
            windowRows = fit < a->maxAccess ? a->maxAccess : (JDIMENSION) fit;
            if (windowRows > a->rows)
                windowRows = a->rows;
            a->fileOffset = offset;
            offset += (off_t) (a->rowBytes * a->rows);
        }
        if (windowRows == 0)
            windowRows = 1;
        a->windowRows = windowRows;
        a->data = malloc(a->rowBytes * windowRows + 1);
        a->window = malloc(sizeof(JBLOCKROW) * windowRows);
        if (!a->data || !a->window)
            ERREXIT1(cinfo, JERR_OUT_OF_MEMORY, 2);
        for (JDIMENSION r = 0; r < windowRows; r++)
            a->window[r] = (JBLOCKROW) ((char *) a->data + a->rowBytes * r);
    }
}

/* Rows of the window that hold data: never beyond the array or the last row written. */
static JDIMENSION definedRows(const struct jvirt_barray_control *a, JDIMENSION start) {
    JDIMENSION end = start + a->windowRows;
    if (end > a->rows)
        end = a->rows;
    if (end > a->firstUndefined)
        end = a->firstUndefined;
    return end > start ? end - start : 0;
}

static void moveWindow(j_common_ptr cinfo, struct jvirt_barray_control *a, JDIMENSION start, JDIMENSION end) {
    int fd = storeOf(cinfo)->spillFD;
    if (a->dirty) {
        JDIMENSION n = definedRows(a, a->windowStart);
        if (n && CImageShims_spillWrite(fd, a->data, a->rowBytes * n,
                                        a->fileOffset + (off_t) (a->rowBytes * a->windowStart)) != 0)
            ERREXIT(cinfo, JERR_TFILE_WRITE);
        a->dirty = FALSE;
    }
    /* Moving forward, the window starts at `start`; moving back, it ends at `end`. */
    if (start > a->windowStart)
        a->windowStart = start;
    else
        a->windowStart = end > a->windowRows ? end - a->windowRows : 0;
    JDIMENSION n = definedRows(a, a->windowStart);
    if (n && CImageShims_spillRead(fd, a->data, a->rowBytes * n,
                                   a->fileOffset + (off_t) (a->rowBytes * a->windowStart)) != 0)
        ERREXIT(cinfo, JERR_TFILE_READ);
}

static JBLOCKARRAY storeAccess(j_common_ptr cinfo, jvirt_barray_ptr a, JDIMENSION start, JDIMENSION count,
                          boolean writable) {
    JDIMENSION end = start + count;
    if (end < start || end > a->rows || count > a->maxAccess || !a->window)
        ERREXIT(cinfo, JERR_BAD_VIRTUAL_ACCESS);
    if (start < a->windowStart || end > a->windowStart + a->windowRows)
        moveWindow(cinfo, a, start, end);
    if (a->firstUndefined < end) {
        JDIMENSION undefined;
        if (a->firstUndefined < start) {
            if (writable)
                ERREXIT(cinfo, JERR_BAD_VIRTUAL_ACCESS);
            undefined = start;
        } else {
            undefined = a->firstUndefined;
        }
        if (writable)
            a->firstUndefined = end;
        if (a->preZero)
            memset((char *) a->data + a->rowBytes * (undefined - a->windowStart), 0,
                   a->rowBytes * (end - undefined));
        else if (!writable)
            ERREXIT(cinfo, JERR_BAD_VIRTUAL_ACCESS);
    }
    if (writable)
        a->dirty = TRUE;
    return a->window + (start - a->windowStart);
}

static void storeRelease(CImageShims_CoefficientStore *store) {
    while (store->arrays) {
        struct jvirt_barray_control *a = store->arrays;
        store->arrays = a->next;
        free(a->data);
        free(a->window);
        free(a);
    }
    if (store->spillFD >= 0)
        close(store->spillFD);
    store->spillFD = -1;
}

static void storeFreePool(j_common_ptr cinfo, int pool) {
    CImageShims_CoefficientStore *store = storeOf(cinfo);
    if (pool == JPOOL_IMAGE)
        storeRelease(store);
    store->freePool(cinfo, pool);
}

static void storeSelfDestruct(j_common_ptr cinfo) {
    CImageShims_CoefficientStore *store = storeOf(cinfo);
    storeRelease(store);
    store->selfDestruct(cinfo);
}

void CImageShims_coefficientStoreInstall(j_common_ptr cinfo, CImageShims_CoefficientStore *store) {
    store->arrays = NULL;
    store->spillFD = -1;
    store->inMemoryBytes = (size_t) -1;
    store->realize = cinfo->mem->realize_virt_arrays;
    store->freePool = cinfo->mem->free_pool;
    store->selfDestruct = cinfo->mem->self_destruct;
    cinfo->mem->request_virt_barray = storeRequest;
    cinfo->mem->realize_virt_arrays = storeRealize;
    cinfo->mem->access_virt_barray = storeAccess;
    cinfo->mem->free_pool = storeFreePool;
    cinfo->mem->self_destruct = storeSelfDestruct;
}
