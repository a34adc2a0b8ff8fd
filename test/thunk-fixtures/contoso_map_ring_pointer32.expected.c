#if defined(_WIN64)
/* VOID * POINTER_32 must be 4 bytes: mingw-w64 defines POINTER_32 empty (use --style ulong there). */
C_ASSERT(sizeof(VOID * POINTER_32) == 4);
#endif

/*
 * CONTOSO_MAP_RING32: CONTOSO_MAP_RING as an x86 caller lays it out, for x64 code (shadow;
 * ioctl-lens thunk).
 */
typedef struct _CONTOSO_MAP_RING32 {
    ULONG RingIndex;
    VOID * POINTER_32 MappedAddress; /* PVOID */
} CONTOSO_MAP_RING32, *PCONTOSO_MAP_RING32;

#if defined(_WIN64)
/* CONTOSO_MAP_RING32 must have CONTOSO_MAP_RING's x86 layout. */
C_ASSERT(sizeof(CONTOSO_MAP_RING32) == 8);
C_ASSERT(TYPE_ALIGNMENT(CONTOSO_MAP_RING32) == 4);
C_ASSERT(FIELD_OFFSET(CONTOSO_MAP_RING32, RingIndex) == 0);
C_ASSERT(FIELD_OFFSET(CONTOSO_MAP_RING32, MappedAddress) == 4);
#endif

/* CaptureContosoMapRing32: converts a 32-bit caller's CONTOSO_MAP_RING32 into CONTOSO_MAP_RING. */
NTSTATUS
CaptureContosoMapRing32(
    _In_ const CONTOSO_MAP_RING32 *Shadow,
    _Out_ PCONTOSO_MAP_RING Native
    )
{
    NTSTATUS Status = STATUS_SUCCESS;

    RtlZeroMemory(Native, sizeof(*Native));
    Native->RingIndex = Shadow->RingIndex;
    Native->MappedAddress = UlongToPtr(PtrToUlong(Shadow->MappedAddress));
    return Status;
}

/*
 * WriteBackContosoMapRing32: writes CONTOSO_MAP_RING back as the 32-bit caller's
 * CONTOSO_MAP_RING32; STATUS_INTEGER_OVERFLOW when a value does not fit in 32 bits.
 */
NTSTATUS
WriteBackContosoMapRing32(
    _In_ const CONTOSO_MAP_RING *Native,
    _Out_ PCONTOSO_MAP_RING32 Shadow
    )
{
    RtlZeroMemory(Shadow, sizeof(*Shadow));
    Shadow->RingIndex = Native->RingIndex;
    Shadow->MappedAddress = (VOID * POINTER_32)PtrToUlong(Native->MappedAddress);
    return STATUS_SUCCESS;
}
