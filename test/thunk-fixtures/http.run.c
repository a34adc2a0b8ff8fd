/*
 * http.run.c - the HTTP.sys run (test/thunk/http.test.ts). Included after
 * the generated routines, the images of a 32-bit caller's memory
 * (ResponseImage, RequestImage: built from clang's x86 layout) and the
 * static pointees of the native request to write (Built); the test defines
 * CheckResponse, CheckRequest and BuildRequest after it, from its model.
 * Prints one line per fact; the test holds the expected lines.
 */

static int Compared;
static int Mismatches;
/* The caller's memory the current checks are about: a captured pointer must not point into it. */
static const char *CallerLow;
static const char *CallerHigh;

#define CHECK_U(path, got, want)                                                                                  \
    do {                                                                                                          \
        Compared++;                                                                                               \
        if ((unsigned long long)(got) != (unsigned long long)(want)) {                                            \
            Mismatches++;                                                                                         \
            printf("mismatch %s: %llx, expected %llx\n", path, (unsigned long long)(got), (unsigned long long)(want)); \
        }                                                                                                         \
    } while (0)
#define CHECK_NULL(path, got) CHECK_U(path, (ULONG_PTR)(got), 0)
#define CHECK_COPY(path, got)                                                                                     \
    do {                                                                                                          \
        Compared++;                                                                                               \
        if ((got) == NULL || ((const char *)(got) >= CallerLow && (const char *)(got) < CallerHigh)) {             \
            Mismatches++;                                                                                         \
            printf("mismatch %s: %p is not a kernel copy\n", path, (const void *)(got));                          \
        }                                                                                                         \
    } while (0)
#define CHECK_BYTES(path, got, want, n)                                                                           \
    do {                                                                                                          \
        Compared++;                                                                                               \
        if ((got) == NULL || memcmp((got), (want), (n)) != 0) {                                                   \
            Mismatches++;                                                                                         \
            printf("mismatch %s: other bytes\n", path);                                                           \
        }                                                                                                         \
    } while (0)

static void CheckResponse(const HTTP_RESPONSE_V1 *Response);
static void CheckRequest(const HTTP_REQUEST_V1 *Request);
static void BuildRequest(void);

static void PrintBuffer(const char *label, const UCHAR *buffer, ULONG needed) {
    ULONG i;
    printf("%s: %u ", label, needed);
    for (i = 0; i < needed; i++) printf("%02x", buffer[i]);
    printf("\n");
}

static int RunHttp(ULONG responseBase, ULONG responseRoot, ULONG requestBase, ULONG requestRoot, ULONG outputBase, ULONG user, ULONG chunkSize) {
    static UCHAR buffer[16384];
    char *caller;
    HTTP_RESPONSE_V132 response32; /* what the I/O manager copied in (METHOD_BUFFERED): kernel memory */
    HTTP_RESPONSE_V1 response;
    HTTP_REQUEST_V132 request32;
    HTTP_REQUEST_V1 request;
    ULONG needed = 0;
    ULONG needed2 = 0;
    ULONG kind;
    ULONG written;
    ULONG i;
    NTSTATUS s;

    shim_install();

    /* Send path: a response from a 32-bit caller. */
    caller = caller_memory(responseBase, sizeof ResponseImage);
    memcpy(caller, ResponseImage, sizeof ResponseImage);
    CallerLow = caller;
    CallerHigh = caller + sizeof ResponseImage;
    memcpy(&response32, caller + responseRoot, sizeof response32);
    s = CaptureHttpResponseV132(&response32, &response);
    if (NT_SUCCESS(s)) CheckResponse(&response);
    SHOW("response capture: status=%08x compared=%d mismatches=%d", (unsigned)s, Compared, Mismatches);
    ReleaseHttpResponseV132(&response);
    SHOW("response released: pool=%d", shim_outstanding);

    kind = 3; /* HttpDataChunkFromFragmentCacheEx */
    memcpy(caller + (response32.pEntityChunks - responseBase) + chunkSize, &kind, sizeof kind);
    s = CaptureHttpResponseV132(&response32, &response);
    SHOW("response, a chunk of type HttpDataChunkFromFragmentCacheEx (no arm in this http.h): status=%08x pool=%d", (unsigned)s, shim_outstanding);
    kind = 1;
    memcpy(caller + (response32.pEntityChunks - responseBase) + chunkSize, &kind, sizeof kind);
    response32.EntityChunkCount++;
    s = CaptureHttpResponseV132(&response32, &response);
    SHOW("response, one chunk more than the caller mapped (a fault partway through): status=%08x pool=%d", (unsigned)s, shim_outstanding);

    /* Send path: a request (SSL info, a client certificate, addresses, entity chunks at 4 modulo 8). */
    caller = caller_memory(requestBase, sizeof RequestImage);
    memcpy(caller, RequestImage, sizeof RequestImage);
    CallerLow = caller;
    CallerHigh = caller + sizeof RequestImage;
    Compared = Mismatches = 0;
    memcpy(&request32, caller + requestRoot, sizeof request32);
    s = CaptureHttpRequestV132(&request32, &request);
    if (NT_SUCCESS(s)) CheckRequest(&request);
    SHOW("request capture: status=%08x compared=%d mismatches=%d", (unsigned)s, Compared, Mismatches);

    /* Receive path: the captured request, and one built natively, written for a 32-bit caller. */
    s = MarshalHttpRequestV132(&request, buffer, sizeof buffer, user, &needed);
    if (!NT_SUCCESS(s)) SHOW("receive captured: status=%08x", (unsigned)s);
    PrintBuffer("receive captured", buffer, needed);
    ReleaseHttpRequestV132(&request);
    SHOW("request released: pool=%d", shim_outstanding);

    BuildRequest();
    s = MarshalHttpRequestV132(&Built, buffer, sizeof buffer, user, &needed);
    if (!NT_SUCCESS(s)) SHOW("receive built: status=%08x", (unsigned)s);
    PrintBuffer("receive built", buffer, needed);

    memset(buffer, 0xCC, sizeof buffer);
    s = MarshalHttpRequestV132(&Built, buffer, needed - 1, user, &needed2);
    for (written = 0, i = 0; i < sizeof buffer; i++) written += buffer[i] != 0xCC;
    SHOW("receive, one byte short: status=%08x needed=%u written=%u", (unsigned)s, needed2, written);

    caller = caller_memory(outputBase, 4096); /* an unmapped page follows */
    s = MarshalHttpRequestV132(&Built, caller + 4096 - needed / 2, needed, user, &needed2);
    SHOW("receive, a buffer that ends partway (a fault partway through): status=%08x", (unsigned)s);
    return 0;
}
