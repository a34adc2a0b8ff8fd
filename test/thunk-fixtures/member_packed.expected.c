/*
 * MEMBER_WIDE32: MEMBER_WIDE as an x86 caller lays it out, for x64 code (shadow; ioctl-lens
 * thunk).
 */
typedef struct _MEMBER_WIDE32 {
    ULONGLONG Stamp;
    ULONG Where; /* PVOID */
} MEMBER_WIDE32, *PMEMBER_WIDE32;

#if defined(_WIN64)
/* MEMBER_WIDE32 must have MEMBER_WIDE's x86 layout. */
C_ASSERT(sizeof(MEMBER_WIDE32) == 16);
C_ASSERT(TYPE_ALIGNMENT(MEMBER_WIDE32) == 8);
C_ASSERT(FIELD_OFFSET(MEMBER_WIDE32, Stamp) == 0);
C_ASSERT(FIELD_OFFSET(MEMBER_WIDE32, Where) == 8);
#endif

/*
 * MEMBER_PACKED32: MEMBER_PACKED as an x86 caller lays it out, for x64 code (shadow; ioctl-lens
 * thunk).
 */
#pragma pack(push, 4)
typedef struct _MEMBER_PACKED32 {
    ULONG Header;
    MEMBER_WIDE32 Wide;
    MEMBER_WIDE32 Pair[2]; /* array */
    ULONG WideCount;
    ULONG Wides; /* PMEMBER_WIDE */
} MEMBER_PACKED32, *PMEMBER_PACKED32;
#pragma pack(pop)

#if defined(_WIN64)
/* MEMBER_PACKED32 must have MEMBER_PACKED's x86 layout. */
C_ASSERT(sizeof(MEMBER_PACKED32) == 60);
C_ASSERT(TYPE_ALIGNMENT(MEMBER_PACKED32) == 4);
C_ASSERT(FIELD_OFFSET(MEMBER_PACKED32, Header) == 0);
C_ASSERT(FIELD_OFFSET(MEMBER_PACKED32, Wide) == 4);
C_ASSERT(FIELD_OFFSET(MEMBER_PACKED32, Pair) == 20);
C_ASSERT(FIELD_OFFSET(MEMBER_PACKED32, WideCount) == 52);
C_ASSERT(FIELD_OFFSET(MEMBER_PACKED32, Wides) == 56);
#endif

#ifndef IOCTL_LENS_POOL_TAG
#define IOCTL_LENS_POOL_TAG 'tLoI' /* pool tag of ioctl-lens captures ("IoLt") */
#endif

/* CaptureMemberWide32: converts a 32-bit caller's MEMBER_WIDE32 into MEMBER_WIDE. */
static NTSTATUS
CaptureMemberWide32(
    _In_ const MEMBER_WIDE32 *Shadow,
    _Out_ PMEMBER_WIDE Native
    )
{
    NTSTATUS Status = STATUS_SUCCESS;

    RtlZeroMemory(Native, sizeof(*Native));
    Native->Stamp = Shadow->Stamp;
    Native->Where = UlongToPtr(Shadow->Where);
    return Status;
}

/*
 * WriteBackMemberWide32: writes MEMBER_WIDE back as the 32-bit caller's MEMBER_WIDE32;
 * STATUS_INTEGER_OVERFLOW when a value does not fit in 32 bits.
 */
static NTSTATUS
WriteBackMemberWide32(
    _In_ const MEMBER_WIDE *Native,
    _Out_ PMEMBER_WIDE32 Shadow
    )
{
    RtlZeroMemory(Shadow, sizeof(*Shadow));
    Shadow->Stamp = Native->Stamp;
    Shadow->Where = PtrToUlong(Native->Where);
    return STATUS_SUCCESS;
}

/*
 * ReleaseMemberPacked32: frees what CaptureMemberPacked32 allocated in Native (safe to call
 * twice).
 */
VOID
ReleaseMemberPacked32(
    _Inout_ PMEMBER_PACKED Native
    )
{
    if (Native->Wides != NULL) {
        ExFreePoolWithTag(Native->Wides, IOCTL_LENS_POOL_TAG);
        Native->Wides = NULL;
    }
}

/*
 * CaptureMemberPacked32: converts a 32-bit caller's MEMBER_PACKED32 into MEMBER_PACKED,
 * capturing Wides into pool; on success the caller releases it with ReleaseMemberPacked32.
 */
