/* warning [inferred-count]: MEMBER_NAMES.pName: NameLength is taken as its size in bytes (inferred from the names); add _Field_size_bytes_(NameLength) to confirm it, or @count to say otherwise */
/* warning [inferred-count]: MEMBER_NAMES.Leaves: NumberOfLeaves is taken as its element count (inferred from the names); add _Field_size_(NumberOfLeaves) to confirm it, or @count to say otherwise */
/* warning [inferred-count]: MEMBER_NAMES.pItems: ItemCount is taken as its element count (inferred from the names); add _Field_size_(ItemCount) to confirm it, or @count to say otherwise */
/* warning [unsized-pointer]: MEMBER_LEAF.Cookie: the receive path writes it as NULL, as nothing says how much it points to (add _Field_size_ or @count, @count 1 for one object) */
/* warning [unsized-pointer]: MEMBER_NAMES.Opaque: the receive path writes it as NULL, as nothing says how much it points to (add _Field_size_ or @count, @count 1 for one object) */
/*
 * MEMBER_LEAF32: MEMBER_LEAF as an x86 caller lays it out, for x64 code (shadow; ioctl-lens
 * thunk).
 */
typedef struct _MEMBER_LEAF32 {
    ULONG Value;
    ULONG Cookie; /* PVOID */
} MEMBER_LEAF32, *PMEMBER_LEAF32;

#if defined(_WIN64)
/* MEMBER_LEAF32 must have MEMBER_LEAF's x86 layout. */
C_ASSERT(sizeof(MEMBER_LEAF32) == 8);
C_ASSERT(TYPE_ALIGNMENT(MEMBER_LEAF32) == 4);
C_ASSERT(FIELD_OFFSET(MEMBER_LEAF32, Value) == 0);
C_ASSERT(FIELD_OFFSET(MEMBER_LEAF32, Cookie) == 4);
#endif

/*
 * MEMBER_NAMES32: MEMBER_NAMES as an x86 caller lays it out, for x64 code (shadow; ioctl-lens
 * thunk).
 */
typedef struct _MEMBER_NAMES32 {
    USHORT NameLength;
    ULONG pName; /* PCSTR */
    ULONG NumberOfLeaves;
    ULONG Leaves; /* PMEMBER_LEAF */
    ULONG ItemCount;
    ULONG pItems; /* PMEMBER_LEAF */
    ULONG Single; /* PMEMBER_LEAF */
    ULONG Opaque; /* PVOID */
    ULONG TagCount;
    ULONG Tags; /* PULONG */
} MEMBER_NAMES32, *PMEMBER_NAMES32;

#if defined(_WIN64)
/* MEMBER_NAMES32 must have MEMBER_NAMES's x86 layout. */
C_ASSERT(sizeof(MEMBER_NAMES32) == 40);
C_ASSERT(TYPE_ALIGNMENT(MEMBER_NAMES32) == 4);
C_ASSERT(FIELD_OFFSET(MEMBER_NAMES32, NameLength) == 0);
C_ASSERT(FIELD_OFFSET(MEMBER_NAMES32, pName) == 4);
C_ASSERT(FIELD_OFFSET(MEMBER_NAMES32, NumberOfLeaves) == 8);
C_ASSERT(FIELD_OFFSET(MEMBER_NAMES32, Leaves) == 12);
C_ASSERT(FIELD_OFFSET(MEMBER_NAMES32, ItemCount) == 16);
C_ASSERT(FIELD_OFFSET(MEMBER_NAMES32, pItems) == 20);
C_ASSERT(FIELD_OFFSET(MEMBER_NAMES32, Single) == 24);
C_ASSERT(FIELD_OFFSET(MEMBER_NAMES32, Opaque) == 28);
C_ASSERT(FIELD_OFFSET(MEMBER_NAMES32, TagCount) == 32);
C_ASSERT(FIELD_OFFSET(MEMBER_NAMES32, Tags) == 36);
#endif

#ifndef IOCTL_LENS_POOL_TAG
#define IOCTL_LENS_POOL_TAG 'tLoI' /* pool tag of ioctl-lens captures ("IoLt") */
#endif

