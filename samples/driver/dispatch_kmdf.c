/*
 * dispatch_kmdf.c - the Contoso driver's EvtIoDeviceControl (KMDF). A sample
 * for ioctl-lens: every case that needs it asks WdfRequestIsFrom32BitProcess.
 */
#include "kernel_stubs.h"
#include "ioctl_interface.h"

void ContosoEvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, SIZE_T OutputBufferLength,
                               SIZE_T InputBufferLength, ULONG IoControlCode)
{
    NTSTATUS status = STATUS_SUCCESS;
    SIZE_T information = 0;
    SIZE_T length = 0;

    switch (IoControlCode) {
    case IOCTL_CONTOSO_OPEN_SESSION:
        if (WdfRequestIsFrom32BitProcess(Request)) {
            PCONTOSO_SESSION_INFO32 info32;
            status = WdfRequestRetrieveOutputBuffer(Request, sizeof(CONTOSO_SESSION_INFO32), (PVOID *)&info32, &length);
            if (NT_SUCCESS(status)) {
                info32->SessionId = 7;
                information = sizeof(CONTOSO_SESSION_INFO32);
            }
        } else {
            PCONTOSO_SESSION_INFO info;
            status = WdfRequestRetrieveOutputBuffer(Request, sizeof(CONTOSO_SESSION_INFO), (PVOID *)&info, &length);
            if (NT_SUCCESS(status)) {
                info->SessionId = 7;
                information = sizeof(CONTOSO_SESSION_INFO);
            }
        }
        break;

    case IOCTL_CONTOSO_GET_STATS: {
        PCONTOSO_STATS stats;
        status = WdfRequestRetrieveOutputBuffer(Request, sizeof(CONTOSO_STATS), (PVOID *)&stats, &length);
        if (NT_SUCCESS(status)) {
            RtlZeroMemory(stats, sizeof(CONTOSO_STATS));
            information = sizeof(CONTOSO_STATS);
        }
        break;
    }

    default:
        status = STATUS_INVALID_DEVICE_REQUEST;
        break;
    }
    WdfRequestCompleteWithInformation(Request, status, information);
}
