/*
 * SHAPE_BITS32: SHAPE_BITS as an x86 caller lays it out, for x64 code (shadow; ioctl-lens
 * thunk).
 */
typedef struct _SHAPE_BITS32 {
    ULONG Mode : 3; /* ULONG_PTR */
    ULONG Rest : 29; /* ULONG_PTR */
    ULONG Small : 4;
    ULONG : 0;
    ULONG After; /* PVOID */
} SHAPE_BITS32, *PSHAPE_BITS32;

#if defined(_WIN64)
/* SHAPE_BITS32 must have SHAPE_BITS's x86 layout. */
C_ASSERT(sizeof(SHAPE_BITS32) == 12);
C_ASSERT(TYPE_ALIGNMENT(SHAPE_BITS32) == 4);
C_ASSERT(FIELD_OFFSET(SHAPE_BITS32, After) == 8);
#endif

/* CaptureShapeBits32: converts a 32-bit caller's SHAPE_BITS32 into SHAPE_BITS. */
NTSTATUS
CaptureShapeBits32(
    _In_ const SHAPE_BITS32 *Shadow,
    _Out_ PSHAPE_BITS Native
    )
{
    NTSTATUS Status = STATUS_SUCCESS;

    RtlZeroMemory(Native, sizeof(*Native));
    Native->Mode = Shadow->Mode;
    Native->Rest = Shadow->Rest;
    Native->Small = Shadow->Small;
    Native->After = UlongToPtr(Shadow->After);
    return Status;
}

/*
 * WriteBackShapeBits32: writes SHAPE_BITS back as the 32-bit caller's SHAPE_BITS32;
 * STATUS_INTEGER_OVERFLOW when a value does not fit in 32 bits.
 */
NTSTATUS
WriteBackShapeBits32(
    _In_ const SHAPE_BITS *Native,
    _Out_ PSHAPE_BITS32 Shadow
    )
{
    RtlZeroMemory(Shadow, sizeof(*Shadow));
    if (Native->Mode > MAXULONG) {
        return STATUS_INTEGER_OVERFLOW;
    }
    Shadow->Mode = (ULONG)Native->Mode;
    if (Native->Rest > MAXULONG) {
        return STATUS_INTEGER_OVERFLOW;
    }
    Shadow->Rest = (ULONG)Native->Rest;
    Shadow->Small = Native->Small;
    Shadow->After = PtrToUlong(Native->After);
    return STATUS_SUCCESS;
}
