/* Realistic IOCTL input/output buffers, written with the Windows types they
 * use in real drivers (declared here, as the SDK declares them), including
 * the 32-bit "thunk" copies a 64-bit driver declares for WOW64 callers. */

typedef void VOID, *PVOID;
typedef void *HANDLE;
typedef unsigned char UCHAR, BOOLEAN;
typedef unsigned short USHORT, WCHAR;
typedef WCHAR *PWSTR;
typedef unsigned long ULONG, *PULONG;
typedef long LONG, NTSTATUS;
typedef unsigned __int64 ULONG64, ULONGLONG;
typedef __int64 LONGLONG;
#if defined(_WIN64)
typedef unsigned __int64 ULONG_PTR, SIZE_T;
typedef __int64 LONG_PTR;
#else
typedef unsigned long ULONG_PTR, SIZE_T;
typedef long LONG_PTR;
#endif
#define POINTER_32 __ptr32
#define POINTER_64 __ptr64
#define ANYSIZE_ARRAY 1
#define DECLSPEC_ALIGN(x) __declspec(align(x))

typedef union _LARGE_INTEGER {                            /* anonymous struct + named struct + __int64 */
  struct { ULONG LowPart; LONG HighPart; };
  struct { ULONG LowPart; LONG HighPart; } u;
  LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;

typedef struct _GUID { ULONG Data1; USHORT Data2; USHORT Data3; UCHAR Data4[8]; } GUID; /* 16 bytes, 4-aligned */

typedef struct _UNICODE_STRING { USHORT Length; USHORT MaximumLength; PWSTR Buffer; } UNICODE_STRING; /* pointer after two shorts */
typedef struct _UNICODE_STRING32 { USHORT Length; USHORT MaximumLength; ULONG Buffer; } UNICODE_STRING32; /* its 32-bit thunk */

typedef struct _IO_STATUS_BLOCK {                         /* anonymous union of NTSTATUS and PVOID */
  union { NTSTATUS Status; PVOID Pointer; };
  ULONG_PTR Information;
} IO_STATUS_BLOCK, *PIO_STATUS_BLOCK;

typedef struct _MY_IOCTL_INPUT {                          /* pointer-sized members move on 64-bit */
  ULONG Version;
  HANDLE Event;
  PVOID UserBuffer;
  SIZE_T Length;
  ULONG_PTR Context;
  LARGE_INTEGER Timestamp;
  BOOLEAN Wait;
  GUID Interface;
  ULONG Count;
  UCHAR Data[ANYSIZE_ARRAY];
} MY_IOCTL_INPUT, *PMY_IOCTL_INPUT;

typedef struct _MY_IOCTL_INPUT32 {                        /* the 32-bit caller's view, declared by the 64-bit driver */
  ULONG Version;
  VOID *POINTER_32 Event;
  VOID *POINTER_32 UserBuffer;
  ULONG Length;
  ULONG Context;
  LARGE_INTEGER Timestamp;
  BOOLEAN Wait;
  GUID Interface;
  ULONG Count;
  UCHAR Data[ANYSIZE_ARRAY];
} MY_IOCTL_INPUT32, *PMY_IOCTL_INPUT32;

typedef struct _MY_IOCTL_INPUT64 {                        /* a layout fixed on every ABI with __ptr64 and explicit 64-bit integers */
  ULONG Version;
  ULONG Reserved;
  VOID *POINTER_64 Event;
  ULONG64 UserBuffer;
  ULONG64 Length;
} MY_IOCTL_INPUT64;

#pragma pack(push, 1)
typedef struct _MY_PACKED_REQUEST {                       /* wire format under pack(1) with a pointer inside */
  UCHAR Opcode;
  ULONG Length;
  PVOID Buffer;
  ULONG64 Offset;
  WCHAR Name[1];
} MY_PACKED_REQUEST;
#pragma pack(pop)

typedef struct DECLSPEC_ALIGN(8) _MY_ALIGNED_OUTPUT {     /* DECLSPEC_ALIGN(8): same layout on 32 and 64 bit */
  ULONG Status;
  ULONG_PTR Value;
} MY_ALIGNED_OUTPUT;

typedef struct _MY_VARIABLE_OUTPUT {                      /* a header followed by variable-length entries */
  ULONG EntryCount;
  ULONG NextEntryOffset;
  struct {
    HANDLE Process;
    ULONG Flags : 4;
    ULONG Kind : 28;
    UNICODE_STRING Name;
  } Entries[ANYSIZE_ARRAY];
} MY_VARIABLE_OUTPUT;

typedef struct _MY_LIST_REQUEST {                         /* buffer with a flexible array of pointers */
  IO_STATUS_BLOCK Iosb;
  ULONG Count;
  HANDLE Handles[];
} MY_LIST_REQUEST;
