/*
 * CONTOSO_OPEN_SESSION32: CONTOSO_OPEN_SESSION as an x86 caller lays it out, for x64 code
 * (shadow; ioctl-lens thunk).
 */
typedef struct _CONTOSO_OPEN_SESSION32 {
    ULONG Version;
    ULONG CompletionEvent; /* HANDLE */
    UNICODE_STRING32 DeviceName;
    ULONG Flags;
} CONTOSO_OPEN_SESSION32, *PCONTOSO_OPEN_SESSION32;

#if defined(_WIN64)
/* CONTOSO_OPEN_SESSION32 must have CONTOSO_OPEN_SESSION's x86 layout. */
C_ASSERT(sizeof(CONTOSO_OPEN_SESSION32) == 20);
C_ASSERT(TYPE_ALIGNMENT(CONTOSO_OPEN_SESSION32) == 4);
C_ASSERT(FIELD_OFFSET(CONTOSO_OPEN_SESSION32, Version) == 0);
C_ASSERT(FIELD_OFFSET(CONTOSO_OPEN_SESSION32, CompletionEvent) == 4);
C_ASSERT(FIELD_OFFSET(CONTOSO_OPEN_SESSION32, DeviceName) == 8);
C_ASSERT(FIELD_OFFSET(CONTOSO_OPEN_SESSION32, Flags) == 16);
#endif

#ifndef IOCTL_LENS_POOL_TAG
#define IOCTL_LENS_POOL_TAG 'tLoI' /* pool tag of ioctl-lens captures ("IoLt") */
#endif

/*
 * ReleaseUnicodeString32: frees what CaptureUnicodeString32 allocated in Native (safe to call
 * twice).
 */
static VOID
ReleaseUnicodeString32(
    _Inout_ PUNICODE_STRING Native
    )
{
    if (Native->Buffer != NULL) {
        ExFreePoolWithTag(Native->Buffer, IOCTL_LENS_POOL_TAG);
        Native->Buffer = NULL;
    }
}

/*
 * CaptureUnicodeString32: converts a 32-bit caller's UNICODE_STRING32 into UNICODE_STRING,
 * capturing Buffer into pool; on success the caller releases it with ReleaseUnicodeString32.
 */
_IRQL_requires_max_(APC_LEVEL)
static NTSTATUS
CaptureUnicodeString32(
    _In_ const UNICODE_STRING32 *Shadow,
    _Out_ PUNICODE_STRING Native
    )
{
    NTSTATUS Status = STATUS_SUCCESS;
    ULONG CapturedLength;
    ULONG BufferBytes32;
    SIZE_T BufferBytes;
    const UCHAR *Buffer32;

    RtlZeroMemory(Native, sizeof(*Native));
    CapturedLength = Shadow->Length; /* read once: it sizes Buffer */
    Native->Length = CapturedLength;
    Native->MaximumLength = Shadow->MaximumLength;
    /* Buffer: Length bytes in the caller's memory (_Field_size_bytes_part_(MaximumLength, Length)). */
    Buffer32 = (const UCHAR *)UlongToPtr(Shadow->Buffer);
    if (CapturedLength != 0) {
        BufferBytes32 = CapturedLength;
        BufferBytes = CapturedLength;
        __try {
            ProbeForRead(Buffer32, BufferBytes32, TYPE_ALIGNMENT(WCHAR));
            Native->Buffer = (PWCH)ExAllocatePool2(POOL_FLAG_PAGED, BufferBytes, IOCTL_LENS_POOL_TAG);
            if (Native->Buffer == NULL) {
                Status = STATUS_INSUFFICIENT_RESOURCES;
            } else {
                RtlCopyMemory(Native->Buffer, Buffer32, BufferBytes32);
            }
        } __except (EXCEPTION_EXECUTE_HANDLER) {
            Status = GetExceptionCode();
        }
        if (!NT_SUCCESS(Status)) {
            goto Cleanup;
        }
    }

Cleanup:
    if (!NT_SUCCESS(Status)) {
        ReleaseUnicodeString32(Native);
    }
    return Status;
}

/*
 * WriteBackUnicodeString32: writes UNICODE_STRING back as the 32-bit caller's UNICODE_STRING32;
 * STATUS_INTEGER_OVERFLOW when a value does not fit in 32 bits.
 */
static NTSTATUS
WriteBackUnicodeString32(
    _In_ const UNICODE_STRING *Native,
    _Inout_ PUNICODE_STRING32 Shadow
    )
{
    UNICODE_STRING32 Caller;

    RtlCopyMemory(&Caller, Shadow, sizeof(Caller));
    RtlZeroMemory(Shadow, sizeof(*Shadow));
    Shadow->Length = Native->Length;
    Shadow->MaximumLength = Native->MaximumLength;
    Shadow->Buffer = Caller.Buffer; /* the caller's own pointer, never our pool copy */
    return STATUS_SUCCESS;
}

