#if defined(_WIN64)
/* VOID * POINTER_32 must be 4 bytes: mingw-w64 defines POINTER_32 empty (use --style ulong there). */
C_ASSERT(sizeof(VOID * POINTER_32) == 4);
#endif

/*
 * SHAPE_LEAF32: SHAPE_LEAF as an x86 caller lays it out, for x64 code (shadow; ioctl-lens
 * thunk).
 */
typedef struct _SHAPE_LEAF32 {
    ULONG Value;
    VOID * POINTER_32 Cookie; /* PVOID */
} SHAPE_LEAF32, *PSHAPE_LEAF32;

#if defined(_WIN64)
/* SHAPE_LEAF32 must have SHAPE_LEAF's x86 layout. */
C_ASSERT(sizeof(SHAPE_LEAF32) == 8);
C_ASSERT(TYPE_ALIGNMENT(SHAPE_LEAF32) == 4);
C_ASSERT(FIELD_OFFSET(SHAPE_LEAF32, Value) == 0);
C_ASSERT(FIELD_OFFSET(SHAPE_LEAF32, Cookie) == 4);
#endif

/*
 * SHAPE_ITEM32: SHAPE_ITEM as an x86 caller lays it out, for x64 code (shadow; ioctl-lens
 * thunk).
 */
typedef struct _SHAPE_ITEM32 {
    UCHAR Kind;
    VOID * POINTER_32 Event; /* HANDLE */
    UNICODE_STRING32 Name;
    ULONG Length; /* SIZE_T */
    LONG Delta; /* LONG_PTR */
    VOID * POINTER_32 Tags[2]; /* array */
    LONGLONG Stamp;
} SHAPE_ITEM32, *PSHAPE_ITEM32;

#if defined(_WIN64)
/* SHAPE_ITEM32 must have SHAPE_ITEM's x86 layout. */
C_ASSERT(sizeof(SHAPE_ITEM32) == 40);
C_ASSERT(TYPE_ALIGNMENT(SHAPE_ITEM32) == 8);
C_ASSERT(FIELD_OFFSET(SHAPE_ITEM32, Kind) == 0);
C_ASSERT(FIELD_OFFSET(SHAPE_ITEM32, Event) == 4);
C_ASSERT(FIELD_OFFSET(SHAPE_ITEM32, Name) == 8);
C_ASSERT(FIELD_OFFSET(SHAPE_ITEM32, Length) == 16);
C_ASSERT(FIELD_OFFSET(SHAPE_ITEM32, Delta) == 20);
C_ASSERT(FIELD_OFFSET(SHAPE_ITEM32, Tags) == 24);
C_ASSERT(FIELD_OFFSET(SHAPE_ITEM32, Stamp) == 32);
#endif

/*
 * SHAPE_NODE32: SHAPE_NODE as an x86 caller lays it out, for x64 code (shadow; ioctl-lens
 * thunk).
 */
typedef struct _SHAPE_NODE32 {
    ULONG LeafCount;
    SHAPE_LEAF32 * POINTER_32 Leaves; /* PSHAPE_LEAF */
    SHAPE_ITEM32 Item;
} SHAPE_NODE32, *PSHAPE_NODE32;

#if defined(_WIN64)
/* SHAPE_NODE32 must have SHAPE_NODE's x86 layout. */
C_ASSERT(sizeof(SHAPE_NODE32) == 48);
C_ASSERT(TYPE_ALIGNMENT(SHAPE_NODE32) == 8);
C_ASSERT(FIELD_OFFSET(SHAPE_NODE32, LeafCount) == 0);
C_ASSERT(FIELD_OFFSET(SHAPE_NODE32, Leaves) == 4);
C_ASSERT(FIELD_OFFSET(SHAPE_NODE32, Item) == 8);
#endif

/*
 * SHAPE_BATCH32: SHAPE_BATCH as an x86 caller lays it out, for x64 code (shadow; ioctl-lens
 * thunk).
 */
typedef struct _SHAPE_BATCH32 {
    ULONG Flags;
    ULONG Count;
    SHAPE_NODE32 * POINTER_32 Nodes; /* PSHAPE_NODE */
    VOID * POINTER_32 Completion; /* HANDLE */
} SHAPE_BATCH32, *PSHAPE_BATCH32;

