#ifndef CHTTPFETCH_H
#define CHTTPFETCH_H

#include <stddef.h>

/// One finished GET: `status` and `body` when `error` is NULL, otherwise a message in `error`.
/// Everything it holds is released by CHTTPFetch_free.
typedef struct {
    long status;
    unsigned char *body;
    size_t length;
    char *error;
} CHTTPFetch_Response;

/// GET `url` with HTTP Basic `user` and an empty password, through libcurl loaded on this first
/// call (dlopen "libcurl.so.4"). Gives up after `timeoutMilliseconds` in all, or when the body
/// passes `maxBody` bytes. Returns 0 on a response (any status), -1 with `out->error` set.
int CHTTPFetch_get(const char *url, const char *user, long timeoutMilliseconds, size_t maxBody,
                   CHTTPFetch_Response *out);

void CHTTPFetch_free(CHTTPFetch_Response *response);

#endif
