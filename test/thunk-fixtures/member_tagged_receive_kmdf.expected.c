/* warning [inferred-count]: MEMBER_TAGGED.Chunks: ChunkCount is taken as its element count (inferred from the names); add _Field_size_(ChunkCount) to confirm it, or @count to say otherwise */
/* warning [inferred-count]: MEMBER_CHUNK.FromMemory.pBuffer: BufferLength is taken as its size in bytes (inferred from the names); add _Field_size_bytes_(BufferLength) to confirm it, or @count to say otherwise */
/* warning [inferred-switch]: MEMBER_CHUNK: the union after Kind is converted by a switch on Kind, whose MEMBER_KIND values name its arms (inferred from the names); add @switch Kind to confirm it */
/* warning [unsized-pointer]: MEMBER_TAGGED.u.Pointer: the receive path writes it as NULL, as nothing says how much it points to (add _Field_size_ or @count, @count 1 for one object) */
/*
 * MEMBER_CHUNK32: MEMBER_CHUNK as an x86 caller lays it out, for x64 code (shadow; ioctl-lens
 * thunk).
 */
typedef struct _MEMBER_CHUNK32 {
    MEMBER_KIND Kind;
    union {
        struct {
            ULONG pBuffer; /* PVOID */
            ULONG BufferLength;
        } FromMemory;
        struct {
            ULONG Handle; /* HANDLE */
            ULONGLONG Offset;
        } FromHandle;
        UCHAR Inline[12];
    };
} MEMBER_CHUNK32, *PMEMBER_CHUNK32;

#if defined(_WIN64)
/* MEMBER_CHUNK32 must have MEMBER_CHUNK's x86 layout. */
C_ASSERT(sizeof(MEMBER_CHUNK32) == 24);
C_ASSERT(TYPE_ALIGNMENT(MEMBER_CHUNK32) == 8);
C_ASSERT(FIELD_OFFSET(MEMBER_CHUNK32, Kind) == 0);
C_ASSERT(FIELD_OFFSET(MEMBER_CHUNK32, FromMemory) == 8);
C_ASSERT(FIELD_OFFSET(MEMBER_CHUNK32, FromMemory.pBuffer) == 8);
C_ASSERT(FIELD_OFFSET(MEMBER_CHUNK32, FromMemory.BufferLength) == 12);
C_ASSERT(FIELD_OFFSET(MEMBER_CHUNK32, FromHandle) == 8);
C_ASSERT(FIELD_OFFSET(MEMBER_CHUNK32, FromHandle.Handle) == 8);
C_ASSERT(FIELD_OFFSET(MEMBER_CHUNK32, FromHandle.Offset) == 16);
C_ASSERT(FIELD_OFFSET(MEMBER_CHUNK32, Inline) == 8);
#endif

/*
 * MEMBER_TAGGED32: MEMBER_TAGGED as an x86 caller lays it out, for x64 code (shadow; ioctl-lens
 * thunk).
 */
typedef struct _MEMBER_TAGGED32 {
    ULONG Type;
    union {
        ULONG Pointer; /* PVOID */
        ULONG Value;
    } u;
    ULONG ChunkCount;
    ULONG Chunks; /* PMEMBER_CHUNK */
} MEMBER_TAGGED32, *PMEMBER_TAGGED32;

#if defined(_WIN64)
/* MEMBER_TAGGED32 must have MEMBER_TAGGED's x86 layout. */
C_ASSERT(sizeof(MEMBER_TAGGED32) == 16);
C_ASSERT(TYPE_ALIGNMENT(MEMBER_TAGGED32) == 4);
C_ASSERT(FIELD_OFFSET(MEMBER_TAGGED32, Type) == 0);
C_ASSERT(FIELD_OFFSET(MEMBER_TAGGED32, u) == 4);
C_ASSERT(FIELD_OFFSET(MEMBER_TAGGED32, u.Pointer) == 4);
C_ASSERT(FIELD_OFFSET(MEMBER_TAGGED32, u.Value) == 4);
C_ASSERT(FIELD_OFFSET(MEMBER_TAGGED32, ChunkCount) == 8);
C_ASSERT(FIELD_OFFSET(MEMBER_TAGGED32, Chunks) == 12);
#endif

#ifndef IOCTL_LENS_POOL_TAG
#define IOCTL_LENS_POOL_TAG 'tLoI' /* pool tag of ioctl-lens captures ("IoLt") */
#endif

/*
 * ReleaseMemberChunk32: frees what CaptureMemberChunk32 allocated in Native (safe to call
 * twice).
 */
