/*
 * SHAPE_PACKED32: SHAPE_PACKED as an x86 caller lays it out, for x64 code (shadow; ioctl-lens
 * thunk).
 */
#pragma pack(push, 4)
typedef struct _SHAPE_PACKED32 {
    ULONG Header;
    ULONGLONG Big;
    ULONG Where; /* PVOID */
    UCHAR Tail;
} SHAPE_PACKED32, *PSHAPE_PACKED32;
#pragma pack(pop)

#if defined(_WIN64)
/* SHAPE_PACKED32 must have SHAPE_PACKED's x86 layout. */
C_ASSERT(sizeof(SHAPE_PACKED32) == 20);
C_ASSERT(TYPE_ALIGNMENT(SHAPE_PACKED32) == 4);
C_ASSERT(FIELD_OFFSET(SHAPE_PACKED32, Header) == 0);
C_ASSERT(FIELD_OFFSET(SHAPE_PACKED32, Big) == 4);
C_ASSERT(FIELD_OFFSET(SHAPE_PACKED32, Where) == 12);
C_ASSERT(FIELD_OFFSET(SHAPE_PACKED32, Tail) == 16);
#endif

/* CaptureShapePacked32: converts a 32-bit caller's SHAPE_PACKED32 into SHAPE_PACKED. */
NTSTATUS
CaptureShapePacked32(
    _In_ const SHAPE_PACKED32 *Shadow,
    _Out_ PSHAPE_PACKED Native
    )
{
    NTSTATUS Status = STATUS_SUCCESS;

    RtlZeroMemory(Native, sizeof(*Native));
    Native->Header = Shadow->Header;
    Native->Big = Shadow->Big;
    Native->Where = UlongToPtr(Shadow->Where);
    Native->Tail = Shadow->Tail;
    return Status;
}

/*
 * WriteBackShapePacked32: writes SHAPE_PACKED back as the 32-bit caller's SHAPE_PACKED32;
 * STATUS_INTEGER_OVERFLOW when a value does not fit in 32 bits.
 */
NTSTATUS
WriteBackShapePacked32(
    _In_ const SHAPE_PACKED *Native,
    _Out_ PSHAPE_PACKED32 Shadow
    )
{
    RtlZeroMemory(Shadow, sizeof(*Shadow));
    Shadow->Header = Native->Header;
    Shadow->Big = Native->Big;
    Shadow->Where = PtrToUlong(Native->Where);
    Shadow->Tail = Native->Tail;
    return STATUS_SUCCESS;
}