#if defined(_WIN64)
/* SHAPE_BATCH32 must have SHAPE_BATCH's x86 layout. */
C_ASSERT(sizeof(SHAPE_BATCH32) == 16);
C_ASSERT(TYPE_ALIGNMENT(SHAPE_BATCH32) == 4);
C_ASSERT(FIELD_OFFSET(SHAPE_BATCH32, Flags) == 0);
C_ASSERT(FIELD_OFFSET(SHAPE_BATCH32, Count) == 4);
C_ASSERT(FIELD_OFFSET(SHAPE_BATCH32, Nodes) == 8);
C_ASSERT(FIELD_OFFSET(SHAPE_BATCH32, Completion) == 12);
#endif

#ifndef IOCTL_LENS_POOL_TAG
#define IOCTL_LENS_POOL_TAG 'tLoI' /* pool tag of ioctl-lens captures ("IoLt") */
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
    Native->Cookie = UlongToPtr(PtrToUlong(Shadow->Cookie));
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
    Shadow->Cookie = (VOID * POINTER_32)PtrToUlong(Native->Cookie);
    return STATUS_SUCCESS;
}

/*
 * ReleaseUnicodeString32: frees what CaptureUnicodeString32 allocated in Native (safe to call
 * twice).
 */
static VOID
ReleaseUnicodeString32(
    _Inout_ PUNICODE_STRING Native
    )
{
    if (Native->Buffer != NULL) {
        ExFreePoolWithTag(Native->Buffer, IOCTL_LENS_POOL_TAG);
        Native->Buffer = NULL;
    }
}

/*
 * CaptureUnicodeString32: converts a 32-bit caller's UNICODE_STRING32 into UNICODE_STRING,
 * capturing Buffer into pool; on success the caller releases it with ReleaseUnicodeString32.
 */
_IRQL_requires_max_(APC_LEVEL)
static NTSTATUS
CaptureUnicodeString32(
    _In_ const UNICODE_STRING32 *Shadow,
    _Out_ PUNICODE_STRING Native
    )
{
    NTSTATUS Status = STATUS_SUCCESS;
    ULONG CapturedLength;
    ULONG BufferBytes32;
    SIZE_T BufferBytes;
    const UCHAR *Buffer32;

    RtlZeroMemory(Native, sizeof(*Native));
    CapturedLength = Shadow->Length; /* read once: it sizes Buffer */
    Native->Length = CapturedLength;
    Native->MaximumLength = Shadow->MaximumLength;
    /* Buffer: Length bytes in the caller's memory (_Field_size_bytes_part_(MaximumLength, Length)). */
    Buffer32 = (const UCHAR *)UlongToPtr(Shadow->Buffer);
    if (CapturedLength != 0) {
        BufferBytes32 = CapturedLength;
        BufferBytes = CapturedLength;
        __try {
            ProbeForRead(Buffer32, BufferBytes32, TYPE_ALIGNMENT(WCHAR));
            Native->Buffer = (PWCH)ExAllocatePool2(POOL_FLAG_PAGED, BufferBytes, IOCTL_LENS_POOL_TAG);
            if (Native->Buffer == NULL) {
                Status = STATUS_INSUFFICIENT_RESOURCES;
            } else {
                RtlCopyMemory(Native->Buffer, Buffer32, BufferBytes32);
            }
        } __except (EXCEPTION_EXECUTE_HANDLER) {
            Status = GetExceptionCode();
        }
        if (!NT_SUCCESS(Status)) {
            goto Cleanup;
        }
    }

Cleanup:
    if (!NT_SUCCESS(Status)) {
        ReleaseUnicodeString32(Native);
    }
    return Status;
}

/*
 * WriteBackUnicodeString32: writes UNICODE_STRING back as the 32-bit caller's UNICODE_STRING32;
 * STATUS_INTEGER_OVERFLOW when a value does not fit in 32 bits.
 */
