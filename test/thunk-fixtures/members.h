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