static VOID
ReleaseMemberChunk32(
    _Inout_ PMEMBER_CHUNK Native
    )
{
    switch (Native->Kind) {
    case MemberKindFromMemory:
        if (Native->FromMemory.pBuffer != NULL) {
            ExFreePoolWithTag(Native->FromMemory.pBuffer, IOCTL_LENS_POOL_TAG);
            Native->FromMemory.pBuffer = NULL;
        }
        break;
    default:
        break;
    }
}

/*
 * CaptureMemberChunk32: converts a 32-bit caller's MEMBER_CHUNK32 into MEMBER_CHUNK, capturing
 * what its members point to into pool; on success the caller releases it with
 * ReleaseMemberChunk32.
 */
_IRQL_requires_max_(APC_LEVEL)
static NTSTATUS
CaptureMemberChunk32(
    _In_ const MEMBER_CHUNK32 *Shadow,
    _Out_ PMEMBER_CHUNK Native
    )
{
    NTSTATUS Status = STATUS_SUCCESS;
    ULONG CapturedFromMemoryBufferLength;
    ULONG FromMemoryBufferBytes32;
    SIZE_T FromMemoryBufferBytes;
    const UCHAR *FromMemoryBuffer32;

    RtlZeroMemory(Native, sizeof(*Native));
    Native->Kind = Shadow->Kind;
    /* The union: Kind selects the arm (inferred: the values of MEMBER_KIND name the arms). */
    switch (Shadow->Kind) {
    case MemberKindFromMemory:
        CapturedFromMemoryBufferLength = Shadow->FromMemory.BufferLength; /* read once: it sizes pBuffer */
        Native->FromMemory.BufferLength = CapturedFromMemoryBufferLength;
        /* pBuffer: BufferLength bytes in the caller's memory (inferred from the name BufferLength). */
        FromMemoryBuffer32 = (const UCHAR *)UlongToPtr(Shadow->FromMemory.pBuffer);
        if (CapturedFromMemoryBufferLength != 0) {
            FromMemoryBufferBytes32 = CapturedFromMemoryBufferLength;
            FromMemoryBufferBytes = CapturedFromMemoryBufferLength;
            __try {
                ProbeForRead(FromMemoryBuffer32, FromMemoryBufferBytes32, TYPE_ALIGNMENT(UCHAR));
                Native->FromMemory.pBuffer = (PVOID)ExAllocatePool2(POOL_FLAG_PAGED, FromMemoryBufferBytes, IOCTL_LENS_POOL_TAG);
                if (Native->FromMemory.pBuffer == NULL) {
                    Status = STATUS_INSUFFICIENT_RESOURCES;
                } else {
                    RtlCopyMemory(Native->FromMemory.pBuffer, FromMemoryBuffer32, FromMemoryBufferBytes32);
                }
            } __except (EXCEPTION_EXECUTE_HANDLER) {
                Status = GetExceptionCode();
            }
            if (!NT_SUCCESS(Status)) {
                goto Cleanup;
            }
        }
        break;
    case MemberKindFromHandle:
        Native->FromHandle.Handle = LongToHandle((LONG)Shadow->FromHandle.Handle);
        Native->FromHandle.Offset = Shadow->FromHandle.Offset;
        break;
    case MemberKindInline:
        RtlCopyMemory(Native->Inline, Shadow->Inline, sizeof(Native->Inline));
        break;
    default:
        Status = STATUS_INVALID_PARAMETER; /* no arm is known for this Kind */
        goto Cleanup;
    }

Cleanup:
    if (!NT_SUCCESS(Status)) {
        ReleaseMemberChunk32(Native);
    }
    return Status;
}

/*
 * WriteBackMemberChunk32: writes MEMBER_CHUNK back as the 32-bit caller's MEMBER_CHUNK32;
 * STATUS_INTEGER_OVERFLOW when a value does not fit in 32 bits.
 */
static NTSTATUS
WriteBackMemberChunk32(
    _In_ const MEMBER_CHUNK *Native,
    _Inout_ PMEMBER_CHUNK32 Shadow
    )
{
    MEMBER_CHUNK32 Caller;

    RtlCopyMemory(&Caller, Shadow, sizeof(Caller));
    RtlZeroMemory(Shadow, sizeof(*Shadow));
    Shadow->Kind = Native->Kind;
    /* The union: Kind selects the arm (inferred: the values of MEMBER_KIND name the arms). */
    switch (Native->Kind) {
    case MemberKindFromMemory:
        Shadow->FromMemory.pBuffer = Caller.FromMemory.pBuffer; /* the caller's own pointer, never our pool copy */
        Shadow->FromMemory.BufferLength = Native->FromMemory.BufferLength;
        break;
    case MemberKindFromHandle:
        Shadow->FromHandle.Handle = (ULONG)HandleToLong(Native->FromHandle.Handle);
        Shadow->FromHandle.Offset = Native->FromHandle.Offset;
        break;
    case MemberKindInline:
        RtlCopyMemory(Shadow->Inline, Native->Inline, sizeof(Shadow->Inline));
        break;
    default:
        return STATUS_INVALID_PARAMETER; /* no arm is known for this Kind */
    }
    return STATUS_SUCCESS;
}

