/* warning [union-pointer]: the anonymous union in SHAPE_UNION holds members that differ for 32-bit callers and has no discriminator; the shadow reproduces it, but which member to convert is left as a TODO */
/*
 * SHAPE_UNION32: SHAPE_UNION as an x86 caller lays it out, for x64 code (shadow; ioctl-lens
 * thunk).
 */
typedef struct _SHAPE_UNION32 {
    ULONG Type;
    /*
     * TODO(ioctl-lens): this union holds members that differ for 32-bit callers and has no
     * discriminator: convert the member that is in use.
     */
    union {
        ULONG Pointer; /* PVOID */
        ULONG Value;
    };
    ULONG After;
} SHAPE_UNION32, *PSHAPE_UNION32;

#if defined(_WIN64)
/* SHAPE_UNION32 must have SHAPE_UNION's x86 layout. */
C_ASSERT(sizeof(SHAPE_UNION32) == 12);
C_ASSERT(TYPE_ALIGNMENT(SHAPE_UNION32) == 4);
C_ASSERT(FIELD_OFFSET(SHAPE_UNION32, Type) == 0);
C_ASSERT(FIELD_OFFSET(SHAPE_UNION32, Pointer) == 4);
C_ASSERT(FIELD_OFFSET(SHAPE_UNION32, Value) == 4);
C_ASSERT(FIELD_OFFSET(SHAPE_UNION32, After) == 8);
#endif

/* CaptureShapeUnion32: converts a 32-bit caller's SHAPE_UNION32 into SHAPE_UNION. */
NTSTATUS
CaptureShapeUnion32(
    _In_ const SHAPE_UNION32 *Shadow,
    _Out_ PSHAPE_UNION Native
    )
{
    NTSTATUS Status = STATUS_SUCCESS;

    RtlZeroMemory(Native, sizeof(*Native));
    Native->Type = Shadow->Type;
    /*
     * TODO(ioctl-lens): this union holds members that differ for 32-bit callers and has no
     * discriminator: convert the member that is in use.
     */
    Native->After = Shadow->After;
    return Status;
}

/*
 * WriteBackShapeUnion32: writes SHAPE_UNION back as the 32-bit caller's SHAPE_UNION32;
 * STATUS_INTEGER_OVERFLOW when a value does not fit in 32 bits.
 */
NTSTATUS
WriteBackShapeUnion32(
    _In_ const SHAPE_UNION *Native,
    _Out_ PSHAPE_UNION32 Shadow
    )
{
    RtlZeroMemory(Shadow, sizeof(*Shadow));
    Shadow->Type = Native->Type;
    /*
     * TODO(ioctl-lens): this union holds members that differ for 32-bit callers and has no
     * discriminator: convert the member that is in use.
     */
    Shadow->After = Native->After;
    return STATUS_SUCCESS;
}
