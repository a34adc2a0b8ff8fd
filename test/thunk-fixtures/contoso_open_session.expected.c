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

/* CaptureUnicodeString32: converts a 32-bit caller's UNICODE_STRING32 into UNICODE_STRING. */
static NTSTATUS
CaptureUnicodeString32(
    _In_ const UNICODE_STRING32 *Shadow,
    _Out_ PUNICODE_STRING Native
    )
{
    NTSTATUS Status = STATUS_SUCCESS;

    RtlZeroMemory(Native, sizeof(*Native));
    Native->Length = Shadow->Length;
    Native->MaximumLength = Shadow->MaximumLength;
    Native->Buffer = UlongToPtr(Shadow->Buffer);
    return Status;
}

/*
 * WriteBackUnicodeString32: writes UNICODE_STRING back as the 32-bit caller's UNICODE_STRING32;
 * STATUS_INTEGER_OVERFLOW when a value does not fit in 32 bits.
 */
static NTSTATUS
WriteBackUnicodeString32(
    _In_ const UNICODE_STRING *Native,
    _Out_ PUNICODE_STRING32 Shadow
    )
{
    RtlZeroMemory(Shadow, sizeof(*Shadow));
    Shadow->Length = Native->Length;
    Shadow->MaximumLength = Native->MaximumLength;
    Shadow->Buffer = PtrToUlong(Native->Buffer);
    return STATUS_SUCCESS;
}

/*
 * CaptureContosoOpenSession32: converts a 32-bit caller's CONTOSO_OPEN_SESSION32 into
 * CONTOSO_OPEN_SESSION.
 */
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
    return Status;
}

/*
 * WriteBackContosoOpenSession32: writes CONTOSO_OPEN_SESSION back as the 32-bit caller's
 * CONTOSO_OPEN_SESSION32; STATUS_INTEGER_OVERFLOW when a value does not fit in 32 bits.
 */
NTSTATUS
WriteBackContosoOpenSession32(
    _In_ const CONTOSO_OPEN_SESSION *Native,
    _Out_ PCONTOSO_OPEN_SESSION32 Shadow
    )
{
    NTSTATUS Status = STATUS_SUCCESS;

    RtlZeroMemory(Shadow, sizeof(*Shadow));
    Shadow->Version = Native->Version;
    Shadow->CompletionEvent = (ULONG)HandleToLong(Native->CompletionEvent);
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
}
#endif
