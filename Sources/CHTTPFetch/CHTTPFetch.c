// An HTTP GET through libcurl, opened with dlopen only when `ikmeta verify` runs, so that no other
// command loads libcurl and its libraries at start-up (README "Local ImageKit for tests").
#include "CHTTPFetch.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// The few libcurl numbers used here, from <curl/curl.h>. Option ids are a type base (0 long,
// 10000 pointer, 20000 function) plus a fixed number; they are part of libcurl's stable ABI.
enum {
    CURLE_OK = 0,
    CURLE_WRITE_ERROR = 23,
    CURL_GLOBAL_DEFAULT = 3,
    CURL_ERROR_SIZE = 256,
    CURLOPT_WRITEDATA = 10001,
    CURLOPT_URL = 10002,
    CURLOPT_ERRORBUFFER = 10010,
    CURLOPT_USERAGENT = 10018,
    CURLOPT_USERNAME = 10173,
    CURLOPT_PASSWORD = 10174,
    CURLOPT_WRITEFUNCTION = 20011,
    CURLOPT_FOLLOWLOCATION = 52,
    CURLOPT_MAXREDIRS = 68,
    CURLOPT_NOSIGNAL = 99,
    CURLOPT_HTTPAUTH = 107,
    CURLOPT_TIMEOUT_MS = 155,
    // The bit-mask forms (libcurl 7.19.4 and later), not the newer *_STR ones (7.85), so that
    // older distributions' libcurl works too.
    CURLOPT_PROTOCOLS = 181,
    CURLOPT_REDIR_PROTOCOLS = 182,
    CURLPROTO_HTTP_HTTPS = 1 | 2,
    CURLAUTH_BASIC = 1,
    CURLINFO_RESPONSE_CODE = 0x200000 + 2,
};

typedef int (*GlobalInit)(long flags);
typedef void *(*EasyInit)(void);
typedef int (*EasySetopt)(void *handle, int option, ...);
typedef int (*EasyPerform)(void *handle);
typedef int (*EasyGetinfo)(void *handle, int info, ...);
typedef void (*EasyCleanup)(void *handle);
typedef const char *(*EasyStrerror)(int code);

static struct {
    GlobalInit globalInit;
    EasyInit init;
    EasySetopt setopt;
    EasyPerform perform;
    EasyGetinfo getinfo;
    EasyCleanup cleanup;
    EasyStrerror strerror;
    const char *failure;
} curl;

static pthread_once_t loadOnce = PTHREAD_ONCE_INIT;

static void load(void) {
    void *library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        curl.failure = "verify needs libcurl (Debian package libcurl4), which could not be loaded";
        return;
    }
    curl.globalInit = (GlobalInit)dlsym(library, "curl_global_init");
    curl.init = (EasyInit)dlsym(library, "curl_easy_init");
    curl.setopt = (EasySetopt)dlsym(library, "curl_easy_setopt");
    curl.perform = (EasyPerform)dlsym(library, "curl_easy_perform");
    curl.getinfo = (EasyGetinfo)dlsym(library, "curl_easy_getinfo");
    curl.cleanup = (EasyCleanup)dlsym(library, "curl_easy_cleanup");
    curl.strerror = (EasyStrerror)dlsym(library, "curl_easy_strerror");
    if (!curl.globalInit || !curl.init || !curl.setopt || !curl.perform || !curl.getinfo || !curl.cleanup
        || !curl.strerror) {
        curl.failure = "the libcurl found lacks the curl_easy functions verify needs";
        return;
    }
    if (curl.globalInit(CURL_GLOBAL_DEFAULT) != CURLE_OK) curl.failure = "libcurl could not be initialised";
}

typedef struct {
    CHTTPFetch_Response *response;
    size_t capacity;
    size_t maxBody;
    int tooLarge;
} Sink;

