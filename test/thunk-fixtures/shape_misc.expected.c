/* warning [member-mismatch]: SHAPE_MISC.OnlyWide exists only in the x64 definition: a 32-bit caller cannot send it, so capture leaves it zero and write-back drops it */
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
 * SHAPE_MISC32: SHAPE_MISC as an x86 caller lays it out, for x64 code (shadow; ioctl-lens
 * thunk).
 */
typedef struct _SHAPE_MISC32 {
    SHAPE_MODE Mode;
    ULONG Callback; /* PSHAPE_CALLBACK */
    ULONG Raw; /* function pointer */
    SHAPE_LEAF32 Pair[2]; /* array */
    ULONG Name; /* PCWSTR */
    ULONG Table; /* pointer */
    BOOLEAN Flag;
    PVOID64 Wide;
    void * __ptr32 Narrow;
} SHAPE_MISC32, *PSHAPE_MISC32;

#if defined(_WIN64)
/* SHAPE_MISC32 must have SHAPE_MISC's x86 layout. */
C_ASSERT(sizeof(SHAPE_MISC32) == 56);
C_ASSERT(TYPE_ALIGNMENT(SHAPE_MISC32) == 8);
C_ASSERT(FIELD_OFFSET(SHAPE_MISC32, Mode) == 0);
C_ASSERT(FIELD_OFFSET(SHAPE_MISC32, Callback) == 4);
C_ASSERT(FIELD_OFFSET(SHAPE_MISC32, Raw) == 8);
C_ASSERT(FIELD_OFFSET(SHAPE_MISC32, Pair) == 12);
C_ASSERT(FIELD_OFFSET(SHAPE_MISC32, Name) == 28);
C_ASSERT(FIELD_OFFSET(SHAPE_MISC32, Table) == 32);
C_ASSERT(FIELD_OFFSET(SHAPE_MISC32, Flag) == 36);
C_ASSERT(FIELD_OFFSET(SHAPE_MISC32, Wide) == 40);
C_ASSERT(FIELD_OFFSET(SHAPE_MISC32, Narrow) == 48);
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

/* CaptureShapeMisc32: converts a 32-bit caller's SHAPE_MISC32 into SHAPE_MISC. */
NTSTATUS
CaptureShapeMisc32(
    _In_ const SHAPE_MISC32 *Shadow,
    _Out_ PSHAPE_MISC Native
    )
{
    NTSTATUS Status = STATUS_SUCCESS;
    ULONG Index;

    RtlZeroMemory(Native, sizeof(*Native));
    Native->Mode = Shadow->Mode;
    Native->Callback = (PSHAPE_CALLBACK)(ULONG_PTR)Shadow->Callback;
    Native->Raw = (void (*)(ULONG Value))(ULONG_PTR)Shadow->Raw;
    for (Index = 0; Index < 2; Index++) {
        Status = CaptureShapeLeaf32(&Shadow->Pair[Index], &Native->Pair[Index]);
        if (!NT_SUCCESS(Status)) {
            goto Cleanup;
        }
    }
    Native->Name = UlongToPtr(Shadow->Name);
    Native->Table = UlongToPtr(Shadow->Table);
    Native->Flag = Shadow->Flag;
    Native->Wide = Shadow->Wide;
    Native->Narrow = Shadow->Narrow;

Cleanup:
    return Status;
}

/*
 * WriteBackShapeMisc32: writes SHAPE_MISC back as the 32-bit caller's SHAPE_MISC32;
 * STATUS_INTEGER_OVERFLOW when a value does not fit in 32 bits.
 */
NTSTATUS
WriteBackShapeMisc32(
    _In_ const SHAPE_MISC *Native,
    _Out_ PSHAPE_MISC32 Shadow
    )
{
    NTSTATUS Status = STATUS_SUCCESS;
    ULONG Index;

    RtlZeroMemory(Shadow, sizeof(*Shadow));
    Shadow->Mode = Native->Mode;
    Shadow->Callback = (ULONG)(ULONG_PTR)Native->Callback;
    Shadow->Raw = (ULONG)(ULONG_PTR)Native->Raw;
    for (Index = 0; Index < 2; Index++) {
        Status = WriteBackShapeLeaf32(&Native->Pair[Index], &Shadow->Pair[Index]);
        if (!NT_SUCCESS(Status)) {
            return Status;
        }
    }
    Shadow->Name = PtrToUlong(Native->Name);
    Shadow->Table = PtrToUlong(Native->Table);
    Shadow->Flag = Native->Flag;
    Shadow->Wide = Native->Wide;
    Shadow->Narrow = Native->Narrow;
    return Status;
}
