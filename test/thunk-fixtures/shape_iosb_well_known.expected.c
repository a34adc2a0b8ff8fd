#if defined(_WIN64) /* uses IO_STATUS_BLOCK32, which wdm.h declares for 64-bit builds only */
/*
 * SHAPE_IOSB32: SHAPE_IOSB as an x86 caller lays it out, for x64 code (shadow; ioctl-lens
 * thunk).
 */
typedef struct _SHAPE_IOSB32 {
    IO_STATUS_BLOCK32 Iosb;
    ULONG Event; /* HANDLE */
} SHAPE_IOSB32, *PSHAPE_IOSB32;
#endif

#if defined(_WIN64)
/* SHAPE_IOSB32 must have SHAPE_IOSB's x86 layout. */
C_ASSERT(sizeof(SHAPE_IOSB32) == 12);
C_ASSERT(TYPE_ALIGNMENT(SHAPE_IOSB32) == 4);
C_ASSERT(FIELD_OFFSET(SHAPE_IOSB32, Iosb) == 0);
C_ASSERT(FIELD_OFFSET(SHAPE_IOSB32, Event) == 8);
#endif

#if defined(_WIN64) /* uses IO_STATUS_BLOCK32, which wdm.h declares for 64-bit builds only */
/* CaptureIoStatusBlock32: converts a 32-bit caller's IO_STATUS_BLOCK32 into IO_STATUS_BLOCK. */
static NTSTATUS
CaptureIoStatusBlock32(
    _In_ const IO_STATUS_BLOCK32 *Shadow,
    _Out_ PIO_STATUS_BLOCK Native
    )
{
    NTSTATUS Status = STATUS_SUCCESS;

    RtlZeroMemory(Native, sizeof(*Native));
    Native->Status = Shadow->Status;
    Native->Information = Shadow->Information;
    return Status;
}
#endif

#if defined(_WIN64) /* uses IO_STATUS_BLOCK32, which wdm.h declares for 64-bit builds only */
/*
 * WriteBackIoStatusBlock32: writes IO_STATUS_BLOCK back as the 32-bit caller's
 * IO_STATUS_BLOCK32; STATUS_INTEGER_OVERFLOW when a value does not fit in 32 bits.
 */
static NTSTATUS
WriteBackIoStatusBlock32(
    _In_ const IO_STATUS_BLOCK *Native,
    _Out_ PIO_STATUS_BLOCK32 Shadow
    )
{
    RtlZeroMemory(Shadow, sizeof(*Shadow));
    Shadow->Status = Native->Status;
    if (Native->Information > MAXULONG) {
        return STATUS_INTEGER_OVERFLOW;
    }
    Shadow->Information = (ULONG)Native->Information;
    return STATUS_SUCCESS;
}
#endif

#if defined(_WIN64) /* uses IO_STATUS_BLOCK32, which wdm.h declares for 64-bit builds only */
/* CaptureShapeIosb32: converts a 32-bit caller's SHAPE_IOSB32 into SHAPE_IOSB. */
NTSTATUS
CaptureShapeIosb32(
    _In_ const SHAPE_IOSB32 *Shadow,
    _Out_ PSHAPE_IOSB Native
    )
{
    NTSTATUS Status = STATUS_SUCCESS;

    RtlZeroMemory(Native, sizeof(*Native));
    Status = CaptureIoStatusBlock32(&Shadow->Iosb, &Native->Iosb);
    if (!NT_SUCCESS(Status)) {
        goto Cleanup;
    }
    Native->Event = LongToHandle((LONG)Shadow->Event);

Cleanup:
    return Status;
}
#endif

#if defined(_WIN64) /* uses IO_STATUS_BLOCK32, which wdm.h declares for 64-bit builds only */
/*
 * WriteBackShapeIosb32: writes SHAPE_IOSB back as the 32-bit caller's SHAPE_IOSB32;
 * STATUS_INTEGER_OVERFLOW when a value does not fit in 32 bits.
 */
NTSTATUS
WriteBackShapeIosb32(
    _In_ const SHAPE_IOSB *Native,
    _Out_ PSHAPE_IOSB32 Shadow
    )
{
    NTSTATUS Status = STATUS_SUCCESS;

    RtlZeroMemory(Shadow, sizeof(*Shadow));
    Status = WriteBackIoStatusBlock32(&Native->Iosb, &Shadow->Iosb);
    if (!NT_SUCCESS(Status)) {
        return Status;
    }
    Shadow->Event = (ULONG)HandleToLong(Native->Event);
    return Status;
}
#endif
