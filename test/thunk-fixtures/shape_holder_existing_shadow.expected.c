/*
 * SHAPE_HOLDER32: SHAPE_HOLDER as an x86 caller lays it out, for x64 code (shadow; ioctl-lens
 * thunk).
 */
typedef struct _SHAPE_HOLDER32 {
    SHAPE_GOOD32 Good;
    ULONG Owner; /* HANDLE */
} SHAPE_HOLDER32, *PSHAPE_HOLDER32;

#if defined(_WIN64)
/* SHAPE_HOLDER32 must have SHAPE_HOLDER's x86 layout. */
C_ASSERT(sizeof(SHAPE_HOLDER32) == 12);
C_ASSERT(TYPE_ALIGNMENT(SHAPE_HOLDER32) == 4);
C_ASSERT(FIELD_OFFSET(SHAPE_HOLDER32, Good) == 0);
C_ASSERT(FIELD_OFFSET(SHAPE_HOLDER32, Owner) == 8);
#endif

/* CaptureShapeGood32: converts a 32-bit caller's SHAPE_GOOD32 into SHAPE_GOOD. */
static NTSTATUS
CaptureShapeGood32(
    _In_ const SHAPE_GOOD32 *Shadow,
    _Out_ PSHAPE_GOOD Native
    )
{
    NTSTATUS Status = STATUS_SUCCESS;

    RtlZeroMemory(Native, sizeof(*Native));
    Native->Id = Shadow->Id;
    Native->Buffer = UlongToPtr(Shadow->Buffer);
    return Status;
}

/*
 * WriteBackShapeGood32: writes SHAPE_GOOD back as the 32-bit caller's SHAPE_GOOD32;
 * STATUS_INTEGER_OVERFLOW when a value does not fit in 32 bits.
 */
static NTSTATUS
WriteBackShapeGood32(
    _In_ const SHAPE_GOOD *Native,
    _Out_ PSHAPE_GOOD32 Shadow
    )
{
    RtlZeroMemory(Shadow, sizeof(*Shadow));
    Shadow->Id = Native->Id;
    Shadow->Buffer = PtrToUlong(Native->Buffer);
    return STATUS_SUCCESS;
}

/* CaptureShapeHolder32: converts a 32-bit caller's SHAPE_HOLDER32 into SHAPE_HOLDER. */
NTSTATUS
CaptureShapeHolder32(
    _In_ const SHAPE_HOLDER32 *Shadow,
    _Out_ PSHAPE_HOLDER Native
    )
{
    NTSTATUS Status = STATUS_SUCCESS;

    RtlZeroMemory(Native, sizeof(*Native));
    Status = CaptureShapeGood32(&Shadow->Good, &Native->Good);
    if (!NT_SUCCESS(Status)) {
        goto Cleanup;
    }
    Native->Owner = LongToHandle((LONG)Shadow->Owner);

Cleanup:
    return Status;
}

/*
 * WriteBackShapeHolder32: writes SHAPE_HOLDER back as the 32-bit caller's SHAPE_HOLDER32;
 * STATUS_INTEGER_OVERFLOW when a value does not fit in 32 bits.
 */
NTSTATUS
WriteBackShapeHolder32(
    _In_ const SHAPE_HOLDER *Native,
    _Out_ PSHAPE_HOLDER32 Shadow
    )
{
    NTSTATUS Status = STATUS_SUCCESS;

    RtlZeroMemory(Shadow, sizeof(*Shadow));
    Status = WriteBackShapeGood32(&Native->Good, &Shadow->Good);
    if (!NT_SUCCESS(Status)) {
        return Status;
    }
    Shadow->Owner = (ULONG)HandleToLong(Native->Owner);
    return Status;
}