static NTSTATUS
WriteBackUnicodeString32(
    _In_ const UNICODE_STRING *Native,
    _Inout_ PUNICODE_STRING32 Shadow
    )
{
    UNICODE_STRING32 Caller;

    RtlCopyMemory(&Caller, Shadow, sizeof(Caller));
    RtlZeroMemory(Shadow, sizeof(*Shadow));
    Shadow->Length = Native->Length;
    Shadow->MaximumLength = Native->MaximumLength;
    Shadow->Buffer = Caller.Buffer; /* the caller's own pointer, never our pool copy */
    return STATUS_SUCCESS;
}

/* ReleaseShapeItem32: frees what CaptureShapeItem32 allocated in Native (safe to call twice). */
static VOID
ReleaseShapeItem32(
    _Inout_ PSHAPE_ITEM Native
    )
{
    ReleaseUnicodeString32(&Native->Name);
}

/*
 * CaptureShapeItem32: converts a 32-bit caller's SHAPE_ITEM32 into SHAPE_ITEM, capturing what
 * its members point to into pool; on success the caller releases it with ReleaseShapeItem32.
 */
_IRQL_requires_max_(APC_LEVEL)
static NTSTATUS
CaptureShapeItem32(
    _In_ const SHAPE_ITEM32 *Shadow,
    _Out_ PSHAPE_ITEM Native
    )
{
    NTSTATUS Status = STATUS_SUCCESS;
    ULONG Index;

    RtlZeroMemory(Native, sizeof(*Native));
    Native->Kind = Shadow->Kind;
    Native->Event = LongToHandle(PtrToLong(Shadow->Event));
    Status = CaptureUnicodeString32(&Shadow->Name, &Native->Name);
    if (!NT_SUCCESS(Status)) {
        goto Cleanup;
    }
    Native->Length = Shadow->Length;
    Native->Delta = Shadow->Delta;
    for (Index = 0; Index < 2; Index++) {
        Native->Tags[Index] = UlongToPtr(PtrToUlong(Shadow->Tags[Index]));
    }
    Native->Stamp = Shadow->Stamp;

Cleanup:
    if (!NT_SUCCESS(Status)) {
        ReleaseShapeItem32(Native);
    }
    return Status;
}

/*
 * WriteBackShapeItem32: writes SHAPE_ITEM back as the 32-bit caller's SHAPE_ITEM32;
 * STATUS_INTEGER_OVERFLOW when a value does not fit in 32 bits.
 */
static NTSTATUS
WriteBackShapeItem32(
    _In_ const SHAPE_ITEM *Native,
    _Inout_ PSHAPE_ITEM32 Shadow
    )
{
    NTSTATUS Status = STATUS_SUCCESS;
    SHAPE_ITEM32 Caller;
    ULONG Index;

    RtlCopyMemory(&Caller, Shadow, sizeof(Caller));
    RtlZeroMemory(Shadow, sizeof(*Shadow));
    Shadow->Kind = Native->Kind;
    Shadow->Event = (VOID * POINTER_32)HandleToULong(Native->Event);
    Shadow->Name = Caller.Name;
    Status = WriteBackUnicodeString32(&Native->Name, &Shadow->Name);
    if (!NT_SUCCESS(Status)) {
        return Status;
    }
    if (Native->Length > MAXULONG) {
        return STATUS_INTEGER_OVERFLOW;
    }
    Shadow->Length = (ULONG)Native->Length;
    if (Native->Delta < MINLONG || Native->Delta > MAXLONG) {
        return STATUS_INTEGER_OVERFLOW;
    }
    Shadow->Delta = (LONG)Native->Delta;
    for (Index = 0; Index < 2; Index++) {
        Shadow->Tags[Index] = (VOID * POINTER_32)PtrToUlong(Native->Tags[Index]);
    }
    Shadow->Stamp = Native->Stamp;
    return Status;
}

/* ReleaseShapeNode32: frees what CaptureShapeNode32 allocated in Native (safe to call twice). */
static VOID
ReleaseShapeNode32(
    _Inout_ PSHAPE_NODE Native
    )
{
    if (Native->Leaves != NULL) {
        ExFreePoolWithTag(Native->Leaves, IOCTL_LENS_POOL_TAG);
        Native->Leaves = NULL;
    }
    ReleaseShapeItem32(&Native->Item);
}

