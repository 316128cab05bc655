/* libjpeg-turbo decoding behind setjmp (SPEC §4 step 1; libvips-pipeline.md §1, §15.2). */

#include "CImageShims.h"
#include "jpeg_coefficients.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <jerror.h>

#define CIMAGESHIMS_JPEG_BUFFER 65536
#define CIMAGESHIMS_JPEG_MAX_ROWS 16

struct CImageShims_JPEG {
    CImageShims_CoefficientStore store;  /* first: jpeg_coefficients.c finds it via client_data */
    struct jpeg_decompress_struct cinfo;
    struct jpeg_error_mgr err;
    struct jpeg_source_mgr src;
    struct jpeg_progress_mgr progress;
    double deadline;  /* CLOCK_MONOTONIC seconds; 0 for none */
    int maxScans;     /* 0 for no cap */
    jmp_buf jump;
    int created;
    int started;
    int status;
    char message[JMSG_LENGTH_MAX + 64];
    CImageShims_Input input;
    uint64_t position;
    uint8_t buffer[CIMAGESHIMS_JPEG_BUFFER];
};

static const JOCTET CImageShims_fakeEOI[2] = { 0xFF, JPEG_EOI };

static void CImageShims_jpegErrorExit(j_common_ptr cinfo) {
    CImageShims_JPEG *jpeg = (CImageShims_JPEG *) cinfo->client_data;
    (*cinfo->err->format_message)(cinfo, jpeg->message);
    int code = cinfo->err->msg_code;
    jpeg->status = code == JERR_TFILE_CREATE || code == JERR_TFILE_READ || code == JERR_TFILE_WRITE
        ? CImageShims_TEMPORARY_FILE : CImageShims_ERROR;
    /* libjpeg's text names a file ("Failed to create temporary file ."); the store names none. */
    if (code == JERR_TFILE_CREATE)
        snprintf(jpeg->message, sizeof jpeg->message, "no temporary file in $TMPDIR or /tmp could hold the coefficients");
    longjmp(jpeg->jump, 1);
}

/* Warnings are counted by libjpeg's own emit_message; the first one's text is kept. */
static void CImageShims_jpegOutputMessage(j_common_ptr cinfo) {
    CImageShims_JPEG *jpeg = (CImageShims_JPEG *) cinfo->client_data;
    if (jpeg->message[0] == 0)
        (*cinfo->err->format_message)(cinfo, jpeg->message);
}

/* libjpeg calls this while it consumes input, for every iMCU row of every scan of a progressive
 * file before the first output row: the place to stop a file of thousands of tiny scans. */
static void CImageShims_jpegProgress(j_common_ptr common) {
    CImageShims_JPEG *jpeg = (CImageShims_JPEG *) common->client_data;
    if (jpeg->maxScans > 0 && jpeg->cinfo.input_scan_number > jpeg->maxScans) {
        snprintf(jpeg->message, sizeof jpeg->message, "the file has more than %d scans", jpeg->maxScans);
        jpeg->status = CImageShims_SCAN_LIMIT;
        longjmp(jpeg->jump, 1);
    }
    if (jpeg->deadline > 0 && CImageShims_monotonicSeconds() > jpeg->deadline) {
        strcpy(jpeg->message, "the time limit was reached");
        jpeg->status = CImageShims_TIME_LIMIT;
        longjmp(jpeg->jump, 1);
    }
}

void CImageShims_JPEGSetLimits(CImageShims_JPEG *jpeg, double seconds, int maxScans) {
    jpeg->deadline = CImageShims_monotonicSeconds() + (seconds > 0 ? seconds : 0);
    jpeg->maxScans = maxScans;
    jpeg->progress.progress_monitor = CImageShims_jpegProgress;
    if (jpeg->created)
        jpeg->cinfo.progress = &jpeg->progress;
}

static void CImageShims_jpegInitSource(j_decompress_ptr cinfo) { (void) cinfo; }
static void CImageShims_jpegTermSource(j_decompress_ptr cinfo) { (void) cinfo; }

/* At the end of the data: warn (JWRN_JPEG_EOF) and insert an EOI, as libvips' source does. */
static boolean CImageShims_jpegFill(j_decompress_ptr cinfo) {
    CImageShims_JPEG *jpeg = (CImageShims_JPEG *) cinfo->client_data;
    const uint8_t *bytes = NULL;
    size_t got = CImageShims_InputAt(&jpeg->input, jpeg->position, jpeg->buffer, CIMAGESHIMS_JPEG_BUFFER, &bytes);
    if (got > 0) {
        jpeg->position += got;
        jpeg->src.next_input_byte = bytes;
        jpeg->src.bytes_in_buffer = got;
        return TRUE;
    }
    WARNMS(cinfo, JWRN_JPEG_EOF);
    jpeg->src.next_input_byte = CImageShims_fakeEOI;
    jpeg->src.bytes_in_buffer = 2;
    return TRUE;
}

