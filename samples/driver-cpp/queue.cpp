/*
 * queue.cpp - the Contoso sensor driver's I/O queue (KMDF, C++): a class
 * whose static member function is the queue's EvtIoDeviceControl. A sample
 * for ioctl-lens: GET_CONFIG is fine for every caller, ARM asks
 * WdfRequestIsFrom32BitProcess, READ forgets to.
 */
#include "../driver/kernel_stubs.h"
#include "contoso_ioctl.hpp"

typedef struct _WDF_IO_QUEUE_CONFIG {
    PVOID EvtIoDeviceControl;
} WDF_IO_QUEUE_CONFIG;

namespace contoso {

class SensorQueue {
public:
    static NTSTATUS Initialize(WDF_IO_QUEUE_CONFIG &config)
    {
        config.EvtIoDeviceControl = &SensorQueue::OnDeviceControl;
        return STATUS_SUCCESS;
    }

    static VOID OnDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, SIZE_T OutputBufferLength,
                                SIZE_T InputBufferLength, ULONG IoControlCode);

private:
    static NTSTATUS Arm(const sensor::ArmRequest &request);
    static NTSTATUS Read(WDFREQUEST Request, sensor::ReadSamples *read);
};

VOID SensorQueue::OnDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, SIZE_T OutputBufferLength,
                                  SIZE_T InputBufferLength, ULONG IoControlCode)
{
    NTSTATUS status = STATUS_SUCCESS;
    ULONG_PTR information = 0;
    PVOID buffer = nullptr;

    switch (IoControlCode) {
    case IOCTL_CONTOSO_SENSOR_GET_CONFIG: {
        status = WdfRequestRetrieveOutputBuffer(Request, sizeof(sensor::Config), &buffer, nullptr);
        if (NT_SUCCESS(status)) {
            auto config = static_cast<sensor::Config *>(buffer);
            config->Version = 1;
            config->Channels = sensor::MaxChannels;
            information = sizeof(sensor::Config);
        }
        break;
    }

    case IOCTL_CONTOSO_SENSOR_ARM: {
        if (WdfRequestIsFrom32BitProcess(Request)) {
            status = STATUS_INVALID_DEVICE_REQUEST;
            break;
        }
        status = WdfRequestRetrieveInputBuffer(Request, sizeof(sensor::ArmRequest), &buffer, nullptr);
        if (NT_SUCCESS(status)) status = Arm(*static_cast<sensor::ArmRequest *>(buffer));
        break;
    }

    case IOCTL_CONTOSO_SENSOR_READ: {
        if (InputBufferLength < sizeof(sensor::ReadSamples)) {
            status = STATUS_BUFFER_TOO_SMALL;
            break;
        }
        status = WdfRequestRetrieveInputBuffer(Request, sizeof(sensor::ReadSamples), &buffer, nullptr);
        if (NT_SUCCESS(status)) status = Read(Request, reinterpret_cast<sensor::ReadSamples *>(buffer));
        break;
    }

    default:
        status = STATUS_INVALID_DEVICE_REQUEST;
        break;
    }
    WdfRequestCompleteWithInformation(Request, status, information);
}

NTSTATUS SensorQueue::Arm(const sensor::ArmRequest &request)
{
    return request.Event != nullptr ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
}

NTSTATUS SensorQueue::Read(WDFREQUEST Request, sensor::ReadSamples *read)
{
    auto zero = [](PVOID p, ULONG n) { RtlZeroMemory(p, n); };
    if (read->Samples == nullptr) return STATUS_INVALID_PARAMETER;
    zero(read->Samples, read->Count);
    return STATUS_SUCCESS;
}

} // namespace contoso
