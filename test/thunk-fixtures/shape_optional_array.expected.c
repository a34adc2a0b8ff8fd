/*
 * SHAPE_LEAF32: SHAPE_LEAF as an x86 caller lays it out, for x64 code (shadow; ioctl-lens
 * thunk).
 */
typedef struct _SHAPE_LEAF32 {
    ULONG Value;
    ULONG Cookie; /* PVOID */
} SHAPE_LEAF32, *PSHAPE_LEAF32;

#if defined(_WIN64)
/* SHAPE_LEAF32 must have SHAPE_LEAF's x86 layout. */
C_ASSERT(sizeof(SHAPE_LEAF32) == 8);
C_ASSERT(TYPE_ALIGNMENT(SHAPE_LEAF32) == 4);
C_ASSERT(FIELD_OFFSET(SHAPE_LEAF32, Value) == 0);
C_ASSERT(FIELD_OFFSET(SHAPE_LEAF32, Cookie) == 4);
#endif

/*
 * SHAPE_OPTIONAL32: SHAPE_OPTIONAL as an x86 caller lays it out, for x64 code (shadow;
 * ioctl-lens thunk).
 */
typedef struct _SHAPE_OPTIONAL32 {
    ULONG Count;
    ULONG Leaves; /* PSHAPE_LEAF */
} SHAPE_OPTIONAL32, *PSHAPE_OPTIONAL32;

#if defined(_WIN64)
/* SHAPE_OPTIONAL32 must have SHAPE_OPTIONAL's x86 layout. */
C_ASSERT(sizeof(SHAPE_OPTIONAL32) == 8);
C_ASSERT(TYPE_ALIGNMENT(SHAPE_OPTIONAL32) == 4);
C_ASSERT(FIELD_OFFSET(SHAPE_OPTIONAL32, Count) == 0);
C_ASSERT(FIELD_OFFSET(SHAPE_OPTIONAL32, Leaves) == 4);
#endif

#ifndef IOCTL_LENS_POOL_TAG
#define IOCTL_LENS_POOL_TAG 'tLoI' /* pool tag of ioctl-lens captures ("IoLt") */
#endif

/* CaptureShapeLeaf32: converts a 32-bit caller's SHAPE_LEAF32 into SHAPE_LEAF. */
static NTSTATUS
CaptureShapeLeaf32(
    _In_ const SHAPE_LEAF32 *Shadow,
    _Out_ PSHAPE_LEAF Native
    )
{
    NTSTATUS Status = STATUS_SUCCESS;

    RtlZeroMemory(Native, sizeof(*Native));
    Native->Value = Shadow->Value;
    Native->Cookie = UlongToPtr(Shadow->Cookie);
    return Status;
}

/*
 * WriteBackShapeLeaf32: writes SHAPE_LEAF back as the 32-bit caller's SHAPE_LEAF32;
 * STATUS_INTEGER_OVERFLOW when a value does not fit in 32 bits.
 */
static NTSTATUS
WriteBackShapeLeaf32(
    _In_ const SHAPE_LEAF *Native,
    _Out_ PSHAPE_LEAF32 Shadow
    )
{
    RtlZeroMemory(Shadow, sizeof(*Shadow));
    Shadow->Value = Native->Value;
    Shadow->Cookie = PtrToUlong(Native->Cookie);
    return STATUS_SUCCESS;
}

/*
 * ReleaseShapeOptional32: frees what CaptureShapeOptional32 allocated in Native (safe to call
 * twice).
 */
VOID
ReleaseShapeOptional32(
    _Inout_ PSHAPE_OPTIONAL Native
    )
{
    if (Native->Leaves != NULL) {
        ExFreePoolWithTag(Native->Leaves, IOCTL_LENS_POOL_TAG);
        Native->Leaves = NULL;
    }
}

/*
 * CaptureShapeOptional32: converts a 32-bit caller's SHAPE_OPTIONAL32 into SHAPE_OPTIONAL,
 * capturing Leaves into pool; on success the caller releases it with ReleaseShapeOptional32.
 */
_IRQL_requires_max_(APC_LEVEL)
NTSTATUS
CaptureShapeOptional32(
    _In_ const SHAPE_OPTIONAL32 *Shadow,
    _Out_ PSHAPE_OPTIONAL Native
    )
{
    NTSTATUS Status = STATUS_SUCCESS;
    ULONG CapturedCount;
    ULONG LeavesBytes32;
    SIZE_T LeavesBytes;
    const UCHAR *Leaves32;
    SHAPE_LEAF32 LeavesElement32;
    ULONG Index;

    RtlZeroMemory(Native, sizeof(*Native));
    CapturedCount = Shadow->Count; /* read once: it sizes Leaves */
    Native->Count = CapturedCount;
    /* Leaves: Count SHAPE_LEAF32 in the caller's memory (_Field_size_opt_(Count)). */
    Leaves32 = (const UCHAR *)UlongToPtr(Shadow->Leaves);
    if (CapturedCount != 0 && Leaves32 != NULL) {
        Status = RtlULongMult(CapturedCount, (ULONG)sizeof(SHAPE_LEAF32), &LeavesBytes32);
        if (NT_SUCCESS(Status)) {
            Status = RtlSizeTMult(CapturedCount, sizeof(SHAPE_LEAF), &LeavesBytes);
        }
        if (!NT_SUCCESS(Status)) {
            goto Cleanup;
        }
        __try {
            ProbeForRead(Leaves32, LeavesBytes32, TYPE_ALIGNMENT(SHAPE_LEAF32));
            Native->Leaves = (PSHAPE_LEAF)ExAllocatePool2(POOL_FLAG_PAGED, LeavesBytes, IOCTL_LENS_POOL_TAG);
            if (Native->Leaves == NULL) {
                Status = STATUS_INSUFFICIENT_RESOURCES;
            } else {
                for (Index = 0; Index < CapturedCount; Index++) {
                    RtlCopyMemory(&LeavesElement32, Leaves32 + Index * sizeof(SHAPE_LEAF32), sizeof(LeavesElement32));
                    Status = CaptureShapeLeaf32(&LeavesElement32, &Native->Leaves[Index]);
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

Cleanup:
    if (!NT_SUCCESS(Status)) {
        ReleaseShapeOptional32(Native);
    }
    return Status;
}

/*
 * WriteBackShapeOptional32: writes SHAPE_OPTIONAL back as the 32-bit caller's SHAPE_OPTIONAL32;
 * STATUS_INTEGER_OVERFLOW when a value does not fit in 32 bits.
 */
NTSTATUS
WriteBackShapeOptional32(
    _In_ const SHAPE_OPTIONAL *Native,
    _Inout_ PSHAPE_OPTIONAL32 Shadow
    )
{
    SHAPE_OPTIONAL32 Caller;

    RtlCopyMemory(&Caller, Shadow, sizeof(Caller));
    RtlZeroMemory(Shadow, sizeof(*Shadow));
    Shadow->Count = Native->Count;
    Shadow->Leaves = Caller.Leaves; /* the caller's own pointer, never our pool copy */
    return STATUS_SUCCESS;
}
