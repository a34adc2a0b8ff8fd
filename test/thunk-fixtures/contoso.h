/*
 * contoso.h - a frozen copy of samples/driver/ioctl_interface.h as first
 * committed (before the 32-bit views were added to the sample), so the thunk
 * goldens and run programs do not move when the sample grows. Only built-in
 * Windows types are used.
 */
#pragma once

#define FILE_DEVICE_CONTOSO 0x8337

#define CONTOSO_IOCTL(fn, method, access) CTL_CODE(FILE_DEVICE_CONTOSO, (fn), (method), (access))

/** Query the driver's version. @out CONTOSO_VERSION */
#define IOCTL_CONTOSO_GET_VERSION CONTOSO_IOCTL(0x800, METHOD_BUFFERED, FILE_ANY_ACCESS)

/** Open a capture session on a device. @in CONTOSO_OPEN_SESSION @out CONTOSO_SESSION_INFO */
#define IOCTL_CONTOSO_OPEN_SESSION CONTOSO_IOCTL(0x801, METHOD_BUFFERED, FILE_READ_ACCESS | FILE_WRITE_ACCESS)

/** Submit a batch of capture requests. @in CONTOSO_SUBMIT_BATCH */
#define IOCTL_CONTOSO_SUBMIT_BATCH CONTOSO_IOCTL(0x802, METHOD_BUFFERED, FILE_WRITE_ACCESS)

/** Read the statistics block. @out CONTOSO_STATS */
#define IOCTL_CONTOSO_GET_STATS CONTOSO_IOCTL(0x803, METHOD_BUFFERED, FILE_READ_ACCESS)

/** Map the shared ring into the caller. @inout CONTOSO_MAP_RING */
#define IOCTL_CONTOSO_MAP_RING CONTOSO_IOCTL(0x804, METHOD_NEITHER, FILE_ANY_ACCESS)

/* Fixed-width, the same for every caller. */
typedef struct _CONTOSO_VERSION {
    USHORT Major;
    USHORT Minor;
    ULONG Build;
} CONTOSO_VERSION, *PCONTOSO_VERSION;

/* A HANDLE and a string pointer: 32-bit callers send a different layout. */
typedef struct _CONTOSO_OPEN_SESSION {
    ULONG Version;
    HANDLE CompletionEvent;
    UNICODE_STRING DeviceName;
    ULONG Flags;
} CONTOSO_OPEN_SESSION, *PCONTOSO_OPEN_SESSION;

typedef struct _CONTOSO_SESSION_INFO {
    ULONG64 SessionId;
    SIZE_T RingSize;
    ULONG MaxBatch;
} CONTOSO_SESSION_INFO, *PCONTOSO_SESSION_INFO;

/* One capture request; the batch below points to an array of them. */
typedef struct _CONTOSO_REQUEST {
    ULONG Id;
    PVOID UserBuffer;
    ULONG BufferLength;
    ULONG_PTR Context;
} CONTOSO_REQUEST, *PCONTOSO_REQUEST;

/* Deep: a pointer to an array of structs that themselves hold pointers. */
typedef struct _CONTOSO_SUBMIT_BATCH {
    ULONG Count;
    _Field_size_(Count) PCONTOSO_REQUEST Requests;
    LARGE_INTEGER Timeout;
} CONTOSO_SUBMIT_BATCH, *PCONTOSO_SUBMIT_BATCH;

/* Packed wire format with bitfields. */
#include <pshpack1.h>
typedef struct _CONTOSO_STATS {
    UCHAR Channel;
    ULONG FramesCaptured;
    ULONG FramesDropped : 24;
    ULONG Overruns : 8;
    ULONGLONG BytesCaptured;
} CONTOSO_STATS, *PCONTOSO_STATS;
#include <poppack.h>

typedef struct _CONTOSO_MAP_RING {
    ULONG RingIndex;
    PVOID MappedAddress;
} CONTOSO_MAP_RING, *PCONTOSO_MAP_RING;
