// SYNTAX TEST "source.cpp" "The same highlighting in C++, where the grammar starts function calls and struct heads earlier"

/** Submit. @in FOO_SUBMIT @out FOO_RESULT */
//          ^^^ comment.block.documentation.cpp storage.type.class.doc.ioctl-lens.annotation
//              ^^^^^^^^^^ entity.name.type.ioctl-lens
//                         ^^^^ storage.type.class.doc.ioctl-lens.annotation
#define IOCTL_FOO_SUBMIT CTL_CODE(FILE_DEVICE_UNKNOWN, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS)
//                       ^^^^^^^^ meta.preprocessor.macro.cpp support.function.ioctl-lens.ctl-code
//                                ^^^^^^^^^^^^^^^^^^^ constant.language.ioctl-lens.device-type
//                                                            ^^^^^^^^^^^^^^^ constant.language.ioctl-lens.method
//                                                                             ^^^^^^^^^^^^^^^ constant.language.ioctl-lens.access
#define MY CTL_CODE2(MY_METHOD_BUFFERED_X)
//         ^^^^^^^^^ entity.name.function.call.cpp - support.function.ioctl-lens.ctl-code
//                   ^^^^^^^^^^^^^^^^^^^^ - constant.language.ioctl-lens.method
constexpr ULONG kCode = CTL_CODE(FILE_DEVICE_DISK, 0x900, METHOD_NEITHER, FILE_READ_ACCESS);
//                      ^^^^^^^^ support.function.ioctl-lens.ctl-code
//                                                        ^^^^^^^^^^^^^^ constant.language.ioctl-lens.method

typedef struct DECLSPEC_ALIGN(16) _CONTOSO_RING { // @shadow32 CONTOSO_RING32
//      ^^^^^^ storage.type.struct.ioctl-lens
//             ^^^^^^^^^^^^^^ storage.modifier.ioctl-lens.align
//                                                   ^^^^^^^^^ comment.line.double-slash.cpp storage.type.class.doc.ioctl-lens.annotation
//                                                             ^^^^^^^^^^^^^^ entity.name.type.ioctl-lens
    VOID * POINTER_32 Buffer;
//         ^^^^^^^^^^ storage.modifier.ioctl-lens.ptr32
    _Field_size_(Count) PCONTOSO_REQUEST Requests; /* @count Count */
//  ^^^^^^^^^^^^ storage.modifier.ioctl-lens.sal
//                                                    ^^^^^^ comment.block.cpp storage.type.class.doc.ioctl-lens.annotation
//                                                           ^^^^^ variable.other.member.ioctl-lens
    UNALIGNED ULONG64 *Odd;
//  ^^^^^^^^^ storage.modifier.ioctl-lens.unaligned
} CONTOSO_RING;

struct Wide { PVOID __ptr64 p; DECLSPEC_ALIGN(8) ULONG64 q; };
//                  ^^^^^^^ meta.block.struct.cpp storage.modifier.ioctl-lens.ptr64
//                             ^^^^^^^^^^^^^^ storage.modifier.ioctl-lens.align

_IRQL_requires_max_(DISPATCH_LEVEL) NTSTATUS Submit(_In_ PVOID p, __drv_aliasesMem _Out_writes_bytes_opt_(n) PVOID q);
// <------------------- storage.modifier.ioctl-lens.sal
//                                                  ^^^^ storage.modifier.ioctl-lens.sal
//                                                                ^^^^^^^^^^^^^^^^ storage.modifier.ioctl-lens.sal
//                                                                                 ^^^^^^^^^^^^^^^^^^^^^^ storage.modifier.ioctl-lens.sal - entity.name.function.call.cpp

class Queue {
    void OnIoctl(_In_ WDFREQUEST Request) {
//               ^^^^ storage.modifier.ioctl-lens.sal
        if (WdfRequestIsFrom32BitProcess(Request) && method == METHOD_NEITHER) { Out32->P = PtrToUlong(p); }
//          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ support.function.ioctl-lens.wow64
//                                                             ^^^^^^^^^^^^^^ constant.language.ioctl-lens.method
//                                                                                          ^^^^^^^^^^ support.function.ioctl-lens.thunk
        auto s = "IoIs32bitProcess(Irp) METHOD_BUFFERED"; // IoIs32bitProcess
//                ^^^^^^^^^^^^^^^^ - support.function.ioctl-lens.wow64
//                                      ^^^^^^^^^^^^^^^ - constant.language.ioctl-lens.method
//                                                           ^^^^^^^^^^^^^^^^ comment.line.double-slash.cpp - support.function.ioctl-lens.wow64
        bool w = IoIs32bitProcess(Irp) || Foo::IoIs32bitProcessEx(Irp);
//               ^^^^^^^^^^^^^^^^ support.function.ioctl-lens.wow64
//                                             ^^^^^^^^^^^^^^^^^^ - support.function.ioctl-lens.wow64
    }
};
