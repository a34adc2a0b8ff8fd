/*
 * dispatch_wdm.c - the Contoso driver's IRP_MJ_DEVICE_CONTROL handler (WDM).
 * A sample for ioctl-lens: some cases handle 32-bit callers, some forget to.
 */
#include "kernel_stubs.h"
#include "ioctl_interface.h"

static NTSTATUS SubmitBatch(PCONTOSO_SUBMIT_BATCH Batch);

NTSTATUS ContosoDispatchDeviceControl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
    ULONG code = stack->Parameters.DeviceIoControl.IoControlCode;
    ULONG inLength = stack->Parameters.DeviceIoControl.InputBufferLength;
    ULONG outLength = stack->Parameters.DeviceIoControl.OutputBufferLength;
    PVOID buffer = Irp->AssociatedIrp.SystemBuffer;
    NTSTATUS status = STATUS_SUCCESS;
    ULONG_PTR information = 0;

    switch (code) {
    case IOCTL_CONTOSO_GET_VERSION: {
        PCONTOSO_VERSION version = (PCONTOSO_VERSION)buffer;
        if (outLength < sizeof(CONTOSO_VERSION)) {
            status = STATUS_BUFFER_TOO_SMALL;
            break;
        }
        version->Major = 1;
        version->Minor = 4;
        version->Build = 2200;
        information = sizeof(CONTOSO_VERSION);
        break;
    }

    case IOCTL_CONTOSO_OPEN_SESSION:
        if (IoIs32bitProcess(Irp)) {
            PCONTOSO_OPEN_SESSION32 open32 = (PCONTOSO_OPEN_SESSION32)buffer;
            if (inLength < sizeof(CONTOSO_OPEN_SESSION32)) {
                status = STATUS_BUFFER_TOO_SMALL;
                break;
            }
            status = open32->Flags ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
        } else {
            PCONTOSO_OPEN_SESSION open = (PCONTOSO_OPEN_SESSION)buffer;
            if (inLength < sizeof(CONTOSO_OPEN_SESSION)) {
                status = STATUS_BUFFER_TOO_SMALL;
                break;
            }
            status = open->Flags ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
        }
        break;

    case IOCTL_CONTOSO_SUBMIT_BATCH: {
        /* No IoIs32bitProcess(): a 32-bit caller's 16-byte batch is rejected here. */
        PCONTOSO_SUBMIT_BATCH batch = (PCONTOSO_SUBMIT_BATCH)buffer;
        if (inLength < sizeof(CONTOSO_SUBMIT_BATCH)) {
            status = STATUS_BUFFER_TOO_SMALL;
            break;
        }
        status = SubmitBatch(batch);
        break;
    }

    case IOCTL_CONTOSO_MAP_RING: {
        /* METHOD_NEITHER: the raw user pointer, probed with the x64 alignment. */
        PCONTOSO_MAP_RING ring = (PCONTOSO_MAP_RING)stack->Parameters.DeviceIoControl.Type3InputBuffer;
        ProbeForWrite(ring, sizeof(CONTOSO_MAP_RING), TYPE_ALIGNMENT(CONTOSO_MAP_RING));
        ring->MappedAddress = 0;
        break;
    }

    case IOCTL_CONTOSO_LEGACY_PING:
        break;

    default:
        status = STATUS_INVALID_DEVICE_REQUEST;
        break;
    }

    Irp->IoStatus.Status = status;
    Irp->IoStatus.Information = information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return status;
}

static NTSTATUS SubmitBatch(PCONTOSO_SUBMIT_BATCH Batch)
{
    ULONG i;
    for (i = 0; i < Batch->Count; i++) {
        if (Batch->Requests[i].BufferLength == 0) return STATUS_INVALID_PARAMETER;
    }
    return STATUS_SUCCESS;
}
