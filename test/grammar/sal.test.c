// SYNTAX TEST "source.c" "SAL annotations: SAL 2, driver annotations, SAL 1"

_Use_decl_annotations_
// <---------------------- storage.modifier.ioctl-lens.sal
_Must_inspect_result_
// <--------------------- storage.modifier.ioctl-lens.sal
_IRQL_requires_max_(DISPATCH_LEVEL)
// <------------------- storage.modifier.ioctl-lens.sal
//                  ^^^^^^^^^^^^^^ - storage.modifier.ioctl-lens.sal
NTSTATUS
ContosoSubmit(
    _In_ PDEVICE_OBJECT DeviceObject,
//  ^^^^ meta.function.c storage.modifier.ioctl-lens.sal
//       ^^^^^^^^^^^^^^ - storage.modifier.ioctl-lens.sal
    _Inout_ PIRP Irp,
//  ^^^^^^^ storage.modifier.ioctl-lens.sal
    _Out_writes_bytes_opt_(OutputLength) PVOID Output,
//  ^^^^^^^^^^^^^^^^^^^^^^ storage.modifier.ioctl-lens.sal
//                        ^ - storage.modifier.ioctl-lens.sal
//                         ^^^^^^^^^^^^ - storage.modifier.ioctl-lens.sal
    _In_reads_bytes_(InputLength) const VOID *Input,
//  ^^^^^^^^^^^^^^^^ storage.modifier.ioctl-lens.sal
    _Outptr_result_maybenull_ PVOID *Result,
//  ^^^^^^^^^^^^^^^^^^^^^^^^^ storage.modifier.ioctl-lens.sal
    _Out_opt_ PULONG_PTR Information,
//  ^^^^^^^^^ storage.modifier.ioctl-lens.sal
    _In_range_(0, 16) ULONG Index
//  ^^^^^^^^^^ storage.modifier.ioctl-lens.sal
    );

typedef struct _CONTOSO_SUBMIT_BATCH {
    ULONG Count;
    _Field_size_(Count) PCONTOSO_REQUEST Requests;
//  ^^^^^^^^^^^^ meta.block.c storage.modifier.ioctl-lens.sal
//               ^^^^^ - storage.modifier.ioctl-lens.sal
    _Field_size_bytes_part_(Size, Used) PUCHAR Data;
//  ^^^^^^^^^^^^^^^^^^^^^^^ storage.modifier.ioctl-lens.sal
} CONTOSO_SUBMIT_BATCH;

_Dispatch_type_(IRP_MJ_DEVICE_CONTROL) DRIVER_DISPATCH ContosoDeviceControl;
// <--------------- storage.modifier.ioctl-lens.sal
_Function_class_(DRIVER_DISPATCH) _Requires_lock_held_(Lock) _When_(Flags != 0, _Post_satisfies_(x)) VOID F(VOID);
// <---------------- storage.modifier.ioctl-lens.sal
//                                ^^^^^^^^^^^^^^^^^^^^ storage.modifier.ioctl-lens.sal
//                                                           ^^^^^^ storage.modifier.ioctl-lens.sal
//                                                                              ^^^^^^^^^^^^^^^^ storage.modifier.ioctl-lens.sal
_Success_(return >= 0) _Ret_maybenull_ _Check_return_ PVOID G(_Frees_ptr_opt_ PVOID p, _Printf_format_string_ const char *f);
// <--------- storage.modifier.ioctl-lens.sal
//                     ^^^^^^^^^^^^^^^ storage.modifier.ioctl-lens.sal
//                                     ^^^^^^^^^^^^^^ storage.modifier.ioctl-lens.sal
//                                                            ^^^^^^^^^^^^^^^ storage.modifier.ioctl-lens.sal
//                                                                                     ^^^^^^^^^^^^^^^^^^^^^^ storage.modifier.ioctl-lens.sal
_Kernel_float_saved_ _IRQL_saves_ _COM_Outptr_ VOID H(VOID);
// <-------------------- storage.modifier.ioctl-lens.sal
//                   ^^^^^^^^^^^^ storage.modifier.ioctl-lens.sal
//                                ^^^^^^^^^^^^ storage.modifier.ioctl-lens.sal

// Driver annotations (driverspecs.h) and SAL 1.
__drv_maxIRQL(DISPATCH_LEVEL) __drv_aliasesMem VOID K(__in PVOID a, __out_ecount(n) PULONG b, __deref_opt_out PVOID *c, __inout_bcount_opt(n) PUCHAR d);
// <------------- storage.modifier.ioctl-lens.sal
//                            ^^^^^^^^^^^^^^^^ storage.modifier.ioctl-lens.sal
//                                                    ^^^^ storage.modifier.ioctl-lens.sal
//                                                                  ^^^^^^^^^^^^ storage.modifier.ioctl-lens.sal
//                                                                                            ^^^^^^^^^^^^^^^ storage.modifier.ioctl-lens.sal
//                                                                                                                      ^^^^^^^^^^^^^^^^^^ storage.modifier.ioctl-lens.sal

// Near misses stay plain: include guards, C keywords, compiler keywords, other spellings.
#ifndef _CONTOSO_IOCTL_H_
//      ^^^^^^^^^^^^^^^^^ - storage.modifier.ioctl-lens.sal
#define _IN_H_
//      ^^^^^^ - storage.modifier.ioctl-lens.sal
_Bool b; _Static_assert(1, "x"); _In; In_; _in_; x_In_; _In_x; _Input_; _Outer_; __drv; __drv_;
// <----- - storage.modifier.ioctl-lens.sal
//       ^^^^^^^^^^^^^^ - storage.modifier.ioctl-lens.sal
//                               ^^^^ - storage.modifier.ioctl-lens.sal
//                                    ^^^ - storage.modifier.ioctl-lens.sal
//                                         ^^^^ - storage.modifier.ioctl-lens.sal
//                                               ^^^^^ - storage.modifier.ioctl-lens.sal
//                                                      ^^^^^ - storage.modifier.ioctl-lens.sal
//                                                             ^^^^^^^ - storage.modifier.ioctl-lens.sal
//                                                                      ^^^^^^^ - storage.modifier.ioctl-lens.sal
//                                                                               ^^^^^^ - storage.modifier.ioctl-lens.sal
//                                                                                      ^^^^^^^ - storage.modifier.ioctl-lens.sal
__int64 a; __inline void f(void); __inline__ int g; __int32 h; __output i; __int3264 j;
// <------- - storage.modifier.ioctl-lens.sal
//         ^^^^^^^^ - storage.modifier.ioctl-lens.sal
//                                ^^^^^^^^^^ - storage.modifier.ioctl-lens.sal
//                                                  ^^^^^^^ - storage.modifier.ioctl-lens.sal
//                                                             ^^^^^^^^ - storage.modifier.ioctl-lens.sal
//                                                                         ^^^^^^^^^ - storage.modifier.ioctl-lens.sal
const char *s = "_In_ _Field_size_(Count)"; /* _In_ */
//               ^^^^ - storage.modifier.ioctl-lens.sal
//                    ^^^^^^^^^^^^ - storage.modifier.ioctl-lens.sal
//                                             ^^^^ - storage.modifier.ioctl-lens.sal