/*
 * CaptureShapeNode32: converts a 32-bit caller's SHAPE_NODE32 into SHAPE_NODE, capturing Leaves
 * into pool; on success the caller releases it with ReleaseShapeNode32.
 */
_IRQL_requires_max_(APC_LEVEL)
static NTSTATUS
CaptureShapeNode32(
    _In_ const SHAPE_NODE32 *Shadow,
    _Out_ PSHAPE_NODE Native
    )
{
    NTSTATUS Status = STATUS_SUCCESS;
    ULONG CapturedLeafCount;
    ULONG LeavesBytes32;
    SIZE_T LeavesBytes;
    const UCHAR *Leaves32;
    SHAPE_LEAF32 LeavesElement32;
    ULONG Index;

    RtlZeroMemory(Native, sizeof(*Native));
    CapturedLeafCount = Shadow->LeafCount; /* read once: it sizes Leaves */
    Native->LeafCount = CapturedLeafCount;
    /* Leaves: LeafCount SHAPE_LEAF32 in the caller's memory (_Field_size_(LeafCount)). */
    Leaves32 = (const UCHAR *)UlongToPtr(PtrToUlong(Shadow->Leaves));
    if (CapturedLeafCount != 0) {
        Status = RtlULongMult(CapturedLeafCount, (ULONG)sizeof(SHAPE_LEAF32), &LeavesBytes32);
        if (NT_SUCCESS(Status)) {
            Status = RtlSizeTMult(CapturedLeafCount, sizeof(SHAPE_LEAF), &LeavesBytes);
        }
        if (!NT_SUCCESS(Status)) {
            goto Cleanup;
        }
        __try {
            ProbeForRead(Leaves32, LeavesBytes32, TYPE_ALIGNMENT(SHAPE_LEAF32));
            Native->Leaves = (PSHAPE_LEAF)ExAllocatePool2(POOL_FLAG_PAGED, LeavesBytes, IOCTL_LENS_POOL_TAG);
            if (Native->Leaves == NULL) {
                Status = STATUS_INSUFFICIENT_RESOURCES;
            } else {
                for (Index = 0; Index < CapturedLeafCount; Index++) {
                    RtlCopyMemory(&LeavesElement32, Leaves32 + Index * sizeof(SHAPE_LEAF32), sizeof(LeavesElement32));
                    Status = CaptureShapeLeaf32(&LeavesElement32, &Native->Leaves[Index]);
                    if (!NT_SUCCESS(Status)) {
                        break;
                    }
                }
            }
        } __except (EXCEPTION_EXECUTE_HANDLER) {
            Status = GetExceptionCode();
        }
        if (!NT_SUCCESS(Status)) {
            goto Cleanup;
        }
    }
    Status = CaptureShapeItem32(&Shadow->Item, &Native->Item);
    if (!NT_SUCCESS(Status)) {
        goto Cleanup;
    }

Cleanup:
    if (!NT_SUCCESS(Status)) {
        ReleaseShapeNode32(Native);
    }
    return Status;
}

/*
 * WriteBackShapeNode32: writes SHAPE_NODE back as the 32-bit caller's SHAPE_NODE32;
 * STATUS_INTEGER_OVERFLOW when a value does not fit in 32 bits.
 */
static NTSTATUS
WriteBackShapeNode32(
    _In_ const SHAPE_NODE *Native,
    _Inout_ PSHAPE_NODE32 Shadow
    )
{
    NTSTATUS Status = STATUS_SUCCESS;
    SHAPE_NODE32 Caller;

    RtlCopyMemory(&Caller, Shadow, sizeof(Caller));
    RtlZeroMemory(Shadow, sizeof(*Shadow));
    Shadow->LeafCount = Native->LeafCount;
    Shadow->Leaves = Caller.Leaves; /* the caller's own pointer, never our pool copy */
    Shadow->Item = Caller.Item;
    Status = WriteBackShapeItem32(&Native->Item, &Shadow->Item);
    if (!NT_SUCCESS(Status)) {
        return Status;
    }
    return Status;
}

