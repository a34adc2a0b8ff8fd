/*
 * CONTOSO_REQUEST32: CONTOSO_REQUEST as an x86 caller lays it out, for x64 code (shadow;
 * ioctl-lens thunk).
 */
typedef struct _CONTOSO_REQUEST32 {
    ULONG Id;
    ULONG UserBuffer; /* PVOID */
    ULONG BufferLength;
    ULONG Context; /* ULONG_PTR */
} CONTOSO_REQUEST32, *PCONTOSO_REQUEST32;

#if defined(_WIN64)
/* CONTOSO_REQUEST32 must have CONTOSO_REQUEST's x86 layout. */
C_ASSERT(sizeof(CONTOSO_REQUEST32) == 16);
C_ASSERT(TYPE_ALIGNMENT(CONTOSO_REQUEST32) == 4);
C_ASSERT(FIELD_OFFSET(CONTOSO_REQUEST32, Id) == 0);
C_ASSERT(FIELD_OFFSET(CONTOSO_REQUEST32, UserBuffer) == 4);
C_ASSERT(FIELD_OFFSET(CONTOSO_REQUEST32, BufferLength) == 8);
C_ASSERT(FIELD_OFFSET(CONTOSO_REQUEST32, Context) == 12);
#endif

/*
 * CONTOSO_SUBMIT_BATCH32: CONTOSO_SUBMIT_BATCH as an x86 caller lays it out, for x64 code
 * (shadow; ioctl-lens thunk).
 */
typedef struct _CONTOSO_SUBMIT_BATCH32 {
    ULONG Count;
    ULONG Requests; /* PCONTOSO_REQUEST */
    LARGE_INTEGER Timeout;
} CONTOSO_SUBMIT_BATCH32, *PCONTOSO_SUBMIT_BATCH32;

#if defined(_WIN64)
/* CONTOSO_SUBMIT_BATCH32 must have CONTOSO_SUBMIT_BATCH's x86 layout. */
C_ASSERT(sizeof(CONTOSO_SUBMIT_BATCH32) == 16);
C_ASSERT(TYPE_ALIGNMENT(CONTOSO_SUBMIT_BATCH32) == 8);
C_ASSERT(FIELD_OFFSET(CONTOSO_SUBMIT_BATCH32, Count) == 0);
C_ASSERT(FIELD_OFFSET(CONTOSO_SUBMIT_BATCH32, Requests) == 4);
C_ASSERT(FIELD_OFFSET(CONTOSO_SUBMIT_BATCH32, Timeout) == 8);
#endif

#ifndef IOCTL_LENS_POOL_TAG
#define IOCTL_LENS_POOL_TAG 'tLoI' /* pool tag of ioctl-lens captures ("IoLt") */
#endif

/* CaptureContosoRequest32: converts a 32-bit caller's CONTOSO_REQUEST32 into CONTOSO_REQUEST. */
static NTSTATUS
CaptureContosoRequest32(
    _In_ const CONTOSO_REQUEST32 *Shadow,
    _Out_ PCONTOSO_REQUEST Native
    )
{
    NTSTATUS Status = STATUS_SUCCESS;

    RtlZeroMemory(Native, sizeof(*Native));
    Native->Id = Shadow->Id;
    Native->UserBuffer = UlongToPtr(Shadow->UserBuffer);
    Native->BufferLength = Shadow->BufferLength;
    Native->Context = Shadow->Context;
    return Status;
}

/*
 * WriteBackContosoRequest32: writes CONTOSO_REQUEST back as the 32-bit caller's
 * CONTOSO_REQUEST32; STATUS_INTEGER_OVERFLOW when a value does not fit in 32 bits.
 */
static NTSTATUS
WriteBackContosoRequest32(
    _In_ const CONTOSO_REQUEST *Native,
    _Out_ PCONTOSO_REQUEST32 Shadow
    )
{
    RtlZeroMemory(Shadow, sizeof(*Shadow));
    Shadow->Id = Native->Id;
    Shadow->UserBuffer = PtrToUlong(Native->UserBuffer);
    Shadow->BufferLength = Native->BufferLength;
    if (Native->Context > MAXULONG) {
        return STATUS_INTEGER_OVERFLOW;
    }
    Shadow->Context = (ULONG)Native->Context;
    return STATUS_SUCCESS;
}

/*
 * ReleaseContosoSubmitBatch32: frees what CaptureContosoSubmitBatch32 allocated in Native (safe
 * to call twice).
 */
VOID
ReleaseContosoSubmitBatch32(
    _Inout_ PCONTOSO_SUBMIT_BATCH Native
    )
{
    if (Native->Requests != NULL) {
        ExFreePoolWithTag(Native->Requests, IOCTL_LENS_POOL_TAG);
        Native->Requests = NULL;
    }
}

/*
 * CaptureContosoSubmitBatch32: converts a 32-bit caller's CONTOSO_SUBMIT_BATCH32 into
 * CONTOSO_SUBMIT_BATCH, capturing Requests into pool; on success the caller releases it with
 * ReleaseContosoSubmitBatch32.
 */