static void CImageShims_jpegSkip(j_decompress_ptr cinfo, long count) {
    CImageShims_JPEG *jpeg = (CImageShims_JPEG *) cinfo->client_data;
    if (count <= 0)
        return;
    while (count > (long) jpeg->src.bytes_in_buffer) {
        count -= (long) jpeg->src.bytes_in_buffer;
        CImageShims_jpegFill(cinfo);
    }
    jpeg->src.next_input_byte += count;
    jpeg->src.bytes_in_buffer -= (size_t) count;
}

CImageShims_JPEG *CImageShims_JPEGOpen(const CImageShims_Input *input) {
    CImageShims_JPEG *jpeg = calloc(1, sizeof(CImageShims_JPEG));
    if (!jpeg)
        return NULL;
    jpeg->input = *input;
    jpeg->cinfo.err = jpeg_std_error(&jpeg->err);
    jpeg->err.error_exit = CImageShims_jpegErrorExit;
    jpeg->err.output_message = CImageShims_jpegOutputMessage;
    jpeg->cinfo.client_data = jpeg;
    if (setjmp(jpeg->jump))
        return jpeg;  /* status and message already set */
    jpeg_create_decompress(&jpeg->cinfo);
    jpeg->created = 1;
    CImageShims_coefficientStoreInstall((j_common_ptr) &jpeg->cinfo, &jpeg->store);
    jpeg->src.init_source = CImageShims_jpegInitSource;
    jpeg->src.fill_input_buffer = CImageShims_jpegFill;
    jpeg->src.skip_input_data = CImageShims_jpegSkip;
    jpeg->src.resync_to_restart = jpeg_resync_to_restart;
    jpeg->src.term_source = CImageShims_jpegTermSource;
    jpeg->cinfo.src = &jpeg->src;
    return jpeg;
}

int CImageShims_JPEGStart(CImageShims_JPEG *jpeg, int scaleDenom, size_t inMemoryBytes, CImageShims_JPEGInfo *info) {
    if (jpeg->status != CImageShims_OK || !jpeg->created || jpeg->started)
        return CImageShims_ERROR;
    if (setjmp(jpeg->jump))
        return jpeg->status;
    struct jpeg_decompress_struct *cinfo = &jpeg->cinfo;
    jpeg->store.inMemoryBytes = inMemoryBytes;
    jpeg_read_header(cinfo, TRUE);
    cinfo->scale_num = 1;
    cinfo->scale_denom = (unsigned int) (scaleDenom > 0 ? scaleDenom : 1);
    /* libvips takes what libjpeg picks, except that CMYK and YCCK both come out as CMYK. */
    switch (cinfo->out_color_space) {
    case JCS_GRAYSCALE:
        info->colorSpace = CImageShims_JPEG_GREY;
        break;
    case JCS_CMYK:
    case JCS_YCCK:
        cinfo->out_color_space = JCS_CMYK;
        info->colorSpace = CImageShims_JPEG_CMYK;
        break;
    default:
        cinfo->out_color_space = JCS_RGB;
        info->colorSpace = CImageShims_JPEG_RGB;
        break;
    }
    jpeg_start_decompress(cinfo);
    jpeg->started = 1;
    info->imageWidth = (int) cinfo->image_width;
    info->imageHeight = (int) cinfo->image_height;
    info->width = (int) cinfo->output_width;
    info->height = (int) cinfo->output_height;
    info->components = cinfo->output_components;
    return CImageShims_OK;
}

int CImageShims_JPEGReadRows(CImageShims_JPEG *jpeg, uint8_t *dst, size_t capacity, int rows, size_t stride) {
    if (jpeg->status != CImageShims_OK || !jpeg->started || rows < 0 || (size_t) rows > capacity / (stride ? stride : 1))
        return CImageShims_ERROR;
    /* `done` lives in the struct-free volatile so its value survives a longjmp. */
    volatile int done = 0;
    if (setjmp(jpeg->jump))
        return CImageShims_ERROR;
    struct jpeg_decompress_struct *cinfo = &jpeg->cinfo;
    /* All rows in one call: libjpeg then writes up to max_v_samp_factor rows of an upsampled
     * row group straight into them, instead of going through its one-row spare buffer. */
    JSAMPROW pointers[CIMAGESHIMS_JPEG_MAX_ROWS];
    while (done < rows && cinfo->output_scanline < cinfo->output_height) {
        int want = rows - done;
        if (want > CIMAGESHIMS_JPEG_MAX_ROWS)
            want = CIMAGESHIMS_JPEG_MAX_ROWS;
        for (int i = 0; i < want; i++)
            pointers[i] = dst + (size_t) (done + i) * stride;
        JDIMENSION got = jpeg_read_scanlines(cinfo, pointers, (JDIMENSION) want);
        if (got == 0)
            break;
        done += (int) got;
    }
    return done;
}

long CImageShims_JPEGWarnings(const CImageShims_JPEG *jpeg) { return jpeg->err.num_warnings; }
int CImageShims_JPEGStatus(const CImageShims_JPEG *jpeg) { return jpeg->status; }
const char *CImageShims_JPEGMessage(const CImageShims_JPEG *jpeg) { return jpeg->message; }

void CImageShims_JPEGClose(CImageShims_JPEG *jpeg) {
    if (!jpeg)
        return;
    if (jpeg->created)
        jpeg_destroy_decompress(&jpeg->cinfo);
    free(jpeg);
}
