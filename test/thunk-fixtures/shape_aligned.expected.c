/*
 * SHAPE_ALIGNED32: SHAPE_ALIGNED as an x86 caller lays it out, for x64 code (shadow; ioctl-lens
 * thunk).
 */
typedef struct DECLSPEC_ALIGN(16) _SHAPE_ALIGNED32 {
    ULONG Id;
    DECLSPEC_ALIGN(8) ULONG Slot; /* ALIGNED_PVOID */
    DECLSPEC_ALIGN(8) ULONG Cookie; /* ULONG_PTR */
    UCHAR Last;
} SHAPE_ALIGNED32, *PSHAPE_ALIGNED32;

#if defined(_WIN64)
/* SHAPE_ALIGNED32 must have SHAPE_ALIGNED's x86 layout. */
C_ASSERT(sizeof(SHAPE_ALIGNED32) == 32);
C_ASSERT(TYPE_ALIGNMENT(SHAPE_ALIGNED32) == 16);
C_ASSERT(FIELD_OFFSET(SHAPE_ALIGNED32, Id) == 0);
C_ASSERT(FIELD_OFFSET(SHAPE_ALIGNED32, Slot) == 8);
C_ASSERT(FIELD_OFFSET(SHAPE_ALIGNED32, Cookie) == 16);
C_ASSERT(FIELD_OFFSET(SHAPE_ALIGNED32, Last) == 20);
#endif

/* CaptureShapeAligned32: converts a 32-bit caller's SHAPE_ALIGNED32 into SHAPE_ALIGNED. */
NTSTATUS
CaptureShapeAligned32(
    _In_ const SHAPE_ALIGNED32 *Shadow,
    _Out_ PSHAPE_ALIGNED Native
    )
{
    NTSTATUS Status = STATUS_SUCCESS;

    RtlZeroMemory(Native, sizeof(*Native));
    Native->Id = Shadow->Id;
    Native->Slot = UlongToPtr(Shadow->Slot);
    Native->Cookie = Shadow->Cookie;
    Native->Last = Shadow->Last;
    return Status;
}

/*
 * WriteBackShapeAligned32: writes SHAPE_ALIGNED back as the 32-bit caller's SHAPE_ALIGNED32;
 * STATUS_INTEGER_OVERFLOW when a value does not fit in 32 bits.
 */
NTSTATUS
WriteBackShapeAligned32(
    _In_ const SHAPE_ALIGNED *Native,
    _Out_ PSHAPE_ALIGNED32 Shadow
    )
{
    RtlZeroMemory(Shadow, sizeof(*Shadow));
    Shadow->Id = Native->Id;
    Shadow->Slot = PtrToUlong(Native->Slot);
    if (Native->Cookie > MAXULONG) {
        return STATUS_INTEGER_OVERFLOW;
    }
    Shadow->Cookie = (ULONG)Native->Cookie;
    Shadow->Last = Native->Last;
    return STATUS_SUCCESS;
}
