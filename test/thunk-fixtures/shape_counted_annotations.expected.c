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
 * SHAPE_COUNTED32: SHAPE_COUNTED as an x86 caller lays it out, for x64 code (shadow; ioctl-lens
 * thunk).
 */
typedef struct _SHAPE_COUNTED32 {
    ULONG ItemCount;
    ULONG Items; /* PSHAPE_LEAF */
    ULONG One; /* PSHAPE_LEAF */
    SHAPE_NAMED_WOW Named;
} SHAPE_COUNTED32, *PSHAPE_COUNTED32;

#if defined(_WIN64)
/* SHAPE_COUNTED32 must have SHAPE_COUNTED's x86 layout. */
C_ASSERT(sizeof(SHAPE_COUNTED32) == 20);
C_ASSERT(TYPE_ALIGNMENT(SHAPE_COUNTED32) == 4);
C_ASSERT(FIELD_OFFSET(SHAPE_COUNTED32, ItemCount) == 0);
C_ASSERT(FIELD_OFFSET(SHAPE_COUNTED32, Items) == 4);
C_ASSERT(FIELD_OFFSET(SHAPE_COUNTED32, One) == 8);
C_ASSERT(FIELD_OFFSET(SHAPE_COUNTED32, Named) == 12);
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

/* CaptureShapeNamed32: converts a 32-bit caller's SHAPE_NAMED_WOW into SHAPE_NAMED. */
static NTSTATUS
CaptureShapeNamed32(
    _In_ const SHAPE_NAMED_WOW *Shadow,
    _Out_ PSHAPE_NAMED Native
    )
{
    NTSTATUS Status = STATUS_SUCCESS;

    RtlZeroMemory(Native, sizeof(*Native));
    Native->A = Shadow->A;
    Native->B = UlongToPtr(Shadow->B);
    return Status;
}

/*
 * WriteBackShapeNamed32: writes SHAPE_NAMED back as the 32-bit caller's SHAPE_NAMED_WOW;
 * STATUS_INTEGER_OVERFLOW when a value does not fit in 32 bits.
 */
static NTSTATUS
WriteBackShapeNamed32(
    _In_ const SHAPE_NAMED *Native,
    _Out_ SHAPE_NAMED_WOW *Shadow
    )
{
    RtlZeroMemory(Shadow, sizeof(*Shadow));
    Shadow->A = Native->A;
    Shadow->B = PtrToUlong(Native->B);
    return STATUS_SUCCESS;
}

/*
 * ReleaseShapeCounted32: frees what CaptureShapeCounted32 allocated in Native (safe to call
 * twice).
 */
VOID
ReleaseShapeCounted32(
    _Inout_ PSHAPE_COUNTED Native
    )
{
    if (Native->Items != NULL) {
        ExFreePoolWithTag(Native->Items, IOCTL_LENS_POOL_TAG);
        Native->Items = NULL;
    }
    if (Native->One != NULL) {
        ExFreePoolWithTag(Native->One, IOCTL_LENS_POOL_TAG);
        Native->One = NULL;
    }
}

/*
 * CaptureShapeCounted32: converts a 32-bit caller's SHAPE_COUNTED32 into SHAPE_COUNTED,
 * capturing Items, One into pool; on success the caller releases it with ReleaseShapeCounted32.
 */
