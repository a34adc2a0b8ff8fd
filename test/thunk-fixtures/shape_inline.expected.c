/*
 * SHAPE_INLINE32: SHAPE_INLINE as an x86 caller lays it out, for x64 code (shadow; ioctl-lens
 * thunk).
 */
typedef struct _SHAPE_INLINE32 {
    struct {
        ULONG Base; /* PVOID */
        ULONG Size;
    } Region;
    struct {
        ULONG Section; /* HANDLE */
        ULONG ViewSize; /* SIZE_T */
    };
    LIST_ENTRY32 Link;
    ULONG Handles[3]; /* array */
    ULONG Sizes[2][2]; /* array */
} SHAPE_INLINE32, *PSHAPE_INLINE32;

#if defined(_WIN64)
/* SHAPE_INLINE32 must have SHAPE_INLINE's x86 layout. */
C_ASSERT(sizeof(SHAPE_INLINE32) == 52);
C_ASSERT(TYPE_ALIGNMENT(SHAPE_INLINE32) == 4);
C_ASSERT(FIELD_OFFSET(SHAPE_INLINE32, Region) == 0);
C_ASSERT(FIELD_OFFSET(SHAPE_INLINE32, Region.Base) == 0);
C_ASSERT(FIELD_OFFSET(SHAPE_INLINE32, Region.Size) == 4);
C_ASSERT(FIELD_OFFSET(SHAPE_INLINE32, Section) == 8);
C_ASSERT(FIELD_OFFSET(SHAPE_INLINE32, ViewSize) == 12);
C_ASSERT(FIELD_OFFSET(SHAPE_INLINE32, Link) == 16);
C_ASSERT(FIELD_OFFSET(SHAPE_INLINE32, Handles) == 24);
C_ASSERT(FIELD_OFFSET(SHAPE_INLINE32, Sizes) == 36);
#endif

/* CaptureListEntry32: converts a 32-bit caller's LIST_ENTRY32 into LIST_ENTRY. */
static NTSTATUS
CaptureListEntry32(
    _In_ const LIST_ENTRY32 *Shadow,
    _Out_ PLIST_ENTRY Native
    )
{
    NTSTATUS Status = STATUS_SUCCESS;

    RtlZeroMemory(Native, sizeof(*Native));
    Native->Flink = UlongToPtr(Shadow->Flink);
    Native->Blink = UlongToPtr(Shadow->Blink);
    return Status;
}

/*
 * WriteBackListEntry32: writes LIST_ENTRY back as the 32-bit caller's LIST_ENTRY32;
 * STATUS_INTEGER_OVERFLOW when a value does not fit in 32 bits.
 */
static NTSTATUS
WriteBackListEntry32(
    _In_ const LIST_ENTRY *Native,
    _Out_ PLIST_ENTRY32 Shadow
    )
{
    RtlZeroMemory(Shadow, sizeof(*Shadow));
    Shadow->Flink = PtrToUlong(Native->Flink);
    Shadow->Blink = PtrToUlong(Native->Blink);
    return STATUS_SUCCESS;
}

/* CaptureShapeInline32: converts a 32-bit caller's SHAPE_INLINE32 into SHAPE_INLINE. */
NTSTATUS
CaptureShapeInline32(
    _In_ const SHAPE_INLINE32 *Shadow,
    _Out_ PSHAPE_INLINE Native
    )
{
    NTSTATUS Status = STATUS_SUCCESS;
    ULONG Index;
    ULONG Index1;

    RtlZeroMemory(Native, sizeof(*Native));
    Native->Region.Base = UlongToPtr(Shadow->Region.Base);
    Native->Region.Size = Shadow->Region.Size;
    Native->Section = LongToHandle((LONG)Shadow->Section);
    Native->ViewSize = Shadow->ViewSize;
    Status = CaptureListEntry32(&Shadow->Link, &Native->Link);
    if (!NT_SUCCESS(Status)) {
        goto Cleanup;
    }
    for (Index = 0; Index < 3; Index++) {
        Native->Handles[Index] = LongToHandle((LONG)Shadow->Handles[Index]);
    }
    for (Index = 0; Index < 2; Index++) {
        for (Index1 = 0; Index1 < 2; Index1++) {
            Native->Sizes[Index][Index1] = Shadow->Sizes[Index][Index1];
        }
    }

Cleanup:
    return Status;
}

/*
 * WriteBackShapeInline32: writes SHAPE_INLINE back as the 32-bit caller's SHAPE_INLINE32;
 * STATUS_INTEGER_OVERFLOW when a value does not fit in 32 bits.
 */
NTSTATUS
WriteBackShapeInline32(
    _In_ const SHAPE_INLINE *Native,
    _Out_ PSHAPE_INLINE32 Shadow
    )
{
    NTSTATUS Status = STATUS_SUCCESS;
    ULONG Index;
    ULONG Index1;

    RtlZeroMemory(Shadow, sizeof(*Shadow));
    Shadow->Region.Base = PtrToUlong(Native->Region.Base);
    Shadow->Region.Size = Native->Region.Size;
    Shadow->Section = (ULONG)HandleToLong(Native->Section);
    if (Native->ViewSize > MAXULONG) {
        return STATUS_INTEGER_OVERFLOW;
    }
    Shadow->ViewSize = (ULONG)Native->ViewSize;
    Status = WriteBackListEntry32(&Native->Link, &Shadow->Link);
    if (!NT_SUCCESS(Status)) {
        return Status;
    }
    for (Index = 0; Index < 3; Index++) {
        Shadow->Handles[Index] = (ULONG)HandleToLong(Native->Handles[Index]);
    }
    for (Index = 0; Index < 2; Index++) {
        for (Index1 = 0; Index1 < 2; Index1++) {
            if (Native->Sizes[Index][Index1] > MAXULONG) {
                return STATUS_INTEGER_OVERFLOW;
            }
            Shadow->Sizes[Index][Index1] = (ULONG)Native->Sizes[Index][Index1];
        }
    }
    return Status;
}
