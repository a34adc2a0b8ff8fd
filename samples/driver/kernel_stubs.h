/*
 * kernel_stubs.h - the handful of WDM and KMDF declarations the sample
 * dispatch routines use, so ioctl-lens (and a reader) can follow them without
 * a WDK. The real definitions live in wdm.h and wdf.h; only the members the
 * samples touch are spelled out here.
 */
#pragma once

typedef struct _MDL *PMDL;
typedef struct _DEVICE_OBJECT *PDEVICE_OBJECT;

typedef struct _IO_STACK_LOCATION {
    UCHAR MajorFunction;
    UCHAR MinorFunction;
    UCHAR Flags;
    UCHAR Control;
    union {
        struct {
            ULONG OutputBufferLength;
            ULONG InputBufferLength;
            ULONG IoControlCode;
            PVOID Type3InputBuffer;
        } DeviceIoControl;
    } Parameters;
} IO_STACK_LOCATION, *PIO_STACK_LOCATION;

typedef struct _IRP {
    PMDL MdlAddress;
    union {
        PVOID SystemBuffer;
    } AssociatedIrp;
    IO_STATUS_BLOCK IoStatus;
    PVOID UserBuffer;
} IRP, *PIRP;

#define IO_NO_INCREMENT 0
#define STATUS_DATATYPE_MISALIGNMENT ((NTSTATUS)0x80000002L)

PIO_STACK_LOCATION IoGetCurrentIrpStackLocation(PIRP Irp);
BOOLEAN IoIs32bitProcess(PIRP Irp);
void IoCompleteRequest(PIRP Irp, CCHAR PriorityBoost);
void ProbeForRead(const void *Address, SIZE_T Length, ULONG Alignment);
void ProbeForWrite(void *Address, SIZE_T Length, ULONG Alignment);
void RtlCopyMemory(void *Destination, const void *Source, SIZE_T Length);
void RtlZeroMemory(void *Destination, SIZE_T Length);

/* KMDF */
typedef struct WDFQUEUE__ *WDFQUEUE;
typedef struct WDFREQUEST__ *WDFREQUEST;

NTSTATUS WdfRequestRetrieveInputBuffer(WDFREQUEST Request, SIZE_T MinimumRequiredSize, PVOID *Buffer, SIZE_T *Length);
NTSTATUS WdfRequestRetrieveOutputBuffer(WDFREQUEST Request, SIZE_T MinimumRequiredSize, PVOID *Buffer, SIZE_T *Length);
BOOLEAN WdfRequestIsFrom32BitProcess(WDFREQUEST Request);
void WdfRequestComplete(WDFREQUEST Request, NTSTATUS Status);
void WdfRequestCompleteWithInformation(WDFREQUEST Request, NTSTATUS Status, ULONG_PTR Information);
