/*
 * members.run.c - runs the generated MEMBER_* routines (included after them).
 * Prints one line per fact; test/thunk/run.test.ts holds the expected lines.
 */
#include "run_common.h"

static void arrays(void) {
    MEMBER_ARRAYS32 in;
    MEMBER_ARRAYS out;
    MEMBER_ARRAYS32 back;
    NTSTATUS s;
    ULONG i;

    memset(&in, 0, sizeof in);
    for (i = 0; i < 16; i++) in.Cdb[i] = (UCHAR)(0xA0 + i);
    for (i = 0; i < 6; i++) in.Matrix[i / 3][i % 3] = 100 + i;
    in.Color = MemberBlue;
    memcpy(in.Bytes, "\x01\x02\x03\x04\x05\x06", 6);
    in.Named.Whole = 0x1122334455667788ULL;
    in.Leaves[0] = (MEMBER_LEAF32){7, 0xFFFFFFF0u};
    in.Leaves[1] = (MEMBER_LEAF32){8, 0x80000000u};
    in.Sizes[0][1] = 0xFFFFFFFFu;
    in.Sizes[1][0] = 3;
    memcpy(in.Name, (WCHAR[5]){'N', 'a', 'm', 'e', 0}, sizeof in.Name);
    in.Flags = 5;
    in.Mode = 17;
    in.Context = 0x90000000u;

    s = CaptureMemberArrays32(&in, &out);
    SHOW("arrays: status=%08x cdb=%02x..%02x matrix=%u,%u color=%x bytes=%02x%02x%02x%02x%02x%02x named=%016llx", (unsigned)s, out.Cdb[0], out.Cdb[15],
         out.Matrix[0][2], out.Matrix[1][2], out.Color, out.Bytes[0], out.Bytes[1], out.Bytes[2], out.Bytes[3], out.Bytes[4], out.Bytes[5],
         (unsigned long long)out.Named.Whole);
    SHOW("arrays: leaves=%u/%016llx,%u/%016llx sizes=%016llx,%016llx name=%c%c%c%c flags=%u mode=%u context=%016llx", out.Leaves[0].Value,
         HEX(out.Leaves[0].Cookie), out.Leaves[1].Value, HEX(out.Leaves[1].Cookie), HEX(out.Sizes[0][1]), HEX(out.Sizes[1][0]), out.Name[0], out.Name[1],
         out.Name[2], out.Name[3], out.Flags, out.Mode, HEX(out.Context));
    memset(&back, 0xCC, sizeof back);
    s = WriteBackMemberArrays32(&out, &back);
    SHOW("arrays write-back: status=%08x same bytes as sent: %s", (unsigned)s, memcmp(&back, &in, sizeof in) == 0 ? "yes" : "no");
    out.Sizes[1][1] = (SIZE_T)1 << 32;
    SHOW("arrays write-back, 4 GB in a nested array: status=%08x", (unsigned)WriteBackMemberArrays32(&out, &back));
}