/* CaptureMemberLeaf32: converts a 32-bit caller's MEMBER_LEAF32 into MEMBER_LEAF. */
static NTSTATUS
CaptureMemberLeaf32(
    _In_ const MEMBER_LEAF32 *Shadow,
    _Out_ PMEMBER_LEAF Native
    )
{
    NTSTATUS Status = STATUS_SUCCESS;

    RtlZeroMemory(Native, sizeof(*Native));
    Native->Value = Shadow->Value;
    Native->Cookie = UlongToPtr(Shadow->Cookie);
    return Status;
}

/*
 * WriteBackMemberLeaf32: writes MEMBER_LEAF back as the 32-bit caller's MEMBER_LEAF32;
 * STATUS_INTEGER_OVERFLOW when a value does not fit in 32 bits.
 */
static NTSTATUS
WriteBackMemberLeaf32(
    _In_ const MEMBER_LEAF *Native,
    _Out_ PMEMBER_LEAF32 Shadow
    )
{
    RtlZeroMemory(Shadow, sizeof(*Shadow));
    Shadow->Value = Native->Value;
    Shadow->Cookie = PtrToUlong(Native->Cookie);
    return STATUS_SUCCESS;
}

/*
 * ReleaseMemberNames32: frees what CaptureMemberNames32 allocated in Native (safe to call
 * twice).
 */
VOID
ReleaseMemberNames32(
    _Inout_ PMEMBER_NAMES Native
    )
{
    if (Native->pName != NULL) {
        ExFreePoolWithTag((PVOID)Native->pName, IOCTL_LENS_POOL_TAG);
        Native->pName = NULL;
    }
    if (Native->Leaves != NULL) {
        ExFreePoolWithTag(Native->Leaves, IOCTL_LENS_POOL_TAG);
        Native->Leaves = NULL;
    }
    if (Native->pItems != NULL) {
        ExFreePoolWithTag(Native->pItems, IOCTL_LENS_POOL_TAG);
        Native->pItems = NULL;
    }
    if (Native->Single != NULL) {
        ExFreePoolWithTag(Native->Single, IOCTL_LENS_POOL_TAG);
        Native->Single = NULL;
    }
    if (Native->Tags != NULL) {
        ExFreePoolWithTag(Native->Tags, IOCTL_LENS_POOL_TAG);
        Native->Tags = NULL;
    }
}

/*
 * CaptureMemberNames32: converts a 32-bit caller's MEMBER_NAMES32 into MEMBER_NAMES, capturing
 * pName, Leaves, pItems, Single, Tags into pool; on success the caller releases it with
 * ReleaseMemberNames32.
 */
