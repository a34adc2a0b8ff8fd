/*
 * members.h - every member shape the generator converts, each with a run
 * test (members.run.c): fixed arrays of scalars and nested arrays (copied as
 * bytes), arrays of records converted element by element, unions and
 * structs defined in place, enums, bit-fields and packing.
 * Uses only WDK types (the tests compile it with wdk_shim.h first).
 */
#pragma once

typedef struct _MEMBER_LEAF {
    ULONG Value;
    PVOID Cookie;
} MEMBER_LEAF, *PMEMBER_LEAF;

typedef enum _MEMBER_COLOR { MemberRed = 1, MemberBlue = 0x7fffffff } MEMBER_COLOR;

/* Arrays of every kind next to a pointer (which is why the record needs a shadow at all). */
typedef struct _MEMBER_ARRAYS {
    UCHAR Cdb[16];
    ULONG Matrix[2][3];
    MEMBER_COLOR Color;
    ULONG Flags : 3; /* after a whole ULONG: where MSVC and the native run's ABI agree */
    ULONG Mode : 5;
    union {
        ULONG Word;
        UCHAR Bytes[6];
    };
    union {
        USHORT Half;
        ULONGLONG Whole;
    } Named;
    MEMBER_LEAF Leaves[2];
    SIZE_T Sizes[2][2];
    WCHAR Name[5];
    PVOID Context;
} MEMBER_ARRAYS, *PMEMBER_ARRAYS;

/*
 * Counts without SAL, from the names (pName next to NameLength in bytes,
 * Leaves next to NumberOfLeaves, pItems next to ItemCount); a pointer to one
 * record with no count is one record; an annotation overrides the names
 * (Tags has a TagCount, but @count says 2); a pointer to bytes of unknown
 * size is only converted.
 */
typedef struct _MEMBER_NAMES {
    USHORT NameLength;
    PCSTR pName;
    ULONG NumberOfLeaves;
    PMEMBER_LEAF Leaves;
    ULONG ItemCount;
    PMEMBER_LEAF pItems;
    PMEMBER_LEAF Single;
    PVOID Opaque;
    ULONG TagCount;
    PULONG Tags; /* @count 2 */
} MEMBER_NAMES, *PMEMBER_NAMES;

/* A union whose arm an enum selects, named after the arms (as HTTP_DATA_CHUNK's DataChunkType). */
typedef enum _MEMBER_KIND { MemberKindFromMemory, MemberKindFromHandle, MemberKindInline, MemberKindUnknown } MEMBER_KIND;
typedef struct _MEMBER_CHUNK {
    MEMBER_KIND Kind;
    union {
        struct {
            PVOID pBuffer;
            ULONG BufferLength;
        } FromMemory;
        struct {
            HANDLE Handle;
            ULONGLONG Offset;
        } FromHandle;
        UCHAR Inline[12];
    };
} MEMBER_CHUNK, *PMEMBER_CHUNK;

/* The same, selected by an integer that annotations tie to the arms. */
#define MEMBER_TYPE_POINTER 1
#define MEMBER_TYPE_VALUE 2
typedef struct _MEMBER_TAGGED {
    ULONG Type;
    union { /* @switch Type */
        PVOID Pointer; /* @case MEMBER_TYPE_POINTER */
        ULONG Value; /* @case MEMBER_TYPE_VALUE */
    } u;
    ULONG ChunkCount;
    PMEMBER_CHUNK Chunks;
} MEMBER_TAGGED, *PMEMBER_TAGGED;

/* An 8-aligned record: #pragma pack(4) puts it at 4, and an x86 caller's array of it may sit at 4. */
typedef struct _MEMBER_WIDE {
    ULONGLONG Stamp;
    PVOID Where;
} MEMBER_WIDE, *PMEMBER_WIDE;

#pragma pack(push, 4)
typedef struct _MEMBER_PACKED {
    ULONG Header;
    MEMBER_WIDE Wide;
    MEMBER_WIDE Pair[2];
    ULONG WideCount;
    _Field_size_(WideCount) PMEMBER_WIDE Wides;
} MEMBER_PACKED, *PMEMBER_PACKED;
#pragma pack(pop)
