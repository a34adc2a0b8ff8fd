// SYNTAX TEST "source.cpp" "A C++ driver source: namespaces, classes, C++ casts, qualified annotation names"

namespace contoso::ioctl {
/** Read. @in contoso::ioctl::ReadRequest @out ::contoso::ReadResult */
//        ^^^ comment.block.documentation.cpp storage.type.class.doc.ioctl-lens.annotation
//            ^^^^^^^^^^^^^^^^^^^^^^^^^^^ entity.name.type.ioctl-lens
//                                        ^^^^ storage.type.class.doc.ioctl-lens.annotation
//                                             ^^^^^^^^^^^^^^^^^^^^^ entity.name.type.ioctl-lens
constexpr ULONG IOCTL_READ = CTL_CODE(FILE_DEVICE_UNKNOWN, 0x801, METHOD_BUFFERED, FILE_READ_ACCESS);
//                           ^^^^^^^^ support.function.ioctl-lens.ctl-code
//                                    ^^^^^^^^^^^^^^^^^^^ constant.language.ioctl-lens.device-type
//                                                                ^^^^^^^^^^^^^^^ constant.language.ioctl-lens.method
}

class Device {
public:
    static VOID OnIoctl(_In_ WDFQUEUE Queue, _In_ WDFREQUEST Request, size_t Out, size_t In, ULONG Code) {
//                      ^^^^ storage.modifier.ioctl-lens.sal
        auto *req = static_cast<contoso::ioctl::ReadRequest *>(nullptr);
        if (WdfRequestIsFrom32BitProcess(Request)) { req->Buffer = ULongToPtr(0); }
//          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ support.function.ioctl-lens.wow64
//                                                                 ^^^^^^^^^^ support.function.ioctl-lens.thunk
        auto check = [](ULONG m) { return m == METHOD_NEITHER; };
//                                             ^^^^^^^^^^^^^^ constant.language.ioctl-lens.method
    }
};
