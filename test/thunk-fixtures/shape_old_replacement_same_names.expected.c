/* warning [stale-shadow]: SHAPE_OLD32 does not reproduce SHAPE_OLD's x86 layout (size is 16, 8 expected; alignment is 8, 4 expected; Bytes: offset 8, 4 expected, size 8, 4 expected); a corrected definition replaces it */
/* Replaces the stale SHAPE_OLD_32 at shapes.h:151-154. */
/*
 * SHAPE_OLD_32: SHAPE_OLD as an x86 caller lays it out, for x64 code (corrected; ioctl-lens
 * thunk).
 */
typedef struct _SHAPE_OLD32 {
    ULONG Process; /* HANDLE */
    ULONG Bytes; /* SIZE_T */
} SHAPE_OLD_32;

#if defined(_WIN64)
/* SHAPE_OLD_32 must have SHAPE_OLD's x86 layout. */
C_ASSERT(sizeof(SHAPE_OLD_32) == 8);
C_ASSERT(TYPE_ALIGNMENT(SHAPE_OLD_32) == 4);
C_ASSERT(FIELD_OFFSET(SHAPE_OLD_32, Process) == 0);
C_ASSERT(FIELD_OFFSET(SHAPE_OLD_32, Bytes) == 4);
#endif

/* CaptureShapeOld32: converts a 32-bit caller's SHAPE_OLD_32 into SHAPE_OLD. */
NTSTATUS
CaptureShapeOld32(
    _In_ const SHAPE_OLD_32 *Shadow,
    _Out_ SHAPE_OLD *Native
    )
{
    NTSTATUS Status = STATUS_SUCCESS;

    RtlZeroMemory(Native, sizeof(*Native));
    Native->Process = LongToHandle((LONG)Shadow->Process);
    Native->Bytes = Shadow->Bytes;
    return Status;
}

/*
 * WriteBackShapeOld32: writes SHAPE_OLD back as the 32-bit caller's SHAPE_OLD_32;
 * STATUS_INTEGER_OVERFLOW when a value does not fit in 32 bits.
 */
NTSTATUS
WriteBackShapeOld32(
    _In_ const SHAPE_OLD *Native,
    _Out_ SHAPE_OLD_32 *Shadow
    )
{
    RtlZeroMemory(Shadow, sizeof(*Shadow));
    Shadow->Process = (ULONG)HandleToLong(Native->Process);
    if (Native->Bytes > MAXULONG) {
        return STATUS_INTEGER_OVERFLOW;
    }
    Shadow->Bytes = (ULONG)Native->Bytes;
    return STATUS_SUCCESS;
}