/// libcurl's write callback: appends to the growing body; returning less than given stops the transfer.
static size_t append(char *data, size_t size, size_t count, void *context) {
    Sink *sink = context;
    CHTTPFetch_Response *response = sink->response;
    size_t bytes = size * count;
    if (bytes > sink->maxBody - response->length) {
        sink->tooLarge = 1;
        return 0;
    }
    size_t needed = response->length + bytes;
    if (needed > sink->capacity) {
        size_t capacity = sink->capacity ? sink->capacity : 16384;
        while (capacity < needed) capacity *= 2;
        unsigned char *grown = realloc(response->body, capacity);
        if (grown == NULL) return 0;
        response->body = grown;
        sink->capacity = capacity;
    }
    memcpy(response->body + response->length, data, bytes);
    response->length = needed;
    return bytes;
}

static int fail(CHTTPFetch_Response *out, const char *message) {
    out->error = strdup(message ? message : "unknown error");
    return -1;
}

int CHTTPFetch_get(const char *url, const char *user, long timeoutMilliseconds, size_t maxBody,
                   CHTTPFetch_Response *out) {
    memset(out, 0, sizeof *out);
    pthread_once(&loadOnce, load);
    if (curl.failure) return fail(out, curl.failure);
    void *handle = curl.init();
    if (handle == NULL) return fail(out, "libcurl could not create a request");

    char detail[CURL_ERROR_SIZE] = "";
    Sink sink = {out, 0, maxBody, 0};
    int code = CURLE_OK;
    // Each setopt is checked; the first failure names itself through curl_easy_strerror below.
    if (code == CURLE_OK) code = curl.setopt(handle, CURLOPT_URL, url);
    if (code == CURLE_OK) code = curl.setopt(handle, CURLOPT_ERRORBUFFER, detail);
    if (code == CURLE_OK) code = curl.setopt(handle, CURLOPT_PROTOCOLS, (long)CURLPROTO_HTTP_HTTPS);
    if (code == CURLE_OK) code = curl.setopt(handle, CURLOPT_REDIR_PROTOCOLS, (long)CURLPROTO_HTTP_HTTPS);
    if (code == CURLE_OK) code = curl.setopt(handle, CURLOPT_FOLLOWLOCATION, 1L);
    if (code == CURLE_OK) code = curl.setopt(handle, CURLOPT_MAXREDIRS, 5L);
    if (code == CURLE_OK) code = curl.setopt(handle, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
    if (code == CURLE_OK) code = curl.setopt(handle, CURLOPT_USERNAME, user);
    if (code == CURLE_OK) code = curl.setopt(handle, CURLOPT_PASSWORD, "");
    if (code == CURLE_OK) code = curl.setopt(handle, CURLOPT_USERAGENT, "ikmeta");
    if (code == CURLE_OK) code = curl.setopt(handle, CURLOPT_NOSIGNAL, 1L);
    if (code == CURLE_OK) code = curl.setopt(handle, CURLOPT_TIMEOUT_MS, timeoutMilliseconds);
    if (code == CURLE_OK) code = curl.setopt(handle, CURLOPT_WRITEFUNCTION, append);
    if (code == CURLE_OK) code = curl.setopt(handle, CURLOPT_WRITEDATA, (void *)&sink);
    if (code == CURLE_OK) code = curl.perform(handle);
    if (code == CURLE_OK) code = curl.getinfo(handle, CURLINFO_RESPONSE_CODE, &out->status);
    curl.cleanup(handle);
    if (code == CURLE_OK) return 0;

    free(out->body);
    out->body = NULL;
    out->length = 0;
    if (code == CURLE_WRITE_ERROR && sink.tooLarge) {
        char message[96];
        snprintf(message, sizeof message, "the response is larger than %zu bytes", maxBody);
        return fail(out, message);
    }
    return fail(out, detail[0] ? detail : curl.strerror(code));
}

void CHTTPFetch_free(CHTTPFetch_Response *response) {
    free(response->body);
    free(response->error);
    response->body = NULL;
    response->error = NULL;
    response->length = 0;
}