/*
 * ReleaseMemberTagged32: frees what CaptureMemberTagged32 allocated in Native (safe to call
 * twice).
 */
VOID
ReleaseMemberTagged32(
    _Inout_ PMEMBER_TAGGED Native
    )
{
    ULONG Index;

    if (Native->Chunks != NULL) {
        for (Index = 0; Index < Native->ChunkCount; Index++) {
            ReleaseMemberChunk32(&Native->Chunks[Index]);
        }
        ExFreePoolWithTag(Native->Chunks, IOCTL_LENS_POOL_TAG);
        Native->Chunks = NULL;
    }
}

/*
 * CaptureMemberTagged32: converts a 32-bit caller's MEMBER_TAGGED32 into MEMBER_TAGGED,
 * capturing Chunks into pool; on success the caller releases it with ReleaseMemberTagged32.
 */
_IRQL_requires_max_(APC_LEVEL)
NTSTATUS
CaptureMemberTagged32(
    _In_ const MEMBER_TAGGED32 *Shadow,
    _Out_ PMEMBER_TAGGED Native
    )
{
    NTSTATUS Status = STATUS_SUCCESS;
    ULONG CapturedChunkCount;
    ULONG ChunksBytes32;
    SIZE_T ChunksBytes;
    const UCHAR *Chunks32;
    MEMBER_CHUNK32 ChunksElement32;
    ULONG Index;

    RtlZeroMemory(Native, sizeof(*Native));
    CapturedChunkCount = Shadow->ChunkCount; /* read once: it sizes Chunks */
    Native->ChunkCount = CapturedChunkCount;
    Native->Type = Shadow->Type;
    /* u: Type selects the arm (@switch Type). */
    switch (Shadow->Type) {
    case MEMBER_TYPE_POINTER:
        Native->u.Pointer = UlongToPtr(Shadow->u.Pointer);
        break;
    case MEMBER_TYPE_VALUE:
        Native->u.Value = Shadow->u.Value;
        break;
    default:
        Status = STATUS_INVALID_PARAMETER; /* no arm is known for this Type */
        goto Cleanup;
    }
    /* Chunks: ChunkCount MEMBER_CHUNK32 in the caller's memory (inferred from the name ChunkCount). */
    Chunks32 = (const UCHAR *)UlongToPtr(Shadow->Chunks);
    if (CapturedChunkCount != 0) {
        Status = RtlULongMult(CapturedChunkCount, (ULONG)sizeof(MEMBER_CHUNK32), &ChunksBytes32);
        if (NT_SUCCESS(Status)) {
            Status = RtlSizeTMult(CapturedChunkCount, sizeof(MEMBER_CHUNK), &ChunksBytes);
        }
        if (!NT_SUCCESS(Status)) {
            goto Cleanup;
        }
        __try {
            ProbeForRead(Chunks32, ChunksBytes32, 4 /* TYPE_ALIGNMENT(MEMBER_CHUNK32) is 8, but an x86 caller aligns it to 4 only */);
            Native->Chunks = (PMEMBER_CHUNK)ExAllocatePool2(POOL_FLAG_PAGED, ChunksBytes, IOCTL_LENS_POOL_TAG);
            if (Native->Chunks == NULL) {
                Status = STATUS_INSUFFICIENT_RESOURCES;
            } else {
                for (Index = 0; Index < CapturedChunkCount; Index++) {
                    RtlCopyMemory(&ChunksElement32, Chunks32 + Index * sizeof(MEMBER_CHUNK32), sizeof(ChunksElement32));
                    Status = CaptureMemberChunk32(&ChunksElement32, &Native->Chunks[Index]);
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

Cleanup:
    if (!NT_SUCCESS(Status)) {
        ReleaseMemberTagged32(Native);
    }
    return Status;
}

/*
 * WriteBackMemberTagged32: writes MEMBER_TAGGED back as the 32-bit caller's MEMBER_TAGGED32;
 * STATUS_INTEGER_OVERFLOW when a value does not fit in 32 bits.
 */
NTSTATUS
WriteBackMemberTagged32(
    _In_ const MEMBER_TAGGED *Native,
    _Inout_ PMEMBER_TAGGED32 Shadow
    )
{
    MEMBER_TAGGED32 Caller;

    RtlCopyMemory(&Caller, Shadow, sizeof(Caller));
    RtlZeroMemory(Shadow, sizeof(*Shadow));
    Shadow->Type = Native->Type;
    /* u: Type selects the arm (@switch Type). */
    switch (Native->Type) {
    case MEMBER_TYPE_POINTER:
        Shadow->u.Pointer = PtrToUlong(Native->u.Pointer);
        break;
    case MEMBER_TYPE_VALUE:
        Shadow->u.Value = Native->u.Value;
        break;
    default:
        return STATUS_INVALID_PARAMETER; /* no arm is known for this Type */
    }
    Shadow->ChunkCount = Native->ChunkCount;
    Shadow->Chunks = Caller.Chunks; /* the caller's own pointer, never our pool copy */
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
 * StoreMemberChunk32: MEMBER_CHUNK as the 32-bit caller's MEMBER_CHUNK32 in *Shadow (a kernel
 * copy), what it points to appended to Output.
 */
static NTSTATUS
StoreMemberChunk32(
    _In_ const MEMBER_CHUNK *Native,
    _Out_ PMEMBER_CHUNK32 Shadow,
    _Inout_ PIOCTL_LENS_OUTPUT32 Output
    )
{
    NTSTATUS Status = STATUS_SUCCESS;
    ULONG FromMemoryBufferOffset;

    RtlZeroMemory(Shadow, sizeof(*Shadow));
    Shadow->Kind = Native->Kind;
    /* The union: Kind selects the arm (inferred: the values of MEMBER_KIND name the arms). */
    switch (Native->Kind) {
    case MemberKindFromMemory:
        /* pBuffer: BufferLength bytes after the record (inferred from the name BufferLength). */
        if (Native->FromMemory.pBuffer != NULL && Native->FromMemory.BufferLength != 0) {
            Status = IoctlLensReserve32(Output, Native->FromMemory.BufferLength, 1, TYPE_ALIGNMENT(UCHAR), &FromMemoryBufferOffset);
            if (!NT_SUCCESS(Status)) {
                return Status;
            }
            Shadow->FromMemory.pBuffer = Output->UserAddress + FromMemoryBufferOffset;
            IoctlLensPut32(Output, FromMemoryBufferOffset, Native->FromMemory.pBuffer, Native->FromMemory.BufferLength);
        }
        Shadow->FromMemory.BufferLength = Native->FromMemory.BufferLength;
        break;
    case MemberKindFromHandle:
        Shadow->FromHandle.Handle = (ULONG)HandleToLong(Native->FromHandle.Handle);
        Shadow->FromHandle.Offset = Native->FromHandle.Offset;
        break;
    case MemberKindInline:
        RtlCopyMemory(Shadow->Inline, Native->Inline, sizeof(Shadow->Inline));
        break;
    default:
        return STATUS_INVALID_PARAMETER; /* no arm is known for this Kind */
    }
    return Status;
}

/*
 * StoreMemberTagged32: MEMBER_TAGGED as the 32-bit caller's MEMBER_TAGGED32 in *Shadow (a kernel
 * copy), what it points to appended to Output.
 */
static NTSTATUS
StoreMemberTagged32(
    _In_ const MEMBER_TAGGED *Native,
    _Out_ PMEMBER_TAGGED32 Shadow,
    _Inout_ PIOCTL_LENS_OUTPUT32 Output
    )
{
    NTSTATUS Status = STATUS_SUCCESS;
    ULONG ChunksOffset;
    MEMBER_CHUNK32 ChunksElement32;
    ULONG Index;

    RtlZeroMemory(Shadow, sizeof(*Shadow));
    Shadow->Type = Native->Type;
    /* u: Type selects the arm (@switch Type). */
    switch (Native->Type) {
    case MEMBER_TYPE_POINTER:
        Shadow->u.Pointer = 0; /* Pointer: no size is known for what it points to, and a kernel address must not reach the caller */
        break;
    case MEMBER_TYPE_VALUE:
        Shadow->u.Value = Native->u.Value;
        break;
    default:
        return STATUS_INVALID_PARAMETER; /* no arm is known for this Type */
    }
    Shadow->ChunkCount = Native->ChunkCount;
    /* Chunks: ChunkCount MEMBER_CHUNK32 after the record (inferred from the name ChunkCount). */
    if (Native->Chunks != NULL && Native->ChunkCount != 0) {
        Status = IoctlLensReserve32(Output, Native->ChunkCount, (ULONG)sizeof(MEMBER_CHUNK32), TYPE_ALIGNMENT(MEMBER_CHUNK32), &ChunksOffset);
        if (!NT_SUCCESS(Status)) {
            return Status;
        }
        Shadow->Chunks = Output->UserAddress + ChunksOffset;
        for (Index = 0; Index < Native->ChunkCount; Index++) {
            Status = StoreMemberChunk32(&Native->Chunks[Index], &ChunksElement32, Output);
            if (!NT_SUCCESS(Status)) {
                return Status;
            }
            IoctlLensPut32(Output, ChunksOffset + Index * (ULONG)sizeof(MEMBER_CHUNK32), &ChunksElement32, sizeof(ChunksElement32));
        }
    }
    return Status;
}

/*
 * MarshalMemberTagged32: writes MEMBER_TAGGED for a 32-bit caller into its output buffer: the
 * MEMBER_TAGGED32 first, then everything it points to, each at its 32-bit alignment, every
 * pointer holding the caller's address of its piece (UserAddress is the caller's address of
 * Buffer). Measures first: when Length is too small nothing is written, *Needed is the size
 * needed and the status STATUS_BUFFER_OVERFLOW; on success *Needed is the size written.
 */
_IRQL_requires_max_(APC_LEVEL)
NTSTATUS
MarshalMemberTagged32(
    _In_ const MEMBER_TAGGED *Native,
    _Out_writes_bytes_to_(Length, *Needed) PVOID Buffer,
    _In_ ULONG Length,
    _In_ ULONG UserAddress,
    _Out_ PULONG Needed
    )
{
    NTSTATUS Status;
    IOCTL_LENS_OUTPUT32 Output;
    MEMBER_TAGGED32 Record32;
    ULONG Offset;

    /* First pass: measure (Output.Buffer is NULL: nothing is written). */
    *Needed = 0;
    RtlZeroMemory(&Output, sizeof(Output));
    Output.UserAddress = UserAddress;
    Status = IoctlLensReserve32(&Output, 1, sizeof(MEMBER_TAGGED32), TYPE_ALIGNMENT(MEMBER_TAGGED32), &Offset);
    if (NT_SUCCESS(Status)) {
        Status = StoreMemberTagged32(Native, &Record32, &Output);
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
        Status = IoctlLensReserve32(&Output, 1, sizeof(MEMBER_TAGGED32), TYPE_ALIGNMENT(MEMBER_TAGGED32), &Offset);
        if (NT_SUCCESS(Status)) {
            Status = StoreMemberTagged32(Native, &Record32, &Output);
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
    /* MEMBER_TAGGED for 32- and 64-bit callers (ioctl-lens thunk): 32-bit callers send MEMBER_TAGGED32. */
    MEMBER_TAGGED Captured;
    PVOID Buffer;

    RtlZeroMemory(&Captured, sizeof(Captured));
    Status = STATUS_SUCCESS;
    /* TODO: handle the request with Captured (a MEMBER_TAGGED); this code serves both callers. */
#if defined(_WIN64)
    if (WdfRequestIsFrom32BitProcess(Request)) {
        ULONG Needed;
        SIZE_T OutputLength;

        Status = WdfRequestRetrieveOutputBuffer(Request, 0, &Buffer, &OutputLength);
        if (NT_SUCCESS(Status)) {
            Status = MarshalMemberTagged32(&Captured, Buffer, (ULONG)OutputLength, PtrToUlong(WdfRequestWdmGetIrp(Request)->UserBuffer), &Needed);
            /* STATUS_BUFFER_OVERFLOW: nothing was written and Needed bytes are needed; tell the caller as the IOCTL defines it. */
            WdfRequestSetInformation(Request, NT_SUCCESS(Status) ? Needed : 0);
        }
    } else
#endif
    {
        Status = WdfRequestRetrieveOutputBuffer(Request, sizeof(MEMBER_TAGGED), &Buffer, NULL);
        if (NT_SUCCESS(Status)) {
            /* TODO: MEMBER_TAGGED's pointers are kernel addresses: write what they point to into the buffer for 64-bit callers too. */
            RtlCopyMemory(Buffer, &Captured, sizeof(Captured));
            WdfRequestSetInformation(Request, sizeof(MEMBER_TAGGED));
        }
    }
}
#endif
