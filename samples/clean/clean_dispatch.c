/*
 * clean_dispatch.c - a WDM device-control handler that asks IoIs32bitProcess
 * before it reads a buffer whose layout depends on the caller.
 */
#include "../driver/kernel_stubs.h"
#include "clean_interface.h"

NTSTATUS FabrikamDispatchDeviceControl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
    ULONG inLength = stack->Parameters.DeviceIoControl.InputBufferLength;
    ULONG outLength = stack->Parameters.DeviceIoControl.OutputBufferLength;
    PVOID buffer = Irp->AssociatedIrp.SystemBuffer;
    NTSTATUS status = STATUS_SUCCESS;
    ULONG_PTR information = 0;

    switch (stack->Parameters.DeviceIoControl.IoControlCode) {
    case IOCTL_FABRIKAM_GET_LIMITS: {
        PFABRIKAM_LIMITS limits = (PFABRIKAM_LIMITS)buffer;
        if (outLength < sizeof(FABRIKAM_LIMITS)) {
            status = STATUS_BUFFER_TOO_SMALL;
            break;
        }
        limits->MaxChannels = 4;
        information = sizeof(FABRIKAM_LIMITS);
        break;
    }

    case IOCTL_FABRIKAM_REGISTER:
        if (IoIs32bitProcess(Irp)) {
            PFABRIKAM_REGISTER32 reg32 = (PFABRIKAM_REGISTER32)buffer;
            if (inLength < sizeof(FABRIKAM_REGISTER32)) {
                status = STATUS_BUFFER_TOO_SMALL;
                break;
            }
            status = reg32->Size == sizeof(FABRIKAM_REGISTER32) ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
            break;
        }
        {
            PFABRIKAM_REGISTER reg = (PFABRIKAM_REGISTER)buffer;
            if (inLength < sizeof(FABRIKAM_REGISTER)) {
                status = STATUS_BUFFER_TOO_SMALL;
                break;
            }
            status = reg->Size == sizeof(FABRIKAM_REGISTER) ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
        }
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
