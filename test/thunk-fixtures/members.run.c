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

int main(void) {
    shim_install();
    arrays();
    return 0;
}