_IRQL_requires_max_(APC_LEVEL)
NTSTATUS
CaptureMemberNames32(
    _In_ const MEMBER_NAMES32 *Shadow,
    _Out_ PMEMBER_NAMES Native
    )
{
    NTSTATUS Status = STATUS_SUCCESS;
    ULONG CapturedNameLength;
    ULONG CapturedNumberOfLeaves;
    ULONG CapturedItemCount;
    ULONG NameBytes32;
    SIZE_T NameBytes;
    const UCHAR *Name32;
    ULONG LeavesBytes32;
    SIZE_T LeavesBytes;
    const UCHAR *Leaves32;
    MEMBER_LEAF32 LeavesElement32;
    ULONG Index;
    ULONG ItemsBytes32;
    SIZE_T ItemsBytes;
    const UCHAR *Items32;
    MEMBER_LEAF32 ItemsElement32;
    const UCHAR *Single32;
    MEMBER_LEAF32 SingleElement32;
    ULONG TagsBytes32;
    SIZE_T TagsBytes;
    const UCHAR *Tags32;

    RtlZeroMemory(Native, sizeof(*Native));
    CapturedNameLength = Shadow->NameLength; /* read once: it sizes pName */
    Native->NameLength = CapturedNameLength;
    CapturedNumberOfLeaves = Shadow->NumberOfLeaves; /* read once: it sizes Leaves */
    Native->NumberOfLeaves = CapturedNumberOfLeaves;
    CapturedItemCount = Shadow->ItemCount; /* read once: it sizes pItems */
    Native->ItemCount = CapturedItemCount;
    /* pName: NameLength bytes in the caller's memory (inferred from the name NameLength). */
    Name32 = (const UCHAR *)UlongToPtr(Shadow->pName);
    if (CapturedNameLength != 0) {
        NameBytes32 = CapturedNameLength;
        NameBytes = CapturedNameLength;
        __try {
            ProbeForRead(Name32, NameBytes32, TYPE_ALIGNMENT(CHAR));
            Native->pName = (PCSTR)ExAllocatePool2(POOL_FLAG_PAGED, NameBytes, IOCTL_LENS_POOL_TAG);
            if (Native->pName == NULL) {
                Status = STATUS_INSUFFICIENT_RESOURCES;
            } else {
                RtlCopyMemory((PVOID)Native->pName, Name32, NameBytes32);
            }
        } __except (EXCEPTION_EXECUTE_HANDLER) {
            Status = GetExceptionCode();
        }
        if (!NT_SUCCESS(Status)) {
            goto Cleanup;
        }
    }
    /*
     * Leaves: NumberOfLeaves MEMBER_LEAF32 in the caller's memory (inferred from the name
     * NumberOfLeaves).
     */
    Leaves32 = (const UCHAR *)UlongToPtr(Shadow->Leaves);
    if (CapturedNumberOfLeaves != 0) {
        Status = RtlULongMult(CapturedNumberOfLeaves, (ULONG)sizeof(MEMBER_LEAF32), &LeavesBytes32);
        if (NT_SUCCESS(Status)) {
            Status = RtlSizeTMult(CapturedNumberOfLeaves, sizeof(MEMBER_LEAF), &LeavesBytes);
        }
        if (!NT_SUCCESS(Status)) {
            goto Cleanup;
        }
        __try {
            ProbeForRead(Leaves32, LeavesBytes32, TYPE_ALIGNMENT(MEMBER_LEAF32));
            Native->Leaves = (PMEMBER_LEAF)ExAllocatePool2(POOL_FLAG_PAGED, LeavesBytes, IOCTL_LENS_POOL_TAG);
            if (Native->Leaves == NULL) {
                Status = STATUS_INSUFFICIENT_RESOURCES;
            } else {
                for (Index = 0; Index < CapturedNumberOfLeaves; Index++) {
                    RtlCopyMemory(&LeavesElement32, Leaves32 + Index * sizeof(MEMBER_LEAF32), sizeof(LeavesElement32));
                    Status = CaptureMemberLeaf32(&LeavesElement32, &Native->Leaves[Index]);
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
    /* pItems: ItemCount MEMBER_LEAF32 in the caller's memory (inferred from the name ItemCount). */
    Items32 = (const UCHAR *)UlongToPtr(Shadow->pItems);
    if (CapturedItemCount != 0) {
        Status = RtlULongMult(CapturedItemCount, (ULONG)sizeof(MEMBER_LEAF32), &ItemsBytes32);
        if (NT_SUCCESS(Status)) {
            Status = RtlSizeTMult(CapturedItemCount, sizeof(MEMBER_LEAF), &ItemsBytes);
        }
        if (!NT_SUCCESS(Status)) {
            goto Cleanup;
        }
        __try {
            ProbeForRead(Items32, ItemsBytes32, TYPE_ALIGNMENT(MEMBER_LEAF32));
            Native->pItems = (PMEMBER_LEAF)ExAllocatePool2(POOL_FLAG_PAGED, ItemsBytes, IOCTL_LENS_POOL_TAG);
            if (Native->pItems == NULL) {
                Status = STATUS_INSUFFICIENT_RESOURCES;
            } else {
                for (Index = 0; Index < CapturedItemCount; Index++) {
                    RtlCopyMemory(&ItemsElement32, Items32 + Index * sizeof(MEMBER_LEAF32), sizeof(ItemsElement32));
                    Status = CaptureMemberLeaf32(&ItemsElement32, &Native->pItems[Index]);
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
    /* Single: one MEMBER_LEAF32 in the caller's memory (no count: one object). */
    Single32 = (const UCHAR *)UlongToPtr(Shadow->Single);
    if (Single32 != NULL) {
        __try {
            ProbeForRead(Single32, sizeof(MEMBER_LEAF32), TYPE_ALIGNMENT(MEMBER_LEAF32));
            Native->Single = (PMEMBER_LEAF)ExAllocatePool2(POOL_FLAG_PAGED, sizeof(MEMBER_LEAF), IOCTL_LENS_POOL_TAG);
            if (Native->Single == NULL) {
                Status = STATUS_INSUFFICIENT_RESOURCES;
            } else {
                RtlCopyMemory(&SingleElement32, Single32, sizeof(SingleElement32));
                Status = CaptureMemberLeaf32(&SingleElement32, Native->Single);
            }
        } __except (EXCEPTION_EXECUTE_HANDLER) {
            Status = GetExceptionCode();
        }
        if (!NT_SUCCESS(Status)) {
            goto Cleanup;
        }
    }
    Native->Opaque = UlongToPtr(Shadow->Opaque);
    Native->TagCount = Shadow->TagCount;
    /* Tags: 2 ULONG in the caller's memory (@count 2). */
    Tags32 = (const UCHAR *)UlongToPtr(Shadow->Tags);
    if (Tags32 != NULL) {
        Status = RtlULongMult(2, (ULONG)sizeof(ULONG), &TagsBytes32);
        if (NT_SUCCESS(Status)) {
            Status = RtlSizeTMult(2, sizeof(ULONG), &TagsBytes);
        }
        if (!NT_SUCCESS(Status)) {
            goto Cleanup;
        }
        __try {
            ProbeForRead(Tags32, TagsBytes32, TYPE_ALIGNMENT(ULONG));
            Native->Tags = (PULONG)ExAllocatePool2(POOL_FLAG_PAGED, TagsBytes, IOCTL_LENS_POOL_TAG);
            if (Native->Tags == NULL) {
                Status = STATUS_INSUFFICIENT_RESOURCES;
            } else {
                RtlCopyMemory(Native->Tags, Tags32, TagsBytes32);
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
        ReleaseMemberNames32(Native);
    }
    return Status;
}

/*
 * WriteBackMemberNames32: writes MEMBER_NAMES back as the 32-bit caller's MEMBER_NAMES32;
 * STATUS_INTEGER_OVERFLOW when a value does not fit in 32 bits.
 */
NTSTATUS
WriteBackMemberNames32(
    _In_ const MEMBER_NAMES *Native,
    _Inout_ PMEMBER_NAMES32 Shadow
    )
{
    MEMBER_NAMES32 Caller;

    RtlCopyMemory(&Caller, Shadow, sizeof(Caller));
    RtlZeroMemory(Shadow, sizeof(*Shadow));
    Shadow->NameLength = Native->NameLength;
    Shadow->pName = Caller.pName; /* the caller's own pointer, never our pool copy */
    Shadow->NumberOfLeaves = Native->NumberOfLeaves;
    Shadow->Leaves = Caller.Leaves; /* the caller's own pointer, never our pool copy */
    Shadow->ItemCount = Native->ItemCount;
    Shadow->pItems = Caller.pItems; /* the caller's own pointer, never our pool copy */
    Shadow->Single = Caller.Single; /* the caller's own pointer, never our pool copy */
    Shadow->Opaque = PtrToUlong(Native->Opaque);
    Shadow->TagCount = Native->TagCount;
    Shadow->Tags = Caller.Tags; /* the caller's own pointer, never our pool copy */
    return STATUS_SUCCESS;
}

#ifndef IOCTL_LENS_OUTPUT32_DEFINED
#define IOCTL_LENS_OUTPUT32_DEFINED
/*
 * The receive path's output: where it writes (a kernel address of the caller's buffer; NULL
 * while measuring), how long it is, the caller's address of the same buffer (what the pointers
 * written into it hold), and how much is used.
 */
typedef struct _IOCTL_LENS_OUTPUT32 {
    PUCHAR Buffer;
    ULONG Length;
    ULONG UserAddress;
    ULONG Offset;
} IOCTL_LENS_OUTPUT32, *PIOCTL_LENS_OUTPUT32;

/*
 * IoctlLensReserve32: the offset of Count * Size bytes at the next multiple of Alignment (a
 * power of two); STATUS_INTEGER_OVERFLOW past 4 GB.
 */
static NTSTATUS
IoctlLensReserve32(
    _Inout_ PIOCTL_LENS_OUTPUT32 Output,
    _In_ ULONG Count,
    _In_ ULONG Size,
    _In_ ULONG Alignment,
    _Out_ PULONG Offset
    )
{
    ULONG Start;
    ULONG Bytes;
    ULONG End;

    *Offset = 0;
    if (!NT_SUCCESS(RtlULongAdd(Output->Offset, Alignment - 1, &Start))) {
        return STATUS_INTEGER_OVERFLOW;
    }
    Start &= ~(Alignment - 1);
    if (!NT_SUCCESS(RtlULongMult(Count, Size, &Bytes)) || !NT_SUCCESS(RtlULongAdd(Start, Bytes, &End))) {
        return STATUS_INTEGER_OVERFLOW;
    }
    if (Output->Buffer != NULL && End > Output->Length) {
        return STATUS_BUFFER_OVERFLOW; /* cannot happen after measuring: the same walk */
    }
    Output->Offset = End;
    *Offset = Start;
    return STATUS_SUCCESS;
}

/* IoctlLensPut32: copies Size bytes to Offset in the output (nothing while measuring). */
static VOID
IoctlLensPut32(
    _In_ PIOCTL_LENS_OUTPUT32 Output,
    _In_ ULONG Offset,
    _In_reads_bytes_(Size) const VOID *Source,
    _In_ ULONG Size
    )
{
    if (Output->Buffer != NULL && Size != 0) {
        RtlCopyMemory(Output->Buffer + Offset, Source, Size);
    }
}
#endif

/*
 * StoreMemberLeaf32: MEMBER_LEAF as the 32-bit caller's MEMBER_LEAF32 in *Shadow (a kernel
 * copy), what it points to appended to Output.
 */
static NTSTATUS
StoreMemberLeaf32(
    _In_ const MEMBER_LEAF *Native,
    _Out_ PMEMBER_LEAF32 Shadow,
    _Inout_ PIOCTL_LENS_OUTPUT32 Output
    )
{
    UNREFERENCED_PARAMETER(Output);

    RtlZeroMemory(Shadow, sizeof(*Shadow));
    Shadow->Value = Native->Value;
    Shadow->Cookie = 0; /* Cookie: no size is known for what it points to, and a kernel address must not reach the caller */
    return STATUS_SUCCESS;
}

/*
 * StoreMemberNames32: MEMBER_NAMES as the 32-bit caller's MEMBER_NAMES32 in *Shadow (a kernel
 * copy), what it points to appended to Output.
 */
static NTSTATUS
StoreMemberNames32(
    _In_ const MEMBER_NAMES *Native,
    _Out_ PMEMBER_NAMES32 Shadow,
    _Inout_ PIOCTL_LENS_OUTPUT32 Output
    )
{
    NTSTATUS Status = STATUS_SUCCESS;
    ULONG NameOffset;
    ULONG LeavesOffset;
    MEMBER_LEAF32 LeavesElement32;
    ULONG Index;
    ULONG ItemsOffset;
    MEMBER_LEAF32 ItemsElement32;
    ULONG SingleOffset;
    MEMBER_LEAF32 SingleElement32;
    ULONG TagsOffset;

    RtlZeroMemory(Shadow, sizeof(*Shadow));
    Shadow->NameLength = Native->NameLength;
    /* pName: NameLength bytes after the record (inferred from the name NameLength). */
    if (Native->pName != NULL && Native->NameLength != 0) {
        Status = IoctlLensReserve32(Output, Native->NameLength, 1, TYPE_ALIGNMENT(CHAR), &NameOffset);
        if (!NT_SUCCESS(Status)) {
            return Status;
        }
        Shadow->pName = Output->UserAddress + NameOffset;
        IoctlLensPut32(Output, NameOffset, Native->pName, Native->NameLength);
    }
    Shadow->NumberOfLeaves = Native->NumberOfLeaves;
    /* Leaves: NumberOfLeaves MEMBER_LEAF32 after the record (inferred from the name NumberOfLeaves). */
    if (Native->Leaves != NULL && Native->NumberOfLeaves != 0) {
        Status = IoctlLensReserve32(Output, Native->NumberOfLeaves, (ULONG)sizeof(MEMBER_LEAF32), TYPE_ALIGNMENT(MEMBER_LEAF32), &LeavesOffset);
        if (!NT_SUCCESS(Status)) {
            return Status;
        }
        Shadow->Leaves = Output->UserAddress + LeavesOffset;
        for (Index = 0; Index < Native->NumberOfLeaves; Index++) {
            Status = StoreMemberLeaf32(&Native->Leaves[Index], &LeavesElement32, Output);
            if (!NT_SUCCESS(Status)) {
                return Status;
            }
            IoctlLensPut32(Output, LeavesOffset + Index * (ULONG)sizeof(MEMBER_LEAF32), &LeavesElement32, sizeof(LeavesElement32));
        }
    }
    Shadow->ItemCount = Native->ItemCount;
    /* pItems: ItemCount MEMBER_LEAF32 after the record (inferred from the name ItemCount). */
    if (Native->pItems != NULL && Native->ItemCount != 0) {
        Status = IoctlLensReserve32(Output, Native->ItemCount, (ULONG)sizeof(MEMBER_LEAF32), TYPE_ALIGNMENT(MEMBER_LEAF32), &ItemsOffset);
        if (!NT_SUCCESS(Status)) {
            return Status;
        }
        Shadow->pItems = Output->UserAddress + ItemsOffset;
        for (Index = 0; Index < Native->ItemCount; Index++) {
            Status = StoreMemberLeaf32(&Native->pItems[Index], &ItemsElement32, Output);
            if (!NT_SUCCESS(Status)) {
                return Status;
            }
            IoctlLensPut32(Output, ItemsOffset + Index * (ULONG)sizeof(MEMBER_LEAF32), &ItemsElement32, sizeof(ItemsElement32));
        }
    }
    /* Single: one MEMBER_LEAF32 after the record (no count: one object). */
    if (Native->Single != NULL) {
        Status = IoctlLensReserve32(Output, 1, (ULONG)sizeof(MEMBER_LEAF32), TYPE_ALIGNMENT(MEMBER_LEAF32), &SingleOffset);
        if (!NT_SUCCESS(Status)) {
            return Status;
        }
        Shadow->Single = Output->UserAddress + SingleOffset;
        Status = StoreMemberLeaf32(Native->Single, &SingleElement32, Output);
        if (!NT_SUCCESS(Status)) {
            return Status;
        }
        IoctlLensPut32(Output, SingleOffset, &SingleElement32, sizeof(SingleElement32));
    }
    Shadow->Opaque = 0; /* Opaque: no size is known for what it points to, and a kernel address must not reach the caller */
    Shadow->TagCount = Native->TagCount;
    /* Tags: 2 ULONG after the record (@count 2). */
    if (Native->Tags != NULL) {
        Status = IoctlLensReserve32(Output, 2, (ULONG)sizeof(ULONG), TYPE_ALIGNMENT(ULONG), &TagsOffset);
        if (!NT_SUCCESS(Status)) {
            return Status;
        }
        Shadow->Tags = Output->UserAddress + TagsOffset;
        IoctlLensPut32(Output, TagsOffset, Native->Tags, 2 * (ULONG)sizeof(ULONG));
    }
    return Status;
}

/*
 * MarshalMemberNames32: writes MEMBER_NAMES for a 32-bit caller into its output buffer: the
 * MEMBER_NAMES32 first, then everything it points to, each at its 32-bit alignment, every
 * pointer holding the caller's address of its piece (UserAddress is the caller's address of
 * Buffer). Measures first: when Length is too small nothing is written, *Needed is the size
 * needed and the status STATUS_BUFFER_OVERFLOW; on success *Needed is the size written.
 */
_IRQL_requires_max_(APC_LEVEL)
NTSTATUS
MarshalMemberNames32(
    _In_ const MEMBER_NAMES *Native,
    _Out_writes_bytes_to_(Length, *Needed) PVOID Buffer,
    _In_ ULONG Length,
    _In_ ULONG UserAddress,
    _Out_ PULONG Needed
    )
{
    NTSTATUS Status;
    IOCTL_LENS_OUTPUT32 Output;
    MEMBER_NAMES32 Record32;
    ULONG Offset;

    /* First pass: measure (Output.Buffer is NULL: nothing is written). */
    *Needed = 0;
    RtlZeroMemory(&Output, sizeof(Output));
    Output.UserAddress = UserAddress;
    Status = IoctlLensReserve32(&Output, 1, sizeof(MEMBER_NAMES32), TYPE_ALIGNMENT(MEMBER_NAMES32), &Offset);
    if (NT_SUCCESS(Status)) {
        Status = StoreMemberNames32(Native, &Record32, &Output);
    }
    if (!NT_SUCCESS(Status)) {
        return Status;
    }
    *Needed = Output.Offset;
    if (Length < Output.Offset) {
        return STATUS_BUFFER_OVERFLOW;
    }
    /* Second pass: the same walk converts and writes, straight into the buffer. */
    Output.Buffer = (PUCHAR)Buffer;
    Output.Length = Length;
    Output.Offset = 0;
    __try {
        RtlZeroMemory(Buffer, *Needed); /* padding and gaps too: no byte of kernel memory reaches the caller */
        Status = IoctlLensReserve32(&Output, 1, sizeof(MEMBER_NAMES32), TYPE_ALIGNMENT(MEMBER_NAMES32), &Offset);
        if (NT_SUCCESS(Status)) {
            Status = StoreMemberNames32(Native, &Record32, &Output);
        }
        if (NT_SUCCESS(Status)) {
            IoctlLensPut32(&Output, Offset, &Record32, sizeof(Record32));
        }
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        Status = GetExceptionCode();
    }
    return Status;
}

#if 0 /* The IOCTL case body: paste it into the dispatch routine's case. */
{
    /* MEMBER_NAMES for 32- and 64-bit callers (ioctl-lens thunk): 32-bit callers send MEMBER_NAMES32. */
    MEMBER_NAMES Captured;

    RtlZeroMemory(&Captured, sizeof(Captured));
    Status = STATUS_SUCCESS;
    /* TODO: handle the request with Captured (a MEMBER_NAMES); this code serves both callers. */
#if defined(_WIN64)
    if (IoIs32bitProcess(Irp)) {
        ULONG Needed;

        Status = MarshalMemberNames32(&Captured, Irp->AssociatedIrp.SystemBuffer, IrpSp->Parameters.DeviceIoControl.OutputBufferLength, PtrToUlong(Irp->UserBuffer), &Needed);
        /* STATUS_BUFFER_OVERFLOW: nothing was written and Needed bytes are needed; tell the caller as the IOCTL defines it. */
        Irp->IoStatus.Information = NT_SUCCESS(Status) ? Needed : 0;
    } else
#endif
    {
        if (IrpSp->Parameters.DeviceIoControl.OutputBufferLength < sizeof(MEMBER_NAMES)) {
            Status = STATUS_BUFFER_TOO_SMALL;
        } else {
            /* TODO: MEMBER_NAMES's pointers are kernel addresses: write what they point to into the buffer for 64-bit callers too. */
            RtlCopyMemory(Irp->AssociatedIrp.SystemBuffer, &Captured, sizeof(Captured));
            Irp->IoStatus.Information = sizeof(MEMBER_NAMES);
        }
    }
}
#endif