_IRQL_requires_max_(APC_LEVEL)
NTSTATUS
CaptureMemberPacked32(
    _In_ const MEMBER_PACKED32 *Shadow,
    _Out_ PMEMBER_PACKED Native
    )
{
    NTSTATUS Status = STATUS_SUCCESS;
    ULONG CapturedWideCount;
    MEMBER_WIDE32 AlignedWide32;
    MEMBER_WIDE AlignedWide;
    MEMBER_WIDE32 AlignedPair32[2];
    MEMBER_WIDE AlignedPair[2];
    ULONG Index;
    ULONG WidesBytes32;
    SIZE_T WidesBytes;
    const UCHAR *Wides32;
    MEMBER_WIDE32 WidesElement32;

    RtlZeroMemory(&AlignedWide, sizeof(AlignedWide));
    RtlZeroMemory(&AlignedPair, sizeof(AlignedPair));
    RtlZeroMemory(Native, sizeof(*Native));
    CapturedWideCount = Shadow->WideCount; /* read once: it sizes Wides */
    Native->WideCount = CapturedWideCount;
    Native->Header = Shadow->Header;
    /*
     * #pragma pack puts Wide at a 4-byte boundary but MEMBER_WIDE needs 8: it is converted in an
     * aligned copy.
     */
    RtlCopyMemory(&AlignedWide32, &Shadow->Wide, sizeof(AlignedWide32));
    Status = CaptureMemberWide32(&AlignedWide32, &AlignedWide);
    if (!NT_SUCCESS(Status)) {
        goto Cleanup;
    }
    RtlCopyMemory(&Native->Wide, &AlignedWide, sizeof(AlignedWide));
    /*
     * #pragma pack puts Pair at a 4-byte boundary but MEMBER_WIDE needs 8: it is converted in an
     * aligned copy.
     */
    RtlCopyMemory(&AlignedPair32, &Shadow->Pair, sizeof(AlignedPair32));
    for (Index = 0; Index < 2; Index++) {
        Status = CaptureMemberWide32(&AlignedPair32[Index], &AlignedPair[Index]);
        if (!NT_SUCCESS(Status)) {
            goto Cleanup;
        }
    }
    RtlCopyMemory(&Native->Pair, &AlignedPair, sizeof(AlignedPair));
    /* Wides: WideCount MEMBER_WIDE32 in the caller's memory (_Field_size_(WideCount)). */
    Wides32 = (const UCHAR *)UlongToPtr(Shadow->Wides);
    if (CapturedWideCount != 0) {
        Status = RtlULongMult(CapturedWideCount, (ULONG)sizeof(MEMBER_WIDE32), &WidesBytes32);
        if (NT_SUCCESS(Status)) {
            Status = RtlSizeTMult(CapturedWideCount, sizeof(MEMBER_WIDE), &WidesBytes);
        }
        if (!NT_SUCCESS(Status)) {
            goto Cleanup;
        }
        __try {
            ProbeForRead(Wides32, WidesBytes32, 4 /* TYPE_ALIGNMENT(MEMBER_WIDE32) is 8, but an x86 caller aligns it to 4 only */);
            Native->Wides = (PMEMBER_WIDE)ExAllocatePool2(POOL_FLAG_PAGED, WidesBytes, IOCTL_LENS_POOL_TAG);
            if (Native->Wides == NULL) {
                Status = STATUS_INSUFFICIENT_RESOURCES;
            } else {
                for (Index = 0; Index < CapturedWideCount; Index++) {
                    RtlCopyMemory(&WidesElement32, Wides32 + Index * sizeof(MEMBER_WIDE32), sizeof(WidesElement32));
                    Status = CaptureMemberWide32(&WidesElement32, &Native->Wides[Index]);
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
        RtlCopyMemory(&Native->Wide, &AlignedWide, sizeof(AlignedWide));
        RtlCopyMemory(&Native->Pair, &AlignedPair, sizeof(AlignedPair));
        ReleaseMemberPacked32(Native);
    }
    return Status;
}

/*
 * WriteBackMemberPacked32: writes MEMBER_PACKED back as the 32-bit caller's MEMBER_PACKED32;
 * STATUS_INTEGER_OVERFLOW when a value does not fit in 32 bits.
 */
NTSTATUS
WriteBackMemberPacked32(
    _In_ const MEMBER_PACKED *Native,
    _Inout_ PMEMBER_PACKED32 Shadow
    )
{
    NTSTATUS Status = STATUS_SUCCESS;
    MEMBER_PACKED32 Caller;
    MEMBER_WIDE32 AlignedWide32;
    MEMBER_WIDE AlignedWide;
    MEMBER_WIDE32 AlignedPair32[2];
    MEMBER_WIDE AlignedPair[2];
    ULONG Index;

    RtlCopyMemory(&Caller, Shadow, sizeof(Caller));
    RtlZeroMemory(Shadow, sizeof(*Shadow));
    Shadow->Header = Native->Header;
    /*
     * #pragma pack puts Wide at a 4-byte boundary but MEMBER_WIDE needs 8: it is converted in an
     * aligned copy.
     */
    RtlCopyMemory(&AlignedWide, &Native->Wide, sizeof(AlignedWide));
    Status = WriteBackMemberWide32(&AlignedWide, &AlignedWide32);
    if (!NT_SUCCESS(Status)) {
        return Status;
    }
    RtlCopyMemory(&Shadow->Wide, &AlignedWide32, sizeof(AlignedWide32));
    /*
     * #pragma pack puts Pair at a 4-byte boundary but MEMBER_WIDE needs 8: it is converted in an
     * aligned copy.
     */
    RtlCopyMemory(&AlignedPair, &Native->Pair, sizeof(AlignedPair));
    for (Index = 0; Index < 2; Index++) {
        Status = WriteBackMemberWide32(&AlignedPair[Index], &AlignedPair32[Index]);
        if (!NT_SUCCESS(Status)) {
            return Status;
        }
    }
    RtlCopyMemory(&Shadow->Pair, &AlignedPair32, sizeof(AlignedPair32));
    Shadow->WideCount = Native->WideCount;
    Shadow->Wides = Caller.Wides; /* the caller's own pointer, never our pool copy */
    return Status;
}
