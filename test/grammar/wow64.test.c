// SYNTAX TEST "source.c" "WOW64 idioms: pointer-size modifiers, alignment, 32-bit caller detection, thunk helpers, layout guards"

typedef VOID * POINTER_32 PVOID32;
//             ^^^^^^^^^^ storage.modifier.ioctl-lens.ptr32
//                        ^^^^^^^ - storage.modifier.ioctl-lens.ptr32

typedef struct _FOO32 {
    ULONG Count;
    VOID * POINTER_32 Buffer;
//         ^^^^^^^^^^ meta.block.c storage.modifier.ioctl-lens.ptr32
//                    ^^^^^^ - storage.modifier.ioctl-lens.ptr32
    PULONG __ptr32 Lengths;
//         ^^^^^^^ meta.block.c storage.modifier.ioctl-lens.ptr32
    VOID * POINTER_64 Wide;
//         ^^^^^^^^^^ storage.modifier.ioctl-lens.ptr64
    char * __ptr64 WideToo;
//         ^^^^^^^ storage.modifier.ioctl-lens.ptr64
    VOID * POINTER_32 POINTER_SIGNED Signed;
//                    ^^^^^^^^^^^^^^ storage.modifier.ioctl-lens.pointer-extension
    int * __ptr32 __uptr Unsigned;
//                ^^^^^^ storage.modifier.ioctl-lens.pointer-extension
    UNALIGNED ULONG64 *Odd;
//  ^^^^^^^^^ storage.modifier.ioctl-lens.unaligned
    ULONG64 UNALIGNED64 *Odd64;
//          ^^^^^^^^^^^ storage.modifier.ioctl-lens.unaligned
    int __unaligned *Odd32;
//      ^^^^^^^^^^^ storage.modifier.ioctl-lens.unaligned
    DECLSPEC_ALIGN(8) ULONG64 Aligned;
//  ^^^^^^^^^^^^^^ storage.modifier.ioctl-lens.align
//                    ^^^^^^^ - storage.modifier.ioctl-lens.align
} FOO32, *PFOO32;

// winnt.h style: the alignment between the keyword and the tag.
typedef struct DECLSPEC_ALIGN(16) _CONTOSO_RING {
// <------- keyword.other.typedef.ioctl-lens
//      ^^^^^^ storage.type.struct.ioctl-lens
//             ^^^^^^^^^^^^^^ storage.modifier.ioctl-lens.align
//                            ^^ constant.numeric.decimal.c
    ULONG Head;
} CONTOSO_RING;
union DECLSPEC_CACHEALIGN Slot { ULONG a; };
// <----- storage.type.union.ioctl-lens
//    ^^^^^^^^^^^^^^^^^^^ storage.modifier.ioctl-lens.align

// Detecting a 32-bit caller (WDM and KMDF) and converting what it sent.
NTSTATUS Dispatch(PIRP Irp, WDFREQUEST Request) {
    if (IoIs32bitProcess(Irp)) {
//      ^^^^^^^^^^^^^^^^ meta.block.c support.function.ioctl-lens.wow64
//                       ^^^ - support.function.ioctl-lens.wow64
        Native.Buffer = UlongToPtr(In32->Buffer);
//                      ^^^^^^^^^^ support.function.ioctl-lens.thunk
        Out32->Buffer = PtrToUlong(Native.Buffer);
//                      ^^^^^^^^^^ support.function.ioctl-lens.thunk
        Out32->Event = HandleToHandle32(Native.Event) + PtrToPtr32(p) + Ptr32ToPtr(q);
//                     ^^^^^^^^^^^^^^^^ support.function.ioctl-lens.thunk
//                                                      ^^^^^^^^^^ support.function.ioctl-lens.thunk
//                                                                      ^^^^^^^^^^ support.function.ioctl-lens.thunk
    }
    if (WdfRequestIsFrom32BitProcess(Request)) { return STATUS_SUCCESS; }
//      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ support.function.ioctl-lens.wow64
}
BOOL wow = IsWow64Process(GetCurrentProcess(), &is);
//         ^^^^^^^^^^^^^^ support.function.ioctl-lens.wow64

// Layout guards.
C_ASSERT(sizeof(FOO32) == 16);
// <-------- support.function.ioctl-lens.layout
C_ASSERT(FIELD_OFFSET(FOO32, Buffer) == 4 && TYPE_ALIGNMENT(FOO32) == 4);
//       ^^^^^^^^^^^^ support.function.ioctl-lens.layout
//                                           ^^^^^^^^^^^^^^ support.function.ioctl-lens.layout
//                    ^^^^^ - support.function.ioctl-lens.layout

// Near misses stay plain.
ULONG POINTER_32X, MY_POINTER_32, my__ptr32, __ptr32_t, UNALIGNED_COPY, DECLSPEC_ALIGNED;
//    ^^^^^^^^^^^ - storage.modifier.ioctl-lens.ptr32
//                 ^^^^^^^^^^^^^ - storage.modifier.ioctl-lens.ptr32
//                                ^^^^^^^^^ - storage.modifier.ioctl-lens.ptr32
//                                           ^^^^^^^^^ - storage.modifier.ioctl-lens.ptr32
//                                                      ^^^^^^^^^^^^^^ - storage.modifier.ioctl-lens.unaligned
//                                                                      ^^^^^^^^^^^^^^^^ - storage.modifier.ioctl-lens.align
BOOLEAN b = IoIs32bitProcessEx(Irp) || MyIoIs32bitProcess(Irp) || WdfRequestIsFrom32BitProcess2(r);
//          ^^^^^^^^^^^^^^^^^^ - support.function.ioctl-lens.wow64
//                                     ^^^^^^^^^^^^^^^^^^ - support.function.ioctl-lens.wow64
//                                                                ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ - support.function.ioctl-lens.wow64
PVOID p = UlongToPtr64(x);
//        ^^^^^^^^^^^^ - support.function.ioctl-lens.thunk
const char *s = "VOID * POINTER_32 p; IoIs32bitProcess";
//                      ^^^^^^^^^^ - storage.modifier.ioctl-lens.ptr32
//                                    ^^^^^^^^^^^^^^^^ - support.function.ioctl-lens.wow64
/* UNALIGNED DECLSPEC_ALIGN(8) */
// ^^^^^^^^^ - storage.modifier.ioctl-lens.unaligned
//           ^^^^^^^^^^^^^^ - storage.modifier.ioctl-lens.align
