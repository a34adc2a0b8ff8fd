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
 * MEMBER_ARRAYS32: MEMBER_ARRAYS as an x86 caller lays it out, for x64 code (shadow; ioctl-lens
 * thunk).
 */
typedef struct _MEMBER_ARRAYS32 {
    UCHAR Cdb[16];
    ULONG Matrix[2][3];
    MEMBER_COLOR Color;
    ULONG Flags : 3;
    ULONG Mode : 5;
    union {
        ULONG Word;
        UCHAR Bytes[6];
    };
    union {
        USHORT Half;
        ULONGLONG Whole;
    } Named;
    MEMBER_LEAF32 Leaves[2]; /* array */
    ULONG Sizes[2][2]; /* array */
    WCHAR Name[5];
    ULONG Context; /* PVOID */
} MEMBER_ARRAYS32, *PMEMBER_ARRAYS32;

#if defined(_WIN64)
/* MEMBER_ARRAYS32 must have MEMBER_ARRAYS's x86 layout. */
C_ASSERT(sizeof(MEMBER_ARRAYS32) == 112);
C_ASSERT(TYPE_ALIGNMENT(MEMBER_ARRAYS32) == 8);
C_ASSERT(FIELD_OFFSET(MEMBER_ARRAYS32, Cdb) == 0);
C_ASSERT(FIELD_OFFSET(MEMBER_ARRAYS32, Matrix) == 16);
C_ASSERT(FIELD_OFFSET(MEMBER_ARRAYS32, Color) == 40);
C_ASSERT(FIELD_OFFSET(MEMBER_ARRAYS32, Word) == 48);
C_ASSERT(FIELD_OFFSET(MEMBER_ARRAYS32, Bytes) == 48);
C_ASSERT(FIELD_OFFSET(MEMBER_ARRAYS32, Named) == 56);
C_ASSERT(FIELD_OFFSET(MEMBER_ARRAYS32, Named.Half) == 56);
C_ASSERT(FIELD_OFFSET(MEMBER_ARRAYS32, Named.Whole) == 56);
C_ASSERT(FIELD_OFFSET(MEMBER_ARRAYS32, Leaves) == 64);
C_ASSERT(FIELD_OFFSET(MEMBER_ARRAYS32, Sizes) == 80);
C_ASSERT(FIELD_OFFSET(MEMBER_ARRAYS32, Name) == 96);
C_ASSERT(FIELD_OFFSET(MEMBER_ARRAYS32, Context) == 108);
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

/* CaptureMemberArrays32: converts a 32-bit caller's MEMBER_ARRAYS32 into MEMBER_ARRAYS. */
NTSTATUS
CaptureMemberArrays32(
    _In_ const MEMBER_ARRAYS32 *Shadow,
    _Out_ PMEMBER_ARRAYS Native
    )
{
    NTSTATUS Status = STATUS_SUCCESS;
    ULONG Index;
    ULONG Index1;

    RtlZeroMemory(Native, sizeof(*Native));
    RtlCopyMemory(Native->Cdb, Shadow->Cdb, sizeof(Native->Cdb));
    RtlCopyMemory(Native->Matrix, Shadow->Matrix, sizeof(Native->Matrix));
    Native->Color = Shadow->Color;
    Native->Flags = Shadow->Flags;
    Native->Mode = Shadow->Mode;
    RtlCopyMemory(&Native->Word, &Shadow->Word, 8); /* the anonymous union, as bytes */
    RtlCopyMemory(&Native->Named, &Shadow->Named, sizeof(Native->Named));
    for (Index = 0; Index < 2; Index++) {
        Status = CaptureMemberLeaf32(&Shadow->Leaves[Index], &Native->Leaves[Index]);
        if (!NT_SUCCESS(Status)) {
            goto Cleanup;
        }
    }
    for (Index = 0; Index < 2; Index++) {
        for (Index1 = 0; Index1 < 2; Index1++) {
            Native->Sizes[Index][Index1] = Shadow->Sizes[Index][Index1];
        }
    }
    RtlCopyMemory(Native->Name, Shadow->Name, sizeof(Native->Name));
    Native->Context = UlongToPtr(Shadow->Context);

Cleanup:
    return Status;
}

/*
 * WriteBackMemberArrays32: writes MEMBER_ARRAYS back as the 32-bit caller's MEMBER_ARRAYS32;
 * STATUS_INTEGER_OVERFLOW when a value does not fit in 32 bits.
 */
NTSTATUS
WriteBackMemberArrays32(
    _In_ const MEMBER_ARRAYS *Native,
    _Out_ PMEMBER_ARRAYS32 Shadow
    )
{
    NTSTATUS Status = STATUS_SUCCESS;
    ULONG Index;
    ULONG Index1;

    RtlZeroMemory(Shadow, sizeof(*Shadow));
    RtlCopyMemory(Shadow->Cdb, Native->Cdb, sizeof(Shadow->Cdb));
    RtlCopyMemory(Shadow->Matrix, Native->Matrix, sizeof(Shadow->Matrix));
    Shadow->Color = Native->Color;
    Shadow->Flags = Native->Flags;
    Shadow->Mode = Native->Mode;
    RtlCopyMemory(&Shadow->Word, &Native->Word, 8); /* the anonymous union, as bytes */
    RtlCopyMemory(&Shadow->Named, &Native->Named, sizeof(Shadow->Named));
    for (Index = 0; Index < 2; Index++) {
        Status = WriteBackMemberLeaf32(&Native->Leaves[Index], &Shadow->Leaves[Index]);
        if (!NT_SUCCESS(Status)) {
            return Status;
        }
    }
    for (Index = 0; Index < 2; Index++) {
        for (Index1 = 0; Index1 < 2; Index1++) {
            if (Native->Sizes[Index][Index1] > MAXULONG) {
                return STATUS_INTEGER_OVERFLOW;
            }
            Shadow->Sizes[Index][Index1] = (ULONG)Native->Sizes[Index][Index1];
        }
    }
    RtlCopyMemory(Shadow->Name, Native->Name, sizeof(Shadow->Name));
    Shadow->Context = PtrToUlong(Native->Context);
    return Status;
}
