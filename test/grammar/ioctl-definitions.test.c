// SYNTAX TEST "source.c" "IOCTL definitions: CTL_CODE, METHOD_*, FILE_*_ACCESS, FILE_DEVICE_*"

// A device type's own #define keeps the C grammar's macro-name scope; its uses are device types.
#define FILE_DEVICE_CONTOSO 0x8337
//      ^^^^^^^^^^^^^^^^^^^ entity.name.function.preprocessor.c
//      ^^^^^^^^^^^^^^^^^^^ - constant.language.ioctl-lens.device-type

#define IOCTL_X CTL_CODE(FILE_DEVICE_CONTOSO, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS)
//              ^^^^^^^^ meta.preprocessor.macro.c support.function.ioctl-lens.ctl-code
//                       ^^^^^^^^^^^^^^^^^^^ meta.preprocessor.macro.c constant.language.ioctl-lens.device-type
//                                                   ^^^^^^^^^^^^^^^ constant.language.ioctl-lens.method
//                                                                    ^^^^^^^^^^^^^^^ constant.language.ioctl-lens.access
//      ^^^^^^^ entity.name.function.preprocessor.c
//                      ^ - support.function.ioctl-lens.ctl-code
//                                            ^^^^^ - constant.language.ioctl-lens.device-type constant.language.ioctl-lens.method

#define IOCTL_Y CTL_CODE(FILE_DEVICE_DISK, 0x801, METHOD_IN_DIRECT, FILE_READ_ACCESS | FILE_WRITE_ACCESS)
//                       ^^^^^^^^^^^^^^^^ constant.language.ioctl-lens.device-type
//                                                ^^^^^^^^^^^^^^^^ constant.language.ioctl-lens.method
//                                                                  ^^^^^^^^^^^^^^^^ constant.language.ioctl-lens.access
//                                                                                     ^^^^^^^^^^^^^^^^^ constant.language.ioctl-lens.access
//                                                                                   ^ - constant.language.ioctl-lens.access

#define IOCTL_Z CTL_CODE(FILE_DEVICE_KS, 0x802, METHOD_OUT_DIRECT, FILE_SPECIAL_ACCESS)
//                       ^^^^^^^^^^^^^^ constant.language.ioctl-lens.device-type
//                                              ^^^^^^^^^^^^^^^^^ constant.language.ioctl-lens.method
//                                                                 ^^^^^^^^^^^^^^^^^^^ constant.language.ioctl-lens.access

#define IOCTL_W CTL_CODE(FILE_DEVICE_8042_PORT, 0x803, METHOD_NEITHER, FILE_ANY_ACCESS)
//                       ^^^^^^^^^^^^^^^^^^^^^ constant.language.ioctl-lens.device-type
//                                                     ^^^^^^^^^^^^^^ constant.language.ioctl-lens.method

// A definition continued onto the next line keeps its highlighting there.
#define IOCTL_CONTOSO_MAP_RING \
    CTL_CODE(FILE_DEVICE_UNKNOWN, 0x804, METHOD_DIRECT_FROM_HARDWARE, FILE_ANY_ACCESS)
//  ^^^^^^^^ meta.preprocessor.macro.c support.function.ioctl-lens.ctl-code
//           ^^^^^^^^^^^^^^^^^^^ constant.language.ioctl-lens.device-type
//                                       ^^^^^^^^^^^^^^^^^^^^^^^^^^^ constant.language.ioctl-lens.method

// A project's own wrapper around CTL_CODE.
#define CONTOSO_IOCTL(fn, method, access) CTL_CODE(FILE_DEVICE_CONTOSO, (fn), (method), (access))
//                                        ^^^^^^^^ support.function.ioctl-lens.ctl-code
//                                                 ^^^^^^^^^^^^^^^^^^^ constant.language.ioctl-lens.device-type
#define IOCTL_CONTOSO_GET_VERSION CONTOSO_IOCTL(0x800, METHOD_BUFFERED, FILE_ANY_ACCESS)
//                                ^^^^^^^^^^^^^ - support.function.ioctl-lens.ctl-code
//                                                     ^^^^^^^^^^^^^^^ constant.language.ioctl-lens.method
//                                                                      ^^^^^^^^^^^^^^^ constant.language.ioctl-lens.access

