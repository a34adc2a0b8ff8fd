/*
 * ioctl_interface.h - the user/kernel interface of the Contoso frame-capture
 * driver (a sample for ioctl-lens). User-mode clients, 32- and 64-bit, include
 * this header; the driver includes it too.
 *
 * Only built-in Windows types are used, so ioctl-lens can read it with no
 * include path configured.
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

/* ---- Added for the WOW64 checks (samples/driver exercises every rule) ---- */

/** Reset the statistics block (a copy-paste slip: it reuses GET_STATS's code). */
#define IOCTL_CONTOSO_RESET_STATS CONTOSO_IOCTL(0x803, METHOD_BUFFERED, FILE_READ_ACCESS)

/** Liveness probe kept from the prototype, with a function code in Microsoft's range. */
#define IOCTL_CONTOSO_LEGACY_PING CONTOSO_IOCTL(0x100, METHOD_BUFFERED, FILE_ANY_ACCESS)

/* The 32-bit views the driver reads when IoIs32bitProcess() says so. */
typedef struct _CONTOSO_OPEN_SESSION32 {
    ULONG Version;
    ULONG CompletionEvent;          /* a 32-bit HANDLE */
    UNICODE_STRING32 DeviceName;
    ULONG Flags;
} CONTOSO_OPEN_SESSION32, *PCONTOSO_OPEN_SESSION32;

typedef struct _CONTOSO_SESSION_INFO32 {
    ULONG64 SessionId;
    ULONG RingSize;
    ULONG MaxBatch;
} CONTOSO_SESSION_INFO32, *PCONTOSO_SESSION_INFO32;

/* Stale: Context stayed ULONG_PTR, so the x64 driver reads it as 8 bytes. */
typedef struct _CONTOSO_REQUEST32 {
    ULONG Id;
    VOID * POINTER_32 UserBuffer;
    ULONG BufferLength;
    ULONG_PTR Context;
} CONTOSO_REQUEST32, *PCONTOSO_REQUEST32;
