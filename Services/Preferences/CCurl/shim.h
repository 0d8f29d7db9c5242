#ifndef MK_CCURL_SHIM_H
#define MK_CCURL_SHIM_H
// libcurl's setopt and getinfo are variadic, which Swift cannot call; these typed wrappers and
// the upload/collect callbacks are the whole C surface the Preferences service uses.
#include <curl/curl.h>
#include <string.h>
#include <stdlib.h>

/// The bytes an upload reads from; owned by the caller for the duration of curl_easy_perform.
typedef struct {
    const char *data;
    size_t length;
    size_t offset;
} mk_curl_upload;

/// A bounded buffer a download writes into; bytes beyond capacity are counted but dropped.
typedef struct {
    char *data;
    size_t capacity;
    size_t length;
} mk_curl_collect;

static size_t mk_curl_read_callback(char *buffer, size_t size, size_t count, void *user) {
    mk_curl_upload *upload = (mk_curl_upload *)user;
    size_t room = size * count;
    size_t left = upload->length - upload->offset;
    size_t chunk = left < room ? left : room;
    memcpy(buffer, upload->data + upload->offset, chunk);
    upload->offset += chunk;
    return chunk;
}

static size_t mk_curl_write_callback(char *data, size_t size, size_t count, void *user) {
    mk_curl_collect *collect = (mk_curl_collect *)user;
    size_t total = size * count;
    if (collect->length < collect->capacity) {
        size_t room = collect->capacity - collect->length;
        size_t chunk = total < room ? total : room;
        memcpy(collect->data + collect->length, data, chunk);
        collect->length += chunk;
    }
    return total;
}

/// curl_global_init with the default flags (a macro Swift cannot import).
static inline CURLcode mk_curl_global_init(void) {
    return curl_global_init(CURL_GLOBAL_DEFAULT);
}

static inline CURLcode mk_curl_setopt_long(CURL *curl, CURLoption option, long value) {
    return curl_easy_setopt(curl, option, value);
}

static inline CURLcode mk_curl_setopt_string(CURL *curl, CURLoption option, const char *value) {
    return curl_easy_setopt(curl, option, value);
}

static inline CURLcode mk_curl_setopt_slist(CURL *curl, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(curl, option, value);
}

/// Makes the request upload `upload` (SMTP DATA, or a POST body when `post` is non-zero).
static inline CURLcode mk_curl_set_upload(CURL *curl, mk_curl_upload *upload, int post) {
    CURLcode code;
    if (post) {
        if ((code = curl_easy_setopt(curl, CURLOPT_POST, 1L)) != CURLE_OK) return code;
        if ((code = curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)upload->length)) != CURLE_OK)
            return code;
    } else {
        if ((code = curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L)) != CURLE_OK) return code;
        if ((code = curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)upload->length)) != CURLE_OK)
            return code;
    }
    if ((code = curl_easy_setopt(curl, CURLOPT_READFUNCTION, mk_curl_read_callback)) != CURLE_OK) return code;
    return curl_easy_setopt(curl, CURLOPT_READDATA, (void *)upload);
}

/// Collects the response body into `collect`.
static inline CURLcode mk_curl_set_collect(CURL *curl, mk_curl_collect *collect) {
    CURLcode code;
    if ((code = curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, mk_curl_write_callback)) != CURLE_OK) return code;
    return curl_easy_setopt(curl, CURLOPT_WRITEDATA, (void *)collect);
}

/// The last response code (HTTP status, or SMTP reply code); 0 when there was none.
static inline long mk_curl_response_code(CURL *curl) {
    long code = 0;
    if (curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code) != CURLE_OK) return 0;
    return code;
}

#endif