// The decoders, and the constants in code.
ULONG method = METHOD_FROM_CTL_CODE(code), type = DEVICE_TYPE_FROM_CTL_CODE(code);
//             ^^^^^^^^^^^^^^^^^^^^ support.function.ioctl-lens.ctl-code
//                                                ^^^^^^^^^^^^^^^^^^^^^^^^^ support.function.ioctl-lens.ctl-code
void Dispatch(void) { if (method == METHOD_NEITHER) { Probe(); } }
//                                  ^^^^^^^^^^^^^^ meta.block.c constant.language.ioctl-lens.method

// Near misses stay plain: longer names, other prefixes and suffixes, lower case, the bare prefix.
#define MY CTL_CODE2(MY_METHOD_BUFFERED_X, FILE_DEVICE_, FILE_READ_ACCESSX, METHOD_BUFFERED2)
//         ^^^^^^^^^ - support.function.ioctl-lens.ctl-code
//                   ^^^^^^^^^^^^^^^^^^^^ - constant.language.ioctl-lens.method
//                                         ^^^^^^^^^^^^ - constant.language.ioctl-lens.device-type
//                                                       ^^^^^^^^^^^^^^^^^ - constant.language.ioctl-lens.access
//                                                                          ^^^^^^^^^^^^^^^^ - constant.language.ioctl-lens.method
int x = MY_CTL_CODE(1) + method_buffered + METHOD_BUFFER + FILE_DEVICE_lower + FILE_ALL_ACCESS + XFILE_DEVICE_DISK;
//      ^^^^^^^^^^^ - support.function.ioctl-lens.ctl-code
//                       ^^^^^^^^^^^^^^^ - constant.language.ioctl-lens.method
//                                         ^^^^^^^^^^^^^ - constant.language.ioctl-lens.method
//                                                         ^^^^^^^^^^^^^^^^^ - constant.language.ioctl-lens.device-type
//                                                                             ^^^^^^^^^^^^^^^ - constant.language.ioctl-lens.access
//                                                                                               ^^^^^^^^^^^^^^^^^ - constant.language.ioctl-lens.device-type
int y = MY_METHOD_BUFFERED + XFILE_ANY_ACCESS + METHOD_BUFFERED_EX + FILE_DEVICE_DISK_;
//      ^^^^^^^^^^^^^^^^^^ - constant.language.ioctl-lens.method
//                           ^^^^^^^^^^^^^^^^ - constant.language.ioctl-lens.access
//                                              ^^^^^^^^^^^^^^^^^^ - constant.language.ioctl-lens.method
int ctl_code = CTL_CODE_X + x.CTL_CODEx;
//             ^^^^^^^^^^ - support.function.ioctl-lens.ctl-code
//                            ^^^^^^^^^ - support.function.ioctl-lens.ctl-code

// Device characteristics share the FILE_DEVICE_ prefix but are not device types.
ULONG c = FILE_DEVICE_SECURE_OPEN | FILE_DEVICE_IS_MOUNTED;
//        ^^^^^^^^^^^^^^^^^^^^^^^ - constant.language.ioctl-lens.device-type
//                                  ^^^^^^^^^^^^^^^^^^^^^^ - constant.language.ioctl-lens.device-type

// Not in strings, comments or disabled code.
const char *s = "CTL_CODE METHOD_BUFFERED FILE_ANY_ACCESS";
//               ^^^^^^^^ string.quoted.double.c - support.function.ioctl-lens.ctl-code
//                        ^^^^^^^^^^^^^^^ - constant.language.ioctl-lens.method
//                                        ^^^^^^^^^^^^^^^ - constant.language.ioctl-lens.access
/* CTL_CODE(FILE_DEVICE_UNKNOWN, 0, METHOD_BUFFERED, FILE_ANY_ACCESS) */
// ^^^^^^^^ comment.block.c - support.function.ioctl-lens.ctl-code
//          ^^^^^^^^^^^^^^^^^^^ - constant.language.ioctl-lens.device-type
//                                  ^^^^^^^^^^^^^^^ - constant.language.ioctl-lens.method
ULONG k; // METHOD_NEITHER
//          ^^^^^^^^^^^^^^ comment.line.double-slash.c - constant.language.ioctl-lens.method
#if 0
ULONG m = METHOD_BUFFERED;
//        ^^^^^^^^^^^^^^^ - constant.language.ioctl-lens.method
#endif
#include "METHOD_BUFFERED.h"
//        ^^^^^^^^^^^^^^^ - constant.language.ioctl-lens.method
