/* warning [shallow-pointer]: SHAPE_COUNTED.One points to SHAPE_LEAF, which differs for 32-bit callers, but no element count is known (add _Field_size_(Count) or an @count comment); only the pointer is converted */
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
}

/*
 * CaptureShapeCounted32: converts a 32-bit caller's SHAPE_COUNTED32 into SHAPE_COUNTED,
 * capturing Items into pool; on success the caller releases it with ReleaseShapeCounted32.
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
    const SHAPE_LEAF32 *Items32;
    ULONG Index;

    RtlZeroMemory(Native, sizeof(*Native));
    CapturedItemCount = Shadow->ItemCount; /* read once: it sizes Items */
    Native->ItemCount = CapturedItemCount;
    /* Items: CapturedItemCount SHAPE_LEAF32 in the caller's memory (@count Items ItemCount). */
    if (CapturedItemCount != 0) {
        Status = RtlULongMult(CapturedItemCount, (ULONG)sizeof(SHAPE_LEAF32), &ItemsBytes32);
        if (NT_SUCCESS(Status)) {
            Status = RtlSizeTMult(CapturedItemCount, sizeof(SHAPE_LEAF), &ItemsBytes);
        }
        if (!NT_SUCCESS(Status)) {
            goto Cleanup;
        }
        Items32 = (const SHAPE_LEAF32 *)UlongToPtr(Shadow->Items);
        __try {
            ProbeForRead(Items32, ItemsBytes32, TYPE_ALIGNMENT(SHAPE_LEAF32));
            Native->Items = (PSHAPE_LEAF)ExAllocatePool2(POOL_FLAG_PAGED, ItemsBytes, IOCTL_LENS_POOL_TAG);
            if (Native->Items == NULL) {
                Status = STATUS_INSUFFICIENT_RESOURCES;
            } else {
                for (Index = 0; Index < CapturedItemCount; Index++) {
                    Status = CaptureShapeLeaf32(&Items32[Index], &Native->Items[Index]);
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
    Native->One = UlongToPtr(Shadow->One);
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
    ULONG CallerItems;

    CallerItems = Shadow->Items;
    RtlZeroMemory(Shadow, sizeof(*Shadow));
    Shadow->ItemCount = Native->ItemCount;
    Shadow->Items = CallerItems; /* the caller's own pointer, never our pool copy */
    Shadow->One = PtrToUlong(Native->One);
    Status = WriteBackShapeNamed32(&Native->Named, &Shadow->Named);
    if (!NT_SUCCESS(Status)) {
        return Status;
    }
    return Status;
}