/*
 * ReleaseContosoOpenSession32: frees what CaptureContosoOpenSession32 allocated in Native (safe
 * to call twice).
 */
VOID
ReleaseContosoOpenSession32(
    _Inout_ PCONTOSO_OPEN_SESSION Native
    )
{
    ReleaseUnicodeString32(&Native->DeviceName);
}

/*
 * CaptureContosoOpenSession32: converts a 32-bit caller's CONTOSO_OPEN_SESSION32 into
 * CONTOSO_OPEN_SESSION, capturing what its members point to into pool; on success the caller
 * releases it with ReleaseContosoOpenSession32.
 */
_IRQL_requires_max_(APC_LEVEL)
NTSTATUS
CaptureContosoOpenSession32(
    _In_ const CONTOSO_OPEN_SESSION32 *Shadow,
    _Out_ PCONTOSO_OPEN_SESSION Native
    )
{
    NTSTATUS Status = STATUS_SUCCESS;

    RtlZeroMemory(Native, sizeof(*Native));
    Native->Version = Shadow->Version;
    Native->CompletionEvent = LongToHandle((LONG)Shadow->CompletionEvent);
    Status = CaptureUnicodeString32(&Shadow->DeviceName, &Native->DeviceName);
    if (!NT_SUCCESS(Status)) {
        goto Cleanup;
    }
    Native->Flags = Shadow->Flags;

Cleanup:
    if (!NT_SUCCESS(Status)) {
        ReleaseContosoOpenSession32(Native);
    }
    return Status;
}

/*
 * WriteBackContosoOpenSession32: writes CONTOSO_OPEN_SESSION back as the 32-bit caller's
 * CONTOSO_OPEN_SESSION32; STATUS_INTEGER_OVERFLOW when a value does not fit in 32 bits.
 */
NTSTATUS
WriteBackContosoOpenSession32(
    _In_ const CONTOSO_OPEN_SESSION *Native,
    _Inout_ PCONTOSO_OPEN_SESSION32 Shadow
    )
{
    NTSTATUS Status = STATUS_SUCCESS;
    CONTOSO_OPEN_SESSION32 Caller;

    RtlCopyMemory(&Caller, Shadow, sizeof(Caller));
    RtlZeroMemory(Shadow, sizeof(*Shadow));
    Shadow->Version = Native->Version;
    Shadow->CompletionEvent = (ULONG)HandleToLong(Native->CompletionEvent);
    Shadow->DeviceName = Caller.DeviceName;
    Status = WriteBackUnicodeString32(&Native->DeviceName, &Shadow->DeviceName);
    if (!NT_SUCCESS(Status)) {
        return Status;
    }
    Shadow->Flags = Native->Flags;
    return Status;
}

#if 0 /* The IOCTL case body: paste it into the dispatch routine's case. */
{
    /* CONTOSO_OPEN_SESSION for 32- and 64-bit callers (ioctl-lens thunk): 32-bit callers send CONTOSO_OPEN_SESSION32. */
    CONTOSO_OPEN_SESSION Captured;

    RtlZeroMemory(&Captured, sizeof(Captured));
    Status = STATUS_SUCCESS;
#if defined(_WIN64)
    if (IoIs32bitProcess(Irp)) {
        if (IrpSp->Parameters.DeviceIoControl.InputBufferLength < sizeof(CONTOSO_OPEN_SESSION32)) {
            Status = STATUS_BUFFER_TOO_SMALL;
        } else {
            Status = CaptureContosoOpenSession32((PCONTOSO_OPEN_SESSION32)Irp->AssociatedIrp.SystemBuffer, &Captured);
        }
    } else
#endif
    {
        if (IrpSp->Parameters.DeviceIoControl.InputBufferLength < sizeof(CONTOSO_OPEN_SESSION)) {
            Status = STATUS_BUFFER_TOO_SMALL;
        } else {
            RtlCopyMemory(&Captured, Irp->AssociatedIrp.SystemBuffer, sizeof(Captured));
        }
    }
    if (NT_SUCCESS(Status)) {
        /* TODO: handle the request with Captured (a CONTOSO_OPEN_SESSION); this code serves both callers. */
    }
#if defined(_WIN64)
    if (IoIs32bitProcess(Irp)) {
        ReleaseContosoOpenSession32(&Captured);
    }
#endif
}
#endif
