/*
 * CONTOSO_SESSION_INFO32: CONTOSO_SESSION_INFO as an x86 caller lays it out, for x64 code
 * (shadow; ioctl-lens thunk).
 */
typedef struct _CONTOSO_SESSION_INFO32 {
    ULONG64 SessionId;
    ULONG RingSize; /* SIZE_T */
    ULONG MaxBatch;
} CONTOSO_SESSION_INFO32, *PCONTOSO_SESSION_INFO32;

#if defined(_WIN64)
/* CONTOSO_SESSION_INFO32 must have CONTOSO_SESSION_INFO's x86 layout. */
C_ASSERT(sizeof(CONTOSO_SESSION_INFO32) == 16);
C_ASSERT(TYPE_ALIGNMENT(CONTOSO_SESSION_INFO32) == 8);
C_ASSERT(FIELD_OFFSET(CONTOSO_SESSION_INFO32, SessionId) == 0);
C_ASSERT(FIELD_OFFSET(CONTOSO_SESSION_INFO32, RingSize) == 8);
C_ASSERT(FIELD_OFFSET(CONTOSO_SESSION_INFO32, MaxBatch) == 12);
#endif

/*
 * CaptureContosoSessionInfo32: converts a 32-bit caller's CONTOSO_SESSION_INFO32 into
 * CONTOSO_SESSION_INFO.
 */
NTSTATUS
CaptureContosoSessionInfo32(
    _In_ const CONTOSO_SESSION_INFO32 *Shadow,
    _Out_ PCONTOSO_SESSION_INFO Native
    )
{
    NTSTATUS Status = STATUS_SUCCESS;

    RtlZeroMemory(Native, sizeof(*Native));
    Native->SessionId = Shadow->SessionId;
    Native->RingSize = Shadow->RingSize;
    Native->MaxBatch = Shadow->MaxBatch;
    return Status;
}

/*
 * WriteBackContosoSessionInfo32: writes CONTOSO_SESSION_INFO back as the 32-bit caller's
 * CONTOSO_SESSION_INFO32; STATUS_INTEGER_OVERFLOW when a value does not fit in 32 bits.
 */
NTSTATUS
WriteBackContosoSessionInfo32(
    _In_ const CONTOSO_SESSION_INFO *Native,
    _Out_ PCONTOSO_SESSION_INFO32 Shadow
    )
{
    RtlZeroMemory(Shadow, sizeof(*Shadow));
    Shadow->SessionId = Native->SessionId;
    if (Native->RingSize > MAXULONG) {
        return STATUS_INTEGER_OVERFLOW;
    }
    Shadow->RingSize = (ULONG)Native->RingSize;
    Shadow->MaxBatch = Native->MaxBatch;
    return STATUS_SUCCESS;
}

#if 0 /* The IOCTL case body: paste it into the dispatch routine's case. */
{
    /* CONTOSO_SESSION_INFO for 32- and 64-bit callers (ioctl-lens thunk): 32-bit callers send CONTOSO_SESSION_INFO32. */
    CONTOSO_SESSION_INFO Captured;
    PVOID Buffer;

    RtlZeroMemory(&Captured, sizeof(Captured));
    Status = STATUS_SUCCESS;
    /* TODO: handle the request with Captured (a CONTOSO_SESSION_INFO); this code serves both callers. */
#if defined(_WIN64)
    if (WdfRequestIsFrom32BitProcess(Request)) {
        Status = WdfRequestRetrieveOutputBuffer(Request, sizeof(CONTOSO_SESSION_INFO32), &Buffer, NULL);
        if (NT_SUCCESS(Status)) {
            Status = WriteBackContosoSessionInfo32(&Captured, (PCONTOSO_SESSION_INFO32)Buffer);
            if (NT_SUCCESS(Status)) {
                WdfRequestSetInformation(Request, sizeof(CONTOSO_SESSION_INFO32));
            }
        }
    } else
#endif
    {
        Status = WdfRequestRetrieveOutputBuffer(Request, sizeof(CONTOSO_SESSION_INFO), &Buffer, NULL);
        if (NT_SUCCESS(Status)) {
            RtlCopyMemory(Buffer, &Captured, sizeof(Captured));
            WdfRequestSetInformation(Request, sizeof(CONTOSO_SESSION_INFO));
        }
    }
}
#endif
