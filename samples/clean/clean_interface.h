/*
 * clean_interface.h - a small IOCTL interface that handles 32-bit callers
 * correctly: vendor function codes, required access, natural alignment, and a
 * 32-bit shadow for every buffer whose layout differs. ioctl-lens reports
 * nothing here.
 */
#pragma once

#define FILE_DEVICE_FABRIKAM 0x9000

/** Query the device's limits. @out FABRIKAM_LIMITS */
#define IOCTL_FABRIKAM_GET_LIMITS CTL_CODE(FILE_DEVICE_FABRIKAM, 0x900, METHOD_BUFFERED, FILE_READ_ACCESS)

/** Register an event the driver signals. @in FABRIKAM_REGISTER */
#define IOCTL_FABRIKAM_REGISTER CTL_CODE(FILE_DEVICE_FABRIKAM, 0x901, METHOD_BUFFERED, FILE_READ_ACCESS | FILE_WRITE_ACCESS)

/* The same layout for every caller. */
typedef struct _FABRIKAM_LIMITS {
    ULONG MaxChannels;
    ULONG MaxFrameBytes;
    ULONGLONG ClockHz;
} FABRIKAM_LIMITS, *PFABRIKAM_LIMITS;

typedef struct _FABRIKAM_REGISTER {
    ULONG Size;
    HANDLE Event;
    PVOID Context;
} FABRIKAM_REGISTER, *PFABRIKAM_REGISTER;

/* Its 32-bit view: what a WOW64 caller sends. */
typedef struct _FABRIKAM_REGISTER32 {
    ULONG Size;
    VOID * POINTER_32 Event;
    VOID * POINTER_32 Context;
} FABRIKAM_REGISTER32, *PFABRIKAM_REGISTER32;
