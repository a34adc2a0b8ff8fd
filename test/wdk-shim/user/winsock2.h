/*
 * winsock2.h for the native run of the real mingw-w64 http.h (test/thunk/http.test.ts):
 * the user-mode types http.h uses, with Windows widths, after wdk_shim.h. The
 * Windows target compiles use mingw-w64's own headers.
 */
#ifndef IOCTL_LENS_USER_WINSOCK2_H
#define IOCTL_LENS_USER_WINSOCK2_H
typedef ULONG DWORD;
#define ANYSIZE_ARRAY 1
#define DECLSPEC_IMPORT
#define WINAPI
#define __C89_NAMELESS
typedef union _ULARGE_INTEGER {
    struct { ULONG LowPart; ULONG HighPart; };
    struct { ULONG LowPart; ULONG HighPart; } u;
    ULONGLONG QuadPart;
} ULARGE_INTEGER, *PULARGE_INTEGER;
typedef struct _GUID { ULONG Data1; USHORT Data2; USHORT Data3; UCHAR Data4[8]; } GUID;
typedef USHORT ADDRESS_FAMILY;
typedef struct sockaddr { ADDRESS_FAMILY sa_family; CHAR sa_data[14]; } SOCKADDR, *PSOCKADDR;
typedef struct sockaddr_storage { ADDRESS_FAMILY ss_family; CHAR __ss_pad1[6]; LONGLONG __ss_align; CHAR __ss_pad2[112]; } SOCKADDR_STORAGE;
typedef struct _OVERLAPPED *LPOVERLAPPED;
typedef WCHAR *PWCHAR;
typedef HANDLE *PHANDLE;
typedef LONG SECURITY_STATUS;
typedef PVOID PSECURITY_DESCRIPTOR;
typedef struct _SECURITY_ATTRIBUTES *PSECURITY_ATTRIBUTES;
#endif