/* Counts from the names, one record, an annotation overriding the names, a pointer of unknown size. */
static void names(void) {
    char *caller = caller_memory(0x90010000u, 4096);
    MEMBER_LEAF32 *leaves = (MEMBER_LEAF32 *)(caller + 0x100);
    ULONG *tags = (ULONG *)(caller + 0x200);
    MEMBER_NAMES32 in;
    MEMBER_NAMES out;
    NTSTATUS s;

    memcpy(caller, "hello", 5);
    leaves[0] = (MEMBER_LEAF32){1, 0x90010000u};
    leaves[1] = (MEMBER_LEAF32){2, 0};
    leaves[2] = (MEMBER_LEAF32){3, 0xFFFFFFFFu};
    tags[0] = 0xAAAA;
    tags[1] = 0xBBBB;
    tags[2] = 0xCCCC;
    memset(&in, 0, sizeof in);
    in.NameLength = 5;
    in.pName = 0x90010000u;
    in.NumberOfLeaves = 2;
    in.Leaves = 0x90010100u;
    in.ItemCount = 1;
    in.pItems = 0x90010110u;
    in.Single = 0x90010108u;
    in.Opaque = 0x90010000u;
    in.TagCount = 3;
    in.Tags = 0x90010200u;
    s = CaptureMemberNames32(&in, &out);
    SHOW("names: status=%08x pool=%d name=%.*s (a copy: %s) leaves=%u:%u/%016llx,%u items=%u/%016llx single=%u opaque=%016llx tags=%x,%x of %u", (unsigned)s,
         shim_outstanding, out.NameLength, out.pName, out.pName != caller ? "yes" : "no", out.NumberOfLeaves, out.Leaves[0].Value, HEX(out.Leaves[0].Cookie),
         out.Leaves[1].Value, out.pItems[0].Value, HEX(out.pItems[0].Cookie), out.Single->Value, HEX(out.Opaque), out.Tags[0], out.Tags[1], out.TagCount);

    /* The receive path: the record, then what it points to, every pointer the caller's address of its piece. */
    {
        static UCHAR buffer[512];
        const ULONG user = 0x7E000000u; /* where the caller's buffer is in its address space */
        ULONG needed = 0;
        MEMBER_NAMES32 *r = (MEMBER_NAMES32 *)buffer;
        memset(buffer, 0xCC, sizeof buffer);
        s = MarshalMemberNames32(&out, buffer, 8, user, &needed);
        SHOW("names marshal, 8 bytes: status=%08x needed=%u untouched=%s", (unsigned)s, needed, buffer[0] == 0xCC ? "yes" : "no");
        s = MarshalMemberNames32(&out, buffer, needed, user, &needed);
#define AT(p) ((p) >= user && (p) < user + needed ? (p) - user : 0xFFFFFFFFu)
        SHOW("names marshal: status=%08x needed=%u name@%u=%.*s leaves@%u=%u,%u items@%u=%u single@%u=%u opaque=%08x tags@%u=%x,%x count=%u", (unsigned)s, needed,
             AT(r->pName), r->NameLength, (char *)buffer + AT(r->pName), AT(r->Leaves), ((MEMBER_LEAF32 *)(buffer + AT(r->Leaves)))[0].Value,
             ((MEMBER_LEAF32 *)(buffer + AT(r->Leaves)))[1].Value, AT(r->pItems), ((MEMBER_LEAF32 *)(buffer + AT(r->pItems)))->Value, AT(r->Single),
             ((MEMBER_LEAF32 *)(buffer + AT(r->Single)))->Value, r->Opaque, AT(r->Tags), ((ULONG *)(buffer + AT(r->Tags)))[0], ((ULONG *)(buffer + AT(r->Tags)))[1],
             r->NumberOfLeaves);
        SHOW("names marshal: leaf cookies=%08x,%08x (kernel addresses never reach the caller) after needed untouched=%s", ((MEMBER_LEAF32 *)(buffer + AT(r->Leaves)))[0].Cookie,
             ((MEMBER_LEAF32 *)(buffer + AT(r->Leaves)))[1].Cookie, buffer[needed] == 0xCC ? "yes" : "no");
#undef AT
    }
    ReleaseMemberNames32(&out);
    SHOW("names released: pool=%d", shim_outstanding);

    in.Single = 0;
    in.Leaves = 0x90010000u + 4096 - 8; /* the second leaf is past the end of the caller's memory */
    s = CaptureMemberNames32(&in, &out);
    SHOW("names, a fault in the middle: status=%08x pool=%d", (unsigned)s, shim_outstanding);
}

/* Unions converted by the member that selects the arm: an enum named after the arms, an annotated integer. */
static void chunks(void) {
    char *caller = caller_memory(0x90020000u, 4096);
    MEMBER_CHUNK32 chunk[3]; /* copied to caller + 0x104: 4-aligned only, as an x86 caller may place it */
    MEMBER_TAGGED32 in;
    MEMBER_TAGGED out;
    NTSTATUS s;

    memcpy(caller, "abc", 3);
    memset(chunk, 0, 3 * sizeof *chunk);
    chunk[0].Kind = MemberKindFromMemory;
    chunk[0].FromMemory.pBuffer = 0x90020000u;
    chunk[0].FromMemory.BufferLength = 3;
    chunk[1].Kind = MemberKindFromHandle;
    chunk[1].FromHandle.Handle = 0xFFFFFFFFu;
    chunk[1].FromHandle.Offset = 0x1122334455667788ULL;
    chunk[2].Kind = MemberKindInline;
    memcpy(chunk[2].Inline, "inline bytes", 12);
    memcpy(caller + 0x104, chunk, sizeof chunk);
    memset(&in, 0, sizeof in);
    in.Type = MEMBER_TYPE_POINTER;
    in.u.Pointer = 0x90020000u;
    in.ChunkCount = 3;
    in.Chunks = 0x90020104u;
    s = CaptureMemberTagged32(&in, &out);
    SHOW("chunks: status=%08x pool=%d pointer=%016llx memory=%.*s (a copy: %s) handle=%016llx offset=%016llx inline=%.12s", (unsigned)s, shim_outstanding,
         HEX(out.u.Pointer), out.Chunks[0].FromMemory.BufferLength, (char *)out.Chunks[0].FromMemory.pBuffer,
         out.Chunks[0].FromMemory.pBuffer != caller ? "yes" : "no", HEX(out.Chunks[1].FromHandle.Handle), (unsigned long long)out.Chunks[1].FromHandle.Offset,
         (char *)out.Chunks[2].Inline);
    {
        static UCHAR buffer[256];
        const ULONG user = 0x7E100000u;
        ULONG needed = 0;
        MEMBER_TAGGED32 *r = (MEMBER_TAGGED32 *)buffer;
        MEMBER_CHUNK32 *c;
        s = MarshalMemberTagged32(&out, buffer, sizeof buffer, user, &needed);
        c = (MEMBER_CHUNK32 *)(buffer + (r->Chunks - user));
        SHOW("chunks marshal: status=%08x needed=%u chunks@%u (8-aligned: %s) memory@%u=%.3s handle=%08x offset=%016llx inline=%.12s pointer=%08x", (unsigned)s,
             needed, r->Chunks - user, (r->Chunks - user) % 8 == 0 ? "yes" : "no", c[0].FromMemory.pBuffer - user, (char *)buffer + (c[0].FromMemory.pBuffer - user),
             c[1].FromHandle.Handle, (unsigned long long)c[1].FromHandle.Offset, (char *)c[2].Inline, r->u.Pointer);
    }
    ReleaseMemberTagged32(&out);
    chunk[1].Kind = MemberKindUnknown;
    memcpy(caller + 0x104, chunk, sizeof chunk);
    s = CaptureMemberTagged32(&in, &out);
    SHOW("chunks, a kind no arm is known for: status=%08x pool=%d", (unsigned)s, shim_outstanding);
    chunk[1].Kind = MemberKindFromHandle;
    memcpy(caller + 0x104, chunk, sizeof chunk);
    in.Type = 7;
    s = CaptureMemberTagged32(&in, &out);
    SHOW("chunks, a type no arm is known for: status=%08x pool=%d", (unsigned)s, shim_outstanding);
}

