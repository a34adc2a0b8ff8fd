/*
 * contoso.run.c - runs the generated CONTOSO_* routines (included after them).
 * Prints one line per fact; test/thunk/run.test.ts holds the expected lines.
 */
#include "run_common.h"

int main(void) {
    shim_install();
    /* 16 CONTOSO_REQUEST32 at 0x90000000 (above 0x80000000), then an unmapped page. */
    CONTOSO_REQUEST32 *reqs = caller_memory(0x90000000u, 4096);
    CONTOSO_SUBMIT_BATCH32 in;
    CONTOSO_SUBMIT_BATCH out;
    NTSTATUS s;
    ULONG i;

    reqs[0] = (CONTOSO_REQUEST32){1, 0x90001000u, 64, 0xFFFFFFFFu};
    reqs[1] = (CONTOSO_REQUEST32){2, 0, 0, 7};
    reqs[2] = (CONTOSO_REQUEST32){3, 0x7FFFFFFFu, 1, 0x80000000u};
    memset(&in, 0, sizeof in);
    in.Count = 3;
    in.Requests = 0x90000000u;
    in.Timeout.QuadPart = -10000;

    s = CaptureContosoSubmitBatch32(&in, &out);
    SHOW("batch: status=%08x count=%u timeout=%lld pool=%d", (unsigned)s, out.Count, (long long)out.Timeout.QuadPart, shim_outstanding);
    for (i = 0; i < out.Count; i++) {
        SHOW("batch[%u]: id=%u buffer=%016llx length=%u context=%016llx", i, out.Requests[i].Id, HEX(out.Requests[i].UserBuffer),
             out.Requests[i].BufferLength, HEX(out.Requests[i].Context));
    }
    SHOW("batch: pool copy is not the caller's array: %s", (uintptr_t)out.Requests != 0x90000000u ? "yes" : "no");

    /* Write-back keeps the caller's pointer, never the pool address. */
    {
        CONTOSO_SUBMIT_BATCH32 back;
        memset(&back, 0xCC, sizeof back);
        back.Requests = 0x90000000u;
        s = WriteBackContosoSubmitBatch32(&out, &back);
        SHOW("batch write-back: status=%08x count=%u requests=%08x timeout=%lld", (unsigned)s, back.Count, back.Requests, (long long)back.Timeout.QuadPart);
    }
    ReleaseContosoSubmitBatch32(&out);
    SHOW("batch released: pool=%d requests=%s", shim_outstanding, out.Requests ? "set" : "NULL");
    ReleaseContosoSubmitBatch32(&out);
    SHOW("batch released twice: pool=%d", shim_outstanding);

    in.Count = 0;
    in.Requests = 0;
    s = CaptureContosoSubmitBatch32(&in, &out);
    SHOW("zero count: status=%08x requests=%s pool=%d", (unsigned)s, out.Requests ? "set" : "NULL", shim_outstanding);

    in.Count = 1;
    in.Requests = 0;
    s = CaptureContosoSubmitBatch32(&in, &out);
    SHOW("NULL array: status=%08x requests=%s pool=%d", (unsigned)s, out.Requests ? "set" : "NULL", shim_outstanding);

    in.Count = 0xFFFFFFFFu;
    in.Requests = 0x90000000u;
    s = CaptureContosoSubmitBatch32(&in, &out);
    SHOW("count overflows: status=%08x pool=%d", (unsigned)s, shim_outstanding);

    in.Count = 0xFFFFFFFFu / (ULONG)sizeof(CONTOSO_REQUEST32);
    s = CaptureContosoSubmitBatch32(&in, &out);
    SHOW("maximal count: status=%08x pool=%d", (unsigned)s, shim_outstanding);

    in.Count = 4096 / (ULONG)sizeof(CONTOSO_REQUEST32) + 1;
    s = CaptureContosoSubmitBatch32(&in, &out);
    SHOW("array runs into an unmapped page: status=%08x pool=%d", (unsigned)s, shim_outstanding);

    in.Count = 1;
    in.Requests = 0x90000002u;
    s = CaptureContosoSubmitBatch32(&in, &out);
    SHOW("misaligned array: status=%08x pool=%d", (unsigned)s, shim_outstanding);

    /* A handle and a string. */
    {
        CONTOSO_OPEN_SESSION32 open32;
        CONTOSO_OPEN_SESSION open;
        memset(&open32, 0, sizeof open32);
        open32.Version = 2;
        open32.CompletionEvent = 0xFFFFFFFFu; /* INVALID_HANDLE_VALUE from a 32-bit caller */
        /* The name's characters, in the caller's memory (UNICODE_STRING's Buffer is sized by its Length). */
        memcpy((char *)reqs + 0xF00, (WCHAR[5]){'\\', 'D', 'e', 'v', '0'}, 10);
        open32.DeviceName.Length = 10;
        open32.DeviceName.MaximumLength = 12;
        open32.DeviceName.Buffer = 0x90000F00u;
        open32.Flags = 0x80000001u;
        s = CaptureContosoOpenSession32(&open32, &open);
        SHOW("open: status=%08x event=%016llx name=%u/%u %s, a pool copy: %s flags=%08x pool=%d", (unsigned)s, HEX(open.CompletionEvent), open.DeviceName.Length,
             open.DeviceName.MaximumLength, memcmp(open.DeviceName.Buffer, (char *)reqs + 0xF00, 10) == 0 ? "same characters" : "other characters",
             (uintptr_t)open.DeviceName.Buffer != 0x90000F00u ? "yes" : "no", open.Flags, shim_outstanding);
        ReleaseContosoOpenSession32(&open);
        open32.CompletionEvent = 0x00000124u;
        open32.DeviceName.Length = 0;
        s = CaptureContosoOpenSession32(&open32, &open);
        SHOW("open: small handle=%016llx", HEX(open.CompletionEvent));
        open.CompletionEvent = (HANDLE)(LONG_PTR)-1;
        memset(&open32, 0xCC, sizeof open32);
        open32.DeviceName.Buffer = 0x90000F00u;
        s = WriteBackContosoOpenSession32(&open, &open32);
        SHOW("open write-back: status=%08x event=%08x name=%08x", (unsigned)s, open32.CompletionEvent, open32.DeviceName.Buffer);
    }

    /* Sizes: widened on capture, range-checked on write-back. */
    {
        CONTOSO_SESSION_INFO info;
        CONTOSO_SESSION_INFO32 info32;
        memset(&info32, 0, sizeof info32);
        info32.SessionId = 0x1122334455667788ull;
        info32.RingSize = 0xFFFFFFFFu;
        info32.MaxBatch = 9;
        s = CaptureContosoSessionInfo32(&info32, &info);
        SHOW("info: status=%08x id=%016llx ring=%016llx", (unsigned)s, (unsigned long long)info.SessionId, HEX(info.RingSize));
        s = WriteBackContosoSessionInfo32(&info, &info32);
        SHOW("info write-back: status=%08x ring=%08x", (unsigned)s, info32.RingSize);
        info.RingSize = (SIZE_T)0x100000000ull;
        s = WriteBackContosoSessionInfo32(&info, &info32);
        SHOW("info write-back of 4 GB: status=%08x", (unsigned)s);
    }

    /* The WDM dispatch branch, as a 32-bit and as a 64-bit caller. */
    {
        union { CONTOSO_SUBMIT_BATCH native; CONTOSO_SUBMIT_BATCH32 wow; } system;
        IRP irp;
        IO_STACK_LOCATION stack;
        memset(&irp, 0, sizeof irp);
        memset(&stack, 0, sizeof stack);
        irp.AssociatedIrp.SystemBuffer = &system;
        memset(&system, 0, sizeof system);
        system.wow.Count = 2;
        system.wow.Requests = 0x90000000u;
        stack.Parameters.DeviceIoControl.InputBufferLength = sizeof(CONTOSO_SUBMIT_BATCH32);
        stack.Parameters.DeviceIoControl.OutputBufferLength = sizeof(CONTOSO_SUBMIT_BATCH32);
        shim_is32 = TRUE;
        s = DispatchDeviceControl(&irp, &stack);
        SHOW("dispatch 32-bit: status=%08x information=%llu requests=%08x pool=%d", (unsigned)s, (unsigned long long)irp.IoStatus.Information, system.wow.Requests, shim_outstanding);
        stack.Parameters.DeviceIoControl.InputBufferLength = sizeof(CONTOSO_SUBMIT_BATCH32) - 1;
        s = DispatchDeviceControl(&irp, &stack);
        SHOW("dispatch 32-bit, short buffer: status=%08x", (unsigned)s);
        shim_is32 = FALSE;
        memset(&system, 0, sizeof system);
        system.native.Count = 5;
        irp.IoStatus.Information = 0;
        stack.Parameters.DeviceIoControl.InputBufferLength = sizeof(CONTOSO_SUBMIT_BATCH);
        stack.Parameters.DeviceIoControl.OutputBufferLength = sizeof(CONTOSO_SUBMIT_BATCH);
        s = DispatchDeviceControl(&irp, &stack);
        SHOW("dispatch 64-bit: status=%08x information=%llu count=%u", (unsigned)s, (unsigned long long)irp.IoStatus.Information, system.native.Count);
    }
    return 0;
}