_IRQL_requires_max_(APC_LEVEL)
NTSTATUS
CaptureShapeCounted32(
    _In_ const SHAPE_COUNTED32 *Shadow,
    _Out_ PSHAPE_COUNTED Native
    )
{
    NTSTATUS Status = STATUS_SUCCESS;
    ULONG CapturedItemCount;
    ULONG ItemsBytes32;
    SIZE_T ItemsBytes;
    const UCHAR *Items32;
    SHAPE_LEAF32 ItemsElement32;
    ULONG Index;
    const UCHAR *One32;
    SHAPE_LEAF32 OneElement32;

    RtlZeroMemory(Native, sizeof(*Native));
    CapturedItemCount = Shadow->ItemCount; /* read once: it sizes Items */
    Native->ItemCount = CapturedItemCount;
    /* Items: ItemCount SHAPE_LEAF32 in the caller's memory (@count Items ItemCount). */
    Items32 = (const UCHAR *)UlongToPtr(Shadow->Items);
    if (CapturedItemCount != 0) {
        Status = RtlULongMult(CapturedItemCount, (ULONG)sizeof(SHAPE_LEAF32), &ItemsBytes32);
        if (NT_SUCCESS(Status)) {
            Status = RtlSizeTMult(CapturedItemCount, sizeof(SHAPE_LEAF), &ItemsBytes);
        }
        if (!NT_SUCCESS(Status)) {
            goto Cleanup;
        }
        __try {
            ProbeForRead(Items32, ItemsBytes32, TYPE_ALIGNMENT(SHAPE_LEAF32));
            Native->Items = (PSHAPE_LEAF)ExAllocatePool2(POOL_FLAG_PAGED, ItemsBytes, IOCTL_LENS_POOL_TAG);
            if (Native->Items == NULL) {
                Status = STATUS_INSUFFICIENT_RESOURCES;
            } else {
                for (Index = 0; Index < CapturedItemCount; Index++) {
                    RtlCopyMemory(&ItemsElement32, Items32 + Index * sizeof(SHAPE_LEAF32), sizeof(ItemsElement32));
                    Status = CaptureShapeLeaf32(&ItemsElement32, &Native->Items[Index]);
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
    /* One: one SHAPE_LEAF32 in the caller's memory (no count: one object). */
    One32 = (const UCHAR *)UlongToPtr(Shadow->One);
    if (One32 != NULL) {
        __try {
            ProbeForRead(One32, sizeof(SHAPE_LEAF32), TYPE_ALIGNMENT(SHAPE_LEAF32));
            Native->One = (PSHAPE_LEAF)ExAllocatePool2(POOL_FLAG_PAGED, sizeof(SHAPE_LEAF), IOCTL_LENS_POOL_TAG);
            if (Native->One == NULL) {
                Status = STATUS_INSUFFICIENT_RESOURCES;
            } else {
                RtlCopyMemory(&OneElement32, One32, sizeof(OneElement32));
                Status = CaptureShapeLeaf32(&OneElement32, Native->One);
            }
        } __except (EXCEPTION_EXECUTE_HANDLER) {
            Status = GetExceptionCode();
        }
        if (!NT_SUCCESS(Status)) {
            goto Cleanup;
        }
    }
    Status = CaptureShapeNamed32(&Shadow->Named, &Native->Named);
    if (!NT_SUCCESS(Status)) {
        goto Cleanup;
    }

Cleanup:
    if (!NT_SUCCESS(Status)) {
        ReleaseShapeCounted32(Native);
    }
    return Status;
}

/*
 * WriteBackShapeCounted32: writes SHAPE_COUNTED back as the 32-bit caller's SHAPE_COUNTED32;
 * STATUS_INTEGER_OVERFLOW when a value does not fit in 32 bits.
 */
NTSTATUS
WriteBackShapeCounted32(
    _In_ const SHAPE_COUNTED *Native,
    _Inout_ PSHAPE_COUNTED32 Shadow
    )
{
    NTSTATUS Status = STATUS_SUCCESS;
    SHAPE_COUNTED32 Caller;

    RtlCopyMemory(&Caller, Shadow, sizeof(Caller));
    RtlZeroMemory(Shadow, sizeof(*Shadow));
    Shadow->ItemCount = Native->ItemCount;
    Shadow->Items = Caller.Items; /* the caller's own pointer, never our pool copy */
    Shadow->One = Caller.One; /* the caller's own pointer, never our pool copy */
    Status = WriteBackShapeNamed32(&Native->Named, &Shadow->Named);
    if (!NT_SUCCESS(Status)) {
        return Status;
    }
    return Status;
}
