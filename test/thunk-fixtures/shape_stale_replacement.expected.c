/* warning [stale-shadow]: SHAPE_STALE32 does not reproduce SHAPE_STALE's x86 layout (size is 8, 12 expected; Buffer: offset 4, 8 expected; Context: missing); a corrected definition replaces it */
/* Replaces the stale SHAPE_STALE32 at shapes.h:115-118. */
/*
 * SHAPE_STALE32: SHAPE_STALE as an x86 caller lays it out, for x64 code (corrected; ioctl-lens
 * thunk).
 */
typedef struct _SHAPE_STALE32 {
    ULONG Id;
    ULONG Context; /* ULONG_PTR */
    ULONG Buffer; /* PVOID */
} SHAPE_STALE32, *PSHAPE_STALE32;

#if defined(_WIN64)
/* SHAPE_STALE32 must have SHAPE_STALE's x86 layout. */
C_ASSERT(sizeof(SHAPE_STALE32) == 12);
C_ASSERT(TYPE_ALIGNMENT(SHAPE_STALE32) == 4);
C_ASSERT(FIELD_OFFSET(SHAPE_STALE32, Id) == 0);
C_ASSERT(FIELD_OFFSET(SHAPE_STALE32, Context) == 4);
C_ASSERT(FIELD_OFFSET(SHAPE_STALE32, Buffer) == 8);
#endif

/* CaptureShapeStale32: converts a 32-bit caller's SHAPE_STALE32 into SHAPE_STALE. */
NTSTATUS
CaptureShapeStale32(
    _In_ const SHAPE_STALE32 *Shadow,
    _Out_ PSHAPE_STALE Native
    )
{
    NTSTATUS Status = STATUS_SUCCESS;

    RtlZeroMemory(Native, sizeof(*Native));
    Native->Id = Shadow->Id;
    Native->Context = Shadow->Context;
    Native->Buffer = UlongToPtr(Shadow->Buffer);
    return Status;
}

/*
 * WriteBackShapeStale32: writes SHAPE_STALE back as the 32-bit caller's SHAPE_STALE32;
 * STATUS_INTEGER_OVERFLOW when a value does not fit in 32 bits.
 */
NTSTATUS
WriteBackShapeStale32(
    _In_ const SHAPE_STALE *Native,
    _Out_ PSHAPE_STALE32 Shadow
    )
{
    RtlZeroMemory(Shadow, sizeof(*Shadow));
    Shadow->Id = Native->Id;
    if (Native->Context > MAXULONG) {
        return STATUS_INTEGER_OVERFLOW;
    }
    Shadow->Context = (ULONG)Native->Context;
    Shadow->Buffer = PtrToUlong(Native->Buffer);
    return STATUS_SUCCESS;
}