/* ReleaseShapeBatch32: frees what CaptureShapeBatch32 allocated in Native (safe to call twice). */
VOID
ReleaseShapeBatch32(
    _Inout_ PSHAPE_BATCH Native
    )
{
    ULONG Index;

    if (Native->Nodes != NULL) {
        for (Index = 0; Index < Native->Count; Index++) {
            ReleaseShapeNode32(&Native->Nodes[Index]);
        }
        ExFreePoolWithTag(Native->Nodes, IOCTL_LENS_POOL_TAG);
        Native->Nodes = NULL;
    }
}

/*
 * CaptureShapeBatch32: converts a 32-bit caller's SHAPE_BATCH32 into SHAPE_BATCH, capturing
 * Nodes into pool; on success the caller releases it with ReleaseShapeBatch32.
 */
_IRQL_requires_max_(APC_LEVEL)
NTSTATUS
CaptureShapeBatch32(
    _In_ const SHAPE_BATCH32 *Shadow,
    _Out_ PSHAPE_BATCH Native
    )
{
    NTSTATUS Status = STATUS_SUCCESS;
    ULONG CapturedCount;
    ULONG NodesBytes32;
    SIZE_T NodesBytes;
    const UCHAR *Nodes32;
    SHAPE_NODE32 NodesElement32;
    ULONG Index;

    RtlZeroMemory(Native, sizeof(*Native));
    CapturedCount = Shadow->Count; /* read once: it sizes Nodes */
    Native->Count = CapturedCount;
    Native->Flags = Shadow->Flags;
    /* Nodes: Count SHAPE_NODE32 in the caller's memory (@count Count). */
    Nodes32 = (const UCHAR *)UlongToPtr(PtrToUlong(Shadow->Nodes));
    if (CapturedCount != 0) {
        Status = RtlULongMult(CapturedCount, (ULONG)sizeof(SHAPE_NODE32), &NodesBytes32);
        if (NT_SUCCESS(Status)) {
            Status = RtlSizeTMult(CapturedCount, sizeof(SHAPE_NODE), &NodesBytes);
        }
        if (!NT_SUCCESS(Status)) {
            goto Cleanup;
        }
        __try {
            ProbeForRead(Nodes32, NodesBytes32, 4 /* TYPE_ALIGNMENT(SHAPE_NODE32) is 8, but an x86 caller aligns it to 4 only */);
            Native->Nodes = (PSHAPE_NODE)ExAllocatePool2(POOL_FLAG_PAGED, NodesBytes, IOCTL_LENS_POOL_TAG);
            if (Native->Nodes == NULL) {
                Status = STATUS_INSUFFICIENT_RESOURCES;
            } else {
                for (Index = 0; Index < CapturedCount; Index++) {
                    RtlCopyMemory(&NodesElement32, Nodes32 + Index * sizeof(SHAPE_NODE32), sizeof(NodesElement32));
                    Status = CaptureShapeNode32(&NodesElement32, &Native->Nodes[Index]);
                    if (!NT_SUCCESS(Status)) {
                        break;
                    }
                }
            }
        } __except (EXCEPTION_EXECUTE_HANDLER) {
            Status = GetExceptionCode();
        }
        if (!NT_SUCCESS(Status)) {
            goto Cleanup;
        }
    }
    Native->Completion = LongToHandle(PtrToLong(Shadow->Completion));

Cleanup:
    if (!NT_SUCCESS(Status)) {
        ReleaseShapeBatch32(Native);
    }
    return Status;
}

/*
 * WriteBackShapeBatch32: writes SHAPE_BATCH back as the 32-bit caller's SHAPE_BATCH32;
 * STATUS_INTEGER_OVERFLOW when a value does not fit in 32 bits.
 */
NTSTATUS
WriteBackShapeBatch32(
    _In_ const SHAPE_BATCH *Native,
    _Inout_ PSHAPE_BATCH32 Shadow
    )
{
    SHAPE_BATCH32 Caller;

    RtlCopyMemory(&Caller, Shadow, sizeof(Caller));
    RtlZeroMemory(Shadow, sizeof(*Shadow));
    Shadow->Flags = Native->Flags;
    Shadow->Count = Native->Count;
    Shadow->Nodes = Caller.Nodes; /* the caller's own pointer, never our pool copy */
    Shadow->Completion = (VOID * POINTER_32)HandleToULong(Native->Completion);
    return STATUS_SUCCESS;
}