/* #pragma pack(4) puts 8-aligned records at 4; an x86 caller's array of them sits at 4. */
static void packed(void) {
    char *caller = caller_memory(0x90030000u, 4096);
    MEMBER_WIDE32 wides[2]; /* copied to caller + 0x104: 4-aligned only */
    MEMBER_PACKED32 in;
    MEMBER_PACKED out;
    MEMBER_PACKED32 back;
    NTSTATUS s;

    memset(&in, 0, sizeof in);
    in.Header = 0x11;
    in.Wide.Stamp = 0x0102030405060708ULL;
    in.Wide.Where = 0x90030000u;
    in.Pair[1].Stamp = 0xF0E0D0C0B0A09080ULL;
    in.Pair[1].Where = 0xFFFFFFF0u;
    wides[0] = (MEMBER_WIDE32){0xAAAAAAAABBBBBBBBULL, 0x90030000u};
    wides[1] = (MEMBER_WIDE32){0xCCCCCCCCDDDDDDDDULL, 0x7FFFFFFFu};
    memcpy(caller + 0x104, wides, sizeof wides);
    in.WideCount = 2;
    in.Wides = 0x90030104u;
    s = CaptureMemberPacked32(&in, &out);
    SHOW("packed: status=%08x header=%x wide=%016llx/%016llx pair1=%016llx/%016llx wides=%016llx/%016llx,%016llx/%016llx pool=%d", (unsigned)s, out.Header,
         (unsigned long long)out.Wide.Stamp, HEX(out.Wide.Where), (unsigned long long)out.Pair[1].Stamp, HEX(out.Pair[1].Where),
         (unsigned long long)out.Wides[0].Stamp, HEX(out.Wides[0].Where), (unsigned long long)out.Wides[1].Stamp, HEX(out.Wides[1].Where), shim_outstanding);
    memset(&back, 0xCC, sizeof back);
    back.Wides = 0x90030104u;
    s = WriteBackMemberPacked32(&out, &back);
    SHOW("packed write-back: status=%08x same bytes as sent: %s", (unsigned)s, memcmp(&back, &in, sizeof in) == 0 ? "yes" : "no");
    ReleaseMemberPacked32(&out);
    in.Wides = 0x90030102u;
    s = CaptureMemberPacked32(&in, &out);
    SHOW("packed, an array at 2: status=%08x pool=%d", (unsigned)s, shim_outstanding);
}

/* The WDM branch of the receive path: the 32-bit size written, or STATUS_BUFFER_OVERFLOW and nothing. */
static void dispatch(void) {
    static UCHAR system[64];
    IRP irp;
    IO_STACK_LOCATION stack;
    NTSTATUS s;

    memset(&irp, 0, sizeof irp);
    memset(&stack, 0, sizeof stack);
    irp.AssociatedIrp.SystemBuffer = system;
    irp.UserBuffer = (PVOID)(ULONG_PTR)0x7E200000u;
    stack.Parameters.DeviceIoControl.OutputBufferLength = sizeof system;
    shim_is32 = TRUE;
    s = DispatchDeviceControl(&irp, &stack);
    SHOW("dispatch receive 32-bit: status=%08x information=%llu", (unsigned)s, (unsigned long long)irp.IoStatus.Information);
    stack.Parameters.DeviceIoControl.OutputBufferLength = 8;
    s = DispatchDeviceControl(&irp, &stack);
    SHOW("dispatch receive 32-bit, short buffer: status=%08x information=%llu", (unsigned)s, (unsigned long long)irp.IoStatus.Information);
}

int main(void) {
    shim_install();
    dispatch();
    arrays();
    names();
    chunks();
    packed();
    return 0;
}
