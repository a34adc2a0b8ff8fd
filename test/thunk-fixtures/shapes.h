/*
 * shapes.h - representative IOCTL buffer types for `ioctl-lens thunk`: every
 * kind of member the generator converts, plus an up-to-date and a stale
 * shadow. Uses only WDK types (the tests compile it with wdk_shim.h first).
 */
#pragma once

/* Padding after a byte, a handle, sizes of both signs, pointer arrays, a string. */
typedef struct _SHAPE_ITEM {
    UCHAR Kind;
    HANDLE Event;
    UNICODE_STRING Name;
    SIZE_T Length;
    LONG_PTR Delta;
    PVOID Tags[2];
    LONGLONG Stamp;
} SHAPE_ITEM, *PSHAPE_ITEM;

/* One level of nesting inside each element: items that point to their own arrays. */
typedef struct _SHAPE_LEAF {
    ULONG Value;
    PVOID Cookie;
} SHAPE_LEAF, *PSHAPE_LEAF;

typedef struct _SHAPE_NODE {
    ULONG LeafCount;
    _Field_size_(LeafCount) PSHAPE_LEAF Leaves;
    SHAPE_ITEM Item;
} SHAPE_NODE, *PSHAPE_NODE;

/* The deep root: the count comes from an @count comment, not SAL. */
typedef struct _SHAPE_BATCH {
    ULONG Flags;
    ULONG Count;
    PSHAPE_NODE Nodes; /* @count Count */
    HANDLE Completion;
} SHAPE_BATCH, *PSHAPE_BATCH;

/* Packing reproduced: pack(4) puts the LONGLONG at 4 on x86 and the pointer at 12 / 12. */
#pragma pack(push, 4)
typedef struct _SHAPE_PACKED {
    ULONG Header;
    ULONGLONG Big;
    PVOID Where;
    UCHAR Tail;
} SHAPE_PACKED, *PSHAPE_PACKED;
#pragma pack(pop)

/* __declspec(align) on the record and on members, one through a typedef that the shadow loses. */
typedef DECLSPEC_ALIGN(8) PVOID ALIGNED_PVOID;
typedef struct DECLSPEC_ALIGN(16) _SHAPE_ALIGNED {
    ULONG Id;
    ALIGNED_PVOID Slot;
    DECLSPEC_ALIGN(8) ULONG_PTR Cookie;
    UCHAR Last;
} SHAPE_ALIGNED, *PSHAPE_ALIGNED;

/* Bit-fields whose storage unit is pointer-sized, and ones that are not. */
typedef struct _SHAPE_BITS {
    ULONG_PTR Mode : 3;
    ULONG_PTR Rest : 29;
    ULONG Small : 4;
    ULONG : 0;
    PVOID After;
} SHAPE_BITS, *PSHAPE_BITS;

/* Records defined in place: an untagged named member and an anonymous struct. */
typedef struct _SHAPE_INLINE {
    struct {
        PVOID Base;
        ULONG Size;
    } Region;
    struct {
        HANDLE Section;
        SIZE_T ViewSize;
    };
    LIST_ENTRY Link;
    HANDLE Handles[3];
    SIZE_T Sizes[2][2];
} SHAPE_INLINE, *PSHAPE_INLINE;

/* A union with pointers and no discriminator: shadowed, but not guessed. */
typedef struct _SHAPE_UNION {
    ULONG Type;
    union {
        PVOID Pointer;
        ULONG Value;
    };
    ULONG After;
} SHAPE_UNION, *PSHAPE_UNION;

/* An up-to-date shadow: used, never regenerated. */
typedef struct _SHAPE_GOOD {
    ULONG Id;
    PVOID Buffer;
} SHAPE_GOOD, *PSHAPE_GOOD;

typedef struct _SHAPE_GOOD32 {
    ULONG Id;
    ULONG Buffer;
} SHAPE_GOOD32, *PSHAPE_GOOD32;

typedef struct _SHAPE_HOLDER {
    SHAPE_GOOD Good;
    HANDLE Owner;
} SHAPE_HOLDER, *PSHAPE_HOLDER;

/* A stale shadow: Context became pointer-sized and the shadow was not updated. */
typedef struct _SHAPE_STALE {
    ULONG Id;
    ULONG_PTR Context;
    PVOID Buffer;
} SHAPE_STALE, *PSHAPE_STALE;

typedef struct _SHAPE_STALE32 {
    ULONG Id;
    ULONG Buffer;
} SHAPE_STALE32, *PSHAPE_STALE32;

/* The same for every caller: no thunk needed. */
typedef struct _SHAPE_PLAIN {
    ULONG A;
    LONGLONG B;
} SHAPE_PLAIN, *PSHAPE_PLAIN;

/* A shadow named by annotation rather than by the T32 convention. @shadow32 SHAPE_NAMED_WOW */
typedef struct _SHAPE_NAMED {
    ULONG A;
    PVOID B;
} SHAPE_NAMED, *PSHAPE_NAMED;

typedef struct _SHAPE_NAMED_WOW {
    ULONG A;
    ULONG B;
} SHAPE_NAMED_WOW;

/* Counts from a record-level annotation; a pointer with no count is only converted. @count Items ItemCount */
typedef struct _SHAPE_COUNTED {
    ULONG ItemCount;
    PSHAPE_LEAF Items;
    PSHAPE_LEAF One;
    SHAPE_NAMED Named;
} SHAPE_COUNTED, *PSHAPE_COUNTED;

/* A stale shadow under the T_32 spelling with no pointer typedef: replaced under the same names. */
typedef struct _SHAPE_OLD {
    HANDLE Process;
    SIZE_T Bytes;
} SHAPE_OLD;

typedef struct {
    ULONG Process;
    ULONG64 Bytes;
} SHAPE_OLD_32;

/* Function pointers, an array of records that differ, an enum, pointers that are already fixed-width, and a member only 64-bit code sees. */
typedef enum _SHAPE_MODE { ShapeModeA, ShapeModeB } SHAPE_MODE;
typedef VOID (*PSHAPE_CALLBACK)(PVOID Context);
typedef struct _SHAPE_MISC {
    SHAPE_MODE Mode;
    PSHAPE_CALLBACK Callback;
    VOID (*Raw)(ULONG Value);
    SHAPE_LEAF Pair[2];
    PCWSTR Name;
    PVOID *Table;
    BOOLEAN Flag;
#if defined(_WIN64)
    ULONG OnlyWide;
#endif
    PVOID64 Wide;
    VOID * POINTER_32 Narrow;
} SHAPE_MISC, *PSHAPE_MISC;

/* The WDK's IO_STATUS_BLOCK32 keeps only Status of the Status/Pointer union: converted as the WDK shadow has it. */
typedef struct _SHAPE_IOSB {
    IO_STATUS_BLOCK Iosb;
    HANDLE Event;
} SHAPE_IOSB, *PSHAPE_IOSB;

/* _opt_: a NULL array is valid whatever the count. */
typedef struct _SHAPE_OPTIONAL {
    ULONG Count;
    _Field_size_opt_(Count) PSHAPE_LEAF Leaves;
} SHAPE_OPTIONAL, *PSHAPE_OPTIONAL;