_IRQL_requires_max_(APC_LEVEL)
NTSTATUS
CaptureContosoSubmitBatch32(
    _In_ const CONTOSO_SUBMIT_BATCH32 *Shadow,
    _Out_ PCONTOSO_SUBMIT_BATCH Native
    )
{
    NTSTATUS Status = STATUS_SUCCESS;
    ULONG CapturedCount;
    ULONG RequestsBytes32;
    SIZE_T RequestsBytes;
    const UCHAR *Requests32;
    CONTOSO_REQUEST32 RequestsElement32;
    ULONG Index;

    RtlZeroMemory(Native, sizeof(*Native));
    CapturedCount = Shadow->Count; /* read once: it sizes Requests */
    Native->Count = CapturedCount;
    /* Requests: Count CONTOSO_REQUEST32 in the caller's memory (_Field_size_(Count)). */
    Requests32 = (const UCHAR *)UlongToPtr(Shadow->Requests);
    if (CapturedCount != 0) {
        Status = RtlULongMult(CapturedCount, (ULONG)sizeof(CONTOSO_REQUEST32), &RequestsBytes32);
        if (NT_SUCCESS(Status)) {
            Status = RtlSizeTMult(CapturedCount, sizeof(CONTOSO_REQUEST), &RequestsBytes);
        }
        if (!NT_SUCCESS(Status)) {
            goto Cleanup;
        }
        __try {
            ProbeForRead(Requests32, RequestsBytes32, TYPE_ALIGNMENT(CONTOSO_REQUEST32));
            Native->Requests = (PCONTOSO_REQUEST)ExAllocatePool2(POOL_FLAG_PAGED, RequestsBytes, IOCTL_LENS_POOL_TAG);
            if (Native->Requests == NULL) {
                Status = STATUS_INSUFFICIENT_RESOURCES;
            } else {
                for (Index = 0; Index < CapturedCount; Index++) {
                    RtlCopyMemory(&RequestsElement32, Requests32 + Index * sizeof(CONTOSO_REQUEST32), sizeof(RequestsElement32));
                    Status = CaptureContosoRequest32(&RequestsElement32, &Native->Requests[Index]);
                    if (!NT_SUCCESS(Status)) {
                        break;
                    }
                }
            }
        } __except (EXCEPTION_EXECUTE_HANDLER) {
            Status = GetExceptionCode();
        }
        if (!NT_SUCCESS(Status)) {
            goto Cleanup;
        }
    }
    Native->Timeout = Shadow->Timeout;

Cleanup:
    if (!NT_SUCCESS(Status)) {
        ReleaseContosoSubmitBatch32(Native);
    }
    return Status;
}

/*
 * WriteBackContosoSubmitBatch32: writes CONTOSO_SUBMIT_BATCH back as the 32-bit caller's
 * CONTOSO_SUBMIT_BATCH32; STATUS_INTEGER_OVERFLOW when a value does not fit in 32 bits.
 */
NTSTATUS
WriteBackContosoSubmitBatch32(
    _In_ const CONTOSO_SUBMIT_BATCH *Native,
    _Inout_ PCONTOSO_SUBMIT_BATCH32 Shadow
    )
{
    CONTOSO_SUBMIT_BATCH32 Caller;

    RtlCopyMemory(&Caller, Shadow, sizeof(Caller));
    RtlZeroMemory(Shadow, sizeof(*Shadow));
    Shadow->Count = Native->Count;
    Shadow->Requests = Caller.Requests; /* the caller's own pointer, never our pool copy */
    Shadow->Timeout = Native->Timeout;
    return STATUS_SUCCESS;
}

#if 0 /* The IOCTL case body: paste it into the dispatch routine's case. */
{
    /* CONTOSO_SUBMIT_BATCH for 32- and 64-bit callers (ioctl-lens thunk): 32-bit callers send CONTOSO_SUBMIT_BATCH32. */
    CONTOSO_SUBMIT_BATCH Captured;

    RtlZeroMemory(&Captured, sizeof(Captured));
    Status = STATUS_SUCCESS;
#if defined(_WIN64)
    if (IoIs32bitProcess(Irp)) {
        if (IrpSp->Parameters.DeviceIoControl.InputBufferLength < sizeof(CONTOSO_SUBMIT_BATCH32)) {
            Status = STATUS_BUFFER_TOO_SMALL;
        } else {
            Status = CaptureContosoSubmitBatch32((PCONTOSO_SUBMIT_BATCH32)Irp->AssociatedIrp.SystemBuffer, &Captured);
        }
    } else
#endif
    {
        if (IrpSp->Parameters.DeviceIoControl.InputBufferLength < sizeof(CONTOSO_SUBMIT_BATCH)) {
            Status = STATUS_BUFFER_TOO_SMALL;
        } else {
            RtlCopyMemory(&Captured, Irp->AssociatedIrp.SystemBuffer, sizeof(Captured));
        }
    }
    if (NT_SUCCESS(Status)) {
        /* TODO: handle the request with Captured (a CONTOSO_SUBMIT_BATCH); this code serves both callers. */
#if defined(_WIN64)
        if (IoIs32bitProcess(Irp)) {
            if (IrpSp->Parameters.DeviceIoControl.OutputBufferLength < sizeof(CONTOSO_SUBMIT_BATCH32)) {
                Status = STATUS_BUFFER_TOO_SMALL;
            } else {
                Status = WriteBackContosoSubmitBatch32(&Captured, (PCONTOSO_SUBMIT_BATCH32)Irp->AssociatedIrp.SystemBuffer);
                if (NT_SUCCESS(Status)) {
                    Irp->IoStatus.Information = sizeof(CONTOSO_SUBMIT_BATCH32);
                }
            }
        } else
#endif
        {
            if (IrpSp->Parameters.DeviceIoControl.OutputBufferLength < sizeof(CONTOSO_SUBMIT_BATCH)) {
                Status = STATUS_BUFFER_TOO_SMALL;
            } else {
                RtlCopyMemory(Irp->AssociatedIrp.SystemBuffer, &Captured, sizeof(Captured));
                Irp->IoStatus.Information = sizeof(CONTOSO_SUBMIT_BATCH);
            }
        }
    }
#if defined(_WIN64)
    if (IoIs32bitProcess(Irp)) {
        ReleaseContosoSubmitBatch32(&Captured);
    }
#endif
}
#endif
